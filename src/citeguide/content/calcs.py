"""Evaluating `[calc:]` markers for one guide: the bridge from the plugin to the cost core."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

from citeguide.costcore.calculators import Result, evaluate
from citeguide.costcore.quantities import CalcError, as_text, plain
from citeguide.costcore.tables import Tables
from citeguide.markers.calc import CalcFailure
from citeguide.model import Calculation, FxConversion, InputFact


def calc_id(name: str, params: dict[str, str]) -> str:
    """Stable id from the marker as written: the same calculation anywhere has one id."""
    text = " ".join([name, *(f"{k}={params[k]}" for k in sorted(params))])
    return "k-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def _tip(result: Result) -> list[str]:
    """The provenance tooltip, line by line: formula, inputs, sources."""
    inputs = ", ".join(f"{k}={as_text(v)}" for k, v in result.inputs.items())
    sources = "; ".join(
        f"{urlsplit(f.url).hostname} ({f.table}:{f.id}, {f.date}, {f.confidence})"
        for f in result.sources
    )
    lines = [*result.steps] if result.steps else [f"{result.calculator}: {result.formula}"]
    lines.append(f"Inputs: {inputs}")
    if sources:
        lines.append(f"Sources: {sources}")
    return lines


class CalcCollector:
    """Evaluates each distinct marker once and remembers the results in reading order."""

    def __init__(self, tables: Tables, locale: str) -> None:
        self.tables, self.locale = tables, locale
        self.results: dict[str, Result] = {}

    def evaluate(self, name: str, params: dict[str, str]) -> dict[str, Any]:
        cid = calc_id(name, params)
        if cid not in self.results:
            memo = self.tables.memo
            key = ("calc", cid, self.locale)
            if key not in memo:
                try:
                    memo[key] = evaluate(name, params, self.tables, locale=self.locale)
                except CalcError as exc:
                    memo[key] = exc
            found = memo[key]
            if isinstance(found, CalcError):
                raise CalcFailure(found.message, found.param) from None
            self.results[cid] = found
        result = self.results[cid]
        return {"id": cid, "display": result.display, "tip": _tip(result)}

    def calculations(
        self,
        lines: dict[str, int],
        context: dict[str, tuple[str, str | None, str | None]],
        refs: dict[str, int] | None = None,
    ) -> list[Calculation]:
        """Models of every evaluated calculation; `lines` maps ids to first use, `context`
        to the (sentence, section title, section id) of that first use."""
        return [
            Calculation(
                id=cid,
                calculator=r.calculator,
                inputs=r.inputs,
                value=plain(r.value),
                unit=r.unit,
                display=r.display,
                formula=r.formula,
                steps=r.steps,
                facts=[
                    InputFact(
                        table=f.table,
                        row=f.id,
                        source=f.url,
                        date=f.date,
                        confidence=f.confidence,
                        values=dict(f.values),
                    )
                    for f in r.sources
                ],
                fx=[
                    FxConversion(
                        row=x.id, base=x.base, quote=x.quote, rate=plain(x.rate), date=x.date
                    )
                    for x in r.fx
                ],
                feasible=r.extra.get("feasible"),
                line=lines.get(cid, 0),
                ref=(refs or {}).get(cid),
                sentence=context.get(cid, (None, None, None))[0],
                section=context.get(cid, (None, None, None))[1],
                section_id=context.get(cid, (None, None, None))[2],
            )
            for cid, r in self.results.items()
        ]
