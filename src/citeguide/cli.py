"""The `citeguide` command line: argument parsing and exit codes; each command is a module
of `citeguide.commands`, which calls the engine."""

from __future__ import annotations

import argparse
import errno
import gc
import math
import os
import select
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from citeguide import __version__
from citeguide.diagnostics import ConfigError
from citeguide.engine.search import SearchIndexError
from citeguide.exitcodes import ExitCode


def _site_root(args: argparse.Namespace) -> Path:
    root = Path(args.root).resolve()
    if not root.is_dir():
        raise ConfigError([])
    return root


# Commands imported when run: at the top, `citeguide --version` took 1.0-1.6 s, not 0.1-0.2 s.
def cmd_build(args: argparse.Namespace) -> int:
    from citeguide.commands.build import run_build

    return run_build(_site_root(args), strict=args.strict, jobs=args.jobs)


def cmd_lint(args: argparse.Namespace) -> int:
    from citeguide.commands.lint import run_lint

    return run_lint(_site_root(args), fmt=args.format, strict=args.strict)


def cmd_calc(args: argparse.Namespace) -> int:
    from citeguide.commands.calc import describe_all, run_calc

    if args.list:
        return describe_all(_site_root(args), args.name, as_json=args.json)
    if not args.name:
        print("citeguide calc: error: name a model, or use --list", file=sys.stderr)
        return ExitCode.USAGE
    return run_calc(_site_root(args), args.name, args.params, as_json=args.json)


def cmd_check(args: argparse.Namespace) -> int:
    from citeguide.commands.check import run_check
    from citeguide.linkcheck.classify import STATUSES

    fail_on = {s.strip() for s in (args.fail_on or "").split(",") if s.strip()}
    unknown = fail_on - set(STATUSES)
    if unknown:
        choices = ", ".join(STATUSES)
        bad = sorted(unknown)[0]
        print(
            f"citeguide check: error: --fail-on: unknown status {bad!r} (choose from {choices})",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    return run_check(
        _site_root(args),
        fmt=args.format,
        timeout=args.timeout,
        max_age=args.max_age,
        fail_on=fail_on,
        archive=args.archive,
    )


def cmd_new(args: argparse.Namespace) -> int:
    from citeguide.commands.new import run_new

    return run_new(_site_root(args), args.title, slug=args.slug, draft=args.draft)


def cmd_init(args: argparse.Namespace) -> int:
    from citeguide.commands.init import run_init

    return run_init(Path(args.dir if args.dir is not None else args.root))


def cmd_serve(args: argparse.Namespace) -> int:
    from citeguide.commands.serve import DevServer

    try:
        server = DevServer(_site_root(args), args.port, sys.stderr).start()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(
                f"citeguide serve: error: port {args.port} is already in use (another "
                f"server, perhaps another `citeguide serve`); stop it, or choose another "
                f"port: citeguide serve --port {args.port + 1 if args.port < 65535 else 8000} "
                "(--port 0 picks any free port)",
                file=sys.stderr,
            )
            return ExitCode.USAGE
        if exc.errno == errno.EACCES:
            print(
                f"citeguide serve: error: port {args.port} needs privileges this user does "
                "not have; choose a port above 1023, such as --port 8000",
                file=sys.stderr,
            )
            return ExitCode.USAGE
        raise
    print(f"serving {server.url} (drafts included; Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
    return ExitCode.OK


def cmd_schema(args: argparse.Namespace) -> int:
    from citeguide.commands.schema import run_schema

    return run_schema(args.table, index=args.index)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a finite number greater than 0")
    return value


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0 to 65535)")
    return int(text)


def _positive_int(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    root_opt = argparse.ArgumentParser(add_help=False)
    root_opt.add_argument(
        "--root", default=argparse.SUPPRESS, metavar="DIR", help="site root (default: .)"
    )
    parser = argparse.ArgumentParser(
        prog="citeguide",
        description="Build sites of cited decision guides: every claim sourced, "
        "every number computed.",
    )
    # Before the command (`citeguide --root DIR build`) or after it (`build --root DIR`):
    # its own dest, since a subcommand's parse would otherwise reset it.
    parser.add_argument("--root", dest="root_global", default=None, metavar="DIR",
                        help="site root (default: .)")  # fmt: skip
    parser.add_argument("--version", action="version", version=f"citeguide {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = sub.add_parser("build", parents=[root_opt], help="build content/ into site/")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument(
        "--jobs",
        type=_positive_int,
        metavar="N",
        help="processes for parsing and rendering (default: cores)",
    )
    build.set_defaults(func=cmd_build)

    lint = sub.add_parser("lint", parents=[root_opt], help="check content without writing site/")
    lint.add_argument("--strict", action="store_true", help="treat warnings as errors")
    lint.add_argument("--format", choices=("text", "json", "github"), default="text")
    lint.set_defaults(func=cmd_lint)

    check = sub.add_parser(
        "check",
        parents=[root_opt],
        help="check every cited URL and record the results",
        description="Check every URL cited by a guide or a data table; results go to "
        "citeguide-links.json, which the next build reads.",
    )
    check.add_argument("--format", choices=("text", "json", "markdown", "github"), default="text")
    check.add_argument("--timeout", type=_positive, metavar="SECONDS", help="per request")
    check.add_argument(
        "--max-age", type=_positive, metavar="DAYS", help="skip URLs checked within DAYS"
    )
    check.add_argument(
        "--fail-on", metavar="STATUS[,STATUS]", help="exit 3 when a URL has one of these statuses"
    )
    check.add_argument(
        "--archive",
        action="store_true",
        help="ask the archive to snapshot live sources with no copy near their citation date",
    )
    check.set_defaults(func=cmd_check)

    serve = sub.add_parser(
        "serve", parents=[root_opt], help="preview with live reload on 127.0.0.1"
    )
    serve.add_argument("--port", type=_port, default=8000, help="port (0: any free port)")
    serve.set_defaults(func=cmd_serve)

    new = sub.add_parser("new", parents=[root_opt], help="scaffold a new guide")
    new.add_argument("title", help="the guide's title (its slug is derived from it)")
    new.add_argument("--slug", help="the guide's slug (default: from the title, cut between words)")
    new.add_argument(
        "--draft", action="store_true", help="mark it a draft (serve shows it, build skips it)"
    )
    new.set_defaults(func=cmd_new)

    init = sub.add_parser(
        "init",
        parents=[root_opt],
        help="start a new site root: citeguide.toml, an example guide, .gitignore, CI workflow",
        description="Create a site root in DIR (default: --root, or the current directory). "
        "Existing files are never overwritten.",
    )
    init.add_argument(
        "dir", nargs="?", metavar="DIR", help="folder of the new site (created if missing)"
    )
    init.set_defaults(func=cmd_init)

    calc = sub.add_parser(
        "calc",
        parents=[root_opt],
        help="evaluate one model (the site's own or the bundled pack's)",
        description="Evaluate a model with the site's tables, e.g. "
        "`citeguide calc api_cost tokens=10M model=claude-haiku-4.5`; a value a..b is a "
        "range. `--list` describes every model (or one: `--list NAME`).",
    )
    calc.add_argument("name", nargs="?", help="model name (see --list)")
    calc.add_argument("params", nargs="*", metavar="key=value", help="parameters")
    calc.add_argument("--json", action="store_true", help="print one JSON object")
    calc.add_argument("--list", action="store_true", help="describe every model")
    calc.set_defaults(func=cmd_calc)

    schema = sub.add_parser("schema", parents=[root_opt], help="print the JSON twin's schema")
    which = schema.add_mutually_exclusive_group()
    which.add_argument(
        "--table", metavar="NAME", help="print the schema of a data table instead (api_prices, ...)"
    )
    which.add_argument(
        "--index", action="store_true", help="print the schema of cite-index.json instead"
    )
    schema.set_defaults(func=cmd_schema)
    return parser


GC_THRESHOLD = (200_000, 30, 30)
"""The cyclic garbage collector's thresholds while a command runs (mypy's). The engine
holds tens of thousands of long-lived records (a build cache entry per guide, a use per
citation), almost none in cycles; at the default (700, 10, 10) the collector scanned them
again and again as they were made: one edit at 20,000 guides took 8.3 s, 7.0 s with
these (loading the cache 2.1 s → 1.4 s; the cited-sources record 1.3 s → 0.8 s)."""


def run() -> NoReturn:
    """The `citeguide` program (console script and `python -m citeguide`): `main`, then
    an exit that skips tearing the interpreter down. Freeing a build's objects one by one
    takes 70-90 ms at 2,000 guides, after the work is done (mypy exits the same way).
    Every file is closed by then, and the pools and threads have been joined; only the
    output streams are still buffered.

    pydantic looks through every installed distribution's entry points for plugins when
    it makes its first validator (3–8 ms of every command); citeguide's own records want
    none, so the program turns them off unless the environment says otherwise."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`citeguide lint | head`)
            code = code or ExitCode.USAGE
    os._exit(code)


def _reader_gone(stream: object) -> bool:
    """`stream` is a pipe whose reader has closed it (poll reports an error on it): a
    broken pipe there is the reader's choice, not a failure. Any other broken pipe (a
    subprocess's, a socket's) is reported."""
    try:
        poller = select.poll()
        poller.register(stream.fileno(), select.POLLOUT)  # type: ignore[attr-defined]
        return any(event & (select.POLLERR | select.POLLHUP) for _, event in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    args.root = getattr(args, "root", None) or args.root_global or "."
    previous = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)  # worker processes forked from this one inherit it
    try:
        return _run(args)
    finally:
        gc.set_threshold(*previous)


def _run(args: argparse.Namespace) -> int:
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except ConfigError as exc:
        if exc.diagnostics:
            print("\n".join(d.format() for d in exc.diagnostics), file=sys.stderr)
        else:
            print(f"citeguide: error: {args.root!r} is not a directory", file=sys.stderr)
        return ExitCode.USAGE
    except SearchIndexError as exc:
        print(
            f"citeguide: error: search index failed, site/ left unchanged: {exc}", file=sys.stderr
        )
        return ExitCode.CONTENT
    except BrokenPipeError as exc:
        if _reader_gone(sys.stdout):  # `citeguide calc --list | head -1`: nobody is reading
            return ExitCode.USAGE  # as when the last flush fails (`run`): no message
        print(f"citeguide: error: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except OSError as exc:
        print(f"citeguide: error: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
