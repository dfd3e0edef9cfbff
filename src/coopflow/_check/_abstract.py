"""The abstract exploration: configurations over boolean guard atoms (see `coopflow._check`)."""

import itertools
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from coopflow._check._report import Violation
from coopflow._paths import Path, Step
from coopflow._process import Process, Transition
from coopflow._rules import Configuration, Precedes
from coopflow.guards._combinators import AllOf, AnyOf, Not
from coopflow.guards._cooperation import CameFrom

# --- the abstraction ----------------------------------------------------------------------------


def atoms(guard: Any) -> set[Any]:
    """The atoms a guard reads: every guard below it that is not a combinator or came_from."""
    match guard:
        case AllOf() | AnyOf():
            return set().union(*(atoms(inner) for inner in guard.guards))
        case Not():
            return atoms(guard.guard)
        case CameFrom():
            return set()
    return {guard}


def holds(guard: Any, valuation: Mapping[Any, bool], config: Configuration) -> bool:
    """Whether `guard` holds when the atoms have `valuation` (absent atoms are false)."""
    match guard:
        case AllOf():
            return all(holds(inner, valuation, config) for inner in guard.guards)
        case AnyOf():
            return any(holds(inner, valuation, config) for inner in guard.guards)
        case Not():
            return not holds(guard.guard, valuation, config)
        case CameFrom():
            return config.previous == guard.state
    return valuation.get(guard, False)


def _valuations(names: Iterable[Any]) -> Iterator[dict[Any, bool]]:
    """Every valuation of `names`, fewest true atoms first (the quietest witness first)."""
    ordered = sorted(set(names), key=repr)
    for size in range(len(ordered) + 1):
        for chosen in itertools.combinations(ordered, size):
            yield {atom: atom in chosen for atom in ordered}


@attrs.frozen
class _Edge:
    steps: tuple[Step, ...]
    indices: tuple[int, ...]
    trace: tuple[Configuration, ...]  # the configuration after each step

    @property
    def target(self) -> Configuration:
        return self.trace[-1]


class Explorer:
    """One run of the checker over one process."""

    def __init__(
        self, process: Process, rules: Sequence[Any], max_configs: int, max_seconds: float
    ) -> None:
        self.process = process
        self.index = process._index
        self.firsts = frozenset(r.first for r in rules if isinstance(r, Precedes))
        self.precedes = [r for r in rules if isinstance(r, Precedes)]
        self.max_configs = max_configs
        self.max_seconds = max_seconds
        self.automatic_atoms = set().union(
            *(atoms(guard) for t in process.transitions if t.automatic for guard in t.guards)
        )
        self.parent: dict[Configuration, tuple[Configuration, _Edge] | None] = {}
        self.order: list[Configuration] = []
        self.edges: dict[Configuration, list[_Edge]] = {}
        self.found: list[Violation] = []
        self.seen_problems: set[tuple[Any, ...]] = set()
        self.truncated: str | None = None

    # --- paths ---

    def path_to(self, config: Configuration, extra: Sequence[Step] = ()) -> Path:
        """A shortest path to `config`, followed by `extra`."""
        steps: list[Step] = list(extra)
        here = config
        while (link := self.parent[here]) is not None:
            here, edge = link
            steps[:0] = edge.steps
        return Path(self.process.initial, tuple(steps))

    def report_once(self, marker: tuple[Any, ...], violation: Violation) -> None:
        """Keep `violation` unless one with the same marker was kept."""
        if marker not in self.seen_problems:
            self.seen_problems.add(marker)
            self.found.append(violation)

    # --- moves ---

    def enter(self, config: Configuration, transition: Transition) -> Configuration:
        """The configuration after `transition` from `config`."""
        passed = config.passed
        if transition.dest in self.firsts:
            passed = passed | {transition.dest}
        return Configuration(transition.dest, config.state, passed)

    def step(
        self,
        config: Configuration,
        index: int,
        transition: Transition,
        steps: list[Step],
        trace: list[Configuration],
        indices: list[int],
    ) -> Configuration:
        """Take `transition` from `config`, recording the step and any precedes violation."""
        steps.append(
            Step(
                transition.trigger,
                config.state,
                transition.dest,
                automatic=transition.automatic,
                chained=bool(steps),  # later steps of an edge happen within the same event
            )
        )
        for rule in self.precedes:
            if transition.dest == rule.then and rule.first not in config.passed:
                self.report_once(
                    ("precedes", rule),
                    Violation(
                        "precedes",
                        rule.name,
                        self.path_to(self.origin, steps),
                        key="precedes",
                        params={"first": rule.first, "then": rule.then},
                    ),
                )
        after = self.enter(config, transition)
        trace.append(after)
        indices.append(index)
        return after

    def regress(
        self,
        config: Configuration,
        valuation: Mapping[Any, bool],
        steps: list[Step],
        trace: list[Configuration],
        indices: list[int],
    ) -> Configuration:
        """Fire the regressions that hold, in order, each at most once."""
        fired: set[int] = set()
        visited = {config.state}
        while True:
            for index, transition in self.index.automatic.get(config.state, ()):
                if index in fired or not all(
                    holds(guard, valuation, config) for guard in transition.guards
                ):
                    continue
                fired.add(index)
                config = self.step(config, index, transition, steps, trace, indices)
                if config.state in visited:
                    self.report_once(
                        ("loop", config.state),
                        Violation(
                            "regression_loop",
                            "no_regression_loop",
                            self.path_to(self.origin, steps),
                            key="regression_loop",
                            params={"state": config.state},
                        ),
                    )
                visited.add(config.state)
                break
            else:
                return config

    def moves(self, config: Configuration) -> list[_Edge]:
        """Every distinct move out of `config`."""
        self.origin = config
        edges: dict[tuple[Step, ...], _Edge] = {}

        def keep(steps: list[Step], trace: list[Configuration], indices: list[int]) -> None:
            if steps and tuple(steps) not in edges:
                edges[tuple(steps)] = _Edge(tuple(steps), tuple(indices), tuple(trace))

        for trigger in self.index.manual_triggers:
            # A transition whose came_from guard names another state cannot fire here: leave it
            # out before enumerating, or resume's candidates multiply the valuations.
            candidates = tuple(
                (i, t)
                for i, t in self.index.manual.get((config.state, trigger), ())
                if all(gd.state == config.previous for gd in t.guards if isinstance(gd, CameFrom))
            )
            if not candidates:
                continue
            read = set().union(*(atoms(gd) for _, t in candidates for gd in t.guards))
            for valuation in _valuations(read):
                enabled = [
                    (i, t)
                    for i, t in candidates
                    if all(holds(gd, valuation, config) for gd in t.guards)
                ]
                if len(enabled) > 1:
                    self.report_once(
                        ("determinism", config.state, trigger),
                        Violation(
                            "nondeterministic",
                            "determinism",
                            self.path_to(config),
                            key="nondeterministic",
                            params={
                                "trigger": trigger,
                                "state": config.state,
                                "dests": ", ".join(t.dest for _, t in enabled),
                            },
                        ),
                    )
                if enabled:
                    steps: list[Step] = []
                    trace: list[Configuration] = []
                    indices: list[int] = []
                    index, transition = enabled[0]
                    after = self.step(config, index, transition, steps, trace, indices)
                    self.regress(after, valuation, steps, trace, indices)
                    keep(steps, trace, indices)
        for valuation in _valuations(self.automatic_atoms):
            steps, trace, indices = [], [], []
            self.regress(config, valuation, steps, trace, indices)
            keep(steps, trace, indices)
        return list(edges.values())

    # --- the search ---

    def explore(self) -> None:
        """Explore breadth-first from the initial configuration, within the bounds."""
        start = Configuration(
            self.process.initial,
            None,
            frozenset({self.process.initial}) & self.firsts,
        )
        self.parent[start] = None
        queue = deque([start])
        began = time.monotonic()
        while queue:
            if time.monotonic() - began > self.max_seconds:
                self.truncated = "max_seconds"
                return
            config = queue.popleft()
            self.order.append(config)
            self.edges[config] = self.moves(config)
            for edge in self.edges[config]:
                if edge.target not in self.parent:
                    if len(self.parent) >= self.max_configs:
                        self.truncated = "max_configs"
                        return
                    self.parent[edge.target] = (config, edge)
                    queue.append(edge.target)
