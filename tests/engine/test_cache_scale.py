"""At 2,000+ guides one edit processes one guide: the build cache is read and written per
guide, with caps of its own, never the cap on authors' inputs (`max_file_bytes`).

A count of processed guides, never a clock. Until the cache was split, a site past about
1,900 guides had a cache file over `max_file_bytes`, the safe reader refused it, and every
edit silently processed the whole site again.
"""

from __future__ import annotations

from pathlib import Path

from citeguide.engine import cache as buildcache
from citeguide.engine.builder import build_site
from citeguide.engine.incremental import Site
from conftest import TODAY

GUIDES = 2_100
CAP = 256 * 1024
"""A small `max_file_bytes`: the whole cache is many times larger, and must not care."""


def _guide(i: int) -> str:
    return (
        f"---\ntitle: Guide {i}\nsummary: The answer for case {i}.\npublished: 2026-05-01\n"
        f"tags: [topic-{i % 7}]\n---\n\n## Which case?\n\nCase {i} holds "
        f"[cite: https://docs.example.org/case/{i} · 2026-03-10 · high].\n"
    )


def test_one_edit_at_two_thousand_guides_processes_one_guide(tmp_path: Path) -> None:
    root = tmp_path / "root"
    guides = root / "content" / "guides"
    guides.mkdir(parents=True)
    (root / "citeguide.toml").write_text(f"search = false\nmax_file_bytes = {CAP}\n")
    for i in range(GUIDES):
        (guides / f"guide-{i:05d}.md").write_text(_guide(i), encoding="utf-8")
    result = build_site(root, today=TODAY, jobs=2)
    assert result.ok, result.diagnostics.render()
    assert not result.notes
    stored = sum(p.stat().st_size for p in (root / buildcache.CACHE_DIR).rglob("*"))
    assert stored > 4 * CAP  # the old one-file cache would have been refused
    assert len(list((root / buildcache.ENTRY_DIR).iterdir())) == GUIDES

    edited = guides / "guide-01234.md"
    edited.write_text(_guide(1234) + "\nA new paragraph.\n", encoding="utf-8")
    site = Site(root, today=TODAY, jobs=2)
    site.load_cache()
    assert not site.notes
    assert len(site.entries) == GUIDES
    assert list(site.refresh().processed) == ["content/guides/guide-01234.md"]

    before = {p.name for p in (root / buildcache.ENTRY_DIR).iterdir()}
    result = build_site(root, today=TODAY, jobs=2)
    assert result.ok
    assert not result.notes
    assert not result.noop
    after = {p.name for p in (root / buildcache.ENTRY_DIR).iterdir()}
    # Only entries whose outputs were written again changed: the edited guide's (and at
    # most the few whose newer/older neighbours it is), never the rest.
    assert len(after) == GUIDES
    assert 1 <= len(after - before) <= 3
    assert "A new paragraph." in (root / "site/guide-01234/index.html").read_text()

    again = Site(root, today=TODAY, jobs=2)
    again.load_cache()
    assert not again.refresh().processed
