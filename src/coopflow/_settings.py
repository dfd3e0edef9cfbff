"""`Settings`: the thresholds and rules of a process, validated when built (a leaf module)."""

from collections.abc import Iterable
from datetime import timedelta

import attrs

from coopflow._text import Phrase, Problem, shown
from coopflow._validators import is_number, is_text
from coopflow.exceptions import InvalidProcessError


def _to_float(value: object) -> float:
    # Numbers become floats, so 4 and 4.0 serialise alike; anything else is reported by problems().
    return float(value) if is_number(value) else value  # type: ignore[arg-type,return-value]


def _scale_problem(value: object) -> Problem | None:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return Phrase("scale {value} must be a pair (lowest, highest)", value=shown(value))
    pair = tuple(value)
    if len(pair) != 2 or not all(is_number(end) for end in pair):
        return Phrase("scale {value} must be a pair of finite numbers", value=shown(value))
    return None


def _to_scale(value: object) -> tuple[float, float]:
    # A bad value is kept as it is, so that problems() can report it with all the others.
    if _scale_problem(value) is not None:
        return value  # type: ignore[return-value]
    pair: tuple[float, ...] = tuple(value)  # type: ignore[arg-type]
    return (float(pair[0]), float(pair[1]))


def _roles_problem(value: object) -> Problem | None:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return Phrase(
            "required_roles {value} must be a collection of role names", value=shown(value)
        )
    if not all(is_text(role) for role in value):
        return Phrase("required_roles {value} must hold non-empty strings", value=shown(value))
    return None


def _to_roles(value: object) -> tuple[str, ...]:
    if _roles_problem(value) is not None:
        return value  # type: ignore[return-value]
    return tuple(value)  # type: ignore[arg-type]


@attrs.frozen
class Settings:
    """The thresholds and rules of a process, validated when built.

    Attributes:
        scale: the lowest and highest score (1 to 5).
        entry_threshold: the score needed to move forward (3.5).
        regression_threshold: a present score under this moves the trajectory back (3.0).
        max_score_age: scores older than this count as missing (None: they never age).
        max_weight_share: under a weighted rule, no party may hold more than this share (0.5).
        coverage: the share of the budget that committed money must cover (1.0).
        required_roles: the roles the programme office needs (``programme_manager``).

    Raises:
        InvalidProcessError: with every problem at once.

    Example:
        >>> import coopflow as cf
        >>> cf.Settings(entry_threshold=4.0).regression_threshold
        3.0
    """

    scale: tuple[float, float] = attrs.field(kw_only=True, default=(1.0, 5.0), converter=_to_scale)
    entry_threshold: float = attrs.field(kw_only=True, default=3.5, converter=_to_float)
    regression_threshold: float = attrs.field(kw_only=True, default=3.0, converter=_to_float)
    max_score_age: timedelta | None = attrs.field(kw_only=True, default=None)
    max_weight_share: float = attrs.field(kw_only=True, default=0.5, converter=_to_float)
    coverage: float = attrs.field(kw_only=True, default=1.0, converter=_to_float)
    required_roles: tuple[str, ...] = attrs.field(
        kw_only=True, default=("programme_manager",), converter=_to_roles
    )

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidProcessError(problems)

    def problems(self) -> list[Problem]:
        """Every problem of these settings (empty for valid settings)."""
        problems: list[Problem] = []
        scale_problem = _scale_problem(self.scale)
        lowest, highest = (1.0, 5.0) if scale_problem else self.scale
        if scale_problem:
            problems.append(scale_problem)
        elif lowest >= highest:
            problems.append(
                Phrase("scale {scale} must go from low to high", scale=shown(self.scale))
            )
        roles_problem = _roles_problem(self.required_roles)
        if roles_problem:
            problems.append(roles_problem)
        numbers = {
            "entry_threshold": self.entry_threshold,
            "regression_threshold": self.regression_threshold,
            "max_weight_share": self.max_weight_share,
            "coverage": self.coverage,
        }
        bad = {name for name, value in numbers.items() if not is_number(value)}
        problems.extend(
            Phrase(
                "{name} {numbers} must be a finite number", name=name, numbers=shown(numbers[name])
            )
            for name in sorted(bad)
        )
        for name in ("entry_threshold", "regression_threshold"):
            value = numbers[name]
            if name not in bad and not scale_problem and not lowest <= value <= highest:
                problems.append(
                    Phrase(
                        "{name} {value} is off the scale {lowest} to {highest}",
                        name=name,
                        value=shown(value),
                        lowest=format(lowest, "g"),
                        highest=format(highest, "g"),
                    )
                )
        if not bad & {"entry_threshold", "regression_threshold"} and (
            self.regression_threshold > self.entry_threshold
        ):
            problems.append(
                Phrase(
                    "regression_threshold {regression_threshold} is above "
                    "entry_threshold {entry_threshold}",
                    regression_threshold=shown(self.regression_threshold),
                    entry_threshold=shown(self.entry_threshold),
                )
            )
        for name in ("max_weight_share", "coverage"):
            value = numbers[name]
            if name not in bad and not 0 < value <= 1:
                problems.append(
                    Phrase(
                        "{name} {value} must be a share above 0 and at most 1",
                        name=name,
                        value=shown(value),
                    )
                )
        age = self.max_score_age
        if age is not None and (not isinstance(age, timedelta) or age <= timedelta(0)):
            problems.append(
                Phrase("max_score_age {age} must be a positive timedelta or None", age=shown(age))
            )
        return problems
