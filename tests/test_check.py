"""Tests of `coopflow.check`: the default process passes, planted bugs are caught, shortest."""

from collections.abc import Callable

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import coopflow as cf
from coopflow import guards, rules
from tests import planted
from tests.planted import CAUGHT_BY_CHECK, DEFAULT, Planted, generated_processes, move, state

# --- the default process ------------------------------------------------------------------------


def test_the_default_process_keeps_every_rule() -> None:
    """The default process has no violation and covers every state and transition."""
    report = cf.check(DEFAULT)
    assert (report.ok, report.violations) == (True, ())
    assert (report.state_coverage, report.transition_coverage) == (1.0, 1.0)
    assert report.states_reached == {s.id for s in DEFAULT.states}
    assert report.transitions_fired == set(range(len(DEFAULT.transitions)))
    assert report.process == DEFAULT.id


def test_every_shortest_path_of_the_default_process_replays_to_its_state() -> None:
    """Each reported path to a state rebuilds a trajectory that ends in that state."""
    report = cf.check(DEFAULT)
    assert set(report.paths) == {s.id for s in DEFAULT.states}
    for target, path in report.paths.items():
        assert path.final_state == target
        assert path.replay(DEFAULT).state == path.final_state


def test_every_cover_path_of_the_default_process_replays_to_its_state() -> None:
    """Each transition-cover path rebuilds a trajectory that ends where the path ends."""
    report = cf.check(DEFAULT)
    for path in report.cover:
        assert path.replay(DEFAULT).state == path.final_state


def test_cover_has_one_path_per_transition_ending_with_it() -> None:
    """The cover holds, in definition order, a path whose last step is each transition."""
    report = cf.check(DEFAULT)
    ends = [(p.steps[-1].trigger, p.steps[-1].dest) for p in report.cover]
    assert ends == [
        (DEFAULT.transitions[i].trigger, DEFAULT.transitions[i].dest)
        for i in sorted(report.transitions_fired)
    ]


def test_paths_are_shortest() -> None:
    """The path to a state has the fewest transitions the process allows."""
    report = cf.check(DEFAULT)
    lengths = {target: len(path) for target, path in report.paths.items()}
    assert lengths == {
        "exploring": 0,
        "building_culture": 1,
        "stalled": 1,
        "dissolved": 1,
        "agenda_setting": 2,
        "signing": 3,
        "organising": 4,
        "operating": 5,
        "completed": 6,
    }


def test_resume_returns_only_to_the_state_it_came_from() -> None:
    """came_from is read from the configuration: a resume never lands in another state."""
    report = cf.check(
        DEFAULT,
        properties=[
            rules.always_step(
                "resume returns",
                lambda before, step, after: (
                    not isinstance(step, cf.Step)
                    or step.trigger != "resume"
                    or step.dest == before.previous
                ),
            )
        ],
    )
    assert report.ok is True


# --- planted bugs -------------------------------------------------------------------------------


@pytest.mark.parametrize("bug", CAUGHT_BY_CHECK, ids=lambda bug: bug.name)
def test_a_planted_bug_is_caught_with_a_shortest_path(bug: Planted) -> None:
    """check() reports the planted bug, first with a path of the minimal length."""
    report = cf.check(bug.build(), properties=bug.properties)
    found = [v for v in report.violations if (v.kind, v.property) == (bug.kind, bug.property)]
    assert report.ok is False
    assert found != []
    length = None if found[0].path is None else len(found[0].path)
    assert length == bug.length


@pytest.mark.parametrize("build", list(planted.BUILD_BUGS), ids=lambda build: build.__name__)
def test_a_planted_bug_is_refused_when_the_process_is_built(
    build: Callable[[], cf.Process],
) -> None:
    """An unreachable state, a terminal state with a way out, a missing Dutch label: refused."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        build()
    assert planted.BUILD_BUGS[build] in caught.value.problems


def _named_state(violation: cf.Violation) -> str:
    """The state a violation says its path ends in."""
    if violation.kind == "precedes":
        return str(violation.params["then"])
    if violation.kind in ("changed_after", "always_step"):
        return str(violation.params["dest"])
    return str(violation.params["state"])


@pytest.mark.parametrize("bug", CAUGHT_BY_CHECK, ids=lambda bug: bug.name)
def test_every_counterexample_of_a_planted_bug_replays_to_the_state_it_names(bug: Planted) -> None:
    """Each violation path rebuilds, on the engine, a trajectory in the state the checker names."""
    process = bug.build()
    report = cf.check(process, properties=bug.properties)
    for violation in report.violations:
        if violation.path is not None:
            trajectory = violation.path.replay(process)
            assert (trajectory.state, violation.path.final_state) == (
                _named_state(violation),
                _named_state(violation),
            )


def test_the_trap_is_reported_once_with_its_shortest_path() -> None:
    """A dead end reached two ways is one violation, with the shorter path."""
    report = cf.check(planted.trap_two_ways())
    deadlocks = [v for v in report.violations if v.kind == "deadlock"]
    assert [str(v.path) for v in deadlocks] == ["start -[enter]-> trap"]
    assert deadlocks[0].params == {"state": "trap"}


def test_nondeterminism_names_the_trigger_state_and_destinations() -> None:
    """The two enabled transitions are named in the violation."""
    report = cf.check(planted.overlapping())
    assert report.violations == (
        cf.Violation(
            "nondeterministic",
            "determinism",
            cf.Path("start", (cf.Step("go", "start", "a"),)),
            key="nondeterministic",
            params={"trigger": "split", "state": "a", "dests": "b, c"},
        ),
    )


def test_the_skipped_trust_gate_is_one_step_from_the_start() -> None:
    """precedes(building_culture, agenda_setting) finds the jump straight away."""
    report = cf.check(planted.shortcut(), properties=[planted.PRECEDES_TRUST])
    assert [str(v.path) for v in report.violations] == ["exploring -[jump]-> agenda_setting"]
    assert report.violations[0].params == {"first": "building_culture", "then": "agenda_setting"}


def test_a_contradiction_never_fires_and_a_tautology_always_can() -> None:
    """Combinators are evaluated over atoms: all_of(g, not g) is dead, any_of(g, not g) is not."""
    process = planted.extended(
        DEFAULT,
        move("leap", "exploring", "signing", planted.CONTRADICTION),
        move("hop", "exploring", "signing", planted.TAUTOLOGY),
    )
    report = cf.check(process)
    assert [(v.kind, v.params) for v in report.violations] == [
        (
            "dead_transition",
            {"trigger": "leap", "source": "exploring", "dest": "signing"},
        )
    ]
    assert len(process.transitions) - 1 in report.transitions_fired


def test_a_state_behind_a_dead_guard_is_unreachable_without_a_path() -> None:
    """A state the structure reaches but no guard lets in is unreachable, with no path."""
    report = cf.check(planted.unreached_pilot())
    assert report.violations[0] == cf.Violation(
        "unreachable", "reachable", None, key="unreachable", params={"state": "pilot"}
    )
    assert "pilot" not in report.states_reached
    assert "pilot" not in report.paths
    assert report.state_coverage == 9 / 10


def test_completion_impossible_differs_from_no_end_state() -> None:
    """limbo can still dissolve (no_completion); a circle can reach no end (no_terminal)."""
    limbo = cf.check(planted.limbo())
    circle = cf.check(planted.circle())
    assert [(v.kind, v.params["state"]) for v in limbo.violations] == [("no_completion", "limbo")]
    assert [(v.kind, v.params["state"]) for v in circle.violations] == [
        ("no_terminal", "a"),
        ("no_terminal", "b"),
    ]


def test_a_regression_loop_names_the_state_it_returns_to() -> None:
    """Two regressions that undo each other within one event are a loop, shortest path first."""
    report = cf.check(planted.loop())
    assert [(str(v.path), v.params["state"]) for v in report.violations] == [
        ("a -[~there]-> b -[+back]-> a", "a"),
        ("a -[~there]-> b -[~back]-> a -[+there]-> b", "b"),
    ]


def test_an_automatic_step_is_marked_in_the_path() -> None:
    """A path through a regression marks its step automatic."""
    report = cf.check(DEFAULT)
    lose_quorum = next(p for p in report.cover if p.steps[-1].trigger == "lose_quorum")
    assert lose_quorum.steps == (cf.Step("lose_quorum", "exploring", "dissolved", automatic=True),)


# --- switching off, bounds, bad arguments -------------------------------------------------------


def test_skip_switches_a_default_property_off() -> None:
    """skip=("no_deadlock",) removes the deadlock violations and keeps the others."""
    report = cf.check(planted.trap(), skip=("no_deadlock",))
    assert [v.kind for v in report.violations] == ["no_terminal"]


def test_skip_of_an_unknown_property_is_an_unknown_name() -> None:
    """A property check() does not know cannot be skipped."""
    with pytest.raises(cf.UnknownNameError) as caught:
        cf.check(DEFAULT, skip=("no_deadlock", "no_such_property"))
    assert (caught.value.kind, caught.value.name) == ("property", "no_such_property")


def test_every_default_property_can_be_skipped() -> None:
    """Skipping every default property leaves no default violation."""
    report = cf.check(planted.trap(), skip=cf.DEFAULT_PROPERTIES)
    assert report.violations == ()


def test_max_configs_bounds_the_exploration_with_a_limit_violation() -> None:
    """max_configs=1 stops after the first configuration and says so."""
    report = cf.check(DEFAULT, max_configs=1)
    limits = [v for v in report.violations if v.kind == "limit"]
    assert limits == [cf.Violation("limit", "max_configs", None, key="limit", params={"count": 1})]
    assert report.configurations == 1


def test_a_report_counts_configurations_and_moves() -> None:
    """The trap process has three configurations and two moves out of the start."""
    report = cf.check(planted.trap())
    assert (report.configurations, report.edges) == (3, 2)


# --- verdicts do not depend on declaration order ------------------------------------------------

ORDERED = (
    (DEFAULT, ()),
    (planted.trap(), ()),
    (planted.overlapping(), ()),
    (planted.shortcut(), (planted.PRECEDES_TRUST,)),
    (planted.never_true(), ()),
    (planted.loop(), ()),
    (planted.limbo(), ()),
    (planted.circle(), ()),
    (planted.reopened(), (rules.never_after("closed"),)),
)


def _verdict(report: cf.CheckReport) -> tuple[object, ...]:
    """What must not depend on the order of declarations."""
    return (
        report.ok,
        {(v.kind, v.property) for v in report.violations},
        report.states_reached,
        report.configurations,
    )


@settings(max_examples=30, deadline=None)
@given(case=st.sampled_from(ORDERED), data=st.data())
def test_verdicts_do_not_depend_on_declaration_order(
    case: tuple[cf.Process, tuple[rules.Rule, ...]], data: st.DataObject
) -> None:
    """Shuffling states and transitions (automatic ones keep their priority) changes nothing."""
    process, properties = case
    states = data.draw(st.permutations(process.states))
    shuffled = data.draw(st.permutations(process.transitions))
    automatic = iter([t for t in process.transitions if t.automatic])
    transitions = [next(automatic) if t.automatic else t for t in shuffled]
    variant = attrs.evolve(process, states=states, transitions=transitions)
    assert [t for t in variant.transitions if t.automatic] == [
        t for t in process.transitions if t.automatic
    ]
    assert variant.initial == process.initial
    before = cf.check(process, properties=properties)
    after = cf.check(variant, properties=properties)
    assert _verdict(after) == _verdict(before)


# --- reports, violations and their text ---------------------------------------------------------


def test_a_violation_describes_itself_in_english_and_dutch() -> None:
    """message is the English text; describe renders any locale, without the path."""
    violation = cf.Violation(
        "deadlock", "no_deadlock", None, key="deadlock", params={"state": "trap"}
    )
    assert violation.message == "state trap is a dead end: nothing leads out of it"
    assert violation.describe("nl") == "fase trap is een doodlopende weg: niets leidt eruit"


def test_violation_params_are_read_only() -> None:
    """A violation's params cannot be changed after the fact."""
    violation = cf.Violation("limit", "max_configs", None, key="limit", params={"max": 1})
    with pytest.raises(TypeError):
        violation.params["max"] = 2  # type: ignore[index]


def test_an_ok_report_renders_a_summary_line_and_its_scope() -> None:
    """A report without violations is one sentence and the scope, in English or Dutch."""
    report = cf.check(DEFAULT)
    counts = f"{report.configurations} configurations, {report.edges} transitions"
    assert report.render().splitlines() == [
        f"Process coopflow-default keeps every rule ({counts}).",
        report.scope.render("en"),
    ]
    assert report.render("nl").splitlines() == [
        f"Proces coopflow-default voldoet aan alle regels ({report.configurations} "
        f"configuraties, {report.edges} overgangen).",
        report.scope.render("nl"),
    ]
    assert report.scope.render("nl").startswith(
        "Reikwijdte: 2 partijen (party-a, party-b), hoogstens 100000 configuraties en 60,0 "
        "seconden."
    )


def test_a_failing_report_renders_each_violation_with_its_path() -> None:
    """Each violation is a line, followed by its shortest path when it has one."""
    report = cf.check(planted.trap())
    assert report.render().splitlines() == [
        "Process trap does not keep its rules (3 configurations, 2 transitions): 2 violations",
        "[no dead ends] state Trap is a dead end: nothing leads out of it",
        "  shortest path (1 transition): Start -[Enter]-> Trap",
        "[completion] from state Trap no end state can be reached",
        "  shortest path (1 transition): Start -[Enter]-> Trap",
        report.scope.render("en"),
    ]
    assert report.render("nl").splitlines()[:3] == [
        "Proces trap houdt zich niet aan zijn regels (3 configuraties, 2 overgangen):"
        " 2 overtredingen",
        "[geen doodlopende fasen] fase TRAP is een doodlopende weg: niets leidt eruit",
        "  kortste pad (1 overgang): START -[ENTER]-> TRAP",
    ]


def test_a_violation_without_a_path_renders_without_a_path_line() -> None:
    """An unreachable state has no path line under it."""
    report = cf.check(planted.unreached_pilot())
    lines = report.render().splitlines()
    assert lines[1:3] == [
        "[reachability] state Pilot cannot be reached",
        "[no dead steps] transition ‘Start_Pilot’ from Exploration to Pilot can never fire",
    ]


def test_a_rule_named_by_its_user_is_shown_under_that_name() -> None:
    """Built-in properties and rule kinds show in words; a user's own rule name as given."""
    rule = rules.always("never stalled", lambda c: c.state != "stalled")
    report = cf.check(DEFAULT, properties=[rule])
    assert report.render("nl").splitlines()[1].startswith("[never stalled] ")
    ordered = cf.check(planted.shortcut(), properties=[planted.PRECEDES_TRUST])
    assert "[volgorde] " in ordered.render("nl")


def test_render_refuses_an_unknown_locale() -> None:
    """Only English and Dutch are spoken."""
    with pytest.raises(cf.UnknownNameError):
        cf.check(DEFAULT).render("de")


def test_raise_for_violations_is_silent_when_everything_holds() -> None:
    """An ok report raises nothing, in any locale."""
    report = cf.check(DEFAULT)
    report.raise_for_violations()
    report.raise_for_violations("nl")
    assert report.ok is True


def test_raise_for_violations_fails_like_an_assert_with_the_shortest_path() -> None:
    """ProcessRuleViolation is an AssertionError whose message holds the shortest path."""
    report = cf.check(planted.shortcut(), properties=[planted.PRECEDES_TRUST])
    with pytest.raises(AssertionError) as caught:
        report.raise_for_violations()
    error = caught.value
    assert isinstance(error, cf.ProcessRuleViolation)
    assert isinstance(error, cf.CoopflowError)
    assert error.report is report
    assert "Exploration -[Jump]-> Drafting the cooperation agenda" in str(error)
    assert str(error) == report.render()
    # The path itself keeps its ids, so it reads back.
    assert str(report.violations[0].path) == "exploring -[jump]-> agenda_setting"


def test_raise_for_violations_speaks_dutch_when_asked() -> None:
    """The error message is the report rendered in the given locale."""
    report = cf.check(planted.trap())
    with pytest.raises(cf.ProcessRuleViolation) as caught:
        report.raise_for_violations("nl")
    assert str(caught.value) == report.render("nl")


def test_a_state_added_with_attrs_evolve_is_explored() -> None:
    """A pilot state added to the default process is reached, five steps in."""
    pilot = planted.extended(
        DEFAULT,
        move("start_pilot", "organising", "pilot", guards.roles_assigned()),
        move("scale_up", "pilot", "operating", guards.finances_covered()),
        states=(state("pilot"),),
    )
    report = cf.check(pilot)
    assert (report.ok, report.paths["pilot"].final_state) == (True, "pilot")
    assert len(report.paths["pilot"]) == 5


# --- generated processes ------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(process=generated_processes(), data=st.data())
def test_verdicts_on_generated_processes_do_not_depend_on_declaration_order(
    process: cf.Process, data: st.DataObject
) -> None:
    """For deterministic generated processes, shuffled declarations give the same verdicts."""
    before = cf.check(process, properties=[rules.sometimes(process.states[-1].id)])
    assume(not any(v.kind == "nondeterministic" for v in before.violations))
    states = data.draw(st.permutations(process.states))
    shuffled = data.draw(st.permutations(process.transitions))
    automatic = iter([t for t in process.transitions if t.automatic])
    transitions = [next(automatic) if t.automatic else t for t in shuffled]
    variant = attrs.evolve(process, states=states, transitions=transitions)
    after = cf.check(variant, properties=[rules.sometimes(process.states[-1].id)])
    assert _verdict(after) == _verdict(before)
    for path in after.paths.values():
        assert path.final_state in after.states_reached
