"""Tests of `coopflow._engine`: triggers, guards, automatic regressions, resume and the audit."""

from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

import pytest

import coopflow as cf
from coopflow import guards
from coopflow._engine import driver, moment
from coopflow._events import DATA_EVENTS, DataEvent
from tests.conftest import T0

GEMEENTE, UNI = "gemeente", "uni"
INTEREST = "evidence-based-policy"
THEMES = (
    cf.Theme("sustainable-city", "Sustainable city", GEMEENTE, "CO2 emissions", [INTEREST]),
    cf.Theme("healthy-city", "Healthy city", UNI, "residents in good health", [INTEREST]),
)
ACTIVE = ("exploring", "building_culture", "agenda_setting", "signing", "organising", "operating")


def _scores(party: str, score: float = 4.0) -> tuple[DataEvent, ...]:
    return tuple(cf.Assessed(party, dimension, score) for dimension in cf.Dimension)


# The facts each forward trigger needs, and the trigger: exploring to operating. The gemeente
# commits money and staff, the university only money, together exactly the budget.
_STEPS: tuple[tuple[tuple[DataEvent, ...], str], ...] = (
    (
        (
            cf.InterestShared(INTEREST, [GEMEENTE, UNI]),
            cf.ValueNamed(GEMEENTE, brings="policy questions", gains="evidence"),
            cf.ValueNamed(UNI, brings="research", gains="societal impact"),
            cf.DependencyDeclared(GEMEENTE, UNI),
            cf.DependencyDeclared(UNI, GEMEENTE),
        ),
        "form_culture",
    ),
    (
        (
            *_scores(GEMEENTE),
            *_scores(UNI),
            cf.ContributionCommitted(GEMEENTE, "funding", cash=Decimal(50_000)),
            cf.ContributionCommitted(GEMEENTE, "staff", in_kind=True),
            cf.ContributionCommitted(UNI, "cofunding", cash=Decimal(50_000)),
        ),
        "set_agenda",
    ),
    (
        (cf.AgendaProposed(1, THEMES), cf.AgendaApproved(GEMEENTE, 1), cf.AgendaApproved(UNI, 1)),
        "open_signing",
    ),
    (
        (cf.DeclarationSigned(GEMEENTE, "Alderman", 1), cf.DeclarationSigned(UNI, "Rector", 1)),
        "organise",
    ),
    (
        (cf.RoleAssigned("programme_manager", GEMEENTE), cf.BudgetSet(Decimal(100_000))),
        "start",
    ),
)


def drive(trajectory: cf.Trajectory, until: str) -> cf.Trajectory:
    """Record the facts and fire the forward triggers until the trajectory is in `until`."""
    for events, trigger in _STEPS:
        if trajectory.state == until:
            break
        for event in events:
            trajectory.record(event, at=T0)
        trajectory.fire(trigger, at=T0)
    if trajectory.state != until:
        raise AssertionError(f"the trajectory stopped in {trajectory.state}, not {until}")
    return trajectory


def _end(trajectory: cf.Trajectory, how: str) -> cf.Trajectory:
    if how == "dissolved":
        trajectory.fire("dissolve", at=T0)
        return trajectory
    drive(trajectory, "operating")
    for event in (
        cf.ThemeClosed("sustainable-city"),
        cf.ThemeClosed("healthy-city"),
        cf.ReviewRecorded("Five years of city and university", final=True),
    ):
        trajectory.record(event, at=T0)
    trajectory.fire("complete", at=T0)
    return trajectory


def _below(party: str, name: str, dimension: str, score: float, threshold: float) -> cf.Failure:
    params: dict[str, Any] = {
        "name": name,
        "dimension": dimension,
        "score": score,
        "threshold": threshold,
    }
    return cf.Failure(party, "score_below", params)


def _explanation(result: cf.Applied | cf.Refused) -> cf.Explanation | None:
    return result.explanation if isinstance(result, cf.Refused) else None


# --- firing -------------------------------------------------------------------------------------


def test_firing_an_unknown_trigger_is_an_unknown_name_error(trajectory: cf.Trajectory) -> None:
    """A trigger the process does not have is an `UnknownNameError`, not a refusal."""
    with pytest.raises(cf.UnknownNameError) as caught:
        trajectory.process.apply(trajectory.snapshot, cf.Fire("fly"), at=T0)
    assert (caught.value.kind, caught.value.name) == ("trigger", "fly")


def test_firing_an_automatic_trigger_is_an_unknown_name_error(trajectory: cf.Trajectory) -> None:
    """Regressions cannot be fired by hand: lose_quorum is not a manual trigger."""
    with pytest.raises(cf.UnknownNameError) as caught:
        trajectory.process.apply(trajectory.snapshot, cf.Fire("lose_quorum"), at=T0)
    assert (caught.value.kind, caught.value.name) == ("trigger", "lose_quorum")


def test_a_trigger_that_does_not_leave_the_state_is_refused(trajectory: cf.Trajectory) -> None:
    """Organise in exploring is refused as not valid in the state, with no guard evaluated."""
    result = trajectory.process.apply(trajectory.snapshot, cf.Fire("organise"), at=T0)
    assert result == cf.Refused(
        trajectory.snapshot, cf.Explanation("organise", "exploring", False, False)
    )


def test_a_trigger_whose_guard_fails_is_refused_with_the_unchanged_snapshot(
    trajectory: cf.Trajectory,
) -> None:
    """Form_culture without common ground is refused; the explanation names every failure."""
    snapshot = trajectory.snapshot
    result = trajectory.process.apply(snapshot, cf.Fire("form_culture"), at=T0)
    explanation = _explanation(result)
    assert explanation is not None
    assert (result.snapshot is snapshot, explanation.valid_in_state, explanation.allowed) == (
        True,
        True,
        False,
    )
    assert [f.key for f in explanation.failures] == [
        "no_common_interest",
        "value_missing",
        "depends_on_nobody",
        "nobody_depends_on",
        "value_missing",
        "depends_on_nobody",
        "nobody_depends_on",
    ]


def test_every_guard_is_evaluated_even_after_one_fails(trajectory: cf.Trajectory) -> None:
    """Set_agenda without trust scores: trust fails, and the three guards after it still run."""
    drive(trajectory, "building_culture")
    for party in (GEMEENTE, UNI):
        for dimension in (cf.Dimension.VOICE, cf.Dimension.STAKE, cf.Dimension.URGENCY):
            trajectory.record(cf.Assessed(party, dimension, 4.0), at=T0)
        trajectory.record(cf.Assessed(party, cf.Dimension.IMPACT, 4.0), at=T0)
        trajectory.record(cf.ContributionCommitted(party, "staff", in_kind=True), at=T0)
    result = trajectory.process.apply(trajectory.snapshot, cf.Fire("set_agenda"), at=T0)
    explanation = _explanation(result)
    assert explanation is not None
    assert [(r.guard, r.passed) for r in explanation.results] == [
        ("trust", False),
        ("reciprocity", True),
        ("equal_standing", True),
        ("energy", True),
    ]


def test_an_allowed_trigger_moves_and_records_its_guard_results(
    trajectory: cf.Trajectory,
) -> None:
    """Form_culture with common ground applies: new state, next version, the given time."""
    drive(trajectory, "exploring")
    for event in _STEPS[0][0]:
        trajectory.record(event, at=T0)
    later = T0 + timedelta(days=1)
    before = trajectory.snapshot
    result = trajectory.process.apply(before, cf.Fire("form_culture"), at=later)
    assert result == cf.Applied(
        cf.Snapshot(
            "building_culture",
            before.parties,
            before.registers,
            previous="exploring",
            version=before.version + 1,
            at=later,
        ),
        (
            cf.TransitionRecord(
                "form_culture",
                "exploring",
                "building_culture",
                False,
                results=(cf.GuardResult("common_ground", True),),
            ),
        ),
    )


# --- terminal states and bad input --------------------------------------------------------------

_EVERY_DATA_EVENT: tuple[DataEvent, ...] = (
    cf.PartyJoined(cf.Party("provincie")),
    cf.PartyLeft(UNI),
    cf.InterestShared("culture", [GEMEENTE]),
    cf.ValueNamed(UNI, brings="students", gains="a living lab"),
    cf.DependencyDeclared(UNI, GEMEENTE),
    cf.Assessed(UNI, cf.Dimension.TRUST, 4.0),
    cf.ContributionCommitted(UNI, "rooms", in_kind=True),
    cf.ContributionWithdrawn(UNI, "cofunding"),
    cf.DecisionRuleSet(cf.DecisionRule.UNANIMITY),
    cf.AgendaProposed(9, THEMES),
    cf.AgendaApproved(UNI, 1),
    cf.DeclarationSigned(UNI, "Rector", 1),
    cf.RoleAssigned("secretary", UNI),
    cf.BudgetSet(Decimal(1)),
    cf.ThemeClosed("sustainable-city"),
    cf.ReviewRecorded("After the end"),
    cf.FactRecorded("council_approval"),
)


def test_the_list_of_data_events_holds_one_of_each_kind() -> None:
    """The terminal-state test below tries every kind of data event."""
    assert sorted(type(e).__name__ for e in _EVERY_DATA_EVENT) == sorted(
        kind.__name__ for kind in DATA_EVENTS
    )


@pytest.mark.parametrize("how", ["dissolved", "completed"])
def test_every_trigger_is_refused_in_a_terminal_state(trajectory: cf.Trajectory, how: str) -> None:
    """Once ended, every manual trigger is refused because the trajectory has ended."""
    snapshot = _end(trajectory, how).snapshot
    process = trajectory.process
    results = [process.apply(snapshot, cf.Fire(t), at=T0) for t in process.triggers]
    answers = [(r.snapshot is snapshot, _explanation(r)) for r in results]
    assert [
        (same, e is not None and e.state_is_terminal, e is not None and e.state)
        for same, e in answers
    ] == [(True, True, how)] * len(process.triggers)


@pytest.mark.parametrize("how", ["dissolved", "completed"])
def test_every_data_event_is_invalid_in_a_terminal_state(
    trajectory: cf.Trajectory, how: str
) -> None:
    """Once ended, every data event is an `InvalidEventError` on the event itself."""
    snapshot = _end(trajectory, how).snapshot
    errors: list[tuple[str, object]] = []
    for event in _EVERY_DATA_EVENT:
        with pytest.raises(cf.InvalidEventError) as caught:
            trajectory.process.apply(snapshot, event, at=T0)
        errors.append((caught.value.field, caught.value.value))
    assert errors == [("event", event) for event in _EVERY_DATA_EVENT]


@pytest.mark.parametrize(
    "thing",
    ["stall", cf.Started("t", "Tilburg", (cf.Party("a"), cf.Party("b"))), None],
)
def test_something_that_is_not_an_event_is_invalid(
    trajectory: cf.Trajectory, thing: object
) -> None:
    """A string, a start record or None cannot be applied: `InvalidEventError` on the event."""
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.process.apply(trajectory.snapshot, thing, at=T0)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("event", thing)


def test_a_snapshot_in_a_state_the_process_does_not_have_is_a_coopflow_error(
    process: cf.Process, pair: list[cf.Party]
) -> None:
    """A foreign snapshot (another process's state) raises a `CoopflowError`, not a KeyError."""
    snapshot = cf.Snapshot("pilot", tuple(pair))
    with pytest.raises(cf.CoopflowError):
        process.apply(snapshot, cf.Fire("stall"), at=T0)


# --- automatic regressions ----------------------------------------------------------------------


def test_a_borderline_trust_does_not_move_the_trajectory(trajectory: cf.Trajectory) -> None:
    """Trust 3.2 in agenda_setting is under the entry threshold but not under 3.0: no move."""
    drive(trajectory, "agenda_setting")
    applied = trajectory.record(cf.Assessed(UNI, cf.Dimension.TRUST, 3.2), at=T0)
    assert (applied.transitions, trajectory.state) == ((), "agenda_setting")


def test_a_low_trust_in_agenda_setting_goes_back_to_building_culture_and_voids_signatures(
    trajectory: cf.Trajectory,
) -> None:
    """Trust 2.9 breaches the culture: back to building_culture, every signature void."""
    drive(trajectory, "agenda_setting")
    trajectory.record(cf.AgendaProposed(1, THEMES), at=T0)
    trajectory.record(cf.DeclarationSigned(GEMEENTE, "Alderman", 1), at=T0)
    signed = trajectory.snapshot.registers.signatures
    applied = trajectory.record(cf.Assessed(UNI, cf.Dimension.TRUST, 2.9), at=T0)
    assert (
        signed,
        applied.transitions,
        trajectory.state,
        trajectory.snapshot.registers.signatures,
    ) == (
        (cf.DeclarationSigned(GEMEENTE, "Alderman", 1),),
        (
            cf.TransitionRecord(
                "breach_culture",
                "agenda_setting",
                "building_culture",
                True,
                results=(
                    cf.GuardResult(
                        "culture_breached",
                        True,
                        (_below(UNI, "Tilburg University", "trust", 2.9, 3.0),),
                    ),
                ),
            ),
        ),
        "building_culture",
        (),
    )


def test_a_low_voice_in_signing_goes_back_to_building_culture(
    trajectory: cf.Trajectory,
) -> None:
    """A voice under 3.0 breaches the culture in signing as well."""
    drive(trajectory, "signing")
    applied = trajectory.record(cf.Assessed(GEMEENTE, cf.Dimension.VOICE, 1.0), at=T0)
    assert [(t.trigger, t.source, t.dest) for t in applied.transitions] == [
        ("breach_culture", "signing", "building_culture")
    ]


def test_a_low_trust_in_organising_stalls_and_keeps_the_signatures(
    trajectory: cf.Trajectory,
) -> None:
    """Once the office is being organised, a breach stalls the trajectory instead."""
    drive(trajectory, "organising")
    signed = trajectory.snapshot.registers.signatures
    applied = trajectory.record(cf.Assessed(UNI, cf.Dimension.TRUST, 2.0), at=T0)
    assert (
        [(t.trigger, t.source, t.dest, t.automatic) for t in applied.transitions],
        trajectory.snapshot.previous,
        trajectory.snapshot.registers.signatures,
    ) == ([("breach_culture", "organising", "stalled", True)], "organising", signed)


def test_a_party_joining_a_running_programme_sends_it_back_to_signing(
    trajectory: cf.Trajectory,
) -> None:
    """The newcomer must approve the agenda and everyone must sign again."""
    drive(trajectory, "operating")
    applied = trajectory.record(cf.PartyJoined(cf.Party("provincie")), at=T0)
    assert (applied.transitions, trajectory.state, trajectory.snapshot.registers.signatures) == (
        (
            cf.TransitionRecord(
                "void_declaration",
                "operating",
                "signing",
                True,
                results=(
                    cf.GuardResult(
                        "declaration_incomplete", True, (cf.Failure(None, "agenda_not_approved"),)
                    ),
                ),
            ),
        ),
        "signing",
        (),
    )


def test_a_withdrawal_that_leaves_a_party_without_contributions_breaches_the_culture(
    trajectory: cf.Trajectory,
) -> None:
    """The university withdraws its only contribution: back to building_culture."""
    drive(trajectory, "agenda_setting")
    applied = trajectory.record(cf.ContributionWithdrawn(UNI, "cofunding"), at=T0)
    assert (applied.transitions, trajectory.state) == (
        (
            cf.TransitionRecord(
                "breach_culture",
                "agenda_setting",
                "building_culture",
                True,
                results=(
                    cf.GuardResult(
                        "culture_breached",
                        True,
                        (
                            cf.Failure(
                                UNI, "contribution_withdrawn", {"name": "Tilburg University"}
                            ),
                        ),
                    ),
                ),
            ),
        ),
        "building_culture",
    )


def test_a_withdrawal_that_leaves_a_contribution_does_not_breach_the_culture(
    trajectory: cf.Trajectory,
) -> None:
    """The gemeente withdraws its money but still commits staff: nothing moves."""
    drive(trajectory, "agenda_setting")
    applied = trajectory.record(cf.ContributionWithdrawn(GEMEENTE, "funding"), at=T0)
    assert (applied.transitions, trajectory.state) == ((), "agenda_setting")


def test_energy_is_lost_only_when_all_three_scores_are_present_and_low(
    trajectory: cf.Trajectory,
) -> None:
    """Low stake and urgency stall nothing while impact is absent; a low mean then stalls."""
    drive(trajectory, "building_culture")
    first = trajectory.record(cf.Assessed(UNI, cf.Dimension.STAKE, 1.0), at=T0)
    second = trajectory.record(cf.Assessed(UNI, cf.Dimension.URGENCY, 1.0), at=T0)
    third = trajectory.record(cf.Assessed(UNI, cf.Dimension.IMPACT, 4.0), at=T0)
    assert (first.transitions, second.transitions, third.transitions, trajectory.state) == (
        (),
        (),
        (
            cf.TransitionRecord(
                "lose_energy",
                "building_culture",
                "stalled",
                True,
                results=(
                    cf.GuardResult(
                        "energy_lost",
                        True,
                        (
                            cf.Failure(
                                UNI,
                                "energy_low",
                                {"name": "Tilburg University", "mean": 2.0, "threshold": 3.0},
                            ),
                        ),
                    ),
                ),
            ),
        ),
        "stalled",
    )


def test_an_energy_mean_at_the_regression_threshold_does_not_stall(
    trajectory: cf.Trajectory,
) -> None:
    """Stake 1, urgency 4, impact 4: a mean of exactly 3.0 is not under 3.0."""
    drive(trajectory, "agenda_setting")
    applied = trajectory.record(cf.Assessed(UNI, cf.Dimension.STAKE, 1.0), at=T0)
    assert (applied.transitions, trajectory.state) == ((), "agenda_setting")


def test_low_energy_does_not_move_an_exploring_trajectory(trajectory: cf.Trajectory) -> None:
    """Lose_energy applies in every active state except exploring."""
    for dimension in (cf.Dimension.STAKE, cf.Dimension.URGENCY, cf.Dimension.IMPACT):
        trajectory.record(cf.Assessed(UNI, dimension, 1.0), at=T0)
    assert trajectory.state == "exploring"


def test_withdrawn_cash_below_the_budget_sends_operating_back_to_organising(
    trajectory: cf.Trajectory,
) -> None:
    """The gemeente withdraws its money, keeps its staff: the funding is lost."""
    drive(trajectory, "operating")
    applied = trajectory.record(cf.ContributionWithdrawn(GEMEENTE, "funding"), at=T0)
    assert (applied.transitions, trajectory.state) == (
        (
            cf.TransitionRecord(
                "lose_funding",
                "operating",
                "organising",
                True,
                results=(
                    cf.GuardResult(
                        "funding_lost",
                        True,
                        (cf.Failure(None, "cash_short", {"cash": 50_000.0, "needed": 100_000.0}),),
                    ),
                ),
            ),
        ),
        "organising",
    )


def test_a_higher_budget_in_operating_loses_the_funding(trajectory: cf.Trajectory) -> None:
    """Raising the budget above the committed money also sends operating back to organising."""
    drive(trajectory, "operating")
    applied = trajectory.record(cf.BudgetSet(Decimal(200_000)), at=T0)
    assert [(t.trigger, t.dest) for t in applied.transitions] == [("lose_funding", "organising")]


def test_the_first_regression_in_order_wins(trajectory: cf.Trajectory) -> None:
    """The university withdraws its only money: breach_culture comes before lose_funding."""
    drive(trajectory, "operating")
    applied = trajectory.record(cf.ContributionWithdrawn(UNI, "cofunding"), at=T0)
    assert ([(t.trigger, t.source, t.dest) for t in applied.transitions], trajectory.state) == (
        [("breach_culture", "operating", "stalled")],
        "stalled",
    )


@pytest.mark.parametrize("state", ["exploring", "agenda_setting", "operating", "stalled"])
def test_a_party_leaving_a_two_party_trajectory_dissolves_it(
    trajectory: cf.Trajectory, state: str
) -> None:
    """Fewer than two parties: lose_quorum, first of all regressions, ends the trajectory."""
    if state == "stalled":
        trajectory.fire("stall", at=T0)
    else:
        drive(trajectory, state)
    source = trajectory.state
    applied = trajectory.record(cf.PartyLeft(UNI, reason="reorganisation"), at=T0)
    assert (applied.transitions, trajectory.state) == (
        (
            cf.TransitionRecord(
                "lose_quorum",
                source,
                "dissolved",
                True,
                results=(
                    cf.GuardResult(
                        "quorum_lost", True, (cf.Failure(None, "too_few_parties", {"count": 1}),)
                    ),
                ),
            ),
        ),
        "dissolved",
    )


def test_a_fired_transition_is_followed_by_the_regressions_of_its_destination(
    trajectory: cf.Trajectory,
) -> None:
    """Low energy is ignored while exploring, but stalls right after form_culture."""
    for dimension in (cf.Dimension.STAKE, cf.Dimension.URGENCY, cf.Dimension.IMPACT):
        trajectory.record(cf.Assessed(UNI, dimension, 1.0), at=T0)
    for event in _STEPS[0][0]:
        trajectory.record(event, at=T0)
    applied = trajectory.fire("form_culture", at=T0)
    assert (
        [(t.trigger, t.source, t.dest, t.automatic) for t in applied.transitions],
        trajectory.snapshot.previous,
    ) == (
        [
            ("form_culture", "exploring", "building_culture", False),
            ("lose_energy", "building_culture", "stalled", True),
        ],
        "building_culture",
    )


def _ping_pong() -> cf.Process:
    """Two states whose automatic transitions always hold, one to the other and back."""
    labels = {"en": "Text", "nl": "Tekst"}
    always = (guards.not_(guards.quorum_lost()),)
    return cf.Process(
        "ping-pong",
        (cf.State("ping", labels, initial=True), cf.State("pong", labels)),
        (
            cf.Transition(
                "there", source="ping", dest="pong", automatic=True, guards=always, labels=labels
            ),
            cf.Transition(
                "back", source="pong", dest="ping", automatic=True, guards=always, labels=labels
            ),
        ),
    )


def test_each_regression_fires_at_most_once_per_event(pair: list[cf.Party]) -> None:
    """Regressions that would loop for ever fire once each, in a chain, then stop."""
    trajectory = cf.Trajectory.start(_ping_pong(), parties=pair, at=T0)
    first = trajectory.record(cf.ValueNamed(UNI, brings="research", gains="impact"), at=T0)
    second = trajectory.record(cf.ValueNamed(GEMEENTE, brings="data", gains="evidence"), at=T0)
    assert (
        [(t.trigger, t.source, t.dest) for t in first.transitions],
        [(t.trigger, t.source, t.dest) for t in second.transitions],
        trajectory.state,
    ) == (
        [("there", "ping", "pong"), ("back", "pong", "ping")],
        [("there", "ping", "pong"), ("back", "pong", "ping")],
        "ping",
    )


# --- stall and resume ---------------------------------------------------------------------------


@pytest.mark.parametrize("state", ACTIVE)
def test_resume_returns_to_the_state_the_trajectory_stalled_in(
    trajectory: cf.Trajectory, state: str
) -> None:
    """Stall remembers the state; resume goes back there when its guards hold."""
    drive(trajectory, state)
    trajectory.fire("stall", reason="elections", at=T0)
    stalled = trajectory.state
    applied = trajectory.fire("resume", at=T0)
    (record,) = applied.transitions
    assert (
        stalled,
        trajectory.state,
        (record.trigger, record.source, record.dest, record.automatic),
        record.results[0],
        all(result.passed for result in record.results),
    ) == (
        "stalled",
        state,
        ("resume", "stalled", state, False),
        cf.GuardResult("came_from", True),
        True,
    )


def test_resume_is_refused_while_a_regression_condition_holds(
    trajectory: cf.Trajectory,
) -> None:
    """Stalled in agenda_setting with trust 2.5: resume explains the guards of that state."""
    drive(trajectory, "agenda_setting")
    trajectory.fire("stall", at=T0)
    trajectory.record(cf.Assessed(UNI, cf.Dimension.TRUST, 2.5), at=T0)
    result = trajectory.process.apply(trajectory.snapshot, cf.Fire("resume"), at=T0)
    assert result == cf.Refused(
        trajectory.snapshot,
        cf.Explanation(
            "resume",
            "stalled",
            True,
            False,
            (
                cf.GuardResult("came_from", True),
                cf.GuardResult(
                    "trust", False, (_below(UNI, "Tilburg University", "trust", 2.5, 3.5),)
                ),
                cf.GuardResult("reciprocity", True),
                cf.GuardResult("equal_standing", True),
                cf.GuardResult("energy", True),
                cf.GuardResult("not", True),
                cf.GuardResult(
                    "not", False, (_below(UNI, "Tilburg University", "trust", 2.5, 3.0),)
                ),
                cf.GuardResult("not", True),
            ),
        ),
    )


def test_resume_explains_the_remembered_state_even_when_another_fails_less(
    trajectory: cf.Trajectory,
) -> None:
    """Stalled by a breach in operating: the operating candidate is explained, not exploring."""
    drive(trajectory, "operating")
    trajectory.record(cf.Assessed(UNI, cf.Dimension.TRUST, 2.0), at=T0)
    explanation = trajectory.explain("resume", at=T0)
    assert (
        trajectory.state,
        explanation.results[0],
        [(r.guard, r.passed) for r in explanation.results if not r.passed],
        explanation.failures,
    ) == (
        "stalled",
        cf.GuardResult("came_from", True),
        [("not", False)],
        (_below(UNI, "Tilburg University", "trust", 2.0, 3.0),),
    )


def test_resume_is_allowed_again_once_the_score_is_back_above_the_regression_threshold(
    trajectory: cf.Trajectory,
) -> None:
    """Stalled by trust 2.0 in organising; a borderline 3.2 is enough to resume there."""
    drive(trajectory, "organising")
    trajectory.record(cf.Assessed(UNI, cf.Dimension.TRUST, 2.0), at=T0)
    refused = trajectory.can("resume", at=T0)
    trajectory.record(cf.Assessed(UNI, cf.Dimension.TRUST, 3.2), at=T0)
    trajectory.fire("resume", at=T0)
    assert (refused, trajectory.state) == (False, "organising")


# --- the machine and the clock ------------------------------------------------------------------


def test_the_engine_builds_one_machine_per_process_and_reuses_it(process: cf.Process) -> None:
    """The same process always gets the same driver; another process gets its own."""
    other = cf.default_process(settings=cf.Settings(coverage=0.5))
    assert (driver(process) is driver(process), driver(other) is driver(process)) == (
        True,
        False,
    )


def test_the_driver_moves_along_a_transition_by_its_number(process: cf.Process) -> None:
    """Transition number 6 is stall: from signing it goes to stalled."""
    assert (process.transitions[6].trigger, driver(process).move(6, "signing")) == (
        "stall",
        "stalled",
    )


def test_moment_is_now_in_utc_when_no_time_is_given() -> None:
    """None means the current time, timezone-aware, in UTC."""
    before = datetime.now(UTC)
    now = moment(None)
    after = datetime.now(UTC)
    assert (before <= now <= after, now.tzinfo) == (True, UTC)


def test_moment_keeps_an_aware_time() -> None:
    """An aware datetime is returned as given."""
    assert moment(T0) is T0


class _NoOffset(tzinfo):
    """A timezone that does not know its offset: as ambiguous as none."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None


@pytest.mark.parametrize(
    "at",
    [
        datetime(2018, 1, 8, 9, 0),
        datetime(2018, 1, 8, 9, 0, tzinfo=_NoOffset()),
        "2018-01-08T09:00:00+00:00",
        1515402000,
    ],
)
def test_moment_refuses_a_time_that_is_not_an_aware_datetime(at: object) -> None:
    """Naive datetimes, offset-less zones, strings and numbers are `InvalidEventError`."""
    with pytest.raises(cf.InvalidEventError) as caught:
        moment(at)
    assert (caught.value.field, caught.value.value) == ("at", at)
