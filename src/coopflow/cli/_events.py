"""`coopflow record`: one subcommand per data event, its flags derived from the event's fields.

Each attrs field becomes ``--field-name``, typed by its annotation: text, numbers (a decimal comma
is fine), amounts, yes/no flags (``--x`` / ``--no-x``), lists of ids, choices of an enum, a party
as ``ID=NAME[:SECTOR]``, weights as ``ID=NUMBER``; any other type (the agenda's themes) takes
JSON. Adding an event type to the library adds its subcommand here with no list kept in step.
"""

import argparse
import json
import re
import types
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any, get_args, get_origin

import attrs

from coopflow._events import DATA_EVENTS, DataEvent, Party, Sector
from coopflow._serialize import value_from_data
from coopflow._text import Phrase, template
from coopflow.cli._shell import CommandError
from coopflow.exceptions import CoopflowError


def command_name(cls: type) -> str:
    """The subcommand of an event class: ``InterestShared`` -> ``interest-shared``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", cls.__name__).lower()


#: The data events by subcommand name, in the library's order.
EVENTS: Mapping[str, type] = {command_name(cls): cls for cls in DATA_EVENTS}


def flag(name: str) -> str:
    """The option of a field: ``depends_on`` -> ``--depends-on``."""
    return "--" + name.replace("_", "-")


def _number(locale: str) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            return float(text.replace(",", ".") if "." not in text else text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                Phrase("{text} is not a number", text=repr(text)).render(locale)
            ) from None

    return parse


def _whole(locale: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                Phrase("{text} is not a whole number", text=repr(text)).render(locale)
            ) from None

    return parse


def _amount(text: str) -> str:
    # The event checks the amount; a Dutch 1000,50 is 1000.50.
    return text.replace(",", ".") if "." not in text else text


def party_spec(locale: str) -> Callable[[str], Party]:
    """The parser of ``ID=NAME[:SECTOR]`` (``ID`` alone: the name is the id)."""

    def parse(text: str) -> Party:
        id, _, rest = text.partition("=")
        name, sector = rest, None
        if ":" in rest:
            name, _, sector = rest.rpartition(":")
            if sector not in set(Sector):
                choices = ", ".join(Sector)
                raise argparse.ArgumentTypeError(
                    Phrase(
                        "{text}: the sector must be one of {choices}", text=text, choices=choices
                    ).render(locale)
                )
        try:
            return Party(id.strip(), name=name.strip() or id.strip(), sector=sector)
        except CoopflowError as error:  # an empty id
            raise argparse.ArgumentTypeError(error.message(locale)) from None

    return parse


def _weights(locale: str) -> Callable[[str], tuple[str, float]]:
    number = _number(locale)

    def parse(text: str) -> tuple[str, float]:
        party, sep, weight = text.partition("=")
        if not sep:
            raise argparse.ArgumentTypeError(
                Phrase("{text} is not PARTY=WEIGHT", text=repr(text)).render(locale)
            )
        return party, number(weight)

    return parse


def _json_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"JSON: {error}") from None


def _options(field: "attrs.Attribute[Any]", locale: str) -> dict[str, Any]:
    kind: Any = field.type
    if get_origin(kind) is types.UnionType:
        (kind,) = (arg for arg in get_args(kind) if arg is not type(None))
    metavar = field.name.upper()
    if kind is str:
        return {"metavar": metavar}
    if kind is float:
        return {"metavar": metavar, "type": _number(locale)}
    if kind is int:
        return {"metavar": metavar, "type": _whole(locale)}
    if kind is Decimal:
        return {"metavar": "EUR", "type": _amount}
    if kind is bool:
        return {"action": argparse.BooleanOptionalAction}
    if kind is Party:
        return {"metavar": "ID=NAME[:SECTOR]", "type": party_spec(locale)}
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return {"choices": [member.value for member in kind]}
    if get_origin(kind) is frozenset:
        return {"metavar": "ID", "nargs": "+"}
    if get_origin(kind) is Mapping:
        return {"metavar": "ID=NUMBER", "nargs": "+", "type": _weights(locale)}
    return {"metavar": "JSON", "type": _json_value}


def _required(field: "attrs.Attribute[Any]") -> bool:
    return field.default is attrs.NOTHING


def add_event_commands(commands: Any, locale: str, parents: list[argparse.ArgumentParser]) -> None:
    """A subcommand of ``record`` per data event, with a flag per field and ``--json``."""
    for name, cls in EVENTS.items():
        doc = (cls.__doc__ or "").strip().splitlines()[0]
        sub = commands.add_parser(
            name, help=template(doc, locale), description=template(doc, locale), parents=parents
        )
        for field in attrs.fields(cls):
            help = Phrase("required") if _required(field) else None
            sub.add_argument(
                flag(field.name),
                dest=f"field_{field.name}",
                help=help.render(locale) if help else None,
                **_options(field, locale),
            )
        sub.add_argument(
            "--json",
            dest="event_json",
            metavar="JSON",
            help=Phrase("the whole event as JSON (its fields), instead of the flags").render(
                locale
            ),
        )
        sub.set_defaults(event_class=cls)


def event_from(args: Any, locale: str) -> DataEvent:
    """The event the flags (or ``--json``) of a ``record`` subcommand describe."""
    cls: type = args.event_class
    given = {
        field.name: getattr(args, f"field_{field.name}")
        for field in attrs.fields(cls)
        if getattr(args, f"field_{field.name}") is not None
    }
    if args.event_json is not None:
        if given:
            raise CommandError(Phrase("give the fields or --json, not both"))
        data = _json_value_or_error(args.event_json)
        if isinstance(data, dict) and data.get("type") == cls.__name__:
            data = {key: value for key, value in data.items() if key != "type"}
        event: DataEvent = value_from_data(data, cls, command_name(cls))
        return event
    missing = [flag(f.name) for f in attrs.fields(cls) if _required(f) and f.name not in given]
    if missing:
        raise CommandError(
            template("the following arguments are required: %s", locale) % ", ".join(missing)
        )
    values: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if field.name not in given:
            continue
        value = given[field.name]
        if get_origin(field.type) is Mapping:
            value = dict(value)
        elif _options(field, locale).get("type") is _json_value:
            value = value_from_data(value, field.type, field.name)
        values[field.name] = value
    event = cls(**values)
    return event


def _json_value_or_error(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise CommandError(Phrase("--json is not JSON: {error}", error=str(error))) from None
