"""`citeguide check`: check every cited URL, persist the results, report them."""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO
from urllib.parse import urldefrag

import httpx

from citeguide.config import LinkCheckConfig, load_config
from citeguide.content.claims import normalize_url
from citeguide.engine.site import BuildResult, check_site
from citeguide.linkcheck.archive import closest_snapshot, save_snapshot
from citeguide.linkcheck.check import Checker, CheckOptions, CheckResult, HostRule
from citeguide.linkcheck.classify import NETWORK_ERRORS
from citeguide.linkcheck.collect import Target, Use, collect
from citeguide.linkcheck.report import FORMATS
from citeguide.linkcheck.safety import ACCEPT_ENCODING
from citeguide.linkcheck.state import (
    STATE_FILE,
    DeathPolicy,
    LinkState,
    StateError,
    is_fresh,
    load_state,
    record,
    save_state,
)

ARCHIVED_STATUSES = frozenset({"dead", "soft-404", "moved"})


def cited_targets(site: BuildResult) -> list[Target]:
    """Every URL cited by a guide or by a row of a data table, with all its uses."""
    cited: list[tuple[str, str, Use]] = []
    for uses in site.uses:
        for url, key, path, line, _, day, _ in uses:
            cited.append((key, url, Use(path, line, day)))
    for (table, row_id), (path, line) in site.tables.origins.items():
        row = site.tables.table(table)[row_id]
        cited.append((normalize_url(row.source), row.source, Use(path, line, row.date)))
    return collect(cited)


def options_from(config: LinkCheckConfig, timeout: float | None) -> CheckOptions:
    return CheckOptions(
        user_agent=config.user_agent,
        concurrency=config.concurrency,
        per_host=config.per_host,
        min_interval=config.min_interval,
        timeout=timeout or config.timeout,
        connect_timeout=min(config.connect_timeout, timeout or config.connect_timeout),
        retries=config.retries,
        retry_after_cap=config.retry_after_cap,
        host_wait_budget=config.host_wait_budget,
        max_redirects=config.max_redirects,
        max_bytes=config.max_bytes,
        read_pages=config.read_pages,
        hosts={
            host.lower(): HostRule(dict(rule.headers), frozenset(rule.accept), rule.head)
            for host, rule in config.hosts.items()
        },
    )


class _Progress:
    """A rich progress bar on a terminal; a plain line every few seconds otherwise."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.done, self.failing = total, 0, 0
        self.stream = stream
        self.last = time.monotonic()
        self.bar = None
        if stream.isatty() and total:
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.task = self.bar.add_task("checking links", total=total)
            self.bar.start()

    def __call__(self, result: CheckResult) -> None:
        self.done += 1
        self.failing += result.status != "ok"
        if self.bar is not None:
            self.bar.advance(self.task)
        elif time.monotonic() - self.last >= 5 or self.done == self.total:
            self.last = time.monotonic()
            line = f"checked {self.done}/{self.total} URLs ({self.failing} not ok)"
            print(line, file=self.stream)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


async def _archive(
    results: list[CheckResult], endpoint: str, options: CheckOptions
) -> dict[str, tuple[str, str]]:
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

        await asyncio.gather(*(lookup(r) for r in wanted))
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


async def _save_missing(
    targets: list[Target],
    state: LinkState,
    config: LinkCheckConfig,
    options: CheckOptions,
    err: TextIO,
) -> dict[str, tuple[str, str]]:
    """`--archive`: a snapshot of every live source with none near its citation date,
    asked for one at a time, `save_interval` seconds apart; failures are reported.

    Live is what the state file says after this run, so sources that `--max-age` skipped
    count too. A recorded copy that no new save could beat (near the citation date, or
    taken after it, as an earlier `--archive` run's is) is kept and nothing is asked
    about that source: without this every run would save again every source cited more
    than `save_window_days` ago. The first answer that says the endpoint is unreachable
    or rate-limiting ends the asking: the rest wait for the next run."""
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
            page = urldefrag(target.url).url  # a text fragment is not part of the page
            near = None
            if config.archive_endpoint:
                near = await closest_snapshot(
                    client, config.archive_endpoint, page, target.earliest,
                    timeout=options.timeout,
                )  # fmt: skip
            if near and _near(near[1], target.earliest, window):
                saved[target.key] = near
                continue
            if asked:
                await asyncio.sleep(config.save_interval)
            asked += 1
            answer = await save_snapshot(
                client, config.save_endpoint, page, timeout=max(options.timeout, 60.0)
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


def _network_unreachable(results: list[CheckResult]) -> str | None:
    """Why the run says nothing about the sources, or None: most distinct hosts (of at least
    two) failed at the network level (DNS, no route, refused)."""
    hosts: dict[str, bool] = {}
    for result in results:
        failed = result.outcome.error in NETWORK_ERRORS or result.outcome.error == "dns"
        hosts[result.target.host] = hosts.get(result.target.host, True) and failed
    failed_hosts = sum(hosts.values())
    if len(hosts) >= 2 and failed_hosts * 2 > len(hosts):
        return f"{failed_hosts} of {len(hosts)} hosts failed at the network level"
    return None


def run_check(
    root: Path,
    *,
    fmt: str,
    timeout: float | None,
    max_age: float | None,
    fail_on: set[str],
    archive: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Check, record, report; exit 3 when a status in `fail_on` was seen."""
    out, err = out or sys.stdout, err or sys.stderr
    config = load_config(root)
    site = check_site(root, config, drafts=True, editorial=False)
    if site.diagnostics.items:
        print(site.diagnostics.render(), file=err)
    targets = cited_targets(site)
    try:
        state = load_state(root)
    except StateError as exc:
        print(f"{STATE_FILE}:{exc.line}:{exc.col}: error: {exc.message} [{exc.rule}]", file=err)
        return 1
    now = datetime.now(UTC)
    due = [t for t in targets if not is_fresh(state.links.get(t.key), now, max_age)]
    if len(due) < len(targets):
        skipped = len(targets) - len(due)
        print(f"{skipped} URLs checked within {max_age:g} days: skipped", file=err)
    options = options_from(config.linkcheck, timeout)
    progress = _Progress(len(due), err)
    try:
        results = asyncio.run(Checker(options, progress=progress).run(due))
    finally:
        progress.close()
    unreachable = _network_unreachable(results)
    if unreachable:
        # Offline, or a resolver that answers nothing: every source would look broken.
        # Record nothing, so the next build keeps the last real verdicts.
        print(f"citeguide check: network unreachable: {unreachable}; nothing recorded", file=err)
        return 2
    policy = DeathPolicy(config.linkcheck.dead_after, config.linkcheck.dead_spacing_hours)
    for result in results:
        record(state, result, now, policy)
    archived = asyncio.run(_archive(results, config.linkcheck.archive_endpoint, options))
    if archive:
        archived |= asyncio.run(_save_missing(targets, state, config.linkcheck, options, err))
    for key, (url, stamp) in archived.items():
        state.links[key].archive_url, state.links[key].archive_timestamp = url, stamp
    # Like a lock file, the state holds exactly the URLs the site cites.
    state.links = {t.key: state.links[t.key] for t in targets if t.key in state.links}
    save_state(root, state)
    rows = [(t, state.links[t.key]) for t in targets]
    report = FORMATS[fmt](rows)
    if report:
        print(report, file=out)
    if any(rec.status in fail_on for _, rec in rows):
        return 3
    return 0
