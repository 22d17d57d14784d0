"""Scratch folders in memory, for files that live for one step of one build.

pagefind reads a search index part's views from a folder of files, one folder and one
file a page, removed once the part is indexed (`search.start_parts`). Laid out on the
disk beside `site/`, the 125 views of one edit at 2,000 guides took 66-190 ms on the
development machine, where creating a file costs a fraction of a millisecond while the
build writes; on a tmpfs the same layout takes 3 ms. So they are laid out in a folder of
a memory-backed filesystem when the machine has one: `$XDG_RUNTIME_DIR` (the user's own
on systemd machines) or `/dev/shm`. Nothing else is kept there, and nothing there is
read back by a later build: pagefind's bundles are still written beside `site/`, since
they are moved into it.

`/dev/shm` is shared by every user of the machine, so a place is used only when it is a
real folder (never a link) that is this user's or sticky; a scratch folder is made by
`tempfile.mkdtemp` (mode 0700, a name nobody can plant) and locked (`flock`) for as long
as the build holds it. A build killed before it removed its folder leaves it behind: the
next build removes it (`remove_stale`), so memory is not left taken until the machine
restarts, but only a real folder of this user, named after a process that is gone, whose
lock it can take (a build in another pid namespace sharing `/dev/shm` holds its lock).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path

if sys.platform != "win32":  # Windows has no flock, and no /dev/shm either
    import fcntl

CANDIDATES: tuple[str, ...] = ("$XDG_RUNTIME_DIR", "/dev/shm")
"""Where a scratch folder is made, first usable first (`$NAME`: an environment variable)."""
PREFIX = "citeguide-scratch-"
ROOM = 4
"""Files go to a place only while it has `ROOM` times their bytes free: a tmpfs is the
machine's memory, which other programs share."""
_PID_MAX = 1 << 22
"""Linux's largest pid (`/proc/sys/kernel/pid_max` is at most 2^22)."""
_DIR_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC


class Scratch:
    """A scratch folder this build holds (locked) until `close`, which removes it."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path, self._fd = path, fd

    def close(self) -> None:
        if self._fd >= 0:
            shutil.rmtree(self.path, ignore_errors=True)
            os.close(self._fd)  # releases the lock
            self._fd = -1


def make() -> Scratch | None:
    """A new, empty scratch folder in memory, held by this process, or None when the
    machine has no usable place (not Linux, no `/dev/shm`, not writable, a link): the
    caller uses the disk then. First removes what killed builds left in every place."""
    places = _places()
    for place in places:
        remove_stale(place)
    for place in places:
        if not _usable(place):
            continue
        try:
            path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}.", dir=place))
        except OSError:
            continue
        held = _lock(path)
        if held is not None:
            return Scratch(path, held)
        shutil.rmtree(path, ignore_errors=True)
    return None


def _places() -> list[Path]:
    places = []
    for candidate in CANDIDATES:
        place = os.environ.get(candidate[1:], "") if candidate.startswith("$") else candidate
        if place and os.path.isabs(place):
            places.append(Path(place))
    return places


def _usable(place: Path) -> bool:
    """A real folder this user may write in, that is this user's own or sticky (where
    nobody else can rename or remove what this user makes)."""
    try:
        info = os.lstat(place)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or not os.access(place, os.W_OK | os.X_OK):
        return False
    return info.st_uid == os.getuid() or bool(info.st_mode & stat.S_ISVTX)


def _lock(path: Path) -> int | None:
    """An open descriptor of the real folder `path`, locked; None when it cannot be
    opened (a link, gone) or another process holds its lock."""
    if sys.platform == "win32":
        return None
    try:
        fd = os.open(path, _DIR_FLAGS)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def remove_stale(place: Path) -> None:
    """Delete the scratch folders in `place` left by this user's builds that are gone;
    a live build's (its process runs, or it holds the folder's lock), another user's
    and anything that is not a real folder are left alone (a link is never followed)."""
    names: list[str] = []
    with contextlib.suppress(OSError), os.scandir(place) as found:
        names = [entry.name for entry in found if entry.name.startswith(PREFIX)]
    for name in names:
        pid = parse_pid(name[len(PREFIX) :].split(".")[0])
        if pid is None or pid == os.getpid() or alive(pid):
            continue
        path = place / name
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            continue
        held = _lock(path)
        if held is not None:
            try:
                shutil.rmtree(path, ignore_errors=True)
            finally:
                os.close(held)


def parse_pid(text: str) -> int | None:
    """The process id `text` names (ASCII digits, within Linux's range), else None."""
    if not text.isascii() or not text.isdigit() or len(text) > 7:
        return None
    pid = int(text)
    return pid if 0 < pid <= _PID_MAX else None


def alive(pid: int) -> bool:
    """A process `pid` is running (perhaps another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # when in doubt, a build is not interrupted
    return True


def lay_out(
    files: list[tuple[str, bytes]], places: list[Path | None], name: str
) -> tuple[str, int]:
    """Write each (folder, bytes) of `files` as `<folder>/index.html` in a new folder
    `name` in the first of `places` where they fit and the writing works (a place that
    is None is skipped; each but the last needs `ROOM` times their bytes free). Returns
    that new folder and the position of its place in `places`. Raises the last place's
    OSError when none works."""
    usable = [k for k, place in enumerate(places) if place is not None]
    size = sum(len(data) for _, data in files)
    for k in usable:
        top = os.path.join(places[k] or "", name)
        last = k == usable[-1]
        if not last and not _room(top, size):
            continue
        try:
            os.mkdir(top)
        except OSError:
            if last:
                raise
            continue
        try:
            _make_listed(top, [folder for folder, _ in files])
            for folder, data in files:
                with open(os.path.join(top, folder, "index.html"), "wb") as handle:
                    handle.write(data)
        except OSError:
            shutil.rmtree(top, ignore_errors=True)  # made here, so only what it wrote
            if last:
                raise
            continue
        return top, k
    raise OSError(f"no folder to write {name} in")


def _make_listed(top: str, folders: list[str]) -> None:
    """Make `folders` in `top` so that `top` lists them in their order where the
    filesystem lists a folder by when its entries were made, backwards (tmpfs on this
    machine's Linux 6.18) or forwards. pagefind numbers pages in the order its walk finds
    them; ext4 lists a folder in an order of its own (a hash of the names, seeded per
    filesystem), which is left as it is."""
    for folder in folders:
        os.mkdir(os.path.join(top, folder))
    if len(folders) > 1 and os.listdir(top) == folders[::-1]:
        for folder in folders:
            os.rmdir(os.path.join(top, folder))
        for folder in reversed(folders):
            os.mkdir(os.path.join(top, folder))


def _room(top: str, size: int) -> bool:
    try:
        found = os.statvfs(os.path.dirname(top))
    except OSError:
        return False
    return found.f_bavail * found.f_frsize >= ROOM * size
