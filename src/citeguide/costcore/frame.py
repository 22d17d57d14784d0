"""What one evaluation holds while it runs, and how it writes a value in its steps.

A `Val` is a quantity at run time (its number and its currency, if any); a `Trace`
records what the evaluation used (rows, conversions, steps, ranged inputs); a `Frame` is
one model being evaluated, with its values and its evaluation currency. Arithmetic runs in
one Decimal context, in which an overflow or a division by zero becomes `Arith`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, DecimalException, localcontext

from citeguide.costcore.display import show_quantity
from citeguide.costcore.library import C, CBool, CNum, CStr, Library, Model
from citeguide.costcore.quantities import Range
from citeguide.costcore.table_data import FxUse, TableRow
from citeguide.costcore.units import MONEY, ONE, Unit

CONTEXT = Context(prec=34, rounding=ROUND_HALF_UP, Emax=10**6, Emin=-(10**6))


@dataclass(frozen=True)
class Val:
    """A quantity at run time: its number in the node's unit, and its currency if any."""

    num: Decimal
    cur: str | None = None


class NotGiven:
    """An optional parameter left out."""


NOT_GIVEN = NotGiven()
Value = Val | bool | str | TableRow | NotGiven


@dataclass
class Trace:
    """What one evaluation used and did: rows, conversions, steps, ranged inputs."""

    lib: Library
    locale: str
    facts: dict[tuple[str, str], TableRow] = field(default_factory=dict)
    fx: dict[str, FxUse] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)
    ranges: dict[str, Range] = field(default_factory=dict)
    """Ranged inputs met, by key (`row:table:id:column` or `param:name`)."""
    choice: dict[str, Decimal] = field(default_factory=dict)
    """The value to take for each ranged input (a corner of the range)."""
    calls: int = 0
    quiet: bool = False
    """Record nothing (re-evaluations for ranges and sensitivity)."""


class Frame:
    """One model being evaluated: its parameter values and its `let` values."""

    def __init__(self, model: Model, values: dict[str, Value], given: set[str], trace: Trace,
                 prefix: str) -> None:  # fmt: skip
        self.model, self.values, self.given, self.trace = model, values, given, trace
        self.prefix = prefix
        self.lets: dict[str, tuple[Value, str]] = {}
        self.read: list[str] = []
        self.currency, self.currency_why = _evaluation_currency(model, values, trace.lib)
        """The currency the arithmetic ends in, and why it is that one (for a message)."""

    def step(self, line: str) -> None:
        """Add a line of arithmetic, once: a model called again with the same inputs (by
        a flag's test after the formula, say) writes the same lines, already shown."""
        text = f"{self.prefix}{line}"
        if not self.trace.quiet and text not in self.trace.steps:
            self.trace.steps.append(text)


def _evaluation_currency(
    model: Model, values: Mapping[str, Value], lib: Library
) -> tuple[str, str]:
    """The currency of the model's unit, else its `currency` parameter's value, else the
    site's; with the reason, in words."""
    declared = model.unit.currency
    if declared is not None and declared != MONEY:
        return declared, f"the currency of its unit, {model.unit}"
    for param in model.params.values():
        if param.kind == "currency":
            value = values.get(param.name)
            if isinstance(value, str):
                return value, f"its {param.name}={value}"
    return lib.currency, (f"the site's currency (its unit, {model.unit}, names none; set "
                          "`currency` in citeguide.toml)")  # fmt: skip


def call_prefix(callee: Model, kwargs: tuple[tuple[str, C], ...]) -> str:
    """What begins each step of a called model: its label, and the rows and flags the
    call names as written (`Yearly energy cost (electric roaster: false): `), so that two
    calls of one model, a scenario against another, read apart."""
    named = [f"{callee.params[key].label or key}: {_literal(arg)}"  # by name, as the twin
             for key, arg in sorted(kwargs, key=lambda kv: kv[0])  # sorts `kwargs`
             if isinstance(arg, CBool | CStr)]  # fmt: skip
    return f"{callee.label} ({', '.join(named)}): " if named else f"{callee.label}: "


def _literal(node: CBool | CStr) -> str:
    if isinstance(node, CBool):
        return "true" if node.value else "false"
    return node.value


class Arith(Exception):
    pass


@contextmanager
def decimal_context() -> Iterator[None]:
    try:
        with localcontext(CONTEXT):
            yield
    except (ArithmeticError, DecimalException, OverflowError) as exc:
        text = "a division by zero" if "ivision" in type(exc).__name__ else "a result too large"
        raise Arith(text) from None


def mid(value: Range) -> Decimal:
    with localcontext(CONTEXT):
        return (value.low + value.high) / 2


def show(value: Value, unit: Unit, frame: Frame) -> str:
    if frame.trace.quiet:
        return ""
    if not isinstance(value, Val):
        return word(value)
    return show_quantity(value.num, unit, value.cur, frame.trace.locale, frame.currency)


def literal(node: CNum, frame: Frame) -> str:
    if frame.trace.quiet:
        return ""
    if node.unit == ONE:
        return node.text
    cur = frame.currency if node.unit.currency == MONEY else node.unit.currency
    return show_quantity(node.value, node.unit, cur, frame.trace.locale, frame.currency)


def word(value: Value) -> str:
    if isinstance(value, TableRow):
        return value.id
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"{value}"


def wrap(text: str, prec: int, need: int, signed: bool = False) -> str:
    """`text` in parentheses when it binds less tightly than `need`; when `signed` (a right
    operand, a power's base) also when it starts with a minus: `1 + (-5%)`, not `1 + -5%`."""
    return f"({text})" if prec < need or (signed and text[:1] in ("-", "−")) else text
