"""Series for the breakeven chart: monthly API cost and self-hosting cost against volume.

The self-hosting line steps up by one more set of GPUs each time the volume passes the
capacity of those already paid for; it is flat when no throughput is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from math import ceil

from citeguide.costcore.calculators import REGISTRY, Result, evaluate
from citeguide.costcore.quantities import MILLION, CalcError, parse_number
from citeguide.costcore.tables import Fact, FxUse, Tables

CHART_KINDS = ("breakeven",)
_API_KEYS = {p.name for p in REGISTRY["blended_price"].params}
_HOST_KEYS = {p.name for p in REGISTRY["selfhost_cost"].params}
_CAPACITY_KEYS = {p.name for p in REGISTRY["capacity"].params}
_OWN_KEYS = {"from", "to", "title", "selfhost_monthly"}
_NICE = (Decimal(1), Decimal(2), Decimal(5))


@dataclass
class BreakevenChart:
    """Everything needed to draw the chart, describe it and publish its data."""

    title: str
    currency: str
    token_range: tuple[Decimal, Decimal]
    price_per_million: Decimal
    """Blended API price per 1M tokens."""
    monthly_per_set: Decimal
    """Self-hosting cost per month of one set of GPUs."""
    capacity_per_set: Decimal | None
    """Tokens a month one set of GPUs serves; None: unlimited (no throughput given)."""
    crossover: Decimal | None
    """Tokens a month where the API starts to cost more; None when it never does."""
    inputs: dict[str, str]
    results: list[Result] = field(default_factory=list)

    def api_cost(self, tokens: Decimal) -> Decimal:
        return tokens / MILLION * self.price_per_million

    def sets_needed(self, tokens: Decimal) -> int:
        if self.capacity_per_set is None or tokens <= 0:
            return 1
        return max(1, ceil(tokens / self.capacity_per_set))

    def selfhost_cost(self, tokens: Decimal) -> Decimal:
        return self.monthly_per_set * self.sets_needed(tokens)

    def sample_points(self) -> list[Decimal]:
        """1-2-5 steps per decade across the range, plus the crossover when inside it."""
        low, high = self.token_range
        points: set[Decimal] = set()
        decade = Decimal(10) ** (len(str(int(low))) - 1)
        while decade <= high:
            points.update(decade * n for n in _NICE if low <= decade * n <= high)
            decade *= 10
        points.update({low, high})
        if self.crossover is not None and low <= self.crossover <= high:
            points.add(self.crossover.quantize(Decimal(1)))
        return sorted(points)

    @property
    def facts(self) -> list[Fact]:
        seen: dict[tuple[str, str], Fact] = {}
        for result in self.results:
            for fact in result.sources:
                seen.setdefault((fact.table, fact.id), fact)
        return list(seen.values())

    @property
    def fx(self) -> list[FxUse]:
        seen: dict[str, FxUse] = {}
        for result in self.results:
            for use in result.fx:
                seen.setdefault(use.id, use)
        return list(seen.values())


def breakeven_chart(params: Mapping[str, str], tables: Tables, *, locale: str) -> BreakevenChart:
    """Compute the chart from `key=value` parameters; raises CalcError on bad input."""
    known = _API_KEYS | _HOST_KEYS | _CAPACITY_KEYS | _OWN_KEYS
    for key in params:
        if key not in known:
            raise CalcError(f"chart breakeven has no parameter {key!r}", key)
    low = parse_number(params.get("from", "1M"), "from")
    high = parse_number(params.get("to", "100B"), "to")
    if not 0 < low * 10 <= high:
        raise CalcError("the range needs from > 0 and to at least 10 × from", "to")
    currency = params.get("currency", "USD")

    def pick(keys: set[str]) -> dict[str, str]:
        return {k: v for k, v in params.items() if k in keys}

    api = evaluate("blended_price", pick(_API_KEYS), tables, locale=locale)
    results = [api]
    if "selfhost_monthly" in params:
        if any(k in params for k in ("gpu_hourly", "hardware", "capex")):
            raise CalcError(
                "give selfhost_monthly or the self-hosting parameters, not both", "selfhost_monthly"
            )
        monthly = parse_number(params["selfhost_monthly"], "selfhost_monthly")
    else:
        host = evaluate("selfhost_cost", pick(_HOST_KEYS), tables, locale=locale)
        results.append(host)
        monthly = host.value
    capacity = None
    if "tokens_per_second" in params:
        cap = evaluate("capacity", pick(_CAPACITY_KEYS), tables, locale=locale)
        results.append(cap)
        capacity = cap.value
    price = api.value
    crossover = monthly / price * MILLION if price > 0 else None
    if crossover is not None and capacity is not None and crossover > capacity:
        # One set at full use costs more per token than the API, and every further set
        # repeats that: the lines never cross.
        crossover = None
    title = params.get("title", "Monthly cost: API against self-hosting")
    return BreakevenChart(
        title=title,
        currency=currency.upper(),
        token_range=(low, high),
        price_per_million=price,
        monthly_per_set=monthly,
        capacity_per_set=capacity,
        crossover=crossover,
        inputs=dict(sorted(params.items())),
        results=results,
    )
