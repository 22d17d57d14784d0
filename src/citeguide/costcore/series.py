"""Charts: any models drawn over one parameter, and where two lines cross.

A chart block names the parameter on the x axis, its range and scale, and one `line` per
model (each with its own parameters). Every line is evaluated by the same evaluator as a
`[calc:]` marker, at sample points across the range; where two lines swap order, the
crossing is found by bisection between the samples, to one unit of x (or one part in
10^9 on a log axis). The breakeven chart of the LLM pack is one such chart: the API bill
and the cost of enough GPU sets to serve each volume.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.library import Library
from citeguide.costcore.quantities import CalcError, parse_number
from citeguide.costcore.results import Result
from citeguide.costcore.table_data import FxUse, TableRow
from citeguide.costcore.units import Unit

SAMPLES = 120
"""Points per line across the range (more are added around every crossing)."""
MAX_LINES = 6
_NICE = (Decimal(1), Decimal(2), Decimal(5))
_LINE = re.compile(r"^\s*(?:(?P<label>[^:=]{1,60}):\s*)?(?P<model>[a-z][a-z0-9_]*)(?P<rest>.*)$")


@dataclass
class Line:
    label: str
    model: str
    params: dict[str, str]
    """The line's own parameters as written (the x parameter excluded)."""
    points: list[tuple[Decimal, Decimal]] = field(default_factory=list)
    """(x, y) at every sample, y in the chart's unit."""
    first: Result | None = None
    """The evaluation at the first sample: its steps, sources and unit."""
    labels: dict[str, str] = field(default_factory=dict)
    """The model's parameter labels, in plain words."""


@dataclass
class Crossing:
    a: int
    b: int
    """Indexes of the two lines, `a` cheaper (lower) before the crossing."""
    x: Decimal
    y: Decimal


@dataclass
class ModelChart:
    """Everything needed to draw the chart, describe it and publish its data."""

    title: str
    x_param: str
    x_unit: Unit
    x_label: str
    low: Decimal
    high: Decimal
    log: bool
    lines: list[Line]
    y_unit: Unit
    currency: str | None
    crossings: list[Crossing]
    inputs: dict[str, str]
    results: list[Result] = field(default_factory=list)
    kind: str = "models"
    style: str = "number"
    """How values are shown (the first line's model's display style)."""
    digits: int = 3
    x_style: str = "number"
    table: list[tuple[Decimal, list[Decimal]]] = field(default_factory=list)
    """(x, each line's y) at the data table's points."""

    @property
    def facts(self) -> list[TableRow]:
        seen: dict[tuple[str, str], TableRow] = {}
        for result in self.results:
            for row in result.sources:
                seen.setdefault((row.table, row.id), row)
        return list(seen.values())

    @property
    def fx(self) -> list[FxUse]:
        seen: dict[str, FxUse] = {}
        for result in self.results:
            for use in result.fx:
                seen.setdefault(use.id, use)
        return list(seen.values())

    def table_points(self) -> list[Decimal]:
        """1-2-5 steps per decade (log) or ten steps (linear), plus every crossing."""
        low, high = self.low, self.high
        points: set[Decimal] = {low, high}
        if self.log:
            decade = Decimal(10) ** math.floor(math.log10(low))
            while decade <= high:
                points.update(decade * n for n in _NICE if low <= decade * n <= high)
                decade *= 10
        else:
            step = (high - low) / 10
            points.update(low + step * i for i in range(11))
        points.update(c.x for c in self.crossings if low <= c.x <= high)
        return sorted(points)

    def y_at(self, line: int, x: Decimal, lib: Library, locale: str) -> Decimal:
        return _value(self.lines[line], self.x_param, x, lib, locale)


def _value(line: Line, x_param: str, x: Decimal, lib: Library, locale: str) -> Decimal:
    params = {**line.params, x_param: format(x.normalize(), "f")}
    return evaluate(line.model, params, lib, locale=locale, quiet=True).value


def parse_lines(raw: list[tuple[str, int]]) -> list[tuple[str | None, str, dict[str, str], int]]:
    """`line = LABEL: MODEL key=value ...` → (label, model, params, line number)."""
    lines = []
    for text, number in raw:
        match = _LINE.match(text)
        if match is None:
            raise CalcError(f"line {text!r}: write line = LABEL: MODEL key=value ...", str(number))
        params: dict[str, str] = {}
        for piece in match["rest"].split():
            key, sep, value = piece.partition("=")
            if not sep or not key or not value:
                raise CalcError(f"line {text!r}: {piece!r} is not key=value", str(number))
            params[key] = value
        label = match["label"].strip() if match["label"] else None
        lines.append((label, match["model"], params, number))
    return lines


def model_chart(
    settings: Mapping[str, str],
    lines: list[tuple[str | None, str, dict[str, str], int]],
    lib: Library,
    *,
    locale: str,
) -> ModelChart:
    """Evaluate every line across the range; raises CalcError (its `param` names the
    offending setting, or the line number of the offending line as text)."""
    known = {"title", "x", "from", "to", "scale", "currency"}
    for key in settings:
        if key not in known:
            raise CalcError(f"chart has no setting {key!r} (settings: {', '.join(sorted(known))},"
                            " and line = ...)", key)  # fmt: skip
    if not lines:
        raise CalcError("a chart needs at least one line = MODEL key=value ...", "x")
    if len(lines) > MAX_LINES:
        raise CalcError(f"a chart has at most {MAX_LINES} lines", str(lines[MAX_LINES][3]))
    x_param = settings.get("x")
    if not x_param:
        raise CalcError("a chart needs x = the parameter on its horizontal axis", "x")
    low = parse_number(settings.get("from", ""), "from") if "from" in settings else None
    high = parse_number(settings.get("to", ""), "to") if "to" in settings else None
    if low is None or high is None or not low < high:
        raise CalcError("a chart needs from = and to = with from below to", "to")
    scale = settings.get("scale", "log" if low > 0 and high / low >= 100 else "linear")
    if scale not in ("log", "linear"):
        raise CalcError("scale is log or linear", "scale")
    if scale == "log" and low <= 0:
        raise CalcError("a log scale needs from above 0", "from")
    built: list[Line] = []
    x_unit: Unit | None = None
    x_label = x_param
    y_unit: Unit | None = None
    for label, name, params, number in lines:
        model = lib.models.get(name)
        where = str(number)
        if model is None and name in lib.failed:
            raise CalcError(f"model {name} cannot be used: {lib.failed[name]}", where)
        if model is None:
            raise CalcError(lib.unknown_model(name) or f"unknown model {name!r}", where)
        param = model.params.get(x_param)
        if param is None or param.kind != "number" or param.unit is None:
            raise CalcError(f"{name} has no number parameter {x_param!r} to draw along", where)
        if x_param in params:
            raise CalcError(f"{x_param} is the chart's x axis; leave it out of the line", where)
        if "currency" in settings and "currency" in model.params and "currency" not in params:
            params = {**params, "currency": settings["currency"]}
        if x_unit is None:
            x_unit, x_label = param.unit, param.label or x_param
        elif not param.unit.same_dims(x_unit):
            raise CalcError(f"{name}.{x_param} is in {param.unit}, not {x_unit}", where)
        if y_unit is not None and not model.unit.same_dims(y_unit):
            raise CalcError(f"{name} gives {model.unit}, not {y_unit} like the first line", where)
        y_unit = y_unit or model.unit
        built.append(
            Line(
                label or model.label,
                name,
                params,
                labels={k: p.label or k for k, p in model.params.items()},
            )
        )
    assert x_unit is not None
    assert y_unit is not None
    xs = _samples(low, high, scale == "log")
    chart = ModelChart(
        title=settings.get("title", " and ".join(line.label for line in built)),
        x_param=x_param, x_unit=x_unit, x_label=x_label, low=low, high=high,
        log=scale == "log", lines=built, y_unit=y_unit, currency=None, crossings=[],
        inputs=dict(sorted(settings.items())),
    )  # fmt: skip
    for index, line in enumerate(built):
        try:
            first = evaluate(line.model, {**line.params, x_param: _text(low)}, lib, locale=locale)
        except CalcError as exc:
            raise CalcError(f"line {index + 1} ({line.model}): {exc.message}",
                            str(lines[index][3])) from None  # fmt: skip
        line.first = first
        chart.results.append(first)
        line.points = [(x, _value(line, x_param, x, lib, locale)) for x in xs]
    first_result = built[0].first
    assert first_result is not None
    chart.currency = _currency_of(first_result.unit)
    if chart.currency is not None:
        chart.y_unit = y_unit.with_currency(chart.currency)
    for line in built[1:]:
        assert line.first is not None
        if _currency_of(line.first.unit) != chart.currency:
            raise CalcError(
                f"{line.model} is in {line.first.unit}, the first line in "
                f"{first_result.unit}; set currency = for the chart",
                "currency",
            )
    first_model = lib.models[built[0].model]
    chart.style, chart.digits = first_model.style, first_model.digits
    chart.x_style = "count" if any(n in ("token", "input_token", "output_token")
                                   for n, _ in x_unit.terms) else "number"  # fmt: skip
    chart.crossings = _crossings(chart, lib, locale)
    chart.table = [(x, [chart.y_at(i, x, lib, locale) for i in range(len(built))])
                   for x in chart.table_points()]  # fmt: skip
    return chart


def _currency_of(unit_text: str) -> str | None:
    match = re.match(r"^([A-Z]{3})\b", unit_text)
    return match.group(1) if match else None


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _samples(low: Decimal, high: Decimal, log: bool) -> list[Decimal]:
    if log:
        a, b = math.log10(low), math.log10(high)
        xs = [Decimal(repr(10 ** (a + (b - a) * i / (SAMPLES - 1)))) for i in range(SAMPLES)]
    else:
        xs = [low + (high - low) * i / (SAMPLES - 1) for i in range(SAMPLES)]
    xs[0], xs[-1] = low, high
    return [_round_x(x) for x in xs]


def _round_x(x: Decimal) -> Decimal:
    if abs(x) >= 1000:
        return x.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return x.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP).normalize()


def _crossings(chart: ModelChart, lib: Library, locale: str) -> list[Crossing]:
    found: list[Crossing] = []
    for a in range(len(chart.lines)):
        for b in range(a + 1, len(chart.lines)):
            pa, pb = chart.lines[a].points, chart.lines[b].points
            for i in range(1, len(pa)):
                before = pa[i - 1][1] - pb[i - 1][1]
                after = pa[i][1] - pb[i][1]
                if before == 0 and i > 1:
                    continue
                if (before < 0 <= after) or (before > 0 >= after) or before == 0:
                    if before == 0 and i == 1:
                        x = pa[0][0]
                    else:
                        x = _bisect(chart, a, b, pa[i - 1][0], pa[i][0], before < 0, lib, locale)
                    lower, upper = (a, b) if before < 0 else (b, a)
                    y = chart.y_at(a, x, lib, locale)
                    found.append(Crossing(lower, upper, x, y))
    found.sort(key=lambda c: c.x)
    return found


def _bisect(chart: ModelChart, a: int, b: int, lo: Decimal, hi: Decimal, a_below: bool,
            lib: Library, locale: str) -> Decimal:  # fmt: skip
    """The smallest x (to one unit, or 10^-9 relative) where the lines' order has swapped."""
    for _ in range(200):
        tolerance = max(Decimal(1) if lo >= 1000 else Decimal("0.000001"), abs(hi) / 10**9)
        if hi - lo <= tolerance:
            break
        mid = _round_x((lo + hi) / 2)
        if mid in (lo, hi):
            break
        diff = chart.y_at(a, mid, lib, locale) - chart.y_at(b, mid, lib, locale)
        swapped = diff >= 0 if a_below else diff <= 0
        lo, hi = (lo, mid) if swapped else (mid, hi)
    return hi


# ---------------------------------------------------------------- the breakeven instance

_API_KEYS = {"model", "input_price", "output_price", "cached_share", "batch", "batch_multiplier",
             "input_share", "currency"}  # fmt: skip
_HOST_KEYS = {"gpu_hourly", "gpus", "hardware", "capex", "depreciation_months", "power_kw", "pue",
              "electricity_per_kwh", "ops_monthly", "hours", "tokens_per_second", "utilisation",
              "selfhost_monthly", "input_share", "currency", "params", "bits"}  # fmt: skip


def breakeven_lines(params: Mapping[str, str]) -> tuple[dict[str, str], list[
        tuple[str | None, str, dict[str, str], int]]]:  # fmt: skip
    """The breakeven chart as a chart of two models: the API bill (`api_cost`) and the
    cost of enough GPU sets to serve each volume (`selfhost_for_volume`), over `tokens`."""
    known = _API_KEYS | _HOST_KEYS | {"from", "to", "title", "scale"}
    for key in params:
        if key not in known:
            raise CalcError(f"chart breakeven has no parameter {key!r}", key)
    settings = {"x": "tokens", "from": params.get("from", "1M"), "to": params.get("to", "100B"),
                "title": params.get("title", "Monthly cost: API against self-hosting")}  # fmt: skip
    if "scale" in params:
        settings["scale"] = params["scale"]
    api = {k: v for k, v in params.items() if k in _API_KEYS}
    host = {k: v for k, v in params.items() if k in _HOST_KEYS}
    return settings, [("API", "api_cost", api, 0), ("Self-hosted", "selfhost_for_volume", host, 0)]
