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

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

import coopflow as cf
from coopflow._check._explore import SCOPED_SELECTORS, selected_party
from coopflow._events import DATA_EVENTS, DataEvent
from coopflow._text import Phrase

try:
    from hypothesis import strategies as st
except ImportError as error:  # coopflow installed without its `testing` extra
    raise cf.MissingExtraError("hypothesis", extra="testing", needed_by=__name__) from error

__all__ = [
    "ID_KINDS",
    "PARTY_IDS",
    "data_events",
    "event_strategies",
    "events",
    "ids",
    "parties",
    "party_ids",
    "scores",
    "themes",
    "trajectories",
    "triggers",
]

PARTY_IDS = ("gemeente", "universiteit", "woningcorporatie")
"""The party ids the strategies use by default: few, so events often meet known parties."""

ID_KINDS = ("party", "theme", "interest", "contribution", "role", "fact", "dimension", "tag")
"""The kinds of id `ids` draws."""

_T0 = datetime(2018, 6, 14, 10, tzinfo=UTC)
_fresh = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=24)
_words = st.text(min_size=1, max_size=20).filter(lambda text: bool(text.strip()))
_NUMBERED = 64
"""Numbered witness ids (``witness-cash-0``, ``witness-newcomer-26`` ...) are in the pools up to
this number (a newcomer's counts the reviews and the events recorded before it)."""


def _numbered(*stems: str) -> tuple[str, ...]:
    return tuple(f"{stem}-{n}" for n in range(_NUMBERED) for stem in stems)


# The ids the checker's witnesses write (coopflow._witness), so that an event drawn here can
# refer to what a replayed path recorded: close its theme, withdraw its contribution, ...
_WITNESS = {
    "party": ("party-a", "party-b", *_numbered("witness-newcomer", "witness-member")),
    "theme": ("witness-theme",),
    "interest": ("witness-interest",),
    "contribution": _numbered("witness-contribution", "witness-cash"),
    "role": (),
    "fact": (),
    "dimension": (),
    "tag": (),
}
_COMMON = {
    "theme": ("theme-1", "theme-2"),
    "interest": ("interest", "evidence-based-policy"),
    "contribution": ("money", "staff", "rooms"),
    "role": ("secretary",),
}


def _guards(guard: object) -> Iterator[object]:
    """`guard` and every guard inside it (in `all_of`, `any_of`, `not_`)."""
    yield guard
    for inner in getattr(guard, "guards", ()):
        yield from _guards(inner)
    inner = getattr(guard, "guard", None)
    if inner is not None:
        yield from _guards(inner)


def _named(process: cf.Process) -> dict[str, list[str]]:
    """The ids the process's guards name in their ``parties=`` selections."""
    named: dict[str, list[str]] = {"party": [], "role": [], "tag": []}
    for transition in process.transitions:
        for guard in (inner for outer in transition.guards for inner in _guards(outer)):
            selection = getattr(guard, "parties", None)
            if isinstance(selection, Mapping):
                named.setdefault(next(iter(selection)), []).extend(selection.values())
            elif isinstance(selection, tuple):
                named["party"].extend(selection)
    return named


def _pool(process: cf.Process | None, kind: str, parties: Sequence[str]) -> tuple[str, ...]:
    if kind not in ID_KINDS:
        raise cf.UnknownNameError(
            "kind of id", kind, Phrase("choose from {KINDS}", KINDS=", ".join(ID_KINDS))
        )
    process = process or cf.default_process()
    words = process.vocabulary
    named = _named(process).get(kind, [])
    own: list[str] = list(_COMMON.get(kind, ()))
    if kind == "party":
        # The parties the checker adds to its scope for tag and sector selectors too, so every
        # path it reports can be drawn.
        every = _named(process)
        own = list(parties) + [
            selected_party(key, value).id
            for key in SCOPED_SELECTORS
            for value in every.get(key, [])
        ]
    elif kind == "role":
        own = [*process.settings.required_roles, *words.roles, *own]
        own += [f"witness-role-{party}" for party in (*parties, *_WITNESS["party"][:2])]
    elif kind in ("fact", "dimension", "tag"):
        own = list(words.words(kind))
    return tuple(dict.fromkeys([*own, *named, *_WITNESS[kind]]))


def ids(
    process: cf.Process | None = None, kind: str = "party", parties: Sequence[str] = PARTY_IDS
) -> st.SearchStrategy[str]:
    """Ids of one kind from a small pool, so that events meet each other, and now and then new.

    The pool holds `parties` (for ``"party"``), the process's own words (its vocabulary's
    dimensions, facts, roles and tags, its required roles, the ids its guards' ``parties=``
    name) and every id the checker's witnesses write (``witness-theme``, ``witness-cash-0``,
    ``witness-role-...``, ...), so events can close a theme or withdraw a contribution that a
    replayed path recorded. `kind` is one of `ID_KINDS`.

    Raises:
        UnknownNameError: `kind` is not one of `ID_KINDS`.

    Example:
        >>> from coopflow.testing import strategies as cst
        >>> from hypothesis import find
        >>> find(cst.ids(kind="theme"), lambda id: id.startswith("witness"))
        'witness-theme'
    """
    return _strategy(_pool(process, kind, parties), kind)


def _strategy(pool: tuple[str, ...], kind: str) -> st.SearchStrategy[str]:
    # An undeclared dimension or fact is refused whatever it is: draw from the pool only.
    if not pool:
        return _fresh
    if kind in ("fact", "dimension"):
        return st.sampled_from(pool)
    return st.one_of(st.sampled_from(pool), _fresh)


def party_ids() -> st.SearchStrategy[str]:
    """Valid party ids (non-empty, printable): the default ones, the witnesses', or new ones.

    Example:
        >>> from coopflow.testing import strategies as cst
        >>> from hypothesis import find
        >>> len(find(cst.party_ids(), lambda id: len(id) > 12)) > 12
        True
    """
    return ids(kind="party")


def parties(
    ids: Sequence[str] | None = None, *, tags: Sequence[str] = ()
) -> st.SearchStrategy[cf.Party]:
    """Parties with ids from `ids` (or any valid id), names, sectors and some of `tags`.

    Example:
        >>> import coopflow as cf
        >>> from coopflow.testing import strategies as cst
        >>> from hypothesis import find
        >>> find(cst.parties(["uni"]), lambda party: True).id
        'uni'
        >>> find(cst.parties(["uni"], tags=["backbone"]), lambda party: party.tags).tags
        frozenset({'backbone'})
    """
    return st.builds(
        lambda id, name, sector, tags: cf.Party(id, name=name or id, sector=sector, tags=tags),
        st.sampled_from(ids) if ids else party_ids(),
        st.one_of(st.just(""), _words),
        st.one_of(st.none(), st.sampled_from(cf.Sector)),
        st.frozensets(st.sampled_from(tags), max_size=2) if tags else st.just(frozenset[str]()),
    )


def _thresholds(process: cf.Process) -> list[float]:
    """The thresholds the process's own guards name (`score`, `mean_score`, ...)."""
    marks: list[float] = []
    for transition in process.transitions:
        for guard in (inner for outer in transition.guards for inner in _guards(outer)):
            for name in ("at_least", "each_at_least", "below", "threshold"):
                value = getattr(guard, name, None)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    marks.append(float(value))
    return marks


def scores(process: cf.Process | None = None) -> st.SearchStrategy[float]:
    """Scores on the process's scale, biased to its ends, thresholds and just around them.

    The thresholds are the settings' and those the process's own guards name.

    Example:
        >>> from coopflow.testing import strategies as cst
        >>> from hypothesis import find
        >>> 3.4 < find(cst.scores(), lambda score: score > 3.4) <= 5.0
        True
    """
    process = process or cf.default_process()
    settings = process.settings
    low, high = settings.scale
    marks = [low, high, settings.regression_threshold, settings.entry_threshold]
    marks += _thresholds(process)
    near = [mark + delta for mark in marks for delta in (-0.01, 0.01)]
    boundary = sorted({value for value in marks + near if low <= value <= high})
    return st.one_of(
        st.sampled_from(boundary),
        st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False),
    )


def themes(
    ids: Sequence[str] = PARTY_IDS,
    interests: Sequence[str] = ("interest",),
    *,
    process: cf.Process | None = None,
) -> st.SearchStrategy[cf.Theme]:
    """Agenda themes owned by one of `ids`, linked to some of `interests`.

    Their ids come from a small pool (``witness-theme`` among them, see `ids`), so that
    `ThemeClosed` events meet them.

    Example:
        >>> from coopflow.testing import strategies as cst
        >>> from hypothesis import find
        >>> find(cst.themes(), lambda theme: True).owner in cst.PARTY_IDS
        True
    """
    return st.builds(
        cf.Theme,
        _strategy(_pool(process, "theme", ids), "theme"),
        _words,
        st.sampled_from(ids),
        st.one_of(st.just(""), _words),
        st.lists(st.sampled_from(interests), max_size=2, unique=True) if interests else st.just([]),
    )


def _facts(process: cf.Process, party: st.SearchStrategy[str]) -> st.SearchStrategy[DataEvent]:
    facts = process.vocabulary.facts
    return st.one_of(
        *(
            st.builds(
                lambda fact, who, holds: cf.FactRecorded(fact, party=who, holds=holds),
                st.just(id),
                party if fact.per_party else st.none(),
                st.booleans(),
            )
            for id, fact in facts.items()
        )
    )


# The data event types whose strategy needs more than their fields say; every other type's is
# derived from its fields (`_derived`). tests/test_structure.py keeps this list as the only place
# here that names an event type:
# - PartyJoined: a whole Party, tagged with the tags the process's selections name;
# - DependencyDeclared: a party cannot depend on itself;
# - AgendaProposed: themes owned by the given parties, linked to the shared interests;
# - FactRecorded: a per-party fact names a party, another none; only when facts are declared.


def event_strategies(
    process: cf.Process | None = None, ids: Sequence[str] = PARTY_IDS
) -> dict[type, st.SearchStrategy[DataEvent]]:
    """One strategy per data event class the process can use, about the parties `ids`.

    Ids come from the small pools of `ids` (the process's own words and the checker's witness
    ids), so most events refer to something that exists; `FactRecorded` is there when the
    process's vocabulary declares facts. A few event types have a strategy of their own; the
    others' are derived from their fields, by name and type: ``party`` and ``depends_on`` are
    party ids (``parties`` a set of them), ``interest``, ``contribution``, ``role``, ``theme``,
    ``dimension`` and ``fact`` ids from their pools, ``version`` a small agenda version,
    ``score`` a score on the process's scale (see `scores`), ``weights`` a weight per party;
    otherwise text, a flag, an amount of money or a member of an enum by the field's type. A
    field of text with a default keeps it.

    Raises:
        UnknownNameError: a data event class has a field that none of these rules covers.

    Example:
        >>> import coopflow as cf
        >>> from coopflow.testing import strategies as cst
        >>> len(cst.event_strategies())
        16
        >>> p = cf.Process.from_file(cf.example_file("collective-impact"))
        >>> cf.FactRecorded in cst.event_strategies(p)
        True
    """
    process = process or cf.default_process()
    pools = {kind: _pool(process, kind, ids) for kind in ID_KINDS}
    known = pools["party"]
    # Mostly the parties given, so that most events apply; now and then a witness's or another.
    party = st.one_of(st.sampled_from(tuple(ids)), st.sampled_from(known))
    version = st.integers(min_value=1, max_value=4)
    fields: dict[tuple[str, object], st.SearchStrategy[Any]] = {
        ("party", str): party,
        ("depends_on", str): party,
        ("parties", frozenset[str]): st.sets(party, min_size=1),
        ("interest", str): _strategy(pools["interest"], "interest"),
        ("contribution", str): _strategy(pools["contribution"], "contribution"),
        ("role", str): _strategy(pools["role"], "role"),
        ("fact", str): _strategy(pools["fact"], "fact"),
        ("theme", str): st.sampled_from(pools["theme"]),
        ("dimension", str): st.sampled_from(pools["dimension"]),
        ("version", int): version,
        ("score", float): scores(process),
        ("weights", Mapping[str, float]): st.dictionaries(
            party, st.floats(min_value=0, max_value=10)
        ),
    }
    special: dict[type, st.SearchStrategy[Any]] = {
        cf.PartyJoined: parties(known, tags=pools["tag"]).map(cf.PartyJoined),
        cf.DependencyDeclared: st.tuples(party, party)
        .filter(lambda pair: pair[0] != pair[1])
        .map(lambda pair: cf.DependencyDeclared(*pair)),
        cf.AgendaProposed: st.builds(
            cf.AgendaProposed,
            version,
            st.lists(
                themes(ids, pools["interest"], process=process),
                max_size=3,
                unique_by=lambda t: t.id,
            ),
        ),
    }
    if process.vocabulary.facts:
        special[cf.FactRecorded] = _facts(process, party)
    by_type: dict[type, st.SearchStrategy[Any]] = {}
    for cls in DATA_EVENTS:
        if cls in special:
            by_type[cls] = special[cls]
        elif cls is not cf.FactRecorded:  # drawn only when the vocabulary declares facts
            by_type[cls] = _derived(cls, fields)
    return by_type


_MONEY = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)
_BY_TYPE: dict[object, st.SearchStrategy[Any]] = {str: _words, bool: st.booleans(), Decimal: _MONEY}


def _derived(
    cls: type, fields: Mapping[tuple[str, object], st.SearchStrategy[Any]]
) -> st.SearchStrategy[Any]:
    """Instances of the attrs class `cls`, each field drawn by its name and type (see above)."""
    drawn: dict[str, st.SearchStrategy[Any]] = {}
    for field in attrs.fields(cls):
        if field.type is str and field.default is not attrs.NOTHING:
            continue  # free text with a default (a reason, a note, a respondent) keeps it
        strategy = fields.get((field.name, field.type), _BY_TYPE.get(field.type))
        if strategy is None and isinstance(field.type, type) and issubclass(field.type, Enum):
            strategy = st.sampled_from(field.type)
        if strategy is None:
            raise cf.UnknownNameError(
                "field",
                f"{cls.__name__}.{field.name}",
                Phrase("no strategy draws it: give its event type one in event_strategies"),
            )
        drawn[field.name] = strategy
    return st.builds(cls, **drawn)


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
