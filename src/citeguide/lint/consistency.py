"""Rules across guides and tables: one source, one date and one confidence everywhere."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from citeguide.content.claims import normalize_url
from citeguide.costcore.tables import Tables
from citeguide.diagnostics import SourcePos
from citeguide.records import Use

Found = Iterator[tuple[str, SourcePos, str]]


def uses(per_guide: Iterable[list[Use]], tables: Tables) -> Iterator[Use]:
    """Every cited URL and its normalised form, with path, line, col, date and confidence."""
    for uses in per_guide:
        yield from uses
    for (table, row_id), (path, line) in sorted(tables.origins.items()):
        if path.startswith("<pack"):
            continue  # the bundled pack's own rows are not the site's citations
        row = tables.tables[table].rows[row_id]
        if row.estimate:
            continue  # its confidence rates the author's derivation, not the source
        for cite in row.citations:
            yield cite.url, normalize_url(cite.url), path, line, 1, cite.date, cite.confidence


def conflicts(
    per_guide: Iterable[list[Use]], tables: Tables
) -> Iterator[tuple[str, SourcePos, str]]:
    first: dict[str, tuple[date, str, str, int, int]] = {}
    for url, key, path, line, col, day, confidence in uses(per_guide, tables):
        seen = first.setdefault(key, (day, confidence, path, line, col))
        if (day, confidence) != seen[:2]:
            where = SourcePos(*seen[2:])
            yield (
                "conflicting-citation",
                SourcePos(path, line, col),
                (
                    f"{url} is cited as {day} · {confidence} here but {seen[0]} · {seen[1]} at "
                    f"{where}; use one date and confidence per source"
                ),
            )
