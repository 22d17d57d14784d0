"""A figure's list of inputs ("How the numbers were computed", and the Markdown twin's
footnote) shows numbers as the figures show them: grouped in the site's locale, a range
with a dash. It echoed the typed text (`20000 km/year`, `2.5..3.2 h/day`; found in a
stranger test); the form's own fields keep the typed value."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeguide.costcore.display import shown_input
from citeguide.engine.builder import build_site
from conftest import TODAY, write_site


@pytest.mark.parametrize(
    ("typed", "locale", "shown"),
    [
        ("20000", "en", "20,000"),
        ("10000000", "de", "10.000.000"),
        ("0.75", "fr", "0,75"),
        ("2.5..3.2", "en", "2.5–3.2"),
        ("1150..1400", "en", "1,150–1,400"),
        ("-5..3", "en", "-5 to 3"),  # a negative end is written out
        ("10M", "en", "10M"),  # as written: the author's own shorthand
        ("true", "en", "true"),
        ("gas-cap-2026q4", "en", "gas-cap-2026q4"),
        ("1..2..3", "en", "1..2..3"),  # no range
    ],
)
def test_inputs_are_shown_as_figures_are(typed: str, locale: str, shown: str) -> None:
    assert shown_input(typed, locale) == shown


GRANT_MODEL = """\
net_price:
  title: A price less a grant
  unit: GBP
  params:
    price: {unit: GBP, label: price}
    grant: {unit: GBP, default: 0, min: 0, label: grant}
    upkeep: {unit: GBP/year, default: 120, label: upkeep}
  formula: 'price - grant + upkeep * 1[year]'
"""
GRANT_GUIDE = """\
---
title: "What does the roaster cost after the grant?"
summary: "Less than its list price."
published: 2026-05-01
---

After the grant it costs [calc: net_price price=15000..17500 grant=2500].
"""


@pytest.mark.parametrize(
    ("locale", "listed"),
    [
        ("en", ["grant: £2,500", "price: £15,000–17,500", "upkeep: £120/year"]),
        ("fr", ["grant: 2\u202f500\u00a0£GB", "price: 15\u202f000–17\u202f500\u00a0£GB",
                "upkeep: 120\u00a0£GB/year"]),
    ],
)  # fmt: skip
def test_an_amount_is_listed_with_its_currency_as_the_figures_write_it(
    tmp_path: Path, locale: str, listed: list[str]
) -> None:
    """A stranger test (a café's roaster, a grant in pounds) listed `grant: 0 GBP` and a
    rental row's price as `(3 USD/GPU/h)`, beside figures written `£0.00` and
    `$3.00/GPU/h`. An amount is listed with its currency's symbol where the locale
    writes it (`£2,500`, `£120/year`), in the page, its tooltips and the Markdown twin."""
    config = f'language = "{locale}"\ncurrency = "GBP"\n'
    files = {"content/models/net.yaml": GRANT_MODEL, "content/guides/net.md": GRANT_GUIDE}
    write_site(tmp_path, {**files, "citeguide.toml": config})
    result = build_site(tmp_path, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    page = (tmp_path / "site" / "net" / "index.html").read_text(encoding="utf-8")
    for line in listed:
        assert f"<li>{line}" in page, line
    assert "GBP/year</li>" not in page
    assert " GBP</li>" not in page
    tip = "Inputs: " + "; ".join(listed)
    assert f'<span class="calc-tip-line">{tip}</span>' in page
    markdown = (tmp_path / "site" / "net.md").read_text(encoding="utf-8")
    # The Markdown twin writes the locale's no-break spaces as spaces.
    plain = [line.replace(": ", " ", 1).replace("\u202f", " ").replace("\u00a0", " ")
             for line in listed]  # fmt: skip
    assert "Inputs: " + "; ".join(plain) in markdown


RATE_FILES = {
    "content/data/mortgages.yaml": """\
columns:
  rate: "%"
rows:
  graz-2026:
    rate: 3.9
    source: https://www.example.org/mortgages/graz
    date: 2026-11-20
    confidence: high
""",
    "content/models/interest.yaml": """\
interest:
  title: Interest on a loan, a year
  unit: EUR/year
  params:
    loan: {unit: EUR, label: loan}
    rate: {unit: "%", table: mortgages, column: rate, label: mortgage interest rate}
  formula: 'loan * rate / 1[year]'
""",
    "content/guides/interest.md": """\
---
title: "What does a mortgage cost a year?"
summary: "Thousands of euros."
published: 2026-05-01
---

It costs [calc: interest loan=200000 rate=graz-2026] a year.
""",
}


def test_a_row_is_listed_with_the_number_read_from_it_everywhere(tmp_path: Path) -> None:
    """A stranger test as a reader: "How the numbers were computed" listed `mortgage
    interest rate: graz-2026 (3.9%)`, but the figure's tooltip and the Markdown twin's
    footnote only `graz-2026`. All three give the number now."""
    write_site(tmp_path, {**RATE_FILES, "citeguide.toml": 'currency = "EUR"\n'})
    assert build_site(tmp_path, today=TODAY, use_cache=False).ok
    page = (tmp_path / "site" / "interest" / "index.html").read_text(encoding="utf-8")
    assert "<li>mortgage interest rate: <code>graz-2026</code> (3.9%)</li>" in page
    assert "Inputs: loan: €200,000; mortgage interest rate: graz-2026 (3.9%)</span>" in page
    markdown = (tmp_path / "site" / "interest.md").read_text(encoding="utf-8")
    assert "Inputs: loan €200,000; mortgage interest rate graz-2026 (3.9%)." in markdown
