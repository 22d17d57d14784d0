"""The editorial linter: rules over parsed guides, tables and link states.

Run by `citeguide lint` and inside every `build`. Each rule has an id and a default
severity (`citeguide.lintrules`); `[lint] rules` in `citeguide.toml` can change it or turn
it off. Positions point at the citation, the claim or the figure concerned.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from citeguide.config import SiteConfig
from citeguide.content.claims import normalize_url
from citeguide.costcore.tables import Tables
from citeguide.diagnostics import Diagnostic, Severity, SourcePos
from citeguide.linkcheck.safety import is_private_url
from citeguide.model import Citation, Guide, Links
from citeguide.records import Use

UseCache = dict[str, tuple[Guide, list[Use]]]


def guide_uses(guide: Guide) -> list[Use]:
    keys = {s.id: s.normalized_url for s in guide.sources}
    return [
        (c.url, keys[c.source_id], guide.path, c.line, c.col, c.date, c.confidence)
        for c in guide.citations
    ]


def _uses(per_guide: Iterable[list[Use]], tables: Tables) -> Iterator[Use]:
    """Every cited URL and its normalised form, with path, line, col, date and confidence."""
    for uses in per_guide:
        yield from uses
    for (table, row_id), (path, line) in sorted(tables.origins.items()):
        row = tables.table(table)[row_id]
        if row.estimate:
            continue  # its confidence rates the author's derivation, not the source
        yield row.source, normalize_url(row.source), path, line, 1, row.date, row.confidence


def _conflicts(
    per_guide: Iterable[list[Use]], tables: Tables
) -> Iterator[tuple[str, SourcePos, str]]:
    first: dict[str, tuple[date, str, str, int, int]] = {}
    for url, key, path, line, col, day, confidence in _uses(per_guide, tables):
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


def _per_guide(
    guide: Guide, links: Links, config: SiteConfig, today: date
) -> Iterator[tuple[str, SourcePos, str]]:
    for finding in guide.findings:
        yield finding.rule, SourcePos(guide.path, finding.line, finding.col), finding.message
    sources = {s.id: s for s in guide.sources}
    for claim in guide.claims:
        if all(c.confidence == "low" for c in claim.citations):
            pos = SourcePos(guide.path, claim.line, claim.citations[0].col)
            yield (
                "low-confidence-only",
                pos,
                (f"claim rests only on low-confidence sources: {claim.text[:80]!r}"),
            )
    for citation in guide.citations:
        key = sources[citation.source_id].normalized_url
        yield from _citation(guide, citation, key, links, config, today)
    age = (today - guide.updated).days
    if age > config.lint.guide_max_age:
        yield (
            "stale-guide",
            SourcePos(guide.path, 1, 1),
            (
                f"guide last updated {guide.updated}, {age} days ago (budget "
                f"{config.lint.guide_max_age}); review it and add an update-log entry"
            ),
        )


def _citation(
    guide: Guide, citation: Citation, key: str, links: Links, config: SiteConfig, today: date
) -> Iterator[tuple[str, SourcePos, str]]:
    pos = SourcePos(guide.path, citation.line, citation.col)
    budget: int = getattr(config.stale, citation.confidence)
    age = (today - citation.date).days
    if age > budget:
        yield (
            "stale-citation",
            pos,
            (
                f"{citation.confidence}-confidence citation from {citation.date} is {age} days old "
                f"(budget {budget}); re-check the source and update the date"
            ),
        )
    if is_private_url(citation.url):  # `http://2130706433/` and `127.1` count
        yield "private-source", pos, f"{citation.url} is a local or private address"
    link = links.get(key)
    if link is not None and link.status in ("dead", "soft-404"):
        archive = f"; archived copy: {link.archive_url}" if link.archive_url else ""
        yield "dead-source", pos, f"{citation.url} was {link.status} when checked{archive}"
    elif link is not None and link.status == "blocked":
        yield (
            "blocked-source",
            pos,
            (f"{citation.url} could not be verified (the site blocks automated checks)"),
        )
    if link is not None and citation.quote_key and link.quotes.get(citation.quote_key) == "missing":
        yield (
            "quote-missing",
            pos,
            f"the quoted text {citation.quote!r} is no longer on the page (checked "
            f"{(link.checked_at or '')[:10]}); re-read the source and update the claim",
        )


def _diagnostics(
    found: Iterator[tuple[str, SourcePos, str]], config: SiteConfig
) -> list[Diagnostic]:
    out = []
    for rule, pos, message in found:
        severity = config.lint.severity(rule)
        if severity != "off":
            out.append(Diagnostic(pos, Severity(severity), message, rule))
    return out


def lint_guide(guide: Guide, links: Links, config: SiteConfig, today: date) -> list[Diagnostic]:
    """The rules that look at one guide only (cacheable per guide)."""
    return _diagnostics(_per_guide(guide, links, config, today), config)


def lint_uses(
    per_guide: Iterable[list[Use]], tables: Tables, config: SiteConfig
) -> list[Diagnostic]:
    """The rules that look across guides and tables, from each guide's citation list."""
    return _diagnostics(_conflicts(per_guide, tables), config)


def lint_site(
    guides: list[Guide], tables: Tables, config: SiteConfig, cache: UseCache | None = None
) -> list[Diagnostic]:
    """The cross-guide rules; `cache` keeps per-guide citation lists between calls."""
    cache = {} if cache is None else cache
    per_guide = []
    for guide in guides:
        held = cache.get(guide.path)
        if held is None or held[0] is not guide:
            held = cache[guide.path] = (guide, guide_uses(guide))
        per_guide.append(held[1])
    return lint_uses(per_guide, tables, config)


def lint(
    guides: list[Guide], tables: Tables, links: Links, config: SiteConfig, today: date
) -> list[Diagnostic]:
    """All editorial problems, with the severities configured for their rules."""
    found = [d for g in guides for d in lint_guide(g, links, config, today)]
    return found + lint_site(guides, tables, config)
