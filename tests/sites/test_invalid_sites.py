"""One tiny invalid site per error: the exact diagnostic line, the exit code, no traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from citeguide.cli import main
from conftest import SITES

INVALID = SITES / "invalid"
CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_invalid_site_reports_exact_diagnostic(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / case
    shutil.copytree(INVALID / case, root)
    expected_file = root / "expected.txt"
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    expected_file.unlink()

    code = main(["build", "--root", str(root)])

    err = capsys.readouterr().err
    assert code == (2 if case.startswith("config-") else 1)
    assert "Traceback" not in err
    diagnostics = [line for line in err.splitlines() if ": error: " in line]
    assert diagnostics == expected
    assert not (root / "site").exists()


def test_cli_process_prints_no_traceback_for_bad_yaml(tmp_path: Path) -> None:
    root = tmp_path / "s"
    shutil.copytree(INVALID / "front-matter-yaml-syntax", root)
    proc = subprocess.run(
        [sys.executable, "-m", "citeguide", "build", "--root", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("content/guides/g.md:4:10: error: invalid YAML")


def test_all_problems_are_reported_before_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "s"
    for case in ("cite-confidence", "cite-url", "front-matter-unknown-key"):
        src = INVALID / case / "content" / "guides" / "g.md"
        dest = root / "content" / "guides" / f"{case}.md"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dest)
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert err.count(": error: ") == 3
    assert "[cite-confidence]" in err
    assert "[cite-url]" in err
    assert "[front-matter-unknown-key]" in err


def test_missing_root_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--root", str(tmp_path / "nowhere")]) == 2
    assert "is not a directory" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2
