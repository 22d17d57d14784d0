"""`citeguide lint`: the closing line counts guides in words a reader would write."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeguide.cli import main
from conftest import guide_text, write_site


def test_the_summary_says_one_guide_and_two_guides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_site(tmp_path, {"content/guides/one.md": guide_text("One guide")})
    main(["lint", "--root", str(root)])
    assert "1 guide checked:" in capsys.readouterr().err
    write_site(root, {"content/guides/two.md": guide_text("Another guide")})
    main(["lint", "--root", str(root)])
    assert "2 guides checked:" in capsys.readouterr().err
