"""The search index: pagefind, run over the staged site as the last step of a build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class SearchIndexError(Exception):
    """pagefind failed; the message is what it printed."""


def index_site(folder: Path) -> None:
    """Write `folder/pagefind/`: an index of every page marked `data-pagefind-body`.

    pagefind ships as a binary inside its PyPI wheel, so this needs no network.
    """
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--silent"]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SearchIndexError(str(exc)) from None
    if proc.returncode != 0:
        raise SearchIndexError((proc.stderr or proc.stdout).strip() or "pagefind failed")
