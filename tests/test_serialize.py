"""Tests of storing and loading trajectories as JSON."""

import json
from typing import Any

import pytest

import coopflow as cf
from coopflow import demo
from tests.conftest import T0


@pytest.fixture
def tilburg() -> cf.Trajectory:
    """The demo's trajectory, in operating, with refusals in its history."""
    return demo.tilburg(out=lambda line: None)


def test_dumps_and_loads_round_trip(tilburg: cf.Trajectory) -> None:
    """Loading what was dumped gives an equal trajectory with the whole history."""
    loaded = cf.loads(cf.dumps(tilburg), process=tilburg.process)
    assert loaded == tilburg
    assert loaded.history == tilburg.history


def test_loaded_trajectory_behaves_the_same(tilburg: cf.Trajectory) -> None:
    """Further events give the same results on the original and the loaded one."""
    loaded = cf.loads(cf.dumps(tilburg, indent=2), process=tilburg.process)
    event = cf.PartyJoined(cf.Party("provincie"))
    assert loaded.record(event, at=T0) == tilburg.record(event, at=T0)
    assert loaded == tilburg


def test_to_dict_is_json_ready(tilburg: cf.Trajectory) -> None:
    """to_dict gives plain data that json can write, with a format version."""
    data = cf.to_dict(tilburg)
    assert json.loads(json.dumps(data)) == data
    assert data["format"] == 1
    assert data["process"] == {
        "id": "coopflow-default",
        "version": "1",
        "fingerprint": tilburg.process.fingerprint,
    }
    assert cf.from_dict(data, process=tilburg.process) == tilburg


def test_to_dict_refuses_something_else() -> None:
    """Only trajectories can be serialised."""
    with pytest.raises(cf.InvalidEventError):
        cf.to_dict("trajectory")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    ["not json", b"\xff", "[]", "42", '{"format": 2, "kind": "trajectory"}', '{"format": 1}'],
)
def test_loads_refuses_garbage(text: str | bytes, process: cf.Process) -> None:
    """Text that is not a serialised trajectory is a TrajectoryError."""
    with pytest.raises(cf.TrajectoryError):
        cf.loads(text, process=process)


def test_loads_needs_a_process(tilburg: cf.Trajectory) -> None:
    """The process argument must be a Process."""
    with pytest.raises(cf.TrajectoryError):
        cf.loads(cf.dumps(tilburg), process="default")  # type: ignore[arg-type]


def test_loads_refuses_another_process(tilburg: cf.Trajectory) -> None:
    """A trajectory of another process (id or version) is refused."""
    other = cf.Process(
        "other",
        tilburg.process.states,
        tilburg.process.transitions,
        settings=tilburg.process.settings,
    )
    with pytest.raises(cf.TrajectoryError, match="another process definition"):
        cf.loads(cf.dumps(tilburg), process=other)


def _edited(trajectory: cf.Trajectory, edit: Any) -> dict[str, Any]:
    data = cf.to_dict(trajectory)
    edit(data)
    return data


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["history"][3]["event"].update(score=2.0),
        lambda d: d["history"][3]["event"].update(score="high"),
        lambda d: d["history"][3]["event"].update(type="Nonsense"),
        lambda d: d["history"][3].update(at="2018-06-14T10:00:00"),
        lambda d: d["history"][3].update(at=17),
        lambda d: d["history"][3].update(extra=True),
        lambda d: d["history"][1]["event"].update(interest=""),
        lambda d: d["snapshot"].update(state="completed"),
        lambda d: d["snapshot"]["registers"].update(budget=12),
        lambda d: d["snapshot"]["registers"].update(budget="lots"),
        lambda d: d.update(title="another title"),
        lambda d: d.update(id="another id"),
        lambda d: d.pop("history"),
        lambda d: d["history"].pop(),
    ],
)
def test_from_dict_refuses_edited_documents(tilburg: cf.Trajectory, edit: Any) -> None:
    """An edited, truncated or mistyped document is refused instead of half-loaded."""
    with pytest.raises(cf.TrajectoryError):
        cf.from_dict(_edited(tilburg, edit), process=tilburg.process)
