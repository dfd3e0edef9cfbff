"""The core benchmark: coopflow against `transitions` per object and a hand-written dict machine.

Run it with ``make bench`` (or ``.venv/bin/python benchmarks/bench_core.py``). It is a report,
not a test: it always exits with status 0 and prints PASS or MISS beside each target.

What is measured, for the default process (PROCESS.md) with three parties:

(A) Creating 10,000 trajectories.
    * coopflow: ``cf.Trajectory.start(process, parties=[...], at=fixed_time)``.
    * transitions-per-object: one ``transitions.Machine(model=obj, states=..., transitions=...,
      initial="exploring", auto_transitions=False)`` per object, with the same nine states and
      the same manual transitions (guards as conditions, ``resume`` as one transition per
      remembered state with ``unless`` for that state's regressions).
    * dict machine: a plain dict per trajectory (state, parties and empty registers) and one
      shared table of transitions whose guards are plain functions.
(B) Driving 1,000 trajectories along the happy path exploring -> building_culture ->
    agenda_setting -> signing -> organising -> operating: 34 data events (InterestShared,
    ValueNamed, DependencyDeclared, Assessed for trust/voice/stake/urgency/impact per party,
    ContributionCommitted with cash, AgendaProposed and AgendaApproved, DeclarationSigned,
    RoleAssigned, BudgetSet) and 5 triggers. The trajectories are created before the clock
    starts. The baselines apply the same facts to a dict of registers, check the automatic
    regressions after every data event (same conditions, same order, as plain functions) and
    guard every trigger with the same guards; the transitions model has them as condition
    methods that read its dict of registers. Neither baseline keeps an audit log.
(C) The cost of one recorded event in coopflow: ``t.record(event, at=...)`` including its
    validation, the regression conditions and the audit record, each call timed on its own
    with ``time.perf_counter_ns`` over the happy-path events (the triggers in between are not
    timed); the median of all calls, in microseconds.

Every event object is built once, before any clock starts (events are immutable and the same
for every trajectory), so (B) and (C) measure recording, not constructing. Every coopflow call
gets an explicit timezone-aware ``at=`` so the clock is not measured. Each measurement is
repeated over several rounds after an untimed warm-up, the three implementations taking turns
within each round, so that a slow or fast spell of the machine falls on all three alike; a time
is the median of its rounds, and a ratio the median of the ratios of each round (the targets are
on these). The garbage collector stays on (it is part of the real cost) and is run between
runs; (B) is measured a second time with the collector paused during each run, to show its
share (the target is on the figure with the collector on).

Targets: creating trajectories at least 30x faster than transitions-per-object and within 25x
of the dict machine; the happy path at most 2x transitions-per-object (issue 7); one recorded
event at most 30 us (median).
"""

from __future__ import annotations

import gc
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypedDict

import transitions
from transitions import Machine

import coopflow as cf

ROUNDS = 5
CREATE_COUNT = 10_000
DRIVE_COUNT = 1_000
EVENT_COUNT = 1_000  # trajectories per round of (C)

TARGET_CREATE_VS_TRANSITIONS = 30.0  # coopflow at least this many times faster
TARGET_CREATE_VS_DICT = 25.0  # coopflow at most this many times slower
TARGET_EVENT_US = 30.0  # median cost of one recorded event
TARGET_DRIVE_VS_TRANSITIONS = 2.0  # the happy path at most this many times slower (issue 7)

AT = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
PROCESS = cf.default_process()

# --- the scenario, as data ------------------------------------------------------------------------

PARTY_IDS = ("gemeente", "universiteit", "bedrijf")
PARTIES = [
    cf.Party("gemeente", name="Gemeente Tilburg", sector=cf.Sector.GOVERNMENT),
    cf.Party("universiteit", name="Tilburg University", sector=cf.Sector.KNOWLEDGE),
    cf.Party("bedrijf", name="Bedrijf BV", sector=cf.Sector.BUSINESS),
]
INTEREST = "evidence-based-policy"
DIMENSIONS = ("trust", "voice", "stake", "urgency", "impact")
SCORE = 4.0
CASH = Decimal(100_000)
BUDGET = Decimal(300_000)
THEMES = tuple(
    (f"theme-{party}", f"Theme of {party}", party, f"indicator of {party}", (INTEREST,))
    for party in PARTY_IDS
)
STATE_IDS = [state.id for state in PROCESS.states]
ACTIVE = ("exploring", "building_culture", "agenda_setting", "signing", "organising", "operating")

CoopEvent = (
    cf.InterestShared
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
PlainEvent = tuple[str, tuple[Any, ...]]
Theme = tuple[str, str, str, str, tuple[str, ...]]


def _ring() -> list[tuple[str, str]]:
    # Each party depends on the next one: everybody depends on and is depended on by another.
    return [(a, PARTY_IDS[(i + 1) % len(PARTY_IDS)]) for i, a in enumerate(PARTY_IDS)]


def coop_phases() -> tuple[tuple[tuple[CoopEvent, ...], str], ...]:
    """The happy path for coopflow: per state, its data events and the trigger that leaves it."""
    exploring: list[CoopEvent] = [cf.InterestShared(INTEREST, parties=PARTY_IDS)]
    exploring += [cf.ValueNamed(p, brings=f"{p} brings", gains=f"{p} gains") for p in PARTY_IDS]
    exploring += [cf.DependencyDeclared(a, b, need="capacity") for a, b in _ring()]
    culture: list[CoopEvent] = [
        cf.Assessed(p, cf.Dimension(d), SCORE) for p in PARTY_IDS for d in DIMENSIONS
    ]
    culture += [cf.ContributionCommitted(p, f"{p}-money", cash=CASH) for p in PARTY_IDS]
    agenda: list[CoopEvent] = [cf.AgendaProposed(1, themes=[cf.Theme(*theme) for theme in THEMES])]
    agenda += [cf.AgendaApproved(p, 1) for p in PARTY_IDS]
    signing: list[CoopEvent] = [cf.DeclarationSigned(p, f"signatory of {p}", 1) for p in PARTY_IDS]
    office: list[CoopEvent] = [
        cf.RoleAssigned("programme_manager", PARTY_IDS[0]),
        cf.BudgetSet(BUDGET),
    ]
    return (
        (tuple(exploring), "form_culture"),
        (tuple(culture), "set_agenda"),
        (tuple(agenda), "open_signing"),
        (tuple(signing), "organise"),
        (tuple(office), "start"),
    )


def plain_phases() -> tuple[tuple[tuple[PlainEvent, ...], str], ...]:
    """The same happy path as plain tuples for the two baselines."""
    exploring: list[PlainEvent] = [("interest", (INTEREST, frozenset(PARTY_IDS), ""))]
    exploring += [("value", (p, f"{p} brings", f"{p} gains")) for p in PARTY_IDS]
    exploring += [("dependency", (a, b, "capacity")) for a, b in _ring()]
    culture: list[PlainEvent] = [
        ("assessed", (p, d, SCORE, "")) for p in PARTY_IDS for d in DIMENSIONS
    ]
    culture += [("committed", (p, f"{p}-money", CASH, False)) for p in PARTY_IDS]
    agenda: list[PlainEvent] = [("proposed", (1, THEMES))]
    agenda += [("approved", (p, 1)) for p in PARTY_IDS]
    signing: list[PlainEvent] = [("signed", (p, f"signatory of {p}", 1, "")) for p in PARTY_IDS]
    office: list[PlainEvent] = [
        ("role", ("programme_manager", PARTY_IDS[0], "")),
        ("budget", (BUDGET,)),
    ]
    return (
        (tuple(exploring), "form_culture"),
        (tuple(culture), "set_agenda"),
        (tuple(agenda), "open_signing"),
        (tuple(signing), "organise"),
        (tuple(office), "start"),
    )


COOP_PHASES = coop_phases()
PLAIN_PHASES = plain_phases()
EVENTS_PER_TRAJECTORY = sum(len(events) for events, _ in COOP_PHASES)
TRIGGERS_PER_TRAJECTORY = len(COOP_PHASES)

# --- the registers and guards of both baselines: plain data, plain functions ----------------------

ENTRY = 3.5
REGRESSION = 3.0
MAX_SHARE = 0.5
COVERAGE = Decimal(1)
REQUIRED_ROLES = ("programme_manager",)
SCALE = (1.0, 5.0)


class Registers(TypedDict):
    """What the data events fill, as plain mutable containers."""

    parties: list[str]
    previous: str | None
    interests: dict[str, set[str]]
    values: dict[str, tuple[str, str]]
    dependencies: list[tuple[str, str]]
    scores: dict[tuple[str, str], dict[str, float]]
    contributions: dict[str, dict[str, Decimal]]
    withdrew: set[str]
    decision_rule: str
    weights: dict[str, float]
    agenda: list[tuple[int, tuple[Theme, ...], set[str]]]
    signatures: dict[str, int]
    roles: dict[str, str]
    budget: Decimal | None
    closed_themes: set[str]
    final_review: bool


class DictTrajectory(Registers):
    """The dict machine's trajectory: the registers plus the state."""

    state: str


def new_registers(parties: Sequence[str]) -> Registers:
    """Empty registers for these parties."""
    return {
        "parties": list(parties),
        "previous": None,
        "interests": {},
        "values": {},
        "dependencies": [],
        "scores": {},
        "contributions": {},
        "withdrew": set(),
        "decision_rule": "consensus",
        "weights": {},
        "agenda": [],
        "signatures": {},
        "roles": {},
        "budget": None,
        "closed_themes": set(),
        "final_review": False,
    }


def new_dict_trajectory(parties: Sequence[str]) -> DictTrajectory:
    """A dict-machine trajectory in the initial state."""
    return {
        "state": "exploring",
        "parties": list(parties),
        "previous": None,
        "interests": {},
        "values": {},
        "dependencies": [],
        "scores": {},
        "contributions": {},
        "withdrew": set(),
        "decision_rule": "consensus",
        "weights": {},
        "agenda": [],
        "signatures": {},
        "roles": {},
        "budget": None,
        "closed_themes": set(),
        "final_review": False,
    }


def score(r: Registers, party: str, dimension: str) -> float | None:
    """The mean of each respondent's latest score, or None."""
    by_respondent = r["scores"].get((party, dimension))
    if not by_respondent:
        return None
    return sum(by_respondent.values()) / len(by_respondent)


def approved_agenda(r: Registers) -> tuple[int, tuple[Theme, ...]] | None:
    """The highest version every current party approved."""
    ids = set(r["parties"])
    for version, themes, approvals in reversed(r["agenda"]):
        if ids <= approvals:
            return version, themes
    return None


def committed_cash(r: Registers) -> Decimal:
    """All committed money."""
    return sum((c for by_id in r["contributions"].values() for c in by_id.values()), Decimal(0))


def g_common_ground(r: Registers) -> bool:
    parties = r["parties"]
    ids = set(parties)
    if len(parties) < 2:
        return False
    if not any(ids <= endorsers for endorsers in r["interests"].values()):
        return False
    depends = {a for a, b in r["dependencies"] if b in ids}
    depended = {b for a, b in r["dependencies"] if a in ids}
    return all(p in r["values"] and p in depends and p in depended for p in parties)


def _at_least(r: Registers, dimension: str, threshold: float) -> bool:
    for party in r["parties"]:
        value = score(r, party, dimension)
        if value is None or value < threshold:
            return False
    return True


def g_trust(r: Registers) -> bool:
    return _at_least(r, "trust", ENTRY)


def g_reciprocity(r: Registers) -> bool:
    return all(r["contributions"].get(p) and p in r["values"] for p in r["parties"])


def g_equal_standing(r: Registers) -> bool:
    if r["decision_rule"] == "weighted":
        weights = r["weights"]
        total = sum(weights.get(p, 0.0) for p in r["parties"])
        for party in r["parties"]:
            share = weights.get(party, 0.0) / total if total else 0.0
            if share == 0 or share > MAX_SHARE:
                return False
    return _at_least(r, "voice", ENTRY)


def g_energy(r: Registers) -> bool:
    for party in r["parties"]:
        values = [score(r, party, d) for d in ("stake", "urgency", "impact")]
        present = [v for v in values if v is not None]
        if len(present) < 3 or min(present) < REGRESSION or sum(present) / 3 < ENTRY:
            return False
    return True


def g_agenda_approved(r: Registers) -> bool:
    approved = approved_agenda(r)
    if approved is None or not approved[1]:
        return False
    ids = set(r["parties"])
    return all(
        owner in ids and indicator.strip() and interests
        for _, _, owner, indicator, interests in approved[1]
    )


def g_declaration_signed(r: Registers) -> bool:
    approved = approved_agenda(r)
    if approved is None:
        return False
    signatures = r["signatures"]
    return all(signatures.get(p) == approved[0] for p in r["parties"])


def g_roles_assigned(r: Registers) -> bool:
    ids = set(r["parties"])
    roles = r["roles"]
    if not all(roles.get(role) in ids for role in REQUIRED_ROLES):
        return False
    busy = set(roles.values())
    approved = approved_agenda(r)
    if approved is not None:
        busy.update(theme[2] for theme in approved[1])
    return ids <= busy


def g_finances_covered(r: Registers) -> bool:
    budget = r["budget"]
    return budget is not None and budget > 0 and committed_cash(r) >= COVERAGE * budget


def g_completion(r: Registers) -> bool:
    approved = approved_agenda(r)
    if approved is None:
        return False
    closed = r["closed_themes"]
    return all(theme[0] in closed for theme in approved[1]) and r["final_review"]


def c_quorum_lost(r: Registers) -> bool:
    return len(r["parties"]) < 2


def c_declaration_incomplete(r: Registers) -> bool:
    return not g_declaration_signed(r)


def c_culture_breached(r: Registers) -> bool:
    for dimension in ("trust", "voice"):
        for party in r["parties"]:
            value = score(r, party, dimension)
            if value is not None and value < REGRESSION:
                return True
    contributions = r["contributions"]
    return any(p in r["withdrew"] and not contributions.get(p) for p in r["parties"])


def c_energy_lost(r: Registers) -> bool:
    for party in r["parties"]:
        values = [score(r, party, d) for d in ("stake", "urgency", "impact")]
        present = [v for v in values if v is not None]
        if len(present) == 3 and sum(present) / 3 < REGRESSION:
            return True
    return False


def c_funding_lost(r: Registers) -> bool:
    budget = r["budget"]
    return budget is not None and committed_cash(r) < COVERAGE * budget


Check = Callable[[Registers], bool]
CHECKS: dict[str, Check] = {
    "common_ground": g_common_ground,
    "trust": g_trust,
    "reciprocity": g_reciprocity,
    "equal_standing": g_equal_standing,
    "energy": g_energy,
    "agenda_approved": g_agenda_approved,
    "declaration_signed": g_declaration_signed,
    "roles_assigned": g_roles_assigned,
    "finances_covered": g_finances_covered,
    "completion": g_completion,
    "quorum_lost": c_quorum_lost,
    "declaration_incomplete": c_declaration_incomplete,
    "culture_breached": c_culture_breached,
    "energy_lost": c_energy_lost,
    "funding_lost": c_funding_lost,
}


def _came_from(state: str) -> Check:
    def check(r: Registers) -> bool:
        return r["previous"] == state

    return check


for _state in ACTIVE:
    CHECKS[f"came_from_{_state}"] = _came_from(_state)

# The forward path: trigger, source, dest, guards.
FORWARD: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
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
)
# The automatic regressions in priority order: trigger, sources, dest, condition, voids.
REGRESSIONS: tuple[tuple[str, tuple[str, ...], str, str, bool], ...] = (
    ("lose_quorum", (*ACTIVE, "stalled"), "dissolved", "quorum_lost", False),
    ("void_declaration", ("organising", "operating"), "signing", "declaration_incomplete", False),
    (
        "breach_culture",
        ("agenda_setting", "signing"),
        "building_culture",
        "culture_breached",
        True,
    ),
    ("breach_culture", ("organising", "operating"), "stalled", "culture_breached", False),
    ("lose_energy", ACTIVE[1:], "stalled", "energy_lost", False),
    ("lose_funding", ("operating",), "organising", "funding_lost", False),
)
_ENTRY_GUARDS = {dest: guards for _, _, dest, guards in FORWARD}

# Every manual transition: trigger, sources, dest, guards, unless (conditions that must not hold).
MANUAL: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...], tuple[str, ...]], ...] = (
    *((trigger, (source,), dest, guards, ()) for trigger, source, dest, guards in FORWARD),
    ("stall", ACTIVE, "stalled", (), ()),
    *(
        (
            "resume",
            ("stalled",),
            state,
            (f"came_from_{state}", *_ENTRY_GUARDS.get(state, ())),
            tuple(cond for _, sources, _, cond, _ in REGRESSIONS if state in sources),
        )
        for state in ACTIVE
    ),
    ("dissolve", (*ACTIVE, "stalled"), "dissolved", (), ()),
)

# Regressions per state, looked up once per event: (index, dest, condition, voids).
SETTLE: dict[str, tuple[tuple[int, str, Check, bool], ...]] = {
    state: tuple(
        (index, dest, CHECKS[cond], voids)
        for index, (_, sources, dest, cond, voids) in enumerate(REGRESSIONS)
        if state in sources
    )
    for state in STATE_IDS
}


def settle(r: Registers, state: str) -> str:
    """Try the regressions in order, each at most once; return the state they lead to."""
    fired: set[int] = set()
    while True:
        for index, dest, condition, voids in SETTLE[state]:
            if index not in fired and condition(r):
                fired.add(index)
                r["previous"] = state
                if voids:
                    r["signatures"].clear()
                state = dest
                break
        else:
            return state


# --- folding a plain event into the registers (with the checks that need the trajectory) ----------


def _known(r: Registers, party: str) -> None:
    if party not in r["parties"]:
        raise ValueError(f"{party!r} is not a party of this trajectory")


def _version(r: Registers, version: int) -> int:
    for index, entry in enumerate(r["agenda"]):
        if entry[0] == version:
            return index
    raise ValueError(f"agenda version {version} was not proposed")


def h_interest(r: Registers, args: tuple[Any, ...]) -> None:
    interest, parties, _description = args
    for party in parties:
        _known(r, party)
    r["interests"].setdefault(interest, set()).update(parties)


def h_value(r: Registers, args: tuple[Any, ...]) -> None:
    party, brings, gains = args
    _known(r, party)
    r["values"][party] = (brings, gains)


def h_dependency(r: Registers, args: tuple[Any, ...]) -> None:
    party, depends_on, _need = args
    _known(r, party)
    _known(r, depends_on)
    r["dependencies"].append((party, depends_on))


def h_assessed(r: Registers, args: tuple[Any, ...]) -> None:
    party, dimension, value, respondent = args
    _known(r, party)
    if not SCALE[0] <= value <= SCALE[1]:
        raise ValueError(f"score {value} is off the scale")
    key = (party, dimension)
    by_respondent = r["scores"].get(key)
    if by_respondent is None:
        r["scores"][key] = {respondent: value}
    else:
        by_respondent[respondent] = value


def h_committed(r: Registers, args: tuple[Any, ...]) -> None:
    party, contribution, cash, _in_kind = args
    _known(r, party)
    by_id = r["contributions"].setdefault(party, {})
    if contribution in by_id:
        raise ValueError(f"{contribution!r} is already committed")
    by_id[contribution] = cash


def h_proposed(r: Registers, args: tuple[Any, ...]) -> None:
    version, themes = args
    agenda = r["agenda"]
    if agenda and version <= agenda[-1][0]:
        raise ValueError(f"version {version} is not higher than {agenda[-1][0]}")
    for _, _, owner, _, interests in themes:
        if owner:
            _known(r, owner)
        for interest in interests:
            if interest not in r["interests"]:
                raise ValueError(f"{interest!r} is not a shared interest")
    agenda.append((version, themes, set()))


def h_approved(r: Registers, args: tuple[Any, ...]) -> None:
    party, version = args
    _known(r, party)
    r["agenda"][_version(r, version)][2].add(party)


def h_signed(r: Registers, args: tuple[Any, ...]) -> None:
    party, _signatory, version, _role = args
    _known(r, party)
    _version(r, version)
    r["signatures"][party] = version


def h_role(r: Registers, args: tuple[Any, ...]) -> None:
    role, party, _person = args
    _known(r, party)
    r["roles"][role] = party


def h_budget(r: Registers, args: tuple[Any, ...]) -> None:
    r["budget"] = args[0]


HANDLERS: dict[str, Callable[[Registers, tuple[Any, ...]], None]] = {
    "interest": h_interest,
    "value": h_value,
    "dependency": h_dependency,
    "assessed": h_assessed,
    "committed": h_committed,
    "proposed": h_proposed,
    "approved": h_approved,
    "signed": h_signed,
    "role": h_role,
    "budget": h_budget,
}

# --- baseline 1: the dict machine -----------------------------------------------------------------

DICT_TABLE: dict[tuple[str, str], tuple[tuple[str, tuple[Check, ...], tuple[Check, ...]], ...]] = {}
for _trigger, _sources, _dest, _guards, _unless in MANUAL:
    for _source in _sources:
        DICT_TABLE[(_source, _trigger)] = (
            *DICT_TABLE.get((_source, _trigger), ()),
            (_dest, tuple(CHECKS[g] for g in _guards), tuple(CHECKS[u] for u in _unless)),
        )


def dict_record(tr: DictTrajectory, event: PlainEvent) -> None:
    """Fold a plain event into the dict trajectory, then try the regressions."""
    kind, args = event
    HANDLERS[kind](tr, args)
    tr["state"] = settle(tr, tr["state"])


def dict_can(tr: DictTrajectory, trigger: str) -> str | None:
    """The destination `trigger` would reach now, or None."""
    for dest, guards, unless in DICT_TABLE.get((tr["state"], trigger), ()):
        if all(guard(tr) for guard in guards) and not any(cond(tr) for cond in unless):
            return dest
    return None


def dict_fire(tr: DictTrajectory, trigger: str) -> None:
    """Fire a manual trigger, or raise when it is refused."""
    dest = dict_can(tr, trigger)
    if dest is None:
        raise RuntimeError(f"{trigger!r} refused in {tr['state']!r}")
    tr["previous"] = tr["state"]
    tr["state"] = dest


# --- baseline 2: one transitions.Machine per object -----------------------------------------------

T_TRANSITIONS: list[dict[str, Any]] = [
    {
        "trigger": trigger,
        "source": list(sources),
        "dest": dest,
        "conditions": [f"check_{g}" for g in guards],
        "unless": [f"check_{u}" for u in unless],
    }
    for trigger, sources, dest, guards, unless in MANUAL
]


class TModel:
    """A transitions model: the machine moves `state`; conditions read `registers`."""

    state: str  # set and moved by transitions

    def __init__(self, parties: Sequence[str]) -> None:
        self.registers = new_registers(parties)
        self.machine: Any = Machine(
            model=self,
            states=STATE_IDS,
            transitions=T_TRANSITIONS,
            initial="exploring",
            auto_transitions=False,
            before_state_change="remember",
        )

    def remember(self) -> None:
        """Keep the state a transition leaves (``resume`` returns there)."""
        self.registers["previous"] = self.state

    def record(self, event: PlainEvent) -> None:
        """Fold a plain event into the registers, then try the regressions."""
        kind, args = event
        HANDLERS[kind](self.registers, args)
        state = settle(self.registers, self.state)
        if state != self.state:
            self.machine.set_state(state, model=self)

    def can(self, trigger: str) -> bool:
        """Whether transitions would fire `trigger` now (its ``may_`` method)."""
        return bool(getattr(self, f"may_{trigger}")())

    def fire(self, trigger: str) -> None:
        """Fire a trigger the transitions way, or raise when it is refused."""
        if not getattr(self, trigger)():
            raise RuntimeError(f"{trigger!r} refused in {self.state!r}")


def _condition_method(check: Check) -> Callable[[TModel], bool]:
    def method(self: TModel) -> bool:
        return check(self.registers)

    return method


for _name, _check in CHECKS.items():
    setattr(TModel, f"check_{_name}", _condition_method(_check))

# --- checking that the three implementations agree ------------------------------------------------


def self_check() -> None:
    """Before and after the last event of every phase, all three agree on the trigger."""
    t = cf.Trajectory.start(PROCESS, parties=PARTIES, at=AT)
    d = new_dict_trajectory(PARTY_IDS)
    m = TModel(PARTY_IDS)
    for (events, trigger), (plain, _) in zip(COOP_PHASES, PLAIN_PHASES, strict=True):
        for index, (event, plain_event) in enumerate(zip(events, plain, strict=True)):
            if index == len(events) - 1:
                allowed = (t.can(trigger, at=AT), dict_can(d, trigger) is not None, m.can(trigger))
                assert allowed == (False, False, False), (trigger, allowed)
            t.record(event, at=AT)
            dict_record(d, plain_event)
            m.record(plain_event)
        allowed = (t.can(trigger, at=AT), dict_can(d, trigger) is not None, m.can(trigger))
        assert allowed == (True, True, True), (trigger, allowed)
        t.fire(trigger, at=AT)
        dict_fire(d, trigger)
        m.fire(trigger)
        assert t.state == d["state"] == m.state, (t.state, d["state"], m.state)
    assert t.state == "operating"
    assert len(t.history) == 1 + EVENTS_PER_TRAJECTORY + TRIGGERS_PER_TRAJECTORY


# --- measuring ------------------------------------------------------------------------------------


def measure(
    runs: dict[str, Callable[[], int]], rounds: int = ROUNDS, *, collector: bool = True
) -> dict[str, list[int]]:
    """Every run of `runs` once per round, in turn, after one warm-up each: their times (ns).

    The implementations take turns within each round, so that a slower or faster spell of the
    machine (this one's timings drift by tens of percent over seconds) falls on all of them
    alike; a ratio is then worked out per round (`paired`). The garbage collector is run before
    each run; with `collector` False it is also paused during the run, to show its share.
    """
    for run in runs.values():
        gc.collect()
        run()
    results: dict[str, list[int]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            gc.collect()
            if not collector:
                gc.disable()
            try:
                results[name].append(run())
            finally:
                gc.enable()
    return results


def median(times: list[int], count: int) -> float:
    """The median of `times` (ns per round), per item of a round of `count`."""
    return statistics.median(times) / count


def paired(slower: list[int], faster: list[int]) -> float:
    """The median over the rounds of how many times `slower` took what `faster` took."""
    return statistics.median(s / f for s, f in zip(slower, faster, strict=True))


def create_coopflow(count: int = CREATE_COUNT) -> int:
    start = cf.Trajectory.start
    process, parties, at = PROCESS, PARTIES, AT
    begin = time.perf_counter_ns()
    for _ in range(count):
        start(process, parties=parties, at=at)
    return time.perf_counter_ns() - begin


def create_transitions(count: int = CREATE_COUNT) -> int:
    parties = PARTY_IDS
    begin = time.perf_counter_ns()
    for _ in range(count):
        TModel(parties)
    return time.perf_counter_ns() - begin


def create_dict(count: int = CREATE_COUNT) -> int:
    parties = PARTY_IDS
    begin = time.perf_counter_ns()
    for _ in range(count):
        new_dict_trajectory(parties)
    return time.perf_counter_ns() - begin


def drive_coopflow(count: int = DRIVE_COUNT) -> int:
    trajectories = [cf.Trajectory.start(PROCESS, parties=PARTIES, at=AT) for _ in range(count)]
    phases, at = COOP_PHASES, AT
    begin = time.perf_counter_ns()
    for t in trajectories:
        for events, trigger in phases:
            for event in events:
                t.record(event, at=at)
            t.fire(trigger, at=at)
    elapsed = time.perf_counter_ns() - begin
    assert all(t.state == "operating" for t in trajectories)
    return elapsed


def drive_transitions(count: int = DRIVE_COUNT) -> int:
    models = [TModel(PARTY_IDS) for _ in range(count)]
    phases = PLAIN_PHASES
    begin = time.perf_counter_ns()
    for m in models:
        for events, trigger in phases:
            for event in events:
                m.record(event)
            m.fire(trigger)
    elapsed = time.perf_counter_ns() - begin
    assert all(m.state == "operating" for m in models)
    return elapsed


def drive_dict(count: int = DRIVE_COUNT) -> int:
    trajectories = [new_dict_trajectory(PARTY_IDS) for _ in range(count)]
    phases = PLAIN_PHASES
    begin = time.perf_counter_ns()
    for tr in trajectories:
        for events, trigger in phases:
            for event in events:
                dict_record(tr, event)
            dict_fire(tr, trigger)
    elapsed = time.perf_counter_ns() - begin
    assert all(tr["state"] == "operating" for tr in trajectories)
    return elapsed


def event_samples(count: int = EVENT_COUNT) -> list[int]:
    """The cost of every `record` call along the happy path of `count` trajectories (ns)."""
    trajectories = [cf.Trajectory.start(PROCESS, parties=PARTIES, at=AT) for _ in range(count)]
    clock, phases, at = time.perf_counter_ns, COOP_PHASES, AT
    samples: list[int] = []
    append = samples.append
    for t in trajectories:
        for events, trigger in phases:
            for event in events:
                begin = clock()
                t.record(event, at=at)
                append(clock() - begin)
            t.fire(trigger, at=at)
    return samples


def timer_overhead() -> int:
    """The median cost of an empty pair of clock reads (ns)."""
    clock = time.perf_counter_ns
    samples = []
    for _ in range(10_000):
        begin = clock()
        samples.append(clock() - begin)
    return int(statistics.median(samples))


# --- reporting ------------------------------------------------------------------------------------


def _times(ratio: float, more: str, less: str) -> str:
    """A ratio as 'N.Nx faster' or 'N.Nx slower', whichever is at least 1."""
    if ratio >= 1:
        return f"{ratio:6.1f}x {more}"
    return f"{1 / ratio:6.1f}x {less}"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> int:
    started = time.perf_counter()
    self_check()
    print(
        f"coopflow {cf.__version__} · transitions {transitions.__version__} · "
        f"Python {platform.python_version()} ({sys.implementation.name}) · {platform.machine()}"
    )
    print(
        f"{len(PARTIES)} parties; happy path: {EVENTS_PER_TRAJECTORY} data events + "
        f"{TRIGGERS_PER_TRAJECTORY} triggers per trajectory; median of {ROUNDS} rounds "
        "after a warm-up"
    )

    creating = measure(
        {"coopflow": create_coopflow, "transitions": create_transitions, "dict": create_dict}
    )
    driving: dict[str, Callable[[], int]] = {
        "coopflow": drive_coopflow,
        "transitions": drive_transitions,
        "dict": drive_dict,
    }
    driven = measure(driving)
    paused_runs = measure(driving, collector=False)
    create = {name: median(times, CREATE_COUNT) for name, times in creating.items()}
    drive = {name: median(times, DRIVE_COUNT) for name, times in driven.items()}
    paused = {name: median(times, DRIVE_COUNT) for name, times in paused_runs.items()}
    overhead = timer_overhead()
    event_samples(EVENT_COUNT // 10)  # warm-up
    medians: list[float] = []
    for _ in range(ROUNDS):
        gc.collect()
        medians.append(statistics.median(event_samples()))
    event_us = statistics.median(medians) / 1000

    header = (
        f"{'scenario':<34} {'coopflow':>11} {'transitions':>12} {'dict':>10}   "
        f"{'coopflow vs transitions':<24} {'coopflow vs dict':<16}"
    )
    print()
    print("median time per trajectory (µs); the ratios are medians of the ratios per round")
    print(header)
    print("-" * len(header))
    for label, figures, times in (
        (f"(A) create ({CREATE_COUNT:,} per round)", create, creating),
        (f"(B) happy path ({DRIVE_COUNT:,} per round)", drive, driven),
        ("    the same, collector paused", paused, paused_runs),
    ):
        coop, trans, plain = figures["coopflow"], figures["transitions"], figures["dict"]
        row = (
            f"{label:<34} {coop / 1000:11.2f} {trans / 1000:12.2f} {plain / 1000:10.2f}   "
            f"{_times(paired(times['transitions'], times['coopflow']), 'faster', 'slower'):<24} "
            f"{_times(paired(times['coopflow'], times['dict']), 'slower', 'faster')}"
        )
        print(row.rstrip())
    print(
        f"{'(C) one recorded event (median)':<34} {event_us:11.2f}"
        f"   (per call, including ~{overhead} ns of timer overhead; "
        f"{EVENT_COUNT * EVENTS_PER_TRAJECTORY:,} calls per round)"
    )

    # The targets are on the ratios per round (see `measure`), as the table's are.
    create_fast = paired(creating["transitions"], creating["coopflow"])
    create_slow = paired(creating["coopflow"], creating["dict"])
    drive_slow = paired(driven["coopflow"], driven["transitions"])
    paused_slow = paired(paused_runs["coopflow"], paused_runs["transitions"])
    collector_share = 1 - paused["coopflow"] / drive["coopflow"]
    print()
    print("targets")
    rows = (
        (
            f"(A) ≥ {TARGET_CREATE_VS_TRANSITIONS:g}x faster than transitions-per-object",
            f"{create_fast:.1f}x faster",
            create_fast >= TARGET_CREATE_VS_TRANSITIONS,
        ),
        (
            f"(A) within {TARGET_CREATE_VS_DICT:g}x of the dict machine",
            f"{create_slow:.1f}x slower",
            create_slow <= TARGET_CREATE_VS_DICT,
        ),
        (
            f"(B) ≤ {TARGET_DRIVE_VS_TRANSITIONS:g}x transitions-per-object",
            f"{drive_slow:.1f}x slower",
            drive_slow <= TARGET_DRIVE_VS_TRANSITIONS,
        ),
        (
            f"(C) one recorded event ≤ {TARGET_EVENT_US:g} µs median",
            f"{event_us:.2f} µs",
            event_us <= TARGET_EVENT_US,
        ),
    )
    for target, figure, ok in rows:
        print(f"  {target:<50} {figure:>14}   {_verdict(ok)}")
    print(
        f"\n(B) the garbage collector takes {collector_share:.0%} of coopflow's happy path "
        f"(collector paused: {paused_slow:.1f}x transitions)"
    )
    print(f"\n(whole run: {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    main()
    sys.exit(0)
