"""Spotting figures in prose, for the editorial linter.

A figure is a number a reader would want a source for: an amount of money, a percentage,
a multiplier (`1.7x faster`, `four times as much`), a count (`50,000 developers`, `1.5
million heat pumps`, `more than 64 tables`), a measured value (`an SPF of 3.9`) or a number
with a unit of size, speed, time, energy, power, length or mass (`80 GiB`, `300 ms`,
`24.5p per kWh`, `120 W/K`, `600 mm`). What looks like one but is a name is left alone:
product names with a size (`A100 80GB`, `RTX 4090`, `M2 Max`), model names (`Llama 3.3
70B`), version numbers, idioms (`100% sure`), and measurements used as adjectives, which
name a kind of thing (`a 50°C flow`, `the 16 kW unit`, `a 3-year contract`). Targets the
text sets itself (`Plan for 99.9% uptime`, `Goal: 5,000 nodes`) are choices, not claims.
Written by hand because no library spots claims in prose; measured against hand-labelled
public prose in `tests/fixtures/figures/`.
"""

from __future__ import annotations

import re

from citeguide.lint.names import is_name

_NUM = r"\d[\d,]*(?:\.\d+)?"
_RANGE = rf"{_NUM}(?:\s?(?:-|–|to)\s?{_NUM})?"
_SCALE = r"(?:\s?(?:k|K|M|B|bn|billion|million|thousand|trillion)\b)?"
_SUFFIX_SCALE = r"(?:k|K|M|B|bn)?"
MONEY = re.compile(
    rf"(?:US|USD|A|C|AU|CA)?[$£€¥]\s?{_NUM}{_SUFFIX_SCALE}(?:\s?(?:-|–|to)\s?[$£€¥]?{_NUM}{_SUFFIX_SCALE})?"
    rf"{_SCALE}"
    rf"|\b{_RANGE}{_SCALE}\s?(?:USD|GBP|EUR|JPY|dollars|pounds|euros|cents|pence|[€£])(?!\w)"
    # Pence: "24.5p per kWh", "30p/kWh", "15p a unit" (not "1080p", a screen height).
    rf"|\b(?!(?:480|720|1080|1440|2160)p)\d+(?:\.\d+)?p(?=/|\s(?:per|a|an|each|for)\b|[\s,;.)]*$)"
)
PERCENT = re.compile(rf"\b{_RANGE}\s?(?:%|per\s?cent\b|percent\b|percentage points\b)")
_TIMES_WORD = (
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    r"|forty|fifty|a hundred|hundred|a thousand|thousand)"
)
_COMPARATIVE = (
    r"(?:more|less|fewer|faster|slower|larger|smaller|higher|lower|bigger|greater|cheaper"
    r"|longer|shorter|the)"
)
MULTIPLIER = re.compile(
    rf"\b{_NUM}\s?[x×](?![\w])|(?<![\w.])[x×](?!86\b|64\b)\s?{_NUM}\b"
    rf"|\b{_NUM}k?\s?times\s(?:more|less|fewer|faster|slower|larger|smaller|higher|lower|as)\b"
    # In words: "four times as much", "twice as fast", "a tenfold rise". Not verbs ("halves
    # that"), which mostly restate a ratio the sentence already gives ("from 16-bit to 8-bit").
    rf"|\b{_TIMES_WORD}[\s-]times\s(?:as\s\w+|{_COMPARATIVE}\b)|\b(?:twice|thrice)\s(?:as|the)\s\w+"
    rf"|\b(?:{_TIMES_WORD}|\d+)-?fold\b|\b(?:two|three|ten|hundred|thousand)fold\b"
)
# Shares and ratios: "1/4th of", "1/2 the memory", "a 10:1 ratio", "1 in 3", "half of".
FRACTION = re.compile(
    r"\b\d+/\d+(?:th|rd|nd)?\s(?:of|the)\b|\b\d+:\d+\sratio\b|\b\d+\s(?:in|out of)\s\d+\b"
    r"|\b(?:half|a third|a quarter|two thirds"
    r"|three quarters)\sof\b"
)
TEMPERATURE = re.compile(rf"\b{_RANGE}\s?(?:°\s?[CF]?|deg\s?[CF]|[CF])(?![\w+#])")
_UNITS = (
    r"tokens?/s(?:ec)?|tok/s|tokens?\s+per\s+(?:second|minute|hour|day|month)|samples?/s"
    r"|samples?\s+per\s+second|req(?:uest)?s?/s|requests?\s+per\s+(?:second|minute)|it/s"
    r"|[KMGTP]i?B/s|[KMGTP]Bps|[KMGT]bps|[KMGT]b/s|[KMGTP]iB|[KMGTP]B|kB|bytes?"
    r"|(?:kilo|mega|giga|tera|peta|tebi|gibi|tibi)bytes|bits?"
    r"|[GTP]FLOPS|[GTP]FLOP/s|FLOPs?|TOPS|IOPS"
    r"|W/K|W/m²K|W/m2K|W/mK|kW/K|kWh/m²|kWh/m2"
    r"|W|kW|MW|GW|kWth|kWp|kWe|MWth|kWh|MWh|GWh|TWh|Wh|kJ|MJ|GJ|kcal|BTU|therms?"
    r"|watts?|kilowatts?|kilowatt[- ]hours?|V|volts?|amps?|kVA"
    r"|ms|µs|us|ns|s|sec|secs|seconds?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?"
    r"|GPU-hours?|GPU\s+hours?|tokens?|parameters|params|requests?"
    r"|MHz|GHz|Hz|rpm|bpm"
    r"|mm|cm|m|km|metres?|meters?|miles?|ft|feet|inch(?:es)?"
    r"|m²|m2|m³|m3|sq\s?ft|square\s(?:metres|meters|feet)|litres?|liters?|L|ml|gallons?"
    r"|kg|mg|grams?|tonnes?|tons?|lbs?|ounces?|oz|bar|kPa|psi|mmHg|mm\sHg|ACH"
)
QUANTITY = re.compile(rf"\b{_RANGE}{_SCALE}[\s-]?(?:{_UNITS})(?![\w/²³])")
# Rates of anything: "100K hits/day", "110 pods per node", "2 drinks a day".
RATE = re.compile(
    rf"\b{_RANGE}{_SCALE}(?:\s[A-Za-z][\w+-]*){{0,3}}?(?:/(?:s|sec|min|h|hr|day|d|week|month|year|yr)\b"
    r"|\sper\s[a-z]\w*|\s(?:a|an|each|every)\s(?:second|minute|hour|day|week|month|year)\b)"
)
_QUANTIFIER = (
    r"(?:(?:no\s)?(?:more|fewer|less)\sthan|over(?=\s\d\d)|under|up\sto|at\s(?:least|most)"
    r"|nearly|almost|approximately|roughly|about|around|aged|exceeds?|below|above|~|≈"
    r"|as\s(?:many|much|large|high|low|few|little|small)\sas"
    r"|(?:defaults?(?:\s(?:to|is|of|value\sis))?|set\sto|limited\sto|capped\sat)(?=\s\d\d))"
)
_FUNCTION_WORD = (
    r"(?:and|or|but|have|has|had|would|will|can|could|should|may|might|must|is|are|was|were"
    r"|be|to|of|the|a|an|in|on|at|for|with|by|from|that|which|who|it|this|these|those)\b"
)
# Not counts of things: words ending in s that are not plurals, and the steps of a
# procedure ("100 iterations", "40 steps"), which describe a method, not the world.
_NOT_PLURAL = (
    r"(?:is|was|has|does|this|its|as|us|less|plus|thus|always|perhaps|unless|across"
    r"|various|previous|whereas|besides|yes|gets|runs|uses|takes|needs|means|makes|goes"
    r"|iterations|steps|epochs|rounds|passes|tries|attempts|repetitions|values|examples"
    r"|items|times|ways|types|kinds|options|questions|things)\b"
)
# "49 test cases", "165 Vaillant Arotherm+ systems": ten or more of something (smaller
# counts are mostly enumerations of the text's own points: "3 ways", "2 stages").
_PLURAL_COUNT = (
    rf"\b[1-9]\d+(?:\s(?!{_FUNCTION_WORD})[A-Za-z][\w+-]*){{0,2}}?"
    rf"\s(?!{_NOT_PLURAL})(?:[a-z]{{2,}}|[A-Z]{{2,}}|[A-Z][a-z]+)s\b"
)
# Counts: "1.5 million heat pumps", "50,000 developers", "more than 64 tables", "100K hits",
# "49 test cases", error bars ("± 0.55") and large numbers written "1.8e+19".
COUNT = re.compile(
    rf"\b{_NUM}\s?(?:million|billion|trillion|thousand|bn)\b"
    rf"|\b\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?![\d,])"
    r"|\b\d+(?:\.\d+)?[kK](?=\s?[a-z]+s\b|\s?[a-z]+/|-\d)"
    rf"|(?<![\w-]){_QUANTIFIER}\s?(?:\d(?=\s[A-Za-z])|(?!\d\b(?![.,]\d)){_NUM})"
    r"(?![\w%–-]|\.\d|\s?(?:%|per\s?cent))"
    rf"|{_PLURAL_COUNT}"
    rf"|±\s?{_NUM}|\b\d+(?:\.\d+)?e\+?\d+\b|\bbetween\s{_NUM}\s(?:and|to)\s{_NUM}\b"
)
# A decimal after a word that introduces a value: "an SPF of 3.9", "from 2.81 to 2.80".
# Not 0.x or 1.0, which are mostly coefficients and settings ("a temperature of 0.7").
DECIMAL = re.compile(
    r"\b(?:of|at|to|from|or|and|than|is|was|were|be|by|around|about|averaging|nearly)\s"
    r"(?!0\.|1\.0\b)(\d+\.\d+)(?![\w%+]|\.\d)"
)
_KINDS = [
    ("money", MONEY), ("percent", PERCENT), ("multiplier", MULTIPLIER), ("fraction", FRACTION),
    ("temperature", TEMPERATURE), ("quantity", QUANTITY), ("rate", RATE), ("count", COUNT),
    ("decimal", DECIMAL),
]  # fmt: skip
# Every kind but these needs a digit: text without one ("twice as fast", "half of it") is
# searched for these alone (most sentences of prose; a figure's patterns are the lint's
# main cost).
_IN_WORDS = [(kind, rx) for kind, rx in _KINDS if kind in ("multiplier", "fraction")]
_DIGIT = re.compile(r"\d")
_WORDS = ("twice", "thrice", "times", "fold", "half", "third", "quarter")


def may_hold_words(text: str) -> bool:
    """False when `text` holds no multiple or share in words ("twice", "tenfold", "half
    of"): none of their words, in any case. Plain `in` tests, far cheaper than the
    patterns, which are tried at every character; ASCII only, where lower case is exactly
    the patterns' IGNORECASE (other text is always searched)."""
    if not text.isascii():
        return True
    lowered = text.lower()
    return any(word in lowered for word in _WORDS)


# Values given as examples or supposed: "(e.g. 48 core, 96 GB RAM)", "of e.g. 1MB", "such
# as 5%", "within say 20MB of RAM, and <1% of a core" (to the end of the clause or list).
_EXAMPLE = re.compile(
    r"\((?:e\.g\.?|eg\b|for example|for instance|such as|say)[^)]*\)"
    r"|\b(?:e\.g\.?|eg|for example|for instance|such as)[,:]?\s(?=[^\s]*\d)[^\s,;]+"
    r"|(?:[,(]|\b(?:within|of|at|around|about|to|like|with|for|each))\s+say\s"
    r"(?:[^,;.)]|,\s(?:and|or)\s|\.\d)*"
)
# A sentence that only supposes a number asserts nothing a source could back: questions,
# conditions, worked assumptions and values given to a variable ("If the server sends the
# first token in 1 sec, ...", "Let's consider a tokenizer with 1.5 tokens per word", "if
# instead of 3 tokens we had", "when n = 1").
HYPOTHETICAL = re.compile(
    r"^\W*(?:[A-Z][\w ]{0,30}:\s*)?(?:if|unless|suppose|imagine|assume|say)\b"
    r"|\blet(?:'s| us) (?:consider|say|assume|suppose|take)\b"
    r"|\byou could say\b|\bin (?:this|the) example\b"
    r"|(?<![\w.])[a-zA-Z]\s?[=<>≤≥]\s?\d"  # notation: "when n = 1", "divide by t<1.0"
    r"|\bif\b[^.;]*\b(?:we|you|they) (?:had|were|could)\b|\?\W*$",
    re.IGNORECASE,
)
# Targets the sentence sets, not facts it reports: "Plan for 99.9% uptime", "Goal: 500",
# "a rule of thumb to target 45°C", "Try to keep ... 18-19C".
_TARGET = re.compile(
    r"^\W*(?:(?:plan|aim|budget|design|size|allow)\s+for|aim\s+(?:at|to)|target|set|keep|try"
    r"|choose|pick|reserve|limit|cap|drop|raise|lower|start\s+with|goal|recommendation)\b"
    r"|\b(?:goals?|targets?|objectives?)\s*(?::|of\b|is\b)|\bto\s+target\b|\btargeting\b"
    r"|\bwe\s+(?:plan|aim|want|hope|intend)\s+to\b|\baim\s+(?:for|at)\b",
    re.IGNORECASE,
)
# "1GBps = 8Gbps": a unit conversion defines, it does not claim.
_EQUATION = re.compile(r"^\W*[^\s=]+\s*=\s*[^\s=]+\W*$")
# Raw HTML typed into Markdown reaches the text as literal tags; their attributes are markup.
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def _without_markup(text: str) -> str:
    """`text` with raw HTML tags blanked out (same length, so offsets hold)."""
    if "<" not in text:
        return text
    return _HTML_TAG.sub(lambda m: " " * len(m.group(0)), text)


def supposes(text: str) -> bool:
    """`text` only supposes its numbers: a question, a condition or a worked assumption."""
    return bool(HYPOTHETICAL.search(_without_markup(text)))


def figure_spans(text: str, *, examples: bool = False) -> list[tuple[int, int]]:
    """Where figures sit in `text`, whatever the sentence asserts; `examples` keeps targets
    and values given as examples, which `figures` leaves out."""
    text = _without_markup(text)
    skip = [] if examples else [m.span() for m in _EXAMPLE.finditer(text)]
    if not examples and (target := _TARGET.search(text)):  # the rest of the text from the first
        skip.append((target.end(), len(text)))
    spans: list[tuple[int, int]] = []
    kinds = _KINDS if _DIGIT.search(text) else _IN_WORDS if may_hold_words(text) else []
    for kind, rx in kinds:
        for match in rx.finditer(text):
            start, end = match.span(match.lastindex or 0)
            if is_name(text, kind, start, end) or any(a <= start < b for a, b in skip):
                continue
            spans.append((start, end))
    # Keep the longest of overlapping matches ("$20-50M" once, not "$20" and "50M").
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end))
    return kept


def figures(text: str) -> list[str]:
    """The figures `text` asserts, in order: amounts, percentages, multipliers, counts,
    quantities; none when it only supposes them or defines a unit."""
    if supposes(text) or _EQUATION.match(text):
        return []
    return [text[start:end].strip() for start, end in figure_spans(text)]
