"""Hostile templates: a pull request's `templates/` is data, never code (issue 25, item 1).

Each case writes a real override into a real site root and runs the real CLI: the build
fails with one positioned diagnostic, publishes nothing and prints no traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from citeguide.cli import main
from conftest import guide_text, write_site

CASES = {
    # The red team's findings: code execution and the environment through Jinja globals.
    "popen": (
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "refused by the template sandbox",
    ),
    "environ": ("{{ lipsum.__globals__['os'].environ }}", "refused by the template sandbox"),
    "subclasses": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "refused"),
    "mutation": ("{% set x = site.__dict__ %}{{ x }}", "refused"),
    # Tracebacks the red team saw, now positioned errors.
    "zero": ("{{ 1/0 }}", "ZeroDivisionError: division by zero"),
    "format": ("{{ '%d' | format('x') }}", "TypeError"),
    "self-include": ("{% include '404.html' %}", "includes or extends itself"),
    "syntax": ("{% for x in range(3) %}", "template syntax error"),
    "undefined": ("{{ no_such_thing.attribute }}", "undefined"),
    # Resource bounds of citeguide's own policy.
    "repeat": ("{{ 'x' * 100000000000 }}", "repeating a sequence"),
    "power": ("{{ 2 ** 100000000 }}", "exponent 100000000 is larger than 1024"),
    "output": (
        "{% for i in range(100000) %}{{ 'y' * 1000 }}{% endfor %}",
        "produced more than",
    ),
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site-root", {"content/guides/demo.md": guide_text()})


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_template_is_a_positioned_error_and_publishes_nothing(
    root: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    body, expected = CASES[case]
    (root / "templates").mkdir()
    (root / "templates" / "404.html").write_text(f"<p>first line</p>\n{body}\n")
    code = main(["build", "--root", str(root)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "uid=" not in err
    assert code == 1
    lines = [line for line in err.splitlines() if ": error: " in line]
    assert len(lines) == 1, err
    # The output cap is a property of the whole render: it names the template, line 1.
    line = 1 if case == "output" else 2
    assert lines[0].startswith(f"templates/404.html:{line}:1: error: "), lines
    assert expected.lower() in lines[0].lower(), lines
    assert not (root / "site").exists()


def test_a_guide_template_override_failing_in_a_worker_is_positioned(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Enough guides to use worker processes: the failure crosses a process boundary.
    for n in range(12):
        (root / "content" / "guides" / f"g{n}.md").write_text(guide_text(title=f"Guide {n}"))
    (root / "templates").mkdir()
    (root / "templates" / "guide.html").write_text("ok\n\n{{ cycler.__init__ }}\n")
    code = main(["build", "--root", str(root), "--jobs", "2"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert "templates/guide.html:3:1: error: " in err
    assert "refused by the template sandbox" in err


def test_non_utf8_template_is_an_encoding_error(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "404.html").write_bytes(b"\xff\xfe{{ x }}")
    code = main(["build", "--root", str(root)])
    err = capsys.readouterr().err
    assert code == 1
    assert "templates/404.html:1:1: error: template is not UTF-8 text [encoding]" in err


def test_templates_cannot_read_the_environment(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITEGUIDE_TEST_SECRET", "s3cr3t-value")
    (root / "templates").mkdir()
    attempts = [
        "{{ lipsum.__globals__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ joiner.__init__.__globals__ }}",
        "{{ namespace.__init__.__globals__ }}",
        "{{ range.__self__ }}",
        "{{ self._TemplateReference__context }}",
    ]
    for attempt in attempts:
        (root / "templates" / "404.html").write_text(attempt)
        main(["build", "--root", str(root)])
        err = capsys.readouterr().err
        assert "s3cr3t-value" not in err
        site = root / "site"
        if site.exists():
            for path in site.rglob("*"):
                if path.is_file():
                    assert b"s3cr3t-value" not in path.read_bytes()
    assert os.environ["CITEGUIDE_TEST_SECRET"] == "s3cr3t-value"


def test_an_ordinary_override_still_renders(root: Path) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<p>Lost? {{ site.title | upper }} '
        "{{ (3 * 2) ** 2 }} {{ '-' * 3 }}</p>{% endblock %}\n"
    )
    assert main(["build", "--root", str(root)]) == 0
    page = (root / "site" / "404.html").read_text()
    assert "36 ---" in page
