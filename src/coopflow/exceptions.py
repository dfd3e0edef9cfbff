"""The error tree of coopflow.

Every error coopflow raises derives from `CoopflowError`, so one ``except`` clause catches them
all; each also derives from the built-in exception its case resembles, so code that already
catches ``ValueError`` or ``LookupError`` keeps working::

    CoopflowError
    ├── InvalidProcessError(ValueError)   .problems: every problem of a definition at once
    │   └── GuardError                    .kind: a custom guard raised or returned no result
    ├── InvalidEventError(ValueError)     .field, .value: bad input, nothing changed
    ├── UnknownNameError(LookupError)     .kind, .name: a state, trigger, party, ... not there
    ├── TransitionRefused                 .explanation: which guards failed, for whom, why
    ├── TrajectoryError(ValueError)       a stored trajectory cannot be loaded or replayed
    ├── ConflictError                     a store write lost an optimistic-concurrency race
    ├── MissingExtraError(ModuleNotFoundError)  .name, .extra: an extra is not installed
    └── StoreError                        .cause: the store cannot be opened, read or written

Errors carry structured attributes; tests and user interfaces should read those, never parse the
message text. Every error renders itself in English and Dutch, ``error.message("nl")``;
``str(error)`` is the English text.
"""

# Imported under private names: the module's namespace holds its errors only (test_api).
import typing as _typing
from collections.abc import Iterable as _Iterable

from coopflow._text import LOCALES as _LOCALES
from coopflow._text import Phrase as _Phrase
from coopflow._text import rendered as _rendered
from coopflow._text import shown as _shown

if _typing.TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    from coopflow._results import Explanation

__all__ = [
    "ConflictError",
    "CoopflowError",
    "GuardError",
    "InvalidEventError",
    "InvalidProcessError",
    "MissingExtraError",
    "StoreError",
    "TrajectoryError",
    "TransitionRefused",
    "UnknownNameError",
]


def _check(locale: str) -> str:
    if locale not in _LOCALES:
        raise UnknownNameError("locale", locale, "coopflow speaks 'en' and 'nl'")
    return locale


class CoopflowError(Exception):
    """The root of every error coopflow raises; `message` gives its text in English or Dutch.

    A subclass that is raised with one text (a `str`, or a translatable text built at the raise
    site) renders that text; `str(error)` is always the English one.

    Example:
        >>> import coopflow as cf
        >>> issubclass(cf.InvalidEventError, cf.CoopflowError)
        True
        >>> error = cf.TrajectoryError("the stored trajectory is not JSON")
        >>> error.message("en")
        'the stored trajectory is not JSON'
    """

    def __init__(self, *args: object) -> None:
        self._text: object = args[0] if len(args) == 1 else None
        super().__init__(*(str(arg) if isinstance(arg, _Phrase) else arg for arg in args))

    def message(self, locale: str = "en") -> str:
        """This error's text in `locale` (``"en"`` or ``"nl"``).

        Raises:
            UnknownNameError: coopflow does not speak `locale`.
        """
        _check(locale)
        if isinstance(self._text, str | _Phrase):
            return _rendered(self._text, locale)
        return str(self)


class InvalidProcessError(CoopflowError, ValueError):
    """A process definition or its settings are invalid.

    Attributes:
        problems: every problem found, one sentence each, in a stable order.

    Example:
        >>> import coopflow as cf
        >>> try:
        ...     cf.Settings(entry_threshold=2.5, regression_threshold=3.0)
        ... except cf.InvalidProcessError as error:
        ...     print(error.problems[0])
        regression_threshold 3.0 is above entry_threshold 2.5
    """

    def __init__(self, problems: "_Iterable[str | _Phrase]") -> None:
        self._problems = tuple(problems)
        self.problems: tuple[str, ...] = tuple(str(problem) for problem in self._problems)
        super().__init__(self._whole())

    def _whole(self) -> _Phrase:
        return _Phrase("invalid process: {problems}", problems=_Joined(self._problems))

    def message(self, locale: str = "en") -> str:
        """Every problem in `locale`, after the words "invalid process"."""
        _check(locale)
        return self._whole().render(locale)

    def problem_messages(self, locale: str = "en") -> tuple[str, ...]:
        """Each problem in `locale`, in the order of `problems`.

        Example:
            >>> import coopflow as cf
            >>> try:
            ...     cf.Settings(entry_threshold=2.5, regression_threshold=3.0)
            ... except cf.InvalidProcessError as error:
            ...     print(error.problem_messages("nl")[0])
            regression_threshold 3.0 ligt boven entry_threshold 2.5
        """
        _check(locale)
        return tuple(_rendered(problem, locale) for problem in self._problems)


class GuardError(InvalidProcessError):
    """A guard of the process failed when evaluated: it raised, or returned no `GuardResult`.

    Nothing changed: the event or trigger that evaluated it is not applied.

    Attributes:
        kind: the kind name of the guard.

    Example:
        >>> import coopflow as cf
        >>> error = cf.GuardError("my_guard", "guard 'my_guard' raised ZeroDivisionError")
        >>> error.kind, isinstance(error, cf.InvalidProcessError)
        ('my_guard', True)
    """

    def __init__(self, kind: str, problem: "str | _Phrase") -> None:
        self.kind = kind
        super().__init__([problem])


class InvalidEventError(CoopflowError, ValueError):
    """An event, or an argument of a call, is bad input; nothing was changed.

    Attributes:
        field: the name of the offending field or argument.
        value: the offending value.
        reason: what is wrong with it, in English.

    Example:
        >>> import coopflow as cf
        >>> try:
        ...     cf.Assessed("gemeente", cf.Dimension.TRUST, float("nan"))
        ... except cf.InvalidEventError as error:
        ...     print(error.field, error.value)
        score nan
    """

    def __init__(self, field: str, value: object, reason: "str | _Phrase") -> None:
        self.field = field
        self.value = value
        self.reason = str(reason)
        super().__init__(
            _Phrase(
                "{field}={value}: {reason}",
                field=field,
                value=_shown(value),
                reason=_Phrase(reason) if isinstance(reason, str) else reason,
            )
        )


class UnknownNameError(CoopflowError, LookupError):
    """A name does not exist: a state, a trigger, a guard kind, a party or a locale.

    Attributes:
        kind: what kind of name it is (``"state"``, ``"trigger"``, ...).
        name: the name that was not found.
        choices: the names that do exist, where they are few enough to list (else empty).

    Example:
        >>> import coopflow as cf
        >>> try:
        ...     cf.default_process().label("nowhere")
        ... except cf.UnknownNameError as error:
        ...     print(error.kind, error.name)
        state or trigger nowhere
    """

    def __init__(
        self, kind: str, name: str, reason: "str | _Phrase" = "", *, choices: _Iterable[str] = ()
    ) -> None:
        self.kind = kind
        self.name = name
        self.choices: tuple[str, ...] = tuple(choices)
        what = _Phrase(f"kind.{kind}") if kind in _KINDS else kind
        params: dict[str, object] = {"kind": what, "name": _shown(name)}
        if reason:
            params["reason"] = _Phrase(reason) if isinstance(reason, str) else reason
        if self.choices:
            params["choices"] = ", ".join(self.choices)
        template = {
            (False, False): "unknown {kind} {name}",
            (True, False): "unknown {kind} {name}: {reason}",
            (False, True): "unknown {kind} {name} (choose from: {choices})",
            (True, True): "unknown {kind} {name}: {reason} (choose from: {choices})",
        }[bool(reason), bool(self.choices)]
        super().__init__(_Phrase(template, **params))

    def __str__(self) -> str:
        return str(self.args[0])


class TransitionRefused(CoopflowError):
    """A trigger was refused; `explanation` says which guards failed, for whom and why.

    Attributes:
        explanation: the `Explanation` of the refusal.

    Example:
        >>> import coopflow as cf
        >>> parties = [cf.Party("a"), cf.Party("b")]
        >>> t = cf.Trajectory.start(cf.default_process(), parties=parties)
        >>> try:
        ...     t.fire("form_culture")
        ... except cf.TransitionRefused as refusal:
        ...     print(refusal.explanation.allowed)
        False
    """

    def __init__(self, explanation: "Explanation") -> None:
        self.explanation = explanation
        super().__init__(explanation.message("en"))

    def message(self, locale: str = "en") -> str:
        """The explanation of the refusal in `locale`."""
        return self.explanation.message(_check(locale))


class TrajectoryError(CoopflowError, ValueError):
    """A stored trajectory cannot be loaded, or a history cannot be replayed.

    Example:
        >>> import coopflow as cf
        >>> try:
        ...     cf.loads("not json", process=cf.default_process())
        ... except cf.TrajectoryError:
        ...     print("refused")
        refused
    """


class ConflictError(CoopflowError):
    """A store write lost an optimistic-concurrency race; reload and try again.

    Example:
        >>> import coopflow as cf
        >>> issubclass(cf.ConflictError, cf.CoopflowError)
        True
    """


class MissingExtraError(CoopflowError, ModuleNotFoundError):
    """A part of coopflow needs a package that is not installed; the message names the extra.

    It is a `ModuleNotFoundError`, so ``pytest.importorskip`` and ``except ImportError`` treat it
    as the missing module it is.

    Attributes:
        name: the module that could not be imported (``"hypothesis"``).
        extra: the extra of coopflow that installs it (``"testing"``).
        needed_by: the part of coopflow that needs it (``"coopflow.testing.strategies"``).

    Example:
        >>> import coopflow as cf
        >>> error = cf.MissingExtraError(
        ...     "hypothesis", extra="testing", needed_by="coopflow.testing.strategies"
        ... )
        >>> isinstance(error, ModuleNotFoundError), error.name, error.extra
        (True, 'hypothesis', 'testing')
        >>> str(error).endswith("pip install 'coopflow[testing]'")
        True
    """

    def __init__(self, name: str, *, extra: str, needed_by: str) -> None:
        self.extra = extra
        self.needed_by = needed_by
        text = _Phrase(
            "{needed_by} needs {name}, which cannot be imported: pip install 'coopflow[{extra}]'",
            needed_by=needed_by,
            name=name,
            extra=extra,
        )
        ModuleNotFoundError.__init__(self, str(text), name=name)
        self._text = text


class _Joined(_Phrase):
    """Problems joined by semicolons, each in the reader's locale."""

    def __init__(self, parts: "tuple[str | _Phrase, ...]") -> None:
        super().__init__("{parts}")
        self.parts = parts

    def render(self, locale: str) -> str:
        """The parts in `locale`, joined."""
        return "; ".join(_rendered(part, locale) for part in self.parts)


#: The kinds of name `UnknownNameError` translates (the catalogue has ``kind.<kind>``).
_KINDS = frozenset(
    {
        "dimension",
        "example process",
        "fact",
        "file format",
        "generation",
        "guard kind",
        "kind of word",
        "locale",
        "party",
        "property",
        "reachable state",
        "role",
        "start",
        "state",
        "state or trigger",
        "tag",
        "trajectory",
        "trigger",
    }
)


class StoreError(CoopflowError):
    """A store cannot be opened, read or written; `cause` is the database driver's error.

    Attributes:
        cause: the original error (a SQLAlchemy or driver exception), or None.

    Example:
        >>> import coopflow as cf
        >>> error = cf.StoreError("cannot open sqlite:///nowhere/x.db", OSError("no folder"))
        >>> str(error), type(error.cause).__name__
        ('cannot open sqlite:///nowhere/x.db', 'OSError')
    """

    def __init__(self, message: "str | _Phrase", cause: BaseException | None = None) -> None:
        self.cause = cause
        super().__init__(message)


def __getattr__(name: str) -> _typing.Any:
    # `shown` lived here; coopflow.testing imports it from here until it moves to coopflow._text.
    if name == "shown":
        return _shown
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
