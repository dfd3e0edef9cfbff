"""Combinators: `all_of`, `any_of` and `not_` of other guards."""

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

import attrs

from coopflow._results import Failure, GuardResult
from coopflow._snapshot import Snapshot
from coopflow._text import Phrase, Problem, shown
from coopflow._vocabulary import Vocabulary
from coopflow._witness import Events, no_witness, witness
from coopflow.exceptions import InvalidProcessError
from coopflow.guards._registry import Guard, evaluate, guard_problems, reads_of, register, term

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    from coopflow._settings import Settings


__all__ = [
    "all_of",
    "any_of",
    "not_",
]


def _guards(value: object) -> tuple[Guard, ...]:
    items = tuple(value) if isinstance(value, Iterable) else (value,)
    for item in items:
        if not isinstance(item, Guard):
            raise InvalidProcessError([Phrase("{item} is not a guard", item=shown(item))])
    return items


def _one_guard(value: object) -> Guard:
    return _guards((value,))[0]


@register("all_of")
@attrs.frozen
class AllOf:
    """Holds when every one of `guards` holds; all are evaluated, their failures combined."""

    kind: ClassVar[str]
    guards: tuple[Guard, ...] = attrs.field(converter=_guards)

    @property
    def reads(self) -> frozenset[str] | None:
        """The registers the guards inside read; None when one of them does not say."""
        return reads_of(*self.guards)

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate every guard (see the class docstring)."""
        results = [evaluate(guard, snapshot, settings, at) for guard in self.guards]
        failures = [f for result in results if not result.passed for f in result.failures]
        return GuardResult(self.kind, all(r.passed for r in results), tuple(failures))

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """The witnesses of every guard inside, in order; none is known to make it fail."""
        if not holds:
            raise no_witness(self, holds)
        return [e for inner in self.guards for e in witness(inner, snapshot, settings, True)]

    def problems(self, vocabulary: Vocabulary, settings: "Settings") -> list[Problem]:
        """The problems of the guards inside."""
        return [p for guard in self.guards for p in guard_problems(guard, vocabulary, settings)]


@register("any_of")
@attrs.frozen
class AnyOf:
    """Holds when at least one of `guards` holds; when none does, every failure is listed."""

    kind: ClassVar[str]
    guards: tuple[Guard, ...] = attrs.field(converter=_guards)

    @property
    def reads(self) -> frozenset[str] | None:
        """The registers the guards inside read; None when one of them does not say."""
        return reads_of(*self.guards)

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate every guard (see the class docstring)."""
        results = [evaluate(guard, snapshot, settings, at) for guard in self.guards]
        if any(result.passed for result in results):
            return GuardResult(self.kind, True)
        return GuardResult(self.kind, False, tuple(f for r in results for f in r.failures))

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """The witness of the first guard inside; none is known to make it fail, nor to make
        an empty one hold.
        """
        if not holds or not self.guards:
            raise no_witness(self, holds)
        return witness(self.guards[0], snapshot, settings, True)

    def problems(self, vocabulary: Vocabulary, settings: "Settings") -> list[Problem]:
        """The problems of the guards inside."""
        return [p for guard in self.guards for p in guard_problems(guard, vocabulary, settings)]


@register("not")
@attrs.frozen
class Not:
    """Holds when `guard` does not; when it does, its findings say why that is a failure."""

    kind: ClassVar[str]
    guard: Guard = attrs.field(converter=_one_guard)

    @property
    def reads(self) -> frozenset[str] | None:
        """The registers the guard inside reads; None when it does not say."""
        return reads_of(self.guard)

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the inner guard and negate it (see the class docstring)."""
        inner = evaluate(self.guard, snapshot, settings, at)
        if not inner.passed:
            return GuardResult(self.kind, True)
        failures = inner.failures or (
            Failure(None, "must_not_hold", {"guard": term("guard", inner.guard)}),
        )
        return GuardResult(self.kind, False, failures)

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """The witness that makes the guard inside fail (or hold, for this one to fail)."""
        return witness(self.guard, snapshot, settings, not holds)

    def problems(self, vocabulary: Vocabulary, settings: "Settings") -> list[Problem]:
        """The problems of the guard inside."""
        return guard_problems(self.guard, vocabulary, settings)


# --- the factories: the public surface, re-exported by coopflow.guards ---------------------


def all_of(*guards: Guard) -> AllOf:
    """A guard that holds when all of `guards` hold; all are evaluated, their failures combined.

    Example:
        >>> from coopflow import guards
        >>> guards.all_of(guards.trust(), guards.energy()).kind
        'all_of'
    """
    return AllOf(guards)


def any_of(*guards: Guard) -> AnyOf:
    """A guard that holds when any of `guards` holds; when none does, every failure is listed.

    Example:
        >>> from coopflow import guards
        >>> guards.any_of(guards.trust(), guards.energy()).kind
        'any_of'
    """
    return AnyOf(guards)


def not_(guard: Guard) -> Not:
    """A guard that holds when `guard` does not; when it does, its findings say why.

    Example:
        >>> from coopflow import guards
        >>> guards.not_(guards.trust()).kind
        'not'
    """
    return Not(guard)
