"""`Trajectory`: the one mutable object, a process plus a snapshot plus the audit log."""

import itertools
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import cast

from coopflow._engine import apply, explain, moment
from coopflow._events import DATA_EVENTS, DataEvent, Fire, Party, Started
from coopflow._i18n import Term
from coopflow._process import Process
from coopflow._results import Applied, Explanation, Failure, Outcome, Record, Refused
from coopflow._snapshot import Snapshot
from coopflow._text import Phrase
from coopflow.exceptions import (
    CoopflowError,
    InvalidEventError,
    TrajectoryError,
    TransitionRefused,
)

# Ids are cheap: a random prefix per process run and a counter.
_PREFIX = secrets.token_hex(6)
_COUNTER = itertools.count(1)


def _new_id() -> str:
    return f"{_PREFIX}-{next(_COUNTER)}"


def _check_actor(actor: object) -> None:
    if actor is not None and not isinstance(actor, str):
        raise InvalidEventError("actor", actor, Phrase("must be a string or None"))


def _check_trigger(trigger: object) -> str:
    if not isinstance(trigger, str) or not trigger:
        raise InvalidEventError("trigger", trigger, Phrase("must be a non-empty string"))
    return trigger


class Trajectory:
    """One cooperation trajectory: a process, its current snapshot and its audit log.

    Create one with `Trajectory.start` (or rebuild one with `Trajectory.replay`); feed it facts
    with `record` and move it with `fire`. A refused or invalid call leaves the snapshot exactly
    as it was; refused triggers are kept in the history.

    Example:
        >>> import coopflow as cf
        >>> t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")],
        ...                         title="Example")
        >>> t.state, t.can("form_culture"), t.enabled()
        ('exploring', False, ('stall', 'dissolve'))
    """

    __slots__ = ("_history", "_id", "_process", "_snapshot", "_title")

    def __init__(self, process: Process, started: Started, at: datetime) -> None:
        """Use `Trajectory.start` or `Trajectory.replay`; this takes a checked start."""
        self._process = process
        self._id = started.trajectory
        self._title = started.title
        self._snapshot = Snapshot(process.initial, started.parties, at=at)
        self._history = [Record(0, at, None, started, Outcome.STARTED)]

    # --- creating -------------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        process: Process,
        *,
        parties: Iterable[Party],
        title: str = "",
        id: str | None = None,
        at: datetime | None = None,
    ) -> "Trajectory":
        """Start a trajectory of `process` in its initial state.

        Args:
            process: the process to follow.
            parties: at least two parties with distinct ids.
            title: a title people read.
            id: the trajectory's id; a new unique one when None.
            at: when it starts (timezone-aware); default now, in UTC.

        Raises:
            InvalidEventError: fewer than two parties, duplicate ids, a naive `at`, ...

        Example:
            >>> import coopflow as cf
            >>> t = cf.Trajectory.start(cf.default_process(), id="t-1",
            ...                         parties=[cf.Party("a"), cf.Party("b")])
            >>> t.id, t.state
            ('t-1', 'exploring')
        """
        if not isinstance(process, Process):
            raise InvalidEventError("process", process, Phrase("must be a coopflow Process"))
        when = moment(at)
        if id is None:
            id = _new_id()
        started = Started(id, title, parties)  # checks the id, the title and each party
        seen: set[str] = set()
        for party in started.parties:
            if party.id in seen:
                raise InvalidEventError("parties", party.id, Phrase("takes part twice"))
            seen.add(party.id)
        if len(seen) < 2:
            raise InvalidEventError(
                "parties", started.parties, Phrase("a cooperation needs at least two parties")
            )
        return cls(process, started, when)

    @classmethod
    def replay(cls, process: Process, records: Iterable[Record]) -> "Trajectory":
        """Rebuild a trajectory by applying every record again, with its recorded time.

        Applied records must cause the same transitions and refused ones must be refused again.

        Raises:
            TrajectoryError: the records do not replay to the same history.

        Example:
            >>> import coopflow as cf
            >>> p = cf.default_process()
            >>> t = cf.Trajectory.start(p, parties=[cf.Party("a"), cf.Party("b")])
            >>> _ = t.fire("stall")
            >>> cf.Trajectory.replay(p, t.history) == t
            True
        """
        history = tuple(records)
        if not history or not isinstance(history[0], Record):
            raise TrajectoryError(Phrase("a history starts with its start record"))
        first = history[0]
        if not isinstance(first.event, Started) or first.seq != 0:
            raise TrajectoryError(Phrase("a history starts with its start record"))
        try:
            trajectory = cls.start(
                process,
                parties=first.event.parties,
                title=first.event.title,
                id=first.event.trajectory,
                at=first.at,
            )
        except CoopflowError as error:
            raise TrajectoryError(
                Phrase(
                    "the start record cannot be replayed: {error}",
                    error=error,
                )
            ) from error
        for seq, expected in enumerate(history[1:], start=1):
            trajectory._replay_one(seq, expected)
        return trajectory

    def _replay_one(self, seq: int, expected: object) -> None:
        if not isinstance(expected, Record) or expected.seq != seq:
            raise TrajectoryError(Phrase("record {seq} is missing or out of order", seq=seq))
        if isinstance(expected.event, Started):
            raise TrajectoryError(
                Phrase(
                    "record {seq} starts the trajectory a second time",
                    seq=seq,
                )
            )
        try:
            result = apply(self._process, self._snapshot, expected.event, moment(expected.at))
        except CoopflowError as error:
            raise TrajectoryError(
                Phrase(
                    "record {seq} cannot be applied: {error}",
                    seq=seq,
                    error=error,
                )
            ) from error
        if isinstance(result, Refused):
            record = Record(
                seq,
                expected.at,
                expected.actor,
                expected.event,
                Outcome.REFUSED,
                explanation=result.explanation,
            )
        else:
            self._snapshot = result.snapshot
            record = Record(
                seq,
                expected.at,
                expected.actor,
                expected.event,
                Outcome.APPLIED,
                result.transitions,
            )
        if record != expected:
            raise TrajectoryError(
                Phrase(
                    "record {seq} replays differently: {record} != {expected}",
                    seq=seq,
                    record=record,
                    expected=expected,
                )
            )
        self._history.append(record)

    # --- reading --------------------------------------------------------------------------------

    @property
    def process(self) -> Process:
        """The process this trajectory follows."""
        return self._process

    @property
    def id(self) -> str:
        """The trajectory's id."""
        return self._id

    @property
    def title(self) -> str:
        """The trajectory's title."""
        return self._title

    @property
    def state(self) -> str:
        """The id of the current state."""
        return self._snapshot.state

    @property
    def snapshot(self) -> Snapshot:
        """The current frozen snapshot."""
        return self._snapshot

    @property
    def history(self) -> tuple[Record, ...]:
        """The audit log: the start, every applied event and every refused trigger."""
        return tuple(self._history)

    # --- acting ---------------------------------------------------------------------------------

    def record(
        self, event: DataEvent, *, at: datetime | None = None, actor: str | None = None
    ) -> Applied:
        """Record a data event; the automatic regressions are tried afterwards.

        Raises:
            InvalidEventError: bad input (unknown party, score off the scale, ...), or the
                trajectory has ended; nothing changed and nothing was recorded.

        Example:
            >>> import coopflow as cf
            >>> parties = [cf.Party("a"), cf.Party("b")]
            >>> t = cf.Trajectory.start(cf.default_process(), parties=parties)
            >>> t.record(cf.Assessed("a", cf.Dimension.TRUST, 4.0)).snapshot.version
            1
        """
        if type(event) not in DATA_EVENTS:
            raise InvalidEventError(
                "event",
                event,
                Phrase(
                    "is not a data event (fire triggers with fire)",
                ),
            )
        _check_actor(actor)
        when = moment(at)
        # A data event is applied or raises; only a Fire can be refused.
        result = cast(Applied, apply(self._process, self._snapshot, event, when))
        self._snapshot = result.snapshot
        self._history.append(
            Record(len(self._history), when, actor, event, Outcome.APPLIED, result.transitions)
        )
        return result

    def fire(
        self,
        trigger: str,
        *,
        reason: str = "",
        at: datetime | None = None,
        actor: str | None = None,
    ) -> Applied:
        """Fire a manual trigger: its validity in the current state first, then every guard.

        Raises:
            TransitionRefused: with the explanation; the refusal is kept in the history.
            UnknownNameError: the process has no such manual trigger.

        Example:
            >>> import coopflow as cf
            >>> parties = [cf.Party("a"), cf.Party("b")]
            >>> t = cf.Trajectory.start(cf.default_process(), parties=parties)
            >>> t.fire("stall", reason="elections").snapshot.state
            'stalled'
        """
        request = Fire(_check_trigger(trigger), reason=reason)
        _check_actor(actor)
        when = moment(at)
        result = apply(self._process, self._snapshot, request, when)
        if isinstance(result, Refused):
            self._history.append(
                Record(
                    len(self._history),
                    when,
                    actor,
                    request,
                    Outcome.REFUSED,
                    explanation=result.explanation,
                )
            )
            raise TransitionRefused(result.explanation)
        self._snapshot = result.snapshot
        self._history.append(
            Record(len(self._history), when, actor, request, Outcome.APPLIED, result.transitions)
        )
        return result

    # --- asking ---------------------------------------------------------------------------------

    def explain(self, trigger: str, *, at: datetime | None = None) -> Explanation:
        """Why `trigger` may or may not fire now, every guard evaluated; changes nothing.

        Raises:
            UnknownNameError: the process has no such manual trigger.

        Example:
            >>> import coopflow as cf
            >>> parties = [cf.Party("a"), cf.Party("b")]
            >>> t = cf.Trajectory.start(cf.default_process(), parties=parties)
            >>> t.explain("form_culture").failures[0].message()
            'no common interest has been endorsed by every party yet'
        """
        return explain(self._process, self._snapshot, _check_trigger(trigger), moment(at))[0]

    def can(self, trigger: str, *, at: datetime | None = None) -> bool:
        """Whether `trigger` would fire now.

        Example:
            >>> import coopflow as cf
            >>> parties = [cf.Party("a"), cf.Party("b")]
            >>> t = cf.Trajectory.start(cf.default_process(), parties=parties)
            >>> t.can("dissolve")
            True
        """
        return self.explain(trigger, at=at).allowed

    def enabled(self, *, at: datetime | None = None) -> tuple[str, ...]:
        """The manual triggers that would fire now, in definition order.

        Example:
            >>> import coopflow as cf
            >>> parties = [cf.Party("a"), cf.Party("b")]
            >>> t = cf.Trajectory.start(cf.default_process(), parties=parties)
            >>> t.enabled()
            ('stall', 'dissolve')
        """
        when = moment(at)
        return tuple(
            trigger
            for trigger in self._process.triggers
            if explain(self._process, self._snapshot, trigger, when)[0].allowed
        )

    def borderline(self, *, at: datetime | None = None) -> tuple[Failure, ...]:
        """Present scores between the regression and entry thresholds.

        They block moving forward but never move the trajectory back (hysteresis).

        Example:
            >>> import coopflow as cf
            >>> parties = [cf.Party("a"), cf.Party("b")]
            >>> t = cf.Trajectory.start(cf.default_process(), parties=parties)
            >>> _ = t.record(cf.Assessed("a", cf.Dimension.TRUST, 3.2))
            >>> t.borderline()[0].message()
            'a: trust 3.2 is borderline (between 3.0 and 3.5)'
        """
        when = moment(at)
        settings = self._process.settings
        low, high = settings.regression_threshold, settings.entry_threshold
        found: list[Failure] = []
        vocabulary = self._process.vocabulary
        for party in self._snapshot.parties:
            for dimension in vocabulary.dimensions:
                score = self._snapshot.score(
                    party.id, dimension, at=when, max_age=settings.max_score_age
                )
                if score is not None and low <= score < high:
                    params = {
                        "name": party.name,
                        "dimension": Term(
                            "dimension", dimension, vocabulary.labels("dimension", dimension)
                        ),
                        "score": score,
                        "regression": low,
                        "entry": high,
                    }
                    found.append(Failure(party.id, "borderline", params))
        return tuple(found)

    # --- comparing ------------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Trajectory):
            return NotImplemented
        return (
            self._process == other._process
            and self._id == other._id
            and self._title == other._title
            and self._snapshot == other._snapshot
            and self._history == other._history
        )

    __hash__ = None  # type: ignore[assignment]  # mutable: not hashable

    def __repr__(self) -> str:
        return (
            f"<Trajectory {self._id!r} state={self.state!r} version={self._snapshot.version} "
            f"records={len(self._history)}>"
        )
