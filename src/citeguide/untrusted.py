"""What text and URLs written by strangers may carry into a published file.

One policy, checked where the text is read (cite markers, tables, front matter, the
link-state file, `citeguide.toml`) and again where it is written (`render/escape.py`):

- A URL becomes a link only when it is absolute http(s) with a host, carries no
  credentials, and holds no whitespace, control character, `<`, `>`, `"` or backslash.
  Those characters end an autolink or an attribute, or (the backslash) make browsers
  and servers disagree about the host; a real address percent-encodes them.
- Text shown on one line (a title, a quoted fragment, a name) has its line breaks folded
  into spaces and every other control character removed: a NUL breaks XML, an ESC
  drives terminals, a newline starts a new Markdown block.

Imports nothing from the rest of citeguide, so the marker plugins, the cost core and the
link checker use the same rules as the renderers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Whitespace (any, not only ASCII), controls, and the characters that end an autolink,
# an HTML attribute or a Markdown destination.
_NOT_IN_LINK = re.compile(r'[\s\x00-\x1f\x7f-\x9f<>"\\]')


@dataclass(frozen=True)
class UrlProblem:
    """Why a URL may not become a link."""

    kind: str
    """`scheme` (not absolute http(s) with a host), `credentials`, or `character`."""
    message: str
    """What is wrong, to follow the URL in a sentence ("contains '>'")."""
    hint: str
    """How to fix it."""


@lru_cache(maxsize=8192)  # one guide asks about the same few URLs many times
def url_problem(url: str) -> UrlProblem | None:
    """None when `url` may become a link; else what is wrong with it."""
    bad = _NOT_IN_LINK.search(url)
    if bad:
        char = bad.group(0)
        if _CONTROL.match(char):
            return UrlProblem("character", "contains control characters", "remove them")
        if char.isspace():
            return UrlProblem(
                "character",
                "contains a space",
                "URLs start with https:// or http:// and contain no spaces; write %20",
            )
        return UrlProblem(
            "character", f"contains {char!r}", f"percent-encode it as %{ord(char):02X}"
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a malformed port)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return UrlProblem(
            "scheme",
            "is not an absolute http(s) URL",
            "URLs start with https:// or http:// and contain no spaces",
        )
    if parts.username is not None or parts.password is not None:
        return UrlProblem(
            "credentials",
            "carries credentials (user:password@)",
            "give the address without them",
        )
    return None


def is_link_url(url: object) -> bool:
    """True when `url` is a string that may become a link (see `url_problem`)."""
    return isinstance(url, str) and url_problem(url) is None


def is_site_path(url: object) -> bool:
    """True for a root-relative address on the site itself (`/guides/`), never `//host`."""
    return (
        isinstance(url, str)
        and url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and not _NOT_IN_LINK.search(url)
    )


def control_character(text: str) -> str | None:
    """The first control character in `text` other than tab and line breaks, if any."""
    for match in _CONTROL.finditer(text):
        if match.group(0) not in "\t\n\r":
            return match.group(0)
    return None


def one_line(text: str) -> str:
    """`text` on one line: whitespace runs (line breaks included) become one space, every
    other control character (NUL, BEL, ESC, ...) is removed, the ends are trimmed."""
    text = " ".join(text.split())  # Python splits on line breaks and \x1c-\x1f too
    return " ".join(_CONTROL.sub("", text).split()) if _CONTROL.search(text) else text
