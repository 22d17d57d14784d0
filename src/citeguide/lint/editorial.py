"""Editorial findings over a guide's text: uncited figures, hand arithmetic, mixed
currencies, repeated or context-dependent claims, placeholders.

Parsing records the text (`Guide.blocks`); these rules read it and note what they see, as
findings with a rule id and a position; `lint.runner` decides how serious each rule is
(`citeguide.toml` can change that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from citeguide.lint.arithmetic import worked_by_hand
from citeguide.lint.claim_rules import claim_findings
from citeguide.lint.currencies import converts, currencies
from citeguide.lint.figures import figures, may_hold_words
from citeguide.lint.placeholders import placeholder_findings
from citeguide.lint.repeated_unit import repeated_unit_findings
from citeguide.model import Finding, Guide
from citeguide.text.blocks import TextBlock
from citeguide.text.case import excerpt
from citeguide.text.sentences import mask_code, sentence_of, sentence_starts

# Cheap test before the sentence-by-sentence scan: a digit, a currency or a multiple in words.
# Symbols first, by themselves: a pattern of words is tried at every character, and most
# blocks that hold a figure hold a digit or a currency symbol.
_DIGIT_OR_CURRENCY = re.compile(r"[\d$£€¥]")
_MULTIPLE_IN_WORDS = re.compile(
    r"\b(?:twice|thrice|times|\w+fold|half|third|quarter)", re.IGNORECASE
)


def guide_findings(guide: Guide) -> list[Finding]:
    """Every finding over the guide's text, in reading order: the summary's figures, each
    block's claims, then its sentences (a table row's after its last cell), then the
    placeholders."""
    lines = guide.text.split("\n")[guide.body_line :]
    first: dict[str, tuple[int, int | None]] = {}
    found: list[Finding] = []
    row: list[TextBlock] = []
    # What the summary may type: only gathered when it holds a figure at all.
    raw = guide.meta.summary
    typed = bool(_DIGIT_OR_CURRENCY.search(raw)) or may_hold_words(raw)
    known = {f for calc in guide.calculations for f in figures(calc.display)} if typed else None
    for block in guide.blocks:
        if row and block.row != row[0].row:
            found += scan_row(row, lines, guide.body_line, known)
            row = []
        found += claim_findings(block, first)
        if block.row is None:
            found += scan_block(block, lines, guide.body_line, known)
        elif not block.header:
            row.append(block)
    if row:
        found += scan_row(row, lines, guide.body_line, known)
    summary = summary_findings(guide, known) if known is not None else []
    return summary + found + placeholder_findings(guide.text) + repeated_unit_findings(guide)


def summary_findings(guide: Guide, known: set[str]) -> list[Finding]:
    """A figure typed in the summary, in a sentence without a `[calc:]` marker, that is
    none of those the guide cites or computes (`known`): the summary is what the index,
    feeds, `llms.txt` and search results show, and takes no `[cite:]`, so a figure there
    is either computed or stated with its source in the guide; else nothing checks it,
    and it goes stale when a table changes."""
    raw = guide.meta.summary
    starts = sentence_starts(raw)
    found: list[Finding] = []
    for start, end in zip(starts, [*starts[1:], len(raw)], strict=True):
        sentence = raw[start:end]
        if "[calc:" in sentence:
            continue
        for figure in figures(sentence):
            if figure in known:
                continue
            line, col = _in_front_matter(guide.text, "summary", figure)
            found.append(Finding(
                rule="uncited-figure", line=line, col=col,
                message=f"figure {figure!r} in the summary is not one the guide cites or "
                "computes: write it as a [calc: ...] marker, or cite it in the guide, so "
                f"it is checked and stays current: {excerpt(sentence.strip())}",
            ))  # fmt: skip
    return found


def _in_front_matter(text: str, key: str, needle: str) -> tuple[int, int]:
    """1-based (line, col) of `needle` on the line of front matter key `key` (or a later
    line of its value), else of the key."""
    lines = text.split("\n")
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() == "---":
            break
        if re.match(rf"{key}\s*:", line):
            for offset, later in enumerate(lines[number - 1 :]):
                col = later.find(needle)
                if col >= 0:
                    return number + offset, col + 1
                if offset and (later.rstrip() == "---" or re.match(r"[A-Za-z_]+\s*:", later)):
                    break
            return number, 1
    return 1, 1


def _locate(block: TextBlock, needle: str, lines: list[str]) -> tuple[int, int]:
    """0-based (line, col) of `needle` in the block's source lines, else the block start."""
    first, end = block.lines
    for number in range(first, min(end, len(lines))):
        col = lines[number].find(needle)
        if col >= 0:
            return number, col
    line = lines[first] if first < len(lines) else ""
    return first, len(line) - len(line.lstrip())


def scan_block(
    block: TextBlock, lines: list[str], body_line: int, known: set[str] | None = None
) -> list[Finding]:
    """Findings for the sentences of one inline block; positions are 1-based file lines.
    The figures of its sentences that cite or compute are added to `known`."""
    plain, starts = block.plain, block.starts
    if not _DIGIT_OR_CURRENCY.search(plain.text) and not (
        may_hold_words(plain.text) and _MULTIPLE_IN_WORDS.search(plain.text)
    ):
        return []
    text = mask_code(plain.text, plain.code, " ")
    ends = [*starts[1:], len(text)]
    valid = [m for m in plain.markers if m.token.meta["error"] is None]
    backed = {sentence_of(starts, m, plain.text) for m in valid}
    computed = {sentence_of(starts, m, plain.text) for m in valid if m.token.type == "calc"}
    findings: list[Finding] = []
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        claim = _Claim(
            where=[(block, text[start:end])],
            backed=index in backed,
            computed=index in computed,
            shown=plain.tidy(start, end),
            unit="sentence",
        )
        findings += _check(claim, lines, known)
    return _at_file_lines(findings, body_line)


def scan_row(
    cells: list[TextBlock], lines: list[str], body_line: int, known: set[str] | None = None
) -> list[Finding]:
    """Findings for one table row: a row is one claim, so at most one warning per rule;
    the figures of a row that cites or computes are added to `known`."""
    valid = [m for cell in cells for m in cell.plain.markers if m.token.meta["error"] is None]
    claim = _Claim(
        where=[(cell, mask_code(cell.plain.text, cell.plain.code, " ")) for cell in cells],
        backed=bool(valid),
        computed=any(m.token.type == "calc" for m in valid),
        shown=" | ".join(cell.plain.tidy() for cell in cells),
        unit="table row",
    )
    return _at_file_lines(_check(claim, lines, known), body_line)


@dataclass
class _Claim:
    """One claim-sized unit of text (a sentence or a table row) and what backs it."""

    where: list[tuple[TextBlock, str]]
    backed: bool
    """A valid cite or calc marker."""
    computed: bool
    """A valid calc marker."""
    shown: str
    unit: str


def _check(claim: _Claim, lines: list[str], known: set[str] | None = None) -> list[Finding]:
    """The uncited-figure, hand-arithmetic and mixed-currencies findings for one claim;
    its figures are added to `known` when it cites or computes."""
    hand = None if claim.computed else _hand_worked(claim, lines)
    findings = [hand] if hand else []
    found = [(block, figure) for block, text in claim.where for figure in figures(text)]
    if claim.backed and known is not None:
        known.update(figure for _, figure in found)
    if found and not claim.backed and hand is None:
        line, col = _locate(found[0][0], found[0][1], lines)
        names = [figure for _, figure in found]
        many = len(names) > 1
        findings.append(
            Finding(
                rule="uncited-figure",
                line=line,
                col=col,
                message=f"{'figures' if many else 'figure'} "
                f"{', '.join(repr(n) for n in names)} {'have' if many else 'has'} no "
                f"[cite: ...] or [calc: ...] in {'their' if many else 'its'} {claim.unit}: "
                f"{excerpt(claim.shown)}",
            )
        )
    named: dict[str, None] = {}
    for _, text in claim.where:
        named.update(dict.fromkeys(currencies(text)))
    if len(named) > 1 and not any(converts(text, claim.backed) for _, text in claim.where):
        block, text = next((b, t) for b, t in claim.where if currencies(t))
        symbol = next(s for s in ("US$", "$", "£", "€", "¥", *named) if s in text)
        line, col = _locate(block, symbol, lines)
        findings.append(
            Finding(
                rule="mixed-currencies",
                line=line,
                col=col,
                message=f"{claim.unit} mixes currencies ({', '.join(named)}); compute one "
                f"with currency=..., or state or cite the rate a conversion uses: "
                f"{excerpt(claim.shown)}",
            )
        )
    return findings


def _hand_worked(claim: _Claim, lines: list[str]) -> Finding | None:
    """A hand-arithmetic finding when the claim works a figure out by hand."""
    for block, text in claim.where:
        hand = worked_by_hand(text)
        if hand is not None:
            line, col = _locate(block, (hand.inputs or [hand.result])[0], lines)
            return Finding(
                rule="hand-arithmetic",
                line=line,
                col=col,
                message=f"{hand.describe()}; let a [calc: ...] marker compute it from a model, "
                f"so it is checked and stays current: {excerpt(claim.shown)}",
            )
    return None


def _at_file_lines(findings: list[Finding], body_line: int) -> list[Finding]:
    """0-based body positions → 1-based file positions."""
    for finding in findings:
        finding.line += body_line + 1
        finding.col += 1
    return findings
