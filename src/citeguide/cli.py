"""The `citeguide` command line: argument parsing and exit codes; work is done elsewhere."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from citeguide import __version__
from citeguide.diagnostics import ConfigError, Diagnostics

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _report(diags: Diagnostics, fmt: str = "text") -> None:
    if diags.items:
        print(diags.render(fmt), file=sys.stderr if fmt == "text" else sys.stdout)


def _site_root(args: argparse.Namespace) -> Path:
    root = Path(args.root).resolve()
    if not root.is_dir():
        raise ConfigError([])
    return root


def cmd_build(args: argparse.Namespace) -> int:
    from citeguide.build import build_site

    root = _site_root(args)
    result = build_site(root, strict=args.strict)
    _report(result.diagnostics)
    if not result.ok:
        print(
            f"build failed: {result.diagnostics.summary()}; site/ left unchanged",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    print(
        f"built {len(result.guides)} guide{'s' * (len(result.guides) != 1)} "
        f"into {root / 'site'} ({result.files} files; {result.diagnostics.summary()})"
    )
    return EXIT_OK


def cmd_lint(args: argparse.Namespace) -> int:
    from citeguide.build import check_site
    from citeguide.config import load_config

    root = _site_root(args)
    load_config(root)
    result = check_site(root, drafts=True)
    _report(result.diagnostics, args.format)
    if args.format == "text":
        print(
            f"{len(result.guides)} guides checked: {result.diagnostics.summary()}", file=sys.stderr
        )
    return EXIT_CONTENT if result.diagnostics.has_errors(strict=args.strict) else EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from citeguide.render.twin import schema_json

    sys.stdout.write(schema_json())
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    root_opt = argparse.ArgumentParser(add_help=False)
    root_opt.add_argument(
        "--root", default=argparse.SUPPRESS, metavar="DIR", help="site root (default: .)"
    )
    parser = argparse.ArgumentParser(
        prog="citeguide",
        description="Build sites of cited decision guides: every claim sourced, "
        "every number computed.",
        parents=[root_opt],
    )
    parser.set_defaults(root=".")
    parser.add_argument("--version", action="version", version=f"citeguide {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = sub.add_parser("build", parents=[root_opt], help="build content/ into site/")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.set_defaults(func=cmd_build)

    lint = sub.add_parser("lint", parents=[root_opt], help="check content without writing site/")
    lint.add_argument("--strict", action="store_true", help="treat warnings as errors")
    lint.add_argument("--format", choices=("text", "json", "github"), default="text")
    lint.set_defaults(func=cmd_lint)

    schema = sub.add_parser("schema", parents=[root_opt], help="print the JSON twin's schema")
    schema.set_defaults(func=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except ConfigError as exc:
        if exc.diagnostics:
            print("\n".join(d.format() for d in exc.diagnostics), file=sys.stderr)
        else:
            print(f"citeguide: error: {args.root!r} is not a directory", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"citeguide: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
