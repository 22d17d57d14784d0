"""Writing the site atomically: stage everything in a sibling folder, then swap.

The swap is atomic for readers on Linux: `renameat2(RENAME_EXCHANGE)` exchanges the
staging folder and `site/` in one step, so a web server reading `site/` sees the old
tree or the new one, never a missing `index.html`. Elsewhere (macOS, Windows, Linux
filesystems without the call) it falls back to two renames, with a moment between them
where `site/` does not exist; a failed build still never leaves a half-written `site/`.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path


def write_tree(
    target: Path,
    files: dict[str, bytes],
    finalize: Callable[[Path], None] | None = None,
    carry: Iterable[str] = (),
    trash: Path | None = None,
) -> None:
    """Replace `target` with exactly `files` plus the `carry` files of the current target.

    Carried files are hard-linked (copied where links fail), so an incremental build
    writes only what changed. `finalize` runs on the complete staging folder before the
    swap (the search index). On any failure `target` is left as it was. The replaced
    tree is moved into `trash` (the build folder) and deleted there without waiting.
    """
    staging = target.with_name(f".{target.name}.staging-{os.getpid()}")
    # Unique per write: the tree retired by the previous write may still be being deleted.
    retired = target.with_name(f".{target.name}.old-{os.getpid()}.{time.monotonic_ns()}")
    remove_stale(target)
    shutil.rmtree(staging, ignore_errors=True)
    made: set[Path] = set()

    def folder_for(path: Path) -> Path:
        # One mkdir per folder, not one per file: thousands of calls add up.
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        return path

    try:
        for rel, data in files.items():
            folder_for(staging / rel).write_bytes(data)
        for rel in carry:
            _link(target / rel, folder_for(staging / rel))
        if finalize is not None:
            finalize(staging)
        if target.exists() and exchange(staging, target):
            staging.rename(retired)  # the old tree, now under the staging name
        else:
            if target.exists():
                target.rename(retired)
            staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not target.exists():
            retired.rename(target)
        raise
    _discard(retired, trash)


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
    """Delete staging and retired folders left by builds whose process is gone (killed by
    a CI timeout, say); those of a live build are left alone."""
    for path in target.parent.glob(f".{target.name}.*-*"):
        kind, _, suffix = path.name.rpartition("-")
        pid = suffix.split(".")[0]
        if not kind.endswith((".staging", ".old")) or not pid.isdigit():
            continue
        if int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _link(source: Path, destination: Path) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _discard(path: Path, trash: Path | None) -> None:
    """Remove a retired tree. Deleting thousands of files takes longer than an incremental
    build, and nothing waits for it: out of sight in `trash`, `rm` runs detached."""
    rm = shutil.which("rm")
    if trash is not None and rm is not None:
        try:
            trash.mkdir(parents=True, exist_ok=True)
            moved = trash / f"old-site-{os.getpid()}-{path.stat().st_ino}"
            path.rename(moved)
            path = moved
        except OSError:
            rm = None  # another filesystem: delete in place, now
    if rm is None:
        shutil.rmtree(path, ignore_errors=True)
        return
    subprocess.Popen(
        [rm, "-rf", "--", str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
