"""Parties and events: the frozen facts a trajectory is built from.

Checks that one field decides happen here, when an event is constructed; checks that need the
trajectory (is this party known? is that version higher?) happen when the event is recorded.

Each data event class is the one place that says everything about its type (the page
"Extending coopflow" of the documentation has the recipe):

- its fields, validated and converted here;
- ``_writes``, the registers its fold may change (None: any of them, and the parties), which the
  engine reads to skip the automatic conditions that read none of them; a name may be one key
  of a register, filled in from the event's fields (``"scores:{dimension}"``);
- optionally ``_of_party``, the field naming the one party whose own entries are all the fold
  changes (a score): the engine then asks a condition that did not hold about that party alone;
- ``_fold(index, context, at)``, how it folds into the registers: it checks what needs the
  trajectory and writes through the methods of `coopflow._registers.Index` (``known``,
  ``put_score``, ...), raising `InvalidEventError` before anything is built;
- ``_sentence(words)``, the plain-language line of the report's timeline, in the words of a
  `Words`.

`DataEvent` lists the classes; `coopflow` exports every name of ``__all__``, and the strategies
of `coopflow.testing` derive one for a new class from its fields.
"""

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeAlias

import attrs

from coopflow._text import Money, Phrase, shown
from coopflow._validators import Flag, PositiveInt, Text, ids, is_text
from coopflow.exceptions import InvalidEventError

if TYPE_CHECKING:  # only for annotations: coopflow._registers imports this module
    from coopflow._registers import FactState, FoldContext, Index

# The public names: `coopflow` exports each of them (`DataEvent` and `Event` stay private).
__all__ = [
    "AgendaApproved",
    "AgendaProposed",
    "Assessed",
    "BudgetSet",
    "ContributionCommitted",
    "ContributionWithdrawn",
    "DecisionRule",
    "DecisionRuleSet",
    "DeclarationSigned",
    "DependencyDeclared",
    "Dimension",
    "FactRecorded",
    "Fire",
    "InterestShared",
    "Party",
    "PartyJoined",
    "PartyLeft",
    "ReviewRecorded",
    "RoleAssigned",
    "Sector",
    "Started",
    "Theme",
    "ThemeClosed",
    "ValueNamed",
]


class Sector(StrEnum):
    """The world a party comes from.

    Example:
        >>> import coopflow as cf
        >>> cf.Sector("knowledge") is cf.Sector.KNOWLEDGE
        True
    """

    GOVERNMENT = "government"
    KNOWLEDGE = "knowledge"
    BUSINESS = "business"
    CIVIL_SOCIETY = "civil_society"


class Dimension(StrEnum):
    """The seed's score dimensions: trust, voice, and the three of energy.

    They are ids like any other dimension a process declares (its `Vocabulary`): a member and
    its string are interchangeable everywhere, ``cf.Dimension.TRUST == "trust"``.

    Example:
        >>> import coopflow as cf
        >>> [d.value for d in cf.Dimension]
        ['trust', 'voice', 'stake', 'urgency', 'impact']
    """

    TRUST = "trust"
    VOICE = "voice"
    STAKE = "stake"
    URGENCY = "urgency"
    IMPACT = "impact"


class DecisionRule(StrEnum):
    """How the parties take decisions together.

    Example:
        >>> import coopflow as cf
        >>> cf.DecisionRule.WEIGHTED.value
        'weighted'
    """

    CONSENSUS = "consensus"
    UNANIMITY = "unanimity"
    WEIGHTED = "weighted"


_RULES = {
    DecisionRule.CONSENSUS: Phrase("consensus"),
    DecisionRule.UNANIMITY: Phrase("unanimity"),
    DecisionRule.WEIGHTED: Phrase("weighted votes"),
}
"""How a sentence names each decision rule."""


class Words(Protocol):
    """What an event's sentence needs to speak the reader's words (the report's timeline)."""

    def name(self, party: str) -> str:
        """The name of the party with id `party` (the id when it is not known)."""

    def label(self, kind: str, id: str) -> str:
        """The label of a word of the process's vocabulary: a dimension, fact or role."""

    def theme(self, id: str) -> str:
        """The title of the agenda theme `id` (the id when no agenda version has it)."""


# --- validators and converters: each names the offending field and value -------------------------

_text = Text()
_optional_text = Text(empty=True)
_flag = Flag()
_positive_int = PositiveInt()


def _is_party(instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    if not isinstance(value, Party):
        raise InvalidEventError(attribute.name, value, Phrase("must be a Party"))


def _to_enum(name: str, enum: type[StrEnum]) -> Callable[[object], Any]:
    def convert(value: object) -> Any:
        if isinstance(value, enum):
            return value
        try:
            return enum(value)  # type: ignore[arg-type]
        except ValueError:
            choices = ", ".join(member.value for member in enum)
            raise InvalidEventError(
                name, value, Phrase("must be one of {choices}", choices=choices)
            ) from None

    return convert


def _optional_party(instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    if value is not None and not is_text(value):
        raise InvalidEventError(attribute.name, value, Phrase("must be a party id or None"))


def _to_optional_sector(value: object) -> Sector | None:
    return None if value is None else _sector(value)


def _sector(value: object) -> Sector:
    return _to_enum("sector", Sector)(value)  # type: ignore[no-any-return]


def _dimension(value: object) -> str:
    # A member of Dimension and its value are the same id: both are stored as the plain string.
    if not is_text(value):
        raise InvalidEventError("dimension", value, Phrase("must be a non-empty dimension id"))
    return str(value)


def _tags(value: object) -> frozenset[str]:
    return frozenset(ids("tags", value))


def _rule(value: object) -> DecisionRule:
    return _to_enum("rule", DecisionRule)(value)  # type: ignore[no-any-return]


def _score(value: object) -> float:
    return _to_float("score")(value)


def _cash(value: object) -> Decimal:
    return _to_money("cash")(value)


def _amount(value: object) -> Decimal:
    return _to_money("amount")(value)


def _endorsers(value: object) -> frozenset[str]:
    return frozenset(_to_ids("parties", at_least_one=True)(value))


def _interest_ids(value: object) -> tuple[str, ...]:
    return _to_ids("interests", at_least_one=False)(value)  # type: ignore[no-any-return]


def _parties(value: object) -> tuple["Party", ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidEventError("parties", value, Phrase("must be a collection of Party"))
    parties = tuple(value)
    for party in parties:
        if not isinstance(party, Party):
            raise InvalidEventError("parties", party, Phrase("must be a Party"))
    return parties


def _to_float(name: str) -> Callable[[object], float]:
    def convert(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise InvalidEventError(name, value, Phrase("must be a number"))
        try:
            number = float(value)
        except (ValueError, OverflowError):  # a signalling NaN, or an int beyond any float
            raise InvalidEventError(name, value, Phrase("must be a finite number")) from None
        if not math.isfinite(number):
            raise InvalidEventError(name, value, Phrase("must be a finite number"))
        return number

    return convert


def _to_money(name: str) -> Callable[[object], Decimal]:
    def convert(value: object) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
            raise InvalidEventError(name, value, Phrase("must be an amount of money"))
        try:
            amount = value if isinstance(value, Decimal) else Decimal(str(value))
        except InvalidOperation:
            raise InvalidEventError(name, value, Phrase("must be an amount of money")) from None
        if not amount.is_finite() or amount < 0:
            raise InvalidEventError(name, value, Phrase("must be a finite amount of at least 0"))
        if amount >= MAX_MONEY:
            raise InvalidEventError(name, value, Phrase("must be less than 10**15"))
        return amount

    return convert


def _to_ids(name: str, *, at_least_one: bool) -> Callable[[object], Any]:
    def convert(value: object) -> Any:
        items = ids(name, value)
        if at_least_one and not items:
            raise InvalidEventError(name, value, Phrase("must name at least one"))
        return items

    return convert


def _to_weights(value: object) -> Mapping[str, float]:
    if not isinstance(value, Mapping):
        raise InvalidEventError("weights", value, Phrase("must be a mapping of party id to weight"))
    weights: dict[str, float] = {}
    for party, weight in value.items():
        if not is_text(party):
            raise InvalidEventError(
                "weights", value, Phrase("has {party}, not a party id", party=shown(party))
            )
        number = _to_float("weights")(weight)
        if number < 0:
            raise InvalidEventError(
                "weights", value, Phrase("gives {party} a negative weight", party=shown(party))
            )
        weights[party] = number
    return MappingProxyType(weights)


def _to_themes(value: object) -> tuple["Theme", ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidEventError("themes", value, Phrase("must be a sequence of Theme"))
    themes = tuple(value)
    seen: set[str] = set()
    for theme in themes:
        if not isinstance(theme, Theme):
            raise InvalidEventError("themes", theme, Phrase("must be a Theme"))
        if theme.id in seen:
            raise InvalidEventError("themes", theme.id, Phrase("names the same theme twice"))
        seen.add(theme.id)
    return themes


_EMPTY_WEIGHTS: Mapping[str, float] = MappingProxyType({})

MAX_MONEY = Decimal(10) ** 15
"""Amounts of money stay below this, so that sums of them can never overflow."""


def money(value: object, name: str = "amount") -> Decimal:
    """`value` as an amount of money, or `InvalidEventError` naming `name`."""
    return _to_money(name)(value)


# --- parties ------------------------------------------------------------------------------------


@attrs.frozen
class Party:
    """An organisation that takes part in a trajectory.

    Args:
        id: a stable, unique id.
        name: the name people read; the id when not given.
        sector: the world the party comes from, if known.
        tags: free ids that let guards address some parties only (``{"backbone"}``).

    Example:
        >>> import coopflow as cf
        >>> cf.Party("gemeente-tilburg", name="Gemeente Tilburg", sector=cf.Sector.GOVERNMENT).name
        'Gemeente Tilburg'
        >>> sorted(cf.Party("stichting-x", tags={"backbone"}).tags)
        ['backbone']
    """

    id: str = attrs.field(validator=_text)
    name: str = attrs.field(
        kw_only=True,
        default=attrs.Factory(lambda self: self.id, takes_self=True),
        validator=_text,
    )
    sector: Sector | None = attrs.field(kw_only=True, default=None, converter=_to_optional_sector)
    tags: frozenset[str] = attrs.field(kw_only=True, default=frozenset(), converter=_tags)


# --- data events --------------------------------------------------------------------------------


@attrs.frozen
class PartyJoined:
    """A party joins the trajectory; every signature of the declaration is void.

    Example:
        >>> import coopflow as cf
        >>> cf.PartyJoined(cf.Party("brabant")).party.id
        'brabant'
    """

    party: Party = attrs.field(validator=_is_party)

    _writes: ClassVar[frozenset[str] | None] = None  # the parties change: every register may

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        if self.party.id in index.ids:
            raise InvalidEventError("party", self.party.id, Phrase("has already joined"))
        return index.join(self.party)

    def _sentence(self, words: Words) -> Phrase:
        return Phrase("{name} joined", name=self.party.name)


@attrs.frozen
class PartyLeft:
    """A party leaves, taking its scores, values, dependencies, contributions and roles along.

    Example:
        >>> import coopflow as cf
        >>> cf.PartyLeft("brabant", reason="reorganisation").reason
        'reorganisation'
    """

    party: str = attrs.field(validator=_text)
    reason: str = attrs.field(kw_only=True, default="", validator=_optional_text)

    _writes: ClassVar[frozenset[str] | None] = None  # the parties change: every register may

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        index.known(self.party)
        return index.leave(self.party)

    def _sentence(self, words: Words) -> Phrase:
        if self.reason:
            return Phrase("{name} left: {reason}", name=words.name(self.party), reason=self.reason)
        return Phrase("{name} left", name=words.name(self.party))


@attrs.frozen
class InterestShared:
    """A common interest, endorsed by the given parties; sharing it again adds endorsements.

    Example:
        >>> import coopflow as cf
        >>> sorted(cf.InterestShared("evidence-based-policy", parties=["a", "b"]).parties)
        ['a', 'b']
    """

    interest: str = attrs.field(validator=_text)
    parties: frozenset[str] = attrs.field(converter=_endorsers)
    description: str = attrs.field(kw_only=True, default="", validator=_optional_text)

    _writes: ClassVar[frozenset[str] | None] = frozenset({"interests"})

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        for party in sorted(self.parties):
            index.known(party, "parties")
        old = index.interests.get(self.interest)
        if old is None:
            return index.put_interest(self.interest, self.parties, description=self.description)
        description = self.description or old[1].description
        parties = old[1].parties | self.parties
        return index.put_interest(self.interest, parties, description=description)

    def _sentence(self, words: Words) -> Phrase:
        who = ", ".join(sorted(words.name(p) for p in self.parties))
        return Phrase(
            "Common interest shared by {who}: {interest}",
            who=who,
            interest=self.description or self.interest,
        )


@attrs.frozen
class ValueNamed:
    """What a party brings to the cooperation and what it gains from it: its added value.

    Example:
        >>> import coopflow as cf
        >>> cf.ValueNamed("uni", brings="research", gains="societal impact").gains
        'societal impact'
    """

    party: str = attrs.field(validator=_text)
    brings: str = attrs.field(validator=_text)
    gains: str = attrs.field(validator=_text)

    _writes: ClassVar[frozenset[str] | None] = frozenset({"values"})

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        index.known(self.party)
        return index.put_value(self)

    def _sentence(self, words: Words) -> Phrase:
        return Phrase(
            "{name} brings {brings}; it gains {gains}",
            name=words.name(self.party),
            brings=self.brings,
            gains=self.gains,
        )


@attrs.frozen
class DependencyDeclared:
    """Party `party` depends on party `depends_on` for `need`.

    Example:
        >>> import coopflow as cf
        >>> cf.DependencyDeclared("gemeente", "uni", need="knowledge").depends_on
        'uni'
    """

    party: str = attrs.field(validator=_text)
    depends_on: str = attrs.field(validator=_text)
    need: str = attrs.field(kw_only=True, default="", validator=_optional_text)

    _writes: ClassVar[frozenset[str] | None] = frozenset({"dependencies"})

    def __attrs_post_init__(self) -> None:
        if self.party == self.depends_on:
            raise InvalidEventError(
                "depends_on", self.depends_on, Phrase("a party cannot depend on itself")
            )

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        index.known(self.party)
        index.known(self.depends_on, "depends_on")
        return index.put_dependency(self)

    def _sentence(self, words: Words) -> Phrase:
        other = words.name(self.depends_on)
        if self.need:
            return Phrase(
                "{name} depends on {other} for {need}",
                name=words.name(self.party),
                other=other,
                need=self.need,
            )
        return Phrase("{name} depends on {other}", name=words.name(self.party), other=other)


@attrs.frozen
class Assessed:
    """A score of one party on one dimension, by one respondent (the latest one counts).

    The dimension is any id the process's vocabulary declares (``cf.Dimension.TRUST`` and
    ``"trust"`` are the same); recording an undeclared one is an `InvalidEventError`.

    Example:
        >>> import coopflow as cf
        >>> cf.Assessed("uni", cf.Dimension.TRUST, 4).score
        4.0
        >>> cf.Assessed("uni", "communication", 4).dimension
        'communication'
    """

    party: str = attrs.field(validator=_text)
    dimension: str = attrs.field(converter=_dimension)
    score: float = attrs.field(converter=_score)
    respondent: str = attrs.field(kw_only=True, default="", validator=_optional_text)

    _writes: ClassVar[frozenset[str] | None] = frozenset({"scores:{dimension}"})
    _of_party: ClassVar[str] = "party"

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        index.known(self.party)
        if self.dimension not in context.vocabulary.dimensions:
            raise InvalidEventError(
                "dimension", self.dimension, Phrase("is not a dimension this process declares")
            )
        lowest, highest = context.scale
        if not lowest <= self.score <= highest:
            raise InvalidEventError(
                "score",
                self.score,
                Phrase(
                    "is off the scale {lowest} to {highest}",
                    lowest=format(lowest, "g"),
                    highest=format(highest, "g"),
                ),
            )
        return index.put_score(self.party, self.dimension, self.respondent, self.score, at)

    def _sentence(self, words: Words) -> Phrase:
        return Phrase(
            "{name} scored {score} on {dimension}",
            name=words.name(self.party),
            score=self.score,
            dimension=words.label("dimension", self.dimension),
        )


@attrs.frozen
class ContributionCommitted:
    """A party commits a contribution: money (`cash`), work in kind, or both.

    Example:
        >>> import coopflow as cf
        >>> cf.ContributionCommitted("uni", "researchers", in_kind=True).in_kind
        True
    """

    party: str = attrs.field(validator=_text)
    contribution: str = attrs.field(validator=_text)
    cash: Decimal = attrs.field(kw_only=True, default=Decimal(0), converter=_cash)
    in_kind: bool = attrs.field(kw_only=True, default=False, validator=_flag)

    _writes: ClassVar[frozenset[str] | None] = frozenset({"contributions"})

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        index.known(self.party)
        old = index.contributions.get((self.party, self.contribution))
        if old is not None and not old[1].withdrawn:
            raise InvalidEventError(
                "contribution", self.contribution, Phrase("is already committed by this party")
            )
        return index.put_contribution(
            self.party, self.contribution, cash=self.cash, in_kind=self.in_kind
        )

    def _sentence(self, words: Words) -> Phrase:
        name = words.name(self.party)
        if self.in_kind and self.cash:
            return Phrase(
                "{name} committed a contribution in kind worth {amount}",
                name=name,
                amount=Money(self.cash),
            )
        if self.in_kind:
            return Phrase("{name} committed a contribution in kind", name=name)
        return Phrase("{name} committed {amount}", name=name, amount=Money(self.cash))


@attrs.frozen
class ContributionWithdrawn:
    """A party withdraws a contribution it committed; it no longer counts.

    Example:
        >>> import coopflow as cf
        >>> cf.ContributionWithdrawn("uni", "researchers").contribution
        'researchers'
    """

    party: str = attrs.field(validator=_text)
    contribution: str = attrs.field(validator=_text)

    _writes: ClassVar[frozenset[str] | None] = frozenset({"contributions"})

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        index.known(self.party)
        old = index.contributions.get((self.party, self.contribution))
        if old is None or old[1].withdrawn:
            raise InvalidEventError(
                "contribution",
                self.contribution,
                Phrase("is not a committed contribution of this party"),
            )
        seq, held = old
        return index.put_contribution(
            held.party, held.id, cash=held.cash, in_kind=held.in_kind, withdrawn=True, seq=seq
        )

    def _sentence(self, words: Words) -> Phrase:
        return Phrase("{name} withdrew a contribution", name=words.name(self.party))


@attrs.frozen
class DecisionRuleSet:
    """The parties agree how they decide: consensus, unanimity, or weighted votes.

    Example:
        >>> import coopflow as cf
        >>> rule = cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"a": 1, "b": 1})
        >>> dict(rule.weights)
        {'a': 1.0, 'b': 1.0}
    """

    rule: DecisionRule = attrs.field(converter=_rule)
    weights: Mapping[str, float] = attrs.field(
        kw_only=True, default=_EMPTY_WEIGHTS, converter=_to_weights
    )

    _writes: ClassVar[frozenset[str] | None] = frozenset({"decision_rule", "weights"})

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        for party in sorted(self.weights):
            index.known(party, "weights")
        return index.evolve(rule=self.rule, weights=self.weights)

    def _sentence(self, words: Words) -> Phrase:
        return Phrase("The parties decide by {rule}", rule=_RULES[self.rule])


@attrs.frozen
class Theme:
    """A theme of the cooperation agenda, with its owner, indicator and linked interests.

    An empty `owner` or `indicator` is allowed here; the `agenda_approved` guard then says what
    is missing.

    Example:
        >>> import coopflow as cf
        >>> theme = cf.Theme("sustainable-city", "Sustainable city", "gemeente", "CO2", ["climate"])
        >>> theme.interests
        ('climate',)
    """

    id: str = attrs.field(validator=_text)
    title: str = attrs.field(validator=_text)
    owner: str = attrs.field(validator=_optional_text)
    indicator: str = attrs.field(validator=_optional_text)
    interests: tuple[str, ...] = attrs.field(converter=_interest_ids)


@attrs.frozen
class AgendaProposed:
    """A new version of the cooperation agenda; its number must be higher than every earlier one.

    Example:
        >>> import coopflow as cf
        >>> cf.AgendaProposed(1, themes=[]).version
        1
    """

    version: int = attrs.field(validator=_positive_int)
    themes: tuple[Theme, ...] = attrs.field(converter=_to_themes)

    _writes: ClassVar[frozenset[str] | None] = frozenset({"agenda"})

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        if index.stack and self.version <= index.stack[0]:
            raise InvalidEventError(
                "version",
                self.version,
                Phrase("must be higher than version {version}", version=index.stack[0]),
            )
        for theme in self.themes:
            if theme.owner:
                index.known(theme.owner, "owner")
            for interest in theme.interests:
                if interest not in index.interests:
                    raise InvalidEventError(
                        "interests", interest, Phrase("is not a shared interest")
                    )
        index = index.put_version(self.version, self.themes)
        # With no parties left, every version is approved by all of them.
        return index if index.ids else index.evolve(approved=self.version)

    def _sentence(self, words: Words) -> Phrase:
        return Phrase(
            "Agenda version {version} proposed with {count} theme",
            "Agenda version {version} proposed with {count} themes",
            version=self.version,
            count=len(self.themes),
        )


@attrs.frozen
class AgendaApproved:
    """A party approves a version of the agenda.

    Example:
        >>> import coopflow as cf
        >>> cf.AgendaApproved("uni", 1).version
        1
    """

    party: str = attrs.field(validator=_text)
    version: int = attrs.field(validator=_positive_int)

    _writes: ClassVar[frozenset[str] | None] = frozenset({"agenda"})

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        index.known(self.party)
        seq, old = index.proposed(self.version)
        new = attrs.evolve(old, approvals=old.approvals | {self.party})
        approved = index.approved
        if (approved is None or new.version > approved) and index.ids <= new.approvals:
            approved = new.version
        return index.evolve(
            agenda=index.agenda.set(new.version, (seq, new)),
            mine=index.own((self.party, ("agenda", new.version))),
            approved=approved,
        )

    def _sentence(self, words: Words) -> Phrase:
        return Phrase(
            "{name} approved agenda version {version}",
            name=words.name(self.party),
            version=self.version,
        )


@attrs.frozen
class DeclarationSigned:
    """A party's signatory signs the cooperation declaration on an agenda version.

    Example:
        >>> import coopflow as cf
        >>> cf.DeclarationSigned("uni", "Emile Aarts", 1, role="rector magnificus").role
        'rector magnificus'
    """

    party: str = attrs.field(validator=_text)
    signatory: str = attrs.field(validator=_text)
    version: int = attrs.field(validator=_positive_int)
    role: str = attrs.field(kw_only=True, default="", validator=_optional_text)

    _writes: ClassVar[frozenset[str] | None] = frozenset({"signatures"})

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        index.known(self.party)
        index.proposed(self.version)
        return index.put_signature(self)

    def _sentence(self, words: Words) -> Phrase:
        who = f"{self.signatory}, {self.role}" if self.role else self.signatory
        return Phrase(
            "{name} signed the cooperation declaration ({who})",
            name=words.name(self.party),
            who=who,
        )


@attrs.frozen
class RoleAssigned:
    """A party takes a role in the programme office (the latest holder of a role counts).

    Example:
        >>> import coopflow as cf
        >>> cf.RoleAssigned("programme_manager", "gemeente").role
        'programme_manager'
    """

    role: str = attrs.field(validator=_text)
    party: str = attrs.field(validator=_text)
    person: str = attrs.field(kw_only=True, default="", validator=_optional_text)

    _writes: ClassVar[frozenset[str] | None] = frozenset({"roles"})

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        index.known(self.party)
        return index.put_role(self)

    def _sentence(self, words: Words) -> Phrase:
        return Phrase(
            "{name} takes the role of {role}",
            name=words.name(self.party),
            role=words.label("role", self.role),
        )


@attrs.frozen
class BudgetSet:
    """The programme budget.

    Example:
        >>> import coopflow as cf
        >>> cf.BudgetSet(250_000).amount
        Decimal('250000')
    """

    amount: Decimal = attrs.field(converter=_amount)

    _writes: ClassVar[frozenset[str] | None] = frozenset({"budget"})

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        return index.evolve(budget=self.amount)

    def _sentence(self, words: Words) -> Phrase:
        return Phrase("Programme budget set at {amount}", amount=Money(self.amount))


@attrs.frozen
class ThemeClosed:
    """A theme of the agenda is done.

    Example:
        >>> import coopflow as cf
        >>> cf.ThemeClosed("sustainable-city").theme
        'sustainable-city'
    """

    theme: str = attrs.field(validator=_text)

    _writes: ClassVar[frozenset[str] | None] = frozenset({"closed_themes"})

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        if self.theme not in index.themes:
            raise InvalidEventError(
                "theme", self.theme, Phrase("is not a theme of any agenda version")
            )
        return index.evolve(closed=index.closed.set(self.theme, True))

    def _sentence(self, words: Words) -> Phrase:
        return Phrase("Theme closed: {theme}", theme=words.theme(self.theme))


@attrs.frozen
class ReviewRecorded:
    """A review of the cooperation; a `final` one is needed to complete.

    Example:
        >>> import coopflow as cf
        >>> cf.ReviewRecorded("Five years of city and university", final=True).final
        True
    """

    summary: str = attrs.field(validator=_text)
    final: bool = attrs.field(kw_only=True, default=False, validator=_flag)

    _writes: ClassVar[frozenset[str] | None] = frozenset({"reviews"})

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        return index.put_review(self)

    def _sentence(self, words: Words) -> Phrase:
        if self.final:
            return Phrase("Final review recorded: {summary}", summary=self.summary)
        return Phrase("Review recorded: {summary}", summary=self.summary)


@attrs.frozen
class FactRecorded:
    """A fact the process declares holds (or, with ``holds=False``, no longer holds).

    `party` names the party of a per-party fact; a fact of the whole trajectory has none.
    Recording it again with ``holds=False`` withdraws it.

    Example:
        >>> import coopflow as cf
        >>> cf.FactRecorded("council_approval").holds
        True
        >>> cf.FactRecorded("board_mandate", party="gemeente", holds=False, note="new board").note
        'new board'
    """

    fact: str = attrs.field(validator=_text)
    party: str | None = attrs.field(kw_only=True, default=None, validator=_optional_party)
    holds: bool = attrs.field(kw_only=True, default=True, validator=_flag)
    note: str = attrs.field(kw_only=True, default="", validator=_optional_text)

    _writes: ClassVar[frozenset[str] | None] = frozenset({"facts"})

    def _fold(self, index: "Index", context: "FoldContext", at: datetime) -> "Index":
        declared = context.vocabulary.facts.get(self.fact)
        if declared is None:
            raise InvalidEventError(
                "fact", self.fact, Phrase("is not a fact this process declares")
            )
        if declared.per_party and self.party is None:
            raise InvalidEventError(
                "party", None, Phrase("this fact is recorded per party: name the party")
            )
        if not declared.per_party and self.party is not None:
            raise InvalidEventError(
                "party", self.party, Phrase("this fact is of the whole trajectory: name no party")
            )
        if self.party is not None:
            index.known(self.party)
        found = index.facts.get((self.fact, self.party))
        old: FactState | None = None if found is None else found[1]
        held = old is not None and (old.holds or old.withdrawn)
        withdrawn = held and not self.holds
        return index.put_fact(self.fact, self.party, self.holds, self.note, at, withdrawn=withdrawn)

    def _sentence(self, words: Words) -> Phrase:
        fact = words.label("fact", self.fact)
        if self.party is not None:
            if self.holds:
                return Phrase("Recorded for {name}: {fact}", name=words.name(self.party), fact=fact)
            return Phrase("Withdrawn for {name}: {fact}", name=words.name(self.party), fact=fact)
        if self.holds:
            return Phrase("Recorded: {fact}", fact=fact)
        return Phrase("Withdrawn: {fact}", fact=fact)


# --- transition requests and the start ----------------------------------------------------------


@attrs.frozen
class Fire:
    """A request to fire a manual trigger, as the pure engine takes it.

    Example:
        >>> import coopflow as cf
        >>> cf.Fire("stall", reason="elections").trigger
        'stall'
    """

    trigger: str = attrs.field(validator=_text)
    reason: str = attrs.field(kw_only=True, default="", validator=_optional_text)


@attrs.frozen
class Started:
    """The first record of every trajectory: its id, title and first parties.

    Example:
        >>> import coopflow as cf
        >>> cf.Started("t-1", "Tilburg", (cf.Party("a"), cf.Party("b"))).title
        'Tilburg'
    """

    trajectory: str = attrs.field(validator=_text)
    title: str = attrs.field(validator=_optional_text)
    parties: tuple[Party, ...] = attrs.field(converter=_parties)

    def _sentence(self, words: Words) -> Phrase:
        count = len(self.parties)
        return Phrase("Started with {count} party", "Started with {count} parties", count=count)


DataEvent: TypeAlias = (
    PartyJoined
    | PartyLeft
    | InterestShared
    | ValueNamed
    | DependencyDeclared
    | Assessed
    | ContributionCommitted
    | ContributionWithdrawn
    | DecisionRuleSet
    | AgendaProposed
    | AgendaApproved
    | DeclarationSigned
    | RoleAssigned
    | BudgetSet
    | ThemeClosed
    | ReviewRecorded
    | FactRecorded
)
"""A fact recorded into a trajectory's registers."""

Event: TypeAlias = DataEvent | Fire
"""What the engine applies: a fact, or a request to fire a trigger."""

DATA_EVENTS: tuple[type[DataEvent], ...] = DataEvent.__args__
EVENT_TYPES: tuple[type, ...] = (*DATA_EVENTS, Fire, Started)
