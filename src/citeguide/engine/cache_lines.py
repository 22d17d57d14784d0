"""The lines of a build cache entry after its head, read only when a build asks for them.

An entry file (`cache.py`) holds three JSON documents, one a line: the entry with the
fields of the other two left empty (its head, validated on every load), then the guide's
citations and the link records it looked up (`_Cited`), then its listing fragments
(`_Listed`). A load keeps the last two as bytes (`Late`); `fill` validates one and puts
its fields in place: the citations for `check`'s record, written while pagefind runs,
the listing fragments only when the listing pages are made again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from pydantic import TypeAdapter, ValidationError

from citeguide.engine.cache_files import ENTRY_DIR, Body, note
from citeguide.records import GuideResult, UseRow

if TYPE_CHECKING:
    from citeguide.engine.cache import Entry


@dataclass
class _Cited:
    """An entry file's second line: what `check`, and a change of link states, read."""

    uses: list[UseRow]
    link_keys: list[str] | None


@dataclass
class _Listed:
    """Its third line: what the listing pages are made from."""

    listing: tuple[str, str, str, str] | None
    """The listing's `index_entry`, `tag_entry`, `atom` and `index_row`."""


PARTS = ("cited", "listed")
"""The lines after an entry's head, in order."""


@dataclass
class Late:
    """An entry loaded with its head alone: the result made from the head, and each line
    after it not yet filled in (None once it is)."""

    result: GuideResult
    cited: Body | None
    listed: Body | None


def split(entry: Entry) -> tuple[Entry, _Cited, _Listed]:
    """The entry's head (a copy, the fields of its other lines empty) and those lines."""
    result, listing = entry.result, entry.result.listing
    cited = _Cited(result.uses, result.link_keys)
    if listing is None:
        blank, listed = None, _Listed(None)
    else:
        blank = replace(listing, index_entry="", tag_entry="", atom="", index_row="")
        listed = _Listed((listing.index_entry, listing.tag_entry, listing.atom, listing.index_row))
    head = replace(result, uses=[], link_keys=[], listing=blank)
    return replace(entry, result=head), cited, listed


class LateError(ValueError):
    """A line after a sealed entry's head is not what this citeguide writes."""


def fill(entry: Entry, late: Late, part: str) -> None:
    """Put the fields of one of the entry's lines after its head (`part`: "cited" or
    "listed") in place, once. Raises LateError when that line does not validate."""
    raw = getattr(late, part)
    if raw is None:
        return
    setattr(late, part, None)
    result = entry.result
    try:
        if part == "cited":
            cited = _cited_adapter().validate_json(bytes(raw))
            result.uses, result.link_keys = cited.uses, cited.link_keys
            return
        listed = _listed_adapter().validate_json(bytes(raw)).listing
    except (ValueError, RecursionError, ValidationError) as exc:
        raise LateError(f"its {part} line is not what this citeguide writes") from exc
    if (listed is None) != (result.listing is None):
        raise LateError("its listed line does not match its head")
    if result.listing is not None and listed is not None:
        index_entry, tag_entry, atom, index_row = listed
        result.listing = replace(result.listing, index_entry=index_entry,
                                 tag_entry=tag_entry, atom=atom, index_row=index_row)  # fmt: skip


def fill_all(
    late: dict[str, Late],
    entries: Iterable[Entry],
    part: str,
    redo: Callable[[Entry], GuideResult],
) -> list[str]:
    """`fill` that line of each of these entries that `late` holds; an entry whose line
    does not validate takes every field of its lines from its guide processed again
    (`redo`). Returns a note for each of those."""
    notes = []
    for entry in entries:
        held = late.get(entry.result.path)
        if held is None or held.result is not entry.result:
            continue  # processed since it was loaded
        try:
            fill(entry, held, part)
        except LateError as exc:
            redone = redo(entry)
            entry.result.uses, entry.result.link_keys = redone.uses, redone.link_keys
            entry.result.listing = redone.listing
            held.cited = held.listed = None
            notes.append(note(ENTRY_DIR, f"the build cache entry of {entry.result.path} "
                              f"could not be read in full ({exc}); the guide was processed "
                              "again"))  # fmt: skip
        if held.cited is None and held.listed is None:
            del late[entry.result.path]
    return notes


_USES_HEAD, _USES_END = b'{"uses":[', b'],"link_keys":'


def unread_uses(held: Late | None, result: GuideResult) -> bytes | None:
    """The JSON array of uses in the entry's "cited" line, as the line holds it, while
    that line is not filled in (`held` is what the load kept of the entry whose result is
    `result`); None once it is, or for a line of another shape. `check`'s record is
    written from these bytes (`cited.record`): validating 2,000 lines only to encode
    their rows again took 70-90 ms of each edit at 2,000 guides, while pagefind ran.

    The line is pydantic's compact JSON of `_Cited`, fields in order, inside an entry
    whose seal was checked when it was loaded; a `"` inside a string is escaped, so the
    first `],"link_keys":` closes the uses."""
    if held is None or held.result is not result or held.cited is None:
        return None
    line = bytes(held.cited)
    end = line.find(_USES_END)
    if not line.startswith(_USES_HEAD) or end < 0:
        return None
    return line[len(_USES_HEAD) - 1 : end + 1]


def lines_of(held: Late, cited: _Cited, listed: _Listed) -> tuple[bytes, bytes]:
    """An entry's lines after its head, to save: each as it was read when it was never
    filled in, else made from its fields."""
    return (
        bytes(held.cited) if held.cited is not None else _cited_adapter().dump_json(cited),
        bytes(held.listed) if held.listed is not None else _listed_adapter().dump_json(listed),
    )


@cache
def _cited_adapter() -> TypeAdapter[_Cited]:
    return TypeAdapter(_Cited)


@cache
def _listed_adapter() -> TypeAdapter[_Listed]:
    return TypeAdapter(_Listed)
