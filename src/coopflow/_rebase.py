"""`rebase`: a trajectory's recorded events replayed under a changed process definition.

When a process file changes (a threshold raised, a state removed), the facts a trajectory
recorded stay true but their consequences may not: a trigger that fired may now be refused, a
regression may now happen. `rebase` applies every recorded data event and every recorded fire
again, with its recorded time and actor, under the new definition, and reports each record
whose outcome changed as a `Change`. Nothing is dropped silently: an event the new definition
cannot take at all (a trigger it no longer has, a dimension it does not declare, an event after
the trajectory has now ended) is left out of the new history, as an invalid event always is,
and reported as a change of kind `ChangeKind.INVALID` with the error that refused it.
"""

from collections.abc import Callable
from enum import StrEnum
from typing import cast

import attrs

from coopflow._engine import apply
from coopflow._events import Event, Fire, Started
from coopflow._i18n import check_locale
from coopflow._process import Process
from coopflow._results import Outcome, Record, Refused
from coopflow._text import Phrase
from coopflow._trajectory import Trajectory
from coopflow.exceptions import (
    CoopflowError,
    InvalidEventError,
    UnknownNameError,
)


class ChangeKind(StrEnum):
    """How the outcome of a record changed under the new definition.

    * ``REFUSED``: a trigger that fired is now refused.
    * ``ALLOWED``: a trigger that was refused now fires.
    * ``TRANSITIONS``: applied before and now, but with other transitions: a regression that now
      happens or no longer happens, or a trigger that now leads elsewhere.
    * ``INVALID``: the new definition cannot take the event at all; it is not in the new history.

    Example:
        >>> import coopflow as cf
        >>> cf.ChangeKind.REFUSED.value
        'refused'
    """

    REFUSED = "refused"
    ALLOWED = "allowed"
    TRANSITIONS = "transitions"
    INVALID = "invalid"


@attrs.frozen
class Change:
    """One record whose outcome changed: the old record, and the new one or why there is none.

    Attributes:
        kind: how it changed.
        old: the record in the old history.
        new: the record in the new history (its `seq` may differ: invalid events before it are
            left out), or None for an `INVALID` event.
        error: for an `INVALID` event, the error the new definition raised (`InvalidEventError`
            or `UnknownNameError`); None otherwise. Not compared by ``==``.

    Example:
        >>> import coopflow as cf
        >>> p = cf.default_process()
        >>> t = cf.Trajectory.start(p, parties=[cf.Party("a"), cf.Party("b")])
        >>> _ = t.fire("stall")
        >>> change = cf.Change(cf.ChangeKind.REFUSED, t.history[1])
        >>> change.old.event.trigger, change.new, change.reason
        ('stall', None, '')
    """

    kind: ChangeKind
    old: Record
    new: Record | None = None
    error: CoopflowError | None = attrs.field(default=None, kw_only=True, eq=False)

    @property
    def reason(self) -> str:
        """Why an invalid event was left out, in English (empty for the other kinds)."""
        return "" if self.error is None else str(self.error)

    def message(self, locale: str = "en", *, process: Process | None = None) -> str:
        """What changed, as a sentence in `locale`; with `process` (the new definition), states
        and triggers show their labels. A fire now refused is followed by why (its explanation).

        Raises:
            UnknownNameError: coopflow does not speak `locale`.

        Example:
            >>> import coopflow as cf
            >>> from coopflow import demo
            >>> stricter = cf.default_process(settings=cf.Settings(entry_threshold=4.0))
            >>> change = cf.rebase(demo.tilburg(out=lambda line: None), stricter).changes[0]
            >>> print(change.message("nl", process=stricter))  # doctest: +ELLIPSIS
            registratie 22: ‘Voortraject afronden’ ging eerder door en wordt nu geweigerd
            ‘Voortraject afronden’ kan nog niet vanuit de fase ... Nog nodig:
            - Tilburg University: de score voor zeggenschap is 3,9; nodig is minstens 4,0
        """
        check_locale(locale)

        def label(name: str) -> str:
            if process is None:
                return name
            try:
                return process.label(name, locale=locale)
            except UnknownNameError:  # a state or trigger the new definition no longer has
                return name

        seq = self.old.seq
        if self.kind is ChangeKind.INVALID:
            return Phrase("record {seq} is left out: {error}", seq=seq, error=self.error).render(
                locale
            )
        if self.kind is ChangeKind.TRANSITIONS:
            return _moved(seq, self.old, cast(Record, self.new), label).render(locale)
        trigger = label(cast(Fire, self.old.event).trigger)
        if self.kind is ChangeKind.ALLOWED:
            return Phrase(
                "record {seq}: ‘{trigger}’ was refused before and now goes ahead",
                seq=seq,
                trigger=trigger,
            ).render(locale)
        headline = Phrase(
            "record {seq}: ‘{trigger}’ went ahead before and is now refused",
            seq=seq,
            trigger=trigger,
        ).render(locale)
        if self.new is None or self.new.explanation is None:  # a Change made by hand
            return headline
        explanation = self.new.explanation
        return f"{headline}\n{explanation.message(locale, process=process)}"


def _moved(seq: int, old: Record, new: Record, label: Callable[[str], str]) -> Phrase:
    # Where the record's transitions ended, before and now (None: it moved nowhere).
    before = label(old.transitions[-1].dest) if old.transitions else None
    now = label(new.transitions[-1].dest) if new.transitions else None
    if before is None:
        return Phrase("record {seq} now leads to the {now} phase", seq=seq, now=now)
    if now is None:
        return Phrase("record {seq} no longer leads to the {before} phase", seq=seq, before=before)
    if now == before:
        return Phrase("record {seq} now reaches the {now} phase another way", seq=seq, now=now)
    return Phrase(
        "record {seq} now leads to the {now} phase instead of the {before} phase",
        seq=seq,
        now=now,
        before=before,
    )


@attrs.frozen
class Rebased:
    """What `rebase` made: the new trajectory and every record whose outcome changed.

    Attributes:
        trajectory: the trajectory rebuilt under the new definition (same id, title, parties).
        changes: one `Change` per affected record, in the order of the old history.

    Example:
        >>> import coopflow as cf
        >>> p = cf.default_process()
        >>> t = cf.Trajectory.start(p, parties=[cf.Party("a"), cf.Party("b")])
        >>> cf.rebase(t, p).changes
        ()
    """

    trajectory: Trajectory
    changes: tuple[Change, ...]

    @property
    def changed(self) -> bool:
        """Whether any record's outcome changed."""
        return bool(self.changes)


def _moves(record: Record) -> tuple[tuple[str, str, str, bool], ...]:
    # What a record did, without the guard results (a raised threshold reads differently in a
    # result's parameters but is no change of outcome).
    return tuple((t.trigger, t.source, t.dest, t.automatic) for t in record.transitions)


def _compare(old: Record, new: Record) -> ChangeKind | None:
    if old.outcome != new.outcome:
        return ChangeKind.ALLOWED if new.outcome is Outcome.APPLIED else ChangeKind.REFUSED
    if _moves(old) != _moves(new):
        return ChangeKind.TRANSITIONS
    return None


def rebase(trajectory: Trajectory, process: Process) -> Rebased:
    """Replay `trajectory`'s recorded events under `process`; the result and what changed.

    Every record after the start is applied again in order, data events and fires alike, with
    its recorded time, actor and reason; the start (id, title, parties, time) is kept. A record
    whose outcome is the same (applied with the same transitions, or refused again) is no change,
    even if its guard results now read differently. An event `process` cannot take at all is
    left out of the new history and reported as a `ChangeKind.INVALID` change with its error:
    it is never dropped silently. Listeners of `trajectory` are not carried over, and
    `trajectory` itself is not changed.

    Args:
        trajectory: the trajectory to rebase.
        process: the changed definition.

    Raises:
        InvalidEventError: `trajectory` or `process` is not what it should be.
        GuardError: a custom guard of `process` raised; nothing was made.

    Example:
        >>> import coopflow as cf
        >>> from coopflow import demo
        >>> t = demo.tilburg(out=lambda line: None)  # exploring to operating, 37 records
        >>> stricter = cf.default_process(settings=cf.Settings(entry_threshold=4.0))
        >>> rebased = cf.rebase(t, stricter)
        >>> for change in rebased.changes:
        ...     print(change.kind.value, change.old.seq, change.old.event.trigger)
        refused 22 set_agenda
        refused 27 open_signing
        refused 31 organise
        refused 36 start
        >>> print(rebased.changes[0].new.explanation.message(process=stricter))
        ... # doctest: +ELLIPSIS
        ‘Complete the preliminary phase’ is not yet possible from ... phase. Still needed:
        - Tilburg University: the score for voice ... is 3.9; at least 4.0 is needed
        >>> rebased.trajectory.state, t.state
        ('building_culture', 'operating')
    """
    if not isinstance(trajectory, Trajectory):
        raise InvalidEventError("trajectory", trajectory, Phrase("must be a coopflow Trajectory"))
    if not isinstance(process, Process):
        raise InvalidEventError("process", process, Phrase("must be a coopflow Process"))
    history = trajectory.history
    first = history[0]
    started = cast(Started, first.event)  # every trajectory's history starts so
    # The start depends on no definition: its parties, title, id and time were checked already.
    rebuilt = Trajectory.start(
        process, parties=started.parties, title=started.title, id=started.trajectory, at=first.at
    )
    snapshot = rebuilt.snapshot
    records = [rebuilt.history[0]]
    changes: list[Change] = []
    for old in history[1:]:
        event = cast(Event, old.event)  # only the first record is a Started
        try:
            result = apply(process, snapshot, event, old.at)
        except (InvalidEventError, UnknownNameError) as error:
            changes.append(Change(ChangeKind.INVALID, old, error=error))
            continue
        seq = len(records)
        if isinstance(result, Refused):
            new = Record(
                seq, old.at, old.actor, old.event, Outcome.REFUSED, explanation=result.explanation
            )
        else:
            snapshot = result.snapshot
            new = Record(seq, old.at, old.actor, old.event, Outcome.APPLIED, result.transitions)
        records.append(new)
        kind = _compare(old, new)
        if kind is not None:
            changes.append(Change(kind, old, new))
    return Rebased(Trajectory._restore(process, tuple(records), snapshot), tuple(changes))
