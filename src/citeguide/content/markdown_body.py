"""The Markdown twin's body: the guide's own Markdown with markers turned into footnotes.

Rendered from the parsed guide, not converted back from HTML: every cite marker becomes
a footnote reference `[^n]`, every calc marker its value plus a footnote on how it was
computed, every chart block its description and data table. Everything else is the
author's Markdown, byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from citeguide.markers.cite import opens_sentence
from citeguide.model import Chart
from citeguide.render.escape import md_code, md_text
from citeguide.render.inputs import fact_markdown

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
    text: str


class BodyEdits:
    """Collects replacements by source position and applies them in one pass."""

    def __init__(self, body: str) -> None:
        self.body = body
        self._starts = [0]
        for line in body.split("\n"):
            self._starts.append(self._starts[-1] + len(line) + 1)
        self.edits: list[Edit] = []

    def marker(self, line: int, col: int, content: str, text: str) -> None:
        """Replace the marker `content` found at 0-based (line, col)."""
        start = self._starts[line] + col
        if self.body[start : start + len(content)] != content:
            return
        end = start + len(content)
        line_start = self._starts[line]
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

    def lines(self, first: int, end: int, text: str) -> None:
        """Replace whole lines [first, end)."""
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

    def apply(self) -> str:
        # One pass, front to back: copying the body once per edit made a guide with
        # thousands of markers quadratic.
        pieces: list[str] = []
        done = 0
        for edit in sorted(self.edits, key=lambda e: e.start):
            if edit.start < done:
                continue  # overlaps an edit already applied
            pieces += [self.body[done : edit.start], edit.text]
            done = edit.end
        pieces.append(self.body[done:])
        return "".join(pieces)


def chart_markdown(chart: Chart, locale: str) -> str:
    """A chart as an agent reads it: title, description, lines and the plotted data."""
    given = "; ".join(
        f"{md_text(line.label)}: {md_code(line.model)} "
        + " ".join(md_code(f"{k}={v}") for k, v in line.params.items())
        for line in chart.lines
    )
    sources = [fact_markdown(f) for f in chart.facts]

    def cell(text: str) -> str:
        return md_text(text).replace("|", "\\|")

    if chart.kind == "tornado":
        return "\n".join(
            [
                f"**{md_text(chart.title)}.** {md_text(chart.description)}",
                "",
                f"Each ranged input of {given} alone, from its low to its high end, every other "
                "range at its midpoint" + (", with figures from:" if sources else "."),
                "",
                *sources,
                *([""] if sources else []),
                "| Input | With the input at its low end | With the input at its high end |",
                "|---|---|---|",
                *(
                    "| " + " | ".join(cell(t) for t in [row.x, *row.ys]) + " |"
                    for row in chart.rows
                ),
                "",
            ]
        )
    head = "| " + " | ".join(cell(t) for t in [chart.x_param, *(ln.label for ln in chart.lines)])
    head += " |"
    rows = ["| " + " | ".join(cell(t) for t in [row.x, *row.ys]) + " |" for row in chart.rows]
    crossings = [
        f"- {md_text(c.lower)} and {md_text(c.upper)} cross at {md_text(c.x_text)} "
        f"({md_text(c.y_text)})."
        for c in chart.crossings
    ]
    return "\n".join(
        [
            f"**{md_text(chart.title)}.** {md_text(chart.description)}",
            "",
            f"Lines along {md_code(chart.x_param)}: {given}"
            + (", with figures from:" if sources else "."),
            "",
            *sources,
            *([""] if sources else []),
            *crossings,
            *([""] if crossings else []),
            head,
            "|" + "---|" * (len(chart.lines) + 1),
            *rows,
            "",
        ]
    )
