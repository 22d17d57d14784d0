"""The build cache (engine/cache.py): kept for the same inputs, discarded out loud."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from citeguide.cli import main
from citeguide.engine import cache, cache_lines, cited, trust, writer
from citeguide.engine.builder import build_site
from citeguide.engine.inputs import inputs_keys
from citeguide.engine.noop import RECORD_FILE
from citeguide.records import GuideResult, listing_digest
from conftest import REPO, TODAY, cold_tree, tree_digest


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


# ------------------------------------------------------------ the head and the rest

STACK = "content/guides/choosing-a-serving-stack.md"


def test_an_entry_head_leaves_citations_link_lookups_and_listing_fragments_for_later(
    tmp_path: Path,
) -> None:
    """What one edit validates of each of 2,000 entries before pagefind starts is its
    head (a third of its bytes); `fill` puts back, a line at a time, exactly what the
    guide's processing made."""
    root = _built(tmp_path)
    loaded = cache.load(root, inputs_keys(root, today=TODAY)[1])
    assert sorted(loaded.late) == sorted(loaded.entries)
    for path, entry in loaded.entries.items():
        head, late = entry.result, loaded.late[path]
        assert late.result is head
        assert (head.uses, head.link_keys) == ([], [])
        assert head.listing is not None
        assert head.listing.index_entry == head.listing.atom == ""
        cache.fill(entry, late, "cited")
        assert entry.result is head  # filled in place: the cache still knows it unchanged
        assert all((head.uses, head.link_keys))  # every bundled guide cites
        assert head.listing.index_entry == ""  # a line of its own, not read yet
        cache.fill(entry, late, "listed")
        # The listing is whole again: its digest is the one made when it was rendered.
        assert listing_digest(head.listing) == head.listed
        assert all((head.listing.index_entry, head.listing.tag_entry, head.listing.atom))
        assert (late.cited, late.listed) == (None, None)


def _retitled(root: Path, path: str) -> None:
    guide = root / path
    text = guide.read_text(encoding="utf-8")
    assert 'title: "' in text
    guide.write_text(text.replace('title: "', 'title: "Retitled: ', 1), encoding="utf-8")


def test_listing_pages_and_checks_record_after_an_edit_are_those_of_a_cold_build(
    tmp_path: Path,
) -> None:
    """A retitled guide makes the listing pages again from the other entries' fragments,
    read from their third lines; `check`'s record of every citation is written from
    their second lines. Both equal a cold build's."""
    root = _built(tmp_path)
    _retitled(root, STACK)
    result = build_site(root, today=TODAY)
    assert result.ok
    assert not result.notes
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)
    cold = tmp_path / "cold"  # cold_tree's copy, built without a cache
    assert build_site(cold, today=TODAY, jobs=1).ok  # a no-op that writes its record
    ours, theirs = (cited.recorded(r, today=TODAY, notes=[]) for r in (root, cold))
    assert ours is not None
    assert theirs is not None
    assert len(ours[0]) > 100
    assert ours[0] == theirs[0]


def test_checks_record_takes_unchanged_entries_uses_as_their_lines_hold_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an edit, no other entry's cited line is validated for `check`'s record:
    its uses are spliced in as the line holds them, and the record is a cold build's."""
    root = _built(tmp_path)
    filled: list[str] = []
    fill = cache_lines.fill

    def counting(entry: cache.Entry, late: cache.Late, part: str) -> None:
        filled.append(f"{entry.result.path} {part}")
        fill(entry, late, part)

    monkeypatch.setattr(cache_lines, "fill", counting)
    guide = root / STACK
    guide.write_text(guide.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert build_site(root, today=TODAY).ok
    assert filled == []
    cold = tmp_path / "cold"
    shutil.copytree(root / "content", cold / "content")
    shutil.copy(root / "citeguide.toml", cold / "citeguide.toml")
    assert build_site(cold, today=TODAY).ok
    ours, theirs = (cited.recorded(r, today=TODAY, notes=[]) for r in (root, cold))
    assert ours is not None
    assert theirs is not None
    assert len(ours[0]) > 100
    assert ours == theirs


def test_entries_are_saved_before_the_swap_and_named_by_the_index_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build writes its cache entries while pagefind runs, before site/ is swapped, and
    the index naming them after; a build that fails between the two leaves the last
    index, whose entries are all there: the next build is a cold build's, and quiet."""
    root = _built(tmp_path)
    events: list[str] = []
    save_entries, save, exchange = cache.save_entries, cache.save, writer.exchange

    def logged(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            events.append(name)
            return real(*args)

        return call

    monkeypatch.setattr(cache, "save_entries", logged("entries", save_entries))
    monkeypatch.setattr(cache, "save", logged("index", save))
    monkeypatch.setattr(writer, "exchange", logged("swap", exchange))
    _retitled(root, STACK)
    assert build_site(root, today=TODAY).ok
    assert events == ["entries", "swap", "index"]

    def full(a: Path, b: Path) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "exchange", full)
    _retitled(root, STACK)
    before = (root / cache.INDEX_FILE).read_bytes()
    with pytest.raises(OSError, match="No space"):
        build_site(root, today=TODAY)
    assert (root / cache.INDEX_FILE).read_bytes() == before
    monkeypatch.undo()
    result = build_site(root, today=TODAY)
    assert result.ok
    assert not result.notes
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)


def _late(line: bytes) -> tuple[cache_lines.Late, GuideResult]:
    result = GuideResult(path="content/guides/a.md", slug="a", draft=False, problems=[])
    return cache_lines.Late(result, line, None), result


def test_unread_uses_are_the_uses_array_of_the_line_and_nothing_else() -> None:
    rows = [(3, 7, "2026-01-02", "high", 'https://example.org/?q="],"link_keys":[', "k")]
    held = _late(b"x")[0]
    held.cited = None  # as a line made from its fields
    line = cache_lines.lines_of(held, cache_lines._Cited(rows, ["k"]), cache_lines._Listed(None))[0]
    late, result = _late(line)
    raw = cache.unread_uses(late, result)
    assert raw is not None
    assert json.loads(raw) == [list(row) for row in rows]
    other = GuideResult(path=result.path, slug="a", draft=False, problems=[])
    assert cache.unread_uses(late, other) is None  # processed since: its own uses
    assert cache.unread_uses(_late(b'{"uses": [], "link_keys": []}')[0], result) is None
    assert cache.unread_uses(_late(b'{"uses":[]}')[0], result) is None
    late.cited = None  # filled in: the result holds the uses now
    assert cache.unread_uses(late, result) is None


def test_an_entry_whose_cited_line_is_damaged_is_processed_again_with_a_note(
    tmp_path: Path,
) -> None:
    """Sealed with the user's key yet not this citeguide's shape (nothing but a bug makes
    one): the guide is processed again, the site is the cold build's, and it says so."""
    root = _built(tmp_path)
    index_file = root / cache.INDEX_FILE
    found = trust.opened(cache.INDEX_FORMAT, index_file.read_bytes())
    assert not isinstance(found, str)
    index = json.loads(found[0])
    name, _ = index["entries"][STACK]
    entry_file = root / cache.ENTRY_DIR / f"{name}.json"
    body = trust.opened(cache.ENTRY_FORMAT, entry_file.read_bytes())
    assert not isinstance(body, str)
    head, _, rest = body[0].partition(b"\n")
    listed = rest.partition(b"\n")[2]
    sealed = trust.seal(cache.ENTRY_FORMAT, head + b'\n{"uses": "not a list"}\n' + listed)
    damaged = sealed[: sealed.index(b"\n")].split(b" ")[1].decode()
    (root / cache.ENTRY_DIR / f"{damaged}.json").write_bytes(sealed)
    index["entries"][STACK] = [damaged, len(sealed)]
    index_file.write_bytes(trust.seal(cache.INDEX_FORMAT, json.dumps(index).encode()))
    _retitled(root, "content/guides/heat-pump-or-gas-boiler.md")  # the listings are made again
    result = build_site(root, today=TODAY)
    assert result.ok
    assert [n for n in result.notes if "could not be read in full" in n] == [
        f"build/citeguide-cache/guides: note: the build cache entry of {STACK} could not be "
        "read in full (its cited line is not what this citeguide writes); the guide was "
        "processed again"
    ]
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)
