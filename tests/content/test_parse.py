"""`content/parse.py`: one guide file becomes a `Guide` (data only), or positioned
problems; the same text always gives the same Guide."""

from __future__ import annotations

from citeguide.content.dialect import heading_id
from citeguide.content.parse import parse_guide
from citeguide.model import Guide
from conftest import TODAY, guide_text

PATH = "content/guides/which-stack.md"

TWO_CITES = """\
---
title: Which database?
summary: SQLite until many processes write at once.
published: 2026-05-01
tags: [databases]
---

## Writers

SQLite allows one writer at a time [cite: https://sqlite.org/lockingv3.html · 2026-03-10 · high].
Postgres handles many [cite: https://www.postgresql.org/docs/mvcc.html · 2026-03-11 · medium].

## Sources

A second mention of the locking page [cite: https://SQLite.org/lockingv3.html · 2026-03-10 · high].
"""


def _parse(text: str, path: str = PATH) -> tuple[Guide | None, list[str]]:
    guide, diags = parse_guide(path, text, today=TODAY)
    return guide, [d.format() for d in diags.items]


def test_a_guide_becomes_data_with_its_claims_sections_and_sources() -> None:
    guide, problems = _parse(TWO_CITES)
    assert problems == []
    assert guide is not None
    assert guide.slug == "which-stack"
    assert [s.title for s in guide.sections] == ["Writers", "Sources"]
    # "## Sources" would take the page's own id: the heading moves aside
    assert [s.id for s in guide.sections] == ["writers", "sources-section"]
    assert [c.text for c in guide.claims] == [
        "SQLite allows one writer at a time.",
        "Postgres handles many.",
        "A second mention of the locking page.",
    ]
    # one source per normalised URL: the host's case does not make a second source
    assert [s.host for s in guide.sources] == ["sqlite.org", "www.postgresql.org"]
    assert [len(s.claims) for s in guide.sources] == [2, 1]
    assert guide.citations[0].source_id == guide.citations[2].source_id
    assert [c.n for c in guide.citations] == [1, 2, 3]
    assert guide.citations[1].confidence == "medium"


def test_parsing_writes_no_html_and_keeps_the_tokens_for_the_renderer() -> None:
    guide, _ = _parse(TWO_CITES)
    assert guide is not None
    fields = set(Guide.model_fields)
    assert not {"body_html", "body_markdown", "findings"} & fields
    assert guide.tokens
    assert guide.tokens[0].type == "heading_open"
    assert "<" not in "".join(t.content for t in guide.tokens if t.type == "inline")
    # what lint reads: the text blocks, with the line the body starts on
    assert guide.body_line == 6
    assert guide.blocks


def test_the_same_text_gives_the_same_guide_and_the_same_claim_ids() -> None:
    first, _ = _parse(TWO_CITES)
    second, _ = _parse(TWO_CITES)
    assert first is not None
    assert second is not None
    assert first.model_dump() == second.model_dump()
    reflowed, _ = _parse(TWO_CITES.replace("one writer at a time", "one   writer at a time"))
    assert reflowed is not None
    assert reflowed.claims[0].id == first.claims[0].id


def test_a_bad_file_name_is_an_error_at_the_top_of_the_file() -> None:
    guide, problems = _parse(guide_text(), "content/guides/Bad Name.md")
    assert guide is None
    assert problems == [
        "content/guides/Bad Name.md:1:1: error: file name 'Bad Name.md' does not give a "
        "valid slug; rename the file or set `slug:` (lower-case letters, digits, hyphens) "
        "[slug-invalid]"
    ]


def test_a_reserved_slug_is_refused() -> None:
    guide, problems = _parse(guide_text(), "content/guides/tags.md")
    assert guide is None
    assert len(problems) == 1
    assert problems[0].endswith("[slug-reserved]")


def test_a_malformed_marker_is_positioned_at_its_line_and_column() -> None:
    text = guide_text().replace("· 2026-03-10 · high]", "· 2026-13-10 · high]")
    guide, problems = _parse(text)
    assert guide is None
    assert len(problems) == 1
    where, _, message = problems[0].partition(": error: ")
    line = text.splitlines().index(next(x for x in text.splitlines() if "2026-13-10" in x)) + 1
    assert where.startswith(f"{PATH}:{line}:")
    assert "2026-13-10" in message


def test_heading_ids_step_aside_for_the_pages_own_and_generated_ids() -> None:
    assert heading_id("Which stack?") == "which-stack"
    assert heading_id("Sources") == "sources-section"
    assert heading_id("cite-3") == "cite-3-section"
    assert heading_id("!!!") == "section"
