"""Running the editorial rules: per guide, over the site's tables, with configured severities.

Run by `citeguide lint` and inside every `build`. Each rule has an id and a default
severity (`citeguide.rules`); `[lint] rules` in `citeguide.toml` can change it or turn
it off. Positions point at the citation, the claim or the figure concerned.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from citeguide.config import SiteConfig
from citeguide.costcore.table_data import Tables
from citeguide.diagnostics import Diagnostic, Severity, SourcePos
from citeguide.lint.allow import lint_allows
from citeguide.lint.citations import per_guide
from citeguide.lint.consistency import conflicts
from citeguide.model import Guide, Links
from citeguide.records import Use
from citeguide.text.urls import normalize_url


def guide_uses(guide: Guide) -> list[Use]:
    """Every citation of the guide, and the sources of the bundled pack's rows its
    figures used (the site's own rows are checked from their tables)."""
    keys = {s.id: s.normalized_url for s in guide.sources}
    uses = [
        Use(guide.path, c.line, c.date, c.col, c.confidence, c.url, keys[c.source_id])
        for c in guide.citations
    ]
    facts = [f for c in guide.calculations for f in c.facts]
    facts += [f for c in guide.charts for f in c.facts]
    for f in facts:
        if f.pack:
            for url in f.urls or [f.source]:
                uses.append(Use(guide.path, f.line, f.date, 1, f.confidence, url,
                                normalize_url(url)))  # fmt: skip
    return uses


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
    """The rules that look at one guide only (cacheable per guide), less what the author
    allowed on a line (`<!-- lint-allow: rule -->`)."""
    found = _diagnostics(per_guide(guide, links, config, today), config)
    allows = lint_allows(guide.text)
    return [d for d in found if d.rule not in allows.get(d.pos.line, ())]


def lint_tables(tables: Tables, config: SiteConfig) -> list[Diagnostic]:
    """The rules that look at the site's tables as a whole (a row citing one page twice
    at odds with itself). Confidence is each claim's own, so no rule reads across guides'
    citations."""
    return _diagnostics(conflicts(tables), config)


def lint(
    guides: list[Guide], tables: Tables, links: Links, config: SiteConfig, today: date
) -> list[Diagnostic]:
    """All editorial problems, with the severities configured for their rules."""
    found = [d for g in guides for d in lint_guide(g, links, config, today)]
    return found + lint_tables(tables, config)
