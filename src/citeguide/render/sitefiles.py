"""Site-wide files for agents and crawlers: llms.txt, cite-index.json, Atom, sitemap, robots.

llms.txt follows the Markdown twin's escaping, the feed and sitemap XML's, the index is
`json.dumps` (render/escape.py, docs/security.md).
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from citeguide import __version__
from citeguide.config import SiteConfig
from citeguide.model import CiteIndex, Generator, Guide, IndexGuide, IndexSite
from citeguide.render.escape import md_block, md_heading, md_link, md_text, xml_attr, xml_text

if TYPE_CHECKING:
    from citeguide.records import Listing
from citeguide.render.site_urls import (
    is_absolute,
    markdown_url,
    page_url,
    site_url,
    tag_url,
    twin_url,
)
from citeguide.render.twin import index_schema_url, schema_url
from citeguide.untrusted import is_link_url

if TYPE_CHECKING:
    from citeguide.records import Listing


def llms_txt(guides: list[Listing], config: SiteConfig) -> str:
    """The llmstxt.org format: H1, summary blockquote, notes, then lists of links."""
    lines = [f"# {md_heading(config.title)}", "", f"> {md_block(config.description)}", ""]
    lines += [
        "Every guide is published three ways: an HTML page for people, a Markdown twin and a "
        "JSON citation manifest (`.cite.json`) for agents, all rendered from one source. Every "
        "factual claim carries its source, date and confidence; every computed number lists "
        "its inputs and their sources.",
        "",
        "## Guides",
        "",
    ]
    lines += [
        f"- {md_link(g.title, markdown_url(config, g.slug))}: {md_text(g.summary)}" for g in guides
    ]
    lines += ["", "## Citation manifests", ""]
    lines += [
        f"- {md_link(g.title, twin_url(config, g.slug))}: {_many(g.claims, 'claim')}, "
        f"{_many(g.sources, 'source')}, {_many(g.calculations, 'computed figure')}, "
        f"updated {g.updated}" + (f" ({md_text(g.latest_update)})" if g.latest_update else "")
        for g in guides
    ]
    lines += [
        "",
        "## Optional",
        "",
        f"- {md_link('Index of all guides', site_url(config, 'cite-index.json'))}: JSON, one "
        "entry per guide",
        f"- {md_link('JSON Schema of the manifests', schema_url(config))}",
        f"- {md_link('JSON Schema of the index', index_schema_url(config))}",
    ]
    return "\n".join(lines) + "\n"


def cite_index_row(guide: Guide, config: SiteConfig) -> str:
    """One guide's line of cite-index.json (cacheable per guide)."""
    g = guide
    row = IndexGuide(
        slug=g.slug,
        title=g.meta.title,
        summary=g.summary or g.meta.summary,
        url=page_url(config, g.slug),
        twin_url=twin_url(config, g.slug),
        markdown_url=markdown_url(config, g.slug),
        published=g.meta.published,
        updated=g.updated,
        latest_update=g.updates_sorted[0] if g.updates_sorted else None,
        tags=g.meta.tags,
        claims=len(g.claims),
        sources=len(g.sources),
        calculations=len(g.calculations),
    )
    return "  " + json.dumps(row.model_dump(mode="json"), ensure_ascii=False)


def cite_index(guides: list[Listing], config: SiteConfig) -> str:
    """Every guide, one JSON object per line inside the `guides` array; the file follows
    its own schema (`$schema`), the twins it lists follow `twin_schema`."""
    index = CiteIndex(
        **{"$schema": index_schema_url(config)},
        generator=Generator(version=__version__),
        site=IndexSite(title=config.title, url=config.base_url, language=config.language),
        twin_schema=schema_url(config),
        guides=[],
    )
    head = index.model_dump(mode="json", by_alias=True, exclude={"guides"})
    body = ",\n".join(g.index_row for g in guides)
    return f'{json.dumps(head, ensure_ascii=False)[:-1]}, "guides": [\n{body}\n]}}\n'


def _entry_id(config: SiteConfig, guide: Guide) -> str:
    if is_absolute(config):
        return page_url(config, guide.slug)
    return f"tag:citeguide,{guide.meta.published.isoformat()}:{guide.slug}"


def _atom_authors(guide: Guide, config: SiteConfig) -> list[str]:
    """The guide's authors (name and URI), or the site when it names none."""
    if not guide.meta.authors:
        return [f"    <author><name>{xml_text(config.title)}</name></author>"]
    return [
        "    <author><name>"
        + xml_text(a.name)
        + "</name>"
        + (f"<uri>{xml_text(a.url)}</uri>" if a.url and is_link_url(a.url) else "")
        + "</author>"
        for a in guide.meta.authors
    ]


def _many(n: int, noun: str) -> str:
    """`1 claim`, `3 claims`, `0 computed figures`."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _atom_content(guide: Guide, config: SiteConfig) -> str:
    """The entry's HTML content: the summary, what the latest update changed, the evidence
    in numbers, the twins' links."""
    twin, markdown = twin_url(config, guide.slug), markdown_url(config, guide.slug)
    counts = (
        f"{_many(len(guide.claims), 'cited claim')} from {_many(len(guide.sources), 'source')}"
        + (f", {_many(len(guide.calculations), 'computed figure')}" if guide.calculations else "")
    )
    h = html.escape
    update = "".join(
        f"<p>Latest update, {h(u.version)} ({u.date}): {h(u.note)}</p>"
        for u in guide.updates_sorted[:1]
    )
    return (
        f"<p>{h(guide.summary or guide.meta.summary)}</p>{update}<p>{h(counts)}.</p>"
        f'<p><a href="{h(page_url(config, guide.slug))}">Read the guide</a> · '
        f'<a href="{h(twin)}">JSON twin</a> · <a href="{h(markdown)}">Markdown twin</a>'
        "</p>"
    )


def atom_entry(guide: Guide, config: SiteConfig) -> str:
    """One guide's `<entry>` (cacheable per guide)."""
    g = guide
    lines = [
        "  <entry>",
        f"    <title>{xml_text(g.meta.title)}</title>",
        f"    <id>{xml_text(_entry_id(config, g))}</id>",
        f'    <link rel="alternate" type="text/html" href={xml_attr(page_url(config, g.slug))}/>',
        f'    <link rel="alternate" type="application/json" '
        f"href={xml_attr(twin_url(config, g.slug))}/>",
        f'    <link rel="alternate" type="text/markdown" '
        f"href={xml_attr(markdown_url(config, g.slug))}/>",
        f"    <published>{g.meta.published.isoformat()}T00:00:00Z</published>",
        f"    <updated>{g.updated.isoformat()}T00:00:00Z</updated>",
        *_atom_authors(g, config),
        f"    <summary>{xml_text(g.summary or g.meta.summary)}</summary>",
        f'    <content type="html">{xml_text(_atom_content(g, config))}</content>',
        *(f"    <category term={xml_attr(tag)}/>" for tag in g.meta.tags),
        "  </entry>",
    ]
    return "\n".join(lines)


def atom_feed(guides: list[Listing], config: SiteConfig) -> str:
    """Atom 1.0, newest first; times are the guides' own dates (no wall clock)."""
    updated = max((g.updated for g in guides), default=None)
    stamp = f"{updated.isoformat()}T00:00:00Z" if updated else "1970-01-01T00:00:00Z"
    feed_id = site_url(config) if is_absolute(config) else "tag:citeguide,2026:feed"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={xml_attr(config.language)}>',
        f"  <title>{xml_text(config.title)}</title>",
        f"  <subtitle>{xml_text(config.description)}</subtitle>",
        f"  <id>{xml_text(feed_id)}</id>",
        f"  <updated>{stamp}</updated>",
        f'  <link rel="self" href={xml_attr(site_url(config, "feed.xml"))}/>',
        f'  <link rel="alternate" type="text/html" href={xml_attr(site_url(config))}/>',
        f'  <generator version="{__version__}">citeguide</generator>',
    ]
    out += [g.atom for g in guides]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def sitemap(guides: list[Listing], tags: list[str], config: SiteConfig) -> str:
    entries = [(site_url(config), max((g.updated for g in guides), default=None))]
    entries += [(page_url(config, g.slug), g.updated) for g in guides]
    entries += [(site_url(config, "tags/"), None), (site_url(config, "about-evidence/"), None)]
    entries += [(tag_url(config, tag), None) for tag in tags]
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for loc, lastmod in entries:
        mod = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        out.append(f"  <url><loc>{xml_text(loc)}</loc>{mod}</url>")
    out.append("</urlset>")
    return "\n".join(out) + "\n"


def robots_txt(config: SiteConfig) -> str:
    """Crawlers read robots.txt only at the root of a host: a site published in a folder
    (`base_url` with a path) gets the lines to copy into the host's own file instead."""
    folder = urlsplit(config.base_url).path or "/"
    lines = []
    if folder != "/":
        host = site_url(config).removesuffix(folder.lstrip("/")) if is_absolute(config) else "/"
        lines += [
            f"# This site is published under {folder}, but crawlers read robots.txt only at",
            f"# the root of the host ({host}robots.txt). Copy the lines below into that file.",
        ]
    lines += ["User-agent: *", f"Allow: {folder}", ""]
    if is_absolute(config):
        lines.append(f"Sitemap: {site_url(config, 'sitemap.xml')}")
    return "\n".join(lines).rstrip() + "\n"
