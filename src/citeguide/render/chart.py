"""The breakeven chart as an inline SVG figure with a caption and a data table.

Hand-written SVG rather than a plotting library: the chart is one log-log plot, must be
byte-identical between builds, needs no JavaScript and must carry its own accessible
title, description and table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from urllib.parse import urlsplit

from babel.numbers import format_compact_currency

from citeguide.costcore import format as fmt
from citeguide.costcore.chart import BreakevenChart


@dataclass(frozen=True)
class Frame:
    """One layout of the chart: the SVG's size in user units and its margins.

    A phone shows the chart at about 360 px wide; scaling the wide layout down would
    shrink its labels to ~6 px, so the narrow layout is drawn at that size instead, with
    every other decade labelled and a shorter axis title.
    """

    suffix: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    label_every: int
    """Label one decade in this many (grid lines stay on every decade)."""
    y_title: str


WIDE = Frame("", 640, 360, 72, 44, 28, 56, 1, "{currency} per month (log scale)")
NARROW = Frame("-narrow", 360, 400, 74, 22, 30, 56, 2, "{currency}/month (log)")
CHAR_WIDTH = 7.2
"""Rough width of one character of a 13 px bold label, to keep labels inside the plot."""
LINE = 16
"""Line height of a label broken over two lines."""


class _Scale:
    """Log scale from [low, high] (whole decades) onto pixels."""

    def __init__(self, low: float, high: float, start: float, end: float) -> None:
        self.low = 10 ** math.floor(math.log10(low))
        self.high = 10 ** math.ceil(math.log10(high))
        if self.high <= self.low:
            self.high = self.low * 10
        self.start, self.end = start, end

    def __call__(self, value: float) -> float:
        span = math.log10(self.high) - math.log10(self.low)
        share = (math.log10(max(value, self.low)) - math.log10(self.low)) / span
        return self.start + share * (self.end - self.start)

    def decades(self) -> list[float]:
        first, last = round(math.log10(self.low)), round(math.log10(self.high))
        return [10.0**e for e in range(first, last + 1)]


def _num(value: float) -> str:
    return f"{value:.1f}"


def describe(chart: BreakevenChart, locale: str) -> str:
    """The chart in one paragraph: what rises, what is flat, where they cross."""
    low, high = chart.token_range

    def money(value: Decimal) -> str:
        return fmt.money(value, chart.currency, locale)

    text = (
        f"The API costs {money(chart.api_cost(low))} a month at {fmt.tokens(low, locale)} "
        f"and {money(chart.api_cost(high))} at {fmt.tokens(high, locale)} "
        f"({money(chart.price_per_million)} per 1M tokens). Self-hosting costs "
        f"{money(chart.monthly_per_set)} a month"
    )
    if chart.capacity_per_set is not None:
        text += (
            f" for each set of GPUs, and one set serves up to "
            f"{fmt.tokens(chart.capacity_per_set, locale)} a month"
        )
    text += ". "
    if chart.crossover is None:
        text += "The lines never cross: the API is cheaper at every volume."
    else:
        text += (
            f"They cross at {fmt.tokens(chart.crossover, locale)} a month "
            f"({money(chart.api_cost(chart.crossover))}); above that, self-hosting is cheaper"
        )
        capacity = chart.capacity_per_set
        # Just after a second set of GPUs is added, the step can rise above the API line.
        if (
            capacity is not None
            and capacity < high
            and 2 * chart.monthly_per_set > (chart.api_cost(capacity))
        ):
            text += (
                ", except just after each extra set of GPUs is added, when the step up "
                "briefly puts it above the API."
            )
        else:
            text += "."
    return text


def render_chart(chart: BreakevenChart, chart_id: str, locale: str) -> str:
    """A `<figure>` holding the SVG (a wide and a narrow layout), its data table, its
    inputs and sources, and its caption."""
    return "\n".join(
        [
            f'<figure class="chart" id="{chart_id}">',
            _svg(chart, chart_id, locale, WIDE),
            _svg(chart, chart_id, locale, NARROW),
            _table(chart, locale),
            _inputs(chart),
            # A figcaption must be the first or last child of its figure.
            f"<figcaption><strong>{escape(chart.title)}.</strong> "
            f"{escape(describe(chart, locale))}</figcaption>",
            "</figure>",
        ]
    )


def _svg(chart: BreakevenChart, chart_id: str, locale: str, f: Frame) -> str:
    low, high = (float(v) for v in chart.token_range)
    costs = [float(chart.api_cost(Decimal(low))), float(chart.api_cost(Decimal(high)))]
    costs.append(float(chart.selfhost_cost(Decimal(high))))
    costs.append(float(chart.monthly_per_set))
    x = _Scale(low, high, f.left, f.width - f.right)
    y = _Scale(min(costs), max(costs), f.height - f.bottom, f.top)
    ident = chart_id + f.suffix
    layout = "chart-narrow" if f.suffix else "chart-wide"

    def short(value: float) -> str:
        return str(format_compact_currency(value, chart.currency, locale=locale))

    parts = [
        f'<svg class="chart-svg {layout}" viewBox="0 0 {f.width} {f.height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(chart.title)}</title>',
        f'<desc id="{ident}-desc">{escape(describe(chart, locale))}</desc>',
    ]
    bottom = f.height - f.bottom
    decades = x.decades()
    for i, tick in enumerate(decades):
        px = _num(x(tick))
        parts.append(f'<line class="grid" x1="{px}" y1="{f.top}" x2="{px}" y2="{bottom}"/>')
        if i % f.label_every == 0:
            label = fmt.count(Decimal(int(tick)), locale).replace(" thousand", "k")
            # The outermost labels align with the plot's edges instead of overhanging them.
            anchor = "start" if i == 0 else "end" if i == len(decades) - 1 else "middle"
            parts.append(
                f'<text class="tick" x="{px}" y="{bottom + 18}" '
                f'text-anchor="{anchor}">{escape(label)}</text>'
            )
    for i, tick in enumerate(y.decades()):
        py = _num(y(tick))
        parts.append(
            f'<line class="grid" x1="{f.left}" y1="{py}" x2="{f.width - f.right}" y2="{py}"/>'
        )
        if i % f.label_every == 0:
            parts.append(
                f'<text class="tick" x="{f.left - 6}" y="{py}" text-anchor="end" '
                f'dominant-baseline="middle">{escape(short(tick))}</text>'
            )
    parts.append(
        f'<text class="axis" x="{(f.left + f.width - f.right) / 2}" y="{f.height - 12}" '
        f'text-anchor="middle">Tokens per month (log scale)</text>'
    )
    parts.append(
        f'<text class="axis" transform="translate(14 {(f.top + bottom) / 2}) rotate(-90)" '
        f'text-anchor="middle">{escape(f.y_title.format(currency=chart.currency))}</text>'
    )
    api_line = [(x(low), y(costs[0])), (x(high), y(costs[1]))]
    parts.append(f'<path class="series api" d="{_path(api_line)}"/>')
    parts.append(f'<path class="series selfhost" d="{_path(_selfhost_points(chart, x, y))}"/>')
    if chart.crossover is not None and low <= chart.crossover <= high:
        cx, cy = x(float(chart.crossover)), y(float(chart.api_cost(chart.crossover)))
        lines = [f"Breakeven: {fmt.tokens(chart.crossover, locale)}"]
        # Beside the point, on the side with more room, kept inside the plot area.
        left = cx > f.width / 2
        room = cx - 8 - (f.left + 4) if left else f.width - f.right - (cx + 8)
        if len(lines[0]) * CHAR_WIDTH > room:
            # Too long for its side (a phone): on two lines, so that it does not run past the
            # point over the series it labels.
            lines = ["Breakeven:", fmt.tokens(chart.crossover, locale)]
        wide = max(len(line) for line in lines) * CHAR_WIDTH
        start = cx - 8 - wide if left else cx + 8
        start = max(f.left + 4, min(start, f.width - f.right - wide))
        parts.append(f'<circle class="crossover" cx="{_num(cx)}" cy="{_num(cy)}" r="5"/>')
        text = escape(lines[0])
        if len(lines) > 1:
            text = "".join(
                f'<tspan x="{_num(start)}" dy="{0 if i == 0 else LINE}">{escape(line)}</tspan>'
                for i, line in enumerate(lines)
            )
        parts.append(
            f'<text class="crossover-label" x="{_num(start)}" '
            f'y="{_num(cy - 10 - LINE * (len(lines) - 1))}" text-anchor="start">{text}</text>'
        )
    parts += _legend(f)
    parts.append("</svg>")
    return "\n".join(parts)


def _path(points: list[tuple[float, float]]) -> str:
    return "M" + " L".join(f"{_num(px)} {_num(py)}" for px, py in points)


def _selfhost_points(chart: BreakevenChart, x: _Scale, y: _Scale) -> list[tuple[float, float]]:
    """One point per pixel column, so the staircase is exact at screen resolution."""
    low, high = (float(v) for v in chart.token_range)
    points: list[tuple[float, float]] = []
    start, end = int(x(low)), math.ceil(x(high))
    span = math.log10(x.high) - math.log10(x.low)
    for px in range(start, end + 1):
        tokens = 10 ** (math.log10(x.low) + (px - x.start) / (x.end - x.start) * span)
        tokens = min(max(tokens, low), high)
        py = y(float(chart.selfhost_cost(Decimal(repr(tokens)))))
        if points and points[-1][1] != py:
            points.append((px, points[-1][1]))
        points.append((px, py))
    return points


def _legend(f: Frame) -> list[str]:
    top, left = f.top - 14, f.left
    return [
        f'<line class="series api" x1="{left}" y1="{top}" x2="{left + 24}" y2="{top}"/>',
        f'<text class="legend" x="{left + 30}" y="{top}" dominant-baseline="middle">API</text>',
        f'<line class="series selfhost" x1="{left + 80}" y1="{top}" x2="{left + 104}" y2="{top}"/>',
        f'<text class="legend" x="{left + 110}" y="{top}" dominant-baseline="middle">'
        "Self-hosted</text>",
    ]


def _inputs(chart: BreakevenChart) -> str:
    """What the chart is computed from: its parameters, the arithmetic, the cited rows."""
    given = ", ".join(
        f"<code>{escape(k)}={escape(v)}</code>" for k, v in chart.inputs.items() if k != "title"
    )
    steps = "".join(f"<li>{escape(step)}</li>" for r in chart.results for step in r.steps)
    facts = "".join(
        f'<li><a href="{escape(f.url)}" rel="noopener">{escape(urlsplit(f.url).hostname or f.url)}'
        f'</a> · {escape(f.table)}/{escape(f.id)} · <time datetime="{f.date}">{f.date}</time>'
        f" · {escape(f.confidence)} confidence</li>"
        for f in chart.facts
    )
    return (
        '<details class="chart-inputs"><summary>Chart inputs and sources</summary>'
        f"<p>Computed from {given}.</p>"
        + (f'<ol class="calc-steps">{steps}</ol>' if steps else "")
        + (f'<ul class="calc-facts">{facts}</ul>' if facts else "")
        + "</details>"
    )


def _table(chart: BreakevenChart, locale: str) -> str:
    rows = "".join(
        f"<tr><td>{escape(fmt.tokens(t, locale))}</td>"
        f"<td>{escape(fmt.money(chart.api_cost(t), chart.currency, locale))}</td>"
        f"<td>{escape(fmt.money(chart.selfhost_cost(t), chart.currency, locale))}</td></tr>"
        for t in chart.sample_points()
    )
    return (
        "<details><summary>Chart data</summary><table><thead><tr>"
        '<th scope="col">Tokens per month</th><th scope="col">API</th>'
        '<th scope="col">Self-hosted</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></details>"
    )
