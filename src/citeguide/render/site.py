"""Every file of the published site, as a mapping of relative path to bytes."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from citeguide.config import SiteConfig
from citeguide.model import Guide, Links
from citeguide.render.html import (
    environment,
    render_404,
    render_entry,
    render_guide,
    render_index,
    render_tag,
    render_tags,
    tags_of,
    template_dirs,
)
from citeguide.render.markdown_twin import render_markdown_twin
from citeguide.render.sitefiles import (
    atom_entry,
    atom_feed,
    cite_index,
    cite_index_row,
    llms_txt,
    robots_txt,
    sitemap,
)
from citeguide.render.twin import build_twin, schema_json, twin_json

SiteFiles = dict[str, bytes]


def _assets(root: Path) -> SiteFiles:
    """Files under `templates/assets/`; a site's own file wins over the default one."""
    files: SiteFiles = {}
    for folder in reversed(template_dirs(root)):
        assets = folder / "assets"
        if assets.is_dir():
            for file in sorted(p for p in assets.rglob("*") if p.is_file()):
                files[f"assets/{file.relative_to(assets).as_posix()}"] = file.read_bytes()
    return files


def guide_files(env: Environment, guide: Guide, config: SiteConfig, links: Links) -> SiteFiles:
    """The three files of one guide: page, JSON twin, Markdown twin."""
    return {
        f"{guide.slug}/index.html": render_guide(env, guide, config, links).encode(),
        f"{guide.slug}.cite.json": twin_json(build_twin(guide, config, links)).encode(),
        f"{guide.slug}.md": render_markdown_twin(guide, config, links).encode(),
    }


def newest_first(guides: list[Guide]) -> list[Guide]:
    return sorted(guides, key=lambda g: (g.updated, g.slug), reverse=True)


EntryCache = dict[str, tuple[Guide, dict[str, str]]]
"""Guide path → (the guide object, its rendered fragments: list items per root, feed entry)."""


def _fragment(guide: Guide, kind: str, cache: EntryCache, make: Callable[[], str]) -> str:
    held = cache.get(guide.path)
    if held is None or held[0] is not guide:
        held = cache[guide.path] = (guide, {})
    if kind not in held[1]:
        held[1][kind] = make()
    return held[1][kind]


def _entry(
    env: Environment, guide: Guide, config: SiteConfig, links: Links, root: str, cache: EntryCache
) -> Markup:
    html = _fragment(guide, root, cache, lambda: render_entry(env, guide, config, links, root))
    return Markup(html)


def listing_files(
    env: Environment,
    guides: list[Guide],
    config: SiteConfig,
    links: Links,
    cache: EntryCache | None = None,
) -> SiteFiles:
    """Every file that lists guides: index, tags, feeds, llms.txt, cite-index, sitemap.

    Each guide's list item is rendered once per root prefix; `cache` keeps them across
    calls for as long as the guide object is the same (incremental rebuilds).
    """
    cache = {} if cache is None else cache
    ordered = newest_first(guides)
    tags = tags_of(ordered)
    files: SiteFiles = {}
    for tag, tagged in tags.items():
        entries = [_entry(env, g, config, links, "../../", cache) for g in tagged]
        files[f"tags/{tag}/index.html"] = render_tag(env, tag, entries, config).encode()
    files["tags/index.html"] = render_tags(env, tags, config).encode()
    entries = [_entry(env, g, config, links, "", cache) for g in ordered]
    files["index.html"] = render_index(env, entries, config).encode()
    files["llms.txt"] = llms_txt(ordered, config).encode()
    rows = [_fragment(g, "index-row", cache, partial(cite_index_row, g, config)) for g in ordered]
    files["cite-index.json"] = cite_index(ordered, config, rows).encode()
    feed = [_fragment(g, "atom", cache, partial(atom_entry, g, config)) for g in ordered]
    files["feed.xml"] = atom_feed(ordered, config, feed).encode()
    files["sitemap.xml"] = sitemap(ordered, list(tags), config).encode()
    return files


def static_files(root: Path, env: Environment, config: SiteConfig) -> SiteFiles:
    """Files that depend on no guide: assets, 404 page, schema, robots.txt."""
    files = _assets(root)
    files["404.html"] = render_404(env, config).encode()
    files["schemas/cite.schema.json"] = schema_json().encode()
    files["robots.txt"] = robots_txt(config).encode()
    return files


def render_site(
    root: Path, config: SiteConfig, guides: list[Guide], links: Links | None = None
) -> SiteFiles:
    """Render pages, twins and site-wide files; guides are listed newest first.

    `links` maps normalised URLs to their last link-check result.
    """
    links = links or {}
    env = environment(root)
    files = static_files(root, env, config)
    for guide in guides:
        files.update(guide_files(env, guide, config, links))
    files.update(listing_files(env, guides, config, links))
    return dict(sorted(files.items()))
