"""What `check` reports: `CheckReport`, `Violation`, `Scope` and `ProcessRuleViolation`."""

import builtins
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from coopflow._i18n import CATALOGUE, check_locale, render
from coopflow._paths import Path
from coopflow.exceptions import CoopflowError

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
        confirmed: False when the verdict is neither proved nor shown by a path that replays
            (the exploration was incomplete: see `CheckReport.unconfirmed`).

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
    confirmed: bool = attrs.field(kw_only=True, default=True)

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
        scope: what was explored: the parties, the score values, the bounds, what is abstracted.
        complete: False when a bound stopped the exploration or a guard could not be explored;
            then the verdicts that need the whole exploration are marked unconfirmed.
        vacuous: the gates that can never fail where they stand (see `check`).

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
    scope: "Scope" = attrs.field(kw_only=True, factory=lambda: Scope())
    complete: bool = attrs.field(kw_only=True, default=True)
    vacuous: tuple[Violation, ...] = attrs.field(kw_only=True, default=())
    # The labels of the process's states and steps, so that paths render in words; the paths
    # themselves keep ids (`str(path)` reads back with `Path.parse`).
    _words: Mapping[str, Mapping[str, str]] = attrs.field(
        alias="words", kw_only=True, factory=dict, converter=_frozen_params, eq=False, repr=False
    )

    @property
    def ok(self) -> bool:
        """True when nothing is violated and the exploration was complete."""
        return not self.violations and self.complete

    @property
    def unconfirmed(self) -> tuple[Violation, ...]:
        """The verdicts that are neither proved nor shown by a path (incomplete exploration)."""
        return tuple(v for v in self.violations if not v.confirmed)

    def render(self, locale: str = "en") -> str:
        """The report as readable text: a summary line, each violation with its path, the scope.

        Example:
            >>> import coopflow as cf
            >>> print(cf.check(cf.default_process()).render("nl"))  # doctest: +ELLIPSIS
            Proces coopflow-default voldoet aan alle regels (... configuraties, ... overgangen).
            Reikwijdte: 2 partijen (party-a, party-b), hoogstens 100000 configuraties en ...
        """
        check_locale(locale)
        params = {
            "process": self.process,
            "count": len(self.violations),
            "configurations": self.configurations,
            "edges": self.edges,
        }
        scope = self.scope.render(locale)
        notes = [f"[{_tag(v, locale)}] {v.describe(locale)}" for v in self.vacuous]
        if self.ok:
            return "\n".join([render("check_ok", params, locale), *notes, scope])
        lines = [render("check_header", params, locale)]
        for violation in self.violations:
            text = violation.describe(locale)
            if not violation.confirmed:
                text = render("check_unconfirmed", {"finding": text}, locale)
            lines.append(f"[{_tag(violation, locale)}] {text}")
            if violation.path is not None:
                label = render("check_path", {"count": len(violation.path)}, locale)
                lines.append(f"  {label}: {self._path_text(violation.path, locale)}")
        lines += notes
        lines.append(scope)
        return "\n".join(lines)

    def _path_text(self, path: Path, locale: str) -> str:
        # The path in the process's words: states and steps by their labels (ids where the
        # process gives none), with the marks of automatic steps as `str(path)` writes them.
        def word(id: str) -> str:
            return self._words.get(id, {}).get(locale, id)

        parts = [word(path.start)]
        for step in path.steps:
            mark = ("+" if step.chained else "~") if step.automatic else ""
            parts.append(f"-[{mark}{word(step.trigger)}]-> {word(step.dest)}")
        return " ".join(parts)

    def raise_for_violations(self, locale: str = "en") -> None:
        """Raise `ProcessRuleViolation` with the rendered report unless everything holds.

        Example:
            >>> import coopflow as cf
            >>> cf.check(cf.default_process()).raise_for_violations()
        """
        if not self.ok:
            raise ProcessRuleViolation(self, locale)


_RULE_KINDS = ("precedes", "never_after", "sometimes", "leads_to")


def _tag(violation: Violation, locale: str) -> str:
    """The name a violation is shown under: a built-in property or rule kind in words, the
    name of a rule the user named (`rules.always`, `rules.always_step`) as it was given."""
    name = violation.property
    kind = name.split("(", 1)[0]
    if f"property_{name}" in CATALOGUE:
        return render(f"property_{name}", {}, locale)
    if kind in _RULE_KINDS and name.endswith(")"):
        return render(f"property_{kind}", {}, locale)
    return name


@attrs.frozen
class Scope:
    """What a `check` explored: every verdict holds for every run of the engine within it.

    Attributes:
        parties: the ids of the parties that take part at the start.
        scores: for each dimension a guard reads, the scores explored (the thresholds of the
            process and the ends of the scale, so every region between thresholds is visited).
        max_configs: the bound on the number of configurations.
        max_seconds: the bound on the time spent.
        abstracted: what is not explored, as message keys (``time``: every event happens at
            one moment, so scores never grow too old).

    Example:
        >>> import coopflow as cf
        >>> cf.check(cf.default_process()).scope.parties
        ('party-a', 'party-b')
    """

    parties: tuple[str, ...] = ("party-a", "party-b")
    scores: Mapping[str, tuple[float, ...]] = attrs.field(factory=dict, converter=_frozen_params)
    max_configs: int = 100_000
    max_seconds: float = 60.0
    abstracted: tuple[str, ...] = ()

    def render(self, locale: str = "en") -> str:
        """The scope as one line.

        Example:
            >>> import coopflow as cf
            >>> cf.Scope(("a", "b"), {}).render()
            'Scope: 2 parties (a, b), at most 100000 configurations and 60.0 seconds.'
        """
        check_locale(locale)
        params: dict[str, Any] = {
            "count": len(self.parties),
            "parties": ", ".join(self.parties),
            "max_configs": self.max_configs,
            "max_seconds": self.max_seconds,
        }
        text = render("check_scope", params, locale)
        for key in self.abstracted:
            text += " " + render(f"check_abstracted_{key}", {}, locale)
        return text
