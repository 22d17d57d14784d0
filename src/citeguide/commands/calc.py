"""`citeguide calc`: evaluate one calculator from the command line, or list them all."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from citeguide.config import load_config
from citeguide.content.tables import load_tables
from citeguide.costcore.calculators import REGISTRY, Result, evaluate
from citeguide.costcore.quantities import CalcError, as_text
from citeguide.diagnostics import Diagnostics


def describe_all() -> str:
    """Every calculator with its unit, formula and parameters (defaults in brackets)."""
    blocks = []
    for calc in REGISTRY.values():
        lines = [f"{calc.name}: {calc.summary}", f"  computes: {calc.formula}"]
        lines += [f"  {p.describe()}" for p in calc.params]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _text(result: Result) -> str:
    lines = [
        f"{result.calculator} = {result.display} ({result.unit})",
        *([f"  = {step}" for step in result.steps] or [f"  computes: {result.formula}"]),
        "  inputs: " + ", ".join(f"{k}={as_text(v)}" for k, v in result.inputs.items()),
    ]
    if "feasible" in result.extra:
        lines.append(f"  feasible: {as_text(result.extra['feasible'])}")
    for fact in result.sources:
        lines.append(
            f"  source: {fact.table}/{fact.id} {fact.url} ({fact.date}, {fact.confidence})"
        )
    for fx in result.fx:
        lines.append(f"  converted at 1 {fx.base} = {fx.rate} {fx.quote} ({fx.id}, {fx.date})")
    return "\n".join(lines)


def run_calc(root: Path, name: str, pairs: list[str], *, as_json: bool) -> int:
    """Evaluate `name` with `key=value` pairs against the tables of `root`."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key or not value:
            print(f"citeguide calc: error: {pair!r} is not key=value", file=sys.stderr)
            return 2
        params[key] = value
    config = load_config(root)
    diags = Diagnostics()
    tables = load_tables(root, diags)
    if diags.has_errors():
        print(diags.render(), file=sys.stderr)
        return 1
    try:
        result = evaluate(name, params, tables, locale=config.locale)
    except CalcError as exc:
        print(f"citeguide calc: error: {exc.message}", file=sys.stderr)
        return 2
    print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) if as_json else _text(result))
    return 0
