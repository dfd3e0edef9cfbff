"""Tests of coopflow._i18n: the message catalogue in English and Dutch."""

from decimal import Decimal

import pytest

import coopflow as cf
from coopflow import _i18n
from coopflow._i18n import LOCALES, WORDS, check_locale, number, render

# Every parameter any message of the catalogue uses, so each template can be filled.
EVERY_PARAM: dict[str, object] = {
    "configurations": 31,
    "count": 1,
    "cash": 1000.0,
    "dest": "stalled",
    "dests": "signing, stalled",
    "edges": 140,
    "first": "building_culture",
    "length": 3,
    "max": 10,
    "process": "coopflow-default",
    "source": "organising",
    "then": "agenda_setting",
    "dimension": "trust",
    "entry": 3.5,
    "guard": "quorum_lost",
    "limit": 0.5,
    "mean": 2.5,
    "name": "Gemeente Tilburg",
    "needed": 2000.0,
    "regression": 3.0,
    "role": "programme_manager",
    "score": 2.75,
    "share": 0.75,
    "state": "exploring",
    "theme": "Sustainable city",
    "threshold": 3.5,
    "trigger": "form_culture",
    "version": 2,
    "dimensions": ["stake", "urgency", "impact"],
    "fact": "council_approval",
    "tag": "backbone",
    "sector": "government",
    "party": "stichting-x",
}


def test_coopflow_speaks_english_and_dutch() -> None:
    """The locales are English and Dutch, in that order."""
    assert LOCALES == ("en", "nl")


@pytest.mark.parametrize(
    ("key", "params", "locale", "expected"),
    [
        ("too_few_parties", {"count": 1}, "en", "only 1 party takes part; at least 2 are needed"),
        (
            "too_few_parties",
            {"count": 1},
            "nl",
            "er doet nog maar 1 partij mee; er zijn er minstens 2 nodig",
        ),
        (
            "score_below",
            {"name": "Uni", "dimension": "voice", "score": 2.5, "threshold": 3.5},
            "en",
            "Uni: the score for voice (a say in decisions) is 2.5; at least 3.5 is needed",
        ),
        (
            "score_below",
            {"name": "Uni", "dimension": "voice", "score": 2.5, "threshold": 3.5},
            "nl",
            "Uni: de score voor zeggenschap is 2,5; nodig is minstens 3,5",
        ),
        (
            "cash_short",
            {"cash": Decimal("1250.50"), "needed": Decimal("2000")},
            "nl",
            "de toegezegde bijdragen (€ 1.250,50) dekken het programmabudget (€ 2.000) niet",
        ),
        (
            "ended",
            {},
            "nl",
            "het traject is afgesloten (afgerond of beëindigd); "
            "er kan niets meer worden vastgelegd",
        ),
    ],
)
def test_render_fills_a_known_message(
    key: str, params: dict[str, object], locale: str, expected: str
) -> None:
    """A known key renders its template with the parameters formatted for the locale."""
    assert render(key, params, locale) == expected


@pytest.mark.parametrize(
    ("dimension", "locale", "expected"),
    [
        ("trust", "nl", "voor A is nog geen score voor vertrouwen vastgelegd"),
        ("voice", "nl", "voor A is nog geen score voor zeggenschap vastgelegd"),
        ("stake", "nl", "voor A is nog geen score voor belang bij de samenwerking vastgelegd"),
        ("urgency", "nl", "voor A is nog geen score voor urgentie vastgelegd"),
        ("impact", "nl", "voor A is nog geen score voor impact vastgelegd"),
        ("trust", "en", "A has no score for trust yet"),
    ],
)
def test_render_translates_a_dimension(dimension: str, locale: str, expected: str) -> None:
    """The dimension parameter is shown as the locale's word for it."""
    assert render("score_missing", {"name": "A", "dimension": dimension}, locale) == expected


def test_render_translates_a_dimension_given_as_enum() -> None:
    """A Dimension member is translated like its string value."""
    params = {"name": "A", "dimension": cf.Dimension.VOICE}
    assert (
        render("score_missing", params, "nl")
        == "voor A is nog geen score voor zeggenschap vastgelegd"
    )


def test_render_keeps_a_dimension_it_has_no_word_for() -> None:
    """A dimension the word list does not know (a custom one) is shown as given."""
    params = {"name": "A", "dimension": "happiness"}
    assert (
        render("score_missing", params, "nl")
        == "voor A is nog geen score voor happiness vastgelegd"
    )


def test_render_translates_only_the_dimension_parameter() -> None:
    """A parameter not called dimension is not translated, even if it is a dimension's name."""
    assert render("value_missing", {"name": "trust"}, "nl") == (
        "trust: inbreng en opbrengst (halen en brengen) nog niet benoemd"
    )


def test_every_dimension_has_a_word_in_every_locale() -> None:
    """The word list covers every Dimension in en and nl."""
    assert {d.value: sorted(WORDS[d.value]) for d in cf.Dimension} == {
        d.value: ["en", "nl"] for d in cf.Dimension
    }


@pytest.mark.parametrize(
    ("value", "locale", "expected"),
    [
        (3.25, "en", "3.25"),
        (3.25, "nl", "3,25"),
        (3.0, "en", "3.0"),
        (3.0, "nl", "3,0"),
        (2.5, "nl", "2,5"),
        (10.0, "en", "10.0"),
        (2 / 3, "en", "0.67"),
        (2 / 3, "nl", "0,67"),
        (Decimal("1250.50"), "en", "1250.50"),
        (Decimal("1250.50"), "nl", "1250,50"),
        (Decimal("1E+3"), "en", "1000"),
    ],
)
def test_number_writes_numbers_the_locales_way(
    value: float | Decimal, locale: str, expected: str
) -> None:
    """Numbers get two decimals at most and a decimal comma in Dutch; Decimals keep theirs."""
    assert number(value, locale) == expected


def test_render_shows_numbers_with_a_decimal_comma_in_dutch() -> None:
    """Float parameters use a decimal comma in nl and a point in en."""
    params = {"name": "B", "mean": 2.25, "threshold": 3.0}
    rendered = (render("energy_low", params, "en"), render("energy_low", params, "nl"))
    assert rendered == (
        "B: energy (stake, urgency, impact) is 2.25; at least 3.0 is needed",
        "B: de energie (belang, urgentie, impact) is 2,25; nodig is minstens 3,0",
    )


def test_render_keeps_whole_numbers_and_flags_as_they_are() -> None:
    """Ints and bools are not turned into decimals."""
    assert render("custom", {"count": 3, "final": True}, "nl") == "custom (count=3, final=True)"


def test_render_shows_an_unknown_key_with_its_parameters_sorted() -> None:
    """A key the catalogue does not know renders as the key and its parameters by name."""
    params = {"b": "text", "a": 1.5}
    rendered = (render("my_guard_failed", params, "en"), render("my_guard_failed", params, "nl"))
    assert rendered == ("my_guard_failed (a=1.5, b=text)", "my_guard_failed (a=1,5, b=text)")


def test_render_shows_an_unknown_key_without_parameters_as_the_key() -> None:
    """A key the catalogue does not know and without parameters renders as just the key."""
    assert render("my_guard_failed", {}, "en") == "my_guard_failed"


def test_render_refuses_an_unknown_locale() -> None:
    """Rendering in a locale coopflow does not speak raises UnknownNameError."""
    with pytest.raises(cf.UnknownNameError) as caught:
        render("ended", {}, "fr")
    assert (caught.value.kind, caught.value.name) == ("locale", "fr")


@pytest.mark.parametrize("locale", ["en", "nl"])
def test_check_locale_returns_a_known_locale(locale: str) -> None:
    """check_locale hands back a locale coopflow speaks."""
    assert check_locale(locale) == locale


@pytest.mark.parametrize("locale", ["fr", "EN", "", "en_GB"])
def test_check_locale_refuses_an_unknown_locale(locale: str) -> None:
    """check_locale raises UnknownNameError naming the locale."""
    with pytest.raises(cf.UnknownNameError) as caught:
        check_locale(locale)
    assert (caught.value.kind, caught.value.name) == ("locale", locale)


def test_every_guard_failure_key_is_in_the_catalogue() -> None:
    """Every key the guards of the default process can report has a text."""
    keys = {
        "too_few_parties",
        "no_common_interest",
        "value_missing",
        "depends_on_nobody",
        "nobody_depends_on",
        "score_missing",
        "score_below",
        "no_contribution",
        "gain_missing",
        "share_too_high",
        "share_zero",
        "energy_low",
        "agenda_not_approved",
        "agenda_empty",
        "theme_without_owner",
        "theme_without_indicator",
        "theme_without_interest",
        "not_signed",
        "role_missing",
        "no_role",
        "budget_missing",
        "cash_short",
        "theme_open",
        "no_final_review",
        "not_from",
        "must_not_hold",
        "contribution_withdrawn",
        "borderline",
    }
    assert keys - set(_i18n.CATALOGUE) == set()
