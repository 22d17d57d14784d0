"""Incremental and parallel builds give exactly the bytes of a cold serial build."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from citeguide.engine import cache as buildcache
from citeguide.engine.builder import build_site
from citeguide.engine.incremental import Site
from citeguide.engine.inputs import inputs_keys
from citeguide.records import GuideResult
from conftest import REPO, TODAY, cold_tree, guide_text, pagefind_runs, tree_digest, write_site


def _site(tmp_path: Path, search: bool = False) -> Path:
    root = tmp_path / "root"
    shutil.copytree(REPO / "content", root / "content")
    config = (REPO / "citeguide.toml").read_text()
    (root / "citeguide.toml").write_text(("" if search else "search = false\n") + config)
    return root


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
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)


def test_incremental_with_search_index_equals_cold_build(tmp_path: Path) -> None:
    root = _site(tmp_path, search=True)
    assert build_site(root, today=TODAY).ok
    _edit_guide(root)
    assert build_site(root, today=TODAY).ok
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)


def test_parallel_output_is_identical_to_serial(tmp_path: Path) -> None:
    root = _site(tmp_path)
    for i in range(12):  # enough guides for the process pool to be used
        write_site(root, {f"content/guides/extra-{i:02d}.md": guide_text(f"Extra {i}")})
    assert build_site(root, today=TODAY, jobs=2, use_cache=False).ok
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)


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
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (b"", "corrupt"),
        (b"not a cache", "corrupt"),
        (buildcache.INDEX_FORMAT.encode() + b" " + b"0" * 64 + b"\njunk", "foreign"),
        (b"citeguide-cache-index-6 " + b"0" * 64 + b"\n{}", "version"),
        (b"citeguide-cache-1\n" + b"0" * 64 + b"junk", "corrupt"),
        (None, "too large"),
    ],
    ids=["empty", "garbage", "bad-seal", "old-version", "old-format", "too-large"],
)
def test_a_discarded_cache_is_noted_with_its_reason(
    tmp_path: Path, damage: bytes | None, why: str
) -> None:
    root = _site(tmp_path)
    assert build_site(root, today=TODAY).ok
    index = root / buildcache.INDEX_FILE
    if damage is None:  # sparse: over the index's own cap, never read
        with index.open("r+b") as handle:
            handle.truncate(buildcache.INDEX_MAX_BYTES + 1)
    else:
        index.write_bytes(damage)
    _edit_guide(root)
    result = build_site(root, today=TODAY)
    assert result.ok
    assert result.notes[0].startswith(
        f"{buildcache.INDEX_FILE.as_posix()}: note: the build cache was discarded ({why}"
    )
    assert result.notes[0].endswith("; every guide is processed again")
    assert len(result.notes) == 1
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)
    again = build_site(root, today=TODAY)  # the cache written since is trusted, silently
    assert again.noop
    assert not again.notes


@pytest.mark.parametrize("damage", ["missing", "edited", "swapped", "grown", "fifo"])
def test_a_discarded_entry_is_noted_and_only_its_guide_is_processed_again(
    tmp_path: Path, damage: str
) -> None:
    root = _site(tmp_path)
    assert build_site(root, today=TODAY).ok
    entries = sorted((root / buildcache.ENTRY_DIR).iterdir())
    assert len(entries) == len(list((root / "content/guides").glob("*.md")))
    victim = entries[0]
    if damage == "missing":
        victim.unlink()
    elif damage == "edited":
        data = bytearray(victim.read_bytes())
        data[-5] ^= 1
        victim.write_bytes(bytes(data))
    elif damage == "swapped":  # another guide's genuine entry under this one's name
        other = next(e for e in entries[1:] if e.stat().st_size != victim.stat().st_size)
        victim.write_bytes(other.read_bytes())
    elif damage == "grown":
        victim.write_bytes(victim.read_bytes() + b" " * 10)
    else:
        victim.unlink()
        os.mkfifo(victim)
    (root / "site" / "index.html").unlink()  # past the no-op record
    site = Site(root, today=TODAY)
    site.load_cache()
    assert len(site.entries) == len(entries) - 1
    assert site.notes == [
        f"{buildcache.ENTRY_DIR.as_posix()}: note: 1 of {len(entries)} build cache entries "
        f"were discarded ({_ENTRY_REASONS[damage]}: 1); those guides are processed again"
    ]
    assert len(site.refresh().processed) == 1
    result = build_site(root, today=TODAY)
    assert result.ok
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)


_ENTRY_REASONS = {
    "missing": "missing",
    "edited": "foreign",
    "swapped": "changed",
    "grown": "changed",
    "fifo": "unsafe",
}


def test_an_entry_is_bound_to_its_name_and_its_guide(tmp_path: Path) -> None:
    """Two genuine entries of the same size, swapped: each is refused where it lies."""
    root = tmp_path
    paths = ["content/guides/a.md", "content/guides/b.md"]
    entries = {p: buildcache.Entry((1, 2), "d", GuideResult(p, p[-4], False, [])) for p in paths}
    buildcache.save(root, buildcache.BuildCache("k", dict(entries)))
    loaded = buildcache.load(root, "k")
    for path, late in loaded.late.items():
        for part in buildcache.PARTS:
            buildcache.fill(loaded.entries[path], late, part)
    assert loaded.entries == entries
    first, second = sorted((root / buildcache.ENTRY_DIR).iterdir())
    assert first.stat().st_size == second.stat().st_size
    data = first.read_bytes()
    first.write_bytes(second.read_bytes())
    second.write_bytes(data)
    loaded = buildcache.load(root, "k")
    assert not loaded.entries
    assert "(foreign: 2)" in loaded.notes[0]


def test_the_one_file_cache_of_older_versions_is_noted_and_removed(tmp_path: Path) -> None:
    root = _site(tmp_path)
    (root / "build").mkdir()
    legacy = root / buildcache.LEGACY_FILE
    legacy.write_bytes(b"citeguide-cache-5 " + b"0" * 64 + b"\n{}")
    result = build_site(root, today=TODAY)
    assert result.ok
    assert result.notes == [
        f"{buildcache.LEGACY_FILE.as_posix()}: note: the build cache was discarded (version: "
        "written by an older citeguide in one file); every guide is processed again"
    ]
    assert not legacy.exists()


def test_cache_from_other_inputs_is_not_trusted(tmp_path: Path) -> None:
    root = _site(tmp_path)
    assert build_site(root, today=TODAY).ok
    key = inputs_keys(root, today=TODAY)[1]  # the entries key
    assert buildcache.load(root, key).entries
    assert not buildcache.load(root, "another-key").entries
    # Other inputs: stale, not bad; the note says every guide is processed again.
    [stale] = buildcache.load(root, "another-key").notes
    assert "every guide is processed again" in stale
    assert "discarded" not in stale
    tomorrow = inputs_keys(root, today=TODAY.replace(day=28))[1]
    assert tomorrow != key


def test_incremental_build_into_another_folder(tmp_path: Path) -> None:
    root = _site(tmp_path)
    out = tmp_path / "elsewhere"
    assert build_site(root, today=TODAY, out=out).ok
    _edit_guide(root)
    assert build_site(root, today=TODAY, out=out).ok
    assert not (root / "site").exists()
    assert tree_digest(out) == cold_tree(root, tmp_path)


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
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)
    again = build_site(root, today=TODAY)
    assert again.noop
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)


def test_broken_template_override_is_a_positioned_error(tmp_path: Path) -> None:
    root = _site(tmp_path)
    write_site(root, {"templates/guide.html": "{% extends 'base.html' %}\n{% block main %}"})
    result = build_site(root, today=TODAY)
    assert not result.ok
    (problem,) = result.diagnostics.errors
    assert problem.format().startswith("templates/guide.html:2:1: error: template error:")
    assert problem.rule == "template"


def test_serve_renders_edits_made_while_broken(tmp_path: Path) -> None:
    """The engine serve keeps in memory: an edit made while another guide is broken is
    rendered once the site is good again, and the result equals a cold build."""
    import io

    from citeguide.commands.serve import LiveSite

    root = _site(tmp_path)
    live = LiveSite(root, io.StringIO())
    live.site.today, live.site.drafts = TODAY, False
    assert live.update()[0]
    bad = root / "content" / "guides" / "choosing-a-serving-stack.md"
    good = bad.read_text()
    _touch(bad, good.replace("· high]", "· sure]", 1))
    assert not live.update({bad})[0]
    edited = root / "content" / "guides" / "model-size-for-one-gpu.md"
    _edit_guide(root)
    assert not live.update({edited})[0]
    _touch(bad, good)
    ok, _, changed = live.update({bad})
    assert ok
    assert changed > 0
    assert b"Memory decides, mostly." in live.files["model-size-for-one-gpu/index.html"]
    cold = cold_tree(root, tmp_path)
    served = {name: hashlib.sha256(data).hexdigest() for name, data in live.files.items()}
    assert served == {k: v for k, v in cold.items() if not k.startswith("pagefind/")}


def _random_edit(root: Path, rng: random.Random, step: int) -> str:
    """One edit of a kind a writer makes, chosen by `rng`; returns what it did."""
    guides = sorted((root / "content" / "guides").glob("*.md"))
    kind = rng.choice(["body", "title", "tags", "add", "delete", "table", "template", "touch"])
    if kind == "delete" and len(guides) > 2:
        victim = rng.choice(guides)
        victim.unlink()
        return f"delete {victim.name}"
    if kind == "add" or (kind == "delete" and len(guides) <= 2):
        name = f"added-{step}.md"
        tags = rng.choice(["[local-models]", "[serving]", "[hardware, serving]"])
        text = guide_text(f"Added {step}").replace("[local-models]", tags)
        write_site(root, {f"content/guides/{name}": text})
        return f"add {name}"
    target = rng.choice(guides)
    text = target.read_text()
    if kind == "body":
        _touch(target, text + f"\nOne more sentence, number {step}.\n")
    elif kind == "title":
        quoted = 'title: "' in text
        old, new = (
            ('title: "', f'title: "Step {step}, ')
            if quoted
            else ("title: ", f"title: Step {step}, ")
        )
        _touch(target, text.replace(old, new, 1))
    elif kind == "tags":
        _touch(target, text.replace("tags: [", f"tags: [step-{step % 3}, ", 1))
    elif kind == "table":
        _edit_table(root)
    elif kind == "template":
        heading = f"<h1>Tag {step}: {{{{ tag }}}}</h1>"
        template = (REPO / "templates" / "tag.html").read_text()
        write_site(root, {"templates/tag.html": template.replace("<h1>#{{ tag }}</h1>", heading)})
    else:
        _touch(target, text)  # a save without a change
    return f"{kind} {target.name}"


@pytest.mark.parametrize("seed", [3, 7, 11, 2026])
def test_random_edit_sequences_equal_cold_builds(tmp_path: Path, seed: int) -> None:
    """After every edit of a random sequence, the incremental build (and the in-memory
    site `serve` keeps) is byte for byte what a cold build makes."""
    import io

    from citeguide.commands.serve import LiveSite

    rng = random.Random(seed)
    root = _site(tmp_path)
    assert build_site(root, today=TODAY).ok
    live = LiveSite(root, io.StringIO())
    live.site.today, live.site.drafts = TODAY, False
    assert live.update()[0]
    done = []
    for step in range(12):
        did = _random_edit(root, rng, step)
        done.append(did.split()[0])
        result = build_site(root, today=TODAY)
        assert result.ok, f"{did}: {result.diagnostics.render()}"
        cold = cold_tree(root, tmp_path)
        assert tree_digest(root / "site") == cold, did
        assert live.update()[0], did
        served = {name: hashlib.sha256(data).hexdigest() for name, data in live.files.items()}
        assert served == cold, did
    assert len(set(done)) >= 4, done  # the sequence mixes kinds of edit


def _age_inputs(root: Path) -> None:
    """Stamp every input a minute old, so the no-op record may trust the stamps."""
    past = time.time_ns() - 60_000_000_000
    for path in [root / "citeguide.toml", *(root / "content").rglob("*")]:
        if path.is_file():
            os.utime(path, ns=(past, past))


def _engine_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    from citeguide.engine.incremental import Site

    def refuse(self: object, *_: object) -> None:
        raise AssertionError("the engine ran although nothing changed")

    monkeypatch.setattr(Site, "load_cache", refuse)


def test_a_no_op_build_is_answered_from_stamps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from citeguide.engine.noop import RECORD_FILE

    root = _site(tmp_path)
    _age_inputs(root)
    assert build_site(root, today=TODAY).ok
    assert (root / RECORD_FILE).is_file()
    before = tree_digest(root / "site")
    with monkeypatch.context() as patch:
        _engine_forbidden(patch)
        result = build_site(root, today=TODAY)
    assert result.noop
    assert result.checked == 4
    assert tree_digest(root / "site") == before


@pytest.mark.parametrize("change", ["guide edit", "template edit", "config edit", "guide added"])
def test_any_input_change_goes_past_the_no_op_record(tmp_path: Path, change: str) -> None:
    root = _site(tmp_path)
    _age_inputs(root)
    assert build_site(root, today=TODAY).ok
    CHANGES[change](root)
    result = build_site(root, today=TODAY)
    assert result.ok
    assert not result.noop
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)


def test_the_no_op_record_is_not_trusted_after_a_hand_edit_or_on_another_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from citeguide.engine.noop import RECORD_FILE

    root = _site(tmp_path)
    _age_inputs(root)
    assert build_site(root, today=TODAY).ok
    page = root / "site" / "model-size-for-one-gpu" / "index.html"
    page.write_bytes(page.read_bytes() + b"<!-- edited -->")
    assert not build_site(root, today=TODAY).noop  # the engine renders the page again
    assert b"<!-- edited -->" not in page.read_bytes()
    tomorrow = TODAY.replace(day=TODAY.day + 1)
    assert build_site(root, today=tomorrow).ok  # the date reaches stale badges: a real look
    (root / RECORD_FILE).write_text('{"format": "citeguide-noop-1", "inputs": 5}')
    with monkeypatch.context() as patch:
        _engine_forbidden(patch)
        with pytest.raises(AssertionError, match="engine ran"):
            build_site(root, today=tomorrow)  # a corrupt record is ignored


def test_strict_builds_with_warnings_are_not_short_cut(tmp_path: Path) -> None:
    root = _site(tmp_path)
    guide = root / "content" / "guides" / "model-size-for-one-gpu.md"
    guide.write_text(guide.read_text() + "\nIt costs $5,000 a month.\n")
    _age_inputs(root)
    assert build_site(root, today=TODAY).ok
    result = build_site(root, today=TODAY)
    assert result.noop
    assert any(d.rule == "uncited-figure" for d in result.diagnostics.items)
    assert not build_site(root, today=TODAY, strict=True).ok


def test_the_command_answers_a_no_op_before_loading_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from citeguide.cli import main
    from citeguide.engine import builder as engine

    root = _site(tmp_path)
    _age_inputs(root)
    assert main(["build", "--root", str(root)]) == 0
    capsys.readouterr()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the engine ran although nothing changed")

    with monkeypatch.context() as patch:
        patch.setattr(engine, "build_site", refuse)
        assert main(["build", "--root", str(root)]) == 0
    assert "4 guides unchanged: site/ is up to date" in capsys.readouterr().out
    _edit_guide(root)
    assert main(["build", "--root", str(root)]) == 0
    assert "built 4 guides" in capsys.readouterr().out


def test_one_guide_is_counted_in_the_singular(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from citeguide.cli import main

    assert main(["build", "--root", str(site)]) == 0
    assert "built 1 guide into" in capsys.readouterr().out
    _age_inputs(site)
    for _ in range(2):  # answered by the engine (stamps moved), then by the stamps or it
        assert main(["build", "--root", str(site)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out] == ["1 guide unchanged"] * 2


def _link_state(url: str, status: str) -> str:
    record = {"url": url, "status": status, "http_status": 404 if status == "dead" else 200,
              "first_checked": "2026-11-01T00:00:00Z",
              "last_checked": "2026-11-01T00:00:00Z"}  # fmt: skip
    return json.dumps({"version": 1, "links": {url: record}})


def test_a_link_state_change_processes_only_the_guides_citing_the_changed_url(
    tmp_path: Path,
) -> None:
    cite = "It holds [cite: https://{host}.example.org/page · 2026-03-10 · high].\n"
    guides = {
        f"content/guides/{name}.md": guide_text(title=f"Guide {name}")
        + "\n"
        + cite.format(host=name)
        for name in ("alpha", "beta", "gamma")
    }
    root = write_site(tmp_path / "root", {"citeguide.toml": "search = false\n", **guides})
    assert build_site(root, today=TODAY).ok
    state = root / "citeguide-links.json"
    for status in ("dead", "ok"):
        state.write_text(_link_state("https://beta.example.org/page", status))
        site = Site(root, today=TODAY)
        site.load_cache()
        assert list(site.refresh().processed) == ["content/guides/beta.md"]
        result = build_site(root, today=TODAY)
        assert result.ok
        assert tree_digest(root / "site") == cold_tree(root, tmp_path / status)
    # `check` rewrites the state file: a check that changed no record processes nothing.
    state.write_text(json.dumps(json.loads(state.read_text()), indent=4))
    site = Site(root, today=TODAY)
    site.load_cache()
    assert not site.refresh().processed


@pytest.mark.parametrize("editorial", [False, True], ids=["check", "lint"])
def test_check_and_lint_take_unchanged_guides_from_the_build_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, editorial: bool
) -> None:
    from citeguide.engine import pipeline
    from citeguide.engine.incremental import check_site

    root = _site(tmp_path)
    (root / "content/guides/self-hosted-llm-2026.md").write_text(
        guide_text() + "\nIt costs $5,000 a month.\n", encoding="utf-8"
    )  # a lint finding, which `check` does not report
    assert build_site(root, today=TODAY).ok
    fresh = check_site(root, today=TODAY, drafts=True, editorial=editorial, use_cache=False)
    seen: list[str] = []
    process = pipeline.process_guide
    monkeypatch.setattr(pipeline, "process_guide", lambda item: (seen.append(item[0]),
                                                                 process(item))[1])  # fmt: skip
    cached = check_site(root, today=TODAY, drafts=True, editorial=editorial, jobs=1)
    assert seen == []
    assert cached.diagnostics.sorted() == fresh.diagnostics.sorted()
    assert ("[uncited-figure]" in cached.diagnostics.render()) is editorial
    assert cached.uses == fresh.uses
    _edit_guide(root)
    check_site(root, today=TODAY, drafts=True, editorial=editorial, jobs=1)
    assert seen == ["content/guides/model-size-for-one-gpu.md"]


def test_a_search_index_in_parts_indexes_again_only_the_edited_guides_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from citeguide.engine import scratch, search

    monkeypatch.setattr(search, "PART_SIZE", 1)
    memory = tmp_path / "memory"  # stands for /dev/shm (`scratch.CANDIDATES`)
    memory.mkdir()
    monkeypatch.setattr(scratch, "CANDIDATES", (str(memory),))
    runs = pagefind_runs(monkeypatch)
    root = _site(tmp_path, search=True)
    for i in range(6):
        write_site(root, {f"content/guides/extra-{i}.md": guide_text(f"Extra {i}")})
    assert build_site(root, today=TODAY).ok
    slugs = [p.stem for p in (root / "content/guides").glob("*.md")]
    expected = search.plan(slugs, set(), [], intact=False)
    assert expected.parts > 2
    parts = json.loads((root / "site" / search.PARTS_FILE).read_text())
    assert parts == [f"pagefind/parts/{k}/" for k in range(1, expected.parts)]
    assert len(runs) == expected.parts
    runs.clear()
    _edit_guide(root)
    assert build_site(root, today=TODAY).ok
    part = search.part_of("model-size-for-one-gpu", expected.parts)
    assert len(runs) == 1
    # pagefind reads the part's search views from a folder of their own in memory and
    # writes the bundle in a folder beside site/ (moved into the staged site); all is
    # removed after
    views = Path(runs[0][runs[0].index("--site") + 1])
    out = Path(runs[0][runs[0].index("--output-path") + 1])
    assert (views.name, out.name) == (f"views-{part}", f"bundle-{part}")
    assert views.parent.parent == memory
    assert views.parent.name.startswith(f"{scratch.PREFIX}{os.getpid()}.")
    assert out.parent.parent == root
    assert out.parent.name.startswith(".site.search-")
    assert not out.parent.exists()
    assert not list(memory.iterdir())
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)
    runs.clear()
    (root / "site" / "pagefind" / "parts" / "1" / "pagefind.js").write_text("vandalised")
    _retitle_guide(root)
    assert build_site(root, today=TODAY).ok
    assert len(runs) == expected.parts  # site/ was touched: every part is indexed again
    assert tree_digest(root / "site") == cold_tree(root, tmp_path / "again")


def test_builds_with_and_without_drafts_take_turns(tmp_path: Path) -> None:
    """A site/ built with drafts shown holds pages a build without them does not, and
    the other way round: the build cache's record of site/ is not trusted across the
    two (a draft's page was carried from a site/ that never had it), and each build is
    the cold build's."""
    root = _site(tmp_path, search=True)  # with search, an intact site/ is trusted whole
    draft = guide_text("Later").replace("tags:", "draft: true\ntags:")
    write_site(root, {"content/guides/later.md": draft})
    cold: dict[bool, dict[str, str]] = {}
    for drafts in [False, True]:
        copy = tmp_path / f"cold-{drafts}"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", "build"))
        assert build_site(copy, today=TODAY, drafts=drafts, use_cache=False).ok
        cold[drafts] = tree_digest(copy / "site")
    assert "later/index.html" in cold[True]
    assert "later/index.html" not in cold[False]
    for drafts in [False, True, False, True, True]:
        assert build_site(root, today=TODAY, drafts=drafts).ok
        assert tree_digest(root / "site") == cold[drafts], drafts


def test_the_guides_are_listed_as_pathlib_globs_them(tmp_path: Path) -> None:
    """`safeio.named` (one scandir, used by the scan, `check` and `lint`) lists what
    `sorted(folder.glob("*.md"))` listed: hidden files, folders and links named `.md`
    included, other names left out, in the same order."""
    from citeguide.safeio import named, safe_files

    folder = tmp_path / "guides"
    folder.mkdir()
    for name in ("b.md", "A.md", ".hidden.md", "a.md", "notes.txt", "x.md.bak", "Z.MD", ".md"):
        (folder / name).write_text("x")
    (folder / "dir.md").mkdir()
    (folder / "link.md").symlink_to(folder / "a.md")
    (folder / "dangling.md").symlink_to(folder / "gone.md")
    expected = sorted(folder.glob("*.md"))
    assert [folder / entry.name for entry in named(folder, ".md")] == expected
    assert safe_files(tmp_path, folder, "*.md") == expected
    assert [p.name for p in expected] == [
        ".hidden.md", ".md", "A.md", "a.md", "b.md", "dangling.md", "dir.md", "link.md",
    ]  # fmt: skip


def test_a_scan_processes_a_new_guide_and_a_linked_one_as_before(tmp_path: Path) -> None:
    """The scan's stat of each guide follows a link to a guide inside the root, as
    `Path.stat` did: an edit to the target processes the link's guide again."""
    root = _site(tmp_path)
    guides = root / "content" / "guides"
    write_site(root, {"content/extra/real.md": guide_text("Linked guide")})
    (guides / "linked.md").symlink_to(root / "content" / "extra" / "real.md")
    site = Site(root, today=TODAY, jobs=1)
    site.refresh()
    assert "content/guides/linked.md" in site.entries
    _touch(root / "content" / "extra" / "real.md", guide_text("Linked guide, edited"))
    assert list(site.refresh().processed) == ["content/guides/linked.md"]
