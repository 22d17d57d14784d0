"""Cited input tables: every row carries its source URL, date and confidence.

The models validate rows; reading YAML files and locating errors in them is the caller's
job (the core does no I/O). Each table maps a row id (`claude-haiku-4.5`) to a row.
"""

from __future__ import annotations

import re
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
    model_validator,
)

from citeguide.costcore.quantities import CalcError
from citeguide.untrusted import url_problem

ROW_ID = r"^[a-z0-9][a-z0-9.\-]*$"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Amount = Annotated[Decimal, BeforeValidator(_decimal), Field(ge=0, allow_inf_nan=False)]
Positive = Annotated[Decimal, BeforeValidator(_decimal), Field(gt=0, allow_inf_nan=False)]


class Row(BaseModel):
    """Fields every row has: the same three facts as a cite marker, and a note."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)

    source: Annotated[str, AfterValidator(_http_url)]
    """URL where the figures were published."""
    date: IsoDate
    """Day the figures were seen or refer to (YYYY-MM-DD)."""
    confidence: Literal["high", "medium", "low"]
    """How far the figures can be trusted."""
    note: str | None = None
    """Caveats: what the figure includes, how it was derived."""
    estimate: bool = False
    """The figure is the author's estimate from what the source states (explained in
    `note`), not a figure the source states; its confidence is the estimate's own."""

    @model_validator(mode="after")
    def _estimates_explain_themselves(self) -> Row:
        if self.estimate and not self.note:
            raise ValueError("an estimate needs a note explaining how it was derived")
        if self.estimate and self.confidence == "high":
            raise ValueError("an estimate is low or medium confidence, never high")
        return self


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
    """Output tokens per second of the whole setup."""


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


TABLE_MODELS: dict[str, type[Row]] = {
    "api_prices": ApiPrice,
    "hardware": Hardware,
    "gpu_prices": GpuPrice,
    "throughput": Throughput,
    "fx": FxRate,
    "running_costs": RunningCost,
}
"""File stem in `content/data/` → the model of its rows."""


def table_schema(name: str) -> dict[str, Any]:
    """JSON Schema of one table file: row ids mapped to rows of the table's model."""
    model = TABLE_MODELS[name]
    schema = TypeAdapter(dict[str, model]).json_schema()  # type: ignore[valid-type]
    schema["propertyNames"] = {"pattern": ROW_ID}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"citeguide {name} table (content/data/{name}.yaml)",
        "description": (model.__doc__ or "").strip(),
        **schema,
    }


def _plain_value(value: object) -> str | int | float | bool:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


@dataclass(frozen=True)
class Fact:
    """A table row used by a calculation: where its figures came from."""

    table: str
    id: str
    url: str
    date: date
    confidence: Literal["high", "medium", "low"]
    values: tuple[tuple[str, str | int | float | bool], ...] = ()
    """The row's own figures and labels (`("price", 2.49)`, `("note", ...)`)."""


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

    api_prices: dict[str, ApiPrice] = field(default_factory=dict)
    hardware: dict[str, Hardware] = field(default_factory=dict)
    gpu_prices: dict[str, GpuPrice] = field(default_factory=dict)
    throughput: dict[str, Throughput] = field(default_factory=dict)
    fx: dict[str, FxRate] = field(default_factory=dict)
    running_costs: dict[str, RunningCost] = field(default_factory=dict)
    origins: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    """(table, row id) → (file, 1-based line) where the row is defined."""
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    """Results computed from these tables (a calculation is a pure function of them and
    of its parameters), shared by every guide that uses the same marker."""

    def table(self, name: str) -> dict[str, Any]:
        table: dict[str, Any] = getattr(self, name)
        return table

    def fact(self, table: str, row_id: str) -> Fact:
        row: Row = self.table(table)[row_id]
        values = tuple(
            (name, _plain_value(value))
            for name, value in row.model_dump(exclude={"source", "date", "confidence"}).items()
            if value is not None and not (name == "estimate" and value is False)
        )
        return Fact(table, row_id, row.source, row.date, row.confidence, values)

    def references(self) -> list[tuple[str, str, str, str]]:
        """(table, row id, field, referenced hardware id) for every cross-table link."""
        refs = [("gpu_prices", i, "hardware", r.hardware) for i, r in self.gpu_prices.items()]
        refs += [("throughput", i, "hardware", r.hardware) for i, r in self.throughput.items()]
        return refs

    def gpu_price(self, ref: str, kind: str, param: str) -> tuple[str, GpuPrice]:
        """A gpu_prices row by its own id, or the only row of `kind` for a hardware id."""
        if ref in self.gpu_prices:
            row = self.gpu_prices[ref]
            if row.kind != kind:
                raise CalcError(f"{param}={ref} is a {row.kind} price, not a {kind} price", param)
            return ref, row
        if ref in self.hardware:
            matches = [
                (i, r) for i, r in self.gpu_prices.items() if r.hardware == ref and r.kind == kind
            ]
            if len(matches) == 1:
                return matches[0]
            if not matches:
                raise CalcError(f"no {kind} price for hardware {ref} in gpu_prices.yaml", param)
            ids = ", ".join(i for i, _ in matches)
            raise CalcError(f"several {kind} prices for {ref}; name one of: {ids}", param)
        raise CalcError(f"{param}={ref}: no such row in gpu_prices.yaml or hardware.yaml", param)

    def fx_rate(self, base: str, quote: str) -> tuple[FxUse, Decimal]:
        """The factor turning an amount in `base` into `quote`, and the row it came from."""
        for row_id, row in sorted(self.fx.items()):
            if (row.base, row.quote) == (base, quote):
                return FxUse(row_id, base, quote, row.rate, row.date), row.rate
            if (row.base, row.quote) == (quote, base):
                return FxUse(row_id, row.base, row.quote, row.rate, row.date), 1 / row.rate
        raise CalcError(f"no exchange rate between {base} and {quote} in fx.yaml", "currency")

    def currencies(self) -> set[str]:
        found = {"USD"}
        for row in self.fx.values():
            found |= {row.base, row.quote}
        return found
