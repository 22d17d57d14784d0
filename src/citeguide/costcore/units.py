"""Units: named units with exact factors, unit expressions, dimensions and conversions.

Written here rather than taken from pint because the cost core needs what pint does not
give together: exact Decimal arithmetic (pint turns scale factors into floats when its
`non_int_type` is Decimal, hgrecco/pint#1258), a currency per ISO 4217 code that converts
only through a cited exchange-rate row, three kinds of token that never convert into one
another, a 730-hour month and an 8,760-hour year, and a unit table small enough to send to
the browser's evaluator as data. Factors are Fractions, so `GBP/day` → `GBP/year` is ×365
exactly.

A `Unit` keeps the named units an author wrote (`GBP/kWh`), so products cancel by name
(`kWh/year × GBP/kWh = GBP/year`) and steps read as written; its dimensions and scale come
from the named units' definitions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from babel.numbers import list_currencies

from citeguide.costcore.unit_names import COUNT_NAME, unknown_unit

MONEY = "money"
SIGNS = frozenset({"%", "ppm"})
"""Units that are a number's own sign: `5%` is 0.05, and `× 5%` reads as such."""
"""The dimension of every currency, and the unit name meaning "the evaluation's currency"."""
CURRENCIES = frozenset(code for code in list_currencies() if re.fullmatch(r"[A-Z]{3}", code))

_E3, _E6, _E9 = Fraction(10**3), Fraction(10**6), Fraction(10**9)
_HOUR = Fraction(3600)
_J = {"kg": 1, "m": 2, "s": -2}
_W = {"kg": 1, "m": 2, "s": -3}


@dataclass(frozen=True)
class Named:
    """One named unit: its scale in base units, its dimensions, its words."""

    name: str
    scale: Fraction
    dims: Mapping[str, int]
    singular: str
    plural: str


def _defs() -> dict[str, Named]:
    table: dict[str, Named] = {}

    def add(names: str, scale: Fraction | int, dims: Mapping[str, int], plural: str = "") -> None:
        first, *aliases = names.split()
        unit = Named(first, Fraction(scale), dict(dims), first, plural or first)
        for name in [first, *aliases]:
            table[name] = unit

    add("%", Fraction(1, 100), {})
    add("ppm", Fraction(1, 10**6), {})
    # time: a month is 730 hours (8,760 / 12), a year 8,760 hours (365 days)
    add("s second seconds sec", 1, {"s": 1}, "s")
    add("min minute minutes", 60, {"s": 1}, "min")
    add("h hour hours hr", _HOUR, {"s": 1}, "h")
    add("day days", 24 * _HOUR, {"s": 1}, "days")
    add("week weeks", 168 * _HOUR, {"s": 1}, "weeks")
    add("month months", 730 * _HOUR, {"s": 1}, "months")
    add("year years yr", 8760 * _HOUR, {"s": 1}, "years")
    # energy and power
    for prefix, scale in (("", 1), ("k", _E3), ("M", _E6), ("G", _E9), ("T", _E9 * _E3)):
        add(f"{prefix}J", scale, _J)
        add(f"{prefix}W", scale, _W)
        add(f"{prefix}Wh", scale * _HOUR, _J)
    add("therm therms", 105_505_585, _J, "therms")  # the UK therm, 100,000 BTU (IT)
    # mass, length, area, volume, temperature difference
    add("g gram grams", Fraction(1, 1000), {"kg": 1})
    add("kg", 1, {"kg": 1})
    add("t tonne tonnes", 1000, {"kg": 1}, "t")
    add("mm", Fraction(1, 1000), {"m": 1})
    add("cm", Fraction(1, 100), {"m": 1})
    add("m metre metres", 1, {"m": 1}, "m")
    add("km", 1000, {"m": 1})
    add("L litre litres liter liters", Fraction(1, 1000), {"m": 3}, "L")
    add("mL", Fraction(1, 10**6), {"m": 3})
    add("K kelvin", 1, {"K": 1})
    # data, in decimal multiples as drives and GPUs are sold (a GB is 10^9 bytes)
    add("bit bits", 1, {"bit": 1}, "bits")
    add("B byte bytes", 8, {"bit": 1}, "B")
    for prefix, scale in (("k", _E3), ("M", _E6), ("G", _E9), ("T", _E9 * _E3), ("P", _E6**2)):
        add(f"{prefix}B", 8 * scale, {"bit": 1})
    for count in COUNTS:  # counts that never convert into one another
        add(f"{count} {count}s", 1, {count: 1}, f"{count}s")
    return table


COUNTS = ("token", "input_token", "output_token", "request", "GPU", "parameter")
UNITS = _defs()
_TOKEN = re.compile(
    r"\s*(?:(?P<num>[0-9][0-9_,]*(?:\.[0-9]+)?)(?P<suffix>[kMB](?![A-Za-z_]))?"
    r"|(?P<name>%|[A-Za-z_][A-Za-z0-9_]*)|(?P<sup>[⁻]?[⁰¹²³⁴-⁹]+)|(?P<pow>\*\*)"
    r"|(?P<op>[/*·^()]|-?[0-9]+))"
)
_SUPERSCRIPT = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
"""`m²`, `m³`, `s⁻¹`: a power written as a superscript, read as `m^2`, `m^3`, `s^-1`."""
_SUFFIX = {"k": _E3, "M": _E6, "B": _E9}
MAX_UNIT_TEXT = 120


class UnitError(ValueError):
    """A unit expression that cannot be read or two units that do not match."""


@dataclass(frozen=True)
class Unit:
    """A unit expression: a numeric factor and named units with integer exponents."""

    terms: tuple[tuple[str, int], ...] = ()
    """Named units in the order written, numerator and denominator (negative powers)."""
    factor: Fraction = Fraction(1)
    """A number written in the unit, such as the 1M of `USD/1M token` (here 1/10^6)."""
    extra: Mapping[str, Named] = field(default_factory=dict, compare=False, hash=False)
    """The site's own count units, known to this unit."""

    @cached_property
    def dims(self) -> tuple[tuple[str, int], ...]:
        """Base dimensions with exponents, sorted; every currency counts as `money`."""
        total: dict[str, int] = {}
        for name, power in self.terms:
            for dim, exp in self._named(name).dims.items():
                total[dim] = total.get(dim, 0) + exp * power
        return tuple(sorted((d, e) for d, e in total.items() if e))

    @cached_property
    def scale(self) -> Fraction:
        """The unit in base units (seconds, joules, bits, ...; currencies count as 1)."""
        value = self.factor
        for name, power in self.terms:
            value *= self._named(name).scale ** power
        return value

    @property
    def currency(self) -> str | None:
        """The currency (ISO code or `money`) this unit names, if any."""
        return next((n for n, _ in self.terms if is_money(n)), None)

    @property
    def money_power(self) -> int:
        """The power of money in this unit: 1 in GBP/kWh, -1 in kWh/GBP, 0 in kWh."""
        return sum(p for n, p in self.terms if is_money(n))

    @property
    def dimensionless(self) -> bool:
        return not self.dims

    def _named(self, name: str) -> Named:
        if is_money(name):
            return Named(name, Fraction(1), {MONEY: 1}, name, name)
        return self.extra.get(name) or UNITS[name]

    def __mul__(self, other: Unit) -> Unit:
        return _combine(self, other, 1)

    def __truediv__(self, other: Unit) -> Unit:
        return _combine(self, other, -1)

    def power(self, exp: int) -> Unit:
        return Unit(tuple((n, p * exp) for n, p in self.terms), self.factor**exp, self.extra)

    def with_currency(self, code: str) -> Unit:
        """The same unit in currency `code` (replacing `money` or another currency)."""
        terms = tuple((code if is_money(n) else n, p) for n, p in self.terms)
        return Unit(terms, self.factor, self.extra)

    def without_currency(self) -> Unit:
        """The same unit without its currency: `GBP/year` → `1/year`."""
        terms = tuple((n, p) for n, p in self.terms if not is_money(n))
        return Unit(terms, self.factor, self.extra)

    def same_dims(self, other: Unit) -> bool:
        return self.dims == other.dims

    def to(self, other: Unit) -> Fraction:
        """The factor turning a value in this unit into `other` (same dimensions)."""
        if self.dims != other.dims:
            raise UnitError(f"{self} cannot convert to {other}")
        return self.scale / other.scale

    def text(self, *, plural: bool = False) -> str:
        """The unit as written for people: `kWh/year`, `days/year`, `USD/1M input tokens`."""
        top = [(n, p) for n, p in self.terms if p > 0]
        bottom = [(n, -p) for n, p in self.terms if p < 0]
        upper = " ".join(
            self._word(n, p, plural and i == len(top) - 1) for i, (n, p) in enumerate(top)
        )
        if self.factor.numerator != 1:
            upper = f"{_scale_text(self.factor.numerator)} {upper}".strip()
        lower = [self._word(n, p, False) for n, p in bottom]
        if lower and self.factor.denominator != 1:
            first_name, first_power = bottom[0]
            lower[0] = f"{_scale_text(self.factor.denominator)} " + self._word(
                first_name, first_power, True
            )
        return "/".join([upper or "1", *lower])

    def kind_text(self) -> str:
        """The unit without a factor it was left with, for saying what kind of quantity a
        value is: `L/100 km × km/year` is `L/year`, not `L/100 years` (a factor whose own
        term cancelled is no unit of anyone's, and two kinds differ whatever the factor);
        a share of a quantity is that quantity (`kWh/day`, not `kWh %/day`)."""
        terms = tuple((n, p) for n, p in self.terms if n not in SIGNS) or self.terms
        return Unit(terms, Fraction(1), self.extra).text()

    def _word(self, name: str, power: int, many: bool) -> str:
        named = self._named(name)
        word = named.plural if many and power == 1 else named.singular
        return word.replace("_", " ") + (f"^{power}" if power != 1 else "")

    def __str__(self) -> str:
        return self.text()


def _scale_text(scale: int) -> str:
    for suffix, size in (("B", 10**9), ("M", 10**6), ("k", 10**3)):
        if scale % size == 0 and scale // size < 1000:
            return f"{scale // size}{suffix}"
    return f"{scale:,}"


def _combine(a: Unit, b: Unit, sign: int) -> Unit:
    powers: dict[str, int] = {}
    for name, power in [*a.terms, *((n, p * sign) for n, p in b.terms)]:
        powers[name] = powers.get(name, 0) + power
    terms = tuple((n, p) for n, p in powers.items() if p)
    factor = a.factor * (b.factor if sign > 0 else 1 / b.factor)
    return Unit(terms, factor, {**a.extra, **b.extra})


ONE = Unit()


def after_number(text: str) -> str:
    """What follows a number in the unit written `text`, the one rule for steps, figures,
    inputs and forms: `%` and a per-unit glued to it (`5%`, `3%/year`, `12/year`, not
    `12 1/year`), another unit after a space (`12 kWh`), a plain number's nothing."""
    if text in ("", "1"):
        return ""
    return text[1:] if text.startswith("1/") else text if text[0] == "%" else f" {text}"


def relabels(unit: Unit) -> bool:
    """A unit of counts only, worth exactly 1 (`input_token/token`, `GPU`): a number
    written in it says what it counts, as `1[input_token/token]` does in a formula."""
    return (
        unit != ONE
        and unit.scale == 1
        and all(unit._named(name).dims == {name: 1} for name, _ in unit.terms)
    )


def count_units(names: Iterable[str]) -> dict[str, Named]:
    """The site's own count units (`seat`, `node`): each its own dimension."""
    return {
        spelled: Named(name, Fraction(1), {name: 1}, name, f"{name}s")
        for name in names
        for spelled in (name, f"{name}s")
    }


def parse_unit(text: str, extra: Mapping[str, Named] | None = None) -> Unit:
    """`GBP/kWh`, `kWh/year`, `USD/1M input_token`, `W/K`, `1`; raises UnitError.

    A product binds tighter than `/` (`USD/1M token` is USD per million tokens) and
    each `/` divides by what follows up to the next `/`, as in `GBP/GPU/h`.
    """
    extra = dict(extra or {})
    source = str(text).strip()
    if not source:
        raise UnitError("a unit cannot be empty (write 1 for a plain number)")
    if len(source) > MAX_UNIT_TEXT:
        raise UnitError(f"a unit is at most {MAX_UNIT_TEXT} characters")
    tokens = _tokens(source)
    pos = 0

    def peek() -> tuple[str, str] | None:
        return tokens[pos] if pos < len(tokens) else None

    def atom(depth: int) -> Unit:
        nonlocal pos
        token = peek()
        if token is None:
            raise UnitError(f"unit {source!r} ends too early")
        kind, value = token
        pos += 1
        if kind == "(":
            if depth > 4:
                raise UnitError(f"unit {source!r} nests too deeply")
            inner = quotient(depth + 1)
            if peek() != (")", ")"):
                raise UnitError(f"unit {source!r} has an unclosed (")
            pos += 1
            unit = inner
        elif kind == "num":
            unit = Unit((), Fraction(value), extra)
        elif kind == "name":
            known = value in UNITS or value in extra or value in CURRENCIES or value == MONEY
            if not known:
                names = {*UNITS, *extra, MONEY}
                raise UnitError(unknown_unit(value, names, CURRENCIES))
            canonical = value if value in CURRENCIES or value == MONEY else _canon(value, extra)
            unit = Unit(((canonical, 1),), Fraction(1), extra)
        else:
            raise UnitError(f"unit {source!r}: unexpected {value!r}")
        nxt = peek()
        if nxt is not None and nxt[0] == "^":
            pos += 1
            exp = peek()
            if exp is None or exp[0] != "int" or abs(int(exp[1])) > 4 or int(exp[1]) == 0:
                raise UnitError(f"unit {source!r}: a power is a whole number from -4 to 4")
            pos += 1
            unit = unit.power(int(exp[1]))
        return unit

    def product(depth: int) -> Unit:
        nonlocal pos
        unit = atom(depth)
        while True:
            token = peek()
            if token is None or token[0] in ("/", ")"):
                return unit
            if token[0] == "*":
                pos += 1
            unit = unit * atom(depth)

    def quotient(depth: int) -> Unit:
        nonlocal pos
        unit = product(depth)
        while peek() is not None and peek() == ("/", "/"):
            pos += 1
            unit = unit / product(depth)
        return unit

    result = quotient(0)
    if pos != len(tokens):
        raise UnitError(f"unit {source!r}: unexpected {tokens[pos][1]!r}")
    if result.terms == () and result.factor != 1:
        raise UnitError(f"unit {source!r} is only a number")
    return result


def _canon(name: str, extra: Mapping[str, Named]) -> str:
    named = extra.get(name) or UNITS[name]
    return named.name


def _tokens(source: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(source):
        if source[pos].isspace():
            pos += 1
            continue
        match = _TOKEN.match(source, pos)
        if match is None or match.end() == pos:
            code = SYMBOLS.get(source[pos])
            if code is not None:
                raise UnitError(f"unit {source!r}: write a currency as its ISO 4217 code "
                                f"({source[pos]} is {code})")  # fmt: skip
            raise UnitError(f"unit {source!r}: cannot read {source[pos : pos + 10]!r}")
        pos = match.end()
        if match["num"] is not None:
            prev = tokens[-1][0] if tokens else None
            digits = match["num"].replace(",", "").replace("_", "")
            if prev == "^":
                tokens.append(("int", digits))
                continue
            value = Fraction(digits) * _SUFFIX.get(match["suffix"] or "", Fraction(1))
            tokens.append(("num", str(value)))
        elif match["name"] is not None:
            tokens.append(("name", match["name"]))
        elif match["sup"] is not None:
            tokens += [("^", match["sup"]), ("int", match["sup"].translate(_SUPERSCRIPT))]
        elif match["pow"] is not None:
            tokens.append(("^", "**"))  # m**3, as in Python and pint
        else:
            op = match["op"]
            if op.lstrip("-").isdigit():
                tokens.append(("int", op))
            else:
                tokens.append(("*" if op == "·" else op, op))
    return tokens


SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD", "¥": "JPY or CNY", "₹": "INR", "₩": "KRW"}
"""Currency symbols authors type where a unit wants an ISO 4217 code."""


def count_clash(name: str) -> str | None:
    """Why `name` cannot be a count unit of the site's own, or None: it (or its plural,
    which the site's count units accept too) already names a unit that is not the same
    count. `count = ["hour"]` made `USD/hour` a price per hour-count, never converted
    from `USD/h`, and `count = ["USD"]` a count beside the currency."""
    for spelled in (name, f"{name}s"):
        if spelled in CURRENCIES or spelled == MONEY:
            return f"{spelled!r} is a currency, not a count of things"
        named = UNITS.get(spelled)
        if named is not None and dict(named.dims) != {name: 1}:
            return (f"{spelled!r} is already citeguide's unit {named.name} (docs/models.md, "
                    "Units): a count unit needs a name of its own")  # fmt: skip
    return None


def count_name_problem(name: str) -> str | None:
    """Why `[units] count` refuses `name`, in words, or None."""
    if not re.fullmatch(COUNT_NAME, name):
        return (f"{name!r} cannot name a count unit: 2 to 31 letters or `_`, starting with "
                'a letter (such as "seat", "node" or "vCPU")')  # fmt: skip
    return count_clash(name)


def is_money(name: str) -> bool:
    """A currency code, or `money` (the evaluation's currency)."""
    return name == MONEY or name in CURRENCIES


def times(num: Decimal, factor: Fraction) -> Decimal:
    """`num` multiplied by an exact conversion factor (a whole one without a division)."""
    if factor == 1:
        return num
    if factor.denominator == 1:
        return num * factor.numerator
    return num * factor.numerator / factor.denominator


def mismatch(a: Unit, b: Unit, what: str) -> str:
    """The message for two units that do not match: both named, in words."""
    return f"{what}: {a.kind_text()} and {b.kind_text()} are different kinds of quantity"
