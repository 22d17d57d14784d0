"""Unit conversions made explicit in a compiled tree: a node wrapped in a `CConv` with an
exact factor, and the right operand of `*` or `/` re-expressed to cancel the left one's
units by name."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from citeguide.costcore.library import C, CConv, CNum, COp
from citeguide.costcore.units import COUNTS, MONEY, ONE, SIGNS, UNITS, Unit, is_money


def harmonise(left: C, right: C, op: str) -> C:
    """The right operand of `*` or `/` re-expressed so that its units cancel the left
    one's by name: `730 h/month` beside `per second` becomes `× 3,600 s/h` (shown in the
    steps), `£/kWh` beside `kW × h` becomes `£/(kW h)` (a factor of 1, not shown)."""
    if left.zero or right.zero or left.kind != "q" or right.kind != "q":
        return right
    sign = 1 if op == "*" else -1
    extra = {**left.unit.extra, **right.unit.extra}
    lterms = [(n, p) for n, p in left.unit.terms if not is_money(n)]
    ldict = dict(lterms)

    def dims(*names: str) -> tuple[tuple[str, int], ...]:
        return Unit(tuple((n, 1) for n in names), Fraction(1), extra).dims

    out: list[tuple[str, int]] = []
    changed = False
    for name, power in right.unit.terms:
        eff = power * sign
        if is_money(name) or ldict.get(name, 0) * eff < 0:
            out.append((name, power))
            continue
        single = next((ln for ln, lp in lterms if ln != name and lp == -eff
                       and dims(ln) == dims(name)), None)  # fmt: skip
        if single is not None:
            out.append((single, power))
            changed = True
            continue
        pair = None
        if abs(eff) == 1:
            opposite = [ln for ln, lp in lterms if lp == -eff]
            pair = next(((a, b) for i, a in enumerate(opposite) for b in opposite[i + 1:]
                         if dims(a, b) == dims(name)), None)  # fmt: skip
        if pair is not None:
            out += [(pair[0], power), (pair[1], power)]
            changed = True
            continue
        out.append((name, power))
    if not changed:
        return right
    merged: dict[str, int] = {}
    for name, power in out:
        merged[name] = merged.get(name, 0) + power
    unit = Unit(tuple((n, p) for n, p in merged.items() if p), right.unit.factor, extra)
    return CConv("q", unit, pos=right.pos, arg=right, factor=right.unit.to(unit))


def aligned(left: C, right: C) -> tuple[C, C]:
    """`left` and `right`, of the same kind of quantity, in one unit for a sum or a
    comparison: the right one in the left one's unit. When one of them carries a `%` or
    `ppm` among other units and the other does not (`£205.80/month × 80%` beside
    `£120/year`), that sign is taken out of both first (a step the figures do not show:
    the `%` already says it), so that the conversion reads `÷ 12 months/year`, not
    `× 8.33 % years/month`."""
    if _signs(left.unit) != _signs(right.unit):
        left = convert(left, _unsigned(left.unit))  # the right one's is `convert`'s
    return left, convert(right, left.unit)


def kinds_differ(left: C, right: C, what: str, pos: int) -> tuple[str, int]:
    """The message, and where, for two kinds of quantity meeting in `what` (a sum, a
    comparison, `min`, `max`, `if`): at a plain number written beside a value with a
    unit, what to write instead (`nodes < 1` with nodes counted in node: `write the number
    with its unit, 1[node]`), as for a plain number beside a ratio of named units."""
    message = (f"{what} between {left.unit.kind_text()} and {right.unit.kind_text()}: "
               "they are different kinds of quantity")  # fmt: skip
    for plain, other in ((left, right), (right, left)):
        if isinstance(plain, CNum) and plain.unit == ONE and other.kind == "q":
            hint = f"write the number with its unit, {plain.text}[{written_unit(other).text()}]"
            return f"{message}; {hint}", plain.pos
    return message, pos


def plain_beside_ratio(left: C, right: C) -> tuple[CNum, str] | None:
    """A plain number written beside a ratio of named units in a sum, a comparison,
    `min`, `max` or `if`, and what to write instead: `hours * days > 8760`, hours a day
    times days a year, compares 3,000 h/year, time over time (≈0.342), with 8,760
    itself, never with 8,760 hours a year, and so never holds. A ratio that cancels by
    name (`demand / capacity > 1`) is a plain number; a `%` or `ppm` alone is a share,
    not such a ratio (`1 - share` is 100% minus the share)."""
    for plain, other in ((left, right), (right, left)):
        if not (isinstance(plain, CNum) and plain.unit == ONE and not plain.zero):
            continue
        unit = written_unit(other)
        if unit.dimensionless and any(n not in SIGNS for n, _ in unit.terms):
            one = ONE.to(unit)
            each = format((Decimal(one.numerator) / one.denominator).normalize(), ",f")
            return plain, (f"{plain.text} is a plain number beside a value in {unit.text()}, "
                           f"where 1 is {each} {unit.text(plural=True)}: write the number "
                           f"with its unit, {plain.text}[{unit.text()}]")  # fmt: skip
        if (large := _large_share(plain, unit, "beside")) is not None:
            return plain, large  # `share > 50` with a share of 60%: 5,000%, never true
    return None


def _large_share(node: CNum, unit: Unit, where: str) -> str | None:
    """What a plain number above 1 in size `where` (given to, beside) a share (`%` or
    `ppm` alone) would mean, and what to write: a plain number there is a fraction, as
    `1 - share` reads 1 as 100%, so `50` is 5,000%, seldom what was meant."""
    if not unit.terms or any(n not in SIGNS for n, _ in unit.terms) or abs(node.value) <= 1:
        return None
    scale = ONE.to(unit)
    sign = unit.text()
    glued = "" if sign == "%" else " "
    big = format((node.value * scale.numerator / scale.denominator).normalize(), ",f")
    return (f"a plain number {where} a share is a fraction, as in `1 - share`, so "
            f"{node.text} would be {big}{glued}{sign}: write {node.text}[{sign}] for "
            f"{node.text}{glued}{sign}")  # fmt: skip


def plain_argument(node: C, unit: Unit) -> str | None:
    """What to write instead of a plain number given to another model's parameter in
    `unit`, a plain number there: None when it is taken as it is. Beside a ratio of named
    units it is asked for its unit, as in a sum (`sun_hours=2.85` in h/day would be 68.4
    h/day). A share, in `%` or `ppm` alone, takes it as a sum and a comparison do, a
    fraction (`share=0.6` is 60%, as `1 - share` reads 1 as 100%); above 1 in size it
    is asked what it means (`share=25` would be 2,500%)."""
    if not (isinstance(node, CNum) and node.unit == ONE and not node.zero and unit.terms
            and unit.same_dims(ONE)):  # fmt: skip
        return None
    if any(n not in SIGNS for n, _ in unit.terms):
        return f"write the number with its unit, {node.text}[{unit.text()}]"
    return _large_share(node, unit, "given to")


def written_unit(node: C) -> Unit:
    """The unit of `node` as the author wrote it, before `harmonise` re-expressed a
    product's operands to cancel by name: `hours * days` (h/day × day/year) is in h/year,
    where the compiled product, its year re-expressed in hours, is a bare number."""
    if isinstance(node, CConv) and node.arg is not None:
        return written_unit(node.arg)
    if isinstance(node, COp) and node.op in ("*", "/") and len(node.args) == 2:
        left, right = (written_unit(arg) for arg in node.args)
        return left * right if node.op == "*" else left / right
    return node.unit


def _signs(unit: Unit) -> list[tuple[str, int]]:
    return sorted((n, p) for n, p in unit.terms if n in SIGNS)


def share_folded(unit: Unit) -> Unit:
    """A declared unit with a `%` or `ppm` multiplied into another unit, as the quantity
    it is: a share of an amount is an amount (`GBP %` is GBP, `kWh %/year` kWh/year, as
    the steps write them); `%`, `%/year` stay. A model in `GBP %` showed £1,200 where
    its steps said £12.00."""
    if not any(n in SIGNS and p > 0 for n, p in unit.terms):
        return unit
    if not any(n not in SIGNS and p > 0 for n, p in unit.terms):
        return unit
    return Unit(tuple((n, p) for n, p in unit.terms if n not in SIGNS), unit.factor, unit.extra)


def _unsigned(unit: Unit) -> Unit:
    """`unit` without its `%` and `ppm`, unless they are all it names (`%` stays `%`)."""
    terms = tuple((n, p) for n, p in unit.terms if n not in SIGNS)
    return Unit(terms, unit.factor, unit.extra) if terms else unit


def convert(node: C, unit: Unit) -> C:
    """`node` in `unit`: itself when already there, else wrapped in a conversion. A `%`
    or `ppm` that `node` carries among other units and `unit` does not name is taken out
    first, in a conversion of its own that the steps do not show (`10 kWh/day ÷ 35% ×
    365 days/year`, not `× 36,500 day %/year`)."""
    if node.zero:
        return node
    if _signs(node.unit) != _signs(unit) and _unsigned(node.unit).terms != node.unit.terms:
        node = _convert(node, _unsigned(node.unit))
    return _convert(node, unit)


def _convert(node: C, unit: Unit) -> C:
    factor = node.unit.to(unit) if node.unit.dims == unit.dims else Fraction(1)
    if factor == 1 and node.unit.terms == unit.terms:
        return node
    if factor == 1 and _currency_only(node.unit, unit):
        return node
    return CConv("q", unit, pos=node.pos, arg=node, factor=factor)


def _currency_only(a: Unit, b: Unit) -> bool:
    """True when `a` and `b` differ only by their currency (converted at run time)."""
    return (
        a.currency is not None
        and b.currency is not None
        and a.with_currency(MONEY).terms == b.with_currency(MONEY).terms
        and a.factor == b.factor
    )


def count_hint(gives: Unit, wanted: Unit) -> str:
    """What to add when a value is one count away from its unit: a tennis club's
    `fittings * light.power * hours`, a lamp's power declared `kW` where it is per
    fitting, gives fitting kW h/year for a model in kWh/year. Empty when the two differ
    otherwise."""
    diff = dict((gives / wanted).dims)
    if len(diff) != 1:
        return ""
    [(name, power)] = diff.items()
    named = gives.extra.get(name) or wanted.extra.get(name)  # the site's own counts
    if named is None and name in COUNTS:
        named = UNITS[name]
    if named is None or power not in (1, -1):
        return ""
    if power == 1:
        return (f"; it counts {named.plural} once more than {wanted} does: a parameter "
                f"or column given per {name} is declared so (`.../{name}`), or divide by "
                f"the {named.plural}")  # fmt: skip
    return f"; it is per {name} where {wanted} is not: multiply by the number of {named.plural}"


def counted_twice(node: C, unit: Unit) -> tuple[CNum, str] | None:
    """A plain number in `node` (a product, or a term of a sum) that is the very factor
    converting it into `unit`, and what to write instead: `control_plane * 730` (USD/h)
    in USD/month is still per hour, and its conversion multiplies by 730 again ($53,290 a
    month for $0.10 an hour); `monthly * 12` in GBP/year likewise, and `yearly / 12` in
    GBP/month is divided twice."""
    if node.kind != "q" or node.zero or not node.unit.same_dims(unit):
        return None
    if isinstance(node, COp) and node.op in ("+", "-"):
        return next(filter(None, (counted_twice(arg, unit) for arg in node.args)), None)
    factor = node.unit.to(unit)
    if factor == 1 or unit.currency != node.unit.currency:
        return None
    for plain, times_by in _plain_factors(node):
        if Fraction(plain.value) == (factor if times_by else 1 / factor):
            literal = (unit / node.unit) if times_by else (node.unit / unit)
            sign, again = ("×", "multiplies") if times_by else ("÷", "divides")
            return plain, (
                f"{plain.text} is the conversion from {node.unit.kind_text()} to {unit}, "
                f"which citeguide makes itself: {sign} {plain.text} here leaves the value in "
                f"{node.unit.kind_text()}, and the conversion {again} by {plain.text} again; "
                f"leave {plain.text} out, or write it with its unit, "
                f"{plain.text}[{literal.text()}]"
            )
    return None


def _plain_factors(node: C, times_by: bool = True) -> list[tuple[CNum, bool]]:
    """The plain numbers a product multiplies by (True) or divides by (False)."""
    if isinstance(node, CNum):
        return [(node, times_by)] if node.unit == ONE and not node.zero else []
    if isinstance(node, COp) and node.op == "*":
        return [f for arg in node.args for f in _plain_factors(arg, times_by)]
    if isinstance(node, COp) and node.op == "/" and len(node.args) == 2:
        return [*_plain_factors(node.args[0], times_by),
                *_plain_factors(node.args[1], not times_by)]  # fmt: skip
    return []
