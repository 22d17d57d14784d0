"""Spotting figures and currencies in prose, for the editorial linter.

A figure is a number a reader would want a source for: an amount of money, a percentage,
a multiplier (`1.7x faster`), or a number with a unit of size, speed, time, power or
count (`80 GiB`, `300 ms`, `1.19s`, `2,909 tokens/s`, `3 billion parameters`). What looks
like one but is a name is left alone: product names with a size (`A100 80GB`, `RTX 4090`,
`M2 Max`), model names (`Llama 3.3 70B`), version numbers, and idioms (`100% sure`).
Measured against hand-labelled public prose in `tests/fixtures/figures/`.
"""

from __future__ import annotations

import re

_NUM = r"\d[\d,]*(?:\.\d+)?"
_RANGE = rf"{_NUM}(?:\s?(?:-|–|to)\s?{_NUM})?"
_SCALE = r"(?:\s?(?:k|K|M|B|bn|billion|million|thousand|trillion)\b)?"
_SUFFIX_SCALE = r"(?:k|K|M|B|bn)?"
MONEY = re.compile(
    rf"(?:US|USD|A|C|AU|CA)?[$£€¥]\s?{_NUM}{_SUFFIX_SCALE}(?:\s?(?:-|–|to)\s?[$£€¥]?{_NUM}{_SUFFIX_SCALE})?"
    rf"{_SCALE}"
    rf"|\b{_RANGE}{_SCALE}\s?(?:USD|GBP|EUR|JPY|dollars|pounds|euros|cents|[€£])(?!\w)"
)
PERCENT = re.compile(rf"\b{_RANGE}\s?(?:%|per\s?cent\b|percent\b|percentage points\b)")
MULTIPLIER = re.compile(
    rf"\b{_NUM}\s?[x×](?![\w])|(?<![\w.])[x×](?!86\b|64\b)\s?{_NUM}\b"
    rf"|\b{_NUM}k?\s?times\s(?:more|less|fewer|faster|slower|larger|smaller|higher|lower|as)\b"
)
# Shares and ratios written as fractions: "1/4th of", "1/2 the memory", "a 10:1 ratio".
FRACTION = re.compile(r"\b\d+/\d+(?:th|rd|nd)?\s(?:of|the)\b|\b\d+:\d+\sratio\b")
TEMPERATURE = re.compile(rf"\b{_RANGE}\s?°?[CF]\b(?!\+\+|#)")
_UNITS = (
    r"tokens?/s(?:ec)?|tok/s|tokens?\s+per\s+(?:second|minute|hour|day|month)|samples?/s"
    r"|samples?\s+per\s+second|req(?:uest)?s?/s|requests?\s+per\s+(?:second|minute)|it/s"
    r"|[KMGTP]i?B/s|[KMGTP]Bps|[KMGT]bps|[KMGT]b/s|[KMGTP]iB|[KMGTP]B|bytes?"
    r"|[GTP]FLOPS|[GTP]FLOP/s|FLOPs?|TOPS"
    r"|W|kW|MW|kWh|MWh|watts?|kilowatts?"
    r"|ms|µs|us|ns|s|sec|secs|seconds?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?"
    r"|GPU-hours?|GPU\s+hours?|tokens?|parameters|params|requests?"
    r"|MHz|GHz"
)
QUANTITY = re.compile(rf"\b{_RANGE}{_SCALE}[\s-]?(?:{_UNITS})(?![\w/])")

# Names, not figures: a model-number token before the size ("A100 80GB", "RTX 4090 24 GB",
# "Quadro M6000 24GB", "M2 Max"), and idioms.
_PRODUCT_BEFORE = re.compile(
    r"(?:\b[A-Z][A-Za-z]*[- ]?)?\b(?:[A-Z]{1,5}-?\d{1,5}[A-Za-z]{0,3}|\d{4})"
    r"(?:\s(?:Ti|SUPER|Super|Max|Pro|Ultra|PCIe|SXM\d?|NVL|XT|XTX))?[\s-]?$"
)
_PRODUCT_TOKEN = re.compile(r"\b(?:RTX|GTX|Quadro|Radeon|Tesla|Instinct|Arc|Mac|iPhone)\s\d{3,4}\b")
_IDIOM = re.compile(r"\b100\s?%\s+(?:sure|certain|confident|accurate|true|of my)\b", re.IGNORECASE)
# A sentence that only supposes a number asserts nothing a source could back: questions,
# conditions and worked assumptions ("If the server sends the first token in 1 sec, ...",
# "Let's consider a tokenizer with 1.5 tokens per word", "if instead of 3 tokens we had").
_HYPOTHETICAL = re.compile(
    r"^\W*(?:if|suppose|imagine|assume|say)\b"
    r"|\blet(?:'s| us) (?:consider|say|assume|suppose|take)\b"
    r"|\byou could say\b|\bin (?:this|the) example\b"
    r"|\bif\b[^.;]*\b(?:we|you|they) (?:had|were|could)\b|\?\W*$",
    re.IGNORECASE,
)
# "a 3-year contract": a duration used as an adjective names a kind of thing.
# "a 3-year contract", "a (1-3 year) contract": a singular duration after a number other
# than one is an adjective naming a kind of thing, not an amount of time.
_ADJECTIVE = re.compile(
    r"(?:\d+-|\d*[02-9]\s|\d+\s?(?:-|–|to)\s?\d+\s)(?:year|month|week|day|hour|minute)"
)
# "1GBps = 8Gbps": a unit conversion defines, it does not claim.
_EQUATION = re.compile(r"^\W*[^\s=]+\s*=\s*[^\s=]+\W*$")
# "1 token" is the unit itself ("a KV cache of 1 token requires ...").
_UNIT_ITSELF = re.compile(r"1\s?(?:token|parameter|request)")
# "p95 ... 95% of observations": a percentile's definition restates its own number.
_PERCENTILE = re.compile(r"\bp(\d{1,2})\b")
_DECADE = re.compile(r"(?:1[89]|20)\d0s")
# Raw HTML typed into Markdown reaches the text as literal tags; their attributes are markup.
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_CURRENCIES = {
    "$": "USD", "US$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY",
    "USD": "USD", "GBP": "GBP", "EUR": "EUR", "JPY": "JPY",
}  # fmt: skip
_CURRENCY = re.compile(r"US\$|[$£€¥]|\b(?:USD|GBP|EUR|JPY)\b")


def _without_markup(text: str) -> str:
    """`text` with raw HTML tags blanked out (same length, so offsets hold)."""
    return _HTML_TAG.sub(lambda m: " " * len(m.group(0)), text)


def _restates_percentile(text: str, percent: str) -> bool:
    named = {int(n) for n in _PERCENTILE.findall(text)}
    value = re.match(r"\d+", percent)
    if not named or value is None:
        return False
    return any(int(value.group(0)) in (n, 100 - n) for n in named)


def figures(text: str) -> list[str]:
    """The figures in `text`, in order: amounts, percentages, multipliers, quantities."""
    text = _without_markup(text)
    if _HYPOTHETICAL.search(text) or _EQUATION.match(text):
        return []
    spans: list[tuple[int, int]] = []
    for rx in (MONEY, PERCENT, MULTIPLIER, FRACTION, TEMPERATURE, QUANTITY):
        for match in rx.finditer(text):
            start, end = match.span()
            if rx is QUANTITY and _PRODUCT_BEFORE.search(text, max(0, start - 24), start):
                continue
            if any(m.start() <= start < m.end() for m in _PRODUCT_TOKEN.finditer(text)):
                continue
            if rx is PERCENT and _IDIOM.match(text, start):
                continue
            if rx is PERCENT and _restates_percentile(text, match.group(0)):
                continue
            if rx is QUANTITY and (
                _DECADE.fullmatch(match.group(0))
                or _ADJECTIVE.fullmatch(match.group(0))
                or _UNIT_ITSELF.fullmatch(match.group(0))
            ):
                continue
            if text[start - 1 : start] == '"' and text[end : end + 1] == '"':
                continue  # a literal value quoted as an example ("24h"), like code
            spans.append((start, end))
    # Keep the longest of overlapping matches ("$20-50M" once, not "$20" and "50M").
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end))
    return [text[start:end].strip() for start, end in kept]


def currencies(text: str) -> list[str]:
    """ISO codes of the currencies named in `text` by symbol or code, in first-seen order."""
    seen: dict[str, None] = {}
    for match in _CURRENCY.finditer(text):
        seen.setdefault(_CURRENCIES[match.group(0)], None)
    return list(seen)
