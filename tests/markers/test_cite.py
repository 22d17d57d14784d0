"""The cite marker plugin on its own: Markdown in, HTML out, and its validation rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.utils import read_fixture_file

from citeguide.markers.cite import TIP_KEY, MarkerError, cite_plugin, parse_cite

FIXTURES = Path(__file__).parent.parent / "fixtures" / "cite_marker.md"


def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table").use(cite_plugin)


@pytest.mark.parametrize(
    ("line", "title", "text", "expected"),
    read_fixture_file(FIXTURES),
    ids=[f"{case[0]}-{case[1]}" for case in read_fixture_file(FIXTURES)],
)
def test_fixture(line: int, title: str, text: str, expected: str) -> None:
    assert _md().render(text) == expected


def test_parse_cite_accepts_both_separators() -> None:
    assert parse_cite(" https://a.example/x · 2026-01-31 · high") == (
        "https://a.example/x",
        date(2026, 1, 31),
        "high",
    )
    assert parse_cite("https://a.example/x|2026-01-31|low")[2] == "low"


def test_url_containing_a_pipe_keeps_it() -> None:
    assert parse_cite("https://a.example/?q=a|b · 2026-01-31 · high")[0] == (
        "https://a.example/?q=a|b"
    )


@pytest.mark.parametrize(
    ("body", "rule", "hint"),
    [
        ("https://a.example · 2026-01-31", "cite-fields", "write [cite:"),
        ("mailto:a@b.example · 2026-01-31 · high", "cite-url", "https://"),
        ("https://a.example/a b · 2026-01-31 · high", "cite-url", "no spaces"),
        ("/relative/page · 2026-01-31 · high", "cite-url", "https://"),
        ("http://[oops/x · 2026-01-31 · high", "cite-url", "https://"),
        ("https://example.org:99999/ · 2026-01-31 · high", "cite-url", "https://"),
        ("https://a.example · 31/01/2026 · high", "cite-date", "2026-01-31"),
        ("https://a.example · 2026-02-29 · high", "cite-date", "month and day"),
        ("https://a.example · 2026-01-31 · High", "cite-confidence", "high, medium or low"),
        ("https://a.example · 2026-01-31 · certain", "cite-confidence", "high, medium or low"),
    ],
)
def test_malformed_marker_names_rule_and_hint(body: str, rule: str, hint: str) -> None:
    with pytest.raises(MarkerError) as caught:
        parse_cite(body)
    assert caught.value.rule == rule
    assert hint in caught.value.hint or hint in caught.value.message


def test_marker_positions_are_recorded_in_the_source() -> None:
    src = "Intro\n\n- a\n- b [cite: https://a.example · 2026-01-01 · high]\n"
    tokens = _md().parse(src)
    cites = [c for t in tokens if t.children for c in t.children if c.type == "cite"]
    assert [(c.meta["line"], c.meta["col"]) for c in cites] == [(3, 4)]


def test_marker_on_a_continuation_line_of_an_indented_list_item() -> None:
    src = "1. first line\n   second [cite: https://a.example · 2026-01-01 · high]\n"
    tokens = _md().parse(src)
    cites = [c for t in tokens if t.children for c in t.children if c.type == "cite"]
    assert [(c.meta["line"], c.meta["col"]) for c in cites] == [(1, 10)]


def test_a_tip_callable_in_the_environment_ends_the_tooltip() -> None:
    env = {TIP_KEY: lambda meta: f" · seen {meta['n']}"}
    html = _md().render("A [cite: https://a.example · 2026-01-01 · high].", env)
    assert 'high confidence · seen 1<a class="tip-link"' in html
