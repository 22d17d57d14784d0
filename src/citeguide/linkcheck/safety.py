"""What the link checker refuses: private addresses behind redirects, endless or
explosive bodies.

A host name that resolves to a private address is refused like a private address written
literally (`citeguide.text.urls`). Bodies are read as they stream, decompressed by hand so
that a gzip bomb stops at the cap instead of after a whole chunk has been inflated.
"""

from __future__ import annotations

import asyncio
import socket
import zlib
from typing import TYPE_CHECKING

from citeguide.text.urls import is_private_address, is_private_host, parse_address

if TYPE_CHECKING:  # `build` reads the state file through this module, and needs no client
    import httpx

ACCEPT_ENCODING = "gzip, deflate"
"""Only codings `read_capped` can inflate in bounded steps are asked for."""


async def resolves_private(host: str, port: int | None) -> bool:
    """True when `host` is private literally or any address it resolves to is private.

    A name that does not resolve is not private: the request itself will fail.
    """
    if is_private_host(host):
        return True
    if parse_address(host) is not None:
        return False
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, port or 443, type=socket.SOCK_STREAM
        )
    except (OSError, UnicodeError):
        return False
    for info in infos:
        address = parse_address(str(info[4][0]).split("%")[0])
        if address is not None and is_private_address(address):
            return True
    return False


MAX_ENCODINGS = 3
"""Stacked content codings decoded at most (`gzip, gzip` is two)."""
_PULL = 64 * 1024


class BodyError(ValueError):
    """A body in a coding that cannot be read: unknown, stacked too deep, or corrupt."""


class _Stage:
    """One content coding, inflated in steps of bounded output."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self.inflater: zlib._Decompress | None = None
        self.pending = b""

    def _start(self, final: bool) -> bool:
        if self.inflater is not None:
            return True
        if self.coding == "gzip":
            self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            return True
        # `deflate` is meant to be zlib-wrapped (RFC 9110) but many servers send it raw:
        # the two-byte zlib header tells them apart.
        if len(self.pending) < 2 and not final:
            return False
        head = self.pending[:2]
        wrapped = len(head) == 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0
        self.inflater = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        return True

    def step(self, limit: int, final: bool) -> bytes:
        """Up to `limit` bytes inflated from the input pending."""
        if not self.pending or not self._start(final):
            return b""
        assert self.inflater is not None
        try:
            out = self.inflater.decompress(self.pending, limit)
        except zlib.error as exc:
            raise BodyError(f"corrupt {self.coding} body: {exc}") from None
        # Anything after the end of the stream is ignored, as browsers do.
        self.pending = self.inflater.unconsumed_tail
        return out


def _codings(header: str) -> list[str]:
    """The content codings of a `Content-Encoding` header, in the order to undo them."""
    codings = []
    for part in header.split(","):
        coding = part.strip().lower()
        if coding in ("", "identity"):
            continue
        if coding == "x-gzip":
            coding = "gzip"
        if coding not in ("gzip", "deflate"):
            raise BodyError(f"content coding {coding[:40]!r} was not asked for")
        codings.append(coding)
    if len(codings) > MAX_ENCODINGS:
        raise BodyError(f"{len(codings)} stacked content codings (at most {MAX_ENCODINGS})")
    return codings[::-1]


class _Decoder:
    """Stacked codings, each stage fed from the one before it in bounded steps, so a
    bomb inside a bomb stops at the cap too."""

    def __init__(self, codings: list[str]) -> None:
        self.stages = [_Stage(c) for c in codings]

    def _pull(self, at: int, limit: int, final: bool) -> bytes:
        stage = self.stages[at]
        while True:
            out = stage.step(limit, final)
            if out:
                return out
            if at == 0:
                return b""
            more = self._pull(at - 1, _PULL, final)
            if not more:
                return b""
            stage.pending += more

    def feed(self, raw: bytes, limit: int, final: bool = False) -> bytes:
        """Up to `limit` decoded bytes from everything fed so far."""
        self.stages[0].pending += raw
        out = bytearray()
        while len(out) < limit:
            piece = self._pull(len(self.stages) - 1, limit - len(out), final)
            if not piece:
                break
            out += piece
        return bytes(out)


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    """Up to `limit` decoded bytes of the body, never inflating more than that.

    `gzip` and `deflate` (zlib-wrapped or raw), stacked up to `MAX_ENCODINGS` deep, are
    decoded; any other coding, or a corrupt stream, raises BodyError. A HEAD response is
    read too (it is empty), which lets the connection go back to the pool instead of
    being closed.
    """
    codings = _codings(response.headers.get("content-encoding", ""))
    decoder = _Decoder(codings) if codings else None
    chunks: list[bytes] = []
    size = 0
    async for raw in response.aiter_raw():
        piece = raw if decoder is None else decoder.feed(raw, limit - size + 1)
        chunks.append(piece)
        size += len(piece)
        if size >= limit:
            break
    else:
        if decoder is not None:
            chunks.append(decoder.feed(b"", limit - size + 1, final=True))
    return b"".join(chunks)[:limit]
