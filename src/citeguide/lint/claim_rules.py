"""Rules over a guide's claims: a claim made twice, and a claim that cannot stand alone."""

from __future__ import annotations

import re

from citeguide.model import Finding
from citeguide.text.blocks import TextBlock
from citeguide.text.case import excerpt

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


def claim_findings(block: TextBlock, first: dict[str, tuple[int, int | None]]) -> list[Finding]:
    """`duplicate-claim` and `context-dependent-claim` for the claims of one block.

    `first` maps each claim met so far to its first line and table row: cites in several
    cells of one row are several citations of one claim, not duplicates.
    """
    found = []
    for use in block.claims:
        seen = first.get(use.id)
        if seen is None:
            first[use.id] = (use.line, block.row)
            reason = context_dependence(use.text)
            if reason is not None:
                found.append(
                    Finding(
                        rule="context-dependent-claim",
                        line=use.line,
                        col=use.col,
                        message=f"claim cannot stand alone ({reason}); name the subject so an "
                        f"agent reading only the claim understands it: {excerpt(use.text)}",
                    )
                )
        elif block.row is None or seen[1] != block.row:
            found.append(
                Finding(
                    rule="duplicate-claim",
                    line=use.line,
                    col=use.col,
                    message=f"claim repeats the one at line {seen[0]}: {excerpt(use.text)}",
                )
            )
    return found
