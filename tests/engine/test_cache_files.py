"""Reading ahead (engine/cache_files.py): a child process reads the build cache's entries
and the stamps of site/ while the parent imports the engine; what it gives is exactly
what the parent would have read, every problem included, and nothing is lost when it
gives nothing."""

from __future__ import annotations

import os
import shutil
import struct
import threading
from datetime import date
from pathlib import Path

import pytest

from citeguide.cli import main
from citeguide.engine import cache, cache_files, tree
from citeguide.engine.builder import build_site
from citeguide.engine.inputs import inputs_keys
from citeguide.engine.noop import RECORD_FILE
from conftest import REPO, TODAY, cold_tree, guide_text, tree_digest, write_site


@pytest.fixture(autouse=True)
def _one_thread(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test suite's process keeps threads of earlier tests (an HTTP server's idle
    handlers, Playwright's): here the child is forked beside them, as `citeguide build`,
    a process of one thread, forks it. They hold no lock the child takes (it imports,
    logs and allocates nothing of theirs). The check itself is tested with a thread of
    its own (`test_no_child_is_forked_beside_another_thread`)."""
    if request.node.name != "test_no_child_is_forked_beside_another_thread":
        monkeypatch.setattr(cache_files, "_single_threaded", lambda: True)


def _built(tmp_path: Path, search: bool = False, today: date | None = TODAY) -> Path:
    root = tmp_path / "root"
    shutil.copytree(REPO / "content", root / "content")
    if not search:
        (root / "citeguide.toml").write_text("search = false\n", encoding="utf-8")
    assert build_site(root, today=today).ok
    return root


def _entries(root: Path) -> list[Path]:
    return sorted((root / cache.ENTRY_DIR).glob("*.json"))


def test_what_is_read_ahead_is_what_the_parent_reads(tmp_path: Path) -> None:
    root = _built(tmp_path, search=True)
    ahead = cache_files.ReadAhead(root, root / "site")
    assert ahead.pid, "no child on Linux with one thread"
    read = ahead.take()
    assert read is not None
    folder = cache_files.entry_folder(root)
    assert read.entries
    for (name, size), lines in read.entries.items():
        body = cache_files.read_entry(folder, name, size)
        assert isinstance(body, bytes)
        assert not isinstance(lines, str)
        assert [bytes(line) for line in lines] == body.split(b"\n")
        assert b"\n".join(lines) == body
    assert sorted(name for name, _ in read.entries) == [p.stem for p in _entries(root)]
    assert read.site == tree.files(str(root / "site"))
    assert ahead.take() is None  # taken once


def test_every_problem_read_ahead_is_the_one_read_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forged entry, one grown, one swapped for a link and one missing give the same
    note whether the child or the parent read them."""
    root = write_site(tmp_path / "r", {f"content/guides/g{i}.md": guide_text(f"Guide {i}")
                                       for i in range(6)})  # fmt: skip
    (root / "citeguide.toml").write_text("search = false\n", encoding="utf-8")
    assert build_site(root, today=TODAY).ok
    forged, grown, linked, missing = _entries(root)[:4]
    forged.write_bytes(forged.read_bytes().replace(b'"path"', b'"PATH"'))
    grown.write_bytes(grown.read_bytes() + b" ")
    linked.unlink()
    linked.symlink_to(forged)
    missing.unlink()
    key = inputs_keys(root, today=TODAY)[1]  # the entries key
    alone = cache.load(root, key)
    reader = cache_files.ReadAhead(root, root / "site")

    def refuse(*_: object) -> str:
        raise AssertionError("the parent read an entry the child was to read")

    monkeypatch.setattr(cache, "read_entry", refuse)
    ahead = cache.load(root, key, ahead=reader.take)
    assert (
        alone.notes
        == ahead.notes
        == [
            "build/citeguide-cache/guides: note: 4 of 6 build cache entries were discarded "
            "(changed: 1, foreign: 1, missing: 1, unsafe: 1); those guides are processed again"
        ]
    )
    assert sorted(ahead.entries) == sorted(alone.entries)


def test_a_child_that_fails_or_is_stopped_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _built(tmp_path)

    def failing(*_: object) -> None:
        raise OSError("the disk went away")

    monkeypatch.setattr(cache_files, "_child", failing)
    ahead = cache_files.ReadAhead(root, root / "site")
    assert ahead.pid
    child = ahead.pid
    assert ahead.take() is None
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # reaped: no child left behind
    stopped = cache_files.ReadAhead(root, root / "site")
    child = stopped.pid
    stopped.close()
    assert stopped.take() is None
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)
    # A build handed a child that read nothing reads for itself, with the same result.
    (root / "content/guides/gpu-vs-api.md").write_text(guide_text("Edited"), encoding="utf-8")
    result = build_site(root, today=TODAY, ahead=cache_files.ReadAhead(root, root / "site"))
    assert result.ok
    assert not result.notes


def test_a_cache_of_other_inputs_stops_the_child_unread(tmp_path: Path) -> None:
    """The first build of a day (the date is in the inputs key), or after a template
    edit: every guide is stale, and what the child reads is of no use; it is not
    waited for."""
    root = _built(tmp_path)
    reader = cache_files.ReadAhead(root, root / "site")
    child = reader.pid
    assert child
    taken: list[object] = []
    loaded = cache.load(root, "another key", ahead=lambda: taken.append(1) or reader.take())
    assert not loaded.entries
    assert taken == []
    assert build_site(root, today=TODAY.replace(year=TODAY.year + 1), ahead=reader).ok
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # stopped and reaped


def test_cut_short_or_foreign_output_is_not_taken() -> None:
    def output(lines: tuple[int, int] = (1, 3)) -> bytes:
        return (
            cache_files._MAGIC
            + cache_files._HEAD.pack(b"a" * 64, 5, 0, 5, *lines)
            + b"a\nb\nc"
            + cache_files._HEAD.pack(b"\0" * 64, 0, 2, 0, 0, 0)
            + b"x/y\0001\0002\0003\n"
        )

    whole = output()
    read = cache_files._parse(memoryview(whole))
    ((key, lines),) = read.entries.items()
    assert key == ("a" * 64, 5)
    assert [bytes(line) for line in lines] == [b"a", b"b", b"c"]
    assert read.site == {"x/y": (1, 2, 3)}
    cut = (whole[:-1], whole[:40], b"other" + whole[5:], whole[:-3] + b"\n")
    for bad in (*cut, output((3, 1)), output((1, 5)), output((1, 1))):
        with pytest.raises((ValueError, struct.error)):
            cache_files._parse(memoryview(bad))


def test_no_child_is_forked_beside_another_thread(tmp_path: Path) -> None:
    root = _built(tmp_path)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        ahead = cache_files.ReadAhead(root, root / "site")
        assert not ahead.pid
        assert ahead.take() is None
    finally:
        stop.set()
        other.join()


def test_an_edit_built_from_the_command_line_reads_every_entry_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`citeguide build` after an edit: the parent reads no entry itself and walks
    `site/` no more (the child did both), and the site is the one a cold build makes."""
    root = _built(tmp_path, search=True, today=None)  # the command line builds for today
    (root / RECORD_FILE).unlink(missing_ok=True)
    with (root / "content/guides/heat-pump-or-gas-boiler.md").open("a") as guide:
        guide.write("\nAn edited paragraph.\n")
    parent = os.getpid()
    reads: list[str] = []
    walks: list[str] = []
    real_read, real_files = cache_files.read_entry, tree.files

    def counted_read(folder: str, name: str, size: int) -> bytes | str:
        if os.getpid() == parent:
            reads.append(name)
        return real_read(folder, name, size)

    def counted_files(top: str) -> tree.Stamps | None:
        if os.getpid() == parent and top.endswith("site"):
            walks.append(top)
        return real_files(top)

    monkeypatch.setattr(cache_files, "read_entry", counted_read)
    monkeypatch.setattr(cache, "read_entry", counted_read)
    monkeypatch.setattr(tree, "files", counted_files)
    assert main(["build", "--root", str(root)]) == 0
    assert "built 4 guides" in capsys.readouterr().out
    assert reads == []
    assert walks == []
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)
