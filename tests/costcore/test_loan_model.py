"""A loan's monthly repayment, written as a stranger wrote it (a café deciding whether to
lease or buy its van): an annuity with a negative exponent, a `require`, a flag that calls
the model again, a rate per year turned into a count of payments, and `when: true`.

Found on the way: `when: true` was refused (`Input should be a valid string`: YAML reads
it as a boolean, and a formula is text); the flag's second call of the model wrote its
four lines of arithmetic twice; `loan.years * 12[1/year]` was shown `5 years × 12 1/year`.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from citeguide.config import SiteConfig
from citeguide.content.models import load_library
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.library import Library
from citeguide.costcore.units import count_units, parse_unit, relabels
from citeguide.diagnostics import Diagnostics
from citeguide.engine.builder import build_site
from conftest import TODAY, write_site

VANS = """\
columns:
  price: GBP
  lease: GBP/month
rows:
  transit-custom:
    price: 38500
    lease: 420..480
    source: https://www.example.org/vans/transit-custom
    date: 2026-10-02
    confidence: medium
"""
LOANS = """\
columns:
  apr: "%/year"
  years: year
rows:
  bank-5y:
    apr: 7.9
    years: 5
    source: https://www.example.org/bank/business-loans
    date: 2026-11-01
    confidence: high
"""
MODELS = """\
loan_payment:
  title: Monthly repayment of a loan to buy the van
  unit: GBP/month
  params:
    van: {table: vans, label: the van}
    loan: {table: loans, label: the loan}
    deposit: {unit: GBP, default: 0, min: 0, label: deposit}
  let:
    principal: {expr: van.price - deposit, label: amount borrowed}
    rate: {expr: 'loan.apr * 1[year] / 12', label: monthly interest rate}
    months: {expr: 'loan.years * 12[1/year]', label: number of payments}
  formula: principal * rate / (1 - (1 + rate) ^ (-months)) / 1[month]
  require:
    - {if: deposit > van.price, error: "the deposit {deposit} is more than the van costs"}
buy_or_lease:
  title: Monthly saving from leasing instead of buying with a loan
  unit: GBP/month
  params:
    van: {table: vans}
    loan: {table: loans}
    deposit: {unit: GBP, default: 0}
  formula: loan_payment(van=van, loan=loan, deposit=deposit) - van.lease
  flags:
    lease_cheaper:
      test: van.lease < loan_payment(van=van, loan=loan, deposit=deposit)
      when: true
      label: leasing costs less a month
"""
GUIDE = """\
---
title: "Lease or buy the café's van?"
summary: "Leasing costs less a month than a five-year loan."
published: 2026-05-01
---

A loan costs [calc: loan_payment van=transit-custom loan=bank-5y] a month; with a £5,000
deposit, leasing saves [calc: buy_or_lease van=transit-custom loan=bank-5y deposit=5000].
"""


def _library(root: Path) -> Library:
    write_site(root, {"content/data/vans.yaml": VANS, "content/data/loans.yaml": LOANS,
                      "content/models/vans.yaml": MODELS})  # fmt: skip
    diags = Diagnostics()
    lib = load_library(root, SiteConfig(currency="GBP"), diags)
    assert not diags.items, diags.render()
    return lib


def _annuity(principal: int, apr: Fraction, payments: int) -> Fraction:
    rate = apr / 100 / 12
    return principal * rate / (1 - 1 / (1 + rate) ** payments)


def test_the_repayment_is_the_annuity_by_hand(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    result = evaluate("loan_payment", {"van": "transit-custom", "loan": "bank-5y"}, lib)
    by_hand = _annuity(38500, Fraction("7.9"), 60)  # 778.7999... a month
    assert abs(Fraction(result.value) - by_hand) < Fraction(1, 10**20)
    assert result.display == "£779"
    assert result.steps == [
        "amount borrowed = £38,500.00 − £0.00 = £38,500.00",
        "monthly interest rate = 7.9%/year × 1 year ÷ 12 = ≈0.658333%",
        "number of payments = 5 years × 12/year = 60",
        "£38,500.00 × ≈0.658333% ÷ (1 − (1 + ≈0.658333%)^(−60)) ÷ 1 month = ≈£778.7999/month",
    ]


def test_a_flag_that_calls_the_model_again_writes_its_arithmetic_once(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    raw = {"van": "transit-custom", "loan": "bank-5y", "deposit": "5000"}
    result = evaluate("buy_or_lease", raw, lib)
    assert len(result.steps) == len(set(result.steps)) == 7, result.steps
    assert result.steps[-1] == (
        "leasing costs less a month: £450.00/month < ≈£677.6571/month → yes"
    )
    assert result.flags == {"lease_cheaper": True}
    low, high = (
        _annuity(33500, Fraction("7.9"), 60) - 480,
        _annuity(33500, Fraction("7.9"), 60) - 420,
    )
    assert abs(Fraction(result.low) - low) < Fraction(1, 10**20)
    assert abs(Fraction(result.high) - high) < Fraction(1, 10**20)


def test_the_readers_forms_write_the_same_arithmetic(tmp_path: Path) -> None:
    """The page's evaluator (whatif.js, in Chromium) writes each line once too, and
    `12/year`; its figures and steps are `citeguide calc`'s."""
    from chromium import page_figures

    lib = _library(tmp_path)
    write_site(tmp_path, {"content/guides/van.md": GUIDE})
    result = build_site(tmp_path, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    twin = json.loads((tmp_path / "site" / "van.cite.json").read_text(encoding="utf-8"))
    assert [len(c["steps"]) for c in twin["calculations"]] == [4, 7]
    cases = [
        ("loan_payment", {"van": "transit-custom", "loan": "bank-5y", "deposit": "2500"}),
        ("buy_or_lease", {"van": "transit-custom", "loan": "bank-5y", "deposit": "5000"}),
    ]
    figures = page_figures(tmp_path / "site", "/van/", cases)
    for (name, raw), figure in zip(cases, figures, strict=True):
        python = evaluate(name, raw, lib, locale="en")
        assert (figure["display"], figure["steps"]) == (python.display, python.steps)


def test_only_a_one_that_says_what_is_counted_is_left_out_of_the_steps() -> None:
    """`1[input_token/token]` relabels a count and is left out of a product's steps;
    `1[year]`, `1[month]`, `1[year/month]` (12) and `1[%]` (0.01) are values and are
    shown: `7.9 %/year ÷ 12 = 0.658333%` read as if a rate a year divided by 12 were a
    plain percentage, and `1[year/month]` was hidden though it multiplies by 12."""
    extra = count_units(["seat", "node"])
    for text in ("input_token/token", "token/output_token", "GPU", "seat/node"):
        assert relabels(parse_unit(text, extra)), text
    for text in ("year", "month", "year/month", "%", "1M token/GPU", "GBP", "kWh/day"):
        assert not relabels(parse_unit(text, extra)), text
