"""Tests of coopflow.guards: every guard, condition and combinator, and the kind registry."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar

import attrs
import pytest

import coopflow as cf
from coopflow import guards
from coopflow._events import DataEvent
from coopflow.guards import _combinators as gc
from coopflow.guards import _conditions as gk
from coopflow.guards import _cooperation as gp
from coopflow.guards import _registry
from coopflow.guards import _scores as gs
from tests.conftest import T0

TRUST, VOICE = cf.Dimension.TRUST, cf.Dimension.VOICE
STAKE, URGENCY, IMPACT = cf.Dimension.STAKE, cf.Dimension.URGENCY, cf.Dimension.IMPACT
G_NAME, U_NAME = "Gemeente Tilburg", "Tilburg University"

Finding = tuple[str | None, str, dict[str, Any]]


def loose(value: object) -> Any:
    """Pass a deliberately ill-typed value past the type checker."""
    return value


def record(t: cf.Trajectory, *events: DataEvent) -> cf.Trajectory:
    """Record every event at T0 and return the trajectory."""
    for event in events:
        t.record(event, at=T0)
    return t


def check(guard: guards.Guard, t: cf.Trajectory, at: datetime = T0) -> cf.GuardResult:
    """Evaluate `guard` on the trajectory's snapshot with its process's settings."""
    return guard(t.snapshot, t.process.settings, at)


def findings(result: cf.GuardResult) -> list[Finding]:
    """The failures of a result as comparable tuples."""
    return [(f.party, f.key, dict(f.params)) for f in result.failures]


def with_settings(pair: list[cf.Party], **settings: Any) -> cf.Trajectory:
    """A fresh trajectory of the default process with other settings."""
    roles = {role: {"en": role, "nl": role} for role in settings.get("required_roles", ())}
    process = cf.default_process(
        settings=cf.Settings(**settings), vocabulary=cf.Vocabulary(roles=roles)
    )
    return cf.Trajectory.start(process, parties=pair, at=T0)


def scores(dimension: cf.Dimension, gemeente: float, uni: float) -> tuple[cf.Assessed, ...]:
    """One score for each of the two parties on a dimension."""
    return (cf.Assessed("gemeente", dimension, gemeente), cf.Assessed("uni", dimension, uni))


def alone() -> cf.Snapshot:
    """A snapshot with one party left (never built by events; the regression fires first)."""
    return cf.Snapshot("exploring", (cf.Party("gemeente", name=G_NAME),))


def theme(
    id: str, owner: str = "gemeente", indicator: str = "CO2", interests: tuple[str, ...] = ("x",)
) -> cf.Theme:
    """A theme titled after its id."""
    return cf.Theme(id, id.title(), owner, indicator, interests)


def approved(t: cf.Trajectory, version: int, *themes: cf.Theme) -> cf.Trajectory:
    """Propose `version` with `themes` (sharing interest x first if needed); both approve it."""
    if not t.snapshot.registers.interests:
        record(t, cf.InterestShared("x", ["gemeente", "uni"]))
    return record(
        t,
        cf.AgendaProposed(version, themes),
        cf.AgendaApproved("gemeente", version),
        cf.AgendaApproved("uni", version),
    )


# --- common_ground --------------------------------------------------------------------------------


def test_common_ground_fails_every_part_on_a_fresh_trajectory(trajectory: cf.Trajectory) -> None:
    """Without any data, common ground misses the interest and each party's value and links."""
    result = check(guards.common_ground(), trajectory)
    assert (result.guard, result.passed, findings(result)) == (
        "common_ground",
        False,
        [
            (None, "no_common_interest", {}),
            ("gemeente", "value_missing", {"name": G_NAME}),
            ("gemeente", "depends_on_nobody", {"name": G_NAME}),
            ("gemeente", "nobody_depends_on", {"name": G_NAME}),
            ("uni", "value_missing", {"name": U_NAME}),
            ("uni", "depends_on_nobody", {"name": U_NAME}),
            ("uni", "nobody_depends_on", {"name": U_NAME}),
        ],
    )


def test_common_ground_needs_two_parties() -> None:
    """With one party, common ground reports too few parties with the count."""
    result = guards.common_ground()(alone(), cf.Settings(), T0)
    assert findings(result)[0] == (None, "too_few_parties", {"count": 1})


def test_common_ground_needs_an_interest_of_every_party(trajectory: cf.Trajectory) -> None:
    """Interests endorsed by only some parties are not common ground."""
    record(trajectory, cf.InterestShared("x", ["uni"]), cf.InterestShared("y", ["gemeente"]))
    result = check(guards.common_ground(), trajectory)
    assert findings(result)[0] == (None, "no_common_interest", {})


def test_common_ground_needs_dependencies_both_ways(trajectory: cf.Trajectory) -> None:
    """A one-way dependency leaves one party depending on nobody, the other depended on by none."""
    record(
        trajectory,
        cf.InterestShared("x", ["gemeente", "uni"]),
        cf.ValueNamed("gemeente", "policy", "evidence"),
        cf.ValueNamed("uni", "research", "impact"),
        cf.DependencyDeclared("gemeente", "uni"),
    )
    assert findings(check(guards.common_ground(), trajectory)) == [
        ("gemeente", "nobody_depends_on", {"name": G_NAME}),
        ("uni", "depends_on_nobody", {"name": U_NAME}),
    ]


def test_common_ground_ignores_dependencies_on_non_parties() -> None:
    """A dependency on someone who is not a party does not count."""
    registers = cf.Registers(dependencies=(cf.DependencyDeclared("gemeente", "ghost"),))
    snapshot = cf.Snapshot("exploring", (cf.Party("gemeente", name=G_NAME),), registers)
    keys = [f.key for f in guards.common_ground()(snapshot, cf.Settings(), T0).failures]
    assert "depends_on_nobody" in keys


def test_common_ground_holds_when_everything_is_in_place(trajectory: cf.Trajectory) -> None:
    """A shared interest, named values and mutual dependencies make common ground hold."""
    record(
        trajectory,
        cf.InterestShared("x", ["gemeente", "uni"]),
        cf.ValueNamed("gemeente", "policy", "evidence"),
        cf.ValueNamed("uni", "research", "impact"),
        cf.DependencyDeclared("gemeente", "uni"),
        cf.DependencyDeclared("uni", "gemeente"),
    )
    assert check(guards.common_ground(), trajectory) == cf.GuardResult("common_ground", True)


# --- trust ----------------------------------------------------------------------------------------


def test_trust_fails_for_a_party_without_a_score(trajectory: cf.Trajectory) -> None:
    """Absence is failure: a party with no trust score fails trust."""
    record(trajectory, cf.Assessed("uni", TRUST, 5))
    assert findings(check(guards.trust(), trajectory)) == [
        ("gemeente", "score_missing", {"name": G_NAME, "dimension": "trust"}),
    ]


def test_trust_fails_for_one_unhappy_party(trajectory: cf.Trajectory) -> None:
    """One party under the entry threshold fails trust, however high the other scores."""
    record(trajectory, *scores(TRUST, 5, 3.4))
    assert findings(check(guards.trust(), trajectory)) == [
        (
            "uni",
            "score_below",
            {"name": U_NAME, "dimension": "trust", "score": 3.4, "threshold": 3.5},
        ),
    ]


def test_trust_holds_at_the_entry_threshold(trajectory: cf.Trajectory) -> None:
    """Scores at the entry threshold are enough."""
    record(trajectory, *scores(TRUST, 3.5, 3.5))
    assert check(guards.trust(), trajectory) == cf.GuardResult("trust", True)


def test_trust_uses_its_own_threshold_when_given(trajectory: cf.Trajectory) -> None:
    """A Trust guard with a threshold uses it instead of the entry threshold."""
    record(trajectory, *scores(TRUST, 4, 3.5))
    assert [
        (f.party, f.params["threshold"]) for f in check(guards.trust(4), trajectory).failures
    ] == [("uni", 4)]


def test_trust_follows_the_process_entry_threshold(pair: list[cf.Party]) -> None:
    """Without its own threshold, trust uses the settings' entry threshold."""
    t = record(with_settings(pair, entry_threshold=4.0), *scores(TRUST, 4, 3.9))
    assert [(f.party, f.params["threshold"]) for f in check(guards.trust(), t).failures] == [
        ("uni", 4.0)
    ]


@pytest.mark.parametrize("threshold", [float("nan"), float("inf"), True, "4", [4]])
def test_trust_threshold_must_be_a_finite_number(threshold: object) -> None:
    """A threshold that is not a finite number is an invalid process definition."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        guards.trust(loose(threshold))
    assert len(caught.value.problems) == 1


def test_trust_threshold_too_large_for_a_float_is_invalid() -> None:
    """An int threshold too large to be a float is InvalidProcessError, not an OverflowError."""
    with pytest.raises(cf.InvalidProcessError):
        guards.trust(10**400)


@pytest.mark.parametrize("threshold", [None, 4, 3.75])
def test_trust_threshold_may_be_none_or_a_number(threshold: float | None) -> None:
    """A finite number or None is a valid threshold."""
    assert guards.trust(threshold).threshold == threshold


# --- reciprocity ----------------------------------------------------------------------------------


def test_reciprocity_fails_without_contributions_and_gains(trajectory: cf.Trajectory) -> None:
    """Each party without a contribution or a named gain fails reciprocity."""
    assert findings(check(guards.reciprocity(), trajectory)) == [
        ("gemeente", "no_contribution", {"name": G_NAME}),
        ("gemeente", "gain_missing", {"name": G_NAME}),
        ("uni", "no_contribution", {"name": U_NAME}),
        ("uni", "gain_missing", {"name": U_NAME}),
    ]


def test_reciprocity_holds_with_contributions_in_kind(trajectory: cf.Trajectory) -> None:
    """A contribution in kind counts, as does money; each party named a gain."""
    record(
        trajectory,
        cf.ContributionCommitted("gemeente", "money", cash=100),
        cf.ContributionCommitted("uni", "researchers", in_kind=True),
        cf.ValueNamed("gemeente", "policy", "evidence"),
        cf.ValueNamed("uni", "research", "impact"),
    )
    assert check(guards.reciprocity(), trajectory) == cf.GuardResult("reciprocity", True)


def test_reciprocity_ignores_withdrawn_contributions(trajectory: cf.Trajectory) -> None:
    """A withdrawn contribution no longer counts."""
    record(
        trajectory,
        cf.ContributionCommitted("gemeente", "money", cash=100),
        cf.ContributionCommitted("uni", "researchers", in_kind=True),
        cf.ContributionWithdrawn("uni", "researchers"),
        cf.ValueNamed("gemeente", "policy", "evidence"),
        cf.ValueNamed("uni", "research", "impact"),
    )
    assert findings(check(guards.reciprocity(), trajectory)) == [
        ("uni", "no_contribution", {"name": U_NAME}),
    ]


# --- equal_standing -------------------------------------------------------------------------------


@pytest.fixture
def heard(trajectory: cf.Trajectory) -> cf.Trajectory:
    """The pair, both with a voice of 4."""
    return record(trajectory, *scores(VOICE, 4, 4))


@pytest.mark.parametrize("rule", [cf.DecisionRule.CONSENSUS, cf.DecisionRule.UNANIMITY])
def test_equal_standing_holds_under_consensus_or_unanimity(
    heard: cf.Trajectory, rule: cf.DecisionRule
) -> None:
    """Consensus and unanimity give equal standing, whatever weights are recorded."""
    record(heard, cf.DecisionRuleSet(rule, weights={"gemeente": 9}))
    assert check(guards.equal_standing(), heard) == cf.GuardResult("equal_standing", True)


def test_equal_standing_holds_by_default(heard: cf.Trajectory) -> None:
    """Before any rule is set the rule is consensus, so standing is equal."""
    assert check(guards.equal_standing(), heard).passed is True


def test_equal_standing_allows_a_share_at_the_limit(heard: cf.Trajectory) -> None:
    """Equal weights of two parties give each a share of 0.5, which is not above the limit."""
    record(heard, cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"gemeente": 2, "uni": 2}))
    assert check(guards.equal_standing(), heard).passed is True


def test_equal_standing_fails_a_dominant_share(heard: cf.Trajectory) -> None:
    """A party holding more than max_weight_share of the votes fails equal standing."""
    record(heard, cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"gemeente": 3, "uni": 1}))
    assert findings(check(guards.equal_standing(), heard)) == [
        ("gemeente", "share_too_high", {"name": G_NAME, "share": 0.75, "limit": 0.5}),
    ]


def test_equal_standing_fails_a_party_without_weight(heard: cf.Trajectory) -> None:
    """A party with no weight has share 0 and no say; the other then holds everything."""
    record(heard, cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"gemeente": 1}))
    assert findings(check(guards.equal_standing(), heard)) == [
        ("gemeente", "share_too_high", {"name": G_NAME, "share": 1.0, "limit": 0.5}),
        ("uni", "share_zero", {"name": U_NAME}),
    ]


@pytest.mark.parametrize("weights", [{}, {"gemeente": 0, "uni": 0}])
def test_equal_standing_fails_everyone_when_nobody_has_weight(
    heard: cf.Trajectory, weights: dict[str, float]
) -> None:
    """Weighted votes with a total weight of zero leave every party without a say."""
    record(heard, cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights=weights))
    assert findings(check(guards.equal_standing(), heard)) == [
        ("gemeente", "share_zero", {"name": G_NAME}),
        ("uni", "share_zero", {"name": U_NAME}),
    ]


def test_equal_standing_uses_its_own_max_share(heard: cf.Trajectory) -> None:
    """An EqualStanding guard with max_share uses it instead of the settings'."""
    record(heard, cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"gemeente": 3, "uni": 1}))
    strict = check(guards.equal_standing(max_share=0.7), heard)
    lenient = check(guards.equal_standing(max_share=0.8), heard)
    assert (findings(strict), lenient.passed) == (
        [("gemeente", "share_too_high", {"name": G_NAME, "share": 0.75, "limit": 0.7})],
        True,
    )


def test_equal_standing_follows_the_process_max_weight_share(pair: list[cf.Party]) -> None:
    """Without its own max_share, equal standing uses the settings' max_weight_share."""
    t = record(
        with_settings(pair, max_weight_share=0.8),
        *scores(VOICE, 4, 4),
        cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"gemeente": 3, "uni": 1}),
    )
    assert check(guards.equal_standing(), t).passed is True


def test_equal_standing_needs_every_partys_voice(trajectory: cf.Trajectory) -> None:
    """Equal standing also needs each party's voice at the entry threshold, present."""
    record(trajectory, cf.Assessed("uni", VOICE, 3.25))
    assert findings(check(guards.equal_standing(max_share=0.9), trajectory)) == [
        ("gemeente", "score_missing", {"name": G_NAME, "dimension": "voice"}),
        (
            "uni",
            "score_below",
            {"name": U_NAME, "dimension": "voice", "score": 3.25, "threshold": 3.5},
        ),
    ]


def test_equal_standing_max_share_must_be_a_finite_number() -> None:
    """A max_share that is not a finite number is an invalid process definition."""
    with pytest.raises(cf.InvalidProcessError):
        guards.equal_standing(float("nan"))
    assert guards.equal_standing(0.4).max_share == 0.4


# --- energy ---------------------------------------------------------------------------------------


def test_energy_fails_every_missing_dimension(trajectory: cf.Trajectory) -> None:
    """Each missing stake, urgency or impact score is a failure of its party."""
    assert [
        (f.party, f.params["dimension"]) for f in check(guards.energy(), trajectory).failures
    ] == [
        ("gemeente", "stake"),
        ("gemeente", "urgency"),
        ("gemeente", "impact"),
        ("uni", "stake"),
        ("uni", "urgency"),
        ("uni", "impact"),
    ]


def energised(t: cf.Trajectory, stake: float, urgency: float, impact: float) -> cf.Trajectory:
    """Gemeente gets the given energy scores, uni 4 on each."""
    return record(
        t,
        cf.Assessed("gemeente", STAKE, stake),
        cf.Assessed("gemeente", URGENCY, urgency),
        cf.Assessed("gemeente", IMPACT, impact),
        *scores(STAKE, stake, 4),
        *scores(URGENCY, urgency, 4),
        *scores(IMPACT, impact, 4),
    )


def test_energy_holds_when_every_party_is_energised(trajectory: cf.Trajectory) -> None:
    """Stake, urgency and impact of 4 for everyone make energy hold."""
    assert check(guards.energy(), energised(trajectory, 4, 4, 4)) == cf.GuardResult("energy", True)


def test_energy_fails_one_dimension_under_the_regression_threshold(
    trajectory: cf.Trajectory,
) -> None:
    """A dimension under the regression threshold fails even if the mean is high enough."""
    result = check(guards.energy(), energised(trajectory, 2.5, 5, 5))
    assert findings(result) == [
        (
            "gemeente",
            "score_below",
            {"name": G_NAME, "dimension": "stake", "score": 2.5, "threshold": 3.0},
        ),
    ]


def test_energy_fails_a_mean_under_the_entry_threshold(trajectory: cf.Trajectory) -> None:
    """Every dimension at least 3 but a mean under 3.5 fails with energy_low."""
    result = check(guards.energy(), energised(trajectory, 3.25, 3.25, 3.25))
    assert findings(result) == [
        ("gemeente", "energy_low", {"name": G_NAME, "mean": 3.25, "threshold": 3.5}),
    ]


def test_energy_has_no_mean_while_a_dimension_is_missing(trajectory: cf.Trajectory) -> None:
    """With a dimension missing, no mean is judged: only the missing and low ones are reported."""
    record(trajectory, cf.Assessed("gemeente", STAKE, 1), *scores(URGENCY, 4, 4))
    record(trajectory, cf.Assessed("uni", STAKE, 4), cf.Assessed("uni", IMPACT, 4))
    assert [(f.party, f.key) for f in check(guards.energy(), trajectory).failures] == [
        ("gemeente", "score_below"),
        ("gemeente", "score_missing"),
    ]


# --- agenda_approved ------------------------------------------------------------------------------


def test_agenda_approved_needs_an_approved_version(trajectory: cf.Trajectory) -> None:
    """A proposed version approved by only one party is no approved agenda."""
    record(trajectory, cf.AgendaProposed(1, []), cf.AgendaApproved("uni", 1))
    assert findings(check(guards.agenda_approved(), trajectory)) == [
        (None, "agenda_not_approved", {}),
    ]


def test_agenda_approved_needs_a_theme(trajectory: cf.Trajectory) -> None:
    """An approved version without themes fails, naming the version."""
    approved(trajectory, 2)
    assert findings(check(guards.agenda_approved(), trajectory)) == [
        (None, "agenda_empty", {"version": 2}),
    ]


def test_agenda_approved_checks_every_theme(trajectory: cf.Trajectory) -> None:
    """Each theme needs an owner, an indicator and a linked interest; failures name the title."""
    approved(
        trajectory,
        1,
        theme("ownerless", owner=""),
        theme("unmeasured", indicator="  "),
        theme("unlinked", interests=()),
        theme("fine"),
    )
    assert findings(check(guards.agenda_approved(), trajectory)) == [
        (None, "theme_without_owner", {"theme": "Ownerless"}),
        (None, "theme_without_indicator", {"theme": "Unmeasured"}),
        (None, "theme_without_interest", {"theme": "Unlinked"}),
    ]


def test_agenda_approved_fails_a_theme_whose_owner_left(trio_t: cf.Trajectory) -> None:
    """When the owner of a theme leaves, its theme has no owner among the parties."""
    record(
        trio_t,
        cf.InterestShared("x", ["gemeente", "uni", "brabant"]),
        cf.AgendaProposed(1, [theme("region", owner="brabant"), theme("city")]),
        cf.AgendaApproved("gemeente", 1),
        cf.AgendaApproved("uni", 1),
        cf.AgendaApproved("brabant", 1),
        cf.PartyLeft("brabant"),
    )
    assert findings(check(guards.agenda_approved(), trio_t)) == [
        (None, "theme_without_owner", {"theme": "Region"}),
    ]


def test_agenda_approved_holds_for_a_complete_agenda(trajectory: cf.Trajectory) -> None:
    """An approved version whose themes are all complete makes the guard hold."""
    approved(trajectory, 1, theme("city"), theme("science", owner="uni"))
    assert check(guards.agenda_approved(), trajectory) == cf.GuardResult("agenda_approved", True)


@pytest.fixture
def trio_t(process: cf.Process, pair: list[cf.Party]) -> cf.Trajectory:
    """A fresh trajectory of three parties."""
    parties = [*pair, cf.Party("brabant", name="Provincie Noord-Brabant")]
    return cf.Trajectory.start(process, parties=parties, at=T0)


# --- declaration_signed ---------------------------------------------------------------------------


def test_declaration_signed_needs_an_approved_agenda(trajectory: cf.Trajectory) -> None:
    """Without an approved agenda there is nothing to sign."""
    assert findings(check(guards.declaration_signed(), trajectory)) == [
        (None, "agenda_not_approved", {}),
    ]


def test_declaration_signed_names_who_has_not_signed(trajectory: cf.Trajectory) -> None:
    """Each party that did not sign the approved version is named, with the version."""
    approved(trajectory, 1)
    record(trajectory, cf.DeclarationSigned("uni", "Rector", 1))
    assert findings(check(guards.declaration_signed(), trajectory)) == [
        ("gemeente", "not_signed", {"name": G_NAME, "version": 1}),
    ]


def test_declaration_signed_needs_the_approved_version(trajectory: cf.Trajectory) -> None:
    """Signatures on an earlier version do not count for the approved one."""
    approved(trajectory, 1)
    record(
        trajectory,
        cf.DeclarationSigned("uni", "Rector", 1),
        cf.DeclarationSigned("gemeente", "M", 1),
    )
    approved(trajectory, 2)
    assert [
        (f.party, f.params["version"])
        for f in check(guards.declaration_signed(), trajectory).failures
    ] == [
        ("gemeente", 2),
        ("uni", 2),
    ]


def test_declaration_signed_holds_when_everyone_signed(trajectory: cf.Trajectory) -> None:
    """Every current party signing the approved version makes the guard hold."""
    approved(trajectory, 1)
    record(
        trajectory,
        cf.DeclarationSigned("uni", "Rector", 1),
        cf.DeclarationSigned("gemeente", "M", 1),
    )
    assert check(guards.declaration_signed(), trajectory) == cf.GuardResult(
        "declaration_signed", True
    )


# --- roles_assigned -------------------------------------------------------------------------------


def test_roles_assigned_fails_without_roles(trajectory: cf.Trajectory) -> None:
    """Without roles the required role is missing and no party has a task."""
    assert findings(check(guards.roles_assigned(), trajectory)) == [
        (None, "role_missing", {"role": "programme_manager"}),
        ("gemeente", "no_role", {"name": G_NAME}),
        ("uni", "no_role", {"name": U_NAME}),
    ]


def test_roles_assigned_counts_owning_an_approved_theme(trajectory: cf.Trajectory) -> None:
    """A party that owns a theme of the approved agenda needs no role."""
    approved(trajectory, 1, theme("science", owner="uni"))
    record(trajectory, cf.RoleAssigned("programme_manager", "gemeente"))
    assert check(guards.roles_assigned(), trajectory) == cf.GuardResult("roles_assigned", True)


def test_roles_assigned_ignores_themes_of_unapproved_versions(trajectory: cf.Trajectory) -> None:
    """Owning a theme of a version that is not approved is no task."""
    record(
        trajectory,
        cf.InterestShared("x", ["gemeente", "uni"]),
        cf.AgendaProposed(1, [theme("science", owner="uni")]),
        cf.RoleAssigned("programme_manager", "gemeente"),
    )
    assert findings(check(guards.roles_assigned(), trajectory)) == [
        ("uni", "no_role", {"name": U_NAME}),
    ]


def test_roles_assigned_uses_its_own_roles(trajectory: cf.Trajectory) -> None:
    """A RolesAssigned guard with roles requires those instead of the settings'."""
    record(
        trajectory,
        cf.RoleAssigned("programme_manager", "gemeente"),
        cf.RoleAssigned("secretary", "uni"),
    )
    assert findings(check(guards.roles_assigned(["secretary", "treasurer"]), trajectory)) == [
        (None, "role_missing", {"role": "treasurer"}),
    ]


def test_roles_assigned_follows_the_process_required_roles(pair: list[cf.Party]) -> None:
    """Without its own roles, the guard requires the settings' required_roles."""
    t = record(
        with_settings(pair, required_roles=("chair", "treasurer")),
        cf.RoleAssigned("chair", "gemeente"),
        cf.RoleAssigned("programme_manager", "uni"),
    )
    assert findings(check(guards.roles_assigned(), t)) == [
        (None, "role_missing", {"role": "treasurer"}),
    ]


def test_roles_assigned_needs_the_holder_to_be_a_party() -> None:
    """A required role held by someone who is not a current party is missing."""
    registers = cf.Registers(roles=(cf.RoleAssigned("programme_manager", "ghost"),))
    snapshot = cf.Snapshot("organising", (cf.Party("gemeente", name=G_NAME),), registers)
    assert findings(guards.roles_assigned()(snapshot, cf.Settings(), T0)) == [
        (None, "role_missing", {"role": "programme_manager"}),
        ("gemeente", "no_role", {"name": G_NAME}),
    ]


@pytest.mark.parametrize("roles", ["programme_manager", 5, ["chair", ""], ["chair", 3]])
def test_roles_must_be_a_collection_of_names(roles: object) -> None:
    """Roles given as one string, a non-collection or with empty names are invalid."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        guards.roles_assigned(loose(roles))
    assert len(caught.value.problems) == 1


def test_roles_become_a_tuple() -> None:
    """Roles given as any collection become a tuple; None stays None."""
    assert (guards.roles_assigned(["chair", "treasurer"]).roles, gp.RolesAssigned().roles) == (
        ("chair", "treasurer"),
        None,
    )


# --- finances_covered -----------------------------------------------------------------------------


@pytest.mark.parametrize("budget", [None, 0])
def test_finances_covered_needs_a_budget_above_zero(
    trajectory: cf.Trajectory, budget: int | None
) -> None:
    """No budget, or a budget of zero, fails with budget_missing."""
    if budget is not None:
        record(trajectory, cf.BudgetSet(budget))
    assert findings(check(guards.finances_covered(), trajectory)) == [(None, "budget_missing", {})]


def test_finances_covered_fails_when_money_falls_short(trajectory: cf.Trajectory) -> None:
    """Committed money under coverage times the budget fails, with both amounts."""
    record(
        trajectory,
        cf.BudgetSet(1000),
        cf.ContributionCommitted("gemeente", "money", cash=600),
        cf.ContributionCommitted("uni", "money", cash="399.50"),
    )
    assert findings(check(guards.finances_covered(), trajectory)) == [
        (None, "cash_short", {"cash": 999.5, "needed": 1000.0}),
    ]


def test_finances_covered_holds_when_money_covers_the_budget(trajectory: cf.Trajectory) -> None:
    """Committed money equal to the budget covers it."""
    record(
        trajectory,
        cf.BudgetSet(1000),
        cf.ContributionCommitted("gemeente", "money", cash=600),
        cf.ContributionCommitted("uni", "money", cash=400),
    )
    assert check(guards.finances_covered(), trajectory) == cf.GuardResult("finances_covered", True)


def test_finances_covered_ignores_withdrawn_money(trajectory: cf.Trajectory) -> None:
    """Withdrawn money does not cover the budget."""
    record(
        trajectory,
        cf.BudgetSet(1000),
        cf.ContributionCommitted("gemeente", "money", cash=1000),
        cf.ContributionWithdrawn("gemeente", "money"),
    )
    assert findings(check(guards.finances_covered(), trajectory)) == [
        (None, "cash_short", {"cash": 0.0, "needed": 1000.0}),
    ]


def test_finances_covered_uses_its_own_coverage(trajectory: cf.Trajectory) -> None:
    """A FinancesCovered guard with a coverage uses it instead of the settings'."""
    record(trajectory, cf.BudgetSet(1000), cf.ContributionCommitted("uni", "money", cash=500))
    assert (
        check(guards.finances_covered(0.5), trajectory).passed,
        findings(check(guards.finances_covered(0.6), trajectory)),
    ) == (True, [(None, "cash_short", {"cash": 500.0, "needed": 600.0})])


def test_finances_covered_follows_the_process_coverage(pair: list[cf.Party]) -> None:
    """Without its own coverage, the guard uses the settings' coverage."""
    t = record(
        with_settings(pair, coverage=0.5),
        cf.BudgetSet(1000),
        cf.ContributionCommitted("uni", "money", cash=500),
    )
    assert check(guards.finances_covered(), t).passed is True


def test_finances_covered_coverage_must_be_a_finite_number() -> None:
    """A coverage that is not a finite number is an invalid process definition."""
    with pytest.raises(cf.InvalidProcessError):
        guards.finances_covered(float("inf"))
    assert guards.finances_covered(0.8).coverage == 0.8


# --- completion -----------------------------------------------------------------------------------


def test_completion_needs_an_approved_agenda_and_a_final_review(
    trajectory: cf.Trajectory,
) -> None:
    """Without an approved agenda and a final review, completion reports both."""
    assert findings(check(guards.completion(), trajectory)) == [
        (None, "agenda_not_approved", {}),
        (None, "no_final_review", {}),
    ]


def test_completion_names_the_open_themes(trajectory: cf.Trajectory) -> None:
    """Every theme of the approved agenda that is not closed is named; a non-final review is not
    enough."""
    approved(trajectory, 1, theme("city"), theme("science"), theme("care"))
    record(trajectory, cf.ThemeClosed("science"), cf.ReviewRecorded("mid-term"))
    assert findings(check(guards.completion(), trajectory)) == [
        (None, "theme_open", {"theme": "City"}),
        (None, "theme_open", {"theme": "Care"}),
        (None, "no_final_review", {}),
    ]


def test_completion_holds_when_all_is_closed_and_reviewed(trajectory: cf.Trajectory) -> None:
    """All approved themes closed and a final review recorded make completion hold."""
    approved(trajectory, 1, theme("city"))
    record(trajectory, cf.ThemeClosed("city"), cf.ReviewRecorded("done", final=True))
    assert check(guards.completion(), trajectory) == cf.GuardResult("completion", True)


# --- came_from ------------------------------------------------------------------------------------


def test_came_from_holds_for_the_remembered_state(trajectory: cf.Trajectory) -> None:
    """After stalling from exploring, came_from('exploring') holds and another does not."""
    trajectory.fire("stall", at=T0)
    assert (
        check(guards.came_from("exploring"), trajectory),
        findings(check(guards.came_from("signing"), trajectory)),
    ) == (cf.GuardResult("came_from", True), [(None, "not_from", {"state": "signing"})])


def test_came_from_fails_before_any_transition(trajectory: cf.Trajectory) -> None:
    """A trajectory that never moved came from nowhere."""
    assert check(guards.came_from("exploring"), trajectory).passed is False


@pytest.mark.parametrize("state", ["", "  ", None, 3])
def test_came_from_needs_a_state_name(state: object) -> None:
    """came_from with an empty or non-string state is an invalid process definition."""
    with pytest.raises(cf.InvalidProcessError):
        guards.came_from(loose(state))
    assert guards.came_from("signing").state == "signing"


# --- the regression conditions --------------------------------------------------------------------


def test_quorum_lost_does_not_hold_with_two_parties(trajectory: cf.Trajectory) -> None:
    """Two parties are a quorum."""
    assert check(guards.quorum_lost(), trajectory) == cf.GuardResult("quorum_lost", False)


@pytest.mark.parametrize("count", [0, 1])
def test_quorum_lost_holds_under_two_parties(count: int) -> None:
    """Fewer than two parties: the condition holds, its finding gives the count."""
    snapshot = cf.Snapshot("exploring", tuple(cf.Party(f"p{i}") for i in range(count)))
    result = guards.quorum_lost()(snapshot, cf.Settings(), T0)
    assert (result.passed, findings(result)) == (
        True,
        [(None, "too_few_parties", {"count": count})],
    )


def test_declaration_incomplete_holds_without_an_approved_agenda(
    trajectory: cf.Trajectory,
) -> None:
    """Without an approved agenda nobody can have signed it, so the condition holds."""
    result = check(guards.declaration_incomplete(), trajectory)
    assert (result.passed, findings(result)) == (True, [(None, "agenda_not_approved", {})])


def test_declaration_incomplete_holds_for_a_missing_signature(trajectory: cf.Trajectory) -> None:
    """A current party without a signature on the approved version makes it hold."""
    approved(trajectory, 1)
    record(trajectory, cf.DeclarationSigned("gemeente", "Alderman", 1))
    result = check(guards.declaration_incomplete(), trajectory)
    assert (result.passed, findings(result)) == (
        True,
        [("uni", "not_signed", {"name": U_NAME, "version": 1})],
    )


def test_declaration_incomplete_does_not_hold_when_all_signed(trajectory: cf.Trajectory) -> None:
    """With every signature in place the declaration is complete."""
    approved(trajectory, 1)
    record(
        trajectory,
        cf.DeclarationSigned("gemeente", "Alderman", 1),
        cf.DeclarationSigned("uni", "R", 1),
    )
    assert check(guards.declaration_incomplete(), trajectory) == cf.GuardResult(
        "declaration_incomplete", False
    )


def test_culture_breached_does_not_hold_without_scores(trajectory: cf.Trajectory) -> None:
    """Absence never causes a regression."""
    assert check(guards.culture_breached(), trajectory) == cf.GuardResult("culture_breached", False)


def test_culture_breached_does_not_hold_for_borderline_scores(trajectory: cf.Trajectory) -> None:
    """Scores at the regression threshold are borderline, not a breach."""
    record(trajectory, *scores(TRUST, 3, 3), *scores(VOICE, 3, 3.4))
    assert check(guards.culture_breached(), trajectory).passed is False


def test_culture_breached_holds_for_low_trust_or_voice(trajectory: cf.Trajectory) -> None:
    """A present trust or voice under the regression threshold makes it hold; trust first."""
    record(trajectory, *scores(TRUST, 4, 2.5), *scores(VOICE, 2.75, 4))
    result = check(guards.culture_breached(), trajectory)
    assert (result.passed, findings(result)) == (
        True,
        [
            (
                "uni",
                "score_below",
                {"name": U_NAME, "dimension": "trust", "score": 2.5, "threshold": 3.0},
            ),
            (
                "gemeente",
                "score_below",
                {"name": G_NAME, "dimension": "voice", "score": 2.75, "threshold": 3.0},
            ),
        ],
    )


def test_culture_breached_holds_when_a_party_withdrew_everything(
    trajectory: cf.Trajectory,
) -> None:
    """A party that withdrew a contribution and has none left breaches the culture."""
    record(
        trajectory,
        cf.ContributionCommitted("uni", "staff", in_kind=True),
        cf.ContributionWithdrawn("uni", "staff"),
    )
    result = check(guards.culture_breached(), trajectory)
    assert (result.passed, findings(result)) == (
        True,
        [("uni", "contribution_withdrawn", {"name": U_NAME})],
    )


@pytest.mark.parametrize(
    "after",
    [
        cf.ContributionCommitted("uni", "rooms"),
        cf.ContributionCommitted("uni", "staff", cash=10),
    ],
    ids=["another-committed", "recommitted"],
)
def test_culture_breached_does_not_hold_while_something_is_committed(
    trajectory: cf.Trajectory, after: cf.ContributionCommitted
) -> None:
    """A withdrawal is no breach while the party still has a committed contribution."""
    record(
        trajectory,
        cf.ContributionCommitted("uni", "staff", in_kind=True),
        cf.ContributionWithdrawn("uni", "staff"),
        after,
    )
    assert check(guards.culture_breached(), trajectory).passed is False


def test_energy_lost_does_not_hold_while_a_dimension_is_missing(
    trajectory: cf.Trajectory,
) -> None:
    """Low stake and urgency without an impact score are no loss of energy: absence never
    regresses."""
    record(trajectory, *scores(STAKE, 1, 1), *scores(URGENCY, 1, 1))
    assert check(guards.energy_lost(), trajectory) == cf.GuardResult("energy_lost", False)


def test_energy_lost_holds_for_a_low_mean(trajectory: cf.Trajectory) -> None:
    """Stake, urgency and impact all present with a mean under the regression threshold."""
    energised(trajectory, 2.5, 2.5, 2.5)
    result = check(guards.energy_lost(), trajectory)
    assert (result.passed, findings(result)) == (
        True,
        [("gemeente", "energy_low", {"name": G_NAME, "mean": 2.5, "threshold": 3.0})],
    )


def test_energy_lost_does_not_hold_for_a_mean_at_the_threshold(trajectory: cf.Trajectory) -> None:
    """A mean of exactly the regression threshold is not lost energy, even with a low dimension."""
    energised(trajectory, 2, 3, 4)
    assert check(guards.energy_lost(), trajectory).passed is False


def test_funding_lost_does_not_hold_without_a_budget(trajectory: cf.Trajectory) -> None:
    """Without a budget there is no funding to lose."""
    assert check(guards.funding_lost(), trajectory) == cf.GuardResult("funding_lost", False)


def test_funding_lost_holds_when_money_falls_short(trajectory: cf.Trajectory) -> None:
    """A budget that committed money does not cover makes it hold, with both amounts."""
    record(trajectory, cf.BudgetSet(1000), cf.ContributionCommitted("uni", "money", cash=999))
    result = check(guards.funding_lost(), trajectory)
    assert (result.passed, findings(result)) == (
        True,
        [(None, "cash_short", {"cash": 999.0, "needed": 1000.0})],
    )


def test_funding_lost_does_not_hold_when_money_covers(pair: list[cf.Party]) -> None:
    """Money at coverage times the budget is enough (coverage from the settings)."""
    t = record(
        with_settings(pair, coverage=0.5),
        cf.BudgetSet(Decimal("1000")),
        cf.ContributionCommitted("uni", "money", cash=500),
    )
    assert check(guards.funding_lost(), t).passed is False


def test_a_condition_reads_scores_at_the_time_given(pair: list[cf.Party]) -> None:
    """Conditions apply max_score_age at the evaluation time: an old low trust is no breach."""
    t = record(with_settings(pair, max_score_age=timedelta(days=30)), cf.Assessed("uni", TRUST, 1))
    assert (
        check(guards.culture_breached(), t, T0 + timedelta(days=30)).passed,
        check(guards.culture_breached(), t, T0 + timedelta(days=31)).passed,
    ) == (True, False)


# --- combinators ----------------------------------------------------------------------------------


@pytest.fixture
def trusted(trajectory: cf.Trajectory) -> cf.Trajectory:
    """The pair with trust of 4 and nothing else."""
    return record(trajectory, *scores(TRUST, 4, 4))


def test_all_of_holds_when_every_guard_holds(trusted: cf.Trajectory) -> None:
    """all_of of passing guards passes with no failures."""
    result = check(guards.all_of(guards.trust(), guards.trust(3)), trusted)
    assert result == cf.GuardResult("all_of", True)


def test_all_of_combines_the_failures_of_failing_guards(trusted: cf.Trajectory) -> None:
    """all_of fails when one fails and lists only the failing guards' failures."""
    result = check(
        guards.all_of(
            guards.quorum_lost(), guards.trust(), guards.energy_lost(), guards.reciprocity()
        ),
        trusted,
    )
    assert (result.passed, [(f.party, f.key) for f in result.failures]) == (
        False,
        [
            ("gemeente", "no_contribution"),
            ("gemeente", "gain_missing"),
            ("uni", "no_contribution"),
            ("uni", "gain_missing"),
        ],
    )


def test_all_of_does_not_list_findings_of_a_passing_condition() -> None:
    """A condition that holds passes inside all_of; its findings are not failures."""
    result = guards.all_of(guards.quorum_lost(), guards.trust())(alone(), cf.Settings(), T0)
    assert [(f.party, f.key) for f in result.failures] == [("gemeente", "score_missing")]


def test_all_of_without_guards_holds(trajectory: cf.Trajectory) -> None:
    """all_of of nothing holds."""
    assert check(guards.all_of(), trajectory) == cf.GuardResult("all_of", True)


def test_any_of_holds_when_one_guard_holds(trusted: cf.Trajectory) -> None:
    """any_of passes when one guard passes, and then reports no failures."""
    result = check(guards.any_of(guards.reciprocity(), guards.trust()), trusted)
    assert result == cf.GuardResult("any_of", True)


def test_any_of_lists_every_failure_when_none_holds(trusted: cf.Trajectory) -> None:
    """any_of fails when no guard passes and lists every failure in guard order."""
    result = check(guards.any_of(guards.trust(5), guards.came_from("signing")), trusted)
    assert (result.passed, [(f.party, f.key) for f in result.failures]) == (
        False,
        [("gemeente", "score_below"), ("uni", "score_below"), (None, "not_from")],
    )


def test_any_of_without_guards_does_not_hold(trajectory: cf.Trajectory) -> None:
    """any_of of nothing fails with no failures."""
    assert check(guards.any_of(), trajectory) == cf.GuardResult("any_of", False)


def test_not_holds_when_the_guard_fails(trajectory: cf.Trajectory) -> None:
    """not_ of a failing guard passes with no failures."""
    assert check(guards.not_(guards.trust()), trajectory) == cf.GuardResult("not", True)


def test_not_of_a_holding_condition_reports_its_findings() -> None:
    """not_ of a condition that holds fails with the condition's findings."""
    result = guards.not_(guards.quorum_lost())(alone(), cf.Settings(), T0)
    assert (result.passed, findings(result)) == (False, [(None, "too_few_parties", {"count": 1})])


def test_not_of_a_passing_guard_without_findings_says_it_must_not_hold(
    trusted: cf.Trajectory,
) -> None:
    """not_ of a guard that passes with no findings fails with must_not_hold naming the guard."""
    result = check(guards.not_(guards.trust()), trusted)
    assert (result.guard, result.passed, findings(result)) == (
        "not",
        False,
        [(None, "must_not_hold", {"guard": "trust"})],
    )


def test_combinators_nest(trusted: cf.Trajectory) -> None:
    """Combinators take combinators: not_(any_of(...)) of failing guards holds."""
    guard = guards.not_(guards.any_of(guards.reciprocity(), guards.all_of(guards.energy())))
    assert check(guard, trusted) == cf.GuardResult("not", True)


def test_all_of_accepts_a_single_guard_and_keeps_a_tuple() -> None:
    """AllOf and AnyOf take a collection of guards, or one guard, and hold a tuple."""
    trust = guards.trust()
    assert (gc.AllOf(loose(trust)).guards, gc.AnyOf([trust]).guards) == (
        (trust,),
        (trust,),
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda: guards.all_of(guards.trust(), loose("trust")),
        lambda: guards.any_of(loose(len)),
        lambda: gc.AllOf(loose("trust")),
        lambda: guards.not_(loose("trust")),
        lambda: gc.Not(loose([guards.trust()])),
    ],
    ids=["all_of-string", "any_of-function", "AllOf-string", "not-string", "Not-list"],
)
def test_combinators_refuse_what_is_not_a_guard(build: Any) -> None:
    """A combinator given something that is not a guard is an invalid process definition."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        build()
    assert len(caught.value.problems) == 1


# --- the registry ---------------------------------------------------------------------------------

DEFAULT_KINDS = (
    "agenda_approved",
    "all_of",
    "any_of",
    "came_from",
    "common_ground",
    "completion",
    "culture_breached",
    "declaration_incomplete",
    "declaration_signed",
    "energy",
    "energy_lost",
    "equal_standing",
    "finances_covered",
    "funding_lost",
    "not",
    "quorum_lost",
    "reciprocity",
    "roles_assigned",
    "trust",
)


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the guard registry as it was: registrations made by a test do not leak."""
    monkeypatch.setattr(_registry, "_REGISTRY", dict(_registry._REGISTRY))


def test_kinds_lists_every_default_guard_sorted() -> None:
    """kinds() is sorted and names every guard and condition of the default process."""
    kinds = guards.kinds()
    assert (kinds == tuple(sorted(kinds)), set(DEFAULT_KINDS) - set(kinds)) == (True, set())


@pytest.mark.parametrize(
    ("kind", "cls"),
    [
        ("common_ground", gp.CommonGround),
        ("trust", gs.Trust),
        ("reciprocity", gp.Reciprocity),
        ("equal_standing", gp.EqualStanding),
        ("energy", gs.Energy),
        ("agenda_approved", gp.AgendaApproved),
        ("declaration_signed", gp.DeclarationSigned),
        ("roles_assigned", gp.RolesAssigned),
        ("finances_covered", gp.FinancesCovered),
        ("completion", gp.Completion),
        ("came_from", gp.CameFrom),
        ("quorum_lost", gk.QuorumLost),
        ("declaration_incomplete", gk.DeclarationIncomplete),
        ("culture_breached", gk.CultureBreached),
        ("energy_lost", gs.EnergyLost),
        ("funding_lost", gk.FundingLost),
        ("all_of", gc.AllOf),
        ("any_of", gc.AnyOf),
        ("not", gc.Not),
    ],
)
def test_guard_class_finds_each_kind(kind: str, cls: type[guards.Guard]) -> None:
    """guard_class returns the class registered under a kind, and the class knows its kind."""
    assert (_registry.guard_class(kind), cls.kind) == (cls, kind)


def test_guard_class_refuses_an_unknown_kind() -> None:
    """guard_class of an unknown kind raises UnknownNameError naming it."""
    with pytest.raises(cf.UnknownNameError) as caught:
        _registry.guard_class("telepathy")
    assert (caught.value.kind, caught.value.name) == ("guard kind", "telepathy")


@pytest.mark.usefixtures("registry")
def test_register_adds_a_new_kind(trajectory: cf.Trajectory) -> None:
    """A registered class gets its kind, is listed and found, and works as a guard."""

    @guards.register("test_always")
    @attrs.frozen
    class Always:
        kind: ClassVar[str]

        def __call__(
            self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime
        ) -> cf.GuardResult:
            return cf.GuardResult(self.kind, True)

    guard = Always()
    assert (
        Always.kind,
        "test_always" in guards.kinds(),
        _registry.guard_class("test_always"),
        isinstance(guard, guards.Guard),
        check(guards.not_(guard), trajectory).failures[0].params["guard"],
    ) == ("test_always", True, Always, True, "test_always")


@pytest.mark.usefixtures("registry")
def test_register_accepts_the_same_class_again() -> None:
    """Registering the same class under its kind again is allowed and changes nothing."""

    @attrs.frozen
    class Again:
        kind: ClassVar[str]

    first = guards.register("test_again")(Again)
    second = guards.register("test_again")(Again)
    assert (first, second, _registry.guard_class("test_again")) == (Again, Again, Again)


@pytest.mark.usefixtures("registry")
def test_register_refuses_a_taken_kind() -> None:
    """Registering another class under a taken kind raises InvalidProcessError."""

    @attrs.frozen
    class Impostor:
        kind: ClassVar[str]

    with pytest.raises(cf.InvalidProcessError) as caught:
        guards.register("trust")(Impostor)
    assert (caught.value.problems, _registry.guard_class("trust")) == (
        (
            "guard kind 'trust' is already registered by coopflow.guards._scores.Trust; "
            "pass replace=True to take it over",
        ),
        gs.Trust,
    )


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize("kind", ["", "   ", None, 7])
def test_register_refuses_an_empty_kind(kind: object) -> None:
    """A kind that is not a non-empty string raises InvalidProcessError at once."""
    before = guards.kinds()
    with pytest.raises(cf.InvalidProcessError):
        guards.register(loose(kind))
    assert guards.kinds() == before


def test_guard_protocol_recognises_guards_only() -> None:
    """Every guard instance is a Guard; a plain function is not."""
    assert (
        isinstance(guards.not_(guards.trust()), guards.Guard),
        isinstance(len, guards.Guard),
    ) == (
        True,
        False,
    )


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        (guards.common_ground(), gp.CommonGround()),
        (guards.trust(), gs.Trust(threshold=None)),
        (guards.trust(4.0), gs.Trust(threshold=4.0)),
        (guards.reciprocity(), gp.Reciprocity()),
        (guards.equal_standing(), gp.EqualStanding(max_share=None)),
        (guards.equal_standing(0.4), gp.EqualStanding(max_share=0.4)),
        (guards.energy(), gs.Energy()),
        (guards.agenda_approved(), gp.AgendaApproved()),
        (guards.declaration_signed(), gp.DeclarationSigned()),
        (guards.roles_assigned(), gp.RolesAssigned(roles=None)),
        (guards.roles_assigned(["chair"]), gp.RolesAssigned(roles=("chair",))),
        (guards.finances_covered(), gp.FinancesCovered(coverage=None)),
        (guards.finances_covered(0.8), gp.FinancesCovered(coverage=0.8)),
        (guards.completion(), gp.Completion()),
        (guards.came_from("signing"), gp.CameFrom("signing")),
        (guards.quorum_lost(), gk.QuorumLost()),
        (guards.declaration_incomplete(), gk.DeclarationIncomplete()),
        (guards.culture_breached(), gk.CultureBreached()),
        (guards.energy_lost(), gs.EnergyLost()),
        (guards.funding_lost(), gk.FundingLost()),
        (guards.all_of(guards.trust()), gc.AllOf((guards.trust(),))),
        (guards.any_of(guards.trust()), gc.AnyOf((guards.trust(),))),
        (guards.not_(guards.trust()), gc.Not(guards.trust())),
    ],
)
def test_factories_build_equal_guards(made: guards.Guard, expected: guards.Guard) -> None:
    """Each factory builds the guard it names; guards are values that compare equal."""
    assert (made, hash(made)) == (expected, hash(expected))


def test_equal_standing_shares_of_huge_weights_do_not_overflow() -> None:
    """Weights near the float limit still give shares of one half each."""
    p = cf.default_process()
    t = cf.Trajectory.start(p, parties=[cf.Party("a"), cf.Party("b")], at=T0)
    t.record(cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"a": 1e308, "b": 1e308}), at=T0)
    result = guards.equal_standing()(t.snapshot, p.settings, T0)
    assert [f.key for f in result.failures if f.key.startswith("share")] == []
