"""A parsed guide: its claims, citations and sources, and everything the renderers need."""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, GetPydanticSchema, SkipValidation
from pydantic_core import core_schema

from citeguide.model.authored import GuideMeta, UpdateEntry
from citeguide.model.common import Confidence, SourceRole
from citeguide.model.computed import Calculation, Chart, InputFact
from citeguide.text.blocks import TextBlock


class Citation(BaseModel):
    """One cite marker, resolved (published as `TwinCitation`, its source by id)."""

    unpublished: ClassVar[frozenset[str]] = frozenset(
        {"url", "source_id", "line", "col", "quote_key"}
    )

    n: int
    url: str
    source_id: str
    date: date
    confidence: Confidence
    line: int
    col: int
    quote: str | None = None
    """The quoted text of a `#:~:text=` fragment, as a reader reads it."""
    quote_key: str | None = None
    """The text directive as written, the quote's key in the link state."""


class Claim(BaseModel):
    """A sentence backed by one or more citations (published as `TwinClaim`)."""

    unpublished: ClassVar[frozenset[str]] = frozenset({"section_id", "line"})

    id: str
    text: str
    section: str | None
    section_id: str | None
    citations: list[Citation]
    line: int


class SourceUse(BaseModel):
    """One distinct use of a source: by a claim or a table row, on a day, at a confidence."""

    model_config = ConfigDict(frozen=True)

    role: SourceRole
    date: date
    confidence: Confidence


class Source(BaseModel):
    """A cited URL, deduplicated across the guide by its normalised form (published as
    `TwinSource`, with its link state)."""

    unpublished: ClassVar[frozenset[str]] = frozenset({"normalized_url", "uses"})

    id: str
    url: str
    normalized_url: str
    host: str
    dates_cited: list[date]
    confidences: list[Confidence]
    claims: list[str]
    roles: list[SourceRole] = Field(default_factory=list)
    calculations: list[str] = Field(default_factory=list)
    uses: list[SourceUse] = Field(default_factory=list)
    """Every distinct (role, day, confidence) of its uses, in order of first use:
    confidence belongs to a claim or a row, not to the URL."""

    def note(self, day: date, confidence: Confidence, role: SourceRole = "citation") -> None:
        """Record one more use of this source, by a claim or a row, on `day` with
        `confidence`."""
        if day not in self.dates_cited:
            self.dates_cited = sorted([*self.dates_cited, day])
        if confidence not in self.confidences:
            self.confidences.append(confidence)
        use = SourceUse(role=role, date=day, confidence=confidence)
        if use not in self.uses:
            self.uses.append(use)


class Finding(BaseModel):
    """An editorial observation over a guide's text; `lint.runner` gives it a severity."""

    rule: str
    line: int
    col: int
    message: str


class Section(BaseModel):
    id: str
    title: str


class LocalFile(BaseModel):
    """A file the guide links or shows by a relative URL, published beside its page."""

    kind: Literal["file", "guide"]
    url: str
    """As written in the guide."""
    source: str
    """Relative to the site root."""
    target: str | None
    """Relative to `site/`; None for a link to another guide."""
    line: int
    col: int


class Guide(BaseModel):
    """Everything the renderers need to publish one guide: page, twin and Markdown twin."""

    path: str
    slug: str
    meta: GuideMeta
    updated: date
    sections: list[Section]
    claims: list[Claim]
    sources: list[Source]
    calculations: list[Calculation] = Field(default_factory=list)
    charts: list[Chart] = Field(default_factory=list)
    tokens: SkipValidation[list[Any]] = Field(default_factory=list, exclude=True, repr=False)
    """The body as parsed: markdown-it tokens, each chart's data in its fence's `meta`.
    Drawn by render/body.py in the process that parsed it; never stored or sent."""
    env: SkipValidation[dict[str, Any]] = Field(default_factory=dict, exclude=True, repr=False)
    """The parse environment the tokens refer to (the footnotes)."""
    body_edits: SkipValidation[Any] = Field(default=None, exclude=True, repr=False)
    """The edits that make the body's Markdown (markers into footnote references, charts
    into tables): a content.markdown_body.BodyEdits, applied by render/markdown_twin.py."""
    text: str = ""
    """The guide's file as read (line endings normalised): lint finds placeholders and
    `lint-allow` comments in it."""
    body_line: int = 0
    """Lines before the body (the front matter and its delimiters)."""
    # Neither validated nor described: markdown-it's tokens, read by the editorial rules
    # in this process (a schema for them cost every process 8 ms at import).
    blocks: Annotated[
        list[TextBlock], GetPydanticSchema(lambda _type, _handler: core_schema.any_schema())
    ] = Field(default_factory=list)
    """The body's inline blocks in reading order, with the claims each one makes."""
    summary: str = ""
    """The summary as shown: its `[calc:]` markers replaced by their figures."""
    summary_html: str = ""
    """The same, each figure linked to its entry (escaped HTML; templates use it)."""
    summary_parts: list[tuple[str, str | None]] = Field(default_factory=list)
    """The same in pieces: (text, None) as written, (figure, its calculation's id)."""
    key_findings: list[str] = Field(default_factory=list)
    """Ids of the calculations in the summary, in reading order."""
    # Not validated: the same objects for every guide using the same models (the
    # library converts them once per site), so the twin converts them once too.
    models: SkipValidation[dict[str, dict[str, Any]]] = Field(default_factory=dict)
    """The compiled models its figures and charts use, as data (the twin's `models`)."""
    tables: SkipValidation[dict[str, dict[str, Any]]] = Field(default_factory=dict)
    """The tables those models read, as data (the twin's `tables`)."""
    table_names: dict[str, str] = Field(default_factory=dict)
    """Each of those tables as readers' hints name it (`Table.reader_name`)."""
    files: list[LocalFile] = Field(default_factory=list)
    """Images and files named by relative URLs, to check and copy next to the page."""
    notes: int = 0
    """Footnotes shown under "Notes" at the foot of the body."""

    @cached_property
    def citations(self) -> list[Citation]:
        """Every citation in reading order (the page's reference numbers)."""
        return sorted((c for claim in self.claims for c in claim.citations), key=lambda c: c.n)

    @cached_property
    def rows(self) -> list[InputFact]:
        """Every table row its figures and charts read, once, as at its first use (the
        earliest line that reads it)."""
        first: dict[tuple[str, str], InputFact] = {}
        facts = [f for c in self.calculations for f in c.facts]
        facts += [f for c in self.charts for f in c.facts]
        for fact in sorted(facts, key=lambda f: f.line):
            first.setdefault((fact.table, fact.row), fact)
        return list(first.values())

    @cached_property
    def updates_sorted(self) -> list[UpdateEntry]:
        """The update log, newest first."""
        return sorted(self.meta.updates, key=lambda u: u.date, reverse=True)
