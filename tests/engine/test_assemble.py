"""One assembly for disk and memory (engine/assemble.py): the destination is the only
difference."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from citeguide.engine.assemble import Assembly, Disk, Memory
from citeguide.engine.builder import build_site
from citeguide.engine.incremental import Site
from conftest import REPO, TODAY, tree_digest


def _built(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(REPO / "content", root / "content")
    (root / "citeguide.toml").write_text("search = false\n", encoding="utf-8")
    assert build_site(root, today=TODAY).ok
    return root


def test_the_site_in_memory_is_the_site_on_disk(tmp_path: Path) -> None:
    root = _built(tmp_path)
    site = Site(root, today=TODAY)
    site.refresh()
    made = Assembly(Memory()).assemble(site)
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in made.files.items()}
    assert digests == tree_digest(root / "site")
    assert made.carry == []
    assert made.written == []


def test_on_disk_an_untouched_guide_is_carried_and_a_touched_page_made_again(
    tmp_path: Path,
) -> None:
    root = _built(tmp_path)
    target = root / "site"
    site = Site(root, today=TODAY)
    site.load_cache()
    assert not site.refresh().processed
    made = Assembly(Disk(target)).assemble(site)
    assert "model-size-for-one-gpu/index.html" in made.carry
    assert "model-size-for-one-gpu/index.html" not in made.files
    assert "index.html" in made.carry  # nothing listed changed: the listing pages too
    assert made.written == []
    (target / "model-size-for-one-gpu.md").write_text("vandalised")
    again = Site(root, today=TODAY)
    again.load_cache()
    again.refresh()
    remade = Assembly(Disk(target)).assemble(again)
    assert "model-size-for-one-gpu.md" not in remade.carry
    assert remade.files["model-size-for-one-gpu.md"].startswith(b"# ")  # rendered again
    assert [e.result.path for e in remade.written] == ["content/guides/model-size-for-one-gpu.md"]


def test_shared_files_are_carried_while_their_inputs_and_listings_hold(tmp_path: Path) -> None:
    """The listing pages and the files that depend on no guide are made from the site
    inputs and the guides' listing fragments: a guide's body edited, they are carried
    over (the same inode); a title changed, or one of them touched in site/, and they
    are made again."""
    root = _built(tmp_path)
    target = root / "site"
    shared = ["index.html", "feed.xml", "llms.txt", "sitemap.xml", "404.html", "robots.txt",
              "cite-index.json", "whatif.json"]  # fmt: skip
    inodes = {name: (target / name).stat().st_ino for name in shared}
    guide = root / "content" / "guides" / "model-size-for-one-gpu.md"
    page = target / "model-size-for-one-gpu" / "index.html"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nOne more paragraph.\n", "utf-8")
    assert build_site(root, today=TODAY).ok
    assert "One more paragraph." in page.read_text(encoding="utf-8")
    assert {name: (target / name).stat().st_ino for name in shared} == inodes

    (target / "feed.xml").write_text("vandalised", encoding="utf-8")
    site = Site(root, today=TODAY)
    site.load_cache()
    site.refresh()
    made = Assembly(Disk(target)).assemble(site)
    assert made.files["feed.xml"].startswith(b"<?xml")
    assert "index.html" in made.files
    assert "index.html" in made.shared
    assert "feed.xml" not in made.carry

    text = guide.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    guide.write_text(text.replace(title, "title: A retitled guide"), encoding="utf-8")
    assert build_site(root, today=TODAY).ok
    assert (target / "index.html").stat().st_ino != inodes["index.html"]
    assert "A retitled guide" in (target / "index.html").read_text(encoding="utf-8")
    assert "A retitled guide" in (target / "feed.xml").read_text(encoding="utf-8")
