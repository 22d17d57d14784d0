"""The vocabulary every model shares: ids, confidences, one-line text, and the base
classes of what authors write and what citeguide publishes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from citeguide.untrusted import control_character

Date = date
"""`date` under a name that fields called `date` do not shadow."""
SCHEMA_VERSION: Literal["2.1"] = "2.1"
SOURCE_ID = r"^s-[0-9a-f]{12}$"
CLAIM_ID = r"^c-[0-9a-f]{12}$"
CALC_ID = r"^k-[0-9a-f]{12}$"


def _string_format(name: str) -> Callable[[JsonDict], None]:
    """`json_schema_extra` that puts `format` on the string type itself, also inside the
    `anyOf` of an optional field: beside `anyOf` it would apply to no type, which ajv's
    strict mode rejects (and other validators may ignore)."""

    def put(schema: JsonDict) -> None:
        branches = schema.get("anyOf", [schema])
        assert isinstance(branches, list)
        for branch in branches:
            if isinstance(branch, dict) and branch.get("type") == "string":
                branch["format"] = name

    return put


URI = _string_format("uri")
URI_REFERENCE = _string_format("uri-reference")
"""Site URLs are absolute only when `base_url` is; with the default `/` they are paths."""
Confidence = Literal["high", "medium", "low"]
LinkStatusName = Literal[
    "ok", "moved", "failing", "dead", "soft-404", "blocked", "timeout", "error", "unchecked"
]
SourceRole = Literal["citation", "input"]
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Paths the site itself uses at its top level; a guide's slug or alias may not take them.
RESERVED_SLUGS = frozenset(
    {"tags", "schemas", "assets", "pagefind", "search", "404", "about-evidence"}
)


def _one_line(value: str) -> str:
    """Control characters are refused; line breaks fold into spaces.

    A title or summary ends up in headings of llms.txt and the Markdown twin, in XML
    feeds and HTML attributes: a NUL breaks the feed, a newline injects Markdown.
    """
    bad = control_character(value)
    if bad:
        raise ValueError(f"contains the control character U+{ord(bad):04X}; remove it")
    return " ".join(value.split())


Line = Annotated[str, AfterValidator(_one_line)]


class _Authored(BaseModel):
    """Base for what authors write: unknown keys are errors, docstrings document fields
    (`docstrings.py` reads them)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class _Compact(BaseModel):
    """Base for the twin's expression trees and tables: a field at its default is left out
    when written (the trees are deep), so the schema does not require it."""

    model_config = ConfigDict(extra="forbid")


class _Published(BaseModel):
    """Base for what citeguide publishes: documented fields, no extra keys."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class Generator(_Published):
    name: Literal["citeguide"] = "citeguide"
    """Program that wrote this file."""
    version: str
    """Its version."""
    url: str = Field(default="https://pypi.org/project/citeguide/", json_schema_extra=URI)
    """Where to learn about it."""


class _PublishedFile(_Published):
    """What every JSON file citeguide publishes starts with: its schema, its format
    version, the program that wrote it."""

    model_config = ConfigDict(
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"}
    )

    schema_url: str = Field(alias="$schema", json_schema_extra=URI_REFERENCE)
    """URL of the JSON Schema this file follows (on the site, under `schemas/`)."""
    schema_version: Literal["2.1"] = SCHEMA_VERSION
    """Version of this format; a breaking change bumps the major number."""
    generator: Generator
    """Program and version that produced the file."""
