"""Tests of what `check` adds to its verdicts: the scope, bounds, unconfirmed verdicts, vacuous
gates, `leads_to`, rule predicates that raise, labels in the rendering, and event paths."""

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import ClassVar

import attrs
import pytest

import coopflow as cf
from coopflow import guards, rules
from coopflow._check import implies
from coopflow.guards import _registry
from tests import planted
from tests.planted import DEFAULT, move, state
from tests.test_paths import _define_guards, _funding


@pytest.fixture
def registry() -> Iterator[None]:
    """Keep kinds registered by a test out of the other tests."""
    saved = dict(_registry._REGISTRY)
    yield
    _registry._REGISTRY.clear()
    _registry._REGISTRY.update(saved)


def test_the_default_process_is_checked_completely_within_its_scope() -> None:
    """Two parties, the thresholds of the seed, nothing unconfirmed, nothing abstracted."""
    report = cf.check(DEFAULT)
    assert (report.complete, report.unconfirmed, report.vacuous) == (True, (), ())
    assert report.scope.parties == ("party-a", "party-b")
    assert report.scope.scores["trust"] == (1.0, 3.0, 3.5, 5.0)
    assert report.scope.abstracted == ()


def test_a_custom_guard_with_a_witness_is_explored(registry: None) -> None:
    """A custom guard that says how to make it hold and fail is driven like a built-in one."""
    budget_floor, _, _ = _define_guards()
    report = cf.check(_funding(budget_floor(1500)))
    assert (report.ok, report.complete) == (True, True)
    assert report.paths["funded"].replay(_funding(budget_floor(1500))).state == "funded"


def test_a_custom_guard_without_a_witness_leaves_the_report_incomplete(registry: None) -> None:
    """No events are known to drive it: its verdicts are unconfirmed, and the report says why."""
    _, unwitnessed, _ = _define_guards()
    report = cf.check(_funding(unwitnessed()))
    assert (report.ok, report.complete) == (False, False)
    kinds = [(v.kind, v.confirmed) for v in report.violations]
    assert ("unconfirmed", True) in kinds
    assert ("unreachable", False) in kinds
    assert report.unconfirmed != ()
    text = report.render()
    assert "guard test_unwitnessed has no witness" in text
    assert "not confirmed (the exploration is not complete): state Funded cannot be reached" in text
    assert "niet bevestigd" in report.render("nl")


def test_max_seconds_stops_the_exploration_and_says_so() -> None:
    """A time bound of zero stops at once: a limit violation naming max_seconds."""
    report = cf.check(DEFAULT, max_seconds=0)
    assert report.complete is False
    limits = [v for v in report.violations if v.kind == "limit"]
    assert limits == [
        cf.Violation("limit", "max_seconds", None, key="time_limit", params={"seconds": 0})
    ]
    assert "raise max_seconds" in report.render()
    assert "verhoog max_seconds" in report.render("nl")


def test_a_score_that_ages_is_stated_as_abstracted() -> None:
    """With max_score_age set, the scope says time does not pass."""
    process = attrs.evolve(DEFAULT, settings=cf.Settings(max_score_age=timedelta(days=90)))
    report = cf.check(process)
    assert report.scope.abstracted == ("time",)
    assert report.render().endswith("Time does not pass: scores never grow too old.")
    assert report.render("nl").endswith("De tijd staat stil: scores verouderen niet.")


def test_selectors_bring_their_parties_into_the_scope() -> None:
    """A tag, a sector and named parties in selectors add parties the guards can select."""
    vocabulary = cf.Vocabulary(tags={"backbone": {"en": "backbone", "nl": "backbone"}})
    process = cf.Process(
        "selected",
        (state("start", initial=True), state("mid"), state("done", terminal=True)),
        (
            move("go", "start", "mid", guards.score("trust", parties={"tag": "backbone"})),
            move("on", "mid", "done", guards.score("voice", parties={"sector": "government"})),
            move("skip", "start", "done", guards.score("stake", parties=("party-a", "gemeente"))),
        ),
        vocabulary=vocabulary,
    )
    report = cf.check(process)
    assert set(report.scope.parties) == {
        "party-a",
        "party-b",
        "party-tag-backbone",
        "party-government",
        "gemeente",
    }
    assert (report.ok, report.complete) == (True, True)
    for path in report.cover:
        assert path.replay(process).state == path.final_state


def test_a_gate_implied_by_a_stricter_bound_is_vacuous() -> None:
    """trust() beside trust(threshold=4.0) adds nothing; a score guard on another dimension, or
    for other parties, or with a stricter bound of its own is not implied."""
    process = planted.extended(
        DEFAULT,
        move(
            "leap",
            "exploring",
            "agenda_setting",
            guards.trust(),
            guards.trust(threshold=4.0),
            guards.score("voice", at_least=3.0, parties="any"),
            guards.score("voice", at_least=4.0, parties="any"),
            guards.score("stake", at_least=4.5),
            guards.mean_score(["trust", "voice"], at_least=3.0),
        ),
        move(
            "drop",
            "agenda_setting",
            "exploring",
            guards.score_below("trust", below=3.0),
            guards.score_below("trust", below=2.0),
        ),
    )
    report = cf.check(process)
    implied = [(v.params["trigger"], v.params["guard"]) for v in report.vacuous]
    assert implied == [("leap", "trust"), ("leap", "score"), ("drop", "score_below")]
    texts = [v.describe() for v in report.vacuous]
    assert all("adds nothing" in text for text in texts)


def test_implication_needs_the_same_guard_with_a_bound_that_asks_more() -> None:
    """Only the bound may differ; a higher at-least and a lower below ask more."""
    settings = DEFAULT.settings
    assert implies(guards.trust(threshold=4.0), guards.trust(), settings)
    assert not implies(guards.trust(), guards.trust(threshold=4.0), settings)
    assert implies(guards.score_below("trust", below=2.0), guards.score_below("trust"), settings)
    assert not implies(guards.score("trust", at_least=4.0), guards.trust(), settings)
    assert not implies(
        guards.score("voice", at_least=4.0, parties="any"), guards.score("voice"), settings
    )
    assert not implies(guards.energy(), guards.energy(), settings)


def test_a_tautology_and_an_implied_gate_are_vacuous() -> None:
    """any_of(a, not_(a)) can never fail; trust() beside all_of(trust(), energy()) adds nothing."""
    process = planted.extended(
        DEFAULT,
        move("hop", "exploring", "signing", planted.TAUTOLOGY),
        move(
            "leap",
            "exploring",
            "agenda_setting",
            guards.trust(),
            guards.all_of(guards.trust(), guards.energy()),
        ),
    )
    report = cf.check(process)
    assert [(v.kind, v.params["guard"], v.params["trigger"]) for v in report.vacuous] == [
        ("vacuous", "any_of", "hop"),
        ("implied", "trust", "leap"),
    ]
    text = report.render()
    assert "guard any_of of ‘Hop’ from Exploration to Signing the cooperation declaration" in text
    assert "adds nothing: guard all_of implies it" in text
    assert "voegt niets toe" in report.render("nl")


def test_leads_to_holds_on_the_default_process() -> None:
    """From signing, completed can always still be reached."""
    assert cf.check(DEFAULT, properties=[rules.leads_to("signing", "completed")]).ok is True


def test_leads_to_fails_with_a_path_to_where_the_goal_is_out_of_reach() -> None:
    """From limbo, completed cannot be reached any more: one step shows it."""
    process = planted.limbo()
    report = cf.check(process, properties=[rules.leads_to("limbo", "completed")])
    (violation,) = [v for v in report.violations if v.kind == "leads_to"]
    assert violation.path is not None
    assert str(violation.path) == "exploring -[drift]-> limbo"
    assert violation.path.replay(process).state == "limbo"
    assert violation.message == "after state Limbo, state Completed can no longer be reached"


def test_leads_to_from_the_initial_state() -> None:
    """A goal out of reach from the start is reported with the empty path."""
    report = cf.check(planted.circle(), properties=[rules.leads_to("a", "start")])
    (violation,) = [v for v in report.violations if v.kind == "leads_to"]
    assert violation.path is not None
    assert len(violation.path) == 1
    start = cf.check(planted.trap(), properties=[rules.leads_to("start", "trap")])
    assert start.ok is False
    assert [v.kind for v in start.violations if v.property.startswith("leads_to")] == []
    stuck = cf.check(planted.circle(), properties=[rules.leads_to("start", "done")])
    assert [v.kind for v in stuck.violations if v.property.startswith("leads_to")] == []
    never = cf.check(planted.unreached_pilot(), properties=[rules.leads_to("exploring", "pilot")])
    assert [len(v.path or ()) for v in never.violations if v.kind == "leads_to"] == [0]


@pytest.mark.parametrize(
    "rule",
    [
        rules.always("fragile", lambda c: 1 / 0 > 0),
        rules.always_step("fragile", lambda before, step, after: [][1]),
    ],
)
def test_a_rule_predicate_that_raises_is_an_error_naming_the_rule(rule: rules.Rule) -> None:
    """The error names the rule and what it raised, in English and Dutch."""
    with pytest.raises(cf.CoopflowError) as caught:
        cf.check(planted.trap(), properties=[rule])
    assert "the predicate of rule 'fragile' raised" in str(caught.value)
    assert "de toets van regel 'fragile' gaf een fout" in caught.value.message("nl")


def test_a_rule_predicate_that_fails_at_the_start_has_the_empty_path() -> None:
    """always(state != start) is broken before any event."""
    report = cf.check(
        planted.trap(), properties=[rules.always("moved", lambda c: c.state != "start")]
    )
    (violation,) = [v for v in report.violations if v.kind == "always"]
    assert violation.path is not None
    assert len(violation.path) == 0


def test_a_report_path_replays_its_own_events_with_its_parties() -> None:
    """A checker path holds its events and parties; replay records exactly those."""
    report = cf.check(DEFAULT)
    path = report.paths["completed"]
    assert path.events
    assert path.parties is not None
    t = path.replay(DEFAULT)
    assert t.state == "completed"
    assert [r.event for r in t.history[1:]] == list(path.events)
    other = path.replay(DEFAULT, parties=(cf.Party("x"), cf.Party("y")))
    assert other.state == "completed"  # other parties: the witnesses are used instead


def test_an_event_path_that_the_engine_refuses_is_a_trajectory_error() -> None:
    """Events that no longer fit the process, or steps that come out otherwise, are refused."""
    report = cf.check(DEFAULT)
    path = report.paths["signing"]
    wrong = cf.Path(path.start, path.steps[:1], events=path.events, parties=path.parties)
    with pytest.raises(cf.TrajectoryError, match="where the path says"):
        wrong.replay(DEFAULT)
    refused = cf.Path(
        "exploring",
        (cf.Step("set_agenda", "exploring", "agenda_setting"),),
        events=(cf.Fire("set_agenda"),),
        parties=path.parties,
    )
    with pytest.raises(cf.TrajectoryError, match="cannot be replayed") as caught:
        refused.replay(DEFAULT)
    assert "kan niet opnieuw worden afgespeeld" in caught.value.message("nl")


def test_mean_scores_and_role_selectors_are_explored() -> None:
    """mean_score reads each of its dimensions at its thresholds; a role selector adds nobody."""
    process = cf.Process(
        "means",
        (state("start", initial=True), state("mid"), state("done", terminal=True)),
        (
            move(
                "go",
                "start",
                "mid",
                guards.mean_score(["stake", "impact"], at_least=3.2, each_at_least=2.2),
            ),
            move("on", "mid", "done", guards.score("trust", parties={"role": "programme_manager"})),
            move("skip", "start", "done", guards.mean_score(["urgency"], at_least=4.4)),
        ),
    )
    report = cf.check(process)
    assert report.scope.scores["stake"] == (1.0, 2.2, 3.2, 5.0)
    assert report.scope.scores["urgency"] == (1.0, 4.4, 5.0)
    assert report.scope.parties == ("party-a", "party-b")
    assert (report.ok, report.complete) == (True, True)


def test_an_event_the_engine_rejects_is_not_a_move(registry: None) -> None:
    """A custom witness that names a party nobody knows leads nowhere; the rest is explored."""

    @guards.register("test_stranger")
    @attrs.frozen
    class Stranger:
        kind: ClassVar[str]

        def __call__(
            self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime
        ) -> cf.GuardResult:
            return cf.GuardResult(self.kind, False)

        def witness(
            self, snapshot: cf.Snapshot, settings: cf.Settings, holds: bool
        ) -> Sequence[cf.Assessed]:
            return [cf.Assessed("nobody", "trust", 4.0)]

    report = cf.check(_funding(Stranger()))
    assert report.complete is True
    assert [v.kind for v in report.violations] == ["unreachable", "dead_transition"]
