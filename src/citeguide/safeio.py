"""Reading files from a site root that a stranger may have written (a pull request).

Every input file goes through `read_bytes`: its real location must lie inside the site
root (a symlink to `/proc/self/environ` or `/etc/passwd` would otherwise be published),
it must be a regular file (a FIFO blocks a build, `/dev/zero` never ends), and it is read
up to a size cap. Like git, which refuses to follow symlinks out of the work tree, a
symlink that stays inside the root is fine.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DEFAULT_MAX_BYTES = 16 * 1024 * 1024
"""Largest input file read (guides, tables, templates, assets, config, state file)."""

_max_bytes = DEFAULT_MAX_BYTES


class UnsafeFile(Exception):
    """A file that is not read, with the reason and its rule id."""

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message)
        self.message, self.rule = message, rule


def set_max_bytes(limit: int) -> None:
    """Set the cap for this process (from `max_file_bytes` in `citeguide.toml`)."""
    global _max_bytes
    _max_bytes = limit


def max_bytes() -> int:
    return _max_bytes


def inside(root: Path, path: Path) -> bool:
    """True when `path`'s real location (symlinks resolved) lies inside `root`'s."""
    try:
        path.resolve(strict=False).relative_to(root.resolve())
    except ValueError:
        return False
    return True


def check_path(root: Path, path: Path) -> None:
    """Raise UnsafeFile unless `path` is a regular file whose real location is in `root`."""
    if not inside(root, path):
        target = os.readlink(path) if path.is_symlink() else str(path.resolve())
        raise UnsafeFile(
            f"{path.name} is a symlink to {target}, outside the site root; "
            "citeguide never reads outside the site root",
            "symlink-outside-root",
        )
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise UnsafeFile(f"cannot read file: {exc.strerror}", "io") from None
    if not stat.S_ISREG(mode):
        raise UnsafeFile(
            f"{path.name} is not a regular file (a FIFO, device or folder); only files are read",
            "not-a-file",
        )


def read_bytes(root: Path, path: Path, limit: int | None = None) -> bytes:
    """The bytes of an input file, after `check_path`; at most `limit` (or the cap)."""
    check_path(root, path)
    cap = _max_bytes if limit is None else limit
    try:
        # O_NONBLOCK: if the file was swapped for a FIFO after the check, open() does not
        # wait for a writer; the fstat below then refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnsafeFile(f"cannot read file: {exc.strerror}", "io") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(f"{path.name} is not a regular file", "not-a-file")
        if info.st_size > cap:
            raise UnsafeFile(_too_large(path, cap), "file-too-large")
        data = handle.read(cap + 1)
    if len(data) > cap:
        raise UnsafeFile(_too_large(path, cap), "file-too-large")
    return data


def _too_large(path: Path, cap: int) -> str:
    return (
        f"{path.name} is larger than {cap:,} bytes, the most citeguide reads from one file; "
        "raise `max_file_bytes` in citeguide.toml if it is meant to be this large"
    )


def safe_files(root: Path, folder: Path, pattern: str = "*") -> list[Path]:
    """Files matching `pattern` under `folder` ("**": every file, recursively), sorted.

    Raises UnsafeFile when the folder, or a folder below it, is a symlink leaving `root`;
    the files themselves are checked when read.
    """
    if not folder.is_dir():
        return []
    if not inside(root, folder):
        raise UnsafeFile(
            f"{folder.name}/ is a symlink to {folder.resolve()}, outside the site root",
            "symlink-outside-root",
        )
    if pattern != "**":
        return sorted(folder.glob(pattern))
    found = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        base = Path(dirpath)
        for name in dirnames:
            if not inside(root, base / name):
                raise UnsafeFile(
                    f"{name}/ is a symlink to {(base / name).resolve()}, outside the site root",
                    "symlink-outside-root",
                )
        found += [base / n for n in filenames]
    return sorted(found)
