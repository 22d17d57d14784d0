"""The build cache's files, read without the engine, and read ahead while it is imported.

`cache.py` validates what is read here; this module only lays the files out, reads an
entry under the safe reader's rules and checks its seal. It imports neither pydantic
nor the parser, so that `build` can start reading ahead (`ReadAhead`) before it imports
them: a child process reads every entry the index names, checks each seal, and takes
the stamps of `site/` (`tree.files`), on the second core, while the parent spends a
third of one edit's time importing. The parent takes what the child read when it needs
it, and reads for itself whatever the child could not give (the same rules, the same
notes): reading ahead only ever saves time.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import re
import signal
import stat
import struct
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from citeguide.engine import tree, trust
from citeguide.safeio import UnsafeFile, inside, read_bytes

CACHE_DIR = Path("build") / "citeguide-cache"
INDEX_FILE = CACHE_DIR / "index.json"
ENTRY_DIR = CACHE_DIR / "guides"
INDEX_FORMAT = "citeguide-cache-index-7"
ENTRY_FORMAT = "citeguide-cache-entry-9"

INDEX_MAX_BYTES = 64 * 1024 * 1024
"""The index holds about 150 bytes per guide: this cap is some 400,000 guides. Distinct
from `max_file_bytes`, the cap on authors' inputs."""
ENTRY_MAX_BYTES = 64 * 1024 * 1024
"""Largest entry kept (one guide's listing fragments, citations and findings; about 7 KB
for a typical guide). An entry is read with the exact size its sealed index recorded."""

NAME = re.compile(r"[0-9a-f]{64}")
"""An entry's name: its seal."""

Body = bytes | memoryview
"""One line of an entry's sealed body, without its newline."""
Lines = tuple[Body, Body, Body]
"""An entry's sealed body as its three lines (`cache.py`): its head, its citations, its
listing fragments."""


def line_ends(body: bytes) -> tuple[int, int] | None:
    """Where the first and the second line of an entry's body end, or None when it is
    not three lines."""
    first = body.find(b"\n")
    second = body.find(b"\n", first + 1) if first >= 0 else -1
    if second < 0 or body.find(b"\n", second + 1) >= 0:
        return None
    return first, second


def split_lines(body: bytes) -> Lines | str:
    """An entry's body as its three lines (views of it), or `corrupt`."""
    ends = line_ends(body)
    if ends is None:
        return "corrupt"
    view, (first, second) = memoryview(body), ends
    return view[:first], view[first + 1 : second], view[second + 1 :]


def note(where: Path, message: str) -> str:
    """One line of the build's output about the cache: `PATH: note: MESSAGE`."""
    if message.startswith("the build cache was discarded"):
        message += "; every guide is processed again"
    return f"{where.as_posix()}: note: {message}"


def entry_folder(root: Path) -> str:
    """The entries' folder when it and the cache folder are real folders inside the root
    (then no file in it is read through a link: `read_entry`), else ""."""
    for folder in (root / CACHE_DIR, root / ENTRY_DIR):
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                return ""
        except OSError:
            return ""
    return os.fspath(root / ENTRY_DIR) if inside(root, root / ENTRY_DIR) else ""


def read_entry(folder: str, name: str, size: int) -> bytes | str:
    """The sealed body of the entry `name` of `size` bytes in `folder`, or why not in a
    word (`corrupt`, `missing`, `changed`, `unsafe`, `foreign`, `unsealed`, `version`)."""
    if not NAME.fullmatch(name) or not 0 < size <= ENTRY_MAX_BYTES:
        return "corrupt"
    data = _read(os.path.join(folder, f"{name}.json"), size)
    if isinstance(data, str):
        return data
    found = trust.opened(ENTRY_FORMAT, data)
    if isinstance(found, str):
        return found.partition(":")[0]
    body, mac = found
    return body if mac == name else "foreign"


def _read(path: str, size: int) -> bytes | str:
    """The `size` bytes of a regular file, never through a link, or why not: the safe
    reader's rules, without resolving the path of each of thousands of entries."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "unsafe"  # a link (ELOOP), or unreadable
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            return "unsafe"
        if info.st_size != size:
            return "changed"
        data = handle.read(size + 1)
    return data if len(data) == size else "changed"


@dataclass
class Ahead:
    """What a child process read before the parent needed it."""

    entries: dict[tuple[str, int], Lines | str]
    """(name, size) of each entry the index named → its lines (views of what the child
    wrote: nothing is copied until it is validated), or why not (`read_entry`)."""
    site: tree.Stamps | None
    """`tree.files` of `site/` (None: it is missing, or holds something else)."""


_HEAD = struct.Struct("!64sQBQQQ")
"""One entry as the child writes it: name, size, 0 (body) or 1 (why not), length, and
where the body's first and second lines end (`line_ends`)."""
_MAGIC = b"citeguide-ahead-2\n"


class ReadAhead:
    """A child process reading the build cache's entries and the stamps of `site/`
    (Linux only: `fork` without `exec` is safe there before any thread starts)."""

    def __init__(self, root: Path, target: Path) -> None:
        self.pid = 0
        self._out: IO[bytes] | None = None
        # A child forked while another thread holds a lock (an import's, a logger's)
        # could wait for it forever: only a process of one thread reads ahead.
        if not sys.platform.startswith("linux") or not _single_threaded():
            return
        # Imported here: 10 ms (-X importtime, with shutil and random) that a no-op
        # build, which never reads ahead, does not pay.
        import tempfile

        try:
            names = _index_names(root)
            if names:
                trust.key()  # made or read here, not in the child
            # Unlinked at once: only this process and its child hold it.
            out = tempfile.TemporaryFile(prefix="citeguide-ahead-")  # noqa: SIM115
        except (OSError, trust.NoKey):
            return
        try:
            pid = os.fork()
        except OSError:
            out.close()
            return
        if pid == 0:  # the child: never returns, never runs the parent's exit handlers
            code = 1
            try:
                _child(root, target, names, out)
                code = 0
            finally:
                os._exit(code)
        self.pid, self._out = pid, out

    def take(self) -> Ahead | None:
        """What the child read (waiting for it), or None when it read nothing usable;
        later calls return None."""
        out, pid = self._out, self.pid
        self._out, self.pid = None, 0
        if out is None:
            return None
        with out:
            try:
                _, status = os.waitpid(pid, 0)
                if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
                    return None
                size = os.fstat(out.fileno()).st_size
                if not size:
                    return None
                # Mapped, not read: the entries' bodies stay views of the child's file
                # (17 MB at 2,000 guides), and only the part of each that is validated
                # is ever copied (`cache.py`).
                return _parse(memoryview(mmap.mmap(out.fileno(), size, access=mmap.ACCESS_READ)))
            except (OSError, ValueError, struct.error):
                return None

    def close(self) -> None:
        """Stop the child if nobody took what it read."""
        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        self.take()


def _single_threaded() -> bool:
    return threading.active_count() == 1


def _index_names(root: Path) -> list[tuple[str, int]]:
    """(name, size) of every entry a sealed index names, or [] for anything else (the
    parent reads the index again, validates it and says what is wrong with it)."""
    path = root / INDEX_FILE
    if not os.path.lexists(path):
        return []
    try:
        found = trust.opened(INDEX_FORMAT, read_bytes(root, path, INDEX_MAX_BYTES))
    except (UnsafeFile, trust.NoKey):
        return []
    if isinstance(found, str):
        return []
    try:
        entries = json.loads(found[0])["entries"]
        return [(str(name), int(size)) for name, size in entries.values()]
    except (ValueError, KeyError, TypeError, RecursionError, AttributeError):
        return []


def _child(root: Path, target: Path, names: list[tuple[str, int]], out: IO[bytes]) -> None:
    out.write(_MAGIC)
    folder = entry_folder(root) if names else ""
    for name, size in names:
        if not NAME.fullmatch(name):
            continue  # the parent says what is wrong with it
        found = read_entry(folder, name, size) if folder else "unsafe"
        ends = line_ends(found) if isinstance(found, bytes) else None
        if isinstance(found, bytes) and ends is None:
            found = "corrupt"
        first, second = ends or (0, 0)
        payload = found if isinstance(found, bytes) else found.encode()
        out.write(_HEAD.pack(name.encode(), size, int(isinstance(found, str)), len(payload),
                             first, second))  # fmt: skip
        out.write(payload)
    out.write(_HEAD.pack(b"\0" * 64, 0, 2, 0, 0, 0))  # the entries end
    stamps = tree.files(os.fspath(target))
    if stamps is not None:
        rows = "\0".join(f"{rel}\0{s[0]}\0{s[1]}\0{s[2]}" for rel, s in stamps.items())
        out.write(rows.encode("utf-8", "surrogateescape"))
    out.write(b"\n" if stamps is not None else b"")
    out.flush()


def _parse(data: memoryview) -> Ahead:
    """Raises ValueError or struct.error when `data` is not what `_child` wrote."""
    if bytes(data[: len(_MAGIC)]) != _MAGIC:
        raise ValueError("not read ahead")
    at = len(_MAGIC)
    entries: dict[tuple[str, int], Lines | str] = {}
    while True:
        name, size, kind, length, first, second = _HEAD.unpack_from(data, at)
        at += _HEAD.size
        if kind == 2:
            break
        payload = data[at : at + length]
        if len(payload) != length or kind not in (0, 1):
            raise ValueError("cut short")
        at += length
        key = (name.decode("ascii"), size)
        if kind == 1:
            entries[key] = bytes(payload).decode()
        elif not 0 <= first < second < length:
            raise ValueError("not an entry's lines")
        else:
            entries[key] = payload[:first], payload[first + 1 : second], payload[second + 1 :]
    rest = bytes(data[at:])
    site: tree.Stamps | None = None
    if rest:
        if not rest.endswith(b"\n"):
            raise ValueError("cut short")
        fields = rest[:-1].decode("utf-8", "surrogateescape").split("\0") if rest != b"\n" else []
        if len(fields) % 4:
            raise ValueError("cut short")
        numbers = [map(int, fields[k::4]) for k in (1, 2, 3)]
        site = dict(zip(fields[0::4], zip(*numbers, strict=True), strict=True))
    return Ahead(entries, site)
