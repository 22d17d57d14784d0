"""Calculator parameters: their kinds, defaults, ranges, and how raw text becomes a value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from citeguide.costcore.quantities import CalcError, looks_numeric, parse_bool, parse_number
from citeguide.costcore.tables import Tables

Value = Decimal | bool | str


@dataclass(frozen=True)
class Param:
    """One parameter of a calculator."""

    name: str
    kind: str
    """tokens, share, money, api_price, number, positive, months, hours, bool, currency,
    or a table reference: model, hardware, gpu_hourly, capex, throughput, pue, electricity."""
    help: str
    default: str | None = None
    """Text of the default value; None means no default."""

    def describe(self) -> str:
        default = f" (default {self.default})" if self.default is not None else ""
        return f"{self.name}{default}: {self.help}"


_REFERENCE_TABLES = {
    "model": "api_prices",
    "hardware": "hardware",
    "gpu_hourly": "gpu_prices",
    "capex": "gpu_prices",
    "throughput": "throughput",
    "pue": "running_costs",
    "electricity": "running_costs",
}
"""Kinds whose value may name a table row instead of giving a number."""


def _ranged(low: Decimal | None, high: Decimal | None, what: str) -> Callable[[str, str], Decimal]:
    def parse(text: str, name: str) -> Decimal:
        number = parse_number(text, name)
        if (low is not None and number < low) or (high is not None and number > high):
            raise CalcError(f"{name}={text} is out of range: {what}", name)
        return number

    return parse


_NUMERIC: dict[str, Callable[[str, str], Decimal]] = {
    "tokens": _ranged(Decimal(0), None, "tokens cannot be negative"),
    "share": _ranged(Decimal(0), Decimal(1), "a share lies between 0 and 1"),
    "money": _ranged(Decimal(0), None, "amounts cannot be negative"),
    "api_price": _ranged(Decimal(0), None, "prices cannot be negative"),
    "number": _ranged(Decimal(0), None, "cannot be negative"),
    "positive": _ranged(Decimal("1e-9"), None, "must be greater than 0"),
    "months": _ranged(Decimal(1), Decimal(600), "between 1 and 600 months"),
    "hours": _ranged(Decimal("1e-9"), Decimal(744), "between 0 and 744 hours in a month"),
    "bits": _ranged(Decimal(1), Decimal(64), "bits per parameter lie between 1 and 64"),
}


_REFERENCE_NUMBERS: dict[str, Callable[[str, str], Decimal]] = {
    "gpu_hourly": _NUMERIC["money"],
    "capex": _NUMERIC["money"],
    "electricity": _NUMERIC["money"],
    "throughput": _NUMERIC["positive"],
    "pue": _ranged(Decimal(1), Decimal(5), "PUE lies between 1 and 5"),
}
"""Reference kinds that also take a plain number, and the number's range."""


def parse_value(param: Param, text: str, tables: Tables) -> Value:
    """Turn the text of one `key=value` into a number, a flag, a currency or a row id."""
    kind, name = param.kind, param.name
    if kind == "bool":
        return parse_bool(text, name)
    if kind == "currency":
        code = text.strip().upper()
        if code not in tables.currencies():
            known = ", ".join(sorted(tables.currencies()))
            raise CalcError(f"currency={text}: no exchange rate for it (known: {known})", name)
        return code
    if kind in _REFERENCE_TABLES:
        if looks_numeric(text) and kind in _REFERENCE_NUMBERS:
            return _REFERENCE_NUMBERS[kind](text, name)
        return _row_id(param, text, tables)
    return _NUMERIC[kind](text, name)


def _row_id(param: Param, text: str, tables: Tables) -> str:
    ref = text.strip()
    table = _REFERENCE_TABLES[param.kind]
    # gpu prices may also be named by their hardware row
    candidates = [table, "hardware"] if table == "gpu_prices" else [table]
    if any(ref in tables.table(t) for t in candidates):
        return ref
    known = sorted(k for t in candidates for k in tables.table(t))
    hint = f"; known: {', '.join(known)}" if known else f"; {table}.yaml has no rows"
    shown = ref if len(ref) <= 60 else ref[:40] + "…"
    raise CalcError(f"{param.name}={shown}: no such row in {table}.yaml{hint}", param.name)
