"""The message catalogue: every text a user reads, in English and Dutch.

A message is a key plus parameters; it is rendered only when someone reads it, so results stay
plain data and the same refusal can be shown in either language.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Final

from coopflow.exceptions import UnknownNameError

LOCALES: Final = ("en", "nl")

#: The words of the registers that appear inside messages.
WORDS: Final[Mapping[str, Mapping[str, str]]] = {
    "trust": {"en": "trust", "nl": "vertrouwen"},
    "voice": {"en": "voice", "nl": "inspraak"},
    "stake": {"en": "stake", "nl": "belang"},
    "urgency": {"en": "urgency", "nl": "urgentie"},
    "impact": {"en": "impact", "nl": "impact"},
}

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
        "en": "{name} has no {dimension} score",
        "nl": "{name} heeft geen score voor {dimension}",
    },
    "score_below": {
        "en": "{name}: {dimension} {score} is below {threshold}",
        "nl": "{name}: {dimension} {score} is lager dan {threshold}",
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
        "en": "nobody holds the role {role}",
        "nl": "niemand vervult de rol {role}",
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
        "en": "the trajectory did not come from {state}",
        "nl": "het traject kwam niet uit {state}",
    },
    "must_not_hold": {
        "en": "{guard} holds, and must not",
        "nl": "{guard} geldt, en dat mag niet",
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
    """Render message `key` with `params` in `locale`.

    A key the catalogue does not know (a custom guard's) renders as the key followed by its
    parameters, so nothing is ever lost.
    """
    check_locale(locale)
    shown: dict[str, object] = {}
    for name, value in params.items():
        if isinstance(value, (bool, int)):
            shown[name] = value
        elif isinstance(value, (float, Decimal)):
            shown[name] = number(value, locale)
        elif name == "dimension" and isinstance(value, str) and value in WORDS:
            shown[name] = WORDS[value][locale]
        else:
            shown[name] = value
    templates = CATALOGUE.get(key)
    if templates is None:
        details = ", ".join(f"{name}={value}" for name, value in sorted(shown.items()))
        return f"{key} ({details})" if details else key
    return templates[locale].format(**shown)
