"""One reading per page in one claim or one table row: the same page cited twice there
with different dates or confidences is a conflict.

Confidence belongs to a claim (or a row), not to a URL, and the date is the day the
source was read: two claims may cite one page at different confidences, and a page read
again later is cited with the later date. Within one claim, or one row, the author read
the page once and trusts it once; two values there contradict each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from citeguide.costcore.table_data import Tables
from citeguide.diagnostics import SourcePos
from citeguide.text.urls import normalize_url

Found = Iterator[tuple[str, SourcePos, str]]


Conflict = tuple[str, tuple[date, str], tuple[date, str]]
"""A page's URL, its first (date, confidence) and the one contradicting it."""


def first_conflict(readings: Iterable[tuple[str, date, str]]) -> Conflict | None:
    """(url, first reading, contradicting reading) of the first page read two ways among
    (url, date, confidence), or None."""
    seen: dict[str, tuple[date, str]] = {}
    for url, day, confidence in readings:
        first = seen.setdefault(normalize_url(url), (day, confidence))
        if first != (day, confidence):
            return url, first, (day, confidence)
    return None


def conflict_message(subject: str, noun: str, found: Conflict) -> str:
    url, (day, confidence), (day2, confidence2) = found
    return (
        f"{subject} cites {url} as {day2} · {confidence2} and as {day} · {confidence}; one "
        f"{noun} reads a page once: give both the same date and confidence"
    )


def conflicts(tables: Tables) -> Found:
    """Table rows citing one page twice with different dates or confidences (the bundled
    pack's rows are not the site's)."""
    for (table, row_id), (path, line) in sorted(tables.origins.items()):
        if path.startswith("<pack"):
            continue
        row = tables.tables[table].rows[row_id]
        found = first_conflict((c.url, c.date, c.confidence) for c in row.citations)
        if found is not None:
            yield (
                "conflicting-citation",
                SourcePos(path, line, 1),
                conflict_message(f"the row {table}/{row_id}", "row", found),
            )
