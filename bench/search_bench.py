"""Search benchmark: what a reader waits for, citeguide's index in parts against one index.

A large site's search index comes in parts, so that one edit re-indexes one part
(`engine/search.py`); the search box merges them (`templates/assets/search.js`). This
times, in a real headless Chromium (Debian's, as the browser tests use), a reader's first
search on the built site: from the first letter typed to the first results shown, with
the pagefind requests and bytes it took. The peer, in the same run, is the same pages and
the same search box with pagefind's own index of the whole site, as a Hugo or Eleventy
site searched with pagefind has. Each figure is the median of `--runs` fresh browser
contexts, served from 127.0.0.1 with no added latency and with the round trip of a
network emulated (Chromium's own throttling), and printed as a ratio to the peer's.

Two queries: a word in most guides (the worst case: pagefind ranks thousands of pages)
and one guide's number, which finds a few. Two readers: one who types at once (the box
gets the focus and the query together) and one who goes to the box and types half a
second later, as people do.

    python bench/search_bench.py [--guides 2000] [--runs 5] [--baseline OTHER_CHECKOUT]

`--baseline` times another checkout's `templates/assets/search.js` on the same site, for
before and after.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from gen_site import generate  # noqa: E402
from installed import compile_package  # noqa: E402

# The browser tests' static server on 127.0.0.1 and Chromium flags.
from chromium import CHROMIUM_ARGS, serving  # noqa: E402

COMMON = "quantisation"
"""A word in most generated guides (their vocabulary is 40 words): every part has
results to send, and pagefind ranks thousands of pages, the worst case."""
LATENCIES = (0, 40)
"""Round trips emulated, in ms (40: a reader on the same continent as the server)."""
PAUSE_MS = 500
"""How long the second reader takes between going to the box and typing."""


def first_search(
    browser: Browser, url: str, site: Path, query: str, latency: int, pause: bool
) -> tuple[float, int, int]:
    """Seconds from the first letter to the first results, and the pagefind requests and
    bytes the page made until then, in a fresh browser context."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        if latency:
            cdp = context.new_cdp_session(tab)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", {
                "offline": False, "latency": latency,
                "downloadThroughput": 12_500_000, "uploadThroughput": 12_500_000,
            })  # fmt: skip
        tab.goto(url + "/")
        tab.wait_for_load_state("load")
        asked: list[str] = []
        tab.on("request", lambda request: asked.append(request.url))
        if pause:
            tab.focus("#search-input")
            tab.wait_for_timeout(PAUSE_MS)
        start = time.perf_counter()
        tab.fill("#search-input", query)
        tab.wait_for_selector("#search-results li a", timeout=120_000)
        seconds = time.perf_counter() - start
        found = [u.split("?")[0].removeprefix(url + "/") for u in asked if "/pagefind/" in u]
        size = sum((site / rel).stat().st_size for rel in found if (site / rel).is_file())
        return seconds, len(found), size
    finally:
        context.close()


Rows = dict[tuple[str, int, bool], tuple[float, int, int]]
"""(query, latency, pause) → median seconds, requests, bytes."""


def measure(browser: Browser, site: Path, runs: int, queries: list[str]) -> Rows:
    out: Rows = {}
    with serving(site) as url:
        for query in queries:
            for latency in LATENCIES:
                for pause in (False, True):
                    found = [first_search(browser, url, site, query, latency, pause)
                             for _ in range(runs)]  # fmt: skip
                    seconds = statistics.median(f[0] for f in found)
                    out[(query, latency, pause)] = (seconds, found[-1][1], found[-1][2])
    return out


def whole_index(site: Path, dest: Path) -> Path:
    """`site` with pagefind's own index of every page in place of the parts (the files
    are hard links: the same pages and scripts)."""
    subprocess.run(["cp", "-al", str(site), str(dest)], check=True)
    shutil.rmtree(dest / "pagefind")
    from pagefind_bin import get_executable  # type: ignore[import-untyped]

    subprocess.run([str(get_executable()), "--site", str(dest), "--silent"], check=True)
    return dest


def with_script(site: Path, script: Path, dest: Path) -> Path:
    """`site` with another checkout's search box script."""
    subprocess.run(["cp", "-al", str(site), str(dest)], check=True)
    (dest / "assets" / "search.js").unlink()
    shutil.copy(script, dest / "assets" / "search.js")
    return dest


def _report(results: dict[str, Rows]) -> None:
    peer = results["pagefind, whole index"]
    print(f"\n{'site':34s} {'query':>12s} {'latency':>7s} {'reader':>16s} "
          f"{'first results':>13s} {'requests':>8s} {'KB':>6s} {'vs whole':>8s}")  # fmt: skip
    for name, rows in results.items():
        for (query, latency, pause), (seconds, count, size) in rows.items():
            reader = "goes, then types" if pause else "types at once"
            ratio = seconds / peer[(query, latency, pause)][0]
            print(f"{name:34s} {query:>12s} {latency:5d}ms {reader:>16s} {seconds:11.2f} s "
                  f"{count:8d} {size / 1024:6.0f} {ratio:7.2f}×")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="another checkout, whose search.js to time")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("Chromium not found: make browser (Debian's chromium package)")
        return 1
    compile_package()
    work = Path(tempfile.mkdtemp(prefix="citeguide-search-bench-"))
    try:
        root = generate(work / "citeguide", args.guides)
        (root / "citeguide.toml").write_text("search = true\n")
        subprocess.run([sys.executable, "-m", "citeguide", "build"], cwd=root, check=True,
                       capture_output=True)  # fmt: skip
        site = root / "site"
        parts = len(json.loads((site / "pagefind" / "parts.json").read_text())) + 1
        print(f"{args.guides} guides; citeguide's index in {parts} parts; "
              f"{args.runs} runs each, median", flush=True)  # fmt: skip
        sites = {f"citeguide, {parts} parts": site}
        if args.baseline:
            script = args.baseline / "templates" / "assets" / "search.js"
            baseline = with_script(site, script, work / "baseline")
            sites[f"baseline's search.js, {parts} parts"] = baseline
        sites["pagefind, whole index"] = whole_index(site, work / "whole")
        results: dict[str, Rows] = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                # The common word, and one guide's number (in its title, "Synthetic
                # guide 1001: ..."): a query that finds a few pages, as most do.
                queries = [COMMON, str(args.guides // 2 + 1)]
                for name, folder in sites.items():
                    results[name] = measure(browser, folder, args.runs, queries)
                    print(f"  measured: {name}", flush=True)
            finally:
                browser.close()
        _report(results)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
