"""What the listing pages need of a guide, rendered once: summary fields and fragments.

Index, tag pages, feed, cite-index, llms.txt and sitemap are assembled from these, so a
rebuild after one edit re-renders one guide's fragments, not every guide's, and a build
cache can keep them without keeping whole guides.
"""

from __future__ import annotations

from jinja2 import Environment

from citeguide.config import SiteConfig
from citeguide.model import Guide, Links
from citeguide.records import Listing
from citeguide.render.html import render_entry
from citeguide.render.sitefiles import atom_entry, cite_index_row


def make_listing(env: Environment, guide: Guide, config: SiteConfig, links: Links) -> Listing:
    return Listing(
        path=guide.path,
        slug=guide.slug,
        title=guide.meta.title,
        summary=guide.summary or guide.meta.summary,
        published=guide.meta.published,
        updated=guide.updated,
        tags=tuple(guide.meta.tags),
        claims=len(guide.claims),
        sources=len(guide.sources),
        calculations=len(guide.calculations),
        index_entry=str(render_entry(env, guide, config, links, "")),
        tag_entry=str(render_entry(env, guide, config, links, "../../")),
        atom=atom_entry(guide, config),
        index_row=cite_index_row(guide, config),
        latest_update=next((f"{u.version}: {u.note}" for u in guide.updates_sorted), ""),
    )


def newest_first(listings: list[Listing]) -> list[Listing]:
    """By last update, newest first; on the same day the later published first."""
    return sorted(listings, key=lambda g: (g.updated, g.published, g.slug), reverse=True)


def tags_of(listings: list[Listing]) -> dict[str, list[Listing]]:
    """Tag → its guides (in the given order), tags sorted."""
    tags: dict[str, list[Listing]] = {}
    for listing in listings:
        for tag in listing.tags:
            tags.setdefault(tag, []).append(listing)
    return dict(sorted(tags.items()))
