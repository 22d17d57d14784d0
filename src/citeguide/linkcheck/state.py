"""The committed link-state file: what each cited URL answered, and when.

Like a lock file it lives in the site root and is committed, so `build` stays offline and
deterministic while the published twin can still say when each source was last checked.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from citeguide.linkcheck.classify import Status

if TYPE_CHECKING:
    from citeguide.linkcheck.check import CheckResult

STATE_FILE = "citeguide-links.json"
FAILING = frozenset({"dead", "soft-404", "timeout", "error"})


class Hop(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: int
    url: str


class LinkRecord(BaseModel):
    """The latest check of one URL (keyed by its normalised form)."""

    model_config = ConfigDict(extra="forbid")

    url: str
    status: Status
    http_status: int | None = None
    final_url: str | None = None
    redirects: list[Hop] = []
    error: str | None = None
    first_checked: str
    last_checked: str
    consecutive_failures: int = 0
    archive_url: str | None = None
    archive_timestamp: str | None = None


class LinkState(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = 1
    links: dict[str, LinkRecord] = Field(default_factory=dict)


class StateError(Exception):
    """The state file exists but cannot be read: message and 1-based line, column."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


def load_state(root: Path) -> LinkState:
    path = root / STATE_FILE
    if not path.exists():
        return LinkState()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StateError(f"cannot read the link-state file: {exc}") from None
    try:
        return LinkState.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        try:
            json.loads(text)
        except json.JSONDecodeError as bad:
            raise StateError(f"invalid JSON: {bad.msg}", bad.lineno, bad.colno) from None
        raise StateError(f"{where}: {first['msg']}") from None


def save_state(root: Path, state: LinkState) -> None:
    """Write sorted, indented JSON atomically (a crash never leaves half a file)."""
    path = root / STATE_FILE
    data = state.model_dump(mode="json")
    data["links"] = dict(sorted(data["links"].items()))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def record(state: LinkState, result: CheckResult, checked_at: datetime) -> LinkRecord:
    """Fold one check result into the state and return the new record."""
    stamp = checked_at.isoformat(timespec="seconds").replace("+00:00", "Z")
    previous = state.links.get(result.target.key)
    failing = result.status in FAILING
    outcome = result.outcome
    new = LinkRecord(
        url=result.target.url,
        status=result.status,
        http_status=outcome.http_status,
        final_url=outcome.final_url,
        redirects=[Hop(status=s, url=u) for s, u in outcome.chain],
        error=outcome.error,
        first_checked=previous.first_checked if previous else stamp,
        last_checked=stamp,
        consecutive_failures=(previous.consecutive_failures + 1 if previous else 1)
        if failing
        else 0,
        # An archived copy stays useful while the source is still failing.
        archive_url=previous.archive_url if previous and failing else None,
        archive_timestamp=previous.archive_timestamp if previous and failing else None,
    )
    state.links[result.target.key] = new
    return new


def is_fresh(record: LinkRecord | None, now: datetime, max_age_days: float | None) -> bool:
    """True when `record` is recent enough for `--max-age` to skip the URL."""
    if record is None or max_age_days is None:
        return False
    try:
        checked = datetime.fromisoformat(record.last_checked.replace("Z", "+00:00"))
        return (now - checked).total_seconds() < max_age_days * 86400
    except (ValueError, TypeError):
        return False  # a hand-edited time that cannot be read: check again
