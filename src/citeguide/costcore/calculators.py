"""The calculators of ARCHITECTURE 1.6 and the registry that names them.

Each calculator is a pure function of its parameters and the tables. A `Context` records
every table row and exchange rate a calculation touches, so its result can list its
sources. Explicit API prices are USD per 1M tokens, as providers publish them; every
other explicit amount is in the calculation's `currency`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, DecimalException
from typing import Any

from citeguide.costcore import format as fmt
from citeguide.costcore.params import Param, Value, parse_value
from citeguide.costcore.quantities import (
    GIGA,
    HOURS_PER_MONTH,
    MILLION,
    SECONDS_PER_HOUR,
    CalcError,
    plain,
)
from citeguide.costcore.tables import Fact, FxUse, Tables


@dataclass
class Result:
    """A computed value with everything needed to show, check and cite it."""

    calculator: str
    inputs: dict[str, Any]
    value: Decimal
    unit: str
    display: str
    formula: str
    sources: list[Fact]
    fx: list[FxUse]
    extra: dict[str, Any] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)
    """The arithmetic as done, with units: what a reader checks by hand."""
    derived: dict[str, Any] = field(default_factory=dict)
    """Intermediate values (a blended price, a row's value per GPU) in the result's
    currency, for programs; readers get them, with units, in `steps`."""

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `citeguide calc --json`."""
        return {
            "calculator": self.calculator,
            "inputs": self.inputs,
            "derived": self.derived,
            "value": plain(self.value),
            "unit": self.unit,
            "display": self.display,
            "formula": self.formula,
            "steps": self.steps,
            "sources": sorted({f.url for f in self.sources}),
            "facts": [
                {
                    "table": f.table,
                    "id": f.id,
                    "url": f.url,
                    "date": f.date.isoformat(),
                    "confidence": f.confidence,
                }
                for f in self.sources
            ],
            "fx": [
                {
                    "id": x.id,
                    "base": x.base,
                    "quote": x.quote,
                    "rate": plain(x.rate),
                    "date": x.date.isoformat(),
                }
                for x in self.fx
            ],
            **self.extra,
        }


class _Reads(dict[str, Value]):
    """The calculator's parameters, remembering which ones the branch taken read."""

    def __init__(self, values: dict[str, Value]) -> None:
        super().__init__(values)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Value:
        self.read.add(key)
        return super().__getitem__(key)


class Context:
    """What one evaluation has resolved so far: values, rows used, conversions made."""

    def __init__(self, tables: Tables, values: dict[str, Value], given: set[str]) -> None:
        self.tables, self.given = tables, given
        self.values = _Reads(values)
        self.currency = str(values.get("currency", "USD"))
        self.resolved: dict[str, Any] = {}
        self.facts: dict[tuple[str, str], Fact] = {}
        self.fx: dict[str, FxUse] = {}
        self.steps: list[str] = []
        """The arithmetic as done, one operation per line, with units."""
        self.unused: set[str] = set()
        """Parameters (with defaults) that the branch taken did not use."""
        self.locale = "en"

    def step(self, text: str) -> None:
        self.steps.append(text)

    def money(self, amount: Decimal, currency: str | None = None) -> str:
        return fmt.exact_money(amount, currency or self.currency, self.locale)

    def num(self, value: Decimal) -> str:
        return fmt.number(value, self.locale)

    def has(self, name: str) -> bool:
        return name in self.values

    def number(self, name: str) -> Decimal:
        value = self.values[name]
        assert isinstance(value, Decimal)
        return value

    def is_ref(self, name: str) -> bool:
        return isinstance(self.values.get(name), str) and name != "currency"

    def use(self, table: str, row_id: str) -> Any:
        self.facts.setdefault((table, row_id), self.tables.fact(table, row_id))
        return self.tables.table(table)[row_id]

    def convert(self, amount: Decimal, currency: str) -> Decimal:
        """`amount` in `currency` expressed in the calculation's currency."""
        if currency == self.currency:
            return amount
        use, factor = self.tables.fx_rate(currency, self.currency)
        self.fx.setdefault(use.id, use)
        self.use("fx", use.id)
        converted = amount * factor
        self.step(
            f"{self.money(amount, currency)} × {fmt.number(factor, self.locale)} "
            f"{self.currency}/{currency} ({use.id}, {use.date}) = {self.money(converted)}"
        )
        return converted

    def require(self, name: str, why: str) -> None:
        if name not in self.values:
            raise CalcError(f"missing {name}=...: {why}", name)

    def forbid(self, names: list[str], why: str) -> None:
        for name in names:
            if name in self.given:
                raise CalcError(f"{name} does not apply here: {why}", name)


# ---------------------------------------------------------------- shared pieces

CURRENCY = Param("currency", "currency", "ISO code of the result; converted through fx.yaml", "USD")
API_SIDE = [
    Param("input_share", "share", "share of tokens that are input (prompt) tokens", "0.75"),
    Param("model", "model", "row id in api_prices.yaml (instead of explicit prices)"),
    Param("input_price", "api_price", "USD per 1M input tokens (instead of model)"),
    Param("output_price", "api_price", "USD per 1M output tokens (instead of model)"),
    Param("cached_share", "share", "share of input tokens served from the prompt cache", "0"),
    Param("batch", "bool", "use the provider's batch API prices", "false"),
    Param(
        "batch_multiplier",
        "share",
        "batch price as a share of the normal price (default: the model row's; required "
        "with explicit prices and batch=true)",
    ),
]
SELFHOST_SIDE = [
    Param("gpu_hourly", "gpu_hourly", "rent: price per GPU-hour, or a gpu_prices/hardware id"),
    Param("gpus", "positive", "number of GPUs", "1"),
    Param("hardware", "hardware", "own: hardware id (purchase price and board power per GPU)"),
    Param("capex", "capex", "own: purchase price of the whole machine, or a gpu_prices id"),
    Param("depreciation_months", "months", "own: months over which capex is written off", "36"),
    Param("power_kw", "number", "own: power draw of the whole machine in kW"),
    Param("pue", "pue", "own: power usage effectiveness (≥ 1), or a running_costs id", "1.0"),
    Param("electricity_per_kwh", "electricity", "own: price per kWh, or a running_costs id"),
    Param("ops_monthly", "money", "operations cost per month (people, hosting)", "0"),
    Param("hours", "hours", "hours a month the machine runs", "730"),
]
THROUGHPUT = Param(
    "tokens_per_second", "throughput", "output tokens per second per GPU, or a throughput id"
)
UTILISATION = Param("utilisation", "share", "share of the month the GPUs are busy", "1.0")


MODEL_SIZE = [
    Param("params", "positive", "optional: the model's parameter count (70B), to check it fits"),
    Param("bits", "bits", "bits per parameter (16, 8, 4, ...)"),
    Param("overhead", "number", "share added for KV cache and runtime (default 0.2, cited)"),
]


def blended(ctx: Context) -> Decimal:
    """Price per 1M tokens at the given input share, cache share and batch flag."""
    share_in, cached = ctx.number("input_share"), ctx.number("cached_share")
    batch = bool(ctx.values["batch"])
    if ctx.has("model"):
        ctx.forbid(["input_price", "output_price"], "model= already sets the prices")
        model_id = str(ctx.values["model"])
        row = ctx.use("api_prices", model_id)
        currency, price_in, price_out = row.currency, row.input, row.output
        cache_read, multiplier = row.cache_read, row.batch_multiplier
        if cached and cache_read is None:
            raise CalcError(
                f"{model_id} has no cache-read price in api_prices.yaml", "cached_share"
            )
        if batch and multiplier is None:
            raise CalcError(f"{model_id} has no batch price in api_prices.yaml", "batch")
    else:
        ctx.require("input_price", "give model=... or input_price=... and output_price=...")
        ctx.require("output_price", "give model=... or input_price=... and output_price=...")
        currency, price_in, price_out = "USD", ctx.number("input_price"), ctx.number("output_price")
        cache_read, multiplier = None, None
        if cached:
            raise CalcError(
                "cached_share needs model=... (explicit prices have no cache price)", "cached_share"
            )
        if batch:
            ctx.require(
                "batch_multiplier",
                "explicit prices with batch=true need the provider's batch discount, "
                "such as batch_multiplier=0.5",
            )
    if ctx.has("batch_multiplier"):
        if not batch:
            raise CalcError("batch_multiplier applies only with batch=true", "batch_multiplier")
        multiplier = ctx.number("batch_multiplier")
    per_million = share_in * ((1 - cached) * price_in + cached * (cache_read or 0))
    per_million += (1 - share_in) * price_out
    n = ctx.num

    def m(value: Decimal) -> str:
        return ctx.money(value, currency)

    if cached:
        ctx.step(
            f"{n(share_in)} × ({n(1 - cached)} × {m(price_in)} + {n(cached)} × "
            f"{m(cache_read or Decimal(0))} cached) + {n(1 - share_in)} × {m(price_out)} = "
            f"{m(per_million)} per 1M tokens"
        )
    else:
        ctx.step(
            f"{n(share_in)} input × {m(price_in)} + {n(1 - share_in)} output × {m(price_out)} "
            f"= {m(per_million)} per 1M tokens"
        )
    if batch and multiplier is not None:
        before = per_million
        per_million *= multiplier
        ctx.step(f"{m(before)} × {n(multiplier)} batch = {m(per_million)} per 1M tokens")
    ctx.resolved.update({"input_price": plain(price_in), "output_price": plain(price_out)})
    if cached:
        ctx.resolved["cache_read_price"] = plain(cache_read or Decimal(0))
    if batch:
        ctx.resolved["batch_multiplier"] = plain(multiplier or Decimal(1))
    return ctx.convert(per_million, currency)


def per_gpu_throughput(ctx: Context) -> Decimal:
    if ctx.is_ref("tokens_per_second"):
        row_id = str(ctx.values["tokens_per_second"])
        row = ctx.use("throughput", row_id)
        gpus = ctx.number("gpus") if ctx.has("gpus") else Decimal(1)
        if gpus < row.gpus or gpus % row.gpus:
            # A figure measured on n GPUs says nothing about fewer: the model may not even
            # fit. More GPUs serve it only as whole copies of the measured setup.
            raise CalcError(
                f"throughput row {row_id} was measured on {row.gpus} GPUs; gpus={plain(gpus)} "
                f"cannot run that setup (use gpus={row.gpus} or a multiple of it)",
                "gpus",
            )
        per_gpu: Decimal = row.tokens_per_second / row.gpus
        ctx.resolved["tokens_per_second_per_gpu"] = plain(per_gpu)
        return per_gpu
    return ctx.number("tokens_per_second")


def monthly_capacity(ctx: Context) -> Decimal:
    """Tokens a month: per-GPU tokens/s × 3,600 × hours × utilisation × GPUs."""
    per_gpu, hours = per_gpu_throughput(ctx), ctx.number("hours")
    utilisation, gpus = ctx.number("utilisation"), ctx.number("gpus")
    tokens = per_gpu * SECONDS_PER_HOUR * hours * utilisation * gpus
    ctx.step(
        f"{ctx.num(per_gpu)} tokens/s per GPU × 3,600 s/h × {ctx.num(hours)} h × "
        f"{ctx.num(utilisation)} utilisation × {ctx.num(gpus)} GPU = {fmt.tokens(tokens)}"
    )
    return tokens


OVERHEAD_DEFAULT = Decimal("0.2")
OVERHEAD_FACT = Fact(
    table="calculators",
    id="model-memory-overhead",
    url="https://bentoml.com/llm/getting-started/calculating-gpu-memory-for-llms",
    date=date(2026, 11, 27),
    confidence="medium",
    values=(("overhead", 0.2),),
)
"""The default overhead: BentoML's LLM inference handbook estimates serving memory as
parameters × bits ÷ 8 × (1 + overhead) with a 20% overhead for the KV cache, activations
and runtime; a rule of thumb, hence medium confidence."""


def model_memory_gb(ctx: Context) -> Decimal:
    """GB (10^9 bytes) to serve a model: params × bits ÷ 8 ÷ 10^9 × (1 + overhead)."""
    if ctx.has("overhead"):
        overhead = ctx.number("overhead")
    else:
        overhead = OVERHEAD_DEFAULT
        ctx.facts.setdefault((OVERHEAD_FACT.table, OVERHEAD_FACT.id), OVERHEAD_FACT)
        ctx.resolved["overhead"] = plain(overhead)
    params, bits = ctx.number("params"), ctx.number("bits")
    weights = params * bits / 8 / GIGA
    ctx.resolved["weights_gb"] = plain(weights)
    total = weights * (1 + overhead)
    ctx.step(
        f"{fmt.count(params)} parameters × {ctx.num(bits)} bits ÷ 8 ÷ 10^9 = "
        f"{fmt.gigabytes(weights)} of weights; × (1 + {ctx.num(overhead)}) = {fmt.gigabytes(total)}"
    )
    return total


def _hardware_of(ctx: Context) -> str | None:
    """The hardware row behind the self-hosting or throughput inputs, if any names one."""
    if ctx.has("hardware"):
        return str(ctx.values["hardware"])
    for name in ("gpu_hourly", "capex"):
        if ctx.is_ref(name):
            ref = str(ctx.values[name])
            if ref in ctx.tables.hardware:
                return ref
            if ref in ctx.tables.gpu_prices:
                return str(ctx.tables.gpu_prices[ref].hardware)
    if ctx.is_ref("tokens_per_second"):
        return str(ctx.tables.throughput[str(ctx.values["tokens_per_second"])].hardware)
    return None


def check_fit(ctx: Context) -> None:
    """Refuse a model (params= and bits= given) that does not fit the GPUs' memory."""
    if not ctx.has("params"):
        return
    ctx.require("bits", "the model's size in memory needs its precision, such as bits=8")
    hardware = _hardware_of(ctx)
    if hardware is None:
        raise CalcError(
            "params= needs hardware to check the fit against: name a hardware, gpu_hourly or "
            "throughput row",
            "params",
        )
    row = ctx.use("hardware", hardware)
    gpus = ctx.number("gpus") if ctx.has("gpus") else Decimal(1)
    needed = model_memory_gb(ctx)
    available = row.memory_gb * gpus
    ctx.resolved.update(
        {"memory_needed_gb": plain(needed), "memory_available_gb": plain(available)}
    )
    if needed > available:
        bits = plain(ctx.number("bits"))
        raise CalcError(
            f"the model needs about {needed.quantize(Decimal(1))} GB at {bits}-bit "
            f"but {plain(gpus)} × {hardware} hold {plain(available)} GB; it does not fit "
            "(add GPUs, or use fewer bits)",
            "params",
        )


def _money_param(ctx: Context, name: str, kind: str) -> Decimal:
    """An explicit amount (in the result currency) or the price of a gpu_prices row."""
    if not ctx.is_ref(name):
        return ctx.number(name)
    row_id, row = ctx.tables.gpu_price(str(ctx.values[name]), kind, name)
    # Only the price row is an input: the hardware row it names adds nothing to this sum.
    ctx.use("gpu_prices", row_id)
    price = ctx.convert(row.price, row.currency)
    ctx.resolved[f"{name}_per_gpu"] = plain(price)
    gpus = ctx.number("gpus") if ctx.has("gpus") else Decimal(1)
    return price * gpus


def _running_cost(ctx: Context, name: str, kind: str) -> Decimal:
    if not ctx.is_ref(name):
        return ctx.number(name)
    row_id = str(ctx.values[name])
    row = ctx.use("running_costs", row_id)
    if row.kind != kind:
        raise CalcError(f"{name}={row_id} is a {row.kind} figure, not {kind}", name)
    value: Decimal = row.value
    if kind == "electricity":
        value = ctx.convert(value, row.currency or ctx.currency)
    ctx.resolved[name + "_value"] = plain(value)
    return value


def selfhost_monthly(ctx: Context) -> Decimal:
    """Monthly cost of renting or owning the GPUs, plus operations."""
    hours, gpus = ctx.number("hours"), ctx.number("gpus")
    renting = ctx.has("gpu_hourly")
    owning = ctx.has("hardware") or ctx.has("capex")
    if renting and owning:
        raise CalcError(
            "choose rent (gpu_hourly=...) or own (hardware=... or capex=...)", "gpu_hourly"
        )
    if not renting and not owning:
        raise CalcError(
            "self-hosting needs gpu_hourly=... (rent) or hardware=.../capex=... (own)", "gpu_hourly"
        )
    if renting:
        ctx.forbid(
            ["depreciation_months", "power_kw", "pue", "electricity_per_kwh"],
            "it applies to owned hardware, and gpu_hourly= means renting",
        )
        ctx.unused |= {"depreciation_months", "pue"}
        total = _money_param(ctx, "gpu_hourly", "rental") * hours
        if not ctx.is_ref("gpu_hourly"):
            total *= gpus
        per_gpu_hour = total / hours / gpus
        ctx.step(
            f"{ctx.money(per_gpu_hour)}/GPU-h × {ctx.num(gpus)} GPU × {ctx.num(hours)} h = "
            f"{ctx.money(total)}"
        )
    else:
        if ctx.has("capex"):
            capex = _money_param(ctx, "capex", "purchase")
        else:
            capex = _money_param_from_hardware(ctx)
        power = _power_kw(ctx)
        energy = Decimal(0)
        if power:
            ctx.require("electricity_per_kwh", "owned hardware draws power")
            kwh = power * _running_cost(ctx, "pue", "pue") * hours
            energy = kwh * _running_cost(ctx, "electricity_per_kwh", "electricity")
            ctx.resolved["energy_kwh_monthly"] = plain(kwh)
        months = ctx.number("depreciation_months")
        ctx.step(f"{ctx.money(capex)} ÷ {ctx.num(months)} months = {ctx.money(capex / months)}")
        if power:
            ctx.step(
                f"{ctx.num(power)} kW × {ctx.num(_running_cost(ctx, 'pue', 'pue'))} PUE × "
                f"{ctx.num(hours)} h × "
                f"{ctx.money(_running_cost(ctx, 'electricity_per_kwh', 'electricity'))}/kWh = "
                f"{ctx.money(energy)}"
            )
        total = capex / months + energy
        if power:
            ctx.step(
                f"{ctx.money(capex / months)} depreciation + {ctx.money(energy)} energy = "
                f"{ctx.money(total)}"
            )
        ctx.resolved["capex_total"] = plain(capex)
    ops = ctx.number("ops_monthly")
    if ops:
        ctx.step(f"{ctx.money(total)} + {ctx.money(ops)} operations = {ctx.money(total + ops)}")
    return total + ops


def _money_param_from_hardware(ctx: Context) -> Decimal:
    hardware_id = str(ctx.values["hardware"])
    ctx.values["capex"] = hardware_id
    return _money_param(ctx, "capex", "purchase")


def _power_kw(ctx: Context) -> Decimal:
    if ctx.has("power_kw"):
        return ctx.number("power_kw")
    if ctx.has("hardware"):
        row = ctx.use("hardware", str(ctx.values["hardware"]))
        power: Decimal = row.board_power_kw * ctx.number("gpus")
        ctx.resolved["power_kw_total"] = plain(power)
        return power
    raise CalcError("owned hardware needs power_kw=... or hardware=...", "power_kw")


# ---------------------------------------------------------------- the calculators


def _api_cost(ctx: Context) -> Decimal:
    tokens, price = ctx.number("tokens"), blended(ctx)
    cost = tokens / MILLION * price
    ctx.step(
        f"{ctx.num(tokens)} tokens ÷ 1M × {ctx.money(price)} per 1M tokens = {ctx.money(cost)}"
    )
    return cost


def _blended_price(ctx: Context) -> Decimal:
    return blended(ctx)


def _selfhost_cost(ctx: Context) -> Decimal:
    return selfhost_monthly(ctx)


def _capacity(ctx: Context) -> Decimal:
    check_fit(ctx)
    return monthly_capacity(ctx)


def _model_memory(ctx: Context) -> Decimal:
    return model_memory_gb(ctx)


def _selfhost_cost_per_million(ctx: Context) -> Decimal:
    check_fit(ctx)
    capacity = monthly_capacity(ctx)
    cost = selfhost_monthly(ctx)
    ctx.resolved.update({"monthly_cost": plain(cost), "monthly_capacity": plain(capacity)})
    per_million = cost / capacity * MILLION
    ctx.step(
        f"{ctx.money(cost)} ÷ {fmt.tokens(capacity)} × 1M = {ctx.money(per_million)} per 1M tokens"
    )
    return per_million


def _breakeven_tokens(ctx: Context) -> Decimal:
    if ctx.has("selfhost_monthly"):
        ctx.forbid(
            [p.name for p in SELFHOST_SIDE if p.default is None],
            "selfhost_monthly= already gives the self-hosting cost",
        )
        monthly = ctx.number("selfhost_monthly")
    else:
        monthly = selfhost_monthly(ctx)
        ctx.resolved["selfhost_monthly"] = plain(monthly)
    check_fit(ctx)
    price = blended(ctx)
    ctx.resolved["blended_price"] = plain(price)
    if price == 0:
        raise CalcError("the API side costs nothing, so self-hosting never breaks even", "model")
    tokens = monthly / price * MILLION
    ctx.step(f"{ctx.money(monthly)} ÷ {ctx.money(price)} per 1M tokens × 1M = {fmt.tokens(tokens)}")
    if ctx.has("tokens_per_second"):
        capacity = monthly_capacity(ctx)
        ctx.resolved["monthly_capacity"] = plain(capacity.to_integral_value())
        ctx.resolved["feasible"] = capacity >= tokens
    return tokens


def _hybrid_cost(ctx: Context) -> Decimal:
    api_tokens = ctx.number("tokens") * (1 - ctx.number("local_share"))
    ctx.resolved["api_tokens"] = plain(api_tokens)
    if ctx.is_ref("local_monthly"):
        # A rental row: that GPU rented for the whole month.
        local = _money_param(ctx, "local_monthly", "rental") * HOURS_PER_MONTH
        ctx.resolved["local_monthly_cost"] = plain(local)
    else:
        local = ctx.number("local_monthly")
    price = blended(ctx)
    api = api_tokens / MILLION * price
    ctx.step(
        f"{ctx.num(ctx.number('tokens'))} tokens × (1 − {ctx.num(ctx.number('local_share'))}) "
        f"= {ctx.num(api_tokens)} API tokens ÷ 1M × {ctx.money(price)} = {ctx.money(api)}"
    )
    ctx.step(f"{ctx.money(local)} local + {ctx.money(api)} API = {ctx.money(local + api)}")
    return local + api


@dataclass(frozen=True)
class Calculator:
    name: str
    summary: str
    formula: str
    unit: str
    """`money`, `money-per-million` or `tokens`."""
    params: list[Param]
    func: Callable[[Context], Decimal]

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


REGISTRY: dict[str, Calculator] = {
    c.name: c
    for c in [
        Calculator(
            "api_cost",
            "Monthly API bill for a token volume.",
            "tokens ÷ 1M × blended price per 1M tokens (input, cached input and output "
            "prices weighted by their shares; batch discount applied when asked)",
            "money",
            [
                Param("tokens", "tokens", "tokens a month, input and output together"),
                *API_SIDE,
                CURRENCY,
            ],
            _api_cost,
        ),
        Calculator(
            "blended_price",
            "API price per 1M tokens at a given input/output mix.",
            "input share × (uncached input price × (1 − cached share) + cache-read price × "
            "cached share) + output share × output price, × batch multiplier when batching",
            "money-per-million",
            [*API_SIDE, CURRENCY],
            _blended_price,
        ),
        Calculator(
            "selfhost_cost",
            "Monthly cost of rented or owned GPUs.",
            "rent: GPU-hour price × GPUs × hours; own: purchase price ÷ depreciation months "
            "+ power (kW) × PUE × hours × electricity price; both: + operations per month",
            "money",
            [*SELFHOST_SIDE, CURRENCY],
            _selfhost_cost,
        ),
        Calculator(
            "capacity",
            "Tokens a month the GPUs can serve.",
            "tokens per second per GPU × 3,600 × hours × utilisation × GPUs",
            "tokens",
            [
                THROUGHPUT,
                UTILISATION,
                Param("gpus", "positive", "number of GPUs", "1"),
                Param("hours", "hours", "hours a month the machine runs", "730"),
                Param("hardware", "hardware", "optional: hardware id, for the memory fit check"),
                *MODEL_SIZE,
            ],
            _capacity,
        ),
        Calculator(
            "selfhost_cost_per_million",
            "Self-hosted cost per 1M tokens at a given throughput and utilisation.",
            "monthly self-hosting cost ÷ monthly capacity × 1M",
            "money-per-million",
            [*SELFHOST_SIDE, THROUGHPUT, UTILISATION, *MODEL_SIZE, CURRENCY],
            _selfhost_cost_per_million,
        ),
        Calculator(
            "breakeven_tokens",
            "Monthly token volume at which self-hosting costs the same as the API.",
            "monthly self-hosting cost ÷ blended API price per 1M tokens × 1M; feasible when "
            "the GPUs' monthly capacity reaches that volume",
            "tokens",
            [
                Param(
                    "selfhost_monthly",
                    "money",
                    "monthly self-hosting cost (instead of the self-hosting parameters)",
                ),
                *SELFHOST_SIDE,
                *API_SIDE,
                Param(
                    "tokens_per_second",
                    "throughput",
                    "optional: per-GPU throughput, to "
                    "report whether the GPUs can serve the breakeven volume",
                ),
                UTILISATION,
                *MODEL_SIZE,
                CURRENCY,
            ],
            _breakeven_tokens,
        ),
        Calculator(
            "hybrid_cost",
            "Monthly cost when a local model serves part of the traffic and the API the rest.",
            "local monthly cost + tokens × (1 − local share) ÷ 1M × blended API price",
            "money",
            [
                Param("tokens", "tokens", "tokens a month, all traffic"),
                Param("local_share", "share", "share of tokens served locally"),
                Param(
                    "local_monthly",
                    "gpu_hourly",
                    "monthly cost of the local layer, or a "
                    "gpu_prices rental row (one GPU rented for 730 hours)",
                ),
                *API_SIDE,
                CURRENCY,
            ],
            _hybrid_cost,
        ),
        Calculator(
            "model_memory",
            "Memory a model needs to serve, in GB (10^9 bytes).",
            "params × bits ÷ 8 ÷ 10^9 × (1 + overhead)",
            "gb",
            MODEL_SIZE,
            _model_memory,
        ),
    ]
}

_REQUIRED = {
    "api_cost": ["tokens"],
    "capacity": ["tokens_per_second"],
    "selfhost_cost_per_million": ["tokens_per_second"],
    "hybrid_cost": ["tokens", "local_share", "local_monthly"],
    "model_memory": ["params", "bits"],
}


def _unit(calc: Calculator, currency: str) -> str:
    return {
        "money": f"{currency}/month",
        "money-per-million": f"{currency}/1M tokens",
        "tokens": "tokens/month",
        "gb": "GB",
    }[calc.unit]


def _display(calc: Calculator, value: Decimal, currency: str, locale: str) -> str:
    if calc.unit == "tokens":
        return fmt.tokens(value, locale)
    if calc.unit == "gb":
        return fmt.gigabytes(value, locale)
    return fmt.money(value, currency, locale)


def evaluate(name: str, raw: Mapping[str, str], tables: Tables, *, locale: str = "en") -> Result:
    """Evaluate calculator `name` with `key=value` texts; raises CalcError on bad input."""
    calc = REGISTRY.get(name)
    if calc is None:
        close = difflib.get_close_matches(name, REGISTRY, n=1)
        hint = f"; did you mean {close[0]}?" if close else f"; known: {', '.join(REGISTRY)}"
        raise CalcError(f"unknown calculator {name!r}{hint}")
    values: dict[str, Value] = {}
    for key, text in raw.items():
        param = calc.param(key)
        if param is None:
            close = difflib.get_close_matches(key, [p.name for p in calc.params], n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise CalcError(f"{name} has no parameter {key!r}{hint}", key)
        values[key] = parse_value(param, text, tables)
    for param in calc.params:
        if param.name not in values and param.default is not None:
            values[param.name] = parse_value(param, param.default, tables)
    ctx = Context(tables, values, set(raw))
    ctx.locale = locale
    for required in _REQUIRED.get(name, []):
        ctx.require(required, calc.param(required).help if calc.param(required) else "")  # type: ignore[union-attr]
    try:
        value = calc.func(ctx)
        display = _display(calc, value, ctx.currency, locale)
    except (ArithmeticError, DecimalException, OverflowError):
        # DivisionByZero, Overflow, InvalidOperation: say so in words, not as a repr.
        raise CalcError(
            f"{name} cannot be computed with these inputs (a division by zero or a result "
            "too large to show)"
        ) from None
    extra = {"feasible": ctx.resolved.pop("feasible")} if "feasible" in ctx.resolved else {}
    # The inputs shown are the ones this branch read, plus whatever the author wrote;
    # defaults of another branch (depreciation when renting) are left out.
    # A parameter filled from a row (a model's input price, the cited overhead) is an
    # input too; anything else resolved on the way is a derived value.
    inputs = {
        k: (plain(v) if isinstance(v, Decimal) else v)
        for k, v in ctx.values.items()
        if k in raw or (k in ctx.values.read and k not in ctx.unused)
    }
    names = {p.name for p in calc.params}
    inputs.update({k: v for k, v in ctx.resolved.items() if k in names})
    derived = {k: v for k, v in ctx.resolved.items() if k not in names}
    return Result(
        calculator=name,
        inputs=dict(sorted(inputs.items())),
        derived=dict(sorted(derived.items())),
        value=value,
        unit=_unit(calc, ctx.currency),
        display=display,
        formula=calc.formula,
        sources=list(ctx.facts.values()),
        fx=list(ctx.fx.values()),
        extra=extra,
        steps=ctx.steps,
    )


def rounded(result: Result) -> Decimal:
    """The value as published: cents for money, whole tokens for volumes."""
    step = Decimal("0.0001") if result.unit.endswith("1M tokens") else Decimal("0.01")
    if result.unit == "tokens/month":
        step = Decimal(1)
    return result.value.quantize(step)
