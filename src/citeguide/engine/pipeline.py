"""One guide from text to everything the site needs of it, in any process.

`process_guide` is what a worker runs: parse, render the page and both twins, render its
listing fragments, and run the per-guide lint rules. It returns plain data (no `Guide`)
so results are cheap to send between processes and to keep in the build cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from citeguide.config import SiteConfig
from citeguide.content.parse import parse_guide
from citeguide.costcore.models import Library
from citeguide.lint.run import guide_uses, lint_guide
from citeguide.model import Links
from citeguide.records import GuideResult
from citeguide.render.html import environment
from citeguide.render.listing import make_listing
from citeguide.render.site import guide_files


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


_WORKER: dict[str, Any] = {}


def init_worker(context: Context) -> None:
    _WORKER["context"] = context
    # Compiled templates are kept while the site inputs (templates among them) are the
    # same: `serve` processes one guide per save in this process.
    key = (context.root, context.inputs_key)
    if context.render and (_WORKER.get("env") is None or _WORKER.get("env_key") != key):
        _WORKER["env"], _WORKER["env_key"] = environment(context.root), key


def process_guide(item: tuple[str, str]) -> GuideResult:
    """Parse and render one guide: `item` is (path relative to the root, its text)."""
    context: Context = _WORKER["context"]
    path, text = item
    config = context.config
    guide, problems = parse_guide(
        path, text, today=context.today, library=context.library, locale=config.locale
    )
    if guide is None:
        return GuideResult(path, None, False, problems.items)
    found = lint_guide(guide, context.links, config, context.today) if context.editorial else []
    result = GuideResult(
        path=path,
        slug=guide.slug,
        draft=guide.meta.draft,
        problems=problems.items + found,
        uses=guide_uses(guide),
    )
    if context.render:  # `lint` and `check` render nothing and have no environment
        env = _WORKER["env"]
        result.files = guide_files(env, guide, config, context.links)
        result.listing = make_listing(env, guide, config, context.links)
    return result
