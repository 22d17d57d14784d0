"""Finding the guides of a site root and reading them as text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from citeguide.diagnostics import Diagnostics, SourcePos
from citeguide.safeio import UnsafeFile, named, read_bytes

GUIDES_DIR = Path("content") / "guides"


@dataclass(frozen=True)
class SourceFile:
    path: str
    """Relative to the site root, with forward slashes (as diagnostics print it)."""
    text: str


NOT_UTF8 = "file is not UTF-8 text; save it with UTF-8 encoding"


def byte_position(path: str, data: bytes, offset: int) -> SourcePos:
    """Line and column (in characters) of the byte at `offset`."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return SourcePos(path, data.count(b"\n", 0, offset) + 1, column)


def discover_guides(root: Path, diags: Diagnostics) -> list[SourceFile]:
    """Every `content/guides/*.md`, sorted by path; unreadable files become diagnostics."""
    folder = root / GUIDES_DIR
    if not folder.is_dir():
        diags.error(
            SourcePos(GUIDES_DIR.as_posix(), 1, 1),
            "no content/guides/ folder: is --root a citeguide site?",
            "no-guides-folder",
        )
        return []
    files = []
    for found in named(folder, ".md"):
        file = folder / found.name
        rel = file.relative_to(root).as_posix()
        read = read_guide(rel, file, diags)
        if read is not None:
            files.append(SourceFile(rel, read[1]))
    return files


def site_root(rel: str, path: Path) -> Path:
    """The site root of a file given by its absolute path and its root-relative path."""
    root = path
    for _ in Path(rel).parts:
        root = root.parent
    return root


def read_guide(
    rel: str, path: Path, diags: Diagnostics, *, checked_folder: bool = False
) -> tuple[bytes, str] | None:
    """A guide's bytes and text; None (and a positioned diagnostic) if unreadable.
    `checked_folder`: see `safeio.read_bytes`."""
    try:
        data = read_bytes(site_root(rel, path), path, checked_folder=checked_folder)
    except UnsafeFile as exc:
        diags.error(SourcePos(rel, 1, 1), exc.message, exc.rule)
        return None
    try:
        return data, data.decode("utf-8")
    except UnicodeDecodeError as exc:
        diags.error(byte_position(rel, data, exc.start), NOT_UTF8, "encoding")
        return None
