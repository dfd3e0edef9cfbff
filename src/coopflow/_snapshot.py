"""The state of a trajectory as frozen data, and how one event folds into it.

A `Snapshot` is the current state plus the registers the events filled. Folding checks what needs
the trajectory (is the party known? is the version higher?) and raises `InvalidEventError`
before anything is built, so a bad event changes nothing.
"""

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs

from coopflow._events import (
    AgendaApproved,
    AgendaProposed,
    Assessed,
    BudgetSet,
    ContributionCommitted,
    ContributionWithdrawn,
    DataEvent,
    DecisionRule,
    DecisionRuleSet,
    DeclarationSigned,
    DependencyDeclared,
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
from coopflow._vocabulary import Vocabulary
from coopflow.exceptions import InvalidEventError

_NO_WEIGHTS: Mapping[str, float] = MappingProxyType({})


@attrs.frozen
class Interest:
    """A common interest and the parties that endorse it.

    Example:
        >>> import coopflow as cf
        >>> cf.Interest("evidence-based-policy", frozenset({"a"})).parties
        frozenset({'a'})
    """

    id: str
    parties: frozenset[str]
    description: str = attrs.field(kw_only=True, default="")


@attrs.frozen
class Score:
    """The latest score of one respondent for one party on one dimension.

    Example:
        >>> import coopflow as cf
        >>> from datetime import datetime, UTC
        >>> cf.Score("a", cf.Dimension.TRUST, "", 4.0, datetime(2018, 6, 14, tzinfo=UTC)).score
        4.0
    """

    party: str
    dimension: str
    respondent: str
    score: float
    at: datetime


@attrs.frozen
class Contribution:
    """A contribution a party committed, and whether it was withdrawn since.

    Example:
        >>> import coopflow as cf
        >>> cf.Contribution("a", "staff", in_kind=True).withdrawn
        False
    """

    party: str
    id: str
    cash: Decimal = attrs.field(kw_only=True, default=Decimal(0))
    in_kind: bool = attrs.field(kw_only=True, default=False)
    withdrawn: bool = attrs.field(kw_only=True, default=False)


@attrs.frozen
class FactState:
    """What was last recorded of one fact (for one party, or for the whole trajectory).

    Attributes:
        fact: the fact's id.
        party: the party of a per-party fact, None for a fact of the whole trajectory.
        holds: whether the fact holds now.
        note: the note of the last record.
        at: when it was last recorded.
        withdrawn: True when it held once and was withdrawn since.

    Example:
        >>> import coopflow as cf
        >>> from datetime import datetime, UTC
        >>> at = datetime(2018, 6, 14, tzinfo=UTC)
        >>> cf.FactState("council_approval", None, True, "", at).holds
        True
    """

    fact: str
    party: str | None
    holds: bool
    note: str
    at: datetime
    withdrawn: bool = attrs.field(kw_only=True, default=False)


@attrs.frozen
class AgendaVersion:
    """A version of the cooperation agenda and the parties that approved it.

    Example:
        >>> import coopflow as cf
        >>> cf.AgendaVersion(1, ()).approvals
        frozenset()
    """

    version: int
    themes: tuple[Theme, ...]
    approvals: frozenset[str] = attrs.field(kw_only=True, default=frozenset())


@attrs.frozen
class Registers:
    """Everything the data events of a trajectory recorded (PROCESS.md, "Registers").

    Every field defaults to a shared empty immutable value, so a new trajectory costs nothing.
    `values`, `dependencies`, `signatures`, `roles` and `reviews` hold the events that filled
    them; `roles` holds the latest holder of each role.

    Example:
        >>> import coopflow as cf
        >>> cf.Registers().decision_rule
        <DecisionRule.CONSENSUS: 'consensus'>
    """

    interests: tuple[Interest, ...] = ()
    values: tuple[ValueNamed, ...] = ()
    dependencies: tuple[DependencyDeclared, ...] = ()
    scores: tuple[Score, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    decision_rule: DecisionRule = DecisionRule.CONSENSUS
    weights: Mapping[str, float] = _NO_WEIGHTS
    agenda: tuple[AgendaVersion, ...] = ()
    signatures: tuple[DeclarationSigned, ...] = ()
    roles: tuple[RoleAssigned, ...] = ()
    budget: Decimal | None = None
    closed_themes: frozenset[str] = frozenset()
    reviews: tuple[ReviewRecorded, ...] = ()
    facts: tuple[FactState, ...] = ()


EMPTY_REGISTERS = Registers()
_REGISTER_NAMES = tuple(field.name for field in attrs.fields(Registers))


def replace_registers(registers: Registers, **changes: Any) -> Registers:
    """A copy of `registers` with `changes` (fast: no converters run again)."""
    # attrs.evolve runs every converter again; registers are built only here, from checked data.
    return Registers(*[changes.get(name, getattr(registers, name)) for name in _REGISTER_NAMES])


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
        total = 0.0
        count = 0
        oldest = None if max_age is None or at is None else at - max_age
        for score in self.registers.scores:
            if score.party == party and score.dimension == dimension:
                if oldest is not None and score.at < oldest:
                    continue
                total += score.score
                count += 1
        return total / count if count else None

    def approved_agenda(self) -> AgendaVersion | None:
        """The highest agenda version every current party approved, if any."""
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

    def committed_cash(self) -> Decimal:
        """The money committed by all current parties and not withdrawn."""
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
        for state in self.registers.facts:
            if state.fact == fact and state.party == party:
                return state
        return None

    def has_named_value(self, party: str) -> bool:
        """Whether `party` named what it brings and what it gains."""
        return any(value.party == party for value in self.registers.values)

    def depends_on_another(self, party: str) -> bool:
        """Whether `party` depends on another current party."""
        ids = self.party_ids
        return any(d.party == party and d.depends_on in ids for d in self.registers.dependencies)

    def is_depended_on(self, party: str) -> bool:
        """Whether another current party depends on `party`."""
        ids = self.party_ids
        return any(d.depends_on == party and d.party in ids for d in self.registers.dependencies)

    def has_common_interest(self) -> bool:
        """Whether some interest is endorsed by every current party."""
        ids = frozenset(self.party_ids)
        return any(ids <= interest.parties for interest in self.registers.interests)

    def has_withdrawn(self, party: str) -> bool:
        """Whether `party` withdrew a contribution (whatever it has committed since)."""
        return any(c.party == party and c.withdrawn for c in self.registers.contributions)

    def role_holder(self, role: str) -> str | None:
        """The current party that holds `role`, if any."""
        for held in self.registers.roles:
            if held.role == role and held.party in self.party_ids:
                return held.party
        return None

    def holds_role(self, party: str) -> bool:
        """Whether `party` holds some role of the programme office."""
        return any(held.party == party for held in self.registers.roles)

    def signed(self, party: str, version: int) -> bool:
        """Whether `party` signed the declaration on agenda version `version`."""
        return any(s.party == party and s.version == version for s in self.registers.signatures)

    def has_final_review(self) -> bool:
        """Whether a final review is recorded."""
        return any(review.final for review in self.registers.reviews)

    def with_registers(self, registers: Registers) -> "Snapshot":
        """A copy with other registers (the engine sets state, version and time itself)."""
        return Snapshot(
            self.state,
            self.parties,
            registers,
            previous=self.previous,
            version=self.version,
            at=self.at,
        )


@attrs.frozen
class FoldContext:
    """What folding needs of the process: its scale and its vocabulary (built once per process)."""

    scale: tuple[float, float]
    vocabulary: Vocabulary


# --- folding: one handler per data event --------------------------------------------------------


def _known(snapshot: Snapshot, party: str, field: str = "party") -> None:
    for known in snapshot.parties:
        if known.id == party:
            return
    raise InvalidEventError(field, party, "is not a party of this trajectory")


def _joined(snapshot: Snapshot, event: PartyJoined, context: FoldContext, at: datetime) -> Snapshot:
    if any(party.id == event.party.id for party in snapshot.parties):
        raise InvalidEventError("party", event.party.id, "has already joined")
    registers = replace_registers(snapshot.registers, signatures=())
    return attrs.evolve(
        snapshot.with_registers(registers), parties=(*snapshot.parties, event.party)
    )


def _left(snapshot: Snapshot, event: PartyLeft, context: FoldContext, at: datetime) -> Snapshot:
    _known(snapshot, event.party)
    gone = event.party
    r = snapshot.registers
    registers = replace_registers(
        r,
        interests=tuple(
            attrs.evolve(interest, parties=interest.parties - {gone}) for interest in r.interests
        ),
        values=tuple(v for v in r.values if v.party != gone),
        dependencies=tuple(d for d in r.dependencies if gone not in (d.party, d.depends_on)),
        scores=tuple(s for s in r.scores if s.party != gone),
        contributions=tuple(c for c in r.contributions if c.party != gone),
        weights=MappingProxyType({p: w for p, w in r.weights.items() if p != gone}),
        agenda=tuple(
            AgendaVersion(
                version.version,
                tuple(
                    attrs.evolve(theme, owner="") if theme.owner == gone else theme
                    for theme in version.themes
                ),
                approvals=version.approvals - {gone},
            )
            for version in r.agenda
        ),
        signatures=(),
        roles=tuple(role for role in r.roles if role.party != gone),
        facts=tuple(fact for fact in r.facts if fact.party != gone),
    )
    parties = tuple(party for party in snapshot.parties if party.id != gone)
    return attrs.evolve(snapshot.with_registers(registers), parties=parties)


def _interest(
    snapshot: Snapshot, event: InterestShared, context: FoldContext, at: datetime
) -> Snapshot:
    for party in sorted(event.parties):
        _known(snapshot, party, "parties")
    r = snapshot.registers
    interests = list(r.interests)
    for index, interest in enumerate(interests):
        if interest.id == event.interest:
            description = event.description or interest.description
            interests[index] = Interest(
                interest.id, interest.parties | event.parties, description=description
            )
            break
    else:
        interests.append(Interest(event.interest, event.parties, description=event.description))
    return snapshot.with_registers(replace_registers(r, interests=tuple(interests)))


def _value(snapshot: Snapshot, event: ValueNamed, context: FoldContext, at: datetime) -> Snapshot:
    _known(snapshot, event.party)
    r = snapshot.registers
    return snapshot.with_registers(replace_registers(r, values=(*r.values, event)))


def _dependency(
    snapshot: Snapshot, event: DependencyDeclared, context: FoldContext, at: datetime
) -> Snapshot:
    _known(snapshot, event.party)
    _known(snapshot, event.depends_on, "depends_on")
    r = snapshot.registers
    return snapshot.with_registers(replace_registers(r, dependencies=(*r.dependencies, event)))


def _assessed(snapshot: Snapshot, event: Assessed, context: FoldContext, at: datetime) -> Snapshot:
    _known(snapshot, event.party)
    if event.dimension not in context.vocabulary.dimensions:
        raise InvalidEventError(
            "dimension", event.dimension, "is not a dimension this process declares"
        )
    lowest, highest = context.scale
    if not lowest <= event.score <= highest:
        raise InvalidEventError("score", event.score, f"is off the scale {lowest:g} to {highest:g}")
    r = snapshot.registers
    score = Score(event.party, event.dimension, event.respondent, event.score, at)
    kept = tuple(
        s
        for s in r.scores
        if not (
            s.party == event.party
            and s.dimension == event.dimension
            and s.respondent == event.respondent
        )
    )
    return snapshot.with_registers(replace_registers(r, scores=(*kept, score)))


def _committed(
    snapshot: Snapshot, event: ContributionCommitted, context: FoldContext, at: datetime
) -> Snapshot:
    _known(snapshot, event.party)
    r = snapshot.registers
    kept = []
    for contribution in r.contributions:
        if contribution.party == event.party and contribution.id == event.contribution:
            if not contribution.withdrawn:
                raise InvalidEventError(
                    "contribution", event.contribution, "is already committed by this party"
                )
            continue
        kept.append(contribution)
    new = Contribution(event.party, event.contribution, cash=event.cash, in_kind=event.in_kind)
    return snapshot.with_registers(replace_registers(r, contributions=(*kept, new)))


def _withdrawn(
    snapshot: Snapshot, event: ContributionWithdrawn, context: FoldContext, at: datetime
) -> Snapshot:
    _known(snapshot, event.party)
    r = snapshot.registers
    for index, contribution in enumerate(r.contributions):
        if (
            contribution.party == event.party
            and contribution.id == event.contribution
            and not contribution.withdrawn
        ):
            changed = attrs.evolve(contribution, withdrawn=True)
            contributions = (*r.contributions[:index], changed, *r.contributions[index + 1 :])
            return snapshot.with_registers(replace_registers(r, contributions=contributions))
    raise InvalidEventError(
        "contribution", event.contribution, "is not a committed contribution of this party"
    )


def _rule(
    snapshot: Snapshot, event: DecisionRuleSet, context: FoldContext, at: datetime
) -> Snapshot:
    for party in sorted(event.weights):
        _known(snapshot, party, "weights")
    registers = replace_registers(
        snapshot.registers, decision_rule=event.rule, weights=event.weights
    )
    return snapshot.with_registers(registers)


def _proposed(
    snapshot: Snapshot, event: AgendaProposed, context: FoldContext, at: datetime
) -> Snapshot:
    r = snapshot.registers
    if r.agenda and event.version <= r.agenda[-1].version:
        raise InvalidEventError(
            "version", event.version, f"must be higher than version {r.agenda[-1].version}"
        )
    interests = {interest.id for interest in r.interests}
    for theme in event.themes:
        if theme.owner:
            _known(snapshot, theme.owner, "owner")
        for interest in theme.interests:
            if interest not in interests:
                raise InvalidEventError("interests", interest, "is not a shared interest")
    version = AgendaVersion(event.version, event.themes)
    return snapshot.with_registers(replace_registers(r, agenda=(*r.agenda, version)))


def _version_index(snapshot: Snapshot, version: int) -> int:
    for index, existing in enumerate(snapshot.registers.agenda):
        if existing.version == version:
            return index
    raise InvalidEventError("version", version, "is not a proposed agenda version")


def _approved(
    snapshot: Snapshot, event: AgendaApproved, context: FoldContext, at: datetime
) -> Snapshot:
    _known(snapshot, event.party)
    index = _version_index(snapshot, event.version)
    r = snapshot.registers
    old = r.agenda[index]
    new = AgendaVersion(old.version, old.themes, approvals=old.approvals | {event.party})
    agenda = (*r.agenda[:index], new, *r.agenda[index + 1 :])
    return snapshot.with_registers(replace_registers(r, agenda=agenda))


def _signed(
    snapshot: Snapshot, event: DeclarationSigned, context: FoldContext, at: datetime
) -> Snapshot:
    _known(snapshot, event.party)
    _version_index(snapshot, event.version)
    r = snapshot.registers
    kept = tuple(s for s in r.signatures if s.party != event.party)
    return snapshot.with_registers(replace_registers(r, signatures=(*kept, event)))


def _role(snapshot: Snapshot, event: RoleAssigned, context: FoldContext, at: datetime) -> Snapshot:
    _known(snapshot, event.party)
    r = snapshot.registers
    kept = tuple(role for role in r.roles if role.role != event.role)
    return snapshot.with_registers(replace_registers(r, roles=(*kept, event)))


def _budget(snapshot: Snapshot, event: BudgetSet, context: FoldContext, at: datetime) -> Snapshot:
    return snapshot.with_registers(replace_registers(snapshot.registers, budget=event.amount))


def _closed(snapshot: Snapshot, event: ThemeClosed, context: FoldContext, at: datetime) -> Snapshot:
    r = snapshot.registers
    if not any(theme.id == event.theme for version in r.agenda for theme in version.themes):
        raise InvalidEventError("theme", event.theme, "is not a theme of any agenda version")
    return snapshot.with_registers(
        replace_registers(r, closed_themes=r.closed_themes | {event.theme})
    )


def _review(
    snapshot: Snapshot, event: ReviewRecorded, context: FoldContext, at: datetime
) -> Snapshot:
    r = snapshot.registers
    return snapshot.with_registers(replace_registers(r, reviews=(*r.reviews, event)))


def _fact(snapshot: Snapshot, event: FactRecorded, context: FoldContext, at: datetime) -> Snapshot:
    declared = context.vocabulary.facts.get(event.fact)
    if declared is None:
        raise InvalidEventError("fact", event.fact, "is not a fact this process declares")
    if declared.per_party and event.party is None:
        raise InvalidEventError("party", None, "this fact is recorded per party: name the party")
    if not declared.per_party and event.party is not None:
        raise InvalidEventError(
            "party", event.party, "this fact is of the whole trajectory: name no party"
        )
    if event.party is not None:
        _known(snapshot, event.party)
    r = snapshot.registers
    old = next((f for f in r.facts if f.fact == event.fact and f.party == event.party), None)
    held = old is not None and (old.holds or old.withdrawn)
    state = FactState(
        event.fact, event.party, event.holds, event.note, at, withdrawn=held and not event.holds
    )
    kept = tuple(f for f in r.facts if f is not old)
    return snapshot.with_registers(replace_registers(r, facts=(*kept, state)))


_FOLDS: dict[type, Callable[[Snapshot, Any, FoldContext, datetime], Snapshot]] = {
    PartyJoined: _joined,
    PartyLeft: _left,
    InterestShared: _interest,
    ValueNamed: _value,
    DependencyDeclared: _dependency,
    Assessed: _assessed,
    ContributionCommitted: _committed,
    ContributionWithdrawn: _withdrawn,
    DecisionRuleSet: _rule,
    AgendaProposed: _proposed,
    AgendaApproved: _approved,
    DeclarationSigned: _signed,
    RoleAssigned: _role,
    BudgetSet: _budget,
    ThemeClosed: _closed,
    ReviewRecorded: _review,
    FactRecorded: _fact,
}


def fold(snapshot: Snapshot, event: DataEvent, context: FoldContext, at: datetime) -> Snapshot:
    """Fold one data event into the registers, or raise `InvalidEventError` and change nothing."""
    handler = _FOLDS.get(type(event))
    if handler is None:
        raise InvalidEventError("event", event, "is not a coopflow event")
    return handler(snapshot, event, context, at)
