"""Writing the site atomically: stage everything in a sibling folder, then swap."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path


def write_tree(
    target: Path,
    files: dict[str, bytes],
    finalize: Callable[[Path], None] | None = None,
    carry: Iterable[str] = (),
) -> None:
    """Replace `target` with exactly `files` plus the `carry` files of the current target.

    Carried files are hard-linked (copied where links fail), so an incremental build
    writes only what changed. `finalize` runs on the complete staging folder before the
    swap (the search index). On any failure `target` is left as it was.
    """
    staging = target.with_name(f".{target.name}.staging-{os.getpid()}")
    retired = target.with_name(f".{target.name}.old-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for rel, data in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for rel in carry:
            _link(target / rel, staging / rel)
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
    shutil.rmtree(retired, ignore_errors=True)


def _link(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)
