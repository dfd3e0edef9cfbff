"""The golden files: today's code must write exactly the stored text and read it back."""

import functools
import json

import pytest

import coopflow as cf
from coopflow import _definition, _serialize
from tests.golden import build

_CHANGED = (
    "{name}: the serialised form changed. If this is unintended, fix the code. If it is "
    "intended, bump FORMAT in src/coopflow/_serialize.py (trajectories) or "
    "src/coopflow/_definition.py (processes) and regenerate the golden files with "
    "`python -m tests.golden.build`."
)


@functools.cache
def _trajectories() -> dict[str, cf.Trajectory]:
    return build.trajectories()


def _stored(name: str) -> str:
    return (build.HERE / name).read_text(encoding="utf-8")


def test_there_is_one_golden_trajectory_per_state() -> None:
    """The golden files cover every state of the default process, and nothing else."""
    states = {state.id for state in cf.default_process().states}
    assert set(build.STATES) == states
    assert set(_trajectories()) == states
    stored = {path.name for path in build.HERE.glob("*.json")}
    assert stored == {build.PROCESS_FILE} | {build.trajectory_file(s) for s in states}


def test_default_process_serialises_to_the_stored_text() -> None:
    """The default process is written exactly as stored."""
    fresh = cf.dumps(cf.default_process(), indent=2) + "\n"
    assert fresh == _stored(build.PROCESS_FILE), _CHANGED.format(name=build.PROCESS_FILE)


def test_stored_process_loads_as_the_default_process() -> None:
    """Loading the stored process document gives the default process, fingerprint and all."""
    loaded = cf.loads(_stored(build.PROCESS_FILE), cf.Process)
    assert loaded == cf.default_process()
    assert loaded.fingerprint == cf.default_process().fingerprint
    assert cf.Process.from_file(build.HERE / build.PROCESS_FILE) == cf.default_process()


def test_stored_process_has_the_current_format() -> None:
    """The stored process document carries the current process FORMAT."""
    assert json.loads(_stored(build.PROCESS_FILE))["format"] == _definition.FORMAT


@pytest.mark.parametrize("state", build.STATES)
def test_trajectory_serialises_to_the_stored_text(state: str) -> None:
    """The freshly built trajectory is written exactly as stored."""
    name = build.trajectory_file(state)
    fresh = cf.dumps(_trajectories()[state], indent=2) + "\n"
    assert fresh == _stored(name), _CHANGED.format(name=name)


@pytest.mark.parametrize("state", build.STATES)
def test_stored_trajectory_loads_equal_and_in_its_state(state: str) -> None:
    """Loading the stored trajectory gives the freshly built one, in the state the file names."""
    loaded = cf.loads(_stored(build.trajectory_file(state)), process=cf.default_process())
    assert loaded == _trajectories()[state]
    assert loaded.state == state
    assert loaded.id == f"golden-{state}"


@pytest.mark.parametrize("state", build.STATES)
def test_stored_trajectory_has_the_current_format(state: str) -> None:
    """The stored trajectory document carries the current trajectory FORMAT."""
    document = json.loads(_stored(build.trajectory_file(state)))
    assert document["format"] == _serialize.FORMAT
    assert document["kind"] == "trajectory"


def test_building_is_deterministic() -> None:
    """Two builds give the same texts: no wall clock, no random ids."""
    assert build.texts() == build.texts()
