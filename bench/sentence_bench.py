"""Sentence splitters compared: Golden Rules accuracy and speed, in one run.

citeguide's splitter (sentencex plus its own rules) against the libraries it was chosen
over, each used when installed (`pip install pysbd syntok nupunkt`): the 52 English Golden
Rules (tests/fixtures/sentences/golden_rules_en.json), the guide-domain cases, and the
time to split the prose of the generated benchmark guides (bench/gen_site.py).

    python bench/sentence_bench.py [--guides 200]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen_site import generate  # noqa: E402

from citeguide.text.sentences import sentence_starts  # noqa: E402

FIXTURES = HERE.parent / "tests" / "fixtures" / "sentences"
Splitter = Callable[[str], list[str]]


def _citeguide(text: str) -> list[str]:
    starts = sentence_starts(text)
    return [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def _peers() -> dict[str, Splitter]:
    found: dict[str, Splitter] = {}
    try:
        import pysbd

        segmenter = pysbd.Segmenter(language="en", clean=False)
        found["pysbd"] = lambda t: [s.strip() for s in segmenter.segment(t)]
    except ImportError:
        pass
    try:
        from syntok import segmenter as syntok

        def _syntok(text: str) -> list[str]:
            return [
                "".join(tok.spacing + tok.value for tok in sentence).strip()
                for paragraph in syntok.analyze(text)
                for sentence in paragraph
            ]

        found["syntok"] = _syntok
    except ImportError:
        pass
    try:
        import nupunkt

        found["nupunkt"] = lambda t: [s.strip() for s in nupunkt.sent_tokenize(t)]
    except ImportError:
        pass
    return found


def _score(split: Splitter, cases: list[dict[str, Any]]) -> int:
    one = lambda t: re.sub(r"\s+", " ", t).strip()  # noqa: E731
    return sum(split(one(c["text"])) == [one(s) for s in c["expected"]] for c in cases)


def _prose(guides: int) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), guides)
        paragraphs = []
        for path in sorted(Path(tmp).rglob("*.md")):
            body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
            paragraphs += [p for p in body.split("\n\n") if p and p[0].isalpha()]
        return [re.sub(r"\[(?:cite|calc):[^\]]*\]", "", p) for p in paragraphs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--guides", type=int, default=200)
    args = parser.parse_args()
    golden = json.loads((FIXTURES / "golden_rules_en.json").read_text(encoding="utf-8"))
    domain = json.loads((FIXTURES / "domain_cases.json").read_text(encoding="utf-8"))
    prose = _prose(args.guides)
    size = sum(map(len, prose)) / 1e6
    print(f"{'splitter':<12} {'golden':>8} {'domain':>8} {'seconds':>9}  ({size:.1f} MB of prose)")
    base = None
    for name, split in {"citeguide": _citeguide, **_peers()}.items():
        start = time.perf_counter()
        for paragraph in prose:
            split(paragraph)
        seconds = time.perf_counter() - start
        base = base or seconds
        print(
            f"{name:<12} {_score(split, golden):>5}/52 {_score(split, domain):>5}/{len(domain)}"
            f" {seconds:>9.2f}  ({seconds / base:.1f}× citeguide)"
        )


if __name__ == "__main__":
    main()
