"""Generate a synthetic site of N guides in citeguide's format, for the benchmarks.

Each guide is about 9 KB: front matter, Q&A sections, paragraphs, lists, a table, about
ten cite markers and a few calc markers against the bundled data tables.

    python bench/gen_site.py DIR [--guides 2000]
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = [
    "model",
    "serving",
    "batch",
    "latency",
    "throughput",
    "memory",
    "quantisation",
    "cache",
    "prompt",
    "token",
    "budget",
    "cluster",
    "replica",
    "scheduler",
    "kernel",
    "bandwidth",
    "precision",
    "context",
    "window",
    "eviction",
    "routing",
    "evaluation",
    "benchmark",
    "workload",
    "traffic",
    "request",
    "response",
    "queue",
    "capacity",
    "utilisation",
]
# One date and confidence per source, as the linter asks of real sites.
SOURCES = [
    (f"https://docs.example-{i}.org/page/{j}", f"2026-0{1 + (i + j) % 9}-1{j}",
     "high" if (i + j) % 3 else "medium")
    for i in range(40)
    for j in range(5)
]  # fmt: skip
CALCS = [
    "[calc: api_cost tokens={n}M model=claude-haiku-4.5]",
    "[calc: blended_price model=claude-sonnet-4.5 input_share=0.{s}]",
    "[calc: capacity tokens_per_second=llama-3.3-70b-fp8-h200 utilisation=0.{s}]",
    "[calc: selfhost_cost gpu_hourly=h100-sxm-rental-lambda gpus={g}]",
]


def _sentence(rng: random.Random, cite: bool) -> str:
    words = rng.sample(WORDS, 12)
    text = " ".join(words).capitalize()
    if cite:
        url, day, confidence = rng.choice(SOURCES)
        text += f" [cite: {url} · {day} · {confidence}]"
    return text + "."


def guide(i: int, rng: random.Random) -> str:
    tags = sorted(rng.sample([f"topic-{t}" for t in range(20)], 3))
    out = [
        "---",
        f'title: "Synthetic guide {i}: when does {rng.choice(WORDS)} matter?"',
        f'summary: "A generated guide about {rng.choice(WORDS)} and {rng.choice(WORDS)}."',
        f"published: 2026-0{rng.randint(1, 9)}-0{rng.randint(1, 9)}",
        f"tags: [{', '.join(tags)}]",
        "entities: [vLLM, SGLang]",
        "---",
        "",
    ]
    for q in range(5):
        out += [f"## Question {q + 1} about {rng.choice(WORDS)}?", ""]
        out.append(" ".join(_sentence(rng, cite=(q + k) % 3 == 0) for k in range(5)))
        out.append("")
        out += [f"- {_sentence(rng, cite=False)}" for _ in range(3)]
        out.append("")
        if q == 2:
            out += ["| Setting | Effect |", "|---|---|"]
            out += [f"| {rng.choice(WORDS)} | {_sentence(rng, cite=False)} |" for _ in range(3)]
            out.append("")
        if q % 2 == 0:
            numbers = {"n": rng.randint(1, 99), "s": rng.randint(1, 9), "g": rng.randint(1, 8)}
            calc = rng.choice(CALCS).format(**numbers)
            out += [f"The figure for this case is {calc}.", ""]
        out.append(" ".join(_sentence(rng, cite=k == 1) for k in range(4)))
        out.append("")
    return "\n".join(out)


def generate(root: Path, count: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    guides = root / "content" / "guides"
    shutil.rmtree(root / "content", ignore_errors=True)
    guides.mkdir(parents=True)
    shutil.copytree(REPO / "content" / "data", root / "content" / "data")
    for i in range(count):
        (guides / f"guide-{i:05d}.md").write_text(guide(i, rng), encoding="utf-8")
    return root


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--guides", type=int, default=2000)
    args = parser.parse_args()
    generate(args.root, args.guides)
    print(f"wrote {args.guides} guides under {args.root / 'content' / 'guides'}")
