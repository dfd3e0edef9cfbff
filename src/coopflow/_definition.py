"""Process definitions as plain data: guards by kind name, the canonical form, the fingerprint.

Loading trusts nothing: every value is checked for its type, a guard kind must be registered
(no module is imported and no code named in data runs), unknown keys are refused, and every
failure is an `InvalidProcessError` or `UnknownNameError`, never a half-built process.
"""

import decimal
import hashlib
import json
import os
import pathlib
import re
from collections.abc import Iterable, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any, get_args, get_origin

import attrs
import cattrs

from coopflow import _toml
from coopflow._process import Process, State, Transition
from coopflow._settings import Settings
from coopflow._text import Phrase, Problem, shown
from coopflow._validators import is_number
from coopflow._vocabulary import Fact, Vocabulary
from coopflow.exceptions import CoopflowError, InvalidProcessError, UnknownNameError
from coopflow.guards import Guard
from coopflow.guards._registry import guard_class
from coopflow.guards._select import Selection

FORMAT = 2
"""The version of the serialised process format; it changes whenever the format does.

Format 2 added the vocabulary and success states. A format-1 document still loads: it has the
seed's vocabulary, and its terminal state ``completed`` (if any) is its success state.
"""
FORMATS = (1, 2)

# ISO 8601 durations: P, then years, months, weeks and days, then T and hours, minutes, seconds,
# each optional but at least one given, and only the last one given with a decimal fraction (a
# point or a comma). Weeks stand alone in ISO 8601-1 (P2W); before days (P1W3D) they are the
# extension of ISO 8601-2 that most parsers read too. ASCII digits only, and no trailing newline.
_AMOUNT = r"([0-9]+(?:[.,][0-9]+)?)"
_DURATION = re.compile(
    rf"P(?:{_AMOUNT}Y)?(?:{_AMOUNT}M)?(?:{_AMOUNT}W)?(?:{_AMOUNT}D)?"
    rf"(?:T(?=[0-9])(?:{_AMOUNT}H)?(?:{_AMOUNT}M)?(?:{_AMOUNT}S)?)?"
)
# Microseconds per unit, in the order of the groups; years and months are refused before.
_MICROSECONDS = (0, 0, 604_800_000_000, 86_400_000_000, 3_600_000_000, 60_000_000, 1_000_000)
_LONGEST = timedelta.max // timedelta(microseconds=1)


def duration_to_text(value: timedelta) -> str:
    """A positive timedelta as an ISO 8601 duration: ``P30D``, ``PT12H``, ``P1DT0.5S``.

    Exact to the microsecond, so that the text reads back to the same timedelta.
    """
    rest = value.seconds * 1_000_000 + value.microseconds
    hours, rest = divmod(rest, 3_600_000_000)
    minutes, rest = divmod(rest, 60_000_000)
    seconds, micro = divmod(rest, 1_000_000)
    second_text = f"{seconds}.{micro:06d}".rstrip("0") if micro else str(seconds)
    time = "".join(
        text
        for amount, text in (
            (hours, f"{hours}H"),
            (minutes, f"{minutes}M"),
            (rest, f"{second_text}S"),
        )
        if amount
    )
    return "P" + (f"{value.days}D" if value.days else "") + (f"T{time}" if time else "")


def _fraction(amount: str) -> bool:
    return "." in amount or "," in amount


def text_to_duration(text: object) -> timedelta:
    """Parse an ISO 8601 duration (``P30D``, ``P2W``, ``PT1.5H``); anything else is refused.

    Years and months have no fixed length, so a duration with them is refused as well. Exact to
    the microsecond (rounded half to even below that).

    Raises:
        InvalidProcessError: `text` is not such a duration, or longer than a timedelta holds.
    """
    match = _DURATION.fullmatch(text) if isinstance(text, str) else None
    given = [] if match is None else [i for i, part in enumerate(match.groups()) if part]
    if match is None or not given or any(_fraction(match[i + 1]) for i in given[:-1]):
        raise InvalidProcessError(
            [
                Phrase(
                    "max_score_age {text} is not an ISO 8601 duration like 'P30D' or 'P2W'",
                    text=shown(text),
                )
            ]
        )
    if given[0] < 2:
        raise InvalidProcessError(
            [
                Phrase(
                    "max_score_age {text} counts years or months, which have no "
                    "fixed length; give it in weeks, days or hours, like 'P26W' "
                    "or 'P180D'",
                    text=shown(text),
                )
            ]
        )
    # Decimal, not float: exact for any number of digits (the precision grows with the text), and
    # an exponent beyond Decimal's range is an Overflow, never a silent infinity.
    with decimal.localcontext(prec=len(match.string) + 20):
        try:
            total = sum(
                (Decimal(match[i + 1].replace(",", ".")) * _MICROSECONDS[i] for i in given),
                Decimal(0),
            )
        except decimal.Overflow:
            total = Decimal(_LONGEST + 1)
        micro = total.to_integral_value(rounding=decimal.ROUND_HALF_EVEN)
    if micro > _LONGEST:
        raise InvalidProcessError([Phrase("max_score_age {text} is too long", text=shown(text))])
    return timedelta(microseconds=int(micro))


# --- guards ------------------------------------------------------------------------------------


def guard_to_data(guard: Guard) -> dict[str, Any]:
    """A guard as ``{"kind": ..., parameter: value, ...}``, leaving out parameters that are None."""
    cls = type(guard)
    kind = getattr(cls, "kind", None)
    if not isinstance(kind, str) or guard_class(kind) is not cls or not attrs.has(cls):
        raise InvalidProcessError(
            [Phrase("guard {guard} is not a registered attrs guard", guard=shown(guard))]
        )
    data: dict[str, Any] = {"kind": kind}
    for field in attrs.fields(cls):
        value = getattr(guard, field.name)
        if value is None:
            continue
        try:
            plain = _CONVERTER.unstructure(value, field.type)
            json.dumps(plain, allow_nan=False)
        except ValueError:  # nan or an infinity
            raise InvalidProcessError(
                [
                    Phrase(
                        "guard {kind} parameter {name} {value} is not a finite number",
                        kind=shown(kind),
                        name=shown(field.name),
                        value=shown(value),
                    )
                ]
            ) from None
        except (TypeError, RecursionError, cattrs.errors.CattrsError):
            raise InvalidProcessError(
                [
                    Phrase(
                        "guard {kind} parameter {name} {value} cannot be written as "
                        "data: use text, numbers, true or false, lists and tables",
                        kind=shown(kind),
                        name=shown(field.name),
                        value=shown(value),
                    )
                ]
            ) from None
        data[field.name] = plain
    return data


def guard_from_data(data: object) -> Guard:
    """The guard `data` describes; its kind must be registered.

    Every problem is a sentence naming the guard's kind and the parameter: an unknown parameter
    (with the ones the kind takes), a missing one, a value of the wrong type.
    """
    if not isinstance(data, Mapping) or not isinstance(data.get("kind"), str):
        raise InvalidProcessError(
            [Phrase("guard {data} must be a table with a 'kind'", data=shown(data))]
        )
    kind: str = data["kind"]
    cls = guard_class(kind)
    fields = _parameters(kind, cls)
    params = {key: value for key, value in data.items() if key != "kind"}
    unknown = sorted((key for key in params if key not in fields), key=repr)
    required = [name for name, field in fields.items() if field.default is attrs.NOTHING]
    missing = [name for name in required if name not in params]
    problems = []
    if unknown:
        takes = ", ".join(map(shown, fields)) or "none"
        problems.append(
            Phrase(
                "guard {kind} has no {value} (it takes {takes})",
                kind=shown(kind),
                value=_parameter_names(unknown),
                takes=takes,
            )
        )
    if missing:
        problems.append(
            Phrase(
                "guard {kind} lacks its required {value}",
                kind=shown(kind),
                value=_parameter_names(missing),
            )
        )
    if problems:
        raise InvalidProcessError(problems)
    values: dict[str, Any] = {}
    for name, value in params.items():
        field = fields[name]
        try:
            values[field.alias or name] = _CONVERTER.structure(value, field.type or Any)
        except CoopflowError:  # a nested guard's own problem, which names that guard
            raise
        except cattrs.StructureHandlerNotFoundError:
            problems.append(
                Phrase(
                    "guard {kind} parameter {name} has a type coopflow cannot load: {value}",
                    kind=shown(kind),
                    name=shown(name),
                    value=_type_name(field.type),
                )
            )
        except _WrongType as error:
            problems.append(
                Phrase(
                    "guard {kind} parameter {name} is not valid: {error}",
                    kind=shown(kind),
                    name=shown(name),
                    error=error,
                )
            )
        except (TypeError, ValueError, AttributeError, LookupError):  # from cattrs' own hooks
            problems.append(
                Phrase(
                    "guard {kind} parameter {name} is not valid: {value} cannot "
                    "be read as {value2}",
                    kind=shown(kind),
                    name=shown(name),
                    value=shown(value),
                    value2=_type_name(field.type),
                )
            )
    if problems:
        raise InvalidProcessError(problems)
    try:
        guard: Guard = cls(**values)
    except CoopflowError:
        raise
    except Exception as error:  # a custom guard's own validator may raise anything
        raise InvalidProcessError(
            [
                Phrase(
                    "guard {kind} refused its parameters: {error}",
                    kind=shown(kind),
                    error=shown(error),
                )
            ]
        ) from None
    return guard


def _parameters(kind: str, cls: type) -> "dict[str, attrs.Attribute[Any]]":
    """The parameters of a guard class by their name in a document (the attribute's name).

    `guards.register` takes attrs classes only, so every registered kind has fields.
    """
    try:
        resolved = attrs.resolve_types(cls)
    except Exception as error:  # a custom guard's annotation that does not resolve
        raise InvalidProcessError(
            [
                Phrase(
                    "guard {kind} has parameter types that cannot be resolved: {error}",
                    kind=shown(kind),
                    error=shown(error),
                )
            ]
        ) from None
    return {field.name: field for field in attrs.fields(resolved) if field.init}


def _parameter_names(names: list[Any]) -> str:
    plural = "s" if len(names) > 1 else ""
    return f"parameter{plural} " + ", ".join(map(shown, names))


def _type_name(cls: Any) -> str:
    return cls.__name__ if isinstance(cls, type) else str(cls)


class _WrongType(TypeError):
    """A value of a guard parameter that is not of the parameter's type (the message says so)."""


_TYPE_NAMES = {str: "a text", int: "a whole number", float: "a number", bool: "true or false"}


def strict_scalar(kind: type) -> Any:
    """A structure hook taking only a real `kind` (an int for a float; never a bool for an int)."""

    def structure(value: Any, _: type) -> Any:
        if kind is float and is_number(value):
            return float(value)
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            # nan, an infinity or an int beyond any float: no process file holds them.
            raise _WrongType(f"{shown(value)} is not a finite number")
        if isinstance(value, bool) is not (kind is bool) or not isinstance(value, kind):
            raise _WrongType(f"{shown(value)} is not {_TYPE_NAMES[kind]}")
        return value

    return structure


def strict_tuple(converter: cattrs.Converter, value: Any, cls: Any) -> tuple[Any, ...]:
    """A structure hook for ``tuple[X, ...]`` that takes only a list (or a tuple)."""
    items = {arg for arg in get_args(cls) if arg is not Ellipsis}
    if len(items) != 1:  # tuple[int, str]: the parameters of a guard are lists of one kind
        raise cattrs.StructureHandlerNotFoundError(f"{shown(cls)} is not a list of one kind", cls)
    # cattrs would make ('c', 'h', 'a', 'i', 'r') of "chair"; a list is required.
    if not isinstance(value, (list, tuple)):
        raise _WrongType(f"{shown(value)} is not a list")
    (item,) = items
    return tuple(converter.structure(element, item) for element in value)


def _raw_selection(value: Any, _: Any) -> Any:
    if value is None or isinstance(value, (str, list, Mapping)):
        return value
    raise _WrongType(f"{shown(value)} is not 'all', 'any', a list of party ids or a selector")


def _make_converter() -> cattrs.Converter:
    # Without detailed validation, an error inside a nested guard (an unknown kind) surfaces as
    # itself instead of wrapped in a cattrs error group.
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=False)
    converter.register_structure_hook_func(
        lambda cls: get_origin(cls) is tuple,  # type: ignore[comparison-overlap]
        lambda value, cls: strict_tuple(converter, value, cls),
    )
    for kind in (str, int, float, bool):
        converter.register_structure_hook(kind, strict_scalar(kind))
    converter.register_structure_hook(Guard, lambda value, _: guard_from_data(value))
    # A party selection is checked by the guard's own converter, which names what is wrong.
    for selection in (Selection, Selection | str):
        converter.register_structure_hook(selection, _raw_selection)
    converter.register_unstructure_hook(Guard, guard_to_data)
    converter.register_unstructure_hook(tuple, list)
    converter.register_unstructure_hook_func(
        lambda cls: get_origin(cls) is Mapping or cls is Mapping,  # type: ignore[comparison-overlap]
        lambda mapping: dict(mapping),
    )
    return converter


_CONVERTER = _make_converter()


# --- whole definitions -------------------------------------------------------------------------


def _settings_to_data(settings: Settings) -> dict[str, Any]:
    data: dict[str, Any] = {
        "scale": list(settings.scale),
        "entry_threshold": settings.entry_threshold,
        "regression_threshold": settings.regression_threshold,
        "max_weight_share": settings.max_weight_share,
        "coverage": settings.coverage,
        "required_roles": list(settings.required_roles),
    }
    if settings.max_score_age is not None:
        data["max_score_age"] = duration_to_text(settings.max_score_age)
    return data


def _vocabulary_to_data(vocabulary: Vocabulary) -> dict[str, Any]:
    return {
        "dimensions": {id: dict(labels) for id, labels in vocabulary.dimensions.items()},
        "facts": {
            id: {"labels": dict(fact.labels), "per_party": fact.per_party}
            for id, fact in vocabulary.facts.items()
        },
        "roles": {id: dict(labels) for id, labels in vocabulary.roles.items()},
        "tags": {id: dict(labels) for id, labels in vocabulary.tags.items()},
    }


def process_to_data(process: Process) -> dict[str, Any]:
    """A process as a plain document: format, kind, id, version, settings, vocabulary, states,
    transitions."""
    return {
        "format": FORMAT,
        "kind": "process",
        "id": process.id,
        "version": process.version,
        "settings": _settings_to_data(process.settings),
        "vocabulary": _vocabulary_to_data(process.vocabulary),
        "states": [
            {
                "id": state.id,
                "initial": state.initial,
                "terminal": state.terminal,
                "success": state.success,
                "labels": dict(state.labels),
            }
            for state in process.states
        ],
        "transitions": [
            {
                "trigger": t.trigger,
                "source": list(t.source),
                "dest": t.dest,
                "automatic": t.automatic,
                "voids_declaration": t.voids_declaration,
                "labels": dict(t.labels),
                "guards": [guard_to_data(guard) for guard in t.guards],
            }
            for t in process.transitions
        ],
    }


def _table(
    data: object,
    what: "str | Phrase",
    required: set[str],
    optional: frozenset[str] | set[str] = frozenset(),
) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise InvalidProcessError(
            [Phrase("{what} must be a table, not {data}", what=what, data=shown(data))]
        )
    keys = set(data)
    problems: list[Problem] = [
        Phrase("{what} lacks {key}", what=what, key=shown(key)) for key in sorted(required - keys)
    ]
    problems += [
        Phrase("{what} has an unknown key {key}", what=what, key=shown(key))
        for key in sorted(keys - required - optional, key=repr)
    ]
    if problems:
        raise InvalidProcessError(problems)
    return dict(data)


def _list(data: object, what: "str | Phrase") -> list[Any]:
    if not isinstance(data, list):
        raise InvalidProcessError(
            [Phrase("{what} must be a list, not {data}", what=what, data=shown(data))]
        )
    return data


def _labels(data: object, what: "str | Phrase") -> dict[str, str]:
    table = _table(
        data,
        Phrase("{what} labels", what=what),
        set(),
        set(data) if isinstance(data, Mapping) else set(),
    )
    for locale, text in table.items():
        if not isinstance(locale, str) or not isinstance(text, str):
            raise InvalidProcessError(
                [
                    Phrase(
                        "{what} labels must map a locale to a text, not {data}",
                        what=what,
                        data=shown(data),
                    )
                ]
            )
    return table


_SETTINGS_KEYS = {
    "scale",
    "entry_threshold",
    "regression_threshold",
    "max_weight_share",
    "coverage",
    "required_roles",
}


def _settings_from_data(data: object) -> Settings:
    table = _table(data, "settings", set(), _SETTINGS_KEYS | {"max_score_age"})
    if "max_score_age" in table:
        table["max_score_age"] = text_to_duration(table["max_score_age"])
    for key in ("scale", "required_roles"):
        if key in table:
            table[key] = _list(table[key], Phrase("settings {key}", key=key))
    return Settings(**table)


def _state_from_data(data: object, format: int) -> State:
    optional = {"initial", "terminal"} | ({"success"} if format >= 2 else set())
    table = _table(data, Phrase("a state"), {"id", "labels"}, optional)
    what = Phrase("state {table}", table=shown(table["id"]))
    terminal = table.get("terminal", False)
    # Format 1 had no success states: its completion property meant the state "completed".
    success = table.get("success", format == 1 and table["id"] == "completed" and terminal is True)
    return State(
        table["id"],
        _labels(table["labels"], what),
        initial=table.get("initial", False),
        terminal=terminal,
        success=success,
    )


def _words_from_data(data: object, kind: str) -> dict[str, dict[str, str]]:
    table = _table(
        data,
        Phrase("vocabulary {kind}", kind=kind),
        set(),
        set(data) if isinstance(data, Mapping) else set(),
    )
    return {
        id: _labels(labels, Phrase("{kind} {id}", kind=kind, id=shown(id)))
        for id, labels in table.items()
    }


def _vocabulary_from_data(data: object) -> Vocabulary:
    table = _table(data, "vocabulary", set(), {"dimensions", "facts", "roles", "tags"})
    facts_table = _table(
        table.get("facts", {}),
        Phrase("vocabulary facts"),
        set(),
        set(table.get("facts", {})) if isinstance(table.get("facts", {}), Mapping) else set(),
    )
    facts = {}
    for id, fact in facts_table.items():
        entry = _table(fact, Phrase("fact {id}", id=shown(id)), {"labels"}, {"per_party"})
        facts[id] = Fact(
            _labels(entry["labels"], Phrase("fact {id}", id=shown(id))),
            per_party=entry.get("per_party", False),
        )
    return Vocabulary(
        dimensions=_words_from_data(table.get("dimensions", {}), "dimensions"),
        facts=facts,
        roles=_words_from_data(table.get("roles", {}), "roles"),
        tags=_words_from_data(table.get("tags", {}), "tags"),
    )


_MAX_NESTING = 64


def _nesting(value: object) -> int:
    """How deeply tables and lists nest in `value`, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Iterable[object] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > _MAX_NESTING:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _transition_from_data(data: object) -> Transition:
    table = _table(
        data,
        Phrase("a transition"),
        {"trigger", "source", "dest"},
        {"automatic", "voids_declaration", "labels", "guards"},
    )
    what = Phrase("transition {table}", table=shown(table["trigger"]))
    if _nesting(table.get("guards", [])) > _MAX_NESTING:
        raise InvalidProcessError(
            [
                Phrase(
                    "{what} nests its guards more than {value} deep", what=what, value=_MAX_NESTING
                )
            ]
        )
    source = table["source"]
    return Transition(
        table["trigger"],
        source=source
        if isinstance(source, str)
        else _list(source, Phrase("{what} source", what=what)),
        dest=table["dest"],
        guards=[
            guard_from_data(g)
            for g in _list(table.get("guards", []), Phrase("{what} guards", what=what))
        ],
        automatic=table.get("automatic", False),
        voids_declaration=table.get("voids_declaration", False),
        labels=_labels(table.get("labels", {}), what),
    )


def process_from_data(data: object) -> Process:
    """Build and validate the process a document describes.

    Raises:
        InvalidProcessError: the document is not a valid process definition.
        UnknownNameError: a guard kind is not registered.
    """
    format = data.get("format") if isinstance(data, Mapping) else None
    optional = {"version", "settings"} | ({"vocabulary"} if format == FORMAT else set())
    table = _table(
        data,
        Phrase("a process document"),
        {"format", "kind", "id", "states", "transitions"},
        optional,
    )
    if isinstance(format, bool) or format not in FORMATS or table["kind"] != "process":
        raise InvalidProcessError(
            [
                Phrase(
                    "unsupported document: format {table}, kind {table2}",
                    table=shown(table["format"]),
                    table2=shown(table["kind"]),
                )
            ]
        )
    return Process(
        table["id"],
        [_state_from_data(state, format) for state in _list(table["states"], "states")],
        [_transition_from_data(t) for t in _list(table["transitions"], "transitions")],
        settings=_settings_from_data(table.get("settings", {})),
        version=table.get("version", "1"),
        vocabulary=_vocabulary_from_data(table.get("vocabulary", {})),
    )


def behaviour(process: Process) -> dict[str, Any]:
    """The document of `process` without what only people read: no labels anywhere."""
    data = process_to_data(process)
    for item in data["states"] + data["transitions"]:
        item.pop("labels", None)
    vocabulary = data["vocabulary"]
    for kind in ("dimensions", "roles", "tags"):
        vocabulary[kind] = sorted(vocabulary[kind])
    vocabulary["facts"] = {id: fact["per_party"] for id, fact in vocabulary["facts"].items()}
    return data


def fingerprint(process: Process) -> str:
    """``sha256:`` and the hex digest of the canonical JSON of the behaviour of `process`.

    Labels are left out: correcting a label keeps every stored trajectory loadable.
    """
    text = json.dumps(behaviour(process), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # surrogatepass: a custom guard may hold any str; the hash must never fail.
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha256:{digest}"


def read_file(path: "str | os.PathLike[str]") -> Process:
    """Load the process definition in a ``.json`` or ``.toml`` file."""
    suffix = pathlib.Path(path).suffix.lower()
    if suffix not in (".json", ".toml"):
        raise UnknownNameError("file format", suffix, Phrase("use .json or .toml"))
    # Bytes, so that a file that is not UTF-8 is an InvalidProcessError like any bad content.
    return process_from_text(pathlib.Path(path).read_bytes(), toml=suffix == ".toml")


def process_from_text(text: str | bytes, *, toml: bool = False) -> Process:
    """Load a process definition from JSON (or TOML) text."""
    try:
        if toml:
            if isinstance(text, bytes):
                text = text.decode("utf-8")
            data = _toml.loads(text)
        else:
            data = json.loads(text)
    except (TypeError, ValueError, RecursionError) as error:
        kind = "TOML" if toml else "JSON"
        raise InvalidProcessError([Phrase("not {kind}: {error}", kind=kind, error=error)]) from None
    return process_from_data(data)


def write_file(process: Process, path: "str | os.PathLike[str]") -> None:
    """Write `process` to a ``.json`` or ``.toml`` file that reads back as an equal process.

    The text is read back before the file is touched, so a process that the format cannot hold
    (a custom guard with an integer beyond TOML's 64 bits, say) is an `InvalidProcessError`
    naming what is wrong, and no file is written.
    """
    suffix = pathlib.Path(path).suffix.lower()
    if suffix not in (".json", ".toml"):
        raise UnknownNameError("file format", suffix, Phrase("use .json or .toml"))
    toml = suffix == ".toml"
    cannot = Phrase(
        "process {id} cannot be written to a {suffix} file", id=shown(process.id), suffix=suffix
    )
    data = process_to_data(process)
    try:
        if toml:
            text = _toml.dumps(data)
        else:
            text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        content = text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidProcessError(
            [Phrase("{cannot}: it holds text that is not Unicode", cannot=cannot)]
        ) from None
    except (TypeError, ValueError) as error:
        raise InvalidProcessError(
            [Phrase("{cannot}: {error}", cannot=cannot, error=error)]
        ) from None
    try:
        again = process_from_text(content, toml=toml)
    except CoopflowError as error:
        raise InvalidProcessError(
            [Phrase("{cannot}: it would not load again ({error})", cannot=cannot, error=error)]
        ) from None
    if again != process:
        raise InvalidProcessError(
            [Phrase("{cannot}: it would read back as a different process", cannot=cannot)]
        )
    pathlib.Path(path).write_bytes(content)
