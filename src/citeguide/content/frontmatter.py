"""Split a guide into YAML front matter and Markdown body, validate the front matter."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from citeguide.diagnostics import Diagnostics, SourcePos
from citeguide.model import SLUG_PATTERN, GuideMeta
from citeguide.yamlsource import YamlError, load_yaml, quote_hint

_DELIMITER = "---"


@dataclass(frozen=True)
class SplitGuide:
    front_matter: str
    body: str
    body_line: int
    """0-based line of the file where the body starts."""


def split(text: str) -> SplitGuide | None:
    """Separate `---` front matter from the body; None when there is no front matter."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _DELIMITER:
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in (_DELIMITER, "..."):
            return SplitGuide("\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 1)
    return None


# Keys other generators use for what citeguide calls otherwise.
_OTHER_NAMES = {
    "author": "authors",
    "redirect_from": "aliases",
    "redirects": "aliases",
    "date": "published",
    "description": "summary",
    "categories": "tags",
    "keywords": "tags",
    "lastmod": "updates",
    "updated": "updates",
}


def _nearest_key(key: str) -> str:
    """`; did you mean 'authors'?` for a key citeguide does not know, or nothing."""
    known = list(GuideMeta.model_fields)
    guess = _OTHER_NAMES.get(key.lower())
    if guess is None:
        close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.6)
        guess = close[0] if close else None
    return f"; did you mean {guess!r}?" if guess else f"; known keys: {', '.join(known)}"


def _friendly(err: Any) -> str:
    """pydantic's message, in words where it would print a regular expression."""
    if err["type"] == "string_pattern_mismatch" and err["ctx"].get("pattern") == SLUG_PATTERN:
        value = str(err["input"])
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        example = f" (such as {suggestion!r})" if suggestion and suggestion != value else ""
        return (
            f"{value!r} must be lower-case letters and digits, words joined by single "
            f"hyphens{example}"
        )
    return str(err["msg"]).removeprefix("Value error, ")


def parse_meta(path: str, yaml_text: str, diags: Diagnostics, *, today: date) -> GuideMeta | None:
    """Validate front matter; each problem is reported at its key (file lines, 1-based)."""
    first = 2  # the front matter starts on the line after the opening `---`
    try:
        doc = load_yaml(yaml_text)
    except YamlError as exc:
        diags.error(
            SourcePos(path, exc.line + first, exc.col + 1), exc.message, "front-matter-syntax"
        )
        return None
    if not isinstance(doc.data, dict):
        diags.error(
            SourcePos(path, first, 1),
            "front matter must be a mapping of keys to values",
            "front-matter-syntax",
        )
        return None
    try:
        meta = GuideMeta.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = err["loc"]
            dotted = ".".join(str(p) for p in loc)
            if err["type"] == "extra_forbidden":
                line, col = doc.position(loc, key=True)
                message = f"unknown front matter key {dotted!r}"
                if len(loc) == 1:
                    message += _nearest_key(str(loc[0]))
                rule = "front-matter-unknown-key"
            elif err["type"] == "missing":
                # A missing top-level key is reported at the opening `---`.
                line, col = doc.position(loc) if len(loc) > 1 else (-1, 0)
                message = f"front matter is missing required key {dotted!r}"
                rule = "front-matter-missing-key"
            else:
                line, col = doc.position(loc)
                message = f"front matter key {dotted!r}: {_friendly(err)}"
                if err["type"] == "string_type":
                    message += quote_hint(doc.text, line, col)  # a marker read as a list
                rule = "front-matter-invalid"
            diags.error(SourcePos(path, line + first, col + 1), message, rule)
        return None

    def at(*loc: str | int) -> SourcePos:
        line, col = doc.position(loc)
        return SourcePos(path, line + first, col + 1)

    for i, update in enumerate(meta.updates):
        if update.date < meta.published:
            diags.error(
                at("updates", i, "date"),
                f"update {update.version} is dated {update.date}, before published "
                f"({meta.published})",
                "update-before-published",
            )
    for loc, day in [(("published",), meta.published)] + [
        (("updates", i, "date"), u.date) for i, u in enumerate(meta.updates)
    ]:
        if day > today:
            diags.warning(at(*loc), f"date {day} lies in the future", "future-date")
    return meta
