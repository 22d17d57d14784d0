"""Running a compiled model: the value of every node, and the steps that show it.

`run_model` checks the model's `require` constraints, evaluates its formula (reading
parameters, `let` values, rows' columns, and calling other models, each with its own
frame), converts the result to the evaluation's currency and reports its flags. Each node
gives its value, its text with the values filled in, and the text's precedence."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from citeguide.costcore.currency import Item, meet, result_currency, to_currency, to_declared
from citeguide.costcore.display import conversion_text, display, message_quantity, shown_conversion
from citeguide.costcore.frame import (
    NOT_GIVEN,
    Arith,
    Frame,
    NotGiven,
    Trace,
    Val,
    Value,
    call_prefix,
    literal,
    show,
    word,
    wrap,
)
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
    Model,
    Require,
    relabel,
)
from citeguide.costcore.quantities import CalcError
from citeguide.costcore.results import Result
from citeguide.costcore.table_data import TableRow
from citeguide.costcore.units import MONEY, times
from citeguide.costcore.values import (
    blame,
    check_bounds,
    default_value,
    find_row,
    inputs_used,
    published_lets,
    read_cell,
    read_param,
    row_of,
    value_key,
)

MAX_CALLS = 2000
"""Model calls one evaluation may make (a bound for models calling models)."""


def run_model(model: Model, values: dict[str, Value], given: set[str], trace: Trace,
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
            raise CalcError(_message(req, frame), blame(req.blame, frame))
    body = model.formula
    top = body.arg if isinstance(body, CConv) and body.arg is not None else body
    value, text, prec = _ev(top, frame)
    assert isinstance(value, Val)
    result = value
    if isinstance(body, CConv):
        result = Val(times(value.num, body.factor), value.cur)
    # The arithmetic in the currency it was done in, then its conversion, if any.
    line = _result_line(top, value, text, prec, body, result, frame)
    if line:
        frame.step(line)
    result = to_currency(result, model.unit, frame, final=True, shown=(top, value, text))
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
    inputs, params = inputs_used(frame)
    derived, derived_units = published_lets(frame)
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
        derived=derived,
        derived_units=derived_units,
        read=list(frame.read),
    )


def _result_line(top: C, value: Val, text: str, prec: int, body: C, result: Val, frame: Frame
                 ) -> str:  # fmt: skip
    shown_value = show(value, top.unit, frame)
    final = show(result, frame.model.unit.with_currency(result.cur) if result.cur
                  else frame.model.unit, frame)  # fmt: skip
    if isinstance(body, CConv) and body.arg is not None and shown_conversion(body):
        return f"{wrap(text, prec, 6)} {conversion_text(body, frame.trace.locale)} = {final}"
    if text in (shown_value, final):
        return ""
    return f"{text} = {final}"


def _message(req: Require, frame: Frame) -> str:
    text: str = req.message
    for hole, node in req.holes:
        try:
            value, _ = _eval(node, frame)
        except CalcError:
            continue
        if isinstance(node, CParam) and isinstance(frame.values.get(node.name), TableRow):
            value = frame.values[node.name]
        shown = (
            message_quantity(value.num, node.unit, value.cur, frame.trace.locale, frame.currency)
            if isinstance(value, Val)
            else word(value)
        )
        text = text.replace("{" + hole + "}", shown)
    return text


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
        return Val(node.value, cur), literal(node, frame), 9
    if isinstance(node, CStr):
        return node.value, f"'{node.value}'", 9
    if isinstance(node, CBool):
        return node.value, "true" if node.value else "false", 9
    if isinstance(node, CParam):
        return read_param(node, frame)
    if isinstance(node, CLet):
        return _let(node.name, frame)
    if isinstance(node, CCol):
        return _column(node, frame)
    if isinstance(node, CConv):
        assert node.arg is not None
        value, text, prec = _ev(node.arg, frame)
        assert isinstance(value, Val)
        converted = Val(times(value.num, node.factor), value.cur)
        if not shown_conversion(node):
            return converted, text, prec
        return converted, f"{wrap(text, prec, 6)} {conversion_text(node, frame.trace.locale)}", 6
    if isinstance(node, COp):
        return _op(node, frame)
    if isinstance(node, CFind):
        return _find(node, frame)
    if isinstance(node, CCall):
        return _call(node, frame)
    raise CalcError("cannot evaluate this formula")  # pragma: no cover


def _let(name: str, frame: Frame) -> tuple[Value, str, int]:
    if name in frame.lets:
        value, shown = frame.lets[name]
        return value, shown, 9
    let = frame.model.lets[name]
    value, text, _prec = _ev(let.node, frame)
    if isinstance(value, Val):
        shown = show(value, let.node.unit, frame)
        label = let.label or name.replace("_", " ")
        if text != shown:
            head = "" if label == frame.model.label else f"{label} = "
            frame.step(f"{head}{text} = {shown}")
        converted = to_declared(value, let.currency, let.node.unit, label, frame)
        if converted is not value:
            value, shown = converted, show(converted, let.node.unit, frame)
    else:
        shown = text
    frame.lets[name] = (value, shown)
    return value, shown, 9


def _column(node: CCol, frame: Frame) -> tuple[Value, str, int]:
    assert node.base is not None
    base, _, _ = _ev(node.base, frame)
    row = row_of(base, ".".join(node.path))
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
            val = read_cell(row, col, frame, param)
            assert column.unit is not None
            return val, show(val, column.unit, frame), 9
        cell = row.values[col]
        return cell, str(cell) if not isinstance(cell, bool) else word(cell), 9  # type: ignore[return-value]
    raise CalcError("cannot read this column")  # pragma: no cover


def _op(node: COp, frame: Frame) -> tuple[Value, str, int]:
    op = node.op
    if op in ("and", "or"):
        left, ltext, lp = _ev(node.args[0], frame)
        if (op == "and" and left is False) or (op == "or" and left is True):
            return left, ltext, lp
        right, rtext, rp = _ev(node.args[1], frame)
        prec = _PREC[op]
        return bool(right), f"{wrap(ltext, lp, prec)} {op} {wrap(rtext, rp, prec + 1)}", prec
    if op == "not":
        value, text, prec = _ev(node.args[0], frame)
        return not value, f"not {wrap(text, prec, 3)}", 3
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
        return Val(-value.num, value.cur), f"−{wrap(text, prec, 7)}", 7
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
        (left, ltext, lp), (right, rtext, rp) = meet(
            (left, ltext, lp, node.args[0]), (right, rtext, rp, node.args[1]), frame
        )
    prec = _PREC.get(op, 4)
    symbol = _SYMBOL[op]
    text = f"{wrap(ltext, lp, prec)} {symbol} {wrap(rtext, rp, prec + 1, signed=True)}"
    if op == "*" and relabel(node.args[1]):
        text, prec = ltext, lp
    elif op == "*" and relabel(node.args[0]):
        text, prec = rtext, rp
    if op == "^":
        text = f"{wrap(ltext, lp, 9, signed=True)}^{wrap(rtext, rp, 8)}"
    cur = left.cur or right.cur
    if op == "+":
        return Val(left.num + right.num, cur), text, prec
    if op == "-":
        return Val(left.num - right.num, cur), text, prec
    if op == "*":
        return Val(left.num * right.num, _cur(node, cur)), text, prec
    if op == "/":
        if right.num == 0:
            raise Arith("a division by zero")
        return Val(left.num / right.num, _cur(node, cur)), text, prec
    if op == "^":
        if abs(right.num) > MAX_POWER:
            raise CalcError(f"an exponent of {right.num} is too large (at most {MAX_POWER})")
        if right.num != right.num.to_integral_value() and left.num < 0:
            raise CalcError("a negative number cannot be raised to a fractional power")
        if left.num == 0 and right.num < 0:
            raise Arith("a division by zero")
        return Val(left.num**right.num, None), text, 8
    compare = {"<": left.num < right.num, "<=": left.num <= right.num, ">": left.num > right.num,
               ">=": left.num >= right.num, "==": left.num == right.num,
               "!=": left.num != right.num}[op]  # fmt: skip
    return compare, text, 4


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
            head, tail = meet(first, other, frame)
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


def _find(node: CFind, frame: Frame) -> tuple[Value, str, int]:
    wanted: list[tuple[str, Value]] = []
    for col, sub in node.filters:
        value, _, _ = _ev(sub, frame)
        wanted.append((col, value.id if isinstance(value, TableRow) else value))
    row = find_row(frame.trace.lib.tables, node.table or "", wanted)
    return row, row.id, 9


def _call(node: CCall, frame: Frame) -> tuple[Value, str, int]:
    trace = frame.trace
    trace.calls += 1
    if trace.calls > MAX_CALLS:
        raise CalcError(f"more than {MAX_CALLS} model calls in one figure")
    callee = trace.lib.models[node.model]
    values: dict[str, Value] = {}
    given: set[str] = set()
    worked: list[tuple[str, str, C]] = []  # arguments with arithmetic of their own
    for key, arg in node.kwargs:
        if isinstance(arg, CParam) and isinstance(frame.values.get(arg.name), NotGiven):
            continue  # an optional parameter left out stays left out
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
            value, text, _ = _ev(arg, frame)
            values[key] = value
            worked.append((key, text, arg))
        # the caller's own default passes on, but as a default: not "given"
        if not (isinstance(arg, CParam) and arg.name not in frame.given):
            given.add(key)
    for param in callee.params.values():
        if param.name in values:
            check_bounds(callee, param, values[param.name], frame)
            continue
        default = default_value(param, trace.lib, frame.currency)
        if default is None:
            raise CalcError(f"{callee.name} needs {param.name}=...")
        values[param.name] = default
    # Passing a parameter on counts as giving it when the caller's was given.
    for key, arg in node.kwargs:
        if isinstance(arg, CParam) and arg.name in frame.given:
            given.add(key)
    prefix = call_prefix(callee, node.kwargs)
    for key, text, arg in worked:  # `grant_share=grant / 2`: how 12.5% came from 25%
        if isinstance(values[key], Val) and text != (shown := show(values[key], arg.unit, frame)):
            frame.step(f"{prefix}{callee.params[key].label or key} = {text} = {shown}")
    if trace.quiet:
        memo_key = ("call", callee.name,
                    tuple(sorted((k, value_key(v)) for k, v in values.items())),
                    frozenset(given), tuple(sorted(trace.choice.items())))  # fmt: skip
        memo: dict[Any, Result] = trace.lib.memo.setdefault("quiet-calls", {})
        if memo_key not in memo:
            if len(memo) > 50_000:
                memo.clear()
            memo[memo_key] = run_model(callee, values, given, trace, prefix=prefix)
        result = memo[memo_key]
    else:
        result = run_model(callee, values, given, trace, prefix=prefix)
    # A parameter passed on counts as read when the called model read it.
    for key, arg in node.kwargs:
        if isinstance(arg, CParam) and key in result.read and arg.name not in frame.read:
            frame.read.append(arg.name)
    val = Val(result.value, result_currency(callee, result, trace.lib))
    return val, show(val, node.unit, frame), 9
