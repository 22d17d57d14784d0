"""The link checker's results as a build reads them: the state file `citeguide check`
writes (`linkcheck/state.py`), as link info per normalised URL, for the citations'
badges. Kept apart from the engine's `Site`, which reads it again when it changed."""

from __future__ import annotations

from pathlib import Path

from citeguide.diagnostics import Diagnostics, SourcePos
from citeguide.linkcheck.state import STATE_FILE, StateError, load_state
from citeguide.model import LinkInfo, Links


def read_links(root: Path, diags: Diagnostics, dead_after: int = 3) -> Links:
    """The link-check state file as link info per normalised URL (empty when absent)."""
    try:
        state = load_state(root)
    except StateError as exc:
        diags.error(SourcePos(STATE_FILE, exc.line, exc.col), exc.message, exc.rule)
        return {}
    return {
        key: LinkInfo(
            status=rec.status,
            http_status=rec.http_status,
            checked_at=rec.last_checked,
            final_url=rec.final_url,
            archive_url=rec.archive_url,
            dead_checks=rec.dead_checks,
            dead_after=dead_after,
            title=rec.title,
            quotes=rec.quotes,
        )
        for key, rec in state.links.items()
    }
