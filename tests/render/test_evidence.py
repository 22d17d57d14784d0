"""Evidence counts every input a page rests on (issue 21): the citations and the table
rows behind its figures and charts, each with its confidence, estimate flag and staleness,
in the evidence line, the index cards, the figure tooltips, "How the numbers were
computed", a chart's inputs, both twins and `lint`; and confidence belongs to a claim, not
to a URL. On a site about home electricity tariffs (tests/sites/evidence) and on the
bundled heat-pump guide, neither about LLMs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from citeguide.engine.builder import build_site
from citeguide.model import UNCHECKED, LinkInfo
from conftest import REPO, SITES, TODAY

GUIDE = "content/guides/flat-tariff.md"


def _build(root: Path) -> tuple[Path, list[str]]:
    result = build_site(root, today=TODAY)
    assert result.ok, result.diagnostics.render()
    return root / "site", [d.format() for d in result.diagnostics.sorted()]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("evidence") / "home"
    shutil.copytree(SITES / "evidence", root)
    return _build(root)


@pytest.fixture(scope="module")
def page(built: tuple[Path, list[str]]) -> str:
    return (built[0] / "flat-tariff" / "index.html").read_text()


def _evidence(html: str, label: str) -> str:
    found = re.search(rf'<ul class="evidence" aria-labelledby="evidence-{label}">(.*?)</ul>',
                      html, re.S)  # fmt: skip
    assert found is not None
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def _part(html: str, start: str, end: str) -> str:
    """From the first `start` to the `end` after it."""
    rest = html[html.index(start) :]
    return rest[: rest.index(end)]


def _tip(html: str, before: str) -> str:
    """The lines of the tooltip of the figure right after the text `before`."""
    found = re.search(rf"{re.escape(before)} <span class=\"calc\">.*?"
                      r'<span class="calc-tip" id="calc-tip-\d+"[^>]*>(.*?)<a class="tip-link"',
                      html, re.S)  # fmt: skip
    assert found is not None, before
    return "\n".join(re.findall(r'<span class="calc-tip-line[^"]*">([^<]*)</span>', found.group(1)))


def test_the_evidence_line_counts_every_row_with_its_confidence_estimates_and_staleness(
    built: tuple[Path, list[str]], page: str
) -> None:
    # 4 citations (high, medium, high, low) and 5 rows: fixed-2026 high, old-deal low,
    # mixed medium (its weakest source), guess medium, older-deal low. Three rows are stale:
    # two low-confidence forum posts over 365 days, and `mixed`, whose newest source is
    # fresh but whose medium-confidence blog post is 1,026 days old (budget 730).
    line = (
        "3 cited claims 5 sources confidence: 34% high, 33% medium, 33% low (of 4 citations "
        "and 5 table rows) 4 computed figures 1 estimated input oldest source read "
        "2024-01-10 3 stale (3 table rows) links: not checked yet"
    )
    assert _evidence(page, "summary") == line
    index = (built[0] / "index.html").read_text()
    assert _evidence(index, "flat-tariff") == line  # the index card says the same


def test_lint_flags_each_stale_row_once_at_its_first_use(built: tuple[Path, list[str]]) -> None:
    stale = [line for line in built[1] if line.endswith("[stale-input]")]
    # old-deal is used by a figure (line 21) and by the chart: one warning, at the figure;
    # older-deal only by the chart: at its fence; mixed is allowed by the author's comment;
    # counted from today, 2026-12-02, later than the guide's update.
    assert stale == [
        f"{GUIDE}:21:47: warning: tariffs/old-deal rests on a low-confidence source read "
        "2025-03-01, 641 days before 2026-12-02 (budget 365); re-read "
        "https://forum.example.net/thread/88 and update the row's date [stale-input]",
        f"{GUIDE}:29:1: warning: tariffs/older-deal rests on a low-confidence source read "
        "2024-06-01, 914 days before 2026-12-02 (budget 365); re-read "
        "https://forum.example.net/thread/61 and update the row's date [stale-input]",
    ]
    assert not [line for line in built[1] if line.endswith("[estimate-input]")]


def test_lint_allow_is_what_silences_a_stale_row(tmp_path: Path) -> None:
    root = tmp_path / "home"
    shutil.copytree(SITES / "evidence", root)
    guide = root / GUIDE
    text = guide.read_text()
    guide.write_text(text.replace("<!-- lint-allow: stale-input", "<!-- a note:"))
    _, lines = _build(root)
    [mixed] = [line for line in lines if "tariffs/mixed" in line]
    assert mixed.startswith(
        f"{GUIDE}:24:65: warning: tariffs/mixed rests on a medium-confidence source read "
        "2024-01-10, 1057 days before 2026-12-02 (budget 730); re-read "
        "https://blog.example.com/rates"
    )


def test_a_stale_row_of_the_bundled_pack_says_where_a_fresher_one_goes(tmp_path: Path) -> None:
    root = tmp_path / "pack"
    shutil.copytree(SITES / "evidence", root)
    config = root / "citeguide.toml"
    config.write_text(config.read_text() + "\n[stale]\nmedium = 3\n")
    guide = root / GUIDE
    figure = "\nA 7B model needs [calc: model_memory params=7B bits=8].\n"
    guide.write_text(guide.read_text() + figure)
    _, lines = _build(root)
    [pack] = [line for line in lines if "rules_of_thumb" in line]
    assert pack == (
        f"{GUIDE}:40:18: warning: rules_of_thumb/serving-memory-overhead rests on a "
        "medium-confidence source read 2026-11-27, 5 days before 2026-12-02 (budget 3); a row "
        "of the bundled pack: give a fresher one in content/data/rules_of_thumb.yaml "
        "[stale-input]"
    )


def test_tooltips_name_each_estimate_with_its_note_and_each_stale_row(page: str) -> None:
    assert _tip(page, "the same year cost").endswith(
        "Stale, tariffs:old-deal: read 2025-03-01, past the 365 days a low-confidence "
        "source stays fresh"
    )
    assert _tip(page, "old blog post's rates gives").endswith(
        "Stale, tariffs:mixed: read 2024-01-10, past the 730 days a medium-confidence source "
        "stays fresh"
    )
    assert _tip(page, "a year costs").startswith("3,000 kWh/year × £0.24/kWh")
    assert "Stale" not in _tip(page, "On the fixed offer a year costs")
    assert _tip(page, "midpoint of the offers a year costs").endswith(
        "Estimate, tariffs:guess: The author&#39;s midpoint between the fixed and the "
        "variable offers; no supplier quotes it."
    )


def test_the_arithmetic_lists_each_row_with_its_period_note_staleness_and_sources(
    page: str,
) -> None:
    section = _part(page, '<section id="calculations"', "</section>")
    assert (
        'tariffs/fixed-2026 · read <time datetime="2026-10-01">2026-10-01</time> · figures '
        'as of <time datetime="2026-10-01">2026-10-01</time> · <span class="badge '
        'confidence-high">High confidence</span>: The supplier&#39;s own price list for new '
        "customers from 1 October 2026.</li>"
    ) in section  # a note that is not an estimate's is shown too
    assert (
        'tariffs/old-deal · read <time datetime="2025-03-01">2025-03-01</time> · <span '
        'class="badge confidence-low">Low confidence</span> · <span class="badge stale" '
        'title="Older than the low-confidence budget of 365 days">stale</span></li>'
    ) in section
    # A row of two sources shows each with its own day and confidence: which one is old.
    assert (
        '<a href="https://tariffs.example.org/variable" rel="noopener">tariffs.example.org</a> '
        '(read <time datetime="2026-10-01">2026-10-01</time>, high), <a href="https://blog.'
        'example.com/rates" rel="noopener">blog.example.com</a> (read <time datetime='
        '"2024-01-10">2024-01-10</time>, medium) · tariffs/mixed · <span class="badge '
        'confidence-medium">Medium confidence</span> · <span class="badge stale" title="Older '
        'than the medium-confidence budget of 730 days">stale</span></li>'
    ) in section
    assert (
        '<span class="badge estimate">estimate</span>: The author&#39;s midpoint between the '
        "fixed and the variable offers; no supplier quotes it.</li>"
    ) in section


def test_a_charts_inputs_mark_its_stale_and_estimated_rows(built: tuple[Path, list[str]],
                                                           page: str) -> None:  # fmt: skip
    chart = _part(page, '<details class="chart-inputs">', "</details>")
    assert (
        'tariffs/older-deal · read <time datetime="2024-06-01">2024-06-01</time> · <span '
        'class="badge confidence-low">Low confidence</span> · <span class="badge stale" '
        'title="Older than the low-confidence budget of 365 days">stale</span></li>'
    ) in chart
    assert (
        '<span class="badge estimate">estimate</span>: The author&#x27;s midpoint between the '
        "fixed and the variable offers; no supplier quotes it.</li>"
    ) in chart
    assert "tariffs/guess" in chart
    assert chart.count('class="badge stale"') == 2
    for path in built[0].rglob("*"):
        if path.is_file() and path.suffix in (".html", ".md", ".json", ".txt", ".xml"):
            assert "citeguide:stale" not in path.read_text(), path  # every slot filled


def test_the_json_twin_says_which_rows_are_stale(built: tuple[Path, list[str]]) -> None:
    twin = json.loads((built[0] / "flat-tariff.cite.json").read_text())
    assert twin["schema_version"] == "2.1"
    facts = {(f["row"], f["stale"], f["estimate"]) for c in twin["calculations"]
             for f in c["facts"]}  # fmt: skip
    assert facts == {("fixed-2026", False, False), ("old-deal", True, False),
                     ("mixed", True, False), ("guess", False, True)}  # fmt: skip
    [chart] = twin["charts"]
    assert [(f["row"], f["stale"]) for f in chart["facts"]] == [
        ("older-deal", True),
        ("old-deal", True),
        ("guess", False),
    ]
    by_url = {s["url"]: s for s in twin["sources"]}
    # A source is stale when every use of it is; a row's use counts with the claims'.
    assert [(url, s["stale"]) for url, s in by_url.items()] == [
        ("https://tariffs.example.org/fixed-2026", False),
        ("https://tariffs.example.org/variable", False),
        ("https://forum.example.net/thread/88", True),
        ("https://blog.example.com/rates", True),
        ("https://forum.example.net/thread/61", True),
    ]
    # Each source of a row keeps its own confidence: the variable page is high in `mixed`
    # (the blog post is the medium one) and the claims gave it high and low.
    assert by_url["https://tariffs.example.org/variable"]["confidences"] == ["high", "low"]
    schema = json.loads((REPO / "schemas" / "cite.schema.json").read_text())
    jsonschema.validate(twin, schema)


def test_the_markdown_twin_footnotes_say_stale_estimate_and_note(
    built: tuple[Path, list[str]],
) -> None:
    text = (built[0] / "flat-tariff.md").read_text()
    assert (
        "Sources: <https://forum.example.net/thread/88> (tariffs/old-deal, 2025-03-01, low, stale)."
    ) in text
    assert (
        "Sources: <https://tariffs.example.org/variable> and <https://blog.example.com/rates> "
        "(tariffs/mixed, read 2026-10-01 at high and 2024-01-10 at medium, stale)."
    ) in text
    assert (
        "(tariffs/guess, 2026-10-01, medium, estimate: The author's midpoint between the "
        "fixed and the variable offers; no supplier quotes it.)."
    ) in text
    assert (
        "(tariffs/fixed-2026, 2026-10-01, high, figures as of 2026-10-01, note: The "
        "supplier's own price list for new customers from 1 October 2026.)."
    ) in text
    # The chart's rows, written while parsing, get `stale` when the twin is written.
    assert (
        "- tariffs/older-deal: <https://forum.example.net/thread/61> (2024-06-01, low "
        "confidence, stale)\n"
    ) in text
    assert (
        "- tariffs/guess: <https://tariffs.example.org/fixed-2026> (2026-10-01, medium "
        "confidence, estimate: The author's midpoint"
    ) in text


def test_one_page_cited_high_by_a_claim_and_medium_by_a_row_says_which(
    built: tuple[Path, list[str]], page: str
) -> None:
    sources = page[page.index('<section id="sources"') :]
    assert (
        '<span class="source-meta">tariffs.example.org · claims: <time datetime="2026-09-01">'
        '2026-09-01</time>, <time datetime="2026-10-01">2026-10-01</time> · high, medium '
        'confidence; table rows: <time datetime="2026-10-01">2026-10-01</time> · high, medium '
        "confidence"
    ) in sources
    assert (
        '<span class="source-meta">forum.example.net · <time datetime="2025-03-01">2025-03-01'
        '</time> · low confidence · <span class="badge role-input">calculator input</span> · '
        '<span class="badge stale">stale</span>'
    ) in sources
    text = (built[0] / "flat-tariff.md").read_text()
    assert (
        "- <https://tariffs.example.org/variable> — tariffs.example.org; cited in [^3], [^4] "
        "and calculator input; claims: 2026-10-01 · high, low confidence; table rows: "
        "2026-10-01 · high confidence; link unchecked"
    ) in text


def test_only_one_claim_citing_a_page_two_ways_conflicts(built: tuple[Path, list[str]]) -> None:
    """Two claims cite the fixed offer's page at high and medium, on two days, and a row
    at medium: no conflict. One claim cites the variable offer's page twice, high and low."""
    assert [line for line in built[1] if line.endswith("[conflicting-citation]")] == [
        f"{GUIDE}:17:107: warning: this claim cites https://tariffs.example.org/variable"
        "#:~:text=every%20quarter as 2026-10-01 · low and as 2026-10-01 · high; one claim "
        "reads a page once: give both the same date and confidence [conflicting-citation]"
    ]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bundled")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "citeguide.toml", root)
    return _build(root)[0]


def test_the_heat_pump_guide_shows_its_estimate_note_and_periods(bundled: Path) -> None:
    page = (bundled / "heat-pump-or-gas-boiler" / "index.html").read_text()
    assert _evidence(page, "summary").startswith(
        "23 cited claims 17 sources confidence: 29% high, 64% medium, 7% low (of 31 citations "
        "and 14 table rows) 18 computed figures 1 estimated input"
    )
    assert "stale" not in _evidence(page, "summary")
    chart = _part(page, '<details class="chart-inputs">', "</details>")
    # The tornado's estimated spread: both sources with their own confidence, the note.
    assert (
        '(read <time datetime="2026-12-02">2026-12-02</time>, low) · heating/ashp-eoh-spread · '
        '<span class="badge confidence-low">Low confidence</span> · <span class="badge '
        'estimate">estimate</span>: Not a measured range: the span between two cited points'
    ) in chart
    assert ' · figures as of <time datetime="2026-07-01">2026-07-01</time>' in page
    text = (bundled / "heat-pump-or-gas-boiler.md").read_text()
    assert "(read 2026-12-02 at medium and 2026-12-02 at low confidence, estimate: Not a " in text
    twin = json.loads((bundled / "heat-pump-or-gas-boiler.cite.json").read_text())
    facts = [f for item in twin["calculations"] + twin["charts"] for f in item["facts"]]
    assert facts
    assert not any(f["stale"] for f in facts)


def test_the_headline_guide_says_high_for_its_claims_and_low_for_its_row(bundled: Path) -> None:
    page = (bundled / "self-hosted-llm-2026" / "index.html").read_text()
    assert (
        'arxiv.org · claims: <time datetime="2025-09-30">2025-09-30</time> · high confidence; '
        'table rows: <time datetime="2025-09-30">2025-09-30</time> · low confidence'
    ) in page
    assert "high, low confidence" not in page


def test_the_shared_record_of_an_unchecked_source_is_never_changed(
    built: tuple[Path, list[str]],
) -> None:
    """Every lookup of a source the link state does not know gets one shared record
    (`model.UNCHECKED`); rendering a site whose sources were never checked leaves it as
    a fresh one, and the pages say "unchecked"."""
    assert LinkInfo() == UNCHECKED
    assert UNCHECKED.quotes == {}
    with pytest.raises(ValueError, match="frozen"):
        UNCHECKED.status = "ok"  # type: ignore[misc]  # every record is frozen
    assert "link-unchecked" in (built[0] / "flat-tariff" / "index.html").read_text()
