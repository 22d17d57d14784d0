"""Cited input tables: rows of figures, each row with its sources, dates and confidence.

Any `content/data/<table>.yaml` is a table. An author's table declares its columns and
their units (`columns: {price: GBP/kWh}`) and lists `rows`; the six bundled tables
(`api_prices`, `hardware`, `gpu_prices`, `throughput`, `fx`, `running_costs`) keep their
row-per-key shape and have their columns declared here. Either way a formula sees a row
as named, typed values. Reading files and locating errors is the caller's job (the core
does no I/O): `build_table` returns problems with a path inside the YAML document.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from citeguide.costcore.quantities import CalcError, Range, parse_value_text
from citeguide.costcore.units import CURRENCIES, Named, Unit, UnitError, parse_unit
from citeguide.untrusted import url_problem

ROW_ID = r"^[a-z0-9][a-z0-9.\-]*$"
TABLE_NAME = r"^[a-z][a-z0-9_]*$"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
Confidence = Literal["high", "medium", "low"]
_RANK = {"low": 0, "medium": 1, "high": 2}


def _iso_date(value: Any) -> Any:
    """Accept only `YYYY-MM-DD` strings (or dates): no timestamps, no other layouts."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a calendar date") from None


def _http_url(value: str) -> str:
    problem = url_problem(value)
    if problem is not None and problem.kind == "scheme":
        raise ValueError("must be an absolute http(s) URL")
    if problem is not None:  # it becomes a link on the page and in both twins
        raise ValueError(f"the URL {problem.message}; {problem.hint}")
    return value


def _decimal(value: Any) -> Any:
    # YAML floats such as 0.1 become binary floats; go through their shortest repr.
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, bool):
        raise ValueError("must be a number")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
"""A date written YYYY-MM-DD, as in cite markers, front matter and table rows."""
HttpUrl = Annotated[str, AfterValidator(_http_url)]


def _iso_currency(value: str) -> str:
    if value not in CURRENCIES:
        raise ValueError(f"{value} is not an ISO 4217 currency code (such as USD, EUR, GBP)")
    return value


Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$"), AfterValidator(_iso_currency)]
Amount = Annotated[Decimal, BeforeValidator(_decimal), Field(ge=0, allow_inf_nan=False)]
Positive = Annotated[Decimal, BeforeValidator(_decimal), Field(gt=0, allow_inf_nan=False)]


class SourceRef(BaseModel):
    """One source of a row: where its figures were published, and when it was read."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)

    url: HttpUrl
    """URL of the page (a `#:~:text=` fragment quotes the figure on it)."""
    date: IsoDate
    """Day the source was read (YYYY-MM-DD)."""
    confidence: Confidence
    """How far the figures can be trusted from this source."""


class Row(BaseModel):
    """Fields every row has: its sources (one, or several under `sources`), and notes."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)

    source: HttpUrl | None = None
    """URL where the figures were published (or list several under `sources`)."""
    date: IsoDate | None = None
    """Day the source was read (YYYY-MM-DD)."""
    confidence: Confidence | None = None
    """How far the figures can be trusted."""
    sources: list[SourceRef] | None = None
    """Several sources for the row, each with its own date and confidence."""
    as_of: IsoDate | None = None
    """The period the figures describe, when it differs from the day they were read."""
    note: str | None = None
    """Caveats: what the figure includes, how it was derived."""
    estimate: bool = False
    """The figure is the author's estimate from what the source states (explained in
    `note`), not a figure the source states; its confidence is the estimate's own."""

    @model_validator(mode="after")
    def _cited_once(self) -> Row:
        single = (self.source, self.date, self.confidence)
        if self.sources is not None:
            if any(v is not None for v in single):
                raise ValueError("give either source/date/confidence or sources, not both")
            if not self.sources:
                raise ValueError("sources needs at least one {url, date, confidence}")
        elif any(v is None for v in single):
            missing = [n for n, v in zip(("source", "date", "confidence"), single, strict=True)
                       if v is None]  # fmt: skip
            raise ValueError(f"missing {', '.join(missing)} (or a list of sources)")
        if self.estimate and not self.note:
            raise ValueError("an estimate needs a note explaining how it was derived")
        if self.estimate and any(c.confidence == "high" for c in self.citations):
            raise ValueError("an estimate is low or medium confidence, never high")
        return self

    @property
    def citations(self) -> tuple[SourceRef, ...]:
        if self.sources is not None:
            return tuple(self.sources)
        assert self.source is not None
        assert self.date is not None
        assert self.confidence is not None
        return (SourceRef(url=self.source, date=self.date, confidence=self.confidence),)


class ApiPrice(Row):
    """Prices of one hosted model, per 1M tokens."""

    name: str
    """Display name of the model."""
    provider: str
    """Company selling the API."""
    currency: Currency = "USD"
    """Currency of the prices."""
    input: Amount
    """Price per 1M input tokens."""
    output: Amount
    """Price per 1M output tokens."""
    cache_read: Amount | None = None
    """Price per 1M input tokens read from the prompt cache."""
    cache_write: Amount | None = None
    """Price per 1M input tokens written to the prompt cache."""
    batch_multiplier: Annotated[Decimal, BeforeValidator(_decimal), Field(gt=0, le=1)] | None = None
    """Factor applied to every price by the provider's batch API (0.5 = half price)."""


class Hardware(Row):
    """One GPU model, from its datasheet."""

    name: str
    """Display name."""
    memory_gb: Positive
    """GPU memory in GB."""
    board_power_kw: Positive
    """Maximum board power in kW."""


class GpuPrice(Row):
    """What one GPU of a hardware row costs to buy or to rent."""

    hardware: Annotated[str, Field(pattern=ROW_ID)]
    """Id of the row in hardware.yaml."""
    kind: Literal["purchase", "rental"]
    """`purchase`: price per GPU; `rental`: price per GPU-hour."""
    price: Positive
    """Price per GPU (purchase) or per GPU-hour (rental)."""
    currency: Currency = "USD"
    """Currency of the price."""


class Throughput(Row):
    """Measured serving throughput of one model on one hardware setup."""

    model: str
    """Model served, as the benchmark names it."""
    hardware: Annotated[str, Field(pattern=ROW_ID)]
    """Id of the row in hardware.yaml."""
    gpus: Annotated[int, Field(ge=1)] = 1
    """GPUs in the measured setup; per-GPU throughput is the total divided by this."""
    precision: str
    """Weight precision (FP8, FP16, ...)."""
    setup: str
    """Workload and concurrency of the measurement."""
    tokens_per_second: Positive
    """Output tokens per second of the whole setup (generated tokens, not prompt tokens)."""
    params: Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+)?[kMB]?$")] | None = None
    """The model's parameter count (`70B`); with `bits`, the memory fit is checked."""
    bits: Annotated[Decimal, BeforeValidator(_decimal), Field(ge=1, le=64)] | None = None
    """Bits per weight of `precision` (FP8: 8)."""
    input_tokens: Positive | None = None
    """Input (prompt) tokens per request in the benchmark."""
    output_tokens: Positive | None = None
    """Output tokens per request in the benchmark."""


class FxRate(Row):
    """One currency rate: 1 `base` buys `rate` `quote`."""

    base: Currency
    """Currency being priced (GBP in GBP/USD)."""
    quote: Currency
    """Currency the rate is expressed in (USD in GBP/USD)."""
    rate: Positive
    """Units of `quote` per one unit of `base`."""


class RunningCost(Row):
    """A running-cost figure: data-centre PUE or an electricity price."""

    kind: Literal["pue", "electricity"]
    """`pue`: power usage effectiveness (≥ 1); `electricity`: price per kWh."""
    value: Positive
    """The figure."""
    currency: Currency | None = None
    """Currency of an electricity price."""


BUNDLED_MODELS: dict[str, type[Row]] = {
    "api_prices": ApiPrice,
    "hardware": Hardware,
    "gpu_prices": GpuPrice,
    "throughput": Throughput,
    "fx": FxRate,
    "running_costs": RunningCost,
}
"""File stem in `content/data/` → the model of its rows (the six bundled tables)."""


@dataclass(frozen=True)
class Column:
    """One column of a table: a quantity in `unit`, or text, a currency, a row of `ref`."""

    name: str
    kind: Literal["quantity", "text", "currency", "ref", "bool"]
    unit: Unit | None = None
    ref: str | None = None
    label: str = ""


@dataclass(frozen=True)
class Citation:
    url: str
    date: date
    confidence: Confidence


@dataclass(frozen=True)
class TableRow:
    """One row: its values (quantities in their column's unit), and where they came from."""

    table: str
    id: str
    values: Mapping[str, Decimal | Range | str | bool]
    citations: tuple[Citation, ...]
    as_of: date | None = None
    estimate: bool = False
    note: str | None = None
    absent: Mapping[str, str] = field(default_factory=dict)
    """Columns this row does not have, and why (`a purchase price, not a rental price`)."""
    shown: tuple[tuple[str, str | int | float | bool], ...] = ()
    """The row's own figures and labels as its file states them, for readers and agents."""

    @property
    def date(self) -> date:
        """The day of its newest source reading."""
        return max(c.date for c in self.citations)

    @property
    def confidence(self) -> Confidence:
        """Its weakest source's confidence."""
        return min((c.confidence for c in self.citations), key=_RANK.__getitem__)

    @property
    def url(self) -> str:
        return self.citations[0].url


@dataclass
class Table:
    name: str
    columns: dict[str, Column]
    rows: dict[str, TableRow] = field(default_factory=dict)
    currency_column: str | None = None
    """The column naming each row's currency, for columns whose unit says `money`."""
    bundled: bool = False

    def describe(self) -> str:
        return ", ".join(
            f"{c.name} ({c.unit})" if c.unit is not None else f"{c.name} ({c.kind})"
            for c in self.columns.values()
        )


@dataclass(frozen=True)
class FxUse:
    """A currency conversion made by a calculation."""

    id: str
    base: str
    quote: str
    rate: Decimal
    date: date


@dataclass
class Tables:
    """All input tables of a site, validated and cross-checked."""

    tables: dict[str, Table] = field(default_factory=dict)
    origins: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    """(table, row id) → (file, 1-based line) where the row is defined."""

    def get(self, name: str) -> Table | None:
        return self.tables.get(name)

    def rows(self) -> list[TableRow]:
        return [row for table in self.tables.values() for row in table.rows.values()]

    def fx_rate(self, base: str, quote: str) -> tuple[FxUse, Decimal]:
        """The factor turning an amount in `base` into `quote`, and the row it came from."""
        fx = self.tables.get("fx")
        for row_id, row in sorted(fx.rows.items()) if fx else []:
            b, q, rate = row.values["base"], row.values["quote"], row.values["rate"]
            assert isinstance(rate, Decimal)
            if (b, q) == (base, quote):
                return FxUse(row_id, base, quote, rate, row.date), rate
            if (b, q) == (quote, base):
                return FxUse(row_id, str(b), str(q), rate, row.date), 1 / rate
        raise CalcError(f"no exchange rate between {base} and {quote} in fx.yaml", "currency")

    def currencies(self) -> set[str]:
        found: set[str] = set()
        fx = self.tables.get("fx")
        for row in fx.rows.values() if fx else []:
            found |= {str(row.values["base"]), str(row.values["quote"])}
        return found


# ---------------------------------------------------------------- the bundled tables

_M = "money"
BUNDLED_COLUMNS: dict[str, dict[str, str]] = {
    "api_prices": {
        "name": "text", "provider": "text", "currency": "currency",
        "input": f"{_M}/1M input_token", "output": f"{_M}/1M output_token",
        "cache_read": f"{_M}/1M input_token", "cache_write": f"{_M}/1M input_token",
        "batch_multiplier": "1",
    },
    "hardware": {"name": "text", "memory_gb": "GB/GPU", "board_power_kw": "kW/GPU"},
    "gpu_prices": {
        "hardware": "ref:hardware", "kind": "text", "currency": "currency",
        "rental": f"{_M}/GPU/h", "purchase": f"{_M}/GPU",
    },
    "throughput": {
        "model": "text", "hardware": "ref:hardware", "gpus": "GPU", "precision": "text",
        "setup": "text", "tokens_per_second": "output_token/s",
        "per_gpu": "output_token/s/GPU", "params": "parameter", "bits": "bit/parameter",
        "input_tokens": "input_token/request", "output_tokens": "output_token/request",
    },
    "fx": {"base": "currency", "quote": "currency", "rate": "1"},
    "running_costs": {
        "kind": "text", "currency": "currency", "pue": "1", "price": f"{_M}/kWh",
    },
}  # fmt: skip
"""The columns formulas see in the bundled tables. Some are derived from the row: a
gpu_prices row has `rental` or `purchase` by its kind, a throughput row `per_gpu`."""


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


Problem = tuple[tuple[str | int, ...], str, str, bool]
"""(path in the YAML document, message, rule id, whether the path's key is meant)."""


def _citations(row: Row) -> tuple[Citation, ...]:
    return tuple(Citation(c.url, c.date, c.confidence) for c in row.citations)


_BLAME = {"give either": ("sources",), "sources needs": ("sources",),
          "an estimate needs": ("estimate",),
          "an estimate is": ("confidence", "sources")}  # fmt: skip
"""The field a row's own check blames, by its message (else the row's id)."""


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
            problems.append((at, f"{row_id}: {message}", "table-invalid", True))
            continue
        if err["type"] == "extra_forbidden":
            problems.append((loc, f"{row_id}: unknown field {name!r}", "table-unknown-field", True))
        elif err["type"] == "missing":
            problems.append((prefix, f"{row_id}: missing field {name!r}", "table-missing-field",
                             True))  # fmt: skip
        else:
            message = err["msg"].removeprefix("Value error, ")
            where = f"{row_id}.{name}" if name else row_id
            problems.append((loc, f"{where}: {message}", "table-invalid", False))
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
        return table, [((), "a table maps row ids to rows", "table-syntax", False)]
    for row_id, raw in data.items():
        if not isinstance(row_id, str) or not re.match(ROW_ID, row_id):
            problems.append(((str(row_id),), _bad_id(row_id), "table-row-id", True))
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


class AuthorTable(BaseModel):
    """A table of the author's own: declared columns, then rows."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    title: str | None = None
    """What the table holds, in plain words."""
    columns: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], str]
    """Column name → its unit (`GBP/kWh`, `kWh/year`, `1`) or `text`, `currency`, `bool`,
    `ref:<table>` (a row id of another table)."""
    rows: dict[str, dict[str, Any]]
    """Row id → its values, with `source` + `date` + `confidence` (or `sources`)."""


_ROW_FIELDS = set(Row.model_fields)


def author_table(name: str, data: Any, extra: Mapping[str, Named]) -> tuple[Table, list[Problem]]:
    """A table of the author's own from its parsed YAML (`columns` and `rows`)."""
    problems: list[Problem] = []
    empty = Table(name, {})
    if not isinstance(data, dict) or "columns" not in data:
        return empty, [((), (f"{name}.yaml is not one of the bundled tables ("
                             f"{', '.join(BUNDLED_MODELS)}), so it declares its columns: "
                             "`columns: {price: GBP/kWh}` and then `rows:`"),
                        "table-columns", False)]  # fmt: skip
    try:
        spec = AuthorTable.model_validate(data)
    except ValidationError as exc:
        return empty, _validation_problems(exc, (), name)
    columns: dict[str, Column] = {}
    broken: set[str] = set()  # declared, but unusable: its cells are not checked again
    for col, kind in spec.columns.items():
        if col in _ROW_FIELDS:
            problems.append((("columns", col), f"column {col!r} is a reserved row field",
                             "table-column", True))  # fmt: skip
            continue
        try:
            columns.update(_columns({col: str(kind)}, extra))
        except UnitError as exc:
            problems.append((("columns", col), f"column {col}: {exc}", "unit", False))
            broken.add(col)
    currency_columns = [c.name for c in columns.values() if c.kind == "currency"]
    table = Table(name, columns, currency_column=currency_columns[0] if currency_columns else None)
    for column in columns.values():
        if (
            column.unit is not None
            and column.unit.currency == "money"
            and (table.currency_column is None)
        ):
            problems.append((("columns", column.name),
                             f"column {column.name} is in `money` but the table has no currency "
                             "column (add `currency: currency`, or write the code: GBP/kWh)",
                             "table-column", False))  # fmt: skip
    for row_id, raw in spec.rows.items():
        if not re.match(ROW_ID, row_id):
            problems.append((("rows", row_id), _bad_id(row_id), "table-row-id", True))
            continue
        if not isinstance(raw, dict):
            problems.append((("rows", row_id), f"{row_id}: a row maps columns to values",
                             "table-syntax", False))  # fmt: skip
            continue
        cite = {k: v for k, v in raw.items() if k in _ROW_FIELDS}
        try:
            row = Row.model_validate(cite)
        except ValidationError as exc:
            problems += _validation_problems(exc, ("rows", row_id), row_id, cite)
            continue
        values: dict[str, Decimal | Range | str | bool] = {}
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
                problems.append((loc, f"{row_id}: unknown column {col_name!r}{hint}",
                                 "table-unknown-field", True))  # fmt: skip
                continue
            try:
                values[col_name] = _cell(cell_column, value)
            except ValueError as exc:
                problems.append((loc, f"{row_id}.{col_name}: {exc}", "table-invalid", False))
        table.rows[row_id] = TableRow(
            name,
            row_id,
            values,
            _citations(row),
            row.as_of,
            row.estimate,
            row.note,
            {},
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


def table_schema(name: str) -> dict[str, Any]:
    """JSON Schema of one bundled table file: row ids mapped to rows of the table's model."""
    model = BUNDLED_MODELS[name]
    schema = TypeAdapter(dict[str, model]).json_schema()  # type: ignore[valid-type]
    schema["propertyNames"] = {"pattern": ROW_ID}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"citeguide {name} table (content/data/{name}.yaml)",
        "description": (model.__doc__ or "").strip(),
        **schema,
    }


Loader = Callable[[str, Any, Mapping[str, Named]], tuple[Table, list[Problem]]]


def loader_for(name: str) -> Loader:
    """How to read the table called `name`: a bundled schema or an author's declaration."""
    return bundled_table if name in BUNDLED_MODELS else author_table
