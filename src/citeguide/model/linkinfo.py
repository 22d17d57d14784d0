"""What the link check found for one URL, as every output shows it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field

from citeguide.model.common import URI, LinkStatusName, _Published
from citeguide.untrusted import is_link_url, one_line


def _shown(value: str | None) -> str | None:
    # Read from the link-state file, which a pull request can edit: one line, no controls.
    return None if value is None else (one_line(value) or None)


def _link_or_none(value: str | None) -> str | None:
    # The state file's loader refuses these already; what is published never links them.
    return value if value is None or is_link_url(value) else None


ShownText = Annotated[str | None, AfterValidator(_shown)]
LinkOrNone = Annotated[str | None, AfterValidator(_link_or_none)]


class LinkInfo(_Published):
    # Frozen: a record is made once (the link state, `check`) and only read after, and
    # `UNCHECKED` below is shared by every lookup that finds none.
    model_config = ConfigDict(frozen=True)

    status: LinkStatusName = "unchecked"
    """Outcome of the latest link check (`citeguide check`)."""
    http_status: int | None = None
    """HTTP status of the final response, when there was one."""
    checked_at: ShownText = None
    """When the link was last checked (RFC 3339), null if never."""
    final_url: LinkOrNone = Field(default=None, json_schema_extra=URI)
    """Where redirects ended, when different from `url`."""
    archive_url: LinkOrNone = Field(default=None, json_schema_extra=URI)
    """Archived snapshot closest to the citation date, for dead or moved sources."""
    dead_checks: int = 0
    """`failing`/`dead`: consecutive checks that found the source gone (404, 410, no such
    host); `dead` needs `dead_after` of them at least `dead_spacing_hours` apart."""
    dead_after: int = 3
    """The site's `[linkcheck] dead_after`: findings needed before a source is `dead`."""
    title: ShownText = None
    """The source page's own title (`og:title` or `<title>`) as last seen by the check."""
    quotes: dict[str, Literal["found", "missing"]] = {}
    """Text directive → whether the page still said it at the last check."""


UNCHECKED = LinkInfo()
"""A source the link state knows nothing of, shared by every lookup (a record made per
lookup was 120 model instances a guide). Frozen like every record; nothing changes its
`quotes` either (site templates cannot: their sandbox refuses to change a dict)."""

Links = dict[str, LinkInfo]
"""Normalised URL → its latest link-check result."""
