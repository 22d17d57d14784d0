"""The evidence summary of a guide: how much is cited, how well, how fresh, how alive.

A page rests on two kinds of input: its citations (each claim's own) and the table rows
its computed figures and charts read (each row with its sources, their dates and
confidences, maybe an estimate). Both are counted, and both go stale the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from citeguide.config import StaleBudgets
from citeguide.model import (
    UNCHECKED,
    Citation,
    Confidence,
    Guide,
    InputFact,
    LinkInfo,
    Links,
    Reading,
    Source,
)

LIVE = frozenset({"ok", "moved"})
LEVELS: tuple[Confidence, ...] = ("high", "medium", "low")


LINK_LABELS = {
    "ok": "link ok",
    "moved": "moved",
    "failing": "failing",
    "dead": "dead link",
    "soft-404": "page gone (soft 404)",
    "blocked": "unverifiable (site blocks checks)",
    "timeout": "timed out",
    "error": "link error",
    "unchecked": "link unchecked",
}


def link_label(info: LinkInfo) -> str:
    """The words for a link's status; a `failing` source says how far from `dead` it is."""
    if info.status == "failing":
        return f"failing: failed {info.dead_checks} of {info.dead_after} checks"
    return LINK_LABELS[info.status]


QUOTE_LABELS = {
    "found": "quote found on the page",
    "missing": "quote missing from the page",
    "unchecked": "quote not yet checked",
}
"""What the last `check` found of a citation's quoted text, beside the quote and in the
reference's tooltip."""


def quote_status(citation: Citation, info: LinkInfo) -> Literal["found", "missing", "unchecked"]:
    """The quote's status at the last check of its source (a quote never looked for is
    `unchecked`, whatever the link's status)."""
    return info.quotes.get(citation.quote_key or "", "unchecked")


@dataclass(frozen=True)
class Evidence:
    claims: int
    sources: int
    citations: int
    rows: int
    """Distinct table rows the page's figures and charts read."""
    by_confidence: dict[str, int]
    """Citations and rows per confidence level, high, medium, low (a row counts at its
    weakest source's confidence)."""
    estimates: int
    """Rows marked `estimate: true`: the author's own derivation, explained in its note."""
    oldest: date | None
    """Date of the oldest citation or table row used."""
    checked: int
    """Sources with a link-check result."""
    live: int
    """Checked sources that answered ok or moved."""
    stale: int
    """Citations older than their confidence's budget."""
    stale_rows: int
    """Rows with a source read longer ago than its confidence's budget."""
    calculations: int

    @property
    def inputs(self) -> int:
        """Everything the page rests on: its citations and its table rows."""
        return self.citations + self.rows

    def share(self, level: str) -> int:
        """Percent of the inputs at `level`; the three add up to 100 (largest remainders
        round up), so "64% high, 35% medium, 2% low" never shows."""
        if not self.inputs:
            return 0
        exact: dict[str, float] = {lv: 100 * self.by_confidence[lv] / self.inputs for lv in LEVELS}
        shares: dict[str, int] = {lv: int(value) for lv, value in exact.items()}
        short = 100 - sum(shares.values())
        by_remainder = sorted(LEVELS, key=lambda lv: (shares[lv] - exact[lv], LEVELS.index(lv)))
        for lv in by_remainder[:short]:
            shares[lv] += 1
        return shares[level]

    def percent(self, level: str) -> str:
        """`share` as shown: `<1` for a level that has inputs but rounds to none, so a
        weak input never reads as "0% low"."""
        share = self.share(level)
        return "<1" if share == 0 and self.by_confidence[level] else str(share)

    @property
    def live_share(self) -> int | None:
        return round(100 * self.live / self.checked) if self.checked else None


def is_stale(citation: Citation, guide: Guide, budgets: StaleBudgets) -> bool:
    """Older than its confidence's budget, counted back from the guide's last update.

    The guide's own date, not today's, keeps the output the same whenever it is built.
    """
    return budgets.too_old(citation.date, citation.confidence, guide.updated)


def stale_reading(fact: InputFact, guide: Guide, budgets: StaleBudgets) -> Reading | None:
    """The row's oldest source read longer ago than that source's confidence allows, if
    any: each reading judged as a citation is (a row's figures need all of its sources,
    as its confidence is its weakest one's)."""
    stale = [r for r in fact.readings if budgets.too_old(r.date, r.confidence, guide.updated)]
    return min(stale, key=lambda r: r.date) if stale else None


def fact_is_stale(fact: InputFact, guide: Guide, budgets: StaleBudgets) -> bool:
    return stale_reading(fact, guide, budgets) is not None


def stale_rows(guide: Guide, budgets: StaleBudgets) -> dict[tuple[str, str], Reading]:
    """(table, row) → its stale reading, for every stale row the guide reads."""
    found = {(f.table, f.row): stale_reading(f, guide, budgets) for f in guide.rows}
    return {key: reading for key, reading in found.items() if reading is not None}


def evidence(guide: Guide, links: Links, budgets: StaleBudgets) -> Evidence:
    citations, rows = guide.citations, guide.rows
    counts: dict[str, int] = {level: 0 for level in LEVELS}
    for confidence in [c.confidence for c in citations] + [f.confidence for f in rows]:
        counts[confidence] += 1
    statuses = [links.get(s.normalized_url, UNCHECKED).status for s in guide.sources]
    checked = [s for s in statuses if s != "unchecked"]
    dates = [d for s in guide.sources for d in s.dates_cited]
    return Evidence(
        claims=len(guide.claims),
        sources=len(guide.sources),
        citations=len(citations),
        rows=len(rows),
        by_confidence=counts,
        estimates=sum(f.estimate for f in rows),
        oldest=min(dates) if dates else None,
        checked=len(checked),
        live=sum(s in LIVE for s in checked),
        stale=sum(is_stale(c, guide, budgets) for c in citations),
        stale_rows=sum(fact_is_stale(f, guide, budgets) for f in rows),
        calculations=len(guide.calculations),
    )


def stale_sources(guide: Guide, budgets: StaleBudgets) -> set[str]:
    """Sources every use of which is stale, by a claim or a table row: a later reading of
    a source refreshes it."""
    return {
        s.id
        for s in guide.sources
        if s.uses and all(budgets.too_old(u.date, u.confidence, guide.updated) for u in s.uses)
    }


@dataclass(frozen=True)
class Readings:
    """Days and confidences of one kind of use of a source, as the Sources list says them."""

    label: str | None
    """`claims` or `table rows`; None when every use of the source agrees."""
    dates: list[date]
    confidences: list[str]


ROLE_LABELS = {"citation": "claims", "input": "table rows"}


def readings(source: Source) -> list[Readings]:
    """When and how far a source was trusted: one entry when its claims and its table rows
    agree, else one per kind of use, so a page cited `high` by a claim and `low` by a row
    reads "claims: high; table rows: low", never "high, low"."""
    groups: dict[str, tuple[list[date], list[str]]] = {}
    for use in source.uses:
        days, levels = groups.setdefault(use.role, ([], []))
        if use.date not in days:
            days.append(use.date)
        if use.confidence not in levels:
            levels.append(use.confidence)
    shown = [
        Readings(ROLE_LABELS[role], sorted(days), [lv for lv in LEVELS if lv in levels])
        for role, (days, levels) in groups.items()
    ]
    if len({(tuple(r.dates), tuple(r.confidences)) for r in shown}) <= 1:
        return [Readings(None, r.dates, r.confidences) for r in shown[:1]]
    return shown
