"""`Trajectory`: the one mutable object, a process plus a snapshot plus the audit log.

A trajectory may be shared between threads: a lock makes every call atomic. Listeners are called
after each appended record, in record order, outside that lock, so a listener may read or even
act on the trajectory; one that raises is logged on the ``coopflow.listeners`` logger and never
undoes the record nor keeps the other listeners from running.
"""

import collections
import itertools
import logging
import secrets
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeAlias, cast

from coopflow._engine import apply, explain, moment, record_data
from coopflow._events import DATA_EVENTS, DataEvent, Fire, Party, Started
from coopflow._i18n import Term
from coopflow._process import Process
from coopflow._registers import EMPTY_REGISTERS
from coopflow._results import (
    Applied,
    Explanation,
    Failure,
    Outcome,
    Record,
    Refused,
    make_record,
)
from coopflow._snapshot import Snapshot, make_snapshot
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


_DATA_EVENTS = frozenset(DATA_EVENTS)

LOGGER = logging.getLogger("coopflow.listeners")
"""Where a failing listener is reported (with its traceback, at level ERROR)."""

Listener: TypeAlias = "Callable[[Trajectory, Record], object]"
"""A callable given the trajectory and each new record; what it returns is ignored."""

_Subscriptions: TypeAlias = tuple[tuple[object, "Listener"], ...]


def _new_id() -> str:
    return f"{_PREFIX}-{next(_COUNTER)}"


def _check_actor(actor: object) -> None:
    if actor is not None and not isinstance(actor, str):
        raise InvalidEventError("actor", actor, Phrase("must be a string or None"))


def _check_trigger(trigger: object) -> str:
    if not isinstance(trigger, str) or not trigger:
        raise InvalidEventError("trigger", trigger, Phrase("must be a non-empty string"))
    return trigger


def _request(process: Process, trigger: object, reason: str) -> Fire:
    """The `Fire` of `trigger`: one per manual trigger of the process when no reason is given."""
    if reason == "" and type(trigger) is str:
        cache = process._index.cache
        fires = cache.get("fires")
        if fires is None:
            fires = cache["fires"] = {}
        request: Fire | None = fires.get(trigger)
        if request is None:
            request = Fire(_check_trigger(trigger))
            if trigger in process._index.manual_triggers:
                fires[trigger] = request
        return request
    return Fire(_check_trigger(trigger), reason=reason)


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

    __slots__ = (
        "__weakref__",
        "_delivering",
        "_delivery",
        "_history",
        "_id",
        "_listeners",
        "_lock",
        "_pending",
        "_process",
        "_snapshot",
        "_title",
    )

    def __init__(self, process: Process, started: Started, at: datetime) -> None:
        """Use `Trajectory.start` or `Trajectory.replay`; this takes a checked start."""
        self._process = process
        self._id = started.trajectory
        self._title = started.title
        self._snapshot = make_snapshot(
            process.initial, started.parties, EMPTY_REGISTERS, None, 0, at, None
        )
        self._history = [make_record(0, at, None, started, Outcome.STARTED, (), None)]
        self._lock = threading.Lock()
        self._listeners: _Subscriptions = ()
        # Records waiting for their listeners, in order; each with the listeners of its time.
        self._pending: collections.deque[tuple[Record, _Subscriptions]] = collections.deque()
        self._delivery = threading.Lock()
        self._delivering: int | None = None

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
                Phrase("the start record cannot be replayed: {error}", error=error)
            ) from error
        if trajectory._history[0] != first:
            raise TrajectoryError(Phrase("the start record was edited: {first}", first=first))
        for seq, expected in enumerate(history[1:], start=1):
            trajectory._replay_one(seq, expected)
        return trajectory

    @classmethod
    def _restore(
        cls, process: Process, history: tuple[Record, ...], snapshot: Snapshot
    ) -> "Trajectory":
        # For a store that wrote these records itself: trusted, not replayed.
        first = history[0]
        started = cast(Started, first.event)
        trajectory = cls(process, started, first.at)
        trajectory._history = list(history)
        trajectory._snapshot = snapshot
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
            self._check_time(moment(expected.at))
        except CoopflowError as error:
            raise TrajectoryError(
                Phrase("record {seq} goes back in time: {error}", seq=seq, error=error)
            ) from error
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
        with self._lock:
            return tuple(self._history)

    @property
    def revision(self) -> int:
        """The number of records after the start, refused ones included (0 when just started).

        It is the sequence number of the last record, and changes with every record, where
        `Snapshot.version` counts applied events only: the token for optimistic concurrency.

        Example:
            >>> import coopflow as cf
            >>> parties = [cf.Party("a"), cf.Party("b")]
            >>> t = cf.Trajectory.start(cf.default_process(), parties=parties)
            >>> try:
            ...     t.fire("form_culture")
            ... except cf.TransitionRefused:
            ...     pass
            >>> t.revision, t.snapshot.version
            (1, 0)
        """
        return len(self._history) - 1

    # --- listening ------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(trajectory, record)` after each new record; returns an unsubscribe.

        Every record appended from now on is delivered, applied and refused ones alike (the
        automatic transitions an event caused are in its record), in record order, after the
        call that made it has changed the trajectory and released its lock, and before that
        call returns. A listener that raises is logged with
        its traceback on the ``coopflow.listeners`` logger (level ERROR); the record stays and
        the other listeners still run. A listener may call the trajectory again; the records it
        adds are delivered after the current one, to every listener.

        Raises:
            InvalidEventError: `listener` is not callable.

        Example:
            >>> import coopflow as cf
            >>> parties = [cf.Party("a"), cf.Party("b")]
            >>> t = cf.Trajectory.start(cf.default_process(), parties=parties)
            >>> seen = []
            >>> unsubscribe = t.subscribe(lambda t, record: seen.append(record.seq))
            >>> _ = t.fire("stall")
            >>> unsubscribe()
            >>> _ = t.fire("resume")
            >>> seen
            [1]
        """
        if not callable(listener):
            raise InvalidEventError("listener", listener, "must be callable")
        token = object()
        with self._lock:
            self._listeners = (*self._listeners, (token, listener))

        def unsubscribe() -> None:
            with self._lock:
                self._listeners = tuple(item for item in self._listeners if item[0] is not token)

        return unsubscribe

    def _append(self, record: Record) -> None:
        # Under the lock: the record and, in the same order, its delivery.
        self._history.append(record)
        if self._listeners:
            self._pending.append((record, self._listeners))

    def _deliver(self) -> None:
        # Outside the lock. One thread delivers at a time, so listeners see records in order; a
        # listener that acts on the trajectory only queues, and the loop below delivers after.
        if not self._pending or self._delivering == threading.get_ident():
            return
        with self._delivery:
            self._delivering = threading.get_ident()
            try:
                while True:
                    with self._lock:
                        if not self._pending:
                            return
                        record, listeners = self._pending.popleft()
                    for _, listener in listeners:
                        try:
                            listener(self, record)
                        except Exception:
                            LOGGER.exception(
                                "listener %r failed on record %d of trajectory %r",
                                listener,
                                record.seq,
                                self._id,
                            )
            finally:
                self._delivering = None

    def _check_time(self, when: datetime) -> None:
        last = self._history[-1].at
        if when < last:
            raise InvalidEventError(
                "at",
                when,
                Phrase("is earlier than the last record ({last})", last=last.isoformat()),
            )

    # --- acting ---------------------------------------------------------------------------------

    def record(
        self, event: DataEvent, *, at: datetime | None = None, actor: str | None = None
    ) -> Applied:
        """Record a data event; the automatic regressions are tried afterwards.

        Raises:
            InvalidEventError: bad input (unknown party, score off the scale, an `at` earlier
                than the last record, ...), or the trajectory has ended; nothing changed and
                nothing was recorded.

        Example:
            >>> import coopflow as cf
            >>> parties = [cf.Party("a"), cf.Party("b")]
            >>> t = cf.Trajectory.start(cf.default_process(), parties=parties)
            >>> t.record(cf.Assessed("a", cf.Dimension.TRUST, 4.0)).snapshot.version
            1
        """
        if type(event) not in _DATA_EVENTS:
            raise InvalidEventError(
                "event",
                event,
                Phrase(
                    "is not a data event (fire triggers with fire)",
                ),
            )
        if actor is not None:
            _check_actor(actor)
        when = moment(at)
        with self._lock:
            history = self._history
            if when < history[-1].at:
                self._check_time(when)
            # A data event is applied or raises; only a Fire can be refused.
            result = record_data(self._process, self._snapshot, event, when)
            self._snapshot = result.snapshot
            self._append(
                make_record(
                    len(history), when, actor, event, Outcome.APPLIED, result.transitions, None
                )
            )
        if self._pending:
            self._deliver()
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
            InvalidEventError: `at` is earlier than the last record; nothing was recorded.

        Example:
            >>> import coopflow as cf
            >>> parties = [cf.Party("a"), cf.Party("b")]
            >>> t = cf.Trajectory.start(cf.default_process(), parties=parties)
            >>> t.fire("stall", reason="elections").snapshot.state
            'stalled'
        """
        request = _request(self._process, trigger, reason)
        _check_actor(actor)
        when = moment(at)
        with self._lock:
            history = self._history
            if when < history[-1].at:
                self._check_time(when)
            result = apply(self._process, self._snapshot, request, when)
            if isinstance(result, Refused):
                record = Record(
                    len(history),
                    when,
                    actor,
                    request,
                    Outcome.REFUSED,
                    explanation=result.explanation,
                )
            else:
                self._snapshot = result.snapshot
                record = make_record(
                    len(history), when, actor, request, Outcome.APPLIED, result.transitions, None
                )
            self._append(record)
        if self._pending:
            self._deliver()
        if isinstance(result, Refused):
            raise TransitionRefused(result.explanation)
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
        snapshot = self._snapshot  # one snapshot for every trigger, whatever other threads do
        return tuple(
            trigger
            for trigger in self._process.triggers
            if explain(self._process, snapshot, trigger, when)[0].allowed
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
        snapshot = self._snapshot
        for party in snapshot.parties:
            for dimension in vocabulary.dimensions:
                score = snapshot.score(party.id, dimension, at=when, max_age=settings.max_score_age)
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
        # One lock at a time: two threads comparing a == b and b == a cannot deadlock.
        return (
            self._process == other._process
            and self._id == other._id
            and self._title == other._title
            and self._consistent() == other._consistent()
        )

    def _consistent(self) -> tuple[Snapshot, tuple[Record, ...]]:
        with self._lock:
            return self._snapshot, tuple(self._history)

    __hash__ = None  # type: ignore[assignment]  # mutable: not hashable

    def __repr__(self) -> str:
        snapshot, history = self._consistent()
        return (
            f"<Trajectory {self._id!r} state={snapshot.state!r} version={snapshot.version} "
            f"records={len(history)}>"
        )
