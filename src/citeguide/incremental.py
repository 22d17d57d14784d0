"""Rebuilding only what a change touches, for `serve` (and any long-lived builder).

A guide is re-parsed only when its text changed, unless the tables or the configuration
changed (calculations and number formats depend on them). Pages are re-rendered for the
guides that changed; listing files (index, tags, feeds) are re-rendered on every change;
a template, configuration or link-state change re-renders everything.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jinja2 import Environment, TemplateError

from citeguide.build import cross_check, read_links, template_problem
from citeguide.config import CONFIG_FILE, SiteConfig, load_config
from citeguide.content.discover import GUIDES_DIR, discover_guides, read_guide
from citeguide.content.parse import parse_guide
from citeguide.content.tables import DATA_DIR, load_tables
from citeguide.costcore.tables import Tables
from citeguide.diagnostics import ConfigError, Diagnostic, Diagnostics
from citeguide.linkcheck.state import STATE_FILE
from citeguide.lint import UseCache, lint_guide, lint_site
from citeguide.model import Guide, Links
from citeguide.records import Listing
from citeguide.render import neighbours
from citeguide.render.html import environment
from citeguide.render.listing import make_listing
from citeguide.render.site import (
    SiteFiles,
    guide_files,
    listing_files,
    static_files,
)


@dataclass
class _Parsed:
    stamp: tuple[int, int]
    """(mtime in ns, size) when parsed: an unchanged stamp means an unchanged file."""
    digest: str
    guide: Guide | None
    diagnostics: Diagnostics


@dataclass
class Outcome:
    ok: bool
    diagnostics: Diagnostics
    files: SiteFiles
    changed_files: int = 0
    guides: list[Guide] = field(default_factory=list)


class IncrementalBuilder:
    """Holds the last build in memory; `update(paths)` redoes only what those paths touch."""

    def __init__(self, root: Path, *, drafts: bool = True, today: date | None = None) -> None:
        self.root, self.drafts, self.today = root, drafts, today
        self._parsed: dict[str, _Parsed] = {}
        self._owned: dict[str, set[str]] = {}
        self.files: SiteFiles = {}
        self._config: SiteConfig | None = None
        self._tables = Tables()
        self._links: Links = {}
        self._env: Environment | None = None
        self._table_diags = Diagnostics()
        self._link_diags = Diagnostics()
        self._pending_kinds: set[str] = set()
        self._pending_touched: set[str] = set()
        self._listings: dict[str, tuple[Guide, Listing]] = {}
        self._uses: UseCache = {}
        self._lint: dict[str, tuple[Guide, list[Diagnostic]]] = {}

    def _kind(self, path: Path) -> str:
        rel = path.resolve().relative_to(self.root.resolve()).as_posix()
        if rel == CONFIG_FILE:
            return "config"
        if rel == STATE_FILE:
            return "links"
        if rel.startswith("templates/"):
            return "templates"
        if rel.startswith(DATA_DIR.as_posix() + "/"):
            return "data"
        return "guide"

    def update(self, changed: set[Path] | None = None) -> Outcome:
        """Rebuild after `changed` (None: everything). On errors, files stay as they were.

        What a failed update should have re-rendered is kept pending, so the next good
        update renders it too.
        """
        kinds = {self._kind(p) for p in changed} if changed is not None else {"all"}
        kinds |= self._pending_kinds
        diags = Diagnostics()
        outcome = self._update(kinds, changed, diags)
        if outcome.ok:
            self._pending_kinds, self._pending_touched = set(), set()
        else:
            self._pending_kinds = kinds
        return outcome

    def _update(self, kinds: set[str], changed: set[Path] | None, diags: Diagnostics) -> Outcome:
        everything = bool(kinds & {"all", "config", "data", "links", "templates"})
        try:
            if self._config is None or kinds & {"all", "config"}:
                self._config = load_config(self.root)
        except ConfigError as exc:
            diags.extend(exc.diagnostics)
            return Outcome(False, diags, self.files)
        config = self._config
        if kinds & {"all", "config", "data"}:
            self._table_diags = Diagnostics()
            self._tables = load_tables(self.root, self._table_diags)
            self._parsed.clear()  # calculations and formats depend on tables and config
        if kinds & {"all", "links"}:
            self._link_diags = Diagnostics()
            self._links = read_links(self.root, self._link_diags, config.linkcheck.dead_after)
        # Problems in tables or the state file stand until those files change.
        diags.extend(self._table_diags.items + self._link_diags.items)
        if self._env is None or kinds & {"all", "config", "templates"}:
            self._env = environment(self.root)
        only = None
        if changed is not None and kinds == {"guide"}:
            only = {p.resolve() for p in changed}
        guides, touched = self._parse(config, diags, only)
        self._pending_touched |= touched
        cross_check([(g.path, g.slug) for g in guides], diags)
        diags.extend(self._lint_all(guides, config, everything))
        if diags.has_errors():
            return Outcome(False, diags, self.files, guides=guides)
        before = dict(self.files)
        try:
            self._render(guides, self._pending_touched, everything, config)
        except TemplateError as exc:
            diags.items.append(template_problem(self.root, exc))
            return Outcome(False, diags, self.files, guides=guides)
        changed_files = sum(before.get(k) != v for k, v in self.files.items())
        changed_files += len(set(before) - set(self.files))
        return Outcome(True, diags, self.files, changed_files, guides)

    def _lint_all(
        self, guides: list[Guide], config: SiteConfig, everything: bool
    ) -> list[Diagnostic]:
        """Per-guide rules are cached per guide object; the cross-guide ones always run."""
        today = self.today or date.today()
        if everything:
            self._lint.clear()
        out: list[Diagnostic] = []
        for guide in guides:
            held = self._lint.get(guide.path)
            if held is None or held[0] is not guide:
                held = self._lint[guide.path] = (
                    guide,
                    lint_guide(guide, self._links, config, today),
                )
            out += held[1]
        return out + lint_site(guides, self._tables, config, self._uses)

    def _parse(
        self, config: SiteConfig, diags: Diagnostics, only: set[Path] | None = None
    ) -> tuple[list[Guide], set[str]]:
        """Parse new or edited guides, reuse the rest; returns guides and touched paths.

        Files whose modification time and size are unchanged are not even read; with
        `only` (the paths a watcher reported), the others are not even looked at.
        """
        today = self.today or date.today()
        folder = self.root / GUIDES_DIR
        paths = sorted(folder.glob("*.md")) if folder.is_dir() else []
        current = {p.relative_to(self.root).as_posix(): p for p in paths}
        for gone in set(self._parsed) - set(current):
            del self._parsed[gone]
        touched: set[str] = set()
        guides: list[Guide] = []
        top = self.root.resolve()
        for rel, path in current.items():
            previous = cached = self._parsed.get(rel)
            if only is not None and cached is not None and top / rel not in only:
                stamp = cached.stamp  # the watcher saw no change here
            else:
                try:
                    info = path.stat()
                except OSError:
                    continue  # deleted since the folder was listed
                stamp = (info.st_mtime_ns, info.st_size)
            if cached is None or cached.stamp != stamp:
                cached = self._parsed[rel] = self._read(rel, path, stamp, cached, config, today)
                if previous is None or cached.guide is not previous.guide:
                    touched.add(rel)
            if cached.guide is not None and cached.guide.meta.draft and not self.drafts:
                continue
            diags.extend(cached.diagnostics.items)
            if cached.guide is not None:
                guides.append(cached.guide)
        if not folder.is_dir():
            discover_guides(self.root, diags)  # reports the missing folder
        return guides, touched | (set(self._owned) - set(current))

    def _read(
        self,
        rel: str,
        path: Path,
        stamp: tuple[int, int],
        cached: _Parsed | None,
        config: SiteConfig,
        today: date,
    ) -> _Parsed:
        problems = Diagnostics()
        read = read_guide(rel, path, problems)
        if read is None:
            return _Parsed(stamp, "", None, problems)
        data, text = read
        digest = hashlib.sha256(data).hexdigest()
        if cached is not None and cached.digest == digest:
            return _Parsed(stamp, digest, cached.guide, cached.diagnostics)
        guide, problems = parse_guide(
            rel, text, today=today, tables=self._tables, locale=config.locale
        )
        return _Parsed(stamp, digest, guide, problems)

    def _render(
        self, guides: list[Guide], touched: set[str], everything: bool, config: SiteConfig
    ) -> None:
        assert self._env is not None
        env, links = self._env, self._links
        if everything:
            self.files = static_files(self.root, env, config)
            self._owned.clear()
            self._listings.clear()
        for path in touched | (set(self._owned) if everything else set()):
            for name in self._owned.pop(path, set()):
                self.files.pop(name, None)
        for guide in guides:
            if everything or guide.path in touched:
                rendered = guide_files(env, guide, config, links)
                self.files.update(rendered)
                self._owned[guide.path] = set(rendered)
        stale_tags = [k for k in self.files if k.startswith("tags/") and k != "tags/index.html"]
        for name in stale_tags:
            del self.files[name]
        listings = []
        for guide in guides:
            held = self._listings.get(guide.path)
            if held is None or held[0] is not guide:
                held = self._listings[guide.path] = (
                    guide,
                    make_listing(env, guide, config, links),
                )
            listings.append(held[1])
        self.files.update(listing_files(env, listings, config))
        for slug, fragment in neighbours.fragments(env, listings, config).items():
            page = f"{slug}/index.html"
            if page in self.files:
                self.files[page] = neighbours.fill(self.files[page], fragment)
