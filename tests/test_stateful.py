"""A rule-based state machine over random event sequences on the default process.

Rules record every kind of data event (valid and invalid ones), fire every manual trigger (also
where it is not valid), and jump ahead along the happy path so deep states are reached. After
every step the invariants of PROCESS.md that are cheap to check hold: 1 (a known state, nothing
changes once ended), 2 (no low score in agenda_setting to operating), 5 (checked in the rules:
a refused or invalid step changes nothing), 6 (replaying the history gives the same trajectory),
and the snapshot's version counts the applied records.
"""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import coopflow as cf
from tests import strategies as sts
from tests.strategies import Step

PROCESS = cf.default_process()
SETTINGS = PROCESS.settings
STATES = frozenset(state.id for state in PROCESS.states)
TERMINAL = frozenset(state.id for state in PROCESS.states if state.terminal)
DEEP = frozenset({"agenda_setting", "signing", "organising", "operating"})
ENERGY = (cf.Dimension.STAKE, cf.Dimension.URGENCY, cf.Dimension.IMPACT)

STATES_REACHED: Counter[str] = Counter()
"""How often each state was reached (after a step) across all runs of the machine."""


@settings(
    max_examples=50,
    stateful_step_count=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
class TrajectoryMachine(RuleBasedStateMachine):
    """One trajectory of the default process, driven by random rules."""

    def __init__(self) -> None:
        super().__init__()
        self.now = datetime(2018, 1, 8, 9, 0, tzinfo=UTC)
        parties = [cf.Party("gemeente"), cf.Party("uni")]
        self.t = cf.Trajectory.start(PROCESS, parties=parties, at=self.now)
        self.ended: cf.Snapshot | None = None

    # --- helpers ---------------------------------------------------------------------------

    def tick(self) -> datetime:
        """A later time than every earlier one (timezone-aware)."""
        self.now += timedelta(hours=1)
        return self.now

    @property
    def ids(self) -> tuple[str, ...]:
        """The current parties."""
        return self.t.snapshot.party_ids

    def record(self, data_event: sts.DataEvent) -> None:
        """Record an event that may be valid or not; an invalid one changes nothing."""
        snapshot, history = self.t.snapshot, self.t.history
        try:
            self.t.record(data_event, at=self.tick())
        except cf.InvalidEventError:
            assert self.t.snapshot == snapshot
            assert self.t.history == history
            event("invalid event")
        else:
            assert len(self.t.history) == len(history) + 1
            assert self.t.history[-1].outcome is cf.Outcome.APPLIED

    def reject(self, data_event: sts.DataEvent, at: datetime | None = None) -> None:
        """Record an event that must be rejected, and check that nothing changed."""
        snapshot, history = self.t.snapshot, self.t.history
        with pytest.raises(cf.InvalidEventError):
            self.t.record(data_event, at=at or self.tick())
        assert self.t.snapshot == snapshot
        assert self.t.history == history

    def fire(self, trigger: str, reason: str = "") -> bool:
        """Fire a trigger that may be refused; a refusal changes nothing but the history."""
        snapshot, history = self.t.snapshot, self.t.history
        at = self.tick()
        if self.t.can(trigger, at=at):
            self.t.fire(trigger, reason=reason, at=at)
            assert self.t.history[:-1] == history
            assert self.t.history[-1].outcome is cf.Outcome.APPLIED
            return True
        with pytest.raises(cf.TransitionRefused) as refusal:
            self.t.fire(trigger, reason=reason, at=at)
        assert refusal.value.explanation.trigger == trigger
        assert self.t.snapshot == snapshot
        assert self.t.history[:-1] == history
        last = self.t.history[-1]
        assert last.outcome is cf.Outcome.REFUSED
        assert last.event == cf.Fire(trigger, reason=reason)
        return False

    def take(self, step: Step) -> None:
        """Take a planned step, which must succeed."""
        if isinstance(step, cf.Fire):
            self.t.fire(step.trigger, reason=step.reason, at=self.tick())
        else:
            self.t.record(step, at=self.tick())

    # --- starting --------------------------------------------------------------------------

    @initialize(
        parties=sts.party_lists(),
        start=sts.aware_datetimes(),
        depth=st.integers(min_value=0, max_value=5),
        values=sts.plan_values(),
    )
    def start(
        self, parties: list[cf.Party], start: datetime, depth: int, values: sts.PlanValues
    ) -> None:
        """Start a trajectory with two to four parties, and take it `depth` states forward."""
        self.now = start
        self.t = cf.Trajectory.start(PROCESS, parties=parties, title="stateful", at=start)
        self.advance(depth, values)

    def advance(self, stages: int, values: sts.PlanValues) -> None:
        """Take valid steps along the happy path, `stages` states forward (or resume)."""
        for _ in range(stages):
            if self.t.state in TERMINAL:
                break
            plan, _ = sts.advance_plan(PROCESS, self.t.snapshot, values)
            for step in plan:
                self.take(step)

    # --- valid-looking data events, one rule per type ----------------------------------------

    @rule(data=st.data())
    def party_joins(self, data: st.DataObject) -> None:
        """A party joins (an existing one is rejected)."""
        self.record(data.draw(sts.party_joined(self.ids)))

    @rule(data=st.data())
    def party_leaves(self, data: st.DataObject) -> None:
        """A party leaves (an unknown one is rejected)."""
        self.record(data.draw(sts.party_left(self.ids)))

    @rule(data=st.data())
    def interest_shared(self, data: st.DataObject) -> None:
        """An interest is shared."""
        self.record(data.draw(sts.interest_shared(self.ids)))

    @rule(data=st.data())
    def value_named(self, data: st.DataObject) -> None:
        """A party names what it brings and gains."""
        self.record(data.draw(sts.value_named(self.ids)))

    @rule(data=st.data())
    def dependency_declared(self, data: st.DataObject) -> None:
        """A party depends on another."""
        self.record(data.draw(sts.dependency_declared(self.ids)))

    @rule(data=st.data())
    def assessed(self, data: st.DataObject) -> None:
        """A party is scored (boundary-biased)."""
        self.record(data.draw(sts.assessed(self.ids)))

    @rule(data=st.data())
    def contribution_committed(self, data: st.DataObject) -> None:
        """A party commits a contribution."""
        self.record(data.draw(sts.contribution_committed(self.ids)))

    @rule(data=st.data())
    def contribution_withdrawn(self, data: st.DataObject) -> None:
        """A party withdraws a contribution."""
        self.record(data.draw(sts.contribution_withdrawn(self.ids)))

    @rule(data=st.data())
    def decision_rule_set(self, data: st.DataObject) -> None:
        """The decision rule changes."""
        self.record(data.draw(sts.decision_rule_set(self.ids)))

    @rule(data=st.data())
    def agenda_proposed(self, data: st.DataObject) -> None:
        """An agenda version is proposed (a version not higher than the last is rejected)."""
        self.record(data.draw(sts.agenda_proposed(self.ids)))

    @rule(data=st.data())
    def agenda_approved(self, data: st.DataObject) -> None:
        """A party approves an agenda version."""
        self.record(data.draw(sts.agenda_approved(self.ids)))

    @rule(data=st.data())
    def declaration_signed(self, data: st.DataObject) -> None:
        """A party signs the declaration."""
        self.record(data.draw(sts.declaration_signed(self.ids)))

    @rule(data=st.data())
    def role_assigned(self, data: st.DataObject) -> None:
        """A party takes a role."""
        self.record(data.draw(sts.role_assigned(self.ids)))

    @rule(data=st.data())
    def budget_set(self, data: st.DataObject) -> None:
        """The budget is set."""
        self.record(data.draw(sts.budget_set(self.ids)))

    @rule(data=st.data())
    def theme_closed(self, data: st.DataObject) -> None:
        """A theme is closed."""
        self.record(data.draw(sts.theme_closed(self.ids)))

    @rule(data=st.data())
    def review_recorded(self, data: st.DataObject) -> None:
        """A review is recorded."""
        self.record(data.draw(sts.review_recorded(self.ids)))

    @rule(data=st.data())
    def disruption(self, data: st.DataObject) -> None:
        """A low score, a withdrawal, a party coming or going, a higher budget."""
        self.record(data.draw(sts.disruptions(self.ids)))

    # --- invalid data events --------------------------------------------------------------

    @rule(data=st.data())
    def rejected_event(self, data: st.DataObject) -> None:
        """An unknown party, a score off the scale, a lower version, ...: rejected, no change."""
        self.reject(data.draw(sts.rejected_events(self.t.snapshot)))

    @rule(data=st.data(), naive=sts.naive_datetimes())
    def naive_time(self, data: st.DataObject, naive: datetime) -> None:
        """Any data event at a naive time is rejected and changes nothing."""
        self.reject(data.draw(sts.data_events(self.ids)), at=naive)

    # --- triggers -------------------------------------------------------------------------

    @rule(fire=sts.fires())
    def fire_any(self, fire: cf.Fire) -> None:
        """Fire any manual trigger, valid in this state or not."""
        self.fire(fire.trigger, fire.reason)

    @rule(data=st.data())
    def fire_refused(self, data: st.DataObject) -> None:
        """Fire a trigger that cannot fire now: refused, and nothing but the history changes."""
        at = self.tick()
        blocked = [trigger for trigger in PROCESS.triggers if not self.t.can(trigger, at=at)]
        if blocked:
            assert not self.fire(data.draw(st.sampled_from(blocked)))

    @rule()
    def stall_and_resume(self) -> None:
        """Pause, then try to resume at once (refused when the remembered state's guards fail)."""
        if self.fire("stall", "elections"):
            self.fire("resume")

    @precondition(lambda self: self.t.state not in TERMINAL)
    @rule(stages=st.integers(min_value=1, max_value=5), values=sts.plan_values())
    def jump_ahead(self, stages: int, values: sts.PlanValues) -> None:
        """Take valid steps along the happy path, one to five states forward (or a resume)."""
        self.advance(stages, values)

    # --- invariants -------------------------------------------------------------------------

    @invariant()
    def state_is_known_and_final_once_ended(self) -> None:
        """Invariant 1: one of the nine states; in a terminal one nothing changes any more."""
        state = self.t.state
        assert state in STATES
        STATES_REACHED[state] += 1
        event(f"state {state}")
        if self.ended is not None:
            assert self.t.snapshot == self.ended
        elif state in TERMINAL:
            self.ended = self.t.snapshot

    @invariant()
    def deep_states_keep_the_culture(self) -> None:
        """Invariant 2: in agenda_setting to operating, no present score under 3.0."""
        if self.t.state in DEEP:
            assert sts.scores_under_the_floor(self.t.snapshot) == []

    @invariant()
    def replay_gives_the_same_trajectory(self) -> None:
        """Invariant 6: replaying the history gives an equal trajectory."""
        assert cf.Trajectory.replay(PROCESS, self.t.history) == self.t

    @invariant()
    def version_counts_applied_records(self) -> None:
        """The snapshot's version is the number of applied records."""
        applied = [r for r in self.t.history if r.outcome is cf.Outcome.APPLIED]
        assert self.t.snapshot.version == len(applied)


TestTrajectory = TrajectoryMachine.TestCase
