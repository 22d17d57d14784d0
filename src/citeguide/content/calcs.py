"""Evaluating `[calc:]` markers for one guide: the bridge from the plugin to the cost core."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from citeguide.costcore.display import shown_input
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.export import used_models
from citeguide.costcore.library import Library
from citeguide.costcore.quantities import CalcError, as_text, plain
from citeguide.costcore.results import InputValue, Result
from citeguide.costcore.table_data import FxUse, TableRow
from citeguide.markers.calc_marker import CalcFailure, calc_id
from citeguide.model import CalcInput, Calculation, Driver, FxConversion, InputFact, Reading
from citeguide.text.case import mid_sentence


def input_words(result: Result, locale: str = "en") -> str:
    """The inputs in plain words, as the figure's list of inputs shows them: `heat the
    house needs a year: 12,000 kWh/year`, `cycles a year: 200–300/year`, a row with the
    number read from it, `mortgage interest rate: graz-2026 (3.9%)`."""
    return "; ".join(f"{p.label or p.name}: {shown_value(p, locale)}" for p in result.params)


def shown_value(p: InputValue | CalcInput, locale: str = "en") -> str:
    """One input's value as the list of inputs writes it (`guide.html`): a number with
    its unit, or a row id with the number read from it."""
    if p.row is None:
        return f"{p.before}{shown_input(as_text(p.value), locale)}{p.after}"
    if p.number is None:
        return as_text(p.value)
    return f"{as_text(p.value)} ({p.before}{shown_input(as_text(p.number), locale)}{p.after})"


def _tip(result: Result, locale: str = "en") -> list[str]:
    """The provenance tooltip, line by line: the arithmetic, inputs, sources."""
    sources = "; ".join(
        f"{urlsplit(r.url).hostname} ({r.table}:{r.id}, {r.date}, {r.confidence}"
        + (", estimate" if r.estimate else "")
        + ")"
        for r in result.sources
    )
    lines = [*result.steps] if result.steps else [f"{result.calculator}: {result.formula}"]
    if result.drivers:
        top = result.drivers[0]
        phrase = top.get("phrase") or mid_sentence(top["label"])
        lines.append(f"Moves most with {phrase}: {plain_range(top)}")
    lines.append(f"Inputs: {input_words(result, locale)}")
    if sources:
        lines.append(f"Sources: {sources}")
    return lines


def plain_range(driver: dict[str, Any]) -> str:
    """`44.7 years at its low end, 15.2 years at its high end`."""
    return f"{driver['low_text']} at its low end, {driver['high_text']} at its high end"


def _input(p: InputValue) -> CalcInput:
    table, row = p.row if p.row is not None else (None, None)
    return CalcInput(name=p.name, label=p.label, value=p.value, unit=p.unit, origin=p.origin,
                     table=table, row=row, number=p.number, after=p.after,
                     before=p.before)  # fmt: skip


def fact(row: TableRow, pack: bool = False, line: int = 0) -> InputFact:
    return InputFact(
        pack=pack,
        line=line,
        table=row.table,
        row=row.id,
        source=row.url,
        urls=[c.url for c in row.citations],
        readings=[Reading(url=c.url, date=c.date, confidence=c.confidence) for c in row.citations],
        date=row.date,
        confidence=row.confidence,
        as_of=row.as_of,
        estimate=row.estimate,
        note=row.note,
        values=dict(row.shown),
    )


def fx_model(use: FxUse) -> FxConversion:
    return FxConversion(row=use.id, base=use.base, quote=use.quote, rate=plain(use.rate),
                        date=use.date)  # fmt: skip


class CalcCollector:
    """Evaluates each distinct marker once and remembers the results in reading order."""

    def __init__(self, library: Library, locale: str) -> None:
        self.library, self.locale = library, locale
        self.results: dict[str, Result] = {}

    def evaluate(self, name: str, params: dict[str, str]) -> dict[str, Any]:
        cid = calc_id(name, params)
        if cid not in self.results:
            memo = self.library.memo
            key = ("calc", cid, self.locale)
            if key not in memo:
                try:
                    memo[key] = evaluate(name, params, self.library, locale=self.locale)
                except CalcError as exc:
                    memo[key] = exc
            found = memo[key]
            if isinstance(found, CalcError):
                raise CalcFailure(found.message, found.param) from None
            self.results[cid] = found
        result = self.results[cid]
        return {"id": cid, "display": result.display, "tip": _tip(result, self.locale)}

    def _pack(self, row: TableRow) -> bool:
        origin = self.library.tables.origins.get((row.table, row.id), ("", 0))[0]
        return origin.startswith("<pack")

    def calculations(
        self,
        lines: dict[str, int],
        context: dict[str, tuple[str, str | None, str | None]],
        refs: dict[str, int] | None = None,
        cols: dict[str, int] | None = None,
    ) -> list[Calculation]:
        """Models of every evaluated calculation; `lines` maps ids to first use, `context`
        to the (sentence, section title, section id) of that first use."""
        return [
            Calculation(
                id=cid,
                calculator=r.calculator,
                title=r.title,
                inputs=r.inputs,
                params=[_input(p) for p in r.params],
                derived=r.derived,
                derived_units=r.derived_units,
                value=plain(r.value),
                low=plain(r.low) if r.low is not None else None,
                high=plain(r.high) if r.high is not None else None,
                monotone=r.monotone if r.low is not None else None,
                drivers=[Driver(**d) for d in r.drivers],
                unit=r.unit,
                display=r.display,
                formula=r.formula,
                steps=r.steps,
                facts=[fact(row, self._pack(row), lines.get(cid, 0)) for row in r.sources],
                fx=[fx_model(x) for x in r.fx],
                flags=r.flags,
                uncited=r.uncited,
                unread=r.unread,
                unsigned_shares=r.unsigned_shares,
                models=used_models(self.library, [r.calculator]),
                line=lines.get(cid, 0),
                col=(cols or {}).get(cid, 1),
                ref=(refs or {}).get(cid),
                sentence=context.get(cid, (None, None, None))[0],
                section=context.get(cid, (None, None, None))[1],
                section_id=context.get(cid, (None, None, None))[2],
            )
            for cid, r in self.results.items()
        ]
