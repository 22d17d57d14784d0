"""Evaluating a compiled model: exact Decimal arithmetic, currencies, steps and sources.

Units were settled when the model compiled (every conversion is a node with an exact
factor); at run time only currencies move. A value in one currency meeting a value in
another (in `+`, `*`, a comparison, `min`...) is converted, through a cited row of
`fx.yaml`, to the evaluation's currency: the one the result is declared in, else the
model's `currency` parameter, else the site's. Nothing is converted that did not meet.

While it computes, the evaluator writes the arithmetic as a reader would check it, one
line per intermediate value (`let`), called model and result, each number at full
precision with its unit.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DecimalException,
    localcontext,
)
from fractions import Fraction
from functools import lru_cache
from typing import Any

from citeguide.costcore import format as fmt
from citeguide.costcore.library import (
    MAX_POWER,
    C,
    CBool,
    CCall,
    CCol,
    CConv,
    CFind,
    CLet,
    CNum,
    COp,
    CParam,
    CStr,
    Library,
    Model,
    Param,
    Require,
    parse_param,
)
from citeguide.costcore.quantities import CalcError, Range, plain
from citeguide.costcore.table_data import FxUse, TableRow
from citeguide.costcore.units import CURRENCIES, MONEY, ONE, Unit

_CONTEXT = Context(prec=34, rounding=ROUND_HALF_UP, Emax=10**6, Emin=-(10**6))
MAX_RANGED = 8
"""Ranged inputs one figure may have: its low and high take 2^n evaluations."""
MAX_CALLS = 2000
"""Model calls one evaluation may make (a bound for models calling models)."""


@dataclass(frozen=True)
class Val:
    """A quantity at run time: its number in the node's unit, and its currency if any."""

    num: Decimal
    cur: str | None = None


class NotGiven:
    """An optional parameter left out."""


NOT_GIVEN = NotGiven()
Value = Val | bool | str | TableRow | NotGiven


@dataclass(frozen=True)
class InputValue:
    """One parameter of the evaluated model as it was used."""

    name: str
    label: str
    value: Any
    """The number in `unit`, the flag, the currency, or the row id."""
    unit: str | None
    origin: str
    """`given` (in the marker), `default` (from the model)."""
    row: tuple[str, str] | None = None
    """(table, row id) when a row was given."""
    number: Any = None
    """For a parameter given a row, the number read from it (in `unit`)."""


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
        self.currency = _evaluation_currency(model, values, trace.lib)

    def step(self, line: str) -> None:
        if not self.trace.quiet:
            self.trace.steps.append(f"{self.prefix}{line}")


def _evaluation_currency(model: Model, values: Mapping[str, Value], lib: Library) -> str:
    declared = model.unit.currency
    if declared is not None and declared != MONEY:
        return declared
    for param in model.params.values():
        if param.kind == "currency":
            value = values.get(param.name)
            if isinstance(value, str):
                return value
    return lib.currency


# ---------------------------------------------------------------- results


@dataclass
class Result:
    """A computed value with everything needed to show, check and cite it."""

    calculator: str
    title: str
    inputs: dict[str, Any]
    params: list[InputValue]
    value: Decimal
    unit: str
    display: str
    formula: str
    steps: list[str]
    sources: list[TableRow]
    fx: list[FxUse]
    flags: dict[str, bool] = field(default_factory=dict)
    derived: dict[str, Any] = field(default_factory=dict)
    uncited: list[str] = field(default_factory=list)
    """Parameters that take a cited row but were given a typed number."""
    read: list[str] = field(default_factory=list)
    """Parameters the evaluation read (the branch taken)."""
    low: Decimal | None = None
    high: Decimal | None = None
    drivers: list[dict[str, Any]] = field(default_factory=list)
    """For a ranged figure: each ranged input's swing (value at its low and high)."""
    monotone: bool = True

    @property
    def extra(self) -> dict[str, Any]:
        """`feasible` and other flags, as the old calculators reported them."""
        return dict(self.flags)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `citeguide calc --json`."""
        data: dict[str, Any] = {
            "calculator": self.calculator,
            "model": self.calculator,
            "title": self.title,
            "inputs": self.inputs,
            "params": [_input_dict(p) for p in self.params],
            "derived": self.derived,
            "value": plain(self.value),
            "unit": self.unit,
            "display": self.display,
            "formula": self.formula,
            "steps": self.steps,
            "sources": sorted({c.url for r in self.sources for c in r.citations}),
            "facts": [fact_dict(r) for r in self.sources],
            "fx": [
                {
                    "id": x.id,
                    "base": x.base,
                    "quote": x.quote,
                    "rate": plain(x.rate),
                    "date": x.date.isoformat(),
                }
                for x in self.fx
            ],
            "uncited": self.uncited,
        }
        if self.low is not None and self.high is not None:
            data["low"], data["high"] = plain(self.low), plain(self.high)
            data["drivers"] = self.drivers
            data["monotone"] = self.monotone
        data.update(self.flags)
        return data


def _input_dict(p: InputValue) -> dict[str, Any]:
    data = {"name": p.name, "label": p.label, "value": p.value, "unit": p.unit,
            "origin": p.origin}  # fmt: skip
    if p.row is not None:
        data["table"], data["row"] = p.row
        data["number"] = p.number
    return data


def fact_dict(row: TableRow) -> dict[str, Any]:
    """A table row used by a calculation, as published."""
    data: dict[str, Any] = {
        "table": row.table,
        "id": row.id,
        "url": row.url,
        "date": row.date.isoformat(),
        "confidence": row.confidence,
        "sources": [
            {"url": c.url, "date": c.date.isoformat(), "confidence": c.confidence}
            for c in row.citations
        ],
    }
    if row.as_of is not None:
        data["as_of"] = row.as_of.isoformat()
    if row.estimate:
        data["estimate"] = True
    if row.note:
        data["note"] = row.note
    return data


# ---------------------------------------------------------------- the entry point


def evaluate(
    name: str, raw: Mapping[str, str], lib: Library, *, locale: str = "en", quiet: bool = False
) -> Result:
    """Evaluate model `name` with `key=value` texts; raises CalcError on bad input.

    `quiet` computes the value only: no steps, no display (a chart's samples)."""
    model = lib.models.get(name)
    if model is None and name in lib.failed:
        raise CalcError(f"model {name} cannot be used: {lib.failed[name]}")
    if model is None:
        close = difflib.get_close_matches(name, lib.models, n=1)
        hint = (
            f"; did you mean {close[0]}?" if close else f"; known: {', '.join(sorted(lib.models))}"
        )
        raise CalcError(f"unknown model {name!r}{hint}")
    trace = Trace(lib, locale, quiet=quiet)
    values, given, uncited, _ = _marker_values(model, raw, lib, trace)
    try:
        with _decimal():
            result = _run(model, values, given, trace)
    except _Arith as exc:
        raise CalcError(f"{name} cannot be computed with these inputs ({exc.args[0]})") from None
    result.uncited = uncited
    if trace.ranges:
        _ranges(model, values, given, trace, result)
    return result


class _Arith(Exception):
    pass


@contextmanager
def _decimal() -> Iterator[None]:
    try:
        with localcontext(_CONTEXT):
            yield
    except (ArithmeticError, DecimalException, OverflowError) as exc:
        text = "a division by zero" if "ivision" in type(exc).__name__ else "a result too large"
        raise _Arith(text) from None


def _marker_values(
    model: Model, raw: Mapping[str, str], lib: Library, trace: Trace
) -> tuple[dict[str, Value], set[str], list[str], bool]:
    values: dict[str, Value] = {}
    uncited: list[str] = []
    ranged = False
    for key, text in raw.items():
        param = model.params.get(key)
        if param is None:
            close = difflib.get_close_matches(key, model.params, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise CalcError(f"{model.name} has no parameter {key!r}{hint}", key)
        if param.kind == "number" and ".." in text:
            values[key] = _range_param(param, text, trace)
            ranged = True
            continue
        values[key] = _param_value(param, parse_param(param, text, lib.tables), lib)
        if param.takes_row and isinstance(values[key], Val):
            uncited.append(key)  # a typed number where a cited row could have gone
    for param in model.params.values():
        if param.name in values:
            continue
        if param.default is not None:
            values[param.name] = _param_value(param, parse_param(param, param.default, lib.tables),
                                              lib)  # fmt: skip
        elif param.kind == "currency":
            values[param.name] = lib.currency
        elif param.optional:
            values[param.name] = NOT_GIVEN
        else:
            raise CalcError(f"missing {param.name}=...: {param.label or param.what}",
                            param.name)  # fmt: skip
    return values, set(raw), uncited, ranged


def _range_param(param: Param, text: str, trace: Trace) -> Val:
    from citeguide.costcore.quantities import parse_value_text

    value = parse_value_text(text, param.name)
    low = value.low if isinstance(value, Range) else value
    high = value.high if isinstance(value, Range) else value
    for end in (low, high):
        if (param.minimum is not None and end < param.minimum) or (
            param.maximum is not None and end > param.maximum
        ):
            raise CalcError(f"{param.name}={text} is out of range", param.name)
    if isinstance(value, Range):
        trace.ranges[f"param:{param.name}"] = value
    return Val(_mid(value) if isinstance(value, Range) else value, None)


def _mid(value: Range) -> Decimal:
    with localcontext(_CONTEXT):
        return (value.low + value.high) / 2


def _param_value(param: Param, value: Decimal | bool | str, lib: Library) -> Value:
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return Val(value, None)
    if param.kind == "currency":
        return value
    table = lib.tables.get(param.table or "")
    assert table is not None
    return table.rows[value]


# ---------------------------------------------------------------- running a model


def _run(model: Model, values: dict[str, Value], given: set[str], trace: Trace,
         prefix: str = "") -> Result:  # fmt: skip
    frame = Frame(model, values, given, trace, prefix)
    for name, value in values.items():
        param = model.params[name]
        if isinstance(value, Val) and param.unit is not None and param.unit.currency is not None:
            code = param.unit.currency
            values[name] = Val(value.num, frame.currency if code == MONEY else code)
    for req in model.requires:
        held, _ = _eval(req.cond, frame)
        if held is True:
            raise CalcError(_message(req, frame), _blame(req.blame, frame))
    body = model.formula
    top = body.arg if isinstance(body, CConv) and body.arg is not None else body
    value, text, prec = _ev(top, frame)
    assert isinstance(value, Val)
    result = value
    if isinstance(body, CConv):
        result = Val(_times(value.num, body.factor), value.cur)
    # The arithmetic in the currency it was done in, then its conversion, if any.
    line = _result_line(top, value, text, prec, body, result, frame)
    if line:
        frame.step(line)
    result = _to_currency(result, model.unit, frame, final=True, shown=(top, value, text))
    unit = model.unit.with_currency(result.cur) if result.cur else model.unit
    flags: dict[str, bool] = {}
    for flag in model.flags:
        if flag.when is not None:
            when, _ = _eval(flag.when, frame)
            if when is not True:
                continue
        held, flag_text = _eval(flag.test, frame)
        flags[flag.name] = bool(held)
        frame.step(f"{flag.label or flag.name}: {flag_text} → {'yes' if held else 'no'}")
    inputs, params = _inputs(frame)
    derived = {name: _plain_value(v) for name, (v, _) in frame.lets.items()
               if isinstance(v, Val | bool)}  # fmt: skip
    return Result(
        calculator=model.name,
        title=model.title,
        inputs=inputs,
        params=params,
        value=result.num,
        unit=unit.text(plural=True),
        display=""
        if trace.quiet
        else display(result.num, unit, model.style, model.digits, trace.locale),
        formula=model.formula_text,
        steps=list(trace.steps),
        sources=list(trace.facts.values()),
        fx=list(trace.fx.values()),
        flags=flags,
        derived=dict(sorted(derived.items())),
        read=list(frame.read),
    )


def _result_line(top: C, value: Val, text: str, prec: int, body: C, result: Val, frame: Frame
                 ) -> str:  # fmt: skip
    shown_value = _show(value, top.unit, frame)
    final = _show(result, frame.model.unit.with_currency(result.cur) if result.cur
                  else frame.model.unit, frame)  # fmt: skip
    if (
        isinstance(body, CConv)
        and body.arg is not None
        and body.factor != 1
        and (not same_terms(body.arg.unit, body.unit))
    ):
        return f"{_wrap(text, prec, 6)} {conversion_text(body, frame.trace.locale)} = {final}"
    if text in (shown_value, final):
        return ""
    return f"{text} = {final}"


def _plain_value(value: Val | bool) -> Any:
    return value if isinstance(value, bool) else plain(value.num)


def _inputs(frame: Frame) -> tuple[dict[str, Any], list[InputValue]]:
    inputs: dict[str, Any] = {}
    params: list[InputValue] = []
    for name in sorted(set(frame.read) | frame.given):
        param = frame.model.params[name]
        value = frame.values[name]
        if isinstance(value, NotGiven):
            continue
        origin = "given" if name in frame.given else "default"
        unit = _unit_text(param.unit, value, frame) if param.unit is not None else None
        if isinstance(value, TableRow):
            inputs[name] = value.id
            number = None
            if param.column is not None:
                cell = value.values.get(param.column)
                number = plain(cell) if isinstance(cell, Decimal) else str(cell)
            params.append(InputValue(name, param.label, value.id, unit, origin,
                                     (value.table, value.id), number))  # fmt: skip
        elif isinstance(value, Val):
            ranged = frame.trace.ranges.get(f"param:{name}") if frame.prefix == "" else None
            shown: Any = str(ranged) if ranged is not None else plain(value.num)
            inputs[name] = shown
            params.append(InputValue(name, param.label, shown, unit, origin))
        else:
            inputs[name] = value
            params.append(InputValue(name, param.label, value, unit, origin))
    return dict(sorted(inputs.items())), params


def _unit_text(unit: Unit, value: Value, frame: Frame) -> str:
    if isinstance(value, Val) and value.cur and unit.currency:
        return unit.with_currency(value.cur).text()
    if unit.currency == MONEY:
        return unit.with_currency(frame.currency).text()
    return unit.text()


def _blame(names: tuple[str, ...], frame: Frame) -> str | None:
    for name in names:
        if name in frame.given:
            return name
    return names[0] if names else None


def _message(req: Require, frame: Frame) -> str:
    text: str = req.message
    for hole, node in req.holes:
        try:
            value, _ = _eval(node, frame)
        except CalcError:
            continue
        if isinstance(node, CParam) and isinstance(frame.values.get(node.name), TableRow):
            value = frame.values[node.name]
        shown = _show(value, node.unit, frame) if isinstance(value, Val) else _word(value)
        text = text.replace("{" + hole + "}", shown)
    return text


def _word(value: Value) -> str:
    if isinstance(value, TableRow):
        return value.id
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"{value}"


# ---------------------------------------------------------------- nodes

_PREC = {"or": 1, "and": 2, "not": 3, "cmp": 4, "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7,
         "^": 8}  # fmt: skip
_SYMBOL = {"+": "+", "-": "−", "*": "×", "/": "÷", "^": "^", "<": "<", "<=": "≤", ">": ">",
           ">=": "≥", "==": "=", "!=": "≠", "and": "and", "or": "or"}  # fmt: skip


def _eval(node: C, frame: Frame) -> tuple[Value, str]:
    """The value of `node` and its text with values filled in (for the steps)."""
    value, text, _ = _ev(node, frame)
    return value, text


def _ev(node: C, frame: Frame) -> tuple[Value, str, int]:
    if isinstance(node, CNum):
        cur = None
        if node.unit.currency is not None:
            cur = frame.currency if node.unit.currency == MONEY else node.unit.currency
        return Val(node.value, cur), _literal(node, frame), 9
    if isinstance(node, CStr):
        return node.value, f"'{node.value}'", 9
    if isinstance(node, CBool):
        return node.value, "true" if node.value else "false", 9
    if isinstance(node, CParam):
        return _param(node, frame)
    if isinstance(node, CLet):
        return _let(node.name, frame)
    if isinstance(node, CCol):
        return _column(node, frame)
    if isinstance(node, CConv):
        assert node.arg is not None
        value, text, prec = _ev(node.arg, frame)
        assert isinstance(value, Val)
        converted = Val(_times(value.num, node.factor), value.cur)
        if same_terms(node.arg.unit, node.unit) or node.factor == 1:
            return converted, text, prec
        return converted, f"{_wrap(text, prec, 6)} {conversion_text(node, frame.trace.locale)}", 6
    if isinstance(node, COp):
        return _op(node, frame)
    if isinstance(node, CFind):
        return _find(node, frame)
    if isinstance(node, CCall):
        return _call(node, frame)
    raise CalcError("cannot evaluate this formula")  # pragma: no cover


def same_terms(a: Unit, b: Unit) -> bool:
    """The same named units, whatever their order (only a written factor may differ)."""
    return sorted(a.terms) == sorted(b.terms)


def conversion_text(node: CConv, locale: str) -> str:
    """`× 365 days/year`, `× 3,600 s/h`, `÷ 8,000,000,000 bits/GB`."""
    assert node.arg is not None
    factor = node.factor
    if factor.numerator == 1 and factor.denominator != 1:
        label = node.arg.unit / node.unit
        return f"÷ {exact_number(Decimal(factor.denominator), locale)} {label.text(plural=True)}"
    label = node.unit / node.arg.unit
    value = Decimal(factor.numerator) / Decimal(factor.denominator)
    return f"× {exact_number(value, locale)} {label.text(plural=factor != 1)}"


def _wrap(text: str, prec: int, need: int) -> str:
    return f"({text})" if prec < need else text


def _param(node: CParam, frame: Frame) -> tuple[Value, str, int]:
    name = node.name
    value = frame.values.get(name, NOT_GIVEN)
    if name not in frame.read:
        frame.read.append(name)
    param = frame.model.params[name]
    if isinstance(value, NotGiven):
        raise CalcError(f"missing {name}=...: {param.label or param.what}", name)
    if node.kind == "q":
        if isinstance(value, TableRow):
            if param.column is None:
                raise CalcError(f"{name}={value.id} is a row; here a number is needed", name)
            cell = _cell(value, param.column, frame, name)
            col_unit = frame.trace.lib.tables.tables[value.table].columns[param.column].unit
            assert col_unit is not None
            assert param.unit is not None
            number = _times(cell.num, col_unit.to(param.unit))
            val = Val(number, cell.cur)
            return val, _show(val, param.unit, frame), 9
        assert isinstance(value, Val)
        key = f"param:{name}"
        if key in frame.trace.ranges and frame.prefix == "":
            value = Val(frame.trace.choice.get(key, value.num), value.cur)
        return value, _show(value, node.unit, frame), 9
    if isinstance(value, TableRow):
        return value, value.id, 9
    return value, _word(value), 9


def _let(name: str, frame: Frame) -> tuple[Value, str, int]:
    if name in frame.lets:
        value, shown = frame.lets[name]
        return value, shown, 9
    let = frame.model.lets[name]
    value, text, _prec = _ev(let.node, frame)
    if isinstance(value, Val):
        shown = _show(value, let.node.unit, frame)
        if text != shown:
            label = let.label or name.replace("_", " ")
            head = "" if label == frame.model.label else f"{label} = "
            frame.step(f"{head}{text} = {shown}")
    else:
        shown = text
    frame.lets[name] = (value, shown)
    return value, shown, 9


def _row_of(value: Value, what: str) -> TableRow:
    if not isinstance(value, TableRow):
        raise CalcError(f"{what} is not a row here")
    return value


def _column(node: CCol, frame: Frame) -> tuple[Value, str, int]:
    assert node.base is not None
    base, _, _ = _ev(node.base, frame)
    row = _row_of(base, ".".join(node.path))
    param = node.base.name if isinstance(node.base, CParam) else None
    for i, col in enumerate(node.path):
        last = i == len(node.path) - 1
        table = frame.trace.lib.tables.tables[row.table]
        column = table.columns[col]
        if col not in row.values:
            why = row.absent.get(col, f"has no {col} in {row.table}.yaml")
            raise CalcError(f"{row.id} {why}", param)
        if column.kind == "ref":
            target = frame.trace.lib.tables.tables.get(column.ref or "")
            ref = str(row.values[col])
            if target is None or ref not in target.rows:
                raise CalcError(f"{row.id}.{col}: no row {ref!r} in {column.ref}.yaml", param)
            row = target.rows[ref]
            if last:
                return row, row.id, 9
            continue
        if column.kind == "quantity":
            val = _cell(row, col, frame, param)
            assert column.unit is not None
            return val, _show(val, column.unit, frame), 9
        cell = row.values[col]
        return cell, str(cell) if not isinstance(cell, bool) else _word(cell), 9  # type: ignore[return-value]
    raise CalcError("cannot read this column")  # pragma: no cover


def _cell(row: TableRow, col: str, frame: Frame, param: str | None) -> Val:
    table = frame.trace.lib.tables.tables[row.table]
    column = table.columns[col]
    if col not in row.values:
        why = row.absent.get(col, f"has no {col} in {row.table}.yaml")
        raise CalcError(f"{row.id} {why}", param)
    cell = row.values[col]
    if not frame.trace.quiet:
        frame.trace.facts.setdefault((row.table, row.id), row)
    if isinstance(cell, Range):
        key = f"row:{row.table}:{row.id}:{col}"
        frame.trace.ranges.setdefault(key, cell)
        number = frame.trace.choice.get(key, _mid(cell))
    else:
        assert isinstance(cell, Decimal)
        number = cell
    cur = None
    assert column.unit is not None
    if column.unit.currency is not None:
        cur = column.unit.currency
        if cur == MONEY:
            code = row.values.get(table.currency_column or "")
            if not isinstance(code, str) or code not in CURRENCIES:
                raise CalcError(f"{row.id} has no currency for its {col}", param)
            cur = code
    return Val(number, cur)


def _op(node: COp, frame: Frame) -> tuple[Value, str, int]:
    op = node.op
    if op in ("and", "or"):
        left, ltext, lp = _ev(node.args[0], frame)
        if (op == "and" and left is False) or (op == "or" and left is True):
            return left, ltext, lp
        right, rtext, rp = _ev(node.args[1], frame)
        prec = _PREC[op]
        return bool(right), f"{_wrap(ltext, lp, prec)} {op} {_wrap(rtext, rp, prec + 1)}", prec
    if op == "not":
        value, text, prec = _ev(node.args[0], frame)
        return not value, f"not {_wrap(text, prec, 3)}", 3
    if op in ("given", "is_row"):
        arg = node.args[0]
        assert isinstance(arg, CParam)
        value = frame.values.get(arg.name, NOT_GIVEN)
        if op == "given":
            return arg.name in frame.given and not isinstance(value, NotGiven), "", 9
        return isinstance(value, TableRow), "", 9
    if op == "has":
        col = node.args[0]
        assert isinstance(col, CCol)
        assert col.base is not None
        base, _, _ = _ev(col.base, frame)
        row = base
        for name in col.path[:-1]:
            row = _ev(CCol("r", base=col.base, path=(name,)), frame)[0]
        return isinstance(row, TableRow) and col.path[-1] in row.values, "", 9
    if op == "if":
        cond, _, _ = _ev(node.args[0], frame)
        branch = node.args[1] if cond is True else node.args[2]
        return _ev(branch, frame)
    if op == "neg":
        value, text, prec = _ev(node.args[0], frame)
        assert isinstance(value, Val)
        return Val(-value.num, value.cur), f"−{_wrap(text, prec, 7)}", 7
    if op in ("min", "max", "ceil", "floor", "abs", "round"):
        return _function(node, frame)
    left, ltext, lp = _ev(node.args[0], frame)
    right, rtext, rp = _ev(node.args[1], frame)
    if op in ("==", "!=") and not isinstance(left, Val):
        same = (left.id if isinstance(left, TableRow) else left) == (
            right.id if isinstance(right, TableRow) else right
        )
        return same == (op == "=="), f"{ltext} {_SYMBOL[op]} {rtext}", 4
    assert isinstance(left, Val)
    assert isinstance(right, Val)
    if op in ("+", "-", "<", "<=", ">", ">=", "==", "!=", "*", "/"):
        (left, ltext, lp), (right, rtext, rp) = _meet(
            (left, ltext, lp, node.args[0]), (right, rtext, rp, node.args[1]), frame
        )
    prec = _PREC.get(op, 4)
    symbol = _SYMBOL[op]
    text = f"{_wrap(ltext, lp, prec)} {symbol} {_wrap(rtext, rp, prec + 1)}"
    if op == "*" and _relabel(node.args[1]):
        text, prec = ltext, lp
    elif op == "*" and _relabel(node.args[0]):
        text, prec = rtext, rp
    if op == "^":
        text = f"{_wrap(ltext, lp, 9)}^{_wrap(rtext, rp, 8)}"
    cur = left.cur or right.cur
    if op == "+":
        return Val(left.num + right.num, cur), text, prec
    if op == "-":
        return Val(left.num - right.num, cur), text, prec
    if op == "*":
        return Val(left.num * right.num, _cur(node, cur)), text, prec
    if op == "/":
        if right.num == 0:
            raise _Arith("a division by zero")
        return Val(left.num / right.num, _cur(node, cur)), text, prec
    if op == "^":
        if abs(right.num) > MAX_POWER:
            raise CalcError(f"an exponent of {right.num} is too large (at most {MAX_POWER})")
        if right.num != right.num.to_integral_value() and left.num < 0:
            raise CalcError("a negative number cannot be raised to a fractional power")
        if left.num == 0 and right.num < 0:
            raise _Arith("a division by zero")
        return Val(left.num**right.num, None), text, 8
    compare = {"<": left.num < right.num, "<=": left.num <= right.num, ">": left.num > right.num,
               ">=": left.num >= right.num, "==": left.num == right.num,
               "!=": left.num != right.num}[op]  # fmt: skip
    return compare, text, 4


def _relabel(node: C) -> bool:
    """`1[input_token/token]`: a unit written to say what a number counts, not a value."""
    return isinstance(node, CNum) and node.value == 1 and node.unit != ONE


def _cur(node: C, cur: str | None) -> str | None:
    return cur if node.unit.currency is not None else None


def _function(node: COp, frame: Frame) -> tuple[Value, str, int]:
    op = node.op
    evaluated = [_ev(arg, frame) for arg in node.args]
    vals = [v for v, _, _ in evaluated]
    texts = [t for _, t, _ in evaluated]
    if op in ("min", "max"):
        items: list[Item] = []
        for (v, t, p), a in zip(evaluated, node.args, strict=True):
            assert isinstance(v, Val)
            items.append((v, t, p, a))
        first = items[0]
        met: list[tuple[Val, str, int]] = [first[:3]]
        for other in items[1:]:
            head, tail = _meet(first, other, frame)
            met[0] = head
            met.append(tail)
        chosen = (min if op == "min" else max)(met, key=lambda m: m[0].num)
        return chosen[0], f"{op}({', '.join(m[1] for m in met)})", 9
    value = vals[0]
    assert isinstance(value, Val)
    if op == "abs":
        return Val(abs(value.num), value.cur), f"|{texts[0]}|", 9
    if op in ("ceil", "floor"):
        rounding = ROUND_CEILING if op == "ceil" else ROUND_FLOOR
        return (
            Val(value.num.to_integral_value(rounding=rounding), value.cur),
            f"{op}({texts[0]})",
            9,
        )
    places = int(vals[1].num) if len(vals) > 1 and isinstance(vals[1], Val) else 0
    rounded = value.num.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return Val(rounded, value.cur), f"round({', '.join(texts)})", 9


Item = tuple[Val, str, int, C]


def _meet(a: Item, b: Item, frame: Frame) -> tuple[tuple[Val, str, int], tuple[Val, str, int]]:
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


def _power_of_money(unit: Unit) -> int:
    return sum(p for n, p in unit.terms if n == MONEY or n in CURRENCIES)


def _fx(value: Val, unit: Unit, target: str, frame: Frame) -> tuple[Val, Decimal, FxUse]:
    assert value.cur is not None
    use, factor = frame.trace.lib.tables.fx_rate(value.cur, target)
    if not frame.trace.quiet:
        frame.trace.fx.setdefault(use.id, use)
        fx_table = frame.trace.lib.tables.tables["fx"]
        frame.trace.facts.setdefault(("fx", use.id), fx_table.rows[use.id])
    power = _power_of_money(unit)
    return Val(value.num * factor**power, target), factor, use


def _fx_inline(value: Val, text: str, prec: int, unit: Unit, target: str, frame: Frame
               ) -> tuple[Val, str, int]:  # fmt: skip
    source = value.cur
    converted, _factor, use = _fx(value, unit, target, frame)
    return converted, f"{_wrap(text, prec, 6)} {_rate_text(use, source, target, frame)}", 6


def _rate_text(use: FxUse, source: str | None, target: str, frame: Frame) -> str:
    """The conversion as the fx row states it: `× 1.3399 USD/GBP` or `÷ 1.3399 USD/GBP`."""
    rate = _number(use.rate, frame)
    op = "×" if (use.base, use.quote) == (source, target) else "÷"
    return f"{op} {rate} {use.quote}/{use.base}"


def _to_currency(value: Val, unit: Unit, frame: Frame, *, final: bool, shown: Any) -> Val:
    if unit.currency is None or value.cur is None:
        return value
    target = frame.currency
    if value.cur == target:
        return value
    _top, _before, _ = shown
    converted, _factor, use = _fx(value, unit, target, frame)
    frame.step(
        f"{_show(value, unit.with_currency(value.cur), frame)} "
        f"{_rate_text(use, value.cur, target, frame)} ({use.id}, {use.date}) = "
        f"{_show(converted, unit.with_currency(target), frame)}"
    )
    return converted


def _find(node: CFind, frame: Frame) -> tuple[Value, str, int]:
    table = frame.trace.lib.tables.get(node.table or "")
    wanted = []
    for col, sub in node.filters:
        value, _, _ = _ev(sub, frame)
        wanted.append((col, value.id if isinstance(value, TableRow) else value))
    if table is None:
        raise CalcError(f"no table {node.table}.yaml to find a row in")

    def matches(row: TableRow) -> bool:
        for col, want in wanted:
            have = row.values.get(col)
            if isinstance(want, Val):
                if not isinstance(have, Decimal) or have != want.num:
                    return False
            elif have != want:
                return False
        return True

    found = [row for row in table.rows.values() if matches(row)]
    where = ", ".join(f"{c}={w.num if isinstance(w, Val) else w}" for c, w in wanted)
    if not found:
        raise CalcError(f"no row of {table.name}.yaml has {where}")
    if len(found) > 1:
        ids = ", ".join(r.id for r in found)
        raise CalcError(f"several rows of {table.name}.yaml have {where}: {ids}; name one")
    return found[0], found[0].id, 9


def _call(node: CCall, frame: Frame) -> tuple[Value, str, int]:
    trace = frame.trace
    trace.calls += 1
    if trace.calls > MAX_CALLS:
        raise CalcError(f"more than {MAX_CALLS} model calls in one figure")
    callee = trace.lib.models[node.model]
    values: dict[str, Value] = {}
    given: set[str] = set()
    for key, arg in node.kwargs:
        if isinstance(arg, CParam) and isinstance(frame.values.get(arg.name), NotGiven):
            continue  # an optional parameter left out stays left out
        if (
            isinstance(arg, CParam)
            and arg.name not in frame.given
            and not isinstance(frame.values.get(arg.name), NotGiven)
        ):
            # the caller's own default passes on, but as a default: not "given"
            pass
        held = frame.values.get(arg.name) if isinstance(arg, CParam) else None
        if isinstance(held, TableRow) and callee.params[key].takes_row:
            values[key] = held  # a row passes on as the row, not only its number
        elif isinstance(arg, CStr) and callee.params[key].takes_row:
            param = callee.params[key]
            table = trace.lib.tables.get(param.table or "")
            if table is None or arg.value not in table.rows:
                raise CalcError(f"{callee.name}: no row {arg.value!r} in {param.table}.yaml")
            values[key] = table.rows[arg.value]
        elif isinstance(arg, CParam) and arg.kind == "q" and isinstance(held, Val):
            # Passed on without being read here: the called model decides whether it is.
            range_key = f"param:{arg.name}"
            if range_key in trace.ranges and frame.prefix == "":
                held = Val(trace.choice.get(range_key, held.num), held.cur)
            values[key] = held
        else:
            value, _, _ = _ev(arg, frame)
            values[key] = value
        if not (isinstance(arg, CParam) and arg.name not in frame.given):
            given.add(key)
    for param in callee.params.values():
        if param.name in values:
            _check_bounds(callee, param, values[param.name])
            continue
        if param.default is not None:
            values[param.name] = _param_value(
                param, parse_param(param, param.default, trace.lib.tables), trace.lib
            )
        elif param.kind == "currency":
            values[param.name] = frame.currency
        elif param.optional:
            values[param.name] = NOT_GIVEN
        else:
            raise CalcError(f"{callee.name} needs {param.name}=...")
    # Passing a parameter on counts as giving it when the caller's was given.
    for key, arg in node.kwargs:
        if isinstance(arg, CParam) and arg.name in frame.given:
            given.add(key)
    prefix = f"{callee.label}: "
    if trace.quiet:
        memo_key = ("call", callee.name, tuple(sorted((k, _key(v)) for k, v in values.items())),
               frozenset(given), tuple(sorted(trace.choice.items())))  # fmt: skip
        memo: dict[Any, Result] = trace.lib.memo.setdefault("quiet-calls", {})
        if memo_key not in memo:
            if len(memo) > 50_000:
                memo.clear()
            memo[memo_key] = _run(callee, values, given, trace, prefix=prefix)
        result = memo[memo_key]
    else:
        result = _run(callee, values, given, trace, prefix=prefix)
    # A parameter passed on counts as read when the called model read it.
    for key, arg in node.kwargs:
        if isinstance(arg, CParam) and key in result.read and arg.name not in frame.read:
            frame.read.append(arg.name)
    val = Val(result.value, _result_currency(callee, result, trace.lib))
    return val, _show(val, node.unit, frame), 9


def _key(value: Value) -> object:
    if isinstance(value, TableRow):
        return (value.table, value.id)
    if isinstance(value, NotGiven):
        return "\0not-given"
    return value


def _result_currency(model: Model, result: Result, lib: Library) -> str | None:
    if model.unit.currency is None:
        return None
    for code in CURRENCIES:
        if result.unit.startswith(code) or f"/{code}" in result.unit:
            return code
    return lib.currency


def _check_bounds(model: Model, param: Param, value: Value) -> None:
    if not isinstance(value, Val):
        return
    if (param.minimum is not None and value.num < param.minimum) or (
        param.maximum is not None and value.num > param.maximum
    ):
        raise CalcError(f"{model.name}: {param.name}={plain(value.num)} is out of range "
                        f"({param.describe()})")  # fmt: skip


# ---------------------------------------------------------------- showing numbers


def _times(num: Decimal, factor: Fraction) -> Decimal:
    if factor == 1:
        return num
    if factor.denominator == 1:
        return num * factor.numerator
    return num * factor.numerator / factor.denominator


def _fraction_text(factor: Fraction, frame: Frame) -> str:
    if factor.denominator == 1:
        return _number(Decimal(factor.numerator), frame)
    value = Decimal(factor.numerator) / Decimal(factor.denominator)
    if value * factor.denominator == factor.numerator:
        return _number(value, frame)
    return f"{factor.numerator:,}/{factor.denominator:,}"


def _number(value: Decimal, frame: Frame) -> str:
    return exact_number(value, frame.trace.locale)


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


def _show(value: Value, unit: Unit, frame: Frame) -> str:
    if frame.trace.quiet:
        return ""
    if not isinstance(value, Val):
        return _word(value)
    return show_quantity(value.num, unit, value.cur, frame.trace.locale, frame.currency)


_COUNTS = {"token", "input_token", "output_token", "request", "GPU", "parameter"}


@lru_cache(maxsize=4096)
def show_spec(unit: Unit) -> dict[str, str]:
    """How a quantity in `unit` is written in the steps, as data the page's script uses too.

    `fold`: a factor multiplied in first (a written factor such as the 1M of `/1M months`
    is folded into the number, except per a million of a count, `$2.00/1M tokens`);
    `kind`: `money` (symbol, then `tail`), `percent`, `plain` (a bare number, or `× unit`
    in `tail`), or `number` (then the unit, `one` or `many` by the number)."""
    fold = Fraction(1)
    if unit.factor != 1:
        bottom = [n for n, p in unit.terms if p < 0]
        top = [n for n, p in unit.terms if p > 0]
        counted = bool(bottom) and bottom[0] in _COUNTS and unit.factor.numerator == 1
        if not (counted or (not bottom and top and top[0] in _COUNTS
                            and unit.factor.denominator == 1)):  # fmt: skip
            fold, unit = unit.factor, Unit(unit.terms, Fraction(1), unit.extra)
    spec = {"fold": str(fold)}
    code = unit.currency
    if code is not None and dict(unit.terms).get(code) == 1:
        rest = Unit(tuple((n, p) for n, p in unit.terms if n != code), unit.factor, unit.extra)
        tail = ""
        if rest.terms or rest.factor != 1:
            text = rest.text()
            tail = text[1:] if text.startswith("1/") else " " + text
        return {**spec, "kind": "money", "currency": code, "tail": tail}
    if unit == ONE or not unit.terms:
        return {**spec, "kind": "plain", "tail": "" if unit.factor == 1 else f" × {unit.text()}"}
    if unit.terms == (("%", 1),):
        return {**spec, "kind": "percent"}
    return {**spec, "kind": "number", "one": unit.text(), "many": unit.text(plural=True)}


def show_quantity(num: Decimal, unit: Unit, cur: str | None, locale: str = "en",
                  default_currency: str = "USD") -> str:  # fmt: skip
    """`£0.2635/kWh`, `12,000 kWh/year`, `0.75`, `10,000,000 tokens/month`."""
    spec = show_spec(unit)
    fold = Fraction(spec["fold"])
    if fold != 1:
        num = _times(num, fold)
    if spec["kind"] == "money":
        code = cur or (default_currency if spec["currency"] == MONEY else spec["currency"])
        return _money_text(num, code, locale) + spec["tail"]
    number = exact_number(num, locale)
    if spec["kind"] == "plain":
        return number + spec["tail"]
    if spec["kind"] == "percent":
        return f"{number}%"
    return f"{number} {spec['many'] if num != 1 else spec['one']}"


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


def _literal(node: CNum, frame: Frame) -> str:
    if frame.trace.quiet:
        return ""
    if node.unit == ONE:
        return node.text
    cur = frame.currency if node.unit.currency == MONEY else node.unit.currency
    return show_quantity(node.value, node.unit, cur, frame.trace.locale, frame.currency)


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
    }


def display(value: Decimal, unit: Unit, style: str, digits: int, locale: str) -> str:
    """The figure as the page shows it: `£1,444`, `1.03 billion tokens`, `37.8 years`."""
    code = unit.currency
    if style == "money" and code is not None and code != MONEY:
        return fmt.money(value, code, locale)
    if style == "count":
        noun = next((n for n, p in unit.terms if p == 1 and n not in (code,)), "")
        named = unit._named(noun) if noun else None
        word = (named.plural if value != 1 else named.singular) if named else ""
        return f"{fmt.count(value, locale)} {word.replace('_', ' ')}".strip()
    if style == "gigabytes":
        return fmt.gigabytes(value, locale)
    if style == "percent":
        return fmt.share(value, locale)
    number = fmt.significant(value, digits, locale)
    if unit == ONE or not unit.terms:
        return number
    return f"{number} {unit.text(plural=value != 1)}"


# ---------------------------------------------------------------- ranges


def _ranges(model: Model, values: dict[str, Value], given: set[str], trace: Trace,
            result: Result) -> None:  # fmt: skip
    """Low and high of a figure with ranged inputs, and what moves it most.

    The figure is evaluated at every corner of its ranged inputs (each at its low or its
    high): exact for formulas that move one way in each input, which cost models are.
    It is also evaluated at each input's midpoint with the others at every corner; if a
    midpoint falls outside the corners, the formula is not monotone there, the range is
    widened to include it and `monotone` is false.
    """
    keys = sorted(trace.ranges)
    if len(keys) > MAX_RANGED:
        raise CalcError(f"{model.name}: more than {MAX_RANGED} ranged inputs in one figure")

    def at(choice: dict[str, Decimal]) -> Decimal:
        quiet = Trace(trace.lib, trace.locale, ranges=dict(trace.ranges), choice=choice,
                      quiet=True)  # fmt: skip
        with _decimal():
            fresh = {k: v for k, v in values.items()}
            return _run(model, fresh, set(given), quiet).value

    corners = []
    for mask in range(2 ** len(keys)):
        choice = {k: (trace.ranges[k].high if mask >> i & 1 else trace.ranges[k].low)
                  for i, k in enumerate(keys)}  # fmt: skip
        corners.append(at(choice))
    low, high = min(corners), max(corners)
    monotone = True
    for key in keys:
        others = [k for k in keys if k != key]
        # The others at every corner while there are few of them, else all low or all high.
        masks = range(2 ** len(others)) if len(others) <= 4 else (0, 2 ** len(others) - 1)
        for mask in masks:
            choice = {
                k: (trace.ranges[k].high if mask >> i & 1 else trace.ranges[k].low)
                for i, k in enumerate(others)
            }
            value = at({**choice, key: _mid(trace.ranges[key])})
            if value < low or value > high:
                monotone = False
                low, high = min(low, value), max(high, value)
    drivers = []
    central = {k: _mid(trace.ranges[k]) for k in keys}
    unit = parse_result_unit(result, model)
    labels = driver_labels(result.params)
    for key in keys:
        lo = at({**central, key: trace.ranges[key].low})
        hi = at({**central, key: trace.ranges[key].high})
        name = _input_name(key)
        drivers.append({
            "input": name,
            "label": labels.get(name) or labels.get(name.rpartition(".")[0]) or name,
            "low": plain(lo),
            "high": plain(hi),
            "swing": plain(abs(hi - lo)),
            "low_text": display(lo, unit, model.style, model.digits, trace.locale),
            "high_text": display(hi, unit, model.style, model.digits, trace.locale),
        })  # fmt: skip
    drivers.sort(key=lambda d: (-float(d["swing"]), str(d["input"])))
    result.low, result.high, result.monotone = low, high, monotone
    result.drivers = drivers
    result.steps.insert(0, "With every range at its midpoint:")
    result.display = range_display(low, high, unit, model.style, model.digits, trace.locale)


def driver_labels(params: list[InputValue]) -> dict[str, str]:
    """What a reader calls each ranged input: the parameter's label without its
    parenthesis (`Heat pump's seasonal efficiency`), and for a ranged cell of a row given
    to a parameter, `table:row` → that label with the row (`... (ashp-eoh-spread)`)."""
    labels = {}
    for p in params:
        head = (p.label or p.name).split(" (", 1)[0].strip() or p.name
        short = head[:1].upper() + head[1:]
        labels[p.name] = short
        if p.row is not None:
            labels[f"{p.row[0]}:{p.row[1]}"] = f"{short} ({p.row[1]})"
    return labels


def parse_result_unit(result: Result, model: Model) -> Unit:
    for code in CURRENCIES:
        if result.unit.startswith(code):
            return model.unit.with_currency(code)
    return model.unit


def _input_name(key: str) -> str:
    if key.startswith("param:"):
        return key[6:]
    _, table, row, col = key.split(":", 3)
    return f"{table}:{row}.{col}"


def range_display(low: Decimal, high: Decimal, unit: Unit, style: str, digits: int,
                  locale: str) -> str:  # fmt: skip
    """`£1.8–2.9 billion`, `£1,500–£2,500`, `37.8–51.5 years`."""
    a = display(low, unit, style, digits, locale)
    b = display(high, unit, style, digits, locale)
    if a == b:
        return a
    return fmt.join_range(a, b)


def steps_of(result: Result) -> list[str]:
    return result.steps


Callback = Callable[[str], None]
_ = re
