"""The Markdown twin's body as edits of the guide's own Markdown, markers into footnotes.

Made from the parsed guide, not converted back from HTML: every cite marker becomes a
footnote reference `[^n]`, every calc marker its value plus a footnote on how it was
computed, every chart block its chart (written out by render/markdown_twin.py).
Everything else is the author's Markdown, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from citeguide.markers.cite import opens_sentence
from citeguide.model import Chart

# What CommonMark would pass through as raw HTML: a tag, a closing tag, a comment, a
# processing instruction or declaration. Autolinks (`<https://...>`) are not matched.
_RAW_HTML = re.compile(r"<(?=[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)|/[A-Za-z]|!|\?)")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
NOTE_PREFIX = "note-"


def _without_code_spans(line: str) -> str:
    """`line` with code spans blanked (same length), so their `<` stays as written."""
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str | Chart


class BodyEdits:
    """Collects replacements by source position and applies them in one pass."""

    def __init__(self, body: str) -> None:
        self.body = body
        self._starts = [0]
        for line in body.split("\n"):
            self._starts.append(self._starts[-1] + len(line) + 1)
        self.edits: list[Edit] = []

    def marker(self, line: int, col: int, content: str, text: str, *,
               wrapped: bool = False) -> None:  # fmt: skip
        """Replace the marker `content` found at 0-based (line, col); `wrapped`: the
        marker opens a continuation line of its paragraph and hugs the word ending the
        line above, as on the page (the line break and the line's `>` or indent go)."""
        start = self._starts[line] + col
        if self.body[start : start + len(content)] != content:
            return
        end = start + len(content)
        line_start = self._starts[line]
        if wrapped and line > 0 and not self.body[line_start:start].strip(" \t>"):
            start = line_start - 1
            while start > 0 and self.body[start - 1] in " \t":
                start -= 1
            self.edits.append(Edit(start, end, text))
            return
        if text.startswith("[^") and not opens_sentence(
            self.body[max(line_start, start - 64) : start]
        ):
            # A footnote reference hugs the word before it, as on the page.
            while start > 0 and self.body[start - 1] == " ":
                start -= 1
        self.edits.append(Edit(start, end, text))

    def span(self, line: int, col: int, end_line: int, end_col: int, text: str = "") -> None:
        """Replace the source from 0-based (line, col) up to (end_line, end_col)."""
        if end_line < len(self._starts):
            start = self._starts[line] + col
            self.edits.append(Edit(start, self._starts[end_line] + end_col, text))

    def rename_footnotes(self, labels: set[str], code_lines: set[int]) -> None:
        """The author's footnotes become `[^note-LABEL]`: the twin's own footnotes are the
        citations (`[^1]`) and calculations (`[^k-...]`), which they must not collide with."""
        if not labels:
            return
        for number, line in enumerate(self.body.split("\n")):
            if number in code_lines or "[^" not in line:
                continue
            for match in _FOOTNOTE.finditer(_without_code_spans(line)):
                if match.group(1) in labels:
                    start = self._starts[number] + match.start(1)
                    self.edits.append(Edit(start, start, NOTE_PREFIX))

    def lines(self, first: int, end: int, text: str | Chart) -> None:
        """Replace whole lines [first, end) by `text`, or by a chart as written out."""
        stop = min(self._starts[end], len(self.body)) if end < len(self._starts) else len(self.body)
        self.edits.append(Edit(self._starts[first], stop, text))

    def escape_raw_html(self, code_lines: set[int]) -> None:
        """Escape raw HTML as the page does (it is never rendered): a `<` that opens a tag,
        comment or declaration becomes `&lt;`, outside code blocks and code spans."""
        for number, line in enumerate(self.body.split("\n")):
            if number in code_lines or "<" not in line:
                continue
            for match in _RAW_HTML.finditer(_without_code_spans(line)):
                start = self._starts[number] + match.start()
                self.edits.append(Edit(start, start + 1, "&lt;"))

    def apply(self, chart_text: Callable[[Chart], str]) -> str:
        """The edited body, each chart written out by `chart_text`."""
        # One pass, front to back: copying the body once per edit made a guide with
        # thousands of markers quadratic.
        pieces: list[str] = []
        done = 0
        for edit in sorted(self.edits, key=lambda e: e.start):
            if edit.start < done:
                continue  # overlaps an edit already applied
            text = edit.text if isinstance(edit.text, str) else chart_text(edit.text)
            pieces += [self.body[done : edit.start], text]
            done = edit.end
        pieces.append(self.body[done:])
        return "".join(pieces)
