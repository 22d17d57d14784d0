"""Which of the site's tables and models a guide looked up, and whether they changed.

A change to `content/data/` or `content/models/` made every guide stale: at 2,000
guides, editing one row of a table no guide reads was an 18.5 s cold build. Now the
worker hands the parser a `Library` whose tables, models and failed models note each
name looked up (`tracked`), as the link records are (`Looked`, in `pipeline`), and
the build cache keeps, with each guide, a digest of what it looked up (`slice_digest`).
When the site's tables or models change, a guide is processed again only if one of
those, as loaded now, differs from what it saw (`Names`), a name it asked for and did
not find included.

What makes this sound:

- A name is one table (`t:`, with where each of its rows is defined), one model (`m:`,
  its compiled form, which holds what it was compiled from: a model checked against a
  table's columns changes when they do), or one model that failed (`f:`, the reason).
- Iterating a mapping, or asking its size, is looking at all of it (`*`): such a guide
  depends on every table and model (a "did you mean" among all the models' names, say).
- The library's results are memoised across guides (`Library.memo`): a guide that
  reuses another's result looks nothing up. Each memoised result keeps the names read
  while it was computed, and whoever uses it is charged with them (`_Memo`); a result
  stored without a computation seen from its start depends on everything.
- A model's compiled form is digested by walking it (`_canonical`), sets sorted, not by
  `repr`, whose set order changes with Python's hash seed; a value that only `repr` can
  show, and shows with its address, stands for the whole library.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from citeguide.costcore.library import Library

WHOLE = "*"
"""Looked at as a whole: every table and model matters."""


class Lookups:
    """The names one guide's processing looked up (`keys`), in the order they were."""

    def __init__(self) -> None:
        self.log: list[str] = []

    def reset(self) -> None:
        self.log = []

    def touch(self, name: str) -> None:
        self.log.append(name)

    def keys(self) -> list[str] | None:
        """The names looked up, sorted; None when the whole library was."""
        names = set(self.log)
        return None if WHOLE in names else sorted(names)


class Looked(dict[Any, Any]):
    """A mapping that notes in `lookups` each name looked up in it (`prefix` + the key):
    the library's tables and models here, the link records in `pipeline`.
    `emptiness_is_whole=False`: asking whether it is empty looks at no name (`links or
    {}`)."""

    def __init__(
        self,
        items: dict[Any, Any],
        lookups: Lookups,
        prefix: str,
        *,
        emptiness_is_whole: bool = True,
    ) -> None:
        super().__init__(items)
        self.lookups, self.prefix = lookups, prefix
        self.emptiness_is_whole = emptiness_is_whole

    def _name(self, key: Any) -> str:
        # The rows' origins are keyed by (table, row id): the table is what is looked up.
        return self.prefix + str(key[0] if isinstance(key, tuple) else key)

    def get(self, key: Any, default: Any = None) -> Any:
        self.lookups.touch(self._name(key))
        return super().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        self.lookups.touch(self._name(key))
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.lookups.touch(self._name(key))
        return super().__contains__(key)

    def __iter__(self) -> Iterator[Any]:
        self.lookups.touch(WHOLE)
        return super().__iter__()

    def __len__(self) -> int:
        self.lookups.touch(WHOLE)
        return super().__len__()

    def __bool__(self) -> bool:
        if self.emptiness_is_whole:
            self.lookups.touch(WHOLE)
        return super().__len__() > 0

    def keys(self) -> Any:
        self.lookups.touch(WHOLE)
        return super().keys()

    def values(self) -> Any:
        self.lookups.touch(WHOLE)
        return super().values()

    def items(self) -> Any:
        self.lookups.touch(WHOLE)
        return super().items()


class _Memo(dict[Any, Any]):
    """The library's memo: each result keeps the names read while it was computed (from
    the miss that led to it: `key not in memo`), and reading it charges them again."""

    def __init__(self, lookups: Lookups) -> None:
        super().__init__()
        self.lookups = lookups
        self.reads: dict[Any, tuple[str, ...]] = {}
        self._started: dict[Any, int] = {}

    def _charge(self, key: Any) -> None:
        for name in self.reads.get(key, (WHOLE,)):
            self.lookups.touch(name)

    def __contains__(self, key: object) -> bool:
        found = super().__contains__(key)
        if found:
            self._charge(key)
        else:
            self._started[key] = len(self.lookups.log)
        return found

    def __getitem__(self, key: Any) -> Any:
        value = super().__getitem__(key)
        self._charge(key)
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        return self[key] if key in self else default  # noqa: SIM401 (a miss is noted)

    def __setitem__(self, key: Any, value: Any) -> None:
        start = self._started.pop(key, None)
        # Stored without a miss seen first: what it was computed from is unknown.
        self.reads[key] = (WHOLE,) if start is None else tuple(set(self.lookups.log[start:]))
        super().__setitem__(key, value)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        # A nested memo (`quiet-calls`) keeps its results' reads in the same way.
        if not super().__contains__(key):
            super().__setitem__(key, _Memo(self.lookups) if isinstance(default, dict) else default)
            self.reads[key] = ()
        return super().__getitem__(key)

    def clear(self) -> None:
        super().clear()
        self.reads.clear()
        self._started.clear()


def tracked(library: Library, lookups: Lookups) -> Library:
    """`library` with its tables, the rows' origins, models and failed models noting each
    name looked up in `lookups`, and a memo of its own whose results carry their reads."""
    tables = dataclasses.replace(
        library.tables,
        tables=Looked(library.tables.tables, lookups, "t:"),
        origins=Looked(library.tables.origins, lookups, "t:"),
        unreadable=Looked(library.tables.unreadable, lookups, "t:"),
        broken=Looked(library.tables.broken, lookups, "t:"),
    )
    return dataclasses.replace(
        library,
        models=Looked(library.models, lookups, "m:"),
        failed=Looked(library.failed, lookups, "f:"),
        unreadable=Looked(library.unreadable, lookups, "u:"),
        tables=tables,
        memo=_Memo(lookups),
    )


class Names:
    """The digest of each table, model and failed model of a library, by name (`t:`,
    `m:`, `f:`), each made when first asked for: one edit digests the few its guide
    looked up, not the whole library."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._digests: dict[str, str] = {}
        self._origins: dict[str, list[Any]] | None = None
        self._whole = ""

    def digest(self, key: str) -> str:
        """The digest of what the name `key` holds now; "-" when the library has none."""
        found = self._digests.get(key)
        if found is None:
            found = self._digests[key] = self._make(key)
        return found

    def _make(self, key: str) -> str:
        kind, _, name = key.partition(":")
        library = self.library
        tables = library.tables
        if kind == "t" and (name in tables.tables or name in tables.unreadable
                            or any(of == name for of, _ in tables.broken)):  # fmt: skip
            if self._origins is None:
                self._origins = {}
                for (of, row), where in tables.origins.items():
                    self._origins.setdefault(of, []).append((row, where))
            broken = sorted(row for of, row in tables.broken if of == name)
            return _digest((tables.tables.get(name), sorted(self._origins.get(name, [])),
                            tables.unreadable.get(name), broken))  # fmt: skip
        if kind == "m" and name in library.models:
            return _digest(library.models[name])
        if kind == "f" and name in library.failed:
            return _digest(library.failed[name])
        if kind == "u" and name in library.unreadable:
            return "unreadable"
        return "-"

    @property
    def digests(self) -> dict[str, str]:
        """Every name's digest."""
        library = self.library
        keys = [f"t:{n}" for n in {*library.tables.tables, *library.tables.unreadable,
                                    *(of for of, _ in library.tables.broken)}]  # fmt: skip
        keys += [f"m:{n}" for n in library.models]
        keys += [f"f:{n}" for n in library.failed]
        keys += [f"u:{n}" for n in library.unreadable]
        return {key: self.digest(key) for key in keys}

    @property
    def whole(self) -> str:
        """A digest of the whole library."""
        if not self._whole:
            self._whole = _digest(sorted(self.digests.items()))
        return self._whole

    def slice_digest(self, keys: list[str] | None) -> str:
        """A digest of what the names `keys` hold now (absent ones included); of the
        whole library when None."""
        if keys is None:
            return self.whole
        return _digest([(key, self.digest(key)) for key in keys])


class _Unstable(Exception):
    """A value without a stable form (shown only by a `repr` with an address)."""


def _digest(value: Any) -> str:
    out: list[str] = []
    try:
        _canonical(value, out, set())
    except (_Unstable, RecursionError):
        return "unstable"  # never equal to a digest made of a stable form
    return hashlib.sha256("\0".join(out).encode("utf-8", "surrogatepass")).hexdigest()


_PLAIN = (str, int, float, bool, Decimal, Fraction, date, bytes, type(None))


def _canonical(value: Any, out: list[str], path: set[int]) -> None:
    """Append a form of `value` that depends on its contents alone: dataclasses and
    pydantic models by field (every field), mappings by item in their order, sets
    sorted."""
    if isinstance(value, _PLAIN):
        out.append(f"{type(value).__name__}:{value!r}")
        return
    if isinstance(value, Enum):
        out.append(f"{type(value).__name__}.{value.name}")
        return
    if id(value) in path:
        out.append("<cycle>")
        return
    path.add(id(value))
    try:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            out.append(f"({type(value).__name__}")
            for field in dataclasses.fields(value):
                out.append(field.name)
                _canonical(getattr(value, field.name), out, path)
            out.append(")")
        elif hasattr(value, "model_fields") and not isinstance(value, type):
            out.append(f"({type(value).__name__}")
            for name in type(value).model_fields:
                out.append(name)
                _canonical(getattr(value, name), out, path)
            out.append(")")
        elif isinstance(value, dict):  # in its order: a table's columns are shown in it
            out.append("{")
            for key, item in value.items():
                _canonical(key, out, path)
                _canonical(item, out, path)
            out.append("}")
        elif isinstance(value, (set, frozenset)):  # in no order: sorted
            members = []
            for member in value:
                part: list[str] = []
                _canonical(member, part, path)
                members.append("\1".join(part))
            out.append("<" + "\2".join(sorted(members)) + ">")
        elif isinstance(value, (list, tuple)):
            out.append("[")
            for item in value:
                _canonical(item, out, path)
            out.append("]")
        else:
            shown = repr(value)
            if " at 0x" in shown:
                raise _Unstable(shown)
            out.append(f"{type(value).__name__}:{shown}")
    finally:
        path.discard(id(value))
