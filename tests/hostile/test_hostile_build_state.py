"""Hostile repositories, round 2: what a build keeps for the next one. The no-op record
and the cache in `build/` come from the repository too (or a shared CI cache): they are
read safely, they may skip work but never change what a build reports or writes, and a
stale `site/` is never called up to date. Real files and the real CLI."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from citeguide.cli import main
from citeguide.engine import trust
from citeguide.engine.cache import ENTRY_DIR, INDEX_FILE
from citeguide.engine.noop import RECORD_FILE
from conftest import guide_text, tree_digest, write_site

UP_TO_DATE = "unchanged: site/ is up to date"
FUTURE = "[cite: https://example.org/a · 2099-01-01 · high]"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site-root", {"content/guides/demo.md": guide_text()})


def _age(root: Path, seconds: int = 60) -> None:
    """Stamp every input `seconds` old: the no-op record distrusts fresh stamps."""
    past = time.time_ns() - seconds * 1_000_000_000
    for path in [root / "citeguide.toml", *root.rglob("*")]:
        parts = path.relative_to(root).parts
        if parts and parts[0] in ("site", "build"):
            continue
        if path.is_file():
            os.utime(path, ns=(past, past))


def _build(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["build", "--root", str(root)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "citeguide", *args, "--root", str(root)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


# Reads of build/: the safe reader, never plain open().
@pytest.mark.parametrize("kind", ["dev-zero", "fifo"])
def test_a_no_op_record_that_is_dev_zero_or_a_fifo_is_refused_at_once(
    root: Path, kind: str
) -> None:
    record = root / RECORD_FILE
    record.parent.mkdir()
    if kind == "fifo":
        os.mkfifo(record)
    else:
        record.symlink_to("/dev/zero")
    proc = _cli(root, "build")  # used to read 8.6 GB in 12 s, or hang on the FIFO
    assert proc.returncode == 0, proc.stderr
    assert "built 1 guide" in proc.stdout
    assert f"{RECORD_FILE.as_posix()}: note: the no-op record was discarded (" in proc.stderr
    assert record.is_file()
    assert not record.is_symlink()


def _sealed_body(path: Path) -> tuple[bytes, dict[str, object]]:
    head, _, body = path.read_bytes().partition(b"\n")
    return head, json.loads(body)


def _forge(path: Path, head: bytes, data: dict[str, object]) -> None:
    path.write_bytes(head + b"\n" + json.dumps(data).encode())


@pytest.mark.parametrize("seal", ["copied seal", "attacker's own key"])
def test_a_forged_cache_with_the_right_key_changes_no_output(
    root: Path, seal: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _build(root, capsys)[0] == 0
    # The pull request adds an error, and a cache that claims the guide is fine and
    # lists it with a script: right inputs key, right digest, right stamp, an index
    # naming the forged entry.
    guide = root / "content/guides/demo.md"
    guide.write_text(guide_text() + f"\nA claim from the future {FUTURE}.\n", encoding="utf-8")
    _age(root)
    head, index = _sealed_body(root / INDEX_FILE)
    entries = index["entries"]
    assert isinstance(entries, dict)
    name, _ = entries["content/guides/demo.md"]
    # An entry is three lines of JSON: its head, its citations and link lookups, its
    # listing fragments (engine/cache.py).
    entry_head, _, lines = (root / ENTRY_DIR / f"{name}.json").read_bytes().partition(b"\n")
    stored, cited, late = (json.loads(line) for line in lines.split(b"\n"))
    entry = stored["entry"]
    assert isinstance(entry, dict)
    info = guide.stat()
    entry["stamp"] = [info.st_mtime_ns, info.st_size]
    entry["digest"] = hashlib.sha256(guide.read_bytes()).hexdigest()
    entry["result"]["problems"] = []
    late["listing"][0] += "<script>alert(document.domain)</script>"

    def forge(kind_head: bytes, *body: dict[str, object]) -> bytes:
        kind = kind_head.split()[0].decode()
        data = b"\n".join(json.dumps(part).encode() for part in body)
        if seal == "attacker's own key":
            with monkeypatch.context() as patch:
                patch.setenv("XDG_CACHE_HOME", str(root.parent / "attacker-home"))
                return trust.seal(kind, data)
        return kind_head + b"\n" + data

    forged = forge(entry_head, stored, cited, late)
    forged_name = forged.split(b"\n")[0].split()[1].decode()
    (root / ENTRY_DIR / f"{forged_name}.json").write_bytes(forged)
    entries["content/guides/demo.md"] = [forged_name, len(forged)]
    (root / INDEX_FILE).write_bytes(forge(head, index))
    (root / RECORD_FILE).unlink()
    code, _, err = _build(root, capsys)
    assert code == 1
    assert "[cite-future-date]" in err
    assert f"{INDEX_FILE.as_posix()}: note: the build cache was discarded (foreign: " in err
    assert b"<script>alert" not in (root / "site" / "index.html").read_bytes()


def test_a_forged_no_op_record_cannot_change_the_report(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    guide = root / "content/guides/demo.md"
    guide.write_text(guide_text() + "\nIt costs $5,000 a month.\n", encoding="utf-8")
    _age(root)
    code, _, err = _build(root, capsys)
    assert code == 0
    assert "[uncited-figure]" in err
    head, record = _sealed_body(root / RECORD_FILE)
    record["report"] = {"pages": 99, "strict_ok": True, "diagnostics": []}
    _forge(root / RECORD_FILE, head, record)
    code, out, err = _build(root, capsys)
    assert code == 0
    assert "99 guides" not in out
    assert "[uncited-figure]" in err  # the engine looked again and reports the truth
    assert main(["build", "--strict", "--root", str(root)]) == 1


# No-op honesty: every output file, and symlinked folders inside the root, are checked.
def _delete(root: Path, name: str) -> None:
    (root / "site" / name).unlink()


def _append(root: Path, name: str) -> None:
    with (root / "site" / name).open("a", encoding="utf-8") as handle:
        handle.write("\n- [Injected](https://attacker.example/)\n")


TAMPER = {
    "feed.xml deleted": lambda root: _delete(root, "feed.xml"),
    "style.css deleted": lambda root: _delete(root, "assets/style.css"),
    "llms.txt edited": lambda root: _append(root, "llms.txt"),
    "extra file added": lambda root: (root / "site" / "extra.html").write_text("<p>x</p>"),
    "twin linked away": lambda root: (
        _delete(root, "demo.md"),
        (root / "site" / "demo.md").symlink_to("/etc/hostname"),
    ),
}


@pytest.mark.parametrize("tamper", sorted(TAMPER))
def test_a_touched_site_is_never_reported_up_to_date(
    root: Path, tamper: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _age(root)
    assert _build(root, capsys)[0] == 0
    honest = tree_digest(root / "site")
    assert UP_TO_DATE in _build(root, capsys)[1]
    TAMPER[tamper](root)
    code, out, _ = _build(root, capsys)
    assert code == 0
    assert UP_TO_DATE not in out
    assert tree_digest(root / "site") == honest
    assert not (root / "site" / "demo.md").is_symlink()
    assert UP_TO_DATE in _build(root, capsys)[1]  # and the record is honest again


def test_edits_behind_a_symlinked_guides_folder_inside_the_root_are_seen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_site(tmp_path / "r", {"shared/guides/demo.md": guide_text("First title")})
    (root / "content").mkdir()
    (root / "content" / "guides").symlink_to(Path("..") / "shared" / "guides")
    _age(root, 120)
    assert _build(root, capsys)[0] == 0
    assert UP_TO_DATE in _build(root, capsys)[1]
    guide = root / "shared" / "guides" / "demo.md"
    guide.write_text(guide_text("Second title"), encoding="utf-8")
    _age(root, 60)  # an old stamp, so only the stamp comparison can notice the edit
    code, out, _ = _build(root, capsys)
    assert code == 0
    assert UP_TO_DATE not in out
    assert "Second title" in (root / "site" / "demo" / "index.html").read_text()


def test_edits_behind_a_symlinked_assets_folder_inside_the_root_are_seen(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(root, {"theme/assets/custom.css": "body { color: red; }\n"})
    (root / "templates").mkdir()
    (root / "templates" / "assets").symlink_to(Path("..") / "theme" / "assets")
    _age(root, 120)
    assert _build(root, capsys)[0] == 0
    assert UP_TO_DATE in _build(root, capsys)[1]
    (root / "theme" / "assets" / "custom.css").write_text("body { color: blue; }\n")
    _age(root, 60)
    code, out, _ = _build(root, capsys)
    assert code == 0
    assert UP_TO_DATE not in out
    assert "blue" in (root / "site" / "assets" / "custom.css").read_text()


@pytest.mark.parametrize("folder", ["templates", "content/data", "content/models"])
@pytest.mark.parametrize("command", ["build", "lint"])
def test_a_site_folder_linked_to_the_filesystem_root_is_refused_at_once(
    root: Path, folder: str, command: str
) -> None:
    (root / folder).parent.mkdir(parents=True, exist_ok=True)
    (root / folder).symlink_to("/", target_is_directory=True)
    proc = _cli(root, command)  # `templates -> /` used to walk the whole disk
    assert proc.returncode == 1, proc.stderr
    assert f"{folder}:1:1: error: {Path(folder).name}/ is a symlink to /, outside" in proc.stderr
    assert "[symlink-outside-root]" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (root / "site").exists()
    record = root / RECORD_FILE
    assert not record.exists() or record.stat().st_size < 100_000


def test_a_cache_key_others_can_read_is_not_used(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "shared-home"
    (home / "citeguide").mkdir(parents=True)
    (home / "citeguide" / "cache-key").write_bytes(b"k" * 32)
    (home / "citeguide" / "cache-key").chmod(0o644)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    _age(root)
    code, _, err = _build(root, capsys)
    assert code == 0
    assert "is not a private 32-byte file of this user" in err
    assert "[cache-not-saved]" in err
    assert UP_TO_DATE not in _build(root, capsys)[1]  # nothing sealed, nothing trusted


def _more_guides(root: Path) -> None:
    """Eight guides: an edit to one body carries most of the site over (what makes the
    build keep and reuse a spare tree)."""
    for n in range(7):
        (root / "content" / "guides" / f"other-{n}.md").write_text(
            guide_text(f"Another guide {n}", "Another short answer."), encoding="utf-8"
        )


def _edit(root: Path, words: str) -> None:
    with (root / "content" / "guides" / "demo.md").open("a", encoding="utf-8") as guide:
        guide.write(f"\n{words}\n")


def test_the_spare_tree_keeps_only_the_targets_own_files(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`build/spare-site` (the tree the last build replaced, reused as the next staging
    folder) comes from the repository too: whatever it holds, an incremental build writes
    the bytes of a cold one and touches nothing outside the root."""
    _more_guides(root)
    assert _build(root, capsys)[0] == 0
    _edit(root, "Edited once.")
    assert _build(root, capsys)[0] == 0
    spare = root / "build" / "spare-site"
    assert (spare / "index.html").is_file()  # the tree the last build replaced
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("keep me", encoding="utf-8")
    # Planted: a folder and a file linked out of the root, a FIFO, a carried page with
    # other bytes (a file of its own, not the target's), a stray file and folder.
    for rel in ("other-1", "feed.xml", "tags"):
        path = spare / rel
        if path.is_dir():
            for child in sorted(path.rglob("*"), reverse=True):
                child.rmdir() if child.is_dir() else child.unlink()
            path.rmdir()
        elif path.exists():
            path.unlink()
    os.symlink(outside, spare / "other-1")
    os.symlink(outside / "secret.txt", spare / "feed.xml")
    os.mkfifo(spare / "a-fifo")
    (spare / "tags").mkdir()
    (spare / "tags" / "index.html").write_text("planted", encoding="utf-8")
    (spare / "stray" / "deep").mkdir(parents=True)
    (spare / "stray" / "deep" / "x.html").write_text("stray", encoding="utf-8")
    _edit(root, "Edited twice.")
    assert _build(root, capsys)[0] == 0
    assert (outside / "secret.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    incremental = tree_digest(root / "site")
    cold = root.parent / "cold"
    cold.mkdir()
    for name in ("content", "citeguide.toml"):
        source = root / name
        if source.is_dir():
            subprocess.run(["cp", "-r", str(source), str(cold / name)], check=True)
        elif source.exists():
            (cold / name).write_bytes(source.read_bytes())
    assert _build(cold, capsys)[0] == 0
    assert incremental == tree_digest(cold / "site")


def test_a_spare_tree_linked_out_of_the_root_is_dropped_not_followed(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _more_guides(root)
    assert _build(root, capsys)[0] == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("keep me", encoding="utf-8")
    spare = root / "build" / "spare-site"
    if spare.exists():
        subprocess.run(["rm", "-rf", str(spare)], check=True)
    os.symlink(outside, spare)
    _edit(root, "Edited once.")
    assert _build(root, capsys)[0] == 0
    assert (outside / "index.html").read_text(encoding="utf-8") == "keep me"
    assert "Edited once." in (root / "site" / "demo" / "index.html").read_text(encoding="utf-8")
    assert not spare.is_symlink()
