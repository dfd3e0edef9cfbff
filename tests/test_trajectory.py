"""Tests of `Trajectory`: starting, recording, firing, asking, replaying and comparing."""

import logging
from datetime import UTC, datetime, timedelta, timezone

import attrs
import pytest

import coopflow as cf
from tests.conftest import T0


def test_start_puts_the_trajectory_in_the_initial_state(trajectory: cf.Trajectory) -> None:
    """A new trajectory is in the initial state with its parties, id, title and start record."""
    assert (trajectory.state, trajectory.id, trajectory.title) == ("exploring", "t", "Tilburg")
    assert trajectory.snapshot.party_ids == ("gemeente", "uni")
    assert trajectory.snapshot.at == T0
    assert trajectory.snapshot.version == 0
    (start,) = trajectory.history
    assert start.outcome is cf.Outcome.STARTED
    assert start.event == cf.Started("t", "Tilburg", trajectory.snapshot.parties)


def test_start_makes_a_new_unique_id_when_none_is_given(
    process: cf.Process, pair: list[cf.Party]
) -> None:
    """Two trajectories started without an id get different ids."""
    first = cf.Trajectory.start(process, parties=pair)
    second = cf.Trajectory.start(process, parties=pair)
    assert first.id != second.id


def test_start_defaults_the_time_to_now_in_utc(process: cf.Process, pair: list[cf.Party]) -> None:
    """Without `at`, the start is stamped with the current time in UTC."""
    before = datetime.now(UTC)
    t = cf.Trajectory.start(process, parties=pair)
    assert t.snapshot.at is not None
    assert before <= t.snapshot.at <= datetime.now(UTC)


@pytest.mark.parametrize(
    ("parties", "field"),
    [
        ([cf.Party("a")], "parties"),
        ([cf.Party("a"), cf.Party("a")], "parties"),
        (["a", "b"], "parties"),
        ("ab", "parties"),
    ],
)
def test_start_refuses_bad_parties(process: cf.Process, parties: object, field: str) -> None:
    """Fewer than two parties, duplicates, or non-parties are bad input."""
    with pytest.raises(cf.InvalidEventError) as error:
        cf.Trajectory.start(process, parties=parties)  # type: ignore[arg-type]
    assert error.value.field == field


def test_start_refuses_a_naive_time(process: cf.Process, pair: list[cf.Party]) -> None:
    """A naive datetime is ambiguous and refused."""
    with pytest.raises(cf.InvalidEventError) as error:
        cf.Trajectory.start(process, parties=pair, at=datetime(2018, 6, 14))
    assert error.value.field == "at"


def test_start_refuses_something_that_is_not_a_process(pair: list[cf.Party]) -> None:
    """The process must be a coopflow Process."""
    with pytest.raises(cf.InvalidEventError) as error:
        cf.Trajectory.start("default", parties=pair)  # type: ignore[arg-type]
    assert error.value.field == "process"


def test_record_applies_a_data_event_and_logs_it(trajectory: cf.Trajectory) -> None:
    """A recorded event updates the registers, the version and the history."""
    at = T0 + timedelta(days=1)
    applied = trajectory.record(cf.Assessed("uni", cf.Dimension.TRUST, 4.0), at=at, actor="ann")
    assert applied.snapshot is trajectory.snapshot
    assert trajectory.snapshot.version == 1
    assert trajectory.snapshot.at == at
    assert trajectory.snapshot.score("uni", cf.Dimension.TRUST) == 4.0
    record = trajectory.history[-1]
    assert (record.seq, record.at, record.actor, record.outcome) == (
        1,
        at,
        "ann",
        cf.Outcome.APPLIED,
    )


def test_record_refuses_a_fire_request(trajectory: cf.Trajectory) -> None:
    """Triggers go through fire(), not record()."""
    with pytest.raises(cf.InvalidEventError) as error:
        trajectory.record(cf.Fire("stall"))  # type: ignore[arg-type]
    assert error.value.field == "event"
    assert len(trajectory.history) == 1


def test_invalid_event_changes_nothing_and_is_not_logged(trajectory: cf.Trajectory) -> None:
    """An invalid event raises, leaves the snapshot as it was and is not recorded."""
    before = trajectory.snapshot
    with pytest.raises(cf.InvalidEventError):
        trajectory.record(cf.Assessed("nobody", cf.Dimension.TRUST, 4.0), at=T0)
    assert trajectory.snapshot is before
    assert len(trajectory.history) == 1


def test_bad_actor_is_refused(trajectory: cf.Trajectory) -> None:
    """An actor must be a string or None."""
    with pytest.raises(cf.InvalidEventError) as error:
        trajectory.record(cf.ThemeClosed("x"), actor=42)  # type: ignore[arg-type]
    assert error.value.field == "actor"


def test_fire_moves_and_logs_the_transition(trajectory: cf.Trajectory) -> None:
    """A fired trigger moves the trajectory and its record holds the transition."""
    applied = trajectory.fire("stall", reason="elections", at=T0, actor="facilitator")
    assert applied.transitions == (
        cf.TransitionRecord("stall", "exploring", "stalled", False, results=()),
    )
    assert trajectory.state == "stalled"
    assert trajectory.history[-1].event == cf.Fire("stall", reason="elections")


def test_refused_fire_raises_keeps_the_snapshot_and_logs_the_attempt(
    trajectory: cf.Trajectory,
) -> None:
    """A refused trigger raises TransitionRefused, changes nothing and is kept in the history."""
    before = trajectory.snapshot
    with pytest.raises(cf.TransitionRefused) as refusal:
        trajectory.fire("form_culture", at=T0)
    assert refusal.value.explanation.trigger == "form_culture"
    assert trajectory.snapshot is before
    record = trajectory.history[-1]
    assert record.outcome is cf.Outcome.REFUSED
    assert record.explanation == refusal.value.explanation
    assert record.results == refusal.value.explanation.results


def test_fire_of_an_unknown_trigger_is_unknown_and_not_logged(trajectory: cf.Trajectory) -> None:
    """A trigger the process does not have raises UnknownNameError and logs nothing."""
    with pytest.raises(cf.UnknownNameError) as error:
        trajectory.fire("teleport")
    assert (error.value.kind, error.value.name) == ("trigger", "teleport")
    assert len(trajectory.history) == 1


@pytest.mark.parametrize("trigger", ["", 7])
def test_fire_refuses_a_trigger_that_is_not_a_name(
    trajectory: cf.Trajectory, trigger: object
) -> None:
    """A trigger must be a non-empty string."""
    with pytest.raises(cf.InvalidEventError) as error:
        trajectory.fire(trigger)  # type: ignore[arg-type]
    assert error.value.field == "trigger"


def test_explain_can_and_enabled_agree(trajectory: cf.Trajectory) -> None:
    """can() is explain().allowed, and enabled() lists exactly the allowed triggers."""
    for trigger in trajectory.process.triggers:
        assert trajectory.can(trigger) == trajectory.explain(trigger).allowed
    assert trajectory.enabled() == tuple(
        trigger for trigger in trajectory.process.triggers if trajectory.can(trigger)
    )
    assert trajectory.enabled(at=T0) == ("stall", "dissolve")


def test_explain_changes_nothing(trajectory: cf.Trajectory) -> None:
    """Asking has no side effects."""
    before, history = trajectory.snapshot, trajectory.history
    trajectory.explain("form_culture")
    trajectory.enabled()
    assert (trajectory.snapshot, trajectory.history) == (before, history)


def test_borderline_lists_scores_between_the_thresholds(trajectory: cf.Trajectory) -> None:
    """Scores in [3.0, 3.5) are borderline; 2.9 and 3.5 are not."""
    for party, dimension, score in [
        ("gemeente", cf.Dimension.TRUST, 3.0),
        ("gemeente", cf.Dimension.VOICE, 3.5),
        ("uni", cf.Dimension.STAKE, 3.49),
        ("uni", cf.Dimension.TRUST, 2.9),
    ]:
        trajectory.record(cf.Assessed(party, dimension, score), at=T0)
    found = [(f.party, f.params["dimension"], f.params["score"]) for f in trajectory.borderline()]
    assert found == [("gemeente", "trust", 3.0), ("uni", "stake", 3.49)]
    assert trajectory.borderline()[0].key == "borderline"


def test_borderline_ignores_scores_older_than_max_score_age(pair: list[cf.Party]) -> None:
    """With max_score_age, an old score is missing, so it is not borderline either."""
    process = cf.default_process(settings=cf.Settings(max_score_age=timedelta(days=30)))
    t = cf.Trajectory.start(process, parties=pair, at=T0)
    t.record(cf.Assessed("uni", cf.Dimension.TRUST, 3.2), at=T0)
    assert len(t.borderline(at=T0 + timedelta(days=29))) == 1
    assert t.borderline(at=T0 + timedelta(days=31)) == ()


def test_replay_rebuilds_an_equal_trajectory(trajectory: cf.Trajectory) -> None:
    """Replaying the history gives the same trajectory, refusals included."""
    trajectory.record(cf.Assessed("uni", cf.Dimension.TRUST, 4.0), at=T0)
    with pytest.raises(cf.TransitionRefused):
        trajectory.fire("form_culture", at=T0)
    trajectory.fire("stall", at=T0)
    again = cf.Trajectory.replay(trajectory.process, trajectory.history)
    assert again == trajectory
    assert again.history == trajectory.history


def test_replay_refuses_a_history_without_its_start(trajectory: cf.Trajectory) -> None:
    """A history must begin with its start record."""
    trajectory.fire("stall", at=T0)
    with pytest.raises(cf.TrajectoryError):
        cf.Trajectory.replay(trajectory.process, trajectory.history[1:])
    with pytest.raises(cf.TrajectoryError):
        cf.Trajectory.replay(trajectory.process, [])
    with pytest.raises(cf.TrajectoryError):
        cf.Trajectory.replay(trajectory.process, ["start"])  # type: ignore[list-item]


def test_replay_refuses_records_out_of_order(trajectory: cf.Trajectory) -> None:
    """Records must follow each other by sequence number."""
    trajectory.fire("stall", at=T0)
    trajectory.fire("resume", at=T0)
    start, first, second = trajectory.history
    with pytest.raises(cf.TrajectoryError, match="out of order"):
        cf.Trajectory.replay(trajectory.process, [start, second, first])


def test_replay_refuses_a_second_start(trajectory: cf.Trajectory) -> None:
    """A start record in the middle of a history is refused."""
    start = trajectory.history[0]
    second = cf.Record(1, start.at, None, start.event, cf.Outcome.STARTED)
    with pytest.raises(cf.TrajectoryError, match="second time"):
        cf.Trajectory.replay(trajectory.process, [start, second])


def test_replay_refuses_a_record_that_cannot_be_applied(trajectory: cf.Trajectory) -> None:
    """A record whose event is invalid on replay is a TrajectoryError."""
    start = trajectory.history[0]
    bad = cf.Record(1, T0, None, cf.PartyLeft("nobody"), cf.Outcome.APPLIED)
    with pytest.raises(cf.TrajectoryError, match="cannot be applied"):
        cf.Trajectory.replay(trajectory.process, [start, bad])


def test_replay_refuses_a_record_with_another_outcome(trajectory: cf.Trajectory) -> None:
    """A record claiming an outcome that replay does not give is a TrajectoryError."""
    start = trajectory.history[0]
    claims_applied = cf.Record(1, T0, None, cf.Fire("form_culture"), cf.Outcome.APPLIED)
    with pytest.raises(cf.TrajectoryError, match="differently"):
        cf.Trajectory.replay(trajectory.process, [start, claims_applied])
    claims_refused = cf.Record(1, T0, None, cf.Fire("stall"), cf.Outcome.REFUSED)
    with pytest.raises(cf.TrajectoryError, match="differently"):
        cf.Trajectory.replay(trajectory.process, [start, claims_refused])


def test_replay_refuses_a_start_that_is_invalid(process: cf.Process) -> None:
    """A start record with a single party cannot be replayed."""
    lonely = cf.Started("t", "", (cf.Party("a"),))
    with pytest.raises(cf.TrajectoryError, match="start record"):
        cf.Trajectory.replay(process, [cf.Record(0, T0, None, lonely, cf.Outcome.STARTED)])


def test_trajectories_compare_by_content(process: cf.Process, pair: list[cf.Party]) -> None:
    """Equal when process, id, title, snapshot and history are equal; never hashable."""
    first = cf.Trajectory.start(process, parties=pair, id="x", at=T0)
    second = cf.Trajectory.start(process, parties=pair, id="x", at=T0)
    assert first == second
    second.fire("stall", at=T0)
    assert first != second
    assert first != "x"
    with pytest.raises(TypeError):
        hash(first)


def test_repr_names_id_state_and_size(trajectory: cf.Trajectory) -> None:
    """The repr is short and says where the trajectory is."""
    assert repr(trajectory) == "<Trajectory 't' state='exploring' version=0 records=1>"


# --- revision ----------------------------------------------------------------------------------


def test_revision_counts_every_record_refused_ones_too(trajectory: cf.Trajectory) -> None:
    """revision is the last record's seq: +1 per applied or refused record, unlike version."""
    assert trajectory.revision == 0
    trajectory.record(cf.Assessed("uni", cf.Dimension.TRUST, 4.0), at=T0)
    with pytest.raises(cf.TransitionRefused):
        trajectory.fire("form_culture", at=T0)
    assert (trajectory.revision, trajectory.snapshot.version) == (2, 1)
    assert trajectory.revision == trajectory.history[-1].seq


def test_invalid_events_leave_the_revision(trajectory: cf.Trajectory) -> None:
    """An invalid event or an unknown trigger is not a record and does not count."""
    with pytest.raises(cf.InvalidEventError):
        trajectory.record(cf.PartyLeft("nobody"), at=T0)
    with pytest.raises(cf.UnknownNameError):
        trajectory.fire("teleport", at=T0)
    assert trajectory.revision == 0


# --- time --------------------------------------------------------------------------------------


def test_an_event_earlier_than_the_last_record_is_invalid(trajectory: cf.Trajectory) -> None:
    """record and fire refuse an `at` before the last record, and nothing changes."""
    later = T0 + timedelta(days=2)
    trajectory.record(cf.Assessed("uni", cf.Dimension.TRUST, 4.0), at=later)
    before = trajectory.snapshot
    with pytest.raises(cf.InvalidEventError) as error:
        trajectory.record(cf.Assessed("uni", cf.Dimension.TRUST, 3.0), at=T0)
    assert error.value.field == "at"
    with pytest.raises(cf.InvalidEventError) as error:
        trajectory.fire("stall", at=T0)
    assert error.value.field == "at"
    assert trajectory.snapshot is before
    assert trajectory.revision == 1


def test_the_same_time_as_the_last_record_is_allowed(trajectory: cf.Trajectory) -> None:
    """Equal times are not earlier, even written in another offset."""
    cest = timezone(timedelta(hours=2))
    trajectory.fire("stall", at=T0.astimezone(cest))
    trajectory.fire("resume", at=T0)
    assert trajectory.revision == 2


def test_a_refused_fire_counts_as_the_last_record_for_time(trajectory: cf.Trajectory) -> None:
    """A refused trigger is a record: nothing may come before it afterwards."""
    later = T0 + timedelta(hours=1)
    with pytest.raises(cf.TransitionRefused):
        trajectory.fire("form_culture", at=later)
    with pytest.raises(cf.InvalidEventError):
        trajectory.record(cf.Assessed("uni", cf.Dimension.TRUST, 4.0), at=T0)


def test_a_future_record_blocks_events_at_the_current_time(trajectory: cf.Trajectory) -> None:
    """A score dated 9999 cannot be followed by an event stamped now."""
    trajectory.record(
        cf.Assessed("uni", cf.Dimension.TRUST, 4.0), at=datetime(9999, 1, 1, tzinfo=UTC)
    )
    with pytest.raises(cf.InvalidEventError) as error:
        trajectory.fire("stall")
    assert error.value.field == "at"


def test_replay_refuses_a_history_that_goes_back_in_time(trajectory: cf.Trajectory) -> None:
    """A record dated before the one before it is a TrajectoryError."""
    trajectory.fire("stall", at=T0 + timedelta(days=1))
    trajectory.fire("resume", at=T0 + timedelta(days=2))
    start, first, second = trajectory.history
    earlier = attrs.evolve(second, at=T0)
    with pytest.raises(cf.TrajectoryError, match="back in time"):
        cf.Trajectory.replay(trajectory.process, [start, first, earlier])
    before_start = attrs.evolve(first, at=T0 - timedelta(seconds=1))
    with pytest.raises(cf.TrajectoryError, match="back in time"):
        cf.Trajectory.replay(trajectory.process, [start, before_start])


def test_replay_refuses_a_record_whose_time_is_not_a_time(trajectory: cf.Trajectory) -> None:
    """A naive or non-datetime `at` in a record is a TrajectoryError."""
    start = trajectory.history[0]
    naive = cf.Record(1, datetime(2018, 1, 9), None, cf.Fire("stall"), cf.Outcome.APPLIED)
    with pytest.raises(cf.TrajectoryError):
        cf.Trajectory.replay(trajectory.process, [start, naive])


@pytest.mark.parametrize(
    "edit",
    [
        {"actor": "mallory"},
        {"outcome": cf.Outcome.APPLIED},
        {"transitions": (cf.TransitionRecord("stall", "exploring", "stalled", False),)},
    ],
)
def test_replay_refuses_an_edited_start_record(
    trajectory: cf.Trajectory, edit: dict[str, object]
) -> None:
    """A start record with an actor, another outcome or transitions is not silently dropped."""
    edited = attrs.evolve(trajectory.history[0], **edit)  # type: ignore[arg-type]
    with pytest.raises(cf.TrajectoryError, match="start record was edited"):
        cf.Trajectory.replay(trajectory.process, [edited])


def test_replay_refuses_an_edited_start_record_explanation(trajectory: cf.Trajectory) -> None:
    """A start record carrying an explanation is edited too."""
    explanation = trajectory.explain("form_culture", at=T0)
    edited = attrs.evolve(trajectory.history[0], explanation=explanation)
    with pytest.raises(cf.TrajectoryError, match="start record was edited"):
        cf.Trajectory.replay(trajectory.process, [edited])


# --- listeners ---------------------------------------------------------------------------------


def test_listeners_get_every_new_record_in_order(trajectory: cf.Trajectory) -> None:
    """Applied, refused and automatic ones, after they are appended, in record order."""
    seen: list[tuple[int, cf.Outcome, int]] = []

    def listener(t: cf.Trajectory, record: cf.Record) -> None:
        seen.append((record.seq, record.outcome, t.revision))

    trajectory.subscribe(listener)
    trajectory.record(cf.Assessed("uni", cf.Dimension.TRUST, 4.0), at=T0)
    with pytest.raises(cf.TransitionRefused):
        trajectory.fire("form_culture", at=T0)
    trajectory.fire("stall", at=T0)
    assert seen == [
        (1, cf.Outcome.APPLIED, 1),
        (2, cf.Outcome.REFUSED, 2),
        (3, cf.Outcome.APPLIED, 3),
    ]


def test_a_listener_sees_automatic_transitions_in_its_record(
    process: cf.Process, pair: list[cf.Party]
) -> None:
    """A data event that causes a regression is delivered with that transition."""
    t = cf.Trajectory.start(process, parties=[*pair, cf.Party("third")], at=T0)
    records: list[cf.Record] = []
    t.subscribe(lambda _, record: records.append(record))
    t.record(cf.PartyLeft("third"), at=T0)
    t.record(cf.PartyLeft("uni"), at=T0)
    assert [tr.trigger for tr in records[-1].transitions] == ["lose_quorum"]
    assert records[-1].transitions[0].automatic
    assert records == list(t.history[1:])


def test_a_failing_listener_is_logged_and_undoes_nothing(
    trajectory: cf.Trajectory, caplog: pytest.LogCaptureFixture
) -> None:
    """The record stays, the listeners after it still run, and the error is logged."""
    after: list[int] = []

    def failing(_: cf.Trajectory, record: cf.Record) -> None:
        raise RuntimeError(f"broken on {record.seq}")

    trajectory.subscribe(failing)
    trajectory.subscribe(lambda _, record: after.append(record.seq))
    with caplog.at_level(logging.ERROR, logger="coopflow.listeners"):
        applied = trajectory.fire("stall", at=T0)
    assert trajectory.snapshot is applied.snapshot
    assert trajectory.state == "stalled"
    assert after == [1]
    (logged,) = caplog.records
    assert logged.name == "coopflow.listeners"
    assert logged.exc_info is not None
    assert str(logged.exc_info[1]) == "broken on 1"
    assert "record 1 of trajectory 't'" in logged.getMessage()


def test_unsubscribe_stops_the_calls_and_is_idempotent(trajectory: cf.Trajectory) -> None:
    """After unsubscribe, the listener is not called; calling it twice is harmless."""
    seen: list[int] = []

    def listener(_: cf.Trajectory, record: cf.Record) -> None:
        seen.append(record.seq)

    first = trajectory.subscribe(listener)
    trajectory.subscribe(listener)  # subscribed twice: called twice, unsubscribed one by one
    trajectory.fire("stall", at=T0)
    first()
    first()
    trajectory.fire("resume", at=T0)
    assert seen == [1, 1, 2]


def test_subscribe_refuses_something_that_is_not_callable(trajectory: cf.Trajectory) -> None:
    """A listener must be callable."""
    with pytest.raises(cf.InvalidEventError) as error:
        trajectory.subscribe("print")  # type: ignore[arg-type]
    assert error.value.field == "listener"


def test_a_listener_may_act_and_its_records_come_after(trajectory: cf.Trajectory) -> None:
    """A listener that fires on the trajectory does not reorder what others see."""
    seen: list[tuple[str, int]] = []

    def resumer(t: cf.Trajectory, record: cf.Record) -> None:
        seen.append(("resumer", record.seq))
        if t.state == "stalled":
            t.fire("resume", at=record.at)

    trajectory.subscribe(resumer)
    trajectory.subscribe(lambda _, record: seen.append(("other", record.seq)))
    trajectory.fire("stall", at=T0)
    assert trajectory.state == "exploring"
    assert seen == [("resumer", 1), ("other", 1), ("resumer", 2), ("other", 2)]


def test_a_listener_subscribed_later_misses_earlier_records(trajectory: cf.Trajectory) -> None:
    """Subscribing delivers only records appended from then on."""
    trajectory.fire("stall", at=T0)
    seen: list[int] = []
    trajectory.subscribe(lambda _, record: seen.append(record.seq))
    trajectory.fire("resume", at=T0)
    assert seen == [2]
