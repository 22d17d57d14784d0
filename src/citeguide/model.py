"""The typed data of citeguide: what authors write, what a parsed guide is, what agents read.

One model per concept. The HTML page, the JSON twin and the JSON Schema are all produced
from these models, so they cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool
from pydantic.config import JsonDict

from citeguide.costcore.tables import IsoDate

SCHEMA_VERSION: Literal["1.2"] = "1.2"
SOURCE_ID = r"^s-[0-9a-f]{12}$"
CLAIM_ID = r"^c-[0-9a-f]{12}$"
CALC_ID = r"^k-[0-9a-f]{12}$"


def _string_format(name: str) -> Callable[[JsonDict], None]:
    """`json_schema_extra` that puts `format` on the string type itself, also inside the
    `anyOf` of an optional field: beside `anyOf` it would apply to no type, which ajv's
    strict mode rejects (and other validators may ignore)."""

    def put(schema: JsonDict) -> None:
        branches = schema.get("anyOf", [schema])
        assert isinstance(branches, list)
        for branch in branches:
            if isinstance(branch, dict) and branch.get("type") == "string":
                branch["format"] = name

    return put


URI = _string_format("uri")
URI_REFERENCE = _string_format("uri-reference")
"""Site URLs are absolute only when `base_url` is; with the default `/` they are paths."""
Confidence = Literal["high", "medium", "low"]
LinkStatusName = Literal[
    "ok", "moved", "failing", "dead", "soft-404", "blocked", "timeout", "error", "unchecked"
]
SourceRole = Literal["citation", "input"]
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Paths the site itself uses at its top level; a guide's slug or alias may not take them.
RESERVED_SLUGS = frozenset(
    {"tags", "schemas", "assets", "pagefind", "search", "404", "about-evidence"}
)


def _version_text(value: Any) -> Any:
    # `version: 2` is an int to YAML; an update log label is text either way.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _one_line(value: str) -> str:
    """Control characters are refused; line breaks fold into spaces.

    A title or summary ends up in headings of llms.txt and the Markdown twin, in XML
    feeds and HTML attributes: a NUL breaks the feed, a newline injects Markdown.
    """
    bad = _CONTROL.search(value)
    if bad:
        raise ValueError(f"contains the control character U+{ord(bad.group(0)):04X}; remove it")
    return " ".join(value.split())


Line = Annotated[str, AfterValidator(_one_line)]


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
    note: Line = Field(min_length=1)
    """What changed, in one sentence."""


def _author_entry(value: Any) -> Any:
    # `authors: [Ada Lovelace]` is the short form of `[{name: Ada Lovelace}]`.
    return {"name": value} if isinstance(value, str) else value


def _web_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/?#]+[^\s]*$", value):
        raise ValueError("must be an http:// or https:// URL")
    return value


WebUrl = Annotated[str, AfterValidator(_web_url)]


_ALIAS = re.compile(r"^/?([a-z0-9._~-]+/)*[a-z0-9._~-]+/?$", re.IGNORECASE)


def _alias(value: str) -> str:
    """`/old-slug/` or `old/path` → `old-slug/`, `old/path/`: a folder of the site."""
    if not _ALIAS.match(value) or any(p in (".", "..") for p in value.strip("/").split("/")):
        raise ValueError(
            f"{value!r} is not a path of this site; write it as /old-slug/ (letters, digits, "
            "hyphens, dots and slashes)"
        )
    path = value.strip("/")
    return path if path.lower().endswith(".html") else path + "/"


class Author(_Authored):
    """A person credited with a guide."""

    name: Line = Field(min_length=1, max_length=120)
    """The name as it should be shown."""
    url: WebUrl | None = None
    """A page about the person (http or https), linked from the byline and feeds."""


class GuideMeta(_Authored):
    """The front matter of a guide."""

    title: Line = Field(min_length=1, max_length=200)
    """Page title."""
    summary: Line = Field(min_length=1, max_length=300)
    """One-paragraph answer, shown on the index, in llms.txt and as meta description."""
    published: IsoDate
    """Day of first publication."""
    slug: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=100)
    """URL path segment; defaults to the file name without `.md`."""
    tags: list[Annotated[str, Field(min_length=1, pattern=SLUG_PATTERN)]] = []
    """Taxonomy, lower-case words joined by hyphens (`local-models`)."""
    entities: list[Annotated[Line, Field(min_length=1)]] = []
    """Things the guide is about (Llama, vLLM, ...)."""
    updates: list[UpdateEntry] = []
    """The update log; the newest entry defines the guide's `updated` date."""
    draft: StrictBool = False
    """Drafts are built by `serve` and skipped by `build` (`true` or `false`, not "yes")."""
    authors: list[Annotated[Author, BeforeValidator(_author_entry)]] = []
    """Who wrote the guide: names, or `{name, url}` mappings; shown in the byline, the
    JSON-LD, both twins and the feed."""
    aliases: list[Annotated[str, AfterValidator(_alias)]] = []
    """Old paths of the guide (`/old-slug/`, or a file such as `/old/page.html`), each
    published as a redirect page to the guide; left out of the sitemap."""


# ---------------------------------------------------------------- the JSON twin


class Generator(_Published):
    name: Literal["citeguide"] = "citeguide"
    """Program that wrote this file."""
    version: str
    """Its version."""
    url: str = Field(default="https://pypi.org/project/citeguide/", json_schema_extra=URI)
    """Where to learn about it."""


class TwinCitation(_Published):
    n: int = Field(ge=1)
    """Number of the reference on the page (`[n]`), in reading order."""
    source: str = Field(pattern=SOURCE_ID)
    """Id of the cited entry in `sources`."""
    date: date
    """Day the source was seen or the figure refers to."""
    confidence: Confidence
    """How far the author trusts the source for this claim."""
    quote: str | None = None
    """The text the citation quotes from its source (a `#:~:text=` fragment), if any."""
    quote_status: Literal["found", "missing", "unchecked"] | None = None
    """Whether the source page still held the quote at the last `citeguide check`."""


class TwinClaim(_Published):
    id: str = Field(pattern=CLAIM_ID)
    """Stable id derived from the normalised claim text."""
    text: str
    """The sentence that holds the citation markers, markers and Markdown removed."""
    section: str | None
    """Heading of the question the claim answers; null before the first heading."""
    anchor: str = Field(json_schema_extra=URI_REFERENCE)
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
    final_url: str | None = Field(default=None, json_schema_extra=URI)
    """Where redirects ended, when different from `url`."""
    archive_url: str | None = Field(default=None, json_schema_extra=URI)
    """Archived snapshot closest to the citation date, for dead or moved sources."""
    dead_checks: int = 0
    """`failing`/`dead`: consecutive checks that found the source gone (404, 410, no such
    host); `dead` needs `dead_after` of them at least `dead_spacing_hours` apart."""
    dead_after: int = 3
    """The site's `[linkcheck] dead_after`: findings needed before a source is `dead`."""
    title: str | None = None
    """The source page's own title (`og:title` or `<title>`) as last seen by the check."""
    quotes: dict[str, Literal["found", "missing"]] = {}
    """Text directive → whether the page still said it at the last check."""


Links = dict[str, LinkInfo]
"""Normalised URL → its latest link-check result."""


class TwinSource(_Published):
    id: str = Field(pattern=SOURCE_ID)
    """Stable id derived from the normalised URL."""
    url: str = Field(json_schema_extra=URI)
    """The URL as first cited in the guide."""
    host: str
    """Host name of the URL."""
    dates_cited: list[date]
    """Every distinct citation date used with this source, oldest first."""
    confidences: list[Confidence]
    """Every distinct confidence given to this source."""
    claims: list[Annotated[str, Field(pattern=CLAIM_ID)]]
    """Ids of the claims citing this source (empty for a pure calculator input)."""
    roles: list[SourceRole]
    """`citation`: cited by a claim; `input`: supplies a figure to a calculation."""
    calculations: list[Annotated[str, Field(pattern=r"^(k-[0-9a-f]{12}|chart-[0-9]+)$")]]
    """Ids of the calculations using figures from this source."""
    link: LinkInfo
    """Link-check status of the URL."""
    stale: bool = False
    """Every citation of this source is older than its confidence's budget
    (`stale_after_days`): a later reading of a source refreshes it."""


class TwinInputFact(_Published):
    table: str
    """Input table (`api_prices`, `hardware`, `gpu_prices`, `throughput`, `fx`, ...)."""
    row: str
    """Row id within the table."""
    source: str = Field(pattern=SOURCE_ID)
    """Id of the entry in `sources` the row cites."""
    date: date
    """Day the row's figures were seen or refer to."""
    confidence: Confidence
    """How far the row's figures can be trusted."""
    values: dict[str, str | int | float | bool] = {}
    """The row's own figures and labels as the table states them (`price`, `currency`,
    `tokens_per_second`, `gpus`, `note`, ...), so an agent can check the arithmetic."""


class TwinFx(_Published):
    row: str
    """Row id in the fx table."""
    base: str
    """1 unit of this currency ..."""
    quote: str
    """... buys `rate` units of this one."""
    rate: float
    """The exchange rate used."""
    date: date
    """Day of the rate."""


class TwinCalculation(_Published):
    id: str = Field(pattern=CALC_ID)
    """Stable id derived from the calculator name and its parameters as written."""
    calculator: str
    """Name of the cost-core calculator (`citeguide calc --list`)."""
    inputs: dict[str, str | int | float | bool]
    """The inputs the calculation read: given, defaults and figures looked up in tables
    (a model's input price); defaults of a branch not taken are left out."""
    value: float
    """Numeric result in `unit`."""
    unit: str
    """Unit of `value`, such as `USD/month`, `USD/1M tokens` or `tokens/month`."""
    display: str
    """The formatted text shown on the page."""
    formula: str
    """How the value is computed, in words."""
    steps: list[str] = []
    """The arithmetic as done, one operation per item, with units and the rows used
    (`$2.49/GPU-h × 2 GPU × 730 h = $3,635.40`); currency conversions are steps too."""
    sentence: str | None = None
    """The sentence of the guide the figure first appears in, as on the page."""
    section: str | None = None
    """Title of the section that sentence is in."""
    anchor: str | None = Field(default=None, json_schema_extra=URI_REFERENCE)
    """URL of the calculation's entry on the page (under "How the numbers were computed")."""
    feasible: bool | None
    """breakeven_tokens with a throughput: whether the GPUs can serve the volume."""
    sources: list[Annotated[str, Field(pattern=SOURCE_ID)]]
    """Ids of the entries in `sources` whose figures the calculation used."""
    facts: list[TwinInputFact]
    """Every table row used, with its own date and confidence."""
    fx: list[TwinFx]
    """Currency conversions made, with the rate and its date."""


class TwinChartPoint(_Published):
    tokens: int
    """Tokens a month."""
    api: float
    """Monthly API cost at that volume."""
    selfhost: float
    """Monthly self-hosting cost at that volume (GPU sets added as capacity runs out)."""


class TwinChart(_Published):
    id: str = Field(pattern=r"^chart-[0-9]+$")
    """Id of the figure in the page (`chart-1`)."""
    kind: Literal["breakeven"]
    """What the chart plots."""
    title: str
    """Title shown with the chart."""
    description: str
    """The chart in words, as given to screen readers."""
    currency: str
    """Currency of every cost in the chart."""
    inputs: dict[str, str | int | float]
    """Parameters of the chart block: numbers as numbers (`10M` is 10000000, as in a
    calculation's `inputs`), row ids and the title as written."""
    price_per_million: float
    """Blended API price per 1M tokens."""
    selfhost_monthly: float
    """Monthly cost of one set of GPUs."""
    capacity_per_set: int | None
    """Tokens a month one set of GPUs serves; null when no throughput was given."""
    crossover_tokens: int | None
    """Monthly volume where the API starts to cost more; null when it never does."""
    points: list[TwinChartPoint]
    """The plotted series, sampled at 1-2-5 steps per decade (and the crossover)."""
    sources: list[Annotated[str, Field(pattern=SOURCE_ID)]]
    """Ids of the entries in `sources` whose figures the chart used."""
    facts: list[TwinInputFact]
    """Every table row used."""
    fx: list[TwinFx]
    """Currency conversions made."""


class StaleAfter(_Published):
    high: int = Field(ge=1)
    """Days a high-confidence citation stays fresh."""
    medium: int = Field(ge=1)
    """Days for medium confidence."""
    low: int = Field(ge=1)
    """Days for low confidence."""


class _PublishedFile(_Published):
    """What every JSON file citeguide publishes starts with: its schema, its format
    version, the program that wrote it."""

    model_config = ConfigDict(
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"}
    )

    schema_url: str = Field(alias="$schema", json_schema_extra=URI_REFERENCE)
    """URL of the JSON Schema this file follows (on the site, under `schemas/`)."""
    schema_version: Literal["1.2"] = SCHEMA_VERSION
    """Version of this format; a breaking change bumps the major number."""
    generator: Generator
    """Program and version that produced the file."""


class CiteTwin(_PublishedFile):
    """The machine-readable twin of one guide: `<slug>.cite.json`."""

    model_config = ConfigDict(title="citeguide JSON twin")

    slug: str = Field(pattern=SLUG_PATTERN)
    """URL path segment of the guide."""
    url: str = Field(json_schema_extra=URI_REFERENCE)
    """Canonical URL of the HTML page."""
    twin_url: str = Field(json_schema_extra=URI_REFERENCE)
    """Canonical URL of this file."""
    authors: list[Author] = []
    """Who wrote the guide, as its front matter names them."""
    aliases: list[Annotated[str, Field(json_schema_extra=URI_REFERENCE)]] = []
    """Former URLs of the page (front matter `aliases`): each redirects here. Added in 1.2."""
    stale_after_days: StaleAfter
    """The site's age budgets: a citation older than its confidence's budget (counted
    back from `updated`) is stale."""
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
    charts: list[TwinChart]
    """Every chart on the page, with the data it plots."""


# ---------------------------------------------------------------- the index of guides


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
    quote: str | None = None
    """The quoted text of a `#:~:text=` fragment, as a reader reads it."""
    quote_key: str | None = None
    """The text directive as written, the quote's key in the link state."""


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
    roles: list[SourceRole] = Field(default_factory=list)
    calculations: list[str] = Field(default_factory=list)

    def note(self, day: date, confidence: Confidence) -> None:
        """Record one more use of this source on `day` with `confidence`."""
        if day not in self.dates_cited:
            self.dates_cited = sorted([*self.dates_cited, day])
        if confidence not in self.confidences:
            self.confidences.append(confidence)


class InputFact(BaseModel):
    """A table row a calculation used: which, and where its figures were published."""

    table: str
    row: str
    source: str
    date: date
    confidence: Confidence
    values: dict[str, str | int | float | bool] = Field(default_factory=dict)


class FxConversion(BaseModel):
    row: str
    base: str
    quote: str
    rate: float
    date: date


class Calculation(BaseModel):
    """A `[calc:]` marker, evaluated by the cost core."""

    id: str
    calculator: str
    inputs: dict[str, str | int | float | bool]
    value: float
    unit: str
    display: str
    formula: str
    steps: list[str] = Field(default_factory=list)
    facts: list[InputFact]
    fx: list[FxConversion]
    feasible: bool | None = None
    line: int
    ref: int | None = None
    """Number of its first marker in the text (`calc-ref-N`), for the way back."""
    sentence: str | None = None
    section: str | None = None
    section_id: str | None = None


class ChartPoint(BaseModel):
    tokens: int
    api: float
    selfhost: float


class Chart(BaseModel):
    """A ```` ```chart breakeven ```` block, computed by the cost core."""

    id: str
    kind: Literal["breakeven"]
    title: str
    description: str
    currency: str
    inputs: dict[str, str]
    price_per_million: float
    selfhost_monthly: float
    capacity_per_set: int | None
    crossover_tokens: int | None
    points: list[ChartPoint]
    facts: list[InputFact]
    fx: list[FxConversion]
    source_lines: tuple[int, int]
    """0-based [first, end) lines of the chart block in the guide's body."""


class Finding(BaseModel):
    """An editorial observation made while parsing; the linter gives it a severity."""

    rule: str
    line: int
    col: int
    message: str


class Section(BaseModel):
    id: str
    title: str


class LocalFile(BaseModel):
    """A file the guide links or shows by a relative URL, published beside its page."""

    kind: Literal["file", "guide"]
    url: str
    """As written in the guide."""
    source: str
    """Relative to the site root."""
    target: str | None
    """Relative to `site/`; None for a link to another guide."""
    line: int
    col: int


class Guide(BaseModel):
    """Everything the renderers need to publish one guide: page, twin and Markdown twin."""

    path: str
    slug: str
    meta: GuideMeta
    updated: date
    sections: list[Section]
    claims: list[Claim]
    sources: list[Source]
    calculations: list[Calculation] = Field(default_factory=list)
    charts: list[Chart] = Field(default_factory=list)
    body_html: str
    body_markdown: str
    """The body as Markdown with markers turned into footnote references."""
    findings: list[Finding] = Field(default_factory=list)
    """Editorial observations for the linter (uncited figures, mixed currencies, ...)."""
    files: list[LocalFile] = Field(default_factory=list)
    """Images and files named by relative URLs, to check and copy next to the page."""
    notes: int = 0
    """Footnotes shown under "Notes" at the foot of the body."""

    @cached_property
    def citations(self) -> list[Citation]:
        """Every citation in reading order (the page's reference numbers)."""
        return sorted((c for claim in self.claims for c in claim.citations), key=lambda c: c.n)

    @cached_property
    def updates_sorted(self) -> list[UpdateEntry]:
        """The update log, newest first."""
        return sorted(self.meta.updates, key=lambda u: u.date, reverse=True)

    @cached_property
    def words(self) -> int:
        """Words of the body, for the reading time."""
        return len(re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", self.body_text))

    @cached_property
    def body_text(self) -> str:
        """The body's words without Markdown punctuation or footnote references."""
        text = re.sub(r"\[\^[\w-]+\]", "", self.body_markdown)
        return re.sub(r"[`*_#>|\[\]()]+", " ", text)
