"""Turn an offset inside an inline token's content into a line and column of the source.

Inline tokens carry no line map of their own: markdown-it strips indentation, container
markers (`> `, list bullets) and table pipes before inline parsing. Every content line is
still a substring of its source line, so the column is recovered by finding it there.
"""

from __future__ import annotations

from markdown_it.token import Token


def inline_position(block: Token, offset: int, source_lines: list[str]) -> tuple[int, int]:
    """0-based (line, column) in the parsed source of `offset` within `block.content`."""
    content = block.content
    first_line = block.map[0] if block.map else 0
    line_in_block = content.count("\n", 0, offset)
    seg_start = content.rfind("\n", 0, offset) + 1
    seg_end = content.find("\n", offset)
    segment = content[seg_start : seg_end if seg_end >= 0 else len(content)]
    line = first_line + line_in_block
    original = source_lines[line] if line < len(source_lines) else ""
    # The suffix case (paragraphs, list items, quotes) puts the segment at the end of the
    # line, which rfind finds first; table cells are found wherever they are.
    start = original.rfind(segment) if segment else -1
    if start < 0:
        start = len(original) - len(original.lstrip())
    return line, start + (offset - seg_start)
