"""The JSON twin of a guide, `<slug>.cite.json` (docs/twin.md): its claims, sources,
calculations and charts."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from citeguide.model.authored import Author, UpdateEntry
from citeguide.model.common import (
    CALC_ID,
    CLAIM_ID,
    SLUG_PATTERN,
    SOURCE_ID,
    URI,
    URI_REFERENCE,
    Confidence,
    Date,
    SourceRole,
    _Published,
    _PublishedFile,
)
from citeguide.model.linkinfo import LinkInfo
from citeguide.model.trees import TwinModel, TwinTable


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
    """Named intermediate values (`let`) of the model, each number as the steps write it:
    the let's value in its expression's `unit` times that unit's `fold` in the model's
    `units` (a `%` or a written factor folded in), in the unit `derived_units` names."""
    derived_units: dict[str, str] = {}
    """The unit of each number of `derived` (`GBP/year`, `USD/month`, `kWh/year`, `1`);
    a true-or-false value has none."""
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
