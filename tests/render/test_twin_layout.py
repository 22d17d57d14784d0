"""The twin's layout: one line per top-level field and per item, the data unchanged."""

from __future__ import annotations

import difflib
import json
import shutil
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citeguide.engine.builder import build_site
from citeguide.render.twin import twin_layout
from conftest import REPO, TODAY

# Strings made of what could fool a line-based layout: line breaks, runs of spaces as
# deep as an item's inside, brackets and quotes (JSON escapes the breaks and quotes; the
# spaces stay as they are).
_TOKENS = [*'ab \n\t"\\{}[],:', "é", "€", "\u2028", "      ", "\n      ", "    ]", ": "]
_TEXT = st.lists(st.sampled_from(_TOKENS), max_size=6).map("".join)
_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _TEXT
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=25,
)
_DOCS = st.dictionaries(_TEXT, _VALUES, min_size=1, max_size=6)


def _lines_expected(doc: dict[str, Any]) -> int:
    """The braces, then per field one line, or for a non-empty list or object one line
    per item and two for its brackets."""
    count = 2
    for value in doc.values():
        nested = isinstance(value, list | dict) and value
        count += len(value) + 2 if nested else 1
    return count


@settings(max_examples=400, deadline=None)
@given(_DOCS)
def test_the_layout_keeps_the_data_and_puts_each_item_on_its_line(doc: dict[str, Any]) -> None:
    text = twin_layout(json.dumps(doc, indent=2, ensure_ascii=False))
    assert json.loads(text) == doc
    lines = text.split("\n")
    assert len(lines) == _lines_expected(doc)
    # Nothing deeper than an item starts a line.
    assert all(len(line) - len(line.lstrip(" ")) <= 4 for line in lines)


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The bundled site's twins, built once: name → text."""
    root = tmp_path_factory.mktemp("bundled")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "citeguide.toml", root / "citeguide.toml")
    assert build_site(root, today=TODAY).ok
    return {p.name: p.read_text(encoding="utf-8") for p in (root / "site").glob("*.cite.json")}


def test_a_built_twin_is_laid_out_one_line_per_field_and_item(twins: dict[str, str]) -> None:
    """What pydantic's serializer and the cached models make has the layout's lines, and
    fewer bytes than the same data indented by two."""
    assert len(twins) == len(list((REPO / "content" / "guides").glob("*.md")))
    laid_out = indented = 0
    for name, text in twins.items():
        data = json.loads(text)
        lines = text.split("\n")
        assert lines.pop() == "", name  # newline-terminated
        assert len(lines) == _lines_expected(data), name
        assert all(len(line) - len(line.lstrip(" ")) <= 4 for line in lines), name
        laid_out += len(text.encode())
        indented += len(json.dumps(data, indent=2, ensure_ascii=False).encode())
    assert laid_out < 0.75 * indented


def test_a_change_to_one_claim_is_a_change_to_one_line(twins: dict[str, str]) -> None:
    """A claim's fields other than its id (a reworded claim gets a new id, which the
    lines of its sources list too)."""
    text = twins["heat-pump-or-gas-boiler.cite.json"]
    data = json.loads(text)
    data["claims"][3]["text"] += " Edited."
    edited = twin_layout(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
    changed = [
        line
        for line in difflib.unified_diff(text.split("\n"), edited.split("\n"), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert len(changed) == 2, changed  # the claim's line, out and in
    assert changed[0].startswith('-    {"id": "' + data["claims"][3]["id"])
    assert changed[1].startswith("+")
    assert " Edited." in changed[1]
