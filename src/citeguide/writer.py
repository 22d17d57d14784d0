"""Writing the site atomically: stage everything in a sibling folder, then swap."""

from __future__ import annotations

import os
import shutil
import subprocess
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
    retired = target.with_name(f".{target.name}.old-{os.getpid()}")
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
        if target.exists():
            target.rename(retired)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not target.exists():
            retired.rename(target)
        raise
    _discard(retired, trash)


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
