"""Tests of coopflow._snapshot: the registers, and how each data event folds into them."""

from datetime import datetime, timedelta
from decimal import Decimal
from types import MappingProxyType

import pytest

import coopflow as cf
from coopflow import guards
from coopflow._events import DataEvent
from coopflow._snapshot import EMPTY_REGISTERS, FoldContext, fold, replace_registers
from tests.conftest import T0

TRUST = cf.Dimension.TRUST
VOICE = cf.Dimension.VOICE


def record(t: cf.Trajectory, *events: DataEvent, at: datetime = T0) -> None:
    """Record every event at time `at`."""
    for event in events:
        t.record(event, at=at)


def theme(
    id: str, owner: str = "gemeente", interests: tuple[str, ...] = ("x",), title: str = ""
) -> cf.Theme:
    """A theme with an indicator."""
    return cf.Theme(id, title or id.title(), owner, "indicator", interests)


@pytest.fixture
def trio(process: cf.Process, pair: list[cf.Party]) -> cf.Trajectory:
    """A fresh trajectory of three parties: the seed's two and the province."""
    parties = [*pair, cf.Party("brabant", name="Provincie Noord-Brabant")]
    return cf.Trajectory.start(process, parties=parties, title="Three", id="t3", at=T0)


@pytest.fixture
def filled(trio: cf.Trajectory) -> cf.Trajectory:
    """The three-party trajectory with every register holding something of every party."""
    record(
        trio,
        cf.InterestShared("x", ["gemeente", "uni", "brabant"]),
        cf.InterestShared("y", ["brabant"]),
        cf.ValueNamed("gemeente", "policy", "evidence"),
        cf.ValueNamed("uni", "research", "impact"),
        cf.ValueNamed("brabant", "money", "growth"),
        cf.DependencyDeclared("gemeente", "brabant"),
        cf.DependencyDeclared("brabant", "uni"),
        cf.DependencyDeclared("uni", "gemeente"),
        cf.Assessed("brabant", TRUST, 4),
        cf.Assessed("uni", TRUST, 4),
        cf.ContributionCommitted("brabant", "subsidy", cash=1000),
        cf.ContributionCommitted("uni", "staff", in_kind=True),
        cf.DecisionRuleSet(
            cf.DecisionRule.WEIGHTED, weights={"gemeente": 1, "uni": 1, "brabant": 1}
        ),
        cf.AgendaProposed(1, [theme("region", owner="brabant"), theme("science", owner="uni")]),
        cf.AgendaApproved("gemeente", 1),
        cf.AgendaApproved("uni", 1),
        cf.AgendaApproved("brabant", 1),
        cf.DeclarationSigned("gemeente", "Mayor", 1),
        cf.DeclarationSigned("uni", "Rector", 1),
        cf.DeclarationSigned("brabant", "King's commissioner", 1),
        cf.RoleAssigned("programme_manager", "brabant"),
        cf.RoleAssigned("secretary", "uni"),
    )
    return trio


@pytest.fixture
def left(filled: cf.Trajectory) -> cf.Snapshot:
    """The snapshot after the province left the filled trajectory."""
    filled.record(cf.PartyLeft("brabant", reason="reorganisation"), at=T0)
    return filled.snapshot


# --- reading a snapshot ---------------------------------------------------------------------------


def test_a_new_snapshot_has_empty_registers(trajectory: cf.Trajectory) -> None:
    """A trajectory starts with its parties, empty registers, version 0 and its start time."""
    s = trajectory.snapshot
    assert (s.state, s.party_ids, s.registers, s.previous, s.version, s.at) == (
        "exploring",
        ("gemeente", "uni"),
        cf.Registers(),
        None,
        0,
        T0,
    )


def test_registers_start_empty_with_consensus() -> None:
    """Every register is empty and the decision rule is consensus until one is set."""
    r = cf.Registers()
    assert (
        r.interests,
        r.values,
        r.dependencies,
        r.scores,
        r.contributions,
        r.decision_rule,
        dict(r.weights),
        r.agenda,
        r.signatures,
        r.roles,
        r.budget,
        r.closed_themes,
        r.reviews,
    ) == ((), (), (), (), (), cf.DecisionRule.CONSENSUS, {}, (), (), (), None, frozenset(), ())


def test_party_finds_a_current_party(trio: cf.Trajectory) -> None:
    """Snapshot.party returns the current party with that id."""
    assert trio.snapshot.party("brabant").name == "Provincie Noord-Brabant"


def test_party_refuses_an_unknown_id(trajectory: cf.Trajectory) -> None:
    """Snapshot.party raises UnknownNameError for an id that is not a current party."""
    with pytest.raises(cf.UnknownNameError) as caught:
        trajectory.snapshot.party("brabant")
    assert (caught.value.kind, caught.value.name) == ("party", "brabant")


def test_with_registers_keeps_everything_else(trajectory: cf.Trajectory) -> None:
    """with_registers swaps the registers and keeps state, parties, previous, version and time."""
    trajectory.fire("stall", at=T0)
    before = trajectory.snapshot
    registers = replace_registers(before.registers, budget=Decimal(5))
    after = before.with_registers(registers)
    assert (after.registers, after.state, after.parties, after.previous, after.version) == (
        registers,
        before.state,
        before.parties,
        "exploring",
        before.version,
    )


def test_replace_registers_changes_only_what_is_named() -> None:
    """replace_registers returns a copy with the named registers changed."""
    changed = replace_registers(EMPTY_REGISTERS, budget=Decimal(10), closed_themes=frozenset("a"))
    assert changed == cf.Registers(budget=Decimal(10), closed_themes=frozenset({"a"}))


def test_record_counts_versions_and_keeps_the_time(trajectory: cf.Trajectory) -> None:
    """Every applied event raises the version by one and sets the snapshot's time."""
    later = T0 + timedelta(days=3)
    record(trajectory, cf.ValueNamed("uni", "research", "impact"))
    record(trajectory, cf.ValueNamed("gemeente", "policy", "evidence"), at=later)
    assert (trajectory.snapshot.version, trajectory.snapshot.at) == (2, later)


# --- parties joining and leaving ------------------------------------------------------------------


def test_joining_adds_the_party_last(trajectory: cf.Trajectory) -> None:
    """A party that joins comes after the parties already there."""
    record(trajectory, cf.PartyJoined(cf.Party("brabant")))
    assert trajectory.snapshot.party_ids == ("gemeente", "uni", "brabant")


def test_joining_twice_is_refused(trajectory: cf.Trajectory) -> None:
    """A party that is already there cannot join again."""
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.PartyJoined(cf.Party("uni", name="Another name")), at=T0)
    assert (caught.value.field, caught.value.value) == ("party", "uni")


def test_joining_voids_every_signature_and_keeps_approvals(filled: cf.Trajectory) -> None:
    """A party joining voids the declaration (it names the parties); agenda approvals stay."""
    record(filled, cf.PartyJoined(cf.Party("fontys")))
    r = filled.snapshot.registers
    assert (r.signatures, r.agenda[0].approvals) == ((), frozenset({"gemeente", "uni", "brabant"}))


def test_leaving_removes_the_party(left: cf.Snapshot) -> None:
    """A party that leaves is no longer a party; the others keep their order."""
    assert left.party_ids == ("gemeente", "uni")


def test_leaving_removes_its_endorsements(left: cf.Snapshot) -> None:
    """A party that leaves no longer endorses any interest; the interests stay."""
    assert [(i.id, i.parties) for i in left.registers.interests] == [
        ("x", frozenset({"gemeente", "uni"})),
        ("y", frozenset()),
    ]


def test_leaving_takes_its_values(left: cf.Snapshot) -> None:
    """A party that leaves takes what it brings and gains along."""
    assert [v.party for v in left.registers.values] == ["gemeente", "uni"]


def test_leaving_takes_dependencies_both_ways(left: cf.Snapshot) -> None:
    """Dependencies on and of a party that leaves are gone."""
    assert [(d.party, d.depends_on) for d in left.registers.dependencies] == [("uni", "gemeente")]


def test_leaving_takes_its_scores(left: cf.Snapshot) -> None:
    """A party that leaves takes its scores along; the others keep theirs."""
    assert [s.party for s in left.registers.scores] == ["uni"]


def test_leaving_takes_its_contributions(left: cf.Snapshot) -> None:
    """A party that leaves takes its contributions and their money along."""
    assert ([c.party for c in left.registers.contributions], left.committed_cash()) == (
        ["uni"],
        Decimal(0),
    )


def test_leaving_takes_its_weight(left: cf.Snapshot) -> None:
    """A party that leaves takes its weight along; the rule stays."""
    assert (left.registers.decision_rule, dict(left.registers.weights)) == (
        cf.DecisionRule.WEIGHTED,
        {"gemeente": 1.0, "uni": 1.0},
    )


def test_leaving_takes_its_roles(left: cf.Snapshot) -> None:
    """A party that leaves no longer holds its roles."""
    assert [(r.role, r.party) for r in left.registers.roles] == [("secretary", "uni")]


def test_leaving_leaves_its_themes_without_owner(left: cf.Snapshot) -> None:
    """The themes of a party that leaves have no owner; other themes keep theirs."""
    assert [(t.id, t.owner) for t in left.registers.agenda[0].themes] == [
        ("region", ""),
        ("science", "uni"),
    ]


def test_leaving_takes_its_approvals(left: cf.Snapshot) -> None:
    """A party that leaves no longer counts as approving a version; the others' stay."""
    assert left.registers.agenda[0].approvals == frozenset({"gemeente", "uni"})


def test_leaving_voids_every_signature(left: cf.Snapshot) -> None:
    """A party leaving voids the whole declaration, the remaining parties' signatures too."""
    assert left.registers.signatures == ()


def test_leaving_keeps_the_rest(left: cf.Snapshot) -> None:
    """What the leaving party did not touch is kept, and with three parties nothing moves."""
    assert (left.state, left.registers.agenda[0].version, len(left.registers.interests)) == (
        "exploring",
        1,
        2,
    )


def test_an_unknown_party_cannot_leave(trajectory: cf.Trajectory) -> None:
    """Only a current party can leave."""
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.PartyLeft("brabant"), at=T0)
    assert (caught.value.field, caught.value.value) == ("party", "brabant")


def test_a_party_that_left_starts_afresh_when_it_joins_again(filled: cf.Trajectory) -> None:
    """A party that left and joins again has no scores, values or contributions."""
    record(filled, cf.PartyLeft("brabant"), cf.PartyJoined(cf.Party("brabant")))
    s = filled.snapshot
    assert (
        s.party_ids,
        s.score("brabant", TRUST),
        [v.party for v in s.registers.values],
        s.committed("brabant"),
    ) == (("gemeente", "uni", "brabant"), None, ["gemeente", "uni"], ())


# --- interests, values, dependencies --------------------------------------------------------------


def test_sharing_an_interest_records_it(trajectory: cf.Trajectory) -> None:
    """A new interest is recorded with its endorsing parties and description."""
    record(trajectory, cf.InterestShared("x", ["uni"], description="evidence-based policy"))
    assert trajectory.snapshot.registers.interests == (
        cf.Interest("x", frozenset({"uni"}), description="evidence-based policy"),
    )


def test_sharing_an_interest_again_adds_endorsements(trajectory: cf.Trajectory) -> None:
    """Sharing an interest again adds its parties to the endorsements and keeps the description."""
    record(
        trajectory,
        cf.InterestShared("x", ["gemeente"], description="first"),
        cf.InterestShared("x", ["uni"]),
    )
    assert trajectory.snapshot.registers.interests == (
        cf.Interest("x", frozenset({"gemeente", "uni"}), description="first"),
    )


def test_sharing_an_interest_again_may_describe_it_anew(trajectory: cf.Trajectory) -> None:
    """A new description given when sharing again replaces the old one."""
    record(
        trajectory,
        cf.InterestShared("x", ["gemeente"], description="first"),
        cf.InterestShared("x", ["gemeente"], description="second"),
    )
    assert trajectory.snapshot.registers.interests[0].description == "second"


def test_sharing_a_later_interest_again_leaves_the_others(trajectory: cf.Trajectory) -> None:
    """Re-sharing one interest changes only that one, and the order stays."""
    record(
        trajectory,
        cf.InterestShared("x", ["gemeente"]),
        cf.InterestShared("y", ["gemeente"]),
        cf.InterestShared("y", ["uni"]),
    )
    assert [(i.id, i.parties) for i in trajectory.snapshot.registers.interests] == [
        ("x", frozenset({"gemeente"})),
        ("y", frozenset({"gemeente", "uni"})),
    ]


def test_an_interest_of_an_unknown_party_is_refused(trajectory: cf.Trajectory) -> None:
    """Every endorsing party must be a current party; the error names it under 'parties'."""
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.InterestShared("x", ["uni", "brabant"]), at=T0)
    assert (caught.value.field, caught.value.value) == ("parties", "brabant")


def test_naming_values_records_them_in_order(trajectory: cf.Trajectory) -> None:
    """Each ValueNamed is kept, in the order recorded."""
    first = cf.ValueNamed("uni", "research", "impact")
    second = cf.ValueNamed("uni", "students", "practice")
    record(trajectory, first, second)
    assert trajectory.snapshot.registers.values == (first, second)


def test_a_value_of_an_unknown_party_is_refused(trajectory: cf.Trajectory) -> None:
    """Only a current party can name its added value."""
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.ValueNamed("brabant", "money", "growth"), at=T0)
    assert (caught.value.field, caught.value.value) == ("party", "brabant")


def test_declaring_a_dependency_records_it(trajectory: cf.Trajectory) -> None:
    """A dependency between two current parties is kept."""
    event = cf.DependencyDeclared("gemeente", "uni", need="knowledge")
    record(trajectory, event)
    assert trajectory.snapshot.registers.dependencies == (event,)


@pytest.mark.parametrize(
    ("event", "field"),
    [
        (cf.DependencyDeclared("brabant", "uni"), "party"),
        (cf.DependencyDeclared("uni", "brabant"), "depends_on"),
    ],
)
def test_a_dependency_with_an_unknown_party_is_refused(
    trajectory: cf.Trajectory, event: cf.DependencyDeclared, field: str
) -> None:
    """Both ends of a dependency must be current parties; the error names the end."""
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(event, at=T0)
    assert (caught.value.field, caught.value.value) == (field, "brabant")


# --- scores ---------------------------------------------------------------------------------------


def test_a_score_is_recorded_with_its_time(trajectory: cf.Trajectory) -> None:
    """A score is kept with its party, dimension, respondent, value and the time recorded."""
    later = T0 + timedelta(hours=2)
    record(trajectory, cf.Assessed("uni", TRUST, 4, respondent="alice"), at=later)
    assert trajectory.snapshot.registers.scores == (cf.Score("uni", TRUST, "alice", 4.0, later),)


@pytest.mark.parametrize("score", [1, 1.0, 3.3, 5])
def test_a_score_on_the_scale_is_accepted(trajectory: cf.Trajectory, score: float) -> None:
    """Scores from the lowest to the highest of the scale, both ends included, are accepted."""
    record(trajectory, cf.Assessed("uni", TRUST, score))
    assert trajectory.snapshot.score("uni", TRUST) == score


@pytest.mark.parametrize("score", [0.99, 5.01, 0, -3, 100])
def test_a_score_off_the_scale_is_refused(trajectory: cf.Trajectory, score: float) -> None:
    """A score outside the process's scale is refused with the score as value."""
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.Assessed("uni", TRUST, score), at=T0)
    assert (caught.value.field, caught.value.value) == ("score", float(score))


def test_the_scale_comes_from_the_settings(pair: list[cf.Party]) -> None:
    """With a scale of 0 to 10, a score of 8 is accepted and 11 refused."""
    process = cf.default_process(
        settings=cf.Settings(scale=(0, 10), entry_threshold=7, regression_threshold=5)
    )
    t = cf.Trajectory.start(process, parties=pair, at=T0)
    record(t, cf.Assessed("uni", TRUST, 8))
    with pytest.raises(cf.InvalidEventError) as caught:
        t.record(cf.Assessed("uni", TRUST, 11), at=T0)
    assert (t.snapshot.score("uni", TRUST), caught.value.field) == (8.0, "score")


def test_a_score_on_a_dimension_the_process_does_not_declare_is_refused(
    trajectory: cf.Trajectory,
) -> None:
    """The dimension must be one of the vocabulary's; the error names it under 'dimension'."""
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.Assessed("uni", "communication", 4.0), at=T0)
    assert (caught.value.field, caught.value.value) == ("dimension", "communication")


def test_a_score_of_an_unknown_party_is_refused(trajectory: cf.Trajectory) -> None:
    """Only a current party can be scored."""
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.Assessed("brabant", TRUST, 4), at=T0)
    assert (caught.value.field, caught.value.value) == ("party", "brabant")


def test_the_latest_score_of_a_respondent_counts(trajectory: cf.Trajectory) -> None:
    """A respondent scoring again replaces its earlier score."""
    record(
        trajectory,
        cf.Assessed("uni", TRUST, 2, respondent="alice"),
        cf.Assessed("uni", TRUST, 4, respondent="alice"),
    )
    assert (trajectory.snapshot.score("uni", TRUST), len(trajectory.snapshot.registers.scores)) == (
        4.0,
        1,
    )


def test_the_score_is_the_mean_across_respondents(trajectory: cf.Trajectory) -> None:
    """A party's score is the mean of the latest score of each respondent."""
    record(
        trajectory,
        cf.Assessed("uni", TRUST, 3, respondent="alice"),
        cf.Assessed("uni", TRUST, 5, respondent="bob"),
        cf.Assessed("uni", TRUST, 2, respondent="carol"),
        cf.Assessed("uni", TRUST, 4, respondent="carol"),
    )
    assert trajectory.snapshot.score("uni", TRUST) == 4.0


def test_scores_of_other_parties_and_dimensions_stay_apart(trajectory: cf.Trajectory) -> None:
    """A score replaces nothing of another party or dimension, and counts only for its own."""
    record(
        trajectory,
        cf.Assessed("uni", TRUST, 2),
        cf.Assessed("gemeente", TRUST, 5),
        cf.Assessed("uni", VOICE, 3),
    )
    s = trajectory.snapshot
    assert (s.score("uni", TRUST), s.score("gemeente", TRUST), s.score("uni", VOICE)) == (
        2.0,
        5.0,
        3.0,
    )


def test_a_party_without_a_score_has_none(trajectory: cf.Trajectory) -> None:
    """Without any score on a dimension, the party's score is None."""
    record(trajectory, cf.Assessed("uni", VOICE, 4))
    assert trajectory.snapshot.score("uni", TRUST) is None


def test_max_age_makes_an_old_score_missing(trajectory: cf.Trajectory) -> None:
    """A score older than max_age at the time asked counts as missing."""
    record(trajectory, cf.Assessed("uni", TRUST, 4))
    s = trajectory.snapshot
    age = timedelta(days=30)
    assert (
        s.score("uni", TRUST, at=T0 + timedelta(days=30), max_age=age),
        s.score("uni", TRUST, at=T0 + timedelta(days=31), max_age=age),
        s.score("uni", TRUST, max_age=age),
        s.score("uni", TRUST, at=T0 + timedelta(days=999)),
    ) == (4.0, None, 4.0, 4.0)


def test_only_recent_respondents_count_with_max_age(trajectory: cf.Trajectory) -> None:
    """With max_age, the mean is over the respondents whose latest score is recent enough."""
    record(trajectory, cf.Assessed("uni", TRUST, 1, respondent="old"))
    record(trajectory, cf.Assessed("uni", TRUST, 4, respondent="new"), at=T0 + timedelta(days=20))
    at = T0 + timedelta(days=35)
    assert trajectory.snapshot.score("uni", TRUST, at=at, max_age=timedelta(days=30)) == 4.0


def test_a_guard_sees_an_old_score_as_missing(pair: list[cf.Party]) -> None:
    """With max_score_age set, a guard evaluated later than that finds the score missing."""
    process = cf.default_process(settings=cf.Settings(max_score_age=timedelta(days=30)))
    t = cf.Trajectory.start(process, parties=pair, at=T0)
    record(t, cf.Assessed("gemeente", TRUST, 4), cf.Assessed("uni", TRUST, 4))
    trust = guards.trust()
    fresh = trust(t.snapshot, process.settings, T0 + timedelta(days=30))
    stale = trust(t.snapshot, process.settings, T0 + timedelta(days=30, seconds=1))
    assert (fresh.passed, [(f.party, f.key) for f in stale.failures]) == (
        True,
        [("gemeente", "score_missing"), ("uni", "score_missing")],
    )


def test_an_old_score_never_causes_a_regression(pair: list[cf.Party]) -> None:
    """Absence is not a breach: an expired low score makes culture_breached not hold."""
    process = cf.default_process(settings=cf.Settings(max_score_age=timedelta(days=30)))
    t = cf.Trajectory.start(process, parties=pair, at=T0)
    record(t, cf.Assessed("uni", TRUST, 1))
    breached = guards.culture_breached()
    assert (
        breached(t.snapshot, process.settings, T0).passed,
        breached(t.snapshot, process.settings, T0 + timedelta(days=31)).passed,
    ) == (True, False)


# --- contributions --------------------------------------------------------------------------------


def test_committing_records_a_contribution(trajectory: cf.Trajectory) -> None:
    """A committed contribution is kept with its cash and in-kind flag, not withdrawn."""
    record(trajectory, cf.ContributionCommitted("uni", "staff", cash="1250.50", in_kind=True))
    assert trajectory.snapshot.registers.contributions == (
        cf.Contribution("uni", "staff", cash=Decimal("1250.50"), in_kind=True),
    )


def test_committing_the_same_contribution_twice_is_refused(trajectory: cf.Trajectory) -> None:
    """A party cannot commit a contribution it already has committed."""
    record(trajectory, cf.ContributionCommitted("uni", "staff"))
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.ContributionCommitted("uni", "staff", cash=5), at=T0)
    assert (caught.value.field, caught.value.value) == ("contribution", "staff")


def test_two_parties_may_commit_contributions_of_the_same_name(trajectory: cf.Trajectory) -> None:
    """Contribution ids are per party."""
    record(
        trajectory,
        cf.ContributionCommitted("uni", "staff"),
        cf.ContributionCommitted("gemeente", "staff"),
        cf.ContributionCommitted("uni", "rooms"),
    )
    assert [(c.party, c.id) for c in trajectory.snapshot.registers.contributions] == [
        ("uni", "staff"),
        ("gemeente", "staff"),
        ("uni", "rooms"),
    ]


def test_a_contribution_of_an_unknown_party_is_refused(trajectory: cf.Trajectory) -> None:
    """Only a current party can commit."""
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.ContributionCommitted("brabant", "money"), at=T0)
    assert (caught.value.field, caught.value.value) == ("party", "brabant")


def test_withdrawing_marks_the_contribution_withdrawn(trajectory: cf.Trajectory) -> None:
    """A withdrawn contribution stays in the register, marked withdrawn, and no longer counts."""
    record(
        trajectory,
        cf.ContributionCommitted("gemeente", "money", cash=500),
        cf.ContributionCommitted("uni", "money", cash=100),
        cf.ContributionCommitted("uni", "staff", in_kind=True),
        cf.ContributionWithdrawn("uni", "money"),
    )
    s = trajectory.snapshot
    assert (
        [(c.party, c.id, c.withdrawn) for c in s.registers.contributions],
        [c.id for c in s.committed("uni")],
        s.committed_cash(),
    ) == (
        [("gemeente", "money", False), ("uni", "money", True), ("uni", "staff", False)],
        ["staff"],
        Decimal(500),
    )


@pytest.mark.parametrize(
    "event",
    [
        cf.ContributionWithdrawn("uni", "staff"),
        cf.ContributionWithdrawn("uni", "money"),
        cf.ContributionWithdrawn("gemeente", "rooms"),
    ],
    ids=["withdrawn-already", "never-committed", "another-partys"],
)
def test_withdrawing_what_is_not_committed_is_refused(
    trajectory: cf.Trajectory, event: cf.ContributionWithdrawn
) -> None:
    """Only a contribution the party committed and did not withdraw can be withdrawn."""
    record(
        trajectory,
        cf.ContributionCommitted("uni", "staff"),
        cf.ContributionCommitted("uni", "rooms"),
        cf.ContributionWithdrawn("uni", "staff"),
    )
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(event, at=T0)
    assert (caught.value.field, caught.value.value) == ("contribution", event.contribution)


def test_withdrawing_for_an_unknown_party_is_refused(trajectory: cf.Trajectory) -> None:
    """Only a current party can withdraw."""
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.ContributionWithdrawn("brabant", "money"), at=T0)
    assert (caught.value.field, caught.value.value) == ("party", "brabant")


def test_a_withdrawn_contribution_can_be_committed_again(trajectory: cf.Trajectory) -> None:
    """Committing a withdrawn contribution again replaces it with the new commitment."""
    record(
        trajectory,
        cf.ContributionCommitted("uni", "money", cash=100),
        cf.ContributionCommitted("uni", "staff", in_kind=True),
        cf.ContributionWithdrawn("uni", "money"),
        cf.ContributionCommitted("uni", "money", cash=300),
    )
    s = trajectory.snapshot
    assert (s.registers.contributions, s.committed_cash()) == (
        (
            cf.Contribution("uni", "staff", in_kind=True),
            cf.Contribution("uni", "money", cash=Decimal(300)),
        ),
        Decimal(300),
    )


def test_committed_cash_adds_up_every_party(trajectory: cf.Trajectory) -> None:
    """committed_cash is the money of every committed contribution, exactly."""
    record(
        trajectory,
        cf.ContributionCommitted("uni", "a", cash="0.10"),
        cf.ContributionCommitted("gemeente", "b", cash="0.20"),
    )
    assert trajectory.snapshot.committed_cash() == Decimal("0.30")


# --- the decision rule ----------------------------------------------------------------------------


def test_setting_the_decision_rule_records_rule_and_weights(trajectory: cf.Trajectory) -> None:
    """The latest decision rule and its weights replace the earlier ones."""
    record(
        trajectory,
        cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"uni": 2, "gemeente": 1}),
        cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"uni": 1}),
    )
    r = trajectory.snapshot.registers
    assert (r.decision_rule, dict(r.weights)) == (cf.DecisionRule.WEIGHTED, {"uni": 1.0})


def test_a_rule_without_weights_clears_them(trajectory: cf.Trajectory) -> None:
    """Going back to consensus records no weights."""
    record(
        trajectory,
        cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"uni": 2}),
        cf.DecisionRuleSet(cf.DecisionRule.CONSENSUS),
    )
    r = trajectory.snapshot.registers
    assert (r.decision_rule, dict(r.weights)) == (cf.DecisionRule.CONSENSUS, {})


def test_a_weight_for_an_unknown_party_is_refused(trajectory: cf.Trajectory) -> None:
    """Every weighted party must be a current party; the error names it under 'weights'."""
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(
            cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"uni": 1, "brabant": 1}), at=T0
        )
    assert (caught.value.field, caught.value.value) == ("weights", "brabant")


# --- the agenda -----------------------------------------------------------------------------------


def test_proposing_an_agenda_records_a_version_without_approvals(
    trajectory: cf.Trajectory,
) -> None:
    """A proposed version is kept with its themes and nobody's approval yet."""
    themes = (theme("city", owner=""), theme("science", owner="uni", interests=()))
    record(trajectory, cf.InterestShared("x", ["uni"]), cf.AgendaProposed(3, themes))
    assert trajectory.snapshot.registers.agenda == (cf.AgendaVersion(3, themes),)


@pytest.mark.parametrize("version", [1, 2])
def test_an_agenda_version_must_be_higher_than_the_last(
    trajectory: cf.Trajectory, version: int
) -> None:
    """A version that is not higher than every earlier one is refused."""
    record(trajectory, cf.AgendaProposed(1, []), cf.AgendaProposed(2, []))
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.AgendaProposed(version, []), at=T0)
    assert (caught.value.field, caught.value.value) == ("version", version)


def test_agenda_versions_may_skip_numbers(trajectory: cf.Trajectory) -> None:
    """A new version only has to be higher, not the next number."""
    record(trajectory, cf.AgendaProposed(1, []), cf.AgendaProposed(5, []))
    assert [v.version for v in trajectory.snapshot.registers.agenda] == [1, 5]


def test_a_theme_owned_by_an_unknown_party_is_refused(trajectory: cf.Trajectory) -> None:
    """A theme's owner, when given, must be a current party."""
    record(trajectory, cf.InterestShared("x", ["uni"]))
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.AgendaProposed(1, [theme("city", owner="brabant")]), at=T0)
    assert (caught.value.field, caught.value.value) == ("owner", "brabant")


def test_a_theme_linked_to_an_unknown_interest_is_refused(trajectory: cf.Trajectory) -> None:
    """A theme's interests must be shared interests."""
    record(trajectory, cf.InterestShared("x", ["uni"]))
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.AgendaProposed(1, [theme("city", interests=("x", "z"))]), at=T0)
    assert (caught.value.field, caught.value.value) == ("interests", "z")


def test_approving_adds_the_party_to_that_version(trajectory: cf.Trajectory) -> None:
    """An approval is added to the version it names, not to others."""
    record(
        trajectory,
        cf.AgendaProposed(1, []),
        cf.AgendaProposed(2, []),
        cf.AgendaApproved("uni", 2),
        cf.AgendaApproved("gemeente", 1),
        cf.AgendaApproved("uni", 2),
    )
    assert [(v.version, v.approvals) for v in trajectory.snapshot.registers.agenda] == [
        (1, frozenset({"gemeente"})),
        (2, frozenset({"uni"})),
    ]


def test_approving_a_version_that_does_not_exist_is_refused(trajectory: cf.Trajectory) -> None:
    """Only a proposed version can be approved."""
    record(trajectory, cf.AgendaProposed(1, []))
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.AgendaApproved("uni", 2), at=T0)
    assert (caught.value.field, caught.value.value) == ("version", 2)


def test_approving_for_an_unknown_party_is_refused(trajectory: cf.Trajectory) -> None:
    """Only a current party can approve."""
    record(trajectory, cf.AgendaProposed(1, []))
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.AgendaApproved("brabant", 1), at=T0)
    assert (caught.value.field, caught.value.value) == ("party", "brabant")


def test_no_agenda_is_approved_until_every_party_approves(trajectory: cf.Trajectory) -> None:
    """approved_agenda is None while some current party has not approved any version."""
    record(trajectory, cf.AgendaProposed(1, []), cf.AgendaApproved("uni", 1))
    assert trajectory.snapshot.approved_agenda() is None


def test_the_approved_agenda_is_the_highest_fully_approved(trajectory: cf.Trajectory) -> None:
    """The approved version is the highest one every current party approved."""
    record(
        trajectory,
        cf.AgendaProposed(1, []),
        cf.AgendaProposed(2, []),
        cf.AgendaProposed(3, []),
        cf.AgendaApproved("uni", 1),
        cf.AgendaApproved("gemeente", 1),
        cf.AgendaApproved("uni", 2),
        cf.AgendaApproved("gemeente", 2),
        cf.AgendaApproved("uni", 3),
    )
    approved = trajectory.snapshot.approved_agenda()
    assert (approved.version if approved else None) == 2


def test_a_newcomer_must_approve_before_the_agenda_is_approved(filled: cf.Trajectory) -> None:
    """After a party joins, the agenda is approved again only once it approves too."""
    record(filled, cf.PartyJoined(cf.Party("fontys")))
    before = filled.snapshot.approved_agenda()
    record(filled, cf.AgendaApproved("fontys", 1))
    after = filled.snapshot.approved_agenda()
    assert (before, after.version if after else None) == (None, 1)


# --- the declaration, roles, budget, themes, reviews ----------------------------------------------


def test_signing_records_the_latest_signature_of_each_party(trajectory: cf.Trajectory) -> None:
    """A party signing again replaces its earlier signature."""
    record(trajectory, cf.AgendaProposed(1, []), cf.AgendaProposed(2, []))
    first = cf.DeclarationSigned("uni", "Rector", 1)
    other = cf.DeclarationSigned("gemeente", "Mayor", 2)
    again = cf.DeclarationSigned("uni", "Rector", 2, role="rector magnificus")
    record(trajectory, first, other, again)
    assert trajectory.snapshot.registers.signatures == (other, again)


def test_signing_a_version_that_does_not_exist_is_refused(trajectory: cf.Trajectory) -> None:
    """Only a proposed agenda version can be signed."""
    record(trajectory, cf.AgendaProposed(1, []))
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.DeclarationSigned("uni", "Rector", 7), at=T0)
    assert (caught.value.field, caught.value.value) == ("version", 7)


def test_signing_for_an_unknown_party_is_refused(trajectory: cf.Trajectory) -> None:
    """Only a current party can sign."""
    record(trajectory, cf.AgendaProposed(1, []))
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.DeclarationSigned("brabant", "Commissioner", 1), at=T0)
    assert (caught.value.field, caught.value.value) == ("party", "brabant")


def test_the_latest_holder_of_a_role_counts(trajectory: cf.Trajectory) -> None:
    """Assigning a role again replaces its holder; other roles stay."""
    secretary = cf.RoleAssigned("secretary", "uni")
    manager = cf.RoleAssigned("programme_manager", "uni", person="Joris")
    record(trajectory, cf.RoleAssigned("programme_manager", "gemeente"), secretary, manager)
    assert trajectory.snapshot.registers.roles == (secretary, manager)


def test_a_role_for_an_unknown_party_is_refused(trajectory: cf.Trajectory) -> None:
    """Only a current party can hold a role."""
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.RoleAssigned("programme_manager", "brabant"), at=T0)
    assert (caught.value.field, caught.value.value) == ("party", "brabant")


def test_setting_the_budget_replaces_it(trajectory: cf.Trajectory) -> None:
    """The latest budget counts."""
    record(trajectory, cf.BudgetSet(250_000), cf.BudgetSet("100000.50"))
    assert trajectory.snapshot.registers.budget == Decimal("100000.50")


def test_closing_a_theme_of_any_version_records_it(trajectory: cf.Trajectory) -> None:
    """A theme of any proposed version can be closed; closing twice changes nothing more."""
    record(
        trajectory,
        cf.InterestShared("x", ["uni"]),
        cf.AgendaProposed(1, [theme("old")]),
        cf.AgendaProposed(2, [theme("city"), theme("science")]),
        cf.ThemeClosed("old"),
        cf.ThemeClosed("science"),
        cf.ThemeClosed("science"),
    )
    assert trajectory.snapshot.registers.closed_themes == frozenset({"old", "science"})


def test_closing_an_unknown_theme_is_refused(trajectory: cf.Trajectory) -> None:
    """Only a theme of some agenda version can be closed."""
    record(trajectory, cf.InterestShared("x", ["uni"]), cf.AgendaProposed(1, [theme("city")]))
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.record(cf.ThemeClosed("mobility"), at=T0)
    assert (caught.value.field, caught.value.value) == ("theme", "mobility")


def test_reviews_are_kept_in_order(trajectory: cf.Trajectory) -> None:
    """Every review is kept, final or not."""
    first, final = cf.ReviewRecorded("mid-term"), cf.ReviewRecorded("end", final=True)
    record(trajectory, first, final)
    assert trajectory.snapshot.registers.reviews == (first, final)


# --- bad events change nothing --------------------------------------------------------------------

REJECTED = [
    pytest.param(cf.PartyJoined(cf.Party("uni")), id="join-twice"),
    pytest.param(cf.PartyLeft("fontys"), id="leave-unknown"),
    pytest.param(cf.InterestShared("x", ["fontys"]), id="interest-unknown-party"),
    pytest.param(cf.ValueNamed("fontys", "b", "g"), id="value-unknown-party"),
    pytest.param(cf.DependencyDeclared("uni", "fontys"), id="dependency-unknown-party"),
    pytest.param(cf.Assessed("uni", TRUST, 6), id="score-off-scale"),
    pytest.param(cf.Assessed("fontys", TRUST, 4), id="score-unknown-party"),
    pytest.param(cf.ContributionCommitted("uni", "staff"), id="commit-twice"),
    pytest.param(cf.ContributionWithdrawn("uni", "money"), id="withdraw-unknown"),
    pytest.param(
        cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"fontys": 1}), id="weight-unknown"
    ),
    pytest.param(cf.AgendaProposed(1, []), id="agenda-version-not-higher"),
    pytest.param(cf.AgendaProposed(3, [theme("t", owner="fontys")]), id="theme-owner-unknown"),
    pytest.param(cf.AgendaProposed(3, [theme("t", interests=("z",))]), id="interest-unknown"),
    pytest.param(cf.AgendaApproved("uni", 9), id="approve-unknown-version"),
    pytest.param(cf.DeclarationSigned("uni", "Rector", 9), id="sign-unknown-version"),
    pytest.param(cf.RoleAssigned("secretary", "fontys"), id="role-unknown-party"),
    pytest.param(cf.ThemeClosed("mobility"), id="close-unknown-theme"),
]


@pytest.mark.parametrize("event", REJECTED)
def test_a_rejected_event_leaves_the_snapshot_exactly_as_it_was(
    filled: cf.Trajectory, event: object
) -> None:
    """An event refused by record() changes neither the snapshot nor the history."""
    record(filled, cf.AgendaProposed(2, [theme("city")]))
    before, history = filled.snapshot, filled.history
    with pytest.raises(cf.InvalidEventError):
        filled.record(event, at=T0 + timedelta(days=1))  # type: ignore[arg-type]
    assert (filled.snapshot, filled.history) == (before, history)


# --- folding directly ----------------------------------------------------------------------------


def test_fold_leaves_the_snapshot_it_was_given(trajectory: cf.Trajectory) -> None:
    """fold returns a new snapshot and does not change the one it was given."""
    before = trajectory.snapshot
    after = fold(before, cf.BudgetSet(10), FoldContext((1.0, 5.0), cf.Vocabulary()), T0)
    assert (before.registers.budget, after.registers.budget) == (None, Decimal(10))


def test_fold_refuses_what_is_not_a_data_event(trajectory: cf.Trajectory) -> None:
    """fold raises InvalidEventError for anything that is not a data event."""
    request = cf.Fire("stall")
    with pytest.raises(cf.InvalidEventError) as caught:
        fold(trajectory.snapshot, request, FoldContext((1.0, 5.0), cf.Vocabulary()), T0)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("event", request)


def test_snapshot_data_classes_have_readable_defaults() -> None:
    """Interest, Contribution and AgendaVersion default to no description, cash or approvals."""
    assert (
        cf.Interest("x", frozenset()).description,
        cf.Contribution("a", "c"),
        cf.AgendaVersion(1, ()).approvals,
    ) == (
        "",
        cf.Contribution("a", "c", cash=Decimal(0), in_kind=False, withdrawn=False),
        frozenset(),
    )


def test_registers_weights_default_is_read_only() -> None:
    """The empty default weights cannot be changed by accident."""
    assert isinstance(cf.Registers().weights, MappingProxyType) is True
