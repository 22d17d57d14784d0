"""Issue 25, item 5: injections into the Markdown twin, llms.txt and links, one test each.

Each case is a finding of the second red-team pass: what a repository's files (guides,
tables, `citeguide.toml`, the link-state file) or an archive's answers could put into a
published file. Outputs are read back with the parsers a consumer would use.
"""

from __future__ import annotations

import asyncio
import codecs
import json
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from hostile_servers import serve
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from citeguide.cli import main
from citeguide.linkcheck.archive import closest_snapshot, save_snapshot
from citeguide.lint.spoofing import url_findings
from citeguide.model import LinkInfo
from citeguide.render.escape import md_url
from citeguide.text.urls import web_url
from conftest import REPO, guide_text, write_site

CITED = "https://github.com/vllm-project/vllm"
FIXTURES = REPO / "tests" / "fixtures" / "idn"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def _tokens(text: str) -> list[Token]:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)
    out: list[Token] = []
    stack = md.parse(text)
    while stack:
        token = stack.pop(0)
        out.append(token)
        stack[0:0] = token.children or []
    return out


def _hrefs(tokens: list[Token]) -> list[str]:
    return [str(t.attrGet("href")) for t in tokens if t.type == "link_open"]


def _guide(body: str, front: str = "") -> str:
    return (
        f"---\ntitle: A guide\nsummary: A short answer.\npublished: 2026-05-01\n{front}---\n\n"
        f"## Which stack?\n\n{body}\n"
    )


def _build(tmp_path: Path, files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> Path:
    root = write_site(tmp_path / "s", files)
    code, err = _run(["build", "--root", str(root)], capsys)
    assert code == 0, err
    return root / "site"


# ------------------------------------------------------------ the Markdown twin, llms.txt


def test_raw_html_in_a_cited_sentence_is_text_in_its_footnote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html = "<script>alert(1)</script> and <img src=x onerror=alert(2)>"
    body = f"Fast {html} [cite: {CITED} · 2026-03-10 · high]."
    site = _build(tmp_path, {"content/guides/demo.md": _guide(body)}, capsys)
    tokens = _tokens((site / "demo.md").read_text(encoding="utf-8"))
    assert not [t for t in tokens if t.type in ("html_inline", "html_block")]
    note = next(t for t in tokens if t.type == "footnote_open")
    text = "".join(t.content for t in tokens[tokens.index(note) :] if t.type == "text")
    assert text.startswith("Fast <script>alert(1)</script> and <img src=x onerror=alert(2)>.")


def test_a_title_never_becomes_a_javascript_link_in_llms_txt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    title = "Pricing](javascript:alert(document.domain)) [Pricing"
    files = {
        "content/guides/demo.md": guide_text(
            title=json.dumps(title), summary=json.dumps("[x](javascript:y)")
        ),
        "citeguide.toml": 'base_url = "https://guides.example.org/"\n',
    }
    site = _build(tmp_path, files, capsys)
    for name in ("llms.txt", "demo.md"):
        tokens = _tokens((site / name).read_text(encoding="utf-8"))
        hrefs = _hrefs(tokens)
        assert all(urlsplit(h).scheme == "https" for h in hrefs), (name, hrefs)
    llms = _tokens((site / "llms.txt").read_text(encoding="utf-8"))
    first = next(t for t in llms if t.type == "link_open" and "demo.md" in str(t.attrGet("href")))
    assert llms[llms.index(first) + 1].content == title


def test_state_file_titles_with_line_breaks_inject_no_footnote_or_heading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = {
        "url": CITED,
        "status": "ok",
        "first_checked": "2026-11-01T00:00:00Z",
        "last_checked": "2026-11-01T00:00:00Z",
        "title": "Real\n\n[^1]: forged note\n\n# Forged\n<script>alert(1)</script>\u0007",
    }
    files = {
        "content/guides/demo.md": guide_text(),
        "citeguide-links.json": json.dumps({"version": 1, "links": {CITED: record}}),
    }
    site = _build(tmp_path, files, capsys)
    text = (site / "demo.md").read_text(encoding="utf-8")
    tokens = _tokens(text)
    assert sum(t.type == "footnote_open" for t in tokens) == 1
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1", "h2", "h2"]
    assert not [t for t in tokens if t.type in ("html_inline", "html_block")]
    assert "\u0007" not in text
    twin = json.loads((site / "demo.cite.json").read_text(encoding="utf-8"))
    assert twin["sources"][0]["link"]["title"] == (
        "Real [^1]: forged note # Forged <script>alert(1)</script>"
    )


def test_decoded_quotes_carry_no_line_breaks_or_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quoted = f"{CITED}#:~:text=%0A%0A%3Ch1%3EBig%3C%2Fh1%3E%0A%00%1B%5B2J%07end"
    body = f"Fast [cite: {quoted} · 2026-03-10 · high]."
    site = _build(tmp_path, {"content/guides/demo.md": _guide(body)}, capsys)
    twin = json.loads((site / "demo.cite.json").read_text(encoding="utf-8"))
    assert twin["claims"][0]["citations"][0]["quote"] == "<h1>Big</h1> [2Jend"
    for path in (site / "demo.md", site / "demo" / "index.html"):
        text = path.read_text(encoding="utf-8")
        assert not {"\x00", "\x1b", "\x07"} & set(text), path
    assert "<h1>Big" not in (site / "demo" / "index.html").read_text(encoding="utf-8")
    tokens = _tokens((site / "demo.md").read_text(encoding="utf-8"))
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1", "h2", "h2"]


# ------------------------------------------------------------ URLs that become links


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://example.org/a><script>alert(1)</script>", "contains '>'"),
        ('https://example.org/?q="onmouseover=alert(1)', "contains '\"'"),
        ("https://example.org/<x", "contains '<'"),
        ("https://example.org\\@evil.example/", "contains '\\\\'"),
        ("https://example.org/a\u00a0b", "contains a space"),
    ],
)
def test_cite_urls_that_would_break_out_of_a_link_are_errors(
    tmp_path: Path, url: str, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_site(
        tmp_path / "s",
        {"content/guides/demo.md": _guide(f"Fast [cite: {url} · 2026-03-10 · high].")},
    )
    code, err = _run(["build", "--root", str(root)], capsys)
    assert code == 1
    assert f"content/guides/demo.md:9:6: error: cite marker URL {url!r} {problem}" in err
    assert "[cite-url]" in err
    assert not (root / "site").exists()


def test_table_source_urls_that_would_break_out_of_a_link_are_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = (
        "m:\n  input: 1\n  output: 5\n  source: https://example.org/p><script>x</script>\n"
        "  date: 2026-03-01\n  confidence: high\n"
    )
    root = write_site(
        tmp_path / "s",
        {"content/guides/demo.md": guide_text(), "content/data/api_prices.yaml": table},
    )
    code, err = _run(["build", "--root", str(root)], capsys)
    assert code == 1
    assert "content/data/api_prices.yaml:4:" in err
    assert "contains '>'" in err


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "https://example.org/a>b", 'https://example.org/"x']
)
def test_author_urls_must_be_links(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    front = f"authors:\n  - name: Ada\n    url: {json.dumps(url)}\n"
    root = write_site(
        tmp_path / "s",
        {"content/guides/demo.md": _guide(f"Fast [cite: {CITED} · 2026-03-10 · high].", front)},
    )
    code, err = _run(["build", "--root", str(root)], capsys)
    assert code == 1
    assert "content/guides/demo.md:7:10: error: front matter key 'authors.0.url': " in err


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("[audience]\nendpoint", "javascript:alert(document.cookie)"),
        ("[audience]\nendpoint", "data:text/html,<script>alert(1)</script>"),
        ("[audience]\nendpoint", "//evil.example/collect"),
        ("[audience]\nendpoint", 'https://example.org/" onmouseover="alert(1)'),
        ("base_url", "//evil.example/"),
        ("base_url", "https://guides.example.org/<script>/"),
        ("base_url", "/docs/<b>/"),
        ("repo_url", "https://github.com/org/repo>"),
    ],
)
def test_settings_that_become_links_are_positioned_config_errors(
    tmp_path: Path, setting: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = f'title = "T"\n{setting} = {json.dumps(value)}\n'
    root = write_site(
        tmp_path / "s", {"content/guides/demo.md": guide_text(), "citeguide.toml": config}
    )
    code, err = _run(["build", "--root", str(root)], capsys)
    assert code == 2
    key = setting.replace("[audience]\n", "audience.")
    line = 3 if setting.startswith("[") else 2
    assert f"citeguide.toml:{line}:1: error: {key}: " in err, err
    assert "[config-invalid]" in err
    assert not (root / "site").exists()


@pytest.mark.parametrize("url", ["//evil.example/", 'about/" onclick="x', "a>b", "a\\b"])
def test_theme_nav_urls_follow_the_link_rule(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = f'[theme]\nnav = [{{ title = "About", url = {json.dumps(url)} }}]\n'
    root = write_site(
        tmp_path / "s", {"content/guides/demo.md": guide_text(), "citeguide.toml": config}
    )
    code, err = _run(["build", "--root", str(root)], capsys)
    assert code == 2
    assert "citeguide.toml:2:1: error: theme.nav.0.url: must be an http(s) URL or a path" in err


def test_an_audience_endpoint_on_the_site_itself_is_a_form_action(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = '[audience]\nenabled = true\nendpoint = "/answer"\n'
    site = _build(
        tmp_path, {"content/guides/demo.md": guide_text(), "citeguide.toml": config}, capsys
    )
    assert 'action="/answer"' in (site / "demo" / "index.html").read_text(encoding="utf-8")


def test_control_characters_in_the_site_title_are_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_site(
        tmp_path / "s",
        {"content/guides/demo.md": guide_text(), "citeguide.toml": 'title = "A\\u0000B"\n'},
    )
    code, err = _run(["build", "--root", str(root)], capsys)
    assert code == 2
    assert "citeguide.toml:1:1: error: title: holds the control character U+0000" in err


# ------------------------------------------------------------ archive answers


def _answering(body: bytes, location: str = "") -> object:
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(302 if location else 200)
        if location:
            request.send_header("Location", location)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handle


@pytest.mark.parametrize(
    "snapshot",
    [
        "https://web.archive.org/web/2026/https://x.example/> <script>alert(1)</script>",
        'https://web.archive.org/web/2026/https://x.example/"onmouseover=alert(1)',
        "https://web.archive.org/web/2026/https://x.example/a b",
    ],
)
def test_archive_answers_that_would_break_out_of_a_link_are_not_taken(snapshot: str) -> None:
    answer = {"archived_snapshots": {"closest": {"available": True, "url": snapshot,
                                                  "timestamp": "20260310000000"}}}  # fmt: skip
    with serve(_answering(json.dumps(answer).encode())) as server:  # type: ignore[arg-type]

        async def ask() -> object:
            async with httpx.AsyncClient() as client:
                endpoint = f"{server.base}/wayback/available"
                return await closest_snapshot(client, endpoint, CITED, date(2026, 3, 10))

        assert asyncio.run(ask()) is None


@pytest.mark.parametrize(
    "location", ["/web/20261127093000/https://x.example/> <script>", "/web/20261127093000/a b"]
)
def test_save_answers_that_would_break_out_of_a_link_are_not_taken(location: str) -> None:
    with serve(_answering(b"", location)) as server:  # type: ignore[arg-type]

        async def ask() -> object:
            async with httpx.AsyncClient() as client:
                return await save_snapshot(client, f"{server.base}/save/", CITED)

        answer = asyncio.run(ask())
    assert answer.snapshot is None  # type: ignore[attr-defined]


@pytest.mark.parametrize("field", ["archive_url", "final_url"])
def test_state_file_urls_that_would_break_out_of_a_link_are_refused(
    tmp_path: Path, field: str, capsys: pytest.CaptureFixture[str]
) -> None:
    record = {
        "url": CITED,
        "status": "moved",
        "first_checked": "2026-11-01T00:00:00Z",
        "last_checked": "2026-11-01T00:00:00Z",
        field: "https://web.archive.org/web/2026/x> <script>alert(1)</script>",
    }
    root = write_site(
        tmp_path / "s",
        {
            "content/guides/demo.md": guide_text(),
            "citeguide-links.json": json.dumps({"version": 1, "links": {CITED: record}}),
        },
    )
    code, err = _run(["build", "--root", str(root)], capsys)
    assert code == 1
    assert "citeguide-links.json:" in err
    assert "[link-state]" in err
    assert not (root / "site").exists()


def test_renderers_never_link_an_unsafe_url_even_past_the_loaders() -> None:
    hostile = "https://web.archive.org/web/2026/x> <script>alert(1)</script>"
    assert not web_url(hostile)
    info = LinkInfo(archive_url=hostile, final_url="javascript:alert(1)", title="a\nb\x00")
    assert (info.archive_url, info.final_url, info.title) == (None, None, "a b")
    assert not md_url(hostile).startswith("<")


# ------------------------------------------------------------ lint: bidi and homoglyphs


def test_bidi_controls_and_homoglyph_hosts_are_flagged_at_the_citation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (
        "Reports open slowly [cite: https://example.org/report\u202efdp.exe · 2026-03-10 · high].\n"
        "Examples help [cite: https://ex\u0430mple.org/ · 2026-03-10 · high].\n"
        "Scopes differ [cite: https://xn--e1argc3h.com/ · 2026-03-10 · high].\n"
        "Books sell [cite: https://b\u00fccher.de/ · 2026-03-10 · high].\n"
    )
    root = write_site(tmp_path / "s", {"content/guides/demo.md": _guide(body)})
    code, err = _run(["lint", "--root", str(root)], capsys)
    assert code == 1  # bidi-url is an error
    lines = err.splitlines()
    assert any(
        line.startswith("content/guides/demo.md:9:21: error: ")
        and "U+202E RIGHT-TO-LEFT OVERRIDE" in line
        and line.endswith("[bidi-url]")
        for line in lines
    ), err
    assert any(
        line.startswith("content/guides/demo.md:10:15: warning: ")
        and "mixes Latin and Cyrillic" in line
        and "xn--exmple-4nf" in line
        and line.endswith("[mixed-script-host]")
        for line in lines
    ), err
    assert any(
        line.startswith("content/guides/demo.md:11:15: warning: ")
        and line.endswith("[lookalike-host]")
        for line in lines
    ), err
    assert "-host]" not in err.split("demo.md:12:", 1)[1]  # German: one script, in Unicode


def _chromium_cases() -> list[tuple[str, str, str]]:
    cases = []
    for line in (FIXTURES / "chromium_spoof_cases.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            host, verdict, what = line.split("\t")
            cases.append((codecs.decode(host, "unicode_escape"), verdict, what))
    return cases


# Chromium now also flags all-Cyrillic labels through Unicode's full whole-script
# confusable data; the rule uses its older, smaller letter set and misses these.
KNOWN_MISSES = {"\u044b\u043e\u050d.com", "\u0441\u044e.com", "\u0430\u044c\u0441.com"}


def test_host_checks_agree_with_chromium_on_its_own_cases() -> None:
    cases = _chromium_cases()
    agree = [
        host
        for host, verdict, _ in cases
        if bool(list(url_findings(f"https://{host}/"))) == (verdict == "unsafe")
    ]
    disagree = {host for host, _, _ in cases} - set(agree)
    assert disagree == KNOWN_MISSES
    assert len(agree) == len(cases) - 3 == 78  # 78 of 81


def _redirecting(location: str) -> object:
    def handle(request: BaseHTTPRequestHandler) -> None:
        body = b"<title>Moved here</title><p>fine</p>"
        if request.path == "/start":
            request.send_response(301)
            request.send_header("Location", location)
            body = b""
        else:
            request.send_response(200)
            request.send_header("Content-Type", "text/html")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handle


@pytest.mark.parametrize(
    ("location", "final"),
    [
        ("/new page><script>alert(1)</script>", "/new%20page%3E%3Cscript%3Ealert(1)%3C/script%3E"),
        ('/new"onmouseover="x', "/new%22onmouseover=%22x"),
        ("https://user:secret@127.0.0.1:9/x", None),  # was a traceback when recorded
    ],
)
def test_redirect_targets_are_recorded_as_sent_or_refused(
    tmp_path: Path, location: str, final: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(_redirecting(location)) as server:  # type: ignore[arg-type]
        body = f"Servers answer requests quickly [cite: {server.base}/start · 2026-03-10 · high]."
        root = write_site(
            tmp_path / "s",
            {
                "content/guides/demo.md": _guide(body),
                "citeguide.toml": '[linkcheck]\nretries = 0\narchive_endpoint = ""\n',
            },
        )
        code, _ = _run(["check", "--root", str(root)], capsys)
    assert code == 0
    record = json.loads((root / "citeguide-links.json").read_text())["links"][
        f"{server.base}/start"
    ]
    if final is None:
        assert (record["status"], record["error"], record["final_url"]) == (
            "error", "malformed", None
        )  # fmt: skip
        assert "secret" not in json.dumps(record)
    else:
        assert record["final_url"] == server.base + final
        assert record["status"] == "moved"
    code, err = _run(["build", "--root", str(root)], capsys)
    assert code == 0, err
    tokens = _tokens((root / "site" / "demo.md").read_text(encoding="utf-8"))
    assert not [t for t in tokens if t.type in ("html_inline", "html_block")]


def test_a_chart_title_is_text_in_the_markdown_twin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = REPO / "tests" / "sites" / "golden" / "content" / "data"
    chart = (
        "```chart breakeven\ntitle = <script>alert(1)</script> *API* [x](javascript:y)\n"
        "model = small-model\ngpu_hourly = gpu-80-rental\ntokens_per_second = 1000\n```\n"
    )
    files = {f"content/data/{p.name}": p.read_text(encoding="utf-8") for p in data.iterdir()}
    files["content/guides/demo.md"] = _guide(
        f"Serving is cheaper at scale [cite: {CITED} · 2026-03-10 · high].\n\n{chart}"
    )
    site = _build(tmp_path, files, capsys)
    tokens = _tokens((site / "demo.md").read_text(encoding="utf-8"))
    assert not [t for t in tokens if t.type in ("html_inline", "html_block", "em")]
    assert all(h.startswith(("https://", "/")) for h in _hrefs(tokens))  # base_url "/"
    strong = next(t for t in tokens if t.type == "strong_open")
    assert tokens[tokens.index(strong) + 1].content == (
        "<script>alert(1)</script> *API* [x](javascript:y)."
    )
