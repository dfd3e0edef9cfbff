"""The store's contract, the same on SQLite and PostgreSQL (a schema of its own per test)."""

import importlib
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta, timezone

import attrs
import pytest
import sqlalchemy as sa

import coopflow as cf
from coopflow import demo
from coopflow.store import Notice, Page, Store, Summary, _schema, _store
from tests.conftest import T0

PROCESS = cf.default_process()
PARTIES = [cf.Party("gemeente"), cf.Party("uni")]


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An empty store on each database."""
    with Store.open(store_url) as opened:
        yield opened


def _new(id: str = "t", parties: list[cf.Party] = PARTIES) -> cf.Trajectory:
    return cf.Trajectory.start(PROCESS, parties=parties, id=id, title=f"title {id}", at=T0)


# --- saving and loading ------------------------------------------------------------------------


def test_save_and_load_give_an_equal_trajectory(store: Store) -> None:
    """What was saved loads equal, records, refusals and snapshot included, with or without
    replay."""
    t = _new()
    t.record(cf.Assessed("uni", cf.Dimension.TRUST, 4.0), at=T0)
    with pytest.raises(cf.TransitionRefused):
        t.fire("form_culture", at=T0)
    assert store.save(t) == 2
    assert store.load("t") == t
    assert store.load("t", replay=True) == t
    assert store.load("t").revision == 2


def test_a_second_save_appends_only_what_is_new(store: Store) -> None:
    """Saving again writes the new records; saving with nothing new writes nothing."""
    t = _new()
    store.save(t)
    t.fire("stall", at=T0)
    assert (store.save(t), store.save(t)) == (1, 1)
    t.fire("resume", at=T0)
    assert store.save(t) == 2
    assert store.load("t") == t


def test_a_loaded_trajectory_saves_what_was_added_since(store: Store) -> None:
    """Load, act, save: the store knows the revision it was loaded at."""
    store.save(_new())
    loaded = store.load("t")
    loaded.fire("stall", at=T0)
    assert store.save(loaded) == 1
    assert store.load("t").state == "stalled"


def test_a_lost_race_is_a_conflict_and_writes_nothing(store: Store) -> None:
    """Two writers load revision 0 and act; the second save raises ConflictError."""
    store.save(_new())
    first, second = store.load("t"), store.load("t")
    first.fire("stall", at=T0)
    second.fire("dissolve", at=T0)
    store.save(first)
    with pytest.raises(cf.ConflictError):
        store.save(second)
    assert store.load("t") == first


def test_a_refused_fire_moves_the_revision_so_it_conflicts_too(store: Store) -> None:
    """The revision, not the snapshot version, is the token: a refusal is a change."""
    store.save(_new())
    first, second = store.load("t"), store.load("t")
    with pytest.raises(cf.TransitionRefused):
        first.fire("form_culture", at=T0)
    assert first.snapshot.version == 0
    store.save(first)
    second.fire("stall", at=T0)
    with pytest.raises(cf.ConflictError):
        store.save(second)


def test_a_new_trajectory_with_a_taken_id_is_a_conflict(store: Store) -> None:
    """Saving a trajectory the store has not seen inserts it; a taken id conflicts."""
    store.save(_new())
    with pytest.raises(cf.ConflictError):
        store.save(_new())
    assert store.load("t").revision == 0


def test_another_store_object_sees_the_same_data(store_url: str) -> None:
    """Two stores on one database: one's saves are the other's loads, and conflicts."""
    with Store.open(store_url) as one, Store.open(store_url) as two:
        one.save(_new())
        loaded = two.load("t")
        mine = one.load("t")
        mine.fire("stall", at=T0)
        one.save(mine)
        loaded.fire("dissolve", at=T0)
        with pytest.raises(cf.ConflictError):
            two.save(loaded)


def test_load_of_an_unknown_id_is_an_unknown_name(store: Store) -> None:
    """No such trajectory."""
    with pytest.raises(cf.UnknownNameError) as error:
        store.load("nowhere")
    assert (error.value.kind, error.value.name) == ("trajectory", "nowhere")


def test_a_trajectory_of_an_unknown_process_is_a_trajectory_error(store_url: str) -> None:
    """A store loads only trajectories of processes it knows; processes= names them."""
    other = cf.default_process(settings=cf.Settings(entry_threshold=4.0))
    with Store.open(store_url) as writer:
        writer.save(cf.Trajectory.start(other, parties=PARTIES, id="o", at=T0))
        assert writer.load("o").process == other  # it saved one: it knows it
    with Store.open(store_url) as reader, pytest.raises(cf.TrajectoryError, match="processes="):
        reader.load("o")
    with Store.open(store_url, processes=[other]) as reader:
        assert reader.load("o").process == other


def _execute(store_url: str, statement: str, **params: object) -> None:
    engine = sa.create_engine(store_url)
    with engine.begin() as connection:
        connection.execute(sa.text(statement), params)
    engine.dispose()


def test_a_missing_record_is_a_trajectory_error(store: Store, store_url: str) -> None:
    """Records deleted behind the store's back are noticed on load."""
    t = _new()
    t.fire("stall", at=T0)
    store.save(t)
    _execute(store_url, "DELETE FROM coopflow_records WHERE seq = 1")
    with pytest.raises(cf.TrajectoryError, match="missing records"):
        store.load("t")


def test_replay_on_load_finds_an_edited_snapshot(store: Store, store_url: str) -> None:
    """With replay=True, a snapshot row that the records do not give is refused."""
    t = _new()
    t.fire("stall", at=T0)
    store.save(t)
    edited = cf.to_dict(_new())["snapshot"]
    _execute(store_url, "UPDATE coopflow_trajectories SET snapshot = :s", s=json.dumps(edited))
    assert store.load("t").state == "exploring"  # trusted without replay
    with pytest.raises(cf.TrajectoryError, match="another snapshot"):
        store.load("t", replay=True)


def test_a_corrupt_record_row_is_a_trajectory_error(store: Store, store_url: str) -> None:
    """A record body that is not a record is refused as strictly as loads refuses it."""
    store.save(_new())
    _execute(store_url, "UPDATE coopflow_records SET body = :b", b=json.dumps({"seq": "0"}))
    with pytest.raises(cf.TrajectoryError, match="not a valid record"):
        store.load("t")


def test_a_corrupt_snapshot_row_is_a_trajectory_error(store: Store, store_url: str) -> None:
    """A snapshot row that is not a snapshot is refused."""
    store.save(_new())
    _execute(store_url, "UPDATE coopflow_trajectories SET snapshot = :s", s="[]")
    with pytest.raises(cf.TrajectoryError, match="not a valid snapshot"):
        store.load("t")


# --- rebasing -----------------------------------------------------------------------------------

STRICTER = cf.default_process(settings=cf.Settings(entry_threshold=4.0))


def _tilburg() -> cf.Trajectory:
    return demo.tilburg(out=lambda line: None, id="tilburg")


def test_rebase_moves_every_trajectory_of_a_process_onto_the_new_definition(
    store: Store,
) -> None:
    """Each chosen trajectory gets a new generation with the new history; the old one stays."""
    tilburg = _tilburg()
    quiet = _new("quiet")
    with pytest.raises(cf.TransitionRefused):
        quiet.fire("form_culture", at=T0)
    other = cf.Trajectory.start(
        attrs.evolve(PROCESS, id="other"), parties=PARTIES, id="other", at=T0
    )
    for t in (tilburg, quiet, other):
        store.save(t)
    done = store.rebase(STRICTER)
    assert [r.trajectory.id for r in done] == ["quiet", "tilburg"]  # id order; "other" not chosen
    assert done[0].changes == ()
    assert [(c.kind, c.old.seq) for c in done[1].changes] == [
        (cf.ChangeKind.REFUSED, 22),
        (cf.ChangeKind.REFUSED, 27),
        (cf.ChangeKind.REFUSED, 31),
        (cf.ChangeKind.REFUSED, 36),
    ]
    loaded = store.load("tilburg", replay=True)
    assert loaded == done[1].trajectory
    assert (loaded.process, loaded.state) == (STRICTER, "building_culture")
    (summary,) = store.find(fingerprint=STRICTER.fingerprint, state="building_culture").items
    assert (summary.id, summary.generation) == ("tilburg", 1)
    assert store.history("tilburg", generation=0) == tilburg.history
    assert store.history("tilburg") == loaded.history == store.history("tilburg", generation=1)
    assert store.rebase(STRICTER) == ()  # nothing left to rebase


def test_a_trajectory_loaded_before_a_rebase_can_no_longer_be_saved(store: Store) -> None:
    """The rebase moved the row to a new generation: an old object's save conflicts."""
    store.save(_tilburg())
    stale = store.load("tilburg")
    store.rebase(STRICTER)
    stale.record(
        cf.Assessed("tilburg-university", cf.Dimension.VOICE, 4.5), at=stale.history[-1].at
    )
    with pytest.raises(cf.ConflictError):
        store.save(stale)
    fresh = store.load("tilburg")
    fresh.record(
        cf.Assessed("tilburg-university", cf.Dimension.VOICE, 4.5), at=fresh.history[-1].at
    )
    assert store.save(fresh) == 37
    assert store.update("tilburg", lambda t: t.fire("set_agenda", at=t.history[-1].at)).state == (
        "agenda_setting"
    )
    assert len(store.history("tilburg", generation=0)) == 37


def test_rebase_puts_the_transitions_that_now_happen_in_the_outbox(store: Store) -> None:
    """A regression that now happens is a transition a notifier must hear of, once."""
    t = _tilburg()
    history = [r for r in t.history if r.seq <= 23]  # up to the applied set_agenda
    t = cf.Trajectory.replay(PROCESS, history)
    t.record(cf.Assessed("gemeente-tilburg", cf.Dimension.TRUST, 3.2), at=t.history[-1].at)
    store.save(t)
    store.acknowledge(store.outbox(limit=1_000))
    sensitive = cf.default_process(settings=cf.Settings(regression_threshold=3.4))
    (rebased,) = store.rebase(sensitive)
    assert [c.kind for c in rebased.changes] == [cf.ChangeKind.TRANSITIONS]
    notices = store.outbox()
    assert [(n.trajectory, n.seq, n.trigger, n.dest) for n in notices] == [
        ("tilburg", 24, "breach_culture", "building_culture")
    ]


def test_rebase_chooses_by_process_version_and_fingerprint(store: Store) -> None:
    """process=, version= and fingerprint= narrow the choice; a wrong one chooses nothing."""
    store.save(_new("a"))
    assert store.rebase(STRICTER, version="no such version") == ()
    assert store.rebase(STRICTER, fingerprint="0" * 64) == ()
    renamed = attrs.evolve(STRICTER, id="renamed")
    assert store.rebase(renamed) == ()  # its own id: no trajectory follows "renamed" yet
    (moved,) = store.rebase(
        renamed, process=PROCESS.id, version=PROCESS.version, fingerprint=PROCESS.fingerprint
    )
    assert moved.trajectory.process == renamed
    assert [s.process_id for s in store.find().items] == ["renamed"]


def test_rebase_needs_the_old_process(store_url: str) -> None:
    """A store that does not know the process the trajectories follow cannot rebase them."""
    with Store.open(store_url) as store:
        store.save(cf.Trajectory.start(STRICTER, parties=PARTIES, id="t", at=T0))
    stricter_still = cf.default_process(settings=cf.Settings(entry_threshold=4.5))
    with Store.open(store_url) as store, pytest.raises(cf.TrajectoryError, match="processes="):
        store.rebase(stricter_still)
    with Store.open(store_url, processes=[STRICTER]) as store:
        assert len(store.rebase(stricter_still)) == 1


def _racing(monkeypatch: pytest.MonkeyPatch, writes: int, write: Callable[[], object]) -> list[str]:
    """Let another writer `write` between a rebase's load and its save, `writes` times."""
    real, seen = cf.rebase, []

    def rebase(trajectory: cf.Trajectory, process: cf.Process) -> cf.Rebased:
        seen.append(trajectory.id)
        if len(seen) <= writes:
            write()
        return real(trajectory, process)

    monkeypatch.setattr(_store, "rebase", rebase)
    return seen


def _score(store: Store) -> None:
    voice = cf.Assessed("tilburg-university", cf.Dimension.VOICE, 4.5)
    store.update("tilburg", lambda t: t.record(voice, at=t.history[-1].at))


def test_rebase_loads_and_rebases_again_after_a_lost_race(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer saved in between: that trajectory is rebased again, with its new record."""
    with Store.open(store_url) as store, Store.open(store_url) as other:
        store.save(_tilburg())
        seen = _racing(monkeypatch, 1, lambda: _score(other))
        (rebased,) = store.rebase(STRICTER)
        assert (seen, len(rebased.trajectory.history)) == (["tilburg", "tilburg"], 38)
        assert store.load("tilburg", replay=True) == rebased.trajectory
        assert len(store.history("tilburg", generation=0)) == 38


def test_rebase_gives_up_after_its_retries(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Losing every race: ConflictError after retries + 1 attempts, and nothing rebased."""
    with Store.open(store_url) as store, Store.open(store_url) as other:
        store.save(_tilburg())
        seen = _racing(monkeypatch, 3, lambda: _score(other))
        with pytest.raises(cf.ConflictError):
            store.rebase(STRICTER, retries=2)
        assert (len(seen), store.find().items[0].generation) == (3, 0)
        monkeypatch.undo()
        assert len(store.rebase(STRICTER, retries=0)) == 1


def test_rebase_leaves_a_trajectory_another_rebase_moved_in_between(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two servers rebasing at once: the one that lost the race finds them done, and skips them."""
    with Store.open(store_url) as store, Store.open(store_url) as other:
        store.save(_tilburg())
        store.save(_new("quiet"))
        seen = _racing(monkeypatch, 1, lambda: other.rebase(STRICTER))
        # The other server rebased both while this one was at the first: none is left to it,
        # and none is rebased twice.
        assert (store.rebase(STRICTER), seen[0]) == ((), "quiet")
        assert [(s.id, s.generation) for s in store.find().items] == [("quiet", 1), ("tilburg", 1)]


@pytest.mark.parametrize("retries", [-1, True, 1.5])
def test_rebase_refuses_bad_retries(store: Store, retries: object) -> None:
    """retries is a whole number, at least 0, as for update."""
    with pytest.raises(cf.InvalidEventError) as error:
        store.rebase(STRICTER, retries=retries)  # type: ignore[arg-type]
    assert error.value.field == "retries"


def test_history_of_an_unknown_trajectory_or_generation_is_an_unknown_name(store: Store) -> None:
    """history names what is not there."""
    with pytest.raises(cf.UnknownNameError) as error:
        store.history("nowhere")
    assert error.value.kind == "trajectory"
    store.save(_new())
    with pytest.raises(cf.UnknownNameError) as error:
        store.history("t", generation=1)
    assert (error.value.kind, error.value.name) == ("generation", "1")


# --- update ------------------------------------------------------------------------------------


def test_an_error_in_the_change_propagates_and_nothing_is_saved(store: Store) -> None:
    """update saves only a change that returned."""
    store.save(_new())
    with pytest.raises(cf.InvalidEventError):
        store.update("t", lambda t: t.record(cf.ThemeClosed("x"), at=T0))
    with pytest.raises(cf.TransitionRefused):
        store.update("t", lambda t: t.fire("form_culture", at=T0))
    assert store.load("t").revision == 0


def test_update_gives_up_after_its_retries(store_url: str) -> None:
    """Losing every race: ConflictError after retries + 1 attempts."""
    with Store.open(store_url) as store, Store.open(store_url) as other:
        store.save(_new())
        attempts: list[int] = []

        def change(t: cf.Trajectory) -> None:
            attempts.append(t.revision)
            other.update(
                "t", lambda u: u.record(cf.Assessed("uni", cf.Dimension.TRUST, 4.0), at=T0)
            )
            t.fire("stall", at=T0)

        with pytest.raises(cf.ConflictError):
            store.update("t", change, retries=2)
        assert attempts == [0, 1, 2]
        assert store.update("t", lambda t: t.fire("stall", at=T0)).state == "stalled"


def test_update_retries_once_then_succeeds(store_url: str) -> None:
    """One lost race, then a successful retry on the fresh trajectory."""
    with Store.open(store_url) as store, Store.open(store_url) as other:
        store.save(_new())
        seen: list[int] = []

        def change(t: cf.Trajectory) -> None:
            seen.append(t.revision)
            if len(seen) == 1:
                other.update("t", lambda u: u.fire("stall", at=T0))
            t.fire("stall" if t.state == "exploring" else "resume", at=T0)

        assert store.update("t", change).state == "exploring"
        assert seen == [0, 1]


@pytest.mark.parametrize("retries", [-1, True, 1.5])
def test_update_refuses_bad_retries(store: Store, retries: object) -> None:
    """retries is a whole number, at least 0."""
    with pytest.raises(cf.InvalidEventError) as error:
        store.update("t", lambda t: None, retries=retries)  # type: ignore[arg-type]
    assert error.value.field == "retries"


# --- finding -----------------------------------------------------------------------------------


def test_find_by_state_party_process_and_fingerprint(store: Store) -> None:
    """Each filter alone and together; items hold the stored snapshot."""
    other = cf.default_process(settings=cf.Settings(entry_threshold=4.0))
    a = _new("a")
    a.fire("stall", at=T0)
    b = _new("b", [cf.Party("uni"), cf.Party("bedrijf")])
    c = cf.Trajectory.start(other, parties=PARTIES, id="c", at=T0)
    for t in (a, b, c):
        store.save(t)

    def ids(page: Page) -> list[str]:
        return [item.id for item in page.items]

    assert ids(store.find()) == ["a", "b", "c"]
    assert ids(store.find(state="stalled")) == ["a"]
    assert ids(store.find(party="bedrijf")) == ["b"]
    assert ids(store.find(party="uni", state="exploring")) == ["b", "c"]
    assert ids(store.find(fingerprint=other.fingerprint)) == ["c"]
    assert ids(store.find(process=PROCESS.id)) == ["a", "b", "c"]
    assert ids(store.find(process="nothing")) == []
    (summary,) = store.find(state="stalled").items
    fields = ("id", "title", "state", "revision", "generation", "process_id", "fingerprint")
    assert [getattr(summary, name) for name in fields] == [
        "a",
        "title a",
        "stalled",
        1,
        0,
        PROCESS.id,
        PROCESS.fingerprint,
    ]
    assert isinstance(summary, Summary)
    assert summary.snapshot == a.snapshot
    assert summary.snapshot is summary.snapshot  # read once
    assert summary == store.find(state="stalled").items[0]


def test_a_corrupt_snapshot_is_found_when_a_summary_reads_it(store: Store, store_url: str) -> None:
    """find pages through rows without reading their snapshots; reading a corrupt one is a
    TrajectoryError."""
    store.save(_new())
    _execute(store_url, "UPDATE coopflow_trajectories SET snapshot = :s", s="[]")
    (summary,) = store.find().items
    assert summary.state == "exploring"
    with pytest.raises(cf.TrajectoryError, match="not a valid snapshot"):
        _ = summary.snapshot


def test_find_follows_parties_that_join_and_leave(store: Store) -> None:
    """The party index follows the snapshot at each save."""
    t = _new(parties=[*PARTIES, cf.Party("bedrijf")])
    store.save(t)
    t.record(cf.PartyLeft("bedrijf"), at=T0)
    t.record(cf.PartyJoined(cf.Party("provincie")), at=T0)
    store.save(t)
    assert [s.id for s in store.find(party="bedrijf").items] == []
    assert [s.id for s in store.find(party="provincie").items] == ["t"]


def test_find_pages_through_many(store: Store) -> None:
    """Pages of `limit` items in id order; `next` leads on; the last page has no next."""
    for n in range(25):
        store.save(_new(f"t{n:02d}"))
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = store.find(limit=10, after=after)
        seen += [item.id for item in page.items]
        pages += 1
        if page.next is None:
            break
        after = page.next
    assert (seen, pages) == ([f"t{n:02d}" for n in range(25)], 3)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"state": 3}, "state"),
        ({"party": ["a"]}, "party"),
        ({"limit": 0}, "limit"),
        ({"limit": True}, "limit"),
        ({"after": 5}, "after"),
    ],
)
def test_find_refuses_bad_arguments(store: Store, arguments: dict[str, object], field: str) -> None:
    """Filters are strings, limit a whole number of at least 1."""
    with pytest.raises(cf.InvalidEventError) as error:
        store.find(**arguments)  # type: ignore[arg-type]
    assert error.value.field == field


# --- the outbox --------------------------------------------------------------------------------


def test_the_outbox_holds_every_transition_until_acknowledged(store_url: str) -> None:
    """Manual and automatic transitions, in order; unacknowledged ones survive a reopen."""
    t = _new(parties=[*PARTIES, cf.Party("bedrijf")])
    t.fire("stall", at=T0)
    t.fire("resume", at=T0)
    t.record(cf.PartyLeft("bedrijf"), at=T0)
    t.record(cf.PartyLeft("uni"), at=T0)  # quorum lost: dissolved automatically
    with Store.open(store_url) as store:
        store.save(t)
        notices = store.outbox()
        assert [(n.trigger, n.automatic, n.seq) for n in notices] == [
            ("stall", False, 1),
            ("resume", False, 2),
            ("lose_quorum", True, 4),
        ]
        assert notices[0] == Notice(
            notices[0].id, "t", 1, "stall", "exploring", "stalled", False, T0.isoformat()
        )
        assert store.acknowledge(notices[:1]) == 1
        assert store.acknowledge(notices[:1]) == 0
        assert store.acknowledge([]) == 0
    with Store.open(store_url) as reopened:
        assert reopened.outbox() == notices[1:]
        assert reopened.outbox(limit=1) == notices[1:2]


@pytest.mark.parametrize(
    ("arguments", "field"), [({"limit": 0}, "limit"), ({"limit": "1"}, "limit")]
)
def test_outbox_refuses_a_bad_limit(store: Store, arguments: dict[str, object], field: str) -> None:
    """limit is a whole number, at least 1."""
    with pytest.raises(cf.InvalidEventError) as error:
        store.outbox(**arguments)  # type: ignore[arg-type]
    assert error.value.field == field


def test_acknowledge_takes_only_notices(store: Store) -> None:
    """Ids or anything else are refused."""
    with pytest.raises(cf.InvalidEventError) as error:
        store.acknowledge([1])  # type: ignore[list-item]
    assert error.value.field == "notices"


# --- an application's own engine and transaction -----------------------------------------------


def test_writes_join_the_applications_transaction(store_url: str) -> None:
    """On an application's connection, a rollback of its transaction undoes the save, and a
    commit keeps it. (SQLite's driver needs the engine `Store.open` configures for that.)"""
    engine = Store.open(store_url).engine
    try:
        with engine.connect() as connection:
            store = Store(connection)
            with connection.begin() as transaction:
                store.save(_new("rolled-back"))
                transaction.rollback()
            with connection.begin():
                store.save(_new("kept"))
            store.save(_new("autobegun"))
            connection.commit()
        with Store.open(store_url) as fresh:
            assert [s.id for s in fresh.find().items] == ["autobegun", "kept"]
    finally:
        engine.dispose()


def test_a_store_on_an_applications_engine_leaves_it_open(store_url: str) -> None:
    """close() disposes only engines the store made itself."""
    engine = sa.create_engine(store_url)
    try:
        with Store(engine) as store:
            store.save(_new())
        with engine.connect() as connection:
            assert (
                connection.execute(sa.text("SELECT count(*) FROM coopflow_records")).scalar() == 1
            )
    finally:
        engine.dispose()


# --- the schema --------------------------------------------------------------------------------


def test_a_new_database_gets_the_current_schema(store: Store, store_url: str) -> None:
    """Opening creates every table at the current version; opening again changes nothing."""
    assert store.schema_version == _schema.VERSION == 3
    with Store.open(store_url) as again:
        assert again.schema_version == 3


def test_an_older_schema_is_upgraded_keeping_its_data(store_url: str) -> None:
    """A version-1 database (no parties index, no outbox) is upgraded; its trajectories get
    their parties from their snapshots."""
    engine = sa.create_engine(store_url)
    try:
        with engine.begin() as connection:
            assert _schema.upgrade(connection, to=1) == 1
            snapshot = json.dumps(cf.to_dict(_new())["snapshot"])
            connection.execute(
                _schema.TRAJECTORIES.insert().values(
                    id="old",
                    process_id=PROCESS.id,
                    process_version=PROCESS.version,
                    fingerprint=PROCESS.fingerprint,
                    title="",
                    state="exploring",
                    revision=0,
                    generation=0,
                    version=0,
                    updated=T0.isoformat(),
                    snapshot=snapshot,
                )
            )
        with engine.begin() as connection:
            assert _schema.installed(connection) == 1
    finally:
        engine.dispose()
    with Store.open(store_url) as store:
        assert store.schema_version == 3
        assert [s.id for s in store.find(party="uni").items] == ["old"]


def test_an_empty_older_schema_is_upgraded(store_url: str) -> None:
    """A version-1 database without trajectories is upgraded too."""
    engine = sa.create_engine(store_url)
    try:
        with engine.begin() as connection:
            _schema.upgrade(connection, to=1)
    finally:
        engine.dispose()
    with Store.open(store_url) as store:
        assert (store.schema_version, store.outbox()) == (3, ())


def test_rows_of_a_schema_2_store_get_format_0_and_are_read_strictly(store_url: str) -> None:
    """A schema-2 database (no format columns) is upgraded; its rows are not the store's own
    of this format, so they are read strictly: a mistyped value in one is refused, while the
    store's own rows of the current format are read without checking them again."""
    t = _new()
    t.fire("stall", at=T0)
    with Store.open(store_url) as store:
        store.save(t)
    for table in ("coopflow_trajectories", "coopflow_records"):
        _execute(store_url, f"ALTER TABLE {table} DROP COLUMN format")
    _execute(store_url, "UPDATE coopflow_schema SET version = 2")
    with Store.open(store_url) as store:
        assert (store.schema_version, store.load("t"), store.find().items[0].snapshot) == (
            3,
            t,
            t.snapshot,
        )
        store.save(_new("mine"))
    mistyped = json.dumps({**cf.to_dict(t)["snapshot"], "version": True})
    _execute(store_url, "UPDATE coopflow_trajectories SET snapshot = :s", s=mistyped)
    with Store.open(store_url) as store:
        with pytest.raises(cf.TrajectoryError, match="not a valid snapshot"):
            store.load("t")
        assert store.load("mine").snapshot.version is True  # its own: not checked again


def test_a_newer_schema_is_refused(store_url: str) -> None:
    """A database written by a newer coopflow is a StoreError, not a guess."""
    with Store.open(store_url):
        pass
    _execute(store_url, "UPDATE coopflow_schema SET version = 99")
    with pytest.raises(cf.StoreError, match="schema version 99"):
        Store.open(store_url)


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "nonsense",
        "nosuchdriver://x",
        "sqlite:////nonexistent-folder/for/sure/coopflow.db",
        "postgresql+psycopg://nobody@127.0.0.1:1/none",
    ],
)
def test_a_store_that_cannot_be_opened_is_a_store_error(url: str) -> None:
    """Bad URLs, missing drivers, unreachable servers: StoreError wrapping the driver's error."""
    with pytest.raises(cf.StoreError) as error:
        Store.open(url)
    assert error.value.cause is not None
    assert error.value.__cause__ is error.value.cause


def test_a_store_that_cannot_be_written_is_a_store_error(tmp_path: object) -> None:
    """A write the database refuses (a read-only SQLite file) is a StoreError."""
    import pathlib

    folder = pathlib.Path(str(tmp_path))
    path = folder / "ro.db"
    with Store.open(f"sqlite:///{path}"):
        pass
    engine = sa.create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with engine.connect() as connection:
            store_error = None
            try:
                Store(connection).save(_new())
            except cf.StoreError as error:
                store_error = error
        assert store_error is not None
        assert isinstance(store_error.cause, sa.exc.OperationalError)
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: Store("sqlite://"), "bind"),  # type: ignore[arg-type]
        (lambda: Store.open(42), "url"),  # type: ignore[arg-type]
        (lambda: Store.open("sqlite://", processes=["default"]), "processes"),  # type: ignore[list-item]
        (lambda: Store.open("sqlite://").save("t"), "trajectory"),  # type: ignore[arg-type]
        (lambda: Store.open("sqlite://").rebase("default"), "to"),  # type: ignore[arg-type]
        (lambda: Store.open("sqlite://").rebase(PROCESS, version=1), "version"),  # type: ignore[arg-type]
        (lambda: Store.open("sqlite://").history("t", generation="0"), "generation"),  # type: ignore[arg-type]
        (lambda: Store.open("sqlite://").history("t", generation=True), "generation"),
    ],
)
def test_bad_arguments_are_invalid(call: object, field: str) -> None:
    """Wrong types are InvalidEventError naming the argument."""
    with pytest.raises(cf.InvalidEventError) as error:
        call()  # type: ignore[operator]
    assert error.value.field == field


def test_sqlite_files_use_write_ahead_logging(tmp_path: object) -> None:
    """Store.open on a SQLite file turns WAL on."""
    import pathlib

    path = pathlib.Path(str(tmp_path)) / "wal.db"
    with Store.open(f"sqlite:///{path}") as store:
        store.save(_new())
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()


def test_importing_coopflow_does_not_import_sqlalchemy() -> None:
    """The store is an extra: plain coopflow never loads SQLAlchemy."""
    code = "import sys, coopflow; print('sqlalchemy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_the_store_without_sqlalchemy_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Importing coopflow.store without SQLAlchemy says which extra to install."""
    for name in [
        m for m in sys.modules if m == "coopflow.store" or m.startswith("coopflow.store.")
    ]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)
    with pytest.raises(ImportError, match=r"coopflow\[store\]"):
        importlib.import_module("coopflow.store")


def test_records_keep_their_times_exactly(store: Store) -> None:
    """A time in another offset loads as the same time in the same offset."""
    t = _new()
    t.fire("stall", at=(T0 + timedelta(days=400)).astimezone(timezone(timedelta(hours=2))))
    store.save(t)
    assert store.load("t").history[1].at == t.history[1].at
    assert store.load("t").history[1].at.utcoffset() == timedelta(hours=2)


def test_a_postgresql_url_without_a_driver_uses_psycopg(postgres_database: str) -> None:
    """postgresql://... means psycopg 3 (the postgres extra), not psycopg2."""
    url = sa.make_url(postgres_database).set(drivername="postgresql")
    with Store.open(url.render_as_string(hide_password=False)) as store:
        assert store.engine.dialect.driver == "psycopg"
