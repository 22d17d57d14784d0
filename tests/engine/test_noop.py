"""The no-op record (engine/noop.py): trusted only while every stamp is unchanged."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from citeguide.cli import main
from citeguide.engine import builder, noop, writer
from citeguide.engine.builder import build_site
from citeguide.engine.noop import RECORD_FILE
from conftest import REPO, TODAY


def _built(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(REPO / "content", root / "content")
    (root / "citeguide.toml").write_text("search = false\n", encoding="utf-8")
    past = time.time_ns() - 60_000_000_000  # older than the racy window
    for path in [root / "citeguide.toml", *(root / "content").rglob("*")]:
        os.utime(path, ns=(past, past))
    assert build_site(root, today=TODAY).ok
    return root


def _unchanged(root: Path, notes: list[str] | None = None) -> dict[str, object] | None:
    return noop.unchanged(root, root / "site", today=TODAY, drafts=False, notes=notes)


def test_the_record_answers_until_a_data_tables_stamp_changes(tmp_path: Path) -> None:
    root = _built(tmp_path)
    report = _unchanged(root)
    assert report is not None
    assert report["pages"] == 4
    table = root / "content" / "data" / "energy.yaml"
    stamps = noop._inputs(root)
    later = time.time_ns() - 30_000_000_000
    os.utime(table, ns=(later, later))  # same bytes, another stamp: make's rule
    assert noop._inputs(root) != stamps
    assert _unchanged(root) is None


@pytest.mark.parametrize("how", ["api", "cli"])
def test_a_guide_saved_while_the_build_runs_is_built_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """The record keeps the stamps taken before the build read its inputs: a guide saved
    while it runs (seconds before it ends, out of the racy window) differs from them, so
    the next build builds it instead of calling the site unchanged."""
    root = _built(tmp_path)
    guide = root / "content" / "guides" / "heat-pump-or-gas-boiler.md"
    text = guide.read_text(encoding="utf-8")
    saved = time.time_ns() - 10_000_000_000
    real = writer.write_tree

    def saving_meanwhile(*args: Any, **kwargs: Any) -> Any:
        guide.write_text(text + "\nSaved while the build ran.\n", encoding="utf-8")
        os.utime(guide, ns=(saved, saved))  # as if saved seconds before the build ended
        return real(*args, **kwargs)

    other = root / "content" / "guides" / "choosing-a-serving-stack.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nAn edit.\n", encoding="utf-8")
    os.utime(other, ns=(saved - 5_000_000_000,) * 2)  # no stamp in the racy window
    monkeypatch.setattr(builder, "write_tree", saving_meanwhile)
    if how == "api":
        assert build_site(root, today=TODAY).ok
    else:
        assert main(["build", "--root", str(root)]) == 0
    monkeypatch.undo()
    page = root / "site" / "heat-pump-or-gas-boiler" / "index.html"
    assert b"Saved while the build ran." not in page.read_bytes()
    if how == "api":
        result = build_site(root, today=TODAY)
        assert result.ok
        assert not result.noop
    else:
        assert main(["build", "--root", str(root)]) == 0
    assert b"Saved while the build ran." in page.read_bytes()


def test_another_day_drafts_or_a_touched_site_are_not_a_no_op(tmp_path: Path) -> None:
    root = _built(tmp_path)
    target = root / "site"
    assert noop.unchanged(root, target, today=TODAY, drafts=True) is None
    assert noop.unchanged(root, target, today=TODAY.replace(day=3), drafts=False) is None
    (target / "llms.txt").write_text("edited by hand")
    assert _unchanged(root) is None


def test_a_record_that_is_not_sealed_is_discarded_with_its_reason(tmp_path: Path) -> None:
    root = _built(tmp_path)
    (root / RECORD_FILE).write_text('{"report": {"pages": 4}}')
    notes: list[str] = []
    assert _unchanged(root, notes) is None
    assert notes == [
        "build/citeguide-noop.json: note: the no-op record was discarded "
        "(corrupt: not a file citeguide wrote)"
    ]


def test_a_build_that_writes_forgets_the_record_first(tmp_path: Path) -> None:
    root = _built(tmp_path)
    assert (root / RECORD_FILE).exists()
    noop.forget(root)
    assert not (root / RECORD_FILE).exists()
    assert _unchanged(root, []) is None


def test_the_site_digest_does_not_depend_on_how_the_root_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built from the absolute path, then from `.`: the engine (past the no-op record,
    whose stamps are bound to the resolved root) still finds site/ as the last build
    left it, and writes nothing."""
    root = _built(tmp_path)
    assert noop.tree_digest(root / "site") is not None
    monkeypatch.chdir(root)
    assert noop.tree_digest(Path("site")) == noop.tree_digest(root / "site")
    stamp = (root / "site" / "index.html").stat().st_mtime_ns
    result = build_site(Path("."), today=TODAY, shortcut=False)
    assert result.noop
    assert result.files == 0
    assert (root / "site" / "index.html").stat().st_mtime_ns == stamp
