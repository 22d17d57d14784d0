"""Where the packaged default templates and schemas live.

In a wheel they sit inside the package (`citeguide/_defaults/`); in a source checkout
(editable install, tests) they are the repository's own `templates/` and `schemas/`.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def default_dir(name: str) -> Path:
    """The packaged default folder `name` (`templates` or `schemas`)."""
    packaged = _PACKAGE / "_defaults" / name
    if packaged.is_dir():
        return packaged
    checkout = _PACKAGE.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"citeguide is installed without its default {name}/ folder")


def template_dirs(root: Path) -> list[Path]:
    """Template search path: the site's overrides, then the packaged defaults."""
    dirs = [root / "templates", default_dir("templates")]
    return [d for d in dirs if d.is_dir()]


def theme_dirs(root: Path) -> list[tuple[Path, Path]]:
    """(folder, boundary) pairs of the template search path: a site's own templates may
    not reach outside the site root; the packaged defaults stay inside their folder."""
    return [(d, root if d == root / "templates" else d) for d in template_dirs(root)]


def pack_dirs() -> list[Path]:
    """The bundled model packs (`packs/llm/`: its `models/` and `data/`), inside the package."""
    folder = _PACKAGE / "packs"
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
