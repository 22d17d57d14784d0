"""Currencies named in prose, and the sentences that honestly convert between them.

One sentence naming two currencies usually mixes them by mistake ("roughly $30–£60"). A
conversion is the exception: one amount restated in another currency, with the rate it
used stated or cited ("£7,500 is about $10,000 at the October 2025 HMRC rate").
"""

from __future__ import annotations

import re

_CURRENCIES = {
    "$": "USD", "US$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY",
    "USD": "USD", "GBP": "GBP", "EUR": "EUR", "JPY": "JPY",
}  # fmt: skip
_CURRENCY = re.compile(r"US\$|[$£€¥]|\b(?:USD|GBP|EUR|JPY)\b")
_CODE = r"(?:US\$|[$£€¥]|\b(?:USD|GBP|EUR|JPY)\b)"
_AMOUNT = rf"(?:{_CODE}\s?\d[\d,.]*(?:\s?(?:k|m|bn|million|billion)\b)?|\d[\d,.]*\s?{_CODE})"
# One amount, a word that restates it, then the other: "£7,500 is about $10,000",
# "£7,500 (roughly $10,000)", "€50 ≈ $54", "$10,000, or about £7,500".
_RESTATED = re.compile(
    rf"{_AMOUNT}\s?(?:,\s)?(?:\(|is|are|was|were|equals?|or|i\.e\.|≈|~|=|comes\sto"
    rf"|converts?\sto|works\sout\s(?:at|to))?\s?(?:about|around|roughly|approximately|nearly"
    rf"|some|close\sto|just\s(?:over|under)|≈|~)?\s?{_AMOUNT}"
)
# The rate, named or given: "at the October 2025 HMRC rate", "at $1.33 to the pound",
# "exchange rate", "£1 = $1.27", "1 GBP = 1.27 USD".
_RATE = re.compile(
    rf"\brates?\b|\bexchange\b|\bat\s{_AMOUNT}\s?(?:/|per|to\s(?:the|a|one))"
    rf"|{_CODE}\s?1\s?=|\b1\s?{_CODE}\s?=",
    re.IGNORECASE,
)


def currencies(text: str) -> list[str]:
    """ISO codes of the currencies named in `text` by symbol or code, in first-seen order."""
    seen: dict[str, None] = {}
    for match in _CURRENCY.finditer(text):
        seen.setdefault(_CURRENCIES[match.group(0)], None)
    return list(seen)


def converts(text: str, cited: bool) -> bool:
    """`text` restates an amount in another currency and states or cites the rate it used."""
    for match in _RESTATED.finditer(text):
        if len(currencies(match.group(0))) == 2:
            return cited or bool(_RATE.search(text))
    return False
