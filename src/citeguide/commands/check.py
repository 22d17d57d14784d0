"""`citeguide check`: read the options and the site's citations, run the link check
(`linkcheck.run`), print the report in the format asked for, exit with its code."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import TextIO

from citeguide.config import LinkCheckConfig
from citeguide.config_file import load_config
from citeguide.engine import cited
from citeguide.exitcodes import ExitCode
from citeguide.linkcheck.archive import SavePolicy
from citeguide.linkcheck.checker import CheckOptions, HostRule
from citeguide.linkcheck.collect import Target, collect
from citeguide.linkcheck.report import FORMATS, unchecked_json
from citeguide.linkcheck.run import RunPolicy, check_links
from citeguide.linkcheck.state import STATE_FILE, DeathPolicy, StateError
from citeguide.records import Use


def cited_targets(uses: list[Use]) -> list[Target]:
    """Every URL cited by a guide or by a row of a data table, with all its uses."""
    return collect([(use.key, use.url, use) for use in uses])


def site_uses(root: Path, err: TextIO) -> list[Use]:
    """The site's cited URLs, where each is used, printing the problems found on the way:
    from the last build's record when nothing it was made from changed (`cited.py`), else
    from the guides, through the build cache."""
    notes: list[str] = []
    found = cited.recorded(root, today=date.today(), notes=notes)
    if found is not None:
        uses, diagnostics = found
    else:
        # Imported here: the engine, the parser and the cost core cost 0.2 s of CPU
        # (-X importtime) that a check answered by the record never needs.
        from citeguide.engine.incremental import check_site

        site = check_site(root, drafts=True, editorial=False)
        uses, diagnostics = site.uses, site.diagnostics
        notes += site.notes
    for note in notes:
        print(note, file=err)
    if diagnostics.items:
        print(diagnostics.render(), file=err)
    return uses


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
    targets = cited_targets(site_uses(root, err))
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
