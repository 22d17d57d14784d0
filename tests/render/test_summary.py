"""The answer up front: `[calc:]` markers in a guide's summary, computed like any figure and
shown as their value everywhere the summary goes (page, meta, index, feed, llms.txt,
cite-index.json, both twins), on a guide that has nothing to do with LLMs."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from citeguide.cli import main
from conftest import write_site

TARIFF_MODEL = """\
yearly_cost:
  title: Yearly cost of a tariff
  unit: GBP/year
  params:
    demand: {unit: kWh/year, min: 0, label: energy used a year}
    rate: {unit: GBP/kWh, min: 0, label: unit rate}
    standing: {unit: GBP/year, min: 0, label: standing charge}
  formula: demand * rate + standing
"""

SUMMARY = (
    "About [calc: yearly_cost demand=3000 rate=0.25 standing=100] a year for a small flat; "
    "#1 reason: the [calc: yearly_cost demand=3000 rate=0.25 standing=100] standing-heavy "
    "share *matters*."
)
SHOWN = "About £850 a year for a small flat; #1 reason: the £850 standing-heavy share *matters*."


def _guide(summary: str) -> str:
    return (
        "---\n"
        "title: Flat tariffs\n"
        f"summary: {json.dumps(summary)}\n"
        "published: 2026-05-01\n"
        "---\n\n"
        "## What does a year cost?\n\n"
        "At the cap's rate it costs "
        "[calc: yearly_cost demand=5000 rate=0.25 standing=100] a year.\n"
    )


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = write_site(
        tmp_path / "r",
        {
            "citeguide.toml": 'title = "Home costs"\nbase_url = "https://h.example/"\n'
            'currency = "GBP"\nlanguage = "en-GB"\n',
            "content/models/tariffs.yaml": TARIFF_MODEL,
            "content/guides/flat.md": _guide(SUMMARY),
        },
    )
    assert main(["build", "--root", str(root)]) == 0
    return root / "site"


def test_summary_figures_are_computed_in_every_output(built: Path) -> None:
    page = (built / "flat" / "index.html").read_text()
    assert "[calc:" not in page.split('<section id="calculations"')[0]
    assert f'<meta name="description" content="{SHOWN}">' in page
    assert f'<meta property="og:description" content="{SHOWN}">' in page
    # The figure links to its entry; the first use carries the id the entry returns to.
    summary = re.search(r'<p class="summary">(.*?)</p>', page, re.S)
    assert summary is not None
    [calc_id] = set(re.findall(r'href="#(k-[0-9a-f]{12})"', summary.group(1)))
    assert summary.group(1).count(f'id="summary-{calc_id}"') == 1
    assert f'<a class="backref" href="#summary-{calc_id}"' in page
    assert SHOWN in (built / "index.html").read_text()
    llms = MarkdownIt("commonmark").render((built / "llms.txt").read_text())
    assert f'<a href="https://h.example/flat.md">Flat tariffs</a>: {SHOWN}' in llms
    index = json.loads((built / "cite-index.json").read_text())
    assert index["guides"][0]["summary"] == SHOWN
    feed = ET.parse(built / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.findtext("a:entry/a:summary", namespaces=ns) == SHOWN


def test_the_twins_list_key_findings_and_footnote_them(built: Path) -> None:
    twin = json.loads((built / "flat.cite.json").read_text())
    assert twin["summary"] == SHOWN
    [finding] = twin["key_findings"]  # the same marker twice is one finding
    calc = next(c for c in twin["calculations"] if c["id"] == finding["calculation"])
    assert finding["display"] == calc["display"] == "£850"
    assert finding["value"] == calc["value"] == 850
    markdown = (built / "flat.md").read_text()
    quote = markdown.split("\n")[2]
    assert quote.startswith("> About £850[^k-")
    # The Markdown twin's summary renders as the page shows it, the footnotes resolving.
    md = MarkdownIt("commonmark").use(footnote_plugin)
    html = md.render(markdown)
    quoted = html.split("<blockquote>", 1)[1].split("</blockquote>", 1)[0]
    assert quoted.count('class="footnote-ref"') == 2
    text = re.sub(r"<[^>]+>", "", quoted)
    assert re.sub(r"\[\d+(:\d+)?\]", "", text).strip() == SHOWN


def test_a_bad_summary_marker_is_a_positioned_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_site(
        tmp_path / "r",
        {
            "citeguide.toml": 'currency = "GBP"\n',
            "content/models/tariffs.yaml": TARIFF_MODEL,
            "content/guides/flat.md": _guide("Costs [calc: yearly_cost demand=3000 rat=1] a year."),
        },
    )
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "content/guides/flat.md:3:" in err
    assert "[calc-error]" in err
    assert "rat" in err
    assert not (root / "site").exists()
