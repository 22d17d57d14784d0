"""The no-op shortcut: "nothing changed since the last build" from file stamps alone.

After every build that leaves `site/` complete, the engine records the stamp (size and
modification time) of every file it read, from the one list of site inputs
(`inputs.site_inputs`: configuration, link states, templates, data tables, models, guides)
with citeguide's own modules and the libraries' install folder. It records the same for
every file of `site/` (so a deleted `feed.xml` or a hand-edited `llms.txt` is
seen), and what the build reported.
The next `build` compares stamps before importing the parser, the models or the cache
reader: if every one is unchanged, and none was changed within two seconds of being
recorded (a same-size edit in the same clock tick), the recorded report is printed and
`site/` is left alone. Any difference, any doubt, a corrupt or foreign record: the full
engine decides, as it always does. This is make's rule (stamps, not contents) used only
to answer "nothing to do"; the Site remains the one place that decides what is stale.

The record is data (JSON), read through the safe reader, sealed with the user's key
(`trust.py`: a record planted in `build/` could otherwise print a forged "0 errors"), and
checked for shape on load; it only ever makes a build skip work the stamps prove
unnecessary. A folder that leaves the site root (`templates -> /`) is never walked: the
engine decides, and refuses it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import sysconfig
import time
from datetime import date
from pathlib import Path
from typing import Any

from citeguide.diagnostics import Diagnostics, from_rows
from citeguide.engine import tree, trust
from citeguide.engine.inputs import code_files, site_inputs
from citeguide.safeio import UnsafeFile, walk

RECORD_FILE = Path("build") / "citeguide-noop.json"
_FORMAT = "citeguide-noop-2"
RECORD_MAX_BYTES = 64 * 1024 * 1024
"""The record's own cap (its report lists every diagnostic), not `max_file_bytes`."""
RACY_NS = 2_000_000_000

Stamp = list[int]
Stamped = tuple[int, dict[str, Stamp | None], dict[str, str]]
"""When stamps were taken (ns since the epoch, read just before), the stamps, and the
digest of each file changed within `RACY_NS` before then (its bytes then)."""
_CONTENT_MAX_BYTES = 64 * 1024 * 1024


def _stamp(path: str) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def _inputs(root: Path) -> dict[str, Stamp | None] | None:
    """The stamp of every site input of every role (`inputs.site_inputs`: the link states
    and the guides too), of citeguide's modules and of the libraries' install folder, by
    path; None when a folder leaves its boundary (the engine reports that, with its
    position)."""
    paths: list[str] = []
    try:
        # Symlinked folders inside the root are followed as every reader follows them.
        for found in site_inputs(root):
            paths += walk(found.boundary, found.path) if found.folder else [str(found.path)]
    except (UnsafeFile, OSError):
        return None
    paths += code_files()
    # Installing, upgrading or removing a library changes its install folder.
    paths.append(sysconfig.get_paths()["purelib"])
    return {path: _stamp(path) for path in paths}


def stamped(root: Path) -> Stamped | None:
    """The stamps of every input now (`_inputs`), and when: a build takes them before it
    reads any input, and records them once `site/` is complete. Taken after the build,
    they would hold an edit saved while it ran, which the next build would then call
    unchanged (a 15-second cold build at 2,000 guides, an author saving meanwhile).
    None when a folder leaves its boundary."""
    now = time.time_ns()
    inputs = _inputs(root)
    if inputs is None:
        return None
    fresh = {path: digest for path, stamp in inputs.items()
             if stamp is not None and stamp[1] >= now - RACY_NS
             and (digest := _content(path)) is not None}  # fmt: skip
    return now, inputs, fresh


def _content(path: str) -> str | None:
    """The digest of a regular file's bytes (at most `_CONTENT_MAX_BYTES`), or None; never
    through a symlink (one out of the root is not read: the input stays racy)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        # A folder (the libraries' install folder, just written by pip), a FIFO: no bytes.
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _CONTENT_MAX_BYTES:
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return trust.fingerprint(handle.read(_CONTENT_MAX_BYTES + 1))
    except OSError:
        return None
    finally:
        os.close(fd)


def _settled(taken: int, now: int, inputs: dict[str, Stamp | None], fresh: dict[str, str]) -> int:
    """When the record counts as written (`written_ns`: a file changed within `RACY_NS`
    before it is not trusted by its stamp): `now`, once every input changed within
    `RACY_NS` before its stamps were `taken`, but not within `RACY_NS` before `now`,
    holds the stamp and the bytes it had then (a same-size change in the same clock tick
    would have been over before now); else `taken`. So a build that starts right after
    files are written (a generator, `git checkout`) is followed by a no-op that needs
    no engine, as when the stamps were taken at its end."""
    for path, stamp in inputs.items():
        if stamp is None or stamp[1] < taken - RACY_NS or stamp[1] >= now - RACY_NS:
            continue
        if path not in fresh or _stamp(path) != stamp or _content(path) != fresh[path]:
            return taken
    return now


def tree_digest(folder: Path) -> str | None:
    """`tree.digest` of the files under `folder`, or None when it is missing, a symlink,
    or holds anything but folders and regular files."""
    found = tree.files(os.fspath(folder))
    return tree.digest(found) if found is not None else None


def _digest(stamps: dict[str, Stamp | None]) -> str:
    return trust.fingerprint(repr(sorted(stamps.items())).encode())


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
    tree: str,
    report: dict[str, Any],
    stamps: Stamped | None,
) -> None:
    """Remember the stamps of a complete build whose `site/` has digest `tree`, taken
    before it read its inputs (`stamped`); raises OSError if `build/` is not writable or
    there is no key to seal the record with."""
    if stamps is None:
        raise OSError("a folder leaves the site root")
    taken, inputs, fresh = stamps
    data = {
        "written_ns": _settled(taken, time.time_ns(), inputs, fresh),
        "context": _context(root, target, today, drafts),
        "inputs": _digest(inputs),
        "outputs": tree,
        "report": report,
    }
    trust.write_record(root, root / RECORD_FILE, _FORMAT, data)


def forget(root: Path) -> None:
    """Drop the record before `site/` changes (an unwritable `build/` has none to drop)."""
    with contextlib.suppress(OSError):
        (root / RECORD_FILE).unlink(missing_ok=True)


def unchanged(
    root: Path,
    target: Path,
    *,
    today: date,
    drafts: bool,
    notes: list[str] | None = None,
    seen: list[Stamped | None] | None = None,
) -> dict[str, Any] | None:
    """The recorded report if nothing the build reads or writes changed, else None; a
    record that is there but cannot be trusted adds a line to `notes` saying why. The
    stamps taken to compare are added to `seen`, for the build that follows."""
    if not os.path.lexists(root / RECORD_FILE):
        return None
    why = "corrupt: not a no-op record"
    try:
        data = trust.read_record(root, root / RECORD_FILE, _FORMAT, RECORD_MAX_BYTES)
        if data["context"] != _context(root, target, today, drafts):
            return None
        written: int = data["written_ns"]
        inputs: str = data["inputs"]
        outputs: str = data["outputs"]
        report: dict[str, Any] = data["report"]
        if not isinstance(report, dict) or not isinstance(written, int):
            raise TypeError(why)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        if isinstance(exc, trust.Untrusted):
            why = str(exc)
        if notes is not None:
            notes.append(f"{RECORD_FILE.as_posix()}: note: the no-op record was discarded ({why})")
        return None
    found = stamped(root)
    if seen is not None:
        seen.append(found)
    current = found[1] if found is not None else None
    if current is None or _digest(current) != inputs:
        return None  # changed, or appeared, or went away (an absent file is None)
    if any(stamp is not None and stamp[1] >= written - RACY_NS for stamp in current.values()):
        return None  # changed too close to the record to trust the stamp
    if tree_digest(target) != outputs:
        return None  # site/ is not what the last build left
    return report


def cached_result(
    root: Path,
    target: Path,
    *,
    today: date,
    drafts: bool,
    strict: bool,
    notes: list[str] | None = None,
    seen: list[Stamped | None] | None = None,
) -> tuple[Diagnostics, int] | None:
    """The recorded diagnostics and guide count of an unchanged site, or None when the
    engine must look (anything changed, a strict build with warnings, a bad record: said
    in `notes`; the stamps taken are added to `seen`)."""
    report = unchanged(root, target, today=today, drafts=drafts, notes=notes, seen=seen)
    if report is None or (strict and not report.get("strict_ok")):
        return None
    try:
        return from_rows(report["diagnostics"]), int(report["pages"])
    except (KeyError, TypeError, ValueError):
        return None
