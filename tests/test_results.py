"""Tests of coopflow._results: failures, guard results, explanations and history records."""

import pytest

import coopflow as cf
from coopflow._results import condition_result, guard_result
from tests.conftest import T0

G_NAME, U_NAME = "Gemeente Tilburg", "Tilburg University"


@pytest.fixture
def grounded(trajectory: cf.Trajectory) -> cf.Trajectory:
    """The pair with common ground in place, still exploring."""
    for event in (
        cf.InterestShared("x", ["gemeente", "uni"]),
        cf.ValueNamed("gemeente", "policy", "evidence"),
        cf.ValueNamed("uni", "research", "impact"),
        cf.DependencyDeclared("gemeente", "uni"),
        cf.DependencyDeclared("uni", "gemeente"),
    ):
        trajectory.record(event, at=T0)
    return trajectory


# --- Failure and GuardResult ----------------------------------------------------------------------


def test_failure_params_default_to_none() -> None:
    """A failure without params has an empty mapping."""
    assert dict(cf.Failure(None, "no_final_review").params) == {}


def test_failure_params_are_a_read_only_copy() -> None:
    """The params of a failure cannot be changed, not even through the dict given."""
    given: dict[str, object] = {"name": "A"}
    failure = cf.Failure("a", "value_missing", given)
    given["name"] = "B"
    with pytest.raises(TypeError):
        failure.params["name"] = "C"  # type: ignore[index]
    assert dict(failure.params) == {"name": "A"}


def test_failures_with_equal_params_are_equal() -> None:
    """Failures compare by party, key and params."""
    assert cf.Failure("a", "no_role", {"name": "A"}) == cf.Failure("a", "no_role", {"name": "A"})


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "Tilburg University has no score for trust yet"),
        ("nl", "voor Tilburg University is nog geen score voor vertrouwen vastgelegd"),
    ],
)
def test_failure_message_renders_in_the_locale(locale: str, expected: str) -> None:
    """A failure says itself in English or Dutch."""
    failure = cf.Failure("uni", "score_missing", {"name": U_NAME, "dimension": "trust"})
    assert failure.message(locale) == expected


def test_failure_message_defaults_to_english() -> None:
    """Without a locale, a failure speaks English."""
    assert cf.Failure(None, "no_final_review").message() == "no final review has been recorded yet"


def test_failure_message_refuses_an_unknown_locale() -> None:
    """A failure cannot be said in a locale coopflow does not speak."""
    with pytest.raises(cf.UnknownNameError):
        cf.Failure(None, "no_final_review").message("de")
    assert (
        cf.Failure(None, "no_final_review").message("nl")
        == "er is nog geen eindevaluatie vastgelegd"
    )


def test_guard_result_has_no_failures_by_default() -> None:
    """A GuardResult without failures has an empty tuple."""
    assert cf.GuardResult("trust", True).failures == ()


def test_outcomes_are_started_applied_refused() -> None:
    """The outcomes of a record are started, applied and refused."""
    assert [o.value for o in cf.Outcome] == ["started", "applied", "refused"]


# --- Explanation ----------------------------------------------------------------------------------


def test_explanation_failures_come_from_failed_results_only() -> None:
    """Explanation.failures lists the failures of the results that did not pass, in order."""
    first = cf.Failure("a", "no_role", {"name": "A"})
    second = cf.Failure(None, "budget_missing")
    finding = cf.Failure(None, "too_few_parties", {"count": 1})
    explanation = cf.Explanation(
        "start",
        "organising",
        True,
        False,
        (
            cf.GuardResult("roles_assigned", False, (first,)),
            cf.GuardResult("quorum_lost", True, (finding,)),
            cf.GuardResult("finances_covered", False, (second,)),
        ),
    )
    assert explanation.failures == (first, second)


def test_message_of_an_ended_trajectory(trajectory: cf.Trajectory) -> None:
    """In a terminal state every trigger is answered with 'the trajectory is closed'."""
    trajectory.fire("dissolve", at=T0)
    explanation = trajectory.explain("form_culture", at=T0)
    assert (
        explanation.state_is_terminal,
        explanation.message(),
        explanation.message("nl"),
        explanation.message("nl", process=trajectory.process),
    ) == (
        True,
        "the trajectory is closed (completed or dissolved); nothing more can be recorded",
        "het traject is afgesloten (afgerond of beëindigd); er kan niets meer worden vastgelegd",
        "het traject is afgesloten (afgerond of beëindigd); er kan niets meer worden vastgelegd",
    )


def test_message_of_a_trigger_not_valid_in_the_state(trajectory: cf.Trajectory) -> None:
    """A trigger that does not leave the current state says so, with ids or labels."""
    explanation = trajectory.explain("organise", at=T0)
    assert (
        explanation.state_is_terminal,
        explanation.message(),
        explanation.message("en", process=trajectory.process),
        explanation.message("nl", process=trajectory.process),
    ) == (
        False,
        "‘organise’ is not possible from the exploring phase",
        "‘Set up the programme office’ is not possible from the Exploration phase",
        "‘Programmabureau inrichten’ is niet mogelijk vanuit de fase Verkenning",
    )


def test_message_of_an_allowed_trigger(trajectory: cf.Trajectory) -> None:
    """A trigger that would fire says it is allowed, with ids or labels."""
    explanation = trajectory.explain("stall", at=T0)
    assert (
        explanation.allowed,
        explanation.message(),
        explanation.message("nl"),
        explanation.message("nl", process=trajectory.process),
    ) == (
        True,
        "‘stall’ is possible now: every condition is met",
        "‘stall’ kan nu: aan alle voorwaarden is voldaan",
        "‘Stilleggen’ kan nu: aan alle voorwaarden is voldaan",
    )


def test_message_of_a_refused_trigger_lists_every_failure(trajectory: cf.Trajectory) -> None:
    """A refused trigger says so and lists each failure on its own line."""
    explanation = trajectory.explain("form_culture", at=T0)
    assert explanation.message() == "\n".join(
        [
            "‘form_culture’ is not yet possible from the exploring phase. Still needed:",
            "- no common interest has been endorsed by every party yet",
            f"- {G_NAME} has not yet named what it brings and what it gains",
            f"- not recorded yet what {G_NAME} needs another party for",
            f"- not recorded yet which party needs {G_NAME}",
            f"- {U_NAME} has not yet named what it brings and what it gains",
            f"- not recorded yet what {U_NAME} needs another party for",
            f"- not recorded yet which party needs {U_NAME}",
        ]
    )


def test_message_of_a_refused_trigger_in_dutch_with_labels(grounded: cf.Trajectory) -> None:
    """With the process, a refusal shows the labels of trigger and state in the locale."""
    grounded.fire("form_culture", at=T0)
    grounded.record(cf.Assessed("uni", cf.Dimension.TRUST, 3.25), at=T0)
    explanation = grounded.explain("set_agenda", at=T0)
    lines = explanation.message("nl", process=grounded.process).split("\n")
    assert lines[:3] == [
        "‘Voortraject afronden’ kan nog niet vanuit de fase Vorming samenwerkingscultuur. "
        "Nog nodig:",
        f"- voor {G_NAME} is nog geen score voor vertrouwen vastgelegd",
        f"- {U_NAME}: de score voor vertrouwen is 3,25; nodig is minstens 3,5",
    ]


def test_message_refuses_an_unknown_locale(trajectory: cf.Trajectory) -> None:
    """An explanation cannot be said in a locale coopflow does not speak."""
    with pytest.raises(cf.UnknownNameError) as caught:
        trajectory.explain("stall", at=T0).message("fr")
    assert (caught.value.kind, caught.value.name) == ("locale", "fr")


def test_message_uses_only_the_process_labels_it_is_given() -> None:
    """An Explanation built by hand renders with ids, or with the labels of a given process."""
    explanation = cf.Explanation("resume", "stalled", True, True)
    assert (
        explanation.message(),
        explanation.message("nl", process=cf.default_process()),
    ) == (
        "‘resume’ is possible now: every condition is met",
        "‘Hervatten’ kan nu: aan alle voorwaarden is voldaan",
    )


def test_an_invalid_trigger_without_the_ended_result_is_not_terminal() -> None:
    """Only the single 'ended' result marks a terminal state; other invalid answers do not."""
    other = cf.Explanation(
        "organise",
        "exploring",
        False,
        False,
        (cf.GuardResult("ended", False, (cf.Failure(None, "ended"), cf.Failure(None, "x"))),),
    )
    assert (other.state_is_terminal, other.message()) == (
        False,
        "‘organise’ is not possible from the exploring phase",
    )


# --- transition records, Applied, Refused ---------------------------------------------------------


def test_transition_record_has_no_results_by_default() -> None:
    """A TransitionRecord built without results has an empty tuple."""
    record = cf.TransitionRecord("stall", "exploring", "stalled", False)
    assert (record.trigger, record.source, record.dest, record.automatic, record.results) == (
        "stall",
        "exploring",
        "stalled",
        False,
        (),
    )


def test_applied_has_no_transitions_by_default(trajectory: cf.Trajectory) -> None:
    """Applied without transitions has an empty tuple; recording data returns one."""
    applied = trajectory.record(cf.BudgetSet(10), at=T0)
    assert (cf.Applied(trajectory.snapshot).transitions, applied) == (
        (),
        cf.Applied(trajectory.snapshot),
    )


def test_refused_keeps_the_snapshot_and_explanation(trajectory: cf.Trajectory) -> None:
    """The pure engine refuses with the unchanged snapshot and the explanation."""
    refused = trajectory.process.apply(trajectory.snapshot, cf.Fire("set_agenda"), at=T0)
    assert refused == cf.Refused(
        trajectory.snapshot, cf.Explanation("set_agenda", "exploring", False, False)
    )


# --- Record.results -------------------------------------------------------------------------------


def test_the_start_record_has_no_results(trajectory: cf.Trajectory) -> None:
    """The start record caused no transition and has no results."""
    start = trajectory.history[0]
    assert (start.outcome, start.seq, start.at, start.actor, start.explanation, start.results) == (
        cf.Outcome.STARTED,
        0,
        T0,
        None,
        None,
        (),
    )


def test_an_applied_data_record_without_transition_has_no_results(
    trajectory: cf.Trajectory,
) -> None:
    """A data event that moved nothing has a record without results."""
    trajectory.record(cf.BudgetSet(10), at=T0, actor="alice")
    last = trajectory.history[-1]
    assert (last.outcome, last.actor, last.transitions, last.results) == (
        cf.Outcome.APPLIED,
        "alice",
        (),
        (),
    )


def test_an_applied_fire_record_has_its_guard_results(grounded: cf.Trajectory) -> None:
    """A fired trigger's record has the results of the guards that allowed it."""
    grounded.fire("form_culture", at=T0)
    assert grounded.history[-1].results == (cf.GuardResult("common_ground", True),)


def test_an_automatic_transition_record_has_the_condition_results(
    trajectory: cf.Trajectory,
) -> None:
    """A regression caused by a data event is in its record, with the condition that caused it."""
    trajectory.record(cf.PartyLeft("uni"), at=T0)
    last = trajectory.history[-1]
    assert (
        [(tr.trigger, tr.dest, tr.automatic) for tr in last.transitions],
        last.results,
    ) == (
        [("lose_quorum", "dissolved", True)],
        (
            cf.GuardResult(
                "quorum_lost", True, (cf.Failure(None, "too_few_parties", {"count": 1}),)
            ),
        ),
    )


def test_a_refused_record_has_the_explanation_results(trajectory: cf.Trajectory) -> None:
    """A refused trigger is kept with its explanation; its results are the explanation's."""
    with pytest.raises(cf.TransitionRefused) as caught:
        trajectory.fire("form_culture", at=T0)
    last = trajectory.history[-1]
    assert (last.outcome, last.explanation, last.results) == (
        cf.Outcome.REFUSED,
        caught.value.explanation,
        caught.value.explanation.results,
    )


def test_record_results_join_the_results_of_every_transition() -> None:
    """A record with several transitions has their results in order."""
    first = cf.GuardResult("declaration_incomplete", True)
    second = cf.GuardResult("culture_breached", True)
    third = cf.GuardResult("energy_lost", True)
    record = cf.Record(
        4,
        T0,
        None,
        cf.PartyJoined(cf.Party("c")),
        cf.Outcome.APPLIED,
        (
            cf.TransitionRecord("void_declaration", "operating", "signing", True, results=(first,)),
            cf.TransitionRecord(
                "breach_culture", "signing", "building_culture", True, results=(second, third)
            ),
        ),
    )
    assert record.results == (first, second, third)


def test_record_results_prefer_the_explanation() -> None:
    """A record with an explanation answers with the explanation's results."""
    result = cf.GuardResult("trust", False, (cf.Failure("a", "score_missing"),))
    explanation = cf.Explanation("set_agenda", "building_culture", True, False, (result,))
    record = cf.Record(
        2, T0, "bob", cf.Fire("set_agenda"), cf.Outcome.REFUSED, explanation=explanation
    )
    assert record.results == (result,)


def test_a_passing_guard_and_a_condition_that_does_not_hold_share_one_result_per_kind() -> None:
    """Results without failures are shared (a result is immutable); ones with failures are not."""
    assert guard_result("trust", []) is guard_result("trust", [])
    assert guard_result("trust", []) == cf.GuardResult("trust", True)
    assert guard_result("energy", []) == cf.GuardResult("energy", True)
    assert condition_result("quorum_lost", []) is condition_result("quorum_lost", [])
    assert condition_result("quorum_lost", []) == cf.GuardResult("quorum_lost", False)
    failure = cf.Failure("a", "score_missing")
    assert guard_result("trust", [failure]) == cf.GuardResult("trust", False, (failure,))
    assert condition_result("quorum_lost", [failure]) == cf.GuardResult(
        "quorum_lost", True, (failure,)
    )
