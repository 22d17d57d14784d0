"""Hostile repositories: symlinks, FIFOs, devices, forged caches, alias bombs, control
characters. Each test builds a real site root with real files and runs the real CLI."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest

from citeguide.cli import main
from conftest import guide_text, write_site


def _build(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["build", "--root", str(root)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, [line for line in err.splitlines() if ": error: " in line or ": warning: " in line]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site-root", {"content/guides/demo.md": guide_text()})


# 2. Symlinks out of the site root are never read, whatever they stand for.
@pytest.mark.parametrize(
    ("link", "target"),
    [
        ("templates/assets/env.txt", "/proc/self/environ"),
        ("templates/assets/passwd.txt", "/etc/passwd"),
        ("content/guides/leak.md", "/etc/passwd"),
        ("content/data/fx.yaml", "/etc/hostname"),
        ("templates/guide.html", "/etc/passwd"),
        ("citeguide.toml", "/etc/passwd"),
        ("citeguide-links.json", "/etc/passwd"),
    ],
)
def test_symlink_out_of_the_root_is_an_error_and_nothing_is_published(
    root: Path, link: str, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = root / link
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    code, lines = _build(root, capsys)
    assert code in (1, 2)
    assert any("[symlink-outside-root]" in line and line.startswith(link) for line in lines), lines
    assert not (root / "site").exists()


def test_symlinked_assets_folder_out_of_the_root_is_an_error(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (root / "templates").mkdir()
    (root / "templates" / "assets").symlink_to(outside)
    code, lines = _build(root, capsys)
    assert code == 1
    assert any("[symlink-outside-root]" in line for line in lines), lines
    assert not (root / "site").exists()


def test_symlink_inside_the_root_is_fine(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "shared.md").write_text(guide_text("Shared"), encoding="utf-8")
    (root / "content/guides/shared.md").symlink_to(root / "shared.md")
    code, _ = _build(root, capsys)
    assert code == 0
    assert (root / "site/shared/index.html").exists()


# 9. FIFOs and devices are refused at once; every file read is capped.
def _run_cli(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "citeguide", *args, "--root", str(root)],
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    "name", ["content/guides/pipe.md", "content/data/fx.yaml", "citeguide-links.json"]
)
def test_a_fifo_is_refused_without_blocking(root: Path, name: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    proc = _run_cli(root, "build", timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert f"{name}:1:1: error:" in proc.stderr
    assert "[not-a-file]" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_fifo_config_is_refused_without_blocking(root: Path) -> None:
    os.mkfifo(root / "citeguide.toml")
    proc = _run_cli(root, "build")
    assert proc.returncode == 2
    assert "citeguide.toml:1:1: error:" in proc.stderr
    assert "[not-a-file]" in proc.stderr


def test_dev_zero_as_a_guide_is_refused(root: Path) -> None:
    (root / "content/guides/zero.md").symlink_to("/dev/zero")
    proc = _run_cli(root, "build")
    assert proc.returncode == 1
    assert "[symlink-outside-root]" in proc.stderr


def test_files_over_the_size_cap_are_refused(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "citeguide.toml").write_text("max_file_bytes = 4096\n", encoding="utf-8")
    (root / "content/guides/big.md").write_text(guide_text() + "x" * 5000, encoding="utf-8")
    code, lines = _build(root, capsys)
    assert code == 1
    assert any(line.startswith("content/guides/big.md:1:1: error:") and "[file-too-large]" in line
               for line in lines), lines  # fmt: skip


# 3. The build cache is data: a forged cache is ignored and can never run code.
class _Payload:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("touch PWNED",))


@pytest.mark.parametrize(
    "name", ["citeguide-cache.json", "citeguide-cache.pickle", "citeguide-cache/index.json"]
)
def test_a_forged_cache_runs_no_code_and_is_ignored(
    root: Path, name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(root)
    (root / "build" / name).parent.mkdir(parents=True)
    (root / "build" / name).write_bytes(
        b"citeguide-cache-1\n" + b"0" * 64 + pickle.dumps(_Payload())
    )
    code, _ = _build(root, capsys)
    assert code == 0
    assert not (root / "PWNED").exists()
    assert (root / "site/demo/index.html").exists()


# 8. YAML alias bombs and recursive aliases are refused at once.
BOMB = "\n".join(
    ['lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
)


@pytest.mark.parametrize(
    ("where", "text"),
    [
        (
            "front matter",
            f"---\ntitle: T\nsummary: S.\npublished: 2026-01-01\n{BOMB}\n---\nBody.\n",
        ),
        ("front matter", "---\ntitle: &t [*t]\nsummary: S.\npublished: 2026-01-01\n---\nBody.\n"),
        ("table", BOMB + "\n"),
    ],
)
def test_yaml_alias_bombs_are_refused_quickly(
    root: Path, where: str, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = root / ("content/guides/bomb.md" if where == "front matter" else "content/data/fx.yaml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    start = time.monotonic()
    code, lines = _build(root, capsys)
    assert time.monotonic() - start < 20
    assert code == 1
    assert any("YAML aliases (*name) are not supported" in line for line in lines), lines


# 13. A cache that cannot be saved is a warning after a good build, not a failure.
def test_unwritable_build_folder_is_a_warning_not_a_failed_build(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "build").write_text("not a folder", encoding="utf-8")
    code, lines = _build(root, capsys)
    assert code == 0
    assert (root / "site/demo/index.html").exists()
    assert any("[cache-not-saved]" in line and ": warning: " in line for line in lines), lines


# 14. Staging folders of builds that were killed are removed by the next build.
def test_stale_staging_folders_of_dead_builds_are_removed(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    stale = root / f".site.staging-{dead}"
    (stale / "x").mkdir(parents=True)
    # The search views a killed build was writing for pagefind (`search.start_parts`).
    views = root / f".site.staging-{dead}.abc.search-{dead}.def"
    (views / "guide").mkdir(parents=True)
    live = root / f".site.staging-{os.getppid()}"
    live.mkdir()
    code, _ = _build(root, capsys)
    assert code == 0
    assert not stale.exists()
    assert not views.exists()
    assert live.exists()


def test_killing_a_parallel_build_leaves_no_workers_behind(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "big",
        {f"content/guides/g{i:03d}.md": guide_text(f"Guide {i}") for i in range(200)},
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "citeguide", "build", "--jobs", "2", "--root", str(root)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    workers: list[int] = []
    deadline = time.monotonic() + 30
    while not workers and time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.02)
    proc.kill()
    proc.wait()
    if not workers:
        pytest.skip("the build finished before its workers could be seen")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
