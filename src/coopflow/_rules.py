"""The rules of `coopflow.rules` (implementation; the public names live there)."""

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from coopflow._text import Phrase, shown
from coopflow._validators import is_text
from coopflow.exceptions import InvalidProcessError

__all__ = [
    "Always",
    "AlwaysStep",
    "Configuration",
    "LeadsTo",
    "NeverAfter",
    "Precedes",
    "Rule",
    "Sometimes",
    "always",
    "always_step",
    "leads_to",
    "never_after",
    "precedes",
    "sometimes",
]


@attrs.frozen
class Configuration:
    """What the checker knows at one point of a path.

    Attributes:
        state: the current state.
        previous: the state the last transition came from (None at the start).
        passed: the states named as `first` by `precedes` rules that were passed so far.

    Example:
        >>> from coopflow import rules
        >>> rules.Configuration("exploring", None).passed
        frozenset()
    """

    state: str
    previous: str | None
    passed: frozenset[str] = frozenset()


def _text(instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    if not is_text(value):
        raise InvalidProcessError(
            [
                Phrase(
                    "rule {name} {value} must be a non-empty string",
                    name=attribute.name,
                    value=shown(value),
                )
            ]
        )


def _to_states(value: object) -> tuple[str, ...]:
    states = tuple(value) if isinstance(value, Iterable) and not isinstance(value, str) else ()
    if not states or not all(is_text(state) for state in states):
        raise InvalidProcessError(
            [Phrase("rule states {value} must name at least one state", value=shown(value))]
        )
    return states


@attrs.frozen
class Precedes:
    """No path enters `then` without having passed `first`.

    Example:
        >>> from coopflow import rules
        >>> rules.Precedes("building_culture", "agenda_setting").name
        'precedes(building_culture, agenda_setting)'
    """

    first: str = attrs.field(validator=_text)
    then: str = attrs.field(validator=_text)

    @property
    def name(self) -> str:
        """The rule as it is reported."""
        return f"precedes({self.first}, {self.then})"


@attrs.frozen
class NeverAfter:
    """Once in one of `states`, the state never changes.

    Example:
        >>> from coopflow import rules
        >>> rules.NeverAfter(("dissolved",)).name
        'never_after(dissolved)'
    """

    states: tuple[str, ...] = attrs.field(converter=_to_states)

    @property
    def name(self) -> str:
        """The rule as it is reported."""
        return f"never_after({', '.join(self.states)})"


@attrs.frozen
class Sometimes:
    """`state` is reachable; the report keeps a shortest path to it as a witness.

    Example:
        >>> from coopflow import rules
        >>> rules.Sometimes("completed").name
        'sometimes(completed)'
    """

    state: str = attrs.field(validator=_text)

    @property
    def name(self) -> str:
        """The rule as it is reported."""
        return f"sometimes({self.state})"


@attrs.frozen
class Always:
    """`predicate(configuration)` holds in every configuration the process can reach.

    Example:
        >>> from coopflow import rules
        >>> rules.Always("named", lambda c: True).name
        'named'
    """

    name: str = attrs.field(validator=_text)
    predicate: Callable[[Configuration], bool] = attrs.field(eq=False)


@attrs.frozen
class AlwaysStep:
    """`predicate(before, step, after)` holds for every step the process can take.

    Example:
        >>> from coopflow import rules
        >>> rules.AlwaysStep("named", lambda before, step, after: True).name
        'named'
    """

    name: str = attrs.field(validator=_text)
    predicate: Callable[[Configuration, object, Configuration], bool] = attrs.field(eq=False)


@attrs.frozen
class LeadsTo:
    """Every run that reaches `first` can still reach `then` afterwards.

    Example:
        >>> from coopflow import rules
        >>> rules.LeadsTo("signing", "completed").name
        'leads_to(signing, completed)'
    """

    first: str = attrs.field(validator=_text)
    then: str = attrs.field(validator=_text)

    @property
    def name(self) -> str:
        """The rule as it is reported."""
        return f"leads_to({self.first}, {self.then})"


Rule = Precedes | NeverAfter | Sometimes | Always | AlwaysStep | LeadsTo
"""Any rule `check` understands."""


def precedes(first: str, then: str) -> Precedes:
    """No path enters state `then` without having passed state `first`.

    Example:
        >>> from coopflow import rules
        >>> rules.precedes("building_culture", "agenda_setting").then
        'agenda_setting'
    """
    return Precedes(first, then)


def leads_to(first: str, then: str) -> LeadsTo:
    """Every run that reaches state `first` can still reach state `then`; a violation's path
    leads to a configuration of `first` from which `then` cannot be reached.

    Example:
        >>> from coopflow import rules
        >>> rules.leads_to("signing", "completed").then
        'completed'
    """
    return LeadsTo(first, then)


def never_after(*states: str | Iterable[str]) -> NeverAfter:
    """Once in one of `states`, the state never changes (give ids, or one collection of them).

    Example:
        >>> from coopflow import rules
        >>> rules.never_after("completed", "dissolved").states
        ('completed', 'dissolved')
    """
    names: list[str] = []
    for state in states:
        names.extend([state] if isinstance(state, str) else state)
    return NeverAfter(names)


def sometimes(state: str) -> Sometimes:
    """`state` is reachable; the report keeps the witness path.

    Example:
        >>> from coopflow import rules
        >>> rules.sometimes("completed").state
        'completed'
    """
    return Sometimes(state)


def always(name: str, predicate: Callable[[Configuration], bool]) -> Always:
    """`predicate(configuration)` holds in every reachable configuration.

    Example:
        >>> from coopflow import rules
        >>> rule = rules.always("never stalled twice", lambda c: c.state != "nowhere")
        >>> rule.predicate(rules.Configuration("exploring", None))
        True
    """
    return Always(name, predicate)


def always_step(
    name: str, predicate: Callable[[Configuration, object, Configuration], bool]
) -> AlwaysStep:
    """`predicate(before, step, after)` holds for every step (a `Step`) the process can take.

    Example:
        >>> from coopflow import rules
        >>> rule = rules.always_step("no way back", lambda before, step, after: True)
        >>> rule.name
        'no way back'
    """
    return AlwaysStep(name, predicate)
