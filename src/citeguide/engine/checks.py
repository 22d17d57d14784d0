"""Problems the engine finds itself, beside each guide's: across guides, in the site
root's folders, and in templates that fail to load."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from citeguide.diagnostics import Diagnostic, Diagnostics, Severity, SourcePos
from citeguide.model import RESERVED_SLUGS
from citeguide.safeio import UnsafeFile, check_folder


def cross_check(
    slugs: Iterable[tuple[str, str]],
    diags: Diagnostics,
    aliases: Iterable[tuple[str, tuple[str, int, int]]] = (),
) -> None:
    """Problems only visible across guides: two guides (path, slug) publishing to one slug,
    an alias (path, (target, line, col)) taking a page that something else publishes."""
    owners: dict[str, str] = {}
    for path, slug in slugs:
        if slug in owners:
            diags.error(
                SourcePos(path, 1, 1),
                f"slug {slug!r} is already used by {owners[slug]}",
                "slug-duplicate",
            )
        else:
            owners[slug] = path
    taken: dict[str, str] = {}
    for path, (target, line, col) in aliases:
        top = target.split("/")[0]
        if top in owners:
            clash = f"the guide {owners[top]} publishes {top}/"
        elif top in RESERVED_SLUGS or target in ("index.html", "404.html"):
            clash = "the site's own pages use it"
        elif target in taken:
            clash = f"{taken[target]} has the same alias"
        else:
            taken[target] = path
            continue
        diags.error(
            SourcePos(path, line, col),
            f"alias {target.removesuffix('index.html') or '/'} cannot redirect here: {clash}",
            "alias-conflict",
        )


def template_problem(root: Path, exc: Exception) -> Diagnostic:
    """A broken template (a site's override) as a positioned error instead of a traceback."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    try:
        # Resolve the folder, not the file: a symlinked file is reported where it stands.
        path = Path(name)
        rel = (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = str(name)
    line = getattr(exc, "lineno", None) or 1
    rule = getattr(exc, "rule", None)
    if rule is not None:  # a theme file refused by the safe reader
        return Diagnostic(SourcePos(rel, line, 1), Severity.ERROR, str(exc), rule)
    return Diagnostic(SourcePos(rel, line, 1), Severity.ERROR, f"template error: {exc}", "template")


def folder_problems(root: Path, names: Iterable[str]) -> list[Diagnostic]:
    """A positioned error for each folder of the site root (`templates`, `build`, ...) that
    is a symlink leaving it; folders below one already reported are not repeated."""
    problems: list[Diagnostic] = []
    failed: list[str] = []
    for name in names:
        if any(name.startswith(f"{bad}/") for bad in failed):
            continue
        try:
            check_folder(root, root / name)
        except UnsafeFile as exc:
            problems.append(
                Diagnostic(SourcePos(name, 1, 1), Severity.ERROR, exc.message, exc.rule)
            )
            failed.append(name)
    return problems
