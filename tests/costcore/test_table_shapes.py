"""The six bundled tables (`api_prices`, `fx`, ...) have fields citeguide declares, one entry
per row id. A file written the way a table of one's own is (`columns:` then `rows:`) gets one
error saying how to write it, with an example; the example is checked here to load."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from citeguide.content.tables import load_tables
from citeguide.costcore.table_loading import _EXAMPLE_IDS, _EXAMPLES, author_table, bundled_table
from citeguide.costcore.table_schema import BUNDLED_MODELS
from citeguide.diagnostics import Diagnostics
from conftest import TODAY, write_site


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


ESTIMATE = (
    "columns:\n"
    "  upgrade_hours: h\n"
    "rows:\n"
    "  upstream:\n"
    "    upgrade_hours: 16..40\n"
    "    estimate: true\n"
    "    note: Our estimate from the upgrade checklist.\n"
    "    sources:\n"
    "      - url: https://kubernetes.io/releases/cadence/\n"
    "        date: 2026-11-29\n"
    "        confidence: medium\n"
    "      - url: https://kubernetes.io/releases/release/\n"
    "        date: 2026-11-29\n"
    "        confidence: high\n"
)


def test_an_estimate_citing_a_high_source_is_told_at_that_source(tmp_path: Path) -> None:
    """A stranger's estimate citing the release cadence (high) for its hours was told
    at `sources:`, with nothing to say which of its sources; it is told at the `high`."""
    write_site(tmp_path, {"content/data/ops.yaml": ESTIMATE})
    diags = Diagnostics()
    load_tables(tmp_path, diags)
    [problem] = diags.items
    assert problem.message == "upstream: an estimate is low or medium confidence, never high"
    # Line 14, `        confidence: high`: the value starts at column 21.
    assert (problem.pos.line, problem.pos.col) == (14, 21)
    one_source = ESTIMATE.split("    sources:\n")[0] + (
        "    source: https://kubernetes.io/releases/release/\n"
        "    date: 2026-11-29\n"
        "    confidence: high\n"
    )
    _, problems = author_table("ops", yaml.safe_load(one_source), {})
    assert [p.loc for p in problems] == [("rows", "upstream", "confidence")]


def test_a_future_reading_is_told_with_the_rows_other_problems(tmp_path: Path) -> None:
    """The same stranger's row was read "on 2026-12-24" (a typo for 2026-11-24): told only
    once `as_of` was fixed, since the check read the rows that loaded."""
    salaries = (
        "columns:\n  salary: USD/year\nrows:\n  us-devops:\n    salary: 120000..160000\n"
        "    source: https://www.bls.gov/ooh/\n    date: 2026-12-24\n    as_of: May 2025\n"
        "    confidence: medium\n"
    )
    several = ESTIMATE.replace("date: 2026-11-29\n        confidence: high",
                               "date: 2026-12-25\n        confidence: low")  # fmt: skip
    write_site(tmp_path, {"content/data/salaries.yaml": salaries,
                          "content/data/ops.yaml": several})  # fmt: skip
    diags = Diagnostics()
    load_tables(tmp_path, diags, today=TODAY)
    told = sorted((d.pos.path, d.pos.line, d.rule) for d in diags.items)
    assert told == [
        ("content/data/ops.yaml", 13, "table-future-date"),
        ("content/data/salaries.yaml", 7, "table-future-date"),
        ("content/data/salaries.yaml", 8, "table-invalid"),
    ]
    assert "salaries.us-devops: source read on 2026-12-24, which lies in the future" in (
        diags.render()
    )


FLOODLIGHTS = """\
columns:
  name: text
  power: kW
  price: {unit: GBP}
  share: 1
rows:
  led-800w:
    name: LED floodlight, 800 W
    power: 0.8
    price: 1400..1800
    share: 0.5
    source: https://www.example.org/led-quote
    date: 2026-03-05
    confidence: medium
"""


def test_a_column_declared_as_a_mapping_is_told_what_a_declaration_looks_like(
    tmp_path: Path,
) -> None:
    """Found in a stranger test (a tennis club's floodlights): `price: {unit: GBP}` under
    `columns:` was told pydantic's `floodlights.columns.price: Input should be a valid
    string`, and every other column of the table was unusable with it (`column power of
    floodlights cannot be used`). It is told at the column, with the declaration to
    write; the table's other columns load, and `share: 1` unquoted is in `1`."""
    write_site(tmp_path, {"content/data/floodlights.yaml": FLOODLIGHTS})
    diags = Diagnostics()
    tables = load_tables(tmp_path, diags)
    [problem] = diags.items
    assert problem.message == (
        "column price is declared by its unit or kind alone, as `price: GBP`, not a mapping "
        "(a unit such as GBP/kWh, kWh/year or 1; or text, currency, bool, ref:<table>); a "
        "note on the column goes in a # comment"
    )
    assert (problem.pos.line, problem.pos.col, problem.rule) == (4, 10, "table-column")
    table = tables.tables["floodlights"]
    assert set(table.columns) == {"name", "power", "share"}
    assert table.broken_columns == {"price"}
    assert tables.broken_column("floodlights", "price").startswith(
        "column price of floodlights cannot be used: its declaration in "
    )
    assert tables.broken_column("floodlights", "power") == ""
    row = table.rows["led-800w"]
    assert set(row.values) == {"name", "power", "share"}
    _, listed = author_table("t", yaml.safe_load("columns: {life: [h]}\nrows: {}\n"), {})
    assert [(p.loc, p.message.split(",")[0]) for p in listed] == [
        (("columns", "life"), "column life is declared by its unit or kind alone")
    ]
    assert "not a list" in listed[0].message


def test_a_cell_written_wrong_is_not_told_missing_where_it_is_used(tmp_path: Path) -> None:
    """The same stranger's LED row had its power written `0,8`: told at the cell, and at
    every figure using it `led-800w has no power in floodlights.yaml`, as if the cell
    were left out. A figure now names the cell and the file to fix."""
    from citeguide.config_file import load_config
    from citeguide.content.models import load_library
    from citeguide.costcore.evaluate import evaluate
    from citeguide.costcore.quantities import CalcError

    model = (
        "energy:\n  title: Electricity a floodlight uses\n  unit: kWh\n  params:\n"
        "    light: {table: floodlights}\n    hours: {unit: h}\n"
        "  formula: light.power * hours\n"
    )
    write_site(tmp_path, {
        "content/data/floodlights.yaml": FLOODLIGHTS.replace("power: 0.8", "power: 0,8"),
        "content/models/floodlights.yaml": model,
        "citeguide.toml": '[units]\ncount = ["fitting"]\n',
    })  # fmt: skip
    diags = Diagnostics()
    lib = load_library(tmp_path, load_config(tmp_path), diags)
    assert any("led-800w.power: value='0,8' is not a number" in d.message for d in diags.items)
    with pytest.raises(CalcError) as refused:
        evaluate("energy", {"light": "led-800w", "hours": "100"}, lib)
    assert refused.value.message == (
        "led-800w has a power that cannot be used: its value in "
        "content/data/floodlights.yaml has errors"
    )
