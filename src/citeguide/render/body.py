"""A guide's body as HTML, drawn from its parsed tokens in one pass.

Each h2 and h3 ends with a `#` link to itself, each chart fence becomes its SVG figure,
each reference's tooltip says what the last `check` found of its link and its quote,
and each figure's tooltip lists the estimate and stale rows it rests on: the link
states and the site's `[stale]` budgets are known here, so nothing is patched later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import escape

from citeguide.config import SiteConfig, StaleBudgets
from citeguide.content.charts import Tornado
from citeguide.content.dialect import markdown
from citeguide.markers import calc_marker, cite
from citeguide.model import UNCHECKED, Guide, LinkInfo, Reading
from citeguide.render.chart import render_chart
from citeguide.render.evidence import QUOTE_LABELS, link_label, quote_status
from citeguide.render.input_rows import stale_badges
from citeguide.render.tornado import render_tornado

_LOCALE_KEY = "citeguide.locale"
_BADGES_KEY = "citeguide.stale_badges"


class _BodyRenderer(RendererHTML):
    """markdown-it's HTML renderer with the page's own headings and charts."""

    def heading_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """A `#` link at the end of every h2 and h3, to copy a link to that section."""
        opening, inline = tokens[idx - 2], tokens[idx - 1]
        ident = opening.attrGet("id")
        end = self.renderToken(tokens, idx, options, env)
        if not ident or inline.children is None or opening.tag not in ("h2", "h3"):
            return end
        text = "".join(c.content for c in inline.children if c.type in ("text", "code_inline"))
        return (
            f' <a class="self-link" data-pagefind-ignore href="#{escape(str(ident))}" '
            f'aria-label="Link to this section: {escape(text.strip())}">#</a>{end}'
        )

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        """A chart fence as its figure; any other fence as code."""
        meta = tokens[idx].meta
        chart = meta.get("chart")
        if chart is None:
            return super().fence(tokens, idx, options, env)
        locale, badges = env[_LOCALE_KEY], env[_BADGES_KEY]
        if isinstance(chart, Tornado):
            return render_tornado(chart, meta["chart_id"], locale, badges) + "\n"
        return render_chart(chart, meta["chart_id"], locale, badges) + "\n"


def render_body(
    guide: Guide,
    config: SiteConfig,
    statuses: dict[str, LinkInfo],
    stale: dict[tuple[str, str], Reading],
) -> str:
    """The body of `guide`'s page; `statuses` are its sources' link records by source id,
    `stale` its stale table rows ((table, row) → the stale reading)."""
    by_n = {c.n: c for c in guide.citations}
    notes = input_notes(guide, stale, config.stale)

    def cite_tip(meta: dict[str, Any]) -> str:
        tip = ""
        if meta.get("source_id"):
            info = statuses.get(meta["source_id"], UNCHECKED)
            # The page's own title, once `check` has read it, names the source.
            if info.title:
                tip += f' · <cite class="cite-title">{escape(info.title)}</cite>'
            tip += (
                f' · <span class="cite-link link-{info.status}" '
                f'data-source="{escape(meta["source_id"])}">{escape(link_label(info))}</span>'
            )
        if ":~:text=" in meta["url"]:
            # A quoted citation: whether `check` found the quote on the page.
            citation = by_n.get(meta["n"])
            status = "unchecked"
            if citation is not None:
                status = quote_status(citation, statuses.get(citation.source_id, UNCHECKED))
            tip += (
                f' · <span class="cite-quote quote-{status}" data-cite="{meta["n"]}">'
                f"{QUOTE_LABELS[status]}</span>"
            )
        return tip

    def calc_tip(meta: dict[str, Any]) -> str:
        lines = notes.get(meta["id"], [])
        return "".join(f'<span class="calc-tip-line tip-input">{escape(x)}</span>' for x in lines)

    env = {
        **guide.env,
        _LOCALE_KEY: config.locale,
        _BADGES_KEY: stale_badges(stale, config.stale),
        cite.TIP_KEY: cite_tip,
        calc_marker.TIP_KEY: calc_tip,
    }
    md = markdown(_BodyRenderer)
    html: str = md.renderer.render(guide.tokens, md.options, env)
    return html


def input_notes(
    guide: Guide, stale: dict[tuple[str, str], Reading], budgets: StaleBudgets
) -> dict[str, list[str]]:
    """Calculation id → what its tooltip says of its weak inputs: each estimate row with
    its note, each stale row (`stale`: (table, row) → its stale reading) with the day its
    source was read and the budget it outran."""
    notes: dict[str, list[str]] = {}
    for calc in guide.calculations:
        lines = notes.setdefault(calc.id, [])
        for fact in calc.facts:
            name = f"{fact.table}:{fact.row}"
            if fact.estimate:
                lines.append(f"Estimate, {name}: {fact.note or ''}")
            reading = stale.get((fact.table, fact.row))
            if reading is not None:
                lines.append(
                    f"Stale, {name}: read {reading.date}, past the "
                    f"{budgets.budget(reading.confidence)} days a {reading.confidence}-"
                    "confidence source stays fresh"
                )
    return notes
