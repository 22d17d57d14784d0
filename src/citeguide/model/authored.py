"""What authors write: the front matter of a guide."""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BeforeValidator, Field, StrictBool

from citeguide.costcore.table_schema import IsoDate
from citeguide.model.common import SLUG_PATTERN, Line, _Authored
from citeguide.untrusted import url_problem


def _version_text(value: Any) -> Any:
    # `version: 2` is an int to YAML; an update log label is text either way.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class UpdateEntry(_Authored):
    version: Annotated[str, BeforeValidator(_version_text), Field(min_length=1)]
    """Label of this revision, such as `v2`."""
    date: IsoDate
    """Day the revision was published."""
    note: Line = Field(min_length=1)
    """What changed, in one sentence."""


def _author_entry(value: Any) -> Any:
    # `authors: [Ada Lovelace]` is the short form of `[{name: Ada Lovelace}]`.
    return {"name": value} if isinstance(value, str) else value


def _web_url(value: str) -> str:
    problem = url_problem(value)
    if problem is not None and problem.kind == "scheme":
        raise ValueError("must be an http:// or https:// URL")
    if problem is not None:
        raise ValueError(f"the URL {problem.message}; {problem.hint}")
    return value


WebUrl = Annotated[str, AfterValidator(_web_url)]


_ALIAS = re.compile(r"^/?([a-z0-9._~-]+/)*[a-z0-9._~-]+/?$", re.IGNORECASE)


def _alias(value: str) -> str:
    """`/old-slug/` or `old/path` → `old-slug/`, `old/path/`: a folder of the site."""
    if not _ALIAS.match(value) or any(p in (".", "..") for p in value.strip("/").split("/")):
        raise ValueError(
            f"{value!r} is not a path of this site; write it as /old-slug/ (letters, digits, "
            "hyphens, dots and slashes)"
        )
    path = value.strip("/")
    return path if path.lower().endswith(".html") else path + "/"


class Author(_Authored):
    """A person credited with a guide."""

    name: Line = Field(min_length=1, max_length=120)
    """The name as it should be shown."""
    url: WebUrl | None = None
    """A page about the person (http or https), linked from the byline and feeds."""


class GuideMeta(_Authored):
    """The front matter of a guide (published in the twin, `CiteTwin`)."""

    unpublished: ClassVar[frozenset[str]] = frozenset({"draft"})

    title: Line = Field(min_length=1, max_length=200)
    """Page title."""
    summary: Line = Field(min_length=1, max_length=900)
    """One-paragraph answer, shown on the index, in llms.txt and as meta description; at
    most 300 characters as shown. It may hold `[calc:]` markers: the answer, computed."""
    published: IsoDate
    """Day of first publication."""
    slug: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=100)
    """URL path segment; defaults to the file name without `.md`."""
    tags: list[Annotated[str, Field(min_length=1, pattern=SLUG_PATTERN)]] = []
    """Taxonomy, lower-case words joined by hyphens (`local-models`)."""
    entities: list[Annotated[Line, Field(min_length=1)]] = []
    """Things the guide is about (Llama, vLLM, ...)."""
    updates: list[UpdateEntry] = []
    """The update log; the newest entry defines the guide's `updated` date."""
    draft: StrictBool = False
    """Drafts are built by `serve` and skipped by `build` (`true` or `false`, not "yes")."""
    authors: list[Annotated[Author, BeforeValidator(_author_entry)]] = []
    """Who wrote the guide: names, or `{name, url}` mappings; shown in the byline, the
    JSON-LD, both twins and the feed."""
    aliases: list[Annotated[str, AfterValidator(_alias)]] = []
    """Old paths of the guide (`/old-slug/`, or a file such as `/old/page.html`), each
    published as a redirect page to the guide; left out of the sitemap."""
