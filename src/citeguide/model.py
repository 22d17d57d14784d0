"""The typed data of citeguide: what authors write, what a parsed guide is, what agents read.

One model per concept. The HTML page, the JSON twin and the JSON Schema are all produced
from these models, so they cannot drift apart.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

SCHEMA_VERSION: Literal["1.0"] = "1.0"
Confidence = Literal["high", "medium", "low"]
LinkStatusName = Literal[
    "ok", "moved", "dead", "soft-404", "blocked", "timeout", "error", "unchecked"
]
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    """Accept only `YYYY-MM-DD` strings (or dates): no timestamps, no other layouts."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a calendar date") from None


def _version_text(value: Any) -> Any:
    # `version: 2` is an int to YAML; an update log label is text either way.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class _Authored(BaseModel):
    """Base for what authors write: unknown keys are errors, docstrings document fields."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)


class _Published(BaseModel):
    """Base for what citeguide publishes: documented fields, no extra keys."""

    model_config = ConfigDict(
        extra="forbid",
        use_attribute_docstrings=True,
        json_schema_serialization_defaults_required=True,
    )


# ---------------------------------------------------------------- what authors write


class UpdateEntry(_Authored):
    version: Annotated[str, BeforeValidator(_version_text), Field(min_length=1)]
    """Label of this revision, such as `v2`."""
    date: IsoDate
    """Day the revision was published."""
    note: str = Field(min_length=1)
    """What changed, in one sentence."""


class GuideMeta(_Authored):
    """The front matter of a guide."""

    title: str = Field(min_length=1, max_length=200)
    """Page title."""
    summary: str = Field(min_length=1, max_length=300)
    """One-paragraph answer, shown on the index, in llms.txt and as meta description."""
    published: IsoDate
    """Day of first publication."""
    slug: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=100)
    """URL path segment; defaults to the file name without `.md`."""
    tags: list[Annotated[str, Field(min_length=1, pattern=SLUG_PATTERN)]] = []
    """Taxonomy, lower-case words joined by hyphens (`local-models`)."""
    entities: list[Annotated[str, Field(min_length=1)]] = []
    """Things the guide is about (Llama, vLLM, ...)."""
    updates: list[UpdateEntry] = []
    """The update log; the newest entry defines the guide's `updated` date."""
    draft: bool = False
    """Drafts are built by `serve` and skipped by `build`."""


# ---------------------------------------------------------------- the JSON twin


class Generator(_Published):
    name: Literal["citeguide"] = "citeguide"
    """Program that wrote this file."""
    version: str
    """Its version."""
    url: str = "https://pypi.org/project/citeguide/"
    """Where to learn about it."""


class TwinCitation(_Published):
    n: int = Field(ge=1)
    """Number of the reference on the page (`[n]`), in reading order."""
    source: str
    """Id of the cited entry in `sources`."""
    date: date
    """Day the source was seen or the figure refers to."""
    confidence: Confidence
    """How far the author trusts the source for this claim."""


class TwinClaim(_Published):
    id: str = Field(pattern=r"^c-[0-9a-f]{12}$")
    """Stable id derived from the normalised claim text."""
    text: str
    """The sentence that holds the citation markers, markers and Markdown removed."""
    section: str | None
    """Heading of the question the claim answers; null before the first heading."""
    anchor: str
    """URL of the claim's place in the HTML page."""
    citations: list[TwinCitation] = Field(min_length=1)
    """The citations backing this claim, in reading order."""


class LinkInfo(_Published):
    status: LinkStatusName = "unchecked"
    """Outcome of the latest link check (`citeguide check`)."""
    http_status: int | None = None
    """HTTP status of the final response, when there was one."""
    checked_at: str | None = None
    """When the link was last checked (RFC 3339), null if never."""
    final_url: str | None = None
    """Where redirects ended, when different from `url`."""
    archive_url: str | None = None
    """Archived snapshot closest to the citation date, for dead or moved sources."""


class TwinSource(_Published):
    id: str = Field(pattern=r"^s-[0-9a-f]{12}$")
    """Stable id derived from the normalised URL."""
    url: str
    """The URL as first cited in the guide."""
    host: str
    """Host name of the URL."""
    dates_cited: list[date]
    """Every distinct citation date used with this source, oldest first."""
    confidences: list[Confidence]
    """Every distinct confidence given to this source."""
    claims: list[str]
    """Ids of the claims citing this source."""
    link: LinkInfo
    """Link-check status of the URL."""


class TwinCalculation(_Published):
    id: str
    """Stable id of the calculation within the guide."""
    calculator: str
    """Name of the cost-core calculator."""
    inputs: dict[str, str | int | float | bool]
    """Resolved inputs, defaults included."""
    value: float
    """Numeric result in `unit`."""
    unit: str
    """Unit of `value`, such as `USD/month` or `tokens/month`."""
    display: str
    """The formatted text shown on the page."""
    sources: list[str]
    """Ids of the entries in `sources` whose data the calculation used."""


class CiteTwin(_Published):
    """The machine-readable twin of one guide: `<slug>.cite.json`."""

    model_config = ConfigDict(
        title="citeguide JSON twin",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    schema_version: Literal["1.0"] = SCHEMA_VERSION
    """Version of this format; a breaking change bumps the major number."""
    generator: Generator
    """Program and version that produced the file."""
    slug: str = Field(pattern=SLUG_PATTERN)
    """URL path segment of the guide."""
    url: str
    """Canonical URL of the HTML page."""
    twin_url: str
    """Canonical URL of this file."""
    title: str
    """Page title."""
    summary: str
    """One-paragraph answer."""
    published: date
    """Day of first publication."""
    updated: date
    """Day of the newest update-log entry, or `published`."""
    tags: list[str]
    """Taxonomy."""
    entities: list[str]
    """Things the guide is about."""
    updates: list[UpdateEntry]
    """The update log, newest first."""
    claims: list[TwinClaim]
    """Every cited claim, in reading order."""
    sources: list[TwinSource]
    """Every cited source, deduplicated by normalised URL, in order of first citation."""
    calculations: list[TwinCalculation]
    """Every computed figure on the page, with inputs and sources."""


# ---------------------------------------------------------------- a parsed guide


class Citation(BaseModel):
    """One cite marker, resolved."""

    n: int
    url: str
    source_id: str
    date: date
    confidence: Confidence
    line: int
    col: int


class Claim(BaseModel):
    """A sentence backed by one or more citations."""

    id: str
    text: str
    section: str | None
    section_id: str | None
    citations: list[Citation]
    line: int


class Source(BaseModel):
    """A cited URL, deduplicated across the guide by its normalised form."""

    id: str
    url: str
    normalized_url: str
    host: str
    dates_cited: list[date]
    confidences: list[Confidence]
    claims: list[str]


class Section(BaseModel):
    id: str
    title: str


class Guide(BaseModel):
    """Everything the renderers need to publish one guide: page, twin and Markdown twin."""

    path: str
    slug: str
    meta: GuideMeta
    updated: date
    sections: list[Section]
    claims: list[Claim]
    sources: list[Source]
    body_html: str

    @property
    def citations(self) -> list[Citation]:
        """Every citation in reading order (the page's reference numbers)."""
        return sorted((c for claim in self.claims for c in claim.citations), key=lambda c: c.n)
