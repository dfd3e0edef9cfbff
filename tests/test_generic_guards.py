"""Tests of the generic guards over a process's own words: `score`, `mean_score`, `fact`, and
the conditions `score_below`, `fact_revoked`, with every form of ``parties=``.

Principles (PROCESS.md): every selected party counts, not the average; absence fails a guard and
never makes a condition hold; moving forward needs the entry threshold, falling back a present
score under the regression threshold. Failures render from the vocabulary's labels, in English
and Dutch, with no id in the sentence.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import coopflow as cf
from coopflow import guards
from coopflow._events import DataEvent
from tests.planted import move, state

AT = datetime(2021, 3, 1, 10, tzinfo=UTC)

# Ids that are not words, so a sentence that shows an id instead of its label is caught.
COMMS, TAG, ROLE = "dim_comms", "tag_backbone", "role_chair"
COUNCIL, MANDATE = "fact_council", "fact_mandate"
IDS = (COMMS, TAG, ROLE, COUNCIL, MANDATE)

VOCABULARY = cf.Vocabulary(
    dimensions={COMMS: {"en": "continuous communication", "nl": "continue communicatie"}},
    facts={
        COUNCIL: cf.Fact({"en": "council approval", "nl": "goedkeuring van de raad"}),
        MANDATE: cf.Fact({"en": "board mandate", "nl": "mandaat van het bestuur"}, per_party=True),
    },
    roles={ROLE: {"en": "chair", "nl": "voorzitter"}},
    tags={TAG: {"en": "backbone organisation", "nl": "backbone-organisatie"}},
)

ALPHA = cf.Party("a", name="Alpha", sector=cf.Sector.GOVERNMENT, tags={TAG})
BETA = cf.Party("b", name="Beta", sector=cf.Sector.KNOWLEDGE)
GAMMA = cf.Party("c", name="Gamma", sector=cf.Sector.KNOWLEDGE)
PARTIES = (ALPHA, BETA, GAMMA)


def loose(value: object) -> Any:
    """Pass a deliberately ill-typed value past the type checker."""
    return value


def process(*conditions: guards.Guard, settings: cf.Settings | None = None) -> cf.Process:
    """A process whose one transition ``close`` is guarded by `conditions`; no regressions."""
    return cf.Process(
        "generic",
        (state("open", initial=True), state("closed", terminal=True)),
        (move("close", "open", "closed", *conditions),),
        settings=settings or cf.Settings(),
        vocabulary=VOCABULARY,
    )


def run(
    guard: guards.Guard,
    *events: DataEvent,
    parties: tuple[cf.Party, ...] = PARTIES,
    settings: cf.Settings | None = None,
    at: datetime = AT,
) -> cf.GuardResult:
    """The result of `guard` after `events`, as the engine evaluates it (``explain``)."""
    t = cf.Trajectory.start(process(guard, settings=settings), parties=parties, at=AT)
    for event in events:
        t.record(event, at=AT)
    (result,) = t.explain("close", at=at).results
    return result


def keys(result: cf.GuardResult) -> list[tuple[str | None, str]]:
    """The failures of a result as (party, key) pairs."""
    return [(f.party, f.key) for f in result.failures]


def comms(*scores: tuple[str, float]) -> tuple[cf.Assessed, ...]:
    """Scores on the communication dimension."""
    return tuple(cf.Assessed(party, COMMS, score) for party, score in scores)


CHAIR_B = cf.RoleAssigned(ROLE, "b")


# --- score --------------------------------------------------------------------------------------


def test_score_holds_when_every_party_reaches_the_entry_threshold() -> None:
    """With no threshold, every party needs at least the entry threshold (3.5)."""
    result = run(guards.score(COMMS), *comms(("a", 3.5), ("b", 4), ("c", 5)))
    assert (result.guard, result.passed, result.failures) == ("score", True, ())


def test_score_fails_for_each_party_missing_or_below_not_for_the_average() -> None:
    """One party under the threshold fails the guard even when the mean is high."""
    result = run(guards.score(COMMS), *comms(("a", 5), ("b", 3.4)))
    assert (result.passed, keys(result)) == (False, [("b", "score_below"), ("c", "score_missing")])


def test_score_takes_its_own_threshold() -> None:
    """at_least replaces the entry threshold."""
    events = comms(("a", 4), ("b", 4), ("c", 4))
    assert (
        run(guards.score(COMMS, at_least=4.0), *events).passed,
        run(guards.score(COMMS, at_least=4.5), *events).passed,
    ) == (True, False)


def test_score_reads_the_settings_entry_threshold() -> None:
    """The default threshold is the process's own entry threshold."""
    settings = cf.Settings(entry_threshold=4.5)
    result = run(guards.score(COMMS), *comms(("a", 4), ("b", 5), ("c", 5)), settings=settings)
    assert keys(result) == [("a", "score_below")]


def test_score_counts_a_too_old_score_as_missing() -> None:
    """With max_score_age, a score older than that at the time of evaluation is missing."""
    settings = cf.Settings(max_score_age=timedelta(days=30))
    events = comms(("a", 5), ("b", 5), ("c", 5))
    fresh = run(guards.score(COMMS), *events, settings=settings, at=AT + timedelta(days=29))
    stale = run(guards.score(COMMS), *events, settings=settings, at=AT + timedelta(days=31))
    assert (fresh.passed, keys(stale)) == (
        True,
        [("a", "score_missing"), ("b", "score_missing"), ("c", "score_missing")],
    )


def test_score_of_a_seed_dimension_by_its_string_or_enum_is_the_same() -> None:
    """ "trust" and cf.Dimension.TRUST are one dimension, in the guard and in the event."""
    events = [cf.Assessed(p.id, cf.Dimension.TRUST, 4) for p in PARTIES]
    assert (
        run(guards.score("trust"), *events).passed,
        run(guards.score(cf.Dimension.TRUST), *events).passed,
    ) == (True, True)


@pytest.mark.parametrize(
    ("parties", "events", "expected"),
    [
        ("all", comms(("a", 4), ("b", 4), ("c", 4)), []),
        (None, comms(("a", 4), ("b", 4)), [("c", "score_missing")]),
        ("any", comms(("a", 1), ("b", 4)), []),
        (
            "any",
            comms(("a", 1), ("b", 2)),
            [("a", "score_below"), ("b", "score_below"), ("c", "score_missing")],
        ),
        (["a", "b"], comms(("a", 4), ("b", 4)), []),
        (("a", "b"), comms(("a", 4), ("b", 1)), [("b", "score_below")]),
        (["a", "zed"], comms(("a", 4)), [("zed", "party_absent")]),
        (["zed", "a"], comms(("a", 1)), [("zed", "party_absent"), ("a", "score_below")]),
        ({"tag": TAG}, comms(("a", 4)), []),
        ({"tag": TAG}, comms(("b", 4), ("c", 4)), [("a", "score_missing")]),
        ({"sector": "knowledge"}, comms(("b", 4), ("c", 4)), []),
        ({"sector": cf.Sector.KNOWLEDGE}, comms(("a", 4), ("b", 4)), [("c", "score_missing")]),
        ({"sector": "business"}, comms(("a", 4), ("b", 4), ("c", 4)), [(None, "nobody_in_sector")]),
        ({"role": ROLE}, (CHAIR_B, *comms(("b", 4))), []),
        ({"role": ROLE}, (CHAIR_B, *comms(("a", 4), ("b", 1))), [("b", "score_below")]),
        ({"role": ROLE}, comms(("a", 4), ("b", 4), ("c", 4)), [(None, "role_missing")]),
    ],
)
def test_score_with_every_selector(
    parties: Any, events: tuple[DataEvent, ...], expected: list[tuple[str | None, str]]
) -> None:
    """Every selected party must pass ("any": one); a selection that misses someone fails."""
    result = run(guards.score(COMMS, parties=parties), *events)
    assert (result.passed, keys(result)) == (not expected, expected)


def test_score_of_a_tag_nobody_carries_fails() -> None:
    """A tag selection that finds nobody fails: absence is failure."""
    result = run(guards.score(COMMS, parties={"tag": TAG}), *comms(("b", 5)), parties=(BETA, GAMMA))
    assert keys(result) == [(None, "nobody_tagged")]


def test_score_with_any_when_nobody_is_left_fails() -> None:
    """ "any" over no parties at all fails: nobody can be the one that passes."""
    t = cf.Trajectory.start(process(guards.score(COMMS, parties="any")), parties=PARTIES, at=AT)
    for party in PARTIES:
        t.record(cf.PartyLeft(party.id), at=AT)
    (result,) = t.explain("close", at=AT).results
    assert (result.passed, keys(result)) == (False, [(None, "too_few_parties")])


def test_score_of_a_role_holder_who_left_fails() -> None:
    """A role held by a party that left is held by nobody."""
    result = run(guards.score(COMMS, parties={"role": ROLE}), CHAIR_B, cf.PartyLeft("b"))
    assert keys(result) == [(None, "role_missing")]


# --- mean_score ---------------------------------------------------------------------------------


def test_mean_score_holds_on_each_party_s_own_mean() -> None:
    """The mean is taken per party, over the dimensions; each party's mean must reach it."""
    events = [
        *comms(("a", 5), ("b", 4), ("c", 3)),
        cf.Assessed("a", "trust", 2),
        cf.Assessed("b", "trust", 3),
        cf.Assessed("c", "trust", 4),
    ]
    result = run(guards.mean_score([COMMS, "trust"]), *events)
    assert (result.guard, result.passed, result.failures) == ("mean_score", True, ())


def test_mean_score_fails_a_party_whose_mean_is_below() -> None:
    """A party under the mean fails with its mean and the threshold."""
    events = [
        *comms(("a", 5), ("b", 4), ("c", 3)),
        *(cf.Assessed(p.id, "trust", 3) for p in PARTIES),
    ]
    result = run(guards.mean_score([COMMS, "trust"], at_least=3.5), *events)
    (failure,) = result.failures
    assert (failure.party, failure.key, failure.params["mean"], failure.params["threshold"]) == (
        "c",
        "mean_below",
        3.0,
        3.5,
    )


def test_mean_score_with_each_at_least_fails_a_low_single_score() -> None:
    """each_at_least fails a party with one low score even when its mean is high enough."""
    events = [
        *comms(("a", 5), ("b", 5), ("c", 5)),
        *(cf.Assessed(p.id, "trust", 2) for p in PARTIES),
    ]
    loose_mean = run(guards.mean_score([COMMS, "trust"], at_least=3.5), *events)
    strict = run(guards.mean_score([COMMS, "trust"], at_least=3.5, each_at_least=3.0), *events)
    assert (loose_mean.passed, keys(strict)) == (
        True,
        [("a", "score_below"), ("b", "score_below"), ("c", "score_below")],
    )


def test_mean_score_of_a_party_missing_a_dimension_fails_without_a_mean() -> None:
    """A missing score fails the party; no mean is taken over the scores that are there."""
    result = run(guards.mean_score([COMMS, "trust"], parties=["a"]), *comms(("a", 5)))
    assert keys(result) == [("a", "score_missing")]


@pytest.mark.parametrize(
    ("parties", "expected"),
    [
        ("any", []),
        ({"tag": TAG}, []),
        ({"sector": "knowledge"}, [("b", "mean_below"), ("c", "score_missing")]),
        (["b", "zed"], [("zed", "party_absent"), ("b", "mean_below")]),
        ({"role": ROLE}, [(None, "role_missing")]),
    ],
)
def test_mean_score_with_selectors(parties: Any, expected: list[tuple[str | None, str]]) -> None:
    """mean_score selects parties like every generic guard."""
    events = comms(("a", 5), ("b", 2))
    result = run(guards.mean_score([COMMS], parties=parties), *events)
    assert (result.passed, keys(result)) == (not expected, expected)


# --- score_below (a condition) ------------------------------------------------------------------


def test_score_below_holds_for_a_present_score_under_the_regression_threshold() -> None:
    """Some party's present score under 3.0 makes the condition hold, with that finding."""
    result = run(guards.score_below(COMMS), *comms(("a", 5), ("b", 2.9)))
    assert (result.guard, result.passed, keys(result)) == (
        "score_below",
        True,
        [("b", "score_below")],
    )


def test_score_below_never_holds_on_a_missing_score() -> None:
    """Absence never makes a condition hold: no scores, no regression."""
    result = run(guards.score_below(COMMS))
    assert (result.passed, result.failures) == (False, ())


def test_score_below_leaves_borderline_scores_alone() -> None:
    """A score between the regression and entry thresholds holds the condition back."""
    assert run(guards.score_below(COMMS), *comms(("a", 3.0), ("b", 3.4))).passed is False


def test_score_below_takes_its_own_threshold() -> None:
    """below replaces the regression threshold."""
    events = comms(("a", 3.4))
    assert (
        run(guards.score_below(COMMS, below=3.5), *events).passed,
        run(guards.score_below(COMMS, below=3.4), *events).passed,
    ) == (True, False)


def test_score_below_ignores_a_too_old_score() -> None:
    """A score older than max_score_age is missing, so it never causes a regression."""
    settings = cf.Settings(max_score_age=timedelta(days=30))
    result = run(
        guards.score_below(COMMS), *comms(("a", 1)), settings=settings, at=AT + timedelta(days=31)
    )
    assert result.passed is False


@pytest.mark.parametrize(
    ("parties", "events", "expected"),
    [
        ("all", comms(("a", 1), ("b", 5)), [("a", "score_below")]),
        ("any", comms(("a", 1), ("b", 5)), []),
        ("any", comms(("a", 1), ("b", 2)), []),
        (
            "any",
            comms(("a", 1), ("b", 2), ("c", 2.5)),
            [("a", "score_below"), ("b", "score_below"), ("c", "score_below")],
        ),
        (["b", "zed"], comms(("a", 1), ("b", 5)), []),
        (["b", "zed"], comms(("b", 1)), [("b", "score_below")]),
        (["zed"], comms(("a", 1), ("b", 1), ("c", 1)), []),
        ({"tag": TAG}, comms(("a", 1)), [("a", "score_below")]),
        ({"tag": TAG}, comms(("b", 1), ("c", 1)), []),
        ({"sector": "knowledge"}, comms(("a", 1), ("c", 1)), [("c", "score_below")]),
        ({"sector": "business"}, comms(("a", 1), ("b", 1), ("c", 1)), []),
        ({"role": ROLE}, (CHAIR_B, *comms(("b", 1))), [("b", "score_below")]),
        ({"role": ROLE}, (CHAIR_B, *comms(("a", 1), ("c", 1))), []),
        ({"role": ROLE}, comms(("a", 1), ("b", 1), ("c", 1)), []),
    ],
)
def test_score_below_with_every_selector(
    parties: Any, events: tuple[DataEvent, ...], expected: list[tuple[str | None, str]]
) -> None:
    """One selected party with a finding suffices ("any": every one); nobody selected, no hold."""
    result = run(guards.score_below(COMMS, parties=parties), *events)
    assert (result.passed, keys(result)) == (bool(expected), expected)


# --- fact ---------------------------------------------------------------------------------------


def test_fact_of_the_trajectory_holds_once_recorded() -> None:
    """A fact of the whole trajectory holds after FactRecorded, and fails before."""
    before = run(guards.fact(COUNCIL))
    after = run(guards.fact(COUNCIL), cf.FactRecorded(COUNCIL))
    assert (keys(before), after.passed) == ([(None, "fact_missing")], True)


@pytest.mark.parametrize("holds", [(False,), (True, False)], ids=["denied", "withdrawn"])
def test_fact_fails_when_it_does_not_hold(holds: tuple[bool, ...]) -> None:
    """A fact recorded as not holding, or withdrawn, fails the guard."""
    events = [cf.FactRecorded(COUNCIL, holds=value) for value in holds]
    assert keys(run(guards.fact(COUNCIL), *events)) == [(None, "fact_missing")]


@pytest.mark.parametrize(
    ("parties", "recorded", "expected"),
    [
        ("all", ("a", "b", "c"), []),
        ("all", ("a",), [("b", "party_fact_missing"), ("c", "party_fact_missing")]),
        ("any", ("c",), []),
        (
            "any",
            (),
            [("a", "party_fact_missing"), ("b", "party_fact_missing"), ("c", "party_fact_missing")],
        ),
        (["a", "b"], ("a", "b"), []),
        (["a", "zed"], ("a", "b", "c"), [("zed", "party_absent")]),
        ({"tag": TAG}, ("a",), []),
        ({"tag": TAG}, ("b", "c"), [("a", "party_fact_missing")]),
        ({"sector": "knowledge"}, ("b",), [("c", "party_fact_missing")]),
        ({"sector": "civil_society"}, ("a", "b", "c"), [(None, "nobody_in_sector")]),
        ({"role": ROLE}, ("a", "c"), [(None, "role_missing")]),
    ],
)
def test_fact_per_party_with_every_selector(
    parties: Any, recorded: tuple[str, ...], expected: list[tuple[str | None, str]]
) -> None:
    """A per-party fact must hold for every selected party ("any": one)."""
    events = [cf.FactRecorded(MANDATE, party=party) for party in recorded]
    result = run(guards.fact(MANDATE, parties=parties), *events)
    assert (result.passed, keys(result)) == (not expected, expected)


def test_fact_per_party_of_a_role_holder() -> None:
    """{"role": ...} asks the fact of the party that holds the role."""
    with_b = run(
        guards.fact(MANDATE, parties={"role": ROLE}), CHAIR_B, cf.FactRecorded(MANDATE, party="b")
    )
    without = run(
        guards.fact(MANDATE, parties={"role": ROLE}), CHAIR_B, cf.FactRecorded(MANDATE, party="a")
    )
    assert (with_b.passed, keys(without)) == (True, [("b", "party_fact_missing")])


def test_fact_per_party_that_was_withdrawn_fails() -> None:
    """A party whose fact was withdrawn no longer passes."""
    events = [
        *(cf.FactRecorded(MANDATE, party=p.id) for p in PARTIES),
        cf.FactRecorded(MANDATE, party="b", holds=False),
    ]
    assert keys(run(guards.fact(MANDATE, parties="all"), *events)) == [("b", "party_fact_missing")]


def test_fact_keeps_the_parties_as_given() -> None:
    """Without parties a fact is of the trajectory; "all" must be said for a per-party one."""
    assert (
        guards.fact(COUNCIL).parties,
        guards.fact(MANDATE, parties="all").parties,
        guards.fact(MANDATE, parties=["a"]).parties,
    ) == (None, "all", ("a",))


# --- fact_revoked (a condition) -----------------------------------------------------------------


def test_fact_revoked_holds_once_a_held_fact_is_withdrawn() -> None:
    """The condition holds after the fact held and was withdrawn, not before."""
    held = run(guards.fact_revoked(COUNCIL), cf.FactRecorded(COUNCIL))
    revoked = run(
        guards.fact_revoked(COUNCIL),
        cf.FactRecorded(COUNCIL),
        cf.FactRecorded(COUNCIL, holds=False),
    )
    assert (held.passed, held.failures, revoked.passed, keys(revoked)) == (
        False,
        (),
        True,
        [(None, "fact_withdrawn")],
    )


@pytest.mark.parametrize(
    "events",
    [(), (cf.FactRecorded(COUNCIL, holds=False),)],
    ids=["never-recorded", "never-held"],
)
def test_fact_revoked_never_holds_on_absence(events: tuple[DataEvent, ...]) -> None:
    """A fact never recorded, or recorded as not holding, was not revoked."""
    result = run(guards.fact_revoked(COUNCIL), *events)
    assert (result.passed, result.failures) == (False, ())


def test_fact_revoked_no_longer_holds_when_the_fact_is_restored() -> None:
    """Recording the fact again after its withdrawal ends the condition."""
    events = [cf.FactRecorded(COUNCIL, holds=holds) for holds in (True, False, True)]
    assert run(guards.fact_revoked(COUNCIL), *events).passed is False


def _revoked(*parties: str) -> list[DataEvent]:
    events: list[DataEvent] = []
    for party in parties:
        events += [
            cf.FactRecorded(MANDATE, party=party),
            cf.FactRecorded(MANDATE, party=party, holds=False),
        ]
    return events


@pytest.mark.parametrize(
    ("parties", "revoked", "expected"),
    [
        ("all", ("b",), [("b", "party_fact_withdrawn")]),
        ("all", (), []),
        ("any", ("a", "b"), []),
        (
            "any",
            ("a", "b", "c"),
            [
                ("a", "party_fact_withdrawn"),
                ("b", "party_fact_withdrawn"),
                ("c", "party_fact_withdrawn"),
            ],
        ),
        (["a", "zed"], ("a",), [("a", "party_fact_withdrawn")]),
        (["zed"], ("a", "b", "c"), []),
        ({"tag": TAG}, ("a",), [("a", "party_fact_withdrawn")]),
        ({"tag": TAG}, ("b",), []),
        ({"sector": "knowledge"}, ("a", "c"), [("c", "party_fact_withdrawn")]),
        ({"sector": "business"}, ("a", "b", "c"), []),
        ({"role": ROLE}, ("a", "b", "c"), []),
    ],
)
def test_fact_revoked_per_party_with_every_selector(
    parties: Any, revoked: tuple[str, ...], expected: list[tuple[str | None, str]]
) -> None:
    """One selected party whose fact was withdrawn suffices ("any": every one)."""
    result = run(guards.fact_revoked(MANDATE, parties=parties), *_revoked(*revoked))
    assert (result.passed, keys(result)) == (bool(expected), expected)


def test_fact_revoked_of_a_role_holder() -> None:
    """{"role": ...} asks about the party that holds the role."""
    result = run(guards.fact_revoked(MANDATE, parties={"role": ROLE}), CHAIR_B, *_revoked("b"))
    assert keys(result) == [("b", "party_fact_withdrawn")]


def test_fact_revoked_per_party_ignores_a_fact_that_still_holds() -> None:
    """A per-party fact that holds (or never held) is no finding."""
    events = [cf.FactRecorded(MANDATE, party="a"), cf.FactRecorded(MANDATE, party="b", holds=False)]
    assert run(guards.fact_revoked(MANDATE, parties="all"), *events).passed is False


# --- parameters checked when a guard is built ---------------------------------------------------


@pytest.mark.parametrize(
    "parties",
    [
        "everyone",
        "",
        5,
        [],
        ["a", ""],
        ["a", 3],
        {"tag": TAG, "role": ROLE},
        {},
        {"colour": "red"},
        {"tag": ""},
        {"tag": 3},
        {"sector": "moon"},
    ],
    ids=repr,
)
@pytest.mark.parametrize(
    "factory",
    [
        lambda parties: guards.score(COMMS, parties=parties),
        lambda parties: guards.mean_score([COMMS], parties=parties),
        lambda parties: guards.score_below(COMMS, parties=parties),
        lambda parties: guards.fact(MANDATE, parties=parties),
        lambda parties: guards.fact_revoked(MANDATE, parties=parties),
    ],
    ids=["score", "mean_score", "score_below", "fact", "fact_revoked"],
)
def test_a_bad_selection_is_an_invalid_process_error(factory: Any, parties: object) -> None:
    """A parties= value that is no selection is refused when the guard is built, naming it."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        factory(parties)
    assert "parties" in str(caught.value)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: guards.score(""), "guard 'score' dimension '' must be a non-empty id"),
        (lambda: guards.score(loose(None)), "guard 'score' dimension None must be a non-empty id"),
        (
            lambda: guards.score(COMMS, at_least=loose("high")),
            "guard 'score' at_least 'high' must be a finite number",
        ),
        (
            lambda: guards.score(COMMS, at_least=float("nan")),
            "guard 'score' at_least nan must be a finite number",
        ),
        (
            lambda: guards.mean_score(loose("trust")),
            "'trust' must be a list of ids, not one string",
        ),
        (lambda: guards.mean_score(loose(7)), "7 must be a list of ids, not one string"),
        (lambda: guards.mean_score([]), "[] must list at least one non-empty id"),
        (
            lambda: guards.mean_score(["trust", ""]),
            "['trust', ''] must list at least one non-empty id",
        ),
        (
            lambda: guards.mean_score(["trust"], each_at_least=loose(True)),
            "guard 'mean_score' each_at_least True must be a finite number",
        ),
        (
            lambda: guards.score_below(COMMS, below=loose([1])),
            "guard 'score_below' below [1] must be a finite number",
        ),
        (lambda: guards.fact(""), "guard 'fact' fact '' must be a non-empty id"),
        (
            lambda: guards.fact_revoked(loose(1)),
            "guard 'fact_revoked' fact 1 must be a non-empty id",
        ),
        (
            lambda: guards.trust(loose("4")),
            "guard 'trust' threshold '4' must be a finite number",
        ),
    ],
)
def test_a_bad_parameter_is_an_invalid_process_error(build: Any, message: str) -> None:
    """Each parameter is checked when the guard is built; the message names guard and value."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        build()
    assert caught.value.problems == (message,)


def test_a_set_of_ids_is_kept_in_sorted_order() -> None:
    """A set has no order of its own: its ids are sorted, so equal sets make equal guards."""
    ids = {"e", "d", "c", "b", "a"}
    assert (
        guards.score(COMMS, parties=ids).parties,
        guards.fact(MANDATE, parties=frozenset(ids)).parties,
        guards.mean_score({"voice", "trust", "stake", "impact", "urgency"}).dimensions,
        guards.roles_assigned({"treasurer", "chair", "secretary"}).roles,
        guards.score(COMMS, parties=["b", "a"]).parties,
    ) == (
        ("a", "b", "c", "d", "e"),
        ("a", "b", "c", "d", "e"),
        ("impact", "stake", "trust", "urgency", "voice"),
        ("chair", "secretary", "treasurer"),
        ("b", "a"),
    )


def test_thresholds_are_floats_so_4_and_4_0_are_one_guard() -> None:
    """A whole-number threshold becomes a float: the same guard, the same document."""
    assert (
        guards.score(COMMS, at_least=4) == guards.score(COMMS, at_least=4.0),
        guards.mean_score([COMMS], each_at_least=3).each_at_least,
        guards.score_below(COMMS, below=3).below,
    ) == (True, 3.0, 3.0)


# --- problems found when a process is built -----------------------------------------------------


@pytest.mark.parametrize(
    ("guard", "problems"),
    [
        (
            guards.score("unicorns"),
            ["guard 'score' names dimension 'unicorns', which the vocabulary does not declare"],
        ),
        (
            guards.mean_score([COMMS, "unicorns", "magic"]),
            [
                "guard 'mean_score' names dimension 'unicorns', which the vocabulary does not "
                "declare",
                "guard 'mean_score' names dimension 'magic', which the vocabulary does not declare",
            ],
        ),
        (
            guards.score_below("unicorns"),
            [
                "guard 'score_below' names dimension 'unicorns', which the vocabulary does not "
                "declare"
            ],
        ),
        (
            guards.score(COMMS, at_least=9.0),
            ["guard 'score' at_least 9 is off the scale 1 to 5"],
        ),
        (
            guards.score(COMMS, at_least=0.5),
            ["guard 'score' at_least 0.5 is off the scale 1 to 5"],
        ),
        (
            guards.mean_score([COMMS], at_least=6, each_at_least=0),
            [
                "guard 'mean_score' at_least 6 is off the scale 1 to 5",
                "guard 'mean_score' each_at_least 0 is off the scale 1 to 5",
            ],
        ),
        (
            guards.score_below(COMMS, below=5.5),
            ["guard 'score_below' below 5.5 is off the scale 1 to 5"],
        ),
        (guards.trust(threshold=9.0), ["guard 'trust' threshold 9 is off the scale 1 to 5"]),
        (
            guards.equal_standing(max_share=1.5),
            ["guard 'equal_standing' max_share 1.5 must be a share above 0 and at most 1"],
        ),
        (
            guards.finances_covered(coverage=0),
            ["guard 'finances_covered' coverage 0 must be a share above 0 and at most 1"],
        ),
        (
            guards.roles_assigned(roles=["king", ROLE]),
            ["guard 'roles_assigned' names role 'king', which the vocabulary does not declare"],
        ),
        (
            guards.score(COMMS, parties={"tag": "vip"}),
            ["guard 'score' selects tag 'vip', which the vocabulary does not declare"],
        ),
        (
            guards.score_below(COMMS, parties={"role": "king"}),
            ["guard 'score_below' selects role 'king', which the vocabulary does not declare"],
        ),
        (
            guards.mean_score([COMMS], parties={"role": "king"}),
            ["guard 'mean_score' selects role 'king', which the vocabulary does not declare"],
        ),
        (
            guards.fact("unicorn_sighted"),
            ["guard 'fact' names fact 'unicorn_sighted', which the vocabulary does not declare"],
        ),
        (
            guards.fact(MANDATE),
            [f"guard 'fact': fact '{MANDATE}' is recorded per party; say which (parties='all')"],
        ),
        (
            guards.fact_revoked(COUNCIL, parties="all"),
            [
                f"guard 'fact_revoked': fact '{COUNCIL}' is of the whole trajectory; it takes no "
                "parties"
            ],
        ),
        (
            guards.fact_revoked(MANDATE, parties={"tag": "vip"}),
            ["guard 'fact_revoked' selects tag 'vip', which the vocabulary does not declare"],
        ),
        (
            guards.all_of(guards.score("unicorns"), guards.not_(guards.fact("nope"))),
            [
                "guard 'score' names dimension 'unicorns', which the vocabulary does not declare",
                "guard 'fact' names fact 'nope', which the vocabulary does not declare",
            ],
        ),
        (
            guards.any_of(guards.trust(threshold=0), guards.score(COMMS)),
            ["guard 'trust' threshold 0 is off the scale 1 to 5"],
        ),
    ],
)
def test_a_process_refuses_guards_that_do_not_fit_its_vocabulary_or_scale(
    guard: guards.Guard, problems: list[str]
) -> None:
    """Every guard checks itself when the process is built; every problem is named at once."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        process(guard)
    assert caught.value.problems == tuple(f"transition 'close': {p}" for p in problems)


def test_a_problem_of_the_same_guard_twice_in_a_transition_is_named_once() -> None:
    """Two equal guards with the same problem in one transition give one problem."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        process(guards.score("unicorns"), guards.score("unicorns"))
    assert len(caught.value.problems) == 1


def test_a_threshold_on_the_scale_of_the_process_is_accepted() -> None:
    """On a scale of 0 to 10 a threshold of 9 is fine; the ends of the scale are on it."""
    settings = cf.Settings(scale=(0, 10), entry_threshold=6, regression_threshold=4)
    built = process(
        guards.score(COMMS, at_least=9.0),
        guards.mean_score([COMMS], at_least=10, each_at_least=0),
        guards.trust(threshold=9.0),
        settings=settings,
    )
    assert len(built.transitions[0].guards) == 3


def test_sector_and_id_selections_need_no_vocabulary() -> None:
    """Sectors are coopflow's own words and party ids are the trajectory's: no problem."""
    built = process(
        guards.score(COMMS, parties={"sector": "business"}),
        guards.fact(MANDATE, parties=["anyone"]),
    )
    assert len(built.transitions[0].guards) == 2


def test_a_required_role_the_vocabulary_does_not_declare_is_refused() -> None:
    """Settings.required_roles name roles of the vocabulary."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        process(settings=cf.Settings(required_roles=("treasurer",)))
    assert caught.value.problems == (
        "required role 'treasurer' is not a role the vocabulary declares",
    )


# --- messages from the vocabulary ---------------------------------------------------------------


def _messages(result: cf.GuardResult) -> list[tuple[str, str]]:
    return [(f.message("en"), f.message("nl")) for f in result.failures]


@pytest.mark.parametrize(
    ("guard", "events", "parties", "expected"),
    [
        (
            guards.score(COMMS, parties=["b"]),
            (),
            PARTIES,
            (
                "Beta has no score for continuous communication yet",
                "voor Beta is nog geen score voor continue communicatie vastgelegd",
            ),
        ),
        (
            guards.score(COMMS, parties=["b"]),
            comms(("b", 2.5)),
            PARTIES,
            (
                "Beta: the score for continuous communication is 2.5; at least 3.5 is needed",
                "Beta: de score voor continue communicatie is 2,5; nodig is minstens 3,5",
            ),
        ),
        (
            guards.mean_score([COMMS, "trust"], parties=["b"]),
            (*comms(("b", 2)), cf.Assessed("b", "trust", 3)),
            PARTIES,
            (
                "Beta: the mean score for continuous communication and trust is 2.5; "
                "at least 3.5 is needed",
                "Beta: de gemiddelde score voor continue communicatie en vertrouwen is 2,5; "
                "nodig is minstens 3,5",
            ),
        ),
        (
            guards.score_below(COMMS),
            comms(("a", 1)),
            PARTIES,
            (
                "Alpha: the score for continuous communication is 1.0; at least 3.0 is needed",
                "Alpha: de score voor continue communicatie is 1,0; nodig is minstens 3,0",
            ),
        ),
        (
            guards.fact(COUNCIL),
            (),
            PARTIES,
            ("not recorded yet: council approval", "nog niet vastgelegd: goedkeuring van de raad"),
        ),
        (
            guards.fact(MANDATE, parties=["c"]),
            (),
            PARTIES,
            (
                "Gamma: not recorded yet: board mandate",
                "Gamma: nog niet vastgelegd: mandaat van het bestuur",
            ),
        ),
        (
            guards.fact_revoked(COUNCIL),
            (cf.FactRecorded(COUNCIL), cf.FactRecorded(COUNCIL, holds=False)),
            PARTIES,
            ("withdrawn: council approval", "ingetrokken: goedkeuring van de raad"),
        ),
        (
            guards.fact_revoked(MANDATE, parties="all"),
            tuple(_revoked("c")),
            PARTIES,
            (
                "Gamma: withdrawn: board mandate",
                "Gamma: ingetrokken: mandaat van het bestuur",
            ),
        ),
        (
            guards.score(COMMS, parties={"tag": TAG}),
            (),
            (BETA, GAMMA),
            (
                "none of the parties is marked as backbone organisation",
                "geen van de partijen is aangemerkt als backbone-organisatie",
            ),
        ),
        (
            guards.fact(MANDATE, parties={"sector": "civil_society"}),
            (),
            PARTIES,
            (
                "none of the parties belongs to the sector civil society",
                "geen van de partijen hoort bij de sector maatschappelijke organisaties",
            ),
        ),
        (
            guards.score(COMMS, parties={"role": ROLE}),
            (),
            PARTIES,
            ("no chair has been appointed yet", "er is nog geen voorzitter aangewezen"),
        ),
    ],
    ids=[
        "score_missing",
        "score_below",
        "mean_below",
        "score_below-condition",
        "fact_missing",
        "party_fact_missing",
        "fact_withdrawn",
        "party_fact_withdrawn",
        "nobody_tagged",
        "nobody_in_sector",
        "role_missing",
    ],
)
def test_failures_render_from_the_labels_in_english_and_dutch(
    guard: guards.Guard,
    events: tuple[DataEvent, ...],
    parties: tuple[cf.Party, ...],
    expected: tuple[str, str],
) -> None:
    """Every failure of a generic guard reads as a sentence with labels, never with an id."""
    messages = _messages(run(guard, *events, parties=parties))
    assert messages == [expected]
    assert [id for id in IDS for text in expected if id in text] == []


def test_a_mean_over_one_dimension_names_that_one() -> None:
    """A mean over a single dimension reads as that dimension's label, with no list around it."""
    result = run(guards.mean_score([COMMS], parties=["b"]), *comms(("b", 2)))
    assert _messages(result) == [
        (
            "Beta: the mean score for continuous communication is 2.0; at least 3.5 is needed",
            "Beta: de gemiddelde score voor continue communicatie is 2,0; nodig is minstens 3,5",
        )
    ]


def test_a_relabelled_seed_dimension_renders_with_the_process_s_label() -> None:
    """A process that relabels trust shows its own label in the seed's guard's failures."""
    vocabulary = cf.Vocabulary(
        dimensions={"trust": {"en": "mutual trust", "nl": "wederzijds vertrouwen"}}
    )
    p = cf.Process(
        "relabelled",
        (state("open", initial=True), state("closed", terminal=True)),
        (move("close", "open", "closed", guards.trust()),),
        vocabulary=vocabulary,
    )
    t = cf.Trajectory.start(p, parties=[cf.Party("a", name="Alpha"), cf.Party("b", name="Beta")])
    explanation = t.explain("close")
    assert [f.message("nl") for f in explanation.failures] == [
        "voor Alpha is nog geen score voor wederzijds vertrouwen vastgelegd",
        "voor Beta is nog geen score voor wederzijds vertrouwen vastgelegd",
    ]


def test_a_failure_s_word_equals_its_id() -> None:
    """A word in a failure's parameters compares as its id, so records stay comparable."""
    (failure,) = run(guards.score(COMMS, parties=["a"])).failures
    assert (failure.params["dimension"] == COMMS, str(failure.params["dimension"])) == (True, COMMS)


def test_the_explanation_of_a_refusal_lists_the_sentences() -> None:
    """Explanation.message shows each generic failure by its labels, in Dutch too."""
    t = cf.Trajectory.start(process(guards.fact(COUNCIL)), parties=PARTIES, at=AT)
    assert t.explain("close").message("nl") == (
        "‘close’ kan nog niet vanuit de fase open. Nog nodig:\n"
        "- nog niet vastgelegd: goedkeuring van de raad"
    )
