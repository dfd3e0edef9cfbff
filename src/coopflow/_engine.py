"""The pure engine: apply one event to a snapshot. The only module that imports transitions.

One `transitions.Machine` is built per process, on first use, with a private model object and
one machine event per `Transition` (so a trigger with several destinations, like ``resume``, is
unambiguous). Guards are evaluated here, every one of them, and the machine is driven only for a
transition that actually happens. Trajectories never become transitions models: nothing is
injected into user objects and the machine holds no reference to any trajectory.
"""

import string
import threading
from datetime import UTC, datetime
from typing import Any

from transitions import Machine

from coopflow._events import DataEvent, Event, Fire
from coopflow._process import Process, Transition
from coopflow._registers import (
    OF_PARTY,
    WRITES,
    Registers,
    has_signatures,
    without_signatures,
)
from coopflow._registers import _folding as folding
from coopflow._results import (
    _ENDED,
    Applied,
    Explanation,
    GuardResult,
    Refused,
    TransitionRecord,
    make_applied,
    make_explanation,
    make_transition_record,
)
from coopflow._snapshot import Snapshot, make_snapshot
from coopflow._text import Phrase
from coopflow.exceptions import InvalidEventError, UnknownNameError
from coopflow.guards._registry import WORDS, evaluate, overlap, reads_of


def moment(at: object) -> datetime:
    """`at` checked to be timezone-aware, or now in UTC when None: time enters only here."""
    if type(at) is datetime and at.tzinfo is UTC:  # the common case: aware by construction
        return at
    if at is None:
        return datetime.now(UTC)
    if not isinstance(at, datetime):
        raise InvalidEventError("at", at, Phrase("must be a datetime"))
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidEventError(
            "at", at, Phrase("must be timezone-aware (a naive datetime is ambiguous)")
        )
    return at


# A snapshot's note (``_settled``), set once the regressions are settled.
_SETTLED = Snapshot._settled.__set__  # type: ignore[attr-defined]


class _Model:
    """The private object transitions moves; only ever touched under the driver's lock."""

    state: str


class _Driver:
    """A transitions machine for one process, shared by all of its trajectories."""

    def __init__(self, process: Process) -> None:
        self._model = _Model()
        self._lock = threading.Lock()
        self._moves: dict[tuple[int, str], str] = {}
        self._machine = Machine(
            model=self._model,
            states=[state.id for state in process.states],
            transitions=[
                {"trigger": f"t{index}", "source": list(t.source), "dest": t.dest}
                for index, t in enumerate(process.transitions)
            ],
            initial=process.initial,
            auto_transitions=False,
        )

    def move(self, index: int, source: str) -> str:
        """Move from `source` along transition number `index`; return the destination.

        The machine has no conditions and no callbacks, so where a move leads depends on the
        transition and the source alone: transitions answers each pair once, the driver keeps
        the answer.
        """
        moves = self._moves
        dest = moves.get((index, source))
        if dest is None:
            with self._lock:
                self._model.state = source
                self._machine.events[f"t{index}"].trigger(self._model)
                dest = moves[index, source] = self._model.state
        return dest


def driver(process: Process) -> _Driver:
    """The process's machine, built once on first use."""
    cache = process._index.cache
    if "driver" not in cache:
        cache["driver"] = _Driver(process)
    return cache["driver"]  # type: ignore[no-any-return]


def _evaluate(
    transition: Transition, process: Process, snapshot: Snapshot, at: datetime
) -> tuple[GuardResult, ...]:
    settings = process.settings
    return tuple([evaluate(guard, snapshot, settings, at) for guard in transition.guards])


def _rank(results: tuple[GuardResult, ...]) -> tuple[bool, int]:
    # A failing came_from guard only says "this is not the remembered state": such a candidate
    # is explained only when no other exists.
    wrong_origin = any(r.guard == "came_from" and not r.passed for r in results)
    return (wrong_origin, sum(not r.passed for r in results))


def explain(
    process: Process, snapshot: Snapshot, trigger: str, at: datetime
) -> tuple[Explanation, tuple[int, Transition] | None]:
    """Explain `trigger` in `snapshot`; with the transition that would fire, if any."""
    token = WORDS.set(process._index.words)
    try:
        return _explain(process, snapshot, trigger, at)
    finally:
        WORDS.reset(token)


def _explain(
    process: Process, snapshot: Snapshot, trigger: str, at: datetime
) -> tuple[Explanation, tuple[int, Transition] | None]:
    index = process._index
    if trigger not in index.manual_triggers:
        raise UnknownNameError("trigger", trigger, Phrase("not a manual trigger of this process"))
    state = snapshot.state
    if index.states[state].terminal:
        return Explanation(trigger, state, False, False, _ENDED), None
    candidates = index.manual.get((state, trigger), ())
    if not candidates:
        return Explanation(trigger, state, False, False), None
    best: tuple[GuardResult, ...] | None = None
    for candidate in candidates:
        results = _evaluate(candidate[1], process, snapshot, at)
        for result in results:
            if not result.passed:
                break
        else:
            return make_explanation(trigger, state, True, True, results), candidate
        if best is None or _rank(results) < _rank(best):
            best = results
    return Explanation(trigger, state, True, False, best or ()), None


def _move(
    process: Process,
    snapshot: Snapshot,
    index: int,
    transition: Transition,
    results: tuple[GuardResult, ...],
    records: list[TransitionRecord],
) -> Snapshot:
    source = snapshot.state
    dest = driver(process).move(index, source)
    registers = snapshot.registers
    if transition.voids_declaration and has_signatures(registers):
        registers = without_signatures(registers)
    records.append(
        make_transition_record(transition.trigger, source, dest, transition.automatic, results)
    )
    return make_snapshot(
        dest, snapshot.parties, registers, source, snapshot.version, snapshot.at, None
    )


def _keys(event_type: type) -> tuple[str, ...]:
    """The fields of `event_type` its writes are keyed by (``"scores:{dimension}"``)."""
    writes = WRITES[event_type] or ()
    return tuple(
        sorted({field for name in writes for _, field, _, _ in _FORMAT.parse(name) if field})
    )


def _memo(process: Process, name: str) -> dict[Any, Any]:
    """A dict of the process's cache, made on first use (not an empty dict made on every call)."""
    cache = process._index.cache
    memo: dict[Any, Any] | None = cache.get(name)
    if memo is None:
        memo = cache[name] = {}
    return memo


def _kind_memo(process: Process, event: DataEvent) -> dict[Any, Any]:
    """What the process's engine noted for events of `event`'s kind (see `_still_failing`).

    An event's kind is its type and the values of the fields its writes are keyed by (an
    `Assessed` of trust writes another register than one of voice). The notes are nested dicts,
    one level per such field, so that finding them builds no key.
    """
    event_type = type(event)
    keys = _KEYS.get(event_type)
    if keys is None:
        keys = _KEYS[event_type] = _keys(event_type)
    kinds = _memo(process, "still failing")
    memo = kinds.get(event_type)
    if memo is None:
        memo = kinds[event_type] = {}
    for field in keys:
        value = getattr(event, field)
        inner = memo.get(value)
        if inner is None:
            inner = memo[value] = {}
        memo = inner
    return memo


def _unaffected(process: Process, event: DataEvent) -> frozenset[int]:
    """The automatic transitions whose guards read none of the registers `event` writes."""
    event_type = type(event)
    writes = WRITES[event_type]
    found: set[int] = set()
    if writes is not None and process.settings.max_score_age is None:
        fields = {key: getattr(event, key) for key in _KEYS[event_type]}
        written = frozenset(name.format_map(fields) for name in writes)
        for transitions in process._index.automatic.values():
            for index, transition in transitions:
                reads = reads_of(*transition.guards)
                if reads is not None and not overlap(reads, written):
                    found.add(index)
    return frozenset(found)


_FORMAT = string.Formatter()
_KEYS: dict[type, tuple[str, ...]] = {}
_UNAFFECTED = object()  # the key of what an event of a kind leaves unaffected, in its notes
_NOTHING: frozenset[int] = frozenset()


def _still_failing(process: Process, snapshot: Snapshot, event: DataEvent) -> frozenset[int]:
    """The automatic transitions that cannot fire after folding `event` into `snapshot`.

    Those that did not fire at `snapshot` (the engine noted them there) and read none of the
    registers the event writes: their guards give what they gave. Nothing when the event may
    write anything (a party joins or leaves), when scores age (``max_score_age``: time alone can
    make a condition hold), or when the snapshot was not made by this process's engine.
    """
    settled = snapshot._settled  # (the process's index, the transitions that did not fire)
    if not SHORTCUT or type(settled) is not tuple or settled[0] is not process._index:
        return _NOTHING
    # Kept per process and kind of event: what such an event leaves of what did not fire. The
    # sets are few (subsets of one state's automatic transitions), and the answer is itself the
    # next note, so the same set object comes back and its hash is not worked out again.
    memo = _kind_memo(process, event)
    known: frozenset[int] | None = memo.get(settled[1])
    if known is None:
        unaffected = memo.get(_UNAFFECTED)
        if unaffected is None:
            unaffected = memo[_UNAFFECTED] = _unaffected(process, event)
        known = memo[settled[1]] = settled[1] & unaffected
    return known


SHORTCUT = True
"""Skip the conditions an event cannot affect (a switch for the differential tests)."""


def _narrowed(
    process: Process, before: Snapshot, event: DataEvent, after: Snapshot, known: frozenset[int]
) -> frozenset[int]:
    """`known`, and the conditions that did not hold before and still do not for the one party
    `event` is about.

    An event that writes one party's own entries (a score) can make a condition that did not
    hold before hold only through that party: a built-in condition whose verdict is "some
    selected party has a finding" (``_holds_for``) is then asked about that party alone.
    """
    field = OF_PARTY.get(type(event))
    settled = before._settled
    if (
        field is None
        or not SHORTCUT
        or type(settled) is not tuple
        or settled[0] is not process._index
        or process.settings.max_score_age is not None
    ):
        return known
    # Which of them can be asked about one party: kept per process, as nested dicts.
    narrowing = _memo(process, "narrowing")
    by_known = narrowing.get(settled[1])
    if by_known is None:
        by_known = narrowing[settled[1]] = {}
    asks: tuple[tuple[int, Any], ...] | None = by_known.get(known)
    if asks is None:
        asks = by_known[known] = _asks(process, settled[1] - known)
    party = getattr(event, field)
    settings = process.settings
    more = [index for index, holds_for in asks if holds_for(after, settings, party) is False]
    return known.union(more) if more else known


def _asks(process: Process, indices: frozenset[int]) -> tuple[tuple[int, Any], ...]:
    """Of these automatic transitions, those a built-in condition is the whole of, with its
    `_holds_for` (its answer for one party: True, False, or None when it has none)."""
    transitions = process.transitions
    found = []
    for index in sorted(indices):
        guards = transitions[index].guards
        holds_for = getattr(guards[0], "_holds_for", None) if len(guards) == 1 else None
        if holds_for is not None:
            found.append((index, holds_for))
    return tuple(found)


def _carried(process: Process, before: Snapshot, moved: Snapshot) -> frozenset[int]:
    """The automatic transitions of `moved`'s state whose condition failed before the move.

    A manual move changes the state (and, when it voids the declaration, the signatures), not
    the registers: a condition that failed in the state left, reads neither and is the whole of
    a transition of the new state, fails there too. Nothing under the conditions of
    `_still_failing`.
    """
    settled = before._settled
    if (
        not SHORTCUT
        or type(settled) is not tuple
        or settled[0] is not process._index
        or process.settings.max_score_age is not None
    ):
        return frozenset()
    voided = moved.registers is not before.registers
    cache = process._index.cache
    key = ("carried", settled[1], moved.state, voided)
    if key not in cache:
        transitions = process.transitions
        failed = [transitions[i].guards[0] for i in settled[1] if len(transitions[i].guards) == 1]
        writes = frozenset({"state", "signatures"} if voided else {"state"})
        found: set[int] = set()
        for index, transition in process._index.automatic.get(moved.state, ()):
            if len(transition.guards) != 1:
                continue
            guard = transition.guards[0]
            reads = reads_of(guard)
            if reads is not None and not overlap(reads, writes) and any(guard == f for f in failed):
                found.add(index)
        cache[key] = frozenset(found)
    return cache[key]  # type: ignore[no-any-return]


def _regress(
    process: Process,
    snapshot: Snapshot,
    at: datetime,
    records: list[TransitionRecord],
    known: frozenset[int] = frozenset(),
) -> tuple[Snapshot, frozenset[int]]:
    """Try the automatic transitions in order; the first that holds fires, then again.

    `known` are transitions of the first state known not to fire (they are not evaluated); a
    transition's guards are evaluated in order until one fails (a regression that does not fire
    keeps no results). Returns the settled snapshot and the automatic transitions of its state
    that did not fire.
    """
    automatic = process._index.automatic
    settings = process.settings
    fired: set[int] = set()
    while True:
        failing: list[int] = []
        for index, transition in automatic.get(snapshot.state, ()):
            if index in fired:
                continue
            if index in known:
                failing.append(index)
                continue
            results: list[GuardResult] = []
            for guard in transition.guards:
                result = evaluate(guard, snapshot, settings, at)
                if not result.passed:
                    break
                results.append(result)
            else:
                fired.add(index)
                snapshot = _move(process, snapshot, index, transition, tuple(results), records)
                break
            failing.append(index)
        else:
            return snapshot, frozenset(failing)
        known = frozenset()


def apply(process: Process, snapshot: Snapshot, event: Event, at: datetime) -> Applied | Refused:
    """Apply `event` at `at`: `Applied`, `Refused`, or `InvalidEventError` (nothing changed)."""
    if type(event) in WRITES:
        return record_data(process, snapshot, event, at)  # type: ignore[arg-type]
    if type(event) is not Fire:
        raise InvalidEventError("event", event, Phrase("is not a coopflow event"))
    token = WORDS.set(process._index.words)
    try:
        records: list[TransitionRecord] = []
        explanation, chosen = _explain(process, snapshot, event.trigger, at)
        if chosen is None:
            return Refused(snapshot, explanation)
        index, transition = chosen
        moved = _move(process, snapshot, index, transition, explanation.results, records)
        known = _carried(process, snapshot, moved)
        settled, failing = _regress(process, moved, at, records, known)
    finally:
        WORDS.reset(token)
    return _applied(process, settled, failing, snapshot.version + 1, at, records)


def record_data(process: Process, snapshot: Snapshot, event: DataEvent, at: datetime) -> Applied:
    """Fold a data event (of a type `WRITES` knows), then try the regressions it can affect.

    `apply` for a data event, without asking what kind of event it is; `InvalidEventError` when
    the event does not fit the trajectory (nothing changed).
    """
    index = process._index
    state = snapshot.state
    if index.states[state].terminal:
        raise InvalidEventError("event", event, Phrase("the trajectory has ended"))
    # What fold_registers does, without asking again what kind of event it is.
    folded = event._fold(folding(snapshot.registers, snapshot.parties), index.context, at)
    registers, parties = Registers._indexed(folded), folded.parties
    known = _still_failing(process, snapshot, event)
    automatic = index.automatic.get(state, ())
    after = make_snapshot(
        state, parties, registers, snapshot.previous, snapshot.version + 1, at, None
    )
    if len(known) < len(automatic):
        known = _narrowed(process, snapshot, event, after, known)
    if len(known) == len(automatic):  # none can fire: nothing to evaluate
        _SETTLED(after, (index, known))
        return make_applied(after, ())
    records: list[TransitionRecord] = []
    token = WORDS.set(index.words)
    try:
        settled, failing = _regress(process, after, at, records, known)
    finally:
        WORDS.reset(token)
    if settled is after:  # nothing fired: the snapshot is already the one to keep
        _SETTLED(after, (index, failing))
        return make_applied(after, ())
    return _applied(process, settled, failing, snapshot.version + 1, at, records)


def _applied(
    process: Process,
    settled: Snapshot,
    failing: frozenset[int],
    version: int,
    at: datetime,
    records: list[TransitionRecord],
) -> Applied:
    # With the note the next data event reads (see _still_failing).
    after = make_snapshot(
        settled.state,
        settled.parties,
        settled.registers,
        settled.previous,
        version,
        at,
        (process._index, failing),
    )
    return make_applied(after, tuple(records))
