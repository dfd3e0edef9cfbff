"""`check`: exhaustive, explicit-state exploration of a process, with shortest counterexamples.

The abstraction is finite (`coopflow._check._abstract`): a configuration is the state, the
state the last transition came from (what ``resume`` returns to) and the states of `precedes`
rules passed so far. Every built-in guard (its kind and parameters) is one boolean *atom*;
combinators are evaluated over the atoms, so ``all_of(g, not_(g))`` can never hold, and
``came_from`` is read from the configuration. From each configuration the checker tries every
manual trigger under every valuation of the atoms its transitions read, and a data event that
may set the atoms of the automatic conditions any way at all, after which the regressions are
tried in their priority order, each at most once, as the engine does. The search is
breadth-first, so each violation comes with a shortest path (counted in events).

What a report says, within `CheckReport.scope`:

- the exploration stops at ``max_configs`` configurations or ``max_seconds`` seconds; then
  `CheckReport.complete` is False, a ``limit`` violation says which bound was reached, and the
  verdicts that need the whole exploration (unreachable, dead, deadlock, completion, a
  `sometimes` or `leads_to` that fails) are marked unconfirmed (`Violation.confirmed`);
- a custom guard without a witness cannot be driven by events: the report is incomplete and
  says which guard stood in the way;
- atoms are treated as independent: guards that read the same registers (``energy`` and
  ``energy_lost``) may be combined in ways no snapshot has, so a path may fail to replay, and
  a state entered and left within one event is only passed, not a configuration. The issue
  tracker's "check() exact" records where this abstraction is not exact; `Path.replay` is the
  way to confirm a path on the real engine.
"""

from collections import deque
from collections.abc import Iterable, Sequence
from types import MappingProxyType
from typing import Any

from coopflow._check._abstract import Explorer as _Explorer
from coopflow._check._abstract import _Edge, _valuations, atoms, holds
from coopflow._check._report import (
    DEFAULT_PROPERTIES,
    CheckReport,
    ProcessRuleViolation,
    Scope,
    Violation,
)
from coopflow._i18n import Term
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
from coopflow._text import Phrase
from coopflow.exceptions import CoopflowError, InvalidProcessError, UnknownNameError, shown
from coopflow.guards._cooperation import CameFrom

__all__ = [
    "DEFAULT_PROPERTIES",
    "CheckReport",
    "ProcessRuleViolation",
    "Scope",
    "Violation",
    "check",
]

_BUILT_IN = (
    "coopflow.guards._scores",
    "coopflow.guards._cooperation",
    "coopflow.guards._conditions",
    "coopflow.guards._facts",
)
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
            case Precedes() | LeadsTo():
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
    max_seconds: float = 10.0,
) -> CheckReport:
    """Explore every configuration `process` can reach and check its properties and rules.

    Args:
        process: the process to check.
        properties: rules from `coopflow.rules` to check besides the default properties.
        skip: names from `DEFAULT_PROPERTIES` to switch off.
        max_configs: a bound on the configurations explored; beyond it the report has a
            ``limit`` violation and is incomplete.
        max_seconds: a bound on the time spent, likewise.

    Raises:
        UnknownNameError: a rule names a state the process does not have, or `skip` names an
            unknown property.
        InvalidProcessError: something in `properties` is not a rule.
        CoopflowError: a rule's predicate raised; the message names the rule.

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
    explorer = _Explorer(process, rules, max_configs, max_seconds)
    explorer.explore()
    custom = _custom_kinds(process)
    complete = explorer.truncated is None and not custom
    found = [_labelled(process, v, complete) for v in explorer.found]
    terminal = {s.id for s in process.states if s.terminal}
    reached = {config.state for config in explorer.parent}
    fired = {i for edges in explorer.edges.values() for edge in edges for i in edge.indices}
    first_per_state: dict[str, Configuration] = {}
    for config in explorer.parent:
        first_per_state.setdefault(config.state, config)

    if explorer.truncated == "max_configs":
        found.append(
            Violation("limit", "max_configs", None, key="limit", params={"count": max_configs})
        )
    elif explorer.truncated == "max_seconds":
        found.append(
            Violation(
                "limit", "max_seconds", None, key="time_limit", params={"seconds": max_seconds}
            )
        )
    found += [
        Violation("unconfirmed", "scope", None, key="no_witness", params={"kind": kind})
        for kind in custom
    ]
    structural = _structural(process, reached, fired)
    found[:0] = [_labelled(process, v, complete) for v in structural]
    later = _liveness(process, explorer, terminal) + _rules(explorer, rules)
    found += [_labelled(process, v, complete) for v in later]
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
        scope=Scope(
            abstracted=("atoms",) + (("time",) if process.settings.max_score_age else ()),
            max_configs=max_configs,
            max_seconds=max_seconds,
        ),
        complete=complete,
        vacuous=tuple(_labelled(process, v, True) for v in _vacuous(process)),
    )


def _custom_kinds(process: Process) -> list[str]:
    """The kinds of custom guards without a witness: no event is known to move them."""
    kinds = {
        str(getattr(type(atom), "kind", type(atom).__name__))
        for t in process.transitions
        for guard in t.guards
        for atom in atoms(guard)
        if type(atom).__module__ not in _BUILT_IN and getattr(atom, "witness", None) is None
    }
    return sorted(kinds)


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
        sources = [s.strip() for s in str(params["source"]).split(",")]
        if all(s in process._index.states for s in sources):
            labels = {
                locale: ", ".join(
                    Term("state", s, process._index.states[s].labels).render(locale)
                    for s in sources
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
    for transition in process.transitions:
        gates = [g for g in transition.guards if not isinstance(g, CameFrom)]
        for number, gate in enumerate(gates):
            params: dict[str, Any] = {
                "guard": _kind(gate),
                "trigger": transition.trigger,
                "source": ", ".join(transition.source),
                "dest": transition.dest,
            }
            read = atoms(gate)
            if all(holds(gate, v, config) for v in _valuations(read)):
                found.append(Violation("vacuous", "vacuous", None, key="vacuous", params=params))
                continue
            for other in gates[:number] + gates[number + 1 :]:
                both = read | atoms(other)
                if other != gate and all(
                    holds(gate, v, config) for v in _valuations(both) if holds(other, v, config)
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


def _call(rule: Any, *args: Any) -> bool:
    """The rule's predicate on `args`; one that raises is a `CoopflowError` naming the rule."""
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
                bad = next((c for c in explorer.order if not _call(rule, c)), None)
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
            case LeadsTo():
                found += _leads_to(explorer, rule)
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
                if not _call(rule, before, step, after):
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


def _leads_to(explorer: _Explorer, rule: LeadsTo) -> list[Violation]:
    incoming: dict[Configuration, set[Configuration]] = {}
    for config, edges in explorer.edges.items():
        for edge in edges:
            incoming.setdefault(edge.target, set()).add(config)
    can = {c for c in explorer.parent if c.state == rule.then}
    queue = deque(can)
    while queue:
        for before in incoming.get(queue.popleft(), ()):
            if before not in can:
                can.add(before)
                queue.append(before)
    for config in explorer.order:
        if config.state == rule.first and config not in can:
            return [
                Violation(
                    "leads_to",
                    rule.name,
                    explorer.path_to(config),
                    key="leads_to",
                    params={"first": rule.first, "then": rule.then},
                )
            ]
    return []
