"""Turn an offset inside an inline token's content into a line and column of the source.

Inline tokens carry no line map of their own: markdown-it strips indentation, container
markers (`> `, list bullets) and table pipes before inline parsing. Every content line is
still a substring of its source line, so the column is recovered by finding it there.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from functools import lru_cache

from markdown_it.token import Token


class BlockPositions:
    """Offsets within one inline block's content → 0-based (line, column) of the source.

    Built once per block, so locating every marker of a paragraph costs one pass over the
    paragraph plus a bisection per marker (not a scan of the paragraph per marker).
    """

    def __init__(self, block: Token, source_lines: list[str], cell: int | None = None) -> None:
        self.cell = cell
        self.content = block.content
        self.first_line = block.map[0] if block.map else 0
        self.source_lines = source_lines
        self.line_starts = [0]
        at = self.content.find("\n")
        while at >= 0:
            self.line_starts.append(at + 1)
            at = self.content.find("\n", at + 1)
        self._columns: dict[int, int] = {}

    def _column_of_line(self, index: int) -> int:
        """Column in the source line where content line `index` begins."""
        column = self._columns.get(index)
        if column is None:
            start = self.line_starts[index]
            end = (
                self.line_starts[index + 1] - 1
                if index + 1 < len(self.line_starts)
                else len(self.content)
            )
            segment = self.content[start:end]
            line = self.first_line + index
            original = self.source_lines[line] if line < len(self.source_lines) else ""
            # The suffix case (paragraphs, list items, quotes) puts the segment at the end of
            # the line, which rfind finds first; table cells are found wherever they are.
            if self.cell is not None:
                # Identical cells in one row: search from this cell's own start.
                column = original.find(segment, _cell_start(original, self.cell))
            else:
                column = original.rfind(segment) if segment else -1
            if column < 0:
                column = len(original) - len(original.lstrip())
            self._columns[index] = column
        return column

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        column = self._column_of_line(index) + offset - self.line_starts[index]
        return self.first_line + index, column


def _cell_start(line: str, cell: int) -> int:
    """Column where the `cell`-th (0-based) cell of a table row starts."""
    pipes = _pipes(line)
    leading = bool(pipes) and not line[: pipes[0]].strip()
    index = cell if leading else cell - 1
    if index < 0 or not pipes:
        return 0
    return pipes[min(index, len(pipes) - 1)] + 1


@lru_cache(maxsize=16)
def _pipes(line: str) -> tuple[int, ...]:
    """Columns of the unescaped `|` of a table row; kept for the row's next cells (a row
    of thousands of cells asks once per cell)."""
    return tuple(i for i, c in enumerate(line) if c == "|" and (i == 0 or line[i - 1] != "\\"))


def inline_blocks(
    tokens: list[Token], source_lines: list[str]
) -> Iterator[tuple[Token, BlockPositions]]:
    """Every inline block with children, with its position finder (table cells aware)."""
    cell = -1
    for i, token in enumerate(tokens):
        if token.type == "tr_open":
            cell = -1
        elif token.type in ("td_open", "th_open"):
            cell += 1
        elif token.type == "inline" and token.children:
            in_cell = i > 0 and tokens[i - 1].type in ("td_open", "th_open")
            yield token, BlockPositions(token, source_lines, cell if in_cell else None)
