"""The published site: machine files parse, page and twins agree, reader features render."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from citeguide.engine.builder import build_site
from conftest import REPO, TODAY, guide_text, write_site

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example site, built once (search index included)."""
    root = tmp_path_factory.mktemp("bundled")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "citeguide.toml", root)
    result = build_site(root, today=TODAY)
    assert result.ok, result.diagnostics.render()
    return root / "site"


def _twins(site: Path) -> list[dict[str, object]]:
    return [json.loads(p.read_text()) for p in sorted(site.glob("*.cite.json"))]


def test_every_contract_path_exists(bundled: Path) -> None:
    for rel in ["index.html", "feed.xml", "sitemap.xml", "robots.txt", "llms.txt", "404.html",
                "cite-index.json", "schemas/cite.schema.json", "tags/index.html",
                "tags/local-models/index.html", "pagefind/pagefind.js",
                "self-hosted-llm-2026/index.html", "self-hosted-llm-2026.cite.json",
                "self-hosted-llm-2026.md"]:  # fmt: skip
        assert (bundled / rel).is_file(), rel


def test_atom_feed_parses(bundled: Path) -> None:
    feed = ET.parse(bundled / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 4
    twins = {t["url"]: t for t in _twins(bundled)}
    for entry in entries:
        twin = twins[entry.findtext(f"{ATOM}id")]
        assert entry.findtext(f"{ATOM}updated") == f"{twin['updated']}T00:00:00Z"
        types = {link.get("type") for link in entry.findall(f"{ATOM}link")}
        assert types == {"text/html", "application/json", "text/markdown"}


def test_each_feed_entry_has_its_own_updated_date(tmp_path: Path) -> None:
    """The bundled guides happen to share one update day; guides that do not, do not."""
    files = {
        f"content/guides/{slug}.md": guide_text(slug.title()).replace("2026-05-01", day)
        for slug, day in [("a", "2026-03-02"), ("b", "2026-05-01"), ("c", "2026-04-11")]
    }
    root = write_site(tmp_path / "s", files)
    assert build_site(root, today=TODAY).ok
    feed = ET.parse(root / "site" / "feed.xml").getroot()
    stamps = [e.findtext(f"{ATOM}updated") for e in feed.findall(f"{ATOM}entry")]
    assert stamps == ["2026-05-01T00:00:00Z", "2026-04-11T00:00:00Z", "2026-03-02T00:00:00Z"]
    assert feed.findtext(f"{ATOM}updated") == "2026-05-01T00:00:00Z"


def test_one_claim_is_counted_in_the_singular(tmp_path: Path) -> None:
    """A stranger's llms.txt read `1 claims, 1 sources, 0 computed figures`, and the
    feed `1 cited claims from 1 sources`."""
    root = write_site(tmp_path / "s", {"content/guides/a.md": guide_text("One claim")})
    assert build_site(root, today=TODAY).ok
    llms = (root / "site" / "llms.txt").read_text(encoding="utf-8")
    assert "(/a.cite.json): 1 claim, 1 source, 0 computed figures, updated 2026-05-01" in llms
    feed = ET.parse(root / "site" / "feed.xml").getroot()
    [entry] = feed.findall(f"{ATOM}entry")
    assert "<p>1 cited claim from 1 source.</p>" in (entry.findtext(f"{ATOM}content") or "")


def test_sitemap_parses_and_lists_absolute_urls(bundled: Path) -> None:
    urlset = ET.parse(bundled / "sitemap.xml").getroot()
    locs = [u.findtext(f"{SITEMAP}loc") or "" for u in urlset.findall(f"{SITEMAP}url")]
    assert "https://guides.example.org/self-hosted-llm-2026/" in locs
    assert "https://guides.example.org/tags/local-models/" in locs
    assert all(loc.startswith("https://guides.example.org/") for loc in locs)
    assert "Sitemap: https://guides.example.org/sitemap.xml" in (bundled / "robots.txt").read_text()


def test_llms_txt_structure(bundled: Path) -> None:
    text = (bundled / "llms.txt").read_text()
    lines = text.splitlines()
    assert lines[0].startswith("# ")
    assert lines[1] == ""
    assert lines[2].startswith("> ")
    sections = [line for line in lines if line.startswith("## ")]
    assert sections == ["## Guides", "## Citation manifests", "## Optional"]
    links = re.findall(r"^- \[([^\]]+)\]\((\S+)\): .+$", text, re.MULTILINE)
    targets = [url for _, url in links]
    assert "https://guides.example.org/self-hosted-llm-2026.md" in targets
    assert "https://guides.example.org/self-hosted-llm-2026.cite.json" in targets
    for url in targets:
        rel = url.removeprefix("https://guides.example.org/")
        assert (bundled / rel).is_file(), url


def test_cite_index(bundled: Path) -> None:
    index = json.loads((bundled / "cite-index.json").read_text())
    by_slug = {g["slug"]: g for g in index["guides"]}
    twin = json.loads((bundled / "self-hosted-llm-2026.cite.json").read_text())
    entry = by_slug["self-hosted-llm-2026"]
    assert entry["twin_url"] == twin["twin_url"]
    assert entry["claims"] == len(twin["claims"])
    assert entry["sources"] == len(twin["sources"])
    assert entry["updated"] == twin["updated"]
    assert entry["latest_update"] == twin["updates"][0]
    # It names its own schema, and the twins' separately (it used to point at the twins'
    # schema, which it fails).
    assert index["$schema"] == "https://guides.example.org/schemas/cite-index.schema.json"
    assert index["twin_schema"] == twin["$schema"]


INDEX_SCHEMA = REPO / "schemas" / "cite-index.schema.json"


def test_cite_index_has_its_own_schema_generated_from_its_model(bundled: Path) -> None:
    from citeguide.render.twin import index_schema_json

    assert INDEX_SCHEMA.read_text(encoding="utf-8") == index_schema_json(), (
        "schemas/cite-index.schema.json drifted from the CiteIndex model; run `make schema`"
    )
    schema = json.loads(INDEX_SCHEMA.read_text(encoding="utf-8"))
    published = json.loads((bundled / "schemas" / "cite-index.schema.json").read_text())
    assert published.pop("$id") == "https://guides.example.org/schemas/cite-index.schema.json"
    assert published == schema
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    index = json.loads((bundled / "cite-index.json").read_text())
    assert [e.message for e in validator.iter_errors(index)] == []
    broken = {**index, "guides": [{**index["guides"][0], "claims": "34"}]}
    assert [e.message for e in validator.iter_errors(broken)] == ["'34' is not of type 'integer'"]


def test_schema_command_prints_the_index_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from citeguide.cli import main

    assert main(["schema", "--index"]) == 0
    assert capsys.readouterr().out == INDEX_SCHEMA.read_text(encoding="utf-8")


AJV = REPO / "tests" / "js" / "node_modules" / ".bin" / "ajv"


def _ajv(*args: str) -> subprocess.CompletedProcess[str]:
    if not AJV.exists() or shutil.which("node") is None:
        pytest.skip(
            "ajv not installed: `make node-tools` installs it from npm into tests/js "
            "(needs node and npm)"
        )
    return subprocess.run(
        [str(AJV), *args, "--spec=draft2020", "--strict=true", "-c", "ajv-formats"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("name", ["cite.schema.json", "cite-index.schema.json"])
def test_published_schemas_pass_ajv_strict_mode(name: str) -> None:
    """ajv's strict mode refuses what other validators silently ignore (a `format` beside
    an `anyOf` without a type, unknown keywords)."""
    done = _ajv("compile", "-s", str(REPO / "schemas" / name))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "is valid" in done.stdout + done.stderr


def test_ajv_validates_every_machine_file(bundled: Path) -> None:
    twins = sorted(str(p) for p in bundled.glob("*.cite.json"))
    checks = [
        (bundled / "schemas" / "cite.schema.json", twins),
        (bundled / "schemas" / "cite-index.schema.json", [str(bundled / "cite-index.json")]),
    ]
    for schema, files in checks:
        data = [arg for path in files for arg in ("-d", path)]
        done = _ajv("validate", "-s", str(schema), *data)
        assert done.returncode == 0, done.stdout + done.stderr
        assert (done.stdout + done.stderr).count(" valid") == len(files)
    # The canary: a twin with a number where the schema says text is refused.
    bad = bundled.parent / "bad.cite.json"
    twin = json.loads(Path(twins[0]).read_text())
    bad.write_text(json.dumps({**twin, "title": 7}))
    done = _ajv("validate", "-s", str(checks[0][0]), "-d", str(bad))
    assert done.returncode != 0
    assert "must be string" in done.stdout + done.stderr


def test_update_notes_reach_every_output(bundled: Path) -> None:
    note = "Throughputs are counted in output tokens and compared at the benchmark"
    slug = "self-hosted-llm-2026"
    outputs = {
        "page": f"{slug}/index.html",
        "JSON twin": f"{slug}.cite.json",
        "Markdown twin": f"{slug}.md",
        "index page": "index.html",
        "cite-index.json": "cite-index.json",
        "llms.txt": "llms.txt",
        "feed": "feed.xml",
    }
    missing = [what for what, rel in outputs.items() if note not in (bundled / rel).read_text()]
    assert missing == []
    assert "(v3: Throughputs are counted" in (bundled / "llms.txt").read_text()
    assert "Latest update, v3 (2026-12-02): Throughputs" in html.unescape(
        (bundled / "feed.xml").read_text()
    )


def test_markdown_twin_has_one_numbering(bundled: Path) -> None:
    """Footnote [^4] is citation 4 of the page; the Sources list is not numbered again
    (its 4. used to be another source) and names the footnotes citing each source."""
    for twin in _twins(bundled):
        markdown = (bundled / f"{twin['slug']}.md").read_text()
        sources = markdown.split("## Sources\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
        assert sources
        assert all(line.startswith("- <") for line in sources), sources[0]
        urls = {s["id"]: s["url"] for s in twin["sources"]}  # type: ignore[attr-defined]
        claims: list[dict[str, Any]] = twin["claims"]  # type: ignore[assignment]
        for citation in (c for claim in claims for c in claim["citations"]):
            line = next(x for x in sources if x.startswith(f"- <{urls[citation['source']]}>"))
            assert re.search(rf"cited in (\[\^\d+\], )*\[\^{citation['n']}\]( and|[,;])", line)
            footnote = re.search(rf"^\[\^{citation['n']}\]: .*$", markdown, re.MULTILINE)
            assert footnote is not None
            assert f"Source: <{urls[citation['source']]}" in footnote.group(0)


def test_numbers_are_typed_as_numbers_in_every_twin(bundled: Path) -> None:
    """A chart's settings and lines, like a calculation's inputs: `gpus` is 2, not "2"."""
    twin = json.loads((bundled / "self-hosted-llm-2026.cite.json").read_text())
    chart = twin["charts"][0]
    assert chart["inputs"]["from"] == 10_000_000
    selfhost = chart["lines"][1]["params"]
    assert selfhost["gpus"] == 2
    assert selfhost["utilisation"] == 0.5
    assert selfhost["gpu_hourly"] == "h100-sxm-rental-lambda"
    numeric = re.compile(r"^-?[\d,]*\.?\d+[kMB]?$")

    def strings(node: Any, path: str) -> list[str]:
        if isinstance(node, dict):
            return [p for k, v in node.items() for p in strings(v, f"{path}.{k}")]
        if isinstance(node, list):
            return [p for v in node for p in strings(v, f"{path}[]")]
        return [path] if isinstance(node, str) and numeric.match(node) else []

    found = [p for t in _twins(bundled) for p in strings(t, str(t["slug"]))]
    # Quotes are the source's own text and the format version is a label; a unit ("1",
    # in `derived_units` too) and a display are texts. Model trees and table values are
    # exact decimal strings on purpose (docs/twin.md): a JSON float would round 0.0733.
    exact = re.compile(r"\.(models|tables)\.|\.facts\[\]\.values\.|\.derived_units\.")
    texts = (".quote", ".schema_version", ".unit", ".display")
    assert [p for p in found if not p.endswith(texts) and not exact.search(p)] == []


def test_every_quote_shows_its_status_beside_it(bundled: Path) -> None:
    """Before any `check` a quote is "not yet checked", in the manifest and the tooltip;
    it used to read `Quoted: "2,314.73"` with nothing after it."""
    page = (bundled / "self-hosted-llm-2026" / "index.html").read_text()
    assert (
        '<p class="quote">Quoted: <q>2,314.73</q> · '
        '<span class="badge quote-unchecked">quote not yet checked</span></p>'
    ) in page
    quotes = page.count('<p class="quote">')
    assert quotes == page.count('<span class="badge quote-unchecked">') >= 2
    assert page.count('<span class="cite-quote quote-unchecked"') == quotes


def test_json_ld_article(bundled: Path) -> None:
    page = (bundled / "self-hosted-llm-2026" / "index.html").read_text()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert raw is not None
    data = json.loads(raw.group(1))
    twin = json.loads((bundled / "self-hosted-llm-2026.cite.json").read_text())
    assert data["@type"] == "Article"
    assert data["datePublished"] == "2026-05-01"
    assert data["dateModified"] == "2026-12-02"
    assert data["keywords"] == twin["tags"]
    assert [a["name"] for a in data["about"]] == twin["entities"]
    assert [c["url"] for c in data["citation"]] == [s["url"] for s in twin["sources"]]
    assert '<meta property="og:title"' in page
    assert '<link rel="canonical" href="https://guides.example.org/self-hosted-llm-2026/">' in page
    assert 'type="text/markdown" href="../self-hosted-llm-2026.md"' in page
    assert 'type="application/json" href="../self-hosted-llm-2026.cite.json"' in page


def test_parity_between_page_twin_and_markdown(bundled: Path) -> None:
    """Every claim and source of each twin is on the page and in the Markdown twin."""
    for twin in _twins(bundled):
        slug = twin["slug"]
        page = html.unescape((bundled / str(slug) / "index.html").read_text())
        markdown = (bundled / f"{slug}.md").read_text()
        for claim in twin["claims"]:  # type: ignore[attr-defined]
            assert claim["text"] in page, claim["text"]
            assert claim["text"] in markdown, claim["text"]
            assert f'id="{claim["id"]}"' in page
        for source in twin["sources"]:  # type: ignore[attr-defined]
            assert source["url"] in page
            assert source["url"] in markdown
        for calc in twin["calculations"]:  # type: ignore[attr-defined]
            assert calc["display"] in page
            assert f"{calc['display']}[^{calc['id']}]" in markdown
        claims: list[dict[str, list[dict[str, int]]]] = twin["claims"]  # type: ignore[assignment]
        citations = [c for claim in claims for c in claim["citations"]]
        for citation in citations:
            assert f"[^{citation['n']}]:" in markdown
            assert f'href="#cite-{citation["n"]}"' in page


def test_markdown_twin_keeps_markdown_and_drops_markers(bundled: Path) -> None:
    markdown = (bundled / "self-hosted-llm-2026.md").read_text()
    assert "[cite:" not in markdown
    assert "[calc:" not in markdown
    assert "```chart" not in markdown
    assert "| Tokens a month, input and output together | API | Self-hosted |" in markdown
    assert markdown.startswith("# Self-hosted LLMs in 2026")
    assert "## When does self-hosting pencil out?" in markdown


def test_evidence_summary_and_tooltips(bundled: Path) -> None:
    page = (bundled / "self-hosted-llm-2026" / "index.html").read_text()
    # The summary is labelled, and its confidence shares are plain text (no red "0% low").
    assert '<p class="evidence-label" id="evidence-summary">Evidence</p>' in page
    assert '<ul class="evidence" aria-labelledby="evidence-summary">' in page
    # Every input counts: the citations and the table rows behind the figures (issue 21:
    # it said "69% high, 31% medium, 0% low" and nothing stale over the citations alone,
    # while a figure rests on a low-confidence, stale, estimated purchase price).
    assert (
        '<li>confidence: 64% high, 34% medium, 2% low <span class="evidence-of">'
        "(of 39 citations and 16 table rows)</span></li>"
    ) in page
    assert '<li><span class="badge estimate">1 estimated input</span></li>' in page
    assert '<li><span class="badge stale">1 stale</span> (1 table row)</li>' in page
    assert "links: not checked yet" in page
    assert 'href="../about-evidence/">How to read the evidence</a>' in page
    assert re.search(r'<span class="cite-tip" id="cite-tip-1">www\.anthropic\.com'
                     r' · 2026-05-01 · high confidence · <span class="cite-link link-unchecked"',
                     page)  # fmt: skip


def test_link_status_reaches_the_tooltip(tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", {"content/guides/demo.md": guide_text()})
    url = "https://github.com/vllm-project/vllm"
    record = {
        "url": url,
        "status": "dead",
        "http_status": 404,
        "first_checked": "2026-11-01T00:00:00Z",
        "last_checked": "2026-11-20T00:00:00Z",
        "consecutive_failures": 2,
        "archive_url": "https://web.archive.org/web/2026/x",
        "title": "vLLM <fast> & easy",
    }
    state = {"version": 1, "links": {url: record}}
    (root / "citeguide-links.json").write_text(json.dumps(state))
    assert build_site(root, today=TODAY).ok
    page = (root / "site" / "demo" / "index.html").read_text()
    assert '<span class="cite-link link-dead" data-source="s-' in page
    # the source's page title names it in the tooltip, escaped
    title = '<cite class="cite-title">vLLM &lt;fast&gt; &amp; easy</cite>'
    assert f'{title} · <span class="cite-link' in page
    assert "links: 0% live (0 of 1 checked)" in page


def test_stale_badge_uses_per_confidence_budgets(tmp_path: Path) -> None:
    text = guide_text().replace("2026-03-10 · high", "2020-01-01 · high")
    root = write_site(tmp_path / "s", {"content/guides/demo.md": text,
                                        "citeguide.toml": "[stale]\nhigh = 365\n"})  # fmt: skip
    assert build_site(root, today=TODAY).ok
    page = (root / "site" / "demo" / "index.html").read_text()
    assert 'class="badge stale" title="Older than the high-confidence budget of 365 days"' in page
    assert "1 stale" in page


def test_audience_block_is_optional_and_silent_without_endpoint(tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", {"content/guides/demo.md": guide_text()})
    assert build_site(root, today=TODAY).ok
    assert "audience" not in (root / "site" / "index.html").read_text()
    statement = '[audience]\nenabled = true\nheading = "Written for agents and people"\n'
    write_site(root, {"citeguide.toml": statement})
    assert build_site(root, today=TODAY).ok
    page = (root / "site" / "demo" / "index.html").read_text()
    assert "Written for agents and people" in page
    assert "Content is identical for people and agents" in page
    assert "<form method" not in page  # no answer form without an endpoint
    write_site(
        root, {"citeguide.toml": '[audience]\nenabled = true\nendpoint = "https://e.org/a"\n'}
    )
    assert build_site(root, today=TODAY).ok
    page = (root / "site" / "demo" / "index.html").read_text()
    assert '<form method="post" action="https://e.org/a">' in page


def test_search_can_be_turned_off(tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", {"content/guides/demo.md": guide_text(),
                                        "citeguide.toml": "search = false\n"})  # fmt: skip
    assert build_site(root, today=TODAY).ok
    assert not (root / "site" / "pagefind").exists()
    assert "search.js" not in (root / "site" / "index.html").read_text()


def test_no_external_requests_in_pages(bundled: Path) -> None:
    """Scripts, styles, images and fonts all come from the site itself."""
    for page in bundled.rglob("*.html"):
        text = page.read_text()
        loaded = re.findall(r'<(?:script|img|iframe)[^>]*\ssrc="([^"]+)"', text)
        loaded += re.findall(r'<link rel="(?:stylesheet|preload|icon)"[^>]*href="([^"]+)"', text)
        assert loaded, page
        assert not [url for url in loaded if re.match(r"^(https?:)?//", url)], page
    assert "@import" not in (bundled / "assets" / "style.css").read_text()


def test_tag_pages_list_their_guides(bundled: Path) -> None:
    page = (bundled / "tags" / "serving" / "index.html").read_text()
    assert "choosing-a-serving-stack/" in page
    assert "self-hosted-llm-2026/" not in page
    index = (bundled / "tags" / "index.html").read_text()
    assert 'href="../tags/local-models/"' in index


@pytest.mark.parametrize(
    ("audience", "shown"),
    [
        ("enabled = true\n", False),  # "Are you a bot?" with nowhere to answer
        ('enabled = true\nendpoint = "https://example.org/answer"\n', True),
        ('enabled = true\nheading = "Written for agents and people"\n', True),
    ],
)
def test_audience_question_is_shown_only_when_it_can_be_answered(
    tmp_path: Path, audience: str, shown: bool
) -> None:
    root = write_site(
        tmp_path / "s",
        {"content/guides/g.md": guide_text(), "citeguide.toml": f"[audience]\n{audience}"},
    )
    assert build_site(root, today=TODAY).ok
    page = (root / "site/g/index.html").read_text(encoding="utf-8")
    assert ('class="audience"' in page) is shown


def test_favicon_is_shipped_and_linked(tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", {"content/guides/g.md": guide_text()})
    assert build_site(root, today=TODAY).ok
    assert (root / "site/assets/favicon.svg").read_text(encoding="utf-8").startswith("<svg")
    assert '<link rel="icon" href="assets/favicon.svg"' in (root / "site/index.html").read_text(
        encoding="utf-8"
    )
    index = (root / "site/index.html").read_text(encoding="utf-8")
    # Laid out from the first paint, but only with JavaScript (style.css, `html.js`).
    assert '<form class="search" role="search" id="search-form" action="#">' in index


def test_bundled_guides_quote_their_key_figures(bundled: Path) -> None:
    """Oracle's benchmark figures and vLLM's own words are quoted as text fragments."""
    quotes = [
        c["quote"]
        for twin in _twins(bundled)
        for claim in twin["claims"]  # type: ignore[attr-defined]
        for c in claim["citations"]
        if c["quote"]
    ]
    assert {"2,314.73", "1,296.53", "Continuous batching of incoming requests"} <= set(quotes)
