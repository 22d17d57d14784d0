"""Reading one parsed table file into a `Table`, with every problem located in its YAML.

Reading files and locating errors in them is the caller's job (the core does no I/O):
`bundled_table` and `author_table` take the parsed YAML and return problems with a path
inside the document; `cross_check` then finds references to rows that do not exist.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from citeguide.costcore.problems import Problem
from citeguide.costcore.quantities import CalcError, Range, parse_value_text
from citeguide.costcore.table_data import Citation, Column, Table, TableRow, Tables
from citeguide.costcore.table_schema import (
    BUNDLED_COLUMNS,
    BUNDLED_MODELS,
    ROW_ID,
    ApiPrice,
    AuthorTable,
    GpuPrice,
    Row,
    RunningCost,
    Throughput,
)
from citeguide.costcore.units import CURRENCIES, Named, UnitError, parse_unit


def _bundled_values(name: str, row: Row) -> tuple[dict[str, Any], dict[str, str]]:
    """Column values of a validated bundled row, and the columns it lacks with why."""
    data = row.model_dump(exclude={"source", "date", "confidence", "sources", "as_of",
                                   "note", "estimate"}, exclude_none=True)  # fmt: skip
    absent: dict[str, str] = {}
    if isinstance(row, GpuPrice):
        price = data.pop("price")
        other = "purchase" if row.kind == "rental" else "rental"
        data[row.kind] = price
        absent[other] = f"is a {row.kind} price, not a {other} price"
    elif isinstance(row, Throughput):
        data["per_gpu"] = row.tokens_per_second / row.gpus
        if row.params is not None:
            data["params"] = parse_value_text(row.params)
    elif isinstance(row, RunningCost):
        value = data.pop("value")
        data["pue" if row.kind == "pue" else "price"] = value
        absent["price" if row.kind == "pue" else "pue"] = f"is a {row.kind} figure"
        if row.kind == "electricity" and row.currency is None:
            absent["price"] = "has no currency for its price"
    elif isinstance(row, ApiPrice):
        for optional in ("cache_read", "cache_write", "batch_multiplier"):
            if optional not in data:
                absent[optional] = f"has no {optional.replace('_', '-')} price in {name}.yaml"
    return data, absent


def _shown(data: Mapping[str, Any], row: Row) -> tuple[tuple[str, str | int | float | bool], ...]:
    values = {**data}
    if row.note:
        values["note"] = row.note
    if row.estimate:
        values["estimate"] = True
    return tuple((k, _plain(v)) for k, v in values.items())


def _plain(value: object) -> str | int | float | bool:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def _citations(row: Row) -> tuple[Citation, ...]:
    return tuple(Citation(c.url, c.date, c.confidence) for c in row.citations)


_BLAME = {"give either": ("sources",), "sources needs": ("sources",),
          "an estimate needs": ("estimate",),
          "an estimate is": ("confidence", "sources")}  # fmt: skip
"""The field a row's own check blames, by its message (else the row's id)."""


def _high_source(raw: Any) -> tuple[str | int, ...] | None:
    """Where a row's `confidence: high` is written: its own, or the first of its
    `sources` (an estimate's confidence is the estimate's own, never high)."""
    if not isinstance(raw, dict):
        return None
    if raw.get("confidence") == "high":
        return ("confidence",)
    listed = raw.get("sources")
    for i, source in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(source, dict) and source.get("confidence") == "high":
            return ("sources", i, "confidence")
    return None


def _validation_problems(exc: ValidationError, prefix: tuple[str | int, ...], row_id: str,
                         raw: Any = None) -> list[Problem]:  # fmt: skip
    problems: list[Problem] = []
    for err in exc.errors():
        loc = (*prefix, *err["loc"])
        name = ".".join(str(p) for p in err["loc"])
        if not err["loc"] and prefix:  # the row's own check: at the field it is about
            message = err["msg"].removeprefix("Value error, ")
            blamed = next((k for start, keys in _BLAME.items() if message.startswith(start)
                           for k in keys if isinstance(raw, dict) and k in raw), None)  # fmt: skip
            at = (*prefix, blamed) if blamed else prefix
            high = _high_source(raw) if message.startswith("an estimate is") else None
            if high is not None:  # at the `high` itself, of the source it is
                problems.append(Problem((*prefix, *high), f"{row_id}: {message}",
                                        "table-invalid"))  # fmt: skip
                continue
            problems.append(Problem(at, f"{row_id}: {message}", "table-invalid", key=True))
            continue
        if err["type"] == "extra_forbidden":
            problems.append(
                Problem(loc, f"{row_id}: unknown field {name!r}", "table-unknown-field", key=True)
            )
        elif err["type"] == "missing":
            problems.append(
                Problem(
                    prefix, f"{row_id}: missing field {name!r}", "table-missing-field", key=True
                )
            )
        else:
            message = err["msg"].removeprefix("Value error, ")
            where = f"{row_id}.{name}" if name else row_id
            problems.append(Problem(loc, f"{where}: {message}", "table-invalid"))
    return problems


def bundled_table(name: str, data: Any, extra: Mapping[str, Named]) -> tuple[Table, list[Problem]]:
    """One of the six bundled tables from its parsed YAML (row id → row)."""
    model = BUNDLED_MODELS[name]
    table = Table(name, _columns(BUNDLED_COLUMNS[name], extra), bundled=True,
                  currency_column="currency")  # fmt: skip
    problems: list[Problem] = []
    if data is None:
        return table, problems
    if not isinstance(data, dict):
        return table, [Problem((), "a table maps row ids to rows", "table-syntax")]
    if isinstance(data.get("columns"), dict) and isinstance(data.get("rows"), dict):
        return table, [Problem(("columns",), _declared_shape(name), "table-syntax", key=True)]
    for row_id, raw in data.items():
        if not isinstance(row_id, str) or not re.match(ROW_ID, row_id):
            problems.append(Problem((str(row_id),), _bad_id(row_id), "table-row-id", key=True))
            continue
        try:
            row = model.model_validate(raw)
        except ValidationError as exc:
            problems += _validation_problems(exc, (row_id,), row_id, raw)
            continue
        values, absent = _bundled_values(name, row)
        for col, value in values.items():
            if isinstance(value, int) and table.columns.get(col, Column(col, "text")).unit:
                values[col] = Decimal(value)
        table.rows[row_id] = TableRow(
            name, row_id, values, _citations(row), row.as_of, row.estimate, row.note,
            absent, _shown(row.model_dump(exclude={"source", "date", "confidence", "sources",
                                                   "as_of", "note", "estimate"},
                                          exclude_none=True), row),
        )  # fmt: skip
    return table, problems


def _declared_shape(name: str) -> str:
    """What to write instead of `columns:` and `rows:` in a bundled table's file."""
    model = BUNDLED_MODELS[name]
    needed = [f for f, info in model.model_fields.items() if info.is_required()]
    return (
        f"{name}.yaml is one of the bundled tables, whose fields citeguide declares "
        f"(`citeguide schema --table {name}`): write each row at the top of the file, "
        f"its id then its fields ({', '.join(needed)}) and its source, date and "
        f"confidence, without `columns:` and `rows:`; e.g. `{_EXAMPLE_IDS[name]}: "
        f"{{{_EXAMPLES[name]}, source: URL, date: YYYY-MM-DD, confidence: high}}`"
    )


_EXAMPLE_IDS = {
    "api_prices": "small-model",
    "hardware": "gpu-80",
    "gpu_prices": "gpu-80-rent",
    "throughput": "gpu-80-small",
    "fx": "usd-eur",
    "running_costs": "grid-uk",
}
_EXAMPLES = {
    "api_prices": "name: Small model, provider: Example, currency: USD, input: 0.5, output: 2",
    "hardware": "name: 80 GB GPU, memory_gb: 80, board_power_kw: 0.7",
    "gpu_prices": "hardware: gpu-80, kind: rental, price: 2.5, currency: USD",
    "throughput": (
        "model: Small-8B, hardware: gpu-80, precision: FP8, setup: batch of 64, "
        "tokens_per_second: 1500"
    ),
    "fx": "base: USD, quote: EUR, rate: 0.86",
    "running_costs": "kind: electricity, value: 0.25, currency: GBP",
}


def _bad_id(row_id: object) -> str:
    return f"row id {row_id!r} must be lower-case letters, digits, dots and hyphens"


def _columns(spec: Mapping[str, str], extra: Mapping[str, Named]) -> dict[str, Column]:
    columns: dict[str, Column] = {}
    for col, kind in spec.items():
        if kind in ("text", "currency", "bool"):
            columns[col] = Column(col, kind)  # type: ignore[arg-type]
        elif kind.startswith("ref:"):
            columns[col] = Column(col, "ref", ref=kind[4:])
        else:
            columns[col] = Column(col, "quantity", parse_unit(kind, extra))
    return columns


_ROW_FIELDS = set(Row.model_fields)
_COLUMN_KINDS = "a unit such as GBP/kWh, kWh/year or 1; or text, currency, bool, ref:<table>"


def _column_shapes(data: dict[str, Any]) -> tuple[dict[str, Any], list[Problem], set[str]]:
    """`data` without the columns declared by something other than their unit or kind
    as text (a mapping such as `{unit: GBP}`, a list), each a problem at its column that
    says what a declaration looks like; a column written `1` unquoted is in `1`."""
    declared = data.get("columns")
    if not isinstance(declared, dict):
        return data, [], set()
    kept: dict[Any, Any] = {}
    problems: list[Problem] = []
    for col, kind in declared.items():
        if kind == 1 and not isinstance(kind, bool):
            kept[col] = "1"
        elif isinstance(kind, str):
            kept[col] = kind
        else:
            unit = kind.get("unit") if isinstance(kind, dict) else None
            what = str(kind).lower()
            if isinstance(kind, dict | list):
                what = "a mapping" if isinstance(kind, dict) else "a list"
            example = f"{col}: {unit}" if isinstance(unit, str) else f"{col}: GBP/kWh"
            problems.append(Problem(("columns", col), (
                f"column {col} is declared by its unit or kind alone, as `{example}`, not "
                f"{what} ({_COLUMN_KINDS}); a note on the column goes in a # comment"
            ), "table-column"))  # fmt: skip
    broken = {str(col) for col in declared if col not in kept}
    return {**data, "columns": kept}, problems, broken


def author_table(name: str, data: Any, extra: Mapping[str, Named]) -> tuple[Table, list[Problem]]:
    """A table of the author's own from its parsed YAML (`columns` and `rows`)."""
    empty = Table(name, {})
    if not isinstance(data, dict) or "columns" not in data:
        message = (
            f"{name}.yaml is not one of the bundled tables ({', '.join(BUNDLED_MODELS)}), so "
            "it declares its columns: `columns: {price: GBP/kWh}` and then `rows:`"
        )
        return empty, [Problem((), message, "table-columns")]
    data, problems, broken = _column_shapes(data)  # broken: declared, but unusable
    try:
        spec = AuthorTable.model_validate(data)
    except ValidationError as exc:
        # Nothing of it can be used; formulas reading a column it declares are told so.
        declared = data["columns"] if isinstance(data["columns"], dict) else {}
        empty.broken_columns = frozenset(str(col) for col in declared) | broken
        return empty, problems + _validation_problems(exc, (), name)
    columns: dict[str, Column] = {}
    for col, kind in spec.columns.items():
        if col in _ROW_FIELDS:
            problems.append(
                Problem(
                    ("columns", col),
                    f"column {col!r} is a reserved row field",
                    "table-column",
                    key=True,
                )
            )
            continue
        try:
            columns.update(_columns({col: str(kind)}, extra))
        except UnitError as exc:
            problems.append(Problem(("columns", col), f"column {col}: {exc}", "unit"))
            broken.add(col)
    currency_columns = [c.name for c in columns.values() if c.kind == "currency"]
    table = Table(name, columns, currency_column=currency_columns[0] if currency_columns else None,
                  broken_columns=frozenset(broken), title=spec.title or "")  # fmt: skip
    for column in columns.values():
        if (
            column.unit is not None
            and column.unit.currency == "money"
            and (table.currency_column is None)
        ):
            problems.append(
                Problem(
                    ("columns", column.name),
                    f"column {column.name} is in `money` but the table has no currency "
                    "column (add `currency: currency`, or write the code: GBP/kWh)",
                    "table-column",
                )
            )
    for row_id, raw in spec.rows.items():
        if not re.match(ROW_ID, row_id):
            problems.append(Problem(("rows", row_id), _bad_id(row_id), "table-row-id", key=True))
            continue
        if not isinstance(raw, dict):
            problems.append(
                Problem(("rows", row_id), f"{row_id}: a row maps columns to values", "table-syntax")
            )
            continue
        cite = {k: v for k, v in raw.items() if k in _ROW_FIELDS}
        row: Row | None = None
        try:
            row = Row.model_validate(cite)
        except ValidationError as exc:
            # The row cannot be used, but its cells are still checked: every problem of
            # the row at once, not one more at each fix.
            problems += _validation_problems(exc, ("rows", row_id), row_id, cite)
        values: dict[str, Decimal | Range | str | bool] = {}
        absent: dict[str, str] = {}  # a cell written wrong: not "has no power"
        for col_name, value in raw.items():
            if col_name in _ROW_FIELDS or col_name in broken:
                continue
            loc = ("rows", row_id, col_name)
            cell_column = columns.get(col_name)
            if cell_column is None:
                close = difflib.get_close_matches(col_name, list(columns), n=1)
                hint = (
                    f"; did you mean {close[0]}?" if close else f"; columns: {', '.join(columns)}"
                )
                problems.append(
                    Problem(
                        loc,
                        f"{row_id}: unknown column {col_name!r}{hint}",
                        "table-unknown-field",
                        key=True,
                    )
                )
                continue
            try:
                values[col_name] = _cell(cell_column, value)
            except ValueError as exc:
                problems.append(Problem(loc, f"{row_id}.{col_name}: {exc}", "table-invalid"))
                absent[col_name] = (f"has a {col_name} that cannot be used: its value in "
                                    f"content/data/{name}.yaml has errors")  # fmt: skip
        if row is None:
            continue
        table.rows[row_id] = TableRow(
            name,
            row_id,
            values,
            _citations(row),
            row.as_of,
            row.estimate,
            row.note,
            absent,
            _shown(values, row),
        )
    return table, problems


def _cell(column: Column, value: Any) -> Decimal | Range | str | bool:
    if column.kind == "quantity":
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError(f"must be a number in {column.unit} (or a range a..b)")
        text = repr(value) if isinstance(value, float) else str(value)
        try:
            return parse_value_text(text)
        except CalcError as exc:
            raise ValueError(exc.message) from None
    if column.kind == "bool":
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if column.kind == "currency":
        if not isinstance(value, str) or value not in CURRENCIES:
            raise ValueError("must be an ISO 4217 currency code such as GBP")
        return value
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError("must be text")
    return str(value)


def cross_check(tables: Tables) -> list[tuple[str, str, str, str]]:
    """(table, row id, column, message) for every reference to a row that does not exist."""
    found = []
    for table in tables.tables.values():
        for col in table.columns.values():
            if col.kind != "ref" or col.ref is None:
                continue
            target = tables.tables.get(col.ref)
            for row in table.rows.values():
                ref = row.values.get(col.name)
                if ref is not None and (target is None or ref not in target.rows):
                    found.append(
                        (
                            table.name,
                            row.id,
                            col.name,
                            f"{row.id}.{col.name}: no row {ref!r} in {col.ref}.yaml",
                        )
                    )
    return found


Loader = Callable[[str, Any, Mapping[str, Named]], tuple[Table, list[Problem]]]


def loader_for(name: str) -> Loader:
    """How to read the table called `name`: a bundled schema or an author's declaration."""
    return bundled_table if name in BUNDLED_MODELS else author_table
