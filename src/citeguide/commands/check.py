"""`citeguide check`: check every cited URL, persist the results, report them."""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from citeguide.config import LinkCheckConfig, load_config
from citeguide.content.claims import normalize_url
from citeguide.engine.site import BuildResult, check_site
from citeguide.linkcheck.archive import SavePolicy, lookup_failing, save_missing
from citeguide.linkcheck.check import Checker, CheckOptions, CheckResult, HostRule
from citeguide.linkcheck.collect import Target, Use, collect
from citeguide.linkcheck.offline import PROBE_TIMEOUT, nobody_answered, probe
from citeguide.linkcheck.report import FORMATS, unchecked_json
from citeguide.linkcheck.safety import is_private_host
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
        cited.extend((use.key, use.url, use) for use in uses)
    tables = site.library.tables
    for (table, row_id), (path, line) in tables.origins.items():
        if path.startswith("<pack"):
            continue  # the pack's rows are checked where a guide's figure uses them
        for cite in tables.tables[table].rows[row_id].citations:
            key = normalize_url(cite.url)
            use = Use(path, line, cite.date, 1, cite.confidence, cite.url, key)
            cited.append((key, cite.url, use))
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
    """A rich progress bar on a terminal; a plain line every few seconds otherwise. Both
    say what the URLs that are not ok answered (`3 error: refused 2, tls 1`)."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.done = total, 0
        self.statuses: Counter[str] = Counter()
        self.reasons: dict[str, Counter[str]] = {}
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
        self.statuses[result.status] += 1
        if result.status != "ok":
            why = result.outcome.error or (
                str(result.outcome.http_status) if result.outcome.http_status else ""
            )
            if why:
                self.reasons.setdefault(result.status, Counter())[why] += 1
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=self.summary() or "checking links")
        elif time.monotonic() - self.last >= 5 or self.done == self.total:
            self.last = time.monotonic()
            line = f"checked {self.done}/{self.total} URLs"
            print(f"{line}: {self.summary()}" if self.summary() else line, file=self.stream)

    def summary(self) -> str:
        """`40 ok, 12 error (refused 8, tls 4), 7 timeout`; a dead answer is `gone` here:
        whether it makes the source `failing` or `dead` is decided when it is recorded."""
        parts = []
        for status, count in sorted(self.statuses.items(), key=lambda i: (-i[1], i[0])):
            reasons = self.reasons.get(status)
            detail = ", ".join(f"{why} {n}" for why, n in reasons.most_common(3)) if reasons else ""
            word = "gone" if status == "dead" else status
            parts.append(f"{count} {word}" + (f" ({detail})" if detail else ""))
        return ", ".join(parts)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


EXIT_OFFLINE = 4


def _offline(
    why: str, targets: list[Target], fmt: str, out: TextIO, err: TextIO, started: float
) -> int:
    """Nothing learnt about the sources: say so, record nothing, exit 4."""
    took = time.monotonic() - started
    print(
        f"citeguide check: network unreachable: {why}; nothing recorded, the last "
        f"verdicts stand (found in {took:.1f} s) [exit {EXIT_OFFLINE}]",
        file=err,
    )
    if fmt == "json" and targets:
        print(unchecked_json(targets, "network-unreachable"), file=out)
    return EXIT_OFFLINE


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
    """Check, record, report; exit 3 when a status in `fail_on` was seen, 4 when the
    network is unreachable (nothing recorded)."""
    out, err = out or sys.stdout, err or sys.stderr
    started = time.monotonic()
    config = load_config(root)
    site = check_site(root, config, drafts=True, editorial=False)
    for note in site.notes:
        print(note, file=err)
    if site.diagnostics.items:
        print(site.diagnostics.render(), file=err)
    targets = cited_targets(site)
    try:
        state = load_state(root)
    except StateError as exc:
        print(f"{STATE_FILE}:{exc.line}:{exc.col}: error: {exc.message} [{exc.rule}]", file=err)
        if fmt == "json" and targets:
            print(unchecked_json(targets, "link-state-unreadable"), file=out)
        return 1
    now = datetime.now(UTC)
    due = [t for t in targets if not is_fresh(state.links.get(t.key), now, max_age)]
    if len(due) < len(targets):
        skipped = len(targets) - len(due)
        print(f"{skipped} URLs checked within {max_age:g} days: skipped", file=err)
    options = options_from(config.linkcheck, timeout)
    # Offline, every source would look broken: ask hosts nobody cites first, and record
    # nothing when none answers, so the next build keeps the last real verdicts.
    if any(not is_private_host(t.host) for t in due):
        wait = min(PROBE_TIMEOUT, options.connect_timeout)
        why = asyncio.run(probe(config.linkcheck.probe, wait))
        if why:
            return _offline(f"no probe host answered ({why})", targets, fmt, out, err, started)
    progress = _Progress(len(due), err)
    try:
        results = asyncio.run(Checker(options, progress=progress).run(due))
    finally:
        progress.close()
    why = nobody_answered(results)
    if why:
        return _offline(why, targets, fmt, out, err, started)
    policy = DeathPolicy(config.linkcheck.dead_after, config.linkcheck.dead_spacing_hours)
    for result in results:
        record(state, result, now, policy)
    lc = config.linkcheck
    # One budget for all the archive work of a run: a trickling archive cannot hold it up.
    archive_deadline = time.monotonic() + lc.archive_budget
    archived = asyncio.run(
        lookup_failing(results, lc.archive_endpoint, options, archive_deadline, err)
    )
    if archive:
        saving = SavePolicy(
            lc.archive_endpoint, lc.save_endpoint, lc.save_interval, lc.save_window_days
        )
        archived |= asyncio.run(
            save_missing(targets, state, saving, options, err, archive_deadline)
        )
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
