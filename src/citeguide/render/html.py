"""HTML pages from Jinja2 templates: the site's `templates/` first, then the defaults."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
)
from jinja2.loaders import split_template_path
from markupsafe import Markup

from citeguide import __version__
from citeguide.config import SiteConfig
from citeguide.costcore.display import field_unit, shown_input, unit_note
from citeguide.costcore.quantities import as_text
from citeguide.model import UNCHECKED, Citation, Claim, Guide, Links, Source
from citeguide.render import precompiled
from citeguide.render.body import render_body
from citeguide.render.evidence import (
    LINK_LABELS,
    QUOTE_LABELS,
    evidence,
    is_stale,
    link_label,
    quote_status,
    readings,
    stale_rows,
    stale_sources,
)
from citeguide.render.input_rows import CONFIDENCE_LABELS
from citeguide.render.sandbox import PackageEnvironment, sandboxed
from citeguide.render.site_urls import page_url, site_url, tag_url, twin_url
from citeguide.resources import default_dir, theme_dirs
from citeguide.safeio import UnsafeFile, read_bytes, walk
from citeguide.text.case import mid_sentence


@dataclass(frozen=True)
class ManifestEntry:
    """One claim of the manifest with its numbered citations, each with its source."""

    claim: Claim
    citations: list[tuple[Citation, Source]]


class UnsafeTemplateError(TemplateError):
    """A template or asset that is not read: a symlink out of its folder, a FIFO, too big."""

    def __init__(self, message: str, filename: str, rule: str) -> None:
        super().__init__(message)
        self.filename, self.rule, self.lineno = filename, rule, 1


def read_theme_file(folder: Path, path: Path) -> bytes:
    """A template or asset, read only if it really lies inside its theme folder."""
    try:
        return read_bytes(folder, path)
    except UnsafeFile as exc:
        raise UnsafeTemplateError(exc.message, str(path), exc.rule) from None


class _SafeLoader(FileSystemLoader):
    """FileSystemLoader that refuses symlinks leaving the template folder, FIFOs and
    oversized files, instead of reading through them."""

    def __init__(self, folder: Path, boundary: Path) -> None:
        super().__init__(str(folder))
        self.boundary = boundary

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            if path.exists() or path.is_symlink():
                try:
                    text = read_theme_file(self.boundary, path).decode(self.encoding)
                except UnicodeDecodeError:
                    raise UnsafeTemplateError(
                        "template is not UTF-8 text", str(path), "encoding"
                    ) from None
                mtime = path.stat().st_mtime
                return text, str(path), lambda p=path, m=mtime: p.stat().st_mtime == m
        raise TemplateNotFound(template)


class _PackagedLoader(_SafeLoader):
    """The packaged defaults: in citeguide's own environment, each template's code comes
    from the package when it was compiled from these very bytes (`render/precompiled.py`)."""

    def load(
        self,
        environment: Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> Template:
        if type(environment) is not PackageEnvironment:
            return super().load(environment, name, globals)
        source, filename, uptodate = self.get_source(environment, name)
        code = precompiled.code_for(name, source) or environment.compile(source, name, filename)
        template = environment.template_class.from_code(environment, code, globals or {}, uptodate)
        template.filename = filename  # where a failure is reported: the template, not its code
        return template


def environment(root: Path) -> Environment:
    """The template environment of a site: its overrides, then the defaults; sandboxed
    when the site has templates of its own (`render/sandbox.py`).

    Templates are not reloaded when their files change: an environment lives for one
    set of site inputs, which include every template's bytes."""
    dirs = theme_dirs(root)
    own = [(folder, boundary) for folder, boundary in dirs if folder != default_dir("templates")]
    return _environment(dirs, sandbox=_overrides(own))


def package_environment() -> Environment:
    """The environment of a site with no templates of its own."""
    folder = default_dir("templates")
    return _environment([(folder, folder)], sandbox=False)


def _environment(dirs: list[tuple[Path, Path]], *, sandbox: bool) -> Environment:
    packaged = default_dir("templates")
    loaders = [(_PackagedLoader if d == packaged else _SafeLoader)(d, bound) for d, bound in dirs]
    options: dict[str, Any] = {
        "loader": ChoiceLoader(loaders),
        "autoescape": True,
        "undefined": StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        "auto_reload": False,
    }
    env = sandboxed(**options) if sandbox else PackageEnvironment(**options)
    env.globals["generator"] = f"citeguide {__version__}"
    env.filters["host"] = lambda url: urlsplit(url).hostname or url
    env.filters["input_text"] = as_text
    env.filters["mid_sentence"] = mid_sentence
    env.filters["field_unit"] = field_unit
    env.filters["unit_note"] = unit_note
    env.filters["input_shown"] = lambda value, locale="en": shown_input(as_text(value), locale)
    env.globals["confidence_labels"] = CONFIDENCE_LABELS
    env.globals["link_labels"] = LINK_LABELS
    env.globals["quote_labels"] = QUOTE_LABELS
    env.globals["quote_status"] = quote_status
    env.globals["readings"] = readings
    env.filters["link_label"] = link_label
    return env


_SHARED: dict[str, Any] = {}


def shared_environment(root: Path, inputs: str) -> Environment:
    """`environment(root)`, made once per process for a set of site inputs (`inputs`, a
    key of them): the guides rendered in this process and the pages made from all
    guides share its compiled templates."""
    key = f"{root}\0{inputs}"
    if _SHARED.get("key") != key:
        _SHARED["env"], _SHARED["key"] = environment(root), key
    env: Environment = _SHARED["env"]
    return env


def _overrides(dirs: list[tuple[Path, Path]]) -> bool:
    """Whether the site's template folders hold any file (or cannot be looked into)."""
    try:
        return any(walk(boundary, folder) for folder, boundary in dirs)
    except (UnsafeFile, OSError):
        return True


def manifest(guide: Guide) -> list[ManifestEntry]:
    """One entry per claim, in the order of their first reference in the text."""
    sources = {s.id: s for s in guide.sources}
    entries = [
        ManifestEntry(claim, [(c, sources[c.source_id]) for c in claim.citations])
        for claim in guide.claims
    ]
    return sorted(entries, key=lambda e: min(c.n for c, _ in e.citations))


def _authors_jsonld(guide: Guide, config: SiteConfig) -> list[dict[str, str]]:
    """schema.org `author`: the guide's authors, or the site as an organisation."""
    if not guide.meta.authors:
        return [{"@type": "Organization", "name": config.title, "url": config.base_url}]
    return [
        {"@type": "Person", "name": a.name, **({"url": a.url} if a.url else {})}
        for a in guide.meta.authors
    ]


def article_jsonld(guide: Guide, config: SiteConfig, links: Links, minutes: int) -> dict[str, Any]:
    """schema.org Article: dates, authors, keywords, entities as `about`, sources as
    `citation`; `minutes` to read it."""
    url = page_url(config, guide.slug)
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": guide.meta.title,
        "description": guide.summary or guide.meta.summary,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": config.language,
        "datePublished": guide.meta.published.isoformat(),
        "dateModified": guide.updated.isoformat(),
        "author": _authors_jsonld(guide, config),
        "keywords": guide.meta.tags,
        "about": [{"@type": "Thing", "name": entity} for entity in guide.meta.entities],
        "timeRequired": f"PT{minutes}M",
        "citation": [
            {
                "@type": "CreativeWork",
                "url": s.url,
                "name": links.get(s.normalized_url, UNCHECKED).title or s.host,
            }
            for s in guide.sources
        ],
        "publisher": {"@type": "Organization", "name": config.title, "url": config.base_url},
    }


def collection_jsonld(
    name: str, description: str, url: str, items: list[tuple[str, str]], config: SiteConfig
) -> dict[str, Any]:
    """schema.org CollectionPage whose main entity is the ItemList of (title, url) shown."""
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "description": description,
        "url": url,
        "inLanguage": config.language,
        "publisher": {"@type": "Organization", "name": config.title, "url": config.base_url},
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": len(items),
            "itemListElement": [
                {"@type": "ListItem", "position": i, "name": title, "url": link}
                for i, (title, link) in enumerate(items, start=1)
            ],
        },
    }


WORDS_PER_MINUTE = 230
"""Silent reading speed of adults for non-fiction in English (Brysbaert 2019: 238)."""


def reading_minutes(words: int) -> int:
    """Minutes to read `words` at WORDS_PER_MINUTE, at least one."""
    return max(1, round(words / WORDS_PER_MINUTE))


@dataclass(frozen=True)
class TocEntry:
    id: str
    title: str


def table_of_contents(guide: Guide) -> list[TocEntry]:
    """The body's sections, then the page's own sections that this guide has, in the
    order guide.html shows them."""
    entries = [TocEntry(s.id, s.title) for s in guide.sections if s.id]
    if guide.notes:
        entries.append(TocEntry("notes", "Notes"))
    if guide.calculations:
        entries.append(TocEntry("calculations", "How the numbers were computed"))
    if guide.sources:
        entries.append(TocEntry("sources", "Sources"))
    if guide.citations:
        entries.append(TocEntry("citation-manifest", "Citation manifest"))
    if guide.updates_sorted:
        entries.append(TocEntry("update-log", "Update log"))
    if guide.meta.entities:
        entries.append(TocEntry("entities", "Entities"))
    return entries


NEIGHBOURS_SLOT = "<!--citeguide:neighbours-->"
"""Where the previous/next and related guides go: they depend on the other guides, so the
site fills them in after every guide is rendered (see render.neighbours)."""


def render_guide(
    env: Environment, guide: Guide, config: SiteConfig, links: Links | None, minutes: int
) -> str:
    """The guide's page; `minutes` to read its body (its Markdown's words)."""
    links = links or {}
    statuses = {s.id: links.get(s.normalized_url, UNCHECKED) for s in guide.sources}
    canonical = page_url(config, guide.slug)
    old_rows = stale_rows(guide, config.stale)
    context: dict[str, Any] = {
        "site": config,
        "root": "../",
        "guide": guide,
        "body": render_body(guide, config, statuses, old_rows),
        "canonical": canonical,
        "twin_href": f"../{guide.slug}.cite.json",
        "markdown_href": f"../{guide.slug}.md",
        "twin_url": twin_url(config, guide.slug),
        "manifest": manifest(guide),
        "links": statuses,
        "stale": {c.n for c in guide.citations if is_stale(c, guide, config.stale)},
        "stale_sources": stale_sources(guide, config.stale),
        "stale_rows": old_rows,
        "evidence": evidence(guide, links, config.stale),
        "jsonld": article_jsonld(guide, config, links, minutes),
        "updates": guide.updates_sorted,
        "toc": table_of_contents(guide),
        "reading_minutes": minutes,
        "edit_url": config.edit_url(guide.path),
        "report_url": config.report_url(guide.meta.title, canonical),
        "neighbours_slot": NEIGHBOURS_SLOT,
    }
    return env.get_template("guide.html").render(context)


def render_entry(
    env: Environment, guide: Guide, config: SiteConfig, links: Links, root: str
) -> Markup:
    """One guide's item in a list of guides (index and tag pages), links relative to root."""
    context = {"guide": guide, "evidence": evidence(guide, links, config.stale), "root": root}
    return Markup(env.get_template("partials/guide_entry.html").render(context))


def render_index(
    env: Environment, entries: list[Markup], config: SiteConfig, items: list[tuple[str, str]]
) -> str:
    """The front page; `items` are the (title, URL) of the guides listed, for JSON-LD."""
    context: dict[str, Any] = {
        "site": config,
        "root": "",
        "entries": entries,
        "canonical": config.base_url,
        "jsonld": collection_jsonld(
            config.title, config.description, config.base_url, items, config
        ),
    }
    return env.get_template("index.html").render(context)


def render_tag(
    env: Environment,
    tag: str,
    entries: list[Markup],
    config: SiteConfig,
    items: list[tuple[str, str]],
) -> str:
    url = tag_url(config, tag)
    context: dict[str, Any] = {
        "site": config,
        "root": "../../",
        "tag": tag,
        "entries": entries,
        "canonical": url,
        "jsonld": collection_jsonld(f"#{tag}", f"Guides tagged {tag}.", url, items, config),
    }
    return env.get_template("tag.html").render(context)


def render_tags(env: Environment, tags: dict[str, int], config: SiteConfig) -> str:
    """All tags with the number of guides carrying each."""
    url = site_url(config, "tags/")
    items = [(f"#{tag}", tag_url(config, tag)) for tag in tags]
    context: dict[str, Any] = {
        "site": config,
        "root": "../",
        "tags": tags,
        "canonical": url,
        "jsonld": collection_jsonld("Tags", f"Every tag of {config.title}.", url, items, config),
    }
    return env.get_template("tags.html").render(context)


def render_about_evidence(env: Environment, config: SiteConfig) -> str:
    """What confidence, stale, link statuses and quote checks mean, with this site's budgets."""
    context: dict[str, Any] = {
        "site": config,
        "root": "../",
        "canonical": site_url(config, "about-evidence/"),
    }
    return env.get_template("about-evidence.html").render(context)


def render_404(env: Environment, config: SiteConfig) -> str:
    # Served at any depth, so its links start from the site's root path.
    root = urlsplit(config.base_url).path or "/"
    context: dict[str, Any] = {"site": config, "root": root, "canonical": ""}
    return env.get_template("404.html").render(context)
