"""`check`: exhaustive, explicit-state exploration of a process, with shortest counterexamples.

The abstraction is finite: a configuration is the state, the state the last transition came
from (what ``resume`` returns to) and the states of `precedes` rules passed so far. Every
built-in guard (its kind and parameters) is one boolean *atom*; combinators are evaluated over
the atoms, so ``all_of(g, not_(g))`` can never hold, and ``came_from`` is read from the
configuration. From each configuration the checker tries

- every manual trigger under every valuation of the atoms its transitions read (the automatic
  conditions it does not read are false), firing the first transition that holds, as the engine
  does, and then the automatic regressions under the same valuation; and
- a data event that may set the atoms of the automatic conditions any way at all, after which the
  regressions are tried in their priority order, each at most once, as the engine does.

The search is breadth-first, so each violation comes with a shortest path (counted in events).
The abstraction treats atoms as independent: "unreachable" and "dead transition" verdicts are
definitive; a path found is replayed on the real engine by `Path.replay`.
"""

import builtins
import itertools
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from coopflow._i18n import check_locale, render
from coopflow._paths import Path, Step
from coopflow._process import Process, Transition
from coopflow._rules import Always, AlwaysStep, Configuration, NeverAfter, Precedes, Sometimes
from coopflow._text import Phrase, shown
from coopflow.exceptions import CoopflowError, InvalidProcessError, UnknownNameError
from coopflow.guards._combinators import AllOf, AnyOf, Not
from coopflow.guards._cooperation import CameFrom

DEFAULT_PROPERTIES = (
    "reachable",
    "no_dead_transitions",
    "no_deadlock",
    "completion",
    "determinism",
    "terminal_absorbing",
    "no_regression_loop",
)
"""The properties `check` verifies unless switched off with ``skip=``.

``terminal_absorbing`` holds by construction: a process whose terminal state has an outgoing
transition is refused when it is built (`InvalidProcessError`), and the checker never moves
out of a terminal state, so it is never reported; it is listed so that ``skip=`` accepts it.
"""


class ProcessRuleViolation(CoopflowError, AssertionError):
    """A process breaks one of its rules; `report` holds every violation with its path.

    It is an `AssertionError` too, so a test that calls `CheckReport.raise_for_violations`
    fails the way a failed ``assert`` does.

    Example:
        >>> import coopflow as cf
        >>> issubclass(cf.ProcessRuleViolation, AssertionError)
        True
    """

    def __init__(self, report: "CheckReport", locale: str = "en") -> None:
        self.report = report
        super().__init__(report.render(locale))


def _frozen_params(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Violation:
    """One broken property, with the shortest path that shows it (None where no path exists).

    Attributes:
        kind: what was found (``unreachable``, ``dead_transition``, ``deadlock``, ...).
        property: the property or rule that is broken.
        path: a shortest path to the problem, or None (an unreachable state has none).
        key: the message key; `params` its values.

    Example:
        >>> import coopflow as cf
        >>> v = cf.Violation("unreachable", "reachable", None, key="unreachable",
        ...                  params={"state": "pilot"})
        >>> v.message
        'state pilot cannot be reached'
    """

    kind: str
    property: str
    path: Path | None
    key: str = attrs.field(kw_only=True)
    params: Mapping[str, Any] = attrs.field(kw_only=True, factory=dict, converter=_frozen_params)

    # The field `property` shadows the builtin inside this class body.
    @builtins.property
    def message(self) -> str:
        """The violation in English."""
        return self.describe("en")

    def describe(self, locale: str = "en") -> str:
        """The violation in `locale`, without its path."""
        return render(f"check_{self.key}", self.params, locale)


@attrs.frozen
class CheckReport:
    """What `check` found: violations, coverage, and shortest paths to every state.

    Attributes:
        process: the id of the process checked.
        violations: every violation, in a stable order.
        configurations: how many configurations were explored.
        edges: how many distinct moves between them were found.
        states_reached: the states some configuration is in.
        transitions_fired: the indices (in ``process.transitions``) of transitions that fired.
        state_coverage: the share of the states reached.
        transition_coverage: the share of the transitions fired.
        paths: a shortest path to each reachable state.
        cover: for each transition that fired, a shortest path that ends with it.
        witnesses: for each `sometimes` rule that holds, its witness path.

    Example:
        >>> import coopflow as cf
        >>> report = cf.check(cf.default_process())
        >>> report.ok, report.state_coverage, report.transition_coverage
        (True, 1.0, 1.0)
    """

    process: str
    violations: tuple[Violation, ...]
    configurations: int
    edges: int
    states_reached: frozenset[str]
    transitions_fired: frozenset[int]
    state_coverage: float
    transition_coverage: float
    paths: Mapping[str, Path]
    cover: tuple[Path, ...]
    witnesses: Mapping[str, Path]

    @property
    def ok(self) -> bool:
        """True when nothing is violated."""
        return not self.violations

    def render(self, locale: str = "en") -> str:
        """The report as readable text: a summary line, then each violation with its path.

        Example:
            >>> import coopflow as cf
            >>> print(cf.check(cf.default_process()).render("nl"))  # doctest: +ELLIPSIS
            Proces coopflow-default voldoet aan alle regels (... configuraties, ... overgangen).
        """
        check_locale(locale)
        params = {
            "process": self.process,
            "count": len(self.violations),
            "configurations": self.configurations,
            "edges": self.edges,
        }
        if self.ok:
            return render("check_ok", params, locale)
        lines = [render("check_header", params, locale)]
        for violation in self.violations:
            lines.append(f"[{violation.property}] {violation.describe(locale)}")
            if violation.path is not None:
                label = render("check_path", {"count": len(violation.path)}, locale)
                lines.append(f"  {label}: {violation.path}")
        return "\n".join(lines)

    def raise_for_violations(self, locale: str = "en") -> None:
        """Raise `ProcessRuleViolation` with the rendered report unless everything holds.

        Example:
            >>> import coopflow as cf
            >>> cf.check(cf.default_process()).raise_for_violations()
        """
        if not self.ok:
            raise ProcessRuleViolation(self, locale)


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


class _Explorer:
    """One run of the checker over one process."""

    def __init__(self, process: Process, rules: Sequence[Any], max_configs: int) -> None:
        self.process = process
        self.index = process._index
        self.firsts = frozenset(r.first for r in rules if isinstance(r, Precedes))
        self.precedes = [r for r in rules if isinstance(r, Precedes)]
        self.max_configs = max_configs
        self.automatic_atoms = set().union(
            *(atoms(guard) for t in process.transitions if t.automatic for guard in t.guards)
        )
        self.parent: dict[Configuration, tuple[Configuration, _Edge] | None] = {}
        self.order: list[Configuration] = []
        self.edges: dict[Configuration, list[_Edge]] = {}
        self.found: list[Violation] = []
        self.seen_problems: set[tuple[Any, ...]] = set()
        self.truncated = False

    # --- paths ---

    def path_to(self, config: Configuration, extra: Sequence[Step] = ()) -> Path:
        steps: list[Step] = list(extra)
        here = config
        while (link := self.parent[here]) is not None:
            here, edge = link
            steps[:0] = edge.steps
        return Path(self.process.initial, tuple(steps))

    def report_once(self, marker: tuple[Any, ...], violation: Violation) -> None:
        if marker not in self.seen_problems:
            self.seen_problems.add(marker)
            self.found.append(violation)

    # --- moves ---

    def enter(self, config: Configuration, transition: Transition) -> Configuration:
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
        start = Configuration(
            self.process.initial,
            None,
            frozenset({self.process.initial}) & self.firsts,
        )
        self.parent[start] = None
        queue = deque([start])
        while queue:
            config = queue.popleft()
            self.order.append(config)
            self.edges[config] = self.moves(config)
            for edge in self.edges[config]:
                if edge.target not in self.parent:
                    if len(self.parent) >= self.max_configs:
                        self.truncated = True
                        return
                    self.parent[edge.target] = (config, edge)
                    queue.append(edge.target)


def _check_names(process: Process, rules: Sequence[Any]) -> None:
    for rule in rules:
        match rule:
            case Precedes():
                names = [rule.first, rule.then]
            case NeverAfter():
                names = list(rule.states)
            case Sometimes():
                names = [rule.state]
            case Always() | AlwaysStep():
                names = []
            case _:
                raise InvalidProcessError(
                    [Phrase("{rule} is not a rule of coopflow.rules", rule=shown(rule))]
                )
        for name in names:
            process.state(name)  # UnknownNameError for a state the process does not have


def check(
    process: Process,
    *,
    properties: Iterable[Any] = (),
    skip: Iterable[str] = (),
    max_configs: int = 100_000,
) -> CheckReport:
    """Explore every configuration `process` can reach and check its properties and rules.

    Args:
        process: the process to check.
        properties: rules from `coopflow.rules` to check besides the default properties.
        skip: names from `DEFAULT_PROPERTIES` to switch off.
        max_configs: a bound on the exploration; beyond it the report has a ``limit`` violation.

    Raises:
        UnknownNameError: a rule names a state the process does not have, or `skip` names an
            unknown property.
        InvalidProcessError: something in `properties` is not a rule.

    Example:
        >>> import coopflow as cf
        >>> from coopflow import rules
        >>> report = cf.check(cf.default_process(), properties=[rules.sometimes("completed")])
        >>> report.ok, len(report.witnesses["sometimes(completed)"])
        (True, 6)
    """
    rules = list(properties)
    _check_names(process, rules)
    off = set(skip)
    for name in sorted(off - set(DEFAULT_PROPERTIES)):
        raise UnknownNameError(
            "property",
            name,
            Phrase(
                "choose from {DEFAULT_PROPERTIES}", DEFAULT_PROPERTIES=", ".join(DEFAULT_PROPERTIES)
            ),
        )
    explorer = _Explorer(process, rules, max_configs)
    explorer.explore()
    found = explorer.found
    terminal = {s.id for s in process.states if s.terminal}
    reached = {config.state for config in explorer.parent}
    fired = {i for edges in explorer.edges.values() for edge in edges for i in edge.indices}
    first_per_state: dict[str, Configuration] = {}
    for config in explorer.parent:
        first_per_state.setdefault(config.state, config)

    if explorer.truncated:
        found.append(
            Violation("limit", "max_configs", None, key="limit", params={"count": max_configs})
        )
    found[:0] = _structural(process, reached, fired)
    found += _liveness(process, explorer, terminal)
    found += _rules(explorer, rules)
    kept = tuple(v for v in found if v.property not in off)

    first_fired: dict[int, tuple[Configuration, _Edge]] = {}
    for config in explorer.order:
        for edge in explorer.edges[config]:
            for index in edge.indices:
                first_fired.setdefault(index, (config, edge))
    cover = [
        explorer.path_to(config, edge.steps) for _, (config, edge) in sorted(first_fired.items())
    ]
    witnesses = {
        rule.name: explorer.path_to(first_per_state[rule.state])
        for rule in rules
        if isinstance(rule, Sometimes) and rule.state in first_per_state
    }
    return CheckReport(
        process=process.id,
        violations=kept,
        configurations=len(explorer.parent),
        edges=sum(len(edges) for edges in explorer.edges.values()),
        states_reached=frozenset(reached),
        transitions_fired=frozenset(fired),
        state_coverage=len(reached) / len(process.states),
        transition_coverage=len(fired) / len(process.transitions),
        paths=MappingProxyType(
            {state: explorer.path_to(config) for state, config in first_per_state.items()}
        ),
        cover=tuple(cover),
        witnesses=MappingProxyType(witnesses),
    )


def _structural(process: Process, reached: set[str], fired: set[int]) -> list[Violation]:
    found = [
        Violation("unreachable", "reachable", None, key="unreachable", params={"state": s.id})
        for s in process.states
        if s.id not in reached
    ]
    found += [
        Violation(
            "dead_transition",
            "no_dead_transitions",
            None,
            key="dead_transition",
            params={"trigger": t.trigger, "source": ", ".join(t.source), "dest": t.dest},
        )
        for i, t in enumerate(process.transitions)
        if i not in fired
    ]
    return found


def _liveness(process: Process, explorer: _Explorer, terminal: set[str]) -> list[Violation]:
    found: list[Violation] = []
    incoming: dict[Configuration, set[Configuration]] = {}
    for config, edges in explorer.edges.items():
        for edge in edges:
            incoming.setdefault(edge.target, set()).add(config)

    def back(goal: set[str]) -> set[Configuration]:
        reach = {c for c in explorer.parent if c.state in goal}
        queue = deque(reach)
        while queue:
            for before in incoming.get(queue.popleft(), ()):
                if before not in reach:
                    reach.add(before)
                    queue.append(before)
        return reach

    can_end = back(terminal)
    success = {state.id for state in process.states if state.success}
    can_complete = back(success) if success else can_end
    reported: set[tuple[str, str]] = set()
    for config in explorer.order:
        if config.state in terminal:
            continue
        moving = [e for e in explorer.edges[config] if e.target != config]
        problems = []
        if not moving:
            problems.append(("deadlock", "no_deadlock"))
        if config not in can_end:
            problems.append(("no_terminal", "completion"))
        elif config not in can_complete:
            problems.append(("no_completion", "completion"))
        for key, prop in problems:
            if (key, config.state) not in reported:
                reported.add((key, config.state))
                found.append(
                    Violation(
                        key,
                        prop,
                        explorer.path_to(config),
                        key=key,
                        params={"state": config.state},
                    )
                )
    return found


def _rules(explorer: _Explorer, rules: Sequence[Any]) -> list[Violation]:
    found: list[Violation] = []
    for rule in rules:
        match rule:
            case NeverAfter():
                found += _never_after(explorer, rule)
            case Sometimes():
                if rule.state not in {c.state for c in explorer.parent}:
                    found.append(
                        Violation(
                            "never_reached",
                            rule.name,
                            None,
                            key="sometimes",
                            params={"state": rule.state},
                        )
                    )
            case Always():
                bad = next((c for c in explorer.order if not rule.predicate(c)), None)
                if bad is not None:
                    found.append(
                        Violation(
                            "always",
                            rule.name,
                            explorer.path_to(bad),
                            key="always",
                            params={"name": rule.name, "state": bad.state},
                        )
                    )
            case AlwaysStep():
                found += _always_step(explorer, rule)
    return found


def _never_after(explorer: _Explorer, rule: NeverAfter) -> list[Violation]:
    for config in explorer.order:
        if config.state not in rule.states:
            continue
        for edge in explorer.edges[config]:
            if edge.target.state != config.state:
                return [
                    Violation(
                        "changed_after",
                        rule.name,
                        explorer.path_to(config, edge.steps),
                        key="never_after",
                        params={"state": config.state, "dest": edge.target.state},
                    )
                ]
    return []


def _always_step(explorer: _Explorer, rule: AlwaysStep) -> list[Violation]:
    for config in explorer.order:
        for edge in explorer.edges[config]:
            before = config
            for position, (step, after) in enumerate(zip(edge.steps, edge.trace, strict=True)):
                if not rule.predicate(before, step, after):
                    return [
                        Violation(
                            "always_step",
                            rule.name,
                            explorer.path_to(config, edge.steps[: position + 1]),
                            key="always_step",
                            params={
                                "name": rule.name,
                                "trigger": step.trigger,
                                "source": step.source,
                                "dest": step.dest,
                            },
                        )
                    ]
                before = after
    return []
