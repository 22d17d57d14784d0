"""The arithmetic readers are shown when a sum meets a change of currency.

Found in a stranger test (a café's electric van): its battery rental is quoted in euros a
month and its charging in pounds, from a consumption in kWh per 100 km. The euros were
shown converted `× 100 GBP/100 EUR` before the cited exchange rate: a unit conversion
that also named the change of currency (made at the rate, and written as its own step),
with the `100` of `kWh/100 km` left in it. The steps now show only the conversion of
units there is (`× 12 months/year`) and the rate.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from citeguide.config import SiteConfig
from citeguide.config_file import load_config
from citeguide.content.models import load_library
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.quantities import CalcError
from citeguide.diagnostics import Diagnostics
from citeguide.engine.builder import build_site
from commute_tables import COMMUTE_TABLES
from conftest import TODAY, write_site

VANS = """\
columns:
  electric_use: kWh/100 km
  battery_rental: EUR/month
  per_kwh: GBP/kWh
rows:
  electric-van:
    electric_use: 19.5
    battery_rental: 89
    per_kwh: 0.27
    source: https://www.example.org/vans/electric
    date: 2026-11-15
    confidence: medium
"""
FX = """\
eur-gbp-2026-11:
  base: EUR
  quote: GBP
  rate: 0.86
  source: https://www.example.org/exchange-rates/eur-gbp
  date: 2026-11-30
  confidence: high
"""
MODEL = """\
electric_van_cost:
  title: Yearly charging and battery cost of an electric van
  unit: GBP/year
  params:
    distance: {unit: km/year, min: 0, label: distance driven a year}
    van: {table: vans, label: the van}
  formula: distance * van.electric_use * van.per_kwh + van.battery_rental * 12[month/year]
per_month:
  title: The battery rental a year, in pounds
  unit: GBP/year
  params:
    van: {table: vans, label: the van}
  formula: van.battery_rental
"""
GUIDE = """\
---
title: "Electric or diesel for a café's van?"
summary: "What the electric van costs a year."
published: 2026-05-01
---

# Electric or diesel?

At 20,000 km a year the electric van costs
[calc: electric_van_cost distance=20000 van=electric-van] to run, of which the battery
rental is [calc: per_month van=electric-van].
"""


def test_a_currency_change_is_not_written_as_a_unit_conversion(tmp_path: Path) -> None:
    write_site(tmp_path, {"content/data/vans.yaml": VANS, "content/data/fx.yaml": FX,
                          "content/models/van.yaml": MODEL,
                          "content/guides/van.md": GUIDE})  # fmt: skip
    result = build_site(tmp_path, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    twin = json.loads((tmp_path / "site" / "van.cite.json").read_text(encoding="utf-8"))
    steps = {c["model"]: c["steps"] for c in twin["calculations"]}
    assert steps["electric_van_cost"] == [
        "20,000 km/year × 0.195 kWh/km × £0.27/kWh + €89.00/month × 12 months/year "
        "× 0.86 GBP/EUR = £1,971.48/year"
    ]
    # EUR/month to GBP/year in one conversion: the months, then the rate on its own.
    assert steps["per_month"] == [
        "€89.00/month × 12 months/year = €1,068.00/year",
        "€1,068.00/year × 0.86 GBP/EUR (eur-gbp-2026-11, 2026-11-30) = £918.48/year",
    ]
    # The expression trees agents get carry the same words for each conversion.
    texts = sorted(set(_conversion_texts(twin["models"])))
    assert texts == ["× 12 months/year"], texts
    page = (tmp_path / "site" / "van" / "index.html").read_text(encoding="utf-8")
    assert "100 GBP/100 EUR" not in page


def _conversion_texts(node: object) -> list[str]:
    """The words of every conversion (`conv` node) in the twin's expression trees."""
    if isinstance(node, dict):
        own = [node["text"]] if node.get("op") == "conv" and "text" in node else []
        return own + [t for value in node.values() for t in _conversion_texts(value)]
    if isinstance(node, list):
        return [t for item in node for t in _conversion_texts(item)]
    return []


def test_the_markdown_twin_reads_the_steps_of_a_range_as_one_sentence(tmp_path: Path) -> None:
    """A ranged figure's steps start "With every range at its midpoint:"; the Markdown
    twin joined it to the next step with "; " ("midpoint:; 20,000 km/year ...")."""
    ranged = GUIDE.replace(
        "distance=20000 van=electric-van", "distance=15000..25000 van=electric-van"
    )
    write_site(tmp_path, {"content/data/vans.yaml": VANS, "content/data/fx.yaml": FX,
                          "content/models/van.yaml": MODEL,
                          "content/guides/van.md": ranged})  # fmt: skip
    result = build_site(tmp_path, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    twin = (tmp_path / "site" / "van.md").read_text(encoding="utf-8")
    assert "With every range at its midpoint: 20,000 km/year × 0.195 kWh/km" in twin
    assert ":;" not in twin


PLANS = """\
columns:
  monthly: USD/seat/month
  annual: USD/seat/year
rows:
  team:
    monthly: 12
    annual: 120
    source: https://www.example.org/saas/pricing
    date: 2026-11-30
    confidence: high
"""
SAAS = """\
annual_saving:
  title: What paying yearly saves over paying monthly
  unit: USD/year
  params:
    plan: {table: saas_plans}
    seats: {unit: seat, min: 1}
    churn: {unit: "%", default: 0, min: 0, max: 100, label: seats dropped during the year}
  let:
    yearly_bill: plan.monthly * 12[month/year] * seats
  formula: yearly_bill - plan.annual * seats - yearly_bill * churn
saving_share:
  title: Yearly saving as a share of the monthly bill
  unit: "%"
  params:
    plan: {table: saas_plans}
    seats: {unit: seat, min: 1}
  formula: annual_saving(plan=plan, seats=seats) / (plan.monthly * 12[month/year] * seats)
"""
SAAS_GUIDE = """\
---
title: "Pay yearly or monthly for a team's software?"
summary: "Yearly saves a sixth of the bill."
published: 2026-05-01
---

Ten seats a year save [calc: annual_saving plan=team seats=10 churn=5], a share of
[calc: saving_share plan=team seats=10].
"""


def test_a_percent_is_not_divided_by_a_hundred_percent_in_the_steps(tmp_path: Path) -> None:
    """A stranger test (a SaaS plan paid yearly or monthly, with a churn in %) was shown
    `× 10 seats × 5% ÷ 100 %`, which reads as 5% divided by a hundred, and a share as
    `... × 100 %`. The `%` says it: `× 5%` is × 0.05. The value is unchanged."""
    config = 'currency = "USD"\n[units]\ncount = ["seat"]\n'
    write_site(tmp_path, {"content/data/saas_plans.yaml": PLANS,
                          "content/models/saas.yaml": SAAS,
                          "content/guides/saas.md": SAAS_GUIDE,
                          "citeguide.toml": config})  # fmt: skip
    result = build_site(tmp_path, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    twin = json.loads((tmp_path / "site" / "saas.cite.json").read_text(encoding="utf-8"))
    calcs = {c["model"]: c for c in twin["calculations"]}
    # By hand: (12 × 12 − 120) × 10 = 240, less 12 × 12 × 10 × 0.05 = 72: 168.
    assert calcs["annual_saving"]["display"] == "$168"
    assert calcs["annual_saving"]["steps"] == [
        "yearly bill = $12.00/seat/month × 12 months/year × 10 seats = $1,440.00/year",
        "$1,440.00/year − $120.00/seat/year × 10 seats − $1,440.00/year × 5% = $168.00/year",
    ]
    # 240 / 1,440 = 1/6, shown as a percent.
    assert calcs["saving_share"]["steps"][-1] == (
        "$240.00/year ÷ ($12.00/seat/month × 12 months/year × 10 seats) = ≈16.6667%"
    )
    page = (tmp_path / "site" / "saas" / "index.html").read_text(encoding="utf-8")
    assert "100 %" not in page
    # The inputs are written as the steps write them: `10 seats` (it said `10 seat`), and
    # `5%` with its sign glued on.
    assert "<li>seats: 10 seats</li>" in page
    assert "<li>seats dropped during the year: 5%</li>" in page
    markdown = (tmp_path / "site" / "saas.md").read_text(encoding="utf-8")
    assert "Inputs: seats dropped during the year 5%; plan team; seats 10 seats." in markdown
    # The twin's `unit` stays the unit's name, for agents.
    [seats] = [p for p in calcs["annual_saving"]["params"] if p["name"] == "seats"]
    assert "after" not in seats
    assert (seats["value"], seats["unit"]) == (10, "seat")
    # The trees keep each conversion's factor, without words the steps do not show.
    assert _conversion_texts(twin["models"]) == []
    assert '"op": "conv", "unit": "USD/year", "money": 1, "currency": "USD", "factor": "1/100"' in (
        json.dumps(twin["models"])
    )


def test_an_input_of_one_is_written_in_the_singular(tmp_path: Path) -> None:
    config = 'currency = "USD"\n[units]\ncount = ["seat"]\n'
    write_site(tmp_path, {"content/data/saas_plans.yaml": PLANS,
                          "content/models/saas.yaml": SAAS,
                          "citeguide.toml": config})  # fmt: skip
    diags = Diagnostics()
    lib = load_library(tmp_path, load_config(tmp_path), diags)
    one = evaluate("annual_saving", {"plan": "team", "seats": "1"}, lib)
    many = evaluate("annual_saving", {"plan": "team", "seats": "1..3"}, lib)
    assert {p.name: p.after for p in one.params} == {"churn": "%", "plan": "", "seats": " seat"}
    assert {p.name: p.after for p in many.params}["seats"] == " seats"


def test_a_share_reads_the_same_in_the_readers_forms(tmp_path: Path) -> None:
    """A model in `%` shows `16.7%` (it showed `16.7 %`), and the page's evaluator, which
    recomputes the figure when a reader changes an input, writes the same figure and
    steps as `citeguide calc`."""
    from chromium import page_figures

    config = 'currency = "USD"\n[units]\ncount = ["seat"]\n'
    write_site(tmp_path, {"content/data/saas_plans.yaml": PLANS,
                          "content/models/saas.yaml": SAAS,
                          "content/guides/saas.md": SAAS_GUIDE,
                          "citeguide.toml": config})  # fmt: skip
    assert build_site(tmp_path, today=TODAY, use_cache=False).ok
    diags = Diagnostics()
    lib = load_library(tmp_path, load_config(tmp_path), diags)
    cases = [
        ("saving_share", {"plan": "team", "seats": "10"}),
        ("annual_saving", {"plan": "team", "seats": "12", "churn": "7.5"}),
    ]
    figures = page_figures(tmp_path / "site", "/saas/", cases)
    for (name, raw), figure in zip(cases, figures, strict=True):
        python = evaluate(name, raw, lib, locale="en")
        assert (figure["display"], figure["steps"]) == (python.display, python.steps)
    assert evaluate("saving_share", cases[0][1], lib).display == "16.7%"


DISCOUNT = """\
present_value:
  title: Present value of a yearly saving over several years
  unit: USD
  params:
    yearly: {unit: USD/year, label: yearly saving}
    discount: {unit: 1/year, min: 0.001, label: discount rate}
    years: {unit: year, min: 1, max: 10, label: horizon}
  formula: 'yearly * (1 - (1 + discount * 1[year]) ^ (-years / 1[year])) / discount'
"""
DISCOUNT_GUIDE = """\
---
title: "What is a saving worth today?"
summary: "Discounted."
published: 2026-05-01
---

Three years of it are worth [calc: present_value yearly=20000 discount=0.08 years=3] now.
"""


def test_a_rate_and_a_large_input_are_written_as_the_steps_write_them(tmp_path: Path) -> None:
    """A stranger test (a Kubernetes saving discounted over three years) listed a rate
    per year as `discount rate: 0.08 1/year` (the steps say `0.08/year`), and the
    figure's tooltip wrote `yearly saving: 20000 USD/year` where the list under "How the
    numbers were computed" grouped it, `20,000`."""
    write_site(tmp_path, {"content/models/pv.yaml": DISCOUNT,
                          "content/guides/pv.md": DISCOUNT_GUIDE})  # fmt: skip
    result = build_site(tmp_path, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    twin = json.loads((tmp_path / "site" / "pv.cite.json").read_text(encoding="utf-8"))
    [calc] = twin["calculations"]
    # 20,000 × (1 − 1.08^−3) / 0.08 = 20,000 × 2.577097 = 51,541.94.
    assert calc["display"] == "$51,542"
    assert "0.08/year × 1 year" in calc["steps"][0]
    page = (tmp_path / "site" / "pv" / "index.html").read_text(encoding="utf-8")
    assert "<li>discount rate: 0.08/year</li>" in page
    assert "1/year</li>" not in page
    tip = "Inputs: discount rate: 0.08/year; yearly saving: $20,000/year; horizon: 3 years"
    assert f'<span class="calc-tip-line">{tip}</span>' in page
    markdown = (tmp_path / "site" / "pv.md").read_text(encoding="utf-8")
    assert "Inputs: discount rate 0.08/year; yearly saving $20,000/year; horizon 3 years." in (
        markdown
    )
    # The twin's `unit` stays the unit's name, for agents.
    [rate] = [p for p in calc["params"] if p["name"] == "discount"]
    assert (rate["value"], rate["unit"]) == (0.08, "1/year")


BOUNDED = """\
kept_value:
  title: Present value of the share of a yearly saving kept
  unit: USD
  params:
    yearly: {unit: USD/year, label: yearly saving}
    discount: {unit: 1/year, min: 0.001, label: discount rate}
    years: {unit: year, min: 1, max: 10, label: horizon}
    share: {unit: "%", min: 0, max: 100, default: 100, label: share kept}
  formula: 'share * yearly * (1 - (1 + discount * 1[year]) ^ (-years / 1[year])) / discount'
"""


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"years": "30"}, "years=30 is out of range: between 1 and 10 years"),
        ({"discount": "0.0001"}, "discount=0.0001 is out of range: at least 0.001/year"),
        ({"share": "160"}, "share=160 is out of range: between 0 and 100%"),
    ],
)
def test_a_bound_is_written_with_its_unit_as_an_input_is(
    tmp_path: Path, given: dict[str, str], message: str
) -> None:
    """A stranger test was told `between 1 and 10 year` and `between 0 and 100 %`."""
    write_site(tmp_path, {"content/models/pv.yaml": BOUNDED})
    diags = Diagnostics()
    lib = load_library(tmp_path, SiteConfig(currency="USD"), diags)
    assert not diags.has_errors(), diags.render()
    inputs = {"yearly": "20000", "discount": "0.08", "years": "3", **given}
    with pytest.raises(CalcError) as caught:
        evaluate("kept_value", inputs, lib)
    assert caught.value.message == message


COMMUTE = """\
saved_each_month:
  title: What riding instead of taking the train saves a month
  unit: GBP/month
  params:
    bike: {table: bikes, label: the bike}
    pass: {table: passes, label: the travel pass}
    share: {unit: "%", default: 80, min: 0, max: 100, label: months ridden}
  formula: 'pass.fare * share - bike.upkeep'
upkeep_left:
  title: The bike's upkeep less what it saves, a month
  unit: GBP/month
  params:
    bike: {table: bikes, label: the bike}
    pass: {table: passes, label: the travel pass}
    share: {unit: "%", default: 80, min: 0, max: 100, label: months ridden}
  formula: 'bike.upkeep - pass.fare * share'
pays_back:
  title: Whether the bike pays back a month
  unit: "1"
  params:
    bike: {table: bikes, label: the bike}
    pass: {table: passes, label: the travel pass}
    share: {unit: "%", default: 80, min: 0, max: 100, label: months ridden}
  formula: 'if(pass.fare * share > bike.upkeep, 1, 0)'
"""
COMMUTE_GUIDE = """\
---
title: "Does an e-bike save money against a travel pass?"
summary: "About £155 a month."
published: 2026-05-01
---

Riding most months saves [calc: saved_each_month bike=ebike pass=zones]; riding half of
them, the upkeep less the saving is [calc: upkeep_left bike=ebike pass=zones share=50].
"""


def test_a_share_of_a_price_beside_a_yearly_cost_converts_the_cost_alone(tmp_path: Path) -> None:
    """A stranger test (an e-bike against a monthly travel pass) was shown `£205.80/month
    × 80% − £120.00/year × ≈8.33333 % years/month`: the yearly upkeep was converted into
    the unit of the share's product, `%` and all. The `%` is taken out of both sides first
    (a step not shown: the `%` says it), so the upkeep reads `÷ 12 months/year` (and the
    share of the fare `× 12 months/year` when the upkeep comes first); the values are
    unchanged, and the readers' forms write the same."""
    from chromium import page_figures

    write_site(tmp_path, {**COMMUTE_TABLES, "content/models/commute.yaml": COMMUTE,
                          "content/guides/commute.md": COMMUTE_GUIDE})  # fmt: skip
    result = build_site(tmp_path, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    inputs = {"bike": "ebike", "pass": "zones"}
    saved = evaluate("saved_each_month", inputs, lib)
    # By hand: 205.80 × 0.8 = 164.64, less 120 ÷ 12 = 10: 154.64.
    assert saved.steps == ["£205.80/month × 80% − £120.00/year ÷ 12 months/year = £154.64/month"]
    left = evaluate("upkeep_left", inputs, lib)
    # The sum in the first term's unit, then in the model's.
    assert left.steps == [
        "(£120.00/year − £205.80/month × 80% × 12 months/year) ÷ 12 months/year = -£154.64/month"
    ]
    assert evaluate("pays_back", inputs, lib).display == "1"
    assert evaluate("pays_back", {**inputs, "share": "4"}, lib).display == "0"  # 8.23 < 10
    for found in (saved, left):
        assert "%" not in found.steps[0].rpartition("=")[2]
        assert "years/month" not in found.steps[0]
    cases = [("saved_each_month", inputs), ("upkeep_left", {**inputs, "share": "50"})]
    figures = page_figures(tmp_path / "site", "/commute/", cases)
    for (name, raw), figure in zip(cases, figures, strict=True):
        python = evaluate(name, raw, lib, locale="en")
        assert (figure["display"], figure["steps"]) == (python.display, python.steps)


SOLAR = """\
solar_used:
  title: Solar generation used at home
  unit: kWh/year
  params:
    daily: {unit: kWh/day, label: generation a day}
    share: {unit: "%", default: 35, min: 0, max: 100, label: used at home}
  let:
    used: {expr: 'daily * share', unit: kWh/year, label: used at home}
  formula: 'used'
solar_needed:
  title: Generation needed for a use at home
  unit: kWh/year
  params:
    daily: {unit: kWh/day, label: use a day}
    share: {unit: "%", default: 35, min: 1, max: 100, label: covered by solar}
  formula: 'daily / share'
"""
SOLAR_GUIDE = """\
---
title: "How much of a roof's solar is used at home?"
summary: "About 1,300 kWh a year."
published: 2026-05-01
---

Ten kWh a day, 35% of it used at home: [calc: solar_used daily=10]. To cover ten kWh a
day at 35%, a roof makes [calc: solar_needed daily=10].
"""


def test_a_share_of_a_rate_converted_into_another_unit_is_shown_without_its_percent(
    tmp_path: Path,
) -> None:
    """A quantity carrying a `%` converted into a unit without one (a `let`'s or the
    model's) wrote the `%` into the conversion: `10 kWh/day × 35% × 3.65 days/year/%`
    and `10 kWh/day ÷ 35% × 36,500 day %/year` (right values). The `%` is taken out
    first (not shown), and the conversion reads `× 365 days/year`; messages name the
    kind of quantity without the `%` (`kWh/day`, not `kWh %/day`)."""
    from chromium import page_figures

    write_site(tmp_path, {"content/models/solar.yaml": SOLAR,
                          "content/guides/solar.md": SOLAR_GUIDE})  # fmt: skip
    assert build_site(tmp_path, today=TODAY, use_cache=False).ok
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    used = evaluate("solar_used", {"daily": "10"}, lib)
    # By hand: 10 × 0.35 × 365 = 1,277.5.
    assert used.steps == ["used at home = 10 kWh/day × 35% × 365 days/year = 1,277.5 kWh/year"]
    needed = evaluate("solar_needed", {"daily": "10"}, lib)
    # 10 ÷ 0.35 × 365 = 10,428.57.
    assert needed.steps == ["10 kWh/day ÷ 35% × 365 days/year = ≈10,428.6 kWh/year"]
    cases = [("solar_used", {"daily": "12.5", "share": "40"}), ("solar_needed", {"daily": "8"})]
    figures = page_figures(tmp_path / "site", "/solar/", cases)
    for (name, raw), figure in zip(cases, figures, strict=True):
        python = evaluate(name, raw, lib, locale="en")
        assert (figure["display"], figure["steps"]) == (python.display, python.steps)
    wrong = SOLAR.replace("unit: kWh/year, label: used", "unit: GBP/year, label: used")
    write_site(tmp_path, {"content/models/solar.yaml": wrong})
    diags = Diagnostics()
    load_library(tmp_path, load_config(tmp_path), diags)
    assert [d.message for d in diags.items] == [
        "solar_used: let value used gives kWh/day but its unit is GBP/year; they are "
        "different kinds of quantity"
    ]


OVENS = """\
columns:
  power: kW
rows:
  deck-oven:
    power: 18
    source: https://www.example.org/ovens/deck
    date: 2026-11-20
    confidence: medium
"""
OVEN_MODELS = """\
oven_energy:
  title: Electricity a deck oven uses a year
  unit: kWh/year
  params:
    oven: {table: ovens, label: the oven}
    hours: {unit: h/day, label: hours baked a day}
    days: {unit: day/year, label: days open a year}
    duty: {unit: "%", label: share of the time the elements draw power}
  let:
    used: {expr: oven.power * hours * days * duty, unit: kWh/year}
  formula: used
oven_energy_daily:
  title: The same, from a day's use
  unit: kWh/year
  params:
    oven: {table: ovens, label: the oven}
    hours: {unit: h/day, label: hours baked a day}
    duty: {unit: "%", label: share of the time the elements draw power}
  formula: oven.power * hours * duty
"""
OVEN_GUIDE = """\
---
title: "How much electricity does a deck oven use?"
summary: "About 32,400 kWh a year at ten hours a day."
published: 2026-11-30
---

## How much?

Ten hours a day on 300 days a year use
[calc: oven_energy oven=deck-oven hours=10 days=300 duty=60].
"""


def test_a_share_taken_into_a_declared_unit_is_not_written_as_a_conversion(
    tmp_path: Path,
) -> None:
    """Found in a stranger test (a bakery's deck oven): a `let` in kWh/year holding kW ×
    h/day × day/year × % was shown `× 60% ÷ 100 kW h %/kWh`: the `%`, which the `× 60%`
    already says, written out with the renaming of kW h to kWh. It reads `× 60% =
    32,400 kWh/year` now, and a conversion with a factor names only units, with the
    factor it has (`× 365`, it said `× 3.65 … /%`). The figures are unchanged."""
    write_site(tmp_path, {"content/data/ovens.yaml": OVENS,
                          "content/models/oven.yaml": OVEN_MODELS,
                          "content/guides/oven.md": OVEN_GUIDE,
                          "citeguide.toml": 'currency = "GBP"\n'})  # fmt: skip
    diags = Diagnostics()
    lib = load_library(tmp_path, load_config(tmp_path), diags)
    assert not diags.has_errors(), diags.render()
    # By hand: 18 kW × 10 h/day × 300 days/year × 0.6 = 32,400 kWh/year.
    year = evaluate("oven_energy", {"oven": "deck-oven", "hours": "10", "days": "300",
                                    "duty": "60"}, lib)  # fmt: skip
    assert year.steps == ["used = 18 kW × 10 h/day × 300 days/year × 60% = 32,400 kWh/year"]
    assert year.value == Decimal(32400)
    # 18 × 10 × 0.6 = 108 kWh a day, × 365 days a year = 39,420.
    daily = evaluate("oven_energy_daily", {"oven": "deck-oven", "hours": "10", "duty": "60"},
                     lib)  # fmt: skip
    assert daily.value == Decimal(39420)
    [step] = daily.steps
    assert step.startswith("18 kW × 10 h/day × 60% × 365 ")
    assert "%" not in step.split("× 60%")[1]
    result = build_site(tmp_path, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    twin = json.loads((tmp_path / "site" / "oven.cite.json").read_text(encoding="utf-8"))
    assert not [t for t in _conversion_texts(twin["models"]) if "%" in t]
    # An agent redoing the figure from the published tree gets the same number.
    from twin_evaluator import Twin

    [calc] = twin["calculations"]
    values = {p["name"]: p["value"] for p in calc["params"]}
    assert Twin(twin).evaluate("oven_energy", values, set(values)).value == Fraction(32400)
    page = (tmp_path / "site" / "oven" / "index.html").read_text(encoding="utf-8")
    assert "%/kWh" not in page


DECK_OVEN = """\
oven_use:
  title: Electricity an oven uses a year
  unit: kWh/year
  params:
    power: {unit: kW, default: 18, label: power}
    hours: {unit: h/day, default: 10, label: hours a day}
    duty: {unit: "%", default: 60, min: 0, max: 100, label: share of the time it draws full power}
  formula: 'power * hours * duty'
"""
DECK_OVEN_GUIDE = """\
---
title: "How much electricity does a deck oven use?"
summary: "Tens of thousands of kWh a year."
published: 2026-05-01
---

It uses [calc: oven_use] a year.
"""


def test_a_conversion_names_a_product_of_units_once(tmp_path: Path) -> None:
    """A stranger test (a bakery's deck oven, kW × h/day × % in kWh/year) read `18 kW ×
    10 h/day × 60% × 365 kWh days/year/kW/h`: the conversion's label named kWh against kW
    and h, the same quantity. It reads `× 365 days/year`, in `calc` and the forms."""
    from chromium import page_figures
    from citeguide.costcore.display import cancel_equal
    from citeguide.costcore.units import parse_unit

    assert cancel_equal(parse_unit("kWh day/year/kW/h")).text() == "day/year"
    assert cancel_equal(parse_unit("kWh/year/kW")).text() == "kWh/year/kW"  # nothing equal
    write_site(tmp_path, {"content/models/oven.yaml": DECK_OVEN,
                          "content/guides/oven.md": DECK_OVEN_GUIDE})  # fmt: skip
    assert build_site(tmp_path, today=TODAY, use_cache=False).ok
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    # By hand: 18 × 10 × 0.6 × 365 = 39,420.
    assert evaluate("oven_use", {}, lib).steps == [
        "18 kW × 10 h/day × 60% × 365 days/year = 39,420 kWh/year"
    ]
    [figure] = page_figures(tmp_path / "site", "/oven/", [("oven_use", {"duty": "75"})])
    assert figure["steps"] == evaluate("oven_use", {"duty": "75"}, lib, locale="en").steps
