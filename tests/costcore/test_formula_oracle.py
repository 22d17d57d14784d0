"""The formula parser against the grammar it replaced: Lark's LALR parser of the same
grammar (`lark_oracle.py`), on generated formulas, on token soup and on every formula of
the bundled pack. Both must build the same tree, or fail at the same offset.

Three differences are the point of the change, and are tested on their own below:
a name that begins with `and or not true false` (`notional`) is a name, where Lark's
lexer split it (`not ional`); those words are never names (Lark read `x + not(y)` as a
call of a function `not`); and a formula that ends too early says so at its end, where
Lark named the last token it read.
"""

from __future__ import annotations

import re
import string
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark_oracle import END, WordAsName, oracle

from citeguide.costcore import formula as f
from citeguide.costcore.formula import FormulaError, parse_formula

WORDS = ("or", "and", "not", "true", "false")
# A word that begins with one of WORDS, not after a dot (and not inside another word):
# where the two lexers differ. After a digit too: Lark read `.5andx` as `.5 and x`.
SPLIT_BY_LARK = re.compile(r"(?<![A-Za-z_.])(?:or|and|not|true|false)[A-Za-z0-9_]")


def _mine(text: str) -> f.Node | FormulaError:
    try:
        return f._Parser(text).parse()
    except FormulaError as exc:
        return exc


def _same(text: str) -> None:
    """Both parsers agree on `text` (which Lark's lexer reads as the parser does)."""
    got = _mine(text)
    try:
        expected: f.Node | FormulaError | int = oracle(text)
    except WordAsName as where:
        expected = where.offset
    if isinstance(expected, int):
        # Lark read `not` as a name where it cannot stand (`x + not y`): an error here.
        assert isinstance(got, FormulaError), (text, got)
        assert got.offset <= expected, (text, got.offset, expected)
        return
    if isinstance(expected, FormulaError):
        assert isinstance(got, FormulaError), (text, got)
        if expected.offset == END:
            assert got.offset == len(text), (text, got.offset)
            assert "ends too early" in got.message
        else:
            assert got.offset == expected.offset, (text, got.message, expected.offset)
            if "unexpected" not in expected.message:  # a number too long, a late positional
                assert got.message == expected.message
    else:
        assert got == expected, text


# ------------------------------------------------------------------ generated formulas

names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True).filter(
    lambda name: not SPLIT_BY_LARK.match(name) and name not in WORDS
)
columns = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)  # any word after `.`
numbers = st.one_of(
    st.from_regex(r"[0-9][0-9_]{0,6}(\.[0-9]{1,4})?[kMB]?", fullmatch=True),
    st.from_regex(r"\.[0-9]{1,4}", fullmatch=True),
    st.integers(0, 10**45).map(str),
)
units = st.text(alphabet="abc/_ $€·×^-2", min_size=1, max_size=8)
spaces = st.sampled_from([" ", "  ", "\n", "\t", " \r\n "])


@st.composite
def atoms(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 5))
    if kind == 0:
        number = draw(numbers)
        return f"{number}[{draw(units)}]" if draw(st.booleans()) else number
    if kind == 1:
        body = draw(st.text(alphabet=string.ascii_letters + " -_.'", max_size=6))
        return f'"{body}"' if "'" in body else f"'{body}'"
    if kind == 2:
        return draw(st.sampled_from(["true", "false"]))
    return ".".join([draw(names), *draw(st.lists(columns, max_size=2))])


def _joined(draw: st.DrawFn, parts: list[str]) -> str:
    return draw(spaces).join(parts)


@st.composite
def compound(draw: st.DrawFn, inner: st.SearchStrategy[str]) -> str:
    kind = draw(st.integers(0, 6))
    a, b = draw(inner), draw(inner)
    if kind == 0:
        return _joined(draw, ["(", a, ")"])
    if kind == 1:
        return _joined(draw, [draw(st.sampled_from(["-", "not"])), a])
    if kind == 2:
        op = draw(st.sampled_from(["+", "-", "−", "*", "/", "×", "÷", "^", "<", "<=", ">",
                                   ">=", "==", "!=", "and", "or"]))  # fmt: skip
        return _joined(draw, [a, op, b])
    if kind in (3, 4):
        args = [draw(inner) for _ in range(draw(st.integers(0, 3)))]
        args += [_joined(draw, [draw(names), "=", draw(inner)])
                 for _ in range(draw(st.integers(0, 2)))]  # fmt: skip
        if kind == 4:
            args = draw(st.permutations(args))  # a positional after a keyword argument
        call = _joined(draw, [draw(names), "(", _joined(draw, [", ".join(args)]), ")"])
        tail = draw(st.lists(columns, max_size=2))
        return ".".join([call, *tail])
    return _joined(draw, [a, draw(st.sampled_from(["+", "*", "and"])), b])


formulas = st.recursive(atoms(), compound, max_leaves=12)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formulas)
def test_formulas_parse_as_the_lalr_grammar_parsed_them(text: str) -> None:
    _same(text)


# A soup of tokens, mostly malformed: every syntax error at the offset Lark gave.
TOKENS = ["x", "row", "_y2", "f", "1", "2.5", ".5", "3k", "1_0", "1e5", "12abc", "'s'",
          '"t"', "'open", "true", "false", "and", "or", "not", "+", "-", "−", "*", "/",
          "^", "<", "<=", "==", "!=", "=", "!", "(", ")", "[", "]", "[kWh]", ",", ".",
          "é", "\x00", "#", "$", ";", "{", "}"]  # fmt: skip


@st.composite
def soups(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=10))
    text = "".join(t + draw(st.sampled_from(["", " ", " ", "\n"])) for t in tokens)
    return text


@settings(max_examples=2000, deadline=None)
@given(soups())
def test_malformed_formulas_fail_where_the_lalr_grammar_failed(text: str) -> None:
    if SPLIT_BY_LARK.search(text) or not text.strip():
        return  # the lexers differ there on purpose (tests below)
    _same(text)


def test_every_formula_of_the_bundled_pack_parses_as_before(monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:  # fmt: skip
    from citeguide.config import SiteConfig
    from citeguide.content.models import load_library
    from citeguide.costcore import typecheck
    from citeguide.diagnostics import Diagnostics

    seen: list[str] = []

    def recording(text: str) -> f.Node:
        seen.append(text)
        return parse_formula(text)

    monkeypatch.setattr(typecheck.f, "parse_formula", recording)
    diags = Diagnostics()
    load_library(tmp_path, SiteConfig(), diags)
    assert not diags.items
    assert len(seen) > 50  # the LLM pack's formulas, lets and conditions
    for text in seen:
        _same(text)


# ------------------------------------------------------------------ the differences


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("notional * rate", ("notional",)),
        ("note_count * 2", ("note_count",)),
        ("orders + order_total", ("orders",)),
        ("true_cost - android", ("true_cost",)),
        ("falsehood", ("falsehood",)),
        ("x.and", ("x", "and")),
    ],
)
def test_a_name_may_begin_with_a_word_of_the_language(text: str, names: tuple[str, ...]) -> None:
    node = parse_formula(text)
    first = node.left if isinstance(node, f.Binary) else node
    assert first == f.Path(0, names)


def test_words_of_the_language_are_still_words() -> None:
    node = parse_formula("not a and b or true")
    assert node == f.Binary(  # a node's offset is its first operand's (as Lark gave them)
        4, "or",
        f.Binary(4, "and", f.Unary(4, "not", f.Path(4, ("a",))), f.Path(10, ("b",))),
        f.Bool(0, True),
    )  # fmt: skip
    for text, offset in (("a andb", 2), (".5andx", 2)):
        with pytest.raises(FormulaError) as caught:
            parse_formula(text)
        assert caught.value.offset == offset


@pytest.mark.parametrize("text", ["x +", "(1", "f(a, ", "2[kWh", "x * (y + z"])
def test_a_formula_that_ends_too_early_says_so_at_its_end(text: str) -> None:
    with pytest.raises(FormulaError) as caught:
        parse_formula(text + "  ")
    assert caught.value.offset == len(text) + 2
    assert caught.value.message.startswith("the formula ends too early")


@pytest.mark.parametrize("text", ["-" * 3999 + "1", "not " * 999 + "a", "2^" * 1999 + "2",
                                  "-2^" * 1333 + "2", "1+" * 1999 + "1"])  # fmt: skip
def test_long_chains_are_a_depth_error_not_a_recursion_error(text: str) -> None:
    assert len(text) <= f.MAX_FORMULA
    with pytest.raises(FormulaError) as caught:
        parse_formula(text)
    assert caught.value.message == f"the formula nests deeper than {f.MAX_DEPTH} levels"


@pytest.mark.parametrize("hidden", ["'" + ")" * 1500 + "' + ", "1[" + ")" * 1500 + "] + "])
def test_brackets_in_quotes_or_units_cannot_hide_deep_nesting(hidden: str) -> None:
    """`parse_formula` counts brackets before parsing; those inside quotes or a unit cancel
    real ones in that count. The parser counts again as it opens them: an error at the
    bracket past the bound, never a RecursionError (found by review: a traceback)."""
    text = hidden + "(" * 1200 + "1" + ")" * 1200
    with pytest.raises(FormulaError) as caught:
        parse_formula(text)
    assert caught.value.message == f"parentheses nest deeper than {f.MAX_DEPTH // 2}"
    assert caught.value.offset == len(hidden) + f.MAX_DEPTH // 2
    calls = hidden + "f(" * 1200 + "1" + ")" * 1200
    with pytest.raises(FormulaError, match="parentheses nest deeper"):
        parse_formula(calls[: f.MAX_FORMULA])
    assert parse_formula("(" * 20 + "1" + ")" * 20) == f.Num(20, Decimal(1), "1")


def test_a_late_error_of_a_call_comes_after_those_of_its_arguments() -> None:
    """As a tree checked from its leaves up: the 41-digit number inside the last argument
    is reported before the positional argument that follows a keyword one."""
    text = "f(0, a=0, '', g(" + "1" * 41 + "))"
    with pytest.raises(FormulaError) as caught:
        parse_formula(text)
    assert caught.value.offset == text.index("1" * 41)
    assert caught.value.message.endswith(f"has more than {f.MAX_DIGITS} digits")


def test_numbers_keep_their_value_and_text() -> None:
    assert parse_formula("1_500.25k[GBP]") == f.Num(0, Decimal("1500250"), "1_500.25k", "GBP")
