"""Chromium for the browser tests (the system's, never a downloaded one) and a quiet
static server on 127.0.0.1, shared by the tests of every package that opens a page."""

from __future__ import annotations

import contextlib
import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Chromium is not installed: `make test` installs Debian's chromium package")
    return path


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`folder` served over HTTP on 127.0.0.1: the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def page_figures(site: Path, path: str, cases: list[tuple[str, dict[str, str]]]) -> list[Any]:
    """What the page's "Try your own numbers" evaluator (whatif.js, in Chromium) gives for
    each (model, inputs) of `cases`, on the page at `path` of the built `site`: its figure
    with `display` and `steps`, to compare with `citeguide calc`'s; `{"refused": message}`
    for inputs the evaluator refuses."""
    from playwright.sync_api import sync_playwright

    figures = []
    with sync_playwright() as p, serving(site) as base:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}{path}")
        page.wait_for_function("() => document.documentElement.classList.contains('whatif-ready')")
        for name, raw in cases:
            figures.append(page.evaluate(
                """([name, raw]) => {
                  try { return window.citeguideWhatif.engine.figure(name, raw); }
                  catch (error) { return { refused: error.message }; }
                }""",
                [name, raw],
            ))  # fmt: skip
        browser.close()
    return figures
