"""Figures worked out by hand in prose, which a calculation should compute instead.

"If you use 3,000 kWh a year at 24.5p per kWh, you pay £735" asserts no source for its
inputs, which it only supposes, but its result is arithmetic done by hand: it can be wrong,
and it goes stale when an input changes. A `[calc: ...]` marker computes it from a model
and keeps it checked. Spotted here: a supposition that goes on to a result ("that's",
"you pay", "it comes to") and any written-out sum ("5,000 x 32 = 160,000").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from citeguide.lint.figures import figure_spans, supposes

# Words that turn supposed inputs into a result.
_RESULT = re.compile(
    r"\b(?:that(?:'s|\s(?:is|would\sbe|comes\sto|works\sout\s(?:at|to)|means|gives))"
    r"|this\s(?:is|comes\sto|means|gives)|which\s(?:is|comes\sto|gives|means)"
    r"|(?:you|they|we|it|I)(?:'d|'ll|\s(?:would|will|could|might))?\s(?:pay|save|spend|get|use"
    r"|need|earn|lose|cost|take|make|receive|owe|have)"
    r"|(?:comes|adds|works)\s(?:to|up\sto|out\s(?:at|to))|a\stotal\sof|in\stotal|equals?)\b"
    r"|[=≈→]",
    re.IGNORECASE,
)
_NUMBER = r"[$£€¥]?\d[\d,.]*(?:\s?[A-Za-z%°/]+)?"
# A sum written out: "5,000 x 32 core machines = 160,000 cores", "500,000 pods / 100 pods
# per second ~ 90 minutes", "£35,000 minus £12,570".
_SUM = re.compile(
    rf"{_NUMBER}[^=≈~\d]{{0,30}}?\s(?:[x×*/÷+−]|times|divided\sby|multiplied\sby|minus|plus)\s"
    rf"{_NUMBER}[^=≈~]{{0,40}}?(?:[=≈~→]|equals)\s?~?{_NUMBER}"
    rf"|\({_NUMBER}\s(?:minus|plus|[x×*/÷+−])\s{_NUMBER}\)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class HandSum:
    """A result worked out by hand, with the figures it was worked out from (none when
    `result` is a written-out sum)."""

    result: str
    inputs: list[str]

    def describe(self) -> str:
        """`'£735' is worked out by hand from '3,000 kWh', '24.5p'`, for a message."""
        origin = f" from {', '.join(repr(i) for i in self.inputs)}" if self.inputs else ""
        return f"{self.result!r} is worked out by hand{origin}"


def worked_by_hand(text: str) -> HandSum | None:
    """The figure `text` works out by hand from others, if it does."""
    written = _SUM.search(text)
    if written:
        return HandSum(" ".join(written.group(0).strip("()").split()), [])
    if not supposes(text):  # first: finding the figures costs more
        return None
    spans = figure_spans(text, examples=True)
    named = [text[start:end].strip() for start, end in spans]
    if len(spans) < 2:
        return None
    # The result is the first figure after a result word that follows an input.
    for index, (start, _) in enumerate(spans[1:], 1):
        between = text[spans[index - 1][1] : start]
        if _RESULT.search(between):
            return HandSum(named[index], named[:index])
    return None
