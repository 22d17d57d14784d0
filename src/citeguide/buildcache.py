"""The build cache in `build/`: what the last build parsed and wrote, keyed by hashes.

The cache is valid only for the exact inputs that made it: the package version, Python,
the configuration, templates (the site's and the packaged ones), data tables, the link
state file, the build date and the drafts flag all go into one key. Each guide's entry
is keyed by its file's hash. The file carries a checksum; a corrupt, foreign or stale
cache is ignored, never trusted.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path

from citeguide import __version__
from citeguide.config import CONFIG_FILE
from citeguide.content.tables import DATA_DIR
from citeguide.linkcheck.state import STATE_FILE
from citeguide.records import GuideResult
from citeguide.resources import template_dirs

CACHE_FILE = Path("build") / "citeguide-cache.pickle"
_MAGIC = b"citeguide-cache-1\n"


@dataclass
class Entry:
    """One guide as the last build left it (its files' bytes live in `site/`)."""

    stamp: tuple[int, int]
    digest: str
    result: GuideResult
    """With `files` emptied: `outputs` remembers their names, sizes and times."""
    outputs: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Output file → (size, mtime in ns) as written."""


@dataclass
class BuildCache:
    key: str = ""
    entries: dict[str, Entry] = field(default_factory=dict)
    complete: bool = False
    """True when `site/` holds exactly what `entries` describe (the last build succeeded)."""
    written_ns: int = 0
    """When the cache was saved: file stamps newer than that are not trusted."""


def _hash_tree(digest: hashlib._Hash, folder: Path) -> None:
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")


_LIBRARIES = ("jinja2", "markdown-it-py", "mdit-py-plugins", "pydantic", "babel", "pagefind")


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
        digest.update(path.read_bytes() if path.exists() else b"-")
    for folder in [*template_dirs(root), root / DATA_DIR]:
        _hash_tree(digest, folder)
    return digest.hexdigest()


def load(root: Path, key: str) -> BuildCache:
    """The cache for `key`, or an empty one if absent, unreadable, corrupt or stale."""
    path = root / CACHE_FILE
    try:
        data = path.read_bytes()
    except OSError:
        return BuildCache(key)
    if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + 64:
        return BuildCache(key)
    checksum = data[len(_MAGIC) : len(_MAGIC) + 64].decode("ascii", "replace")
    payload = data[len(_MAGIC) + 64 :]
    if hashlib.sha256(payload).hexdigest() != checksum:
        return BuildCache(key)
    try:
        cache = pickle.loads(payload)
    except Exception:  # a cache from another version may not even unpickle: ignore it
        return BuildCache(key)
    if not isinstance(cache, BuildCache) or cache.key != key:
        return BuildCache(key)
    return cache


def save(root: Path, cache: BuildCache) -> None:
    path = root / CACHE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    cache.written_ns = time.time_ns()
    payload = pickle.dumps(cache, protocol=pickle.HIGHEST_PROTOCOL)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(_MAGIC + hashlib.sha256(payload).hexdigest().encode() + payload)
    tmp.replace(path)
