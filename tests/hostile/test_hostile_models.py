"""Hostile models and tables (issue 19): every loader and the evaluator attacked in turn.

Unknown units and names (with the nearest name offered), unit mismatches wherever two
quantities meet, cycles, arithmetic that cannot be done, every bound (formula length,
nesting, exponents, digits, ranged inputs, name length, nesting through `let` values and
model calls), YAML that is not what a model needs, and tables whose cells are not their
columns'. For each, `citeguide build`, `citeguide lint` and `citeguide calc` must answer
with `PATH:LINE:COL: error: MESSAGE [rule]` at the offending key or, inside a formula, at
the offending token (exit 1; a `calc` whose own arguments are refused: exit 2 with the
message), never a traceback, never a `site/`, and never hang.

Every command of every case runs through the real command line in one process
(tests/hostile/cli_driver.py): an alarm stops any command still running after a minute.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conftest import growth, guide_text, write_site

DRIVER = Path(__file__).with_name("cli_driver.py")
M = "content/models/m.yaml"
T = "content/data/tariffs.yaml"
G = "content/guides/demo.md"
CITE = "    source: https://example.org/tariffs\n    date: 2026-04-01\n    confidence: high\n"
TARIFFS = (
    "columns:\n  fuel: text\n  price: GBP/kWh\n  standing: GBP/day\nrows:\n"
    "  elec:\n    fuel: electricity\n    price: 0.2611\n    standing: 0.5719\n" + CITE
    + "  gas:\n    fuel: gas\n    price: 0.0629\n    standing: 0.3\n" + CITE
    + "  gas-fixed:\n    fuel: gas\n    price: 0.07\n    standing: 0.3\n" + CITE
)  # fmt: skip
RUNNING = """\
running_cost:
  title: Yearly cost of a fuel used for heating
  unit: GBP/year
  params:
    demand: {unit: kWh/year, min: 0, label: heat the house needs a year}
    tariff: {table: tariffs, label: tariff}
  formula: demand * tariff.price + tariff.standing
"""


def model(formula: str = "x", params: str = "    x: {unit: GBP}\n", unit: str = "GBP",
          extra: str = "", name: str = "a") -> str:  # fmt: skip
    """A model named `name` whose formula is on line 6 (after the running_cost model when
    joined to RUNNING, on line 13)."""
    return f"{name}:\n  title: A\n  unit: {unit}\n  params:\n{params}  formula: {formula}\n{extra}"


def pos(text: str, needle: str, shift: int = 0) -> str:
    """`LINE:COL` (1-based) of the first `needle` in `text`, `shift` characters on."""
    index = text.index(needle) + shift
    line = text.count("\n", 0, index) + 1
    return f"{line}:{index - (text.rfind(chr(10), 0, index) + 1) + 1}"


@dataclass
class Case:
    """A site whose `path` has a problem at `at` (`LINE:COL`): `message` with `rule`."""

    id: str
    files: dict[str, str]
    path: str
    at: str
    message: str
    rule: str
    calc: list[str] = field(default_factory=lambda: ["--list"])
    """What `citeguide calc` is asked; a marker case asks its marker's model and values."""
    calc_usage: bool = False
    """The marker's own values are refused: `calc` exits 2 with the message, no position."""


def file_case(id: str, text: str, needle: str, message: str, rule: str, *, shift: int = 0,
              path: str = M, extra: dict[str, str] | None = None) -> Case:  # fmt: skip
    files = {T: TARIFFS, path: text, **(extra or {})}
    return Case(id, files, path, pos(text, needle, shift), message, rule)


def marker_case(id: str, models: str, marker: str, needle: str, message: str,
                extra: dict[str, str] | None = None) -> Case:  # fmt: skip
    """A model that compiles, refused at a marker: build and lint point at `needle` in the
    guide; `calc` with the same values refuses them (exit 2)."""
    guide = guide_text() + f"\nThe figure is [calc: {marker}] for the year.\n"
    name, *pairs = marker.split()
    files = {M: models, T: TARIFFS, G: guide, **(extra or {})}
    return Case(id, files, G, pos(guide, needle), message, "calc-error", [name, *pairs], True)


def chain(n: int) -> str:
    """Models m0 … m(n-1), each calling the one before."""
    text = model("x", name="m0")
    for i in range(1, n):
        text += model(f"m{i - 1}(x=x)", name=f"m{i}")
    return text


def let_chain(n: int) -> str:
    """A model whose `let` values l0 … l(n-1) each use the one before."""
    lets = "".join(f"    l{i}: l{i - 1} + x\n" for i in range(1, n))
    return model(f"l{n - 1}", extra=f"  let:\n    l0: x\n{lets}")


FX_XYZ = "usd-xyz:\n  base: USD\n  quote: XYZ\n  rate: 1.2\n" + CITE.replace("    ", "  ")
RANGED = "".join(f"    p{i}: {{unit: GBP, default: 1}}\n" for i in range(100))
RANGED_MODEL = model("max(" + ", ".join(f"p{i}" for i in range(100)) + ")", RANGED)
TWO = "    x: {unit: GBP}\n    y: {unit: '1'}\n"
MONEY = "    x: {unit: money}\n    c: {type: currency}\n"
TOKENS = "    p: {unit: USD/1M input_token}\n    n: {unit: output_token/month}\n"
FLAG = "    x: {unit: GBP}\n    b: {type: bool}\n"
ROW = "    r: {table: tariffs}\n"
BLOCK = RUNNING + model("|\n    x\n      + 2[kWh]")
FOLDED = RUNNING + model(">-\n    x *\n    2 + 3[kWh]")
PLAIN = RUNNING + model("x *\n    2 + 3[kWh]")
ESCAPED = RUNNING + model('"x\\t\\u00d7 2 + 3[kWh]"')

CASES = [
    # ------------------------------------------------------------ units
    file_case(
        "unknown-unit",
        model(params="    x: {unit: furlong}\n"),
        "furlong",
        "a.x: unknown unit 'furlong'",
        "unit",
    ),
    file_case(
        "unknown-unit-did-you-mean",
        model(params="    x: {unit: GBP/kwh}\n"),
        "GBP/kwh",
        "unknown unit 'kwh'; did you mean kWh?",
        "unit",
    ),
    file_case(
        "unknown-unit-power-without-caret",
        model(params="    x: {unit: GBP/m3}\n"),
        "GBP/m3",
        "unknown unit 'm3'; did you mean m^3?",
        "unit",
    ),
    file_case(
        "unknown-unit-power-without-caret-prefixed",
        model("x * 2[km2]", unit="GBP km^2"),
        "2[km2]",
        "unknown unit 'km2'; did you mean km^2?",
        "unit",
    ),
    file_case(
        "unknown-unit-in-formula",
        model("x + 2[parsec]"),
        "2[parsec]",
        "a: unknown unit 'parsec'",
        "unit",
    ),
    file_case(
        "unknown-result-unit",
        model(unit="GBP/fortnight"),
        "GBP/fortnight",
        "a: unit: unknown unit 'fortnight'",
        "unit",
    ),
    file_case(
        "unit-power-too-large",
        model(params="    x: {unit: m^9}\n"),
        "m^9",
        "a power is a whole number from -4 to 4",
        "unit",
    ),
    file_case(
        "currency-not-iso-in-model",
        model(params="    x: {unit: XYZ/month}\n"),
        "XYZ/month",
        "unknown unit 'XYZ': not an ISO 4217 currency code",
        "unit",
    ),
    file_case(
        # Once a traceback: the check of the rows' dates read the file as a mapping.
        "table-file-is-a-list",
        "- elec\n- gas\n",
        "- elec",
        "tariffs.yaml is not one of the bundled tables",
        "table-columns",
        path=T,
    ),
    file_case(
        "table-row-read-in-the-future",
        TARIFFS.replace("date: 2026-04-01", "date: 2999-04-01", 1),
        "2999-04-01",
        "tariffs.elec: source read on 2999-04-01, which lies in the future; use the day the "
        "source was read",
        "table-future-date",
        path=T,
    ),
    file_case(
        "table-row-one-of-its-sources-read-in-the-future",
        TARIFFS.replace(
            CITE,
            "    sources:\n"
            "      - {url: 'https://example.org/a', date: 2026-04-01, confidence: high}\n"
            "      - {url: 'https://example.org/b', date: 2999-01-31, confidence: medium}\n",
            1,
        ),
        "2999-01-31",
        "tariffs.elec: source read on 2999-01-31, which lies in the future",
        "table-future-date",
        path=T,
    ),
    file_case(
        "currency-not-iso-in-table",
        TARIFFS.replace("GBP/kWh", "ABC/kWh"),
        "ABC/kWh",
        "column price: unknown unit 'ABC': not an ISO 4217 currency code",
        "unit",
        path=T,
    ),
    file_case(
        "currency-not-iso-in-fx",
        FX_XYZ,
        "XYZ",
        "usd-xyz.quote: XYZ is not an ISO 4217 currency code",
        "table-invalid",
        path="content/data/fx.yaml",
    ),
    file_case(
        "a-factor-whose-term-cancelled",
        model("d * use", "    d: {unit: km/year}\n    use: {unit: L/100 km}\n", unit="GBP/year"),
        "d * use",
        "a: the formula gives L/year but the model's unit is GBP/year; they are different "
        "kinds of quantity",
        "unit-mismatch",
    ),
    file_case(
        "token-kinds",
        model("p * n", TOKENS, unit="USD/month"),
        "p * n",
        "a: the formula gives USD output token/input token/month but the model's "
        "unit is USD/month; they are different kinds of quantity",
        "unit-mismatch",
    ),
    file_case(
        "input-tokens-plus-output-tokens",
        model("i + o", "    i: {unit: input_token}\n    o: {unit: output_token}\n", unit="token"),
        "+ o",
        "a: + between input token and output token: they are different kinds of quantity",
        "unit-mismatch",
    ),
    # ------------------------------------------------------------ names
    file_case(
        "unknown-parameter",
        model("demnad * 2", "    demand: {unit: GBP}\n"),
        "demnad",
        "a: unknown name 'demnad'; did you mean 'demand'? (not a parameter or let value of a)",
        "unknown-name",
    ),
    file_case(
        "unknown-column",
        RUNNING.replace("tariff.standing", "tariff.standin"),
        "tariff.standin\n",
        "table tariffs has no column 'standin'; did you mean 'standing'?",
        "unknown-column",
    ),
    file_case(
        "unknown-table",
        RUNNING.replace("table: tariffs", "table: tarifs"),
        "tarifs",
        "running_cost.tariff: no table 'tarifs'; did you mean 'tariffs'?",
        "unknown-table",
    ),
    file_case(
        "unknown-model",
        RUNNING + model("runing_cost(demand=1[kWh/year], tariff='gas') * 1[year]"),
        "runing_cost(",
        "a: unknown function or model 'runing_cost'; did you mean 'running_cost'?",
        "unknown-name",
    ),
    file_case(
        "unknown-keyword",
        RUNNING + model("running_cost(demnd=1[kWh/year], tariff='gas') * 1[year]"),
        "1[kWh/year]",
        "a: running_cost has no parameter 'demnd'; did you mean 'demand'?",
        "unknown-name",
    ),
    file_case(
        "missing-keyword",
        RUNNING + model("running_cost(tariff='gas') * 1[year]"),
        "running_cost(tariff",
        "a: running_cost needs demand=... (heat the house needs a year)",
        "model-call",
    ),
    file_case(
        "unknown-row-in-call",
        RUNNING + model("running_cost(demand=1[kWh/year], tariff='gaz') * 1[year]"),
        "'gaz'",
        "a: running_cost.tariff: no row 'gaz' in tariffs.yaml; did you mean 'gas'?",
        "unknown-row",
    ),
    file_case(
        "find-unknown-table",
        model("x", extra="  let:\n    r: find(tarifs, fuel='gas')\n"),
        "find(tarifs",
        "a: find(): no table 'tarifs'; did you mean 'tariffs'?",
        "unknown-table",
    ),
    file_case(
        "find-unknown-column",
        model("x", extra="  let:\n    r: find(tariffs, fule='gas')\n"),
        "'gas')",
        "a: find(): table tariffs has no column 'fule'; did you mean 'fuel'?",
        "unknown-column",
    ),
    file_case(
        "model-name-too-long",
        model(name="m" * 65),
        "m" * 65,
        "must be lower-case letters, digits and _, at most 64",
        "model-name",
    ),
    file_case(
        "model-name-longer-than-yaml-keys",
        model(name="m" * 5000),
        ":",
        "invalid YAML: mapping values are not allowed",
        "model-syntax",
    ),
    file_case(
        "parameter-name-reserved",
        model("x", "    min: {unit: GBP}\n"),
        "min:",
        "a.min: parameter name 'min' must be lower-case letters, digits and _, at most 64 "
        "(and not a function name)",
        "model-name",
    ),
    # ------------------------------------------------------------ units that do not meet
    file_case(
        "mismatch-plus",
        model("x + 2[kWh]"),
        "+ 2[kWh]",
        "a: + between GBP and kWh: they are different kinds of quantity",
        "unit-mismatch",
    ),
    file_case(
        "mismatch-minus", model("x − 2[kWh]"), "− 2", "a: - between GBP and kWh", "unit-mismatch"
    ),
    file_case(
        "mismatch-comparison",
        model("if(x < 2[kWh], x, x)"),
        "< 2",
        "a: < between GBP and kWh",
        "unit-mismatch",
    ),
    file_case(
        "mismatch-equality",
        model("if(x == 2[kWh], x, x)"),
        "== 2",
        "a: == between GBP and kWh",
        "unit-mismatch",
    ),
    file_case(
        "mismatch-min",
        model("min(x, 2[kWh])"),
        "2[kWh]",
        "a: min() between GBP and kWh",
        "unit-mismatch",
    ),
    file_case(
        "mismatch-max",
        model("max(x, x, 3[kWh/year])"),
        "3[kWh",
        "a: max() between GBP and kWh/year",
        "unit-mismatch",
    ),
    file_case(
        "mismatch-if-branches",
        model("if(true, x, 2[kWh])"),
        "2[kWh]",
        "a: if() between GBP and kWh",
        "unit-mismatch",
    ),
    file_case(
        "mismatch-text-and-number",
        RUNNING + model("if(x == 'gas', x, x)"),
        "== 'gas'",
        "a: == compares a quantity in GBP with text",
        "model-type",
    ),
    file_case(
        "mismatch-keyword",
        RUNNING + model("running_cost(demand=x, tariff='gas') * 1[year]"),
        "x, tariff",
        "a: running_cost.demand is in kWh/year, but this is in GBP",
        "unit-mismatch",
    ),
    file_case(
        "comma-inside-a-flow-mapping-value",
        model(params="    x: {unit: GBP, label: losses in the inverter, wiring, heat}\n"),
        "wiring",
        "a: unknown key 'params.x.wiring'; a comma inside {...} ends a value: quote the value "
        "that holds it (label: 'losses in the inverter, wiring, heat')",
        "model-syntax",
    ),
    file_case(
        "plain-number-for-a-ratio-with-a-unit",
        model(params="    x: {unit: GBP}\n    h: {unit: h/day}\n", extra="")
        + model("a(x=1[GBP], h=2.85)", name="b"),
        "2.85)",
        "b: a.h is in h/day: write the number with its unit, 2.85[h/day]",
        "unit-mismatch",
    ),
    file_case(
        "mismatch-result",
        model("x * 2[kWh]"),
        "x * 2",
        "a: the formula gives GBP kWh but the model's unit is GBP; they are different "
        "kinds of quantity",
        "unit-mismatch",
    ),
    file_case(
        "mismatch-table-column-parameter",
        model(params="    x: {unit: GBP, table: tariffs, column: price}\n"),
        "price}",
        "a.x: column tariffs.price is in GBP/kWh, which is not GBP",
        "unit-mismatch",
    ),
    file_case(
        "table-column-parameter-without-unit",
        model(params="    x: {table: tariffs, column: price}\n"),
        "price}",
        "a.x: a parameter that reads column tariffs.price is a number: give it a unit (the "
        "column's is GBP/kWh), or drop `column` to take the whole row",
        "unit-mismatch",
    ),
    file_case(
        "table-column-parameter-text-column",
        model(params="    x: {unit: GBP, table: tariffs, column: fuel}\n"),
        "fuel}",
        "a.x: column tariffs.fuel holds text, not numbers with a unit",
        "unit-mismatch",
    ),
    # ------------------------------------------------------------ cycles
    file_case(
        "cycle",
        model("b(x=x)") + model("a(x=x)", name="b"),
        "b(x=x)",
        "a calls itself through a → b → a; models may not call each other in a circle",
        "model-cycle",
    ),
    file_case(
        "cycle-second-member",
        model("b(x=x)") + model("a(x=x)", name="b"),
        "a(x=x)",
        "b calls itself through b → a → b",
        "model-cycle",
    ),
    file_case(
        "calls-itself", model("a(x=x) + x"), "a(x=x)", "a calls itself through a → a", "model-cycle"
    ),
    file_case(
        "let-uses-itself",
        model("y", extra="  let:\n    y: y + x\n"),
        "y + x",
        "a: y is a let value not yet computed here: a let value may use the parameters "
        "and the let values above it, not itself or later ones",
        "unknown-name",
    ),
    file_case(
        "let-uses-a-later-one",
        model("y", extra="  let:\n    y: z\n    z: x\n"),
        "z\n",
        "a: z is a let value not yet computed here",
        "unknown-name",
    ),
    # ------------------------------------------------------------ bounds
    file_case(
        "megabyte-formula",
        model("x" + " + x" * 250_000),
        "x + x",
        "a: a formula is at most 4,000 characters; this one has 1,000,001",
        "formula-syntax",
    ),
    file_case(
        "5000-parentheses",
        model("(" * 5000 + "x" + ")" * 5000),
        "((",
        "a formula is at most 4,000 characters; this one has 10,001",
        "formula-syntax",
    ),
    file_case(
        "21-parentheses",
        model("(" * 21 + "x" + ")" * 21),
        "(x",
        "a: parentheses nest deeper than 20",
        "formula-syntax",
        shift=0,
    ),
    file_case(
        "5000-unary-minus",
        model("-" * 5000 + "x"),
        "---",
        "a formula is at most 4,000 characters; this one has 5,001",
        "formula-syntax",
    ),
    file_case(
        "100-unary-minus",
        model("-" * 100 + "x"),
        "---",
        "a: the formula nests deeper than 40 levels",
        "formula-syntax",
    ),
    file_case(
        "sum-of-60-terms",
        model(" + ".join(["x"] * 60)),
        "x + x",
        "a: the formula nests deeper than 40 levels",
        "formula-syntax",
    ),
    file_case(
        "exponent-literal",
        model("x * 2^99999"),
        "99999",
        "a: an exponent of 99999 is too large (at most 64)",
        "formula-syntax",
    ),
    file_case(
        "exponent-of-a-quantity",
        model("x^9", unit="GBP"),
        "9\n",
        "a: GBP can only be raised to a whole number from -8 to 8",
        "unit",
    ),
    file_case(
        "digits-in-formula",
        model("x * " + "1" * 45),
        "1" * 45,
        "a: number 11111111111111111111… has more than 40 digits",
        "formula-syntax",
    ),
    file_case(
        "exponent-notation",
        model("x * 1e400"),
        "1e400",
        "a: unexpected '1e400' in the formula",
        "formula-syntax",
    ),
    file_case(
        "nul-in-formula",
        model('"x \\0 + x"'),
        "\\0",
        "a: unexpected '\\x00' in the formula",
        "formula-syntax",
    ),
    file_case(
        "escape-sequence-in-formula",
        model('"x + \\e[31m x"'),
        "\\e[31m",
        "a: unexpected '\\x1b[31m' in the formula",
        "formula-syntax",
    ),
    file_case(
        "raw-nul-byte-in-file",
        model("x \0 + x"),
        "\0",
        "invalid YAML: control characters are not allowed (U+0000 here); remove it",
        "model-syntax",
    ),
    file_case(
        "raw-escape-byte-in-table",
        TARIFFS.replace("fuel: gas", "fuel: g\x1bas"),
        "\x1b",
        "invalid YAML: control characters are not allowed (U+001B here)",
        "table-syntax",
        path=T,
    ),
    file_case(
        "call-chain-too-deep",
        chain(150),
        "m99(x=x)",
        "m100 nests 101 levels deep with the let values and models it uses; at most 100",
        "formula-syntax",
    ),
    file_case(
        "let-chain-too-deep",
        let_chain(60),
        "l59\n",
        "a nests 120 levels deep with the let values and models it uses; at most 100",
        "formula-syntax",
    ),
    file_case(
        "range-in-a-formula",
        model("x * 1..2"),
        "..2",
        "a: unexpected",
        "formula-syntax",
        shift=0,
    ),
    file_case(
        "min-1e400",
        model(params="    x: {unit: GBP, min: 1e400}\n"),
        "1e400",
        "a.x: min='1e400' is not a number",
        "model",
    ),
    file_case(
        "default-45-digits",
        model(params="    x: {unit: GBP, default: " + "9" * 45 + "}\n"),
        "9" * 45,
        "has more than 40 digits",
        "model",
    ),
    # ------------------------------------------------------------ YAML that is not a model
    file_case(
        "formula-a-list",
        model("[1, 2]"),
        "[1, 2]",
        "a.formula: Input should be a valid string",
        "model-syntax",
    ),
    file_case(  # YAML's number is the formula `42`, a plain number, not money
        "formula-a-number",
        model("42"),
        "42",
        "a: the formula gives 1 but the model's unit is GBP",
        "unit-mismatch",
    ),
    file_case(
        "formula-a-mapping",
        model("{x: 1}"),
        "{x: 1}",
        "a.formula: Input should be a valid string",
        "model-syntax",
    ),
    file_case(
        "formula-empty",
        model("''"),
        "''",
        "a: a formula cannot be empty",
        "formula-syntax",
        shift=1,
    ),
    file_case(
        "undefined-alias",
        model() + "b: *m\n",
        "*m",
        "invalid YAML: found undefined alias",
        "model-syntax",
    ),
    file_case(
        "anchor-and-alias",
        "a: &m\n  title: A\n  unit: GBP\n  formula: 1[GBP]\nb: *m\n",
        "b: *m",
        "YAML aliases (*name) are not supported",
        "model-syntax",
    ),
    file_case(
        "duplicate-key",
        model().replace("  title: A\n", "  title: A\n  title: B\n"),
        "title: B",
        "duplicate key 'title'",
        "model-syntax",
    ),
    file_case(
        "duplicate-model",
        model() + model(),
        "a:",
        "duplicate key 'a'",
        "model-syntax",
        shift=len(model()),
    ),
    file_case(
        "params-a-list",
        model("1[GBP]", "    - x\n"),
        "- x",
        "a.params: Input should be a valid dictionary",
        "model-syntax",
    ),
    file_case(
        "parameter-a-list",
        model(params="    x: [1, 2]\n"),
        "[1, 2]",
        "a.params.x: Input should be a valid dictionary",
        "model-syntax",
    ),
    file_case(
        "min-a-list",
        model(params="    x: {unit: GBP, min: [1]}\n"),
        "[1]",
        "a.params.x.min: must be text or a number",
        "model-syntax",
    ),
    file_case(
        "default-a-mapping",
        model(params="    x: {unit: GBP, default: {a: 1}}\n"),
        "{a: 1}",
        "a.params.x.default: must be text or a number or true or false",
        "model-syntax",
    ),
    file_case(
        "optional-not-a-flag",
        model(params="    x: {unit: GBP, optional: maybe}\n"),
        "maybe",
        "a.params.x.optional: Input should be a valid boolean",
        "model-syntax",
    ),
    file_case(  # a number is the formula it reads as (`let: {y: 1}`); a list is not one
        "let-a-list",
        model("y", extra="  let:\n    y: [1, 2]\n"),
        "[1, 2]\n",
        "a.let.y: must be text or {expr, label}",
        "model-syntax",
    ),
    file_case(
        "unknown-key",
        model().replace("  title: A\n", "  title: A\n  formla: x\n"),
        "formla",
        "a: unknown key 'formla'; did you mean 'formula'?",
        "model-syntax",
    ),
    file_case(
        "default-above-max",
        model(params="    x: {unit: GBP, min: 0, max: 10, default: 20}\n"),
        "20}",
        "a.x: default: x=20 is out of range: between 0 and 10 GBP",
        "model",
    ),
    file_case(
        "min-above-max",
        model(params="    x: {unit: GBP, min: 10, max: 1}\n"),
        "10,",
        "a.x: min 10 is above max 1",
        "model",
    ),
    file_case(
        "default-not-a-row",
        model("r.price * 1[kWh]", "    r: {table: tariffs, default: gaz}\n"),
        "gaz}",
        "a.r: default: r=gaz: no such row in tariffs.yaml; did you mean gas?",
        "model",
    ),
    file_case(
        "default-a-range",
        model(params="    x: {unit: GBP, default: 1..2}\n"),
        "1..2",
        "a.x: default: x='1..2' is not a number",
        "model",
    ),
    file_case(
        "require-unknown-parameter",
        model(
            extra="  require:\n    - if: x > 1[GBP]\n      error: too much\n      param: nosuch\n"
        ),
        "nosuch",
        "a: no parameter 'nosuch'",
        "model-name",
    ),
    file_case(
        "require-not-a-condition",
        model(extra="  require:\n    - if: x\n      error: e\n"),
        "x\n      error",
        "a: a require condition is true or false",
        "model-type",
    ),
    file_case(
        "require-message-placeholder",
        model(extra="  require:\n    - if: x > 1[GBP]\n      error: 'over {x + } pounds'\n"),
        "} pounds",
        "a: the formula ends too early (an operator or a parenthesis is not finished)",
        "formula-syntax",
    ),
    file_case(
        # Found in a stranger test (a bakery's deck oven): hours a day times days a year
        # is h/year, time over time, so the plain 8760 was the number 8,760 and the
        # require never held; a sum, min, max and if() read a plain number the same way.
        "require-plain-number-beside-a-ratio-of-units",
        model(
            params="    x: {unit: GBP}\n    hours: {unit: h/day}\n    days: {unit: day/year}\n",
            extra="  require:\n    - if: hours * days > 8760\n      error: more than a year\n",
        ),
        "8760\n",
        "a: 8760 is a plain number beside a value in h/year, where 1 is 8,760 h/year: "
        "write the number with its unit, 8760[h/year]",
        "unit-mismatch",
    ),
    # ------------------------------------------------------------ tables
    file_case(
        "column-unit-unknown",
        TARIFFS.replace("standing: GBP/day", "standing: GBP/dya"),
        "GBP/dya",
        "column standing: unknown unit 'dya'; did you mean day?",
        "unit",
        path=T,
    ),
    file_case(
        "cell-a-list",
        TARIFFS.replace("price: 0.0629", "price: [1, 2]"),
        "[1, 2]",
        "gas.price: must be a number in GBP/kWh (or a range a..b)",
        "table-invalid",
        path=T,
    ),
    file_case(
        "cell-a-mapping",
        TARIFFS.replace("price: 0.0629", "price: {a: 1}"),
        "{a: 1}",
        "gas.price: must be a number in GBP/kWh (or a range a..b)",
        "table-invalid",
        path=T,
    ),
    file_case(
        "cell-range-reversed",
        TARIFFS.replace("price: 0.0629", "price: 0.07..0.06"),
        "0.07..0.06",
        "gas.price: value=0.07..0.06: a range is written low..high",
        "table-invalid",
        path=T,
    ),
    file_case(
        "cell-1e400",
        TARIFFS.replace("price: 0.0629", "price: 1e400"),
        "1e400",
        "gas.price: value='1e400' is not a number",
        "table-invalid",
        path=T,
    ),
    file_case(
        "cell-45-digits",
        TARIFFS.replace("price: 0.0629", "price: " + "9" * 45),
        "9" * 45,
        "has more than 40 digits",
        "table-invalid",
        path=T,
    ),
    file_case(
        "cell-unknown-column",
        TARIFFS.replace("    price: 0.0629", "    prise: 0.0629"),
        "prise",
        "gas: unknown column 'prise'; did you mean price?",
        "table-unknown-field",
        path=T,
    ),
    file_case(
        "estimate-without-note",
        TARIFFS.replace("    fuel: gas\n", "    fuel: gas\n    estimate: true\n", 1),
        "estimate: true",
        "gas: an estimate needs a note explaining how it was derived",
        "table-invalid",
        path=T,
    ),
    file_case(
        "table-columns-a-list",
        "columns: [price]\nrows: {}\n",
        "[price]",
        "tariffs.columns: Input should be a valid dictionary",
        "table-invalid",
        path=T,
    ),
    # ------------------------------------------------------------ positions in formulas
    file_case("block-formula", BLOCK, "+ 2[kWh]", "a: + between GBP and kWh", "unit-mismatch"),
    file_case("folded-formula", FOLDED, "+ 3[kWh]", "a: + between GBP and kWh", "unit-mismatch"),
    file_case(
        "plain-formula-over-lines", PLAIN, "+ 3[kWh]", "a: + between GBP and kWh", "unit-mismatch"
    ),
    file_case(
        "escapes-before-the-error", ESCAPED, "+ 3[kWh]", "a: + between GBP and kWh", "unit-mismatch"
    ),
    # ------------------------------------------------------------ at the marker
    marker_case(
        "division-by-zero",
        model("x / y", TWO),
        "a x=3 y=0",
        "[calc:",
        "a cannot be computed with these inputs (a division by zero)",
    ),
    marker_case(
        "zero-to-a-negative-power",
        model("x * 0^-1"),
        "a x=3",
        "[calc:",
        "a cannot be computed with these inputs (a division by zero)",
    ),
    marker_case(
        "tower-of-exponents",
        model("x * 10^10^10"),
        "a x=3",
        "[calc:",
        "an exponent of 10000000000 is too large (at most 64)",
    ),
    marker_case(
        "result-too-large",
        model("x * ((10^64)^64)^64"),
        "a x=3",
        "[calc:",
        "a cannot be computed with these inputs (a result too large)",
    ),
    marker_case(
        "find-no-row",
        model("x", extra="  let:\n    r: find(tariffs, fuel='oil')\n").replace(
            "formula: x", "formula: x + r.standing * 1[day]"
        ),
        "a x=3",
        "[calc:",
        "no row of tariffs.yaml has fuel=oil",
    ),
    marker_case(
        "find-several-rows",
        model("x + find(tariffs, fuel='gas').standing * 1[day]"),
        "a x=3",
        "[calc:",
        "several rows of tariffs.yaml have fuel=gas: gas, gas-fixed; name one",
    ),
    marker_case(
        "range-reversed", model(), "a x=5..1", "x=5..1", "x=5..1: a range is written low..high"
    ),
    marker_case(
        "range-for-a-flag",
        model("if(b, x, x)", FLAG),
        "a x=1 b=0..1",
        "b=0..1",
        "b='0..1' is not true or false",
    ),
    marker_case(
        "range-of-rows",
        RUNNING,
        "running_cost demand=1 tariff=gas..elec",
        "tariff=gas..elec",
        "tariff=gas..elec: no such row in tariffs.yaml",
    ),
    marker_case(
        "range-for-a-currency",
        model("x", MONEY, unit="money"),
        "a x=1 c=GBP..USD",
        "c=GBP..USD",
        "c=GBP..USD: not an ISO 4217 currency code",
    ),
    marker_case(
        "currency-not-iso",
        model("x", MONEY, unit="money"),
        "a x=1 c=XYZ",
        "c=XYZ",
        "c=XYZ: not an ISO 4217 currency code",
    ),
    marker_case(
        "number-1e400",
        model(),
        "a x=1e400",
        "x=1e400",
        "x='1e400' is not a number (write 10M, 1.5k, 0.75 or 2B)",
    ),
    marker_case("number-45-digits", model(), "a x=" + "9" * 45, "x=99", "has more than 40 digits"),
    marker_case(
        "unknown-marker-parameter",
        model("x", "    demand: {unit: GBP}\n    x: {unit: GBP}\n"),
        "a x=1 demnd=2",
        "demnd=",
        "a has no parameter 'demnd'; did you mean demand?",
    ),
    marker_case(
        "unknown-marker-model",
        RUNNING,
        "runing_cost demand=1 tariff=gas",
        "[calc:",
        "unknown model 'runing_cost'; did you mean running_cost?",
    ),
    marker_case(
        "unknown-marker-row",
        RUNNING,
        "running_cost demand=1 tariff=gaz",
        "tariff=gaz",
        "tariff=gaz: no such row in tariffs.yaml; did you mean gas?",
    ),
    marker_case(
        "nine-ranged-inputs",
        RANGED_MODEL,
        "a " + " ".join(f"p{i}=1..2" for i in range(9)),
        "[calc:",
        "a: more than 8 ranged inputs in one figure",
    ),
    marker_case(
        "hundred-ranged-inputs",
        RANGED_MODEL,
        "a " + " ".join(f"p{i}=1..2" for i in range(100)),
        "[calc:",
        "a: more than 8 ranged inputs in one figure",
    ),
    marker_case(
        "require-holds",
        model(
            extra="  require:\n    - if: x > 100[GBP]\n"
            "      error: '{x} is more than anyone pays'\n"
        ),
        "a x=250",
        "x=250",
        "£250 is more than anyone pays",
    ),
]


def _run(cases: list[Case], root: Path) -> dict[str, list[dict[str, Any]]]:
    jobs = []
    for case in cases:
        site = write_site(root / case.id, {G: guide_text(), **case.files})
        jobs.append({"root": str(site), "commands": [["build"], ["lint"], ["calc", *case.calc]]})
    proc = subprocess.run([sys.executable, str(DRIVER), "60"], input=json.dumps(jobs),
                          capture_output=True, text=True, timeout=1800, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {case.id: result for case, result in zip(cases, json.loads(proc.stdout), strict=True)}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    return _run(CASES, tmp_path_factory.mktemp("hostile-models"))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_hostile_model_is_a_positioned_error(
    case: Case, results: dict[str, list[dict[str, Any]]]
) -> None:
    build, lint, calc = results[case.id]
    expected = re.compile(
        rf"^{re.escape(case.path)}:{case.at}: error: [^\n]*{re.escape(case.message)}"
        rf"[^\n]*\[{re.escape(case.rule)}\]$", re.M
    )  # fmt: skip
    for run in (build, lint, calc):
        assert run["code"] not in ("hang", "traceback"), (run["args"], run["stderr"][-3000:])
        assert "Traceback" not in run["stderr"], run["stderr"][-3000:]
        assert not run["site"], run["args"]
    for run in (build, lint):
        assert run["code"] == 1, (run["args"], run["stderr"][-2000:])
        assert expected.search(run["stderr"]), (run["args"], run["stderr"][-2000:])
    if case.calc_usage:
        assert calc["code"] == 2, calc["stderr"]
        usage = re.compile(rf"^citeguide calc: error: [^\n]*{re.escape(case.message)}", re.M)
        assert usage.search(calc["stderr"]), calc["stderr"]
    else:
        assert calc["code"] == 1, calc["stderr"][-2000:]
        assert expected.search(calc["stderr"]), calc["stderr"][-2000:]


# ---------------------------------------------------------------- one error, not a cascade


def test_a_broken_model_is_one_error_and_its_users_say_why(tmp_path: Path) -> None:
    """A model that cannot be read is its own error; a model calling it has none of its
    own (it is not an unknown name), and a marker using either says why it cannot."""
    broken = model(params="    x: {unit: GBP, colour: red}\n")
    caller = model("a(x=x) * 2", name="b")
    guide = guide_text() + "\nThe figure is [calc: b x=3] for the year.\n"
    table = TARIFFS.replace("standing: GBP/day", "standing: GBP/dya")
    cases = [Case("cascade", {M: broken + caller, T: table, G: guide}, M, "", "", "")]
    build, lint, calc = _run(cases, tmp_path)["cascade"]
    for run in (build, lint):
        errors = [line for line in run["stderr"].splitlines() if ": error: " in line]
        assert errors == [
            f"{T}:{pos(table, 'GBP/dya')}: error: column standing: unknown unit 'dya'; did you "
            "mean day? [unit]",
            f"{M}:{pos(broken, 'colour')}: error: a: unknown key 'params.x.colour'; did you "
            "mean 'column'? [model-syntax]",
            f"{G}:{pos(guide, '[calc:')}: error: model b cannot be used: it calls a, which "
            f"cannot be used: its declaration in {M} has errors [calc-error]",
        ], run["stderr"]
    assert calc["code"] == 1
    assert "[calc-error]" not in calc["stderr"]


def _errors(root: Path) -> list[str]:
    from citeguide.engine.builder import build_site
    from conftest import TODAY

    result = build_site(root, today=TODAY)
    return [d.format() for d in result.diagnostics.sorted() if d.severity.value == "error"]


def test_a_broken_row_table_or_model_file_is_named_by_what_uses_it(tmp_path: Path) -> None:
    """A row declared with errors, a table file or a model file that cannot be read: each
    is its own error, and a marker or a model using it says which file to fix, instead of
    "no such row; the table has no rows", "no table; did you mean api_prices?" or
    "unknown model; known: (the LLM pack's)" (a stranger test met all three). Fixing the
    file builds again what used it, as a cold build would."""
    from conftest import cold_tree, tree_digest

    root = tmp_path / "root"
    uses = "\nThe gas figure is [calc: running_cost demand=12000 tariff=gas] a year.\n"
    write_site(root, {M: RUNNING + model(), T: TARIFFS, G: guide_text() + uses})
    assert _errors(root) == []
    # A row that lost its source.
    gas = "    fuel: gas\n    price: 0.0629\n    standing: 0.3\n"
    write_site(root, {T: TARIFFS.replace(gas + CITE, gas, 1)})
    errors = _errors(root)
    assert any("gas: missing source" in e for e in errors), errors
    assert any(
        e.startswith(f"{G}:")
        and "tariff=gas: row gas of tariffs cannot be used: its "
        f"declaration in {T} has errors [calc-error]"
        in e
        for e in errors
    ), errors
    # Fixed: the guide builds, as a cold build makes it.
    write_site(root, {T: TARIFFS})
    assert _errors(root) == []
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)
    # A table file that cannot be read.
    write_site(root, {T: TARIFFS.replace("    fuel: gas\n", "    fuel: gas: x\n", 1)})
    errors = _errors(root)
    assert any(e.startswith(f"{T}:") and "[table-syntax]" in e for e in errors), errors
    assert any(
        f"running_cost.tariff: table tariffs cannot be read: {T} has errors [unknown-table]" in e
        for e in errors
    ), errors
    assert not any("api_prices" in e for e in errors), errors
    write_site(root, {T: TARIFFS})
    assert _errors(root) == []
    # A model file that cannot be read.
    unreadable = RUNNING.replace("title: Yearly cost of a fuel", "title: Yearly cost: a fuel")
    write_site(root, {M: unreadable + model()})
    errors = _errors(root)
    assert any(
        f"unknown model 'running_cost': {M} cannot be read, and a model declared there "
        "is unknown until it is fixed [calc-error]" in e
        for e in errors
    ), errors
    assert not any("known: api_cost" in e for e in errors), errors
    write_site(root, {M: RUNNING + model()})
    assert _errors(root) == []
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)


def test_a_column_declared_with_errors_is_named_by_the_formulas_that_read_it(
    tmp_path: Path,
) -> None:
    """Found in a stranger test (a bakery's tariffs): a column whose unit was written in
    the wrong case (`price: gbp/kwh`) had its own error, and every formula reading it was
    told `table tariffs has no column 'price' (columns: fuel (text), standing (GBP/day))`,
    as if it were misspelt; a `columns:` that could not be read at all listed none. They
    now say which file to fix, as a row declared with errors does; fixed, the site builds
    as a cold build makes it."""
    from conftest import cold_tree, tree_digest

    root = tmp_path / "root"
    uses = "\nThe gas figure is [calc: running_cost demand=12000 tariff=gas] a year.\n"
    by_column = model("x", "    x: {unit: GBP/kWh, table: tariffs, column: price}\n",
                      unit="GBP/kWh", name="b")  # fmt: skip
    by_find = model("find(tariffs, price=0.07[GBP/kWh]).standing", "    x: {unit: GBP}\n",
                    unit="GBP/day", name="c")  # fmt: skip
    write_site(root, {M: RUNNING + by_column + by_find, T: TARIFFS, G: guide_text() + uses})
    assert _errors(root) == []
    why = f"column price of tariffs cannot be used: its declaration in {T} has errors"
    for broken in ("price: gbp/kwh", "price: {unit: GBP/kWh}"):
        write_site(root, {T: TARIFFS.replace("price: GBP/kWh", broken, 1)})
        errors = _errors(root)
        assert any(e.startswith(f"{T}:3:") for e in errors), errors
        # At `tariff.price`, at the `column: price` of b's parameter, at find()'s filter.
        assert f"{M}:7:21: error: running_cost: {why} [unknown-column]" in errors
        assert f"{M}:12:48: error: b.x: {why} [unknown-column]" in errors
        assert f"{M}:19:32: error: c: find(): {why} [unknown-column]" in errors
        assert not any("has no column" in e for e in errors), errors
    write_site(root, {T: TARIFFS})
    assert _errors(root) == []
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)


# ---------------------------------------------------------------- linear in the models


def _loading(root: Path, text: str) -> Callable[[], object]:
    """A load of a site whose one model file is `text`, to time with `growth`."""
    from citeguide.config import SiteConfig
    from citeguide.content.models import load_library
    from citeguide.diagnostics import Diagnostics

    write_site(root, {M: text})
    return lambda: load_library(root, SiteConfig(), Diagnostics())


def _independent(n: int) -> str:
    return "".join(model("x * 2 + y", "    x: {unit: GBP}\n    y: {unit: GBP, default: 1}\n",
                         name=f"m{i}") for i in range(n))  # fmt: skip


def _ring(n: int) -> str:
    """n models in one circle: n errors, each naming its circle (shortened)."""
    return "".join(model(f"m{(i + 1) % n}(x=x)", name=f"m{i}") for i in range(n))


def _failing_chain(n: int) -> str:
    """Each model calls the next; the last has an error, so none can be used."""
    return "".join(model(f"m{i + 1}(x=x)", name=f"m{i}") for i in range(n)) + model(
        "x * 2[kWh]", name=f"m{n}"
    )


def _unit_errors(n: int) -> str:
    return "".join(model("x +\n    2[kWh]", name=f"m{i}") for i in range(n))


@pytest.mark.parametrize(
    "make", [_independent, _ring, _failing_chain, _unit_errors],
    ids=["independent", "ring", "failing-chain", "unit-errors"],
)  # fmt: skip
def test_ten_times_the_models_in_a_file_cost_about_ten_times_the_time(
    tmp_path: Path, make: Any
) -> None:
    # Linear: about 10 (7 to 10 measured, the pack's fixed cost included). A circle of
    # models and a chain of failures gave 23 and 18 at 300 → 3,000 models, growing without
    # bound, before each circle was walked once and failures passed to callers in one pass.
    small = _loading(tmp_path / "small", make(300))
    large = _loading(tmp_path / "large", make(3000))
    ratio = growth(small, large, runs=3, bound=16)
    assert ratio < 16, f"ten times the models took {ratio:.0f}x the time: loading is not linear"
