"""The JSON twin of a guide, `<slug>.cite.json`, and the JSON Schema it follows."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from citeguide import __version__
from citeguide.config import SiteConfig
from citeguide.costcore.quantities import CalcError, looks_numeric, parse_number, plain
from citeguide.docstrings import DocumentedSchema
from citeguide.model import (
    SCHEMA_VERSION,
    UNCHECKED,
    Calculation,
    Chart,
    Citation,
    CiteIndex,
    CiteTwin,
    Generator,
    Guide,
    InputFact,
    LinkInfo,
    Links,
    StaleAfter,
    TwinCalculation,
    TwinChart,
    TwinChartLine,
    TwinCitation,
    TwinClaim,
    TwinInputFact,
    TwinKeyFinding,
    TwinModel,
    TwinSource,
    TwinTable,
)
from citeguide.render.evidence import stale_rows, stale_sources
from citeguide.render.site_urls import page_url, site_url, twin_url
from citeguide.text.urls import normalize_url

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


def build_twin(guide: Guide, config: SiteConfig, links: Links | None = None) -> CiteTwin:
    url = page_url(config, guide.slug)
    source_ids = {s.normalized_url: s.id for s in guide.sources}
    infos = {s.id: (links or {}).get(s.normalized_url, UNCHECKED) for s in guide.sources}
    stale = stale_sources(guide, config.stale)
    old_rows = set(stale_rows(guide, config.stale))
    return CiteTwin(
        **{"$schema": schema_url(config)},
        generator=Generator(version=__version__),
        slug=guide.slug,
        url=url,
        twin_url=twin_url(config, guide.slug),
        authors=guide.meta.authors,
        aliases=[site_url(config, alias) for alias in guide.meta.aliases],
        stale_after_days=StaleAfter(**config.stale.model_dump()),
        title=guide.meta.title,
        summary=guide.summary or guide.meta.summary,
        published=guide.meta.published,
        updated=guide.updated,
        tags=guide.meta.tags,
        entities=guide.meta.entities,
        updates=sorted(guide.meta.updates, key=lambda u: u.date, reverse=True),
        claims=[
            _publish(
                TwinClaim,
                claim,
                anchor=f"{url}#{claim.id}",
                citations=[
                    _publish(
                        TwinCitation, c, source=c.source_id, quote_status=_quote_status(c, infos)
                    )
                    for c in claim.citations
                ],
            )
            for claim in guide.claims
        ],
        sources=[
            _publish(TwinSource, s, link=infos[s.id], stale=s.id in stale) for s in guide.sources
        ],
        calculations=[_calculation(c, source_ids, url, old_rows) for c in guide.calculations],
        charts=[_chart(c, source_ids, old_rows) for c in guide.charts],
        key_findings=_key_findings(guide),
        currency=config.currency,
        models=_once(guide.models, _twin_models),
        tables=_once(guide.tables, _twin_tables),
    )


_MEMO: dict[tuple[int, ...], tuple[tuple[object, ...], Any]] = {}
"""What was made once from objects the library shares between guides, by their identity
(the objects are held, so an identity is never reused while it is a key)."""


def _remembered(sources: tuple[object, ...], make: Callable[[], T]) -> T:
    key = tuple(map(id, sources))
    held = _MEMO.get(key)
    if held is None or any(a is not b for a, b in zip(held[0], sources, strict=True)):
        if len(_MEMO) > 512:  # a long `serve` session: models edited many times
            _MEMO.clear()
        held = _MEMO[key] = (sources, make())
    made: T = held[1]
    return made


def _once(source: dict[str, Any], convert: Callable[[dict[str, Any]], T]) -> T:
    return _remembered((source, convert), lambda: convert(source))


def _twin_models(data: dict[str, Any]) -> dict[str, TwinModel]:
    return {name: TwinModel.model_validate(model) for name, model in data.items()}


def _twin_tables(data: dict[str, Any]) -> dict[str, TwinTable]:
    return {name: TwinTable.model_validate(table) for name, table in data.items()}


def _publish(twin: type[M], internal: BaseModel, **made: Any) -> M:
    """The published shape of an internal record: every field of the twin's that `made`
    does not give is the internal one of the same name (a field the twin leaves out is
    listed in the internal model's `unpublished`; tests/model/test_published.py checks)."""
    same = {name: getattr(internal, name) for name in twin.model_fields if name not in made}
    return twin(**same, **made)


def _facts(
    facts: list[InputFact], source_ids: dict[str, str], stale: set[tuple[str, str]]
) -> list[TwinInputFact]:
    return [
        _publish(
            TwinInputFact, f,
            source=source_ids[normalize_url(f.source)],
            sources=list(dict.fromkeys(source_ids[normalize_url(u)] for u in f.urls or [f.source])),
            stale=(f.table, f.row) in stale,
        )
        for f in facts
    ]  # fmt: skip


def _sources(facts: list[TwinInputFact]) -> list[str]:
    return list(dict.fromkeys(sid for f in facts for sid in f.sources or [f.source]))


def _chart(chart: Chart, source_ids: dict[str, str], stale: set[tuple[str, str]]) -> TwinChart:
    facts = _facts(chart.facts, source_ids, stale)
    return _publish(
        TwinChart, chart,
        lines=[
            _publish(TwinChartLine, line, params={k: _typed(v) for k, v in line.params.items()})
            for line in chart.lines
        ],
        inputs={k: v if k == "title" else _typed(v) for k, v in chart.inputs.items()},
        sources=_sources(facts),
        facts=facts,
    )  # fmt: skip


def _typed(text: str) -> str | int | float:
    """A chart parameter as JSON: a number as a number (`10M` is 10000000, as in a
    calculation's inputs), a row id or title as written."""
    try:
        return plain(parse_number(text)) if looks_numeric(text) else text
    except CalcError:  # out of range: the chart itself refused it
        return text


def _calculation(
    calc: Calculation, source_ids: dict[str, str], url: str, stale: set[tuple[str, str]]
) -> TwinCalculation:
    facts = _facts(calc.facts, source_ids, stale)
    return _publish(
        TwinCalculation, calc,
        model=calc.calculator,
        anchor=f"{url}#{calc.id}",
        sources=_sources(facts),
        facts=facts,
    )  # fmt: skip


def _key_findings(guide: Guide) -> list[TwinKeyFinding]:
    calcs = {c.id: c for c in guide.calculations}
    return [
        _publish(TwinKeyFinding, calcs[cid], calculation=cid)
        for cid in guide.key_findings
        if cid in calcs
    ]


def _quote_status(
    citation: Citation, infos: dict[str, LinkInfo]
) -> Literal["found", "missing", "unchecked"] | None:
    if not citation.quote_key:
        return None
    return infos[citation.source_id].quotes.get(citation.quote_key, "unchecked")


def dump_json(data: Any) -> str:
    """The layout of the JSON Schemas citeguide writes: stable, indented by two, UTF-8,
    newline-terminated. (Twins have their own, `twin_layout`.)"""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def twin_json(twin: CiteTwin) -> str:
    """The twin's bytes, in `twin_layout`. pydantic-core's serializer makes the JSON; the
    expression trees and tables leave out fields at their defaults (they are deep), and
    guides using the same models share their lines: made once."""
    head = twin.model_dump_json(indent=2, by_alias=True, exclude={"models", "tables"})
    parts = (*twin.models.items(), None, *twin.tables.items())
    tail = _remembered(tuple(v for part in parts for v in (part or ("", None))),
                       lambda: _tail(twin))  # fmt: skip
    return twin_layout(head[: head.rindex("}")].rstrip()) + ",\n" + tail + "\n}\n"


_DEEP = re.compile(r"\n(?: {6,}| {4}(?=[\]}]))")


def twin_layout(text: str) -> str:
    """The layout of a twin, from its JSON indented by two: one line per top-level field,
    and one per item of a list or object field (a claim, a source, a model), each item on
    its line. Up to half the bytes of the indented JSON (whose indentation was most of a
    twin that uses models: deep expression trees), and a change to one item is a change
    to one line. A line break in JSON text is always between tokens (one inside a string
    is escaped), so the lines deeper than an item are joined to it, their indentation
    dropped."""
    return _DEEP.sub("", text)


def _tail(twin: CiteTwin) -> str:
    tail = {
        "models": {k: v.model_dump(mode="json", exclude_defaults=True)
                   for k, v in twin.models.items()},
        "tables": {k: v.model_dump(mode="json", exclude_defaults=True)
                   for k, v in twin.tables.items()},
    }  # fmt: skip
    return twin_layout(json.dumps(tail, indent=2, ensure_ascii=False)[1:-1].strip("\n"))


SCHEMA_PATH = "schemas/cite.schema.json"
INDEX_SCHEMA_PATH = "schemas/cite-index.schema.json"


def schema_url(config: SiteConfig) -> str:
    return site_url(config, SCHEMA_PATH)


def index_schema_url(config: SiteConfig) -> str:
    return site_url(config, INDEX_SCHEMA_PATH)


def _open(node: Any) -> Any:
    """The schema with `additionalProperties: false` dropped everywhere (see twin_schema)."""
    if isinstance(node, dict):
        return {
            k: _open(v) for k, v in node.items() if not (k == "additionalProperties" and v is False)
        }
    if isinstance(node, list):
        return [_open(v) for v in node]
    return node


def _published_schema(model: type[BaseModel], schema_id: str | None) -> dict[str, Any]:
    """JSON Schema of a published file, generated from its model.

    The versioning rule it publishes: within a major version fields are only added, so a
    1.x schema lists what it knows and allows properties it does not (a newer 1.x file
    still validates against it); agents ignore fields they do not know. citeguide's own
    models stay closed, so its tests catch a field written by mistake.
    """
    schema: dict[str, Any] = _open(
        model.model_json_schema(mode="serialization", schema_generator=DocumentedSchema)
    )
    major = SCHEMA_VERSION.split(".")[0]
    # Any minor version of this major validates (a 2.3 file against the 2.1 schema), as
    # the rule promises; the model's own `const` would refuse every other version.
    version = schema["properties"]["schema_version"]
    version.pop("const", None)
    version["pattern"] = rf"^{major}\.[0-9]+$"
    version["description"] = (
        f"Version of this format, `major.minor` ({SCHEMA_VERSION} here); a breaking change "
        f"bumps the major number, so any {major}.x file validates against this schema."
    )
    schema["description"] = (
        f"{schema.get('description', '')} Format version {SCHEMA_VERSION}: within major "
        f"version {major} fields are only added, never removed or changed in meaning, so "
        "this schema allows properties it does not list; ignore the ones you do not know."
    ).strip()
    if schema_id is not None:
        schema = {"$id": schema_id, **schema}
    return schema


def twin_schema(config: SiteConfig | None = None) -> dict[str, Any]:
    """JSON Schema of the twin (committed as schemas/cite.schema.json)."""
    return _published_schema(CiteTwin, schema_url(config) if config else None)


def index_schema(config: SiteConfig | None = None) -> dict[str, Any]:
    """JSON Schema of cite-index.json (committed as schemas/cite-index.schema.json)."""
    return _published_schema(CiteIndex, index_schema_url(config) if config else None)


def schema_json(config: SiteConfig | None = None) -> str:
    return dump_json(twin_schema(config))


def index_schema_json(config: SiteConfig | None = None) -> str:
    return dump_json(index_schema(config))
