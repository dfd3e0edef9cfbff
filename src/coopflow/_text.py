"""Translated text: the gettext catalogues, plural forms, and numbers, money and shares per locale.

The catalogues are gettext ``.po`` files under ``_locale/<locale>/LC_MESSAGES/coopflow.po``; the
build (``hatch_build.py``) compiles them into ``.mo`` files, which the standard library's
`gettext` reads here. Two kinds of message id live in them:

- a *key* (``too_few_parties``): a message whose key is stored as data (a guard's failure, a
  finding of the checker); both catalogues give its text, the English one included;
- an *English template* (``"{field} must be a non-empty string"``): an error's text, written at
  the raise site; the English catalogue may leave it out, the Dutch one translates it.

This module is the bottom of the package: it imports nothing of coopflow, so the errors can use
it.
"""

import gettext
import math
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Final

LOCALES: Final = ("en", "nl")
DOMAIN: Final = "coopflow"


@cache
def catalogue(locale: str) -> gettext.GNUTranslations:
    """The compiled catalogue of `locale`, read once."""
    path = resources.files("coopflow") / "_locale" / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as file:
            return gettext.GNUTranslations(file)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"coopflow's compiled message catalogue {path} is missing; the build makes it from "
            "the .po file: reinstall coopflow (pip install -e . in a checkout)"
        ) from None


def plural_index(locale: str, count: int) -> int:
    """Which plural form `locale` uses for `count` (its Plural-Forms header decides)."""
    index: int = catalogue(locale).plural(count)  # type: ignore[attr-defined]
    return index


def template(msgid: str, locale: str, count: int | None = None, plural: str | None = None) -> str:
    """The template of `msgid` in `locale`; with `count`, the plural form for that count."""
    found = catalogue(locale)
    if count is None:
        return found.gettext(msgid)
    return found.ngettext(msgid, msgid if plural is None else plural, count)


def has(msgid: str, locale: str) -> bool:
    """True when the catalogue of `locale` translates `msgid` (singular or plural)."""
    messages: Mapping[object, str] = catalogue(locale)._catalog  # type: ignore[attr-defined]
    return msgid in messages or (msgid, 0) in messages


def number(value: float | Decimal, locale: str) -> str:
    """A number as a reader of `locale` writes it: at most two decimals, a decimal comma in Dutch.

    >>> number(3.25, "nl"), number(3.0, "en"), number(2.5, "en")
    ('3,25', '3.0', '2.5')
    """
    if isinstance(value, Decimal):
        text = f"{value:f}"
    else:
        text = f"{value:.2f}".rstrip("0")
        text = text + "0" if text.endswith(".") else text
    return text.replace(".", ",") if locale == "nl" else text


def _grouped(value: float, decimals: int, locale: str) -> str:
    text = f"{value:,.{decimals}f}"
    if locale == "nl":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def money(value: float | Decimal, locale: str) -> str:
    """An amount in euros: whole euros without cents, else two decimals; grouped per locale.

    >>> money(600000.0, "nl"), money(600000.0, "en"), money(1234.5, "nl")
    ('€ 600.000', '€600,000', '€ 1.234,50')
    """
    amount = float(value)
    if not math.isfinite(amount):
        return f"€ {amount}" if locale == "nl" else f"€{amount}"
    decimals = 0 if amount == round(amount) else 2
    text = _grouped(abs(amount), decimals, locale)
    sign = "-" if amount < 0 else ""
    return f"{sign}€ {text}" if locale == "nl" else f"{sign}€{text}"


def percent(share: float, locale: str) -> str:
    """A share (0.75) as a percentage, with at most one decimal: ``75 %`` in Dutch, ``75%``.

    >>> percent(0.75, "nl"), percent(0.125, "en"), percent(1 / 3, "nl")
    ('75 %', '12.5%', '33,3 %')
    """
    value = float(share) * 100
    if not math.isfinite(value):
        text = str(value)
    else:
        text = f"{value:.1f}".removesuffix(".0")
        text = text.replace(".", ",") if locale == "nl" else text
    return f"{text} %" if locale == "nl" else f"{text}%"


def shown(value: object) -> str:
    """`repr(value)` for an error message, never failing and never huge."""
    try:
        text = repr(value)
    except ValueError:  # an int beyond the interpreter's limit for turning it into text
        text = f"<{type(value).__name__} too large to show>"
    return text if len(text) <= 200 else text[:197] + "..."


class _Missing(dict[str, object]):
    """Parameters for `str.format_map`: a missing one shows as ``{name}``, never a KeyError."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, values: Mapping[str, object]) -> str:
    """`text` with `values` put in; a missing value shows as ``{name}``; it never raises."""
    try:
        return text.format_map(_Missing(values))
    except (ValueError, TypeError, IndexError, AttributeError, KeyError):
        return text


class Money(float):
    """An amount in euros among a message's parameters: it renders as money in each locale."""

    def render(self, locale: str) -> str:
        """The amount as `money` writes it in `locale`."""
        return money(self, locale)


class Share(float):
    """A share (0 to 1) among a message's parameters: it renders as a percentage."""

    def render(self, locale: str) -> str:
        """The share as `percent` writes it in `locale`."""
        return percent(self, locale)


class Phrase:
    """A translatable text: an English template (the msgid) and its parameters.

    With `plural`, the text has plural forms chosen by the parameter ``count``. Parameters that
    are themselves `Phrase`, `Money` or `Share` render in the reader's locale, floats with the
    locale's decimal sign. `str()` is the English text.

    >>> print(Phrase("{count} party takes part", "{count} parties take part", count=2))
    2 parties take part
    >>> Phrase("{count} party takes part", "{count} parties take part", count=1).render("nl")
    '1 partij doet mee'
    """

    __slots__ = ("msgid", "params", "plural")

    def __init__(self, msgid: str, plural: str | None = None, /, **params: object) -> None:
        self.msgid = msgid
        self.plural = plural
        self.params: Mapping[str, object] = params

    def render(self, locale: str) -> str:
        """This text in `locale`."""
        count = self.params.get("count")
        if self.plural is not None and isinstance(count, int):
            text = template(self.msgid, locale, count, self.plural)
        else:
            text = template(self.msgid, locale)
        return fill(text, {name: value_in(value, locale) for name, value in self.params.items()})

    def __str__(self) -> str:
        return self.render("en")

    def __repr__(self) -> str:
        return f"Phrase({self.msgid!r}, {dict(self.params)!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Phrase):
            return (self.msgid, self.plural, dict(self.params)) == (
                other.msgid,
                other.plural,
                dict(other.params),
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.msgid, self.plural))


def value_in(value: object, locale: str) -> object:
    """A parameter as it shows in `locale`: texts and errors translated, numbers localised."""
    if isinstance(value, (Phrase, Money, Share)):
        return value.render(locale)
    message = getattr(value, "message", None)
    if isinstance(value, Exception) and callable(message):  # a CoopflowError inside a text
        return message(locale)
    if isinstance(value, list) and all(isinstance(item, str | Phrase) for item in value):
        return "; ".join(rendered(item, locale) for item in value)
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float | Decimal):
        return number(value, locale)
    return value


def rendered(text: "str | Phrase", locale: str) -> str:
    """`text` in `locale`; a plain string is translated when the catalogue has it as a msgid."""
    return text.render(locale) if isinstance(text, Phrase) else template(text, locale)


#: One problem of a definition: a translatable text, or a plain (English) string.
Problem = str | Phrase
