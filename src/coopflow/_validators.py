"""Field checks shared by events, settings, the vocabulary, processes and guards.

Each check is a small parametrised callable, as attrs' own validators are: one class per kind of
check, told which error to raise, instead of a copy per field. Events raise `InvalidEventError`
(bad input to a trajectory); definitions raise `InvalidProcessError` (a bad process).
"""

import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from coopflow._text import Phrase, Problem, shown
from coopflow.exceptions import InvalidEventError, InvalidProcessError


def is_encodable(value: str) -> bool:
    """True when `value` can be written as UTF-8 (it holds no lone surrogate)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_text(value: object) -> bool:
    """True for a string with something in it that can be written as UTF-8."""
    return isinstance(value, str) and bool(value.strip()) and is_encodable(value)


def is_number(value: object) -> bool:
    """True for a finite int or float (a bool is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond any float
        return False


def _owner(instance: object) -> str:
    return type(instance).__name__


def _raise(error: type, instance: object, name: str, value: object, reason: Problem) -> None:
    if error is InvalidEventError:
        raise InvalidEventError(name, value, reason)
    owner = "" if instance is None else f"{_owner(instance)} "
    raise InvalidProcessError(
        [
            Phrase(
                "{owner}{name} {value} {reason}",
                owner=owner,
                name=name,
                value=shown(value),
                reason=reason,
            )
        ]
    )


@attrs.frozen
class Text:
    """Validator: a non-empty string (or, with ``empty=True``, any valid Unicode string)."""

    error: type = InvalidEventError
    empty: bool = False

    def __call__(self, instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
        if self.empty:
            if not isinstance(value, str) or not is_encodable(value):
                _raise(
                    self.error,
                    instance,
                    attribute.name,
                    value,
                    Phrase("must be a string (valid Unicode text)"),
                )
        elif not is_text(value):
            _raise(
                self.error, instance, attribute.name, value, Phrase("must be a non-empty string")
            )


@attrs.frozen
class Flag:
    """Validator: True or False, nothing else (not 0 or 1)."""

    error: type = InvalidEventError

    def __call__(self, instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
        if not isinstance(value, bool):
            _raise(self.error, instance, attribute.name, value, Phrase("must be True or False"))


@attrs.frozen
class PositiveInt:
    """Validator: a whole number of at least 1."""

    error: type = InvalidEventError

    def __call__(self, instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            _raise(
                self.error,
                instance,
                attribute.name,
                value,
                Phrase("must be a whole number of at least 1"),
            )


def ids(name: str, value: object, *, error: type = InvalidEventError) -> tuple[str, ...]:
    """`value` as a tuple of ids (non-empty strings), or the error naming `name`."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        _raise(error, None, name, value, Phrase("must be a collection of ids, not one string"))
    items: tuple[Any, ...] = tuple(value)  # type: ignore[arg-type]
    for item in items:
        if not is_text(item):
            _raise(
                error,
                None,
                name,
                value,
                Phrase("contains {item}, not a non-empty id", item=shown(item)),
            )
    return items


def to_labels(value: object) -> Mapping[str, str]:
    """A read-only copy of a mapping of locale to text (checked later, with the definition)."""
    if not isinstance(value, Mapping):
        raise InvalidProcessError(
            [Phrase("labels {value} must map a locale to a text", value=shown(value))]
        )
    return MappingProxyType(dict(value))
