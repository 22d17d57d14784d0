"""`citeguide.toml`: the site's settings, every key optional, unknown keys rejected."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from citeguide.diagnostics import ConfigError, Diagnostic, Severity, SourcePos

CONFIG_FILE = "citeguide.toml"


class SiteConfig(BaseModel):
    """Settings of one site root, read from `citeguide.toml`."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)

    title: str = Field(default="citeguide", min_length=1)
    """Site title, shown in the header, the index and feeds."""
    description: str = "Decision guides where every claim is cited and every number computed."
    """One sentence about the site, for the index page and llms.txt."""
    base_url: str = "/"
    """Absolute URL the site is published at (`https://guides.example.org/`); canonical
    URLs and twin URLs are built from it. The default `/` gives root-relative URLs."""
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    """Language of the content (BCP 47), for `<html lang>` and feeds."""

    @field_validator("base_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        if not re.match(r"^(/|https?://[^/\s]+(/\S*)?$)", value):
            raise ValueError("must be an absolute http(s) URL or start with /")
        return value if value.endswith("/") else value + "/"


def _key_line(text: str, loc: tuple[int | str, ...]) -> tuple[int, int]:
    """1-based (line, col) of the dotted key `loc` in TOML text; (1, 1) when not found."""
    table: tuple[str, ...] = ()
    target = tuple(str(p) for p in loc)
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        header = re.match(r"^\[+\s*([^\]]+?)\s*\]+", stripped)
        if header:
            table = tuple(p.strip().strip("\"'") for p in header.group(1).split("."))
            if table == target:
                return number, line.index("[") + 1
            continue
        key = re.match(r"^\s*([A-Za-z0-9_\-\"'.]+?)\s*=", line)
        if key:
            full = table + tuple(p.strip().strip("\"'") for p in key.group(1).split("."))
            if full == target[: len(full)]:
                return number, key.start(1) + 1
    return 1, 1


def load_config(root: Path) -> SiteConfig:
    """Read `citeguide.toml` under `root` (defaults when absent); ConfigError lists all faults."""
    path = root / CONFIG_FILE
    if not path.exists():
        return SiteConfig()
    text = path.read_text(encoding="utf-8")
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(where[1]), int(where[2])) if where else (1, 1)
        message = "invalid TOML: " + re.sub(r"\s*\(at line.*\)", "", str(exc))
        raise ConfigError(
            [
                Diagnostic(
                    SourcePos(CONFIG_FILE, line, col), Severity.ERROR, message, "config-syntax"
                )
            ]
        ) from None
    try:
        return SiteConfig.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            dotted = ".".join(str(p) for p in loc)
            line, col = _key_line(text, loc)
            if err["type"] == "extra_forbidden":
                message, rule = f"unknown key {dotted!r}", "config-unknown-key"
            else:
                message = f"{dotted}: {err['msg'].removeprefix('Value error, ')}"
                rule = "config-invalid"
            problems.append(
                Diagnostic(SourcePos(CONFIG_FILE, line, col), Severity.ERROR, message, rule)
            )
        raise ConfigError(sorted(problems)) from None
