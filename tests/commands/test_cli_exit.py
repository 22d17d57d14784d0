"""The program's exit (`cli.run`): no interpreter teardown, and nothing of the output lost."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from citeguide.cli import _reader_gone
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


PLUGIN = """\
import os

class Plugin:
    def new_schema_validator(self, *args, **kwargs):
        return None, None, None

with open(os.environ["PLUGIN_MARKER"], "a", encoding="utf-8") as marker:
    marker.write("loaded\\n")
plugin = Plugin()
"""


def test_the_program_leaves_pydantic_plugins_off_unless_told(tmp_path: Path) -> None:
    """A pydantic plugin installed beside citeguide is never loaded by the program (the
    entry-point scan costs every command), except when PYDANTIC_DISABLE_PLUGINS is set."""
    lib = tmp_path / "lib"
    info = lib / "fakeplugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fakeplugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pydantic]\nfake = fakeplugin_mod:plugin\n")
    (lib / "fakeplugin_mod.py").write_text(PLUGIN)
    marker = tmp_path / "marker"
    root = tmp_path / "site-root"
    shutil.copytree(REPO / "content", root / "content")
    (root / "citeguide.toml").write_text("search = false\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env |= {"PYTHONPATH": os.pathsep.join([str(lib), *sys.path]), "PLUGIN_MARKER": str(marker)}
    command = [sys.executable, "-m", "citeguide", "--root", str(root), "lint"]
    quiet = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert quiet.returncode == 0, quiet.stderr
    assert not marker.exists()
    told = subprocess.run(command, capture_output=True, text=True, timeout=300,
                          env=env | {"PYDANTIC_DISABLE_PLUGINS": ""})  # fmt: skip
    assert told.returncode == 0, told.stderr
    assert marker.read_text() == "loaded\n"  # the same site, with the plugin loaded


def test_a_reader_that_stops_reading_gets_no_error_message(tmp_path: Path) -> None:
    """`citeguide calc --list --json | head -c 100`: the reader closes the pipe while the
    program still writes (175 KB, past any buffer). That is the reader's choice, not a
    failure: no "Broken pipe" message, the usage status, as `lint` into a closed pipe."""
    root = tmp_path / "site-root"
    shutil.copytree(REPO / "content", root / "content")
    command = [sys.executable, "-m", "citeguide", "--root", str(root), "calc", "--list", "--json"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stderr is not None
    assert proc.stdout.read(100)
    proc.stdout.close()  # as `head` does once it has what it wants
    errors = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 2
    assert errors == ""


def test_a_broken_pipe_that_is_not_the_output_is_still_reported() -> None:
    """Only the output's reader going away is quiet: `_reader_gone` is false for a pipe
    someone still reads, so any other broken pipe keeps its error message."""
    read, write = os.pipe()
    with os.fdopen(write, "w") as stream:
        assert not _reader_gone(stream)
        os.close(read)
        assert _reader_gone(stream)
