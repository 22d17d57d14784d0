"""Values at run time: parameters from marker texts and defaults, bounds, a parameter or
a row's cell read in a frame, the row `find()` picks, and the inputs an evaluation used as
they are published."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from citeguide.costcore import format as fmt
from citeguide.costcore.display import show_quantity, show_spec, shown_unit
from citeguide.costcore.frame import NOT_GIVEN, Frame, NotGiven, Val, Value, mid, show, word
from citeguide.costcore.library import CParam, Library, Model, Param, parse_param, range_text
from citeguide.costcore.quantities import CalcError, Range, plain
from citeguide.costcore.results import InputValue
from citeguide.costcore.table_data import TableRow, Tables
from citeguide.costcore.units import CURRENCIES, MONEY, Unit, after_number, times


def param_value(param: Param, value: Decimal | bool | str, lib: Library) -> Value:
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return Val(value, None)
    if param.kind == "currency":
        return value
    table = lib.tables.get(param.table or "")
    assert table is not None
    return table.rows[value]


def default_value(param: Param, lib: Library, currency: str) -> Value | None:
    """A parameter's value when it is left out: its default, the evaluation's `currency`
    for a currency, NOT_GIVEN when optional; None when it must be given."""
    if param.default is not None:
        return param_value(param, parse_param(param, param.default, lib.tables), lib)
    if param.kind == "currency":
        return currency
    if param.optional:
        return NOT_GIVEN
    return None


def read_param(node: CParam, frame: Frame) -> tuple[Value, str, int]:
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
            cell = read_cell(value, param.column, frame, name)
            col_unit = frame.trace.lib.tables.tables[value.table].columns[param.column].unit
            assert col_unit is not None
            assert param.unit is not None
            number = times(cell.num, col_unit.to(param.unit))
            val = Val(number, cell.cur)
            return val, show(val, param.unit, frame), 9
        assert isinstance(value, Val)
        key = f"param:{name}"
        if key in frame.trace.ranges and frame.prefix == "":
            value = Val(frame.trace.choice.get(key, value.num), value.cur)
        return value, show(value, node.unit, frame), 9
    if isinstance(value, TableRow):
        return value, value.id, 9
    return value, word(value), 9


def row_of(value: Value, what: str) -> TableRow:
    if not isinstance(value, TableRow):
        raise CalcError(f"{what} is not a row here")
    return value


def read_cell(row: TableRow, col: str, frame: Frame, param: str | None) -> Val:
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
        number = frame.trace.choice.get(key, mid(cell))
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


def plain_value(value: Val | bool, unit: Unit) -> Any:
    """A `let` value as the twin's `derived` publishes it: its number as the steps write
    it, with a `%` or a written factor of its unit folded in (`show_spec`). Interest of
    `price * rate / 2`, GBP × %/year, is £700.00/year in the steps and 700 here, not
    the 70,000 it is in GBP %/year."""
    if isinstance(value, bool):
        return value
    return plain(times(value.num, Fraction(show_spec(unit)["fold"])))


def published_lets(frame: Frame) -> tuple[dict[str, Any], dict[str, str]]:
    """The `let` values an evaluation computed, as the twin's `derived` publishes them
    (`plain_value`), and the unit each number is in (`derived_units`): the unit the steps
    write it in, in the currency it was computed in (`USD/month` for the LLM pack's
    `api`, whose tree unit is `money/1M months`); a true-or-false value has none."""
    values: dict[str, Any] = {}
    units: dict[str, str] = {}
    for name, (value, _) in sorted(frame.lets.items()):
        if not isinstance(value, Val | bool):
            continue
        unit = frame.model.lets[name].node.unit
        values[name] = plain_value(value, unit)
        if isinstance(value, Val):
            shown = shown_unit(unit)[1]
            units[name] = (shown.with_currency(value.cur) if value.cur else shown).text(plural=True)
    return values, units


def inputs_used(frame: Frame) -> tuple[dict[str, Any], list[InputValue]]:
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
            cell = value.values.get(param.column) if param.column is not None else None
            if param.column is not None:
                number = plain(cell) if isinstance(cell, Decimal) else str(cell)
            before, after = ("", "") if number is None else _around(param.unit, value, frame,
                                                                    cell != 1)  # fmt: skip
            params.append(InputValue(name, param.label, value.id, unit, origin,
                                     (value.table, value.id), number, after, before))  # fmt: skip
        elif isinstance(value, Val):
            ranged = frame.trace.ranges.get(f"param:{name}") if frame.prefix == "" else None
            shown: Any = str(ranged) if ranged is not None else plain(value.num)
            inputs[name] = shown
            before, after = _around(param.unit, value, frame, ranged is not None or value.num != 1)
            params.append(InputValue(name, param.label, shown, unit, origin, after=after,
                                     before=before))  # fmt: skip
        else:
            inputs[name] = value
            params.append(InputValue(name, param.label, value, unit, origin))
    return dict(sorted(inputs.items())), params


def _unit_text(unit: Unit, value: Value, frame: Frame, plural: bool = False) -> str:
    return _in_currency(unit, value, frame).text(plural=plural)


def _in_currency(unit: Unit, value: Value, frame: Frame) -> Unit:
    """`unit` in the currency the value holds (`money`: the evaluation's)."""
    if isinstance(value, Val) and value.cur and unit.currency:
        return unit.with_currency(value.cur)
    if unit.currency == MONEY:
        return unit.with_currency(frame.currency)
    return unit


def _around(unit: Unit | None, value: Value, frame: Frame, plural: bool) -> tuple[str, str]:
    """`InputValue.before` and `.after`: ` seats` after 10, ` seat` after 1, `%` and
    `/year` glued to their number (`units.after_number`); an amount with its currency's
    symbol where the locale puts it, as the figures write it (`£200/year`, not `200
    GBP/year`)."""
    if unit is None or not unit.terms:
        return "", ""
    unit = _in_currency(unit, value, frame)
    code = unit.currency
    if code in CURRENCIES and dict(unit.terms).get(code) == 1:
        before, after = fmt.currency_around(code, frame.trace.locale)
        rest = Unit(tuple(t for t in unit.terms if t[0] != code), unit.factor, unit.extra)
        tail = after_number(rest.text(plural=plural)) if rest.terms or rest.factor != 1 else ""
        return before, after + tail
    return "", after_number(unit.text(plural=plural))


def blame(names: tuple[str, ...], frame: Frame) -> str | None:
    for name in names:
        if name in frame.given:
            return name
    return names[0] if names else None


def value_key(value: Value) -> object:
    if isinstance(value, TableRow):
        return (value.table, value.id)
    if isinstance(value, NotGiven):
        return "\0not-given"
    return value


def check_bounds(model: Model, param: Param, value: Value, frame: Frame) -> None:
    """A value one model hands another outside the parameter's bounds, told as a marker's
    is, the value as the called model's steps would write it: `net_cost:
    grant_share=150% is out of range: between 0 and 100%` (whatif.js's `call` says the
    same)."""
    if not isinstance(value, Val) or param.unit is None:
        return
    if (param.minimum is not None and value.num < param.minimum) or (
        param.maximum is not None and value.num > param.maximum
    ):
        shown = show_quantity(value.num, param.unit, value.cur, frame.trace.locale,
                              frame.currency)  # fmt: skip
        bounds = re.sub(r"\bmoney\b", frame.currency, range_text(param))
        raise CalcError(f"{model.name}: {param.name}={shown} is out of range: {bounds}")


def find_row(tables: Tables, name: str, wanted: list[tuple[str, Value]]) -> TableRow:
    """The one row of table `name` whose columns have the `wanted` values (`find()`)."""
    table = tables.get(name)
    if table is None:
        raise CalcError(f"no table {name}.yaml to find a row in")

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
    return found[0]
