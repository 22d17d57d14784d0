"""Compiled models and tables as plain data: for the JSON twin, the page's what-if forms
and any agent that wants to evaluate a figure with its own inputs.

The tree is the compiled one: every unit conversion is a `conv` node with an exact factor,
so an evaluator needs no unit table. Only currencies move at run time; a node whose unit
holds one says so (`money`: its power, `currency`: fixed code or `money`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from citeguide.costcore.display import (
    conversion_text,
    display_spec,
    show_spec,
    shown_conversion,
)
from citeguide.costcore.library import (
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
    range_text,
    relabel,
)
from citeguide.costcore.quantities import Range
from citeguide.costcore.table_data import Table
from citeguide.costcore.units import Unit


def _money(unit: Unit) -> tuple[int | None, str | None]:
    code = unit.currency
    if code is None:
        return None, None
    return unit.money_power, code


def _factor(value: Fraction) -> str:
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def expr(node: C, units: dict[str, Any] | None = None) -> dict[str, Any]:
    """One compiled node (and its children) as data; `units` collects how each unit met
    is written in the steps (`show_spec`), by its text."""
    if units is None:
        units = {}

    def sub(child: C) -> dict[str, Any]:
        return expr(child, units)

    out: dict[str, Any]
    if isinstance(node, CNum):
        out = {"op": "num", "value": _num(node.value)}
        if node.text and node.text != out["value"]:
            out["text"] = node.text
        if relabel(node):
            out["relabel"] = True  # `1[input_token/token]`: the steps leave it out
    elif isinstance(node, CStr):
        out = {"op": "str", "value": node.value}
    elif isinstance(node, CBool):
        out = {"op": "bool", "value": node.value}
    elif isinstance(node, CParam):
        out = {"op": "param", "name": node.name}
    elif isinstance(node, CLet):
        out = {"op": "let", "name": node.name}
    elif isinstance(node, CCol):
        assert node.base is not None
        out = {"op": "col", "path": list(node.path), "args": [sub(node.base)]}
    elif isinstance(node, CConv):
        assert node.arg is not None
        out = {"op": "conv", "factor": _factor(node.factor), "args": [sub(node.arg)]}
        if shown_conversion(node):
            out["text"] = conversion_text(node, "en")
    elif isinstance(node, COp):
        out = {"op": node.op, "args": [sub(a) for a in node.args]}
    elif isinstance(node, CFind):
        out = {"op": "find", "name": node.table, "kwargs": {k: sub(v) for k, v in node.filters}}
    elif isinstance(node, CCall):
        out = {"op": "call", "name": node.model, "kwargs": {k: sub(v) for k, v in node.kwargs}}
    else:  # pragma: no cover - every node kind is above
        raise TypeError(type(node).__name__)
    if node.kind == "q":
        text = node.unit.text()
        out["unit"] = text
        power, code = _money(node.unit)
        if power:
            out["money"], out["currency"] = power, code
        units.setdefault(text, show_spec(node.unit))
    return out


def model_json(model: Model, lib: Library | None = None) -> dict[str, Any]:
    params = {}
    for name, p in model.params.items():
        data: dict[str, Any] = {"kind": p.kind, "label": p.label}
        if p.unit is not None:
            data["unit"] = p.unit.text()
            power, code = _money(p.unit)
            if power:
                data["currency"] = code
        for key, value in (("table", p.table), ("column", p.column), ("default", p.default)):
            if value is not None:
                data[key] = value
        table = lib.tables.get(p.table) if lib is not None and p.table else None
        if table is not None and p.column is not None and p.unit is not None:
            column = table.columns[p.column]
            if column.unit is not None:
                # A row's column is read in its own unit, then converted to the parameter's.
                data["column_factor"] = _factor(column.unit.to(p.unit))
        if p.minimum is not None:
            data["min"] = _num(p.minimum)
        if p.maximum is not None:
            data["max"] = _num(p.maximum)
        if p.minimum is not None or p.maximum is not None:
            data["bounds"] = range_text(p)
        if p.optional:
            data["optional"] = True
        params[name] = data
    units: dict[str, Any] = {}
    lets = [{"name": let.name, "label": let.label or let.name.replace("_", " "),
             "expr": expr(let.node, units), **({"currency": let.currency} if let.currency
                                               else {})}
            for let in model.lets.values()]  # fmt: skip
    formula = expr(model.formula, units)
    requires = [{"test": expr(r.cond, units), "error": r.message, "blame": list(r.blame),
                 "holes": {hole: expr(node, units) for hole, node in r.holes}}
                for r in model.requires]  # fmt: skip
    flags = [{"name": f.name, "label": f.label or f.name,
              **({"when": expr(f.when, units)} if f.when is not None else {}),
              "test": expr(f.test, units)} for f in model.flags]  # fmt: skip
    for p in model.params.values():
        if p.unit is not None:
            units.setdefault(p.unit.text(), show_spec(p.unit))
    units.setdefault(model.unit.text(), show_spec(model.unit))
    power, code = _money(model.unit)
    return {
        "title": model.title,
        "label": model.label,
        "unit": model.unit.text(),
        "currency": code if power else None,
        "params": params,
        "lets": lets,
        "formula": formula,
        "require": requires,
        "flags": flags,
        "style": model.style,
        "digits": model.digits,
        "units": dict(sorted(units.items())),
        "display": display_spec(model.unit),
    }


def used_models(lib: Library, names: Iterable[str]) -> list[str]:
    """`names` and every model they call, transitively, sorted."""
    seen: set[str] = set()
    todo = [n for n in names if n in lib.models]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += [c for c in lib.models[name].calls if c in lib.models]
    return sorted(seen)


def _tables_of(node: C, found: set[str]) -> None:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, CFind) and current.table:
            found.add(current.table)
        for attr in ("args", "filters", "kwargs"):
            items = getattr(current, attr, ())
            stack += [v[1] if isinstance(v, tuple) else v for v in items]
        for attr in ("arg", "base"):
            child = getattr(current, attr, None)
            if child is not None:
                stack.append(child)


def used_tables(lib: Library, models: Iterable[str]) -> list[str]:
    """Tables the models' parameters take rows of or `find` in, the tables those rows
    refer to, and `fx` (any money may need converting)."""
    found: set[str] = set()
    for name in models:
        model = lib.models[name]
        found |= {p.table for p in model.params.values() if p.table}
        for node in [model.formula, *(let.node for let in model.lets.values()),
                     *(r.cond for r in model.requires)]:  # fmt: skip
            _tables_of(node, found)
    todo = list(found)
    while todo:
        table = lib.tables.get(todo.pop())
        if table is None:
            continue
        for col in table.columns.values():
            if col.kind == "ref" and col.ref and col.ref not in found:
                found.add(col.ref)
                todo.append(col.ref)
    if "fx" in lib.tables.tables:
        found.add("fx")
    return sorted(t for t in found if t in lib.tables.tables)


def _cell(value: object) -> str | int | float | bool:
    if isinstance(value, Range):
        return str(value)
    if isinstance(value, Decimal):
        return _num(value)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def table_json(table: Table) -> dict[str, Any]:
    columns = {}
    for name, col in table.columns.items():
        data: dict[str, Any] = {"kind": col.kind}
        if col.unit is not None:
            data["unit"] = col.unit.text()
        if col.ref is not None:
            data["ref"] = col.ref
        columns[name] = data
    rows = {}
    for row_id, row in table.rows.items():
        data = {
            "values": {k: _cell(v) for k, v in row.values.items()},
            "urls": [c.url for c in row.citations],
            "date": row.date.isoformat(),
            "confidence": row.confidence,
        }
        if row.as_of is not None:
            data["as_of"] = row.as_of.isoformat()
        if row.estimate:
            data["estimate"] = True
        if row.note:
            data["note"] = row.note
        if row.absent:
            data["absent"] = dict(row.absent)
        rows[row_id] = data
    # The bundled tables all name `currency`; one without that column (fx, hardware,
    # throughput) has no money column to read it for, and publishes none.
    currency_column = table.currency_column if table.currency_column in columns else None
    return {"columns": columns, "currency_column": currency_column, "rows": rows}


def exported(lib: Library, names: Iterable[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The models `names` use (with their callees) and the tables they read, as data;
    each converted once per site."""
    models = used_models(lib, names)
    key = ("exported", tuple(models))
    if key not in lib.memo:
        lib.memo[key] = (
            {name: model_json(lib.models[name], lib) for name in models},
            {name: table_json(lib.tables.tables[name]) for name in used_tables(lib, models)},
        )
    found: tuple[dict[str, Any], dict[str, Any]] = lib.memo[key]
    return found
