"""Trajectories and process definitions as JSON: one private cattrs converter, careful loaders.

A serialised trajectory holds its history, its snapshot and the identity of its process (id,
version, fingerprint). Loading replays the history on the given process and checks that it
arrives at the stored snapshot, so a document that was edited, or that belongs to another
definition, is refused with `TrajectoryError` instead of half-loaded. A migration callable can
turn a document of an older definition into one of the current definition first.
"""

import copy
import json
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from types import MemberDescriptorType, UnionType
from typing import Any, Union, get_args, get_origin, overload

import attrs
import cattrs
from cattrs.strategies import configure_tagged_union

from coopflow._definition import (
    process_from_data,
    process_from_text,
    process_to_data,
    strict_scalar,
    strict_tuple,
)
from coopflow._events import Event, Started, money
from coopflow._process import Process
from coopflow._registers import RegisterFields, Registers, from_fields, to_fields
from coopflow._results import Record
from coopflow._snapshot import Snapshot
from coopflow._text import Phrase, Problem, shown
from coopflow._trajectory import Trajectory
from coopflow.exceptions import CoopflowError, InvalidEventError, TrajectoryError

FORMAT = 2
"""The version of the serialised format; it changes whenever the format does.

Format 2 fingerprints a process's behaviour only (no labels) and adds facts and party tags. A
format-1 document still loads: its fingerprint covered the labels, so it is not compared;
the id and version of its process are, and the replay of its history checks the rest.
"""
FORMATS = (1, 2)


def _structure_datetime(value: Any, _: type) -> datetime:
    # Only the form `dumps` writes: "2018-01-08 09:00Z" or a padded "2018-01-08T09:00:00 " is
    # not a stored time, even where fromisoformat would read it.
    if not isinstance(value, str):
        raise TypeError(f"{shown(value)} is not an ISO 8601 time")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise InvalidEventError("at", value, Phrase("must be timezone-aware"))
    if moment.isoformat() != value:
        raise ValueError(f"{shown(value)} is not a time as coopflow writes it")
    return moment


def _structure_enum(value: Any, cls: type[StrEnum]) -> StrEnum:
    if not isinstance(value, str):
        raise TypeError(f"{shown(value)} is not a text")
    return cls(value)  # ValueError for a text that is no member


def _structure_decimal(value: Any, _: type) -> Decimal:
    if not isinstance(value, str):
        raise TypeError(f"{shown(value)} is not an amount written as text")
    amount = money(value)  # finite, not negative, below the limit: sums cannot overflow
    if str(amount) != value:  # " 600000", "1_000", "+5": not how an amount is written
        raise ValueError(f"{shown(value)} is not an amount as coopflow writes it")
    return amount


# Hooks for tuples and frozensets are made once per type, with the hook of their items looked up
# once: dispatching every element through the converter and reading the type's arguments each
# time was most of the cost of loading a snapshot.


def _tuple_hook(converter: cattrs.Converter, cls: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
    items = {arg for arg in get_args(cls) if arg is not Ellipsis}
    if len(items) != 1:  # tuple[int, str]: what strict_tuple refuses, it refuses when used
        return lambda value, cls: strict_tuple(converter, value, cls)
    (item,) = items
    hook = converter.get_structure_hook(item)

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        # cattrs would make ('c', 'h', 'a', 'i', 'r') of "chair"; a list is required.
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"{shown(value)} is not a list")
        return tuple([hook(element, item) for element in value]) if value else ()

    return structure


def _frozenset_hook(converter: cattrs.Converter, cls: Any) -> Callable[[Any, Any], frozenset[Any]]:
    (item,) = get_args(cls)
    hook = converter.get_structure_hook(item)

    def structure(value: Any, _: Any) -> frozenset[Any]:
        # cattrs would make {'a', 'b'} of "ab"; a list is required.
        if not isinstance(value, list):
            raise TypeError(f"{shown(value)} is not a list")
        return frozenset([hook(element, item) for element in value])

    return structure


def _make_converter() -> cattrs.Converter:
    # Strict and fail-fast: no "3" for an int, no 0 for a bool, no text for a list; the first
    # error ends structuring, so a history of 20,000 broken records is refused at once instead
    # of collecting 20,000 errors (detailed validation took seconds on such documents).
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=False)
    converter.register_unstructure_hook(datetime, datetime.isoformat)
    converter.register_structure_hook(datetime, _structure_datetime)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(Decimal, _structure_decimal)
    for kind in (str, int, float, bool):
        converter.register_structure_hook(kind, strict_scalar(kind))
    # Registered for StrEnum, which comes before str in every such enum's MRO: without it the
    # str hook above took "applied" from JSON as a plain str instead of Outcome.APPLIED.
    converter.register_structure_hook(StrEnum, _structure_enum)
    converter.register_structure_hook_factory(
        lambda cls: get_origin(cls) is tuple,  # type: ignore[comparison-overlap]
        lambda cls: _tuple_hook(converter, cls),
    )
    converter.register_structure_hook_factory(
        lambda cls: get_origin(cls) is frozenset,  # type: ignore[comparison-overlap]
        lambda cls: _frozenset_hook(converter, cls),
    )
    converter.register_unstructure_hook_func(
        lambda cls: get_origin(cls) is frozenset,  # type: ignore[comparison-overlap]
        lambda value: sorted(value),
    )
    converter.register_unstructure_hook_func(
        lambda cls: get_origin(cls) is Mapping,  # type: ignore[comparison-overlap]
        lambda mapping: dict(mapping),
    )
    # Registers are stored as their plain fields, whatever index they hold.
    converter.register_unstructure_hook(
        Registers, lambda registers: converter.unstructure(to_fields(registers), RegisterFields)
    )
    converter.register_structure_hook(
        Registers, lambda data, _: from_fields(converter.structure(data, RegisterFields))
    )
    configure_tagged_union(
        Event | Started,
        converter,
        tag_name="type",
        tag_generator=lambda cls: cls.__name__,
    )
    return converter


_CONVERTER = _make_converter()


# --- the trusted path: what the store wrote itself ------------------------------------------------
#
# A snapshot or record the store wrote (in this format, for a process it knows) was made by
# coopflow from valid objects: its types are right and every validator passed when it was made.
# Structuring it again through the strict hooks and the attrs validators was most of the cost of
# reading a stored snapshot, so the store reads its own rows with a lean converter instead: no
# type checks, and attrs classes built without running their validators. Whatever the lean
# converter cannot read is read strictly after all, so a damaged row still gets its precise
# error; documents from elsewhere (`loads`, `from_dict`) always take the strict path.


def _passthrough(value: Any, _: Any) -> Any:
    return value


_PLAIN = frozenset({str, int, float, bool, str | None, int | None, float | None})


class _Code:
    """Python source that structures a value, and the names it uses, for one generated hook.

    Each type becomes an expression on the data: a JSON scalar as it is, a time, an amount and
    a member of an enum directly, a list of items as one comprehension, an optional value
    checked for None in place; only what is left (another attrs class, registers, a mapping)
    calls the converter's hook. Calling a hook per item, and a hook per optional value, was
    most of what a trusted snapshot still cost.
    """

    def __init__(self, converter: cattrs.Converter) -> None:
        self.converter = converter
        self.items = 0
        self.names: dict[str, Any] = {
            "new": object.__new__,
            "put": object.__setattr__,
            "fromisoformat": datetime.fromisoformat,
            "Decimal": Decimal,
        }

    def name(self, value: Any) -> str:
        """A name for `value` in the generated code."""
        name = f"n{len(self.names)}"
        self.names[name] = value
        return name

    def of(self, cls: Any, source: str) -> str:
        """An expression that makes a value of type `cls` of the data `source` names."""
        if cls in _PLAIN:
            return source
        self.items += 1
        item = f"i{self.items}"  # a name of its own for each item or optional value
        args = [arg for arg in get_args(cls) if arg is not Ellipsis]
        origin = get_origin(cls)
        if origin in (tuple, frozenset):
            (kind,) = set(args)  # ValueError for tuple[int, str], which no document holds
            if kind in _PLAIN:
                return f"{origin.__name__}({source})"
            return f"{origin.__name__}([{self.of(kind, item)} for {item} in {source}])"
        if origin in (Union, UnionType) and len(args) == 2 and type(None) in args:
            (kind,) = (arg for arg in args if arg is not type(None))
            return f"(None if ({item} := {source}) is None else {self.of(kind, item)})"
        if cls is datetime:
            return f"fromisoformat({source})"
        if cls is Decimal:
            return f"Decimal({source})"
        if isinstance(cls, type) and issubclass(cls, StrEnum):
            return f"{self.name(cls._value2member_map_)}[{source}]"  # KeyError: no member
        return f"{self.name(self.converter.get_structure_hook(cls))}({source}, {self.name(cls)})"

    def function(self, lines: list[str]) -> Callable[[Any, Any], Any]:
        """The function `lines` define (named ``structure``)."""
        exec("\n".join(lines), self.names)  # noqa: S102 - code made here from field names only
        return self.names["structure"]  # type: ignore[no-any-return]


def _trusted_hook(converter: cattrs.Converter, cls: Any) -> Callable[[Any, Any], Any]:
    # A tuple, a set or an optional value, as one expression.
    code = _Code(converter)
    return code.function(["def structure(data, _):", f"    return {code.of(cls, 'data')}"])


def _trusted_attrs_hook(converter: cattrs.Converter, cls: type) -> Callable[[Any, Any], Any]:
    # A function made for the class, as cattrs makes its own: it sets each field of a new
    # instance (through the field's slot where it has one); of the attrs converters only those
    # of mappings run (they make the read-only mapping the field holds), the others would only
    # check again what the expressions already made of the right type.
    attrs.resolve_types(cls)
    code = _Code(converter)
    lines = ["def structure(data, _):", f"    instance = new({code.name(cls)})"]
    for field in attrs.fields(cls):
        if not field.init:  # not part of the value (a cache such as Snapshot._settled)
            value = code.name(field.default)
        else:
            value = code.of(field.type, f"data[{field.name!r}]")
        if field.converter is not None and get_origin(field.type) is Mapping:
            value = f"{code.name(field.converter)}({value})"
        slot = getattr(cls, field.name, None)
        if isinstance(slot, MemberDescriptorType):
            lines.append(f"    {code.name(slot.__set__)}(instance, {value})")
        else:
            lines.append(f"    put(instance, {field.name!r}, {value})")
    lines.append("    return instance")
    return code.function(lines)


def _make_trusted_converter() -> cattrs.Converter:
    converter = cattrs.Converter(detailed_validation=False)
    converter.register_structure_hook(datetime, lambda value, _: datetime.fromisoformat(value))
    converter.register_structure_hook(Decimal, lambda value, _: Decimal(value))
    for kind in (str, int, float, bool):
        converter.register_structure_hook(kind, _passthrough)
    converter.register_structure_hook(StrEnum, lambda value, cls: cls._value2member_map_[value])
    converter.register_structure_hook_factory(
        lambda cls: get_origin(cls) in (tuple, frozenset),  # type: ignore[comparison-overlap]
        lambda cls: _trusted_hook(converter, cls),
    )
    converter.register_structure_hook_factory(
        attrs.has, lambda cls: _trusted_attrs_hook(converter, cls)
    )
    fields = converter.get_structure_hook(RegisterFields)
    converter.register_structure_hook(
        Registers, lambda data, _: from_fields(fields(data, RegisterFields))
    )
    configure_tagged_union(
        Event | Started,
        converter,
        tag_name="type",
        tag_generator=lambda cls: cls.__name__,
    )
    return converter


_TRUSTED = _make_trusted_converter()


Migration = Callable[[dict[str, Any]], dict[str, Any]]
"""A function that turns a trajectory document of an older definition into one of the current."""


def _identity(process: Process) -> dict[str, str]:
    return {"id": process.id, "version": process.version, "fingerprint": process.fingerprint}


def _trajectory_to_dict(trajectory: Trajectory) -> dict[str, Any]:
    snapshot, history = trajectory._consistent()  # one moment, whatever other threads do
    return {
        "format": FORMAT,
        "kind": "trajectory",
        "process": _identity(trajectory.process),
        "id": trajectory.id,
        "title": trajectory.title,
        "snapshot": _CONVERTER.unstructure(snapshot, Snapshot),
        "history": _CONVERTER.unstructure(history, tuple[Record, ...]),
    }


# --- parts, for the store ------------------------------------------------------------------------

_STRUCTURING_ERRORS = (
    CoopflowError,
    cattrs.BaseValidationError,
    cattrs.errors.CattrsError,
    AttributeError,
    KeyError,
    TypeError,
    ValueError,
    ArithmeticError,
    RecursionError,
)


def record_to_data(record: Record) -> dict[str, Any]:
    """One history record as JSON-ready data, as it appears in a serialised trajectory."""
    return _CONVERTER.unstructure(record, Record)  # type: ignore[no-any-return]


def snapshot_to_data(snapshot: Snapshot) -> dict[str, Any]:
    """A snapshot as JSON-ready data, as it appears in a serialised trajectory."""
    return _CONVERTER.unstructure(snapshot, Snapshot)  # type: ignore[no-any-return]


def record_from_data(data: Any, *, trusted: bool = False) -> Record:
    """What `record_to_data` made, checked as strictly as `loads` does (`TrajectoryError`).

    With `trusted` (a record the store wrote itself, in this format), its types and values are
    not checked again; what cannot be read so is read strictly.
    """
    if trusted:
        try:
            return _TRUSTED.structure(data, Record)
        except _STRUCTURING_ERRORS:
            pass
    try:
        return _CONVERTER.structure(data, Record)
    except _STRUCTURING_ERRORS as error:
        raise TrajectoryError(Phrase("not a valid record: {error}", error=shown(error))) from error


def snapshot_from_data(data: Any, *, trusted: bool = False) -> Snapshot:
    """What `snapshot_to_data` made, checked as strictly as `loads` does (`TrajectoryError`).

    With `trusted` (a snapshot the store wrote itself, in this format), its types and values
    are not checked again; what cannot be read so is read strictly.
    """
    if trusted:
        try:
            return _TRUSTED.structure(data, Snapshot)
        except _STRUCTURING_ERRORS:
            pass
    try:
        return _CONVERTER.structure(data, Snapshot)
    except _STRUCTURING_ERRORS as error:
        raise TrajectoryError(
            Phrase("not a valid snapshot: {error}", error=shown(error))
        ) from error


def value_from_data(data: Any, cls: Any, name: str) -> Any:
    """JSON data as a value of type `cls` (an event, a theme, ...), as strictly as `loads`.

    Raises:
        InvalidEventError: naming `name`, when the data is not such a value.
    """
    try:
        return _CONVERTER.structure(data, cls)
    except InvalidEventError:
        raise
    except _STRUCTURING_ERRORS as error:
        raise InvalidEventError(
            name, data, Phrase("is not valid here: {error}", error=shown(error))
        ) from error


def to_dict(obj: Trajectory | Process) -> dict[str, Any]:
    """A trajectory or a process definition as plain JSON-ready data, with a format version.

    Raises:
        InvalidEventError: `obj` is neither a Trajectory nor a Process.

    Example:
        >>> import coopflow as cf
        >>> t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")])
        >>> sorted(cf.to_dict(t))
        ['format', 'history', 'id', 'kind', 'process', 'snapshot', 'title']
        >>> cf.to_dict(cf.default_process())["kind"]
        'process'
    """
    if isinstance(obj, Trajectory):
        return _trajectory_to_dict(obj)
    if isinstance(obj, Process):
        return process_to_data(obj)
    raise InvalidEventError("obj", obj, Phrase("must be a Trajectory or a Process"))


def _differences(stored: object, process: Process, format: object) -> list[Problem]:
    if not isinstance(stored, dict):
        return [Phrase("the document names no process ({stored})", stored=shown(stored))]
    identity = _identity(process)
    if format == 1:  # its fingerprint covered the labels: replaying checks the behaviour
        del identity["fingerprint"]
    return [
        Phrase(
            "{key} {get} is not {value}",
            key=key,
            get=shown(stored.get(key)),
            value=shown(value),
        )
        for key, value in identity.items()
        if stored.get(key) != value
    ]


def _trajectory_from_dict(data: Any, process: Process, migrate: Migration | None) -> Trajectory:
    if not isinstance(process, Process):
        raise TrajectoryError(
            Phrase(
                "process {process} is not a coopflow Process",
                process=shown(process),
            )
        )
    if not isinstance(data, dict):
        raise TrajectoryError(Phrase("a serialised trajectory is a JSON object"))
    differences = _differences(data.get("process"), process, data.get("format"))
    if differences and migrate is None:
        raise TrajectoryError(
            Phrase(
                "the trajectory was stored with another process definition: {differences} "
                "(pass migrate= to convert it)",
                differences=differences,
            )
        )
    if differences and migrate is not None:
        try:
            data = migrate(copy.deepcopy(data))
        except CoopflowError:
            raise
        except Exception as error:
            raise TrajectoryError(
                Phrase(
                    "the migration failed: {error}",
                    error=shown(error),
                )
            ) from error
        if not isinstance(data, dict):
            raise TrajectoryError(Phrase("the migration did not return a trajectory document"))
    format = data.get("format")
    if isinstance(format, bool) or format not in FORMATS or data.get("kind") != "trajectory":
        raise TrajectoryError(
            Phrase(
                "unsupported document: format {get}, kind {get2}",
                get=shown(data.get("format")),
                get2=shown(data.get("kind")),
            )
        )
    try:
        history = _CONVERTER.structure(data["history"], tuple[Record, ...])
        snapshot = _CONVERTER.structure(data["snapshot"], Snapshot)
    except _STRUCTURING_ERRORS as error:
        raise TrajectoryError(
            Phrase("the document is not a valid trajectory: {error}", error=shown(error))
        ) from error
    trajectory = Trajectory.replay(process, history)
    if trajectory.snapshot != snapshot:
        raise TrajectoryError(
            Phrase(
                "the stored snapshot differs from what the history replays to",
            )
        )
    if trajectory.id != data.get("id") or trajectory.title != data.get("title"):
        raise TrajectoryError(Phrase("the stored id or title differs from the start record"))
    return trajectory


@overload
def from_dict(data: Any, cls: type[Process]) -> Process: ...


@overload
def from_dict(
    data: Any,
    cls: type[Trajectory] | None = None,
    *,
    process: Process,
    migrate: Migration | None = None,
) -> Trajectory: ...


def from_dict(
    data: Any,
    cls: type[Trajectory] | type[Process] | None = None,
    *,
    process: Process | None = None,
    migrate: Migration | None = None,
) -> Trajectory | Process:
    """Rebuild what `to_dict` made: a process (``cls=cf.Process``) or a trajectory of `process`.

    A trajectory is rebuilt by replaying its history on `process`. When it was stored with
    another definition (id, version or fingerprint differ), `migrate` receives a copy of the
    document and returns one for `process`; the replay then checks the result.

    Raises:
        TrajectoryError: not a serialised trajectory of this process, or changed since.
        InvalidProcessError: not a valid process definition.
        UnknownNameError: a guard kind in the definition is not registered.

    Example:
        >>> import coopflow as cf
        >>> p = cf.default_process()
        >>> t = cf.Trajectory.start(p, parties=[cf.Party("a"), cf.Party("b")])
        >>> cf.from_dict(cf.to_dict(t), process=p) == t
        True
        >>> cf.from_dict(cf.to_dict(p), cf.Process) == p
        True
    """
    if cls is Process:
        return process_from_data(data)
    if cls not in (None, Trajectory):
        raise InvalidEventError(
            "cls",
            cls,
            Phrase(
                "must be coopflow.Process, coopflow.Trajectory or None",
            ),
        )
    if process is None:
        raise TrajectoryError(
            Phrase(
                "loading a trajectory needs the process it follows (process=...)",
            )
        )
    return _trajectory_from_dict(data, process, migrate)


def dumps(obj: Trajectory | Process, *, indent: int | None = None) -> str:
    """A trajectory or a process definition as JSON text.

    Example:
        >>> import coopflow as cf
        >>> t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")])
        >>> cf.dumps(t).startswith('{"format": 2, "kind": "trajectory"')
        True
    """
    return json.dumps(to_dict(obj), indent=indent, ensure_ascii=False)


@overload
def loads(text: str | bytes, cls: type[Process]) -> Process: ...


@overload
def loads(
    text: str | bytes,
    cls: type[Trajectory] | None = None,
    *,
    process: Process,
    migrate: Migration | None = None,
) -> Trajectory: ...


def loads(
    text: str | bytes,
    cls: type[Trajectory] | type[Process] | None = None,
    *,
    process: Process | None = None,
    migrate: Migration | None = None,
) -> Trajectory | Process:
    """Load a process definition (``cls=cf.Process``) or a trajectory of `process` from JSON.

    Raises:
        TrajectoryError: the text is not a serialised trajectory of this process.
        InvalidProcessError: the text is not a valid process definition.
        UnknownNameError: a guard kind in the definition is not registered.

    Example:
        >>> import coopflow as cf
        >>> p = cf.default_process()
        >>> t = cf.Trajectory.start(p, parties=[cf.Party("a"), cf.Party("b")])
        >>> cf.loads(cf.dumps(t), process=p) == t
        True
        >>> cf.loads(cf.dumps(p), cf.Process) == p
        True
    """
    if cls is Process:
        return process_from_text(text)
    try:
        data = json.loads(text)
    except (TypeError, ValueError, RecursionError) as error:
        raise TrajectoryError(Phrase("not JSON: {error}", error=error)) from error
    if process is None:
        raise TrajectoryError(
            Phrase(
                "loading a trajectory needs the process it follows (process=...)",
            )
        )
    return from_dict(data, cls, process=process, migrate=migrate)  # type: ignore[arg-type]
