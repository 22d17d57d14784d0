"""Hostile repositories, round 2: settings and file names. Numbers too big for a file read
and control characters in `citeguide.toml` are positioned errors, not tracebacks or
broken feeds; file names cannot forge GitHub annotations. Real files, the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import guide_text, write_site


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "citeguide", *args, "--root", str(root)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("config", "where", "message"),
    [
        (
            "max_file_bytes = 99999999999999999999999\n",
            "citeguide.toml:1:1",
            "max_file_bytes: Input should be less than or equal to 1073741824",
        ),
        (
            "[linkcheck]\nmax_bytes = 99999999999999999999999\n",
            "citeguide.toml:2:1",
            "linkcheck.max_bytes: Input should be less than or equal to 1073741824",
        ),
        (
            "[stale]\nhigh = 99999999999999999999\n",
            "citeguide.toml:2:1",
            "stale.high: Input should be less than or equal to 36500",
        ),
        (
            'description = "Fine."\ntitle = "Guides\\u0007\\u001b[31m red"\n',
            "citeguide.toml:2:1",
            "title: holds the control character U+0007 at character 7; remove it",
        ),
        (
            '[audience]\nheading = "Bot\\u0000?"\n',
            "citeguide.toml:2:1",
            "audience.heading: holds the control character U+0000 at character 4",
        ),
        (
            '[linkcheck.hosts."a.example"]\nheaders = { X-Key = "k\\r\\nX-Injected: 1" }\n',
            "citeguide.toml:2:1",
            "linkcheck.hosts.a.example.headers.X-Key: holds the control character U+000D",
        ),
    ],
)
@pytest.mark.parametrize("command", ["build", "lint"])
def test_settings_out_of_bounds_are_positioned_errors(
    tmp_path: Path, config: str, where: str, message: str, command: str
) -> None:
    root = write_site(
        tmp_path / "r", {"content/guides/demo.md": guide_text(), "citeguide.toml": config}
    )
    proc = _cli(root, command)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{where}: error: {message}" in proc.stderr
    assert "[config-invalid]" in proc.stderr
    assert not (root / "site").exists()


def test_a_description_over_several_lines_is_still_fine(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "r",
        {
            "content/guides/demo.md": guide_text(),
            "citeguide.toml": 'description = """Guides to heat pumps,\n\tcited."""\n',
        },
    )
    proc = _cli(root, "build")
    assert proc.returncode == 0, proc.stderr


def _unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace(
        "%2C", ","
    ).replace("%25", "%")  # fmt: skip


def _annotations(output: str) -> list[tuple[str, dict[str, str], str]]:
    """Workflow commands as the GitHub runner reads them: `::name k=v,k=v::message`,
    one per line; properties split at `,` and `=` before unescaping."""
    found = []
    for line in output.splitlines():
        assert line.startswith("::"), line
        command, _, rest = line[2:].partition("::")
        name, _, props = command.partition(" ")
        pairs = dict(p.split("=", 1) for p in props.split(","))
        found.append((name, {k: _unescape(v) for k, v in pairs.items()}, _unescape(rest)))
    return found


@pytest.mark.parametrize(
    "name",
    [
        "a,line=1,title=forged::x.md",
        "b%0A::error file=forged.md::forged.md",
        "c\n::error file=forged.md::forged.md",
        "d\r::error title=x::forged.md",
    ],
    ids=["comma-colon", "percent-encoded", "line-feed", "carriage-return"],
)
def test_file_names_cannot_forge_github_annotations(tmp_path: Path, name: str) -> None:
    root = write_site(
        tmp_path / "r",
        {"content/guides/demo.md": guide_text(), f"content/guides/{name}": guide_text("Two")},
    )
    proc = _cli(root, "lint", "--format", "github")
    assert proc.returncode == 1, proc.stderr
    found = _annotations(proc.stdout)
    assert found
    assert {p["file"] for _, p, _ in found} <= {f"content/guides/{name}", "content/guides/demo.md"}
    assert any(p["file"] == f"content/guides/{name}" for _, p, _ in found)
    for kind, props, _ in found:
        assert kind in ("error", "warning")
        assert set(props) == {"file", "line", "col", "title"}
        assert "forged" not in props["title"]
