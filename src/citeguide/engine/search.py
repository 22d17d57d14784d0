"""The search index: pagefind, run in the background while a build writes its site.

The index holds the guide pages. A site of up to `PART_SIZE` guides is one part, its
bundle in `pagefind/`; a larger one is indexed in parts: each guide's page belongs to one
part by a hash of its slug, each part is its own pagefind bundle (`pagefind/` for the
first, `pagefind/parts/<k>/` for the others, listed in `pagefind/parts.json`, which is
empty for a site of one part), and the search box merges them in the browser
(pagefind's `mergeIndex`). The packaged theme marks the guide pages alone for search
(`data-pagefind-body`); a site whose own templates mark other pages too, or no page
(`search_page.marked_pages`), and a site without a published guide, are indexed whole:
pagefind reads the whole staged site once it is complete (`start_whole`), as it would
any site, on every build that writes.

A build indexes again only the parts holding a page it wrote or a guide that came or
went, and carries the others over: one edited guide costs one part, not the site. Which
part a guide is in depends on its slug and the number of parts alone, so an incremental
build writes the same bytes as a cold one. Parts are indexed two at a time (pagefind is
multi-threaded too), in the background, from the moment the build knows which parts to
index: before it writes the staged copy of the site, which it does meanwhile
(`start_parts`); the bundles are moved into the staged copy when they are complete
(`Background.finish`).

pagefind reads a part's pages from a folder of their search views
(`search_page.page_view`): each page without the subtrees marked `data-pagefind-ignore`
(the citation tooltips, the sources, the manifest: two thirds of a guide's page), which
pagefind parses and then drops. The index is byte for byte the one pagefind makes of the
pages themselves, laid out alike, in about half the time (docs/performance.md).
pagefind numbers the pages in the order its walk finds them: the views are laid out in
memory, listed in slug order (`scratch.lay_out`), so a part's index does not depend on
the order in which the disk's filesystem lists a folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from citeguide.engine import scratch

PART_SIZE = 128
"""Guides per part a site aims at: a site with more is indexed in parts."""
MAX_PARTS = 32
"""Each part is one more index the reader's browser loads and searches."""
BUNDLE = "pagefind"
PARTS_FILE = f"{BUNDLE}/parts.json"


class SearchIndexError(Exception):
    """pagefind failed; the message is what it printed."""


def _command() -> list[str]:
    """pagefind's binary, shipped inside its PyPI wheel (so no network is needed)."""
    try:
        # Imported here: 20 ms (-X importtime), and the command line imports this module
        # for every command; only a build with search runs pagefind.
        from pagefind_bin import get_executable  # type: ignore[import-untyped]

        return [str(get_executable())]
    except Exception:  # the wheel's own lookup failed: let the wrapper report it
        return [sys.executable, "-m", "pagefind"]


def _run(arguments: list[str]) -> None:
    try:
        proc = subprocess.run(
            [*_command(), *arguments, "--silent"], capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise SearchIndexError(str(exc)) from None
    if proc.returncode != 0:
        raise SearchIndexError(_told((proc.stderr or proc.stdout).strip()))


def _told(output: str) -> str:
    """pagefind's error, each line once (it printed its two lines twice), and what it
    means here when it found no page to index: a site's own templates that write pages
    without `<html>` and `<body>` (a `base.html` of one block, say)."""
    lines = list(dict.fromkeys(line.strip() for line in output.splitlines() if line.strip()))
    text = " ".join(lines) or "pagefind failed"
    if "not able to build an index" in text:
        text += (" (pagefind indexes HTML documents with <html> and <body>: if the site's "
                 "own templates write pages without them, make them do so, or set "
                 "`search = false` in citeguide.toml)")  # fmt: skip
    return text


def index_site(folder: Path) -> None:
    """Write `folder/pagefind/`: an index of every page marked `data-pagefind-body`."""
    _run(["--site", str(folder)])


def part_count(guides: int) -> int:
    """How many parts a site of `guides` guides is indexed in (a power of two)."""
    parts = 1
    while guides > parts * PART_SIZE and parts < MAX_PARTS:
        parts *= 2
    return parts


def part_of(slug: str, parts: int) -> int:
    return int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big") % parts


def bundle(part: int) -> str:
    """Where part `part`'s bundle lies, relative to the site root."""
    return BUNDLE if part == 0 else f"{BUNDLE}/parts/{part}"


@dataclass
class Plan:
    """Which parts a build indexes and which it carries over from the last site."""

    members: list[list[str]]
    """The guide slugs of each part, sorted."""
    redo: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    """A digest of each part's members: a part whose members changed is indexed again."""

    @property
    def parts(self) -> int:
        return len(self.members)


def plan(
    slugs: list[str], written: set[str], previous: list[str], intact: bool, *, whole: bool = False
) -> Plan:
    """The parts of a site whose guides are `slugs`: indexed again when the last build's
    site is not `intact`, when their members changed (`previous` keys) or when one of
    their pages is among the files `written` now. `whole`: one part, the whole site,
    indexed on every build (`start_whole`)."""
    if whole:
        key = "whole:" + hashlib.sha256("\0".join(sorted(slugs)).encode()).hexdigest()
        return Plan([sorted(slugs)], redo=[0], keys=[key])
    parts = part_count(len(slugs))
    while True:  # pagefind makes no bundle of nothing: fewer parts if one would be empty
        members: list[list[str]] = [[] for _ in range(parts)]
        for slug in sorted(slugs):
            members[part_of(slug, parts)].append(slug)
        if parts == 1 or all(members):
            break
        parts //= 2
    keys = [hashlib.sha256("\0".join(m).encode()).hexdigest() for m in members]
    found = Plan(members, keys=keys)
    for k, slugs_k in enumerate(members):
        same = intact and len(previous) == parts and previous[k] == keys[k]
        if not same or any(f"{s}/index.html" in written for s in slugs_k):
            found.redo.append(k)
    return found


def parts_file(found: Plan) -> bytes:
    """`pagefind/parts.json`: the bundles the search box merges into the first."""
    others = [f"{bundle(k)}/" for k in range(1, found.parts)]
    return (json.dumps(others) + "\n").encode()


def carried(target: Path, found: Plan) -> list[str]:
    """The files of `target` (the last site) that hold the parts not indexed again."""
    keep: list[str] = []
    for k in range(found.parts):
        if k in found.redo:
            continue
        top = target / bundle(k)
        for folder, dirs, files in os.walk(top):
            if k == 0:
                dirs[:] = [d for d in dirs if not (folder == str(top) and d == "parts")]
            rel = Path(folder).relative_to(target).as_posix()
            keep += [f"{rel}/{name}" for name in files if f"{rel}/{name}" != PARTS_FILE]
    return sorted(keep)


class Views(Protocol):
    """Where `start_parts` gets each page's search view."""

    def view(self, slug: str, page: Path) -> bytes:
        """The view of guide `slug`'s page: one this build writes, or else `page` (the
        page in the last site, carried over)."""
        ...

    def indexed(self, part: int) -> None:
        """Every view of part `part` was handed out and pagefind has indexed them."""
        ...

    def staged(self, staging: Path | None) -> None:
        """The staging folder is complete (None: the build failed before it was)."""
        ...

    def flush(self) -> None:
        """Finish what `indexed` left until the staging folder was complete."""
        ...


class Background:
    """The parts of a plan being indexed (`start_parts`), each into a bundle folder of
    its own, while the build writes its staging folder."""

    def __init__(self, found: Plan, out: Path, views: Views) -> None:
        self.found, self.out, self.views = found, out, views
        self.jobs: list[Future[None]] = []
        self.pool = ThreadPoolExecutor(max_workers=2)
        self.scratch: scratch.Scratch | None = None
        """Where the views are laid out for pagefind: in memory (`scratch.make`), or
        None for `out`, on the disk."""
        self.notes: list[str] = []
        """A note for each part whose views went to the disk for want of memory."""
        self._ended = False

    def finish(self, staging: Path) -> Callable[[], list[str]]:
        """`write_tree`'s `finalize`: the staging folder is written; returns the function
        that waits for the parts, moves their bundles into it and returns the files moved
        (raises SearchIndexError when one failed)."""
        self.views.staged(staging)
        self.jobs.append(self.pool.submit(self.views.flush))

        def wait() -> list[str]:
            moved: list[str] = []
            try:
                self._join()
                for k in self.found.redo:
                    moved += _move_tree(self.out / f"bundle-{k}", staging, bundle(k))
            finally:
                self._clear()
            return moved

        return wait

    def cancel(self) -> None:
        """The build failed before its staging folder was complete: wait for the parts,
        then remove what they wrote."""
        self.views.staged(None)
        try:
            with contextlib.suppress(Exception):  # the build's own failure is reported
                self._join()
        finally:
            self._clear()

    def _join(self) -> None:
        try:
            for job in self.jobs:
                job.result()
        finally:
            self.pool.shutdown(wait=True)

    def _clear(self) -> None:
        if not self._ended:
            self._ended = True
            shutil.rmtree(self.out, ignore_errors=True)
            if self.scratch is not None:
                self.scratch.close()


def start_parts(pages: Path, found: Plan, views: Views) -> Background:
    """Start indexing the parts of `found.redo` of a site in parts, two at a time, in the
    background (pagefind runs as its own processes), before the build writes its staging
    folder: pagefind reads each part's search views (`views`: the pages this build writes
    and, for the others, those of the last site `pages`, carried over unchanged) from a
    folder in memory (`scratch.make`; beside `pages` when there is none, or it is full)
    and writes its bundle in a folder beside `pages`; `Background.finish` moves the
    bundles into the staging folder once both are complete. The build writes its files
    and its records meanwhile."""
    # Named so that `writer.remove_stale` clears it after a build that was killed.
    out = Path(tempfile.mkdtemp(prefix=f".{pages.name}.search-{os.getpid()}.",
                                dir=pages.parent))  # fmt: skip
    running = Background(found, out, views)
    ready = [threading.Event() for _ in found.redo]

    def one(k: int, done: threading.Event) -> None:
        top = ""
        try:
            made = [(slug, views.view(slug, pages / slug / "index.html"))
                    for slug in found.members[k]]  # fmt: skip
            memory = running.scratch.path if running.scratch is not None else None
            top, place = scratch.lay_out(made, [memory, out], f"views-{k}")
            if memory is not None and place:
                running.notes.append(_on_disk(memory, k))
            done.set()
            _run(["--site", top, "--output-path", os.fspath(out / f"bundle-{k}")])
            if k > 0:  # here, in the background, not while the build waits for the parts
                _drop_interface(out / f"bundle-{k}")
            views.indexed(k)
        finally:
            done.set()
            if top:
                shutil.rmtree(top, ignore_errors=True)

    try:
        running.scratch = scratch.make()
        running.jobs = [running.pool.submit(one, k, done)
                        for k, done in zip(found.redo, ready, strict=True)]  # fmt: skip
        # The caller's own work would hold the interpreter while the first parts' views
        # are laid out, and pagefind, the longer task, would start later: it waits for
        # them (tens of milliseconds).
        for done in ready[:2]:
            done.wait()
    except BaseException:  # an interrupt while waiting, too: nothing is left behind
        running.cancel()
        raise
    return running


def _on_disk(memory: Path, part: int) -> str:
    return (f"{memory.parent}: note: the search views of part {part} could not be laid "
            "out in memory (no room); pagefind read them from the disk beside site/, and "
            "may number that part's pages in another order than a build in memory "
            "(docs/published-site.md)")  # fmt: skip


def start_whole(folder: Path) -> Callable[[], list[str]]:
    """Start indexing the complete staged site `folder` whole (`plan`'s `whole`), in the
    background; returns the function that waits for it and returns the files of the
    bundle, relative to `folder`."""
    pool = ThreadPoolExecutor(max_workers=1)
    job = pool.submit(index_site, folder)

    def wait() -> list[str]:
        try:
            job.result()
        finally:
            pool.shutdown(wait=True)
        top = os.fspath(folder)
        return [
            os.path.relpath(os.path.join(path, name), top).replace(os.sep, "/")
            for path, _, names in os.walk(os.path.join(top, BUNDLE))
            for name in names
        ]

    return wait


def _drop_interface(bundle: Path) -> None:
    """Remove from a part's bundle, other than the first, what pagefind writes for the
    browser besides the index: its scripts, styles and WebAssembly (about 650 KB). The
    search box loads them from the first part alone, and `mergeIndex` reads only the
    other parts' index files (`pagefind-entry.json`, the `.pf_meta`, `index/`,
    `fragment/`, `filter/`), using the first part's WebAssembly."""
    for entry in os.scandir(bundle):
        name = entry.name
        if entry.is_file(follow_symlinks=False) and (
            name.endswith((".js", ".css"))
            or (name.startswith("wasm.") and name.endswith(".pagefind"))
        ):
            os.unlink(entry.path)


def _move_tree(source: Path, staging: Path, rel: str) -> list[str]:
    """Move every file under `source` to the same place under `staging / rel` (which may
    already hold other files: the first part's bundle holds the other parts'); returns
    the files moved, relative to `staging`. A folder `staging` does not hold yet is moved
    whole (a part's bundle: one rename, not 150)."""
    top = os.fspath(staging)
    moved: list[str] = []

    def move(folder: str, below: str) -> None:
        there = os.path.join(top, below)
        if not os.path.lexists(there):
            os.makedirs(os.path.dirname(there), exist_ok=True)
            os.rename(folder, there)
            for inner, _, files in os.walk(there):
                at = os.path.relpath(inner, top).replace(os.sep, "/")
                moved.extend(f"{at}/{name}" for name in files)
            return
        with os.scandir(folder) as entries:
            found = sorted(entries, key=lambda entry: entry.name)
        for entry in found:
            if entry.is_dir(follow_symlinks=False):
                move(entry.path, os.path.join(below, entry.name))
            else:
                os.rename(entry.path, os.path.join(there, entry.name))
                moved.append(f"{below}/{entry.name}".replace(os.sep, "/"))

    move(os.fspath(source), os.path.normpath(rel))
    return moved


def read_page(path: Path) -> bytes:
    """A staged page: a regular file this build wrote or carried over (never a link)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise SearchIndexError(f"cannot read {path.name} for the search index: "
                               f"{exc.strerror}") from None  # fmt: skip
    with os.fdopen(fd, "rb") as handle:
        return handle.read()
