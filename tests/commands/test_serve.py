"""`citeguide serve` driven by a real HTTP client, and `citeguide new`."""

from __future__ import annotations

import io
import queue
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from citeguide.cli import main
from citeguide.commands.serve import EVENTS, DevServer
from citeguide.engine.builder import build_site
from conftest import guide_text, write_site


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[DevServer, Path]]:
    root = write_site(tmp_path / "s", {"content/guides/demo.md": guide_text("First title")})
    server = DevServer(root, 0, io.StringIO()).start()
    time.sleep(0.3)  # let the watcher settle before the tests edit files
    yield server, root
    server.stop()


class _Events:
    """An SSE client on its own thread; events arrive on a queue."""

    def __init__(self, url: str) -> None:
        self.events: queue.Queue[tuple[str, str]] = queue.Queue()
        self.ready = threading.Event()
        threading.Thread(target=self._run, args=(url,), daemon=True).start()
        assert self.ready.wait(5)

    def _run(self, url: str) -> None:
        with httpx.stream("GET", url, timeout=None) as response:
            event = ""
            for line in response.iter_lines():
                if line.startswith("retry:"):
                    self.ready.set()
                elif line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    self.events.put((event, line[6:]))

    def next(self, timeout: float = 10) -> str:
        return self.events.get(timeout=timeout)[0]


def _get(server: DevServer, path: str) -> httpx.Response:
    return httpx.get(server.url + path.lstrip("/"), timeout=5)


def test_pages_are_served_with_the_reload_script(served: tuple[DevServer, Path]) -> None:
    server, _ = served
    page = _get(server, "/demo/")
    assert page.status_code == 200
    assert "First title" in page.text
    assert "EventSource('/__citeguide/events')" in page.text
    assert _get(server, "/demo.cite.json").headers["content-type"] == "application/json"
    assert _get(server, "/nope/").status_code == 404


def test_an_edit_shows_up_and_sends_the_reload_event(served: tuple[DevServer, Path]) -> None:
    server, root = served
    events = _Events(server.url + EVENTS.lstrip("/"))
    guide = root / "content" / "guides" / "demo.md"
    guide.write_text(guide_text("Second title"), encoding="utf-8")
    assert events.next() == "reload"
    assert "Second title" in _get(server, "/demo/").text


def test_a_broken_edit_keeps_the_last_good_page_and_shows_the_overlay(
    served: tuple[DevServer, Path],
) -> None:
    server, root = served
    events = _Events(server.url + EVENTS.lstrip("/"))
    guide = root / "content" / "guides" / "demo.md"
    good = guide.read_text(encoding="utf-8")
    guide.write_text(good.replace("First title", "Broken").replace("· high]", "· sure]"))
    assert events.next() == "problems"
    page = _get(server, "/demo/").text
    assert "First title" in page  # the last good version
    assert 'id="citeguide-overlay"' in page
    assert "content/guides/demo.md:10:" in page
    assert "[cite-confidence]" in page
    guide.write_text(good.replace("First title", "Fixed title"), encoding="utf-8")
    assert events.next() == "reload"
    page = _get(server, "/demo/").text
    assert "Fixed title" in page
    assert "citeguide-overlay" not in page


def test_new_guides_and_deleted_guides_follow(served: tuple[DevServer, Path]) -> None:
    server, root = served
    events = _Events(server.url + EVENTS.lstrip("/"))
    write_site(root, {"content/guides/other.md": guide_text("Another")})
    assert events.next() == "reload"
    assert _get(server, "/other/").status_code == 200
    assert "Another" in _get(server, "/").text
    (root / "content" / "guides" / "other.md").unlink()
    assert events.next() == "reload"
    assert _get(server, "/other/").status_code == 404


def test_an_edited_image_is_served_anew(served: tuple[DevServer, Path]) -> None:
    server, root = served
    guide = root / "content/guides/demo.md"

    def served_image(expected: str) -> httpx.Response:
        deadline = time.monotonic() + 10
        while True:
            response = _get(server, "/demo/img/plan.svg")
            if response.text == expected or time.monotonic() > deadline:
                return response
            time.sleep(0.05)

    write_site(root, {"content/guides/img/plan.svg": "<svg>one</svg>"})
    guide.write_text(guide.read_text() + "\n![A plan](img/plan.svg)\n")
    assert served_image("<svg>one</svg>").text == "<svg>one</svg>"
    time.sleep(0.1)  # a new modification time for the watcher
    write_site(root, {"content/guides/img/plan.svg": "<svg>two</svg>"})
    response = served_image("<svg>two</svg>")
    assert response.text == "<svg>two</svg>"  # only the image changed, not the guide
    assert response.headers["content-type"] == "image/svg+xml"


def test_drafts_are_served(tmp_path: Path) -> None:
    draft = guide_text("Work in progress").replace("tags:", "draft: true\ntags:")
    root = write_site(tmp_path / "s", {"content/guides/wip.md": draft})
    server = DevServer(root, 0, io.StringIO()).start()
    try:
        assert "Work in progress" in _get(server, "/wip/").text
    finally:
        server.stop()


def test_new_scaffold_builds_for_the_preview_and_is_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "site-root"
    root.mkdir()
    assert main(["new", "--root", str(root), "Should I rent an H100?"]) == 0
    guide = root / "content" / "guides" / "should-i-rent-an-h100.md"
    text = guide.read_text()
    assert text.startswith('---\ntitle: "Should I rent an H100?"\n')
    assert "[cite: " in text
    result = build_site(root)
    assert result.ok, result.diagnostics.render()
    assert main(["new", "--root", str(root), "Should I rent an H100?"]) == 2
    assert "already exists; not overwriting" in capsys.readouterr().err
    assert guide.read_text() == text


def test_a_site_in_a_sub_folder_is_served_there_with_a_working_404_page(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "s",
        {
            "citeguide.toml": 'base_url = "https://example.github.io/energy/"\n',
            "content/guides/demo.md": guide_text("First title"),
        },
    )
    server = DevServer(root, 0, io.StringIO()).start()
    try:
        assert server.url.endswith("/energy/")
        top = httpx.get(server.url.removesuffix("energy/"), timeout=5)
        assert top.status_code == 302
        assert top.headers["location"] == "/energy/"
        assert httpx.get(server.url + "demo/", timeout=5).status_code == 200
        missing = httpx.get(server.url + "no-such-page/", timeout=5)
        assert missing.status_code == 404
        # The 404 page, served at any depth, loads its assets from the site's folder.
        sheets = re.findall(r'href="([^"]+\.css)"', missing.text)
        assert sheets == ["/energy/assets/style.css"]
        for sheet in sheets:
            assert httpx.get(server.url.removesuffix("/energy/") + sheet, timeout=5).is_success
        assert httpx.get(server.url.removesuffix("energy/") + "demo/", timeout=5).status_code == 404
    finally:
        server.stop()


def test_a_busy_port_is_named_with_a_way_out(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--root", str(site), "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"port {port} is already in use" in err
    assert f"citeguide serve --port {port + 1}" in err
    assert "Errno" not in err
    assert "Traceback" not in err


def test_a_site_wide_change_rebuilds_every_guide_in_worker_processes(tmp_path: Path) -> None:
    """A template or configuration change re-renders every guide; with enough guides the
    engine uses worker processes, started without forking the threaded server."""
    guides = {f"content/guides/g{i:02}.md": guide_text(f"Guide {i}") for i in range(12)}
    guides["citeguide.toml"] = 'title = "Before"\n'
    root = write_site(tmp_path / "s", guides)
    log = io.StringIO()
    server = DevServer(root, 0, log).start()
    try:
        server.site.site.jobs = 2  # 12 guides ≥ 4 per worker: the pool is used
        assert server.site.site.start_method in ("forkserver", "spawn")
        events = _Events(server.url.rstrip("/") + EVENTS)
        time.sleep(0.3)
        (root / "citeguide.toml").write_text('title = "After"\n', encoding="utf-8")
        assert events.next() == "reload", log.getvalue()
        assert "Guide 3 · After" in _get(server, "/g03/").text
        assert "rebuild failed" not in log.getvalue()
    finally:
        server.stop()
