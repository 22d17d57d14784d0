"""Hostile servers: what a cited host or an archive sends must not leak, pivot, hang or
inject. Real servers on 127.0.0.x (see hostile_servers.py), never the internet."""

from __future__ import annotations

import asyncio
import gzip
import time
import tracemalloc
from datetime import date
from http.server import BaseHTTPRequestHandler

import httpx
import pytest
from hostile_servers import reply, serve

from citeguide.linkcheck.archive import closest_snapshot
from citeguide.linkcheck.checker import Checker, CheckOptions, HostRule, retry_after
from citeguide.linkcheck.collect import Target
from citeguide.linkcheck.safety import read_capped, resolves_private
from citeguide.text.urls import is_private_host

OPTIONS = CheckOptions(user_agent="citeguide-test", timeout=5, retries=0, backoff=0.01)


def _target(url: str) -> Target:
    return Target(key=url, url=url, uses=[])


def _check(url: str, options: CheckOptions = OPTIONS, **kwargs: object):  # type: ignore[no-untyped-def]
    return asyncio.run(Checker(options, **kwargs).run([_target(url)]))[0]  # type: ignore[arg-type]


# 1. A host's secret headers go to that exact host only, on every hop.
def test_secret_headers_are_not_sent_to_the_host_a_redirect_points_at() -> None:
    with serve(lambda r: reply(r, 200, b"ok", Content_Type="text/plain"), "127.0.0.2") as other:

        def bounce(request: BaseHTTPRequestHandler) -> None:
            reply(request, 302, Location=f"{other.base}/landing")

        with serve(bounce, "127.0.0.1") as first:
            secret = {"Cookie": "session=s3cret", "Authorization": "Bearer t0ken"}
            options = CheckOptions(
                user_agent="t", timeout=5, retries=0, hosts={"127.0.0.1": HostRule(secret)}
            )
            result = _check(f"{first.base}/start", options)
    assert result.status == "ok"
    assert first.received
    assert first.received[0]["cookie"] == "session=s3cret"
    assert other.received, "the redirect was followed"
    for headers in other.received:
        assert "cookie" not in headers
        assert "authorization" not in headers


# 4. Redirects into private addresses are refused unless the cited URL is private itself.
async def _public_except_loopback_one(host: str, port: int | None) -> bool:
    """The test's stand-in for the internet: 127.0.0.1 plays a public host."""
    return False if host == "127.0.0.1" else await resolves_private(host, port)


@pytest.mark.parametrize(
    "location",
    ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.2:{port}/", "http://2130706433/"],
)
def test_redirect_from_a_public_page_into_a_private_address_is_refused(location: str) -> None:
    with serve(lambda r: reply(r, 200, b"internal"), "127.0.0.2") as internal:
        port = internal.base.rsplit(":", 1)[1]

        def bounce(request: BaseHTTPRequestHandler) -> None:
            reply(request, 302, Location=location.format(port=port))

        with serve(bounce) as public:
            result = _check(f"{public.base}/a", private=_public_except_loopback_one)
    assert result.status == "error"
    assert result.outcome.error == "private-redirect"
    assert "redirect into a private address" in (result.outcome.detail or "")
    assert internal.received == []


def test_a_private_cited_url_may_redirect_within_private_addresses() -> None:
    fine = serve(lambda r: reply(r, 200, b"fine", Content_Type="text/plain"), "127.0.0.2")
    with fine as b, serve(lambda r: reply(r, 302, Location=f"{b.base}/x")) as a:
        result = _check(f"{a.base}/a")
    assert result.status == "ok"


@pytest.mark.parametrize(
    "host",
    ["2130706433", "127.1", "0x7f.0.0.1", "0177.0.0.1", "localhost.", "LOCALHOST", "[::1]",
     "[::ffff:127.0.0.1]", "169.254.169.254", "10.1.2.3", "printer.local", "0.0.0.0"],
)  # fmt: skip
def test_private_addresses_are_recognised_in_every_spelling(host: str) -> None:
    assert is_private_host(host)


@pytest.mark.parametrize("host", ["example.org", "93.184.215.14", "8.8.8.8", "[2606:4700::1]"])
def test_public_addresses_are_not_private(host: str) -> None:
    assert not is_private_host(host)


# 5. Non-http(s) snapshot URLs from the archive are ignored.
@pytest.mark.parametrize(
    "snapshot", ["javascript:alert(document.cookie)", "data:text/html,<script>x</script>", 42]
)
def test_archive_answer_with_a_non_web_url_is_ignored(snapshot: object) -> None:
    import json

    answer = {"archived_snapshots": {"closest": {"available": True, "url": snapshot,
                                                  "timestamp": "20260101"}}}  # fmt: skip
    body = json.dumps(answer).encode()
    with serve(lambda r: reply(r, 200, body, Content_Type="application/json")) as archive:
        found = asyncio.run(_lookup(f"{archive.base}/available"))
    assert found is None


async def _lookup(endpoint: str, timeout: float = 5.0) -> tuple[str, str] | None:
    async with httpx.AsyncClient(timeout=timeout) as client:
        return await closest_snapshot(
            client, endpoint, "https://example.org/gone", date(2026, 1, 1), timeout=timeout
        )


# 10. Endless answers and gzip bombs are read up to a cap, within a total time.
def _endless(request: BaseHTTPRequestHandler) -> None:
    request.send_response(200)
    request.send_header("Content-Type", "application/json")
    request.send_header("Transfer-Encoding", "chunked")
    request.end_headers()
    chunk = b"x" * 65536
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        request.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))


def test_endless_archive_answer_is_cut_off_not_read_forever() -> None:
    with serve(_endless) as archive:
        start = time.monotonic()
        tracemalloc.start()
        found = asyncio.run(_lookup(f"{archive.base}/available", timeout=3))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert found is None
    assert time.monotonic() - start < 10
    assert peak < 16 * 1024 * 1024


BOMB = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)


def test_gzip_bomb_is_inflated_only_up_to_the_cap() -> None:
    def bomb(request: BaseHTTPRequestHandler) -> None:
        reply(request, 200, BOMB, Content_Type="text/html", Content_Encoding="gzip")

    with serve(bomb) as server:

        async def fetch() -> bytes:
            async with (
                httpx.AsyncClient() as client,
                client.stream("GET", f"{server.base}/") as response,
            ):
                return await read_capped(response, 256 * 1024)

        tracemalloc.start()
        body = asyncio.run(fetch())
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert len(body) == 256 * 1024
    assert peak < 32 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


# 11. A Retry-After of days neither stalls the run nor holds back other hosts.
def test_huge_retry_after_is_capped_and_reported_as_deferred() -> None:
    throttled = serve(lambda r: reply(r, 429, Retry_After="999999"))
    healthy = serve(lambda r: reply(r, 200, b"ok", Content_Type="text/plain"), "127.0.0.2")
    with throttled as slow, healthy as fine:
        options = CheckOptions(
            user_agent="t", timeout=5, retries=3, retry_after_cap=60, host_wait_budget=1
        )
        start = time.monotonic()
        results = asyncio.run(
            Checker(options).run([_target(f"{slow.base}/a"), _target(f"{fine.base}/b")])
        )
    assert time.monotonic() - start < 10
    assert results[0].status == "blocked"
    assert results[0].outcome.error == "deferred"
    assert results[1].status == "ok"


# 12. A Retry-After that is not a number is ignored, not a crash.
@pytest.mark.parametrize("value", ["²", "٣", "1e9", "soon", "-5"])
def test_odd_retry_after_values_do_not_crash(value: str) -> None:
    from datetime import UTC, datetime

    assert retry_after(value, datetime.now(UTC), 60) is None
