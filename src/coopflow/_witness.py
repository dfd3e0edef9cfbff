"""Witnesses: data events that make a guard hold (or, for conditions, not hold).

The checker explores a process over guard truth values; to turn one of its paths into a real
trajectory, each guard on the path must be made true with ordinary public events. Every guard
class says its own witness, built-in or custom, with a method
``witness(snapshot, settings, holds) -> Sequence[DataEvent]``; `witness` asks it, and a guard
without one makes replay raise an error naming its kind. The built-in guards' methods are
written beside them, in their family's module, from the helpers below; this module names no
guard class.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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
    InterestShared,
    Party,
    PartyJoined,
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

Events = list[DataEvent]
ENERGY_DIMENSIONS = (Dimension.STAKE, Dimension.URGENCY, Dimension.IMPACT)


def party_ids(snapshot: Snapshot) -> list[str]:
    """The ids of the parties in `snapshot`, in order."""
    return [party.id for party in snapshot.parties]


def assessed(snapshot: Snapshot, dimensions: Sequence[Dimension], value: float) -> Events:
    """Every party's score on each of `dimensions`, at `value`."""
    return [Assessed(p, d, value) for p in party_ids(snapshot) for d in dimensions]


def common_ground(snapshot: Snapshot, settings: Settings) -> Events:
    """An interest of every party, their values, and a ring of dependencies."""
    ids = party_ids(snapshot)
    events: Events = [InterestShared("witness-interest", ids)]
    events += [
        ValueNamed(p, "witness brings", "witness gains")
        for p in ids
        if not snapshot.has_named_value(p)
    ]
    # A ring: every party depends on the next, so each depends and is depended on.
    events += [DependencyDeclared(p, ids[(i + 1) % len(ids)]) for i, p in enumerate(ids)]
    return events


def reciprocity(snapshot: Snapshot, settings: Settings) -> Events:
    """A contribution in kind and a named value of every party that lacks one."""
    ids = party_ids(snapshot)
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


def equal_standing(snapshot: Snapshot, settings: Settings) -> Events:
    """Consensus instead of weighted votes, and every party's voice at the top."""
    events: Events = []
    if snapshot.registers.decision_rule is DecisionRule.WEIGHTED:
        events.append(DecisionRuleSet(DecisionRule.CONSENSUS))
    return events + assessed(snapshot, [Dimension.VOICE], settings.scale[1])


def agenda(snapshot: Snapshot, settings: Settings) -> Events:
    """A new agenda version of one theme, approved by every party."""
    ids = party_ids(snapshot)
    proposed = snapshot.registers.agenda
    version = proposed[-1].version + 1 if proposed else 1
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
    events += agenda(snapshot, settings)
    proposal = next(e for e in events if isinstance(e, AgendaProposed))
    return proposal.version


def declaration(snapshot: Snapshot, settings: Settings) -> Events:
    """Every party's signature on the approved agenda (approved first if need be)."""
    events: Events = []
    version = _approved_version(snapshot, settings, events)
    return events + [
        DeclarationSigned(p, "witness signatory", version) for p in party_ids(snapshot)
    ]


def roles(snapshot: Snapshot, settings: Settings, required: Sequence[str]) -> Events:
    """The required roles that nobody holds, and a role of every party."""
    ids = party_ids(snapshot)
    events: Events = [
        RoleAssigned(role, ids[0]) for role in required if snapshot.role_holder(role) is None
    ]
    events += [RoleAssigned(f"witness-role-{p}", p) for p in ids]
    return events


def finances(snapshot: Snapshot, settings: Settings, coverage: float) -> Events:
    """A budget (if none is set) and cash enough to cover `coverage` of it."""
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


def completion(snapshot: Snapshot, settings: Settings) -> Events:
    """Every theme of the approved agenda closed (one approved first if none is), a final review."""
    events: Events = []
    approved = snapshot.approved_agenda()
    if approved is None:
        events += agenda(snapshot, settings)
        themes = ["witness-theme"]
    else:
        themes = [theme.id for theme in approved.themes]
    events += [ThemeClosed(theme) for theme in themes]
    return [*events, ReviewRecorded("witness review", final=True)]


def newcomer(snapshot: Snapshot) -> Party:
    """A party that is not in `snapshot` yet, with an id no earlier witness gave."""
    return Party(f"witness-newcomer-{len(snapshot.registers.reviews) + snapshot.version}")


def members(snapshot: Snapshot) -> Events:
    """New parties that join until there are two of them: a quorum."""
    count = len(snapshot.parties)
    return [PartyJoined(Party(f"witness-member-{count + i}")) for i in range(max(0, 2 - count))]


def no_witness(guard: Any, holds: bool) -> TrajectoryError:
    """The error of a guard whose witness is not known: no events make it hold (or fail)."""
    kind = getattr(type(guard), "kind", type(guard).__name__)
    return TrajectoryError(
        Phrase(
            "guard {kind} has no witness: no known events make it hold; "
            "give the guard class a witness(snapshot, settings, holds) method"
            if holds
            else "guard {kind} has no witness: no known events make it fail; "
            "give the guard class a witness(snapshot, settings, holds) method",
            kind=shown(kind),
        )
    )


@contextmanager
def known(guard: Any, holds: bool, snapshot: Snapshot | None = None) -> Iterator[None]:
    """Inside, a LookupError means that no events are known (nobody to select, a threshold no
    score can cross): it becomes `no_witness`'s error. Given the `snapshot` of a witness that
    makes a seed guard hold, a snapshot with no party left has none either.
    """
    try:
        if holds and snapshot is not None and not snapshot.parties:
            raise LookupError
        yield
    except LookupError:
        raise no_witness(guard, holds) from None


def witness(guard: Any, snapshot: Snapshot, settings: Settings, holds: bool = True) -> Events:
    """Events that make `guard` evaluate to `holds` when recorded into `snapshot` in order.

    Raises:
        TrajectoryError: no witness is known (a guard without the method, or no such events).
    """
    own: Callable[..., Sequence[DataEvent]] | None = getattr(guard, "witness", None)
    if own is None:
        raise no_witness(guard, holds)
    return list(own(snapshot, settings, holds))
