"""One-way dependencies: plugins, cost core and link checker import nothing else."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "citeguide"

# package → the only citeguide packages it may import (safeio, untrusted and docstrings
# are leaves: the safe reader, the one policy for text and URLs that become published
# links, and the fields' docstrings for the published schemas)
ALLOWED = {
    # text: sentences, URL forms, text fragments, address safety, for every layer above
    "text": {"citeguide.text", "citeguide.safeio", "citeguide.untrusted"},
    "markers": {"citeguide.markers", "citeguide.text", "citeguide.untrusted"},
    "costcore": {"citeguide.costcore", "citeguide.untrusted", "citeguide.docstrings"},
    # The typed data: its date type comes from the cost core's tables.
    "model": {
        "citeguide.model",
        "citeguide.text",
        "citeguide.untrusted",
        "citeguide.costcore.table_schema",
    },
    # diagnostics is a leaf too: GitHub's escaped annotations for `check`.
    "linkcheck": {
        "citeguide.linkcheck",
        "citeguide.text",
        "citeguide.safeio",
        "citeguide.untrusted",
        "citeguide.diagnostics",
        "citeguide.records",
    },
}


@pytest.mark.parametrize(
    "leaf",
    ["safeio.py", "untrusted.py", "diagnostics.py", "exitcodes.py", "rules.py", "docstrings.py"],
)
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


MAX_LINES = 450
# An import inside a function must say why under a comment that starts "Imported" (or
# "Commands imported") and gives the start-up time it saves, as measured.
_MEASURED = re.compile(r"\d+(?:\.\d+)?(?:\s*(?:-|–|to)\s*\d+(?:\.\d+)?)?\s*(?:ms|s)\b")


def _all_modules() -> list[str]:
    """Every module written by hand (not render/compiled/: Jinja's code of the templates)."""
    found = (str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py"))
    return sorted(m for m in found if not m.startswith("render/compiled/"))


@pytest.mark.parametrize("module", _all_modules())
def test_modules_are_at_most_450_lines(module: str) -> None:
    lines = len((PACKAGE / module).read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by concern"


@pytest.mark.parametrize("module", _all_modules())
def test_module_names_are_not_used_twice(module: str) -> None:
    name = Path(module).name
    if name == "__init__.py":
        return
    twins = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob(name))
    assert twins == [module], f"{name} is used by {twins}"


def _reason_above(lines: list[str], lineno: int) -> str:
    """The comment block that announces the import at `lineno` (1-based): the nearest one
    above it whose first line says "Imported", or the import line's own comment."""
    own = lines[lineno - 1].partition("#")[2]
    if _MEASURED.search(own):
        return own
    for i in range(lineno - 2, -1, -1):
        text = lines[i].strip()
        if text.startswith("#") and re.search(r"(?i)\bimported\b", text):
            block = [text]
            for after in lines[i + 1 : lineno - 1]:
                if not after.strip().startswith("#"):
                    break
                block.append(after.strip())
            return " ".join(block)
    return ""


@pytest.mark.parametrize("module", _all_modules())
def test_modules_import_at_the_top_unless_a_measurement_says_why(module: str) -> None:
    text = (PACKAGE / module).read_text(encoding="utf-8")
    tree = ast.parse(text)
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    inner = sorted({node.lineno for f in functions for node in ast.walk(f)
                    if isinstance(node, ast.Import | ast.ImportFrom)})  # fmt: skip
    lines = text.splitlines()
    unexplained = [n for n in inner if not _MEASURED.search(_reason_above(lines, n))]
    assert not unexplained, (
        f"{module} imports inside a function at line(s) {unexplained} with no measured "
        "reason: move the import to the top, or say above it what it costs at start-up"
    )


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
    # lint reads the Guide; helpers shared with content and linkcheck live in `text`
    "lint": {
        "citeguide.engine",
        "citeguide.commands",
        "citeguide.render",
        "citeguide.cli",
        "citeguide.content",
        "citeguide.linkcheck",
    },
    "render": {
        "citeguide.engine",
        "citeguide.commands",
        "citeguide.cli",
        "citeguide.lint",
        "citeguide.content.claims",
    },
    # content parses only: what lint reads it records on the Guide (`text.blocks`); render
    # draws it (render/body.py, render/markdown_twin.py)
    "content": {
        "citeguide.engine",
        "citeguide.commands",
        "citeguide.cli",
        "citeguide.lint",
        "citeguide.render",
    },
    "linkcheck": {"citeguide.engine", "citeguide.commands", "citeguide.cli"},
    "config.py": {"citeguide.lint"},
    "config_file.py": {"citeguide.lint"},
}


def _modules(package: str) -> list[Path]:
    """The modules of a package folder, or the one module `package` names (`config.py`)."""
    path = PACKAGE / package
    return [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_lower_layers_never_import_higher_ones(package: str) -> None:
    for module in _modules(package):
        for name in _citeguide_imports(module):
            assert not any(name == f or name.startswith(f + ".") for f in FORBIDDEN[package]), (
                f"{module.relative_to(PACKAGE)} imports {name}"
            )


def test_content_never_imports_render() -> None:
    """Parsing only parses: pages, charts and the Markdown twin are drawn in render/."""
    for module in _modules("content"):
        for name in _citeguide_imports(module):
            assert not name.startswith("citeguide.render"), f"{module.relative_to(PACKAGE)}"


def _unit(name: str) -> str:
    """The package or top-level module an import names: `citeguide.lint.runner` → `lint`."""
    return name.split(".")[1] if "." in name else name


def test_no_two_packages_import_each_other() -> None:
    """The packages and top-level modules form layers: no cycle, however long."""
    graph: dict[str, set[str]] = {}
    for module in PACKAGE.rglob("*.py"):
        unit = module.relative_to(PACKAGE).parts[0].removesuffix(".py")
        found = {_unit(n) for n in _citeguide_imports(module)} - {unit, "citeguide"}
        graph.setdefault(unit, set()).update(found)
    done: set[str] = set()

    def visit(unit: str, path: list[str]) -> None:
        assert unit not in path, "import cycle: " + " → ".join([*path[path.index(unit) :], unit])
        if unit in done:
            return
        for other in sorted(graph.get(unit, ())):
            visit(other, [*path, unit])
        done.add(unit)

    for unit in sorted(graph):
        visit(unit, [])


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
    assert {"incremental", "inputs", "assemble", "builder", "pipeline", "cache"} <= modules
    assert "site" not in modules  # render/site.py has the name
    assert not (PACKAGE / "incremental.py").exists()
    assert not (PACKAGE / "build.py").exists()


def test_the_no_op_build_imports_only_light_modules() -> None:
    """`build` answers a no-op from `noop.py` before the engine is imported: it and the
    one list of site inputs stay clear of pydantic, the parser and the renderers."""
    light = {"citeguide", "citeguide.engine", "citeguide.diagnostics", "citeguide.resources",
             "citeguide.safeio", "citeguide.engine.trust", "citeguide.engine.inputs",
             "citeguide.engine.tree"}  # fmt: skip
    for name in ("noop.py", "inputs.py", "trust.py", "tree.py", "cache_files.py"):
        assert _citeguide_imports(PACKAGE / "engine" / name) <= light, name


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
