"""The program's exit (`cli.run`): no interpreter teardown, and nothing of the output lost."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def _citeguide(*args: str) -> subprocess.CompletedProcess[str]:
    """The program as users run it, with its output through pipes (block-buffered)."""
    command = [sys.executable, "-m", "citeguide", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)


def test_the_output_through_a_pipe_is_whole_and_the_status_kept(tmp_path: Path) -> None:
    root = tmp_path / "site-root"
    shutil.copytree(REPO / "content", root / "content")
    (root / "citeguide.toml").write_text("search = false\n", encoding="utf-8")
    # Warnings to report: a figure with no source, in a guide of its own.
    (root / "content" / "guides" / "uncited.md").write_text(
        "---\ntitle: Uncited\nsummary: A figure without a source.\npublished: 2026-01-05\n"
        "---\n\n## Costs\n\nA boiler costs 2,400 euros to fit.\n",
        encoding="utf-8",
    )
    built = _citeguide("--root", str(root), "build")
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("built 5 guides into ")
    assert built.stdout.endswith(")\n")
    assert (root / "site" / "index.html").is_file()
    linted = _citeguide("--root", str(root), "lint", "--format", "json", "--strict")
    assert linted.returncode == 1  # --strict: the warning fails the run
    found = json.loads(linted.stdout)  # the whole document, flushed before the exit
    assert any(item["rule"] == "uncited-figure" for item in found)
    usage = _citeguide("--root", str(tmp_path / "missing"), "build")
    assert usage.returncode == 2
    assert "is not a directory" in usage.stderr
