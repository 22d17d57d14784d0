"""A reader tries their own numbers in a rent-or-buy guide's forms and charts (stranger
tests of the "Try your own numbers" forms, round 3).

Found: once a line chart was redrawn with the reader's numbers, its caption still
described the guide's lines and its y axis lost its numbers (or kept the guide's), until
Reset; the Markdown twin headed the chart's data table `deposit_share` where the page
says "Deposit share of the price"; a form's hint read `a row of housing` (the table's
file name); a shared figure link restored the reader's numbers inside a collapsed "How
the numbers were computed", so the recomputed figure was nowhere to be seen; and a
chart whose lines give only rows had no form but loaded the forms' script all the same.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from chromium import CHROMIUM_ARGS, chromium_path, serving
from citeguide.config_file import load_config
from citeguide.content.charts import describe
from citeguide.content.models import load_library
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.library import Library
from citeguide.costcore.series import ModelChart, model_chart, parse_lines
from citeguide.diagnostics import Diagnostics
from citeguide.engine.builder import build_site
from citeguide.render.chart import render_chart
from conftest import TODAY, write_site
from stranger_fixtures import OWNING_MODELS

HOUSING = """\
title: Flat prices, rents and mortgage rates by city
columns:
  city: text
  price: EUR
  rent: EUR/month
  rate: "%"
  upkeep: "%"
rows:
  leipzig:
    city: Leipzig
    price: 260000
    rent: 780
    rate: 3.6
    upkeep: 1.2
    source: https://www.example.org/leipzig-housing-2026
    date: 2026-11-20
    confidence: medium
  graz:
    city: Graz
    price: 310000
    rent: 950.5
    rate: 3.9
    upkeep: 1
    source: https://www.example.org/graz-housing-2026
    date: 2026-11-18
    confidence: medium
"""
FIGURE = """\
---
title: "Rent or buy a flat?"
summary: "Owning costs more."
published: 2026-11-25
---

Owning the flat costs [calc: owning_cost flat=leipzig rate=leipzig] a year.
"""
CHART = """\
---
title: "Does a bigger deposit pay?"
summary: "It depends on the rates."
published: 2026-11-25
---

Owning costs less the more the deposit is, while savings earn less than the loan costs.

```chart
title = Owning cost against the deposit
x = deposit_share
from = 0
to = 60
scale = linear
line = Leipzig: owning_cost flat=leipzig rate=leipzig savings_rate=2.5
line = Graz: owning_cost flat=graz rate=graz savings_rate=-1
```
"""
ROWS = """\
---
title: "Owning in two cities"
summary: "Leipzig costs less."
published: 2026-11-25
---

Owning costs differ by city.

```chart
title = Owning cost against the deposit, by city
x = deposit_share
from = 0
to = 60
scale = linear
line = Leipzig: owning_cost flat=leipzig rate=leipzig
line = Graz: owning_cost flat=graz rate=graz
```
"""
SETTINGS = {"title": "Owning cost against the deposit", "x": "deposit_share", "from": "0",
            "to": "60", "scale": "linear"}  # fmt: skip
READY = "() => document.documentElement.classList.contains('whatif-ready')"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Library]]:
    root = write_site(tmp_path_factory.mktemp("deposit"), {
        "content/data/housing.yaml": HOUSING,
        "content/models/flat.yaml": OWNING_MODELS,
        "content/guides/rent-or-buy.md": FIGURE,
        "content/guides/deposit.md": CHART,
        "content/guides/rows.md": ROWS,
        "citeguide.toml": 'currency = "EUR"\n',
    })  # fmt: skip
    diags = Diagnostics()
    lib = load_library(root, load_config(root), diags)
    assert not diags.has_errors(), diags.render()
    result = build_site(root, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    yield root, lib
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(built: tuple[Path, Library]) -> Iterator[tuple[Browser, str]]:
    with sync_playwright() as p, serving(built[0] / "site") as base:
        instance = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance, base
        instance.close()


@pytest.fixture
def page(browser: tuple[Browser, str]) -> Iterator[tuple[Page, str, list[str]]]:
    context = browser[0].new_context(viewport={"width": 1024, "height": 700})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab, browser[1], errors
    context.close()


def _chart(lib: Library, leipzig: str, graz: str) -> ModelChart:
    """The chart Python draws with these returns on savings."""
    lines = parse_lines([
        (f"Leipzig: owning_cost flat=leipzig rate=leipzig savings_rate={leipzig}", 1),
        (f"Graz: owning_cost flat=graz rate=graz savings_rate={graz}", 2),
    ])  # fmt: skip
    chart = model_chart(SETTINGS, lines, lib, locale="en")
    chart.kind = "models"
    return chart


def _y_axis(html: str) -> list[list[tuple[str, float]]]:
    """Each layout's y tick labels and their heights, as Python draws them."""
    return [
        [(label, float(y)) for y, label in re.findall(
            r'<text class="tick tick-y" x="[^"]+" y="([^"]+)"[^>]*>([^<]*)</text>', svg)]
        for svg in re.findall(r"<svg .*?</svg>", html, flags=re.S)
    ]  # fmt: skip


def _page_y_axis(tab: Page) -> list[list[tuple[str, float]]]:
    return [
        svg.evaluate(
            """(svg) => [...svg.querySelectorAll('.tick-y')]
                 .filter((t) => t.getAttribute('visibility') !== 'hidden')
                 .map((t) => [t.textContent, Number(t.getAttribute('y'))])"""
        )
        for svg in tab.locator("figure.chart svg.chart-svg").all()
    ]


def _caption(tab: Page) -> str:
    return " ".join(tab.locator("figure.chart figcaption").inner_text().split())


def test_a_redrawn_chart_has_the_captions_and_y_axis_of_its_lines(
    page: tuple[Page, str, list[str]], built: tuple[Path, Library]
) -> None:
    """The caption, each SVG's description and the y axis follow the reader's lines, as
    Python would draw the chart with their numbers; Reset puts the guide's back."""
    tab, base, errors = page
    tab.goto(f"{base}/deposit/")
    tab.wait_for_function(READY)
    guides_caption, guides_axis = _caption(tab), _page_y_axis(tab)
    tab.locator('input[name="l0.savings_rate"]').fill("8")
    tab.locator('input[name="l1.savings_rate"]').fill("10")
    mine = _chart(built[1], "8", "10")
    expected = f"{SETTINGS['title']}. {describe(mine, 'en')}"
    assert _caption(tab) == expected
    assert tab.locator("figure.chart svg.chart-wide desc").text_content() == describe(mine, "en")
    axis = _page_y_axis(tab)
    drawn = _y_axis(render_chart(mine, "chart-1", "en"))
    assert [[label for label, _ in layout] for layout in axis] == [
        [label for label, _ in layout] for layout in drawn
    ]
    for layout, python in zip(axis, drawn, strict=True):
        for (_, y), (_, py) in zip(layout, python, strict=True):
            assert abs(y - py) <= 0.1
    assert axis != guides_axis  # the reader's lines reach €20K and more
    assert tab.locator("form.whatif-chart output").inner_text() == (
        "The lines do not cross in this range."
    )
    # Where the reader's lines cross, the caption and the form's result say where, as
    # Python finds it (by hand: Leipzig 12,480 + 11,440 × share, Graz 15,190 − 15,190 ×
    # share, equal at a deposit of 2,710 / 26,630 = 10.2%, €13,644).
    tab.locator('input[name="l1.savings_rate"]').fill("-1")
    mine = _chart(built[1], "8", "-1")
    assert _caption(tab) == f"{SETTINGS['title']}. {describe(mine, 'en')}"
    assert len(mine.crossings) == 1
    assert tab.locator("form.whatif-chart output").inner_text() == (
        "Leipzig and Graz cross at 10.2% (€13,644)"
    )
    assert "Leipzig and Graz cross at 10.2% (€13,644): Leipzig is lower below it" in _caption(tab)
    tab.locator("form.whatif-chart .whatif-reset").click()
    assert _caption(tab) == guides_caption
    assert _page_y_axis(tab) == guides_axis
    assert errors == []


def test_the_guides_own_numbers_redraw_the_guides_chart(
    page: tuple[Page, str, list[str]], built: tuple[Path, Library]
) -> None:
    """Typing the guide's own number back gives the caption and axis Python drew."""
    tab, base, errors = page
    tab.goto(f"{base}/deposit/")
    tab.wait_for_function(READY)
    caption, axis = _caption(tab), _page_y_axis(tab)
    field = tab.locator('input[name="l0.savings_rate"]')
    field.fill("3")
    field.fill("2.5")
    assert _caption(tab) == caption
    assert [[label for label, _ in layout] for layout in _page_y_axis(tab)] == [
        [label for label, _ in layout] for layout in axis
    ]
    assert errors == []


def test_the_markdown_twin_heads_the_chart_data_with_the_parameters_label(
    built: tuple[Path, Library],
) -> None:
    markdown = (built[0] / "site" / "deposit.md").read_text(encoding="utf-8")
    page = (built[0] / "site" / "deposit" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="col">Deposit share of the price</th>' in page
    assert "| Deposit share of the price | Leipzig | Graz |" in markdown
    assert "| deposit_share |" not in markdown


def test_a_rows_hint_names_the_table_in_words(built: tuple[Path, Library]) -> None:
    page = (built[0] / "site" / "rent-or-buy" / "index.html").read_text(encoding="utf-8")
    assert "a row of flat prices, rents and mortgage rates by city, or your own number" in page
    assert "a row of housing" not in page


def test_a_table_without_a_title_is_named_in_words(tmp_path: Path) -> None:
    from citeguide.costcore.table_data import Table

    assert Table("housing", {}).reader_name == "the housing table"
    assert Table("api_prices", {}).reader_name == "the api prices table"
    titled = Table("housing", {}, title="Flat prices by city")
    assert titled.reader_name == "Flat prices by city"


def test_a_shared_figure_link_opens_the_figures_steps(
    page: tuple[Page, str, list[str]], built: tuple[Path, Library]
) -> None:
    """The link restores the reader's numbers and shows them: "How the numbers were
    computed" open, the figure's entry scrolled into view with its steps recomputed."""
    tab, base, errors = page
    html = (built[0] / "site" / "rent-or-buy" / "index.html").read_text(encoding="utf-8")
    calc = re.findall(r'<form class="whatif" data-model="owning_cost" data-calc="([^"]+)"', html)[0]
    tab.goto(f"{base}/rent-or-buy/#w.{calc}.savings_rate=6")
    tab.wait_for_function(READY)
    expected = evaluate("owning_cost", {"flat": "leipzig", "rate": "leipzig",
                                        "savings_rate": "6"}, built[1])  # fmt: skip
    assert tab.locator("#calculations details.apparatus-details").evaluate("(d) => d.open")
    steps = tab.locator(f"li#{calc} ol.calc-steps")
    assert steps.locator("li").all_inner_texts() == expected.steps
    tab.wait_for_function(
        """(id) => { const r = document.getElementById(id).getBoundingClientRect();
                     return r.top > -2 && r.top < window.innerHeight; }""",
        arg=calc,
    )
    assert tab.locator("a.calc-value").inner_text() == expected.display
    assert errors == []


def test_a_plain_page_stays_closed(page: tuple[Page, str, list[str]]) -> None:
    tab, base, errors = page
    tab.goto(f"{base}/rent-or-buy/")
    tab.wait_for_function(READY)
    assert not tab.locator("#calculations details.apparatus-details").evaluate("(d) => d.open")
    assert tab.evaluate("() => window.scrollY") == 0
    assert errors == []


def test_a_chart_of_rows_only_promises_no_form(built: tuple[Path, Library]) -> None:
    """Its lines name their rows (`Leipzig`), so a reader's other rows would make the
    legend, caption and table wrong: no form, and no forms' script either."""
    page = (built[0] / "site" / "rows" / "index.html").read_text(encoding="utf-8")
    assert 'class="chart"' in page
    assert "whatif" not in page
    assert "Try your own numbers" not in page


TICKS = [0, 0.5, 1, 2.5, 5, 20, 100, 250, 500, 1000, 1500, 2000, 2500, 10000, 12500, 25000,
         100000, 150000, 999999, 1000000, 2500000, 1e9, 1.5e10, 1e12, -500, -1500, -2e6,
         0.30000000000000004, 1e-7]  # fmt: skip


@pytest.mark.parametrize("locale", ["en", "en_GB", "de", "fr", "ja", "hi", "sv"])
def test_a_redrawn_axis_writes_its_numbers_as_python_does(
    page: tuple[Page, str, list[str]], locale: str
) -> None:
    """whatif.js's y tick labels against render/chart.py's: babel's compact amounts
    (`€1.5K`, `1,5 Mio. €`), counts and plain numbers, at every number of decimals."""
    from decimal import Decimal

    from babel.numbers import format_compact_currency

    from citeguide.costcore import format as fmt
    from citeguide.costcore.format import locale_data
    from citeguide.render.chart import _compact_spec

    tab, base, errors = page
    tab.goto(f"{base}/deposit/")
    tab.wait_for_function(READY)
    data = locale_data(locale, {"EUR"})
    money = {"style": "money", "compact": _compact_spec("EUR", locale)}
    script = """([values, y, L]) => [0, 1, 2, 3].map((d) => values.map(
        (v) => window.citeguideWhatif.format.tickLabel(v, y, d, L)))"""
    got = tab.evaluate(script, [TICKS, money, data])
    assert got == [
        [str(format_compact_currency(v, "EUR", locale=locale, fraction_digits=d)) for v in TICKS]
        for d in range(4)
    ]
    plain = tab.evaluate(script, [TICKS, {"style": "number", "compact": None}, data])[0]
    assert plain == [fmt.significant(Decimal(repr(v)), 3, locale) for v in TICKS]
    whole = [v for v in TICKS if v >= 0]
    counts = tab.evaluate(script, [whole, {"style": "count", "compact": None}, data])[0]
    assert counts == [
        fmt.count(Decimal(repr(v)).quantize(Decimal(1)), locale).replace(" thousand", "k")
        for v in whole
    ]
    assert errors == []
