"""The build cache in `build/citeguide-cache/`: what the last build parsed and wrote.

Entries are valid only for the exact inputs that made them: the site inputs of role `KEY`
(`inputs.py`: configuration, templates, the bundled packs, the build date, citeguide's
own code) go into one key (the entries key, `inputs.inputs_keys`). The link-state file and
the site's tables and models are not in it: each entry remembers the link records its
guide looked up (`links_digest`) and a digest of the tables and models it looked up
(`library`, `engine/lookups.py`), and only guides whose records, tables or models changed
are processed again. Each entry is keyed by its guide's hash.

The layout grows with what changed, not with the site: a small index
(`index.json`: the key, whether `site/` is complete, and for each guide the name and
size of its entry file) and one file per guide (`guides/<seal>.json`), named by its own
seal. A build reads the index and the entries it names, writes only the entries that
changed, then the index, then deletes the entry files no longer named; a build stopped
half-way leaves the last index and every file it names intact.

An entry file holds three JSON documents, one a line: the entry with its guide's
citations, the link records it looked up and its listing fragments left empty (its
head), then the citations and link lookups, then the listing fragments
(`cache_lines.py`). A build validates every head and keeps the other lines as bytes, each
validated when first asked for (`fill`): `check`'s record of the citations is written
while pagefind runs, and the listing pages are made again only when a guide's listing
changed, so one edit at 2,000 guides validates a third of the 17 MB it did before
pagefind starts, and the listing fragments not at all.

Every file is plain JSON validated against the dataclasses below on load (never pickle:
a cache restored from a shared CI cache is data from a stranger), read through the safe
reader with caps of its own (`INDEX_MAX_BYTES`; an entry's exact size as its index
recorded it), and sealed with a key kept outside the repository (`trust.py`): anyone
can compute the key above, so a right key alone proves nothing. A corrupt, foreign,
forged, oversized or other-version file is never trusted, and never dropped silently:
`load` returns a one-line note saying what was discarded and why.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from citeguide.engine import trust
from citeguide.engine.cache_files import CACHE_DIR as CACHE_DIR
from citeguide.engine.cache_files import ENTRY_DIR as ENTRY_DIR
from citeguide.engine.cache_files import ENTRY_FORMAT as ENTRY_FORMAT
from citeguide.engine.cache_files import ENTRY_MAX_BYTES as ENTRY_MAX_BYTES
from citeguide.engine.cache_files import INDEX_FILE as INDEX_FILE
from citeguide.engine.cache_files import INDEX_FORMAT as INDEX_FORMAT
from citeguide.engine.cache_files import INDEX_MAX_BYTES as INDEX_MAX_BYTES
from citeguide.engine.cache_files import Ahead, entry_folder, note, read_entry, split_lines
from citeguide.engine.cache_lines import PARTS as PARTS
from citeguide.engine.cache_lines import Late as Late
from citeguide.engine.cache_lines import LateError as LateError
from citeguide.engine.cache_lines import fill as fill
from citeguide.engine.cache_lines import fill_all as fill_all
from citeguide.engine.cache_lines import lines_of, split
from citeguide.engine.cache_lines import unread_uses as unread_uses
from citeguide.engine.inputs import changed_parts
from citeguide.model import Links
from citeguide.records import GuideResult
from citeguide.safeio import UnsafeFile, make_folder, read_bytes, write_file

LEGACY_FILE = Path("build") / "citeguide-cache.json"
"""Where citeguide before 0.x kept the whole cache in one file (deleted on save)."""
_FILE = re.compile(r"[0-9a-f]{64}\.json")


@dataclass
class Entry:
    """One guide as the last build left it (its files' bytes live in `site/`)."""

    stamp: tuple[int, int]
    digest: str
    result: GuideResult
    """With `files` emptied: `outputs` remembers their names, sizes and times."""
    outputs: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Output file → (size, mtime in ns) as written."""
    neighbours: str = ""
    """Digest of the newer/older/related fragment its page shows (render.neighbours)."""
    links: str = ""
    """Digest of the link records the guide looked up when it was processed."""
    library: str = ""
    """Digest of the site's tables and models it looked up (`lookups.Names`)."""
    fragment: str = ""
    """That fragment itself: reused while no guide's slug, title, dates or tags change."""


@dataclass
class _Stored:
    """The body of one entry file."""

    key: str
    path: str
    entry: Entry


@dataclass
class _Index:
    key: str
    drafts: bool
    complete: bool
    written_ns: int
    tree: str
    links: str
    entries: dict[str, tuple[str, int]]
    """Guide path → (entry file name, its size in bytes)."""
    search: list[str] = field(default_factory=list)
    """A digest of each search index part's guides (`search.Plan.keys`)."""
    around: str = ""
    """A digest of what the neighbours fragments were made from (`Site.around_digest`)."""
    shared: str = ""
    """A digest of what the files that list guides or depend on none were made from."""
    shared_outputs: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Those files → (size, mtime in ns) as written."""
    library: str = ""
    """The inputs key (tables and models included) every entry was checked against."""
    parts: dict[str, str] = field(default_factory=dict)
    """What went into `key`, part by part (`inputs.inputs_keys`): named in the note when
    the next build's key differs."""


@dataclass
class Kept:
    """An entry as it was loaded or saved: saved again only when it changed."""

    name: str
    size: int
    result: GuideResult
    signature: tuple[Any, ...]


@dataclass
class BuildCache:
    key: str = ""
    entries: dict[str, Entry] = field(default_factory=dict)
    complete: bool = False
    """True when `site/` holds exactly what `entries` describe (the last build succeeded)."""
    written_ns: int = 0
    """When the cache was saved: file stamps newer than that are not trusted."""
    tree: str = ""
    """Digest of `site/` as this build left it (`tree.digest`)."""
    links: str = ""
    """The link-state file (`inputs.links_key`) every entry's link records were checked against."""
    drafts: bool = False
    search: list[str] = field(default_factory=list)
    """The search index parts `site/` holds (`search.Plan.keys`)."""
    around: str = ""
    """What the entries' neighbours fragments were made from (a digest)."""
    notes: list[str] = field(default_factory=list)
    """What was discarded on load, and why (one line each)."""
    kept: dict[str, Kept] = field(default_factory=dict)
    """Entry files as loaded or last saved, by guide path."""
    late: dict[str, Late] = field(default_factory=dict)
    """Guide path → the lines after its entry's head not yet filled in (`fill`); a
    result processed since it was loaded (another object) is whole."""
    shared: str = ""
    """What the files that list guides or depend on none were made from (a digest)."""
    shared_outputs: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Those files → (size, mtime in ns) as written, to carry them over unchanged."""
    library: str = ""
    """The inputs key (tables and models included) every entry's `library` was checked
    against: while it holds, no entry's tables and models need a look."""
    parts: dict[str, str] = field(default_factory=dict)
    """What went into `key`, part by part (`inputs.inputs_keys`)."""


def links_digest(links: Links, keys: list[str] | None) -> str:
    """A digest of the link records under `keys` (every record when None), absent ones
    included: equal digests mean the guide would render the same badges."""
    if keys is None:
        keys = sorted(links)
    return trust.fingerprint(repr([(k, links.get(k)) for k in keys]).encode())


@cache
def _index_adapter() -> TypeAdapter[_Index]:
    """Built on first use: `lint` and `check` import this module before they know
    whether there is a cache."""
    return TypeAdapter(_Index)


@cache
def _entry_adapter() -> TypeAdapter[_Stored]:
    return TypeAdapter(_Stored)


def _signature(entry: Entry) -> tuple[Any, ...]:
    return (entry.stamp, entry.digest, sorted(entry.outputs.items()), entry.neighbours,
            entry.links, entry.library, entry.fragment)  # fmt: skip


def _unreadable(exc: UnsafeFile) -> str:
    if exc.rule == "file-too-large":
        return f"too large: over {INDEX_MAX_BYTES:,} bytes, the most read from the index"
    if exc.rule == "io":
        return f"unreadable: {exc.message}"
    return f"unsafe: {exc.message}"


def load(
    root: Path,
    key: str,
    *,
    drafts: bool = False,
    ahead: Callable[[], Ahead | None] | None = None,
    parts: dict[str, str] | None = None,
) -> BuildCache:
    """The entries made from the inputs `key`, or none if there is no cache, or it was
    made from other inputs (a note names which of `parts`, what went into `key`,
    changed); a cache or entry that is unreadable, corrupt, too large, of
    another version or not sealed with this user's key (`trust.py`) is discarded with a
    note in `notes`. `ahead`: gives the entries a child process read ahead, checked
    alike (`cache_files.ReadAhead.take`), called only for a cache made from `key`; any
    other entry is read now."""
    empty = BuildCache(key, drafts=drafts, parts=dict(parts or {}))
    if os.path.lexists(root / LEGACY_FILE):
        empty.notes.append(note(LEGACY_FILE, "the build cache was discarded (version: "
                                 "written by an older citeguide in one file)"))  # fmt: skip
    index_path = root / INDEX_FILE
    if not os.path.lexists(index_path):
        return empty
    why = ""
    try:
        found = trust.opened(INDEX_FORMAT, read_bytes(root, index_path, INDEX_MAX_BYTES))
        if isinstance(found, str):
            why = found
        else:
            index = _index_adapter().validate_json(found[0])
    except UnsafeFile as exc:
        why = _unreadable(exc)
    except (ValueError, RecursionError, ValidationError):
        why = "corrupt: not a build cache index"
    if why:
        empty.notes.append(note(INDEX_FILE, f"the build cache was discarded ({why})"))
        return empty
    if index.key != key:  # made from other inputs: every guide is stale
        what = changed_parts(index.parts, empty.parts)
        empty.notes.append(note(INDEX_FILE, f"every guide is processed again: {what} "
                                "changed since the last build"))  # fmt: skip
        return empty
    read = ahead() if ahead is not None else None
    # A site/ built with drafts shown (or hidden) holds other guides' pages: no file of
    # it is taken as written by this build's entries without a look (no `tree`).
    same = index.drafts == drafts
    loaded = BuildCache(
        key, {}, index.complete and same, index.written_ns,
        index.tree if same else "", index.links, drafts, index.search, index.around, empty.notes,
        shared=index.shared, shared_outputs=index.shared_outputs, library=index.library,
        parts=empty.parts,
    )  # fmt: skip
    dropped: Counter[str] = Counter()
    folder = entry_folder(root)
    for path, (name, size) in index.entries.items():
        problem = _load_entry(folder, key, path, name, size, loaded, read) if folder else "unsafe"
        if problem:
            dropped[problem] += 1
    if dropped:
        loaded.complete = False
        reasons = ", ".join(f"{why}: {n:,}" for why, n in sorted(dropped.items()))
        loaded.notes.append(note(ENTRY_DIR, f"{dropped.total():,} of {len(index.entries):,} "
                                  f"build cache entries were discarded ({reasons}); those "
                                  "guides are processed again"))  # fmt: skip
    return loaded


def _load_entry(
    folder: str, key: str, path: str, name: str, size: int, into: BuildCache, ahead: Ahead | None
) -> str:
    """Add the entry `name` of guide `path` to `into`; "" when it was, else why not.
    `ahead`: what was read ahead (`cache_files.ReadAhead`), if anything."""
    lines = ahead.entries.get((name, size)) if ahead is not None else None
    if lines is None:
        body = read_entry(folder, name, size)
        lines = split_lines(body) if isinstance(body, bytes) else body
    if isinstance(lines, str):
        return lines
    head, cited, listed = lines
    try:
        stored = _entry_adapter().validate_json(bytes(head))
    except (ValueError, RecursionError, ValidationError):
        return "corrupt"
    if stored.key != key or stored.path != path or stored.entry.result.path != path:
        return "foreign"
    into.entries[path] = stored.entry
    into.late[path] = Late(stored.entry.result, cited, listed)
    into.kept[path] = Kept(name, size, stored.entry.result, _signature(stored.entry))
    return ""


def save(root: Path, state: BuildCache) -> list[str]:
    """Write the entries that changed since they were loaded or saved, then the index,
    then delete entry files no longer named; each sealed. Returns notes (an entry too
    large to keep). Raises OSError when `build/` cannot be written or there is no key
    to seal with, UnsafeFile when `build/` leaves the root or a cache folder is a link."""
    notes: list[str] = []
    state.written_ns = time.time_ns()
    named = _save_entries(root, state, notes)
    index = _Index(state.key, state.drafts, state.complete, state.written_ns, state.tree,
                   state.links, named, state.search, state.around, state.shared,
                   state.shared_outputs, state.library, state.parts)  # fmt: skip
    write_file(root, root / INDEX_FILE, trust.seal(INDEX_FORMAT, _index_adapter().dump_json(index)))
    for path in set(state.kept) - set(named):
        del state.kept[path]
    wanted = {f"{name}.json" for name, _ in named.values()}
    with os.scandir(root / ENTRY_DIR) as files:
        stale = [f.path for f in files if f.name not in wanted and _FILE.fullmatch(f.name)]
    for path in stale:
        with contextlib.suppress(OSError):
            os.unlink(path)  # a link is removed itself, never followed
    with contextlib.suppress(OSError):
        (root / LEGACY_FILE).unlink()
    return notes


def save_entries(root: Path, state: BuildCache) -> list[str]:
    """`save`'s first step alone: the entries that changed, each in a file named by its
    seal, which the index on disk does not name until `save` writes it (a build does it
    while pagefind runs; `save` then finds them saved). Returns notes; raises as `save`."""
    notes: list[str] = []
    _save_entries(root, state, notes)
    return notes


def _save_entries(root: Path, state: BuildCache, notes: list[str]) -> dict[str, tuple[str, int]]:
    """Write the entries not saved as they are now; returns each one's file name and size."""
    for folder in (root / "build", root / CACHE_DIR, root / ENTRY_DIR):
        make_folder(root, folder)
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            raise UnsafeFile(f"{folder.name}/ is a symlink; the build cache is not kept there",
                             "symlink")  # fmt: skip
    named: dict[str, tuple[str, int]] = {}
    adapter = _entry_adapter()
    for path, entry in sorted(state.entries.items()):
        kept = state.kept.get(path)
        signature = _signature(entry)
        if kept is not None and kept.result is entry.result and kept.signature == signature:
            named[path] = (kept.name, kept.size)
            continue
        head, cited, listed = split(entry)
        held = state.late.get(path)
        if held is None or held.result is not entry.result:
            held = Late(entry.result, None, None)
        # A line never filled in is written back as it was read.
        body = b"\n".join((
            adapter.dump_json(_Stored(state.key, path, head)),
            *lines_of(held, cited, listed),
        ))  # fmt: skip
        sealed = trust.seal(ENTRY_FORMAT, body)
        if len(sealed) > ENTRY_MAX_BYTES:
            state.kept.pop(path, None)
            notes.append(note(ENTRY_DIR, f"the cache entry of {path} is over "
                               f"{ENTRY_MAX_BYTES:,} bytes and was not kept; it is "
                               "processed again next time"))  # fmt: skip
            continue
        name = sealed[: sealed.index(b"\n")].split(b" ")[1].decode()
        _write_new(root, root / ENTRY_DIR / f"{name}.json", sealed)
        named[path] = (name, len(sealed))
        state.kept[path] = Kept(name, len(sealed), entry.result, signature)
    return named


def _write_new(root: Path, path: Path, data: bytes) -> None:
    """Write a file under a name no build has used (its seal): created exclusively and
    never through a link; a file already there (a planted one, or the same entry kept
    by a stopped build) is replaced through `write_file`."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        write_file(root, path, data)
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
