"""Tables as formulas see them: typed columns, cited rows, and a site's tables with its
exchange rates. Built from files by `table_loading.py`; the core does no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from citeguide.costcore.quantities import CalcError, Range
from citeguide.costcore.table_schema import Confidence
from citeguide.costcore.units import Unit

_RANK = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class Column:
    """One column of a table: a quantity in `unit`, or text, a currency, a row of `ref`."""

    name: str
    kind: Literal["quantity", "text", "currency", "ref", "bool"]
    unit: Unit | None = None
    ref: str | None = None
    label: str = ""


@dataclass(frozen=True)
class Citation:
    url: str
    date: date
    confidence: Confidence


@dataclass(frozen=True)
class TableRow:
    """One row: its values (quantities in their column's unit), and where they came from."""

    table: str
    id: str
    values: Mapping[str, Decimal | Range | str | bool]
    citations: tuple[Citation, ...]
    as_of: date | None = None
    estimate: bool = False
    note: str | None = None
    absent: Mapping[str, str] = field(default_factory=dict)
    """Columns this row does not have, and why (`a purchase price, not a rental price`)."""
    shown: tuple[tuple[str, str | int | float | bool], ...] = ()
    """The row's own figures and labels as its file states them, for readers and agents."""

    @property
    def date(self) -> date:
        """The day of its newest source reading."""
        return max(c.date for c in self.citations)

    @property
    def confidence(self) -> Confidence:
        """Its weakest source's confidence."""
        return min((c.confidence for c in self.citations), key=_RANK.__getitem__)

    @property
    def url(self) -> str:
        return self.citations[0].url


@dataclass
class Table:
    name: str
    columns: dict[str, Column]
    rows: dict[str, TableRow] = field(default_factory=dict)
    currency_column: str | None = None
    """The column naming each row's currency, for columns whose unit says `money`."""
    bundled: bool = False
    broken_columns: frozenset[str] = frozenset()
    """Columns declared with errors (an unknown unit): each has its own error at its
    declaration, and a formula reading one is told so, not that it does not exist."""
    file: str = ""
    """The file the table was read from, as messages name it."""
    title: str = ""
    """What the table holds, in plain words (its file's `title`)."""

    @property
    def reader_name(self) -> str:
        """What a reader calls the table: its title (`Flat prices by city`), else its
        name in words (`the api prices table`), never its file's name."""
        return self.title or f"the {self.name.replace('_', ' ')} table"

    def describe(self) -> str:
        return ", ".join(
            f"{c.name} ({c.unit})" if c.unit is not None else f"{c.name} ({c.kind})"
            for c in self.columns.values()
        )


@dataclass(frozen=True)
class FxUse:
    """A currency conversion made by a calculation."""

    id: str
    base: str
    quote: str
    rate: Decimal
    date: date


@dataclass
class Tables:
    """All input tables of a site, validated and cross-checked."""

    tables: dict[str, Table] = field(default_factory=dict)
    origins: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    """(table, row id) → (file, 1-based line) where the row is defined."""
    unreadable: dict[str, str] = field(default_factory=dict)
    """Table → its file, for a table file that cannot be read (its error is its own)."""
    broken: dict[tuple[str, str], str] = field(default_factory=dict)
    """(table, row id) → its file, for a row declared with errors (and so left out)."""

    def missing_table(self, name: str) -> str:
        """Why table `name` is not there, when its file is: "" otherwise."""
        rel = self.unreadable.get(name)
        return f"table {name} cannot be read: {rel} has errors" if rel else ""

    def broken_row(self, table: str, row: str) -> str:
        """Why row `row` of `table` is not there, when it is declared: "" otherwise."""
        rel = self.broken.get((table, row))
        if not rel:
            return ""
        return f"row {row} of {table} cannot be used: its declaration in {rel} has errors"

    def broken_column(self, table: str, column: str) -> str:
        """Why `column` of `table` is not there, when it is declared: "" otherwise."""
        found = self.tables.get(table)
        if found is None or column not in found.broken_columns:
            return ""
        return (f"column {column} of {table} cannot be used: its declaration in "
                f"{found.file or table + '.yaml'} has errors")  # fmt: skip

    def get(self, name: str) -> Table | None:
        return self.tables.get(name)

    def rows(self) -> list[TableRow]:
        return [row for table in self.tables.values() for row in table.rows.values()]

    def fx_rate(self, base: str, quote: str) -> tuple[FxUse, Decimal]:
        """The factor turning an amount in `base` into `quote`, and the row it came from."""
        fx = self.tables.get("fx")
        for row_id, row in sorted(fx.rows.items()) if fx else []:
            b, q, rate = row.values["base"], row.values["quote"], row.values["rate"]
            assert isinstance(rate, Decimal)
            if (b, q) == (base, quote):
                return FxUse(row_id, base, quote, rate, row.date), rate
            if (b, q) == (quote, base):
                return FxUse(row_id, str(b), str(q), rate, row.date), 1 / rate
        raise CalcError(f"no exchange rate between {base} and {quote} in fx.yaml", "currency")

    def currencies(self) -> set[str]:
        found: set[str] = set()
        fx = self.tables.get("fx")
        for row in fx.rows.values() if fx else []:
            found |= {str(row.values["base"]), str(row.values["quote"])}
        return found
