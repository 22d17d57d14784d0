"""Canonical URLs of everything the site publishes, from `base_url`."""

from __future__ import annotations

from citeguide.config import SiteConfig


def page_url(config: SiteConfig, slug: str) -> str:
    return f"{config.base_url}{slug}/"


def twin_url(config: SiteConfig, slug: str) -> str:
    return f"{config.base_url}{slug}.cite.json"


def markdown_url(config: SiteConfig, slug: str) -> str:
    return f"{config.base_url}{slug}.md"


def tag_url(config: SiteConfig, tag: str) -> str:
    return f"{config.base_url}tags/{tag}/"


def site_url(config: SiteConfig, path: str = "") -> str:
    return f"{config.base_url}{path}"


def is_absolute(config: SiteConfig) -> bool:
    """Feeds and sitemaps need absolute URLs; `base_url = "/"` gives root-relative ones."""
    return config.base_url.startswith(("http://", "https://"))
