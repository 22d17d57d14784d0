"""The placeholders `citeguide new` writes, and where a guide still has them.

The scaffold and this check share these strings, so a guide published before its author
replaced them fails `lint --strict` and `build --strict` (rule `placeholder`).
"""

from __future__ import annotations

from citeguide.model import Finding

SOURCE_URL = "https://example.org/replace-with-your-source"
SUMMARY = "Replace this with the answer in one paragraph; the index, feeds and llms.txt show it."
ANSWER = "Replace this paragraph with the short answer to the title's question."
CLAIM = "Replace this sentence with one fact, and cite its source before the full stop"
ADVICE = "Replace this paragraph with the recommendation and the conditions that change it."

PLACEHOLDERS = {
    SOURCE_URL: "the cited source",
    SUMMARY: "the summary",
    ANSWER: "the opening paragraph",
    CLAIM: "the cited sentence",
    ADVICE: "the recommendation",
}
"""Each placeholder, and what it stands for."""


def placeholder_findings(text: str) -> list[Finding]:
    """A finding at every placeholder left in a guide's text (front matter included)."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        for placeholder, what in PLACEHOLDERS.items():
            col = line.find(placeholder)
            if col >= 0:
                found.append(
                    Finding(
                        rule="placeholder",
                        line=number,
                        col=col + 1,
                        message=f"{what} is still the placeholder `citeguide new` wrote; "
                        "replace it before publishing",
                    )
                )
    return found
