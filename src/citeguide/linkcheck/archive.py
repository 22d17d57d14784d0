"""Archived copies of failing sources, from a Wayback-style availability endpoint."""

from __future__ import annotations

from datetime import date

import httpx

DEFAULT_ENDPOINT = "https://archive.org/wayback/available"


async def closest_snapshot(
    client: httpx.AsyncClient, endpoint: str, url: str, when: date
) -> tuple[str, str] | None:
    """(snapshot URL, timestamp) of the copy closest to `when`, or None.

    The endpoint answers `?url=...&timestamp=YYYYMMDD` with
    `{"archived_snapshots": {"closest": {"available": true, "url": ..., "timestamp": ...}}}`.
    """
    params = {"url": url, "timestamp": when.strftime("%Y%m%d")}
    try:
        response = await client.get(endpoint, params=params, follow_redirects=True)
        if response.status_code != 200:
            return None
        closest = response.json().get("archived_snapshots", {}).get("closest") or {}
    except (httpx.HTTPError, ValueError, AttributeError):
        return None
    if not isinstance(closest, dict) or not closest.get("available") or not closest.get("url"):
        return None
    return str(closest["url"]), str(closest.get("timestamp", ""))
