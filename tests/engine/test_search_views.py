"""Search views: pagefind indexes each guide's page without the parts it ignores.

pagefind itself is the oracle: a bundle made from the views must be byte for byte the
bundle it makes from the pages (a real pagefind, from its PyPI wheel, as in a build).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from citeguide.engine import pipeline, scratch, search, search_page, search_views, trust, writer
from citeguide.engine.builder import build_site
from conftest import (
    REPO,
    TODAY,
    cold_tree,
    guide_text,
    pagefind_runs,
    parted_site,
    tree_digest,
    write_site,
)


def _bundle(pages: dict[str, bytes], out: Path) -> dict[str, str]:
    """pagefind's bundle of `pages` (slug → page), as `search.start_parts` runs it."""
    top = out.with_name(out.name + "-pages")
    for slug, page in pages.items():
        (top / slug).mkdir(parents=True)
        (top / slug / "index.html").write_bytes(page)
    search._run(["--site", str(top), "--output-path", str(out)])
    return tree_digest(out)


def _pages(site: Path) -> dict[str, bytes]:
    return {
        p.parent.name: p.read_bytes()
        for p in sorted(site.glob("*/index.html"))
        if b"data-pagefind-body" in p.read_bytes()
    }


def test_views_of_the_bundled_guides_index_to_the_same_bytes(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "citeguide.toml", root / "citeguide.toml")
    assert build_site(root, today=TODAY, use_cache=False).ok
    pages = _pages(root / "site")
    assert "heat-pump-or-gas-boiler" in pages  # with the LLM guides
    views = {slug: search_page.page_view(page) for slug, page in pages.items()}
    # Two thirds of a guide's page is markup pagefind ignores.
    assert sum(map(len, views.values())) < 0.5 * sum(map(len, pages.values()))
    assert _bundle(views, tmp_path / "views") == _bundle(pages, tmp_path / "pages")


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav data-pagefind-ignore><a href="/">Home</a> navigation words</nav>
<main data-pagefind-body>
  <div data-pagefind-ignore><h1>Title inside an ignored block</h1></div>
  <p>Body text about {word} and heat pumps.</p>
  <aside data-pagefind-ignore>Aside <span data-pagefind-meta="colour">teal</span></aside>
  <aside data-pagefind-ignore>Tagged <span DATA-PAGEFIND-FILTER="fuel">gas</span></aside>
  <div data-pagefind-ignore="all"><span data-pagefind-meta="hidden">dropped</span></div>
  <div data-pagefind-ignore><img src="/cover-{word}.png" alt="A cover"></div>
  <div data-pagefind-ignore>Outer <span data-pagefind-ignore>inner</span> tooltip text</div>
  <div data-pagefind-ignore="index" data-pagefind-sort="weight:{n}">sorted</div>
  <p>More text <sup data-pagefind-ignore>[1]</sup> after a reference.</p>
</main></body></html>
"""


def test_a_view_keeps_what_pagefind_reads_inside_ignored_elements(tmp_path: Path) -> None:
    pages = {
        f"p{n}": PAGE.format(title=f"Page {n}", word=word, n=n).encode()
        for n, word in enumerate(["boilers", "radiators", "tariffs"])
    }
    views = {slug: search_page.page_view(page) for slug, page in pages.items()}
    view = views["p0"].decode()
    for kept in ("Title inside", 'data-pagefind-meta="colour"', "fuel", "cover-boilers",
                 "data-pagefind-sort"):  # fmt: skip
        assert kept in view.lower() or kept in view
    for dropped in ("navigation words", "hidden", "tooltip text", "inner", "[1]"):
        assert dropped not in view
    assert _bundle(views, tmp_path / "views") == _bundle(pages, tmp_path / "pages")


def test_a_page_without_ignored_elements_is_its_own_view() -> None:
    page = b"<!doctype html><html><body><main data-pagefind-body>Text</main></body></html>"
    assert search_page.page_view(page) is page


def _edit(root: Path, slug: str) -> None:
    guide = root / "content" / "guides" / f"{slug}.md"
    guide.write_text(guide.read_text() + "\nAn edited paragraph.\n")
    stamp = guide.stat().st_mtime_ns + 2_000_000_000
    os.utime(guide, ns=(stamp, stamp))


def _plan(root: Path) -> search.Plan:
    slugs = [p.stem for p in (root / "content" / "guides").glob("*.md")]
    found = search.plan(slugs, set(), [], intact=False)
    assert found.parts > 1
    return found


def _built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, search.Plan]:
    """A site in search index parts, built, and its plan."""
    root = parted_site(tmp_path, monkeypatch)
    assert build_site(root, today=TODAY).ok
    return root, _plan(root)


def _stored(root: Path, parts: int, part: int) -> dict[str, tuple[tuple[int, int], bytes]]:
    """The views kept for `part`, as this user's build sealed them."""
    data = (root / search_views.VIEWS_DIR / f"{parts}-{part}").read_bytes()
    body = trust.unseal(search_views.VIEW_FORMAT, data)
    assert body is not None
    return search_views._unpack(body, parts, part)


def test_an_edit_makes_only_the_edited_pages_view(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, found = _built(tmp_path, monkeypatch)
    # One file per part, holding the views of its pages, each with its page's stamp.
    folder = root / search_views.VIEWS_DIR
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{found.parts}-{k}" for k in range(found.parts)
    )
    for k, members in enumerate(found.members):
        stored = _stored(root, found.parts, k)
        assert sorted(stored) == members
        for slug, ((size, mtime), view) in stored.items():
            page = root / "site" / slug / "index.html"
            assert (size, mtime) == (page.stat().st_size, page.stat().st_mtime_ns)
            # The worker's view, with the page's neighbours filled in (pagefind drops
            # them itself): what pagefind indexes of it is tested end to end below.
            text = page.read_bytes()
            assert search_page.page_view(text) in (view, search_page.page_view(view))
            assert len(view) < len(text)
    made: list[bytes] = []
    page_view = search_page.page_view

    def counted(page: bytes) -> bytes:
        made.append(page)
        return page_view(page)

    # Made by the worker that rendered the page, or by the view store for a page not
    # rendered now; one process (`jobs=1`) so that every one is counted.
    monkeypatch.setattr(pipeline, "page_view", counted)
    monkeypatch.setattr(search_views, "page_view", counted)
    victim = "extra-3"
    assert len(found.members[search.part_of(victim, found.parts)]) > 1
    _edit(root, victim)
    result = build_site(root, today=TODAY, jobs=1)
    assert result.ok
    assert not result.notes
    assert len(made) == 1
    assert b"An edited paragraph." in made[0]
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)
    # A page edited by hand in site/: its stamp differs, so its view is made again.
    other = next(s for s in found.members[0] if s != victim)
    page = root / "site" / other / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</main>", b"<p>By hand.</p></main>"))
    made.clear()
    assert build_site(root, today=TODAY, jobs=1).ok
    assert b"By hand." not in (root / "site" / other / "index.html").read_bytes()
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)
    # A guide removed: its part is indexed again, and its view is not kept.
    (root / "content" / "guides" / "extra-5.md").unlink()
    assert build_site(root, today=TODAY).ok
    found = _plan(root)
    assert all("extra-5" not in _stored(root, found.parts, k) for k in range(found.parts))


def test_a_planted_view_is_never_indexed_and_is_noted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, found = _built(tmp_path, monkeypatch)
    victim = "extra-3"
    part = search.part_of(victim, found.parts)
    other = next(s for s in found.members[part] if s != victim)
    page = root / "site" / other / "index.html"
    stat = page.stat()
    view = page.read_bytes().replace(b"Extra", b"Casino")
    head = {"parts": found.parts, "part": part,
            "views": [[other, stat.st_size, stat.st_mtime_ns, 0, len(view)]]}  # fmt: skip
    # The right format and the page's stamp, but sealed with a key the user does not
    # hold (a repository's build/ folder, or a shared CI cache).
    mac = os.urandom(32).hex()
    (root / search_views.VIEWS_DIR / f"{found.parts}-{part}").write_bytes(
        f"{search_views.VIEW_FORMAT} {mac}\n".encode() + json.dumps(head).encode() + b"\n" + view
    )
    _edit(root, victim)
    result = build_site(root, today=TODAY)
    assert result.ok
    assert any(
        "views: note: 1 file of search views was discarded (not sealed" in n for n in result.notes
    ), result.notes
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)


def test_a_views_folder_linked_out_of_the_root_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = parted_site(tmp_path, monkeypatch)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "build" / "citeguide-cache").mkdir(parents=True)
    (root / search_views.VIEWS_DIR).symlink_to(outside, target_is_directory=True)
    result = build_site(root, today=TODAY)
    assert result.ok
    assert list(outside.iterdir()) == []
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)
    parts = json.loads((root / "site" / search.PARTS_FILE).read_text())
    assert parts  # indexed in parts, each from views made in memory


@pytest.mark.parametrize("parted", [True, False], ids=["in parts", "one part"])
def test_each_part_is_indexed_as_pagefind_indexes_its_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parted: bool
) -> None:
    """End to end: views made by the workers (neighbours filled in after) and by the
    store give each part the bundle pagefind makes of the published pages themselves,
    laid out alike (in this run's memory folder, listed in slug order: pagefind numbers
    pages in the order it finds them, `test_scratch.py`), every page indexed. A small
    site is one part, made the same way: its index does not depend on the disk either."""
    root = parted_site(tmp_path, monkeypatch)
    if not parted:
        monkeypatch.setattr(search, "PART_SIZE", 128)
    runs = pagefind_runs(monkeypatch)
    assert build_site(root, today=TODAY, jobs=2).ok
    memory = Path(scratch.CANDIDATES[0])  # the test run's place (conftest)
    assert all(run[run.index("--site") + 1].startswith(str(memory)) for run in runs)
    site = root / "site"
    slugs = sorted(p.stem for p in (root / "content" / "guides").glob("*.md"))
    found = search.plan(slugs, set(), [], intact=False)
    assert (found.parts > 1) == parted
    assert len(runs) == found.parts
    assert json.loads((site / search.PARTS_FILE).read_text()) == [
        f"{search.bundle(k)}/" for k in range(1, found.parts)
    ]
    for k, members in enumerate(found.members):
        out = tmp_path / f"pagefind-{k}"
        pages = [(slug, (site / slug / "index.html").read_bytes()) for slug in members]
        top, _ = scratch.lay_out(pages, [memory], f"pages-{os.getpid()}-{k}")
        try:
            search._run(["--site", top, "--output-path", str(out)])
        finally:
            shutil.rmtree(top)
        built = {
            rel: digest
            for rel, digest in tree_digest(site / search.bundle(k)).items()
            if not rel.startswith("parts/") and rel != "parts.json"
        }
        made = tree_digest(out)
        if k > 0:  # the first part's scripts, styles and WebAssembly serve every part
            made = {rel: d for rel, d in made.items() if "/" in rel or _index_file(rel)}
        assert built == made, k
        entry = json.loads((out / "pagefind-entry.json").read_text())
        assert sum(lang["page_count"] for lang in entry["languages"].values()) == len(members)


def _index_file(name: str) -> bool:
    return name == "pagefind-entry.json" or name.endswith(".pf_meta")


def test_a_build_that_fails_while_pagefind_runs_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pagefind starts before the staging folder is written (`search.start_parts`): a
    build that fails while writing it waits for pagefind, removes its folder beside
    site/, keeps no views, and leaves site/ as it was; the next build is whole."""
    root, _ = _built(tmp_path, monkeypatch)
    before = tree_digest(root / "site")
    kept = {p.name: p.read_bytes() for p in (root / search_views.VIEWS_DIR).iterdir()}
    threads = threading.active_count()
    runs = pagefind_runs(monkeypatch)

    def full(source: str, destination: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", destination)

    monkeypatch.setattr(writer, "_link", full)  # the carried files are linked after the start
    _edit(root, "extra-3")
    with pytest.raises(OSError, match="No space left"):
        build_site(root, today=TODAY)
    assert len(runs) == 1  # pagefind had started on the edited guide's part
    assert tree_digest(root / "site") == before
    assert not list(root.glob(".site.*"))  # neither the search folder nor the staging one
    memory = Path(scratch.CANDIDATES[0])  # the test run's place (conftest)
    assert not list(memory.iterdir())  # nor the views' scratch folder in memory
    assert {p.name: p.read_bytes() for p in (root / search_views.VIEWS_DIR).iterdir()} == kept
    assert threading.active_count() == threads
    monkeypatch.undo()
    monkeypatch.setattr(search, "PART_SIZE", 2)
    assert build_site(root, today=TODAY).ok
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)


def test_a_small_site_indexes_again_only_when_a_guide_page_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One part is carried over like any other: a build that writes no guide page (a
    guide's draft added) runs no pagefind; an edit runs it once, from the kept views of
    the other pages and the edited one's new view."""
    root = parted_site(tmp_path, monkeypatch)
    monkeypatch.setattr(search, "PART_SIZE", 128)
    assert build_site(root, today=TODAY).ok
    assert sorted(p.name for p in (root / search_views.VIEWS_DIR).iterdir()) == ["1-0"]
    runs = pagefind_runs(monkeypatch)
    draft = guide_text("Later").replace("tags:", "draft: true\ntags:")
    write_site(root, {"content/guides/later.md": draft})
    result = build_site(root, today=TODAY)
    assert result.ok
    assert not result.noop
    assert runs == []
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)
    runs.clear()  # the cold build's
    _edit(root, "extra-3")
    assert build_site(root, today=TODAY).ok
    assert len(runs) == 1
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)


def test_a_site_without_guides_indexes_its_other_pages(tmp_path: Path) -> None:
    """No page is marked for search without a guide: pagefind indexes the site's pages
    whole, from the staged copy, as it does any site (an index of nothing is no index);
    the first guide brings the views back."""
    root = tmp_path / "root"
    (root / "content" / "guides").mkdir(parents=True)
    shutil.copy(REPO / "citeguide.toml", root / "citeguide.toml")
    result = build_site(root, today=TODAY)
    assert result.ok, result.diagnostics.items
    site = root / "site"
    assert json.loads((site / search.PARTS_FILE).read_text()) == []
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert sum(lang["page_count"] for lang in entry["languages"].values()) > 0
    assert not list((root / search_views.VIEWS_DIR).iterdir())
    write_site(root, {"content/guides/first.md": guide_text("First")})
    assert build_site(root, today=TODAY).ok
    assert tree_digest(site) == cold_tree(root, tmp_path)
    assert sorted(p.name for p in (root / search_views.VIEWS_DIR).iterdir()) == ["1-0"]


@pytest.mark.parametrize("parted", [False, True], ids=["one part", "in parts"])
@pytest.mark.parametrize("override", ["about-evidence.html", "guide.html"])
def test_a_site_whose_templates_mark_other_pages_is_indexed_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, override: str, parted: bool
) -> None:
    """A site's own template that marks another page for search (its about page), or a
    guide page template that marks nothing (pagefind then indexes every page): the
    whole site is indexed, as pagefind would index it, every build; a site large
    enough for parts is told why its edits index every page."""
    root = parted_site(tmp_path, monkeypatch)
    if not parted:
        monkeypatch.setattr(search, "PART_SIZE", 128)
    text = (REPO / "templates" / override).read_text()
    marked = text.replace('<article class="about-evidence">',
                          '<article class="about-evidence" data-pagefind-body>')  # fmt: skip
    if override == "guide.html":
        marked = text.replace(" data-pagefind-body", "")
    assert marked != text
    write_site(root, {f"templates/{override}": marked})
    runs = pagefind_runs(monkeypatch)
    result = build_site(root, today=TODAY)
    assert result.ok
    site = root / "site"
    assert [run[run.index("--site") + 1] for run in runs] == [str(runs[0][1])]
    assert not runs[0][1].startswith(scratch.CANDIDATES[0])  # the staged site, whole
    assert json.loads((site / search.PARTS_FILE).read_text()) == []
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    pages = sum(lang["page_count"] for lang in entry["languages"].values())
    guides = len(list(site.glob("*.cite.json")))  # a guide page has its twin
    assert guides == 12
    if override == "about-evidence.html":
        assert pages == guides + 1
    else:  # no page is marked: pagefind indexes every page
        assert pages == len(list(site.rglob("*.html")))
    notes = [n for n in result.notes if "mark other pages than the guides" in n]
    assert [n.split(":")[0] for n in notes] == ([f"templates/{override}"] if parted else [])
    _edit(root, "extra-3")
    assert build_site(root, today=TODAY).ok
    assert len(runs) == 2
    assert tree_digest(site) == cold_tree(root, tmp_path)


def test_a_bundle_moves_into_the_staging_folder_by_whole_folders_where_it_can(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A part's bundle is moved into the staging folder with one rename for each folder
    the staging folder does not hold yet, and every file it moved is listed."""
    staging, bundle = tmp_path / "staging", tmp_path / "bundle-0"
    (staging / "pagefind" / "parts" / "1").mkdir(parents=True)
    (staging / "pagefind" / "parts" / "1" / "kept").write_bytes(b"another part")
    made = {"pagefind-entry.json": b"{}", **{f"fragment/f{i}": b"f" for i in range(30)},
            **{f"index/i{i}": b"i" for i in range(5)}}  # fmt: skip
    for rel, data in made.items():
        (bundle / rel).parent.mkdir(parents=True, exist_ok=True)
        (bundle / rel).write_bytes(data)
    renamed: list[str] = []
    rename = os.rename

    def counted(source: str, destination: str) -> None:
        renamed.append(destination)
        rename(source, destination)

    monkeypatch.setattr(os, "rename", counted)
    moved = search._move_tree(bundle, staging, "pagefind")
    assert sorted(moved) == sorted(f"pagefind/{rel}" for rel in made)
    assert len(renamed) == 3  # the entry file, fragment/ and index/
    for rel, data in made.items():
        assert (staging / "pagefind" / rel).read_bytes() == data
    assert (staging / "pagefind" / "parts" / "1" / "kept").read_bytes() == b"another part"
