"""`<slug>.md`: the guide as Markdown for agents, citations kept as footnotes."""

from __future__ import annotations

from citeguide.config import SiteConfig
from citeguide.costcore.quantities import as_text
from citeguide.model import Guide, LinkInfo, Links
from citeguide.render.evidence import stale_sources
from citeguide.render.urls import page_url, twin_url


def _link(info: LinkInfo) -> str:
    if info.status == "unchecked":
        return "link unchecked"
    text = f"link {info.status}"
    if info.checked_at:
        text += f" (checked {info.checked_at[:10]})"
    if info.archive_url:
        text += f", archived copy: <{info.archive_url}>"
    return text


def _title(info: LinkInfo, host: str) -> str:
    """The page's title (Markdown special characters escaped), else its host."""
    if not info.title:
        return host
    escaped = "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in info.title)
    return f"{escaped} ({host})"


def render_markdown_twin(guide: Guide, config: SiteConfig, links: Links) -> str:
    meta = guide.meta
    info = {s.id: links.get(s.normalized_url, LinkInfo()) for s in guide.sources}
    lines = [f"# {meta.title}", "", f"> {meta.summary}", ""]
    if meta.authors:
        lines.append(
            "- By: "
            + ", ".join(f"[{a.name}](<{a.url}>)" if a.url else a.name for a in meta.authors)
        )
    lines.append(f"- Published: {meta.published} · Updated: {guide.updated}")
    if meta.tags:
        lines.append("- Tags: " + ", ".join(meta.tags))
    if meta.entities:
        lines.append("- About: " + ", ".join(meta.entities))
    lines.append(f"- Page: <{page_url(config, guide.slug)}>")
    lines.append(f"- Citation manifest (JSON): <{twin_url(config, guide.slug)}>")
    lines += ["", guide.body_markdown.strip(), ""]
    if meta.updates:
        lines += ["## Update log", ""]
        for update in sorted(meta.updates, key=lambda u: u.date, reverse=True):
            lines.append(f"- **{update.version}** ({update.date}): {update.note}")
        lines.append("")
    if guide.sources:
        # A bullet list, not a numbered one: the only numbers are the footnotes' (as on the
        # page, where [4] is citation 4), and each source names the footnotes citing it.
        stale = stale_sources(guide, config.stale)
        cited_in: dict[str, list[str]] = {}
        for citation in guide.citations:
            cited_in.setdefault(citation.source_id, []).append(f"[^{citation.n}]")
        lines += ["## Sources", ""]
        for source in guide.sources:
            roles = " and ".join(
                f"cited in {', '.join(cited_in.get(source.id, []))}"
                if r == "citation"
                else "calculator input"
                for r in source.roles
            )
            lines.append(
                f"- <{source.url}> — {_title(info[source.id], source.host)}; {roles}; "
                f"{', '.join(d.isoformat() for d in source.dates_cited)}; "
                f"{'/'.join(source.confidences)} confidence; {_link(info[source.id])}"
                + ("; stale" if source.id in stale else "")
            )
        lines.append("")
    claims = {cit.n: claim for claim in guide.claims for cit in claim.citations}
    for citation in guide.citations:
        quote = ""
        if citation.quote and citation.quote_key:
            seen = info[citation.source_id].quotes.get(citation.quote_key, "unchecked")
            quote = f' · quotes "{citation.quote}" ({seen})'
        lines.append(
            f"[^{citation.n}]: {claims[citation.n].text} Source: <{citation.url}> · "
            f"{citation.date} · {citation.confidence} confidence · "
            f"{_link(info[citation.source_id])}{quote}"
        )
    for calc in guide.calculations:
        inputs = ", ".join(f"{k}={as_text(v)}" for k, v in calc.inputs.items())
        sources = "; ".join(
            f"<{f.source}> ({f.table}/{f.row}, {f.date}, {f.confidence})" for f in calc.facts
        )
        arithmetic = "; ".join(calc.steps)
        lines.append(
            f"[^{calc.id}]: {calc.display} ({calc.unit}) from `{calc.calculator}`: "
            + (f"{arithmetic}. " if arithmetic else f"{calc.formula}. ")
            + f"Inputs: {inputs}."
            + (f" Sources: {sources}." if sources else "")
        )
    return "\n".join(lines).rstrip() + "\n"
