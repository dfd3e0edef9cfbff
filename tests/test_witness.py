"""Tests of witnesses: the public events that make a guard hold, or a condition fail."""

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar

import attrs
import pytest

import coopflow as cf
from coopflow import guards
from coopflow._witness import witness
from coopflow.guards import _registry
from tests.planted import move, state

AT = datetime(2021, 3, 1, 10, tzinfo=UTC)

DEFAULT_SETTINGS = cf.Settings()
OTHER_SETTINGS = cf.Settings(
    scale=(0, 10),
    entry_threshold=6,
    regression_threshold=4,
    max_weight_share=0.6,
    coverage=0.25,
    required_roles=("chair", "treasurer"),
)

GUARDS: tuple[guards.Guard, ...] = (
    guards.common_ground(),
    guards.trust(),
    guards.trust(threshold=4.5),
    guards.reciprocity(),
    guards.equal_standing(),
    guards.equal_standing(max_share=0.4),
    guards.energy(),
    guards.agenda_approved(),
    guards.declaration_signed(),
    guards.roles_assigned(),
    guards.roles_assigned(roles=["secretary"]),
    guards.finances_covered(),
    guards.finances_covered(coverage=0.5),
    guards.completion(),
    guards.quorum_lost(),
    guards.declaration_incomplete(),
    guards.culture_breached(),
    guards.energy_lost(),
    guards.funding_lost(),
    guards.all_of(guards.trust(), guards.energy(), guards.agenda_approved()),
    guards.any_of(guards.completion(), guards.trust()),
    guards.not_(guards.culture_breached()),
    guards.not_(guards.not_(guards.reciprocity())),
)
"""Every built-in guard and condition, with and without parameters, and the combinators."""

CONDITIONS: tuple[guards.Guard, ...] = (
    guards.quorum_lost(),
    guards.declaration_incomplete(),
    guards.culture_breached(),
    guards.energy_lost(),
    guards.funding_lost(),
)
"""The conditions of the default process's regressions."""


@pytest.fixture
def registry() -> Iterator[None]:
    """Keep kinds registered by a test out of the other tests."""
    saved = dict(_registry._REGISTRY)
    yield
    _registry._REGISTRY.clear()
    _registry._REGISTRY.update(saved)


def plain(settings: cf.Settings) -> cf.Process:
    """A process without regressions, so recorded events never move the trajectory."""
    return cf.Process(
        "plain",
        (state("open", initial=True), state("closed", terminal=True)),
        (move("close", "open", "closed"),),
        settings=settings,
        vocabulary=cf.Vocabulary(
            roles={role: {"en": role, "nl": role} for role in ("chair", "treasurer", "secretary")}
        ),
    )


def fresh(process: cf.Process) -> cf.Trajectory:
    """A trajectory just started, with two parties and nothing recorded."""
    return cf.Trajectory.start(process, parties=[cf.Party("a"), cf.Party("b")], at=AT)


def advanced(process: cf.Process) -> cf.Trajectory:
    """Three parties and half-filled registers: the witnesses must build on what is there."""
    low = process.settings.scale[0]
    t = cf.Trajectory.start(process, parties=[cf.Party("a"), cf.Party("b"), cf.Party("c")], at=AT)
    events: list[Any] = [
        cf.InterestShared("housing", {"a", "b"}),
        cf.ValueNamed("a", "data", "policy"),
        cf.DependencyDeclared("a", "b"),
        cf.ContributionCommitted("a", "rooms", in_kind=True),
        cf.ContributionCommitted("b", "money", cash=Decimal(600)),
        cf.ContributionCommitted("c", "time", in_kind=True),
        cf.ContributionWithdrawn("c", "time"),
        cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"a": 8, "b": 1, "c": 1}),
        cf.AgendaProposed(1, [cf.Theme("homes", "Homes", "a", "homes built", ["housing"])]),
        cf.AgendaApproved("a", 1),
        cf.AgendaApproved("b", 1),
        cf.AgendaApproved("c", 1),
        cf.DeclarationSigned("a", "Alderman", 1),
        cf.AgendaProposed(2, [cf.Theme("care", "Care", "b", "", ["housing"])]),
        cf.RoleAssigned("programme_manager", "a"),
        cf.BudgetSet(Decimal(500)),
        cf.Assessed("a", cf.Dimension.TRUST, low),
        cf.Assessed("b", cf.Dimension.STAKE, low),
        cf.Assessed("b", cf.Dimension.URGENCY, low),
        cf.Assessed("b", cf.Dimension.IMPACT, low),
        cf.ThemeClosed("homes"),
    ]
    for event in events:
        t.record(event, at=AT)
    return t


def without_agenda_themes(process: cf.Process) -> cf.Trajectory:
    """Two parties who approved an agenda without themes, and set a budget of zero."""
    t = fresh(process)
    for event in (
        cf.AgendaProposed(1, []),
        cf.AgendaApproved("a", 1),
        cf.AgendaApproved("b", 1),
        cf.BudgetSet(Decimal(0)),
    ):
        t.record(event, at=AT)
    return t


STARTS: tuple[Callable[[cf.Process], cf.Trajectory], ...] = (
    fresh,
    advanced,
    without_agenda_themes,
)


def record(t: cf.Trajectory, guard: Any, holds: bool) -> None:
    """Record the witness of `guard` for `holds` into `t`."""
    for event in witness(guard, t.snapshot, t.process.settings, holds):
        t.record(event, at=AT)


def evaluate(t: cf.Trajectory, guard: Any) -> bool:
    """Whether `guard` holds in `t` now."""
    result: cf.GuardResult = guard(t.snapshot, t.process.settings, AT)
    return result.passed


# --- witnesses that make a guard hold -----------------------------------------------------------


@pytest.mark.parametrize("settings", [DEFAULT_SETTINGS, OTHER_SETTINGS], ids=["default", "other"])
@pytest.mark.parametrize("start", STARTS, ids=lambda start: start.__name__)
@pytest.mark.parametrize("guard", GUARDS, ids=repr)
def test_a_witness_makes_its_guard_hold(
    guard: guards.Guard,
    start: Callable[[cf.Process], cf.Trajectory],
    settings: cf.Settings,
) -> None:
    """Recording witness(guard, snapshot, settings, True) makes the guard hold."""
    t = start(plain(settings))
    record(t, guard, True)
    assert evaluate(t, guard) is True


@pytest.mark.parametrize("start", STARTS, ids=lambda start: start.__name__)
@pytest.mark.parametrize("condition", CONDITIONS, ids=repr)
def test_a_failing_witness_undoes_a_condition_that_held(
    condition: guards.Guard, start: Callable[[cf.Process], cf.Trajectory]
) -> None:
    """For each regression condition, the holds=False witness makes it fail after it held."""
    t = start(plain(DEFAULT_SETTINGS))
    record(t, condition, True)
    assert evaluate(t, condition) is True
    record(t, condition, False)
    assert evaluate(t, condition) is False


def test_a_witness_makes_a_guard_hold_in_the_default_process() -> None:
    """In a running default trajectory, common ground's witness allows form_culture."""
    process = cf.default_process()
    t = fresh(process)
    record(t, guards.common_ground(), True)
    assert t.can("form_culture", at=AT) is True


def test_witnesses_of_every_forward_guard_take_the_default_process_to_completed() -> None:
    """Recording each forward transition's witnesses, then firing it, reaches completed."""
    process = cf.default_process()
    t = fresh(process)
    for trigger in ("form_culture", "set_agenda", "open_signing", "organise", "start", "complete"):
        (transition,) = [tr for tr in process.transitions if tr.trigger == trigger]
        for guard in transition.guards:
            record(t, guard, True)
        t.fire(trigger, at=AT)
    assert t.state == "completed"


def test_two_newcomers_in_a_row_are_different_parties() -> None:
    """declaration_incomplete's witness can be recorded twice: each time a new party joins."""
    t = fresh(plain(DEFAULT_SETTINGS))
    record(t, guards.declaration_incomplete(), True)
    record(t, guards.declaration_incomplete(), True)
    assert len(t.snapshot.parties) == 4


# --- witnesses that need nothing ----------------------------------------------------------------


def test_funding_without_a_budget_fails_already() -> None:
    """funding_lost cannot hold without a budget: its failing witness records nothing."""
    t = fresh(plain(DEFAULT_SETTINGS))
    assert witness(guards.funding_lost(), t.snapshot, DEFAULT_SETTINGS, False) == []
    assert evaluate(t, guards.funding_lost()) is False


def test_quorum_of_a_running_trajectory_is_not_lost() -> None:
    """Two parties have quorum: quorum_lost's failing witness records nothing."""
    t = fresh(cf.default_process())
    assert witness(guards.quorum_lost(), t.snapshot, DEFAULT_SETTINGS, False) == []
    assert evaluate(t, guards.quorum_lost()) is False


@pytest.mark.parametrize("holds", [True, False])
def test_came_from_is_decided_by_the_path_not_by_events(holds: bool) -> None:
    """came_from has an empty witness either way."""
    t = fresh(plain(DEFAULT_SETTINGS))
    assert witness(guards.came_from("stalled"), t.snapshot, DEFAULT_SETTINGS, holds) == []


# --- combinators --------------------------------------------------------------------------------


def test_all_of_records_the_witness_of_each_guard_in_turn() -> None:
    """all_of's witness is its guards' witnesses, one after the other."""
    snapshot = fresh(plain(DEFAULT_SETTINGS)).snapshot
    both = witness(guards.all_of(guards.trust(), guards.energy()), snapshot, DEFAULT_SETTINGS)
    assert both == [
        *witness(guards.trust(), snapshot, DEFAULT_SETTINGS),
        *witness(guards.energy(), snapshot, DEFAULT_SETTINGS),
    ]


def test_any_of_records_the_witness_of_its_first_guard() -> None:
    """One guard suffices: any_of makes its first guard hold."""
    snapshot = fresh(plain(DEFAULT_SETTINGS)).snapshot
    either = witness(guards.any_of(guards.trust(), guards.energy()), snapshot, DEFAULT_SETTINGS)
    assert either == witness(guards.trust(), snapshot, DEFAULT_SETTINGS)


def test_not_records_the_failing_witness_of_its_guard() -> None:
    """not_(c) holds by making c fail; not_(not_(g)) holds by making g hold."""
    t = fresh(plain(DEFAULT_SETTINGS))
    record(t, guards.culture_breached(), True)
    snapshot = t.snapshot
    assert witness(guards.not_(guards.culture_breached()), snapshot, DEFAULT_SETTINGS) == (
        witness(guards.culture_breached(), snapshot, DEFAULT_SETTINGS, False)
    )
    assert witness(guards.not_(guards.not_(guards.trust())), snapshot, DEFAULT_SETTINGS) == (
        witness(guards.trust(), snapshot, DEFAULT_SETTINGS)
    )


def test_a_negated_condition_holds_after_its_witness() -> None:
    """not_(energy_lost) holds after its witness, though energy was lost before."""
    t = fresh(plain(DEFAULT_SETTINGS))
    record(t, guards.energy_lost(), True)
    negated = guards.not_(guards.energy_lost())
    assert evaluate(t, negated) is False
    record(t, negated, True)
    assert evaluate(t, negated) is True


# --- guards without a witness -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("guard", "holds", "kind", "wanted"),
    [
        (guards.trust(), False, "trust", "fail"),
        (guards.not_(guards.completion()), True, "completion", "fail"),
        (guards.all_of(guards.trust(), guards.energy()), False, "all_of", "fail"),
        (guards.any_of(guards.trust(), guards.energy()), False, "any_of", "fail"),
        (guards.any_of(), True, "any_of", "hold"),
    ],
)
def test_a_guard_without_a_witness_is_a_trajectory_error_naming_it(
    guard: guards.Guard, holds: bool, kind: str, wanted: str
) -> None:
    """When no events are known to give the wanted outcome, the error names the guard's kind."""
    snapshot = fresh(plain(DEFAULT_SETTINGS)).snapshot
    with pytest.raises(cf.TrajectoryError, match=f"'{kind}' has no witness.* make it {wanted}"):
        witness(guard, snapshot, DEFAULT_SETTINGS, holds)


@pytest.mark.parametrize("guard", GUARDS[:19], ids=repr)
def test_with_no_party_left_no_seed_guard_is_made_to_hold(guard: guards.Guard) -> None:
    """A trajectory whose parties all left has no events known to make a seed guard hold."""
    nobody = cf.Snapshot("exploring", ())
    kind = type(guard).kind
    with pytest.raises(cf.TrajectoryError, match=f"'{kind}' has no witness.* make it hold"):
        witness(guard, nobody, DEFAULT_SETTINGS, True)


def test_with_no_party_left_a_lost_quorum_is_undone_by_two_members() -> None:
    """The conditions' failing witnesses need no party: two members join, and no budget is set."""
    nobody = cf.Snapshot("exploring", ())
    members = [cf.PartyJoined(cf.Party(f"witness-member-{i}")) for i in range(2)]
    assert witness(guards.quorum_lost(), nobody, DEFAULT_SETTINGS, False) == members
    assert witness(guards.funding_lost(), nobody, DEFAULT_SETTINGS, False) == []


@pytest.mark.usefixtures("registry")
def test_a_custom_guard_without_a_witness_is_named() -> None:
    """A registered custom guard with no witness method gets an error naming its kind."""

    @guards.register("test_weekday")
    @attrs.frozen
    class Weekday:
        kind: ClassVar[str]

        def __call__(
            self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime
        ) -> cf.GuardResult:
            return cf.GuardResult(self.kind, at.weekday() < 5)

    snapshot = fresh(plain(DEFAULT_SETTINGS)).snapshot
    with pytest.raises(cf.TrajectoryError, match="'test_weekday' has no witness"):
        witness(Weekday(), snapshot, DEFAULT_SETTINGS, True)


def test_an_object_that_is_no_guard_is_named_by_its_class() -> None:
    """Without a kind, the error names the class."""
    snapshot = fresh(plain(DEFAULT_SETTINGS)).snapshot
    with pytest.raises(cf.TrajectoryError, match="'object' has no witness"):
        witness(object(), snapshot, DEFAULT_SETTINGS, True)


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize("holds", [True, False])
def test_a_custom_guard_s_own_witness_is_used(holds: bool) -> None:
    """A guard with a witness method supplies its own events, for either outcome."""
    asked: list[tuple[cf.Snapshot, cf.Settings, bool]] = []

    @guards.register("test_budgeted")
    @attrs.frozen
    class Budgeted:
        kind: ClassVar[str]

        def __call__(
            self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime
        ) -> cf.GuardResult:
            return cf.GuardResult(self.kind, bool(snapshot.registers.budget))

        def witness(
            self, snapshot: cf.Snapshot, settings: cf.Settings, holds: bool
        ) -> Sequence[cf.BudgetSet]:
            asked.append((snapshot, settings, holds))
            return (cf.BudgetSet(Decimal(100 if holds else 0)),)

    t = fresh(plain(DEFAULT_SETTINGS))
    events = witness(Budgeted(), t.snapshot, DEFAULT_SETTINGS, holds)
    assert events == [cf.BudgetSet(Decimal(100 if holds else 0))]
    assert asked == [(t.snapshot, DEFAULT_SETTINGS, holds)]
    record(t, Budgeted(), holds)
    assert evaluate(t, Budgeted()) is holds
