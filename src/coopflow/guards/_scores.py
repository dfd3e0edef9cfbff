"""Guards and conditions over scores: `score`, `mean_score`, `score_below`, and the seed's
`trust`, `energy` and `energy_lost`, built on the same per-party checks.

Every party counts, not the average (a mean over dimensions is taken per party); a missing or
too old score fails a guard and never makes a condition hold; forward needs the entry threshold,
back needs a present score under the regression threshold.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, cast

import attrs

from coopflow._events import Assessed, Dimension, Party
from coopflow._results import Failure, GuardResult, condition_result, guard_result
from coopflow._snapshot import Snapshot
from coopflow._text import Problem
from coopflow._vocabulary import Vocabulary
from coopflow._witness import ENERGY_DIMENSIONS, Events, assessed, known
from coopflow.guards._params import (
    declared,
    on_scale,
    optional_float,
    optional_number,
    to_words,
    word,
)
from coopflow.guards._registry import register, term
from coopflow.guards._select import (
    Parties,
    Selection,
    chosen,
    condition_findings,
    everyone,
    failing,
    guard_failures,
    is_selected,
    selection_problems,
    selection_reads,
    to_selection,
)

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    from coopflow._settings import Settings

__all__ = [
    "energy",
    "energy_lost",
    "mean_score",
    "score",
    "score_below",
    "trust",
]


_FLOATS = list[float]
ENERGY = (Dimension.STAKE.value, Dimension.URGENCY.value, Dimension.IMPACT.value)


Scores: TypeAlias = Mapping[str, float]
"""The parties' scores on one dimension, as a guard counts them (`Snapshot.scores_on`)."""


def scores_on(snapshot: Snapshot, settings: "Settings", at: datetime, dimension: str) -> Scores:
    """The scores on `dimension` at `at`: too old ones (``max_score_age``) count as missing."""
    return snapshot.scores_on(dimension, at=at, max_age=settings.max_score_age)


def _missing(party: Party, dimension: str) -> Failure:
    params = {"name": party.name, "dimension": term("dimension", dimension)}
    return Failure(party.id, "score_missing", params)


def _under(party: Party, dimension: str, score: float, threshold: float) -> Failure:
    params = {
        "name": party.name,
        "dimension": term("dimension", dimension),
        "score": score,
        "threshold": threshold,
    }
    return Failure(party.id, "score_below", params)


def at_least(scores: Scores, party: Party, dimension: str, threshold: float) -> list[Failure]:
    """The failure of one party's score on one dimension under `threshold`, or missing."""
    score = scores.get(party.id)
    if score is None:
        return [_missing(party, dimension)]
    if score < threshold:
        return [_under(party, dimension, score, threshold)]
    return []


def below(scores: Scores, party: Party, dimension: str, threshold: float) -> list[Failure]:
    """The finding of one party's present score on one dimension under `threshold`."""
    score = scores.get(party.id)
    if score is not None and score < threshold:
        return [_under(party, dimension, score, threshold)]
    return []


def mean_at_least(
    on: Sequence[Scores],
    party: Party,
    dimensions: Sequence[str],
    each: float | None,
    mean: float,
    key: str = "mean_below",
) -> list[Failure]:
    """One party's failures: a missing score, one under `each`, or a mean under `mean`."""
    id = party.id
    scores = [scores.get(id) for scores in on]
    if None not in scores:  # the common case: every score present
        known = cast(_FLOATS, scores)
        if sum(known) / len(known) >= mean and (each is None or min(known) >= each):
            return []
    failures: list[Failure] = []
    present: list[float] = []
    for dimension, score in zip(dimensions, scores, strict=True):
        if score is None:
            failures.append(_missing(party, dimension))
            continue
        present.append(score)
        if each is not None and score < each:
            failures.append(_under(party, dimension, score, each))
    if len(present) == len(dimensions):
        average = sum(present) / len(present)
        if average < mean:
            params: dict[str, Any] = {"name": party.name, "mean": average, "threshold": mean}
            if key == "mean_below":
                params["dimensions"] = [term("dimension", d) for d in dimensions]
            failures.append(Failure(party.id, key, params))
    return failures


def mean_below(
    on: Sequence[Scores], party: Party, dimensions: Sequence[str], threshold: float, key: str
) -> list[Failure]:
    """The finding of one party whose scores are all present and whose mean is under `threshold`."""
    id = party.id
    scores = [scores.get(id) for scores in on]
    if None in scores:
        return []
    average = sum(scores) / len(scores)  # type: ignore[arg-type]
    if average >= threshold:
        return []
    params: dict[str, Any] = {"name": party.name, "mean": average, "threshold": threshold}
    return [Failure(party.id, key, params)]


def _or(threshold: float | None, default: float) -> float:
    return default if threshold is None else threshold


@register("score")
@attrs.frozen
class Score:
    """Every selected party's score on `dimension` is at least `at_least` (default: the entry
    threshold).
    """

    kind: ClassVar[str]
    # For the checker: the field of the bound, its default setting, whether more is higher.
    _bound: ClassVar[tuple[str, str, bool]] = ("at_least", "entry_threshold", True)
    dimension: str = attrs.field(validator=word)
    at_least: float | None = attrs.field(
        kw_only=True, default=None, validator=optional_number, converter=optional_float
    )
    parties: Selection = attrs.field(kw_only=True, default=None, converter=to_selection)

    @property
    def reads(self) -> frozenset[str]:
        """What this guard reads: its dimension's scores (and the roles, to select by role)."""
        return selection_reads(self.parties, f"scores:{self.dimension}")

    def _thresholds(self, settings: "Settings") -> dict[str, set[float]]:
        # For the checker: the dimension this guard reads and the threshold it compares to.
        return {self.dimension: {_or(self.at_least, settings.entry_threshold)}}

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        scores = scores_on(snapshot, settings, at, self.dimension)
        threshold = _or(self.at_least, settings.entry_threshold)
        return guard_result(
            self.kind,
            guard_failures(
                snapshot,
                self.parties,
                lambda party: at_least(scores, party, self.dimension, threshold),
            ),
        )

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """The selected parties' scores at the top of the scale, or at its bottom to fail."""
        low, high = settings.scale
        with known(self, holds):
            if holds:
                ids, events = chosen(snapshot, self.parties)
                return events + [Assessed(p, self.dimension, high) for p in ids]
            ids = failing(snapshot, self.parties)
            if ids and _or(self.at_least, settings.entry_threshold) <= low:
                raise LookupError  # no score is under the threshold
            return [Assessed(p, self.dimension, low) for p in ids]

    def problems(self, vocabulary: Vocabulary, settings: "Settings") -> list[Problem]:
        """Undeclared words and thresholds off the scale."""
        return (
            declared(self.kind, "dimension", [self.dimension], vocabulary)
            + on_scale(self.kind, "at_least", self.at_least, settings)
            + selection_problems(self.parties, vocabulary, self.kind)
        )


@register("mean_score")
@attrs.frozen
class MeanScore:
    """For every selected party, the mean of its scores on `dimensions` is at least `at_least`
    (default: the entry threshold) and, with `each_at_least`, each score at least that.
    """

    kind: ClassVar[str]
    # For the checker: the field of the bound, its default setting, whether more is higher.
    _bound: ClassVar[tuple[str, str, bool]] = ("at_least", "entry_threshold", True)
    dimensions: tuple[str, ...] = attrs.field(converter=to_words)
    at_least: float | None = attrs.field(
        kw_only=True, default=None, validator=optional_number, converter=optional_float
    )
    each_at_least: float | None = attrs.field(
        kw_only=True, default=None, validator=optional_number, converter=optional_float
    )
    parties: Selection = attrs.field(kw_only=True, default=None, converter=to_selection)

    @property
    def reads(self) -> frozenset[str]:
        """What this guard reads: its dimensions' scores (and the roles, to select by role)."""
        return selection_reads(self.parties, *(f"scores:{d}" for d in self.dimensions))

    def _thresholds(self, settings: "Settings") -> dict[str, set[float]]:
        # For the checker: the dimensions this guard reads, each with its thresholds.
        found = {_or(self.at_least, settings.entry_threshold)}
        if self.each_at_least is not None:
            found.add(self.each_at_least)
        return {d: set(found) for d in self.dimensions}

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        on = [scores_on(snapshot, settings, at, d) for d in self.dimensions]
        mean = _or(self.at_least, settings.entry_threshold)
        return guard_result(
            self.kind,
            guard_failures(
                snapshot,
                self.parties,
                lambda party: mean_at_least(on, party, self.dimensions, self.each_at_least, mean),
            ),
        )

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """The selected parties' scores at the top of the scale, or at its bottom to fail."""
        low, high = settings.scale
        with known(self, holds):
            if holds:
                ids, events = chosen(snapshot, self.parties)
                return events + [Assessed(p, d, high) for p in ids for d in self.dimensions]
            ids = failing(snapshot, self.parties)
            if ids and _or(self.at_least, settings.entry_threshold) <= low:
                raise LookupError  # no mean is under the threshold
            return [Assessed(p, d, low) for p in ids for d in self.dimensions]

    def problems(self, vocabulary: Vocabulary, settings: "Settings") -> list[Problem]:
        """Undeclared words and thresholds off the scale."""
        return (
            declared(self.kind, "dimension", self.dimensions, vocabulary)
            + on_scale(self.kind, "at_least", self.at_least, settings)
            + on_scale(self.kind, "each_at_least", self.each_at_least, settings)
            + selection_problems(self.parties, vocabulary, self.kind)
        )


@register("score_below")
@attrs.frozen
class ScoreBelow:
    """A condition: some selected party's present score on `dimension` is under `below`
    (default: the regression threshold).
    """

    kind: ClassVar[str]
    # For the checker: the field of the bound, its default setting, whether more is higher.
    _bound: ClassVar[tuple[str, str, bool]] = ("below", "regression_threshold", False)
    dimension: str = attrs.field(validator=word)
    below: float | None = attrs.field(
        kw_only=True, default=None, validator=optional_number, converter=optional_float
    )
    parties: Selection = attrs.field(kw_only=True, default=None, converter=to_selection)

    @property
    def reads(self) -> frozenset[str]:
        """What this condition reads: its dimension's scores (and the roles, to select by role)."""
        return selection_reads(self.parties, f"scores:{self.dimension}")

    def _thresholds(self, settings: "Settings") -> dict[str, set[float]]:
        # For the checker: the dimension this condition reads and its threshold.
        return {self.dimension: {_or(self.below, settings.regression_threshold)}}

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the condition (see the class docstring)."""
        scores = scores_on(snapshot, settings, at, self.dimension)
        threshold = _or(self.below, settings.regression_threshold)
        return condition_result(
            self.kind,
            condition_findings(
                snapshot,
                self.parties,
                lambda party: below(scores, party, self.dimension, threshold),
            ),
        )

    def _holds_for(self, snapshot: Snapshot, settings: "Settings", party: str) -> bool | None:
        # The engine's question after a score of `party` (see coopflow._engine._narrowed): does
        # this party have a finding? Over "any" the verdict is not one party's: no answer.
        if self.parties == "any":
            return None
        if not is_selected(snapshot, self.parties, party):
            return False
        threshold = _or(self.below, settings.regression_threshold)
        score = snapshot.score(party, self.dimension)
        return score is not None and score < threshold

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """The selected parties' scores at the bottom of the scale, or at its top not to hold."""
        low, high = settings.scale
        with known(self, holds):
            if holds:
                ids, events = chosen(snapshot, everyone(self.parties))
                if _or(self.below, settings.regression_threshold) <= low:
                    raise LookupError  # no score is under the threshold
                return events + [Assessed(p, self.dimension, low) for p in ids]
            return [Assessed(p, self.dimension, high) for p in failing(snapshot, self.parties)]

    def problems(self, vocabulary: Vocabulary, settings: "Settings") -> list[Problem]:
        """Undeclared words and thresholds off the scale."""
        return (
            declared(self.kind, "dimension", [self.dimension], vocabulary)
            + on_scale(self.kind, "below", self.below, settings)
            + selection_problems(self.parties, vocabulary, self.kind)
        )


@register("trust")
@attrs.frozen
class Trust:
    """Every party's trust is at least `threshold` (default: the entry threshold): a `score`
    guard on trust.
    """

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset({"scores:trust"})
    # For the checker: the field of the bound, its default setting, whether more is higher.
    _bound: ClassVar[tuple[str, str, bool]] = ("threshold", "entry_threshold", True)
    threshold: float | None = attrs.field(
        kw_only=True, default=None, validator=optional_number, converter=optional_float
    )

    def _thresholds(self, settings: "Settings") -> dict[str, set[float]]:
        # For the checker: trust, and the threshold it is compared to.
        return {"trust": {_or(self.threshold, settings.entry_threshold)}}

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        scores = scores_on(snapshot, settings, at, "trust")
        threshold = _or(self.threshold, settings.entry_threshold)
        return guard_result(
            self.kind,
            guard_failures(
                snapshot,
                None,
                lambda party: at_least(scores, party, "trust", threshold),
            ),
        )

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """Every party's trust at the top of the scale; no events are known to make it fail."""
        with known(self, holds, snapshot):
            if not holds:
                raise LookupError
            return assessed(snapshot, [Dimension.TRUST], settings.scale[1])

    def problems(self, vocabulary: Vocabulary, settings: "Settings") -> list[Problem]:
        """A threshold off the scale."""
        return on_scale(self.kind, "threshold", self.threshold, settings)


@register("energy")
@attrs.frozen
class Energy:
    """Every party's stake, urgency and impact are each at least the regression threshold, and
    their mean at least the entry threshold: a `mean_score` guard on the three.
    """

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset(f"scores:{d}" for d in ENERGY)

    def _thresholds(self, settings: "Settings") -> dict[str, set[float]]:
        # For the checker: stake, urgency and impact, against the entry threshold.
        return {d: {settings.entry_threshold} for d in ENERGY}

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        on = [scores_on(snapshot, settings, at, d) for d in ENERGY]
        return guard_result(
            self.kind,
            guard_failures(
                snapshot,
                None,
                lambda party: mean_at_least(
                    on,
                    party,
                    ENERGY,
                    settings.regression_threshold,
                    settings.entry_threshold,
                    key="energy_low",
                ),
            ),
        )

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """Every party's stake, urgency and impact at the top of the scale; no events are known
        to make it fail.
        """
        with known(self, holds, snapshot):
            if not holds:
                raise LookupError
            return assessed(snapshot, ENERGY_DIMENSIONS, settings.scale[1])


@register("energy_lost")
@attrs.frozen
class EnergyLost:
    """A condition: some party's stake, urgency and impact are all present and their mean is
    under the regression threshold.
    """

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset(f"scores:{d}" for d in ENERGY)

    def _thresholds(self, settings: "Settings") -> dict[str, set[float]]:
        # For the checker: stake, urgency and impact, against the regression threshold.
        return {d: {settings.regression_threshold} for d in ENERGY}

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the condition (see the class docstring)."""
        on = [scores_on(snapshot, settings, at, d) for d in ENERGY]
        threshold = settings.regression_threshold
        return condition_result(
            self.kind,
            condition_findings(
                snapshot,
                None,
                lambda party: mean_below(on, party, ENERGY, threshold, key="energy_low"),
            ),
        )

    def _holds_for(self, snapshot: Snapshot, settings: "Settings", party: str) -> bool:
        # Whether this one party lost its energy (see ScoreBelow._holds_for).
        scores = [snapshot.score(party, d) for d in ENERGY]
        if None in scores:
            return False
        return sum(scores) / len(scores) < settings.regression_threshold  # type: ignore[arg-type]

    def witness(self, snapshot: Snapshot, settings: "Settings", holds: bool) -> Events:
        """The first party's stake, urgency and impact at the bottom of the scale; every
        party's at the top not to hold.
        """
        low, high = settings.scale
        with known(self, holds, snapshot):
            if holds:
                return [Assessed(snapshot.parties[0].id, d, low) for d in ENERGY_DIMENSIONS]
            return assessed(snapshot, ENERGY_DIMENSIONS, high)


# --- the factories: the public surface, re-exported by coopflow.guards ---------------------


def score(dimension: str, *, at_least: float | None = None, parties: Parties = "all") -> Score:
    """Every selected party's score on `dimension` is at least `at_least` (default: the entry
    threshold); a missing or too old score fails.

    Example:
        >>> from coopflow import guards
        >>> guards.score("trust", at_least=4.0, parties={"tag": "backbone"}).kind
        'score'
    """
    return Score(dimension, at_least=at_least, parties=parties)


def mean_score(
    dimensions: Iterable[str],
    *,
    at_least: float | None = None,
    each_at_least: float | None = None,
    parties: Parties = "all",
) -> MeanScore:
    """For every selected party, the mean of its scores on `dimensions` is at least `at_least`
    (default: the entry threshold), and each at least `each_at_least` when given.

    Example:
        >>> from coopflow import guards
        >>> guards.mean_score(["stake", "urgency", "impact"], each_at_least=3.0).dimensions
        ('stake', 'urgency', 'impact')
    """
    return MeanScore(
        dimensions,
        at_least=at_least,
        each_at_least=each_at_least,
        parties=parties,
    )


def score_below(
    dimension: str, *, below: float | None = None, parties: Parties = "all"
) -> ScoreBelow:
    """A condition: some selected party's present score on `dimension` is under `below`
    (default: the regression threshold). A missing score never makes it hold.

    Example:
        >>> from coopflow import guards
        >>> guards.score_below("communication").kind
        'score_below'
    """
    return ScoreBelow(dimension, below=below, parties=parties)


def trust(threshold: float | None = None) -> Trust:
    """Every party's trust is at least `threshold` (default: the process's entry threshold).

    Example:
        >>> from coopflow import guards
        >>> guards.trust(threshold=4.0)
        Trust(threshold=4.0)
    """
    return Trust(threshold=threshold)


def energy() -> Energy:
    """Every party's stake, urgency and impact are each at least the regression threshold, and
    their mean at least the entry threshold.

    Example:
        >>> from coopflow import guards
        >>> guards.energy()
        Energy()
    """
    return Energy()


def energy_lost() -> EnergyLost:
    """A condition: some party's stake, urgency and impact are all present and their mean is
    under the regression threshold.

    Example:
        >>> from coopflow import guards
        >>> guards.energy_lost()
        EnergyLost()
    """
    return EnergyLost()
