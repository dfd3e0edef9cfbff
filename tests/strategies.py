"""Hypothesis strategies for coopflow's tests, in one place.

Every strategy here builds values the constructors accept (a strategy never raises
`InvalidEventError` while drawing). Whether a *trajectory* accepts them depends on its state: ids
come from small fixed pools, so random events often hit a known party, a shared interest or a
proposed theme, and sometimes do not. `rejected_events` builds events that a given snapshot must
reject, and `advance_plan` / `happy_path` compute events that are valid for a given snapshot and
move it along the happy path (exploring to completed), so tests can reach deep states.
"""

import functools
import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeAlias

from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

import coopflow as cf
from coopflow import guards

DataEvent: TypeAlias = (
    cf.PartyJoined
    | cf.PartyLeft
    | cf.InterestShared
    | cf.ValueNamed
    | cf.DependencyDeclared
    | cf.Assessed
    | cf.ContributionCommitted
    | cf.ContributionWithdrawn
    | cf.DecisionRuleSet
    | cf.AgendaProposed
    | cf.AgendaApproved
    | cf.DeclarationSigned
    | cf.RoleAssigned
    | cf.BudgetSet
    | cf.ThemeClosed
    | cf.ReviewRecorded
)
"""Every data event of coopflow (what `Trajectory.record` takes)."""

Step: TypeAlias = DataEvent | cf.Fire
"""One step of a run: a data event to record, or a trigger to fire."""

PROCESS = cf.default_process()

# --- the pools -----------------------------------------------------------------------------------

PARTY_IDS = ("gemeente", "uni", "bedrijf", "stichting", "provincie")
INTEREST_IDS = ("evidence-based-policy", "climate", "jobs")
THEME_IDS = ("sustainable-city", "data-science", "work")
CONTRIBUTION_IDS = ("staff", "money", "rooms")
ROLES = ("programme_manager", "secretary", "treasurer")
RESPONDENTS = ("", "alice", "bob")
MANUAL_TRIGGERS = PROCESS.triggers

_NAMES = ("Gemeente Tilburg", "Tilburg University", "Fontys", "Brabant", "Stichting Wijk")


def _below(value: float) -> float:
    return math.nextafter(value, -math.inf)


def _above(value: float) -> float:
    return math.nextafter(value, math.inf)


BOUNDARY_SCORES = (
    1.0,
    5.0,
    3.0,
    3.5,
    _below(3.0),
    _above(3.0),
    _below(3.5),
    _above(3.5),
    2.99,
    3.01,
    3.49,
    3.51,
    2.0,
    4.0,
)
"""The scores where behaviour changes: the scale's ends and the two thresholds, and around them."""


# --- plain values --------------------------------------------------------------------------------


def names() -> SearchStrategy[str]:
    """Non-blank texts: readable names, and arbitrary unicode now and then."""
    return st.one_of(
        st.sampled_from(_NAMES),
        st.text(min_size=1, max_size=12).filter(lambda text: bool(text.strip())),
    )


def optional_texts() -> SearchStrategy[str]:
    """Texts that may be empty (reasons, descriptions, roles of signatories)."""
    return st.one_of(st.just(""), st.sampled_from(_NAMES), st.text(max_size=12))


def parties() -> SearchStrategy[cf.Party]:
    """A party with an id from the pool."""
    return st.builds(
        cf.Party,
        st.sampled_from(PARTY_IDS),
        name=names(),
        sector=st.none() | st.sampled_from(cf.Sector),
    )


def party_lists(*, min_size: int = 2, max_size: int = 4) -> SearchStrategy[list[cf.Party]]:
    """The first parties of a trajectory: at least two, with distinct ids."""
    return st.lists(parties(), min_size=min_size, max_size=max_size, unique_by=lambda p: p.id)


def interest_ids() -> SearchStrategy[str]:
    """An interest id from the pool."""
    return st.sampled_from(INTEREST_IDS)


def theme_ids() -> SearchStrategy[str]:
    """A theme id from the pool."""
    return st.sampled_from(THEME_IDS)


def dimensions() -> SearchStrategy[cf.Dimension]:
    """A scored dimension."""
    return st.sampled_from(cf.Dimension)


def scores() -> SearchStrategy[float]:
    """Scores on the default scale, biased to the thresholds 3.0 and 3.5 and the ends 1 and 5."""
    return st.one_of(st.sampled_from(BOUNDARY_SCORES), st.floats(min_value=1.0, max_value=5.0))


def entry_scores() -> SearchStrategy[float]:
    """Scores that let a trajectory move forward (at least 3.5), 3.5 itself often."""
    return st.one_of(
        st.sampled_from((3.5, _above(3.5), 3.51, 4.0, 5.0)),
        st.floats(min_value=3.5, max_value=5.0),
    )


def off_scale_scores() -> SearchStrategy[float]:
    """Finite scores outside the default scale 1 to 5 (constructible; `record` rejects them)."""
    return st.one_of(
        st.sampled_from((0.0, _below(1.0), _above(5.0), 6.0, -3.0)),
        st.floats(min_value=-1e6, max_value=1.0, exclude_max=True),
        st.floats(min_value=5.0, max_value=1e6, exclude_min=True),
    )


def money() -> SearchStrategy[Decimal]:
    """Finite, non-negative amounts, zero often."""
    return st.one_of(
        st.sampled_from((Decimal(0), Decimal(1000), Decimal("0.01"))),
        st.decimals(
            min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False
        ),
    )


def weights() -> SearchStrategy[float]:
    """Vote weights: zero, equal ones, and arbitrary non-negative ones."""
    return st.one_of(st.sampled_from((0.0, 1.0, 2.0)), st.floats(min_value=0.0, max_value=100.0))


def versions() -> SearchStrategy[int]:
    """Agenda versions from a small range, so proposals and approvals collide often."""
    return st.integers(min_value=1, max_value=6)


# --- time ---------------------------------------------------------------------------------------


def fixed_timezones() -> SearchStrategy[timezone]:
    """Fixed UTC offsets (whole minutes), which survive serialisation exactly."""
    return st.integers(min_value=-14 * 60, max_value=14 * 60).map(
        lambda minutes: timezone(timedelta(minutes=minutes))
    )


def aware_datetimes() -> SearchStrategy[datetime]:
    """Timezone-aware datetimes between 2000 and 2100."""
    return st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=fixed_timezones(),
    )


def naive_datetimes() -> SearchStrategy[datetime]:
    """Naive datetimes (constructible, but `record` and `fire` must reject them)."""
    return st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1))


@st.composite
def increasing_datetimes(
    draw: st.DrawFn, *, min_size: int = 1, max_size: int = 40
) -> tuple[datetime, ...]:
    """Strictly increasing timezone-aware datetimes, each in its own fixed offset."""
    start = draw(aware_datetimes())
    gaps = draw(
        st.lists(
            st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=60)),
            min_size=max(min_size - 1, 0),
            max_size=max(max_size - 1, 0),
        )
    )
    zones = draw(st.lists(fixed_timezones(), min_size=len(gaps), max_size=len(gaps)))
    times = [start]
    for gap, zone in zip(gaps, zones, strict=True):
        times.append((times[-1] + gap).astimezone(zone))
    return tuple(times)


class Clock:
    """Hands out the given increasing times, then one minute after the last, and so on."""

    def __init__(self, times: Sequence[datetime]) -> None:
        if not times:
            times = (datetime(2018, 1, 8, 9, 0, tzinfo=UTC),)
        self._times = list(times)
        self._next = 0

    def __call__(self) -> datetime:
        """The next time, later than every earlier one."""
        if self._next < len(self._times):
            moment = self._times[self._next]
        else:
            moment = self._times[-1] + timedelta(minutes=self._next - len(self._times) + 1)
        self._next += 1
        return moment

    def __repr__(self) -> str:
        return f"Clock(start={self._times[0].isoformat()}, handed_out={self._next})"


# --- data events ----------------------------------------------------------------------------------
# Each takes `ids`, the ids of the parties events should mostly concern (the pool when None).


def party_ids(ids: Sequence[str] | None = None) -> SearchStrategy[str]:
    """An id from the pool; with `ids`, one of those two times out of three."""
    if ids is None or not ids:
        return st.sampled_from(PARTY_IDS)
    known = st.sampled_from(tuple(ids))
    return st.one_of(known, known, st.sampled_from(PARTY_IDS))


def party_joined(ids: Sequence[str] | None = None) -> SearchStrategy[cf.PartyJoined]:
    """A party from the pool joins (twice is rejected by `record`)."""
    return st.builds(cf.PartyJoined, parties())


def party_left(ids: Sequence[str] | None = None) -> SearchStrategy[cf.PartyLeft]:
    """A party leaves."""
    return st.builds(cf.PartyLeft, party_ids(ids), reason=optional_texts())


def interest_shared(ids: Sequence[str] | None = None) -> SearchStrategy[cf.InterestShared]:
    """An interest from the pool, endorsed by some parties."""
    return st.builds(
        cf.InterestShared,
        interest_ids(),
        st.frozensets(party_ids(ids), min_size=1),
        description=optional_texts(),
    )


def value_named(ids: Sequence[str] | None = None) -> SearchStrategy[cf.ValueNamed]:
    """What a party brings and gains."""
    return st.builds(cf.ValueNamed, party_ids(ids), names(), names())


@st.composite
def dependency_declared(draw: st.DrawFn, ids: Sequence[str] | None = None) -> cf.DependencyDeclared:
    """One party depends on another."""
    party = draw(party_ids(ids))
    others = [p for p in (*(ids or ()), *PARTY_IDS) if p != party]
    return cf.DependencyDeclared(party, draw(st.sampled_from(others)), need=draw(optional_texts()))


def assessed(ids: Sequence[str] | None = None) -> SearchStrategy[cf.Assessed]:
    """A boundary-biased score of a party on a dimension, by one of a few respondents."""
    return st.builds(
        cf.Assessed, party_ids(ids), dimensions(), scores(), respondent=st.sampled_from(RESPONDENTS)
    )


def contribution_committed(
    ids: Sequence[str] | None = None,
) -> SearchStrategy[cf.ContributionCommitted]:
    """A contribution in cash, in kind, or both."""
    return st.builds(
        cf.ContributionCommitted,
        party_ids(ids),
        st.sampled_from(CONTRIBUTION_IDS),
        cash=money(),
        in_kind=st.booleans(),
    )


def contribution_withdrawn(
    ids: Sequence[str] | None = None,
) -> SearchStrategy[cf.ContributionWithdrawn]:
    """A contribution of the pool withdrawn."""
    return st.builds(cf.ContributionWithdrawn, party_ids(ids), st.sampled_from(CONTRIBUTION_IDS))


def decision_rule_set(ids: Sequence[str] | None = None) -> SearchStrategy[cf.DecisionRuleSet]:
    """A decision rule, with weights for some parties."""
    return st.builds(
        cf.DecisionRuleSet,
        st.sampled_from(cf.DecisionRule),
        weights=st.dictionaries(party_ids(ids), weights(), max_size=len(PARTY_IDS)),
    )


def themes(ids: Sequence[str] | None = None) -> SearchStrategy[cf.Theme]:
    """A theme, sometimes without owner, indicator or interests."""
    return st.builds(
        cf.Theme,
        theme_ids(),
        names(),
        st.one_of(st.just(""), party_ids(ids)),
        st.sampled_from(("", "CO2 per inhabitant", "jobs created")),
        st.lists(interest_ids(), max_size=2, unique=True),
    )


def agenda_proposed(ids: Sequence[str] | None = None) -> SearchStrategy[cf.AgendaProposed]:
    """An agenda version with up to three themes (distinct ids)."""
    return st.builds(
        cf.AgendaProposed,
        versions(),
        st.lists(themes(ids), max_size=3, unique_by=lambda theme: theme.id),
    )


def agenda_approved(ids: Sequence[str] | None = None) -> SearchStrategy[cf.AgendaApproved]:
    """A party approves an agenda version."""
    return st.builds(cf.AgendaApproved, party_ids(ids), versions())


def declaration_signed(ids: Sequence[str] | None = None) -> SearchStrategy[cf.DeclarationSigned]:
    """A party signs the declaration on an agenda version."""
    return st.builds(
        cf.DeclarationSigned, party_ids(ids), names(), versions(), role=optional_texts()
    )


def role_assigned(ids: Sequence[str] | None = None) -> SearchStrategy[cf.RoleAssigned]:
    """A programme-office role for a party."""
    return st.builds(
        cf.RoleAssigned, st.sampled_from(ROLES), party_ids(ids), person=optional_texts()
    )


def budget_set(ids: Sequence[str] | None = None) -> SearchStrategy[cf.BudgetSet]:
    """A programme budget, zero included."""
    return st.builds(cf.BudgetSet, money())


def theme_closed(ids: Sequence[str] | None = None) -> SearchStrategy[cf.ThemeClosed]:
    """A theme of the pool closed."""
    return st.builds(cf.ThemeClosed, theme_ids())


def review_recorded(ids: Sequence[str] | None = None) -> SearchStrategy[cf.ReviewRecorded]:
    """A review, final or not."""
    return st.builds(cf.ReviewRecorded, names(), final=st.booleans())


EVENT_STRATEGIES: Mapping[type, Callable[[Sequence[str] | None], SearchStrategy[Any]]] = {
    cf.PartyJoined: party_joined,
    cf.PartyLeft: party_left,
    cf.InterestShared: interest_shared,
    cf.ValueNamed: value_named,
    cf.DependencyDeclared: dependency_declared,
    cf.Assessed: assessed,
    cf.ContributionCommitted: contribution_committed,
    cf.ContributionWithdrawn: contribution_withdrawn,
    cf.DecisionRuleSet: decision_rule_set,
    cf.AgendaProposed: agenda_proposed,
    cf.AgendaApproved: agenda_approved,
    cf.DeclarationSigned: declaration_signed,
    cf.RoleAssigned: role_assigned,
    cf.BudgetSet: budget_set,
    cf.ThemeClosed: theme_closed,
    cf.ReviewRecorded: review_recorded,
}
"""One strategy per data event type."""


def data_events(ids: Sequence[str] | None = None) -> SearchStrategy[DataEvent]:
    """Any data event, each type equally often."""
    return _data_events(None if ids is None else tuple(sorted(ids)))


@functools.cache
def _data_events(ids: tuple[str, ...] | None) -> SearchStrategy[DataEvent]:
    # Cached: building (and validating) these strategies anew for every example is slow.
    return st.one_of([strategy(ids) for strategy in EVENT_STRATEGIES.values()])


def triggers() -> SearchStrategy[str]:
    """A manual trigger of the default process, valid in the current state or not."""
    return st.sampled_from(MANUAL_TRIGGERS)


def fires() -> SearchStrategy[cf.Fire]:
    """A request to fire a manual trigger, with or without a reason."""
    return st.builds(cf.Fire, triggers(), reason=st.one_of(st.just(""), optional_texts()))


def steps(ids: Sequence[str] | None = None) -> SearchStrategy[Step]:
    """A random step: a data event (often a score or a disruption) or a trigger."""
    return _steps(None if ids is None else tuple(sorted(ids)))


@functools.cache
def _steps(ids: tuple[str, ...] | None) -> SearchStrategy[Step]:
    events = _data_events(ids)
    return st.one_of(events, events, assessed(ids), assessed(ids), disruptions(ids), fires())


def low_scores() -> SearchStrategy[float]:
    """Scores at or just under the regression threshold, and the bottom of the scale."""
    return st.sampled_from((1.0, 2.0, 2.99, _below(3.0), 3.0))


def disruptions(ids: Sequence[str] | None = None) -> SearchStrategy[DataEvent]:
    """Events that may send a trajectory back: low scores, withdrawals, comings and goings, a
    higher budget."""
    return st.one_of(
        st.builds(
            cf.Assessed,
            party_ids(ids),
            dimensions(),
            low_scores(),
            respondent=st.sampled_from(RESPONDENTS),
        ),
        contribution_withdrawn(ids),
        party_left(ids),
        party_joined(ids),
        budget_set(ids),
    )


# --- events a snapshot must reject ---------------------------------------------------------------


@st.composite
def _withdraw_unknown(draw: st.DrawFn, snapshot: cf.Snapshot) -> cf.ContributionWithdrawn:
    party = draw(st.sampled_from(snapshot.party_ids))
    committed = {c.id for c in snapshot.committed(party)}
    free = [c for c in (*CONTRIBUTION_IDS, "never-committed") if c not in committed]
    return cf.ContributionWithdrawn(party, draw(st.sampled_from(free)))


def rejected_events(snapshot: cf.Snapshot) -> SearchStrategy[DataEvent]:
    """Constructible events that `snapshot` must reject with `InvalidEventError`.

    An unknown party (in any role), a score off the default scale, an agenda version that is
    not higher than the last, approving or signing a version that does not exist, a theme owned
    by an unknown party or linked to an unknown interest, closing an unknown theme, withdrawing a
    contribution that is not committed, a weight for an unknown party, a party joining twice; in
    a terminal state, any data event.
    """
    if PROCESS.state(snapshot.state).terminal:
        return data_events()
    known = snapshot.party_ids
    unknown = st.sampled_from((*(p for p in PARTY_IDS if p not in known), "ghost", "left-long-ago"))
    r = snapshot.registers
    existing = {version.version for version in r.agenda}
    last = max(existing, default=0)
    shared = {interest.id for interest in r.interests}
    proposed_themes = {theme.id for version in r.agenda for theme in version.themes}
    missing_version = st.integers(min_value=1, max_value=last + 5).filter(
        lambda v: v not in existing
    )
    some_known = st.sampled_from(known)
    theme_of = st.builds(
        cf.Theme,
        theme_ids(),
        names(),
        st.one_of(st.just(""), some_known),
        st.just("i"),
        st.just(()),
    )
    options: list[SearchStrategy[DataEvent]] = [
        st.builds(cf.PartyLeft, unknown),
        st.builds(cf.ValueNamed, unknown, names(), names()),
        st.builds(cf.Assessed, unknown, dimensions(), scores()),
        st.builds(cf.Assessed, some_known, dimensions(), off_scale_scores()),
        st.builds(cf.ContributionCommitted, unknown, st.sampled_from(CONTRIBUTION_IDS)),
        st.builds(cf.AgendaApproved, unknown, versions()),
        st.builds(cf.AgendaApproved, some_known, missing_version),
        st.builds(cf.DeclarationSigned, unknown, names(), versions()),
        st.builds(cf.DeclarationSigned, some_known, names(), missing_version),
        st.builds(cf.RoleAssigned, st.sampled_from(ROLES), unknown),
        st.builds(
            cf.DecisionRuleSet,
            st.sampled_from(cf.DecisionRule),
            weights=st.builds(lambda party, w: {party: w}, unknown, weights()),
        ),
        st.builds(
            cf.InterestShared,
            interest_ids(),
            st.builds(lambda a, b: {a, *b}, unknown, st.frozensets(some_known)),
        ),
        st.builds(lambda a, b: cf.DependencyDeclared(a, b), some_known, unknown),
        st.builds(lambda a, b: cf.DependencyDeclared(a, b), unknown, some_known),
        st.builds(cf.PartyJoined, st.builds(cf.Party, some_known)),
        _withdraw_unknown(snapshot),
        st.builds(
            cf.AgendaProposed,
            st.integers(min_value=last + 1, max_value=last + 3),
            st.builds(
                lambda owner, theme: [cf.Theme(theme, "Theme", owner, "i", ())],
                unknown,
                theme_ids(),
            ),
        ),
        st.builds(
            cf.AgendaProposed,
            st.integers(min_value=last + 1, max_value=last + 3),
            st.builds(
                lambda theme, interest: [theme, cf.Theme("linked", "Linked", "", "i", (interest,))],
                theme_of,
                st.sampled_from((*(i for i in INTEREST_IDS if i not in shared), "never-shared")),
            ),
        ),
        st.builds(
            cf.ThemeClosed,
            st.sampled_from((*(t for t in THEME_IDS if t not in proposed_themes), "no-such-theme")),
        ),
    ]
    if last:
        options.append(
            st.builds(cf.AgendaProposed, st.integers(min_value=1, max_value=last), st.just(()))
        )
    return st.one_of(options)


# --- the happy path: valid events that move a snapshot forward ---------------------------------

ACTIVE = ("exploring", "building_culture", "agenda_setting", "signing", "organising", "operating")
FORWARD: Mapping[str, tuple[str, str]] = {
    "exploring": ("form_culture", "building_culture"),
    "building_culture": ("set_agenda", "agenda_setting"),
    "agenda_setting": ("open_signing", "signing"),
    "signing": ("organise", "organising"),
    "organising": ("start", "operating"),
    "operating": ("complete", "completed"),
}
"""The forward trigger of every active state, and where it goes."""

_ENERGY = (cf.Dimension.STAKE, cf.Dimension.URGENCY, cf.Dimension.IMPACT)


@dataclass(frozen=True)
class PlanValues:
    """The free choices of a plan: the score it gives, the money it commits, the rule it sets."""

    score: float = 4.0
    cash: Decimal = Decimal(1000)
    in_kind: bool = False
    weighted: bool = False


def plan_values() -> SearchStrategy[PlanValues]:
    """Choices for a plan: entry scores (3.5 often), positive cash, in kind or not, the rule."""
    cash = st.one_of(
        st.sampled_from((Decimal("0.01"), Decimal(1000))),
        st.decimals(min_value="0.01", max_value=1_000_000, places=2),
    )
    return st.builds(
        PlanValues,
        score=entry_scores(),
        cash=cash,
        in_kind=st.booleans(),
        weighted=st.booleans(),
    )


class PlanError(AssertionError):
    """A planned step was refused or rejected: the plan (or the engine) is wrong."""


class _Planner:
    """Emits valid events for a snapshot, applying each one with the pure engine as it goes."""

    def __init__(self, process: cf.Process, snapshot: cf.Snapshot, values: PlanValues) -> None:
        self.process = process
        self.settings = process.settings
        self.snapshot = snapshot
        self.values = values
        self.at = snapshot.at or datetime(2018, 1, 8, tzinfo=UTC)
        self.steps: list[Step] = []

    @property
    def ids(self) -> tuple[str, ...]:
        return self.snapshot.party_ids

    def emit(self, step: Step) -> None:
        try:
            result = self.process.apply(self.snapshot, step, at=self.at)
        except cf.InvalidEventError as error:
            raise PlanError(
                f"planned {step!r} is invalid in {self.snapshot.state}: {error}"
            ) from error
        if isinstance(result, cf.Refused):
            raise PlanError(f"planned {step!r} is refused: {result.explanation.message()}")
        self.snapshot = result.snapshot
        self.steps.append(step)

    def emit_all(self, steps: Iterable[Step]) -> None:
        for step in steps:
            self.emit(step)

    # --- one fix per condition, each a no-op when it already holds ---------------------------

    def common_interest(self) -> str:
        ids = set(self.ids)
        for interest in self.snapshot.registers.interests:
            if ids <= interest.parties:
                return interest.id
        self.emit(cf.InterestShared(INTEREST_IDS[0], self.ids))
        return INTEREST_IDS[0]

    def common_ground(self) -> None:
        self.common_interest()
        r = self.snapshot.registers
        named = {value.party for value in r.values}
        self.emit_all(
            cf.ValueNamed(p, "what it brings", "what it gains") for p in self.ids if p not in named
        )
        depends = {d.party for d in r.dependencies if d.depends_on in self.ids}
        depended = {d.depends_on for d in r.dependencies if d.party in self.ids}
        if any(p not in depends or p not in depended for p in self.ids):
            ring = self.ids[1:] + self.ids[:1]
            self.emit_all(cf.DependencyDeclared(a, b) for a, b in zip(self.ids, ring, strict=True))

    def scores(self) -> None:
        # Raise every present score below the target first (means only go up), then add the
        # missing ones (every other score is at the target or above by then): nothing regresses.
        target = self.values.score
        raises = [
            cf.Assessed(s.party, s.dimension, target, respondent=s.respondent)
            for s in self.snapshot.registers.scores
            if s.party in self.ids and s.score < target
        ]
        self.emit_all(raises)
        present = {(s.party, s.dimension) for s in self.snapshot.registers.scores}
        self.emit_all(
            cf.Assessed(p, dimension, target)
            for p in self.ids
            for dimension in cf.Dimension
            if (p, dimension) not in present
        )

    def energy_low(self) -> bool:
        floor = self.settings.regression_threshold
        for party in self.ids:
            means = []
            for dimension in _ENERGY:
                found = [
                    s.score
                    for s in self.snapshot.registers.scores
                    if s.party == party and s.dimension == dimension
                ]
                if found:
                    means.append(sum(found) / len(found))
            if len(means) == len(_ENERGY) and sum(means) / len(means) < floor:
                return True
        return False

    def fresh_contribution(self, party: str) -> str:
        # Ids from the pool first, so random withdrawals hit planned contributions too.
        taken = {c.id for c in self.snapshot.committed(party)}
        candidates = (*CONTRIBUTION_IDS, *(f"plan-{n}" for n in range(1, len(taken) + 2)))
        return next(c for c in candidates if c not in taken)

    def reciprocity(self) -> None:
        for party in self.ids:
            if not self.snapshot.committed(party):
                self.emit(
                    cf.ContributionCommitted(
                        party,
                        self.fresh_contribution(party),
                        cash=self.values.cash,
                        in_kind=self.values.in_kind,
                    )
                )
        gaining = {value.party for value in self.snapshot.registers.values}
        self.emit_all(
            cf.ValueNamed(p, "what it brings", "what it gains")
            for p in self.ids
            if p not in gaining
        )

    def fair_weights(self) -> bool:
        r = self.snapshot.registers
        total = sum(r.weights.get(p, 0.0) for p in self.ids)
        if total <= 0:
            return False
        shares = [r.weights.get(p, 0.0) / total for p in self.ids]
        return all(0 < share <= self.settings.max_weight_share for share in shares)

    def equal_standing(self) -> None:
        rule = self.snapshot.registers.decision_rule
        if self.values.weighted:
            if rule is not cf.DecisionRule.WEIGHTED or not self.fair_weights():
                weights = dict.fromkeys(self.ids, 1.0)
                self.emit(cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights=weights))
        elif rule is cf.DecisionRule.WEIGHTED and not self.fair_weights():
            self.emit(cf.DecisionRuleSet(cf.DecisionRule.CONSENSUS))

    def agenda_fine(self) -> bool:
        approved = self.snapshot.approved_agenda()
        return (
            approved is not None
            and bool(approved.themes)
            and all(
                theme.owner in self.ids and theme.indicator.strip() and theme.interests
                for theme in approved.themes
            )
        )

    def agenda(self, *, entry: bool) -> None:
        # Entering signing needs a sound approved agenda; later states only need one approved
        # (a new version there would void the declaration and send the trajectory back).
        if self.agenda_fine() if entry else self.snapshot.approved_agenda() is not None:
            return
        interest = self.common_interest()
        version = max((v.version for v in self.snapshot.registers.agenda), default=0) + 1
        themes = [
            cf.Theme(f"plan-{version}-{party}", f"Theme of {party}", party, "indicator", [interest])
            for party in self.ids
        ]
        self.emit(cf.AgendaProposed(version, themes))
        self.emit_all(cf.AgendaApproved(party, version) for party in self.ids)

    def declaration(self) -> None:
        approved = self.snapshot.approved_agenda()
        assert approved is not None, "the agenda fix comes first"
        signed = {
            s.party for s in self.snapshot.registers.signatures if s.version == approved.version
        }
        self.emit_all(
            cf.DeclarationSigned(p, "Signatory", approved.version, role="director")
            for p in self.ids
            if p not in signed
        )

    def office(self) -> None:
        r = self.snapshot.registers
        held = {role.role for role in r.roles if role.party in self.ids}
        self.emit_all(
            cf.RoleAssigned(role, self.ids[0])
            for role in self.settings.required_roles
            if role not in held
        )
        busy = {role.party for role in self.snapshot.registers.roles}
        approved = self.snapshot.approved_agenda()
        if approved is not None:
            busy.update(theme.owner for theme in approved.themes)
        self.emit_all(cf.RoleAssigned(f"member-{p}", p) for p in self.ids if p not in busy)

    def finances(self) -> None:
        budget = self.snapshot.registers.budget
        cash = self.snapshot.committed_cash()
        coverage = Decimal(str(self.settings.coverage))
        if budget is not None and budget > 0 and cash >= budget * coverage:
            return
        if cash <= 0:
            party = self.ids[0]
            self.emit(
                cf.ContributionCommitted(
                    party, self.fresh_contribution(party), cash=self.values.cash
                )
            )
        self.emit(cf.BudgetSet(self.snapshot.committed_cash()))

    def completion(self) -> None:
        approved = self.snapshot.approved_agenda()
        assert approved is not None, "operating has an approved agenda"
        closed = self.snapshot.registers.closed_themes
        self.emit_all(cf.ThemeClosed(t.id) for t in approved.themes if t.id not in closed)
        if not any(review.final for review in self.snapshot.registers.reviews):
            self.emit(cf.ReviewRecorded("Final review", final=True))

    def prepare(self, level: int) -> None:
        """Make the entry guards of every state up to ACTIVE[level] (6: completed) hold."""
        if level >= 1:
            self.common_ground()
            if level == 1 and self.energy_low():
                self.scores()  # building_culture regresses on low energy (lose_energy)
        if level >= 2:
            self.scores()
            self.reciprocity()
            self.equal_standing()
        if level >= 3:
            self.agenda(entry=level == 3)
        if level >= 4:
            self.declaration()
        if level >= 5:
            self.office()
            self.finances()
        if level >= 6:
            self.completion()


def advance_plan(
    process: cf.Process, snapshot: cf.Snapshot, values: PlanValues | None = None
) -> tuple[list[Step], cf.Snapshot]:
    """Valid steps that move `snapshot` one state forward (or resume it), and where they lead.

    From an active state the steps make the next state's entry guards hold and fire its forward
    trigger; from `stalled` they make the remembered state's entry guards hold and fire
    ``resume``. In a terminal state there is nothing to do. Raises `PlanError` when a planned
    step is rejected or refused.
    """
    planner = _Planner(process, snapshot, values or PlanValues())
    state = snapshot.state
    if process.state(state).terminal:
        return [], snapshot
    if state == "stalled":
        if snapshot.previous not in ACTIVE:
            raise PlanError(f"stalled, but remembers {snapshot.previous!r}")
        trigger, level = "resume", ACTIVE.index(snapshot.previous)
    else:
        trigger, level = FORWARD[state][0], ACTIVE.index(state) + 1
    planner.prepare(level)
    planner.emit(cf.Fire(trigger))
    return planner.steps, planner.snapshot


def happy_stages(
    process: cf.Process,
    snapshot: cf.Snapshot,
    until: str = "completed",
    values: PlanValues | None = None,
    *,
    rounds: int = 12,
) -> list[list[Step]]:
    """Valid steps that bring `snapshot` to state `until`, one list per state passed."""
    stages: list[list[Step]] = []
    for _ in range(rounds):
        if snapshot.state == until or process.state(snapshot.state).terminal:
            break
        steps, snapshot = advance_plan(process, snapshot, values)
        stages.append(steps)
    if snapshot.state != until:
        raise PlanError(f"no path to {until!r}: stuck in {snapshot.state!r}")
    return stages


def happy_path(
    process: cf.Process,
    snapshot: cf.Snapshot,
    until: str = "completed",
    values: PlanValues | None = None,
) -> list[Step]:
    """Valid steps that bring `snapshot` to state `until` (a state along the happy path)."""
    return [step for stage in happy_stages(process, snapshot, until, values) for step in stage]


# --- independent readings of the registers (shared by the property and stateful tests) ---


_ENERGY_DIMENSIONS = (cf.Dimension.STAKE, cf.Dimension.URGENCY, cf.Dimension.IMPACT)


def mean_score(snapshot: cf.Snapshot, party: str, dimension: cf.Dimension) -> float | None:
    """The mean of the latest score of each respondent, read from the register."""
    found = [
        s.score for s in snapshot.registers.scores if s.party == party and s.dimension == dimension
    ]
    return sum(found) / len(found) if found else None


def scores_under_the_floor(snapshot: cf.Snapshot) -> list[str]:
    """Every present trust, voice or (complete) energy mean under the regression threshold."""
    low: list[str] = []
    floor = cf.default_process().settings.regression_threshold
    for party in snapshot.party_ids:
        for dimension in (cf.Dimension.TRUST, cf.Dimension.VOICE):
            score = mean_score(snapshot, party, dimension)
            if score is not None and score < floor:
                low.append(f"{party} {dimension.value} {score}")
        energy = [
            mean_score(snapshot, party, dimension)
            for dimension in (cf.Dimension.STAKE, cf.Dimension.URGENCY, cf.Dimension.IMPACT)
        ]
        present = [score for score in energy if score is not None]
        if len(present) == 3 and sum(present) / len(present) < floor:
            low.append(f"{party} energy {present}")
    return low


# --- processes with any text, for the writers ------------------------------------------------

EDGE_CHARACTERS = (
    '"\\\b\t\n\f\r\x00\x1b\x1f\x7f\x80\x85\x9f\xa0\u2028\u2029\u202e\ufeff\ufffe\uffff\U0010ffff'
)
"""Characters a writer must escape or must not: quotes, controls (C0, DEL, C1), separators."""


@functools.cache
def unicode_texts(*, min_size: int = 0, max_size: int = 12) -> SearchStrategy[str]:
    """Text from every Unicode category but lone surrogates, with the edge characters often."""
    characters = st.characters(exclude_categories=["Cs"]) | st.sampled_from(EDGE_CHARACTERS)
    return st.text(characters, min_size=min_size, max_size=max_size)


@functools.cache
def words() -> SearchStrategy[str]:
    """Non-blank text of every Unicode category: ids, labels, roles."""
    return unicode_texts(min_size=1, max_size=8).filter(lambda text: bool(text.strip()))


# Built once: a strategy built anew for every example is validated anew, which is slow.
_LABELS = st.fixed_dictionaries({"en": words(), "nl": words()})
_FRACTIONS = st.floats(min_value=0.0, max_value=1.0)
_SHARES = st.floats(min_value=0.0, max_value=1.0, exclude_min=True)
_FINITE = st.floats(allow_nan=False, allow_infinity=False)
_GUARD_LEAVES = st.one_of(
    st.tuples(st.just("trust"), st.none() | _FRACTIONS),
    st.tuples(st.sampled_from(("equal_standing", "finances_covered")), st.none() | _SHARES),
    st.tuples(st.just("roles_assigned"), st.none() | st.lists(words(), max_size=3)),
    st.tuples(st.just("came_from"), st.integers(0, 9)),
    st.tuples(st.sampled_from(("common_ground", "reciprocity", "energy", "completion")), st.none()),
)
_GUARD_TREES = st.recursive(
    _GUARD_LEAVES,
    lambda children: st.one_of(
        st.tuples(
            st.sampled_from(("all_of", "any_of")), st.lists(children, min_size=1, max_size=3)
        ),
        st.tuples(st.just("not"), children),
    ),
    max_leaves=6,
)
_GUARD_LISTS = st.lists(_GUARD_TREES, max_size=2)
_CONDITIONS = st.lists(
    st.sampled_from((guards.culture_breached(), guards.energy_lost(), guards.funding_lost())),
    min_size=1,
    max_size=2,
)


def _between(lowest: float, highest: float, fraction: float) -> float:
    # A weighted mean, so that no intermediate value overflows, kept on the scale against rounding.
    return min(max(lowest * (1 - fraction) + highest * fraction, lowest), highest)


def _guard(
    tree: Any, settings: cf.Settings, states: Sequence[str], roles: set[str]
) -> guards.Guard:
    """The guard a tree drawn from `_GUARD_TREES` stands for, its values fitted to the process
    (the roles it names are added to `roles`, for the vocabulary to declare)."""
    kind, argument = tree
    if kind in ("all_of", "any_of"):
        combine: Callable[..., guards.Guard] = getattr(guards, kind)
        return combine(*(_guard(item, settings, states, roles) for item in argument))
    if kind == "not":
        return guards.not_(_guard(argument, settings, states, roles))
    if kind == "roles_assigned" and argument is not None:
        roles.update(argument)
    if kind == "trust" and argument is not None:
        return guards.trust(_between(*settings.scale, argument))
    if kind == "came_from":
        return guards.came_from(states[argument % len(states)])
    factory: Callable[..., guards.Guard] = getattr(guards, kind)
    return factory() if argument is None else factory(argument)


@st.composite
def process_settings(draw: st.DrawFn) -> cf.Settings:
    """Valid settings with any finite numbers, role names of any text, and any score age."""
    lowest, highest = sorted(draw(st.lists(_FINITE, min_size=2, max_size=2, unique=True)))
    regression, entry = sorted(_between(lowest, highest, draw(_FRACTIONS)) for _ in range(2))
    return cf.Settings(
        scale=(lowest, highest),
        entry_threshold=entry,
        regression_threshold=regression,
        max_weight_share=draw(_SHARES),
        coverage=draw(_SHARES),
        required_roles=draw(st.lists(words(), max_size=3)),
        max_score_age=draw(st.none() | st.timedeltas(min_value=timedelta(microseconds=1))),
    )


@st.composite
def processes(draw: st.DrawFn) -> cf.Process:
    """Valid processes with any text wherever text goes (ids, triggers, labels, version, roles)
    and any valid numbers and guard parameters: what the JSON and TOML writers must carry.

    Open states form a chain from the initial one; the last open state leads to every terminal
    one; random manual and automatic transitions come on top.
    """
    names = draw(st.lists(words(), min_size=7, max_size=10, unique=True))
    opened, ended = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    open_ids, end_ids = names[:opened], names[opened : opened + ended]
    automatic, manual = names[-1], names[opened + ended : -1]
    ids = open_ids + end_ids
    settings = draw(process_settings())
    roles = set(settings.required_roles)
    states = [
        cf.State(i, draw(_LABELS), initial=i == open_ids[0], terminal=i in end_ids) for i in ids
    ]

    def pick(options: Sequence[str]) -> str:
        return options[draw(st.integers(0, len(options) - 1))]

    def move(source: str, dest: str, *, regression: bool = False) -> cf.Transition:
        trees = draw(_GUARD_LISTS)
        return cf.Transition(
            automatic if regression else pick(manual),
            source=source,
            dest=dest,
            guards=draw(_CONDITIONS)
            if regression
            else [_guard(t, settings, ids, roles) for t in trees],
            automatic=regression,
            labels=draw(_LABELS),
            voids_declaration=draw(st.booleans()),
        )

    chain = [*itertools.pairwise(open_ids), *((open_ids[-1], end) for end in end_ids)]
    transitions = [move(source, dest) for source, dest in chain]
    transitions += [move(pick(open_ids), pick(ids)) for _ in range(draw(st.integers(0, 3)))]
    transitions += [
        move(pick(open_ids), pick(ids), regression=True) for _ in range(draw(st.integers(0, 2)))
    ]
    try:
        vocabulary = cf.Vocabulary(roles={role: draw(_LABELS) for role in sorted(roles)})
        return cf.Process(
            draw(words()),
            states,
            transitions,
            settings=settings,
            version=draw(words()),
            vocabulary=vocabulary,
        )
    except cf.InvalidProcessError:
        reject()  # the same transition twice, say
