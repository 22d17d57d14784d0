"""Currencies at run time: two values in different currencies that meet (in `+`, `*`, a
comparison, `min`...) are converted, through a cited row of fx.yaml, to the evaluation's
currency, and the conversion is written in the steps with the rate the row states."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from citeguide.costcore.display import exact_number
from citeguide.costcore.frame import Frame, Val, show, wrap
from citeguide.costcore.library import C, Library, Model
from citeguide.costcore.quantities import CalcError
from citeguide.costcore.results import Result
from citeguide.costcore.table_data import FxUse
from citeguide.costcore.units import CURRENCIES, Unit

Item = tuple[Val, str, int, C]


def meet(a: Item, b: Item, frame: Frame) -> tuple[tuple[Val, str, int], tuple[Val, str, int]]:
    """Two values in one currency: each converted, through fx.yaml, to the evaluation's."""
    va, ta, pa, na = a
    vb, tb, pb, nb = b
    if va.cur and vb.cur and va.cur != vb.cur:
        target = frame.currency
        if va.cur != target:
            va, ta, pa = _fx_inline(va, ta, pa, na.unit, target, frame)
        if vb.cur != target:
            vb, tb, pb = _fx_inline(vb, tb, pb, nb.unit, target, frame)
    return (va, ta, pa), (vb, tb, pb)


def to_declared(value: Val, code: str | None, unit: Unit, label: str, frame: Frame) -> Val:
    """A `let` declared in one currency (`unit: GBP`, `code`) that holds another (a row's
    price in euros, `unit`): converted through fx.yaml, the conversion in the steps, as a
    model's result is into its unit's currency (`to_currency`). It was shown, and
    published in the twin's `derived`, in euros under a unit in pounds."""
    if code is None or value.cur is None or value.cur == code:
        return value
    why = f"{label} is declared in {code}"
    converted, _factor, use = _fx(value, unit, code, frame, why)
    head = "" if label == frame.model.label else f"{label} = "
    frame.step(f"{head}{show(value, unit, frame)} {_rate_text(use, value.cur, code, frame)} "
               f"({use.id}, {use.date}) = {show(converted, unit, frame)}")  # fmt: skip
    return converted


def _fx(value: Val, unit: Unit, target: str, frame: Frame, why: str = ""
        ) -> tuple[Val, Decimal, FxUse]:  # fmt: skip
    assert value.cur is not None
    try:
        use, factor = frame.trace.lib.tables.fx_rate(value.cur, target)
    except CalcError as exc:
        if why:
            raise CalcError(f"{exc.message}: {why}", exc.param) from None
        why = frame.currency_why if target == frame.currency else ""
        if not why:
            raise
        name = frame.model.name
        raise CalcError(f"{exc.message}: {name} is worked out in {target}, {why}",
                        exc.param) from None  # fmt: skip
    if not frame.trace.quiet:
        frame.trace.fx.setdefault(use.id, use)
        fx_table = frame.trace.lib.tables.tables["fx"]
        frame.trace.facts.setdefault(("fx", use.id), fx_table.rows[use.id])
    power = unit.money_power
    return Val(value.num * factor**power, target), factor, use


def _fx_inline(value: Val, text: str, prec: int, unit: Unit, target: str, frame: Frame
               ) -> tuple[Val, str, int]:  # fmt: skip
    source = value.cur
    converted, _factor, use = _fx(value, unit, target, frame)
    return converted, f"{wrap(text, prec, 6)} {_rate_text(use, source, target, frame)}", 6


def _rate_text(use: FxUse, source: str | None, target: str, frame: Frame) -> str:
    """The conversion as the fx row states it: `× 1.3399 USD/GBP` or `÷ 1.3399 USD/GBP`."""
    rate = exact_number(use.rate, frame.trace.locale)
    op = "×" if (use.base, use.quote) == (source, target) else "÷"
    return f"{op} {rate} {use.quote}/{use.base}"


def to_currency(value: Val, unit: Unit, frame: Frame, *, final: bool, shown: Any) -> Val:
    if unit.currency is None or value.cur is None:
        return value
    target = frame.currency
    if value.cur == target:
        return value
    _top, _before, _ = shown
    converted, _factor, use = _fx(value, unit, target, frame)
    frame.step(
        f"{show(value, unit.with_currency(value.cur), frame)} "
        f"{_rate_text(use, value.cur, target, frame)} ({use.id}, {use.date}) = "
        f"{show(converted, unit.with_currency(target), frame)}"
    )
    return converted


def result_currency(model: Model, result: Result, lib: Library) -> str | None:
    if model.unit.currency is None:
        return None
    for code in CURRENCIES:
        if result.unit.startswith(code) or f"/{code}" in result.unit:
            return code
    return lib.currency
