"""`uncited-figure` on real prose: precision and recall against hand-labelled sentences.

The corpus and its labelling rules are described in `tests/fixtures/figures/README.md`.
Each sentence goes through the whole parser as a one-paragraph guide, so code spans, raw
HTML and sentence splitting are part of what is measured. The README reports the numbers
this test prints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from citeguide.content.parse import parse_guide
from conftest import TODAY

CORPUS = Path(__file__).parent / "fixtures" / "figures" / "corpus.jsonl"
FRONT = "---\ntitle: T\nsummary: S.\npublished: 2026-01-01\n---\n"


def _flagged(text: str) -> bool:
    guide, diags = parse_guide("content/guides/t.md", FRONT + text + "\n", today=TODAY)
    assert guide is not None, diags.render()
    return any(f.rule == "uncited-figure" for f in guide.findings)


def _scores(part: str) -> tuple[float, float, int]:
    rows: list[dict[str, Any]] = [
        json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()
    ]
    tp = fp = fn = 0
    selected = [r for r in rows if r["set"] == part]
    for row in selected:
        flagged = _flagged(row["text"])
        tp += flagged and row["figure"]
        fp += flagged and not row["figure"]
        fn += (not flagged) and row["figure"]
    return tp / (tp + fp), tp / (tp + fn), len(selected)


@pytest.mark.parametrize(
    ("part", "min_precision", "min_recall"),
    [("tuning", 0.95, 0.82), ("holdout", 0.88, 0.83)],
)
def test_uncited_figure_precision_and_recall(
    part: str, min_precision: float, min_recall: float, capsys: pytest.CaptureFixture[str]
) -> None:
    precision, recall, size = _scores(part)
    with capsys.disabled():
        print(
            f"\nuncited-figure on {size} {part} sentences: "
            f"precision {precision:.1%}, recall {recall:.1%}"
        )
    assert precision >= min_precision
    assert recall >= min_recall
