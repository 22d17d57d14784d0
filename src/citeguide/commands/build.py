"""`citeguide build`: refresh the Site, write what changed, say what happened."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from citeguide.diagnostics import Diagnostics
from citeguide.engine import noop
from citeguide.exitcodes import ExitCode


def notes(lines: list[str]) -> None:
    """What the engine noted (a build cache discarded, and why), one line each."""
    for line in lines:
        print(line, file=sys.stderr)


def report(diags: Diagnostics, fmt: str = "text") -> None:
    if diags.items:
        print(diags.render(fmt), file=sys.stderr if fmt == "text" else sys.stdout)


def run_build(root: Path, *, strict: bool, jobs: int | None) -> int:
    # Nothing changed since the last build: answered from file stamps, before the engine
    # (and the libraries it needs) is even imported.
    discarded: list[str] = []
    stamps: list[noop.Stamped | None] = []
    found = noop.cached_result(root, root / "site", today=date.today(), drafts=False,
                               strict=strict, notes=discarded, seen=stamps)  # fmt: skip
    notes(discarded)
    if found is not None:
        diags, count = found
        report(diags)
        print(f"{_unchanged(count)}: site/ is up to date ({diags.summary()})")
        return ExitCode.OK
    # Started before the engine is imported (a third of one edit's time): a child process
    # reads the build cache and the stamps of site/ on the other core meanwhile.
    # Imported here: 9 ms (-X importtime) that a no-op build does not pay.
    from citeguide.engine.cache_files import ReadAhead

    ahead = ReadAhead(root, root / "site")
    try:
        # Imported only now: the engine takes over half a second to import; a no-op
        # build answers in about 0.1 s.
        from citeguide.engine.builder import build_site

        result = build_site(root, strict=strict, jobs=jobs, shortcut=False, ahead=ahead,
                            stamps=stamps)  # fmt: skip
    finally:
        ahead.close()
    notes(result.notes)
    report(result.diagnostics)
    if not result.ok:
        print(
            f"build failed: {result.diagnostics.summary()}; site/ left unchanged",
            file=sys.stderr,
        )
        return ExitCode.CONTENT
    count = len(result.pages) or result.checked
    if result.noop:
        print(f"{_unchanged(count)}: site/ is up to date ({result.diagnostics.summary()})")
        return ExitCode.OK
    # Which guides this build made and which it took from the last one's: a table edit
    # read `built 2 guides` where one was processed again.
    kept = count - result.processed
    made = f"{result.processed} processed, {kept} unchanged; " if kept > 0 else ""
    print(
        f"built {count} guide{'s' * (count != 1)} into {root / 'site'} "
        f"({made}{result.files} files; {result.diagnostics.summary()})"
    )
    return ExitCode.OK


def _unchanged(count: int) -> str:
    return f"{count} guide{'s' * (count != 1)} unchanged"
