"""`ProcessStateMachine`: a Hypothesis stateful test of a process, written for you."""

from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import coopflow as cf
from coopflow._events import DataEvent
from coopflow._text import Phrase
from coopflow.exceptions import shown
from coopflow.testing._paths import shortest_paths

try:
    from hypothesis import strategies as st
    from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
except ImportError as error:  # coopflow installed without its `testing` extra
    raise cf.MissingExtraError(
        "hypothesis", extra="testing", needed_by="coopflow.testing.ProcessStateMachine"
    ) from error

from coopflow.testing import strategies

_T0 = datetime(2018, 6, 14, 10, tzinfo=UTC)


def _fire_rule(trigger: str) -> Any:
    def fire(self: "ProcessStateMachine") -> None:
        self.apply(cf.Fire(trigger))

    fire.__name__ = f"fire_{trigger}"
    return rule()(fire)


def _record_rule(name: str, strategy: st.SearchStrategy[DataEvent]) -> Any:
    def record(self: "ProcessStateMachine", event: DataEvent) -> None:
        self.apply(event)

    record.__name__ = f"record_{name}"
    return rule(event=strategy)(record)


class ProcessStateMachine(RuleBasedStateMachine):
    """A stateful Hypothesis test of a process: subclass it with ``process=``.

    The subclass gets one rule per manual trigger and one per kind of data event, starts each
    run from a shortest path to a random reachable state (so deep states are reached), and checks
    after every step that the history replays to the same trajectory and that serialising and
    loading gives it back. Every step also checks that a refused or invalid event changes
    nothing and that a terminal state absorbs everything. Add your own ``@rule`` and
    ``@invariant`` methods; `trajectory` is the current trajectory and `apply` feeds it an
    event with those checks.

    Example:
        >>> import coopflow as cf
        >>> from hypothesis import settings
        >>> from coopflow.testing import ProcessStateMachine
        >>> class Default(ProcessStateMachine, process=cf.default_process()):
        ...     pass
        >>> Default.TestCase.settings = settings(max_examples=3, stateful_step_count=5,
        ...                                      deadline=None, derandomize=True)
        >>> Default.TestCase().runTest()
    """

    process: ClassVar[cf.Process]
    parties: ClassVar[tuple[str, ...]] = strategies.PARTY_IDS[:2]
    trajectory: cf.Trajectory
    now: datetime

    def __init_subclass__(cls, *, process: cf.Process | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if process is None:
            return
        if not isinstance(process, cf.Process):
            raise cf.InvalidProcessError(
                [Phrase("process {process} is not a coopflow Process", process=shown(process))]
            )
        cls.process = process
        for trigger in process.triggers:
            setattr(cls, f"fire_{trigger}", _fire_rule(trigger))
        ids = (*cls.parties, strategies.PARTY_IDS[-1])
        for kind, strategy in strategies.event_strategies(process, ids).items():
            name = "".join(f"_{c.lower()}" if c.isupper() else c for c in kind.__name__)[1:]
            setattr(cls, f"record_{name}", _record_rule(name, strategy))
        paths = sorted(shortest_paths(process).values(), key=str)

        def start(self: "ProcessStateMachine", path: cf.Path) -> None:
            members = tuple(cf.Party(party) for party in self.parties)
            self.trajectory = path.replay(process, parties=members, at=_T0)
            self.now = _T0

        cls.start_from_a_reachable_state = initialize(path=st.sampled_from(paths))(start)

    def apply(self, event: DataEvent | cf.Fire) -> cf.Applied | None:
        """Feed `event` to the trajectory; check that a refusal or bad input changes nothing.

        Returns the `Applied` result, or None when the event was refused or invalid.
        """
        t = self.trajectory
        self.now += timedelta(days=1)
        before, length = t.snapshot, len(t.history)
        ended = self.process.state(t.state).terminal
        try:
            if isinstance(event, cf.Fire):
                applied = t.fire(event.trigger, at=self.now)
            else:
                applied = t.record(event, at=self.now)
        except cf.TransitionRefused:
            assert t.snapshot == before, "a refused trigger changed the snapshot"
            assert len(t.history) == length + 1, "a refused trigger was not logged once"
            return None
        except cf.InvalidEventError:
            assert t.snapshot == before, "an invalid event changed the snapshot"
            assert len(t.history) == length, "an invalid event was logged"
            return None
        assert not ended, f"the terminal state {before.state!r} was left or changed"
        return applied

    @invariant()
    def history_replays_to_the_trajectory(self) -> None:
        """Replaying the history gives the same trajectory."""
        assert cf.Trajectory.replay(self.process, self.trajectory.history) == self.trajectory

    @invariant()
    def serialising_and_loading_gives_it_back(self) -> None:
        """Serialising and loading gives an equal trajectory."""
        text = cf.dumps(self.trajectory)
        assert cf.loads(text, process=self.process) == self.trajectory
