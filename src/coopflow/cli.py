"""The `coopflow` command: a thin shell over the library.

Example:
    >>> from coopflow import cli
    >>> cli.main(["--version"])  # doctest: +ELLIPSIS
    coopflow ...
    0
"""

import argparse
import sys
from collections.abc import Sequence

import coopflow as cf
from coopflow import demo
from coopflow._i18n import LOCALES

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coopflow",
        description="Cooperation trajectories as state machines whose guards explain themselves.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run_demo = commands.add_parser(
        "demo", help="the seed's example: Gemeente Tilburg and Tilburg University"
    )
    run_demo.add_argument(
        "--lang", choices=LOCALES, default="en", help="the language of the output (en or nl)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: the process's arguments); return the exit code.

    Example:
        >>> from coopflow import cli
        >>> cli.main(["demo", "--lang", "nl"])  # doctest: +ELLIPSIS
        Tilburg x Tilburg University: Verkenning
        ...
        0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.version:
        print(f"coopflow {cf.__version__}")
        return 0
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    trajectory = demo.tilburg(locale=args.lang)
    print()
    print(f"{trajectory.id}: {trajectory.process.label(trajectory.state, locale=args.lang)}")
    return 0
