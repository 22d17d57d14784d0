"""Reading a cited page: its title, its main heading, and whether it still says its quotes.

The page is parsed by lexbor (through selectolax), a maintained HTML5 parser in C that
is linear on the inputs that stalled the standard library's parser and the old regular
expressions (256 KiB of repeated `<title>`: 0.8 ms; 120 KB of repeated `<a `: 3 ms; an
ordinary 2 MiB page: 60 ms). Every HTML5 tree builder measured (lexbor, html5ever,
html5lib) is still quadratic on some hostile pages: thousands of nested elements, or of
distinct formatting elements followed by paragraphs, make the spec's "has an element in
scope" and "reconstruct the active formatting elements" steps walk lists that grow with
the page (360 KiB of them: 4.3 s in lexbor). So the parsing runs in worker processes
(`PageReader`) with a hard deadline, what is left of the request's `timeout`: a page not
read in time is killed with its worker and recorded as a timeout, and the event loop,
the other requests and the other workers never wait for it.

This module is also the worker's program (`python -P -m citeguide.linkcheck.pages`): it
imports nothing from citeguide but the quote matcher, and not asyncio, so a worker
starts in a few tens of milliseconds; `reader.PageReader` runs the workers.
"""

from __future__ import annotations

import json
import struct
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO, Literal

from selectolax.lexbor import LexborHTMLParser, LexborNode

from citeguide.text.fragments import TextQuote, found

TEXT_CAP = 2000
"""Characters of a title or heading kept from a page (the recorded title is cut to 300)."""
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe"})
_CANDIDATES = ", ".join([*sorted(_HIDDEN_TAGS), "[hidden]", "[aria-hidden]", "[style]"])
FRAME = struct.Struct(">II")
"""A request's two lengths: its JSON header (the quotes), its body."""
ANSWER = struct.Struct(">I")
"""An answer's length (a JSON object follows)."""


@dataclass(frozen=True)
class Page:
    """What a page says about itself."""

    og_title: str | None = None
    """The `og:title` meta content, when there is one."""
    title: str = ""
    """The text of the first `<title>`."""
    heading: str = ""
    """The text of the first `<h1>`."""
    quotes: dict[str, Literal["found", "missing"]] = field(default_factory=dict)
    """Text directive → whether the visible text holds that quote."""


def _hidden(node: LexborNode) -> bool:
    if node.tag in _HIDDEN_TAGS:
        return True
    attrs = node.attributes
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    return "display:none" in (attrs.get("style") or "").replace(" ", "").lower()


def visible_text(body: bytes) -> str:
    """The text a reader sees of an HTML page, whitespace collapsed and case folded."""
    return _visible(LexborHTMLParser(body.decode("utf-8", "replace")))


def _visible(tree: LexborHTMLParser) -> str:
    """`visible_text` of a parsed page (the tree is changed: hidden elements go)."""
    hidden = [node for node in tree.css(_CANDIDATES) if _hidden(node)]
    # Document order puts an element before everything inside it: removing in reverse
    # never touches a node whose ancestor was already removed (and freed).
    for node in reversed(hidden):
        node.decompose()
    root = tree.root
    text = root.text(separator=" ") if root is not None else ""
    return " ".join(text.split()).casefold()


def read_page(body: bytes, quotes: Iterable[TextQuote] = ()) -> Page:
    """Title, heading and quotes of an HTML page (bytes as read, decoded as UTF-8)."""
    tree = LexborHTMLParser(body.decode("utf-8", "replace"))
    og_title = None
    for meta in tree.tags("meta"):
        attrs = meta.attributes
        if "og:title" in ((attrs.get("property") or "").lower(), (attrs.get("name") or "").lower()):
            og_title = attrs.get("content")
            break
    titles, headings = tree.tags("title"), tree.tags("h1")
    title = titles[0] if titles else None
    heading = headings[0] if headings else None
    # Every string is taken before `_visible` removes (and frees) the hidden elements.
    page = Page(
        og_title=og_title[:TEXT_CAP] if og_title is not None else None,
        title=title.text()[:TEXT_CAP] if title is not None else "",
        heading=heading.text(separator=" ")[:TEXT_CAP] if heading is not None else "",
    )
    wanted = list(quotes)
    if wanted:
        text = _visible(tree)
        page.quotes.update((q.key, "found" if found(q, text) else "missing") for q in wanted)
    return page


# The worker protocol: a request is two lengths (header, body), a JSON header (the quotes)
# and the body; the answer is one length and a JSON object (a Page, or an error).


def quote_fields(q: TextQuote) -> list[str | None]:
    """A quote as the worker protocol sends it."""
    return [q.key, q.start, q.end, q.prefix, q.suffix]


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    data = stream.read(size)
    return data if len(data) == size else None


def serve(stdin: BinaryIO, stdout: BinaryIO) -> None:
    """The worker's loop: read requests until the parent closes the pipe."""
    while True:
        head = _read_exactly(stdin, FRAME.size)
        if head is None:
            return
        header_size, body_size = FRAME.unpack(head)
        header = _read_exactly(stdin, header_size)
        body = _read_exactly(stdin, body_size)
        if header is None or body is None:
            return
        try:
            quotes = [TextQuote(*fields) for fields in json.loads(header)["quotes"]]
            page = read_page(body, quotes)
            answer = {
                "og_title": page.og_title,
                "title": page.title,
                "heading": page.heading,
                "quotes": page.quotes,
            }
        except Exception as exc:  # a parser failure is an answer, never a dead worker
            answer = {"error": f"{type(exc).__name__}: {exc}"[:500]}
        data = json.dumps(answer).encode()
        stdout.write(ANSWER.pack(len(data)) + data)
        stdout.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
