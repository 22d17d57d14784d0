"""One-way dependencies: plugins, cost core and link checker import nothing else."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "citeguide"

# package → the only citeguide packages it may import
ALLOWED = {
    "markers": {"citeguide.markers"},
    "costcore": {"citeguide.costcore"},
    "linkcheck": {"citeguide.linkcheck", "citeguide.safeio"},
}


def test_the_safe_reader_imports_nothing_from_citeguide() -> None:
    assert _citeguide_imports(PACKAGE / "safeio.py") == set()


def _citeguide_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(n for n in names if n == "citeguide" or n.startswith("citeguide."))
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_it_may(package: str) -> None:
    for module in sorted((PACKAGE / package).rglob("*.py")):
        for name in _citeguide_imports(module):
            assert any(name == a or name.startswith(a + ".") for a in ALLOWED[package]), (
                f"{module.relative_to(PACKAGE)} imports {name}"
            )


def test_readme_reference_tables_are_current() -> None:
    from citeguide.docs import render

    readme = PACKAGE.parent.parent / "README.md"
    text = readme.read_text(encoding="utf-8")
    assert "<!-- BEGIN config-reference -->" in text
    assert "<!-- BEGIN lint-rules -->" in text
    assert render(text) == text, "README reference tables are out of date: run `make docs`"
    assert "| `linkcheck.per_host` | `int` | `8` |" in text
    assert "| `uncited-figure` | warning |" in text
