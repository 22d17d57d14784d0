"""The build as a whole: determinism, atomicity, drafts, packaged defaults, overrides."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from citeguide.cli import main
from citeguide.engine import tree, writer
from citeguide.engine.builder import build_site
from conftest import REPO, TODAY, guide_text, tree_digest, write_site


def test_two_builds_give_identical_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for root in (first, second):
        shutil.copytree(REPO / "content", root / "content")
        assert build_site(root, today=TODAY).ok
    assert tree_digest(first / "site") == tree_digest(second / "site")


def test_failing_build_leaves_previous_site_untouched(site: Path) -> None:
    assert build_site(site, today=TODAY).ok
    before = tree_digest(site / "site")
    guide = site / "content" / "guides" / "demo.md"
    guide.write_text(guide.read_text().replace("· high]", "· sure]"), encoding="utf-8")
    result = build_site(site, today=TODAY)
    assert not result.ok
    assert tree_digest(site / "site") == before
    assert sorted(p.name for p in site.iterdir()) == ["build", "content", "site"]


def test_crash_while_writing_keeps_old_site_and_no_staging(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build_site(site, today=TODAY).ok
    before = tree_digest(site / "site")
    calls = 0
    real_open = open

    def flaky(path: str, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        if "w" in mode:
            calls += 1
            if calls == 3:
                raise OSError(28, "No space left on device")
        return real_open(path, mode, *args, **kwargs)

    # the writer opens each file by name (plain strings, see engine/writer.py)
    monkeypatch.setattr(writer, "open", flaky, raising=False)
    with pytest.raises(OSError, match="No space"):
        writer.write_tree(site / "site", {f"f{i}.txt": b"x" for i in range(5)})
    assert calls == 3
    monkeypatch.undo()
    assert tree_digest(site / "site") == before
    assert sorted(p.name for p in site.iterdir()) == ["build", "content", "site"]


def test_background_work_runs_alongside_meanwhile_and_ends_before_the_swap(
    tmp_path: Path,
) -> None:
    """`finalize` may start work (pagefind) and return its waiter: `meanwhile` runs while
    it goes on, and the swap waits for it; a failure in either leaves the target as it
    was, with the background work finished before its folder is removed."""
    target, trash = tmp_path / "out", tmp_path / "build"
    writer.write_tree(target, {"a.txt": b"old"}, trash=trash)
    started, signalled, order = threading.Event(), threading.Event(), []

    def finalize(staging: Path) -> Callable[[], None]:
        def job() -> None:
            started.set()
            # Finishes only once `meanwhile` has run: it must not wait for this.
            if signalled.wait(timeout=30):
                (staging / "index.txt").write_bytes(b"indexed")
            order.append("job")

        worker = threading.Thread(target=job)
        worker.start()

        def wait() -> None:
            worker.join()
            order.append("waited")

        return wait

    def meanwhile(staging: Path) -> None:
        assert started.wait(timeout=30)
        assert (staging / "a.txt").read_bytes() == b"new"  # written before pagefind ends
        order.append("meanwhile")
        signalled.set()

    writer.write_tree(target, {"a.txt": b"new"}, finalize, trash=trash, meanwhile=meanwhile)
    assert order == ["meanwhile", "job", "waited"]
    assert (target / "index.txt").read_bytes() == b"indexed"
    assert (target / "a.txt").read_bytes() == b"new"

    before = tree_digest(target)
    started.clear()
    signalled.clear()
    order.clear()

    def failing(_staging: Path) -> None:
        assert started.wait(timeout=30)
        signalled.set()
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        writer.write_tree(target, {"a.txt": b"newer"}, finalize, trash=trash, meanwhile=failing)
    assert order == ["job", "waited"]
    assert tree_digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "out"]  # no staging left


def test_removed_guide_disappears_from_site(site: Path) -> None:
    write_site(site, {"content/guides/other.md": guide_text("Other")})
    assert build_site(site, today=TODAY).ok
    assert (site / "site" / "other.cite.json").exists()
    (site / "content" / "guides" / "other.md").unlink()
    assert build_site(site, today=TODAY).ok
    assert not (site / "site" / "other.cite.json").exists()
    assert not (site / "site" / "other").exists()


def test_drafts_are_skipped_by_build(site: Path) -> None:
    draft = guide_text("Draft").replace("tags:", "draft: true\ntags:")
    write_site(site, {"content/guides/wip.md": draft})
    result = build_site(site, today=TODAY)
    assert [g.slug for g in result.pages] == ["demo"]
    assert not (site / "site" / "wip").exists()


def test_strict_turns_warnings_into_errors(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "---\ntitle: T\nsummary: S.\npublished: 2026-01-01\n---\n\nNo sources here.\n"
    write_site(site, {"content/guides/uncited.md": text})
    assert main(["build", "--root", str(site)]) == 0
    assert "content/guides/uncited.md:1:1: warning: guide cites no sources" in (
        capsys.readouterr().err
    )
    assert main(["build", "--strict", "--root", str(site)]) == 1


def test_site_template_overrides_the_default(site: Path) -> None:
    write_site(site, {"templates/assets/style.css": "body { color: red; }\n"})
    assert build_site(site, today=TODAY).ok
    assert (site / "site" / "assets" / "style.css").read_text() == "body { color: red; }\n"


def test_config_sets_canonical_urls(site: Path) -> None:
    write_site(site, {"citeguide.toml": 'base_url = "https://g.example.org/docs"\n'})
    assert build_site(site, today=TODAY).ok
    page = (site / "site" / "demo" / "index.html").read_text()
    assert '<link rel="canonical" href="https://g.example.org/docs/demo/">' in page
    assert "https://g.example.org/docs/demo.cite.json" in page


def test_config_errors_are_all_reported_with_lines(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(site, {"citeguide.toml": 'title = ""\nbase_url = "ftp://x"\ncolour = 1\n'})
    assert main(["build", "--root", str(site)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "citeguide.toml:1:1: error: title: String should have at least 1 character "
        "[config-invalid]",
        "citeguide.toml:2:1: error: base_url: must be an absolute http(s) URL or start with / "
        "[config-invalid]",
        "citeguide.toml:3:1: error: unknown key 'colour' [config-unknown-key]",
    ]


def test_wheel_ships_defaults_and_builds_a_bare_site(tmp_path: Path) -> None:
    """`pip install` the wheel, cd to a folder with only content/, `citeguide build`."""
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(REPO)],
        check=True,
    )  # fmt: skip
    wheel = next(dist.glob("citeguide-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "citeguide/_defaults/templates/guide.html" in names
    assert "citeguide/_defaults/schemas/cite.schema.json" in names
    installed = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(installed)
    bare = write_site(tmp_path / "bare", {"content/guides/demo.md": guide_text()})
    env = {**os.environ, "PYTHONPATH": str(installed)}
    proc = subprocess.run(
        [sys.executable, "-c", "import citeguide.cli as c; raise SystemExit(c.main(['build']))"],
        cwd=bare,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert (bare / "site" / "demo" / "index.html").exists()
    assert (bare / "site" / "schemas" / "cite.schema.json").exists()
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import citeguide.resources as r; print(r.default_dir('templates'))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip().startswith(str(installed))


def test_config_error_inside_a_quoted_dotted_table(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = '[linkcheck.hosts."www.example.com"]\naccept = [403]\ncolour = 1\n'
    write_site(site, {"citeguide.toml": config})
    assert main(["build", "--root", str(site)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "citeguide.toml:3:1: error: unknown key 'linkcheck.hosts.www.example.com.colour' "
        "[config-unknown-key]"
    ]


def test_the_replaced_tree_is_the_next_staging_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tree a build replaced is kept in the build folder; the next build keeps of it
    the files still the target's own and links, writes or removes only the rest."""
    target, trash = tmp_path / "site", tmp_path / "build"
    pages = {f"g{i}/index.html": f"page {i}".encode() for i in range(50)}
    writer.write_tree(target, {**pages, "index.html": b"v1", "gone.txt": b"x"}, trash=trash)
    carry = sorted(pages)
    writer.write_tree(target, {"index.html": b"v2", "gone.txt": b"x"}, carry=carry, trash=trash)
    assert (trash / writer.SPARE / "index.html").read_bytes() == b"v1"
    links: list[str] = []
    real = writer._link

    def counted(source: str, destination: str) -> None:
        links.append(source)
        real(source, destination)

    monkeypatch.setattr(writer, "_link", counted)
    changed = {"g7/index.html": b"page 7, edited", "index.html": b"v3", "new/index.html": b"n"}
    writer.write_tree(target, changed, carry=[c for c in carry if c not in changed], trash=trash)
    assert links == []  # every carried page was in the spare tree already
    expected = {**pages, **changed}
    files = [p for p in target.rglob("*") if p.is_file()]
    assert {p.relative_to(target).as_posix(): p.read_bytes() for p in files} == expected
    assert sorted(p.name for p in target.iterdir() if p.is_dir()) == sorted(
        {k.split("/")[0] for k in expected if "/" in k}
    )
    # The spare (the tree just replaced) was not touched through its shared inodes.
    assert (trash / writer.SPARE / "g7" / "index.html").read_bytes() == b"page 7"
    assert (trash / writer.SPARE / "index.html").read_bytes() == b"v2"
    # A build that writes most files anew (a template changed) has no use for it.
    writer.write_tree(target, {k: v + b"!" for k, v in expected.items()}, trash=trash)
    assert not os.path.lexists(trash / writer.SPARE)
    assert (target / "g7" / "index.html").read_bytes() == b"page 7, edited!"


def test_a_spare_folder_holding_nothing_kept_is_moved_away_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder of the spare tree none of whose files is carried (a search index part
    indexed again) is not unlinked file by file while the build waits: it is moved into
    the build folder whole and deleted there without waiting."""
    target, trash = tmp_path / "site", tmp_path / "build"
    pages = {f"g{i}/index.html": f"page {i}".encode() for i in range(100)}
    part = {f"pagefind/parts/3/fragment/f{i}": f"fragment {i}".encode() for i in range(40)}
    writer.write_tree(target, {**pages, **part, "index.html": b"v1"}, trash=trash)
    writer.write_tree(target, {**part, "index.html": b"v2"}, carry=sorted(pages), trash=trash)
    assert (trash / writer.SPARE / "pagefind" / "parts" / "3" / "fragment" / "f7").exists()
    removed: list[str] = []
    unlink = os.unlink

    def counted(path: Any, *args: Any, **kwargs: Any) -> None:
        removed.append(os.fspath(path))
        unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", counted)
    new_part = {k: v + b"!" for k, v in part.items()}
    writer.write_tree(target, {**new_part, "index.html": b"v3"}, carry=sorted(pages), trash=trash)
    assert [r for r in removed if os.path.basename(r).startswith("f")] == []
    files = {p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*")
             if p.is_file()}  # fmt: skip
    assert files == {**pages, **new_part, "index.html": b"v3"}
    deadline = time.monotonic() + 30  # the detached `rm` is done with what was moved
    while list(trash.glob("old-site-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(trash.glob("old-site-*")) == []


def test_a_listing_that_cannot_tell_files_apart_keeps_nothing(tmp_path: Path) -> None:
    """Hard links share an inode, and `site/` holds none of its own: two names with one
    inode (or inode 0) in its listing mean the filesystem's listing is not to be trusted."""
    (tmp_path / "a").write_bytes(b"a")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "b").write_bytes(b"b")
    assert sorted(writer._inodes(tree.files(str(tmp_path)))) == ["a", "d/b"]
    os.link(tmp_path / "a", tmp_path / "d" / "c")
    assert writer._inodes(tree.files(str(tmp_path))) == {}
    assert writer._inodes(None) == {}


@pytest.mark.parametrize(("part_size", "search"), [(128, True), (1, True), (1, False)])
def test_the_recorded_digest_of_site_is_that_of_a_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, part_size: int, search: bool
) -> None:
    """The digest of `site/` a build records is derived from the stamps it took before
    writing (a carried file is the same inode), not from a walk of the new tree: it must
    be the walk's, cold, after edits, after a hand edit of `site/` and with a file
    copied where it could not be linked, and `site/` is walked once per build."""
    from citeguide.engine import cache_files, noop
    from citeguide.engine import search as search_module
    from citeguide.engine.cache_files import ReadAhead
    from citeguide.engine.incremental import Site

    monkeypatch.setattr(search_module, "PART_SIZE", part_size)
    # Forked beside earlier tests' idle threads, as in tests/engine/test_cache_files.py.
    monkeypatch.setattr(cache_files, "_single_threaded", lambda: True)
    root = write_site(tmp_path / "r", {f"content/guides/g{i}.md": guide_text(f"Guide {i}")
                                        for i in range(4)})  # fmt: skip
    if not search:
        (root / "citeguide.toml").write_text("search = false\n", encoding="utf-8")
    walks: list[str] = []
    real_files = tree.files
    monkeypatch.setattr(tree, "files", lambda top: (walks.append(top), real_files(top))[1])
    copied = writer._link

    copies: list[str] = []

    def copy(source: str, destination: str) -> bool:
        copies.append(destination)
        shutil.copy2(source, destination)
        return False

    def edit(step: int) -> None:
        if step == 2:  # a page changed by hand (not the guide edited): rendered again
            (root / "site" / "g3" / "index.html").write_text("by hand", encoding="utf-8")
        elif step == 3:  # links fail (another filesystem): carried files are copied
            monkeypatch.setattr(writer, "_link", copy)
            shutil.rmtree(root / "build" / writer.SPARE, ignore_errors=True)
        (root / f"content/guides/g{step % 4}.md").write_text(guide_text(f"Guide {step}!"))

    for step in range(6):
        walks.clear()
        # On odd steps the stamps of site/ come from a child process that read ahead.
        ahead = ReadAhead(root, root / "site") if step % 2 else None
        assert build_site(root, today=TODAY, shortcut=False, ahead=ahead).ok, step
        # One walk of site/ before writing (none here when it was read ahead); the build
        # derives the rest.
        assert walks == [str(root / "site")] * (step > 0 and not step % 2), step
        if step == 4:
            assert copies, "no file was copied"
        recorded = Site(root, today=TODAY)
        recorded.load_cache()
        assert recorded.tree == noop.tree_digest(root / "site"), step
        edit(step)
    monkeypatch.setattr(writer, "_link", copied)


@pytest.mark.parametrize("part_size", [128, 1])
def test_the_file_count_is_every_file_of_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, part_size: int
) -> None:
    """`built N guides into site/ (M files)`: M counts pagefind's bundles too, cold and
    after an edit, whole or in parts (it counted only what citeguide wrote itself)."""
    from citeguide.engine import search

    monkeypatch.setattr(search, "PART_SIZE", part_size)
    root = write_site(tmp_path / "r", {f"content/guides/g{i}.md": guide_text(f"Guide {i}")
                                        for i in range(3)})  # fmt: skip
    for step in range(2):
        result = build_site(root, today=TODAY)
        assert not result.diagnostics.has_errors()
        on_disk = sum(1 for p in (root / "site").rglob("*") if p.is_file())
        assert any((root / "site").rglob("pagefind-entry.json"))
        assert result.files == on_disk, step
        (root / "content/guides/g1.md").write_text(guide_text("Guide 1, edited"))
