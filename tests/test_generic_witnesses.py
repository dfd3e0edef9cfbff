"""Tests of the witnesses of the generic guards: the public events that make `score`,
`mean_score`, `fact`, `score_below` and `fact_revoked` hold or fail, for every ``parties=``
selection, and paths through them that `Path.replay` turns into real trajectories.
"""

from datetime import UTC, datetime
from typing import Any

import pytest

import coopflow as cf
from coopflow import guards
from coopflow._witness import witness
from tests.test_generic_guards import COMMS, COUNCIL, MANDATE, PARTIES, ROLE, TAG, process

AT = datetime(2021, 3, 1, 10, tzinfo=UTC)

SELECTIONS: tuple[Any, ...] = (
    "all",
    "any",
    ["a", "b"],
    ["a", "zed"],
    ["zed", "zed"],
    {"tag": TAG},
    {"sector": "knowledge"},
    {"sector": "business"},
    {"role": ROLE},
)


def generic(parties: Any) -> list[guards.Guard]:
    """Each generic guard and condition over `parties`."""
    return [
        guards.score(COMMS, parties=parties),
        guards.score(COMMS, at_least=5.0, parties=parties),
        guards.mean_score([COMMS, "trust"], each_at_least=2.0, parties=parties),
        guards.score_below(COMMS, parties=parties),
        guards.score_below(COMMS, below=4.5, parties=parties),
        guards.fact(MANDATE, parties=parties),
        guards.fact_revoked(MANDATE, parties=parties),
    ]


CASES = [guard for parties in SELECTIONS for guard in generic(parties)] + [
    guards.fact(COUNCIL),
    guards.fact_revoked(COUNCIL),
]


def fresh(guard: guards.Guard, settings: cf.Settings | None = None) -> cf.Trajectory:
    """A trajectory of a process guarded by `guard`, with the three parties of the guard tests."""
    return cf.Trajectory.start(process(guard, settings=settings), parties=PARTIES, at=AT)


def record(t: cf.Trajectory, guard: guards.Guard, holds: bool) -> None:
    """Record the witness of `guard` for `holds` into `t`."""
    for event in witness(guard, t.snapshot, t.process.settings, holds):
        t.record(event, at=AT)


def passed(t: cf.Trajectory, guard: guards.Guard) -> bool:
    """Whether `guard` holds in `t` now."""
    result: cf.GuardResult = guard(t.snapshot, t.process.settings, AT)
    return result.passed


@pytest.mark.parametrize("guard", CASES, ids=repr)
def test_a_witness_makes_a_generic_guard_hold(guard: guards.Guard) -> None:
    """Recording witness(guard, ..., True) makes the guard hold, whoever it selects."""
    t = fresh(guard)
    record(t, guard, True)
    assert passed(t, guard) is True


@pytest.mark.parametrize("guard", CASES, ids=repr)
def test_a_failing_witness_undoes_a_generic_guard_that_held(guard: guards.Guard) -> None:
    """After it held, witness(guard, ..., False) makes it fail again."""
    t = fresh(guard)
    record(t, guard, True)
    record(t, guard, False)
    assert passed(t, guard) is False


@pytest.mark.parametrize("guard", CASES, ids=repr)
def test_a_failing_witness_of_a_fresh_trajectory_makes_the_guard_fail(
    guard: guards.Guard,
) -> None:
    """witness(guard, ..., False) on a fresh trajectory leaves the guard failing."""
    t = fresh(guard)
    record(t, guard, False)
    assert passed(t, guard) is False


@pytest.mark.parametrize(
    ("guard", "nobody_left"),
    [
        (guards.score(COMMS, parties={"tag": TAG}), False),
        (guards.score_below(COMMS, parties={"sector": "business"}), False),
        (guards.fact(MANDATE, parties={"role": ROLE}), False),
        (guards.fact_revoked(MANDATE, parties=["zed"]), False),
        (guards.mean_score([COMMS], parties="any"), True),
    ],
    ids=repr,
)
def test_a_selection_that_finds_nobody_fails_already(
    guard: guards.Guard, nobody_left: bool
) -> None:
    """When the selection finds nobody, the guard fails (a condition does not hold) as it is."""
    t = cf.Trajectory.start(
        process(guard), parties=[cf.Party("x"), cf.Party("y", sector="knowledge")], at=AT
    )
    assert passed(t, guard) is False
    if nobody_left:
        for party in ("x", "y"):
            t.record(cf.PartyLeft(party), at=AT)
    assert witness(guard, t.snapshot, t.process.settings, False) == []


def test_a_witness_names_absent_parties_once() -> None:
    """Ids listed twice join once, and every named party then passes."""
    guard = guards.score(COMMS, parties=["zed", "zed", "a"])
    t = fresh(guard)
    events = witness(guard, t.snapshot, t.process.settings, True)
    assert events == [
        cf.PartyJoined(cf.Party("zed")),
        cf.Assessed("zed", COMMS, 5.0),
        cf.Assessed("a", COMMS, 5.0),
    ]


def test_a_witness_of_a_tag_nobody_carries_brings_in_a_tagged_party() -> None:
    """A tag nobody carries: a newcomer with that tag joins and passes."""
    guard = guards.fact(MANDATE, parties={"tag": TAG})
    t = cf.Trajectory.start(process(guard), parties=[cf.Party("x"), cf.Party("y")], at=AT)
    record(t, guard, True)
    assert (passed(t, guard), [sorted(p.tags) for p in t.snapshot.parties]) == (
        True,
        [[], [], [TAG]],
    )


def test_a_witness_of_a_role_nobody_holds_appoints_the_first_party() -> None:
    """A role nobody holds is given to the first party, which then passes."""
    guard = guards.score(COMMS, parties={"role": ROLE})
    t = fresh(guard)
    record(t, guard, True)
    assert (passed(t, guard), t.snapshot.role_holder(ROLE)) == (True, "a")


@pytest.mark.parametrize(
    ("guard", "holds"),
    [
        (guards.score_below(COMMS, below=1.0), True),
        (guards.score(COMMS, at_least=1.0), False),
        (guards.mean_score([COMMS], at_least=1.0), False),
    ],
    ids=repr,
)
def test_a_threshold_at_the_bottom_of_the_scale_has_no_witness(
    guard: guards.Guard, holds: bool
) -> None:
    """Nothing is under the lowest score: such a condition never holds, such a guard never fails."""
    t = fresh(guard)
    with pytest.raises(cf.TrajectoryError) as caught:
        witness(guard, t.snapshot, t.process.settings, holds)
    assert f"guard {guard.kind!r} has no witness" in str(caught.value)


@pytest.mark.parametrize("holds", [True, False])
def test_a_witness_over_nobody_at_all_is_a_trajectory_error(holds: bool) -> None:
    """With no parties left, "all" has nobody to score: no witness, and replay says so."""
    guard = guards.score(COMMS)
    t = fresh(guard)
    for party in PARTIES:
        t.record(cf.PartyLeft(party.id), at=AT)
    with pytest.raises(cf.TrajectoryError):
        witness(guard, t.snapshot, t.process.settings, holds)


# --- paths through generic guards replay --------------------------------------------------------


@pytest.mark.parametrize(
    "guard",
    [
        guards.score(COMMS, parties=["party-a", "zed"]),
        guards.score_below(COMMS, parties="any"),
        guards.fact_revoked(MANDATE, parties="any"),
        guards.not_(guards.score(COMMS, parties={"tag": TAG})),
        guards.not_(guards.fact(MANDATE, parties={"role": ROLE})),
        guards.not_(guards.score_below(COMMS, parties={"sector": "business"})),
        guards.all_of(guards.fact(COUNCIL), guards.score(COMMS, parties={"tag": TAG})),
        guards.not_(guards.fact_revoked(COUNCIL)),
    ],
    ids=repr,
)
def test_a_path_through_a_generic_guard_replays(guard: guards.Guard) -> None:
    """Path.replay makes the guard of the step hold with public events, and fires it."""
    t = cf.Path.parse("open -[close]-> closed").replay(process(guard))
    assert t.state == "closed"


def test_an_automatic_regression_on_a_generic_condition_replays() -> None:
    """A regression caused by a fact revoked for the backbone replays to its state."""
    p = cf.Process(
        "regressing",
        (
            cf.State("open", {"en": "Open", "nl": "Open"}, initial=True),
            cf.State("halted", {"en": "Halted", "nl": "Gestopt"}),
            cf.State("closed", {"en": "Closed", "nl": "Dicht"}, terminal=True),
        ),
        (
            cf.Transition(
                "halt",
                source="open",
                dest="halted",
                guards=[guards.fact_revoked(MANDATE, parties={"tag": TAG})],
                automatic=True,
                labels={"en": "Halt", "nl": "Stop"},
            ),
            cf.Transition(
                "close",
                source=("open", "halted"),
                dest="closed",
                labels={"en": "Close", "nl": "Sluit"},
            ),
        ),
        vocabulary=process().vocabulary,
    )
    path = cf.Path.parse("open -[~halt]-> halted -[close]-> closed")
    t = path.replay(p)
    tagged = [party.id for party in t.snapshot.parties if TAG in party.tags]
    assert (t.state, len(tagged), t.snapshot.fact(MANDATE, tagged[0]) is not None) == (
        "closed",
        1,
        True,
    )
