"""From cite tokens to claims: the sentence around each marker, its stable id, its source.

Sentence boundaries are found with a small rule set rather than an NLP library: guides are
edited prose, and the rules only need to agree with how authors place markers (inside the
sentence, before its full stop, or directly after it).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from markdown_it.token import Token

# A boundary: terminal punctuation, optional closing quotes/brackets, whitespace, then
# something that can start a sentence.
_BOUNDARY = re.compile(r"[.!?…][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9£$€¥])")
_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "vs", "etc", "approx", "cf", "fig", "no", "mr", "mrs", "ms", "dr"}
    | {"prof", "inc", "ltd", "co", "st", "jr", "sr", "al"}
)
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?…]$")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass
class Marker:
    """A marker's place in the plain text of its block."""

    offset: int
    token: Token


@dataclass
class PlainBlock:
    """The readable text of one inline block with the markers taken out."""

    text: str = ""
    markers: list[Marker] = field(default_factory=list)


def plain_text(children: list[Token]) -> PlainBlock:
    """Flatten inline children to text (Markdown removed) and note where markers sat."""
    block = PlainBlock()
    for child in children:
        if child.type in ("text", "code_inline"):
            block.text += child.content
        elif child.type in ("softbreak", "hardbreak"):
            block.text += " "
        elif child.type == "image":
            block.text += child.content
        elif child.type == "cite":
            block.markers.append(Marker(len(block.text), child))
        elif child.type == "calc":
            block.markers.append(Marker(len(block.text), child))
            block.text += child.meta.get("display", "")
    return block


def sentence_starts(text: str) -> list[int]:
    """Offsets where sentences begin (the first is always 0)."""
    starts = [0]
    for match in _BOUNDARY.finditer(text):
        # The word before the stop, from a short window (abbreviations are short).
        end = match.start() + 1
        word = _WORD_BEFORE.search(text, max(0, end - 24), end)
        if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        starts.append(match.end())
    return starts


def sentence_of(starts: list[int], offset: int) -> int:
    """Index of the sentence a marker at `offset` belongs to.

    A marker in the gap after a sentence's final punctuation cites that sentence, so a
    marker belongs to the last sentence that starts strictly before it.
    """
    index = 0
    for i, start in enumerate(starts):
        if start < offset:
            index = i
    return index


def tidy(text: str) -> str:
    """Collapse whitespace and close the gaps markers leave before punctuation."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([.,;:!?…)])", r"\1", text)


def claim_id(text: str) -> str:
    """Stable id from the normalised text: case, punctuation and spacing do not matter."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    normal = " ".join(re.sub(r"[^\w]+", " ", normal).split())
    return "c-" + hashlib.sha256(normal.encode()).hexdigest()[:12]


def normalize_url(url: str) -> str:
    """The form used to decide that two citations name the same source."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def source_id(normalized_url: str) -> str:
    return "s-" + hashlib.sha256(normalized_url.encode()).hexdigest()[:12]


def claims_in_block(
    block: PlainBlock, starts: list[int] | None = None
) -> list[tuple[str, list[Token]]]:
    """The claims of one inline block: (sentence text, its cite tokens), in order."""
    markers = [m for m in block.markers if m.token.type == "cite"]
    if not markers:
        return []
    starts = starts if starts is not None else sentence_starts(block.text)
    ends = [*starts[1:], len(block.text)]
    grouped: dict[int, list[Token]] = {}
    for marker in markers:
        grouped.setdefault(sentence_of(starts, marker.offset), []).append(marker.token)
    return [(tidy(block.text[starts[i] : ends[i]]), tokens) for i, tokens in grouped.items()]
