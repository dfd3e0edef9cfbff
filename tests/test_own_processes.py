"""Tests of the processes written in their own words: Collective Impact and the partnering cycle.

Both shipped examples (`cf.example_file`) declare their own vocabulary. They load, pass `check`, run
through their happy path on the real engine with public events only, move back when a condition
breaks, refuse in English and Dutch from their labels, and round-trip through files.
"""

import pathlib
import re
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

import pytest

import coopflow as cf
from tests.conftest import T0

EXAMPLES = cf.example_file("default").parent
COLLECTIVE_IMPACT = "collective-impact.toml"
PARTNERING_CYCLE = "partnering-cycle.toml"
FILES = (COLLECTIVE_IMPACT, PARTNERING_CYCLE)

BACKBONE = cf.Party(
    "stichting-samen",
    name="Stichting Samen Sterk",
    sector=cf.Sector.CIVIL_SOCIETY,
    tags={"backbone"},
)
GEMEENTE = cf.Party("gemeente", name="Gemeente Tilburg", sector=cf.Sector.GOVERNMENT)
HOGESCHOOL = cf.Party("avans", name="Avans Hogeschool", sector=cf.Sector.KNOWLEDGE)
BEDRIJF = cf.Party("bouwbedrijf", name="Bouwbedrijf De Hoeksteen", sector=cf.Sector.BUSINESS)

PARTIES = {
    COLLECTIVE_IMPACT: (BACKBONE, GEMEENTE, HOGESCHOOL),
    PARTNERING_CYCLE: (GEMEENTE, HOGESCHOOL, BEDRIJF),
}
GOOD = 4.5

Event = cf.Assessed | cf.FactRecorded


def _scores(parties: Sequence[cf.Party], *dimensions: str, score: float = GOOD) -> list[Event]:
    return [
        cf.Assessed(party.id, dimension, score) for party in parties for dimension in dimensions
    ]


def _facts(parties: Sequence[cf.Party], fact: str) -> list[Event]:
    return [cf.FactRecorded(fact, party=party.id) for party in parties]


def _collective_impact_steps() -> list[tuple[str, list[Event]]]:
    parties = PARTIES[COLLECTIVE_IMPACT]
    return [
        (
            "initiate",
            [
                cf.FactRecorded("champion", note="the mayor chairs the steering group"),
                cf.FactRecorded("start_funding"),
                *_scores(parties, "urgency"),
            ],
        ),
        (
            "organise",
            [
                cf.FactRecorded("common_agenda"),
                *_scores(parties, "agenda_commitment"),
                cf.FactRecorded("shared_indicators"),
                cf.FactRecorded("backbone_staffed", party=BACKBONE.id),
            ],
        ),
        (
            "sustain",
            [
                *_facts(parties, "data_sharing"),
                cf.FactRecorded("action_plan"),
                *_scores(parties, "reinforcing_activities", "communication"),
                cf.Assessed(BACKBONE.id, "backbone_support", GOOD),
            ],
        ),
        ("conclude", [cf.FactRecorded("targets_met")]),
    ]


def _partnering_cycle_steps() -> list[tuple[str, list[Event]]]:
    parties = PARTIES[PARTNERING_CYCLE]
    return [
        (
            "start_managing",
            [
                *_facts(parties, "partnering_agreement"),
                *_facts(parties, "resources_committed"),
                *_scores(parties, "equity", "transparency", "mutual_benefit"),
            ],
        ),
        ("review", [cf.FactRecorded("health_check")]),
        ("revise", [cf.FactRecorded("agreement_revised")]),
        ("review", []),
        ("sustain", [cf.FactRecorded("moving_on_plan")]),
        ("move_on", [cf.FactRecorded("outcomes_secured")]),
    ]


STEPS = {COLLECTIVE_IMPACT: _collective_impact_steps, PARTNERING_CYCLE: _partnering_cycle_steps}
SUCCESS = {COLLECTIVE_IMPACT: "impact_achieved", PARTNERING_CYCLE: "moved_on"}


def _load(name: str) -> cf.Process:
    return cf.Process.from_file(EXAMPLES / name)


class Run:
    """A trajectory of one of the files, with a clock that ticks an hour per event."""

    def __init__(self, name: str, parties: Sequence[cf.Party] | None = None) -> None:
        self.process = _load(name)
        self.clock = T0
        self.trajectory = cf.Trajectory.start(
            self.process, parties=PARTIES[name] if parties is None else parties, at=T0
        )

    def tick(self) -> datetime:
        """The time of the next event."""
        self.clock += timedelta(hours=1)
        return self.clock

    def record(self, *events: Event) -> cf.Applied:
        """Record the events in turn; the result of the last."""
        results = [self.trajectory.record(event, at=self.tick()) for event in events]
        return results[-1]

    def fire(self, trigger: str) -> cf.Applied:
        """Fire a trigger at the next tick."""
        return self.trajectory.fire(trigger, at=self.tick())

    def take(self, steps: Sequence[tuple[str, list[Event]]]) -> None:
        """Record each step's events and fire its trigger."""
        for trigger, events in steps:
            if events:
                self.record(*events)
            self.fire(trigger)

    def visited(self) -> list[str]:
        """The states the trajectory went through, from the initial one."""
        states = [self.process.initial]
        for record in self.trajectory.history:
            states.extend(transition.dest for transition in record.transitions)
        return states


def _sustaining(name: str = COLLECTIVE_IMPACT) -> Run:
    run = Run(name)
    run.take(STEPS[name]()[:3])
    return run


# --- loading -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "dimensions", "facts", "tags"),
    [
        (
            COLLECTIVE_IMPACT,
            {"agenda_commitment", "reinforcing_activities", "communication", "backbone_support"},
            {
                "champion",
                "start_funding",
                "common_agenda",
                "shared_indicators",
                "data_sharing",
                "action_plan",
                "backbone_staffed",
                "targets_met",
            },
            {"backbone"},
        ),
        (
            PARTNERING_CYCLE,
            {"equity", "transparency", "mutual_benefit"},
            {
                "partnering_agreement",
                "resources_committed",
                "health_check",
                "agreement_revised",
                "moving_on_plan",
                "outcomes_secured",
            },
            set(),
        ),
    ],
)
def test_each_file_declares_its_own_words(
    name: str, dimensions: set[str], facts: set[str], tags: set[str]
) -> None:
    """Every condition of the model is a word of the file's vocabulary, labelled en and nl."""
    vocabulary = _load(name).vocabulary
    seed = set(cf.default_process().vocabulary.dimensions)
    assert set(vocabulary.dimensions) - seed == dimensions
    assert set(vocabulary.facts) == facts
    assert set(vocabulary.tags) == tags
    own = [vocabulary.dimensions[id] for id in dimensions] + [vocabulary.tags[id] for id in tags]
    for labels in own:
        assert labels["en"] != labels["nl"]
    for fact in vocabulary.facts.values():
        assert fact.labels["en"] != fact.labels["nl"]


def test_per_party_facts_are_the_ones_each_partner_signs() -> None:
    """Agreements every partner signs are per party; decisions of the whole are not."""
    ci = _load(COLLECTIVE_IMPACT).vocabulary.facts
    tpi = _load(PARTNERING_CYCLE).vocabulary.facts
    assert {id for id, fact in ci.items() if fact.per_party} == {"data_sharing", "backbone_staffed"}
    assert {id for id, fact in tpi.items() if fact.per_party} == {
        "partnering_agreement",
        "resources_committed",
    }


@pytest.mark.parametrize("name", FILES)
def test_each_file_declares_one_success_state(name: str) -> None:
    """Exactly one terminal state is a success; the other terminal state is not."""
    process = _load(name)
    assert [s.id for s in process.states if s.success] == [SUCCESS[name]]
    assert len([s for s in process.states if s.terminal and not s.success]) == 1


def _guard_kinds(guards: Sequence[cf.guards.Guard]) -> Iterator[str]:
    for guard in guards:
        yield guard.kind
        yield from _guard_kinds(getattr(guard, "guards", ()))


@pytest.mark.parametrize("name", FILES)
def test_no_seed_guard_stands_in_for_a_condition(name: str) -> None:
    """Only the generic guards, `any_of` and the quorum condition appear: no stand-ins."""
    process = _load(name)
    kinds = {kind for t in process.transitions for kind in _guard_kinds(t.guards)}
    assert kinds <= {"score", "mean_score", "fact", "score_below", "fact_revoked", "any_of"} | {
        "quorum_lost"
    }


# --- check -------------------------------------------------------------------------------------


def test_partnering_cycle_checks_and_its_paths_replay() -> None:
    """`check` finds nothing wrong, reaches everything, and every path replays on the engine."""
    process = _load(PARTNERING_CYCLE)
    report = cf.check(process)
    assert report.violations == ()
    assert (report.state_coverage, report.transition_coverage) == (1.0, 1.0)
    for state, path in report.paths.items():
        assert path.replay(process).state == state
    for path in report.cover:
        path.replay(process)


def test_collective_impact_checks() -> None:
    """`check` finds nothing wrong in the process as written, tag selectors included, and its
    paths replay: the witnesses bring a backbone organisation in."""
    process = _load(COLLECTIVE_IMPACT)
    report = cf.check(process)
    assert report.violations == ()
    assert (report.state_coverage, report.transition_coverage) == (1.0, 1.0)
    for state, path in report.paths.items():
        assert path.replay(process).state == state
    for path in report.cover:
        path.replay(process)


def test_collective_impact_checks_with_the_backbone_named_by_id(tmp_path: pathlib.Path) -> None:
    """With the backbone addressed by its id instead of its tag, `check` finds nothing wrong,
    and its paths replay (for the replay's own two parties ``party-a`` and ``party-b``)."""
    text = (EXAMPLES / COLLECTIVE_IMPACT).read_text(encoding="utf-8")
    by_id = text.replace('parties = { tag = "backbone" }', 'parties = ["party-a"]')
    assert by_id.count('parties = ["party-a"]') == 4
    path = tmp_path / "by-id.toml"
    path.write_text(by_id, encoding="utf-8")
    process = cf.Process.from_file(path)
    report = cf.check(process)
    assert report.violations == ()
    assert (report.state_coverage, report.transition_coverage) == (1.0, 1.0)
    for state, replayed in report.paths.items():
        assert replayed.replay(process).state == state
    for replayed in report.cover:
        replayed.replay(process)


# --- happy paths ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_happy_path_reaches_the_success_state(name: str) -> None:
    """Public events and manual triggers only take a trajectory to the success state."""
    run = Run(name)
    run.take(STEPS[name]())
    assert run.trajectory.state == SUCCESS[name]
    assert run.process.state(run.trajectory.state).success
    assert all(not t.automatic for r in run.trajectory.history for t in r.transitions)


def test_collective_impact_visits_its_phases_in_order() -> None:
    """Readiness, initiating action, organising for impact, sustaining impact, impact achieved."""
    run = Run(COLLECTIVE_IMPACT)
    run.take(_collective_impact_steps())
    assert run.visited() == [
        "assessing_readiness",
        "initiating_action",
        "organising_for_impact",
        "sustaining_impact",
        "impact_achieved",
    ]


def test_partnering_cycle_goes_round_the_review_loop() -> None:
    """Reviewing and revising leads back to managing, and on to sustaining the outcomes."""
    run = Run(PARTNERING_CYCLE)
    run.take(_partnering_cycle_steps())
    assert run.visited() == [
        "scoping_and_building",
        "managing_and_maintaining",
        "reviewing_and_revising",
        "managing_and_maintaining",
        "reviewing_and_revising",
        "sustaining_outcomes",
        "moved_on",
    ]


@pytest.mark.parametrize("name", FILES)
def test_each_step_needs_all_its_events(name: str) -> None:
    """Leaving out any one event of a step makes its trigger refused."""
    steps = STEPS[name]()
    for index, (trigger, events) in enumerate(steps):
        for left_out in range(len(events)):
            run = Run(name)
            run.take(steps[:index])
            kept = [event for i, event in enumerate(events) if i != left_out]
            if kept:
                run.record(*kept)
            assert not run.trajectory.can(trigger, at=run.tick()), (trigger, events[left_out])


def test_the_backbone_requirements_are_about_the_backbone_only() -> None:
    """The backbone's staff and support are required of the party tagged backbone, not of others;
    without a backbone organisation the initiative cannot organise."""
    steps = _collective_impact_steps()
    run = Run(COLLECTIVE_IMPACT, parties=(GEMEENTE, HOGESCHOOL))
    for _, events in steps[:2]:
        run.record(*[event for event in events if event.party != BACKBONE.id])
    run.fire("initiate")
    explanation = run.trajectory.explain("organise", at=run.tick())
    assert [f.message("en") for f in explanation.failures] == [
        "none of the parties is marked as backbone organisation"
    ]
    assert [f.message("nl") for f in explanation.failures] == [
        "geen van de partijen is aangemerkt als backbone-organisatie"
    ]
    run = _sustaining()
    assert run.trajectory.state == "sustaining_impact"
    assert run.trajectory.snapshot.score(GEMEENTE.id, "backbone_support") is None


# --- regressions -------------------------------------------------------------------------------


def test_a_drop_in_backbone_support_moves_back_to_organising() -> None:
    """The backbone's support score under 3.0 fires the regression, with the finding in the log."""
    run = _sustaining()
    applied = run.record(cf.Assessed(BACKBONE.id, "backbone_support", 2.5))
    assert run.trajectory.state == "organising_for_impact"
    (transition,) = applied.transitions
    assert (transition.trigger, transition.automatic) == ("weaken_backbone", True)
    (finding,) = transition.results[0].failures
    assert finding.message("en") == (
        "Stichting Samen Sterk: the score for support by the backbone organisation is 2.5; "
        "at least 3.0 is needed"
    )
    assert finding.message("nl") == (
        "Stichting Samen Sterk: de score voor ondersteuning door de backbone-organisatie is 2,5; "
        "nodig is minstens 3,0"
    )


def test_backbone_support_drops_elsewhere_move_nothing() -> None:
    """A borderline backbone score, or a low one given to a party that is not the backbone,
    leaves the trajectory where it is (hysteresis, and the tag selects)."""
    run = _sustaining()
    assert run.record(cf.Assessed(BACKBONE.id, "backbone_support", 3.2)).transitions == ()
    assert run.record(cf.Assessed(GEMEENTE.id, "backbone_support", 1.0)).transitions == ()
    assert run.trajectory.state == "sustaining_impact"


def test_a_borderline_backbone_score_is_listed() -> None:
    """A backbone score between 3.0 and 3.5 is listed as borderline, by its label."""
    run = _sustaining()
    run.record(cf.Assessed(BACKBONE.id, "backbone_support", 3.2))
    (failure,) = run.trajectory.borderline(at=run.tick())
    assert failure.party == BACKBONE.id
    assert "support by the backbone organisation" in failure.message("en")


@pytest.mark.parametrize(
    ("events", "trigger", "dest"),
    [
        ([cf.FactRecorded("common_agenda", holds=False)], "lose_agenda", "initiating_action"),
        (
            [cf.FactRecorded("backbone_staffed", party=BACKBONE.id, holds=False)],
            "lose_backbone",
            "initiating_action",
        ),
        (
            [cf.FactRecorded("data_sharing", party=HOGESCHOOL.id, holds=False)],
            "lose_measurement",
            "organising_for_impact",
        ),
        (
            [cf.Assessed(GEMEENTE.id, "communication", 2.0)],
            "lose_alignment",
            "organising_for_impact",
        ),
        (
            [cf.Assessed(HOGESCHOOL.id, "reinforcing_activities", 2.9)],
            "lose_alignment",
            "organising_for_impact",
        ),
        ([cf.PartyLeft(GEMEENTE.id), cf.PartyLeft(HOGESCHOOL.id)], "lose_quorum", "ended"),
    ],
)
def test_collective_impact_regressions(
    events: list[Event | cf.PartyLeft], trigger: str, dest: str
) -> None:
    """Each broken condition moves a sustaining initiative back, by its own regression."""
    run = _sustaining()
    applied = [run.trajectory.record(event, at=run.tick()) for event in events]
    assert run.trajectory.state == dest
    assert [t.trigger for t in applied[-1].transitions] == [trigger]


def test_organising_again_after_the_backbone_recovers() -> None:
    """After the regression, a recovered backbone score lets the initiative sustain again."""
    run = _sustaining()
    run.record(cf.Assessed(BACKBONE.id, "backbone_support", 2.5))
    assert not run.trajectory.can("sustain", at=run.tick())
    run.record(cf.Assessed(BACKBONE.id, "backbone_support", 4.0))
    run.fire("sustain")
    assert run.trajectory.state == "sustaining_impact"


@pytest.mark.parametrize(
    ("steps", "event", "trigger", "dest"),
    [
        (
            1,
            cf.FactRecorded("partnering_agreement", party=BEDRIJF.id, holds=False),
            "withdraw_agreement",
            "scoping_and_building",
        ),
        (
            2,
            cf.FactRecorded("partnering_agreement", party=GEMEENTE.id, holds=False),
            "withdraw_agreement",
            "scoping_and_building",
        ),
        (1, cf.Assessed(BEDRIJF.id, "equity", 2.0), "strain_principles", "reviewing_and_revising"),
        (
            5,
            cf.Assessed(GEMEENTE.id, "transparency", 2.5),
            "strain_principles",
            "reviewing_and_revising",
        ),
        (
            1,
            cf.Assessed(HOGESCHOOL.id, "mutual_benefit", 1.5),
            "strain_principles",
            "reviewing_and_revising",
        ),
    ],
)
def test_partnering_cycle_regressions(steps: int, event: Event, trigger: str, dest: str) -> None:
    """A withdrawn agreement or a principle under strain moves the partnership back."""
    run = Run(PARTNERING_CYCLE)
    run.take(_partnering_cycle_steps()[:steps])
    applied = run.record(event)
    assert run.trajectory.state == dest
    assert [t.trigger for t in applied.transitions] == [trigger]


# --- messages ----------------------------------------------------------------------------------


def _words(process: cf.Process, locale: str) -> tuple[list[str], list[str]]:
    """The process's own ids, and its labels of words in `locale`."""
    vocabulary = process.vocabulary
    labels = [
        *(labels[locale] for labels in vocabulary.dimensions.values()),
        *(labels[locale] for labels in vocabulary.tags.values()),
        *(fact.labels[locale] for fact in vocabulary.facts.values()),
        *(state.labels[locale] for state in process.states),
        *(t.labels[locale] for t in process.transitions),
    ]
    ids = [
        *vocabulary.dimensions,
        *vocabulary.tags,
        *vocabulary.facts,
        *(state.id for state in process.states),
        *process.triggers,
    ]
    return ids, labels


def _refusals(name: str) -> Iterator[tuple[cf.Process, str, cf.Explanation]]:
    """Before each step of the happy path, the refusal of its trigger."""
    run = Run(name)
    for trigger, events in STEPS[name]():
        if events:
            yield run.process, trigger, run.trajectory.explain(trigger, at=run.tick())
            run.record(*events)
        run.fire(trigger)


@pytest.mark.parametrize("locale", ["en", "nl"])
@pytest.mark.parametrize("name", FILES)
def test_refusals_speak_in_labels(name: str, locale: str) -> None:
    """Every refusal names the process's words by their labels, never by an identifier."""
    refusals = list(_refusals(name))
    assert refusals
    for process, trigger, explanation in refusals:
        assert not explanation.allowed
        ids, labels = _words(process, locale)
        text = explanation.message(locale, process=process)
        assert text.splitlines()[0].startswith("‘" + process.label(trigger, locale=locale) + "’")
        for line in text.splitlines()[1:]:
            # An id may appear only where it is itself a word of some label ("transparency").
            spoken = " ".join(labels)
            for id in ids:
                if not re.search(rf"\b{re.escape(id)}\b", spoken):
                    assert not re.search(rf"\b{re.escape(id)}\b", line), (id, line)
            assert any(label in line for label in labels), line


def test_a_refusal_in_dutch_reads_as_written() -> None:
    """The first refusal of Collective Impact, in Dutch, word for word."""
    _, _, explanation = next(_refusals(COLLECTIVE_IMPACT))
    process = _load(COLLECTIVE_IMPACT)
    assert explanation.message("nl", process=process).splitlines() == [
        "‘Actie in gang zetten’ kan nog niet vanuit de fase Verkenning van de uitgangssituatie. "
        "Nog nodig:",
        "- nog niet vastgelegd: een invloedrijk boegbeeld dat zich aan het initiatief verbindt",
        "- nog niet vastgelegd: financiering voor de eerste jaren",
        "- voor Stichting Samen Sterk is nog geen score voor urgentie vastgelegd",
        "- voor Gemeente Tilburg is nog geen score voor urgentie vastgelegd",
        "- voor Avans Hogeschool is nog geen score voor urgentie vastgelegd",
    ]


def test_a_refusal_of_the_partnering_cycle_in_english() -> None:
    """A mean of the three principles too low renders with the three labels, in English."""
    run = Run(PARTNERING_CYCLE)
    run.take(_partnering_cycle_steps()[:2])
    run.record(cf.FactRecorded("moving_on_plan"), cf.Assessed(BEDRIJF.id, "equity", 3.5))
    run.record(*_scores([BEDRIJF], "transparency", "mutual_benefit", score=3.6))
    (failure,) = run.trajectory.explain("sustain", at=run.tick()).failures
    assert failure.message("en") == (
        "Bouwbedrijf De Hoeksteen: the mean score for equity (an equal right to be at the "
        "table), transparency and mutual benefit is 3.57; at least 4.0 is needed"
    )
    assert failure.message("nl").startswith(
        "Bouwbedrijf De Hoeksteen: de gemiddelde score voor gelijkwaardigheid (een gelijke plek "
        "aan tafel), transparantie en wederzijds voordeel is 3,57"
    )


# --- files -------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".toml", ".json"])
@pytest.mark.parametrize("name", FILES)
def test_round_trip_through_files(name: str, suffix: str, tmp_path: pathlib.Path) -> None:
    """What `to_file` writes reads back to the same process, and writes the same text again."""
    process = _load(name)
    path = tmp_path / f"copy{suffix}"
    process.to_file(path)
    again = cf.Process.from_file(path)
    assert again == process
    assert again.fingerprint == process.fingerprint
    second = tmp_path / f"again{suffix}"
    again.to_file(second)
    assert second.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_a_trajectory_round_trips_with_its_own_words() -> None:
    """A trajectory of Collective Impact, dumped and loaded, is the same trajectory."""
    run = _sustaining()
    run.record(cf.Assessed(BACKBONE.id, "backbone_support", 2.5))
    again = cf.loads(cf.dumps(run.trajectory), process=run.process)
    assert again == run.trajectory
    assert again.state == "organising_for_impact"
