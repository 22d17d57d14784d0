"""The one engine of `build`, `serve` and `lint`: a `Site` that knows what is stale.

A Site's outputs depend on two kinds of input, and it tracks each:

- **Site inputs**: `citeguide.toml`, the templates (the site's and the packaged ones), the
  data tables, the link-state file, the build date, the drafts flag and citeguide's own
  code. They are hashed into one key (`cache.inputs_key`); when it changes, every guide is
  stale, since calculations, number formats, link badges and templates reach every page.
- **Guides**: each guide's result (its pages and twins, its listing fragments, its
  diagnostics and its citations: a `GuideResult`) depends on its own text and on the site
  inputs only. A guide is processed again when its bytes change (stat first, hash when
  the stat changed, as git does), and only then.

Everything across guides (listing pages, feeds, the neighbours at the foot of each page,
duplicate slugs, conflicting citations) is recomputed from the per-guide results, which is
cheap. `build` keeps the Site in `build/` (`cache.py`, data-only JSON) and writes the new
files next to hard links of the unchanged ones; `serve` keeps it in memory; `lint` runs it
without rendering and writes nothing. Modelled on Zola's `Site`, rebuilt partially by
`serve`, with Hugo's idea of tracking what each output was made from.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import signal
import stat
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from citeguide.config import SiteConfig, load_config
from citeguide.content.discover import GUIDES_DIR, discover_guides, read_guide
from citeguide.content.models import load_library
from citeguide.costcore.models import Library
from citeguide.diagnostics import Diagnostic, Diagnostics, Severity, SourcePos
from citeguide.engine import cache, trust
from citeguide.engine.cache import Entry
from citeguide.linkcheck.collect import Use
from citeguide.linkcheck.state import STATE_FILE, StateError, load_state
from citeguide.model import RESERVED_SLUGS, LinkInfo, Links
from citeguide.records import Listing
from citeguide.safeio import UnsafeFile, check_folder, inside, read_bytes

if TYPE_CHECKING:  # the pipeline imports the parser and renderers: only when processing
    from citeguide.engine.pipeline import Context

Todo = tuple[str, str, tuple[int, int], str]
"""(path relative to the root, text, (mtime ns, size), sha256) of a guide to process."""


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    checked: int = 0
    """Guides looked at (lint)."""
    pages: list[Listing] = field(default_factory=list)
    """What build_site published, one summary per guide."""
    library: Library = field(default_factory=Library)
    links: Links = field(default_factory=dict)
    uses: list[list[Use]] = field(default_factory=list)
    """Every published guide's citations: what `check` visits."""
    files: int = 0
    noop: bool = False
    """Nothing changed since the last build: site/ was left as it was."""
    notes: list[str] = field(default_factory=list)
    """One line each: a build cache that was discarded and why, an entry not kept."""

    @property
    def ok(self) -> bool:
        return self.files > 0 or (self.noop and not self.diagnostics.errors)


@dataclass
class Refresh:
    """What one `Site.refresh` found and did."""

    diagnostics: Diagnostics
    processed: dict[str, Entry]
    """Guides parsed (and rendered) in this refresh, by path."""
    removed: set[str]
    """Guides whose file is gone."""


def read_links(root: Path, diags: Diagnostics, dead_after: int = 3) -> Links:
    """The link-check state file as link info per normalised URL (empty when absent)."""
    try:
        state = load_state(root)
    except StateError as exc:
        diags.error(SourcePos(STATE_FILE, exc.line, exc.col), exc.message, exc.rule)
        return {}
    return {
        key: LinkInfo(
            status=rec.status,
            http_status=rec.http_status,
            checked_at=rec.last_checked,
            final_url=rec.final_url,
            archive_url=rec.archive_url,
            dead_checks=rec.dead_checks,
            dead_after=dead_after,
            title=rec.title,
            quotes=rec.quotes,
        )
        for key, rec in state.links.items()
    }


def cross_check(
    slugs: Iterable[tuple[str, str]],
    diags: Diagnostics,
    aliases: Iterable[tuple[str, tuple[str, int, int]]] = (),
) -> None:
    """Problems only visible across guides: two guides (path, slug) publishing to one slug,
    an alias (path, (target, line, col)) taking a page that something else publishes."""
    owners: dict[str, str] = {}
    for path, slug in slugs:
        if slug in owners:
            diags.error(
                SourcePos(path, 1, 1),
                f"slug {slug!r} is already used by {owners[slug]}",
                "slug-duplicate",
            )
        else:
            owners[slug] = path
    taken: dict[str, str] = {}
    for path, (target, line, col) in aliases:
        top = target.split("/")[0]
        if top in owners:
            clash = f"the guide {owners[top]} publishes {top}/"
        elif top in RESERVED_SLUGS or target in ("index.html", "404.html"):
            clash = "the site's own pages use it"
        elif target in taken:
            clash = f"{taken[target]} has the same alias"
        else:
            taken[target] = path
            continue
        diags.error(
            SourcePos(path, line, col),
            f"alias {target.removesuffix('index.html') or '/'} cannot redirect here: {clash}",
            "alias-conflict",
        )


def template_problem(root: Path, exc: Exception) -> Diagnostic:
    """A broken template (a site's override) as a positioned error instead of a traceback."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    try:
        # Resolve the folder, not the file: a symlinked file is reported where it stands.
        path = Path(name)
        rel = (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = str(name)
    line = getattr(exc, "lineno", None) or 1
    rule = getattr(exc, "rule", None)
    if rule is not None:  # a theme file refused by the safe reader
        return Diagnostic(SourcePos(rel, line, 1), Severity.ERROR, str(exc), rule)
    return Diagnostic(SourcePos(rel, line, 1), Severity.ERROR, f"template error: {exc}", "template")


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
        keep_files: bool = False,
    ) -> None:
        self.root, self.drafts, self.jobs = root, drafts, jobs
        self.today = today or date.today()
        self.render, self.editorial, self.keep_files = render, editorial, keep_files
        self.start_method: str | None = None
        """How worker processes start: `fork` where there is one (cheap), unless the
        caller has threads running (serve), where a forked child could inherit a held
        lock; then `forkserver` or `spawn`."""
        self.config: SiteConfig | None = None
        self.library = Library()
        self.links: Links = {}
        self.entries: dict[str, Entry] = {}
        self.inputs_key = ""
        """The site inputs the entries were made from."""
        self.complete = False
        """The entries describe exactly what `site/` holds (the last build succeeded)."""
        self.written_ns = 0
        """When the entries were last brought up to date: stamps newer than this are not
        trusted (a same-size edit in the same clock tick is hashed again)."""
        self.tree = ""
        """Digest of `site/` as the last build left it (`noop.tree_digest`)."""
        self.notes: list[str] = []
        """What the build cache said when loaded and saved (see `cache.load`)."""
        self.search: list[str] = []
        """The search index parts `site/` holds (`search.Plan.keys`)."""
        self.around = ""
        """What the entries' neighbours fragments were made from (`_around_digest`)."""
        self._kept: dict[str, cache.Kept] = {}
        self._entries_links = ""
        """The link-state file (`cache.links_key`) every entry was checked against."""
        self._links_loaded = ""
        self._link_diags = Diagnostics()
        self._loaded = ""
        self._known_key = ""
        self._input_diags = Diagnostics()
        self._folder_diags: list[Diagnostic] = []
        """Input folders that leave the site root (checked on every refresh)."""
        self._scan_diags = Diagnostics()
        """Guides that could not be read in the last refresh."""
        # What `files()` keeps between calls (serve): see there.
        self._env: Any = None
        self._env_key = ""
        self._static: dict[str, bytes] = {}
        self._around: dict[str, str] = {}
        self._around_key: Any = None
        self._around_memo: dict[str, tuple[Any, Any]] = {}
        self._filled: dict[str, tuple[bytes, str, bytes]] = {}

    # ------------------------------------------------------------ persistence (build)

    def load_cache(self) -> None:
        """Take the entries of the last build from `build/`, if made from these inputs."""
        key = self._known_key = cache.inputs_key(self.root, today=self.today)
        saved = cache.load(self.root, key, drafts=self.drafts)
        self.entries, self.complete = saved.entries, saved.complete
        self.inputs_key, self.written_ns, self.tree = key, saved.written_ns, saved.tree
        self._entries_links, self._kept = saved.links, saved.kept
        self.notes += saved.notes
        self.search, self.around = saved.search, saved.around

    def save_cache(self) -> None:
        """Write the entries to `build/` (raises OSError when it cannot be written)."""
        for entry in self.entries.values():
            entry.result.files = {}  # their bytes live in site/
        state = cache.BuildCache(
            self.inputs_key, self.entries, self.complete, tree=self.tree,
            links=self._entries_links, drafts=self.drafts, kept=self._kept, search=self.search,
            around=self.around,
        )  # fmt: skip
        self.notes += cache.save(self.root, state)

    # ------------------------------------------------------------ bringing it up to date

    def _inputs(self) -> None:
        """Load configuration, tables and link states when they changed; a change of any
        site input but the link states makes every guide stale. Raises ConfigError."""
        # Hashed once per refresh; load_cache has just hashed them when it ran first.
        key = self._known_key or cache.inputs_key(self.root, today=self.today)
        self._known_key = ""
        self._folder_diags = folder_problems(self.root, INPUT_FOLDERS)
        links_key = cache.links_key(self.root)
        if key != self._loaded:
            self.config = load_config(self.root)
            self._input_diags = Diagnostics()
            self.library = load_library(self.root, self.config, self._input_diags)
            self._loaded, self._links_loaded = key, ""
        if links_key != self._links_loaded:
            assert self.config is not None
            self._link_diags = Diagnostics()
            dead_after = self.config.linkcheck.dead_after
            # `check` neither renders nor lints: it reads (and reports) the file itself.
            needed = self.render or self.editorial
            self.links = read_links(self.root, self._link_diags, dead_after) if needed else {}
            self._links_loaded = links_key
        if key != self.inputs_key:
            self.entries, self.complete, self.inputs_key = {}, False, key

    def refresh(self, changed: set[Path] | None = None) -> Refresh:
        """Process every guide that is new or changed since the entries were made.

        `changed` (paths a file watcher saw) limits the look to those guides; a change
        to any other input is caught by the inputs key. Raises ConfigError and
        jinja2.TemplateError (a template the workers cannot load).
        """
        self._inputs()
        diags = self._scan_diags = Diagnostics()
        only = None if changed is None else {p.resolve() for p in changed}
        todo, removed = self._scan(diags, only)
        processed = self._process(todo)
        for rel, entry in processed.items():
            old = self.entries.get(rel)
            if old is not None and old.result.slug == entry.result.slug:
                entry.fragment = old.fragment  # still right while `around` holds
        self.entries.update(processed)
        self._entries_links = self._links_loaded
        self.written_ns = time.time_ns()
        if processed or removed:
            self.complete = False
        return Refresh(diags, processed, removed)

    def _scan(self, diags: Diagnostics, only: set[Path] | None) -> tuple[list[Todo], set[str]]:
        """Guides to process, and guides whose file is gone (dropped from the entries)."""
        folder = self.root / GUIDES_DIR
        if not folder.is_dir():
            discover_guides(self.root, diags)  # the positioned "no guides folder" error
            removed = set(self.entries)
            self.entries = {}
            return [], removed
        prefix = GUIDES_DIR.as_posix()
        paths = {f"{prefix}/{p.name}": p for p in sorted(folder.glob("*.md"))}
        removed = set(self.entries) - set(paths)
        for rel in removed:
            del self.entries[rel]
        top = self.root.resolve()
        real = folder.resolve()  # where the watcher sees guides (content/guides may be a link)
        # The link states changed since the entries were made: a guide whose records
        # changed is processed again (`check` alone renders and lints nothing with them).
        relink = self._entries_links != self._links_loaded and (self.render or self.editorial)
        checked = inside(self.root, folder)  # each guide is then read without resolving it
        todo: list[Todo] = []
        for rel, path in paths.items():
            entry = self.entries.get(rel)
            if relink and entry is not None and not self._links_unchanged(entry):
                entry = None  # read, hash and process it again
            elif entry is not None and only is not None and not _seen(only, top, real, rel):
                if not any(_seen(only, top, real, dep) for dep in entry.result.deps):
                    continue  # the watcher saw no change here
                todo.append(_reread(self.root, entry))  # an image or file it shows
                continue
            try:
                info = path.stat()
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
            read = read_guide(rel, path, diags, checked_folder=checked)
            if read is None:
                continue
            data, text = read
            digest = hashlib.sha256(data).hexdigest()
            if entry is not None and entry.digest == digest and self._deps_unchanged(entry):
                entry.stamp = stamp
            else:
                todo.append((rel, text, stamp, digest))
        return todo, removed

    def _links_unchanged(self, entry: Entry) -> bool:
        """The link records the guide looked up are those it was processed with."""
        return cache.links_digest(self.links, entry.result.link_keys) == entry.links

    def _deps_unchanged(self, entry: Entry) -> bool:
        """The images and files the guide shows hold the bytes it was processed with."""
        if not entry.result.deps:
            return True
        from citeguide.engine.pipeline import file_digest

        return all(file_digest(self.root, dep) == d for dep, d in entry.result.deps.items())

    def _context(self) -> Context:
        from citeguide.engine.pipeline import Context

        assert self.config is not None
        return Context(
            self.root, self.config, self.library, self.links, self.today,
            render=self.render, editorial=self.editorial, inputs_key=self._loaded,
        )  # fmt: skip

    def _process(self, todo: list[Todo]) -> dict[str, Entry]:
        """Parse (and render) guides; across processes when there are enough of them."""
        if not todo:
            return {}
        from citeguide.engine.pipeline import init_worker, process_guide

        context = self._context()
        jobs = self.jobs or os.cpu_count() or 1
        items = [(rel, text) for rel, text, _, _ in todo]
        if jobs > 1 and len(items) >= 4 * jobs:
            methods = multiprocessing.get_all_start_methods()
            method = self.start_method or ("fork" if "fork" in methods else None)
            with ProcessPoolExecutor(
                max_workers=jobs,
                mp_context=multiprocessing.get_context(method),
                initializer=_init_worker,
                # A forkserver's workers are its children, not ours: no parent check.
                initargs=(context, 0 if method == "forkserver" else os.getpid()),
            ) as pool:
                results = list(pool.map(process_guide, items, chunksize=8))
        else:
            init_worker(context)
            results = [process_guide(item) for item in items]
        made = {}
        for (rel, _, stamp, digest), result in zip(todo, results, strict=True):
            links = cache.links_digest(self.links, result.link_keys)
            made[rel] = Entry(stamp, digest, result, links=links)
        return made

    # ------------------------------------------------------------ what it says and makes

    def input_problems(self) -> list[Diagnostic]:
        """Problems with the site inputs and with reading guides, from the last refresh."""
        return (self._folder_diags + self._input_diags.items + self._link_diags.items
                + self._scan_diags.items)  # fmt: skip

    def published(self) -> list[Entry]:
        """Entries in path order; drafts only when drafts are built."""
        return [e for _, e in sorted(self.entries.items()) if self.drafts or not e.result.draft]

    def diagnostics(self) -> Diagnostics:
        """Every problem: inputs, each published guide's own, and across guides."""
        assert self.config is not None
        diags = Diagnostics()
        diags.extend(self.input_problems())
        published = self.published()
        for entry in published:
            diags.extend(entry.result.problems)
            if self.editorial:
                diags.extend(entry.result.findings)
        cross_check(
            [(e.result.path, e.result.slug) for e in published if e.result.slug],
            diags,
            [(e.result.path, alias) for e in published for alias in e.result.aliases],
        )
        if self.editorial:
            from citeguide.lint.run import lint_uses

            diags.extend(lint_uses([e.result.uses for e in published], self.library.tables,
                                   self.config))  # fmt: skip
        return diags

    def listings(self) -> list[Listing]:
        return [e.result.listing for e in self.published() if e.result.listing is not None]

    def _across(self) -> tuple[Any, dict[str, bytes], list[Listing], dict[str, str]]:
        """What every guide's outputs are assembled with: the template environment and
        the files that depend on no guide (rendered once per set of site inputs), the
        listings, and each page's newer/older/related fragment (rendered again only when
        the guides it names, their titles or the shared tags changed)."""
        from citeguide.render import neighbours
        from citeguide.render.html import shared_environment
        from citeguide.render.listing import newest_first
        from citeguide.render.site import static_files
        from citeguide.render.whatif import WHATIF_FILE, whatif_json

        assert self.config is not None
        if self._env is None or self._env_key != self._loaded:
            self._env, self._env_key = shared_environment(self.root, self._loaded), self._loaded
            self._static = static_files(self.root, self._env, self.config)
            self._static[WHATIF_FILE] = whatif_json(self.library, self.config)
            self._around_key, self._filled, self._around_memo = None, {}, {}
        listings = self.listings()
        around_key = tuple(
            (g.slug, g.title, g.updated, g.published, g.tags) for g in newest_first(listings)
        )
        digest = trust.fingerprint(repr(around_key).encode())
        published = self.published()
        if digest == self.around and all(e.fragment for e in published if e.result.listing):
            # Built before from the same guides' slugs, titles, dates and tags: the
            # fragments the entries hold are still right (the ranking alone takes seconds).
            self._around = {e.result.slug or "": e.fragment for e in published}
            self._around_key = around_key
        elif around_key != self._around_key:
            self._around = neighbours.fragments(self._env, listings, self.config, self._around_memo)
            self._around_key = around_key
        self.around = digest
        for entry in published:
            entry.fragment = self._around.get(entry.result.slug or "", "")
        return self._env, dict(self._static), listings, self._around

    def files(self) -> dict[str, bytes]:
        """Every file of the site, in memory (`serve`, with `keep_files`); a page is
        filled again only when its bytes or its fragment changed."""
        from citeguide.render import neighbours
        from citeguide.render.site import listing_files

        assert self.config is not None
        env, files, listings, around = self._across()
        filled: dict[str, tuple[bytes, str, bytes]] = {}
        for entry in self.published():
            files.update(entry.result.files)
            page = f"{entry.result.slug}/index.html"
            raw = files.get(page)
            if raw is None:
                continue
            fragment = around.get(entry.result.slug or "", "")
            held = self._filled.get(page)
            if held is not None and held[0] is raw and held[1] == fragment:
                files[page] = held[2]
            else:
                files[page] = neighbours.fill(raw, fragment)
            filled[page] = (raw, fragment, files[page])
        self._filled = filled
        files.update(listing_files(env, listings, self.config))
        return dict(sorted(files.items()))

    def assemble(self, target: Path) -> tuple[dict[str, bytes], list[str], list[Entry]]:
        """Files to write, unchanged pages of `target` to carry over, and the entries whose
        outputs are written now (their stamps are recorded after the write)."""
        from citeguide.render import neighbours
        from citeguide.render.site import listing_files

        assert self.config is not None
        env, files, listings, around = self._across()
        carry: list[str] = []
        written: list[Entry] = []
        for entry in self.published():
            page = f"{entry.result.slug}/index.html"
            fragment = around.get(entry.result.slug or "", "")
            intact = not entry.result.files and _intact(target, entry)
            if entry.result.files:  # processed in this build
                files.update(entry.result.files)
                entry.outputs = dict.fromkeys(entry.result.files, (0, 0))
            elif intact and entry.neighbours == neighbours.digest(fragment):
                carry += entry.outputs
                continue
            elif intact and (kept := _kept_page(target, page, entry)) is not None:
                # Only the guides around it changed: fill its page in site/ again.
                files[page] = kept
                carry += [name for name in entry.outputs if name != page]
                entry.outputs[page] = (0, 0)
            else:  # someone touched site/: render this guide again
                redone = self._process([_reread(self.root, entry)])[entry.result.path]
                entry.result, entry.links = redone.result, redone.links
                entry.outputs = dict.fromkeys(redone.result.files, (0, 0))
                files.update(redone.result.files)
            if page in files:
                files[page] = neighbours.fill(files[page], fragment)
            entry.neighbours = neighbours.digest(fragment)
            written.append(entry)
        files.update(listing_files(env, listings, self.config))
        return dict(sorted(files.items())), sorted(carry), written

    def intact(self, target: Path) -> bool:
        """`target` holds exactly what the last build wrote, every file untouched since
        (not only the guides' pages: a deleted `feed.xml` or an edited `llms.txt` too)."""
        from citeguide.engine.noop import tree_digest

        return self.complete and bool(self.tree) and tree_digest(target) == self.tree


def _init_worker(context: Context, parent: int) -> None:
    """A worker dies with the build that started it (kill -9, a CI timeout's SIGTERM)."""
    from citeguide.engine.pipeline import init_worker

    die_with_parent(parent)
    init_worker(context)


def die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent exits (prctl PR_SET_PDEATHSIG);
    exit at once if the parent (`parent`, unless 0) is already gone."""
    if sys.platform == "linux":
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if parent and os.getppid() != parent:
        os._exit(1)


def _output_stamp(path: str) -> tuple[int, int]:
    # lstat: a file swapped for a symlink (to /dev/zero, out of the root) never matches.
    info = os.lstat(path)
    return info.st_size, info.st_mtime_ns if stat.S_ISREG(info.st_mode) else -1


def record_outputs(target: Path, entries: Iterable[Entry]) -> None:
    """Remember size and modification time of each new page, to spot later hand edits."""
    top = os.fspath(target)
    for entry in entries:
        entry.outputs = {n: _output_stamp(os.path.join(top, n)) for n in entry.outputs}


def _intact(target: Path, entry: Entry) -> bool:
    """Every file this guide wrote is still in `site/`, untouched since."""
    if not entry.outputs:
        return False
    top = os.fspath(target)
    try:
        return all(_output_stamp(os.path.join(top, n)) == s for n, s in entry.outputs.items())
    except OSError:
        return False


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


def _kept_page(target: Path, page: str, entry: Entry) -> bytes | None:
    """A page of `site/` as the last build wrote it (its recorded size at most), or None."""
    try:
        return read_bytes(target, target / page, entry.outputs[page][0])
    except (UnsafeFile, KeyError):
        return None


def _reread(root: Path, entry: Entry) -> Todo:
    path = root / entry.result.path
    text = read_bytes(root, path).decode("utf-8")
    return entry.result.path, text, entry.stamp, entry.digest


INPUT_FOLDERS = ("templates", "content", "content/guides", "content/data", "content/models")
"""Folders the engine reads: a symlink taking one out of the site root is an error."""


def folder_problems(root: Path, names: Iterable[str]) -> list[Diagnostic]:
    """A positioned error for each folder of the site root (`templates`, `build`, ...) that
    is a symlink leaving it; folders below one already reported are not repeated."""
    problems: list[Diagnostic] = []
    failed: list[str] = []
    for name in names:
        if any(name.startswith(f"{bad}/") for bad in failed):
            continue
        try:
            check_folder(root, root / name)
        except UnsafeFile as exc:
            problems.append(
                Diagnostic(SourcePos(name, 1, 1), Severity.ERROR, exc.message, exc.rule)
            )
            failed.append(name)
    return problems


# ---------------------------------------------------------------- the three commands' calls


def check_site(
    root: Path,
    config: SiteConfig | None = None,
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
        uses=[e.result.uses for e in published],
        notes=site.notes,
    )


def build_site(
    root: Path,
    *,
    strict: bool = False,
    drafts: bool = False,
    today: date | None = None,
    out: Path | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    shortcut: bool = True,
) -> BuildResult:
    """Build `root` into `out` (default `root/site`); nothing is written unless all is well.

    `shortcut=False` skips the no-op record (a caller that has just consulted it).

    Reads top to bottom: the Site from `build/`, refresh what is stale (in parallel),
    report, then write what changed and save the Site. Raises ConfigError for a bad
    `citeguide.toml`.
    """
    from jinja2 import TemplateError

    from citeguide.engine import noop, search
    from citeguide.engine.writer import write_tree

    target = out or root / "site"
    today = today or date.today()
    if use_cache and shortcut:
        unchanged = _unchanged(root, target, today, drafts, strict)
        if unchanged is not None:
            return unchanged
    # Written by this build: a symlink out of the root is refused before anything is read.
    outputs = ("build", "site") if target == root / "site" else ("build",)
    problems = folder_problems(root, outputs)
    if problems:
        return BuildResult(Diagnostics(problems))
    site = Site(root, today=today, drafts=drafts, jobs=jobs)
    if use_cache:
        site.load_cache()
    try:
        refresh = site.refresh()
    except TemplateError as exc:
        problems = [*site.input_problems(), template_problem(root, exc)]
        return BuildResult(Diagnostics(problems), notes=site.notes)
    assert site.config is not None
    diags = site.diagnostics()
    result = BuildResult(diags, pages=site.listings(), library=site.library, links=site.links,
                         notes=site.notes)  # fmt: skip
    if not refresh.processed and not refresh.removed and site.intact(target):
        result.noop = not diags.has_errors(strict=strict)
        if use_cache and result.noop:
            _remember(site, target, diags)
        return result
    if diags.has_errors(strict=strict):
        return result
    try:
        files, carry, written = site.assemble(target)
    except TemplateError as exc:
        diags.items.append(template_problem(root, exc))
        return BuildResult(diags, notes=site.notes)
    finalize = None
    if site.config.search:
        # The parts of the search index whose guides and pages are unchanged are kept.
        kept = bool(site.tree) and noop.tree_digest(target) == site.tree
        slugs = [e.result.slug for e in site.published() if e.result.slug]
        parts = search.plan(slugs, set(files), site.search if kept else [], kept)
        files[search.PARTS_FILE] = search.parts_file(parts)
        carry = sorted([*carry, *search.carried(target, parts)])
        site.search = parts.keys
        finalize = partial(search.index_parts, found=parts)
    noop.forget(root)  # site/ changes now: the stamps recorded before no longer hold
    write_tree(target, files, finalize, carry=carry, trash=root / "build")
    result.files = len(files) + len(carry)
    record_outputs(target, written)
    site.complete = True
    site.tree = noop.tree_digest(target) or ""
    if use_cache:
        try:
            site.save_cache()
            _remember(site, target, diags)
        except (OSError, UnsafeFile) as exc:
            # The cache only saves time: a build whose site/ is already swapped in has
            # succeeded even when build/ cannot be written.
            diags.warning(
                SourcePos(cache.INDEX_FILE.as_posix(), 1, 1),
                f"cannot save the build cache ({_reason(exc)}); the next build starts cold",
                "cache-not-saved",
            )
    return result


def _remember(site: Site, target: Path, diags: Diagnostics) -> None:
    """Record stamps and report of a complete `site/` for the no-op shortcut."""
    from citeguide.engine import noop

    report = {
        "pages": len(site.published()),
        "strict_ok": not diags.has_errors(strict=True),
        "diagnostics": [
            [d.pos.path, d.pos.line, d.pos.col, d.severity.value, d.message, d.rule]
            for d in diags.items
        ],
    }
    try:
        noop.record(root=site.root, target=target, today=site.today, drafts=site.drafts,
                    tree=site.tree, report=report)  # fmt: skip
    except OSError:
        noop.forget(site.root)


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnsafeFile):
        return exc.message
    return str(getattr(exc, "strerror", None) or exc)


def _unchanged(
    root: Path, target: Path, today: date, drafts: bool, strict: bool
) -> BuildResult | None:
    """A no-op result from the recorded stamps, or None when the engine must look."""
    from citeguide.engine import noop

    found = noop.cached_result(root, target, today=today, drafts=drafts, strict=strict)
    if found is None:
        return None
    diags, pages = found
    return BuildResult(diags, checked=pages, noop=True)
