"""What the engine's steps report: a build or check (`BuildResult`), and one refresh of a
Site (`Refresh`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from citeguide.costcore.library import Library
from citeguide.diagnostics import Diagnostics
from citeguide.engine.cache import Entry
from citeguide.model import Links
from citeguide.records import Listing, Use


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    checked: int = 0
    """Guides looked at (lint)."""
    pages: list[Listing] = field(default_factory=list)
    """What build_site published, one summary per guide (`Site.listing_heads`: its
    listing fragments are empty when it was carried over from the build cache)."""
    library: Library = field(default_factory=Library)
    links: Links = field(default_factory=dict)
    uses: list[Use] = field(default_factory=list)
    """Every use of a URL cited by a published guide or a data table (`Site.cited_uses`):
    what `check` visits."""
    files: int = 0
    processed: int = 0
    """Guides parsed and rendered by this build (the others were taken from its cache)."""
    noop: bool = False
    """Nothing changed since the last build: site/ was left as it was."""
    notes: list[str] = field(default_factory=list)
    """One line each: a build cache that was discarded and why, an entry not kept."""

    @property
    def ok(self) -> bool:
        return self.files > 0 or (self.noop and not self.diagnostics.errors)


@dataclass
class Refresh:
    """What one `Site.refresh` found and did."""

    diagnostics: Diagnostics
    processed: dict[str, Entry]
    """Guides parsed (and rendered) in this refresh, by path."""
    removed: set[str]
    """Guides whose file is gone."""
    inputs_changed: bool = False
    """The site's tables or models changed since the entries were last checked (whether
    or not a guide looked up what changed): the files made from all of them, such as the
    what-if models, are made again."""
