"""A problem in a table or model file, located in its YAML document: what the cost
core's loaders report and `content/` turns into positioned diagnostics."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Where (the YAML path, and for a formula the offset within it), what and which rule;
    `key`: the position is the key's at that path, not its value's."""

    loc: tuple[str | int, ...]
    message: str
    rule: str = "model"
    offset: int | None = None
    key: bool = False
