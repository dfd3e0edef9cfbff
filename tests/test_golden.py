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


# --- documents of format 1 ----------------------------------------------------------------------

FORMAT_1 = build.HERE / "format-1"


@pytest.mark.parametrize("state", build.STATES)
def test_format_1_trajectories_still_load(state: str) -> None:
    """A trajectory stored in format 1 (a fingerprint over labels) loads and equals today's."""
    text = (FORMAT_1 / build.trajectory_file(state)).read_text(encoding="utf-8")
    assert json.loads(text)["format"] == 1
    assert cf.loads(text, process=cf.default_process()) == _trajectories()[state]


def test_format_1_process_loads_with_its_completed_state_as_success() -> None:
    """A format-1 process document loads as the default process: completed is its success."""
    loaded = cf.Process.from_file(FORMAT_1 / build.PROCESS_FILE)
    assert loaded == cf.default_process()
    assert [s.id for s in loaded.states if s.success] == ["completed"]


def test_a_format_1_trajectory_of_another_process_version_is_refused() -> None:
    """Format 1 skips the fingerprint, not the identity: another version is refused."""
    data = json.loads((FORMAT_1 / build.trajectory_file("signing")).read_text(encoding="utf-8"))
    data["process"]["version"] = "2"
    with pytest.raises(cf.TrajectoryError, match="version"):
        cf.from_dict(data, process=cf.default_process())
