"""The formula language: a small precedence grammar, parsed by hand into a syntax tree.

Formulas are parsed, never evaluated as Python. The grammar, loosest binding first:

    expr       := conj ("or" conj)*
    conj       := negation ("and" negation)*
    negation   := "not" negation | comparison
    comparison := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
    sum        := product (("+" | "-" | "−") product)*
    product    := unary (("*" | "/" | "×" | "÷") unary)*
    unary      := "-" unary | power
    power      := atom ("^" unary)?
    atom       := NUMBER ("[" UNIT "]")? | STRING | "true" | "false" | "(" expr ")"
                | NAME ("." NAME)* | NAME "(" (arg ("," arg)*)? ")" ("." NAME)*
    arg        := NAME "=" expr | expr

`and or not true false` are words of their own: `notional`, `order_total` and `true_cost`
are names. The parser reads in one pass, linear in the formula's length; operators of one
level and prefix operators are read in loops, so only brackets recurse. The text is capped
at MAX_FORMULA characters and MAX_DEPTH // 2 nested brackets (counted before it starts,
and again as the parser opens them: brackets inside quotes or a unit can hide real ones
from the first count), and the tree at MAX_DEPTH levels after: a megabyte formula or ten
thousand nested parentheses is a positioned error, not a hang or a RecursionError.

Until 0.9 this grammar was written for Lark (LALR). The tests keep that grammar as an
oracle: on every formula whose names do not begin with one of those words (which Lark's
lexer split: `notional` was read as `not ional`), both build the same tree and report a
syntax error at the same offset, except at the end of the text, which Lark reported at
the last token read (`x +` is now "the formula ends too early", not "unexpected '+'").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NoReturn

MAX_FORMULA = 4000
"""Characters in one formula, `let` or `require` condition."""
MAX_DEPTH = 40
"""Nesting of the syntax tree (parentheses, operators, calls)."""
MAX_DIGITS = 40

_SUFFIX = {"k": 10**3, "M": 10**6, "B": 10**9}
_OPS = {"−": "-", "×": "*", "÷": "/"}
_WORDS = frozenset({"or", "and", "not", "true", "false"})
_COMPARE = frozenset({"<", "<=", ">", ">=", "==", "!="})
_ADD = frozenset({"+", "-", "−"})
_MUL = frozenset({"*", "/", "×", "÷"})
_PAIRS = ("<=", ">=", "==", "!=")
_SPACE = re.compile(r"[ \t\r\n]+")
_NUMBER = re.compile(r"[0-9][0-9_]*(\.[0-9]+)?[kMB]?(?![A-Za-z0-9_])|\.[0-9]+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
_UNIT = re.compile(r"[^\]\n]+")


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


class _Parser:
    """One formula's reader: `pos` is the cursor; each level of the grammar is a method."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.nesting = text, 0, 0
        self.late: FormulaError | None = None
        """The first error found in a well-formed formula (a 41-digit number, a positional
        argument after a keyword one): raised once the whole text has parsed, so that a
        syntax error anywhere is reported first."""

    def parse(self) -> Node:
        node = self.disj()
        if self.peek():
            self.fail()
        if self.late is not None:
            raise self.late
        return node

    def fail(self, at: int | None = None) -> NoReturn:
        offset = self.pos if at is None else at
        raise FormulaError(_syntax_message(self.text, offset), offset)

    def peek(self) -> str:
        """What starts at the cursor, after white space: a two-character operator, a word,
        one other character, or "" at the end."""
        match = _SPACE.match(self.text, self.pos)
        if match:
            self.pos = match.end()
        text, at = self.text, self.pos
        if at >= len(text):
            return ""
        if text.startswith(_PAIRS, at):
            return text[at : at + 2]
        word = _NAME.match(text, at)
        return word.group() if word else text[at]

    def take(self, token: str) -> int:
        """Step over `token`, which `peek` has just returned; its offset."""
        at = self.pos
        self.pos += len(token)
        return at

    def disj(self) -> Node:
        return self.chain(frozenset({"or"}), self.conj)

    def conj(self) -> Node:
        return self.chain(frozenset({"and"}), self.negation)

    def chain(self, ops: frozenset[str], operand: Callable[[], Node]) -> Node:
        """`operand (op operand)*`, folded from the left; a symbol's offset is kept (the
        words `and` and `or` had none in Lark's tree)."""
        left = operand()
        while (op := self.peek()) in ops:
            at = self.take(op)
            left = Binary(left.pos, _OPS.get(op, op), left, operand(), -1 if op in _WORDS else at)
        return left

    def negation(self) -> Node:
        count = 0
        while self.peek() == "not":
            self.take("not")
            count += 1
        node = self.comparison()
        for _ in range(count):
            node = Unary(node.pos, "not", node)
        return node

    def comparison(self) -> Node:
        left = self.sum()
        op = self.peek()
        if op not in _COMPARE:
            return left
        at = self.take(op)
        return Binary(left.pos, op, left, self.sum(), at)

    def sum(self) -> Node:
        return self.chain(_ADD, self.product)

    def product(self) -> Node:
        return self.chain(_MUL, self.unary)

    def minuses(self) -> int:
        count = 0
        while self.peek() == "-":
            self.take("-")
            count += 1
        return count

    def unary(self) -> Node:
        count = self.minuses()
        node = self.power()
        for _ in range(count):
            node = Unary(node.pos, "-", node)
        return node

    def power(self) -> Node:
        """`a ^ -b ^ c` is `a ^ (-(b ^ c))`: read as a list, folded from the right."""
        atoms, signs = [self.atom()], []
        while self.peek() == "^":
            self.take("^")
            signs.append(self.minuses())
            atoms.append(self.atom())
        node = atoms[-1]
        for i in range(len(atoms) - 1, 0, -1):
            for _ in range(signs[i - 1]):
                node = Unary(node.pos, "-", node)
            node = Binary(atoms[i - 1].pos, "^", atoms[i - 1], node)
        return node

    def atom(self) -> Node:
        token = self.peek()
        at = self.pos
        if not token:
            self.fail()
        if token == "(":
            self.open(self.take("("))
            node = self.disj()
            self.expect(")")
            self.nesting -= 1
            return node
        if token[0] in "0123456789.":
            return self.number(at)
        if token in "'\"":
            found = _STRING.match(self.text, at)
            if not found:
                self.fail()
            self.pos = found.end()
            return Str(at, found.group()[1:-1])
        if token in ("true", "false"):
            self.take(token)
            return Bool(0, token == "true")
        if token in _WORDS or not _NAME.fullmatch(token):
            self.fail()
        self.take(token)
        if self.peek() != "(":
            return Path(at, (token, *self.names()))
        call = self.call(token, at)
        names = self.names()
        return Attr(at, call, names) if names else call

    def number(self, at: int) -> Num:
        found = _NUMBER.match(self.text, at)
        if not found:
            self.fail()
        text = found.group()
        self.pos = found.end()
        try:
            value = _number(text, at)
        except FormulaError as exc:
            self.late = self.late or exc
            value = Decimal(0)
        unit = None
        if self.peek() == "[":
            self.take("[")
            unit_match = _UNIT.match(self.text, self.pos)
            if not unit_match:
                self.peek()  # white space that is not a unit (a line break) is skipped
                unit_match = _UNIT.match(self.text, self.pos)
            if not unit_match:
                self.fail()
            unit = unit_match.group().strip()
            self.pos = unit_match.end()
            self.expect("]")
        return Num(at, value, text, unit)

    def names(self) -> tuple[str, ...]:
        """`.column.column` after a name or a call: any word, `and` and `true` included."""
        names: list[str] = []
        while self.peek() == ".":
            self.take(".")
            self.peek()
            found = _NAME.match(self.text, self.pos)
            if not found:
                self.fail()
            names.append(found.group())
            self.pos = found.end()
        return tuple(names)

    def call(self, func: str, at: int) -> Call:
        self.open(self.take("("))
        args: list[Node] = []
        kwargs: list[tuple[str, Node]] = []
        if self.peek() == ")":
            self.take(")")
            self.nesting -= 1
            return Call(at, func, (), ())
        misplaced: int | None = None
        while True:
            name = self.keyword()
            value = self.disj()
            if name is not None:
                kwargs.append((name, value))
            else:
                if kwargs and misplaced is None:
                    misplaced = value.pos
                args.append(value)
            if self.peek() != ",":
                break
            self.take(",")
        self.expect(")")
        self.nesting -= 1
        if misplaced is not None and self.late is None:
            # Once the call is read, after what its arguments found: a tree is checked
            # from its leaves up.
            self.late = FormulaError("positional arguments come before keyword ones", misplaced)
        return Call(at, func, tuple(args), tuple(kwargs))

    def keyword(self) -> str | None:
        """The name of a keyword argument (`name =`, not `name ==`), stepped over; None
        when the argument has no name."""
        token = self.peek()
        if token in _WORDS or not _NAME.fullmatch(token):
            return None
        after = _SPACE.match(self.text, self.pos + len(token))
        at = after.end() if after else self.pos + len(token)
        if not self.text.startswith("=", at) or self.text.startswith("==", at):
            return None
        self.pos = at + 1
        return token

    def open(self, at: int) -> None:
        """One more bracket read into (the only recursion): bounded here, since brackets
        inside quotes or a unit can hide real ones from `parse_formula`'s count."""
        self.nesting += 1
        if self.nesting > MAX_DEPTH // 2:
            raise FormulaError(f"parentheses nest deeper than {MAX_DEPTH // 2}", at)

    def expect(self, token: str) -> None:
        if self.peek() != token:
            self.fail()
        self.take(token)


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
    node = _Parser(text).parse()
    if depth(node) > MAX_DEPTH:
        raise FormulaError(f"the formula nests deeper than {MAX_DEPTH} levels", 0)
    return node


def _syntax_message(text: str, offset: int) -> str:
    if offset >= len(text):
        return "the formula ends too early (an operator or a parenthesis is not finished)"
    found = text[offset : offset + 12].split()[0] if text[offset:].strip() else text[offset]
    return f"unexpected {found!r} in the formula"


def fraction_of(value: Decimal) -> Fraction:
    return Fraction(value)
