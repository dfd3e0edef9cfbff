"""What a guard is, the registry of guard kinds, and evaluating a guard safely.

A guard is a frozen attrs value with a registered `kind` and its parameters; called with a
snapshot, the settings and the time of evaluation it returns a `GuardResult`. Besides
``__call__``, a guard class may define two optional methods, which the built-in guards define
too:

- ``problems(vocabulary, settings) -> list[str]``: what is wrong with this guard in a process
  with that vocabulary and those settings (an undeclared dimension, a threshold off the scale).
  A process calls it when it is built and refuses itself with every problem at once.
- ``witness(snapshot, settings, holds) -> Sequence[DataEvent]``: data events that, recorded into
  `snapshot` in order, make the guard evaluate to `holds`. `Path.replay` uses it to turn a path
  the checker found into a real trajectory; without it, replay names the guard it cannot build.

And one optional attribute: ``reads``, a frozenset of the registers (field names of
`Registers`) the guard reads. A guard that declares it promises its result depends on nothing
else but the parties, the settings and, through ``max_score_age`` only, the time: after a data
event that writes none of those registers, the engine does not evaluate an automatic transition
that did not fire before. A guard without ``reads`` is evaluated after every event. The scores
may be named per dimension, ``"scores:trust"``: a guard that reads only the trust scores is not
evaluated again after a score on another dimension (``"scores"`` reads them all). A guard that
reads the state or the remembered state names ``"state"``: a condition that failed before a
manual step and reads neither the state nor what the step changed is not evaluated again in the
state the step leads to.
"""

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Protocol, TypeVar, runtime_checkable

import attrs

from coopflow._i18n import GUARD_WORDS, Term, register_messages
from coopflow._results import GuardResult
from coopflow._snapshot import Snapshot
from coopflow._text import Phrase, Problem, shown
from coopflow._vocabulary import SEED_VOCABULARY, Vocabulary
from coopflow.exceptions import CoopflowError, GuardError, InvalidProcessError, UnknownNameError

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    from coopflow._settings import Settings


@runtime_checkable
class Guard(Protocol):
    """What every guard is: a callable with a registered `kind` name.

    Example:
        >>> from coopflow import guards
        >>> isinstance(guards.trust(), guards.Guard)
        True
    """

    kind: ClassVar[str]

    def __call__(self, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
        """Evaluate the guard: does it hold, and if not, why not."""
        ...  # pragma: no cover - a protocol has no body


_REGISTRY: dict[str, type] = {}
G = TypeVar("G", bound=type)


def _same_definition(old: type, new: type) -> bool:
    # A module reloaded or a notebook cell run again defines the class anew, under the same name.
    return (old.__module__, old.__qualname__) == (new.__module__, new.__qualname__)


def register(
    kind: str,
    *,
    messages: Mapping[str, Mapping[str, str | tuple[str, str]]] | None = None,
    replace: bool = False,
) -> Callable[[G], G]:
    """Register a guard class under a stable kind name (a class decorator).

    Args:
        kind: the name that process files use for this guard.
        messages: the guard's own messages, key -> ``{"en": ..., "nl": ...}``, with ``{name}``
            style parameters; its failures render from them. A text may be a pair of plural
            forms, ``("{count} member", "{count} members")``, chosen by the parameter ``count``.
        replace: take the kind over from another class. Without it, registering a kind again
            is allowed only for the same class, or a class of the same module and name (a
            reloaded module, a notebook cell run again).

    Raises:
        InvalidProcessError: the kind is empty or taken, the class is not an attrs class, or a
            message is incomplete or not a valid template.

    Example:
        >>> import attrs
        >>> import coopflow as cf
        >>> from coopflow import guards
        >>> @guards.register("always", messages={"never": {"en": "never", "nl": "nooit"}})
        ... @attrs.frozen
        ... class Always:
        ...     def __call__(self, snapshot, settings, at):
        ...         return cf.GuardResult(self.kind, True)
        >>> Always.kind, "always" in guards.kinds()
        ('always', True)
        >>> cf.Failure(None, "never").message("nl")
        'nooit'
    """
    if not isinstance(kind, str) or not kind.strip():
        raise InvalidProcessError(
            [
                Phrase(
                    "guard kind {kind} must be a non-empty string",
                    kind=shown(kind),
                )
            ]
        )

    def decorate(cls: G) -> G:
        is_attrs = attrs.has(cls)
        if not is_attrs:
            raise InvalidProcessError(
                [
                    Phrase(
                        "guard kind {kind}: {cls} must be an attrs class (@attrs.frozen)",
                        kind=shown(kind),
                        cls=shown(cls),
                    )
                ]
            )
        existing = _REGISTRY.get(kind)
        if (
            existing is not None
            and existing is not cls
            and not replace
            and not _same_definition(existing, cls)
        ):
            raise InvalidProcessError(
                [
                    Phrase(
                        "guard kind {kind} is already registered by "
                        "{existing}.{existing2}; pass replace=True to take it over",
                        kind=shown(kind),
                        existing=existing.__module__,
                        existing2=existing.__qualname__,
                    )
                ]
            )
        if messages is not None:
            register_messages(kind, messages)
        cls.kind = kind  # type: ignore[attr-defined]
        _REGISTRY[kind] = cls
        return cls

    return decorate


def kinds() -> tuple[str, ...]:
    """The registered guard kinds, sorted.

    Example:
        >>> from coopflow import guards
        >>> "trust" in guards.kinds()
        True
    """
    return tuple(sorted(_REGISTRY))


def guard_class(kind: str) -> type:
    """The class registered under `kind`; `UnknownNameError` when there is none."""
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise UnknownNameError("guard kind", kind) from None


def kind_of(guard: object) -> str:
    """The kind name of a guard, or its class name when it has none (for messages)."""
    kind = getattr(type(guard), "kind", None)
    return kind if isinstance(kind, str) else type(guard).__name__


def evaluate(guard: Guard, snapshot: Snapshot, settings: "Settings", at: datetime) -> GuardResult:
    """Evaluate `guard`; a guard that raises or returns no `GuardResult` is a `GuardError`."""
    try:
        result: object = guard(snapshot, settings, at)
    except CoopflowError:
        raise
    except Exception as error:
        kind = kind_of(guard)
        raise GuardError(
            kind,
            Phrase(
                "guard {kind} raised {error}: {error2}",
                kind=shown(kind),
                error=type(error).__name__,
                error2=shown(error),
            ),
        ) from error
    if not isinstance(result, GuardResult):
        kind = kind_of(guard)
        raise GuardError(
            kind,
            Phrase(
                "guard {kind} returned {result}, not a GuardResult (return "
                "cf.GuardResult({kind}, passed, failures))",
                kind=shown(kind),
                result=shown(result),
            ),
        )
    return result


def reads_of(*guards: object) -> frozenset[str] | None:
    """The registers `guards` read together, as each declares (``reads``); None if one does not.

    Example:
        >>> from coopflow import guards
        >>> from coopflow.guards._registry import reads_of
        >>> sorted(reads_of(guards.trust(), guards.fact("signed", parties={"role": "chair"})))
        ['facts', 'roles', 'scores:trust']
    """
    found: set[str] = set()
    for guard in guards:
        reads = getattr(guard, "reads", None)
        if not isinstance(reads, frozenset):
            return None
        found |= reads
    return frozenset(found)


def overlap(reads: frozenset[str], writes: frozenset[str]) -> bool:
    """Whether a guard that reads `reads` may see a change to `writes`.

    A name is a register (``"scores"``) or one key of it (``"scores:trust"``); a register
    overlaps every key of itself.

    Example:
        >>> from coopflow.guards._registry import overlap
        >>> overlap(frozenset({"scores:trust"}), frozenset({"scores:voice"}))
        False
        >>> overlap(frozenset({"scores"}), frozenset({"scores:voice"}))
        True
        >>> overlap(frozenset({"scores:trust"}), frozenset({"scores"}))
        True
    """
    if not reads.isdisjoint(writes):
        return True
    bases = {name.partition(":")[0] for name in writes}
    # A whole register read sees a change of one key; one key read sees a whole register write.
    return any(
        name in bases or (":" in name and name.partition(":")[0] in writes) for name in reads
    )


def guard_problems(guard: object, vocabulary: Vocabulary, settings: "Settings") -> list[Problem]:
    """What the guard's own ``problems`` method finds, if it has one."""
    check: Callable[[Vocabulary, Settings], list[str]] | None = getattr(guard, "problems", None)
    if check is None:
        return []
    try:
        return list(check(vocabulary, settings))
    except CoopflowError as error:
        return [str(error)]
    except Exception as error:
        return [
            Phrase(
                "guard {kind_of} could not be checked: {error}: {error2}",
                kind_of=shown(kind_of(guard)),
                error=type(error).__name__,
                error2=error,
            )
        ]


# --- the words of the process being evaluated ----------------------------------------------------


@attrs.frozen
class Words:
    """What a failure's words are labelled by: a vocabulary, and the labels of the states."""

    vocabulary: Vocabulary
    states: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)

    def labels(self, kind: str, id: str) -> Mapping[str, str]:
        """The labels of a word, a state (``"state"``) or a guard kind (``"guard"``)."""
        if kind == "state":
            return self.states.get(id, {})
        if kind == "guard":
            return GUARD_WORDS.get(id, {})
        return self.vocabulary.labels(kind, id)


_SEED_WORDS = Words(SEED_VOCABULARY)
WORDS: ContextVar[Words] = ContextVar("coopflow_words", default=_SEED_WORDS)
"""The words a failure's parameters are labelled by; the engine sets its process's."""


def term(kind: str, id: str) -> Term:
    """The word `id` of `kind` as a message parameter, labelled by the current words."""
    return Term(kind, id, WORDS.get().labels(kind, id))
