"""The hint given with YAML's "mapping values are not allowed": a plain value holding
': ' (a marker in a summary, most often) must be quoted, and the quoted value the hint
writes out is valid YAML holding exactly the author's text."""

from __future__ import annotations

import re

import pytest

from citeguide.yamlsource import YamlError, load_yaml


def _error(text: str) -> YamlError:
    with pytest.raises(YamlError) as caught:
        load_yaml(text)
    return caught.value


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("summary", "It pays back in [calc: payback cost=9000 saving=750] years."),
        ("summary", "Postgres wins at [cite: https://example.org/a · 2026-03-10 · high] scale"),
        ("title", "SQLite vs Postgres: which one?"),
        ("title", "The team's choice: Kubernetes or not"),
        ("summary", 'A "quoted" word: and a \\ backslash'),
    ],
)
def test_the_quoted_value_the_hint_gives_holds_the_authors_text(key: str, value: str) -> None:
    error = _error(f"title: A guide\n{key}: {value}\n" if key != "title" else f"{key}: {value}\n")
    found = re.search(rf"quote the whole value \(({key}: '.*')\)$", error.message)
    assert found is not None, error.message
    assert load_yaml(found.group(1) + "\n").data == {key: value}
    marker = "[calc:" in value or "[cite:" in value
    assert ("[cite: ...] or [calc: ...] marker" in error.message) == marker


def test_the_position_is_where_yaml_found_the_problem() -> None:
    error = _error("title: A guide\nsummary: Pays back in [calc: payback a=1] years.\n")
    assert (error.line, error.col) == (1, 27)  # 0-based: the colon after `calc`


def test_a_long_value_is_not_written_out_again() -> None:
    value = "words " * 60 + "[calc: payback a=1] years"  # over 300 characters
    error = _error(f"summary: {value}\n")
    assert error.message.endswith(
        "quote the whole value (summary: '...', each ' inside written '')"
    )


@pytest.mark.parametrize(
    "text",
    [
        "title: A guide\n  summary: indented under a plain value\n",  # the key's own colon
        "title: 'A guide': quoted, then more\n",  # a quoted value
        "rows: [a: b\n",  # another problem
    ],
)
def test_no_quoting_hint_where_quoting_the_value_is_not_the_fix(text: str) -> None:
    assert "quote the whole value" not in _error(text).message


@pytest.mark.parametrize(
    "value",
    [
        "[calc: payback cost=9000 saving=750] years to pay back",  # YAML: no expected key
        "[cite: https://example.org/a · 2026-03-10 · high] says so",
    ],
)
def test_a_value_starting_with_a_marker_is_read_as_a_list_and_the_hint_says_so(
    value: str,
) -> None:
    error = _error(f"summary: {value}\n")
    assert "starts with a [cite: ...] or [calc: ...] marker, which YAML reads as a list" in (
        error.message
    )
    found = re.search(r"quote the whole value \((summary: '.*')\)$", error.message)
    assert found is not None
    assert load_yaml(found.group(1) + "\n").data == {"summary": value}


@pytest.mark.parametrize(
    ("line", "key", "value"),
    [
        ("    rate: {expr: loan.apr * 1[year] / 12, label: monthly rate}", "expr",
         "loan.apr * 1[year] / 12"),
        ("    busy: {unit: h/month, default: 2[h/day] * 30, min: 0}", "default",
         "2[h/day] * 30"),
        ("  months: {label: it's the count, expr: years * 12[1/year]}", "expr",
         "years * 12[1/year]"),
    ],
)  # fmt: skip
def test_a_unit_literal_inside_braces_is_told_to_be_quoted(line: str, key: str, value: str) -> None:
    """Inside `{...}` YAML reads `[` as the start of a list: a unit literal in a `let`
    value's `expr` gave only "did not find expected ',' or '}'" (a stranger test's loan
    model). The hint quotes the value, and the quoted value is the author's text."""
    error = _error(f"model:\n  let:\n{line}\n")
    found = re.search(rf"quote it \(({key}: '.*?')\), or write", error.message)
    assert found is not None, error.message
    assert "inside {...} a `[` starts a list" in error.message
    assert load_yaml(found.group(1) + "\n").data == {key: value}
