"""`citeguide check --archive` against a fake Save Page Now endpoint: a real HTTP server on
loopback, apart from the server of the cited pages, so each side's requests can be told
apart."""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from citeguide.cli import main
from citeguide.engine.builder import build_site
from citeguide.linkcheck.archive import SaveAnswer, save_snapshot
from citeguide.linkcheck.state import STATE_FILE
from conftest import TODAY, write_site
from linkserver import LinkServer, running

SNAPSHOT_STAMP = "20261127093000"  # what the fake save endpoint names


@pytest.fixture
def site() -> Iterator[LinkServer]:
    """The cited pages."""
    with running() as srv:
        yield srv


@pytest.fixture
def archive() -> Iterator[LinkServer]:
    """The availability API and the save endpoint."""
    with running() as srv:
        yield srv


def _guide(site: LinkServer, *paths: str) -> str:
    cites = "\n".join(
        f"Claim {n} [cite: {site.url(p)} · 2026-03-10 · high]." for n, p in enumerate(paths)
    )
    front = "title: Archive\nsummary: Sources to keep.\npublished: 2026-05-01"
    return f"---\n{front}\n---\n\n## Which?\n\n{cites}\n"


def _config(save_endpoint: str, archive_endpoint: str = "", interval: float = 0.0) -> str:
    return (
        f"[linkcheck]\nretries = 0\nsave_interval = {interval}\n"
        f'archive_endpoint = "{archive_endpoint}"\nsave_endpoint = "{save_endpoint}"\n'
    )


def _links(root: Path) -> dict[str, dict[str, object]]:
    links: dict[str, dict[str, object]] = json.loads((root / STATE_FILE).read_text())["links"]
    return links


def _snapshot(archive: LinkServer, cited: str) -> str:
    return archive.url(f"/web/{SNAPSHOT_STAMP}/{cited}")


def test_archive_asks_only_the_archive_one_save_at_a_time_save_interval_apart(
    site: LinkServer, archive: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = ["/page-fresh-a", "/page-fresh-b", "/page-fresh-c"]
    quoted = site.url("/page-fresh-b") + "#:~:text=Hello"
    guide = _guide(site, "/ok", *fresh).replace(site.url("/page-fresh-b"), quoted)
    config = _config(archive.url("/save/"), archive.url("/wayback/available"), interval=0.4)
    root = write_site(tmp_path / "s", {"content/guides/a.md": guide, "citeguide.toml": config})

    assert main(["check", "--root", str(root), "--archive"]) == 0
    err = capsys.readouterr().err

    log = archive.log()
    saves = [(at, path) for at, path in log if path.startswith("/save/")]
    # One save per source with no copy near its citation date, in order; none for /ok,
    # whose availability answer is a copy taken on its citation date.
    assert [path for _, path in saves] == [f"/save/{site.url(p)}" for p in fresh]
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(saves)]
    assert len(gaps) == 2
    assert min(gaps) >= 0.35, gaps
    # The archive server saw only lookups and saves: the snapshot the save answer names
    # (a redirect to /web/...) is recorded, never fetched, and the quote's fragment is no
    # part of the page looked up.
    assert all(p.startswith(("/wayback/available?", "/save/")) for _, p in log), log
    looked_up = [parse_qs(urlsplit(p).query)["url"][0] for _, p in log if p.startswith("/way")]
    assert sorted(looked_up) == sorted(site.url(p) for p in ["/ok", *fresh])
    # The cited pages were asked once each, by the check; nothing else went to them.
    assert all(site.hits(p) == 1 for p in ["/ok", *fresh])
    assert len(site.log()) == 4

    links = _links(root)
    for path in fresh:
        assert links[site.url(path)]["archive_url"] == _snapshot(archive, site.url(path))
        assert links[site.url(path)]["archive_timestamp"] == SNAPSHOT_STAMP
    assert links[site.url("/ok")]["archive_timestamp"] == "20260310120000"
    assert "archive: asked for 3 snapshots, 3 taken" in err


def test_archive_keeps_recorded_copies_and_saves_sources_skipped_by_max_age(
    site: LinkServer, archive: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(archive.url("/save/"), archive.url("/wayback/available"))
    files = {"content/guides/a.md": _guide(site, "/ok", "/page-fresh"), "citeguide.toml": config}
    root = write_site(tmp_path / "s", files)
    fresh = site.url("/page-fresh")
    save_path = f"/save/{fresh}"

    assert main(["check", "--root", str(root)]) == 0  # no --archive: nothing saved
    assert archive.hits(save_path) == 0
    assert _links(root)[fresh]["archive_url"] is None

    # Checked a moment ago, so --max-age skips the check; the source is live all the same.
    assert main(["check", "--root", str(root), "--archive", "--max-age", "1"]) == 0
    assert "2 URLs checked within 1 days: skipped" in capsys.readouterr().err
    assert site.hits("/page-fresh") == 1
    assert archive.hits(save_path) == 1
    assert _links(root)[fresh]["archive_url"] == _snapshot(archive, fresh)

    # The copy was taken after the citation date: a new save could only be farther from
    # it, so a later run keeps the copy and asks the archive nothing about that source
    # (nor about /ok, whose copy from its citation date was recorded by the last run).
    lookups = archive.hits("/wayback/available")
    assert main(["check", "--root", str(root), "--archive"]) == 0
    assert site.hits("/page-fresh") == 2
    assert archive.hits(save_path) == 1
    assert archive.hits("/wayback/available") == lookups
    assert _links(root)[fresh]["archive_url"] == _snapshot(archive, fresh)
    assert "asked for" not in capsys.readouterr().err

    # The next build links the copy next to the live source.
    assert build_site(root, today=TODAY).ok
    page = (root / "site" / "a" / "index.html").read_text(encoding="utf-8")
    snapshot = _snapshot(archive, fresh)
    assert f'<a href="{snapshot}" rel="noopener" class="archived-copy">archived copy</a>' in page
    twin = json.loads((root / "site" / "a.cite.json").read_text(encoding="utf-8"))
    assert {s["link"]["archive_url"] for s in twin["sources"] if s["url"] == fresh} == {snapshot}


def test_archive_reports_an_unreachable_save_endpoint_and_keeps_earlier_copies(
    site: LinkServer, archive: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = {
        "content/guides/a.md": _guide(site, "/page-fresh-a"),
        "citeguide.toml": _config(archive.url("/save/")),
    }
    root = write_site(tmp_path / "s", first)
    assert main(["check", "--root", str(root), "--archive"]) == 0
    kept = _snapshot(archive, site.url("/page-fresh-a"))
    assert _links(root)[site.url("/page-fresh-a")]["archive_url"] == kept
    capsys.readouterr()

    # A port bound but not listening on loopback: every connection is refused (offline).
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        offline = f"http://127.0.0.1:{closed.getsockname()[1]}/save/"
        guide = _guide(site, "/page-fresh-a", "/page-fresh-b", "/page-fresh-c")
        (root / "content/guides/a.md").write_text(guide, encoding="utf-8")
        (root / "citeguide.toml").write_text(_config(offline), encoding="utf-8")
        assert main(["check", "--root", str(root), "--archive"]) == 0

    err = capsys.readouterr().err
    unreachable = (
        f"archive: no snapshot taken of {site.url('/page-fresh-b')}: save endpoint unreachable"
    )
    assert unreachable in err
    assert "archive: stopped; 1 sources not asked for" in err
    links = _links(root)
    assert links[site.url("/page-fresh-a")]["archive_url"] == kept  # kept, not asked again
    assert links[site.url("/page-fresh-b")]["archive_url"] is None
    assert links[site.url("/page-fresh-c")]["archive_url"] is None
    assert {k: v["status"] for k, v in links.items()} == dict.fromkeys(links, "ok")
    assert len([p for _, p in archive.log() if p.startswith("/save/")]) == 1  # the first run's


def test_archive_stops_asking_when_the_archive_rate_limits(
    site: LinkServer, archive: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No availability endpoint: every live source is saved, in URL order.
    files = {
        "content/guides/a.md": _guide(site, "/page-busy", "/page-refused", "/page-zz"),
        "citeguide.toml": _config(archive.url("/save/")),
    }
    root = write_site(tmp_path / "s", files)
    assert main(["check", "--root", str(root), "--archive"]) == 0
    err = capsys.readouterr().err
    # A 503 is one failed save; a 429 means the archive wants no more saves from us.
    assert archive.hits(f"/save/{site.url('/page-busy')}") == 1
    assert archive.hits(f"/save/{site.url('/page-refused')}") == 1
    assert archive.hits(f"/save/{site.url('/page-zz')}") == 0
    assert f"no snapshot taken of {site.url('/page-busy')}: HTTP 503" in err
    assert f"no snapshot taken of {site.url('/page-refused')}: HTTP 429" in err
    assert "archive: stopped; 1 sources not asked for" in err
    assert "archive: asked for 2 snapshots, 0 taken" in err
    assert not any(p.startswith("/wayback") for _, p in archive.log())
    assert all(rec["archive_url"] is None for rec in _links(root).values())


def test_a_save_endpoint_without_a_path_is_a_config_error(
    site: LinkServer, archive: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `http://host` + `http://...` would put the cited URL into the host name.
    files = {"content/guides/a.md": _guide(site, "/ok"), "citeguide.toml": _config(archive.base)}
    root = write_site(tmp_path / "s", files)
    assert main(["check", "--root", str(root), "--archive"]) == 2
    assert "save_endpoint" in capsys.readouterr().err
    assert archive.log() == []
    assert site.log() == []


def test_save_snapshot_never_sends_a_request_off_the_endpoints_host(
    site: LinkServer, archive: LinkServer
) -> None:
    sent: list[httpx.URL] = []

    async def note(request: httpx.Request) -> None:
        sent.append(request.url)

    async def save(endpoint: str) -> SaveAnswer:
        async with httpx.AsyncClient(event_hooks={"request": [note]}) as client:
            return await save_snapshot(client, endpoint, site.url("/page-x"), timeout=10)

    # `http://localhost` + `http://127.0.0.1:...` names the host `localhosthttp`.
    off = asyncio.run(save("http://localhost"))
    assert off.snapshot is None
    assert off.stop
    assert sent == []
    assert archive.log() == []
    # The same call against the endpoint's path asks that endpoint and nothing else.
    on = asyncio.run(save(archive.url("/save/")))
    assert on.snapshot == (_snapshot(archive, site.url("/page-x")), SNAPSHOT_STAMP)
    assert [(u.host, u.port) for u in sent] == [("127.0.0.1", archive.port)]
    assert [p for _, p in archive.log()] == [f"/save/{site.url('/page-x')}"]
