"""The store under real processes: a writer killed with kill -9, and several writers at once."""

import json
import os
import signal
import subprocess
import sys
from collections import Counter

import coopflow as cf
from coopflow.store import Store
from tests.conftest import T0

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PARTIES = [cf.Party("gemeente"), cf.Party("uni")]


def _worker(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store_worker", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _start(url: str, *ids: str) -> None:
    with Store.open(url) as store:
        for id in ids:
            store.save(cf.Trajectory.start(cf.default_process(), parties=PARTIES, id=id, at=T0))


def test_a_writer_killed_mid_run_loses_no_committed_record(store_url: str) -> None:
    """kill -9 while it writes: every revision it reported committed is there, no record is
    half-written (the history replays to the snapshot row), and the outbox matches."""
    _start(store_url, "t")
    writer = _worker("crash", store_url, "t")
    assert writer.stdout is not None
    committed = 0
    try:
        for line in writer.stdout:
            committed = int(line)
            if committed >= 40:
                break
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=60)
        writer.stdout.close()
        assert writer.stderr is not None
        writer.stderr.close()
    assert writer.returncode == -signal.SIGKILL
    with Store.open(store_url) as store:
        loaded = store.load("t", replay=True)
        assert loaded.revision >= committed >= 40
        tags = [r.event.respondent for r in loaded.history[1:] if isinstance(r.event, cf.Assessed)]
        assert tags == [f"c{n}" for n in range(1, loaded.revision + 1)]
        transitions = sum(len(record.transitions) for record in loaded.history)
        assert len(store.outbox(limit=10_000)) == transitions


def test_several_processes_on_shared_trajectories_lose_and_duplicate_nothing(
    store_url: str,
) -> None:
    """4 processes x 40 events on 2 shared trajectories: every event is stored exactly once,
    and every lost race surfaced as a ConflictError and was retried (each attempt either
    saved its event or conflicted)."""
    workers, events, ids = 4, 40, ["s0", "s1"]
    _start(store_url, *ids)
    processes = [
        _worker("load", store_url, str(w), str(events), ",".join(ids)) for w in range(workers)
    ]
    reports = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        reports.append(json.loads(out))
    with Store.open(store_url) as store:
        stored = Counter(
            record.event.respondent
            for id in ids
            for record in store.load(id, replay=True).history
            if isinstance(record.event, cf.Assessed)
        )
    expected = {f"w{w}-{n}" for w in range(workers) for n in range(events)}
    lost = expected - set(stored)
    duplicated = [tag for tag, count in stored.items() if count > 1]
    assert (lost, duplicated, set(stored) - expected) == (set(), [], set())
    assert sum(r["events"] for r in reports) == workers * events
    assert all(r["attempts"] == r["events"] + r["conflicts"] for r in reports)
    conflicts = sum(r["conflicts"] for r in reports)
    sys.stderr.write(f"{store_url.split(':')[0]}: {len(stored)} events, {conflicts} conflicts\n")
