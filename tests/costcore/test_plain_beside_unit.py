"""A plain number beside a value with a unit, in a `require` or a flag: a stranger's
guide on Kubernetes or one VM wrote `if: nodes < 1` for a count of nodes and read
`cluster_infra: < between node and 1: they are different kinds of quantity`, at the `<`,
with nothing saying what to write. The error is now at the number and says it:
`write the number with its unit, 1[node]`."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeguide.config import SiteConfig, UnitsConfig
from citeguide.content.models import load_library
from citeguide.diagnostics import Diagnostics
from conftest import write_site

MODEL = """\
cluster:
  title: Monthly bill of a cluster
  unit: USD/month
  params:
    nodes: {{unit: node, default: 3, label: worker nodes}}
    price: {{unit: USD/node/h, default: 0.1, label: price of a node}}
  formula: nodes * price
  require:
    - if: {cond}
      error: "a cluster needs a worker node"
      param: nodes
"""


@pytest.mark.parametrize(
    ("cond", "col", "message"),
    [
        ("nodes < 1", 19, "< between node and 1: they are different kinds of quantity; write "
                          "the number with its unit, 1[node]"),
        ("1 > nodes", 11, "> between 1 and node: they are different kinds of quantity; write "
                          "the number with its unit, 1[node]"),
        ("nodes * price > 50", 27, "> between USD/h and 1: they are different kinds of "
                                   "quantity; write the number with its unit, 50[USD/h]"),
        ("max(nodes, 2) > 2[node]", 22, "max() between node and 1: they are different kinds of "
                                        "quantity; write the number with its unit, 2[node]"),
    ],
)  # fmt: skip
def test_a_plain_number_beside_a_count_is_told_its_unit(
    tmp_path: Path, cond: str, col: int, message: str
) -> None:
    write_site(tmp_path, {"content/models/k8s.yaml": MODEL.format(cond=cond)})
    diags = Diagnostics()
    config = SiteConfig(currency="USD", units=UnitsConfig(count=["node"]))
    load_library(tmp_path, config, diags)
    told = [(d.pos.line, d.pos.col, d.rule, d.message) for d in diags.items]
    assert told == [(9, col, "unit-mismatch", f"cluster: {message}")]


def test_the_number_with_its_unit_is_taken(tmp_path: Path) -> None:
    write_site(tmp_path, {"content/models/k8s.yaml": MODEL.format(cond="nodes < 1[node]")})
    diags = Diagnostics()
    config = SiteConfig(currency="USD", units=UnitsConfig(count=["node"]))
    load_library(tmp_path, config, diags)
    assert not diags.items
