"""A model or `let` declared in a share of another unit (`GBP %`) is in that unit.

Found in a stranger test (a tennis club): a model in `GBP %` showed `£1,200` for a grant
whose steps read `£100.00 × 12% = £12.00`: the value was kept in pounds-percent and the
page wrote the number as pounds. A share of an amount is an amount, as the steps already
wrote it: the declared unit is read without the sign (`GBP %` is GBP, `kWh %/year`
kWh/year), while `%` and `%/year` stay shares.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from citeguide.config_file import load_config
from citeguide.content.models import load_library
from citeguide.costcore.evaluate import evaluate
from citeguide.diagnostics import Diagnostics
from citeguide.engine.builder import build_site
from conftest import TODAY, write_site

MODELS = """\
grant_value:
  title: The grant, a share of the price
  unit: GBP %
  params:
    price: {unit: GBP, min: 0, label: price}
    share: {unit: "%", min: 0, max: 100, label: share granted}
  formula: price * share
saved_energy:
  title: Energy a cover saves a year
  unit: kWh/year
  params:
    heat: {unit: kWh/year, min: 0, label: heat used a year}
    share: {unit: "%", min: 0, max: 100, label: share of the heat saved}
  let:
    saved: {expr: heat * share, unit: kWh %/year, label: heat saved}
  formula: saved
rate_rise:
  title: A yearly rise
  unit: "%/year"
  params:
    rise: {unit: "%/year", min: 0, label: yearly rise}
  formula: rise
"""
GUIDE = """\
---
title: "Is a grant worth applying for?"
summary: "A grant pays part of the price."
published: 2026-05-01
---

A 12% grant on £100 is [calc: grant_value price=100 share=12], and a cover saving 35% of
12,000 kWh saves [calc: saved_energy heat=12000 share=35]; prices rise
[calc: rate_rise rise=3].
"""


def _site(tmp_path: Path) -> None:
    write_site(tmp_path, {"content/models/grant.yaml": MODELS, "content/guides/grant.md": GUIDE,
                          "citeguide.toml": 'currency = "GBP"\n'})  # fmt: skip


def test_a_share_of_an_amount_is_shown_as_the_amount(tmp_path: Path) -> None:
    _site(tmp_path)
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    grant = evaluate("grant_value", {"price": "100", "share": "12"}, lib)
    assert (grant.value, grant.unit, grant.display) == (Decimal(12), "GBP", "£12.00")
    assert grant.steps == ["£100.00 × 12% = £12.00"]
    saved = evaluate("saved_energy", {"heat": "12000", "share": "35"}, lib)
    assert (saved.value, saved.display) == (Decimal(4200), "4,200 kWh/year")
    assert saved.derived == {"saved": Decimal(4200)}
    rise = evaluate("rate_rise", {"rise": "3"}, lib)
    assert (rise.value, rise.unit, rise.display) == (Decimal(3), "%/year", "3%/year")


def test_the_readers_forms_agree(tmp_path: Path) -> None:
    from chromium import page_figures

    _site(tmp_path)
    assert build_site(tmp_path, today=TODAY, use_cache=False).ok
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    cases = [("grant_value", {"price": "250", "share": "20"}),
             ("saved_energy", {"heat": "9000", "share": "40"})]  # fmt: skip
    found = page_figures(tmp_path / "site", "/grant/", cases)
    for (name, inputs), figure in zip(cases, found, strict=True):
        expected = evaluate(name, dict(inputs), lib)
        assert (figure["display"], figure["steps"]) == (expected.display, expected.steps)
