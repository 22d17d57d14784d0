"""The formula language: a Lark LALR grammar and the syntax tree it builds.

Formulas are parsed by a grammar, never evaluated as Python. LALR parsing is linear in
the formula's length; the text is capped at MAX_FORMULA characters and the tree at
MAX_DEPTH levels before anything walks it, so a megabyte formula or ten thousand nested
parentheses is a positioned error, not a hang or a RecursionError.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from lark import Lark, Token, Tree, UnexpectedInput
from lark.exceptions import VisitError
from lark.visitors import Transformer_NonRecursive

MAX_FORMULA = 4000
"""Characters in one formula, `let` or `require` condition."""
MAX_DEPTH = 40
"""Nesting of the syntax tree (parentheses, operators, calls)."""
MAX_DIGITS = 40

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

_PARSER = Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)
_SUFFIX = {"k": 10**3, "M": 10**6, "B": 10**9}
_OPS = {"−": "-", "×": "*", "÷": "/"}


class FormulaError(ValueError):
    """A formula that cannot be read; `offset` is 0-based within the formula text."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message, self.offset = message, offset


@dataclass(frozen=True)
class Node:
    """A node of the syntax tree; `pos` is its offset in the formula text."""

    pos: int


@dataclass(frozen=True)
class Num(Node):
    value: Decimal
    text: str
    """The number as written (`10M`, `0.75`)."""
    unit: str | None = None
    """The unit of a literal such as `365[day/year]`, as written."""


@dataclass(frozen=True)
class Str(Node):
    value: str


@dataclass(frozen=True)
class Bool(Node):
    value: bool


@dataclass(frozen=True)
class Path(Node):
    """A name (`demand`) or a row's column (`tariff.price`, `row.hardware.memory_gb`)."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class Attr(Node):
    """Columns of the row a call returns: `find(prices, kind='rental').price`."""

    base: Node
    names: tuple[str, ...]


@dataclass(frozen=True)
class Unary(Node):
    op: str
    """`-` or `not`."""
    arg: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str
    """`+ - * / ^ < <= > >= == != and or`."""
    left: Node
    right: Node
    op_pos: int = -1
    """The operator's offset, when it is written as a token (`+ - * / <` ...)."""


@dataclass(frozen=True)
class Call(Node):
    """A function (`min(a, b)`) or a model called with keyword arguments."""

    func: str
    args: tuple[Node, ...]
    kwargs: tuple[tuple[str, Node], ...]


def _number(text: str, pos: int) -> Decimal:
    digits = text.replace("_", "")
    suffix = digits[-1] if digits[-1] in _SUFFIX else ""
    digits = digits.rstrip("kMB")
    if len(digits) > MAX_DIGITS:
        raise FormulaError(f"number {text[:20]}… has more than {MAX_DIGITS} digits", pos)
    return Decimal(digits) * _SUFFIX.get(suffix, 1)


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


def children(node: Node) -> list[Node]:
    """The direct sub-nodes of `node`."""
    if isinstance(node, Unary):
        return [node.arg]
    if isinstance(node, Attr):
        return [node.base]
    if isinstance(node, Binary):
        return [node.left, node.right]
    if isinstance(node, Call):
        return [*node.args, *(v for _, v in node.kwargs)]
    return []


def depth(root: Node) -> int:
    """Levels of the tree, counted without recursion."""
    deepest = 0
    stack = [(root, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack += [(child, level + 1) for child in children(node)]
    return deepest


_NESTING = re.compile(r"[()\[\]]")


def parse_formula(text: str) -> Node:
    """The syntax tree of `text`; raises FormulaError with an offset on any problem."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("a formula cannot be empty")
    if len(text) > MAX_FORMULA:
        raise FormulaError(f"a formula is at most {MAX_FORMULA:,} characters; this one has "
                           f"{len(text):,} (split it with `let` or into models)")  # fmt: skip
    level = 0
    for match in _NESTING.finditer(text):
        level += 1 if match.group(0) in "([" else -1
        if level > MAX_DEPTH // 2:
            raise FormulaError(f"parentheses nest deeper than {MAX_DEPTH // 2}", match.start())
    try:
        tree = _PARSER.parse(text)
    except UnexpectedInput as exc:
        offset = exc.pos_in_stream if exc.pos_in_stream is not None else len(text)
        raise FormulaError(_syntax_message(exc, text, offset), offset) from None
    try:
        node: Node = tree if isinstance(tree, Node) else _Build().transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, FormulaError):
            raise exc.orig_exc from None
        raise
    if isinstance(node, Tree | Token):  # pragma: no cover - the grammar always builds nodes
        raise FormulaError("cannot read this formula")
    if depth(node) > MAX_DEPTH:
        raise FormulaError(f"the formula nests deeper than {MAX_DEPTH} levels", 0)
    return node


def _syntax_message(exc: UnexpectedInput, text: str, offset: int) -> str:
    if offset >= len(text):
        return "the formula ends too early (an operator or a parenthesis is not finished)"
    found = text[offset : offset + 12].split()[0] if text[offset:].strip() else text[offset]
    return f"unexpected {found!r} in the formula"


def fraction_of(value: Decimal) -> Fraction:
    return Fraction(value)
