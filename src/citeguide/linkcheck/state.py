"""The committed link-state file: what each cited URL answered, and when.

Like a lock file it lives in the site root and is committed, so `build` stays offline and
deterministic while the published twin can still say when each source was last checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from citeguide.linkcheck.classify import Status, one_line, page_title
from citeguide.safeio import UnsafeFile, read_bytes, write_file
from citeguide.text.urls import web_url

if TYPE_CHECKING:
    from citeguide.linkcheck.checker import CheckResult

STATE_FILE = "citeguide-links.json"
FAILING = frozenset({"failing", "dead", "soft-404", "timeout", "error"})


@dataclass(frozen=True)
class DeathPolicy:
    """When a source that answers "gone" is declared dead (InternetArchiveBot's practice:
    several failed passes, reset by any success)."""

    dead_after: int = 3
    spacing_hours: float = 20.0


def _web_url(value: str | None) -> str | None:
    # These URLs become hrefs on pages: a hand-edited `javascript:` must never get there.
    if value is not None and not web_url(value):
        raise ValueError(f"not an http(s) URL: {value[:200]!r}")
    return value


WebUrl = Annotated[str, AfterValidator(_web_url)]
OptionalWebUrl = Annotated[str | None, AfterValidator(_web_url)]
CLOCK_SKEW = timedelta(days=1)
"""How far past this machine's clock a recorded time may be (another machine's clock)."""


def _checked_time(value: str | None) -> str | None:
    # A time in the future would keep a URL "fresh" for `--max-age` forever.
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not a date and time (YYYY-MM-DDThh:mm:ssZ): {value[:40]!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if when > datetime.now(UTC) + CLOCK_SKEW:
        raise ValueError(f"{value[:40]!r} is in the future; check this machine's clock")
    return value


def _one_line_title(value: str | None) -> str | None:
    # Titles become text on pages, in twins and in llms.txt: a hand-edited newline must
    # not start a footnote there.
    return (one_line(value) or None) if value is not None else None


def _printable(value: str) -> str:
    return "".join(c for c in value if c.isprintable())


CheckedTime = Annotated[str, AfterValidator(_checked_time)]
OptionalCheckedTime = Annotated[str | None, AfterValidator(_checked_time)]
HttpStatus = Annotated[int, Field(ge=100, le=999)]
Count = Annotated[int, Field(ge=0, le=1_000_000_000)]


class Hop(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: HttpStatus
    url: WebUrl


class LinkRecord(BaseModel):
    """The latest check of one URL (keyed by its normalised form)."""

    model_config = ConfigDict(extra="forbid")

    url: WebUrl
    status: Status
    http_status: HttpStatus | None = None
    final_url: OptionalWebUrl = None
    redirects: list[Hop] = []
    error: Annotated[str | None, Field(max_length=100)] = None
    first_checked: CheckedTime
    last_checked: CheckedTime
    consecutive_failures: Count = 0
    archive_url: OptionalWebUrl = None
    archive_timestamp: str | None = None
    dead_checks: Count = 0
    """Consecutive checks, at least `dead_spacing_hours` apart, that found the source gone
    (404, 410, no such host); reset by any other answer."""
    last_dead_at: OptionalCheckedTime = None
    """When the latest counted dead finding was made."""
    title: Annotated[str | None, AfterValidator(_one_line_title)] = None
    """The page's `og:title` or `<title>`, from the last answer that had one: one line,
    no control characters, at most 300 characters."""
    quotes: dict[Annotated[str, AfterValidator(_printable)], Literal["found", "missing"]] = Field(
        default_factory=dict
    )
    """Text directive → whether the live page held it at the last check."""


class LinkState(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Annotated[int, Field(ge=1, le=1000)] = 1
    links: dict[str, LinkRecord] = Field(default_factory=dict)


class StateError(Exception):
    """The state file exists but cannot be read: message and 1-based line, column."""

    def __init__(self, message: str, line: int = 1, col: int = 1, rule: str = "link-state") -> None:
        super().__init__(message)
        self.message, self.line, self.col, self.rule = message, line, col, rule


def load_state(root: Path) -> LinkState:
    path = root / STATE_FILE
    if not path.exists() and not path.is_symlink():
        return LinkState()
    try:
        text = read_bytes(root, path).decode("utf-8")
    except UnsafeFile as exc:
        raise StateError(exc.message, rule=exc.rule) from None
    except UnicodeDecodeError as exc:
        raise StateError(f"cannot read the link-state file: {exc}") from None
    try:
        data = json.loads(text, parse_int=_bounded_int)
    except _HugeNumber as huge:
        line, col = _line_col(text, max(text.find(huge.digits), 0))
        raise StateError(f"a number of {huge.length:,} digits (at most 18)", line, col) from None
    except json.JSONDecodeError as bad:
        raise StateError(f"invalid JSON: {bad.msg}", bad.lineno, bad.colno) from None
    except RecursionError:
        raise StateError("invalid JSON: nested too deeply") from None
    try:
        return LinkState.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        line, col = _position(text, first["loc"], first.get("input"))
        message = str(first["msg"]).removeprefix("Value error, ")
        raise StateError(f"{where}: {message}", line, col) from None


class _HugeNumber(ValueError):
    def __init__(self, digits: str) -> None:
        super().__init__(digits[:40])
        self.digits, self.length = digits[:40], len(digits)


def _bounded_int(digits: str) -> int:
    # Python refuses to convert more than 4,300 digits with a ValueError json does not
    # turn into a JSONDecodeError; no number in this file needs more than a few.
    if len(digits) > 18:
        raise _HugeNumber(digits)
    return int(digits)


def _position(text: str, loc: tuple[int | str, ...], value: object) -> tuple[int, int]:
    """1-based line and column of the value at `loc` in `text`: each key found after the
    one before it, then the value itself when it is a string (1, 1 when not found)."""
    at = 0
    for part in [*(p for p in loc if isinstance(p, str)), value]:
        if not isinstance(part, str):
            continue
        found = text.find(json.dumps(part, ensure_ascii=False), at)
        if found >= 0:
            at = found
    return _line_col(text, at)


def _line_col(text: str, at: int) -> tuple[int, int]:
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


def save_state(root: Path, state: LinkState) -> None:
    """Write sorted, indented JSON atomically (a crash never leaves half a file).

    pydantic-core's serializer writes the bytes of `json.dumps(..., indent=2,
    ensure_ascii=False)` (tests/linkcheck compare them) in a seventh of the time: 2 ms
    rather than 14 for a thousand links, in every check."""
    path = root / STATE_FILE
    ordered = state.model_copy(update={"links": dict(sorted(state.links.items()))})
    text = ordered.model_dump_json(indent=2) + "\n"
    # A fresh unguessable name, then a rename: never through a planted symlink.
    write_file(root, path, text.encode("utf-8"))


def record(
    state: LinkState,
    result: CheckResult,
    checked_at: datetime,
    policy: DeathPolicy = DeathPolicy(),
) -> LinkRecord:
    """Fold one check result into the state and return the new record.

    A dead answer (404, 410, no such host) counts towards `dead` only when it comes at least
    `spacing_hours` after the last counted one; until `dead_after` have been counted the
    source is `failing`. Any other answer resets the count; network failures, timeouts and
    errors neither count nor reset it.
    """
    stamp = checked_at.isoformat(timespec="seconds").replace("+00:00", "Z")
    previous = state.links.get(result.target.key)
    status = result.status
    dead_checks, last_dead = 0, None
    if status == "dead":
        dead_checks = previous.dead_checks if previous else 0
        last_dead = previous.last_dead_at if previous else None
        if dead_checks == 0 or _hours_since(last_dead, checked_at) >= policy.spacing_hours:
            dead_checks, last_dead = dead_checks + 1, stamp
        status = "dead" if dead_checks >= policy.dead_after else "failing"
    elif status in ("timeout", "error") and previous is not None:
        dead_checks, last_dead = previous.dead_checks, previous.last_dead_at
    failing = status in FAILING
    outcome = result.outcome
    new = LinkRecord(
        url=result.target.url,
        status=status,
        http_status=outcome.http_status,
        final_url=outcome.final_url,
        redirects=[Hop(status=s, url=u) for s, u in outcome.chain],
        error=outcome.error,
        first_checked=previous.first_checked if previous else stamp,
        last_checked=stamp,
        consecutive_failures=(previous.consecutive_failures + 1 if previous else 1)
        if failing
        else 0,
        # An archived copy stays useful: for a failing source, and as the copy of a live
        # source that `check --archive` asked for.
        archive_url=previous.archive_url if previous else None,
        archive_timestamp=previous.archive_timestamp if previous else None,
        dead_checks=dead_checks,
        last_dead_at=last_dead,
        title=_title(result, previous),
        quotes=result.outcome.quotes or (previous.quotes if previous else {}),
    )
    state.links[result.target.key] = new
    return new


def _title(result: CheckResult, previous: LinkRecord | None) -> str | None:
    """A live page's own title; a gone, walled or failing page keeps the last one seen."""
    page = result.outcome.page
    if result.status in ("ok", "moved") and page is not None:
        title = page_title(page)
        if title:
            return title
    return previous.title if previous else None


def _hours_since(stamp: str | None, now: datetime) -> float:
    if stamp is None:
        return float("inf")
    try:
        then = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return float("inf")
    return (now - then).total_seconds() / 3600


def is_fresh(record: LinkRecord | None, now: datetime, max_age_days: float | None) -> bool:
    """True when `record` is recent enough for `--max-age` to skip the URL."""
    if record is None or max_age_days is None:
        return False
    try:
        checked = datetime.fromisoformat(record.last_checked.replace("Z", "+00:00"))
        return (now - checked).total_seconds() < max_age_days * 86400
    except (ValueError, TypeError):
        return False  # a hand-edited time that cannot be read: check again
