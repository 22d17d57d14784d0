"""Every file of the published site, as a mapping of relative path to bytes."""

from __future__ import annotations

import html
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from citeguide.config import SiteConfig
from citeguide.model import Guide, Links
from citeguide.records import Listing
from citeguide.render.evidence import stale_rows
from citeguide.render.html import (
    UnsafeTemplateError,
    read_theme_file,
    reading_minutes,
    render_404,
    render_about_evidence,
    render_guide,
    render_index,
    render_tag,
    render_tags,
)
from citeguide.render.listing import newest_first, tags_of
from citeguide.render.markdown_twin import markdown_body, render_markdown_twin, words
from citeguide.render.site_urls import page_url
from citeguide.render.sitefiles import (
    atom_feed,
    cite_index,
    llms_txt,
    robots_txt,
    sitemap,
)
from citeguide.render.twin import (
    INDEX_SCHEMA_PATH,
    SCHEMA_PATH,
    build_twin,
    index_schema_json,
    schema_json,
    twin_json,
)
from citeguide.resources import theme_dirs
from citeguide.safeio import UnsafeFile, safe_files

SiteFiles = dict[str, bytes]


def _assets(root: Path) -> SiteFiles:
    """Files under `templates/assets/`; a site's own file wins over the default one."""
    files: SiteFiles = {}
    for folder, boundary in reversed(theme_dirs(root)):
        assets = folder / "assets"
        try:
            listed = safe_files(boundary, assets, "**")
        except UnsafeFile as exc:
            raise UnsafeTemplateError(exc.message, str(assets), exc.rule) from None
        for file in listed:
            rel = f"assets/{file.relative_to(assets).as_posix()}"
            files[rel] = read_theme_file(boundary, file)
    return files


def guide_files(env: Environment, guide: Guide, config: SiteConfig, links: Links) -> SiteFiles:
    """The three files of one guide (page, JSON twin, Markdown twin) and a redirect page
    at each of its aliases."""
    body = markdown_body(guide, config.locale, set(stale_rows(guide, config.stale)))
    minutes = reading_minutes(words(body))
    files = {
        f"{guide.slug}/index.html": render_guide(env, guide, config, links, minutes).encode(),
        f"{guide.slug}.cite.json": twin_json(build_twin(guide, config, links)).encode(),
        f"{guide.slug}.md": render_markdown_twin(guide, config, links, body).encode(),
    }
    for alias in guide.meta.aliases:
        target = alias_target(alias)
        files[target] = redirect_page(guide, config, target).encode()
    return files


def alias_target(alias: str) -> str:
    """The file an alias (`old-slug/`, `old/page.html`) is published as, under `site/`."""
    return alias if alias.endswith(".html") else f"{alias}index.html"


def redirect_page(guide: Guide, config: SiteConfig, target: str) -> str:
    """A page that sends readers and crawlers on to the guide: meta refresh, canonical
    link and a plain link, for browsers without either; search engines do not index it."""
    href = html.escape("../" * target.count("/") + f"{guide.slug}/")
    title = html.escape(guide.meta.title)
    canonical = html.escape(page_url(config, guide.slug))
    return (
        "<!doctype html>\n"
        f'<html lang="{html.escape(config.language)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Moved: {title}</title>\n"
        f'<link rel="canonical" href="{canonical}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n</head>\n<body>\n'
        f'<p>This guide has moved to <a href="{href}">{title}</a>.</p>\n</body>\n</html>\n'
    )


def listing_files(env: Environment, listings: list[Listing], config: SiteConfig) -> SiteFiles:
    """Every file that lists guides: index, tags, feeds, llms.txt, cite-index, sitemap."""
    ordered = newest_first(listings)
    tags = tags_of(ordered)
    files: SiteFiles = {}
    for tag, tagged in tags.items():
        entries = [Markup(g.tag_entry) for g in tagged]
        items = [(g.title, page_url(config, g.slug)) for g in tagged]
        files[f"tags/{tag}/index.html"] = render_tag(env, tag, entries, config, items).encode()
    counts = {tag: len(tagged) for tag, tagged in tags.items()}
    files["tags/index.html"] = render_tags(env, counts, config).encode()
    entries = [Markup(g.index_entry) for g in ordered]
    items = [(g.title, page_url(config, g.slug)) for g in ordered]
    files["index.html"] = render_index(env, entries, config, items).encode()
    files["llms.txt"] = llms_txt(ordered, config).encode()
    files["cite-index.json"] = cite_index(ordered, config).encode()
    files["feed.xml"] = atom_feed(ordered, config).encode()
    files["sitemap.xml"] = sitemap(ordered, list(tags), config).encode()
    return files


def static_files(root: Path, env: Environment, config: SiteConfig) -> SiteFiles:
    """Files that depend on no guide: assets, 404 page, schema, robots.txt."""
    files = _assets(root)
    files["404.html"] = render_404(env, config).encode()
    files["about-evidence/index.html"] = render_about_evidence(env, config).encode()
    files[SCHEMA_PATH] = schema_json(config).encode()
    files[INDEX_SCHEMA_PATH] = index_schema_json(config).encode()
    files["robots.txt"] = robots_txt(config).encode()
    return files
