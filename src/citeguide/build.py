"""`build_site()`: discover, parse everything, cross-check, render, then write atomically."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from citeguide.config import SiteConfig, load_config
from citeguide.content.discover import SourceFile, discover_guides
from citeguide.content.parse import parse_guide
from citeguide.content.tables import load_tables
from citeguide.costcore.tables import Tables
from citeguide.diagnostics import Diagnostics, SourcePos
from citeguide.linkcheck.state import STATE_FILE, StateError, load_state
from citeguide.lint import lint
from citeguide.model import Guide, LinkInfo, Links
from citeguide.render.site import render_site
from citeguide.search_index import index_site
from citeguide.writer import write_tree


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    guides: list[Guide] = field(default_factory=list)
    tables: Tables = field(default_factory=Tables)
    links: Links = field(default_factory=dict)
    files: int = 0

    @property
    def ok(self) -> bool:
        return self.files > 0


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


def cross_check(guides: list[Guide], diags: Diagnostics) -> None:
    """Problems only visible across guides: two guides publishing to one slug."""
    owners: dict[str, str] = {}
    for guide in guides:
        if guide.slug in owners:
            diags.error(
                SourcePos(guide.path, 1, 1),
                f"slug {guide.slug!r} is already used by {owners[guide.slug]}",
                "slug-duplicate",
            )
        else:
            owners[guide.slug] = guide.path


def read_links(root: Path, diags: Diagnostics) -> Links:
    """The link-check state file as link info per normalised URL (empty when absent)."""
    try:
        state = load_state(root)
    except StateError as exc:
        diags.error(SourcePos(STATE_FILE, exc.line, exc.col), exc.message, "link-state")
        return {}
    return {
        key: LinkInfo(
            status=rec.status,
            http_status=rec.http_status,
            checked_at=rec.last_checked,
            final_url=rec.final_url,
            archive_url=rec.archive_url,
        )
        for key, rec in state.links.items()
    }


def check_site(
    root: Path, config: SiteConfig, *, today: date | None = None, drafts: bool = False
) -> BuildResult:
    """Everything `build` checks, without writing: the basis of `lint` and `build`."""
    today = today or date.today()
    diags = Diagnostics()
    links = read_links(root, diags)
    tables = load_tables(root, diags)
    files = discover_guides(root, diags)
    guides = parse_all(files, tables, diags, today=today, drafts=drafts, locale=config.locale)
    cross_check(guides, diags)
    diags.extend(lint(guides, tables, links, config, today))
    return BuildResult(diags, guides, tables, links)


def build_site(
    root: Path,
    *,
    strict: bool = False,
    drafts: bool = False,
    today: date | None = None,
    out: Path | None = None,
) -> BuildResult:
    """Build `root` into `out` (default `root/site`); nothing is written unless all is well.

    Raises ConfigError for a bad `citeguide.toml`.
    """
    config = load_config(root)
    result = check_site(root, config, today=today, drafts=drafts)
    if result.diagnostics.has_errors(strict=strict):
        return result
    files = render_site(root, config, result.guides, result.links)
    write_tree(out or root / "site", files, index_site if config.search else None)
    result.files = len(files)
    return result
