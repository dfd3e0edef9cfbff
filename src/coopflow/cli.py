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
    "en": "The process diagram (Mermaid) is saved in {path}.",
    "nl": "Het procesdiagram (Mermaid) is opgeslagen in {path}.",
}
_NOW = {
    "en": "Trajectory {id} is now in the {state} phase.",
    "nl": "Traject {id} is nu in de fase {state}.",
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
        Samenwerking gemeente Tilburg – Tilburg University: fase Verkenning
        <BLANKLINE>
        Volgende stap: ‘Verkenning afronden’
        ‘Verkenning afronden’ kan nog niet vanuit de fase Verkenning. Nog nodig:
        - er is nog geen gemeenschappelijk belang dat alle partijen onderschrijven
        - Gemeente Tilburg: inbreng en opbrengst (halen en brengen) nog niet benoemd
        - nog niet vastgelegd waarvoor Gemeente Tilburg een andere partij nodig heeft
        - nog niet vastgelegd welke partij Gemeente Tilburg nodig heeft
        - Tilburg University: inbreng en opbrengst (halen en brengen) nog niet benoemd
        - nog niet vastgelegd waarvoor Tilburg University een andere partij nodig heeft
        - nog niet vastgelegd welke partij Tilburg University nodig heeft
        Ontbrekende gegevens vastleggen (5 registraties) ...
        -> Vorming samenwerkingscultuur
        <BLANKLINE>
        Volgende stap: ‘Voortraject afronden’
        ‘Voortraject afronden’ kan nog niet vanuit de fase Vorming samenwerkingscultuur. Nog nodig:
        - voor Gemeente Tilburg is nog geen score voor vertrouwen vastgelegd
        - voor Tilburg University is nog geen score voor vertrouwen vastgelegd
        - Gemeente Tilburg heeft nog geen bijdrage toegezegd
        - Tilburg University heeft nog geen bijdrage toegezegd
        - voor Gemeente Tilburg is nog geen score voor zeggenschap vastgelegd
        - voor Tilburg University is nog geen score voor zeggenschap vastgelegd
        - voor Gemeente Tilburg is nog geen score voor belang bij de samenwerking vastgelegd
        - voor Gemeente Tilburg is nog geen score voor urgentie vastgelegd
        - voor Gemeente Tilburg is nog geen score voor impact vastgelegd
        - voor Tilburg University is nog geen score voor belang bij de samenwerking vastgelegd
        - voor Tilburg University is nog geen score voor urgentie vastgelegd
        - voor Tilburg University is nog geen score voor impact vastgelegd
        Ontbrekende gegevens vastleggen (13 registraties) ...
        -> Opstellen samenwerkingsagenda en programma
        <BLANKLINE>
        Volgende stap: ‘Ter ondertekening aanbieden’
        ‘Ter ondertekening aanbieden’ kan nog niet vanuit de fase Opstellen ... Nog nodig:
        - er is nog geen versie van de samenwerkingsagenda waarmee alle partijen hebben ingestemd
        Ontbrekende gegevens vastleggen (3 registraties) ...
        -> Ondertekening samenwerkingsverklaring
        <BLANKLINE>
        Volgende stap: ‘Programmabureau inrichten’
        ‘Programmabureau inrichten’ kan nog niet vanuit de fase Ondertekening ... Nog nodig:
        - Gemeente Tilburg heeft de samenwerkingsverklaring nog niet ondertekend
        - Tilburg University heeft de samenwerkingsverklaring nog niet ondertekend
        Ontbrekende gegevens vastleggen (2 registraties) ...
        -> Inrichting programmabureau
        Op 14 juni ondertekend door rector magnificus Emile Aarts ... Marcelle Hendrickx ...
        <BLANKLINE>
        Volgende stap: ‘Uitvoering starten’
        ‘Uitvoering starten’ kan nog niet vanuit de fase Inrichting programmabureau. Nog nodig:
        - er is nog geen programmamanager aangewezen
        - er is nog geen programmabudget vastgesteld
        Ontbrekende gegevens vastleggen (3 registraties) ...
        -> Uitvoering
        <BLANKLINE>
        Het procesdiagram (Mermaid) is opgeslagen in ...tilburg.mmd.
        Opgeslagen als ... in ...coopflow.db en daaruit weer geladen: fase Uitvoering.
        Traject ... is nu in de fase Uitvoering.
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
    state = trajectory.process.label(trajectory.state, locale=args.lang)
    print(_NOW[args.lang].format(id=trajectory.id, state=state))
    return 0
