"""The cited-sources record (engine/cited.py): `check`'s view of the last build, trusted
only while every input it was made from holds the same bytes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from citeguide.engine import cited
from citeguide.engine.builder import build_site
from citeguide.engine.cited import RECORD_FILE
from citeguide.engine.incremental import check_site
from conftest import REPO, TODAY

DRAFT = """\
---
title: A draft about boilers
summary: Not published yet.
published: 2026-05-01
draft: true
---

A condensing boiler is about 90% efficient
[cite: https://example.com/boilers · 2026-04-01 · medium].
"""


def _built(tmp_path: Path) -> Path:
    """The bundled site (guides, cited data tables, models, the pack) and a draft."""
    root = tmp_path / "root"
    shutil.copytree(REPO / "content", root / "content")
    (root / "content" / "guides" / "boilers-draft.md").write_text(DRAFT, encoding="utf-8")
    (root / "citeguide.toml").write_text("search = false\n", encoding="utf-8")
    assert build_site(root, today=TODAY).ok
    return root


def _recorded(root: Path, notes: list[str] | None = None) -> tuple[list[object], list[str]] | None:
    found = cited.recorded(root, today=TODAY, notes=[] if notes is None else notes)
    if found is None:
        return None
    uses, diagnostics = found
    return list(uses), [d.format() for d in diagnostics.items]


def test_the_record_says_what_the_engine_says(tmp_path: Path) -> None:
    root = _built(tmp_path)
    found = _recorded(root)
    assert found is not None
    engine = check_site(root, today=TODAY, drafts=True, editorial=False, use_cache=False)
    assert found == (engine.uses, [d.format() for d in engine.diagnostics.items])
    paths = {use.path for use in engine.uses}  # type: ignore[attr-defined]
    # Drafts are checked, and so are the rows of the site's own tables.
    assert "content/guides/boilers-draft.md" in paths
    assert "content/data/heating.yaml" in paths
    assert not any(path.startswith("<pack") for path in paths)


def test_the_record_after_an_edit_says_what_the_engine_says_of_any_file_name(
    tmp_path: Path,
) -> None:
    """After an edit the other guides' uses are spliced in as their cache entries hold
    them (`cited.record`); a guide named outside ASCII is written as JSON all the same."""
    root = _built(tmp_path)
    (root / "content" / "guides" / "boilers-draft.md").unlink()
    named = DRAFT.replace("draft: true\n", "draft: true\nslug: chaudiere-brouillon\n")
    (root / "content" / "guides" / "chaudière-brouillon.md").write_text(named, encoding="utf-8")
    assert build_site(root, today=TODAY).ok
    guide = root / "content" / "guides" / "heat-pump-or-gas-boiler.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert build_site(root, today=TODAY).ok
    found = _recorded(root)
    assert found is not None
    engine = check_site(root, today=TODAY, drafts=True, editorial=False, use_cache=False)
    assert found == (engine.uses, [d.format() for d in engine.diagnostics.items])
    assert "content/guides/chaudière-brouillon.md" in {use.path for use in engine.uses}


def test_any_changed_input_sends_check_back_to_the_engine(tmp_path: Path) -> None:
    root = _built(tmp_path)
    guide = root / "content" / "guides" / "heat-pump-or-gas-boiler.md"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text + "\nOne more line.\n", encoding="utf-8")
    assert _recorded(root) is None
    guide.write_text(text, encoding="utf-8")  # the same bytes again: the same answer
    assert _recorded(root) is not None

    table = root / "content" / "data" / "heating.yaml"
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _recorded(root) is None
    assert build_site(root, today=TODAY).ok
    assert _recorded(root) is not None

    extra = root / "content" / "guides" / "another.md"
    extra.write_text(DRAFT, encoding="utf-8")
    assert _recorded(root) is None
    extra.unlink()
    assert _recorded(root) is not None
    assert cited.recorded(root, today=TODAY.replace(day=3), notes=[]) is None


def test_a_file_a_guide_shows_is_part_of_what_the_record_was_made_from(tmp_path: Path) -> None:
    root = _built(tmp_path)
    guide = root / "content" / "guides" / "shows-a-picture.md"
    guide.write_text(DRAFT.replace("draft: true\n", "") + "\n![A plan](plan.svg)\n")
    picture = root / "content" / "guides" / "plan.svg"
    picture.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    assert build_site(root, today=TODAY).ok
    assert _recorded(root) is not None
    picture.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="2"/>')
    assert _recorded(root) is None


def test_a_record_that_is_not_sealed_is_discarded_with_its_reason(tmp_path: Path) -> None:
    root = _built(tmp_path)
    forged = {"context": {}, "key": "", "guides": [], "deps": [], "uses": [], "diagnostics": []}
    (root / RECORD_FILE).write_text(json.dumps(forged))
    notes: list[str] = []
    assert _recorded(root, notes) is None
    assert notes == [
        "build/citeguide-cited.json: note: the cited-sources record was discarded "
        "(corrupt: not a file citeguide wrote); the guides are read instead"
    ]


def test_a_record_linked_to_an_endless_device_is_refused_not_read(tmp_path: Path) -> None:
    root = _built(tmp_path)
    (root / RECORD_FILE).unlink()
    os.symlink("/dev/zero", root / RECORD_FILE)
    notes: list[str] = []
    assert _recorded(root, notes) is None
    assert len(notes) == 1
    assert "cited-sources record was discarded" in notes[0]


def test_check_answered_by_the_record_never_loads_the_engine(tmp_path: Path) -> None:
    """The point of the record: 0.2 s of imports (`-X importtime`) that `check` never
    pays; nor the 45 ms of httpx's command-line client and the progress bar, which it
    never shows. The site is built for the real today, the day `check` looks for."""
    root = tmp_path / "root"
    shutil.copytree(REPO / "content", root / "content")
    (root / "citeguide.toml").write_text("search = false\n", encoding="utf-8")
    assert build_site(root).ok
    probe = (
        "import sys\n"
        "from citeguide.commands.check import site_uses\n"
        "uses = site_uses(__import__('pathlib').Path(sys.argv[1]), sys.stderr)\n"
        "heavy = ['citeguide.engine.incremental', 'citeguide.content.parse',\n"
        "         'citeguide.costcore.compile', 'citeguide.engine.cache', 'markdown_it',\n"
        # httpx's command-line client and the progress bar (a terminal's only).
        "         'httpx._main', 'click', 'pygments', 'rich.progress']\n"
        "print(len(uses), [name for name in heavy if sys.modules.get(name) is not None])\n"
    )
    run = subprocess.run([sys.executable, "-c", probe, str(root)], capture_output=True,
                         text=True, check=False)  # fmt: skip
    count, loaded = run.stdout.split(" ", 1)
    assert loaded.strip() == "[]", run.stdout + run.stderr
    engine = check_site(root, drafts=True, editorial=False)
    assert int(count) == len(engine.uses) > 50
