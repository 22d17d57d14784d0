"""The no-op shortcut: "nothing changed since the last build" from file stamps alone.

After every build that leaves `site/` complete, the engine records the stamp (size and
modification time) of every file it read: configuration, link states, templates (the
site's and the packaged ones), data tables, guides, citeguide's own modules and the
libraries' install folder. It records the same for every file it wrote that a no-op build
checks, and what the build reported. The next `build` compares stamps before importing
the parser, the models or the cache reader: if every one is unchanged, and none was
changed within two seconds of being recorded (a same-size edit in the same clock tick),
the recorded report is printed and `site/` is left alone. Any difference, any doubt, a
corrupt or foreign record: the full engine decides, as it always does. This is make's
rule (stamps, not contents) used only to answer "nothing to do"; the Site remains the one
place that decides what is stale.

The record is data (JSON), checked for shape on load; it only ever makes a build skip
work the stamps prove unnecessary.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import sysconfig
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from citeguide.diagnostics import Diagnostics

RECORD_FILE = Path("build") / "citeguide-noop.json"
_FORMAT = "citeguide-noop-1"
RACY_NS = 2_000_000_000

Stamp = list[int]


def _stamp(path: Path) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for top, dirs, files in os.walk(folder):
        dirs.sort()
        found += [Path(top) / name for name in sorted(files)]
    return found


def _inputs(root: Path) -> list[Path]:
    """Every file whose change could change the site."""
    from citeguide.resources import default_dir

    package = Path(__file__).resolve().parent.parent
    paths = [root / "citeguide.toml", root / "citeguide-links.json"]
    for folder in (root / "templates", default_dir("templates"), root / "content"):
        paths += _walk(folder)
    paths += sorted(package.rglob("*.py"))
    # Installing, upgrading or removing a library changes its install folder.
    paths.append(Path(sysconfig.get_paths()["purelib"]))
    return paths


def _context(root: Path, target: Path, today: date, drafts: bool) -> dict[str, str]:
    return {
        "python": sys.version,
        "root": str(root.resolve()),
        "target": str(target.resolve()),
        "today": today.isoformat(),
        "drafts": str(drafts),
    }


def record(
    root: Path,
    target: Path,
    *,
    today: date,
    drafts: bool,
    outputs: list[str],
    report: dict[str, Any],
) -> None:
    """Remember the stamps of a complete build; raises OSError if `build/` is not writable."""
    now = time.time_ns()
    data = {
        "format": _FORMAT,
        "written_ns": now,
        "context": _context(root, target, today, drafts),
        "inputs": {str(p): _stamp(p) for p in _inputs(root)},
        "outputs": {name: _stamp(target / name) for name in outputs},
        "report": report,
    }
    path = root / RECORD_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def forget(root: Path) -> None:
    """Drop the record before `site/` changes (an unwritable `build/` has none to drop)."""
    with contextlib.suppress(OSError):
        (root / RECORD_FILE).unlink(missing_ok=True)


def unchanged(root: Path, target: Path, *, today: date, drafts: bool) -> dict[str, Any] | None:
    """The recorded report if nothing the build reads or writes changed, else None."""
    try:
        with open(root / RECORD_FILE, encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("format") != _FORMAT:
            return None
        if data["context"] != _context(root, target, today, drafts):
            return None
        written: int = data["written_ns"]
        recorded_inputs: dict[str, Stamp | None] = data["inputs"]
        outputs: dict[str, Stamp | None] = data["outputs"]
        report: dict[str, Any] = data["report"]
        if not isinstance(report, dict) or not isinstance(written, int):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    current = _inputs(root)
    if len(current) != len(recorded_inputs):
        return None  # a file appeared or went away
    for path in current:
        stamp = _stamp(path)
        if str(path) not in recorded_inputs or recorded_inputs[str(path)] != stamp:
            return None  # changed, or appeared, or went away (an absent file is None)
        if stamp is not None and stamp[1] >= written - RACY_NS:
            return None  # changed too close to the record to trust the stamp
    for name, stamp in outputs.items():
        if stamp is None or _stamp(target / name) != stamp:
            return None
    return report


def cached_result(
    root: Path, target: Path, *, today: date, drafts: bool, strict: bool
) -> tuple[Diagnostics, int] | None:
    """The recorded diagnostics and guide count of an unchanged site, or None when the
    engine must look (anything changed, a strict build with warnings, a bad record)."""
    from citeguide.diagnostics import Diagnostic, Diagnostics, Severity, SourcePos

    report = unchanged(root, target, today=today, drafts=drafts)
    if report is None or (strict and not report.get("strict_ok")):
        return None
    try:
        items = [
            Diagnostic(SourcePos(str(p), int(line), int(col)), Severity(sev), str(msg), str(rule))
            for p, line, col, sev, msg, rule in report["diagnostics"]
        ]
        pages = int(report["pages"])
    except (KeyError, TypeError, ValueError):
        return None
    return Diagnostics(items), pages
