"""What a ranged figure says moves it most: each ranged input named so a reader can
tell it from the others, also when one row holds several ranged cells.

Found in a stranger test (Kubernetes, managed or self-run): a row of upstream effort with
ranged upgrade hours and ranged upkeep hours gave two bars both labelled `Upstream
cadence and effort (upstream-2026)`, and a salary row with a ranged salary and a ranged
overhead two bars both labelled `Engineer salary row (us-devops)`, on the page, in the
tornado chart and in both twins.
"""

from __future__ import annotations

import json
from pathlib import Path

from citeguide.config import SiteConfig
from citeguide.content.models import load_library
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.library import Library
from citeguide.diagnostics import Diagnostics
from citeguide.engine.builder import build_site
from conftest import TODAY, write_site

TABLE = """\
columns:
  upgrade_hours: h
  upkeep_hours: h/month
  rate: USD/h
rows:
  upstream:
    upgrade_hours: 16..40
    upkeep_hours: 4..10
    rate: 90
    source: https://kubernetes.io/releases/release/
    date: 2026-11-29
    confidence: medium
  flat:
    upgrade_hours: 28
    upkeep_hours: 7
    rate: 80..120
    source: https://kubernetes.io/releases/release/
    date: 2026-11-29
    confidence: medium
"""
MODELS = """\
ops_cost:
  title: Yearly cost of keeping a cluster up to date
  unit: USD/year
  params:
    effort: {table: effort, label: upgrade and upkeep effort (per cluster)}
  formula: '(3[1/year] * effort.upgrade_hours + effort.upkeep_hours * 12[month/year]) * effort.rate'
"""
GUIDE = """\
---
title: "What does running a cluster cost?"
summary: "One figure."
published: 2026-11-30
---

## What does it cost?

Upgrades and upkeep cost [calc: ops_cost effort=upstream] a year.

```chart tornado
title = What moves the cost most
figure = ops_cost effort=upstream
```
"""


def _library(root: Path) -> Library:
    write_site(root, {"content/data/effort.yaml": TABLE, "content/models/ops.yaml": MODELS})
    diags = Diagnostics()
    lib = load_library(root, SiteConfig(currency="USD"), diags)
    assert not diags.has_errors(), diags.render()
    return lib


def test_two_ranged_cells_of_one_row_are_told_apart(tmp_path: Path) -> None:
    result = evaluate("ops_cost", {"effort": "upstream"}, _library(tmp_path))
    labels = {d["input"]: d["label"] for d in result.drivers}
    assert labels == {
        "effort:upstream.upgrade_hours": "Upgrade and upkeep effort (upstream, upgrade hours)",
        "effort:upstream.upkeep_hours": "Upgrade and upkeep effort (upstream, upkeep hours)",
    }
    # Others at their midpoints (28 h, 7 h/month), at $90/h: 3 × 16 + 84 = 132 h and
    # 3 × 40 + 84 = 204 h a year; 84 + 48 = 132 h and 84 + 120 = 204 h.
    swings = {d["input"]: (d["low"], d["high"]) for d in result.drivers}
    assert swings == {"effort:upstream.upgrade_hours": (132 * 90, 204 * 90),
                      "effort:upstream.upkeep_hours": (132 * 90, 204 * 90)}  # fmt: skip


def test_one_ranged_cell_of_a_row_keeps_the_row_alone(tmp_path: Path) -> None:
    result = evaluate("ops_cost", {"effort": "flat"}, _library(tmp_path))
    [driver] = result.drivers
    assert driver["label"] == "Upgrade and upkeep effort (flat)"


def test_the_tornado_and_the_twins_name_each_cell(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"content/data/effort.yaml": TABLE,
                                 "content/models/ops.yaml": MODELS,
                                 "content/guides/cost.md": GUIDE})  # fmt: skip
    result = build_site(root, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    twin = json.loads((root / "site" / "cost.cite.json").read_text(encoding="utf-8"))
    [chart] = twin["charts"]
    bars = [bar["label"] for bar in chart["bars"]]
    assert len(set(bars)) == len(bars) == 2
    [calc] = twin["calculations"]
    assert sorted(d["label"] for d in calc["drivers"]) == sorted(bars)
    markdown = (root / "site" / "cost.md").read_text(encoding="utf-8")
    page = (root / "site" / "cost" / "index.html").read_text(encoding="utf-8")
    for label in bars:
        assert f"| {label} |" in markdown
        assert label in page


CALLER = """\
team_ops:
  title: Yearly cost of a team's cluster upkeep
  unit: USD/year
  params:
    clusters: {unit: "1", default: 1, label: clusters the team runs}
  formula: clusters * ops_cost(effort='upstream')
"""


def test_a_row_a_called_model_reads_is_named_after_its_table(tmp_path: Path) -> None:
    """A stranger's Kubernetes guide: a row written in a model's call
    (`people_cost(ops='kubernetes', ...)`) is given to no parameter of the figure, and its
    ranged cells were labelled with their inner names, `Moves most with
    ops:kubernetes.fixed` on the page. They are named after the table as readers know it,
    its title (else `the effort table`), with the row and the column."""
    titled = "title: Upgrade and upkeep effort per cluster\n" + TABLE
    for root, table in ((tmp_path / "plain", TABLE), (tmp_path / "titled", titled)):
        write_site(root, {"content/models/team.yaml": CALLER})
        _library(root)
        write_site(root, {"content/data/effort.yaml": table})
        diags = Diagnostics()
        lib = load_library(root, SiteConfig(currency="USD"), diags)
        assert not diags.has_errors(), diags.render()
        result = evaluate("team_ops", {}, lib)
        words = "Upgrade and upkeep effort per cluster" if table is titled else "The effort table"
        assert sorted(d["label"] for d in result.drivers) == [
            f"{words} (upstream, upgrade hours)",
            f"{words} (upstream, upkeep hours)",
        ]


NAMED = """\
k8s_ops:
  title: Yearly cost of keeping a cluster up to date
  unit: USD/year
  params:
    effort: {table: effort, label: Kubernetes upgrade effort}
    rate: {unit: USD/h, label: cost of an engineer hour}
  formula: '3[1/year] * effort.upgrade_hours * rate'
"""


def test_a_label_that_starts_with_a_name_keeps_its_capital_inside_a_sentence(
    tmp_path: Path,
) -> None:
    """A stranger's Kubernetes guide labelled a parameter `Kubernetes ops work` and read
    `Then, kubernetes ops work (kubernetes, fixed): ...` under its tornado chart, in the
    Markdown twin, and `Moves most with kubernetes ...` under its figures: a driver's label
    was capitalised, then lower-cased inside a sentence, and a name's capital lost. Inside
    a sentence a driver reads as its author wrote it; the twin's `label` is unchanged."""
    guide = GUIDE.replace("[calc: ops_cost effort=upstream]", "[calc: k8s_ops effort=upstream "
                          "rate=80..120]").replace("ops_cost effort=upstream", "k8s_ops "
                                                   "effort=upstream rate=80..120")  # fmt: skip
    root = write_site(tmp_path, {"content/data/effort.yaml": TABLE,
                                 "content/models/ops.yaml": NAMED,
                                 "content/guides/cost.md": guide})  # fmt: skip
    result = build_site(root, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    twin = json.loads((root / "site" / "cost.cite.json").read_text(encoding="utf-8"))
    [calc] = twin["calculations"]
    assert [d["label"] for d in calc["drivers"]] == [
        "Kubernetes upgrade effort (upstream)",
        "Cost of an engineer hour",
    ]
    assert all("phrase" not in d for d in calc["drivers"])
    [chart] = twin["charts"]
    assert [bar["label"] for bar in chart["bars"]] == [d["label"] for d in calc["drivers"]]
    page = (root / "site" / "cost" / "index.html").read_text(encoding="utf-8")
    markdown = (root / "site" / "cost.md").read_text(encoding="utf-8")
    assert "Moves most with Kubernetes upgrade effort (upstream) (" in page
    assert "Moves most with: Kubernetes upgrade effort (upstream) (" in markdown
    assert "Moving most, Kubernetes upgrade effort (upstream): " in page
    assert "Moving most, Kubernetes upgrade effort (upstream): " in markdown
    assert "Then, cost of an engineer hour: " in page
    assert "kubernetes upgrade effort" not in page + markdown
