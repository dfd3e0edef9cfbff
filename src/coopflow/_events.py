"""Parties and events: the frozen facts a trajectory is built from.

Checks that one field decides happen here, when an event is constructed; checks that need the
trajectory (is this party known? is that version higher?) happen when the event is recorded.
"""

import math
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeAlias

import attrs

from coopflow._text import Phrase, shown
from coopflow._validators import Flag, PositiveInt, Text, ids, is_text
from coopflow.exceptions import InvalidEventError

__all__ = [
    "AgendaApproved",
    "AgendaProposed",
    "Assessed",
    "BudgetSet",
    "ContributionCommitted",
    "ContributionWithdrawn",
    "DataEvent",
    "DecisionRule",
    "DecisionRuleSet",
    "DeclarationSigned",
    "DependencyDeclared",
    "Dimension",
    "Event",
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

    def __attrs_post_init__(self) -> None:
        if self.party == self.depends_on:
            raise InvalidEventError(
                "depends_on", self.depends_on, Phrase("a party cannot depend on itself")
            )


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


@attrs.frozen
class BudgetSet:
    """The programme budget.

    Example:
        >>> import coopflow as cf
        >>> cf.BudgetSet(250_000).amount
        Decimal('250000')
    """

    amount: Decimal = attrs.field(converter=_amount)


@attrs.frozen
class ThemeClosed:
    """A theme of the agenda is done.

    Example:
        >>> import coopflow as cf
        >>> cf.ThemeClosed("sustainable-city").theme
        'sustainable-city'
    """

    theme: str = attrs.field(validator=_text)


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

DATA_EVENTS: tuple[type, ...] = DataEvent.__args__
EVENT_TYPES: tuple[type, ...] = (*DATA_EVENTS, Fire, Started)
