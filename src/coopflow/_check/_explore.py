"""The exploration: real snapshots driven by the real engine, merged by an exact abstraction.

A *node* is a concrete `Snapshot` the engine produced, with the event that led to it from its
parent. Its *key* is what the checker merges on: the state, the state the last transition came
from (where a ``came_from`` reads it), the `precedes` states passed, and the outcome of every
guard that can still matter in that state: those of its transitions that the remembered state
admits, and the conditions tried on entering a state one step (and a chain of regressions)
away. Other guards are re-established by events later, so they are left out of the key.

From a node the checker tries, each with `_engine.apply`:

- every manual trigger that has a transition from the state;
- for every dimension a guard reads, every party and every score of the scope (the distinct
  thresholds of the process and the ends of the scale: one score in each region);
- for every guard that matters there, the events of its witness that change its outcome,
  one event at a time (each may set off regressions, which the engine then performs).

The search is uniform-cost in transitions (then events), so each path found is a shortest one
and every path is the sequence of real events that produced it: it replays by construction.
"""

import heapq
import itertools
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import attrs

from coopflow._check._report import Violation
from coopflow._engine import apply
from coopflow._events import Assessed, Event, Fire, Party
from coopflow._paths import Path, Step
from coopflow._process import Process
from coopflow._results import Applied
from coopflow._rules import Configuration, Precedes
from coopflow._snapshot import Snapshot
from coopflow._trajectory import Trajectory
from coopflow._witness import witness
from coopflow.exceptions import CoopflowError
from coopflow.guards._combinators import AllOf, AnyOf, Not
from coopflow.guards._cooperation import CameFrom
from coopflow.guards._registry import WORDS, evaluate

AT = datetime(2000, 1, 1, tzinfo=UTC)
"""The moment of every explored event (time does not pass within a check)."""


def atoms(guard: Any) -> list[Any]:
    """The guards below `guard` that are not combinators, in order (came_from included)."""
    match guard:
        case AllOf() | AnyOf():
            return [atom for inner in guard.guards for atom in atoms(inner)]
        case Not():
            return atoms(guard.guard)
    return [guard]


def dimensions(guard: Any, settings: Any) -> dict[str, set[float]]:
    """The dimensions a score guard reads, each with the thresholds it compares to.

    A built-in score guard says so itself (``_thresholds``, beside its ``__call__``); any other
    guard reads no score the checker knows of.
    """
    thresholds = getattr(guard, "_thresholds", None)
    return {} if thresholds is None else thresholds(settings)


def selector_parties(guard: Any) -> list[Party]:
    """Parties a selector of `guard` picks, so that the scope holds someone it selects."""
    selection = getattr(guard, "parties", None)
    if isinstance(selection, tuple):
        return [Party(id) for id in selection]
    if isinstance(selection, Mapping):
        return [
            selected_party(key, value)
            for key, value in selection.items()
            if key in SCOPED_SELECTORS
        ]
    return []


SCOPED_SELECTORS = ("tag", "sector")  # the selector keys for which the scope adds a party


def selected_party(key: str, value: str) -> Party:
    """The party the scope adds for a `{key: value}` selector of `SCOPED_SELECTORS`."""
    if key == "tag":
        return Party(f"party-tag-{value}", tags={value})
    return Party(f"party-{value}", sector=value)


@attrs.define(eq=False)
class Node:
    """A concrete snapshot reached by a real event sequence."""

    snapshot: Snapshot
    config: Configuration
    parent: "Node | None"
    event: Event | None
    steps: tuple[Step, ...]
    indices: tuple[int, ...]
    trace: tuple[Configuration, ...]
    cost: tuple[int, int]
    key: tuple[Any, ...] = ()

    def events(self) -> tuple[Event, ...]:
        """Every event from the start to this node."""
        found: list[Event] = []
        node: Node | None = self
        while node is not None and node.event is not None:
            found.append(node.event)
            node = node.parent
        return tuple(reversed(found))

    def all_steps(self) -> tuple[Step, ...]:
        """Every step from the start to this node."""
        found: list[tuple[Step, ...]] = []
        node: Node | None = self
        while node is not None:
            found.append(node.steps)
            node = node.parent
        return tuple(step for steps in reversed(found) for step in steps)


class Explorer:
    """One exploration of one process within a scope."""

    def __init__(
        self,
        process: Process,
        rules: Sequence[Any],
        *,
        parties: Sequence[Party] | None,
        max_configs: int,
        max_seconds: float,
    ) -> None:
        self.process = process
        self.settings = process.settings
        self.index = process._index
        self.precedes = [r for r in rules if isinstance(r, Precedes)]
        self.firsts = frozenset(r.first for r in self.precedes)
        self.max_configs = max_configs
        self.max_seconds = max_seconds
        found: dict[str, Any] = {}
        for transition in process.transitions:
            for guard in transition.guards:
                for atom in atoms(guard):
                    found.setdefault(repr(atom), atom)
        self.atoms = [found[name] for name in sorted(found)]
        self.probes = [a for a in self.atoms if not isinstance(a, CameFrom)]
        self.custom = sorted(
            {
                getattr(type(a), "kind", type(a).__name__)
                for a in self.probes
                if getattr(a, "witness", None) is None
            }
        )
        values: dict[str, set[float]] = {}
        low, high = self.settings.scale
        for atom in self.probes:
            for dimension, thresholds in dimensions(atom, self.settings).items():
                values.setdefault(dimension, {low, high}).update(thresholds)
        self.scores = {d: tuple(sorted(v)) for d, v in sorted(values.items())}
        members = list(parties or (Party("party-a"), Party("party-b")))
        for atom in self.probes:
            for party in selector_parties(atom):
                if party.id not in {m.id for m in members}:
                    members.append(party)
        self.parties = tuple(members)
        self.by_signature: dict[tuple[str, str, str, bool], int] = {}
        for number, transition in enumerate(process.transitions):
            for source in transition.source:
                self.by_signature.setdefault(
                    (transition.trigger, source, transition.dest, transition.automatic), number
                )
        self.relevant = self._relevance()
        self.remembers = {
            state.id: any(
                isinstance(atom, CameFrom)
                for t in process.transitions
                if state.id in t.source and not t.automatic
                for guard in t.guards
                for atom in atoms(guard)
            )
            for state in process.states
        }
        self.settled: dict[tuple[Any, ...], Node] = {}
        self.order: list[Node] = []
        self.generated: list[tuple[Node, Node]] = []  # (parent, child) for every event applied
        self.truncated: str | None = None
        self.counter = itertools.count()
        self.problems: list[Violation] = []
        self.reported: set[tuple[str, str]] = set()

    # --- the abstraction ---

    def _relevance(self) -> dict[tuple[str, str | None], list[Any]]:
        """The guards whose outcome can still matter in a state, before data can change it:
        those of its own transitions (a transition whose ``came_from`` names another state than
        the one remembered cannot fire) and the conditions of every state one step and a chain
        of regressions away (they are tried on entering it with the registers as they are).
        """
        process = self.process
        automatic: dict[str, set[str]] = {}
        conditions: dict[str, set[str]] = {s.id: set() for s in process.states}
        for t in process.transitions:
            if t.automatic:
                names = {repr(a) for g in t.guards for a in atoms(g)}
                for source in t.source:
                    automatic.setdefault(source, set()).add(t.dest)
                    conditions[source] |= names
        previous: list[str | None] = [None, *(s.id for s in process.states)]
        relevant: dict[tuple[str, str | None], list[Any]] = {}
        for state in process.states:
            for before in previous:
                admitted = [
                    t
                    for t in process.transitions
                    if state.id in t.source
                    and all(g.state == before for g in t.guards if isinstance(g, CameFrom))
                ]
                names = {
                    repr(a)
                    for t in admitted
                    for g in t.guards
                    for a in atoms(g)
                    if not isinstance(a, CameFrom)
                }
                frontier = [t.dest for t in admitted] + [state.id]
                seen: set[str] = set()
                while frontier:
                    here = frontier.pop()
                    if here in seen:
                        continue
                    seen.add(here)
                    names |= conditions[here]
                    frontier.extend(automatic.get(here, ()))
                relevant[state.id, before] = [a for a in self.probes if repr(a) in names]
        return relevant

    def key(self, snapshot: Snapshot, config: Configuration) -> tuple[Any, ...]:
        """What two snapshots must share to be merged."""
        outcomes = tuple(
            evaluate(atom, snapshot, self.settings, AT).passed
            for atom in self.relevant[config.state, config.previous]
        )
        previous = config.previous if self.remembers[config.state] else None
        return (config.state, previous, config.passed, outcomes)

    # --- moves ---

    def events(
        self, snapshot: Snapshot, config: Configuration, key: tuple[Any, ...]
    ) -> Iterator[list[Event]]:
        """The event sequences tried from `snapshot` (each applied one event at a time)."""
        state = snapshot.state
        for trigger in self.index.manual_triggers:
            if self.index.manual.get((state, trigger)):
                yield [Fire(trigger)]
        ids = [party.id for party in snapshot.parties]
        relevant = self.relevant[state, config.previous]
        read: set[str] = set()
        for atom in relevant:
            read |= set(dimensions(atom, self.settings))
        low, high = self.settings.scale
        for dimension, values in self.scores.items():
            if dimension not in read:
                continue
            # The ends of the scale come with the witnesses; a score in each region between
            # two thresholds is tried for the first party alone and for every party.
            for value in values:
                if value in (low, high):
                    continue
                yield [Assessed(ids[0], dimension, value)]
                yield [Assessed(party, dimension, value) for party in ids]
        outcomes = key[3]
        tried: set[str] = set()
        for atom, now in zip(relevant, outcomes, strict=True):
            # Only a witness that changes the guard's outcome can lead anywhere new.
            try:
                made = witness(atom, snapshot, self.settings, not now)
            except CoopflowError:
                continue
            name = repr(made)
            if made and name not in tried:
                tried.add(name)
                yield list(made)

    def steps_of(self, applied: Applied) -> tuple[tuple[Step, ...], tuple[int, ...]]:
        """The steps and transition indices an applied event caused."""
        steps = tuple(
            Step(tr.trigger, tr.source, tr.dest, automatic=tr.automatic, chained=position > 0)
            for position, tr in enumerate(applied.transitions)
        )
        indices = tuple(
            self.by_signature[(s.trigger, s.source, s.dest, s.automatic)] for s in steps
        )
        return steps, indices

    def child(self, node: Node, event: Event) -> Node | None:
        """The node `event` leads to from `node`, or None when the engine refuses it."""
        try:
            result = apply(self.process, node.snapshot, event, AT)
        except CoopflowError:
            return None
        if not isinstance(result, Applied):
            return None
        steps, indices = self.steps_of(result)
        config = node.config
        trace = []
        for step in steps:
            passed = config.passed | ({step.dest} & self.firsts)
            config = Configuration(step.dest, step.source, passed)
            trace.append(config)
        made = Node(
            result.snapshot,
            config,
            node,
            event,
            steps,
            indices,
            tuple(trace),
            (node.cost[0] + len(steps), node.cost[1] + 1),
        )
        made.key = self.key(result.snapshot, config)
        return made

    def observe(self, node: Node) -> None:
        """Whether a trigger could take two ways from `node` (its guards evaluated there)."""
        snapshot = node.snapshot
        state = snapshot.state
        passing: dict[str, bool] = {}

        def passes(guard: Any) -> bool:
            name = repr(guard)
            if name not in passing:
                passing[name] = evaluate(guard, snapshot, self.settings, AT).passed
            return passing[name]

        for trigger in self.index.manual_triggers:
            candidates = self.index.manual.get((state, trigger), ())
            if len(candidates) < 2:
                continue
            enabled = [t for _, t in candidates if all(passes(g) for g in t.guards)]
            if len(enabled) > 1 and (state, trigger) not in self.reported:
                self.reported.add((state, trigger))
                self.problems.append(
                    Violation(
                        "nondeterministic",
                        "determinism",
                        self.path(node),
                        key="nondeterministic",
                        params={
                            "trigger": trigger,
                            "state": state,
                            "dests": ", ".join(t.dest for t in enabled),
                        },
                    )
                )

    def expand(self, node: Node) -> list[Node]:
        """Every node one event sequence leads to from `node`."""
        made: list[Node] = []
        self.observe(node)
        if self.index.states[node.snapshot.state].terminal:
            return made
        seen: dict[tuple[int, str], Node | None] = {}
        for sequence in self.events(node.snapshot, node.config, node.key):
            here = node
            for event in sequence:
                if self.index.states[here.snapshot.state].terminal:
                    break
                name = (id(here), repr(event))
                if name in seen:
                    after = seen[name]
                else:
                    after = seen[name] = self.child(here, event)
                    if after is not None:
                        made.append(after)
                if after is None:
                    break
                here = after
        return made

    # --- the search ---

    def start(self) -> Node:
        """The node of the initial snapshot."""
        t = Trajectory.start(self.process, parties=self.parties, title="check", at=AT)
        config = Configuration(
            self.process.initial, None, frozenset({self.process.initial}) & self.firsts
        )
        node = Node(t.snapshot, config, None, None, (), (), (), (0, 0))
        node.key = self.key(t.snapshot, config)
        return node

    def explore(self) -> None:
        """Settle every key reachable within the bounds, cheapest first."""
        token = WORDS.set(self.index.words)
        try:
            self._explore()
        finally:
            WORDS.reset(token)

    def _explore(self) -> None:
        began = time.monotonic()
        first = self.start()
        queue: list[tuple[tuple[int, int], int, Node]] = [(first.cost, 0, first)]
        while queue:
            _, _, node = heapq.heappop(queue)
            if node.key in self.settled:
                continue
            if len(self.settled) >= self.max_configs:
                self.truncated = "max_configs"
                return
            if self.settled and time.monotonic() - began > self.max_seconds:
                self.truncated = "max_seconds"
                return
            self.settled[node.key] = node
            self.order.append(node)
            children = self.expand(node)
            for made in children:
                self.generated.append((made.parent or node, made))
                if made.key not in self.settled:
                    heapq.heappush(queue, (made.cost, next(self.counter), made))

    # --- paths ---

    def path(self, node: Node, steps: int | None = None) -> Path:
        """The path to `node`; with `steps`, only that many steps of its last event."""
        before = node.parent.all_steps() if node.parent is not None else ()
        taken = node.steps if steps is None else node.steps[:steps]
        return Path(
            self.process.initial,
            before + taken,
            events=node.events(),
            parties=self.parties,
        )
