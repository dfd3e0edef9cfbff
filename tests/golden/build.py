"""Build the golden trajectories and process deterministically, and rewrite the golden files.

Every trajectory follows the default process, has a fixed id (``golden-<state>``) and uses only
fixed, timezone-aware times, so building twice gives the same text. The six active states are
prefixes of the demo's Tilburg trajectory (its start is re-identified, its times are fixed);
`stalled`, `completed` and `dissolved` continue it or start afresh with public events.

Run ``python -m tests.golden.build`` (from the project root) to rewrite the files after an
intended change of the format; then bump ``FORMAT`` in ``src/coopflow/_serialize.py`` (for
trajectories) or ``src/coopflow/_definition.py`` (for processes).
"""

import contextlib
import pathlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import attrs

import coopflow as cf
from coopflow import demo

HERE = pathlib.Path(__file__).resolve().parent
PROCESS_FILE = "process-default.json"

STATES = (
    "exploring",
    "building_culture",
    "agenda_setting",
    "signing",
    "organising",
    "operating",
    "stalled",
    "completed",
    "dissolved",
)
"""The states of the default process, one golden trajectory each."""

_CET = timezone(timedelta(hours=1), "CET")
_CEST = timezone(timedelta(hours=2), "CEST")
_GEMEENTE, _UNIVERSITY = (party.id for party in demo.PARTIES)
_PROVINCE = cf.Party("provincie-noord-brabant", name="Provincie Noord-Brabant")


def trajectory_file(state: str) -> str:
    """The name of the golden file of the trajectory in `state`."""
    return f"trajectory-{state}.json"


def _tilburg() -> tuple[cf.Record, ...]:
    # The demo passes explicit times everywhere; only its trajectory id is random.
    return demo.tilburg(out=lambda line: None).history


def _replayed(records: Sequence[cf.Record], state: str) -> cf.Trajectory:
    """The trajectory these records make, under the id ``golden-<state>``."""
    first = records[0]
    assert isinstance(first.event, cf.Started)
    start = attrs.evolve(first, event=attrs.evolve(first.event, trajectory=f"golden-{state}"))
    return cf.Trajectory.replay(cf.default_process(), [start, *records[1:]])


def _longest_prefix_in(history: Sequence[cf.Record], state: str) -> int:
    """The length of the longest prefix of `history` after which the trajectory is in `state`."""
    current, length = cf.default_process().initial, 0
    for index, record in enumerate(history):
        if record.transitions:
            current = record.transitions[-1].dest
        if current == state:
            length = index + 1
    assert length, f"the demo never reaches {state!r}"
    return length


def _active(history: Sequence[cf.Record], state: str) -> cf.Trajectory:
    # Up to the last record before leaving the state: it includes the refused attempt to leave.
    return _replayed(history[: _longest_prefix_in(history, state)], state)


def _stalled(history: Sequence[cf.Record]) -> cf.Trajectory:
    """Operating, then the municipality's energy drops: an automatic `lose_energy` stall."""
    t = _replayed(history, "stalled")
    when = datetime(2019, 3, 11, 14, 30, tzinfo=_CET)
    t.record(cf.Assessed(_GEMEENTE, cf.Dimension.STAKE, 1.0), at=when, actor="facilitator")
    t.record(cf.Assessed(_GEMEENTE, cf.Dimension.URGENCY, 1.5), at=when, actor="facilitator")
    with contextlib.suppress(cf.TransitionRefused):  # refused: the energy is still lost
        t.fire("resume", at=when + timedelta(days=7), actor="facilitator")
    assert t.state == "stalled"
    return t


def _completed(history: Sequence[cf.Record]) -> cf.Trajectory:
    """Operating, a stall and a resumption, every theme closed, a final review: completed."""
    t = _replayed(history, "completed")
    at = datetime(2019, 1, 7, 9, 0, tzinfo=_CET)
    t.fire("stall", reason="municipal elections", at=at, actor="programme manager")
    t.fire("resume", at=at + timedelta(days=60), actor="programme manager")
    at = datetime(2020, 6, 1, 9, 0, tzinfo=_CEST)
    t.record(cf.ContributionCommitted(_UNIVERSITY, "office-space", in_kind=True), at=at)
    t.record(cf.ContributionWithdrawn(_UNIVERSITY, "office-space"), at=at + timedelta(days=1))
    t.record(
        cf.RoleAssigned("programme_manager", _UNIVERSITY, person="Jan"), at=at + timedelta(days=1)
    )
    for month, theme in enumerate(demo.THEMES, start=7):
        t.record(cf.ThemeClosed(theme.id), at=at.replace(month=month))
    with contextlib.suppress(cf.TransitionRefused):  # refused: no final review yet
        t.fire("complete", at=datetime(2021, 1, 4, 9, 0, tzinfo=_CET), actor="facilitator")
    t.record(cf.ReviewRecorded("interim: on track"), at=datetime(2021, 1, 5, tzinfo=UTC))
    t.record(
        cf.ReviewRecorded("every theme delivered its indicator", final=True),
        at=datetime(2021, 2, 1, 12, 0, tzinfo=_CET),
    )
    t.fire("complete", at=datetime(2021, 2, 2, 12, 0, tzinfo=_CET), actor="facilitator")
    assert t.state == "completed"
    return t


def _dissolved() -> cf.Trajectory:
    """Three parties explore, one leaves, then a second: quorum lost, dissolved automatically."""
    p = cf.default_process()
    at = datetime(2019, 9, 2, 10, 0, tzinfo=_CEST)
    t = cf.Trajectory.start(
        p, parties=demo.PARTIES, title="Brabant knowledge coalition", id="golden-dissolved", at=at
    )
    t.record(cf.PartyJoined(_PROVINCE), at=at + timedelta(days=1), actor="secretary")
    t.record(
        cf.InterestShared("regional-economy", {_GEMEENTE, _PROVINCE.id}, description="jobs"),
        at=at + timedelta(days=2),
    )
    later = at + timedelta(days=2)  # never earlier than the record before
    t.record(
        cf.ValueNamed(_PROVINCE.id, brings="regional funds", gains="policy evidence"), at=later
    )
    t.record(cf.DependencyDeclared(_PROVINCE.id, _UNIVERSITY, need="research"), at=later)
    t.record(
        cf.DecisionRuleSet(
            cf.DecisionRule.WEIGHTED, weights={_GEMEENTE: 2.0, _UNIVERSITY: 1.0, _PROVINCE.id: 1.5}
        ),
        at=later,
    )
    t.record(
        cf.ContributionCommitted(_PROVINCE.id, "co-funding", cash=Decimal("250000.50")), at=later
    )
    t.record(cf.Assessed(_UNIVERSITY, cf.Dimension.TRUST, 2.5, respondent="dean"), at=later)
    t.record(cf.PartyLeft(_UNIVERSITY, reason="no capacity"), at=at + timedelta(days=30))
    t.record(cf.PartyLeft(_PROVINCE.id, reason="elections"), at=at + timedelta(days=31))
    with contextlib.suppress(cf.TransitionRefused):  # refused: the trajectory has ended
        t.fire("resume", at=at + timedelta(days=40))
    assert t.state == "dissolved"
    return t


def trajectories() -> dict[str, cf.Trajectory]:
    """One trajectory per state of the default process, keyed by the state it is in."""
    history = _tilburg()
    built = {state: _active(history, state) for state in STATES[:6]}
    built["stalled"] = _stalled(history)
    built["completed"] = _completed(history)
    built["dissolved"] = _dissolved()
    for state, trajectory in built.items():
        assert trajectory.state == state, (state, trajectory.state)
    return built


def texts() -> dict[str, str]:
    """The golden file names and the text each must hold, as the current code writes them."""
    files = {PROCESS_FILE: cf.dumps(cf.default_process(), indent=2) + "\n"}
    for state, trajectory in trajectories().items():
        files[trajectory_file(state)] = cf.dumps(trajectory, indent=2) + "\n"
    return files


def main() -> None:
    """Rewrite every golden file from the current code."""
    for name, text in texts().items():
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
