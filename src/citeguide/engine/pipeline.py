"""One guide from text to everything the site needs of it, in any process.

`process_guide` is what a worker runs: parse, render the page and both twins, render its
listing fragments, and run the per-guide lint rules. It returns plain data (no `Guide`)
so results are cheap to send between processes and to keep in the build cache.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from citeguide.config import SiteConfig
from citeguide.content.parse import parse_guide
from citeguide.costcore.library import Library
from citeguide.diagnostics import Diagnostic, Severity, SourcePos
from citeguide.engine.lookups import Looked, Lookups, tracked
from citeguide.engine.search_page import page_view
from citeguide.lint.runner import guide_uses, lint_guide
from citeguide.model import Guide, Links
from citeguide.records import GuideResult, listing_digest, use_row
from citeguide.render.html import shared_environment
from citeguide.render.listing import make_listing
from citeguide.render.site import alias_target, guide_files
from citeguide.safeio import UnsafeFile, read_bytes


@dataclass(frozen=True)
class Context:
    """What every worker needs, loaded once per process."""

    root: Path
    config: SiteConfig
    library: Library
    links: Links
    today: date
    render: bool = True
    """Render the page, twins and listing fragments (`build`, `serve`); `lint` does not."""
    editorial: bool = True
    """Run the per-guide lint rules (`check` only needs the citations)."""
    inputs_key: str = ""
    """The site inputs (templates among them) this context was made from."""
    search_views: bool = False
    """Make each page's search view too (`build` with search): in the workers, which
    make the pages in parallel, rather than while pagefind waits for them."""


_WORKER: dict[str, Any] = {}


def init_worker(context: Context) -> None:
    _WORKER["context"] = context
    # The link records, noting which ones a guide's processing looks up: a change to the
    # link-state file processes again only the guides whose records changed.
    looked = _WORKER["link_lookups"] = Lookups()
    _WORKER["links"] = Looked(context.links, looked, "", emptiness_is_whole=False)
    # What the guide looks up of the site's tables and models is noted, so that a change
    # to one processes again only the guides that looked it up. Kept while the library is
    # the same (`serve` processes one guide per save here): its memoised results too.
    if _WORKER.get("library_of") is not context.library:
        lookups = _WORKER["lookups"] = Lookups()
        _WORKER["library"] = tracked(context.library, lookups)
        _WORKER["library_of"] = context.library
    # Compiled templates are kept while the site inputs (templates among them) are the
    # same: `serve` processes one guide per save in this process.
    if context.render:
        _WORKER["env"] = shared_environment(context.root, context.inputs_key)


def process_guide(item: tuple[str, str]) -> GuideResult:
    """Parse and render one guide: `item` is (path relative to the root, its text)."""
    context: Context = _WORKER["context"]
    path, text = item
    config = context.config
    lookups: Lookups = _WORKER["lookups"]
    lookups.reset()
    guide, problems = parse_guide(
        path, text, today=context.today, library=_WORKER["library"], locale=config.locale
    )
    if guide is None:
        return GuideResult(path, None, False, problems.items, library_keys=lookups.keys())
    links: Links = _WORKER["links"]
    link_lookups: Lookups = _WORKER["link_lookups"]
    link_lookups.reset()
    found = lint_guide(guide, links, config, context.today) if context.editorial else []
    result = GuideResult(
        path=path,
        slug=guide.slug,
        draft=guide.meta.draft,
        problems=problems.items,
        uses=[use_row(use) for use in guide_uses(guide)],
        findings=found,
        models=sorted(guide.models),
    )
    copies, result.deps = local_files(context.root, guide, result.problems)
    result.aliases = [(alias_target(a), *_line_of(text, a)) for a in guide.meta.aliases]
    if context.render:  # `lint` and `check` render nothing and have no environment
        env = _WORKER["env"]
        result.files = guide_files(env, guide, config, links)
        result.files.update(copies)
        result.listing = make_listing(env, guide, config, links)
        result.listed = listing_digest(result.listing)
        page = result.files.get(f"{guide.slug}/index.html")
        if context.search_views and page is not None:
            result.view = page_view(page)
    result.link_keys = link_lookups.keys()
    result.library_keys = lookups.keys()
    return result


def _line_of(text: str, alias: str) -> tuple[int, int]:
    """1-based line and column of an alias in the front matter (the first that names it)."""
    bare = alias.rstrip("/")
    seen_key = False
    for number, line in enumerate(text.split("\n")[1:], start=2):
        if line.rstrip() == "---":
            break
        seen_key = seen_key or line.startswith("aliases:")
        col = line.find(bare, len("aliases:") if line.startswith("aliases:") else 0)
        if seen_key and col >= 0:
            return number, col + 1 - (line[col - 1 : col] == "/")
    return 1, 1


def local_files(
    root: Path, guide: Guide, problems: list[Diagnostic]
) -> tuple[dict[str, bytes], dict[str, str]]:
    """The files a guide shows or links by relative URL, read (safely: inside the root,
    size-capped) for copying next to its page; a missing one is an error at its URL."""
    copies: dict[str, bytes] = {}
    deps: dict[str, str] = {}
    for ref in guide.files:
        pos = SourcePos(guide.path, ref.line, ref.col)
        path = root / ref.source
        if not path.exists() and not path.is_symlink():
            deps[ref.source] = ""
            what = "links to the guide" if ref.kind == "guide" else "names the file"
            problems.append(
                Diagnostic(
                    pos,
                    Severity.ERROR,
                    f"{ref.url!r} {what} {ref.source}, which does not exist",
                    "missing-file",
                )
            )
            continue
        if ref.target is None:  # another guide: its page is built with the site
            continue
        try:
            data = read_bytes(root, path)
        except UnsafeFile as exc:
            deps[ref.source] = ""
            problems.append(
                Diagnostic(pos, Severity.ERROR, f"{ref.url!r}: {exc.message}", exc.rule)
            )
            continue
        deps[ref.source] = hashlib.sha256(data).hexdigest()
        copies[ref.target] = data
    return copies, deps
