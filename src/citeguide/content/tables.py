"""Reading `content/data/*.yaml` (and the bundled pack's tables) with positioned errors."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from citeguide.costcore.problems import Problem
from citeguide.costcore.table_data import Table, Tables
from citeguide.costcore.table_loading import bundled_table, cross_check, loader_for
from citeguide.costcore.table_schema import BUNDLED_MODELS, iso_date
from citeguide.costcore.units import Named
from citeguide.diagnostics import Diagnostics, SourcePos
from citeguide.resources import pack_dirs
from citeguide.safeio import UnsafeFile, read_bytes
from citeguide.yamlsource import YamlDoc, YamlError, load_yaml

DATA_DIR = Path("content") / "data"
TABLE_STEM = r"^[a-z][a-z0-9_]*$"


def table_files(root: Path) -> list[Path]:
    folder = root / DATA_DIR
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def read_yaml(root: Path, file: Path, rel: str, diags: Diagnostics, rule: str = "table-syntax"
              ) -> YamlDoc | None:  # fmt: skip
    """A YAML file of the site root (or the pack), read safely; None after an error."""
    try:
        text = read_bytes(root, file).decode("utf-8")
    except UnsafeFile as exc:
        diags.error(SourcePos(rel, 1, 1), exc.message, exc.rule)
        return None
    except UnicodeDecodeError:
        diags.error(SourcePos(rel, 1, 1), "file is not UTF-8 text", "encoding")
        return None
    try:
        return load_yaml(text)
    except YamlError as exc:
        diags.error(SourcePos(rel, exc.line + 1, exc.col + 1), exc.message, rule)
        return None


def report(rel: str, doc: YamlDoc, problems: list[Problem], diags: Diagnostics) -> None:
    for problem in problems:
        line, col = doc.position(problem.loc, key=problem.key)
        diags.error(SourcePos(rel, line + 1, col + 1), problem.message, problem.rule)


def load_tables(root: Path, diags: Diagnostics, units: Mapping[str, Named] | None = None,
                today: date | None = None) -> Tables:  # fmt: skip
    """Every table under `content/data/`, then the pack's tables the site does not replace;
    problems are added to `diags` with positions. With `today`, a row of the site's own
    read after today is an error, as a cite marker's date is (`table-future-date`)."""
    tables = Tables()
    docs: dict[str, tuple[str, YamlDoc]] = {}
    sources: list[tuple[Path, Path, str]] = [
        (root, file, file.relative_to(root).as_posix()) for file in table_files(root)
    ]
    for pack in pack_dirs():
        folder = pack / "data"
        for file in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            sources.append((folder, file, f"<pack {pack.name}>/data/{file.name}"))
    for base, file, rel in sources:
        name = file.stem
        if name in tables.tables:
            continue  # the site's own table replaces the pack's
        if not re.match(TABLE_STEM, name):
            message = (
                f"table name {name!r} must be lower-case letters, digits and _ (it is "
                "how formulas name the table)"
            )
            diags.error(SourcePos(rel, 1, 1), message, "table-name")
            continue
        doc = read_yaml(base, file, rel, diags)
        if doc is None:
            tables.unreadable[name] = rel
            continue
        table, problems = loader_for(name)(name, doc.data, units or {})
        report(rel, doc, problems, diags)
        table.file = rel
        tables.tables[name] = table
        docs[name] = (rel, doc)
        offset = ("rows",) if not table.bundled else ()
        for row_id in table.rows:
            tables.origins[(name, row_id)] = (rel, doc.position((*offset, row_id), key=True)[0] + 1)
        declared = doc.data.get("rows") if offset and isinstance(doc.data, dict) else doc.data
        declared = declared if isinstance(declared, dict) else {}  # else an error of its own
        for row_id in declared:
            if isinstance(row_id, str) and row_id not in table.rows:
                tables.broken[(name, row_id)] = rel  # its error is its own, at the row
        if today is not None and base == root:
            _future_dates(table, declared, doc, offset, rel, today, diags)
    for table_name, row_id, field, message in cross_check(tables):
        rel, doc = docs[table_name]
        offset = ("rows",) if not tables.tables[table_name].bundled else ()
        line, col = doc.position((*offset, row_id, field))
        diags.error(SourcePos(rel, line + 1, col + 1), message, "table-reference")
    return tables


def _future_dates(
    table: Table, declared: dict[object, object], doc: YamlDoc, offset: tuple[str, ...],
    rel: str, today: date, diags: Diagnostics,
) -> None:  # fmt: skip
    """A reading dated after today: the day a source was read cannot be tomorrow.
    `declared`: the rows as the file declares them; each is read as written, so a row
    with other errors (an `as_of` in words) is told this one in the same run."""
    for row_id, raw in declared.items():
        if not isinstance(raw, dict):
            continue
        listed = raw.get("sources")
        dated: list[tuple[tuple[str | int, ...], object]] = (
            [((*offset, str(row_id), "sources", i, "date"), s.get("date"))
             for i, s in enumerate(listed) if isinstance(s, dict)]
            if isinstance(listed, list) else [((*offset, str(row_id), "date"), raw.get("date"))]
        )  # fmt: skip
        for loc, written in dated:
            read = _read_day(written)
            if read is None or read <= today:
                continue
            line, col = doc.position(loc)
            diags.error(SourcePos(rel, line + 1, col + 1),
                        f"{table.name}.{row_id}: source read on {read}, which lies in the "
                        "future; use the day the source was read", "table-future-date")  # fmt: skip


def _read_day(written: object) -> date | None:
    """A reading day as the row writes it (`2026-11-30`), or None when it is not one (that
    is an error of its own, told by the row's schema: `iso_date`)."""
    try:
        day: date = iso_date(written)
    except ValueError:
        return None
    return day


def known_shapes(units: Mapping[str, Named] | None = None) -> dict[str, Table]:
    """The bundled tables' columns, known even on a site without their files."""
    return {name: bundled_table(name, None, units or {})[0] for name in BUNDLED_MODELS}
