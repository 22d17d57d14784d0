"""One walk over a guide's tokens: its sections, claims, citations, sources, figures,
relative files and the text blocks the linter reads (`GuideBuilder`)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import unquote

from markdown_it.token import Token

from citeguide.content.claims import claim_id, claims_in_block, source_id
from citeguide.content.localfiles import LocalFileError, is_local_file, resolve
from citeguide.content.markdown_body import BodyEdits
from citeguide.diagnostics import Diagnostics, SourcePos
from citeguide.model import (
    Citation,
    Claim,
    LocalFile,
    Section,
    Source,
    SourceRole,
)
from citeguide.text.blocks import ClaimUse, TextBlock
from citeguide.text.fragments import QuoteError, split_url
from citeguide.text.sentences import PlainBlock, plain_text, sentence_of, sentence_starts
from citeguide.text.urls import normalize_url
from citeguide.untrusted import one_line


def _inline_text(token: Token) -> str:
    return "".join(c.content for c in token.children or [] if c.type in ("text", "code_inline"))


def _row_texts(tokens: list[Token], start: int) -> list[tuple[str, bool]]:
    """Plain text of every cell in the table row opening at `start`, and whether the
    cell holds a cite or calc marker."""
    cells = []
    # Indexes, not a slice: copying the rest of the token list once per row made a long
    # table quadratic.
    for index in range(start + 1, len(tokens)):
        token = tokens[index]
        if token.type == "tr_close":
            break
        if token.type == "inline":
            children = token.children or []
            marked = any(c.type in ("cite", "calc") for c in children)
            cells.append((plain_text(children).tidy(), marked))
    return cells


def _row_claim(headers: list[str], row: list[tuple[str, bool]]) -> str:
    """The claim a table row makes: the cell naming the row (the first) and the cells
    that carry a marker. An unmarked cell beside them (the author's "use it when"
    column) is the author's own text and is not attributed to the row's sources."""
    pairs = [
        f"{h}: {c.rstrip('.')}" if h else c.rstrip(".")
        for i, (h, (c, marked)) in enumerate(zip(headers, row, strict=False))
        if c and (i == 0 or marked)
    ]
    return "; ".join(pairs) + "."


class GuideBuilder:
    """Walks the token stream once, collecting sections, claims and sources."""

    def __init__(
        self,
        path: str,
        body_line: int,
        today: date,
        diags: Diagnostics,
        edits: BodyEdits,
        slug: str = "guide",
    ) -> None:
        self.path, self.body_line, self.today, self.diags = path, body_line, today, diags
        self.edits, self.slug = edits, slug
        self.files: list[LocalFile] = []
        self.note_sections: dict[int, Section | None] = {}
        """The section each footnote is first referenced from: its claims belong there."""
        self.note: int | None = None
        """The footnote being walked, if any."""
        self.notes = 0
        self.lines = edits.body.split("\n")
        self.blocks: list[TextBlock] = []
        """Every inline block, for the editorial rules."""
        self.rows = 0
        self.sections: list[Section] = []
        self.claims: dict[str, Claim] = {}
        self.sources: dict[str, Source] = {}
        self.source_claims: dict[str, set[str]] = {}
        self.calc_lines: dict[str, int] = {}
        self.calc_cols: dict[str, int] = {}
        self.calc_refs: dict[str, int] = {}
        """Number of the first marker of each calculation: its `calc-ref-N` in the text."""
        self.calc_context: dict[str, tuple[str, str | None, str | None]] = {}
        self.block_map = (0, 1)
        self.in_cell = False

    def pos(self, meta: dict[str, Any]) -> SourcePos:
        return SourcePos(self.path, self.body_line + meta["line"] + 1, meta["col"] + 1)

    def walk(self, tokens: list[Token]) -> None:
        headers: list[str] = []
        row: list[tuple[str, bool]] = []
        row_claim: str | None = None
        for i, token in enumerate(tokens):
            if token.type == "heading_open" and token.tag in ("h1", "h2"):
                title = _inline_text(tokens[i + 1])
                self.sections.append(Section(id=str(token.attrGet("id") or ""), title=title))
            elif token.type == "html_comment_block" and token.map:
                self.edits.lines(token.map[0], token.map[1], "")
            elif token.type == "footnote_open":
                self.note = token.meta["id"]
                self.notes += 1
            elif token.type == "footnote_close":
                self.note = None
            elif token.type == "thead_open":
                headers = []
            elif token.type == "tr_open":
                row = _row_texts(tokens, i)
                row_claim = None
                self.rows += 1
            elif token.type == "inline" and token.children:
                self.block_map = (token.map[0], token.map[1]) if token.map else (0, 1)
                if tokens[i - 1].type == "th_open":
                    headers.append(plain_text(token.children).tidy())
                # A table cell alone ("one developer") is no claim; its row is. Made once
                # per row: once per cell made a row of thousands of cells quadratic.
                context = None
                if tokens[i - 1].type == "td_open":
                    row_claim = context = row_claim or _row_claim(headers, row)
                plain = plain_text(token.children)
                starts = sentence_starts(plain.text, plain.code)
                self.in_cell = tokens[i - 1].type in ("td_open", "th_open")
                self.blocks.append(
                    TextBlock(
                        self.block_map,
                        plain,
                        starts,
                        row=self.rows if self.in_cell else None,
                        header=tokens[i - 1].type == "th_open",
                    )
                )
                self._block(token.children, plain, starts, context)

    def _block(
        self, children: list[Token], plain: PlainBlock, starts: list[int], row_claim: str | None
    ) -> None:
        for child in children:
            if child.type == "image" and child.children:
                self._markers_in_image(child)
            if child.type in ("image", "link_open"):
                self._local_file(child)
            elif child.type == "footnote_ref":
                self.note_sections.setdefault(child.meta["id"], self.section())
            elif child.type == "html_comment" and "end" in child.meta:
                self.edits.span(child.meta["line"], child.meta["col"], *child.meta["end"])
            if child.type == "cite" and child.meta["error"] is not None:
                if self.in_cell and self._pipe_split(child):
                    self.diags.error(
                        self.pos(child.meta),
                        "a `|` inside a table cell ends the cell and splits this cite marker; "
                        "in tables separate the marker's fields with `·`",
                        "cite-pipe-in-table",
                    )
                    continue
                message = f"{child.meta['error']}; {child.meta['hint']}"
                self.diags.error(self.pos(child.meta), message, child.meta["rule"])
            elif child.type == "calc":
                if child.meta["error"] is not None:
                    self.diags.error(self.pos(child.meta), child.meta["error"], child.meta["rule"])
                else:
                    self.calc_lines.setdefault(child.meta["id"], self.pos(child.meta).line)
                    self.calc_cols.setdefault(child.meta["id"], self.pos(child.meta).col)
                    self.calc_refs.setdefault(child.meta["id"], child.meta["n"])
                    if child.meta["id"] not in self.calc_context:
                        self.calc_context[child.meta["id"]] = self._calc_context(
                            child, plain, starts, row_claim
                        )
                    meta = child.meta
                    text = f"{meta['display']}[^{meta['id']}]"
                    self.edits.marker(meta["line"], meta["col"], child.content, text)
        for text, markers in claims_in_block(plain, starts):
            valid = [m for m in markers if m.meta["error"] is None]
            if valid:
                self._claim(row_claim or text, valid)

    def section(self) -> Section | None:
        """The section being walked; in a footnote, the one that first refers to it."""
        if self.note is not None:
            return self.note_sections.get(self.note)
        return self.sections[-1] if self.sections else None

    def _local_file(self, token: Token) -> None:
        """Note a relative image or file (to copy next to the page), or a link to another
        guide's file (to point at its page); the page and the twin get the new URL."""
        attr = "src" if token.type == "image" else "href"
        url = str(token.attrGet(attr) or "")
        if not is_local_file(url):
            return
        line, col, written = self._find_url(url)
        pos = SourcePos(self.path, self.body_line + line + 1, col + 1)
        try:
            found = resolve(self.path, self.slug, url)
        except LocalFileError as exc:
            self.diags.error(pos, f"{exc}; keep linked files inside the site root", "local-file")
            return
        token.attrSet(attr, found.href)
        if written is not None and found.twin_href != written:
            self.edits.marker(line, col, written, found.twin_href)
        self.files.append(
            LocalFile(
                kind=found.kind,
                url=url,
                source=found.source,
                target=found.target,
                line=pos.line,
                col=pos.col,
            )
        )

    def _find_url(self, url: str) -> tuple[int, int, str | None]:
        """0-based (line, col) of a link destination as written, and the text written
        (None when it is not found as such: a reference definition elsewhere, say)."""
        first, end = self.block_map
        for written in dict.fromkeys([url, unquote(url)]):
            for opener in ("(", "(<", "]: ", "]:"):
                needle = opener + written
                for number in [*range(first, min(end, len(self.lines))), *range(len(self.lines))]:
                    col = self.lines[number].find(needle)
                    if col >= 0:
                        return number, col + len(opener), written
        return first, 0, None

    def _calc_context(
        self, marker: Token, plain: PlainBlock, starts: list[int], row_claim: str | None
    ) -> tuple[str, str | None, str | None]:
        """The sentence (or table row) a calc marker stands in, and its section."""
        section = self.section()
        place = next((m for m in plain.markers if m.token is marker), None)
        if row_claim is not None or place is None:
            text = row_claim or plain.tidy()
        else:
            index = sentence_of(starts, place, plain.text)
            ends = [*starts[1:], len(plain.text)]
            text = plain.tidy(starts[index], ends[index])
        return text, section.title if section else None, section.id if section else None

    def _markers_in_image(self, image: Token) -> None:
        """Alt text is read aloud, never linked: a marker there would vanish silently."""
        for marker in image.children or []:
            if marker.type not in ("cite", "calc"):
                continue
            line, col = self._find_in_block(marker.content)
            self.diags.error(
                SourcePos(self.path, self.body_line + line + 1, col + 1),
                f"{marker.type} marker inside an image's alt text cannot be shown; "
                "put it in the sentence or caption next to the image",
                f"{marker.type}-in-image",
            )

    def _pipe_split(self, marker: Token) -> bool:
        """True when the table row split this marker at a `|` separator."""
        line = self.lines[marker.meta["line"]] if marker.meta["line"] < len(self.lines) else ""
        rest = line[marker.meta["col"] :]
        close = rest.find("]")
        return "|" in (rest if close < 0 else rest[:close])

    def _find_in_block(self, needle: str) -> tuple[int, int]:
        """0-based (line, col) of `needle` within the current block's source lines."""
        first, end = self.block_map
        for number in range(first, min(end, len(self.lines))):
            col = self.lines[number].find(needle)
            if col >= 0:
                return number, col
        return first, 0

    def _claim(self, text: str, markers: list[Token]) -> None:
        cid = claim_id(text)
        section = self.section()
        claim = self.claims.get(cid)
        first = self.pos(markers[0].meta)
        self.blocks[-1].claims.append(ClaimUse(cid, text, first.line, first.col))
        if claim is None:
            claim = Claim(
                id=cid,
                text=text,
                section=section.title if section else None,
                section_id=section.id if section else None,
                citations=[],
                line=first.line,
            )
            self.claims[cid] = claim
            markers[0].meta["claim_first"] = True
        for marker in markers:
            meta = marker.meta
            meta["claim_id"] = cid
            if meta["date"] > self.today:
                self.diags.error(
                    self.pos(meta),
                    f"cite marker date {meta['date']} lies in the future; "
                    "use the day the source was seen",
                    "cite-future-date",
                )
            try:
                base_url, quotes = split_url(meta["url"])
            except QuoteError as exc:
                self.diags.error(
                    self.pos(meta),
                    f"cite marker quote: {exc}; write #:~:text=start or #:~:text=start,end",
                    "cite-quote",
                )
                base_url, quotes = meta["url"], []
            source = self.source(base_url, "citation")
            meta["source_id"] = source.id
            self.edits.marker(meta["line"], meta["col"], marker.content, f"[^{meta['n']}]",
                              wrapped=bool(meta.get("wrapped")))  # fmt: skip
            claim.citations.append(
                Citation(
                    n=meta["n"],
                    url=meta["url"],
                    source_id=source.id,
                    date=meta["date"],
                    confidence=meta["confidence"],
                    line=self.pos(meta).line,
                    col=self.pos(meta).col,
                    # Decoded from percent-escapes: `%0A`, `%00` or `%1B` must not reach
                    # a page, a twin or a terminal.
                    quote=one_line(" / ".join(q.shown for q in quotes)) or None,
                    quote_key="&".join(q.key for q in quotes) or None,
                )
            )
            source.note(meta["date"], meta["confidence"])
            # A set beside the list: searching the list made 20,000 citations of one
            # source quadratic.
            claimed = self.source_claims.setdefault(source.id, set())
            if cid not in claimed:
                claimed.add(cid)
                source.claims.append(cid)

    def source(self, url: str, role: SourceRole) -> Source:
        normal = normalize_url(url)
        sid = source_id(normal)
        if sid not in self.sources:
            host = normal.split("/")[2]
            self.sources[sid] = Source(
                id=sid,
                url=url,
                normalized_url=normal,
                host=host,
                dates_cited=[],
                confidences=[],
                claims=[],
            )
        source = self.sources[sid]
        if role not in source.roles:
            source.roles.append(role)
        return source
