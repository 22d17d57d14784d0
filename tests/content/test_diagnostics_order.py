"""The report lists the files other problems follow from first (settings, tables,
models, templates), then the rest, each file's problems by position: a broken model file
came after the guide errors it caused, because `content/guides` sorts before
`content/models` (found in a stranger test)."""

from __future__ import annotations

from citeguide.diagnostics import Diagnostics, SourcePos


def test_causes_come_before_what_follows_from_them() -> None:
    diags = Diagnostics()
    for path, line in [
        ("content/guides/b.md", 9), ("content/guides/b.md", 3), ("content/models/van.yaml", 2),
        ("content/guides/a.md", 1), ("templates/guide.html", 4), ("content/data/fuel.yaml", 7),
        ("citeguide.toml", 3), ("content/data/fuel.yaml", 2), ("llms.txt", 1),
    ]:  # fmt: skip
        diags.error(SourcePos(path, line, 1), "a problem", "rule")
    diags.error(SourcePos("content/guides/b.md", 3, 1), "a problem", "rule")  # said twice
    assert [str(d.pos) for d in diags.sorted()] == [
        "citeguide.toml:3:1",
        "content/data/fuel.yaml:2:1",
        "content/data/fuel.yaml:7:1",
        "content/models/van.yaml:2:1",
        "templates/guide.html:4:1",
        "content/guides/a.md:1:1",
        "content/guides/b.md:3:1",
        "content/guides/b.md:9:1",
        "llms.txt:1:1",
    ]
    assert diags.render().splitlines()[0].startswith("citeguide.toml:3:1: error:")
