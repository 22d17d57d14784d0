"""Claims: the sentence around a marker, stable ids, sections, source deduplication."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from citeguide.config import SiteConfig
from citeguide.content.claims import claim_id
from citeguide.content.parse import parse_guide
from citeguide.lint.editorial import guide_findings
from citeguide.model import Guide
from citeguide.render.body import render_body
from citeguide.render.markdown_twin import markdown_body
from citeguide.text.sentences import sentence_starts, tidy
from citeguide.text.urls import normalize_url
from conftest import TODAY

FRONT = "---\ntitle: T\nsummary: S.\npublished: 2026-01-01\n---\n"


def _html(guide: Guide) -> str:
    """The guide's body as its page shows it, with no link checked."""
    return render_body(guide, SiteConfig(), {}, {})


def _guide(body: str) -> Guide:
    guide, diags = parse_guide("content/guides/t.md", FRONT + body, today=TODAY)
    assert guide is not None, diags.render()
    return guide


def _split(text: str) -> list[str]:
    starts = sentence_starts(text)
    return [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def test_sentences_split_on_terminal_punctuation() -> None:
    assert _split("One. Two! Three? Four") == ["One.", "Two!", "Three?", "Four"]


def test_abbreviations_and_decimals_do_not_split() -> None:
    assert _split("Use e.g. vLLM vs. SGLang at 3.5 tokens. Next.") == [
        "Use e.g. vLLM vs. SGLang at 3.5 tokens.",
        "Next.",
    ]


def test_sentences_starting_with_numbers_or_currency_split() -> None:
    assert _split("Cheap. $5 per million. 10M tokens.") == [
        "Cheap.",
        "$5 per million.",
        "10M tokens.",
    ]


def test_marker_before_full_stop_cites_its_sentence() -> None:
    guide = _guide("A is fast [cite: https://a.example · 2026-01-01 · high]. B is slow.\n")
    assert [c.text for c in guide.claims] == ["A is fast."]


def test_marker_glued_to_full_stop_cites_the_sentence_before() -> None:
    guide = _guide("A is fast.[cite: https://a.example · 2026-01-01 · high] B is slow.\n")
    assert [c.text for c in guide.claims] == ["A is fast."]


def test_marker_at_the_end_of_a_paragraph_cites_the_last_sentence() -> None:
    guide = _guide("A is fast. B is slow. [cite: https://a.example · 2026-01-01 · high]\n")
    assert [c.text for c in guide.claims] == ["B is slow."]


def test_marker_opening_a_sentence_cites_that_sentence() -> None:
    guide = _guide("A is fast. [cite: https://a.example · 2026-01-01 · high] B is slow.\n")
    assert [c.text for c in guide.claims] == ["B is slow."]
    assert "fast. <sup" in _html(guide)
    assert "A is fast. [^1] B is slow." in markdown_body(guide, "en")


@pytest.mark.parametrize(
    ("body", "page", "twin"),
    [
        ("GKE charges the same fee for Standard clusters\n[cite: https://a.example · "
         "2026-01-01 · high].\n", "Standard clusters<sup", "Standard clusters[^1]."),
        ("> GKE charges the same fee for Standard clusters\n> [cite: https://a.example · "
         "2026-01-01 · high].\n", "Standard clusters<sup", "> GKE charges the same fee for "
         "Standard clusters[^1]."),
        ("- GKE charges the same fee for Standard clusters\n  [cite: https://a.example · "
         "2026-01-01 · high].\n", "Standard clusters<sup", "Standard clusters[^1]."),
    ],
)  # fmt: skip
def test_a_marker_wrapped_onto_its_own_line_hugs_the_word_before(
    body: str, page: str, twin: str
) -> None:
    """A stranger's markers wrapped onto a line of their own (long URLs do) read
    `clusters [2]` on the page and `clusters\n[^2]` in the Markdown twin, where a marker
    on the same line reads `clusters[2]`; the claim is the same either way."""
    guide = _guide(body)
    assert [c.text for c in guide.claims] == ["GKE charges the same fee for Standard clusters."]
    assert page in _html(guide)
    assert twin in markdown_body(guide, "en")


def test_a_marker_wrapped_after_a_full_stop_still_opens_the_next_sentence() -> None:
    guide = _guide("A is fast.\n[cite: https://a.example · 2026-01-01 · high] B is slow.\n")
    assert [c.text for c in guide.claims] == ["B is slow."]
    assert "fast.\n<sup" in _html(guide)
    assert "A is fast.\n[^1] B is slow." in markdown_body(guide, "en")


def test_calc_opening_a_sentence_belongs_to_that_sentence() -> None:
    guide = _guide(
        "Renting is simple. [calc: capacity tokens_per_second=10] a month is the "
        "ceiling [cite: https://a.example · 2026-01-01 · high].\n"
    )
    assert [c.text for c in guide.claims] == ["26.3 million output tokens a month is the ceiling."]


def test_several_markers_in_one_sentence_make_one_claim() -> None:
    guide = _guide(
        "A [cite: https://a.example · 2026-01-01 · high] and B "
        "[cite: https://b.example · 2026-01-02 · low] agree.\n"
    )
    assert len(guide.claims) == 1
    assert guide.claims[0].text == "A and B agree."
    assert [c.n for c in guide.claims[0].citations] == [1, 2]


def test_claim_text_has_markdown_removed() -> None:
    guide = _guide(
        "**vLLM** uses *continuous* [batching](https://x.example) and `paged` attention"
        " [cite: https://a.example · 2026-01-01 · high].\n"
    )
    assert guide.claims[0].text == "vLLM uses continuous batching and paged attention."


def test_claim_spanning_lines_is_one_sentence() -> None:
    guide = _guide("A claim that\nwraps lines [cite: https://a.example · 2026-01-01 · high].\n")
    assert guide.claims[0].text == "A claim that wraps lines."
    assert guide.claims[0].line == 7


def test_claim_knows_its_section() -> None:
    guide = _guide(
        "Intro [cite: https://a.example · 2026-01-01 · high].\n\n## When?\n\n"
        "### Detail\n\nNow [cite: https://a.example · 2026-01-01 · high].\n"
    )
    assert [(c.section, c.section_id) for c in guide.claims] == [(None, None), ("When?", "when")]


def test_claim_id_is_stable_under_case_spacing_and_punctuation() -> None:
    assert claim_id("vLLM is fast.") == claim_id("VLLM  is fast")
    assert claim_id("vLLM is fast.") != claim_id("vLLM is slow.")
    assert claim_id("vLLM is fast.").startswith("c-")


def test_claim_id_does_not_depend_on_position_or_source() -> None:
    a = _guide("Intro.\n\nX is y [cite: https://a.example · 2026-01-01 · high].\n")
    b = _guide("X is y [cite: https://b.example · 2026-02-01 · low].\n")
    assert a.claims[0].id == b.claims[0].id


def test_same_sentence_twice_is_one_claim() -> None:
    guide = _guide(
        "X is y [cite: https://a.example · 2026-01-01 · high].\n\n"
        "X is y [cite: https://b.example · 2026-01-01 · high].\n"
    )
    assert len(guide.claims) == 1
    assert len(guide.claims[0].citations) == 2


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://GitHub.com/vllm-project/vllm", "https://github.com/vllm-project/vllm/"),
        ("https://example.org:443/a#frag", "https://example.org/a"),
        ("http://example.org", "http://example.org/"),
    ],
)
def test_urls_normalise_to_one_source(a: str, b: str) -> None:
    assert normalize_url(a) == normalize_url(b)


def test_query_strings_keep_sources_apart() -> None:
    assert normalize_url("https://e.org/?id=1") != normalize_url("https://e.org/?id=2")


def test_sources_keep_every_citation_date() -> None:
    guide = _guide(
        "X [cite: https://a.example/p · 2026-03-01 · high]. "
        "Y [cite: https://A.example/p/ · 2026-01-01 · medium].\n"
    )
    assert len(guide.sources) == 1
    source = guide.sources[0]
    assert [d.isoformat() for d in source.dates_cited] == ["2026-01-01", "2026-03-01"]
    assert source.confidences == ["high", "medium"]
    assert source.url == "https://a.example/p"


def test_table_cell_claim_is_its_row() -> None:
    guide = _guide(
        "| Engine | Best for |\n|---|---|\n"
        "| vLLM | shared endpoints [cite: https://a.example · 2026-01-01 · high] |\n"
    )
    assert guide.claims[0].text == "Engine: vLLM; Best for: shared endpoints."


def test_a_row_claim_leaves_out_the_authors_unmarked_cells() -> None:
    """The cited cell and the cell naming the row make the claim; the author's own
    recommendation beside them is not attributed to the row's source."""
    guide = _guide(
        "| Stack | What it is | Reach for it when |\n|---|---|---|\n"
        f"| vLLM | A serving library {CITE}. | You want one default. |\n"
        f"| Ollama | Runs models locally. | One developer {CITE}. |\n"
    )
    assert [c.text for c in guide.claims] == [
        "Stack: vLLM; What it is: A serving library.",
        "Stack: Ollama; Reach for it when: One developer.",
    ]


def test_tidy_closes_gaps_left_by_markers() -> None:
    assert tidy("  fast  .  and ,  so ", [7, 15]) == "fast. and, so"
    # Space before punctuation where no marker sat is the author's.
    assert tidy("really ... well, see . . . and so .") == "really ... well, see . . . and so ."


SENTENCES = Path(__file__).parent.parent / "fixtures" / "sentences"
GOLDEN = json.loads((SENTENCES / "golden_rules_en.json").read_text())
SPACED_ELLIPSES = [r for r in GOLDEN if ". . ." in r["text"]]


@pytest.mark.parametrize("rule", SPACED_ELLIPSES, ids=lambda r: f"rule-{r['n']:03d}")
def test_a_claim_keeps_the_authors_spaced_ellipsis(rule: dict[str, Any]) -> None:
    """Golden Rules 46, 48, 50 and 51: ". . ." is punctuation, not a marker's gap."""
    body = " ".join(sentence + CITE for sentence in rule["expected"])
    assert [c.text for c in _guide(body + "\n").claims] == rule["expected"]
    assert tidy(" . . . The end. . . . ", [0]) == ". . . The end. . . ."


CITE = "[cite: https://a.example · 2026-01-01 · high]"


def test_marker_in_link_text_keeps_the_link_and_follows_it() -> None:
    guide = _guide(
        f"Use [vLLM {CITE}](https://vllm.ai) today.\n\nOr [SGLang {CITE}][s].\n\n"
        "[s]: https://sglang.example\n"
    )
    assert '<a href="https://vllm.ai">vLLM</a><sup class="cite-ref"' in _html(guide)
    assert '<a href="https://sglang.example">SGLang</a><sup class="cite-ref"' in _html(guide)
    assert [c.text for c in guide.claims] == ["Use vLLM today.", "Or SGLang."]


def test_heading_ids_never_take_the_pages_own_ids() -> None:
    guide = _guide(f"## Sources\n\nA {CITE}.\n\n## Main\n\nB.\n\n## Cite 1\n\nC.\n")
    assert [s.id for s in guide.sections] == ["sources-section", "main-section", "cite-1-section"]
    assert '<h2 id="cite-1-section">' in _html(guide)


def test_identical_cited_cells_in_one_row_render_in_all_outputs() -> None:
    guide = _guide(f"| A | B |\n|---|---|\n| yes {CITE} | yes {CITE} |\n| x | y |\n")
    assert "| yes[^1] | yes[^2] |\n| x | y |" in markdown_body(guide, "en")
    assert _html(guide).count('class="cite-ref"') == 2
    assert [(c.text, [x.n for x in c.citations]) for c in guide.claims] == [
        ("A: yes; B: yes.", [1, 2])
    ]


def test_cites_in_several_cells_of_a_row_are_one_claim_not_a_duplicate() -> None:
    other = CITE.replace("a.example", "b.example")
    guide = _guide(
        f"| Model | Price | Speed |\n|---|---|---|\n| M | $1 {CITE} | 5 tok/s {other} |\n"
    )
    assert len(guide.claims) == 1
    assert len(guide.claims[0].citations) == 2
    assert not [f for f in guide_findings(guide) if f.rule == "duplicate-claim"]
