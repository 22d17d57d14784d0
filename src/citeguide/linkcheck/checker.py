"""Checking URLs with one `httpx.AsyncClient` (over the h11 transport), politely.

A global limit and a per-host limit on requests in flight; a minimum interval between
request starts to one host; one streamed GET per URL: an HTML body is read, capped, to
spot soft 404s and bot walls and to find titles and quotes (unless `read_pages` is off),
any other body is closed unread; HEAD first only for hosts set to `head = true`,
then a GET when HEAD is refused or the page must be read; redirects followed by hand,
hop by hop, so the chain is recorded and loops and redirects into private addresses are
caught; retries with exponential backoff and jitter, `Retry-After` honoured, and
throttled hosts deferred to the end of the run instead of stalling it. What an answer
means is `classify`'s; the policy is in docs/checking-sources.md.
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from citeguide.linkcheck.classify import REDIRECTS, RETRY_CODES, Outcome, Status, classify
from citeguide.linkcheck.collect import Target
from citeguide.linkcheck.reader import PageReader, PageReaderError
from citeguide.linkcheck.safety import ACCEPT_ENCODING, BodyError, read_capped, resolves_private
from citeguide.linkcheck.transport import H11Transport, error_kind
from citeguide.text.urls import origin_of, web_url

if sys.platform != "win32":
    import resource


@dataclass(frozen=True)
class HostRule:
    """Per-host overrides from `citeguide.toml`."""

    headers: dict[str, str] = field(default_factory=dict)
    accept: frozenset[int] = frozenset()
    head: bool = False
    """HEAD first for this host (a GET follows for HTML pages)."""


@dataclass(frozen=True)
class CheckOptions:
    user_agent: str
    concurrency: int = 1024
    per_host: int = 8
    min_interval: float = 0.0
    """Seconds between the starts of two requests to one host."""
    timeout: float = 20.0
    """Seconds for a whole request, body and the reading of the page included."""
    connect_timeout: float = 5.0
    retries: int = 2
    backoff: float = 0.5
    """Seconds before the first retry; doubled for each further one, plus jitter."""
    retry_after_cap: float = 60.0
    host_wait_budget: float = 120.0
    """Seconds a run waits in all for one host's Retry-After; then its URLs are given up
    as `blocked` ("deferred") and the run finishes."""
    defer_after: float = 2.0
    """A Retry-After longer than this defers the host to the end of the run."""
    max_redirects: int = 10
    max_bytes: int = 256 * 1024
    quote_bytes: int = 2 * 1024 * 1024
    """Bytes of an HTML page read when its citations quote it (the quote may be far down)."""
    read_pages: bool = True
    """Read HTML pages (a capped GET after HEAD) to spot soft 404s and bot walls."""
    hosts: dict[str, HostRule] = field(default_factory=dict)


@dataclass
class CheckResult:
    target: Target
    status: Status
    outcome: Outcome
    attempts: int


class _Deferred(Exception):
    def __init__(self, ready_at: float) -> None:
        super().__init__(ready_at)
        self.ready_at = ready_at


@dataclass
class _Host:
    slots: asyncio.Semaphore
    next_start: float = 0.0
    throttled_until: float = 0.0
    waited: float = 0.0
    """Seconds already granted to this host's Retry-After answers."""


def retry_after(value: str | None, now: datetime, cap: float) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), capped."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return min(float(value), cap)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max((when - now).total_seconds(), 0.0), cap)


def socket_budget(wanted: int) -> int:
    """`wanted` sockets, or as many as the open-file limit leaves room for. The soft limit
    is raised towards the hard one first (many systems start at 1,024)."""
    if sys.platform == "win32":  # no `resource` module, no open-file limit to raise
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = wanted + 128  # the run's own files, the state file, pipes
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(1, min(wanted, soft - 128))


class Checker:
    """Runs checks for many targets; `progress` is called after each finished target."""

    def __init__(
        self,
        options: CheckOptions,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        progress: Callable[[CheckResult], None] | None = None,
        private: Callable[[str, int | None], Awaitable[bool]] = resolves_private,
    ) -> None:
        self.options = options
        self.private = private
        """Whether a host is (or resolves to) a private address; tests substitute it."""
        self.transport = transport
        self.progress = progress
        self._hosts: dict[str, _Host] = {}
        self._global: asyncio.Semaphore | None = None
        self._privacy: dict[tuple[str, int | None], asyncio.Task[bool]] = {}
        self._reader: PageReader | None = None

    def _pages(self) -> PageReader:
        if self._reader is None:
            self._reader = PageReader()
        return self._reader

    async def _is_private(self, host: str, port: int | None) -> bool:
        """`private`, asked once per host and port in a run (a lookup per URL would
        queue 1,000 resolver calls on a few executor threads)."""
        key = (host.lower(), port)
        if key not in self._privacy:
            self._privacy[key] = asyncio.ensure_future(self.private(host, port))
        return await self._privacy[key]

    def client(self) -> httpx.AsyncClient:
        """The one client of a run, over one small connection pool per host."""
        opts = self.options
        return httpx.AsyncClient(
            timeout=httpx.Timeout(opts.timeout, connect=opts.connect_timeout),
            headers={
                "User-Agent": opts.user_agent,
                "Accept": "text/html,*/*;q=0.8",
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            follow_redirects=False,
            transport=self.transport or H11Transport(connect_timeout=opts.connect_timeout),
        )

    async def run(self, targets: list[Target]) -> list[CheckResult]:
        """Check every target; deferred (throttled) ones are checked after the rest."""
        self._global = asyncio.Semaphore(socket_budget(self.options.concurrency))
        results: dict[str, CheckResult] = {}
        deferred: list[tuple[float, Target]] = []
        try:
            await self._run(targets, results, deferred)
        finally:
            if self._reader is not None:
                await self._reader.aclose()
                self._reader = None
        return [results[t.key] for t in targets]

    async def _run(
        self,
        targets: list[Target],
        results: dict[str, CheckResult],
        deferred: list[tuple[float, Target]],
    ) -> None:
        async with self.client() as client:

            async def first_pass(target: Target) -> None:
                try:
                    results[target.key] = await self.check(client, target, may_defer=True)
                    self._report(results[target.key])
                except _Deferred as later:
                    deferred.append((later.ready_at, target))

            await asyncio.gather(*(first_pass(t) for t in targets))

            async def second_pass(ready_at: float, target: Target) -> None:
                await asyncio.sleep(max(0.0, ready_at - time.monotonic()))
                results[target.key] = await self.check(client, target, may_defer=False)
                self._report(results[target.key])

            await asyncio.gather(*(second_pass(r, t) for r, t in sorted(deferred, key=_first)))

    def _report(self, result: CheckResult) -> None:
        if self.progress is not None:
            self.progress(result)

    def _host(self, host: str) -> _Host:
        if host not in self._hosts:
            self._hosts[host] = _Host(asyncio.Semaphore(self.options.per_host))
        return self._hosts[host]

    async def check(
        self, client: httpx.AsyncClient, target: Target, *, may_defer: bool
    ) -> CheckResult:
        """Check one target with retries; raises _Deferred when its host is throttled."""
        opts = self.options
        host = self._host(target.host)
        rule = opts.hosts.get(target.host, HostRule())
        attempt = 0
        while True:
            if may_defer and host.throttled_until > time.monotonic():
                raise _Deferred(host.throttled_until)
            outcome = await self._follow(client, target)
            outcome.accepted = rule.accept
            status = outcome.http_status
            retryable = outcome.error in ("timeout", "dns-temporary") or (
                status in RETRY_CODES and status not in rule.accept
            )
            if not retryable or attempt >= opts.retries:
                verdict = classify(outcome)
                if target.quotes and verdict in ("ok", "moved") and outcome.page is not None:
                    outcome.quotes = dict(outcome.page.quotes)
                return CheckResult(target, verdict, outcome, attempt + 1)
            header = outcome.headers.get("retry-after")
            wait = retry_after(header, datetime.now(UTC), opts.retry_after_cap)
            if wait is None:
                wait = opts.backoff * 2**attempt + random.uniform(0, opts.backoff / 2)
            if status == 429:
                if host.waited + wait > opts.host_wait_budget:
                    # The host wants more patience than a run gives: report, don't stall.
                    outcome.error = "deferred"
                    outcome.detail = (
                        f"{target.host} asked to wait {header or wait} s; "
                        f"gave up after {host.waited:.0f} s of waiting in this run"
                    )
                    return CheckResult(target, classify(outcome), outcome, attempt + 1)
                host.waited += wait
                host.throttled_until = max(host.throttled_until, time.monotonic() + wait)
                if may_defer and wait > opts.defer_after:
                    raise _Deferred(host.throttled_until)
            attempt += 1
            await asyncio.sleep(wait)

    async def _follow(self, client: httpx.AsyncClient, target: Target) -> Outcome:
        """Request the target's URL, following redirects by hand, then read the page."""
        url = target.url
        outcome = Outcome()
        seen = {url}
        # One streamed GET per URL: the status and type come with the headers, an HTML
        # body is read (capped) for soft 404s, bot walls, titles and quotes, anything else
        # is closed unread. HEAD first only for hosts configured to want it.
        start = urlsplit(url)
        rule = self.options.hosts.get((start.hostname or "").lower(), HostRule())
        # A host's configured headers (cookies, tokens) go to the cited URL's exact origin
        # only: not to another host, port or scheme a redirect points at (an https page
        # redirecting to http:// would otherwise send them in clear).
        home = origin_of(url) if rule.headers else None
        current, method = url, "HEAD" if rule.head else "GET"
        cap = self.options.quote_bytes if target.quotes else self.options.max_bytes
        cited_private = await self._is_private(start.hostname or "", start.port)
        while True:
            same_origin = current == url or (home is not None and origin_of(current) == home)
            headers = rule.headers if same_origin else {}
            try:
                response, body, deadline = await self._request(
                    client, method, current, cap, headers
                )
            except BodyError as exc:
                outcome.error, outcome.detail = "content-encoding", str(exc)
                return outcome
            except Exception as exc:  # every transport failure becomes an outcome
                outcome.error, outcome.detail = error_kind(exc), f"{type(exc).__name__}: {exc}"
                return outcome
            code = response.status_code
            location = response.headers.get("location")
            if code in REDIRECTS and location:
                try:
                    # Followed as httpx sends it (a space or `>` percent-encoded, as
                    # browsers do), so the raw form never reaches the state or a link.
                    next_url = str(httpx.URL(urljoin(current, location)))
                    urlsplit(next_url).port  # noqa: B018 (raises on a malformed port)
                except (ValueError, httpx.InvalidURL):
                    outcome.error, outcome.detail = "malformed", f"bad Location: {location!r}"
                    outcome.http_status = code
                    return outcome
                hop = urlsplit(next_url)
                if hop.scheme not in ("http", "https") or not web_url(next_url):
                    outcome.error, outcome.detail = "malformed", f"redirect to {hop.scheme}: URL"
                    if hop.scheme in ("http", "https"):
                        outcome.detail = f"redirect to a URL that cannot be a link: {next_url!r}"
                    outcome.http_status = code
                    return outcome
                outcome.chain.append((code, next_url))
                if not cited_private and await self._is_private(hop.hostname or "", hop.port):
                    # SSRF: a public page may not steer the checker into the build
                    # machine's network (cloud metadata, loopback services, the LAN).
                    outcome.error = "private-redirect"
                    outcome.detail = f"redirect into a private address refused: {next_url}"
                    outcome.http_status = code
                    return outcome
                if next_url in seen:
                    outcome.error, outcome.detail = "loop", f"redirect loop at {next_url}"
                    outcome.http_status = code
                    return outcome
                if len(outcome.chain) > self.options.max_redirects:
                    outcome.error = "too-many-redirects"
                    outcome.detail = f"more than {self.options.max_redirects} redirects"
                    return outcome
                seen.add(next_url)
                current = next_url
                method = "GET" if code == 303 else method
                continue
            if method == "HEAD" and _needs_get(response, self.options.read_pages):
                method = "GET"
                continue
            outcome.http_status = code
            outcome.final_url = current if outcome.chain else None
            outcome.headers = {k.lower(): v for k, v in response.headers.items()}
            outcome.body = body
            if body and 200 <= code < 300:
                await self._read_page(outcome, target, deadline)
            return outcome

    async def _read_page(self, outcome: Outcome, target: Target, deadline: float) -> None:
        """The page's title, heading and quotes, read by a worker process within what is
        left of the request's timeout: a hostile page can stall neither the event loop
        nor the other requests."""
        try:
            outcome.page = await self._pages().read(
                outcome.body, list(target.quotes.values()), deadline
            )
        except TimeoutError:
            outcome.error = "page-timeout"
            outcome.detail = f"the page was not read within the {self.options.timeout:g} s timeout"
        except PageReaderError as exc:
            outcome.error, outcome.detail = "unreadable", str(exc)

    async def _request(
        self,
        client: httpx.AsyncClient,
        method: str,
        url: str,
        cap: int,
        headers: dict[str, str],
    ) -> tuple[httpx.Response, bytes, float]:
        """One request: the response, its body (read up to `cap` bytes when wanted), and
        the moment (event-loop clock) its timeout runs out."""
        assert self._global is not None
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"unsupported scheme in {url}")
        # The per-host limit and interval are those of the host asked, hop by hop: many
        # cited hosts redirecting to one must not put more than `per_host` in flight there.
        host = self._host((parts.hostname or "").lower())
        async with host.slots:
            now = time.monotonic()
            start = max(now, host.next_start)
            host.next_start = start + self.options.min_interval
            if start > now:
                await asyncio.sleep(start - now)
            async with self._global:
                deadline = asyncio.get_running_loop().time() + self.options.timeout
                async with asyncio.timeout_at(deadline):
                    request = client.build_request(method, url, headers=headers)
                    response = await client.send(request, stream=True)
                    try:
                        wanted = (
                            method == "GET"
                            and self.options.read_pages
                            and ("html" in response.headers.get("content-type", ""))
                        )
                        body = (
                            await read_capped(response, cap) if wanted or method == "HEAD" else b""
                        )
                    finally:
                        await response.aclose()
        return response, body, deadline


def _first(item: tuple[float, Target]) -> tuple[float, str]:
    return item[0], item[1].key


def _needs_get(response: httpx.Response, read_pages: bool) -> bool:
    """HEAD cannot settle it: refused or failed, or an HTML page whose body must be read."""
    code = response.status_code
    if code >= 400:
        return code != 429
    return read_pages and "html" in response.headers.get("content-type", "")
