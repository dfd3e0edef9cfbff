"""Tests of coopflow._events: parties and events, and every check made when one is constructed."""

import inspect
import math
from collections.abc import Callable
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs
import pytest

import coopflow as cf
from coopflow._events import DATA_EVENTS, EVENT_TYPES


def loose(value: object) -> Any:
    """Pass a deliberately ill-typed value past the type checker."""
    return value


def theme(id: str = "city", *, owner: str = "a", interests: tuple[str, ...] = ("x",)) -> cf.Theme:
    """A valid theme."""
    return cf.Theme(id, "Sustainable city", owner, "CO2", interests)


# --- the contract of the signatures ---------------------------------------------------------------

P, K = "POSITIONAL_OR_KEYWORD", "KEYWORD_ONLY"

SIGNATURES: list[tuple[type, list[tuple[str, str]]]] = [
    (cf.Party, [("id", P), ("name", K), ("sector", K), ("tags", K)]),
    (cf.PartyJoined, [("party", P)]),
    (cf.PartyLeft, [("party", P), ("reason", K)]),
    (cf.InterestShared, [("interest", P), ("parties", P), ("description", K)]),
    (cf.ValueNamed, [("party", P), ("brings", P), ("gains", P)]),
    (cf.DependencyDeclared, [("party", P), ("depends_on", P), ("need", K)]),
    (cf.Assessed, [("party", P), ("dimension", P), ("score", P), ("respondent", K)]),
    (
        cf.ContributionCommitted,
        [("party", P), ("contribution", P), ("cash", K), ("in_kind", K)],
    ),
    (cf.ContributionWithdrawn, [("party", P), ("contribution", P)]),
    (cf.DecisionRuleSet, [("rule", P), ("weights", K)]),
    (
        cf.Theme,
        [("id", P), ("title", P), ("owner", P), ("indicator", P), ("interests", P)],
    ),
    (cf.AgendaProposed, [("version", P), ("themes", P)]),
    (cf.AgendaApproved, [("party", P), ("version", P)]),
    (cf.DeclarationSigned, [("party", P), ("signatory", P), ("version", P), ("role", K)]),
    (cf.RoleAssigned, [("role", P), ("party", P), ("person", K)]),
    (cf.BudgetSet, [("amount", P)]),
    (cf.ThemeClosed, [("theme", P)]),
    (cf.ReviewRecorded, [("summary", P), ("final", K)]),
    (cf.FactRecorded, [("fact", P), ("party", K), ("holds", K), ("note", K)]),
    (cf.Fire, [("trigger", P), ("reason", K)]),
    (cf.Started, [("trajectory", P), ("title", P), ("parties", P)]),
]


@pytest.mark.parametrize(
    ("cls", "expected"), SIGNATURES, ids=[cls.__name__ for cls, _ in SIGNATURES]
)
def test_event_signature_follows_the_contract(cls: type, expected: list[tuple[str, str]]) -> None:
    """Fields without a default are positional-or-keyword, in order; those with one keyword-only."""
    parameters = inspect.signature(cls).parameters.values()
    assert [(p.name, p.kind.name) for p in parameters] == expected


def test_data_events_are_the_seventeen_facts() -> None:
    """DATA_EVENTS lists every data event, and EVENT_TYPES adds Fire and Started."""
    data = (
        cf.PartyJoined,
        cf.PartyLeft,
        cf.InterestShared,
        cf.ValueNamed,
        cf.DependencyDeclared,
        cf.Assessed,
        cf.ContributionCommitted,
        cf.ContributionWithdrawn,
        cf.DecisionRuleSet,
        cf.AgendaProposed,
        cf.AgendaApproved,
        cf.DeclarationSigned,
        cf.RoleAssigned,
        cf.BudgetSet,
        cf.ThemeClosed,
        cf.ReviewRecorded,
        cf.FactRecorded,
    )
    actual = (DATA_EVENTS, EVENT_TYPES)
    assert actual == (data, (*data, cf.Fire, cf.Started))


def test_events_are_frozen() -> None:
    """An event cannot be changed after it is built."""
    event = cf.Assessed("a", cf.Dimension.TRUST, 4)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.score = 1.0  # type: ignore[misc]
    assert event.score == 4.0


def test_equal_events_are_equal_values() -> None:
    """Two events built from the same input compare equal and hash alike."""
    first = cf.InterestShared("x", ["a", "b"], description="d")
    second = cf.InterestShared("x", ("b", "a"), description="d")
    assert (first == second, hash(first) == hash(second)) == (True, True)


# --- enums ----------------------------------------------------------------------------------------


def test_enums_have_the_values_of_the_glossary() -> None:
    """Sector, Dimension and DecisionRule hold exactly the PROCESS.md values."""
    assert (
        [s.value for s in cf.Sector],
        [d.value for d in cf.Dimension],
        [r.value for r in cf.DecisionRule],
    ) == (
        ["government", "knowledge", "business", "civil_society"],
        ["trust", "voice", "stake", "urgency", "impact"],
        ["consensus", "unanimity", "weighted"],
    )


def test_party_sector_is_converted_from_a_string() -> None:
    """A sector given as its string value becomes the Sector member."""
    assert cf.Party("uni", sector=loose("knowledge")).sector is cf.Sector.KNOWLEDGE


def test_party_sector_member_is_kept() -> None:
    """A Sector member is kept as it is."""
    assert cf.Party("uni", sector=cf.Sector.BUSINESS).sector is cf.Sector.BUSINESS


def test_party_sector_defaults_to_unknown() -> None:
    """Without a sector, a party's sector is None."""
    assert cf.Party("uni").sector is None


def test_assessed_dimension_is_converted_from_a_string() -> None:
    """A dimension given as its string value becomes the Dimension member."""
    assert cf.Assessed("a", loose("voice"), 4).dimension == cf.Dimension.VOICE


def test_decision_rule_is_converted_from_a_string() -> None:
    """A decision rule given as its string value becomes the DecisionRule member."""
    assert cf.DecisionRuleSet(loose("unanimity")).rule is cf.DecisionRule.UNANIMITY


@pytest.mark.parametrize(
    ("build", "field", "value"),
    [
        pytest.param(
            lambda: cf.Party("a", sector=loose("church")), "sector", "church", id="sector"
        ),
        pytest.param(lambda: cf.Party("a", sector=loose(3)), "sector", 3, id="sector-int"),
        pytest.param(lambda: cf.Assessed("a", loose(""), 4), "dimension", "", id="dim-empty"),
        pytest.param(lambda: cf.Assessed("a", loose(4), 4), "dimension", 4, id="dim-number"),
        pytest.param(lambda: cf.DecisionRuleSet(loose("majority")), "rule", "majority", id="rule"),
        pytest.param(lambda: cf.DecisionRuleSet(loose(None)), "rule", None, id="rule-none"),
    ],
)
def test_enum_conversion_error_names_the_field(
    build: Callable[[], object], field: str, value: object
) -> None:
    """A value that is no member of the enum raises InvalidEventError naming field and value."""
    with pytest.raises(cf.InvalidEventError) as caught:
        build()
    assert (caught.value.field, caught.value.value) == (field, value)


def test_enum_conversion_error_lists_the_choices() -> None:
    """The reason of a bad enum value lists the values that are allowed."""
    with pytest.raises(cf.InvalidEventError) as caught:
        cf.DecisionRuleSet(loose("majority"))
    assert caught.value.reason == "must be one of consensus, unanimity, weighted"


# --- parties --------------------------------------------------------------------------------------


def test_party_name_defaults_to_its_id() -> None:
    """A party without a name is called by its id."""
    assert cf.Party("gemeente").name == "gemeente"


def test_party_keeps_its_name() -> None:
    """A party's given name is kept."""
    assert cf.Party("gemeente", name="Gemeente Tilburg").name == "Gemeente Tilburg"


# --- construction-time checks: every field of every event -----------------------------------------

NAN = float("nan")
INF = float("inf")

BAD: list[Any] = [
    # Party
    pytest.param(lambda: cf.Party(""), "id", id="party-id-empty"),
    pytest.param(lambda: cf.Party("   "), "id", id="party-id-blank"),
    pytest.param(lambda: cf.Party(loose(5)), "id", id="party-id-int"),
    pytest.param(lambda: cf.Party("a", name=""), "name", id="party-name-empty"),
    pytest.param(lambda: cf.Party("a", name=" \t"), "name", id="party-name-blank"),
    # PartyLeft
    pytest.param(lambda: cf.PartyLeft(""), "party", id="left-party"),
    pytest.param(lambda: cf.PartyLeft("a", reason=loose(None)), "reason", id="left-reason"),
    # InterestShared
    pytest.param(lambda: cf.InterestShared("", ["a"]), "interest", id="interest-empty"),
    pytest.param(lambda: cf.InterestShared("x", loose("ab")), "parties", id="parties-string"),
    pytest.param(lambda: cf.InterestShared("x", loose(b"ab")), "parties", id="parties-bytes"),
    pytest.param(lambda: cf.InterestShared("x", loose(5)), "parties", id="parties-int"),
    pytest.param(lambda: cf.InterestShared("x", []), "parties", id="parties-none-named"),
    pytest.param(lambda: cf.InterestShared("x", ["a", ""]), "parties", id="parties-empty-id"),
    pytest.param(lambda: cf.InterestShared("x", ["a", " "]), "parties", id="parties-blank-id"),
    pytest.param(lambda: cf.InterestShared("x", loose(["a", 3])), "parties", id="parties-int-id"),
    pytest.param(
        lambda: cf.InterestShared("x", ["a"], description=loose(1)), "description", id="desc"
    ),
    # ValueNamed
    pytest.param(lambda: cf.ValueNamed("", "b", "g"), "party", id="value-party"),
    pytest.param(lambda: cf.ValueNamed("a", "", "g"), "brings", id="value-brings"),
    pytest.param(lambda: cf.ValueNamed("a", "b", " "), "gains", id="value-gains"),
    # DependencyDeclared
    pytest.param(lambda: cf.DependencyDeclared("", "b"), "party", id="dep-party"),
    pytest.param(lambda: cf.DependencyDeclared("a", ""), "depends_on", id="dep-on"),
    pytest.param(lambda: cf.DependencyDeclared("a", "a"), "depends_on", id="dep-self"),
    pytest.param(lambda: cf.DependencyDeclared("a", "b", need=loose(None)), "need", id="dep-need"),
    # Assessed
    pytest.param(lambda: cf.Assessed("", cf.Dimension.TRUST, 4), "party", id="score-party"),
    pytest.param(lambda: cf.Assessed("a", cf.Dimension.TRUST, NAN), "score", id="score-nan"),
    pytest.param(lambda: cf.Assessed("a", cf.Dimension.TRUST, INF), "score", id="score-inf"),
    pytest.param(lambda: cf.Assessed("a", cf.Dimension.TRUST, -INF), "score", id="score-minf"),
    pytest.param(
        lambda: cf.Assessed("a", cf.Dimension.TRUST, loose(Decimal("NaN"))),
        "score",
        id="score-decimal-nan",
    ),
    pytest.param(lambda: cf.Assessed("a", cf.Dimension.TRUST, True), "score", id="score-bool"),
    pytest.param(lambda: cf.Assessed("a", cf.Dimension.TRUST, loose("4")), "score", id="score-str"),
    pytest.param(
        lambda: cf.Assessed("a", cf.Dimension.TRUST, loose(None)), "score", id="score-none"
    ),
    pytest.param(
        lambda: cf.Assessed("a", cf.Dimension.TRUST, 4, respondent=loose(None)),
        "respondent",
        id="score-respondent",
    ),
    # ContributionCommitted
    pytest.param(lambda: cf.ContributionCommitted("", "c"), "party", id="commit-party"),
    pytest.param(lambda: cf.ContributionCommitted("a", ""), "contribution", id="commit-id"),
    pytest.param(lambda: cf.ContributionCommitted("a", "c", cash=-1), "cash", id="cash-neg-int"),
    pytest.param(
        lambda: cf.ContributionCommitted("a", "c", cash=Decimal("-0.01")), "cash", id="cash-neg"
    ),
    pytest.param(
        lambda: cf.ContributionCommitted("a", "c", cash=loose("-5")), "cash", id="cash-neg-str"
    ),
    pytest.param(
        lambda: cf.ContributionCommitted("a", "c", cash=loose(NAN)), "cash", id="cash-nan"
    ),
    pytest.param(
        lambda: cf.ContributionCommitted("a", "c", cash=loose(INF)), "cash", id="cash-inf"
    ),
    pytest.param(
        lambda: cf.ContributionCommitted("a", "c", cash=loose("Infinity")), "cash", id="cash-inf-s"
    ),
    pytest.param(
        lambda: cf.ContributionCommitted("a", "c", cash=Decimal("NaN")), "cash", id="cash-dec-nan"
    ),
    pytest.param(
        lambda: cf.ContributionCommitted("a", "c", cash=Decimal("sNaN")), "cash", id="cash-snan"
    ),
    pytest.param(
        lambda: cf.ContributionCommitted("a", "c", cash=loose("lots")), "cash", id="cash-text"
    ),
    pytest.param(
        lambda: cf.ContributionCommitted("a", "c", cash=loose(True)), "cash", id="cash-bool"
    ),
    pytest.param(
        lambda: cf.ContributionCommitted("a", "c", cash=loose(None)), "cash", id="cash-none"
    ),
    pytest.param(
        lambda: cf.ContributionCommitted("a", "c", cash=loose([1])), "cash", id="cash-list"
    ),
    pytest.param(
        lambda: cf.ContributionCommitted("a", "c", in_kind=loose(1)), "in_kind", id="in-kind-int"
    ),
    pytest.param(
        lambda: cf.ContributionCommitted("a", "c", in_kind=loose("yes")), "in_kind", id="in-kind"
    ),
    # ContributionWithdrawn
    pytest.param(lambda: cf.ContributionWithdrawn("", "c"), "party", id="withdraw-party"),
    pytest.param(lambda: cf.ContributionWithdrawn("a", " "), "contribution", id="withdraw-id"),
    # DecisionRuleSet
    pytest.param(
        lambda: cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights=loose([("a", 1)])),
        "weights",
        id="weights-list",
    ),
    pytest.param(
        lambda: cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"": 1}),
        "weights",
        id="weights-empty-id",
    ),
    pytest.param(
        lambda: cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights=loose({1: 1})),
        "weights",
        id="weights-int-id",
    ),
    pytest.param(
        lambda: cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"a": True}),
        "weights",
        id="weights-bool",
    ),
    pytest.param(
        lambda: cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights=loose({"a": "1"})),
        "weights",
        id="weights-str",
    ),
    pytest.param(
        lambda: cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"a": NAN}),
        "weights",
        id="weights-nan",
    ),
    pytest.param(
        lambda: cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"a": INF}),
        "weights",
        id="weights-inf",
    ),
    pytest.param(
        lambda: cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"a": 1, "b": -0.5}),
        "weights",
        id="weights-negative",
    ),
    # Theme
    pytest.param(lambda: cf.Theme("", "T", "a", "i", ["x"]), "id", id="theme-id"),
    pytest.param(lambda: cf.Theme("t", " ", "a", "i", ["x"]), "title", id="theme-title"),
    pytest.param(lambda: cf.Theme("t", "T", loose(None), "i", ["x"]), "owner", id="theme-owner"),
    pytest.param(lambda: cf.Theme("t", "T", "a", loose(1), ["x"]), "indicator", id="theme-ind"),
    pytest.param(
        lambda: cf.Theme("t", "T", "a", "i", loose("climate")), "interests", id="interests-str"
    ),
    pytest.param(lambda: cf.Theme("t", "T", "a", "i", loose(None)), "interests", id="interests-no"),
    pytest.param(lambda: cf.Theme("t", "T", "a", "i", [""]), "interests", id="interests-empty-id"),
    # AgendaProposed
    pytest.param(lambda: cf.AgendaProposed(0, []), "version", id="agenda-version-0"),
    pytest.param(lambda: cf.AgendaProposed(-1, []), "version", id="agenda-version-neg"),
    pytest.param(lambda: cf.AgendaProposed(True, []), "version", id="agenda-version-bool"),
    pytest.param(lambda: cf.AgendaProposed(loose(1.0), []), "version", id="agenda-version-float"),
    pytest.param(lambda: cf.AgendaProposed(loose("1"), []), "version", id="agenda-version-str"),
    pytest.param(lambda: cf.AgendaProposed(1, loose("city")), "themes", id="themes-str"),
    pytest.param(lambda: cf.AgendaProposed(1, loose(None)), "themes", id="themes-none"),
    pytest.param(lambda: cf.AgendaProposed(1, loose(["city"])), "themes", id="themes-not-theme"),
    pytest.param(
        lambda: cf.AgendaProposed(1, [theme("city"), theme("city")]), "themes", id="themes-dup"
    ),
    # AgendaApproved
    pytest.param(lambda: cf.AgendaApproved("", 1), "party", id="approve-party"),
    pytest.param(lambda: cf.AgendaApproved("a", 0), "version", id="approve-version-0"),
    pytest.param(lambda: cf.AgendaApproved("a", True), "version", id="approve-version-bool"),
    # DeclarationSigned
    pytest.param(lambda: cf.DeclarationSigned("", "S", 1), "party", id="sign-party"),
    pytest.param(lambda: cf.DeclarationSigned("a", "", 1), "signatory", id="sign-signatory"),
    pytest.param(lambda: cf.DeclarationSigned("a", "S", 0), "version", id="sign-version-0"),
    pytest.param(lambda: cf.DeclarationSigned("a", "S", False), "version", id="sign-version-bool"),
    pytest.param(
        lambda: cf.DeclarationSigned("a", "S", 1, role=loose(None)), "role", id="sign-role"
    ),
    # RoleAssigned
    pytest.param(lambda: cf.RoleAssigned("", "a"), "role", id="role-role"),
    pytest.param(lambda: cf.RoleAssigned("pm", ""), "party", id="role-party"),
    pytest.param(lambda: cf.RoleAssigned("pm", "a", person=loose(2)), "person", id="role-person"),
    # BudgetSet
    pytest.param(lambda: cf.BudgetSet(-1), "amount", id="budget-negative"),
    pytest.param(lambda: cf.BudgetSet(loose(NAN)), "amount", id="budget-nan"),
    pytest.param(lambda: cf.BudgetSet(loose("a lot")), "amount", id="budget-text"),
    pytest.param(lambda: cf.BudgetSet(loose(False)), "amount", id="budget-bool"),
    # ThemeClosed, ReviewRecorded
    pytest.param(lambda: cf.ThemeClosed(""), "theme", id="closed-theme"),
    pytest.param(lambda: cf.ReviewRecorded(""), "summary", id="review-summary"),
    pytest.param(lambda: cf.ReviewRecorded("ok", final=loose(1)), "final", id="review-final"),
    # Fire, Started
    pytest.param(lambda: cf.Fire(""), "trigger", id="fire-trigger"),
    pytest.param(lambda: cf.Fire("stall", reason=loose(None)), "reason", id="fire-reason"),
    pytest.param(lambda: cf.Started("", "T", ()), "trajectory", id="started-id"),
    pytest.param(lambda: cf.Started("t", loose(None), ()), "title", id="started-title"),
    pytest.param(lambda: cf.Started("t", "T", loose("ab")), "parties", id="started-parties-str"),
    pytest.param(lambda: cf.Started("t", "T", loose(5)), "parties", id="started-parties-int"),
    pytest.param(
        lambda: cf.Started("t", "T", loose([cf.Party("a"), "b"])), "parties", id="started-not-party"
    ),
]


@pytest.mark.parametrize(("build", "field"), BAD)
def test_bad_field_raises_invalid_event_error_naming_it(
    build: Callable[[], object], field: str
) -> None:
    """Constructing an event with a bad field raises InvalidEventError with that field."""
    with pytest.raises(cf.InvalidEventError) as caught:
        build()
    assert caught.value.field == field


def test_self_dependency_names_the_party() -> None:
    """A party depending on itself is refused, naming the party as the value."""
    with pytest.raises(cf.InvalidEventError) as caught:
        cf.DependencyDeclared("gemeente", "gemeente", need="knowledge")
    assert (caught.value.field, caught.value.value, caught.value.reason) == (
        "depends_on",
        "gemeente",
        "a party cannot depend on itself",
    )


def test_non_finite_score_keeps_the_value() -> None:
    """A non-finite score is refused with the score as the error's value."""
    with pytest.raises(cf.InvalidEventError) as caught:
        cf.Assessed("a", cf.Dimension.TRUST, INF)
    assert (caught.value.field, caught.value.value, caught.value.reason) == (
        "score",
        INF,
        "must be a finite number",
    )


def test_bool_score_is_not_a_number() -> None:
    """True is not accepted as the score 1."""
    with pytest.raises(cf.InvalidEventError) as caught:
        cf.Assessed("a", cf.Dimension.TRUST, True)
    assert (caught.value.value, caught.value.reason) == (True, "must be a number")


def test_negative_money_keeps_the_value() -> None:
    """Negative money is refused naming the field and the given value."""
    with pytest.raises(cf.InvalidEventError) as caught:
        cf.BudgetSet(-250)
    assert (caught.value.field, caught.value.value, caught.value.reason) == (
        "amount",
        -250,
        "must be a finite amount of at least 0",
    )


def test_a_single_string_is_not_a_collection_of_ids() -> None:
    """Giving one string where ids are expected is refused rather than split into letters."""
    with pytest.raises(cf.InvalidEventError) as caught:
        cf.InterestShared("climate", loose("gemeente"))
    assert (caught.value.field, caught.value.value) == ("parties", "gemeente")


def test_duplicate_theme_ids_name_the_theme() -> None:
    """An agenda naming the same theme twice is refused with the theme's id as value."""
    with pytest.raises(cf.InvalidEventError) as caught:
        cf.AgendaProposed(1, [theme("city"), theme("care"), theme("city")])
    assert (caught.value.field, caught.value.value) == ("themes", "city")


def test_negative_weight_names_the_party() -> None:
    """A negative weight is refused; the reason names the party it was given to."""
    with pytest.raises(cf.InvalidEventError) as caught:
        cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"a": 1, "b": -1})
    assert (caught.value.field, caught.value.reason) == ("weights", "gives 'b' a negative weight")


def test_party_joined_rejects_what_is_not_a_party() -> None:
    """PartyJoined with a bare id instead of a Party is bad input: InvalidEventError on party."""
    with pytest.raises(cf.InvalidEventError) as caught:
        cf.PartyJoined(loose("brabant"))
    assert (caught.value.field, caught.value.value) == ("party", "brabant")


def test_signalling_nan_score_is_not_finite() -> None:
    """A signalling-NaN Decimal score is a non-finite score: InvalidEventError on score."""
    with pytest.raises(cf.InvalidEventError) as caught:
        cf.Assessed("a", cf.Dimension.TRUST, loose(Decimal("sNaN")))
    assert caught.value.field == "score"


def test_signalling_nan_weight_is_not_finite() -> None:
    """A signalling-NaN Decimal weight is refused as InvalidEventError on weights."""
    with pytest.raises(cf.InvalidEventError) as caught:
        cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights=loose({"a": Decimal("sNaN")}))
    assert caught.value.field == "weights"


def test_score_too_large_for_a_float_is_invalid() -> None:
    """An int score too large to be a float is bad input: InvalidEventError on score."""
    with pytest.raises(cf.InvalidEventError) as caught:
        cf.Assessed("a", cf.Dimension.TRUST, 10**400)
    assert caught.value.field == "score"


# --- construction-time conversions that accept ----------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [(4, 4.0), (3.5, 3.5), (Decimal("2.25"), 2.25), (0, 0.0), (-1, -1.0)],
)
def test_score_becomes_a_float(score: float | Decimal, expected: float) -> None:
    """Ints, floats and Decimals are scores; the scale is checked only when recorded."""
    converted = cf.Assessed("a", cf.Dimension.TRUST, loose(score)).score
    assert (converted, type(converted)) == (expected, float)


@pytest.mark.parametrize(
    ("cash", "expected"),
    [
        (0, Decimal(0)),
        (250_000, Decimal("250000")),
        ("1250.50", Decimal("1250.50")),
        (" 12 ", Decimal("12")),
        (Decimal("99.99"), Decimal("99.99")),
        (0.1, Decimal("0.1")),
        (1500.0, Decimal("1500.0")),
    ],
)
def test_money_is_a_decimal_from_int_str_float_or_decimal(cash: object, expected: Decimal) -> None:
    """Money given as int, str, float or Decimal becomes the exact Decimal amount."""
    converted = cf.ContributionCommitted("a", "c", cash=loose(cash)).cash
    assert (converted, type(converted)) == (expected, Decimal)


def test_money_from_a_decimal_is_kept_as_given() -> None:
    """A Decimal amount is kept, not re-parsed."""
    amount = Decimal("1E+3")
    assert cf.BudgetSet(amount).amount is amount


def test_contribution_defaults_to_no_cash_and_not_in_kind() -> None:
    """A contribution without cash or in_kind has cash 0 and in_kind False."""
    event = cf.ContributionCommitted("a", "c")
    assert (event.cash, event.in_kind) == (Decimal(0), False)


def test_interest_parties_become_a_frozenset() -> None:
    """The endorsing parties become a frozenset; duplicates collapse, generators are read."""
    event = cf.InterestShared("x", (p for p in ["b", "a", "b"]))
    assert event.parties == frozenset({"a", "b"})


def test_theme_interests_become_a_tuple_and_may_be_empty() -> None:
    """A theme's interests become a tuple in order; none at all is allowed when built."""
    linked = cf.Theme("t", "T", "", "", ["climate", "mobility"])
    unlinked = cf.Theme("t", "T", "", "", [])
    assert (linked.interests, unlinked.interests, unlinked.owner) == (
        ("climate", "mobility"),
        (),
        "",
    )


def test_agenda_themes_become_a_tuple_and_may_be_empty() -> None:
    """An agenda's themes become a tuple; an empty agenda is allowed when built."""
    first, second = theme("city"), theme("care")
    assert (
        cf.AgendaProposed(1, [first, second]).themes,
        cf.AgendaProposed(2, []).themes,
    ) == ((first, second), ())


def test_weights_become_floats() -> None:
    """Weights given as ints or Decimals become floats, zero allowed."""
    event = cf.DecisionRuleSet(
        cf.DecisionRule.WEIGHTED, weights=loose({"a": 2, "b": Decimal("1.5"), "c": 0})
    )
    assert dict(event.weights) == {"a": 2.0, "b": 1.5, "c": 0.0}


def test_weights_are_a_read_only_copy() -> None:
    """The weights cannot be changed through the event or through the mapping given."""
    given = {"a": 1.0}
    event = cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights=given)
    given["a"] = 9.0
    with pytest.raises(TypeError):
        event.weights["a"] = 5.0  # type: ignore[index]
    assert (dict(event.weights), isinstance(event.weights, MappingProxyType)) == ({"a": 1.0}, True)


def test_decision_rule_defaults_to_no_weights() -> None:
    """A decision rule without weights has an empty mapping."""
    assert dict(cf.DecisionRuleSet(cf.DecisionRule.CONSENSUS).weights) == {}


@pytest.mark.parametrize("version", [1, 2, 10**6])
def test_positive_versions_are_accepted(version: int) -> None:
    """Any whole number of at least 1 is a version."""
    assert (
        cf.AgendaProposed(version, []).version,
        cf.AgendaApproved("a", version).version,
        cf.DeclarationSigned("a", "S", version).version,
    ) == (version, version, version)


def test_optional_texts_default_to_empty() -> None:
    """Reasons, descriptions, needs, respondents, roles and persons default to ''."""
    assert (
        cf.PartyLeft("a").reason,
        cf.InterestShared("x", ["a"]).description,
        cf.DependencyDeclared("a", "b").need,
        cf.Assessed("a", cf.Dimension.TRUST, 4).respondent,
        cf.DeclarationSigned("a", "S", 1).role,
        cf.RoleAssigned("pm", "a").person,
        cf.Fire("stall").reason,
    ) == ("", "", "", "", "", "", "")


def test_review_is_not_final_by_default() -> None:
    """A review is final only when said so."""
    assert (cf.ReviewRecorded("ok").final, cf.ReviewRecorded("ok", final=True).final) == (
        False,
        True,
    )


def test_started_keeps_its_parties_as_a_tuple() -> None:
    """Started turns its parties into a tuple of Party."""
    parties = [cf.Party("a"), cf.Party("b")]
    assert cf.Started("t", "", parties).parties == (parties[0], parties[1])


def test_party_joined_keeps_the_party() -> None:
    """PartyJoined carries the joining Party."""
    party = cf.Party("brabant", name="Provincie Noord-Brabant")
    assert cf.PartyJoined(party).party is party


def test_a_finite_large_float_score_is_accepted_when_built() -> None:
    """Scale checks belong to recording, so a large finite score is accepted when built."""
    assert math.isclose(cf.Assessed("a", cf.Dimension.TRUST, 1e300).score, 1e300) is True


def test_money_must_stay_below_the_limit() -> None:
    """Amounts of 10**15 and more are refused, so sums of money can never overflow."""
    with pytest.raises(cf.InvalidEventError) as error:
        cf.ContributionCommitted("a", "x", cash=Decimal("1e999999999"))
    assert error.value.field == "cash"
    with pytest.raises(cf.InvalidEventError):
        cf.BudgetSet(10**15)
    assert cf.BudgetSet(10**15 - 1).amount == Decimal(10**15 - 1)


def test_a_huge_int_score_gives_a_readable_error() -> None:
    """An int too long to print is named without failing."""
    with pytest.raises(cf.InvalidEventError, match="too large to show"):
        cf.Assessed("a", cf.Dimension.TRUST, 10**5000)


@pytest.mark.parametrize(
    "build",
    [
        lambda: cf.Party("\ud800"),
        lambda: cf.PartyLeft("a", reason="\udfff"),
        lambda: cf.InterestShared("x", ["a", "\ud800"]),
    ],
)
def test_text_that_is_not_unicode_is_refused(build: Any) -> None:
    """A lone surrogate cannot be stored as UTF-8, so no event may hold one."""
    with pytest.raises(cf.InvalidEventError):
        build()
