"""The twin's layout: one line per top-level field and per item, the data unchanged."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from citeguide.engine.builder import build_site
from citeguide.render.twin import twin_layout
from conftest import REPO, TODAY

# Strings with what could fool a line-based layout: line breaks, runs of spaces,
# brackets and quotes (JSON escapes the breaks and quotes; the spaces stay as they are).
_TEXT = st.text(alphabet=st.sampled_from([*"ab \n\t\"\\{}[],:", "é", "€", "\u2028"]), max_size=12)
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


def _built_twins(tmp_path: Path) -> dict[str, str]:
    root = tmp_path / "root"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "citeguide.toml", root / "citeguide.toml")
    assert build_site(root, today=TODAY).ok
    return {p.name: p.read_text(encoding="utf-8") for p in (root / "site").glob("*.cite.json")}


def test_a_built_twin_is_the_layout_of_its_own_data(tmp_path: Path) -> None:
    """The bytes pydantic's serializer and the cached models make are exactly the
    layout of the standard library's indented JSON of the same data, and half as many."""
    twins = _built_twins(tmp_path)
    assert len(twins) == len(list((REPO / "content" / "guides").glob("*.md")))
    for name, text in twins.items():
        indented = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        assert text == twin_layout(indented) + "\n", name
        assert len(text.encode()) < 0.75 * len(indented.encode()), name


def test_a_change_to_one_claim_is_a_change_to_one_line(tmp_path: Path) -> None:
    text = _built_twins(tmp_path)["heat-pump-or-gas-boiler.cite.json"]
    data = json.loads(text)
    data["claims"][3]["text"] += " Edited."
    edited = twin_layout(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
    changed = [
        line
        for line in difflib.unified_diff(text.splitlines(), edited.splitlines(), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert len(changed) == 2, changed  # the claim's line, out and in
    assert '"Edited."' not in changed[1] and " Edited." in changed[1]
