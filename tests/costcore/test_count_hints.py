"""A result one count away from its model's unit says so.

Found in a stranger test (a tennis club): `fittings * light.power * hours`, with a lamp's
power declared `kW` where it is per fitting, was refused with `the formula gives fitting
kW h/year but the model's unit is kWh/year; they are different kinds of quantity`, and
nothing pointed at the column. The message now says what the count does and how to fix
it; a mismatch of any other kind reads as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from citeguide.config_file import load_config
from citeguide.content.models import load_library
from citeguide.diagnostics import Diagnostics
from conftest import write_site

KIND = "they are different kinds of quantity"


def _errors(tmp_path: Path, unit: str, params: str, formula: str) -> list[str]:
    model = (f"m:\n  title: A figure\n  unit: {unit}\n  params:\n{params}"
             f"  formula: {formula}\n")  # fmt: skip
    write_site(tmp_path, {"content/models/m.yaml": model,
                          "citeguide.toml": '[units]\ncount = ["fitting"]\n'})  # fmt: skip
    diags = Diagnostics()
    load_library(tmp_path, load_config(tmp_path), diags)
    return [d.message for d in diags.items]


@pytest.mark.parametrize(
    ("unit", "params", "formula", "hint"),
    [
        (
            "kWh/year",
            "    fittings: {unit: fitting, label: floodlights}\n"
            "    power: {unit: kW, label: power}\n    hours: {unit: h/year, label: hours}\n",
            "fittings * power * hours",
            "m: the formula gives fitting kW h/year but the model's unit is kWh/year; "
            f"{KIND}; it counts fittings once more than kWh/year does: a parameter or column "
            "given per fitting is declared so (`.../fitting`), or divide by the fittings",
        ),
        (
            "GBP",
            "    price: {unit: GBP/fitting, label: price of one}\n",
            "price",
            f"m: the formula gives GBP/fitting but the model's unit is GBP; {KIND}; it is per "
            "fitting where GBP is not: multiply by the number of fittings",
        ),
        (
            "USD/month",
            "    price: {unit: USD/token, label: price of a token}\n",
            "price * 1[1/month]",
            f"m: the formula gives USD/token/month but the model's unit is USD/month; {KIND}; "
            "it is per token where USD/month is not: multiply by the number of tokens",
        ),
        (
            "kWh/year",
            "    energy: {unit: kWh, label: energy}\n",
            "energy",
            f"m: the formula gives kWh but the model's unit is kWh/year; {KIND}",
        ),
    ],
)
def test_a_count_away_says_how(
    tmp_path: Path, unit: str, params: str, formula: str, hint: str
) -> None:
    assert _errors(tmp_path, unit, params, formula) == [hint]
