"""Link-check reports: a summary for people, JSON lines, Markdown, GitHub annotations."""

from __future__ import annotations

import json

from citeguide.diagnostics import github_command
from citeguide.linkcheck.collect import Target
from citeguide.linkcheck.state import LinkRecord

ORDER = ("dead", "soft-404", "failing", "error", "timeout", "blocked", "moved", "ok", "unchecked")
_SEVERITY = {"dead": "error", "soft-404": "error"}
_WHY = {
    "dead": "the page is gone",
    "failing": "answered gone, not yet confirmed",
    "soft-404": "the page answers 200 but says it was not found",
    "error": "the request failed",
    "timeout": "no answer in time",
    "blocked": "the site refuses automated checks: unverified, not dead",
    "moved": "permanently redirected",
    "ok": "fine",
}

Row = tuple[Target, LinkRecord]


def _answer(rec: LinkRecord) -> str:
    parts = [str(rec.http_status)] if rec.http_status else []
    if rec.error:
        parts.append(rec.error)
    if rec.final_url:
        parts.append(f"→ {rec.final_url}")
    if rec.archive_url:
        parts.append(f"archived: {rec.archive_url}")
    return ", ".join(parts)


def _grouped(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    groups = [(s, [r for r in rows if r[1].status == s]) for s in ORDER]
    return [(s, group) for s, group in groups if group]


def text(rows: list[Row]) -> str:
    counts = ", ".join(f"{len(group)} {status}" for status, group in _grouped(rows))
    lines = [f"{len(rows)} URLs: {counts}"]
    for status, group in _grouped(rows):
        if status == "ok":
            continue
        lines.append(f"\n{status} ({len(group)}): {_WHY[status]}")
        for target, rec in group:
            lines.append(f"  {target.url} ({_answer(rec)})")
            lines += [f"    {use.path}:{use.line}" for use in target.uses]
    return "\n".join(lines)


def _json_row(target: Target, rec: LinkRecord | None, why: str | None = None) -> str:
    first = target.uses[0] if target.uses else None
    return json.dumps(
        {
            "url": target.url,
            "status": rec.status if rec else "unchecked",
            "http_status": rec.http_status if rec else None,
            "final_url": rec.final_url if rec else None,
            "checked_at": rec.last_checked if rec else None,
            "path": first.path if first else None,
            "line": first.line if first else None,
            "uses": [{"path": u.path, "line": u.line} for u in target.uses],
            "error": rec.error if rec else why,
            "redirects": [h.model_dump() for h in rec.redirects] if rec else [],
            "archive_url": rec.archive_url if rec else None,
            "consecutive_failures": rec.consecutive_failures if rec else 0,
            "dead_checks": rec.dead_checks if rec else 0,
            "title": rec.title if rec else None,
            "quotes": rec.quotes if rec else {},
        },
        ensure_ascii=False,
    )


def json_lines(rows: list[Row]) -> str:
    """One JSON object per URL, one per line."""
    return "\n".join(_json_row(target, rec) for target, rec in rows)


def unchecked_json(targets: list[Target], why: str) -> str:
    """One JSON object per URL for a run that checked nothing: `status` is `unchecked`
    and `error` says why (`network-unreachable`), so `--format json` always prints JSON."""
    return "\n".join(_json_row(target, None, why) for target in targets)


def markdown(rows: list[Row]) -> str:
    counts = " · ".join(f"{len(group)} {status}" for status, group in _grouped(rows))
    lines = ["# Link check", "", f"{len(rows)} cited URLs: {counts}"]
    for status, group in _grouped(rows):
        if status == "ok":
            continue
        lines += ["", f"## {status} ({len(group)})", "", f"_{_WHY[status]}_", ""]
        lines += ["| URL | answer | cited at |", "|---|---|---|"]
        for target, rec in group:
            uses = "<br>".join(f"`{u.path}:{u.line}`" for u in target.uses)
            # URLs passed the link rule (no `<`, `>`, spaces); a `|` would end the cell.
            url, answer = (x.replace("|", "\\|") for x in (target.url, _answer(rec) or "-"))
            lines.append(f"| <{url}> | {answer} | {uses} |")
    return "\n".join(lines)


def github(rows: list[Row]) -> str:
    """Workflow-command annotations, one per use of every URL that is not ok."""
    out = []
    for target, rec in rows:
        if rec.status in ("ok", "unchecked"):
            continue
        level = _SEVERITY.get(rec.status, "warning")
        message = f"{target.url}: {rec.status} ({_answer(rec) or _WHY[rec.status]})"
        for use in target.uses:
            where = {"file": use.path, "line": str(use.line), "title": f"link {rec.status}"}
            out.append(github_command(level, where, message))
    return "\n".join(out)


FORMATS = {"text": text, "json": json_lines, "markdown": markdown, "github": github}
