"""The differential test: what `check` reports agrees with the engine on generated processes.

Each generated process is checked, then driven on the real engine with drawn public events;
every state the engine enters and every transition it fires must be in the report, every rule
a run breaks must be reported, and every path of the report must replay (`tests.differential`).
"""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

import coopflow as cf
from tests import differential
from tests.planted import move, state


@settings(max_examples=25, deadline=None)
@given(process=differential.processes(), seed=st.integers(0, 2**32 - 1))
def test_the_engine_does_nothing_check_calls_impossible(process: cf.Process, seed: int) -> None:
    """No disagreement between the report and 20 engine runs, and every path replays."""
    report = cf.check(process, properties=differential.rules_for(process))
    assert report.complete is True
    assert report.unconfirmed == ()
    rng = random.Random(seed)
    assert differential.disagreements(process, report, rng, runs=20, length=12) == []
    assert differential.replay_failures(process, report) == []


def test_a_regression_that_does_not_hold_is_not_assumed_after_a_manual_step() -> None:
    """a -[go]-> b with an automatic not_(trust()) b -> d: b is reached, and so is d."""
    process = cf.Process(
        "not-trust",
        (
            state("a", initial=True),
            state("b"),
            state("d", terminal=True),
        ),
        (
            move("go", "a", "b"),
            move("doubt", "b", "d", cf.guards.not_(cf.guards.trust()), automatic=True),
            move("finish", "b", "d"),
        ),
    )
    report = cf.check(process, properties=[cf.rules.sometimes("b")])
    assert report.ok is True
    assert len(report.witnesses["sometimes(b)"]) == 1
    assert differential.replay_failures(process, report) == []


def test_a_state_passed_within_one_event_counts() -> None:
    """x -[~alarm]-> y -[+settle]-> a: y is reached, and always(state != y) is broken."""
    process = cf.Process(
        "passing",
        (
            state("x", initial=True),
            state("y"),
            state("a"),
            state("done", terminal=True),
        ),
        (
            move("alarm", "x", "y", cf.guards.culture_breached(), automatic=True),
            move("settle", "y", "a", cf.guards.energy_lost(), automatic=True),
            move("finish", ("x", "y", "a"), "done"),
        ),
    )
    report = cf.check(
        process,
        properties=[cf.rules.sometimes("y"), cf.rules.always("not y", lambda c: c.state != "y")],
    )
    assert "y" in report.states_reached
    (violation,) = [v for v in report.violations if v.property == "not y"]
    assert violation.path is not None
    assert violation.path.final_state == "y"
    assert differential.replay_failures(process, report) == []


def test_correlated_guards_are_not_a_way_out() -> None:
    """[energy(), energy_lost()] can never hold together: the trap is a deadlock."""
    process = cf.Process(
        "correlated",
        (
            state("start", initial=True),
            state("trap"),
            state("done", terminal=True),
        ),
        (
            move("enter", "start", "trap"),
            move("leave", "trap", "done", cf.guards.energy(), cf.guards.energy_lost()),
            move("finish", "start", "done"),
        ),
    )
    report = cf.check(process)
    assert {(v.kind, v.params.get("state")) for v in report.violations} >= {
        ("deadlock", "trap"),
        ("no_terminal", "trap"),
    }
    assert report.complete is True
