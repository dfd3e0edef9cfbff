"""The differential test of `check`: generated processes driven on the real engine.

`processes()` draws small processes from the public guards (negations, combinators, chains of
regressions, facts, a declared dimension, party selectors); `drive` runs one on the engine with
drawn public events; `disagreements` compares what the engine did with what `check` reported:
every state the engine entered (within one event too) and every transition it fired must be in
the report, every rule the run broke must be reported, and every path of the report must replay.
`tests/test_differential.py` runs it in the suite; ``benchmarks/differential.py`` runs it by
hand for many more runs.
"""

import random
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

import coopflow as cf
from coopflow import guards, rules
from coopflow._witness import witness
from tests.planted import move, state

AT = datetime(2000, 1, 1, tzinfo=UTC)
VOCABULARY = cf.Vocabulary(
    dimensions={"communication": {"en": "communication", "nl": "communicatie"}},
    facts={
        "approval": cf.Fact(labels={"en": "approval", "nl": "goedkeuring"}),
        "mandate": cf.Fact(labels={"en": "mandate", "nl": "mandaat"}, per_party=True),
    },
    tags={"backbone": {"en": "backbone", "nl": "backbone"}},
)
ATOMS: tuple[guards.Guard, ...] = (
    guards.trust(),
    guards.energy(),
    guards.common_ground(),
    guards.reciprocity(),
    guards.agenda_approved(),
    guards.declaration_signed(),
    guards.score("communication", at_least=4.0),
    guards.score("communication", at_least=2.0, parties={"tag": "backbone"}),
    guards.fact("approval"),
    guards.fact("mandate", parties="all"),
)
CONDITIONS: tuple[guards.Guard, ...] = (
    guards.culture_breached(),
    guards.energy_lost(),
    guards.quorum_lost(),
    guards.declaration_incomplete(),
    guards.score_below("communication", below=3.0),
    guards.fact_revoked("approval"),
)


def _guard(draw: st.DrawFn, pool: Sequence[guards.Guard], depth: int = 0) -> guards.Guard:
    choice = draw(st.integers(0, 5 if depth < 1 else 2))
    if choice <= 2:
        return draw(st.sampled_from(pool))
    if choice == 3:
        return guards.not_(_guard(draw, ATOMS + CONDITIONS, depth + 1))
    inner = [_guard(draw, pool, depth + 1) for _ in range(2)]
    return guards.all_of(*inner) if choice == 4 else guards.any_of(*inner)


@st.composite
def processes(draw: st.DrawFn) -> cf.Process:
    """A small valid process: a spine of manual steps, random guarded manual transitions and
    automatic ones (regressions that can chain), over the pools above."""
    count = draw(st.integers(min_value=3, max_value=6))
    ids = [f"s{i}" for i in range(count)]
    terminal = {ids[-1]}
    states = [state(i, initial=i == "s0", terminal=i in terminal) for i in ids]
    open_ids = ids[:-1]
    transitions = [
        move(f"go{n}", ids[n], ids[n + 1], *[_guard(draw, ATOMS)] * draw(st.integers(0, 1)))
        for n in range(count - 1)
    ]
    for n in range(draw(st.integers(0, 4))):
        source = draw(st.sampled_from(open_ids))
        dest = draw(st.sampled_from(ids))
        conditions = [_guard(draw, ATOMS) for _ in range(draw(st.integers(0, 2)))]
        transitions.append(move(f"t{n}", source, dest, *conditions))
    for n in range(draw(st.integers(1, 4))):
        source = draw(st.sampled_from(open_ids))
        dest = draw(st.sampled_from(ids))
        conditions = [_guard(draw, CONDITIONS) for _ in range(draw(st.integers(1, 2)))]
        transition = move(f"auto{n}", source, dest, *conditions, automatic=True)
        if draw(st.booleans()) and n == 0:
            transition = cf.Transition(
                transition.trigger,
                source=source,
                dest=dest,
                guards=transition.guards,
                automatic=True,
                voids_declaration=True,
                labels=transition.labels,
            )
        transitions.append(transition)
    try:
        return cf.Process("generated", states, transitions, vocabulary=VOCABULARY)
    except cf.InvalidProcessError:
        reject()
        raise  # pragma: no cover - reject() raises


def rules_for(process: cf.Process) -> list[Any]:
    """The rules checked on a generated process: one of each kind, over its states."""
    ids = [s.id for s in process.states]
    return [
        rules.sometimes(ids[-1]),
        rules.precedes(ids[1], ids[-1]),
        rules.never_after(ids[1]),
        rules.always("never in s2", lambda c: c.state != "s2"),
        rules.leads_to(ids[1], ids[-1]),
    ]


def _events(process: cf.Process, t: cf.Trajectory, rng: random.Random) -> list[Any]:
    """Public events a user might record next: a trigger, a score, a fact, a guard's witness."""
    snapshot = t.snapshot
    ids = [p.id for p in snapshot.parties] or ["party-a"]
    kind = rng.randrange(5)
    if kind == 0:
        return [("fire", rng.choice(process.triggers))]
    if kind == 1:
        dimension = rng.choice(["trust", "voice", "stake", "urgency", "impact", "communication"])
        return [cf.Assessed(rng.choice(ids), dimension, rng.choice([1, 2, 2.5, 3, 3.5, 4, 5]))]
    if kind == 2:
        if rng.random() < 0.5:
            return [cf.FactRecorded("approval", holds=rng.random() < 0.6)]
        return [cf.FactRecorded("mandate", party=rng.choice(ids), holds=rng.random() < 0.6)]
    pool = list(ATOMS + CONDITIONS)
    try:
        return list(witness(rng.choice(pool), snapshot, process.settings, rng.random() < 0.6))
    except cf.CoopflowError:
        return []


def drive(
    process: cf.Process, parties: Sequence[cf.Party], rng: random.Random, length: int
) -> tuple[list[cf.Step], cf.Trajectory]:
    """Run `process` on the engine with `length` drawn events; every step the engine took."""
    t = cf.Trajectory.start(process, parties=parties, at=AT)
    steps: list[cf.Step] = []
    for _ in range(length):
        if t.state in {s.id for s in process.states if s.terminal}:
            break
        for event in _events(process, t, rng):
            try:
                if isinstance(event, tuple):
                    t.fire(event[1], at=AT)
                else:
                    t.record(event, at=AT)
            except cf.CoopflowError:
                continue
            record = t.history[-1]
            steps += [
                cf.Step(tr.trigger, tr.source, tr.dest, automatic=tr.automatic, chained=i > 0)
                for i, tr in enumerate(record.transitions)
            ]
            if t.state in {s.id for s in process.states if s.terminal}:
                break
    return steps, t


def _index(process: cf.Process, step: cf.Step) -> int:
    for number, transition in enumerate(process.transitions):
        if (
            transition.trigger == step.trigger
            and step.source in transition.source
            and transition.dest == step.dest
            and transition.automatic == step.automatic
        ):
            return number
    raise LookupError(step)  # pragma: no cover - the engine only takes the process's steps


def broken(process: cf.Process, steps: Sequence[cf.Step]) -> set[str]:
    """The rules of `rules_for` that this run of the engine breaks."""
    ids = [s.id for s in process.states]
    found: set[str] = set()
    passed = {process.initial}
    for step in steps:
        if step.dest == ids[-1] and ids[1] not in passed:
            found.add(rules.precedes(ids[1], ids[-1]).name)
        if step.source == ids[1] and step.dest != ids[1]:
            found.add(rules.never_after(ids[1]).name)
        if step.dest == "s2":
            found.add("never in s2")
        passed.add(step.dest)
    return found


def paths_of(report: cf.CheckReport) -> list[cf.Path]:
    """Every path a report holds."""
    found = [v.path for v in report.violations if v.path is not None]
    return (
        found + list(report.paths.values()) + list(report.cover) + list(report.witnesses.values())
    )


def disagreements(
    process: cf.Process, report: cf.CheckReport, rng: random.Random, runs: int, length: int
) -> list[str]:
    """What the engine did that a complete `report` says it cannot, over `runs` drawn runs."""
    found: list[str] = []
    if not report.complete:
        return found  # nothing is proved: the verdicts are unconfirmed, not wrong
    parties = report.paths[process.initial].parties or (cf.Party("party-a"), cf.Party("party-b"))
    reported = {v.property for v in report.violations}
    for _ in range(runs):
        steps, _ = drive(process, parties, rng, length)
        for step in steps:
            if step.dest not in report.states_reached:
                found.append(f"state {step.dest} entered, reported unreachable")
            if _index(process, step) not in report.transitions_fired:
                found.append(f"transition {step} fired, reported dead")
        for name in sorted(broken(process, steps) - reported):
            found.append(f"rule {name} broken on the engine, not reported")
    return found


def replay_failures(process: cf.Process, report: cf.CheckReport) -> list[str]:
    """The paths of `report` that do not replay on the engine (to the state they name, when
    the path rests there)."""
    found = []
    for path in paths_of(report):
        try:
            t = path.replay(process)
        except cf.CoopflowError as error:
            found.append(f"{path}: {error}")
            continue
        rests = (
            not path.steps
            or t.history[-1].transitions[-1:] == ()
            or len([tr for r in t.history for tr in r.transitions]) == len(path.steps)
        )
        if rests and t.state != path.final_state:
            found.append(f"{path}: ends in {t.state}")  # pragma: no cover - a disagreement
    return found
