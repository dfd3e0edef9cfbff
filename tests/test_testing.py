"""Tests of coopflow.testing: strategies, paths, reach, the stateful base class, the plugin."""

import subprocess
import sys
from collections.abc import Iterator
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, Phase, find, given, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import get_state_machine_test

import coopflow as cf
from coopflow import guards, rules, testing
from coopflow._events import DATA_EVENTS
from coopflow.testing import ProcessStateMachine, reach, shortest_paths, transition_cover
from coopflow.testing import strategies as cst
from coopflow.testing._hook import _hypothesis_setup_hook
from tests import planted
from tests.planted import DEEP_BUGS, GATE_FIRST, move

pytest_plugins = ["pytester"]


@given(cst.parties())
def test_parties_are_valid(party: cf.Party) -> None:
    """Every generated party passes the Party validators again."""
    assert attrs.evolve(party) == party


@given(cst.scores())
def test_scores_stay_on_the_scale(score: float) -> None:
    """Scores are finite and on the default scale."""
    assert 1.0 <= score <= 5.0


def test_scores_include_the_boundaries() -> None:
    """The thresholds and just around them are among the boundary scores."""
    seen: set[float] = set()

    @settings(max_examples=300, derandomize=True, database=None)
    @given(cst.scores())
    def collect(score: float) -> None:
        seen.add(score)

    collect()
    assert {3.0, 3.5, 2.99, 3.49} <= seen


@given(cst.events())
def test_events_are_valid_values(event: Any) -> None:
    """Every generated event passes its own validators again."""
    assert attrs.evolve(event) == event


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cst.trajectories(start="anywhere", max_events=8))
def test_trajectories_are_reachable_and_replay(t: cf.Trajectory) -> None:
    """Generated trajectories come from the engine: their history replays to them."""
    assert cf.Trajectory.replay(t.process, t.history) == t


def test_trajectories_refuse_an_unknown_start() -> None:
    """start is 'initial' or 'anywhere'."""
    with pytest.raises(cf.UnknownNameError):
        cst.trajectories(start="middle")


def test_from_type_resolves_coopflow_values() -> None:
    """The hypothesis entry point registers strategies for coopflow's classes."""
    _hypothesis_setup_hook()  # idempotent; the entry point has already run it

    @settings(max_examples=10, derandomize=True, database=None, deadline=None)
    @given(
        st.from_type(cf.Party),
        st.from_type(cf.Theme),
        st.from_type(cf.Assessed),
        st.from_type(cf.Trajectory),
    )
    def check(party: cf.Party, theme: cf.Theme, event: cf.Assessed, t: cf.Trajectory) -> None:
        assert (type(party), type(theme), type(event), type(t)) == (
            cf.Party,
            cf.Theme,
            cf.Assessed,
            cf.Trajectory,
        )

    check()


@pytest.mark.parametrize("state", [s.id for s in cf.default_process().states])
def test_reach_gives_a_real_trajectory_in_every_state(state: str) -> None:
    """reach() builds a trajectory in each state from public events only."""
    t = reach(cf.default_process(), state)
    assert t.state == state
    assert cf.Trajectory.replay(t.process, t.history) == t


def test_reach_refuses_unknown_and_unreachable_states() -> None:
    """An unknown state, or one the checker cannot reach, is an UnknownNameError."""
    p = cf.default_process()
    with pytest.raises(cf.UnknownNameError):
        reach(p, "nowhere")
    never = cf.Transition(
        "never",
        source="exploring",
        dest="island",
        guards=(cf.guards.all_of(cf.guards.trust(), cf.guards.not_(cf.guards.trust())),),
        labels={"en": "Never", "nl": "Nooit"},
    )
    island = cf.State("island", labels={"en": "Island", "nl": "Eiland"})
    lonely = attrs.evolve(
        p, id="island", states=(*p.states, island), transitions=(*p.transitions, never)
    )
    with pytest.raises(cf.UnknownNameError):
        reach(lonely, "island")


def test_shortest_paths_and_the_cover_replay() -> None:
    """Every shortest path and cover path ends where it says on the real engine."""
    p = cf.default_process()
    paths = shortest_paths(p)
    assert set(paths) == {s.id for s in p.states}
    cover = transition_cover(p)
    assert len(cover) == len(p.transitions)
    for path in [*paths.values(), *cover]:
        assert path.replay(p).state == path.final_state


def test_the_package_resolves_its_names_lazily() -> None:
    """Names resolve on first use; unknown ones are an AttributeError."""
    assert testing.Path is cf.Path
    assert testing.strategies is cst
    with pytest.raises(AttributeError):
        testing.nothing  # noqa: B018


def test_dir_lists_the_lazy_names() -> None:
    """dir(coopflow.testing) lists every public name, resolved or not yet."""
    assert set(testing.__all__) <= set(dir(testing))
    assert "__getattr__" in dir(testing)


def test_importing_the_plugin_imports_no_hypothesis() -> None:
    """The pytest plugin module stays import-light."""
    code = "import sys, coopflow.testing.pytest_plugin; print('hypothesis' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


class DefaultProcessMachine(ProcessStateMachine, process=cf.default_process()):
    """The default process under the ready-made stateful test."""


DefaultProcessMachine.TestCase.settings = settings(
    max_examples=15, stateful_step_count=15, deadline=None
)
TestDefaultProcessMachine = DefaultProcessMachine.TestCase


def test_the_stateful_base_makes_a_rule_per_trigger_and_event() -> None:
    """One rule per manual trigger and per kind of data event, and one initialize rule."""
    state = DefaultProcessMachine.setup_state()
    names = {r.function.__name__ for r in state.rules}
    assert {f"fire_{t}" for t in cf.default_process().triggers} <= names
    assert {"record_assessed", "record_party_joined", "record_budget_set"} <= names
    assert len(state.initializers) == 1


def test_the_stateful_base_refuses_something_that_is_not_a_process() -> None:
    """process= must be a Process."""
    with pytest.raises(cf.InvalidProcessError):

        class Broken(ProcessStateMachine, process="default"):
            pass


def test_the_stateful_base_catches_a_terminal_state_that_changes() -> None:
    """apply() fails loudly when an event changes an ended trajectory."""
    machine = DefaultProcessMachine()
    path = str(shortest_paths(cf.default_process())["dissolved"])
    machine.start_from_a_reachable_state(path=path, steps=0, choices=[])  # type: ignore[attr-defined]
    assert machine.apply(cf.Fire("resume")) is None
    assert machine.apply(cf.ThemeClosed("x")) is None
    applied = machine.apply(cf.Fire("stall"))
    assert applied is None


def test_plugin_checks_the_marked_process(pytester: pytest.Pytester) -> None:
    """coopflow_check passes on the default process and fails with the shortest path."""
    pytester.makepyfile(
        """
        import attrs
        import pytest
        import coopflow as cf
        from coopflow import rules

        p = cf.default_process()
        shortcut = cf.Transition("skip", source="exploring", dest="agenda_setting",
                                 labels={"en": "Skip", "nl": "Overslaan"})
        hasty = attrs.evolve(p, id="hasty", transitions=p.transitions + (shortcut,))

        @pytest.mark.coopflow_process(p)
        def test_default(coopflow_check):
            assert coopflow_check(rules.precedes("building_culture", "agenda_setting")).ok

        @pytest.mark.coopflow_process(hasty)
        def test_hasty(coopflow_check):
            coopflow_check(rules.precedes("building_culture", "agenda_setting"))

        def test_unmarked(coopflow_check):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*coopflow_check needs the marker*",
            "*state Drafting the cooperation agenda can be entered without passing state*",
            "*Exploration -[[]Skip[]]-> Drafting the cooperation agenda*",
        ]
    )


def test_plugin_registers_its_marker_and_can_be_switched_off(pytester: pytest.Pytester) -> None:
    """The marker is listed; with -p no:coopflow the fixture is gone."""
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["*coopflow_process(process)*"])
    pytester.makepyfile("def test_uses(coopflow_check):\n    pass\n")
    off = pytester.runpytest("-p", "no:coopflow", "-p", "no:cacheprovider")
    off.assert_outcomes(errors=1)
    off.stdout.fnmatch_lines(["*fixture 'coopflow_check' not found*"])


def test_an_intermediate_base_without_a_process_gets_no_rules_yet() -> None:
    """A subclass without process= is a base for others; its own subclass gets the rules."""

    class SharedBase(ProcessStateMachine):
        parties = ("a", "b")

    class Concrete(SharedBase, process=cf.default_process()):
        pass

    assert not hasattr(SharedBase, "fire_stall")
    assert hasattr(Concrete, "fire_stall")


# --- the ids the strategies draw reach every witness ----------------------------------------------

_KINDS = {
    "party": "party",
    "parties": "party",
    "interest": "interest",
    "contribution": "contribution",
    "theme": "theme",
    "role": "role",
    "fact": "fact",
    "dimension": "dimension",
}


def _ids_in(value: Any) -> Iterator[tuple[str, str]]:
    """(kind, id) of every id an event refers to, nested themes and parties included."""
    if isinstance(value, cf.Party):
        yield "party", value.id
        yield from (("tag", tag) for tag in value.tags)
        return
    if isinstance(value, cf.Theme):
        yield "theme", value.id
        yield from (("interest", interest) for interest in value.interests)
        return
    for field in attrs.fields(type(value)):
        inner = getattr(value, field.name)
        kind = _KINDS.get(field.name)
        if isinstance(inner, str) and kind and inner:  # a signatory's role is free text or ""
            yield kind, inner
        elif isinstance(inner, tuple | frozenset | list):
            for item in inner:
                yield from ([(kind, item)] if isinstance(item, str) and kind else _ids_in(item))
        elif attrs.has(type(inner)):
            yield from _ids_in(inner)


def _witnessed(process: cf.Process) -> set[tuple[str, str]]:
    """Every id the checker's witnesses write when its paths of `process` are replayed."""
    found: set[tuple[str, str]] = set()
    for path in [*shortest_paths(process).values(), *transition_cover(process)]:
        try:
            replayed = path.replay(process)
        except cf.TrajectoryError:
            continue  # a path of the checker that does not replay: the checker's own tests say so
        for record in replayed.history[1:]:
            if record.actor == "coopflow.replay" and not isinstance(record.event, cf.Fire):
                found |= set(_ids_in(record.event))
    return found


WITNESSED = [
    cf.default_process(),
    *(cf.Process.from_file(cf.example_file(name)) for name in cf.example_names()),
    *(build() for build in DEEP_BUGS.values()),
]


@pytest.mark.parametrize("process", WITNESSED, ids=lambda process: process.id)
def test_the_id_strategies_reach_every_witness_of_the_checker(process: cf.Process) -> None:
    """Each id a replayed path records (witness-theme, witness-cash-0, ...) can be drawn."""
    witnessed = _witnessed(process)
    assert ("theme", "witness-theme") in witnessed or process.id != "default"
    for kind, id in sorted(witnessed):
        drawn = find(
            cst.ids(process, kind),
            lambda value, id=id: value == id,  # type: ignore[misc]
            settings=settings(max_examples=2000, database=None, derandomize=True),
        )
        assert drawn == id


def test_an_event_strategy_closes_the_witness_theme() -> None:
    """ThemeClosed can name the 13-character theme the agenda witness proposes."""
    strategy: st.SearchStrategy[Any] = cst.event_strategies()[cf.ThemeClosed]
    assert find(strategy, lambda event: event.theme == "witness-theme").theme == "witness-theme"


@pytest.mark.parametrize("cls", DATA_EVENTS, ids=lambda cls: cls.__name__)
def test_every_data_event_type_has_a_strategy_of_valid_events(cls: type) -> None:
    """Each strategy, derived from the fields or its own, draws valid events of its type."""
    own_words = cf.Process.from_file(cf.example_file("collective-impact"))  # it declares facts
    strategy: st.SearchStrategy[Any] = cst.event_strategies(own_words)[cls]

    @settings(max_examples=25, derandomize=True, database=None)
    @given(strategy)
    def check(event: Any) -> None:
        assert (type(event), attrs.evolve(event)) == (cls, event)  # its validators pass again

    check()


def test_an_event_field_that_no_rule_draws_is_named() -> None:
    """A field of a type the derived strategies do not know is an UnknownNameError."""

    @attrs.frozen
    class Surveyed:
        party: str
        answers: list[int]

    with pytest.raises(cf.UnknownNameError) as raised:
        cst._derived(Surveyed, {})
    assert (raised.value.kind, raised.value.name) == ("field", "Surveyed.answers")


def test_the_id_pools_hold_the_process_words() -> None:
    """Facts, dimensions, roles and tags of a process's vocabulary; an unknown kind is refused."""
    p = DEEP_BUGS["deep own words"]()
    assert find(cst.ids(p, "dimension"), lambda id: id == "communication") == "communication"
    assert find(cst.ids(p, "fact"), lambda id: id == "mandate") == "mandate"
    assert find(cst.ids(p, "tag"), lambda id: id == "backbone") == "backbone"
    assert find(cst.ids(p, "role"), lambda id: id == "programme_manager") == "programme_manager"
    assert find(cst.ids(kind="tag"), lambda id: len(id) > 1)  # no tags declared: new ones
    with pytest.raises(cf.UnknownNameError):
        cst.ids(p, "colour")


def test_the_id_pools_hold_the_ids_the_guards_name() -> None:
    """A party id a guard's parties= names is in the pool of party ids."""
    named = cf.Process(
        "named",
        planted.small_states(),
        (
            move("finish", "start", "done", guards.score("trust", parties=["stichting-x"])),
            move("skip", "start", "done", guards.score("voice", parties={"sector": "government"})),
        ),
    )
    assert find(cst.ids(named, "party"), lambda id: id == "stichting-x") == "stichting-x"


def test_facts_are_recorded_per_party_where_the_vocabulary_says_so() -> None:
    """A per-party fact names a party, a fact of the whole trajectory none."""
    own_words = DEEP_BUGS["deep own words"]()
    strategy: st.SearchStrategy[Any] = cst.event_strategies(own_words)[cf.FactRecorded]
    mandate = find(strategy, lambda event: event.fact == "mandate")
    council = find(strategy, lambda event: event.fact == "council_approval")
    assert (mandate.party is not None, council.party) == (True, None)


def test_scores_are_biased_to_the_thresholds_of_the_process_guards() -> None:
    """A threshold a guard names (4.5 here) and just under it are among the drawn scores."""
    seen: set[float] = set()

    @settings(max_examples=300, derandomize=True, database=None)
    @given(cst.scores(DEEP_BUGS["deep own words"]()))
    def collect(score: float) -> None:
        seen.add(score)

    collect()
    assert {4.5, 4.49} <= seen


# --- the stateful base: rules, steering, deep bugs -----------------------------------------------


def _found(process: cf.Process, run_seed: int, **options: Any) -> str:
    """The failure a derandomised run of the machine with `GATE_FIRST` reports ('' if none)."""

    class Deep(ProcessStateMachine, process=process, rules=[GATE_FIRST]):
        pass

    test = get_state_machine_test(
        Deep,
        settings=settings(
            database=None,
            deadline=None,
            derandomize=False,
            suppress_health_check=list(HealthCheck),
            **options,
        ),
    )
    try:
        seed(run_seed)(test)()
    except AssertionError as error:
        return str(error)
    return ""


@pytest.mark.parametrize("name", sorted(DEEP_BUGS))
@pytest.mark.parametrize("run_seed", [0])
def test_the_machine_finds_a_rule_broken_only_deep_in_a_run(name: str, run_seed: int) -> None:
    """Within 200 examples a fixed seed finds precedes(gate, target) broken on the bypass."""
    found = _found(
        DEEP_BUGS[name](),
        run_seed,
        max_examples=200,
        phases=[Phase.explicit, Phase.generate],  # finding is asserted, not the shrunk program
    )
    assert "rule 'precedes(gate, target)' is broken: start -[step1]-> b1 -[step2]-> b2" in found
    assert found.endswith("-[step7]-> target")


def _machine(process: cf.Process, *checked: Any, path: str = "") -> ProcessStateMachine:
    class Checked(ProcessStateMachine, process=process, rules=checked):
        pass

    machine = Checked()
    machine.start_from_a_reachable_state(  # type: ignore[attr-defined]
        path=path or process.initial, steps=0, choices=[]
    )
    return machine


def test_never_after_is_checked_on_the_run() -> None:
    """Leaving a state named by never_after fails with the path the run took."""
    machine = _machine(
        planted.reopened(), rules.never_after("closed"), path="start -[close]-> closed"
    )
    machine.apply(cf.Fire("note"))
    machine.the_rules_hold()
    machine.apply(cf.Fire("reopen"))
    with pytest.raises(AssertionError, match=r"never_after\(closed\).*-\[reopen\]-> start"):
        machine.the_rules_hold()


def test_always_and_always_step_are_checked_on_the_run() -> None:
    """A configuration or a step that breaks always / always_step fails; sometimes is not."""
    never_done = rules.always("never done", lambda c: c.state != "done")
    no_retreat = rules.always_step(
        "no retreat", lambda before, step, after: getattr(step, "trigger", "") != "retreat"
    )
    process = planted.deep_precedes()
    machine = _machine(process, never_done, no_retreat, rules.sometimes("gate"), GATE_FIRST)
    machine.apply(cf.Fire("open_gate"))
    machine.the_rules_hold()  # precedes of another state: nothing to check
    machine.apply(cf.Fire("finish"))
    with pytest.raises(AssertionError, match="never done"):
        machine.the_rules_hold()
    step = _machine(process, no_retreat, path="start -[step1]-> b1")
    step.apply(cf.Fire("retreat"))
    with pytest.raises(AssertionError, match="no retreat"):
        step.the_rules_hold()


def test_a_rule_broken_in_the_initial_state_fails_at_the_start() -> None:
    """always is checked in the initial configuration too."""
    with pytest.raises(AssertionError, match="not the start"):
        _machine(planted.trap(), rules.always("not the start", lambda c: c.state != "start"))


def test_the_stateful_base_refuses_what_is_not_a_rule_or_names_no_state() -> None:
    """rules= takes rules of coopflow.rules about states the process has."""
    with pytest.raises(cf.InvalidProcessError, match=r"is not a rule of coopflow\.rules"):

        class NotARule(ProcessStateMachine, process=planted.trap(), rules=["trap"]):
            pass

    with pytest.raises(cf.UnknownNameError):

        class Nowhere(ProcessStateMachine, process=planted.trap(), rules=[rules.sometimes("x")]):
            pass

    with pytest.raises(cf.UnknownNameError):

        class Never(ProcessStateMachine, process=planted.trap(), rules=[rules.never_after("x")]):
            pass


def test_steer_makes_the_guards_hold_and_fires() -> None:
    """steer records the witnesses of the failing guards, then fires; it stops at the end."""
    machine = _machine(planted.deep_precedes(), path="start -[step1]-> b1")
    machine.steer(steps=6, choices=[])
    assert machine.trajectory.state == "target"
    machine.steer(steps=3, choices=[200])  # target -> done, then nothing leaves done
    assert machine.trajectory.state == "done"


def test_steer_takes_an_automatic_regression_by_its_condition() -> None:
    """An automatic transition is taken by recording its condition's witness, not fired."""
    machine = _machine(planted.deep_regressions(), path="start -[step1]-> b1 -[step2]-> b2")
    machine.steer(steps=1, choices=[0])
    assert machine.trajectory.state == "b3"
    assert machine.trajectory.history[-1].transitions[0].automatic


@guards.register("test_untestable")
@attrs.frozen
class Untestable:
    """A custom guard without a witness that never holds."""

    kind: ClassVar[str]

    def __call__(self, snapshot: cf.Snapshot, settings: cf.Settings, at: Any) -> cf.GuardResult:
        return cf.GuardResult(self.kind, False)


def test_steer_leaves_a_guard_without_a_witness_as_it_is() -> None:
    """A guard without a witness is not made to hold; the fire is refused and changes nothing."""
    process = cf.Process(
        "untestable",
        planted.small_states(),
        (move("finish", "start", "done", Untestable()),),
    )
    machine = _machine(process)
    machine.steer(steps=1, choices=[0])
    assert machine.trajectory.state == "start"
    assert machine.trajectory.history[-1].outcome is cf.Outcome.REFUSED


def test_the_parties_of_a_run_carry_the_tags_and_ids_the_process_names() -> None:
    """The first party carries the vocabulary's tags; ids a guard names take part too."""
    process = cf.Process(
        "named",
        planted.small_states(),
        (
            move("finish", "start", "done", guards.score("trust", parties=["stichting-x"])),
            move("skip", "start", "done", guards.fact("mandate", parties={"tag": "backbone"})),
        ),
        vocabulary=cf.Vocabulary(
            facts={"mandate": cf.Fact({"en": "m", "nl": "m"}, per_party=True)},
            tags={"backbone": {"en": "backbone", "nl": "backbone"}},
        ),
    )
    parties = _machine(process).trajectory.snapshot.parties
    assert [(party.id, sorted(party.tags)) for party in parties] == [
        ("gemeente", ["backbone"]),
        ("universiteit", []),
        ("stichting-x", []),
    ]

    class Own(ProcessStateMachine):
        parties = (cf.Party("chair", tags={"backbone"}), "member")

    class Mine(Own, process=process):
        pass

    machine = Mine()
    machine.start_from_a_reachable_state(path="start", steps=0, choices=[])  # type: ignore[attr-defined]
    tags = {party.id: party.tags for party in machine.trajectory.snapshot.parties}
    assert tags == {"chair": {"backbone"}, "member": frozenset(), "stichting-x": frozenset()}


def test_a_run_that_never_started_has_nothing_to_check_at_the_end() -> None:
    """teardown checks the round trip only of a run that started."""
    DefaultProcessMachine().teardown()
    machine = _machine(cf.default_process())
    machine.apply(cf.Fire("stall"))
    machine.teardown()
    assert machine.trajectory.state == "stalled"


@pytest.mark.parametrize("name", cf.example_names())
def test_the_stateful_base_runs_every_example_process(name: str) -> None:
    """Processes with their own vocabulary (facts, dimensions, tags) run under the machine."""
    process = cf.Process.from_file(cf.example_file(name))
    ended = rules.never_after(*(s.id for s in process.states if s.terminal))

    class Example(ProcessStateMachine, process=process, rules=[ended]):
        pass

    if process.vocabulary.facts:
        assert hasattr(Example, "record_fact_recorded")
    options = settings(max_examples=5, stateful_step_count=10, deadline=None, derandomize=True)
    get_state_machine_test(Example, settings=options)()
