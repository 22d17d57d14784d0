"""What a run has found so far, on stderr: a progress bar on a terminal, lines otherwise."""

from __future__ import annotations

import time
from collections import Counter
from typing import TYPE_CHECKING, TextIO

from citeguide.linkcheck.checker import CheckResult

if TYPE_CHECKING:
    from rich.progress import Progress as Bar


class Progress:
    """A rich progress bar on a terminal; a plain line every few seconds otherwise. Both
    say what the URLs that are not ok answered (`3 error: refused 2, tls 1`)."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.done = total, 0
        self.statuses: Counter[str] = Counter()
        self.reasons: dict[str, Counter[str]] = {}
        self.stream = stream
        self.last = time.monotonic()
        self.bar: Bar | None = None
        if stream.isatty() and total:
            # Imported for a terminal only: 17 ms (-X importtime) a CI log never shows.
            from rich.progress import Progress as Bar

            self.bar = Bar(transient=True)
            self.task = self.bar.add_task("checking links", total=total)
            self.bar.start()

    def __call__(self, result: CheckResult) -> None:
        self.done += 1
        self.statuses[result.status] += 1
        if result.status != "ok":
            why = result.outcome.error or (
                str(result.outcome.http_status) if result.outcome.http_status else ""
            )
            if why:
                self.reasons.setdefault(result.status, Counter())[why] += 1
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=self.summary() or "checking links")
        elif time.monotonic() - self.last >= 5 or self.done == self.total:
            self.last = time.monotonic()
            line = f"checked {self.done}/{self.total} URLs"
            print(f"{line}: {self.summary()}" if self.summary() else line, file=self.stream)

    def summary(self) -> str:
        """`40 ok, 12 error (refused 8, tls 4), 7 timeout`; a dead answer is `gone` here:
        whether it makes the source `failing` or `dead` is decided when it is recorded."""
        parts = []
        for status, count in sorted(self.statuses.items(), key=lambda i: (-i[1], i[0])):
            reasons = self.reasons.get(status)
            detail = ", ".join(f"{why} {n}" for why, n in reasons.most_common(3)) if reasons else ""
            word = "gone" if status == "dead" else status
            parts.append(f"{count} {word}" + (f" ({detail})" if detail else ""))
        return ", ".join(parts)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
