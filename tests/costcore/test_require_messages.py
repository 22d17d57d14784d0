"""The values a `require` message names are written as a reader reads a figure, not with
every digit the steps keep.

Found in a stranger test (a community pool weighing a slatted cover): a `require` whose
message named a `let` in pounds a year read `the loan costs -£720.5016/year`. An amount
is now written as the page writes one (`-£721/year`, whole pounds from 100 up, pence
below), any other number with at most four decimals, and the readers' forms say the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from citeguide.config_file import load_config
from citeguide.content.models import load_library
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.quantities import CalcError
from citeguide.diagnostics import Diagnostics
from citeguide.engine.builder import build_site
from conftest import TODAY, write_site

MODELS = """\
cover_payback:
  title: Years for a pool cover to pay for itself out of a loan
  unit: year
  params:
    price: {unit: GBP, min: 0, default: 18000, label: the cover's price}
    saving: {unit: GBP/year, min: 0, default: 700, label: heating saved a year}
    repayment: {unit: GBP/year, min: 0, default: 1420.5016, label: loan repayments a year}
    loss: {unit: "%", min: 0%, max: 100%, default: 37.123456%, label: heat lost uncovered}
    hours: {unit: h/day, min: 0, max: 24, default: 9, label: hours open a day}
  let:
    net:
      expr: saving - repayment
      unit: GBP/year
      label: saving left after repayments
    closed:
      expr: 24[h/day] - hours
      label: hours closed a day
  formula: price / saving
  require:
    - if: net < 0[GBP/year]
      error: "the loan costs {net} more than the cover saves (heat loss {loss}, closed {closed})"
      param: repayment
    - if: price / saving > 1000[year]
      error: "a saving of {saving} never repays {price}"
      param: saving
"""
GUIDE = """\
---
title: "Should a community pool buy a slatted cover?"
summary: "Only when the heating it saves repays the loan."
published: 2026-05-01
---

It repays in [calc: cover_payback repayment=600].
"""


def _site(tmp_path: Path) -> None:
    write_site(tmp_path, {"content/models/pool.yaml": MODELS,
                          "content/guides/pool.md": GUIDE,
                          "citeguide.toml": 'currency = "GBP"\n'})  # fmt: skip


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (
            {},
            "the loan costs -£721/year more than the cover saves (heat loss 37.1235%, "
            "closed 15 h/day)",
        ),
        (
            {"saving": "12.345678", "repayment": "0"},
            "a saving of £12.35/year never repays £18,000",
        ),
        (
            {"hours": "7.333333333", "repayment": "750.5"},
            "the loan costs -£50.50/year more than the cover saves (heat loss 37.1235%, "
            "closed 16.6667 h/day)",
        ),
    ],
)
def test_a_refusal_writes_its_values_as_figures(
    tmp_path: Path, inputs: dict[str, str], message: str
) -> None:
    _site(tmp_path)
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    with pytest.raises(CalcError) as caught:
        evaluate("cover_payback", inputs, lib)
    assert caught.value.message == message


def test_the_readers_forms_write_the_same_refusal(tmp_path: Path) -> None:
    from chromium import page_figures

    _site(tmp_path)
    assert build_site(tmp_path, today=TODAY, use_cache=False).ok
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    asked = [{}, {"saving": "12.345678", "repayment": "0"},
             {"hours": "7.333333333", "repayment": "750.5"}]  # fmt: skip
    expected = []
    for inputs in asked:
        with pytest.raises(CalcError) as caught:
            evaluate("cover_payback", dict(inputs), lib)
        expected.append({"refused": caught.value.message})
    found = page_figures(tmp_path / "site", "/pool/", [("cover_payback", i) for i in asked])
    assert found == expected
