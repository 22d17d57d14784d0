"""The site inputs: every file and fact a site's outputs are made from, listed once.

`site_inputs` lists the files and folders; `code_files` citeguide's own modules. Two
readers use this one list, each in its own way:

- **The inputs key** (`inputs_key`) hashes the bytes of every input whose role is
  `KEY` or `LIBRARY` (configuration, templates, the bundled packs; the site's data tables
  and models) with the facts (citeguide's version, Python, the libraries' versions, the
  build date, the size and time of citeguide's own modules). **The entries key**
  (`inputs_keys`) leaves `LIBRARY` out: when it changes every guide is stale; when only
  the site's tables or models change, only the guides that looked up what changed are
  (`engine/lookups.py`).
- **The no-op record** (`noop.py`) stamps (size, modification time) every input of every
  role, the modules and the libraries' install folder, and keeps the build date and the
  drafts flag in its context: "nothing changed" is answered from stamps alone.

Two roles are deliberately left out of the key, though the no-op record stamps them:

- `LINKS`, the link-state file: `check` rewrites it often, so each cache entry remembers
  the link records its guide looked up (`cache.links_digest`), and only guides whose
  records changed are processed again.
- `GUIDES`, `content/` (the guides and the files they show): each guide is its own
  cache entry, stale when its own bytes change.

The drafts flag is not in the key either (it only chooses which entries are published;
the cache index records it). This module imports nothing heavy: the no-op build reads it
before the engine is loaded, so the file names below are spelled out here rather than
imported from `config` and `linkcheck.state` (300 ms of pydantic); the engine tests check
that they agree.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from citeguide import __version__
from citeguide.resources import pack_dirs, theme_dirs
from citeguide.safeio import UnsafeFile, read_bytes, safe_files

CONFIG = "citeguide.toml"
"""`config.CONFIG_FILE`."""
LINK_STATE = "citeguide-links.json"
"""`linkcheck.state.STATE_FILE`."""
TEMPLATES, CONTENT, GUIDES, DATA, MODELS = (
    "templates", "content", "content/guides", "content/data", "content/models",
)  # fmt: skip
ROOT_FOLDERS = (TEMPLATES, CONTENT, GUIDES, DATA, MODELS)
"""Folders of the site root the engine reads, parents first: a symlink taking one out of
the root is an error (`checks.folder_problems`)."""


class Role(Enum):
    KEY = "key"
    """In the entries key: a change makes every guide stale."""
    LIBRARY = "library"
    """The site's own tables and models: in the inputs key, not the entries key; each
    guide is stale when a table or model it looked up changed (`engine/lookups.py`)."""
    LINKS = "links"
    """Per guide, by the link records each guide looked up."""
    GUIDES = "guides"
    """Per guide, by its own stamp and hash (and those of the files it shows)."""


@dataclass(frozen=True)
class Input:
    path: Path
    """A file, or a folder standing for every file under it."""
    boundary: Path
    """The folder reading it may not leave (the site root, or a packaged folder)."""
    folder: bool
    role: Role


def site_inputs(root: Path) -> list[Input]:
    """Every file and folder the site's outputs are read from, in a fixed order."""
    found = [Input(root / CONFIG, root, False, Role.KEY)]
    found += [Input(folder, boundary, True, Role.KEY) for folder, boundary in theme_dirs(root)]
    found += [Input(root / DATA, root, True, Role.LIBRARY),
              Input(root / MODELS, root, True, Role.LIBRARY)]  # fmt: skip
    found += [Input(pack, pack, True, Role.KEY) for pack in pack_dirs()]
    found.append(Input(root / LINK_STATE, root, False, Role.LINKS))
    found.append(Input(root / CONTENT, root, True, Role.GUIDES))
    return found


@cache
def code_files() -> tuple[str, ...]:
    """citeguide's own modules, sorted: an edited install (or an editable checkout between
    commits) never reuses output made by other code."""
    package = os.fspath(Path(__file__).resolve().parent.parent)
    found: list[str] = []
    for top, dirs, files in os.walk(package):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        found += [os.path.join(top, name) for name in files if name.endswith(".py")]
    return tuple(sorted(found))


@cache
def code_stamp() -> str:
    """Size and modification time of each of citeguide's modules (`code_files`)."""
    package = Path(__file__).resolve().parent.parent
    parts = []
    for path in code_files():
        info = os.stat(path)
        parts.append(f"{os.path.relpath(path, package)}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


_LIBRARIES = ("jinja2", "markdown-it-py", "mdit-py-plugins", "pydantic", "babel", "pagefind")


@cache
def library_versions() -> tuple[str, ...]:
    """Versions of the libraries whose output lands in `site/`: an upgrade rebuilds."""
    # Imported here: 8 ms, paid by every no-op build (about 100 ms) if imported above,
    # though only the inputs key (the engine) reads versions.
    from importlib import metadata

    found = []
    for name in _LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return tuple(found)


def versions() -> list[str]:
    """What besides files and the build date goes into the inputs key: citeguide's
    version, Python's and the libraries' (its own code: `code_stamp`)."""
    return [__version__, sys.version, *library_versions()]


def _hash_file(digest: Any, boundary: Path, path: Path) -> None:
    try:
        digest.update(read_bytes(boundary, path) + b"\0")
    except UnsafeFile as exc:  # the build reports it; the key only has to differ
        digest.update(f"unsafe:{exc.rule}\0".encode())


def _hash_tree(digest: Any, boundary: Path, folder: Path) -> None:
    try:
        files = safe_files(boundary, folder, "**")
    except UnsafeFile as exc:
        digest.update(f"unsafe:{exc.rule}\0".encode())
        return
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        _hash_file(digest, boundary, path)


def inputs_key(root: Path, *, today: date) -> str:
    """Hash of the site inputs whose role is `KEY` or `LIBRARY` (`site_inputs`) and the
    facts (the build date, `versions`, `code_stamp`): everything but the guides and the
    link states that a guide's outputs depend on."""
    return inputs_keys(root, today=today)[0]


def inputs_keys(root: Path, *, today: date) -> tuple[str, str, dict[str, str]]:
    """The inputs key (`inputs_key`) and the entries key, made in one read: the same
    without the site's own tables and models (`Role.LIBRARY`); and what went into the
    entries key, part by part (`changed_parts` names those that differ)."""
    parts = {DATE: today.isoformat(),
             VERSIONS: hashlib.sha256("\0".join(versions()).encode()).hexdigest()}  # fmt: skip
    library = hashlib.sha256()
    for found in site_inputs(root):
        if found.role is Role.KEY:
            part = hashlib.sha256()
            _hash_input(part, found)
            parts[_label(root, found.path)] = part.hexdigest()
        elif found.role is Role.LIBRARY:
            _hash_input(library, found)
    parts[CODE] = hashlib.sha256(code_stamp().encode()).hexdigest()
    entries = hashlib.sha256(repr(sorted(parts.items())).encode()).hexdigest()
    whole = hashlib.sha256(f"{entries}\0{library.hexdigest()}".encode()).hexdigest()
    return whole, entries, parts


DATE, VERSIONS, CODE = "date", "versions", "code"
"""The entries key's parts that are no file: the build date, citeguide's, Python's and
the libraries' versions, citeguide's own modules."""


def _label(root: Path, path: Path) -> str:
    """A key input's name in a note: its path in the site, or what it is in the package."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return f"citeguide's bundled {path.parent.name}/{path.name}"


def changed_parts(before: dict[str, str], now: dict[str, str]) -> str:
    """What changed between two builds' entries keys, in words, for the note that every
    guide is processed again: `the date (2026-12-04, now 2026-12-05; a source's age counts
    from it)`, `citeguide's own code`, `citeguide.toml`, `templates`."""
    if not before:
        return "the inputs"  # a cache written before the parts were kept
    names = []
    for name in sorted(set(before) | set(now), key=lambda n: (n != DATE, n)):
        if before.get(name) == now.get(name):
            continue
        if name == DATE:
            names.append(f"the date ({before.get(name)}, now {now.get(name)}; a source's "
                         "age counts from it)")  # fmt: skip
        elif name == VERSIONS:
            names.append("the version of citeguide, Python or a library")
        elif name == CODE:
            names.append("citeguide's own code")
        else:
            names.append(name)
    return ", ".join(names) or "the inputs"


def _hash_input(digest: Any, found: Input) -> None:
    if found.folder:
        _hash_tree(digest, found.boundary, found.path)
    elif found.path.exists() or found.path.is_symlink():
        _hash_file(digest, found.boundary, found.path)
    else:
        digest.update(b"-")


def links_key(root: Path) -> str:
    """A digest of the link-state file ("-" when there is none)."""
    path = root / LINK_STATE
    if not (path.exists() or path.is_symlink()):
        return "-"
    digest = hashlib.sha256()
    _hash_file(digest, root, path)
    return digest.hexdigest()


def file_digest(root: Path, source: str) -> str:
    """sha256 of a file beside a guide, "" when it cannot be read (a staleness key)."""
    try:
        return hashlib.sha256(read_bytes(root, root / source)).hexdigest()
    except UnsafeFile:
        return ""
