"""Rules of a process, checked exhaustively by `coopflow.check`.

A rule is frozen data naming what must hold on every path the process allows; `check` explores
them all and reports a violated rule with its shortest path.

- `precedes(first, then)`: no path enters state `then` without having passed state `first`.
- `never_after(*states)`: once in one of `states`, the state never changes any more.
- `sometimes(state)`: `state` is reachable; the report keeps the witness path.
- `always(name, predicate)`: ``predicate(configuration)`` holds in every explored configuration.
- `always_step(name, predicate)`: ``predicate(before, step, after)`` holds for every step.
- `leads_to(first, then)`: every run that reaches `first` can still reach `then`.

A predicate that raises is a `CoopflowError` naming the rule.

A configuration is a `Configuration`: the state, the state the last transition came from
(`previous`, which ``resume`` returns to), and the states of `precedes` rules passed so far.

Example:
    >>> import coopflow as cf
    >>> from coopflow import rules
    >>> report = cf.check(cf.default_process(),
    ...                   properties=[rules.precedes("building_culture", "agenda_setting")])
    >>> report.ok
    True
"""

from coopflow._rules import (
    Always,
    AlwaysStep,
    Configuration,
    LeadsTo,
    NeverAfter,
    Precedes,
    Rule,
    Sometimes,
    always,
    always_step,
    leads_to,
    never_after,
    precedes,
    sometimes,
)

__all__ = [
    "Always",
    "AlwaysStep",
    "Configuration",
    "LeadsTo",
    "NeverAfter",
    "Precedes",
    "Rule",
    "Sometimes",
    "always",
    "always_step",
    "leads_to",
    "never_after",
    "precedes",
    "sometimes",
]
