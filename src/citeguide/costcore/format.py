"""Display text for computed values: `£1,500`, `$14.50`, `1.03 billion tokens`, `37.8 years`.

The locale's symbols and patterns come from babel (CLDR); the rules that use them are
written here, once, in a form small enough to write again in the page's what-if script
(`templates/assets/whatif.js`, which gets the same data from `locale_data`), so a figure
the reader recomputes in the browser reads exactly as the build printed it. Every
rounding is half up.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from babel import Locale
from babel.numbers import get_currency_symbol

_HALF_UP = ROUND_HALF_UP


@cache
def _locale(locale: str) -> dict[str, Any]:
    data = Locale.parse(locale)
    symbols = data.number_symbols["latn"]
    pattern = str(data.currency_formats["standard"].pattern).split(";")[0]
    compact: dict[str, dict[str, str]] = {}
    for form, patterns in dict(data.compact_decimal_formats.get("long", {})).items():
        if form in ("one", "other"):
            compact[form] = {
                str(len(k) - 1): str(getattr(v, "pattern", v)) for k, v in dict(patterns).items()
            }
    return {
        "decimal": symbols["decimal"],
        "group": symbols["group"],
        "minus": symbols.get("minusSign", "-"),
        # The currency sign's place: before the number (`¤#,##0.00`) or after (`#,##0.00 ¤`).
        "currency_after": pattern.strip().endswith("¤"),
        "currency_space": "\u00a0" if "\u00a0¤" in pattern or "¤\u00a0" in pattern else "",
        "compact": compact,
    }


def locale_data(locale: str, currencies: set[str]) -> dict[str, Any]:
    """The data the formatting rules use, for `locale` and these currencies (JSON-able)."""
    data = dict(_locale(locale))
    data["symbols"] = {code: get_currency_symbol(code, locale) for code in sorted(currencies)}
    return data


def _group(digits: str, group: str) -> str:
    out = []
    while len(digits) > 3:
        out.append(digits[-3:])
        digits = digits[:-3]
    out.append(digits)
    return group.join(reversed(out))


def _plain(value: Decimal, locale: str, min_places: int = 0) -> str:
    """Every digit of `value` (normalised), grouped, at least `min_places` decimals."""
    data = _locale(locale)
    sign = "-" if value < 0 else ""
    text = format(abs(value).normalize(), "f")
    whole, _, frac = text.partition(".")
    frac = frac.ljust(min_places, "0")
    grouped = _group(whole, data["group"])
    return sign + grouped + (data["decimal"] + frac if frac else "")


def _fixed(value: Decimal, places: int, locale: str) -> str:
    """`value` rounded half up to `places` decimals, all of them shown, grouped."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=_HALF_UP)
    data = _locale(locale)
    sign = "-" if rounded < 0 else ""
    whole, _, frac = format(abs(rounded), "f").partition(".")
    return sign + _group(whole, data["group"]) + (data["decimal"] + frac if places else "")


def _with_symbol(number: str, currency: str, locale: str) -> str:
    data = _locale(locale)
    symbol = get_currency_symbol(currency, locale)
    negative = number.startswith("-")
    number = number.lstrip("-")
    if data["currency_after"]:
        text = f"{number}\u00a0{symbol}"
    else:
        text = f"{symbol}{data['currency_space']}{number}"
    return f"-{text}" if negative else text


@cache
def currency_around(currency: str, locale: str = "en") -> tuple[str, str]:
    """What a locale writes before and after an amount in `currency`: (`£`, ``) in
    English, (``, ` €`) in French; an input's number goes between."""
    before, _, after = _with_symbol("0", currency, locale).partition("0")
    return before, after


def money(amount: Decimal, currency: str, locale: str = "en", whole: bool = False) -> str:
    """Whole units from 100 up (`£1,500`), cents below (`$14.50`), up to four more
    significant digits below a cent; a negative amount the same way (`-£50.89`). `whole`:
    whole units whatever the amount (a range's ends: `whole_range`)."""
    if amount < 0:
        return "-" + money(-amount, currency, locale, whole)
    if amount >= 100 or whole:
        return _with_symbol(_fixed(amount, 0, locale), currency, locale)
    if amount == 0 or amount >= Decimal("0.01"):
        return _with_symbol(_fixed(amount, 2, locale), currency, locale)
    rounded = amount.quantize(Decimal("0.0001"), rounding=_HALF_UP)
    return _with_symbol(_plain(rounded, locale, 2), currency, locale)


def whole_range(low: Decimal, high: Decimal) -> bool:
    """Whether a range of amounts is written in whole units at both ends: when its larger
    end is (100 up) and its smaller one is at least 10, so that a range does not mix
    cents and whole units (`£69–113`, not `£68.76–113`); `£0.50–150` keeps its pence."""
    small, big = sorted((abs(low), abs(high)))
    return big >= 100 and small >= 10


def count(value: Decimal, locale: str = "en") -> str:
    """Three significant figures in words from 100,000 up (`1.03 billion`, `152 million`),
    whole numbers below (`48,000`), in the locale's long compact forms."""
    if abs(value) < 100_000:
        return _fixed(value, 0, locale)
    data = _locale(locale)
    magnitude = len(str(int(abs(value)))) - 1
    patterns = data["compact"].get("other", {})
    pattern = patterns.get(str(magnitude))
    zeros = len(re.findall(r"0", pattern or ""))
    if not pattern or zeros == 0 or pattern.strip() == "0" * zeros:
        return _fixed(value, 0, locale)
    scaled = value / Decimal(10) ** (magnitude - zeros + 1)
    digits = max(0, 3 - len(str(int(abs(scaled)))))
    rounded = scaled.quantize(Decimal(1).scaleb(-digits), rounding=_HALF_UP)
    form = "one" if rounded == 1 and "one" in data["compact"] else "other"
    pattern = data["compact"][form].get(str(magnitude), pattern)
    number = _plain(rounded, locale)
    return re.sub(r"0+", number, pattern, count=1).strip()


def tokens(value: Decimal, locale: str = "en") -> str:
    return f"{count(value, locale)} tokens"


def share(value: Decimal, locale: str = "en") -> str:
    """A share as a percentage, at most one decimal: `75%`, `12.5%`."""
    percent = (value * 100).quantize(Decimal("0.1"), rounding=_HALF_UP)
    return _plain(percent, locale) + "%"


def gigabytes(value: Decimal, locale: str = "en") -> str:
    """`168 GB`, `16.8 GB`, `4.2 GB`: three significant figures."""
    places = 0 if value >= 100 else 1 if value >= 10 else 2
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=_HALF_UP)
    return f"{_plain(rounded, locale)} GB"


def number(value: Decimal, locale: str = "en") -> str:
    """A plain number with grouping and at most four decimals: `2,102.5`, `0.75`."""
    return _plain(value.quantize(Decimal("0.0001"), rounding=_HALF_UP), locale)


def number_exact(value: Decimal, locale: str = "en") -> str:
    """Every digit of `value`, grouped: `12,000`, `0.2635`, `1,817,700,000`."""
    return _plain(value, locale)


def money_exact(amount: Decimal, currency: str, locale: str = "en") -> str:
    """Every digit of an amount, at least cents: `£0.60`, `£0.2635`, `$1,817.70`."""
    return _with_symbol(_plain(amount, locale, 2), currency, locale)


def significant(value: Decimal, digits: int = 3, locale: str = "en", places: int = 0) -> str:
    """`digits` significant figures below 10^digits (`37.8`, `0.0629`), whole above; at
    least `places` decimals (`41.0` beside `30.8` in a range: `significant_places`)."""
    if value == 0:
        return "0"
    return _plain(_significant(value, digits), locale, places)


def _significant(value: Decimal, digits: int) -> Decimal:
    if abs(value) >= Decimal(10) ** digits:
        return value.quantize(Decimal(1), rounding=_HALF_UP)
    exponent = value.adjusted() - digits + 1
    return value.quantize(Decimal(1).scaleb(exponent), rounding=_HALF_UP)


def significant_places(value: Decimal, digits: int = 3) -> tuple[int, int]:
    """The decimals `significant` writes of `value`, and those its significant digits
    hold, trailing zeros included: (0, 1) for 41.04 (`41`, from 41.0), (1, 1) for 30.8.
    The two ends of a range are written with as many decimals as either shows, as far as
    each one's digits go (`30.8–41.0 months`, not `30.8–41`)."""
    if value == 0:
        return 0, 0
    rounded = _significant(value, digits)
    exponent = rounded.normalize().as_tuple().exponent
    shown = max(0, -exponent) if isinstance(exponent, int) else 0
    if abs(rounded) >= Decimal(10) ** digits:
        return shown, 0
    return shown, max(0, digits - 1 - rounded.adjusted())


_FIGURE = re.compile(
    r"^(?P<pre>\D*?)(?P<num>-?[0-9][0-9.,\u00a0\u202f]*[0-9]|-?[0-9])(?P<post>.*)$"
)


_NEGATIVE = re.compile(r"^[^0-9]*[-\u2212]")
"""A figure with a minus before its first digit (`-£515`, `£-515`, `−3.2 kWh`)."""


def join_range(low: str, high: str) -> str:
    """`£1,500` and `£2,500` → `£1,500–2,500`; `1.8 billion tokens` and `2.9 billion
    tokens` → `1.8–2.9 billion tokens`; anything else joined with an en dash. A range
    with a negative end is written out in words (`-£515 to -£247`): with a dash,
    `-£515–247` reads as −515 to +247, and `-£515–-£247` barely reads at all."""
    if _NEGATIVE.match(low) or _NEGATIVE.match(high):
        return f"{low} to {high}"
    a, b = _FIGURE.match(low), _FIGURE.match(high)
    if a and b and a["pre"] == b["pre"] and a["post"] == b["post"]:
        return f"{a['pre']}{a['num']}–{b['num']}{a['post']}"
    return f"{low}–{high}"
