"""The editorial rules `citeguide lint` applies: ids, default severities, what each catches
(the table `lint/` reports by, `citeguide.toml` validates against and the docs show)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    """Default: `error` or `warning`; `citeguide.toml` may change it or turn it `off`."""
    catches: str
    example: str


RULES = {
    rule.id: rule
    for rule in [
        Rule(
            "uncited-figure",
            "warning",
            "a sentence with an amount, a percentage, a count, a multiple or a quantity and "
            "neither a cite nor a calc marker; in the summary (which takes no cite marker), "
            "such a figure that is none the guide cites or computes",
            "Self-hosting costs about $2,000 a month.",
        ),
        Rule(
            "uncited-input",
            "warning",
            "a number typed into a calc marker (or a model's default) where a cited table row "
            "could go: the figure rests on a number with no source",
            "[calc: selfhost_cost gpu_hourly=0.10] instead of gpu_hourly=<a gpu_prices row>",
        ),
        Rule(
            "unused-param",
            "warning",
            "a calc marker giving a parameter its model never reads (not in its formula, "
            "`let` values, `require` or `flags`): the value changes nothing, a misspelt "
            "or forgotten use in the model",
            "[calc: commute trips=12 route=gatwick] where commute's formula never names route",
        ),
        Rule(
            "share-without-sign",
            "warning",
            "a calc marker giving a parameter in % a bare number between 0 and 1: it is read "
            "as that many percent, where a fraction may have been meant; the sign says which",
            "[calc: net_cost grant=0.25] reads a grant of 0.25%; write grant=25% or 0.25%",
        ),
        Rule(
            "repeated-unit",
            "warning",
            "a word after a calc marker that its figure already ends with: a figure is shown "
            "with its unit, so the sentence reads it twice",
            "pays for itself from [calc: breakeven_team] engineers (3.87–78.8 engineers engineers)",
        ),
        Rule(
            "estimate-input",
            "warning",
            "a computed figure resting on a table row marked `estimate: true` (the author's "
            "own derivation); say so in the text, then allow it with a lint-allow comment",
            "a cost computed from an assumed purchase price",
        ),
        Rule(
            "hand-arithmetic",
            "warning",
            "a figure worked out by hand: a supposition that goes on to a result, or a sum "
            "written out; a calc marker computes it from a model instead",
            "If you use 3,000 kWh a year at 24.5p per kWh, you pay £735.",
        ),
        Rule(
            "mixed-currencies",
            "error",
            "one sentence naming two currencies, unless it converts an amount and states or "
            "cites the rate",
            "10M tokens cost roughly $30–£60.",
        ),
        Rule(
            "stale-citation",
            "warning",
            "a citation older than its confidence's budget (`[stale]`), counted from today",
            "[cite: https://example.org · 2021-01-01 · low] in 2026",
        ),
        Rule(
            "stale-input",
            "warning",
            "a table row behind a computed figure or chart with a source read longer ago "
            "than its confidence's budget (`[stale]`), counted from today or the guide's "
            "last update, whichever is later; once per row per guide, at its first use",
            "a low-confidence price read 2025-09-30 behind a figure in a guide updated 2026-12-02",
        ),
        Rule(
            "low-confidence-only",
            "warning",
            "a claim backed only by low-confidence citations",
            "X beats Y [cite: https://reddit.com/r/x · 2026-04-15 · low].",
        ),
        Rule(
            "conflicting-citation",
            "warning",
            "one claim, or one table row, citing the same page twice with different dates "
            "or confidences (two claims may cite one page differently: confidence belongs "
            "to each claim)",
            "X [cite: https://example.org/p · 2026-05-01 · high] "
            "[cite: https://example.org/p#:~:text=X · 2026-03-01 · medium].",
        ),
        Rule(
            "private-source",
            "warning",
            "a source on a loopback or private address, or a local host name",
            "[cite: http://192.168.1.10/report · 2026-01-01 · high]",
        ),
        Rule(
            "bidi-url",
            "error",
            "a cited URL holding a bidi control character (U+202E and kin): it is shown in a "
            "different order from the address it opens",
            "https://example.org/report-U+202E-fdp.exe, shown as report-exe.pdf",
        ),
        Rule(
            "mixed-script-host",
            "warning",
            "a cited host name with a label that mixes scripts as browsers refuse to show "
            "(Latin with Cyrillic, Greek, Armenian, ...): they show it as punycode",
            "[cite: https://ex\u0430mple.org · 2026-01-01 · high] (a Cyrillic \u0430)",
        ),
        Rule(
            "lookalike-host",
            "warning",
            "a cited host name with a label spelled wholly in Cyrillic letters that look "
            "Latin, under a TLD where Cyrillic is not expected",
            "[cite: https://\u0455\u0441\u043e\u0440\u0435.com · 2026-01-01 · high] (Cyrillic)",
        ),
        Rule(
            "dead-source",
            "warning",
            "a source the last `citeguide check` found dead or soft-404",
            "a cited page that now answers 404",
        ),
        Rule(
            "blocked-source",
            "warning",
            "a source the last `citeguide check` could not verify (bot wall, 403, 429)",
            "a page behind a Cloudflare challenge",
        ),
        Rule(
            "quote-missing",
            "warning",
            "a citation's quoted text (`#:~:text=`) that the last `citeguide check` did not find "
            "on the live page",
            "[cite: https://example.org/prices#:~:text=%242.49 · 2026-01-01 · high] after a "
            "price change",
        ),
        Rule(
            "duplicate-claim",
            "warning",
            "the same cited sentence twice in one guide",
            "a claim copied into two sections",
        ),
        Rule(
            "context-dependent-claim",
            "warning",
            "a claim that cannot stand alone: it opens with a pronoun or demonstrative (It, "
            "This, They, Both, Such, The same, ...) or is a bare label of three words or fewer; "
            "agents read claims without their paragraph",
            "It costs less than the API [cite: ...].",
        ),
        Rule(
            "placeholder",
            "warning",
            "text or a source that `citeguide new` wrote as a placeholder, still in the guide",
            "[cite: https://example.org/replace-with-your-source · 2026-01-01 · medium]",
        ),
        Rule(
            "stale-guide",
            "warning",
            "a guide whose newest update is older than `[lint] guide_max_age` days",
            "updated: 2024-01-01, checked in 2026",
        ),
    ]
}
SEVERITIES = ("error", "warning", "off")
