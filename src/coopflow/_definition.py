"""Process definitions as plain data: guards by kind name, the canonical form, the fingerprint.

Loading trusts nothing: every value is checked for its type, a guard kind must be registered
(no module is imported and no code named in data runs), unknown keys are refused, and every
failure is an `InvalidProcessError` or `UnknownNameError`, never a half-built process.
"""

import hashlib
import json
import os
import pathlib
import re
import tomllib
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any, get_args, get_origin

import attrs
import cattrs

from coopflow import _toml
from coopflow._events import is_number
from coopflow._process import Process, Settings, State, Transition
from coopflow.exceptions import CoopflowError, InvalidProcessError, UnknownNameError, shown
from coopflow.guards import Guard, guard_class

FORMAT = 1
"""The version of the serialised process format; it changes whenever the format does."""

_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


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


def text_to_duration(text: object) -> timedelta:
    """Parse what `duration_to_text` writes; anything else is an `InvalidProcessError`."""
    match = _DURATION.match(text) if isinstance(text, str) else None
    if match is None or text in ("P", "PT"):
        raise InvalidProcessError([f"max_score_age {shown(text)} is not a duration like 'P30D'"])
    days, hours, minutes, seconds = (float(part) if part else 0.0 for part in match.groups())
    try:
        return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    except (OverflowError, ValueError):
        raise InvalidProcessError([f"max_score_age {shown(text)} is too long"]) from None


# --- guards ------------------------------------------------------------------------------------


def guard_to_data(guard: Guard) -> dict[str, Any]:
    """A guard as ``{"kind": ..., parameter: value, ...}``, leaving out parameters that are None."""
    cls = type(guard)
    kind = getattr(cls, "kind", None)
    if not isinstance(kind, str) or guard_class(kind) is not cls or not attrs.has(cls):
        raise InvalidProcessError([f"guard {shown(guard)} is not a registered attrs guard"])
    data: dict[str, Any] = {"kind": kind}
    for field in attrs.fields(cls):
        value = getattr(guard, field.name)
        if value is not None:
            data[field.name] = _CONVERTER.unstructure(value, field.type)
    return data


def guard_from_data(data: object) -> Guard:
    """The guard `data` describes; its kind must be registered."""
    if not isinstance(data, Mapping) or not isinstance(data.get("kind"), str):
        raise InvalidProcessError([f"guard {shown(data)} must be a table with a 'kind'"])
    cls = guard_class(data["kind"])
    params = {key: value for key, value in data.items() if key != "kind"}
    try:
        guard: Guard = _CONVERTER.structure(params, cls)
        return guard
    except CoopflowError:
        raise
    except (
        cattrs.BaseValidationError,
        cattrs.ForbiddenExtraKeysError,
        TypeError,
        ValueError,
        KeyError,
    ) as error:
        raise InvalidProcessError(
            [f"guard {shown(data)} has bad parameters: {shown(error)}"]
        ) from None


def strict_scalar(kind: type) -> Any:
    """A structure hook taking only a real `kind` (an int for a float; never a bool for an int)."""

    def structure(value: Any, _: type) -> Any:
        if kind is float and is_number(value):
            return float(value)
        if isinstance(value, bool) is not (kind is bool) or not isinstance(value, kind):
            raise TypeError(f"{shown(value)} is not a {kind.__name__}")
        return value

    return structure


def strict_tuple(converter: cattrs.Converter, value: Any, cls: Any) -> tuple[Any, ...]:
    """A structure hook for ``tuple[X, ...]`` that takes only a list (or a tuple)."""
    # cattrs would make ('c', 'h', 'a', 'i', 'r') of "chair"; a list is required.
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{shown(value)} is not a list")
    (item,) = {arg for arg in get_args(cls) if arg is not Ellipsis}
    return tuple(converter.structure(element, item) for element in value)


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
    converter.register_unstructure_hook(Guard, guard_to_data)
    converter.register_unstructure_hook(tuple, list)
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


def process_to_data(process: Process) -> dict[str, Any]:
    """A process as a plain document: format, kind, id, version, settings, states, transitions."""
    return {
        "format": FORMAT,
        "kind": "process",
        "id": process.id,
        "version": process.version,
        "settings": _settings_to_data(process.settings),
        "states": [
            {
                "id": state.id,
                "initial": state.initial,
                "terminal": state.terminal,
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
    data: object, what: str, required: set[str], optional: frozenset[str] | set[str] = frozenset()
) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise InvalidProcessError([f"{what} must be a table, not {shown(data)}"])
    keys = set(data)
    problems = [f"{what} lacks {shown(key)}" for key in sorted(required - keys)]
    problems += [
        f"{what} has an unknown key {shown(key)}"
        for key in sorted(keys - required - optional, key=repr)
    ]
    if problems:
        raise InvalidProcessError(problems)
    return dict(data)


def _list(data: object, what: str) -> list[Any]:
    if not isinstance(data, list):
        raise InvalidProcessError([f"{what} must be a list, not {shown(data)}"])
    return data


def _labels(data: object, what: str) -> dict[str, str]:
    table = _table(data, f"{what} labels", set(), set(data) if isinstance(data, Mapping) else set())
    for locale, text in table.items():
        if not isinstance(locale, str) or not isinstance(text, str):
            raise InvalidProcessError(
                [f"{what} labels must map a locale to a text, not {shown(data)}"]
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
            table[key] = _list(table[key], f"settings {key}")
    return Settings(**table)


def _state_from_data(data: object) -> State:
    table = _table(data, "a state", {"id", "labels"}, {"initial", "terminal"})
    what = f"state {shown(table['id'])}"
    return State(
        table["id"],
        _labels(table["labels"], what),
        initial=table.get("initial", False),
        terminal=table.get("terminal", False),
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
        "a transition",
        {"trigger", "source", "dest"},
        {"automatic", "voids_declaration", "labels", "guards"},
    )
    what = f"transition {shown(table['trigger'])}"
    if _nesting(table.get("guards", [])) > _MAX_NESTING:
        raise InvalidProcessError([f"{what} nests its guards more than {_MAX_NESTING} deep"])
    source = table["source"]
    return Transition(
        table["trigger"],
        source=source if isinstance(source, str) else _list(source, f"{what} source"),
        dest=table["dest"],
        guards=[guard_from_data(g) for g in _list(table.get("guards", []), f"{what} guards")],
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
    table = _table(
        data,
        "a process document",
        {"format", "kind", "id", "states", "transitions"},
        {"version", "settings"},
    )
    if table["format"] != FORMAT or table["kind"] != "process":
        raise InvalidProcessError(
            [f"unsupported document: format {shown(table['format'])}, kind {shown(table['kind'])}"]
        )
    return Process(
        table["id"],
        [_state_from_data(state) for state in _list(table["states"], "states")],
        [_transition_from_data(t) for t in _list(table["transitions"], "transitions")],
        settings=_settings_from_data(table.get("settings", {})),
        version=table.get("version", "1"),
    )


def canonical_json(process: Process) -> str:
    """The canonical JSON text of a process: sorted keys, no spaces, UTF-8 as is."""
    return json.dumps(
        process_to_data(process), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def fingerprint(process: Process) -> str:
    """``sha256:`` and the hex digest of the canonical JSON of `process`."""
    # surrogatepass: a custom guard may hold any str; the hash must never fail.
    digest = hashlib.sha256(canonical_json(process).encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha256:{digest}"


def read_file(path: "str | os.PathLike[str]") -> Process:
    """Load the process definition in a ``.json`` or ``.toml`` file."""
    suffix = pathlib.Path(path).suffix.lower()
    if suffix not in (".json", ".toml"):
        raise UnknownNameError("file format", suffix, "use .json or .toml")
    # Bytes, so that a file that is not UTF-8 is an InvalidProcessError like any bad content.
    return process_from_text(pathlib.Path(path).read_bytes(), toml=suffix == ".toml")


def process_from_text(text: str | bytes, *, toml: bool = False) -> Process:
    """Load a process definition from JSON (or TOML) text."""
    try:
        if toml:
            if isinstance(text, bytes):
                text = text.decode("utf-8")
            data = tomllib.loads(text)
        else:
            data = json.loads(text)
    except (TypeError, ValueError, RecursionError) as error:
        kind = "TOML" if toml else "JSON"
        raise InvalidProcessError([f"not {kind}: {error}"]) from None
    return process_from_data(data)


def write_file(process: Process, path: "str | os.PathLike[str]") -> None:
    """Write `process` to a ``.json`` or ``.toml`` file."""
    suffix = pathlib.Path(path).suffix.lower()
    if suffix not in (".json", ".toml"):
        raise UnknownNameError("file format", suffix, "use .json or .toml")
    data = process_to_data(process)
    if suffix == ".toml":
        text = _toml.dumps(data)
    else:
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    pathlib.Path(path).write_text(text, encoding="utf-8")
