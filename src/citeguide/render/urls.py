"""Canonical URLs of everything the site publishes, from `base_url`."""

from __future__ import annotations

from citeguide.config import SiteConfig


def page_url(config: SiteConfig, slug: str) -> str:
    return f"{config.base_url}{slug}/"


def twin_url(config: SiteConfig, slug: str) -> str:
    return f"{config.base_url}{slug}.cite.json"


def schema_url(config: SiteConfig) -> str:
    return f"{config.base_url}schemas/cite.schema.json"
