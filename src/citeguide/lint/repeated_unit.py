"""`repeated-unit`: a word after a `[calc:]` marker that its figure already ends with.

A figure is shown with its unit (`3.87–78.8 engineers`, `37.8 years`, `1.03 billion
tokens`), and an author who expects a bare number writes the unit again after the marker:
`Kubernetes pays for itself from about [calc: breakeven_team] engineers` was published as
"from about 3.87–78.8 engineers engineers", in the summary, on the index and in the feeds.
"""

from __future__ import annotations

import re

from citeguide.markers.calc_marker import CalcFailure, calc_id, parse_calc
from citeguide.model import Finding, Guide

_AFTER = re.compile(r"\[calc:([^\]\n]*)\][ \t]+([A-Za-z][A-Za-z_-]*)")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z_-]*)$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def _stem(word: str) -> str:
    word = word.lower()
    return word[:-1] if word.endswith("s") and len(word) > 2 else word


def repeated_unit_findings(guide: Guide) -> list[Finding]:
    """Each marker followed by the word its figure ends with (`engineers`, or `engineer`
    after `engineers`), outside code."""
    shown = {calc.id: calc.display for calc in guide.calculations}
    found: list[Finding] = []
    fenced = False
    for number, line in enumerate(guide.text.split("\n"), start=1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        for match in _AFTER.finditer(line):
            if line.count("`", 0, match.start()) % 2:
                continue  # inside a code span: literal text
            try:
                name, params, _ = parse_calc(match.group(1))
            except CalcFailure:
                continue
            display = shown.get(calc_id(name, params), "")
            last = _LAST_WORD.search(display)
            word = match.group(2)
            if last is None or _stem(last.group(1)) != _stem(word):
                continue
            found.append(Finding(
                rule="repeated-unit",
                line=number,
                col=match.start() + 1,
                message=(f"the figure already ends with its unit, and the word after the "
                         f"marker repeats it: '{display} {word}'; take '{word}' out of the "
                         "sentence"),
            ))  # fmt: skip
    return found
