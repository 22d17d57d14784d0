"""citeguide's own templates, compiled ahead of time: Jinja's Python for each packaged
template, kept in the package (`render/compiled/`, made by `make templates`).

Compiling `guide.html` and what it includes took 58–65 ms of every build that renders a
guide (one edit at 2,000 guides: about 7% of it); its code from the package's byte
code takes about 1 ms. Jinja's own remedy, a bytecode cache, would read code from a
folder the repository or the user can write, which citeguide never runs; this code is
the package's, like any module of it.

A compiled template is used only where it is exactly what compiling its source would
give: citeguide's environment for sites without templates of their own
(`sandbox.PackageEnvironment`: the sandbox compiles some operators differently), the
Jinja version that compiled it, and the packaged source it was compiled from (its
sha256, checked on every load). Anything else, and the source is compiled as before.
`compile_templates.py` makes the folder; a test makes it again and compares it byte for
byte.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from pathlib import Path
from types import CodeType

import jinja2

from citeguide.render.compiled import DIGESTS, JINJA

PACKAGE = "citeguide.render.compiled"
FOLDER = Path(__file__).parent / "compiled"
TEMPLATES = re.compile(r"[A-Za-z0-9_/-]+\.html")
"""The packaged files compiled: the HTML templates (not the assets beside them)."""


def module_name(template: str) -> str:
    """`partials/guide_entry.html` → `t_partials__guide_entry`."""
    return "t_" + template.removesuffix(".html").replace("/", "__").replace("-", "_")


def code_for(template: str, source: str) -> CodeType | None:
    """The compiled code of the packaged `template` when `source` is the one it was
    compiled from by this version of Jinja; None otherwise."""
    if jinja2.__version__ != JINJA:
        return None
    digest = DIGESTS.get(template)
    if digest is None or hashlib.sha256(source.encode()).hexdigest() != digest:
        return None
    spec = importlib.util.find_spec(f"{PACKAGE}.{module_name(template)}")
    if spec is None or spec.loader is None or not hasattr(spec.loader, "get_code"):
        return None
    code: CodeType | None = spec.loader.get_code(spec.name)
    return code
