"""Archived copies of failing sources, from a Wayback-style availability endpoint.

The endpoint is a server like any other: its answer is read with a byte cap and a total
time limit, redirects are not followed into private addresses, and the snapshot URL it
names must be an http(s) URL before it can become a link on a page.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import TextIO
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from citeguide.linkcheck.checker import CheckOptions, CheckResult
from citeguide.linkcheck.collect import Target
from citeguide.linkcheck.safety import ACCEPT_ENCODING, read_capped, resolves_private
from citeguide.linkcheck.state import LinkState
from citeguide.text.urls import is_private_url, origin_of, web_url

DEFAULT_ENDPOINT = "https://archive.org/wayback/available"
MAX_ANSWER_BYTES = 64 * 1024
"""An availability answer is a few hundred bytes; anything past this is not one."""


async def closest_snapshot(
    client: httpx.AsyncClient,
    endpoint: str,
    url: str,
    when: date,
    *,
    timeout: float = 20.0,
    max_redirects: int = 5,
) -> tuple[str, str] | None:
    """(snapshot URL, timestamp) of the copy closest to `when`, or None.

    The endpoint answers `?url=...&timestamp=YYYYMMDD` with
    `{"archived_snapshots": {"closest": {"available": true, "url": ..., "timestamp": ...}}}`.
    """
    params = {"url": url, "timestamp": when.strftime("%Y%m%d")}
    request_url = str(httpx.URL(endpoint, params=params))
    may_be_private = is_private_url(endpoint)
    try:
        async with asyncio.timeout(timeout):
            for _ in range(max_redirects + 1):
                async with client.stream("GET", request_url) as response:
                    location = response.headers.get("location")
                    if response.is_redirect and location:
                        request_url = urljoin(request_url, location)
                        parts = urlsplit(request_url)
                        if not web_url(request_url) or (
                            not may_be_private
                            and await resolves_private(parts.hostname or "", parts.port)
                        ):
                            return None  # a redirect into a private address: refused
                        continue
                    if response.status_code != 200:
                        return None
                    body = await read_capped(response, MAX_ANSWER_BYTES + 1)
                    break
            else:
                return None
        if len(body) > MAX_ANSWER_BYTES:
            return None
        closest = json.loads(body).get("archived_snapshots", {}).get("closest") or {}
    except (
        httpx.HTTPError,
        httpx.InvalidURL,
        TimeoutError,
        ValueError,
        AttributeError,
        RecursionError,
    ):
        return None
    if not isinstance(closest, dict) or not closest.get("available"):
        return None
    snapshot, stamp = closest.get("url"), closest.get("timestamp", "")
    if not web_url(snapshot) or not isinstance(stamp, str | int):
        return None  # a javascript: or data: URL would become a live link on the page
    return str(snapshot), str(stamp)


_SNAPSHOT_STAMP = re.compile(r"/web/(\d{14})/")
MAX_SAVE_ANSWER_BYTES = 256 * 1024
"""A save answer is a redirect or a small page; its body is read only up to this."""


@dataclass(frozen=True)
class SaveAnswer:
    """What one save request gave: a snapshot, or why there is none."""

    snapshot: tuple[str, str] | None
    """(snapshot URL, timestamp)."""
    problem: str = ""
    stop: bool = False
    """The endpoint is unreachable or rate-limiting: ask it nothing more this run."""


async def save_snapshot(
    client: httpx.AsyncClient, endpoint: str, url: str, *, timeout: float = 120.0
) -> SaveAnswer:
    """Ask a Wayback-style save endpoint (`endpoint` + URL) to take a snapshot now.

    The answer names the snapshot in `Content-Location` or `Location`
    (`/web/YYYYMMDDhhmmss/URL`). Only the endpoint's own origin is ever asked: a request
    URL whose scheme, host or port the appended URL would change is refused unsent, and
    redirects are not followed: the snapshot's address is read from the answer, checked
    to be a public http(s) URL (unless the endpoint itself is private, as in tests), and
    only recorded.
    """
    request_url = endpoint + url
    home = origin_of(endpoint)
    if not web_url(endpoint) or home is None or origin_of(request_url) != home:
        return SaveAnswer(None, f"{endpoint!r} + the URL leaves the endpoint's host", stop=True)
    try:
        async with asyncio.timeout(timeout):
            async with client.stream("GET", request_url) as response:
                await read_capped(response, MAX_SAVE_ANSWER_BYTES)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.ProxyError) as exc:
        return SaveAnswer(None, f"save endpoint unreachable ({type(exc).__name__})", stop=True)
    except (httpx.HTTPError, TimeoutError) as exc:
        return SaveAnswer(None, f"no answer in time or a broken one ({type(exc).__name__})")
    except (httpx.InvalidURL, ValueError):
        return SaveAnswer(None, "a malformed answer")  # httpx parses even unfollowed redirects
    if response.status_code == 429:
        return SaveAnswer(None, "HTTP 429: the archive is rate-limiting saves", stop=True)
    if response.status_code >= 400:
        return SaveAnswer(None, f"HTTP {response.status_code}")
    where = response.headers.get("content-location") or response.headers.get("location")
    if not where:
        return SaveAnswer(None, "the answer names no snapshot")
    snapshot = urljoin(request_url, where)
    stamp = _SNAPSHOT_STAMP.search(snapshot)
    if stamp is None or not web_url(snapshot):
        return SaveAnswer(None, "the answer names no http(s) snapshot")
    if is_private_url(snapshot) and not is_private_url(endpoint):
        return SaveAnswer(None, "a public archive named a private address")
    return SaveAnswer((snapshot, stamp.group(1)))


ARCHIVED_STATUSES = frozenset({"dead", "soft-404", "moved"})
"""Statuses whose sources get the archived copy closest to their citation date."""


def _left(deadline: float) -> float:
    return deadline - time.monotonic()


async def lookup_failing(
    results: list[CheckResult],
    endpoint: str,
    options: CheckOptions,
    deadline: float = float("inf"),
    err: TextIO | None = None,
) -> dict[str, tuple[str, str]]:
    """The snapshot closest to the citation date of every dead, soft-404 or moved source,
    by target key; a few lookups at a time (one service: stay polite), all done by
    `deadline` (`time.monotonic()`); what is not found by then waits for the next run."""
    wanted = [r for r in results if r.status in ARCHIVED_STATUSES]
    found: dict[str, tuple[str, str]] = {}
    if not wanted or not endpoint:
        return found
    limit = asyncio.Semaphore(4)  # one service: stay polite
    headers = {"User-Agent": options.user_agent, "Accept-Encoding": ACCEPT_ENCODING}
    async with httpx.AsyncClient(timeout=options.timeout, headers=headers) as client:

        async def lookup(result: CheckResult) -> None:
            async with limit:
                target = result.target
                snap = await closest_snapshot(
                    client, endpoint, target.url, target.earliest, timeout=options.timeout
                )
            if snap:
                found[result.target.key] = snap

        try:
            async with asyncio.timeout(max(0.0, _left(deadline))):
                await asyncio.gather(*(lookup(r) for r in wanted))
        except TimeoutError:
            if err is not None:
                missing = len(wanted) - len(found)
                print(f"archive: out of time (archive_budget); {missing} lookups left for "
                      "the next run", file=err)  # fmt: skip
    return found


def _taken(stamp: str) -> date | None:
    """The day of a snapshot timestamp (YYYYMMDD...)."""
    try:
        return datetime.strptime(stamp[:8], "%Y%m%d").date()
    except ValueError:
        return None


def _near(stamp: str, day: date, window_days: int) -> bool:
    """A snapshot timestamp (YYYYMMDD...) within `window_days` of `day`."""
    taken = _taken(stamp)
    return taken is not None and abs((taken - day).days) <= window_days


def _worth_keeping(stamp: str, day: date, window_days: int) -> bool:
    """A recorded snapshot no new save could beat: near `day`, or taken on or after it
    (a snapshot taken now would be as far from `day` or farther)."""
    taken = _taken(stamp)
    return taken is not None and (abs((taken - day).days) <= window_days or taken >= day)


@dataclass(frozen=True)
class SavePolicy:
    """The `[linkcheck]` settings of `check --archive`."""

    archive_endpoint: str
    save_endpoint: str
    save_interval: float
    save_window_days: int


async def save_missing(
    targets: list[Target],
    state: LinkState,
    config: SavePolicy,
    options: CheckOptions,
    err: TextIO,
    deadline: float = float("inf"),
) -> dict[str, tuple[str, str]]:
    """`--archive`: a snapshot of every live source with none near its citation date,
    asked for one at a time, `save_interval` seconds apart; failures are reported.

    Live is what the state file says after this run, so sources that `--max-age` skipped
    count too. A recorded copy that no new save could beat (near the citation date, or
    taken after it, as an earlier `--archive` run's is) is kept and nothing is asked
    about that source: without this every run would save again every source cited more
    than `save_window_days` ago. The first answer that says the endpoint is unreachable
    or rate-limiting ends the asking, and so does `deadline` (`time.monotonic()`): the
    rest wait for the next run. No request outlives the deadline, so an endpoint that
    trickles its answers costs the budget once, not a minute per source."""
    saved: dict[str, tuple[str, str]] = {}
    window = config.save_window_days
    live: list[Target] = []
    for target in targets:
        rec = state.links.get(target.key)
        if rec is None or rec.status not in ("ok", "moved"):
            continue
        if (
            rec.archive_url
            and rec.archive_timestamp
            and _worth_keeping(rec.archive_timestamp, target.earliest, window)
        ):
            # Kept over whatever the lookup for moved sources found closest.
            saved[target.key] = (rec.archive_url, rec.archive_timestamp)
            continue
        live.append(target)
    if not live or not config.save_endpoint:
        return saved
    headers = {"User-Agent": options.user_agent, "Accept-Encoding": ACCEPT_ENCODING}
    timeout = httpx.Timeout(options.timeout, connect=options.connect_timeout)
    async with httpx.AsyncClient(timeout=timeout, headers=headers) as client:
        asked = taken = 0
        for n, target in enumerate(live):
            if _left(deadline) <= 0:
                left = len(live) - n
                print(f"archive: out of time (archive_budget); {left} sources not asked for",
                      file=err)  # fmt: skip
                break
            page = urldefrag(target.url).url  # a text fragment is not part of the page
            near = None
            if config.archive_endpoint:
                near = await closest_snapshot(
                    client, config.archive_endpoint, page, target.earliest,
                    timeout=max(0.0, min(options.timeout, _left(deadline))),
                )  # fmt: skip
            if near and _near(near[1], target.earliest, window):
                saved[target.key] = near
                continue
            if asked:
                await asyncio.sleep(max(0.0, min(config.save_interval, _left(deadline))))
            asked += 1
            answer = await save_snapshot(
                client,
                config.save_endpoint,
                page,
                timeout=max(0.0, min(max(options.timeout, 60.0), _left(deadline))),
            )
            if answer.snapshot:
                saved[target.key] = answer.snapshot
                taken += 1
                continue
            print(f"archive: no snapshot taken of {page}: {answer.problem}", file=err)
            if answer.stop:
                left = len(live) - n - 1
                if left:
                    print(f"archive: stopped; {left} sources not asked for", file=err)
                break
        if asked:
            print(f"archive: asked for {asked} snapshots, {taken} taken", file=err)
    return saved
