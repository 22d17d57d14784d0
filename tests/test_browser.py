"""The built site in a real headless Chromium (the system's, never a downloaded one).

Pages are served over HTTP on 127.0.0.1 so the search index loads as it does online.
Screenshots land in tests/artifacts/ for people to look at.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from citeguide.engine.site import build_site
from conftest import REPO, TODAY

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Chromium is not installed: `make test` installs Debian's chromium package")
    return path


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "citeguide.toml", root)
    assert build_site(root, today=TODAY).ok
    handler = functools.partial(_Quiet, directory=str(root / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    # the site must never reach beyond its own server
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort()
        ),
    )
    tab = context.new_page()
    yield tab
    context.close()


GUIDE = "/self-hosted-llm-2026/"


def test_guide_loads_without_console_errors(page: Page, base_url: str) -> None:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    failed: list[str] = []
    page.on("requestfailed", lambda req: failed.append(req.url))
    page.goto(base_url + GUIDE)
    assert page.title().startswith("Self-hosted LLMs in 2026")
    assert errors == []
    assert failed == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "guide.png"), full_page=True)


def test_citation_popover_on_hover(page: Page, base_url: str) -> None:
    page.goto(base_url + GUIDE)
    tip = page.locator("#cite-tip-1")
    assert not tip.is_visible()
    page.hover("#cite-ref-1")
    assert tip.is_visible()
    assert "www.anthropic.com · 2026-05-01 · high confidence" in tip.inner_text()
    assert "link unchecked" in tip.inner_text()


def test_citation_popover_on_keyboard_focus(page: Page, base_url: str) -> None:
    page.goto(base_url + GUIDE)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "cite-ref-1":
            break
    else:
        pytest.fail("Tab never reached the first reference")
    assert page.locator("#cite-tip-1").is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "cite-tip-1"


def test_calculation_popover_on_hover(page: Page, base_url: str) -> None:
    page.goto(base_url + GUIDE)
    value = page.locator(".calc-value").first
    value.hover()
    tip = page.locator("#calc-tip-1")
    assert tip.is_visible()
    assert (
        "0.75 × $1.00/1M input tokens + (1 − 0.75) × $5.00/1M output tokens = $2.00/1M tokens"
        in (tip.inner_text())
    )


def test_reference_and_back_link_land_on_their_targets(page: Page, base_url: str) -> None:
    page.goto(base_url + GUIDE)
    page.click("#cite-ref-3")
    assert page.url.endswith("#cite-3")
    entry = page.locator("#cite-3")
    assert entry.evaluate("el => el.matches(':target')")
    assert entry.is_visible()  # its collapsed manifest opened for the reference
    claim = entry.locator("xpath=ancestor::li[contains(@class, 'manifest-claim')]")
    assert "GPT-5 costs $1.25 per million input tokens" in claim.inner_text()
    assert "openai.com" in entry.inner_text()
    entry.locator("a.backref").click()
    assert page.url.endswith("#cite-ref-3")
    assert page.locator("#cite-ref-3").is_visible()


def test_search_finds_a_guide_by_a_word_in_its_body(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.fill("#search-input", "RadixAttention")
    page.wait_for_selector("#search-results li a")
    titles = page.locator("#search-results li a").all_inner_texts()
    assert any(title.startswith("Choosing a serving stack") for title in titles)
    assert "found" in page.inner_text("#search-status")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "index-search.png"), full_page=True)


@pytest.mark.parametrize("path", ["/", GUIDE, "/tags/local-models/", "/about-evidence/"])
def test_no_serious_accessibility_violations(page: Page, base_url: str, path: str) -> None:
    page.goto(base_url + path)
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_dark_mode_and_phone_width(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    tab = context.new_page()
    tab.goto(base_url + GUIDE)
    background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(21, 22, 26)"
    overflow = tab.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "guide-phone-dark.png"))
    context.close()


# ---------------------------------------------------------------- issue 13: the reader's page

WIDTHS = [390, 1280]


def _context(browser: Browser, width: int, **options: Any) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 844}, **options)
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort()
        ),
    )
    return context


def _inside(box: dict[str, float] | None, width: int) -> bool:
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5


@pytest.mark.parametrize("width", WIDTHS)
def test_every_tooltip_opened_by_focus_lies_inside_the_viewport(
    browser: Browser, base_url: str, width: int
) -> None:
    context = _context(browser, width)
    tab = context.new_page()
    tab.goto(base_url + GUIDE)
    anchors = tab.locator(".cite-ref > a, .calc-value")
    outside = []
    for i in range(anchors.count()):
        anchor = anchors.nth(i)
        anchor.focus()
        tip = tab.locator("#" + str(anchor.get_attribute("aria-describedby")))
        assert tip.is_visible()
        if not _inside(tip.bounding_box(), width):
            outside.append((anchor.get_attribute("aria-describedby"), tip.bounding_box()))
        tab.keyboard.press("Escape")  # dismissible without moving focus (SC 1.4.13)
        assert not tip.is_visible()
        assert tab.evaluate("document.activeElement") is not None
    assert anchors.count() > 40
    assert outside == []
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_reference_targets_are_at_least_24_px(browser: Browser, base_url: str, width: int) -> None:
    context = _context(browser, width)
    tab = context.new_page()
    tab.goto(base_url + GUIDE)
    small = tab.evaluate(
        """[...document.querySelectorAll('.cite-ref > a')]
             .map(a => a.getBoundingClientRect())
             .filter(r => r.width < 24 || r.height < 24).length"""
    )
    assert small == 0
    context.close()


def test_hovering_the_tooltip_keeps_it_open(page: Page, base_url: str) -> None:
    page.goto(base_url + GUIDE)
    page.hover("#cite-ref-2")
    tip = page.locator("#cite-tip-2")
    assert tip.is_visible()
    box = tip.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 10, box["y"] + box["height"] / 2, steps=8)
    page.wait_for_timeout(400)
    assert tip.is_visible()  # hoverable (SC 1.4.13)
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    page.hover("#cite-ref-2")
    page.mouse.move(2, 2, steps=4)
    page.wait_for_timeout(400)
    assert not tip.is_visible()


def test_a_tap_opens_the_tooltip_in_place_and_a_second_tap_follows_it(
    browser: Browser, base_url: str
) -> None:
    context = _context(browser, 390, has_touch=True, is_mobile=True)
    tab = context.new_page()
    tab.goto(base_url + GUIDE)
    ref = tab.locator("#cite-ref-5")
    ref.scroll_into_view_if_needed()
    before = tab.evaluate("window.scrollY")
    ref.tap()
    tip = tab.locator("#cite-tip-5")
    assert tip.is_visible()
    assert _inside(tip.bounding_box(), 390)
    assert not tab.url.endswith("#cite-5")
    assert tab.evaluate("window.scrollY") == before  # no jump to the manifest
    ref.tap()
    tab.wait_for_url("**#cite-5")
    assert tab.locator("#cite-5").is_visible()  # the collapsed manifest opened for it
    context.close()


def test_a_figure_links_to_its_arithmetic_and_back(page: Page, base_url: str) -> None:
    page.goto(base_url + GUIDE)
    value = page.locator(".calc-value").first
    ref_id = value.get_attribute("id")
    target = str(value.get_attribute("href"))
    value.click()
    entry = page.locator(target)
    assert entry.is_visible()
    entry.locator("a.backref").first.click()
    assert page.url.endswith(f"#{ref_id}")


@pytest.mark.parametrize("width", WIDTHS)
def test_sections_have_self_links_and_the_toc_reaches_them(
    browser: Browser, base_url: str, width: int
) -> None:
    context = _context(browser, width)
    tab = context.new_page()
    tab.goto(base_url + GUIDE)
    headings = tab.locator("article h2")
    for i in range(headings.count()):
        assert headings.nth(i).locator("a.self-link").count() == 1
    toc = tab.locator("#toc")
    summary = toc.locator("summary")
    if width < 1000:
        assert not toc.locator("ol").is_visible()  # folded on a phone
        summary.click()
    assert toc.locator("ol").is_visible()
    links = toc.locator("a")
    assert links.count() >= 8
    last = links.nth(links.count() - 1)
    last.click()
    assert tab.locator(str(last.get_attribute("href"))).is_visible()
    context.close()


def test_no_console_errors_on_any_page(page: Page, base_url: str) -> None:
    paths = ["/", GUIDE, "/model-size-for-one-gpu/", "/choosing-a-serving-stack/", "/tags/",
             "/tags/serving/", "/about-evidence/", "/404.html"]  # fmt: skip
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for path in paths:
        page.goto(base_url + path)
        assert page.locator("h1").count() == 1, path
    assert errors == []


def test_print_is_light_expanded_and_readable(browser: Browser, base_url: str) -> None:
    context = _context(browser, 1280, color_scheme="dark")
    tab = context.new_page()
    tab.goto(base_url + GUIDE)
    tab.emulate_media(media="print", color_scheme="dark")
    assert tab.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    assert tab.locator("#cite-5").is_visible()  # details expanded for paper
    assert tab.locator(".sources li").first.is_visible()
    results = Axe().run(tab, options={"runOnly": ["color-contrast"]})
    assert [v["id"] for v in results.response["violations"]] == []
    context.close()


def test_theme_toggle_remembers_the_choice(browser: Browser, base_url: str) -> None:
    context = _context(browser, 1280, color_scheme="light")
    tab = context.new_page()
    tab.goto(base_url + GUIDE)
    toggle = tab.locator("#theme-toggle")
    assert toggle.inner_text() == "Theme: auto"
    toggle.click()  # light
    toggle.click()  # dark
    assert tab.evaluate("document.documentElement.dataset.theme") == "dark"
    tab.goto(base_url + "/")
    assert tab.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(21, 22, 26)"
    assert tab.locator("#theme-toggle").inner_text() == "Theme: dark"
    context.close()


def test_search_works_from_a_guide_page(page: Page, base_url: str) -> None:
    page.goto(base_url + "/model-size-for-one-gpu/")
    page.fill("#search-input", "RadixAttention")
    page.wait_for_selector("#search-results li a")
    link = page.locator("#search-results li a").first
    assert link.inner_text().startswith("Choosing a serving stack")
    link.click()
    assert page.url.endswith("/choosing-a-serving-stack/")


def test_without_javascript_nothing_is_broken(browser: Browser, base_url: str) -> None:
    context = _context(browser, 1280, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(base_url + GUIDE)
    assert not tab.locator("#search-form").is_visible()  # hidden: it could do nothing
    assert not tab.locator("#theme-toggle").is_visible()
    tab.hover("#cite-ref-1")
    assert tab.locator("#cite-tip-1").is_visible()  # CSS tooltips still work
    tab.click("#cite-ref-3")
    assert tab.locator("#cite-3").is_visible()  # the browser opens the collapsed manifest
    context.close()


def test_the_chart_is_laid_out_for_a_phone(browser: Browser, base_url: str) -> None:
    context = _context(browser, 390)
    tab = context.new_page()
    tab.goto(base_url + GUIDE)
    assert not tab.locator(".chart-wide").is_visible()
    narrow = tab.locator(".chart-narrow")
    assert narrow.is_visible()
    heights = tab.evaluate(
        """[...document.querySelectorAll('.chart-narrow text')]
             .map(t => t.getBoundingClientRect().height)"""
    )
    assert heights
    assert min(heights) >= 11  # legible, not the wide layout scaled to ~6 px
    context.close()


def test_screenshots_for_the_readme(browser: Browser, base_url: str) -> None:
    """A phone with a reference tapped open (light), the chart on a phone (dark), the
    desktop page with its table of contents: in tests/artifacts/ for people to look at
    (`make screenshots` copies them into docs/screenshots/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    shots = [(390, "light", "#cite-ref-5"), (390, "dark", ".chart-narrow"), (1280, "light", "")]
    for width, scheme, focus in shots:
        context = _context(browser, width, color_scheme=scheme, has_touch=width < 1000)
        tab = context.new_page()
        tab.goto(base_url + GUIDE)
        if focus.startswith("#cite-ref"):
            tab.locator(focus).scroll_into_view_if_needed()
            tab.evaluate("window.scrollBy(0, -250)")
            tab.locator(focus).tap()
            assert tab.locator(focus.replace("ref", "tip")).is_visible()
        elif focus:
            tab.locator(focus).scroll_into_view_if_needed()
        shot = ARTIFACTS / f"reader-{width}-{scheme}.png"
        tab.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        context.close()
