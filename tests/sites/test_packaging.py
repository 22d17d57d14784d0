"""The wheel and sdist that `python -m build` makes, installed where a stranger would.

The wheel is built from this checkout and installed into a fresh virtual environment with
`--no-index --no-deps` (no network). Its dependencies come from the test environment's
own site-packages, added to the new environment's path by a plain `.pth` line, which
does not run this checkout's editable-install hook: every `citeguide` module, template
and schema is the wheel's. Then a site root holding only `content/`, in another folder,
is built by the installed `citeguide` command.
"""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from citeguide import __version__
from conftest import REPO, guide_text, write_site


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The `bin/` folder of a fresh venv with only the wheel installed in it."""
    env = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    wheel = next(dist.glob("citeguide-*.whl"))
    proc = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-index", "--no-deps", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "test-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    return env / "bin"


def test_the_version_lives_in_one_place() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project
    assert project["dynamic"] == ["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_build_makes_a_wheel_and_an_sdist_with_the_theme_inside(dist: Path) -> None:
    wheel = dist / f"citeguide-{__version__}-py3-none-any.whl"
    sdist = dist / f"citeguide-{__version__}.tar.gz"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"citeguide-{__version__}.dist-info/METADATA").decode()
    for name in (
        "citeguide/cli.py",
        "citeguide/_defaults/templates/base.html",
        "citeguide/_defaults/templates/main.html",
        "citeguide/_defaults/templates/assets/style.css",
        "citeguide/_defaults/schemas/cite.schema.json",
        "citeguide/scaffold/citeguide.yml",
        "citeguide/scaffold/example-guide.md",
    ):
        assert name in names, name
    assert f"Version: {__version__}" in metadata
    assert "Requires-Dist: markdown-it-py>=4.1" in metadata
    with tarfile.open(sdist) as archive:
        members = {m.name.split("/", 1)[1] for m in archive.getmembers() if "/" in m.name}
    assert {"pyproject.toml", "README.md", "templates/base.html", "src/citeguide/cli.py"} <= members


def test_the_installed_wheel_builds_a_site_that_has_only_content(
    installed: Path, tmp_path: Path
) -> None:
    root = write_site(tmp_path / "elsewhere", {"content/guides/demo.md": guide_text()})
    where = subprocess.run(
        [str(installed / "python"), "-c", "import citeguide; print(citeguide.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
    ).stdout
    assert where.startswith(str(installed.parent)), where  # the wheel's, not this checkout's
    proc = subprocess.run(
        [str(installed / "citeguide"), "build"], capture_output=True, text=True, cwd=root
    )
    assert proc.returncode == 0, proc.stderr
    assert "built 1 guide" in proc.stdout
    page = (root / "site/demo/index.html").read_text(encoding="utf-8")
    assert "assets/style.css" in page
    assert (root / "site/assets/style.css").is_file()
    assert (root / "site/schemas/cite.schema.json").is_file()


def test_the_installed_wheel_inits_a_site_that_builds(installed: Path, tmp_path: Path) -> None:
    root = tmp_path / "new-site"
    for step in (["init", str(root)], ["lint", "--strict", "--root", str(root)]):
        proc = subprocess.run(
            [str(installed / "citeguide"), *step], capture_output=True, text=True, cwd=tmp_path
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = subprocess.run(
        [str(installed / "citeguide"), "build"], capture_output=True, text=True, cwd=root
    )
    assert proc.returncode == 0, proc.stderr
    assert (root / "site/how-to-write-a-guide/index.html").is_file()


def test_pip_installs_from_git(tmp_path: Path) -> None:
    """The README's third install line, `pip install git+URL`, from this repository's
    committed HEAD over `file://` (a clone, no network)."""
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    if head.returncode != 0:
        pytest.skip("not a git checkout (an unpacked sdist)")
    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env)
    python = str(env / "bin" / "python")
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # hatchling and the dependencies come from the test environment (no index, no network).
    Path(purelib, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    flags = ["--quiet", "--no-index", "--no-deps", "--no-build-isolation"]
    proc = subprocess.run(
        [python, "-m", "pip", "install", *flags, f"git+file://{REPO}@{head.stdout.strip()}"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    version = subprocess.run(
        [str(env / "bin" / "citeguide"), "--version"], capture_output=True, text=True
    )
    assert version.stdout.strip() == f"citeguide {__version__}"
