"""Charts as inline SVG figures with a caption, a data table and their inputs.

Hand-written SVG rather than a plotting library: a chart is a few lines on log or linear
axes, must be byte-identical between builds, needs no JavaScript and must carry its own
accessible title, description and table.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from babel import Locale
from babel.numbers import format_compact_currency, parse_pattern

from citeguide.content.charts import READER_NUMBER, data_rows, describe, show_x
from citeguide.costcore import format as fmt
from citeguide.costcore.display import display_spec, field_unit
from citeguide.costcore.series import ModelChart
from citeguide.render.input_rows import StaleBadges, no_stale, row_html
from citeguide.text.case import sentence_start


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


WIDE = Frame("", 640, 360, 72, 44, 28, 56, 1, "{unit}{scale}")
NARROW = Frame("-narrow", 360, 400, 74, 22, 30, 56, 2, "{unit}{scale}")
CHAR_WIDTH = 7.2
"""Rough width of one character of a 13 px bold label, to keep labels inside the plot."""
LINE = 16
"""Line height of a label broken over two lines."""


class _Scale:
    """Log scale from [low, high] (whole decades), or linear (nice steps), onto pixels."""

    def __init__(self, low: float, high: float, start: float, end: float, log: bool) -> None:
        self.log, self.start, self.end = log, start, end
        if log:
            low = max(low, 1e-12)
            self.low = 10 ** math.floor(math.log10(low))
            self.high = 10 ** math.ceil(math.log10(max(high, low)))
            if self.high <= self.low:
                self.high = self.low * 10
        else:
            step = _nice_step(low, high)
            self.low = math.floor(min(low, 0 if low >= 0 else low) / step) * step
            self.high = math.ceil(high / step) * step
            if self.high <= self.low:
                self.high = self.low + step
            self.step = step

    def __call__(self, value: float) -> float:
        if self.log:
            span = math.log10(self.high) - math.log10(self.low)
            share = (math.log10(max(value, self.low)) - math.log10(self.low)) / span
        else:
            share = (value - self.low) / (self.high - self.low)
        return self.start + share * (self.end - self.start)

    def ticks(self) -> list[float]:
        if self.log:
            first, last = round(math.log10(self.low)), round(math.log10(self.high))
            return [10.0**e for e in range(first, last + 1)]
        count = round((self.high - self.low) / self.step)
        return [self.low + i * self.step for i in range(count + 1)]


def _nice_step(low: float, high: float) -> float:
    span = max(high - min(low, 0), 1e-12)
    raw = span / 5
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for nice in (1.0, 2.0, 2.5, 5.0, 10.0):
        if nice * magnitude >= raw:
            return float(nice * magnitude)
    return float(10 * magnitude)


def _num(value: float) -> str:
    return f"{value:.1f}"


def render_chart(
    chart: ModelChart, chart_id: str, locale: str, badges: StaleBadges = no_stale
) -> str:
    """A `<figure>` holding the SVG (a wide and a narrow layout), its data table, its
    inputs and sources (`badges`: each row's stale badge), and its caption."""
    return "\n".join(
        [
            f'<figure class="chart" id="{chart_id}">',
            _svg(chart, chart_id, locale, WIDE),
            _svg(chart, chart_id, locale, NARROW),
            _table(chart, locale),
            _inputs(chart, badges),
            _whatif(chart, chart_id, locale),
            # A figcaption must be the first or last child of its figure.
            f"<figcaption><strong>{escape(chart.title)}.</strong> "
            f"{escape(describe(chart, locale))}</figcaption>",
            "</figure>",
        ]
    )


def _tick(chart: ModelChart, value: float, locale: str, axis: str, digits: int = 0) -> str:
    """A tick's label; `digits`: the decimals an axis of compact amounts needs."""
    number = Decimal(repr(value))
    if axis == "x":
        if chart.x_style == "count":
            return fmt.count(number.quantize(Decimal(1)), locale).replace(" thousand", "k")
        return fmt.significant(number, 3, locale)
    code = chart.y_unit.currency
    if chart.style == "money" and code is not None and code != "money":
        return str(format_compact_currency(value, code, locale=locale, fraction_digits=digits))
    if chart.style == "count":
        return fmt.count(number.quantize(Decimal(1)), locale).replace(" thousand", "k")
    return fmt.significant(number, 3, locale)


def _compact_digits(chart: ModelChart, ticks: list[float], locale: str) -> int:
    """The fewest decimals that write every tick of a money axis exactly: ticks 500 apart
    read `$1K`, `$1.5K`, `$2K`, where the default of none wrote `$1K`, `$2K`, `$2K`."""
    code = chart.y_unit.currency
    if chart.style != "money" or code is None or code == "money":
        return 0

    def labels(digits: int) -> list[str]:
        return [str(format_compact_currency(t, code, locale=locale, fraction_digits=digits))
                for t in ticks]  # fmt: skip

    exact = labels(3)  # ticks are nice numbers: three decimals of a thousand write any
    return next((d for d in range(3) if labels(d) == exact), 3)


def _svg(chart: ModelChart, chart_id: str, locale: str, f: Frame) -> str:
    ys = [float(y) for line in chart.lines for _, y in line.points]
    x = _Scale(float(chart.low), float(chart.high), f.left, f.width - f.right, chart.log)
    y_log = chart.log and min(ys) > 0
    y = _Scale(min(ys), max(ys), f.height - f.bottom, f.top, y_log)
    ident = chart_id + f.suffix
    layout = "chart-narrow" if f.suffix else "chart-wide"
    parts = [
        f'<svg class="chart-svg {layout}" viewBox="0 0 {f.width} {f.height}" role="img" '
        f'data-frame=\'{{"left":{f.left},"right":{f.right},"top":{f.top},'
        f'"bottom":{f.bottom}}}\' '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(chart.title)}</title>',
        f'<desc id="{ident}-desc">{escape(describe(chart, locale))}</desc>',
    ]
    bottom = f.height - f.bottom
    ticks = x.ticks()
    for i, tick in enumerate(ticks):
        px = _num(x(tick))
        parts.append(f'<line class="grid" x1="{px}" y1="{f.top}" x2="{px}" y2="{bottom}"/>')
        if i % f.label_every == 0:
            # The outermost labels align with the plot's edges instead of overhanging them.
            anchor = "start" if i == 0 else "end" if i == len(ticks) - 1 else "middle"
            parts.append(
                f'<text class="tick" x="{px}" y="{bottom + 18}" '
                f'text-anchor="{anchor}">{escape(_tick(chart, tick, locale, "x"))}</text>'
            )
    y_ticks = y.ticks()
    digits = _compact_digits(chart, y_ticks, locale)
    for i, tick in enumerate(y_ticks):
        py = _num(y(tick))
        parts.append(
            f'<line class="grid grid-y" x1="{f.left}" y1="{py}" x2="{f.width - f.right}" '
            f'y2="{py}"/>'
        )
        if i % f.label_every == 0:
            label = escape(_tick(chart, tick, locale, "y", digits))
            parts.append(
                f'<text class="tick tick-y" x="{f.left - 6}" y="{py}" text-anchor="end" '
                f'dominant-baseline="middle">{label}</text>'
            )
    x_words = chart.x_unit.text(plural=True)
    x_title = sentence_start(chart.x_label)
    if x_words.lower() != chart.x_label.lower():  # `Seats`, not `Seats (seats)`
        x_title += f" ({x_words}" + (", log scale)" if chart.log else ")")
    elif chart.log:
        x_title += " (log scale)"
    y_title = f.y_title.format(unit=chart.y_unit.text(plural=True),
                               scale=(" (log scale)" if not f.suffix else " (log)") if y_log
                               else "")  # fmt: skip
    parts.append(
        f'<text class="axis" x="{(f.left + f.width - f.right) / 2}" y="{f.height - 12}" '
        f'text-anchor="middle">{escape(x_title)}</text>'
    )
    parts.append(
        f'<text class="axis" transform="translate(14 {(f.top + bottom) / 2}) rotate(-90)" '
        f'text-anchor="middle">{escape(y_title)}</text>'
    )
    for i, line in enumerate(chart.lines):
        points = [(x(float(px)), y(float(py))) for px, py in line.points]
        parts.append(f'<path class="series s{i}" d="{_path(points)}"/>')
    if chart.crossings:
        cross = chart.crossings[0]
        cx, cy = x(float(cross.x)), y(float(cross.y))
        word = "Breakeven" if chart.kind == "breakeven" else "Cross"
        lines = [f"{word}: {show_x(chart, cross.x, locale)}"]
        # Beside the point, on the side with more room, kept inside the plot area.
        left = cx > f.width / 2
        room = cx - 10 - (f.left + 4) if left else f.width - f.right - (cx + 10)
        if len(lines[0]) * CHAR_WIDTH > room:
            # Too long for its side (a phone): on two lines, so that it does not run past the
            # point over the series it labels.
            lines = [f"{word}:", show_x(chart, cross.x, locale)]
        wide = max(len(line) for line in lines) * CHAR_WIDTH
        start = cx - 10 - wide if left else cx + 10
        start = max(f.left + 4, min(start, f.width - f.right - wide))
        ly = cy - 12 if cy - 12 > f.top + 10 else cy + 20
        parts.append(f'<circle class="crossover" cx="{_num(cx)}" cy="{_num(cy)}" r="5"/>')
        text = escape(lines[0])
        if len(lines) > 1:
            text = "".join(
                f'<tspan x="{_num(start)}" dy="{0 if i == 0 else LINE}">{escape(line)}</tspan>'
                for i, line in enumerate(lines)
            )
        parts.append(
            f'<text class="crossover-label" x="{_num(start)}" '
            f'y="{_num(ly - LINE * (len(lines) - 1))}" text-anchor="start">{text}</text>'
        )
    parts += _legend(chart, f)
    parts.append("</svg>")
    return "\n".join(parts)


def _path(points: list[tuple[float, float]]) -> str:
    return "M" + " L".join(f"{_num(px)} {_num(py)}" for px, py in points)


def _legend(chart: ModelChart, f: Frame) -> list[str]:
    top, left = f.top - 14, f.left
    out = []
    for i, line in enumerate(chart.lines):
        out += [
            f'<line class="series s{i}" x1="{left}" y1="{top}" x2="{left + 24}" y2="{top}"/>',
            f'<text class="legend" x="{left + 30}" y="{top}" dominant-baseline="middle">'
            f"{escape(line.label)}</text>",
        ]
        left += 40 + int(len(line.label) * CHAR_WIDTH)
    return out


def _inputs(chart: ModelChart, badges: StaleBadges) -> str:
    """What the chart is computed from: each line's model and parameters, the arithmetic
    at the start of the range, the cited rows."""
    given = "; ".join(
        f"{escape(line.label)}: <code>{escape(line.model)}</code> "
        + " ".join(f"<code>{escape(k)}={escape(v)}</code>" for k, v in line.params.items())
        for line in chart.lines
    )
    steps = "".join(f"<li>{escape(step)}</li>" for r in chart.results for step in r.steps)
    facts = "".join(row_html(f, badges) for f in chart.facts)
    return (
        '<details class="chart-inputs"><summary>Chart inputs and sources</summary>'
        f"<p>Computed from {given}, along <code>{escape(chart.x_param)}</code>.</p>"
        + (f'<ol class="calc-steps">{steps}</ol>' if steps else "")
        + (f'<ul class="calc-facts">{facts}</ul>' if facts else "")
        + "</details>"
    )


def _table(chart: ModelChart, locale: str) -> str:
    head = "".join(f'<th scope="col">{escape(line.label)}</th>' for line in chart.lines)
    # Each row's x, exact, for whatif.js to fill the row with a reader's numbers.
    rows = "".join(
        f'<tr data-x="{format(x.normalize(), "f")}"><td>{escape(x_text)}</td>'
        + "".join(f"<td>{escape(y)}</td>" for y in ys)
        + "</tr>"
        for x, x_text, ys in data_rows(chart, locale)
    )
    return (
        "<details><summary>Chart data</summary><table><thead><tr>"
        f'<th scope="col">{escape(sentence_start(chart.x_label))}</th>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></details>"
    )


def _whatif(chart: ModelChart, chart_id: str, locale: str) -> str:
    """The chart's "try your own numbers" form: each line's numbers, redrawn in the page
    by whatif.js from the same models (hidden until the script has its data)."""
    fields = []
    for i, line in enumerate(chart.lines):
        # Each number's unit as the figures' forms write it beside their fields: `%`.
        units = {p.name: p.unit for p in line.first.params} if line.first else {}
        for key, value in line.params.items():
            if not READER_NUMBER.fullmatch(value):
                continue  # rows, flags and currencies stay as the author set them
            shown = field_unit(units.get(key) or "")
            after = f' <span class="unit">{escape(shown)}</span>' if shown else ""
            fields.append(
                f'<label class="whatif-field"><span>{escape(line.label)}: '
                f"{escape(line.labels.get(key, key))}</span> "
                f'<input type="text" name="l{i}.{escape(key)}" value="{escape(value)}" '
                f'inputmode="decimal" autocomplete="off" spellcheck="false">{after}</label>'
            )
    if not fields:
        return ""
    # What whatif.js needs to describe the redrawn lines and write their y axis as
    # `describe` and `_tick` do (the x axis and its ends stay the guide's).
    code = chart.y_unit.currency
    compact = (
        _compact_spec(code, locale)
        if chart.style == "money" and code not in (None, "money")
        else None
    )
    spec = {
        "x": chart.x_param,
        "xs": [format(x.normalize(), "f") for x, _ in chart.lines[0].points],
        "lines": [{"model": line.model, "params": line.params} for line in chart.lines],
        "labels": [line.label for line in chart.lines],
        "log": chart.log,
        "kind": chart.kind,
        "x_ends": [show_x(chart, chart.low, locale), show_x(chart, chart.high, locale)],
        "x_shown": {"style": chart.x_style, "digits": 3, "display": display_spec(chart.x_unit)},
        "y_ticks": {"style": chart.style, "compact": compact},
    }
    data = json.dumps(spec, separators=(",", ":")).replace("</", "<\\/")
    return (
        f'<form class="whatif-chart" data-chart="{chart_id}"><fieldset disabled>'
        "<legend>Try your own numbers</legend>"
        + "".join(fields)
        + '<p class="whatif-result"><output aria-live="polite"></output> '
        '<button type="button" class="whatif-reset">Reset to the guide\'s inputs</button></p>'
        f'<script type="application/json">{data}</script></fieldset></form>'
    )


def _compact_spec(code: str, locale: str) -> dict[str, object]:
    """How babel's `format_compact_currency` writes an amount in `code` (`_tick`), as data
    for whatif.js: from the largest magnitude down, the divisor (none: written whole) and
    the text either side of the number for one, other and negative amounts; and either
    side of an amount below every magnitude. Read off babel's own output, so that the
    script writes what this module writes."""
    formats = Locale.parse(locale).compact_currency_formats["short"]

    def around(amount: int, shown: str) -> list[str]:
        text = str(format_compact_currency(amount, code, locale=locale))
        at = text.index(shown)
        return [text[:at], text[at + len(shown) :]]

    steps: list[dict[str, str | list[str]]] = []
    for magnitude in sorted((int(m) for m in formats["other"]), reverse=True):
        pattern = parse_pattern(formats["other"][str(magnitude)]).pattern
        if pattern == "0":
            steps.append({"m": str(magnitude), "div": ""})
            continue
        div = magnitude // 10 ** (pattern.count("0") - 1)
        n = magnitude // div
        step: dict[str, str | list[str]] = {"m": str(magnitude), "div": str(div)}
        step["other"] = around(2 * magnitude, str(2 * n))
        step["neg"] = around(-2 * magnitude, str(2 * n))
        if (one := around(magnitude, str(n))) != step["other"]:
            step["one"] = one
        steps.append(step)
    return {"steps": steps, "plain": around(5, "5"), "neg": around(-5, "5")}
