"""Display text for computed values, with babel: `£1,500`, `$14.50`, `1.03 billion tokens`."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_compact_decimal, format_currency, format_decimal


def money(amount: Decimal, currency: str, locale: str = "en") -> str:
    """Whole units from 100 up (`£1,500`), cents below (`$14.50`), more digits below 1 cent;
    a negative amount the same way (`-£50.89`)."""
    if amount < 0:
        return "-" + money(-amount, currency, locale)
    if amount >= 100:
        rounded = amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return format_currency(
            rounded, currency, format="¤#,##0", locale=locale, currency_digits=False
        )
    if amount == 0 or amount >= Decimal("0.01"):
        rounded = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return format_currency(rounded, currency, locale=locale)
    return format_currency(
        amount, currency, format="¤#,##0.####", locale=locale, currency_digits=False
    )


def count(value: Decimal, locale: str = "en") -> str:
    """Three significant figures in words: `1.03 billion`, `152 million`, `48,000`."""
    if value < 100_000:
        return format_decimal(value.quantize(Decimal(1), rounding=ROUND_HALF_UP), locale=locale)
    magnitude = len(str(int(value))) - 1
    digits = max(0, 2 - magnitude % 3)
    return format_compact_decimal(value, format_type="long", locale=locale, fraction_digits=digits)


def tokens(value: Decimal, locale: str = "en") -> str:
    return f"{count(value, locale)} tokens"


def share(value: Decimal, locale: str = "en") -> str:
    return format_decimal(value, format="#,##0.#%", locale=locale)


def gigabytes(value: Decimal, locale: str = "en") -> str:
    """`168 GB`, `16.8 GB`, `4.2 GB`: three significant figures."""
    if value >= 100:
        number = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    elif value >= 10:
        number = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    else:
        number = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{format_decimal(number, locale=locale)} GB"


def exact_money(amount: Decimal, currency: str, locale: str = "en") -> str:
    """Cents always (`$1,817.70`), more digits below a cent: for showing arithmetic."""
    if amount != 0 and abs(amount) < Decimal("0.01"):
        return format_currency(
            amount, currency, format="¤#,##0.######", locale=locale, currency_digits=False
        )
    rounded = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format_currency(rounded, currency, format="¤#,##0.00", locale=locale,
                           currency_digits=False)  # fmt: skip


def number(value: Decimal, locale: str = "en") -> str:
    """A plain number with grouping and at most four decimals: `2,102.5`, `0.75`."""
    return format_decimal(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize(),
                          format="#,##0.####", locale=locale)  # fmt: skip


def number_exact(value: Decimal, locale: str = "en") -> str:
    """Every digit of `value`, grouped: `12,000`, `0.2635`, `1,817,700,000`."""
    return format_decimal(value, format="#,##0.##################", locale=locale)


def money_exact(amount: Decimal, currency: str, locale: str = "en") -> str:
    """Every digit of an amount, at least cents: `£0.60`, `£0.2635`, `$1,817.70`."""
    return format_currency(amount, currency, format="¤#,##0.00################", locale=locale,
                           currency_digits=False)  # fmt: skip


def significant(value: Decimal, digits: int = 3, locale: str = "en") -> str:
    """`digits` significant figures below 10^digits (`37.8`, `0.0629`), whole above."""
    if value == 0:
        return "0"
    if abs(value) >= Decimal(10) ** digits:
        rounded = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    else:
        exponent = value.adjusted() - digits + 1
        rounded = value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)
    return format_decimal(rounded.normalize(), format="#,##0.############", locale=locale)


_FIGURE = re.compile(r"^(?P<pre>\D*?)(?P<num>-?[0-9][0-9.,\u00a0\u202f]*)(?P<post>.*)$")


def join_range(low: str, high: str) -> str:
    """`£1,500` and `£2,500` → `£1,500–2,500`; `1.8 billion tokens` and `2.9 billion
    tokens` → `1.8–2.9 billion tokens`; anything else joined with an en dash."""
    a, b = _FIGURE.match(low), _FIGURE.match(high)
    if a and b and a["pre"] == b["pre"] and a["post"] == b["post"]:
        return f"{a['pre']}{a['num'].strip()}–{b['num'].strip()}{a['post']}"
    return f"{low}–{high}"
