"""Every cited URL once, with every place that cites it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from citeguide.records import Place, Use
from citeguide.text.fragments import QuoteError, TextQuote, split_url


@dataclass
class Target:
    """A URL to check: its normalised key, the URL as first cited, and all its uses."""

    key: str
    url: str
    uses: list[Use] = field(default_factory=list)
    quotes: dict[str, TextQuote] = field(default_factory=dict)
    """Quotes (text fragments) the citations of this URL expect the page to hold."""

    @property
    def host(self) -> str:
        """Host name without port: per-host limits and overrides apply to it."""
        return (urlsplit(self.key).hostname or "").lower()

    @property
    def earliest(self) -> date:
        return min(use.date for use in self.uses)


def collect(cited: Iterable[tuple[str, str, Use]]) -> list[Target]:
    """Deduplicate `(normalised url, url, use)` triples into targets sorted by URL.

    Linear in the citations: each use is looked up in a set, and each distinct URL
    spelling is read for quotes once (20,000 citations of one URL took 26 s when every
    use was compared with every earlier one)."""
    targets: dict[str, Target] = {}
    places: dict[str, set[Place]] = {}
    spellings: set[str] = set()
    for key, url, use in cited:
        target = targets.setdefault(key, Target(key, url))
        seen = places.setdefault(key, set())
        if use.place not in seen:
            seen.add(use.place)
            target.uses.append(use)
        if url not in spellings:
            spellings.add(url)
            with contextlib.suppress(QuoteError):  # reported by the parser at the marker
                target.quotes.update((q.key, q) for q in split_url(url)[1])
    for target in targets.values():
        target.uses.sort(key=lambda use: use.place)
    return sorted(targets.values(), key=lambda t: t.key)
