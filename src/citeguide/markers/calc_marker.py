"""The `[calc: NAME key=value ...]` inline marker, as a markdown-it plugin.

The plugin parses the marker and asks an `evaluate` callback (given by the caller) for the
value to show; it knows nothing of the cost core. What the callback returns is stored in
`token.meta` and rendered as the value with an accessible provenance tooltip.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from citeguide.markers.positions import inline_blocks

OPEN = "[calc:"
ENV_KEY = "calc_evaluate"
"""An evaluator in the parse environment overrides the plugin's default."""
TIP_KEY = "citeguide.calc.tip"
"""A callable in the render environment: a marker's `meta` → HTML lines added to its
tooltip (the site lists the weak inputs a figure rests on there)."""
_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_PAIR = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>\S+)")


class CalcFailure(ValueError):
    """Raised by an evaluator: what is wrong, and which parameter (if one) is to blame."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.message, self.param = message, param


Evaluator = Callable[[str, dict[str, str]], dict[str, Any]]
"""(name, {key: value text}) → at least {"display", "id", "tip"}; raises CalcFailure."""


def calc_id(name: str, params: dict[str, str]) -> str:
    """Stable id from the marker as written: the same calculation anywhere has one id."""
    text = " ".join([name, *(f"{k}={params[k]}" for k in sorted(params))])
    return "k-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def parse_calc(body: str) -> tuple[str, dict[str, str], dict[str, int]]:
    """Split a marker body into (name, params, offset of each param within the body)."""
    pieces = list(re.finditer(r"\S+", body))
    if not pieces:
        raise CalcFailure("calc marker needs a calculator name, like [calc: api_cost tokens=10M]")
    name = pieces[0].group(0)
    if not _NAME.fullmatch(name):
        raise CalcFailure(f"calc marker name {name!r} is not a calculator name")
    params: dict[str, str] = {}
    offsets: dict[str, int] = {}
    for piece in pieces[1:]:
        pair = _PAIR.fullmatch(piece.group(0))
        if pair is None:
            raise CalcFailure(f"calc marker argument {piece.group(0)!r} is not key=value")
        key = pair["key"]
        if key in params:
            raise CalcFailure(f"calc marker sets {key} twice", key)
        params[key] = pair["value"]
        offsets[key] = piece.start()
    return name, params, offsets


def calc_rule(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if not state.src.startswith(OPEN, start):
        return False
    close = state.src.find("]", start + len(OPEN))
    if close < 0:
        if silent:
            return False
        end = start + len(OPEN)
        meta: dict[str, Any] = {
            "offset": start,
            "error": "calc marker is not closed; end it with ]",
            "rule": "calc-syntax",
        }
    else:
        end = close + 1
        body = state.src[start + len(OPEN) : close]
        meta = {"offset": start, "error": None, "body_offset": len(OPEN), "rule": "calc-syntax"}
        try:
            meta["name"], meta["params"], meta["param_offsets"] = parse_calc(body)
        except CalcFailure as exc:
            meta["error"] = exc.message
            meta["error_param"] = exc.param
    if not silent:
        token = state.push("calc", "", 0)
        token.content = state.src[start:end]
        token.meta = meta
    state.pos = end
    return True


def _evaluate_all(default: Evaluator | None) -> Callable[[StateCore], None]:
    def rule(state: StateCore) -> None:
        evaluate: Evaluator | None = state.env.get(ENV_KEY, default)
        lines = state.src.split("\n")
        number = 0
        for block, positions in inline_blocks(state.tokens, lines):
            assert block.children is not None
            for child in block.children:
                if child.type != "calc":
                    continue
                meta = child.meta
                meta["line"], meta["col"] = positions.at(meta["offset"])
                if meta["error"] is None and evaluate is not None:
                    try:
                        meta.update(evaluate(meta["name"], meta["params"]))
                    except CalcFailure as exc:
                        meta["error"], meta["error_param"] = exc.message, exc.param
                        meta["rule"] = "calc-error"
                if meta.get("error_param") in meta.get("param_offsets", {}):
                    # Point at the offending key=value rather than at the marker.
                    meta["col"] += meta["body_offset"] + meta["param_offsets"][meta["error_param"]]
                if meta["error"] is None:
                    number += 1
                    meta["n"] = number

    return rule


def render_calc(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    meta = tokens[idx].meta
    if meta["error"] is not None or "display" not in meta:
        return f'<span class="calc-error">{escape(tokens[idx].content)}</span>'
    tip_id = f"calc-tip-{meta['n']}"
    lines = "".join(f'<span class="calc-tip-line">{escape(line)}</span>' for line in meta["tip"])
    more: Callable[[dict[str, Any]], str] | None = env.get(TIP_KEY)
    if more is not None:
        lines += more(meta)
    return (
        f'<span class="calc"><a class="calc-value" id="calc-ref-{meta["n"]}" '
        f'href="#{escape(meta["id"])}" '
        f'aria-describedby="{tip_id}">{escape(meta["display"])}</a>'
        f'<span class="calc-tip" id="{tip_id}" data-pagefind-ignore>{lines}'
        # Like a reference's tooltip: it names where the figure itself leads (one text per
        # destination), and stays out of the Tab order (the figure is the one Tab stop).
        f'<a class="tip-link" href="#{escape(meta["id"])}" tabindex="-1">'
        f"How {escape(meta['display'])} was computed</a>"
        "</span></span>"
    )


def calc_plugin(md: MarkdownIt, *, evaluate: Evaluator | None = None) -> None:
    """Register the calc marker; `evaluate` turns (name, params) into what is shown.

    A caller can also pass an evaluator per document as `env["calc_evaluate"]`.
    """
    md.inline.ruler.before("link", "calc", calc_rule)
    md.core.ruler.after("inline", "calc_evaluate", _evaluate_all(evaluate))
    md.add_render_rule("calc", render_calc)
