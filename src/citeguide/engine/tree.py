"""The stamps of a folder's files, and their digest: whether `site/` is still what the
last build left.

A build takes the stamps of `site/` once, before it writes (`files`), and derives those
of the tree it swaps in from them (`writer.write_tree`): a carried file is a hard link of
`site/`'s own (one inode, so the same size and modification time), and only the files
written now, and the search bundles moved in, are looked at again. The digest is of the
sorted stamps, so the derived tree and a walk of it agree however a filesystem orders
its listings.
"""

from __future__ import annotations

import os

from citeguide.engine import trust

Stamp = tuple[int, int, int]
"""Size, modification time (ns) and inode of one file."""
Stamps = dict[str, Stamp]
"""Path below the folder (with `/`) → its stamp, for every regular file."""


def files(folder: str) -> Stamps | None:
    """The stamp of every file under `folder`; None when `folder` is missing or a
    symlink, or holds anything but folders and regular files (an honest build writes no
    links, FIFOs or devices)."""
    if os.path.islink(folder):
        return None
    found: Stamps = {}
    pending = [(folder, "")]
    try:
        while pending:
            path, prefix = pending.pop()
            with os.scandir(path) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append((entry.path, f"{prefix}{entry.name}/"))
                        continue
                    if not entry.is_file(follow_symlinks=False):
                        return None
                    info = entry.stat(follow_symlinks=False)
                    # The listing's inode, as `writer._reuse` compares (some FUSE and
                    # overlay filesystems give `stat` another number).
                    found[prefix + entry.name] = (info.st_size, info.st_mtime_ns, entry.inode())
    except OSError:
        return None
    return found


def stamp(path: str) -> Stamp:
    """One file's stamp (raises OSError)."""
    info = os.stat(path, follow_symlinks=False)
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def digest(stamps: Stamps) -> str:
    """A digest of every file's path, size and modification time (not its inode: the
    same tree has the same digest wherever it was staged). Any file added, removed,
    replaced or edited changes it; folders are not in it (an empty one publishes
    nothing)."""
    # NUL separates every field: no path holds one, so the text reads back one way.
    rows = "\0".join([f"{rel}\0{stamps[rel][0]}\0{stamps[rel][1]}" for rel in sorted(stamps)])
    return trust.fingerprint(rows.encode("utf-8", "surrogateescape"))
