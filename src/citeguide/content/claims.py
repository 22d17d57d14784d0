"""From cite tokens to claims: the sentence around each marker, its stable id, its source."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from markdown_it.token import Token

from citeguide.text.sentences import PlainBlock, sentence_of, sentence_starts


@lru_cache(maxsize=256)
def claim_id(text: str) -> str:
    """Stable id from the normalised text: case, punctuation and spacing do not matter."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    normal = " ".join(re.sub(r"[^\w]+", " ", normal).split())
    return "c-" + hashlib.sha256(normal.encode()).hexdigest()[:12]


def source_id(normalized_url: str) -> str:
    return "s-" + hashlib.sha256(normalized_url.encode()).hexdigest()[:12]


def claims_in_block(
    block: PlainBlock, starts: list[int] | None = None
) -> list[tuple[str, list[Token]]]:
    """The claims of one inline block: (sentence text, its cite tokens), in order."""
    markers = [m for m in block.markers if m.token.type == "cite"]
    if not markers:
        return []
    starts = starts if starts is not None else sentence_starts(block.text, block.code)
    ends = [*starts[1:], len(block.text)]
    grouped: dict[int, list[Token]] = {}
    for marker in markers:
        grouped.setdefault(sentence_of(starts, marker, block.text), []).append(marker.token)
    return [(block.tidy(starts[i], ends[i]), tokens) for i, tokens in grouped.items()]
