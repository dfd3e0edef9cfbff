"""Tests of `coopflow.rules`: precedes, never_after, sometimes, always, always_step, checked."""

from typing import Any, cast

import pytest

import coopflow as cf
from coopflow import rules
from tests import planted
from tests.planted import DEFAULT, move, state

# --- the rules as data --------------------------------------------------------------------------


def test_rules_are_named_as_they_are_reported() -> None:
    """Each rule's name says what it checks."""
    assert [
        rules.precedes("building_culture", "agenda_setting").name,
        rules.never_after("completed", "dissolved").name,
        rules.sometimes("completed").name,
        rules.always("no stall", lambda c: True).name,
        rules.always_step("no jump", lambda before, step, after: True).name,
    ] == [
        "precedes(building_culture, agenda_setting)",
        "never_after(completed, dissolved)",
        "sometimes(completed)",
        "no stall",
        "no jump",
    ]


def test_never_after_takes_ids_or_one_collection_of_them() -> None:
    """never_after("a", "b") and never_after(["a", "b"]) are the same rule."""
    assert rules.never_after(["completed", "dissolved"]) == rules.never_after(
        "completed", "dissolved"
    )
    assert rules.never_after(("completed",), "dissolved").states == ("completed", "dissolved")


def test_rules_with_equal_arguments_are_equal() -> None:
    """Rules are frozen data: equal arguments, equal rules (predicates are not compared)."""
    assert rules.precedes("a", "b") == rules.Precedes("a", "b")
    assert rules.sometimes("a") == rules.Sometimes("a")
    assert rules.always("x", lambda c: True) == rules.always("x", lambda c: False)


def test_a_configuration_starts_with_nothing_passed() -> None:
    """A configuration without passed states has an empty set."""
    configuration = rules.Configuration("exploring", None)
    assert (configuration.state, configuration.previous, configuration.passed) == (
        "exploring",
        None,
        frozenset(),
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda: rules.precedes("", "agenda_setting"),
        lambda: rules.precedes("building_culture", cast(Any, None)),
        lambda: rules.sometimes("  "),
        lambda: rules.always("", lambda c: True),
        lambda: rules.always_step(cast(Any, 3), lambda before, step, after: True),
        lambda: rules.never_after(),
        lambda: rules.never_after([]),
        lambda: rules.never_after("completed", ""),
        lambda: rules.NeverAfter(cast(Any, "completed")),
        lambda: rules.NeverAfter(cast(Any, 7)),
    ],
)
def test_a_rule_with_a_bad_argument_is_an_invalid_process(build: Any) -> None:
    """Empty or non-string state names and rule names are refused when the rule is made."""
    with pytest.raises(cf.InvalidProcessError):
        build()


# --- rules that name what is not there ----------------------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [
        rules.precedes("building_culture", "nowhere"),
        rules.precedes("nowhere", "signing"),
        rules.never_after("completed", "nowhere"),
        rules.sometimes("nowhere"),
    ],
)
def test_a_rule_naming_an_unknown_state_is_an_unknown_name(rule: rules.Rule) -> None:
    """check() refuses a rule about a state the process does not have."""
    with pytest.raises(cf.UnknownNameError) as caught:
        cf.check(DEFAULT, properties=[rule])
    assert (caught.value.kind, caught.value.name) == ("state", "nowhere")


@pytest.mark.parametrize("thing", ["precedes(a, b)", lambda c: True, None, 42])
def test_something_that_is_not_a_rule_is_an_invalid_process(thing: object) -> None:
    """check() refuses properties that are not rules of coopflow.rules."""
    with pytest.raises(cf.InvalidProcessError):
        cf.check(DEFAULT, properties=[thing])


# --- precedes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("building_culture", "agenda_setting"),
        ("agenda_setting", "signing"),
        ("signing", "organising"),
        ("organising", "operating"),
        ("exploring", "completed"),
        ("operating", "completed"),
    ],
)
def test_the_default_process_keeps_its_order(first: str, then: str) -> None:
    """Each stage of the default process is passed before the next is entered."""
    report = cf.check(DEFAULT, properties=[rules.precedes(first, then)])
    assert report.ok is True


def test_a_skipped_trust_gate_breaks_precedes_in_one_step() -> None:
    """The jump from exploring to agenda_setting is found with a path of length 1."""
    process = planted.shortcut()
    report = cf.check(process, properties=[planted.PRECEDES_TRUST])
    (violation,) = report.violations
    assert violation.path is not None
    assert (violation.kind, violation.property, len(violation.path)) == (
        "precedes",
        "precedes(building_culture, agenda_setting)",
        1,
    )
    assert violation.path.replay(process).state == "agenda_setting"


def test_precedes_is_not_fooled_by_a_stall() -> None:
    """Stalling and resuming does not count as passing a state that was never entered."""
    report = cf.check(DEFAULT, properties=[rules.precedes("stalled", "signing")])
    (violation,) = report.violations
    assert str(violation.path) == (
        "exploring -[form_culture]-> building_culture -[set_agenda]-> agenda_setting"
        " -[open_signing]-> signing"
    )


def test_precedes_keeps_passed_states_apart_in_the_configurations() -> None:
    """A precedes rule doubles the configurations where passing its first state matters."""
    plain = cf.check(DEFAULT)
    tracked = cf.check(DEFAULT, properties=[rules.precedes("stalled", "signing")])
    assert tracked.configurations > plain.configurations
    assert tracked.states_reached == plain.states_reached


# --- never_after --------------------------------------------------------------------------------


def test_the_end_states_of_the_default_process_never_change() -> None:
    """never_after(completed, dissolved) holds on the default process."""
    report = cf.check(DEFAULT, properties=[rules.never_after("completed", "dissolved")])
    assert report.ok is True


def test_a_final_looking_state_that_can_be_reopened_is_caught() -> None:
    """never_after(closed) fails with the shortest path out of closed, the reopening step."""
    process = planted.reopened()
    report = cf.check(process, properties=[rules.never_after("closed")])
    (violation,) = report.violations
    assert violation == cf.Violation(
        "changed_after",
        "never_after(closed)",
        cf.Path.parse("start -[close]-> closed -[reopen]-> start"),
        key="never_after",
        params={"state": "closed", "dest": "start"},
    )
    assert violation.message == "state Closed can still be left, to Start"
    assert violation.describe("nl") == "fase CLOSED kan nog worden verlaten, naar START"


def test_a_step_back_into_the_same_state_is_no_change() -> None:
    """never_after holds for a state whose only way out leads back into it."""
    process = cf.Process(
        "noted",
        planted.small_states("closed"),
        (
            move("close", "start", "closed"),
            move("note", "closed", "closed"),
            move("finish", "start", "done"),
        ),
    )
    report = cf.check(process, properties=[rules.never_after("closed")])
    assert [v for v in report.violations if v.property == "never_after(closed)"] == []


# --- sometimes ----------------------------------------------------------------------------------


def test_sometimes_keeps_a_shortest_witness_that_replays() -> None:
    """sometimes(completed) holds; its witness is the six-step forward path."""
    report = cf.check(
        DEFAULT, properties=[rules.sometimes("completed"), rules.sometimes("stalled")]
    )
    assert report.ok is True
    witness = report.witnesses["sometimes(completed)"]
    assert (len(witness), witness.final_state) == (6, "completed")
    assert witness.replay(DEFAULT).state == "completed"
    assert str(report.witnesses["sometimes(stalled)"]) == "exploring -[stall]-> stalled"


def test_sometimes_of_the_initial_state_has_an_empty_witness() -> None:
    """The initial state is reached by the empty path."""
    report = cf.check(DEFAULT, properties=[rules.sometimes("exploring")])
    assert report.witnesses["sometimes(exploring)"] == cf.Path("exploring")


def test_sometimes_of_a_state_that_cannot_be_reached_is_a_violation() -> None:
    """A state behind a guard that never holds breaks sometimes, with no path and no witness."""
    report = cf.check(planted.unreached_pilot(), properties=[rules.sometimes("pilot")])
    never = [v for v in report.violations if v.property == "sometimes(pilot)"]
    assert never == [
        cf.Violation(
            "never_reached", "sometimes(pilot)", None, key="sometimes", params={"state": "pilot"}
        )
    ]
    assert "sometimes(pilot)" not in report.witnesses


# --- always and always_step ---------------------------------------------------------------------


def test_always_holds_when_the_predicate_holds_everywhere() -> None:
    """A predicate true in every configuration gives no violation."""
    known = {s.id for s in DEFAULT.states}
    report = cf.check(
        DEFAULT, properties=[rules.always("a known state", lambda c: c.state in known)]
    )
    assert report.ok is True


def test_always_reports_the_shortest_path_to_a_failing_configuration() -> None:
    """A predicate false in signing fails with the three-step path into signing."""
    report = cf.check(
        DEFAULT, properties=[rules.always("never signing", lambda c: c.state != "signing")]
    )
    (violation,) = report.violations
    assert violation.path is not None
    assert (violation.kind, violation.property, len(violation.path)) == (
        "always",
        "never signing",
        3,
    )
    assert violation.params == {"name": "never signing", "state": "signing"}
    assert violation.path.replay(DEFAULT).state == "signing"


def test_always_sees_the_previous_state() -> None:
    """A configuration in stalled remembers where it came from."""
    seen: set[tuple[str, str | None]] = set()

    def record(configuration: rules.Configuration) -> bool:
        seen.add((configuration.state, configuration.previous))
        return True

    cf.check(DEFAULT, properties=[rules.always("records", record)])
    stalled_from = {previous for here, previous in seen if here == "stalled"}
    assert stalled_from == {
        "exploring",
        "building_culture",
        "agenda_setting",
        "signing",
        "organising",
        "operating",
    }


def test_always_step_holds_when_every_step_is_fine() -> None:
    """Every step goes where it says it goes."""
    report = cf.check(
        DEFAULT,
        properties=[
            rules.always_step(
                "steps arrive",
                lambda before, step, after: (
                    isinstance(step, cf.Step)
                    and (step.source, step.dest) == (before.state, after.state)
                ),
            )
        ],
    )
    assert report.ok is True


def test_always_step_reports_the_first_failing_step() -> None:
    """A rule against automatic steps fails on lose_quorum, one step from the start."""
    report = cf.check(
        DEFAULT,
        properties=[
            rules.always_step(
                "manual only",
                lambda before, step, after: isinstance(step, cf.Step) and not step.automatic,
            )
        ],
    )
    (violation,) = report.violations
    assert violation.path == cf.Path.parse("exploring -[~lose_quorum]-> dissolved")
    assert violation.params == {
        "name": "manual only",
        "trigger": "lose_quorum",
        "source": "exploring",
        "dest": "dissolved",
    }


def test_always_step_cuts_the_path_at_the_failing_step_of_a_chain() -> None:
    """In a chain of regressions caused by one event, the path ends at the step that fails."""
    report = cf.check(
        planted.loop(),
        skip=("no_regression_loop",),
        properties=[
            rules.always_step(
                "never back",
                lambda before, step, after: isinstance(step, cf.Step) and step.trigger != "back",
            )
        ],
    )
    (violation,) = report.violations
    assert str(violation.path) == "a -[~there]-> b -[+back]-> a"
    assert violation.path is not None
    assert len(violation.path) == 2


def test_rules_are_checked_together_with_the_default_properties() -> None:
    """Default violations and rule violations appear in one report."""
    process = planted.extended(
        planted.trap(), move("bypass", "start", "late"), states=(state("late"),)
    )
    report = cf.check(
        process,
        properties=[rules.precedes("trap", "late"), rules.never_after("done")],
    )
    assert [(v.property, v.path) for v in report.violations] == [
        ("precedes(trap, late)", cf.Path.parse("start -[bypass]-> late")),
        ("no_deadlock", cf.Path.parse("start -[enter]-> trap")),
        ("completion", cf.Path.parse("start -[enter]-> trap")),
        ("no_deadlock", cf.Path.parse("start -[bypass]-> late")),
        ("completion", cf.Path.parse("start -[bypass]-> late")),
    ]
