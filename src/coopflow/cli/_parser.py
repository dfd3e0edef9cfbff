"""The argument parser of `coopflow`, in English or Dutch.

argparse writes its own words ("usage:", "options", "the following arguments are required")
through the module-level ``_`` and ``ngettext`` of the standard `gettext`; while a parser is
built and used, `speaking` points them at coopflow's catalogue, which translates argparse's
messages next to coopflow's own, and puts them back afterwards.
"""

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, NoReturn

from coopflow._text import LOCALES, Phrase, template
from coopflow.cli import _commands, _files, _scores
from coopflow.cli._events import add_event_commands, party_spec
from coopflow.cli._shell import CommandError, parse_time


class UsageError(Exception):
    """A command line argparse refused: the message, in the chosen language, and the parser."""

    def __init__(self, prog: str, message: str) -> None:
        self.prog = prog
        super().__init__(message)


class Parser(argparse.ArgumentParser):
    """An argparse parser that raises `UsageError` instead of printing the usage and exiting."""

    def error(self, message: str) -> NoReturn:
        """Raise `UsageError` with argparse's message (already in the chosen language)."""
        raise UsageError(self.prog, message)


@contextmanager
def speaking(locale: str) -> Iterator[None]:
    """Let argparse speak `locale` while the block runs."""
    saved = getattr(argparse, "_"), getattr(argparse, "ngettext")  # noqa: B009
    setattr(argparse, "_", lambda message: template(message, locale))  # noqa: B010
    setattr(argparse, "ngettext", lambda one, many, n: template(one, locale, n, many))  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010


Command = Callable[[Any], int]


def _globals(locale: str, *, below: bool) -> Parser:
    # The options every subcommand takes before or after its name; below the subcommand they
    # default to nothing, so a value given before it is kept.
    def default(value: object) -> object:
        return argparse.SUPPRESS if below else value

    parser = Parser(add_help=False)
    say = _say(locale)
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=default("coopflow.db"),
        help=say("the store: an SQLite file or a database URL (default: coopflow.db)"),
    )
    parser.add_argument(
        "--process",
        metavar="FILE",
        default=default(None),
        help=say("the process: a .toml or .json file, or a shipped example (default: coopflow's)"),
    )
    parser.add_argument(
        "--lang",
        choices=LOCALES,
        default=default(None),
        help=say("the language: en or nl (default: from LANG)"),
    )
    return parser


def _say(locale: str) -> Callable[[str], str]:
    return lambda text: template(text, locale)


def _json(parser: argparse.ArgumentParser, locale: str) -> None:
    parser.add_argument(
        "--json", action="store_true", help=Phrase("the answer as JSON").render(locale)
    )


def _moment(locale: str) -> Callable[[str], datetime]:
    def parse(text: str) -> datetime:
        try:
            return parse_time(text)
        except CommandError as error:
            raise argparse.ArgumentTypeError(error.message(locale)) from None

    return parse


def _when(parser: argparse.ArgumentParser, locale: str) -> None:
    say = _say(locale)
    parser.add_argument(
        "--at",
        metavar="DATE",
        type=_moment(locale),
        default=None,
        help=say("when it happened (2018-06-14 or 2018-06-14T10:00; default: now)"),
    )
    parser.add_argument(
        "--actor", metavar="NAME", default=None, help=say("who did it, for the audit log")
    )


def build(locale: str) -> Parser:
    """The whole parser, its help in `locale` (call inside `speaking`)."""
    say = _say(locale)
    parser = Parser(
        prog="coopflow",
        description=say(
            "Cooperation trajectories as state machines whose guards explain themselves."
        ),
        parents=[_globals(locale, below=False)],
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="store_true", help=say("print the version and exit"))
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", title=say("commands"), parser_class=Parser
    )
    below = [_globals(locale, below=True)]

    def command(name: str, help: str, run: Command) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = commands.add_parser(
            name, help=say(help), description=say(help), parents=below, allow_abbrev=False
        )
        sub.set_defaults(run=run)
        return sub

    new = command("new", "start a trajectory and print its id", _commands.new)
    new.add_argument("title", metavar="TITLE", help=say("the title people read"))
    new.add_argument(
        "--party",
        metavar="ID=NAME[:SECTOR]",
        action="append",
        required=True,
        type=party_spec(locale),
        help=say("a party (at least two): its id, name and sector"),
    )
    new.add_argument("--id", default=None, help=say("the trajectory's id (default: a new one)"))
    _when(new, locale)

    party = command("party", "a party joins or leaves", _commands.party)
    actions = party.add_subparsers(
        dest="party_action", metavar="add|leave", required=True, parser_class=Parser
    )
    add = actions.add_parser("add", help=say("a party joins"), parents=below)
    add.add_argument("id", metavar="ID", help=say("the trajectory"))
    add.add_argument(
        "party", metavar="ID=NAME[:SECTOR]", type=party_spec(locale), help=say("the party")
    )
    _when(add, locale)
    leave = actions.add_parser("leave", help=say("a party leaves"), parents=below)
    leave.add_argument("id", metavar="ID", help=say("the trajectory"))
    leave.add_argument("party", metavar="PARTY", help=say("the id of the party"))
    leave.add_argument("--reason", default="", help=say("why it leaves"))
    _when(leave, locale)

    record = command(
        "record", "record a fact: a score, a contribution, a signature, ...", _commands.record
    )
    record.add_argument("id", metavar="ID", help=say("the trajectory"))
    events = record.add_subparsers(
        dest="event", metavar="EVENT", required=True, parser_class=Parser
    )
    event_parent = Parser(add_help=False, parents=below)
    _when(event_parent, locale)
    add_event_commands(events, locale, [event_parent])

    fire = command("fire", "take a step (fire a trigger)", _commands.fire)
    fire.add_argument("id", metavar="ID", help=say("the trajectory"))
    fire.add_argument("trigger", metavar="TRIGGER", help=say("the step, by its id"))
    fire.add_argument("--reason", default="", help=say("why, for the audit log"))
    _when(fire, locale)

    why = command("why", "why a step can or cannot be taken now", _commands.why)
    why.add_argument("id", metavar="ID", help=say("the trajectory"))
    why.add_argument(
        "trigger",
        metavar="TRIGGER",
        nargs="?",
        default=None,
        help=say("the step (default: every step from the current phase)"),
    )
    _json(why, locale)

    status = command("status", "the phase, the parties and the possible steps", _commands.status)
    status.add_argument("id", metavar="ID", help=say("the trajectory"))
    _json(status, locale)

    history = command("history", "the audit log of a trajectory", _commands.history)
    history.add_argument("id", metavar="ID", help=say("the trajectory"))
    _json(history, locale)

    listing = command("list", "the trajectories in the store", _commands.listing)
    listing.add_argument("--state", default=None, help=say("only those in this phase (its id)"))
    listing.add_argument("--party", default=None, help=say("only those this party takes part in"))
    _json(listing, locale)

    check = command("check", "check every rule of a process definition", _files.check)
    check.add_argument(
        "process_file", metavar="PROCESS_FILE", help=say("a .toml or .json file, or an example")
    )
    _json(check, locale)

    diagram = command("diagram", "the process as a diagram (Mermaid or DOT)", _files.diagram)
    diagram.add_argument(
        "target",
        metavar="ID|PROCESS_FILE",
        help=say("a trajectory (its phase highlighted) or a process file"),
    )
    diagram.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    diagram.add_argument("-o", "--output", metavar="FILE", default=None, help=say("write to FILE"))

    export = command("export", "trajectories as JSON", _files.export)
    export.add_argument(
        "ids", metavar="ID", nargs="*", help=say("one or more trajectories (default: all)")
    )
    export.add_argument("-o", "--output", metavar="FILE", default=None, help=say("write to FILE"))

    load = command("import", "trajectories from JSON (what export wrote)", _files.import_)
    load.add_argument("file", metavar="FILE", help=say("the JSON file (- reads standard input)"))

    scores = command(
        "import-scores", "the scores of a survey, from a CSV file", _scores.import_scores
    )
    scores.add_argument("id", metavar="ID", help=say("the trajectory"))
    scores.add_argument(
        "file", metavar="FILE.csv", help=say("columns: party, dimension, score, respondent, date")
    )
    scores.add_argument(
        "--actor", metavar="NAME", default=None, help=say("who did it, for the audit log")
    )

    report = command("report", "the steering-group report (HTML or Markdown)", _files.report)
    report.add_argument("id", metavar="ID", nargs="?", default=None, help=say("the trajectory"))
    report.add_argument(
        "--all", action="store_true", help=say("every trajectory: the portfolio page")
    )
    report.add_argument("-o", "--output", metavar="FILE", required=True, help=say("write to FILE"))
    report.add_argument("--format", choices=("html", "md"), default="html")

    demo = command(
        "demo", "the seed's example: Gemeente Tilburg and Tilburg University", _files.demo
    )
    demo.add_argument(
        "--diagram", metavar="PATH", default=None, help=say("write the Mermaid diagram to PATH")
    )
    demo.add_argument(
        "--report",
        metavar="DIR",
        default=None,
        help=say("write the steering-group report into the folder DIR"),
    )
    demo.add_argument("--store", metavar="PATH", default=None, help=say("the same as --db"))
    return parser
