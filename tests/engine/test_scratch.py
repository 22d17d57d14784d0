"""Scratch folders in memory (`scratch.py`): where pagefind reads a part's search views.

The views go to a memory-backed folder when the machine has one, to the disk beside
`site/` when it has none or it is full, and a killed build's folder is removed by the
next; the site is the same bytes wherever the views were laid out.
"""

from __future__ import annotations

import builtins
import errno
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from citeguide.engine import scratch, search
from citeguide.engine.builder import build_site
from conftest import TODAY, pagefind_runs, parted_site, tree_digest


def _dead_pid() -> int:
    """The pid of a process that has exited (not reused this soon)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(done.stdout)


def test_a_scratch_folder_is_made_in_the_first_usable_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing, a_file, a_link, usable = (tmp_path / n for n in ("missing", "file", "link", "ok"))
    a_file.write_text("not a folder")
    usable.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    a_link.symlink_to(elsewhere)  # a link is never used, even to a folder
    monkeypatch.setenv("CITEGUIDE_TEST_MEMORY", str(usable))
    monkeypatch.setattr(scratch, "CANDIDATES", (
        str(missing), str(a_file), str(a_link), "relative/path", "$CITEGUIDE_TEST_UNSET",
        "$CITEGUIDE_TEST_MEMORY",
    ))  # fmt: skip
    made = scratch.make()
    assert made is not None
    assert made.parent == usable
    assert made.name.startswith(f"{scratch.PREFIX}{os.getpid()}.")
    assert stat.S_IMODE(made.stat().st_mode) == 0o700  # only this user reads the views
    assert list(elsewhere.iterdir()) == []
    monkeypatch.setattr(scratch, "CANDIDATES", (str(missing), str(a_file), str(a_link)))
    assert scratch.make() is None


def test_only_this_users_folders_of_dead_builds_are_removed(tmp_path: Path) -> None:
    dead = _dead_pid()
    stale = tmp_path / f"{scratch.PREFIX}{dead}.abc"
    (stale / "views-0" / "guide").mkdir(parents=True)
    (stale / "views-0" / "guide" / "index.html").write_text("<p>view</p>")
    live = tmp_path / f"{scratch.PREFIX}{os.getppid()}.abc"
    live.mkdir()
    own = tmp_path / f"{scratch.PREFIX}{os.getpid()}.abc"
    own.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the build's")
    planted = tmp_path / f"{scratch.PREFIX}{dead}.link"
    planted.symlink_to(outside)
    a_file = tmp_path / f"{scratch.PREFIX}{dead}.file"
    a_file.write_text("a file, not a folder")
    odd = tmp_path / f"{scratch.PREFIX}x{dead}.abc"
    odd.mkdir()
    other = tmp_path / f"other-{dead}.abc"
    other.mkdir()
    scratch.remove_stale(tmp_path)
    assert not stale.exists()
    assert all(p.is_dir() for p in (live, own, odd, other))
    assert (outside / "keep.txt").read_text() == "not the build's"  # never followed
    assert planted.is_symlink()
    assert a_file.is_file()


def test_views_go_to_the_disk_when_the_memory_folder_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory, disk = tmp_path / "memory", tmp_path / "disk"
    memory.mkdir()
    disk.mkdir()
    made = [(f"guide-{k}", f"<p>view {k}</p>".encode()) for k in range(5)]
    _fill_after(monkeypatch, memory, 3)
    top = search._lay_out(made, [memory, disk], "views-1")
    assert Path(top) == disk / "views-1"
    assert {p.parent.name: p.read_bytes() for p in Path(top).glob("*/index.html")} == dict(made)
    assert list(memory.iterdir()) == []  # what was written there before it filled is gone
    # Neither place usable: the disk's error is the build's.
    monkeypatch.undo()
    with pytest.raises(FileExistsError):
        search._lay_out(made, [None, disk], "views-1")
    assert (disk / "views-1" / "guide-0" / "index.html").exists()  # not ours: left alone


def _fill_after(monkeypatch: pytest.MonkeyPatch, place: Path, files: int) -> None:
    """Writing a file under `place` fails as a full tmpfs does, after `files` files."""
    real, count = builtins.open, [0]

    def full(path: Any, *args: Any, **kwargs: Any) -> Any:
        if str(path).startswith(str(place)):
            count[0] += 1
            if count[0] > files:
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(search, "open", full, raising=False)


def _order_free(site: Path) -> dict[str, str]:
    """`tree_digest` of a site without what pagefind writes in the order it found the
    pages: it indexes them in the order their folder lists them (`readdir`), which is
    the order they were made in on a tmpfs and a hash order on the disk (ext4). The
    fragments (one a page, named by its content) and every other file are kept."""
    ordered = ("/index/", "pagefind-entry.json", ".pf_meta", "/filter/")
    return {
        rel: d for rel, d in tree_digest(site).items() if not any(o in f"/{rel}" for o in ordered)
    }


@pytest.mark.parametrize("memory", ["none", "usable", "full"])
def test_the_pages_are_indexed_alike_wherever_the_views_were_laid_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory: str
) -> None:
    """In memory, on the disk for want of it, or on the disk because it is full (each
    part's folder made there, then its first view refused): the same pages indexed, the
    same bytes from one build to the next, and nothing left in either place."""
    place = tmp_path / "memory"
    place.mkdir()
    stale = place / f"{scratch.PREFIX}{_dead_pid()}.abc"  # a killed build's views
    (stale / "views-0" / "guide").mkdir(parents=True)
    monkeypatch.setattr(scratch, "CANDIDATES", () if memory == "none" else (str(place),))
    if memory == "full":
        _fill_after(monkeypatch, place, 0)
    runs = pagefind_runs(monkeypatch)
    root = parted_site(tmp_path / "built", monkeypatch)
    assert build_site(root, today=TODAY).ok
    assert len(runs) > 1
    views = {Path(run[run.index("--site") + 1]).parent.parent for run in runs}
    assert views == ({place} if memory == "usable" else {root})
    assert list(place.iterdir()) == ([stale] if memory == "none" else [])
    assert not list(root.glob(".site.*"))
    again = parted_site(tmp_path / "again", monkeypatch)
    assert build_site(again, today=TODAY).ok
    assert tree_digest(root / "site") == tree_digest(again / "site")
    monkeypatch.setattr(scratch, "CANDIDATES", ())
    monkeypatch.setattr(search, "open", builtins.open, raising=False)
    disk = parted_site(tmp_path / "disk", monkeypatch)
    assert build_site(disk, today=TODAY).ok
    assert _order_free(root / "site") == _order_free(disk / "site")
