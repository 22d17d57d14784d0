"""The packaged templates' compiled code (`render/precompiled.py`): up to date with
templates/, used only where it is what compiling the source would give, and rendering
the same bytes."""

from __future__ import annotations

import filecmp
import hashlib
import shutil
from datetime import date
from pathlib import Path

import jinja2
import pytest

from citeguide.engine.builder import build_site
from citeguide.render import compile_templates, html, precompiled
from citeguide.render.html import environment
from citeguide.render.sandbox import PackageEnvironment
from citeguide.resources import default_dir

REPO = Path(__file__).resolve().parents[2]


def test_the_compiled_templates_are_those_of_the_templates() -> None:
    """Every packaged template was compiled from the bytes it has now: an edit without
    `make templates` fails here (the build itself compiles the edited source)."""
    for name, digest in precompiled.DIGESTS.items():
        source = (default_dir("templates") / name).read_bytes()
        assert hashlib.sha256(source).hexdigest() == digest, f"{name}: run `make templates`"
    assert "guide.html" in precompiled.DIGESTS


def test_the_compiled_templates_are_up_to_date(tmp_path: Path) -> None:
    if jinja2.__version__ != precompiled.JINJA:
        # Not wrong, only slower: another Jinja compiles every template from its source.
        pytest.skip(f"render/compiled/ was made by Jinja {precompiled.JINJA}, this is "
                    f"{jinja2.__version__}: `make templates` makes it for this one")  # fmt: skip
    made = compile_templates.generate(tmp_path)
    assert "guide.html" in made
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in precompiled.FOLDER.iterdir() if p.suffix == ".py"
    ), "run `make templates` and commit the result"
    _, mismatch, errors = filecmp.cmpfiles(
        tmp_path, precompiled.FOLDER, [p.name for p in tmp_path.iterdir()], shallow=False
    )
    assert mismatch + errors == [], "run `make templates` and commit the result"


def test_a_site_without_templates_uses_the_compiled_code(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:  # fmt: skip
    compiled: list[str] = []
    original = precompiled.code_for

    def spy(name: str, source: str) -> object:
        found = original(name, source)
        compiled.append(f"{name}:{'package' if found else 'source'}")
        return found

    monkeypatch.setattr(precompiled, "code_for", spy)
    env = environment(tmp_path)
    assert type(env) is PackageEnvironment
    template = env.get_template("guide.html")
    env.get_template("base.html")
    assert compiled == ["guide.html:package", "base.html:package"]
    # Failures name the template, not its compiled code.
    assert template.filename == str(default_dir("templates") / "guide.html")


def test_an_edited_template_is_compiled_from_its_source(tmp_path: Path) -> None:
    """A packaged template whose bytes are not those compiled (a checkout edited without
    `make templates`) renders what its source says."""
    folder = tmp_path / "defaults"
    shutil.copytree(default_dir("templates"), folder)
    (folder / "404.html").write_text("edited: {{ 6 * 7 }}\n")
    assert precompiled.code_for("404.html", (folder / "404.html").read_text()) is None
    assert precompiled.code_for("404.html", (default_dir("templates") / "404.html").read_text())
    env = PackageEnvironment(loader=html._PackagedLoader(folder, folder), autoescape=True)
    assert env.get_template("404.html").render() == "edited: 42"


def test_the_compiled_code_keeps_the_templates_lines() -> None:
    """Jinja maps each line of a template's code to the template's own (`debug_info`): the
    shipped code is Jinja's line for line, so a failure names the right template line."""
    env = html.package_environment()
    for name in precompiled.DIGESTS:
        source = (default_dir("templates") / name).read_bytes().decode()
        shipped = (precompiled.FOLDER / f"{precompiled.module_name(name)}.py").read_text()
        assert shipped.startswith(env.compile(source, name, raw=True) + "\n"), name


def test_another_jinja_compiles_from_source(monkeypatch: pytest.MonkeyPatch) -> None:
    source = (default_dir("templates") / "404.html").read_text()
    assert precompiled.code_for("404.html", source) is not None
    monkeypatch.setattr(precompiled, "JINJA", "0.0.0")
    assert precompiled.code_for("404.html", source) is None


def test_compiled_and_source_build_the_same_site(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:  # fmt: skip
    """The bundled example site, built with the compiled templates and then with every
    template compiled from its source: byte-identical."""
    sites = []
    for name, jinja in (("compiled", precompiled.JINJA), ("source", "0.0.0")):
        monkeypatch.setattr(precompiled, "JINJA", jinja)
        html._SHARED.clear()  # one environment per process and set of inputs
        root = tmp_path / name
        shutil.copytree(REPO / "content", root / "content")
        shutil.copy(REPO / "citeguide.toml", root / "citeguide.toml")
        result = build_site(root, today=date(2027, 6, 1), use_cache=False)
        assert not result.diagnostics.has_errors(), result.diagnostics.items
        sites.append(root / "site")
    compared = filecmp.dircmp(*sites)
    assert _differences(compared) == []
    assert len(list(sites[0].rglob("*.html"))) > 10


def _differences(compared: filecmp.dircmp[str]) -> list[str]:
    found = compared.left_only + compared.right_only + compared.funny_files
    _, mismatch, errors = filecmp.cmpfiles(compared.left, compared.right, compared.common_files,
                                           shallow=False)  # fmt: skip
    found += mismatch + errors
    for sub in compared.subdirs.values():
        found += _differences(sub)
    return found


def test_a_sandboxed_site_never_runs_the_compiled_code(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:  # fmt: skip
    """The sandbox compiles `*` and `**` to checked calls: a site with templates of its
    own compiles the packaged ones too."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "main.html").write_text("{% extends 'base.html' %}\n")
    looked: list[str] = []
    monkeypatch.setattr(precompiled, "code_for", lambda name, source: looked.append(name))
    env = environment(tmp_path)
    assert type(env) is not PackageEnvironment
    env.get_template("guide.html")
    assert looked == []
