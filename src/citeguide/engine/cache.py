"""The build cache in `build/`: what the last build parsed and wrote, keyed by hashes.

The cache is valid only for the exact inputs that made it: the package version, Python,
the configuration, templates (the site's and the packaged ones), data tables, the link
state file, the build date and the drafts flag all go into one key. Each guide's entry
is keyed by its file's hash. The file is plain JSON validated against the dataclasses
below on load (never pickle: a cache restored from a shared CI cache is data from a
stranger), sealed with a key kept outside the repository (`trust.py`): anyone can compute
the key above, so a right key alone proves nothing. A corrupt, foreign, forged or stale
cache is ignored, never trusted.
"""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import metadata
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from citeguide import __version__
from citeguide.config import CONFIG_FILE
from citeguide.content.tables import DATA_DIR
from citeguide.engine import trust
from citeguide.linkcheck.state import STATE_FILE
from citeguide.records import GuideResult
from citeguide.resources import theme_dirs
from citeguide.safeio import UnsafeFile, make_folder, read_bytes, safe_files, write_file

CACHE_FILE = Path("build") / "citeguide-cache.json"
_FORMAT = "citeguide-cache-5"


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


@dataclass
class BuildCache:
    key: str = ""
    entries: dict[str, Entry] = field(default_factory=dict)
    complete: bool = False
    """True when `site/` holds exactly what `entries` describe (the last build succeeded)."""
    written_ns: int = 0
    """When the cache was saved: file stamps newer than that are not trusted."""
    tree: str = ""
    """Digest of `site/` as this build left it (`noop.tree_digest`)."""


def _hash_file(digest: hashlib._Hash, boundary: Path, path: Path) -> None:
    try:
        digest.update(read_bytes(boundary, path) + b"\0")
    except UnsafeFile as exc:  # the build reports it; the key only has to differ
        digest.update(f"unsafe:{exc.rule}\0".encode())


def _hash_tree(digest: hashlib._Hash, boundary: Path, folder: Path) -> None:
    try:
        files = safe_files(boundary, folder, "**")
    except UnsafeFile as exc:
        digest.update(f"unsafe:{exc.rule}\0".encode())
        return
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        _hash_file(digest, boundary, path)


_LIBRARIES = ("jinja2", "markdown-it-py", "mdit-py-plugins", "pydantic", "babel", "pagefind")


@cache
def _library_versions() -> list[str]:
    """Versions of the libraries whose output lands in `site/`: an upgrade rebuilds."""
    found = []
    for name in _LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return found


def inputs_key(root: Path, *, today: date, drafts: bool) -> str:
    """Hash of everything except the guides that the output depends on."""
    digest = hashlib.sha256()
    parts = [__version__, sys.version, today.isoformat(), str(drafts), *_library_versions()]
    digest.update("\0".join(parts).encode())
    for name in (CONFIG_FILE, STATE_FILE):
        path = root / name
        if path.exists() or path.is_symlink():
            _hash_file(digest, root, path)
        else:
            digest.update(b"-")
    for folder, boundary in [*theme_dirs(root), (root / DATA_DIR, root)]:
        _hash_tree(digest, boundary, folder)
    digest.update(_code_stamp().encode())
    return digest.hexdigest()


@cache
def _code_stamp() -> str:
    """Size and modification time of citeguide's own modules: an edited install (or an
    editable checkout between commits) never reuses output made by other code."""
    package = Path(__file__).resolve().parent.parent
    parts = []
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        parts.append(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


@cache
def _adapter() -> TypeAdapter[BuildCache]:
    """Built on first use (~90 ms): `lint` and `check` import this module but never load
    a cache."""
    return TypeAdapter(BuildCache)


def load(root: Path, key: str) -> BuildCache:
    """The cache for `key`, or an empty one if absent, unreadable, corrupt, stale or not
    sealed with this user's key (`trust.py`)."""
    try:
        body = trust.unseal(_FORMAT, read_bytes(root, root / CACHE_FILE))
        if body is None:
            return BuildCache(key)  # forged, foreign, or from another format
        cache = _adapter().validate_json(body)
    except (UnsafeFile, ValueError, RecursionError, ValidationError):
        return BuildCache(key)  # absent, unreadable, not JSON, not a cache: start cold
    if cache.key != key:
        return BuildCache(key)
    return cache


def save(root: Path, cache: BuildCache) -> None:
    """Write the cache atomically and sealed; raises OSError when `build/` cannot be
    written or there is no key to seal it with (UnsafeFile when `build/` leaves the root)."""
    cache.written_ns = time.time_ns()
    body = _adapter().dump_json(cache)
    sealed = trust.seal(_FORMAT, body)
    make_folder(root, root / CACHE_FILE.parent)
    write_file(root, root / CACHE_FILE, sealed)
