"""Build benchmark: citeguide against Hugo, Eleventy and MkDocs on the same Markdown.

Generates N synthetic guides (default 2,000; see gen_site.py) and times, as whole
processes in one run, a cold build, a no-op rebuild and a rebuild after editing one
guide (the median of three, each to another guide), with peak memory, and prints every
figure as a ratio to Hugo's and Eleventy's of the same run. Peers are used when
installed: `hugo` on PATH (Debian package), `mkdocs` and `eleventy` on PATH or in
bench/.tools (see docs/performance.md). `--scale 20000` runs the whole comparison again
at that size (minutes: not for CI).

    python bench/build_bench.py [--guides 2000] [--scale 20000]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen_site import generate  # noqa: E402
from installed import compile_package  # noqa: E402

TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def _tool(name: str, *candidates: Path) -> str | None:
    return next((str(p) for p in candidates if p.exists()), None) or shutil.which(name)


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int | None]:
    """Wall seconds and peak memory (KB) of one whole process. What the last process (or
    the generator) wrote is flushed to disk first, untimed: the first tool timed after
    generating 20,000 guides otherwise shares the disk with their writeback (a cold
    build of 200 s that took 139 s once the disk was quiet)."""
    prefix = [TIME, "-f", "MAXRSS=%M"] if TIME else []
    os.sync()
    start = time.perf_counter()
    proc = subprocess.run(
        prefix + cmd, cwd=cwd, capture_output=True, text=True, check=False, env=env
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    found = re.findall(r"MAXRSS=(\d+)", proc.stderr)
    return elapsed, int(found[-1]) if found else None


_EDITS = [0]
EDITS = 3
"""One edit is timed as the median of this many, each to another guide's body: an
author's session of edits, not only the first after a cold build."""


def _edit(path: Path) -> None:
    """Change one guide's body, differently each time."""
    _EDITS[0] += 1
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\nAn edited paragraph, revision {_EDITS[0]}.\n")


Timed = tuple[float, int | None]


def _edited(guides: list[Path], build: Callable[[], Timed]) -> Timed:
    """The median time of `EDITS` builds, each after editing another guide, and the
    largest peak memory among them."""
    runs = []
    for k in range(EDITS):
        _edit(guides[10 + k])
        runs.append(build())
    seconds = sorted(t for t, _ in runs)[len(runs) // 2]
    peak = max((m or 0) for _, m in runs)
    return seconds, peak or None


def _peer_sources(site: Path, dest: Path) -> list[Path]:
    """The same guides as plain Markdown files for the peers, front matter kept."""
    dest.mkdir(parents=True)
    files = []
    for guide in sorted((site / "content" / "guides").glob("*.md")):
        target = dest / guide.name
        shutil.copy(guide, target)
        files.append(target)
    return files


def bench_citeguide(
    root: Path, search: bool, source: Path | None = None
) -> dict[str, tuple[float, int | None]]:
    """citeguide's three builds; `source`: another checkout's `src/` to time instead."""
    (root / "citeguide.toml").write_text(f"search = {'true' if search else 'false'}\n")
    shutil.rmtree(root / "site", ignore_errors=True)
    shutil.rmtree(root / "build", ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(source)} if source else None
    cmd = [sys.executable, "-m", "citeguide", "build"]
    cold = run(cmd, root, env)
    noop = run(cmd, root, env)
    guides = sorted((root / "content" / "guides").glob("*.md"))
    edit = _edited(guides, lambda: run(cmd, root, env))
    return {"cold": cold, "noop": noop, "edit": edit}


def bench_hugo(hugo: str, work: Path, site: Path) -> dict[str, tuple[float, int | None]]:
    root = work / "hugo"
    files = _peer_sources(site, root / "content" / "guides")
    (root / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "Bench"\n'
                                    'disableKinds = ["taxonomy", "term"]\n')  # fmt: skip
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    page = "<!doctype html><title>{{ .Title }}</title><main>{{ .Content }}</main>"
    (layouts / "single.html").write_text(page)
    (layouts / "list.html").write_text(
        "<!doctype html><ul>{{ range .Pages }}<li>{{ .Title }}</li>{{ end }}</ul>"
    )
    cmd = [hugo, "--quiet"]
    return {
        "cold": run(cmd, root),
        "noop": run(cmd, root),
        "edit": _edited(files, lambda: run(cmd, root)),
    }


def bench_mkdocs(mkdocs: str, work: Path, site: Path) -> dict[str, tuple[float, int | None]]:
    root = work / "mkdocs"
    files = _peer_sources(site, root / "docs")
    (root / "mkdocs.yml").write_text("site_name: Bench\n")
    cmd = [mkdocs, "build", "--quiet"]
    return {
        "cold": run(cmd, root),
        "noop": run(cmd, root),
        "edit": _edited(files, lambda: run(cmd, root)),
    }


def bench_eleventy(eleventy: str, work: Path, site: Path) -> dict[str, tuple[float, int | None]]:
    root = work / "eleventy"
    files = _peer_sources(site, root / "src")
    cmd = [eleventy, "--input=src", "--output=_site", "--quiet"]
    return {
        "cold": run(cmd, root),
        "noop": run(cmd, root),
        "edit": _edited(files, lambda: run(cmd, root)),
    }


def compare(
    work: Path, guides: int, baseline: Path | None = None
) -> dict[str, dict[str, tuple[float, int | None]]]:
    """Every tool on the same `guides` generated guides, in one run; `baseline`: an
    older checkout's `src/`, timed too (before/after in the same run)."""
    site = generate(work / "citeguide", guides)
    size = sum(p.stat().st_size for p in (site / "content" / "guides").glob("*.md"))
    print(f"\n{guides} guides, {size / guides / 1024:.1f} KB each on average, "
          f"{os.cpu_count()} cores", flush=True)  # fmt: skip
    results = {
        "citeguide": bench_citeguide(site, search=True),
        "citeguide (search off)": bench_citeguide(site, search=False),
    }
    _page_weight(site)
    if baseline:
        results["baseline"] = bench_citeguide(site, search=True, source=baseline)
        results["baseline (search off)"] = bench_citeguide(site, search=False, source=baseline)
    tools = HERE / ".tools"
    if hugo := _tool("hugo"):
        results["Hugo"] = bench_hugo(hugo, work, site)
    else:
        print("Hugo not found: apt-get install hugo")
    if eleventy := _tool("eleventy", tools / "node_modules" / ".bin" / "eleventy"):
        results["Eleventy"] = bench_eleventy(eleventy, work, site)
    else:
        print("Eleventy not found: npm install --prefix bench/.tools @11ty/eleventy@3")
    if mkdocs := _tool("mkdocs", tools / "mkdocs-venv" / "bin" / "mkdocs"):
        results["MkDocs"] = bench_mkdocs(mkdocs, work, site)
    _report(results)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=2000)
    parser.add_argument("--scale", type=int, default=0, help="run it all again at this size")
    parser.add_argument("--baseline", type=Path, help="another checkout's src/ to time too")
    args = parser.parse_args()
    compile_package()
    if args.baseline:
        compile_package(args.baseline)
    for guides in [args.guides, args.scale] if args.scale else [args.guides]:
        work = Path(tempfile.mkdtemp(prefix="citeguide-bench-"))
        try:
            compare(work, guides, args.baseline)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _page_weight(site: Path) -> None:
    """Bytes of HTML per guide page for the KB of Markdown it was written in."""
    guides = sorted((site / "content" / "guides").glob("*.md"))
    markdown = sum(p.stat().st_size for p in guides)
    html = sum((site / "site" / p.stem / "index.html").stat().st_size for p in guides)
    print(
        f"\npage weight: {html / len(guides) / 1024:.1f} KB of HTML per guide page for "
        f"{markdown / len(guides) / 1024:.1f} KB of Markdown ({html / markdown:.2f} bytes per byte)"
    )


KINDS = ("cold", "noop", "edit")


def _memory(result: dict[str, tuple[float, int | None]]) -> float:
    return max((m or 0) for _, m in result.values()) / 1024


def _report(results: dict[str, dict[str, tuple[float, int | None]]]) -> None:
    """Seconds and peak memory, then each figure as a ratio to each peer of this run."""
    print(f"\n{'tool':24} {'cold s':>8} {'no-op s':>8} {'edit s':>8} {'peak MB':>8}")
    for name, r in results.items():
        seconds = " ".join(f"{r[k][0]:8.2f}" for k in KINDS)
        print(f"{name:24} {seconds} {_memory(r):8.0f}")
    for peer in ("Hugo", "Eleventy"):
        base = results.get(peer)
        if base is None:
            continue
        print(f"\nvs {peer} (same run): cold / no-op / edit / memory")
        for name, r in results.items():
            if name == peer:
                continue
            ratios = [r[k][0] / base[k][0] for k in KINDS]
            ratios.append(_memory(r) / (_memory(base) or 1))
            print(f"  {name:22} " + " / ".join(f"{x:.2f}×" for x in ratios))
    # The goals of docs/performance.md, from this run's numbers.
    ours, hugo, eleventy = results["citeguide"], results.get("Hugo"), results.get("Eleventy")
    if hugo and eleventy:
        print(f"\ngoals: cold ≤ 2× Eleventy: {ours['cold'][0] / eleventy['cold'][0]:.2f}×; "
              f"one edit with search ≤ 0.5× Hugo: {ours['edit'][0] / hugo['edit'][0]:.2f}×; "
              f"no-op ≤ 0.15× Hugo: {ours['noop'][0] / hugo['noop'][0]:.2f}×")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
