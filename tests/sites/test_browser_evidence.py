"""What a reader sees of weak inputs, in a real headless Chromium (issue 21): the evidence
line names the stale rows and the estimate, a figure's tooltip names the stale row it rests
on and an estimate's note, opened by hover or by keyboard focus, inside the screen at a
phone's width and a desktop's, at readable contrast; a chart's inputs mark their stale rows.
On the home-tariff site of tests/sites/evidence, which has nothing to do with LLMs."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page

from citeguide.engine.builder import build_site
from conftest import SITES, TODAY
from test_browser import CONTRAST, WIDTHS, _context, _inside, browser, page, serving  # noqa: F401

GUIDE = "/flat-tariff/"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("evidence") / "home"
    shutil.copytree(SITES / "evidence", root)
    assert build_site(root, today=TODAY).ok
    with serving(root / "site") as url:
        yield url


def _figure(page: Page, sentence: str) -> tuple[Locator, Locator]:
    """The figure in the paragraph that starts with `sentence`, and its tooltip."""
    value = page.locator("p", has_text=sentence).locator(".calc > .calc-value")
    tip = page.locator("#" + str(value.get_attribute("aria-describedby")))
    return value, tip


def test_the_evidence_line_shows_the_stale_rows_and_the_estimate(page: Page, base_url: str) -> None:
    page.goto(base_url + GUIDE)
    line = page.locator("ul.evidence")
    assert line.is_visible()
    text = " ".join(line.inner_text().split())
    assert "34% high, 33% medium, 33% low (of 4 citations and 5 table rows)" in text
    assert "1 estimated input" in text
    assert "3 stale (3 table rows)" in text
    page.goto(base_url + "/")
    assert "3 stale (3 table rows)" in " ".join(page.locator("ul.evidence").inner_text().split())


def test_hovering_a_figure_shows_the_estimate_it_rests_on_with_its_note(
    page: Page, base_url: str
) -> None:
    page.goto(base_url + GUIDE)
    value, tip = _figure(page, "At the author's midpoint")
    assert not tip.is_visible()
    value.hover()
    assert tip.is_visible()
    assert (
        "Estimate, tariffs:guess: The author's midpoint between the fixed and the variable "
        "offers; no supplier quotes it."
    ) in tip.inner_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_focusing_a_figure_shows_its_stale_row_inside_the_screen(
    browser: Browser, base_url: str, width: int
) -> None:
    context = _context(browser, width)
    tab = context.new_page()
    tab.goto(base_url + GUIDE)
    expected = {
        "On a deal reported in 2025": "Stale, tariffs:old-deal: read 2025-03-01, past the 365 "
        "days a low-confidence source stays fresh",
        "Blending the variable offer": "Stale, tariffs:mixed: read 2024-01-10, past the 730 "
        "days a medium-confidence source stays fresh",
    }
    for sentence, words in expected.items():
        value, tip = _figure(tab, sentence)
        value.focus()
        assert tip.is_visible()
        assert words in tip.inner_text()
        assert _inside(tip.bounding_box(), width)
        tab.keyboard.press("Escape")
        assert not tip.is_visible()
    context.close()


def test_a_charts_inputs_show_its_stale_rows(page: Page, base_url: str) -> None:
    page.goto(base_url + GUIDE)
    details = page.locator("details.chart-inputs")
    details.locator("summary").click()
    row = details.locator("li", has_text="tariffs/older-deal")
    assert row.is_visible()
    assert row.locator(".badge.stale").inner_text() == "stale"
    assert "The author's midpoint" in details.locator("li", has_text="tariffs/guess").inner_text()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_new_marks_are_readable(browser: Browser, base_url: str, scheme: str) -> None:
    context = _context(browser, 1280, color_scheme=scheme)
    tab = context.new_page()
    tab.goto(base_url + GUIDE)
    # The what-if forms are disabled (inactive, exempt from WCAG 1.4.3) until whatif.js
    # has its data: measure them as the reader uses them.
    tab.wait_for_selector("html.whatif-ready")
    tab.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    checked, low = tab.evaluate(CONTRAST)
    assert checked > 20
    assert low == []
    context.close()
