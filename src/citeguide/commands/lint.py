"""`citeguide lint`: the Site's diagnostics, drafts included, nothing rendered or written."""

from __future__ import annotations

import sys
from pathlib import Path

from citeguide.commands.build import notes, report
from citeguide.engine.incremental import check_site
from citeguide.exitcodes import ExitCode


def run_lint(root: Path, *, fmt: str, strict: bool) -> int:
    result = check_site(root, drafts=True)
    notes(result.notes)
    report(result.diagnostics, fmt)
    if fmt == "text":
        count = result.checked
        guides = f"{count} guide{'s' * (count != 1)}"
        print(f"{guides} checked: {result.diagnostics.summary()}", file=sys.stderr)
    return ExitCode.CONTENT if result.diagnostics.has_errors(strict=strict) else ExitCode.OK
