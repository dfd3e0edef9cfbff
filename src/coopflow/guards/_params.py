"""Checks of guard parameters, shared by the guard families."""

from collections.abc import Iterable, Set
from typing import TYPE_CHECKING, Any

import attrs

from coopflow._text import Phrase, Problem, shown
from coopflow._validators import is_number, is_text
from coopflow._vocabulary import Vocabulary
from coopflow.exceptions import InvalidProcessError

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    from coopflow._settings import Settings


def optional_float(value: object) -> float | None:
    """Numbers become floats, so 4 and 4.0 serialise alike; `optional_number` reports the rest."""
    return float(value) if is_number(value) else value  # type: ignore[arg-type,return-value]


def optional_number(instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    """Validator: None or a finite number."""
    if value is not None and not is_number(value):
        kind = getattr(type(instance), "kind", type(instance).__name__)
        raise InvalidProcessError(
            [
                Phrase(
                    "guard {kind} {name} {value} must be a finite number",
                    kind=shown(kind),
                    name=attribute.name,
                    value=shown(value),
                )
            ]
        )


def word(instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    """Validator: a non-empty id."""
    if not is_text(value):
        kind = getattr(type(instance), "kind", type(instance).__name__)
        raise InvalidProcessError(
            [
                Phrase(
                    "guard {kind} {name} {value} must be a non-empty id",
                    kind=shown(kind),
                    name=attribute.name,
                    value=shown(value),
                )
            ]
        )


def to_words(value: object) -> tuple[str, ...]:
    """A list of ids (not one string)."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidProcessError(
            [Phrase("{value} must be a list of ids, not one string", value=shown(value))]
        )
    names = tuple(value)
    if not names or not all(is_text(name) for name in names):
        raise InvalidProcessError(
            [Phrase("{value} must list at least one non-empty id", value=shown(value))]
        )
    # A set has no order of its own: sorted, the guard (and the fingerprint) is the same in
    # every run.
    return tuple(sorted(names)) if isinstance(value, Set) else names


def to_optional_words(value: object) -> tuple[str, ...] | None:
    """None, or a list of ids (which may be empty)."""
    if value is None or (isinstance(value, (list, tuple)) and not value):
        return None if value is None else ()
    return to_words(value)


def on_scale(kind: str, name: str, value: float | None, settings: "Settings") -> list[Problem]:
    """A threshold off the process's scale makes a guard that can never (or always) pass."""
    low, high = settings.scale
    if value is not None and not low <= value <= high:
        return [
            Phrase(
                "guard {kind} {name} {value} is off the scale {low} to {high}",
                kind=shown(kind),
                name=name,
                value=format(value, "g"),
                low=format(low, "g"),
                high=format(high, "g"),
            )
        ]
    return []


def share(kind: str, name: str, value: float | None) -> list[Problem]:
    """A share must be above 0 and at most 1."""
    if value is not None and not 0 < value <= 1:
        return [
            Phrase(
                "guard {kind} {name} {value} must be a share above 0 and at most 1",
                kind=shown(kind),
                name=name,
                value=format(value, "g"),
            )
        ]
    return []


def declared(kind: str, what: str, ids: Iterable[str], vocabulary: Vocabulary) -> list[Problem]:
    """Ids of `what` (dimension, fact, role) that the vocabulary does not declare."""
    return [
        Phrase(
            "guard {kind} names {what} {id}, which the vocabulary does not declare",
            kind=shown(kind),
            what=what,
            id=shown(id),
        )
        for id in ids
        if not vocabulary.declares(what, id)
    ]
