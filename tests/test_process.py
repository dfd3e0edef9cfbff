"""Tests of `coopflow._process`: settings, states, transitions and processes, validated."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from types import MappingProxyType

import attrs
import pytest

import coopflow as cf
from coopflow import guards
from coopflow._events import DataEvent
from tests.conftest import T0

BOTH = {"en": "Text", "nl": "Tekst"}

# --- Settings -----------------------------------------------------------------------------------


def test_settings_default_to_the_values_of_process_md() -> None:
    """Default settings are the thresholds and rules PROCESS.md names."""
    settings = cf.Settings()
    assert (
        settings.scale,
        settings.entry_threshold,
        settings.regression_threshold,
        settings.max_score_age,
        settings.max_weight_share,
        settings.coverage,
        settings.required_roles,
    ) == ((1.0, 5.0), 3.5, 3.0, None, 0.5, 1.0, ("programme_manager",))


def test_settings_accept_other_valid_values() -> None:
    """Valid custom settings are kept, the scale and roles as tuples of floats and strings."""
    settings = cf.Settings(
        scale=[0, 10],
        entry_threshold=7,
        regression_threshold=7,
        max_score_age=timedelta(days=90),
        max_weight_share=1,
        coverage=0.8,
        required_roles=["programme_manager", "secretary"],
    )
    assert (settings.scale, settings.required_roles, settings.max_score_age) == (
        (0.0, 10.0),
        ("programme_manager", "secretary"),
        timedelta(days=90),
    )


def test_settings_accept_no_required_roles() -> None:
    """An empty collection of required roles is valid: the office needs no particular role."""
    assert cf.Settings(required_roles=[]).required_roles == ()


def test_settings_list_every_problem_of_their_numbers_at_once() -> None:
    """Non-finite or boolean thresholds, shares outside (0, 1] and a bad age are all listed."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.Settings(
            entry_threshold=float("nan"),
            regression_threshold=True,
            max_weight_share=0,
            coverage=1.5,
            max_score_age=timedelta(0),
        )
    assert caught.value.problems == (
        "entry_threshold nan must be a finite number",
        "regression_threshold True must be a finite number",
        "max_weight_share 0.0 must be a share above 0 and at most 1",
        "coverage 1.5 must be a share above 0 and at most 1",
        "max_score_age datetime.timedelta(0) must be a positive timedelta or None",
    )


def test_settings_refuse_thresholds_off_the_scale_and_booleans_as_shares() -> None:
    """Thresholds outside the scale, a boolean share and an infinite coverage are all listed."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.Settings(
            entry_threshold=6.0,
            regression_threshold=0.5,
            max_weight_share=True,
            coverage=float("inf"),
        )
    assert caught.value.problems == (
        "coverage inf must be a finite number",
        "max_weight_share True must be a finite number",
        "entry_threshold 6.0 is off the scale 1 to 5",
        "regression_threshold 0.5 is off the scale 1 to 5",
    )


def test_settings_refuse_a_regression_threshold_above_the_entry_threshold() -> None:
    """Falling back must need a lower score than moving forward (hysteresis)."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.Settings(entry_threshold=3.0, regression_threshold=3.5)
    assert caught.value.problems == ("regression_threshold 3.5 is above entry_threshold 3.0",)


def test_settings_refuse_a_scale_that_does_not_go_up() -> None:
    """A scale whose lowest end is not below its highest is refused, with its consequences."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.Settings(scale=(5, 1))
    assert caught.value.problems == (
        "scale (5.0, 1.0) must go from low to high",
        "entry_threshold 3.5 is off the scale 5 to 1",
        "regression_threshold 3.0 is off the scale 5 to 1",
    )


@pytest.mark.parametrize(
    ("scale", "problem"),
    [
        ("1-5", "scale '1-5' must be a pair (lowest, highest)"),
        (5, "scale 5 must be a pair (lowest, highest)"),
        ((1, 3, 5), "scale (1, 3, 5) must be a pair of finite numbers"),
        (("1", "5"), "scale ('1', '5') must be a pair of finite numbers"),
        ((1, float("inf")), "scale (1, inf) must be a pair of finite numbers"),
        ((False, 5), "scale (False, 5) must be a pair of finite numbers"),
    ],
)
def test_settings_refuse_a_scale_that_is_not_a_pair_of_numbers(scale: object, problem: str) -> None:
    """The scale must be two finite numbers."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.Settings(scale=scale)
    assert caught.value.problems == (problem,)


@pytest.mark.parametrize(
    ("age", "problem"),
    [
        ("P90D", "max_score_age 'P90D' must be a positive timedelta or None"),
        (90, "max_score_age 90 must be a positive timedelta or None"),
        (
            timedelta(days=-1),
            "max_score_age datetime.timedelta(days=-1) must be a positive timedelta or None",
        ),
    ],
)
def test_settings_refuse_a_max_score_age_that_is_not_a_positive_timedelta(
    age: object, problem: str
) -> None:
    """Scores can only age by a positive duration."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.Settings(max_score_age=age)  # type: ignore[arg-type]
    assert caught.value.problems == (problem,)


@pytest.mark.parametrize(
    ("roles", "problem"),
    [
        (
            "programme_manager",
            "required_roles 'programme_manager' must be a collection of role names",
        ),
        (7, "required_roles 7 must be a collection of role names"),
        (
            ["programme_manager", " "],
            "required_roles ['programme_manager', ' '] must hold non-empty strings",
        ),
        ([None], "required_roles [None] must hold non-empty strings"),
    ],
)
def test_settings_refuse_required_roles_that_are_not_role_names(
    roles: object, problem: str
) -> None:
    """Required roles are a collection of non-empty names, never one string."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.Settings(required_roles=roles)
    assert caught.value.problems == (problem,)


def test_settings_list_a_bad_scale_and_bad_roles_with_the_other_problems() -> None:
    """Every problem at once, even when the scale and the roles are of the wrong kind."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.Settings(scale="1-5", required_roles="programme_manager", coverage=0)
    assert caught.value.problems == (
        "scale '1-5' must be a pair (lowest, highest)",
        "required_roles 'programme_manager' must be a collection of role names",
        "coverage 0.0 must be a share above 0 and at most 1",
    )


# --- State and Transition -----------------------------------------------------------------------


def test_a_state_defaults_to_neither_initial_nor_terminal() -> None:
    """A state is an ordinary state unless it says otherwise."""
    state = cf.State("pilot", labels={"en": "Pilot", "nl": "Pilotfase"})
    assert (state.id, dict(state.labels), state.initial, state.terminal) == (
        "pilot",
        {"en": "Pilot", "nl": "Pilotfase"},
        False,
        False,
    )


def test_a_state_keeps_its_own_copy_of_the_labels() -> None:
    """Changing the mapping a state was built from does not change the state."""
    labels = {"en": "Pilot", "nl": "Pilotfase"}
    state = cf.State("pilot", labels=labels)
    labels["en"] = "Trial"
    assert state.labels == MappingProxyType({"en": "Pilot", "nl": "Pilotfase"})


@pytest.mark.parametrize(
    ("build", "problem"),
    [
        (lambda: cf.State("", BOTH), "State id '' must be a non-empty string"),
        (lambda: cf.State("  ", BOTH), "State id '  ' must be a non-empty string"),
        (
            lambda: cf.State(7, BOTH),  # type: ignore[arg-type]
            "State id 7 must be a non-empty string",
        ),
        (lambda: cf.State("pilot", ["en"]), "labels ['en'] must map a locale to a text"),
        (
            lambda: cf.State("pilot", BOTH, terminal="yes"),  # type: ignore[arg-type]
            "State terminal 'yes' must be True or False",
        ),
        (
            lambda: cf.State("pilot", BOTH, initial=1),  # type: ignore[arg-type]
            "State initial 1 must be True or False",
        ),
    ],
)
def test_a_state_refuses_bad_fields(build: Callable[[], object], problem: str) -> None:
    """A state needs a non-empty id, a mapping of labels and boolean flags."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        build()
    assert caught.value.problems == (problem,)


def test_a_transition_has_sensible_defaults() -> None:
    """No guards, manual, no labels and not voiding the declaration, unless said otherwise."""
    transition = cf.Transition("go", source=("a", "b"), dest="c")
    assert (
        transition.source,
        transition.guards,
        transition.automatic,
        dict(transition.labels),
        transition.voids_declaration,
    ) == (("a", "b"), (), False, {}, False)


def test_a_transition_from_one_state_given_as_a_string_has_a_tuple_source() -> None:
    """`source="organising"` means the one state organising."""
    transition = cf.Transition("start_pilot", source="organising", dest="pilot")
    assert transition.source == ("organising",)


def test_a_transition_keeps_its_guards_as_a_tuple() -> None:
    """Guards given as a list are kept in their order, as a tuple."""
    transition = cf.Transition("go", source="a", dest="b", guards=[guards.trust(), guards.energy()])
    assert transition.guards == (guards.trust(), guards.energy())


@pytest.mark.parametrize(
    ("build", "problem"),
    [
        (
            lambda: cf.Transition("", source="a", dest="b"),
            "Transition trigger '' must be a non-empty string",
        ),
        (
            lambda: cf.Transition("go", source="a", dest=" "),
            "Transition dest ' ' must be a non-empty string",
        ),
        (
            lambda: cf.Transition("go", source=(), dest="b"),
            "Transition source () must name at least one state",
        ),
        (
            lambda: cf.Transition("go", source="", dest="b"),
            "Transition source '' must name at least one state",
        ),
        (
            lambda: cf.Transition("go", source=["a", 3], dest="b"),
            "Transition source ['a', 3] must name at least one state",
        ),
        (
            lambda: cf.Transition("go", source=3, dest="b"),
            "Transition source 3 must be a state id or several",
        ),
        (
            lambda: cf.Transition("go", source="a", dest="b", guards=["trust"]),
            "Transition guard 'trust' is not a guard",
        ),
        (
            lambda: cf.Transition("go", source="a", dest="b", guards=guards.trust()),
            "Transition guards Trust(threshold=None) must be a sequence of guards",
        ),
        (
            lambda: cf.Transition("go", source="a", dest="b", automatic="no"),  # type: ignore[arg-type]
            "Transition automatic 'no' must be True or False",
        ),
        (
            lambda: cf.Transition("go", source="a", dest="b", voids_declaration=None),  # type: ignore[arg-type]
            "Transition voids_declaration None must be True or False",
        ),
        (
            lambda: cf.Transition("go", source="a", dest="b", labels="Go"),
            "labels 'Go' must map a locale to a text",
        ),
    ],
)
def test_a_transition_refuses_bad_fields(build: Callable[[], object], problem: str) -> None:
    """A transition needs names, at least one source, real guards, a label mapping and flags."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        build()
    assert caught.value.problems == (problem,)


# --- Process: validation ------------------------------------------------------------------------


def _state(
    id: str, *, labels: object = BOTH, initial: bool = False, terminal: bool = False
) -> cf.State:
    return cf.State(id, labels, initial=initial, terminal=terminal)


def _move(trigger: str, source: str, dest: str, **kwargs: object) -> cf.Transition:
    kwargs.setdefault("labels", BOTH)
    return cf.Transition(trigger, source=source, dest=dest, **kwargs)  # type: ignore[arg-type]


def test_a_process_lists_every_problem_of_its_definition_at_once() -> None:
    """Duplicates, unknown states, labels, conditions, triggers, terminals, reachability."""
    states = (
        _state("start", initial=True),
        _state("middle", labels={"en": "Middle"}),
        _state("middle"),
        _state("end", labels={"en": "End", "nl": " "}, terminal=True),
        _state("island", labels={"en": 5, "nl": "Eiland"}),
    )
    transitions = (
        _move("go", "start", "middle"),
        _move("go", "start", "middle"),
        _move("jump", "nowhere", "elsewhere", labels={"nl": "Springen"}),
        _move("finish", "middle", "end"),
        _move("restart", "end", "start", labels={}),
        _move("auto", "middle", "end", automatic=True),
        _move("go", "middle", "start", automatic=True, guards=(guards.quorum_lost(),)),
    )
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.Process("broken", states, transitions)
    assert caught.value.problems == (
        "state 'middle' is defined more than once",
        "state 'middle' has no 'nl' label",
        "state 'end' has no 'nl' label",
        "state 'island' has no 'en' label",
        "transition 'go' from ('start',) is defined twice",
        "transition 'jump' comes from unknown state 'nowhere'",
        "transition 'jump' goes to unknown state 'elsewhere'",
        "transition 'jump' has no 'en' label",
        "transition 'restart' has no 'en' label",
        "transition 'restart' has no 'nl' label",
        "automatic transition 'auto' has no condition",
        "trigger 'go' is both manual and automatic",
        "terminal state 'end' has outgoing transitions",
        "state 'island' cannot be reached from 'start'",
    )


def test_a_process_needs_an_initial_state() -> None:
    """Without an initial state a trajectory could not start."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.Process("p", (_state("a"), _state("b")), (_move("go", "a", "b"),))
    assert caught.value.problems == ("no state is marked initial",)


def test_a_process_has_only_one_initial_state() -> None:
    """Several initial states are refused, and reachability is then not judged."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.Process("p", (_state("a", initial=True), _state("b", initial=True)), ())
    assert caught.value.problems == ("several states are marked initial: a, b",)


@pytest.mark.parametrize(
    ("build", "problem"),
    [
        (
            lambda: cf.Process("p", "exploring", ()),
            "Process states must be a sequence of State",
        ),
        (
            lambda: cf.Process("p", (_state("a", initial=True), "b"), ()),
            "Process states: 'b' is not a State",
        ),
        (
            lambda: cf.Process("p", (_state("a", initial=True),), 42),
            "Process transitions must be a sequence of Transition",
        ),
        (
            lambda: cf.Process("p", (_state("a", initial=True),), [("a", "a")]),
            "Process transitions: ('a', 'a') is not a Transition",
        ),
        (
            lambda: cf.Process("", (_state("a", initial=True),), ()),
            "Process id '' must be a non-empty string",
        ),
        (
            lambda: cf.Process("p", (_state("a", initial=True),), (), version=""),
            "Process version '' must be a non-empty string",
        ),
    ],
)
def test_a_process_refuses_fields_of_the_wrong_kind(
    build: Callable[[], object], problem: str
) -> None:
    """States and transitions must be sequences of `State` and `Transition`, names non-empty."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        build()
    assert caught.value.problems == (problem,)


def test_a_process_lists_fields_of_the_wrong_kind_all_at_once() -> None:
    """Every problem at once, even when several fields are of the wrong kind."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.Process("", "exploring", 42)
    assert caught.value.problems == (
        "Process id '' must be a non-empty string",
        "Process states must be a sequence of State",
        "Process transitions must be a sequence of Transition",
    )


def test_a_process_refuses_settings_that_are_not_settings() -> None:
    """Settings given as a mapping are an `InvalidProcessError`, not a bare TypeError."""
    with pytest.raises(cf.InvalidProcessError):
        cf.Process(
            "p",
            (_state("a", initial=True),),
            (),
            settings={"entry_threshold": 4.0},  # type: ignore[arg-type]
        )


def test_a_changed_copy_of_a_valid_process_is_validated_again(process: cf.Process) -> None:
    """`attrs.evolve` dropping the dissolved state raises for the transitions that go there."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        attrs.evolve(process, states=process.states[:-1])
    assert caught.value.problems == (
        "transition 'dissolve' goes to unknown state 'dissolved'",
        "transition 'lose_quorum' goes to unknown state 'dissolved'",
    )


# --- Process: a custom process from DESIGN.md ----------------------------------------------------

INTEREST = "evidence-based-policy"
THEMES = (
    cf.Theme("sustainable-city", "Sustainable city", "gemeente", "CO2 emissions", [INTEREST]),
    cf.Theme("healthy-city", "Healthy city", "uni", "residents in good health", [INTEREST]),
)


def _scores(party: str) -> tuple[DataEvent, ...]:
    return tuple(cf.Assessed(party, dimension, 4.0) for dimension in cf.Dimension)


# The facts each forward trigger needs, up to organising.
_TO_ORGANISING: tuple[tuple[tuple[DataEvent, ...], str], ...] = (
    (
        (
            cf.InterestShared(INTEREST, ["gemeente", "uni"]),
            cf.ValueNamed("gemeente", brings="policy questions", gains="evidence"),
            cf.ValueNamed("uni", brings="research", gains="societal impact"),
            cf.DependencyDeclared("gemeente", "uni"),
            cf.DependencyDeclared("uni", "gemeente"),
        ),
        "form_culture",
    ),
    (
        (
            *_scores("gemeente"),
            *_scores("uni"),
            cf.ContributionCommitted("gemeente", "funding", cash=Decimal(100_000)),
            cf.ContributionCommitted("uni", "researchers", in_kind=True),
        ),
        "set_agenda",
    ),
    (
        (
            cf.AgendaProposed(1, THEMES),
            cf.AgendaApproved("gemeente", 1),
            cf.AgendaApproved("uni", 1),
        ),
        "open_signing",
    ),
    (
        (cf.DeclarationSigned("gemeente", "Alderman", 1), cf.DeclarationSigned("uni", "Rector", 1)),
        "organise",
    ),
)


def _with_pilot(process: cf.Process) -> cf.Process:
    pilot = cf.State("pilot", labels={"en": "Pilot", "nl": "Pilotfase"})
    return attrs.evolve(
        process,
        id="with-pilot",
        states=(*process.states, pilot),
        transitions=(
            *process.transitions,
            cf.Transition(
                "start_pilot",
                source="organising",
                dest="pilot",
                guards=(guards.roles_assigned(),),
                labels={"en": "Start the pilot", "nl": "Pilot starten"},
            ),
            cf.Transition(
                "scale_up",
                source="pilot",
                dest="operating",
                guards=(guards.finances_covered(),),
                labels={"en": "Scale up", "nl": "Opschalen"},
            ),
        ),
    )


def test_the_pilot_example_of_design_md_builds_a_valid_process(process: cf.Process) -> None:
    """Adding a pilot state with two transitions gives a process that knows them."""
    mine = _with_pilot(process)
    assert (
        mine.id,
        mine.triggers[-2:],
        mine.label("pilot", locale="nl"),
        mine.label("scale_up"),
    ) == (
        "with-pilot",
        ("start_pilot", "scale_up"),
        "Pilotfase",
        "Scale up",
    )


def test_a_trajectory_runs_through_the_pilot_state(
    process: cf.Process, pair: list[cf.Party]
) -> None:
    """From organising through pilot to operating, each step guarded by its own guard."""
    mine = _with_pilot(process)
    trajectory = cf.Trajectory.start(mine, parties=pair, id="t", at=T0)
    for events, trigger in _TO_ORGANISING:
        for event in events:
            trajectory.record(event, at=T0)
        trajectory.fire(trigger, at=T0)
    trajectory.record(cf.RoleAssigned("programme_manager", "gemeente"), at=T0)
    trajectory.fire("start_pilot", at=T0)
    refused = trajectory.explain("scale_up", at=T0)
    trajectory.record(cf.BudgetSet(Decimal(100_000)), at=T0)
    trajectory.fire("scale_up", at=T0)
    assert (
        refused.failures,
        [record.event for record in trajectory.history[-3:]],
        trajectory.state,
    ) == (
        (cf.Failure(None, "budget_missing"),),
        [cf.Fire("start_pilot"), cf.BudgetSet(Decimal(100_000)), cf.Fire("scale_up")],
        "operating",
    )


# --- Process: reading ---------------------------------------------------------------------------


def test_a_process_knows_its_initial_state(process: cf.Process) -> None:
    """The default process starts exploring."""
    assert process.initial == "exploring"


def test_a_process_gives_a_state_by_its_id(process: cf.Process) -> None:
    """`state(id)` is the `State` with that id."""
    assert process.state("signing") == cf.State(
        "signing",
        {
            "en": "Signing the cooperation declaration",
            "nl": "Ondertekening samenwerkingsverklaring",
        },
    )


def test_a_process_refuses_an_unknown_state_id(process: cf.Process) -> None:
    """An unknown state is an `UnknownNameError` naming it."""
    with pytest.raises(cf.UnknownNameError) as caught:
        process.state("pilot")
    assert (caught.value.kind, caught.value.name) == ("state", "pilot")


def test_a_process_lists_its_manual_triggers_once_each_in_definition_order(
    process: cf.Process,
) -> None:
    """Automatic triggers are not listed; `resume`, with six transitions, is listed once."""
    assert process.triggers == (
        "form_culture",
        "set_agenda",
        "open_signing",
        "organise",
        "start",
        "complete",
        "stall",
        "resume",
        "dissolve",
    )


@pytest.mark.parametrize(
    ("name", "locale", "label"),
    [
        ("building_culture", "en", "Building a cooperation culture"),
        ("building_culture", "nl", "Vorming samenwerkingscultuur"),
        ("set_agenda", "en", "Complete the preliminary phase"),
        ("set_agenda", "nl", "Voortraject afronden"),
        ("lose_quorum", "en", "Too few parties left"),
        ("lose_quorum", "nl", "Te weinig partijen over"),
    ],
)
def test_a_process_labels_states_and_triggers_in_english_and_dutch(
    process: cf.Process, name: str, locale: str, label: str
) -> None:
    """States, manual triggers and automatic triggers have labels in both locales."""
    assert process.label(name, locale=locale) == label


def test_a_process_labels_in_english_by_default(process: cf.Process) -> None:
    """Without a locale, the label is English."""
    assert process.label("stalled") == "Stalled"


def test_a_process_refuses_to_label_an_unknown_name(process: cf.Process) -> None:
    """A name that is neither a state nor a trigger is an `UnknownNameError`."""
    with pytest.raises(cf.UnknownNameError) as caught:
        process.label("pilot")
    assert (caught.value.kind, caught.value.name) == ("state or trigger", "pilot")


def test_a_process_refuses_to_label_in_an_unknown_locale(process: cf.Process) -> None:
    """Only English and Dutch are spoken: another locale is an `UnknownNameError`."""
    with pytest.raises(cf.UnknownNameError) as caught:
        process.label("stalled", locale="de")
    assert (caught.value.kind, caught.value.name) == ("locale", "de")


# --- Process: apply -----------------------------------------------------------------------------


def test_apply_leaves_the_input_snapshot_unchanged(trajectory: cf.Trajectory) -> None:
    """The pure engine returns a new snapshot; the given one and the trajectory stay unchanged."""
    process = trajectory.process
    before = trajectory.snapshot
    copy = attrs.evolve(before)
    result = process.apply(before, cf.Assessed("uni", cf.Dimension.TRUST, 4.0), at=T0)
    assert (before, trajectory.snapshot, len(trajectory.history), result.snapshot.version) == (
        copy,
        copy,
        1,
        1,
    )


def test_apply_refuses_a_naive_time(trajectory: cf.Trajectory) -> None:
    """A datetime without a timezone is ambiguous: `InvalidEventError` on `at`."""
    naive = datetime(2018, 1, 8, 9, 0)
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.process.apply(trajectory.snapshot, cf.Fire("stall"), at=naive)
    assert (caught.value.field, caught.value.value) == ("at", naive)


def test_apply_refuses_a_time_that_is_not_a_datetime(trajectory: cf.Trajectory) -> None:
    """A string is not a time: `InvalidEventError` on `at`."""
    with pytest.raises(cf.InvalidEventError) as caught:
        trajectory.process.apply(trajectory.snapshot, cf.Fire("stall"), at="2018-01-08")  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("at", "2018-01-08")


def test_apply_accepts_a_time_in_any_timezone(trajectory: cf.Trajectory) -> None:
    """An aware time in another zone is kept as given."""
    at = datetime(2018, 1, 8, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    result = trajectory.process.apply(trajectory.snapshot, cf.Fire("stall"), at=at)
    assert result.snapshot.at == at


def test_apply_without_a_time_uses_now_in_utc(trajectory: cf.Trajectory) -> None:
    """The default time is the current time, in UTC."""
    before = datetime.now(UTC)
    result = trajectory.process.apply(trajectory.snapshot, cf.Fire("stall"))
    after = datetime.now(UTC)
    at = result.snapshot.at
    assert at is not None
    assert (before <= at <= after, at.tzinfo) == (True, UTC)


def test_apply_refuses_what_is_not_a_snapshot(process: cf.Process) -> None:
    """The pure engine takes a Snapshot and nothing else."""
    with pytest.raises(cf.InvalidEventError) as error:
        process.apply("exploring", cf.Fire("stall"), at=T0)  # type: ignore[arg-type]
    assert error.value.field == "snapshot"


def test_settings_and_guard_names_must_be_unicode_text() -> None:
    """Role names and guard parameters with a lone surrogate are refused when built."""
    with pytest.raises(cf.InvalidProcessError):
        cf.Settings(required_roles=["\ud800"])
    with pytest.raises(cf.InvalidProcessError):
        guards.came_from("\ud800")
    with pytest.raises(cf.InvalidProcessError):
        guards.roles_assigned(["chair", "\ud800"])
