"""Tests of facts: recording `FactRecorded`, the facts register, and withdrawing a fact."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import coopflow as cf
from tests.planted import move, state

AT = datetime(2021, 3, 1, 10, tzinfo=UTC)
LATER = AT + timedelta(days=1)

VOCABULARY = cf.Vocabulary(
    facts={
        "council_approval": cf.Fact({"en": "council approval", "nl": "goedkeuring van de raad"}),
        "board_mandate": cf.Fact(
            {"en": "board mandate", "nl": "mandaat van het bestuur"}, per_party=True
        ),
    }
)


def loose(value: object) -> Any:
    """Pass a deliberately ill-typed value past the type checker."""
    return value


def plain() -> cf.Process:
    """A process with two facts and no regressions: recording never moves the trajectory."""
    return cf.Process(
        "facts",
        (state("open", initial=True), state("closed", terminal=True)),
        (move("close", "open", "closed"),),
        vocabulary=VOCABULARY,
    )


@pytest.fixture
def t() -> cf.Trajectory:
    """A trajectory of `plain` with parties a and b."""
    return cf.Trajectory.start(plain(), parties=[cf.Party("a"), cf.Party("b")], at=AT)


# --- the event itself ---------------------------------------------------------------------------


def test_a_fact_record_defaults_to_a_holding_fact_of_the_whole_trajectory() -> None:
    """FactRecorded(fact) is about no party, holds, and has no note."""
    event = cf.FactRecorded("council_approval")
    assert (event.fact, event.party, event.holds, event.note) == (
        "council_approval",
        None,
        True,
        "",
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"fact": ""}, "fact"),
        ({"fact": "   "}, "fact"),
        ({"fact": 7}, "fact"),
        ({"fact": "x", "party": ""}, "party"),
        ({"fact": "x", "party": 3}, "party"),
        ({"fact": "x", "holds": 1}, "holds"),
        ({"fact": "x", "holds": "yes"}, "holds"),
        ({"fact": "x", "note": None}, "note"),
        ({"fact": "x", "note": "\ud800"}, "note"),
    ],
)
def test_a_bad_field_of_a_fact_record_is_named(fields: dict[str, Any], field: str) -> None:
    """Every field of FactRecorded is checked when the event is built."""
    fact = fields.pop("fact")
    with pytest.raises(cf.InvalidEventError) as caught:
        cf.FactRecorded(loose(fact), **fields)
    assert caught.value.field == field


# --- recording facts ----------------------------------------------------------------------------


def test_a_fact_of_the_whole_trajectory_is_recorded(t: cf.Trajectory) -> None:
    """A recorded fact shows in the register with its note and time."""
    t.record(cf.FactRecorded("council_approval", note="meeting of 4 March"), at=AT)
    assert t.snapshot.fact("council_approval") == cf.FactState(
        "council_approval", None, True, "meeting of 4 March", AT
    )


def test_a_per_party_fact_is_recorded_for_its_party_only(t: cf.Trajectory) -> None:
    """A per-party fact of a holds for a and is unknown for b and for the whole trajectory."""
    t.record(cf.FactRecorded("board_mandate", party="a"), at=AT)
    snapshot = t.snapshot
    assert (
        snapshot.fact("board_mandate", "a"),
        snapshot.fact("board_mandate", "b"),
        snapshot.fact("board_mandate"),
    ) == (cf.FactState("board_mandate", "a", True, "", AT), None, None)


def test_an_unrecorded_fact_is_none(t: cf.Trajectory) -> None:
    """Nothing recorded: the register knows nothing of the fact."""
    assert t.snapshot.fact("council_approval") is None


@pytest.mark.parametrize(
    ("event", "field", "value", "reason"),
    [
        (
            cf.FactRecorded("unicorn_sighted"),
            "fact",
            "unicorn_sighted",
            "is not a fact this process declares",
        ),
        (
            cf.FactRecorded("board_mandate"),
            "party",
            None,
            "this fact is recorded per party: name the party",
        ),
        (
            cf.FactRecorded("council_approval", party="a"),
            "party",
            "a",
            "this fact is of the whole trajectory: name no party",
        ),
        (
            cf.FactRecorded("board_mandate", party="stranger"),
            "party",
            "stranger",
            "is not a party of this trajectory",
        ),
    ],
    ids=["undeclared", "per-party-without-party", "trajectory-with-party", "unknown-party"],
)
def test_a_fact_record_that_does_not_fit_the_vocabulary_changes_nothing(
    t: cf.Trajectory, event: cf.FactRecorded, field: str, value: object, reason: str
) -> None:
    """An undeclared fact, a fact addressed the wrong way or an unknown party is refused."""
    before = (t.snapshot, len(t.history))
    with pytest.raises(cf.InvalidEventError) as caught:
        t.record(event, at=AT)
    assert (caught.value.field, caught.value.value, caught.value.reason) == (field, value, reason)
    assert (t.snapshot, len(t.history)) == before


def test_the_default_process_declares_no_facts() -> None:
    """The seed's vocabulary has no facts, so the default process refuses every fact."""
    t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")], at=AT)
    with pytest.raises(cf.InvalidEventError) as caught:
        t.record(cf.FactRecorded("council_approval"), at=AT)
    assert caught.value.field == "fact"


# --- withdrawing facts --------------------------------------------------------------------------


def test_a_withdrawn_fact_no_longer_holds_and_is_marked_withdrawn(t: cf.Trajectory) -> None:
    """Recording holds=False after the fact held withdraws it."""
    t.record(cf.FactRecorded("council_approval"), at=AT)
    t.record(cf.FactRecorded("council_approval", holds=False, note="vote annulled"), at=LATER)
    assert t.snapshot.fact("council_approval") == cf.FactState(
        "council_approval", None, False, "vote annulled", LATER, withdrawn=True
    )


def test_a_fact_that_never_held_is_not_withdrawn(t: cf.Trajectory) -> None:
    """holds=False with nothing before is a fact that does not hold, not a withdrawal."""
    t.record(cf.FactRecorded("council_approval", holds=False), at=AT)
    state = t.snapshot.fact("council_approval")
    assert state is not None
    assert (state.holds, state.withdrawn) == (False, False)


def test_a_withdrawn_fact_stays_withdrawn_when_denied_again(t: cf.Trajectory) -> None:
    """Recording holds=False twice after it held keeps it withdrawn."""
    for holds in (True, False, False):
        t.record(cf.FactRecorded("council_approval", holds=holds), at=AT)
    state = t.snapshot.fact("council_approval")
    assert state is not None
    assert (state.holds, state.withdrawn) == (False, True)


def test_a_withdrawn_fact_recorded_again_holds_and_is_no_longer_withdrawn(
    t: cf.Trajectory,
) -> None:
    """Recording the fact again after a withdrawal makes it hold again."""
    for holds in (True, False, True):
        t.record(cf.FactRecorded("council_approval", holds=holds), at=AT)
    state = t.snapshot.fact("council_approval")
    assert state is not None
    assert (state.holds, state.withdrawn) == (True, False)


def test_withdrawing_one_party_s_fact_leaves_the_other_s(t: cf.Trajectory) -> None:
    """Per-party facts are kept apart: withdrawing a's mandate leaves b's."""
    t.record(cf.FactRecorded("board_mandate", party="a"), at=AT)
    t.record(cf.FactRecorded("board_mandate", party="b"), at=AT)
    t.record(cf.FactRecorded("board_mandate", party="a", holds=False), at=AT)
    a, b = t.snapshot.fact("board_mandate", "a"), t.snapshot.fact("board_mandate", "b")
    assert a is not None
    assert b is not None
    assert ((a.holds, a.withdrawn), (b.holds, b.withdrawn)) == ((False, True), (True, False))


def test_the_register_keeps_one_state_per_fact_and_party(t: cf.Trajectory) -> None:
    """Recording a fact again replaces its state rather than adding one."""
    for holds in (True, False, True, True):
        t.record(cf.FactRecorded("council_approval", holds=holds), at=AT)
    t.record(cf.FactRecorded("board_mandate", party="a"), at=AT)
    assert len(t.snapshot.registers.facts) == 2


# --- parties leaving and joining ----------------------------------------------------------------


def test_a_party_leaving_takes_its_facts_with_it(t: cf.Trajectory) -> None:
    """When a leaves, its per-party facts go; b's and the trajectory's stay."""
    t.record(cf.PartyJoined(cf.Party("c")), at=AT)
    t.record(cf.FactRecorded("board_mandate", party="a"), at=AT)
    t.record(cf.FactRecorded("board_mandate", party="b"), at=AT)
    t.record(cf.FactRecorded("council_approval"), at=AT)
    t.record(cf.PartyLeft("a"), at=AT)
    snapshot = t.snapshot
    assert (
        snapshot.fact("board_mandate", "a"),
        snapshot.fact("board_mandate", "b") is not None,
        snapshot.fact("council_approval") is not None,
    ) == (None, True, True)


def test_a_party_that_rejoins_starts_without_its_old_facts(t: cf.Trajectory) -> None:
    """A party that left and joins again has no facts until they are recorded again."""
    t.record(cf.PartyJoined(cf.Party("c")), at=AT)
    t.record(cf.FactRecorded("board_mandate", party="a"), at=AT)
    t.record(cf.PartyLeft("a"), at=AT)
    t.record(cf.PartyJoined(cf.Party("a")), at=AT)
    assert t.snapshot.fact("board_mandate", "a") is None


def test_a_fact_cannot_be_recorded_for_a_party_that_left(t: cf.Trajectory) -> None:
    """After a leaves, recording its per-party fact is refused naming the party."""
    t.record(cf.PartyJoined(cf.Party("c")), at=AT)
    t.record(cf.PartyLeft("a"), at=AT)
    with pytest.raises(cf.InvalidEventError) as caught:
        t.record(cf.FactRecorded("board_mandate", party="a"), at=AT)
    assert (caught.value.field, caught.value.value) == ("party", "a")


# --- facts in stored trajectories ---------------------------------------------------------------


def test_facts_and_tags_survive_a_round_trip_through_json(t: cf.Trajectory) -> None:
    """A trajectory with facts and tagged parties loads back equal, with the same register."""
    t.record(cf.PartyJoined(cf.Party("c", tags={"backbone"})), at=AT)
    t.record(cf.FactRecorded("council_approval", note="yes"), at=AT)
    t.record(cf.FactRecorded("board_mandate", party="c"), at=AT)
    t.record(cf.FactRecorded("board_mandate", party="c", holds=False), at=LATER)
    loaded = cf.loads(cf.dumps(t), process=t.process)
    assert (loaded, loaded.snapshot.registers.facts, loaded.snapshot.party("c").tags) == (
        t,
        t.snapshot.registers.facts,
        frozenset({"backbone"}),
    )
