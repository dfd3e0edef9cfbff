"""Tests of the example process files shipped in the package: they load, real trajectories run."""

import pathlib
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TypeAlias

import pytest

import coopflow as cf
from tests.conftest import T0

FILES = ("default.toml", "declaration-after-office.toml", "pilot.toml")

Fact: TypeAlias = (
    cf.PartyJoined
    | cf.InterestShared
    | cf.ValueNamed
    | cf.DependencyDeclared
    | cf.Assessed
    | cf.ContributionCommitted
    | cf.AgendaProposed
    | cf.AgendaApproved
    | cf.DeclarationSigned
    | cf.RoleAssigned
    | cf.BudgetSet
)

PARTIES = (
    cf.Party("gemeente", name="Gemeente Tilburg", sector=cf.Sector.GOVERNMENT),
    cf.Party("uni", name="Tilburg University", sector=cf.Sector.KNOWLEDGE),
)
IDS = tuple(party.id for party in PARTIES)
GOOD = 4.5


def _scores(*dimensions: cf.Dimension) -> tuple[Fact, ...]:
    return tuple(cf.Assessed(party, d, GOOD) for party in IDS for d in dimensions)


# The facts that make each guard kind of the forward paths hold for the two parties.
FACTS: dict[str, tuple[Fact, ...]] = {
    "common_ground": (
        cf.InterestShared("evidence-based-policy", parties=IDS),
        cf.ValueNamed("gemeente", "policy questions", "knowledge"),
        cf.ValueNamed("uni", "research", "societal impact"),
        cf.DependencyDeclared("gemeente", "uni", need="research"),
        cf.DependencyDeclared("uni", "gemeente", need="access to the city"),
    ),
    "trust": _scores(cf.Dimension.TRUST),
    "reciprocity": (
        cf.ContributionCommitted("gemeente", "data access", in_kind=True),
        cf.ContributionCommitted("uni", "researcher hours", in_kind=True),
    ),
    "equal_standing": _scores(cf.Dimension.VOICE),
    "energy": _scores(cf.Dimension.STAKE, cf.Dimension.URGENCY, cf.Dimension.IMPACT),
    "agenda_approved": (
        cf.AgendaProposed(
            1,
            [
                cf.Theme(
                    "evidence",
                    "Evidence-based policy",
                    "gemeente",
                    "studies used in policy",
                    ["evidence-based-policy"],
                )
            ],
        ),
        cf.AgendaApproved("gemeente", 1),
        cf.AgendaApproved("uni", 1),
    ),
    "declaration_signed": (
        cf.DeclarationSigned("gemeente", "the alderman", 1, role="wethouder"),
        cf.DeclarationSigned("uni", "the rector", 1, role="rector magnificus"),
    ),
    "roles_assigned": (cf.RoleAssigned("programme_manager", "uni", person="a researcher"),),
    "finances_covered": (
        cf.BudgetSet(Decimal("200000")),
        cf.ContributionCommitted("gemeente", "programme budget", cash=Decimal("120000")),
        cf.ContributionCommitted("uni", "co-funding", cash=Decimal("80000")),
    ),
}

FORWARD = {
    "default.toml": ("form_culture", "set_agenda", "open_signing", "organise", "start"),
    "declaration-after-office.toml": (
        "form_culture",
        "set_agenda",
        "organise",
        "open_signing",
        "start",
    ),
    "pilot.toml": (
        "form_culture",
        "set_agenda",
        "open_signing",
        "organise",
        "start_pilot",
        "scale_up",
    ),
}


class Driver:
    """Runs a trajectory of a process, recording the facts each guard needs before a trigger."""

    def __init__(self, process: cf.Process) -> None:
        self.process = process
        self.clock = T0
        self.trajectory = cf.Trajectory.start(process, parties=PARTIES, title="Tilburg", at=T0)

    def tick(self) -> datetime:
        """The time of the next event: an hour after the last one."""
        self.clock += timedelta(hours=1)
        return self.clock

    def record(self, fact: Fact) -> cf.Applied:
        """Record one fact at the next tick."""
        return self.trajectory.record(fact, at=self.tick())

    def prepare(self, trigger: str) -> None:
        """Record the facts every guard of `trigger` in the current state needs."""
        state = self.trajectory.state
        transition = next(
            t
            for t in self.process.transitions
            if t.trigger == trigger and not t.automatic and state in t.source
        )
        for guard in transition.guards:
            for fact in FACTS[guard.kind]:
                self.record(fact)

    def take(self, *triggers: str) -> None:
        """Prepare and fire each trigger in turn."""
        for trigger in triggers:
            self.prepare(trigger)
            self.trajectory.fire(trigger, at=self.tick())

    def visited(self) -> list[str]:
        """The states the trajectory went through, from the initial one."""
        states = [self.process.initial]
        for record in self.trajectory.history:
            states.extend(transition.dest for transition in record.transitions)
        return states


def _load(name: str) -> cf.Process:
    return cf.Process.from_file(cf.example_file(name.removesuffix(".toml")))


def test_default_toml_is_the_default_process() -> None:
    """The shipped default.toml loads to exactly `cf.default_process()`, fingerprint included."""
    process = _load("default.toml")
    assert process == cf.default_process()
    assert process.fingerprint == cf.default_process().fingerprint


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "default.toml",
            (
                "coopflow-default",
                "exploring",
                [
                    "exploring",
                    "building_culture",
                    "agenda_setting",
                    "signing",
                    "organising",
                    "operating",
                    "stalled",
                    "completed",
                    "dissolved",
                ],
            ),
        ),
        (
            "declaration-after-office.toml",
            (
                "declaration-after-office",
                "exploring",
                [
                    "exploring",
                    "building_culture",
                    "agenda_setting",
                    "organising",
                    "signing",
                    "operating",
                    "stalled",
                    "completed",
                    "dissolved",
                ],
            ),
        ),
        (
            "pilot.toml",
            (
                "pilot",
                "exploring",
                [
                    "exploring",
                    "building_culture",
                    "agenda_setting",
                    "signing",
                    "organising",
                    "pilot",
                    "operating",
                    "stalled",
                    "completed",
                    "dissolved",
                ],
            ),
        ),
    ],
)
def test_each_example_has_its_id_and_states(
    name: str, expected: tuple[str, str, list[str]]
) -> None:
    """Each file has its own id, starts exploring and lists its states in order."""
    process = _load(name)
    assert (process.id, process.initial, [s.id for s in process.states]) == expected


def test_every_example_is_its_own_definition() -> None:
    """Every shipped example (files added later too) has its own id and fingerprint."""
    processes = [cf.Process.from_file(cf.example_file(name)) for name in cf.example_names()]
    assert (
        len({p.id for p in processes})
        == len({p.fingerprint for p in processes})
        == len(cf.example_names())
    )


def test_the_pilot_has_its_own_settings_and_labels() -> None:
    """The pilot variant sets stricter thresholds, an age limit and labels the pilot en/nl."""
    process = _load("pilot.toml")
    settings = process.settings
    assert (
        settings.entry_threshold,
        settings.regression_threshold,
        settings.max_score_age,
    ) == (4.0, 2.5, timedelta(days=180))
    assert (process.label("pilot"), process.label("pilot", locale="nl")) == ("Pilot", "Pilotfase")
    assert process.label("scale_up", locale="nl") == "Opschalen"


@pytest.mark.parametrize("name", FILES)
def test_a_trajectory_runs_from_exploring_to_operating(name: str) -> None:
    """Public events and manual triggers take a trajectory of each file to operating."""
    driver = Driver(_load(name))
    driver.take(*FORWARD[name])
    assert driver.trajectory.state == "operating"
    assert len(driver.visited()) == len(FORWARD[name]) + 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "default.toml",
            [
                "exploring",
                "building_culture",
                "agenda_setting",
                "signing",
                "organising",
                "operating",
            ],
        ),
        (
            "declaration-after-office.toml",
            [
                "exploring",
                "building_culture",
                "agenda_setting",
                "organising",
                "signing",
                "operating",
            ],
        ),
        (
            "pilot.toml",
            [
                "exploring",
                "building_culture",
                "agenda_setting",
                "signing",
                "organising",
                "pilot",
                "operating",
            ],
        ),
    ],
)
def test_the_forward_path_passes_the_states_of_each_file(name: str, expected: list[str]) -> None:
    """The trajectory of each file passes its states in its order, with no regression."""
    driver = Driver(_load(name))
    driver.take(*FORWARD[name])
    assert driver.visited() == expected


def test_after_office_signing_comes_after_organising() -> None:
    """In the variant the office is set up first: signing opens only once roles and money are in."""
    driver = Driver(_load("declaration-after-office.toml"))
    driver.take("form_culture", "set_agenda", "organise")
    assert driver.trajectory.state == "organising"
    refused = driver.trajectory.explain("open_signing", at=driver.tick())
    assert [r.guard for r in refused.results if not r.passed] == [
        "roles_assigned",
        "finances_covered",
    ]
    driver.take("open_signing")
    assert driver.trajectory.state == "signing"
    start = driver.trajectory.explain("start", at=driver.tick())
    assert [r.guard for r in start.results] == ["declaration_signed"]


def test_after_office_a_newcomer_sends_implementation_back_to_the_office() -> None:
    """A party joining a running programme voids the declaration and, lacking a role, reopens
    the programme office."""
    driver = Driver(_load("declaration-after-office.toml"))
    driver.take(*FORWARD["declaration-after-office.toml"])
    applied = driver.record(cf.PartyJoined(cf.Party("fontys", name="Fontys")))
    assert [(t.trigger, t.source, t.dest) for t in applied.transitions] == [
        ("void_declaration", "operating", "signing"),
        ("reorganise", "signing", "organising"),
    ]


def test_the_pilot_is_passed_between_organising_and_operating() -> None:
    """In the pilot variant, start_pilot enters the pilot and scale_up leaves it for operating."""
    driver = Driver(_load("pilot.toml"))
    driver.take(*FORWARD["pilot.toml"][:-1])
    assert driver.trajectory.state == "pilot"
    applied = driver.trajectory.fire("scale_up", at=driver.tick())
    assert [(t.trigger, t.source, t.dest) for t in applied.transitions] == [
        ("scale_up", "pilot", "operating"),
    ]


def test_the_pilot_refuses_to_scale_up_on_a_trust_of_3_8() -> None:
    """A trust of 3.8 is borderline, moves nothing, and is refused at scale_up (threshold 4.0)."""
    driver = Driver(_load("pilot.toml"))
    driver.take(*FORWARD["pilot.toml"][:-1])
    driver.prepare("scale_up")
    applied = driver.record(cf.Assessed("uni", cf.Dimension.TRUST, 3.8))
    assert (applied.transitions, driver.trajectory.state) == ((), "pilot")
    with pytest.raises(cf.TransitionRefused) as refused:
        driver.trajectory.fire("scale_up", at=driver.tick())
    failures = refused.value.explanation.failures
    assert [(f.party, f.key, f.params["score"], f.params["threshold"]) for f in failures] == [
        ("uni", "score_below", 3.8, 4.0)
    ]
    assert driver.trajectory.state == "pilot"


@pytest.mark.parametrize("suffix", [".json", ".toml"])
@pytest.mark.parametrize("name", [f"{name}.toml" for name in cf.example_names()])
def test_each_example_round_trips_through_a_file(
    name: str, suffix: str, tmp_path: pathlib.Path
) -> None:
    """Writing a loaded example to .json or .toml and loading it again gives an equal process."""
    process = _load(name)
    path = tmp_path / f"copy{suffix}"
    process.to_file(path)
    again = cf.Process.from_file(path)
    assert (again, again.fingerprint) == (process, process.fingerprint)
