"""```` ```chart ```` blocks: settings and lines in, an SVG figure and its data out.

    ```chart
    title = Running cost against heat demand
    x = demand
    from = 5000
    to = 20000
    line = Heat pump: running_cost efficiency=2.8 tariff=elec-cap-2026q3
    line = Gas boiler: running_cost efficiency=0.84 tariff=gas-cap-2026q3
    ```

`chart breakeven` keeps the LLM pack's shorthand (the API against self-hosting).
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from citeguide.content.calcs import fact, fx_model
from citeguide.costcore.chart import ModelChart, breakeven_lines, model_chart, parse_lines
from citeguide.costcore.export import used_models
from citeguide.costcore.models import Library
from citeguide.costcore.quantities import CalcError, plain
from citeguide.diagnostics import Diagnostics, SourcePos
from citeguide.model import Chart, ChartLine, ChartPoint, ChartRow, Crossing
from citeguide.render.chart import describe, render_chart, show_x, show_y

KINDS = ("models", "breakeven")
_LINE = re.compile(r"^\s*(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<value>.+?)\s*$")


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
        rows=[
            ChartRow(x=show_x(chart, x, locale), ys=[show_y(chart, y, locale) for y in ys])
            for x, ys in chart.table
        ],
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
    )


def render_charts(
    tokens: list[Token],
    library: Library,
    *,
    path: str,
    body_line: int,
    locale: str,
    diags: Diagnostics,
) -> list[Chart]:
    """Replace every chart fence in `tokens` by its figure; return the charts' data."""
    charts: list[Chart] = []
    for token in tokens:
        info = token.info.split()
        if token.type != "fence" or not info or info[0] != "chart":
            continue
        fence_line = body_line + (token.map[0] if token.map else 0) + 1
        pos = SourcePos(path, fence_line, 1)
        kind = info[1] if len(info) > 1 else "models"
        if kind not in KINDS:
            diags.error(pos, f"unknown chart {kind!r}; write ```chart (lines of models) or "
                        "```chart breakeven", "chart-syntax")  # fmt: skip
            continue
        parsed = _params(token, fence_line + 1, pos, diags)
        if parsed is None:
            continue
        params, param_lines, drawn = parsed
        try:
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
        chart_id = f"chart-{len(charts) + 1}"
        block = (token.map[0], token.map[1]) if token.map else (0, 0)
        charts.append(_model(chart, chart_id, kind, locale, block, library, fence_line))
        token.type, token.tag, token.nesting = "html_block", "", 0
        token.content = render_chart(chart, chart_id, locale) + "\n"
    return charts
