"""The message catalogue: every text a user reads, in English and Dutch.

A message is a key plus parameters; it is rendered only when someone reads it, so results stay
plain data and the same refusal can be shown in either language.
"""

import string
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final

from coopflow.exceptions import InvalidProcessError, UnknownNameError, shown

LOCALES: Final = ("en", "nl")


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
#: What each built-in guard asks for, as a phrase (for "this must not be so: ...").
GUARD_WORDS: Final[Mapping[str, Mapping[str, str]]] = {
    kind: MappingProxyType({"en": en, "nl": nl})
    for kind, en, nl in (
        ("common_ground", "common ground", "een gemeenschappelijke basis"),
        ("trust", "enough trust", "voldoende vertrouwen"),
        ("reciprocity", "reciprocity", "wederkerigheid"),
        ("equal_standing", "equal standing", "gelijkwaardigheid"),
        ("energy", "enough energy", "voldoende energie"),
        ("agenda_approved", "an approved agenda", "een goedgekeurde agenda"),
        ("declaration_signed", "a signed declaration", "een ondertekende verklaring"),
        ("roles_assigned", "the roles assigned", "verdeelde rollen"),
        ("finances_covered", "the finances covered", "een gedekte begroting"),
        ("completion", "the work completed", "afgerond werk"),
        ("came_from", "the remembered phase", "de onthouden fase"),
        ("quorum_lost", "too few parties", "te weinig partijen"),
        ("declaration_incomplete", "an incomplete declaration", "een onvolledige verklaring"),
        (
            "culture_breached",
            "a cooperation culture under pressure",
            "een samenwerkingscultuur onder druk",
        ),
        ("energy_lost", "lost energy", "verloren energie"),
        ("funding_lost", "lost funding", "verloren financiering"),
        ("score", "the scores asked for", "de gevraagde scores"),
        ("mean_score", "the mean scores asked for", "de gevraagde gemiddelde scores"),
        ("fact", "the facts asked for", "de gevraagde feiten"),
        ("score_below", "a score under the threshold", "een score onder de drempel"),
        ("fact_revoked", "a withdrawn fact", "een ingetrokken feit"),
        ("all_of", "all of the conditions", "alle voorwaarden"),
        ("any_of", "one of the conditions", "een van de voorwaarden"),
        ("not", "the opposite of a condition", "het tegendeel van een voorwaarde"),
    )
}
_WORD_PARAMS = frozenset({"dimension", "role", "tag", "sector", "fact"})
_AND: Final = {"en": "and", "nl": "en"}

CATALOGUE: Final[Mapping[str, Mapping[str, str]]] = {
    # Guards that fail.
    "too_few_parties": {
        "en": "only {count} parties take part; at least 2 are needed",
        "nl": "er doen maar {count} partijen mee; er zijn er minstens 2 nodig",
    },
    "no_common_interest": {
        "en": "no common interest is endorsed by every party",
        "nl": "geen gemeenschappelijk belang wordt door alle partijen onderschreven",
    },
    "value_missing": {
        "en": "{name} has not named what it brings and what it gains",
        "nl": "{name} heeft niet benoemd wat het brengt en wat het haalt",
    },
    "depends_on_nobody": {
        "en": "{name} depends on no other party",
        "nl": "{name} is van geen andere partij afhankelijk",
    },
    "nobody_depends_on": {
        "en": "no other party depends on {name}",
        "nl": "geen andere partij is afhankelijk van {name}",
    },
    "score_missing": {
        "en": "{name} has no score for {dimension}",
        "nl": "{name} heeft geen score voor {dimension}",
    },
    "score_below": {
        "en": "{name}: the score for {dimension} is {score}, below {threshold}",
        "nl": "{name}: de score voor {dimension} is {score}, lager dan {threshold}",
    },
    "mean_below": {
        "en": "{name}: the mean score for {dimensions} is {mean}, below {threshold}",
        "nl": "{name}: de gemiddelde score voor {dimensions} is {mean}, lager dan {threshold}",
    },
    "fact_missing": {
        "en": "not recorded yet: {fact}",
        "nl": "nog niet vastgelegd: {fact}",
    },
    "party_fact_missing": {
        "en": "{name}: not recorded yet: {fact}",
        "nl": "{name}: nog niet vastgelegd: {fact}",
    },
    "fact_withdrawn": {
        "en": "withdrawn: {fact}",
        "nl": "ingetrokken: {fact}",
    },
    "party_fact_withdrawn": {
        "en": "{name}: withdrawn: {fact}",
        "nl": "{name}: ingetrokken: {fact}",
    },
    "nobody_tagged": {
        "en": "none of the parties is marked as {tag}",
        "nl": "geen van de partijen is aangemerkt als {tag}",
    },
    "nobody_in_sector": {
        "en": "none of the parties belongs to the sector {sector}",
        "nl": "geen van de partijen hoort bij de sector {sector}",
    },
    "party_absent": {
        "en": "{party} does not take part",
        "nl": "{party} doet niet mee",
    },
    "no_contribution": {
        "en": "{name} has committed no contribution",
        "nl": "{name} heeft geen bijdrage toegezegd",
    },
    "gain_missing": {
        "en": "{name} has not named what it gains",
        "nl": "{name} heeft niet benoemd wat het haalt",
    },
    "share_too_high": {
        "en": "{name} holds {share} of the votes, more than {limit}",
        "nl": "{name} heeft {share} van de stemmen, meer dan {limit}",
    },
    "share_zero": {
        "en": "{name} has no say in the weighted decision rule",
        "nl": "{name} heeft geen stem in de gewogen besluitvorming",
    },
    "energy_low": {
        "en": "{name}: energy {mean} (stake, urgency, impact) is below {threshold}",
        "nl": "{name}: energie {mean} (belang, urgentie, impact) is lager dan {threshold}",
    },
    "agenda_not_approved": {
        "en": "no agenda version is approved by every party",
        "nl": "geen versie van de agenda is door alle partijen goedgekeurd",
    },
    "agenda_empty": {
        "en": "agenda version {version} has no themes",
        "nl": "versie {version} van de agenda heeft geen thema's",
    },
    "theme_without_owner": {
        "en": "theme {theme} has no owner among the parties",
        "nl": "thema {theme} heeft geen eigenaar onder de partijen",
    },
    "theme_without_indicator": {
        "en": "theme {theme} has no indicator",
        "nl": "thema {theme} heeft geen indicator",
    },
    "theme_without_interest": {
        "en": "theme {theme} is linked to no common interest",
        "nl": "thema {theme} is aan geen gemeenschappelijk belang gekoppeld",
    },
    "not_signed": {
        "en": "{name} has not signed agenda version {version}",
        "nl": "{name} heeft versie {version} van de agenda niet ondertekend",
    },
    "role_missing": {
        "en": "no {role} has been appointed yet",
        "nl": "er is nog geen {role} aangewezen",
    },
    "no_role": {
        "en": "{name} holds no role and owns no theme",
        "nl": "{name} vervult geen rol en is van geen thema eigenaar",
    },
    "budget_missing": {
        "en": "no programme budget is set",
        "nl": "er is geen programmabudget vastgesteld",
    },
    "cash_short": {
        "en": "committed money {cash} does not cover {needed}",
        "nl": "het toegezegde geld {cash} dekt {needed} niet",
    },
    "theme_open": {
        "en": "theme {theme} is not closed",
        "nl": "thema {theme} is niet afgesloten",
    },
    "no_final_review": {
        "en": "no final review is recorded",
        "nl": "er is geen eindevaluatie vastgelegd",
    },
    "not_from": {
        "en": "the trajectory did not come from the phase {state}",
        "nl": "het traject kwam niet uit de fase {state}",
    },
    "must_not_hold": {
        "en": "this must not be so: {guard}",
        "nl": "dit mag niet zo zijn: {guard}",
    },
    # Findings of regression conditions: why a regression fired.
    "contribution_withdrawn": {
        "en": "{name} withdrew its contributions and has none left",
        "nl": "{name} heeft zijn bijdragen ingetrokken en heeft er geen meer",
    },
    "borderline": {
        "en": "{name}: {dimension} {score} is borderline (between {regression} and {entry})",
        "nl": "{name}: {dimension} {score} is twijfelachtig (tussen {regression} en {entry})",
    },
    # The checker's report.
    "check_ok": {
        "en": "Process {process} keeps every rule "
        "({configurations} configurations, {edges} moves).",
        "nl": "Proces {process} voldoet aan alle regels ({configurations} configuraties, "
        "{edges} stappen).",
    },
    "check_header": {
        "en": "Process {process} does not keep its rules ({configurations} configurations, "
        "{edges} moves); violations: {count}",
        "nl": "Proces {process} houdt zich niet aan zijn regels ({configurations} configuraties, "
        "{edges} stappen); overtredingen: {count}",
    },
    "check_path": {
        "en": "shortest path ({length} transitions)",
        "nl": "kortste pad ({length} overgangen)",
    },
    "check_unreachable": {
        "en": "state {state} cannot be reached",
        "nl": "fase {state} is onbereikbaar",
    },
    "check_dead_transition": {
        "en": "transition {trigger} from {source} to {dest} can never fire",
        "nl": "overgang {trigger} van {source} naar {dest} kan nooit plaatsvinden",
    },
    "check_deadlock": {
        "en": "state {state} is a dead end: nothing leads out of it",
        "nl": "fase {state} is een doodlopende weg: niets leidt eruit",
    },
    "check_no_terminal": {
        "en": "from state {state} no end state can be reached",
        "nl": "vanuit fase {state} is geen eindfase bereikbaar",
    },
    "check_no_completion": {
        "en": "from state {state} the trajectory can no longer be completed",
        "nl": "vanuit fase {state} kan het traject niet meer worden afgerond",
    },
    "check_nondeterministic": {
        "en": "{trigger} in state {state} can lead to several states at once: {dests}",
        "nl": "{trigger} in fase {state} kan tegelijk naar meerdere fasen leiden: {dests}",
    },
    "check_terminal_left": {
        "en": "end state {state} can be left",
        "nl": "eindfase {state} kan worden verlaten",
    },
    "check_regression_loop": {
        "en": "automatic regressions loop back to state {state}",
        "nl": "automatische terugvallen komen in een kringloop terug in fase {state}",
    },
    "check_precedes": {
        "en": "state {then} can be entered without passing state {first}",
        "nl": "fase {then} is bereikbaar zonder langs fase {first} te gaan",
    },
    "check_never_after": {
        "en": "state {state} can still change, to {dest}",
        "nl": "fase {state} kan nog veranderen, naar {dest}",
    },
    "check_sometimes": {
        "en": "state {state} is never reached",
        "nl": "fase {state} wordt nooit bereikt",
    },
    "check_always": {
        "en": "rule {name} fails in state {state}",
        "nl": "regel {name} geldt niet in fase {state}",
    },
    "check_always_step": {
        "en": "rule {name} fails for {trigger} from {source} to {dest}",
        "nl": "regel {name} geldt niet voor {trigger} van {source} naar {dest}",
    },
    "check_limit": {
        "en": "the exploration stopped after {max} configurations; raise max_configs",
        "nl": "de verkenning stopte na {max} configuraties; verhoog max_configs",
    },
    # Explanations.
    "ended": {
        "en": "the trajectory has ended",
        "nl": "het traject is beëindigd",
    },
    "not_valid_in_state": {
        "en": "{trigger} is not possible in state {state}",
        "nl": "{trigger} is niet mogelijk in de fase {state}",
    },
    "allowed": {
        "en": "{trigger} is allowed in state {state}",
        "nl": "{trigger} is toegestaan in de fase {state}",
    },
    "refused": {
        "en": "{trigger} is refused in state {state}:",
        "nl": "{trigger} wordt geweigerd in de fase {state}:",
    },
}


# Messages of custom guards, registered with their kind: key -> (owner kind, templates).
_REGISTERED: dict[str, tuple[str, Mapping[str, str]]] = {}


def register_messages(owner: str, messages: object) -> dict[str, Mapping[str, str]]:
    """Check `messages` (key -> {"en": ..., "nl": ...}) of guard kind `owner` and keep them.

    Raises:
        InvalidProcessError: a key is built in or another kind's, a text is missing or does not
            format.
    """
    if not isinstance(messages, Mapping):
        raise InvalidProcessError([f"messages {shown(messages)} must map a key to its texts"])
    problems: list[str] = []
    checked: dict[str, Mapping[str, str]] = {}
    for key, texts in messages.items():
        if not isinstance(key, str) or not key.strip():
            problems.append(f"message key {shown(key)} must be a non-empty string")
            continue
        if key in CATALOGUE:
            problems.append(f"message key {shown(key)} is built in; choose another")
            continue
        holder = _REGISTERED.get(key)
        if holder is not None and holder[0] != owner:
            problems.append(f"message key {shown(key)} belongs to guard kind {shown(holder[0])}")
            continue
        if not isinstance(texts, Mapping):
            problems.append(f"message {shown(key)} must map a locale to a text")
            continue
        for locale in LOCALES:
            text = texts.get(locale)
            if not isinstance(text, str) or not text.strip():
                problems.append(f"message {shown(key)} has no {shown(locale)} text")
            elif not _formats(text):
                problems.append(f"message {shown(key)} ({locale}) is not a valid template")
        checked[key] = MappingProxyType({locale: str(texts.get(locale)) for locale in LOCALES})
    if problems:
        raise InvalidProcessError(problems)
    for key, texts in checked.items():
        _REGISTERED[key] = (owner, texts)
    return checked


def _formats(text: str) -> bool:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return False
    return all(name.isidentifier() for name in fields)


class _Missing(dict[str, object]):
    """Parameters for `str.format_map`: a missing one shows as ``{name}``, never a KeyError."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


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
        raise UnknownNameError("locale", locale, "coopflow speaks 'en' and 'nl'")
    return locale


def number(value: float | Decimal, locale: str) -> str:
    """Render a number the way a reader of `locale` writes it (a decimal comma in Dutch)."""
    if isinstance(value, Decimal):
        text = f"{value:f}"
    else:
        text = f"{value:.2f}".rstrip("0")
        text = text + "0" if text.endswith(".") else text
    return text.replace(".", ",") if locale == "nl" else text


def render(key: str, params: Mapping[str, object], locale: str) -> str:
    """Render message `key` with `params` in `locale`; it never raises for missing parts.

    Words of a vocabulary (`Term`) render as their labels. A key nobody registered renders as
    the key followed by its parameters, so nothing is ever lost; a parameter the template needs
    and does not get shows as ``{name}``.
    """
    check_locale(locale)
    values = _Missing()
    for name, value in params.items():
        if isinstance(value, (bool, int)):
            values[name] = value
        elif isinstance(value, (float, Decimal)):
            values[name] = number(value, locale)
        else:
            values[name] = _word(name, value, locale)
    templates = CATALOGUE.get(key)
    if templates is None and key in _REGISTERED:
        templates = _REGISTERED[key][1]
    if templates is None:
        details = ", ".join(f"{name}={value}" for name, value in sorted(values.items()))
        return f"{key} ({details})" if details else key
    try:
        return templates[locale].format_map(values)
    except (ValueError, TypeError, IndexError, AttributeError):  # a format spec that does not fit
        return templates[locale]
