"""`citeguide schema`: the twin's JSON Schema, cite-index.json's, or a data table's."""

from __future__ import annotations

import sys

from citeguide.costcore.table_schema import BUNDLED_MODELS as TABLE_MODELS
from citeguide.costcore.table_schema import table_schema
from citeguide.exitcodes import ExitCode
from citeguide.render.twin import dump_json, index_schema_json, schema_json


def run_schema(table: str | None, index: bool = False) -> int:
    if index:
        sys.stdout.write(index_schema_json())
    elif table is None:
        sys.stdout.write(schema_json())
    elif table in TABLE_MODELS:
        sys.stdout.write(dump_json(table_schema(table)))
    else:
        known = ", ".join(TABLE_MODELS)
        print(f"citeguide schema: error: unknown table {table!r} ({known})", file=sys.stderr)
        return ExitCode.USAGE
    return ExitCode.OK
