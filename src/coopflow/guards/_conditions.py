"""The conditions of the seed's automatic regressions, besides those over scores: a lost
quorum, an incomplete declaration, a breached culture, lost funding.
"""

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

import attrs

from coopflow._events import Assessed, BudgetSet, Dimension, PartyJoined, PartyLeft
from coopflow._results import Failure, GuardResult, condition_result
from coopflow._snapshot import Snapshot
from coopflow._witness import (
    Events,
    assessed,
    declaration,
    finances,
    known,
    members,
    newcomer,
    party_ids,
    reciprocity,
)
from coopflow.guards._cooperation import cash_short, unsigned
from coopflow.guards._registry import register
from coopflow.guards._scores import below, scores_on

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    from coopflow._settings import Settings


__all__ = [
    "culture_breached",
    "declaration_incomplete",
    "funding_lost",
    "quorum_lost",
]


@register("quorum_lost")
@attrs.frozen
class QuorumLost:
    """Holds when fewer than two parties are left."""

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset()

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the condition (see the class docstring)."""
        count = len(snapshot.parties)
        findings = [Failure(None, "too_few_parties", {"count": count})] if count < 2 else []
        return condition_result(self.kind, findings)

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """All parties but the first leave; members join up to two not to hold."""
        with known(self, holds, snapshot):
            if holds:
                return [PartyLeft(p) for p in party_ids(snapshot)[1:]]
            return members(snapshot)


@register("declaration_incomplete")
@attrs.frozen
class DeclarationIncomplete:
    """Holds when some current party has not signed the approved agenda version."""

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset({"agenda", "signatures"})

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the condition (see the class docstring)."""
        return condition_result(self.kind, unsigned(snapshot))

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """A newcomer joins who signed nothing; every party signs not to hold."""
        with known(self, holds, snapshot):
            if holds:
                return [PartyJoined(newcomer(snapshot))]
            return declaration(snapshot, settings)


@register("culture_breached")
@attrs.frozen
class CultureBreached:
    """Holds when some party's present trust or voice is under the regression threshold, or
    some party withdrew a contribution and has none committed left.
    """

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset({"scores:trust", "scores:voice", "contributions"})

    def _thresholds(self, settings: "Settings") -> dict[str, set[float]]:
        # For the checker: trust and voice, against the regression threshold.
        return {"trust": {settings.regression_threshold}, "voice": {settings.regression_threshold}}

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the condition (see the class docstring)."""
        findings: list[Failure] = []
        threshold = settings.regression_threshold
        for dimension in ("trust", "voice"):
            scores = scores_on(snapshot, settings, at, dimension)
            for party in snapshot.parties:
                findings += below(scores, party, dimension, threshold)
        findings.extend(
            Failure(party.id, "contribution_withdrawn", {"name": party.name})
            for party in snapshot.parties
            if snapshot.has_withdrawn(party.id) and not snapshot.has_committed(party.id)
        )
        return condition_result(self.kind, findings)

    def _holds_for(self, snapshot: Snapshot, settings: "Settings", party: str) -> bool:
        # Whether this one party has a finding (see ScoreBelow._holds_for).
        threshold = settings.regression_threshold
        for dimension in ("trust", "voice"):
            score = snapshot.score(party, dimension)
            if score is not None and score < threshold:
                return True
        return snapshot.has_withdrawn(party) and not snapshot.has_committed(party)

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """The first party's trust at the bottom of the scale; every party's trust and voice at
        the top, and reciprocity, not to hold.
        """
        low, high = settings.scale
        with known(self, holds, snapshot):
            if holds:
                return [Assessed(snapshot.parties[0].id, Dimension.TRUST, low)]
            events = assessed(snapshot, [Dimension.TRUST, Dimension.VOICE], high)
            return events + reciprocity(snapshot, settings)


@register("funding_lost")
@attrs.frozen
class FundingLost:
    """Holds when a budget is set and committed money is under coverage times the budget."""

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset({"budget", "contributions"})

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the condition (see the class docstring)."""
        short = cash_short(snapshot, settings.coverage)
        return condition_result(self.kind, [] if short is None else [short])

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """A budget that the committed cash covers for less than the coverage; with a budget,
        the cash that covers it not to hold.
        """
        with known(self, holds, snapshot):
            if holds:
                cash = snapshot.committed_cash()
                return [BudgetSet(cash / Decimal(str(settings.coverage)) + 1000)]
            if snapshot.registers.budget is None:
                return []
            return finances(snapshot, settings, settings.coverage)


# --- the factories: the public surface, re-exported by coopflow.guards ---------------------


def quorum_lost() -> QuorumLost:
    """A condition: fewer than two parties are left.

    Example:
        >>> from coopflow import guards
        >>> guards.quorum_lost()
        QuorumLost()
    """
    return QuorumLost()


def declaration_incomplete() -> DeclarationIncomplete:
    """A condition: some current party has not signed the approved agenda version.

    Example:
        >>> from coopflow import guards
        >>> guards.declaration_incomplete()
        DeclarationIncomplete()
    """
    return DeclarationIncomplete()


def culture_breached() -> CultureBreached:
    """A condition: some party's present trust or voice is under the regression threshold, or
    some party withdrew a contribution and has none committed left.

    Example:
        >>> from coopflow import guards
        >>> guards.culture_breached()
        CultureBreached()
    """
    return CultureBreached()


def funding_lost() -> FundingLost:
    """A condition: a budget is set and committed money is under coverage times the budget.

    Example:
        >>> from coopflow import guards
        >>> guards.funding_lost()
        FundingLost()
    """
    return FundingLost()
