"""Per-line suppression an author writes and a reviewer sees: `<!-- lint-allow: rule -->`.

The comment (dropped from every output) allows the named rules on its own line; on a line
of its own it also covers the paragraph below it (up to the next blank line):

    <!-- lint-allow: estimate-input (the paragraph says the price is an assumption) -->
    Owning an A100 costs [calc: selfhost_cost hardware=a100-80gb ...] a month.
"""

from __future__ import annotations

import re

_ALLOW = re.compile(r"<!--\s*lint-allow:\s*(?P<rules>[a-z][a-z0-9-]*(?:\s*,\s*[a-z][a-z0-9-]*)*)")


def lint_allows(text: str) -> dict[int, list[str]]:
    """1-based line → rules allowed there, from every `lint-allow` comment in `text`."""
    lines = text.split("\n")
    found: dict[int, list[str]] = {}
    for index, line in enumerate(lines):
        for match in _ALLOW.finditer(line):
            rules = [r.strip() for r in match["rules"].split(",")]
            targets = [index + 1]
            rest = line[match.end() :].split("-->", 1)[-1]
            if not rest.strip() and not line[: match.start()].strip():
                # A comment on a line of its own covers the paragraph below it.
                j = index + 1
                while j < len(lines) and not lines[j].strip():
                    j += 1
                while j < len(lines) and lines[j].strip():
                    targets.append(j + 1)
                    j += 1
            for target in targets:
                found.setdefault(target, [])
                found[target] += [r for r in rules if r not in found[target]]
    return found
