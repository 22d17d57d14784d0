"""The breakeven chart: series, crossover, accessible SVG, and a golden rendering."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from citeguide.costcore.chart import breakeven_chart
from citeguide.costcore.quantities import CalcError
from citeguide.render.chart import render_chart
from test_costcore import TABLES

GOLDEN = Path(__file__).parent / "fixtures" / "breakeven_chart.html"
PARAMS = {
    "title": "Haiku against pairs of rented H100s",
    "model": "claude-haiku-4.5",
    "gpu_hourly": "h100-sxm-rental-high",
    "gpus": "2",
    "tokens_per_second": "llama-3.3-70b-fp8-2xh100",
    "utilisation": "0.5",
    "from": "10M",
    "to": "100B",
}


def test_crossover_is_the_breakeven_volume() -> None:
    chart = breakeven_chart(PARAMS, TABLES, locale="en")
    # two GPUs: 2 × $3.99 × 730 h = $5,825.40 a month ÷ $2 per 1M tokens = 2.91 billion
    assert chart.crossover == Decimal("5825.4") / 2 * 10**6
    # the measured pair at half use: 4,205 tok/s × 3,600 × 730 × 0.5
    assert chart.capacity_per_set == Decimal(4205) * 3600 * 730 / 2


def test_selfhost_steps_up_when_capacity_runs_out() -> None:
    chart = breakeven_chart(PARAMS, TABLES, locale="en")
    capacity = chart.capacity_per_set
    assert capacity is not None
    # it steps up a whole pair at a time
    assert chart.selfhost_cost(capacity) == Decimal("5825.4")
    assert chart.selfhost_cost(capacity + 1) == Decimal("11650.8")
    assert chart.selfhost_cost(capacity * 10) == Decimal("58254")


def test_single_stream_never_crosses() -> None:
    params = {**PARAMS, "tokens_per_second": "llama-70b-fp8-h100-single-stream"}
    chart = breakeven_chart(params, TABLES, locale="en")
    assert chart.crossover is None
    html = render_chart(chart, "chart-1", "en")
    assert "never cross" in html
    assert 'class="crossover"' not in html


def test_without_throughput_the_selfhost_line_is_flat() -> None:
    params = {k: v for k, v in PARAMS.items() if k not in ("tokens_per_second", "utilisation")}
    chart = breakeven_chart(params, TABLES, locale="en")
    assert chart.capacity_per_set is None
    assert chart.selfhost_cost(Decimal("1e11")) == Decimal("5825.4")  # the pair: 2 × $3.99 × 730 h


def test_sample_points_are_one_two_five_per_decade() -> None:
    chart = breakeven_chart({**PARAMS, "from": "1M", "to": "100M"}, TABLES, locale="en")
    assert [int(p) for p in chart.sample_points()] == [
        1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 50_000_000, 100_000_000,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("params", "param"),
    [({"model": "claude-haiku-4.5", "colour": "red"}, "colour"),
     ({**PARAMS, "from": "10M", "to": "20M"}, "to"),
     ({**PARAMS, "selfhost_monthly": "100"}, "selfhost_monthly")],
)  # fmt: skip
def test_bad_chart_parameters(params: dict[str, str], param: str) -> None:
    with pytest.raises(CalcError) as caught:
        breakeven_chart(params, TABLES, locale="en")
    assert caught.value.param == param


def test_svg_is_well_formed_and_accessible() -> None:
    html = render_chart(breakeven_chart(PARAMS, TABLES, locale="en"), "chart-1", "en")
    figure = ET.fromstring(html)
    svg = figure.find("{http://www.w3.org/2000/svg}svg")
    assert svg is not None
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-1-title chart-1-desc"
    title = svg.find("{http://www.w3.org/2000/svg}title")
    assert title is not None
    assert title.text == "Haiku against pairs of rented H100s"
    desc = svg.find("{http://www.w3.org/2000/svg}desc")
    assert desc is not None
    assert "They cross at 2.91 billion tokens a month" in (desc.text or "")
    rows = figure.findall(".//tbody/tr")
    assert len(rows) == 14  # 10M … 100B at 1-2-5, plus the crossover
    assert "Breakeven: 2.91 billion tokens" in html


def test_golden_svg() -> None:
    html = render_chart(breakeven_chart(PARAMS, TABLES, locale="en"), "chart-1", "en")
    if os.environ.get("CITEGUIDE_UPDATE_GOLDEN"):
        GOLDEN.write_text(html, encoding="utf-8")
    assert html == GOLDEN.read_text(encoding="utf-8")


def test_chart_shows_its_inputs_steps_and_sources() -> None:
    chart = breakeven_chart(PARAMS, TABLES, locale="en")
    html = render_chart(chart, "chart-1", "en")
    inputs = html[html.index('<details class="chart-inputs">') :]
    assert "<code>tokens_per_second=llama-3.3-70b-fp8-2xh100</code>" in inputs
    assert "<code>gpus=2</code>" in inputs
    assert "$3.99/GPU-h × 2 GPU × 730 h = $5,825.40" in inputs
    assert "throughput/llama-3.3-70b-fp8-2xh100" in inputs
    # a figcaption must be the figure's first or last child
    assert html.rstrip().endswith("</figcaption>\n</figure>")


def test_markdown_twin_carries_the_chart_inputs() -> None:
    from citeguide.content.parse import parse_guide
    from conftest import TODAY

    fence = "\n".join(f"{k} = {v}" for k, v in PARAMS.items())
    text = (
        "---\ntitle: T\nsummary: S.\npublished: 2026-01-01\n---\n\n"
        f"```chart breakeven\n{fence}\n```\n"
    )
    guide, diags = parse_guide("content/guides/t.md", text, today=TODAY, tables=TABLES)
    assert guide is not None, diags.render()
    assert "`gpus=2`" in guide.body_markdown
    assert (
        "- throughput/llama-3.3-70b-fp8-2xh100: <https://github.com/NVIDIA/TensorRT-LLM/blob/main/"
        "docs/source/performance/perf-overview.md> (2026-11-01, high confidence)"
    ) in guide.body_markdown
