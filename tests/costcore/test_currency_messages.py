"""What an author and a reader are told when a figure needs an exchange rate that
`fx.yaml` does not have.

Found in a stranger test (a café weighing an electric coffee roaster priced in euros
against its energy bills in pounds): the payback model, in years, was refused with `no
exchange rate between EUR and USD in fx.yaml`, and nothing said where USD came from (the
site's `currency`, unset: USD). The message now says in which currency the model is
worked out and why: the currency of its unit, its `currency` parameter, or the site's.
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
from stranger_fixtures import EUR_GBP_FX

ROASTERS = """\
columns:
  price: EUR
  kwh_per_kg: kWh/kg
rows:
  drum-5kg:
    price: 15750
    kwh_per_kg: 1.3
    source: https://www.example.org/roasters/drum-5kg
    date: 2026-11-20
    confidence: medium
"""
PRICES = """\
columns:
  electricity: GBP/kWh
rows:
  uk-2026q4:
    electricity: 0.2703
    source: https://www.example.org/energy-price-cap
    date: 2026-11-25
    confidence: high
"""
MODELS = """\
payback_years:
  title: Years of energy bills a roaster's price is worth
  unit: year
  params:
    roaster: {table: roasters, label: the roaster}
    prices: {table: energy_prices, label: energy prices}
    volume: {unit: kg/year, default: 3000, min: 1, label: coffee roasted a year}
  formula: 'roaster.price / (volume * roaster.kwh_per_kg * prices.electricity)'
price_in:
  title: A roaster's price in another currency
  unit: money
  params:
    roaster: {table: roasters, label: the roaster}
    currency: {type: currency, label: currency}
  formula: 'roaster.price * 1'
"""
GUIDE = """\
---
title: "Is an electric coffee roaster worth its price?"
summary: "In pounds."
published: 2026-05-01
---

The roaster costs [calc: price_in roaster=drum-5kg currency=GBP].
"""


def _site(tmp_path: Path, config: str = "") -> None:
    write_site(tmp_path, {"content/data/roasters.yaml": ROASTERS,
                          "content/data/energy_prices.yaml": PRICES,
                          "content/data/fx.yaml": EUR_GBP_FX, "content/models/roast.yaml": MODELS,
                          "content/guides/roast.md": GUIDE,
                          "citeguide.toml": config})  # fmt: skip


def test_a_missing_rate_says_which_currency_the_model_is_worked_out_in(tmp_path: Path) -> None:
    _site(tmp_path)
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    inputs = {"roaster": "drum-5kg", "prices": "uk-2026q4"}
    with pytest.raises(CalcError) as caught:
        evaluate("payback_years", inputs, lib)
    assert caught.value.message == (
        "no exchange rate between EUR and USD in fx.yaml: payback_years is worked out in "
        "USD, the site's currency (its unit, year, names none; set `currency` in "
        "citeguide.toml)"
    )
    # Set, it converts through the cited row: 15,750 × 0.87 ÷ (3,000 × 1.3 × 0.2703) = 13.0.
    _site(tmp_path, 'currency = "GBP"\n')
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    assert evaluate("payback_years", inputs, lib).display == "13 years"


def test_the_readers_forms_say_the_same_as_calc(tmp_path: Path) -> None:
    from chromium import page_figures

    _site(tmp_path, 'currency = "GBP"\n')
    assert build_site(tmp_path, today=TODAY, use_cache=False).ok
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    refused = {"roaster": "drum-5kg", "currency": "USD"}
    with pytest.raises(CalcError) as caught:
        evaluate("price_in", refused, lib)
    assert caught.value.message == (
        "no exchange rate between EUR and USD in fx.yaml: price_in is worked out in USD, "
        "its currency=USD"
    )
    [figure, refusal] = page_figures(tmp_path / "site", "/roast/",
                                     [("price_in", {"roaster": "drum-5kg", "currency": "GBP"}),
                                      ("price_in", refused)])  # fmt: skip
    assert figure["display"] == "£13,703"  # 15,750 × 0.87 = 13,702.50
    assert refusal == {"refused": caught.value.message}
