"""The search views a build made, kept in `build/citeguide-cache/views/` for the next.

pagefind reads each guide's page as its search view (`search_page.page_view`): the page
without the parts it ignores. Making one costs about 0.6 ms (lexbor parses the page and
writes it out again), so an edit that indexes a part of 130 pages again (625 at 20,000
guides) would spend 80 ms (0.4 s) of Python on views of pages that did not change. The
render workers make the views of the pages they render; the others are read back.

One file per search index part (`<parts>-<part>`: the part's guides depend on the number
of parts) holds the views of the part's pages, each with the size and modification time
of the page it was made from: a page carried over from `site/` keeps its inode and its
stamp, and a view whose page has another stamp (edited by hand, say) is made again. The
same stamps decide whether `site/` is still what the last build left (`tree.digest`).
A file per part, not per page: at 20,000 guides a build writes 32 files, not 20,000.

Like the build cache, `build/` is the repository's too: each file is sealed with the
user's key (`trust.py`), read through the safe reader with a cap and only from real
folders inside the root; a file that is not this user's (copied, edited, another
version's) is never trusted: its views are made again from the pages, with a note. A
store that cannot be used (no key, a folder that is a link) only costs time.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import threading
from collections.abc import Mapping
from pathlib import Path

from citeguide.engine import trust
from citeguide.engine.cache import CACHE_DIR
from citeguide.engine.search import SearchIndexError, part_of, read_page
from citeguide.engine.search_page import page_view
from citeguide.render import neighbours
from citeguide.safeio import UnsafeFile, make_folder, read_bytes, write_file

VIEWS_DIR = CACHE_DIR / "views"
VIEW_FORMAT = "citeguide-search-views-2"
PACK_MAX_BYTES = 256 * 1024 * 1024
"""Largest file of views read back: a part of 625 pages (20,000 guides) holds about 9 MB."""
_NAME = re.compile(r"[0-9]{1,3}-[0-9]{1,3}")

Stamp = tuple[int, int]


class ViewStore:
    """The views of one build's search index parts (`search.Views`); thread-safe, since
    two parts are indexed at once."""

    def __init__(
        self,
        root: Path,
        parts: int,
        made: dict[str, tuple[bytes, str]] | None = None,
        *,
        written: Mapping[str, bytes] | None = None,
        keep: bool = True,
    ) -> None:
        """`made`: slug → (view, neighbours fragment) of the pages this build's workers
        rendered (`assemble.Output.views`); `written`: the files this build writes, by
        path (the pages among them that no worker rendered, their neighbours changed,
        say). `keep=False`: neither read nor write the store (a build without its
        cache)."""
        self.root, self.parts, self.keep = root, parts, keep
        self.made = made or {}
        self.written = written or {}
        self.folder = root / VIEWS_DIR
        self.discarded = 0
        self._lock = threading.Lock()
        self._usable: bool | None = None
        self._held: dict[str, tuple[Stamp, bytes]] = {}
        """Views read back: slug → (the stamp of its page, its view)."""
        self._loaded: set[int] = set()
        self._given: dict[int, dict[str, tuple[Stamp | None, bytes]]] = {}
        """The views handed out, by part: what is written back (the stamp of a page
        this build writes is taken once it is staged)."""
        self._staging: Path | None = None
        self._known = False
        """`staged` was told where the pages are (or that they never will be)."""
        self._pending: list[tuple[int, dict[str, tuple[Stamp | None, bytes]]]] = []

    def view(self, slug: str, page: Path) -> bytes:
        """The view of guide `slug`'s page: of a page this build writes, its worker's or
        made from its bytes; of a page carried over from the last site (`page`), the one
        read back when `page` has the stamp the view was made from, else made from it."""
        part = part_of(slug, self.parts)
        made = self.made.pop(slug, None)
        bytes_now = self.written.get(f"{slug}/index.html")
        stamp: Stamp | None = None
        if made is not None:
            # pagefind reads the fragment in the view where it reads it in the page.
            view = neighbours.fill(made[0], made[1])
        elif bytes_now is not None:
            view = page_view(bytes_now)
        else:
            info = os.lstat(page)
            if not stat.S_ISREG(info.st_mode):
                raise SearchIndexError(f"{page.name} of {slug} is not a regular file")
            stamp = (info.st_size, info.st_mtime_ns)
            held = self._lookup(slug, part)
            view = held[1] if held is not None and held[0] == stamp else page_view(read_page(page))
        with self._lock:
            self._given.setdefault(part, {})[slug] = (stamp, view)
        return view

    def staged(self, staging: Path | None) -> None:
        """The staging folder holds every page (None: the build failed first, and
        nothing is kept)."""
        with self._lock:
            self._staging, self._known = staging, True

    def indexed(self, part: int) -> None:
        """Keep the views of `part` for the next build: now if the pages are staged (the
        stamps of those written now are known then), else at `flush`."""
        with self._lock:
            given = self._given.pop(part, {})
            if not self._known:
                self._pending.append((part, given))
                return
            staging = self._staging
        self._write(part, given, staging)

    def flush(self) -> None:
        """Keep the views of the parts indexed before the pages were staged."""
        with self._lock:
            pending, self._pending = self._pending, []
            staging = self._staging
        for part, given in pending:
            self._write(part, given, staging)

    def _write(
        self, part: int, given: dict[str, tuple[Stamp | None, bytes]], staging: Path | None
    ) -> None:
        if not given or staging is None or not self._ready():
            return
        header, chunks, offset = [], [], 0
        for slug, (stamp, view) in sorted(given.items()):
            if stamp is None:
                try:
                    info = os.lstat(staging / slug / "index.html")
                except OSError:
                    continue
                stamp = (info.st_size, info.st_mtime_ns)
            header.append([slug, stamp[0], stamp[1], offset, len(view)])
            chunks.append(view)
            offset += len(view)
        head = json.dumps({"parts": self.parts, "part": part, "views": header})
        body = head.encode() + b"\n" + b"".join(chunks)
        # The store only saves time: views not kept are made again next time.
        with contextlib.suppress(OSError, UnsafeFile):
            write_file(
                self.root, self.folder / f"{self.parts}-{part}", trust.seal(VIEW_FORMAT, body)
            )

    def prune(self) -> None:
        """Delete the files of parts the site no longer has."""
        if not self._ready():
            return
        wanted = {f"{self.parts}-{k}" for k in range(self.parts)}
        with contextlib.suppress(OSError), os.scandir(self.folder) as found:
            stale = [f.path for f in found if _NAME.fullmatch(f.name) and f.name not in wanted]
        for path in stale:
            with contextlib.suppress(OSError):
                os.unlink(path)  # a link is removed itself, never followed

    def notes(self) -> list[str]:
        """A note when views were found that this user's builds did not make."""
        if not self.discarded:
            return []
        files = "1 file" if self.discarded == 1 else f"{self.discarded:,} files"
        verb = "was" if self.discarded == 1 else "were"
        return [f"{VIEWS_DIR.as_posix()}: note: {files} of search views {verb} discarded "
                "(not sealed with this user's key, or unreadable); their views were made "
                "again from the pages"]  # fmt: skip

    def _lookup(self, slug: str, part: int) -> tuple[Stamp, bytes] | None:
        with self._lock:
            if part not in self._loaded:
                self._loaded.add(part)
                self._held.update(self._load(part))
            return self._held.get(slug)

    def _load(self, part: int) -> dict[str, tuple[Stamp, bytes]]:
        """The views in the file of `part` (called with the lock held)."""
        path = self.folder / f"{self.parts}-{part}"
        if not self._ready_locked() or not os.path.lexists(path):
            return {}
        try:
            found = trust.opened(VIEW_FORMAT, read_bytes(self.root, path, PACK_MAX_BYTES,
                                                         checked_folder=True))  # fmt: skip
        except UnsafeFile:
            found = "unreadable"
        if isinstance(found, tuple):
            try:
                return _unpack(found[0], self.parts, part)
            except (ValueError, TypeError, KeyError, IndexError):
                pass  # sealed by this user, so a bug of ours: made again all the same
        self.discarded += 1
        return {}

    def _ready(self) -> bool:
        with self._lock:
            return self._ready_locked()

    def _ready_locked(self) -> bool:
        """The store's folders are real folders inside the root (made if missing) and
        there is a key to seal with: then no view is read or deleted through a link."""
        if self._usable is None:
            self._usable = False
            if self.keep:
                try:
                    trust.key()
                    for folder in (self.root / "build", self.root / CACHE_DIR, self.folder):
                        make_folder(self.root, folder)
                        if not stat.S_ISDIR(os.lstat(folder).st_mode):
                            return False
                    self._usable = True
                except (OSError, UnsafeFile):
                    pass
        return self._usable


def _unpack(body: bytes, parts: int, part: int) -> dict[str, tuple[Stamp, bytes]]:
    head, _, data = body.partition(b"\n")
    found = json.loads(head)
    if found["parts"] != parts or found["part"] != part:
        return {}
    views: dict[str, tuple[Stamp, bytes]] = {}
    for slug, size, mtime, offset, length in found["views"]:
        views[str(slug)] = ((int(size), int(mtime)), data[int(offset) : int(offset) + int(length)])
    return views
