"""URLs as citeguide compares and trusts them: one form per source, and the addresses
no published link or link check may point at.

Cited servers are strangers. A public page that redirects to `169.254.169.254` (a cloud
metadata service) or to `127.0.0.1:6379` would make `citeguide check`, running in CI, a
proxy into the build machine's network (SSRF); a URL written `http://2130706433/` is
loopback in disguise, which `lint` reports as a private source too.
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from citeguide.untrusted import is_link_url

_DEFAULT_PORTS = {"http": 80, "https": 443}
_LOCAL_SUFFIXES = (".local", ".localhost", ".internal", ".lan", ".home.arpa")


@lru_cache(maxsize=4096)
def normalize_url(url: str) -> str:
    """The form used to decide that two citations name the same source. Kept for the
    URLs seen last: guides cite the same sources over and over, and each citation asks."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


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


Origin = tuple[str, str, int | None]
"""(scheme, host, port): where a host's configured secrets may go."""


def origin_of(url: str) -> Origin | None:
    """The URL's origin, its port made explicit; None for a URL that cannot be read."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:
        return None
    return parts.scheme.lower(), (parts.hostname or "").lower().rstrip("."), port


def web_url(value: object) -> bool:
    """True for a URL that may become a link: absolute http(s) with a host, no credentials,
    no whitespace, control characters, `<`, `>`, `"` or backslash (`untrusted.url_problem`).

    An archive's answer, a redirect's target and the state file's URLs all end up as links
    on pages and in both twins.
    """
    return is_link_url(value)
