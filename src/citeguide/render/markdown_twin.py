"""`<slug>.md`: the guide as Markdown for agents, citations kept as footnotes.

Every value written here goes through `render/escape.py`: text as escaped inline
Markdown, URLs as autolinks only when they may be links. The body is the author's own
Markdown, raw HTML already escaped by the parser.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from citeguide.config import SiteConfig
from citeguide.content.calcs import shown_value
from citeguide.content.markdown_body import BodyEdits
from citeguide.costcore.display import unit_note
from citeguide.model import UNCHECKED, Chart, Guide, LinkInfo, Links
from citeguide.render.escape import md_block, md_code, md_heading, md_link, md_text, md_url
from citeguide.render.evidence import Readings, readings, stale_rows, stale_sources
from citeguide.render.input_rows import fact_in_footnote, fact_markdown
from citeguide.render.site_urls import page_url, twin_url
from citeguide.text.case import mid_sentence, sentence_start


def _link(info: LinkInfo) -> str:
    if info.status == "unchecked":
        return "link unchecked"
    text = f"link {info.status}"
    if info.checked_at:
        text += f" (checked {md_text(info.checked_at[:10])})"
    if info.archive_url:
        text += f", archived copy: {md_url(info.archive_url)}"
    return text


def _title(info: LinkInfo, host: str) -> str:
    """The page's title, else its host."""
    if not info.title:
        return md_text(host)
    return f"{md_text(info.title)} ({md_text(host)})"


def _readings(shown: list[Readings]) -> str:
    """`2026-05-01; high confidence`, or per kind of use when they differ:
    `claims: 2025-09-30 · high confidence; table rows: 2025-09-30 · low confidence`."""
    if len(shown) == 1 and shown[0].label is None:
        use = shown[0]
        return f"{', '.join(map(str, use.dates))}; {', '.join(use.confidences)} confidence"
    return "; ".join(
        f"{use.label}: {', '.join(map(str, use.dates))} · {', '.join(use.confidences)} confidence"
        for use in shown
    )


def markdown_body(guide: Guide, locale: str, stale: Collection[tuple[str, str]] = ()) -> str:
    """The body as Markdown: the author's, markers turned into footnotes, charts into
    their description and data (`stale`: the (table, row) pairs of its stale rows)."""
    edits: BodyEdits = guide.body_edits
    return edits.apply(lambda chart: chart_markdown(chart, locale, stale))


def summary_markdown(guide: Guide) -> str:
    """The summary for the Markdown twin: each figure followed by its footnote `[^k-…]`."""
    if not guide.summary_parts:
        return ""
    # A private-use sentinel stands for each figure while the text is escaped as one
    # block (escaping piece by piece would trim the spaces around each figure).
    pieces: list[str] = []
    shown: list[str] = []
    for text, cid in guide.summary_parts:
        if cid is None:
            pieces.append(text.replace("\ue000", "").replace("\ue001", ""))
        else:
            pieces.append(f"\ue000{len(shown)}\ue001")
            shown.append(f"{md_text(text)}[^{cid}]")
    block = md_block("".join(pieces))
    return re.sub("\ue000([0-9]+)\ue001", lambda m: shown[int(m[1])], block)


def words(body: str) -> int:
    """Words of a Markdown body without its punctuation or footnote references, for the
    reading time."""
    text = re.sub(r"[`*_#>|\[\]()]+", " ", re.sub(r"\[\^[\w-]+\]", "", body))
    return len(re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", text))


def render_markdown_twin(guide: Guide, config: SiteConfig, links: Links, body: str) -> str:
    """The Markdown twin; `body` is `markdown_body(guide, config.locale, its stale rows)`."""
    meta = guide.meta
    info = {s.id: links.get(s.normalized_url, UNCHECKED) for s in guide.sources}
    summary = summary_markdown(guide) or md_block(guide.summary or meta.summary)
    lines = [f"# {md_heading(meta.title)}", "", f"> {summary}", ""]
    if meta.authors:
        lines.append("- By: " + ", ".join(md_link(a.name, a.url) for a in meta.authors))
    lines.append(f"- Published: {meta.published} · Updated: {guide.updated}")
    if meta.tags:
        lines.append("- Tags: " + ", ".join(md_text(t) for t in meta.tags))
    if meta.entities:
        lines.append("- About: " + ", ".join(md_text(e) for e in meta.entities))
    lines.append(f"- Page: {md_url(page_url(config, guide.slug))}")
    lines.append(f"- Citation manifest (JSON): {md_url(twin_url(config, guide.slug))}")
    old_rows = set(stale_rows(guide, config.stale))
    lines += ["", body.strip(), ""]
    if meta.updates:
        lines += ["## Update log", ""]
        for update in sorted(meta.updates, key=lambda u: u.date, reverse=True):
            lines.append(f"- **{md_text(update.version)}** ({update.date}): {md_text(update.note)}")
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
                f"- {md_url(source.url)} — {_title(info[source.id], source.host)}; {roles}; "
                f"{_readings(readings(source))}; {_link(info[source.id])}"
                + ("; stale" if source.id in stale else "")
            )
        lines.append("")
    claims = {cit.n: claim for claim in guide.claims for cit in claim.citations}
    for citation in guide.citations:
        quote = ""
        if citation.quote and citation.quote_key:
            seen = info[citation.source_id].quotes.get(citation.quote_key, "unchecked")
            quote = f' · quotes "{md_text(citation.quote)}" ({seen})'
        lines.append(
            f"[^{citation.n}]: {md_block(claims[citation.n].text)} "
            f"Source: {md_url(citation.url)} · "
            f"{citation.date} · {citation.confidence} confidence · "
            f"{_link(info[citation.source_id])}{quote}"
        )
    for calc in guide.calculations:
        inputs = "; ".join(
            md_text(f"{p.label or p.name} {shown_value(p, config.locale)}") for p in calc.params
        )
        sources = "; ".join(fact_in_footnote(f, (f.table, f.row) in old_rows) for f in calc.facts)
        # "With every range at its midpoint:" introduces the steps after it.
        arithmetic = "".join(
            ("" if i == 0 else " " if calc.steps[i - 1].endswith(":") else "; ") + md_text(step)
            for i, step in enumerate(calc.steps)
        )
        ranged = ""
        if calc.drivers:
            ranged = (
                " Moves most with: "
                + md_text(
                    "; ".join(
                        f"{d.phrase or mid_sentence(d.label)} ({d.low_text} at its low end, "
                        f"{d.high_text} at its high end)"
                        for d in calc.drivers[:3]
                    )
                )
                + "."
            )
        note = unit_note(calc.display, calc.unit)
        lines.append(
            f"[^{calc.id}]: {md_block(calc.display)}"
            + (f" ({md_text(note)})" if note else "")
            + ", "
            f"{md_text(mid_sentence(calc.title))} ({md_code(calc.calculator)}): "
            + (f"{arithmetic}. " if arithmetic else f"{md_text(calc.formula)}. ")
            + f"Inputs: {inputs}."
            + ranged
            + (f" Sources: {sources}." if sources else "")
        )
    return "\n".join(lines).rstrip() + "\n"


def chart_markdown(chart: Chart, locale: str, stale: Collection[tuple[str, str]] = ()) -> str:
    """A chart as an agent reads it: title, description, lines and the plotted data, and
    the rows it rests on (`stale`: which of them are stale)."""
    given = "; ".join(
        f"{md_text(line.label)}: {md_code(line.model)} "
        + " ".join(md_code(f"{k}={v}") for k, v in line.params.items())
        for line in chart.lines
    )
    sources = [fact_markdown(f, (f.table, f.row) in stale) for f in chart.facts]

    def cell(text: str) -> str:
        return md_text(text).replace("|", "\\|")

    if chart.kind == "tornado":
        # The figure as a marker writes it, not after the chart's title ("Each ranged input
        # of What moves the payback most: ..." read the title mid-sentence).
        figure = " ".join(
            md_code(text)
            for line in chart.lines[:1]
            for text in [line.model, *(f"{k}={v}" for k, v in line.params.items())]
        )
        return "\n".join(
            [
                f"**{md_text(chart.title)}.** {md_text(chart.description)}",
                "",
                f"Each ranged input of {figure} alone, from its low to its high end, every other "
                "range at its midpoint" + (", with figures from:" if sources else "."),
                "",
                *sources,
                *([""] if sources else []),
                "| Input | With the input at its low end | With the input at its high end |",
                "|---|---|---|",
                *(
                    "| " + " | ".join(cell(t) for t in [row.x, *row.ys]) + " |"
                    for row in chart.rows
                ),
                "",
            ]
        )
    x_head = sentence_start(chart.x_label or chart.x_param)  # as the page heads it
    head = "| " + " | ".join(cell(t) for t in [x_head, *(ln.label for ln in chart.lines)])
    head += " |"
    rows = ["| " + " | ".join(cell(t) for t in [row.x, *row.ys]) + " |" for row in chart.rows]
    crossings = [
        f"- {md_text(c.lower)} and {md_text(c.upper)} cross at {md_text(c.x_text)} "
        f"({md_text(c.y_text)})."
        for c in chart.crossings
    ]
    return "\n".join(
        [
            f"**{md_text(chart.title)}.** {md_text(chart.description)}",
            "",
            f"Lines along {md_code(chart.x_param)}: {given}"
            + (", with figures from:" if sources else "."),
            "",
            *sources,
            *([""] if sources else []),
            *crossings,
            *([""] if crossings else []),
            head,
            "|" + "---|" * (len(chart.lines) + 1),
            *rows,
            "",
        ]
    )
