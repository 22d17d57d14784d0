"""Reading `citeguide.toml`: every fault (unsafe file, not UTF-8, bad TOML, a setting
`SiteConfig` refuses, a theme file missing) reported at the line of its key."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from citeguide.config import SiteConfig, ThemeConfig
from citeguide.diagnostics import ConfigError, Diagnostic, Severity, SourcePos
from citeguide.resources import template_dirs
from citeguide.safeio import DEFAULT_MAX_BYTES, UnsafeFile, read_bytes, set_max_bytes

CONFIG_FILE = "citeguide.toml"

_KEY_PART = re.compile(r"\s*(\"[^\"]*\"|'[^']*'|[^.\s]+)\s*(?:\.|$)")


def _dotted(text: str) -> tuple[str, ...]:
    """`linkcheck.hosts."example.org"` → ("linkcheck", "hosts", "example.org")."""
    return tuple(m.group(1).strip("\"'") for m in _KEY_PART.finditer(text.strip()))


def _key_line(text: str, loc: tuple[int | str, ...]) -> tuple[int, int]:
    """1-based (line, col) of the dotted key `loc` in TOML text; (1, 1) when not found."""
    table: tuple[str, ...] = ()
    target = tuple(str(p) for p in loc)
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        header = re.match(r"^\[+\s*([^\]]+?)\s*\]+", stripped)
        if header:
            table = _dotted(header.group(1))
            if table == target:
                return number, line.index("[") + 1
            continue
        key = re.match(r"^\s*((?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_\-.])+?)\s*=", line)
        if key:
            full = table + _dotted(key.group(1))
            if full == target[: len(full)]:
                return number, key.start(1) + 1
    return 1, 1


def load_config(root: Path) -> SiteConfig:
    """Read `citeguide.toml` under `root` (defaults when absent); ConfigError lists all faults."""
    path = root / CONFIG_FILE
    if not path.exists() and not path.is_symlink():
        set_max_bytes(DEFAULT_MAX_BYTES)
        return SiteConfig()
    try:
        data_bytes = read_bytes(root, path, DEFAULT_MAX_BYTES)
        text = data_bytes.decode("utf-8")
    except UnsafeFile as exc:
        raise ConfigError(
            [Diagnostic(SourcePos(CONFIG_FILE, 1, 1), Severity.ERROR, exc.message, exc.rule)]
        ) from None
    except UnicodeDecodeError as exc:
        line = data_bytes.count(b"\n", 0, exc.start) + 1
        col = exc.start - data_bytes.rfind(b"\n", 0, exc.start)
        raise ConfigError(
            [
                Diagnostic(
                    SourcePos(CONFIG_FILE, line, col),
                    Severity.ERROR,
                    "file is not UTF-8 text; save it with UTF-8 encoding",
                    "encoding",
                )
            ]
        ) from None
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
        config = SiteConfig.model_validate(data)
        set_max_bytes(config.max_file_bytes)
        _theme_files(root, config.theme, text)
        return config
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


def _theme_files(root: Path, theme: ThemeConfig, text: str) -> None:
    """Raise ConfigError for a `logo` or `extra_css` file that no theme folder holds."""
    wanted: list[tuple[tuple[str | int, ...], str]] = []
    if theme.logo:
        wanted.append((("theme", "logo"), theme.logo))
    wanted += [(("theme", "extra_css", i), name) for i, name in enumerate(theme.extra_css)]
    problems = []
    for loc, name in wanted:
        if not any((folder / "assets" / name).is_file() for folder in template_dirs(root)):
            line, col = _key_line(text, loc[:2])
            problems.append(
                Diagnostic(
                    SourcePos(CONFIG_FILE, line, col),
                    Severity.ERROR,
                    f"{'.'.join(str(p) for p in loc)}: no file templates/assets/{name}; "
                    "put it there, or fix the name",
                    "config-invalid",
                )
            )
    if problems:
        raise ConfigError(problems)
