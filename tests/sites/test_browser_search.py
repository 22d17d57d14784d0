"""The search box's loading in a real headless Chromium (`templates/assets/search.js`): a
site's index in parts is merged all at once, not one part after another, and every part
is searched; the index starts loading when the reader goes to the box, before a letter is
typed, on a site in parts and on one of a single index; and an index (or a part of it)
that cannot be loaded is said to be unavailable, never left waiting, and loaded afresh
at the next search once it is there."""

from __future__ import annotations

import functools
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from test_browser import browser, page  # noqa: F401 (the fixtures)

from chromium import QuietHandler, serving
from citeguide.engine import search
from citeguide.engine.builder import build_site
from conftest import REPO, TODAY, parted_site

ENTRY = "/pagefind-entry.json"
WORD = "Zanzibar"
"""In the title of each extra guide, and in no bundled guide."""
EXTRA = 8
STATUS = "document.getElementById('search-status').textContent"
UNAVAILABLE = f"{STATUS}.includes('unavailable')"
ALL_FOUND = f"{STATUS} === '{EXTRA} guides found'"


@pytest.fixture(scope="module")
def parts_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled site and eight more guides, two guides a part, as a large site's
    index comes."""
    with pytest.MonkeyPatch.context() as patch:
        root = parted_site(tmp_path_factory.mktemp("search"), patch, title=WORD)
        slugs = [p.stem for p in (root / "content" / "guides").glob("*.md")]
        assert build_site(root, today=TODAY).ok
        layout = search.plan(slugs, set(), [], intact=False)
    assert len(json.loads((root / "site" / search.PARTS_FILE).read_text())) >= 3
    # The extra guides are spread over several parts, not all in the first.
    extras = {f"extra-{i}" for i in range(EXTRA)}
    assert extras <= set(slugs)
    holding = {k for k, members in enumerate(layout.members) if extras & set(members)}
    assert len(holding - {0}) >= 2
    return root / "site"


def _copy(site: Path, tmp_path: Path) -> Path:
    """A copy of the built site to break."""
    shutil.copytree(site, tmp_path / "site")
    return tmp_path / "site"


class _Gate:
    """Holds each request for a part's entry file until another one arrives (or a few
    seconds pass), and counts how many were held at once: parts merged one after another
    ask for them one at a time."""

    def __init__(self) -> None:
        self.lock = threading.Condition()
        self.waiting = 0
        self.most = 0

    def hold(self) -> None:
        with self.lock:
            self.waiting += 1
            self.most = max(self.most, self.waiting)
            self.lock.notify_all()
            # Open for good once two were held together: the rest pass at once.
            self.lock.wait_for(lambda: self.most >= 2, timeout=3)
            self.waiting -= 1


@pytest.fixture
def gated(parts_site: Path) -> Iterator[tuple[str, _Gate]]:
    gate = _Gate()

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            if "/pagefind/parts/" in self.path and ENTRY in self.path:
                gate.hold()
            super().do_GET()

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(parts_site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", gate
    finally:
        server.shutdown()
        server.server_close()


def test_the_parts_of_an_index_are_merged_at_once(page: Page, gated: tuple[str, _Gate]) -> None:
    url, gate = gated
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url + "/")
    page.fill("#search-input", WORD)
    page.wait_for_function(ALL_FOUND)
    assert gate.most >= 2, "the parts' entry files were asked for one at a time"
    assert errors == []


def test_the_index_loads_when_the_reader_goes_to_the_box(page: Page, parts_site: Path) -> None:
    asked: list[str] = []
    with serving(parts_site) as url:
        page.on("request", lambda request: asked.append(request.url))
        page.goto(url + "/")
        page.wait_for_load_state("load")
        assert not [u for u in asked if "/pagefind/" in u]  # nothing before the box is used
        with page.expect_response(lambda response: ENTRY in response.url):
            page.focus("#search-input")
        assert page.input_value("#search-input") == ""  # nothing typed
        page.fill("#search-input", "RadixAttention")
        page.wait_for_selector("#search-results li a")


def test_a_single_index_loads_when_the_reader_goes_to_the_box(page: Page, tmp_path: Path) -> None:
    """A site of one index (no parts) starts loading its index on focus too."""
    root = tmp_path / "one"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "citeguide.toml", root)
    assert build_site(root, today=TODAY).ok
    assert json.loads((root / "site" / search.PARTS_FILE).read_text()) == []
    with serving(root / "site") as url:
        page.goto(url + "/")
        page.wait_for_load_state("load")
        with page.expect_response(lambda response: ".pf_meta" in response.url):
            page.focus("#search-input")


@pytest.mark.parametrize(
    "missing",
    ["pagefind.js", "pagefind-entry.json", "part"],
    ids=["script", "main-index", "a-part"],
)
def test_an_index_that_cannot_load_is_said_to_be_unavailable(
    browser: Browser, parts_site: Path, tmp_path: Path, missing: str
) -> None:
    """Never left waiting: pagefind waits without end for a main index that cannot load
    before it merges a part, so the box loads the main index first."""
    site = _copy(parts_site, tmp_path)
    if missing == "part":
        part = json.loads((site / search.PARTS_FILE).read_text())[-1]
        gone = site / part / ENTRY.lstrip("/")
    else:
        gone = site / search.BUNDLE / missing
    kept = gone.read_bytes()
    gone.unlink()
    context = browser.new_context()
    errors: list[Any] = []
    try:
        tab = context.new_page()
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        with serving(site) as url:
            tab.goto(url + "/")
            tab.fill("#search-input", WORD)
            tab.wait_for_function(UNAVAILABLE, timeout=20_000)
            assert "could not be loaded" in tab.inner_text("#search-status")
            assert tab.locator("#search-results li").count() == 0
            # Once the file is back, the next search loads the index afresh: every part
            # once, none left half-merged from the first attempt; the script too, which
            # the browser would keep as failed under the URL it first failed at.
            gone.write_bytes(kept)
            tab.fill("#search-input", "")
            tab.fill("#search-input", WORD)
            tab.wait_for_function(ALL_FOUND)
    finally:
        context.close()
    # None of the box's own. pagefind starts loading its main index when it is first
    # called and leaves that promise unhandled: its failure is pagefind's uncaught error.
    assert [e for e in errors if e != "Failed to load Pagefind metadata"] == []
