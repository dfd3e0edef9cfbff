"""Hypothesis strategies for coopflow's values; every value they make is valid.

Scores are biased towards the boundaries that matter: the scale's ends, the regression and
entry thresholds, and just around them. Events refer to the party ids you give, so most of them
apply to a trajectory of those parties; `trajectories` builds trajectories by replaying events on
the real engine, so every trajectory it makes is one the process can really reach.

Example:
    >>> from hypothesis import given
    >>> import coopflow as cf
    >>> from coopflow.testing import strategies as cst
    >>> @given(cst.scores())
    ... def test_scores_are_on_the_scale(score):
    ...     assert 1.0 <= score <= 5.0
    >>> test_scores_are_on_the_scale()
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import coopflow as cf
from coopflow._events import DataEvent
from coopflow._text import Phrase

try:
    from hypothesis import strategies as st
except ImportError as error:  # coopflow installed without its `testing` extra
    raise cf.MissingExtraError("hypothesis", extra="testing", needed_by=__name__) from error

__all__ = [
    "PARTY_IDS",
    "data_events",
    "event_strategies",
    "events",
    "parties",
    "party_ids",
    "scores",
    "themes",
    "trajectories",
    "triggers",
]

PARTY_IDS = ("gemeente", "universiteit", "woningcorporatie")
"""The party ids the strategies use by default: few, so events often meet known parties."""

_T0 = datetime(2018, 6, 14, 10, tzinfo=UTC)
_ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
_words = st.text(min_size=1, max_size=20).filter(lambda text: bool(text.strip()))


def party_ids() -> st.SearchStrategy[str]:
    """Valid party ids (non-empty, printable).

    Example:
        >>> from coopflow.testing import strategies as cst
        >>> from hypothesis import find
        >>> len(find(cst.party_ids(), lambda id: len(id) > 3)) > 3
        True
    """
    return _ids


def parties(ids: Sequence[str] | None = None) -> st.SearchStrategy[cf.Party]:
    """Parties with ids from `ids` (or any valid id), names and sectors.

    Example:
        >>> import coopflow as cf
        >>> from coopflow.testing import strategies as cst
        >>> from hypothesis import find
        >>> find(cst.parties(["uni"]), lambda party: True).id
        'uni'
    """
    return st.builds(
        lambda id, name, sector: cf.Party(id, name=name or id, sector=sector),
        st.sampled_from(ids) if ids else _ids,
        st.one_of(st.just(""), _words),
        st.one_of(st.none(), st.sampled_from(cf.Sector)),
    )


def scores(process: cf.Process | None = None) -> st.SearchStrategy[float]:
    """Scores on the process's scale, biased to its ends, thresholds and just around them.

    Example:
        >>> from coopflow.testing import strategies as cst
        >>> from hypothesis import find
        >>> 3.4 < find(cst.scores(), lambda score: score > 3.4) <= 5.0
        True
    """
    settings = (process or cf.default_process()).settings
    low, high = settings.scale
    marks = [low, high, settings.regression_threshold, settings.entry_threshold]
    near = [mark + delta for mark in marks for delta in (-0.01, 0.01)]
    boundary = sorted({value for value in marks + near if low <= value <= high})
    return st.one_of(
        st.sampled_from(boundary),
        st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False),
    )


def themes(
    ids: Sequence[str] = PARTY_IDS, interests: Sequence[str] = ("interest",)
) -> st.SearchStrategy[cf.Theme]:
    """Agenda themes owned by one of `ids`, linked to some of `interests`.

    Example:
        >>> from coopflow.testing import strategies as cst
        >>> from hypothesis import find
        >>> find(cst.themes(), lambda theme: True).owner in cst.PARTY_IDS
        True
    """
    return st.builds(
        cf.Theme,
        _ids,
        _words,
        st.sampled_from(ids),
        st.one_of(st.just(""), _words),
        st.lists(st.sampled_from(interests), max_size=2, unique=True) if interests else st.just([]),
    )


def event_strategies(
    process: cf.Process | None = None, ids: Sequence[str] = PARTY_IDS
) -> dict[type, st.SearchStrategy[DataEvent]]:
    """One strategy per data event class, about the parties `ids`.

    Example:
        >>> import coopflow as cf
        >>> from coopflow.testing import strategies as cst
        >>> len(cst.event_strategies())
        16
    """
    party = st.sampled_from(ids)
    interest = st.sampled_from(("interest", "evidence-based-policy"))
    version = st.integers(min_value=1, max_value=4)
    money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)
    contribution = st.sampled_from(("money", "staff", "rooms"))
    by_type: dict[type, st.SearchStrategy[Any]] = {
        cf.PartyJoined: parties().map(cf.PartyJoined),
        cf.PartyLeft: party.map(cf.PartyLeft),
        cf.InterestShared: st.builds(cf.InterestShared, interest, st.sets(party, min_size=1)),
        cf.ValueNamed: st.builds(cf.ValueNamed, party, _words, _words),
        cf.DependencyDeclared: st.tuples(party, party)
        .filter(lambda pair: pair[0] != pair[1])
        .map(lambda pair: cf.DependencyDeclared(*pair)),
        cf.Assessed: st.builds(cf.Assessed, party, st.sampled_from(cf.Dimension), scores(process)),
        cf.ContributionCommitted: st.builds(
            lambda p, c, cash, kind: cf.ContributionCommitted(p, c, cash=cash, in_kind=kind),
            party,
            contribution,
            money,
            st.booleans(),
        ),
        cf.ContributionWithdrawn: st.builds(cf.ContributionWithdrawn, party, contribution),
        cf.DecisionRuleSet: st.builds(
            lambda rule, weights: cf.DecisionRuleSet(rule, weights=weights),
            st.sampled_from(cf.DecisionRule),
            st.dictionaries(party, st.floats(min_value=0, max_value=10)),
        ),
        cf.AgendaProposed: st.builds(
            cf.AgendaProposed, version, st.lists(themes(ids), max_size=3, unique_by=lambda t: t.id)
        ),
        cf.AgendaApproved: st.builds(cf.AgendaApproved, party, version),
        cf.DeclarationSigned: st.builds(cf.DeclarationSigned, party, _words, version),
        cf.RoleAssigned: st.builds(
            cf.RoleAssigned, st.sampled_from(("programme_manager", "secretary")), party
        ),
        cf.BudgetSet: money.map(cf.BudgetSet),
        cf.ThemeClosed: _ids.map(cf.ThemeClosed),
        cf.ReviewRecorded: st.builds(
            lambda summary, final: cf.ReviewRecorded(summary, final=final), _words, st.booleans()
        ),
    }
    return by_type


def data_events(
    process: cf.Process | None = None, ids: Sequence[str] = PARTY_IDS
) -> st.SearchStrategy[DataEvent]:
    """Every kind of data event, about the parties `ids`.

    Example:
        >>> import coopflow as cf
        >>> from hypothesis import find
        >>> from coopflow.testing import strategies as cst
        >>> event = find(cst.data_events(), lambda event: isinstance(event, cf.Assessed))
        >>> 1.0 <= event.score <= 5.0
        True
    """
    return st.one_of(*event_strategies(process, ids).values())


def triggers(process: cf.Process | None = None) -> st.SearchStrategy[str]:
    """The manual triggers of the process.

    Example:
        >>> import coopflow as cf
        >>> from coopflow.testing import strategies as cst
        >>> from hypothesis import find
        >>> find(cst.triggers(), lambda trigger: True) in cf.default_process().triggers
        True
    """
    return st.sampled_from((process or cf.default_process()).triggers)


def events(
    process: cf.Process | None = None, ids: Sequence[str] = PARTY_IDS
) -> st.SearchStrategy[DataEvent | cf.Fire]:
    """Data events and trigger requests (`Fire`), as the pure engine takes them.

    Example:
        >>> import coopflow as cf
        >>> from coopflow.testing import strategies as cst
        >>> from hypothesis import find
        >>> type(find(cst.events(), lambda event: isinstance(event, cf.Fire))).__name__
        'Fire'
    """
    return st.one_of(data_events(process, ids), triggers(process).map(cf.Fire))


@st.composite
def _trajectory(
    draw: st.DrawFn,
    process: cf.Process,
    ids: Sequence[str],
    max_events: int,
    anywhere: bool,
) -> cf.Trajectory:
    from coopflow.testing._paths import shortest_paths

    members = tuple(cf.Party(party) for party in ids)
    if anywhere:
        path = draw(st.sampled_from(sorted(shortest_paths(process).values(), key=str)))
        trajectory = path.replay(process, parties=members, at=_T0)
    else:
        trajectory = cf.Trajectory.start(process, parties=members, at=_T0)
    when = _T0
    for event in draw(st.lists(events(process, ids), max_size=max_events)):
        when += timedelta(days=draw(st.integers(min_value=0, max_value=30)))
        try:
            if isinstance(event, cf.Fire):
                trajectory.fire(event.trigger, at=when)
            else:
                trajectory.record(event, at=when)
        except (cf.InvalidEventError, cf.TransitionRefused):
            pass  # refused or invalid here: the trajectory is unchanged, as the engine promises
    return trajectory


def trajectories(
    process: cf.Process | None = None,
    *,
    ids: Sequence[str] = PARTY_IDS[:2],
    max_events: int = 20,
    start: str = "initial",
) -> st.SearchStrategy[cf.Trajectory]:
    """Trajectories built by replaying random events on the real engine.

    Args:
        process: the process (default: `default_process()`).
        ids: the ids of the starting parties (at least two).
        max_events: how many random events to try after the start.
        start: ``"initial"`` starts in the initial state; ``"anywhere"`` first replays a shortest
            path to a random reachable state, so deep states are reached.

    Example:
        >>> import coopflow as cf
        >>> from coopflow.testing import strategies as cst
        >>> from hypothesis import find
        >>> find(cst.trajectories(start="anywhere"), lambda t: t.state == "operating").state
        'operating'
    """
    if start not in ("initial", "anywhere"):
        raise cf.UnknownNameError("start", start, Phrase("use 'initial' or 'anywhere'"))
    return _trajectory(process or cf.default_process(), tuple(ids), max_events, start == "anywhere")
