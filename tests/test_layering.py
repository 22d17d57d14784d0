"""One-way dependencies: plugins, cost core and link checker import nothing else."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "citeguide"

# package → the only citeguide packages it may import (safeio and untrusted are leaves:
# the safe reader, and the one policy for text and URLs that become published links)
ALLOWED = {
    "markers": {"citeguide.markers", "citeguide.untrusted"},
    "costcore": {"citeguide.costcore", "citeguide.untrusted"},
    # diagnostics is a leaf too: GitHub's escaped annotations for `check`.
    "linkcheck": {
        "citeguide.linkcheck",
        "citeguide.safeio",
        "citeguide.untrusted",
        "citeguide.diagnostics",
    },
}


@pytest.mark.parametrize("leaf", ["safeio.py", "untrusted.py", "diagnostics.py"])
def test_the_leaf_modules_import_nothing_from_citeguide(leaf: str) -> None:
    assert _citeguide_imports(PACKAGE / leaf) == set()


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


# package → citeguide packages it must not import (the layers above it)
FORBIDDEN = {
    "engine": {"citeguide.commands", "citeguide.cli"},
    "lint": {"citeguide.engine", "citeguide.commands", "citeguide.render", "citeguide.cli"},
    "render": {"citeguide.engine", "citeguide.commands", "citeguide.cli", "citeguide.lint"},
    # content turns files into data; render draws it (render/body.py, render/markdown_twin.py)
    "content": {"citeguide.engine", "citeguide.commands", "citeguide.cli", "citeguide.render"},
    "linkcheck": {"citeguide.engine", "citeguide.commands", "citeguide.cli"},
}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_lower_layers_never_import_higher_ones(package: str) -> None:
    for module in sorted((PACKAGE / package).rglob("*.py")):
        for name in _citeguide_imports(module):
            assert not any(name == f or name.startswith(f + ".") for f in FORBIDDEN[package]), (
                f"{module.relative_to(PACKAGE)} imports {name}"
            )


def test_only_the_command_line_imports_the_commands() -> None:
    """Commands are thin callers at the top: nothing else depends on them."""
    for module in sorted(PACKAGE.rglob("*.py")):
        rel = module.relative_to(PACKAGE)
        if rel.parts[0] == "commands" or rel.name == "cli.py":
            continue
        for name in _citeguide_imports(module):
            assert not name.startswith("citeguide.commands"), f"{rel} imports {name}"


def test_build_serve_and_lint_share_one_engine() -> None:
    """One place decides what is stale: the commands reach guides only through Site."""
    for command in ("build", "lint", "serve", "check"):
        imports = _citeguide_imports(PACKAGE / "commands" / f"{command}.py")
        assert not any(i.startswith("citeguide.content.parse") for i in imports), command
        assert not any(i.startswith("citeguide.engine.pipeline") for i in imports), command
    modules = {p.stem for p in (PACKAGE / "engine").glob("*.py")}
    assert {"site", "pipeline", "cache", "writer", "search"} <= modules
    assert not (PACKAGE / "incremental.py").exists()
    assert not (PACKAGE / "build.py").exists()


def test_manual_reference_tables_are_current() -> None:
    from citeguide.docs import render

    pages = sorted((PACKAGE.parent.parent / "docs").glob("*.md"))
    text = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    assert "<!-- BEGIN config-reference -->" in text
    assert "<!-- BEGIN lint-rules -->" in text
    for page in pages:
        page_text = page.read_text(encoding="utf-8")
        assert render(page_text) == page_text, f"{page.name} is out of date: run `make docs`"
    assert "| `linkcheck.per_host` | `int` | `8` |" in text
    assert "| `uncited-figure` | warning |" in text
