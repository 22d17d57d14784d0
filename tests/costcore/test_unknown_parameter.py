"""A parameter a model does not have, with none near it: a stranger's Kubernetes guide
called `people_cost(ops='kubernetes', engineers=team, rate=rate)`, its parameter being
`team`, and read `k8s_monthly: people_cost has no parameter 'engineers'` (and `calc
people_cost engineers=5` the same), with no word of the parameters there are. Both now
list them: `...; its parameters are ops, team, rate`; a near name is still offered alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeguide.config import SiteConfig
from citeguide.content.models import load_library
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.quantities import CalcError
from citeguide.diagnostics import Diagnostics
from conftest import write_site

MODELS = """\
people_cost:
  title: Monthly cost of engineers' time
  unit: USD/month
  params:
    team: {{unit: "1", min: 1, label: engineers on the team}}
    hours: {{unit: h/month, label: ops hours a month per engineer}}
    rate: {{unit: USD/h, label: cost of an engineer hour}}
  formula: team * hours * rate
k8s_monthly:
  title: Monthly cost of a platform's ops
  unit: USD/month
  params:
    team: {{unit: "1", min: 1, label: engineers on the team}}
  formula: people_cost({call}, hours=4[h/month], rate=100[USD/h])
"""


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("engineers=team", "people_cost has no parameter 'engineers'; its parameters are team, "
                           "hours, rate"),
        ("teem=team", "people_cost has no parameter 'teem'; did you mean 'team'?"),
    ],
)  # fmt: skip
def test_a_call_with_an_unknown_parameter_lists_them(
    tmp_path: Path, call: str, message: str
) -> None:
    write_site(tmp_path, {"content/models/ops.yaml": MODELS.format(call=call)})
    diags = Diagnostics()
    load_library(tmp_path, SiteConfig(currency="USD"), diags)
    assert [(d.pos.line, d.rule, d.message) for d in diags.items] == [
        (14, "unknown-name", f"k8s_monthly: {message}")
    ]


def test_a_marker_with_an_unknown_parameter_lists_them(tmp_path: Path) -> None:
    write_site(tmp_path, {"content/models/ops.yaml": MODELS.format(call="team=team")})
    diags = Diagnostics()
    lib = load_library(tmp_path, SiteConfig(currency="USD"), diags)
    assert not diags.items
    with pytest.raises(CalcError) as caught:
        evaluate("people_cost", {"engineers": "5", "hours": "4", "rate": "100"}, lib)
    assert caught.value.message == (
        "people_cost has no parameter 'engineers'; its parameters are team, hours, rate"
    )
