"""Reading `content/data/*.yaml` into the cost core's tables, with positioned errors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from citeguide.costcore.tables import ROW_ID, TABLE_MODELS, Row, Tables
from citeguide.diagnostics import Diagnostics, SourcePos
from citeguide.safeio import UnsafeFile, read_bytes
from citeguide.yamlsource import YamlDoc, YamlError, load_yaml

DATA_DIR = Path("content") / "data"


def table_files(root: Path) -> list[Path]:
    folder = root / DATA_DIR
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def _rows(rel: str, doc: YamlDoc, model: type[Row], diags: Diagnostics) -> dict[str, Any]:
    def at(*loc: str | int, key: bool = False) -> SourcePos:
        line, col = doc.position(loc, key=key)
        return SourcePos(rel, line + 1, col + 1)

    if doc.data is None:
        return {}
    if not isinstance(doc.data, dict):
        diags.error(at(), "a table maps row ids to rows", "table-syntax")
        return {}
    rows: dict[str, Any] = {}
    for row_id, data in doc.data.items():
        if not isinstance(row_id, str) or not re.match(ROW_ID, row_id):
            diags.error(
                at(str(row_id), key=True),
                f"row id {row_id!r} must be lower-case letters, digits, dots and hyphens",
                "table-row-id",
            )
            continue
        try:
            rows[row_id] = model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                loc = (row_id, *err["loc"])
                field = ".".join(str(p) for p in err["loc"])
                if err["type"] == "extra_forbidden":
                    diags.error(
                        at(*loc, key=True),
                        f"{row_id}: unknown field {field!r}",
                        "table-unknown-field",
                    )
                elif err["type"] == "missing":
                    diags.error(
                        at(row_id, key=True),
                        f"{row_id}: missing field {field!r}",
                        "table-missing-field",
                    )
                else:
                    message = err["msg"].removeprefix("Value error, ")
                    diags.error(at(*loc), f"{row_id}.{field}: {message}", "table-invalid")
    return rows


def load_tables(root: Path, diags: Diagnostics) -> Tables:
    """Every table under `content/data/`; problems are added to `diags` with positions."""
    tables = Tables()
    docs: dict[str, tuple[str, YamlDoc]] = {}
    for file in table_files(root):
        rel = file.relative_to(root).as_posix()
        model = TABLE_MODELS.get(file.stem)
        if model is None:
            known = ", ".join(f"{name}.yaml" for name in TABLE_MODELS)
            diags.error(
                SourcePos(rel, 1, 1),
                f"unknown table {file.name!r}; tables are {known}",
                "table-unknown",
            )
            continue
        try:
            doc = load_yaml(read_bytes(root, file).decode("utf-8"))
        except UnsafeFile as exc:
            diags.error(SourcePos(rel, 1, 1), exc.message, exc.rule)
            continue
        except YamlError as exc:
            diags.error(SourcePos(rel, exc.line + 1, exc.col + 1), exc.message, "table-syntax")
            continue
        except UnicodeDecodeError:
            diags.error(SourcePos(rel, 1, 1), "file is not UTF-8 text", "encoding")
            continue
        docs[file.stem] = (rel, doc)
        rows = _rows(rel, doc, model, diags)
        tables.table(file.stem).update(rows)
        for row_id in rows:
            tables.origins[(file.stem, row_id)] = (rel, doc.position((row_id,), key=True)[0] + 1)
    for table, row_id, field, ref in tables.references():
        if ref not in tables.hardware:
            rel, doc = docs[table]
            line, col = doc.position((row_id, field))
            diags.error(
                SourcePos(rel, line + 1, col + 1),
                f"{row_id}.{field}: no row {ref!r} in hardware.yaml",
                "table-reference",
            )
    return tables
