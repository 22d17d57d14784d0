"""YAML with positions: load a document, keep its node tree, locate any value by path.

PyYAML's loaders drop positions once a document is constructed; validation errors must
point at the offending key, so the composed node tree is kept next to the data.
Timestamps are not resolved: dates stay strings and the models parse them strictly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(_Base):  # type: ignore[valid-type,misc]
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlError(Exception):
    """A syntax or structure problem at a 0-based (line, col) of the YAML text."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


@dataclass(frozen=True)
class YamlDoc:
    data: Any
    root: yaml.Node | None
    text: str = field(default="", repr=False)
    """The source (the C loader's marks do not carry it): where a position inside a
    multi-line or escaped scalar is counted."""
    _keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    """Each mapping looked into, by `id`: its keys (the first of a name), so that placing
    a problem in each of thousands of entries is not a scan of them all each time."""

    def child(self, node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        """The key and value nodes of `key` in the mapping `node` (of this document)."""
        keys = self._keys.get(id(node))
        if keys is None:
            keys = self._keys[id(node)] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node.value, str):
                    keys.setdefault(key_node.value, (key_node, value_node))
        return keys.get(key)

    def position(self, loc: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
        """0-based (line, col) of the value at `loc`; of its key when `key` is true.

        Walks as far as the path exists, so a missing field points at its parent.
        """
        node = self.root
        if node is None:
            return 0, 0
        mark = node.start_mark
        for i, part in enumerate(loc):
            last = i == len(loc) - 1
            if isinstance(node, yaml.MappingNode):
                found = self.child(node, str(part))
                if found is None:
                    return mark.line, mark.column
                key_node, node = found
                mark = key_node.start_mark if (last and key) else node.start_mark
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    return mark.line, mark.column
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        return mark.line, mark.column


def _check_nodes(root: yaml.Node | None) -> None:
    """Reject duplicate keys and aliases, visiting each node once (no recursion), in the
    order the document is written.

    Aliases (`*name`) are refused outright: guides and tables never need them, and nine
    lines of nested aliases expand to billions of nodes for every later walk (the
    "billion laughs"); a recursive alias would never end. An alias is the second visit of
    its anchor's node; it is reported at the key it is the value (or in a list) of: the
    node itself knows only where its anchor was written.
    """
    stack = [(root, root.start_mark)] if root is not None else []
    seen_nodes: set[int] = set()
    while stack:
        node, where = stack.pop()
        if id(node) in seen_nodes:
            raise YamlError(
                "YAML aliases (*name) are not supported; write the value out",
                where.line,
                where.column,
            )
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in keys:
                        mark = key_node.start_mark
                        raise YamlError(f"duplicate key {key_node.value!r}", mark.line, mark.column)
                    keys.add(key_node.value)
            for key_node, value_node in reversed(node.value):
                stack += [(value_node, key_node.start_mark), (key_node, key_node.start_mark)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, where) for item in reversed(node.value)]


def _reader_position(text: str, exc: yaml.reader.ReaderError) -> tuple[int, int]:
    """0-based (line, col) of the character a reader error names (libyaml counts the
    offset in UTF-8 bytes, PyYAML's own reader in characters)."""
    index = exc.position
    if _Base is not yaml.SafeLoader:
        index = len(text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore"))
    line = text.count("\n", 0, index)
    return line, index - (text.rfind("\n", 0, index) + 1)


_PLAIN_PAIR = re.compile(
    r"[ \t]*(?:-[ \t]+)?([^\s:#'\"{}\[\],&*!|>%@`-][^:#]*?):[ \t]+([^\s'\"].*)"
)
"""A line `key: value` (or `- key: value`) whose value is not quoted."""
_MARKER = re.compile(r"\[(?:cite|calc)\s*:")
_SHOWN = 300
"""Longest value written out again, quoted, in the hint (a summary shows up to 300)."""


def quote_hint(text: str, line: int, col: int, problem: str = "") -> str:
    """Advice when a plain value holding a marker or ': ' is the likely cause of a
    problem found at 0-based (`line`, `col`) of `text`: a value holding ': ' (a
    `[calc: ...]` marker in a summary, say), which YAML reads as the start of another key
    ("mapping values are not allowed" found inside the value), or one that starts with a
    marker, which YAML reads as a list (any problem found in the value: YAML's, or the
    list given where a string was expected). "" otherwise. Quoting the whole value in
    single quotes is always valid YAML (a `'` inside is written twice)."""
    lines = text.split("\n")
    found = _PLAIN_PAIR.fullmatch(lines[line].rstrip()) if 0 <= line < len(lines) else None
    if found is None or col < found.start(2):
        return ""  # the colon is the key's own: an indentation problem, say
    key, value = found.group(1).strip(), found.group(2)
    if value.startswith("{"):
        return _flow_hint(value)
    if _MARKER.match(value):
        why = "starts with a [cite: ...] or [calc: ...] marker, which YAML reads as a list"
    elif problem.startswith("mapping values are not allowed"):
        what = "a [cite: ...] or [calc: ...] marker" if _MARKER.search(value) else "': '"
        why = f"holds {what}, which YAML reads as the start of another key"
    else:
        return ""
    quoted = "'" + value.replace("'", "''") + "'"
    long = f"{key}: '...', each ' inside written ''"
    example = f"{key}: {quoted}" if len(value) <= _SHOWN else long
    return f"; the value of `{key}` {why}: quote the whole value ({example})"


_FLOW_PAIR = re.compile(
    r"([A-Za-z_][\w-]*):[ \t]+([^'\"\s{\[][^{}]*?)(?=,[ \t]*[A-Za-z_][\w-]*:[ \t]|[ \t]*\})"
)
"""A `key: value` inside `{...}` whose value is not quoted, up to the next key or `}`."""


def _flow_hint(braces: str) -> str:
    """Advice for a `{key: value, ...}` mapping with a `[` in an unquoted value, where YAML
    starts a list: `{expr: rate * 1[year/month] / 12, label: ...}` (a unit literal)."""
    for found in _FLOW_PAIR.finditer(braces):
        key, value = found.group(1), found.group(2).rstrip()
        if "[" in value:
            quoted = "'" + value.replace("'", "''") + "'"
            example = f"{key}: {quoted}" if len(value) <= _SHOWN else f"{key}: '...'"
            return (
                f"; inside {{...}} a `[` starts a list, so the value of `{key}` cannot hold "
                f"one unquoted: quote it ({example}), or write the mapping as indented lines"
            )
    return ""


def load_yaml(text: str) -> YamlDoc:
    """Parse one YAML document; raises YamlError with a position on any problem."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        _check_nodes(root)
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, col = (mark.line, mark.column) if mark else (0, 0)
        raise YamlError(f"invalid YAML: {problem}{quote_hint(text, line, col, problem)}", line,
                        col) from None  # fmt: skip
    except yaml.reader.ReaderError as exc:
        line, col = _reader_position(text, exc)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character or "?")
        raise YamlError(f"invalid YAML: {exc.reason} (U+{code:04X} here); remove it", line,
                        col) from None  # fmt: skip
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", 0, 0) from None
    except (ValueError, RecursionError, OverflowError) as exc:
        # int() of a 5,000-digit number, or nesting past Python's recursion limit
        raise YamlError(f"invalid YAML: {str(exc)[:120] or 'structure too deep'}", 0, 0) from None
    finally:
        loader.dispose()
    return YamlDoc(data, root, text)
