"""`citeguide check`: read the options and the site's citations, run the link check
(`linkcheck.run`), print the report in the format asked for, exit with its code."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

from citeguide.config import LinkCheckConfig
from citeguide.config_file import load_config
from citeguide.engine.incremental import BuildResult, check_site
from citeguide.exitcodes import ExitCode
from citeguide.linkcheck.archive import SavePolicy
from citeguide.linkcheck.checker import CheckOptions, HostRule
from citeguide.linkcheck.collect import Target, collect
from citeguide.linkcheck.report import FORMATS, unchecked_json
from citeguide.linkcheck.run import RunPolicy, check_links
from citeguide.linkcheck.state import STATE_FILE, DeathPolicy, StateError
from citeguide.records import Use
from citeguide.text.urls import normalize_url


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


def run_policy(
    config: LinkCheckConfig, *, timeout: float | None, max_age: float | None, archive: bool
) -> RunPolicy:
    """The run's settings: `citeguide.toml`'s `[linkcheck]`, then the command's options."""
    options = CheckOptions(
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
    saving = SavePolicy(
        config.archive_endpoint, config.save_endpoint, config.save_interval, config.save_window_days
    )
    return RunPolicy(
        options=options,
        probes=config.probe,
        death=DeathPolicy(config.dead_after, config.dead_spacing_hours),
        archive_endpoint=config.archive_endpoint,
        archive_budget=config.archive_budget,
        save=saving if archive else None,
        max_age=max_age,
    )


def _offline(
    why: str, targets: list[Target], fmt: str, out: TextIO, err: TextIO, started: float
) -> int:
    """Nothing learnt about the sources: say so, record nothing, exit 4."""
    took = time.monotonic() - started
    print(
        f"citeguide check: network unreachable: {why}; nothing recorded, the last "
        f"verdicts stand (found in {took:.1f} s) [exit {ExitCode.OFFLINE}]",
        file=err,
    )
    if fmt == "json" and targets:
        print(unchecked_json(targets, "network-unreachable"), file=out)
    return ExitCode.OFFLINE


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
    """Check and record (`check_links`), then report; exit 3 when a status in `fail_on`
    was seen, 4 when the network is unreachable (nothing recorded)."""
    out, err = out or sys.stdout, err or sys.stderr
    started = time.monotonic()
    config = load_config(root)
    site = check_site(root, drafts=True, editorial=False)
    for note in site.notes:
        print(note, file=err)
    if site.diagnostics.items:
        print(site.diagnostics.render(), file=err)
    targets = cited_targets(site)
    policy = run_policy(config.linkcheck, timeout=timeout, max_age=max_age, archive=archive)
    try:
        run = check_links(root, targets, policy, err)
    except StateError as exc:
        print(f"{STATE_FILE}:{exc.line}:{exc.col}: error: {exc.message} [{exc.rule}]", file=err)
        if fmt == "json" and targets:
            print(unchecked_json(targets, "link-state-unreadable"), file=out)
        return ExitCode.CONTENT
    if run.offline:
        return _offline(run.offline, targets, fmt, out, err, started)
    report = FORMATS[fmt](run.rows)
    if report:
        print(report, file=out)
    if any(rec.status in fail_on for _, rec in run.rows):
        return ExitCode.FAIL_ON
    return ExitCode.OK
