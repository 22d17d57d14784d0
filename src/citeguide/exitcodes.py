"""The exit codes of every `citeguide` command, in one table (README, "Exit codes")."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a command's exit status means; `int` subclass, so `return ExitCode.OK` works."""

    OK = 0
    """Success; warnings allowed unless `--strict`."""
    CONTENT = 1
    """Content problems (all of them printed first), or an unreadable link state."""
    USAGE = 2
    """Usage or configuration error: a bad option, a missing site root, a broken config;
    also the output's reader gone (`| head -1`), without a message."""
    FAIL_ON = 3
    """`check --fail-on`: a URL had one of the statuses named."""
    OFFLINE = 4
    """`check` found the network unreachable: nothing recorded, the last verdicts stand."""
    INTERRUPTED = 130
    """Stopped with Ctrl-C (the shell's 128 + SIGINT)."""
