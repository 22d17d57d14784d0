"""A chart's data table writes each line's column alike.

Found in a stranger test (a tennis club's LED floodlights): the payback column read
`3.6 years` under `3.76 years` and `2.7 years` above `2.37 years` (3.60 at three
significant digits, its zero dropped), on the page and in the Markdown twin. A column is
now written as a range's two ends are (`written_alike`), and a reader's redrawn table the
same way (whatif.js), compared in Chromium.
"""

from __future__ import annotations

from pathlib import Path

from citeguide.engine.builder import build_site
from conftest import TODAY, write_site

MODEL = """\
payback:
  title: Years for new lights to pay for themselves
  unit: year
  params:
    cost: {unit: GBP, min: 0, label: cost of the lights}
    hours: {unit: h/year, min: 1, label: hours the lights are on a year}
    saving: {unit: GBP/h, min: 0, default: 0.5, label: saving an hour}
  formula: cost / (hours * saving)
"""
GUIDE = """\
---
title: "When do LED floodlights pay back?"
summary: "Sooner the longer they are on."
published: 2026-05-01
---

At 1,000 hours a year they pay back in [calc: payback cost=1000 hours=1000].

```chart
title = Payback against hours of use
x = hours
from = 200
to = 2000
scale = linear
line = Small club: payback cost=1000
line = Large club: payback cost=1500
```
"""
TABLE = "rs => rs.map(r => [...r.cells].map(c => c.textContent))"


def _site(tmp_path: Path) -> Path:
    root = write_site(tmp_path, {"content/models/lights.yaml": MODEL,
                                 "content/guides/lights.md": GUIDE,
                                 "citeguide.toml": 'currency = "GBP"\n'})  # fmt: skip
    assert build_site(root, today=TODAY, use_cache=False).ok
    return root


def test_a_column_is_written_alike_on_the_page_and_in_the_twin(tmp_path: Path) -> None:
    root = _site(tmp_path)
    page = (root / "site" / "lights" / "index.html").read_text(encoding="utf-8")
    # 2,000 ÷ 200 = 10 (as 10.0 beside 5.26), and 2,000 ÷ 2,000 = 1 (1.00).
    assert "<td>200 h/year</td><td>10.0 years</td><td>15.0 years</td>" in page
    assert "<td>380 h/year</td><td>5.26 years</td><td>7.89 years</td>" in page
    assert "<td>2,000 h/year</td><td>1.00 year</td><td>1.50 years</td>" in page
    twin = (root / "site" / "lights.md").read_text(encoding="utf-8")
    assert "| 200 h/year | 10.0 years | 15.0 years |" in twin
    assert "| 2,000 h/year | 1.00 year | 1.50 years |" in twin


def test_a_redrawn_table_is_written_as_the_build_writes_it(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from chromium import CHROMIUM_ARGS, chromium_path, serving

    root = _site(tmp_path)
    with sync_playwright() as p, serving(root / "site") as base:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/lights/")
        page.wait_for_function("() => document.documentElement.classList.contains('whatif-ready')")
        rows = page.locator("figure.chart tr[data-x]")
        built = rows.evaluate_all(TABLE)
        field = page.locator('form.whatif-chart input[name="l1.cost"]')
        field.fill("2000")  # the large club at £2,000: 20.0 years at 200 h, 2.00 at 2,000 h
        redrawn = rows.evaluate_all(TABLE)
        assert redrawn[0] == ["200 h/year", "10.0 years", "20.0 years"]
        assert redrawn[-1] == ["2,000 h/year", "1.00 year", "2.00 years"]
        field.fill("1500")  # the guide's own number: the guide's table, cell for cell
        assert rows.evaluate_all(TABLE) == built
        browser.close()
    assert errors == []
