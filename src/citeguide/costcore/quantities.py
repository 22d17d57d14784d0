"""Numbers as authors write them (`10M`, `0.75`, `true`) and the units the core works in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

HOURS_PER_MONTH = Decimal(730)
"""8,760 hours a year / 12: the month every calculator uses."""
SECONDS_PER_HOUR = Decimal(3600)
MILLION = Decimal(1_000_000)

_SUFFIXES = {"k": Decimal(10) ** 3, "M": Decimal(10) ** 6, "B": Decimal(10) ** 9}
_NUMBER = re.compile(
    r"^(?P<sign>-?)(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9][0-9_]*(?:\.[0-9]+)?"
    r"|\.[0-9]+)(?P<suffix>[kMB]?)$"
)
"""A comma only groups thousands (`12,000`): `3,5` is no number, never 35."""


def not_a_number(param: str | None, text: str) -> str:
    """The message for `text` that is not a number, with a hint for a decimal comma."""
    comma = re.fullmatch(r"-?[0-9]+,[0-9]+", text.strip())
    hint = (f"a comma groups thousands, as in 12,000: write {text.strip().replace(',', '.')} "
            "for a decimal" if comma else "write 10M, 1.5k, 0.75 or 2B")  # fmt: skip
    return f"{param or 'value'}={text!r} is not a number ({hint})"


class CalcError(ValueError):
    """A calculation that cannot be made; `param` names the offending parameter, if any."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param


GIGA = Decimal(10) ** 9

MAX_VALUE = Decimal(10) ** 18
"""The largest number a calculator accepts: far past any real token volume or price,
well inside what Decimal arithmetic and number formatting handle."""
_MAX_DIGITS = 40


def looks_numeric(text: str) -> bool:
    """True when `text` is written as a number (whether or not it is in range)."""
    return _NUMBER.match(text.strip()) is not None


def parse_number(text: str, param: str | None = None, *, signed: bool = False) -> Decimal:
    """`10M` → 10000000, `1.5k` → 1500, `0.75` → 0.75; commas and underscores allowed;
    a leading `-` only when `signed`."""
    match = _NUMBER.match(text.strip())
    if not match or (match["sign"] and not signed):
        raise CalcError(not_a_number(param, text), param)
    digits = match["num"].replace(",", "").replace("_", "")
    shown = text if len(text) <= 40 else text[:20] + "…" + text[-8:]
    if len(digits) > _MAX_DIGITS:
        raise CalcError(f"{param or 'value'}={shown} has more than {_MAX_DIGITS} digits", param)
    try:
        number = Decimal(digits) * _SUFFIXES.get(match["suffix"], Decimal(1))
    except InvalidOperation:
        raise CalcError(f"{param or 'value'}={shown!r} is not a number", param) from None
    if match["sign"]:
        number = -number
    if abs(number) > MAX_VALUE:
        raise CalcError(
            f"{param or 'value'}={shown} is out of range: at most {MAX_VALUE:,} (a quintillion)",
            param,
        )
    return number


@dataclass(frozen=True)
class Range:
    """A value known only to lie between `low` and `high` (written `a..b`)."""

    low: Decimal
    high: Decimal

    def __str__(self) -> str:
        return f"{self.low.normalize():f}..{self.high.normalize():f}"


def parse_value_text(text: str, param: str | None = None) -> Decimal | Range:
    """A number (`0.2635`, `12k`, `-3`) or a range (`0.24..0.26`)."""
    low, sep, high = text.strip().partition("..")
    if not sep:
        return parse_number(text, param, signed=True)
    a, b = parse_number(low, param, signed=True), parse_number(high, param, signed=True)
    if a > b:
        raise CalcError(f"{param or 'value'}={text}: a range is written low..high", param)
    return Range(a, b) if a != b else a


def parse_bool(text: str, param: str | None = None) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "1"):
        return True
    if lowered in ("false", "no", "0"):
        return False
    raise CalcError(f"{param or 'value'}={text!r} is not true or false", param)


def plain(value: Decimal) -> int | float:
    """A Decimal as a JSON-friendly number: an int when whole, else at most 6 decimals
    (an int when those round it to a whole number: 57,599.99999999… is `57600`, as the
    figure shows it, not `57600.0`), or 6 significant digits where those need more: a
    price of ≈€0.000116667/Wh is `0.000116667`, not `0.000117` (and 1.5e-8 not 0)."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -6 and value.is_finite():
        places = min(-6, value.adjusted() - 5) if value else -6
        value = value.quantize(Decimal(1).scaleb(places))
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def as_text(value: object) -> str:
    """An input value as an author would write it: `true`, `0.75`, `claude-haiku-4.5`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
