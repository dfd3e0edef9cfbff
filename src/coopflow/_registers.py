"""The registers of a trajectory, indexed, and how one data event folds into them.

`Registers` reads as before: every field (``scores``, ``agenda``, ...) is a tuple in the order the
events filled it, built when it is first read and kept. Underneath, a registers value that
folding made holds an `Index`: persistent maps (`coopflow._persistent.PMap`) keyed the way the
guards ask (a score by dimension, party and respondent; a contribution by party and id; a
version by number), per-party counts, and what each party recorded, so that folding one event
and every query a guard makes cost the same after 100,000 events as after 10, and at most
linear in the number of parties. An index entry carries the sequence number of the event that
put it there, which is how the tuples come back in their recorded order. What the index keeps
for every trajectory is kept in few objects the garbage collector tracks: a per-party count is
keyed by the string ``what:party`` and a party's tags by ``kind:key`` rather than by tuples
(see `Index.count` and `Index.own`), and a score cell with one respondent is one object.

Registers built by hand (``cf.Registers(scores=...)``, or loaded from JSON) hold their tuples;
folding into them indexes them first, once. A party leaving costs what that party recorded
(its scores, values, dependencies both ways, endorsements, contributions, approvals, themes,
roles, facts) plus the agenda versions newer than the one the remaining parties all approved.

Each data event folds itself (``_fold`` on its class in `coopflow._events`): it checks what
needs the trajectory (is the party known? is the version higher?) and raises `InvalidEventError`
before anything is built, so a bad event changes nothing, then writes through the methods of
`Index` (``known``, ``put_score``, ``put_contribution``, ...), which keep every map in step. So
an event type that folds into the existing registers is added in `coopflow._events` alone; a new
kind of register is added here: its field in `RegisterFields` and `Registers`, its maps in
`Index` with a put method, its indexing in `_index_fields` and its undoing in `Index.leave`.
"""

import decimal
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from operator import itemgetter
from types import MappingProxyType
from typing import Any

import attrs

from coopflow._events import (
    DATA_EVENTS,
    DataEvent,
    DecisionRule,
    DeclarationSigned,
    DependencyDeclared,
    Party,
    ReviewRecorded,
    RoleAssigned,
    Theme,
    ValueNamed,
)
from coopflow._persistent import EMPTY, FLAT, Flat, PMap
from coopflow._text import Phrase
from coopflow._vocabulary import Vocabulary
from coopflow.exceptions import InvalidEventError

_NO_WEIGHTS: Mapping[str, float] = MappingProxyType({})
# Committed money is kept as an exact running total (amounts are below 10**15, so the total of
# any history fits); `committed_cash` rounds it as the sum of the live contributions would be.
_EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


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


FIELDS = (
    "interests",
    "values",
    "dependencies",
    "scores",
    "contributions",
    "decision_rule",
    "weights",
    "agenda",
    "signatures",
    "roles",
    "budget",
    "closed_themes",
    "reviews",
    "facts",
)
"""The public registers, in the order `Registers` takes them."""


@attrs.frozen
class RegisterFields:
    """The registers as plain data: how they are serialised (the shape of format 1 and 2)."""

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


# --- the index -----------------------------------------------------------------------------------


_Several = PMap[str, tuple[int, float, datetime]]
"""The scores of a cell with several respondents: per respondent, (seq, score, at)."""


class _Cell:
    """The scores of one party on one dimension: the latest of each respondent, and their sum.

    A cell holds plain values rather than a `Score` object each (built again when asked for).
    For the one respondent most cells have, `by` is None and the cell holds it in its own slots
    (`respondent`, `seq`; its score is `total`, its time `oldest`), so that such a cell is one
    object the garbage collector tracks. For several, `by` is a persistent map from respondent
    to ``(seq, score, at)``, as a party may have many (`respondent` and `seq` then unused).
    `total` is the sum in recorded order, as a scan of the scores tuple would add them, so a
    mean is bit for bit what it was (`mean`, worked out once); `oldest` lets a read skip the
    scan when no score is too old.
    """

    __slots__ = ("by", "dimension", "mean", "oldest", "party", "respondent", "seq", "total")

    def __init__(
        self,
        party: str,
        dimension: str,
        respondent: str,
        seq: int,
        by: _Several | None,
        total: float,
        oldest: datetime,
    ) -> None:
        self.party = party
        self.dimension = dimension
        self.respondent = respondent
        self.seq = seq
        self.by = by
        self.total = total
        self.oldest = oldest
        self.mean = total / (1 if by is None else len(by))

    def ordered(self) -> list[Score]:
        """The scores in recorded order."""
        return [score for _, score in self.numbered()]

    def numbered(self) -> list[tuple[int, Score]]:
        """The scores with their sequence numbers, in recorded order."""
        party, dimension = self.party, self.dimension
        return [
            (seq, Score(party, dimension, respondent, value, at))
            for respondent, (seq, value, at) in self._ordered()
        ]

    def put(self, seq: int, respondent: str, score: float, at: datetime) -> "_Cell":
        """The cell with `respondent`'s `score` as its latest (moved to the end)."""
        party, dimension, by = self.party, self.dimension, self.by
        if by is None:
            if self.respondent == respondent:  # the one respondent again: its score alone
                return _Cell(party, dimension, respondent, seq, None, score, at)
            one = (self.seq, self.total, self.oldest)
            two = EMPTY.set(self.respondent, one).set(respondent, (seq, score, at))
            oldest = at if at < self.oldest else self.oldest
            return _Cell(party, dimension, "", 0, two, self.total + score, oldest)
        if respondent not in by:
            oldest = at if at < self.oldest else self.oldest
            new = by.set(respondent, (seq, score, at))
            return _Cell(party, dimension, "", 0, new, self.total + score, oldest)
        # Renumbered in recorded order, the others first, so the sum adds as a scan would.
        others = [(r, value, when) for r, (_, value, when) in self._ordered() if r != respondent]
        first = seq - len(others)
        fresh: _Several = EMPTY
        total = 0.0
        for offset, (r, value, when) in enumerate([*others, (respondent, score, at)]):
            fresh = fresh.set(r, (first + offset, value, when))
            total += value
        oldest = min(when for _, value, when in others)
        return _Cell(party, dimension, "", 0, fresh, total, min(oldest, at))

    def _ordered(self) -> list[tuple[str, tuple[int, float, datetime]]]:
        by = self.by
        if by is None:
            return [(self.respondent, (self.seq, self.total, self.oldest))]
        return sorted(by.items(), key=_by_seq)


def _by_seq(item: tuple[str, tuple[int, float, datetime]]) -> int:
    return item[1][0]


def _bump(counts: Any, key: Any, delta: int) -> Any:
    """`counts` with the count of `key` changed by `delta` (a count of zero is no key)."""
    value = counts.get(key, 0) + delta
    return counts.set(key, value) if value else counts.delete(key)


def _exponent(cash: Decimal) -> int:
    return int(cash.as_tuple().exponent)


class Index:
    """The indexed registers (see the module docstring); never changed once built."""

    parties: tuple[Party, ...]  # the parties this index was folded for
    ids: frozenset[str]
    consistent: bool  # every party the registers name is one of `ids`
    seq: int
    interests: PMap[str, tuple[int, Interest]]
    sizes: PMap[int, int]  # how many interests have so many endorsers
    values: PMap[int, ValueNamed]
    deps: PMap[int, DependencyDeclared]
    cells: Flat[str, Flat[str, _Cell]]  # per dimension, each party's scores on it
    means: PMap[str, Flat[str, float]]  # per dimension, each party's mean (of `cells`)
    contributions: PMap[tuple[str, str], tuple[int, Contribution]]
    cash: Decimal
    exponents: PMap[int, int]  # of the live contributions' cash: the exponent of their sum
    rule: DecisionRule
    weights: Mapping[str, float]
    agenda: PMap[int, tuple[int, AgendaVersion]]
    stack: tuple[Any, ...]  # the versions, newest first: (version, older stack) or ()
    themes: PMap[str, int]
    approved: int | None  # the highest version every party of `parties` approved
    signatures: Flat[str, DeclarationSigned]  # per party, in the order signed (the newest last)
    roles: PMap[str, tuple[int, RoleAssigned]]
    budget: Decimal | None
    closed: PMap[str, bool]
    reviews: PMap[int, ReviewRecorded]
    final: bool
    facts: PMap[tuple[str, str | None], tuple[int, FactState]]
    mine: PMap[str, PMap[str, bool]]  # what names each party (its leaving undoes it): `own`
    counts: Flat[str, int]  # per party, keyed "what:party": values, out, in, live, withdrawn, roles

    def evolve(self, **changes: Any) -> "Index":
        """A copy with `changes`."""
        new = object.__new__(Index)
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new

    def count(self, party: str, what: str) -> int:
        """A per-party count: values, out, in, live, withdrawn or roles.

        `counts` keys it by the string ``what:party``, not a tuple, so that a count is no object the
        garbage collector tracks; no `what` holds a ":", so no two (party, what) share a key.
        """
        count: int = self.counts.get(f"{what}:{party}", 0)  # a flat map: a dict read
        return count

    def own(self, *pairs: tuple[str, tuple[str, str | int]]) -> PMap[str, PMap[str, bool]]:
        """`mine` with each (party, (kind, key)) added, so that the party's leaving undoes it.

        A kind is interest, value, dep, contribution, agenda, role or fact; its key is the id or
        number the entry is found by (for a per-party fact, the fact id: its party is the one
        that owns the tag). The tag is kept as the string ``kind:key``, not a tuple, so that it is
        no object the garbage collector tracks; no kind holds a ":" and `leave` reads a number
        back from its decimal digits, so no two entries share a tag.
        """
        mine = self.mine
        for party, (kind, key) in pairs:
            tag = f"{kind}:{key}"
            held = mine.get(party, EMPTY)
            if tag not in held:
                mine = mine.set(party, held.set(tag, True))
        return mine

    def committed_cash(self) -> Decimal:
        """The money of the live contributions, as their sum in the current context gives it."""
        exponent = min(0, min(self.exponents, default=0))
        exact = self.cash.quantize(Decimal(1).scaleb(exponent), context=_EXACT)
        return decimal.getcontext().plus(exact)

    def fields(self) -> RegisterFields:
        """The registers as plain tuples, in recorded order."""

        def ordered(pairs: Iterable[tuple[int, Any]]) -> tuple[Any, ...]:
            return tuple(value for _, value in sorted(pairs, key=itemgetter(0)))

        scores = [
            pair
            for by_party in self.cells.values()
            for cell in by_party.values()
            for pair in cell.numbered()
        ]
        return RegisterFields(
            ordered(self.interests.values()),
            ordered(self.values.items()),
            ordered(self.deps.items()),
            ordered(scores),
            ordered(self.contributions.values()),
            self.rule,
            self.weights,
            ordered(self.agenda.values()),
            tuple(self.signatures.values()),
            ordered(self.roles.values()),
            self.budget,
            frozenset(self.closed),
            ordered(self.reviews.items()),
            ordered(self.facts.values()),
        )

    def highest_approved(self, ids: frozenset[str], stop: int | None = None) -> int | None:
        """The newest version (newer than `stop`) that every party of `ids` approved."""
        stack = self.stack
        while stack:
            version, stack = stack
            if stop is not None and version <= stop:
                return stop
            if ids <= self.agenda.get(version)[1].approvals:
                return version  # type: ignore[no-any-return]
        return None

    # --- what folds use: checks, and putting entries (folding and indexing share them) ---------
    #
    # A data event's fold (``_fold`` in `coopflow._events`) is written against these methods and
    # the maps above alone. Each put keeps every map that depends on the entry in step (counts,
    # sums, what names each party, the sequence numbers), so a fold never has to.

    def known(self, party: str, field: str = "party") -> None:
        """`InvalidEventError` naming `field` unless `party` is a party of this trajectory."""
        if party not in self.ids:
            raise InvalidEventError(field, party, Phrase("is not a party of this trajectory"))

    def proposed(self, version: int) -> tuple[int, AgendaVersion]:
        """The agenda version numbered `version` and its sequence number, or `InvalidEventError`."""
        found: tuple[int, AgendaVersion] | None = self.agenda.get(version)
        if found is None:
            raise InvalidEventError("version", version, Phrase("is not a proposed agenda version"))
        return found

    def put_interest(self, id: str, parties: frozenset[str], *, description: str = "") -> "Index":
        """With interest `id` endorsed by exactly `parties` (replacing its entry, in its place)."""
        interest = Interest(id, parties, description=description)
        old = self.interests.get(interest.id)
        sizes = self.sizes
        if old is None:
            seq, next_seq = self.seq, self.seq + 1
        else:
            seq, next_seq = old[0], self.seq
            sizes = _bump(sizes, len(old[1].parties), -1)
        return self.evolve(
            interests=self.interests.set(interest.id, (seq, interest)),
            sizes=_bump(sizes, len(interest.parties), 1),
            mine=self.own(*((party, ("interest", interest.id)) for party in interest.parties)),
            seq=next_seq,
        )

    def put_value(self, value: ValueNamed) -> "Index":
        """With one more value named."""
        seq = self.seq
        return self.evolve(
            values=self.values.set(seq, value),
            mine=self.own((value.party, ("value", seq))),
            counts=_bump(self.counts, f"values:{value.party}", 1),
            seq=seq + 1,
        )

    def put_dependency(self, dependency: DependencyDeclared) -> "Index":
        """With one more dependency."""
        seq = self.seq
        counts = _bump(self.counts, f"out:{dependency.party}", 1)
        return self.evolve(
            deps=self.deps.set(seq, dependency),
            mine=self.own((dependency.party, ("dep", seq)), (dependency.depends_on, ("dep", seq))),
            counts=_bump(counts, f"in:{dependency.depends_on}", 1),
            seq=seq + 1,
        )

    def put_score(
        self, party: str, dimension: str, respondent: str, score: float, at: datetime
    ) -> "Index":
        """With `respondent`'s latest score of `party` on `dimension`.

        (A party's scores are found again through `means` when it leaves, not through `mine`.)
        """
        seq = self.seq
        cells = self.cells
        by_party: Flat[str, _Cell] = cells.get(dimension, FLAT)  # flat maps: dict reads
        cell: _Cell | None = by_party.get(party)
        if cell is None:
            new = _Cell(party, dimension, respondent, seq, None, score, at)
        else:
            new = cell.put(seq, respondent, score, at)
        means = self.means
        return self.evolve(
            cells=cells.set(dimension, by_party.set(party, new)),
            means=means.set(dimension, means.get(dimension, FLAT).set(party, new.mean)),
            seq=seq + 1,
        )

    def put_contribution(
        self,
        party: str,
        id: str,
        *,
        cash: Decimal = Decimal(0),
        in_kind: bool = False,
        withdrawn: bool = False,
        seq: int | None = None,
    ) -> "Index":
        """With `party`'s contribution `id` (a new entry, or the old one's place with `seq`)."""
        contribution = Contribution(party, id, cash=cash, in_kind=in_kind, withdrawn=withdrawn)
        key = (contribution.party, contribution.id)
        index = self._drop_contribution(key)
        changes: dict[str, Any] = {}
        if seq is None:
            seq = index.seq
            changes["seq"] = seq + 1
        if contribution.withdrawn:
            changes["counts"] = _bump(index.counts, f"withdrawn:{contribution.party}", 1)
        else:
            changes["counts"] = _bump(index.counts, f"live:{contribution.party}", 1)
            changes["cash"] = _EXACT.add(index.cash, contribution.cash)
            changes["exponents"] = _bump(index.exponents, _exponent(contribution.cash), 1)
        return index.evolve(
            contributions=index.contributions.set(key, (seq, contribution)),
            mine=index.own((contribution.party, ("contribution", contribution.id))),
            **changes,
        )

    def put_version(
        self, version: int, themes: tuple[Theme, ...], *, approvals: frozenset[str] = frozenset()
    ) -> "Index":
        """With a new agenda version (the newest)."""
        entry = AgendaVersion(version, themes, approvals=approvals)
        seq = self.seq
        counted = self.themes
        for theme in entry.themes:
            counted = _bump(counted, theme.id, 1)
        tag = ("agenda", entry.version)
        owners = [(theme.owner, tag) for theme in entry.themes if theme.owner]
        return self.evolve(
            agenda=self.agenda.set(entry.version, (seq, entry)),
            stack=(entry.version, self.stack),
            themes=counted,
            mine=self.own(*owners, *((party, tag) for party in entry.approvals)),
            seq=seq + 1,
        )

    def put_signature(self, signature: DeclarationSigned) -> "Index":
        """With `signature` as its party's signature, the newest (its earlier one goes).

        A flat map is a dict, which keeps the order its keys were put in: a party's signature is
        taken out and put back last, so the values are in recorded order without a sequence
        number each (a tuple per signature that the garbage collector would track).
        """
        party = signature.party  # (its deleting is no copy when the party has not signed yet)
        signed = self.signatures.delete(party).set(party, signature)
        return self.evolve(signatures=signed, seq=self.seq + 1)

    def put_role(self, role: RoleAssigned) -> "Index":
        """With `role`'s party as the latest holder of the role."""
        counts = self.counts
        old = self.roles.get(role.role)
        if old is not None:
            counts = _bump(counts, f"roles:{old[1].party}", -1)
        return self.evolve(
            roles=self.roles.set(role.role, (self.seq, role)),
            counts=_bump(counts, f"roles:{role.party}", 1),
            mine=self.own((role.party, ("role", role.role))),
            seq=self.seq + 1,
        )

    def put_review(self, review: ReviewRecorded) -> "Index":
        """With one more review."""
        return self.evolve(
            reviews=self.reviews.set(self.seq, review),
            final=self.final or review.final,
            seq=self.seq + 1,
        )

    def put_fact(
        self,
        fact: str,
        party: str | None,
        holds: bool,
        note: str,
        at: datetime,
        *,
        withdrawn: bool = False,
    ) -> "Index":
        """With what was last recorded of `fact` (for `party`, or the whole trajectory)."""
        entry = FactState(fact, party, holds, note, at, withdrawn=withdrawn)
        key = (entry.fact, entry.party)
        mine = self.mine if entry.party is None else self.own((entry.party, ("fact", entry.fact)))
        return self.evolve(
            facts=self.facts.set(key, (self.seq, entry)), mine=mine, seq=self.seq + 1
        )

    def join(self, party: Party) -> "Index":
        """With `party` as the newest party (the caller checked it is new)."""
        # The newcomer approved nothing (what it did before it left went with it).
        return self._restamp((*self.parties, party), approved=None)

    def leave(self, gone: str) -> "Index":
        """Without party `gone` and everything it recorded (the caller checked it is known)."""
        interests, sizes, values, deps, cells = (
            self.interests,
            self.sizes,
            self.values,
            self.deps,
            self.cells,
        )
        means = self.means
        agenda, roles, facts, counts = self.agenda, self.roles, self.facts, self.counts
        contributions: list[tuple[str, str]] = []
        # Its scores: a cell per dimension it has a mean on (scores are not kept in `mine`).
        for dimension, by_party in self.means.items():
            if gone in by_party:
                cells = cells.set(dimension, cells[dimension].delete(gone))
                means = means.set(dimension, by_party.delete(gone))
        for tag in self.mine.get(gone, EMPTY):
            kind, _, key = tag.partition(":")  # see `own`
            if kind == "interest":
                seq, interest = interests.get(key)
                if gone in interest.parties:
                    size = len(interest.parties)
                    sizes = _bump(_bump(sizes, size, -1), size - 1, 1)
                    interest = attrs.evolve(interest, parties=interest.parties - {gone})
                    interests = interests.set(key, (seq, interest))
            elif kind == "value":
                values = values.delete(int(key))
            elif kind == "dep":
                number = int(key)
                dependency = deps.get(number)
                if dependency is not None:
                    deps = deps.delete(number)
                    counts = _bump(counts, f"out:{dependency.party}", -1)
                    counts = _bump(counts, f"in:{dependency.depends_on}", -1)
            elif kind == "contribution":
                contributions.append((gone, key))
            elif kind == "agenda":
                seq, version = agenda.get(int(key))
                themes = tuple(
                    attrs.evolve(theme, owner="") if theme.owner == gone else theme
                    for theme in version.themes
                )
                version = AgendaVersion(
                    version.version, themes, approvals=version.approvals - {gone}
                )
                agenda = agenda.set(version.version, (seq, version))
            elif kind == "role":
                held = roles.get(key)
                if held is not None and held[1].party == gone:
                    roles = roles.delete(key)
            else:  # a fact of its own
                facts = facts.delete((key, gone))
        for what in ("values", "roles"):
            counts = counts.delete(f"{what}:{gone}")
        index = self.evolve(
            interests=interests,
            sizes=sizes,
            values=values,
            deps=deps,
            cells=cells,
            means=means,
            agenda=agenda,
            roles=roles,
            facts=facts,
            counts=counts,
            mine=self.mine.delete(gone),
            weights=MappingProxyType({p: w for p, w in self.weights.items() if p != gone}),
        )
        for key in contributions:
            index = index._drop_contribution(key)
        parties = tuple(party for party in index.parties if party.id != gone)
        index = index._restamp(parties)
        return index.evolve(approved=index.highest_approved(index.ids, index.approved))

    def _restamp(self, parties: tuple[Party, ...], **changes: Any) -> "Index":
        """The index for a new set of parties (joined or left)."""
        ids = frozenset(party.id for party in parties)
        return self.evolve(parties=parties, ids=ids, signatures=FLAT, **changes)

    def _drop_contribution(self, key: tuple[str, str]) -> "Index":
        old = self.contributions.get(key)
        if old is None:
            return self
        contribution: Contribution = old[1]
        changes: dict[str, Any] = {"contributions": self.contributions.delete(key)}
        if contribution.withdrawn:
            changes["counts"] = _bump(self.counts, f"withdrawn:{contribution.party}", -1)
        else:
            changes["counts"] = _bump(self.counts, f"live:{contribution.party}", -1)
            changes["cash"] = _EXACT.subtract(self.cash, contribution.cash)
            changes["exponents"] = _bump(self.exponents, _exponent(contribution.cash), -1)
        return self.evolve(**changes)


def _empty_index(parties: tuple[Party, ...]) -> Index:
    index = object.__new__(Index)
    index.__dict__.update(
        parties=parties,
        ids=frozenset(party.id for party in parties),
        consistent=True,
        seq=0,
        interests=EMPTY,
        sizes=EMPTY,
        values=EMPTY,
        deps=EMPTY,
        cells=FLAT,
        means=EMPTY,
        contributions=EMPTY,
        cash=Decimal(0),
        exponents=EMPTY,
        rule=DecisionRule.CONSENSUS,
        weights=_NO_WEIGHTS,
        agenda=EMPTY,
        stack=(),
        themes=EMPTY,
        approved=None,
        signatures=FLAT,
        roles=EMPTY,
        budget=None,
        closed=EMPTY,
        reviews=EMPTY,
        final=False,
        facts=EMPTY,
        mine=EMPTY,
        counts=FLAT,
    )
    return index


# --- the public value -----------------------------------------------------------------------------


class Registers:
    """Everything the data events of a trajectory recorded (PROCESS.md, "Registers").

    Every field reads as a tuple (a frozenset for `closed_themes`, a read-only mapping for
    `weights`) in the order the events filled it, and compares by value. `values`,
    `dependencies`, `signatures`, `roles` and `reviews` hold the events that filled them; `roles`
    holds the latest holder of each role. Registers that folding made are indexed underneath
    (see `coopflow._registers`), so recording stays as fast after 100,000 events as after 10;
    each field's tuple is built when it is first read.

    Example:
        >>> import coopflow as cf
        >>> cf.Registers().decision_rule
        <DecisionRule.CONSENSUS: 'consensus'>
    """

    __slots__ = ("_fields", "_index")

    _fields: RegisterFields | None
    _index: Index | None

    def __init__(
        self,
        interests: tuple[Interest, ...] = (),
        values: tuple[ValueNamed, ...] = (),
        dependencies: tuple[DependencyDeclared, ...] = (),
        scores: tuple[Score, ...] = (),
        contributions: tuple[Contribution, ...] = (),
        decision_rule: DecisionRule = DecisionRule.CONSENSUS,
        weights: Mapping[str, float] = _NO_WEIGHTS,
        agenda: tuple[AgendaVersion, ...] = (),
        signatures: tuple[DeclarationSigned, ...] = (),
        roles: tuple[RoleAssigned, ...] = (),
        budget: Decimal | None = None,
        closed_themes: frozenset[str] = frozenset(),
        reviews: tuple[ReviewRecorded, ...] = (),
        facts: tuple[FactState, ...] = (),
    ) -> None:
        """Registers holding exactly these values (no index until something folds into them)."""
        fields = RegisterFields(
            interests,
            values,
            dependencies,
            scores,
            contributions,
            decision_rule,
            weights,
            agenda,
            signatures,
            roles,
            budget,
            closed_themes,
            reviews,
            facts,
        )
        object.__setattr__(self, "_fields", fields)
        object.__setattr__(self, "_index", None)

    @classmethod
    def _holding(cls, fields: RegisterFields) -> "Registers":
        # What __init__ makes of the same values, without building the fields a second time.
        registers = object.__new__(cls)
        object.__setattr__(registers, "_fields", fields)
        object.__setattr__(registers, "_index", None)
        return registers

    @classmethod
    def _indexed(cls, index: Index) -> "Registers":
        registers = object.__new__(cls)
        object.__setattr__(registers, "_fields", None)
        object.__setattr__(registers, "_index", index)
        return registers

    def _plain(self) -> RegisterFields:
        """The plain fields, built from the index on first use."""
        fields: RegisterFields | None = self._fields
        if fields is None:
            # Built once and kept; two threads building it at once build equal values.
            fields = self._index.fields()  # type: ignore[union-attr]
            object.__setattr__(self, "_fields", fields)
        return fields

    # --- the fields: tuples built from the index on first read; scalars read directly ---------

    @property
    def interests(self) -> tuple[Interest, ...]:
        """The common interests, in the order they were first shared."""
        return self._plain().interests

    @property
    def values(self) -> tuple[ValueNamed, ...]:
        """What each party brings and gains, as named."""
        return self._plain().values

    @property
    def dependencies(self) -> tuple[DependencyDeclared, ...]:
        """The dependencies declared between current parties."""
        return self._plain().dependencies

    @property
    def scores(self) -> tuple[Score, ...]:
        """The latest score of each respondent per party and dimension (the newest last)."""
        return self._plain().scores

    @property
    def contributions(self) -> tuple[Contribution, ...]:
        """The contributions committed, withdrawn ones marked."""
        return self._plain().contributions

    @property
    def decision_rule(self) -> DecisionRule:
        """The decision rule (consensus until one is set)."""
        index: Index | None = self._index
        return self._plain().decision_rule if index is None else index.rule

    @property
    def weights(self) -> Mapping[str, float]:
        """The weights of a weighted decision rule, per party."""
        index: Index | None = self._index
        return self._plain().weights if index is None else index.weights

    @property
    def agenda(self) -> tuple[AgendaVersion, ...]:
        """The agenda versions, oldest first."""
        return self._plain().agenda

    @property
    def signatures(self) -> tuple[DeclarationSigned, ...]:
        """The signatures of the declaration."""
        return self._plain().signatures

    @property
    def roles(self) -> tuple[RoleAssigned, ...]:
        """The latest holder of each role."""
        return self._plain().roles

    @property
    def budget(self) -> Decimal | None:
        """The programme budget, once set."""
        index: Index | None = self._index
        return self._plain().budget if index is None else index.budget

    @property
    def closed_themes(self) -> frozenset[str]:
        """The themes closed."""
        return self._plain().closed_themes

    @property
    def reviews(self) -> tuple[ReviewRecorded, ...]:
        """The reviews recorded."""
        return self._plain().reviews

    @property
    def facts(self) -> tuple[FactState, ...]:
        """What was last recorded of each fact (per party for a per-party fact)."""
        return self._plain().facts

    # --- value semantics -------------------------------------------------------------------------

    def __setattr__(self, name: str, value: object) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Registers):
            return NotImplemented
        return self is other or self._plain() == other._plain()

    def __hash__(self) -> int:
        return hash(self._plain())

    def __repr__(self) -> str:
        return "Registers(" + repr(self._plain())[len("RegisterFields(") :]


def from_fields(fields: RegisterFields) -> Registers:
    """Registers holding the plain `fields` (loading a document)."""
    return Registers._holding(fields)


def to_fields(registers: Registers) -> RegisterFields:
    """The plain fields of `registers` (storing a document)."""
    return registers._plain()


EMPTY_REGISTERS = Registers()


def replace_registers(registers: Registers, **changes: Any) -> Registers:
    """A copy of `registers` with `changes` to its public fields (not indexed)."""
    fields = registers._plain()
    return Registers(*(changes.get(name, getattr(fields, name)) for name in FIELDS))


def index_of(registers: Registers, parties: tuple[Party, ...]) -> Index | None:
    """The index of `registers` when it holds for these parties (every party it names is one).

    None for registers built by hand or loaded, whose queries scan the tuples.
    """
    index: Index | None = registers._index
    if index is None or not index.consistent:
        return None
    if index.parties is parties or index.parties == parties:
        return index
    return None


def without_signatures(registers: Registers) -> Registers:
    """The registers with every signature voided."""
    index: Index | None = registers._index
    if index is None:
        return replace_registers(registers, signatures=())
    return Registers._indexed(index.evolve(signatures=FLAT))


def has_signatures(registers: Registers) -> bool:
    """Whether some party signed."""
    index: Index | None = registers._index
    return bool(index.signatures) if index is not None else bool(registers.signatures)


# --- indexing registers built by hand -------------------------------------------------------------


def _names(fields: RegisterFields) -> Iterable[str]:
    """Every party the registers name."""
    for interest in fields.interests:
        yield from interest.parties
    yield from (value.party for value in fields.values)
    for dependency in fields.dependencies:
        yield from (dependency.party, dependency.depends_on)
    yield from (score.party for score in fields.scores)
    yield from (contribution.party for contribution in fields.contributions)
    for version in fields.agenda:
        yield from version.approvals
        yield from (theme.owner for theme in version.themes if theme.owner)
    yield from (signature.party for signature in fields.signatures)
    yield from (role.party for role in fields.roles)
    yield from (fact.party for fact in fields.facts if fact.party is not None)


def _index_fields(fields: RegisterFields, parties: tuple[Party, ...]) -> Index:
    """An index of plain registers, entry by entry in their order (a later duplicate wins)."""
    index = _empty_index(parties)
    for interest in fields.interests:
        index = index.put_interest(interest.id, interest.parties, description=interest.description)
    for value in fields.values:
        index = index.put_value(value)
    for dependency in fields.dependencies:
        index = index.put_dependency(dependency)
    for score in fields.scores:
        index = index.put_score(
            score.party, score.dimension, score.respondent, score.score, score.at
        )
    for contribution in fields.contributions:
        index = index.put_contribution(
            contribution.party,
            contribution.id,
            cash=contribution.cash,
            in_kind=contribution.in_kind,
            withdrawn=contribution.withdrawn,
        )
    for version in fields.agenda:
        index = index.put_version(version.version, version.themes, approvals=version.approvals)
    for signature in fields.signatures:
        index = index.put_signature(signature)
    for role in fields.roles:
        index = index.put_role(role)
    for review in fields.reviews:
        index = index.put_review(review)
    for fact in fields.facts:
        index = index.put_fact(
            fact.fact, fact.party, fact.holds, fact.note, fact.at, withdrawn=fact.withdrawn
        )
    consistent = all(name in index.ids for name in _names(fields))
    index = index.evolve(
        rule=fields.decision_rule,
        weights=fields.weights,
        budget=fields.budget,
        closed=_set_of(fields.closed_themes),
        consistent=consistent,
    )
    return index.evolve(approved=index.highest_approved(index.ids))


def _set_of(items: Iterable[str]) -> PMap[str, bool]:
    result: PMap[str, bool] = EMPTY
    for item in items:
        result = result.set(item, True)
    return result


def _folding(registers: Registers, parties: tuple[Party, ...]) -> Index:
    """The index to fold into: the registers' own, or a new one for these parties."""
    index: Index | None = registers._index
    if index is not None and index.parties is parties:
        return index
    if registers is EMPTY_REGISTERS:  # a trajectory's first event: nothing to index
        return _empty_index(parties)
    fields = registers._plain()
    return _index_fields(fields, parties)


# --- folding: each data event folds itself (``_fold`` in coopflow._events) ---------------------


@attrs.frozen
class FoldContext:
    """What folding needs of the process: its scale and its vocabulary (built once per process)."""

    scale: tuple[float, float]
    vocabulary: Vocabulary


WRITES: dict[type, frozenset[str] | None] = {cls: cls._writes for cls in DATA_EVENTS}
"""Per data event type, the registers its fold may change (None: any, and the parties).

Each event class says so in its ``_writes``; the engine skips the automatic conditions that read
none of them (see `coopflow._engine`).
"""

OF_PARTY: dict[type, str] = {
    cls: field for cls in DATA_EVENTS if (field := getattr(cls, "_of_party", None))
}
"""Per data event type whose writes concern one party's own entries only: the field naming it."""

REGISTER_NAMES = frozenset(attrs.fields_dict(RegisterFields))
"""The names of the registers, as guards name what they read (``Guard.reads``)."""


def fold_registers(
    registers: Registers,
    parties: tuple[Party, ...],
    event: DataEvent,
    context: FoldContext,
    at: datetime,
) -> tuple[Registers, tuple[Party, ...]]:
    """Fold one data event: the new registers and parties, or `InvalidEventError` (no change)."""
    if type(event) not in WRITES:
        raise InvalidEventError("event", event, Phrase("is not a coopflow event"))
    index = event._fold(_folding(registers, parties), context, at)
    return Registers._indexed(index), index.parties
