"""What the engine answers, as plain frozen data: results, explanations, records."""

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from coopflow._events import Event, Started
from coopflow._i18n import check_locale, render
from coopflow._make import maker

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    from coopflow._process import Process
    from coopflow._snapshot import Snapshot

_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})


def _to_params(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value)) if value else _NO_PARAMS


@attrs.frozen
class Failure:
    """One reason a guard failed (or a regression condition held), for one party or for all.

    Attributes:
        party: the id of the party concerned, or None when it concerns the whole trajectory.
        key: the message key (stable; tests and interfaces compare keys, not texts).
        params: the values the message needs.

    Example:
        >>> import coopflow as cf
        >>> failure = cf.Failure("uni", "score_missing", {"name": "Tilburg University",
        ...                                               "dimension": "trust"})
        >>> failure.message("nl")
        'voor Tilburg University is nog geen score voor vertrouwen vastgelegd'
    """

    party: str | None
    key: str
    params: Mapping[str, Any] = attrs.field(default=_NO_PARAMS, converter=_to_params)

    def message(self, locale: str = "en") -> str:
        """This failure as a sentence in `locale` (``"en"`` or ``"nl"``)."""
        return render(self.key, self.params, locale)


@attrs.frozen
class GuardResult:
    """The result of one guard (or regression condition): did it pass, and if not, why.

    For a regression condition, `passed` means the condition holds and `failures` lists the
    findings that make it hold.

    Example:
        >>> import coopflow as cf
        >>> cf.GuardResult("trust", True).failures
        ()
    """

    guard: str
    passed: bool
    failures: tuple[Failure, ...] = ()


class Outcome(StrEnum):
    """What became of a history record's event.

    Example:
        >>> import coopflow as cf
        >>> cf.Outcome.REFUSED.value
        'refused'
    """

    STARTED = "started"
    APPLIED = "applied"
    REFUSED = "refused"


@attrs.frozen
class Explanation:
    """The answer to "may we fire this trigger now, and if not, why not?".

    Attributes:
        trigger: the trigger asked about.
        state: the state it was asked in.
        valid_in_state: whether the trigger leaves this state at all.
        allowed: whether it would fire now.
        results: one `GuardResult` per guard of the transition, every guard evaluated.

    Example:
        >>> import coopflow as cf
        >>> t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")])
        >>> explanation = t.explain("form_culture")
        >>> explanation.allowed, [result.guard for result in explanation.results]
        (False, ['common_ground'])
    """

    trigger: str
    state: str
    valid_in_state: bool
    allowed: bool
    results: tuple[GuardResult, ...] = ()

    @property
    def failures(self) -> tuple[Failure, ...]:
        """Every failure of every guard that did not pass, in guard order."""
        return tuple(f for result in self.results if not result.passed for f in result.failures)

    def message(self, locale: str = "en", *, process: "Process | None" = None) -> str:
        """The whole answer as text; with `process`, states and triggers show their labels.

        Example:
            >>> import coopflow as cf
            >>> p = cf.default_process()
            >>> t = cf.Trajectory.start(p, parties=[cf.Party("a"), cf.Party("b")])
            >>> print(t.explain("organise").message("nl", process=p))
            ‘Programmabureau inrichten’ is niet mogelijk vanuit de fase Verkenning
        """
        check_locale(locale)
        trigger, state = self.trigger, self.state
        if process is not None:
            trigger = process.label(trigger, locale=locale)
            state = process.label(state, locale=locale)
        params = {"trigger": trigger, "state": state}
        if self.state_is_terminal:
            return render("ended", {}, locale)
        if not self.valid_in_state:
            return render("not_valid_in_state", params, locale)
        if self.allowed:
            return render("allowed", params, locale)
        lines = [render("refused", params, locale)]
        lines.extend(f"- {failure.message(locale)}" for failure in self.failures)
        return "\n".join(lines)

    @property
    def state_is_terminal(self) -> bool:
        """True when the trajectory had ended: nothing can fire any more."""
        return not self.valid_in_state and self.results == _ENDED


def guard_result(kind: str, failures: list[Failure]) -> GuardResult:
    """The result of a guard of `kind`: it passes when nothing failed.

    A result is immutable, so a guard that passes gets one shared result per kind: the common
    case builds nothing (and keeps nothing more in a record for the garbage collector).

    Example:
        >>> from coopflow._results import guard_result
        >>> guard_result("trust", []) is guard_result("trust", [])
        True
    """
    return GuardResult(kind, False, tuple(failures)) if failures else _bare(kind, True)


def condition_result(kind: str, findings: list[Failure]) -> GuardResult:
    """The result of a condition of `kind`: it holds when something was found.

    A condition that does not hold gets one shared result per kind, as a passing guard does.

    Example:
        >>> from coopflow._results import condition_result
        >>> condition_result("quorum_lost", []).passed
        False
    """
    return GuardResult(kind, True, tuple(findings)) if findings else _bare(kind, False)


def _bare(kind: str, passed: bool) -> GuardResult:
    """The one shared result of `kind` with this verdict and no failures."""
    shared = _BARE[passed]
    found = shared.get(kind)
    if found is None:
        found = shared[kind] = GuardResult(kind, passed)
    return found


# The shared results without failures, per verdict and kind (kinds are few: those registered).
_BARE: dict[bool, dict[str, GuardResult]] = {True: {}, False: {}}


# A terminal state answers every trigger with this one result.
_ENDED = (GuardResult("ended", False, (Failure(None, "ended"),)),)


@attrs.frozen
class TransitionRecord:
    """One transition an event caused, with the guard or condition results that allowed it.

    Example:
        >>> import coopflow as cf
        >>> cf.TransitionRecord("stall", "exploring", "stalled", False).automatic
        False
    """

    trigger: str
    source: str
    dest: str
    automatic: bool
    results: tuple[GuardResult, ...] = attrs.field(kw_only=True, default=())


@attrs.frozen
class Applied:
    """The engine applied an event: the new snapshot and every transition it caused.

    Example:
        >>> import coopflow as cf
        >>> t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")])
        >>> applied = t.fire("stall")
        >>> applied.snapshot.state, [tr.dest for tr in applied.transitions]
        ('stalled', ['stalled'])
    """

    snapshot: "Snapshot"
    transitions: tuple[TransitionRecord, ...] = ()


@attrs.frozen
class Refused:
    """The engine refused a trigger: the unchanged snapshot and the explanation.

    Example:
        >>> import coopflow as cf
        >>> p = cf.default_process()
        >>> t = cf.Trajectory.start(p, parties=[cf.Party("a"), cf.Party("b")])
        >>> p.apply(t.snapshot, cf.Fire("set_agenda")).explanation.valid_in_state
        False
    """

    snapshot: "Snapshot"
    explanation: Explanation


@attrs.frozen
class Record:
    """One entry of a trajectory's audit log.

    Attributes:
        seq: its position in the history, from 0 (the start).
        at: when it happened (timezone-aware).
        actor: who did it, if given.
        event: the event, the `Fire` request, or the `Started` record.
        outcome: started, applied or refused.
        transitions: the transitions it caused, automatic ones included, each with its results.
        explanation: for a refused trigger, why.

    Example:
        >>> import coopflow as cf
        >>> t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")])
        >>> t.history[0].outcome
        <Outcome.STARTED: 'started'>
    """

    seq: int
    at: datetime
    actor: str | None
    event: Event | Started
    outcome: Outcome
    transitions: tuple[TransitionRecord, ...] = ()
    explanation: Explanation | None = attrs.field(kw_only=True, default=None)

    @property
    def results(self) -> tuple[GuardResult, ...]:
        """The guard or condition results of its transitions, or of the refused trigger."""
        if self.explanation is not None:
            return self.explanation.results
        return tuple(result for tr in self.transitions for result in tr.results)


# How the engine and a trajectory build these on every event: through their slots, equal to
# what their __init__ builds (see coopflow._make); one value per field, in order.
make_explanation = maker(Explanation)
make_transition_record = maker(TransitionRecord)
make_applied = maker(Applied)
make_record = maker(Record)
