"""Reading and writing files in a site root that a stranger may have written (a pull request).

Every input file goes through `read_bytes`: its real location must lie inside the site
root (a symlink to `/proc/self/environ` or `/etc/passwd` would otherwise be published),
it must be a regular file (a FIFO blocks a build, `/dev/zero` never ends), and it is read
up to a size cap. Like git, which refuses to follow symlinks out of the work tree, a
symlink that stays inside the root is fine, and `walk` follows it the same way for every
reader. Every file citeguide keeps in the root (caches, the link-state file) is written
by `write_file`: a fresh unguessable name, then a rename, never through a planted link.
"""

from __future__ import annotations

import contextlib
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


def read_bytes(
    root: Path, path: Path, limit: int | None = None, *, checked_folder: bool = False
) -> bytes:
    """The bytes of an input file, after `check_path`; at most `limit` (or the cap).

    `checked_folder`: the caller has checked that the folder holding `path` lies inside
    `root` (a scan of thousands of guides): a file that is no link is then read without
    resolving its path again, and opened so that a link swapped in meanwhile is refused."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if checked_folder and not os.path.islink(path):
        flags |= os.O_NOFOLLOW
    else:
        check_path(root, path)
    cap = _max_bytes if limit is None else limit
    try:
        # O_NONBLOCK: if the file was swapped for a FIFO after the check, open() does not
        # wait for a writer; the fstat below then refuses it.
        fd = os.open(path, flags)
    except OSError as exc:
        if flags & os.O_NOFOLLOW:  # swapped for a link since: the full rules decide
            return read_bytes(root, path, limit)
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
    if pattern == "**":
        return sorted(Path(p) for p in walk(root, folder))
    check_folder(root, folder)
    if pattern.startswith("*") and not any(c in pattern[1:] for c in "*?[/"):
        return [Path(entry.path) for entry in named(folder, pattern[1:])]
    return sorted(folder.glob(pattern))


def named(folder: Path, suffix: str) -> list[os.DirEntry[str]]:
    """The entries of `folder` whose names end with `suffix`, sorted by name: files,
    links and folders alike, hidden ones too, as `sorted(folder.glob("*" + suffix))`
    lists them, from one `scandir` and without a `Path` per entry (2,000 guides: 10 ms
    instead of 30, stat included: `DirEntry.stat` follows links as `Path.stat` does)."""
    with os.scandir(folder) as found:
        return sorted((e for e in found if e.name.endswith(suffix)), key=lambda e: e.name)


def _inside(top: str, real: str) -> bool:
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def walk(root: Path, folder: Path) -> list[str]:
    """Every file under `folder` (not folders; FIFOs and dangling links included, to be
    refused when read), as sorted path strings; [] when there is no such folder.

    Symlinked folders are followed when they stay inside `root`, each real folder once
    (a link to a parent is no loop), so a symlinked `content/guides` is seen the same way
    by every reader. Raises UnsafeFile when `folder`, or a folder below it, leaves `root`.
    """
    return _traverse(root, folder)[0]


def real_folders(root: Path, folder: Path) -> set[str]:
    """The real locations of `folder` and of every folder below it, followed as `walk`
    follows them (what a file watcher must watch). Raises UnsafeFile like `walk`."""
    return _traverse(root, folder)[1]


def _traverse(root: Path, folder: Path) -> tuple[list[str], set[str]]:
    top = os.path.realpath(root)
    start = os.path.realpath(folder)
    if not os.path.isdir(start):
        return [], set()
    if not _inside(top, start):
        raise _outside(folder)
    found: list[str] = []
    seen = {start}
    pending = [(os.fspath(folder), start)]
    while pending:
        path, real = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if not entry.is_dir():
                    found.append(entry.path)
                    continue
                if entry.is_symlink():
                    below = os.path.realpath(entry.path)
                    if not _inside(top, below):
                        raise _outside(Path(entry.path))
                else:
                    below = os.path.join(real, entry.name)
                if below not in seen:
                    seen.add(below)
                    pending.append((entry.path, below))
    found.sort()
    return found, seen


def check_folder(root: Path, folder: Path) -> None:
    """Raise UnsafeFile when `folder` (if it exists or is a link) lies outside `root`."""
    if (folder.exists() or folder.is_symlink()) and not inside(root, folder):
        raise _outside(folder)


def _outside(folder: Path) -> UnsafeFile:
    target = os.readlink(folder) if folder.is_symlink() else str(folder.resolve())
    return UnsafeFile(
        f"{folder.name}/ is a symlink to {target}, outside the site root; "
        "citeguide never reads or writes outside the site root",
        "symlink-outside-root",
    )


def make_folder(root: Path, folder: Path) -> None:
    """Create `folder` (one level) unless it exists; raise UnsafeFile when it, or a
    symlink standing in its place, lies outside `root`."""
    check_folder(root, folder)
    with contextlib.suppress(FileExistsError):
        folder.mkdir()
    check_folder(root, folder)


def write_file(root: Path, path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step, never through a symlink.

    The folder must lie inside `root`. The bytes go to a new file with an unguessable
    name, created with O_CREAT|O_EXCL|O_NOFOLLOW (`tempfile.mkstemp`): a symlink planted
    at a predictable temporary name (`.cache.json.<pid>.tmp`) can no longer redirect the
    write. The rename then replaces `path` itself, never what a symlink there points to.
    Raises UnsafeFile for a folder outside the root and OSError when writing fails.
    """
    # Imported here: 3 ms (-X importtime, with random and shutil); the no-op check
    # imports this module and never writes.
    import tempfile

    check_folder(root, path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o644)  # mkstemp makes 0600; these are shared files
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
