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

from citeguide.build import build_site
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
    assert "0.75 input × $1.00 + 0.25 output × $5.00 = $2.00 per 1M tokens" in tip.inner_text()


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


@pytest.mark.parametrize("path", ["/", GUIDE, "/tags/local-models/"])
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
