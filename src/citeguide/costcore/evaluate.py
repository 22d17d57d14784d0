"""Evaluating a compiled model: exact Decimal arithmetic, currencies, steps and sources.

Units were settled when the model compiled (every conversion is a node with an exact
factor); at run time only currencies move. A value in one currency meeting a value in
another (in `+`, `*`, a comparison, `min`...) is converted, through a cited row of
`fx.yaml`, to the evaluation's currency: the one the result is declared in, else the
model's `currency` parameter, else the site's. Nothing is converted that did not meet.

While it computes, the evaluator writes the arithmetic as a reader would check it, one
line per intermediate value (`let`), called model and result, each number at full
precision with its unit.

`evaluate` is the entry point: it reads a marker's `key=value` texts into the model's
parameters, runs the model (`interpreter.py`) and, when an input is a range, finds the
figure's low and high (`ranges.py`).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from citeguide.costcore.frame import Arith, Trace, Val, Value, decimal_context, mid
from citeguide.costcore.interpreter import run_model
from citeguide.costcore.library import (
    Library,
    Model,
    Param,
    as_typed,
    params_read,
    parse_param,
    range_text,
    unsigned_share,
)
from citeguide.costcore.model_spec import param_hint
from citeguide.costcore.quantities import CalcError, Range, parse_value_text
from citeguide.costcore.ranges import add_range
from citeguide.costcore.results import Result
from citeguide.costcore.values import default_value, param_value


def known_models(lib: Library) -> str:
    """The models there are, for an error naming none of them: the site's own first, then
    each bundled pack's (a site about a heat pump is not sent to the GPU models first)."""
    own: list[str] = []
    packs: dict[str, list[str]] = {}
    for name, model in lib.models.items():
        if model.origin.startswith("<pack "):
            packs.setdefault(model.origin[len("<pack ") :].partition(">")[0], []).append(name)
        else:
            own.append(name)
    parts = [f"this site's models: {', '.join(sorted(own))}"] if own else []
    parts += [f"the bundled {pack} pack's: {', '.join(sorted(names))}"
              for pack, names in sorted(packs.items())]  # fmt: skip
    return "; " + "; ".join(parts) if parts else "; no model is declared"


def evaluate(
    name: str, raw: Mapping[str, str], lib: Library, *, locale: str = "en", quiet: bool = False
) -> Result:
    """Evaluate model `name` with `key=value` texts; raises CalcError on bad input.

    `quiet` computes the value only: no steps, no display (a chart's samples)."""
    model = lib.models.get(name)
    if model is None and name in lib.failed:
        raise CalcError(f"model {name} cannot be used: {lib.failed[name]}")
    unreadable = lib.unknown_model(name) if model is None else ""
    if unreadable:
        raise CalcError(unreadable)
    if model is None:
        close = difflib.get_close_matches(name, lib.models, n=1)
        hint = f"; did you mean {close[0]}?" if close else known_models(lib)
        raise CalcError(f"unknown model {name!r}{hint}")
    trace = Trace(lib, locale, quiet=quiet)
    values, given, uncited, _ = _marker_values(model, raw, lib, trace)
    try:
        with decimal_context():
            result = run_model(model, values, given, trace)
    except Arith as exc:
        raise CalcError(f"{name} cannot be computed with these inputs ({exc.args[0]})") from None
    result.uncited = uncited
    read = params_read(model)
    result.unread = [n for n in raw if n not in read and model.params[n].kind != "currency"]
    result.unsigned_shares = [n for n, text in raw.items() if unsigned_share(model.params[n], text)]
    if trace.ranges:
        add_range(model, values, given, trace, result)
    return result


def _marker_values(
    model: Model, raw: Mapping[str, str], lib: Library, trace: Trace
) -> tuple[dict[str, Value], set[str], list[str], bool]:
    values: dict[str, Value] = {}
    uncited: list[str] = []
    ranged = False
    for key, text in raw.items():
        param = model.params.get(key)
        if param is None:
            close = difflib.get_close_matches(key, model.params, n=1)
            hint = f"; did you mean {close[0]}?" if close else param_hint(key, model.params)
            raise CalcError(f"{model.name} has no parameter {key!r}{hint}", key)
        text = as_typed(param, text)
        if param.kind == "number" and ".." in text:
            values[key] = _range_param(param, text, trace)
            ranged = True
            continue
        values[key] = param_value(param, parse_param(param, text, lib.tables), lib)
        if param.takes_row and isinstance(values[key], Val):
            uncited.append(key)  # a typed number where a cited row could have gone
    for param in model.params.values():
        if param.name in values:
            continue
        default = default_value(param, lib, lib.currency)
        if default is None:
            raise CalcError(f"missing {param.name}=...: {param.label or param.what}",
                            param.name)  # fmt: skip
        values[param.name] = default
    return values, set(raw), uncited, ranged


def _range_param(param: Param, text: str, trace: Trace) -> Val:

    value = parse_value_text(text, param.name)
    low = value.low if isinstance(value, Range) else value
    high = value.high if isinstance(value, Range) else value
    for end in (low, high):
        if (param.minimum is not None and end < param.minimum) or (
            param.maximum is not None and end > param.maximum
        ):
            raise CalcError(f"{param.name}={text} is out of range: {range_text(param)}", param.name)
    if isinstance(value, Range):
        trace.ranges[f"param:{param.name}"] = value
    return Val(mid(value) if isinstance(value, Range) else value, None)
