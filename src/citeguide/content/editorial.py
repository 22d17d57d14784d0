"""Editorial facts gathered while parsing: figures without a source, mixed currencies.

Parsing only records what it sees, as findings with a rule id and a position; the linter
decides how serious each rule is (`citeguide.toml` can change that).
"""

from __future__ import annotations

from markdown_it.token import Token

import re

from citeguide.content.claims import PlainBlock, sentence_of, tidy
from citeguide.content.figures import currencies, figures
from citeguide.model import Finding


_HAS_FIGURE_OR_CURRENCY = re.compile(r"\d|[$£€¥]")


def _locate(block: Token, needle: str, lines: list[str]) -> tuple[int, int]:
    """0-based (line, col) of `needle` in the block's source lines, else the block start."""
    first, end = block.map if block.map else (0, 1)
    for number in range(first, min(end, len(lines))):
        col = lines[number].find(needle)
        if col >= 0:
            return number, col
    line = lines[first] if first < len(lines) else ""
    return first, len(line) - len(line.lstrip())


def scan_block(
    block: Token, plain: PlainBlock, starts: list[int], lines: list[str], body_line: int
) -> list[Finding]:
    """Findings for the sentences of one inline block; positions are 1-based file lines."""
    if not _HAS_FIGURE_OR_CURRENCY.search(plain.text):
        return []
    ends = [*starts[1:], len(plain.text)]
    backed = {
        sentence_of(starts, m, plain.text) for m in plain.markers if m.token.meta["error"] is None
    }
    findings: list[Finding] = []
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        sentence = plain.text[start:end]
        found = figures(sentence)
        if found and index not in backed:
            line, col = _locate(block, found[0], lines)
            findings.append(
                Finding(
                    rule="uncited-figure",
                    line=body_line + line + 1,
                    col=col + 1,
                    message=f"figure {found[0]!r} has no [cite: ...] or [calc: ...] in its "
                    f"sentence: {tidy(sentence)[:80]!r}",
                )
            )
        named = currencies(sentence)
        if len(named) > 1:
            symbol = next(s for s in ("US$", "$", "£", "€", "¥", *named) if s in sentence)
            line, col = _locate(block, symbol, lines)
            findings.append(
                Finding(
                    rule="mixed-currencies",
                    line=body_line + line + 1,
                    col=col + 1,
                    message=f"sentence mixes currencies ({', '.join(named)}); compute one "
                    f"with currency=...: {tidy(sentence)[:80]!r}",
                )
            )
    return findings
