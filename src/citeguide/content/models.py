"""Reading `content/models/*.yaml` and the bundled pack into a compiled `Library`.

Every problem in a model file is a diagnostic at its place: the key of a bad declaration,
or the character of a formula where the problem starts (for a formula written on one
line, quoted or plain, or as a `|` / `>` block).
"""

from __future__ import annotations

import tempfile
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from citeguide.config import SiteConfig
from citeguide.content.tables import known_shapes, load_tables, read_yaml
from citeguide.costcore.compile import compile_models
from citeguide.costcore.library import Library, Model
from citeguide.costcore.model_spec import ModelSpec, read_specs
from citeguide.costcore.problems import Problem
from citeguide.costcore.quantities import looks_numeric
from citeguide.costcore.units import count_units
from citeguide.diagnostics import Diagnostics, SourcePos
from citeguide.resources import pack_dirs
from citeguide.yamlsource import YamlDoc

MODELS_DIR = Path("content") / "models"


def model_files(root: Path) -> list[Path]:
    folder = root / MODELS_DIR
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def load_library(root: Path, config: SiteConfig, diags: Diagnostics, today: date | None = None
                 ) -> Library:  # fmt: skip
    """The site's tables and models with the bundled pack's, compiled; problems to `diags`
    (with `today`, a table row read after today among them)."""
    units = count_units(config.units.count)
    tables = load_tables(root, diags, units, today)
    specs: dict[str, tuple[ModelSpec, str]] = {}
    docs: dict[str, YamlDoc] = {}
    files: list[tuple[Path, Path, str]] = []
    for pack in pack_dirs():
        folder = pack / "models"
        for file in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            files.append((folder, file, f"<pack {pack.name}>/models/{file.name}"))
    pack_count = len(files)
    files += [(root, file, file.relative_to(root).as_posix()) for file in model_files(root)]
    origins: dict[str, str] = {}
    unread: dict[str, str] = {}  # declared, but unreadable: models calling them are unusable
    unreadable: dict[str, str] = {}  # files that cannot be read: their models are unknown
    for i, (base, file, rel) in enumerate(files):
        doc = read_yaml(base, file, rel, diags, "model-syntax")
        if doc is None:
            unreadable[rel] = ""
            continue
        docs[rel] = doc
        found, spec_problems = read_specs(doc.data)
        for problem in spec_problems:
            _report(rel, doc, problem, diags)
        if isinstance(doc.data, dict):
            unread.update({n: rel for n in doc.data if isinstance(n, str) and n not in found})
        for name, spec in found.items():
            if name in specs and i >= pack_count and origins[name].startswith("<pack"):
                pass  # a site's model of the same name replaces the pack's
            elif name in specs:
                line, col = doc.position((name,), key=True)
                diags.error(SourcePos(rel, line + 1, col + 1), f"model {name} is also declared "
                            f"in {origins[name]}", "model-duplicate")  # fmt: skip
                continue
            specs[name], origins[name] = (spec, rel), rel
    models, problems, failed = compile_models(specs, tables, units=units,
                                              known_tables=known_shapes(units),
                                              broken=unread)  # fmt: skip
    for origin, problem in problems:
        _report(origin, docs[origin], problem, diags)
    _uncited_defaults(models, docs, config, diags)
    return Library(models=models, tables=tables, currency=config.currency, units=units,
                   failed=failed, unreadable=unreadable)  # fmt: skip


def _uncited_defaults(models: dict[str, Model], docs: dict[str, YamlDoc], config: SiteConfig,
                      diags: Diagnostics) -> None:  # fmt: skip
    """A site model's parameter that takes a cited row but defaults to a typed number."""
    severity = config.lint.severity("uncited-input")
    if severity == "off":
        return
    for model in models.values():
        if model.origin.startswith("<pack"):
            continue  # the pack's defaults are documented modelling choices
        for param in model.params.values():
            if param.table and param.default is not None and looks_numeric(param.default):
                line, col = docs[model.origin].position((model.name, "params", param.name,
                                                         "default"))  # fmt: skip
                message = (
                    f"{model.name}.{param.name} defaults to the typed number "
                    f"{param.default}; make the default a cited row of {param.table}"
                )
                pos = SourcePos(model.origin, line + 1, col + 1)
                if severity == "error":
                    diags.error(pos, message, "uncited-input")
                else:
                    diags.warning(pos, message, "uncited-input")


def _report(rel: str, doc: YamlDoc, problem: Problem, diags: Diagnostics) -> None:
    line, col = doc.position(problem.loc, key=problem.key)
    if problem.offset is not None:
        line, col = _inside(doc, problem.loc, problem.offset, line, col)
    diags.error(SourcePos(rel, line + 1, col + 1), problem.message, problem.rule)


def _inside(doc: YamlDoc, loc: tuple[str | int, ...], offset: int, line: int, col: int
            ) -> tuple[int, int]:  # fmt: skip
    """The 0-based (line, col) of character `offset` of the scalar at `loc`, counted in
    the source: a formula on one line or several, plain, quoted (escapes are one
    character of the formula) or a `|` / `>` block."""
    node = _node(doc, loc)
    if not isinstance(node, yaml.ScalarNode) or not doc.text:
        return line, col
    lines = _lines(doc.text)
    if node.style in ("|", ">"):
        return _block(lines, node, offset)
    return _flow(lines, node, offset)


@lru_cache(maxsize=16)
def _lines(text: str) -> list[str]:
    """The source's lines, split once per file however many problems it has."""
    return text.split("\n")


def _block(lines: list[str], node: yaml.Node, offset: int) -> tuple[int, int]:
    """A character of a `|` or `>` block: each source line holds its text after the
    block's indentation and one separator (a line break, or the space a folded line
    break became)."""
    numbers = range(node.start_mark.line + 1, min(len(lines), node.end_mark.line + 1))
    indent = next((len(lines[n]) - len(lines[n].lstrip(" ")) for n in numbers
                   if lines[n].strip()), 0)  # fmt: skip
    remaining = offset
    for number in numbers:
        content = lines[number][indent:].rstrip("\r")
        if remaining <= len(content):
            return number, indent + remaining
        remaining -= len(content) + 1
    return node.end_mark.line, node.end_mark.column


def _flow(lines: list[str], node: yaml.Node, offset: int) -> tuple[int, int]:
    """A character of a plain or quoted scalar: an escape (`\\t`, `\\x1b`, `''`) is one
    character, a line break and the next line's indentation fold into one space (none
    before a blank line, whose own break is kept)."""
    style = node.style if isinstance(node, yaml.ScalarNode) else None
    quote = style if style in ("'", '"') else ""
    line, col = node.start_mark.line, node.start_mark.column + len(quote)
    count = 0
    while count < offset and line < len(lines):
        source = lines[line].rstrip("\r")
        if col >= len(source):
            line += 1
            if line >= len(lines):
                break
            nxt = lines[line]
            col = len(nxt) - len(nxt.lstrip(" \t"))
            count += 0 if source.strip() and not nxt.strip() else 1
            continue
        if quote == '"' and source[col] == "\\":
            if col + 1 >= len(source):  # an escaped line break: no character
                line += 1
                nxt = lines[line] if line < len(lines) else ""
                col = len(nxt) - len(nxt.lstrip(" \t"))
                continue
            col += 2 + {"x": 2, "u": 4, "U": 8}.get(source[col + 1], 0)
        elif quote == "'" and source.startswith("''", col):
            col += 2
        else:
            col += 1
        count += 1
    return line, col


def _node(doc: YamlDoc, loc: tuple[str | int, ...]) -> yaml.Node | None:
    node = doc.root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = doc.child(node, str(part))
            node = found[1] if found else None
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
        else:
            return None
        if node is None:
            return None
    return node


_PACK: list[Library] = []


def pack_library() -> Library:
    """The bundled pack alone (no site tables): what a guide is parsed against when no
    site is given. Built once per process."""
    if not _PACK:
        with tempfile.TemporaryDirectory() as empty:
            _PACK.append(load_library(Path(empty), SiteConfig(), Diagnostics()))
    return _PACK[0]
