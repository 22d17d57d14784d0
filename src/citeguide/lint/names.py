"""What looks like a figure but names something: products, versions, idioms, adjectives.

`A100 80GB` is a product, `Kubernetes 1.27` a version, `100% sure` an idiom, `System 68` an
ordinal, and `a 50°C flow` or `the 16 kW unit` a measurement used as an adjective, naming a
kind of thing rather than stating an amount. The figure spotter asks `is_name` about each
match; `kind` is the spotter's name for the pattern that matched.
"""

from __future__ import annotations

import re

# Names, not figures: a model-number token before the size ("A100 80GB", "RTX 4090 24 GB",
# "Quadro M6000 24GB", "M2 Max"), and idioms.
_PRODUCT_BEFORE = re.compile(
    r"(?:\b[A-Z][A-Za-z]*[- ]?)?\b(?:[A-Z]{1,5}-?\d{1,5}[A-Za-z]{0,3}|\d{4})"
    r"(?:\s(?:Ti|SUPER|Super|Max|Pro|Ultra|PCIe|SXM\d?|NVL|XT|XTX))?[\s-]?$"
)
_PRODUCT_TOKEN = re.compile(r"\b(?:RTX|GTX|Quadro|Radeon|Tesla|Instinct|Arc|Mac|iPhone)\s\d{3,4}\b")
# A number right after a name or a numbering word is a version or an ordinal ("Kubernetes
# 1.27", "k8s 1.6", "release 1.7", "System 68", "step 2", "#4"). A name has a digit, two
# capitals or a capital inside ("SPF", "iOS"), or is a capitalised word that is not one of
# the words sentences open with.
_NAME_BEFORE = re.compile(
    r"(?:\b(?:\w*\d\w*|\w*[A-Z]\w*[A-Z]\w*|[a-z]+[A-Z]\w*"
    r"|(?!(?:The|A|An|In|On|At|No|Only|About|With|For|From|To|By|Over|Under|Up|Around|Nearly"
    r"|Almost|Roughly|Approximately|More|Less|Some|All|Each|Every|Since|Until|After|Before"
    r"|During|Of|And|Or|But|So|This|That|These|Those|It|We|You|They|There|Then|As|Is|Are"
    r"|Was|Were|Be|Between|Up)\b)[A-Z][a-z]+"
    r"|v|version|release|step|phase|stage|level|class|type|tier|chapter|section|figure|table"
    r"|chart|page|line|item|option|rule|note|issue|gen|generation|series|model|system|number|top"
    r"|capability|no\.)|#)[ -]?$"
)
# A name ending in a number ("NVL72 ... 72 accelerators"): the count restates the name.
_NAMED_NUMBER = re.compile(r"\b[A-Za-z]{2,}(\d+)\b")
_LISTED_AFTER = re.compile(r"\d+(?:\.\d+)+,?\s(?:or|and|to|through)\s$")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_IDIOM = re.compile(r"\b100\s?%\s+(?:sure|certain|confident|accurate|true|of my)\b", re.IGNORECASE)
# "a 3-year contract", "a (1-3 year) contract": a singular duration after a number other
# than one is an adjective naming a kind of thing, not an amount of time.
_ADJECTIVE = re.compile(
    r"(?:\d+-|\d*[02-9]\s|\d+\s?(?:-|–|to)\s?\d+\s)(?:year|month|week|day|hour|minute)"
)
# "a 50°C flow", "the 16 kW unit", "8kW units", "systems designed for 35°C": a measurement
# naming a kind of thing. A noun that is itself an amount keeps it a figure ("a 300 ms
# delay", "a 6.6 kW heat loss").
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an|the|one)(?:\s[a-z]+)?\s$", re.IGNORECASE)
# A product name or a kind of device right after the size: "10 kW Vaillant", "8kW units".
_KIND_AFTER = re.compile(
    r"(?:\s[A-Z][a-z][\w+]*|(?:\s[A-Z][\w+-]*){0,2}\s?(?:units?|models?|variants?|versions?"
    r"|machines?|instances?|cards?|boxes|compressors?|pumps?|boilers?|batteries|battery|panels?"
    r"|drives?|disks?)\b)"
)
_WORDS_AFTER = re.compile(r"\s([A-Za-z][\w+-]*)(?:\s([A-Za-z][\w+-]*))?(?:\s([A-Za-z][\w+-]*))?")
_NOT_A_NOUN = re.compile(
    r"(?:of|for|per|in|on|at|to|and|or|is|are|was|were|be|been|with|by|from|than|each|a|an"
    r"|the|which|that|when|while|but|so|as|into|over|under|after|before|between|during|if"
    r"|more|less|faster|slower|higher|lower|larger|smaller|longer|shorter|cheaper|old|ago"
    r"|earlier|later)$",
    re.IGNORECASE,
)
_AMOUNT_NOUN = re.compile(
    r"(?:delay|latency|increase|decrease|drop|rise|reduction|improvement|savings?|loss|gain"
    r"|difference|gap|overhead|penalty|boost|speedup|slowdown|cost|fee|charge|bill|budget"
    r"|price|payback|lifetime|lifespan|warranty|wait|timeout|margin|limit|cap|threshold"
    r"|maximum|minimum|average|peak|total|demand|output|capacity|consumption|usage|load)$",
    re.IGNORECASE,
)
_DESIGNED_FOR = re.compile(r"\b(?:designed|rated|sized|specced|built)\s(?:for|at|to)\s$")
# "1 token" is the unit itself ("a KV cache of 1 token requires ...").
_UNIT_ITSELF = re.compile(r"1\s?(?:token|parameter|request)")
# "p95 ... 95% of observations": a percentile's definition restates its own number.
_PERCENTILE = re.compile(r"\bp(\d{1,2})\b")
_DECADE = re.compile(r"(?:1[89]|20)\d0s")


def _restates_percentile(text: str, percent: str) -> bool:
    named = {int(n) for n in _PERCENTILE.findall(text)}
    value = re.match(r"\d+", percent)
    if not named or value is None:
        return False
    return any(int(value.group(0)) in (n, 100 - n) for n in named)


def _names_a_kind(text: str, start: int, end: int) -> bool:
    """A measurement used as an adjective: "a 50°C flow", "the 9 kW Altherma", "8kW units"."""
    before = text[max(0, start - 24) : start]
    if _DESIGNED_FOR.search(before) or _KIND_AFTER.match(text, end):
        return True
    if re.fullmatch(r"[\d.,]+-[A-Za-z]+", text[start:end]) and re.match(r"\s[a-z]", text[end:]):
        return True  # "64-bit code", "a 2-minute resolution": hyphenated, so an adjective
    words = _WORDS_AFTER.match(text, end)
    if not _ARTICLE_BEFORE.search(before) or words is None or _NOT_A_NOUN.match(words[1]):
        return False
    return not any(word and _AMOUNT_NOUN.match(word) for word in words.groups())


def _compound(text: str, before: str, end: int) -> bool:
    """A count naming a kind of thing: "the 72 GPUs supernode", like "a 50°C flow"."""
    words = _WORDS_AFTER.match(text, end)
    return bool(_ARTICLE_BEFORE.search(before) and words and not _NOT_A_NOUN.match(words[1]))


def _after_a_version(text: str, at: int) -> bool:
    """The decimal ends a list of versions: "CUDA 11.8 or 12.1", "Python 3.9 to 3.12"."""
    listed = _LISTED_AFTER.search(text, 0, at)
    return bool(listed and _NAME_BEFORE.search(text, max(0, listed.start() - 24), listed.start()))


def is_name(text: str, kind: str, start: int, end: int) -> bool:
    """The match is part of a name, a version, an idiom or a definition, not a figure."""
    found = text[start:end]
    number = re.search(r"\d[\d,.]*\d|\d", found)
    at = start + (number.start() if number else 0)
    before = text[max(0, at - 24) : at]
    if any(m.start() <= start < m.end() for m in _PRODUCT_TOKEN.finditer(text)):
        return True
    quoted = text[start - 1 : start] == '"' or text[start - 2 : start] in ('"-', '"+')
    if quoted and text[end : end + 1] == '"':
        return True  # a literal value quoted as an example ("24h"), like code
    if kind == "percent":
        return bool(_IDIOM.match(text, start)) or _restates_percentile(text, found)
    if kind == "fraction" and number is None:
        return bool(_ARTICLE_BEFORE.search(before))  # "the first half of", a part
    if kind == "quantity" or kind == "temperature":
        if kind == "quantity" and _PRODUCT_BEFORE.search(before):
            return True
        return bool(
            _DECADE.fullmatch(found)
            or _ADJECTIVE.fullmatch(found)
            or _UNIT_ITSELF.fullmatch(found)
            or _names_a_kind(text, start, end)
        )
    if kind == "count" or kind == "decimal" or kind == "rate":
        year = number is not None and _YEAR.fullmatch(number.group(0)) and kind != "rate"
        return bool(
            _NAME_BEFORE.search(before)
            or _PRODUCT_BEFORE.search(before)
            or year
            or (kind == "decimal" and _after_a_version(text, at))
            or (kind == "count" and found[-1:] == "s" and _compound(text, before, end))
            or (number is not None and number.group(0) in _NAMED_NUMBER.findall(text))
        )
    return False
