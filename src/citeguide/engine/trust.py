"""Seals on the files a build leaves for the next one, with a key a repository cannot hold.

The build cache and the records (the no-op record, the cited-sources record `check`
reads) let a command skip work; they must never let it make output, or a report, an
honest run would not make. All lie in the site root's `build/`, which a pull request, a
shared CI cache or an unpacked archive can fill, and all are keyed by hashes anyone can
compute from the repository. So each is sealed with keyed BLAKE2b (RFC 7693's
MAC mode: the key in the hash's parameter block, no HMAC construction needed), whose key
lives outside every site root: 32 random bytes in the user's cache folder
(`$XDG_CACHE_HOME/citeguide/cache-key`, by default `~/.cache/citeguide/cache-key`),
created with mode 0600 by the first build. A file without a valid seal is ignored and
the build starts cold. Without a usable key (no home folder, a key readable by others, a
symlink in its place) nothing is trusted and nothing is sealed.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from _operator import _compare_digest
from functools import cache
from pathlib import Path
from typing import Any

from citeguide.safeio import UnsafeFile, make_folder, read_bytes, write_file

try:  # hashlib's own BLAKE2, without loading OpenSSL (5 ms of every no-op build)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the built-in module
    from hashlib import blake2b

_KEY_BYTES = 32


class NoKey(OSError):
    """The cache key cannot be made or read; the message says why."""


class Untrusted(ValueError):
    """A sealed record that cannot be used; the message says why, in a few words."""


def key_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "citeguide", "cache-key")


@cache
def _key(path: Path) -> bytes:
    """The key at `path`, made on first use. Raises NoKey."""
    if not path.parent.is_absolute():
        raise NoKey(f"no home folder to keep the cache key in ({path.parent})")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        return _read(path)
    except FileNotFoundError:
        pass
    except NoKey:
        raise
    except OSError as exc:
        raise NoKey(f"cannot read the cache key {path}: {exc.strerror or exc}") from None
    # Imported here: 12 ms (-X importtime) of a 100 ms no-op build, and only the first
    # build of a user makes the key.
    import secrets
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(prefix=".cache-key.", dir=path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(_KEY_BYTES))
            # link() fails if another build made the key first: then both use that one.
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
        return _read(path)
    except OSError as exc:
        raise NoKey(f"cannot make the cache key {path}: {exc.strerror or exc}") from None


def _read(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_uid != os.getuid()
            or info.st_mode & 0o077
            or info.st_size != _KEY_BYTES
        ):
            raise NoKey(f"{path} is not a private {_KEY_BYTES}-byte file of this user (mode 0600)")
        return handle.read(_KEY_BYTES)


def key() -> bytes:
    """The key of this user (made on first use). Raises NoKey."""
    # Looked up once per place (a build checks thousands of seals; tests move the place).
    return _key_at(os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME"))


@cache
def _key_at(_xdg: str | None, _home: str | None) -> bytes:
    return _key(key_path())


def fingerprint(data: bytes) -> str:
    """An unkeyed digest (BLAKE2b, 256 bits) of `data`, as hex."""
    return blake2b(data, digest_size=32).hexdigest()


def _mac(kind: str, body: bytes) -> bytes:
    return blake2b(kind.encode() + b"\n" + body, key=key(), digest_size=32).digest()


def seal(kind: str, body: bytes) -> bytes:
    """`body` with a first line naming `kind` and its MAC. Raises NoKey."""
    return f"{kind} {_mac(kind, body).hex()}\n".encode() + body


def unseal(kind: str, data: bytes) -> bytes | None:
    """The body of a file made by `seal(kind, ...)` with this user's key; None for any
    other file (another format, another key, a changed byte, or no key at all)."""
    found = opened(kind, data)
    return found[0] if isinstance(found, tuple) else None


def opened(kind: str, data: bytes) -> tuple[bytes, str] | str:
    """(body, MAC as hex) of a file made by `seal(kind, ...)` with this user's key, or
    why it is not one, in a few words: another version's format, not sealed with this
    user's key, no key to check it with, or not such a file at all."""
    head, newline, body = data.partition(b"\n")
    name, _, mac = head.partition(b" ")
    if not newline or name != kind.encode():
        family = kind.rpartition("-")[0].encode()
        if newline and name.startswith(family + b"-") and len(name) < 64:
            other = name.decode("ascii", "replace")
            return f"version: written by another version of citeguide ({other})"
        return "corrupt: not a file citeguide wrote"
    try:
        given, expected = bytes.fromhex(mac.decode("ascii")), _mac(kind, body)
    except NoKey as exc:
        return f"unsealed: no cache key to check it with ({exc})"
    except ValueError:
        return "corrupt: its seal is damaged"
    if not _same(given, expected):
        return "foreign: not sealed with this user's key (copied from elsewhere, or edited)"
    return body, given.hex()


def _same(a: bytes, b: bytes) -> bool:
    """Compare in time independent of where they differ: hmac.compare_digest's own
    function, without importing OpenSSL."""
    return _compare_digest(a, b)


def write_record(root: Path, path: Path, kind: str, data: object) -> None:
    """`data` as compact JSON, sealed as `kind`, written to `path` (a file of `build/`
    inside `root`). Raises OSError when it cannot be written, NoKey without a key."""
    write_body(root, path, kind, json.dumps(data, separators=(",", ":")).encode())


def write_body(root: Path, path: Path, kind: str, body: bytes) -> None:
    """`body` (JSON) sealed as `kind`, written to `path` as `write_record` writes."""
    sealed = seal(kind, body)
    try:
        make_folder(root, path.parent)
        write_file(root, path, sealed)
    except UnsafeFile as exc:
        raise OSError(exc.message) from None


def read_record(root: Path, path: Path, kind: str, cap: int) -> Any:
    """The JSON of a record `write_record` made, read through the safe reader (`build/`
    is the repository's too: a link to /dev/zero, a FIFO) with at most `cap` bytes.
    Raises Untrusted when it is unreadable, too large, forged, another user's or another
    version's; ValueError when its body is not JSON."""
    try:
        found = opened(kind, read_bytes(root, path, cap))
    except UnsafeFile as exc:
        size = exc.rule == "file-too-large"
        raise Untrusted(f"too large: over {cap:,} bytes" if size else exc.message) from None
    if isinstance(found, str):
        raise Untrusted(found)
    return json.loads(found[0])
