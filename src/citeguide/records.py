"""Plain records a build keeps between runs: light to import, cheap to pickle."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from citeguide.diagnostics import Diagnostic

Place = tuple[str, int, date]
"""(path, line, date): what the link check tells a URL's uses apart by."""

UseRow = tuple[int, int, str, str, str, str]
"""One use as the build cache and the cited-sources record keep it, its path given once
for all the uses of a file: (line, col, the day as ISO 8601, confidence, URL, key). Rows
of plain values validate five times faster than `Use` records (27,000 uses at 2,000
guides)."""


@dataclass(frozen=True)
class Use:
    """One citation of a URL, by a guide's claim or a table row: where it is (site-root-
    relative path, 1-based line and column), the day its source was read and the confidence
    given it, and the URL as written and normalised (`key`).

    A build keeps every guide's uses between runs (`GuideResult.uses`, stored as
    JSON by the build cache); the link check reads them, each place once."""

    path: str
    line: int
    date: date
    col: int = 1
    confidence: str = ""
    url: str = ""
    key: str = ""

    @property
    def place(self) -> Place:
        """What the link check tells uses apart by: the same line citing the URL twice (or
        spelling it two ways) is one use."""
        return (self.path, self.line, self.date)


@dataclass(frozen=True)
class Listing:
    """What the listing pages need of one guide, its fragments rendered once."""

    path: str
    slug: str
    title: str
    summary: str
    published: date
    updated: date
    tags: tuple[str, ...]
    claims: int
    sources: int
    calculations: int
    index_entry: str
    """The guide's item on the index page (links relative to the site root)."""
    tag_entry: str
    """The same item on a tag page (two levels down)."""
    atom: str
    index_row: str
    latest_update: str = ""
    """The newest update-log entry as `v2: what changed`, empty without an update log."""


@dataclass
class GuideResult:
    """One guide, processed: what was found wrong, what it publishes, what it cites."""

    path: str
    slug: str | None
    draft: bool
    problems: list[Diagnostic]
    """Parse problems and files it names that cannot be read."""
    files: dict[str, bytes] = field(default_factory=dict)
    listing: Listing | None = None
    uses: list[UseRow] = field(default_factory=list)
    """Every citation of the guide, and the sources of the pack's rows its figures used
    (`use_row`; `uses_of` makes them `Use` records again)."""
    deps: dict[str, str] = field(default_factory=dict)
    """Files beside the guide it shows or links (relative to the root) → sha256 of their
    bytes ("" when missing): a change to one processes the guide again."""
    aliases: list[tuple[str, int, int]] = field(default_factory=list)
    """Its redirect pages: (path relative to `site/`, line, col of the alias)."""
    findings: list[Diagnostic] = field(default_factory=list)
    """What the per-guide lint rules found (none when they were not run)."""
    link_keys: list[str] | None = None
    """The link records (normalised URLs) its processing looked up; None: maybe any."""
    library_keys: list[str] | None = None
    """The site's tables and models its processing looked up (`engine/lookups.py`: `t:`,
    `m:`, `f:` and the name); None: maybe any."""
    listed: str = ""
    """A digest of `listing` (`listing_digest`), made with it: what the shared files are
    made from, compared without looking at every guide's listing again."""
    models: list[str] = field(default_factory=list)
    """The models its figures and charts use, with those they call (its twin's `models`):
    the site's `whatif.json` holds the models its published guides use."""
    view: bytes = b""
    """Its page as pagefind reads it (`engine.search_page.page_view`), the neighbours slot
    unfilled; made by the worker that rendered it when the build indexes it, never kept
    in the build cache."""


def use_row(use: Use) -> UseRow:
    return (use.line, use.col, use.date.isoformat(), use.confidence, use.url, use.key)


def uses_of(path: str, rows: list[UseRow], days: dict[str, date] | None = None) -> list[Use]:
    """The uses of the file `path` from their rows; `days` memoises the dates parsed.
    Raises ValueError on a day that is not ISO 8601."""
    days = {} if days is None else days
    uses = []
    for line, col, day, confidence, url, key in rows:
        when = days.get(day) or days.setdefault(day, date.fromisoformat(day))
        uses.append(Use(path, line, when, col, confidence, url, key))
    return uses


def listing_digest(listing: Listing | None) -> str:
    """A digest of everything a guide's listing holds (its `repr`: the dataclass's fields,
    in order), or "" without one."""
    if listing is None:
        return ""
    return hashlib.blake2b(repr(listing).encode(), digest_size=32).hexdigest()
