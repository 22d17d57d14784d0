"""The `[cite: URL · YYYY-MM-DD · high|medium|low]` inline marker, as a markdown-it plugin.

The rule always consumes a marker that starts with `[cite:`, valid or not, and records
what it found in `token.meta`; the caller decides what a malformed marker means. Markers
inside code spans, code blocks and after a backslash never reach the rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from html import escape
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from citeguide.markers.positions import inline_blocks
from citeguide.untrusted import url_problem

OPEN = "[cite:"
CONFIDENCES = ("high", "medium", "low")
_FIELDS = re.compile(
    r"^\s*(?P<url>.*?)\s*[·|]\s*(?P<date>[^·|]*?)\s*[·|]\s*(?P<conf>[^·|]*?)\s*$", re.DOTALL
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class MarkerError(ValueError):
    """A malformed marker: the message says what is wrong, the hint how to fix it."""

    def __init__(self, message: str, hint: str, rule: str) -> None:
        super().__init__(message)
        self.message, self.hint, self.rule = message, hint, rule


def parse_cite(body: str) -> tuple[str, date, str]:
    """Validate the text between `[cite:` and `]`; returns (url, date, confidence)."""
    match = _FIELDS.match(body)
    if not match:
        hint = "write [cite: https://example.org/page · 2026-01-31 · high]"
        if "," in body or ";" in body:
            hint = "separate the fields with `·` or `|`, not commas: " + hint[6:]
        raise MarkerError(
            "cite marker needs three fields separated by `·` or `|`: URL, date and confidence",
            hint,
            "cite-fields",
        )
    url, day, confidence = match["url"], match["date"], match["conf"]
    problem = url_problem(url)
    if problem is not None and problem.kind == "credentials":
        raise MarkerError(
            "cite marker URL carries credentials (user:password@); they would be published "
            "on the page, in both twins and the link-state file",
            "cite the page without them; give a login to `citeguide check` through "
            "[linkcheck.hosts] headers instead",
            "cite-url",
        )
    if problem is not None:
        # The URL becomes an href, an autolink in the Markdown twin and an Atom link:
        # a `>` or `"` in it would close them and inject markup.
        raise MarkerError(f"cite marker URL {url!r} {problem.message}", problem.hint, "cite-url")
    if not _DATE.match(day):
        raise MarkerError(
            f"cite marker date {day!r} is not a YYYY-MM-DD date",
            "write the date as 2026-01-31",
            "cite-date",
        )
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise MarkerError(
            f"cite marker date {day} is not a calendar date", "check the month and day", "cite-date"
        ) from None
    if confidence not in CONFIDENCES:
        raise MarkerError(
            f"cite marker confidence {confidence!r} is not allowed",
            "confidence must be high, medium or low",
            "cite-confidence",
        )
    return url, parsed, confidence


_NO_CLOSE_KEY = "citeguide.cite.no_close"
TIP_KEY = "citeguide.cite.tip"
"""A callable in the render environment: a marker's `meta` → HTML ending its tooltip (the
site puts the link's status there)."""


def opens_sentence(before: str) -> bool:
    """True when a marker after `before` stands at the start of a new sentence."""
    stripped = before.rstrip(" ")
    return len(stripped) < len(before) and stripped[-1:] in (".", "!", "?", "…")


def _closing_bracket(state: StateInline, start: int) -> int:
    """Index of the `]` that closes a marker opened before `start`: on the same line.

    A marker never spans lines: an unclosed one would otherwise swallow the next line and
    hide that line's own problems. What has no `]` up to its line end is remembered, or a
    line of thousands of unclosed markers would be scanned once per marker.
    """
    memo = state.env.get(_NO_CLOSE_KEY)
    if memo is not None and memo[0] is state.src and memo[1] <= start < memo[2]:
        return -1
    line_end = state.src.find("\n", start)
    if line_end < 0:
        line_end = len(state.src)
    close = state.src.find("]", start, line_end)
    if close < 0:
        state.env[_NO_CLOSE_KEY] = (state.src, start, line_end)
    return close


def cite_rule(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if not state.src.startswith(OPEN, start):
        return False
    if silent:
        # Silent mode is how markdown-it skips over a link's label. Claiming the marker as
        # one token there makes the link rule take it for a nested link and give up
        # (`[vLLM [cite: ...]](https://vllm.ai)` would stay literal text); as plain
        # brackets it balances, and the label is then parsed with the marker in it.
        return False
    close = _closing_bracket(state, start + len(OPEN))
    meta: dict[str, Any] = {"offset": start, "error": None, "hint": None, "rule": None}
    if close < 0:
        # Consume only the opener so the rest of the paragraph still renders as text.
        meta["error"] = "cite marker is not closed on its line"
        meta["hint"] = "end the marker with ] before the line ends"
        meta["rule"] = "cite-unclosed"
        end = start + len(OPEN)
    else:
        end = close + 1
        try:
            meta["url"], meta["date"], meta["confidence"] = parse_cite(
                state.src[start + len(OPEN) : close]
            )
        except MarkerError as exc:
            meta["error"], meta["hint"], meta["rule"] = exc.message, exc.hint, exc.rule
    token = state.push("cite", "", 0)
    token.content = state.src[start:end]
    token.meta = meta
    state.pos = end
    return True


def _locate_and_number(state: StateCore) -> None:
    """Give every cite token its 0-based line/column in the source and a running number."""
    lines = state.src.split("\n")
    number = 0
    for block, positions in inline_blocks(state.tokens, lines):
        assert block.children is not None
        for i, child in enumerate(block.children):
            if child.type != "cite":
                continue
            previous = block.children[i - 1] if i else None
            before = block.children[i - 2] if i > 1 else None
            if child.meta["error"] is not None or previous is None:
                pass
            elif previous.type == "text":
                # References hug the word they follow: "fast[1]", not "fast [1]". A marker
                # set off by a space after a full stop opens the next sentence and cites it,
                # so it keeps its space ("fast. [1] Next ...").
                child.meta["spaced"] = previous.content[-1:].isspace()
                if not opens_sentence(previous.content):
                    previous.content = previous.content.rstrip(" ")
            elif previous.type == "softbreak" and before is not None and before.type == "text":
                # So does a marker wrapped onto a line of its own ("fast\n[cite: ...]").
                child.meta["spaced"] = True
                if not opens_sentence(before.content + " "):
                    previous.type, previous.content = "text", ""
                    child.meta["wrapped"] = True  # the Markdown twin joins the lines too
            child.meta["line"], child.meta["col"] = positions.at(child.meta["offset"])
            if child.meta["error"] is None:
                number += 1
                child.meta["n"] = number


def _out_of_links(state: StateCore) -> None:
    """Move references written inside a link's text to just after the link.

    `[vLLM [cite: ...]](https://vllm.ai)` keeps its link; the reference, itself a link,
    follows it instead of nesting one `<a>` in another.
    """
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        if not any(c.type == "cite" for c in block.children):
            continue
        children: list[Token] = []
        held: list[Token] = []
        depth = 0
        for child in block.children:
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
                children.append(child)
                if depth == 0:
                    children += held
                    held = []
                continue
            if child.type == "cite" and depth > 0:
                held.append(child)
            else:
                children.append(child)
        block.children = children + held


def render_cite(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """`[n]` linking to the manifest entry, with a tooltip (hover and keyboard focus)."""
    meta = tokens[idx].meta
    if meta["error"] is not None:
        return f'<span class="cite-error">{escape(tokens[idx].content)}</span>'
    n = meta["n"]
    host = urlsplit(meta["url"]).hostname or meta["url"]
    anchor = f' id="{escape(meta["claim_id"])}"' if meta.get("claim_first") else ""
    tip = f"{escape(host)} · {meta['date'].isoformat()} · {meta['confidence']} confidence"
    more: Callable[[dict[str, Any]], str] | None = env.get(TIP_KEY)
    if more is not None:
        tip += more(meta)
    return (
        f'<sup class="cite-ref"{anchor} data-pagefind-ignore><a id="cite-ref-{n}" href="#cite-{n}" '
        f'aria-describedby="cite-tip-{n}" data-confidence="{meta["confidence"]}">[{n}]</a>'
        f'<span class="cite-tip" id="cite-tip-{n}">{tip}'
        # Out of the Tab order: the reference itself goes there (one Tab stop each).
        f'<a class="tip-link" href="#cite-{n}" tabindex="-1">Citation {n} in the manifest</a>'
        "</span></sup>"
    )


def cite_plugin(md: MarkdownIt) -> None:
    """Register the cite marker: an inline rule before `link`, a core rule, a renderer."""
    md.inline.ruler.before("link", "cite", cite_rule)
    md.core.ruler.after("inline", "cite_locate", _locate_and_number)
    md.core.ruler.after("cite_locate", "cite_out_of_links", _out_of_links)
    md.add_render_rule("cite", render_cite)
