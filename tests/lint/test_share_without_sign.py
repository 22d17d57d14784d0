"""A bare number between 0 and 1 given to a parameter in `%`.

Found in a stranger test (a tennis club's LED floodlights): `[calc: payback ...
grant=0.25]`, meaning a quarter of the cost granted, was read as a grant of 0.25% and
nothing said so; the figure looked plausible. A parameter in `%` takes percent, as the
readers' forms say beside the field; `lint` and `build` now warn where a bare fraction is
given, and the sign says which was meant (`0.25%` keeps it, `25%` or `25` is a quarter).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from citeguide.engine.incremental import check_site
from conftest import TODAY, write_site

MODEL = """\
net_cost:
  title: Cost of new floodlights after a grant
  unit: GBP
  params:
    price: {unit: GBP, min: 0, label: price}
    grant: {unit: "%", min: 0, max: 100, default: 0, label: share of the cost a grant pays}
    fittings: {unit: "1", min: 0, default: 1, label: fittings}
  formula: price * fittings * (1 - grant)
"""


def _warnings(tmp_path: Path, given: str) -> list[str]:
    guide = ("---\ntitle: Floodlights\nsummary: What LEDs cost.\npublished: 2026-05-01\n---\n\n"
             f"With the grant the lights cost [calc: net_cost price=48000 {given}].\n")  # fmt: skip
    root = write_site(tmp_path / "s", {"content/guides/g.md": guide,
                                       "content/models/lights.yaml": MODEL})  # fmt: skip
    result = check_site(root, today=TODAY)
    return [d.format() for d in result.diagnostics.sorted() if d.rule == "share-without-sign"]


def test_a_bare_fraction_for_a_percent_is_flagged(tmp_path: Path) -> None:
    assert _warnings(tmp_path, "grant=0.25") == [
        "content/guides/g.md:7:32: warning: grant=0.25 is 0.25%, a parameter in % taking "
        "percent: write grant=25% if a fraction was meant, or grant=0.25% to keep it "
        "[share-without-sign]"
    ]


@pytest.mark.parametrize(
    "given", ["grant=0.25%", "grant=25", "grant=25%", "grant=0", "grant=1", "fittings=0.5",
              "grant=0.2..0.3"],
)  # fmt: skip
def test_a_share_with_its_sign_or_above_one_is_not(tmp_path: Path, given: str) -> None:
    assert _warnings(tmp_path, given) == []
