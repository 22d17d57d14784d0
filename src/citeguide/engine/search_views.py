"""The search views a build made, kept in `build/citeguide-cache/views/` for the next.

pagefind reads each guide's page as its search view (`search.page_view`): the page
without the parts it ignores. Making one costs about 0.6 ms (lexbor parses the page and
writes it out again), so an edit that indexes a part of 130 pages again would spend
80 ms of Python on views of pages that did not change. Each view is kept in a file named
by a digest of its guide's slug, holding the digest of the page it was made from; while
the page is the same byte for byte, the view is read back instead of made again.

Like the build cache, `build/` is the repository's too: each file is sealed with the
user's key (`trust.py`) over the page digest and the view, read through the safe reader
with a cap, and a file that is not this user's (copied, edited, another version's) is
made again and counted in a note, never trusted. A store that cannot be used (no key, a
folder that is a link) only costs time: the views are made from the pages.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import threading
from pathlib import Path

from citeguide.engine import trust
from citeguide.engine.cache import CACHE_DIR
from citeguide.engine.search import page_view
from citeguide.safeio import UnsafeFile, make_folder, read_bytes, write_file

VIEWS_DIR = CACHE_DIR / "views"
VIEW_FORMAT = "citeguide-search-view-1"
VIEW_MAX_BYTES = 64 * 1024 * 1024
"""Largest view read back (a page's view is smaller than the page: about 15 KB)."""
_NAME = re.compile(r"[0-9a-f]{64}")


class ViewStore:
    """The views of the last build's pages; thread-safe (two parts are indexed at once)."""

    def __init__(
        self, root: Path, made: dict[str, tuple[bytes, bytes]] | None = None, *, keep: bool = True
    ) -> None:
        """`keep=False`: neither read nor write the store (a build without its cache)."""
        self.root, self.keep = root, keep
        self.made = made or {}
        """Slug → (page, view) of the views this build's workers made (`Output.views`)."""
        self.folder = root / VIEWS_DIR
        self.discarded = 0
        self._lock = threading.Lock()
        self._names: set[str] | None = None
        """The names in the store; empty when the store cannot be used."""
        self._usable = False

    def view(self, slug: str, page: bytes) -> bytes:
        """The search view of `page`, the page of guide `slug`: the one its worker made,
        or read back when the store holds the view of these very bytes, else made here;
        kept for the next build."""
        digest = trust.fingerprint(page).encode()
        name = trust.fingerprint(slug.encode())
        names = self._open()
        made = self.made.pop(slug, None)
        if made is not None and made[0] == page:
            view = made[1]
        else:
            held = self._read(name) if name in names else None
            if held is not None and held.partition(b"\n")[0] == digest:
                return held.partition(b"\n")[2]
            view = page_view(page)
        if self._usable:
            sealed = trust.seal(VIEW_FORMAT, digest + b"\n" + view)
            # The store only saves time: a view not kept is made again next time.
            with contextlib.suppress(OSError, UnsafeFile):
                write_file(self.root, self.folder / name, sealed)
        return view

    def prune(self, slugs: list[str]) -> None:
        """Delete the views of guides the site no longer has."""
        if not self._usable:
            return
        wanted = {trust.fingerprint(slug.encode()) for slug in slugs}
        for name in self._open() - wanted:
            with contextlib.suppress(OSError):
                os.unlink(self.folder / name)  # a link is removed itself, never followed

    def notes(self) -> list[str]:
        """A note when views were found that this user's builds did not make."""
        if not self.discarded:
            return []
        return [f"{VIEWS_DIR.as_posix()}: note: {self.discarded:,} search views were "
                "discarded (not sealed with this user's key, or unreadable) and made "
                "again from the pages"]  # fmt: skip

    def _open(self) -> set[str]:
        """The names in the store, listed once. The store is used only when its folders
        are real folders inside the root (made if missing) and there is a key to seal
        with: then no view is read or deleted through a link."""
        with self._lock:
            if self._names is None:
                self._names = set()
                if not self.keep:
                    return self._names
                try:
                    trust.key()
                    for folder in (self.root / "build", self.root / CACHE_DIR, self.folder):
                        make_folder(self.root, folder)
                        if not stat.S_ISDIR(os.lstat(folder).st_mode):
                            return self._names
                    with os.scandir(self.folder) as found:
                        self._names = {f.name for f in found if _NAME.fullmatch(f.name)}
                    self._usable = True
                except (OSError, UnsafeFile):
                    pass
            return self._names

    def _read(self, name: str) -> bytes | None:
        try:
            data = read_bytes(self.root, self.folder / name, VIEW_MAX_BYTES, checked_folder=True)
            found = trust.opened(VIEW_FORMAT, data)
        except UnsafeFile:
            found = "unreadable"
        if isinstance(found, tuple):
            return found[0]
        with self._lock:
            self.discarded += 1
        return None
