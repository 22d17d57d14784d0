"""Figures typed in a guide's summary.

Found in a stranger test (a café weighing an electric coffee roaster): the summary said
"saves about £90 a year", the guide computed £90.70, and `lint` said nothing: the
summary, which the index, feeds, `llms.txt` and search results show, takes no `[cite:]`
and was never checked. A figure there is now one the guide computes or cites, or a
`[calc:]` marker; else `uncited-figure` says so, at its place in the front matter.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from citeguide.engine.incremental import check_site
from conftest import TODAY, write_site

CITE = "[cite: https://example.org/energy · 2026-05-01 · high]"
MODEL = """\
saving:
  title: What the electric roaster saves a year
  unit: GBP/year
  params:
    gas: {unit: GBP/year, label: gas bill}
    electric: {unit: GBP/year, label: electricity bill}
  formula: 'gas - electric'
"""


def _warnings(tmp_path: Path, summary: str, body: str) -> list[str]:
    front = f"---\ntitle: Roasters\nsummary: {summary}\npublished: 2026-05-01\n---\n\n"
    root = write_site(tmp_path / "s", {"content/guides/g.md": front + body,
                                       "content/models/saving.yaml": MODEL})  # fmt: skip
    result = check_site(root, today=TODAY)
    return [d.format() for d in result.diagnostics.sorted() if d.rule == "uncited-figure"]


BODY = (f"The gas roaster's bill is about £376 a year {CITE}. The electric one saves "
        "[calc: saving gas=375.84 electric=285.14] a year.\n")  # fmt: skip


def test_a_typed_figure_the_guide_neither_cites_nor_computes_is_told(tmp_path: Path) -> None:
    assert _warnings(tmp_path, '"An electric roaster saves about £90 a year."', BODY) == [
        "content/guides/g.md:3:43: warning: figure '£90' in the summary is not one the "
        "guide cites or computes: write it as a [calc: ...] marker, or cite it in the "
        "guide, so it is checked and stays current: 'An electric roaster saves about £90 "
        "a year.' [uncited-figure]"
    ]


@pytest.mark.parametrize(
    "summary",
    [
        # The figure the guide computes, as its page shows it (£90.70).
        '"An electric roaster saves £90.70 a year."',
        # One the guide cites.
        '"The gas roaster costs about £376 a year to run."',
        # A marker in the sentence: computed there.
        "'It saves [calc: saving gas=375.84 electric=285.14] a year.'",
        # No figure.
        '"An electric roaster costs less to run."',
    ],
)
def test_a_computed_cited_or_marked_figure_is_not(tmp_path: Path, summary: str) -> None:
    assert _warnings(tmp_path, summary, BODY) == []


def test_a_stale_figure_is_told_once_the_guide_computes_another(tmp_path: Path) -> None:
    """The summary typed the figure the guide computed; the bills changed."""
    summary = '"An electric roaster saves £90.70 a year."'
    assert _warnings(tmp_path, summary, BODY) == []
    changed = BODY.replace("electric=285.14", "electric=250")
    [warning] = _warnings(tmp_path, summary, changed)
    assert "figure '£90.70' in the summary" in warning


def test_a_folded_summary_is_told_on_the_line_that_holds_the_figure(tmp_path: Path) -> None:
    folded = ">-\n  An electric roaster pays for itself,\n  saving about £90 a year."
    [warning] = _warnings(tmp_path, folded, BODY)
    assert warning.startswith("content/guides/g.md:5:16: warning: figure '£90' in the summary")


ESTIMATED = """\
columns:
  bill: GBP/year
rows:
  gas-2026:
    bill: 375.84
    source: https://example.org/energy
    date: 2026-05-01
    confidence: medium
    estimate: true
    note: Our own reading of the meter over a year.
"""
BILL = """\
gas_bill:
  title: The gas roaster's yearly bill
  unit: GBP/year
  params:
    roaster: {table: bills, label: the roaster's bill}
  formula: roaster.bill
"""


def test_a_summary_figure_is_warned_at_its_marker(tmp_path: Path) -> None:
    """A stranger's Kubernetes guide led its summary with a figure resting on an estimate
    and was told `g.md:2:1: warning: ... rests on an estimate` at the title's line: a
    figure first met in the summary stood on line 2, column 1, whatever line the summary
    was on. It stands at its marker there now (as a `calc-error` in the summary is)."""
    front = ("---\ntitle: Roasters\npublished: 2026-05-01\n"
             "summary: 'The gas roaster costs [calc: gas_bill roaster=gas-2026] a year.'\n"
             "---\n\nThe roaster roasts coffee.\n")  # fmt: skip
    root = write_site(tmp_path / "s", {"content/guides/g.md": front,
                                       "content/data/bills.yaml": ESTIMATED,
                                       "content/models/bill.yaml": BILL})  # fmt: skip
    result = check_site(root, today=TODAY)
    told = [d.format() for d in result.diagnostics.sorted() if d.rule == "estimate-input"]
    assert told == [
        "content/guides/g.md:4:33: warning: £376 rests on an estimate, bills/gas-2026: Our "
        "own reading of the meter over a year. [estimate-input]"
    ]
