"""The one engine of `build`, `serve` and `lint`: a `Site` that knows what is stale.

A Site's outputs depend on two kinds of input, and it tracks each:

- **Site inputs** (`inputs.py`, listed once): `citeguide.toml`, the templates (the site's
  and the packaged ones), the bundled packs, the build date and citeguide's own code are
  hashed into one key (the entries key, `inputs.inputs_keys`); when it changes, every
  guide is stale, since calculations, number formats and templates reach every page. The
  site's own tables and models, and the link-state file, are site inputs too, but not in
  that key (see below).
- **Guides**: each guide's result (its pages and twins, its listing fragments, its
  diagnostics and its citations: a `GuideResult`) depends on its own text, the files it
  shows, the link records and the tables and models it looked up, and the keyed inputs.

`refresh` is the one place that decides which guides are stale, in this order:

1. **Entries key** (`_inputs`): changed, every entry is dropped.
2. **Link records, tables and models** (`_scan`): when the link-state file changed since
   the entries were made, a guide whose looked-up records (`cache.links_digest`) differ
   is processed again; when the site's tables or models did, a guide whose looked-up
   tables and models (`lookups.Names`) differ is. The others keep their entries.
3. **File stamps**: a guide whose (mtime, size) equals its entry's, older than the scan
   that made it by two seconds (git's racy-file rule), whose shown files hold the same bytes, is
   not even read. A file watcher's list of changed paths (`serve`) narrows this look.
4. **Hash**: a changed stamp with the same sha256 only updates the stamp; other bytes
   process the guide again.

The no-op record (`noop.py`) answers "nothing at all changed" from stamps before this
engine is loaded; the assembly (`assemble.py`) only asks whether a page on disk is
still the one its entry wrote. Everything across guides (listing pages, feeds, the
neighbours at the foot of each page, duplicate slugs, conflicting citations) is
recomputed from the entries, which is cheap. `build` keeps the Site in `build/`
(`cache.py`), `serve` in memory, `lint` and `check` run it without rendering and write
nothing. Modelled on Zola's `Site`, with Hugo's idea of tracking what each output was
made from.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from citeguide.config import SiteConfig
from citeguide.config_file import load_config
from citeguide.content.discover import GUIDES_DIR, discover_guides, read_guide
from citeguide.content.models import load_library
from citeguide.costcore.library import Library
from citeguide.diagnostics import Diagnostic, Diagnostics
from citeguide.engine import cache, cited
from citeguide.engine.cache import Entry
from citeguide.engine.cache_files import Ahead
from citeguide.engine.checks import cross_check, folder_problems
from citeguide.engine.inputs import ROOT_FOLDERS, file_digest, inputs_keys, links_key
from citeguide.engine.linkstate import read_links
from citeguide.engine.lookups import Names
from citeguide.engine.outcomes import BuildResult, Refresh
from citeguide.model import Links
from citeguide.records import Listing, Use, UseRow, uses_of
from citeguide.safeio import inside, named, read_bytes

Todo = tuple[str, str, tuple[int, int], str]
"""(path relative to the root, text, (mtime ns, size), sha256) of a guide to process."""


class Site:
    """A site root's guides, what each produced, and the inputs they were produced from."""

    def __init__(
        self,
        root: Path,
        *,
        today: date | None = None,
        drafts: bool = False,
        jobs: int | None = None,
        render: bool = True,
        editorial: bool = True,
        views: bool = False,  # the workers make each page's search view too (`build`)
    ) -> None:
        self.root, self.drafts, self.jobs = root, drafts, jobs
        self.today = today or date.today()
        self.render, self.editorial, self.views = render, editorial, views
        self.start_method: str | None = None
        """How worker processes start: `fork` where there is one (cheap), unless the
        caller has threads running (serve), where a forked child could inherit a held
        lock; then `forkserver` or `spawn`."""
        self.config = SiteConfig()
        """The defaults until a refresh loads `citeguide.toml` (and while it cannot)."""
        self.library = Library()
        self.links: Links = {}
        self.entries: dict[str, Entry] = {}
        self.inputs_key = ""
        """The site inputs (the site's tables and models included) the entries were last
        checked against: those of the last refresh."""
        self.entries_key = ""
        """The site inputs the entries were made from but the site's tables and models
        (`inputs.inputs_keys`), part by part in `_key_parts`."""
        self.loaded_key = ""
        """The site inputs `config` and `library` were loaded from."""
        self.complete = False
        """The entries describe exactly what `site/` holds (the last build succeeded)."""
        self.written_ns = 0
        """When the entries were last brought up to date: newer stamps are not trusted."""
        self.tree = ""
        """Digest of `site/` as the last build left it (`tree.digest`)."""
        self.notes: list[str] = []  # what the build cache said when loaded and saved
        self.search: list[str] = []
        """The search index parts `site/` holds (`search.Plan.keys`)."""
        self.around = ""
        """What the entries' neighbours fragments were made from (`assemble.Assembly`)."""
        self.shared = ""
        """What the files listing guides or depending on none were made from (`assemble`)."""
        self.shared_outputs: dict[str, tuple[int, int]] = {}
        """Those files → (size, mtime in ns) as the last build wrote them into `site/`."""
        self._kept: dict[str, cache.Kept] = {}
        self._late: dict[str, cache.Late] = {}
        """The entries loaded whose citations and link lookups, or listing fragments,
        are not read yet (`cache.fill`, `whole`)."""
        self._entries_links = ""
        """The link-state file (`inputs.links_key`) every entry was checked against."""
        self._links_loaded = ""
        self._link_diags = Diagnostics()
        self._known_key: tuple[str, str, dict[str, str]] | None = None
        self._key_parts: dict[str, str] = {}  # the entries key's, for the next build's note
        self._names: Names | None = None
        """The digests of the loaded library's tables and models (made when needed)."""
        self._input_diags = Diagnostics()
        self._folder_diags: list[Diagnostic] = []
        """Input folders that leave the site root (checked on every refresh)."""
        self._scan_diags = Diagnostics()
        """Guides that could not be read in the last refresh."""

    # ------------------------------------------------------------ persistence (build)

    def load_cache(self, ahead: Callable[[], Ahead | None] | None = None) -> None:
        """Take the entries of the last build from `build/`, if made from these inputs
        (`ahead`: gives those a child process read meanwhile, `cache_files.ReadAhead`)."""
        self._known_key = keys = inputs_keys(self.root, today=self.today)
        saved = cache.load(self.root, keys[1], drafts=self.drafts, ahead=ahead, parts=keys[2])
        self.entries, self.complete = saved.entries, saved.complete
        self.entries_key, self.written_ns, self.tree = keys[1], saved.written_ns, saved.tree
        self.inputs_key = saved.library
        self._entries_links, self._kept, self._late = saved.links, saved.kept, saved.late
        self.notes += saved.notes
        self.search, self.around = saved.search, saved.around
        self.shared, self.shared_outputs = saved.shared, saved.shared_outputs

    def save_cache(self, *, entries_only: bool = False) -> None:
        """Write the entries to `build/`, then the index (`entries_only`: the entries
        alone, `cache.save_entries`). Raises OSError when it cannot be written."""
        for entry in self.entries.values():
            entry.result.files, entry.result.view = {}, b""  # in site/ and the view store
        state = cache.BuildCache(
            self.entries_key, self.entries, self.complete, tree=self.tree,
            links=self._entries_links, drafts=self.drafts, kept=self._kept, search=self.search,
            around=self.around, shared=self.shared, shared_outputs=self.shared_outputs,
            library=self.inputs_key, late=self._late, parts=self._key_parts,
        )  # fmt: skip
        notes = (cache.save_entries if entries_only else cache.save)(self.root, state)
        self.notes += [n for n in notes if n not in self.notes]

    # ------------------------------------------------------------ bringing it up to date

    def _inputs(self) -> None:
        """Load configuration, tables and link states when they changed; a change of any
        site input but the link states and the site's tables and models makes every guide
        stale. Raises ConfigError."""
        # Hashed once per refresh; load_cache has just hashed them when it ran first.
        known = self._known_key or inputs_keys(self.root, today=self.today)
        key, entries_key, self._key_parts = known
        self._known_key = None
        self._folder_diags = folder_problems(self.root, ROOT_FOLDERS)
        links_now = links_key(self.root)
        if key != self.loaded_key:
            self.config = load_config(self.root)
            self._input_diags = Diagnostics()
            self.library = load_library(self.root, self.config, self._input_diags, self.today)
            self.loaded_key, self._links_loaded, self._names = key, "", None
        if links_now != self._links_loaded:
            self._link_diags = Diagnostics()
            dead_after = self.config.linkcheck.dead_after
            # `check` neither renders nor lints: it reads (and reports) the file itself.
            needed = self.render or self.editorial
            self.links = read_links(self.root, self._link_diags, dead_after) if needed else {}
            self._links_loaded = links_now
        if entries_key != self.entries_key:
            self.entries, self.complete, self.entries_key = {}, False, entries_key

    def refresh(self, changed: set[Path] | None = None) -> Refresh:
        """Process every guide that is new or stale since the entries were made.

        `changed` (paths a file watcher saw) limits the look to those guides; a change
        to any other input is caught by the inputs key. Raises ConfigError and
        jinja2.TemplateError (a template the workers cannot load).
        """
        self._inputs()
        diags = self._scan_diags = Diagnostics()
        only = None if changed is None else {p.resolve() for p in changed}
        started, (todo, removed) = time.time_ns(), self._scan(diags, only)  # stamps after
        processed = self._process(todo)
        for rel, entry in processed.items():
            old = self.entries.get(rel)
            if old is not None and old.result.slug == entry.result.slug:
                entry.fragment = old.fragment  # still right while `around` holds
        self.entries.update(processed)
        self._entries_links = self._links_loaded
        inputs_changed, self.inputs_key = self.inputs_key != self.loaded_key, self.loaded_key
        self.written_ns = started
        if processed or removed or inputs_changed:
            self.complete = False
        return Refresh(diags, processed, removed, inputs_changed)

    def _scan(self, diags: Diagnostics, only: set[Path] | None) -> tuple[list[Todo], set[str]]:
        """Guides to process, and guides whose file is gone (dropped from the entries)."""
        folder = self.root / GUIDES_DIR
        if not folder.is_dir():
            discover_guides(self.root, diags)  # the positioned "no guides folder" error
            removed = set(self.entries)
            self.entries = {}
            return [], removed
        prefix = GUIDES_DIR.as_posix()
        paths = {f"{prefix}/{e.name}": e for e in named(folder, ".md")}
        removed = set(self.entries) - set(paths)
        for rel in removed:
            del self.entries[rel]
        top = self.root.resolve()
        real = folder.resolve()  # where the watcher sees guides (content/guides may be a link)
        # The link states changed since the entries were made: a guide whose records
        # changed is processed again (`check` alone renders and lints nothing with them).
        relink = self._entries_links != self._links_loaded and (self.render or self.editorial)
        # The site's tables or models changed since the entries were checked: a guide that
        # looked up one that changed is processed again.
        relibrary = self.inputs_key != self.loaded_key
        checked = inside(self.root, folder)  # each guide is then read without resolving it
        todo: list[Todo] = []
        for rel, found in paths.items():
            entry = self.entries.get(rel)
            if entry is not None and (
                (relink and not self._links_unchanged(entry))
                or (relibrary and not self._library_unchanged(entry))
            ):
                entry = None  # read, hash and process it again
            elif entry is not None and only is not None and not _seen(only, top, real, rel):
                if not any(_seen(only, top, real, dep) for dep in entry.result.deps):
                    continue  # the watcher saw no change here
                todo.append(_reread(self.root, entry))  # an image or file it shows
                continue
            try:
                info = found.stat()
            except OSError:
                continue  # deleted since the folder was listed
            stamp = (info.st_mtime_ns, info.st_size)
            # Like git's racy-file rule: a stamp is trusted only if the file was last
            # changed well before the entry was made; a same-size edit in the same tick
            # is hashed again.
            if (
                entry is not None
                and entry.stamp == stamp
                and stamp[0] < self.written_ns - 2e9
                and self._deps_unchanged(entry)
            ):
                continue
            read = read_guide(rel, folder / found.name, diags, checked_folder=checked)
            if read is None:
                continue
            data, text = read
            digest = hashlib.sha256(data).hexdigest()
            if entry is not None and entry.digest == digest and self._deps_unchanged(entry):
                entry.stamp = stamp
            else:
                todo.append((rel, text, stamp, digest))
        return todo, removed

    def whole(self, entries: Iterable[Entry], part: str) -> None:
        """Read one line of what these entries' heads left out (`cache.fill_all`):
        "cited", their citations and the link records they looked up, or "listed", their
        listing fragments."""
        self.notes += cache.fill_all(self._late, entries, part, lambda e: self.redo(e).result)

    def _links_unchanged(self, entry: Entry) -> bool:
        """The link records the guide looked up are those it was processed with."""
        self.whole([entry], "cited")
        return cache.links_digest(self.links, entry.result.link_keys) == entry.links

    def _library_unchanged(self, entry: Entry) -> bool:
        """The tables and models the guide looked up hold what they held."""
        return self._library_digest(entry.result.library_keys) == entry.library

    def _library_digest(self, keys: list[str] | None) -> str:
        if self._names is None:
            self._names = Names(self.library)
        return self._names.slice_digest(keys)

    def _deps_unchanged(self, entry: Entry) -> bool:
        """The images and files the guide shows hold the bytes it was processed with."""
        return all(file_digest(self.root, dep) == d for dep, d in entry.result.deps.items())

    def _process(self, todo: list[Todo]) -> dict[str, Entry]:
        """Parse (and render) guides; across processes when there are enough of them."""
        if not todo:
            return {}
        # Imported here: the parser, the renderers and the lint rules take 0.44 to 0.46 s
        # to import (-X importtime), which `lint` and `check` never need when every guide
        # is in the build cache.
        from citeguide.engine import pipeline, workers

        context = pipeline.Context(
            self.root, self.config, self.library, self.links, self.today,
            render=self.render, editorial=self.editorial, inputs_key=self.loaded_key,
            search_views=self.views and self.render and self.config.search,
        )  # fmt: skip
        items = [(rel, text) for rel, text, _, _ in todo]
        jobs = self.jobs or os.cpu_count() or 1
        results = workers.process_all(context, items, jobs, self.start_method)
        made = {}
        # The library unchanged since the entries were checked: a guide that looked up
        # the same tables and models as before keeps its digest (a table of thousands of
        # rows takes 0.2 s to digest).
        same = self.inputs_key == self.loaded_key
        for (rel, _, stamp, digest), result in zip(todo, results, strict=True):
            links = cache.links_digest(self.links, result.link_keys)
            old = self.entries.get(rel)
            if same and old is not None and old.result.library_keys == result.library_keys:
                library = old.library
            else:
                library = self._library_digest(result.library_keys)
            made[rel] = Entry(stamp, digest, result, links=links, library=library)
        return made

    def redo(self, entry: Entry) -> Entry:
        """Process one guide again from its file (its outputs in `site/` were touched)."""
        return self._process([_reread(self.root, entry)])[entry.result.path]

    # ------------------------------------------------------------ what it says

    def input_problems(self) -> list[Diagnostic]:
        """Problems with the site inputs and with reading guides, from the last refresh."""
        return (self._folder_diags + self._input_diags.items + self._link_diags.items
                + self._scan_diags.items)  # fmt: skip

    def published(self) -> list[Entry]:
        """Entries in path order; drafts only when drafts are built."""
        return [e for _, e in sorted(self.entries.items()) if self.drafts or not e.result.draft]

    def diagnostics(self) -> Diagnostics:
        """Every problem: inputs, each published guide's own, and across guides."""
        diags = Diagnostics()
        diags.extend(self.input_problems())
        _guide_problems(self.published(), diags, editorial=self.editorial)
        if self.editorial:
            # Imported here: the lint rules add 90 ms (measured with -X importtime) to
            # every `check`, which runs none of them.
            from citeguide.lint.runner import lint_tables

            diags.extend(lint_tables(self.library.tables, self.config))
        return diags

    def cited_runs(self, entries: list[Entry]) -> list[tuple[str, list[UseRow]]]:
        """What `check` visits of these entries and the site's tables (`cited.use_runs`)."""
        self.whole(entries, "cited")
        return cited.use_runs([entry.result for entry in entries], self.library.tables)

    def cited_uses(self, entries: list[Entry]) -> list[Use]:
        """`cited_runs` as `Use` records."""
        days: dict[str, date] = {}
        return [use for path, rows in self.cited_runs(entries) for use in uses_of(path, rows, days)]

    def check_view(self) -> tuple[list[cited.Run], Diagnostics]:
        """What `check_site(drafts=True, editorial=False)`, the basis of `check`, would
        say of these entries: the cited URLs' uses (`cited_runs`) and the problems (no
        lint rule, no link state: `check` reads neither)."""
        everything = [entry for _, entry in sorted(self.entries.items())]
        diags = Diagnostics()
        diags.extend(self._folder_diags + self._input_diags.items + self._scan_diags.items)
        _guide_problems(everything, diags, editorial=False)
        raw = [cache.unread_uses(self._late.get(e.result.path), e.result) for e in everything]
        self.whole([e for e, line in zip(everything, raw, strict=True) if line is None], "cited")
        guides = [(e.result, line) for e, line in zip(everything, raw, strict=True)]
        return cited.record_runs(guides, self.library.tables), diags

    def listings(self) -> list[Listing]:
        """The published guides' listings, their fragments read (`whole`)."""
        published = self.published()
        self.whole(published, "listed")
        return [e.result.listing for e in published if e.result.listing is not None]

    def listing_heads(self) -> list[Listing]:
        """The published guides' listings as the build cache's heads hold them: slug,
        title, summary, dates, tags and counts, the fragments maybe not read."""
        return [e.result.listing for e in self.published() if e.result.listing is not None]


def _guide_problems(entries: list[Entry], diags: Diagnostics, *, editorial: bool) -> None:
    """Each guide's own problems (and lint findings when `editorial`), then those only
    visible across guides."""
    for entry in entries:
        diags.extend(entry.result.problems)
        if editorial:
            diags.extend(entry.result.findings)
    slugs = [(e.result.path, e.result.slug) for e in entries if e.result.slug]
    aliases = [(e.result.path, alias) for e in entries for alias in e.result.aliases]
    cross_check(slugs, diags, aliases)


def _seen(changed: set[Path], top: Path, guides: Path, rel: str) -> bool:
    """The watcher reported the file at `rel` (relative to the root `top`): where it is,
    where a symlinked guides folder really keeps it (`guides`), or what it links to."""
    path = top / rel
    inside = rel.removeprefix(f"{GUIDES_DIR.as_posix()}/")
    return (
        path in changed
        or (inside != rel and guides / inside in changed)
        or (path.is_symlink() and path.resolve() in changed)
    )


def _reread(root: Path, entry: Entry) -> Todo:
    text = read_bytes(root, root / entry.result.path).decode("utf-8")
    return entry.result.path, text, entry.stamp, entry.digest


def check_site(
    root: Path,
    *,
    today: date | None = None,
    drafts: bool = False,
    editorial: bool = True,
    jobs: int | None = None,
    use_cache: bool = True,
) -> BuildResult:
    """What `build` reports, without rendering or writing: the basis of `lint` and
    `check`. `editorial=False` skips the lint rules (parse errors are still reported):
    `check` only needs the cited URLs. Guides unchanged since the last build are taken
    from its cache (read, never written here). Raises ConfigError."""
    site = Site(root, today=today, drafts=drafts, jobs=jobs, render=False, editorial=editorial)
    if use_cache and not folder_problems(root, ("build",)):
        site.load_cache()
    site.refresh()
    published = site.published()
    return BuildResult(
        site.diagnostics(),
        checked=len(published),
        library=site.library,
        links=site.links,
        uses=site.cited_uses(published),
        notes=site.notes,
    )
