"""Hostile content: what a repository's files say must not inject, crash or lie."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from citeguide.cli import main
from citeguide.engine.writer import exchange, write_tree
from citeguide.linkcheck.state import LinkState, save_state
from conftest import guide_text, write_site

CITED = "https://github.com/vllm-project/vllm"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site-root", {"content/guides/demo.md": guide_text()})


def _state(root: Path, record: dict[str, object]) -> None:
    links = {"https://github.com/vllm-project/vllm": {
        "url": CITED, "status": "dead", "first_checked": "2026-11-01T00:00:00Z",
        "last_checked": "2026-11-01T00:00:00Z", **record}}  # fmt: skip
    (root / "citeguide-links.json").write_text(
        json.dumps({"version": 1, "links": links}, indent=2), encoding="utf-8"
    )


# 5. A javascript: URL in the state file never becomes an href.
@pytest.mark.parametrize(
    "record",
    [
        {"archive_url": "javascript:alert(document.domain)"},
        {"final_url": "data:text/html,<script>alert(1)</script>"},
        {"redirects": [{"status": 301, "url": "javascript:alert(1)"}]},
    ],
)
def test_state_file_with_a_non_web_url_is_a_positioned_error(
    root: Path, record: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    _state(root, record)
    code, err = _run(["build", "--root", str(root)], capsys)
    assert code == 1
    line = next(line for line in err.splitlines() if "[link-state]" in line)
    assert line.startswith("citeguide-links.json:")
    assert ":1:1:" not in line  # positioned at the value
    assert "not an http(s) URL" in line
    assert not (root / "site").exists()


def test_deeply_nested_state_file_is_an_error_not_a_crash(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "citeguide-links.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, err = _run(["build", "--root", str(root)], capsys)
    assert code == 1
    assert "citeguide-links.json:1:1: error: invalid JSON: nested too deeply [link-state]" in err


# 6. Credentials in a cited URL are an error: never published, never sent.
def test_credentials_in_a_cite_url_are_an_error(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = guide_text().replace("https://github.com", "https://user:hunter2@github.com")
    (root / "content/guides/demo.md").write_text(body, encoding="utf-8")
    code, err = _run(["build", "--root", str(root)], capsys)
    assert code == 1
    assert "[cite-url]" in err
    assert "credentials" in err
    assert not (root / "site").exists()


# 7. Raw HTML is escaped in the Markdown twin, as on the page.
def test_raw_html_is_escaped_in_the_markdown_twin(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = guide_text() + '\n<img src=x onerror="alert(1)"> and <script>alert(2)</script>\n'
    (root / "content/guides/demo.md").write_text(body, encoding="utf-8")
    code, _ = _run(["build", "--root", str(root)], capsys)
    assert code == 0
    twin = (root / "site/demo.md").read_text(encoding="utf-8")
    page = (root / "site/demo/index.html").read_text(encoding="utf-8")
    assert "<img" not in twin
    assert "<script" not in twin
    assert "&lt;img src=x" in twin
    assert "<script>alert" not in page


# 12. Absurd numbers are diagnostics in calc, build and lint.
@pytest.mark.parametrize(
    "marker",
    [
        "[calc: api_cost tokens=10000000000000000000000000B model=claude-haiku-4.5]",
        "[calc: capacity tokens_per_second=1" + "0" * 3000 + "]",
    ],
)
@pytest.mark.parametrize("command", ["build", "lint"])
def test_huge_numbers_in_a_calc_marker_are_positioned_errors(
    root: Path, marker: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "content/guides/demo.md").write_text(
        guide_text() + f"\nIt costs {marker} a month.\n", encoding="utf-8"
    )
    code, err = _run([command, "--root", str(root)], capsys)
    assert code == 1
    assert "content/guides/demo.md:12:" in err
    assert "[calc-error]" in err
    assert len(max(err.splitlines(), key=len)) < 400


def test_huge_number_in_calc_cli_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(["calc", "api_cost", "tokens=1" + "0" * 5000, "input_price=1",
                      "output_price=1"], capsys)  # fmt: skip
    assert code in (1, 2)
    assert "more than 40 digits" in err


def test_yaml_integer_of_5000_digits_is_a_positioned_error(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = guide_text().replace("published: 2026-05-01", "published: 2026-05-01\nx: " + "9" * 5000)
    (root / "content/guides/demo.md").write_text(text, encoding="utf-8")
    code, err = _run(["build", "--root", str(root)], capsys)
    assert code == 1
    assert err.startswith("content/guides/demo.md:")


def test_config_that_is_not_utf8_is_a_positioned_error(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "citeguide.toml").write_bytes(b'title = "ok"\ndescription = "caf\xe9"\n')
    code, err = _run(["build", "--root", str(root)], capsys)
    assert code == 2
    assert "citeguide.toml:2:" in err
    assert "[encoding]" in err


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--port", "99999"],
        ["check", "--timeout", "nan"],
        ["check", "--max-age", "nan"],
        ["check", "--timeout", "inf"],
    ],
)
def test_bad_numbers_on_the_command_line_are_usage_errors(
    root: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--root", str(root)])
    assert exit_info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


# 15. Readers never see site/ without its index: the swap is one atomic exchange.
def test_replacing_the_site_never_leaves_it_missing(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    if not exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("no renameat2(RENAME_EXCHANGE) here: the documented two-rename fallback")
    target = tmp_path / "site"
    write_tree(target, {"index.html": b"0"})
    missing = 0
    stop = threading.Event()

    def watch() -> None:
        nonlocal missing
        while not stop.is_set():
            if not (target / "index.html").exists():
                missing += 1

    watcher = threading.Thread(target=watch)
    watcher.start()
    for i in range(40):
        write_tree(target, {"index.html": str(i).encode()})
    stop.set()
    watcher.join()
    assert missing == 0


# 16. `check` leaves no temporary file behind when it cannot write the state.
def test_state_save_failure_leaves_no_tmp_file(tmp_path: Path) -> None:
    (tmp_path / "citeguide-links.json").mkdir()  # replace() onto a folder fails
    with pytest.raises(IsADirectoryError):
        save_state(tmp_path, LinkState())
    assert not list(tmp_path.glob(".*.tmp"))


# 17. Control characters in front matter are refused; line breaks cannot inject Markdown.
@pytest.mark.parametrize("title", ["Bad\x00title", "Bell\x07", "Escape\x1b[31m"])
def test_control_characters_in_the_title_are_positioned_errors(
    root: Path, title: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = guide_text().replace(
        "title: A guide", f'title: "{title.encode("unicode_escape").decode()}"'
    )
    (root / "content/guides/demo.md").write_text(text, encoding="utf-8")
    code, err = _run(["build", "--root", str(root)], capsys)
    assert code == 1
    assert "content/guides/demo.md:2:" in err
    assert "control character" in err


def test_a_newline_in_the_title_cannot_inject_headings_or_links(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = guide_text().replace(
        "title: A guide", 'title: "Real title\\n# Injected\\n[click](https://evil.example)"'
    )
    (root / "content/guides/demo.md").write_text(text, encoding="utf-8")
    code, _ = _run(["build", "--root", str(root)], capsys)
    assert code == 0
    for name in ("llms.txt", "demo.md"):
        out = (root / "site" / name).read_text(encoding="utf-8")
        assert "\n# Injected" not in out
    assert "Real title # Injected" in (root / "site/llms.txt").read_text(encoding="utf-8")


def test_draft_must_be_a_real_boolean(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = guide_text().replace("published: 2026-05-01", 'published: 2026-05-01\ndraft: "yes"')
    (root / "content/guides/demo.md").write_text(text, encoding="utf-8")
    code, err = _run(["build", "--root", str(root)], capsys)
    assert code == 1
    assert "draft" in err


# 18. `citeguide new` never scaffolds a guide that fails, never writes through a symlink.
@pytest.mark.parametrize("title", ["x" * 201, "Title with \x07 bell"])
def test_new_refuses_titles_that_would_not_lint(
    root: Path, title: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(["new", title, "--root", str(root)], capsys)
    assert code == 2
    assert "citeguide new: error:" in err
    assert list((root / "content/guides").iterdir()) == [root / "content/guides/demo.md"]


def test_new_title_of_200_characters_lints_cleanly(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["new", "y" * 200, "--root", str(root)], capsys)[0] == 0
    assert _run(["lint", "--root", str(root)], capsys)[0] == 0


def test_new_does_not_write_through_a_dangling_symlink(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.txt"
    (root / "content/guides/planted.md").symlink_to(victim)
    code, _ = _run(["new", "Planted", "--root", str(root)], capsys)
    assert code == 2
    assert not victim.exists()
