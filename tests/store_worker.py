"""A writer process for the crash and load tests: ``python -m tests.store_worker MODE URL ...``.

``crash URL ID``: append a record to trajectory ID forever, printing each committed revision.
``load URL WORKER EVENTS IDS``: record EVENTS scores spread over the comma-separated IDS, each
by load, record and save (again after a `ConflictError`), tagged ``w<WORKER>-<n>``; print the
counts as JSON at the end.
"""

import json
import sys
from datetime import UTC, datetime

import coopflow as cf
from coopflow.store import Store


def _later(t: cf.Trajectory) -> datetime:
    return max(datetime.now(UTC), t.history[-1].at)


def crash(url: str, id: str) -> None:
    """Append forever; each line printed is a revision that was committed."""
    with Store.open(url) as store:
        n = 0
        while True:
            n += 1

            def change(t: cf.Trajectory, n: int = n) -> None:
                score = (2.0, 4.0, 3.2)[n % 3]
                event = cf.Assessed("uni", cf.Dimension.TRUST, score, respondent=f"c{n}")
                t.record(event, at=_later(t))

            print(store.update(id, change).revision, flush=True)


def load(url: str, worker: int, events: int, ids: list[str]) -> None:
    """Record `events` tagged scores, each by load, record, save, again on a ConflictError;
    report the events, the attempts and the conflicts surfaced."""
    attempts = conflicts = 0
    with Store.open(url) as store:
        for n in range(events):
            id = ids[(n + worker) % len(ids)]
            for _ in range(10_000):  # bounded: a test that never wins fails instead of hanging
                attempts += 1
                t = store.load(id)
                tag = f"w{worker}-{n}"
                t.record(cf.Assessed("uni", cf.Dimension.TRUST, 4.0, respondent=tag), at=_later(t))
                try:
                    store.save(t)
                except cf.ConflictError:
                    conflicts += 1
                else:
                    break
    print(json.dumps({"events": events, "attempts": attempts, "conflicts": conflicts}))


if __name__ == "__main__":
    mode, url, *rest = sys.argv[1:]
    if mode == "crash":
        crash(url, rest[0])
    else:
        load(url, int(rest[0]), int(rest[1]), rest[2].split(","))
