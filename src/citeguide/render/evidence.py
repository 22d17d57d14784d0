"""The evidence summary of a guide: how much is cited, how well, how fresh, how alive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from citeguide.config import StaleBudgets
from citeguide.model import Citation, Guide, LinkInfo, Links

LIVE = frozenset({"ok", "moved"})


@dataclass(frozen=True)
class Evidence:
    claims: int
    sources: int
    citations: int
    by_confidence: dict[str, int]
    """Citations per confidence level, high, medium, low."""
    oldest: date | None
    """Date of the oldest citation or table row used."""
    checked: int
    """Sources with a link-check result."""
    live: int
    """Checked sources that answered ok or moved."""
    stale: int
    """Citations older than their confidence's budget."""
    calculations: int

    def share(self, level: str) -> int:
        return round(100 * self.by_confidence[level] / self.citations) if self.citations else 0

    @property
    def live_share(self) -> int | None:
        return round(100 * self.live / self.checked) if self.checked else None


def is_stale(citation: Citation, guide: Guide, budgets: StaleBudgets) -> bool:
    """Older than its confidence's budget, counted back from the guide's last update.

    The guide's own date, not today's, keeps the output the same whenever it is built.
    """
    budget: int = getattr(budgets, citation.confidence)
    return (guide.updated - citation.date).days > budget


def evidence(guide: Guide, links: Links, budgets: StaleBudgets) -> Evidence:
    citations = guide.citations
    counts = {level: 0 for level in ("high", "medium", "low")}
    for citation in citations:
        counts[citation.confidence] += 1
    statuses = [links.get(s.normalized_url, LinkInfo()).status for s in guide.sources]
    checked = [s for s in statuses if s != "unchecked"]
    dates = [d for s in guide.sources for d in s.dates_cited]
    return Evidence(
        claims=len(guide.claims),
        sources=len(guide.sources),
        citations=len(citations),
        by_confidence=counts,
        oldest=min(dates) if dates else None,
        checked=len(checked),
        live=sum(s in LIVE for s in checked),
        stale=sum(is_stale(c, guide, budgets) for c in citations),
        calculations=len(guide.calculations),
    )


def stale_sources(guide: Guide, budgets: StaleBudgets) -> set[str]:
    """Sources every citation of which is stale: a later reading of a source refreshes it."""
    fresh = {c.source_id for c in guide.citations if not is_stale(c, guide, budgets)}
    return {c.source_id for c in guide.citations} - fresh
