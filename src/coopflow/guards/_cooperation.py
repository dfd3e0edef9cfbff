"""The guards of the seed's cooperation conditions: common ground, reciprocity, equal standing,
the agenda, the declaration, the office and its money, completion, and `came_from`.
"""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

import attrs

from coopflow import _witness
from coopflow._events import DecisionRule
from coopflow._results import Failure, GuardResult, guard_result
from coopflow._snapshot import Snapshot
from coopflow._text import Problem
from coopflow._vocabulary import Vocabulary
from coopflow._witness import Events, known
from coopflow.guards._params import (
    declared,
    optional_float,
    optional_number,
    share,
    to_optional_words,
    word,
)
from coopflow.guards._registry import register, term
from coopflow.guards._scores import at_least, scores_on

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    from coopflow._settings import Settings


__all__ = [
    "agenda_approved",
    "came_from",
    "common_ground",
    "completion",
    "declaration_signed",
    "equal_standing",
    "finances_covered",
    "reciprocity",
    "roles_assigned",
]


def unsigned(snapshot: Snapshot) -> list[Failure]:
    """Every current party that has not signed the declaration on the approved agenda."""
    approved = snapshot.approved_agenda()
    if approved is None:
        return [Failure(None, "agenda_not_approved")]
    return [
        Failure(party.id, "not_signed", {"name": party.name, "version": approved.version})
        for party in snapshot.parties
        if not snapshot.signed(party.id, approved.version)
    ]


def cash_short(snapshot: Snapshot, coverage: float) -> Failure | None:
    """The shortfall of committed money against `coverage` times the budget, if any."""
    budget = snapshot.registers.budget
    if budget is None:
        return None
    needed = budget * Decimal(str(coverage))
    cash = snapshot.committed_cash()
    if cash < needed:
        return Failure(None, "cash_short", {"cash": float(cash), "needed": float(needed)})
    return None


@register("common_ground")
@attrs.frozen
class CommonGround:
    """Two or more parties; an interest every party endorses; each party named its added value,
    depends on another and is depended on by another.
    """

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset({"interests", "values", "dependencies"})

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        failures: list[Failure] = []
        parties = snapshot.parties
        if len(parties) < 2:
            failures.append(Failure(None, "too_few_parties", {"count": len(parties)}))
        if not snapshot.has_common_interest():
            failures.append(Failure(None, "no_common_interest"))
        for party in parties:
            if not snapshot.has_named_value(party.id):
                failures.append(Failure(party.id, "value_missing", {"name": party.name}))
            if not snapshot.depends_on_another(party.id):
                failures.append(Failure(party.id, "depends_on_nobody", {"name": party.name}))
            if not snapshot.is_depended_on(party.id):
                failures.append(Failure(party.id, "nobody_depends_on", {"name": party.name}))
        return guard_result(self.kind, failures)

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """A shared interest, the missing values, a ring of dependencies; none to fail."""
        with known(self, holds, snapshot):
            if not holds:
                raise LookupError
            return _witness.common_ground(snapshot, settings)


@register("reciprocity")
@attrs.frozen
class Reciprocity:
    """Every party committed at least one contribution (in kind counts) and named a gain."""

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset({"contributions", "values"})

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        failures: list[Failure] = []
        for party in snapshot.parties:
            if not snapshot.has_committed(party.id):
                failures.append(Failure(party.id, "no_contribution", {"name": party.name}))
            if not snapshot.has_named_value(party.id):
                failures.append(Failure(party.id, "gain_missing", {"name": party.name}))
        return guard_result(self.kind, failures)

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """The missing contributions and values; no events are known to make it fail."""
        with known(self, holds, snapshot):
            if not holds:
                raise LookupError
            return _witness.reciprocity(snapshot, settings)


@register("equal_standing")
@attrs.frozen
class EqualStanding:
    """Consensus or unanimity, or weighted votes with no share above `max_share` and none at
    zero; and every party's voice at least the entry threshold.
    """

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset({"decision_rule", "weights", "scores:voice"})
    max_share: float | None = attrs.field(
        kw_only=True, default=None, validator=optional_number, converter=optional_float
    )

    def _thresholds(self, settings: "Settings") -> dict[str, set[float]]:
        # For the checker: the voice scores (the ends of the scale are always tried).
        return {"voice": {settings.scale[0]}}

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        failures: list[Failure] = []
        r = snapshot.registers
        if r.decision_rule is DecisionRule.WEIGHTED:
            limit = settings.max_weight_share if self.max_share is None else self.max_share
            weights = [r.weights.get(party.id, 0.0) for party in snapshot.parties]
            # Scale by the largest weight first: a sum of huge weights would overflow to inf.
            largest = max(weights)
            scaled = [weight / largest for weight in weights] if largest else weights
            total = sum(scaled)
            for party, weight in zip(snapshot.parties, scaled, strict=True):
                share = weight / total if total else 0.0
                if share == 0:
                    failures.append(Failure(party.id, "share_zero", {"name": party.name}))
                elif share > limit:
                    params = {"name": party.name, "share": share, "limit": limit}
                    failures.append(Failure(party.id, "share_too_high", params))
        voice = scores_on(snapshot, settings, at, "voice")
        for party in snapshot.parties:
            failures += at_least(voice, party, "voice", settings.entry_threshold)
        return guard_result(self.kind, failures)

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """Consensus and every party's voice at the top; no events are known to make it fail."""
        with known(self, holds, snapshot):
            if not holds:
                raise LookupError
            return _witness.equal_standing(snapshot, settings)

    def problems(self, vocabulary: Vocabulary, settings: "Settings") -> list[Problem]:
        """A share that is not one."""
        return share(self.kind, "max_share", self.max_share)


@register("agenda_approved")
@attrs.frozen
class AgendaApproved:
    """An agenda version approved by every party, with at least one theme, each theme with an
    owner among the parties, an indicator and a linked interest.
    """

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset({"agenda"})

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        approved = snapshot.approved_agenda()
        if approved is None:
            return guard_result(self.kind, [Failure(None, "agenda_not_approved")])
        failures: list[Failure] = []
        if not approved.themes:
            failures.append(Failure(None, "agenda_empty", {"version": approved.version}))
        ids = {party.id for party in snapshot.parties}
        for theme in approved.themes:
            if theme.owner not in ids:
                failures.append(Failure(None, "theme_without_owner", {"theme": theme.title}))
            if not theme.indicator.strip():
                failures.append(Failure(None, "theme_without_indicator", {"theme": theme.title}))
            if not theme.interests:
                failures.append(Failure(None, "theme_without_interest", {"theme": theme.title}))
        return guard_result(self.kind, failures)

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """A new agenda version that every party approves; none to make it fail."""
        with known(self, holds, snapshot):
            if not holds:
                raise LookupError
            return _witness.agenda(snapshot, settings)


@register("declaration_signed")
@attrs.frozen
class DeclarationSigned:
    """Every current party signed the approved agenda version."""

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset({"agenda", "signatures"})

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        return guard_result(self.kind, unsigned(snapshot))

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """Every party's signature (on an agenda approved first if need be); none to fail."""
        with known(self, holds, snapshot):
            if not holds:
                raise LookupError
            return _witness.declaration(snapshot, settings)


@register("roles_assigned")
@attrs.frozen
class RolesAssigned:
    """Every required role (default: the settings' `required_roles`) is held by a current
    party, and every party holds a role or owns a theme of the approved agenda.
    """

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset({"roles", "agenda"})
    roles: tuple[str, ...] | None = attrs.field(
        kw_only=True, default=None, converter=to_optional_words
    )

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        required = settings.required_roles if self.roles is None else self.roles
        failures = [
            Failure(None, "role_missing", {"role": term("role", role)})
            for role in required
            if snapshot.role_holder(role) is None
        ]
        approved = snapshot.approved_agenda()
        owners = set() if approved is None else {theme.owner for theme in approved.themes}
        failures.extend(
            Failure(party.id, "no_role", {"name": party.name})
            for party in snapshot.parties
            if party.id not in owners and not snapshot.holds_role(party.id)
        )
        return guard_result(self.kind, failures)

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """The required roles and a role of every party; none to make it fail."""
        with known(self, holds, snapshot):
            if not holds:
                raise LookupError
            required = settings.required_roles if self.roles is None else self.roles
            return _witness.roles(snapshot, settings, required)

    def problems(self, vocabulary: Vocabulary, settings: "Settings") -> list[Problem]:
        """Roles the vocabulary does not declare."""
        return declared(self.kind, "role", self.roles or (), vocabulary)


@register("finances_covered")
@attrs.frozen
class FinancesCovered:
    """A budget above zero, and committed money at least `coverage` (default: the settings')
    times the budget.
    """

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset({"budget", "contributions"})
    coverage: float | None = attrs.field(
        kw_only=True, default=None, validator=optional_number, converter=optional_float
    )

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        budget = snapshot.registers.budget
        if budget is None or budget <= 0:
            return guard_result(self.kind, [Failure(None, "budget_missing")])
        coverage = settings.coverage if self.coverage is None else self.coverage
        short = cash_short(snapshot, coverage)
        return guard_result(self.kind, [] if short is None else [short])

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """A budget and the cash that covers it; no events are known to make it fail."""
        with known(self, holds, snapshot):
            if not holds:
                raise LookupError
            coverage = settings.coverage if self.coverage is None else self.coverage
            return _witness.finances(snapshot, settings, coverage)

    def problems(self, vocabulary: Vocabulary, settings: "Settings") -> list[Problem]:
        """A coverage that is not a share."""
        return share(self.kind, "coverage", self.coverage)


@register("completion")
@attrs.frozen
class Completion:
    """Every theme of the approved agenda is closed and a final review is recorded."""

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset({"agenda", "closed_themes", "reviews"})

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        failures: list[Failure] = []
        approved = snapshot.approved_agenda()
        if approved is None:
            failures.append(Failure(None, "agenda_not_approved"))
        else:
            failures.extend(
                Failure(None, "theme_open", {"theme": theme.title})
                for theme in approved.themes
                if not snapshot.is_theme_closed(theme.id)
            )
        if not snapshot.has_final_review():
            failures.append(Failure(None, "no_final_review"))
        return guard_result(self.kind, failures)

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """Every theme closed and a final review; no events are known to make it fail."""
        with known(self, holds, snapshot):
            if not holds:
                raise LookupError
            return _witness.completion(snapshot, settings)


@register("came_from")
@attrs.frozen
class CameFrom:
    """The last transition came from `state`: how ``resume`` returns to the remembered state."""

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset({"state"})
    state: str = attrs.field(validator=word)

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        if snapshot.previous == self.state:
            return guard_result(self.kind, [])
        return guard_result(
            self.kind, [Failure(None, "not_from", {"state": term("state", self.state)})]
        )

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """No events either way: the path itself decides where the last transition came from."""
        return []


# --- the factories: the public surface, re-exported by coopflow.guards ---------------------


def common_ground() -> CommonGround:
    """Two or more parties; an interest every party endorses; each party named its added value,
    depends on another and is depended on by another.

    Example:
        >>> from coopflow import guards
        >>> guards.common_ground()
        CommonGround()
    """
    return CommonGround()


def reciprocity() -> Reciprocity:
    """Every party committed at least one contribution (in kind counts) and named a gain.

    Example:
        >>> from coopflow import guards
        >>> guards.reciprocity()
        Reciprocity()
    """
    return Reciprocity()


def equal_standing(max_share: float | None = None) -> EqualStanding:
    """Consensus or unanimity, or weighted votes with no share above `max_share` (default: the
    settings' `max_weight_share`) and none at zero; and every party's voice at least the entry
    threshold.

    Example:
        >>> from coopflow import guards
        >>> guards.equal_standing()
        EqualStanding(max_share=None)
    """
    return EqualStanding(max_share=max_share)


def agenda_approved() -> AgendaApproved:
    """An agenda version approved by every party, with at least one theme, each theme with an
    owner among the parties, an indicator and a linked interest.

    Example:
        >>> from coopflow import guards
        >>> guards.agenda_approved()
        AgendaApproved()
    """
    return AgendaApproved()


def declaration_signed() -> DeclarationSigned:
    """Every current party signed the declaration on the approved agenda version.

    Example:
        >>> from coopflow import guards
        >>> guards.declaration_signed()
        DeclarationSigned()
    """
    return DeclarationSigned()


def roles_assigned(roles: Iterable[str] | None = None) -> RolesAssigned:
    """Every required role (default: the settings' `required_roles`) is held by a current
    party, and every party holds a role or owns a theme of the approved agenda.

    Example:
        >>> from coopflow import guards
        >>> guards.roles_assigned()
        RolesAssigned(roles=None)
    """
    return RolesAssigned(roles=roles)


def finances_covered(coverage: float | None = None) -> FinancesCovered:
    """A budget above zero, and committed money at least `coverage` (default: the settings')
    times the budget.

    Example:
        >>> from coopflow import guards
        >>> guards.finances_covered()
        FinancesCovered(coverage=None)
    """
    return FinancesCovered(coverage=coverage)


def completion() -> Completion:
    """Every theme of the approved agenda is closed and a final review is recorded.

    Example:
        >>> from coopflow import guards
        >>> guards.completion()
        Completion()
    """
    return Completion()


def came_from(state: str) -> CameFrom:
    """The last transition came from `state`: how ``resume`` returns to the remembered state.

    Example:
        >>> from coopflow import guards
        >>> guards.came_from("signing")
        CameFrom(state='signing')
    """
    return CameFrom(state)
