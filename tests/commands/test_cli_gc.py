"""The collector's thresholds while a command runs (cli.GC_THRESHOLD), and after."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from citeguide import cli
from citeguide.engine import builder


def test_a_command_runs_with_the_tuned_collector_and_restores_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, int, int]] = []
    real = builder.build_site

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.get_threshold())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builder, "build_site", spy)
    (tmp_path / "content" / "guides").mkdir(parents=True)
    (tmp_path / "citeguide.toml").write_text("search = false\n", encoding="utf-8")
    before = gc.get_threshold()
    assert cli.main(["--root", str(tmp_path), "build"]) == 0
    assert seen == [cli.GC_THRESHOLD]
    assert gc.get_threshold() == before
