"""`ProcessStateMachine`: a Hypothesis stateful test of a process, written for you."""

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import coopflow as cf
from coopflow import rules as cr
from coopflow._events import DataEvent
from coopflow._text import Phrase, shown
from coopflow._witness import witness
from coopflow.exceptions import CoopflowError
from coopflow.testing._paths import shortest_paths

try:
    from hypothesis import currently_in_test_context, note
    from hypothesis import strategies as st
    from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
except ImportError as error:  # coopflow installed without its `testing` extra
    raise cf.MissingExtraError(
        "hypothesis", extra="testing", needed_by="coopflow.testing.ProcessStateMachine"
    ) from error

from coopflow.testing import strategies
from coopflow.testing.strategies import _named

_T0 = datetime(2018, 6, 14, 10, tzinfo=UTC)
_STEPS = st.integers(min_value=0, max_value=16)
_CHOICES = st.lists(st.integers(min_value=0, max_value=255), max_size=8)
_RULES = (cr.Precedes, cr.NeverAfter, cr.Sometimes, cr.Always, cr.AlwaysStep)


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


def _checked_rules(process: cf.Process, given: Iterable[object]) -> tuple[cr.Rule, ...]:
    """The rules, each a rule of `coopflow.rules` naming states the process has."""
    checked: list[cr.Rule] = []
    for given_rule in given:
        if not isinstance(given_rule, _RULES):
            raise cf.InvalidProcessError(
                [Phrase("{rule} is not a rule of coopflow.rules", rule=shown(given_rule))]
            )
        names: tuple[str, ...] = ()
        if isinstance(given_rule, cr.Precedes):
            names = (given_rule.first, given_rule.then)
        elif isinstance(given_rule, cr.NeverAfter):
            names = given_rule.states
        elif isinstance(given_rule, cr.Sometimes):
            names = (given_rule.state,)
        for name in names:
            process.state(name)  # UnknownNameError for a state the process does not have
        checked.append(given_rule)
    return tuple(checked)


def _members(process: cf.Process, parties: tuple[str | cf.Party, ...]) -> tuple[cf.Party, ...]:
    """The parties a run starts with: the ids the guards name join, the first carries the tags."""
    named = _named(process)
    given = [party if isinstance(party, cf.Party) else cf.Party(party) for party in parties]
    ids = {party.id for party in given}
    given += [cf.Party(id) for id in dict.fromkeys(named["party"]) if id not in ids]
    tags = frozenset(process.vocabulary.tags) | frozenset(named["tag"])
    if tags and not any(party.tags for party in given):
        first = given[0]
        given[0] = cf.Party(first.id, name=first.name, sector=first.sector, tags=tags)
    return tuple(given)


class ProcessStateMachine(RuleBasedStateMachine):
    """A stateful Hypothesis test of a process: subclass it with ``process=`` (and ``rules=``).

    The subclass gets one rule per manual trigger, one per kind of data event (ids drawn from
    small pools that hold the process's own words and every id the checker's witnesses write),
    and `steer`, which picks a transition out of the current state, records events that make
    its failing guards hold and fires it, so runs go deep. Each run starts from a shortest path
    to a random reachable state, with the parties in `parties` (a tag the process declares goes
    to the first of them). After every step it checks that the history replays to the same
    trajectory and that serialising and loading gives it back, and every step checks that a
    refused or invalid event changes nothing and that a terminal state absorbs everything.

    With ``rules=`` (rules of `coopflow.rules`), every step checks them on the real run as well:
    `precedes`, `never_after`, `always` and `always_step` over the run's configurations (a run
    cannot refute `sometimes`, so it is accepted and not checked), failing with the path taken.
    Add your own ``@rule`` and ``@invariant`` methods; `trajectory` is the current trajectory
    and `apply` feeds it an event with those checks.

    Raises:
        InvalidProcessError: `process` is not a `Process`, or a rule is not one of
            `coopflow.rules`.
        UnknownNameError: a rule names a state the process does not have.

    Example:
        >>> import coopflow as cf
        >>> from hypothesis import settings
        >>> from coopflow import rules
        >>> from coopflow.testing import ProcessStateMachine
        >>> class Default(ProcessStateMachine, process=cf.default_process(),
        ...               rules=[rules.precedes("building_culture", "agenda_setting")]):
        ...     pass
        >>> Default.TestCase.settings = settings(max_examples=3, stateful_step_count=5,
        ...                                      deadline=None, derandomize=True)
        >>> Default.TestCase().runTest()
    """

    process: ClassVar[cf.Process]
    parties: ClassVar[tuple[str | cf.Party, ...]] = strategies.PARTY_IDS[:2]
    process_rules: ClassVar[tuple[cr.Rule, ...]] = ()
    trajectory: cf.Trajectory
    now: datetime

    def __init_subclass__(
        cls,
        *,
        process: cf.Process | None = None,
        rules: Iterable[object] = (),
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        if process is None:
            return
        if not isinstance(process, cf.Process):
            raise cf.InvalidProcessError(
                [Phrase("process {process} is not a coopflow Process", process=shown(process))]
            )
        cls.process_rules = _checked_rules(process, rules)
        cls.process = process
        for trigger in process.triggers:
            setattr(cls, f"fire_{trigger}", _fire_rule(trigger))
        members = _members(process, cls.parties)
        ids = (*(party.id for party in members), strategies.PARTY_IDS[-1])
        for kind, strategy in strategies.event_strategies(process, ids).items():
            name = "".join(f"_{c.lower()}" if c.isupper() else c for c in kind.__name__)[1:]
            setattr(cls, f"record_{name}", _record_rule(name, strategy))
        # As text, so that a failing run prints the path it started from as one readable line.
        paths = sorted(str(path) for path in shortest_paths(process).values())

        def start_from_a_reachable_state(
            self: "ProcessStateMachine", path: str, steps: int, choices: list[int]
        ) -> None:
            self.trajectory = cf.Path.parse(path).replay(process, parties=members, at=_T0)
            self.now = _T0
            self._begin()
            self._walk(steps, choices)

        cls.start_from_a_reachable_state = initialize(
            path=st.sampled_from(paths), steps=_STEPS, choices=_CHOICES
        )(start_from_a_reachable_state)

    # --- the run's configurations, for the rules ------------------------------------------------

    def _begin(self) -> None:
        """Follow the rules from the start of the history (the replayed path included)."""
        initial = self.process.initial
        self._firsts = frozenset(r.first for r in self.process_rules if isinstance(r, cr.Precedes))
        self._config = cr.Configuration(initial, None, frozenset({initial}) & self._firsts)
        self._steps: list[cf.Step] = []
        self._followed = 1  # the Started record
        self._entered: Counter[str] = Counter({initial: 1})
        self._round_tripped = 1
        for checked in self.process_rules:
            if isinstance(checked, cr.Always) and not checked.predicate(self._config):
                raise AssertionError(f"rule {checked.name!r} is broken in {initial!r}")
        self.the_rules_hold()

    def _broken(self, step: cf.Step, before: cr.Configuration, after: cr.Configuration) -> str:
        """The name of the first rule this step breaks, or an empty string."""
        for checked in self.process_rules:
            match checked:
                case cr.Precedes() if step.dest == checked.then:
                    broken = checked.first not in before.passed
                case cr.NeverAfter():
                    broken = before.state in checked.states and after.state != before.state
                case cr.Always():
                    broken = not checked.predicate(after)
                case cr.AlwaysStep():
                    broken = not checked.predicate(before, step, after)
                case _:  # sometimes: a run cannot refute it; precedes of another state
                    broken = False
            if broken:
                return checked.name
        return ""

    @invariant()
    def the_rules_hold(self) -> None:
        """Every rule given with ``rules=`` holds for every step the run has taken so far."""
        history = self.trajectory.history
        for record in history[self._followed :]:
            for position, made in enumerate(record.transitions):
                step = cf.Step(
                    made.trigger,
                    made.source,
                    made.dest,
                    automatic=made.automatic,
                    chained=position > 0,
                )
                before = self._config
                passed = before.passed | (frozenset({made.dest}) & self._firsts)
                after = cr.Configuration(made.dest, made.source, passed)
                self._steps.append(step)
                self._config = after
                self._entered[made.dest] += 1
                name = self._broken(step, before, after)
                if name:
                    path = cf.Path(self.process.initial, tuple(self._steps))
                    raise AssertionError(f"rule {name!r} is broken: {path}")
        self._followed = len(history)

    # --- steering -------------------------------------------------------------------------------

    def _holds(self, guard: Any) -> bool:
        t = self.trajectory
        result: cf.GuardResult = guard(t.snapshot, self.process.settings, self.now)
        return result.passed

    def _options(self) -> list[Any]:
        """The transitions out of the current state, the least tried first.

        Ordered by how often this run entered their destination (never first), terminal
        destinations last, then as defined.
        """
        here = self.trajectory.state
        states = self.process
        return sorted(
            (transition for transition in states.transitions if here in transition.source),
            key=lambda transition: (
                states.state(transition.dest).terminal,
                self._entered[transition.dest],
            ),
        )

    def _take(self, transition: Any) -> None:
        """Record the witnesses of `transition`'s failing guards, then fire it if manual."""
        t = self.trajectory
        here = t.state
        for guard in transition.guards:
            if t.state != here or self._holds(guard):
                continue
            try:
                events = witness(guard, t.snapshot, self.process.settings, True)
            except CoopflowError:
                continue  # no witness known: leave it to the random events
            for event in events:
                self.apply(event)
        if not transition.automatic and t.state == here:
            self.apply(cf.Fire(transition.trigger))
        self.the_rules_hold()

    def _walk(self, steps: int, choices: list[int]) -> None:
        """Take `steps` transitions, making their failing guards hold first (see `steer`)."""
        for taken in range(steps):
            options = self._options()
            if not options:
                return  # a terminal state: nothing leaves it
            # Seven in eight choices, and every step past the choices, take the least tried
            # transition; the others one further.
            choice = choices[taken] if taken < len(choices) else 0
            rank = next((rank for rank, low in enumerate((32, 8, 2, 1)) if choice >= low), 0)
            transition = options[rank % len(options)]
            if currently_in_test_context():  # a failing run prints the steps it steered
                note(
                    f"steer: {transition.trigger} from {self.trajectory.state} to {transition.dest}"
                )
            self._take(transition)

    @rule(steps=st.integers(min_value=1, max_value=16), choices=_CHOICES)
    def steer(self, steps: int, choices: list[int]) -> None:
        """Take `steps` transitions, each time making the guards of the one chosen hold first.

        Each step takes a transition out of the current state, in the order of `_options`:
        the least tried one, unless the step's byte in `choices` is 1 to 31 (1 in 8 of them),
        which picks one further. Steps past the choices take the least tried one, so a walk
        goes somewhere new. For each guard that fails, the events of its witness (the
        checker's, or a custom guard's own ``witness``) are recorded; then a manual transition
        is fired. A guard without a witness is left as it is; a terminal state ends the walk.
        The start of every run takes such a walk too.
        """
        self._walk(steps, choices)

    # --- applying -------------------------------------------------------------------------------

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

    def _round_trips(self, *, at_the_end: bool = False) -> None:
        """Replaying and reloading give the trajectory back (checked as the history doubles).

        Replay and load check every record, so checking when the history has doubled, and
        at the end of the run, covers every step at a cost linear in the run's length.
        """
        t = self.trajectory
        length = len(t.history)
        if not at_the_end and length < 2 * self._round_tripped:
            return
        self._round_tripped = length
        assert cf.Trajectory.replay(self.process, t.history) == t, "the history replays otherwise"
        assert cf.loads(cf.dumps(t), process=self.process) == t, "loading gives another trajectory"

    @invariant()
    def history_replays_and_loads_to_the_trajectory(self) -> None:
        """Replaying the history, and serialising and loading, give the same trajectory."""
        self._round_trips()

    def teardown(self) -> None:
        """At the end of a run, replaying and reloading give the whole trajectory back."""
        if getattr(self, "_round_tripped", 0):
            self._round_trips(at_the_end=True)
