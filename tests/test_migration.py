"""A real migration: a stored trajectory loaded against a process whose state was renamed."""

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest

import coopflow as cf
from coopflow import guards
from coopflow.guards import Guard
from coopflow.guards import _combinators as gc
from coopflow.guards import _cooperation as gp
from tests.golden import build

OLD, NEW = "signing", "ondertekening"


def _name(name: Any) -> Any:
    return NEW if name == OLD else name


def _guard(guard: Guard) -> Guard:
    """The guard with every state it names renamed (combinators included)."""
    if isinstance(guard, gp.CameFrom):
        return guards.came_from(_name(guard.state))
    if isinstance(guard, gc.Not):
        return guards.not_(_guard(guard.guard))
    if isinstance(guard, gc.AllOf):
        return guards.all_of(*(_guard(inner) for inner in guard.guards))
    if isinstance(guard, gc.AnyOf):
        return guards.any_of(*(_guard(inner) for inner in guard.guards))
    return guard


def renamed(process: cf.Process) -> cf.Process:
    """`process` with state `signing` renamed `ondertekening` wherever it is named."""
    return attrs.evolve(
        process,
        states=tuple(attrs.evolve(s, id=NEW) if s.id == OLD else s for s in process.states),
        transitions=tuple(
            attrs.evolve(
                t,
                source=tuple(_name(source) for source in t.source),
                dest=_name(t.dest),
                guards=tuple(_guard(guard) for guard in t.guards),
            )
            for t in process.transitions
        ),
    )


def _rename_in_results(results: list[dict[str, Any]]) -> None:
    for result in results:
        for failure in result["failures"]:
            params = failure["params"]
            if "state" in params:  # came_from's "not_from" names a state
                params["state"] = _name(params["state"])


def migration(target: cf.Process) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A migration of documents of the default process to `target`, the renamed one."""

    def migrate(document: dict[str, Any]) -> dict[str, Any]:
        snapshot = document["snapshot"]
        snapshot["state"] = _name(snapshot["state"])
        snapshot["previous"] = _name(snapshot["previous"])
        for record in document["history"]:
            for transition in record["transitions"]:
                transition["source"] = _name(transition["source"])
                transition["dest"] = _name(transition["dest"])
                _rename_in_results(transition["results"])
            explanation = record["explanation"]
            if explanation is not None:
                explanation["state"] = _name(explanation["state"])
                _rename_in_results(explanation["results"])
        document["process"] = {
            "id": target.id,
            "version": target.version,
            "fingerprint": target.fingerprint,
        }
        return document

    return migrate


@pytest.fixture
def target() -> cf.Process:
    """The default process with `signing` renamed `ondertekening`."""
    return renamed(cf.default_process())


@pytest.fixture
def stored() -> str:
    """The golden trajectory in `organising`: it passed through `signing`."""
    return (build.HERE / build.trajectory_file("organising")).read_text(encoding="utf-8")


def test_renamed_process_differs_only_in_the_state_name(target: cf.Process) -> None:
    """The variant is valid, has no `signing`, and only its fingerprint tells it apart."""
    default = cf.default_process()
    assert NEW in {s.id for s in target.states}
    assert OLD not in {s.id for s in target.states}
    assert f'"{OLD}"' not in cf.dumps(target)
    assert guards.came_from(NEW) in {g for t in target.transitions for g in t.guards}
    assert (target.id, target.version) == (default.id, default.version)
    assert target.fingerprint != default.fingerprint
    assert cf.loads(cf.dumps(target), cf.Process) == target


def test_loading_without_migration_names_the_fingerprint(target: cf.Process, stored: str) -> None:
    """Without `migrate` the load is refused, naming the fingerprint that differs."""
    with pytest.raises(cf.TrajectoryError) as info:
        cf.loads(stored, process=target)
    message = str(info.value)
    assert "fingerprint" in message
    assert cf.default_process().fingerprint in message
    assert target.fingerprint in message
    assert "version" not in message.replace("(pass migrate=", "")
    assert "migrate=" in message


def test_migration_loads_into_the_renamed_state(target: cf.Process, stored: str) -> None:
    """The migrated trajectory is in `organising` and remembers `ondertekening` everywhere."""
    loaded = cf.loads(stored, process=target, migrate=migration(target))
    assert loaded.state == "organising"
    assert loaded.snapshot.previous == NEW
    assert loaded.id == "golden-organising"
    moves = [(tr.trigger, tr.source, tr.dest) for r in loaded.history for tr in r.transitions]
    assert ("open_signing", "agenda_setting", NEW) in moves
    assert ("organise", NEW, "organising") in moves
    refused_in = [r.explanation.state for r in loaded.history if r.explanation is not None]
    assert NEW in refused_in
    assert OLD not in refused_in
    assert f'"{OLD}"' not in cf.dumps(loaded)


def test_migrated_trajectory_is_stored_under_the_new_definition(
    target: cf.Process, stored: str
) -> None:
    """Once migrated, the trajectory round-trips against the renamed process with no migration."""
    loaded = cf.loads(stored, process=target, migrate=migration(target))
    assert cf.to_dict(loaded)["process"]["fingerprint"] == target.fingerprint
    assert cf.loads(cf.dumps(loaded), process=target) == loaded


def test_migrated_trajectory_moves_through_the_renamed_state(
    target: cf.Process, stored: str
) -> None:
    """A newcomer voids the declaration: the automatic regression goes to `ondertekening`."""
    loaded = cf.loads(stored, process=target, migrate=migration(target))
    at = datetime(2018, 10, 1, 9, 0, tzinfo=UTC)
    applied = loaded.record(cf.PartyJoined(cf.Party("provincie", name="Provincie")), at=at)
    assert [(tr.trigger, tr.dest) for tr in applied.transitions] == [("void_declaration", NEW)]
    assert loaded.state == NEW


def test_migration_gets_a_copy_of_the_document(target: cf.Process, stored: str) -> None:
    """The caller's document is left as it was."""
    document = json.loads(stored)
    before = copy.deepcopy(document)
    cf.from_dict(document, process=target, migrate=migration(target))
    assert document == before


def test_migration_that_forgets_the_rename_is_refused(target: cf.Process, stored: str) -> None:
    """Rewriting only the process block does not smuggle old states in: the replay refuses."""

    def identity_only(document: dict[str, Any]) -> dict[str, Any]:
        document["process"] = {
            "id": target.id,
            "version": target.version,
            "fingerprint": target.fingerprint,
        }
        return document

    with pytest.raises(cf.TrajectoryError):
        cf.loads(stored, process=target, migrate=identity_only)


def test_migration_back_is_refused_by_the_default_process(target: cf.Process, stored: str) -> None:
    """A migrated document does not load against the default process without a migration."""
    loaded = cf.loads(stored, process=target, migrate=migration(target))
    with pytest.raises(cf.TrajectoryError, match="fingerprint"):
        cf.loads(cf.dumps(loaded), process=cf.default_process())
