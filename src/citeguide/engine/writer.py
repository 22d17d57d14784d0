"""Writing the site atomically: stage everything in a sibling folder, then swap.

The swap is atomic for readers on Linux: `renameat2(RENAME_EXCHANGE)` exchanges the
staging folder and `site/` in one step, so a web server reading `site/` sees the old
tree or the new one, never a missing `index.html`. Elsewhere (macOS, Windows, Linux
filesystems without the call) it falls back to two renames, with a moment between them
where `site/` does not exist; a failed build still never leaves a half-written `site/`.

Every folder written into is made fresh, under a name nobody can guess in advance
(`tempfile.mkdtemp`): a pull request can plant `.site.staging-<pid>` as a symlink out of
the root, but not the name this build will use.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


def write_tree(
    target: Path,
    files: dict[str, bytes],
    finalize: Callable[[Path], Callable[[], None] | None] | None = None,
    carry: Iterable[str] = (),
    trash: Path | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> None:
    """Replace `target` with exactly `files` plus the `carry` files of the current target.

    Carried files are hard-linked (copied where links fail), so an incremental build
    writes only what changed. `finalize` runs on the complete staging folder before the
    swap (the search index); it may start work in the background and return the
    function that waits for it, and `meanwhile` runs while that work goes on. On any
    failure `target` is left as it was. The replaced tree is moved into `trash` (the
    build folder) and deleted there without waiting.
    """
    remove_stale(target)
    staging = _fresh(target, "staging")
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

    try:
        for rel, data in files.items():
            with open(folder_for(rel), "wb") as handle:
                handle.write(data)
        for rel in carry:
            _link(os.path.join(old, rel), folder_for(rel))
        wait = finalize(staging) if finalize is not None else None
        try:
            if meanwhile is not None:
                meanwhile()
        finally:
            if wait is not None:
                wait()  # before the staging folder is swapped in, or removed
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
    """Delete staging and retired folders left by builds whose process is gone (killed by
    a CI timeout, say); those of a live build are left alone. A symlink under such a name
    is removed itself, never followed."""
    for path in target.parent.glob(f".{target.name}.*-*"):
        kind, _, suffix = path.name.rpartition("-")
        pid = suffix.split(".")[0]
        if not kind.endswith((".staging", ".old")) or not pid.isdigit():
            continue
        if int(pid) != os.getpid() and not _alive(int(pid)):
            if path.is_symlink():
                path.unlink(missing_ok=True)
            else:
                shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _link(source: str, destination: str) -> None:
    # Never through a symlink: an output the last build wrote is a regular file.
    try:
        os.link(source, destination, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, destination, follow_symlinks=False)


def _discard(path: Path, trash: Path | None) -> None:
    """Remove a retired tree. Deleting thousands of files takes longer than an incremental
    build, and nothing waits for it: out of sight in `trash`, `rm` runs detached."""
    rm = shutil.which("rm")
    if trash is not None and rm is not None:
        try:
            trash.mkdir(parents=True, exist_ok=True)
            # Over a fresh empty folder: no name in build/ can be planted in advance.
            moved = Path(tempfile.mkdtemp(prefix=f"old-site-{os.getpid()}.", dir=trash))
            try:
                path.rename(moved)
            except OSError:
                moved.rmdir()
                raise
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
