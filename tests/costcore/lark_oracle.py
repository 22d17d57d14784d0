"""The formula grammar as Lark (LALR) read it until citeguide parsed formulas by hand:
the oracle `test_formula_oracle.py` compares the parser with.

Origin: `src/citeguide/costcore/formula.py` at commit a662d32 (the grammar, the parser's
options and the transformer, unchanged but for names); Lark itself is a test dependency
only (`pyproject.toml`, `dev`).
"""

from __future__ import annotations

from collections.abc import Sequence

from lark import Lark, Token, UnexpectedInput, UnexpectedToken
from lark.exceptions import VisitError
from lark.visitors import Transformer_NonRecursive

from citeguide.costcore.formula import (
    _OPS,
    Attr,
    Binary,
    Bool,
    Call,
    FormulaError,
    Node,
    Num,
    Path,
    Str,
    Unary,
    _number,
)

GRAMMAR = r"""
?start: expr
?expr: disj
?disj: conj (_OR conj)*
?conj: negation (_AND negation)*
?negation: _NOT negation -> not_
         | comparison
?comparison: sum (COMP sum)?
?sum: product (ADD product)*
?product: unary (MUL unary)*
?unary: "-" unary -> neg
      | power
?power: atom ("^" unary)?
?atom: number
     | STRING -> string
     | _TRUE -> true
     | _FALSE -> false
     | path
     | call
     | call ("." NAME)+ -> attr
     | "(" expr ")"
number: NUMBER ("[" UNIT "]")?
path: NAME ("." NAME)*
call: NAME "(" [arg ("," arg)*] ")"
?arg: kwarg | expr
kwarg: NAME "=" expr
_OR.2: "or"
_AND.2: "and"
_NOT.2: "not"
_TRUE.2: "true"
_FALSE.2: "false"
COMP: "<=" | ">=" | "==" | "!=" | "<" | ">"
ADD: "+" | "-" | "−"
MUL: "*" | "/" | "×" | "÷"
NUMBER: /[0-9][0-9_]*(\.[0-9]+)?[kMB]?(?![A-Za-z0-9_])/ | /\.[0-9]+/
UNIT: /[^\]\n]+/
NAME: /[A-Za-z_][A-Za-z0-9_]*/
STRING: /'[^'\n]*'/ | /"[^"\n]*"/
%ignore /[ \t\r\n]+/
"""

_OPTIONS = {"parser": "lalr", "propagate_positions": True, "maybe_placeholders": False}
_SEEN: list[Token] = []


def _remember(token: Token) -> Token:
    """Every token Lark's contextual lexer made, white space left out."""
    if token.strip():
        _SEEN.append(token)
    return token


_PARSER = Lark(
    GRAMMAR,
    lexer_callbacks={
        t.name: _remember
        for t in Lark(GRAMMAR, **_OPTIONS).terminals  # type: ignore[arg-type]
    },
    **_OPTIONS,  # type: ignore[arg-type]
)
WORDS = frozenset({"or", "and", "not", "true", "false"})

END = -1
"""The offset `oracle` gives a formula that ends too early (Lark names the last token)."""


class WordAsName(Exception):
    """Lark read one of `and or not true false` as a name where the word cannot stand
    (`x + not y` called a function `not`); `offset` is where."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def _word_as_name() -> None:
    for before, token in zip([None, *_SEEN], _SEEN, strict=False):
        if (
            token.type == "NAME"
            and token.value in WORDS
            and (before is None or before.type != "DOT")
        ):
            raise WordAsName(token.start_pos or 0)


class _Build(Transformer_NonRecursive):  # type: ignore[type-arg]
    """Lark's parse tree → the syntax tree above, without recursion."""

    def number(self, children: list[Token]) -> Num:
        token = children[0]
        unit = str(children[1]).strip() if len(children) > 1 else None
        return Num(
            token.start_pos or 0, _number(str(token), token.start_pos or 0), str(token), unit
        )

    def string(self, children: list[Token]) -> Str:
        return Str(children[0].start_pos or 0, str(children[0])[1:-1])

    def true(self, children: list[Token]) -> Bool:
        return Bool(0, True)

    def false(self, children: list[Token]) -> Bool:
        return Bool(0, False)

    def path(self, children: list[Token]) -> Path:
        return Path(children[0].start_pos or 0, tuple(str(c) for c in children))

    def attr(self, children: list[Node | Token]) -> Attr:
        base = children[0]
        assert isinstance(base, Node)
        return Attr(base.pos, base, tuple(str(c) for c in children[1:]))

    def neg(self, children: list[Node]) -> Unary:
        return Unary(children[0].pos, "-", children[0])

    def not_(self, children: list[Node]) -> Unary:
        return Unary(children[0].pos, "not", children[0])

    def kwarg(self, children: list[Token | Node]) -> tuple[str, Node]:
        name, value = children
        assert isinstance(name, Token)
        assert isinstance(value, Node)
        return (str(name), value)

    def call(self, children: list[Token | Node | tuple[str, Node]]) -> Call:
        name = children[0]
        assert isinstance(name, Token)
        args: list[Node] = []
        kwargs: list[tuple[str, Node]] = []
        for child in children[1:]:
            if isinstance(child, tuple):
                kwargs.append(child)
            elif isinstance(child, Node):
                if kwargs:
                    raise FormulaError("positional arguments come before keyword ones", child.pos)
                args.append(child)
        return Call(name.start_pos or 0, str(name), tuple(args), tuple(kwargs))

    def _fold(self, children: Sequence[Node | Token], default_op: str | None = None) -> Node:
        left = children[0]
        assert isinstance(left, Node)
        i = 1
        while i < len(children):
            op_pos = -1
            if default_op is None:
                token = children[i]
                assert isinstance(token, Token)
                op, op_pos = str(token), token.start_pos if token.start_pos is not None else -1
                right = children[i + 1]
                i += 2
            else:
                op, right = default_op, children[i]
                i += 1
            assert isinstance(right, Node)
            left = Binary(left.pos, _OPS.get(op, op), left, right, op_pos)
        return left

    def sum(self, children: list[Node | Token]) -> Node:
        return self._fold(children)

    def product(self, children: list[Node | Token]) -> Node:
        return self._fold(children)

    def comparison(self, children: list[Node | Token]) -> Node:
        return self._fold(children)

    def power(self, children: list[Node]) -> Node:
        return self._fold(children, "^")

    def conj(self, children: list[Node]) -> Node:
        return self._fold(children, "and")

    def disj(self, children: list[Node]) -> Node:
        return self._fold(children, "or")


def oracle(text: str) -> Node | FormulaError:
    """Lark's tree of `text`, or its error with the offset Lark gave (`END` when the text
    ended too early); without the bounds `parse_formula` checks before and after. Raises
    WordAsName where Lark read a word of the language as a name."""
    _SEEN.clear()
    try:
        tree = _PARSER.parse(text)
    except UnexpectedToken as exc:
        _word_as_name()
        if exc.token.type == "$END":
            return FormulaError("the formula ends too early", END)
        return FormulaError("unexpected", exc.pos_in_stream or 0)
    except UnexpectedInput as exc:
        _word_as_name()
        offset = exc.pos_in_stream if exc.pos_in_stream is not None else END
        return FormulaError("unexpected", offset)
    _word_as_name()
    try:
        node = tree if isinstance(tree, Node) else _Build().transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, FormulaError):
            return exc.orig_exc
        raise
    assert isinstance(node, Node)
    return node
