"""Save-to-reload latency of `citeguide serve` in a large site.

Generates N guides (default 2,000), starts `citeguide serve` as its own process, listens
on the live-reload stream like an open page does, then edits one guide at a time and
times each save until the reload event arrives. Goal: under 200 ms.

    python bench/serve_bench.py [--guides 2000] [--edits 10]
"""

from __future__ import annotations

import argparse
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_site import generate


def _listen(url: str, events: queue.Queue[tuple[str, float]], ready: threading.Event) -> None:
    with httpx.stream("GET", url, timeout=None) as response:
        for line in response.iter_lines():
            if line.startswith("retry:"):
                ready.set()
            elif line.startswith("event: "):
                events.put((line[7:], time.perf_counter()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="citeguide-serve-"))
    generate(root, args.guides)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "citeguide", "serve", "--port", "0", "--root", str(root)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        url = line.split()[1]
        first_build = time.perf_counter() - started
        events: queue.Queue[tuple[str, float]] = queue.Queue()
        ready = threading.Event()
        listener = threading.Thread(
            target=_listen, args=(url + "__citeguide/events", events, ready), daemon=True
        )
        listener.start()
        ready.wait(10)
        time.sleep(1.0)  # let the watcher settle
        latencies = []
        for i in range(args.edits):
            guide = root / "content" / "guides" / f"guide-{(i * 97) % args.guides:05d}.md"
            text = guide.read_text(encoding="utf-8")
            saved = time.perf_counter()
            guide.write_text(text.replace("Synthetic guide", f"Edited ({i}) guide", 1))
            event, arrived = events.get(timeout=30)
            assert event == "reload", event
            latencies.append((arrived - saved) * 1000)
            time.sleep(0.3)
        page = httpx.get(url + f"guide-{((args.edits - 1) * 97) % args.guides:05d}/").text
        assert f"Edited ({args.edits - 1}) guide" in page
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(root, ignore_errors=True)
    print(f"{args.guides} guides; first build and start {first_build:.1f} s")
    median = statistics.median(latencies)
    print(
        f"save → reload event over {args.edits} edits: median {median:.0f} ms, "
        f"min {min(latencies):.0f} ms, max {max(latencies):.0f} ms (goal < 200 ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
