"""Models as data, as an author meets them: tables of their own with units and several
sources, models in YAML calling each other, units checked and converted, exact arithmetic
with steps, lint on typed and estimated inputs, and positioned errors for what is wrong.
Nothing here is about LLMs; the worked example is docs/models.md's heating one."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from citeguide.cli import main
from citeguide.config import SiteConfig
from citeguide.content.models import load_library
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.library import Library
from citeguide.costcore.quantities import CalcError
from citeguide.diagnostics import Diagnostics
from conftest import write_site

ENERGY = """\
columns:
  fuel: text
  price: GBP/kWh
  standing: GBP/day
rows:
  elec:
    fuel: electricity
    price: 0.2611
    standing: 0.5719
    sources:
      - url: "https://www.example.org/cap#:~:text=26.11p"
        date: 2026-11-01
        confidence: high
      - url: "https://www.example.net/cap-explained"
        date: 2026-11-02
        confidence: medium
    as_of: 2026-07-01
  gas:
    fuel: gas
    price: 0.0633
    standing: 0.2982
    source: "https://www.example.org/cap#:~:text=6.33p"
    date: 2026-11-01
    confidence: high
  heat-pump-tariff:
    fuel: electricity
    price: 0.15
    standing: 0.5719
    source: "https://www.example.org/blog"
    date: 2026-11-01
    confidence: low
    estimate: true
    note: "A typical off-peak heat pump tariff, read off a supplier's blog, not a price list."
"""

HEATING = """\
running_cost:
  title: Yearly cost of a fuel used only for heating, standing charge included
  unit: GBP/year
  params:
    demand:     {unit: kWh/year, min: 0, label: heat the house needs a year}
    efficiency: {unit: "1", min: 0.1, label: seasonal efficiency}
    tariff:     {table: energy, label: tariff for that fuel}
  formula: demand / efficiency * tariff.price + tariff.standing

saving:
  title: Yearly saving of a heat pump over a gas boiler
  unit: GBP/year
  params:
    demand: {unit: kWh/year, min: 0, label: heat the house needs a year}
    scop:   {unit: "1", min: 0.1, label: heat pump seasonal efficiency}
    boiler: {unit: "1", default: 0.84, min: 0.1, max: 1, label: boiler efficiency}
    rate:   {table: energy, column: price, unit: GBP/kWh, label: electricity unit rate}
  let:
    gas_bill: running_cost(demand=demand, efficiency=boiler, tariff="gas")
  require:
    - if: scop < boiler
      error: a heat pump less efficient than the boiler saves nothing
  formula: gas_bill - (demand / scop * rate + 0.5719[GBP/day])
"""


def _site(tmp_path: Path, guide: str, models: str = HEATING, table: str = ENERGY) -> Path:
    return write_site(
        tmp_path / "root",
        {
            "citeguide.toml": 'title = "Home energy"\ncurrency = "GBP"\nlanguage = "en-GB"\n',
            "content/data/energy.yaml": table,
            "content/models/heating.yaml": models,
            "content/guides/heat.md": (
                "---\ntitle: Heat pump or boiler\nsummary: What a year costs.\n"
                f"published: 2026-11-01\n---\n\n## What does it cost?\n\n{guide}\n"
            ),
        },
    )


def _library(root: Path) -> Library:
    diags = Diagnostics()
    lib = load_library(root, SiteConfig(currency="GBP", language="en-GB"), diags)
    assert not diags.has_errors(), diags.render()
    return lib


def test_the_worked_example_computes_in_the_authors_units(tmp_path: Path) -> None:
    root = _site(tmp_path, "It costs [calc: running_cost demand=7980 efficiency=2.8 tariff=elec].")
    result = evaluate("running_cost", {"demand": "7980", "efficiency": "2.8", "tariff": "elec"},
                      _library(root), locale="en_GB")  # fmt: skip
    # 7,980 / 2.8 × 0.2611 = 744.135, + 0.5719 × 365 = 208.7435: £952.8785 a year, exactly.
    assert result.value == Decimal("952.8785")
    assert result.unit == "GBP/year"
    assert result.display == "£953"
    assert result.steps[-1] == (
        "7,980 kWh/year ÷ 2.8 × £0.2611/kWh + £0.5719/day × 365 days/year = £952.8785/year"
    )
    assert [f.id for f in result.sources] == ["elec"]
    assert [c.confidence for c in result.sources[0].citations] == ["high", "medium"]


def test_a_model_calls_another_and_checks_its_constraint(tmp_path: Path) -> None:
    lib = _library(_site(tmp_path, "Nothing."))
    raw = {"demand": "12000", "scop": "3", "rate": "elec"}
    result = evaluate("saving", raw, lib)
    # Gas: 12,000 / 0.84 × 0.0633 + 0.2982 × 365 = 904.285714… + 108.843 = 1,013.128714…
    # Heat pump: 12,000 / 3 × 0.2611 + 0.5719 × 365 = 1,044.4 + 208.7435 = 1,253.1435
    gas = Decimal(12000) / Decimal("0.84") * Decimal("0.0633") + Decimal("0.2982") * 365
    pump = Decimal(12000) / 3 * Decimal("0.2611") + Decimal("0.5719") * 365
    assert abs(result.value - (gas - pump)) < Decimal("1e-20")
    assert result.value < 0  # at these rates the heat pump costs more to run
    with pytest.raises(CalcError, match="a heat pump less efficient than the boiler saves nothing"):
        evaluate("saving", {**raw, "scop": "0.5"}, lib)
    with pytest.raises(CalcError, match="scop"):
        evaluate("saving", {**raw, "scop": "0.01"}, lib)  # under its declared minimum


def test_a_row_with_several_sources_an_as_of_and_an_estimate_reaches_the_twin(
    tmp_path: Path,
) -> None:
    root = _site(
        tmp_path,
        "On the cap it costs [calc: running_cost demand=7980 efficiency=2.8 tariff=elec]; on "
        "an off-peak tariff [calc: running_cost demand=7980 efficiency=2.8 "
        "tariff=heat-pump-tariff].",
    )
    assert main(["build", "--root", str(root)]) == 0
    twin = json.loads((root / "site" / "heat.cite.json").read_text())
    facts = {f["row"]: f for c in twin["calculations"] for f in c["facts"]}
    urls = {src["id"]: src["url"] for src in twin["sources"]}
    assert [urls[i] for i in facts["elec"]["sources"]] == [
        "https://www.example.org/cap#:~:text=26.11p",
        "https://www.example.net/cap-explained",
    ]
    assert facts["elec"]["as_of"] == "2026-07-01"
    assert facts["heat-pump-tariff"]["estimate"] is True
    assert "supplier's blog" in facts["heat-pump-tariff"]["note"]
    page = (root / "site" / "heat" / "index.html").read_text()
    assert "£953" in page
    assert "supplier&#39;s blog" in page or "supplier's blog" in page


def test_lint_flags_typed_and_estimated_inputs_and_honours_lint_allow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(
        tmp_path,
        "Typed: [calc: saving demand=12000 scop=3.5 rate=0.30].\n\n"
        "Estimated: [calc: saving demand=12000 scop=3.5 rate=heat-pump-tariff].\n\n"
        "<!-- lint-allow: estimate-input (the sentence says the tariff is typical) -->\n"
        "Allowed: [calc: saving demand=12000 scop=4 rate=heat-pump-tariff].",
    )
    assert main(["lint", "--root", str(root)]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.endswith("-input]")]
    assert len(lines) == 2, err
    assert lines[0].startswith("content/guides/heat.md:9:")
    assert "rate is a typed number with no source" in lines[0]
    assert lines[0].endswith("[uncited-input]")
    assert lines[1].startswith("content/guides/heat.md:11:")
    assert lines[1].endswith("[estimate-input]")
    assert "heat-pump-tariff" in lines[1]


def test_units_are_checked_and_converted(tmp_path: Path) -> None:
    models = """\
per_year:
  title: A monthly cost over a year
  unit: GBP/year
  params:
    monthly: {unit: GBP/month, label: monthly cost}
  formula: monthly
hours:
  title: Hours in a month and a year
  unit: h
  params:
    months: {unit: month, label: months}
  formula: months
"""
    lib = _library(_site(tmp_path, "Nothing.", models=models))
    # A month is 730 hours, a year 8,760: twelve of them.
    assert evaluate("per_year", {"monthly": "100"}, lib).value == 1200
    assert evaluate("hours", {"months": "1"}, lib).value == 730


@pytest.mark.parametrize(
    ("formula", "unit", "expected"),
    [
        ("demand + tariff.price", "GBP/year", "kWh/year"),  # adding energy to money
        ("demand * tariff.price", "GBP", "GBP/year"),  # the result's unit is not declared
        ("demand / efficiency * tariff.price + 1[kWh]", "GBP/year", "kWh"),
    ],
)
def test_a_unit_error_is_positioned_at_the_formula(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], formula: str, unit: str, expected: str
) -> None:
    models = HEATING.replace(
        "  unit: GBP/year\n  params:\n    demand:     {unit: kWh/year",
        f"  unit: {unit}\n  params:\n    demand:     {{unit: kWh/year",
        1,
    ).replace(
        "formula: demand / efficiency * tariff.price + tariff.standing", f"formula: {formula}"
    )
    root = _site(tmp_path, "Nothing.", models=models)
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    errors = [x for x in err.splitlines() if ": error: " in x]
    # At the formula line (8) of running_cost, naming the unit that does not fit.
    line = errors[0]
    assert line.startswith("content/models/heating.yaml:8:"), errors
    assert expected in line, line
    assert not (root / "site").exists()


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (
            ("formula: demand / efficiency", "formula: demnd / efficiency"),
            8,
            "did you mean 'demand'",
        ),
        (
            (
                "{unit: kWh/year, min: 0, label: heat the house needs a year}\n    efficiency",
                "{unit: kWh/fortnight, min: 0, label: heat}\n    efficiency",
            ),
            5,
            "fortnight",
        ),
        (
            (
                'running_cost(demand=demand, efficiency=boiler, tariff="gas")',
                "saving(demand=demand, scop=boiler, rate='elec')",
            ),
            19,
            "saving → saving",
        ),
    ],
)
def test_bad_models_are_positioned_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str], where: int,
    message: str,
) -> None:  # fmt: skip
    old, new = change
    assert old in HEATING
    root = _site(tmp_path, "Nothing.", models=HEATING.replace(old, new, 1))
    assert main(["lint", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    errors = [x for x in err.splitlines() if ": error: " in x]
    assert errors, err
    assert any(x.startswith(f"content/models/heating.yaml:{where}:") and message in x
               for x in errors), errors  # fmt: skip


def test_two_currencies_meet_only_through_a_cited_rate(tmp_path: Path) -> None:
    models = (
        HEATING
        + """
with_fee:
  title: Running cost plus a fee charged in dollars
  unit: GBP/year
  params:
    demand: {unit: kWh/year, min: 0, label: heat}
    fee:    {unit: USD/year, min: 0, label: a yearly fee in dollars}
  formula: running_cost(demand=demand, efficiency=3, tariff='elec') + fee
"""
    )
    root = _site(tmp_path, "Nothing.", models=models)
    with pytest.raises(CalcError, match="USD"):
        evaluate("with_fee", {"demand": "3000", "fee": "10"}, _library(root))
    (root / "content" / "data" / "fx.yaml").write_text(
        "usd-gbp:\n"
        "    base: GBP\n    quote: USD\n    rate: 1.25\n"
        '    source: "https://www.example.org/rates"\n    date: 2026-11-01\n'
        "    confidence: high\n"
    )
    result = evaluate("with_fee", {"demand": "3000", "fee": "10"}, _library(root))
    # 3,000 / 3 × 0.2611 + 0.5719 × 365 = 261.1 + 208.7435 = 469.8435; $10 ÷ 1.25 = £8
    assert result.value == Decimal("477.8435")
    assert [x.id for x in result.fx] == ["usd-gbp"]


def test_root_before_or_after_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """`citeguide --root DIR calc` used to compute from the current folder's site."""
    root = _site(tmp_path, "Nothing.")
    monkeypatch.chdir(tmp_path)
    for argv in (["--root", str(root), "calc", "running_cost", "demand=7980", "efficiency=2.8",
                  "tariff=elec"],
                 ["calc", "--root", str(root), "running_cost", "demand=7980", "efficiency=2.8",
                  "tariff=elec"]):  # fmt: skip
        assert main(argv) == 0
        assert "£953" in capsys.readouterr().out


def test_an_unknown_model_lists_the_sites_own_models_before_the_packs(tmp_path: Path) -> None:
    """A heating site's author who mistypes a model with nothing near it is shown the
    site's models first, then the bundled pack's, each named as such (it was one list,
    `api_cost` and the GPU models first)."""
    lib = _library(_site(tmp_path, "Text."))
    with pytest.raises(CalcError) as caught:
        evaluate("boiler_service", {}, lib)
    own = sorted(n for n, m in lib.models.items() if not m.origin.startswith("<pack"))
    pack = sorted(n for n, m in lib.models.items() if m.origin.startswith("<pack llm>"))
    assert own
    assert "api_cost" in pack
    assert str(caught.value) == (
        f"unknown model 'boiler_service'; this site's models: {', '.join(own)}; "
        f"the bundled llm pack's: {', '.join(pack)}"
    )


def test_a_plain_numbers_unit_may_be_written_1_and_no_other_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`unit: 1`, as the manual writes a plain number's unit, is a YAML number: it was
    refused with `Input should be a valid string` (a stranger test's solar model)."""
    share = "    share: {unit: 1, default: 0.8, label: system efficiency}\n"
    models = (
        "per_year:\n  title: A year's share\n  unit: kWh/year\n  params:\n"
        "    demand: {unit: kWh/year}\n" + share + "  formula: demand * share\n"
    )
    lib = _library(_site(tmp_path / "one", "Text.", models=models))
    result = evaluate("per_year", {"demand": "1000"}, lib)
    assert result.value == Decimal("800")
    root = _site(tmp_path / "hundred", "Text.", models=models.replace("unit: 1,", "unit: 100,"))
    assert main(["lint", "--root", str(root)]) == 1
    (line,) = [x for x in capsys.readouterr().err.splitlines() if ": error: " in x]
    assert line.startswith("content/models/heating.yaml:6:"), line
    assert "a unit is a name such as kWh/year or GBP/day, not the number 100" in line
