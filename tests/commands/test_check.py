"""`citeguide check` end to end: real local server, state file, then the next build."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from citeguide.cli import main
from citeguide.engine.builder import build_site
from citeguide.linkcheck.state import STATE_FILE
from conftest import TODAY, write_site
from linkserver import LinkServer, running


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with running() as srv:
        yield srv


def _site(root: Path, srv: LinkServer, dead_after: int = 1) -> Path:
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
    # dead_after = 1: these tests are about what a dead verdict does; the confirmation
    # policy (failing first) has tests of its own below.
    config = (
        f"[linkcheck]\nretries = 0\ndead_after = {dead_after}\ndead_spacing_hours = 0\n"
        f'archive_endpoint = "{srv.url("/wayback/available")}"\n'
    )
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
    assert ok["title"] == "A real page"  # the page's <title>, as the state file has it
    assert ok["quotes"] == {}
    assert rows["404"]["dead_checks"] == 1
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
    assert "citeguide-links.json:1:32: error: links.x.url" in err  # at its "url" key
    assert "Traceback" not in err


def test_one_dead_answer_is_failing_and_only_confirmed_deaths_are_dead(
    tmp_path: Path, server: LinkServer, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path / "s", server, dead_after=3)
    statuses = []
    for _ in range(3):
        assert main(["check", "--root", str(root), "--format", "json"]) == 0
        statuses.append(_json(capsys.readouterr().out)["404"]["status"])
    assert statuses == ["failing", "failing", "dead"]
    state = json.loads((root / "citeguide-links.json").read_text(encoding="utf-8"))
    record = next(r for r in state["links"].values() if r["url"].endswith("/404"))
    assert record["dead_checks"] == 3


def test_a_failing_source_shows_a_quiet_badge_not_the_archive(
    tmp_path: Path, server: LinkServer, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path / "s", server, dead_after=3)
    assert main(["check", "--root", str(root)]) == 0
    assert main(["build", "--root", str(root)]) == 0
    capsys.readouterr()
    page = (root / "site/links/index.html").read_text(encoding="utf-8")
    assert "failing: failed 1 of 3 checks" in page
    twin = json.loads((root / "site/links.cite.json").read_text(encoding="utf-8"))
    gone = next(s for s in twin["sources"] if s["url"].endswith("/404"))
    assert gone["link"]["status"] == "failing"
    assert "Archived copy" not in page


def test_findings_closer_than_the_spacing_count_once(
    tmp_path: Path, server: LinkServer, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path / "s", server, dead_after=2)
    config = root / "citeguide.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "dead_spacing_hours = 0", "dead_spacing_hours = 20"
        ),
        encoding="utf-8",
    )
    for _ in range(3):
        assert main(["check", "--root", str(root), "--format", "json"]) == 0
        assert _json(capsys.readouterr().out)["404"]["status"] == "failing"


def test_any_success_resets_the_count() -> None:
    from datetime import UTC, datetime, timedelta

    from citeguide.linkcheck.checker import CheckResult
    from citeguide.linkcheck.classify import Outcome
    from citeguide.linkcheck.collect import Target
    from citeguide.linkcheck.state import DeathPolicy, LinkState, record

    state, policy = LinkState(), DeathPolicy(dead_after=2, spacing_hours=0)
    target = Target(key="https://a.example/x", url="https://a.example/x", uses=[])
    now = datetime(2026, 11, 1, tzinfo=UTC)

    def check(status: str, hours: int) -> str:
        result = CheckResult(target, status, Outcome(http_status=404), 1)  # type: ignore[arg-type]
        return record(state, result, now + timedelta(hours=hours), policy).status

    assert [check("dead", 0), check("ok", 1), check("dead", 2), check("dead", 3)] == [
        "failing", "ok", "failing", "dead",
    ]  # fmt: skip


def test_temporary_dns_failure_is_an_error_retried_never_dead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import asyncio
    import socket

    from citeguide.linkcheck.checker import Checker, CheckOptions
    from citeguide.linkcheck.collect import Target

    calls: list[object] = []
    real = socket.getaddrinfo

    def resolver_down(host: object, *args: object, **kwargs: object) -> object:
        # What getaddrinfo answers on a machine whose resolver cannot be reached.
        if host in ("example.invalid", b"example.invalid"):
            calls.append(host)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", resolver_down)
    options = CheckOptions(user_agent="t", timeout=5, retries=2, backoff=0.01)
    target = Target(key="http://example.invalid/", url="http://example.invalid/", uses=[])
    result = asyncio.run(Checker(options).run([target]))[0]
    assert result.outcome.error == "dns-temporary"
    assert result.status == "error"
    assert result.attempts == 3
    # The private-address check resolves once per run; each attempt's connection again.
    assert len(calls) == 1 + 3


def test_titles_are_recorded_and_name_the_sources(
    tmp_path: Path, server: LinkServer, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path / "s", server)
    assert main(["check", "--root", str(root)]) == 0
    state = json.loads((root / "citeguide-links.json").read_text(encoding="utf-8"))
    fine = next(r for r in state["links"].values() if r["url"].endswith("/ok"))
    assert fine["title"] == "A real page"
    assert main(["build", "--root", str(root)]) == 0
    capsys.readouterr()
    page = (root / "site/links/index.html").read_text(encoding="utf-8")
    assert f'<a href="{server.url("/ok")}" rel="noopener">A real page</a>' in page
    assert '"name": "A real page"' in page  # JSON-LD citation
    twin_md = (root / "site/links.md").read_text(encoding="utf-8")
    assert f"<{server.url('/ok')}> — A real page (127.0.0.1:{server.port})" in twin_md
    twin = json.loads((root / "site/links.cite.json").read_text(encoding="utf-8"))
    assert any(s["link"]["title"] == "A real page" for s in twin["sources"])


def test_archive_snapshots_live_sources_with_no_copy_near_their_citation_date(
    server: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    guide = f"""---
title: Archive
summary: Sources to keep.
published: 2026-05-01
---

## Which?

Archived near its date [cite: {server.url("/ok")} · 2026-03-10 · high].
Never archived [cite: {server.url("/page-fresh")} · 2026-03-10 · high].
Archived only in 2020 [cite: {server.url("/page-old")} · 2026-03-10 · high].
The archive refuses [cite: {server.url("/page-refused")} · 2026-03-10 · high].
A hostile answer [cite: {server.url("/page-evil")} · 2026-03-10 · high].
"""
    config = (
        "[linkcheck]\nretries = 0\nsave_interval = 0\n"
        f'archive_endpoint = "{server.url("/wayback/available")}"\n'
        f'save_endpoint = "{server.url("/save/")}"\n'
    )
    root = write_site(tmp_path / "s", {"content/guides/a.md": guide, "citeguide.toml": config})
    # Without --archive nothing is saved and live sources get no copy.
    assert main(["check", "--root", str(root), "--format", "json"]) == 0
    assert server.hits("/save/" + server.url("/page-fresh")) == 0
    capsys.readouterr()
    assert main(["check", "--root", str(root), "--format", "json", "--archive"]) == 0
    captured = capsys.readouterr()
    links = json.loads((root / STATE_FILE).read_text())["links"]
    archive = {url.rsplit("/", 1)[1]: rec["archive_url"] for url, rec in links.items()}
    # A copy within save_window_days of the citation date is kept, not asked for again.
    assert archive["ok"] == f"http://archive.example/web/20260310120000/{server.url('/ok')}"
    assert server.hits("/save/" + server.url("/ok")) == 0
    # No copy, or only an old one: one save request each, the snapshot recorded.
    for name in ("page-fresh", "page-old"):
        assert archive[name] == server.url(f"/web/20261127093000/{server.url('/' + name)}")
        assert server.hits("/save/" + server.url("/" + name)) == 1
    # A refused save is reported; a javascript: "snapshot" is never recorded.
    assert archive["page-refused"] is None
    assert archive["page-evil"] is None
    assert f"archive: no snapshot taken of {server.url('/page-refused')}" in captured.err
    assert f"archive: no snapshot taken of {server.url('/page-evil')}" in captured.err
    # The snapshot stays in the state file on the next plain check, and the twin has it.
    assert main(["check", "--root", str(root), "--format", "json"]) == 0
    links = json.loads((root / STATE_FILE).read_text())["links"]
    assert links[server.url("/page-fresh")]["archive_url"].endswith("/page-fresh")
    assert build_site(root, today=TODAY).ok
    twin = json.loads((root / "site" / "a.cite.json").read_text())
    kept = {s["url"].rsplit("/", 1)[1]: s["link"]["archive_url"] for s in twin["sources"]}
    assert kept["page-fresh"] == archive["page-fresh"]


def test_check_and_lint_run_in_a_fresh_process(server: LinkServer, tmp_path: Path) -> None:
    """Neither renders: in a process where no build ran first, they must not need a
    template environment (a test order that builds first would hide this)."""
    import subprocess
    import sys

    root = write_site(
        tmp_path / "s",
        {"content/guides/a.md": "---\ntitle: T\nsummary: S.\npublished: 2026-05-01\n---\n\n"
         f"A fact [cite: {server.url('/ok')} · 2026-03-10 · high].\n"},
    )  # fmt: skip
    for command in (["lint"], ["check", "--format", "json"]):
        done = subprocess.run(
            [sys.executable, "-m", "citeguide", *command, "--root", str(root)],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
    assert json.loads(done.stdout.splitlines()[0])["status"] == "ok"
