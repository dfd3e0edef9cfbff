"""Tests of storing and loading trajectories as JSON."""

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import coopflow as cf
from coopflow import demo
from coopflow._registers import FIELDS
from coopflow._serialize import (
    record_from_data,
    record_to_data,
    snapshot_from_data,
    snapshot_to_data,
)
from coopflow.testing import strategies as cst
from tests.strategies import party_lists


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
    at = tilburg.history[-1].at
    assert loaded.record(event, at=at) == tilburg.record(event, at=at)
    assert loaded == tilburg


def test_to_dict_is_json_ready(tilburg: cf.Trajectory) -> None:
    """to_dict gives plain data that json can write, with a format version."""
    data = cf.to_dict(tilburg)
    assert json.loads(json.dumps(data)) == data
    assert data["format"] == 2
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
        cf.loads(cf.dumps(tilburg), process="default")  # type: ignore[call-overload]


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
        lambda d: d["history"][2]["event"].update(interest=""),
        lambda d: d["history"][2]["event"].update(interest=7),
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


def test_loading_needs_a_process_for_a_trajectory(tilburg: cf.Trajectory) -> None:
    """A trajectory cannot be loaded without the process it follows."""
    with pytest.raises(cf.TrajectoryError, match="process="):
        cf.loads(cf.dumps(tilburg))  # type: ignore[call-overload]
    with pytest.raises(cf.TrajectoryError, match="process="):
        cf.from_dict(cf.to_dict(tilburg))  # type: ignore[call-overload]


def test_from_dict_names_the_classes_it_can_build(tilburg: cf.Trajectory) -> None:
    """cls is Process, Trajectory or None."""
    with pytest.raises(cf.InvalidEventError) as error:
        cf.from_dict(cf.to_dict(tilburg), cf.Snapshot, process=tilburg.process)  # type: ignore[arg-type]
    assert error.value.field == "cls"
    assert cf.from_dict(cf.to_dict(tilburg), cf.Trajectory, process=tilburg.process) == tilburg


def _other(process: cf.Process) -> cf.Process:
    return cf.Process("other", process.states, process.transitions, settings=process.settings)


def test_a_migration_that_fails_is_a_trajectory_error(tilburg: cf.Trajectory) -> None:
    """Errors from a migration are reported as TrajectoryError; coopflow's own pass through."""

    def broken(data: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("state")

    def strict(data: dict[str, Any]) -> dict[str, Any]:
        raise cf.UnknownNameError("state", "signing")

    other = _other(tilburg.process)
    with pytest.raises(cf.TrajectoryError, match="migration failed"):
        cf.loads(cf.dumps(tilburg), process=other, migrate=broken)
    with pytest.raises(cf.UnknownNameError):
        cf.loads(cf.dumps(tilburg), process=other, migrate=strict)


@pytest.mark.parametrize(
    ("migrated", "match"),
    [([], "did not return"), ({"format": 9, "kind": "trajectory"}, "unsupported")],
)
def test_a_migration_must_return_a_trajectory_document(
    tilburg: cf.Trajectory, migrated: Any, match: str
) -> None:
    """What a migration returns is checked like any document."""
    with pytest.raises(cf.TrajectoryError, match=match):
        cf.loads(cf.dumps(tilburg), process=_other(tilburg.process), migrate=lambda d: migrated)


def test_a_migration_is_only_called_when_the_definition_differs(tilburg: cf.Trajectory) -> None:
    """The same definition loads without calling the migration."""
    calls: list[object] = []

    def migrate(data: dict[str, Any]) -> dict[str, Any]:
        calls.append(data)
        return data

    loaded = cf.loads(cf.dumps(tilburg), process=tilburg.process, migrate=migrate)
    assert (loaded == tilburg, calls) == (True, [])


def _first(data: dict[str, Any], found: Any) -> dict[str, Any]:
    """The first record of a document's history for which `found` holds."""
    return next(record for record in data["history"] if found(record))


def _with_results(record: dict[str, Any]) -> bool:
    return any(tr["results"] for tr in record["transitions"])


def _with_cash(record: dict[str, Any]) -> bool:
    event = record["event"]
    return bool(event["type"] == "ContributionCommitted" and event["cash"] != "0")


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda d: d["history"][3].update(seq="3"), id="text for an int"),
        pytest.param(lambda d: d["history"][3].update(seq=3.0), id="float for an int"),
        pytest.param(lambda d: d["history"][3].update(seq=True), id="bool for an int"),
        pytest.param(
            lambda d: _first(d, _with_results)["transitions"][0]["results"][0].update(passed=1),
            id="1 for a bool",
        ),
        pytest.param(
            lambda d: _first(d, _with_results)["transitions"][0].update(automatic=0),
            id="0 for a bool",
        ),
        pytest.param(
            lambda d: _first(d, _with_cash)["event"].update(
                cash=" " + _first(d, _with_cash)["event"]["cash"]
            ),
            id="padded amount",
        ),
        pytest.param(
            lambda d: _first(d, _with_cash)["event"].update(
                cash="+" + _first(d, _with_cash)["event"]["cash"]
            ),
            id="signed amount",
        ),
        pytest.param(
            lambda d: d["history"][3].update(at=d["history"][3]["at"] + " "), id="padded time"
        ),
        pytest.param(
            lambda d: d["history"][3].update(at=d["history"][3]["at"].replace("T", " ")),
            id="time with a space",
        ),
        pytest.param(lambda d: d["history"][3]["event"].update(score="4.0"), id="text for a float"),
        pytest.param(lambda d: d["history"][3]["event"].update(score=True), id="bool for a float"),
        pytest.param(lambda d: d["history"][2]["event"].update(interest=["x"]), id="list for text"),
        pytest.param(lambda d: d["history"][2]["event"].update(parties="ab"), id="text for a set"),
        pytest.param(lambda d: d.update(history="[]"), id="text for a history"),
        pytest.param(lambda d: d["history"][3].update(outcome=1), id="number for an outcome"),
        pytest.param(lambda d: d["history"][3].update(outcome="done"), id="unknown outcome"),
    ],
)
def test_the_trajectory_loader_is_strict_about_types(tilburg: cf.Trajectory, edit: Any) -> None:
    """No text for an int, no 0 for a bool, no padded numbers or times: refused, not coerced."""
    with pytest.raises(cf.TrajectoryError, match="not a valid trajectory"):
        cf.from_dict(_edited(tilburg, edit), process=tilburg.process)


def test_an_int_score_loads_as_the_float_it_is(tilburg: cf.Trajectory) -> None:
    """JSON has one kind of number: a score written 4 is the float 4.0."""
    data = cf.to_dict(tilburg)
    record = _first(data, lambda r: r["event"]["type"] == "Assessed")
    assert record["event"]["score"] == int(record["event"]["score"])
    record["event"]["score"] = int(record["event"]["score"])
    assert cf.from_dict(data, process=tilburg.process) == tilburg


def test_loads_refuses_an_edited_start_record(tilburg: cf.Trajectory) -> None:
    """A start record with an actor added is refused, not silently dropped."""
    data = _edited(tilburg, lambda d: d["history"][0].update(actor="mallory"))
    with pytest.raises(cf.TrajectoryError, match="start record was edited"):
        cf.from_dict(data, process=tilburg.process)


def test_loads_refuses_a_history_that_goes_back_in_time(tilburg: cf.Trajectory) -> None:
    """A record dated before its predecessor is refused on load."""
    data = _edited(tilburg, lambda d: d["history"][5].update(at=d["history"][0]["at"]))
    with pytest.raises(cf.TrajectoryError, match="back in time"):
        cf.from_dict(data, process=tilburg.process)


def test_a_long_broken_history_is_refused_at_its_first_error(tilburg: cf.Trajectory) -> None:
    """20,000 broken records are refused by the first one, not by a group of 20,000 errors
    (collecting them all took seconds)."""
    data = cf.to_dict(tilburg)
    data["history"] = ["x"] * 20_000
    with pytest.raises(cf.TrajectoryError) as error:
        cf.from_dict(data, process=tilburg.process)
    assert not isinstance(error.value.__cause__, BaseExceptionGroup)


def test_stored_parts_load_with_their_enums() -> None:
    """A record and a snapshot read back from JSON text hold Outcome and Sector members, not
    plain texts that merely compare equal."""
    from coopflow._serialize import (
        record_from_data,
        record_to_data,
        snapshot_from_data,
        snapshot_to_data,
    )

    parties = [cf.Party("a", sector=cf.Sector.GOVERNMENT), cf.Party("b")]
    t = cf.Trajectory.start(cf.default_process(), parties=parties)
    t.fire("stall")
    record = record_from_data(json.loads(json.dumps(record_to_data(t.history[1]))))
    snapshot = snapshot_from_data(json.loads(json.dumps(snapshot_to_data(t.snapshot))))
    assert record.outcome is cf.Outcome.APPLIED
    assert snapshot.parties[0].sector is cf.Sector.GOVERNMENT


def test_a_tuple_of_several_kinds_is_not_structured() -> None:
    """No trajectory document holds a fixed-length tuple; the converter refuses one."""
    import cattrs

    from coopflow._serialize import _CONVERTER

    with pytest.raises(cattrs.StructureHandlerNotFoundError):
        _CONVERTER.structure([1.0, 2.0], tuple[float, int])


# --- the store's trusted path ----------------------------------------------------------------


def _both_ways(data: Any, read: Any, cls: Any) -> tuple[Any, Any]:
    # The trusted converter itself, not `read(..., trusted=True)`: that falls back to the strict
    # path, which would hide a trusted path that no longer reads anything.
    from coopflow._serialize import _TRUSTED

    trusted = _TRUSTED.structure(json.loads(json.dumps(data)), cls)
    assert read(json.loads(json.dumps(data)), trusted=True) == trusted
    return trusted, read(json.loads(json.dumps(data)))


def _shape(value: Any) -> Any:
    """`value` with the type of every part it is made of (sets and mappings in a fixed order)."""
    kind = type(value).__name__
    if attrs.has(type(value)):
        fields = attrs.fields(type(value))
        return kind, tuple((field.name, _shape(getattr(value, field.name))) for field in fields)
    if isinstance(value, cf.Registers):
        return kind, tuple((name, _shape(getattr(value, name))) for name in FIELDS)
    if isinstance(value, (set, frozenset)):
        return kind, tuple(sorted(repr(_shape(item)) for item in value))
    if isinstance(value, (tuple, list)):
        return kind, tuple(_shape(item) for item in value)
    if isinstance(value, Mapping):
        return kind, tuple(sorted((repr(key), repr(_shape(item))) for key, item in value.items()))
    return kind, value


def _same_reading(trajectory: cf.Trajectory) -> None:
    snapshot, history = trajectory._consistent()
    pairs = [_both_ways(snapshot_to_data(snapshot), snapshot_from_data, cf.Snapshot)]
    pairs += [_both_ways(record_to_data(r), record_from_data, cf.Record) for r in history]
    # Equal, and built of the same types throughout (a float that came back an int, a plain
    # dict where a read-only mapping belongs, a list for a tuple would differ).
    assert [(t == s, _shape(t) == _shape(s)) for t, s in pairs] == [(True, True)] * len(pairs)
    assert pairs[0][0] == snapshot
    assert [t for t, _ in pairs[1:]] == list(history)


@settings(max_examples=60, deadline=None)
@given(cst.trajectories(ids=cst.PARTY_IDS, max_events=25, start="anywhere"))
def test_the_trusted_path_reads_what_the_strict_path_reads(trajectory: cf.Trajectory) -> None:
    """For any trajectory, its snapshot and records read without checks equal the strict reading."""
    _same_reading(trajectory)


@settings(max_examples=30, deadline=None)
@given(party_lists(), st.sets(st.sampled_from(["backbone", "trekker"])))
def test_the_trusted_path_reads_parties_with_names_sectors_and_tags(
    parties: list[cf.Party], tags: set[str]
) -> None:
    """Names, sectors and tags of parties, in the start record and the snapshot, read the same."""
    parties[0] = attrs.evolve(parties[0], tags=frozenset(tags))
    _same_reading(cf.Trajectory.start(cf.default_process(), parties=parties))


def test_the_trusted_path_reads_the_tilburg_trajectory(tilburg: cf.Trajectory) -> None:
    """The demo's registers (agenda, contributions with money, facts, roles) read the same."""
    _same_reading(tilburg)


@pytest.mark.parametrize(
    ("read", "data", "message"),
    [
        (snapshot_from_data, {"state": "exploring"}, "not a valid snapshot"),
        (snapshot_from_data, [], "not a valid snapshot"),
        (record_from_data, {"seq": 0}, "not a valid record"),
    ],
)
def test_what_the_trusted_path_cannot_read_is_read_strictly(
    read: Any, data: Any, message: str
) -> None:
    """A damaged row is not half read: the strict path reads it, and names what is wrong."""
    with pytest.raises(cf.TrajectoryError, match=message):
        read(data, trusted=True)


def test_the_trusted_path_reads_sets_of_any_kind() -> None:
    """Sets of plain ids are taken as they are; sets of other things go through their hooks."""
    from coopflow._serialize import _TRUSTED

    assert (
        _TRUSTED.structure(["government"], frozenset[cf.Sector]),
        _TRUSTED.structure(["a", "b"], frozenset[str]),
    ) == (frozenset({cf.Sector.GOVERNMENT}), frozenset({"a", "b"}))


@attrs.frozen(slots=False)
class _Unslotted:
    """An attrs class without slots, of the kinds of field the trusted hooks make directly."""

    at: datetime | None
    amounts: tuple[Decimal, ...]
    sector: cf.Sector
    parties: frozenset[cf.Party]
    groups: tuple[tuple[cf.Sector, ...] | None, ...]
    cache: object = attrs.field(init=False, default=None)


def test_the_trusted_path_reads_classes_without_slots() -> None:
    """Fields set without slots, optional times, amounts, members, nested and optional lists."""
    from coopflow._serialize import _TRUSTED

    data = {
        "at": "2018-01-08T09:00:00+00:00",
        "amounts": ["600000", "0.5"],
        "sector": "government",
        "parties": [{"id": "a", "name": "A", "sector": None, "tags": ["backbone"]}],
        "groups": [["government", "knowledge"], None],
    }
    value = _TRUSTED.structure(data, _Unslotted)
    assert value == _Unslotted(
        datetime(2018, 1, 8, 9, tzinfo=UTC),
        (Decimal(600000), Decimal("0.5")),
        cf.Sector.GOVERNMENT,
        frozenset({cf.Party("a", name="A", tags={"backbone"})}),
        ((cf.Sector.GOVERNMENT, cf.Sector.KNOWLEDGE), None),
    )
    assert _TRUSTED.structure({**data, "at": None}, _Unslotted).at is None


def test_the_trusted_path_reads_no_tuple_of_several_kinds() -> None:
    """No document holds a fixed-length tuple: the trusted converter refuses one too."""
    from coopflow._serialize import _TRUSTED

    with pytest.raises(ValueError, match="too many values to unpack"):
        _TRUSTED.structure([1.0, 2], tuple[float, int])
