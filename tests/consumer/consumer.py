"""A program that uses coopflow the way an installed package is used: typed, public API only.

`make package` installs the wheel alone in a fresh virtual environment, runs this script there,
and type-checks it with ``mypy --strict`` and pyright in strict mode against the installed
package: a missing ``py.typed``, a name not exported or an example file left out of the wheel
fails the build. ``tests/test_package.py`` runs it in the suite too.
"""
# pyright: strict

import sys
from datetime import UTC, datetime

import attrs

import coopflow as cf
from coopflow import guards, rules

WHEN = datetime(2018, 6, 14, 10, tzinfo=UTC)


def with_pilot(process: cf.Process) -> cf.Process:
    """The process with a pilot between the programme office and implementation."""
    pilot = cf.State("pilot", labels={"en": "Pilot", "nl": "Pilotfase"})
    start_pilot = cf.Transition(
        "start_pilot",
        source="organising",
        dest="pilot",
        guards=(guards.roles_assigned(),),
        labels={"en": "Start the pilot", "nl": "Pilot starten"},
    )
    scale_up = cf.Transition(
        "scale_up",
        source="pilot",
        dest="operating",
        guards=(guards.trust(threshold=4.0), guards.finances_covered()),
        labels={"en": "Scale up", "nl": "Opschalen"},
    )
    return attrs.evolve(
        process,
        id="consumer-pilot",
        states=(*process.states, pilot),
        transitions=(*process.transitions, start_pilot, scale_up),
    )


def main() -> int:
    """Load a shipped example, run a trajectory, check a rule; 0 when all went as expected."""
    names: tuple[str, ...] = cf.example_names()
    shipped: cf.Process = cf.Process.from_file(cf.example_file("pilot"))
    try:
        cf.example_file("nowhere")
    except cf.UnknownNameError as error:
        choices: tuple[str, ...] = error.choices
    else:
        return 1

    parties = [
        cf.Party("gemeente-tilburg", name="Gemeente Tilburg", sector=cf.Sector.GOVERNMENT),
        cf.Party("tilburg-university", name="Tilburg University", sector=cf.Sector.KNOWLEDGE),
    ]
    t = cf.Trajectory.start(cf.default_process(), parties=parties, at=WHEN)
    explanation: cf.Explanation = t.explain("form_culture", at=WHEN)
    failures: tuple[cf.Failure, ...] = explanation.failures
    trust = cf.Assessed("gemeente-tilburg", cf.Dimension.TRUST, 4.0)
    applied: cf.Applied = t.record(trust, at=WHEN)

    mine = with_pilot(cf.default_process())
    report: cf.CheckReport = cf.check(
        mine, properties=[rules.precedes("building_culture", "agenda_setting")]
    )
    print(f"examples: {', '.join(names)}")
    print(f"loaded: {shipped.id} ({len(shipped.states)} states)")
    print(f"unknown example, choose from: {', '.join(choices)}")
    print(f"form_culture allowed: {explanation.allowed}, {len(failures)} reasons")
    print(f"recorded a score: version {applied.snapshot.version}")
    print(f"{mine.id} checked: {'ok' if report.ok else 'violations'}")
    return 0 if report.ok and names == choices and not explanation.allowed else 1


if __name__ == "__main__":
    sys.exit(main())
