"""`build_site`: the Site from `build/`, refreshed, reported, written, saved.

Reads top to bottom. The no-op record (`noop.py`) may answer first; then the Site
(`incremental.py`) decides what is stale and processes it, the assembly (`assemble.py`,
destination `Disk`) makes the files, the writer swaps them in, and the Site and the no-op
record are saved for the next build.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from jinja2 import TemplateError

from citeguide.diagnostics import Diagnostics, SourcePos, as_rows
from citeguide.engine import cache, cited, noop, search, tree
from citeguide.engine.assemble import Assembly, Disk, Output, record_outputs
from citeguide.engine.cache_files import Ahead, ReadAhead
from citeguide.engine.checks import folder_problems, template_problem
from citeguide.engine.incremental import Site
from citeguide.engine.outcomes import BuildResult
from citeguide.engine.search_page import marked_pages
from citeguide.engine.search_views import ViewStore
from citeguide.engine.writer import write_tree
from citeguide.safeio import UnsafeFile

Stamps = noop.Stamped | None


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
    ahead: ReadAhead | None = None,
    stamps: list[Stamps] | None = None,
) -> BuildResult:
    """Build `root` into `out` (default `root/site`); nothing is written unless all is well.

    `shortcut=False` skips the no-op record (a caller that has just consulted it).
    `ahead`: a child process reading the build cache and the stamps of `root/site`
    since before the engine was imported (`cache_files.ReadAhead`); taken here.
    `stamps`: the inputs' stamps that caller took with the record (`noop.stamped`),
    before anything was read; the no-op record of this build keeps them.
    Raises ConfigError for a bad `citeguide.toml`.
    """
    target = out or root / "site"
    today = today or date.today()
    seen = stamps if stamps is not None else []
    if use_cache and shortcut:
        unchanged = _unchanged(root, target, today, drafts, strict, seen)
        if unchanged is not None:
            return unchanged
    if use_cache and not seen:
        seen.append(noop.stamped(root))  # before any input is read: see `noop.stamped`
    # Written by this build: a symlink out of the root is refused before anything is read.
    outputs = ("build", "site") if target == root / "site" else ("build",)
    problems = folder_problems(root, outputs)
    if problems:
        return BuildResult(Diagnostics(problems))
    site = Site(root, today=today, drafts=drafts, jobs=jobs, views=True)
    # What was read ahead, taken only when the cache is this build's (not on the first
    # build of a day, say: every guide is stale then), and read for its site/.
    taken: list[Ahead | None] = []

    def take() -> Ahead | None:
        taken.append(ahead.take() if ahead is not None else None)
        return taken[-1]

    if use_cache:
        site.load_cache(take if ahead is not None and out is None else None)
    if ahead is not None and not taken:
        ahead.close()  # stops the child: what it reads is of no use to this build
    read = taken[0] if taken else None
    if read is not None:
        read.entries.clear()  # validated now: the bytes (7 KB a guide) are not kept
    try:
        refresh = site.refresh()
    except TemplateError as exc:
        problems = [*site.input_problems(), template_problem(root, exc)]
        return BuildResult(Diagnostics(problems), notes=site.notes)
    diags = site.diagnostics()
    result = BuildResult(diags, pages=site.listing_heads(), library=site.library, links=site.links,
                         notes=site.notes, processed=len(refresh.processed))  # fmt: skip
    same = not (refresh.processed or refresh.removed or refresh.inputs_changed)
    if same and _intact(site, target):
        result.noop = not diags.has_errors(strict=strict)
        if use_cache and result.noop:
            _remember(site, target, diags, seen[0])
        return result
    if diags.has_errors(strict=strict):
        return result
    # site/ as the last build left it (the search index keeps its unchanged parts then).
    # Its stamps, taken once, are also those of every file carried over (`write_tree`).
    before = None
    if site.tree:
        before = read.site if read is not None else tree.files(os.fspath(target))
    kept = site.config.search and before is not None and tree.digest(before) == site.tree
    try:
        made = Assembly(Disk(target, untouched=kept)).assemble(site)
    except TemplateError as exc:
        diags.items.append(template_problem(root, exc))
        return BuildResult(diags, notes=site.notes)
    files, carry, views = made.files, made.carry, None
    finalize: Callable[[Path], Callable[[], list[str] | None] | None] | None = None
    background: search.Background | None = None
    noop.forget(root)  # site/ changes now: the stamps recorded before no longer hold
    meanwhile = partial(_meanwhile, site, made) if use_cache else None
    if site.config.search:
        # The parts of the search index whose guides and pages are unchanged are kept.
        slugs = [e.result.slug for e in site.published() if e.result.slug]
        # Indexed whole when the site's templates mark other pages than the guides, or
        # none; and without a guide (pagefind makes no index of nothing).
        marking = marked_pages(root)
        whole = marking is not None or not slugs
        parts = search.plan(slugs, set(files), site.search if kept else [], kept, whole=whole)
        files[search.PARTS_FILE] = search.parts_file(parts)
        carry = sorted([*carry, *search.carried(target, parts)])
        site.search = parts.keys
        if marking is not None and search.part_count(len(slugs)) > 1:
            site.notes.append(_whole_note(marking))
        if whole:
            views = ViewStore(root, 1, keep=use_cache)  # no views: only pruned
            finalize = search.start_whole
        elif parts.redo:
            # Started now, from the views of the pages written now and of those of the
            # last site carried over: pagefind runs while the staging folder is written.
            views = ViewStore(root, parts.parts, made.views, written=files, keep=use_cache)
            background = search.start_parts(target, parts, views)
            finalize = background.finish
    try:
        written = write_tree(target, files, finalize, carry=carry, trash=root / "build",
                             meanwhile=meanwhile, known=before)  # fmt: skip
    except BaseException:
        if background is not None:
            background.cancel()  # a no-op when write_tree got as far as waiting for it
        raise
    if views is not None:
        views.prune()
        site.notes += views.notes()
    if background is not None:
        site.notes += background.notes
    if meanwhile is None:
        record_outputs(target, site, made)
    site.complete = True
    site.tree = tree.digest(written) if written is not None else ""
    # Every file of site/: pagefind's bundles are written by pagefind, not listed here.
    result.files = len(written) if written is not None else len(files) + len(carry)
    if use_cache:
        try:
            site.save_cache()
            _remember(site, target, diags, seen[0], cited_done=True)
        except (OSError, UnsafeFile) as exc:
            # The cache only saves time: a build whose site/ is already swapped in has
            # succeeded even when build/ cannot be written.
            diags.warning(
                SourcePos(cache.INDEX_FILE.as_posix(), 1, 1),
                f"cannot save the build cache ({_reason(exc)}); the next build starts cold",
                "cache-not-saved",
            )
    return result


def _whole_note(template: str) -> str:
    return (f"{template}: note: the site's own templates mark other pages than the guides "
            "for search, or none (data-pagefind-body), so the search index is made of the "
            "whole site on every build, not in parts: one edit indexes every page "
            "(docs/configuration.md, Templates)")  # fmt: skip


def _intact(site: Site, target: Path) -> bool:
    """`target` holds exactly what the last build wrote, every file untouched since
    (not only the guides' pages: a deleted `feed.xml` or an edited `llms.txt` too)."""
    return site.complete and bool(site.tree) and noop.tree_digest(target) == site.tree


def _remember(
    site: Site,
    target: Path,
    diags: Diagnostics,
    stamps: Stamps,
    *,
    cited_done: bool = False,
) -> None:
    """Record stamps and report of a complete `site/` for the no-op shortcut, and (unless
    `cited_done`) what `check` needs of it (`cited.py`)."""
    report = {
        "pages": len(site.published()),
        "strict_ok": not diags.has_errors(strict=True),
        "diagnostics": as_rows(diags.items),
    }
    try:
        noop.record(root=site.root, target=target, today=site.today, drafts=site.drafts,
                    tree=site.tree, report=report, stamps=stamps)  # fmt: skip
    except OSError:
        noop.forget(site.root)
    if not cited_done:
        _record_cited(site)


def _meanwhile(site: Site, made: Output, staging: Path) -> None:
    """While pagefind indexes the staged site: what `check` needs of these guides (it
    depends on the guides and inputs, not on site/), and the build cache's entries, with
    the stamps of the files they wrote (renamed into site/ with the staging folder, they
    keep them). At 2,000 guides a cold build writes 2,000 entries: 1-2.5 s after the
    swap before, now while pagefind runs."""
    _record_cited(site)
    record_outputs(staging, site, made)
    with contextlib.suppress(OSError, UnsafeFile):
        site.save_cache(entries_only=True)  # else `save_cache` meets it again, and says so


def _record_cited(site: Site) -> None:
    """What `check` needs of this build, so that it need not load the engine."""
    runs, problems = site.check_view()
    guides = {rel: entry.digest for rel, entry in site.entries.items()}
    deps = {dep: d for entry in site.entries.values() for dep, d in entry.result.deps.items()}
    try:
        cited.record(site.root, today=site.today, key=site.inputs_key, guides=guides,
                     deps=deps, runs=runs, diagnostics=problems)  # fmt: skip
    except (OSError, UnsafeFile):
        cited.forget(site.root)  # `check` reads the guides instead


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnsafeFile):
        return exc.message
    return str(getattr(exc, "strerror", None) or exc)


def _unchanged(
    root: Path, target: Path, today: date, drafts: bool, strict: bool, seen: list[Stamps]
) -> BuildResult | None:
    """A no-op result from the recorded stamps, or None when the engine must look."""
    found = noop.cached_result(root, target, today=today, drafts=drafts, strict=strict,
                               seen=seen)  # fmt: skip
    if found is None:
        return None
    diags, pages = found
    return BuildResult(diags, checked=pages, noop=True)
