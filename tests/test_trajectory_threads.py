"""Listeners and threads on one `Trajectory`: failing listeners change nothing, threads corrupt
nothing (the final history replays and loads)."""

import contextlib
import logging
import sys
import threading
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import coopflow as cf
from tests import strategies as sts
from tests.conftest import T0

PROCESS = sts.PROCESS


def _perform(t: cf.Trajectory, step: sts.Step, at: datetime) -> None:
    """Take one step; invalid and refused steps are part of the run."""
    try:
        if isinstance(step, cf.Fire):
            t.fire(step.trigger, reason=step.reason, at=at)
        else:
            t.record(step, at=at)
    except (cf.InvalidEventError, cf.TransitionRefused):
        pass


def _run(parties: Sequence[cf.Party], times: Sequence[datetime]) -> tuple[cf.Trajectory, sts.Clock]:
    clock = sts.Clock(times)
    t = cf.Trajectory.start(PROCESS, parties=parties, id="p", title="property", at=clock())
    return t, clock


@st.composite
def runs(draw: st.DrawFn) -> tuple[list[cf.Party], tuple[datetime, ...], list[sts.Step]]:
    """First parties, increasing times, a prefix of the happy path and random steps."""
    parties = draw(sts.party_lists())
    times = draw(sts.increasing_datetimes(max_size=30))
    start = cf.Snapshot(PROCESS.initial, tuple(parties), at=times[0])
    stages = sts.happy_stages(PROCESS, start, "operating", draw(sts.plan_values()))
    passed = draw(st.integers(min_value=0, max_value=len(stages)))
    happy: list[sts.Step] = [step for stage in stages[:passed] for step in stage]
    ids = [party.id for party in parties]
    random_steps = draw(st.lists(sts.steps(ids), min_size=1, max_size=25))
    return parties, times, happy + random_steps


class _Boom(Exception):
    """What the failing listeners raise."""


@given(runs(), st.lists(st.booleans(), min_size=1, max_size=4))
def test_failing_listeners_leave_the_trajectory_as_without_listeners(
    run: tuple[list[cf.Party], tuple[datetime, ...], list[sts.Step]], failing: list[bool]
) -> None:
    """Random steps with listeners, some raising on every record, give the same trajectory as
    without any, and every listener saw every new record in order."""
    parties, times, steps = run
    plain, plain_clock = _run(parties, times)
    heard, heard_clock = _run(parties, times)
    seen: list[list[int]] = [[] for _ in failing]
    for index, fails in enumerate(failing):

        def listener(
            t: cf.Trajectory, record: cf.Record, index: int = index, fails: bool = fails
        ) -> None:
            seen[index].append(record.seq)
            assert t.history[record.seq] == record
            if fails:
                raise _Boom(record.seq)

        heard.subscribe(listener)
    logging.getLogger("coopflow.listeners").disabled = True
    try:
        for step in steps:
            _perform(plain, step, plain_clock())
            _perform(heard, step, heard_clock())
    finally:
        logging.getLogger("coopflow.listeners").disabled = False
    assert heard == plain
    assert all(s == list(range(1, heard.revision + 1)) for s in seen)


@pytest.fixture
def switching() -> Iterator[None]:
    """Threads switch every microsecond, so races show (without the lock this test fails)."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def _hammer(t: cf.Trajectory, worker: int, rounds: int, errors: list[BaseException]) -> None:
    """Record scores and fire triggers as fast as possible, at the same instant as every other."""
    party = ("gemeente", "uni")[worker % 2]
    try:
        for index in range(rounds):
            score = (2.0, 4.0, 3.2, 5.0)[(index + worker) % 4]
            t.record(cf.Assessed(party, cf.Dimension.TRUST, score), at=T0)
            trigger = ("stall", "resume", "form_culture")[index % 3]
            with contextlib.suppress(cf.TransitionRefused):
                t.fire(trigger, at=T0)
            t.explain("form_culture", at=T0)
            t.enabled(at=T0)
            _ = t.history, t.revision
    except BaseException as error:  # reported by the test, not lost in the thread
        errors.append(error)


@pytest.mark.usefixtures("switching")
def test_threads_sharing_a_trajectory_leave_a_history_that_replays_and_loads(
    trajectory: cf.Trajectory,
) -> None:
    """Four threads recording and firing on one trajectory: seq numbers are 0..n, revision and
    version agree with the history, every record was delivered once in order, and the history
    replays and loads to an equal trajectory."""
    threads_count, rounds = 4, 300
    delivered: list[int] = []
    trajectory.subscribe(lambda _, record: delivered.append(record.seq))
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_hammer, args=(trajectory, worker, rounds, errors))
        for worker in range(threads_count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    history = trajectory.history
    assert [record.seq for record in history] == list(range(len(history)))
    assert len(history) == 1 + threads_count * rounds * 2
    assert trajectory.revision == len(history) - 1
    applied = sum(record.outcome is cf.Outcome.APPLIED for record in history)
    assert trajectory.snapshot.version == applied
    assert delivered == list(range(1, len(history)))
    assert cf.Trajectory.replay(trajectory.process, history) == trajectory
    assert cf.loads(cf.dumps(trajectory), process=trajectory.process) == trajectory


@pytest.mark.usefixtures("switching")
def test_threads_at_increasing_times_never_go_back(trajectory: cf.Trajectory) -> None:
    """Threads with their own clocks: an event earlier than the last record is refused, never
    appended, so the history is ordered in time and loads."""
    errors: list[BaseException] = []
    refused: list[int] = []

    def worker(offset: int) -> None:
        try:
            for index in range(200):
                at = T0 + timedelta(seconds=index * 4 + offset)
                try:
                    trajectory.record(cf.Assessed("uni", cf.Dimension.VOICE, 4.0), at=at)
                except cf.InvalidEventError:
                    refused.append(offset)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    times = [record.at for record in trajectory.history]
    assert times == sorted(times)
    assert len(trajectory.history) + len(refused) == 1 + 4 * 200
    assert cf.loads(cf.dumps(trajectory), process=trajectory.process) == trajectory


@pytest.mark.parametrize("where", ["record", "fire"])
def test_a_listener_may_read_the_trajectory_without_deadlock(
    trajectory: cf.Trajectory, where: str
) -> None:
    """Listeners run outside the lock: reading history, state and explain works inside one."""
    read: list[tuple[str, int, bool]] = []

    def reader(t: cf.Trajectory, record: cf.Record) -> None:
        read.append((t.state, len(t.history), t.can("dissolve", at=T0)))

    trajectory.subscribe(reader)
    if where == "record":
        trajectory.record(cf.Assessed("uni", cf.Dimension.TRUST, 4.0), at=T0)
        assert read == [("exploring", 2, True)]
    else:
        trajectory.fire("stall", at=T0)
        assert read == [("stalled", 2, True)]
