"""A `let` declared in one currency that holds another is converted into it.

Found in a stranger test (a dental practice leasing or buying an intraoral scanner priced
in euros, the site in pounds): `financed: {expr: 'scanner.price * (1 - deposit)', unit:
GBP}` was shown as `€21,150.00` and published in the twin's `derived` as 21150 under a
unit in pounds. Like a model's result, which is converted into its unit's currency, the
value is now converted through the cited row of fx.yaml, with the conversion in the steps;
without a rate the figure is refused, and the message says which `let` asked for it.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from citeguide.config_file import load_config
from citeguide.content.models import load_library
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.quantities import CalcError
from citeguide.diagnostics import Diagnostics
from citeguide.engine.builder import build_site
from conftest import TODAY, write_site
from stranger_fixtures import EUR_GBP_FX

SCANNERS = """\
columns:
  name: text
  price: EUR
rows:
  trios-5:
    name: Intraoral scanner
    price: 23500
    source: https://www.example.org/scanners/trios-5
    date: 2026-11-20
    confidence: medium
"""
MODELS = """\
lease_months:
  title: Months of lease payments the financed part of a scanner is worth
  unit: month
  params:
    scanner: {table: scanners, label: the scanner}
    deposit: {unit: "%", min: 0, max: 100, default: 10%, label: deposit paid}
    lease: {unit: GBP/month, min: 1, default: 590, label: monthly lease}
  let:
    financed:
      expr: scanner.price * (1 - deposit)
      unit: GBP
      label: amount financed
  formula: financed / lease
"""
GUIDE = """\
---
title: "Should a dental practice lease or buy its scanner?"
summary: "Buying pays off after a few years of lease payments."
published: 2026-05-01
---

Buying is worth [calc: lease_months scanner=trios-5] of lease payments.
"""


def _site(tmp_path: Path, fx: bool = True) -> None:
    files = {"content/data/scanners.yaml": SCANNERS, "content/models/lease.yaml": MODELS,
             "content/guides/lease.md": GUIDE, "citeguide.toml": 'currency = "GBP"\n'}  # fmt: skip
    if fx:
        files["content/data/fx.yaml"] = EUR_GBP_FX
    write_site(tmp_path, files)


def test_a_let_in_pounds_holding_euros_is_converted(tmp_path: Path) -> None:
    _site(tmp_path)
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    result = evaluate("lease_months", {"scanner": "trios-5"}, lib)
    # 23,500 × 0.9 = €21,150; × 0.87 = £18,400.50; ÷ £590/month = 31.19 months.
    assert result.derived["financed"] == Decimal("18400.5")
    assert result.display == "31.2 months"
    assert "amount financed = €21,150.00 × 0.87 GBP/EUR (eur-gbp, 2026-11-28) = £18,400.50" in (
        result.steps
    )
    assert [use.id for use in result.fx] == ["eur-gbp"]


def test_without_a_rate_the_let_is_named(tmp_path: Path) -> None:
    _site(tmp_path, fx=False)
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    with pytest.raises(CalcError) as caught:
        evaluate("lease_months", {"scanner": "trios-5"}, lib)
    assert caught.value.message == (
        "no exchange rate between EUR and GBP in fx.yaml: amount financed is declared in GBP"
    )


def test_the_readers_forms_convert_it_too(tmp_path: Path) -> None:
    from chromium import page_figures

    _site(tmp_path)
    assert build_site(tmp_path, today=TODAY, use_cache=False).ok
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    asked = [{"scanner": "trios-5"}, {"scanner": "trios-5", "deposit": "25%", "lease": "640"}]
    [first, second] = page_figures(tmp_path / "site", "/lease/",
                                   [("lease_months", dict(a)) for a in asked])  # fmt: skip
    for found, inputs in zip([first, second], asked, strict=True):
        expected = evaluate("lease_months", dict(inputs), lib)
        assert (found["display"], found["steps"]) == (expected.display, expected.steps)


def test_an_agent_reading_the_twin_converts_it_as_well(tmp_path: Path) -> None:
    import json

    from twin_evaluator import Twin

    _site(tmp_path)
    assert build_site(tmp_path, today=TODAY, use_cache=False).ok
    twin = json.loads((tmp_path / "site" / "lease.cite.json").read_text(encoding="utf-8"))
    [let] = twin["models"]["lease_months"]["lets"]
    assert let["currency"] == "GBP"
    [calc] = twin["calculations"]
    values = {p["name"]: p["value"] for p in calc["params"]}
    given = {p["name"] for p in calc["params"] if p["origin"] == "given"}
    assert calc["derived"] == {"financed": 18400.5}  # pounds, as its unit says; not 21,150
    assert Twin(twin).evaluate("lease_months", values, given).value == Fraction(184005, 5900)
