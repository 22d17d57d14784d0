"""The link checker against a real HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from citeguide.linkcheck.checker import Checker, CheckOptions, CheckResult, HostRule, retry_after
from citeguide.linkcheck.classify import Outcome, classify, is_soft_404
from citeguide.linkcheck.collect import Target, Use, collect
from citeguide.linkcheck.pages import read_page
from linkserver import LinkServer, running

UA = "citeguide-test/1 (+https://pypi.org/project/citeguide/)"
FAST = CheckOptions(user_agent=UA, timeout=1.0, connect_timeout=1.0, retries=2, backoff=0.05)


@pytest.fixture(scope="module")
def server() -> Iterator[LinkServer]:
    with running() as srv:
        yield srv


def _target(url: str) -> Target:
    return Target(url, url, [Use("content/guides/g.md", 3, date(2026, 1, 1))])


def check(url: str, options: CheckOptions = FAST) -> CheckResult:
    return asyncio.run(Checker(options).run([_target(url)]))[0]


@pytest.mark.parametrize(
    ("path", "status", "http_status"),
    [
        ("/ok", "ok", 200),
        ("/pdf", "ok", 200),
        ("/404", "dead", 404),
        ("/410", "dead", 410),
        ("/soft-404", "soft-404", 200),
        ("/999", "blocked", 999),
        ("/cloudflare", "blocked", 403),
    ],
)
def test_statuses(server: LinkServer, path: str, status: str, http_status: int) -> None:
    result = check(server.url(path))
    assert (result.status, result.outcome.http_status) == (status, http_status)


def test_permanent_redirect_is_moved_with_new_url(server: LinkServer) -> None:
    for path, code in (("/301", 301), ("/308", 308)):
        result = check(server.url(path))
        assert result.status == "moved"
        assert result.outcome.final_url == server.url("/ok")
        assert result.outcome.chain == [(code, server.url("/ok"))]


def test_temporary_redirect_is_ok_and_recorded(server: LinkServer) -> None:
    result = check(server.url("/302"))
    assert result.status == "ok"
    assert result.outcome.chain == [(302, server.url("/ok"))]


def test_malformed_redirect_is_an_error_not_a_crash(server: LinkServer) -> None:
    result = check(server.url("/bad-location"))
    assert (result.status, result.outcome.error) == ("error", "malformed")


def test_redirect_loop_is_an_error(server: LinkServer) -> None:
    result = check(server.url("/loop-a"))
    assert (result.status, result.outcome.error) == ("error", "loop")
    assert len(result.outcome.chain) == 2


def test_slow_response_past_the_timeout(server: LinkServer) -> None:
    options = CheckOptions(user_agent=UA, timeout=0.3, connect_timeout=0.3, retries=1, backoff=0.01)
    result = check(server.url("/slow"), options)
    assert result.status == "timeout"
    assert result.attempts == 2  # retried once


def test_429_with_retry_after_then_200() -> None:
    with running() as srv:
        start = datetime.now(UTC)
        result = check(srv.url("/429-then-ok"))
        waited = datetime.now(UTC) - start
    assert result.status == "ok"
    assert waited >= timedelta(seconds=1)  # Retry-After: 1 honoured
    # one streamed GET per attempt: 429, then after the wait 200 with the page
    assert [m for m, path, _ in srv.methods] == ["GET", "GET"]


def test_persistent_429_is_blocked_not_dead(server: LinkServer) -> None:
    options = CheckOptions(user_agent=UA, timeout=1, retries=1, backoff=0.01, retry_after_cap=0.1)
    assert check(server.url("/429-always"), options).status == "blocked"


def test_403_to_non_browser_agents_is_blocked(server: LinkServer) -> None:
    result = check(server.url("/bot"))
    assert result.status == "blocked"
    assert any(ua == UA for _, path, ua in server.methods if path == "/bot")


def test_per_host_header_and_accepted_status_overrides(server: LinkServer) -> None:
    host = "127.0.0.1"
    browserish = HostRule(headers={"User-Agent": "Mozilla/5.0 (compatible)"})
    options = CheckOptions(user_agent=UA, timeout=1, hosts={host: browserish})
    assert check(server.url("/bot"), options).status == "ok"
    accepting = CheckOptions(
        user_agent=UA, timeout=1, hosts={host: HostRule(accept=frozenset({403}))}
    )
    assert check(server.url("/bot"), accepting).status == "ok"


def test_one_get_per_url(server: LinkServer) -> None:
    before = len([p for _, p, _ in server.methods if p == "/no-head"])
    result = check(server.url("/no-head"))
    assert result.status == "ok"
    methods = [m for m, path, _ in server.methods if path == "/no-head"]
    assert methods[before:] == ["GET"]


def test_a_host_configured_for_head_gets_head_then_get_for_html(server: LinkServer) -> None:
    options = CheckOptions(user_agent=UA, timeout=1, hosts={"127.0.0.1": HostRule(head=True)})
    before = len([p for _, p, _ in server.methods if p == "/no-head"])
    assert check(server.url("/no-head"), options).status == "ok"
    methods = [m for m, path, _ in server.methods if path == "/no-head"]
    assert methods[before:] == ["HEAD", "GET"]  # 405 to HEAD, then the page


def test_non_html_is_not_downloaded(server: LinkServer) -> None:
    result = check(server.url("/pdf"))
    assert result.status == "ok"
    assert [m for m, path, _ in server.methods if path == "/pdf"][-1] == "GET"
    assert result.outcome.body == b""  # closed after the headers


def test_503_then_200_is_retried(server: LinkServer) -> None:
    # the route fails twice: two GET attempts answer 503, the third gets the page
    result = check(server.url("/503-then-ok"))
    assert (result.status, result.attempts) == ("ok", 3)


def test_refused_port_is_an_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = check(f"http://127.0.0.1:{port}/", CheckOptions(user_agent=UA, retries=0))
    assert (result.status, result.outcome.error) == ("error", "refused")


def test_oversized_body_is_read_only_up_to_the_cap(server: LinkServer) -> None:
    options = CheckOptions(user_agent=UA, timeout=5, max_bytes=64 * 1024)
    result = check(server.url("/huge"), options)
    assert result.status == "ok"
    assert len(result.outcome.body) == 64 * 1024


def test_per_host_limit_holds_at_the_server() -> None:
    with running(delay=0.05) as slow:
        targets = [_target(slow.url(f"/page{i}")) for i in range(40)]
        options = CheckOptions(user_agent=UA, concurrency=64, per_host=3, timeout=5)
        results = asyncio.run(Checker(options).run(targets))
        assert {r.status for r in results} == {"ok"}
        assert slow.max_in_flight == 3  # never more, and the limit was used


def test_minimum_interval_between_requests_to_one_host() -> None:
    with running() as srv:
        targets = [_target(srv.url(f"/pdf?{i}")) for i in range(5)]
        options = CheckOptions(user_agent=UA, per_host=8, min_interval=0.1, timeout=5)
        start = datetime.now(UTC)
        asyncio.run(Checker(options).run(targets))
        assert datetime.now(UTC) - start >= timedelta(seconds=0.4)


def test_throttled_host_is_deferred_not_stalling_others() -> None:
    with running() as busy, running("127.0.0.2") as other:
        order: list[str] = []
        options = CheckOptions(user_agent=UA, timeout=2, backoff=0.01, defer_after=0.5)
        targets = [_target(busy.url("/429-then-ok")), _target(other.url("/ok"))]
        results = asyncio.run(
            Checker(options, progress=lambda r: order.append(r.target.url)).run(targets)
        )
        assert [r.status for r in results] == ["ok", "ok"]
        assert order == [other.url("/ok"), busy.url("/429-then-ok")]


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)
    assert retry_after("7", now, 60) == 7
    assert retry_after("3600", now, 60) == 60  # capped
    assert retry_after("Fri, 27 Nov 2026 12:00:30 GMT", now, 60) == 30
    assert retry_after("soon", now, 60) is None


def test_soft_404_reads_title_or_heading() -> None:
    assert is_soft_404(read_page(b"<title>404 - Page Not Found</title>"))
    assert is_soft_404(read_page(b"<title>Acme</title><h1>Sorry, this page doesn't exist</h1>"))
    assert not is_soft_404(read_page(b"<title>vLLM: fast serving</title><h1>vLLM</h1>"))


def test_bot_wall_is_never_dead() -> None:
    outcome = Outcome(http_status=404, body=b"<title>Just a moment...</title>")
    assert classify(outcome) == "dead"  # a 404 is a 404
    outcome = Outcome(http_status=503, body=b"<title>Just a moment...</title>")
    assert classify(outcome) == "blocked"


def test_collect_deduplicates_and_keeps_every_use() -> None:
    use_a = Use("content/guides/a.md", 5, date(2026, 1, 2))
    use_b = Use("content/guides/b.md", 9, date(2025, 12, 1))
    targets = collect([("https://e.org/x", "https://E.org/x/", use_a),
                       ("https://e.org/x", "https://e.org/x", use_b),
                       ("https://e.org/x", "https://e.org/x", use_b)])  # fmt: skip
    assert len(targets) == 1
    assert targets[0].uses == [use_a, use_b]
    assert targets[0].earliest == date(2025, 12, 1)
    assert targets[0].url == "https://E.org/x/"
