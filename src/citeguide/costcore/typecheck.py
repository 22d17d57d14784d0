"""Type- and unit-checking one model's formulas into compiled trees.

`TypeChecker` resolves every name (parameters, `let` values, table columns, models,
functions), checks that every operator and call gets the kind and the unit it needs, and
builds the compiled nodes of `library.py`, each unit conversion explicit. Its errors carry
the offset in the formula; `compile.py` places them in the model file.
"""

from __future__ import annotations

from collections.abc import Mapping

from citeguide.costcore import formula as f
from citeguide.costcore.conversions import (
    aligned,
    convert,
    harmonise,
    kinds_differ,
    plain_argument,
    plain_beside_ratio,
)
from citeguide.costcore.library import (
    MAX_EXPONENT,
    MAX_POWER,
    C,
    CBool,
    CCall,
    CCol,
    CFind,
    CLet,
    CNum,
    COp,
    CParam,
    CStr,
    Kind,
    Let,
    Param,
)
from citeguide.costcore.model_spec import FUNCTIONS, ModelSpec, close_hint, param_hint
from citeguide.costcore.table_data import Table, Tables
from citeguide.costcore.units import ONE, Named, Unit, UnitError, parse_unit


class Fail(Exception):
    """A problem at offset `pos` of one formula, or in one parameter's declaration."""

    def __init__(self, message: str, pos: int, rule: str = "model", at: str | None = None,
                 *, key: bool = False) -> None:  # fmt: skip
        super().__init__(message)
        self.message, self.pos, self.rule = message, pos, rule
        # `at`: the key of the declaration at fault (`default`, `unit`); `key`: the
        # problem is the key itself (a bad name) rather than its value.
        self.at, self.key = at, key
        self.loc: tuple[str | int, ...] = ()


class Unusable(Exception):
    """A model calls one whose declaration could not be read: its own error is that one."""

    def __init__(self, callee: str) -> None:
        super().__init__(callee)
        self.callee = callee


class Located(Exception):
    """A problem placed in the model file: the YAML path of the value, the offset in it."""

    def __init__(self, loc: tuple[str | int, ...], message: str, rule: str, offset: int | None,
                 *, key: bool = False) -> None:  # fmt: skip
        super().__init__(message)
        self.loc, self.message, self.rule, self.offset = loc, message, rule, offset
        self.key = key


class TypeChecker:
    """Type- and unit-checks one model's formulas and builds their compiled trees."""

    def __init__(
        self,
        name: str,
        params: dict[str, Param],
        headers: Mapping[str, tuple[ModelSpec, Unit, dict[str, Param]]],
        shapes: Mapping[str, Table],
        units: Mapping[str, Named],
        tables: Tables,
        unread: Mapping[str, str] | None = None,
    ) -> None:
        self.name, self.params, self.headers = name, params, headers
        self.unread = unread or {}
        self.shapes, self.units, self.tables = shapes, units, tables
        self.lets: dict[str, Let] = {}
        self.calls: set[str] = set()
        self.sites: dict[str, tuple[tuple[str | int, ...], int]] = {}
        self.where: tuple[str | int, ...] = ("formula",)
        self.base = 0
        self.later: set[str] = set()  # `let` names not compiled yet
        # `*` and `/` cancel units by name (`conversions.harmonise`), unless compile.py
        # turns it off where that only adds steps.
        self.harmonising = True

    def formula(self, text: str, loc: tuple[str | int, ...], base: int = 0) -> C:
        """`text` compiled; it starts at offset `base` of the YAML value at `loc` (a
        `{...}` of a require message), which is where its errors are placed."""
        self.where, self.base = loc, base
        try:
            tree = f.parse_formula(text)
        except f.FormulaError as exc:
            raise Located(loc, f"{self.name}: {exc.message}", "formula-syntax",
                           base + exc.offset) from None  # fmt: skip
        try:
            return self.node(tree)
        except Fail as exc:
            raise Located(loc, f"{self.name}: {exc.message}", exc.rule,
                           base + exc.pos) from None  # fmt: skip

    # ------------------------------------------------------------ nodes

    def node(self, n: f.Node) -> C:
        if isinstance(n, f.Num):
            if n.unit is None:
                return CNum("q", ONE, pos=n.pos, zero=n.value == 0, value=n.value, text=n.text)
            try:
                unit = parse_unit(n.unit, self.units)
            except UnitError as exc:
                raise Fail(str(exc), n.pos, "unit") from None
            return CNum("q", unit, pos=n.pos, value=n.value, text=n.text)
        if isinstance(n, f.Str):
            return CStr("s", pos=n.pos, value=n.value)
        if isinstance(n, f.Bool):
            return CBool("b", pos=n.pos, value=n.value)
        if isinstance(n, f.Path):
            return self.path(n)
        if isinstance(n, f.Attr):
            base = self.node(n.base)
            return self.columns(base, n.names, n.pos)
        if isinstance(n, f.Unary):
            arg = self.node(n.arg)
            if n.op == "not":
                self.want(arg, "b", "not")
                return COp("b", pos=n.pos, op="not", args=(arg,))
            self.want(arg, "q", "-")
            return COp("q", arg.unit, pos=n.pos, op="neg", args=(arg,), zero=arg.zero)
        if isinstance(n, f.Binary):
            return self.binary(n)
        if isinstance(n, f.Call):
            return self.call(n)
        raise Fail("cannot read this expression", n.pos)  # pragma: no cover

    def want(self, node: C, kind: Kind, what: str) -> None:
        if node.kind != kind:
            words = {"q": "a number", "b": "true or false", "s": "text", "r": "a row"}
            raise Fail(f"{what} needs {words[kind]}, not {kind_word(node)}", node.pos, "model-type")

    def path(self, n: f.Path) -> C:
        first, rest = n.names[0], n.names[1:]
        if first in self.params:
            param = self.params[first]
            if param.kind == "row":
                base: C = CParam("r", table=param.table, pos=n.pos, name=first)
            elif param.kind == "bool":
                base = CParam("b", pos=n.pos, name=first)
            elif param.kind == "currency":
                base = CParam("s", pos=n.pos, name=first)
            else:
                assert param.unit is not None
                if rest:
                    if param.table is None:
                        raise Fail(f"{first} is a number, not a row: {first}.{rest[0]} "
                                    "has nothing to read", n.pos, "model-type")  # fmt: skip
                    base = CParam("r", table=param.table, pos=n.pos, name=first)
                else:
                    return CParam("q", param.unit, pos=n.pos, name=first)
        elif first in self.lets:
            let = self.lets[first].node
            base = CLet(let.kind, let.unit, let.table, n.pos, let.zero, name=first)
        else:
            known = [*self.params, *self.lets]
            where = "parameter or let value"
            if first in self.headers:
                raise Fail(f"{first} is a model: call it with arguments, {first}(...)", n.pos,
                            "model-name")  # fmt: skip
            if first in self.shapes:
                raise Fail(f"{first} is a table: pass one of its rows as a parameter",
                            n.pos, "model-name")  # fmt: skip
            if first in self.later:
                raise Fail(f"{first} is a let value not yet computed here: a let value may use "
                            "the parameters and the let values above it, not itself or later "
                            "ones", n.pos, "unknown-name")  # fmt: skip
            raise Fail(f"unknown name {first!r}{close_hint(first, known)} (not a {where} of "
                        f"{self.name})", n.pos, "unknown-name")  # fmt: skip
        return self.columns(base, rest, n.pos) if rest else base

    def columns(self, base: C, names: tuple[str, ...], pos: int) -> C:
        current = base
        table = base.table
        for i, name in enumerate(names):
            if current.kind != "r" or table is None:
                raise Fail(f"{'.'.join(names[:i]) or 'this'} is not a row; .{name} reads "
                            "nothing", pos, "model-type")  # fmt: skip
            shape = self.shapes.get(table)
            assert shape is not None
            col = shape.columns.get(name)
            if col is None:
                raise Fail(self.tables.broken_column(table, name) or f"table {table} has no column "
                           f"{name!r}{close_hint(name, shape.columns)} (columns: "
                           f"{shape.describe()})", pos, "unknown-column")  # fmt: skip
            path = (*(current.path if isinstance(current, CCol) else ()), name)
            root = current.base if isinstance(current, CCol) else current
            if col.kind == "quantity":
                assert col.unit is not None
                current = CCol("q", col.unit, pos=pos, base=root, path=path)
                table = None
            elif col.kind == "ref":
                current = CCol("r", table=col.ref, pos=pos, base=root, path=path)
                table = col.ref
            elif col.kind == "bool":
                current = CCol("b", pos=pos, base=root, path=path)
                table = None
            else:
                current = CCol("s", pos=pos, base=root, path=path)
                table = None
        return current

    def binary(self, n: f.Binary) -> C:
        left, right = self.node(n.left), self.node(n.right)
        op = n.op
        at = n.op_pos if n.op_pos >= 0 else n.pos  # a mismatch is the operator's
        if op in ("and", "or"):
            self.want(left, "b", op)
            self.want(right, "b", op)
            return COp("b", pos=n.pos, op=op, args=(left, right))
        if op in ("==", "!=") and (left.kind in "sbr" or right.kind in "sbr"):
            if left.kind != right.kind:
                raise Fail(f"{op} compares {kind_word(left)} with {kind_word(right)}", at,
                            "model-type")  # fmt: skip
            return COp("b", pos=n.pos, op=op, args=(left, right))
        self.want(left, "q", op)
        self.want(right, "q", op)
        if op in ("+", "-", "<", "<=", ">", ">=", "==", "!="):
            left, right = _align(left, right, op, at)
            if op in ("+", "-"):
                zero = left.zero and right.zero
                unit = right.unit if left.zero else left.unit
                return COp("q", unit, pos=n.pos, op=op, args=(left, right), zero=zero)
            return COp("b", pos=n.pos, op=op, args=(left, right))
        if op in ("*", "/") and self.harmonising:
            right = harmonise(left, right, op)
        if op == "*":
            return COp("q", left.unit * right.unit, pos=n.pos, op="*", args=(left, right),
                       zero=left.zero or right.zero)  # fmt: skip
        if op == "/":
            return COp("q", left.unit / right.unit, pos=n.pos, op="/", args=(left, right),
                       zero=left.zero)  # fmt: skip
        if op == "^":
            if not right.unit.dimensionless:
                raise Fail(f"an exponent is a plain number, not {right.unit}", right.pos, "unit")
            if isinstance(right, CNum) and abs(right.value) > MAX_POWER:
                raise Fail(f"an exponent of {right.text} is too large (at most {MAX_POWER})",
                            right.pos, "formula-syntax")  # fmt: skip
            if left.unit.dimensionless:
                return COp("q", ONE, pos=n.pos, op="^", args=(convert(left, ONE),
                                                              convert(right, ONE)))  # fmt: skip
            if not (isinstance(right, CNum) and right.unit == ONE
                    and right.value == right.value.to_integral_value()
                    and abs(right.value) <= MAX_EXPONENT):  # fmt: skip
                raise Fail(f"{left.unit} can only be raised to a whole number from "
                            f"-{MAX_EXPONENT} to {MAX_EXPONENT} written in the formula",
                            right.pos, "unit")  # fmt: skip
            return COp("q", left.unit.power(int(right.value)), pos=n.pos, op="^",
                       args=(left, right))  # fmt: skip
        raise Fail(f"unknown operator {op}", n.pos)  # pragma: no cover

    def call(self, n: f.Call) -> C:
        if n.func in FUNCTIONS:
            return self.function(n)
        if n.func in self.unread:
            raise Unusable(n.func)
        if n.func not in self.headers:
            known = [*self.headers, *FUNCTIONS]
            raise Fail(f"unknown function or model {n.func!r}{close_hint(n.func, known)}", n.pos,
                        "unknown-name")  # fmt: skip
        if n.args:
            raise Fail(f"call {n.func} with names: {n.func}(name=value, ...)", n.pos)
        _, unit, params = self.headers[n.func]
        self.calls.add(n.func)
        self.sites.setdefault(n.func, (self.where, self.base + n.pos))
        kwargs: list[tuple[str, C]] = []
        for key, value in n.kwargs:
            param = params.get(key)
            if param is None:
                raise Fail(f"{n.func} has no parameter {key!r}{param_hint(key, params)}",
                            value.pos, "unknown-name")  # fmt: skip
            if any(k == key for k, _ in kwargs):
                raise Fail(f"{key} is given twice", value.pos)
            kwargs.append((key, self.argument(n.func, param, value)))
        given = {k for k, _ in kwargs}
        for param in params.values():
            if param.default is None and not param.optional and param.name not in given:
                raise Fail(f"{n.func} needs {param.name}=... ({param.label or param.what})",
                            n.pos, "model-call")  # fmt: skip
        return CCall("q", unit, pos=n.pos, model=n.func, kwargs=tuple(kwargs))

    def argument(self, callee: str, param: Param, value: f.Node) -> C:
        if param.takes_row and isinstance(value, f.Str | f.Path) and self._row_literal(value):
            row_id = value.value if isinstance(value, f.Str) else value.names[0]
            table = self.tables.get(param.table or "")
            why = self.tables.broken_row(param.table or "", row_id)
            if why:
                raise Fail(f"{callee}.{param.name}: {why}", value.pos, "unknown-row")
            if table is not None and row_id not in table.rows:
                raise Fail(f"{callee}.{param.name}: no row {row_id!r} in {param.table}.yaml"
                            + close_hint(row_id, table.rows), value.pos, "unknown-row")  # fmt: skip
            return CStr("s", pos=value.pos, value=row_id)
        node = self.node(value)
        if param.kind == "row" or (param.takes_row and node.kind == "r"):
            if node.kind != "r" or node.table != param.table:
                raise Fail(f"{callee}.{param.name} takes a row of {param.table}, not "
                            f"{kind_word(node)}", value.pos, "model-type")  # fmt: skip
            return node
        if param.kind == "bool":
            self.want(node, "b", f"{callee}.{param.name}")
            return node
        if param.kind == "currency":
            self.want(node, "s", f"{callee}.{param.name}")
            return node
        self.want(node, "q", f"{callee}.{param.name}")
        assert param.unit is not None
        if ask := plain_argument(node, param.unit):  # `sun_hours=2.85` in h/day: 68.4 h/day
            raise Fail(f"{callee}.{param.name} is in {param.unit}: {ask}", value.pos,
                       "unit-mismatch")  # fmt: skip
        if not node.zero and not node.unit.same_dims(param.unit):
            raise Fail(f"{callee}.{param.name} is in {param.unit}, but this is in "
                       f"{node.unit.kind_text()}",
                        value.pos, "unit-mismatch")  # fmt: skip
        return convert(node, param.unit)

    def _row_literal(self, value: f.Str | f.Path) -> bool:
        if isinstance(value, f.Str):
            return True
        return (
            len(value.names) == 1
            and value.names[0] not in self.params
            and (value.names[0] not in self.lets)
        )

    def function(self, n: f.Call) -> C:
        name, args = n.func, [self.node(a) for a in n.args] if n.func != "find" else []
        if n.kwargs and name != "find":
            raise Fail(f"{name}() takes no named arguments", n.pos)
        if name in ("given", "is_row"):
            if len(n.args) != 1 or not isinstance(n.args[0], f.Path) or len(n.args[0].names) != 1:
                raise Fail(f"{name}() takes one parameter name", n.pos)
            pname = n.args[0].names[0]
            param = self.params.get(pname)
            if param is None:
                raise Fail(f"{name}({pname}): no parameter {pname!r}", n.pos, "unknown-name")
            if name == "is_row" and not (param.kind == "number" and param.table):
                raise Fail(f"is_row({pname}): {pname} does not take both a number and a row",
                            n.pos)  # fmt: skip
            return COp("b", pos=n.pos, op=name, args=(CParam("s", pos=n.pos, name=pname),))
        if name == "has":
            if len(args) != 1 or not isinstance(args[0], CCol):
                raise Fail("has() takes one row column, such as has(model.cache_read)", n.pos)
            return COp("b", pos=n.pos, op="has", args=(args[0],))
        if name == "if":
            if len(args) != 3:
                raise Fail("if() takes a condition and two values: if(cond, a, b)", n.pos)
            cond, a, b = args
            self.want(cond, "b", "if's condition")
            if a.kind != b.kind or (a.kind == "r" and a.table != b.table):
                raise Fail(f"if() gives {kind_word(a)} or {kind_word(b)}: both must be the "
                            "same kind", n.pos, "model-type")  # fmt: skip
            if a.kind == "q":
                a, b = _align(a, b, "if()", b.pos)
                unit = b.unit if a.zero else a.unit
                return COp("q", unit, a.table, n.pos, a.zero and b.zero, op="if",
                           args=(cond, a, b))  # fmt: skip
            return COp(a.kind, a.unit, a.table, n.pos, op="if", args=(cond, a, b))
        if name in ("min", "max"):
            if len(args) < 2:
                raise Fail(f"{name}() takes two or more values", n.pos)
            first = args[0]
            self.want(first, "q", name)
            aligned = [first]
            for other in args[1:]:
                self.want(other, "q", name)
                _, other = _align(first, other, f"{name}()", other.pos)
                aligned.append(other)
            unit = next((a.unit for a in aligned if not a.zero), first.unit)
            aligned = [convert(a, unit) if a.zero else a for a in aligned]
            return COp("q", unit, pos=n.pos, op=name, args=tuple(aligned))
        if name in ("ceil", "floor", "abs"):
            if len(args) != 1:
                raise Fail(f"{name}() takes one value", n.pos)
            self.want(args[0], "q", name)
            return COp("q", args[0].unit, pos=n.pos, op=name, args=(args[0],), zero=args[0].zero)
        if name == "round":
            if len(args) not in (1, 2):
                raise Fail("round() takes a value and, optionally, a number of decimals", n.pos)
            self.want(args[0], "q", name)
            if len(args) == 2 and not (isinstance(args[1], CNum) and args[1].unit == ONE
                                       and args[1].value == args[1].value.to_integral_value()
                                       and 0 <= args[1].value <= 12):  # fmt: skip
                raise Fail("round()'s decimals are a whole number from 0 to 12", n.pos)
            return COp("q", args[0].unit, pos=n.pos, op="round", args=tuple(args))
        # find(table, column=value, ...): the one row whose columns match
        if len(n.args) != 1 or not isinstance(n.args[0], f.Path) or len(n.args[0].names) != 1:
            raise Fail("find() takes a table name and column=value filters", n.pos)
        table_name = n.args[0].names[0]
        shape = self.shapes.get(table_name)
        if shape is None:
            raise Fail(f"find(): no table {table_name!r}{close_hint(table_name, self.shapes)}",
                        n.pos, "unknown-table")  # fmt: skip
        if not n.kwargs:
            raise Fail("find() needs at least one column=value filter", n.pos)
        filters: list[tuple[str, C]] = []
        for col_name, value in n.kwargs:
            col = shape.columns.get(col_name)
            if col is None:
                why = self.tables.broken_column(table_name, col_name) or (
                    f"table {table_name} has no column {col_name!r}"
                    f"{close_hint(col_name, shape.columns)}")  # fmt: skip
                raise Fail(f"find(): {why}", value.pos, "unknown-column")  # fmt: skip
            node = self.node(value)
            expected: Kind = {"quantity": "q", "bool": "b", "ref": "r"}.get(col.kind, "s")  # type: ignore[assignment]
            if node.kind != expected and not (col.kind == "ref" and node.kind == "s"):
                raise Fail(f"find(): {table_name}.{col_name} holds {col.kind}, not "
                            f"{kind_word(node)}", value.pos, "model-type")  # fmt: skip
            if col.kind == "ref" and node.kind == "r" and node.table != col.ref:
                raise Fail(f"find(): {table_name}.{col_name} holds rows of {col.ref}", value.pos,
                            "model-type")  # fmt: skip
            filters.append((col_name, node))
        return CFind("r", table=table_name, pos=n.pos, filters=tuple(filters))


def kind_word(node: C) -> str:
    if node.kind == "q":
        return f"a quantity in {node.unit}"
    return {"b": "true or false", "s": "text", "r": f"a row of {node.table}"}[node.kind]


def _align(left: C, right: C, what: str, pos: int) -> tuple[C, C]:
    """Two quantities in one unit, the right one in the left one's (`conversions.aligned`)."""
    if left.zero or right.zero:
        return left, right
    if not left.unit.same_dims(right.unit):
        raise Fail(*kinds_differ(left, right, what, pos), "unit-mismatch")
    if (plain := plain_beside_ratio(left, right)) is not None:
        raise Fail(plain[1], plain[0].pos, "unit-mismatch")
    return aligned(left, right)
