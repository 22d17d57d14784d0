"""`build_site()`: discover, parse everything, cross-check, render, then write atomically."""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from citeguide import buildcache
from citeguide.config import SiteConfig, load_config
from citeguide.content.discover import (
    GUIDES_DIR,
    SourceFile,
    discover_guides,
    read_guide,
)
from citeguide.content.tables import load_tables
from citeguide.costcore.tables import Tables
from citeguide.diagnostics import Diagnostic, Diagnostics, Severity, SourcePos
from citeguide.linkcheck.state import STATE_FILE, StateError, load_state
from citeguide.lint import lint, lint_uses
from citeguide.model import Guide, LinkInfo, Links
from citeguide.records import Listing
from citeguide.search_index import index_site
from citeguide.writer import write_tree

if TYPE_CHECKING:
    from citeguide.pipeline import Context


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    guides: list[Guide] = field(default_factory=list)
    """Parsed guides (check_site)."""
    pages: list[Listing] = field(default_factory=list)
    """What build_site published, one summary per guide."""
    tables: Tables = field(default_factory=Tables)
    links: Links = field(default_factory=dict)
    files: int = 0
    noop: bool = False
    """Nothing changed since the last build: site/ was left as it was."""

    @property
    def ok(self) -> bool:
        return self.files > 0 or (self.noop and not self.diagnostics.errors)


def parse_all(
    files: list[SourceFile],
    tables: Tables,
    diags: Diagnostics,
    *,
    today: date,
    drafts: bool,
    locale: str,
) -> list[Guide]:
    """Parse every guide; drafts are dropped (with their problems) unless `drafts`."""
    from citeguide.content.parse import parse_guide

    guides = []
    for file in files:
        guide, problems = parse_guide(
            file.path, file.text, today=today, tables=tables, locale=locale
        )
        if guide is not None and guide.meta.draft and not drafts:
            continue
        diags.extend(problems.items)
        if guide is not None:
            guides.append(guide)
    return guides


def cross_check(slugs: Iterable[tuple[str, str]], diags: Diagnostics) -> None:
    """Problems only visible across guides: two guides (path, slug) publishing to one slug."""
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


def check_site(
    root: Path,
    config: SiteConfig,
    *,
    today: date | None = None,
    drafts: bool = False,
    editorial: bool = True,
) -> BuildResult:
    """Everything `build` checks, without writing: the basis of `lint` and `build`.

    `editorial=False` skips the lint rules (parse errors are still reported): `check`
    only needs the cited URLs."""
    today = today or date.today()
    diags = Diagnostics()
    links = read_links(root, diags, config.linkcheck.dead_after)
    tables = load_tables(root, diags)
    files = discover_guides(root, diags)
    guides = parse_all(files, tables, diags, today=today, drafts=drafts, locale=config.locale)
    cross_check([(g.path, g.slug) for g in guides], diags)
    if editorial:
        diags.extend(lint(guides, tables, links, config, today))
    return BuildResult(diags, guides, tables=tables, links=links)


def build_site(
    root: Path,
    *,
    strict: bool = False,
    drafts: bool = False,
    today: date | None = None,
    out: Path | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
) -> BuildResult:
    """Build `root` into `out` (default `root/site`); nothing is written unless all is well.

    Reads top to bottom: inputs, cache, scan, parse and render what changed (in parallel),
    cross-check, then write. Raises ConfigError for a bad `citeguide.toml`.
    """
    config = load_config(root)
    today = today or date.today()
    target = out or root / "site"
    diags = Diagnostics()
    links = read_links(root, diags, config.linkcheck.dead_after)
    tables = load_tables(root, diags)
    key = buildcache.inputs_key(root, today=today, drafts=drafts)
    cache = buildcache.load(root, key) if use_cache else buildcache.BuildCache(key)
    reused, todo = _scan(root, cache, diags)
    unchanged = not todo and cache.complete and set(reused) == set(cache.entries)
    if unchanged and _outputs_intact(target, _published(reused, drafts), config):
        result = _finish(diags, reused, tables, config, drafts, strict, files=0, noop=True)
        result.noop = not result.diagnostics.has_errors(strict=strict)
        return result
    from jinja2 import TemplateError

    from citeguide.pipeline import Context

    context = Context(root, config, tables, links, today)
    try:
        fresh = _process(context, todo, jobs)
        entries = {**reused, **fresh}
        result = _finish(diags, entries, tables, config, drafts, strict, files=0, noop=False)
        if not result.diagnostics.has_errors(strict=strict):
            files, carry = _assemble(root, target, config, entries, fresh, drafts, context)
            finalize = index_site if config.search else None
            write_tree(target, files, finalize, carry=carry, trash=root / "build")
            result.files = len(files) + len(carry)
            _record_outputs(target, fresh.values())
            cache.entries, cache.complete = entries, True
    except TemplateError as exc:
        diags.items.append(template_problem(root, exc))
        return BuildResult(diags)
    # After a failed build only what the last good build wrote is kept: the guides parsed
    # now have no pages in site/, so the next build must process them again.
    for entry in fresh.values():
        entry.result.files = {}  # their bytes now live in site/
    if use_cache:
        try:
            buildcache.save(root, cache)
        except OSError as exc:
            # The cache only saves time: a build whose site/ is already swapped in has
            # succeeded even when build/ cannot be written.
            result.diagnostics.warning(
                SourcePos(buildcache.CACHE_FILE.as_posix(), 1, 1),
                f"cannot save the build cache ({exc.strerror or exc}); the next build starts cold",
                "cache-not-saved",
            )
    return result


def _scan(
    root: Path, cache: buildcache.BuildCache, diags: Diagnostics
) -> tuple[dict[str, buildcache.Entry], list[tuple[str, str, tuple[int, int], str]]]:
    """Split the guides into cache hits and (path, text, stamp, digest) to process."""
    folder = root / GUIDES_DIR
    if not folder.is_dir():
        discover_guides(root, diags)  # the positioned "no guides folder" error
        return {}, []
    reused: dict[str, buildcache.Entry] = {}
    todo = []
    for path in sorted(folder.glob("*.md")):
        rel = path.relative_to(root).as_posix()
        try:
            info = path.stat()
        except OSError:
            continue  # deleted since the folder was listed
        stamp = (info.st_mtime_ns, info.st_size)
        entry = cache.entries.get(rel)
        # Like git's racy-file rule: a stamp is trusted only if the file was last changed
        # well before the cache was written; a same-size edit in the same tick is re-hashed.
        if entry is not None and entry.stamp == stamp and stamp[0] < cache.written_ns - 2e9:
            reused[rel] = entry
            continue
        read = read_guide(rel, path, diags)
        if read is None:
            continue
        data, text = read
        digest = hashlib.sha256(data).hexdigest()
        if entry is not None and entry.digest == digest:
            entry.stamp = stamp
            reused[rel] = entry
        else:
            todo.append((rel, text, stamp, digest))
    return reused, todo


def _process(
    context: Context, todo: list[tuple[str, str, tuple[int, int], str]], jobs: int | None
) -> dict[str, buildcache.Entry]:
    """Parse and render guides; across processes when there are enough of them."""
    from citeguide.pipeline import init_worker, process_guide

    jobs = jobs or os.cpu_count() or 1
    items = [(rel, text) for rel, text, _, _ in todo]
    if jobs > 1 and len(items) >= 4 * jobs:
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        with ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context(method),
            initializer=_init_worker,
            initargs=(context, os.getpid()),
        ) as pool:
            results = list(pool.map(process_guide, items, chunksize=8))
    else:
        init_worker(context)
        results = [process_guide(item) for item in items]
    return {
        rel: buildcache.Entry(stamp, digest, result)
        for (rel, _, stamp, digest), result in zip(todo, results, strict=True)
    }


def _init_worker(context: Context, parent: int) -> None:
    """A worker dies with the build that started it (kill -9, a CI timeout's SIGTERM)."""
    from citeguide.pipeline import init_worker

    die_with_parent(parent)
    init_worker(context)


def die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent exits (prctl PR_SET_PDEATHSIG);
    exit at once if the parent is already gone."""
    if sys.platform == "linux":
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)


def _published(entries: dict[str, buildcache.Entry], drafts: bool) -> list[buildcache.Entry]:
    return [e for _, e in sorted(entries.items()) if drafts or not e.result.draft]


def _finish(
    diags: Diagnostics,
    entries: dict[str, buildcache.Entry],
    tables: Tables,
    config: SiteConfig,
    drafts: bool,
    strict: bool,
    *,
    files: int,
    noop: bool,
) -> BuildResult:
    """All problems: each guide's own, duplicate slugs, and the cross-guide lint rules."""
    published = _published(entries, drafts)
    for entry in published:
        diags.extend(entry.result.problems)
    cross_check([(e.result.path, e.result.slug) for e in published if e.result.slug], diags)
    diags.extend(lint_uses([e.result.uses for e in published], tables, config))
    pages = [e.result.listing for e in published if e.result.listing is not None]
    return BuildResult(diags, pages=pages, tables=tables, files=files, noop=noop)


def _output_stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def _record_outputs(target: Path, entries: Iterable[buildcache.Entry]) -> None:
    """Remember size and modification time of each new page, to spot later hand edits."""
    for entry in entries:
        entry.outputs = {name: _output_stamp(target / name) for name in entry.outputs}


def _intact(target: Path, entry: buildcache.Entry) -> bool:
    """Every file this guide wrote is still in `site/`, untouched since."""
    if not entry.outputs:
        return False
    try:
        return all(_output_stamp(target / n) == stamp for n, stamp in entry.outputs.items())
    except OSError:
        return False


def _outputs_intact(target: Path, entries: Iterable[buildcache.Entry], config: SiteConfig) -> bool:
    if not (target / "index.html").is_file():
        return False
    if config.search and not (target / "pagefind" / "pagefind.js").is_file():
        return False
    return all(_intact(target, entry) for entry in entries)


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


def _assemble(
    root: Path,
    target: Path,
    config: SiteConfig,
    entries: dict[str, buildcache.Entry],
    fresh: dict[str, buildcache.Entry],
    drafts: bool,
    context: Context,
) -> tuple[dict[str, bytes], list[str]]:
    """Files to write (new pages, listings, static files) and unchanged pages to carry over."""
    from citeguide.render import neighbours
    from citeguide.render.html import environment
    from citeguide.render.site import listing_files, static_files

    env = environment(root)
    published = _published(entries, drafts)
    files = static_files(root, env, config)
    listings = [e.result.listing for e in published if e.result.listing is not None]
    around = neighbours.fragments(env, listings, config)
    carry: list[str] = []
    for entry in published:
        page = f"{entry.result.slug}/index.html"
        fragment = around.get(entry.result.slug or "", "")
        if entry.result.path in fresh:
            files.update(entry.result.files)
            entry.outputs = dict.fromkeys(entry.result.files, (0, 0))
        elif _intact(target, entry):
            if entry.neighbours == neighbours.digest(fragment):
                carry += entry.outputs
                continue
            # Only the guides around it changed: fill its page in site/ again.
            files[page] = (target / page).read_bytes()
            carry += [name for name in entry.outputs if name != page]
            entry.outputs[page] = (0, 0)
            fresh[entry.result.path] = entry
        else:  # someone touched site/: render this guide again
            redone = _process(context, [_reread(root, entry)], 1)[entry.result.path]
            entry.result = redone.result
            entry.outputs = dict.fromkeys(redone.result.files, (0, 0))
            files.update(redone.result.files)
            fresh[entry.result.path] = entry
        if page in files:
            files[page] = neighbours.fill(files[page], fragment)
        entry.neighbours = neighbours.digest(fragment)
    files.update(listing_files(env, listings, config))
    return dict(sorted(files.items())), sorted(carry)


def _reread(root: Path, entry: buildcache.Entry) -> tuple[str, str, tuple[int, int], str]:
    path = root / entry.result.path
    return entry.result.path, path.read_text(encoding="utf-8"), entry.stamp, entry.digest
