"""Relative links and images in a guide (`![A plan](img/plan.svg)`, `[the data](data.csv)`):
which file each names, and where the published site puts it.

A relative URL whose last segment has an extension names a file beside the guide; it is
resolved against the guide's own file, must stay inside the site root, and is copied next
to the page (`site/<slug>/img/plan.svg`), so the link works unchanged on the page. A link to
another guide's file (`heat-pump.md`) becomes a link to that guide's page. Links to pages
(`../other-guide/`), anchors and absolute URLs are left alone. Pure: the engine reads
and copies the files.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

from citeguide.content.discover import GUIDES_DIR

FILES_DIR = "_files"
"""Where a file from outside the guide's folder is published, under the page's folder."""


@dataclass(frozen=True)
class Resolved:
    kind: Literal["file", "guide"]
    source: str
    """The file, relative to the site root (`content/guides/img/plan.svg`)."""
    href: str
    """The URL on the page, relative to the page (`img/plan.svg`, `../heat-pump/`)."""
    twin_href: str
    """The URL in the Markdown twin, relative to `site/<slug>.md`."""
    target: str | None
    """Where the file is published, relative to `site/` (None for a guide)."""


class LocalFileError(ValueError):
    """A relative URL that cannot be published (it leaves the site root, ...)."""


def is_local_file(url: str) -> bool:
    """A relative URL naming a file: no scheme or host, not a path from the host's root,
    and a last segment with an extension."""
    if not url or url.startswith(("#", "/", "?", "\\")):
        return False
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return False
    name = parts.path.rsplit("/", 1)[-1]
    return bool(re.search(r"[^.]\.[A-Za-z0-9]{1,10}$", name))


def resolve(guide_path: str, slug: str, url: str) -> Resolved:
    """Where the file `url` (as written in the guide at `guide_path`) comes from and goes."""
    parts = urlsplit(url)
    suffix = (f"?{parts.query}" if parts.query else "") + (
        f"#{parts.fragment}" if parts.fragment else ""
    )
    folder = posixpath.dirname(guide_path)
    relative = unquote(parts.path)
    if "\\" in relative or "\0" in relative:
        raise LocalFileError(f"{url!r} is not a usable path; write it with forward slashes")
    source = posixpath.normpath(posixpath.join(folder, relative))
    if source == ".." or source.startswith("../") or posixpath.isabs(source):
        raise LocalFileError(f"{url!r} points outside the site root")
    guides = GUIDES_DIR.as_posix()
    if posixpath.dirname(source) == guides and source.endswith(".md"):
        stem = posixpath.basename(source)[:-3]
        return Resolved("guide", source, f"../{stem}/{_fragment(parts.fragment)}", url, None)
    inside = posixpath.normpath(relative)
    if inside == ".." or inside.startswith("../"):
        # Beside the page there is no `..`: keep its path under the page's `_files/`.
        inside = f"{FILES_DIR}/{source.removeprefix('content/')}"
    if inside == "index.html":
        raise LocalFileError(f"{url!r} would replace the guide's own page; rename the file")
    href = _quote(inside) + suffix
    return Resolved("file", source, href, f"{slug}/{href}", f"{slug}/{inside}")


def _fragment(fragment: str) -> str:
    return f"#{fragment}" if fragment else ""


def _quote(path: str) -> str:
    """Percent-encode what a URL path may not hold as written (spaces, `#`, `?`)."""
    return "".join(c if c not in ' #?%"<>' else f"%{ord(c):02X}" for c in path)
