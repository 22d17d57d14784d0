"""```` ```chart ```` blocks: settings and lines in, the chart's data out (drawn as SVG by
render/chart.py and render/tornado.py).

    ```chart
    title = Running cost against heat demand
    x = demand
    from = 5000
    to = 20000
    line = Heat pump: running_cost efficiency=2.8 tariff=elec-cap-2026q3
    line = Gas boiler: running_cost efficiency=0.84 tariff=gas-cap-2026q3
    ```

`chart breakeven` keeps the LLM pack's shorthand (the API against self-hosting);
`chart tornado` draws how far each ranged input of one `figure = MODEL key=value ...`
moves it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from markdown_it.token import Token

from citeguide.content.calcs import fact, fx_model
from citeguide.costcore.display import display, range_ends, written_alike
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.export import used_models
from citeguide.costcore.library import Library
from citeguide.costcore.quantities import CalcError, plain
from citeguide.costcore.ranges import parse_result_unit
from citeguide.costcore.results import Result
from citeguide.costcore.series import ModelChart, breakeven_lines, model_chart, parse_lines
from citeguide.costcore.units import Unit
from citeguide.diagnostics import Diagnostics, SourcePos
from citeguide.model import Chart, ChartBar, ChartLine, ChartPoint, ChartRow, Crossing
from citeguide.text.case import mid_sentence

KINDS = ("models", "breakeven", "tornado")
TORNADO_KEYS = ("title", "figure")
_LINE = re.compile(r"^\s*(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<value>.+?)\s*$")
READER_NUMBER = re.compile(r"-?[0-9][0-9._,]*[kMB]?")
"""A line's value the readers' form offers to change: a number. Rows, flags and currencies
stay as the author set them: a line's label names its rows (`Leipzig`), and a reader's
other row would leave the legend, the caption and the data table naming the wrong one."""


def offers_form(lines: Iterable[Mapping[str, str]]) -> bool:
    """Whether a chart of lines with these parameters has a "Try your own numbers" form
    (a number to vary)."""
    return any(READER_NUMBER.fullmatch(v) for params in lines for v in params.values())


def show_y(chart: ModelChart, value: Decimal, locale: str) -> str:
    return display(value, chart.y_unit, chart.style, chart.digits, locale)


def show_x(chart: ModelChart, value: Decimal, locale: str) -> str:
    return display(value, chart.x_unit, chart.x_style, 3, locale)


def data_rows(chart: ModelChart, locale: str) -> list[tuple[Decimal, str, list[str]]]:
    """The data table, on the page and in the Markdown twin: each row's x, exact and as
    written, and each line's y, a line's column written alike (`written_alike`), so that a
    stranger's payback column read `3.60 years` above `8.24 years`, not `3.6 years`."""
    columns = [written_alike([ys[i] for _, ys in chart.table], chart.y_unit, chart.style,
                             chart.digits, locale) for i in range(len(chart.lines))]  # fmt: skip
    return [(x, show_x(chart, x, locale), [column[k] for column in columns])
            for k, (x, _) in enumerate(chart.table)]  # fmt: skip


def describe(chart: ModelChart, locale: str) -> str:
    """The chart in a paragraph: each line from the first to the last x, and crossings."""
    low, high = show_x(chart, chart.low, locale), show_x(chart, chart.high, locale)
    parts = []
    for line in chart.lines:
        first, last = line.points[0][1], line.points[-1][1]
        if first == last:
            parts.append(f"{line.label}: {show_y(chart, first, locale)} throughout.")
        else:
            parts.append(f"{line.label}: {show_y(chart, first, locale)} at {low}, "
                         f"{show_y(chart, last, locale)} at {high}.")  # fmt: skip
    text = " ".join(parts)
    labels = [line.label for line in chart.lines]
    if len(chart.lines) > 1 and not chart.crossings:
        order = sorted(range(len(labels)), key=lambda i: chart.lines[i].points[0][1])
        text += f" The lines never cross in this range: {labels[order[0]]} stays lowest."
    for i, cross in enumerate(chart.crossings):
        where = show_x(chart, cross.x, locale)
        at = show_y(chart, cross.y, locale)
        if chart.kind == "breakeven" and i == 0:
            text += (f" They cross at {where} ({at}): above it, self-hosting costs less than "
                     "the API")  # fmt: skip
            if len(chart.crossings) > 1:
                text += ", except just after each extra set of GPUs is added, when the step up "
                text += "briefly puts it above the API"
            text += "."
            break
        text += (f" {labels[cross.a]} and {labels[cross.b]} cross at {where} ({at}): "
                 f"{labels[cross.a]} is lower below it, {labels[cross.b]} above.")  # fmt: skip
        if i == 2 and len(chart.crossings) > 3:
            text += f" ({len(chart.crossings) - 3} more crossings in the data table.)"
            break
    return text


MAX_BARS = 8


@dataclass(frozen=True)
class Bar:
    input: str
    """The input's name: a parameter, or `table:row.column` for a ranged cell."""
    label: str
    """What the reader sees: the parameter's label, or the row and column."""
    low: Decimal
    """The figure with this input at its low end (the others at their midpoints)."""
    high: Decimal
    """The figure with this input at its high end."""
    phrase: str = ""
    """The label inside a sentence, as the author wrote it (`Kubernetes ops work`)."""


@dataclass
class Tornado:
    title: str
    model: str
    params: dict[str, str]
    result: Result
    unit: Unit
    style: str
    digits: int
    bars: list[Bar]

    def show(self, value: Decimal, locale: str) -> str:
        return display(value, self.unit, self.style, self.digits, locale)

    def ends(self, bar: Bar, locale: str) -> tuple[str, str]:
        """A bar's two ends written alike (`range_ends`)."""
        return range_ends(bar.low, bar.high, self.unit, self.style, self.digits, locale)

    @property
    def span(self) -> tuple[Decimal, Decimal]:
        values = [self.result.value, *(b.low for b in self.bars), *(b.high for b in self.bars)]
        return min(values), max(values)


def tornado(title: str, model: str, params: dict[str, str], result: Result,
            lib: Library) -> Tornado:  # fmt: skip
    """The chart of `result` (a figure evaluated with ranged inputs)."""
    if not result.drivers:
        raise CalcError(
            "a tornado chart needs a figure with ranged inputs: give a parameter a range "
            "(`low..high`) or a row whose value is one",
            "figure",
        )
    spec = lib.models[model]
    bars = [
        Bar(
            str(d["input"]),
            str(d["label"]),
            Decimal(str(d["low"])),
            Decimal(str(d["high"])),
            str(d.get("phrase") or mid_sentence(str(d["label"]))),
        )
        for d in result.drivers[:MAX_BARS]
    ]
    return Tornado(
        title=title or f"What moves {result.title or model} most",
        model=model,
        params=params,
        result=result,
        unit=parse_result_unit(result, spec),
        style=spec.style,
        digits=spec.digits,
        bars=bars,
    )


def describe_tornado(chart: Tornado, locale: str) -> str:
    middle = chart.show(chart.result.value, locale)
    parts = [f"With every range at its midpoint the figure is {middle}."]
    for i, bar in enumerate(chart.bars):
        lead = "Moving most" if i == 0 else "Then"
        low, high = chart.ends(bar, locale)
        parts.append(f"{lead}, {bar.phrase}: {low} at its low end, {high} at its "
                     "high end.")  # fmt: skip
    if len(chart.result.drivers) > len(chart.bars):
        parts.append(f"{len(chart.result.drivers) - len(chart.bars)} smaller inputs are in "
                     "the data table.")  # fmt: skip
    return " ".join(parts)


def _params(
    token: Token, first_line: int, pos: SourcePos, diags: Diagnostics
) -> tuple[dict[str, str], dict[str, int], list[tuple[str, int]]] | None:
    """`key = value` per line (`#` starts a comment), and every `line = ...`."""
    params: dict[str, str] = {}
    lines: dict[str, int] = {}
    drawn: list[tuple[str, int]] = []
    ok = True
    for i, raw in enumerate(token.content.split("\n")):
        text = raw.split("#", 1)[0] if not raw.lstrip().startswith("title") else raw
        if not text.strip():
            continue
        match = _LINE.match(text)
        number = first_line + i
        if match is not None and match["key"] == "line":
            drawn.append((match["value"], number))
            continue
        if match is None or match["key"] in params:
            what = "is not key = value" if match is None else f"sets {match['key']} twice"
            diags.error(SourcePos(pos.path, number, 1), f"chart line {raw.strip()!r} {what}",
                        "chart-syntax")  # fmt: skip
            ok = False
            continue
        params[match["key"]] = match["value"]
        lines[match["key"]] = number
    return (params, lines, drawn) if ok else None


def _model(chart: ModelChart, chart_id: str, kind: str, locale: str, lines: tuple[int, int],
           lib: Library, fence_line: int) -> Chart:  # fmt: skip
    labels = [line.label for line in chart.lines]
    return Chart(
        source_lines=lines,
        id=chart_id,
        kind="breakeven" if kind == "breakeven" else "models",
        title=chart.title,
        description=describe(chart, locale),
        x_param=chart.x_param,
        x_label=chart.x_label,
        x_unit=chart.x_unit.text(plural=True),
        x_from=plain(chart.low),
        x_to=plain(chart.high),
        scale="log" if chart.log else "linear",
        y_unit=chart.y_unit.text(),
        lines=[
            ChartLine(
                label=line.label,
                model=line.model,
                params=line.params,
                points=[ChartPoint(x=plain(x), y=plain(y)) for x, y in line.points],
            )
            for line in chart.lines
        ],
        crossings=[
            Crossing(
                lower=labels[c.a],
                upper=labels[c.b],
                x=plain(c.x),
                y=plain(c.y),
                x_text=show_x(chart, c.x, locale),
                y_text=show_y(chart, c.y, locale),
            )
            for c in chart.crossings
        ],
        rows=[ChartRow(x=x_text, ys=ys) for _, x_text, ys in data_rows(chart, locale)],
        inputs=chart.inputs,
        facts=[
            fact(
                row,
                lib.tables.origins.get((row.table, row.id), ("", 0))[0].startswith("<pack"),
                fence_line,
            )
            for row in chart.facts
        ],
        fx=[fx_model(use) for use in chart.fx],
        models=used_models(lib, [line.model for line in chart.lines]),
        form=offers_form(line.params for line in chart.lines),
    )


def _tornado(params: dict[str, str], lib: Library, locale: str) -> Tornado:
    unknown = sorted(set(params) - set(TORNADO_KEYS))
    if unknown:
        raise CalcError(f"a tornado chart takes title and figure, not {unknown[0]}", unknown[0])
    if "figure" not in params:
        raise CalcError("a tornado chart needs figure = MODEL key=value ...")
    [(_, model, given, _)] = parse_lines([(params["figure"], 0)])
    try:
        result = evaluate(model, given, lib, locale=locale)
    except CalcError as exc:
        raise CalcError(exc.message, "figure") from None
    return tornado(params.get("title", ""), model, given, result, lib)


def _tornado_chart(chart: Tornado, chart_id: str, locale: str, lines: tuple[int, int],
                   lib: Library, fence_line: int) -> Chart:  # fmt: skip
    result = chart.result
    low, high = chart.span
    return Chart(
        source_lines=lines,
        id=chart_id,
        kind="tornado",
        title=chart.title,
        description=describe_tornado(chart, locale),
        x_param="",
        x_unit=result.unit,
        x_from=plain(low),
        x_to=plain(high),
        scale="linear",
        y_unit=result.unit,
        lines=[ChartLine(label=chart.title, model=chart.model, params=chart.params, points=[])],
        crossings=[],
        rows=[ChartRow(x=b.label, ys=list(chart.ends(b, locale))) for b in chart.bars],
        inputs={"figure": " ".join([chart.model, *(f"{k}={v}" for k, v in chart.params.items())])},
        facts=[
            fact(
                row,
                lib.tables.origins.get((row.table, row.id), ("", 0))[0].startswith("<pack"),
                fence_line,
            )
            for row in result.sources
        ],
        fx=[fx_model(use) for use in result.fx],
        models=used_models(lib, [chart.model]),
        value=plain(result.value),
        bars=[
            ChartBar(
                input=b.input,
                label=b.label,
                low=plain(b.low),
                high=plain(b.high),
                low_text=low,
                high_text=high,
            )
            for b in chart.bars
            for low, high in [chart.ends(b, locale)]
        ],
    )


def parse_charts(
    tokens: list[Token],
    library: Library,
    *,
    path: str,
    body_line: int,
    locale: str,
    diags: Diagnostics,
) -> list[Chart]:
    """The data of every chart fence in `tokens`; each fence keeps what its figure is
    drawn from in `token.meta["chart"]` (drawn by render/body.py)."""
    charts: list[Chart] = []
    for token in tokens:
        info = token.info.split()
        if token.type != "fence" or not info or info[0] != "chart":
            continue
        fence_line = body_line + (token.map[0] if token.map else 0) + 1
        pos = SourcePos(path, fence_line, 1)
        kind = info[1] if len(info) > 1 else "models"
        if kind not in KINDS:
            diags.error(pos, f"unknown chart {kind!r}; write ```chart (lines of models), "
                        "```chart breakeven or ```chart tornado", "chart-syntax")  # fmt: skip
            continue
        parsed = _params(token, fence_line + 1, pos, diags)
        if parsed is None:
            continue
        params, param_lines, drawn = parsed
        chart_id = f"chart-{len(charts) + 1}"
        block = (token.map[0], token.map[1]) if token.map else (0, 0)
        try:
            if kind == "tornado":
                if drawn:
                    raise CalcError("a tornado chart draws one figure: write figure = MODEL ...",
                                    "line")  # fmt: skip
                bars = _tornado(params, library, locale)
                charts.append(_tornado_chart(bars, chart_id, locale, block, library, fence_line))
                token.meta["chart"], token.meta["chart_id"] = bars, chart_id
                continue
            if kind == "breakeven":
                if drawn:
                    raise CalcError("a breakeven chart draws its own two lines", "line")
                settings, lines = breakeven_lines(params)
                lines = [(label, model, ps, fence_line) for label, model, ps, _ in lines]
            else:
                settings, lines = params, parse_lines(drawn)
            chart = model_chart(settings, lines, library, locale=locale)
        except CalcError as exc:
            where = exc.param or ""
            line = int(where) if where.isdigit() else param_lines.get(where, fence_line)
            diags.error(SourcePos(path, line, 1), exc.message, "chart-error")
            continue
        chart.kind = kind
        charts.append(_model(chart, chart_id, kind, locale, block, library, fence_line))
        token.meta["chart"], token.meta["chart_id"] = chart, chart_id
    return charts
