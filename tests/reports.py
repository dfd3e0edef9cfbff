"""Trajectories the report tests render: the Tilburg demo and a Collective Impact trajectory.

The Collective Impact one follows the shipped example process in its own words, with scores
that rise and fall over several surveys, so that every colour of the traffic lights, a trend
line and a step that is blocked for some parties all show.
"""

import contextlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import coopflow as cf
from coopflow import demo

#: The moment the reports describe (after the last event of both trajectories).
AT = datetime(2018, 10, 1, 9, 0, tzinfo=UTC)

BACKBONE = cf.Party(
    "stichting-samen",
    name="Stichting Samen Sterk",
    sector=cf.Sector.CIVIL_SOCIETY,
    tags={"backbone"},
)
GEMEENTE = cf.Party("gemeente", name="Gemeente Breda", sector=cf.Sector.GOVERNMENT)
HOGESCHOOL = cf.Party("avans", name="Avans Hogeschool", sector=cf.Sector.KNOWLEDGE)
BEDRIJF = cf.Party("bouwbedrijf", name="Bouwbedrijf De Hoeksteen", sector=cf.Sector.BUSINESS)


def tilburg(locale: str = "en") -> cf.Trajectory:
    """The demo's trajectory of Gemeente Tilburg and Tilburg University, in `locale`."""
    return demo.tilburg(locale=locale, out=lambda line: None, id="tilburg")


def collective_impact() -> cf.Trajectory:
    """A Collective Impact trajectory in its third phase, with surveys in three rounds."""
    process = cf.Process.from_file(cf.example_file("collective-impact"))
    parties = (BACKBONE, GEMEENTE, HOGESCHOOL, BEDRIJF)
    start = datetime(2018, 1, 8, 9, 0, tzinfo=UTC)
    t = cf.Trajectory.start(
        process, parties=parties, title="Samen sterk in Breda-Noord", id="breda-noord", at=start
    )
    clock = [start]

    def at() -> datetime:
        clock[0] += timedelta(days=3)
        return clock[0]

    def record(*events: cf.FactRecorded | cf.Assessed | cf.ContributionCommitted) -> None:
        for event in events:
            t.record(event, at=at(), actor="programme office")

    record(
        cf.FactRecorded("champion", note="the mayor chairs the steering group"),
        cf.FactRecorded("start_funding"),
        *(cf.Assessed(p.id, "urgency", 4.2) for p in parties),
    )
    t.fire("initiate", at=at(), actor="programme office")
    rounds = {
        "agenda_commitment": ((4.5, 3.2, 4.0, 2.6), (4.6, 3.6, 4.1, 2.8), (4.6, 3.9, 4.3, 3.6)),
        "communication": ((4.0, 3.0, 3.8, 2.9), (4.2, 3.4, 3.6, 3.1), (4.4, 3.8, 3.4, 3.3)),
    }
    for survey in range(3):
        for dimension, scores in rounds.items():
            record(
                *(
                    cf.Assessed(p.id, dimension, s)
                    for p, s in zip(parties, scores[survey], strict=True)
                )
            )
        clock[0] += timedelta(days=40)
    with contextlib.suppress(cf.TransitionRefused):  # facts are missing: the refusal is kept
        t.fire("organise", at=at(), actor="programme office")
    record(
        cf.FactRecorded("common_agenda"),
        cf.FactRecorded("shared_indicators"),
        cf.FactRecorded("backbone_staffed", party=BACKBONE.id),
        cf.ContributionCommitted(GEMEENTE.id, "subsidie", cash=Decimal("250000")),
        cf.ContributionCommitted(BACKBONE.id, "kwartiermaker", in_kind=True),
        cf.ContributionCommitted(HOGESCHOOL.id, "lectoraat", cash=Decimal("80000"), in_kind=True),
    )
    t.fire("organise", at=at(), actor="programme office")
    t.record(cf.BudgetSet(Decimal("500000")), at=at())
    record(
        cf.FactRecorded("data_sharing", party=GEMEENTE.id),
        cf.FactRecorded("data_sharing", party=BACKBONE.id),
        cf.Assessed(BACKBONE.id, "backbone_support", 3.4),
        cf.Assessed(BEDRIJF.id, "reinforcing_activities", 2.7),
        cf.Assessed(HOGESCHOOL.id, "reinforcing_activities", 4.1),
    )
    return t
