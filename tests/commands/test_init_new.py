"""`citeguide init` (a site root that builds at once, with a tested CI workflow) and
`citeguide new` (a neutral scaffold whose placeholders fail the strict checks)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from citeguide.cli import main
from citeguide.commands.new import slugify
from citeguide.engine.builder import build_site

TODAY = date.today()  # init and new write today's date: the checks must run on it too


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_init_makes_a_site_root_that_builds_and_passes_strict_lint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "home-energy"
    code, out, _ = _run(["init", str(root)], capsys)
    assert code == 0
    for name in (
        "citeguide.toml",
        ".gitignore",
        ".github/workflows/citeguide.yml",
        "content/guides/how-to-write-a-guide.md",
    ):
        assert f"created {name}" in out
        assert (root / name).is_file()
    assert (root / ".gitignore").read_text(encoding="utf-8").splitlines()[1:] == [
        "site/",
        "build/",
    ]
    assert 'title = "Home energy"' in (root / "citeguide.toml").read_text(encoding="utf-8")
    assert _run(["lint", "--strict", "--root", str(root)], capsys)[0] == 0
    result = build_site(root, strict=True)
    assert result.ok, result.diagnostics.render()
    page = (root / "site/how-to-write-a-guide/index.html").read_text(encoding="utf-8")
    assert 'role="note"' in page
    assert 'class="footnotes"' in page
    assert "<dl>" in page
    assert "never published" not in page  # its comments are dropped


def test_init_never_overwrites_and_says_what_it_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "s"
    (root / "content/guides").mkdir(parents=True)
    (root / "content/guides/mine.md").write_text("my guide", encoding="utf-8")
    (root / "citeguide.toml").write_text('title = "Mine"\n', encoding="utf-8")
    (root / ".gitignore").write_text("*.pyc\n", encoding="utf-8")
    code, out, _ = _run(["init", "--root", str(root)], capsys)
    assert code == 0
    assert "skipped citeguide.toml: it already exists (left as it was)" in out
    assert "skipped .gitignore: it already exists" in out
    assert "add site/ and build/ to .gitignore" in out
    assert "skipped the example guide: content/guides/ already has guides" in out
    assert "created .github/workflows/citeguide.yml" in out
    assert (root / "citeguide.toml").read_text(encoding="utf-8") == 'title = "Mine"\n'
    assert (root / ".gitignore").read_text(encoding="utf-8") == "*.pyc\n"
    assert sorted(p.name for p in (root / "content/guides").iterdir()) == ["mine.md"]
    code, out, _ = _run(["init", "--root", str(root)], capsys)
    assert code == 0
    assert "created" not in out


def test_init_refuses_a_file_in_place_of_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "f").write_text("x", encoding="utf-8")
    code, _, err = _run(["init", str(tmp_path / "f")], capsys)
    assert code == 2
    assert "is not a directory" in err


def test_the_workflow_is_a_valid_github_actions_workflow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["init", str(tmp_path / "s")], capsys)[0] == 0
    workflow = tmp_path / "s/.github/workflows/citeguide.yml"
    # SchemaStore's GitHub workflow schema, as shipped inside check-jsonschema (no network).
    checker = Path(sys.executable).parent / "check-jsonschema"
    proc = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    runs = [step.get("run", "") for step in build["steps"]]
    assert 'python -m pip install "$CITEGUIDE"' in runs
    assert "citeguide lint --strict --format github" in runs
    assert "citeguide build --strict" in runs
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert data["permissions"] == {"contents": "read"}
    assert data["env"]["CITEGUIDE"].startswith("citeguide")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "Should I replace the gas boiler in a semi-detached house, and when do grants pay?",
            "should-i-replace-the-gas-boiler-in-a-semi-detached-house",
        ),
        ("Self-hosted LLMs: when?", "self-hosted-llms-when"),
        ("My house's heat pump", "my-houses-heat-pump"),
        ("x" * 70, "x" * 60),
        ("Crème brûlée or tarte Tatin?", "creme-brulee-or-tarte-tatin"),
        # The second alternative cut short is dropped, not left as "...-bike-or-use".
        (
            "Should a two-person household buy an electric bike or use the train?",
            "should-a-two-person-household-buy-an-electric-bike",
        ),
        # One early in the slug stays.
        (
            "Self-hosted LLMs vs paying for the API: when does it make sense for a team?",
            "self-hosted-llms-vs-paying-for-the-api-when-does-it-make",
        ),
    ],
)
def test_slugs_are_cut_between_words(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert len(slugify(title)) <= 60


def test_new_writes_a_neutral_scaffold_whose_placeholders_fail_strict_checks(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(["new", "--root", str(site), "Heat pump or gas boiler?"], capsys)
    assert code == 0
    assert "created content/guides/heat-pump-or-gas-boiler.md" in out
    text = (site / "content/guides/heat-pump-or-gas-boiler.md").read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Heat pump or gas boiler?"\n')
    for word in ("LLM", "token", "GPU", "api_cost"):
        assert word not in text
    assert _run(["build", "--root", str(site)], capsys)[0] == 0  # serve and build show it
    code, _, err = _run(["lint", "--strict", "--root", str(site)], capsys)
    assert code == 1
    found = [line for line in err.splitlines() if line.endswith("[placeholder]")]
    lines = [int(line.split(":")[1]) for line in found]
    assert lines == [3, 16, 20, 20, 29], err  # summary, answer, claim, source, advice
    assert "the cited source is still the placeholder" in err
    code, _, err = _run(["build", "--strict", "--root", str(site)], capsys)
    assert code == 1
    assert "[placeholder]" in err
    # Replaced, the guide passes.
    path = site / "content/guides/heat-pump-or-gas-boiler.md"
    path.write_text(
        text.replace(
            "Replace this with the answer in one paragraph; the index, feeds and llms.txt show it.",
            "A heat pump usually costs less to run.",
        )
        .replace(
            "Replace this paragraph with the short answer to the title's question.",
            "Usually the heat pump.",
        )
        .replace(
            "Replace this sentence with one fact, and cite its source before the full stop",
            "Heat pumps move heat instead of burning fuel",
        )
        .replace("https://example.org/replace-with-your-source", "https://www.gov.uk/heat-pumps")
        .replace(
            "Replace this paragraph with the recommendation and the conditions that change it.",
            "Insulate first.",
        ),
        encoding="utf-8",
    )
    assert _run(["lint", "--strict", "--root", str(site)], capsys)[0] == 0


def test_new_with_slug_and_draft(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        ["new", "--root", str(site), "A long question", "--slug", "short", "--draft"], capsys
    )
    assert code == 0
    assert "created draft content/guides/short.md" in out
    text = (site / "content/guides/short.md").read_text(encoding="utf-8")
    assert "\ndraft: true\n" in text
    result = build_site(site)
    assert result.ok
    assert not (site / "site/short").exists()
    assert build_site(site, drafts=True, out=site / "preview").ok
    assert (site / "preview/short/index.html").is_file()  # serve shows them


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Heat Pumps", "--slug 'Heat Pumps' is not a slug: use lower-case letters, digits"),
        ("tags", "--slug 'tags' is reserved for the site's own pages"),
        ("demo", "content/guides/demo.md already exists; not overwriting"),
    ],
)
def test_new_refuses_a_bad_or_taken_slug(
    site: Path, slug: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(["new", "--root", str(site), "Title", "--slug", slug], capsys)
    assert code == 2
    assert message in err


def test_init_from_an_empty_folder_then_new_then_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The stranger's path from the README, as separate processes."""
    root = tmp_path / "guides"
    cli = [sys.executable, "-m", "citeguide"]
    steps = [
        [*cli, "init", str(root)],
        [*cli, "new", "--root", str(root), "Is a heat pump worth it in a flat?"],
        [*cli, "build", "--root", str(root)],
    ]
    for step in steps:
        proc = subprocess.run(step, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
    assert (root / "site/is-a-heat-pump-worth-it-in-a-flat/index.html").is_file()
    shutil.rmtree(root / "site")


def test_init_writes_a_git_install_line_when_citeguide_came_from_git(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from citeguide.commands import init

    class _Dist:
        def read_text(self, name: str) -> str:
            assert name == "direct_url.json"
            return (
                '{"url": "https://git.example.org/team/citeguide.git", '
                '"vcs_info": {"vcs": "git", "commit_id": "0123abc"}}'
            )

    monkeypatch.setattr(init.metadata, "distribution", lambda name: _Dist())
    spec, note = init.install_spec()
    assert spec == "citeguide @ git+https://git.example.org/team/citeguide.git@0123abc"
    assert note is None


def test_init_says_where_the_currency_and_count_units_go(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stranger writing a guide priced in dollars (Kubernetes or one VM) found no word of
    `currency` or `[units] count` in the `citeguide.toml` that `init` wrote, though the
    first figure in pounds or per node needs one. Both are there, commented, and taking
    the comment marks off gives a configuration citeguide reads."""
    from citeguide.config_file import load_config

    root = tmp_path / "k8s"
    assert _run(["init", str(root)], capsys)[0] == 0
    toml = root / "citeguide.toml"
    text = toml.read_text(encoding="utf-8")
    for line in ('# currency = "GBP"', "# [units]", '# count = ["seat", "node"]'):
        assert line in text
        text = text.replace(line, line[2:])
    toml.write_text(text, encoding="utf-8")
    config = load_config(root)
    assert (config.currency, config.units.count) == ("GBP", ["seat", "node"])
