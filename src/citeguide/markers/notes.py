"""Markdown an author expects beyond CommonMark: footnotes, definition lists and GitHub
alerts, through maintained plugins, rendered to be read aloud well.

Footnotes come from mdit-py-plugins (`[^label]` and `[^label]: text`); their references
are letters (`[a]`), as in Wikipedia's "Notes", so they never look like the numbered
citations (`[1]`). Definition lists come from mdit-py-plugins too; alerts (`> [!NOTE]`)
are markdown-it-py's own (option `alerts`). Nothing here knows about citations: cite
markers inside a footnote, a definition or an alert are parsed like anywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import escape
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

NOTES_ID, NOTES_TITLE_ID = "notes", "notes-title"


def note_letter(index: int) -> str:
    """0 → a, 25 → z, 26 → aa: the label a reader sees for the note `index`."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _ref(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    meta = tokens[idx].meta
    n, sub = meta["id"] + 1, meta.get("subId", 0)
    ref_id = f"fnref{n}" + (f"-{sub}" if sub else "")
    letter = note_letter(meta["id"])
    return (
        f'<sup class="footnote-ref"><a href="#fn{n}" id="{ref_id}" role="doc-noteref" '
        f'aria-label="Note {letter}">[{letter}]</a></sup>'
    )


def _block_open(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return (
        f'<section class="footnotes" id="{NOTES_ID}" role="doc-endnotes" '
        f'aria-labelledby="{NOTES_TITLE_ID}">\n<h2 id="{NOTES_TITLE_ID}">Notes</h2>\n'
        '<ol class="footnotes-list" type="a">\n'
    )


def _item_open(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return f'<li id="fn{tokens[idx].meta["id"] + 1}" class="footnote-item">'


def _backref(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    meta = tokens[idx].meta
    n, sub = meta["id"] + 1, meta["subId"]
    ref_id = f"fnref{n}" + (f"-{sub}" if sub else "")
    which = f" ({sub + 1})" if sub else ""
    label = escape(f"Back to the text of note {note_letter(meta['id'])}{which}")
    # ↩ with U+FE0E so iOS does not draw it as an emoji
    return (
        f' <a href="#{ref_id}" class="footnote-backref" role="doc-backlink" '
        f'aria-label="{label}">\u21a9\ufe0e</a>'
    )


def _alert_roles(state: StateCore) -> None:
    """An alert is a note to the reader: `role="note"`, named by its title."""
    for token in state.tokens:
        if token.type == "alert_open":
            kind = str(token.meta.get("kind", "note")).capitalize()
            token.attrSet("role", "note")
            token.attrSet("aria-label", kind)


def notes_plugin(md: MarkdownIt) -> None:
    """Footnotes (no inline `^[...]` form), definition lists and GitHub alerts."""
    md.use(footnote_plugin, inline=False)
    md.use(deflist_plugin)
    md.options["alerts"] = True
    md.core.ruler.push("alert_roles", _alert_roles)
    md.add_render_rule("footnote_ref", _ref)
    md.add_render_rule("footnote_block_open", _block_open)
    md.add_render_rule("footnote_open", _item_open)
    md.add_render_rule("footnote_anchor", _backref)
