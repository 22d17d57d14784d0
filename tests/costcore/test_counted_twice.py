"""A conversion written out by hand as a plain number, which citeguide then makes again: a
stranger's Kubernetes guide gave the control plane's $0.10 an hour as
`control: {expr: cluster.control_plane * 730, unit: USD/month}` and was shown, without a
word, `$0.10/h × 730 × 730 h/month = $53,290.00/month`: `× 730` leaves an hourly price
hourly, and the conversion into the let's unit multiplies by 730 again. It is an error at
the number now, saying what to write."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeguide.config import SiteConfig
from citeguide.content.models import load_library
from citeguide.costcore.evaluate import evaluate
from citeguide.diagnostics import Diagnostics
from conftest import write_site

MODEL = """\
bill:
  title: Monthly bill
  unit: {unit}
  params:
    price: {{unit: {price}, default: 0.1, label: the price}}
    extra: {{unit: {unit}, default: 5, label: something else}}
  let:
    cost: {{expr: '{expr}', unit: {unit}}}
  formula: cost + extra
"""


def _told(tmp_path: Path, unit: str, price: str, expr: str) -> list[tuple[int, int, str]]:
    text = MODEL.format(unit=unit, price=price, expr=expr)
    write_site(tmp_path, {"content/models/bill.yaml": text})
    diags = Diagnostics()
    load_library(tmp_path, SiteConfig(currency="USD"), diags)
    return [(d.pos.line, d.pos.col, d.message) for d in diags.items]


@pytest.mark.parametrize(
    ("unit", "price", "expr", "col", "message"),
    [
        ("USD/month", "USD/h", "price * 730", 27,
         "730 is the conversion from USD/h to USD/month, which citeguide makes itself: × 730 "
         "here leaves the value in USD/h, and the conversion multiplies by 730 again; leave "
         "730 out, or write it with its unit, 730[h/month]"),
        ("USD/year", "USD/month", "12 * price", 19,
         "12 is the conversion from USD/month to USD/year, which citeguide makes itself: × 12 "
         "here leaves the value in USD/month, and the conversion multiplies by 12 again; "
         "leave 12 out, or write it with its unit, 12[month/year]"),
        ("USD/month", "USD/year", "price / 12 + 1[USD/month]", 27,
         "12 is the conversion from USD/year to USD/month, which citeguide makes itself: ÷ 12 "
         "here leaves the value in USD/year, and the conversion divides by 12 again; leave "
         "12 out, or write it with its unit, 12[month/year]"),
    ],
)  # fmt: skip
def test_a_conversion_written_as_a_plain_number_is_told(
    tmp_path: Path, unit: str, price: str, expr: str, col: int, message: str
) -> None:
    assert _told(tmp_path, unit, price, expr) == [(8, col, f"bill: let value cost: {message}")]


@pytest.mark.parametrize(
    ("unit", "price", "expr", "value"),
    [
        ("USD/month", "USD/h", "price", "78"),  # 0.1 × 730 + 5
        ("USD/month", "USD/h", "price * 730[h/month]", "78"),
        ("USD/month", "USD/h", "price * 2", "151"),  # two of them: not the conversion
        ("USD/month", "USD/month", "price * 730", "78"),  # no conversion to count twice
    ],
)
def test_the_conversion_left_to_citeguide_or_written_with_its_unit_is_taken(
    tmp_path: Path, unit: str, price: str, expr: str, value: str
) -> None:
    text = MODEL.format(unit=unit, price=price, expr=expr)
    write_site(tmp_path, {"content/models/bill.yaml": text})
    diags = Diagnostics()
    lib = load_library(tmp_path, SiteConfig(currency="USD"), diags)
    assert not diags.items, [d.format() for d in diags.items]
    result = evaluate("bill", {}, lib)
    assert str(result.value.normalize()) == value
