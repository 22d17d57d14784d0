"""The steps of a model that calls another one twice, a scenario against another.

Found in a stranger test (a café's gas roaster against an electric one, the yearly saving
as one energy-cost model called with `electric=false` and with `electric=true`): both
calls' lines began `Yearly energy cost of roasting:`, so a reader could not tell the gas
bill from the electric one. A call's lines now name the rows and flags it passes as
written: `Yearly energy cost of roasting (electric roaster: false): ...`.
"""

from __future__ import annotations

from pathlib import Path

from citeguide.config_file import load_config
from citeguide.content.models import load_library
from citeguide.costcore.evaluate import evaluate
from citeguide.diagnostics import Diagnostics
from citeguide.engine.builder import build_site
from conftest import TODAY, write_site

FILES = {
    "content/data/roasters.yaml": """\
columns:
  gas_use: kWh/kg
  electric_use: kWh/kg
rows:
  drum-5kg:
    gas_use: 1.9
    electric_use: 1.3
    source: https://www.example.org/roasters/drum-5kg
    date: 2026-11-20
    confidence: medium
""",
    "content/data/energy_prices.yaml": """\
columns:
  gas: GBP/kWh
  electricity: GBP/kWh
rows:
  cap-2026q4:
    gas: 0.0634
    electricity: 0.0703
    source: https://www.example.org/energy-price-cap
    date: 2026-11-25
    confidence: high
""",
    "content/models/roast.yaml": """\
energy_cost:
  title: Yearly energy cost of roasting
  unit: GBP/year
  params:
    roaster: {table: roasters, label: the roaster}
    prices: {table: energy_prices, label: energy prices}
    volume: {unit: kg/year, default: 3120, min: 1, label: coffee roasted a year}
    electric: {type: bool, default: true, label: electric roaster}
  formula: >-
    if(electric, volume * roaster.electric_use * prices.electricity,
    volume * roaster.gas_use * prices.gas)
saving:
  title: What an electric roaster saves a year
  unit: GBP/year
  params:
    roaster: {table: roasters, label: the roaster}
    volume: {unit: kg/year, default: 3120, min: 1, label: coffee roasted a year}
  formula: >-
    energy_cost(roaster=roaster, prices='cap-2026q4', volume=volume, electric=false)
    - energy_cost(roaster=roaster, prices='cap-2026q4', volume=volume, electric=true)
""",
    "content/guides/roast.md": """\
---
title: "Does an electric coffee roaster save on energy?"
summary: "About £90 a year."
published: 2026-05-01
---

It saves [calc: saving roaster=drum-5kg] a year.
""",
}


def test_two_calls_of_one_model_read_apart(tmp_path: Path) -> None:
    from chromium import page_figures

    write_site(tmp_path, FILES)
    result = build_site(tmp_path, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    found = evaluate("saving", {"roaster": "drum-5kg"}, lib)
    # By hand: 3,120 × 1.9 × 0.0634 = 375.8352; 3,120 × 1.3 × 0.0703 = 285.1368.
    assert found.steps == [
        "Yearly energy cost of roasting (electric roaster: false, energy prices: cap-2026q4): "
        "3,120 kg/year × 1.9 kWh/kg × £0.0634/kWh = £375.8352/year",
        "Yearly energy cost of roasting (electric roaster: true, energy prices: cap-2026q4): "
        "3,120 kg/year × 1.3 kWh/kg × £0.0703/kWh = £285.1368/year",
        "£375.8352/year − £285.1368/year = £90.6984/year",
    ]
    cases = [("saving", {"roaster": "drum-5kg"}), ("saving", {"roaster": "drum-5kg",
                                                               "volume": "5000"})]  # fmt: skip
    for (name, raw), figure in zip(cases, page_figures(tmp_path / "site", "/roast/", cases),
                                   strict=True):  # fmt: skip
        python = evaluate(name, raw, lib, locale="en")
        assert (figure["display"], figure["steps"]) == (python.display, python.steps)
