"""How the cost core writes quantities: every digit of a number or an amount in the steps,
a conversion factor, a figure as the page shows it (`£1,444`, `37.8–51.5 years`).

`show_spec` and `display_spec` give the same rules as data, for the page's script.
Locale-aware number formatting itself is `format.py`'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from citeguide.costcore import format as fmt
from citeguide.costcore.library import CConv
from citeguide.costcore.units import COUNTS, MONEY, ONE, SIGNS, Unit, after_number, times


def same_terms(a: Unit, b: Unit) -> bool:
    """The same named units, whatever their order, apart from their currency (only a
    written factor may differ). A change of currency is no unit conversion: it is made
    at a cited rate, and its step is written on its own (`× 0.86 GBP/EUR`)."""
    return sorted(a.without_currency().terms) == sorted(b.without_currency().terms)


def shown_conversion(node: CConv) -> bool:
    """Whether the steps write `node` out: a conversion between named units (`× 12
    months/year`), not one that only changes a currency (a step of its own at a cited
    rate), and not one that only takes `%` or `ppm` signs away or adds them, however
    many, which the numbers' own signs already say: `× 5%` is × 0.05, and `× 5% ÷ 100 %`
    read as 5% divided by a hundred (`€52,000 × 2.5% ÷ 10,000 %^2`, a share of a share
    of a price, as 2.5% divided by ten thousand)."""
    assert node.arg is not None
    if node.factor == 1 or same_terms(node.arg.unit, node.unit):
        return False
    label = node.arg.unit.without_currency() / node.unit.without_currency()
    return not (label.factor == 1 and all(name in SIGNS for name, _ in label.terms))


def conversion_text(node: CConv, locale: str) -> str:
    """`× 365 days/year`, `× 3,600 s/h`, `÷ 8,000,000,000 bits/GB`; a currency the
    conversion also changes is not in it (`EUR/month` to `GBP/year`: `× 12 months/year`),
    nor a unit the other side names as a product of the same size (`kW h/day` to
    `kWh/year`: `× 365 days/year`, not `× 365 kWh days/year/kW/h`)."""
    assert node.arg is not None
    factor = node.factor
    if factor.numerator == 1 and factor.denominator != 1:
        label = cancel_equal(node.arg.unit.without_currency() / node.unit.without_currency())
        return f"÷ {exact_number(Decimal(factor.denominator), locale)} {label.text(plural=True)}"
    label = cancel_equal(node.unit.without_currency() / node.arg.unit.without_currency())
    value = Decimal(factor.numerator) / Decimal(factor.denominator)
    return f"× {exact_number(value, locale)} {label.text(plural=factor != 1)}"


def cancel_equal(unit: Unit) -> Unit:
    """`unit` without a named unit and the one or two on the other side of its fraction
    that make the same quantity (kWh against kW × h: the same dimensions, the same size).
    Their ratio is 1, so the label means the same, in fewer names."""
    terms = dict(unit.terms)

    def same(names: tuple[str, ...], name: str) -> bool:
        ours = Unit(tuple((n, 1) for n in names), Fraction(1), unit.extra)
        theirs = Unit(((name, 1),), Fraction(1), unit.extra)
        return ours.dims == theirs.dims and ours.scale == theirs.scale

    def cancel_one() -> bool:
        for name, sign in terms.items():
            if abs(sign) != 1:
                continue
            others = [n for n, p in terms.items() if p == -sign]
            match = next(((o,) for o in others if same((o,), name)), None) or next(
                ((a, b) for i, a in enumerate(others) for b in others[i + 1 :]
                 if same((a, b), name)), None)  # fmt: skip
            if match is not None:
                terms[name] -= sign
                for other in match:
                    terms[other] += sign
                return True
        return False

    while cancel_one():
        pass
    return Unit(tuple((n, terms[n]) for n, _ in unit.terms if terms[n]), unit.factor, unit.extra)


def exact_number(value: Decimal, locale: str = "en") -> str:
    """A number at full precision with grouping; `≈` and 6 significant digits when it
    has more than 12 (a division that does not end)."""
    normal = value.normalize()
    digits = len(normal.as_tuple().digits)
    prefix = ""
    if digits > 12:
        prefix = "≈"
        exponent = normal.adjusted() - 5
        normal = normal.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP).normalize()
    return prefix + fmt.number_exact(normal, locale)


_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def shown_input(text: str, locale: str = "en") -> str:
    """An input as readers see it in a figure's list of inputs: a number grouped as the
    figures are (`10000000` → `10,000,000`), a range with a dash (`2.5..3.2` → `2.5–3.2`,
    a negative end written out); anything else (`true`, a row id, `10M`) as written."""

    def one(part: str) -> str:
        part = part.strip()
        return exact_number(Decimal(part), locale) if _PLAIN_NUMBER.fullmatch(part) else part

    low, dots, high = text.partition("..")
    if dots and _PLAIN_NUMBER.fullmatch(low.strip()) and _PLAIN_NUMBER.fullmatch(high.strip()):
        return fmt.join_range(one(low), one(high))
    return one(text)


def unit_note(display: str, unit: str) -> str:
    """The unit written in parentheses after a figure where the figure does not already
    end with it: `£1,444 (USD/month)`, `1.03 billion tokens (tokens/month)`, but `2.42–3.35
    years`, `37.8%` and `1 year` alone (not `2.42–3.35 years (years)`)."""
    tail = field_unit(unit)
    one = " " + tail[:-1] if tail.endswith("s") else tail
    return "" if tail and (display.endswith(tail) or display.endswith(one)) else unit


def field_unit(text: str) -> str:
    """The unit beside a form's number field, as it follows the number elsewhere: `%`,
    `/year` (not `1/year`), `kWh/year`."""
    return after_number(text).strip()


_SIGN_SCALES = {"%": Fraction(1, 100), "ppm": Fraction(1, 10**6)}


@lru_cache(maxsize=4096)
def shown_unit(unit: Unit) -> tuple[Fraction, Unit]:
    """The unit a quantity in `unit` is written in by the steps, and the factor folding its
    number into it (`show_spec`'s `fold`): `GBP %/year` is written in `GBP/year` (× 1/100),
    `USD/1M months` in `USD/month` (× 1/1000000); most units are written as they are."""
    fold = Fraction(1)
    if unit.factor != 1:
        bottom = [n for n, p in unit.terms if p < 0]
        top = [n for n, p in unit.terms if p > 0]
        counted = bool(bottom) and bottom[0] in COUNTS and unit.factor.numerator == 1
        if not (counted or (not bottom and top and top[0] in COUNTS
                            and unit.factor.denominator == 1)):  # fmt: skip
            fold, unit = unit.factor, Unit(unit.terms, Fraction(1), unit.extra)
    # A `%` or `ppm` multiplied into other units is folded in (`1,260 kWh/year`, not
    # `126,000 kWh %/year`): a share of a quantity is that quantity.
    for sign, scale in _SIGN_SCALES.items():
        power = dict(unit.terms).get(sign, 0)
        if power > 0 and (power > 1 or any(p > 0 and n != sign for n, p in unit.terms)):
            fold *= scale**power
            unit = Unit(tuple(t for t in unit.terms if t[0] != sign), unit.factor, unit.extra)
    return fold, unit


@lru_cache(maxsize=4096)
def show_spec(unit: Unit) -> dict[str, str]:
    """How a quantity in `unit` is written in the steps, as data the page's script uses too.

    `fold`: a factor multiplied in first (a written factor such as the 1M of `/1M months`
    is folded into the number, except per a million of a count, `$2.00/1M tokens`);
    `kind`: `money` (symbol, then `tail`), `plain` (a bare number, `× unit`, or a unit glued
    to it, `%` or `/year`, in `tail`), or `number` (then the unit, `one` or `many` by
    the number)."""
    fold, unit = shown_unit(unit)
    spec = {"fold": str(fold)}
    code = unit.currency
    if code is not None and dict(unit.terms).get(code) == 1:
        rest = Unit(tuple((n, p) for n, p in unit.terms if n != code), unit.factor, unit.extra)
        tail = after_number(rest.text()) if rest.terms or rest.factor != 1 else ""
        return {**spec, "kind": "money", "currency": code, "tail": tail}
    if unit == ONE or not unit.terms:
        return {**spec, "kind": "plain", "tail": "" if unit.factor == 1 else f" × {unit.text()}"}
    if not after_number(unit.text()).startswith(" "):  # `5%`, `12/year`, not `12 1/year`
        return {**spec, "kind": "plain", "tail": after_number(unit.text())}
    return {**spec, "kind": "number", "one": unit.text(), "many": unit.text(plural=True)}


def show_quantity(num: Decimal, unit: Unit, cur: str | None, locale: str = "en",
                  default_currency: str = "USD") -> str:  # fmt: skip
    """`£0.2635/kWh`, `12,000 kWh/year`, `0.75`, `10,000,000 tokens/month`."""
    return _quantity(num, unit, cur, default_currency, lambda n, code: _money_text(n, code, locale),
                     lambda n: exact_number(n, locale))  # fmt: skip


def message_quantity(num: Decimal, unit: Unit, cur: str | None, locale: str = "en",
                     default_currency: str = "USD") -> str:  # fmt: skip
    """A value in a `require` message, as a reader reads it rather than as the steps
    check it: an amount as the page writes one (`-£721/year`, `£14.50/month`), any other
    number with at most four decimals (`0.3333 years`, `12.5%`)."""
    return _quantity(num, unit, cur, default_currency, lambda n, code: fmt.money(n, code, locale),
                     lambda n: fmt.number(n, locale))  # fmt: skip


def _quantity(num: Decimal, unit: Unit, cur: str | None, default_currency: str,
              money: Callable[[Decimal, str], str],
              number: Callable[[Decimal], str]) -> str:  # fmt: skip
    """`num` in `unit` as `show_spec` lays it out, its number written by `money` (with the
    currency code) or `number`."""
    spec = show_spec(unit)
    fold = Fraction(spec["fold"])
    if fold != 1:
        num = times(num, fold)
    if spec["kind"] == "money":
        code = cur or (default_currency if spec["currency"] == MONEY else spec["currency"])
        return money(num, code) + spec["tail"]
    text = number(num)
    if spec["kind"] == "plain":
        return text + spec["tail"]
    return f"{text} {spec['many'] if num != 1 else spec['one']}"


def _money_text(num: Decimal, code: str, locale: str) -> str:
    """Every digit of an amount up to 4 decimals (at least cents); `≈` and 4 decimals (or
    4 significant digits below a cent) when it has more."""
    normal = num.normalize()
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        places = 4 if abs(num) >= Decimal("0.01") else max(4, 3 - num.adjusted())
        rounded = num.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if rounded != num:
            return "≈" + fmt.money_exact(rounded.normalize(), code, locale)
    return fmt.money_exact(normal, code, locale)


def display_spec(unit: Unit) -> dict[str, str | None]:
    """What `display` needs of a unit, as data (the page's script formats with it too)."""
    code = unit.currency
    noun = next((n for n, p in unit.terms if p == 1 and n not in (code,)), "")
    named = unit._named(noun) if noun else None
    return {
        "currency": code,
        "noun_one": named.singular.replace("_", " ") if named else "",
        "noun_many": named.plural.replace("_", " ") if named else "",
        "one": unit.text() if unit.terms else "1",
        "many": unit.text(plural=True) if unit.terms else "1",
        "after_one": after_number(unit.text()),
        "after_many": after_number(unit.text(plural=True)),
    }


def display(value: Decimal, unit: Unit, style: str, digits: int, locale: str,
            places: int = 0, whole: bool = False) -> str:  # fmt: skip
    """The figure as the page shows it: `£1,444`, `1.03 billion tokens`, `37.8 years`;
    a number in significant digits with at least `places` decimals, an amount in whole
    units when `whole` (a range's end: `range_display`)."""
    code = unit.currency
    if style == "money" and code is not None and code != MONEY:
        return fmt.money(value, code, locale, whole)
    if style == "count":
        noun = next((n for n, p in unit.terms if p == 1 and n not in (code,)), "")
        named = unit._named(noun) if noun else None
        word = (named.plural if value != 1 else named.singular) if named else ""
        return f"{fmt.count(value, locale)} {word.replace('_', ' ')}".strip()
    if style == "gigabytes":
        return fmt.gigabytes(value, locale)
    if style == "percent":
        return fmt.share(value, locale)
    number = fmt.significant(value, digits, locale, places)
    return number + after_number(unit.text(plural=value != 1)) if unit.terms else number


def range_ends(low: Decimal, high: Decimal, unit: Unit, style: str, digits: int,
               locale: str) -> tuple[str, str]:  # fmt: skip
    """The two ends of a range as `display` writes them, alike (`written_alike`). Also
    the ends of a driver's swing (`£113 at its low end, £69 at its high end`)."""
    a, b = written_alike([low, high], unit, style, digits, locale)
    return a, b


def written_alike(values: list[Decimal], unit: Unit, style: str, digits: int,
                  locale: str) -> list[str]:  # fmt: skip
    """Numbers read side by side (a range's two ends, a column of a chart's data table)
    as `display` writes them, alike: with as many decimals as any shows, as far as each
    one's digits go (`fmt.significant_places`: `30.8–41.0 months`, `2.90` above `2.62
    years`), and amounts in whole units at all or at none (`fmt.whole_range`: `£69–113`,
    not `£68.76–113`)."""
    if not values:
        return []
    held = [fmt.significant_places(v, digits) for v in values]
    most = max(shown for shown, _ in held)
    sizes = sorted(abs(v) for v in values)
    whole = fmt.whole_range(sizes[0], sizes[-1])
    return [display(v, unit, style, digits, locale, min(most, places), whole)
            for v, (_, places) in zip(values, held, strict=True)]  # fmt: skip


def range_display(low: Decimal, high: Decimal, unit: Unit, style: str, digits: int,
                  locale: str) -> str:  # fmt: skip
    """`£1.8–2.9 billion`, `£1,500–£2,500`, `37.8–51.5 years`, `30.8–41.0 months`: in
    significant digits, both ends written alike (`range_ends`: `£69–113`, not
    `£68.76–113`)."""
    a, b = range_ends(low, high, unit, style, digits, locale)
    if a == b:
        return a
    return fmt.join_range(a, b)
