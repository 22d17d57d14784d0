"""Positioned problems and the one format every command prints them in."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class SourcePos:
    """A place in an input file: PATH relative to the site root, LINE and COL 1-based."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


def github_command(command: str, properties: dict[str, str], message: str) -> str:
    """One GitHub Actions workflow command (`::error file=...,line=...::message`).

    Escaped as the runner unescapes them (actions/toolkit `packages/core/src/command.ts`):
    in the message `%`, CR and LF; in property values also `:` and `,`, which would
    otherwise end the value. A guide named `x,line=1::forged.md` or a message with a
    line break can then never start a second annotation.
    """
    props = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
    return f"::{command} {props}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True, order=True)
class Diagnostic:
    pos: SourcePos
    severity: Severity
    message: str
    rule: str

    def format(self) -> str:
        # One line each, whatever a library's message holds (PyYAML's span lines).
        message = " ".join(self.message.split())
        return f"{self.pos}: {self.severity.value}: {message} [{self.rule}]"

    def as_github(self) -> str:
        level = "error" if self.severity is Severity.ERROR else "warning"
        properties = {
            "file": self.pos.path,
            "line": str(self.pos.line),
            "col": str(self.pos.col),
            "title": self.rule,
        }
        return github_command(level, properties, self.message)

    def as_dict(self) -> dict[str, str | int]:
        return {
            "path": self.pos.path,
            "line": self.pos.line,
            "col": self.pos.col,
            "severity": self.severity.value,
            "message": self.message,
            "rule": self.rule,
        }


@dataclass
class Diagnostics:
    """Collects problems so a command can report all of them before it exits."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, pos: SourcePos, message: str, rule: str) -> None:
        self.items.append(Diagnostic(pos, Severity.ERROR, message, rule))

    def warning(self, pos: SourcePos, message: str, rule: str) -> None:
        self.items.append(Diagnostic(pos, Severity.WARNING, message, rule))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def has_errors(self, *, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        """Each problem once: the site's settings, tables, models and templates first,
        then everything else, each file's by position. A broken table or model comes
        before the markers that cannot use it, so the cause is read first."""
        return sorted(set(self.items), key=lambda d: (_rank(d.pos.path), d))

    def render(self, fmt: str = "text") -> str:
        """All problems, sorted by position, in the requested format."""
        items = self.sorted()
        if fmt == "json":
            return json.dumps([d.as_dict() for d in items], indent=2)
        if fmt == "github":
            return "\n".join(d.as_github() for d in items)
        return "\n".join(d.format() for d in items)

    def summary(self) -> str:
        e, w = len(self.errors), len(self.warnings)
        return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}"


Row = list[str | int]
"""A diagnostic as JSON: [path, line, col, severity, message, rule] (`as_rows`)."""


_FIRST = ("citeguide.toml", "content/data/", "content/models/", "<pack", "templates/")
"""What other files' problems follow from, in the order they are read."""


def _rank(path: str) -> int:
    """Where a file's problems come in the report (`_FIRST`, then the rest)."""
    return next((i for i, start in enumerate(_FIRST) if path.startswith(start)), len(_FIRST))


def as_rows(items: Iterable[Diagnostic]) -> list[Row]:
    """Diagnostics as plain lists, for the records a build leaves for the next command."""
    return [[d.pos.path, d.pos.line, d.pos.col, d.severity.value, d.message, d.rule]
            for d in items]  # fmt: skip


def from_rows(rows: object) -> Diagnostics:
    """The diagnostics `as_rows` wrote. Raises ValueError, TypeError or KeyError when
    `rows` has another shape (a record from another version, or forged)."""
    if not isinstance(rows, list):
        raise TypeError("diagnostics: not a list")
    items = []
    for path, line, col, severity, message, rule in rows:
        pos = SourcePos(str(path), int(line), int(col))
        items.append(Diagnostic(pos, Severity(severity), str(message), str(rule)))
    return Diagnostics(items)


class ConfigError(Exception):
    """A usage or configuration problem: the command cannot start (exit code 2)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics
