"""The engine's shortcut: after a data event it evaluates only the automatic conditions the event
can affect (a condition that did not hold, and reads none of the registers the event writes,
still does not). These tests compare it with evaluating every condition after every event, over
random event sequences: the records and snapshots must be the same.
"""

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import coopflow as cf
from coopflow import _engine, guards
from coopflow._events import DataEvent
from coopflow._registers import REGISTER_NAMES, WRITES
from coopflow._snapshot import Snapshot
from coopflow.guards._registry import evaluate, reads_of
from tests import strategies as sts
from tests.planted import move, state
from tests.test_properties import PROCESS, Scenario, scenarios

AT = datetime(2021, 3, 1, 10, tzinfo=UTC)


@attrs.frozen
class Run:
    """What one trajectory did: its history, and each snapshot it passed through."""

    history: tuple[cf.Record, ...]
    snapshots: tuple[Snapshot, ...]


def _play(process: cf.Process, parties: Sequence[cf.Party], steps: Sequence[object]) -> Run:
    return _run(cf.Trajectory.start(process, parties=parties, id="t", at=AT), steps)


def _run(t: cf.Trajectory, steps: Sequence[object]) -> Run:
    """Fire or record each step in turn (a refused or invalid one changes nothing)."""
    snapshots = [t.snapshot]
    for step in steps:
        try:
            if isinstance(step, cf.Fire):
                t.fire(step.trigger, at=AT)
            else:
                t.record(step, at=AT)  # type: ignore[arg-type]
        except cf.CoopflowError:
            pass
        snapshots.append(t.snapshot)
    return Run(t.history, tuple(snapshots))


def _both(
    monkeypatch: pytest.MonkeyPatch,
    process: cf.Process,
    parties: Sequence[cf.Party],
    steps: Sequence[object],
) -> tuple[Run, Run]:
    return _both_from(
        monkeypatch, lambda: cf.Trajectory.start(process, parties=parties, id="t", at=AT), steps
    )


def _both_from(
    monkeypatch: pytest.MonkeyPatch, start: Callable[[], cf.Trajectory], steps: Sequence[object]
) -> tuple[Run, Run]:
    """The run with the shortcut, and the run evaluating every condition after every event."""
    with monkeypatch.context() as patch:
        patch.setattr(_engine, "SHORTCUT", False)
        every = _run(start(), steps)
    return _run(start(), steps), every


def _steps(scenario: Scenario) -> Iterator[object]:
    for step in (*scenario.happy, *scenario.steps):
        yield cf.Fire(step) if isinstance(step, str) else step


@given(scenario=scenarios())
def test_the_shortcut_gives_the_records_of_evaluating_every_condition(
    scenario: Scenario,
) -> None:
    """Over the default process, deep along the happy path and then at random."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, every = _both(monkeypatch, PROCESS, scenario.parties, list(_steps(scenario)))
    assert fast.history == every.history
    assert fast.snapshots == every.snapshots


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The kinds of the guards the engine evaluates from now on, in order."""
    seen: list[str] = []

    def spy(
        guard: guards.Guard, snapshot: Snapshot, settings: cf.Settings, at: datetime
    ) -> cf.GuardResult:
        seen.append(guard.kind)
        return evaluate(guard, snapshot, settings, at)

    monkeypatch.setattr(_engine, "evaluate", spy)
    return seen


def test_the_shortcut_skips_what_an_event_cannot_affect(monkeypatch: pytest.MonkeyPatch) -> None:
    """A review in operating evaluates no condition; a good score asks about its party alone."""
    t = _operating()
    seen = _spy(monkeypatch)
    t.record(cf.ReviewRecorded("half-way"), at=AT)
    t.record(cf.Assessed("a", cf.Dimension.TRUST, 4.0, respondent="x"), at=AT)
    t.record(cf.Assessed("a", cf.Dimension.STAKE, 4.0, respondent="x"), at=AT)
    assert seen == []
    t.record(cf.PartyJoined(cf.Party("c")), at=AT)  # may change anything: every condition
    assert seen[:2] == ["quorum_lost", "declaration_incomplete"]


def test_a_low_score_asks_the_conditions_over_its_dimension(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only culture_breached reads trust; it holds, and the trajectory stalls."""
    t = _operating()
    seen = _spy(monkeypatch)
    for respondent in ("", "x"):  # every score of a's trust now 1.0: culture breached
        t.record(cf.Assessed("a", cf.Dimension.TRUST, 1.0, respondent=respondent), at=AT)
    # culture_breached moves it to stalled, where quorum_lost is asked in its turn.
    assert (seen, t.state) == (["culture_breached", "quorum_lost"], "stalled")


@pytest.mark.parametrize(
    ("event", "dest"),
    [
        (cf.AgendaProposed(9, []), "operating"),  # a newer version nobody approved: nothing
        (cf.Assessed("a", cf.Dimension.TRUST, 1.0), "stalled"),
        (cf.ContributionWithdrawn("a", "staff"), "stalled"),
        (cf.BudgetSet(10**9), "organising"),
        (cf.PartyLeft("b"), "dissolved"),
    ],
)
def test_an_event_still_fires_the_regressions_it_affects(event: DataEvent, dest: str) -> None:
    """Each register a regression of operating reads, written once from operating."""
    t = _operating()
    t.record(event, at=AT)
    assert t.state == dest


def test_signing_another_version_voids_the_declaration() -> None:
    """A signature replaced by one on another version: the declaration is incomplete again."""
    t = _operating()
    approved = t.snapshot.approved_agenda()
    assert approved is not None
    t.record(cf.AgendaProposed(approved.version + 1, []), at=AT)
    t.record(cf.DeclarationSigned("a", "signatory", approved.version + 1), at=AT)
    assert t.history[-1].transitions[0].trigger == "void_declaration"


def test_with_aging_scores_every_condition_is_evaluated(monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``max_score_age``, time alone can make a condition hold: no shortcut."""
    process = cf.default_process(settings=cf.Settings(max_score_age=timedelta(days=30)))
    t = _operating(process)
    seen = _spy(monkeypatch)
    t.record(cf.ReviewRecorded("half-way"), at=AT)
    assert "quorum_lost" in seen
    assert "energy_lost" in seen


def test_a_snapshot_of_another_process_or_built_by_hand_is_evaluated_in_full() -> None:
    """What the engine noted holds only for the process that noted it."""
    t = _operating()
    other = cf.default_process(settings=cf.Settings(coverage=0.5))
    event = cf.ReviewRecorded("x")
    assert _engine._still_failing(PROCESS, t.snapshot, event)
    assert not _engine._still_failing(other, t.snapshot, event)
    assert not _engine._still_failing(PROCESS, attrs.evolve(t.snapshot), event)


def test_every_fold_names_registers_that_exist_and_every_guard_too() -> None:
    """A misspelt register in ``writes`` or ``reads`` would make the shortcut skip wrongly."""
    assert set(WRITES) == set(sts.EVENT_STRATEGIES) | {cf.FactRecorded}
    for event_type, writes in WRITES.items():
        assert writes is None or {_register(name) for name in writes} <= REGISTER_NAMES
        # A key is filled in from a field of the event: the field must exist.
        for name in writes or ():
            key = name.partition(":")[2]
            assert not key or key.strip("{}") in attrs.fields_dict(event_type)
    for name in cf.example_names():
        process = cf.Process.from_file(cf.example_file(name))
        dimensions = set(process.vocabulary.dimensions)
        for transition in process.transitions:
            reads = reads_of(*transition.guards)
            assert reads is not None
            assert {_register(name) for name in reads} <= REGISTER_NAMES | {"state"}
            # A key of the scores is a dimension the process declares.
            assert {n.partition(":")[2] for n in reads if ":" in n} <= dimensions


def _register(name: str) -> str:
    return name.partition(":")[0]


def _operating(process: cf.Process = PROCESS) -> cf.Trajectory:
    """A trajectory of two parties in operating."""
    ids = ["a", "b"]
    t = cf.Trajectory.start(process, parties=[cf.Party(p) for p in ids], at=AT)
    values = sts.PlanValues()
    for _ in range(6):
        if t.state == "operating":
            return t
        plan, _ = sts.advance_plan(process, t.snapshot, values)
        for step in plan:
            if isinstance(step, str | cf.Fire):
                t.fire(step if isinstance(step, str) else step.trigger, at=AT)
            else:
                t.record(step, at=AT)
    assert t.state == "operating"
    return t


# --- a process of its own words, with a custom guard that declares nothing -----------------------

TAG, COMMS, MANDATE = "backbone", "communication", "mandate"
VOCABULARY = cf.Vocabulary(
    dimensions={COMMS: {"en": "communication", "nl": "communicatie"}},
    facts={MANDATE: cf.Fact({"en": "mandate", "nl": "mandaat"}, per_party=True)},
    tags={TAG: {"en": "backbone", "nl": "backbone"}},
    roles={"chair": {"en": "chair", "nl": "voorzitter"}},
)


@guards.register("many_reviews")
@attrs.frozen
class ManyReviews:
    """Holds when three reviews are recorded (declares no ``reads``: always evaluated)."""

    kind: ClassVar[str]

    def __call__(self, snapshot: Snapshot, settings: cf.Settings, at: datetime) -> cf.GuardResult:
        """Evaluate the condition."""
        return cf.GuardResult("many_reviews", len(snapshot.registers.reviews) >= 3)


OWN = cf.Process(
    "own",
    (state("working", initial=True), state("resting"), state("done", terminal=True)),
    (
        move("rest", "working", "resting", guards.score(COMMS, parties={"tag": TAG})),
        move("work", "resting", "working", guards.fact(MANDATE, parties="any")),
        move(
            "slip", "working", "resting", guards.score_below(COMMS, parties="any"), automatic=True
        ),
        move(
            "revoke",
            ("working", "resting"),
            "working",
            guards.fact_revoked(MANDATE, parties="all"),
            automatic=True,
        ),
        move("review", "resting", "done", guards.not_(ManyReviews()), automatic=True),
        # Conditions over a selection: a score of one party asks that party alone.
        move(
            "tagged",
            "working",
            "resting",
            guards.score_below(COMMS, parties={"tag": TAG}),
            automatic=True,
        ),
        move(
            "sector",
            "resting",
            "done",
            guards.score_below(COMMS, below=2.0, parties={"sector": "government"}),
            automatic=True,
        ),
        move(
            "chair",
            "resting",
            "working",
            guards.score_below(COMMS, below=1.5, parties={"role": "chair"}),
            automatic=True,
        ),
        move(
            "named",
            "working",
            "resting",
            guards.score_below(COMMS, below=1.5, parties=["b"]),
            automatic=True,
        ),
        move("finish", "working", "done", ManyReviews(), automatic=True),
    ),
    vocabulary=VOCABULARY,
)
PARTIES = (cf.Party("a", tags={TAG}), cf.Party("b", sector=cf.Sector.GOVERNMENT), cf.Party("c"))


def _own_steps() -> st.SearchStrategy[list[object]]:
    ids = st.sampled_from([p.id for p in PARTIES])
    step = st.one_of(
        st.builds(
            cf.Assessed,
            ids,
            st.just(COMMS),
            st.sampled_from((1.0, 2.9, 3.0, 3.5, 5.0)),
            respondent=st.sampled_from(("", "r")),
        ),
        st.builds(cf.FactRecorded, st.just(MANDATE), party=ids, holds=st.booleans()),
        st.builds(cf.ReviewRecorded, st.sampled_from(("r1", "r2"))),
        st.builds(cf.RoleAssigned, st.just("chair"), ids),
        st.builds(cf.PartyLeft, ids),
        st.builds(cf.PartyJoined, st.sampled_from(PARTIES)),
        st.builds(cf.Fire, st.sampled_from(("rest", "work"))),
    )
    return st.lists(step, max_size=25)


@given(steps=_own_steps())
def test_the_shortcut_holds_for_generic_guards_and_undeclared_custom_ones(
    steps: list[DataEvent],
) -> None:
    """Selectors, facts, combinators and a custom guard without ``reads``."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, every = _both(monkeypatch, OWN, PARTIES, steps)
    assert fast.history == every.history
    assert fast.snapshots == every.snapshots


@pytest.mark.parametrize(
    ("guard", "reads"),
    [
        (guards.score(COMMS), {f"scores:{COMMS}"}),
        (guards.mean_score([COMMS], parties={"role": "chair"}), {f"scores:{COMMS}", "roles"}),
        (guards.fact(MANDATE, parties={"tag": TAG}), {"facts"}),
        (guards.all_of(guards.trust(), guards.fact(MANDATE)), {"scores:trust", "facts"}),
        (guards.any_of(guards.quorum_lost(), ManyReviews()), None),
        (guards.not_(ManyReviews()), None),
    ],
)
def test_a_guard_reads_what_its_parts_read(guard: guards.Guard, reads: set[str] | None) -> None:
    """Combinators read what the guards inside read; a guard that does not say reads anything."""
    assert reads_of(guard) == (None if reads is None else frozenset(reads))


# --- across a manual step: a condition that failed before the step ------------------------------

STEPPING = cf.Process(
    "stepping",
    (
        state("preparing", initial=True),
        state("working"),
        state("resting"),
        state("done", terminal=True),
    ),
    (
        move("begin", "preparing", "working"),
        move("rest", "working", "resting"),
        move("work", "resting", "working"),
        cf.Transition(
            "redo",
            source=("working", "resting"),
            dest="working",
            voids_declaration=True,
            labels={"en": "Redo", "nl": "Opnieuw"},
        ),
        move("back", ("working", "resting"), "done", guards.came_from("resting"), automatic=True),
        move(
            "unsigned",
            ("working", "resting"),
            "done",
            guards.declaration_incomplete(),
            automatic=True,
        ),
        move("low", ("working", "resting"), "done", guards.energy_lost(), automatic=True),
        move(
            "both",
            ("working", "resting"),
            "done",
            guards.energy_lost(),
            guards.quorum_lost(),
            automatic=True,
        ),
    ),
)


def _signed(t: cf.Trajectory) -> None:
    t.record(cf.AgendaProposed(1, []), at=AT)
    for party in ("a", "b"):
        t.record(cf.AgendaApproved(party, 1), at=AT)
        t.record(cf.DeclarationSigned(party, "someone", 1), at=AT)


def _stepping() -> cf.Trajectory:
    t = cf.Trajectory.start(STEPPING, parties=[cf.Party("a"), cf.Party("b")], id="t", at=AT)
    _signed(t)
    t.fire("begin", at=AT)
    return t


def test_a_condition_that_failed_before_a_step_is_not_evaluated_after_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """energy_lost failed in working and reads the scores only: resting does not ask again."""
    t = _stepping()
    seen = _spy(monkeypatch)
    t.fire("rest", at=AT)
    assert (t.state, seen) == (
        "resting",
        ["came_from", "energy_lost"],
    )  # both has two guards: asked again


def test_a_condition_on_the_state_is_evaluated_after_every_step() -> None:
    """came_from reads the state: after rest and work it holds, and the trajectory ends."""
    t = _stepping()
    t.fire("rest", at=AT)
    t.fire("work", at=AT)
    assert (t.state, t.history[-1].transitions[-1].trigger) == ("done", "back")


def test_a_condition_on_what_a_step_voids_is_evaluated_after_it() -> None:
    """A step that voids the declaration makes declaration_incomplete hold at once."""
    t = _stepping()
    t.fire("redo", at=AT)
    assert (t.state, t.history[-1].transitions[-1].trigger) == ("done", "unsigned")


@given(
    steps=st.lists(
        st.one_of(
            st.builds(cf.Fire, st.sampled_from(("rest", "work", "redo"))),
            st.builds(
                cf.Assessed,
                st.sampled_from(("a", "b")),
                st.sampled_from(("stake", "urgency", "impact", "trust")),
                st.sampled_from((1.0, 2.0, 4.0)),
            ),
            st.builds(cf.DeclarationSigned, st.sampled_from(("a", "b")), st.just("x"), st.just(1)),
        ),
        max_size=20,
    )
)
def test_the_shortcut_across_steps_gives_the_records_of_evaluating_every_condition(
    steps: list[object],
) -> None:
    """Random steps and events after signing: the same records as evaluating everything."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, every = _both_from(monkeypatch, _stepping, steps)
    assert fast.history == every.history
    assert fast.snapshots == every.snapshots
