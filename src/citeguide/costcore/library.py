"""Compiled models: parameters, the nodes of a compiled formula, a model, and the
`Library` of a site's models with its tables.

A compiled tree is what both evaluators run, the Python one (`interpreter.py`) and the
browser's, from the JSON twin (`export.py`): every unit conversion is an explicit node
with an exact factor. `parse_param` reads one `key=value` for a parameter.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from citeguide.costcore.quantities import (
    CalcError,
    looks_numeric,
    not_a_number,
    parse_bool,
    parse_number,
)
from citeguide.costcore.table_data import Tables
from citeguide.costcore.units import CURRENCIES, ONE, Named, Unit, after_number, relabels

MAX_NESTING = 100
"""Levels one evaluation may nest: formula trees, the `let` values they read and the models
they call, each counted in full (what bounds the evaluators' recursion)."""
MAX_EXPONENT = 8
"""The largest power a quantity with units may be raised to."""
MAX_POWER = 64
"""The largest exponent of a plain number (a literal is refused when the model compiles,
a computed one when the figure is evaluated)."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: Literal["number", "row", "bool", "currency"]
    label: str
    unit: Unit | None = None
    table: str | None = None
    column: str | None = None
    default: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    optional: bool = False

    @property
    def takes_row(self) -> bool:
        return self.table is not None

    @property
    def what(self) -> str:
        """What the parameter takes, in words: `number in kWh/year`, `a row of energy`."""
        return {
            "row": f"a row of {self.table}",
            "bool": "true or false",
            "currency": "a currency code",
        }.get(self.kind, f"number in {self.unit}" + (f" or a row of {self.table}"
                                                      if self.table else ""))  # fmt: skip

    def describe(self) -> str:
        kind = self.what
        bounds = ""
        if self.minimum is not None or self.maximum is not None:
            low = f"{self.minimum.normalize():f}" if self.minimum is not None else "…"
            high = f"{self.maximum.normalize():f}" if self.maximum is not None else "…"
            bounds = f", {low} to {high}"
        default = f" (default {self.default})" if self.default is not None else ""
        optional = " (optional)" if self.optional else ""
        return f"{self.name}{default}{optional}: {self.label or kind} [{kind}{bounds}]"


Kind = Literal["q", "b", "s", "r"]
"""Quantity, boolean, text, table row."""


@dataclass(frozen=True)
class C:
    """A node of a compiled formula: its kind, its unit (quantities), its row table."""

    kind: Kind
    unit: Unit = ONE
    table: str | None = None
    pos: int = 0
    zero: bool = False
    """The literal 0, which matches a quantity of any unit."""


@dataclass(frozen=True)
class CNum(C):
    value: Decimal = Decimal(0)
    text: str = ""


@dataclass(frozen=True)
class CStr(C):
    value: str = ""


@dataclass(frozen=True)
class CBool(C):
    value: bool = False


@dataclass(frozen=True)
class CParam(C):
    name: str = ""


@dataclass(frozen=True)
class CLet(C):
    name: str = ""


@dataclass(frozen=True)
class CCol(C):
    """Columns read from the row `base` evaluates to (`tariff.price`)."""

    base: C | None = None
    path: tuple[str, ...] = ()


@dataclass(frozen=True)
class CConv(C):
    """`arg` converted to `unit` by an exact factor (`GBP/day` → `GBP/year`: × 365)."""

    arg: C | None = None
    factor: Fraction = Fraction(1)


@dataclass(frozen=True)
class COp(C):
    op: str = ""
    args: tuple[C, ...] = ()


@dataclass(frozen=True)
class CFind(C):
    filters: tuple[tuple[str, C], ...] = ()


@dataclass(frozen=True)
class CCall(C):
    model: str = ""
    kwargs: tuple[tuple[str, C], ...] = ()


@dataclass(frozen=True)
class Let:
    name: str
    node: C
    text: str
    label: str
    currency: str | None = None
    """The currency its `unit` names (`unit: GBP/year`), into which a value in another is
    converted when evaluated (`currency.to_declared`)."""


@dataclass(frozen=True)
class Require:
    cond: C
    text: str
    message: str
    blame: tuple[str, ...]
    holes: tuple[tuple[str, C], ...] = ()
    """The `{...}` placeholders of the message, compiled."""


@dataclass(frozen=True)
class Flag:
    name: str
    test: C
    when: C | None
    label: str


@dataclass
class Model:
    """A compiled model, ready to evaluate."""

    name: str
    title: str
    label: str
    description: str
    unit: Unit
    unit_text: str
    params: dict[str, Param]
    lets: dict[str, Let]
    formula: C
    formula_text: str
    requires: list[Require]
    flags: list[Flag]
    style: str
    digits: int
    origin: str = ""
    """The file the model was declared in (`content/models/heating.yaml`, or the pack)."""
    calls: set[str] = field(default_factory=set)
    """Models this one calls."""
    sites: dict[str, tuple[tuple[str | int, ...], int]] = field(default_factory=dict)
    """Where it first calls each: the key of the formula and the offset in it."""


# ---------------------------------------------------------------- compiling


@dataclass
class Library:
    """Every model of a site (its own and the bundled pack), compiled, with its tables."""

    models: dict[str, Model] = field(default_factory=dict)
    tables: Tables = field(default_factory=Tables)
    currency: str = "USD"
    """The site's default currency (`currency` in citeguide.toml)."""
    units: Mapping[str, Named] = field(default_factory=dict)
    """The site's own count units."""
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    """Results computed from these models and tables, shared by every guide."""
    failed: dict[str, str] = field(default_factory=dict)
    """Models declared but unusable, and why (their errors are diagnostics of their file)."""
    unreadable: dict[str, str] = field(default_factory=dict)
    """Model files of the site that cannot be read (file → ""): the models declared there
    are unknown until they are fixed."""

    def unknown_model(self, name: str) -> str:
        """Why model `name` is unknown, when a model file cannot be read: "" otherwise."""
        if not self.unreadable:
            return ""
        files = ", ".join(sorted(self.unreadable))
        return (f"unknown model {name!r}: {files} cannot be read, and a model declared there "
                "is unknown until it is fixed")  # fmt: skip


ParamValue = Decimal | bool | str
"""A parsed parameter: a number in the parameter's unit, a flag, a currency or a row id."""


_SIGN = re.compile(r"\s*%\s*(?=\.\.|$)")


def unsigned_share(param: Param, text: str) -> bool:
    """Whether `text`, given to a parameter in `%`, is a bare number between 0 and 1 (`0.6`):
    read as 0.6%, where a fraction (60%) may have been meant (lint's `share-without-sign`;
    `0.6%` with its sign says which)."""
    raw = text.strip()
    if not (param.kind == "number" and param.unit is not None
            and param.unit.terms == (("%", 1),) and looks_numeric(raw)):  # fmt: skip
        return False
    try:
        return 0 < abs(parse_number(raw, param.name, signed=True)) < 1
    except CalcError:
        return False


def as_typed(param: Param, text: str) -> str:
    """A value for a parameter in `%` may carry its sign, as people write a share:
    `4.2%`, `1.5%..3.5%` (the form beside the field says `%` already); it was refused
    (`4.2%: no such row`, `is not a number`). So may its `default`, `min` and `max`."""
    if param.kind == "number" and param.unit is not None and param.unit.terms == (("%", 1),):
        return _SIGN.sub("", text.strip())
    return text


def parse_param(param: Param, text: str, tables: Tables, *, check_rows: bool = True) -> ParamValue:
    """The text of one `key=value` as the parameter's value; raises CalcError."""
    name = param.name
    if param.kind == "bool":
        return parse_bool(text, name)
    if param.kind == "currency":
        code = text.strip().upper()
        if code not in CURRENCIES:
            raise CalcError(f"{name}={text}: not an ISO 4217 currency code", name)
        return code
    raw = text.strip()
    if param.kind == "number" and looks_numeric(raw):
        number = parse_number(raw, name, signed=True)
        if (param.minimum is not None and number < param.minimum) or (
            param.maximum is not None and number > param.maximum
        ):
            raise CalcError(f"{name}={raw} is out of range: {range_text(param)}", name)
        return number
    if param.table is None:
        raise CalcError(not_a_number(name, raw), name)
    table = tables.get(param.table)
    if check_rows and (table is None or raw not in table.rows):
        why = tables.broken_row(param.table, raw) or tables.missing_table(param.table)
        if why:
            raise CalcError(f"{name}={raw}: {why}", name)
        known = sorted(table.rows) if table else []
        shown = raw if len(raw) <= 60 else raw[:40] + "…"
        hint = (f"; did you mean {difflib.get_close_matches(raw, known, n=1)[0]}?"
                if difflib.get_close_matches(raw, known, n=1)
                else (f"; known: {', '.join(known[:12])}" if known
                      else f"; {param.table}.yaml has no rows"))  # fmt: skip
        raise CalcError(f"{name}={shown}: no such row in {param.table}.yaml{hint}", name)
    return raw


def range_text(param: Param) -> str:
    """A parameter's bounds in words, as `calc` and the forms refuse a value outside them:
    `between 0 and 365/year`, `at least 1 GPU`, `between 1 and 600 months`."""
    last = param.maximum if param.maximum is not None else param.minimum
    assert last is not None
    unit = "" if param.unit is None else after_number(param.unit.text(plural=last != 1))
    if param.minimum is not None and param.maximum is not None:
        return f"between {param.minimum.normalize():f} and {last.normalize():f}{unit}"
    return f"{'at most' if param.minimum is None else 'at least'} {last.normalize():f}{unit}"


def relabel(node: C) -> bool:
    """Whether the steps leave `node` out of a product: `1[input_token/token]`, a unit
    written to say what a number counts (only counts, and worth exactly 1), not a value.
    `1[month]`, `1[year/month]` or `1[%]` are values and are shown (`× 1 month`): without
    them `4 days/month ÷ 8 days` read as a plain number. The twin's trees mark it."""
    return isinstance(node, CNum) and node.value == 1 and relabels(node.unit)


def params_read(model: Model) -> set[str]:
    """The parameters `model` can read: named by its formula, `let` values, `require`
    (conditions and message placeholders) or `flags`, whatever the branch taken."""
    nodes: list[C] = [model.formula, *(let.node for let in model.lets.values())]
    for req in model.requires:
        nodes += [req.cond, *(hole for _, hole in req.holes)]
    for flag in model.flags:
        nodes += [flag.test] + ([flag.when] if flag.when is not None else [])
    read: set[str] = set()
    while nodes:
        node = nodes.pop()
        if isinstance(node, CParam):
            read.add(node.name)
        nodes.extend(children(node))
    return read


def children(node: C) -> tuple[C, ...]:
    if isinstance(node, COp):
        return node.args
    if isinstance(node, CConv) and node.arg is not None:
        return (node.arg,)
    if isinstance(node, CCol) and node.base is not None:
        return (node.base,)
    if isinstance(node, CCall):
        return tuple(v for _, v in node.kwargs)
    if isinstance(node, CFind):
        return tuple(v for _, v in node.filters)
    return ()
