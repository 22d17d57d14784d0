"""Spotting figures and currencies in prose, for the editorial linter.

Deliberately narrow: an amount of money, a percentage, or a number with a unit the
guides use (tokens, GB, W, hours, ...). Version numbers and model names ("Llama 3.3",
"Qwen2.5 32B") are not figures.
"""

from __future__ import annotations

import re

_NUM = r"\d[\d,]*(?:\.\d+)?"
_SCALE = r"(?:\s?(?:k|K|M|B|bn|billion|million|thousand|trillion))?"
MONEY = re.compile(
    rf"(?:US)?[$£€¥]\s?{_NUM}{_SCALE}|\b{_NUM}{_SCALE}\s?(?:USD|GBP|EUR|JPY|dollars|pounds|euros)\b"
)
PERCENT = re.compile(rf"\b{_NUM}\s?(?:%|per\s?cent\b|percent\b)")
QUANTITY = re.compile(
    rf"\b{_NUM}{_SCALE}[\s-]?(?:tokens?|tok/s|GB|TB|MB|GB/s|TB/s|W|kW|kWh|MWh|ms|seconds?|"
    r"minutes?|hours?|GPU-hours?|requests?|tokens per second)(?![\w/])"
)
_CURRENCIES = {
    "$": "USD", "US$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY",
    "USD": "USD", "GBP": "GBP", "EUR": "EUR", "JPY": "JPY",
}  # fmt: skip
_CURRENCY = re.compile(r"US\$|[$£€¥]|\b(?:USD|GBP|EUR|JPY)\b")


def figures(text: str) -> list[str]:
    """The figures in `text`, in order: amounts, percentages, quantities with units."""
    found = [(m.start(), m.group(0)) for rx in (MONEY, PERCENT, QUANTITY) for m in rx.finditer(text)]
    return [figure for _, figure in sorted(found)]


def currencies(text: str) -> list[str]:
    """ISO codes of the currencies named in `text` by symbol or code, in first-seen order."""
    seen: dict[str, None] = {}
    for match in _CURRENCY.finditer(text):
        seen.setdefault(_CURRENCIES[match.group(0)], None)
    return list(seen)
