"""A guide's body drawn from its tokens: link and quote states in place, self-links."""

from __future__ import annotations

from citeguide.config import SiteConfig
from citeguide.content.parse import parse_guide
from citeguide.model import Guide, LinkInfo
from citeguide.render.body import render_body
from conftest import TODAY

FRONT = "---\ntitle: T\nsummary: S.\npublished: 2026-01-01\n---\n\n"
QUOTED = "https://a.example/page#:~:text=fast"


def _guide(body: str) -> Guide:
    guide, diags = parse_guide("content/guides/t.md", FRONT + body, today=TODAY)
    assert guide is not None, diags.render()
    return guide


def test_reference_tooltip_shows_its_links_state_and_title_from_the_link_state() -> None:
    guide = _guide(f"## Speed\n\nA is fast [cite: {QUOTED} · 2026-01-01 · high].\n")
    [source] = guide.sources
    [citation] = guide.citations
    info = LinkInfo(status="dead", title="A <page>", quotes={citation.quote_key or "": "found"})
    html = render_body(guide, SiteConfig(), {source.id: info}, {})
    assert (
        ' · <cite class="cite-title">A &lt;page&gt;</cite>'
        f' · <span class="cite-link link-dead" data-source="{source.id}">dead link</span>'
        ' · <span class="cite-quote quote-found" data-cite="1">quote found on the page</span>'
    ) in html
    assert "unchecked" not in html


def test_a_source_never_checked_is_unchecked_and_its_quote_not_yet_checked() -> None:
    guide = _guide(f"A is fast [cite: {QUOTED} · 2026-01-01 · high].\n")
    html = render_body(guide, SiteConfig(), {}, {})
    assert '<span class="cite-link link-unchecked"' in html
    assert "link unchecked</span>" in html
    assert '<span class="cite-quote quote-unchecked" data-cite="1">' in html
    assert "cite-title" not in html


def test_h2_and_h3_end_with_a_link_to_themselves_and_h4_does_not() -> None:
    html = render_body(_guide("## A `b`\n\n### C\n\n#### D\n"), SiteConfig(), {}, {})
    assert (
        '<h2 id="a-b">A <code>b</code> <a class="self-link" data-pagefind-ignore href="#a-b" '
        'aria-label="Link to this section: A b">#</a></h2>'
    ) in html
    assert 'href="#c" aria-label="Link to this section: C">#</a></h3>' in html
    assert "<h4>D</h4>" in html
