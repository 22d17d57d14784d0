"""Charts: any models over one parameter, crossings, accessible SVG, a golden rendering,
and the breakeven chart as one instance."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from citeguide.config import SiteConfig
from citeguide.content.models import load_library
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.quantities import CalcError
from citeguide.costcore.series import ModelChart, breakeven_lines, model_chart, parse_lines
from citeguide.diagnostics import Diagnostics
from citeguide.render.body import render_body
from citeguide.render.chart import render_chart
from citeguide.render.markdown_twin import markdown_body
from citeguide.text.case import sentence_start
from conftest import fixture_library

TABLES = fixture_library()
GOLDEN = Path(__file__).parent.parent / "fixtures" / "breakeven_chart.html"
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


def breakeven(params: dict[str, str]) -> ModelChart:
    settings, lines = breakeven_lines(params)
    chart = model_chart(settings, lines, TABLES, locale="en")
    chart.kind = "breakeven"
    return chart


def test_crossing_is_the_breakeven_volume() -> None:
    chart = breakeven(PARAMS)
    # two GPUs: 2 × $3.99 × 730 h = $5,825.40 a month ÷ $2 per 1M tokens = 2.9127 billion
    assert len(chart.crossings) == 1
    assert abs(chart.crossings[0].x - Decimal("5825.4") / 2 * 10**6) <= 1
    assert [chart.lines[c].label for c in (chart.crossings[0].a, chart.crossings[0].b)] == [
        "API", "Self-hosted",
    ]  # fmt: skip


def test_selfhost_steps_up_a_whole_set_when_its_output_capacity_runs_out() -> None:
    # The measured pair at half use serves 4,205 × 3,600 × 730 × 0.5 output tokens; at the
    # default mix a quarter of the tokens are output, so one pair serves 4× that volume.
    output = Decimal(4205) * 3600 * 730 / 2
    volume = output * 4
    host = {k: v for k, v in PARAMS.items() if k not in ("title", "from", "to", "model")}

    def cost(tokens: Decimal) -> Decimal:
        params = {**host, "tokens": format(tokens, "f")}
        return evaluate("selfhost_for_volume", params, TABLES).value

    assert cost(volume) == Decimal("5825.4")
    assert cost(volume + 4) == Decimal("11650.8")
    assert cost(volume * 10) == Decimal("58254")


def test_single_stream_never_crosses() -> None:
    chart = breakeven({**PARAMS, "tokens_per_second": "llama-70b-fp8-h100-single-stream"})
    assert chart.crossings == []
    html = render_chart(chart, "chart-1", "en")
    assert "never cross" in html
    assert 'class="crossover"' not in html


def test_without_throughput_the_selfhost_line_is_flat() -> None:
    params = {k: v for k, v in PARAMS.items() if k not in ("tokens_per_second", "utilisation")}
    chart = breakeven(params)
    assert {y for _, y in chart.lines[1].points} == {Decimal("5825.4")}


def test_table_points_are_one_two_five_per_decade() -> None:
    chart = breakeven({**PARAMS, "from": "1M", "to": "100M"})
    assert [int(p) for p in chart.table_points()] == [
        1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 50_000_000, 100_000_000,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("params", "param"),
    [({"model": "claude-haiku-4.5", "colour": "red"}, "colour"),
     ({**PARAMS, "from": "10M", "to": "1M"}, "to")],
)  # fmt: skip
def test_bad_chart_parameters(params: dict[str, str], param: str) -> None:
    with pytest.raises(CalcError) as caught:
        breakeven(params)
    assert caught.value.param == param


def test_svg_is_well_formed_and_accessible() -> None:
    html = render_chart(breakeven(PARAMS), "chart-1", "en")
    # The what-if form is HTML (void <input>s), the rest of the figure is well-formed XML.
    start, end = html.index('<form class="whatif-chart"'), html.index("</form>") + 7
    assert 'name="l1.gpus" value="2"' in html[start:end]
    figure = ET.fromstring(html[:start] + html[end:])
    svg = figure.find("{http://www.w3.org/2000/svg}svg")
    assert svg is not None
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-1-title chart-1-desc"
    title = svg.find("{http://www.w3.org/2000/svg}title")
    assert title is not None
    assert title.text == "Haiku against pairs of rented H100s"
    desc = svg.find("{http://www.w3.org/2000/svg}desc")
    assert desc is not None
    assert "They cross at 2.91 billion tokens" in (desc.text or "")
    rows = figure.findall(".//tbody/tr")
    assert len(rows) == 14  # 10M … 100B at 1-2-5, plus the crossing
    assert "Breakeven: 2.91 billion tokens" in html


def test_golden_svg() -> None:
    html = render_chart(breakeven(PARAMS), "chart-1", "en")
    if os.environ.get("CITEGUIDE_UPDATE_GOLDEN"):
        GOLDEN.write_text(html, encoding="utf-8")
    assert html == GOLDEN.read_text(encoding="utf-8")


def test_chart_shows_its_inputs_steps_and_sources() -> None:
    html = render_chart(breakeven(PARAMS), "chart-1", "en")
    inputs = html[html.index('<details class="chart-inputs">') :]
    assert "<code>tokens_per_second=llama-3.3-70b-fp8-2xh100</code>" in inputs
    assert "<code>gpus=2</code>" in inputs
    assert "$3.99/GPU/h × 2 GPUs × 730 h/month = $5,825.40/month" in inputs
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
    guide, diags = parse_guide("content/guides/t.md", text, today=TODAY, library=TABLES)
    assert guide is not None, diags.render()
    row = (
        "- throughput/llama-3.3-70b-fp8-2xh100: <https://github.com/NVIDIA/TensorRT-LLM/blob/main/"
        "docs/source/performance/perf-overview.md> (2026-11-01, high confidence"
    )
    body = markdown_body(guide, "en")
    assert "`gpus=2`" in body
    assert row + ")" in body
    # The renderer knows which rows are stale (the site's budgets): said in place.
    stale = markdown_body(guide, "en", {("throughput", "llama-3.3-70b-fp8-2xh100")})
    assert row + ", stale)" in stale
    assert "<!--" not in stale
    assert "API and Self-hosted cross at 2.91 billion tokens ($5,825)." in body


TARIFF_MODEL = """\
yearly_cost:
  title: Yearly cost of a tariff
  unit: GBP/year
  params:
    demand: {unit: kWh/year, min: 0, label: energy used a year}
    rate: {unit: GBP/kWh, min: 0, label: unit rate}
    standing: {unit: GBP/year, min: 0, label: standing charge}
  formula: demand * rate + standing
"""


def test_any_models_cross_on_a_linear_axis(tmp_path: Path) -> None:
    (tmp_path / "content" / "models").mkdir(parents=True)
    (tmp_path / "content" / "models" / "tariffs.yaml").write_text(TARIFF_MODEL)
    diags = Diagnostics()
    lib = load_library(tmp_path, SiteConfig(currency="GBP"), diags)
    assert not diags.items, diags.render()
    lines = parse_lines([
        ("Flat: yearly_cost rate=0.30 standing=100", 5),
        ("Standing-heavy: yearly_cost rate=0.10 standing=500", 6),
    ])  # fmt: skip
    chart = model_chart({"x": "demand", "from": "0", "to": "5000"}, lines, lib, locale="en")
    assert not chart.log
    # 0.30x + 100 = 0.10x + 500 at x = 2,000 kWh a year
    assert len(chart.crossings) == 1
    assert abs(chart.crossings[0].x - 2000) <= Decimal("0.000001")
    html = render_chart(chart, "chart-1", "en")
    assert "Flat and Standing-heavy cross at 2,000 kWh/year (£700)" in html
    assert "Energy used a year (kWh/year)" in html


def test_money_ticks_say_each_amount(tmp_path: Path) -> None:
    """Ticks £500 apart read `£1.5K` (they read `£1K £2K £2K`, compact amounts rounded
    to whole thousands); an axis whose label is its unit is not named twice (`Days`, not
    `Days (days)`)."""
    models = TARIFF_MODEL + (
        "hire:\n  title: Cost of days of hire\n  unit: GBP\n  params:\n"
        "    days: {unit: day, min: 0, label: days}\n    rate: {unit: GBP/day, min: 0}\n"
        "  formula: days * rate\n"
    )
    (tmp_path / "content" / "models").mkdir(parents=True)
    (tmp_path / "content" / "models" / "tariffs.yaml").write_text(models)
    diags = Diagnostics()
    lib = load_library(tmp_path, SiteConfig(currency="GBP"), diags)
    assert not diags.items, diags.render()
    lines = parse_lines([("Flat: yearly_cost rate=0.30 standing=100", 5)])
    chart = model_chart({"x": "demand", "from": "0", "to": "5000"}, lines, lib, locale="en")
    html = render_chart(chart, "chart-1", "en")
    svg = ET.fromstring(html[html.index("<svg") : html.index("</svg>") + 6])
    ticks = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")
             if "tick-y" in (t.get("class") or "")]  # fmt: skip
    assert ticks == ["£0", "£500", "£1K", "£1.5K", "£2K"]  # £100 to £1,600 a year
    lines = parse_lines([("Hire: hire rate=45", 5)])
    chart = model_chart({"x": "days", "from": "0", "to": "10"}, lines, lib, locale="en")
    html = render_chart(chart, "chart-2", "en")
    assert ">Days</text>" in html
    assert "Days (days)" not in html


def test_a_chart_line_of_another_unit_is_refused(tmp_path: Path) -> None:
    lines = parse_lines([("api_cost model=claude-haiku-4.5", 3), ("capacity", 4)])
    with pytest.raises(CalcError) as caught:
        model_chart({"x": "tokens", "from": "1M", "to": "1B"}, lines, TABLES, locale="en")
    assert caught.value.param == "4"  # the offending line's number


def _tariff_guide(tmp_path: Path, fence: str) -> tuple[object, Diagnostics]:
    from citeguide.content.parse import parse_guide
    from conftest import TODAY

    (tmp_path / "content" / "models").mkdir(parents=True, exist_ok=True)
    (tmp_path / "content" / "models" / "tariffs.yaml").write_text(TARIFF_MODEL)
    diags = Diagnostics()
    lib = load_library(tmp_path, SiteConfig(currency="GBP"), diags)
    assert not diags.items, diags.render()
    text = "---\ntitle: T\nsummary: S.\npublished: 2026-01-01\n---\n\nIntro.\n\n" + fence
    return parse_guide("content/guides/t.md", text, today=TODAY, library=lib)


def test_tornado_bars_are_each_inputs_swing_widest_first(tmp_path: Path) -> None:
    fence = (
        "It costs [calc: yearly_cost demand=3000..5000 rate=0.20..0.30 standing=100..120].\n\n"
        "```chart tornado\ntitle = What moves the bill\n"
        "figure = yearly_cost demand=3000..5000 rate=0.20..0.30 standing=100..120\n```\n"
    )
    guide, diags = _tariff_guide(tmp_path, fence)
    assert guide is not None, diags.render()
    [chart] = guide.charts  # type: ignore[attr-defined]
    assert chart.kind == "tornado"
    # Midpoints: 4,000 kWh × £0.25 + £110 = £1,110. Demand alone: 3,000 × 0.25 + 110 = £860
    # to 5,000 × 0.25 + 110 = £1,360 (swing £500); rate alone: £910 to £1,310 (£400);
    # standing alone: £1,100 to £1,120 (£20).
    assert chart.value == 1110
    assert [(b.input, b.low, b.high) for b in chart.bars] == [
        ("demand", 860, 1360), ("rate", 910, 1310), ("standing", 1100, 1120),
    ]  # fmt: skip
    assert [b.label for b in chart.bars] == ["Energy used a year", "Unit rate", "Standing charge"]
    # The same drivers as `citeguide calc --json` gives for the figure.
    lib = load_library(tmp_path, SiteConfig(currency="GBP"), Diagnostics())
    result = evaluate("yearly_cost", {"demand": "3000..5000", "rate": "0.20..0.30",
                                      "standing": "100..120"}, lib)  # fmt: skip
    assert [(d["input"], d["low"], d["high"]) for d in result.as_dict()["drivers"]] == [
        (b.input, b.low, b.high) for b in chart.bars
    ]
    html = render_body(guide, SiteConfig(), {}, {})  # type: ignore[arg-type]
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    # The bars start with a capital; a sentence names the input as a sentence would
    # ("Then, The plan (business)" read as two sentences).
    assert "Moving most, energy used a year: £860 at its low end, £1,360 at its high end." in html
    assert "<td>£1,360</td>" in html  # the data table
    # The figure's tooltip and its entry name the same main driver in the reader's words.
    assert "Moves most with energy used a year: £860 at its low end, £1,360 at its high end" in html
    [calc] = guide.calculations  # type: ignore[attr-defined]
    assert calc.display == "£700–1,620"  # 3,000 × £0.20 + £100 to 5,000 × £0.30 + £120
    assert [d.label for d in calc.drivers] == ["Energy used a year", "Unit rate", "Standing charge"]
    md = markdown_body(guide, "en")  # type: ignore[arg-type]
    assert "| Energy used a year | £860 | £1,360 |" in md
    # The figure as a marker writes it: the chart's title read "Each ranged input of What
    # moves the bill: `yearly_cost` ..." (a stranger test).
    assert (
        "Each ranged input of `yearly_cost` `demand=3000..5000` `rate=0.20..0.30` "
        "`standing=100..120` alone, from its low to its high end" in md
    )


def test_tornado_of_a_figure_without_ranges_is_a_positioned_error(tmp_path: Path) -> None:
    fence = "```chart tornado\nfigure = yearly_cost demand=3000 rate=0.2 standing=100\n```\n"
    _, diags = _tariff_guide(tmp_path, fence)
    [item] = [d for d in diags.items if d.rule == "chart-error"]
    assert "needs a figure with ranged inputs" in item.message
    assert item.pos.line == 10  # the `figure =` line


@pytest.mark.parametrize(
    ("fence", "message"),
    [
        ("```chart tornado\ntitle = T\n```\n", "needs figure = MODEL"),
        (
            "```chart tornado\nfigure = yearly_cost demand=1..2\nx = demand\n```\n",
            "takes title and figure, not x",
        ),
        ("```chart tornado\nfigure = nope demand=1..2\n```\n", "unknown model 'nope'"),
        (
            "```chart tornado\nfigure = yearly_cost demand=1..2\nline = A: yearly_cost\n```\n",
            "draws one figure",
        ),
    ],
)
def test_bad_tornado_blocks(tmp_path: Path, fence: str, message: str) -> None:
    _, diags = _tariff_guide(tmp_path, fence)
    assert any(message in d.message for d in diags.items), diags.render()


def test_an_axis_label_keeps_its_capitals(tmp_path: Path) -> None:
    """A label starting a heading has only its first letter raised: `energy the GPU uses
    a year` read `Energy the gpu uses a year` on the axis and in the data table (and the
    Markdown twin's), `kWh a year` read `Kwh a year` (`str.capitalize` lowered the rest)."""
    models = TARIFF_MODEL.replace("label: energy used a year", "label: energy the GPU uses a year")
    (tmp_path / "content" / "models").mkdir(parents=True)
    (tmp_path / "content" / "models" / "tariffs.yaml").write_text(models)
    diags = Diagnostics()
    lib = load_library(tmp_path, SiteConfig(currency="GBP"), diags)
    assert not diags.items, diags.render()
    lines = parse_lines([("Flat: yearly_cost rate=0.30 standing=100", 5)])
    chart = model_chart({"x": "demand", "from": "0", "to": "5000"}, lines, lib, locale="en")
    html = render_chart(chart, "chart-1", "en")
    assert '<th scope="col">Energy the GPU uses a year</th>' in html
    assert "gpu" not in html
    assert sentence_start("kWh a year") == "kWh a year"


BREAKEVEN_TEAM = """\
breakeven_team:
  title: Team size at which Kubernetes costs no more than one VM
  unit: engineer
  params:
    gap: {unit: USD/month, label: Kubernetes' extra fixed cost}
    saving: {unit: USD/engineer/month, label: saving per engineer}
  formula: gap / saving
"""


def test_a_tornado_writes_both_ends_alike_everywhere(tmp_path: Path) -> None:
    """A stranger's Kubernetes guide: its tornado's description said `cost of an engineer
    hour (us-engineer-2026): 13.4 engineers at its low end, 13.0 engineers at its high
    end`, and the data table beside it, the bar's end label and the Markdown twin's table
    `13.4 engineers | 13 engineers`. Every place writes a bar's two ends as the
    description does (`13.0`)."""
    from citeguide.engine.builder import build_site
    from conftest import TODAY, write_site

    figure = "breakeven_team gap=2600 saving=193.5..200"  # 13.4367… and 13.0
    guide = ("---\ntitle: T\nsummary: S.\npublished: 2026-01-01\n---\n\n## When?\n\n"
             f"```chart tornado\ntitle = What moves it\nfigure = {figure}\n```\n")  # fmt: skip
    root = write_site(tmp_path, {"citeguide.toml": '[units]\ncount = ["engineer"]\n',
                                 "content/models/k8s.yaml": BREAKEVEN_TEAM,
                                 "content/guides/t.md": guide})  # fmt: skip
    result = build_site(root, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    page = (root / "site" / "t" / "index.html").read_text(encoding="utf-8")
    markdown = (root / "site" / "t.md").read_text(encoding="utf-8")
    assert "13.4 engineers at its low end, 13.0 engineers at its high end" in page
    assert "<td>13.4 engineers</td><td>13.0 engineers</td>" in page
    assert 'text-anchor="end">13.0 engineers</text>' in page  # the bar's end
    assert "| Saving per engineer | 13.4 engineers | 13.0 engineers |" in markdown
    assert ">13 engineers<" not in page
    assert "| 13 engineers" not in markdown
