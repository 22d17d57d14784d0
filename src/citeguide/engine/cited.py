"""The cited-sources record: what `check` needs of the last build, read without the engine.

`check` asks one question of the site before it sends a request: which URLs are cited,
and where. Every build that leaves `site/` complete writes the answer to
`build/citeguide-cited.json`: each use of a cited URL as `check` would list it (drafts
included, then the data tables' rows; `Site.check_view`) and the problems `check`
reports, with what they were made from: the inputs key (`inputs.inputs_key`:
configuration, templates, tables, models, the packs, citeguide's code and the libraries,
the build date) and the sha256 of every guide and of every file a guide shows.

`check` recomputes those digests (a few milliseconds for a thousand guides) and, when all
match, takes the recorded answer without importing the parser, the cost core, the models
or the cache reader: 0.2 s of CPU (`-X importtime`) in every check. Any difference, and
the engine decides as before. Contents are compared, not stamps, so a guide edited while
the build ran is never mistaken for the one it parsed.

The record is data (JSON), read through the safe reader under its own cap, sealed with
the user's key (`trust.py`: a record planted in `build/` could otherwise hide a source
from the check) and checked for shape on load. One that cannot be trusted is discarded
with a note saying why; an absent one says nothing (the engine answers).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from datetime import date
from json.encoder import encode_basestring_ascii as _string
from pathlib import Path
from typing import TYPE_CHECKING

from citeguide.diagnostics import Diagnostics, as_rows, from_rows
from citeguide.engine import trust
from citeguide.engine.inputs import GUIDES, file_digest, inputs_key
from citeguide.records import GuideResult, Use, UseRow, uses_of
from citeguide.safeio import UnsafeFile, read_bytes, safe_files
from citeguide.text.urls import normalize_url

if TYPE_CHECKING:
    from citeguide.costcore.table_data import Tables

RECORD_FILE = Path("build") / "citeguide-cited.json"
_FORMAT = "citeguide-cited-1"
RECORD_MAX_BYTES = 256 * 1024 * 1024
"""The record's own cap (about 150 bytes per use: over a million uses), distinct from
`max_file_bytes`, the cap on authors' inputs."""


def _context(root: Path, today: date) -> dict[str, str]:
    return {"python": sys.version, "root": str(root.resolve()), "today": today.isoformat()}


def _guides(root: Path) -> list[Path]:
    """The guides' files, as the engine's scan lists them. Raises UnsafeFile."""
    return safe_files(root, root / GUIDES, "*.md")


Run = tuple[str, "list[UseRow] | bytes"]
"""One file's uses in the record: its path, and its uses as rows, or as the JSON array
of rows its build cache entry holds (`cache.unread_uses`), written as they are."""


def record(
    root: Path,
    *,
    today: date,
    key: str,
    guides: dict[str, str],
    deps: dict[str, str],
    runs: list[Run],
    diagnostics: Diagnostics,
) -> None:
    """Remember `check`'s view of a complete build: the uses (`runs`: each file's in a
    row, `Site.check_view`) and `diagnostics` made from
    the inputs with key `key`, the guides with digests `guides` and the files they show
    with digests `deps` (by site-root-relative path). Raises OSError when `build/` cannot
    be written or there is no key to seal with."""
    data = {
        "context": _context(root, today),
        "key": key,
        "guides": sorted(guides.items()),
        "deps": sorted(deps.items()),
        "diagnostics": as_rows(diagnostics.items),
    }
    head = _compact(data)
    # The uses (3.2 MB at 2,000 guides) are spliced in, not encoded again: JSON all the
    # same, which `recorded` reads as any other.
    uses = b",".join(b"[%s,%s]" % (_string(path).encode(), rows if isinstance(rows, bytes)
                                   else _compact(rows)) for path, rows in runs)  # fmt: skip
    trust.write_body(root, root / RECORD_FILE, _FORMAT, head[:-1] + b',"uses":[' + uses + b"]}")


def _compact(data: object) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


def record_runs(guides: list[tuple[GuideResult, bytes | None]], tables: Tables) -> list[Run]:
    """`use_runs` of guides whose uses may be given as their entries' JSON (`raw`, not
    None), for `record`."""
    runs: list[Run] = []
    for guide, raw in guides:
        rows = guide.uses if raw is None else raw
        if rows and rows != b"[]":
            runs.append((guide.path, rows))
    return runs + _table_runs(tables)


def use_runs(guides: list[GuideResult], tables: Tables) -> list[tuple[str, list[UseRow]]]:
    """Every use of a cited URL in these guides, then in the site's own data tables (the
    pack's rows are checked where a guide's figure uses them): what `check` visits, as
    (path, its uses as rows) for each run of one file's uses."""
    return [(guide.path, guide.uses) for guide in guides if guide.uses] + _table_runs(tables)


def _table_runs(tables: Tables) -> list[tuple[str, list[UseRow]]]:
    runs: list[tuple[str, list[UseRow]]] = []
    for (table, row_id), (path, line) in tables.origins.items():
        if path.startswith("<pack"):
            continue
        for cite in tables.tables[table].rows[row_id].citations:
            if not runs or runs[-1][0] != path:
                runs.append((path, []))
            key = normalize_url(cite.url)
            runs[-1][1].append((line, 1, cite.date.isoformat(), cite.confidence, cite.url, key))
    return runs


def _read_uses(runs: object) -> list[Use]:
    """The uses `record` wrote: each run [path, [[line, col, day, confidence, url, key],
    ...]] (27,000 uses of 2,000 guides: 3.2 MB). Raises ValueError, TypeError or KeyError
    on another shape."""
    if not isinstance(runs, list):
        raise TypeError("uses: not a list")
    days: dict[str, date] = {}
    uses = []
    for path, rows in runs:
        typed = [(int(line), int(col), day, str(confidence), str(url), str(key))
                 for line, col, day, confidence, url, key in rows]  # fmt: skip
        uses += uses_of(str(path), typed, days)
    return uses


def forget(root: Path) -> None:
    """Drop the record (an unwritable `build/` has none to drop)."""
    with contextlib.suppress(OSError):
        (root / RECORD_FILE).unlink(missing_ok=True)


def recorded(root: Path, *, today: date, notes: list[str]) -> tuple[list[Use], Diagnostics] | None:
    """The recorded uses and diagnostics when every input they were made from is
    unchanged; None when the engine must look. A record that is there but cannot be
    trusted adds a line to `notes` saying why."""
    path = root / RECORD_FILE
    if not os.path.lexists(path):
        return None
    why = "corrupt: not a cited-sources record"
    try:
        data = trust.read_record(root, path, _FORMAT, RECORD_MAX_BYTES)
        if data["context"] != _context(root, today):
            return None  # another day, interpreter or root: not wrong, only not this one
        key, guides, deps = str(data["key"]), _pairs(data["guides"]), _pairs(data["deps"])
        uses = _read_uses(data["uses"])
        diagnostics = from_rows(data["diagnostics"])
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        if isinstance(exc, trust.Untrusted):
            why = str(exc)
        notes.append(f"{RECORD_FILE.as_posix()}: note: the cited-sources record was discarded "
                     f"({why}); the guides are read instead")  # fmt: skip
        return None
    if not _unchanged(root, today, key, guides, deps):
        return None
    return uses, diagnostics


def _pairs(rows: object) -> dict[str, str]:
    if not isinstance(rows, list):
        raise TypeError("not a list")
    return {str(name): str(digest) for name, digest in rows}


def _unchanged(
    root: Path, today: date, key: str, guides: dict[str, str], deps: dict[str, str]
) -> bool:
    """The inputs key, every guide and every file a guide shows hold what they held."""
    if inputs_key(root, today=today) != key:
        return False
    try:
        files = _guides(root)
        if sorted(f"{GUIDES}/{f.name}" for f in files) != sorted(guides):
            return False  # a guide added, removed or renamed
        for file in files:
            # The folder was checked by `_guides`: each file is opened without resolving
            # its path again (and a link is refused), as the engine's scan reads it.
            data = read_bytes(root, file, checked_folder=True)
            if hashlib.sha256(data).hexdigest() != guides[f"{GUIDES}/{file.name}"]:
                return False
    except UnsafeFile:
        return False  # the engine reports it, with its position
    return all(file_digest(root, dep) == digest for dep, digest in deps.items())
