"""```` ```chart breakeven ```` blocks: parameters in, an SVG figure and its data out."""

from __future__ import annotations

import re
from decimal import Decimal

from markdown_it.token import Token

from citeguide.costcore.chart import CHART_KINDS, BreakevenChart, breakeven_chart
from citeguide.costcore.quantities import CalcError, plain
from citeguide.costcore.tables import Tables
from citeguide.diagnostics import Diagnostics, SourcePos
from citeguide.model import Chart, ChartPoint, FxConversion, InputFact
from citeguide.render.chart import describe, render_chart

_LINE = re.compile(r"^\s*(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<value>.+?)\s*$")


def _params(
    token: Token, first_line: int, pos: SourcePos, diags: Diagnostics
) -> tuple[dict[str, str], dict[str, int]] | None:
    """`key=value` per line (`#` starts a comment); line numbers kept for errors."""
    params: dict[str, str] = {}
    lines: dict[str, int] = {}
    ok = True
    for i, line in enumerate(token.content.split("\n")):
        text = line.split("#", 1)[0] if not line.lstrip().startswith("title") else line
        if not text.strip():
            continue
        match = _LINE.match(text)
        number = first_line + i
        if match is None or match["key"] in params:
            what = "is not key=value" if match is None else f"sets {match['key']} twice"
            diags.error(
                SourcePos(pos.path, number, 1),
                f"chart line {line.strip()!r} {what}",
                "chart-syntax",
            )
            ok = False
            continue
        params[match["key"]] = match["value"]
        lines[match["key"]] = number
    return (params, lines) if ok else None


def _model(chart: BreakevenChart, chart_id: str, locale: str, lines: tuple[int, int]) -> Chart:
    return Chart(
        source_lines=lines,
        id=chart_id,
        kind="breakeven",
        title=chart.title,
        description=describe(chart, locale),
        currency=chart.currency,
        inputs=chart.inputs,
        price_per_million=plain(chart.price_per_million),
        selfhost_monthly=plain(chart.monthly_per_set),
        capacity_per_set=int(chart.capacity_per_set) if chart.capacity_per_set else None,
        crossover_tokens=int(chart.crossover) if chart.crossover is not None else None,
        points=[
            ChartPoint(
                tokens=int(t),
                api=plain(chart.api_cost(t).quantize(Decimal("0.01"))),
                selfhost=plain(chart.selfhost_cost(t).quantize(Decimal("0.01"))),
            )
            for t in chart.sample_points()
        ],
        facts=[
            InputFact(
                table=f.table,
                row=f.id,
                source=f.url,
                date=f.date,
                confidence=f.confidence,
                values=dict(f.values),
            )
            for f in chart.facts
        ],
        fx=[
            FxConversion(row=x.id, base=x.base, quote=x.quote, rate=plain(x.rate), date=x.date)
            for x in chart.fx
        ],
    )


def render_charts(
    tokens: list[Token],
    tables: Tables,
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
        kind = info[1] if len(info) > 1 else ""
        if kind not in CHART_KINDS:
            diags.error(
                pos, f"unknown chart {kind!r}; charts are {', '.join(CHART_KINDS)}", "chart-syntax"
            )
            continue
        parsed = _params(token, fence_line + 1, pos, diags)
        if parsed is None:
            continue
        params, param_lines = parsed
        try:
            chart = breakeven_chart(params, tables, locale=locale)
        except CalcError as exc:
            line = param_lines.get(exc.param or "", fence_line)
            diags.error(SourcePos(path, line, 1), exc.message, "chart-error")
            continue
        chart_id = f"chart-{len(charts) + 1}"
        block = (token.map[0], token.map[1]) if token.map else (0, 0)
        charts.append(_model(chart, chart_id, locale, block))
        token.type, token.tag, token.nesting = "html_block", "", 0
        token.content = render_chart(chart, chart_id, locale) + "\n"
    return charts
