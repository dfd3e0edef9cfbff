"""The state of a trajectory as frozen data: where it is, who takes part, what was recorded.

A `Snapshot` is the current state plus the registers the events filled (`coopflow._registers`,
which also folds one event into them). Its query methods are what guards read: on registers that
folding indexed for these parties each answers from the index, at a cost that does not grow with
the history; on registers built by hand they scan the tuples, as they always did.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from types import MappingProxyType

import attrs

from coopflow._events import DataEvent, Party
from coopflow._make import maker
from coopflow._persistent import EMPTY, FLAT
from coopflow._registers import (
    EMPTY_REGISTERS as EMPTY_REGISTERS,
)
from coopflow._registers import (
    AgendaVersion as AgendaVersion,
)
from coopflow._registers import (
    Contribution as Contribution,
)
from coopflow._registers import (
    FactState as FactState,
)
from coopflow._registers import (
    FoldContext as FoldContext,
)
from coopflow._registers import (
    Index,
    fold_registers,
    index_of,
)
from coopflow._registers import (
    Interest as Interest,
)
from coopflow._registers import (
    Registers as Registers,
)
from coopflow._registers import (
    Score as Score,
)
from coopflow._registers import (
    replace_registers as replace_registers,
)


@attrs.frozen
class Snapshot:
    """The frozen state of a trajectory: where it is, who takes part, what was recorded.

    Attributes:
        state: the id of the current state.
        parties: the current parties, in the order they came.
        registers: what the data events recorded.
        previous: the state the last transition came from (``resume`` returns there).
        version: how many events were applied.
        at: the time of the last applied event (of the start, before any).

    Example:
        >>> import coopflow as cf
        >>> t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")])
        >>> t.snapshot.state, t.snapshot.party_ids, t.snapshot.version
        ('exploring', ('a', 'b'), 0)
    """

    state: str
    parties: tuple[Party, ...]
    registers: Registers = EMPTY_REGISTERS
    previous: str | None = attrs.field(kw_only=True, default=None)
    version: int = attrs.field(kw_only=True, default=0)
    at: datetime | None = attrs.field(kw_only=True, default=None)
    # What the engine knows of this snapshot, not part of its value: the automatic transitions
    # of its state that did not fire (see coopflow._engine). Set by the engine only.
    _settled: object = attrs.field(init=False, default=None, eq=False, repr=False)

    @property
    def party_ids(self) -> tuple[str, ...]:
        """The ids of the current parties, in the order they came."""
        return tuple(party.id for party in self.parties)

    def party(self, id: str) -> Party:
        """The current party with this id.

        Raises:
            UnknownNameError: no current party has this id.
        """
        for party in self.parties:
            if party.id == id:
                return party
        from coopflow.exceptions import UnknownNameError

        raise UnknownNameError("party", id)

    def _index(self) -> Index | None:
        return index_of(self.registers, self.parties)

    def score(
        self,
        party: str,
        dimension: str,
        *,
        at: datetime | None = None,
        max_age: timedelta | None = None,
    ) -> float | None:
        """The party's score on a dimension: the mean of each respondent's latest score.

        With `max_age`, a score older than that at time `at` counts as missing. None when no
        score counts. ``cf.Dimension.TRUST`` and ``"trust"`` name the same dimension.

        Example:
            >>> import coopflow as cf
            >>> parties = [cf.Party("a"), cf.Party("b")]
            >>> t = cf.Trajectory.start(cf.default_process(), parties=parties)
            >>> _ = t.record(cf.Assessed("a", cf.Dimension.TRUST, 4.0))
            >>> t.snapshot.score("a", "trust"), t.snapshot.score("a", cf.Dimension.TRUST)
            (4.0, 4.0)
        """
        oldest = None if max_age is None or at is None else at - max_age
        index = self.registers._index
        if index is not None:  # scores are the party's own: any index answers
            cell = index.cells.get(dimension, FLAT).get(party)  # flat maps: dict reads
            if cell is None:
                return None
            if oldest is None or cell.oldest >= oldest:
                return cell.mean  # type: ignore[no-any-return]
            scores = cell.ordered()
        else:
            scores = [
                s for s in self.registers.scores if s.party == party and s.dimension == dimension
            ]
        total = 0.0
        count = 0
        for score in scores:
            if oldest is not None and score.at < oldest:
                continue
            total += score.score
            count += 1
        return total / count if count else None

    def scores_on(
        self, dimension: str, *, at: datetime | None = None, max_age: timedelta | None = None
    ) -> Mapping[str, float]:
        """Every current party's `score` on `dimension`, by party id (those with none left out).

        For guards that read the scores of many parties: on indexed registers, with no
        `max_age`, it is kept per dimension and costs nothing to ask for.

        Example:
            >>> import coopflow as cf
            >>> parties = [cf.Party("a"), cf.Party("b")]
            >>> t = cf.Trajectory.start(cf.default_process(), parties=parties)
            >>> _ = t.record(cf.Assessed("a", cf.Dimension.TRUST, 4.0))
            >>> dict(t.snapshot.scores_on("trust"))
            {'a': 4.0}
        """
        index = self.registers._index
        if index is not None and index.parties is self.parties and (max_age is None or at is None):
            return MappingProxyType(index.means.get(dimension, EMPTY))  # a dict: a flat map
        found: dict[str, float] = {}
        for party in self.parties:
            score = self.score(party.id, dimension, at=at, max_age=max_age)
            if score is not None:
                found[party.id] = score
        return MappingProxyType(found)

    def approved_agenda(self) -> AgendaVersion | None:
        """The highest agenda version every current party approved, if any."""
        index = self._index()
        if index is not None:
            return None if index.approved is None else index.agenda.get(index.approved)[1]
        ids = frozenset(party.id for party in self.parties)
        for version in reversed(self.registers.agenda):
            if ids <= version.approvals:
                return version
        return None

    def committed(self, party: str) -> tuple[Contribution, ...]:
        """The party's contributions that were committed and not withdrawn."""
        return tuple(
            c for c in self.registers.contributions if c.party == party and not c.withdrawn
        )

    def has_committed(self, party: str) -> bool:
        """Whether `party` has a contribution committed and not withdrawn.

        Example:
            >>> import coopflow as cf
            >>> parties = [cf.Party("a"), cf.Party("b")]
            >>> t = cf.Trajectory.start(cf.default_process(), parties=parties)
            >>> _ = t.record(cf.ContributionCommitted("a", "staff", in_kind=True))
            >>> t.snapshot.has_committed("a"), t.snapshot.has_committed("b")
            (True, False)
        """
        index = self.registers._index
        if index is not None:
            return index.count(party, "live") > 0
        return bool(self.committed(party))

    def committed_cash(self) -> Decimal:
        """The money committed by all current parties and not withdrawn."""
        index = self.registers._index
        if index is not None:
            return index.committed_cash()
        return sum((c.cash for c in self.registers.contributions if not c.withdrawn), Decimal(0))

    def fact(self, fact: str, party: str | None = None) -> FactState | None:
        """What was last recorded of `fact` (for `party`, for a per-party fact), if anything.

        Example:
            >>> import coopflow as cf
            >>> parties = [cf.Party("a"), cf.Party("b")]
            >>> t = cf.Trajectory.start(cf.default_process(), parties=parties)
            >>> t.snapshot.fact("council_approval") is None
            True
        """
        index = self.registers._index
        if index is not None:
            found = index.facts.get((fact, party))
            return None if found is None else found[1]
        for state in self.registers.facts:
            if state.fact == fact and state.party == party:
                return state
        return None

    def has_named_value(self, party: str) -> bool:
        """Whether `party` named what it brings and what it gains."""
        index = self.registers._index
        if index is not None:
            return index.count(party, "values") > 0
        return any(value.party == party for value in self.registers.values)

    def depends_on_another(self, party: str) -> bool:
        """Whether `party` depends on another current party."""
        index = self._index()
        if index is not None:  # every dependency in it is between current parties
            return index.count(party, "out") > 0
        ids = self.party_ids
        return any(d.party == party and d.depends_on in ids for d in self.registers.dependencies)

    def is_depended_on(self, party: str) -> bool:
        """Whether another current party depends on `party`."""
        index = self._index()
        if index is not None:
            return index.count(party, "in") > 0
        ids = self.party_ids
        return any(d.depends_on == party and d.party in ids for d in self.registers.dependencies)

    def has_common_interest(self) -> bool:
        """Whether some interest is endorsed by every current party."""
        index = self._index()
        if index is not None:  # endorsers are current parties: all of them is as many
            return index.sizes.get(len(self.parties), 0) > 0  # type: ignore[no-any-return]
        ids = frozenset(self.party_ids)
        return any(ids <= interest.parties for interest in self.registers.interests)

    def has_withdrawn(self, party: str) -> bool:
        """Whether `party` withdrew a contribution (whatever it has committed since)."""
        index = self.registers._index
        if index is not None:
            return index.count(party, "withdrawn") > 0
        return any(c.party == party and c.withdrawn for c in self.registers.contributions)

    def role_holder(self, role: str) -> str | None:
        """The current party that holds `role`, if any."""
        index = self._index()
        if index is not None:
            held = index.roles.get(role)
            return None if held is None else held[1].party
        for held in self.registers.roles:
            if held.role == role and held.party in self.party_ids:
                return held.party
        return None

    def holds_role(self, party: str) -> bool:
        """Whether `party` holds some role of the programme office."""
        index = self.registers._index
        if index is not None:
            return index.count(party, "roles") > 0
        return any(held.party == party for held in self.registers.roles)

    def signed(self, party: str, version: int) -> bool:
        """Whether `party` signed the declaration on agenda version `version`."""
        index = self.registers._index
        if index is not None:
            found = index.signatures.get(party)
            return found is not None and found.version == version
        return any(s.party == party and s.version == version for s in self.registers.signatures)

    def is_theme_closed(self, theme: str) -> bool:
        """Whether `theme` was closed.

        Example:
            >>> import coopflow as cf
            >>> parties = [cf.Party("a"), cf.Party("b")]
            >>> t = cf.Trajectory.start(cf.default_process(), parties=parties)
            >>> t.snapshot.is_theme_closed("mobility")
            False
        """
        index = self.registers._index
        if index is not None:
            return theme in index.closed
        return theme in self.registers.closed_themes

    def has_final_review(self) -> bool:
        """Whether a final review is recorded."""
        index = self.registers._index
        if index is not None:
            return index.final
        return any(review.final for review in self.registers.reviews)

    def with_registers(
        self, registers: Registers, parties: tuple[Party, ...] | None = None
    ) -> "Snapshot":
        """A copy with other registers (and parties); the engine sets state, version and time."""
        return Snapshot(
            self.state,
            self.parties if parties is None else parties,
            registers,
            previous=self.previous,
            version=self.version,
            at=self.at,
        )


make_snapshot = maker(Snapshot)
"""A snapshot from its fields' values, in order (``_settled`` last), as the engine builds one per
event (see coopflow._make)."""


def fold(snapshot: Snapshot, event: DataEvent, context: FoldContext, at: datetime) -> Snapshot:
    """Fold one data event into the registers, or raise `InvalidEventError` and change nothing."""
    registers, parties = fold_registers(snapshot.registers, snapshot.parties, event, context, at)
    return Snapshot(
        snapshot.state,
        parties,
        registers,
        previous=snapshot.previous,
        version=snapshot.version,
        at=snapshot.at,
    )
