"""Figures with ranged inputs (`cop=2.8..3.4`, or a row's `a..b` cell): the low and high
over every corner of the ranges, whether the formula is monotone there, and each input's
swing (what moves the figure most, for the tornado chart)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from citeguide.costcore.display import range_display, range_ends
from citeguide.costcore.frame import Trace, Value, decimal_context, mid
from citeguide.costcore.interpreter import run_model
from citeguide.costcore.library import Model
from citeguide.costcore.quantities import CalcError, plain
from citeguide.costcore.results import InputValue, Result
from citeguide.costcore.table_data import Table
from citeguide.costcore.units import CURRENCIES, Unit

MAX_RANGED = 8
"""Ranged inputs one figure may have: its low and high take 2^n evaluations."""


def add_range(model: Model, values: dict[str, Value], given: set[str], trace: Trace,
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
        with decimal_context():
            fresh = {k: v for k, v in values.items()}
            return run_model(model, fresh, set(given), quiet).value

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
            value = at({**choice, key: mid(trace.ranges[key])})
            if value < low or value > high:
                monotone = False
                low, high = min(low, value), max(high, value)
    drivers = []
    central = {k: mid(trace.ranges[k]) for k in keys}
    unit = parse_result_unit(result, model)
    columns = {name: p.column for name, p in model.params.items()}
    labels = driver_labels(result.params, [_input_name(key) for key in keys], columns,
                           trace.lib.tables.get)  # fmt: skip
    for key in keys:
        lo = at({**central, key: trace.ranges[key].low})
        hi = at({**central, key: trace.ranges[key].high})
        name = _input_name(key)
        low_text, high_text = range_ends(lo, hi, unit, model.style, model.digits, trace.locale)
        phrase = labels.get(name, name)
        drivers.append({
            "input": name,
            "label": phrase[:1].upper() + phrase[1:],
            "phrase": phrase,
            "low": plain(lo),
            "high": plain(hi),
            "swing": plain(abs(hi - lo)),
            "low_text": low_text,
            "high_text": high_text,
        })  # fmt: skip
    drivers.sort(key=lambda d: (-float(d["swing"]), str(d["input"])))
    result.low, result.high, result.monotone = low, high, monotone
    result.drivers = drivers
    result.steps.insert(0, "With every range at its midpoint:")
    result.display = range_display(low, high, unit, model.style, model.digits, trace.locale)


def driver_labels(params: list[InputValue], inputs: list[str],
                  columns: dict[str, str | None] | None = None,
                  table: Callable[[str], Table | None] | None = None
                  ) -> dict[str, str]:  # fmt: skip
    """What a reader calls each ranged input (`inputs`: `name` or `table:row.column`),
    as it reads inside a sentence: the parameter's label as its author wrote it, without
    its parenthesis (`heat pump's seasonal efficiency`, `Kubernetes ops work`),
    and for a ranged cell of a row given to a parameter, that label with the row (`...
    (ashp-eoh-spread)`) and, when the row has several ranged cells, the column (`Upstream
    effort (upstream-2026, upgrade hours)`, `... (upstream-2026, upkeep hours)`). A
    driver's `label` starts with a capital, for a heading or a table's row; its `phrase`
    keeps the author's first letter, for a sentence (a capital there is a name's).

    A row given to several parameters names the cell after the one that reads it: the
    parameter of that `column` (`columns`: each parameter's, if any), else the one given
    the whole row (a flat's ranged price is the flat's, not the mortgage rate's read from
    the same row).

    A ranged cell of a row no parameter was given, one a called model reads (a row id
    written in a model's call, `people_cost(ops='kubernetes', ...)`), is named after its
    table as readers know it (`table`: its title, else `the ops table`), with the row and
    the column: `monthly operations work by platform (kubernetes, fixed)`, never the
    `ops:kubernetes.fixed` the page showed."""
    labels: dict[str, str] = {}
    rows: dict[str, list[tuple[str | None, str]]] = {}
    columns = columns or {}
    for p in params:
        short = (p.label or p.name).split(" (", 1)[0].strip() or p.name
        labels[p.name] = short
        if p.row is not None:
            rows.setdefault(f"{p.row[0]}:{p.row[1]}", []).append((columns.get(p.name), short))
    cells = [name.rpartition(".") for name in inputs if name not in labels]
    for row, _, column in cells:
        if row in rows:
            given = rows[row]
            short = next((s for c, s in given if c == column),
                         next((s for c, s in given if c is None), given[-1][1]))  # fmt: skip
            row_id = row.partition(":")[2]
            several = sum(1 for other, _, _ in cells if other == row) > 1
            within = f"{row_id}, {column.replace('_', ' ')}" if several else row_id
            labels[f"{row}.{column}"] = f"{short} ({within})"
        elif table is not None:
            name, _, row_id = row.partition(":")
            found = table(name)
            words = found.reader_name if found else f"the {name.replace('_', ' ')} table"
            if not any(c.isupper() for c in words.split(" ", 1)[0][1:]):
                words = words[:1].lower() + words[1:]  # a title, in sentence case
            labels[f"{row}.{column}"] = f"{words} ({row_id}, {column.replace('_', ' ')})"
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
