"""Stranger-written guides that made parsing quadratic: long tables, wide table rows,
thousands of identical headings.

As in tests/content/test_parse_scaling.py, a growth ratio decides, not a clock: ten times the
input must cost about ten times the time (a linear parser), far from the hundred times a
quadratic step costs. The fastest of three runs, with the garbage collector paused, measured
again when above the bound (conftest.growth).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from citeguide.config import SiteConfig
from citeguide.content.parse import parse_guide
from citeguide.render.body import render_body
from conftest import TODAY, growth, parsing

FRONT = "---\ntitle: T\nsummary: S.\npublished: 2026-01-01\n---\n"
MARKER = "[cite: https://a.example/{i} · 2026-01-01 · high]"


def _table_rows(n: int) -> str:
    return "| name | value |\n|---|---|\n" + "".join(f"| row {i} | {i} |\n" for i in range(n))


def _wide_row(n: int) -> str:
    header = "|" + "|".join(f" h{i} " for i in range(n)) + "|\n|" + "---|" * n + "\n"
    return header + "|" + "|".join(f" v{i} {MARKER.format(i=i)} " for i in range(n)) + "|\n"


def _same_headings(n: int) -> str:
    return "".join("## Same heading\n\nText.\n\n" for _ in range(n))


@pytest.mark.parametrize(
    ("make", "small"),
    [(_table_rows, 800), (_wide_row, 200), (_same_headings, 400)],
    ids=["table-rows", "wide-row", "identical-headings"],
)
def test_ten_times_the_input_costs_about_ten_times_the_time(
    make: Callable[[int], str], small: int
) -> None:
    small_guide, large_guide = FRONT + make(small), FRONT + make(small * 10)
    ratio = growth(parsing(small_guide), parsing(large_guide), runs=3, bound=16)
    # Linear: about 10. The quadratic steps this guards against gave 35 (headings) to
    # 85 (a wide row) at these sizes, and grow without bound beyond them.
    assert ratio < 16, f"ten times the input took {ratio:.0f}x the time: parsing is not linear"


def test_identical_headings_still_get_the_ids_github_gives_them() -> None:
    guide, _ = parse_guide(
        "content/guides/t.md",
        FRONT + "## A\n\n## A\n\n## A 1\n\n## A\n\n### A-2\n",
        today=TODAY,
    )
    assert guide is not None
    ids = [section.id for section in guide.sections]
    html = render_body(guide, SiteConfig(), {}, {})
    assert ids == ["a", "a-1", "a-1-1", "a-2"]
    assert 'id="a-2-1"' in html  # the h3 after them moves aside in turn
