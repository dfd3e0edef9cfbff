"""The vocabulary of a process: its own score dimensions, facts, roles and tags, labelled en/nl.

A process names what it scores, which facts it records, which roles its office needs and which
tags address some parties only. Guards and events refer to these words by id; messages render
them from their labels. The seed's words (five dimensions and the role ``programme_manager``)
are part of every vocabulary, so the named guards of the seed work in every process.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

from coopflow._i18n import LOCALES, WORDS
from coopflow._text import Phrase, Problem, shown
from coopflow._validators import Flag, is_text, to_labels
from coopflow.exceptions import InvalidProcessError, UnknownNameError

Labels = Mapping[str, str]

SEED_DIMENSIONS: Final[Mapping[str, Labels]] = MappingProxyType(
    {
        id: MappingProxyType(dict(WORDS[id]))
        for id in ("trust", "voice", "stake", "urgency", "impact")
    }
)
"""The dimensions of the seed's process (PROCESS.md), part of every vocabulary."""

SEED_ROLES: Final[Mapping[str, Labels]] = MappingProxyType(
    {"programme_manager": MappingProxyType(dict(WORDS["programme_manager"]))}
)
"""The role of the seed's programme office, part of every vocabulary."""

KINDS: Final = ("dimension", "fact", "role", "tag")
"""The kinds of word a vocabulary declares."""


def _label_problems(kind: str, id: object, labels: object) -> list[Problem]:
    if not is_text(id):
        return [Phrase("{kind} id {id} must be a non-empty string", kind=kind, id=shown(id))]
    if not isinstance(labels, Mapping):
        return [
            Phrase(
                "{kind} {id} labels {labels} must map a locale to a text",
                kind=kind,
                id=shown(id),
                labels=shown(labels),
            )
        ]
    return [
        Phrase("{kind} {id} has no {locale} label", kind=kind, id=shown(id), locale=shown(locale))
        for locale in LOCALES
        if not is_text(labels.get(locale))
    ]


@attrs.frozen
class Fact:
    """A fact a process records: of the whole trajectory, or (``per_party``) of each party.

    Example:
        >>> import coopflow as cf
        >>> labels = {"en": "board mandate", "nl": "mandaat van het bestuur"}
        >>> cf.Fact(labels, per_party=True).per_party
        True
    """

    labels: Labels = attrs.field(converter=to_labels)
    per_party: bool = attrs.field(kw_only=True, default=False, validator=Flag(InvalidProcessError))


def _to_words(value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidProcessError(
            [Phrase("vocabulary words {value} must be a mapping", value=shown(value))]
        )
    return MappingProxyType(dict(value))


def _to_facts(value: object) -> Mapping[str, Fact]:
    words = _to_words(value)
    return MappingProxyType(
        {id: fact if isinstance(fact, Fact) else _fact_from(id, fact) for id, fact in words.items()}
    )


def _fact_from(id: object, value: object) -> Fact:
    # A plain mapping of labels is a fact of the whole trajectory.
    if isinstance(value, Mapping):
        return Fact(value)
    raise InvalidProcessError(
        [Phrase("fact {id} {value} must be a Fact", id=shown(id), value=shown(value))]
    )


def _words_with(seed: Mapping[str, Labels], value: object) -> Mapping[str, Labels]:
    words = _to_words(value)
    given = {
        id: to_labels(labels) if isinstance(labels, Mapping) else labels
        for id, labels in words.items()
    }
    return MappingProxyType({**seed, **given})


def _to_dimensions(value: object) -> Mapping[str, Labels]:
    return _words_with(SEED_DIMENSIONS, value)


def _to_roles(value: object) -> Mapping[str, Labels]:
    return _words_with(SEED_ROLES, value)


def _to_tags(value: object) -> Mapping[str, Labels]:
    return _words_with({}, value)


@attrs.frozen
class Vocabulary:
    """The words of a process: score dimensions, facts, roles and tags, each labelled en and nl.

    The seed's five dimensions (trust, voice, stake, urgency, impact) and its role
    ``programme_manager`` are always part of it; what you give is added (or relabels them).

    Raises:
        InvalidProcessError: an id is empty or a label is missing (every problem at once).

    Example:
        >>> import coopflow as cf
        >>> words = cf.Vocabulary(
        ...     dimensions={"communication": {"en": "continuous communication",
        ...                                   "nl": "continue communicatie"}},
        ...     roles={"backbone": {"en": "backbone organisation", "nl": "backbone-organisatie"}},
        ... )
        >>> list(words.dimensions)
        ['trust', 'voice', 'stake', 'urgency', 'impact', 'communication']
        >>> words.label("dimension", "communication", "nl")
        'continue communicatie'
    """

    dimensions: Mapping[str, Labels] = attrs.field(
        kw_only=True, factory=dict, converter=_to_dimensions
    )
    facts: Mapping[str, Fact] = attrs.field(kw_only=True, factory=dict, converter=_to_facts)
    roles: Mapping[str, Labels] = attrs.field(kw_only=True, factory=dict, converter=_to_roles)
    tags: Mapping[str, Labels] = attrs.field(kw_only=True, factory=dict, converter=_to_tags)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for kind, words in (
            ("dimension", self.dimensions),
            ("role", self.roles),
            ("tag", self.tags),
        ):
            for id, labels in words.items():
                problems += _label_problems(kind, id, labels)
        for id, fact in self.facts.items():
            problems += _label_problems("fact", id, fact.labels)
        if problems:
            raise InvalidProcessError(problems)

    def words(self, kind: str) -> Mapping[str, Any]:
        """The declared words of one kind (``"dimension"``, ``"fact"``, ``"role"``, ``"tag"``).

        Raises:
            UnknownNameError: `kind` is not one of them.

        Example:
            >>> import coopflow as cf
            >>> "trust" in cf.Vocabulary().words("dimension")
            True
        """
        if kind == "dimension":
            return self.dimensions
        if kind == "fact":
            return self.facts
        if kind == "role":
            return self.roles
        if kind == "tag":
            return self.tags
        raise UnknownNameError(
            "kind of word", kind, Phrase("choose from {KINDS}", KINDS=", ".join(KINDS))
        )

    def declares(self, kind: str, id: str) -> bool:
        """Whether the vocabulary declares `id` as a word of `kind`.

        Example:
            >>> import coopflow as cf
            >>> cf.Vocabulary().declares("role", "programme_manager")
            True
        """
        return id in self.words(kind)

    def label(self, kind: str, id: str, locale: str = "en") -> str:
        """The label of a declared word in `locale`.

        Raises:
            UnknownNameError: the word is not declared, or the locale is unknown.

        Example:
            >>> import coopflow as cf
            >>> cf.Vocabulary().label("dimension", "voice", "nl")
            'zeggenschap'
        """
        from coopflow._i18n import check_locale

        check_locale(locale)
        word = self.words(kind).get(id)
        if word is None:
            raise UnknownNameError(kind, id, Phrase("the vocabulary does not declare it"))
        labels = word.labels if isinstance(word, Fact) else word
        return str(labels[locale])

    def labels(self, kind: str, id: str) -> Labels:
        """The labels of a word, or an empty mapping when it is not declared (never raises)."""
        word = self.words(kind).get(id) if kind in KINDS else None
        if word is None:
            return MappingProxyType({})
        return word.labels if isinstance(word, Fact) else word


SEED_VOCABULARY: Final = Vocabulary()
"""The vocabulary of the seed's process: its five dimensions and its role, no facts or tags."""
