"""`citeguide init [DIR]`: a new site root that builds at once, with a CI workflow.

Writes `citeguide.toml`, an example guide in `content/guides/`, a `.gitignore` and a
GitHub Actions workflow that lints, builds and publishes to GitHub Pages. An existing
file is never overwritten: it is skipped, and the summary says so.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from importlib import metadata
from pathlib import Path

from citeguide import __version__
from citeguide.commands.new import create_file, scaffold_day, scaffold_text, yaml_string
from citeguide.config_file import CONFIG_FILE
from citeguide.content.discover import GUIDES_DIR
from citeguide.exitcodes import ExitCode

WORKFLOW = ".github/workflows/citeguide.yml"
EXAMPLE = f"{GUIDES_DIR.as_posix()}/how-to-write-a-guide.md"


def install_spec() -> tuple[str, str | None]:
    """The pip requirement CI should install citeguide from, and a note when this
    install cannot tell (PEP 610's `direct_url.json` records where it came from)."""
    try:
        raw = metadata.distribution("citeguide").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        raw = None
    if not raw:
        return f"citeguide=={__version__}", None  # installed from an index
    try:
        origin = json.loads(raw)
        url, vcs = str(origin["url"]), origin.get("vcs_info")
    except (ValueError, KeyError, TypeError):
        origin, url, vcs = {}, "", None
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and url.startswith("https://"):
        return f"citeguide @ git+{url}@{vcs.get('commit_id', 'HEAD')}", None
    return f"citeguide=={__version__}", (
        "citeguide was installed from a local folder or file, which CI cannot reach: set "
        f"CITEGUIDE in {WORKFLOW} to where CI can install it from (a wheel committed to "
        "the repository, or git+https://... of citeguide's source)"
    )


def _site_title(root: Path) -> str:
    name = "".join(c for c in root.resolve().name if c.isprintable())
    words = " ".join(name.replace("-", " ").replace("_", " ").split())
    return words[:1].upper() + words[1:] if words else "Guides"


def _missing_ignores(path: Path) -> None:
    """Say which of citeguide's output folders an existing .gitignore leaves tracked."""
    try:
        with path.open("rb") as handle:
            lines = {
                line.strip() for line in handle.read(1 << 20).decode(errors="replace").split("\n")
            }
    except OSError:
        return
    missing = [name for name in ("site/", "build/") if not lines & {name, name[:-1], "/" + name}]
    if missing:
        print(f"  add {' and '.join(missing)} to .gitignore: citeguide rebuilds them")


def run_init(root: Path, *, today: date | None = None) -> int:
    if root.exists() and not root.is_dir():
        print(f"citeguide init: error: {root} is not a directory", file=sys.stderr)
        return ExitCode.USAGE
    day = (today or scaffold_day()).isoformat()
    spec, note = install_spec()
    guides = root / GUIDES_DIR
    has_guides = guides.is_dir() and any(guides.glob("*.md"))
    files = {
        CONFIG_FILE: scaffold_text("citeguide.toml").format(title=yaml_string(_site_title(root))),
        ".gitignore": scaffold_text("gitignore"),
        WORKFLOW: scaffold_text("citeguide.yml").replace("@SPEC@", spec.replace('"', "")),
    }
    if not has_guides:
        files[EXAMPLE] = scaffold_text("example-guide.md").format(today=day)
    failed = False
    for rel, text in files.items():
        problem = create_file(root, rel, text)
        if problem is None:
            print(f"created {rel}")
        elif problem == "already exists":
            print(f"skipped {rel}: it already exists (left as it was)")
            if rel == ".gitignore":
                _missing_ignores(root / rel)
        else:
            print(f"citeguide init: error: cannot create {rel}: {problem}", file=sys.stderr)
            failed = True
    if has_guides:
        print(f"skipped the example guide: {GUIDES_DIR.as_posix()}/ already has guides")
    if failed:
        return ExitCode.USAGE
    if note:
        print(f"note: {note}")
    step = "" if root.resolve() == Path.cwd().resolve() else f"cd {root}, then "
    print(f'next: {step}`citeguide serve` to preview, `citeguide new "Your question?"` to write')
    return ExitCode.OK
