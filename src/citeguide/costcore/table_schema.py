"""What a table file may hold: the cited row every table shares, the six bundled tables'
row models and the columns formulas see in them, an author's own table, their JSON Schema.

Any `content/data/<table>.yaml` is a table. An author's table declares its columns and
their units (`columns: {price: GBP/kWh}`) and lists `rows`; the six bundled tables
(`api_prices`, `hardware`, `gpu_prices`, `throughput`, `fx`, `running_costs`) keep their
row-per-key shape and have their columns declared here. `table_loading.py` turns either
into the `Table` of `table_data.py`.
"""

from __future__ import annotations

import re
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

from citeguide.costcore.units import CURRENCIES
from citeguide.docstrings import DocumentedSchema
from citeguide.untrusted import url_problem

ROW_ID = r"^[a-z0-9][a-z0-9.\-]*$"


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
Confidence = Literal["high", "medium", "low"]


def iso_date(value: Any) -> Any:
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


IsoDate = Annotated[date, BeforeValidator(iso_date)]
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

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: HttpUrl
    """URL of the page (a `#:~:text=` fragment quotes the figure on it)."""
    date: IsoDate
    """Day the source was read (YYYY-MM-DD)."""
    confidence: Confidence
    """How far the figures can be trusted from this source."""


class Row(BaseModel):
    """Fields every row has: its sources (one, or several under `sources`), and notes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

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


class AuthorTable(BaseModel):
    """A table of the author's own: declared columns, then rows."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    """What the table holds, in plain words."""
    columns: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], str]
    """Column name → its unit (`GBP/kWh`, `kWh/year`, `1`) or `text`, `currency`, `bool`,
    `ref:<table>` (a row id of another table)."""
    rows: dict[str, dict[str, Any]]
    """Row id → its values, with `source` + `date` + `confidence` (or `sources`)."""


def table_schema(name: str) -> dict[str, Any]:
    """JSON Schema of one bundled table file: row ids mapped to rows of the table's model."""
    model = BUNDLED_MODELS[name]
    schema = TypeAdapter(dict[str, model]).json_schema(  # type: ignore[valid-type]
        schema_generator=DocumentedSchema
    )
    schema["propertyNames"] = {"pattern": ROW_ID}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"citeguide {name} table (content/data/{name}.yaml)",
        "description": (model.__doc__ or "").strip(),
        **schema,
    }
