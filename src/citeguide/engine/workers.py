"""Processing guides across worker processes (or in this one, for a few)."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

from citeguide.engine import pipeline
from citeguide.engine.pipeline import Context
from citeguide.records import GuideResult


def process_all(
    context: Context, items: list[tuple[str, str]], jobs: int, start_method: str | None
) -> list[GuideResult]:
    """`pipeline.process_guide` of each (path, text), in order; across `jobs` processes
    when there are at least four guides per process. `start_method` None: `fork` where
    there is one."""
    if jobs > 1 and len(items) >= 4 * jobs:
        methods = multiprocessing.get_all_start_methods()
        method = start_method or ("fork" if "fork" in methods else None)
        with ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context(method),
            initializer=_init_worker,
            # A forkserver's workers are its children, not ours: no parent check.
            initargs=(context, 0 if method == "forkserver" else os.getpid()),
        ) as pool:
            return list(pool.map(pipeline.process_guide, items, chunksize=8))
    pipeline.init_worker(context)
    return [pipeline.process_guide(item) for item in items]


def _init_worker(context: Context, parent: int) -> None:
    """A worker dies with the build that started it (kill -9, a CI timeout's SIGTERM)."""
    die_with_parent(parent)
    pipeline.init_worker(context)


def die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent exits (prctl PR_SET_PDEATHSIG);
    exit at once if the parent (`parent`, unless 0) is already gone."""
    if sys.platform == "linux":
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if parent and os.getppid() != parent:
        os._exit(1)
