"""Witnesses: data events that make a guard hold (or, for conditions, not hold).

The checker explores a process over guard truth values; to turn one of its paths into a real
trajectory, each guard on the path must be made true with ordinary public events. A built-in
guard's witness is defined here; a custom guard may define a method
``witness(snapshot, settings, holds) -> Sequence[DataEvent]`` of its own, and one without it
makes replay raise an error naming its kind.
"""

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

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
    FactRecorded,
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
from coopflow._settings import Settings
from coopflow._snapshot import Snapshot
from coopflow._text import Phrase, shown
from coopflow.exceptions import TrajectoryError
from coopflow.guards import _combinators as gc
from coopflow.guards import _conditions as gk
from coopflow.guards import _cooperation as gp
from coopflow.guards import _facts as gf
from coopflow.guards import _scores as gs
from coopflow.guards._select import select

Events = list[DataEvent]
_ENERGY = (Dimension.STAKE, Dimension.URGENCY, Dimension.IMPACT)


def _ids(snapshot: Snapshot) -> list[str]:
    return [party.id for party in snapshot.parties]


def _scores(snapshot: Snapshot, dimensions: Sequence[Dimension], value: float) -> Events:
    return [Assessed(p, d, value) for p in _ids(snapshot) for d in dimensions]


def _common_ground(snapshot: Snapshot, settings: Settings) -> Events:
    ids = _ids(snapshot)
    events: Events = [InterestShared("witness-interest", ids)]
    events += [
        ValueNamed(p, "witness brings", "witness gains")
        for p in ids
        if not snapshot.has_named_value(p)
    ]
    # A ring: every party depends on the next, so each depends and is depended on.
    events += [DependencyDeclared(p, ids[(i + 1) % len(ids)]) for i, p in enumerate(ids)]
    return events


def _reciprocity(snapshot: Snapshot, settings: Settings) -> Events:
    ids = _ids(snapshot)
    count = len(snapshot.registers.contributions)
    events: Events = [
        ContributionCommitted(p, f"witness-contribution-{count + i}", in_kind=True)
        for i, p in enumerate(ids)
        if not snapshot.has_committed(p)
    ]
    events += [
        ValueNamed(p, "witness brings", "witness gains")
        for p in ids
        if not snapshot.has_named_value(p)
    ]
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
    events: Events = [
        RoleAssigned(role, ids[0]) for role in required if snapshot.role_holder(role) is None
    ]
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


def _chosen(snapshot: Snapshot, selection: Any) -> tuple[list[str], Events]:
    """The ids a selection picks, and events that make it pick someone when it picks nobody."""
    if selection == "all":
        selection = None
    chosen, _ = select(snapshot, selection)
    if isinstance(selection, tuple):
        # Every id named must take part: the absent ones join.
        present = {party.id for party in chosen}
        named = list(dict.fromkeys(selection))
        return named, [PartyJoined(Party(id)) for id in named if id not in present]
    if chosen:
        ids = [party.id for party in chosen]
        return (ids[:1] if selection == "any" else ids), []
    if isinstance(selection, Mapping):
        key, id = next(iter(selection.items()))
        if key == "role":
            first = snapshot.parties[0].id
            return [first], [RoleAssigned(id, first)]
        newcomer = _newcomer(snapshot)
        party = Party(newcomer.id, tags={id}) if key == "tag" else Party(newcomer.id, sector=id)
        return [party.id], [PartyJoined(party)]
    raise LookupError  # nobody takes part at all


def _every(selection: Any) -> Any:
    """A condition over "any" holds only when every party has a finding: all of them."""
    return None if selection == "any" else selection


def _generic_holds(guard: Any, snapshot: Snapshot, settings: Settings) -> Events:
    low, high = settings.scale
    match guard:
        case gs.Score():
            ids, events = _chosen(snapshot, guard.parties)
            return events + [Assessed(p, guard.dimension, high) for p in ids]
        case gs.MeanScore():
            ids, events = _chosen(snapshot, guard.parties)
            return events + [Assessed(p, d, high) for p in ids for d in guard.dimensions]
        case gs.ScoreBelow():
            threshold = settings.regression_threshold if guard.below is None else guard.below
            ids, events = _chosen(snapshot, _every(guard.parties))
            if threshold <= low:
                raise LookupError
            return events + [Assessed(p, guard.dimension, low) for p in ids]
        case gf.Fact() if guard.parties is None:
            return [FactRecorded(guard.fact)]
        case gf.Fact():
            ids, events = _chosen(snapshot, guard.parties)
            return events + [FactRecorded(guard.fact, party=p) for p in ids]
        case gf.FactRevoked() if guard.parties is None:
            return [FactRecorded(guard.fact), FactRecorded(guard.fact, holds=False)]
        case _:  # fact_revoked of parties
            ids, events = _chosen(snapshot, _every(guard.parties))
            return events + [
                e
                for p in (ids if guard.parties == "any" else ids[:1])
                for e in (
                    FactRecorded(guard.fact, party=p),
                    FactRecorded(guard.fact, party=p, holds=False),
                )
            ]


def _generic_fails(guard: Any, snapshot: Snapshot, settings: Settings) -> Events:
    low, high = settings.scale
    ids = [
        party.id
        for party in select(snapshot, None if guard.parties in (None, "all") else guard.parties)[0]
    ]
    if not ids and guard.parties not in (None, "all"):
        return []  # a selection that finds nobody: a guard fails, a condition does not hold
    if not ids:
        raise LookupError  # nobody takes part at all
    match guard:
        case gs.Score():
            threshold = settings.entry_threshold if guard.at_least is None else guard.at_least
            if threshold <= low:
                raise LookupError
            return [Assessed(p, guard.dimension, low) for p in ids]
        case gs.MeanScore():
            threshold = settings.entry_threshold if guard.at_least is None else guard.at_least
            if threshold <= low:
                raise LookupError
            return [Assessed(p, d, low) for p in ids for d in guard.dimensions]
        case gs.ScoreBelow():
            return [Assessed(p, guard.dimension, high) for p in ids]
        case gf.Fact() if guard.parties is None:
            return [FactRecorded(guard.fact, holds=False)]
        case gf.Fact():
            return [FactRecorded(guard.fact, party=p, holds=False) for p in ids]
        case gf.FactRevoked() if guard.parties is None:
            return [FactRecorded(guard.fact)]
        case _:  # fact_revoked of parties
            return [FactRecorded(guard.fact, party=p) for p in ids]


_GENERIC = (gs.Score, gs.MeanScore, gs.ScoreBelow, gf.Fact, gf.FactRevoked)


def _holds(guard: Any, snapshot: Snapshot, settings: Settings) -> Events:
    if isinstance(guard, _GENERIC):
        return _generic_holds(guard, snapshot, settings)
    low, high = settings.scale
    first = snapshot.parties[0].id
    match guard:
        case gp.CommonGround():
            return _common_ground(snapshot, settings)
        case gs.Trust():
            return _scores(snapshot, [Dimension.TRUST], high)
        case gp.Reciprocity():
            return _reciprocity(snapshot, settings)
        case gp.EqualStanding():
            return _equal_standing(snapshot, settings)
        case gs.Energy():
            return _scores(snapshot, _ENERGY, high)
        case gp.AgendaApproved():
            return _agenda(snapshot, settings)
        case gp.DeclarationSigned():
            return _declaration(snapshot, settings)
        case gp.RolesAssigned():
            roles = settings.required_roles if guard.roles is None else guard.roles
            return _roles(snapshot, settings, roles)
        case gp.FinancesCovered():
            coverage = settings.coverage if guard.coverage is None else guard.coverage
            return _finances(snapshot, settings, coverage)
        case gp.Completion():
            return _completion(snapshot, settings)
        case gk.QuorumLost():
            return [PartyLeft(p) for p in _ids(snapshot)[1:]]
        case gk.DeclarationIncomplete():
            return [PartyJoined(_newcomer(snapshot))]
        case gk.CultureBreached():
            return [Assessed(first, Dimension.TRUST, low)]
        case gs.EnergyLost():
            return [Assessed(first, d, low) for d in _ENERGY]
        case gk.FundingLost():
            # A budget that the committed cash covers for less than `coverage` of it.
            cash = snapshot.committed_cash()
            return [BudgetSet(cash / Decimal(str(settings.coverage)) + 1000)]
    raise LookupError


def _fails(guard: Any, snapshot: Snapshot, settings: Settings) -> Events:
    high = settings.scale[1]
    match guard:
        case gs.Score() | gs.MeanScore() | gs.ScoreBelow() | gf.Fact() | gf.FactRevoked():
            return _generic_fails(guard, snapshot, settings)
        case gk.QuorumLost():
            count = len(snapshot.parties)
            return [
                PartyJoined(Party(f"witness-member-{count + i}")) for i in range(max(0, 2 - count))
            ]
        case gk.DeclarationIncomplete():
            return _declaration(snapshot, settings)
        case gk.CultureBreached():
            events: Events = _scores(snapshot, [Dimension.TRUST, Dimension.VOICE], high)
            return events + _reciprocity(snapshot, settings)
        case gs.EnergyLost():
            return _scores(snapshot, _ENERGY, high)
        case gk.FundingLost():
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
        case gc.AllOf() if holds:
            return [e for inner in guard.guards for e in witness(inner, snapshot, settings, True)]
        case gc.AnyOf() if holds and guard.guards:
            return witness(guard.guards[0], snapshot, settings, True)
        case gc.Not():
            return witness(guard.guard, snapshot, settings, not holds)
        case gp.CameFrom():
            return []  # decided by the path itself, not by events
    try:
        return (_holds if holds else _fails)(guard, snapshot, settings)
    except LookupError:
        kind = getattr(type(guard), "kind", type(guard).__name__)
        raise TrajectoryError(
            Phrase(
                "guard {kind} has no witness: no known events make it hold; "
                "give the guard class a witness(snapshot, settings, holds) method"
                if holds
                else "guard {kind} has no witness: no known events make it fail; "
                "give the guard class a witness(snapshot, settings, holds) method",
                kind=shown(kind),
            )
        ) from None
