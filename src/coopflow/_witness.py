"""Witnesses: data events that make a guard hold (or, for conditions, not hold).

The checker explores a process over guard truth values; to turn one of its paths into a real
trajectory, each guard on the path must be made true with ordinary public events. A built-in
guard's witness is defined here; a custom guard may define a method
``witness(snapshot, settings, holds) -> Sequence[DataEvent]`` of its own, and one without it
makes replay raise an error naming its kind.
"""

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from coopflow import guards as g
from coopflow._events import (
    AgendaApproved,
    AgendaProposed,
    Assessed,
    BudgetSet,
    ContributionCommitted,
    DataEvent,
    DecisionRule,
    DecisionRuleSet,
    DeclarationSigned,
    DependencyDeclared,
    Dimension,
    InterestShared,
    Party,
    PartyJoined,
    PartyLeft,
    ReviewRecorded,
    RoleAssigned,
    Theme,
    ThemeClosed,
    ValueNamed,
)
from coopflow._process import Settings
from coopflow._snapshot import Snapshot
from coopflow.exceptions import TrajectoryError

Events = list[DataEvent]
_ENERGY = (Dimension.STAKE, Dimension.URGENCY, Dimension.IMPACT)


def _ids(snapshot: Snapshot) -> list[str]:
    return [party.id for party in snapshot.parties]


def _scores(snapshot: Snapshot, dimensions: Sequence[Dimension], value: float) -> Events:
    return [Assessed(p, d, value) for p in _ids(snapshot) for d in dimensions]


def _common_ground(snapshot: Snapshot, settings: Settings) -> Events:
    ids = _ids(snapshot)
    events: Events = [InterestShared("witness-interest", ids)]
    named = {value.party for value in snapshot.registers.values}
    events += [ValueNamed(p, "witness brings", "witness gains") for p in ids if p not in named]
    # A ring: every party depends on the next, so each depends and is depended on.
    events += [DependencyDeclared(p, ids[(i + 1) % len(ids)]) for i, p in enumerate(ids)]
    return events


def _reciprocity(snapshot: Snapshot, settings: Settings) -> Events:
    ids = _ids(snapshot)
    committed = {c.party for c in snapshot.registers.contributions if not c.withdrawn}
    count = len(snapshot.registers.contributions)
    events: Events = [
        ContributionCommitted(p, f"witness-contribution-{count + i}", in_kind=True)
        for i, p in enumerate(ids)
        if p not in committed
    ]
    gaining = {value.party for value in snapshot.registers.values}
    events += [ValueNamed(p, "witness brings", "witness gains") for p in ids if p not in gaining]
    return events


def _equal_standing(snapshot: Snapshot, settings: Settings) -> Events:
    events: Events = []
    if snapshot.registers.decision_rule is DecisionRule.WEIGHTED:
        events.append(DecisionRuleSet(DecisionRule.CONSENSUS))
    return events + _scores(snapshot, [Dimension.VOICE], settings.scale[1])


def _agenda(snapshot: Snapshot, settings: Settings) -> Events:
    ids = _ids(snapshot)
    agenda = snapshot.registers.agenda
    version = agenda[-1].version + 1 if agenda else 1
    events: Events = []
    interests = [i.id for i in snapshot.registers.interests]
    if not interests:
        events.append(InterestShared("witness-interest", ids))
        interests = ["witness-interest"]
    theme = Theme("witness-theme", "Witness theme", ids[0], "witness indicator", interests[:1])
    events.append(AgendaProposed(version, [theme]))
    events += [AgendaApproved(p, version) for p in ids]
    return events


def _approved_version(snapshot: Snapshot, settings: Settings, events: Events) -> int:
    approved = snapshot.approved_agenda()
    if approved is not None and approved.themes:
        return approved.version
    events += _agenda(snapshot, settings)
    proposal = next(e for e in events if isinstance(e, AgendaProposed))
    return proposal.version


def _declaration(snapshot: Snapshot, settings: Settings) -> Events:
    events: Events = []
    version = _approved_version(snapshot, settings, events)
    return events + [DeclarationSigned(p, "witness signatory", version) for p in _ids(snapshot)]


def _roles(snapshot: Snapshot, settings: Settings, required: Sequence[str]) -> Events:
    ids = _ids(snapshot)
    held = {role.role for role in snapshot.registers.roles if role.party in ids}
    events: Events = [RoleAssigned(role, ids[0]) for role in required if role not in held]
    events += [RoleAssigned(f"witness-role-{p}", p) for p in ids]
    return events


def _finances(snapshot: Snapshot, settings: Settings, coverage: float) -> Events:
    events: Events = []
    budget = snapshot.registers.budget
    if budget is None or budget <= 0:
        budget = Decimal(1000)
        events.append(BudgetSet(budget))
    needed = budget * Decimal(str(coverage)) - snapshot.committed_cash()
    if needed > 0:
        count = len(snapshot.registers.contributions)
        events.append(
            ContributionCommitted(snapshot.parties[0].id, f"witness-cash-{count}", cash=needed)
        )
    return events


def _completion(snapshot: Snapshot, settings: Settings) -> Events:
    events: Events = []
    approved = snapshot.approved_agenda()
    if approved is None:
        events += _agenda(snapshot, settings)
        themes = ["witness-theme"]
    else:
        themes = [theme.id for theme in approved.themes]
    events += [ThemeClosed(theme) for theme in themes]
    return [*events, ReviewRecorded("witness review", final=True)]


def _newcomer(snapshot: Snapshot) -> Party:
    return Party(f"witness-newcomer-{len(snapshot.registers.reviews) + snapshot.version}")


def _holds(guard: Any, snapshot: Snapshot, settings: Settings) -> Events:
    low, high = settings.scale
    first = snapshot.parties[0].id
    match guard:
        case g.CommonGround():
            return _common_ground(snapshot, settings)
        case g.Trust():
            return _scores(snapshot, [Dimension.TRUST], high)
        case g.Reciprocity():
            return _reciprocity(snapshot, settings)
        case g.EqualStanding():
            return _equal_standing(snapshot, settings)
        case g.Energy():
            return _scores(snapshot, _ENERGY, high)
        case g.AgendaApproved():
            return _agenda(snapshot, settings)
        case g.DeclarationSigned():
            return _declaration(snapshot, settings)
        case g.RolesAssigned():
            roles = settings.required_roles if guard.roles is None else guard.roles
            return _roles(snapshot, settings, roles)
        case g.FinancesCovered():
            coverage = settings.coverage if guard.coverage is None else guard.coverage
            return _finances(snapshot, settings, coverage)
        case g.Completion():
            return _completion(snapshot, settings)
        case g.QuorumLost():
            return [PartyLeft(p) for p in _ids(snapshot)[1:]]
        case g.DeclarationIncomplete():
            return [PartyJoined(_newcomer(snapshot))]
        case g.CultureBreached():
            return [Assessed(first, Dimension.TRUST, low)]
        case g.EnergyLost():
            return [Assessed(first, d, low) for d in _ENERGY]
        case g.FundingLost():
            # A budget that the committed cash covers for less than `coverage` of it.
            cash = snapshot.committed_cash()
            return [BudgetSet(cash / Decimal(str(settings.coverage)) + 1000)]
    raise LookupError


def _fails(guard: Any, snapshot: Snapshot, settings: Settings) -> Events:
    high = settings.scale[1]
    match guard:
        case g.QuorumLost():
            count = len(snapshot.parties)
            return [
                PartyJoined(Party(f"witness-member-{count + i}")) for i in range(max(0, 2 - count))
            ]
        case g.DeclarationIncomplete():
            return _declaration(snapshot, settings)
        case g.CultureBreached():
            events: Events = _scores(snapshot, [Dimension.TRUST, Dimension.VOICE], high)
            return events + _reciprocity(snapshot, settings)
        case g.EnergyLost():
            return _scores(snapshot, _ENERGY, high)
        case g.FundingLost():
            budget = snapshot.registers.budget
            if budget is None:
                return []
            return _finances(snapshot, settings, settings.coverage)
    raise LookupError


def witness(guard: Any, snapshot: Snapshot, settings: Settings, holds: bool = True) -> Events:
    """Events that make `guard` evaluate to `holds` when recorded into `snapshot` in order.

    Raises:
        TrajectoryError: no witness is known for this guard (a custom guard without one).
    """
    own: Callable[..., Sequence[DataEvent]] | None = getattr(guard, "witness", None)
    if own is not None:
        return list(own(snapshot, settings, holds))
    match guard:
        case g.AllOf() if holds:
            return [e for inner in guard.guards for e in witness(inner, snapshot, settings, True)]
        case g.AnyOf() if holds and guard.guards:
            return witness(guard.guards[0], snapshot, settings, True)
        case g.Not():
            return witness(guard.guard, snapshot, settings, not holds)
        case g.CameFrom():
            return []  # decided by the path itself, not by events
    try:
        return (_holds if holds else _fails)(guard, snapshot, settings)
    except LookupError:
        kind = getattr(type(guard), "kind", type(guard).__name__)
        wanted = "hold" if holds else "fail"
        raise TrajectoryError(
            f"guard {kind!r} has no witness: no known events make it {wanted}; "
            "give the guard class a witness(snapshot, settings, holds) method"
        ) from None
