"""The JSON twin read by an agent that follows docs/twin.md literally (round 3, as an
agent): every field an evaluator reads is documented, `derived` says its units, and a
table names a currency column only when it has one."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from citeguide.engine.builder import build_site
from conftest import REPO, TODAY, write_site

DOC = REPO / "docs" / "twin.md"
SCHEMA = REPO / "schemas" / "cite.schema.json"

BIKES = """\
columns:
  price: EUR
  lifetime: year
rows:
  city:
    price: 2340
    lifetime: 8
    source: https://www.example.org/bikes
    date: 2026-11-20
    confidence: medium
"""
FX = """\
gbp-eur:
  base: GBP
  quote: EUR
  rate: 1.17
  source: https://www.example.org/fx
  date: 2026-11-25
  confidence: high
"""
MODELS = """\
bike_cost:
  title: Yearly cost of an e-bike, financed
  unit: GBP/year
  params:
    bike: {table: bikes, label: the e-bike}
    rate: {unit: "%/year", min: 0, max: 30, default: 7, label: interest rate}
  let:
    interest: {expr: bike.price * rate / 2, label: interest a year, unit: GBP/year}
    depreciation: bike.price / bike.lifetime
  formula: depreciation + interest
"""
GUIDE = """\
---
title: "What does an e-bike cost a year?"
summary: "About [calc: bike_cost bike=city] a year."
published: 2026-12-01
---

## What does it cost?

A city e-bike costs [calc: bike_cost bike=city] a year.
"""


def _twin(tmp_path: Path, files: dict[str, str], slug: str) -> dict[str, Any]:
    root = write_site(tmp_path / "s", files)
    if "content/data/fx.yaml" not in files:  # the bundled site's tables
        shutil.copytree(REPO / "content" / "data", root / "content" / "data")
    result = build_site(root, today=TODAY, use_cache=False)
    assert result.ok, result.diagnostics.render()
    data: dict[str, Any] = json.loads((root / f"site/{slug}.cite.json").read_text("utf-8"))
    return data


def test_derived_numbers_say_their_units_and_currencies(tmp_path: Path) -> None:
    """`derived` published bare numbers, "in its units": an agent read `depreciation: 292.5`
    as pounds (the model is in GBP/year) when it is euros a year (the row is priced in
    euros, and the let declares no unit), and the LLM pack's `api: 120` against its tree's
    unit, `money/1M months`, was a million times off. `derived_units` names each one."""
    twin = _twin(
        tmp_path,
        {
            "content/data/bikes.yaml": BIKES,
            "content/data/fx.yaml": FX,
            "content/models/bike.yaml": MODELS,
            "content/guides/bike.md": GUIDE,
        },
        "bike",
    )
    calc = twin["calculations"][0]
    assert calc["derived"] == {"depreciation": 292.5, "interest": 70}
    assert calc["derived_units"] == {"depreciation": "EUR/year", "interest": "GBP/year"}
    # The number is the let's value in its tree unit times that unit's `fold`.
    model = twin["models"]["bike_cost"]
    interest = next(let for let in model["lets"] if let["name"] == "interest")
    assert interest["expr"]["args"][0]["unit"] == "EUR %/year"  # the conv's operand
    assert model["units"]["EUR %/year"]["fold"] == "1/100"
    assert interest["currency"] == "GBP"  # 81.90 EUR/year converted: 81.9 / 1.17 = 70


def test_the_llm_packs_derived_values_are_in_the_units_the_steps_write(tmp_path: Path) -> None:
    body = (
        "---\ntitle: T\nsummary: S.\npublished: 2026-01-01\n---\n\n## What does it cost?\n\n"
        "A hybrid costs [calc: hybrid_cost tokens=100M local_share=0.8"
        " local_monthly=1500 model=claude-haiku-4.5] a month.\n"
    )
    twin = _twin(tmp_path, {"content/guides/t.md": body}, "t")
    calc = twin["calculations"][0]
    assert calc["derived_units"]["api"] == "USD/month"
    assert calc["derived"]["api"] == 40  # 20M tokens × $2.00/1M tokens, not 40,000,000
    assert any(step.endswith("= $40.00/month") for step in calc["steps"])


def test_a_table_names_a_currency_column_only_when_it_has_one(tmp_path: Path) -> None:
    """Every bundled table published `currency_column: "currency"`, also fx, hardware and
    throughput, which have no such column: an agent looking the column up found none."""
    body = (
        "---\ntitle: T\nsummary: S.\npublished: 2026-01-01\n---\n\n## Will it serve?\n\n"
        "Break-even is [calc: breakeven_tokens gpu_hourly=h100-sxm-rental-lambda gpus=2"
        " model=claude-haiku-4.5 tokens_per_second=llama-3.3-70b-fp8-2xh100] a month.\n"
    )
    twin = _twin(tmp_path, {"content/guides/t.md": body}, "t")
    tables = twin["tables"]
    assert {"fx", "gpu_prices", "api_prices", "throughput"} <= set(tables)
    for name, table in tables.items():
        column = table.get("currency_column")
        assert column is None or column in table["columns"], (name, column)
    assert tables["gpu_prices"]["currency_column"] == "currency"
    assert "currency_column" not in tables["fx"]


_EVALUATOR_DEFS = (
    "TwinModel", "TwinParam", "TwinLet", "TwinExpr", "TwinRequire", "TwinFlag", "TwinTable",
    "TwinColumn", "TwinRow", "TwinUnitText", "TwinCalculation", "TwinDriver", "TwinFx",
)  # fmt: skip


def test_the_docs_name_every_field_an_evaluator_reads() -> None:
    """docs/twin.md never said what `models[].units` (`fold`, `tail`, `one`, `many`) or a
    table's rows (`values`, `urls`, `absent`) hold, nor a require's `blame`: an agent
    following it could not relate `derived` to the trees. Every property of the schema's
    definitions that an evaluator reads is named, in backticks, in the prose."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    prose = re.sub(r"```.*?```", "", DOC.read_text(encoding="utf-8"), flags=re.S)
    named = {w for span in re.findall(r"`([^`]+)`", prose) for w in re.findall(r"\w+", span)}
    missing = {
        name: [p for p in schema["$defs"][name]["properties"] if p not in named]
        for name in _EVALUATOR_DEFS
    }
    assert {k: v for k, v in missing.items() if v} == {}


def test_a_later_minor_version_validates_against_the_published_schema(tmp_path: Path) -> None:
    """The versioning rule promises that a 2.2 twin validates against the 2.1 schema, but
    the schema pinned `schema_version` to `const: "2.1"`: an agent holding the 2.1
    schema refused every newer twin. Any 2.x validates; 3.0 and `2` do not."""
    import jsonschema

    from citeguide.render.twin import index_schema, twin_schema

    root = tmp_path / "s"
    shutil.copytree(REPO / "content", root / "content")
    assert build_site(root, today=TODAY).ok
    twin = json.loads((root / "site/model-size-for-one-gpu.cite.json").read_text("utf-8"))
    index = json.loads((root / "site/cite-index.json").read_text("utf-8"))
    for schema, data in ((twin_schema(), twin), (index_schema(), index)):
        validator = jsonschema.Draft202012Validator(schema)
        for version, ok in (("2.1", True), ("2.2", True), ("2.17", True), ("3.0", False),
                            ("2", False), ("1.2", False)):  # fmt: skip
            errors = list(validator.iter_errors({**data, "schema_version": version}))
            assert (errors == []) is ok, (version, [e.message for e in errors])


def test_a_small_figure_keeps_six_significant_digits(tmp_path: Path) -> None:
    """Numbers were cut to six decimals: a price per watt-hour of ≈€0.0001167 was
    published as `0.000117` (0.3% off, where docs promise a millionth), and a price per
    token such as $1.5e-8 as `0`. A number below 0.1 keeps six significant digits."""
    tariffs = (
        "columns:\n  price: EUR/kWh\nrows:\n  de:\n    price: 0.35\n"
        "    source: https://www.example.org/tariff\n    date: 2026-11-25\n"
        "    confidence: high\n"
    )
    models = (
        "per_wh:\n  title: A third of the price of a watt-hour\n  unit: EUR/Wh\n"
        "  params:\n    tariff: {table: tariffs, label: tariff}\n"
        "  formula: tariff.price / 3\n"
        "per_mwh_token:\n  title: Price per token at a microwatt-hour a token\n"
        "  unit: EUR/token\n  params:\n    tariff: {table: tariffs, label: tariff}\n"
        "  formula: 'tariff.price * 0.000043[kWh/token]'\n"
    )
    guide = (
        "---\ntitle: T\nsummary: S.\npublished: 2026-01-01\n---\n\n## What does it cost?\n\n"
        "A watt-hour costs [calc: per_wh tariff=de] and a token"
        " [calc: per_mwh_token tariff=de].\n"
    )
    twin = _twin(
        tmp_path,
        {
            "content/data/tariffs.yaml": tariffs,
            "content/data/fx.yaml": FX,
            "content/models/m.yaml": models,
            "content/guides/t.md": guide,
        },
        "t",
    )
    values = {c["model"]: c["value"] for c in twin["calculations"]}
    assert values == {"per_wh": 0.000116667, "per_mwh_token": 0.00001505}
