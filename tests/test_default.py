"""Tests of `coopflow._default`: the default process is the one PROCESS.md specifies."""

from decimal import Decimal

import pytest

import coopflow as cf
from coopflow import guards
from coopflow.guards import Guard
from tests.conftest import T0

ACTIVE = ("exploring", "building_culture", "agenda_setting", "signing", "organising", "operating")


def _transitions(process: cf.Process, trigger: str) -> list[cf.Transition]:
    return [t for t in process.transitions if t.trigger == trigger]


def test_the_default_process_has_the_nine_states_with_their_labels(process: cf.Process) -> None:
    """The states of PROCESS.md, in its order, with its English and Dutch labels."""
    assert [(s.id, s.labels["en"], s.labels["nl"]) for s in process.states] == [
        ("exploring", "Exploration", "Verkenning"),
        ("building_culture", "Building a cooperation culture", "Vorming samenwerkingscultuur"),
        (
            "agenda_setting",
            "Drafting the cooperation agenda",
            "Opstellen samenwerkingsagenda en programma",
        ),
        ("signing", "Signing the cooperation declaration", "Ondertekening samenwerkingsverklaring"),
        ("organising", "Setting up the programme office", "Inrichting programmabureau"),
        ("operating", "Implementation", "Uitvoering"),
        ("stalled", "Stalled", "Stilgevallen"),
        ("completed", "Completed", "Afgerond"),
        ("dissolved", "Dissolved", "Beëindigd"),
    ]


def test_the_default_process_starts_exploring(process: cf.Process) -> None:
    """Exploring is the one initial state."""
    assert [s.id for s in process.states if s.initial] == ["exploring"]


def test_the_default_process_ends_completed_or_dissolved(process: cf.Process) -> None:
    """Completed and dissolved are the terminal states."""
    assert [s.id for s in process.states if s.terminal] == ["completed", "dissolved"]


def test_every_trigger_has_an_english_and_a_dutch_label(process: cf.Process) -> None:
    """Manual and automatic triggers alike are labelled in both locales (invariant 9)."""
    unlabelled = [
        (t.trigger, locale)
        for t in process.transitions
        for locale in ("en", "nl")
        if not process.label(t.trigger, locale=locale).strip()
    ]
    assert unlabelled == []


@pytest.mark.parametrize(
    ("trigger", "source", "dest", "kinds"),
    [
        ("form_culture", "exploring", "building_culture", ("common_ground",)),
        (
            "set_agenda",
            "building_culture",
            "agenda_setting",
            ("trust", "reciprocity", "equal_standing", "energy"),
        ),
        ("open_signing", "agenda_setting", "signing", ("agenda_approved",)),
        ("organise", "signing", "organising", ("declaration_signed",)),
        ("start", "organising", "operating", ("roles_assigned", "finances_covered")),
        ("complete", "operating", "completed", ("completion",)),
    ],
)
def test_each_forward_transition_has_the_guards_of_the_table(
    process: cf.Process, trigger: str, source: str, dest: str, kinds: tuple[str, ...]
) -> None:
    """A forward trigger goes from its state to the next, guarded by the guards of PROCESS.md."""
    assert [
        (t.source, t.dest, tuple(g.kind for g in t.guards), t.automatic)
        for t in _transitions(process, trigger)
    ] == [((source,), dest, kinds, False)]


def test_stall_leaves_every_active_state_without_a_guard(process: cf.Process) -> None:
    """Any active state can be paused, unconditionally."""
    assert [
        (set(t.source), t.dest, t.guards, t.automatic) for t in _transitions(process, "stall")
    ] == [(set(ACTIVE), "stalled", (), False)]


def test_dissolve_leaves_every_non_terminal_state_without_a_guard(process: cf.Process) -> None:
    """Any non-terminal state can be dissolved, unconditionally."""
    assert [
        (set(t.source), t.dest, t.guards, t.automatic) for t in _transitions(process, "dissolve")
    ] == [({*ACTIVE, "stalled"}, "dissolved", (), False)]


def test_the_automatic_regressions_come_in_their_order(process: cf.Process) -> None:
    """Trigger, condition, sources and destination of each regression, in priority order."""
    assert [
        (t.trigger, t.guards, set(t.source), t.dest, t.voids_declaration)
        for t in process.transitions
        if t.automatic
    ] == [
        ("lose_quorum", (guards.quorum_lost(),), {*ACTIVE, "stalled"}, "dissolved", False),
        (
            "void_declaration",
            (guards.declaration_incomplete(),),
            {"organising", "operating"},
            "signing",
            False,
        ),
        (
            "breach_culture",
            (guards.culture_breached(),),
            {"agenda_setting", "signing"},
            "building_culture",
            True,
        ),
        (
            "breach_culture",
            (guards.culture_breached(),),
            {"organising", "operating"},
            "stalled",
            False,
        ),
        ("lose_energy", (guards.energy_lost(),), set(ACTIVE[1:]), "stalled", False),
        ("lose_funding", (guards.funding_lost(),), {"operating"}, "organising", False),
    ]


def _nots(*conditions: Guard) -> tuple[Guard, ...]:
    return tuple(guards.not_(condition) for condition in conditions)


def test_resume_has_one_transition_per_active_state_selected_by_came_from(
    process: cf.Process,
) -> None:
    """Resume returns to the remembered state: its entry guards, and none of its regressions."""
    assert {t.dest: (t.source, t.guards, t.automatic) for t in _transitions(process, "resume")} == {
        "exploring": (
            ("stalled",),
            (guards.came_from("exploring"), *_nots(guards.quorum_lost())),
            False,
        ),
        "building_culture": (
            ("stalled",),
            (
                guards.came_from("building_culture"),
                guards.common_ground(),
                *_nots(guards.quorum_lost(), guards.energy_lost()),
            ),
            False,
        ),
        "agenda_setting": (
            ("stalled",),
            (
                guards.came_from("agenda_setting"),
                guards.trust(),
                guards.reciprocity(),
                guards.equal_standing(),
                guards.energy(),
                *_nots(guards.quorum_lost(), guards.culture_breached(), guards.energy_lost()),
            ),
            False,
        ),
        "signing": (
            ("stalled",),
            (
                guards.came_from("signing"),
                guards.agenda_approved(),
                *_nots(guards.quorum_lost(), guards.culture_breached(), guards.energy_lost()),
            ),
            False,
        ),
        "organising": (
            ("stalled",),
            (
                guards.came_from("organising"),
                guards.declaration_signed(),
                *_nots(
                    guards.quorum_lost(),
                    guards.declaration_incomplete(),
                    guards.culture_breached(),
                    guards.energy_lost(),
                ),
            ),
            False,
        ),
        "operating": (
            ("stalled",),
            (
                guards.came_from("operating"),
                guards.roles_assigned(),
                guards.finances_covered(),
                *_nots(
                    guards.quorum_lost(),
                    guards.declaration_incomplete(),
                    guards.culture_breached(),
                    guards.energy_lost(),
                    guards.funding_lost(),
                ),
            ),
            False,
        ),
    }


def test_the_default_process_has_no_other_transitions(process: cf.Process) -> None:
    """Six forward, stall, six resumes, dissolve and six regressions: nothing else."""
    assert [t.trigger for t in process.transitions] == [
        "form_culture",
        "set_agenda",
        "open_signing",
        "organise",
        "start",
        "complete",
        "stall",
        *["resume"] * 6,
        "dissolve",
        "lose_quorum",
        "void_declaration",
        "breach_culture",
        "breach_culture",
        "lose_energy",
        "lose_funding",
    ]


def test_the_default_process_uses_the_default_settings(process: cf.Process) -> None:
    """Without settings, the process has the settings of PROCESS.md."""
    assert process.settings == cf.Settings()


def test_default_process_is_shared_for_equal_settings() -> None:
    """Equal settings give the very same process object."""
    custom = cf.default_process(settings=cf.Settings(entry_threshold=4.0))
    assert (
        cf.default_process() is cf.default_process(settings=cf.Settings()),
        custom is cf.default_process(settings=cf.Settings(entry_threshold=4.0)),
    ) == (True, True)


def test_default_process_differs_for_other_settings(process: cf.Process) -> None:
    """Other settings give another process, with those settings."""
    settings = cf.Settings(entry_threshold=4.0)
    custom = cf.default_process(settings=settings)
    assert (custom is process, custom == process, custom.settings) == (False, False, settings)


def _trust_check(process: cf.Process, pair: list[cf.Party], trust: float) -> cf.Explanation:
    """Explain set_agenda where every guard holds except, perhaps, trust."""
    t = cf.Trajectory.start(process, parties=pair, id="t", at=T0)
    for event in (
        cf.InterestShared("evidence", ["gemeente", "uni"]),
        cf.ValueNamed("gemeente", brings="questions", gains="evidence"),
        cf.ValueNamed("uni", brings="research", gains="impact"),
        cf.DependencyDeclared("gemeente", "uni"),
        cf.DependencyDeclared("uni", "gemeente"),
    ):
        t.record(event, at=T0)
    t.fire("form_culture", at=T0)
    for party in ("gemeente", "uni"):
        for dimension in cf.Dimension:
            score = trust if dimension is cf.Dimension.TRUST and party == "uni" else 4.0
            t.record(cf.Assessed(party, dimension, score), at=T0)
        t.record(cf.ContributionCommitted(party, "staff", in_kind=True), at=T0)
    return t.explain("set_agenda", at=T0)


def test_a_custom_entry_threshold_makes_a_trust_of_3_8_insufficient(
    pair: list[cf.Party],
) -> None:
    """With entry_threshold 4.0, a trust of 3.8 blocks set_agenda, naming the threshold."""
    custom = cf.default_process(settings=cf.Settings(entry_threshold=4.0))
    explanation = _trust_check(custom, pair, 3.8)
    assert (explanation.allowed, explanation.failures) == (
        False,
        (
            cf.Failure(
                "uni",
                "score_below",
                {
                    "name": "Tilburg University",
                    "dimension": "trust",
                    "score": 3.8,
                    "threshold": 4.0,
                },
            ),
        ),
    )


def test_the_default_entry_threshold_accepts_a_trust_of_3_8(
    process: cf.Process, pair: list[cf.Party]
) -> None:
    """With the default entry threshold 3.5, the same trust of 3.8 is enough."""
    assert _trust_check(process, pair, 3.8).allowed is True


def test_custom_required_roles_are_the_ones_the_office_needs(pair: list[cf.Party]) -> None:
    """With required_roles ("secretary",), the roles_assigned guard of start asks for it."""
    words = cf.Vocabulary(roles={"secretary": {"en": "secretary", "nl": "secretaris"}})
    custom = cf.default_process(
        settings=cf.Settings(required_roles=["secretary"]), vocabulary=words
    )
    start = _transitions(custom, "start")[0]
    snapshot = cf.Snapshot(
        "organising",
        tuple(pair),
        cf.Registers(
            roles=(
                cf.RoleAssigned("programme_manager", "gemeente"),
                cf.RoleAssigned("treasurer", "uni"),
            ),
            budget=Decimal(10),
        ),
    )
    results = [g(snapshot, custom.settings, T0) for g in start.guards]
    assert results[0] == cf.GuardResult(
        "roles_assigned", False, (cf.Failure(None, "role_missing", {"role": "secretary"}),)
    )
