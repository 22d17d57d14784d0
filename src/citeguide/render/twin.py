"""The JSON twin of a guide, `<slug>.cite.json`, and the JSON Schema it follows."""

from __future__ import annotations

import json
from typing import Any

from citeguide import __version__
from citeguide.config import SiteConfig
from citeguide.model import (
    CiteTwin,
    Generator,
    Guide,
    LinkInfo,
    TwinCitation,
    TwinClaim,
    TwinSource,
)
from citeguide.render.urls import page_url, twin_url


def build_twin(guide: Guide, config: SiteConfig) -> CiteTwin:
    url = page_url(config, guide.slug)
    return CiteTwin(
        generator=Generator(version=__version__),
        slug=guide.slug,
        url=url,
        twin_url=twin_url(config, guide.slug),
        title=guide.meta.title,
        summary=guide.meta.summary,
        published=guide.meta.published,
        updated=guide.updated,
        tags=guide.meta.tags,
        entities=guide.meta.entities,
        updates=sorted(guide.meta.updates, key=lambda u: u.date, reverse=True),
        claims=[
            TwinClaim(
                id=claim.id,
                text=claim.text,
                section=claim.section,
                anchor=f"{url}#{claim.id}",
                citations=[
                    TwinCitation(n=c.n, source=c.source_id, date=c.date, confidence=c.confidence)
                    for c in claim.citations
                ],
            )
            for claim in guide.claims
        ],
        sources=[
            TwinSource(
                id=s.id,
                url=s.url,
                host=s.host,
                dates_cited=s.dates_cited,
                confidences=s.confidences,
                claims=s.claims,
                link=LinkInfo(),
            )
            for s in guide.sources
        ],
        calculations=[],
    )


def dump_json(data: Any) -> str:
    """The one JSON layout citeguide writes: stable, readable, UTF-8, newline-terminated."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def twin_json(twin: CiteTwin) -> str:
    return dump_json(twin.model_dump(mode="json"))


def twin_schema() -> dict[str, Any]:
    """JSON Schema of the twin, generated from the model (committed as cite.schema.json)."""
    return CiteTwin.model_json_schema(mode="serialization")


def schema_json() -> str:
    return dump_json(twin_schema())
