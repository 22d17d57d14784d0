"""`citeguide new "Title" [--slug SLUG] [--draft]`: scaffold a guide whose placeholders
build (so `serve` previews it) but fail `lint --strict` until the author replaces them."""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

from citeguide.content.discover import GUIDES_DIR
from citeguide.exitcodes import ExitCode
from citeguide.lint import placeholders
from citeguide.model import RESERVED_SLUGS, SLUG_PATTERN

MAX_SLUG = 60
"""Longest slug `new` derives from a title; it is cut at a word boundary."""


def slugify(title: str, limit: int = MAX_SLUG) -> str:
    """`"Self-hosted LLMs: when?"` → `self-hosted-llms-when`, cut between words."""
    # An apostrophe joins its word ("house's" → "houses", not "house-s").
    joined = re.sub(r"(?<=\w)['’](?=\w)", "", title)
    ascii_title = unicodedata.normalize("NFKD", joined).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rfind("-")
    if cut <= 0:
        return slug[:limit]  # a single word longer than the limit has no boundary
    words = slug[:cut].split("-")
    # A cut slug does not end on a word that leads somewhere ("...-house-and"), nor on
    # an alternative cut short: "...-electric-bike-or-use" (the train) ends at the bike.
    while len(words) > 1 and words[-1] in _DANGLING:
        words.pop()
    for at in range(len(words) - 1, len(words) // 2, -1):
        if words[at] in _ALTERNATIVES:
            del words[at:]
            break
    while len(words) > 1 and words[-1] in _DANGLING:
        words.pop()
    return "-".join(words)


_ALTERNATIVES = frozenset({"or", "vs", "versus"})


_DANGLING = frozenset(
    {"a", "an", "and", "or", "but", "the", "of", "to", "in", "on", "at", "by", "for", "from"}
    | {"with", "as", "vs", "if", "when", "than", "that"}
)


def scaffold_day() -> date:
    """Today, as no clock that checks the guide can see as the future: the earlier of the
    local and the UTC date (CI runs in UTC; the author may be ahead of it, or behind)."""
    return min(date.today(), datetime.now(UTC).date())


def scaffold_text(name: str) -> str:
    """A file of `citeguide.scaffold` (shipped inside the package)."""
    return resources.files("citeguide.scaffold").joinpath(name).read_text(encoding="utf-8")


def yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def create_file(root: Path, rel: str, text: str) -> str | None:
    """Write a new file `rel` under `root`; the reason as text when it cannot be made.

    O_EXCL with O_NOFOLLOW: an existing file is never overwritten, and a symlink planted
    at the path (dangling or not) is never written through, even if it appears late.
    """
    path = root / rel
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except FileExistsError:
        return "already exists"
    except OSError as exc:
        return exc.strerror or str(exc)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return None


MAX_TITLE = 200
"""The longest title front matter accepts: a longer one would scaffold a guide that fails."""


def _fail(message: str) -> int:
    print(f"citeguide new: error: {message}", file=sys.stderr)
    return ExitCode.USAGE


def _slug(title: str, explicit: str | None) -> tuple[str | None, str]:
    """The slug to use, or None and why not."""
    if explicit is not None:
        if not re.match(SLUG_PATTERN, explicit) or len(explicit) > 100:
            suggestion = slugify(explicit, 100)
            hint = f" (such as {suggestion!r})" if suggestion else ""
            return None, (
                f"--slug {explicit!r} is not a slug: use lower-case letters, digits and "
                f"single hyphens{hint}"
            )
        if explicit in RESERVED_SLUGS:
            return None, f"--slug {explicit!r} is reserved for the site's own pages"
        return explicit, ""
    slug = slugify(title)
    if not slug:
        return None, f"{title!r} gives no usable slug; use letters or digits, or give --slug"
    return (f"{slug}-guide" if slug in RESERVED_SLUGS else slug), ""


def run_new(
    root: Path,
    title: str,
    *,
    slug: str | None = None,
    draft: bool = False,
    today: date | None = None,
) -> int:
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in title):
        return _fail("the title contains control characters; remove them")
    title = " ".join(title.split())
    if not title:
        return _fail("the title is empty")
    if len(title) > MAX_TITLE:
        return _fail(f"the title has {len(title)} characters; keep it to {MAX_TITLE}")
    chosen, problem = _slug(title, slug)
    if chosen is None:
        return _fail(problem)
    rel = f"{GUIDES_DIR.as_posix()}/{chosen}.md"
    day = (today or scaffold_day()).isoformat()
    text = scaffold_text("new-guide.md").format(
        title=yaml_string(title),
        today=day,
        draft="draft: true\n" if draft else "",
        summary=placeholders.SUMMARY,
        answer=placeholders.ANSWER,
        claim=placeholders.CLAIM,
        source=placeholders.SOURCE_URL,
        advice=placeholders.ADVICE,
    )
    failure = create_file(root, rel, text)
    if failure == "already exists":
        return _fail(f"{rel} already exists; not overwriting (choose another --slug)")
    if failure is not None:
        return _fail(f"cannot create {rel}: {failure}")
    kind = "draft " if draft else ""
    print(
        f"created {kind}{rel}: replace its placeholders (`citeguide lint --strict` lists "
        "them), and preview it with `citeguide serve`"
    )
    return ExitCode.OK
