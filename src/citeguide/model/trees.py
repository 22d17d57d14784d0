"""The twin's models and tables as data: expression trees an agent can evaluate
(docs/twin.md, "Recomputing a figure")."""

from __future__ import annotations

from datetime import date
from typing import Literal

from citeguide.model.common import Confidence, Date, _Compact


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
    relabel: bool = False
    """`num`: a 1 in a unit of counts only (`1[input_token/token]`), which says what a
    number counts; the steps leave it out of a product."""
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
    bounds: str | None = None
    """`min` and `max` in words, as a refusal gives them: `between 0 and 365/year`."""
    optional: bool = False
    """May be left out; `given(name)` tells."""


class TwinLet(_Compact):
    name: str
    """Its name in the formulas."""
    label: str
    """What it is, in plain words."""
    expr: TwinExpr
    """Its expression; evaluated on first use."""
    currency: str | None = None
    """The currency its declared unit names (`GBP`): a value in another currency is
    converted into it through `fx.yaml` once evaluated. Absent when the unit names none."""


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
    `plain`: number and `tail` (`%`, `/year` glued to it); `percent` (no longer written):
    number and `%`."""
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
    `noun_many` (the counted thing), `one`, `many` (the unit after 1 or another number),
    `after_one`, `after_many` (what follows the number: ` years`, `%`, `/year`)."""


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
