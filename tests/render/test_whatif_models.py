"""`whatif.json` holds the models the published guides use, not every model there is.

Found in a stranger test: a site about a school's solar panels and a café's van fetched,
with every page's "Try your own numbers" form, all eleven models of the bundled LLM pack
(74 KB, some 400 mentions of GPUs and tokens) beside its own six (14 KB in all now).
"""

from __future__ import annotations

import json
from pathlib import Path

from citeguide.engine.builder import build_site
from conftest import TODAY, write_site

TABLE = """\
columns:
  price: GBP/kWh
rows:
  school-fixed-2026:
    price: 0.245
    source: https://www.example.org/education-energy-framework/prices
    date: 2026-11-25
    confidence: high
"""
MODELS = """\
solar_generation:
  title: Electricity a rooftop array generates in a year
  unit: kWh/year
  params:
    size: {unit: kW, min: 1, label: array size}
    sun_hours: {unit: h/day, min: 0, max: 24, label: peak sun hours a day}
  formula: size * sun_hours * 365[day/year] * 0.8
solar_saving:
  title: Yearly saving on the school's bill
  unit: GBP/year
  params:
    size: {unit: kW, min: 1, label: array size}
    tariff: {table: tariffs, label: the school's tariff}
  formula: solar_generation(size=size, sun_hours=2.85[h/day]) * tariff.price
unused_model:
  title: A model no guide uses
  unit: GBP
  params:
    x: {unit: GBP, label: an amount}
  formula: x
"""
GUIDE = """\
---
title: "Should a school install solar panels?"
summary: "What a roof array saves a school a year."
published: 2026-05-01
---

# Should a school install solar panels?

A 30 kW array saves [calc: solar_saving size=30 tariff=school-fixed-2026] a year.
"""


def test_whatif_json_holds_the_models_the_guides_use(tmp_path: Path) -> None:
    write_site(tmp_path, {"content/data/tariffs.yaml": TABLE, "content/models/solar.yaml": MODELS,
                          "content/guides/solar.md": GUIDE})  # fmt: skip
    result = build_site(tmp_path, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    data = json.loads((tmp_path / "site" / "whatif.json").read_text(encoding="utf-8"))
    # The model the guide uses, the one it calls, the table they read: no pack model.
    assert sorted(data["models"]) == ["solar_generation", "solar_saving"]
    assert sorted(data["tables"]) == ["tariffs"]
    twin = json.loads((tmp_path / "site" / "solar.cite.json").read_text(encoding="utf-8"))
    assert sorted(data["models"]) == sorted(twin["models"])
    text = json.dumps(data).lower()
    assert "gpu" not in text
    assert "token" not in text
