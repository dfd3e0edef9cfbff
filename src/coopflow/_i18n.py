"""The message catalogue: every text a user reads, in English and Dutch.

A message is a key plus parameters; it is rendered only when someone reads it, so results stay
plain data and the same refusal can be shown in either language.
"""

import re
import string
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final, cast

from coopflow._text import (
    LOCALES,
    Money,
    Phrase,
    Problem,
    Share,
    catalogue,
    fill,
    number,
    plural_index,
    shown,
    value_in,
)
from coopflow.exceptions import InvalidProcessError, UnknownNameError

__all__ = ["CATALOGUE", "LOCALES", "Term", "check_locale", "number", "register_messages", "render"]


class Term(str):
    """A word of a process's vocabulary inside a message: its id, rendered by its label.

    It is the id as far as anyone compares, hashes or stores it (it *is* that string), so a
    record made before a label was corrected equals one made after; only rendering reads the
    labels.
    """

    kind: str
    labels: Mapping[str, str]

    def __new__(cls, kind: str, id: str, labels: Mapping[str, str]) -> "Term":
        term = super().__new__(cls, id)
        term.kind = kind
        term.labels = labels
        return term

    def __reduce__(self) -> tuple[Any, ...]:
        return (Term, (self.kind, str(self), self.labels))

    def render(self, locale: str) -> str:
        """The label in `locale`, or the id when the word has no label there."""
        return self.labels.get(locale) or str(self)


#: Words that appear in messages and are not a process's own: the sectors, the seed's
#: dimensions and role (for a failure made by hand, without a vocabulary behind it).
WORDS: Final[Mapping[str, Mapping[str, str]]] = {
    "government": {"en": "government", "nl": "overheid"},
    "knowledge": {"en": "knowledge institutions", "nl": "kennisinstellingen"},
    "business": {"en": "business", "nl": "bedrijfsleven"},
    "civil_society": {"en": "civil society", "nl": "maatschappelijke organisaties"},
    "trust": {"en": "trust", "nl": "vertrouwen"},
    "voice": {"en": "voice (a say in decisions)", "nl": "zeggenschap"},
    "stake": {"en": "stake in the cooperation", "nl": "belang bij de samenwerking"},
    "urgency": {"en": "urgency", "nl": "urgentie"},
    "impact": {"en": "impact", "nl": "impact"},
    "programme_manager": {"en": "programme manager", "nl": "programmamanager"},
}
_WORD_PARAMS = frozenset({"dimension", "role", "tag", "sector", "fact"})
_AND: Final = {"en": "and", "nl": "en"}

#: Parameters of built-in messages that hold an amount in euros or a share of the votes (rendered
#: as money and as a percentage); an int parameter ``x`` with an entry ``count.x`` renders as
#: that counted phrase. A custom guard's message formats its own parameters.
_MONEY_PARAMS = frozenset({("cash_short", "cash"), ("cash_short", "needed")})
_SHARE_PARAMS = frozenset({("share_too_high", "share"), ("share_too_high", "limit")})
_KEY = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_ ]+)?")

#: A message's texts: one template, or its plural forms (one per form of the locale).
Templates = Mapping[str, "str | tuple[str, ...]"]


def _catalogue_keys() -> "dict[str, Templates]":
    keys = sorted(
        {
            msgid[0] if isinstance(msgid, tuple) else msgid
            for msgid in catalogue("en")._catalog  # type: ignore[attr-defined]
            if _KEY.fullmatch(msgid[0] if isinstance(msgid, tuple) else msgid)
        }
    )
    return {key: MappingProxyType({loc: _templates(key, loc) for loc in LOCALES}) for key in keys}


def _templates(key: str, locale: str) -> "str | tuple[str, ...]":
    messages = catalogue(locale)._catalog  # type: ignore[attr-defined]
    if (key, 0) in messages:
        return tuple(messages[key, index] for index in range(2))
    return str(messages[key])


#: The built-in messages: key -> {locale: template, or its plural forms}, read from the
#: compiled gettext catalogues (``_locale/<locale>/LC_MESSAGES/coopflow.po``).
CATALOGUE: Final[Mapping[str, Templates]] = MappingProxyType(_catalogue_keys())

#: What each guard kind asks for, as a phrase (for "this must not be so: ..."): the catalogue's
#: entries ``guard.<kind>``, written beside the kind's own failure messages.
GUARD_WORDS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        key.removeprefix("guard."): cast("Mapping[str, str]", templates)
        for key, templates in CATALOGUE.items()
        if key.startswith("guard.")
    }
)


# Messages of custom guards, registered with their kind: key -> (owner kind, templates).
_REGISTERED: dict[str, tuple[str, Templates]] = {}


def register_messages(owner: str, messages: object) -> dict[str, Templates]:
    """Check `messages` of guard kind `owner` and keep them.

    `messages` maps a key to its texts, ``{"en": ..., "nl": ...}``; a text is a template, or a
    pair of plural forms ``("one form", "other form")`` chosen by the parameter ``count`` with
    each locale's plural rule.

    Raises:
        InvalidProcessError: a key is built in or another kind's, a text is missing or does not
            format.
    """
    if not isinstance(messages, Mapping):
        raise InvalidProcessError(
            [Phrase("messages {messages} must map a key to its texts", messages=shown(messages))]
        )
    problems: list[Problem] = []
    checked: dict[str, Templates] = {}
    for key, texts in messages.items():
        if not isinstance(key, str) or not key.strip():
            problems.append(Phrase("message key {key} must be a non-empty string", key=shown(key)))
            continue
        if key in CATALOGUE:
            problems.append(Phrase("message key {key} is built in; choose another", key=shown(key)))
            continue
        holder = _REGISTERED.get(key)
        if holder is not None and holder[0] != owner:
            problems.append(
                Phrase(
                    "message key {key} belongs to guard kind {holder}",
                    key=shown(key),
                    holder=shown(holder[0]),
                )
            )
            continue
        if not isinstance(texts, Mapping):
            problems.append(Phrase("message {key} must map a locale to a text", key=shown(key)))
            continue
        kept: dict[str, str | tuple[str, ...]] = {}
        for locale in LOCALES:
            text = texts.get(locale)
            forms = text if isinstance(text, tuple) else (text,)
            if isinstance(text, tuple) and len(text) != _FORMS:
                problems.append(
                    Phrase(
                        "message {key} ({locale}) must give {value} plural forms, not {text}",
                        key=shown(key),
                        locale=locale,
                        value=_FORMS,
                        text=len(text),
                    )
                )
            elif not all(isinstance(form, str) and form.strip() for form in forms):
                problems.append(
                    Phrase(
                        "message {key} has no {locale} text", key=shown(key), locale=shown(locale)
                    )
                )
            elif not all(_formats(str(form)) for form in forms):
                problems.append(
                    Phrase(
                        "message {key} ({locale}) is not a valid template",
                        key=shown(key),
                        locale=locale,
                    )
                )
            else:
                kept[locale] = text if isinstance(text, tuple) else str(text)
        checked[key] = MappingProxyType(kept)
    if problems:
        raise InvalidProcessError(problems)
    for key, texts in checked.items():
        _REGISTERED[key] = (owner, texts)
    return checked


#: How many plural forms each locale has (English and Dutch: one and other).
_FORMS: Final = 2


def _formats(text: str) -> bool:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return False
    return all(name.isidentifier() for name in fields)


def _word(name: str, value: object, locale: str) -> object:
    if isinstance(value, Term):
        return value.render(locale)
    if isinstance(value, str) and name in _WORD_PARAMS and value in WORDS:
        return WORDS[value][locale]
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        words = [str(_word(name, v, locale)) for v in value]
        if len(words) == 1:
            return words[0]
        return ", ".join(words[:-1]) + f" {_AND[locale]} {words[-1]}"
    return value


def check_locale(locale: str) -> str:
    """Return `locale` if coopflow speaks it, else raise `UnknownNameError`."""
    if locale not in LOCALES:
        raise UnknownNameError("locale", locale, Phrase("coopflow speaks 'en' and 'nl'"))
    return locale


def _value(key: str, name: str, value: object, locale: str) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and f"count.{name}" in CATALOGUE:
        return _pick(CATALOGUE[f"count.{name}"][locale], value, locale).format(count=value)
    if isinstance(value, (int, float, Decimal)) and (key, name) in _MONEY_PARAMS:
        return Money(value).render(locale)
    if isinstance(value, (int, float)) and (key, name) in _SHARE_PARAMS:
        return Share(value).render(locale)
    if isinstance(value, (int, float, Decimal)):
        return value_in(value, locale)
    return _word(name, value, locale)


def _pick(text: "str | tuple[str, ...]", count: object, locale: str) -> str:
    if isinstance(text, str):
        return text
    index = plural_index(locale, count) if isinstance(count, int) else len(text) - 1
    return text[min(index, len(text) - 1)]


def render(key: str, params: Mapping[str, object], locale: str) -> str:
    """Render message `key` with `params` in `locale`; it never raises for missing parts.

    Words of a vocabulary (`Term`) render as their labels, amounts (``cash``, ``needed``) as
    euros, shares as percentages, counts with their plural forms (chosen by ``count``). A key
    nobody registered renders as the key followed by its parameters, so nothing is ever lost; a
    parameter the template needs and does not get shows as ``{name}``.

    Example:
        >>> render("too_few_parties", {"count": 1}, "nl")
        'er doet nog maar 1 partij mee; er zijn er minstens 2 nodig'
        >>> render("cash_short", {"cash": 600000.0, "needed": 1000000.0}, "nl")
        'de toegezegde bijdragen (€ 600.000) dekken het programmabudget (€ 1.000.000) niet'
    """
    check_locale(locale)
    values = {name: _value(key, name, value, locale) for name, value in params.items()}
    templates = CATALOGUE.get(key)
    if templates is None and key in _REGISTERED:
        templates = _REGISTERED[key][1]
    if templates is None:
        details = ", ".join(f"{name}={value}" for name, value in sorted(values.items()))
        return f"{key} ({details})" if details else key
    return fill(_pick(templates[locale], params.get("count"), locale), values)
