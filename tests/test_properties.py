"""Property tests: the invariants 1-9 of PROCESS.md, on the default process.

Random event sequences rarely get far, so most properties start from a random prefix of the happy
path (exploring to completed, with hypothesis-chosen scores at or above 3.5, money and decision
rule) and continue with random events and triggers. Each property checks its invariant on every
step it observed, and independently of the guards where it can (from the registers).
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from string import Formatter

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import coopflow as cf
from coopflow._i18n import CATALOGUE
from tests import strategies as sts
from tests.strategies import Step

PROCESS = cf.default_process()
SETTINGS = PROCESS.settings
STATES = frozenset(state.id for state in PROCESS.states)
TERMINAL = frozenset(state.id for state in PROCESS.states if state.terminal)
DEEP = frozenset({"agenda_setting", "signing", "organising", "operating"})
ENERGY = (cf.Dimension.STAKE, cf.Dimension.URGENCY, cf.Dimension.IMPACT)
LOCALES = ("en", "nl")


def _reaching(target: str) -> frozenset[str]:
    """The states from which `target` can be reached along the process's transitions."""
    reached = {target}
    changed = True
    while changed:
        changed = False
        for transition in PROCESS.transitions:
            if transition.dest in reached:
                for source in transition.source:
                    if source not in reached:
                        reached.add(source)
                        changed = True
    return frozenset(reached)


REACHES_COMPLETED = _reaching("completed")


# --- running steps ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Observation:
    """One step as it happened: the snapshots and history lengths around it, and its outcome."""

    step: Step
    at: datetime
    before: cf.Snapshot
    after: cf.Snapshot
    history_before: int
    history_after: int
    result: cf.Applied | None
    error: cf.InvalidEventError | cf.TransitionRefused | None


def perform(t: cf.Trajectory, step: Step, at: datetime) -> cf.Applied:
    """Record a data event or fire a trigger."""
    if isinstance(step, cf.Fire):
        return t.fire(step.trigger, reason=step.reason, at=at)
    return t.record(step, at=at)


@dataclass
class Run:
    """A trajectory driven step by step, every step observed."""

    t: cf.Trajectory
    clock: sts.Clock
    observations: list[Observation] = field(default_factory=list)

    def do(self, step: Step, *, strict: bool = False) -> Observation:
        """Take one step; with `strict`, an invalid or refused step is an error of the test."""
        before, history_before, at = self.t.snapshot, len(self.t.history), self.clock()
        result: cf.Applied | None = None
        error: cf.InvalidEventError | cf.TransitionRefused | None = None
        try:
            result = perform(self.t, step, at)
        except (cf.InvalidEventError, cf.TransitionRefused) as caught:
            if strict:
                raise
            error = caught
        observation = Observation(
            step, at, before, self.t.snapshot, history_before, len(self.t.history), result, error
        )
        self.observations.append(observation)
        return observation

    def do_all(self, steps: Sequence[Step], *, strict: bool = False) -> None:
        """Take every step in turn."""
        for step in steps:
            self.do(step, strict=strict)

    def applied(self) -> Iterator[Observation]:
        """The observations whose step was applied."""
        return (o for o in self.observations if o.result is not None)

    def complete(self, values: sts.PlanValues, rounds: int = 12) -> None:
        """Drive the trajectory to `completed` with valid steps, state by state."""
        for _ in range(rounds):
            if self.t.state in TERMINAL:
                break
            plan, _ = sts.advance_plan(PROCESS, self.t.snapshot, values)
            self.do_all(plan, strict=True)
        assert self.t.state == "completed", f"completed not reached, stuck in {self.t.state}"


@dataclass(frozen=True)
class Scenario:
    """First parties and times, a prefix of the happy path, then random steps."""

    parties: tuple[cf.Party, ...]
    times: tuple[datetime, ...]
    happy: tuple[Step, ...]
    steps: tuple[Step, ...]

    def run(self) -> Run:
        """Start the trajectory and take every step (the happy ones must all succeed)."""
        clock = sts.Clock(self.times)
        t = cf.Trajectory.start(PROCESS, parties=self.parties, title="property", at=clock())
        run = Run(t, clock)
        run.do_all(self.happy, strict=True)
        event(f"after the happy prefix: {t.state}")
        run.do_all(self.steps)
        event(f"after the random steps: {t.state}")
        for observation in run.observations:
            for transition in observation.result.transitions if observation.result else ():
                event(f"transition {transition.trigger}: {transition.source} -> {transition.dest}")
        return run


@st.composite
def scenarios(draw: st.DrawFn, *, max_steps: int = 30) -> Scenario:
    """A random prefix of the happy path (often deep), followed by random steps."""
    parties = tuple(draw(sts.party_lists()))
    times = draw(sts.increasing_datetimes(max_size=30))
    start = cf.Snapshot(PROCESS.initial, parties, at=times[0])
    stages = sts.happy_stages(PROCESS, start, "operating", draw(sts.plan_values()))
    # Every state of the happy path equally often, and now and then half-way to the next.
    passed = draw(st.integers(min_value=0, max_value=len(stages)))
    happy = [step for stage in stages[:passed] for step in stage]
    if passed < len(stages) and draw(st.booleans()):
        happy += stages[passed][: draw(st.integers(min_value=0, max_value=len(stages[passed])))]
    ids = [party.id for party in parties]
    steps: list[Step] = draw(st.lists(sts.steps(ids), min_size=4, max_size=max_steps))
    if draw(st.booleans()):
        # A pause and a resumption somewhere among the random steps (rare by chance alone).
        pause = draw(st.integers(min_value=0, max_value=len(steps)))
        steps.insert(pause, cf.Fire("stall", reason="elections"))
        steps.insert(
            draw(st.integers(min_value=pause + 1, max_value=len(steps))), cf.Fire("resume")
        )
    return Scenario(parties, times, tuple(happy), tuple(steps))


# --- independent readings of the registers -------------------------------------------------------


def approved_version(snapshot: cf.Snapshot) -> cf.AgendaVersion | None:
    """The highest agenda version every current party approved."""
    ids = set(snapshot.party_ids)
    candidates = [v for v in snapshot.registers.agenda if ids <= v.approvals]
    return max(candidates, key=lambda v: v.version, default=None)


def unsigned(snapshot: cf.Snapshot) -> list[str]:
    """The current parties without a signature on the approved version (all, if none is)."""
    approved = approved_version(snapshot)
    if approved is None:
        return list(snapshot.party_ids)
    signed = {s.party for s in snapshot.registers.signatures if s.version == approved.version}
    return [party for party in snapshot.party_ids if party not in signed]


def agenda_entry_problems(snapshot: cf.Snapshot) -> list[str]:
    """Why trust, reciprocity, equal standing or energy do not hold (empty when they do)."""
    problems: list[str] = []
    entry, floor = SETTINGS.entry_threshold, SETTINGS.regression_threshold
    r = snapshot.registers
    ids = snapshot.party_ids
    for party in ids:
        for dimension in (cf.Dimension.TRUST, cf.Dimension.VOICE):
            score = sts.mean_score(snapshot, party, dimension)
            if score is None or score < entry:
                problems.append(f"{party} {dimension.value} {score}")
        if not any(c.party == party and not c.withdrawn for c in r.contributions):
            problems.append(f"{party} committed nothing")
        if not any(v.party == party for v in r.values):
            problems.append(f"{party} named no gain")
        energy = [sts.mean_score(snapshot, party, dimension) for dimension in ENERGY]
        present = [score for score in energy if score is not None]
        if len(present) < len(ENERGY) or min(present) < floor or sum(present) / 3 < entry:
            problems.append(f"{party} energy {energy}")
    if r.decision_rule is cf.DecisionRule.WEIGHTED:
        total = sum(r.weights.get(party, 0.0) for party in ids)
        for party in ids:
            share = r.weights.get(party, 0.0) / total if total else 0.0
            if share == 0 or share > SETTINGS.max_weight_share:
                problems.append(f"{party} share {share}")
    return problems


def operating_entry_problems(snapshot: cf.Snapshot) -> list[str]:
    """Why the budget is not covered or the roles not assigned (empty when they are)."""
    problems: list[str] = []
    r = snapshot.registers
    ids = set(snapshot.party_ids)
    cash = sum((c.cash for c in r.contributions if not c.withdrawn), Decimal(0))
    if r.budget is None or r.budget <= 0:
        problems.append(f"budget {r.budget}")
    elif cash < r.budget * Decimal(str(SETTINGS.coverage)):
        problems.append(f"cash {cash} under budget {r.budget}")
    held = {role.role for role in r.roles if role.party in ids}
    problems.extend(f"nobody is {role}" for role in SETTINGS.required_roles if role not in held)
    approved = approved_version(snapshot)
    owners = {theme.owner for theme in approved.themes} if approved else set()
    busy = {role.party for role in r.roles} | owners
    problems.extend(f"{party} has no role" for party in ids if party not in busy)
    return problems


def entries(t: cf.Trajectory, state: str) -> Iterator[tuple[cf.Record, int, cf.TransitionRecord]]:
    """Every transition into `state` in the history: its record, position and transition."""
    for record in t.history:
        for position, transition in enumerate(record.transitions):
            if transition.dest == state:
                yield record, position, transition


def observation_of(run: Run, record: cf.Record) -> Observation:
    """The observation of the step that made `record`."""
    (observation,) = [
        o for o in run.observations if o.history_before == record.seq < o.history_after
    ]
    return observation


def check_manual_entry(run: Run, state: str, kinds: set[str]) -> None:
    """Every entry into `state` is manual, with guards of `kinds` that all passed."""
    for record, position, transition in entries(run.t, state):
        assert not transition.automatic, f"automatic entry into {state}: {transition}"
        assert position == 0, "a manual transition is the first of its record"
        assert isinstance(record.event, cf.Fire)
        assert kinds <= {result.guard for result in transition.results}, transition.results
        assert all(result.passed for result in transition.results), transition.results


# --- the invariants --------------------------------------------------------------------------


@given(
    scenario=scenarios(),
    ending=st.sampled_from(("dissolve", "complete")),
    values=sts.plan_values(),
    after=st.lists(sts.steps(), min_size=1, max_size=10),
)
def test_invariant_1_state_is_known_and_nothing_changes_once_ended(
    scenario: Scenario, ending: str, values: sts.PlanValues, after: list[Step]
) -> None:
    """Invariant 1: the state is one of the nine; in a terminal state nothing changes."""
    run = scenario.run()
    if run.t.state not in TERMINAL:
        if ending == "dissolve":
            run.do(cf.Fire("dissolve"), strict=True)
        else:
            run.complete(values)
    ended = run.t.snapshot
    run.do_all(after)
    for observation in run.observations:
        assert observation.after.state in STATES
        assert observation.before.state in STATES
        if observation.before.state in TERMINAL:
            assert observation.after == observation.before
            if isinstance(observation.step, cf.Fire):
                assert isinstance(observation.error, cf.TransitionRefused)
                assert observation.error.explanation.state_is_terminal
            else:
                assert isinstance(observation.error, cf.InvalidEventError)
    assert run.t.snapshot == ended
    assert run.t.state in TERMINAL
    assert run.t.enabled(at=run.clock()) == ()
    assert all(not run.t.can(trigger, at=run.clock()) for trigger in PROCESS.triggers)


@given(scenario=scenarios())
def test_invariant_2_agenda_entry_guarded_and_deep_states_keep_the_culture(
    scenario: Scenario,
) -> None:
    """Invariant 2: entries into agenda_setting had their four guards; deep states never low."""
    run = scenario.run()
    check_manual_entry(run, "agenda_setting", {"trust", "reciprocity", "equal_standing", "energy"})
    for record, _, _ in entries(run.t, "agenda_setting"):
        observation = observation_of(run, record)
        assert agenda_entry_problems(observation.before) == []
    for observation in run.applied():
        if observation.after.state in DEEP:
            assert sts.scores_under_the_floor(observation.after) == [], observation


@given(scenario=scenarios())
def test_invariant_3_organising_entry_had_every_signature(scenario: Scenario) -> None:
    """Invariant 3: every entry into organising had one signature per party on the approved."""
    run = scenario.run()
    for record, position, transition in entries(run.t, "organising"):
        observation = observation_of(run, record)
        if transition.automatic:
            # lose_funding from operating: the chain ends in organising, with the same registers.
            assert transition.trigger == "lose_funding"
            assert position == len(record.transitions) - 1
            assert observation.after.state == "organising"
            assert unsigned(observation.after) == []
        else:
            kinds = {result.guard for result in transition.results}
            assert "declaration_signed" in kinds
            assert all(result.passed for result in transition.results)
            assert unsigned(observation.before) == []
    for observation in run.applied():
        if observation.after.state in ("organising", "operating"):
            assert unsigned(observation.after) == [], observation


@given(scenario=scenarios())
def test_invariant_4_operating_entry_had_budget_and_roles(scenario: Scenario) -> None:
    """Invariant 4: every entry into operating had the budget covered and the roles assigned."""
    run = scenario.run()
    check_manual_entry(run, "operating", {"roles_assigned", "finances_covered"})
    for record, _, _ in entries(run.t, "operating"):
        assert operating_entry_problems(observation_of(run, record).before) == []


@given(scenario=scenarios(), data=st.data())
def test_invariant_5_refused_or_invalid_events_change_nothing(
    scenario: Scenario, data: st.DataObject
) -> None:
    """Invariant 5: a refused or invalid event leaves the snapshot exactly as it was."""
    run = scenario.run()
    t = run.t
    rejected = data.draw(st.lists(sts.rejected_events(t.snapshot), min_size=1, max_size=5))
    naive = data.draw(sts.naive_datetimes())
    attempts = [(bad, run.clock()) for bad in rejected]
    attempts += [(bad, naive) for bad in data.draw(st.lists(sts.data_events(), max_size=2))]
    for bad, at in attempts:
        snapshot, history = t.snapshot, t.history
        with pytest.raises(cf.InvalidEventError):
            PROCESS.apply(snapshot, bad, at=at)
        with pytest.raises(cf.InvalidEventError):
            t.record(bad, at=at)
        assert t.snapshot == snapshot
        assert t.history == history
    snapshot, history = t.snapshot, t.history
    with pytest.raises(cf.InvalidEventError):
        t.fire(data.draw(sts.triggers()), at=naive)
    with pytest.raises(cf.UnknownNameError):
        t.fire("no-such-trigger", at=run.clock())
    assert t.snapshot == snapshot
    assert t.history == history
    for trigger in PROCESS.triggers:
        at = run.clock()
        if t.can(trigger, at=at):
            continue
        snapshot, history = t.snapshot, t.history
        pure = PROCESS.apply(snapshot, cf.Fire(trigger), at=at)
        assert isinstance(pure, cf.Refused)
        assert pure.snapshot == snapshot
        with pytest.raises(cf.TransitionRefused) as refusal:
            t.fire(trigger, at=at)
        assert refusal.value.explanation == pure.explanation
        assert t.snapshot == snapshot
        assert t.history[:-1] == history
        assert t.history[-1].outcome is cf.Outcome.REFUSED
        assert t.history[-1].event == cf.Fire(trigger)
    for observation in run.observations:
        if isinstance(observation.error, cf.InvalidEventError):
            assert observation.after == observation.before
            assert observation.history_after == observation.history_before
        elif isinstance(observation.error, cf.TransitionRefused):
            assert observation.after == observation.before
            assert observation.history_after == observation.history_before + 1


def _outcome(t: cf.Trajectory, step: Step, at: datetime) -> object:
    try:
        return perform(t, step, at)
    except (cf.InvalidEventError, cf.TransitionRefused) as error:
        return type(error)


@given(scenario=scenarios(), further=st.lists(sts.steps(), max_size=10))
def test_invariant_6_replay_and_serialisation_give_the_same_trajectory(
    scenario: Scenario, further: list[Step]
) -> None:
    """Invariant 6: replay and dumps/loads give an equal trajectory that behaves the same."""
    run = scenario.run()
    t = run.t
    replayed = cf.Trajectory.replay(PROCESS, t.history)
    loaded = cf.loads(cf.dumps(t), process=PROCESS)
    from_dict = cf.from_dict(cf.to_dict(t), process=PROCESS)
    assert replayed == t
    assert loaded == t
    assert from_dict == t
    assert loaded.snapshot == t.snapshot
    for step in further:
        at = run.clock()
        expected = _outcome(t, step, at)
        assert _outcome(replayed, step, at) == expected
        assert _outcome(loaded, step, at) == expected
    assert replayed == t
    assert loaded == t
    assert cf.Trajectory.replay(PROCESS, loaded.history) == t


@given(scenario=scenarios(), data=st.data())
def test_invariant_7_a_score_that_keeps_everyone_above_regression_never_moves(
    scenario: Scenario, data: st.DataObject
) -> None:
    """Invariant 7: recording a score with every present score still >= 3.0 causes no transition."""
    run = scenario.run()
    if run.t.state not in TERMINAL:
        scores = data.draw(st.lists(sts.assessed(run.t.snapshot.party_ids), max_size=12))
        run.do_all(scores)
    for observation in run.applied():
        if isinstance(observation.step, cf.Assessed) and not sts.scores_under_the_floor(
            observation.after
        ):
            assert observation.result is not None
            assert observation.result.transitions == (), observation
            assert observation.after.state == observation.before.state


@given(scenario=scenarios(), values=sts.plan_values())
def test_invariant_8_dissolved_one_step_away_and_completed_stays_reachable(
    scenario: Scenario, values: sts.PlanValues
) -> None:
    """Invariant 8: dissolve is always enabled and completed stays reachable from every state."""
    run = scenario.run()
    assert STATES - TERMINAL <= REACHES_COMPLETED
    for observation in run.observations:
        snapshot = observation.after
        if snapshot.state in TERMINAL:
            continue
        assert snapshot.state in REACHES_COMPLETED
        dissolved = PROCESS.apply(snapshot, cf.Fire("dissolve"), at=observation.at)
        assert isinstance(dissolved, cf.Applied)
        assert dissolved.snapshot.state == "dissolved"
        assert [tr.trigger for tr in dissolved.transitions] == ["dissolve"]
    if run.t.state not in TERMINAL:
        assert run.t.can("dissolve", at=run.clock())
        assert "dissolve" in run.t.enabled(at=run.clock())
        run.complete(values)


def _failures(results: Iterable[cf.GuardResult]) -> Iterator[cf.Failure]:
    for result in results:
        yield from result.failures


@given(scenario=scenarios())
def test_invariant_9_states_triggers_and_messages_speak_english_and_dutch(
    scenario: Scenario,
) -> None:
    """Invariant 9: every state, trigger and guard message has an English and a Dutch text."""
    for name in {state.id for state in PROCESS.states} | {t.trigger for t in PROCESS.transitions}:
        for locale in LOCALES:
            assert PROCESS.label(name, locale=locale).strip(), (name, locale)
    for transition in PROCESS.transitions:
        assert all(transition.labels[locale].strip() for locale in LOCALES), transition
    run = scenario.run()
    failures: list[cf.Failure] = []
    explanations: list[cf.Explanation] = []
    for record in run.t.history:
        failures.extend(_failures(record.results))
        if record.explanation is not None:
            explanations.append(record.explanation)
    for observation in run.observations:
        for transition in PROCESS.transitions:
            failures.extend(
                _failures(g(observation.after, SETTINGS, observation.at) for g in transition.guards)
            )
    at = run.clock()
    explanations.extend(run.t.explain(trigger, at=at) for trigger in PROCESS.triggers)
    for explanation in explanations:
        failures.extend(explanation.failures)
        for locale in LOCALES:
            assert explanation.message(locale, process=PROCESS).strip()
    failures.extend(run.t.borderline(at=at))
    for failure in failures:
        assert failure.key in CATALOGUE, f"no text for {failure.key!r}"
        for locale in LOCALES:
            templates = CATALOGUE[failure.key][locale]
            forms = templates if isinstance(templates, tuple) else (templates,)
            fields = {name for form in forms for _, name, _, _ in Formatter().parse(form) if name}
            assert fields <= set(failure.params), (failure, locale)
            assert failure.message(locale).strip(), (failure, locale)
