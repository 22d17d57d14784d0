"""Unit conversions made explicit in a compiled tree: a node wrapped in a `CConv` with an
exact factor, and the right operand of `*` or `/` re-expressed to cancel the left one's
units by name."""

from __future__ import annotations

from fractions import Fraction

from citeguide.costcore.library import C, CConv
from citeguide.costcore.units import MONEY, SIGNS, Unit, is_money


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


def _signs(unit: Unit) -> list[tuple[str, int]]:
    return sorted((n, p) for n, p in unit.terms if n in SIGNS)


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
