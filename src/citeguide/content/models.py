"""Reading `content/models/*.yaml` and the bundled pack into a compiled `Library`.

Every problem in a model file is a diagnostic at its place: the key of a bad declaration,
or the character of a formula where the problem starts (for a formula written on one
line, quoted or plain, or as a `|` / `>` block).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from citeguide.config import SiteConfig
from citeguide.content.tables import known_shapes, load_tables, read_yaml
from citeguide.costcore.models import (
    Library,
    Model,
    ModelSpec,
    Problem,
    compile_models,
    read_specs,
)
from citeguide.costcore.quantities import looks_numeric
from citeguide.costcore.units import count_units
from citeguide.diagnostics import Diagnostics, SourcePos
from citeguide.resources import pack_dirs
from citeguide.yamlsource import YamlDoc

MODELS_DIR = Path("content") / "models"


def model_files(root: Path) -> list[Path]:
    folder = root / MODELS_DIR
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def load_library(root: Path, config: SiteConfig, diags: Diagnostics) -> Library:
    """The site's tables and models with the bundled pack's, compiled; problems to `diags`."""
    units = count_units(config.units.count)
    tables = load_tables(root, diags, units)
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
    for i, (base, file, rel) in enumerate(files):
        doc = read_yaml(base, file, rel, diags)
        if doc is None:
            continue
        docs[rel] = doc
        found, spec_problems = read_specs(doc.data)
        for problem in spec_problems:
            _report(rel, doc, problem, diags)
        for name, spec in found.items():
            if name in specs and i >= pack_count and origins[name].startswith("<pack"):
                pass  # a site's model of the same name replaces the pack's
            elif name in specs:
                line, col = doc.position((name,), key=True)
                diags.error(SourcePos(rel, line + 1, col + 1), f"model {name} is also declared "
                            f"in {origins[name]}", "model-duplicate")  # fmt: skip
                continue
            specs[name], origins[name] = (spec, rel), rel
    models, problems = compile_models(specs, tables, units=units, known_tables=known_shapes(units))
    for origin, problem in problems:
        _report(origin, docs[origin], problem, diags)
    _uncited_defaults(models, docs, config, diags)
    return Library(models=models, tables=tables, currency=config.currency, units=units)


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
    """The 0-based (line, col) of character `offset` of the scalar at `loc`."""
    node = _node(doc, loc)
    if not isinstance(node, yaml.ScalarNode):
        return line, col
    style = node.style
    if style in ("|", ">"):
        return _block(node, offset)
    quote = 1 if style in ("'", '"') else 0
    if node.start_mark.line == node.end_mark.line:
        return node.start_mark.line, node.start_mark.column + quote + offset
    # A plain or quoted scalar folded over several lines: walk the source text.
    return _walk(node, offset, quote)


def _block(node: yaml.Node, offset: int) -> tuple[int, int]:
    """A character of a `|` or `>` block: each source line holds its text and one
    separator (a line break, or the space a folded line break became)."""
    lines = _source(node).split("\n")
    first = node.start_mark.line + 1
    remaining = offset
    for number in range(first, min(len(lines), node.end_mark.line + 1)):
        line = lines[number]
        indent = len(line) - len(line.lstrip(" "))
        content = line[indent:]
        if remaining <= len(content):
            return number, indent + remaining
        remaining -= len(content) + 1
    return node.end_mark.line, node.end_mark.column


def _node(doc: YamlDoc, loc: tuple[str | int, ...]) -> yaml.Node | None:
    node = doc.root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(part)), None)
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
        else:
            return None
        if node is None:
            return None
    return node


def _source(node: yaml.Node) -> str:
    buffer = node.start_mark.buffer
    return buffer if isinstance(buffer, str) else ""


def _walk(node: yaml.Node, offset: int, quote: int) -> tuple[int, int]:
    """Map a character of a multi-line flow scalar to the source: folded line breaks and
    indentation count as one space."""
    text = _source(node)
    pos = node.start_mark.index + quote
    end = node.end_mark.index
    count = 0
    line, col = node.start_mark.line, node.start_mark.column + quote
    while pos < end and count < offset:
        ch = text[pos]
        if ch == "\n":
            pos += 1
            line += 1
            col = 0
            while pos < end and text[pos] == " ":
                pos += 1
                col += 1
            count += 1
            continue
        pos += 1
        col += 1
        count += 1
    return line, col


_PACK: list[Library] = []


def pack_library() -> Library:
    """The bundled pack alone (no site tables): what a guide is parsed against when no
    site is given. Built once per process."""
    if not _PACK:
        import tempfile

        with tempfile.TemporaryDirectory() as empty:
            _PACK.append(load_library(Path(empty), SiteConfig(), Diagnostics()))
    return _PACK[0]
