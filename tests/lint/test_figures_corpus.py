"""`uncited-figure` and `hand-arithmetic` on real prose: precision and recall against
hand-labelled sentences.

The corpora and their labelling rules are described in `tests/fixtures/figures/README.md`:
`corpus.jsonl` (LLM serving and GPUs) and `domains.jsonl` (home energy, databases,
Kubernetes, health and finance). Each sentence goes through the whole parser as a
one-paragraph guide, so code spans, raw HTML and sentence splitting are part of what is
measured. docs/authoring.md reports the numbers this test prints; the floors are the
numbers measured when the rules last changed.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from citeguide.content.parse import parse_guide
from citeguide.lint.editorial import guide_findings
from conftest import TODAY

FIXTURES = Path(__file__).parent.parent / "fixtures" / "figures"
FRONT = "---\ntitle: T\nsummary: S.\npublished: 2026-01-01\n---\n"


@cache
def _rules(text: str) -> frozenset[str]:
    guide, diags = parse_guide("content/guides/t.md", FRONT + text + "\n", today=TODAY)
    assert guide is not None, diags.render()
    return frozenset(f.rule for f in guide_findings(guide))


def _rows(corpus: str, part: str, domain: str | None = None) -> list[dict[str, Any]]:
    lines = (FIXTURES / corpus).read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    return [r for r in rows if r["set"] == part and domain in (None, r.get("domain"))]


def _scores(rows: list[dict[str, Any]], rule: str, label: str) -> tuple[float, float]:
    tp = fp = fn = 0
    for row in rows:
        flagged = rule in _rules(row["text"])
        tp += flagged and row[label]
        fp += flagged and not row[label]
        fn += (not flagged) and row[label]
    return tp / (tp + fp), tp / (tp + fn)


@pytest.mark.parametrize(
    ("corpus", "part", "min_precision", "min_recall"),
    [
        ("corpus.jsonl", "tuning", 0.97, 0.89),
        ("corpus.jsonl", "holdout", 0.90, 0.91),
        ("domains.jsonl", "tuning", 0.95, 0.90),
        ("domains.jsonl", "holdout", 0.84, 0.80),
    ],
)
def test_uncited_figure_precision_and_recall(
    corpus: str,
    part: str,
    min_precision: float,
    min_recall: float,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = _rows(corpus, part)
    precision, recall = _scores(rows, "uncited-figure", "figure")
    domains = sorted({r["domain"] for r in rows if "domain" in r})
    by_domain = [(d, _scores(_rows(corpus, part, d), "uncited-figure", "figure")) for d in domains]
    with capsys.disabled():
        print(
            f"\nuncited-figure on {len(rows)} {part} sentences of {corpus}: "
            f"precision {precision:.1%}, recall {recall:.1%}"
            + "".join(f"; {d} {p:.1%}/{r:.1%}" for d, (p, r) in by_domain)
        )
    assert precision >= min_precision
    assert recall >= min_recall


def test_hand_arithmetic_fires_only_on_arithmetic() -> None:
    """Every sentence the rule flags in the labelled corpus works a figure out by hand."""
    rows = _rows("domains.jsonl", "tuning") + _rows("domains.jsonl", "holdout")
    flagged = [r for r in rows if "hand-arithmetic" in _rules(r["text"])]
    assert len(flagged) >= 2
    assert all(r["arithmetic"] for r in flagged)
