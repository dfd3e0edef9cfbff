"""Guards: the conditions of good cooperation, as frozen data.

A guard is a frozen attrs value with a stable `kind` name and its parameters. Called with a
snapshot, the settings and the time of evaluation, it returns a `GuardResult` saying whether it
holds and, when it does not, which party failed and why. Guards never read the clock or do I/O,
so evaluating them has no side effects.

The same building blocks serve as the *conditions* of the automatic regressions
(`quorum_lost`, `declaration_incomplete`, `culture_breached`, `energy_lost`, `funding_lost`):
for a condition, ``passed`` means it holds and ``failures`` lists the findings that make it hold.

Example:
    >>> import coopflow as cf
    >>> from coopflow import guards
    >>> p = cf.default_process()
    >>> t = cf.Trajectory.start(p, parties=[cf.Party("a"), cf.Party("b")])
    >>> result = guards.trust()(t.snapshot, p.settings, t.snapshot.at)
    >>> result.passed, [f.key for f in result.failures]
    (False, ['score_missing', 'score_missing'])
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar, runtime_checkable

import attrs

from coopflow._events import DecisionRule, Dimension, is_number, is_text
from coopflow._results import Failure, GuardResult
from coopflow._snapshot import Snapshot
from coopflow.exceptions import InvalidProcessError, UnknownNameError, shown

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    from coopflow._process import Settings

__all__ = [
    "AgendaApproved",
    "AllOf",
    "AnyOf",
    "CameFrom",
    "CommonGround",
    "Completion",
    "CultureBreached",
    "DeclarationIncomplete",
    "DeclarationSigned",
    "Energy",
    "EnergyLost",
    "EqualStanding",
    "FinancesCovered",
    "FundingLost",
    "Guard",
    "Not",
    "QuorumLost",
    "Reciprocity",
    "RolesAssigned",
    "Trust",
    "agenda_approved",
    "all_of",
    "any_of",
    "came_from",
    "common_ground",
    "completion",
    "culture_breached",
    "declaration_incomplete",
    "declaration_signed",
    "energy",
    "energy_lost",
    "equal_standing",
    "finances_covered",
    "funding_lost",
    "kinds",
    "not_",
    "quorum_lost",
    "reciprocity",
    "register",
    "roles_assigned",
    "trust",
]


@runtime_checkable
class Guard(Protocol):
    """What every guard is: a callable with a registered `kind` name.

    Example:
        >>> from coopflow import guards
        >>> isinstance(guards.trust(), guards.Guard)
        True
    """

    kind: ClassVar[str]

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard: does it hold, and if not, why not."""
        ...  # pragma: no cover - a protocol has no body


_REGISTRY: dict[str, type] = {}
G = TypeVar("G", bound=type)


def register(kind: str) -> Callable[[G], G]:
    """Register a guard class under a stable kind name (a class decorator).

    Raises:
        InvalidProcessError: the kind is empty or taken by another class.

    Example:
        >>> import attrs
        >>> import coopflow as cf
        >>> from coopflow import guards
        >>> @guards.register("always")
        ... @attrs.frozen
        ... class Always:
        ...     def __call__(self, snapshot, settings, at):
        ...         return cf.GuardResult(self.kind, True)
        >>> Always.kind, "always" in guards.kinds()
        ('always', True)
    """
    if not isinstance(kind, str) or not kind.strip():
        raise InvalidProcessError([f"guard kind {shown(kind)} must be a non-empty string"])

    def decorate(cls: G) -> G:
        existing = _REGISTRY.get(kind)
        if existing is not None and existing is not cls:
            raise InvalidProcessError([f"guard kind {shown(kind)} is already registered"])
        cls.kind = kind  # type: ignore[attr-defined]
        _REGISTRY[kind] = cls
        return cls

    return decorate


def kinds() -> tuple[str, ...]:
    """The registered guard kinds, sorted.

    Example:
        >>> from coopflow import guards
        >>> "trust" in guards.kinds()
        True
    """
    return tuple(sorted(_REGISTRY))


def guard_class(kind: str) -> type:
    """The class registered under `kind`; `UnknownNameError` when there is none."""
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise UnknownNameError("guard kind", kind) from None


# --- parameter checks ---------------------------------------------------------------------------


def _optional_float(value: object) -> float | None:
    # Numbers become floats, so 4 and 4.0 serialise alike; the validator reports anything else.
    return float(value) if is_number(value) else value  # type: ignore[arg-type,return-value]


def _optional_number(instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    if value is None:
        return
    if not is_number(value):
        raise InvalidProcessError(
            [f"{type(instance).__name__}.{attribute.name} {shown(value)} must be a finite number"]
        )


def _to_optional_names(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidProcessError([f"roles {shown(value)} must be a collection of role names"])
    names = tuple(value)
    if not all(is_text(name) for name in names):
        raise InvalidProcessError([f"roles {shown(value)} must be non-empty strings"])
    return names


def _guards(value: object) -> tuple[Guard, ...]:
    items = tuple(value) if isinstance(value, Iterable) else (value,)
    for item in items:
        if not isinstance(item, Guard):
            raise InvalidProcessError([f"{shown(item)} is not a guard"])
    return items


def _one_guard(value: object) -> Guard:
    return _guards((value,))[0]


def _state_name(instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    if not is_text(value):
        raise InvalidProcessError([f"came_from state {shown(value)} must be a non-empty string"])


# --- shared checks ------------------------------------------------------------------------------


def _result(kind: str, failures: list[Failure]) -> GuardResult:
    return GuardResult(kind, not failures, tuple(failures))


def _condition(kind: str, findings: list[Failure]) -> GuardResult:
    return GuardResult(kind, bool(findings), tuple(findings))


def _at_least(
    snapshot: Snapshot,
    settings: "Settings",
    at: datetime,
    dimension: Dimension,
    threshold: float,
    failures: list[Failure],
) -> None:
    for party in snapshot.parties:
        score = snapshot.score(party.id, dimension, at=at, max_age=settings.max_score_age)
        if score is None:
            failures.append(
                Failure(
                    party.id, "score_missing", {"name": party.name, "dimension": dimension.value}
                )
            )
        elif score < threshold:
            failures.append(
                Failure(
                    party.id,
                    "score_below",
                    {
                        "name": party.name,
                        "dimension": dimension.value,
                        "score": score,
                        "threshold": threshold,
                    },
                )
            )


_ENERGY = (Dimension.STAKE, Dimension.URGENCY, Dimension.IMPACT)


def _energy_scores(
    snapshot: Snapshot, settings: "Settings", at: datetime, party: str
) -> list[float | None]:
    return [
        snapshot.score(party, dimension, at=at, max_age=settings.max_score_age)
        for dimension in _ENERGY
    ]


def _unsigned(snapshot: Snapshot) -> list[Failure]:
    approved = snapshot.approved_agenda()
    if approved is None:
        return [Failure(None, "agenda_not_approved")]
    signed = {s.party for s in snapshot.registers.signatures if s.version == approved.version}
    return [
        Failure(party.id, "not_signed", {"name": party.name, "version": approved.version})
        for party in snapshot.parties
        if party.id not in signed
    ]


def _cash_short(snapshot: Snapshot, coverage: float) -> Failure | None:
    budget = snapshot.registers.budget
    if budget is None:
        return None
    needed = budget * Decimal(str(coverage))
    cash = snapshot.committed_cash()
    if cash < needed:
        return Failure(None, "cash_short", {"cash": float(cash), "needed": float(needed)})
    return None


# --- the guards of the default process ----------------------------------------------------------


@register("common_ground")
@attrs.frozen
class CommonGround:
    """Two or more parties; an interest every party endorses; each party named its added value,
    depends on another and is depended on by another.

    Example:
        >>> from coopflow import guards
        >>> guards.CommonGround().kind
        'common_ground'
    """

    kind: ClassVar[str]

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        failures: list[Failure] = []
        parties = snapshot.parties
        ids = frozenset(party.id for party in parties)
        if len(parties) < 2:
            failures.append(Failure(None, "too_few_parties", {"count": len(parties)}))
        r = snapshot.registers
        if not any(ids <= interest.parties for interest in r.interests):
            failures.append(Failure(None, "no_common_interest"))
        named = {value.party for value in r.values}
        depends = {d.party for d in r.dependencies if d.depends_on in ids}
        depended = {d.depends_on for d in r.dependencies if d.party in ids}
        for party in parties:
            if party.id not in named:
                failures.append(Failure(party.id, "value_missing", {"name": party.name}))
            if party.id not in depends:
                failures.append(Failure(party.id, "depends_on_nobody", {"name": party.name}))
            if party.id not in depended:
                failures.append(Failure(party.id, "nobody_depends_on", {"name": party.name}))
        return _result(self.kind, failures)


@register("trust")
@attrs.frozen
class Trust:
    """Every party's trust is at least `threshold` (default: the entry threshold).

    Example:
        >>> from coopflow import guards
        >>> guards.Trust(threshold=4.0).threshold
        4.0
    """

    kind: ClassVar[str]
    threshold: float | None = attrs.field(
        kw_only=True, default=None, validator=_optional_number, converter=_optional_float
    )

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        threshold = settings.entry_threshold if self.threshold is None else self.threshold
        failures: list[Failure] = []
        _at_least(snapshot, settings, at, Dimension.TRUST, threshold, failures)
        return _result(self.kind, failures)


@register("reciprocity")
@attrs.frozen
class Reciprocity:
    """Every party committed at least one contribution (in kind counts) and named a gain.

    Example:
        >>> from coopflow import guards
        >>> guards.Reciprocity().kind
        'reciprocity'
    """

    kind: ClassVar[str]

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        failures: list[Failure] = []
        contributing = {c.party for c in snapshot.registers.contributions if not c.withdrawn}
        gaining = {value.party for value in snapshot.registers.values}
        for party in snapshot.parties:
            if party.id not in contributing:
                failures.append(Failure(party.id, "no_contribution", {"name": party.name}))
            if party.id not in gaining:
                failures.append(Failure(party.id, "gain_missing", {"name": party.name}))
        return _result(self.kind, failures)


@register("equal_standing")
@attrs.frozen
class EqualStanding:
    """Consensus or unanimity, or weighted votes with no share above `max_share` and none at
    zero; and every party's voice at least the entry threshold.

    Example:
        >>> from coopflow import guards
        >>> guards.EqualStanding(max_share=0.4).max_share
        0.4
    """

    kind: ClassVar[str]
    max_share: float | None = attrs.field(
        kw_only=True, default=None, validator=_optional_number, converter=_optional_float
    )

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
        _at_least(snapshot, settings, at, Dimension.VOICE, settings.entry_threshold, failures)
        return _result(self.kind, failures)


@register("energy")
@attrs.frozen
class Energy:
    """Every party's stake, urgency and impact are each at least the regression threshold, and
    their mean at least the entry threshold.

    Example:
        >>> from coopflow import guards
        >>> guards.Energy().kind
        'energy'
    """

    kind: ClassVar[str]

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        failures: list[Failure] = []
        for party in snapshot.parties:
            scores = _energy_scores(snapshot, settings, at, party.id)
            present: list[float] = []
            for dimension, score in zip(_ENERGY, scores, strict=True):
                if score is None:
                    params: dict[str, Any] = {"name": party.name, "dimension": dimension.value}
                    failures.append(Failure(party.id, "score_missing", params))
                    continue
                present.append(score)
                if score < settings.regression_threshold:
                    params = {
                        "name": party.name,
                        "dimension": dimension.value,
                        "score": score,
                        "threshold": settings.regression_threshold,
                    }
                    failures.append(Failure(party.id, "score_below", params))
            if len(present) == len(_ENERGY):
                mean = sum(present) / len(present)
                if mean < settings.entry_threshold:
                    params = {
                        "name": party.name,
                        "mean": mean,
                        "threshold": settings.entry_threshold,
                    }
                    failures.append(Failure(party.id, "energy_low", params))
        return _result(self.kind, failures)


@register("agenda_approved")
@attrs.frozen
class AgendaApproved:
    """An agenda version approved by every party, with at least one theme, each theme with an
    owner among the parties, an indicator and a linked interest.

    Example:
        >>> from coopflow import guards
        >>> guards.AgendaApproved().kind
        'agenda_approved'
    """

    kind: ClassVar[str]

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        approved = snapshot.approved_agenda()
        if approved is None:
            return _result(self.kind, [Failure(None, "agenda_not_approved")])
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
        return _result(self.kind, failures)


@register("declaration_signed")
@attrs.frozen
class DeclarationSigned:
    """Every current party signed the approved agenda version.

    Example:
        >>> from coopflow import guards
        >>> guards.DeclarationSigned().kind
        'declaration_signed'
    """

    kind: ClassVar[str]

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        return _result(self.kind, _unsigned(snapshot))


@register("roles_assigned")
@attrs.frozen
class RolesAssigned:
    """Every required role (default: the settings' `required_roles`) is held by a current
    party, and every party holds a role or owns a theme of the approved agenda.

    Example:
        >>> from coopflow import guards
        >>> guards.RolesAssigned(roles=["secretary"]).roles
        ('secretary',)
    """

    kind: ClassVar[str]
    roles: tuple[str, ...] | None = attrs.field(
        kw_only=True, default=None, converter=_to_optional_names
    )

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        failures: list[Failure] = []
        ids = {party.id for party in snapshot.parties}
        held = {role.role for role in snapshot.registers.roles if role.party in ids}
        required = settings.required_roles if self.roles is None else self.roles
        failures.extend(
            Failure(None, "role_missing", {"role": role}) for role in required if role not in held
        )
        busy = {role.party for role in snapshot.registers.roles}
        approved = snapshot.approved_agenda()
        if approved is not None:
            busy.update(theme.owner for theme in approved.themes)
        failures.extend(
            Failure(party.id, "no_role", {"name": party.name})
            for party in snapshot.parties
            if party.id not in busy
        )
        return _result(self.kind, failures)


@register("finances_covered")
@attrs.frozen
class FinancesCovered:
    """A budget above zero, and committed money at least `coverage` (default: the settings')
    times the budget.

    Example:
        >>> from coopflow import guards
        >>> guards.FinancesCovered(coverage=0.8).coverage
        0.8
    """

    kind: ClassVar[str]
    coverage: float | None = attrs.field(
        kw_only=True, default=None, validator=_optional_number, converter=_optional_float
    )

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        budget = snapshot.registers.budget
        if budget is None or budget <= 0:
            return _result(self.kind, [Failure(None, "budget_missing")])
        coverage = settings.coverage if self.coverage is None else self.coverage
        short = _cash_short(snapshot, coverage)
        return _result(self.kind, [] if short is None else [short])


@register("completion")
@attrs.frozen
class Completion:
    """Every theme of the approved agenda is closed and a final review is recorded.

    Example:
        >>> from coopflow import guards
        >>> guards.Completion().kind
        'completion'
    """

    kind: ClassVar[str]

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        failures: list[Failure] = []
        approved = snapshot.approved_agenda()
        if approved is None:
            failures.append(Failure(None, "agenda_not_approved"))
        else:
            closed = snapshot.registers.closed_themes
            failures.extend(
                Failure(None, "theme_open", {"theme": theme.title})
                for theme in approved.themes
                if theme.id not in closed
            )
        if not any(review.final for review in snapshot.registers.reviews):
            failures.append(Failure(None, "no_final_review"))
        return _result(self.kind, failures)


@register("came_from")
@attrs.frozen
class CameFrom:
    """The last transition came from `state`: how ``resume`` returns to the remembered state.

    Example:
        >>> from coopflow import guards
        >>> guards.CameFrom("signing").state
        'signing'
    """

    kind: ClassVar[str]
    state: str = attrs.field(validator=_state_name)

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        if snapshot.previous == self.state:
            return _result(self.kind, [])
        return _result(self.kind, [Failure(None, "not_from", {"state": self.state})])


# --- the conditions of the automatic regressions ------------------------------------------------


@register("quorum_lost")
@attrs.frozen
class QuorumLost:
    """Holds when fewer than two parties are left.

    Example:
        >>> from coopflow import guards
        >>> guards.QuorumLost().kind
        'quorum_lost'
    """

    kind: ClassVar[str]

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the condition (see the class docstring)."""
        count = len(snapshot.parties)
        findings = [Failure(None, "too_few_parties", {"count": count})] if count < 2 else []
        return _condition(self.kind, findings)


@register("declaration_incomplete")
@attrs.frozen
class DeclarationIncomplete:
    """Holds when some current party has not signed the approved agenda version.

    Example:
        >>> from coopflow import guards
        >>> guards.DeclarationIncomplete().kind
        'declaration_incomplete'
    """

    kind: ClassVar[str]

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the condition (see the class docstring)."""
        return _condition(self.kind, _unsigned(snapshot))


@register("culture_breached")
@attrs.frozen
class CultureBreached:
    """Holds when some party's present trust or voice is under the regression threshold, or
    some party withdrew a contribution and has none committed left.

    Example:
        >>> from coopflow import guards
        >>> guards.CultureBreached().kind
        'culture_breached'
    """

    kind: ClassVar[str]

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the condition (see the class docstring)."""
        findings: list[Failure] = []
        threshold = settings.regression_threshold
        for dimension in (Dimension.TRUST, Dimension.VOICE):
            for party in snapshot.parties:
                score = snapshot.score(party.id, dimension, at=at, max_age=settings.max_score_age)
                if score is not None and score < threshold:
                    params = {
                        "name": party.name,
                        "dimension": dimension.value,
                        "score": score,
                        "threshold": threshold,
                    }
                    findings.append(Failure(party.id, "score_below", params))
        withdrew = {c.party for c in snapshot.registers.contributions if c.withdrawn}
        committed = {c.party for c in snapshot.registers.contributions if not c.withdrawn}
        findings.extend(
            Failure(party.id, "contribution_withdrawn", {"name": party.name})
            for party in snapshot.parties
            if party.id in withdrew and party.id not in committed
        )
        return _condition(self.kind, findings)


@register("energy_lost")
@attrs.frozen
class EnergyLost:
    """Holds when some party's stake, urgency and impact are all present and their mean is under
    the regression threshold.

    Example:
        >>> from coopflow import guards
        >>> guards.EnergyLost().kind
        'energy_lost'
    """

    kind: ClassVar[str]

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the condition (see the class docstring)."""
        findings: list[Failure] = []
        threshold = settings.regression_threshold
        for party in snapshot.parties:
            scores = _energy_scores(snapshot, settings, at, party.id)
            if None in scores:
                continue
            mean = sum(score for score in scores if score is not None) / len(scores)
            if mean < threshold:
                params = {"name": party.name, "mean": mean, "threshold": threshold}
                findings.append(Failure(party.id, "energy_low", params))
        return _condition(self.kind, findings)


@register("funding_lost")
@attrs.frozen
class FundingLost:
    """Holds when a budget is set and committed money is under coverage times the budget.

    Example:
        >>> from coopflow import guards
        >>> guards.FundingLost().kind
        'funding_lost'
    """

    kind: ClassVar[str]

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the condition (see the class docstring)."""
        short = _cash_short(snapshot, settings.coverage)
        return _condition(self.kind, [] if short is None else [short])


# --- combinators --------------------------------------------------------------------------------


@register("all_of")
@attrs.frozen
class AllOf:
    """Holds when every one of `guards` holds; all are evaluated, their failures combined.

    Example:
        >>> from coopflow import guards
        >>> len(guards.AllOf((guards.trust(), guards.energy())).guards)
        2
    """

    kind: ClassVar[str]
    guards: tuple[Guard, ...] = attrs.field(converter=_guards)

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate every guard (see the class docstring)."""
        results = [guard(snapshot, settings, at) for guard in self.guards]
        failures = [f for result in results if not result.passed for f in result.failures]
        return GuardResult(self.kind, all(r.passed for r in results), tuple(failures))


@register("any_of")
@attrs.frozen
class AnyOf:
    """Holds when at least one of `guards` holds; when none does, every failure is listed.

    Example:
        >>> from coopflow import guards
        >>> len(guards.AnyOf((guards.trust(), guards.energy())).guards)
        2
    """

    kind: ClassVar[str]
    guards: tuple[Guard, ...] = attrs.field(converter=_guards)

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate every guard (see the class docstring)."""
        results = [guard(snapshot, settings, at) for guard in self.guards]
        if any(result.passed for result in results):
            return GuardResult(self.kind, True)
        return GuardResult(self.kind, False, tuple(f for r in results for f in r.failures))


@register("not")
@attrs.frozen
class Not:
    """Holds when `guard` does not; when it does, its findings say why that is a failure.

    Example:
        >>> from coopflow import guards
        >>> guards.Not(guards.quorum_lost()).guard.kind
        'quorum_lost'
    """

    kind: ClassVar[str]
    guard: Guard = attrs.field(converter=_one_guard)

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the inner guard and negate it (see the class docstring)."""
        inner = self.guard(snapshot, settings, at)
        if not inner.passed:
            return GuardResult(self.kind, True)
        failures = inner.failures or (Failure(None, "must_not_hold", {"guard": inner.guard}),)
        return GuardResult(self.kind, False, failures)


# --- factories: the readable way to write a process ----------------------------------------------


def common_ground() -> CommonGround:
    """The `CommonGround` guard.

    Example:
        >>> from coopflow import guards
        >>> guards.common_ground()
        CommonGround()
    """
    return CommonGround()


def trust(threshold: float | None = None) -> Trust:
    """The `Trust` guard; `threshold` defaults to the process's entry threshold.

    Example:
        >>> from coopflow import guards
        >>> guards.trust(threshold=4.0)
        Trust(threshold=4.0)
    """
    return Trust(threshold=threshold)


def reciprocity() -> Reciprocity:
    """The `Reciprocity` guard.

    Example:
        >>> from coopflow import guards
        >>> guards.reciprocity()
        Reciprocity()
    """
    return Reciprocity()


def equal_standing(max_share: float | None = None) -> EqualStanding:
    """The `EqualStanding` guard; `max_share` defaults to the settings' `max_weight_share`.

    Example:
        >>> from coopflow import guards
        >>> guards.equal_standing()
        EqualStanding(max_share=None)
    """
    return EqualStanding(max_share=max_share)


def energy() -> Energy:
    """The `Energy` guard.

    Example:
        >>> from coopflow import guards
        >>> guards.energy()
        Energy()
    """
    return Energy()


def agenda_approved() -> AgendaApproved:
    """The `AgendaApproved` guard.

    Example:
        >>> from coopflow import guards
        >>> guards.agenda_approved()
        AgendaApproved()
    """
    return AgendaApproved()


def declaration_signed() -> DeclarationSigned:
    """The `DeclarationSigned` guard.

    Example:
        >>> from coopflow import guards
        >>> guards.declaration_signed()
        DeclarationSigned()
    """
    return DeclarationSigned()


def roles_assigned(roles: Iterable[str] | None = None) -> RolesAssigned:
    """The `RolesAssigned` guard; `roles` defaults to the settings' `required_roles`.

    Example:
        >>> from coopflow import guards
        >>> guards.roles_assigned()
        RolesAssigned(roles=None)
    """
    return RolesAssigned(roles=roles)


def finances_covered(coverage: float | None = None) -> FinancesCovered:
    """The `FinancesCovered` guard; `coverage` defaults to the settings' `coverage`.

    Example:
        >>> from coopflow import guards
        >>> guards.finances_covered()
        FinancesCovered(coverage=None)
    """
    return FinancesCovered(coverage=coverage)


def completion() -> Completion:
    """The `Completion` guard.

    Example:
        >>> from coopflow import guards
        >>> guards.completion()
        Completion()
    """
    return Completion()


def came_from(state: str) -> CameFrom:
    """The `CameFrom` guard for `state`.

    Example:
        >>> from coopflow import guards
        >>> guards.came_from("signing")
        CameFrom(state='signing')
    """
    return CameFrom(state)


def quorum_lost() -> QuorumLost:
    """The `QuorumLost` condition.

    Example:
        >>> from coopflow import guards
        >>> guards.quorum_lost()
        QuorumLost()
    """
    return QuorumLost()


def declaration_incomplete() -> DeclarationIncomplete:
    """The `DeclarationIncomplete` condition.

    Example:
        >>> from coopflow import guards
        >>> guards.declaration_incomplete()
        DeclarationIncomplete()
    """
    return DeclarationIncomplete()


def culture_breached() -> CultureBreached:
    """The `CultureBreached` condition.

    Example:
        >>> from coopflow import guards
        >>> guards.culture_breached()
        CultureBreached()
    """
    return CultureBreached()


def energy_lost() -> EnergyLost:
    """The `EnergyLost` condition.

    Example:
        >>> from coopflow import guards
        >>> guards.energy_lost()
        EnergyLost()
    """
    return EnergyLost()


def funding_lost() -> FundingLost:
    """The `FundingLost` condition.

    Example:
        >>> from coopflow import guards
        >>> guards.funding_lost()
        FundingLost()
    """
    return FundingLost()


def all_of(*guards: Guard) -> AllOf:
    """A guard that holds when all of `guards` hold.

    Example:
        >>> from coopflow import guards
        >>> guards.all_of(guards.trust(), guards.energy()).kind
        'all_of'
    """
    return AllOf(guards)


def any_of(*guards: Guard) -> AnyOf:
    """A guard that holds when any of `guards` holds.

    Example:
        >>> from coopflow import guards
        >>> guards.any_of(guards.trust(), guards.energy()).kind
        'any_of'
    """
    return AnyOf(guards)


def not_(guard: Guard) -> Not:
    """A guard that holds when `guard` does not.

    Example:
        >>> from coopflow import guards
        >>> guards.not_(guards.trust()).kind
        'not'
    """
    return Not(guard)
