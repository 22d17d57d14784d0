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

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SkipValidation,
    StrictBool,
)
from pydantic.config import JsonDict

from citeguide.costcore.tables import IsoDate
from citeguide.untrusted import control_character, is_link_url, one_line, url_problem

Date = date
"""`date` under a name that fields called `date` do not shadow."""
SCHEMA_VERSION: Literal["2.1"] = "2.1"
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


def _one_line(value: str) -> str:
    """Control characters are refused; line breaks fold into spaces.

    A title or summary ends up in headings of llms.txt and the Markdown twin, in XML
    feeds and HTML attributes: a NUL breaks the feed, a newline injects Markdown.
    """
    bad = control_character(value)
    if bad:
        raise ValueError(f"contains the control character U+{ord(bad):04X}; remove it")
    return " ".join(value.split())


Line = Annotated[str, AfterValidator(_one_line)]


class _Authored(BaseModel):
    """Base for what authors write: unknown keys are errors, docstrings document fields."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)


class _Compact(BaseModel):
    """Base for the twin's expression trees and tables: a field at its default is left out
    when written (the trees are deep), so the schema does not require it."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


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
    problem = url_problem(value)
    if problem is not None and problem.kind == "scheme":
        raise ValueError("must be an http:// or https:// URL")
    if problem is not None:
        raise ValueError(f"the URL {problem.message}; {problem.hint}")
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
    summary: Line = Field(min_length=1, max_length=900)
    """One-paragraph answer, shown on the index, in llms.txt and as meta description; at
    most 300 characters as shown. It may hold `[calc:]` markers: the answer, computed."""
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
    """Day the author read the source for this claim (the period a figure describes is
    said in the claim's own words)."""
    confidence: Confidence
    """How far the author trusts the source for this claim (another claim may cite the
    same page at another confidence)."""
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


def _shown(value: str | None) -> str | None:
    # Read from the link-state file, which a pull request can edit: one line, no controls.
    return None if value is None else (one_line(value) or None)


def _link_or_none(value: str | None) -> str | None:
    # The state file's loader refuses these already; what is published never links them.
    return value if value is None or is_link_url(value) else None


ShownText = Annotated[str | None, AfterValidator(_shown)]
LinkOrNone = Annotated[str | None, AfterValidator(_link_or_none)]


class LinkInfo(_Published):
    status: LinkStatusName = "unchecked"
    """Outcome of the latest link check (`citeguide check`)."""
    http_status: int | None = None
    """HTTP status of the final response, when there was one."""
    checked_at: ShownText = None
    """When the link was last checked (RFC 3339), null if never."""
    final_url: LinkOrNone = Field(default=None, json_schema_extra=URI)
    """Where redirects ended, when different from `url`."""
    archive_url: LinkOrNone = Field(default=None, json_schema_extra=URI)
    """Archived snapshot closest to the citation date, for dead or moved sources."""
    dead_checks: int = 0
    """`failing`/`dead`: consecutive checks that found the source gone (404, 410, no such
    host); `dead` needs `dead_after` of them at least `dead_spacing_hours` apart."""
    dead_after: int = 3
    """The site's `[linkcheck] dead_after`: findings needed before a source is `dead`."""
    title: ShownText = None
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
    """Every distinct day this source was read, by a claim or a table row, oldest first."""
    confidences: list[Confidence]
    """Every distinct confidence a claim or a table row gave this source (confidence
    belongs to each use: see `claims[].citations[]` and the `facts` of calculations)."""
    claims: list[Annotated[str, Field(pattern=CLAIM_ID)]]
    """Ids of the claims citing this source (empty for a pure calculator input)."""
    roles: list[SourceRole]
    """`citation`: cited by a claim; `input`: supplies a figure to a calculation."""
    calculations: list[Annotated[str, Field(pattern=r"^(k-[0-9a-f]{12}|chart-[0-9]+)$")]]
    """Ids of the calculations using figures from this source."""
    link: LinkInfo
    """Link-check status of the URL."""
    stale: bool = False
    """Every use of this source (each citation, each table row's reading of it) is older
    than its confidence's budget (`stale_after_days`): a later reading refreshes it."""


class TwinInputFact(_Published):
    table: str
    """Input table (`api_prices`, `hardware`, an author's own `energy`, ...)."""
    row: str
    """Row id within the table."""
    source: str = Field(pattern=SOURCE_ID)
    """Id of the entry in `sources` of the row's first source."""
    sources: list[Annotated[str, Field(pattern=SOURCE_ID)]] = []
    """Ids of the entries in `sources` of every source the row cites."""
    date: date
    """Day the row's (newest) source was read."""
    confidence: Confidence
    """How far the row's figures can be trusted (its weakest source's confidence)."""
    as_of: Date | None = None
    """The period the figures describe, when given apart from the day they were read."""
    estimate: bool = False
    """The figure is the author's own derivation from the source (explained in `note`)."""
    note: str | None = None
    """The row's caveat: what the figure includes, how it was derived."""
    stale: bool = False
    """One of the row's sources was read longer ago than that source's confidence allows
    (`stale_after_days`, counted back from the guide's `updated`), as for a citation."""
    values: dict[str, str | int | float | bool] = {}
    """The row's own figures and labels as the table states them, so an agent can check
    the arithmetic."""


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


class TwinInput(_Published):
    name: str
    """Parameter name (`citeguide calc --list`)."""
    label: str
    """What the parameter is, in plain words."""
    value: str | int | float | bool
    """The number (in `unit`), flag, currency code or row id the figure used."""
    unit: str | None = None
    """Unit of a number."""
    origin: Literal["given", "default"]
    """`given` in the marker, or the model's `default`."""
    table: str | None = None
    """For a row: its table."""
    row: str | None = None
    """For a row: its id (its citation is in `facts`)."""
    number: str | int | float | bool | None = None
    """For a row given to a number parameter: the number read from it (in `unit`)."""


class TwinDriver(_Published):
    input: str
    """A ranged input: a parameter name, or `table:row.column`."""
    label: str
    """What the page calls it: the parameter's label, with the row for a ranged cell."""
    low: float
    """The figure with this input at its low end (every other at its midpoint)."""
    high: float
    """The figure with this input at its high end."""
    swing: float
    """|high − low|: how much this input alone moves the figure."""


class TwinCalculation(_Published):
    id: str = Field(pattern=CALC_ID)
    """Stable id derived from the model name and its parameters as written."""
    calculator: str
    """Name of the model (`citeguide calc --list`)."""
    model: str
    """The same name: the key of the model's expression tree in the twin's `models`."""
    title: str
    """What the model computes, in plain words."""
    inputs: dict[str, str | int | float | bool]
    """Parameter → value as used (given or default); rows by id."""
    params: list[TwinInput] = []
    """Every input with its label, value, unit and origin; rows point to `facts`."""
    derived: dict[str, str | int | float | bool] = {}
    """Named intermediate values (`let`) of the model, in its units."""
    value: float
    """Numeric result in `unit` (for a ranged figure: with every range at its midpoint)."""
    low: float | None = None
    """For a figure with ranged inputs: its lowest value over their ranges."""
    high: float | None = None
    """For a figure with ranged inputs: its highest value over their ranges."""
    monotone: bool | None = None
    """For a ranged figure: false when a midpoint fell outside the corners (the range was
    widened to include it)."""
    drivers: list[TwinDriver] = []
    """For a ranged figure: each ranged input's swing, largest first."""
    unit: str
    """Unit of `value`, such as `USD/month`, `USD/1M tokens` or `GBP/year`."""
    display: str
    """The formatted text shown on the page."""
    formula: str
    """The model's formula as written."""
    steps: list[str] = []
    """The arithmetic as done, one line per intermediate value, called model and result,
    with units and every input at full precision; currency conversions are steps too."""
    sentence: str | None = None
    """The sentence of the guide the figure first appears in, as on the page."""
    section: str | None = None
    """Title of the section that sentence is in."""
    anchor: str | None = Field(default=None, json_schema_extra=URI_REFERENCE)
    """URL of the calculation's entry on the page (under "How the numbers were computed")."""
    feasible: bool | None
    """The `feasible` flag of models that report one (breakeven_tokens with a throughput)."""
    flags: dict[str, bool] = {}
    """Every flag the model reported (`feasible`, ...)."""
    uncited: list[str] = []
    """Parameters that could take a cited row but were given a typed number."""
    sources: list[Annotated[str, Field(pattern=SOURCE_ID)]]
    """Ids of the entries in `sources` whose figures the calculation used."""
    facts: list[TwinInputFact]
    """Every table row used, with its own date and confidence."""
    fx: list[TwinFx]
    """Currency conversions made, with the rate and its date."""


class TwinExpr(_Compact):
    """One node of a model's expression tree (docs/twin.md, "Recomputing a figure")."""

    op: str
    """`num`, `str`, `bool`, `param`, `let`, `col`, `conv`, `find`, `call`, or an
    operator: `+ - * / ^ < <= > >= == != and or not neg min max ceil floor abs round if
    given is_row has`."""
    value: str | bool | None = None
    """`num`: the number as a decimal string; `str`: the text; `bool`: the flag."""
    unit: str | None = None
    """The node's unit (quantities only), as citeguide writes it."""
    money: int | None = None
    """Power of the currency in the node's unit (1 for GBP/kWh); absent without one."""
    currency: str | None = None
    """A currency fixed by the node's unit (`USD`), or `money`: the evaluation's currency."""
    name: str | None = None
    """`param`, `let`: the name; `call`: the model; `find`: the table."""
    path: list[str] = []
    """`col`: the columns read, in order, from the row `args[0]` evaluates to."""
    factor: str | None = None
    """`conv`: the exact factor (`365`, `1/8000000000`) turning `args[0]` into `unit`."""
    text: str | None = None
    """`conv`: the conversion as the steps write it (`× 365 days/year`)."""
    args: list[TwinExpr] = []
    """Operands, in order."""
    kwargs: dict[str, TwinExpr] = {}
    """`call`: arguments by parameter name; `find`: column filters."""


class TwinParam(_Compact):
    kind: Literal["number", "row", "bool", "currency"]
    """What the parameter takes."""
    label: str
    """What it is, in plain words."""
    unit: str | None = None
    """Unit of a number."""
    currency: str | None = None
    """A currency fixed by the unit (`USD`), or `money` (the evaluation's currency)."""
    table: str | None = None
    """The table whose rows it takes (instead of a number, for a number parameter)."""
    column: str | None = None
    """With a row given to a number parameter: the column used as the number."""
    column_factor: str | None = None
    """The exact factor turning that column's value into the parameter's unit."""
    default: str | None = None
    """The value used when none is given, as text."""
    min: str | None = None
    """Smallest number allowed."""
    max: str | None = None
    """Largest number allowed."""
    optional: bool = False
    """May be left out; `given(name)` tells."""


class TwinLet(_Compact):
    name: str
    """Its name in the formulas."""
    label: str
    """What it is, in plain words."""
    expr: TwinExpr
    """Its expression; evaluated on first use."""


class TwinRequire(_Compact):
    test: TwinExpr
    """When true, the inputs are refused with `error`."""
    error: str
    """The message (with `{...}` placeholders filled from the values)."""
    blame: list[str]
    """The parameters to blame, the first one given first."""
    holes: dict[str, TwinExpr] = {}
    """The `{...}` placeholders of `error`, by their text, as expressions."""


class TwinFlag(_Compact):
    name: str
    """The flag's name (`feasible`)."""
    label: str
    """What it says, in plain words."""
    when: TwinExpr | None = None
    """The flag is reported only when this holds."""
    test: TwinExpr
    """The flag's value."""


class TwinUnitText(_Compact):
    """How a quantity in one unit is written in the steps."""

    fold: str
    """A factor multiplied in before writing the number (`1` mostly)."""
    kind: Literal["money", "number", "percent", "plain"]
    """`money`: currency symbol, number, `tail`; `number`: number and `one` or `many`;
    `percent`: number and `%`; `plain`: number and `tail`."""
    currency: str | None = None
    """For `money`: the unit's currency code, or `money` (the evaluation's)."""
    tail: str | None = None
    """Text after the number (`/kWh`)."""
    one: str | None = None
    """The unit after the number 1."""
    many: str | None = None
    """The unit after any other number."""


class TwinModel(_Compact):
    """A model as an agent can evaluate it: typed parameters and expression trees."""

    title: str
    """What it computes, in plain words."""
    label: str
    """A short name for its result."""
    unit: str
    """Unit of the result; `money` means the evaluation's currency."""
    currency: str | None = None
    """The currency fixed by the unit, `money`, or null for a result without one."""
    params: dict[str, TwinParam]
    """Its parameters."""
    lets: list[TwinLet] = []
    """Intermediate values, in order."""
    formula: TwinExpr
    """The result's expression, converted to `unit`."""
    require: list[TwinRequire] = []
    """Constraints checked before the formula."""
    flags: list[TwinFlag] = []
    """True/false facts reported with the result."""
    style: str
    """How the page shows the value: `money`, `count`, `number`, `percent`, `gigabytes`."""
    digits: int
    """Significant digits of `number` and `count` displays."""
    units: dict[str, TwinUnitText] = {}
    """How each unit the model's nodes carry is written in the steps, by the unit's text."""
    display: dict[str, str | None] = {}
    """What the page's display of the value needs of its unit: `currency`, `noun_one`,
    `noun_many` (the counted thing), `one`, `many` (the unit after 1 or another number)."""


class TwinColumn(_Compact):
    kind: Literal["quantity", "text", "currency", "ref", "bool"]
    """What the column holds."""
    unit: str | None = None
    """Unit of a quantity column (`money` is the row's currency column)."""
    ref: str | None = None
    """For `ref`: the table whose row ids it holds."""


class TwinRow(_Compact):
    values: dict[str, str | int | float | bool]
    """Column → value; a range is written `low..high`."""
    urls: list[str]
    """Its sources' URLs."""
    date: date
    """Day its (newest) source was read."""
    confidence: Confidence
    """Its weakest source's confidence."""
    as_of: Date | None = None
    """The period its figures describe."""
    estimate: bool = False
    """The author's own derivation (see `note`)."""
    note: str | None = None
    """Its caveat."""
    absent: dict[str, str] = {}
    """Columns the row does not have, and why."""


class TwinTable(_Compact):
    columns: dict[str, TwinColumn]
    """Its columns."""
    currency_column: str | None = None
    """The column naming each row's currency, for `money` units."""
    rows: dict[str, TwinRow]
    """Row id → row."""


class TwinChartPoint(_Published):
    x: float
    """The value of the x parameter."""
    y: float
    """The line's value there, in the chart's y unit."""


class TwinChartLine(_Published):
    label: str
    """The line's name in the legend."""
    model: str
    """The model drawn (its tree is in `models`)."""
    params: dict[str, str | int | float]
    """Its parameters: numbers as numbers (`10M` is 10000000), row ids and ranges as
    written (the x parameter is the axis)."""
    points: list[TwinChartPoint]
    """The line sampled across the range."""


class TwinCrossing(_Published):
    lower: str
    """The line that is lower before the crossing."""
    upper: str
    """The line that is lower after it."""
    x: float
    """Where they cross, in the x parameter's unit."""
    y: float
    """Their value there."""


class TwinBar(_Published):
    input: str
    """The ranged input: a parameter's name, or `table:row.column` for a ranged cell."""
    label: str
    """Its label as the page shows it."""
    low: float
    """The figure with this input at its low end and every other range at its midpoint."""
    high: float
    """The figure with this input at its high end."""


class TwinChart(_Published):
    id: str = Field(pattern=r"^chart-[0-9]+$")
    """Id of the figure in the page (`chart-1`)."""
    kind: Literal["models", "breakeven", "tornado"]
    """`models`: lines of any models; `breakeven`: the pack's API against self-hosting;
    `tornado`: how far each ranged input alone moves one figure (its `bars`; its one line
    names the figure's model and parameters and has no points; `x_param` is empty, the
    horizontal axis is the figure's value in `y_unit` from `x_from` to `x_to`)."""
    title: str
    """Title shown with the chart."""
    description: str
    """The chart in words, as given to screen readers."""
    x_param: str
    """The parameter along the horizontal axis."""
    x_unit: str
    """Its unit."""
    x_from: float
    """Start of the range."""
    x_to: float
    """End of the range."""
    scale: Literal["log", "linear"]
    """Scale of both axes."""
    y_unit: str
    """Unit of every line's values."""
    lines: list[TwinChartLine]
    """The lines drawn."""
    crossings: list[TwinCrossing]
    """Where two lines swap order, lowest x first."""
    inputs: dict[str, str | int | float]
    """Settings of the chart block: numbers as numbers (`10M` is 10000000, as in a
    calculation's `inputs`), the axis parameter, scale and title as written."""
    sources: list[Annotated[str, Field(pattern=SOURCE_ID)]]
    """Ids of the entries in `sources` whose figures the chart used."""
    facts: list[TwinInputFact]
    """Every table row used."""
    fx: list[TwinFx]
    """Currency conversions made."""
    value: float | None = None
    """For `tornado`: the figure with every range at its midpoint (where the bars meet)."""
    bars: list[TwinBar] = []
    """For `tornado`: one bar per ranged input, the widest swing first."""


class TwinKeyFinding(_Published):
    calculation: str = Field(pattern=CALC_ID)
    """Id of the entry in `calculations`."""
    display: str
    """The figure as the summary shows it."""
    value: float
    """Its value in `unit` (for a range, the midpoint; see the calculation's low/high)."""
    unit: str
    """Unit of `value`."""


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
    schema_version: Literal["2.1"] = SCHEMA_VERSION
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
    key_findings: list[TwinKeyFinding] = []
    """The figures of the summary (the answer up front), each with its calculation id."""
    currency: str = "USD"
    """The site's currency (ISO 4217): what `money` means in a model that names none."""
    models: dict[str, TwinModel] = {}
    """Every model a calculation or chart used (and every model those call), as
    expression trees an agent can evaluate with its own inputs (docs/twin.md)."""
    tables: dict[str, TwinTable] = {}
    """Every table those models read, whole: the rows an agent may choose instead."""


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


class SourceUse(BaseModel):
    """One distinct use of a source: by a claim or a table row, on a day, at a confidence."""

    model_config = ConfigDict(frozen=True)

    role: SourceRole
    date: date
    confidence: Confidence


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
    uses: list[SourceUse] = Field(default_factory=list)
    """Every distinct (role, day, confidence) of its uses, in order of first use:
    confidence belongs to a claim or a row, not to the URL."""

    def note(self, day: date, confidence: Confidence, role: SourceRole = "citation") -> None:
        """Record one more use of this source, by a claim or a row, on `day` with
        `confidence`."""
        if day not in self.dates_cited:
            self.dates_cited = sorted([*self.dates_cited, day])
        if confidence not in self.confidences:
            self.confidences.append(confidence)
        use = SourceUse(role=role, date=day, confidence=confidence)
        if use not in self.uses:
            self.uses.append(use)


class Reading(BaseModel):
    """One of a row's sources: its URL, the day it was read, the confidence given it."""

    url: str
    date: date
    confidence: Confidence


class InputFact(BaseModel):
    """A table row a calculation used: which, and where its figures were published."""

    table: str
    row: str
    source: str
    """URL of its first source."""
    urls: list[str] = Field(default_factory=list)
    """Every source URL of the row."""
    readings: list[Reading]
    """Every source of the row with its own date and confidence (`urls`, in order)."""
    date: date
    """The day of its newest reading."""
    confidence: Confidence
    """Its weakest reading's confidence."""
    as_of: Date | None = None
    estimate: bool = False
    note: str | None = None
    values: dict[str, str | int | float | bool] = Field(default_factory=dict)
    pack: bool = False
    """The row is the bundled pack's own (not in the site's `content/data/`)."""
    line: int = 0
    """The line of the guide where the calculation using it first appears."""


class FxConversion(BaseModel):
    row: str
    base: str
    quote: str
    rate: float
    date: date


class CalcInput(BaseModel):
    name: str
    label: str
    value: str | int | float | bool
    unit: str | None = None
    origin: Literal["given", "default"]
    table: str | None = None
    row: str | None = None
    number: str | int | float | bool | None = None


class Driver(BaseModel):
    input: str
    label: str = ""
    low: float
    high: float
    swing: float
    low_text: str = ""
    high_text: str = ""


class Calculation(BaseModel):
    """A `[calc:]` marker, evaluated by the cost core."""

    id: str
    calculator: str
    title: str = ""
    inputs: dict[str, str | int | float | bool]
    params: list[CalcInput] = Field(default_factory=list)
    derived: dict[str, str | int | float | bool] = Field(default_factory=dict)
    value: float
    low: float | None = None
    high: float | None = None
    monotone: bool | None = None
    drivers: list[Driver] = Field(default_factory=list)
    unit: str
    display: str
    formula: str
    steps: list[str] = Field(default_factory=list)
    facts: list[InputFact]
    fx: list[FxConversion]
    flags: dict[str, bool] = Field(default_factory=dict)
    uncited: list[str] = Field(default_factory=list)
    models: list[str] = Field(default_factory=list)
    """The model and every model it calls (their trees go into the twin)."""
    line: int
    col: int = 1
    ref: int | None = None
    """Number of its first marker in the text (`calc-ref-N`), for the way back."""
    sentence: str | None = None
    section: str | None = None
    section_id: str | None = None

    @property
    def feasible(self) -> bool | None:
        return self.flags.get("feasible")


class ChartPoint(BaseModel):
    x: float
    y: float


class ChartLine(BaseModel):
    label: str
    model: str
    params: dict[str, str]
    points: list[ChartPoint]


class Crossing(BaseModel):
    lower: str
    upper: str
    x: float
    y: float
    x_text: str = ""
    y_text: str = ""


class ChartRow(BaseModel):
    """One row of the chart's data table, as the page shows it."""

    x: str
    ys: list[str]


class ChartBar(BaseModel):
    """One bar of a tornado chart."""

    input: str
    label: str
    low: float
    high: float
    low_text: str
    high_text: str


class Chart(BaseModel):
    """A ```` ```chart ```` block, computed by the cost core."""

    id: str
    kind: Literal["models", "breakeven", "tornado"]
    title: str
    description: str
    x_param: str
    x_unit: str
    x_from: float
    x_to: float
    scale: Literal["log", "linear"]
    y_unit: str
    lines: list[ChartLine]
    crossings: list[Crossing]
    rows: list[ChartRow] = Field(default_factory=list)
    inputs: dict[str, str]
    facts: list[InputFact]
    fx: list[FxConversion]
    models: list[str] = Field(default_factory=list)
    value: float | None = None
    """For a tornado: the figure with every range at its midpoint."""
    bars: list[ChartBar] = Field(default_factory=list)
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
    tokens: SkipValidation[list[Any]] = Field(default_factory=list, exclude=True, repr=False)
    """The body as parsed: markdown-it tokens, each chart's data in its fence's `meta`.
    Drawn by render/body.py in the process that parsed it; never stored or sent."""
    env: SkipValidation[dict[str, Any]] = Field(default_factory=dict, exclude=True, repr=False)
    """The parse environment the tokens refer to (the footnotes)."""
    body_edits: SkipValidation[Any] = Field(default=None, exclude=True, repr=False)
    """The edits that make the body's Markdown (markers into footnote references, charts
    into tables): a content.markdown_body.BodyEdits, applied by render/markdown_twin.py."""
    findings: list[Finding] = Field(default_factory=list)
    """Editorial observations for the linter (uncited figures, mixed currencies, ...)."""
    summary: str = ""
    """The summary as shown: its `[calc:]` markers replaced by their figures."""
    summary_html: str = ""
    """The same, each figure linked to its entry (escaped HTML; templates use it)."""
    summary_parts: list[tuple[str, str | None]] = Field(default_factory=list)
    """The same in pieces: (text, None) as written, (figure, its calculation's id)."""
    key_findings: list[str] = Field(default_factory=list)
    """Ids of the calculations in the summary, in reading order."""
    # Not validated: the same objects for every guide using the same models (the
    # library converts them once per site), so the twin converts them once too.
    models: SkipValidation[dict[str, dict[str, Any]]] = Field(default_factory=dict)
    """The compiled models its figures and charts use, as data (the twin's `models`)."""
    tables: SkipValidation[dict[str, dict[str, Any]]] = Field(default_factory=dict)
    """The tables those models read, as data (the twin's `tables`)."""
    allows: dict[int, list[str]] = Field(default_factory=dict)
    """Line → lint rules the author allowed there (`<!-- lint-allow: rule -->`)."""
    files: list[LocalFile] = Field(default_factory=list)
    """Images and files named by relative URLs, to check and copy next to the page."""
    notes: int = 0
    """Footnotes shown under "Notes" at the foot of the body."""

    @cached_property
    def citations(self) -> list[Citation]:
        """Every citation in reading order (the page's reference numbers)."""
        return sorted((c for claim in self.claims for c in claim.citations), key=lambda c: c.n)

    @cached_property
    def rows(self) -> list[InputFact]:
        """Every table row its figures and charts read, once, as at its first use (the
        earliest line that reads it)."""
        first: dict[tuple[str, str], InputFact] = {}
        facts = [f for c in self.calculations for f in c.facts]
        facts += [f for c in self.charts for f in c.facts]
        for fact in sorted(facts, key=lambda f: f.line):
            first.setdefault((fact.table, fact.row), fact)
        return list(first.values())

    @cached_property
    def updates_sorted(self) -> list[UpdateEntry]:
        """The update log, newest first."""
        return sorted(self.meta.updates, key=lambda u: u.date, reverse=True)
