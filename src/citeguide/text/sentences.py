"""Sentences of a block of guide text: where they start, and which one a marker belongs to.

Sentence boundaries come from sentencex (a maintained, compiled segmenter with English
abbreviation lists; chosen by measurement against pySBD, syntok and nupunkt on the Golden
Rules of sentence segmentation and the guide-domain cases in `tests/fixtures/sentences/`).
On top of it, two rules that matter in guides about LLM serving and that sentencex leaves
open: a few more abbreviations that never end a sentence before a number (`approx. 140 GB`,
`ca. 350 W`), and a unit before a full stop (`2,909.5 tokens/s. The batch ...`) ending a
sentence. Code spans are masked before segmenting, so `a.b. C` inside backticks never
splits a sentence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter

import sentencex
from markdown_it.token import Token

# Abbreviations that sentencex may take as a sentence end but that, followed by a number or
# a lower-case word, never end one in a guide.
_JOINING_ABBREVIATIONS = re.compile(
    r"(?:^|[\s(])(?:approx|ca|cf|est|incl|excl|avg|vs|resp|min|max|no|nos|fig|figs|eq|eqs"
    r"|ch|sec|vol|pp|p|ed|eds)\.\s+$",
    re.IGNORECASE,
)
_NEXT_JOINS = re.compile(r"[0-9a-z(\[$£€¥~≈]")
# A unit before a full stop ends a sentence when a capitalised word follows.
_UNIT_STOP = re.compile(
    r"\d[\d,.]*\s?(?:tokens?/s|tok/s|samples?/s|req/s|requests/s|it/s|ms|s|h|GB/s|TB/s|GiB|MiB"
    r"|GB|TB|MB|W|kW|kWh)\.(\s+)(?=[A-Z\"“‘(])"
)
# Full stops sentencex does not take as boundaries but guides need: before "I" after a
# lower-case word ("..., etc. I think"), and after a file or host name ("in main.c. The").
# Each starts with the stop and looks behind it: a pattern that starts with a look-behind
# or a word is tried at every character of the text (4× slower).
_MISSED_STOPS = (
    _UNIT_STOP,
    re.compile(r"[.!?](?<=[a-z0-9)][.!?])(\s+)(?=I\b(?!\.))"),
    re.compile(r"\.(?<=\w\w\.)[a-z]{1,5}\.(\s+)(?=[A-Z])"),
)
# A sentence that ends with its own full stop and is followed by an ellipsis: the ellipsis
# opens the next sentence (". . . The practice ..."), as style guides write omissions.
_ELLIPSIS_OPENS = re.compile(r"\w[.!?]\s+((?:\.\s){3}\s*)$")


@dataclass
class Marker:
    """A marker's place in the plain text of its block."""

    offset: int
    token: Token
    # Whitespace before the marker: a marker set off from the previous sentence's full
    # stop by a space opens the next sentence; one glued to it cites the sentence before.
    spaced: bool = False


@dataclass
class PlainBlock:
    """The readable text of one inline block with the markers taken out."""

    text: str = ""
    markers: list[Marker] = field(default_factory=list)
    code: list[tuple[int, int]] = field(default_factory=list)

    def tidy(self, start: int = 0, end: int | None = None) -> str:
        """The text from `start` to `end`, whitespace collapsed, markers' gaps closed.
        The markers are in the order of their offsets (`plain_text` appends them as it
        goes): the ones in range are found by bisection, not by looking at every marker
        for every sentence (quadratic in a paragraph of thousands of cited sentences)."""
        end = len(self.text) if end is None else end
        first = bisect.bisect_left(self.markers, start, key=attrgetter("offset"))
        last = bisect.bisect_right(self.markers, end, key=attrgetter("offset"))
        return tidy(self.text[start:end], [m.offset - start for m in self.markers[first:last]])


def plain_text(children: list[Token]) -> PlainBlock:
    """Flatten inline children to text (Markdown removed) and note where markers sat."""
    parts: list[str] = []
    size = 0
    block = PlainBlock()
    for child in children:
        piece = ""
        if child.type == "text":
            piece = child.content
        elif child.type == "code_inline":
            piece = child.content
            block.code.append((size, size + len(piece)))
        elif child.type in ("softbreak", "hardbreak"):
            piece = " "
        elif child.type == "image":
            piece = child.content
        elif child.type in ("cite", "calc"):
            spaced = bool(child.meta.get("spaced")) or (bool(parts) and parts[-1][-1:].isspace())
            block.markers.append(Marker(size, child, spaced))
            if child.type == "calc":
                piece = child.meta.get("display", "")
        if piece:
            parts.append(piece)
            size += len(piece)
    block.text = "".join(parts)
    return block


def mask_code(text: str, code: list[tuple[int, int]], fill: str = "x") -> str:
    """`text` with code spans replaced by `fill` characters (same length, offsets kept)."""
    if not code:
        return text
    chars = list(text)
    for start, end in code:
        chars[start:end] = fill * (end - start)
    return "".join(chars)


def sentence_starts(text: str, code: list[tuple[int, int]] | None = None) -> list[int]:
    """Offsets where sentences begin (the first is always 0)."""
    if not text.strip():
        return [0]
    masked = mask_code(text, code or [])
    starts = [0]
    for found in sentencex.get_sentence_boundaries("en", masked):
        start = int(found["start_index"])
        if start <= starts[-1]:
            continue
        before = masked[max(0, start - 12) : start]
        if _JOINING_ABBREVIATIONS.search(before) and _NEXT_JOINS.match(masked, start):
            continue
        ellipsis = _ELLIPSIS_OPENS.search(masked, max(0, start - 16), start)
        if ellipsis and start - len(ellipsis.group(1)) > starts[-1]:
            start -= len(ellipsis.group(1))
        starts.append(start)
    extra = [m.end(1) for rx in _MISSED_STOPS for m in rx.finditer(masked)]
    if extra:
        starts = sorted({*starts, *extra})
    return starts


def sentence_of(starts: list[int], marker: Marker, text: str) -> int:
    """Index of the sentence a marker belongs to.

    A marker inside a sentence belongs to it. A marker on a boundary (after one sentence's
    final punctuation, with only whitespace up to the next) opens the next sentence when a
    space separates it from the punctuation, and cites the sentence before when it is
    glued to it (`fast.[cite: ...]`) or when no sentence follows.
    """
    offset, spaced = marker.offset, marker.spaced or marker.token.type == "calc"
    index = max(bisect.bisect_right(starts, offset) - 1, 0)
    if index > 0 and starts[index] == offset and not spaced:
        return index - 1
    following = starts[index + 1] if index + 1 < len(starts) else None
    if following is not None and spaced and not text[offset:following].strip():
        return index + 1
    return index


_CLOSES = ".,;:!?…)"


def tidy(text: str, gaps: Iterable[int] = ()) -> str:
    """Collapse whitespace, and close the gap a marker left before punctuation.

    `gaps` are the offsets where markers sat ("fast [cite: ...]." reads "fast ."): only
    there is space before punctuation taken out. Anywhere else it is the author's ("really
    ... well", ". . ."), kept as written. Linear in the text, however many markers (a
    run of thousands of broken markers is one long run of spaces).
    """
    runs = iter(m.span() for m in re.finditer(r"\s+", text))
    run = next(runs, (len(text), len(text)))
    pieces: list[str] = []
    kept = 0
    for gap in sorted(set(gaps)):
        while run[1] <= gap and run[0] < len(text):
            run = next(runs, (len(text), len(text)))
        after = run[1] if run[0] <= gap < run[1] else gap
        if gap < kept or after >= len(text) or text[after] not in _CLOSES:
            continue
        if text.startswith(("..", ". ."), after):
            continue  # an ellipsis after a marker is the author's
        before = gap
        while before > kept and text[before - 1].isspace():
            before -= 1
        if before < after:
            pieces.append(text[kept:before])
            kept = after
    pieces.append(text[kept:])
    return " ".join("".join(pieces).split())  # `\s` and `str.split` agree on whitespace
