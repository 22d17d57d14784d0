"""The six bundled tables (`api_prices`, `fx`, ...) have fields citeguide declares, one entry
per row id. A file written the way a table of one's own is (`columns:` then `rows:`) gets one
error saying how to write it, with an example; the example is checked here to load."""

from __future__ import annotations

import yaml

from citeguide.costcore.table_loading import _EXAMPLE_IDS, _EXAMPLES, author_table, bundled_table
from citeguide.costcore.table_schema import BUNDLED_MODELS


def test_every_bundled_table_has_an_example_that_loads_as_its_row() -> None:
    assert set(_EXAMPLES) == set(BUNDLED_MODELS) == set(_EXAMPLE_IDS)
    for name, fields in _EXAMPLES.items():
        text = (
            f"{_EXAMPLE_IDS[name]}: {{{fields}, source: https://example.org/{name}, "
            "date: 2026-11-25, confidence: high}"
        )
        table, problems = bundled_table(name, yaml.safe_load(text), {})
        assert problems == [], (name, problems)
        assert list(table.rows) == [_EXAMPLE_IDS[name]]


def test_columns_and_rows_in_a_bundled_table_get_one_error_with_the_shape() -> None:
    data = yaml.safe_load(
        "columns: {base: currency, quote: currency, rate: 1}\n"
        "rows:\n  usd-eur: {base: USD, quote: EUR, rate: 0.86, source: https://example.org/"
        "fx, date: 2026-11-25, confidence: high}\n"
    )
    table, problems = bundled_table("fx", data, {})
    assert table.rows == {}
    [problem] = problems
    assert problem.loc == ("columns",)
    assert problem.rule == "table-syntax"
    assert "citeguide schema --table fx" in problem.message
    assert "(base, quote, rate)" in problem.message
    assert "`usd-eur: {base: USD, quote: EUR, rate: 0.86, source: URL" in problem.message


def test_a_row_named_columns_is_still_a_row() -> None:
    """Only `columns` and `rows` both mapping, as an author's table has them, are the other
    shape: a bundled table may name one row `columns`."""
    data = yaml.safe_load(
        "columns: {base: USD, quote: EUR, rate: 0.86, source: https://example.org/fx, "
        "date: 2026-11-25, confidence: high}\n"
    )
    table, problems = bundled_table("fx", data, {})
    assert problems == []
    assert list(table.rows) == ["columns"]


def test_every_problem_of_a_row_is_told_at_once() -> None:
    """A stranger's salary row with a month written in words for `as_of`, a range written
    high..low and a misspelt column was told one problem per run: the cells of a row
    whose citation fields were wrong were not checked until those were fixed."""
    data = yaml.safe_load(
        "columns:\n"
        "  salary: USD/year\n"
        "  overhead: '%'\n"
        "rows:\n"
        "  us-devops:\n"
        "    salary: 160000..120000\n"
        "    overheads: 25..35\n"
        "    source: https://www.bls.gov/ooh/\n"
        "    date: 2026-11-30\n"
        "    as_of: May 2025\n"
        "    confidence: medium\n"
    )
    table, problems = author_table("salaries", data, {})
    told = sorted((p.loc, p.rule) for p in problems)
    assert told == [
        (("rows", "us-devops", "as_of"), "table-invalid"),
        (("rows", "us-devops", "overheads"), "table-unknown-field"),
        (("rows", "us-devops", "salary"), "table-invalid"),
    ]
    # A row with errors is not used: what uses it says its declaration has errors.
    assert table.rows == {}
