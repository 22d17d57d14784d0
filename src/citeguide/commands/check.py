"""`citeguide check`: check every cited URL, persist the results, report them."""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from citeguide.config import LinkCheckConfig, load_config
from citeguide.content.claims import normalize_url
from citeguide.engine.site import BuildResult, check_site
from citeguide.linkcheck.archive import SavePolicy, lookup_failing, save_missing
from citeguide.linkcheck.check import Checker, CheckOptions, CheckResult, HostRule
from citeguide.linkcheck.classify import NETWORK_ERRORS
from citeguide.linkcheck.collect import Target, Use, collect
from citeguide.linkcheck.report import FORMATS
from citeguide.linkcheck.state import (
    STATE_FILE,
    DeathPolicy,
    StateError,
    is_fresh,
    load_state,
    record,
    save_state,
)


def cited_targets(site: BuildResult) -> list[Target]:
    """Every URL cited by a guide or by a row of a data table, with all its uses."""
    cited: list[tuple[str, str, Use]] = []
    for uses in site.uses:
        for url, key, path, line, _, day, _ in uses:
            cited.append((key, url, Use(path, line, day)))
    tables = site.library.tables
    for (table, row_id), (path, line) in tables.origins.items():
        if path.startswith("<pack"):
            continue  # the pack's rows are checked where a guide's figure uses them
        for cite in tables.tables[table].rows[row_id].citations:
            cited.append((normalize_url(cite.url), cite.url, Use(path, line, cite.date)))
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
    archived = asyncio.run(lookup_failing(results, config.linkcheck.archive_endpoint, options))
    if archive:
        lc = config.linkcheck
        saving = SavePolicy(
            lc.archive_endpoint, lc.save_endpoint, lc.save_interval, lc.save_window_days
        )
        archived |= asyncio.run(save_missing(targets, state, saving, options, err))
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
