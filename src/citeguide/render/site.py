"""Every file of the published site, as a mapping of relative path to bytes."""

from __future__ import annotations

from pathlib import Path

from citeguide.config import SiteConfig
from citeguide.model import Guide, Links
from citeguide.render.html import environment, render_guide, render_index, template_dirs
from citeguide.render.twin import build_twin, schema_json, twin_json

SiteFiles = dict[str, bytes]


def _assets(root: Path) -> SiteFiles:
    """Files under `templates/assets/`; a site's own file wins over the default one."""
    files: SiteFiles = {}
    for folder in reversed(template_dirs(root)):
        assets = folder / "assets"
        if assets.is_dir():
            for file in sorted(p for p in assets.rglob("*") if p.is_file()):
                files[f"assets/{file.relative_to(assets).as_posix()}"] = file.read_bytes()
    return files


def render_site(
    root: Path, config: SiteConfig, guides: list[Guide], links: Links | None = None
) -> SiteFiles:
    """Render pages, twins and site-wide files; guides are listed newest first.

    `links` maps normalised URLs to their last link-check result.
    """
    links = links or {}
    env = environment(root)
    ordered = sorted(guides, key=lambda g: (g.updated, g.slug), reverse=True)
    files: SiteFiles = _assets(root)
    for guide in ordered:
        files[f"{guide.slug}/index.html"] = render_guide(env, guide, config, links).encode()
        files[f"{guide.slug}.cite.json"] = twin_json(build_twin(guide, config, links)).encode()
    files["index.html"] = render_index(env, ordered, config).encode()
    files["schemas/cite.schema.json"] = schema_json().encode()
    return dict(sorted(files.items()))
