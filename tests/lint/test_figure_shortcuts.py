"""The shortcuts that keep the editorial lint cheap find exactly what the full patterns find.

`figure_spans` searches text without a digit for multiples and shares in words alone,
and skips even those when none of their words is there; `scan_block` tests a block for
a digit or currency symbol before anything in words. Each shortcut rests on a fact about
the patterns, checked here on generated text and on the labelled real prose, so a pattern
added later that breaks one fails here instead of going quiet.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from citeguide.lint import editorial, figures

CORPUS = Path(__file__).parent.parent / "fixtures" / "figures"

# Words, numbers, symbols and the shortcut's own words, in any case, with some non-ASCII
# letters that IGNORECASE folds (U+017F long s for "s", U+212A Kelvin sign for "k", U+0131
# dotless i for "i").
_PIECES = st.sampled_from(
    ["twice", "THRICE", "Times", "tenfold", "fold", "half", "a third", "Quarter", "of",
     "as", "the", "fast", "more", "x", "×", "$", "£", "€", "¥", "%", "12", "3.5", "1,000",
     "k", "GB", "per", "day", "-", "/", ".", ",", "(", ")", "e.g.", "say",
     "tw\u0131ce", "t\u0131mes",
     "time\u017f", "\u017f", "\u212a", "é", "\u00a0", "\u0663", " "]
)  # fmt: skip
_TEXT = st.lists(_PIECES, max_size=14).map(" ".join)


def _prose() -> list[str]:
    rows = []
    for name in ("corpus.jsonl", "domains.jsonl"):
        for line in (CORPUS / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line)["text"])
    return rows


def _digit_free_kinds_find_nothing(text: str) -> None:
    assert not re.search(r"\d", text)
    for kind, rx in figures._KINDS:
        if (kind, rx) not in figures._IN_WORDS:
            assert rx.search(text) is None, (kind, text)


def _wordless_text_finds_nothing(text: str) -> None:
    """(Text without a digit, where `figure_spans` asks.)"""
    if not figures.may_hold_words(text):
        for _, rx in figures._IN_WORDS:
            assert rx.search(text) is None, text


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_only_multiples_and_shares_match_text_without_a_digit(text: str) -> None:
    text = re.sub(r"\d", "", text)
    _digit_free_kinds_find_nothing(text)
    _wordless_text_finds_nothing(text)


def test_the_shortcuts_hold_on_labelled_real_prose() -> None:
    rows = _prose()
    assert len(rows) > 500
    for text in rows:
        _digit_free_kinds_find_nothing(re.sub(r"\d", "", text))
        _wordless_text_finds_nothing(re.sub(r"\d", "", text))


def test_text_outside_ascii_is_always_searched() -> None:
    # "times" with a long s (U+017F) matches under IGNORECASE, which `lower` does not
    # know: such text goes to the patterns.
    assert figures.may_hold_words("It ran three time\u017f.")
    assert editorial._MULTIPLE_IN_WORDS.search("It ran three time\u017f.")
    assert not figures.may_hold_words("It runs as fast as the old one.")
    assert figures.may_hold_words("It is TWICE as fast.")
    assert figures.figure_spans("It is TWICE as fast.") == []  # the pattern is case-sensitive
    assert figures.figure_spans("It is twice as fast.") == [(6, 19)]


_BLOCK_TEST = re.compile(
    r"\d|[$£€¥]|\b(?:twice|thrice|times|\w+fold|half|third|quarter)", re.IGNORECASE
)
"""`scan_block`'s test as one pattern, as it was written before it was split."""


def _block_test(text: str) -> bool:
    return bool(
        editorial._DIGIT_OR_CURRENCY.search(text)
        or (figures.may_hold_words(text) and editorial._MULTIPLE_IN_WORDS.search(text))
    )


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_the_block_test_is_the_single_pattern(text: str) -> None:
    assert _block_test(text) == bool(_BLOCK_TEST.search(text))


def test_the_block_test_is_the_single_pattern_on_real_prose() -> None:
    for text in _prose():
        assert _block_test(text) == bool(_BLOCK_TEST.search(text))


def _every_kind_everywhere(text: str, examples: bool) -> list[tuple[int, int]]:
    """`figure_spans` as first written, the oracle: every kind searched in every text,
    and every match of a target skipping the rest of the text."""
    text = figures._HTML_TAG.sub(lambda m: " " * len(m.group(0)), text)
    skip = [] if examples else [m.span() for m in figures._EXAMPLE.finditer(text)]
    if not examples:
        skip += [(m.end(), len(text)) for m in figures._TARGET.finditer(text)]
    spans = []
    for kind, rx in figures._KINDS:
        for match in rx.finditer(text):
            start, end = match.span(match.lastindex or 0)
            named = figures.is_name(text, kind, start, end)
            if not named and not any(a <= start < b for a, b in skip):
                spans.append((start, end))
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.booleans())
def test_figure_spans_finds_what_every_kind_everywhere_finds(text: str, examples: bool) -> None:
    assert figures.figure_spans(text, examples=examples) == _every_kind_everywhere(text, examples)


def test_figure_spans_finds_what_every_kind_everywhere_finds_in_real_prose() -> None:
    for text in _prose():
        for examples in (False, True):
            expected = _every_kind_everywhere(text, examples)
            assert figures.figure_spans(text, examples=examples) == expected
            digit_free = re.sub(r"\d", "", text)
            expected = _every_kind_everywhere(digit_free, examples)
            assert figures.figure_spans(digit_free, examples=examples) == expected
