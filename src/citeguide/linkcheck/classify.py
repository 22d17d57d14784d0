"""From what a server answered to the status vocabulary of docs/checking-sources.md.

ok, moved (permanent redirect, new URL known), dead (404/410, a host that does not
exist), soft-404 (a 200 that says "not found"), blocked (401/403/429/999 or a bot wall:
unverifiable, never dead), timeout, error (TLS, refused, redirect loop, malformed, and every
network-level failure: a temporary DNS failure, no route, a refused connection).

`classify` says what one check found. Whether that makes a source `dead` is decided across
checks by the link state (`state.record`): one dead answer makes it `failing`, and only
`dead_after` consecutive ones, far enough apart, make it `dead`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from citeguide.linkcheck.pages import Page

Status = Literal[
    "ok", "moved", "failing", "dead", "soft-404", "blocked", "timeout", "error", "unchecked"
]
STATUSES: tuple[Status, ...] = (
    "ok",
    "moved",
    "failing",
    "dead",
    "soft-404",
    "blocked",
    "timeout",
    "error",
    "unchecked",
)
PERMANENT = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
BLOCKED_CODES = frozenset({401, 403, 429, 999})
DEAD_CODES = frozenset({404, 410})
NETWORK_ERRORS = frozenset({"dns-temporary", "refused", "network", "unreachable"})
"""Failures of the network path, not answers from the site: never evidence of death."""
NO_ANSWER = frozenset({"dns-temporary", "unreachable"})
"""Failures that leave no server, and no resolver, having answered anything: when every
URL of a run fails so, the machine is offline (`check` exits 4)."""
RETRY_CODES = frozenset({408, 429, 500, 502, 503, 504})

_SOFT_404 = re.compile(
    r"\b(404|not found|page (?:does not|doesn't|cannot be|could not be) (?:exist|found)|"
    r"no longer (?:exists|available)|page (?:is )?missing)\b",
    re.IGNORECASE,
)
_BOT_WALL = re.compile(
    rb"(just a moment\.\.\.|attention required! \| cloudflare|cf-browser-verification|"
    rb"captcha|are you a robot|access denied|ddos protection by|please enable cookies)",
    re.IGNORECASE,
)


@dataclass
class Outcome:
    """What one check observed, before classification."""

    http_status: int | None = None
    final_url: str | None = None
    chain: list[tuple[int, str]] = field(default_factory=list)
    """Every redirect hop: (status, Location it pointed to)."""
    error: str | None = None
    """`timeout`, `refused`, `tls`, `dns`, `loop`, `too-many-redirects`, `malformed`, ..."""
    detail: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    """The first bytes of the body, when it was read."""
    page: Page | None = None
    """What the page says about itself (title, heading, quotes), for a 2xx HTML body."""
    accepted: frozenset[int] = frozenset()
    """Extra status codes the site's configuration accepts as fine for this host."""
    quotes: dict[str, Literal["found", "missing"]] = field(default_factory=dict)
    """Text directive → whether the page holds that quote (live HTML pages only)."""


def one_line(text: str, limit: int = 300) -> str:
    """`text` on one line, whitespace collapsed, without control or format characters
    (newlines, NUL, ESC, bidi overrides), cut to `limit` characters: a stranger's words
    become text on pages, in Markdown twins and in llms.txt."""
    text = " ".join(text.split())
    return "".join(c for c in text if c.isprintable())[:limit]


def page_title(page: Page) -> str | None:
    """The page's `og:title`, else its `<title>`, on one line, at most 300 characters."""
    return one_line(page.og_title or page.title) or None


def is_bot_wall(outcome: Outcome) -> bool:
    if outcome.headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    return bool(_BOT_WALL.search(outcome.body[:65536]))


def is_soft_404(page: Page) -> bool:
    """A page whose title, or main heading, says it does not exist."""
    return any(_SOFT_404.search(text) for text in (page.title, page.heading) if text)


def classify(outcome: Outcome) -> Status:
    """The status word for an outcome."""
    if outcome.error in ("timeout", "page-timeout"):
        return "timeout"
    if outcome.error == "dns":
        return "dead"  # NXDOMAIN: the resolver answered that the name does not exist
    if outcome.error == "deferred":
        return "blocked"  # the host asked for more patience than a run gives
    if outcome.error is not None:
        return "error"
    code = outcome.http_status
    if code is None:
        return "error"
    if code in outcome.accepted:
        return "ok"
    if code in DEAD_CODES:
        return "dead"
    if code in BLOCKED_CODES or (code >= 400 and is_bot_wall(outcome)):
        return "blocked"
    if 200 <= code < 300:
        if is_bot_wall(outcome) and code != 200:
            return "blocked"
        if outcome.page is not None and is_soft_404(outcome.page):
            return "soft-404"
        if outcome.chain and outcome.chain[0][0] in PERMANENT:
            return "moved"
        return "ok"
    return "error"
