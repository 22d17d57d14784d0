"""Quotes in cite URLs: text fragments (`#:~:text=...`), and whether a page still says them.

The syntax is the WICG scroll-to-text fragment browsers support:
`#:~:text=[prefix-,]textStart[,textEnd][,-suffix]`, each part percent-encoded, several
`text=` directives joined by `&`. Matching follows the spec's spirit: on the page's visible
text (scripts, styles and hidden elements dropped), whitespace collapsed, case-insensitive;
a prefix or suffix must stand right next to the quote (only whitespace between).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

DIRECTIVE = ":~:"


@dataclass(frozen=True)
class TextQuote:
    """One `text=` directive: what a cited page must say."""

    key: str
    """The directive as written (`text=2%2C909%20tokens`): the quote's id in the state."""
    start: str
    end: str | None = None
    prefix: str | None = None
    suffix: str | None = None

    @property
    def shown(self) -> str:
        """The quote as a reader reads it: `start` or `start … end`."""
        return f"{self.start} … {self.end}" if self.end else self.start


class QuoteError(ValueError):
    pass


def split_url(url: str) -> tuple[str, list[TextQuote]]:
    """(URL without the fragment directive, its text quotes)."""
    hash_at = url.find("#")
    at = url.find(DIRECTIVE, hash_at) if hash_at >= 0 else -1
    if at < 0:
        return url, []
    base = url[:at].removesuffix("#")
    quotes = [_parse(part) for part in url[at + len(DIRECTIVE) :].split("&") if part]
    return base, quotes


def _parse(directive: str) -> TextQuote:
    if not directive.startswith("text="):
        raise QuoteError(f"{directive!r} is not a text directive (text=...)")
    parts = [unquote(p) for p in directive[len("text=") :].split(",")]
    prefix = parts.pop(0)[:-1] if parts and parts[0].endswith("-") and len(parts) > 1 else None
    suffix = parts.pop()[1:] if len(parts) > 1 and parts[-1].startswith("-") else None
    if not parts or len(parts) > 2 or not parts[0].strip():
        raise QuoteError(f"{directive!r} needs textStart and at most textEnd")
    end = parts[1] if len(parts) == 2 else None
    return TextQuote(directive, parts[0], end, prefix, suffix)


def _pattern(text: str) -> str:
    return r"\s*".join(re.escape(word) for word in text.casefold().split())


def found(quote: TextQuote, text: str) -> bool:
    """Whether `text` (from `pages.visible_text`) holds the quote, with its prefix and suffix.

    In linear time: `start.*?end` as one expression retried the lazy gap from every place
    `start` occurs (a 2 MiB page full of `start` and no `end` ran for minutes). The first
    match of prefix-and-start ends no later than any other (each is the same words with
    at most one space between them, so a match that starts later cannot end sooner), so
    end-and-suffix is looked for once, after it.
    """
    head = _pattern(quote.start)
    if quote.prefix:
        head = _pattern(quote.prefix) + r"\s*" + head
    if not quote.end:
        if quote.suffix:
            head += r"\s*" + _pattern(quote.suffix)
        return re.search(head, text) is not None
    first = re.search(head, text)
    if first is None:
        return False
    tail = _pattern(quote.end)
    if quote.suffix:
        tail += r"\s*" + _pattern(quote.suffix)
    return re.compile(tail).search(text, first.end()) is not None
