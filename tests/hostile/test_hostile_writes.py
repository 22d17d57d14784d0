"""Hostile repositories, round 2: writes. A pull request plants symlinks where citeguide
writes (temporary names, staging folders, `build/`, `site/`, the state file); nothing may
be written outside the site root, and nothing citeguide keeps may end up a link leading
out. Real files, the real CLI, a real HTTP server on 127.0.0.1 for `check`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from citeguide.cli import main
from conftest import guide_text, write_site
from linkserver import running

VICTIM = "precious data that must survive\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the site root holding a file a hostile link aims at."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "victim.txt").write_text(VICTIM, encoding="utf-8")
    return folder


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site-root", {"content/guides/demo.md": guide_text()})


def _untouched(outside: Path) -> None:
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"]
    assert (outside / "victim.txt").read_text(encoding="utf-8") == VICTIM


def _no_link_out(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        assert path.exists(), name
        assert not path.is_symlink(), name


def test_links_planted_at_the_old_temporary_names_are_never_written_through(
    root: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The build runs in this process, so its pid (the old names' only secret) is known.
    pid = os.getpid()
    (root / "build").mkdir()
    for name in (
        f"build/.citeguide-cache.json.{pid}.tmp",
        f"build/.citeguide-noop.json.{pid}.tmp",
    ):
        (root / name).symlink_to(outside / "victim.txt")
    (root / f".site.staging-{pid}").symlink_to(outside, target_is_directory=True)
    assert main(["build", "--root", str(root)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    _untouched(outside)
    _no_link_out(root, "site", "build/citeguide-cache/index.json", "build/citeguide-noop.json")
    assert (root / "site" / "demo" / "index.html").is_file()
    # A second build trusts what the first kept (a no-op), still writing nothing outside.
    assert main(["build", "--root", str(root)]) == 0
    _untouched(outside)


def _check(root: Path, link: str, target: Path) -> int:
    """`check` a site citing one page of a loopback server, with `link` planted first."""
    with running() as server:
        guide = guide_text().replace("https://github.com/vllm-project/vllm", server.url("/ok"))
        write_site(root, {"content/guides/demo.md": guide})
        (root / link).symlink_to(target)
        return main(["check", "--root", str(root)])


def test_a_link_planted_at_the_state_files_old_temporary_name_is_not_written_through(
    tmp_path: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "r"
    code = _check(root, f".citeguide-links.json.{os.getpid()}.tmp", outside / "victim.txt")
    assert code == 0
    assert "Traceback" not in capsys.readouterr().err
    _untouched(outside)
    _no_link_out(root, "citeguide-links.json")
    assert '"status": "ok"' in (root / "citeguide-links.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", ["build", "site"])
def test_build_or_site_as_a_symlink_out_of_the_root_is_refused_with_a_position(
    root: Path, outside: Path, folder: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / folder).symlink_to(outside, target_is_directory=True)
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{folder}:1:1: error: {folder}/ is a symlink to {outside}" in err
    assert "[symlink-outside-root]" in err
    _untouched(outside)
    assert (root / folder).is_symlink()  # left as it was, never swapped or followed


def test_a_state_file_linked_out_of_the_root_stops_check_before_any_write(
    tmp_path: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _check(tmp_path / "r", "citeguide-links.json", outside / "victim.txt")
    err = capsys.readouterr().err
    assert code == 1, err  # a content problem, as `build` reports it
    assert "citeguide-links.json:1:1: error:" in err
    assert "[symlink-outside-root]" in err
    _untouched(outside)


def test_a_staging_folder_planted_by_a_dead_build_as_a_link_is_removed_not_followed(
    root: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead = root / f".site.staging-{int(done.stdout)}"  # a process that has exited
    dead.symlink_to(outside, target_is_directory=True)
    # Past the largest pid Linux gives (2^22): no build's, left alone and not followed.
    odd = root / ".site.staging-999999999"
    odd.symlink_to(outside, target_is_directory=True)
    assert main(["build", "--root", str(root)]) == 0
    assert not dead.is_symlink()
    assert odd.is_symlink()
    _untouched(outside)


@pytest.mark.parametrize("where", ["build/citeguide-cache", "build/citeguide-cache/guides"])
def test_cache_folders_linked_elsewhere_are_never_written_into_or_emptied(
    root: Path, outside: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # A link out of the root, and one into the guides folder, whose files the cache's
    # clean-up would otherwise take for stale entries.
    keep = root / "content" / "guides" / f"{'a' * 64}.json"
    keep.write_text(VICTIM, encoding="utf-8")
    (root / where).parent.mkdir(parents=True, exist_ok=True)
    target = outside if where.endswith("cache") else root / "content" / "guides"
    (root / where).symlink_to(target, target_is_directory=True)
    assert main(["build", "--root", str(root)]) == 0
    err = capsys.readouterr().err
    assert "[cache-not-saved]" in err
    assert "Traceback" not in err
    _untouched(outside)
    assert keep.read_text(encoding="utf-8") == VICTIM
    assert sorted(p.name for p in (root / "content" / "guides").iterdir()) == [keep.name, "demo.md"]
    assert (root / "site" / "demo" / "index.html").is_file()


def test_a_link_planted_as_an_entry_is_refused_and_removed(
    root: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from citeguide.engine.cache import ENTRY_DIR

    assert main(["build", "--root", str(root)]) == 0
    (entry,) = (root / ENTRY_DIR).iterdir()
    entry.unlink()
    entry.symlink_to(outside / "victim.txt")
    (root / "site" / "index.html").unlink()  # past the no-op record
    assert main(["build", "--root", str(root)]) == 0
    assert "1 of 1 build cache entries were discarded (unsafe: 1)" in capsys.readouterr().err
    _untouched(outside)
    (kept,) = (root / ENTRY_DIR).iterdir()
    assert kept.is_file()
    assert not kept.is_symlink()
