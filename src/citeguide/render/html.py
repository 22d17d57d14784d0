"""HTML pages from Jinja2 templates: the site's `templates/` first, then the defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from citeguide import __version__
from citeguide.config import SiteConfig
from citeguide.costcore.quantities import as_text
from citeguide.model import Citation, Claim, Guide, LinkInfo, Links, Source
from citeguide.render.urls import page_url, twin_url
from citeguide.resources import default_dir

LINK_LABELS = {
    "ok": "link ok",
    "moved": "moved",
    "dead": "dead link",
    "soft-404": "page gone (soft 404)",
    "blocked": "unverifiable (site blocks checks)",
    "timeout": "timed out",
    "error": "link error",
    "unchecked": "link unchecked",
}
CONFIDENCE_LABELS = {
    "high": "High confidence",
    "medium": "Medium confidence",
    "low": "Low confidence",
}


@dataclass(frozen=True)
class ManifestEntry:
    """One numbered reference: the citation, the claim it backs, the source it names."""

    citation: Citation
    claim: Claim
    source: Source
    source_number: int


def template_dirs(root: Path) -> list[Path]:
    """Template search path: the site's overrides, then the packaged defaults."""
    dirs = [root / "templates", default_dir("templates")]
    return [d for d in dirs if d.is_dir()]


def environment(root: Path) -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs(root)]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["generator"] = f"citeguide {__version__}"
    env.filters["host"] = lambda url: urlsplit(url).hostname or url
    env.filters["input_text"] = as_text
    env.globals["confidence_labels"] = CONFIDENCE_LABELS
    env.globals["link_labels"] = LINK_LABELS
    return env


def manifest(guide: Guide) -> list[ManifestEntry]:
    sources = {s.id: s for s in guide.sources}
    numbers = {s.id: i for i, s in enumerate(guide.sources, start=1)}
    claims = {c.id: c for c in guide.claims}
    by_citation = {cit.n: claim.id for claim in guide.claims for cit in claim.citations}
    return [
        ManifestEntry(c, claims[by_citation[c.n]], sources[c.source_id], numbers[c.source_id])
        for c in guide.citations
    ]


def render_guide(
    env: Environment, guide: Guide, config: SiteConfig, links: Links | None = None
) -> str:
    context: dict[str, Any] = {
        "site": config,
        "root": "../",
        "guide": guide,
        "canonical": page_url(config, guide.slug),
        "twin_href": f"../{guide.slug}.cite.json",
        "twin_url": twin_url(config, guide.slug),
        "manifest": manifest(guide),
        "links": {s.id: (links or {}).get(s.normalized_url, LinkInfo()) for s in guide.sources},
        "updates": sorted(guide.meta.updates, key=lambda u: u.date, reverse=True),
    }
    return env.get_template("guide.html").render(context)


def render_index(env: Environment, guides: list[Guide], config: SiteConfig) -> str:
    context: dict[str, Any] = {
        "site": config,
        "root": "",
        "guides": guides,
        "canonical": config.base_url,
    }
    return env.get_template("index.html").render(context)
