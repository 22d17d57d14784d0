"""When a build processes every guide again because something all of them are made from
changed, it says what: before, a build after an upgrade, a template edit or on a new day
was as slow as a cold one with no word why (at 20,000 guides, minutes), and `build` said
`built 2 guides` after a table edit that processed one of them.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from citeguide.engine.builder import build_site
from citeguide.engine.inputs import changed_parts, inputs_keys
from conftest import TODAY, guide_text, write_site

NOTE = "build/citeguide-cache/index.json: note: every guide is processed again: "


def _site(tmp_path: Path) -> Path:
    return write_site(tmp_path, {
        "content/guides/heating.md": guide_text("Heat pump or gas boiler?"),
        "content/guides/roof.md": guide_text("Solar panels on a north roof?"),
    })  # fmt: skip


def _stale_notes(notes: list[str]) -> list[str]:
    return [n for n in notes if n.startswith(NOTE)]


def test_a_first_build_and_an_edit_say_nothing(tmp_path: Path) -> None:
    root = _site(tmp_path)
    assert not _stale_notes(build_site(root, today=TODAY).notes)
    (root / "content/guides/roof.md").write_text(guide_text("Solar panels on a flat roof?"))
    assert not _stale_notes(build_site(root, today=TODAY).notes)


def test_a_new_day_says_why_the_whole_site_is_rebuilt(tmp_path: Path) -> None:
    root = _site(tmp_path)
    assert build_site(root, today=TODAY).ok
    tomorrow = TODAY + timedelta(days=1)
    result = build_site(root, today=tomorrow)
    assert _stale_notes(result.notes) == [
        f"{NOTE}the date ({TODAY.isoformat()}, now {tomorrow.isoformat()}; a source's age "
        "counts from it) changed since the last build"
    ]


@pytest.mark.parametrize(
    ("path", "text", "named"),
    [
        ("citeguide.toml", 'title = "Home energy"\n', "citeguide.toml"),
        ("templates/404.html", '{% extends "base.html" %}\n', "templates"),
    ],
)
def test_a_changed_input_is_named(tmp_path: Path, path: str, text: str, named: str) -> None:
    root = _site(tmp_path)
    assert build_site(root, today=TODAY).ok
    (root / path).parent.mkdir(exist_ok=True)
    (root / path).write_text(text)
    notes = _stale_notes(build_site(root, today=TODAY, use_cache=True).notes)
    assert notes == [f"{NOTE}{named} changed since the last build"]


def test_each_part_is_named_in_words() -> None:
    before = {"date": "2026-12-04", "versions": "a", "code": "b", "citeguide.toml": "c"}
    now = {"date": "2026-12-04", "versions": "x", "code": "y", "citeguide.toml": "c",
           "templates": "t"}  # fmt: skip
    assert changed_parts(before, now) == (
        "citeguide's own code, templates, the version of citeguide, Python or a library"
    )
    assert changed_parts({}, now) == "the inputs"  # a cache written before parts were kept


def test_the_parts_make_the_entries_key(tmp_path: Path) -> None:
    root = _site(tmp_path)
    _, entries, parts = inputs_keys(root, today=TODAY)
    assert {"date", "versions", "code", "citeguide.toml"} <= set(parts)
    assert any(name.startswith("citeguide's bundled ") for name in parts)  # templates, packs
    assert inputs_keys(root, today=TODAY + timedelta(days=1))[1] != entries


def test_build_says_how_many_guides_it_processed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from citeguide.cli import main

    root = _site(tmp_path)
    assert main(["build", "--root", str(root)]) == 0
    assert "built 2 guides into" in capsys.readouterr().out
    (root / "content/guides/roof.md").write_text(guide_text("Solar panels on a flat roof?"))
    assert main(["build", "--root", str(root)]) == 0
    assert "(1 processed, 1 unchanged; " in capsys.readouterr().out
