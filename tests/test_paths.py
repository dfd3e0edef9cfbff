"""Tests of `Path` and `Step`: text form, parsing, and replay as a real trajectory."""

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar, cast

import attrs
import pytest

import coopflow as cf
from coopflow import guards
from coopflow.guards import _registry
from tests import planted
from tests.planted import DEFAULT, move, state

FORWARD = (
    "exploring -[form_culture]-> building_culture -[set_agenda]-> agenda_setting"
    " -[open_signing]-> signing -[organise]-> organising -[start]-> operating"
    " -[complete]-> completed"
)


@pytest.fixture
def registry() -> Iterator[None]:
    """Keep kinds registered by a test out of the other tests."""
    saved = dict(_registry._REGISTRY)
    yield
    _registry._REGISTRY.clear()
    _registry._REGISTRY.update(saved)


# --- steps and paths as text --------------------------------------------------------------------


def test_a_step_reads_as_an_arrow_to_its_destination() -> None:
    """A manual step is -[trigger]-> dest; an automatic one has a ~ before its trigger."""
    assert str(cf.Step("form_culture", "exploring", "building_culture")) == (
        "-[form_culture]-> building_culture"
    )
    assert str(cf.Step("lose_quorum", "signing", "dissolved", automatic=True)) == (
        "-[~lose_quorum]-> dissolved"
    )


def test_a_path_reads_as_its_start_and_its_steps() -> None:
    """The text form starts with the start state, then each step."""
    path = cf.Path(
        "exploring",
        (
            cf.Step("form_culture", "exploring", "building_culture"),
            cf.Step("lose_energy", "building_culture", "stalled", automatic=True),
        ),
    )
    assert str(path) == "exploring -[form_culture]-> building_culture -[~lose_energy]-> stalled"


def test_every_path_of_a_report_parses_back_from_its_text() -> None:
    """str() and Path.parse are each other's inverse on the checker's paths."""
    report = cf.check(DEFAULT)
    for path in (*report.paths.values(), *report.cover):
        assert cf.Path.parse(str(path)) == path


def test_parse_reads_sources_and_automatic_marks() -> None:
    """Each parsed step leaves the state the previous one entered."""
    path = cf.Path.parse("signing -[~breach_culture]-> building_culture -[stall]-> stalled")
    assert path.steps == (
        cf.Step("breach_culture", "signing", "building_culture", automatic=True),
        cf.Step("stall", "building_culture", "stalled"),
    )


def test_parse_tolerates_extra_whitespace() -> None:
    """Spaces and newlines between tokens do not matter."""
    assert cf.Path.parse("  exploring\n -[stall]->   stalled ") == cf.Path.parse(
        "exploring -[stall]-> stalled"
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "exploring -[stall]->",
        "exploring stall stalled",
        "exploring -[stall]-> stalled -[resume]->",
        "exploring -[]-> stalled",
        "exploring -[stall] stalled",
        "exploring [stall]-> stalled",
        "exploring -[stall]-> stalled exploring",
        cast(Any, None),
        cast(Any, 42),
    ],
)
def test_garbage_is_not_a_path(text: str) -> None:
    """Text that is not start (-[trigger]-> state)* is a TrajectoryError."""
    with pytest.raises(cf.TrajectoryError):
        cf.Path.parse(text)


def test_a_path_knows_its_length_end_and_states() -> None:
    """len counts transitions; final_state is the last destination; states includes the start."""
    path = cf.Path.parse("exploring -[stall]-> stalled -[resume]-> exploring")
    assert (len(path), path.final_state, path.states) == (
        2,
        "exploring",
        ("exploring", "stalled", "exploring"),
    )


def test_the_empty_path_stays_at_its_start() -> None:
    """A path without steps has length 0 and ends where it starts."""
    path = cf.Path("exploring")
    assert (len(path), path.final_state, path.states, str(path)) == (
        0,
        "exploring",
        ("exploring",),
        "exploring",
    )
    assert cf.Path.parse("exploring") == path
    assert path.replay(DEFAULT).state == "exploring"


# --- replay -------------------------------------------------------------------------------------


def test_replay_follows_the_forward_path_to_completed() -> None:
    """The six-step forward path rebuilds a completed trajectory from public events."""
    t = cf.Path.parse(FORWARD).replay(DEFAULT)
    applied = [tr for record in t.history for tr in record.transitions]
    assert t.state == "completed"
    assert [(tr.trigger, tr.dest) for tr in applied] == [
        ("form_culture", "building_culture"),
        ("set_agenda", "agenda_setting"),
        ("open_signing", "signing"),
        ("organise", "organising"),
        ("start", "operating"),
        ("complete", "completed"),
    ]


def test_replay_uses_two_default_parties_a_fixed_time_and_its_own_actor() -> None:
    """Without arguments, replay starts party-a and party-b at 2000-01-01, as coopflow.replay."""
    path = cf.Path.parse("exploring -[form_culture]-> building_culture")
    t = path.replay(DEFAULT)
    assert t.snapshot.party_ids == ("party-a", "party-b")
    assert t.title == str(path)
    assert {record.at for record in t.history} == {datetime(2000, 1, 1, tzinfo=UTC)}
    assert {record.actor for record in t.history[1:]} == {"coopflow.replay"}


def test_replay_with_other_parties_and_time() -> None:
    """parties= and at= choose who takes part and when."""
    parties = (cf.Party("gemeente"), cf.Party("uni"), cf.Party("bedrijf"))
    at = datetime(2024, 5, 1, 12, tzinfo=UTC)
    t = cf.Path.parse(FORWARD).replay(DEFAULT, parties=parties, at=at)
    assert (t.state, t.snapshot.party_ids) == ("completed", ("gemeente", "uni", "bedrijf"))
    assert {record.at for record in t.history} == {at}


def test_replay_follows_an_automatic_step() -> None:
    """An automatic step is caused by recording its condition's witness."""
    path = cf.Path.parse(
        "exploring -[form_culture]-> building_culture -[set_agenda]-> agenda_setting"
        " -[~breach_culture]-> building_culture"
    )
    t = path.replay(DEFAULT)
    last = t.history[-1]
    assert (t.state, last.transitions[0].automatic) == ("building_culture", True)


def test_replay_resumes_to_the_remembered_state() -> None:
    """A resume step returns where the stall came from."""
    path = cf.Path.parse(
        "exploring -[form_culture]-> building_culture -[stall]-> stalled"
        " -[resume]-> building_culture"
    )
    assert path.replay(DEFAULT).state == "building_culture"


def test_replay_refuses_a_path_that_starts_elsewhere() -> None:
    """A path must start in the process's initial state."""
    with pytest.raises(cf.TrajectoryError, match="building_culture"):
        cf.Path.parse("building_culture -[set_agenda]-> agenda_setting").replay(DEFAULT)


def test_replay_refuses_steps_that_do_not_chain() -> None:
    """Each step must leave the state the previous step entered."""
    path = cf.Path(
        "exploring",
        (
            cf.Step("form_culture", "exploring", "building_culture"),
            cf.Step("open_signing", "agenda_setting", "signing"),
        ),
    )
    with pytest.raises(cf.TrajectoryError, match="step 2"):
        path.replay(DEFAULT)


def test_replay_refuses_a_first_step_that_leaves_another_state() -> None:
    """The first step must leave the start state."""
    path = cf.Path("exploring", (cf.Step("set_agenda", "building_culture", "agenda_setting"),))
    with pytest.raises(cf.TrajectoryError, match="step 1"):
        path.replay(DEFAULT)


@pytest.mark.parametrize(
    "text",
    [
        "exploring -[fly]-> operating",
        "exploring -[form_culture]-> signing",
        "exploring -[~form_culture]-> building_culture",
        "exploring -[lose_quorum]-> dissolved",
    ],
)
def test_replay_refuses_a_transition_the_process_lacks(text: str) -> None:
    """Trigger, source, destination and automatic mark must match a transition."""
    with pytest.raises(cf.TrajectoryError, match="no transition"):
        cf.Path.parse(text).replay(DEFAULT)


def test_replay_refuses_an_automatic_step_the_engine_does_not_take() -> None:
    """When a higher-priority regression fires instead, the replay says so."""
    process = cf.Process(
        "priority",
        (state("a", initial=True), state("b"), state("c"), state("done", terminal=True)),
        (
            move("finish", ("a", "b", "c"), "done"),
            move("first", "a", "b", guards.culture_breached(), automatic=True),
            move("second", "a", "c", guards.culture_breached(), automatic=True),
        ),
    )
    with pytest.raises(cf.TrajectoryError, match="engine took"):
        cf.Path.parse("a -[~second]-> c").replay(process)


def test_replay_refuses_a_path_the_engine_goes_beyond() -> None:
    """A chain of regressions must be on the path to its end."""
    process = cf.Process(
        "chain",
        (state("a", initial=True), state("b"), state("c"), state("done", terminal=True)),
        (
            move("finish", ("a", "b", "c"), "done"),
            move("x", "a", "b", guards.culture_breached(), automatic=True),
            move("y", "b", "c", guards.culture_breached(), automatic=True),
        ),
    )
    assert cf.Path.parse("a -[~x]-> b -[+y]-> c").replay(process).state == "c"
    with pytest.raises(cf.TrajectoryError, match="the end"):
        cf.Path.parse("a -[~x]-> b").replay(process)


# --- custom guards ------------------------------------------------------------------------------


def _define_guards() -> tuple[type, type, type]:
    """Register three custom guards: with a witness, without one, with an empty one."""

    @guards.register("test_budget_floor")
    @attrs.frozen
    class BudgetFloor:
        kind: ClassVar[str]
        minimum: int

        def __call__(
            self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime
        ) -> cf.GuardResult:
            budget = snapshot.registers.budget or 0
            return cf.GuardResult(self.kind, budget >= self.minimum)

        def witness(
            self, snapshot: cf.Snapshot, settings: cf.Settings, holds: bool
        ) -> Sequence[cf.BudgetSet]:
            return [cf.BudgetSet(Decimal(self.minimum if holds else 0))]

    @guards.register("test_unwitnessed")
    @attrs.frozen
    class Unwitnessed:
        kind: ClassVar[str]

        def __call__(
            self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime
        ) -> cf.GuardResult:
            return cf.GuardResult(self.kind, snapshot.registers.budget is not None)

    @guards.register("test_silent")
    @attrs.frozen
    class Silent:
        kind: ClassVar[str]

        def __call__(
            self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime
        ) -> cf.GuardResult:
            return cf.GuardResult(self.kind, snapshot.registers.budget is not None)

        def witness(
            self, snapshot: cf.Snapshot, settings: cf.Settings, holds: bool
        ) -> Sequence[cf.BudgetSet]:
            return []

    return BudgetFloor, Unwitnessed, Silent


def _funding(guard: Any, *, automatic: bool = False) -> cf.Process:
    """open -[fund]-> funded, guarded by `guard`; both can finish."""
    return cf.Process(
        "funding",
        (state("open", initial=True), state("funded"), state("done", terminal=True)),
        (
            move("fund", "open", "funded", guard, automatic=automatic),
            move("finish", ("open", "funded"), "done"),
        ),
    )


@pytest.mark.usefixtures("registry")
def test_replay_uses_a_custom_guard_s_own_witness() -> None:
    """A custom guard with witness(snapshot, settings, holds) is made to hold by its events."""
    budget_floor, _, _ = _define_guards()
    process = _funding(budget_floor(1500))
    t = cf.Path.parse("open -[fund]-> funded").replay(process)
    assert (t.state, t.snapshot.registers.budget) == ("funded", Decimal(1500))


@pytest.mark.usefixtures("registry")
def test_replay_names_a_custom_guard_without_a_witness() -> None:
    """A custom guard with no witness makes replay raise a TrajectoryError naming its kind."""
    _, unwitnessed, _ = _define_guards()
    process = _funding(unwitnessed())
    path = cf.Path.parse("open -[fund]-> funded")
    with pytest.raises(cf.TrajectoryError, match="'test_unwitnessed'"):
        path.replay(process)


@pytest.mark.usefixtures("registry")
def test_replay_explains_a_manual_step_the_engine_refuses() -> None:
    """A witness that does not make its guard hold ends in a TrajectoryError from the refusal."""
    _, _, silent = _define_guards()
    process = _funding(silent())
    with pytest.raises(cf.TrajectoryError, match="step 1") as caught:
        cf.Path.parse("open -[fund]-> funded").replay(process)
    assert isinstance(caught.value.__cause__, cf.TransitionRefused)
    assert caught.value.__cause__.explanation.trigger == "fund"


@pytest.mark.usefixtures("registry")
def test_replay_refuses_an_automatic_step_that_does_not_happen() -> None:
    """When the witness of a condition records nothing, the regression does not happen."""
    _, _, silent = _define_guards()
    process = _funding(silent(), automatic=True)
    with pytest.raises(cf.TrajectoryError, match="did not happen"):
        cf.Path.parse("open -[~fund]-> funded").replay(process)


def test_a_step_without_guards_replays_with_the_trigger_alone() -> None:
    """The shortcut's jump has no guard: replay fires it without recording anything."""
    process = planted.shortcut()
    path = cf.Path.parse("exploring -[jump]-> agenda_setting")
    t = path.replay(process)
    assert (t.state, len(t.history)) == ("agenda_setting", 2)


def test_every_cover_path_through_a_lost_and_regained_quorum_replays() -> None:
    """A resume-like step guarded by not_(quorum_lost) after quorum was lost replays too."""
    process = cf.Process(
        "quorum",
        (state("a", initial=True), state("b"), state("done", terminal=True)),
        (
            move("finish", ("a", "b"), "done"),
            move("drop", "a", "b", guards.quorum_lost(), automatic=True),
            move("back", "b", "a", guards.not_(guards.quorum_lost())),
        ),
    )
    report = cf.check(process)
    assert [str(path) for path in report.cover] == [
        "a -[finish]-> done",
        "a -[~drop]-> b",
        "a -[~drop]-> b -[back]-> a",
    ]
    for path in report.cover:
        assert path.replay(process).state == path.final_state
