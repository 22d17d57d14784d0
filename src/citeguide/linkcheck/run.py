"""One link-check run: what is due, is the network there, check, record, archive, save.

The stages, top to bottom in `check_links`: skip the URLs checked within `--max-age`;
ask the probe hosts whether there is a network at all; check the rest (`Checker`, which
classifies each answer); fold the verdicts into the link state (`state.record`, where
`dead` is decided across runs); look up archived copies of failing sources, and with
`--archive` ask for snapshots of live ones, within one time budget; keep only the URLs
the site cites, and write the state. A run that learns nothing about the network records
nothing. The policy is in docs/checking-sources.md.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from citeguide.linkcheck.archive import SavePolicy, lookup_failing, save_missing
from citeguide.linkcheck.checker import Checker, CheckOptions
from citeguide.linkcheck.collect import Target
from citeguide.linkcheck.offline import PROBE_TIMEOUT, nobody_answered, probe
from citeguide.linkcheck.progress import Progress
from citeguide.linkcheck.state import (
    DeathPolicy,
    LinkRecord,
    is_fresh,
    load_state,
    record,
    save_state,
)
from citeguide.text.urls import is_private_host


@dataclass(frozen=True)
class RunPolicy:
    """Everything a run needs besides the targets, from `citeguide.toml` and the options."""

    options: CheckOptions
    probes: list[str]
    """URLs of hosts nobody cites, asked first whether the network is there."""
    death: DeathPolicy
    archive_endpoint: str
    archive_budget: float
    """Seconds for all the archive work of a run."""
    save: SavePolicy | None = None
    """With `--archive`: ask the archive to snapshot live sources it has no copy of."""
    max_age: float | None = None
    """Days: URLs checked more recently are skipped."""


@dataclass
class RunResult:
    """Each target with its record, sorted as the targets were; or why nothing was learnt."""

    rows: list[tuple[Target, LinkRecord]]
    offline: str | None = None
    """Why the network looked unreachable: then nothing was recorded and `rows` is empty."""


def check_links(root: Path, targets: list[Target], policy: RunPolicy, err: TextIO) -> RunResult:
    """Check the targets that are due and record the verdicts in the site's link state.

    Raises `StateError` when the state file cannot be read (nothing is checked then)."""
    state = load_state(root)
    now = datetime.now(UTC)
    due = [t for t in targets if not is_fresh(state.links.get(t.key), now, policy.max_age)]
    if len(due) < len(targets):
        skipped = len(targets) - len(due)
        print(f"{skipped} URLs checked within {policy.max_age:g} days: skipped", file=err)
    options = policy.options
    # Offline, every source would look broken: ask hosts nobody cites first, and record
    # nothing when none answers, so the next build keeps the last real verdicts.
    if any(not is_private_host(t.host) for t in due):
        wait = min(PROBE_TIMEOUT, options.connect_timeout)
        why = asyncio.run(probe(policy.probes, wait))
        if why:
            return RunResult([], offline=f"no probe host answered ({why})")
    progress = Progress(len(due), err)
    try:
        results = asyncio.run(Checker(options, progress=progress).run(due))
    finally:
        progress.close()
    why = nobody_answered(results)
    if why:
        return RunResult([], offline=why)
    for result in results:
        record(state, result, now, policy.death)
    # One budget for all the archive work of a run: a trickling archive cannot hold it up.
    archive_deadline = time.monotonic() + policy.archive_budget
    archived = asyncio.run(
        lookup_failing(results, policy.archive_endpoint, options, archive_deadline, err)
    )
    if policy.save is not None:
        archived |= asyncio.run(
            save_missing(targets, state, policy.save, options, err, archive_deadline)
        )
    for key, (url, stamp) in archived.items():
        state.links[key].archive_url, state.links[key].archive_timestamp = url, stamp
    # Like a lock file, the state holds exactly the URLs the site cites.
    state.links = {t.key: state.links[t.key] for t in targets if t.key in state.links}
    save_state(root, state)
    return RunResult([(t, state.links[t.key]) for t in targets])
