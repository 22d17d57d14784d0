"""The no-op record (engine/noop.py): trusted only while every stamp is unchanged."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from types import SimpleNamespace
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


def _fresh(tmp_path: Path, age_ns: int) -> Path:
    """The bundled site, every input written `age_ns` ago (a generator, a checkout)."""
    root = tmp_path / "root"
    shutil.copytree(REPO / "content", root / "content")
    (root / "citeguide.toml").write_text("search = false\n", encoding="utf-8")
    then = time.time_ns() - age_ns
    for path in [root / "citeguide.toml", *(root / "content").rglob("*")]:
        os.utime(path, ns=(then, then))
    return root


def test_a_build_started_right_after_its_inputs_were_written_is_followed_by_a_no_op(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inputs written a second before the build took their stamps are checked again,
    bytes and stamps, once the build is over (five seconds later, by the clock given the
    record): unchanged, the next build needs no engine."""
    root = _fresh(tmp_path, 1_000_000_000)
    now = time.time_ns()
    ticks = [now, now + 5_000_000_000]  # the stamps taken, then the record written

    def clock() -> int:
        return ticks.pop(0) if ticks else time.time_ns() + 5_000_000_000

    monkeypatch.setattr(noop, "time", SimpleNamespace(time_ns=clock))
    assert build_site(root, today=TODAY).ok
    assert ticks == []
    assert _unchanged(root) is not None


def test_an_input_rewritten_in_the_same_clock_tick_during_the_build_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A guide rewritten while the build runs with the same size and modification time
    (a filesystem with a coarse clock) holds other bytes than when its stamp was taken:
    the record keeps it racy, so the next build is the engine's, not the no-op's, and the
    engine reads it again (its entry is dated from before the stamps were taken)."""
    # Half a minute ahead: racy whenever the build runs, however slowly a busy machine
    # gets to it (a second ahead was trusted once the first build's scan came three
    # seconds after the files were written).
    root = _fresh(tmp_path, -30_000_000_000)
    guide = root / "content" / "guides" / "heat-pump-or-gas-boiler.md"
    text = guide.read_text(encoding="utf-8")
    assert "heat pump" in text
    same_size = text.replace("heat pump", "HEAT PUMP", 1)
    stamp = guide.stat().st_mtime_ns
    real = writer.write_tree

    def rewriting(*args: Any, **kwargs: Any) -> Any:
        guide.write_text(same_size, encoding="utf-8")
        os.utime(guide, ns=(stamp, stamp))
        return real(*args, **kwargs)

    monkeypatch.setattr(builder, "write_tree", rewriting)
    assert build_site(root, today=TODAY).ok
    monkeypatch.undo()
    assert _unchanged(root) is None
    assert build_site(root, today=TODAY).ok
    page = (root / "site" / "heat-pump-or-gas-boiler" / "index.html").read_text()
    assert "HEAT PUMP" in page


def test_a_racy_input_is_settled_only_when_its_bytes_and_stamp_held(tmp_path: Path) -> None:
    """`written_ns` moves to the record's own time only when every input changed just
    before the stamps were taken (and not just before the record) still holds the bytes
    and stamp it had then."""
    path = tmp_path / "guide.md"
    path.write_text("heat pump", encoding="utf-8")
    taken = time.time_ns()
    then = taken - 1_000_000_000
    os.utime(path, ns=(then, then))
    stamps = {str(path): noop._stamp(str(path))}
    fresh = {str(path): noop._content(str(path)) or ""}
    later = taken + 5_000_000_000
    assert noop._settled(taken, later, stamps, fresh) == later
    # Changed within RACY_NS of the record too: racy under the record's time as well.
    assert noop._settled(taken, taken + 1, {str(path): [9, then]}, {}) == taken + 1
    path.write_text("HEAT PUMP", encoding="utf-8")  # same size, same tick
    os.utime(path, ns=(then, then))
    assert noop._stamp(str(path)) == stamps[str(path)]
    assert noop._settled(taken, later, stamps, fresh) == taken
    assert noop._settled(taken, later, stamps, {}) == taken  # no bytes to compare
    # A folder just written (the libraries' install folder after `pip install`), a FIFO:
    # no bytes to hash, never an error (a fresh install's first build failed on this).
    assert noop._content(str(tmp_path)) is None
    os.mkfifo(tmp_path / "fifo")
    assert noop._content(str(tmp_path / "fifo")) is None
    (tmp_path / "link.md").symlink_to(path)  # a link is not read through (out of the root)
    assert noop._content(str(tmp_path / "link.md")) is None
    os.utime(tmp_path, ns=(taken, taken))
    folder = {str(tmp_path): noop._stamp(str(tmp_path))}
    assert noop._settled(taken, later, folder, {}) == taken


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
