"""When pagefind cannot index the site, `build` says why in one line and how to fix it.

Found while testing an override of `templates/base.html` that wrote a bare block: the
build stopped with pagefind's two lines printed twice, `Error: Pagefind was not able to
build an index. Most likely, the directory passed to Pagefind was empty or did not
contain any html files.`, about a folder full of `index.html` files. pagefind indexes
HTML documents (`<html>`, `<body>`); the message now says so, each line once.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import guide_text, write_site

BARE = "{% block body %}x{% endblock %}\n"
DOCUMENT = ('<!doctype html><html lang="en"><head><title>t</title></head>'
            "<body>{% block body %}x{% endblock %}</body></html>\n")  # fmt: skip


def _build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "citeguide", "--root", str(root), "build"],
                          capture_output=True, text=True, check=False)  # fmt: skip


def test_pages_pagefind_cannot_index_are_explained_once(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"content/guides/g.md": guide_text("Heat pumps"),
                                 "citeguide.toml": "search = true\n",
                                 "templates/base.html": BARE})  # fmt: skip
    run = _build(root)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    [line] = [t for t in run.stderr.splitlines() if t.startswith("citeguide: error:")]
    assert line.count("Pagefind was not able to build an index") == 1
    assert line.endswith(
        "(pagefind indexes HTML documents with <html> and <body>: if the site's own "
        "templates write pages without them, make them do so, or set `search = false` in "
        "citeguide.toml)"
    )
    assert not (root / "site").exists()
    (root / "templates" / "base.html").write_text(DOCUMENT)
    assert _build(root).returncode == 0
