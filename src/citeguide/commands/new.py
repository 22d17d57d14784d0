"""`citeguide new "Title"`: scaffold a guide that builds and lints cleanly."""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from datetime import date
from pathlib import Path

from citeguide.content.discover import GUIDES_DIR
from citeguide.content.parse import RESERVED_SLUGS

TEMPLATE = """\
---
title: {title}
summary: "One paragraph that answers the title's question; the index and llms.txt show it."
published: {today}
tags: []
entities: []
updates:
  - version: v1
    date: {today}
    note: First draft.
---

Open with the short answer, then let each question below carry the detail.

## What is the question a reader brings?

State one fact per sentence and cite it in the same sentence, before the full stop; \
quote the words you rely on after `#:~:text=` so `citeguide check` can tell you when the \
page stops saying them \
[cite: https://example.org/replace-with-your-source#:~:text=the%20words%20you%20rely%20on \
· {today} · medium].

## What does it cost?

Let the cost core compute every number: 10 million tokens a month at $1 per million \
input and $5 per million output tokens cost \
[calc: api_cost tokens=10M input_price=1 output_price=5] at a 75% input share.

## What should the reader do?

Give the recommendation and the conditions under which it changes.
"""


def slugify(title: str) -> str:
    """`"Self-hosted LLMs: when?"` → `self-hosted-llms-when`."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:60].rstrip("-")


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


MAX_TITLE = 200
"""The longest title front matter accepts: a longer one would scaffold a guide that fails."""


def _fail(message: str) -> int:
    print(f"citeguide new: error: {message}", file=sys.stderr)
    return 2


def run_new(root: Path, title: str, *, today: date | None = None) -> int:
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in title):
        return _fail("the title contains control characters; remove them")
    title = " ".join(title.split())
    if len(title) > MAX_TITLE:
        return _fail(f"the title has {len(title)} characters; keep it to {MAX_TITLE}")
    slug = slugify(title)
    if not slug:
        return _fail(f"{title!r} gives no usable slug; use letters or digits")
    if slug in RESERVED_SLUGS:
        slug = f"{slug}-guide"
    path = root / GUIDES_DIR / f"{slug}.md"
    if path.exists() or path.is_symlink():
        return _fail(f"{path.relative_to(root)} already exists; not overwriting")
    day = (today or date.today()).isoformat()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = TEMPLATE.format(title=_yaml_string(title), today=day)
    try:
        # O_EXCL with O_NOFOLLOW: a symlink planted at the path (dangling or not) is never
        # written through, even if it appears after the check above.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        return _fail(f"cannot create {path.relative_to(root)}: {exc.strerror}")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"created {path.relative_to(root)}: edit it, then run `citeguide serve` to preview")
    return 0
