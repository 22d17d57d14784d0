"""Tornado charts: how far each ranged input alone moves one figure.

    ```chart tornado
    title = What moves the payback most
    figure = payback scop=ashp-eoh-spread heat_pump_cost=ashp-install-mcs-range ...
    ```

Each bar is one ranged input taken from its low to its high while every other range
stays at its midpoint (the figure's `drivers`); the widest bar is on top. The vertical
line is the figure with every range at its midpoint. Hand-written SVG like the line
charts: a wide and a narrow layout, a title, a description and a data table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from citeguide.content.charts import Tornado, describe_tornado
from citeguide.render.input_rows import StaleBadges, no_stale, row_html


def _fit(text: str, width: int) -> str:
    """Cut a label to what a layout's row holds (the data table has it whole)."""
    room = int(width / 7.2)
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


@dataclass(frozen=True)
class _Layout:
    suffix: str
    width: int
    side: int
    row: int
    top: int
    bottom: int


WIDE = _Layout("", 640, 8, 46, 8, 24)
NARROW = _Layout("-narrow", 360, 4, 48, 8, 24)


def render_tornado(
    chart: Tornado, chart_id: str, locale: str, badges: StaleBadges = no_stale
) -> str:
    """A `<figure>` with the SVG (wide and narrow layouts), data table, inputs, caption."""
    return "\n".join(
        [
            f'<figure class="chart chart-tornado" id="{chart_id}">',
            _svg(chart, chart_id, locale, WIDE),
            _svg(chart, chart_id, locale, NARROW),
            _table(chart, locale),
            _inputs(chart, badges),
            f"<figcaption><strong>{escape(chart.title)}.</strong> "
            f"{escape(describe_tornado(chart, locale))}</figcaption>",
            "</figure>",
        ]
    )


def _svg(chart: Tornado, chart_id: str, locale: str, f: _Layout) -> str:
    low, high = (float(v) for v in chart.span)
    if high <= low:
        high = low + 1.0
    left, right = f.side, f.width - f.side
    # The bars keep clear of the edges by the width of their end labels.
    room = max(len(chart.show(v, locale)) for b in chart.bars for v in (b.low, b.high))
    inner_left, inner_right = left + room * 7.2 + 8, right - room * 7.2 - 8

    def x(value: Decimal | float) -> float:
        return inner_left + (float(value) - low) / (high - low) * (inner_right - inner_left)

    legend_h = 24
    height = f.top + legend_h + f.row * len(chart.bars) + f.bottom
    ident = chart_id + f.suffix
    layout = "chart-narrow" if f.suffix else "chart-wide"
    centre = x(chart.result.value)
    parts = [
        f'<svg class="chart-svg {layout}" viewBox="0 0 {f.width} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(chart.title)}</title>',
        f'<desc id="{ident}-desc">{escape(describe_tornado(chart, locale))}</desc>',
        f'<rect class="bar bar-low" x="{left}" y="{f.top}" width="12" height="12"/>',
        f'<text class="tick" x="{left + 18}" y="{f.top + 10}">Input at its low end</text>',
        f'<rect class="bar bar-high" x="{left + 170}" y="{f.top}" width="12" height="12"/>',
        f'<text class="tick" x="{left + 188}" y="{f.top + 10}">at its high end</text>',
    ]
    first_top = f.top + legend_h
    for i, bar in enumerate(chart.bars):
        top = first_top + i * f.row
        label_y, bar_y = top + 12, top + 20
        parts.append(f'<text class="legend" x="{left}" y="{label_y}">'
                     f"{escape(_fit(bar.label, right - left))}</text>")  # fmt: skip
        for end, cls in ((bar.low, "bar-low"), (bar.high, "bar-high")):
            a, b = sorted((centre, x(end)))
            parts.append(f'<rect class="bar {cls}" x="{a:.1f}" y="{bar_y}" '
                         f'width="{max(b - a, 1.0):.1f}" height="16"/>')  # fmt: skip
        parts.append(f'<line class="tornado-mid" x1="{centre:.1f}" y1="{bar_y - 3}" '
                     f'x2="{centre:.1f}" y2="{bar_y + 19}"/>')  # fmt: skip
        # Both ends as the description and the data table write them (`13.4`, `13.0`).
        low_text, high_text = chart.ends(bar, locale)
        first, last = sorted(((x(bar.low), low_text), (x(bar.high), high_text)))
        for (px, text), dx, anchor in ((first, -4, "end"), (last, 4, "start")):
            shown = escape(text)
            parts.append(f'<text class="tick" x="{px + dx:.1f}" y="{bar_y + 12}" '
                         f'text-anchor="{anchor}">{shown}</text>')  # fmt: skip
    bottom = first_top + f.row * len(chart.bars)
    text = f"Every range at its midpoint: {chart.show(chart.result.value, locale)}"
    half = len(text) * 3.9
    at, anchor = centre, "middle"
    if centre - half < left:
        at, anchor = left, "start"
    elif centre + half > right:
        at, anchor = right, "end"
    parts.append(f'<text class="axis" x="{at:.1f}" y="{bottom + 14}" '
                 f'text-anchor="{anchor}">{escape(text)}</text>')  # fmt: skip
    parts.append("</svg>")
    return "\n".join(parts)


def _table(chart: Tornado, locale: str) -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape(b.label)}</th><td>{escape(low)}</td>'
        f"<td>{escape(high)}</td></tr>"
        for b in chart.bars
        for low, high in [chart.ends(b, locale)]
    )
    return (
        "<details><summary>Chart data</summary><table><thead><tr>"
        '<th scope="col">Input</th><th scope="col">With the input at its low end</th>'
        '<th scope="col">With the input at its high end</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></details>"
    )


def _inputs(chart: Tornado, badges: StaleBadges) -> str:
    given = " ".join(f"<code>{escape(k)}={escape(v)}</code>" for k, v in chart.params.items())
    steps = "".join(f"<li>{escape(step)}</li>" for step in chart.result.steps)
    facts = "".join(row_html(f, badges) for f in chart.result.sources)
    return (
        '<details class="chart-inputs"><summary>Chart inputs and sources</summary>'
        f"<p>Computed from <code>{escape(chart.model)}</code> {given}: each bar takes one "
        "ranged input from its low to its high end, every other range at its midpoint.</p>"
        + (f'<ol class="calc-steps">{steps}</ol>' if steps else "")
        + (f'<ul class="calc-facts">{facts}</ul>' if facts else "")
        + "</details>"
    )
