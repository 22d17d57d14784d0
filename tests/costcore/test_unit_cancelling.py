"""The steps of a product whose units cancel: as the author wrote them where the model's
unit keeps the author's names.

`*` and `/` re-express their right operand's units to cancel the left one's
(`conversions.harmonise`): the LLM pack's `rate * 730[h/month]` reads `730 h/month ×
3,600 s/h` and is then in the model's unit. Where the model's unit keeps the names the
author wrote, that only added steps the last conversion undid, which a reader re-deriving
the figure could not follow: a school's solar array read `30 kW × 2.85 h/day × (365
days/year ÷ 8,760 h/year) × 0.8 × 8,760 kWh/year/kW`, a trailer's break-even `£2,400.00 ÷
8 years ÷ (£45.00/day × 365 days/year) × 365 days/year`. The same figures, exactly.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from citeguide.config import SiteConfig
from citeguide.content.models import load_library
from citeguide.costcore import compile as compile_module
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.library import Library
from citeguide.costcore.quantities import CalcError, plain
from citeguide.diagnostics import Diagnostics
from citeguide.engine.builder import build_site
from conftest import TODAY, write_site

MODELS = """\
solar_generation:
  title: Yearly generation of a solar array
  unit: kWh/year
  params:
    size: {unit: kW, min: 0, label: array size}
    sun_hours: {unit: h/day, min: 0, label: peak sun hours a day}
    performance: {unit: "1", default: 0.8, label: performance ratio}
  formula: size * sun_hours * 365[day/year] * performance
trailer_break_even:
  title: Days of hire a year that buying a trailer replaces
  unit: day/year
  params:
    price: {unit: GBP, min: 0, label: purchase price}
    lifetime: {unit: year, min: 1, label: years the trailer lasts}
    hire: {unit: GBP/day, min: 1, label: hire rate}
  formula: price / lifetime / hire
tokens_a_year:
  title: Tokens a year from a server busy some hours a month
  unit: token/year
  params:
    rate: {unit: token/s, min: 0, label: throughput}
    busy: {unit: h/month, min: 0, label: hours busy a month}
  formula: rate * busy
tokens_a_month:
  title: Tokens a month from a server busy some hours a month
  unit: token/month
  params:
    rate: {unit: token/s, min: 0, label: throughput}
  formula: rate * 730[h/month]
"""
SOLAR = {"size": "30", "sun_hours": "2.85"}
TRAILER = {"price": "2400", "lifetime": "8", "hire": "45"}
TOKENS = {"rate": "50", "busy": "730"}

GUIDE = """\
---
title: "Solar panels or a trailer?"
summary: "Two figures."
published: 2026-05-01
---

# Two figures

The array makes [calc: solar_generation size=30 sun_hours=2.85] a year; the trailer pays
for itself at [calc: trailer_break_even price=2400 lifetime=8 hire=45] of hire.
"""


def _library(root: Path) -> Library:
    write_site(root, {"content/models/site.yaml": MODELS})
    diags = Diagnostics()
    lib = load_library(root, SiteConfig(currency="GBP", language="en-GB"), diags)
    assert not diags.has_errors(), diags.render()
    return lib


@pytest.fixture
def harmonised(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Library:
    """The models compiled as before: every product's units cancelled by re-expressing."""
    with monkeypatch.context() as patch:
        patch.setattr(compile_module, "_written", lambda node, deep=True: 0, raising=False)
        return _library(tmp_path / "harmonised")


def test_a_solar_array_in_kwh_a_year_reads_as_written(tmp_path: Path, harmonised: Library) -> None:
    lib = _library(tmp_path / "site")
    result = evaluate("solar_generation", SOLAR, lib)
    assert result.steps == ["30 kW × 2.85 h/day × 365 days/year × 0.8 = 24,966 kWh/year"]
    before = evaluate("solar_generation", SOLAR, harmonised)
    assert before.steps == [
        "30 kW × 2.85 h/day × (365 days/year ÷ 8,760 h/year) × 0.8 × 8,760 kWh/year/kW "
        "= 24,966 kWh/year"
    ]
    # 30 × 2.85 × 365 × 0.8, exactly, either way.
    assert result.value == before.value == Decimal("24966")
    assert result.display == before.display == "24,966 kWh/year"


def test_a_trailers_break_even_reads_as_written(tmp_path: Path, harmonised: Library) -> None:
    lib = _library(tmp_path / "site")
    result = evaluate("trailer_break_even", TRAILER, lib)
    assert result.steps == ["£2,400.00 ÷ 8 years ÷ £45.00/day = ≈6.66667 days/year"]
    before = evaluate("trailer_break_even", TRAILER, harmonised)
    assert before.steps == [
        "£2,400.00 ÷ 8 years ÷ (£45.00/day × 365 days/year) × 365 days/year = ≈6.66667 days/year"
    ]
    # 2,400 / 8 / 45 = 20/3 days a year. The one division less can only move the last of
    # the 34 digits the arithmetic keeps (here it makes it the nearer one); the value
    # published in the twin and shown on the page is the same.
    assert abs(Fraction(result.value) - Fraction(20, 3)) <= abs(Fraction(before.value)
                                                                - Fraction(20, 3))  # fmt: skip
    assert abs(result.value - before.value) < Decimal("1e-30")
    assert plain(result.value) == plain(before.value) == 6.666667
    assert result.display == before.display


def test_a_tie_keeps_the_conversions_of_one_unit_each(tmp_path: Path) -> None:
    """Tokens a second for hours a month, in tokens a year: cancelling as written would
    show one conversion of mixed units (`× 43,200 s months/year/h`), as many unit names
    as the two it replaces; the two plain ones stay. A product already in the model's
    unit, as the LLM pack's are, keeps its `× 3,600 s/h`."""
    lib = _library(tmp_path / "site")
    result = evaluate("tokens_a_year", TOKENS, lib)
    assert result.steps == [
        "50 tokens/s × (730 h/month × 3,600 s/h) × 12 months/year = 1,576,800,000 tokens/year"
    ]
    result = evaluate("tokens_a_month", {"rate": "50"}, lib)
    assert result.steps == ["50 tokens/s × (730 h/month × 3,600 s/h) = 131,400,000 tokens/month"]


def test_the_twin_and_the_page_carry_the_steps_as_written(tmp_path: Path) -> None:
    """The JSON twin's steps, its expression trees (no conversion left in the two models)
    and the page agree; an agent recomputes each figure from the twin's trees alone."""
    from twin_evaluator import Twin

    root = write_site(tmp_path, {"content/models/site.yaml": MODELS,
                                 "content/guides/two.md": GUIDE})  # fmt: skip
    result = build_site(root, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    twin = json.loads((root / "site" / "two.cite.json").read_text(encoding="utf-8"))
    steps = {c["model"]: c["steps"] for c in twin["calculations"]}
    assert steps == {
        "solar_generation": ["30 kW × 2.85 h/day × 365 days/year × 0.8 = 24,966 kWh/year"],
        "trailer_break_even": ["£2,400.00 ÷ 8 years ÷ £45.00/day = ≈6.66667 days/year"],
    }
    shown = [n for n in _nodes(twin["models"]) if n.get("op") == "conv" and n.get("text")]
    assert shown == []
    agent = Twin(twin)
    for calc in twin["calculations"]:
        values = {p["name"]: p["value"] for p in calc["params"]}
        given = {p["name"] for p in calc["params"] if p["origin"] == "given"}
        value = agent.evaluate(calc["model"], values, given).value
        assert abs(value - Fraction(repr(calc["value"]))) <= Fraction(1, 10**6)
    page = (root / "site" / "two" / "index.html").read_text(encoding="utf-8")
    assert "8,760" not in page
    assert "30 kW × 2.85 h/day × 365 days/year × 0.8" in page


def _nodes(node: object) -> list[dict[str, object]]:
    """Every dict in the twin's expression trees."""
    if isinstance(node, dict):
        return [node, *(n for value in node.values() for n in _nodes(value))]
    if isinstance(node, list):
        return [n for item in node for n in _nodes(item)]
    return []


def test_the_pages_evaluator_writes_the_same_steps(tmp_path: Path) -> None:
    """The "Try your own numbers" forms (whatif.js, in Chromium) recompute each figure
    from the published trees with the steps `citeguide calc` gives."""
    from chromium import page_figures

    root = write_site(tmp_path, {"content/models/site.yaml": MODELS,
                                 "content/guides/two.md": GUIDE})  # fmt: skip
    assert build_site(root, today=TODAY, use_cache=False).ok
    lib = _library(root)
    cases = [("solar_generation", SOLAR), ("trailer_break_even", TRAILER)]
    figures = page_figures(root / "site", "/two/", cases)
    for (name, raw), figure in zip(cases, figures, strict=True):
        python = evaluate(name, raw, lib, locale="en")
        assert figure["steps"] == python.steps, name
        assert figure["display"] == python.display, name


UPKEEP = """\
upkeep_cost:
  title: Yearly cost of the engineer time to keep clusters up to date
  unit: USD/year
  params:
    upgrades: {unit: 1/year, label: upgrades a year}
    per_upgrade: {unit: h, label: hours an upgrade takes}
    upkeep: {unit: h/month, label: hours of upkeep a month}
    rate: {unit: USD/h, label: engineer hourly cost}
  let:
    hours: {expr: 'upgrades * per_upgrade + upkeep * 12[month/year]', label: hours a year,
            unit: h/year}
  flags:
    busy: {test: 'hours > 900[h/year]', label: more than half an engineer}
  formula: hours * rate
"""
UPKEEP_INPUTS = {"upgrades": "3", "per_upgrade": "28", "upkeep": "7", "rate": "100"}


def _upkeep_library(root: Path, models: str) -> Library:
    write_site(root, {"content/models/ops.yaml": models})
    diags = Diagnostics()
    lib = load_library(root, SiteConfig(currency="USD"), diags)
    assert not diags.has_errors(), diags.render()
    return lib


def _upkeep_site(root: Path) -> Path:
    """A built site whose one guide shows `upkeep_cost`."""
    guide = GUIDE.replace(
        "The array makes [calc: solar_generation size=30 sun_hours=2.85] a year; the trailer "
        "pays\nfor itself at [calc: trailer_break_even price=2400 lifetime=8 hire=45] of hire.",
        "Upkeep costs [calc: upkeep_cost upgrades=3 per_upgrade=28 upkeep=7 rate=100] a year.",
    )
    write_site(root, {"content/models/ops.yaml": UPKEEP, "content/guides/two.md": guide})
    result = build_site(root, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    return root


def test_a_let_value_with_a_unit_is_shown_in_it(tmp_path: Path) -> None:
    """Hours a year are time over time: cancelled, a `let` of them read as a bare
    fraction (`≈0.0191781`, 168 h / 8,760 h), in its steps, its flag and the twin's
    `derived`. Given `unit: h/year` it reads as the author wrote it, with the same
    figure."""
    lib = _upkeep_library(tmp_path / "unit", UPKEEP)
    result = evaluate("upkeep_cost", UPKEEP_INPUTS, lib)
    assert result.steps == [
        "hours a year = 3/year × 28 h + 7 h/month × 12 months/year = 168 h/year",
        "168 h/year × $100.00/h = $16,800.00/year",
        "more than half an engineer: 168 h/year > 900 h/year → no",
    ]
    assert result.derived == {"hours": 168}
    bare = _upkeep_library(tmp_path / "bare", UPKEEP.replace(",\n            unit: h/year", ""))
    cancelled = evaluate("upkeep_cost", UPKEEP_INPUTS, bare)
    assert cancelled.steps[0].endswith("8,760 h/year) = ≈0.0191781")  # 168 / 8,760
    # 3 × 28 + 7 × 12 = 168 hours a year, at $100 an hour: either way.
    assert result.value == cancelled.value == Decimal(168 * 100)


@pytest.mark.parametrize(
    ("unit", "message", "rule", "line"),
    [  # the formula's units at the formula (line 10), an unknown unit at the unit (11)
        ("USD/year", "upkeep_cost: let value hours gives h/year but its unit is USD/year; "
                     "they are different kinds of quantity", "unit-mismatch", 10),
        ("hrs/year", "upkeep_cost: let hours: unit: unknown unit 'hrs'", "unit", 11),
    ],
)  # fmt: skip
def test_a_let_values_unit_is_checked(
    tmp_path: Path, unit: str, message: str, rule: str, line: int
) -> None:
    """A let value's unit is checked as a model's is: the error names the units the
    formula was written in, not the bare number they cancel to."""
    write_site(tmp_path, {"content/models/ops.yaml": UPKEEP.replace("h/year}", f"{unit}}}")})
    diags = Diagnostics()
    load_library(tmp_path, SiteConfig(currency="USD"), diags)
    [problem] = diags.items
    assert problem.rule == rule
    assert message in problem.message
    assert problem.pos.path == "content/models/ops.yaml"
    assert problem.pos.line == line


def test_an_agent_and_the_page_read_a_let_values_unit_from_the_twin(tmp_path: Path) -> None:
    """The twin's tree carries the let's conversion into its unit, so an agent's
    evaluator recomputes the figure; the page shows the let in hours a year."""
    from twin_evaluator import Twin

    root = _upkeep_site(tmp_path)
    twin = json.loads((root / "site" / "two.cite.json").read_text(encoding="utf-8"))
    [calc] = twin["calculations"]
    assert calc["derived"] == {"hours": 168}
    values = {p["name"]: p["value"] for p in calc["params"]}
    value = Twin(twin).evaluate("upkeep_cost", values, set(values)).value
    assert value == Fraction(16800)
    page = (root / "site" / "two" / "index.html").read_text(encoding="utf-8")
    assert "= 168 h/year" in page


def test_the_pages_evaluator_shows_a_let_value_in_its_unit(tmp_path: Path) -> None:
    """The "Try your own numbers" form (whatif.js, in Chromium) writes the let value in
    its unit, as `citeguide calc` does."""
    from chromium import page_figures

    root = _upkeep_site(tmp_path)
    lib = _upkeep_library(root, UPKEEP)
    cases = [("upkeep_cost", {**UPKEEP_INPUTS, "per_upgrade": "40"})]
    [figure] = page_figures(root / "site", "/two/", cases)
    python = evaluate("upkeep_cost", cases[0][1], lib, locale="en")
    assert figure["steps"] == python.steps
    assert python.steps[0].endswith("= 204 h/year")  # 3 × 40 + 7 × 12
    assert figure["display"] == python.display


def test_each_mistake_of_a_model_is_told_at_once(tmp_path: Path) -> None:
    """A stranger's model with a misspelt name in its `require`, a flag that is not true
    or false and a formula in the wrong unit was told one mistake per run; the formula,
    each require and each flag are checked apart."""
    broken = (
        UPKEEP.replace("formula: hours * rate", "formula: hours * rate * 1[h]")
        .replace("  flags:\n", "  require:\n    - {if: 'upgrade > 12[1/year]', error: too many}\n"
                 "  flags:\n")
        .replace("test: 'hours > 900[h/year]'", "test: 'hours * 2'")
    )  # fmt: skip
    write_site(tmp_path, {"content/models/ops.yaml": broken})
    diags = Diagnostics()
    load_library(tmp_path, SiteConfig(currency="USD"), diags)
    told = sorted((d.pos.line, d.rule, d.message.split(": ", 1)[1]) for d in diags.items)
    assert told == [
        (13, "unknown-name", "unknown name 'upgrade'; did you mean 'upgrades'? (not a parameter "
                             "or let value of upkeep_cost)"),
        (15, "model-type", "a flag is true or false"),
        (16, "unit-mismatch", "the formula gives USD h/year but the model's unit is USD/year; "
                              "they are different kinds of quantity"),
    ]  # fmt: skip


def test_a_model_calling_one_that_cannot_be_used_still_tells_its_own_mistakes(
    tmp_path: Path,
) -> None:
    """A stranger's engineer-rate model had an unknown unit; the model calling it, with
    a misspelt name in its `require`, was told nothing of its own until the first was
    fixed. Both are told; the caller still cannot be used."""
    rate = (
        "engineer_rate:\n  title: Loaded hourly cost\n  unit: USD/h/engineer\n"
        "  params:\n    salary: {unit: USD/year, label: salary}\n"
        "  formula: salary / 1800[h/year]\n"
    )
    caller = (
        "upkeep:\n  title: Yearly upkeep\n  unit: USD/year\n"
        "  params:\n    hours: {unit: h/year, label: hours a year}\n"
        "  require:\n    - {if: 'hour > 2000[h/year]', error: more than a person}\n"
        "  formula: hours * engineer_rate(salary=120000[USD/year])\n"
    )
    write_site(tmp_path, {"content/models/ops.yaml": rate + caller})
    diags = Diagnostics()
    lib = load_library(tmp_path, SiteConfig(currency="USD"), diags)
    told = sorted((d.pos.line, d.rule) for d in diags.items)
    assert told == [(3, "unit"), (13, "unknown-name")]
    assert "did you mean 'hours'?" in diags.render()
    assert "upkeep" not in lib.models


def test_a_plain_number_beside_a_ratio_that_cancels_by_name_or_a_share_is_accepted(
    tmp_path: Path,
) -> None:
    """A plain number is refused beside a ratio of named units (`hours * days > 8760`,
    in h/year: the hostile models' case), not beside a ratio whose units cancel by name
    (`demand / capacity > 1`) nor beside a share (`1 - share`, 100% minus the share),
    which mean what they say."""
    root = tmp_path / "site"
    write_site(
        root,
        {
            "content/models/load.yaml": """\
load:
  title: Spare capacity after the busy share
  unit: kWh/year
  params:
    demand: {unit: kWh/year, label: demand}
    capacity: {unit: kWh/year, label: capacity}
    busy: {unit: "%", label: busy share}
  require:
    - if: demand / capacity > 1
      error: the demand is more than the capacity
      param: demand
  formula: capacity * (1 - busy) - demand
""",
        },
    )
    diags = Diagnostics()
    lib = load_library(root, SiteConfig(currency="GBP"), diags)
    assert not diags.has_errors(), diags.render()
    result = evaluate("load", {"demand": "300", "capacity": "1000", "busy": "40"}, lib)
    assert result.value == Decimal(300)  # 1,000 × 60% − 300
    with pytest.raises(CalcError, match="the demand is more than the capacity"):
        evaluate("load", {"demand": "1200", "capacity": "1000", "busy": "40"}, lib)


def test_a_let_value_holding_a_share_is_published_as_its_steps_write_it(
    tmp_path: Path,
) -> None:
    """Found in a stranger test (a bakery's deck oven): interest on the price, `price *
    rate / 2` with the rate in %/year, reads £700.00/year in the steps, but the twin's
    `derived` published 70,000, the number in GBP %/year. It publishes 700 now, as the
    steps write it; a let value in its declared unit is unchanged."""
    root = tmp_path / "site"
    write_site(
        root,
        {
            "content/models/oven.yaml": """\
owning:
  title: Yearly cost of owning an oven
  unit: GBP/year
  params:
    price: {unit: GBP, label: price}
    lifetime: {unit: year, label: lifetime}
    rate: {unit: "%/year", label: interest rate}
  let:
    depreciation: {expr: price / lifetime, unit: GBP/year}
    interest: price * rate / 2
  formula: depreciation + interest
""",
        },
    )
    diags = Diagnostics()
    lib = load_library(root, SiteConfig(currency="GBP"), diags)
    assert not diags.has_errors(), diags.render()
    result = evaluate("owning", {"price": "20000", "lifetime": "10", "rate": "7"}, lib)
    assert "interest = £20,000.00 × 7%/year ÷ 2 = £700.00/year" in result.steps
    assert result.derived == {"depreciation": 2000, "interest": 700}
    assert result.value == Decimal(2700)


def test_a_term_of_a_sum_keeps_the_units_the_author_wrote(tmp_path: Path) -> None:
    """Found in a stranger test (a bakery leasing a deck oven): the second term of a sum,
    kW × h/day × day/year × £/kWh, had its days a year re-expressed in hours to cancel
    the kW's hours, which the sum then undid: `18 kW × 10 h/day × (300 days/year ÷ 8,760
    h/year) × £0.26/kWh × 8,760 kWh/year/kW`. A conversion shown anywhere in the formula,
    not only the last one into the model's unit, now has the formula compiled as
    written too, and the one that writes fewer unit names kept."""
    root = tmp_path / "site"
    write_site(
        root,
        {
            "content/models/lease.yaml": """\
lease_cost:
  title: Yearly cost of leasing an oven, electricity included
  unit: GBP/year
  params:
    monthly: {unit: GBP/month, label: lease a month}
    power: {unit: kW, label: the oven's power}
    hours: {unit: h/day, label: hours baked a day}
    days: {unit: day/year, label: days open a year}
    price: {unit: GBP/kWh, label: electricity price}
  formula: monthly * 12[month/year] + power * hours * days * price
""",
        },
    )
    diags = Diagnostics()
    lib = load_library(root, SiteConfig(currency="GBP"), diags)
    assert not diags.has_errors(), diags.render()
    inputs = {"monthly": "420", "power": "18", "hours": "10", "days": "300", "price": "0.26"}
    result = evaluate("lease_cost", inputs, lib)
    # By hand: 420 × 12 = 5,040; 18 × 10 × 300 × 0.26 = 14,040; 19,080 a year.
    assert result.steps == [
        "£420.00/month × 12 months/year + 18 kW × 10 h/day × 300 days/year × £0.26/kWh"
        " = £19,080.00/year"
    ]
    assert result.value == Decimal(19080)
