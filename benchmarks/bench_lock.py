"""What the `Trajectory` lock and the listener machinery cost per record.

Run it with ``.venv/bin/python benchmarks/bench_lock.py``. It is a report, not a test.

Each round records the same 20,000 ``Assessed`` events (built beforehand, one fixed ``at``) on
a fresh trajectory of the default process, in four variants:

* ``locked``: the trajectory as shipped (a ``threading.Lock`` around each call);
* ``unlocked``: the same trajectory with its lock replaced by ``contextlib.nullcontext()``,
  which is the same code path without acquiring anything;
* ``listener``: locked, with one listener that does nothing;
* ``two threads``: locked, two threads recording 10,000 events each on one trajectory.

The figure is the median over rounds of the time per record, in microseconds; the lock's cost
is ``locked - unlocked``. A bare ``with lock: pass`` is timed too, for scale.
"""

import contextlib
import gc
import statistics
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import coopflow as cf

ROUNDS = 7
COUNT = 20_000
AT = datetime(2018, 1, 8, 9, 0, tzinfo=UTC)
PROCESS = cf.default_process()
PARTIES = [cf.Party("a"), cf.Party("b"), cf.Party("c")]
EVENTS = [
    cf.Assessed(PARTIES[i % 3].id, cf.Dimension.TRUST, (2.0, 4.0, 3.2, 5.0)[i % 4])
    for i in range(COUNT)
]


def _fresh() -> cf.Trajectory:
    return cf.Trajectory.start(PROCESS, parties=PARTIES, at=AT)


def _record_all(t: cf.Trajectory, events: list[cf.Assessed]) -> None:
    record = t.record
    for event in events:
        record(event, at=AT)


def _locked() -> float:
    t = _fresh()
    start = time.perf_counter()
    _record_all(t, EVENTS)
    return time.perf_counter() - start


def _unlocked() -> float:
    t = _fresh()
    t._lock = contextlib.nullcontext()  # type: ignore[assignment]
    start = time.perf_counter()
    _record_all(t, EVENTS)
    return time.perf_counter() - start


def _listener() -> float:
    t = _fresh()
    t.subscribe(lambda trajectory, record: None)
    start = time.perf_counter()
    _record_all(t, EVENTS)
    return time.perf_counter() - start


def _two_threads() -> float:
    t = _fresh()
    halves = [EVENTS[: COUNT // 2], EVENTS[COUNT // 2 :]]
    threads = [threading.Thread(target=_record_all, args=(t, half)) for half in halves]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def _bare_lock() -> float:
    lock = threading.Lock()
    start = time.perf_counter()
    for _ in range(COUNT):
        with lock:
            pass
    return time.perf_counter() - start


def _median_us(measure: Callable[[], float]) -> float:
    measure()  # warm-up
    times = []
    for _ in range(ROUNDS):
        gc.collect()
        times.append(measure())
    return statistics.median(times) / COUNT * 1e6


def main() -> None:
    """Print the time per record of each variant and the lock's share."""
    results = {
        "locked": _median_us(_locked),
        "unlocked": _median_us(_unlocked),
        "listener": _median_us(_listener),
        "two threads": _median_us(_two_threads),
        "bare with-lock": _median_us(_bare_lock),
    }
    for name, value in results.items():
        print(f"{name:>15}: {value:7.3f} us per record")
    cost = results["locked"] - results["unlocked"]
    print(f"{'lock cost':>15}: {cost:7.3f} us per record ({cost / results['unlocked']:.1%})")


if __name__ == "__main__":
    main()
