"""Arithmetic in a call's arguments is written in the steps.

Found in a stranger test (a tennis club): `net_cost(..., grant_share=grant / 2)`, half
of a 25% grant, read `cost after grant: 32 fittings × £1,600.00/fitting × (1 − 12.5%)`,
and nothing said where 12.5% came from. The argument's own arithmetic is now a step
under the called model's heading, `cost after grant: share of the cost a grant pays =
25% ÷ 2 = 12.5%`; an argument passed as it is writes none. The readers' forms agree.
"""

from __future__ import annotations

from pathlib import Path

from citeguide.config_file import load_config
from citeguide.content.models import load_library
from citeguide.costcore.evaluate import evaluate
from citeguide.diagnostics import Diagnostics
from citeguide.engine.builder import build_site
from conftest import TODAY, write_site

MODELS = """\
net_cost:
  title: Up-front cost of the new floodlights after a grant
  label: cost after grant
  unit: GBP
  params:
    fittings: {unit: "1", min: 1, label: floodlights at the club}
    price: {unit: GBP, min: 0, label: price of one}
    grant_share: {unit: "%", min: 0, max: 100, default: 0, label: share of the cost a grant pays}
  formula: fittings * price * (1 - grant_share)
half_granted:
  title: Up-front cost with half the grant
  unit: GBP
  params:
    fittings: {unit: "1", min: 1, label: floodlights at the club}
    price: {unit: GBP, min: 0, label: price of one}
    grant: {unit: "%", min: 0, max: 100, label: share a full grant pays}
  formula: net_cost(fittings=fittings, price=price, grant_share=grant / 2)
full_granted:
  title: Up-front cost with the grant
  unit: GBP
  params:
    fittings: {unit: "1", min: 1, label: floodlights at the club}
    price: {unit: GBP, min: 0, label: price of one}
    grant: {unit: "%", min: 0, max: 100, label: share a full grant pays}
  formula: net_cost(fittings=fittings, price=price, grant_share=grant)
"""
GUIDE = """\
---
title: "Is half a grant enough?"
summary: "Half a grant still helps."
published: 2026-05-01
---

With half the grant the lights cost [calc: half_granted fittings=32 price=1600 grant=25];
with all of it [calc: full_granted fittings=32 price=1600 grant=25].
"""


def _site(tmp_path: Path) -> None:
    write_site(tmp_path, {"content/models/lights.yaml": MODELS, "content/guides/g.md": GUIDE,
                          "citeguide.toml": 'currency = "GBP"\n'})  # fmt: skip


def test_an_arguments_arithmetic_is_a_step(tmp_path: Path) -> None:
    _site(tmp_path)
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    inputs = {"fittings": "32", "price": "1600", "grant": "25"}
    half = evaluate("half_granted", dict(inputs), lib)
    # 32 × 1,600 × (1 − 12.5%) = 44,800.
    assert half.steps == [
        "cost after grant: share of the cost a grant pays = 25% ÷ 2 = 12.5%",
        "cost after grant: 32 × £1,600.00 × (1 − 12.5%) = £44,800.00",
    ]
    full = evaluate("full_granted", dict(inputs), lib)
    assert full.steps == ["cost after grant: 32 × £1,600.00 × (1 − 25%) = £38,400.00"]


def test_the_readers_forms_write_it_too(tmp_path: Path) -> None:
    from chromium import page_figures

    _site(tmp_path)
    assert build_site(tmp_path, today=TODAY, use_cache=False).ok
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    cases = [("half_granted", {"fittings": "10", "price": "1500", "grant": "30"}),
             ("full_granted", {"fittings": "10", "price": "1500", "grant": "30"})]  # fmt: skip
    for (name, inputs), figure in zip(cases, page_figures(tmp_path / "site", "/g/", cases),
                                      strict=True):  # fmt: skip
        expected = evaluate(name, dict(inputs), lib)
        assert (figure["display"], figure["steps"]) == (expected.display, expected.steps)
