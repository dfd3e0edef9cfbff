"""Guards and conditions over scores: `score`, `mean_score`, `score_below`, and the seed's
`trust`, `energy` and `energy_lost`, built on the same per-party checks.

Every party counts, not the average (a mean over dimensions is taken per party); a missing or
too old score fails a guard and never makes a condition hold; forward needs the entry threshold,
back needs a present score under the regression threshold.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from coopflow._events import Dimension, Party
from coopflow._results import Failure, GuardResult
from coopflow._snapshot import Snapshot
from coopflow._text import Problem
from coopflow._vocabulary import Vocabulary
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
    Selection,
    condition_findings,
    guard_failures,
    selection_problems,
    to_selection,
)

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    from coopflow._settings import Settings

ENERGY = (Dimension.STAKE.value, Dimension.URGENCY.value, Dimension.IMPACT.value)


def _score(
    snapshot: Snapshot, settings: "Settings", at: datetime, party: str, dimension: str
) -> float | None:
    return snapshot.score(party, dimension, at=at, max_age=settings.max_score_age)


def at_least(
    snapshot: Snapshot,
    settings: "Settings",
    at: datetime,
    party: Party,
    dimension: str,
    threshold: float,
) -> list[Failure]:
    """The failure of one party's score on one dimension under `threshold`, or missing."""
    score = _score(snapshot, settings, at, party.id, dimension)
    if score is None:
        return [
            Failure(
                party.id,
                "score_missing",
                {"name": party.name, "dimension": term("dimension", dimension)},
            )
        ]
    if score < threshold:
        params = {
            "name": party.name,
            "dimension": term("dimension", dimension),
            "score": score,
            "threshold": threshold,
        }
        return [Failure(party.id, "score_below", params)]
    return []


def below(
    snapshot: Snapshot,
    settings: "Settings",
    at: datetime,
    party: Party,
    dimension: str,
    threshold: float,
) -> list[Failure]:
    """The finding of one party's present score on one dimension under `threshold`."""
    score = _score(snapshot, settings, at, party.id, dimension)
    if score is not None and score < threshold:
        params = {
            "name": party.name,
            "dimension": term("dimension", dimension),
            "score": score,
            "threshold": threshold,
        }
        return [Failure(party.id, "score_below", params)]
    return []


def mean_at_least(
    snapshot: Snapshot,
    settings: "Settings",
    at: datetime,
    party: Party,
    dimensions: Sequence[str],
    each: float | None,
    mean: float,
    key: str = "mean_below",
) -> list[Failure]:
    """One party's failures: a missing score, one under `each`, or a mean under `mean`."""
    failures: list[Failure] = []
    present: list[float] = []
    for dimension in dimensions:
        score = _score(snapshot, settings, at, party.id, dimension)
        if score is None:
            params: dict[str, Any] = {"name": party.name, "dimension": term("dimension", dimension)}
            failures.append(Failure(party.id, "score_missing", params))
            continue
        present.append(score)
        if each is not None and score < each:
            params = {
                "name": party.name,
                "dimension": term("dimension", dimension),
                "score": score,
                "threshold": each,
            }
            failures.append(Failure(party.id, "score_below", params))
    if len(present) == len(dimensions):
        average = sum(present) / len(present)
        if average < mean:
            params = {"name": party.name, "mean": average, "threshold": mean}
            if key == "mean_below":
                params["dimensions"] = [term("dimension", d) for d in dimensions]
            failures.append(Failure(party.id, key, params))
    return failures


def mean_below(
    snapshot: Snapshot,
    settings: "Settings",
    at: datetime,
    party: Party,
    dimensions: Sequence[str],
    threshold: float,
    key: str,
) -> list[Failure]:
    """The finding of one party whose scores are all present and whose mean is under `threshold`."""
    scores = [_score(snapshot, settings, at, party.id, d) for d in dimensions]
    if any(score is None for score in scores):
        return []
    average = sum(score for score in scores if score is not None) / len(scores)
    if average >= threshold:
        return []
    params: dict[str, Any] = {"name": party.name, "mean": average, "threshold": threshold}
    return [Failure(party.id, key, params)]


def _result(kind: str, failures: list[Failure]) -> GuardResult:
    return GuardResult(kind, not failures, tuple(failures))


def _condition(kind: str, findings: list[Failure]) -> GuardResult:
    return GuardResult(kind, bool(findings), tuple(findings))


@register("score")
@attrs.frozen
class Score:
    """Every selected party's score on `dimension` is at least `at_least` (default: the entry
    threshold).
    """

    kind: ClassVar[str]
    dimension: str = attrs.field(validator=word)
    at_least: float | None = attrs.field(
        kw_only=True, default=None, validator=optional_number, converter=optional_float
    )
    parties: Selection = attrs.field(kw_only=True, default=None, converter=to_selection)

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        threshold = settings.entry_threshold if self.at_least is None else self.at_least
        return _result(
            self.kind,
            guard_failures(
                snapshot,
                self.parties,
                lambda party: at_least(snapshot, settings, at, party, self.dimension, threshold),
            ),
        )

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
    dimensions: tuple[str, ...] = attrs.field(converter=to_words)
    at_least: float | None = attrs.field(
        kw_only=True, default=None, validator=optional_number, converter=optional_float
    )
    each_at_least: float | None = attrs.field(
        kw_only=True, default=None, validator=optional_number, converter=optional_float
    )
    parties: Selection = attrs.field(kw_only=True, default=None, converter=to_selection)

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        mean = settings.entry_threshold if self.at_least is None else self.at_least
        return _result(
            self.kind,
            guard_failures(
                snapshot,
                self.parties,
                lambda party: mean_at_least(
                    snapshot, settings, at, party, self.dimensions, self.each_at_least, mean
                ),
            ),
        )

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
    dimension: str = attrs.field(validator=word)
    below: float | None = attrs.field(
        kw_only=True, default=None, validator=optional_number, converter=optional_float
    )
    parties: Selection = attrs.field(kw_only=True, default=None, converter=to_selection)

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the condition (see the class docstring)."""
        threshold = settings.regression_threshold if self.below is None else self.below
        return _condition(
            self.kind,
            condition_findings(
                snapshot,
                self.parties,
                lambda party: below(snapshot, settings, at, party, self.dimension, threshold),
            ),
        )

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
    threshold: float | None = attrs.field(
        kw_only=True, default=None, validator=optional_number, converter=optional_float
    )

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        threshold = settings.entry_threshold if self.threshold is None else self.threshold
        return _result(
            self.kind,
            guard_failures(
                snapshot,
                None,
                lambda party: at_least(snapshot, settings, at, party, "trust", threshold),
            ),
        )

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

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard (see the class docstring)."""
        return _result(
            self.kind,
            guard_failures(
                snapshot,
                None,
                lambda party: mean_at_least(
                    snapshot,
                    settings,
                    at,
                    party,
                    ENERGY,
                    settings.regression_threshold,
                    settings.entry_threshold,
                    key="energy_low",
                ),
            ),
        )


@register("energy_lost")
@attrs.frozen
class EnergyLost:
    """A condition: some party's stake, urgency and impact are all present and their mean is
    under the regression threshold.
    """

    kind: ClassVar[str]

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the condition (see the class docstring)."""
        threshold = settings.regression_threshold
        return _condition(
            self.kind,
            condition_findings(
                snapshot,
                None,
                lambda party: mean_below(
                    snapshot, settings, at, party, ENERGY, threshold, key="energy_low"
                ),
            ),
        )
