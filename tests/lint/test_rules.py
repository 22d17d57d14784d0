"""Each editorial rule: a fixture that trips it and one that does not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from citeguide.cli import main
from citeguide.diagnostics import ConfigError
from citeguide.engine.incremental import check_site
from citeguide.text.urls import is_private_url as is_private_host
from conftest import SITES, TODAY, write_site

FRONT = "---\ntitle: T\nsummary: S.\npublished: 2026-05-01\n---\n\n"
CITE = "[cite: https://example.org/a · 2026-05-01 · high]"


def _rules(tmp_path: Path, body: str, **files: str) -> list[str]:
    root = write_site(tmp_path / "s", {"content/guides/g.md": FRONT + body, **files})
    result = check_site(root, today=TODAY)
    return [d.format() for d in result.diagnostics.sorted()]


def _only(lines: list[str], rule: str) -> list[str]:
    return [line for line in lines if line.endswith(f"[{rule}]")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("It costs $2,000 a month.\n",
         "content/guides/g.md:7:10: warning: figure '$2,000' has no [cite: ...] or [calc: ...] "
         "in its sentence: 'It costs $2,000 a month.' [uncited-figure]"),
        ("- GPUs fill 80% of the card.\n",
         "content/guides/g.md:7:13: warning: figure '80%' has no [cite: ...] or [calc: ...] "
         "in its sentence: 'GPUs fill 80% of the card.' [uncited-figure]"),
        ("Two cards draw 1.2kW.\n",
         "content/guides/g.md:7:16: warning: figure '1.2kW' has no [cite: ...] or [calc: ...] "
         "in its sentence: 'Two cards draw 1.2kW.' [uncited-figure]"),
        # Issue 22: counts and multiples in words, in a guide that is not about LLMs.
        ("The UK wants 1.5 million heat pumps by 2028.\n",
         "content/guides/g.md:7:14: warning: figure '1.5 million' has no [cite: ...] or "
         "[calc: ...] in its sentence: 'The UK wants 1.5 million heat pumps by 2028.' "
         "[uncited-figure]"),
        ("Postgres has 50,000 developers and costs four times as much.\n",
         "content/guides/g.md:7:14: warning: figures '50,000', 'four times as much' have no "
         "[cite: ...] or [calc: ...] in their sentence: 'Postgres has 50,000 developers and "
         "costs four times as much.' [uncited-figure]"),
    ],
)  # fmt: skip
def test_uncited_figure_trips(tmp_path: Path, body: str, expected: str) -> None:
    assert _only(_rules(tmp_path, body), "uncited-figure") == [expected]


@pytest.mark.parametrize(
    "body",
    [
        f"It costs $2,000 a month {CITE}.\n",
        "It costs [calc: api_cost tokens=10M input_price=1 output_price=5] a month.\n",
        "Llama 3.3 70B and Qwen2.5 32B are open models.\n",
        "Write `tokens=10M` in the marker.\n",
        "```\nprice = $5\n```\n",
        "Plan for 99.9% uptime.\n",
        "A 50°C flow needs larger radiators.\n",
    ],
)
def test_uncited_figure_does_not_trip(tmp_path: Path, body: str) -> None:
    assert _only(_rules(tmp_path, body), "uncited-figure") == []


def test_mixed_currencies_trips_on_the_reference_pages_error(tmp_path: Path) -> None:
    body = f"10M tokens at a typical mix run roughly $30-£60 {CITE}.\n"
    assert _only(_rules(tmp_path, body), "mixed-currencies") == [
        "content/guides/g.md:7:41: error: sentence mixes currencies (USD, GBP); compute one "
        "with currency=..., or state or cite the rate a conversion uses: '10M tokens at a "
        "typical mix run roughly $30-£60.' [mixed-currencies]"
    ]


@pytest.mark.parametrize(
    "body",
    [
        "£7,500 is about $10,000 at the October 2025 HMRC rate.\n",
        f"£7,500 is about $10,000 {CITE}.\n",
    ],
)
def test_a_conversion_that_states_or_cites_its_rate_is_not_mixing(
    tmp_path: Path, body: str
) -> None:
    assert _only(_rules(tmp_path, body), "mixed-currencies") == []


def test_a_conversion_without_its_rate_still_mixes_currencies(tmp_path: Path) -> None:
    lines = _only(_rules(tmp_path, "£7,500 is about $10,000.\n"), "mixed-currencies")
    assert [line.split(": ")[1] for line in lines] == ["error"]


def test_hand_arithmetic_in_a_supposition_asks_for_a_model(tmp_path: Path) -> None:
    body = "If you use 3,000 kWh a year at 24.5p per kWh, you pay £735.\n"
    lines = _rules(tmp_path, body)
    assert _only(lines, "hand-arithmetic") == [
        "content/guides/g.md:7:12: warning: '£735' is worked out by hand from '3,000 kWh a "
        "year', '24.5p'; let a [calc: ...] marker compute it from a model, so it is checked "
        "and stays current: 'If you use 3,000 kWh a year at 24.5p per kWh, you pay £735.' "
        "[hand-arithmetic]"
    ]
    assert _only(lines, "uncited-figure") == []


def test_a_computed_result_is_not_hand_arithmetic(tmp_path: Path) -> None:
    body = (
        "If you send 10M tokens a month, you pay "
        "[calc: api_cost tokens=10M input_price=1 output_price=5].\n"
    )
    assert _only(_rules(tmp_path, body), "hand-arithmetic") == []


def test_one_currency_per_sentence_is_fine(tmp_path: Path) -> None:
    body = f"It costs £0.24–£0.26 per kWh {CITE}. The dollar price is $5 {CITE}.\n"
    assert _only(_rules(tmp_path, body), "mixed-currencies") == []


def test_stale_citation_uses_the_confidence_budget(tmp_path: Path) -> None:
    body = ("Old low [cite: https://example.org/a · 2025-01-01 · low].\n\n"
            "Old high [cite: https://example.org/b · 2025-01-01 · high].\n")  # fmt: skip
    assert _only(_rules(tmp_path, body), "stale-citation") == [
        "content/guides/g.md:7:9: warning: low-confidence citation from 2025-01-01 is 700 days "
        "old (budget 365); re-check the source and update the date [stale-citation]"
    ]


def test_low_confidence_only(tmp_path: Path) -> None:
    body = ("Weak [cite: https://example.org/a · 2026-05-01 · low].\n\n"
            "Mixed [cite: https://example.org/b · 2026-05-01 · low]"
            "[cite: https://example.org/c · 2026-05-01 · high].\n")  # fmt: skip
    lines = _only(_rules(tmp_path, body), "low-confidence-only")
    assert lines == [
        "content/guides/g.md:7:6: warning: claim rests only on low-confidence sources: "
        "'Weak.' [low-confidence-only]"
    ]


def test_one_page_cited_differently_by_two_claims_or_a_row_is_no_conflict(tmp_path: Path) -> None:
    """Confidence belongs to a claim, and the date is the day the page was read: two
    claims, two guides and a table row may each cite one page their own way (issue 21)."""
    body = ("A [cite: https://example.org/p · 2026-05-01 · high].\n\n"
            "B [cite: https://example.org/p#:~:text=B · 2026-03-01 · low].\n")  # fmt: skip
    other = FRONT + "C [cite: https://example.org/p/ · 2026-04-01 · medium].\n"
    table = ("m:\n  name: M\n  provider: P\n  input: 1\n  output: 2\n"
             "  source: https://example.org/p\n  date: 2026-05-01\n"
             "  confidence: low\n")  # fmt: skip
    lines = _rules(tmp_path, body, **{"content/guides/h.md": other,
                                      "content/data/api_prices.yaml": table})  # fmt: skip
    assert _only(lines, "conflicting-citation") == []


def test_one_claim_citing_a_page_twice_two_ways_conflicts(tmp_path: Path) -> None:
    body = ("A costs less [cite: https://example.org/p#:~:text=less · 2026-05-01 · high] "
            "[cite: https://example.org/p#:~:text=costs · 2026-05-01 · low].\n\n"
            "<!-- lint-allow: conflicting-citation (read twice on purpose) -->\n"
            "B [cite: https://example.org/q · 2026-05-01 · high] "
            "[cite: https://example.org/q · 2026-04-01 · high].\n")  # fmt: skip
    assert _only(_rules(tmp_path, body), "conflicting-citation") == [
        "content/guides/g.md:7:77: warning: this claim cites "
        "https://example.org/p#:~:text=costs as 2026-05-01 · low and as 2026-05-01 · high; "
        "one claim reads a page once: give both the same date and confidence "
        "[conflicting-citation]"
    ]


def test_one_table_row_citing_a_page_twice_two_ways_conflicts(tmp_path: Path) -> None:
    table = ("columns:\n  rate: GBP/kWh\nrows:\n"
             "  a:\n    rate: 0.2\n    sources:\n"
             "      - {url: 'https://example.org/cap#:~:text=20p', date: 2026-05-01, "
             "confidence: high}\n"
             "      - {url: 'https://example.org/cap/', date: 2026-05-01, confidence: medium}\n"
             "  b:\n    rate: 0.3\n    sources:\n"
             "      - {url: 'https://example.org/cap', date: 2026-05-01, confidence: high}\n"
             "      - {url: 'https://example.org/b', date: 2026-01-01, confidence: low}\n"
             )  # fmt: skip
    lines = _rules(tmp_path, f"A {CITE}.\n", **{"content/data/tariffs.yaml": table})
    assert _only(lines, "conflicting-citation") == [
        "content/data/tariffs.yaml:4:1: warning: the row tariffs/a cites "
        "https://example.org/cap/ as 2026-05-01 · medium and as 2026-05-01 · high; one row "
        "reads a page once: give both the same date and confidence [conflicting-citation]"
    ]


def test_same_url_same_date_is_fine(tmp_path: Path) -> None:
    body = f"A {CITE}. B {CITE}.\n"
    assert _only(_rules(tmp_path, body), "conflicting-citation") == []


@pytest.mark.parametrize(
    ("url", "private"),
    [("http://127.0.0.1:8000/x", True), ("http://localhost/x", True),
     ("http://192.168.1.10/r", True), ("http://10.0.0.1/", True), ("http://[::1]/", True),
     ("http://printer.local/", True), ("https://example.org/", False),
     ("https://8.8.8.8/", False)],
)  # fmt: skip
def test_private_hosts(url: str, private: bool) -> None:
    assert is_private_host(url) is private


def test_private_source_trips(tmp_path: Path) -> None:
    body = "Internal [cite: http://10.1.2.3/report · 2026-05-01 · high].\n"
    assert _only(_rules(tmp_path, body), "private-source") == [
        "content/guides/g.md:7:10: warning: http://10.1.2.3/report is a local or private "
        "address [private-source]"
    ]


def _state(status: str) -> str:
    record = {"url": "https://example.org/a", "status": status, "http_status": 404,
              "first_checked": "2026-11-01T00:00:00Z",
              "last_checked": "2026-11-01T00:00:00Z"}  # fmt: skip
    return json.dumps({"version": 1, "links": {"https://example.org/a": record}})


@pytest.mark.parametrize(
    ("status", "rule"), [("dead", "dead-source"), ("soft-404", "dead-source"),
                         ("blocked", "blocked-source"), ("ok", None)]
)  # fmt: skip
def test_link_status_rules(tmp_path: Path, status: str, rule: str | None) -> None:
    lines = _rules(tmp_path, f"A {CITE}.\n", **{"citeguide-links.json": _state(status)})
    flagged = [line for line in lines if line.endswith(("[dead-source]", "[blocked-source]"))]
    assert [line.rsplit("[", 1)[1].rstrip("]") for line in flagged] == ([rule] if rule else [])


def test_duplicate_claim(tmp_path: Path) -> None:
    body = f"Same words {CITE}.\n\n## Again\n\nSame words {CITE}.\n"
    assert _only(_rules(tmp_path, body), "duplicate-claim") == [
        "content/guides/g.md:11:12: warning: claim repeats the one at line 7: 'Same words.' "
        "[duplicate-claim]"
    ]
    assert _only(_rules(tmp_path, f"One {CITE}. Two {CITE}.\n"), "duplicate-claim") == []


def test_stale_guide(tmp_path: Path) -> None:
    old = FRONT.replace("2026-05-01", "2024-01-01") + f"A {CITE}.\n"
    root = write_site(tmp_path / "s", {"content/guides/g.md": old})
    lines = [d.format() for d in check_site(root, today=TODAY).diagnostics.items]
    assert _only(lines, "stale-guide") == [
        "content/guides/g.md:1:1: warning: guide last updated 2024-01-01, 1066 days ago "
        "(budget 365); review it and add an update-log entry [stale-guide]"
    ]
    assert _only(_rules(tmp_path / "fresh", f"A {CITE}.\n"), "stale-guide") == []


def test_severity_can_be_changed_or_turned_off(tmp_path: Path) -> None:
    body = "It costs $2,000 a month.\n"
    config = '[lint]\nrules = { "uncited-figure" = "error" }\n'
    assert _only(_rules(tmp_path / "a", body, **{"citeguide.toml": config}),
                 "uncited-figure")[0].split(": ")[1] == "error"  # fmt: skip
    off = '[lint]\nrules = { "uncited-figure" = "off" }\n'
    assert _only(_rules(tmp_path / "b", body, **{"citeguide.toml": off}), "uncited-figure") == []


def test_unknown_rule_in_config_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = '[lint]\nrules = { "typo" = "off" }\n'
    root = write_site(
        tmp_path / "s", {"content/guides/g.md": FRONT + "x\n", "citeguide.toml": config}
    )
    assert main(["lint", "--root", str(root)]) == 2
    assert "unknown rule 'typo'" in capsys.readouterr().err


def test_lint_strict_and_github_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(tmp_path / "s", {"content/guides/g.md": FRONT + "It costs $2,000.\n"})
    assert main(["lint", "--root", str(root)]) == 0
    assert main(["lint", "--strict", "--root", str(root)]) == 1
    capsys.readouterr()
    main(["lint", "--format", "github", "--root", str(root)])
    assert (
        "::warning file=content/guides/g.md,line=7,col=10,title=uncited-figure::figure '$2,000'"
        in capsys.readouterr().out
    )


def test_bundled_site_is_lint_clean_in_strict_mode(capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import REPO

    assert main(["lint", "--strict", "--root", str(REPO)]) == 0


def test_uncited_figure_names_every_figure_of_the_sentence(tmp_path: Path) -> None:
    body = "It funded USD$20-50M and runs 1.7x faster at 300 ms.\n"
    assert _only(_rules(tmp_path, body), "uncited-figure") == [
        "content/guides/g.md:7:11: warning: figures 'USD$20-50M', '1.7x', '300 ms' have no "
        "[cite: ...] or [calc: ...] in their sentence: 'It funded USD$20-50M and runs 1.7x faster "
        "at 300 ms.' [uncited-figure]"
    ]


def test_a_table_gives_at_most_one_uncited_figure_warning_per_row(tmp_path: Path) -> None:
    body = (
        "| GPU | Memory | Price |\n|---|---|---|\n"
        "| H100 | 80 GB | $2.49 |\n| L4 | 24 GB | $0.80 |\n"
    )
    lines = _only(_rules(tmp_path, body), "uncited-figure")
    assert lines == [
        "content/guides/g.md:9:10: warning: figures '80 GB', '$2.49' have no [cite: ...] or "
        "[calc: ...] in their table row: 'H100 | 80 GB | $2.49' [uncited-figure]",
        "content/guides/g.md:10:8: warning: figures '24 GB', '$0.80' have no [cite: ...] or "
        "[calc: ...] in their table row: 'L4 | 24 GB | $0.80' [uncited-figure]",
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Run `docker run -m 16GB` to cap memory.\n",
        'The chart is <img width="40%" src="c.png"> wide.\n',
        "I am 100% sure the A100 80GB and the RTX 4090 are GPUs.\n",
        "A Quadro M6000 24GB and an M2 Max laptop sit on the desk.\n",
    ],
)
def test_names_code_and_markup_are_not_figures(tmp_path: Path, body: str) -> None:
    assert _only(_rules(tmp_path, body), "uncited-figure") == []


def test_uncited_figure_is_not_laundered_by_the_next_sentences_citation(tmp_path: Path) -> None:
    body = f"Self-hosting costs $9,000 a month. vLLM pages memory efficiently {CITE}.\n"
    assert len(_only(_rules(tmp_path, body), "uncited-figure")) == 1


@pytest.mark.parametrize(
    ("opening", "word"),
    [
        ("It", "It"), ("Its price", "Its"), ("This", "This"), ("They", "They"),
        ("Both", "Both"), ("Such setups", "Such"), ("The same card", "The same"),
        ("These", "These"),
    ],
)  # fmt: skip
def test_a_claim_opening_with_a_pronoun_depends_on_its_context(
    tmp_path: Path, opening: str, word: str
) -> None:
    body = f"vLLM is a server. {opening} runs on many GPUs {CITE}.\n"
    lines = _only(_rules(tmp_path, body), "context-dependent-claim")
    assert len(lines) == 1
    assert f"(it opens with {word!r}, which points back into the paragraph)" in lines[0]


def test_a_bare_label_is_a_context_dependent_claim(tmp_path: Path) -> None:
    lines = _only(_rules(tmp_path, f"- vLLM {CITE}\n"), "context-dependent-claim")
    assert lines == [
        "content/guides/g.md:7:8: warning: claim cannot stand alone (it is a bare label, not a "
        "statement); name the subject so an agent reading only the claim understands it: "
        "'vLLM' [context-dependent-claim]"
    ]


def test_a_claim_naming_its_subject_stands_alone(tmp_path: Path) -> None:
    body = f"vLLM is a server. vLLM runs on many GPUs {CITE}. Italy has GPUs too {CITE}.\n"
    assert _only(_rules(tmp_path, body), "context-dependent-claim") == []


@pytest.mark.parametrize("case", sorted(p.name for p in (SITES / "invalid").iterdir()))
def test_lint_and_build_report_the_same_diagnostics(tmp_path: Path, case: str) -> None:
    """One engine: `lint` (nothing rendered or written) says what `build` says."""
    from citeguide.engine.builder import build_site

    root = tmp_path / case
    shutil.copytree(SITES / "invalid" / case, root, ignore=shutil.ignore_patterns("expected.txt"))
    try:
        linted = [d.format() for d in check_site(root, today=TODAY).diagnostics.items]
    except ConfigError:
        return  # a configuration error stops both before any guide is read
    built = [d.format() for d in build_site(root, today=TODAY).diagnostics.items]
    assert linted == built
    assert not (root / "site").exists()


COMMUTE = """\
commute:
  title: A month of commuting
  unit: GBP/month
  params:
    trips: {unit: day/month, min: 0}
    route: {type: bool, default: false, label: via Gatwick}
    fare: {unit: GBP/day, default: 58.5}
  formula: trips * fare
season:
  title: A month on a season ticket
  unit: GBP/month
  params:
    trips: {unit: day/month, min: 0, label: days in the office a month}
  formula: 498.2[GBP/month]
"""


def test_a_marker_giving_a_parameter_its_model_never_reads_is_told(tmp_path: Path) -> None:
    """A stranger's model declared `route` and never used it: `route=true` changed nothing,
    silently. A chart line of a flat model (`season` ignores the x parameter `trips`) is
    no finding: drawing a constant against the others is what it is for."""
    body = (
        "Via Gatwick it costs [calc: commute trips=12 route=true] a month.\n\n"
        "```chart\ntitle = A month against days\nx = trips\nfrom = 1\nto = 20\n"
        "line = Day returns: commute\nline = Season: season\n```\n"
    )
    lines = _rules(tmp_path, body, **{"content/models/commute.yaml": COMMUTE})
    assert _only(lines, "unused-param") == [
        "content/guides/g.md:7:22: warning: route=... changes nothing: commute never reads "
        "route (not in its formula, `let` values, `require` or `flags`); take it out of the "
        "marker, or use it in the model [unused-param]"
    ]
    used = _rules(tmp_path / "b", "It costs [calc: commute trips=12 fare=60] a month.\n",
                  **{"content/models/commute.yaml": COMMUTE})  # fmt: skip
    assert _only(used, "unused-param") == []
