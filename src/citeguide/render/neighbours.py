"""Newer, older and related guides at the foot of each guide page.

They depend on the other guides, so a guide is rendered with a slot
(`render.html.NEIGHBOURS_SLOT`) and the site fills the slot once every guide's listing is
known. The filled fragment keeps its delimiters, so a page already in `site/` can be
filled again when only its neighbours changed, without rendering the guide again.
"""

from __future__ import annotations

import hashlib

from jinja2 import Environment

from citeguide.config import SiteConfig
from citeguide.records import Listing
from citeguide.render.html import NEIGHBOURS_SLOT
from citeguide.render.listing import newest_first

SLOT_END = "<!--/citeguide:neighbours-->"
RELATED = 3
"""How many related guides a page lists."""


def fragments(env: Environment, listings: list[Listing], config: SiteConfig) -> dict[str, str]:
    """Slug → the delimited fragment its page shows: the guides next to it in the index
    order (newest update first) and up to RELATED guides sharing most tags with it."""
    ordered = newest_first(listings)
    template = env.get_template("partials/neighbours.html")
    out: dict[str, str] = {}
    for i, guide in enumerate(ordered):
        tags = set(guide.tags)
        ranked = sorted(
            (
                (-len(tags & set(other.tags)), j, other)
                for j, other in enumerate(ordered)
                if other.slug != guide.slug and tags & set(other.tags)
            ),
            key=lambda item: (item[0], item[1]),
        )
        related = [(other, sorted(tags & set(other.tags))) for _, _, other in ranked[:RELATED]]
        html = template.render(
            {
                "site": config,
                "root": "../",
                "newer": ordered[i - 1] if i > 0 else None,
                "older": ordered[i + 1] if i + 1 < len(ordered) else None,
                "related": related,
            }
        )
        out[guide.slug] = NEIGHBOURS_SLOT + html + SLOT_END
    return out


def fill(page: bytes, fragment: str) -> bytes:
    """`page` with its slot, or the fragment filled in before, replaced by `fragment`."""
    text = page.decode("utf-8")
    start = text.find(NEIGHBOURS_SLOT)
    if start < 0:
        return page
    end = text.find(SLOT_END, start)
    tail = end + len(SLOT_END) if end >= 0 else start + len(NEIGHBOURS_SLOT)
    return (text[:start] + fragment + text[tail:]).encode("utf-8")


def digest(fragment: str) -> str:
    return hashlib.sha256(fragment.encode("utf-8")).hexdigest()[:16]
