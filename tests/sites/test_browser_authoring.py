"""The author's Markdown in a real headless Chromium: a footnote reference reaches its
note and back, a callout is announced as a note, an image shows, the theme's logo and
nav link are there, and axe finds no serious violation on such a page."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from citeguide.engine.builder import build_site
from conftest import SITES, TODAY
from chromium import serving
from test_browser import ARTIFACTS, browser, page  # noqa: F401 (the fixtures)

GUIDE = "/energy/heat-pump-or-gas-boiler/"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("authoring") / "energy"
    shutil.copytree(SITES / "authoring", root)
    assert build_site(root, today=TODAY).ok
    # Served from a sub-folder, as GitHub Pages serves a project site.
    top = root.parent / "www"
    top.mkdir()
    (root / "site").rename(top / "energy")
    with serving(top) as url:
        yield url


def test_a_footnote_reference_reaches_its_note_and_back(page: Page, base_url: str) -> None:
    page.goto(base_url + GUIDE)
    ref = page.get_by_role("link", name="Note a", exact=True)
    assert ref.inner_text() == "[a]"
    ref.click()
    assert page.url.endswith("#fn1")
    note = page.locator("#fn1")
    assert note.evaluate("el => el.matches(':target')")
    assert "seasonal performance" in note.inner_text()
    assert page.get_by_role("region", name="Notes").is_visible()
    page.get_by_role("link", name="Back to the text of note a").click()
    assert page.url.endswith("#fnref1")
    assert page.locator("#fnref1").is_visible()


def test_a_callout_is_announced_as_a_note(page: Page, base_url: str) -> None:
    page.goto(base_url + GUIDE)
    note = page.get_by_role("note", name="Note", exact=True)
    assert note.is_visible()
    assert "low flow temperature" in note.inner_text()
    warning = page.get_by_role("note", name="Warning")
    assert warning.inner_text().startswith("Warning")
    # A citation inside the callout opens its tooltip like any other.
    reference = note.locator(".cite-ref a").first
    reference.focus()
    assert note.locator(".cite-tip").first.is_visible()


def test_the_image_logo_and_nav_link_show(page: Page, base_url: str) -> None:
    page.goto(base_url + GUIDE)
    image = page.get_by_role("img", name="Heat flows from outdoor air")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    logo = page.locator(".site-logo")
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.get_by_role("link", name="About us").get_attribute("href") == (
        "https://example.org/about"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "authoring-page.png"), full_page=True)


def test_a_redirect_page_lands_on_the_guide(page: Page, base_url: str) -> None:
    page.goto(base_url + "/energy/heat-pumps/")
    page.wait_for_url("**" + GUIDE)
    assert page.title().startswith("Heat pump or gas boiler")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_no_serious_accessibility_violations(browser: Browser, base_url: str, theme: str) -> None:
    context = browser.new_context(color_scheme=theme)  # type: ignore[arg-type]
    tab = context.new_page()
    tab.goto(base_url + GUIDE)
    results = Axe().run(tab)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    context.close()
    assert serious == []


def test_the_markdown_twin_and_image_are_served(page: Page, base_url: str) -> None:
    response = page.request.get(base_url + "/energy/heat-pump-or-gas-boiler/img/heat-pump.svg")
    assert response.ok
    twin = page.request.get(base_url + "/energy/heat-pump-or-gas-boiler.md").text()
    target = "heat-pump-or-gas-boiler/img/heat-pump.svg"
    assert page.request.get(base_url + "/energy/" + target).ok
    assert target in twin
