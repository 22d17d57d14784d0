"""Models: an author's formulas with typed, labelled parameters, checked before any use.

A model file maps model names to declarations (title, result unit, parameters, optional
`let` values, a formula, `require` constraints, `flags`). `compile_models` parses every
formula with the grammar in `formula.py`, resolves every name, checks every unit and
every call between models, refuses cycles, and produces a compiled tree per model in
which each unit conversion is an explicit node with an exact factor. That tree is what
both evaluators run: the Python one here and the browser's, from the JSON twin.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from citeguide.costcore import formula as f
from citeguide.costcore.quantities import CalcError, looks_numeric, parse_bool, parse_number
from citeguide.costcore.table_data import Table, Tables
from citeguide.costcore.units import CURRENCIES, MONEY, ONE, Named, Unit, UnitError, parse_unit

NAME = r"^[a-z][a-z0-9_]{0,63}$"
"""A model, parameter or `let` name: lower-case letters, digits and _, at most 64."""
FUNCTIONS = {"min", "max", "ceil", "floor", "round", "abs", "if", "given", "is_row", "has", "find"}
RESERVED = FUNCTIONS | {"and", "or", "not", "true", "false"}
MAX_NESTING = 100
"""Levels one evaluation may nest: formula trees, the `let` values they read and the models
they call, each counted in full (what bounds the evaluators' recursion)."""
MAX_EXPONENT = 8
"""The largest power a quantity with units may be raised to."""
MAX_POWER = 64
"""The largest exponent of a plain number (a literal is refused when the model compiles,
a computed one when the figure is evaluated)."""

# ---------------------------------------------------------------- what authors write


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True,
                              populate_by_name=True)  # fmt: skip


class ParamSpec(_Spec):
    """One parameter of a model."""

    label: str = ""
    """What the parameter is, in plain words (shown to readers)."""
    unit: str | None = None
    """Unit of a number (`kWh/year`, `GBP`, `1`); a number typed for it is in this unit."""
    type: Literal["number", "row", "bool", "currency"] | None = None
    """`number` (the default when a unit is given), `row` (a row of `table`), `bool`
    (true or false), `currency` (an ISO code; default: the site's currency)."""
    table: str | None = None
    """The table whose rows the parameter takes (a row id instead of a number)."""
    column: str | None = None
    """With `unit` and `table`: the column of the row used as the number."""
    default: str | int | float | bool | None = None
    """Value used when a marker leaves the parameter out (a number, a row id, ...)."""
    min: str | int | float | None = None
    """Smallest number allowed, in the parameter's unit."""
    max: str | int | float | None = None
    """Largest number allowed, in the parameter's unit."""
    optional: bool = False
    """May be left out without a default; test it in a formula with `given(name)`."""


class LetSpec(_Spec):
    expr: str
    """The formula of this intermediate value."""
    label: str = ""
    """What it is, in plain words (shown in the steps)."""


class RequireSpec(_Spec):
    if_: str = Field(alias="if")
    """A condition that makes the inputs unusable."""
    error: Annotated[str, Field(min_length=1, max_length=500)]
    """The message shown when the condition holds; `{name}` shows a value."""
    param: str | list[str] | None = None
    """The parameter(s) to blame (the first one given); default: the first one used."""


class FlagSpec(_Spec):
    test: str
    """A condition reported with the result (true or false)."""
    when: str | None = None
    """Report the flag only when this condition holds (such as `given(x)`)."""
    label: str = ""


class FormatSpec(_Spec):
    style: Literal["money", "count", "number", "percent", "gigabytes"] | None = None
    """How the value is shown on the page (default: from the unit)."""
    digits: Annotated[int, Field(ge=1, le=12)] = 3
    """Significant digits shown for `number` and `count`."""


class ModelSpec(_Spec):
    """A model: a titled formula over typed parameters, with a unit for its result."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    """What the model computes, in plain words."""
    label: str | None = None
    """A short name for the result, used in the steps of models that call this one."""
    description: str | None = None
    """A longer explanation for readers of the model table."""
    unit: str
    """Unit of the result (`GBP/year`, `year`, `money/month` for the site's currency)."""
    params: dict[str, ParamSpec] = {}
    let: dict[str, str | LetSpec] = {}
    """Named intermediate values, in order; each may use parameters and earlier ones."""
    formula: str
    require: list[RequireSpec] = []
    flags: dict[str, FlagSpec] = {}
    format: FormatSpec = FormatSpec()


# ---------------------------------------------------------------- compiled models


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


@dataclass(frozen=True)
class Problem:
    """A problem in a model file: the YAML path, the offset within a formula, the message."""

    loc: tuple[str | int, ...]
    message: str
    rule: str = "model"
    offset: int | None = None
    key: bool = False


class _Fail(Exception):
    def __init__(self, message: str, pos: int, rule: str = "model", at: str | None = None,
                 *, key: bool = False) -> None:  # fmt: skip
        super().__init__(message)
        self.message, self.pos, self.rule = message, pos, rule
        # `at`: the key of the declaration at fault (`default`, `unit`); `key`: the
        # problem is the key itself (a bad name) rather than its value.
        self.at, self.key = at, key
        self.loc: tuple[str | int, ...] = ()


def _shown(name: str) -> str:
    return repr(name if len(name) <= 40 else name[:32] + "…")


# ---------------------------------------------------------------- parsing declarations


def read_specs(data: Any) -> tuple[dict[str, ModelSpec], list[Problem]]:
    """Model declarations from one parsed YAML file (model name → declaration)."""
    problems: list[Problem] = []
    specs: dict[str, ModelSpec] = {}
    if data is None:
        return specs, problems
    if not isinstance(data, dict):
        return specs, [Problem((), "a model file maps model names to models", "model-syntax")]
    for name, raw in data.items():
        if not isinstance(name, str) or not re.fullmatch(NAME, name) or name in RESERVED:
            problems.append(Problem((str(name),), f"model name {_shown(str(name))} must be "
                                    "lower-case letters, digits and _, at most 64 (and not a "
                                    "function name)", "model-name", key=True))  # fmt: skip
            continue
        try:
            specs[name] = ModelSpec.model_validate(raw)
        except ValidationError as exc:
            for err in _one_per_union(exc.errors()):
                loc = tuple("if" if p == "if_" else p for p in err["loc"])
                where = ".".join(str(p) for p in loc)
                if err["type"] == "extra_forbidden":
                    close = _close(str(loc[-1]), _fields_at(loc))
                    problems.append(Problem((name, *loc), f"{name}: unknown key {where!r}{close}",
                                            "model-syntax", key=True))  # fmt: skip
                elif err["type"] == "missing":
                    problems.append(Problem((name, *loc[:-1]), f"{name}: missing {where!r}",
                                            "model-syntax", key=True))  # fmt: skip
                else:
                    message = err["msg"].removeprefix("Value error, ")
                    problems.append(Problem((name, *loc), f"{name}.{where}: {message}",
                                            "model-syntax"))  # fmt: skip
    return specs, problems


_UNION = {"str": "text", "int": "a number", "float": "a number", "bool": "true or false",
          "list[str]": "a list of names", "LetSpec": "{expr, label}"}  # fmt: skip


def _one_per_union(errors: list[Any]) -> list[Any]:
    """One error for a value that fits none of a union's types (`min: [1]` fails as text,
    as an integer and as a number: one message, `must be text or a number`)."""
    tagged: dict[tuple[Any, ...], list[str]] = {}
    for err in errors:
        if err["loc"] and err["loc"][-1] in _UNION and err["type"].endswith("_type"):
            tagged.setdefault(err["loc"][:-1], []).append(_UNION[err["loc"][-1]])
    out, done = [], set()
    for err in errors:
        head = err["loc"][:-1]
        if len(tagged.get(head, ())) < 2 or err["loc"][-1] not in _UNION:
            out.append(err)
        elif head not in done:
            done.add(head)
            words = list(dict.fromkeys(tagged[head]))
            out.append({**err, "loc": head, "msg": f"must be {' or '.join(words)}"})
    return out


def _fields_at(loc: tuple[Any, ...]) -> list[str]:
    if len(loc) >= 3 and loc[0] == "params":
        return list(ParamSpec.model_fields)
    if loc and loc[0] == "require":
        return ["if", "error", "param"]
    if loc and loc[0] == "flags":
        return list(FlagSpec.model_fields)
    return list(ModelSpec.model_fields)


def _close(word: str, known: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(known), n=1)
    return f"; did you mean {match[0]!r}?" if match else ""


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


def compile_models(
    specs: Mapping[str, tuple[ModelSpec, str]],
    tables: Tables,
    *,
    units: Mapping[str, Named] | None = None,
    known_tables: Mapping[str, Table] | None = None,
    broken: Mapping[str, str] | None = None,
) -> tuple[dict[str, Model], list[tuple[str, Problem]], dict[str, str]]:
    """Compile every model: `specs` maps names to (declaration, origin file).

    Returns the models that compiled, (origin, problem) for every problem found, and
    why each other declared model cannot be used.
    `known_tables` adds tables whose columns are known even without a file (the bundled
    tables' declarations), so the pack compiles on a site that has none of them.
    `broken` names the models whose declarations could not be read (and their files): a
    model calling one of them is unusable too, without an error of its own.
    """
    problems: list[tuple[str, Problem]] = []
    shapes: dict[str, Table] = {**(known_tables or {}), **tables.tables}
    headers: dict[str, tuple[ModelSpec, Unit, dict[str, Param]]] = {}
    unread = {n: f"its declaration in {o} has errors" for n, o in (broken or {}).items()}
    for name, (spec, origin) in specs.items():
        try:
            headers[name] = _header(name, spec, shapes, units or {}, tables)
        except _Fail as exc:
            problems.append((origin, _problem_at(name, exc)))
            unread[name] = f"its declaration in {origin} has errors"
    models: dict[str, Model] = {}
    relying: dict[str, str] = {}
    for name, (spec, unit, params) in headers.items():
        origin = specs[name][1]
        compiler = _Compiler(name, params, headers, shapes, units or {}, tables, unread)
        try:
            models[name] = compiler.model(spec, unit, origin)
        except _Unusable as exc:
            relying[name] = exc.callee
        except _Located as exc:
            problems.append((origin, Problem((name, *exc.loc), exc.message, exc.rule,
                                             exc.offset, exc.key)))  # fmt: skip
    cycles = _cycles(models)
    for name, (ahead, size) in cycles.items():
        model = models[name]
        loc, offset = model.sites[ahead[1] if size > 1 else name]
        shown = [*ahead, name] if size <= 7 else [*ahead[:6], "…", name]
        problems.append((model.origin, Problem((name, *loc), f"{name} calls itself through "
                                               f"{' → '.join(shown)}; models may not call each "
                                               "other in a circle", "model-cycle",
                                               offset)))  # fmt: skip
    failed = {name: f"its declaration in {origin} has errors"
              for name, (_, origin) in specs.items() if name not in models}  # fmt: skip
    failed |= unread
    for name, callee in relying.items():
        failed[name] = f"it calls {callee}, which cannot be used: {unread[callee]}"
    failed |= {name: "it calls itself through other models" for name in cycles}
    for name in cycles:
        del models[name]
    for name, deepest in _too_deep(models).items():
        model = models.pop(name)
        problems.append((model.origin, Problem((name, "formula"), f"{name} nests {deepest} "
                                               "levels deep with the let values and models it "
                                               f"uses; at most {MAX_NESTING}", "formula-syntax",
                                               0)))  # fmt: skip
        failed[name] = f"it nests deeper than {MAX_NESTING} levels"
    # A model calling one that cannot be used cannot be used either (one pass over the
    # callers of each, so a long chain of models is linear, not quadratic).
    callers: dict[str, list[str]] = {}
    for name, model in models.items():
        for callee in sorted(model.calls):
            callers.setdefault(callee, []).append(name)
    todo = [(name, name) for name in sorted(failed)]
    while todo:
        callee, root = todo.pop()
        for name in callers.get(callee, ()):
            if name in models:
                del models[name]
                via = f"calls {root}" if callee == root else f"relies on {root} (through {callee})"
                failed[name] = f"it {via}, which cannot be used: {failed[root]}"
                todo.append((name, root))
    return models, problems, failed


def _too_deep(models: Mapping[str, Model]) -> dict[str, int]:
    """Models whose evaluation would nest deeper than MAX_NESTING (formulas, the `let`
    values they read, the models they call, and theirs), with their depth; callers of
    such a model are left to fail as callers of an unusable one. Callees first, without
    recursion, so a chain of thousands of models is one linear pass."""
    depth: dict[str, int] = {}
    deep: dict[str, int] = {}
    for name in _callees_first(models):
        model = models[name]
        if any(c in deep or c not in depth for c in model.calls if c in models):
            continue
        lets: dict[str, int] = {}
        for let in model.lets.values():
            lets[let.name] = _tree_depth(let.node, lets, depth)
        roots = [model.formula, *(r.cond for r in model.requires),
                 *(h for r in model.requires for _, h in r.holes),
                 *(g.test for g in model.flags),
                 *(g.when for g in model.flags if g.when)]  # fmt: skip
        depth[name] = max(_tree_depth(root, lets, depth) for root in roots)
        if depth[name] > MAX_NESTING:
            deep[name] = depth[name]
    return deep


def _tree_depth(root: C, lets: Mapping[str, int], models: Mapping[str, int]) -> int:
    deepest = 0
    stack = [(root, 1)]
    while stack:
        node, level = stack.pop()
        # A let value or a called model nests its own depth below this node; a call's
        # arguments are computed here, one level down.
        if isinstance(node, CLet):
            deepest = max(deepest, level + lets.get(node.name, 0))
        elif isinstance(node, CCall):
            deepest = max(deepest, level + models.get(node.model, 0))
        deepest = max(deepest, level)
        stack += [(child, level + 1) for child in _kids(node)]
    return deepest


def _callees_first(models: Mapping[str, Model]) -> list[str]:
    """Model names with every model's callees before it (the call graph has no cycles)."""
    order: list[str] = []
    done: set[str] = set()
    for start in sorted(models):
        stack = [(start, False)]
        while stack:
            name, expanded = stack.pop()
            if expanded:
                order.append(name)
                continue
            if name in done:
                continue
            done.add(name)
            stack.append((name, True))
            stack += [(c, False) for c in sorted(models[name].calls, reverse=True)
                      if c in models and c not in done]  # fmt: skip
    return order


class _Unusable(Exception):
    """A model calls one whose declaration could not be read: its own error is that one."""

    def __init__(self, callee: str) -> None:
        super().__init__(callee)
        self.callee = callee


class _Located(Exception):
    def __init__(self, loc: tuple[str | int, ...], message: str, rule: str, offset: int | None,
                 *, key: bool = False) -> None:  # fmt: skip
        super().__init__(message)
        self.loc, self.message, self.rule, self.offset = loc, message, rule, offset
        self.key = key


def _problem_at(name: str, exc: _Fail) -> Problem:
    return Problem((name, *exc.loc), exc.message, exc.rule, key=exc.key)


def _header(
    name: str,
    spec: ModelSpec,
    shapes: Mapping[str, Table],
    units: Mapping[str, Named],
    tables: Tables,
) -> tuple[ModelSpec, Unit, dict[str, Param]]:
    try:
        unit = parse_unit(spec.unit, units)
    except UnitError as exc:
        fail = _Fail(f"{name}: unit: {exc}", 0, "unit")
        fail.loc = ("unit",)
        raise fail from None
    params: dict[str, Param] = {}
    for pname, pspec in spec.params.items():
        try:
            params[pname] = _param(pname, pspec, shapes, units, tables)
        except _Fail as exc:
            exc.loc = ("params", pname, exc.at) if exc.at else ("params", pname)
            exc.message = f"{name}.{pname}: {exc.message}"
            raise
    return spec, unit, params


def _param(
    name: str, spec: ParamSpec, shapes: Mapping[str, Table], units: Mapping[str, Named],
    tables: Tables,
) -> Param:  # fmt: skip
    if not re.fullmatch(NAME, name) or name in RESERVED:
        raise _Fail(f"parameter name {_shown(name)} must be lower-case letters, digits and _, "
                    "at most 64 (and not a function name)", 0, "model-name",
                    key=True)  # fmt: skip
    kind = spec.type or ("row" if spec.table and not spec.unit else "number")
    unit = None
    if kind == "number":
        try:
            unit = parse_unit(spec.unit or "1", units)
        except UnitError as exc:
            raise _Fail(str(exc), 0, "unit", "unit" if spec.unit else None) from None
    elif spec.unit is not None:
        raise _Fail(f"a {kind} parameter has no unit", 0, at="unit")
    if spec.table is not None:
        shape = shapes.get(spec.table)
        if shape is None:
            raise _Fail(f"no table {spec.table!r}" + _close(spec.table, shapes), 0, "unknown-table",
                        "table")  # fmt: skip
        if spec.column is not None:
            col = shape.columns.get(spec.column)
            if col is None:
                raise _Fail(
                    f"table {spec.table} has no column {spec.column!r}"
                    + _close(spec.column, shape.columns),
                    0,
                    "unknown-column",
                    "column",
                )
            if col.unit is None or unit is None or not col.unit.same_dims(unit):
                raise _Fail(f"column {spec.table}.{spec.column} is in {col.unit or col.kind}, "
                            f"which is not {unit}", 0, "unit-mismatch", "column")  # fmt: skip
    elif spec.column is not None:
        raise _Fail("`column` needs `table`", 0, at="column")
    if kind in ("bool", "currency") and spec.table:
        raise _Fail(f"a {kind} parameter takes no table", 0, at="table")
    minimum = _bound(spec.min, "min")
    maximum = _bound(spec.max, "max")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise _Fail(f"min {minimum} is above max {maximum}", 0, at="min")
    default = None if spec.default is None else _text(spec.default)
    param = Param(name, kind, spec.label, unit, spec.table, spec.column, default, minimum,
                  maximum, spec.optional)  # fmt: skip
    if default is not None:
        if spec.optional:
            raise _Fail("a parameter with a default is not `optional`", 0, at="optional")
        try:
            parse_param(param, default, tables, check_rows=spec.table in tables.tables)
        except CalcError as exc:
            raise _Fail(f"default: {exc.message}", 0, at="default") from None
    return param


def _text(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(value)


def _bound(value: str | int | float | None, what: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return parse_number(_text(value), what, signed=True)
    except CalcError as exc:
        raise _Fail(exc.message, 0, at=what) from None


ParamValue = Decimal | bool | str
"""A parsed parameter: a number in the parameter's unit, a flag, a currency or a row id."""


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
            raise CalcError(f"{name}={raw} is out of range: {_range_text(param)}", name)
        return number
    if param.table is None:
        raise CalcError(f"{name}={raw!r} is not a number (write 10M, 1.5k, 0.75 or 2B)", name)
    table = tables.get(param.table)
    if check_rows and (table is None or raw not in table.rows):
        known = sorted(table.rows) if table else []
        shown = raw if len(raw) <= 60 else raw[:40] + "…"
        hint = (f"; did you mean {difflib.get_close_matches(raw, known, n=1)[0]}?"
                if difflib.get_close_matches(raw, known, n=1)
                else (f"; known: {', '.join(known[:12])}" if known
                      else f"; {param.table}.yaml has no rows"))  # fmt: skip
        raise CalcError(f"{name}={shown}: no such row in {param.table}.yaml{hint}", name)
    return raw


def _range_text(param: Param) -> str:
    unit = f" {param.unit}" if param.unit is not None and param.unit != ONE else ""
    if param.minimum is not None and param.maximum is not None:
        return (f"between {param.minimum.normalize():f} and "
                f"{param.maximum.normalize():f}{unit}")  # fmt: skip
    if param.minimum is not None:
        return f"at least {param.minimum.normalize():f}{unit}"
    assert param.maximum is not None
    return f"at most {param.maximum.normalize():f}{unit}"


def _cycles(models: Mapping[str, Model]) -> dict[str, tuple[list[str], int]]:
    """Models that call themselves through others, each with the start of its circle
    (itself and up to six models it calls in turn, `a → b`) and the circle's length."""
    state: dict[str, int] = {}
    found: dict[str, tuple[list[str], int]] = {}
    for start in sorted(models):
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(models[start].calls)))]
        path = [start]
        where = {start: 0}
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                del where[path.pop()]
                continue
            if nxt not in models:
                continue
            if state.get(nxt) == 1:
                first, size = where[nxt], len(path) - where[nxt]
                for j in range(len(path) - 1, first - 1, -1):
                    if path[j] not in found:
                        ahead = [path[first + (j - first + k) % size] for k in range(min(size, 7))]
                        found[path[j]] = (ahead, size)
            elif not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, iter(sorted(models[nxt].calls))))
                where[nxt] = len(path)
                path.append(nxt)
    return dict(sorted(found.items()))


class _Compiler:
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

    def model(self, spec: ModelSpec, unit: Unit, origin: str) -> Model:
        self.later = set(spec.let)
        for let_name, let_spec in spec.let.items():
            text = let_spec if isinstance(let_spec, str) else let_spec.expr
            label = "" if isinstance(let_spec, str) else let_spec.label
            loc: tuple[str | int, ...] = (
                ("let", let_name) if isinstance(let_spec, str) else ("let", let_name, "expr")
            )
            if not re.fullmatch(NAME, let_name) or let_name in RESERVED or let_name in self.params:
                raise _Located(("let", let_name), f"{self.name}: let name {_shown(let_name)} must "
                               "be a new lower-case name (letters, digits and _, at most 64; not "
                               "a parameter's or a function's)", "model-name", None,
                               key=True)  # fmt: skip
            node = self._formula(text, loc)
            self.lets[let_name] = Let(let_name, node, text, label)
            self.later.discard(let_name)
        body = self._formula(spec.formula, ("formula",))
        if body.kind != "q":
            raise _Located(("formula",), f"{self.name}: the formula gives {_kind_word(body)}, "
                           f"not a quantity in {unit}", "unit-mismatch", 0)  # fmt: skip
        if not body.zero and not body.unit.same_dims(unit):
            raise _Located(("formula",), f"{self.name}: the formula gives {body.unit} but the "
                           f"model's unit is {unit}; they are different kinds of quantity",
                           "unit-mismatch", 0)  # fmt: skip
        body = _convert(body, unit)
        requires = []
        for i, req in enumerate(spec.require):
            cond = self._formula(req.if_, ("require", i, "if"))
            if cond.kind != "b":
                raise _Located(("require", i, "if"), f"{self.name}: a require condition is "
                               "true or false", "model-type", 0)  # fmt: skip
            blame = (req.param,) if isinstance(req.param, str) else tuple(req.param or ())
            for who in blame:
                if who not in self.params:
                    raise _Located(("require", i, "param"), f"{self.name}: no parameter "
                                   f"{who!r}", "model-name", None)  # fmt: skip
            if not blame:
                blame = tuple(n for n in _names(cond) if n in self.params)
            holes = tuple((m[1], self._formula(m[1], ("require", i, "error"), m.start(1)))
                          for m in re.finditer(r"\{([^{}]{1,80})\}", req.error))  # fmt: skip
            requires.append(Require(cond, req.if_, req.error, blame, holes))
        flags = []
        for flag_name, flag in spec.flags.items():
            test = self._formula(flag.test, ("flags", flag_name, "test"))
            when = self._formula(flag.when, ("flags", flag_name, "when")) if flag.when else None
            for checked, key in ((test, "test"), (when, "when")):
                if checked is not None and checked.kind != "b":
                    raise _Located(("flags", flag_name, key), f"{self.name}: a flag is true or "
                                   "false", "model-type", 0)  # fmt: skip
            flags.append(Flag(flag_name, test, when, flag.label))
        style = spec.format.style or _style_for(unit)
        return Model(
            self.name, spec.title, spec.label or spec.title, spec.description or "", unit,
            spec.unit, self.params, self.lets, body, spec.formula, requires, flags, style,
            spec.format.digits, origin, self.calls, self.sites,
        )  # fmt: skip

    def _formula(self, text: str, loc: tuple[str | int, ...], base: int = 0) -> C:
        """`text` compiled; it starts at offset `base` of the YAML value at `loc` (a
        `{...}` of a require message), which is where its errors are placed."""
        self.where, self.base = loc, base
        try:
            tree = f.parse_formula(text)
        except f.FormulaError as exc:
            raise _Located(loc, f"{self.name}: {exc.message}", "formula-syntax",
                           base + exc.offset) from None  # fmt: skip
        try:
            return self.node(tree)
        except _Fail as exc:
            raise _Located(loc, f"{self.name}: {exc.message}", exc.rule,
                           base + exc.pos) from None  # fmt: skip

    # ------------------------------------------------------------ nodes

    def node(self, n: f.Node) -> C:
        if isinstance(n, f.Num):
            if n.unit is None:
                return CNum("q", ONE, pos=n.pos, zero=n.value == 0, value=n.value, text=n.text)
            try:
                unit = parse_unit(n.unit, self.units)
            except UnitError as exc:
                raise _Fail(str(exc), n.pos, "unit") from None
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
        raise _Fail("cannot read this expression", n.pos)  # pragma: no cover

    def want(self, node: C, kind: Kind, what: str) -> None:
        if node.kind != kind:
            words = {"q": "a number", "b": "true or false", "s": "text", "r": "a row"}
            raise _Fail(
                f"{what} needs {words[kind]}, not {_kind_word(node)}", node.pos, "model-type"
            )

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
                        raise _Fail(f"{first} is a number, not a row: {first}.{rest[0]} "
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
                raise _Fail(f"{first} is a model: call it with arguments, {first}(...)", n.pos,
                            "model-name")  # fmt: skip
            if first in self.shapes:
                raise _Fail(f"{first} is a table: pass one of its rows as a parameter",
                            n.pos, "model-name")  # fmt: skip
            if first in self.later:
                raise _Fail(f"{first} is a let value not yet computed here: a let value may use "
                            "the parameters and the let values above it, not itself or later "
                            "ones", n.pos, "unknown-name")  # fmt: skip
            raise _Fail(f"unknown name {first!r}{_close(first, known)} (not a {where} of "
                        f"{self.name})", n.pos, "unknown-name")  # fmt: skip
        return self.columns(base, rest, n.pos) if rest else base

    def columns(self, base: C, names: tuple[str, ...], pos: int) -> C:
        current = base
        table = base.table
        for i, name in enumerate(names):
            if current.kind != "r" or table is None:
                raise _Fail(f"{'.'.join(names[:i]) or 'this'} is not a row; .{name} reads "
                            "nothing", pos, "model-type")  # fmt: skip
            shape = self.shapes.get(table)
            assert shape is not None
            col = shape.columns.get(name)
            if col is None:
                raise _Fail(f"table {table} has no column {name!r}{_close(name, shape.columns)}"
                            f" (columns: {shape.describe()})", pos, "unknown-column")  # fmt: skip
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
                raise _Fail(f"{op} compares {_kind_word(left)} with {_kind_word(right)}", at,
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
        if op in ("*", "/"):
            right = _harmonise(left, right, op)
        if op == "*":
            return COp("q", left.unit * right.unit, pos=n.pos, op="*", args=(left, right),
                       zero=left.zero or right.zero)  # fmt: skip
        if op == "/":
            return COp("q", left.unit / right.unit, pos=n.pos, op="/", args=(left, right),
                       zero=left.zero)  # fmt: skip
        if op == "^":
            if not right.unit.dimensionless:
                raise _Fail(f"an exponent is a plain number, not {right.unit}", right.pos, "unit")
            if isinstance(right, CNum) and abs(right.value) > MAX_POWER:
                raise _Fail(f"an exponent of {right.text} is too large (at most {MAX_POWER})",
                            right.pos, "formula-syntax")  # fmt: skip
            if left.unit.dimensionless:
                return COp("q", ONE, pos=n.pos, op="^", args=(_convert(left, ONE),
                                                              _convert(right, ONE)))  # fmt: skip
            if not (isinstance(right, CNum) and right.unit == ONE
                    and right.value == right.value.to_integral_value()
                    and abs(right.value) <= MAX_EXPONENT):  # fmt: skip
                raise _Fail(f"{left.unit} can only be raised to a whole number from "
                            f"-{MAX_EXPONENT} to {MAX_EXPONENT} written in the formula",
                            right.pos, "unit")  # fmt: skip
            return COp("q", left.unit.power(int(right.value)), pos=n.pos, op="^",
                       args=(left, right))  # fmt: skip
        raise _Fail(f"unknown operator {op}", n.pos)  # pragma: no cover

    def call(self, n: f.Call) -> C:
        if n.func in FUNCTIONS:
            return self.function(n)
        if n.func in self.unread:
            raise _Unusable(n.func)
        if n.func not in self.headers:
            known = [*self.headers, *FUNCTIONS]
            raise _Fail(f"unknown function or model {n.func!r}{_close(n.func, known)}", n.pos,
                        "unknown-name")  # fmt: skip
        if n.args:
            raise _Fail(f"call {n.func} with names: {n.func}(name=value, ...)", n.pos)
        _, unit, params = self.headers[n.func]
        self.calls.add(n.func)
        self.sites.setdefault(n.func, (self.where, self.base + n.pos))
        kwargs: list[tuple[str, C]] = []
        for key, value in n.kwargs:
            param = params.get(key)
            if param is None:
                raise _Fail(f"{n.func} has no parameter {key!r}{_close(key, params)}",
                            value.pos, "unknown-name")  # fmt: skip
            if any(k == key for k, _ in kwargs):
                raise _Fail(f"{key} is given twice", value.pos)
            kwargs.append((key, self.argument(n.func, param, value)))
        given = {k for k, _ in kwargs}
        for param in params.values():
            if param.default is None and not param.optional and param.name not in given:
                raise _Fail(f"{n.func} needs {param.name}=... ({param.label or param.what})",
                            n.pos, "model-call")  # fmt: skip
        return CCall("q", unit, pos=n.pos, model=n.func, kwargs=tuple(kwargs))

    def argument(self, callee: str, param: Param, value: f.Node) -> C:
        if param.takes_row and isinstance(value, f.Str | f.Path) and self._row_literal(value):
            row_id = value.value if isinstance(value, f.Str) else value.names[0]
            table = self.tables.get(param.table or "")
            if table is not None and row_id not in table.rows:
                raise _Fail(f"{callee}.{param.name}: no row {row_id!r} in {param.table}.yaml"
                            + _close(row_id, table.rows), value.pos, "unknown-row")  # fmt: skip
            return CStr("s", pos=value.pos, value=row_id)
        node = self.node(value)
        if param.kind == "row" or (param.takes_row and node.kind == "r"):
            if node.kind != "r" or node.table != param.table:
                raise _Fail(f"{callee}.{param.name} takes a row of {param.table}, not "
                            f"{_kind_word(node)}", value.pos, "model-type")  # fmt: skip
            return node
        if param.kind == "bool":
            self.want(node, "b", f"{callee}.{param.name}")
            return node
        if param.kind == "currency":
            self.want(node, "s", f"{callee}.{param.name}")
            return node
        self.want(node, "q", f"{callee}.{param.name}")
        assert param.unit is not None
        if not node.zero and not node.unit.same_dims(param.unit):
            raise _Fail(f"{callee}.{param.name} is in {param.unit}, but this is in {node.unit}",
                        value.pos, "unit-mismatch")  # fmt: skip
        return _convert(node, param.unit)

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
            raise _Fail(f"{name}() takes no named arguments", n.pos)
        if name in ("given", "is_row"):
            if len(n.args) != 1 or not isinstance(n.args[0], f.Path) or len(n.args[0].names) != 1:
                raise _Fail(f"{name}() takes one parameter name", n.pos)
            pname = n.args[0].names[0]
            param = self.params.get(pname)
            if param is None:
                raise _Fail(f"{name}({pname}): no parameter {pname!r}", n.pos, "unknown-name")
            if name == "is_row" and not (param.kind == "number" and param.table):
                raise _Fail(f"is_row({pname}): {pname} does not take both a number and a row",
                            n.pos)  # fmt: skip
            return COp("b", pos=n.pos, op=name, args=(CParam("s", pos=n.pos, name=pname),))
        if name == "has":
            if len(args) != 1 or not isinstance(args[0], CCol):
                raise _Fail("has() takes one row column, such as has(model.cache_read)", n.pos)
            return COp("b", pos=n.pos, op="has", args=(args[0],))
        if name == "if":
            if len(args) != 3:
                raise _Fail("if() takes a condition and two values: if(cond, a, b)", n.pos)
            cond, a, b = args
            self.want(cond, "b", "if's condition")
            if a.kind != b.kind or (a.kind == "r" and a.table != b.table):
                raise _Fail(f"if() gives {_kind_word(a)} or {_kind_word(b)}: both must be the "
                            "same kind", n.pos, "model-type")  # fmt: skip
            if a.kind == "q":
                a, b = _align(a, b, "if()", b.pos)
                unit = b.unit if a.zero else a.unit
                return COp("q", unit, a.table, n.pos, a.zero and b.zero, op="if",
                           args=(cond, a, b))  # fmt: skip
            return COp(a.kind, a.unit, a.table, n.pos, op="if", args=(cond, a, b))
        if name in ("min", "max"):
            if len(args) < 2:
                raise _Fail(f"{name}() takes two or more values", n.pos)
            first = args[0]
            self.want(first, "q", name)
            aligned = [first]
            for other in args[1:]:
                self.want(other, "q", name)
                _, other = _align(first, other, f"{name}()", other.pos)
                aligned.append(other)
            unit = next((a.unit for a in aligned if not a.zero), first.unit)
            aligned = [_convert(a, unit) if a.zero else a for a in aligned]
            return COp("q", unit, pos=n.pos, op=name, args=tuple(aligned))
        if name in ("ceil", "floor", "abs"):
            if len(args) != 1:
                raise _Fail(f"{name}() takes one value", n.pos)
            self.want(args[0], "q", name)
            return COp("q", args[0].unit, pos=n.pos, op=name, args=(args[0],), zero=args[0].zero)
        if name == "round":
            if len(args) not in (1, 2):
                raise _Fail("round() takes a value and, optionally, a number of decimals", n.pos)
            self.want(args[0], "q", name)
            if len(args) == 2 and not (isinstance(args[1], CNum) and args[1].unit == ONE
                                       and args[1].value == args[1].value.to_integral_value()
                                       and 0 <= args[1].value <= 12):  # fmt: skip
                raise _Fail("round()'s decimals are a whole number from 0 to 12", n.pos)
            return COp("q", args[0].unit, pos=n.pos, op="round", args=tuple(args))
        # find(table, column=value, ...): the one row whose columns match
        if len(n.args) != 1 or not isinstance(n.args[0], f.Path) or len(n.args[0].names) != 1:
            raise _Fail("find() takes a table name and column=value filters", n.pos)
        table_name = n.args[0].names[0]
        shape = self.shapes.get(table_name)
        if shape is None:
            raise _Fail(f"find(): no table {table_name!r}{_close(table_name, self.shapes)}",
                        n.pos, "unknown-table")  # fmt: skip
        if not n.kwargs:
            raise _Fail("find() needs at least one column=value filter", n.pos)
        filters: list[tuple[str, C]] = []
        for col_name, value in n.kwargs:
            col = shape.columns.get(col_name)
            if col is None:
                raise _Fail(f"find(): table {table_name} has no column {col_name!r}"
                            f"{_close(col_name, shape.columns)}", value.pos,
                            "unknown-column")  # fmt: skip
            node = self.node(value)
            expected: Kind = {"quantity": "q", "bool": "b", "ref": "r"}.get(col.kind, "s")  # type: ignore[assignment]
            if node.kind != expected and not (col.kind == "ref" and node.kind == "s"):
                raise _Fail(f"find(): {table_name}.{col_name} holds {col.kind}, not "
                            f"{_kind_word(node)}", value.pos, "model-type")  # fmt: skip
            if col.kind == "ref" and node.kind == "r" and node.table != col.ref:
                raise _Fail(f"find(): {table_name}.{col_name} holds rows of {col.ref}", value.pos,
                            "model-type")  # fmt: skip
            filters.append((col_name, node))
        return CFind("r", table=table_name, pos=n.pos, filters=tuple(filters))


def _kind_word(node: C) -> str:
    if node.kind == "q":
        return f"a quantity in {node.unit}"
    return {"b": "true or false", "s": "text", "r": f"a row of {node.table}"}[node.kind]


def _align(left: C, right: C, what: str, pos: int) -> tuple[C, C]:
    """Two quantities in one unit: the right one converted to the left one's unit."""
    if left.zero or right.zero:
        return left, right
    if not left.unit.same_dims(right.unit):
        raise _Fail(f"{what} between {left.unit} and {right.unit}: they are different kinds "
                    "of quantity", pos, "unit-mismatch")  # fmt: skip
    return left, _convert(right, left.unit)


def _is_money(name: str) -> bool:
    return name == MONEY or name in CURRENCIES


def _harmonise(left: C, right: C, op: str) -> C:
    """The right operand of `*` or `/` re-expressed so that its units cancel the left
    one's by name: `730 h/month` beside `per second` becomes `× 3,600 s/h` (shown in the
    steps), `£/kWh` beside `kW × h` becomes `£/(kW h)` (a factor of 1, not shown)."""
    if left.zero or right.zero or left.kind != "q" or right.kind != "q":
        return right
    sign = 1 if op == "*" else -1
    extra = {**left.unit.extra, **right.unit.extra}
    lterms = [(n, p) for n, p in left.unit.terms if not _is_money(n)]
    ldict = dict(lterms)

    def dims(*names: str) -> tuple[tuple[str, int], ...]:
        return Unit(tuple((n, 1) for n in names), Fraction(1), extra).dims

    out: list[tuple[str, int]] = []
    changed = False
    for name, power in right.unit.terms:
        eff = power * sign
        if _is_money(name) or ldict.get(name, 0) * eff < 0:
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


def _convert(node: C, unit: Unit) -> C:
    """`node` in `unit`: itself when already there, else wrapped in a conversion."""
    if node.zero:
        return node
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


def _names(node: C) -> list[str]:
    """Parameter names a compiled condition reads, in order."""
    found: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop(0)
        if isinstance(current, CParam) and current.name not in found:
            found.append(current.name)
        stack += list(_kids(current))
    return found


def _kids(node: C) -> tuple[C, ...]:
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


def _style_for(unit: Unit) -> str:
    names = [n for n, _ in unit.terms]
    powers = dict(unit.terms)
    if unit.currency is not None and powers.get(unit.currency, 0) == 1:
        return "money"
    if names and names[0] in ("GB", "MB", "TB", "kB") and len(names) == 1:
        return "gigabytes" if names[0] == "GB" else "number"
    if any(n in ("token", "input_token", "output_token") and p == 1 for n, p in unit.terms):
        return "count"
    return "number"
