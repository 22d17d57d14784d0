"""Link-check benchmark: 1,000 URLs on 20 loopback hosts that answer after 50 ms.

Times `citeguide check` (a whole process, cold and then warm with --max-age) and, when
installed, linkinator (npm) and LinkChecker (PyPI) on the same URLs in the same run, and
prints the ratios, of wall time and of CPU time (user + system, the process and its
children). The site is built first, untimed, as CI does before it checks: `check` then
takes the citations from the build cache instead of parsing the guides again. The servers
count requests in flight per host, so the per-host limit is verified from the server's
side.

    python bench/linkcheck_bench.py [--urls 1000] [--hosts 20] [--delay 0.05]

Peers are looked for in bench/.tools (see the README) and on PATH.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from linkserver import LinkServer  # noqa: E402

sys.path.insert(0, str(HERE))
from installed import compile_package  # noqa: E402


def _tool(name: str, *candidates: Path) -> str | None:
    for path in candidates:
        if path.exists():
            return str(path)
    return shutil.which(name)


CPU: list[float] = []
"""CPU seconds of each timed process, in the order timed."""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    before, start = _cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    CPU.append(_cpu() - before)
    return elapsed, proc


def _build(work: Path) -> None:
    """Build the site, untimed: the cache `check` reads its citations from."""
    proc = subprocess.run([sys.executable, "-m", "citeguide", "build", "--root", str(work)],
                          cwd=work, capture_output=True, text=True, check=False)  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"citeguide build failed:\n{proc.stdout}\n{proc.stderr}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.05)
    args = parser.parse_args()
    compile_package()

    servers = [LinkServer(f"127.0.0.{i + 1}", args.delay).start() for i in range(args.hosts)]
    urls = [servers[i % args.hosts].url(f"/page{i}") for i in range(args.urls)]
    work = Path(tempfile.mkdtemp(prefix="citeguide-bench-"))
    os.chmod(work, 0o755)  # LinkChecker drops root privileges before reading the file
    guide = ["---", "title: Bench", "summary: Many links.", "published: 2026-01-01", "---", ""]
    guide += [f"Claim {i} [cite: {u} · 2026-01-01 · high]." for i, u in enumerate(urls)]
    (work / "content" / "guides").mkdir(parents=True)
    (work / "content" / "guides" / "bench.md").write_text("\n\n".join(guide) + "\n")
    page = work / "links.html"
    page.write_text("<html><body>" + "".join(f'<a href="{u}">{i}</a>\n' for i, u in
                                             enumerate(urls)) + "</body></html>")  # fmt: skip
    os.chmod(page, 0o644)

    def reset() -> None:
        for srv in servers:
            with srv.httpd.lock:
                srv.httpd.max_in_flight = 0
                srv.httpd.hits.clear()

    citeguide = [sys.executable, "-m", "citeguide", "check", "--root", str(work)]
    rows: list[tuple[str, float, str]] = []
    (work / "citeguide.toml").write_text("search = false\n")
    _build(work)
    reset()
    cold, proc = _timed([*citeguide, "--format", "json"], work)
    statuses = [line for line in proc.stdout.splitlines() if '"status": "ok"' in line]
    per_host = max(s.max_in_flight for s in servers)
    requests = sum(sum(s.httpd.hits.values()) for s in servers)
    rows.append(("citeguide check (cold)", cold,
                 f"{len(statuses)}/{args.urls} ok, {requests} requests, "
                 f"max {per_host} in flight per host (limit 8)"))  # fmt: skip
    warm, _ = _timed([*citeguide, "--max-age", "1"], work)
    rows.append(("citeguide check --max-age 1 (warm)", warm, "every URL fresh: no requests"))
    (work / "citeguide-links.json").unlink()
    (work / "citeguide.toml").write_text("search = false\n[linkcheck]\nread_pages = false\n")
    _build(work)
    reset()
    head_only, _ = _timed(citeguide, work)
    requests = sum(sum(s.httpd.hits.values()) for s in servers)
    rows.append(("citeguide check, read_pages = false", head_only,
                 f"{requests} requests (HEAD only: no soft-404 detection)"))  # fmt: skip

    linkinator = _tool("linkinator", HERE / ".tools" / "node_modules" / ".bin" / "linkinator")
    if linkinator:
        reset()
        elapsed, proc = _timed([linkinator, str(page)], work)
        per_host = max(s.max_in_flight for s in servers)
        rows.append(("linkinator", elapsed, f"exit {proc.returncode}, max {per_host} in flight "
                     "per host"))  # fmt: skip
    linkchecker = _tool("linkchecker", HERE / ".tools" / "lcvenv" / "bin" / "linkchecker")
    if linkchecker:
        reset()
        elapsed, proc = _timed([linkchecker, "--check-extern", "--no-warnings", str(page)], work)
        per_host = max(s.max_in_flight for s in servers)
        rows.append(("LinkChecker", elapsed, f"exit {proc.returncode}, max {per_host} in flight "
                     "per host"))  # fmt: skip

    for srv in servers:
        srv.stop()
    shutil.rmtree(work, ignore_errors=True)

    print(f"{args.urls} URLs on {args.hosts} loopback hosts, {args.delay * 1000:.0f} ms per answer")
    print(f"{'tool':38} {'wall s':>8} {'CPU s':>7} {'vs citeguide':>13}  notes")
    for (name, seconds, note), cpu in zip(rows, CPU, strict=True):
        print(f"{name:38} {seconds:8.2f} {cpu:7.2f} {seconds / cold:12.2f}×  {note}")
    for (name, seconds, _), cpu in zip(rows[3:], CPU[3:], strict=True):
        print(f"citeguide cold / {name}: {cold / seconds:.2f}× wall, {CPU[0] / cpu:.2f}× CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
