"""What one evaluation returns: the value with its inputs, steps, sources and
conversions (`Result`), and its published JSON shape (`citeguide calc --json`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from citeguide.costcore.quantities import plain
from citeguide.costcore.table_data import FxUse, TableRow


@dataclass(frozen=True)
class InputValue:
    """One parameter of the evaluated model as it was used."""

    name: str
    label: str
    value: Any
    """The number in `unit`, the flag, the currency, or the row id."""
    unit: str | None
    origin: str
    """`given` (in the marker), `default` (from the model)."""
    row: tuple[str, str] | None = None
    """(table, row id) when a row was given."""
    number: Any = None
    """For a parameter given a row, the number read from it (in `unit`)."""
    after: str = ""
    """What follows the number when it is written with its unit for people: ` seats`,
    `%`, ` kWh/year` (the unit's plural, unless the number is 1), `/year` after an
    amount (`before` holds its currency); empty for a plain number or none."""
    before: str = ""
    """What comes before the number: an amount's currency symbol where the locale writes
    it first (`£` of `£200/year`)."""


@dataclass
class Result:
    """A computed value with everything needed to show, check and cite it."""

    calculator: str
    title: str
    inputs: dict[str, Any]
    params: list[InputValue]
    value: Decimal
    unit: str
    display: str
    formula: str
    steps: list[str]
    sources: list[TableRow]
    fx: list[FxUse]
    flags: dict[str, bool] = field(default_factory=dict)
    derived: dict[str, Any] = field(default_factory=dict)
    derived_units: dict[str, str] = field(default_factory=dict)
    """The unit of each number in `derived` (`values.published_lets`)."""
    uncited: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    """Parameters the marker gave that the model never reads (`params_read`)."""
    unsigned_shares: list[str] = field(default_factory=list)
    """Parameters in `%` the marker gave a bare number between 0 and 1 (`unsigned_share`)."""
    """Parameters that take a cited row but were given a typed number."""
    read: list[str] = field(default_factory=list)
    """Parameters the evaluation read (the branch taken)."""
    low: Decimal | None = None
    high: Decimal | None = None
    drivers: list[dict[str, Any]] = field(default_factory=list)
    """For a ranged figure: each ranged input's swing (value at its low and high)."""
    monotone: bool = True

    @property
    def extra(self) -> dict[str, Any]:
        """`feasible` and other flags, as the old calculators reported them."""
        return dict(self.flags)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `citeguide calc --json`."""
        data: dict[str, Any] = {
            "calculator": self.calculator,
            "model": self.calculator,
            "title": self.title,
            "inputs": self.inputs,
            "params": [_input_dict(p) for p in self.params],
            "derived": self.derived,
            "derived_units": self.derived_units,
            "value": plain(self.value),
            "unit": self.unit,
            "display": self.display,
            "formula": self.formula,
            "steps": self.steps,
            "sources": sorted({c.url for r in self.sources for c in r.citations}),
            "facts": [fact_dict(r) for r in self.sources],
            "fx": [
                {
                    "id": x.id,
                    "base": x.base,
                    "quote": x.quote,
                    "rate": plain(x.rate),
                    "date": x.date.isoformat(),
                }
                for x in self.fx
            ],
            "uncited": self.uncited,
        }
        if self.low is not None and self.high is not None:
            data["low"], data["high"] = plain(self.low), plain(self.high)
            data["drivers"] = self.drivers
            data["monotone"] = self.monotone
        data.update(self.flags)
        return data


def _input_dict(p: InputValue) -> dict[str, Any]:
    data = {"name": p.name, "label": p.label, "value": p.value, "unit": p.unit,
            "origin": p.origin}  # fmt: skip
    if p.row is not None:
        data["table"], data["row"] = p.row
        data["number"] = p.number
    return data


def fact_dict(row: TableRow) -> dict[str, Any]:
    """A table row used by a calculation, as published."""
    data: dict[str, Any] = {
        "table": row.table,
        "id": row.id,
        "url": row.url,
        "date": row.date.isoformat(),
        "confidence": row.confidence,
        "sources": [
            {"url": c.url, "date": c.date.isoformat(), "confidence": c.confidence}
            for c in row.citations
        ],
    }
    if row.as_of is not None:
        data["as_of"] = row.as_of.isoformat()
    if row.estimate:
        data["estimate"] = True
    if row.note:
        data["note"] = row.note
    return data
