"""Writing the site atomically: stage everything in a sibling folder, then swap.

The swap is atomic for readers on Linux: `renameat2(RENAME_EXCHANGE)` exchanges the
staging folder and `site/` in one step, so a web server reading `site/` sees the old
tree or the new one, never a missing `index.html`. Elsewhere (macOS, Windows, Linux
filesystems without the call) it falls back to two renames, with a moment between them
where `site/` does not exist; a failed build still never leaves a half-written `site/`.

Every folder written into is made fresh, under a name nobody can guess in advance
(`tempfile.mkdtemp`): a pull request can plant `.site.staging-<pid>` as a symlink out of
the root, but not the name this build will use.

The tree a build replaced is kept in `build/spare-site` and becomes the next build's
staging folder: most of its files are hard links of `site/`'s own (the same inode), and
only the rest are unlinked, written or linked again. At 20,000 guides that spares 20,000
folders and 80,000 links per edit. It comes from the repository too, so nothing in it is
trusted: only a regular file with the inode of the file `site/` holds under that name is
kept; links, FIFOs, other files and emptied folders are removed, never followed.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from citeguide.engine import tree
from citeguide.engine.scratch import alive, parse_pid


def write_tree(
    target: Path,
    files: dict[str, bytes],
    finalize: Callable[[Path], Callable[[], list[str] | None] | None] | None = None,
    carry: Iterable[str] = (),
    trash: Path | None = None,
    meanwhile: Callable[[Path], None] | None = None,
    known: tree.Stamps | None = None,
) -> tree.Stamps | None:
    """Replace `target` with exactly `files` plus the `carry` files of the current target;
    returns the stamps of the tree now in `target` (`tree.files`), or None when it holds
    something else than folders and regular files.

    Carried files are hard-linked (copied where links fail), so an incremental build
    writes only what changed. `finalize` runs on the complete staging folder before the
    swap (the search index); it may start work in the background and return the function
    that waits for it, which returns the files it added to the staging folder (None:
    unknown, the folder is walked again), and `meanwhile` runs while that work goes on,
    given the staging folder. On any failure `target` is left as it was. The replaced
    tree is kept in `trash` (the build folder) as the next build's staging folder
    (`SPARE`): there the files that are still the target's (the same inode) stay, and
    only the others are unlinked, written or linked again, instead of a fresh tree of
    thousands of folders and links.

    `known` is the stamps of the current target when the caller has just taken them; the
    new tree's are derived from them (a carried file is the same inode), and only the
    files written now are looked at.
    """
    remove_stale(target)
    carry = list(carry)
    if known is None:
        known = tree.files(os.fspath(target)) if carry and target.exists() else {}
    staging = _fresh(target, "staging")
    # A spare tree pays when most of the site is carried over (an edit); for a build that
    # writes most files again it would be unlinked file by file, so it is dropped.
    spare = trash / SPARE if trash is not None and len(carry) >= len(files) else None
    if trash is not None and spare is None and os.path.lexists(trash / SPARE):
        _discard(trash / SPARE, trash)
    kept: set[str] = set()
    retired: Path | None = None
    # Plain strings, one mkdir per folder: pathlib's objects for thousands of files and
    # a call per file add up to more than the writing.
    top, old = os.fspath(staging), os.fspath(target)
    made: set[str] = {top}

    def folder_for(rel: str) -> str:
        path = os.path.join(top, rel)
        parent = os.path.dirname(path)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        return path

    # The new tree's stamps: those of the files written now, and of the carried ones
    # (the same inodes as in `target`, so the same sizes and times).
    stamps: tree.Stamps = {}
    derived = True  # False: `target` held something else; the new tree is walked instead
    try:
        if spare is not None:
            kept = _reuse(spare, staging, old, set(carry), _inodes(known), trash)
        for rel, data in files.items():
            with open(folder_for(rel), "wb") as handle:
                handle.write(data)
            # After closing it: some filesystems (FUSE, 9p) set the time on close.
            stamps[rel] = tree.stamp(os.path.join(top, rel))
        for rel in carry:
            linked = rel in kept or _link(os.path.join(old, rel), folder_for(rel))
            if not linked:
                stamps[rel] = tree.stamp(os.path.join(top, rel))  # a copy: another inode
            elif known is not None and rel in known:
                stamps[rel] = known[rel]
            else:
                derived = False
        wait = finalize(staging) if finalize is not None else None
        added: list[str] | None = []
        try:
            if meanwhile is not None:
                meanwhile(staging)
        finally:
            if wait is not None:
                added = wait()  # before the staging folder is swapped in, or removed
        if derived and added is not None:
            stamps.update((rel, tree.stamp(os.path.join(top, rel))) for rel in added)
            found: tree.Stamps | None = stamps
        else:
            found = tree.files(top)
        if target.exists():
            retired = _fresh(target, "old")
            if exchange(staging, target):
                staging.rename(retired)  # the old tree, now under the staging name
            else:
                target.rename(retired)
                staging.rename(target)
        else:
            staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired is not None:
            if not target.exists():
                retired.rename(target)
            with contextlib.suppress(OSError):
                retired.rmdir()  # still the empty placeholder
        raise
    if retired is not None:
        _keep_spare(retired, trash, keep=spare is not None)
    return found


SPARE = "spare-site"
"""The last build's replaced tree, in the build folder: the next build's staging folder."""


def _reuse(
    spare: Path,
    staging: Path,
    target: str,
    carry: set[str],
    current: dict[str, int],
    trash: Path | None = None,
) -> set[str]:
    """Move the spare tree into the (empty) `staging` folder and keep of it only the
    files of `carry` that are still the target's own (hard links of one inode); every
    other entry (a file to write again, one no longer published, a link, a FIFO, an
    emptied folder) is removed, never followed. `current` is the inode of each file of
    `target` (`_inodes`). Returns the files kept. An unusable spare (missing, a
    symlink, on another filesystem) leaves `staging` empty."""
    try:
        if not stat.S_ISDIR(os.lstat(spare).st_mode):
            spare.unlink()
            return set()
        os.rename(spare, staging)  # replaces the empty folder; fails across filesystems
    except OSError:
        return set()
    kept: set[str] = set()
    holders = _holders(carry)
    away = _Away(trash)

    def sync(folder: str, prefix: str) -> bool:
        """Whether `folder` still holds anything, after removing what is not kept."""
        left = False
        with os.scandir(folder) as entries:
            found = list(entries)
        for entry in found:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if rel not in holders:
                    # Nothing under it is kept (the search index part indexed again: 150
                    # files at 2,000 guides): moved away whole, and deleted unwaited.
                    away.take(entry.path)
                elif sync(entry.path, rel + "/"):
                    left = True
                else:
                    os.rmdir(entry.path)
            elif (
                rel in carry
                and entry.is_file(follow_symlinks=False)
                and entry.inode() == current.get(rel)
            ):
                kept.add(rel)
                left = True
            else:
                os.unlink(entry.path)
        return left

    try:
        sync(os.fspath(staging), "")
    finally:
        away.close()
    return kept


def _holders(files: Iterable[str]) -> set[str]:
    """Every folder that holds one of `files` (relative paths), at any depth."""
    found: set[str] = set()
    for rel in files:
        folder = rel.rpartition("/")[0]
        while folder and folder not in found:
            found.add(folder)
            folder = folder.rpartition("/")[0]
    return found


def _inodes(stamps: tree.Stamps | None) -> dict[str, int]:
    """Relative path → inode of every file of `target`'s stamps; empty where they cannot
    tell files apart (an inode 0 or one shared by two names, as some FUSE filesystems
    report, or no stamps), so that nothing is kept by mistake."""
    found = {rel: stamp[2] for rel, stamp in (stamps or {}).items()}
    inodes = set(found.values())
    return found if len(inodes) == len(found) and 0 not in inodes else {}


def _keep_spare(retired: Path, trash: Path | None, *, keep: bool) -> None:
    """Keep the replaced tree in `trash` as the next build's staging folder (`_reuse`);
    unless `keep` (few of its files are the new tree's), or where it cannot be kept,
    delete it without waiting."""
    if trash is not None and keep:
        spare = trash / SPARE
        try:
            trash.mkdir(parents=True, exist_ok=True)
            if os.path.lexists(spare):
                # Not taken by this build (a site without carried files): away with it.
                _discard(spare, trash)
            os.rename(retired, spare)
            return
        except OSError:
            pass
    _discard(retired, trash)


def _fresh(target: Path, kind: str) -> Path:
    """A new empty folder beside `target` (`.site.staging-<pid>.<random>`): made by
    mkdir with an unguessable name, so a folder or symlink planted under a predictable
    name (`.site.staging-<pid>`, pointing out of the site root) is never written into."""
    made = Path(tempfile.mkdtemp(prefix=f".{target.name}.{kind}-{os.getpid()}.", dir=target.parent))
    made.chmod(0o755)  # mkdtemp makes 0700; site/ is published
    return made


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux `renameat2`); False where unsupported."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # old kernel or a filesystem without exchange: fall back
    raise OSError(error, os.strerror(error), str(b))


def remove_stale(target: Path) -> None:
    """Delete staging, retired and search-view (`search.start_parts`) folders left by
    builds whose process is gone (killed by
    a CI timeout, say); those of a live build are left alone. A symlink under such a name
    is removed itself, never followed."""
    for path in target.parent.glob(f".{target.name}.*-*"):
        kind, _, suffix = path.name.rpartition("-")
        pid = parse_pid(suffix.split(".")[0])  # `.site.search-²` is no pid: left alone
        if not kind.endswith((".staging", ".old", ".search")) or pid is None:
            continue
        if pid != os.getpid() and not alive(pid):
            if path.is_symlink():
                path.unlink(missing_ok=True)
            else:
                shutil.rmtree(path, ignore_errors=True)


def _link(source: str, destination: str) -> bool:
    """Hard-link `source` at `destination` (True), or copy it where that fails (False)."""
    # Never through a symlink: an output the last build wrote is a regular file.
    try:
        os.link(source, destination, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, destination, follow_symlinks=False)
        return False
    return True


def _discard(path: Path, trash: Path | None) -> None:
    """Remove a retired tree. Deleting thousands of files takes longer than an incremental
    build, and nothing waits for it: out of sight in `trash`, `rm` runs detached."""
    away = _Away(trash)
    try:
        away.take(os.fspath(path))
    finally:
        away.close()


class _Away:
    """Folders removed as `_discard` removes a tree: each moved into one fresh folder of
    `trash` as it is taken, then deleted by `rm`, detached, on `close`; in place, at
    once, where that cannot be done (another filesystem, no `rm`)."""

    def __init__(self, trash: Path | None) -> None:
        self.trash, self.rm = trash, shutil.which("rm")
        self.folder: str | None = None
        self.moved = 0

    def take(self, path: str) -> None:
        if self.folder is None and self.trash is not None and self.rm is not None:
            with contextlib.suppress(OSError):
                self.trash.mkdir(parents=True, exist_ok=True)
                # A fresh empty folder: no name in build/ can be planted in advance.
                self.folder = tempfile.mkdtemp(prefix=f"old-site-{os.getpid()}.", dir=self.trash)
        try:
            if self.folder is None:
                raise OSError
            os.rename(path, os.path.join(self.folder, str(self.moved)))
            self.moved += 1
        except OSError:
            shutil.rmtree(path, ignore_errors=True)

    def close(self) -> None:
        if self.folder is None:
            return
        folder, self.folder = self.folder, None
        if not self.moved:
            os.rmdir(folder)
            return
        subprocess.Popen(
            [self.rm or "rm", "-rf", "--", folder],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
