"""Rules over one guide: each citation's age, link state, address (private, bidi controls,
mixed or lookalike scripts) and quote, claims that rest only on weak sources, and the
guide's own age."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from citeguide.config import SiteConfig
from citeguide.costcore.quantities import as_text
from citeguide.diagnostics import SourcePos
from citeguide.lint.consistency import conflict_message, first_conflict
from citeguide.lint.editorial import guide_findings
from citeguide.lint.spoofing import url_findings
from citeguide.model import Citation, Guide, Links
from citeguide.text.case import excerpt
from citeguide.text.urls import is_private_url


def per_guide(
    guide: Guide, links: Links, config: SiteConfig, today: date
) -> Iterator[tuple[str, SourcePos, str]]:
    for finding in guide_findings(guide):
        yield finding.rule, SourcePos(guide.path, finding.line, finding.col), finding.message
    sources = {s.id: s for s in guide.sources}
    for claim in guide.claims:
        if all(c.confidence == "low" for c in claim.citations):
            pos = SourcePos(guide.path, claim.line, claim.citations[0].col)
            yield (
                "low-confidence-only",
                pos,
                (f"claim rests only on low-confidence sources: {excerpt(claim.text)}"),
            )
    for claim in guide.claims:
        found = first_conflict((c.url, c.date, c.confidence) for c in claim.citations)
        if found is not None:
            twice = [c for c in claim.citations if (c.date, c.confidence) == found[2]]
            yield (
                "conflicting-citation",
                SourcePos(guide.path, twice[0].line, twice[0].col),
                conflict_message("this claim", "claim", found),
            )
    for citation in guide.citations:
        key = sources[citation.source_id].normalized_url
        yield from citation_rules(guide, citation, key, links, config, today)
    yield from stale_inputs(guide, config, today)
    for calc in guide.calculations:
        pos = SourcePos(guide.path, calc.line, calc.col)
        for name in calc.uncited:
            yield (
                "uncited-input",
                pos,
                f"{name} is a typed number with no source; name a cited row of its table "
                f"instead (citeguide calc --list {calc.calculator})",
            )
        for name in calc.unread:
            yield (
                "unused-param",
                pos,
                f"{name}=... changes nothing: {calc.calculator} never reads {name} (not in "
                "its formula, `let` values, `require` or `flags`); take it out of the marker, "
                "or use it in the model",
            )
        for name in calc.unsigned_shares:
            typed = as_text(calc.inputs[name])
            percent = format((Decimal(typed) * 100).normalize(), "f")
            yield (
                "share-without-sign",
                pos,
                f"{name}={typed} is {typed}%, a parameter in % taking percent: write "
                f"{name}={percent}% if a fraction was meant, or {name}={typed}% to keep it",
            )
        for fact in calc.facts:
            if fact.estimate:
                yield (
                    "estimate-input",
                    pos,
                    f"{calc.display} rests on an estimate, {fact.table}/{fact.row}: "
                    f"{(fact.note or '')[:120]}",
                )
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


def stale_inputs(
    guide: Guide, config: SiteConfig, today: date
) -> Iterator[tuple[str, SourcePos, str]]:
    """`stale-input`: a table row behind a figure or chart with a source read longer ago
    than its confidence allows, once per row, at the figure or chart that first uses it.
    Counted from today or the guide's last update, whichever is later, so every row the
    page marks stale (it counts from the update) is flagged."""
    counted_from = max(today, guide.updated)
    uses = [(c.line, c.col, f) for c in guide.calculations for f in c.facts]
    uses += [(f.line, 1, f) for chart in guide.charts for f in chart.facts]
    seen: set[tuple[str, str]] = set()
    for line, col, fact in sorted(uses, key=lambda u: (u[0], u[1])):
        if (fact.table, fact.row) in seen:
            continue
        seen.add((fact.table, fact.row))
        old = [r for r in fact.readings if config.stale.too_old(r.date, r.confidence, counted_from)]
        if not old:
            continue
        reading = min(old, key=lambda r: r.date)
        yield (
            "stale-input",
            SourcePos(guide.path, line, col),
            (
                f"{fact.table}/{fact.row} rests on a {reading.confidence}-confidence source "
                f"read {reading.date}, {(counted_from - reading.date).days} days before "
                f"{counted_from} (budget {config.stale.budget(reading.confidence)}); "
                + (
                    f"a row of the bundled pack: give a fresher one in content/data/"
                    f"{fact.table}.yaml"
                    if fact.pack
                    else f"re-read {reading.url} and update the row's date"
                )
            ),
        )


def citation_rules(
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
    for rule, message in url_findings(citation.url):
        yield rule, pos, message
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
