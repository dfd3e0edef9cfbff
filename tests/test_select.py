"""Tests of coopflow.guards._select and the edges of selections: the hashable one-key selector,
selections that are not valid, and witnesses when nobody takes part."""

from datetime import UTC, datetime

import pytest

import coopflow as cf
from coopflow import guards
from coopflow._witness import witness
from coopflow.guards._select import Pick, is_selected, select, to_selection

AT = datetime(2021, 3, 1, 10, tzinfo=UTC)


def test_a_one_key_selector_is_a_hashable_mapping() -> None:
    """Pick behaves as {"tag": "funder"}: same items, equal, hashable, and a missing key fails."""
    pick = to_selection({"tag": "funder"})
    assert isinstance(pick, Pick)
    assert (dict(pick), len(pick), pick == {"tag": "funder"}, repr(pick)) == (
        {"tag": "funder"},
        1,
        True,
        "{'tag': 'funder'}",
    )
    assert hash(pick) == hash(to_selection({"tag": "funder"}))
    assert pick != {"tag": "backbone"}
    with pytest.raises(KeyError):
        pick["role"]


@pytest.mark.parametrize(
    "parties",
    [{"tag": "a", "role": "b"}, {"colour": "red"}, {"tag": ""}, {"sector": "church"}, "one", 5, []],
)
def test_a_selection_that_is_not_one_is_refused(parties: object) -> None:
    """Every malformed parties= is an InvalidProcessError when the guard is made."""
    with pytest.raises(cf.InvalidProcessError):
        guards.score("trust", parties=parties)  # type: ignore[arg-type]


def test_a_selection_of_the_wrong_type_in_a_document_is_refused() -> None:
    """In a file, parties = 5 is an InvalidProcessError naming the guard and the parameter."""
    document = cf.to_dict(cf.default_process())
    document["transitions"][0]["guards"] = [{"kind": "score", "dimension": "trust", "parties": 5}]
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.from_dict(document, cf.Process)
    assert caught.value.problems == (
        "guard 'score' parameter 'parties' is not valid: 5 is not 'all', 'any', a list of party "
        "ids or a selector",
    )


@pytest.mark.parametrize(
    "guard",
    [guards.score("trust"), guards.score_below("trust"), guards.fact_revoked("x", parties="all")],
)
@pytest.mark.parametrize("holds", [True, False])
def test_no_witness_when_nobody_takes_part(guard: guards.Guard, holds: bool) -> None:
    """With no party at all, no events can make a selection of everyone hold or fail."""
    nobody = cf.Snapshot("exploring", ())
    with pytest.raises(cf.TrajectoryError, match="has no witness"):
        witness(guard, nobody, cf.Settings(), holds)


@pytest.mark.parametrize("share", [0.0, 1.5, -1.0])
def test_a_share_that_is_not_one_is_refused_when_the_process_is_built(share: float) -> None:
    """equal_standing(max_share=1.5) or finances_covered(coverage=0) cannot build a process."""
    p = cf.default_process()
    for guard in (guards.equal_standing(max_share=share), guards.finances_covered(coverage=share)):
        bad = cf.Transition(
            "x", "exploring", "dissolved", guards=[guard], labels={"en": "X", "nl": "X"}
        )
        with pytest.raises(cf.InvalidProcessError) as caught:
            cf.Process("p", p.states, (*p.transitions, bad))
        assert "must be a share above 0 and at most 1" in caught.value.problems[0]


SELECTIONS = [  # ("any" is not one party's: is_selected is not asked about it)
    None,
    ("a", "c"),
    {"tag": "backbone"},
    {"sector": "government"},
    {"role": "chair"},
    {"role": "treasurer"},
]


@pytest.mark.parametrize("parties", SELECTIONS, ids=repr)
def test_is_selected_agrees_with_select(parties: object) -> None:
    """One party at a time, the same parties as the selection picks all at once."""
    process = cf.Process(
        "p",
        (cf.State("s", {"en": "S", "nl": "S"}, initial=True),),
        (),
        vocabulary=cf.Vocabulary(
            roles={"chair": {"en": "chair", "nl": "voorzitter"}},
            tags={"backbone": {"en": "backbone", "nl": "backbone"}},
        ),
    )
    t = cf.Trajectory.start(
        process,
        parties=[
            cf.Party("a", tags={"backbone"}),
            cf.Party("b", sector=cf.Sector.GOVERNMENT),
            cf.Party("c"),
        ],
        at=AT,
    )
    t.record(cf.RoleAssigned("chair", "c"), at=AT)
    selection = to_selection(parties)
    chosen, _ = select(t.snapshot, selection)
    picked = [p.id for p in t.snapshot.parties if is_selected(t.snapshot, selection, p.id)]
    assert picked == [p.id for p in chosen]


@pytest.mark.parametrize(
    ("condition", "party", "expected"),
    [
        (guards.score_below("trust"), "a", True),
        (guards.score_below("trust"), "b", False),
        (guards.score_below("trust", parties="any"), "a", None),
        (guards.score_below("trust", parties=["b"]), "a", False),
        (guards.energy_lost(), "a", False),
        (guards.culture_breached(), "a", True),
        (guards.culture_breached(), "b", False),
    ],
)
def test_a_condition_answers_for_one_party(
    condition: guards.Guard, party: str, expected: bool | None
) -> None:
    """What the engine asks after a score of one party: does that party have a finding?"""
    t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")], at=AT)
    t.record(cf.Assessed("a", "trust", 2.0), at=AT)
    t.record(cf.Assessed("b", "trust", 4.0), at=AT)
    settings = cf.default_process().settings
    answer = condition._holds_for(t.snapshot, settings, party)  # type: ignore[attr-defined]
    assert answer == expected


@pytest.mark.parametrize(
    "guard",
    [
        guards.score("trust"),
        guards.mean_score(["stake", "urgency", "impact"]),
        guards.trust(),
        guards.energy(),
    ],
    ids=lambda g: g.kind,
)
def test_a_guard_over_every_party_fails_when_nobody_is_left(guard: guards.Guard) -> None:
    """Absence is failure: with no party left, "all" fails as a selection of nobody does."""
    nobody = cf.Snapshot("exploring", ())
    result = guard(nobody, cf.default_process().settings, AT)
    assert (result.passed, [f.key for f in result.failures]) == (False, ["too_few_parties"])


def test_a_condition_over_every_party_does_not_hold_when_nobody_is_left() -> None:
    """Absence never moves a trajectory back: no party, no finding."""
    nobody = cf.Snapshot("exploring", ())
    settings = cf.default_process().settings
    assert [g(nobody, settings, AT).passed for g in (guards.score_below("trust"),)] == [False]
