"""Rules over a guide's claims: a claim made twice, and a claim that cannot stand alone."""

from __future__ import annotations

import re

# Openings that point back into the paragraph: a claim starting so means nothing alone.
_CONTEXT_OPENING = re.compile(
    r"(?:it|its|it's|this|that|these|those|they|their|them|theirs|both|such|he|she|his|her"
    r"|the same|the latter|the former|the other|the rest|here|which|also)\b",
    re.IGNORECASE,
)


def context_dependence(text: str) -> str | None:
    """Why a claim cannot stand alone, or None when it can."""
    opening = _CONTEXT_OPENING.match(text.lstrip("\"'“‘(*_ "))
    if opening:
        return f"it opens with {opening.group(0)!r}, which points back into the paragraph"
    if len(re.findall(r"\w+", text)) <= 3:
        return "it is a bare label, not a statement"
    return None
