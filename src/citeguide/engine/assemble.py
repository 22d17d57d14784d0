"""Assembling a Site's files from its entries: one code path for disk and memory.

As with Zola's `BuildMode`, `build` and `serve` differ only in where the files go:

- `Disk(target)` (`build`): the files are written into a staging folder that replaces
  `target` (`writer.write_tree`). An entry taken from the build cache holds no bytes, its
  files being in `target`: untouched and showing the same neighbours, they are carried
  over (hard-linked); untouched but with other neighbours, the page is read back and
  filled again; touched by hand, the guide is processed again.
- `Memory()` (`serve`): every entry holds its files as bytes, and the site is a map.

Everything else is one code path: the files that depend on no guide, each page's
newer/older/related fragment, filling the page's slot with it, the listing pages. An
`Assembly` kept between calls (`serve`) renders again only what changed. The shared files
(listing pages and those that depend on no guide) are made from the site inputs and the
guides' listing fragments alone: while neither changed (an edit to a guide's body), a
build carries them over from `site/` instead of rendering them again.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from citeguide.engine import trust
from citeguide.engine.cache import Entry
from citeguide.engine.incremental import Site
from citeguide.render import neighbours
from citeguide.render.html import NEIGHBOURS_SLOT, shared_environment
from citeguide.render.listing import newest_first
from citeguide.render.site import listing_files, static_files
from citeguide.render.whatif import WHATIF_FILE, whatif_json
from citeguide.safeio import UnsafeFile, read_bytes


@dataclass
class Output:
    files: dict[str, bytes]
    """Path in the site → bytes, sorted by path."""
    carry: list[str] = field(default_factory=list)
    """Files of the target kept as they are (disk only), sorted."""
    written: list[Entry] = field(default_factory=list)
    """Entries whose files are written now (disk only: their stamps are recorded after)."""
    shared: list[str] = field(default_factory=list)
    """The shared files (listing pages, and files that depend on no guide), written now."""
    views: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    """Slug → (search view, neighbours fragment) of each page written now whose worker
    made its view (`GuideResult.view`); the fragment is filled in when pagefind reads the
    view, so that a cold build holds one copy of each view, not two."""


class Destination(Protocol):
    def place(self, site: Site, entry: Entry, page: str, fragment: str, out: Output) -> bool:
        """Put the guide's files into `out`; False when its page needs no filling."""
        ...

    def keep_shared(self, site: Site, key: str, out: Output) -> bool:
        """Carry the shared files made from `key` over into `out`; False when they must
        be made (and put into `out`) again."""
        ...


class Memory:
    """`serve`: every entry holds its files."""

    def place(self, site: Site, entry: Entry, page: str, fragment: str, out: Output) -> bool:
        out.files.update(entry.result.files)
        return True

    def keep_shared(self, site: Site, key: str, out: Output) -> bool:
        return False  # the Assembly keeps them, as bytes


class Disk:
    """`build`: a staging folder that replaces `target`, which holds the last build."""

    def __init__(self, target: Path, *, untouched: bool = False) -> None:
        """`untouched`: `target` is known to be exactly as the last build left it (its
        digest, `tree.digest`, is the one recorded), so every file a guide wrote is
        there unchanged, without a look at each."""
        self.target, self.untouched = target, untouched

    def place(self, site: Site, entry: Entry, page: str, fragment: str, out: Output) -> bool:
        intact = not entry.result.files and (
            (bool(entry.outputs) and self.untouched) or _intact(self.target, entry)
        )
        if entry.result.files:  # processed in this build
            out.files.update(entry.result.files)
            entry.outputs = dict.fromkeys(entry.result.files, (0, 0))
        elif intact and entry.neighbours == neighbours.digest(fragment):
            out.carry += entry.outputs
            return False
        elif intact and (kept := _kept_page(self.target, page, entry)) is not None:
            # Only the guides around it changed: fill its page in site/ again.
            out.files[page] = kept
            out.carry += [name for name in entry.outputs if name != page]
            entry.outputs[page] = (0, 0)
        else:  # someone touched site/: render this guide again
            redone = site.redo(entry)
            entry.result, entry.links = redone.result, redone.links
            entry.outputs = dict.fromkeys(redone.result.files, (0, 0))
            out.files.update(redone.result.files)
        entry.neighbours = neighbours.digest(fragment)
        out.written.append(entry)
        return True

    def keep_shared(self, site: Site, key: str, out: Output) -> bool:
        """Made from the same inputs and listing fragments as those in `target`, each
        file untouched since the last build wrote it: carried over."""
        if key != site.shared or not site.shared_outputs:
            return False
        top = os.fspath(self.target)
        try:
            same = all(
                _output_stamp(os.path.join(top, name)) == stamp
                for name, stamp in site.shared_outputs.items()
            )
        except OSError:
            return False
        if same:
            out.carry += site.shared_outputs
        return same


class Assembly:
    """Assembles a Site's files into one destination. Kept between calls it renders the
    files that depend on no guide once per set of site inputs, the neighbours fragments
    again only when the guides they name, their titles or shared tags changed, and fills
    a page again only when its bytes or its fragment changed."""

    def __init__(self, destination: Destination) -> None:
        self.destination = destination
        self._env: Any = None
        self._env_key = ""
        self._static: dict[str, bytes] = {}
        self._static_key = ""
        self._whatif_key: list[str] | None = None
        self._shared: dict[str, bytes] = {}
        self._shared_key = ""
        self._around: dict[str, str] = {}
        self._around_key: Any = None
        self._around_memo: dict[str, tuple[Any, Any]] = {}
        self._filled: dict[str, tuple[bytes, str, bytes]] = {}

    def assemble(self, site: Site) -> Output:
        """Every file of the site, or (on disk) those to write and those to carry over.
        Raises jinja2.TemplateError."""
        env, around = self._across(site)
        out = Output({})
        filled: dict[str, tuple[bytes, str, bytes]] = {}
        for entry in site.published():
            slug = entry.result.slug or ""
            page = f"{slug}/index.html"
            fragment = around.get(slug, "")
            if not self.destination.place(site, entry, page, fragment, out):
                continue
            raw = out.files.get(page)
            if raw is None:
                continue
            held = self._filled.get(page)
            if held is not None and held[0] is raw and held[1] == fragment:
                out.files[page] = held[2]
            else:
                out.files[page] = neighbours.fill(raw, fragment)
            filled[page] = (raw, fragment, out.files[page])
            view, entry.result.view = entry.result.view, b""  # held once, not twice
            if view and NEIGHBOURS_SLOT.encode() in view:
                out.views[slug] = (view, fragment)
        self._filled = filled
        # What the shared files are made from besides the site inputs (templates,
        # configuration, tables: `loaded_key`): each guide's listing fragments, by the
        # digest made with them (a repr of 2,000 listings takes 30 ms).
        listed = [e.result.listed for e in site.published() if e.result.listing is not None]
        # `whatif.json` holds the models the published guides use (and those they call).
        used = sorted({name for e in site.published() for name in e.result.models})
        key = trust.fingerprint(repr((site.loaded_key, listed, used)).encode())
        if not self.destination.keep_shared(site, key, out):
            shared = self._shared_files(site, env, key, used)
            out.files.update(shared)
            out.shared = sorted(shared)
        site.shared = key
        out.files = dict(sorted(out.files.items()))
        out.carry.sort()
        return out

    def _across(self, site: Site) -> tuple[Any, dict[str, str]]:
        """The template environment (and the files that depend on no guide), and each
        page's newer/older/related fragment by slug (made from the listings' heads:
        slugs, titles, dates and tags)."""
        if self._env is None or self._env_key != site.loaded_key:
            self._env = shared_environment(site.root, site.loaded_key)
            self._env_key = site.loaded_key
            self._around_key, self._filled, self._around_memo = None, {}, {}
        listings = site.listing_heads()
        around_key = tuple(
            (g.slug, g.title, g.updated, g.published, g.tags) for g in newest_first(listings)
        )
        digest = trust.fingerprint(repr(around_key).encode())
        published = site.published()
        if digest == site.around and all(e.fragment for e in published if e.result.listing):
            # Built before from the same guides' slugs, titles, dates and tags: the
            # fragments the entries hold are still right (the ranking alone takes seconds).
            self._around = {e.result.slug or "": e.fragment for e in published}
            self._around_key = around_key
        elif around_key != self._around_key:
            self._around = neighbours.fragments(self._env, listings, site.config,
                                                self._around_memo)  # fmt: skip
            self._around_key = around_key
        site.around = digest
        for entry in published:
            entry.fragment = self._around.get(entry.result.slug or "", "")
        return self._env, self._around

    def _shared_files(self, site: Site, env: Any, key: str, used: list[str]) -> dict[str, bytes]:
        """The listing pages, the files that depend on no guide and the what-if models
        (the models `used` by the published guides), made from `key`."""
        if key != self._shared_key:
            if self._static_key != site.loaded_key:
                self._static = static_files(site.root, env, site.config)
                self._static_key, self._whatif_key = site.loaded_key, None
            if self._whatif_key != used:
                self._static[WHATIF_FILE] = whatif_json(site.library, site.config, used)
                self._whatif_key = used
            listings = site.listings()  # their fragments read now, and only now
            self._shared = {**self._static, **listing_files(env, listings, site.config)}
            self._shared_key = key
        return self._shared


def _output_stamp(path: str) -> tuple[int, int]:
    # lstat: a file swapped for a symlink (to /dev/zero, out of the root) never matches.
    info = os.lstat(path)
    return info.st_size, info.st_mtime_ns if stat.S_ISREG(info.st_mode) else -1


def record_outputs(target: Path, site: Site, made: Output) -> None:
    """Remember size and modification time of each new page and shared file, to spot
    later hand edits."""
    top = os.fspath(target)
    for entry in made.written:
        entry.outputs = {n: _output_stamp(os.path.join(top, n)) for n in entry.outputs}
    if made.shared:
        site.shared_outputs = {n: _output_stamp(os.path.join(top, n)) for n in made.shared}


def _intact(target: Path, entry: Entry) -> bool:
    """Every file this guide wrote is still in `site/`, untouched since."""
    if not entry.outputs:
        return False
    top = os.fspath(target)
    try:
        return all(_output_stamp(os.path.join(top, n)) == s for n, s in entry.outputs.items())
    except OSError:
        return False


def _kept_page(target: Path, page: str, entry: Entry) -> bytes | None:
    """A page of `site/` as the last build wrote it (its recorded size at most), or None."""
    try:
        return read_bytes(target, target / page, entry.outputs[page][0])
    except (UnsafeFile, KeyError):
        return None
