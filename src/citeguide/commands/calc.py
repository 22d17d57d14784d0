"""`citeguide calc`: evaluate one model from the command line, or list them all."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from citeguide.config_file import load_config
from citeguide.content.models import load_library
from citeguide.costcore.display import unit_note
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.export import model_json
from citeguide.costcore.library import Library, Model
from citeguide.costcore.quantities import CalcError, as_text, plain
from citeguide.costcore.results import Result
from citeguide.diagnostics import ConfigError, Diagnostics
from citeguide.exitcodes import ExitCode


def _library(root: Path) -> Library | int:
    try:
        config = load_config(root)
    except ConfigError as exc:
        print(Diagnostics(exc.diagnostics).render(), file=sys.stderr)
        return ExitCode.USAGE
    diags = Diagnostics()
    library = load_library(root, config, diags, date.today())
    if diags.has_errors():
        print(diags.render(), file=sys.stderr)
        return ExitCode.CONTENT
    library.memo["locale"] = config.locale
    return library


def describe_model(model: Model) -> str:
    """A model in words: title, unit, formula and every parameter."""
    lines = [f"{model.name}: {model.title} [{model.unit_text}]"]
    if model.description:
        lines.append(f"  {model.description}")
    lines.append(f"  formula: {' '.join(model.formula_text.split())}")
    lines += [f"  {p.describe()}" for p in model.params.values()]
    lines.append(f"  declared in {model.origin}")
    return "\n".join(lines)


def describe_all(root: Path, name: str | None = None, *, as_json: bool = False) -> int:
    """Every model of the site (its own and the pack's), or the one called `name`."""
    library = _library(root)
    if isinstance(library, int):
        return library
    models = sorted(library.models.values(), key=lambda m: (m.origin.startswith("<"), m.name))
    if name is not None:
        models = [m for m in models if m.name == name]
        if not models:
            print(f"citeguide calc: error: no model {name!r}", file=sys.stderr)
            return ExitCode.USAGE
    if as_json:
        print(json.dumps({m.name: model_json(m, library) for m in models}, indent=2,
                         ensure_ascii=False))  # fmt: skip
    else:
        own = [m for m in models if not m.origin.startswith("<")]
        # A site with models of its own (a heat pump's, a tennis club's) reads those in
        # full, and the bundled packs' (the LLM pack's eleven) one line each.
        packed = [m for m in models if m.origin.startswith("<")] if own and name is None else []
        shown = [m for m in models if m not in packed]
        print("\n\n".join(describe_model(m) for m in shown))
        if packed:
            print("\nAlso bundled (`citeguide calc --list NAME` describes one):")
            print("\n".join(f"  {m.name}: {m.title} [{m.unit_text}]" for m in packed))
    return ExitCode.OK


def _text(result: Result) -> str:
    shown = result.display
    # A step ending in `:` introduces the ones after it ("With every range at its
    # midpoint:"); it is no arithmetic of its own.
    steps = [f"  {step}" if step.endswith(":") else f"  = {step}" for step in result.steps]
    note = unit_note(shown, result.unit)
    lines = [
        f"{result.calculator} = {shown}" + (f" ({note})" if note else ""),
        f"  {result.title}",
        *(steps or [f"  computes: {result.formula}"]),
        "  inputs: " + ", ".join(f"{k}={as_text(v)}" for k, v in result.inputs.items()),
    ]
    if result.low is not None and result.high is not None:
        lines.append(f"  range: {as_text(plain(result.low))} to {as_text(plain(result.high))}"
                     + ("" if result.monotone else " (not monotone: widened)"))  # fmt: skip
        for driver in result.drivers:
            lines.append(f"  moves with {driver['input']}: {driver['low']} to {driver['high']}")
    for flag, value in result.flags.items():
        lines.append(f"  {flag}: {as_text(value)}")
    for row in result.sources:
        for cite in row.citations:
            lines.append(f"  source: {row.table}/{row.id} {cite.url} ({cite.date}, "
                         f"{cite.confidence}{', estimate' if row.estimate else ''})")  # fmt: skip
    for fx in result.fx:
        lines.append(f"  converted at 1 {fx.base} = {fx.rate} {fx.quote} ({fx.id}, {fx.date})")
    if result.uncited:
        lines.append(f"  uncited: {', '.join(result.uncited)} typed as numbers (no source)")
    return "\n".join(lines)


def run_calc(root: Path, name: str, pairs: list[str], *, as_json: bool) -> int:
    """Evaluate `name` with `key=value` pairs against the models and tables of `root`."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key or not value:
            print(f"citeguide calc: error: {pair!r} is not key=value", file=sys.stderr)
            return ExitCode.USAGE
        params[key] = value
    library = _library(root)
    if isinstance(library, int):
        return library
    try:
        result = evaluate(name, params, library, locale=str(library.memo["locale"]))
    except CalcError as exc:
        print(f"citeguide calc: error: {exc.message}", file=sys.stderr)
        return ExitCode.USAGE
    print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) if as_json else _text(result))
    return ExitCode.OK
