"""The scaling benchmark: the cost of one `record()` against history length and party count.

Run it with ``make bench`` (after the core benchmark) or ``.venv/bin/python
benchmarks/bench_scaling.py [--max-history N]``. It is a report, not a test: it exits with status
0 and prints PASS or MISS beside each target.

(H) History length. For each data event type, a trajectory of the default process (three
    parties, driven along the happy path into ``operating``, with a fact declared so that
    `FactRecorded` can be recorded) gets a history of 0, 1,000, 10,000 and 100,000 events of that
    type, each one different where the type allows it (new interests, values, dependencies,
    respondents, contributions, agenda versions, roles, themes, reviews, facts; a party joining
    and leaving again; the same decision rule, budget and signature again, which registers hold
    once). Then one more event of that type is recorded, timed on its own, and again for
    `SAMPLES` more events; the figure is their median in microseconds. The history is folded
    into the snapshot directly (``coopflow._snapshot.fold``, the same fold `record` runs), so
    building it does not take minutes; the timed calls are ordinary ``t.record(event, at=...)``
    calls with their regressions and audit record.
(P) Party count. Trajectories of 2, 10, 100 and 1,000 parties, every party with values,
    dependencies, five scores, a contribution, its approval, its signature and a role, in
    ``operating``: one more `Assessed` record timed (median of `SAMPLES`). And in
    ``building_culture`` with everything the forward guards need: one ``fire("set_agenda")``
    (trust, reciprocity, equal standing and energy of every party, then the regressions of
    ``agenda_setting``), timed on copies of the same snapshot.

Targets (issue 7): a record after 100,000 events costs the same as after 0 (within 2x, for
noise), for every event type; a record with 100 parties at most 0.5 ms, with 1,000 at most 10 ms.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal

import attrs

import coopflow as cf
from coopflow._events import DataEvent
from coopflow._snapshot import fold

AT = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
SAMPLES = 200
HISTORIES = (0, 1_000, 10_000, 100_000)
PARTY_COUNTS = (2, 10, 100, 1_000)
SAME_WITHIN = 2.0  # a record after 100,000 events within this factor of one after none
TARGET_100_US = 500.0
TARGET_1000_US = 10_000.0

DIMENSIONS = tuple(cf.Dimension)
BASE = cf.default_process()


def _process(facts: int) -> cf.Process:
    """The default process with `facts` per-party facts declared (f0, f1, ...)."""
    vocabulary = attrs.evolve(
        BASE.vocabulary,
        facts={
            f"f{i}": cf.Fact({"en": f"fact {i}", "nl": f"feit {i}"}, per_party=True)
            for i in range(facts)
        },
    )
    return attrs.evolve(BASE, vocabulary=vocabulary)


def happy_events(ids: Sequence[str]) -> Iterator[DataEvent | str]:
    """The happy path of `ids` into operating: data events, and the triggers as strings."""
    yield cf.InterestShared("shared", parties=ids)
    yield from (cf.ValueNamed(p, brings="b", gains="g") for p in ids)
    yield from (cf.DependencyDeclared(p, ids[(i + 1) % len(ids)]) for i, p in enumerate(ids))
    yield "form_culture"
    yield from (cf.Assessed(p, d, 4.0) for p in ids for d in DIMENSIONS)
    yield from (cf.ContributionCommitted(p, "money", cash=Decimal(1000)) for p in ids)
    yield "set_agenda"
    yield cf.AgendaProposed(1, [cf.Theme("theme", "Theme", ids[0], "indicator", ["shared"])])
    yield from (cf.AgendaApproved(p, 1) for p in ids)
    yield "open_signing"
    yield from (cf.DeclarationSigned(p, f"signatory {p}", 1) for p in ids)
    yield "organise"
    yield cf.RoleAssigned("programme_manager", ids[0])
    yield from (cf.RoleAssigned(f"member-{p}", p) for p in ids[1:])
    yield cf.BudgetSet(Decimal(1000) * len(ids))
    yield "start"


def started(process: cf.Process, count: int, until: str | None = None) -> cf.Trajectory:
    """A trajectory of `count` parties driven along the happy path (up to trigger `until`)."""
    ids = [f"p{i}" for i in range(count)]
    t = cf.Trajectory.start(process, parties=[cf.Party(p) for p in ids], at=AT)
    context = process._index.context
    for item in happy_events(ids):
        if isinstance(item, str):
            if item == until:
                return t
            t.fire(item, at=AT)
        elif count > 100:  # thousands of records with guards over every party: fold them
            t._snapshot = fold(t.snapshot, item, context, AT)
        else:
            t.record(item, at=AT)
    return t


# --- the histories: event number i of each type -------------------------------------------------


HISTORY: dict[str, Callable[[int], Sequence[DataEvent]]] = {
    "InterestShared": lambda i: [cf.InterestShared(f"interest-{i}", parties=["p0", "p1"])],
    "ValueNamed": lambda i: [cf.ValueNamed(f"p{i % 3}", brings=f"b{i}", gains=f"g{i}")],
    "DependencyDeclared": lambda i: [cf.DependencyDeclared(f"p{i % 3}", f"p{(i + 1) % 3}")],
    "Assessed": lambda i: [cf.Assessed(f"p{i % 3}", DIMENSIONS[i % 5], 4.0, respondent=f"r{i}")],
    "ContributionCommitted": lambda i: [
        cf.ContributionCommitted(f"p{i % 3}", f"c{i}", in_kind=True)
    ],
    "ContributionWithdrawn": lambda i: [
        cf.ContributionCommitted(f"p{i % 3}", f"w{i}", in_kind=True),
        cf.ContributionWithdrawn(f"p{i % 3}", f"w{i}"),
    ],
    "DecisionRuleSet": lambda i: [cf.DecisionRuleSet(cf.DecisionRule.CONSENSUS)],
    "AgendaProposed": lambda i: [cf.AgendaProposed(10 + i, [])],
    "AgendaApproved": lambda i: [cf.AgendaProposed(10 + i, []), cf.AgendaApproved("p0", 10 + i)],
    "DeclarationSigned": lambda i: [cf.DeclarationSigned(f"p{i % 3}", "signatory", 1)],
    "RoleAssigned": lambda i: [cf.RoleAssigned(f"role-{i}", f"p{i % 3}")],
    "BudgetSet": lambda i: [cf.BudgetSet(Decimal(3000))],
    "ThemeClosed": lambda i: [cf.ThemeClosed(f"t{i}")],
    "ReviewRecorded": lambda i: [cf.ReviewRecorded(f"review {i}")],
    "FactRecorded": lambda i: [cf.FactRecorded(f"f{i}", party=f"p{i % 3}")],
    "PartyJoined": lambda i: [cf.PartyJoined(cf.Party(f"guest-{i}")), cf.PartyLeft(f"guest-{i}")],
    "PartyLeft": lambda i: [cf.PartyJoined(cf.Party(f"guest-{i}")), cf.PartyLeft(f"guest-{i}")],
}


def _timed_events(kind: str, n: int) -> list[Sequence[DataEvent]]:
    """The events recorded after a history of `n`: for most types one each, numbered on."""
    if kind == "PartyJoined":
        return [[cf.PartyJoined(cf.Party(f"guest-{n + i}"))] for i in range(SAMPLES)]
    if kind == "PartyLeft":
        return [[cf.PartyLeft(f"guest-{n + i}")] for i in range(SAMPLES)]
    return [HISTORY[kind](n + i) for i in range(SAMPLES)]


def record_cost(process: cf.Process, base: cf.Trajectory, kind: str, n: int) -> float:
    """The median cost (µs) of recording one more `kind` event after a history of `n`."""
    t = cf.Trajectory.replay(process, base.history)
    context = process._index.context
    snapshot = t.snapshot
    if kind == "ThemeClosed":  # themes to close: one agenda version with enough of them
        themes = [cf.Theme(f"t{i}", f"T{i}", "", "indicator", []) for i in range(n + SAMPLES)]
        snapshot = fold(snapshot, cf.AgendaProposed(2, themes), context, AT)
    for i in range(n):
        for event in HISTORY[kind](i):
            snapshot = fold(snapshot, event, context, AT)
    t._snapshot = snapshot
    samples: list[int] = []
    clock = time.perf_counter_ns
    for events in _timed_events(kind, n):
        *before, last = events
        for event in before:  # the setup of a paired event is not timed
            t.record(event, at=AT)
        if isinstance(last, cf.PartyLeft):
            t.record(cf.PartyJoined(cf.Party(last.party)), at=AT)
        begin = clock()
        t.record(last, at=AT)
        samples.append(clock() - begin)
        if isinstance(last, cf.PartyJoined):
            t.record(cf.PartyLeft(last.party.id), at=AT)
    # A party joining or leaving voids the declaration: the first one regresses to signing.
    assert t.state == "operating" or kind.startswith("Party"), (kind, n, t.state)
    return statistics.median(samples) / 1000


def party_costs(count: int) -> tuple[float, float]:
    """The median cost (µs) of one Assessed record and one fire('set_agenda'), `count` parties."""
    operating = started(BASE, count)
    assert operating.state == "operating"
    clock = time.perf_counter_ns
    samples: list[int] = []
    for i in range(SAMPLES if count <= 100 else 20):
        event = cf.Assessed(f"p{i % count}", cf.Dimension.TRUST, 4.0, respondent=f"extra-{i}")
        begin = clock()
        operating.record(event, at=AT)
        samples.append(clock() - begin)
    assert operating.state == "operating"
    record_us = statistics.median(samples) / 1000
    culture = started(BASE, count, until="set_agenda")
    assert culture.state == "building_culture"
    fires: list[int] = []
    for _ in range(SAMPLES if count <= 100 else 20):
        copy = cf.Trajectory.start(BASE, parties=culture.snapshot.parties, at=AT)
        copy._snapshot = culture.snapshot
        begin = clock()
        copy.fire("set_agenda", at=AT)
        fires.append(clock() - begin)
        assert copy.state == "agenda_setting"
    return record_us, statistics.median(fires) / 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-history", type=int, default=HISTORIES[-1])
    args = parser.parse_args()
    histories = [n for n in HISTORIES if n <= args.max_history]
    started_at = time.perf_counter()
    process = _process(max(histories) + SAMPLES)
    base = started(process, 3)
    assert base.state == "operating"
    print(
        f"coopflow {cf.__version__} · Python {sys.version.split()[0]} · median of {SAMPLES} "
        "records, each timed on its own"
    )
    print()
    print("(H) one record after a history of n events of its type (3 parties, operating), µs")
    header = f"{'event':<24}" + "".join(f"{f'n={n:,}':>12}" for n in histories) + "   ratio"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for kind in HISTORY:
        gc.collect()
        costs = [record_cost(process, base, kind, n) for n in histories]
        ratio = costs[-1] / costs[0]
        worst = max(worst, ratio)
        print(f"{kind:<24}" + "".join(f"{c:12.1f}" for c in costs) + f"   {ratio:5.2f}x")
    print()
    print("(P) one record and one fire against the number of parties, µs")
    print(f"{'parties':>8} {'Assessed':>12} {'fire':>12}")
    by_count: dict[int, tuple[float, float]] = {}
    for count in PARTY_COUNTS:
        gc.collect()
        by_count[count] = party_costs(count)
        record_us, fire_us = by_count[count]
        print(f"{count:>8} {record_us:12.1f} {fire_us:12.1f}")
    print()
    print("targets")
    rows = [
        (
            f"(H) n={histories[-1]:,} within {SAME_WITHIN:g}x of n=0, every type",
            f"worst {worst:.2f}x",
            worst <= SAME_WITHIN,
        ),
    ]
    for count, target in ((100, TARGET_100_US), (1_000, TARGET_1000_US)):
        slowest = max(by_count[count])
        rows.append(
            (
                f"(P) {count:,} parties: record and fire ≤ {target / 1000:g} ms",
                f"{slowest / 1000:.3f} ms",
                slowest <= target,
            )
        )
    for label, figure, ok in rows:
        print(f"  {label:<50} {figure:>14}   {'PASS' if ok else 'MISS'}")
    print(f"\n(whole run: {time.perf_counter() - started_at:.1f} s)")
    return 0


if __name__ == "__main__":
    main()
    sys.exit(0)
