"""A reader redoes a solar-and-battery payback with their own numbers (a stranger test on
a topic of its own): a share in `%` multiplied into kWh, a battery's cycles in `1/year`,
a yearly price rise of 3%, `let` values, a flag, ranged cells, a tornado chart.

Found on the way: a `let` holding `3,600 kWh/year × 35%` was written `126,000 kWh %/year`
(and a saving `£80,497.35 %/year`), on the page, in its forms and by `citeguide calc`; an
input in `1/year` read `250 1/year` in the figure's inputs, beside its field and in the
out-of-range message (`%` had its own rule, in three places); `3,5` typed in a field was
read as 35 (the browser's number field dropped the comma, and a comma anywhere was taken
for grouping); typing `200.` or `200..` on the way to a range threw in the page, and a
range written high..low was taken; a refused input left a figure computed from earlier
inputs in the text, and a changed figure's tooltip kept the guide's arithmetic; two
ranged cells of one row were both called `Solar system (pv-6kw-2026)` in the tornado.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from chromium import CHROMIUM_ARGS, chromium_path, serving
from citeguide.config import SiteConfig
from citeguide.content.models import load_library
from citeguide.costcore.display import display, show_quantity
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.library import Library
from citeguide.costcore.quantities import CalcError, parse_number
from citeguide.costcore.units import parse_unit
from citeguide.diagnostics import Diagnostics
from citeguide.engine.builder import build_site
from conftest import TODAY, write_site

SYSTEMS = """\
columns:
  price: GBP
  generation: kWh/year
rows:
  pv-4kw:
    price: 5000..7000
    generation: 3400..3800
    source: https://www.example.org/solar-costs
    date: 2026-11-20
    as_of: 2026-07-01
    confidence: medium
"""
BATTERIES = """\
columns:
  capacity: kWh
  price: GBP
rows:
  battery-5kwh:
    capacity: 5
    price: 3000
    source: https://www.example.org/battery-prices
    date: 2026-11-22
    confidence: low
"""
TARIFFS = """\
columns:
  import: GBP/kWh
  export: GBP/kWh
rows:
  cap-q4:
    import: 0.2611
    export: 0.15
    source: https://www.example.gov/price-cap
    date: 2026-11-25
    confidence: high
"""
MODELS = """\
payback:
  title: Years until solar panels plus a home battery pay for themselves
  unit: year
  params:
    system: {table: systems, label: solar system}
    battery: {table: batteries, label: home battery}
    tariff: {table: tariffs, label: electricity tariff}
    self_use: {unit: "%", default: 35, min: 0, max: 100, label: share of solar used at home}
    cycles: {unit: 1/year, default: 250, min: 0, max: 365, label: full battery cycles a year}
    price_rise: {unit: "%", default: 3, min: -20, max: 50, label: yearly rise in prices}
    export_paid: {type: bool, default: true, label: paid for the solar you export}
  let:
    used_home: {expr: system.generation * self_use, label: solar used at home}
    shifted:
      expr: min(battery.capacity * cycles, system.generation - used_home)
      label: solar the battery shifts
    first_year:
      expr: >-
        (used_home + shifted) * tariff.import
        + (system.generation - used_home - shifted) * if(export_paid, tariff.export, 0[GBP/kWh])
      label: first year's saving
    saving: {expr: first_year * (1 + price_rise) ^ 5, label: saving in a middle year}
  formula: (system.price + battery.price) / saving
  flags:
    within_life:
      label: pays back within 25 years
      test: (system.price + battery.price) / saving <= 25[year]
  format: {style: number, digits: 3}
"""
GUIDE = """\
---
title: "Solar panels plus a home battery: how long until it pays back?"
summary: "The payback from your own prices and habits."
published: 2026-12-01
---

It pays back in [calc: payback system=pv-4kw battery=battery-5kwh tariff=cap-q4 cycles=250].

```chart tornado
title = What moves the payback most
figure = payback system=pv-4kw battery=battery-5kwh tariff=cap-q4
```
"""
FILES = {
    "content/data/systems.yaml": SYSTEMS,
    "content/data/batteries.yaml": BATTERIES,
    "content/data/tariffs.yaml": TARIFFS,
    "content/models/solar.yaml": MODELS,
    "content/guides/solar.md": GUIDE,
    "citeguide.toml": 'title = "Solar"\ncurrency = "GBP"\n',
}
RAW = {"system": "pv-4kw", "battery": "battery-5kwh", "tariff": "cap-q4", "cycles": "250"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Library]]:
    root = write_site(tmp_path_factory.mktemp("solar"), FILES)
    diags = Diagnostics()
    lib = load_library(root, SiteConfig(currency="GBP"), diags)
    assert not diags.items, diags.render()
    result = build_site(root, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    yield root, lib
    shutil.rmtree(root, ignore_errors=True)


# ---------------------------------------------------------------- the one rule, in Python


@pytest.mark.parametrize(
    ("unit", "after"),
    [("1", ""), ("%", "%"), ("%/year", "%/year"), ("1/year", "/year"), ("1/h", "/h"),
     ("kWh/year", " kWh/year"), ("GBP", " GBP")],
)  # fmt: skip
def test_one_rule_says_what_follows_a_number(unit: str, after: str) -> None:
    from citeguide.costcore.units import after_number

    assert after_number(parse_unit(unit).text()) == after


def test_figures_steps_and_messages_glue_a_per_unit_to_its_number() -> None:
    per_year = parse_unit("1/year")
    assert display(Decimal(12), per_year, "number", 3, "en") == "12/year"
    assert show_quantity(Decimal(250), per_year, None) == "250/year"
    assert show_quantity(Decimal("7.9"), parse_unit("%/year"), None) == "7.9%/year"


def test_a_share_multiplied_into_a_quantity_is_folded_in() -> None:
    """`3,600 kWh/year × 35%` is `1,260 kWh/year`, not `126,000 kWh %/year`."""
    assert show_quantity(Decimal(126000), parse_unit("kWh %/year"), None) == "1,260 kWh/year"
    assert show_quantity(Decimal("80497.35"), parse_unit("GBP %/year"), None) == "£804.9735/year"
    assert show_quantity(Decimal(3150), parse_unit("% %"), None) == "0.315"
    assert show_quantity(Decimal(35), parse_unit("%"), None) == "35%"  # a share alone stays


def test_the_steps_by_hand(built: tuple[Path, Library]) -> None:
    """3,600 × 35% = 1,260 used; min(5 × 250, 2,340) = 1,250 shifted; (1,260 + 1,250) ×
    0.2611 + (3,600 − 1,260 − 1,250) × 0.15 = 655.361 + 163.5 = 818.861 a year; × 1.03^5
    (1.1592740743) = 949.2843...; (6,000 + 3,000) / 949.2843 = 9.48083 years."""
    result = evaluate("payback", RAW, built[1])
    assert result.steps[1:5] == [
        "solar used at home = 3,600 kWh/year × 35% = 1,260 kWh/year",
        "solar the battery shifts = min(5 kWh × 250/year, 3,600 kWh/year − 1,260 kWh/year)"
        " = 1,250 kWh/year",
        "first year's saving = (1,260 kWh/year + 1,250 kWh/year) × £0.2611/kWh + (3,600"
        " kWh/year − 1,260 kWh/year − 1,250 kWh/year) × £0.15/kWh = £818.861/year",
        "saving in a middle year = £818.861/year × (1 + 3%)^5 = ≈£949.2843/year",
    ]
    assert abs(Decimal(str(result.value)) - Decimal("9.48083")) < Decimal("0.00001")
    assert all("%/year" not in step and " 1/year" not in step for step in result.steps)


def test_inputs_and_bounds_read_250_a_year(built: tuple[Path, Library]) -> None:
    result = evaluate("payback", {**RAW, "cycles": "200..300"}, built[1])
    cycles = next(p for p in result.params if p.name == "cycles")
    assert cycles.after == "/year"
    with pytest.raises(CalcError, match=r"between 0 and 365/year$"):
        evaluate("payback", {**RAW, "cycles": "400"}, built[1])
    with pytest.raises(CalcError, match=r"between -20 and 50%$"):
        evaluate("payback", {**RAW, "price_rise": "60"}, built[1])
    page = (built[0] / "site" / "solar" / "index.html").read_text(encoding="utf-8")
    assert " 1/year" not in page
    assert "full battery cycles a year: 250/year" in page  # the list and the tooltip


@pytest.mark.parametrize("text", ["3,5", "-1,5", "12,00", "1,2345"])
def test_a_decimal_comma_is_refused_not_read_as_thousands(text: str) -> None:
    with pytest.raises(CalcError, match=r"a comma groups thousands, as in 12,000: write"):
        parse_number(text, "price_rise", signed=True)


def test_a_comma_still_groups_thousands() -> None:
    assert parse_number("12,000") == 12000
    assert parse_number("1,234,567.5") == Decimal("1234567.5")


def test_two_cells_of_one_row_are_told_apart_in_the_tornado(built: tuple[Path, Library]) -> None:
    result = evaluate("payback", {k: v for k, v in RAW.items() if k != "cycles"}, built[1])
    labels = [d["label"] for d in result.drivers]
    assert sorted(labels) == ["Solar system (pv-4kw, generation)", "Solar system (pv-4kw, price)"]


# ---------------------------------------------------------------- the page, in Chromium


@pytest.fixture(scope="module")
def browser(built: tuple[Path, Library]) -> Iterator[tuple[Browser, str]]:
    with sync_playwright() as p, serving(built[0] / "site") as base:
        instance = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance, base
        instance.close()


@pytest.fixture
def page(browser: tuple[Browser, str]) -> Iterator[tuple[Page, list[str]]]:
    """The guide on a 375 px phone, its apparatus open; the page's errors."""
    context = browser[0].new_context(viewport={"width": 375, "height": 812})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(f"{browser[1]}/solar/")
    tab.wait_for_function("() => document.documentElement.classList.contains('whatif-ready')")
    tab.evaluate("() => document.querySelectorAll('details').forEach((d) => d.open = true)")
    yield tab, errors
    context.close()


def _type(page: Page, name: str, text: str) -> None:
    """Type as a reader does, key by key, after clearing the field."""
    field = page.locator(f'form.whatif [name="{name}"]')
    field.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def test_the_forms_steps_are_calcs(page: tuple[Page, list[str]], built: tuple[Path, Library]
                                   ) -> None:  # fmt: skip
    tab, errors = page
    _type(tab, "price_rise", "5")
    expected = evaluate("payback", {**RAW, "price_rise": "5"}, built[1])
    assert tab.locator("form.whatif output").inner_text() == expected.display
    assert tab.locator("#calculations li[id] ol.calc-steps li").all_inner_texts() == expected.steps
    # the figure's tooltip follows the figure, then says where its inputs are
    tip = tab.locator(".calc-tip .calc-tip-line").all_inner_texts()
    assert tip[: len(expected.steps)] == expected.steps
    assert tab.locator("a.calc-value").inner_text() == expected.display
    assert tab.locator('form.whatif [name="cycles"] ~ .unit').inner_text() == "/year"
    assert errors == []


def test_a_negative_input_is_bracketed_in_a_sum(page: tuple[Page, list[str]],
                                                built: tuple[Path, Library]) -> None:  # fmt: skip
    """A falling price read `× (1 + -5%)^5`; it reads `× (1 + (-5%))^5`, in `calc` and the
    form alike."""
    tab, errors = page
    expected = evaluate("payback", {**RAW, "price_rise": "-5"}, built[1])
    assert "× (1 + (-5%))^5 = " in expected.steps[4]
    _type(tab, "price_rise", "-5")
    assert tab.locator("#calculations li[id] ol.calc-steps li").all_inner_texts() == expected.steps
    assert errors == []


def test_a_decimal_comma_is_refused_in_the_form(page: tuple[Page, list[str]]) -> None:
    tab, errors = page
    _type(tab, "price_rise", "3,5")
    assert tab.locator('form.whatif [name="price_rise"]').input_value() == "3,5"
    assert "write 3.5 for a decimal" in tab.locator("form.whatif output").inner_text()
    assert errors == []


def test_a_refusal_names_the_bounds_and_marks_its_field(page: tuple[Page, list[str]]) -> None:
    """`calc` says `between -20 and 50%`; the form said only `out of range`, and nothing
    told a screen reader which field was at fault."""
    tab, errors = page
    _type(tab, "price_rise", "60")
    label = tab.locator('form.whatif [name="price_rise"]').evaluate(
        "(el) => el.labels[0].querySelector('span').textContent.trim()"
    )
    assert tab.locator("form.whatif output").inner_text() == (
        f"{label}: 60 is out of range: between -20 and 50%"  # the reader's words, not `key=`
    )
    field = tab.locator('form.whatif [name="price_rise"]')
    assert field.get_attribute("aria-invalid") == "true"
    message = field.get_attribute("aria-errormessage")
    assert message
    assert tab.locator(f"#{message}").inner_text().startswith(f"{label}: 60")
    _type(tab, "price_rise", "")
    assert tab.locator("form.whatif output").inner_text() == f"{label}: enter a number"
    _type(tab, "price_rise", "6")
    assert field.get_attribute("aria-invalid") is None
    assert errors == []


def test_a_refused_input_puts_the_guides_figure_back(page: tuple[Page, list[str]]) -> None:
    tab, errors = page
    figure = tab.locator("a.calc-value")
    built = tab.locator("#calculations strong").first.inner_text()
    _type(tab, "price_rise", "-2")  # on the way to -25
    assert figure.inner_text() != built
    _type(tab, "price_rise", "-25")
    assert "out of range" in tab.locator("form.whatif output").inner_text()
    assert figure.inner_text() == built
    assert "whatif-changed" not in (figure.get_attribute("class") or "")
    assert tab.locator(".calc-tip .calc-tip-line").first.inner_text().startswith("With every")
    assert errors == []


def test_typing_a_range_key_by_key_never_throws(page: tuple[Page, list[str]]) -> None:
    tab, errors = page
    _type(tab, "cycles", "200..300")  # `2`, `20`, `200`, `200.`, `200..`, `200..3`, ...
    assert "–" in tab.locator("form.whatif output").inner_text()
    _type(tab, "cycles", "300..200")
    assert "a range is written low..high" in tab.locator("form.whatif output").inner_text()
    assert errors == []


def test_a_true_or_false_input_is_a_checkbox(page: tuple[Page, list[str]],
                                             built: tuple[Path, Library]) -> None:  # fmt: skip
    """A `type: bool` parameter was a hidden field: the reader could not toggle it."""
    tab, errors = page
    box = tab.locator('form.whatif input[type="checkbox"][name="export_paid"]')
    assert box.is_checked()
    assert (
        box.evaluate("(el) => el.labels[0].textContent.trim()") == "paid for the solar you export"
    )
    box.focus()
    tab.keyboard.press("Space")  # keyboard only
    expected = evaluate("payback", {**RAW, "export_paid": "false"}, built[1])
    assert tab.locator("form.whatif output").inner_text() == expected.display
    assert tab.url.endswith(".export_paid=false")
    link = tab.url
    tab.goto("about:blank")
    tab.goto(link)
    tab.wait_for_function("() => document.documentElement.classList.contains('whatif-ready')")
    assert not box.is_checked()
    assert tab.locator("a.calc-value").inner_text() == expected.display
    tab.locator(".whatif-reset").evaluate("(button) => button.click()")
    assert box.is_checked()
    assert errors == []


def test_the_form_fits_375_px(page: tuple[Page, list[str]]) -> None:
    tab, _ = page
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    for control in tab.locator("form.whatif input:not([type=hidden]), form.whatif select").all():
        assert control.evaluate("(el) => el.labels.length") == 1
