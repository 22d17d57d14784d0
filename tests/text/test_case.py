"""Labels and sentences written into messages and other sentences (`text/case.py`)."""

from __future__ import annotations

import ast

from hypothesis import given
from hypothesis import strategies as st

from citeguide.text.case import excerpt, mid_sentence


def test_a_figure_title_keeps_its_capitals_after_a_comma() -> None:
    """The twin's footnote reads `€74.94 (EUR/month), monthly cost of ...`: only a first
    letter that starts a plain word is lowered (it lowered the whole title: `postgres`,
    `vms`, `monthly api bill`)."""
    assert (
        mid_sentence("Monthly cost of running Postgres on your own VMs")
        == "monthly cost of running Postgres on your own VMs"
    )
    assert mid_sentence("API bill for a month") == "API bill for a month"
    assert mid_sentence("GPUs needed") == "GPUs needed"
    assert mid_sentence("iPhone battery cost") == "iPhone battery cost"
    assert mid_sentence("A") == "a"
    assert mid_sentence("") == ""


def test_a_long_excerpt_is_cut_at_a_word_and_says_so() -> None:
    text = "Insurance adds about £90 a month either way, and fuel costs €200 a month on our routes."
    assert excerpt(text) == (
        "'Insurance adds about £90 a month either way, and fuel costs €200 a month on…'"
    )
    assert excerpt("Short enough.") == "'Short enough.'"
    assert excerpt("x" * 100) == repr("x" * 79 + "…")  # no space to cut at


@given(st.text(max_size=300))
def test_an_excerpt_is_at_most_its_limit_and_a_prefix_of_the_text(text: str) -> None:
    shown = ast.literal_eval(excerpt(text))  # the str literal the message prints
    assert len(shown) <= 80
    if shown != text:
        assert shown.endswith("…")
        assert text.startswith(shown[:-1])
