"""`Store`: trajectories in SQLite or PostgreSQL through SQLAlchemy Core.

Each trajectory is one row (its snapshot as JSON, its state, revision and process) plus its
records, append-only, one row each. A save appends the records made since the trajectory was
loaded or last saved, in one transaction that first moves the row's revision on with
``UPDATE ... WHERE revision = <the revision it was loaded at>``: a writer that lost the race
updates no row and gets `ConflictError`, and the primary key on (trajectory, seq) makes a
duplicate record impossible. The transitions of the new records go into an outbox in the same
transaction, so a notifier sees each of them at least once, whatever crashes.
"""

import functools
import json
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple, TypeVar

import attrs
import sqlalchemy as sa
from sqlalchemy import exc

from coopflow._default import default_process
from coopflow._process import Process
from coopflow._rebase import Rebased, rebase
from coopflow._results import Record
from coopflow._serialize import (
    FORMAT,
    record_from_data,
    record_to_data,
    snapshot_from_data,
    snapshot_to_data,
)
from coopflow._snapshot import Snapshot
from coopflow._text import Phrase, shown
from coopflow._trajectory import Trajectory
from coopflow.exceptions import (
    ConflictError,
    InvalidEventError,
    StoreError,
    TrajectoryError,
    UnknownNameError,
)
from coopflow.store import _schema
from coopflow.store._schema import OUTBOX, PARTIES, RECORDS, TRAJECTORIES


@attrs.frozen
class Summary:
    """A stored trajectory as its snapshot row says, without its records.

    Example:
        >>> import coopflow as cf
        >>> from coopflow.store import Store
        >>> store = Store.open("sqlite://")
        >>> t = cf.Trajectory.start(cf.default_process(), id="t-1",
        ...                         parties=[cf.Party("a"), cf.Party("b")])
        >>> store.save(t)
        0
        >>> summary = store.find(state="exploring").items[0]
        >>> summary.id, summary.generation, summary.snapshot.party_ids
        ('t-1', 0, ('a', 'b'))
    """

    id: str
    title: str
    state: str
    revision: int
    generation: int
    process_id: str
    fingerprint: str
    # The snapshot row as stored: read on first use of `snapshot`, so paging through many
    # trajectories by state or party costs no structuring of snapshots nobody looks at.
    _text: str = attrs.field(alias="text", repr=False)
    # Whether the store wrote the row itself in the current format, for a process it knows: then
    # the snapshot is read without checking again what was checked when it was made.
    _trusted: bool = attrs.field(alias="trusted", default=False, repr=False, eq=False)
    _read: list[Snapshot] = attrs.field(init=False, factory=list, repr=False, eq=False)

    @property
    def snapshot(self) -> Snapshot:
        """The stored snapshot (read from its row on first use; `TrajectoryError` if corrupt)."""
        if not self._read:
            self._read.append(snapshot_from_data(json.loads(self._text), trusted=self._trusted))
        return self._read[0]


@attrs.frozen
class Page:
    """One page of `Store.find`: its items and the cursor of the next page (None at the end).

    Example:
        >>> from coopflow.store import Store
        >>> Store.open("sqlite://").find().next is None
        True
    """

    items: tuple[Summary, ...]
    next: str | None


@attrs.frozen
class Notice:
    """One transition in the outbox, waiting to be acknowledged by a notifier.

    Example:
        >>> import coopflow as cf
        >>> from coopflow.store import Store
        >>> store = Store.open("sqlite://")
        >>> t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")])
        >>> _ = t.fire("stall")
        >>> _ = store.save(t)
        >>> [(n.trigger, n.source, n.dest) for n in store.outbox()]
        [('stall', 'exploring', 'stalled')]
    """

    id: int
    trajectory: str
    seq: int
    trigger: str
    source: str
    dest: str
    automatic: bool
    at: str


def _named(id: str, title: str) -> str:
    """A trajectory in a message: its title where it has one (people know it so), else its id."""
    return shown(title) if title else shown(id)


def _check_retries(retries: object) -> int:
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise InvalidEventError("retries", retries, Phrase("must be a whole number, at least 0"))
    return retries


_T = TypeVar("_T")


def _retrying(retries: int, attempt: Callable[[], _T]) -> _T:
    """`attempt()`, run again (up to `retries` times) while it loses a race (`ConflictError`)."""
    _check_retries(retries)
    tries = 0
    while True:
        try:
            return attempt()
        except ConflictError:
            if tries >= retries:
                raise
            tries += 1


class _Base(NamedTuple):
    """What a stored row held when a trajectory object was loaded or saved by this store."""

    generation: int
    revision: int
    parties: frozenset[str]


def _sqlite_setup(engine: sa.Engine) -> None:
    # WAL lets readers read while a writer writes; BEGIN IMMEDIATE takes the write lock at the
    # start of a transaction, so two writers queue (busy timeout) instead of deadlocking when
    # both try to upgrade a read lock.
    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _engine_for(url: str) -> sa.Engine:
    if not isinstance(url, str):
        raise InvalidEventError("url", url, Phrase("must be a database URL"))
    try:
        parsed = sa.make_url(url)
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        if parsed.get_backend_name() == "sqlite":
            engine = sa.create_engine(parsed)
            _sqlite_setup(engine)
        else:
            engine = sa.create_engine(parsed, pool_pre_ping=True)
    except (exc.ArgumentError, exc.NoSuchModuleError, ImportError, ValueError) as error:
        raise StoreError(
            Phrase("cannot open {url}: {error}", url=shown(url), error=str(error)), error
        ) from error
    return engine


class Store:
    """Trajectories kept in a database: SQLite (embedded) or PostgreSQL (several servers).

    A store knows the processes its trajectories follow (`processes`, the default process
    when none are given, and every process of a trajectory it saved); loading a trajectory of
    another definition is a `TrajectoryError`.

    A trajectory the store loaded or saved is remembered with its revision; the next save of
    that object appends only its new records and raises `ConflictError` when another writer
    saved the same trajectory in between. A trajectory the store has never seen is new: saving
    it inserts it, and raises `ConflictError` if its id is taken.

    Args:
        bind: an SQLAlchemy engine, or a connection whose transaction the store's writes join
            (in a savepoint, committed when the application commits).
        processes: the definitions of the trajectories it holds.

    Raises:
        StoreError: the database cannot be reached, or has a newer coopflow schema.

    Example:
        >>> import coopflow as cf
        >>> from coopflow.store import Store
        >>> store = Store.open("sqlite://")
        >>> t = cf.Trajectory.start(cf.default_process(), id="t-1",
        ...                         parties=[cf.Party("a"), cf.Party("b")])
        >>> _ = t.fire("stall")
        >>> store.save(t)
        1
        >>> store.load("t-1") == t
        True
    """

    def __init__(
        self, bind: sa.Engine | sa.Connection, *, processes: Iterable[Process] = ()
    ) -> None:
        """Use the application's engine or connection; the schema is created or upgraded."""
        if not isinstance(bind, (sa.Engine, sa.Connection)):
            raise InvalidEventError(
                "bind", bind, Phrase("must be an SQLAlchemy Engine or Connection")
            )
        self._bind = bind
        self._owned = False
        self._processes: dict[str, Process] = {}
        for process in tuple(processes) or (default_process(),):
            if not isinstance(process, Process):
                raise InvalidEventError("processes", process, Phrase("must be coopflow Processes"))
            self._processes.setdefault(process.fingerprint, process)
        self._lock = threading.Lock()
        self._known: dict[int, tuple[weakref.ref[Trajectory], _Base]] = {}
        with self._transaction() as connection:
            self._schema_version = _schema.upgrade(connection)

    @classmethod
    def open(cls, url: str, *, processes: Iterable[Process] = ()) -> "Store":
        """Open (and create or upgrade) the store at `url`.

        ``sqlite:///path/to/coopflow.db`` (write-ahead logging on; ``sqlite://`` is in memory)
        or ``postgresql://user@host/database`` (psycopg 3, the ``postgres`` extra).

        Raises:
            StoreError: the URL cannot be opened; the driver's error is `cause`.

        Example:
            >>> from coopflow.store import Store
            >>> Store.open("sqlite://").schema_version
            3
        """
        engine = _engine_for(url)
        try:
            store = cls(engine, processes=processes)
        except BaseException:
            engine.dispose()
            raise
        store._owned = True
        return store

    def close(self) -> None:
        """Close the connections of a store made by `open` (an application's engine stays).

        Example:
            >>> from coopflow.store import Store
            >>> with Store.open("sqlite://") as store:
            ...     store.schema_version
            3
        """
        if self._owned and isinstance(self._bind, sa.Engine):
            self._bind.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine: `open` made it (on SQLite with working transactions and
        savepoints), or the application gave it.

        Example:
            >>> from coopflow.store import Store
            >>> Store.open("sqlite://").engine.dialect.name
            'sqlite'
        """
        return self._bind if isinstance(self._bind, sa.Engine) else self._bind.engine

    @property
    def schema_version(self) -> int:
        """The version of the database schema (created or upgraded on opening)."""
        return self._schema_version

    # --- transactions and errors ----------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sa.Connection]:
        try:
            if isinstance(self._bind, sa.Engine):
                with self._bind.begin() as connection:
                    yield connection
            elif self._bind.in_transaction():
                with self._bind.begin_nested():
                    yield self._bind
            else:
                with self._bind.begin():
                    yield self._bind
        except exc.IntegrityError as error:
            raise ConflictError(
                Phrase("another writer saved first: {error}", error=str(error.orig))
            ) from error
        except exc.SQLAlchemyError as error:
            raise StoreError(
                Phrase("the store failed: {error}", error=str(error)), error
            ) from error

    # --- remembering what was loaded ------------------------------------------------------------

    def _base(self, trajectory: Trajectory) -> "_Base | None":
        with self._lock:
            known = self._known.get(id(trajectory))
        if known is None or known[0]() is not trajectory:
            return None
        return known[1]

    def _remember(self, trajectory: Trajectory, base: "_Base") -> None:
        key = id(trajectory)

        def forget(_: object) -> None:
            with self._lock:
                self._known.pop(key, None)

        with self._lock:
            self._known[key] = (weakref.ref(trajectory, forget), base)

    # --- saving ---------------------------------------------------------------------------------

    def save(self, trajectory: Trajectory) -> int:
        """Append what is new in `trajectory` and move its snapshot row on; its revision.

        Raises:
            ConflictError: another writer saved this trajectory since it was loaded (or a new
                trajectory's id is taken); nothing was written. Load it again and redo.
            StoreError: the database cannot be written.

        Example:
            >>> import coopflow as cf
            >>> from coopflow.store import Store
            >>> store = Store.open("sqlite://")
            >>> t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"),
            ...                                                        cf.Party("b")])
            >>> store.save(t), store.save(t)
            (0, 0)
        """
        if not isinstance(trajectory, Trajectory):
            raise InvalidEventError(
                "trajectory", trajectory, Phrase("must be a coopflow Trajectory")
            )
        snapshot, history = trajectory._consistent()
        base = self._base(trajectory)
        revision = len(history) - 1
        if base is not None and base.revision == revision:
            return revision
        generation = 0 if base is None else base.generation
        records = history if base is None else history[base.revision + 1 :]
        with self._transaction() as connection:
            self._write(connection, trajectory, snapshot, base, generation, records, records)
        with self._lock:
            self._processes.setdefault(trajectory.process.fingerprint, trajectory.process)
        self._remember(trajectory, _Base(generation, revision, frozenset(snapshot.party_ids)))
        return revision

    def _write(
        self,
        connection: sa.Connection,
        trajectory: Trajectory,
        snapshot: Snapshot,
        base: "_Base | None",
        generation: int,
        records: tuple[Record, ...],
        notify: tuple[Record, ...],
    ) -> None:
        # `base` is what the row held when the trajectory was loaded (None: a new trajectory);
        # `records` go in under `generation`, and the transitions of `notify` into the outbox.
        process = trajectory.process
        row = {
            "process_id": process.id,
            "process_version": process.version,
            "fingerprint": process.fingerprint,
            "title": trajectory.title,
            "state": snapshot.state,
            "revision": records[-1].seq,
            "generation": generation,
            "version": snapshot.version,
            "updated": records[-1].at.isoformat(),
            "snapshot": json.dumps(snapshot_to_data(snapshot), ensure_ascii=False),
            "format": FORMAT,
        }
        parties = frozenset(snapshot.party_ids)
        if base is None:
            connection.execute(TRAJECTORIES.insert().values(id=trajectory.id, **row))
            joined, left = parties, frozenset[str]()
        else:
            moved = connection.execute(
                TRAJECTORIES.update()
                .where(TRAJECTORIES.c.id == trajectory.id)
                .where(TRAJECTORIES.c.generation == base.generation)
                .where(TRAJECTORIES.c.revision == base.revision)
                .values(**row)
            )
            if moved.rowcount != 1:
                raise ConflictError(
                    Phrase(
                        "trajectory {trajectory} was saved by another writer since it was loaded "
                        "at revision {revision}",
                        trajectory=_named(trajectory.id, trajectory.title),
                        revision=base.revision,
                    )
                )
            # Who takes part rarely changes: only the difference is written (the update above
            # proves nobody else changed it since `base` was read).
            joined, left = parties - base.parties, base.parties - parties
        self._append(connection, trajectory.id, generation, records, notify)
        if left:
            connection.execute(
                PARTIES.delete()
                .where(PARTIES.c.trajectory_id == trajectory.id)
                .where(PARTIES.c.party_id.in_(sorted(left)))
            )
        if joined:
            connection.execute(
                PARTIES.insert(),
                [{"trajectory_id": trajectory.id, "party_id": p} for p in sorted(joined)],
            )

    def _append(
        self,
        connection: sa.Connection,
        trajectory_id: str,
        generation: int,
        records: tuple[Record, ...],
        notify: tuple[Record, ...],
    ) -> None:
        connection.execute(
            RECORDS.insert(),
            [
                {
                    "trajectory_id": trajectory_id,
                    "generation": generation,
                    "seq": record.seq,
                    "at": record.at.isoformat(),
                    "outcome": record.outcome.value,
                    "body": json.dumps(record_to_data(record), ensure_ascii=False),
                    "format": FORMAT,
                }
                for record in records
            ],
        )
        notices = [
            {
                "trajectory_id": trajectory_id,
                "generation": generation,
                "seq": record.seq,
                "position": position,
                "trigger": transition.trigger,
                "source": transition.source,
                "dest": transition.dest,
                "automatic": transition.automatic,
                "at": record.at.isoformat(),
                "acknowledged": False,
            }
            for record in notify
            for position, transition in enumerate(record.transitions)
        ]
        if notices:
            connection.execute(OUTBOX.insert(), notices)

    # --- loading --------------------------------------------------------------------------------

    def _process(self, fingerprint: str, trajectory_id: str) -> Process:
        with self._lock:
            process = self._processes.get(fingerprint)
        if process is None:
            raise TrajectoryError(
                Phrase(
                    "trajectory {trajectory} follows a process this store was not given "
                    "(fingerprint {fingerprint}): pass it in processes= or rebase the trajectory",
                    trajectory=shown(trajectory_id),
                    fingerprint=fingerprint,
                )
            )
        return process

    def load(self, id: str, *, replay: bool = False) -> Trajectory:
        """The trajectory with this id, from its snapshot row and its records.

        The records are trusted as the store wrote them: not applied again, and rows it wrote in
        the current format not even checked again (older rows are read as strictly as `loads`
        reads). With `replay`, every record is applied again and the result must match the
        stored snapshot.

        Raises:
            UnknownNameError: no trajectory has this id.
            TrajectoryError: its process is unknown to the store, or (with `replay`) its
                records do not replay to its snapshot.
            StoreError: the database cannot be read.

        Example:
            >>> import coopflow as cf
            >>> from coopflow.store import Store
            >>> store = Store.open("sqlite://")
            >>> t = cf.Trajectory.start(cf.default_process(), id="t-1",
            ...                         parties=[cf.Party("a"), cf.Party("b")])
            >>> _ = store.save(t)
            >>> store.load("t-1", replay=True).state
            'exploring'
        """
        return self._load(id, replay=replay)[0]

    def _load(self, id: str, *, replay: bool) -> tuple[Trajectory, _Base]:
        with self._transaction() as connection:
            row = connection.execute(
                sa.select(TRAJECTORIES).where(TRAJECTORIES.c.id == id)
            ).one_or_none()
            if row is None:
                raise UnknownNameError("trajectory", id, Phrase("not in this store"))
            process = self._process(row.fingerprint, id)
            rows = connection.execute(
                sa.select(RECORDS.c.body, RECORDS.c.format)
                .where(RECORDS.c.trajectory_id == id)
                .where(RECORDS.c.generation == row.generation)
                .where(RECORDS.c.seq <= row.revision)
                .order_by(RECORDS.c.seq)
            )
            # Rows this store wrote in the current format are its own: read without checking
            # again (the process is known, or loading stopped above).
            history = tuple(
                record_from_data(json.loads(body), trusted=format == FORMAT)
                for body, format in rows
            )
        snapshot = snapshot_from_data(json.loads(row.snapshot), trusted=row.format == FORMAT)
        if len(history) != row.revision + 1 or [r.seq for r in history] != list(
            range(row.revision + 1)
        ):
            raise TrajectoryError(
                Phrase(
                    "trajectory {trajectory} has missing records in the store",
                    trajectory=_named(id, row.title),
                )
            )
        if replay:
            trajectory = Trajectory.replay(process, history)
            if trajectory.snapshot != snapshot:
                raise TrajectoryError(
                    Phrase(
                        "trajectory {trajectory}: its records replay to another snapshot",
                        trajectory=_named(id, row.title),
                    )
                )
        else:
            trajectory = Trajectory._restore(process, history, snapshot)
        base = _Base(row.generation, row.revision, frozenset(snapshot.party_ids))
        self._remember(trajectory, base)
        return trajectory, base

    def update(
        self, id: str, change: Callable[[Trajectory], object], *, retries: int = 5
    ) -> Trajectory:
        """Load, change and save a trajectory, again on a lost race: the documented retry.

        `change` gets the freshly loaded trajectory and records or fires on it; it may run
        several times, so it should do nothing else that cannot be repeated. An exception from
        `change` (a `TransitionRefused`, say) propagates and nothing is saved.

        Raises:
            ConflictError: still losing the race after `retries` retries.

        Example:
            >>> import coopflow as cf
            >>> from coopflow.store import Store
            >>> store = Store.open("sqlite://")
            >>> t = cf.Trajectory.start(cf.default_process(), id="t-1",
            ...                         parties=[cf.Party("a"), cf.Party("b")])
            >>> _ = store.save(t)
            >>> store.update("t-1", lambda t: t.fire("stall")).state
            'stalled'
        """
        return _retrying(retries, lambda: self._update_once(id, change))

    def _update_once(self, id: str, change: Callable[[Trajectory], object]) -> Trajectory:
        trajectory = self.load(id)
        change(trajectory)
        self.save(trajectory)
        return trajectory

    def history(self, id: str, *, generation: int | None = None) -> tuple[Record, ...]:
        """The stored records of a trajectory: its current history, or an older generation's.

        A rebase (`Store.rebase`) writes a trajectory's new history as a new generation and
        keeps the old one; this reads any of them, without needing their process.

        Raises:
            UnknownNameError: no trajectory has this id, or it has no such generation.
            TrajectoryError: a stored record is corrupt.

        Example:
            >>> import coopflow as cf
            >>> from coopflow.store import Store
            >>> store = Store.open("sqlite://")
            >>> t = cf.Trajectory.start(cf.default_process(), id="t-1",
            ...                         parties=[cf.Party("a"), cf.Party("b")])
            >>> _ = t.fire("stall")
            >>> _ = store.save(t)
            >>> [record.outcome.value for record in store.history("t-1", generation=0)]
            ['started', 'applied']
        """
        if generation is not None and (
            isinstance(generation, bool) or not isinstance(generation, int)
        ):
            raise InvalidEventError(
                "generation", generation, Phrase("must be a whole number or None")
            )
        with self._transaction() as connection:
            current = connection.execute(
                sa.select(TRAJECTORIES.c.generation).where(TRAJECTORIES.c.id == id)
            ).scalar_one_or_none()
            if current is None:
                raise UnknownNameError("trajectory", id, Phrase("not in this store"))
            bodies = (
                connection.execute(
                    sa.select(RECORDS.c.body)
                    .where(RECORDS.c.trajectory_id == id)
                    .where(RECORDS.c.generation == (current if generation is None else generation))
                    .order_by(RECORDS.c.seq)
                )
                .scalars()
                .all()
            )
        if not bodies:
            raise UnknownNameError(
                "generation",
                str(generation),
                Phrase(
                    "trajectory {trajectory} has {count} generation (0 to {last})",
                    "trajectory {trajectory} has {count} generations (0 to {last})",
                    trajectory=shown(id),
                    count=current + 1,
                    last=current,
                ),
            )
        return tuple(record_from_data(json.loads(body)) for body in bodies)

    # --- changing a definition --------------------------------------------------------------

    def rebase(
        self,
        to: Process,
        *,
        process: str | None = None,
        version: str | None = None,
        fingerprint: str | None = None,
        retries: int = 5,
    ) -> tuple[Rebased, ...]:
        """Rebase every stored trajectory of a process onto `to`, the changed definition.

        The trajectories chosen are those of process id `process` (default: `to.id`), and of
        `version` and `fingerprint` when given, that do not follow `to` already. Each is loaded
        (the store must know its old process: `processes=`), rebased with `coopflow.rebase`
        and saved in a transaction of its own: its new history becomes a new *generation*
        (`Summary.generation`), the old records stay, readable with `history(id,
        generation=...)`, and the transitions of the records whose outcome changed go into the
        outbox. A trajectory object loaded before the rebase can no longer be saved
        (`ConflictError`): load it again.

        When another writer saves a trajectory between its load and its rebased save, that one
        is loaded and rebased again, up to `retries` times, as `update` does; one that another
        rebase moved onto `to` (or off the chosen process) in between is left as it is.

        Returns:
            One `Rebased` per trajectory it rebased, in id order, with its records whose outcome
            changed.

        Raises:
            ConflictError: still losing the race for one of them after `retries` retries; that
                one and the rest are not rebased. Run it again: the ones done already are not
                chosen again.
            TrajectoryError: the store does not know the process of one of them.

        Example:
            >>> import coopflow as cf
            >>> from coopflow import demo
            >>> from coopflow.store import Store
            >>> store = Store.open("sqlite://")
            >>> _ = store.save(demo.tilburg(out=lambda line: None))
            >>> stricter = cf.default_process(settings=cf.Settings(entry_threshold=4.0))
            >>> (rebased,) = store.rebase(stricter)
            >>> [change.kind.value for change in rebased.changes]
            ['refused', 'refused', 'refused', 'refused']
            >>> summary = store.find().items[0]
            >>> summary.state, summary.generation, len(store.history(summary.id, generation=0))
            ('building_culture', 1, 37)
        """
        if not isinstance(to, Process):
            raise InvalidEventError("to", to, Phrase("must be a coopflow Process"))
        for name, value in (
            ("process", process),
            ("version", version),
            ("fingerprint", fingerprint),
        ):
            if value is not None and not isinstance(value, str):
                raise InvalidEventError(name, value, Phrase("must be a string or None"))
        query = (
            sa.select(TRAJECTORIES.c.id)
            .where(TRAJECTORIES.c.process_id == (to.id if process is None else process))
            .where(TRAJECTORIES.c.fingerprint != to.fingerprint)
            .order_by(TRAJECTORIES.c.id)
        )
        if version is not None:
            query = query.where(TRAJECTORIES.c.process_version == version)
        if fingerprint is not None:
            query = query.where(TRAJECTORIES.c.fingerprint == fingerprint)
        _check_retries(retries)
        with self._transaction() as connection:
            ids = connection.execute(query).scalars().all()
        with self._lock:
            self._processes.setdefault(to.fingerprint, to)

        def chosen(old: Process) -> bool:  # still one to rebase, whoever wrote it since
            return (
                old.id == (to.id if process is None else process)
                and old.fingerprint != to.fingerprint
                and version in (None, old.version)
                and fingerprint in (None, old.fingerprint)
            )

        done = (
            _retrying(retries, functools.partial(self._rebase_one, id, to, chosen)) for id in ids
        )
        return tuple(rebased for rebased in done if rebased is not None)

    def _rebase_one(
        self, id: str, to: Process, chosen: Callable[[Process], bool]
    ) -> Rebased | None:
        old, base = self._load(id, replay=False)
        if not chosen(old.process):
            return None
        rebased = rebase(old, to)
        new = rebased.trajectory
        snapshot, history = new._consistent()
        changed = tuple(change.new for change in rebased.changes if change.new is not None)
        generation = base.generation + 1
        with self._transaction() as connection:
            self._write(connection, new, snapshot, base, generation, history, changed)
        self._remember(new, _Base(generation, len(history) - 1, frozenset(snapshot.party_ids)))
        return rebased

    # --- finding --------------------------------------------------------------------------------

    def find(
        self,
        *,
        state: str | None = None,
        party: str | None = None,
        process: str | None = None,
        fingerprint: str | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> Page:
        """Stored trajectories by state, party id, process id or fingerprint, a page at a time.

        Items come in id order; pass a page's `next` as `after` for the next page. Each item
        holds the stored snapshot (read when first used), so no record is read and nothing is
        replayed.

        Example:
            >>> import coopflow as cf
            >>> from coopflow.store import Store
            >>> store = Store.open("sqlite://")
            >>> for n in range(3):
            ...     _ = store.save(cf.Trajectory.start(cf.default_process(), id=f"t-{n}",
            ...                    parties=[cf.Party("a"), cf.Party("b")]))
            >>> page = store.find(party="a", limit=2)
            >>> [s.id for s in page.items], page.next
            (['t-0', 't-1'], 't-1')
            >>> [s.id for s in store.find(party="a", after=page.next).items]
            ['t-2']
        """
        for name, value in (
            ("state", state),
            ("party", party),
            ("process", process),
            ("fingerprint", fingerprint),
            ("after", after),
        ):
            if value is not None and not isinstance(value, str):
                raise InvalidEventError(name, value, Phrase("must be a string or None"))
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidEventError("limit", limit, Phrase("must be a whole number, at least 1"))
        query = sa.select(
            TRAJECTORIES.c.id,
            TRAJECTORIES.c.title,
            TRAJECTORIES.c.state,
            TRAJECTORIES.c.revision,
            TRAJECTORIES.c.generation,
            TRAJECTORIES.c.process_id,
            TRAJECTORIES.c.fingerprint,
            TRAJECTORIES.c.snapshot,
            TRAJECTORIES.c.format,
        )
        if state is not None:
            query = query.where(TRAJECTORIES.c.state == state)
        if process is not None:
            query = query.where(TRAJECTORIES.c.process_id == process)
        if fingerprint is not None:
            query = query.where(TRAJECTORIES.c.fingerprint == fingerprint)
        if party is not None:
            query = query.where(
                TRAJECTORIES.c.id.in_(
                    sa.select(PARTIES.c.trajectory_id).where(PARTIES.c.party_id == party)
                )
            )
        if after is not None:
            query = query.where(TRAJECTORIES.c.id > after)
        query = query.order_by(TRAJECTORIES.c.id).limit(limit + 1)
        with self._transaction() as connection:
            rows = connection.execute(query).all()
        with self._lock:
            known = frozenset(self._processes)
        items = tuple(
            Summary(
                row.id,
                row.title,
                row.state,
                row.revision,
                row.generation,
                row.process_id,
                row.fingerprint,
                text=row.snapshot,
                trusted=row.format == FORMAT and row.fingerprint in known,
            )
            for row in rows[:limit]
        )
        return Page(items, items[-1].id if len(rows) > limit else None)

    # --- the outbox -----------------------------------------------------------------------------

    def outbox(self, *, limit: int = 100) -> tuple[Notice, ...]:
        """The oldest transitions not yet acknowledged, in the order they were saved.

        A notifier reads them, notifies, then passes them to `acknowledge`; one that crashes
        before acknowledging reads them again (at least once).

        Example:
            >>> from coopflow.store import Store
            >>> Store.open("sqlite://").outbox()
            ()
        """
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidEventError("limit", limit, Phrase("must be a whole number, at least 1"))
        query = (
            sa.select(OUTBOX)
            .where(OUTBOX.c.acknowledged == sa.false())
            .order_by(OUTBOX.c.id)
            .limit(limit)
        )
        with self._transaction() as connection:
            rows = connection.execute(query).all()
        return tuple(
            Notice(
                row.id,
                row.trajectory_id,
                row.seq,
                row.trigger,
                row.source,
                row.dest,
                row.automatic,
                row.at,
            )
            for row in rows
        )

    def acknowledge(self, notices: Iterable[Notice]) -> int:
        """Mark notices as delivered, so `outbox` no longer returns them; how many it marked.

        Example:
            >>> import coopflow as cf
            >>> from coopflow.store import Store
            >>> store = Store.open("sqlite://")
            >>> t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"),
            ...                                                        cf.Party("b")])
            >>> _ = t.fire("stall")
            >>> _ = store.save(t)
            >>> store.acknowledge(store.outbox()), store.outbox()
            (1, ())
        """
        ids = []
        for notice in notices:
            if not isinstance(notice, Notice):
                raise InvalidEventError("notices", notice, Phrase("must be Notices from outbox()"))
            ids.append(notice.id)
        if not ids:
            return 0
        with self._transaction() as connection:
            done = connection.execute(
                OUTBOX.update()
                .where(OUTBOX.c.id.in_(ids))
                .where(OUTBOX.c.acknowledged == sa.false())
                .values(acknowledged=True)
            )
        return int(done.rowcount)
