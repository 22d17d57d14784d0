"""A share handed from one model to another.

Found in a stranger test (a tennis club weighing LED floodlights against its halogen
ones): a model passing a plain number to another model's parameter in `%`
(`net_cost(fittings=fittings, light=light, grant_share=0.5)`, half the cost granted) was
refused with `net_cost.grant_share is in %: write the number with its unit, 0.5[%]`,
the rule for a ratio of named units (a plain `2.85` in h/day is 68.4 h/day). Followed,
that advice made the steps read `× (1 − 0.5%)`: a grant of half a percent. A sum and a
comparison read a plain number beside a share as a fraction (`1 - share`: 1 is 100%);
an argument does too now, and reads `× (1 − 50%)`; a plain number above 1 given to a
share (`grant_share=25`, 2,500%) is asked what it means.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from citeguide.config_file import load_config
from citeguide.content.models import load_library
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.quantities import CalcError
from citeguide.diagnostics import Diagnostics
from citeguide.engine.builder import build_site
from conftest import TODAY, write_site

FLOODLIGHTS = """\
columns:
  power: kW/fitting
  price: GBP/fitting
rows:
  halogen-2kw:
    power: 2
    price: 0
    source: https://www.example.org/halogen-datasheet
    date: 2026-03-02
    confidence: high
  led-800w:
    power: 0.8
    price: 1400..1800
    source: https://www.example.org/led-quote
    date: 2026-03-05
    confidence: medium
"""
MODELS = """\
net_cost:
  title: Up-front cost of the new floodlights after a grant
  label: cost after grant
  unit: GBP
  params:
    fittings: {unit: fitting, min: 1, label: floodlights at the club}
    light: {table: floodlights, label: new floodlight}
    grant_share: {unit: "%", min: 0, max: 100, default: 0, label: share of the cost a grant pays}
  formula: fittings * light.price * (1 - grant_share)
half_granted:
  title: Up-front cost with half of it granted
  unit: GBP
  params:
    fittings: {unit: fitting, min: 1, label: floodlights at the club}
    light: {table: floodlights, label: new floodlight}
  formula: net_cost(fittings=fittings, light=light, grant_share=0.5)
granted:
  title: Up-front cost with a grant
  unit: GBP
  params:
    fittings: {unit: fitting, min: 1, label: floodlights at the club}
    light: {table: floodlights, label: new floodlight}
    grant: {unit: "%", min: 0, max: 100, label: share of the cost a grant pays}
  formula: net_cost(fittings=fittings, light=light, grant_share=grant)
keep_cost:
  title: The part of a cost the club keeps paying
  unit: GBP
  params:
    cost: {unit: GBP, min: 0, label: cost}
    kept: {unit: "1", min: 0, max: 1, label: share of the cost the club pays}
  formula: cost * kept
club_pays:
  title: What the club pays of a cost after a grant (or a surcharge, below 0)
  unit: GBP
  params:
    cost: {unit: GBP, min: 0, label: cost}
    grant: {unit: "%", min: -100, max: 100, label: share of the cost a grant pays}
  formula: keep_cost(cost=cost, kept=1 - grant)
"""
GUIDE = """\
---
title: "Should a tennis club replace its halogen floodlights with LEDs?"
summary: "What the LEDs cost after a grant."
published: 2026-03-10
---

## What do the LEDs cost?

With half of it granted, 32 LED floodlights cost [calc: half_granted fittings=32 light=led-800w]
installed; with a quarter, [calc: granted fittings=32 light=led-800w grant=25].
Of a £4,000 survey the club pays [calc: club_pays cost=4000 grant=40].
"""
FILES = {
    "content/data/floodlights.yaml": FLOODLIGHTS,
    "content/models/floodlights.yaml": MODELS,
    "content/guides/floodlights.md": GUIDE,
    "citeguide.toml": 'currency = "GBP"\n[units]\ncount = ["fitting"]\n',
}


def _library(root: Path):  # type: ignore[no-untyped-def]
    diags = Diagnostics()
    lib = load_library(root, load_config(root), diags)
    return lib, [d.format() for d in diags.items]


def test_a_plain_number_given_to_a_share_is_a_fraction_as_in_a_sum(tmp_path: Path) -> None:
    write_site(tmp_path, FILES)
    lib, errors = _library(tmp_path)
    assert errors == []
    half = evaluate("half_granted", {"fittings": "32", "light": "led-800w"}, lib)
    # 32 × £1,600 (the midpoint of 1,400..1,800) × (1 − 50%) = £25,600; ends £22,400, £28,800.
    assert (half.value, half.low, half.high) == (Decimal(25600), Decimal(22400), Decimal(28800))
    assert (
        half.steps[-1]
        == "cost after grant: 32 fittings × £1,600.00/fitting × (1 − 50%) = £25,600.00"
    )
    quarter = evaluate("granted", {"fittings": "32", "light": "led-800w", "grant": "25"}, lib)
    assert quarter.steps[-1].endswith("× (1 − 25%) = £38,400.00")


def test_a_plain_number_above_one_given_to_a_share_is_asked_what_it_means(
    tmp_path: Path,
) -> None:
    write_site(tmp_path, {**FILES, "content/models/floodlights.yaml": MODELS.replace(
        "grant_share=0.5)", "grant_share=25)")})  # fmt: skip
    _, errors = _library(tmp_path)
    assert errors[0] == (
        "content/models/floodlights.yaml:16:65: error: half_granted: net_cost.grant_share is in "
        "%: a plain number given to a share is a fraction, as in `1 - share`, so 25 would be "
        "2,500%: write 25[%] for 25% [unit-mismatch]"
    )


@pytest.mark.parametrize(
    ("condition", "at", "number"),
    [("grant_share > 50", "11:43", "50"), ("60 <= grant_share", "11:29", "60")],
)
def test_a_plain_number_above_one_beside_a_share_is_asked_what_it_means(
    tmp_path: Path, condition: str, at: str, number: str
) -> None:
    """`grant_share > 50` with a grant of 60% compared 60% with 5,000% and never held (a
    stranger's tennis club); `grant_share > 0.5` and `1 - grant_share` still read a plain
    number as a fraction."""
    flagged = MODELS.replace(
        "  formula: fittings * light.price * (1 - grant_share)\n",
        "  formula: fittings * light.price * (1 - grant_share)\n"
        f"  flags:\n    mostly_granted: {{test: '{condition}'}}\n",
    )
    write_site(tmp_path, {**FILES, "content/models/floodlights.yaml": flagged})
    _, errors = _library(tmp_path)
    assert errors == [
        f"content/models/floodlights.yaml:{at}: error: net_cost: a plain number beside a "
        f"share is a fraction, as in `1 - share`, so {number} would be "
        f"{number[0]},{number[1]}00%: write {number}[%] for {number}% [unit-mismatch]"
    ]
    fine = flagged.replace(condition, "grant_share > 0.5")
    write_site(tmp_path, {**FILES, "content/models/floodlights.yaml": fine})
    lib, errors = _library(tmp_path)
    assert errors == []
    inputs = {"fittings": "4", "light": "led-800w", "grant_share": "60"}
    assert evaluate("net_cost", inputs, lib).flags == {"mostly_granted": True}


def test_the_readers_forms_take_a_plain_share_as_calc_does(tmp_path: Path) -> None:
    from chromium import page_figures

    write_site(tmp_path, FILES)
    assert build_site(tmp_path, today=TODAY, use_cache=False).ok
    lib, _ = _library(tmp_path)
    cases = [
        ("half_granted", {"fittings": "32", "light": "led-800w"}),
        ("half_granted", {"fittings": "4", "light": "halogen-2kw"}),
        ("granted", {"fittings": "32", "light": "led-800w", "grant": "25"}),
        ("granted", {"fittings": "10", "light": "led-800w", "grant": "0.5"}),
    ]
    figures = page_figures(tmp_path / "site", "/floodlights/", cases)
    for (name, raw), figure in zip(cases, figures, strict=True):
        python = evaluate(name, raw, lib, locale="en")
        assert (figure["display"], figure["steps"]) == (python.display, python.steps)
    assert figures[0]["display"] == "£22,400–28,800"


def test_a_value_handed_on_out_of_range_is_told_as_a_markers_is(tmp_path: Path) -> None:
    """The same stranger's club, with a surcharge written as a negative grant: the value
    `club_pays` hands `keep_cost` (1 − (−50%) = 1.5) was refused in `calc` with `keep_cost:
    kept=1.5 is out of range (kept: number in 1 [number in 1, 0 to 1])`, the parameter's
    description inside its own description, and in the readers' forms with `keep_cost:
    kept is out of range`, no value and no bounds. Both now say it as a marker's value is
    told: the value as the called model writes it, and its bounds."""
    from chromium import page_figures

    write_site(tmp_path, FILES)
    assert build_site(tmp_path, today=TODAY, use_cache=False).ok
    lib, _ = _library(tmp_path)
    cases = [
        ("club_pays", {"cost": "4000", "grant": "-50"}),
        ("granted", {"fittings": "32", "light": "led-800w", "grant": "40"}),
    ]
    told = "keep_cost: kept=1.5 is out of range: between 0 and 1"
    with pytest.raises(CalcError) as refused:
        evaluate(*cases[0], lib)
    assert refused.value.message == told
    figures = page_figures(tmp_path / "site", "/floodlights/", cases)
    assert figures[0] == {"refused": told}
    assert figures[1]["display"] == evaluate(*cases[1], lib).display == "£26,880–34,560"
