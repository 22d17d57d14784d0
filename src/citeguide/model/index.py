"""Every guide of a site, for agents: `cite-index.json`."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from citeguide.model.authored import UpdateEntry
from citeguide.model.common import SLUG_PATTERN, URI_REFERENCE, _Published, _PublishedFile


class IndexSite(_Published):
    title: str
    """The site's title."""
    url: str = Field(json_schema_extra=URI_REFERENCE)
    """The site's base URL."""
    language: str
    """Language of the guides (BCP 47)."""


class IndexGuide(_Published):
    slug: str = Field(pattern=SLUG_PATTERN)
    """URL path segment of the guide."""
    title: str
    """Page title."""
    summary: str
    """One-paragraph answer."""
    url: str = Field(json_schema_extra=URI_REFERENCE)
    """Canonical URL of the HTML page."""
    twin_url: str = Field(json_schema_extra=URI_REFERENCE)
    """URL of its JSON twin (`twin_schema` describes it)."""
    markdown_url: str = Field(json_schema_extra=URI_REFERENCE)
    """URL of its Markdown twin."""
    published: date
    """Day of first publication."""
    updated: date
    """Day of the newest update-log entry, or `published`."""
    latest_update: UpdateEntry | None = None
    """The newest entry of the update log, with its note; null when the guide has none."""
    tags: list[str]
    """Taxonomy."""
    claims: int = Field(ge=0)
    """Cited claims in the guide."""
    sources: int = Field(ge=0)
    """Distinct sources it cites or takes figures from."""
    calculations: int = Field(ge=0)
    """Computed figures on the page."""


class CiteIndex(_PublishedFile):
    """Every guide of a site, for agents: `cite-index.json`. Its `schema_version` is
    the twins'."""

    model_config = ConfigDict(title="citeguide index of guides")

    site: IndexSite
    """The site the guides belong to."""
    twin_schema: str = Field(json_schema_extra=URI_REFERENCE)
    """URL of the JSON Schema every guide's twin (`twin_url`) follows."""
    guides: list[IndexGuide]
    """Every published guide, most recently updated first."""
