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

from jinja2 import Environment

from citeguide.build import cross_check, read_links
from citeguide.config import CONFIG_FILE, SiteConfig, load_config
from citeguide.content.discover import discover_guides
from citeguide.content.parse import parse_guide
from citeguide.content.tables import DATA_DIR, load_tables
from citeguide.costcore.tables import Tables
from citeguide.diagnostics import ConfigError, Diagnostics
from citeguide.linkcheck.state import STATE_FILE
from citeguide.lint import lint
from citeguide.model import Guide, Links
from citeguide.render.html import environment
from citeguide.render.site import SiteFiles, guide_files, listing_files, static_files


@dataclass
class _Parsed:
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
        """Rebuild after `changed` (None: everything). On errors, files stay as they were."""
        kinds = {self._kind(p) for p in changed} if changed is not None else {"all"}
        everything = bool(kinds & {"all", "config", "data", "links", "templates"})
        diags = Diagnostics()
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
            self._links = read_links(self.root, self._link_diags)
        # Problems in tables or the state file stand until those files change.
        diags.extend(self._table_diags.items + self._link_diags.items)
        if self._env is None or kinds & {"all", "config", "templates"}:
            self._env = environment(self.root)
        guides, touched = self._parse(config, diags)
        cross_check(guides, diags)
        diags.extend(lint(guides, self._tables, self._links, config, self.today or date.today()))
        if diags.has_errors():
            return Outcome(False, diags, self.files, guides=guides)
        before = dict(self.files)
        self._render(guides, touched, everything, config)
        changed_files = sum(before.get(k) != v for k, v in self.files.items())
        changed_files += len(set(before) - set(self.files))
        return Outcome(True, diags, self.files, changed_files, guides)

    def _parse(self, config: SiteConfig, diags: Diagnostics) -> tuple[list[Guide], set[str]]:
        """Parse new or edited guides, reuse the rest; returns guides and touched paths."""
        today = self.today or date.today()
        files = discover_guides(self.root, diags)
        current = {f.path for f in files}
        for gone in set(self._parsed) - current:
            del self._parsed[gone]
        touched: set[str] = set()
        guides: list[Guide] = []
        for file in files:
            digest = hashlib.sha256(file.text.encode()).hexdigest()
            cached = self._parsed.get(file.path)
            if cached is None or cached.digest != digest:
                guide, problems = parse_guide(
                    file.path, file.text, today=today, tables=self._tables, locale=config.locale
                )
                cached = self._parsed[file.path] = _Parsed(digest, guide, problems)
                touched.add(file.path)
            if cached.guide is not None and cached.guide.meta.draft and not self.drafts:
                continue
            diags.extend(cached.diagnostics.items)
            if cached.guide is not None:
                guides.append(cached.guide)
        return guides, touched | (set(self._owned) - current)

    def _render(
        self, guides: list[Guide], touched: set[str], everything: bool, config: SiteConfig
    ) -> None:
        assert self._env is not None
        env, links = self._env, self._links
        if everything:
            self.files = static_files(self.root, env, config)
            self._owned.clear()
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
        self.files.update(listing_files(env, guides, config, links))
