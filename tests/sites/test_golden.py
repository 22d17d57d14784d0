"""A small site built and compared file by file with the committed expected output.

Regenerate after an intended change: CITEGUIDE_UPDATE_GOLDEN=1 pytest tests/sites/test_golden.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from citeguide.engine.builder import build_site
from conftest import SITES, TODAY

GOLDEN = SITES / "golden"
EXPECTED = GOLDEN / "expected"


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_golden_site_matches_file_by_file(tmp_path: Path) -> None:
    root = tmp_path / "golden"
    shutil.copytree(GOLDEN, root, ignore=shutil.ignore_patterns("expected"))
    result = build_site(root, today=TODAY)
    assert result.ok, result.diagnostics.render()
    built = _tree(root / "site")
    if os.environ.get("CITEGUIDE_UPDATE_GOLDEN"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(root / "site", EXPECTED)
    expected = _tree(EXPECTED)
    assert sorted(built) == sorted(expected)
    for name, data in expected.items():
        assert built[name].decode() == data.decode(), f"{name} differs from the golden copy"
