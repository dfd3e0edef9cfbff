"""rebase: recorded events replayed under a changed definition, every changed outcome reported."""

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import coopflow as cf
from coopflow import demo
from coopflow.testing import reach
from tests.conftest import T0
from tests.test_properties import Scenario, scenarios

PROCESS = cf.default_process()
PARTIES = [cf.Party("gemeente"), cf.Party("uni")]


def _stricter(**settings: object) -> cf.Process:
    return cf.default_process(settings=cf.Settings(**settings))  # type: ignore[arg-type]


def _kinds(rebased: cf.Rebased) -> list[tuple[str, int, str]]:
    return [
        (c.kind.value, c.old.seq, getattr(c.old.event, "trigger", type(c.old.event).__name__))
        for c in rebased.changes
    ]


def _with_pilot() -> cf.Process:
    """The default process with a pilot between organising and operating."""
    pilot = cf.State("pilot", labels={"en": "Pilot", "nl": "Proeffase"})
    return attrs.evolve(
        PROCESS,
        id="with-pilot",
        states=(*PROCESS.states, pilot),
        transitions=(
            *PROCESS.transitions,
            cf.Transition(
                "start_pilot",
                source="organising",
                dest="pilot",
                guards=(cf.guards.roles_assigned(),),
                labels={"en": "Start the pilot", "nl": "Start de proef"},
            ),
            cf.Transition(
                "scale_up",
                source="pilot",
                dest="operating",
                labels={"en": "Scale up", "nl": "Opschalen"},
            ),
        ),
    )


def test_a_raised_threshold_refuses_a_fire_that_was_applied() -> None:
    """The Tilburg trajectory under entry threshold 4.0: set_agenda is now refused (a voice
    score of 3.9), and so is every later step; the data events still apply."""
    t = demo.tilburg(out=lambda line: None)
    stricter = _stricter(entry_threshold=4.0)
    rebased = cf.rebase(t, stricter)
    assert _kinds(rebased) == [
        ("refused", 22, "set_agenda"),
        ("refused", 27, "open_signing"),
        ("refused", 31, "organise"),
        ("refused", 36, "start"),
    ]
    refusal = rebased.changes[0]
    assert refusal.new is not None
    assert refusal.new.explanation is not None
    assert [f.party for f in refusal.new.explanation.failures] == ["tilburg-university"]
    assert (refusal.error, refusal.reason) == (None, "")
    new = rebased.trajectory
    assert (new.state, new.revision, new.process) == ("building_culture", t.revision, stricter)
    assert [r.at for r in new.history] == [r.at for r in t.history]
    assert [r.actor for r in new.history] == [r.actor for r in t.history]
    assert cf.Trajectory.replay(stricter, new.history) == new
    assert rebased.changed
    assert t.state == "operating"  # the original is untouched


def test_a_fire_that_was_refused_now_fires() -> None:
    """A refused form_culture becomes allowed when the new definition drops its guard."""
    t = cf.Trajectory.start(PROCESS, parties=PARTIES, id="t", at=T0)
    with pytest.raises(cf.TransitionRefused):
        t.fire("form_culture", at=T0, actor="facilitator")
    open_door = attrs.evolve(
        PROCESS,
        transitions=tuple(
            attrs.evolve(tr, guards=()) if tr.trigger == "form_culture" else tr
            for tr in PROCESS.transitions
        ),
    )
    rebased = cf.rebase(t, open_door)
    assert _kinds(rebased) == [("allowed", 1, "form_culture")]
    change = rebased.changes[0]
    assert change.new is not None
    assert change.new.actor == "facilitator"
    assert [(tr.source, tr.dest) for tr in change.new.transitions] == [
        ("exploring", "building_culture")
    ]
    assert rebased.trajectory.state == "building_culture"


def _in_agenda_setting() -> cf.Trajectory:
    t = demo.tilburg(out=lambda line: None)
    history = [r for r in t.history if r.seq <= 23]  # up to the applied set_agenda
    return cf.Trajectory.replay(PROCESS, history)


def test_a_raised_regression_threshold_makes_a_regression_happen() -> None:
    """A trust score of 3.2 is borderline under the default (3.0) and a breach under 3.4."""
    t = _in_agenda_setting()
    assert t.state == "agenda_setting"
    t.record(cf.Assessed("gemeente-tilburg", cf.Dimension.TRUST, 3.2), at=t.history[-1].at)
    assert t.state == "agenda_setting"
    stricter = _stricter(regression_threshold=3.4)
    rebased = cf.rebase(t, stricter)
    assert _kinds(rebased) == [("transitions", 24, "Assessed")]
    change = rebased.changes[0]
    assert change.old.transitions == ()
    assert change.new is not None
    assert [(tr.trigger, tr.automatic) for tr in change.new.transitions] == [
        ("breach_culture", True)
    ]
    assert rebased.trajectory.state == "building_culture"
    # And back: under the default, the regression no longer happens.
    back = cf.rebase(rebased.trajectory, PROCESS)
    assert _kinds(back) == [("transitions", 24, "Assessed")]
    assert back.trajectory == t


def test_a_removed_state_makes_the_records_through_it_invalid() -> None:
    """Dropping the pilot: the fires into and out of it are invalid (left out, reported with
    their errors), and the records after them now start from organising."""
    with_pilot = _with_pilot()
    t = reach(with_pilot, "pilot")
    at = t.history[-1].at
    pilot_start = t.revision
    t.record(cf.Assessed(t.snapshot.party_ids[0], cf.Dimension.TRUST, 4.5), at=at)
    t.fire("scale_up", at=at)
    t.fire("stall", at=at)
    assert t.state == "stalled"
    rebased = cf.rebase(t, PROCESS)
    assert _kinds(rebased) == [
        ("invalid", pilot_start, "start_pilot"),
        ("invalid", pilot_start + 2, "scale_up"),
        ("transitions", pilot_start + 3, "stall"),
    ]
    invalid = rebased.changes[0]
    assert invalid.new is None
    assert isinstance(invalid.error, cf.UnknownNameError)
    assert "start_pilot" in invalid.reason
    stall = rebased.changes[2].new
    assert stall is not None
    assert stall.seq == pilot_start + 1  # two invalid records are not in the new history
    assert [(tr.source, tr.dest) for tr in stall.transitions] == [("organising", "stalled")]
    new = rebased.trajectory
    assert (new.state, new.revision) == ("stalled", t.revision - 2)
    assert new.snapshot.previous == "organising"
    assert cf.Trajectory.replay(PROCESS, new.history) == new


def test_a_data_event_the_new_definition_does_not_declare_is_invalid() -> None:
    """A score on a dimension the new vocabulary lacks is an InvalidEventError change."""
    words = PROCESS.vocabulary
    extra = attrs.evolve(
        words,
        dimensions={**words.dimensions, "communication": {"en": "Talking", "nl": "Praten"}},
    )
    talking = attrs.evolve(PROCESS, id="talking", vocabulary=extra)
    t = cf.Trajectory.start(talking, parties=PARTIES, id="t", at=T0)
    t.record(cf.Assessed("uni", "communication", 4.0), at=T0)
    t.fire("dissolve", at=T0)
    rebased = cf.rebase(t, PROCESS)
    assert _kinds(rebased) == [("invalid", 1, "Assessed")]
    assert isinstance(rebased.changes[0].error, cf.InvalidEventError)
    assert rebased.trajectory.state == "dissolved"


def test_an_event_after_a_now_terminal_state_is_invalid() -> None:
    """When a trigger now ends the trajectory earlier, later data events are invalid."""
    ends_early = attrs.evolve(
        PROCESS,
        transitions=tuple(
            attrs.evolve(tr, dest="dissolved") if tr.trigger == "stall" else tr
            for tr in PROCESS.transitions
        ),
    )
    t = cf.Trajectory.start(PROCESS, parties=PARTIES, id="t", at=T0)
    t.fire("stall", at=T0)
    t.record(cf.Assessed("uni", cf.Dimension.TRUST, 4.0), at=T0)
    rebased = cf.rebase(t, ends_early)
    assert _kinds(rebased) == [("transitions", 1, "stall"), ("invalid", 2, "Assessed")]
    assert rebased.changes[1].reason.endswith("the trajectory has ended")


def test_rebase_refuses_what_is_not_a_trajectory_or_a_process() -> None:
    """Bad arguments are InvalidEventError naming the argument."""
    t = cf.Trajectory.start(PROCESS, parties=PARTIES, at=T0)
    with pytest.raises(cf.InvalidEventError) as error:
        cf.rebase("t", PROCESS)  # type: ignore[arg-type]
    assert error.value.field == "trajectory"
    with pytest.raises(cf.InvalidEventError) as error:
        cf.rebase(t, "default")  # type: ignore[arg-type]
    assert error.value.field == "process"


def test_rebase_carries_no_listener_over() -> None:
    """The new trajectory is a new object: the old one's listeners stay with the old one."""
    t = cf.Trajectory.start(PROCESS, parties=PARTIES, at=T0)
    seen: list[int] = []
    t.subscribe(lambda _, record: seen.append(record.seq))
    rebased = cf.rebase(t, PROCESS).trajectory
    rebased.fire("stall", at=T0)
    assert (seen, rebased.revision, t.revision) == ([], 1, 0)


@given(scenarios())
def test_rebasing_onto_the_same_process_changes_nothing(scenario: Scenario) -> None:
    """Any trajectory rebased onto its own process: no change, and an equal trajectory."""
    t = scenario.run().t
    rebased = cf.rebase(t, PROCESS)
    assert (rebased.changes, rebased.changed) == ((), False)
    assert rebased.trajectory == t


@given(
    scenarios(),
    st.floats(min_value=3.0, max_value=4.5),
    st.floats(min_value=0.0, max_value=1.0),
)
def test_a_rebased_trajectory_replays_and_rebasing_again_changes_nothing(
    scenario: Scenario, entry: float, fraction: float
) -> None:
    """Under other settings: the new history replays, every record kept or reported."""
    t = scenario.run().t
    regression = 2.5 + fraction * (entry - 2.5)
    other = _stricter(entry_threshold=entry, regression_threshold=regression)
    rebased = cf.rebase(t, other)
    new = rebased.trajectory
    assert cf.Trajectory.replay(other, new.history) == new
    invalid = [c for c in rebased.changes if c.kind is cf.ChangeKind.INVALID]
    assert new.revision == t.revision - len(invalid)
    assert cf.rebase(new, other).changes == ()


# --- what changed, in words --------------------------------------------------------------------


def test_a_fire_now_refused_reads_with_its_explanation_in_both_languages() -> None:
    """The headline names the record and the trigger by its label, then why it is refused."""
    stricter = _stricter(entry_threshold=4.0)
    change = cf.rebase(demo.tilburg(out=lambda line: None), stricter).changes[0]
    assert change.message("nl", process=stricter).splitlines() == [
        "registratie 22: ‘Voortraject afronden’ ging eerder door en wordt nu geweigerd",
        "‘Voortraject afronden’ kan nog niet vanuit de fase Vorming samenwerkingscultuur. "
        "Nog nodig:",
        "- Tilburg University: de score voor zeggenschap is 3,9; nodig is minstens 4,0",
    ]
    assert change.message(process=stricter).splitlines()[0] == (
        "record 22: ‘Complete the preliminary phase’ went ahead before and is now refused"
    )
    assert change.message().splitlines()[0] == (
        "record 22: ‘set_agenda’ went ahead before and is now refused"
    )


def test_a_fire_now_allowed_reads_in_both_languages() -> None:
    """An allowed fire says it was refused before."""
    t = cf.Trajectory.start(PROCESS, parties=PARTIES, id="t", at=T0)
    with pytest.raises(cf.TransitionRefused):
        t.fire("form_culture", at=T0)
    open_door = attrs.evolve(
        PROCESS,
        transitions=tuple(
            attrs.evolve(tr, guards=()) if tr.trigger == "form_culture" else tr
            for tr in PROCESS.transitions
        ),
    )
    (change,) = cf.rebase(t, open_door).changes
    label = PROCESS.label("form_culture", locale="nl")
    assert (change.message("nl", process=open_door), change.message("en")) == (
        f"registratie 1: ‘{label}’ werd eerder geweigerd en gaat nu door",
        "record 1: ‘form_culture’ was refused before and now goes ahead",
    )


def test_a_regression_that_now_happens_or_no_longer_happens_reads_in_both_languages() -> None:
    """Other transitions read as where the record leads now, and where it led before."""
    t = _in_agenda_setting()
    t.record(cf.Assessed("gemeente-tilburg", cf.Dimension.TRUST, 3.2), at=t.history[-1].at)
    stricter = _stricter(regression_threshold=3.4)
    rebased = cf.rebase(t, stricter)
    (now,) = rebased.changes
    (back,) = cf.rebase(rebased.trajectory, PROCESS).changes
    culture = PROCESS.label("building_culture", locale="nl")
    assert [
        now.message("nl", process=stricter),
        now.message("en"),
        back.message("nl", process=PROCESS),
    ] == [
        f"registratie 24 leidt nu naar de fase {culture}",
        "record 24 now leads to the building_culture phase",
        f"registratie 24 leidt niet meer naar de fase {culture}",
    ]


def test_a_trigger_that_now_leads_elsewhere_reads_in_both_languages() -> None:
    """stall now ends the trajectory: it leads to dissolved instead of stalled."""
    ends_early = attrs.evolve(
        PROCESS,
        transitions=tuple(
            attrs.evolve(tr, dest="dissolved") if tr.trigger == "stall" else tr
            for tr in PROCESS.transitions
        ),
    )
    t = cf.Trajectory.start(PROCESS, parties=PARTIES, id="t", at=T0)
    t.fire("stall", at=T0)
    (change,) = cf.rebase(t, ends_early).changes
    labels = [PROCESS.label(state, locale="nl") for state in ("dissolved", "stalled")]
    assert (change.message("nl", process=ends_early), change.message("en")) == (
        f"registratie 1 leidt nu naar de fase {labels[0]} in plaats van naar de fase {labels[1]}",
        "record 1 now leads to the dissolved phase instead of the stalled phase",
    )


def test_a_removed_state_reads_as_records_left_out_and_another_way() -> None:
    """An invalid event gives its error in the reader's language; the stall that reached
    stalled through the removed pilot now reaches it another way."""
    with_pilot = _with_pilot()
    t = reach(with_pilot, "pilot")
    at = t.history[-1].at
    seq = t.revision
    t.fire("scale_up", at=at)
    t.fire("stall", at=at)
    invalid, _, another_way = cf.rebase(t, PROCESS).changes
    stalled = PROCESS.label("stalled", locale="nl")
    assert invalid.error is not None
    assert [
        invalid.message("nl", process=PROCESS),
        invalid.message("en"),
        another_way.message("nl", process=PROCESS),
        another_way.message("en"),
    ] == [
        f"registratie {seq} is weggelaten: {invalid.error.message('nl')}",
        f"record {seq} is left out: {invalid.error}",
        f"registratie {seq + 2} bereikt de fase {stalled} nu langs een andere weg",
        f"record {seq + 2} now reaches the stalled phase another way",
    ]


def test_a_change_made_by_hand_reads_without_labels_it_cannot_find() -> None:
    """A state the given process does not have shows as its id; a refusal without its new
    record has only its headline."""
    t = cf.Trajectory.start(PROCESS, parties=PARTIES, id="t", at=T0)
    t.fire("stall", at=T0)
    old = t.history[1]
    elsewhere = attrs.evolve(
        old, transitions=(cf.TransitionRecord("stall", "exploring", "pilot", False),)
    )
    moved = cf.Change(cf.ChangeKind.TRANSITIONS, old, elsewhere)
    refused = cf.Change(cf.ChangeKind.REFUSED, old)
    stalled = PROCESS.label("stalled", locale="nl")
    assert (moved.message("nl", process=PROCESS), refused.message("nl")) == (
        f"registratie 1 leidt nu naar de fase pilot in plaats van naar de fase {stalled}",
        "registratie 1: ‘stall’ ging eerder door en wordt nu geweigerd",
    )


def test_a_change_speaks_english_and_dutch_only() -> None:
    """Another locale is an UnknownNameError, as for every message."""
    t = cf.Trajectory.start(PROCESS, parties=PARTIES, id="t", at=T0)
    t.fire("stall", at=T0)
    with pytest.raises(cf.UnknownNameError):
        cf.Change(cf.ChangeKind.REFUSED, t.history[1]).message("fr")
