"""`citeguide check` end to end: real local server, state file, then the next build."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from citeguide.build import build_site
from citeguide.cli import main
from citeguide.linkcheck.state import STATE_FILE
from conftest import TODAY, write_site
from linkserver import LinkServer, running


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with running() as srv:
        yield srv


def _site(root: Path, srv: LinkServer) -> Path:
    guide = f"""---
title: Links
summary: Sources with every kind of answer.
published: 2026-05-01
---

## Which?

Fine page [cite: {srv.url("/ok")} · 2026-03-10 · high].
Gone page [cite: {srv.url("/404")} · 2026-02-01 · medium].
Moved page [cite: {srv.url("/301")} · 2026-03-10 · low].
Bot wall [cite: {srv.url("/bot")} · 2026-03-10 · high].
Again fine [cite: {srv.url("/ok")} · 2026-03-11 · high].
"""
    table = f"""m:
  name: M
  provider: P
  input: 1
  output: 5
  source: {srv.url("/soft-404")}
  date: 2026-01-01
  confidence: high
"""
    config = f'[linkcheck]\nretries = 0\narchive_endpoint = "{srv.url("/wayback/available")}"\n'
    return write_site(
        root,
        {
            "content/guides/links.md": guide,
            "content/data/api_prices.yaml": table,
            "citeguide.toml": config,
        },
    )


def _json(out: str) -> dict[str, dict[str, object]]:
    rows = [json.loads(line) for line in out.splitlines()]
    return {str(row["url"]).rsplit("/", 1)[1]: row for row in rows}


def test_check_reports_json_lines_and_writes_state(
    server: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path / "s", server)
    assert main(["check", "--root", str(root), "--format", "json"]) == 0
    rows = _json(capsys.readouterr().out)
    assert {k: v["status"] for k, v in rows.items()} == {
        "ok": "ok", "404": "dead", "301": "moved", "bot": "blocked", "soft-404": "soft-404",
    }  # fmt: skip
    ok = rows["ok"]
    assert ok["http_status"] == 200
    assert ok["path"] == "content/guides/links.md"
    assert ok["line"] == 9
    assert ok["uses"] == [{"path": "content/guides/links.md", "line": 9},
                          {"path": "content/guides/links.md", "line": 13}]  # fmt: skip
    assert str(ok["checked_at"]).endswith("Z")
    assert rows["301"]["final_url"] == server.url("/ok")
    assert rows["soft-404"]["path"] == "content/data/api_prices.yaml"
    # archive copies are looked up for dead, soft-404 and moved sources, at the citation date
    assert rows["404"]["archive_url"] == (
        f"http://archive.example/web/20260201120000/{server.url('/404')}"
    )
    assert rows["ok"]["archive_url"] is None
    state = json.loads((root / STATE_FILE).read_text())
    assert len(state["links"]) == 5
    record = state["links"][server.url("/404")]
    assert record["consecutive_failures"] == 1
    assert record["first_checked"] == record["last_checked"]


def test_next_build_shows_statuses_in_twin_and_page(
    server: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path / "s", server)
    main(["check", "--root", str(root)])
    capsys.readouterr()
    result = build_site(root, today=TODAY)
    assert result.ok, result.diagnostics.render()
    twin = json.loads((root / "site" / "links.cite.json").read_text())
    links = {s["url"].rsplit("/", 1)[1]: s["link"] for s in twin["sources"]}
    assert links["404"]["status"] == "dead"
    assert links["404"]["archive_url"].startswith("http://archive.example/web/20260201")
    assert links["301"]["final_url"] == server.url("/ok")
    assert links["ok"]["http_status"] == 200
    assert links["ok"]["checked_at"].endswith("Z")
    page = (root / "site" / "links" / "index.html").read_text()
    assert 'class="badge link-dead"' in page
    # a dead source offers the archived copy first
    dead = page.index(f'<li id="{_source_id(twin, "404")}"')
    assert page.index("Archived copy", dead) < page.index('class="link-gone"', dead)


def _source_id(twin: dict[str, list[dict[str, str]]], tail: str) -> str:
    return next(s["id"] for s in twin["sources"] if s["url"].endswith(tail))


def test_fail_on_dead_exits_3(
    server: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path / "s", server)
    assert main(["check", "--root", str(root), "--fail-on", "dead"]) == 3
    assert main(["check", "--root", str(root), "--fail-on", "timeout"]) == 0
    assert main(["check", "--root", str(root), "--fail-on", "gone"]) == 2
    text = capsys.readouterr()
    assert "dead (1)" in text.out
    assert "content/guides/links.md:10" in text.out


def test_max_age_skips_recent_checks(
    server: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path / "s", server)
    main(["check", "--root", str(root)])
    hits = server.hits("/ok")
    before = (root / STATE_FILE).read_text()
    main(["check", "--root", str(root), "--max-age", "1"])
    assert server.hits("/ok") == hits
    assert (root / STATE_FILE).read_text() == before
    assert "5 URLs checked within 1 days: skipped" in capsys.readouterr().err


def test_consecutive_failures_count_up(
    server: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path / "s", server)
    main(["check", "--root", str(root)])
    main(["check", "--root", str(root)])
    state = json.loads((root / STATE_FILE).read_text())
    assert state["links"][server.url("/404")]["consecutive_failures"] == 2
    assert state["links"][server.url("/ok")]["consecutive_failures"] == 0


@pytest.mark.parametrize("fmt", ["markdown", "github"])
def test_other_formats(
    server: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    root = _site(tmp_path / "s", server)
    main(["check", "--root", str(root), "--format", fmt])
    out = capsys.readouterr().out
    if fmt == "markdown":
        assert "## dead (1)" in out
        assert "`content/guides/links.md:10`" in out
    else:
        assert (
            f"::error file=content/guides/links.md,line=10,title=link dead::{server.url('/404')}"
            in out
        )
        assert "::warning file=content/guides/links.md,line=12,title=link blocked::" in out


def test_corrupt_state_file_is_a_positioned_build_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_site(tmp_path / "s", {"content/guides/g.md": "---\ntitle: T\nsummary: S.\n"
                                        "published: 2026-01-01\n---\n\nText.\n",
                                        STATE_FILE: '{"version": 1,\n  "links": [}\n'})  # fmt: skip
    assert main(["build", "--root", str(root)]) == 1
    assert "citeguide-links.json:2:13: error: invalid JSON" in capsys.readouterr().err


def test_unreadable_state_file_is_reported_not_a_traceback(
    server: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path / "s", server)
    (root / STATE_FILE).write_text('{"version": 1, "links": {"x": {"url": 3}}}')
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "citeguide-links.json:1:1: error: links.x.url" in err
    assert "Traceback" not in err
