"""What the cost core computed for a guide: its figures (`[calc:]`) and charts, and the
table rows and conversions they used."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import BaseModel, Field

from citeguide.model.common import Confidence, Date
from citeguide.model.published import (
    TwinBar,
    TwinChartPoint,
    TwinCrossing,
    TwinDriver,
    TwinFx,
    TwinInput,
)


class Reading(BaseModel):
    """One of a row's sources: its URL, the day it was read, the confidence given it."""

    url: str
    date: date
    confidence: Confidence


class InputFact(BaseModel):
    """A table row a calculation used: which, and where its figures were published. The
    twin names its sources by id (`TwinInputFact`)."""

    unpublished: ClassVar[frozenset[str]] = frozenset({"urls", "readings", "pack", "line"})

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


class FxConversion(TwinFx):
    """A currency conversion a figure made: published as it is."""

    unpublished: ClassVar[frozenset[str]] = frozenset()


class CalcInput(TwinInput):
    """One parameter of a figure as it was used, published without `after`."""

    unpublished: ClassVar[frozenset[str]] = frozenset({"after", "before"})

    after: str = ""
    """What follows the number for people (`costcore.results.InputValue.after`)."""
    before: str = ""
    """What comes before it: an amount's currency symbol (`InputValue.before`)."""


class Driver(TwinDriver):
    """A ranged input's swing, with its ends as the page shows them."""

    unpublished: ClassVar[frozenset[str]] = frozenset({"low_text", "high_text", "phrase"})

    label: str = ""
    low_text: str = ""
    high_text: str = ""
    phrase: str = ""
    """The label as it reads inside a sentence: the parameter's label as its author wrote
    it (`Kubernetes ops work` keeps its capital, `worker node type` its small letter)."""


class Calculation(BaseModel):
    """A `[calc:]` marker, evaluated by the cost core (published as `TwinCalculation`)."""

    unpublished: ClassVar[frozenset[str]] = frozenset(
        {"models", "line", "col", "ref", "section_id", "unread", "unsigned_shares"}
    )

    id: str
    calculator: str
    title: str = ""
    inputs: dict[str, str | int | float | bool]
    params: list[CalcInput] = Field(default_factory=list)
    derived: dict[str, str | int | float | bool] = Field(default_factory=dict)
    derived_units: dict[str, str] = Field(default_factory=dict)
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
    unread: list[str] = Field(default_factory=list)
    """Parameters the marker gives that the model never reads (lint's `unused-param`)."""
    unsigned_shares: list[str] = Field(default_factory=list)
    """Parameters in `%` given a bare number between 0 and 1 (lint's `share-without-sign`)."""
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


class ChartPoint(TwinChartPoint):
    """A point of a chart's line: published as it is."""

    unpublished: ClassVar[frozenset[str]] = frozenset()


class ChartLine(BaseModel):
    """A line of a chart; the twin writes its parameters typed (`TwinChartLine`)."""

    unpublished: ClassVar[frozenset[str]] = frozenset()

    label: str
    model: str
    params: dict[str, str]
    points: list[ChartPoint]


class Crossing(TwinCrossing):
    """Where two lines of a chart swap order, with the place as the page shows it."""

    unpublished: ClassVar[frozenset[str]] = frozenset({"x_text", "y_text"})

    x_text: str = ""
    y_text: str = ""


class ChartRow(BaseModel):
    """One row of the chart's data table, as the page shows it."""

    x: str
    ys: list[str]


class ChartBar(TwinBar):
    """One bar of a tornado chart, with its ends as the page shows them."""

    unpublished: ClassVar[frozenset[str]] = frozenset({"low_text", "high_text"})

    low_text: str
    high_text: str


class Chart(BaseModel):
    """A ```` ```chart ```` block, computed by the cost core (published as `TwinChart`)."""

    unpublished: ClassVar[frozenset[str]] = frozenset(
        {"rows", "models", "source_lines", "x_label", "form"}
    )

    id: str
    kind: Literal["models", "breakeven", "tornado"]
    title: str
    description: str
    x_param: str
    x_label: str = ""
    """The x parameter's label, as the page heads the data table with it."""
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
    form: bool = False
    """Whether the page offers readers a form to redraw it (a number on its lines)."""
