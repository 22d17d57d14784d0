"""The body's text as parsing records it for the editorial rules: its inline blocks in
reading order, and the claims each one makes."""

from __future__ import annotations

from dataclasses import dataclass, field

from citeguide.text.sentences import PlainBlock


@dataclass
class ClaimUse:
    """One place a claim is made, at its first marker there (1-based file position)."""

    id: str
    text: str
    line: int
    col: int


@dataclass
class TextBlock:
    """One inline block of the body: a paragraph, heading, list item or table cell."""

    lines: tuple[int, int]
    """Its source lines, 0-based in the body, end excluded (markdown-it's `map`)."""
    plain: PlainBlock
    starts: list[int]
    """Where its sentences start in `plain.text`."""
    row: int | None = None
    """For a table cell, its row (counted through the body); None outside tables."""
    header: bool = False
    """A header cell: a column's name, not part of a row's claim."""
    claims: list[ClaimUse] = field(default_factory=list)
    """The claims its markers cite, in order (a cell's claim is its row's)."""
