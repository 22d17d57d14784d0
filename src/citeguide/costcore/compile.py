"""Compiling a site's models: every declaration checked and turned into a `Model`.

`compile_models` checks each model's unit and parameters, compiles its `let` values,
formula, `require` constraints and flags with `typecheck.py`, refuses circles of calls and
models nesting too deep (`call_graph.py`), and says why each model that did not compile,
or calls one that did not, cannot be used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TypeVar

from citeguide.costcore.call_graph import cycles, too_deep
from citeguide.costcore.conversions import convert, count_hint, counted_twice, share_folded
from citeguide.costcore.display import cancel_equal, shown_conversion
from citeguide.costcore.library import (
    MAX_NESTING,
    C,
    CConv,
    CParam,
    Flag,
    Let,
    Model,
    Param,
    Require,
    as_typed,
    children,
    parse_param,
)
from citeguide.costcore.model_spec import (
    NAME,
    RESERVED,
    FlagSpec,
    ModelSpec,
    ParamSpec,
    RequireSpec,
    close_hint,
    shown_name,
)
from citeguide.costcore.problems import Problem
from citeguide.costcore.quantities import CalcError, parse_number
from citeguide.costcore.table_data import Table, Tables
from citeguide.costcore.typecheck import Fail, Located, TypeChecker, Unusable, kind_word
from citeguide.costcore.units import MONEY, Named, Unit, UnitError, parse_unit

T = TypeVar("T")


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
        except Fail as exc:
            problems.append((origin, _problem_at(name, exc)))
            unread[name] = f"its declaration in {origin} has errors"
    models: dict[str, Model] = {}
    relying: dict[str, str] = {}
    for name, (spec, unit, params) in headers.items():
        origin = specs[name][1]
        checker = TypeChecker(name, params, headers, shapes, units or {}, tables, unread)
        try:
            models[name] = _compile_model(checker, spec, unit, origin)
        except Unusable as exc:
            relying[name] = exc.callee
        except (Located, Several) as exc:
            for one in exc.found if isinstance(exc, Several) else [exc]:
                problems.append((origin, Problem((name, *one.loc), one.message, one.rule,
                                                 offset=one.offset, key=one.key)))  # fmt: skip
    circles = cycles(models)
    for name, (ahead, size) in circles.items():
        model = models[name]
        loc, offset = model.sites[ahead[1] if size > 1 else name]
        shown = [*ahead, name] if size <= 7 else [*ahead[:6], "…", name]
        problems.append((model.origin, Problem((name, *loc), f"{name} calls itself through "
                                               f"{' → '.join(shown)}; models may not call each "
                                               "other in a circle", "model-cycle",
                                               offset=offset)))  # fmt: skip
    failed = {name: f"its declaration in {origin} has errors"
              for name, (_, origin) in specs.items() if name not in models}  # fmt: skip
    failed |= unread
    for name, callee in relying.items():
        failed[name] = f"it calls {callee}, which cannot be used: {unread[callee]}"
    failed |= {name: "it calls itself through other models" for name in circles}
    for name in circles:
        del models[name]
    for name, deepest in too_deep(models).items():
        model = models.pop(name)
        problems.append((model.origin, Problem((name, "formula"), f"{name} nests {deepest} "
                                               "levels deep with the let values and models it "
                                               f"uses; at most {MAX_NESTING}", "formula-syntax",
                                               offset=0)))  # fmt: skip
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


def _problem_at(name: str, exc: Fail) -> Problem:
    return Problem((name, *exc.loc), exc.message, exc.rule, key=exc.key)


def _header(
    name: str,
    spec: ModelSpec,
    shapes: Mapping[str, Table],
    units: Mapping[str, Named],
    tables: Tables,
) -> tuple[ModelSpec, Unit, dict[str, Param]]:
    try:
        unit = share_folded(parse_unit(spec.unit, units))
    except UnitError as exc:
        fail = Fail(f"{name}: unit: {exc}", 0, "unit")
        fail.loc = ("unit",)
        raise fail from None
    params: dict[str, Param] = {}
    for pname, pspec in spec.params.items():
        try:
            params[pname] = _param(pname, pspec, shapes, units, tables)
        except Fail as exc:
            exc.loc = ("params", pname, exc.at) if exc.at else ("params", pname)
            exc.message = f"{name}.{pname}: {exc.message}"
            raise
    return spec, unit, params


_HOLDS = {"currency": "currency codes", "ref": "ids of another table's rows",
          "bool": "true or false"}  # fmt: skip
"""What a column without a unit holds, in words (`text` is its own word)."""


def _param(
    name: str, spec: ParamSpec, shapes: Mapping[str, Table], units: Mapping[str, Named],
    tables: Tables,
) -> Param:  # fmt: skip
    if not re.fullmatch(NAME, name) or name in RESERVED:
        raise Fail(f"parameter name {shown_name(name)} must be lower-case letters, digits and _, "
                    "at most 64 (and not a function name)", 0, "model-name",
                    key=True)  # fmt: skip
    kind = spec.type or ("row" if spec.table and not spec.unit else "number")
    unit = None
    if kind == "number":
        try:
            unit = parse_unit(spec.unit or "1", units)
        except UnitError as exc:
            raise Fail(str(exc), 0, "unit", "unit" if spec.unit else None) from None
    elif spec.unit is not None:
        raise Fail(f"a {kind} parameter has no unit", 0, at="unit")
    if spec.table is not None:
        shape = shapes.get(spec.table)
        if shape is None:
            why = tables.missing_table(spec.table)
            raise Fail(why or f"no table {spec.table!r}" + close_hint(spec.table, shapes), 0,
                       "unknown-table", "table")  # fmt: skip
        if spec.column is not None:
            col = shape.columns.get(spec.column)
            if col is None:
                raise Fail(
                    tables.broken_column(spec.table, spec.column)
                    or f"table {spec.table} has no column {spec.column!r}"
                    + close_hint(spec.column, shape.columns),
                    0,
                    "unknown-column",
                    "column",
                )
            if col.unit is None:
                holds = _HOLDS.get(col.kind, col.kind)
                raise Fail(f"column {spec.table}.{spec.column} holds {holds}, not numbers "
                           "with a unit: `column` names the column a number is read from",
                           0, "unit-mismatch", "column")  # fmt: skip
            if unit is None:
                raise Fail(f"a parameter that reads column {spec.table}.{spec.column} is a "
                           f"number: give it a unit (the column's is {col.unit}), or drop "
                           "`column` to take the whole row",
                           0, "unit-mismatch", "column")  # fmt: skip
            if not col.unit.same_dims(unit):
                raise Fail(f"column {spec.table}.{spec.column} is in {col.unit}, "
                            f"which is not {unit}", 0, "unit-mismatch", "column")  # fmt: skip
    elif spec.column is not None:
        raise Fail("`column` needs `table`", 0, at="column")
    if kind in ("bool", "currency") and spec.table:
        raise Fail(f"a {kind} parameter takes no table", 0, at="table")
    param = Param(name, kind, spec.label, unit, spec.table, spec.column)
    minimum = _bound(spec.min, "min", param)
    maximum = _bound(spec.max, "max", param)
    if minimum is not None and maximum is not None and minimum > maximum:
        raise Fail(f"min {minimum} is above max {maximum}", 0, at="min")
    default = None if spec.default is None else as_typed(param, _text(spec.default))
    param = Param(name, kind, spec.label, unit, spec.table, spec.column, default, minimum,
                  maximum, spec.optional)  # fmt: skip
    if default is not None:
        if spec.optional:
            raise Fail("a parameter with a default is not `optional`", 0, at="optional")
        try:
            parse_param(param, default, tables, check_rows=spec.table in tables.tables)
        except CalcError as exc:
            raise Fail(f"default: {exc.message}", 0, at="default") from None
    return param


def _text(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(value)


def _bound(value: str | int | float | None, what: str, param: Param) -> Decimal | None:
    if value is None:
        return None
    try:
        return parse_number(as_typed(param, _text(value)), what, signed=True)
    except CalcError as exc:
        raise Fail(exc.message, 0, at=what) from None


def _body(checker: TypeChecker, formula: str, unit: Unit,
          loc: tuple[str | int, ...] = ("formula",)) -> C:  # fmt: skip
    """The formula compiled into the model's unit, if it is a quantity of its kind (the
    caller says what is wrong otherwise), cancelling units the way that writes fewer.

    `*` and `/` re-express their right operand's units to cancel the left one's
    (`conversions.harmonise`): `rate * 730[h/month]`, a rate per second, reads `730
    h/month × 3,600 s/h` and is then in the model's unit. Where the model's unit keeps the
    names the author wrote, it only adds steps that the last conversion undoes:
    `size * sun_hours * 365[day/year] * performance` in kWh/year read `30 kW × 2.85 h/day
    × (365 days/year ÷ 8,760 h/year) × 0.8 × 8,760 kWh/year/kW`, and so does a term of a
    sum, converted into its neighbour's unit (`£420.00/month × 12 months/year + 18 kW ×
    10 h/day × (300 days/year ÷ 8,760 h/year) × £0.26/kWh × 8,760 kWh/year/kW`). So when
    any conversion in it is one the steps show, the formula is compiled again without
    re-expressing, and kept if its conversions write fewer unit names (`30 kW × 2.85 h/day
    × 365 days/year × 0.8`); a tie keeps the first, so two plain conversions (`× 3,600
    s/h`, `× 12 months/year`) are not merged into one of mixed units (`× 43,200 s
    months/year/h`). The same figure either way: the same exact factors, met elsewhere.
    """
    body = checker.formula(formula, loc)
    if body.kind != "q" or body.zero or not body.unit.same_dims(unit):
        return body
    made = convert(body, unit)
    if not _written(made):
        return made
    plain = convert(_as_written(checker, formula, loc), unit)
    return plain if _written(plain) < _written(made) else made


def _as_written(checker: TypeChecker, formula: str, loc: tuple[str | int, ...]) -> C:
    """`formula` compiled without re-expressing a product's units to cancel."""
    checker.harmonising = False
    try:
        return checker.formula(formula, loc)
    finally:
        checker.harmonising = True


def _written(node: C, *, deep: bool = True) -> int:
    """How many unit names the conversions in `node` (only its own with `deep=False`)
    write in the steps: `× 3,600 s/h` two, `× 8,760 kWh/year/kW` three. A conversion
    the steps do not show writes none (`display.shown_conversion`: a factor of 1, a
    change of only a written factor, the currency, or a `%`)."""
    own = 0
    if isinstance(node, CConv) and node.arg is not None and shown_conversion(node):
        label = node.unit.without_currency() / node.arg.unit.without_currency()
        own = len(cancel_equal(label).terms)
    return own + (sum(_written(child) for child in children(node)) if deep else 0)


def _compile_model(checker: TypeChecker, spec: ModelSpec, unit: Unit, origin: str) -> Model:
    """One model: its `let` values in order, its formula in its unit, its constraints, flags."""
    checker.later = set(spec.let)
    for let_name, let_spec in spec.let.items():
        text = let_spec if isinstance(let_spec, str) else let_spec.expr
        label = "" if isinstance(let_spec, str) else let_spec.label
        loc: tuple[str | int, ...] = (
            ("let", let_name) if isinstance(let_spec, str) else ("let", let_name, "expr")
        )
        if not re.fullmatch(NAME, let_name) or let_name in RESERVED or let_name in checker.params:
            raise Located(("let", let_name), f"{checker.name}: let name "
                          f"{shown_name(let_name)} must be a new lower-case name (letters, "
                          "digits and _, at most 64; not a parameter's or a function's)",
                          "model-name", None, key=True)  # fmt: skip
        currency = None
        if isinstance(let_spec, str) or let_spec.unit is None:
            node = checker.formula(text, loc)
        else:
            node, currency = _let_in_unit(checker, let_name, let_spec.unit, text, loc)
        checker.lets[let_name] = Let(let_name, node, text, label, currency)
        checker.later.discard(let_name)
    # The formula, each require and each flag are checked apart: a mistake in one does
    # not hide the next one's until it is fixed, nor does a call to a model that cannot
    # be used (the model cannot be used either, but its own mistakes are told).
    found: list[Located] = []
    unusable: list[Unusable] = []

    def attempt(make: Callable[..., T], *args: object) -> T | None:
        try:
            return make(*args)
        except Located as exc:
            found.append(exc)
        except Unusable as exc:
            unusable.append(exc)
        return None

    body = attempt(_in_unit, checker, spec.formula, unit, ("formula",), "the formula",
                   "the model's unit")  # fmt: skip
    requires = [attempt(_require, checker, i, req) for i, req in enumerate(spec.require)]
    flags = [attempt(_flag, checker, name, flag) for name, flag in spec.flags.items()]
    if found:
        raise found[0] if len(found) == 1 else Several(found)
    if unusable:
        raise unusable[0]
    assert body is not None  # each attempt that failed was raised above
    style = spec.format.style or _style_for(unit)
    return Model(
        checker.name, spec.title, spec.label or spec.title, spec.description or "", unit,
        spec.unit, checker.params, checker.lets, body, spec.formula,
        [r for r in requires if r is not None], [f for f in flags if f is not None], style,
        spec.format.digits, origin, checker.calls, checker.sites,
    )  # fmt: skip


class Several(Exception):
    """More than one mistake in one model, each its own error."""

    def __init__(self, found: list[Located]) -> None:
        super().__init__(found)
        self.found = found


def _require(checker: TypeChecker, i: int, req: RequireSpec) -> Require:
    cond = checker.formula(req.if_, ("require", i, "if"))
    if cond.kind != "b":
        raise Located(("require", i, "if"), f"{checker.name}: a require condition is "
                       "true or false", "model-type", 0)  # fmt: skip
    blame = (req.param,) if isinstance(req.param, str) else tuple(req.param or ())
    for who in blame:
        if who not in checker.params:
            raise Located(("require", i, "param"), f"{checker.name}: no parameter "
                           f"{who!r}", "model-name", None)  # fmt: skip
    if not blame:
        blame = tuple(n for n in _names(cond) if n in checker.params)
    holes = tuple((m[1], checker.formula(m[1], ("require", i, "error"), m.start(1)))
                  for m in re.finditer(r"\{([^{}]{1,80})\}", req.error))  # fmt: skip
    return Require(cond, req.if_, req.error, blame, holes)


def _flag(checker: TypeChecker, name: str, flag: FlagSpec) -> Flag:
    test = checker.formula(flag.test, ("flags", name, "test"))
    when = checker.formula(flag.when, ("flags", name, "when")) if flag.when else None
    for checked, key in ((test, "test"), (when, "when")):
        if checked is not None and checked.kind != "b":
            raise Located(("flags", name, key), f"{checker.name}: a flag is true or "
                           "false", "model-type", 0)  # fmt: skip
    return Flag(name, test, when, flag.label)


def _in_unit(checker: TypeChecker, text: str, unit: Unit, loc: tuple[str | int, ...],
             what: str, whose: str) -> C:  # fmt: skip
    """`text` compiled into `unit` (`_body`), or an error at `loc` saying what it gives."""
    body = _body(checker, text, unit, loc)
    if body.kind != "q":
        raise Located(loc, f"{checker.name}: {what} gives {kind_word(body)}, not a quantity "
                      f"in {unit}", "unit-mismatch", 0)  # fmt: skip
    if not body.zero and not body.unit.same_dims(unit):
        # Named in the units the author wrote: hours a year, not the bare number they
        # cancel to.
        written = _as_written(checker, text, loc).unit
        raise Located(loc, f"{checker.name}: {what} gives {written.kind_text()} but "
                      f"{whose} is {unit}; they are different kinds of quantity"
                      f"{count_hint(written, unit)}", "unit-mismatch", 0)  # fmt: skip
    if (twice := counted_twice(_as_written(checker, text, loc), unit)) is not None:
        raise Located(loc, f"{checker.name}: {what}: {twice[1]}", "unit-mismatch", twice[0].pos)
    return body


def _let_in_unit(checker: TypeChecker, name: str, unit_text: str, text: str,
                 loc: tuple[str | int, ...]) -> tuple[C, str | None]:  # fmt: skip
    """A `let` value with a unit of its own, compiled into it as a model's formula is
    into the model's unit: `upgrades * upgrade_hours` in h/year reads `3 upgrades/year ×
    28 h/upgrade = 84 h/year`, where cancelling the hours against the year would leave
    `≈0.00958904`, a bare number. With the currency the unit names, if any."""
    try:
        unit = share_folded(parse_unit(unit_text, checker.units))
    except UnitError as exc:
        raise Located(("let", name, "unit"), f"{checker.name}: let {name}: unit: {exc}",
                      "unit", None) from None  # fmt: skip
    code = unit.currency if unit.currency != MONEY else None
    return _in_unit(checker, text, unit, loc, f"let value {name}", "its unit"), code


def _names(node: C) -> list[str]:
    """Parameter names a compiled condition reads, in order."""
    found: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop(0)
        if isinstance(current, CParam) and current.name not in found:
            found.append(current.name)
        stack += list(children(current))
    return found


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
