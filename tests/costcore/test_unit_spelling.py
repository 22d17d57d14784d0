"""How authors write powers of units: `m^3` (the documented spelling), `m³` and `s⁻¹`
(superscripts, as in print), `m**3` (as in Python and pint) all read the same; `m3`
(UCUM's spelling, a number glued to a name) stays an unknown unit, with a hint that names
the `^` spelling instead of the nearest name (`m`).

The end-to-end case is a guide that has nothing to do with LLMs: a rain tank's yearly
saving on a metered water bill, with a table priced per cubic metre and a roof area in
square metres.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from citeguide.costcore.units import UnitError, parse_unit
from citeguide.engine.builder import build_site
from conftest import TODAY, write_site

SAME = [
    ("m³", "m^3"),
    ("m²", "m^2"),
    ("m**3", "m^3"),
    ("m ** 2", "m^2"),
    ("s⁻¹", "1/s"),
    ("m**-2", "1/m^2"),
    ("W/(m²·K)", "W/(m^2 K)"),
    ("GBP/m³", "GBP/m^3"),
    ("kWh/m²/year", "kWh/m^2/year"),
]


@pytest.mark.parametrize(("written", "documented"), SAME)
def test_powers_read_alike(written: str, documented: str) -> None:
    assert parse_unit(written) == parse_unit(documented)
    assert parse_unit(written).text() == parse_unit(documented).text()


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("m3", "unknown unit 'm3'; did you mean m^3?"),
        ("GBP/m3", "unknown unit 'm3'; did you mean m^3?"),
        ("kWh/m2/year", "unknown unit 'm2'; did you mean m^2?"),
        ("km2", "unknown unit 'km2'; did you mean km^2?"),
        # A name that is no known unit with a number after it: no power to suggest.
        ("CO2", "unknown unit 'CO2' (declare a count unit"),
        ("m⁵", "a power is a whole number from -4 to 4"),
        ("m²²", "a power is a whole number from -4 to 4"),
    ],
)
def test_misspelt_powers_say_how(written: str, message: str) -> None:
    with pytest.raises(UnitError) as caught:
        parse_unit(written)
    assert message in str(caught.value)


def test_a_count_unit_named_with_a_number_is_still_one() -> None:
    """A site that declares `m3` as a count unit of its own gets that unit, not m^3."""
    from citeguide.costcore.units import count_units

    unit = parse_unit("m3/month", count_units(["m3"]))
    assert unit.text() == "m3/month"


TABLE = """\
columns:
  name: text
  price: GBP/m³      # volume charge, per cubic metre
rows:
  metered-2026:
    name: Metered water, 2026-27
    price: 2.41
    source: https://www.example.org/water/charges
    date: 2026-11-20
    confidence: medium
"""
MODEL = """\
tank_saving:
  title: Mains water a rain tank saves in a year
  unit: GBP/year
  params:
    roof: {unit: m², default: 40, label: roof area draining to the tank}
    rain: {unit: m/year, default: 0.6, label: rainfall}
    caught: {unit: "1", default: 0.8, label: share of the rain caught}
    tariff: {table: water, label: water tariff}
  formula: roof * rain * caught * tariff.price
"""
GUIDE = """\
---
title: "Is a rain tank worth it for a house?"
summary: "What a water butt saves on a metered bill."
published: 2026-05-01
---

# Is a rain tank worth it?

A roof of 40 m² under 0.6 m of rain a year, with 80% of it caught, saves
[calc: tank_saving tariff=metered-2026] of mains water a year.
"""


def test_a_rain_tank_priced_per_cubic_metre(tmp_path: Path) -> None:
    write_site(tmp_path, {"content/data/water.yaml": TABLE, "content/models/tank.yaml": MODEL,
                          "content/guides/rain-tank.md": GUIDE})  # fmt: skip
    result = build_site(tmp_path, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    twin = json.loads((tmp_path / "site" / "rain-tank.cite.json").read_text(encoding="utf-8"))
    (calc,) = twin["calculations"]
    # 40 m² × 0.6 m/year × 0.8 = 19.2 m³/year, at 2.41 GBP/m³.
    assert Decimal(str(calc["value"])) == Decimal("40") * Decimal("0.6") * Decimal("0.8") * Decimal(
        "2.41"
    )
    # Written with superscripts, published in the documented spelling.
    assert twin["tables"]["water"]["columns"]["price"]["unit"] == "GBP/m^3"
    assert twin["models"]["tank_saving"]["params"]["roof"]["unit"] == "m^2"
