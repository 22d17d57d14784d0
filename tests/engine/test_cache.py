"""The build cache (engine/cache.py): kept for the same inputs, discarded out loud."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from citeguide.cli import main
from citeguide.engine import cache
from citeguide.engine.builder import build_site
from citeguide.engine.inputs import inputs_keys
from citeguide.engine.noop import RECORD_FILE
from conftest import REPO, TODAY, tree_digest


def _built(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(REPO / "content", root / "content")
    (root / "citeguide.toml").write_text("search = false\n", encoding="utf-8")
    assert build_site(root, today=TODAY).ok
    return root


def test_a_discarded_cache_prints_its_note_and_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _built(tmp_path)
    (root / cache.INDEX_FILE).write_bytes(b"not a cache\n")
    (root / RECORD_FILE).unlink()  # else the no-op record answers before the cache is read
    assert main(["build", "--root", str(root)]) == 0
    assert (
        "build/citeguide-cache/index.json: note: the build cache was discarded (corrupt: not "
        "a file citeguide wrote); every guide is processed again"
    ) in capsys.readouterr().err


def test_entries_load_for_their_key_only_and_a_forged_one_is_counted(tmp_path: Path) -> None:
    root = _built(tmp_path)
    key = inputs_keys(root, today=TODAY)[1]  # the entries key
    loaded = cache.load(root, key)
    assert sorted(loaded.entries) == sorted(
        f"content/guides/{p.name}" for p in (root / "content" / "guides").glob("*.md")
    )
    assert loaded.complete
    assert not loaded.notes
    assert not cache.load(root, "another key").entries
    entry = next((root / cache.ENTRY_DIR).glob("*.json"))
    entry.write_bytes(entry.read_bytes().replace(b'"path"', b'"PATH"'))
    forged = cache.load(root, key)
    assert len(forged.entries) == 3
    assert not forged.complete
    assert forged.notes == [
        "build/citeguide-cache/guides: note: 1 of 4 build cache entries were discarded "
        "(foreign: 1); those guides are processed again"
    ]


def test_an_edited_model_makes_every_guide_stale(tmp_path: Path) -> None:
    root = _built(tmp_path)
    model = root / "content" / "models" / "heating.yaml"
    model.write_text(
        model.read_text().replace("energy_in * tariff.price", "energy_in * tariff.price * 2")
    )
    assert build_site(root, today=TODAY).ok
    cold = tmp_path / "cold"
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns("site", "build"))
    assert build_site(cold, today=TODAY, use_cache=False).ok
    assert tree_digest(root / "site") == tree_digest(cold / "site")
