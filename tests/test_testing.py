"""Tests of coopflow.testing: strategies, paths, reach, the stateful base class, the plugin."""

import subprocess
import sys
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coopflow as cf
from coopflow import testing
from coopflow.testing import ProcessStateMachine, reach, shortest_paths, transition_cover
from coopflow.testing import strategies as cst
from coopflow.testing._hook import _hypothesis_setup_hook

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
    machine.start_from_a_reachable_state(path=shortest_paths(cf.default_process())["dissolved"])  # type: ignore[attr-defined]
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
            "*exploring -[[]skip[]]-> agenda_setting*",
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
