"""`check`: an exact, bounded exploration of a process on the real engine.

The checker drives the real engine (`_engine.apply`) from the initial snapshot of a trajectory
with the parties of the scope, trying from every snapshot each manual trigger, a score in every
region between the process's thresholds for the dimensions its guards read, and the witness
events that make each guard change its outcome (`coopflow._check._explore`). Snapshots are
merged on a key: the state, the state remembered for ``resume`` where a ``came_from`` reads it,
the `precedes` states passed, and the outcome of every guard that can still matter there (those
of the state's transitions and the conditions tried on entering the states one step away).

What a report says, within `CheckReport.scope`:

- a path (a violation's, `paths`, `cover`, `witnesses`) is the sequence of real events that
  produced it, so it replays with `Path.replay`; states passed within one event (a chain of
  regressions) count for reachability and every rule;
- "unreachable", "dead", "deadlock" and "completion" verdicts and the rules that hold are proved
  for the runs within the scope when the exploration is complete;
- when it is not (`CheckReport.complete` is False: a bound was reached, or a custom guard has no
  witness, so no events are known to drive it), those verdicts are unconfirmed
  (`Violation.confirmed` is False) and the report says what stood in the way.
"""

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from coopflow._check._explore import Explorer, Node, atoms
from coopflow._check._report import (
    DEFAULT_PROPERTIES,
    CheckReport,
    ProcessRuleViolation,
    Scope,
    Violation,
)
from coopflow._events import Party
from coopflow._i18n import Term
from coopflow._paths import Path
from coopflow._process import Process
from coopflow._rules import (
    Always,
    AlwaysStep,
    Configuration,
    LeadsTo,
    NeverAfter,
    Precedes,
    Sometimes,
)
from coopflow._settings import Settings
from coopflow._text import Phrase, shown
from coopflow.exceptions import CoopflowError, InvalidProcessError, UnknownNameError
from coopflow.guards._combinators import AllOf, AnyOf, Not
from coopflow.guards._cooperation import CameFrom

__all__ = [
    "DEFAULT_PROPERTIES",
    "CheckReport",
    "ProcessRuleViolation",
    "Scope",
    "Violation",
    "check",
]

_NEEDS_ALL = frozenset(
    {
        "unreachable",
        "dead_transition",
        "deadlock",
        "no_terminal",
        "no_completion",
        "never_reached",
        "leads_to",
    }
)


def _check_names(process: Process, rules: Sequence[Any]) -> None:
    for rule in rules:
        match rule:
            case Precedes():
                names = [rule.first, rule.then]
            case LeadsTo():
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


class _Move:
    """One step of one explored event: where it starts, the step, and its cost."""

    __slots__ = ("after", "before", "child", "cost", "index", "position", "step")

    def __init__(self, child: Node, position: int, before: Configuration) -> None:
        parent = child.parent
        assert parent is not None
        self.child = child
        self.position = position
        self.step = child.steps[position]
        self.index = child.indices[position]
        self.before = before
        self.after = child.trace[position]
        self.cost = (parent.cost[0] + position + 1, parent.cost[1] + 1)


def _moves(explorer: Explorer) -> list[_Move]:
    moves = []
    for parent, child in explorer.generated:
        before = parent.config
        for position in range(len(child.steps)):
            moves.append(_Move(child, position, before))
            before = child.trace[position]
    moves.sort(key=lambda move: move.cost)
    return moves


def _call(rule: Any, *args: Any) -> bool:
    try:
        return bool(rule.predicate(*args))
    except Exception as error:
        raise CoopflowError(
            Phrase(
                "the predicate of rule {name} raised {error}: {error2}",
                name=shown(rule.name),
                error=type(error).__name__,
                error2=shown(error),
            )
        ) from error


def check(
    process: Process,
    *,
    properties: Iterable[Any] = (),
    skip: Iterable[str] = (),
    max_configs: int = 100_000,
    max_seconds: float = 60.0,
    parties: Sequence[Party] | None = None,
) -> CheckReport:
    """Explore every configuration `process` can reach and check its properties and rules.

    Args:
        process: the process to check.
        properties: rules from `coopflow.rules` to check besides the default properties.
        skip: names from `DEFAULT_PROPERTIES` to switch off.
        max_configs: a bound on the configurations explored; beyond it the report has a
            ``limit`` violation and is incomplete.
        max_seconds: a bound on the time spent, likewise.
        parties: the parties at the start (default: ``party-a`` and ``party-b``); a party
            with each tag and sector the process's selectors name is added.

    Raises:
        UnknownNameError: a rule names a state the process does not have, or `skip` names an
            unknown property.
        InvalidProcessError: something in `properties` is not a rule.
        CoopflowError: a rule's predicate raised (the message names the rule).

    Example:
        >>> import coopflow as cf
        >>> from coopflow import rules
        >>> report = cf.check(cf.default_process(), properties=[rules.sometimes("completed")])
        >>> report.ok, report.complete, len(report.witnesses["sometimes(completed)"])
        (True, True, 6)
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
    explorer = Explorer(
        process, rules, parties=parties, max_configs=max_configs, max_seconds=max_seconds
    )
    explorer.explore()
    return _Analysis(process, explorer, rules, off).report()


class _Analysis:
    """Turns one exploration into a report."""

    def __init__(
        self, process: Process, explorer: Explorer, rules: Sequence[Any], off: set[str]
    ) -> None:
        self.process = process
        self.explorer = explorer
        self.rules = rules
        self.off = off
        self.moves = _moves(explorer)
        self.start = explorer.order[0]
        self.complete = explorer.truncated is None and not explorer.custom
        self.graph: dict[tuple[Any, ...], set[tuple[Any, ...]]] = {}
        self.incoming: dict[tuple[Any, ...], set[tuple[Any, ...]]] = {}
        for parent, child in explorer.generated:
            if parent.key != child.key:
                self.graph.setdefault(parent.key, set()).add(child.key)
                self.incoming.setdefault(child.key, set()).add(parent.key)
        self.keys = {node.key: node for node in explorer.order}
        for _, child in explorer.generated:
            self.keys.setdefault(child.key, child)

    def path(self, move: _Move) -> Path:
        return self.explorer.path(move.child, move.position + 1)

    def node_path(self, node: Node) -> Path:
        return self.explorer.path(node)

    def violation(
        self, kind: str, prop: str, path: Path | None, key: str, **params: Any
    ) -> Violation:
        return Violation(
            kind,
            prop,
            path,
            key=key,
            params=params,
            confirmed=self.complete or kind not in _NEEDS_ALL,
        )

    def report(self) -> CheckReport:
        explorer = self.explorer
        process = self.process
        paths: dict[str, Path] = {process.initial: self.node_path(self.start)}
        cover: dict[int, Path] = {}
        # A path that rests where it ends (its step is the last of its event) comes first, so
        # that replaying it leaves a trajectory in that state; a state only ever passed within
        # one event gets a path that ends there, within the event.
        for resting in (True, False):
            for move in self.moves:
                if resting != (move.position == len(move.child.steps) - 1):
                    continue
                if move.step.dest not in paths:
                    paths[move.step.dest] = self.path(move)
                if move.index not in cover:
                    cover[move.index] = self.path(move)
        found: list[Violation] = []
        found += self.structural(set(paths), set(cover))
        found += explorer.problems
        found += self.loops()
        found += self.precedes()
        if explorer.truncated == "max_configs":
            found.append(
                Violation(
                    "limit",
                    "max_configs",
                    None,
                    key="limit",
                    params={"count": explorer.max_configs},
                )
            )
        elif explorer.truncated == "max_seconds":
            found.append(
                Violation(
                    "limit",
                    "max_seconds",
                    None,
                    key="time_limit",
                    params={"seconds": explorer.max_seconds},
                )
            )
        found += [
            Violation("unconfirmed", "scope", None, key="no_witness", params={"kind": kind})
            for kind in explorer.custom
        ]
        found += self.liveness()
        found += self.rule_violations(paths)
        kept = tuple(
            _labelled(process, v, self.complete) for v in found if v.property not in self.off
        )
        witnesses = {
            rule.name: paths[rule.state]
            for rule in self.rules
            if isinstance(rule, Sometimes) and rule.state in paths
        }
        scope = Scope(
            tuple(party.id for party in explorer.parties),
            explorer.scores,
            explorer.max_configs,
            explorer.max_seconds,
            ("time",) if process.settings.max_score_age is not None else (),
        )
        return CheckReport(
            process=process.id,
            violations=kept,
            configurations=len(explorer.settled),
            edges=sum(len(targets) for targets in self.graph.values()),
            states_reached=frozenset(paths),
            transitions_fired=frozenset(cover),
            state_coverage=len(paths) / len(process.states),
            transition_coverage=len(cover) / len(process.transitions),
            paths=MappingProxyType(paths),
            cover=tuple(cover[index] for index in sorted(cover)),
            witnesses=MappingProxyType(witnesses),
            scope=scope,
            complete=self.complete,
            vacuous=tuple(_labelled(process, v, True) for v in _vacuous(process)),
            # The labels of states and steps, as `Process.label` reads them.
            words=process._index.labels,
        )

    def structural(self, reached: set[str], fired: set[int]) -> list[Violation]:
        found = [
            self.violation("unreachable", "reachable", None, "unreachable", state=s.id)
            for s in self.process.states
            if s.id not in reached
        ]
        found += [
            self.violation(
                "dead_transition",
                "no_dead_transitions",
                None,
                "dead_transition",
                trigger=t.trigger,
                source=", ".join(t.source),
                dest=t.dest,
            )
            for i, t in enumerate(self.process.transitions)
            if i not in fired
        ]
        return found

    def loops(self) -> list[Violation]:
        found: list[Violation] = []
        reported: set[str] = set()
        for move in self.moves:
            if not move.step.automatic:
                continue
            child = move.child
            steps = child.steps[: move.position]
            first = 0
            while first < len(steps) and not steps[first].automatic:
                first += 1
            start = steps[first - 1].dest if first else move.child.parent.config.state  # type: ignore[union-attr]
            visited = {start, *(s.dest for s in steps[first:])}
            if move.step.dest in visited and move.step.dest not in reported:
                reported.add(move.step.dest)
                found.append(
                    self.violation(
                        "regression_loop",
                        "no_regression_loop",
                        self.path(move),
                        "regression_loop",
                        state=move.step.dest,
                    )
                )
        return found

    def precedes(self) -> list[Violation]:
        found: list[Violation] = []
        for rule in self.rules:
            if not isinstance(rule, Precedes):
                continue
            for move in self.moves:
                if move.step.dest == rule.then and rule.first not in move.before.passed:
                    found.append(
                        self.violation(
                            "precedes",
                            rule.name,
                            self.path(move),
                            "precedes",
                            first=rule.first,
                            then=rule.then,
                        )
                    )
                    break
        return found

    def back(self, goal: Callable[[tuple[Any, ...]], bool]) -> set[tuple[Any, ...]]:
        reach = {key for key in self.keys if goal(key)}
        queue = deque(reach)
        while queue:
            for before in self.incoming.get(queue.popleft(), ()):
                if before not in reach:
                    reach.add(before)
                    queue.append(before)
        return reach

    def liveness(self) -> list[Violation]:
        process = self.process
        terminal = {s.id for s in process.states if s.terminal}
        success = {s.id for s in process.states if s.success}
        can_end = self.back(lambda key: key[0] in terminal)
        can_complete = self.back(lambda key: key[0] in success) if success else can_end
        # A key is stuck when nothing it can reach leaves its state.
        leaves = set()
        for source, targets in self.graph.items():
            if any(target[0] != source[0] for target in targets):
                leaves.add(source)
        moving: set[tuple[Any, ...]] = set(leaves)
        queue = deque(leaves)
        while queue:
            here = queue.popleft()
            for before in self.incoming.get(here, ()):
                if before[0] == here[0] and before not in moving:
                    moving.add(before)
                    queue.append(before)
        found: list[Violation] = []
        reported: set[tuple[str, str]] = set()
        for node in self.explorer.order:
            state = node.key[0]
            if state in terminal:
                continue
            problems = []
            if node.key not in moving:
                problems.append(("deadlock", "no_deadlock"))
            if node.key not in can_end:
                problems.append(("no_terminal", "completion"))
            elif node.key not in can_complete:
                problems.append(("no_completion", "completion"))
            for key, prop in problems:
                if (key, state) not in reported:
                    reported.add((key, state))
                    found.append(self.violation(key, prop, self.node_path(node), key, state=state))
        return found

    def rule_violations(self, paths: dict[str, Path]) -> list[Violation]:
        found: list[Violation] = []
        for rule in self.rules:
            match rule:
                case NeverAfter():
                    found += self.never_after(rule)
                case Sometimes():
                    if rule.state not in paths:
                        found.append(
                            self.violation(
                                "never_reached", rule.name, None, "sometimes", state=rule.state
                            )
                        )
                case Always():
                    found += self.always(rule)
                case AlwaysStep():
                    found += self.always_step(rule)
                case LeadsTo():
                    found += self.leads_to(rule)
        return found

    def never_after(self, rule: NeverAfter) -> list[Violation]:
        for move in self.moves:
            if move.before.state in rule.states and move.step.dest != move.before.state:
                return [
                    self.violation(
                        "changed_after",
                        rule.name,
                        self.path(move),
                        "never_after",
                        state=move.before.state,
                        dest=move.step.dest,
                    )
                ]
        return []

    def always(self, rule: Always) -> list[Violation]:
        if not _call(rule, self.start.config):
            return [
                self.violation(
                    "always",
                    rule.name,
                    self.node_path(self.start),
                    "always",
                    name=rule.name,
                    state=self.start.config.state,
                )
            ]
        for move in self.moves:
            if not _call(rule, move.after):
                return [
                    self.violation(
                        "always",
                        rule.name,
                        self.path(move),
                        "always",
                        name=rule.name,
                        state=move.after.state,
                    )
                ]
        return []

    def always_step(self, rule: AlwaysStep) -> list[Violation]:
        for move in self.moves:
            if not _call(rule, move.before, move.step, move.after):
                return [
                    self.violation(
                        "always_step",
                        rule.name,
                        self.path(move),
                        "always_step",
                        name=rule.name,
                        trigger=move.step.trigger,
                        source=move.step.source,
                        dest=move.step.dest,
                    )
                ]
        return []

    def leads_to(self, rule: LeadsTo) -> list[Violation]:
        can = self.back(lambda key: key[0] == rule.then)
        candidates: list[tuple[tuple[int, int], Path]] = []
        if self.start.config.state == rule.first and self.start.key not in can:
            candidates.append((self.start.cost, self.node_path(self.start)))
        for move in self.moves:
            rest = move.child.steps[move.position + 1 :]
            if (
                move.step.dest == rule.first
                and rule.then not in {s.dest for s in rest}
                and move.child.key not in can
            ):
                candidates.append((move.cost, self.explorer.path(move.child)))
                break
        if not candidates:
            return []
        path = min(candidates, key=lambda c: c[0])[1]
        return [
            self.violation(
                "leads_to", rule.name, path, "leads_to", first=rule.first, then=rule.then
            )
        ]


_STATE_PARAMS = ("state", "dest", "first", "then")


def _labelled(process: Process, violation: Violation, complete: bool) -> Violation:
    """`violation` with its states and trigger as words of the process (rendered by their
    labels), and marked unconfirmed when it needs the whole exploration and that was cut short.
    """
    params = dict(violation.params)
    for name in _STATE_PARAMS:
        value = params.get(name)
        if isinstance(value, str) and value in process._index.states:
            params[name] = Term("state", value, process._index.states[value].labels)
    trigger = params.get("trigger")
    labelled = [t for t in process.transitions if t.trigger == trigger and t.labels]
    if isinstance(trigger, str) and labelled:
        params["trigger"] = Term("transition", trigger, labelled[0].labels)
    if isinstance(params.get("source"), str):
        # One state, or the states of a transition joined by commas.
        sources = [s.strip() for s in str(params["source"]).split(",")]
        labels = {
            locale: ", ".join(
                Term("state", s, process._index.states[s].labels).render(locale) for s in sources
            )
            for locale in ("en", "nl")
        }
        params["source"] = Term("states", str(params["source"]), labels)
    confirmed = complete or violation.kind not in _NEEDS_ALL
    return Violation(
        violation.kind,
        violation.property,
        violation.path,
        key=violation.key,
        params=params,
        confirmed=confirmed and violation.confirmed,
    )


def _vacuous(process: Process) -> list[Violation]:
    """Gates that can never fail, and gates that another gate of the same transition implies."""
    found: list[Violation] = []
    config = Configuration(process.initial, None)
    settings = process.settings
    for transition in process.transitions:
        gates = [g for g in transition.guards if not isinstance(g, CameFrom)]
        for number, gate in enumerate(gates):
            params: dict[str, Any] = {
                "guard": _kind(gate),
                "trigger": transition.trigger,
                "source": ", ".join(transition.source),
                "dest": transition.dest,
            }
            leaves = atoms(gate)
            if all(holds(gate, v, config) for v in _possible(leaves, settings)):
                found.append(Violation("vacuous", "vacuous", None, key="vacuous", params=params))
                continue
            for other in gates[:number] + gates[number + 1 :]:
                both = _possible(leaves + atoms(other), settings)
                if other != gate and all(
                    holds(gate, v, config) for v in both if holds(other, v, config)
                ):
                    found.append(
                        Violation(
                            "implied",
                            "vacuous",
                            None,
                            key="implied",
                            params={**params, "other": _kind(other)},
                        )
                    )
                    break
    return found


def _kind(guard: Any) -> str:
    return str(getattr(type(guard), "kind", type(guard).__name__))


def implies(first: Any, second: Any, settings: Settings) -> bool:
    """Whether `first` holding means that `second` holds: the same guard (same dimension, same
    parties) whose bound asks at least as much, e.g. ``trust(threshold=4)`` implies ``trust()``.
    """
    # A guard whose bound orders it says so in its class (``_bound``): the bound's field, the
    # setting it defaults to, and whether a higher bound asks more.
    bound: tuple[str, str, bool] | None = getattr(type(first), "_bound", None)
    if bound is None or type(second) is not type(first):
        return False
    name, default, higher = bound
    for field in attrs.fields(type(first)):
        if field.name != name and getattr(first, field.name) != getattr(second, field.name):
            return False
    asked = [
        float(getattr(settings, default) if v is None else v)
        for v in (getattr(first, name), getattr(second, name))
    ]
    return asked[0] >= asked[1] if higher else asked[0] <= asked[1]


def _possible(leaves: Sequence[Any], settings: Settings) -> list[dict[str, bool]]:
    """The valuations of `leaves` (by repr) that a snapshot can have: none in which a guard
    holds and a guard it implies does not."""
    by_name = {repr(leaf): leaf for leaf in leaves}
    orders = [
        (a, b)
        for a, first in by_name.items()
        for b, second in by_name.items()
        if a != b and implies(first, second, settings)
    ]
    return [v for v in _valuations(by_name) if not any(v[a] and not v[b] for a, b in orders)]


def _valuations(names: Iterable[Any]) -> Iterable[dict[str, bool]]:
    ordered = sorted(set(names))
    for values in itertools.product((False, True), repeat=len(ordered)):
        yield dict(zip(ordered, values, strict=True))


def holds(guard: Any, valuation: dict[str, bool], config: Configuration) -> bool:
    """Whether `guard` holds when its atoms have `valuation` (by their repr)."""
    match guard:
        case AllOf():
            return all(holds(inner, valuation, config) for inner in guard.guards)
        case AnyOf():
            return any(holds(inner, valuation, config) for inner in guard.guards)
        case Not():
            return not holds(guard.guard, valuation, config)
    return valuation.get(repr(guard), False)
