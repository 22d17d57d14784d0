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
import re
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
        # A name that is no known unit with a number after it: no power to suggest, and
        # no count unit either (citeguide.toml would refuse the name).
        ("CO2", "unknown unit 'CO2' (docs/models.md, Units, lists the units there are)"),
        # The right unit in the wrong case.
        ("l/100km", "unknown unit 'l'; did you mean L? (units are case-sensitive)"),
        ("kwh", "unknown unit 'kwh'; did you mean kWh?"),
        ("KWh", "unknown unit 'KWh'; did you mean kWh?"),
        ("MWH", "unknown unit 'MWH'; did you mean MWh?"),
        ("gbp/kWh", "unknown unit 'gbp'; did you mean GBP?"),
        ("XYZ", "unknown unit 'XYZ': not an ISO 4217 currency code"),
        # Money in its hundredths, and currency symbols.
        (
            "p/kWh",
            "unknown unit 'p': money is written in whole units of its currency (GBP): "
            "24.5p/kWh is 0.245 GBP/kWh",
        ),
        ("cents/kWh", "24.5 cents/kWh is 0.245 USD/kWh"),
        ("£/L", "unit '£/L': write a currency as its ISO 4217 code (£ is GBP)"),
        ("€/month", "(€ is EUR)"),
        # Nothing near: a count of the site's own, which citeguide.toml accepts (below).
        (
            "furlong",
            "unknown unit 'furlong' (a count of things of your own? declare it in "
            'citeguide.toml: [units] count = ["furlong"])',
        ),
        ("m⁵", "a power is a whole number from -4 to 4"),
        ("m²²", "a power is a whole number from -4 to 4"),
    ],
)
def test_misspelt_powers_say_how(written: str, message: str) -> None:
    with pytest.raises(UnitError) as caught:
        parse_unit(written)
    assert message in str(caught.value)


def test_the_count_unit_advice_is_advice_citeguide_toml_takes(tmp_path: Path) -> None:
    """The hint to declare a count unit is given only for a name `[units] count` accepts,
    and following it makes the unit known."""
    from citeguide.config_file import load_config
    from citeguide.costcore.unit_names import COUNT_NAME
    from citeguide.costcore.units import count_units

    for name in ("furlong", "pallet", "CO2", "m_3", "x"):
        with pytest.raises(UnitError) as caught:
            parse_unit(f"{name}/month")
        advised = "[units] count" in str(caught.value)
        assert advised == bool(re.fullmatch(COUNT_NAME, name)), name
        if advised:
            (tmp_path / "citeguide.toml").write_text(f'[units]\ncount = ["{name}"]\n')
            config = load_config(tmp_path)
            assert parse_unit(f"{name}/month", count_units(config.units.count)).text() == (
                f"{name}/month"
            )


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
