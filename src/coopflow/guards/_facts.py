"""Guards and conditions over the facts a process declares: `fact` and `fact_revoked`.

A fact of the whole trajectory is addressed without ``parties``; a per-party fact is about the
parties selected (``parties="all"`` for every party). Which of the two a fact is, the vocabulary
says, and a process whose guard addresses a fact the other way is refused when it is built.
"""

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

import attrs

from coopflow._events import FactRecorded, Party
from coopflow._results import Failure, GuardResult, condition_result, guard_result
from coopflow._snapshot import Snapshot
from coopflow._text import Phrase, Problem, shown
from coopflow._vocabulary import Vocabulary
from coopflow._witness import Events, known
from coopflow.guards._params import word
from coopflow.guards._registry import register, term
from coopflow.guards._select import (
    Parties,
    Selection,
    chosen,
    condition_findings,
    everyone,
    failing,
    guard_failures,
    selection_problems,
    selection_reads,
    to_selection,
)

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    from coopflow._settings import Settings


__all__ = [
    "fact",
    "fact_revoked",
]


def _to_optional_selection(value: object) -> Selection | str:
    # None means "a fact of the whole trajectory"; "all" must then be said explicitly.
    if value is None:
        return None
    return "all" if to_selection(value) is None else to_selection(value)


def _selection(value: Selection | str) -> Selection:
    return None if value == "all" else value


def _problems(kind: str, fact: str, parties: object, vocabulary: Vocabulary) -> list[Problem]:
    declared = vocabulary.facts.get(fact)
    if declared is None:
        return [
            Phrase(
                "guard {kind} names fact {fact}, which the vocabulary does not declare",
                kind=shown(kind),
                fact=shown(fact),
            )
        ]
    if declared.per_party and parties is None:
        return [
            Phrase(
                "guard {kind}: fact {fact} is recorded per party; say which (parties='all')",
                kind=shown(kind),
                fact=shown(fact),
            )
        ]
    if not declared.per_party and parties is not None:
        return [
            Phrase(
                "guard {kind}: fact {fact} is of the whole trajectory; it takes no parties",
                kind=shown(kind),
                fact=shown(fact),
            )
        ]
    return selection_problems(_selection(parties), vocabulary, kind)  # type: ignore[arg-type]


@register("fact")
@attrs.frozen
class Fact:
    """The fact holds: for the whole trajectory, or for every selected party."""

    kind: ClassVar[str]
    fact: str = attrs.field(validator=word)
    parties: Selection | str = attrs.field(
        kw_only=True, default=None, converter=_to_optional_selection
    )

    @property
    def reads(self) -> frozenset[str]:
        """The registers this guard reads: the facts (and the roles, to select by role)."""
        return selection_reads(_selection(self.parties), "facts")

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        fact = term("fact", self.fact)
        if self.parties is None:
            state = snapshot.fact(self.fact)
            holds = state is not None and state.holds
            failures = [] if holds else [Failure(None, "fact_missing", {"fact": fact})]
            return guard_result(self.kind, failures)

        def per_party(party: Party) -> list[Failure]:
            state = snapshot.fact(self.fact, party.id)
            if state is not None and state.holds:
                return []
            return [Failure(party.id, "party_fact_missing", {"name": party.name, "fact": fact})]

        failures = guard_failures(snapshot, _selection(self.parties), per_party)
        return guard_result(self.kind, failures)

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """The fact recorded (for the selected parties), or recorded as not holding to fail."""
        with known(self, holds):
            if holds and self.parties is None:
                return [FactRecorded(self.fact)]
            if holds:
                ids, events = chosen(snapshot, self.parties)
                return events + [FactRecorded(self.fact, party=p) for p in ids]
            ids = failing(snapshot, self.parties)
            if self.parties is None:
                return [FactRecorded(self.fact, holds=False)]
            return [FactRecorded(self.fact, party=p, holds=False) for p in ids]

    def problems(self, vocabulary: Vocabulary, settings: "Settings") -> list[Problem]:
        """An undeclared fact, or one addressed the wrong way."""
        return _problems(self.kind, self.fact, self.parties, vocabulary)


@register("fact_revoked")
@attrs.frozen
class FactRevoked:
    """A condition: the fact held once and was withdrawn since (for some selected party)."""

    kind: ClassVar[str]
    fact: str = attrs.field(validator=word)
    parties: Selection | str = attrs.field(
        kw_only=True, default=None, converter=_to_optional_selection
    )

    @property
    def reads(self) -> frozenset[str]:
        """The registers this guard reads: the facts (and the roles, to select by role)."""
        return selection_reads(_selection(self.parties), "facts")

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the condition (see the class docstring)."""
        fact = term("fact", self.fact)
        if self.parties is None:
            state = snapshot.fact(self.fact)
            found = state is not None and state.withdrawn
            return condition_result(
                self.kind, [Failure(None, "fact_withdrawn", {"fact": fact})] if found else []
            )

        def per_party(party: Party) -> list[Failure]:
            state = snapshot.fact(self.fact, party.id)
            if state is None or not state.withdrawn:
                return []
            return [Failure(party.id, "party_fact_withdrawn", {"name": party.name, "fact": fact})]

        findings = condition_findings(snapshot, _selection(self.parties), per_party)
        return condition_result(self.kind, findings)

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """The fact recorded and then withdrawn (for one selected party, for every one over
        "any"), or recorded as holding not to hold.
        """
        with known(self, holds):
            if holds and self.parties is None:
                return [FactRecorded(self.fact), FactRecorded(self.fact, holds=False)]
            if holds:
                ids, events = chosen(snapshot, everyone(self.parties))
                return events + [
                    e
                    for p in (ids if self.parties == "any" else ids[:1])
                    for e in (
                        FactRecorded(self.fact, party=p),
                        FactRecorded(self.fact, party=p, holds=False),
                    )
                ]
            ids = failing(snapshot, self.parties)
            if self.parties is None:
                return [FactRecorded(self.fact)]
            return [FactRecorded(self.fact, party=p) for p in ids]

    def problems(self, vocabulary: Vocabulary, settings: "Settings") -> list[Problem]:
        """An undeclared fact, or one addressed the wrong way."""
        return _problems(self.kind, self.fact, self.parties, vocabulary)


# --- the factories: the public surface, re-exported by coopflow.guards ---------------------


def fact(fact: str, *, parties: Parties = None) -> Fact:
    """The fact holds: a fact of the whole trajectory (no `parties`), or a per-party fact for
    every selected party (``parties="all"``, a tag, ...).

    Example:
        >>> from coopflow import guards
        >>> guards.fact("board_mandate", parties="all").parties
        'all'
    """
    return Fact(fact, parties=parties)


def fact_revoked(fact: str, *, parties: Parties = None) -> FactRevoked:
    """A condition: the fact held once and was withdrawn since (``FactRecorded(..., holds=False)``).

    Example:
        >>> from coopflow import guards
        >>> guards.fact_revoked("council_approval").kind
        'fact_revoked'
    """
    return FactRevoked(fact, parties=parties)
