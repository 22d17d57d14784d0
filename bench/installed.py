"""Time citeguide as it is installed: with its modules compiled to bytecode.

`pip install` compiles a wheel's modules, so a user's first run already has them. An
editable install (`make site`) writes them on first import unless
`PYTHONDONTWRITEBYTECODE` is set, as it is on some CI and development machines; there
every run would compile citeguide's 140 modules again (about 0.12 s measured per build)
and a benchmark would time the compiler. The benchmarks compile the package they time
first, once, as pip would.
"""

from __future__ import annotations

import compileall
import importlib.util
from pathlib import Path


def compile_package(source: Path | None = None) -> None:
    """Byte-compile citeguide: the one under `source` (another checkout's `src/`) or the
    one this interpreter imports."""
    if source is not None:
        folder = source / "citeguide"
    else:
        spec = importlib.util.find_spec("citeguide")
        if spec is None or not spec.submodule_search_locations:
            return
        folder = Path(next(iter(spec.submodule_search_locations)))
    compileall.compile_dir(folder, quiet=1)
