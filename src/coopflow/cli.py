"""The `coopflow` command: a thin shell over the library.

Example:
    >>> from coopflow import cli
    >>> cli.main(["--version"])  # doctest: +ELLIPSIS
    coopflow ...
    0
"""

import argparse
import pathlib
import sys
from collections.abc import Sequence

import coopflow as cf
from coopflow import demo
from coopflow._i18n import LOCALES

__all__ = ["main"]

_WROTE = {
    "en": "The diagram of the trajectory (Mermaid) is in {path}.",
    "nl": "Het diagram van het traject (Mermaid) staat in {path}.",
}


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
    run_demo.add_argument(
        "--diagram",
        metavar="PATH",
        default="tilburg.mmd",
        help="where to write the Mermaid diagram of the trajectory (default: tilburg.mmd)",
    )
    run_demo.add_argument(
        "--store",
        metavar="PATH",
        default="coopflow.db",
        help="the SQLite file to store the trajectory in and load it back from "
        "(default: coopflow.db; needs the store extra)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: the process's arguments); return the exit code.

    Example:
        >>> from coopflow import cli
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> diagram, db = folder / "tilburg.mmd", folder / "coopflow.db"
        >>> cli.main(["demo", "--lang", "nl", "--diagram", str(diagram), "--store", str(db)])
        ... # doctest: +ELLIPSIS
        Tilburg x Tilburg University: Verkenning
        ...
        0
        >>> diagram.read_text(encoding="utf-8").splitlines()[0]
        'flowchart LR'
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
    diagram = cf.to_mermaid(trajectory.process, highlight=trajectory, locale=args.lang)
    pathlib.Path(args.diagram).write_text(diagram, encoding="utf-8")
    print()
    print(_WROTE[args.lang].format(path=args.diagram))
    demo.store(trajectory, args.store, locale=args.lang)
    print(f"{trajectory.id}: {trajectory.process.label(trajectory.state, locale=args.lang)}")
    return 0
