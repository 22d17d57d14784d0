"""How a cited table row behind a figure or a chart is shown: its source, the day it was
read, the period it describes, its confidence, whether it is stale or an estimate, its note.

Whether a row is stale depends on the site's `[stale]` budgets and the build date, which
the renderers know: a chart's rows are drawn with their stale badge in place
(`stale_badges`), in the page and in the Markdown twin alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from html import escape
from urllib.parse import urlsplit

from citeguide.config import StaleBudgets
from citeguide.costcore.table_data import TableRow
from citeguide.model import InputFact, Reading
from citeguide.render.escape import md_text, md_url

CONFIDENCE_LABELS = {
    "high": "High confidence",
    "medium": "Medium confidence",
    "low": "Low confidence",
}

StaleBadges = Callable[[str, str], str]
"""(table, row) → the badge shown after that row's confidence: "" for a fresh row."""


def no_stale(table: str, row: str) -> str:
    """Every row fresh (a chart drawn without a site's budgets)."""
    return ""


def stale_badges(stale: Mapping[tuple[str, str], Reading], budgets: StaleBudgets) -> StaleBadges:
    """The badges of a guide's stale rows (`stale`: (table, row) → its stale reading)."""

    def badge(table: str, row: str) -> str:
        reading = stale.get((table, row))
        if reading is None:
            return ""
        return stale_badge(reading.confidence, budgets.budget(reading.confidence))

    return badge


def stale_badge(confidence: str, budget: int) -> str:
    return (
        f' · <span class="badge stale" title="Older than the {escape(confidence)}-confidence '
        f'budget of {budget} days">stale</span>'
    )


def _link(url: str) -> str:
    return f'<a href="{escape(url)}" rel="noopener">{escape(urlsplit(url).hostname or url)}</a>'


def _day(day: date) -> str:
    return f'<time datetime="{day}">{day}</time>'


def row_html(row: TableRow, badges: StaleBadges = no_stale) -> str:
    """One row under a chart's "Chart inputs and sources", as "How the numbers were
    computed" shows a figure's rows (templates/guide.html)."""
    name = f"{escape(row.table)}/{escape(row.id)}"
    if len(row.citations) > 1:
        # Each source with its own day and confidence (the row's are its newest day and
        # its weakest confidence).
        read = ", ".join(
            f"{_link(c.url)} (read {_day(c.date)}, {c.confidence})" for c in row.citations
        )
        where = f"{read} · {name}"
    else:
        where = f"{_link(row.url)} · {name} · read {_day(row.date)}"
    as_of = f" · figures as of {_day(row.as_of)}" if row.as_of else ""
    estimate = ' · <span class="badge estimate">estimate</span>' if row.estimate else ""
    note = f": {escape(row.note)}" if row.note else ""
    return (
        f"<li>{where}{as_of}"
        f' · <span class="badge confidence-{row.confidence}">'
        f"{CONFIDENCE_LABELS[row.confidence]}</span>"
        f"{badges(row.table, row.id)}{estimate}{note}</li>"
    )


def fact_sources_markdown(fact: InputFact) -> tuple[str, str]:
    """(its sources' URLs, when it was read and how far trusted) in the Markdown twin:
    `<url>` and `2026-10-01, high`; for a row of several sources, each with its own
    (`<a> and <b>`, `read 2026-10-01 at high and 2024-01-10 at medium`)."""
    if len(fact.readings) <= 1:
        return md_url(fact.source), f"{fact.date}, {fact.confidence}"
    return (
        " and ".join(md_url(r.url) for r in fact.readings),
        "read " + " and ".join(f"{r.date} at {r.confidence}" for r in fact.readings),
    )


def fact_markdown(fact: InputFact, stale: bool = False) -> str:
    """One row of a chart as the Markdown twin lists it: `- table/row: <url> (2026-10-01,
    high confidence, figures as of ..., stale, estimate: NOTE)`."""
    urls, read = fact_sources_markdown(fact)
    return f"- {md_text(f'{fact.table}/{fact.row}')}: {urls} ({read} confidence" + _tail(
        fact, ", stale" if stale else ""
    )


def fact_in_footnote(fact: InputFact, stale: bool) -> str:
    """One row in a figure's footnote: `<url> (table/row, 2026-10-01, high, ...)`."""
    urls, read = fact_sources_markdown(fact)
    return f"{urls} ({md_text(f'{fact.table}/{fact.row}')}, {read}" + _tail(
        fact, ", stale" if stale else ""
    )


def _tail(fact: InputFact, stale: str) -> str:
    kind = "estimate" if fact.estimate else "note"
    return (
        (f", figures as of {fact.as_of}" if fact.as_of else "")
        + stale
        + (md_text(f", {kind}: {fact.note}") if fact.note else "")
        + ")"
    )
