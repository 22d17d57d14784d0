"""How a figure with ranged inputs writes its range.

Found in a stranger test (an e-bike's payback against a travel pass, a third of the months
ridden): `30.8–41 months`, one end with a decimal and the other without, because 41.04 at
three significant digits is 41.0 and the trailing zero was dropped. Both ends now show as
many decimals as either does, as far as each one's significant digits go.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from citeguide.config_file import load_config
from citeguide.content.models import load_library
from citeguide.costcore import format as fmt
from citeguide.costcore.display import range_display
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.units import ONE, parse_unit
from citeguide.diagnostics import Diagnostics
from citeguide.engine.builder import build_site
from commute_tables import COMMUTE_TABLES
from conftest import TODAY, write_site


@pytest.mark.parametrize(
    ("low", "high", "unit", "shown"),
    [
        ("30.8", "41.04", "month", "30.8–41.0 months"),  # it read 30.8–41 months
        ("30.04", "41.04", "month", "30–41 months"),  # neither shows a decimal
        ("11.64", "15.52", "month", "11.6–15.5 months"),
        ("41.04", "1000.4", "month", "41–1,000 months"),  # 1,000 holds no decimal
        ("1.504", "1000.4", "month", "1.5–1,000 months"),
        ("0.06291", "0.1", "1", "0.0629–0.100"),
        ("9.996", "12.34", "month", "10.0–12.3 months"),  # 9.996 rounds up to 10.0
        ("2.5", "2.5", "month", "2.5 months"),
    ],
)
def test_both_ends_of_a_range_show_the_same_decimals(
    low: str, high: str, unit: str, shown: str
) -> None:
    parsed = ONE if unit == "1" else parse_unit(unit)
    assert range_display(Decimal(low), Decimal(high), parsed, "number", 3, "en") == shown


@pytest.mark.parametrize(
    ("low", "high", "shown"),
    [
        ("68.76", "113.04", "£69–113"),  # it read £68.76–113
        ("12.5", "99.99", "£12.50–99.99"),
        ("0.5", "150", "£0.50–150"),  # pence matter at that end
        ("1500", "2500", "£1,500–2,500"),
        ("-120.5", "-15.25", "-£121 to -£15"),
    ],
)
def test_a_range_of_amounts_does_not_mix_pence_and_pounds(low: str, high: str, shown: str) -> None:
    unit = parse_unit("GBP/year")
    assert range_display(Decimal(low), Decimal(high), unit, "money", 3, "en") == shown


def test_significant_places() -> None:
    assert fmt.significant_places(Decimal("41.04")) == (0, 1)
    assert fmt.significant_places(Decimal("30.8")) == (1, 1)
    assert fmt.significant_places(Decimal("1234.5")) == (0, 0)
    assert fmt.significant_places(Decimal("0")) == (0, 0)
    assert fmt.significant(Decimal("41.04"), 3, "de", 1) == "41,0"


TABLES = {
    **COMMUTE_TABLES,
    "content/models/payback.yaml": """\
payback:
  title: Months until an e-bike pays for itself against a travel pass
  unit: month
  params:
    bike: {table: bikes, label: the bike}
    pass: {table: passes, label: the travel pass}
    share: {unit: "%", default: 80, min: 1, max: 100, label: months ridden}
  formula: 'bike.price / (pass.fare * share - bike.upkeep)'
spread:
  title: The bike's price spread over two years, a month
  unit: GBP/month
  params:
    bike: {table: bikes, label: the bike}
  formula: 'bike.price / 24[month]'
""",
    "content/guides/payback.md": """\
---
title: "When does an e-bike pay for itself?"
summary: "In a year or so."
published: 2026-05-01
---

Riding a third of the months, it pays back in [calc: payback bike=ebike pass=zones share=33.3].
Spread over two years, it costs [calc: spread bike=ebike] a month.
""",
}


def test_a_ranged_figure_reads_the_same_in_calc_the_page_and_the_forms(tmp_path: Path) -> None:
    from chromium import page_figures

    write_site(tmp_path, TABLES)
    assert build_site(tmp_path, today=TODAY, use_cache=False).ok
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    inputs = {"bike": "ebike", "pass": "zones", "share": "33.3"}
    # By hand: 205.80 × 0.333 − 10 = 58.5314; 1,800 ÷ 58.5314 = 30.75, 2,400 ÷ 58.5314 = 41.00.
    assert evaluate("payback", inputs, lib).display == "30.8–41.0 months"
    page = (tmp_path / "site" / "payback" / "index.html").read_text(encoding="utf-8")
    assert "30.8–41.0 months" in page
    # A driver's swing is written alike: 1,800 ÷ 58.5314 = 30.75, 2,400 ÷ 58.5314 = 41.00.
    [driver] = evaluate("payback", inputs, lib).drivers
    assert (driver["low_text"], driver["high_text"]) == ("30.8 months", "41.0 months")
    # 1,800 ÷ 24 = 75 and 2,400 ÷ 24 = 100: whole pounds at both ends.
    assert evaluate("spread", {"bike": "ebike"}, lib).display == "£75–100"
    assert "£75–100" in page
    cases = [("payback", inputs), ("payback", {**inputs, "share": "80"}),
             ("spread", {"bike": "ebike"})]  # fmt: skip
    for (name, raw), figure in zip(cases, page_figures(tmp_path / "site", "/payback/", cases),
                                   strict=True):  # fmt: skip
        assert figure["display"] == evaluate(name, raw, lib, locale="en").display


def test_the_midpoint_line_introduces_the_steps_and_is_not_numbered(tmp_path: Path) -> None:
    """A ranged figure's steps began with `1. With every range at its midpoint:`, a line
    that introduces the arithmetic, numbered as its first step. It is a lead-in now, and
    the steps after it count from 1, in the page and once the reader's form redoes them."""
    from playwright.sync_api import sync_playwright

    from chromium import CHROMIUM_ARGS, chromium_path, serving

    write_site(tmp_path, TABLES)
    assert build_site(tmp_path, today=TODAY, use_cache=False).ok
    page_html = (tmp_path / "site" / "payback" / "index.html").read_text(encoding="utf-8")
    assert ('<li class="calc-steps-lead">With every range at its midpoint:</li><li value="1">'
            in page_html)  # fmt: skip
    script = """(form) => [...form.closest('li').querySelectorAll('ol.calc-steps li')]
                  .map((li) => [li.className, li.value, li.textContent])"""
    with sync_playwright() as p, serving(tmp_path / "site") as base:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/payback/")
        page.wait_for_function("() => document.documentElement.classList.contains('whatif-ready')")
        form = page.locator('form.whatif[data-model="payback"]').first
        form.evaluate("(f) => f.closest('details').open = true")
        form.locator('input[name="share"]').fill("50")
        steps = form.evaluate(script)
        browser.close()
    assert steps[0] == ["calc-steps-lead", 0, "With every range at its midpoint:"]
    assert steps[1][:2] == ["", 1]
    assert "50%" in steps[1][2]  # the reader's numbers


def test_a_share_may_be_typed_with_its_sign_and_a_range_with_spaces(tmp_path: Path) -> None:
    """A stranger test as a reader typed `4.2%` in a field already labelled `%` and was
    refused (`is not a number`; `no such row` in a row-or-number field), and `1.5 .. 3.5`
    in a form was refused where `calc` took it. Both read as `calc` reads them now, in
    markers, `calc` and the forms."""
    from chromium import page_figures

    write_site(tmp_path, TABLES)
    assert build_site(tmp_path, today=TODAY, use_cache=False).ok
    lib = load_library(tmp_path, load_config(tmp_path), Diagnostics())
    base = {"bike": "ebike", "pass": "zones"}
    plain = evaluate("payback", {**base, "share": "40"}, lib)
    assert evaluate("payback", {**base, "share": "40%"}, lib).display == plain.display
    ranged = evaluate("payback", {**base, "share": "40..60"}, lib)
    for typed in ("40%..60%", "40 .. 60", "40% .. 60 %"):
        assert evaluate("payback", {**base, "share": typed}, lib).display == ranged.display
    cases = [("payback", {**base, "share": typed}) for typed in ("40%", "40% .. 60 %")]
    figures = page_figures(tmp_path / "site", "/payback/", cases)
    assert [f["display"] for f in figures] == [plain.display, ranged.display]
