"""Editorial facts gathered while parsing: figures without a source, mixed currencies.

Parsing only records what it sees, as findings with a rule id and a position; the linter
decides how serious each rule is (`citeguide.toml` can change that).
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from citeguide.content.claims import PlainBlock, mask_code, sentence_of, tidy
from citeguide.lint.figures import currencies, figures
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
    text = mask_code(plain.text, plain.code, " ")
    ends = [*starts[1:], len(text)]
    backed = {
        sentence_of(starts, m, plain.text) for m in plain.markers if m.token.meta["error"] is None
    }
    findings: list[Finding] = []
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        where = [(block, text[start:end])]
        findings += _check(where, index in backed, tidy(plain.text[start:end]), "sentence", lines)
    return _at_file_lines(findings, body_line)


def scan_row(
    cells: list[tuple[Token, PlainBlock]], lines: list[str], body_line: int
) -> list[Finding]:
    """Findings for one table row: a row is one claim, so at most one warning per rule."""
    backed = any(m.token.meta["error"] is None for _, plain in cells for m in plain.markers)
    where = [(block, mask_code(plain.text, plain.code, " ")) for block, plain in cells]
    row = " | ".join(tidy(plain.text) for _, plain in cells)
    return _at_file_lines(_check(where, backed, row, "table row", lines), body_line)


def _check(
    where: list[tuple[Token, str]], backed: bool, shown: str, unit: str, lines: list[str]
) -> list[Finding]:
    """The uncited-figure and mixed-currencies findings for one claim-sized unit of text."""
    findings: list[Finding] = []
    found = [(block, figure) for block, text in where for figure in figures(text)]
    if found and not backed:
        line, col = _locate(found[0][0], found[0][1], lines)
        names = [figure for _, figure in found]
        findings.append(
            Finding(
                rule="uncited-figure",
                line=line,
                col=col,
                message=f"{'figures' if len(names) > 1 else 'figure'} "
                f"{', '.join(repr(n) for n in names)} {'have' if len(names) > 1 else 'has'} "
                f"no [cite: ...] or [calc: ...] in its {unit}: {shown[:80]!r}",
            )
        )
    named: dict[str, None] = {}
    for _, text in where:
        named.update(dict.fromkeys(currencies(text)))
    if len(named) > 1:
        block, text = next((b, t) for b, t in where if currencies(t))
        symbol = next(s for s in ("US$", "$", "£", "€", "¥", *named) if s in text)
        line, col = _locate(block, symbol, lines)
        findings.append(
            Finding(
                rule="mixed-currencies",
                line=line,
                col=col,
                message=f"{unit} mixes currencies ({', '.join(named)}); compute one "
                f"with currency=...: {shown[:80]!r}",
            )
        )
    return findings


def _at_file_lines(findings: list[Finding], body_line: int) -> list[Finding]:
    """0-based body positions → 1-based file positions."""
    for finding in findings:
        finding.line += body_line + 1
        finding.col += 1
    return findings
