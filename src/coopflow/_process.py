"""Process definitions: states, transitions, guards and settings, validated when built."""

import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from coopflow._i18n import LOCALES, check_locale
from coopflow._settings import Settings
from coopflow._snapshot import FoldContext
from coopflow._text import Phrase, Problem, shown
from coopflow._validators import is_encodable, is_text
from coopflow._vocabulary import SEED_VOCABULARY, Vocabulary
from coopflow.exceptions import InvalidEventError, InvalidProcessError, UnknownNameError
from coopflow.guards import Guard
from coopflow.guards._registry import Words, guard_problems

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    from coopflow._events import Event
    from coopflow._results import Applied, Refused
    from coopflow._snapshot import Snapshot


def _to_labels(value: object) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise InvalidProcessError(
            [Phrase("labels {value} must map a locale to a text", value=shown(value))]
        )
    return MappingProxyType(dict(value))


def _name(instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    if not is_text(value):
        owner = type(instance).__name__
        raise InvalidProcessError(
            [
                Phrase(
                    "{owner} {name} {value} must be a non-empty string",
                    owner=owner,
                    name=attribute.name,
                    value=shown(value),
                )
            ]
        )


def _flag(instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    if not isinstance(value, bool):
        owner = type(instance).__name__
        raise InvalidProcessError(
            [
                Phrase(
                    "{owner} {name} {value} must be True or False",
                    owner=owner,
                    name=attribute.name,
                    value=shown(value),
                )
            ]
        )


@attrs.frozen
class State:
    """A state of a process, with its labels in English and Dutch.

    A ``success`` state is a terminal state in which the cooperation reached its goal; the
    `completion` property of `check` asks that one stays reachable.

    Example:
        >>> import coopflow as cf
        >>> cf.State("pilot", labels={"en": "Pilot", "nl": "Pilotfase"}).terminal
        False
        >>> labels = {"en": "Done", "nl": "Klaar"}
        >>> done = cf.State("done", labels=labels, terminal=True, success=True)
        >>> done.success
        True
    """

    id: str = attrs.field(validator=_name)
    labels: Mapping[str, str] = attrs.field(converter=_to_labels)
    terminal: bool = attrs.field(kw_only=True, default=False, validator=_flag)
    initial: bool = attrs.field(kw_only=True, default=False, validator=_flag)
    success: bool = attrs.field(kw_only=True, default=False, validator=_flag)


def _to_sources(value: object) -> tuple[str, ...]:
    sources = (value,) if isinstance(value, str) else value
    if not isinstance(sources, Iterable):
        raise InvalidProcessError(
            [Phrase("Transition source {value} must be a state id or several", value=shown(value))]
        )
    names = tuple(sources)
    if not names or not all(is_text(name) for name in names):
        raise InvalidProcessError(
            [Phrase("Transition source {value} must name at least one state", value=shown(value))]
        )
    return names


def _to_guards(value: object) -> tuple[Guard, ...]:
    if not isinstance(value, Iterable):
        raise InvalidProcessError(
            [Phrase("Transition guards {value} must be a sequence of guards", value=shown(value))]
        )
    items = tuple(value)
    for item in items:
        if not isinstance(item, Guard):
            raise InvalidProcessError(
                [Phrase("Transition guard {item} is not a guard", item=shown(item))]
            )
    return items


@attrs.frozen
class Transition:
    """A move from one state (or several) to another, allowed when all its guards hold.

    An ``automatic`` transition is a regression: it is tried after every applied event and fires
    when all its guards (its conditions) hold. ``voids_declaration`` clears every signature of
    the declaration when the transition fires.

    Example:
        >>> import coopflow as cf
        >>> t = cf.Transition("start_pilot", source="organising", dest="pilot",
        ...                   labels={"en": "Start the pilot", "nl": "Pilot starten"})
        >>> t.source
        ('organising',)
    """

    trigger: str = attrs.field(validator=_name)
    source: tuple[str, ...] = attrs.field(converter=_to_sources)
    dest: str = attrs.field(validator=_name)
    guards: tuple[Guard, ...] = attrs.field(kw_only=True, default=(), converter=_to_guards)
    automatic: bool = attrs.field(kw_only=True, default=False, validator=_flag)
    labels: Mapping[str, str] = attrs.field(
        kw_only=True, factory=lambda: MappingProxyType({}), converter=_to_labels
    )
    voids_declaration: bool = attrs.field(kw_only=True, default=False, validator=_flag)


@attrs.frozen
class _Index:
    """What the engine looks up on every event, computed once per process."""

    states: Mapping[str, State]
    initial: str
    manual: Mapping[tuple[str, str], tuple[tuple[int, Transition], ...]]
    automatic: Mapping[str, tuple[tuple[int, Transition], ...]]
    manual_triggers: tuple[str, ...]
    labels: Mapping[str, Mapping[str, str]]
    context: FoldContext
    words: Words
    # What is built on first use: the engine's machine, the fingerprint.
    cache: dict[str, Any] = attrs.field(factory=dict)


def _sequence(value: object) -> Any:
    # A bad value is kept as it is, so that the process reports it with all other problems.
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def _to_states(value: object) -> tuple[State, ...]:
    return _sequence(value)  # type: ignore[no-any-return]


def _to_transitions(value: object) -> tuple[Transition, ...]:
    return _sequence(value)  # type: ignore[no-any-return]


def _sequence_problems(value: object, kind: type, name: str) -> list[Problem]:
    if not isinstance(value, tuple):
        return [
            Phrase("Process {name} must be a sequence of {kind}", name=name, kind=kind.__name__)
        ]
    return [
        Phrase(
            "Process {name}: {item} is not a {kind}",
            name=name,
            item=shown(item),
            kind=kind.__name__,
        )
        for item in value
        if not isinstance(item, kind)
    ]


@attrs.frozen
class Process:
    """A cooperation process: its states, transitions, guards, settings and vocabulary.

    Built once, validated when built (a changed copy from `attrs.evolve` is validated again),
    immutable, and shared by every trajectory that follows it.

    Raises:
        InvalidProcessError: `problems` lists every problem of the definition at once.

    Example:
        >>> import coopflow as cf
        >>> p = cf.default_process()
        >>> p.initial, len(p.states), p.label("building_culture", locale="nl")
        ('exploring', 9, 'Vorming samenwerkingscultuur')
    """

    id: str
    states: tuple[State, ...] = attrs.field(converter=_to_states)
    transitions: tuple[Transition, ...] = attrs.field(converter=_to_transitions)
    settings: Settings = attrs.field(kw_only=True, factory=Settings)
    version: str = attrs.field(kw_only=True, default="1")
    vocabulary: Vocabulary = attrs.field(kw_only=True, default=SEED_VOCABULARY)
    _index: _Index = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise InvalidProcessError(problems)
        object.__setattr__(self, "_index", _build_index(self))

    @property
    def initial(self) -> str:
        """The id of the initial state."""
        return self._index.initial

    @property
    def fingerprint(self) -> str:
        """A hash of the canonical JSON of this definition: equal definitions, equal prints.

        Example:
            >>> import coopflow as cf
            >>> cf.default_process().fingerprint.startswith("sha256:")
            True
        """
        cache = self._index.cache
        if "fingerprint" not in cache:
            from coopflow._definition import fingerprint

            cache["fingerprint"] = fingerprint(self)
        return cache["fingerprint"]  # type: ignore[no-any-return]

    @classmethod
    def from_file(cls, path: "str | os.PathLike[str]") -> "Process":
        """Load a process definition from a ``.json`` or ``.toml`` file.

        Raises:
            InvalidProcessError: the file does not hold a valid process definition.
            UnknownNameError: the file name ends in neither ``.json`` nor ``.toml``, or a guard
                kind in it is not registered.
            OSError: the file cannot be read.

        Example:
            >>> import coopflow as cf, tempfile, pathlib
            >>> path = pathlib.Path(tempfile.mkdtemp()) / "default.toml"
            >>> cf.default_process().to_file(path)
            >>> cf.Process.from_file(path) == cf.default_process()
            True
        """
        from coopflow._definition import read_file

        return read_file(path)

    def to_file(self, path: "str | os.PathLike[str]") -> None:
        """Write this definition to a ``.json`` or ``.toml`` file (canonical, UTF-8).

        Raises:
            UnknownNameError: the file name ends in neither ``.json`` nor ``.toml``.
            OSError: the file cannot be written.

        Example:
            >>> import coopflow as cf, tempfile, pathlib
            >>> path = pathlib.Path(tempfile.mkdtemp()) / "default.json"
            >>> cf.default_process().to_file(path)
            >>> path.read_text(encoding="utf-8").splitlines()[1]
            '  "format": 2,'
        """
        from coopflow._definition import write_file

        write_file(self, path)

    def state(self, id: str) -> State:
        """The state with this id.

        Raises:
            UnknownNameError: the process has no such state.

        Example:
            >>> import coopflow as cf
            >>> cf.default_process().state("completed").terminal
            True
        """
        try:
            return self._index.states[id]
        except KeyError:
            raise UnknownNameError("state", id) from None

    @property
    def triggers(self) -> tuple[str, ...]:
        """The manual triggers, in definition order.

        Example:
            >>> import coopflow as cf
            >>> cf.default_process().triggers[:2]
            ('form_culture', 'set_agenda')
        """
        return self._index.manual_triggers

    def label(self, name: str, *, locale: str = "en") -> str:
        """The label of a state or trigger (automatic ones too) in `locale`.

        Raises:
            UnknownNameError: no state or trigger has this name, or the locale is unknown.

        Example:
            >>> import coopflow as cf
            >>> cf.default_process().label("set_agenda", locale="nl")
            'Voortraject afronden'
        """
        check_locale(locale)
        labels = self._index.labels.get(name)
        if labels is None:
            raise UnknownNameError("state or trigger", name)
        return labels[locale]

    def apply(
        self, snapshot: "Snapshot", event: "Event", *, at: datetime | None = None
    ) -> "Applied | Refused":
        """The pure engine: apply one event to a snapshot, without changing anything.

        Args:
            snapshot: the snapshot to start from.
            event: a data event, or `Fire` to request a manual trigger.
            at: when it happens (timezone-aware); default now, in UTC.

        Returns:
            `Applied` with the new snapshot and every transition the event caused, or `Refused`
            with the unchanged snapshot and the explanation.

        Raises:
            InvalidEventError: bad input; nothing changed.
            UnknownNameError: `Fire` names a trigger the process does not have.

        Example:
            >>> import coopflow as cf
            >>> p = cf.default_process()
            >>> t = cf.Trajectory.start(p, parties=[cf.Party("a"), cf.Party("b")])
            >>> p.apply(t.snapshot, cf.Fire("stall")).snapshot.state
            'stalled'
        """
        from coopflow._engine import apply, moment
        from coopflow._snapshot import Snapshot

        if not isinstance(snapshot, Snapshot):
            raise InvalidEventError("snapshot", snapshot, Phrase("must be a coopflow Snapshot"))
        if snapshot.state not in self._index.states:
            raise InvalidEventError(
                "snapshot", snapshot.state, Phrase("is not a state of this process")
            )
        return apply(self, snapshot, event, moment(at))


def _field_problems(process: Process) -> list[Problem]:
    problems: list[Problem] = [
        Phrase("Process {name} {value} must be a non-empty string", name=name, value=shown(value))
        for name, value in (("id", process.id), ("version", process.version))
        if not is_text(value)
    ]
    problems += _sequence_problems(process.states, State, "states")
    problems += _sequence_problems(process.transitions, Transition, "transitions")
    settings: object = process.settings
    if not isinstance(settings, Settings):
        problems.append(
            Phrase("Process settings {settings} must be a Settings", settings=shown(settings))
        )
    vocabulary: object = process.vocabulary
    if not isinstance(vocabulary, Vocabulary):
        problems.append(
            Phrase(
                "Process vocabulary {vocabulary} must be a Vocabulary", vocabulary=shown(vocabulary)
            )
        )
    if not problems:
        problems += [
            Phrase(
                "{text} is not valid Unicode text (it cannot be written as UTF-8)",
                text=shown(text),
            )
            for text in _texts(process)
            if not is_encodable(text)
        ]
    return problems


def _texts(process: Process) -> list[str]:
    texts = [process.id, process.version]
    for state in process.states:
        texts += [state.id, *state.labels, *state.labels.values()]
    for t in process.transitions:
        texts += [t.trigger, *t.source, t.dest, *t.labels, *t.labels.values()]
    for kind in ("dimension", "fact", "role", "tag"):
        for id in process.vocabulary.words(kind):
            labels = process.vocabulary.labels(kind, id)
            texts += [id, *labels, *labels.values()]
    return [text for text in texts if isinstance(text, str)]


def _problems(process: Process) -> list[Problem]:
    problems = _field_problems(process)
    if problems:
        # The structure cannot be checked until every field has the right kind.
        return problems
    ids = [state.id for state in process.states]
    known = set(ids)
    for state_id in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(
            Phrase("state {state_id} is defined more than once", state_id=shown(state_id))
        )
    initial = [state.id for state in process.states if state.initial]
    if not initial:
        problems.append(Phrase("no state is marked initial"))
    elif len(initial) > 1:
        problems.append(
            Phrase("several states are marked initial: {initial}", initial=", ".join(initial))
        )
    for state in process.states:
        problems.extend(
            Phrase("state {id} has no {locale} label", id=shown(state.id), locale=shown(locale))
            for locale in LOCALES
            if not isinstance(state.labels.get(locale), str) or not state.labels[locale].strip()
        )
    seen: set[tuple[str, tuple[str, ...], str]] = set()
    manual: set[str] = set()
    automatic: set[str] = set()
    for transition in process.transitions:
        name = transition.trigger
        (automatic if transition.automatic else manual).add(name)
        key = (name, transition.source, transition.dest)
        if key in seen:
            problems.append(
                Phrase(
                    "transition {name} from {source} is defined twice",
                    name=shown(name),
                    source=transition.source,
                )
            )
        seen.add(key)
        for source in transition.source:
            if source not in known:
                problems.append(
                    Phrase(
                        "transition {name} comes from unknown state {source}",
                        name=shown(name),
                        source=shown(source),
                    )
                )
        if transition.dest not in known:
            problems.append(
                Phrase(
                    "transition {name} goes to unknown state {dest}",
                    name=shown(name),
                    dest=shown(transition.dest),
                )
            )
        if transition.automatic and not transition.guards:
            problems.append(
                Phrase("automatic transition {name} has no condition", name=shown(name))
            )
        problems.extend(
            Phrase(
                "transition {name} has no {locale} label", name=shown(name), locale=shown(locale)
            )
            for locale in LOCALES
            if not isinstance(transition.labels.get(locale), str)
            or not transition.labels[locale].strip()
        )
    problems.extend(
        Phrase("trigger {name} is both manual and automatic", name=shown(name))
        for name in sorted(manual & automatic)
    )
    problems.extend(
        Phrase("{name} names both a state and a trigger", name=shown(name))
        for name in sorted(known & (manual | automatic))
    )
    terminal = {state.id for state in process.states if state.terminal}
    leaving = sorted({s for t in process.transitions for s in t.source if s in terminal})
    problems.extend(
        Phrase("terminal state {s} has outgoing transitions", s=shown(s)) for s in leaving
    )
    problems.extend(
        Phrase("success state {id} must be terminal", id=shown(state.id))
        for state in process.states
        if state.success and not state.terminal
    )
    problems += _vocabulary_problems(process)
    if len(initial) == 1:
        reached = {initial[0]}
        frontier = [initial[0]]
        while frontier:
            here = frontier.pop()
            for transition in process.transitions:
                if here in transition.source and transition.dest not in reached:
                    reached.add(transition.dest)
                    frontier.append(transition.dest)
        problems.extend(
            Phrase(
                "state {state_id} cannot be reached from {initial}",
                state_id=shown(state_id),
                initial=shown(initial[0]),
            )
            for state_id in ids
            if state_id not in reached
        )
    return problems


def _vocabulary_problems(process: Process) -> list[Problem]:
    """Words the settings and guards name that the vocabulary does not declare, and thresholds
    off the scale: every guard checks itself."""
    vocabulary, settings = process.vocabulary, process.settings
    problems: list[Problem] = [
        Phrase("required role {role} is not a role the vocabulary declares", role=shown(role))
        for role in settings.required_roles
        if not vocabulary.declares("role", role)
    ]
    seen: set[str] = set()
    for transition in process.transitions:
        for guard in transition.guards:
            for problem in guard_problems(guard, vocabulary, settings):
                text = Phrase(
                    "transition {trigger}: {problem}",
                    trigger=shown(transition.trigger),
                    problem=problem,
                )
                if str(text) not in seen:
                    seen.add(str(text))
                    problems.append(text)
    return problems


def _build_index(process: Process) -> _Index:
    manual: dict[tuple[str, str], list[tuple[int, Transition]]] = {}
    automatic: dict[str, list[tuple[int, Transition]]] = {}
    triggers: list[str] = []
    labels: dict[str, Mapping[str, str]] = {state.id: state.labels for state in process.states}
    for index, transition in enumerate(process.transitions):
        labels.setdefault(transition.trigger, transition.labels)
        for source in transition.source:
            if transition.automatic:
                automatic.setdefault(source, []).append((index, transition))
            else:
                manual.setdefault((source, transition.trigger), []).append((index, transition))
        if not transition.automatic and transition.trigger not in triggers:
            triggers.append(transition.trigger)
    return _Index(
        states=MappingProxyType({state.id: state for state in process.states}),
        initial=next(state.id for state in process.states if state.initial),
        manual=MappingProxyType({key: tuple(value) for key, value in manual.items()}),
        automatic=MappingProxyType({key: tuple(value) for key, value in automatic.items()}),
        manual_triggers=tuple(triggers),
        labels=MappingProxyType(labels),
        context=FoldContext(process.settings.scale, process.vocabulary),
        words=Words(
            process.vocabulary,
            MappingProxyType({state.id: state.labels for state in process.states}),
        ),
    )
