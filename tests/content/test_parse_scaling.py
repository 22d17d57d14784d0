"""Parsing grows linearly with the number of markers: a size-doubling ratio, not a clock limit.

A quadratic step (scanning the paragraph once per marker, copying the body once per edit,
matching every marker against every sentence) turns a doubling of the input into four
times the work; a linear parser stays near two. The ratio is taken from the best of five
runs, and measured again when it lands above the bound, so that a busy machine does not
decide the verdict (conftest.growth).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conftest import growth, parsing

FRONT = "---\ntitle: T\nsummary: S.\npublished: 2026-01-01\n---\n"
MARKER = "[cite: https://a.example/{i} · 2026-01-01 · high]"


def _one_paragraph(n: int) -> str:
    return " ".join(f"Claim {i} holds {MARKER.format(i=i)}." for i in range(n))


def _paragraphs(n: int) -> str:
    return "\n\n".join(f"Claim {i} holds {MARKER.format(i=i)}." for i in range(n))


def _unclosed(n: int) -> str:
    return "Text " + "[cite: " * (n * 10)


def _unclosed_comments(n: int) -> str:
    """Lines and paragraphs that open a comment and never close it."""
    return "\n".join(f"<!-- {i}\n\nText <!-- <!--" for i in range(n * 2))


@pytest.mark.parametrize(
    "make",
    [_one_paragraph, _paragraphs, _unclosed, _unclosed_comments],
    ids=["one-paragraph", "paragraphs", "unclosed", "unclosed-comments"],
)
def test_doubling_the_markers_at_most_triples_the_time(make: Callable[[int], str]) -> None:
    ratio = growth(parsing(FRONT + make(2000)), parsing(FRONT + make(4000)), runs=5, bound=3.0)
    assert ratio < 3.0, f"twice the markers took {ratio:.1f}x the time: parsing is not linear"
