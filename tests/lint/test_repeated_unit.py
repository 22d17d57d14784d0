"""`repeated-unit`: a stranger's guide on Kubernetes or one VM summarised "Kubernetes pays
for itself from about [calc: breakeven_team] engineers" and published "from about
3.87–78.8 engineers engineers" on the page, the index and the feeds, with nothing said:
a figure is shown with its unit. A word after a marker that the figure ends with is
now a warning at the marker."""

from __future__ import annotations

from pathlib import Path

from citeguide.engine.incremental import check_site
from conftest import TODAY, write_site

MODEL = """\
breakeven_team:
  title: Team size at which Kubernetes costs no more than one VM
  unit: engineer
  params:
    gap: {unit: USD/month, label: Kubernetes' extra fixed cost}
    saving: {unit: USD/engineer/month, label: saving per engineer}
  formula: gap / saving
"""
MARKER = "[calc: breakeven_team gap=2600 saving=200]"


def _warnings(tmp_path: Path, summary: str, body: str) -> list[str]:
    front = f"---\ntitle: Kubernetes\nsummary: '{summary}'\npublished: 2026-05-01\n---\n\n"
    root = write_site(tmp_path, {"citeguide.toml": '[units]\ncount = ["engineer"]\n',
                                 "content/guides/g.md": front + body,
                                 "content/models/k8s.yaml": MODEL})  # fmt: skip
    result = check_site(root, today=TODAY)
    assert not result.diagnostics.has_errors(), result.diagnostics.render()
    return [d.format() for d in result.diagnostics.sorted() if d.rule == "repeated-unit"]


def test_a_unit_written_again_after_a_marker_is_told(tmp_path: Path) -> None:
    body = (f"## When?\n\nIt breaks even at {MARKER} engineers.\n\n"
            f"One engineer more than {MARKER} engineer is enough.\n")  # fmt: skip
    assert _warnings(tmp_path, f"It pays from {MARKER} engineers.", body) == [
        "content/guides/g.md:3:24: warning: the figure already ends with its unit, and the "
        "word after the marker repeats it: '13 engineers engineers'; take 'engineers' out "
        "of the sentence [repeated-unit]",
        "content/guides/g.md:9:19: warning: the figure already ends with its unit, and the "
        "word after the marker repeats it: '13 engineers engineers'; take 'engineers' out "
        "of the sentence [repeated-unit]",
        "content/guides/g.md:11:24: warning: the figure already ends with its unit, and the "
        "word after the marker repeats it: '13 engineers engineer'; take 'engineer' out of "
        "the sentence [repeated-unit]",
    ]


def test_a_word_that_is_not_the_unit_and_code_are_left_alone(tmp_path: Path) -> None:
    body = (f"## When?\n\nIt breaks even at {MARKER} on the team.\n\n"
            f"Write `{MARKER} engineers` for the figure.\n\n"
            f"```text\n{MARKER} engineers\n```\n")  # fmt: skip
    assert _warnings(tmp_path, f"It pays from {MARKER} or more.", body) == []
