"""Is the network there at all? Asked of hosts nobody cites, before any source is checked.

A run on a machine without a network would find every source broken; recording that
would replace real verdicts with noise. The question used to be answered from the
results (most hosts failing at the network level), which content could trigger: two
citations of refused loopback ports discarded a real 404 found beside them, and a site
whose hosts had all died (NXDOMAIN) could never record them dead. Now it is asked of the
`probe` hosts of `citeguide.toml`, chosen by the site's owner, not by what a guide cites:
their names are resolved and a TCP connection opened, all at once, within a few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit

from citeguide.linkcheck.checker import CheckResult
from citeguide.linkcheck.classify import NO_ANSWER
from citeguide.linkcheck.transport import error_kind

PROBE_TIMEOUT = 3.0
"""Seconds the probe waits at most: a network that drops packets answers nothing."""

_REASONS = {
    "dns": "the name does not resolve",
    "dns-temporary": "no resolver answers",
    "unreachable": "no route",
    "refused": "connection refused",
    "timeout": "no answer",
}


async def _probe_one(url: str, timeout: float) -> str | None:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(host, port)
    except Exception as exc:  # any failure is a reason, never a traceback
        kind = error_kind(exc)
        return f"{host}:{port}: {_REASONS.get(kind, kind)}"
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return None


async def probe(urls: list[str], timeout: float = PROBE_TIMEOUT) -> str | None:
    """None as soon as one probe host resolves and accepts a connection; otherwise why
    none did (every host's reason). No probes: None (never judged offline)."""
    if not urls:
        return None
    tasks = [asyncio.ensure_future(_probe_one(url, timeout)) for url in urls]
    reasons: list[str] = []
    try:
        for next_done in asyncio.as_completed(tasks):
            reason = await next_done
            if reason is None:
                return None
            reasons.append(reason)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return "; ".join(sorted(reasons))


def nobody_answered(results: list[CheckResult]) -> str | None:
    """Why the run learnt nothing, or None: every URL failed before any server or
    resolver answered (no route, no resolver). Content cannot trigger this to hide a
    finding: a single answer from anywhere, a 404 or "no such name" included, clears it."""
    if not results or any(r.outcome.error not in NO_ANSWER for r in results):
        return None
    kinds = sorted({r.outcome.error or "" for r in results})
    return f"all {len(results)} URLs failed before any server answered ({', '.join(kinds)})"
