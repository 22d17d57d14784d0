"""HTML comments (`<!-- TODO -->`) as a markdown-it plugin: dropped, never published.

Raw HTML is off, so without this rule markdown-it would print a comment as visible text.
A comment on lines of its own is a block (CommonMark's HTML block of type 2) and takes
those lines with it; a comment inside a paragraph is an inline token. Both render as
nothing and record where they are, so the Markdown twin can drop them too. A comment
that is never closed is recorded as an error instead of hiding the rest of the guide.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from citeguide.markers.positions import inline_blocks

OPEN, CLOSE = "<!--", "-->"
UNCLOSED_KEY = "citeguide.comments.unclosed"
"""env key: 0-based (line, col) of every comment opener without a `-->`."""


_NO_CLOSE_KEY = "citeguide.comments.no_close"


def _closing(src: str, start: int, env: Any) -> int:
    """Index of the next `-->` from `start` in `src`, remembering where none is left: a
    guide of thousands of unclosed `<!--` would otherwise be scanned once per opener."""
    memo = env.get(_NO_CLOSE_KEY)
    if memo is not None and memo[0] is src and start >= memo[1]:
        return -1
    close = src.find(CLOSE, start)
    if close < 0:
        env[_NO_CLOSE_KEY] = (src, start)
    return close


def _comment_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False  # indented code
    pos = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith(OPEN, pos):
        return False
    close = _closing(state.src, pos + 2, state.env)
    if close < 0:
        return False  # the inline rule reports it
    line = start
    while line < end and state.eMarks[line] < close:
        line += 1
    if line >= end or state.src[close + len(CLOSE) : state.eMarks[line]].strip():
        # Text after the comment on its last line is the author's: leave the lines to the
        # paragraph rule, whose inline rule drops only the comment.
        return False
    if silent:
        return True
    token = state.push("html_comment_block", "", 0)
    token.map = [start, line + 1]
    token.content = state.src[pos : close + len(CLOSE)]
    state.line = line + 1
    return True


def _comment_inline(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if not state.src.startswith(OPEN, start):
        return False
    close = _closing(state.src, start + 2, state.env)
    if close < 0:
        if not silent:
            token = state.push("html_comment", "", 0)
            token.content = OPEN
            token.meta = {"offset": start, "unclosed": True}
        state.pos = start + len(OPEN)
        return True
    if not silent:
        token = state.push("html_comment", "", 0)
        token.content = state.src[start : close + len(CLOSE)]
        token.meta = {"offset": start, "end_offset": close + len(CLOSE), "unclosed": False}
    state.pos = close + len(CLOSE)
    return True


def _locate(state: StateCore) -> None:
    """Give each inline comment its 0-based start and end (line, col) in the source."""
    lines = state.src.split("\n")
    for block, positions in inline_blocks(state.tokens, lines):
        assert block.children is not None
        for child in block.children:
            if child.type != "html_comment":
                continue
            child.meta["line"], child.meta["col"] = positions.at(child.meta["offset"])
            if child.meta["unclosed"]:
                state.env.setdefault(UNCLOSED_KEY, []).append(
                    (child.meta["line"], child.meta["col"])
                )
            else:
                end = positions.at(child.meta["end_offset"] - 1)
                child.meta["end"] = (end[0], end[1] + 1)


def _render_nothing(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return ""


def comments_plugin(md: MarkdownIt) -> None:
    """Register the comment rules: a block rule that may interrupt a paragraph, an inline
    rule before `html_inline`, a core rule that locates them, renderers that print nothing."""
    md.block.ruler.before(
        "html_block",
        "html_comment_block",
        _comment_block,
        {"alt": ["paragraph", "reference", "blockquote"]},
    )
    md.inline.ruler.before("autolink", "html_comment", _comment_inline)
    md.core.ruler.after("inline", "html_comment_locate", _locate)
    md.add_render_rule("html_comment_block", _render_nothing)
    md.add_render_rule("html_comment", _render_nothing)
