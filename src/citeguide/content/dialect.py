"""The one Markdown dialect guides are written in: CommonMark with tables, footnotes,
definition lists and alerts, citeguide's markers, and the ids headings take."""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.anchors.index import slugify

from citeguide.markers.anchors import anchors_plugin
from citeguide.markers.calc_marker import calc_plugin
from citeguide.markers.cite import cite_plugin
from citeguide.markers.comments import comments_plugin
from citeguide.markers.notes import NOTES_ID, NOTES_TITLE_ID, notes_plugin

# Ids the page template and the renderer give their own elements; a heading may not take
# one ("## Sources" would duplicate `id="sources"`, "## Main" the skip link's target).
PAGE_IDS = frozenset(
    {"main", "sources", "sources-title", "citation-manifest", "manifest-title", "calculations"}
    | {"calculations-title", "entities", "entities-title", "update-log", "update-log-title"}
    | {"audience-title", "search-form", "search-input", "search-results", "search-status"}
    | {"toc", "content", "top", "about", "evidence-legend", "toc-title", "theme-toggle"}
    | {"search-panel", "neighbours", "neighbours-title", "related-title"}
    | {NOTES_ID, NOTES_TITLE_ID}
)
_GENERATED_ID = re.compile(
    r"(?:cite|cite-ref|cite-tip|calc-ref|calc-tip|chart|fig)-\d+(?:-\w+)?|[cks]-[0-9a-f]{12}"
    r"|summary-k-[0-9a-f]{12}|fn\d+|fnref\d+(?:-\d+)?"
)


def heading_id(title: str) -> str:
    """The id of a heading: its slug, moved aside when the page already uses that id."""
    slug = slugify(title) or "section"
    if slug in PAGE_IDS or _GENERATED_ID.fullmatch(slug):
        return f"{slug}-section"
    return slug


NESTING_KEY = "citeguide.too_deep"
_CONTAINER = re.compile(r"\s*(?:(>)|[-*+]\s|\d{1,9}[.)]\s)")


def _nesting_guard(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Note a quote or list that would nest past markdown-it's limit (it drops their text)."""
    if silent:
        return False
    line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    found = _CONTAINER.match(line)
    if found:
        needed = 1 if found.group(1) else 2  # a list opens two levels: the list and its item
        if state.level + needed >= state.md.options["maxNesting"]:
            state.env.setdefault(NESTING_KEY, []).append(start)
    return False


@cache
def markdown(renderer: type[RendererHTML] = RendererHTML) -> MarkdownIt:
    """The one Markdown dialect: CommonMark, tables, footnotes, definition lists and
    alerts; no raw HTML (comments are dropped); citeguide's markers. Guides are parsed
    with the default `renderer`; render/body.py draws them with its own."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}, renderer_cls=renderer)
    md.enable("table")
    md.use(comments_plugin)
    md.use(cite_plugin)
    md.use(calc_plugin)
    md.use(notes_plugin)
    md.block.ruler.before("code", "nesting_guard", _nesting_guard)
    md.use(anchors_plugin, min_level=2, max_level=3, slug_func=heading_id)
    return md
