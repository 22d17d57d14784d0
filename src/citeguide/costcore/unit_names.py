"""What an author is told about a unit name citeguide does not know, and the names
`[units] count` in citeguide.toml accepts for counts of the site's own (`units.py`
checks that one is not a unit already)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection

COUNT_NAME = r"^[A-Za-z][A-Za-z_]{1,30}$"
"""What `[units] count` in citeguide.toml accepts as the name of a count unit: letters
and `_` (`seat`, `node`, `vCPU`, as the bundled `GPU` is written), no digit (`m3` is a
power written without its `^`)."""
_SUBUNITS = {"p": "GBP", "pence": "GBP", "penny": "GBP", "c": None, "ct": None, "cent": None,
             "cents": None}  # fmt: skip
"""Money written in its hundredths: no unit of its own, a currency in whole units."""
_ABBREVIATIONS = {"mo": "month", "mos": "month", "mth": "month", "mths": "month",
                  "mon": "month", "yrs": "year", "hrs": "h", "wk": "week", "wks": "week",
                  "d": "day", "secs": "s", "mins": "min"}  # fmt: skip
"""Abbreviations of times that are not units here, and the unit they stand for: `USD/mo`
was told `did you mean m?`, a metre."""


def unknown_unit(name: str, names: Collection[str], currencies: Collection[str]) -> str:
    """The message for a unit name that is none of `names` (citeguide's units, the site's
    and `money`) nor of `currencies`."""
    if name in _SUBUNITS:
        code = _SUBUNITS[name]
        example = "24.5p/kWh is 0.245 GBP/kWh" if code else "24.5 cents/kWh is 0.245 USD/kWh"
        return (f"unknown unit {name!r}: money is written in whole units of its currency "
                f"({code or 'USD, EUR, ...'}): {example}")  # fmt: skip
    if name in _ABBREVIATIONS:
        return f"unknown unit {name!r}; did you mean {_ABBREVIATIONS[name]}?"
    glued = re.fullmatch(r"(.*[A-Za-z_])([0-9]+)", name)
    same_letters = sorted(n for n in names if n.lower() == name.lower())
    if name.upper() in currencies and name != name.upper():
        same_letters.append(name.upper())
    if re.fullmatch(r"[A-Z]{3}", name) and not same_letters:
        return f"unknown unit {name!r}: not an ISO 4217 currency code"
    if glued and glued[1] in names:
        # `m3`: a power written without its ^ (UCUM's spelling), not a unit of its own.
        return f"unknown unit {name!r}; did you mean {glued[1]}^{glued[2]}?"
    if same_letters:
        # `l`, `kwh`, `KWh`, `gbp`: the right unit in the wrong case.
        return (f"unknown unit {name!r}; did you mean {' or '.join(same_letters)}? (units "
                "are case-sensitive)")  # fmt: skip
    close = difflib.get_close_matches(name, sorted(names), n=1)
    count = re.fullmatch(COUNT_NAME, name)
    declare = f'declare it in citeguide.toml: [units] count = ["{name}"]'
    if close:
        return f"unknown unit {name!r}; did you mean {close[0]}?"
    if count:
        return f"unknown unit {name!r} (a count of things of your own? {declare})"
    return f"unknown unit {name!r} (docs/models.md, Units, lists the units there are)"
