"""What pagefind reads of a page: which pages are marked for search, and each page's
search view.

pagefind indexes what a page marks with `data-pagefind-body` (every page when none is
marked). The packaged theme marks the guide's article alone, so the search index is made
of the guide pages' views (`search.start_parts`); a site whose own templates mark other
pages, or none, is indexed whole (`marked_pages`). A page's search view is the page
without the elements pagefind ignores (`page_view`), which it would parse and drop.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from citeguide.safeio import UnsafeFile, read_bytes, safe_files

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

MARK = b"data-pagefind-body"
"""The attribute that marks what pagefind indexes of a page (the theme's guide article)."""


def marked_pages(root: Path) -> str | None:
    """None when the pages marked for search are the guide pages alone, as in the
    packaged theme; else the site's own template that says otherwise: one other than
    `guide.html` that names `MARK` (its pages are searchable too), or a `guide.html`
    that does not (pagefind then indexes every page). Such a site is indexed whole."""
    folder = root / "templates"
    try:
        files = safe_files(root, folder, "**")
    except UnsafeFile:  # the build refuses the folder itself, with its position
        return None
    for path in files:
        rel = path.relative_to(folder).as_posix()
        if rel.startswith("assets/") or not rel.endswith(".html"):
            continue
        try:
            marks = MARK in read_bytes(root, path).lower()
        except UnsafeFile:  # refused, with its position, when the theme loads it
            continue
        if marks != (rel == "guide.html"):
            return f"templates/{rel}"
    return None


_KEPT = (
    *(f"data-pagefind-{name}" for name in ("body", "meta", "filter", "sort", "default-meta",
                                           "index-attrs", "weight")),
    "h1", "img",
)  # fmt: skip
"""What pagefind may read even inside an ignored element (a filter, metadata, the title
it finds in the first `h1`, the image it finds in an `img`): a subtree holding one is
kept."""


def page_view(page: bytes) -> bytes:
    """`page` as pagefind's input: without the outermost elements marked
    `data-pagefind-ignore` that hold nothing pagefind reads of ignored content (`_KEPT`;
    with `="all"`, pagefind reads nothing of it). pagefind parses such an element and
    then drops it, so the index is the same, made in about half the time."""
    # Imported here: 19 ms (-X importtime), which only builds with search need.
    from selectolax.lexbor import LexborHTMLParser

    text = page.decode("utf-8", "replace")
    tree = LexborHTMLParser(text)
    ignored = tree.css("[data-pagefind-ignore]")
    if not ignored:
        return page
    # An ignored element that is, or holds, one pagefind reads stays. One query for the
    # page, naming only what its text mentions (a query per element, or for every name,
    # costs more than the parse), then the ancestors of what it found.
    lower = page.lower()  # bytes: ASCII only, ten times faster than the str's
    query = ",".join(f"[{name}]" if name.startswith("data-") else name
                     for name in _KEPT if _mention(name) in lower)  # fmt: skip
    reads: set[int] = set()
    for node in tree.css(query) if query else ():
        found: LexborNode | None = node
        while found is not None and found.mem_id not in reads:
            reads.add(found.mem_id)
            found = found.parent
    drop = []
    for node in ignored:
        every = (node.attributes.get("data-pagefind-ignore") or "").strip() == "all"
        if (every or node.mem_id not in reads) and not _under_ignored(node):
            drop.append(node)
    for node in drop:
        node.decompose()
    return (tree.html or "").encode("utf-8")


def _mention(name: str) -> bytes:
    """How a page's text shows an attribute or element named `name`."""
    return (name if name.startswith("data-") else f"<{name}").encode()


def _under_ignored(node: LexborNode) -> bool:
    """Inside another ignored element (removed with it)."""
    parent = node.parent
    while parent is not None:
        if "data-pagefind-ignore" in parent.attributes:
            return True
        parent = parent.parent
    return False
