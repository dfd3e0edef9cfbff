"""The checker's numbers, run by hand: the differential count, the planted bugs, the blow-ups.

Run it with ``.venv/bin/python benchmarks/bench_check.py [processes] [runs-per-process]``
(default 2,000 processes x 50 runs = 100,000 engine runs). It is a report, not a test: it prints

(A) the differential count: generated processes (``tests/differential.py``: negations,
    combinators, chains of regressions, facts, a declared dimension, party selectors) are
    checked, then driven on the real engine with drawn public events; a disagreement is an
    engine state or transition the report calls impossible, a rule the run broke that the report
    misses, or a report path that does not replay. It also counts the unconfirmed verdicts.
(B) the planted bugs of ``tests/planted.py`` and the new cases of issue 8, each with what check
    found and the length of its path;
(C) the two blow-up cases of issue 8 (ten automatic conditions with distinct thresholds; one
    trigger with 19 distinct thresholds) and ``check(default_process())``, timed.
"""

import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import coopflow as cf
from coopflow import guards
from tests import differential, planted
from tests.planted import move, state


def differential_count(processes: int, runs: int) -> None:
    """(A): generated processes, `runs` engine runs each."""
    strategy = differential.processes()
    rng = random.Random(8)
    total = disagreements = replays = unconfirmed = verdicts = incomplete = 0
    began = time.perf_counter()
    for number in range(processes):
        process = strategy.example() if number else planted.DEFAULT
        rules = differential.rules_for(process)
        report = cf.check(process, properties=rules)
        incomplete += not report.complete
        verdicts += len(process.states) + len(process.transitions) + len(rules) + 3
        unconfirmed += len(report.unconfirmed)
        found = differential.disagreements(process, report, rng, runs=runs, length=12)
        failed = differential.replay_failures(process, report)
        disagreements += len(found)
        replays += len(failed)
        total += runs
        for line in (found + failed)[:3]:
            print("  disagreement:", line)
    elapsed = time.perf_counter() - began
    print(
        f"(A) {total} engine runs over {processes} processes in {elapsed:.0f} s: "
        f"{disagreements} disagreements, {replays} paths that do not replay, "
        f"{unconfirmed} of {verdicts} verdicts unconfirmed, {incomplete} reports incomplete"
    )


def _trap_of_correlated_guards() -> cf.Process:
    return cf.Process(
        "correlated",
        (state("start", initial=True), state("trap"), state("done", terminal=True)),
        (
            move("enter", "start", "trap"),
            move("leave", "trap", "done", guards.energy(), guards.energy_lost()),
            move("finish", "start", "done"),
        ),
    )


def _passed_within_one_event() -> cf.Process:
    return cf.Process(
        "passing",
        (
            state("x", initial=True),
            state("y"),
            state("a"),
            state("done", terminal=True),
        ),
        (
            move("alarm", "x", "y", guards.culture_breached(), automatic=True),
            move("settle", "y", "a", guards.energy_lost(), automatic=True),
            move("finish", ("x", "y", "a"), "done"),
        ),
    )


def _not_trust_after_a_step() -> cf.Process:
    return cf.Process(
        "not-trust",
        (state("a", initial=True), state("b"), state("d", terminal=True)),
        (
            move("go", "a", "b"),
            move("doubt", "b", "d", guards.not_(guards.trust()), automatic=True),
            move("finish", "b", "d"),
        ),
    )


def planted_table() -> None:
    """(B): each planted bug and new case, what check found and its path length."""
    print("(B) planted bugs and the new cases of issue 8:")
    for bug in planted.CAUGHT_BY_CHECK:
        report = cf.check(bug.build(), properties=bug.properties)
        found = [v for v in report.violations if (v.kind, v.property) == (bug.kind, bug.property)]
        length = None if not found or found[0].path is None else len(found[0].path)
        status = "caught" if found else "MISSED"
        print(f"  {bug.name:32} {status:7} {bug.kind:18} length {length} (expected {bug.length})")
    cases: list[tuple[str, cf.Process, str, list[Any]]] = [
        ("trap behind energy+energy_lost", _trap_of_correlated_guards(), "deadlock", []),
        (
            "state passed within one event",
            _passed_within_one_event(),
            "always",
            [cf.rules.always("not y", lambda c: c.state != "y")],
        ),
        (
            "not_(trust) after a manual step",
            _not_trust_after_a_step(),
            "sometimes",
            [cf.rules.sometimes("b")],
        ),
        (
            "tautology any_of(a, not_(a))",
            planted.extended(
                planted.DEFAULT, move("hop", "exploring", "signing", planted.TAUTOLOGY)
            ),
            "vacuous",
            [],
        ),
        (
            "leads_to(limbo, completed)",
            planted.limbo(),
            "leads_to",
            [cf.rules.leads_to("limbo", "completed")],
        ),
    ]
    for name, process, kind, rules in cases:
        report = cf.check(process, properties=rules)
        if kind == "sometimes":
            path = report.witnesses.get("sometimes(b)")
            print(f"  {name:32} shown   witness of b        length {len(path) if path else None}")
            continue
        pool = report.vacuous if kind == "vacuous" else report.violations
        found = [v for v in pool if v.kind == kind]
        length = None if not found or found[0].path is None else len(found[0].path)
        status = "caught" if found else "MISSED"
        print(f"  {name:32} {status:7} {kind:18} length {length}")


def _ten_conditions() -> cf.Process:
    """Ten automatic conditions from one state, each a score_below with its own threshold."""
    vocabulary = cf.Vocabulary(
        dimensions={"communication": {"en": "communication", "nl": "communicatie"}}
    )
    regressions = tuple(
        move(
            f"drop{n}",
            "work",
            "start",
            guards.score_below("communication", below=round(1.2 + 0.35 * n, 2)),
            automatic=True,
        )
        for n in range(10)
    )
    return cf.Process(
        "ten-conditions",
        (state("start", initial=True), state("work"), state("done", terminal=True)),
        (move("begin", "start", "work"), move("finish", "work", "done"), *regressions),
        vocabulary=vocabulary,
    )


def _nineteen_thresholds() -> cf.Process:
    """One trigger with 19 transitions, each over a score with its own threshold."""
    vocabulary = cf.Vocabulary(
        dimensions={"communication": {"en": "communication", "nl": "communicatie"}}
    )
    ways = tuple(
        move(
            "advance",
            "start",
            f"level{n}",
            guards.score("communication", at_least=round(1.1 + 0.2 * n, 2)),
            guards.not_(guards.score("communication", at_least=round(1.3 + 0.2 * n, 2))),
        )
        for n in range(19)
    )
    states = tuple(state(f"level{n}") for n in range(19))
    finish = move("finish", ("start", *(f"level{n}" for n in range(19))), "done")
    return cf.Process(
        "nineteen-thresholds",
        (state("start", initial=True), *states, state("done", terminal=True)),
        (*ways, finish),
        vocabulary=vocabulary,
    )


def blow_ups() -> None:
    """(C): the two blow-up cases and the default process, timed."""
    for name, process in (
        ("ten automatic conditions", _ten_conditions()),
        ("one trigger, 19 thresholds", _nineteen_thresholds()),
        ("check(default_process())", planted.DEFAULT),
    ):
        began = time.perf_counter()
        report = cf.check(process)
        elapsed = time.perf_counter() - began
        print(
            f"(C) {name:28} {elapsed:6.2f} s  {report.configurations} configurations, "
            f"complete={report.complete}, ok={report.ok}, {len(report.violations)} violations"
        )


if __name__ == "__main__":
    processes = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    blow_ups()
    planted_table()
    differential_count(processes, runs)
