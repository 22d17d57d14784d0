"""Scratch folders in memory, for files that live for one step of one build.

pagefind reads a search index part's views from a folder of files, one folder and one
file a page, removed once the part is indexed (`search.start_parts`). Laid out on the
disk beside `site/`, the 125 views of one edit at 2,000 guides took 150-190 ms on the
development machine, where creating a file costs a fraction of a millisecond while the
build writes; on a tmpfs the same layout takes 3 ms. So they are laid out in a folder of
a memory-backed filesystem when the machine has one: `$XDG_RUNTIME_DIR` (the user's own
on systemd machines) or `/dev/shm`. Nothing else is kept there, and nothing there is
read back by a later build: pagefind's bundles are still written beside `site/`, since
they are moved into it.

A scratch folder is made by `tempfile.mkdtemp` (mode 0700, a name nobody could plant,
even in the shared `/dev/shm`) and named after the build's process, so that a build
killed before it removed its folder is cleaned up by the next (`remove_stale`): memory
is not left taken until the machine restarts.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

CANDIDATES: tuple[str, ...] = ("$XDG_RUNTIME_DIR", "/dev/shm")
"""Where a scratch folder is made, first usable first (`$NAME`: an environment variable)."""
PREFIX = "citeguide-scratch-"


def make() -> Path | None:
    """A new, empty scratch folder in memory, or None when the machine has no usable
    place (not Linux, no `/dev/shm`, not writable): the caller uses the disk then."""
    for place in _places():
        try:
            info = os.lstat(place)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or not os.access(place, os.W_OK | os.X_OK):
            continue
        remove_stale(Path(place))
        with contextlib.suppress(OSError):
            return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}.", dir=place))
    return None


def _places() -> list[str]:
    places = []
    for candidate in CANDIDATES:
        place = os.environ.get(candidate[1:], "") if candidate.startswith("$") else candidate
        if place and os.path.isabs(place):
            places.append(place)
    return places


def remove_stale(place: Path) -> None:
    """Delete the scratch folders in `place` left by this user's builds whose process is
    gone; a live build's, another user's and anything that is not a real folder are left
    alone (a link is never followed)."""
    with contextlib.suppress(OSError), os.scandir(place) as found:
        names = [entry.name for entry in found if entry.name.startswith(PREFIX)]
    for name in names:
        pid = name[len(PREFIX) :].split(".")[0]
        if not pid.isdigit() or int(pid) == os.getpid() or alive(int(pid)):
            continue
        path = place / name
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid():
            shutil.rmtree(path, ignore_errors=True)


def alive(pid: int) -> bool:
    """A process `pid` is running (perhaps another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
