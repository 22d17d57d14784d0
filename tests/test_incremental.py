"""Incremental and parallel builds give exactly the bytes of a cold serial build."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from citeguide import buildcache
from citeguide.build import build_site
from conftest import REPO, TODAY, guide_text, tree_digest, write_site


def _site(tmp_path: Path, search: bool = False) -> Path:
    root = tmp_path / "root"
    shutil.copytree(REPO / "content", root / "content")
    config = (REPO / "citeguide.toml").read_text()
    (root / "citeguide.toml").write_text(("" if search else "search = false\n") + config)
    return root


def _cold(root: Path, tmp_path: Path) -> dict[str, str]:
    """A cold, serial, cache-less build of a copy of `root`."""
    copy = tmp_path / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", "build"))
    assert build_site(copy, today=TODAY, jobs=1, use_cache=False).ok
    return tree_digest(copy / "site")


def _touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    # a new mtime even on coarse clocks, so the stat check sees the change
    stamp = time.time_ns() + 2_000_000_000
    os.utime(path, ns=(stamp, stamp))


def _edit_guide(root: Path) -> None:
    guide = root / "content" / "guides" / "model-size-for-one-gpu.md"
    _touch(guide, guide.read_text().replace("Memory decides.", "Memory decides, mostly."))


def _edit_template(root: Path) -> None:
    write_site(root, {"templates/tag.html": (REPO / "templates" / "tag.html").read_text()
                      .replace("<h1>#{{ tag }}</h1>", "<h1>Tag: {{ tag }}</h1>")})  # fmt: skip


def _edit_table(root: Path) -> None:
    table = root / "content" / "data" / "api_prices.yaml"
    _touch(table, table.read_text().replace("output: 5.00", "output: 4.00"))


def _edit_config(root: Path) -> None:
    config = root / "citeguide.toml"
    _touch(config, config.read_text().replace("Cited decision guides", "Guides, cited"))


def _add_guide(root: Path) -> None:
    write_site(root, {"content/guides/added.md": guide_text("An added guide")})


def _delete_guide(root: Path) -> None:
    (root / "content" / "guides" / "choosing-a-serving-stack.md").unlink()


def _retitle_guide(root: Path) -> None:
    """Other guides' pages show this title under "More guides": they must follow."""
    guide = root / "content" / "guides" / "choosing-a-serving-stack.md"
    _touch(
        guide, guide.read_text().replace('title: "Choosing a serving stack:', 'title: "Picking:')
    )


def _retag_guide(root: Path) -> None:
    """Related guides are found by shared tags: a new tag changes other pages."""
    guide = root / "content" / "guides" / "model-size-for-one-gpu.md"
    text = guide.read_text()
    _touch(guide, text.replace("tags: [", "tags: [serving, ", 1))


CHANGES: dict[str, Callable[[Path], None]] = {
    "guide edit": _edit_guide,
    "template edit": _edit_template,
    "data-table edit": _edit_table,
    "config edit": _edit_config,
    "guide added": _add_guide,
    "guide deleted": _delete_guide,
    "guide retitled": _retitle_guide,
    "guide retagged": _retag_guide,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_incremental_build_equals_cold_build(tmp_path: Path, change: str) -> None:
    root = _site(tmp_path)
    assert build_site(root, today=TODAY).ok
    CHANGES[change](root)
    result = build_site(root, today=TODAY)
    assert result.ok, result.diagnostics.render()
    assert not result.noop
    assert tree_digest(root / "site") == _cold(root, tmp_path)


def test_incremental_with_search_index_equals_cold_build(tmp_path: Path) -> None:
    root = _site(tmp_path, search=True)
    assert build_site(root, today=TODAY).ok
    _edit_guide(root)
    assert build_site(root, today=TODAY).ok
    assert tree_digest(root / "site") == _cold(root, tmp_path)


def test_parallel_output_is_identical_to_serial(tmp_path: Path) -> None:
    root = _site(tmp_path)
    for i in range(12):  # enough guides for the process pool to be used
        write_site(root, {f"content/guides/extra-{i:02d}.md": guide_text(f"Extra {i}")})
    assert build_site(root, today=TODAY, jobs=2, use_cache=False).ok
    assert tree_digest(root / "site") == _cold(root, tmp_path)


def test_noop_build_leaves_site_untouched(tmp_path: Path) -> None:
    root = _site(tmp_path)
    assert build_site(root, today=TODAY).ok
    index = root / "site" / "index.html"
    before = index.stat().st_mtime_ns
    result = build_site(root, today=TODAY)
    assert result.ok
    assert result.noop
    assert index.stat().st_mtime_ns == before


def test_hand_edited_site_file_is_rebuilt(tmp_path: Path) -> None:
    root = _site(tmp_path)
    assert build_site(root, today=TODAY).ok
    (root / "site" / "model-size-for-one-gpu.md").write_text("vandalised")
    result = build_site(root, today=TODAY)
    assert not result.noop
    assert tree_digest(root / "site") == _cold(root, tmp_path)


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a cache", b"citeguide-cache-1\n" + b"0" * 64 + b"junk"],
    ids=["empty", "garbage", "bad-checksum"],
)
def test_corrupt_cache_is_ignored(tmp_path: Path, damage: bytes) -> None:
    root = _site(tmp_path)
    assert build_site(root, today=TODAY).ok
    (root / buildcache.CACHE_FILE).write_bytes(damage)
    _edit_guide(root)
    result = build_site(root, today=TODAY)
    assert result.ok
    assert tree_digest(root / "site") == _cold(root, tmp_path)


def test_cache_from_other_inputs_is_not_trusted(tmp_path: Path) -> None:
    root = _site(tmp_path)
    assert build_site(root, today=TODAY).ok
    key = buildcache.inputs_key(root, today=TODAY, drafts=False)
    assert buildcache.load(root, key).entries
    assert not buildcache.load(root, "another-key").entries
    tomorrow = buildcache.inputs_key(root, today=TODAY.replace(day=28), drafts=False)
    assert tomorrow != key


def test_incremental_build_into_another_folder(tmp_path: Path) -> None:
    root = _site(tmp_path)
    out = tmp_path / "elsewhere"
    assert build_site(root, today=TODAY, out=out).ok
    _edit_guide(root)
    assert build_site(root, today=TODAY, out=out).ok
    assert not (root / "site").exists()
    assert tree_digest(out) == _cold(root, tmp_path)


def test_failed_build_then_fix_publishes_every_guide(tmp_path: Path) -> None:
    """Guides parsed by a failed build have no pages yet: the next build must write them."""
    root = _site(tmp_path)
    bad = root / "content" / "guides" / "choosing-a-serving-stack.md"
    good = bad.read_text()
    _touch(bad, good.replace("· high]", "· sure]", 1))
    assert not build_site(root, today=TODAY).ok
    _edit_guide(root)  # another guide changes while the build is broken
    assert not build_site(root, today=TODAY).ok
    _touch(bad, good)
    assert build_site(root, today=TODAY).ok
    assert tree_digest(root / "site") == _cold(root, tmp_path)
    again = build_site(root, today=TODAY)
    assert again.noop
    assert tree_digest(root / "site") == _cold(root, tmp_path)


def test_broken_template_override_is_a_positioned_error(tmp_path: Path) -> None:
    root = _site(tmp_path)
    write_site(root, {"templates/guide.html": "{% extends 'base.html' %}\n{% block main %}"})
    result = build_site(root, today=TODAY)
    assert not result.ok
    (problem,) = result.diagnostics.errors
    assert problem.format().startswith("templates/guide.html:2:1: error: template error:")
    assert problem.rule == "template"


def test_serve_builder_renders_edits_made_while_broken(tmp_path: Path) -> None:
    from citeguide.incremental import IncrementalBuilder

    root = _site(tmp_path)
    builder = IncrementalBuilder(root, today=TODAY)
    assert builder.update().ok
    bad = root / "content" / "guides" / "choosing-a-serving-stack.md"
    good = bad.read_text()
    _touch(bad, good.replace("· high]", "· sure]", 1))
    assert not builder.update({bad}).ok
    edited = root / "content" / "guides" / "model-size-for-one-gpu.md"
    _edit_guide(root)
    assert not builder.update({edited}).ok
    _touch(bad, good)
    assert builder.update({bad}).ok
    assert b"Memory decides, mostly." in builder.files["model-size-for-one-gpu/index.html"]
