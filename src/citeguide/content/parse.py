"""One guide file becomes a `Guide`: a pure function of the file's text and today's date."""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePosixPath

from citeguide.content.calcs import CalcCollector
from citeguide.content.charts import parse_charts
from citeguide.content.dialect import NESTING_KEY, markdown
from citeguide.content.frontmatter import parse_meta, split
from citeguide.content.markdown_body import BodyEdits
from citeguide.content.models import pack_library
from citeguide.content.summary import render_summary
from citeguide.content.token_walk import GuideBuilder
from citeguide.costcore.export import exported
from citeguide.costcore.library import Library
from citeguide.diagnostics import Diagnostics, SourcePos
from citeguide.markers.calc_marker import ENV_KEY
from citeguide.markers.comments import UNCLOSED_KEY
from citeguide.model import (
    RESERVED_SLUGS,
    SLUG_PATTERN,
    Calculation,
    Chart,
    Guide,
)


def normalize_text(raw: str) -> str:
    """Line endings and BOM as markdown-it sees them, so lines are counted the same way."""
    return raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _footnote_labels(env: dict[str, object]) -> set[str]:
    """Labels of the footnotes the guide both defines and refers to."""
    notes = env.get("footnotes")
    if not isinstance(notes, dict):
        return set()
    return {str(note["label"]) for note in notes.get("list", {}).values() if "label" in note}


def _slug(path: str, explicit: str | None, diags: Diagnostics) -> str | None:
    slug = explicit or PurePosixPath(path).stem
    if not re.match(SLUG_PATTERN, slug):
        diags.error(
            SourcePos(path, 1, 1),
            f"file name {PurePosixPath(path).name!r} does not give a valid slug; "
            "rename the file or set `slug:` (lower-case letters, digits, hyphens)",
            "slug-invalid",
        )
        return None
    if slug in RESERVED_SLUGS:
        diags.error(
            SourcePos(path, 1, 1),
            f"slug {slug!r} is reserved for the site's own pages; choose another",
            "slug-reserved",
        )
        return None
    return slug


def parse_guide(
    path: str, raw: str, *, today: date, library: Library | None = None, locale: str = "en"
) -> tuple[Guide | None, Diagnostics]:
    """Parse one guide against the site's models and cited tables.

    A pure function of its arguments; `path` is relative to the site root and only used
    in diagnostics.
    """
    diags = Diagnostics()
    text = normalize_text(raw)
    parts = split(text)
    if parts is None:
        diags.error(
            SourcePos(path, 1, 1),
            "a guide starts with front matter between --- lines (title, summary, published)",
            "front-matter-missing",
        )
        return None, diags
    meta = parse_meta(path, parts.front_matter, diags, today=today)
    slug = _slug(path, meta.slug if meta else None, diags)

    md = markdown()
    library = library or pack_library()
    calcs = CalcCollector(library, locale)
    summary = render_summary(path, parts.front_matter, meta.summary, calcs, diags) if meta else None
    env: dict[str, object] = {ENV_KEY: calcs.evaluate}
    tokens = md.parse(parts.body, env)
    for line in sorted(set(env.get(NESTING_KEY, []))):  # type: ignore[call-overload]
        diags.error(
            SourcePos(path, parts.body_line + line + 1, 1),
            "quotes or lists nest too deep here and this text would be lost; "
            f"use at most {md.options['maxNesting'] // 2} levels",
            "nesting-too-deep",
        )
    for line, col in env.get(UNCLOSED_KEY, []):  # type: ignore[attr-defined]
        diags.error(
            SourcePos(path, parts.body_line + line + 1, col + 1),
            "HTML comment is not closed; end it with --> (else it is published as text)",
            "comment-unclosed",
        )
    edits = BodyEdits(parts.body)
    builder = GuideBuilder(path, parts.body_line, today, diags, edits, slug or "guide")
    builder.walk(tokens)
    charts = parse_charts(
        tokens,
        library,
        path=path,
        body_line=parts.body_line,
        locale=locale,
        diags=diags,
    )
    for chart in charts:
        edits.lines(*chart.source_lines, chart)
    code_lines = {
        line
        for token in tokens
        if token.type in ("fence", "code_block") and token.map and "chart" not in token.meta
        for line in range(*token.map)
    }
    edits.rename_footnotes(_footnote_labels(env), code_lines)
    edits.escape_raw_html(code_lines)
    lines, context = dict(builder.calc_lines), dict(builder.calc_context)
    cols = dict(builder.calc_cols)
    for cid in summary.figures if summary else []:
        # A figure first met in the summary stands at its marker there (line 2 was the
        # title's: `estimate-input` and `stale-input` were told at 2:1).
        line, col = summary.where[cid] if summary else (2, 1)
        lines.setdefault(cid, line)
        cols.setdefault(cid, col)
        context.setdefault(cid, (summary.text if summary else "", None, None))
    calculations = calcs.calculations(lines, context, builder.calc_refs, cols)
    inputs: list[Calculation | Chart] = [*calculations, *charts]
    for item in inputs:
        for fact in item.facts:
            # Each source of a row with its own reading: a high-confidence page in a row
            # with a weaker one keeps its own confidence.
            for reading in fact.readings:
                source = builder.source(reading.url, "input")
                source.note(reading.date, reading.confidence, "input")
                if item.id not in source.calculations:
                    source.calculations.append(item.id)
    models, tables = exported(library, [m for item in inputs for m in item.models])
    if meta is None or slug is None or diags.has_errors():
        return None, diags

    updated = max([meta.published, *(u.date for u in meta.updates)])
    if not builder.claims and not calculations:
        diags.warning(
            SourcePos(path, 1, 1), "guide cites no sources; add [cite: ...] markers", "no-citations"
        )
    guide = Guide(
        path=path,
        slug=slug,
        meta=meta,
        updated=updated,
        sections=builder.sections,
        claims=list(builder.claims.values()),
        sources=list(builder.sources.values()),
        calculations=calculations,
        charts=charts,
        tokens=tokens,
        env=env,
        body_edits=edits,
        text=text,
        body_line=parts.body_line,
        blocks=builder.blocks,
        files=builder.files,
        notes=builder.notes,
        models=models,
        tables=tables,
        table_names={name: library.tables.tables[name].reader_name for name in tables},
        summary=summary.text if summary else meta.summary,
        summary_html=summary.html if summary else "",
        summary_parts=summary.parts if summary else [],
        key_findings=summary.figures if summary else [],
    )
    return guide, diags
