"""One escaping policy per output format (docs/security.md), checked by parsing the output.

The same hostile strings go through every field a guide, the configuration and the
link-state file can set; each output is then read back by a real parser: markdown-it-py
for the Markdown twin and llms.txt (no raw HTML, no link that is not http(s), no heading
or footnote the author did not write, every text rendering as itself), an XML parser for
the feed and sitemap, `json` for the twins and the index, Python's HTML parser for pages.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from citeguide.engine.builder import build_site
from citeguide.render.escape import md_block, md_code, md_heading, md_link, md_text, md_url
from citeguide.untrusted import one_line
from conftest import TODAY, write_site

HOSTILE = [
    "Pricing](javascript:alert(document.domain)) [Pricing",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "<!-- hidden --> <a href='javascript:alert(3)'>x</a>",
    "*em* _u_ __s__ `code` ~~del~~ trailing\\",
    "[^1] [ref]: javascript:alert(4) <javascript:alert(5)>",
    "&lt;b&gt; &#60;i&#62; &amp; R&D",
    "# heading",
    "1. list",
    "- item",
    "> quote",
    "line one\n[^9]: injected footnote\n# injected heading",
    "ends with #",
]
TITLE = HOSTILE[0] + " " + HOSTILE[11] + " #"
CITED = "https://example.org/page"
QUOTE = "%0A%3Ch1%3EBig%3C%2Fh1%3E%00%1B%07end"  # newline, <h1>, NUL, ESC, BEL
STATE_TITLE = "Real title\n[^1]: injected\n<script>x</script>\u0000\u001b[31m\u0007"


def _yaml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar


def _guide() -> str:
    entities = ", ".join(_yaml(h) for h in HOSTILE)
    updates = "\n".join(
        f"  - version: {_yaml(h[:20])}\n    date: 2026-05-0{1 + n % 3}\n    note: {_yaml(h)}"
        for n, h in enumerate(HOSTILE)
    )
    return f"""\
---
title: {_yaml(TITLE)}
summary: {_yaml(" ".join(HOSTILE[1:4]) + " " + HOSTILE[8])}
published: 2026-05-01
entities: [{entities}]
updates:
{updates}
authors:
  - name: {_yaml(HOSTILE[0])}
    url: https://example.org/ada
  - {_yaml(HOSTILE[2])}
---

## Q <em>raw</em> {HOSTILE[0]}?

Claim with <script>alert('b')</script>, {HOSTILE[3]} and {HOSTILE[5]} \
[cite: {CITED}#:~:text={QUOTE} · 2026-03-10 · high].
"""


CONFIG = f"""\
title = {_yaml("Site " + HOSTILE[1] + " " + HOSTILE[0])}
description = {_yaml(HOSTILE[7] + " " + HOSTILE[4] + " " + HOSTILE[6])}
base_url = "https://guides.example.org/"

[audience]
enabled = true
endpoint = "https://example.org/answer"
"""


def _state() -> str:
    record = {
        "url": CITED,
        "status": "moved",
        "http_status": 200,
        "final_url": "https://example.org/new-page",
        "first_checked": "2026-11-01T00:00:00Z",
        "last_checked": "2026-11-01T00:00:00Z",
        "archive_url": "https://web.archive.org/web/20260310000000/https://example.org/page",
        "title": STATE_TITLE,
        "quotes": {f"text={QUOTE}": "found"},
    }
    return json.dumps({"version": 1, "links": {CITED: record}})


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_site(
        tmp_path_factory.mktemp("hostile") / "s",
        {
            "content/guides/evil.md": _guide(),
            "citeguide.toml": CONFIG,
            "citeguide-links.json": _state(),
        },
    )
    result = build_site(root, today=TODAY)
    assert result.ok, result.diagnostics.render()
    return root / "site"


# ---------------------------------------------------------------- Markdown


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)


def _walk(tokens: list[Token]) -> list[Token]:
    out = []
    for token in tokens:
        out.append(token)
        out += _walk(token.children or [])
    return out


def _assert_clean_markdown(text: str) -> list[Token]:
    tokens = _walk(_markdown().parse(text))
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_block", "html_inline", "image"}, kinds
    for token in tokens:
        if token.type == "link_open":
            assert urlsplit(str(token.attrGet("href"))).scheme in ("http", "https"), token
    assert sum(1 for t in tokens if t.type == "heading_open" and t.tag == "h1") == 1
    return tokens


def _h1_text(text: str) -> str:
    rendered = _markdown().render(text)
    inner = rendered.split("<h1>", 1)[1].split("</h1>", 1)[0]
    return html.unescape(inner)


def test_markdown_twin_parses_to_no_raw_html_no_foreign_link_and_only_real_notes(
    site: Path,
) -> None:
    text = (site / "evil.md").read_text(encoding="utf-8")
    tokens = _assert_clean_markdown(text)
    # One citation: one footnote; the state file's title and the quote add none.
    assert sum(1 for t in tokens if t.type == "footnote_open") == 1
    assert {t.meta["label"] for t in tokens if t.type == "footnote_ref"} == {"1"}
    # Headings: the title, the author's section, Update log, Sources; nothing injected.
    assert sum(1 for t in tokens if t.type == "heading_open") == 4
    assert _h1_text(text) == one_line(TITLE)
    assert not {"\x00", "\x1b", "\x07"} & set(text)
    rendered = _markdown().render(text)
    assert "<script" not in rendered
    assert "<img" not in rendered
    assert "<h1>Big" not in rendered
    assert html.escape(one_line(STATE_TITLE), quote=False) in rendered.replace("&quot;", '"')
    assert "&lt;h1&gt;Big&lt;/h1&gt;end" in rendered  # the quote, shown as written


def test_llms_txt_parses_to_no_raw_html_and_http_links_only(site: Path) -> None:
    text = (site / "llms.txt").read_text(encoding="utf-8")
    tokens = _assert_clean_markdown(text)
    links = [t for t in tokens if t.type == "link_open"]
    assert {str(t.attrGet("href")) for t in links} >= {
        "https://guides.example.org/evil.md",
        "https://guides.example.org/evil.cite.json",
    }
    assert "javascript:" not in " ".join(str(t.attrGet("href")) for t in links)
    assert _h1_text(text) == "Site " + HOSTILE[1] + " " + HOSTILE[0]
    # The guide's title is the text of its link, whole.
    labels = [tokens[tokens.index(t) + 1].content for t in links]
    assert one_line(TITLE) in labels


@pytest.mark.parametrize("value", [*HOSTILE, STATE_TITLE, "a_b c_ _d *", "2026. Year", "\\"])
def test_markdown_text_renders_as_itself(value: str) -> None:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    inline = {"paragraph_open", "paragraph_close", "inline", "text"}

    def shown(markdown: str, allowed: set[str]) -> str:
        tokens = _walk(md.parse(markdown))
        assert {t.type for t in tokens} <= allowed, markdown
        return "".join(t.content for t in tokens if t.type == "text")

    assert shown("x " + md_text(value), inline) == "x " + one_line(value)
    assert shown(md_block(value), inline) == one_line(value)
    quote = inline | {"blockquote_open", "blockquote_close"}
    assert shown("> " + md_block(value), quote) == one_line(value)
    heading = inline - {"paragraph_open", "paragraph_close"} | {"heading_open", "heading_close"}
    assert shown("# " + md_heading(value), heading) == one_line(value)


def test_markdown_links_and_code_spans() -> None:
    assert md_url("https://example.org/a") == "<https://example.org/a>"
    assert md_url("https://example.org/a>b") == "https://example.org/a>b"  # text, not a link
    assert md_url("javascript:alert(1)") == "javascript:alert(1)"  # text, never a link
    assert md_url("/serving/") == "[/serving/](/serving/)"  # base_url = "/"
    assert md_link("Ada", "https://example.org/(a)") == "[Ada](<https://example.org/(a)>)"
    assert md_link("Ada [x]", "javascript:alert(1)") == "Ada \\[x\\]"
    assert md_link("Ada", "//evil.example/") == "Ada"
    assert md_code("a`b") == "``a`b``"
    assert md_code("`a") == "`` `a ``"


# ---------------------------------------------------------------- XML


def test_feed_and_sitemap_parse_as_xml_with_the_text_intact(site: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    assert feed.findtext(f"{atom}title") == "Site " + HOSTILE[1] + " " + HOSTILE[0]
    entry = feed.find(f"{atom}entry")
    assert entry is not None
    assert entry.findtext(f"{atom}title") == one_line(TITLE)
    assert [a.findtext(f"{atom}name") for a in entry.findall(f"{atom}author")] == [
        HOSTILE[0],
        HOSTILE[2],
    ]
    content = entry.findtext(f"{atom}content") or ""
    assert "<script" not in content
    assert "<img" not in content
    assert "&lt;script&gt;" in content
    ET.fromstring((site / "sitemap.xml").read_bytes())


def test_control_characters_never_reach_xml(tmp_path: Path) -> None:
    from citeguide.render.escape import xml_attr, xml_text

    dirty = "a\x00b\x0bc\x1bd\ufffe\n<e> & 'f' \"g\""  # \x0b and \n are whitespace
    ET.fromstring(f"<x a={xml_attr(dirty)}>{xml_text(dirty)}</x>")
    assert xml_text(dirty) == "ab cd &lt;e&gt; &amp; 'f' \"g\""


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab &<>'\"\t\r\n;#x\x00\ufffe\u00e9")), max_size=24))
def test_xml_escaping_is_the_standard_librarys(text: str) -> None:
    """`xml_text` and `xml_attr` escape as `xml.sax.saxutils.escape` and `quoteattr` do
    (citeguide does not import them: they bring `ssl` along)."""
    from xml.sax.saxutils import escape, quoteattr

    from citeguide.render.escape import _NOT_XML, xml_attr, xml_text

    clean = _NOT_XML.sub("", one_line(text))
    assert xml_text(text) == escape(clean)
    assert xml_attr(text) == quoteattr(clean)


# ---------------------------------------------------------------- JSON


def test_json_outputs_round_trip_the_text_verbatim(site: Path) -> None:
    twin = json.loads((site / "evil.cite.json").read_text(encoding="utf-8"))
    assert twin["title"] == one_line(TITLE)
    assert twin["entities"] == [one_line(h) for h in HOSTILE]
    assert twin["claims"][0]["text"].startswith("Claim with <script>alert('b')</script>")
    citation = twin["claims"][0]["citations"][0]
    assert citation["quote"] == "<h1>Big</h1>end"  # control characters gone, text kept
    source = twin["sources"][0]
    assert source["link"]["title"] == one_line(STATE_TITLE)
    index = json.loads((site / "cite-index.json").read_text(encoding="utf-8"))
    assert index["guides"][0]["title"] == one_line(TITLE)


# ---------------------------------------------------------------- HTML


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src") and names.get("type") != "application/ld+json":
            self.problems.append(f"inline script {attrs}")
        if tag in ("img", "iframe", "object", "embed"):
            self.problems.append(f"<{tag}> from content")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if name in ("href", "src", "action") and value:
                scheme = urlsplit(value).scheme
                if scheme not in ("", "http", "https"):
                    self.problems.append(f"{tag} {name}={value}")


def test_html_pages_have_no_injected_markup_or_foreign_links(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert pages
    for page in pages:
        parser = _Attributes()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.problems == [], page
    text = (site / "evil" / "index.html").read_text(encoding="utf-8")
    assert '<form method="post" action="https://example.org/answer">' in text
    assert "\x00" not in text
    assert "\x1b" not in text


# ---------------------------------------------------------------- check --format markdown


def test_check_markdown_report_keeps_its_table_whole() -> None:
    from datetime import date

    from citeguide.linkcheck.collect import Target, Use
    from citeguide.linkcheck.report import markdown
    from citeguide.linkcheck.state import LinkRecord

    url = "https://example.org/a|b"
    record = LinkRecord(
        url=url,
        status="moved",
        http_status=200,
        final_url="https://example.org/c|d",
        first_checked="2026-11-01T00:00:00Z",
        last_checked="2026-11-01T00:00:00Z",
    )
    target = Target(key=url, url=url, uses=[Use("content/guides/a.md", 3, date(2026, 1, 1))])
    tokens = _walk(_markdown().parse(markdown([(target, record)])))
    cells = [t for t in tokens if t.type == "td_open"]
    assert len(cells) == 3
    hrefs = [str(t.attrGet("href")) for t in tokens if t.type == "link_open"]
    assert hrefs == ["https://example.org/a%7Cb"]
