"""What the link checker refuses: private addresses behind redirects, non-web URLs,
endless or explosive bodies.

Cited servers are strangers. A public page that redirects to `169.254.169.254` (a cloud
metadata service) or to `127.0.0.1:6379` would make `citeguide check`, running in CI, a
proxy into the build machine's network (SSRF); a URL written `http://2130706433/` is
loopback in disguise. Bodies are read as they stream, decompressed by hand so that a
gzip bomb stops at the cap instead of after a whole chunk has been inflated.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import zlib
from urllib.parse import urlsplit

import httpx

from citeguide.untrusted import is_link_url

_LOCAL_SUFFIXES = (".local", ".localhost", ".internal", ".lan", ".home.arpa")
ACCEPT_ENCODING = "gzip, deflate"
"""Only encodings `read_capped` can inflate in bounded steps are asked for."""


def parse_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address a host name stands for literally, in any form a resolver accepts.

    `127.1`, `2130706433`, `0x7f.0.0.1` and `0177.0.0.1` are all 127.0.0.1 to
    `inet_aton` (and to browsers and curl), though not to `ipaddress`.
    """
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def is_private_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
        or address.is_multicast
    )


def is_private_host(host: str) -> bool:
    """Loopback, private, link-local or reserved addresses, and local host names."""
    name = host.lower().strip("[]").rstrip(".")
    if name == "localhost" or name.endswith(_LOCAL_SUFFIXES):
        return True
    address = parse_address(name)
    return address is not None and is_private_address(address)


def is_private_url(url: str) -> bool:
    return is_private_host(urlsplit(url).hostname or "")


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


def web_url(value: object) -> bool:
    """True for a URL that may become a link: absolute http(s) with a host, no credentials,
    no whitespace, control characters, `<`, `>`, `"` or backslash (`untrusted.url_problem`).

    An archive's answer, a redirect's target and the state file's URLs all end up as links
    on pages and in both twins.
    """
    return is_link_url(value)


def _inflater(encoding: str) -> zlib._Decompress | None:
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(32 + zlib.MAX_WBITS)  # zlib or raw header, auto-detected
    return None


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    """Up to `limit` decoded bytes of the body, never inflating more than that.

    A HEAD response is read too (it is empty), which lets the connection go back to the
    pool instead of being closed.
    """
    encoding = response.headers.get("content-encoding", "")
    inflater = _inflater(encoding) if encoding else None
    chunks: list[bytes] = []
    size = 0
    async for raw in response.aiter_raw():
        if inflater is None:
            piece = raw
        else:
            try:
                piece = inflater.decompress(raw, limit - size + 1)
            except zlib.error:
                break  # a corrupt stream: keep what was decoded
        chunks.append(piece)
        size += len(piece)
        if size >= limit or (inflater is not None and inflater.unconsumed_tail):
            break
    return b"".join(chunks)[:limit]
