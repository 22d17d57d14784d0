"""Runs the real command line (`citeguide.cli.main`) on many site roots in one process.

Reads a JSON list of jobs from stdin, `{"root": ..., "commands": [[arg, ...], ...]}`, and
prints one JSON list of results: for each command its exit code, what it wrote to stderr,
whether `site/` exists after it, and the seconds it took. Anything escaping `main` is
written into that stderr as the traceback Python would have printed, so a test sees it;
a command still running after `--limit` seconds is stopped and reported as `hang`.
One process for all cases saves the interpreter's start-up per command; the tests that
use it (tests/hostile/test_hostile_models.py) still run each command as a user would.
"""

from __future__ import annotations

import contextlib
import io
import json
import signal
import sys
import time
import traceback
from pathlib import Path
from types import FrameType
from typing import Any


class Hang(BaseException):
    """Raised by the alarm: the command did not finish in time."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


def run(job: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    from citeguide.cli import main

    root = Path(job["root"])
    results = []
    for args in job["commands"]:
        err, out = io.StringIO(), io.StringIO()
        start = time.perf_counter()
        code: int | str
        signal.alarm(limit)
        try:
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
                code = main([*args, "--root", str(root)])
        except Hang:
            code = "hang"
        except SystemExit as exc:  # argparse: usage errors
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException:  # reported to the test as Python would have printed it
            code = "traceback"
            err.write(traceback.format_exc())
        finally:
            signal.alarm(0)
        results.append({"args": args, "code": code, "stderr": err.getvalue(),
                        "site": (root / "site").exists(),
                        "seconds": time.perf_counter() - start})  # fmt: skip
    return results


def main() -> None:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    signal.signal(signal.SIGALRM, _alarm)
    jobs = json.load(sys.stdin)
    print(json.dumps([run(job, limit) for job in jobs]))


if __name__ == "__main__":
    main()
