"""Guards: the conditions of good cooperation, as frozen data (a public namespace).

A guard is a frozen attrs value with a stable `kind` name and its parameters. Called with a
snapshot, the settings and the time of evaluation, it returns a `GuardResult` saying whether it
holds and, when it does not, which party failed and why. Guards never read the clock or do I/O,
so evaluating them has no side effects. The factories below are the way to write one; the
classes behind them are private.

The *generic* guards read a process's own words (its `Vocabulary`): `score`, `mean_score` and
`fact`, with the conditions `score_below` and `fact_revoked`. Each takes ``parties=``: ``"all"``
(the default), ``"any"``, a list of party ids, or ``{"tag": ...}``, ``{"sector": ...}``,
``{"role": ...}``. The seed's named guards (`trust`, `energy`, ...) are built on them.

A *condition* is a guard of an automatic regression: ``passed`` means it holds, and
``failures`` lists the findings that make it hold.

A custom guard is an attrs class registered with `register`, with its own messages; it may
also define ``problems(vocabulary, settings)`` (checked when a process is built) and
``witness(snapshot, settings, holds)`` (events that make it hold or fail, so that the checker's
paths through it replay). See the page "Your own process" of the documentation.

Example:
    >>> import coopflow as cf
    >>> from coopflow import guards
    >>> p = cf.default_process()
    >>> t = cf.Trajectory.start(p, parties=[cf.Party("a"), cf.Party("b")])
    >>> result = guards.trust()(t.snapshot, p.settings, t.snapshot.at)
    >>> result.passed, [f.key for f in result.failures]
    (False, ['score_missing', 'score_missing'])
"""

from collections import abc as _abc

from coopflow.guards import _combinators, _conditions, _cooperation, _facts, _scores
from coopflow.guards._registry import Guard, kinds, register

__all__ = [
    "Guard",
    "Parties",
    "agenda_approved",
    "all_of",
    "any_of",
    "came_from",
    "common_ground",
    "completion",
    "culture_breached",
    "declaration_incomplete",
    "declaration_signed",
    "energy",
    "energy_lost",
    "equal_standing",
    "fact",
    "fact_revoked",
    "finances_covered",
    "funding_lost",
    "kinds",
    "mean_score",
    "not_",
    "quorum_lost",
    "reciprocity",
    "register",
    "roles_assigned",
    "score",
    "score_below",
    "trust",
]

Parties = str | _abc.Iterable[str] | _abc.Mapping[str, str] | None
"""What ``parties=`` takes: "all", "any", party ids, or {"tag" | "sector" | "role": id}."""


# --- generic guards over the vocabulary ------------------------------------------------------


def score(
    dimension: str, *, at_least: float | None = None, parties: Parties = "all"
) -> "_scores.Score":
    """Every selected party's score on `dimension` is at least `at_least` (default: the entry
    threshold); a missing or too old score fails.

    Example:
        >>> from coopflow import guards
        >>> guards.score("trust", at_least=4.0, parties={"tag": "backbone"}).kind
        'score'
    """
    return _scores.Score(dimension, at_least=at_least, parties=parties)


def mean_score(
    dimensions: _abc.Iterable[str],
    *,
    at_least: float | None = None,
    each_at_least: float | None = None,
    parties: Parties = "all",
) -> "_scores.MeanScore":
    """For every selected party, the mean of its scores on `dimensions` is at least `at_least`
    (default: the entry threshold), and each at least `each_at_least` when given.

    Example:
        >>> from coopflow import guards
        >>> guards.mean_score(["stake", "urgency", "impact"], each_at_least=3.0).dimensions
        ('stake', 'urgency', 'impact')
    """
    return _scores.MeanScore(
        dimensions,
        at_least=at_least,
        each_at_least=each_at_least,
        parties=parties,
    )


def fact(fact: str, *, parties: Parties = None) -> "_facts.Fact":
    """The fact holds: a fact of the whole trajectory (no `parties`), or a per-party fact for
    every selected party (``parties="all"``, a tag, ...).

    Example:
        >>> from coopflow import guards
        >>> guards.fact("board_mandate", parties="all").parties
        'all'
    """
    return _facts.Fact(fact, parties=parties)


def score_below(
    dimension: str, *, below: float | None = None, parties: Parties = "all"
) -> "_scores.ScoreBelow":
    """A condition: some selected party's present score on `dimension` is under `below`
    (default: the regression threshold). A missing score never makes it hold.

    Example:
        >>> from coopflow import guards
        >>> guards.score_below("communication").kind
        'score_below'
    """
    return _scores.ScoreBelow(dimension, below=below, parties=parties)


def fact_revoked(fact: str, *, parties: Parties = None) -> "_facts.FactRevoked":
    """A condition: the fact held once and was withdrawn since (``FactRecorded(..., holds=False)``).

    Example:
        >>> from coopflow import guards
        >>> guards.fact_revoked("council_approval").kind
        'fact_revoked'
    """
    return _facts.FactRevoked(fact, parties=parties)


# --- the guards of the default process ---------------------------------------------------------


def common_ground() -> "_cooperation.CommonGround":
    """Two or more parties; an interest every party endorses; each party named its added value,
    depends on another and is depended on by another.

    Example:
        >>> from coopflow import guards
        >>> guards.common_ground()
        CommonGround()
    """
    return _cooperation.CommonGround()


def trust(threshold: float | None = None) -> "_scores.Trust":
    """Every party's trust is at least `threshold` (default: the process's entry threshold).

    Example:
        >>> from coopflow import guards
        >>> guards.trust(threshold=4.0)
        Trust(threshold=4.0)
    """
    return _scores.Trust(threshold=threshold)


def reciprocity() -> "_cooperation.Reciprocity":
    """Every party committed at least one contribution (in kind counts) and named a gain.

    Example:
        >>> from coopflow import guards
        >>> guards.reciprocity()
        Reciprocity()
    """
    return _cooperation.Reciprocity()


def equal_standing(max_share: float | None = None) -> "_cooperation.EqualStanding":
    """Consensus or unanimity, or weighted votes with no share above `max_share` (default: the
    settings' `max_weight_share`) and none at zero; and every party's voice at least the entry
    threshold.

    Example:
        >>> from coopflow import guards
        >>> guards.equal_standing()
        EqualStanding(max_share=None)
    """
    return _cooperation.EqualStanding(max_share=max_share)


def energy() -> "_scores.Energy":
    """Every party's stake, urgency and impact are each at least the regression threshold, and
    their mean at least the entry threshold.

    Example:
        >>> from coopflow import guards
        >>> guards.energy()
        Energy()
    """
    return _scores.Energy()


def agenda_approved() -> "_cooperation.AgendaApproved":
    """An agenda version approved by every party, with at least one theme, each theme with an
    owner among the parties, an indicator and a linked interest.

    Example:
        >>> from coopflow import guards
        >>> guards.agenda_approved()
        AgendaApproved()
    """
    return _cooperation.AgendaApproved()


def declaration_signed() -> "_cooperation.DeclarationSigned":
    """Every current party signed the declaration on the approved agenda version.

    Example:
        >>> from coopflow import guards
        >>> guards.declaration_signed()
        DeclarationSigned()
    """
    return _cooperation.DeclarationSigned()


def roles_assigned(roles: _abc.Iterable[str] | None = None) -> "_cooperation.RolesAssigned":
    """Every required role (default: the settings' `required_roles`) is held by a current
    party, and every party holds a role or owns a theme of the approved agenda.

    Example:
        >>> from coopflow import guards
        >>> guards.roles_assigned()
        RolesAssigned(roles=None)
    """
    return _cooperation.RolesAssigned(roles=roles)


def finances_covered(coverage: float | None = None) -> "_cooperation.FinancesCovered":
    """A budget above zero, and committed money at least `coverage` (default: the settings')
    times the budget.

    Example:
        >>> from coopflow import guards
        >>> guards.finances_covered()
        FinancesCovered(coverage=None)
    """
    return _cooperation.FinancesCovered(coverage=coverage)


def completion() -> "_cooperation.Completion":
    """Every theme of the approved agenda is closed and a final review is recorded.

    Example:
        >>> from coopflow import guards
        >>> guards.completion()
        Completion()
    """
    return _cooperation.Completion()


def came_from(state: str) -> "_cooperation.CameFrom":
    """The last transition came from `state`: how ``resume`` returns to the remembered state.

    Example:
        >>> from coopflow import guards
        >>> guards.came_from("signing")
        CameFrom(state='signing')
    """
    return _cooperation.CameFrom(state)


def quorum_lost() -> "_conditions.QuorumLost":
    """A condition: fewer than two parties are left.

    Example:
        >>> from coopflow import guards
        >>> guards.quorum_lost()
        QuorumLost()
    """
    return _conditions.QuorumLost()


def declaration_incomplete() -> "_conditions.DeclarationIncomplete":
    """A condition: some current party has not signed the approved agenda version.

    Example:
        >>> from coopflow import guards
        >>> guards.declaration_incomplete()
        DeclarationIncomplete()
    """
    return _conditions.DeclarationIncomplete()


def culture_breached() -> "_conditions.CultureBreached":
    """A condition: some party's present trust or voice is under the regression threshold, or
    some party withdrew a contribution and has none committed left.

    Example:
        >>> from coopflow import guards
        >>> guards.culture_breached()
        CultureBreached()
    """
    return _conditions.CultureBreached()


def energy_lost() -> "_scores.EnergyLost":
    """A condition: some party's stake, urgency and impact are all present and their mean is
    under the regression threshold.

    Example:
        >>> from coopflow import guards
        >>> guards.energy_lost()
        EnergyLost()
    """
    return _scores.EnergyLost()


def funding_lost() -> "_conditions.FundingLost":
    """A condition: a budget is set and committed money is under coverage times the budget.

    Example:
        >>> from coopflow import guards
        >>> guards.funding_lost()
        FundingLost()
    """
    return _conditions.FundingLost()


# --- combinators --------------------------------------------------------------------------------


def all_of(*guards: Guard) -> "_combinators.AllOf":
    """A guard that holds when all of `guards` hold; all are evaluated, their failures combined.

    Example:
        >>> from coopflow import guards
        >>> guards.all_of(guards.trust(), guards.energy()).kind
        'all_of'
    """
    return _combinators.AllOf(guards)


def any_of(*guards: Guard) -> "_combinators.AnyOf":
    """A guard that holds when any of `guards` holds; when none does, every failure is listed.

    Example:
        >>> from coopflow import guards
        >>> guards.any_of(guards.trust(), guards.energy()).kind
        'any_of'
    """
    return _combinators.AnyOf(guards)


def not_(guard: Guard) -> "_combinators.Not":
    """A guard that holds when `guard` does not; when it does, its findings say why.

    Example:
        >>> from coopflow import guards
        >>> guards.not_(guards.trust()).kind
        'not'
    """
    return _combinators.Not(guard)
