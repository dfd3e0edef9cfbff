"""The store's speed on SQLite and PostgreSQL: appends, their latency, and loading.

Run it with ``.venv/bin/python benchmarks/bench_store.py [appends] [records] [snapshots]``
(every part when none is named; PostgreSQL at ``COOPFLOW_BENCH_POSTGRES``, default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``; the benchmark works in a schema of its
own and drops it). It is a report, not a test.

* appends: one trajectory, 2,000 times ``record`` one score and ``save`` (one transaction
  each); appends per second, and the p50 / p99 latency of one save.
* records: 1,000 trajectories of 100 records each are saved, then all 100,000 records are
  loaded with ``store.load`` (from the records, trusted, no replay).
* snapshots: 10,000 trajectories are loaded from their snapshot rows: ``find`` in pages of
  1,000, reading every item's snapshot (the issue's target: under a second), for copies of a
  small snapshot (two parties, one score) and of the Tilburg demo's (two parties with names and
  sectors, ten scores, interests, values, dependencies, an agenda, contributions, roles). For
  comparison: ``find`` alone (a snapshot is structured when first used), and every snapshot
  read by the strict path that ``loads`` takes (the store reads rows it wrote itself in the
  current format without checking them again).
"""

import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime

import sqlalchemy as sa

import coopflow as cf
from coopflow import demo
from coopflow._serialize import snapshot_from_data, snapshot_to_data
from coopflow.store import Store

AT = datetime(2018, 1, 8, 9, 0, tzinfo=UTC)
PROCESS = cf.default_process()
PARTIES = [cf.Party("a"), cf.Party("b")]
APPENDS = 2_000
SNAPSHOTS = 10_000
ROUNDS = 3


def _appends(store: Store) -> str:
    t = cf.Trajectory.start(PROCESS, parties=PARTIES, id="append", at=AT)
    store.save(t)
    latencies = []
    start = time.perf_counter()
    for n in range(APPENDS):
        t.record(cf.Assessed("a", cf.Dimension.TRUST, (2.0, 4.0)[n % 2]), at=AT)
        before = time.perf_counter()
        store.save(t)
        latencies.append(time.perf_counter() - before)
    total = time.perf_counter() - start
    cuts = statistics.quantiles(latencies, n=100)
    return (
        f"{APPENDS / total:8.0f} appends/s, save p50 {cuts[49] * 1e3:.2f} ms, "
        f"p99 {cuts[98] * 1e3:.2f} ms"
    )


def _records(store: Store) -> str:
    for n in range(1_000):
        t = cf.Trajectory.start(PROCESS, parties=PARTIES, id=f"r{n:04d}", at=AT)
        for m in range(99):
            t.record(cf.Assessed("a", cf.Dimension.TRUST, (2.0, 4.0)[m % 2]), at=AT)
        store.save(t)
    start = time.perf_counter()
    count = sum(len(store.load(f"r{n:04d}").history) for n in range(1_000))
    seconds = time.perf_counter() - start
    return f"{count} records loaded in {seconds:.2f} s ({count / seconds:.0f} records/s)"


def _copies(store: Store, source: str, prefix: str) -> None:
    # 10,000 rows quickly: copies of one snapshot row, as the store wrote it.
    with store.engine.begin() as connection:
        row = dict(
            connection.execute(
                sa.text("SELECT * FROM coopflow_trajectories WHERE id = :id"), {"id": source}
            )
            .mappings()
            .one()
        )
        connection.execute(
            sa.text(
                f"INSERT INTO coopflow_trajectories ({', '.join(row)}) "
                f"VALUES ({', '.join(':' + column for column in row)})"
            ),
            [{**row, "id": f"{prefix}{n:05d}"} for n in range(SNAPSHOTS)],
        )


def _read(store: Store, prefix: str, how: str) -> tuple[int, float, float]:
    # Page through the copies; "summaries" reads no snapshot, "snapshots" reads every one as the
    # store does (its own rows: trusted), "strict" as a document from elsewhere is read.
    start, cpu = time.perf_counter(), time.process_time()
    count = 0
    after: str | None = prefix
    while after is not None:
        page = store.find(limit=1_000, after=after)
        for item in page.items:
            if not item.id.startswith(prefix):
                continue
            if how == "snapshots":
                assert item.snapshot.version >= 0
            elif how == "strict":
                assert snapshot_from_data(json.loads(item._text)).version >= 0
            count += 1
        after = page.next
    return count, time.perf_counter() - start, time.process_time() - cpu


def _snapshots(store: Store) -> list[str]:
    tilburg = demo.tilburg(out=lambda line: None, id="tilburg")
    store.save(tilburg)
    lines = []
    for source, prefix, what in (("r0000", "s", "small"), ("tilburg", "x", "Tilburg demo")):
        _copies(store, source, prefix)
        size = len(json.dumps(snapshot_to_data(store.find(after=prefix).items[0].snapshot)))
        # The best of three rounds, the three ways interleaved: on a shared machine the others'
        # load comes and goes, and the fastest round is the one it disturbed least.
        # The CPU time of this process is shown too: others' load changes it less.
        timings: dict[str, list[tuple[float, float]]] = {
            "summaries": [],
            "snapshots": [],
            "strict": [],
        }
        count = 0
        for _ in range(ROUNDS):
            for how, seconds in timings.items():
                count, wall, cpu = _read(store, prefix, how)
                seconds.append((wall, cpu))
        best = {how: min(seconds) for how, seconds in timings.items()}
        cpus = {how: min(cpu for _, cpu in seconds) for how, seconds in timings.items()}
        lines.append(
            f"{count} trajectories ({what}, {size:,} bytes of snapshot) loaded from snapshots in "
            f"{best['snapshots'][0]:.2f} s, CPU {cpus['snapshots']:.2f} s (find alone "
            f"{best['summaries'][0]:.2f} s, CPU {cpus['summaries']:.2f} s; read strictly "
            f"{best['strict'][0]:.2f} s, CPU {cpus['strict']:.2f} s; best of {ROUNDS})"
        )
    return lines


def _run(name: str, url: str) -> None:
    parts = set(sys.argv[1:]) or {"appends", "records", "snapshots"}
    with Store.open(url) as store:
        if "appends" in parts:
            print(f"{name:>10}  appends:   {_appends(store)}")
        if "records" in parts:
            print(f"{name:>10}  records:   {_records(store)}")
        if "snapshots" in parts:
            if "records" not in parts:  # the small snapshot is that of a trajectory it saves
                t = cf.Trajectory.start(PROCESS, parties=PARTIES, id="r0000", at=AT)
                for m in range(99):
                    t.record(cf.Assessed("a", cf.Dimension.TRUST, (2.0, 4.0)[m % 2]), at=AT)
                store.save(t)
            for line in _snapshots(store):
                print(f"{name:>10}  snapshots: {line}")


def main() -> None:
    """Run every measurement on SQLite, then on PostgreSQL if a server answers."""
    with tempfile.TemporaryDirectory() as folder:
        _run("sqlite", f"sqlite:///{folder}/bench.db")
    url = os.environ.get("COOPFLOW_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1/test")
    schema = f"bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as error:
        print(f"postgresql: skipped, no server at {url} ({error.orig})", file=sys.stderr)
        return
    try:
        scoped = sa.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        _run("postgresql", scoped.render_as_string(hide_password=False))
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
