"""`[calc:]` markers in a guide's summary: the answer up front, computed like any figure.

The summary is one line of front matter, so a marker is found in its text, evaluated by
the guide's own collector (it becomes one of the guide's calculations, with its steps and
sources), and replaced by its display in every place the summary goes: the page, the
index, feeds, llms.txt, the meta description, both twins and `cite-index.json`. The
Markdown twin writes its pieces out (render/markdown_twin.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from citeguide.content.calcs import CalcCollector
from citeguide.diagnostics import Diagnostics, SourcePos
from citeguide.markers.calc_marker import CalcFailure, parse_calc

_MARKER = re.compile(r"\[calc:([^\]\n]*)\]")
MAX_SHOWN = 300
"""Characters of the summary as shown (markers replaced by their figures)."""


@dataclass
class Summary:
    text: str
    """The summary as readers see it: every marker replaced by its figure."""
    html: str
    """The same with each figure linked to its entry under "How the numbers were computed"
    (kept whole: site templates read it as `guide.summary_html`)."""
    parts: list[tuple[str, str | None]] = field(default_factory=list)
    """The same in pieces: (text, None) as written, (figure, its calculation's id)."""
    figures: list[str] = field(default_factory=list)
    """Ids of the summary's calculations, in reading order (the twin's `key_findings`)."""
    where: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Each figure's (line, column) in the file: its first marker in the summary."""


def _where(path: str, front_matter: str, raw: str, offset: int) -> SourcePos:
    """The file position of character `offset` of the summary (front matter starts on
    line 2); the summary's key when the value is not written on one line."""
    lines = front_matter.split("\n")
    for i, line in enumerate(lines):
        if re.match(r"summary\s*:", line):
            start = line.find(raw[: min(len(raw), 40)])
            if start >= 0:
                return SourcePos(path, i + 2, start + offset + 1)
            return SourcePos(path, i + 2, 1)
    return SourcePos(path, 2, 1)


def render_summary(path: str, front_matter: str, raw: str, calcs: CalcCollector,
                   diags: Diagnostics) -> Summary:  # fmt: skip
    """The summary with its markers computed; problems are positioned errors."""
    text_parts: list[str] = []
    parts: list[tuple[str, str | None]] = []
    html_parts: list[str] = []
    figures: list[str] = []
    where: dict[str, tuple[int, int]] = {}
    done = 0
    for match in _MARKER.finditer(raw):
        text_parts.append(raw[done : match.start()])
        parts.append((raw[done : match.start()], None))
        html_parts.append(escape(raw[done : match.start()]))
        done = match.end()
        pos = _where(path, front_matter, raw, match.start())
        try:
            name, params, _ = parse_calc(match.group(1))
            shown = calcs.evaluate(name, params)
        except CalcFailure as exc:
            diags.error(pos, exc.message, "calc-error")
            text_parts.append(match.group(0))
            parts.append((match.group(0), None))
            html_parts.append(escape(match.group(0)))
            continue
        # The first use of a figure is where its entry's "back" link returns to.
        anchor = "" if shown["id"] in figures else f' id="summary-{shown["id"]}"'
        link = f'<a class="calc-value calc-summary"{anchor} href="#{shown["id"]}">'
        html_parts.append(f"{link}{escape(shown['display'])}</a>")
        figures.append(shown["id"])
        where.setdefault(shown["id"], (pos.line, pos.col))
        text_parts.append(shown["display"])
        parts.append((shown["display"], shown["id"]))
    text_parts.append(raw[done:])
    parts.append((raw[done:], None))
    html_parts.append(escape(raw[done:]))
    text = "".join(text_parts)
    if len(text) > MAX_SHOWN:
        shows = "shows" + (" with its figures" if figures else "")
        diags.error(_where(path, front_matter, raw, 0),
                    f"the summary {shows} {len(text)} characters; at most {MAX_SHOWN}",
                    "front-matter-invalid")  # fmt: skip
    return Summary(text, "".join(html_parts), parts, list(dict.fromkeys(figures)), where)
