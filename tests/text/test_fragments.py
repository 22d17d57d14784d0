"""Quotes in cite URLs: text-fragment parsing, visible text, matching, and the whole loop
against a real local server (check records found/missing, build and lint show it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from citeguide.cli import main
from citeguide.linkcheck.pages import visible_text
from citeguide.text.fragments import QuoteError, found, split_url
from conftest import write_site
from linkserver import LinkServer, running


@pytest.fixture(scope="module")
def server() -> Iterator[LinkServer]:
    with running() as srv:
        yield srv


PAGE = (
    b"<html><head><title>Prices</title><style>.x{}</style><script>var s='2,909 tokens';"
    b"</script></head><body><h1>Benchmarks</h1><p>Llama 3.3 70B reached <b>2,909</b>\n"
    b"tokens per second on one H200.</p><div hidden>Secret 4,205 tokens</div>"
    b'<p style="display: none">Gone 1,000</p><p>Two H100s: 4,205 tokens per second.</p>'
    b"</body></html>"
)


def test_text_fragment_syntax() -> None:
    base, quotes = split_url("https://e.org/p#:~:text=reached-,2%2C909,tokens,-per&text=H200")
    assert base == "https://e.org/p"
    first, second = quotes
    assert (first.prefix, first.start, first.end, first.suffix) == (
        "reached",
        "2,909",
        "tokens",
        "per",
    )
    assert first.shown == "2,909 … tokens"
    assert second.start == "H200"
    assert split_url("https://e.org/p#section:~:text=x")[0] == "https://e.org/p#section"
    assert split_url("https://e.org/p#plain") == ("https://e.org/p#plain", [])


@pytest.mark.parametrize(
    "bad", ["https://e.org/#:~:txt=x", "https://e.org/#:~:text=", "https://e.org/#:~:text=a,b,c"]
)
def test_malformed_directives_are_errors(bad: str) -> None:
    with pytest.raises(QuoteError):
        split_url(bad)


def test_visible_text_drops_scripts_styles_and_hidden_elements() -> None:
    text = visible_text(PAGE)
    assert "llama 3.3 70b reached 2,909 tokens per second on one h200." in text
    assert "var s" not in text
    assert "secret" not in text
    assert "gone 1,000" not in text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://e.org/#:~:text=2%2C909%20tokens%20per%20second",
            True,
        ),  # across <b> and a newline
        ("https://e.org/#:~:text=LLAMA%203.3", True),  # case-insensitive
        ("https://e.org/#:~:text=reached-,2%2C909", True),  # prefix next to it
        ("https://e.org/#:~:text=H100s-,2%2C909", False),  # wrong prefix
        ("https://e.org/#:~:text=2%2C909,-tokens", True),  # suffix next to it
        ("https://e.org/#:~:text=2%2C909,-hours", False),  # wrong suffix
        ("https://e.org/#:~:text=Llama,H200", True),  # textStart … textEnd
        ("https://e.org/#:~:text=Secret%204%2C205", False),  # hidden text does not count
        ("https://e.org/#:~:text=2%2C910%20tokens", False),  # the figure changed
    ],
)
def test_matching(url: str, expected: bool) -> None:
    assert found(split_url(url)[1][0], visible_text(PAGE)) is expected


def test_check_records_quotes_and_build_and_lint_show_them(
    tmp_path: Path, server: LinkServer, capsys: pytest.CaptureFixture[str]
) -> None:
    ok = server.url("/ok")
    guide = (
        "---\ntitle: Quotes\nsummary: S.\npublished: 2026-05-01\n---\n\n"
        f"The page greets readers [cite: {ok}#:~:text=Hello · 2026-03-10 · high].\n\n"
        f"The page says goodbye [cite: {ok}#:~:text=Goodbye · 2026-03-10 · high].\n"
    )
    root = write_site(tmp_path / "s", {"content/guides/q.md": guide,
                                       "citeguide.toml": "[linkcheck]\nretries = 0\n"})  # fmt: skip
    assert main(["check", "--root", str(root)]) == 0
    state = json.loads((root / "citeguide-links.json").read_text(encoding="utf-8"))
    (record,) = state["links"].values()
    assert record["quotes"] == {"text=Hello": "found", "text=Goodbye": "missing"}
    assert record["url"] == server.url("/ok") + "#:~:text=Hello"
    assert main(["build", "--root", str(root)]) == 0
    err = capsys.readouterr().err
    assert (
        "content/guides/q.md:9:23: warning: the quoted text 'Goodbye' is no longer on the page"
        in err
    )
    page = (root / "site/q/index.html").read_text(encoding="utf-8")
    assert '<span class="badge quote-missing">quote missing from the page, checked <time' in page
    assert '<span class="badge quote-found">quote found on the page, checked <time' in page
    # and in each reference's tooltip
    assert '<span class="cite-quote quote-missing" data-cite="2">quote missing from' in page
    assert '<span class="cite-quote quote-found" data-cite="1">quote found on the page' in page
    assert f'<a href="{server.url("/ok")}#:~:text=Goodbye" rel="noopener">' in page
    twin = json.loads((root / "site/q.cite.json").read_text(encoding="utf-8"))
    citations = [c for claim in twin["claims"] for c in claim["citations"]]
    assert [(c["quote"], c["quote_status"]) for c in citations] == [
        ("Hello", "found"), ("Goodbye", "missing"),
    ]  # fmt: skip
    assert len(twin["sources"]) == 1
    assert twin["sources"][0]["url"] == server.url("/ok")
