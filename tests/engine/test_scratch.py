"""Scratch folders in memory (`scratch.py`): where pagefind reads a part's search views.

The views go to a memory-backed folder when the machine has one, to the disk beside
`site/` when it has none or it is full, listed in slug order either way (pagefind
numbers pages in the order it finds them), and a killed build's folder is removed by
the next; the site is the same bytes wherever the views were laid out.
"""

from __future__ import annotations

import builtins
import errno
import fcntl
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from citeguide.engine import scratch, search, writer
from citeguide.engine.builder import build_site
from conftest import TODAY, pagefind_runs, parted_site, tree_digest

NOBODY = 65534


def _dead_pid() -> int:
    """The pid of a process that has exited (not reused this soon)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(done.stdout)


def _chown_or_skip(path: Path, uid: int) -> None:
    try:
        os.chown(path, uid, -1, follow_symlinks=False)
    except PermissionError:
        pytest.skip("giving a folder to another user needs root (CI runs as root)")


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
    assert made.path.parent == usable
    assert made.path.name.startswith(f"{scratch.PREFIX}{os.getpid()}.")
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o700  # only this user reads the views
    assert scratch._lock(made.path) is None  # held: another build cannot take it
    made.close()
    assert not made.path.exists()
    assert list(elsewhere.iterdir()) == []
    monkeypatch.setattr(scratch, "CANDIDATES", (str(missing), str(a_file), str(a_link)))
    assert scratch.make() is None


def test_a_shared_place_is_used_only_when_it_is_sticky(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another user's folder without the sticky bit (where they could rename what this
    user makes, and put a link in its place) is not used; /dev/shm is sticky."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    _chown_or_skip(shared, NOBODY)
    monkeypatch.setattr(scratch, "CANDIDATES", (str(shared),))
    assert scratch.make() is None
    shared.chmod(0o1777)
    made = scratch.make()
    assert made is not None
    made.close()
    monkeypatch.setattr(scratch.os, "access", lambda *_: False)  # not writable
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
    # Names that are no pid: other digits, too many, out of range, none (left alone).
    odd = [tmp_path / f"{scratch.PREFIX}{pid}.abc"
           for pid in ("x1", "²", "2147483648", "99999999999", "0", "-1", "")]  # fmt: skip
    for folder in odd:
        folder.mkdir()
    other = tmp_path / f"other-{dead}.abc"
    other.mkdir()
    # A dead pid here, but its folder locked: a build in another pid namespace.
    locked = tmp_path / f"{scratch.PREFIX}{dead}.locked"
    locked.mkdir()
    held = os.open(locked, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        scratch.remove_stale(tmp_path)
    finally:
        os.close(held)
    assert not stale.exists()
    assert all(p.is_dir() for p in (live, own, other, locked, *odd))
    assert (outside / "keep.txt").read_text() == "not the build's"  # never followed
    assert planted.is_symlink()
    assert a_file.is_file()
    scratch.remove_stale(tmp_path / "missing")  # a place that cannot be listed: nothing


def test_another_users_folder_is_left_alone(tmp_path: Path) -> None:
    theirs = tmp_path / f"{scratch.PREFIX}{_dead_pid()}.abc"
    theirs.mkdir()
    _chown_or_skip(theirs, NOBODY)
    scratch.remove_stale(tmp_path)
    assert theirs.is_dir()


def test_names_that_are_no_pid_are_left_beside_the_site(tmp_path: Path) -> None:
    """`writer.remove_stale` reads pids from names a repository can hold: a digit of
    another script or a number no pid reaches is left alone, not a crash."""
    site = tmp_path / "site"
    site.mkdir()
    odd = [tmp_path / f".site.search-{pid}.abc" for pid in ("²", "2147483648", "0")]
    for folder in odd:
        folder.mkdir()
    dead = tmp_path / f".site.search-{_dead_pid()}.abc"
    dead.mkdir()
    writer.remove_stale(site)
    assert all(p.is_dir() for p in odd)
    assert not dead.exists()


def test_files_go_to_the_next_place_when_one_is_full_or_unusable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory, disk, a_file = tmp_path / "memory", tmp_path / "disk", tmp_path / "file"
    memory.mkdir()
    disk.mkdir()
    a_file.write_text("not a folder")
    made = [(f"guide-{k}", f"<p>view {k}</p>".encode()) for k in range(5)]

    def laid(top: str) -> dict[str, bytes]:
        return {p.parent.name: p.read_bytes() for p in Path(top).glob("*/index.html")}

    # A place whose folder cannot be made is passed over.
    top, place = scratch.lay_out(made, [a_file, None, disk], "views-0")
    assert (Path(top), place) == (disk / "views-0", 2)
    assert laid(top) == dict(made)
    # A place without room for them (ROOM times their bytes free) is passed over.
    monkeypatch.setattr(scratch, "ROOM", 1 << 62)
    top, place = scratch.lay_out(made, [memory, disk], "views-1")
    assert (Path(top), place) == (disk / "views-1", 1)
    monkeypatch.setattr(scratch, "ROOM", 4)
    # A place that fills up part way: what was written there is removed.
    _fill_after(monkeypatch, memory, 3)
    top, place = scratch.lay_out(made, [memory, disk], "views-2")
    assert (Path(top), place) == (disk / "views-2", 1)
    assert laid(top) == dict(made)
    assert list(memory.iterdir()) == []
    # No place works: the last one's error is the caller's, and what is there stays.
    monkeypatch.undo()
    with pytest.raises(FileExistsError):
        scratch.lay_out(made, [None, disk], "views-2")
    assert laid(str(disk / "views-2")) == dict(made)


def _fill_after(monkeypatch: pytest.MonkeyPatch, place: Path, files: int) -> None:
    """Writing a file under `place` fails as a full tmpfs does, after `files` files."""
    real, count = builtins.open, [0]

    def full(path: Any, *args: Any, **kwargs: Any) -> Any:
        if str(path).startswith(str(place)):
            count[0] += 1
            if count[0] > files:
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(scratch, "open", full, raising=False)


def test_views_are_listed_in_slug_order_in_memory_and_pagefind_numbers_pages_so(
    tmp_path: Path,
) -> None:
    """pagefind numbers pages in the order its walk of the folder finds them: the same
    views listed in another order make other index files (the fragments are the same).
    In memory (this run's place in /dev/shm, a tmpfs, which lists a folder newest first
    here) they are laid out to be listed in slug order; ext4 lists a folder in a hash
    order of its own."""
    memory = Path(scratch.CANDIDATES[0])  # conftest: in /dev/shm when there is one
    if not str(memory).startswith("/dev/shm/"):
        pytest.skip("no /dev/shm on this machine")
    slugs = [f"guide-{k:02d}" for k in range(12)]
    views = [(slug, _view(slug)) for slug in slugs]
    top, _ = scratch.lay_out(views, [memory], f"views-{os.getpid()}")
    assert os.listdir(top) == slugs
    in_memory = _index(top, tmp_path / "bundle-memory")
    disk, _ = scratch.lay_out(views, [tmp_path], "views")
    on_disk = _index(disk, tmp_path / "bundle-disk")
    assert (in_memory == on_disk) == (os.listdir(disk) == slugs)
    backwards = tmp_path / "backwards"
    backwards.mkdir()
    for slug, view in views:
        (backwards / slug).mkdir()
        (backwards / slug / "index.html").write_bytes(view)
    order = os.listdir(backwards)
    assert sorted(order) == slugs
    if order != slugs:  # ext4: in hash order
        other = _index(str(backwards), tmp_path / "bundle-backwards")
        assert other != in_memory
        fragments = {rel: d for rel, d in in_memory.items() if rel.startswith("fragment/")}
        assert len(fragments) == len(slugs)
        assert fragments == {rel: d for rel, d in other.items() if rel.startswith("fragment/")}


def _view(slug: str) -> bytes:
    return (f'<!doctype html><html lang="en"><head><title>{slug}</title></head><body>'
            f'<main data-pagefind-body><h1>{slug}</h1><p>Heat pumps and boilers for '
            f'{slug}.</p></main></body></html>').encode()  # fmt: skip


def _index(top: str, out: Path) -> dict[str, str]:
    try:
        search._run(["--site", top, "--output-path", str(out)])
    finally:
        if top.startswith(scratch.CANDIDATES[0]):
            shutil.rmtree(top)
    return tree_digest(out)


def _order_free(site: Path) -> dict[str, str]:
    """`tree_digest` of a site without the files of its search bundles that follow the
    order pagefind found the pages in (the fragments, one a page named by its content,
    are kept, and so is every file outside `pagefind/`)."""
    ordered = ("/index/", "/filter/", "pagefind-entry.json", ".pf_meta")
    return {
        rel: digest
        for rel, digest in tree_digest(site).items()
        if not (rel.startswith("pagefind/") and any(o in f"/{rel}" for o in ordered))
    }


@pytest.mark.parametrize("memory", ["none", "usable", "full"])
def test_the_site_is_the_same_wherever_the_views_were_laid_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory: str
) -> None:
    """In memory, on the disk for want of it, or on the disk because it is full (each
    part's folder made there, then its first view refused, with a note): every page and
    fragment is the same, a build on the disk is the same byte for byte as another, and
    nothing is left in either place. (The index files differ between memory and the
    disk where the disk lists a folder in another order: the test above.)"""
    place = tmp_path / "memory"
    place.mkdir()
    stale = place / f"{scratch.PREFIX}{_dead_pid()}.abc"  # a killed build's views
    (stale / "views-0" / "guide").mkdir(parents=True)
    monkeypatch.setattr(scratch, "CANDIDATES", () if memory == "none" else (str(place),))
    if memory == "full":
        _fill_after(monkeypatch, place, 0)
    runs = pagefind_runs(monkeypatch)
    root = parted_site(tmp_path / "built", monkeypatch)
    result = build_site(root, today=TODAY)
    assert result.ok
    assert len(runs) > 1
    views = {Path(run[run.index("--site") + 1]).parent.parent for run in runs}
    assert views == ({place} if memory == "usable" else {root})
    notes = [n for n in result.notes if "could not be laid out in memory" in n]
    assert len(notes) == (len(runs) if memory == "full" else 0)
    assert list(place.iterdir()) == ([stale] if memory == "none" else [])
    assert not list(root.glob(".site.*"))
    monkeypatch.setattr(scratch, "CANDIDATES", ())
    monkeypatch.setattr(scratch, "open", builtins.open, raising=False)
    disk = parted_site(tmp_path / "disk", monkeypatch)
    assert build_site(disk, today=TODAY).ok
    assert _order_free(root / "site") == _order_free(disk / "site")
    if memory != "usable":
        assert tree_digest(root / "site") == tree_digest(disk / "site")
