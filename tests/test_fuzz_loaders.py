"""Fuzzed loaders: whatever goes in, only coopflow errors come out, and nothing is half-loaded.

Every loader gets arbitrary JSON values, mutated golden documents and arbitrary or mutated
text: ``loads``/``from_dict`` for trajectories and processes, and ``Process.from_file`` for
``.json`` and ``.toml``. An exception that is not a `cf.CoopflowError` is a bug in coopflow,
and so is a load that succeeds with a result that does not survive its own round trip.

The number of examples comes from the active Hypothesis profile (tests/conftest.py): "ci" runs
100 per test; ``HYPOTHESIS_PROFILE=fuzz`` runs 100,000 per test, for a one-off long run.
"""

import contextlib
import copy
import functools
import json
import math
import pathlib
import tempfile
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import given
from hypothesis import strategies as st

import coopflow as cf
from coopflow import _definition, _toml, guards
from coopflow._events import EVENT_TYPES
from tests.golden import build

T = TypeVar("T")
Path = tuple[str | int, ...]

PROCESS = cf.default_process()
_GOLDEN_TEXTS = {
    name: (build.HERE / name).read_text(encoding="utf-8")
    for name in [build.PROCESS_FILE, *map(build.trajectory_file, build.STATES)]
}
_DOCUMENTS = {name: json.loads(text) for name, text in _GOLDEN_TEXTS.items()}
PROCESS_DOCUMENT: dict[str, Any] = _DOCUMENTS[build.PROCESS_FILE]
TRAJECTORY_DOCUMENTS: list[dict[str, Any]] = [
    document for name, document in _DOCUMENTS.items() if name != build.PROCESS_FILE
]
BASE_TEXTS = [*_GOLDEN_TEXTS.values(), _toml.dumps(PROCESS_DOCUMENT)]


# --- a dictionary of interesting values, as fuzzers keep one ----------------------------------


def _leaves(value: Any, keys: set[str], strings: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            keys.add(key)
            _leaves(item, keys, strings)
    elif isinstance(value, list):
        for item in value:
            _leaves(item, keys, strings)
    elif isinstance(value, str):
        strings.add(value)


_KEYS: set[str] = {
    "max_score_age",
    "threshold",
    "max_share",
    "roles",
    "coverage",
    "guards",
    "guard",
    "state",
    "initial",
    "terminal",
    "automatic",
    "voids_declaration",
    "type",
    "kind",
    "weights",
}
AMOUNTS = ["0", "-1", "-0", "1e999999999", "0E-1000000", "NaN", "sNaN", "-Infinity", "1_000"]
"""Amounts written as text, as money is: edge and special decimals."""
DURATIONS = [
    "P30D",
    "PT12H",
    "P1DT0.5S",
    "P",
    "PT",
    "P0D",
    "PT0.0000015S",
    "PT1.2345678S",
    "P1000000000D",
    "P99999999999999999999D",
    "PT99999999999999999999H",
    "P2W",
    "P1W3D",
    "PT1,5H",
    "P1Y",
    "P1DT",
    "P30D\n",
]
"""ISO 8601 durations, as `max_score_age` is written: plain, empty, tiny, precise, huge, in
weeks, with a decimal comma, in years (refused), with a dangling T or a trailing newline."""
TIMES = [
    "2018-01-08T09:00:00",
    "2018-01-08T09:00:00Z",
    "2018-01-08T09:00:00+00:00",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "2018-06-14T10:00:00+23:59",
    "2018-06-14",
]
"""ISO 8601 times: naive, Zulu, at the ends of the calendar, with extreme offsets, a date."""
ODD_TEXTS = ["", " ", "\ud800", "\x00", "a\nb", "\u2028", "é", "Infinity"]
"""Texts that are hard to carry: empty, blank, a lone surrogate, control characters."""
EDGE_STRINGS = [*AMOUNTS, *DURATIONS, *TIMES, *ODD_TEXTS]
_STRINGS: set[str] = {
    *EDGE_STRINGS,
    *guards.kinds(),
    *(cls.__name__ for cls in EVENT_TYPES),
    *(member.value for enum in (cf.Sector, cf.Dimension, cf.DecisionRule) for member in enum),
    *(member.value for member in cf.Outcome),
}
for _document in _DOCUMENTS.values():
    _leaves(_document, _KEYS, _STRINGS)
KEYS = sorted(_KEYS)
STRINGS = sorted(_STRINGS)
NUMBERS: list[int | float] = [
    0,
    1,
    -1,
    2,
    3.5,
    5,
    6,
    0.5,
    -0.0,
    1e-320,
    1e308,
    2**31,
    2**63,
    -(2**63),
    10**400,
    math.nan,
    math.inf,
    -math.inf,
]

# --- strategies --------------------------------------------------------------------------------


def _one_of(values: list[T]) -> st.SearchStrategy[T]:
    """Like `st.sampled_from`, with a short repr in Hypothesis' statistics."""

    def pick(index: int) -> T:
        return values[index]

    return st.integers(0, len(values) - 1).map(pick)


_characters = st.characters(exclude_categories=())  # lone surrogates included
texts = st.text(_characters, max_size=12) | _one_of(STRINGS)
keys = _one_of(KEYS) | texts
scalars = st.none() | st.booleans() | st.integers() | st.floats() | _one_of(NUMBERS) | texts
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=20,
)


def _paths(value: Any, here: Path = ()) -> list[Path]:
    """The path of every node of `value`, the root first."""
    found = [here]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*here, index))
    return found


def _at(value: Any, path: Path) -> Any:
    for step in path:
        value = value[step]
    return value


def _put(root: Any, path: Path, value: Any) -> Any:
    """`root` with the node at `path` replaced by `value` (in place, except at the root)."""
    if not path:
        return value
    _at(root, path[:-1])[path[-1]] = value
    return root


_RETYPINGS: list[Callable[[Any], Any]] = [
    lambda v: json.dumps(v),
    lambda v: str(v),
    lambda v: [v],
    lambda v: {"value": v},
    lambda v: None,
    lambda v: not v,
    lambda v: len(v) if isinstance(v, (str, list, dict)) else v,
    lambda v: (
        float(v) if isinstance(v, int) and not isinstance(v, bool) and abs(v) < 2**1023 else v
    ),
    lambda v: int(v) if isinstance(v, float) and math.isfinite(v) else v,
    lambda v: list(v) if isinstance(v, (str, dict)) else v,
    lambda v: {str(i): item for i, item in enumerate(v)} if isinstance(v, list) else v,
]


def _parses(parse: Callable[[str], object], text: str) -> bool:
    try:
        parse(text)
    except (ValueError, ArithmeticError):
        return False
    return True


def _tweaks(value: Any) -> list[Any]:
    """Interesting values of the same kind as `value`: edge numbers, amounts, times, texts."""
    if isinstance(value, bool):
        return [not value, int(value), None]
    if isinstance(value, (int, float)):
        return NUMBERS
    if isinstance(value, str):
        if _parses(Decimal, value):
            return AMOUNTS
        if _parses(datetime.fromisoformat, value):
            return TIMES
        return [*DURATIONS, *ODD_TEXTS] if value.startswith("P") else EDGE_STRINGS
    if value is None:
        return ["", 0, [], {}, False]
    return [[], {}, [value], {"": value}]


@st.composite
def _path(draw: st.DrawFn, document: Any, *, containers: bool = False) -> Path:
    """A node of `document`: any node, one found by walking down, or one under a given key.

    Any node is nearly always in a history, which holds most of a trajectory's nodes. The walk
    reaches the few top-level parts (the snapshot, the settings, the process block) as often as
    the records; choosing a key first reaches a rare field (``budget``) as often as a common one.
    """
    paths = _paths(document)[1:] or [()]  # the root is rarely worth it: test 1 covers it
    if containers:
        paths = [p for p in paths if isinstance(_at(document, p), (dict, list))] or [()]
    how = draw(st.sampled_from(["any", "walk", "key"]))
    if how == "any":
        return draw(st.sampled_from(paths))
    if how == "key":
        by_key: dict[str, list[Path]] = {}
        for path in paths:
            if path and isinstance(path[-1], str):
                by_key.setdefault(path[-1], []).append(path)
        if by_key:
            return draw(st.sampled_from(by_key[draw(st.sampled_from(sorted(by_key)))]))
    path = ()
    node = document
    depth = draw(st.integers(1, 8))
    while isinstance(node, (dict, list)) and node and len(path) < depth:
        steps = sorted(node) if isinstance(node, dict) else list(range(len(node)))
        if containers:
            steps = [step for step in steps if isinstance(node[step], (dict, list))]
            if not steps:
                break
        step = draw(st.sampled_from(steps))
        path, node = (*path, step), node[step]
    return path


replacements = _one_of(EDGE_STRINGS) | _one_of(NUMBERS) | json_values


def _nested(draw: st.DrawFn, document: Any) -> Any:
    """`document` with a node nested in itself, many levels deep, through one of its children.

    A guard ``{"kind": "not", "guard": g}`` becomes ``not(not(...(g)))``; a list ``[a, [b]]``
    becomes ``[a, [a, [a, ... [b]]]]``. Deep documents are where recursion limits show.
    """
    path = draw(_path(document, containers=True))
    node = _at(document, path)
    steps: list[Any] = []
    if isinstance(node, dict):
        steps = sorted(key for key, value in node.items() if isinstance(value, (dict, list)))
    elif isinstance(node, list):
        steps = [index for index, value in enumerate(node) if isinstance(value, (dict, list))]
    if not steps:
        return document
    step = draw(st.sampled_from(steps))
    levels = draw(st.integers(1, max(1, min(400, 20_000 // len(_paths(node))))))
    inner = node[step]
    for _ in range(levels):
        outer = copy.copy(node)
        outer[step] = inner
        inner = outer
    return _put(document, path, inner)


@st.composite
def _mutation(draw: st.DrawFn, document: Any) -> Any:
    """One random edit of `document` (which it may change in place)."""
    kinds = ["replace", "retype", "tweak", "delete", "duplicate", "insert", "nest"]
    kind = draw(st.sampled_from(kinds))
    if kind == "nest":
        return _nested(draw, document)
    if kind in ("replace", "retype", "tweak"):
        path = draw(_path(document))
        value = _at(document, path)
        if kind == "replace":
            value = draw(replacements)
        elif kind == "retype":
            value = draw(st.sampled_from(_RETYPINGS))(value)
        else:
            value = draw(st.sampled_from(_tweaks(value)))
        return _put(document, path, value)
    node = _at(document, draw(_path(document, containers=True)))
    if not isinstance(node, (dict, list)):  # the document is a scalar by now
        return {draw(keys): document}
    if not node:
        kind = "insert"
    if isinstance(node, dict):
        if kind == "delete":
            del node[draw(st.sampled_from(sorted(node)))]
        elif kind == "duplicate":
            source = draw(st.sampled_from(sorted(node)))
            node[draw(keys)] = copy.deepcopy(node[source])
        else:
            node[draw(keys)] = draw(replacements)
    elif kind == "delete":
        del node[draw(st.integers(0, len(node) - 1))]
    else:
        item = copy.deepcopy(node[draw(st.integers(0, len(node) - 1))]) if node else None
        new = item if kind == "duplicate" else draw(replacements)
        node.insert(draw(st.integers(0, len(node))), new)
    return document


_EDITS = [1, 1, 1, 2, 2, 3, 4]
"""How many edits a document gets: mostly one, since each is likely to make it invalid."""


@st.composite
def mutated(draw: st.DrawFn, documents: list[dict[str, Any]], edits: list[int] = _EDITS) -> Any:
    """A golden document with a few random edits."""
    document: Any = copy.deepcopy(draw(st.sampled_from(documents)))
    for _ in range(draw(st.sampled_from(edits))):
        document = draw(_mutation(document))
    return document


_SETTINGS_KEYS = [*PROCESS_DOCUMENT["settings"], "max_score_age"]


@st.composite
def process_documents(draw: st.DrawFn) -> Any:
    """The default process with some settings set to edge values, then a few random edits."""
    document = copy.deepcopy(PROCESS_DOCUMENT)
    changes = draw(st.dictionaries(st.sampled_from(_SETTINGS_KEYS), replacements, max_size=3))
    document["settings"].update(changes)
    return draw(mutated([document], edits=[0, 0, 1, 1, 2, 3] if changes else _EDITS))


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    """A golden JSON text or the default process as TOML, with a few character edits."""
    text = draw(st.sampled_from(BASE_TEXTS))
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(text)))
        end = min(len(text), start + draw(st.integers(0, 8)))
        insert = draw(
            st.sampled_from(['"', "{", "}", "[", "]", ",", ":", "=", "\n[", "null", "1e999"])
            | _one_of(STRINGS).map(json.dumps)
            | st.text(_characters, max_size=6)
            | st.just(text[start:end] * 2)
        )
        text = text[:start] + insert + text[end:]
    return text


# --- the property ------------------------------------------------------------------------------


def _loaded(load: Callable[[], T]) -> T | None:
    """What `load` returns, or None when it raises a coopflow error; anything else escapes."""
    try:
        return load()
    except cf.CoopflowError:
        return None


def _check_trajectory(load: Callable[[], cf.Trajectory]) -> None:
    """A trajectory `load` gives is whole: a fresh load of its dump equals it."""
    result = _loaded(load)
    if result is not None:
        assert cf.loads(cf.dumps(result), process=PROCESS) == result


def _check_process(load: Callable[[], cf.Process]) -> cf.Process | None:
    """A process `load` gives is whole: it has a fingerprint, and a fresh load of its JSON dump
    and of its TOML text equals it (whatever a loader accepts, the TOML writer can carry)."""
    result = _loaded(load)
    if result is not None:
        assert result.fingerprint.startswith("sha256:")
        assert cf.loads(cf.dumps(result), cf.Process) == result
        toml = _toml.dumps(cf.to_dict(result))
        assert _definition.process_from_text(toml, toml=True) == result
    return result


def _toml_text(data: Any) -> str | None:
    """`data` as TOML text, when the project's TOML writer can write it."""
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        return None
    try:
        return _toml.dumps(data)
    except ValueError:  # a null or a non-finite number: TOML has neither
        return None


def _check_files(contents: dict[str, bytes]) -> None:
    """`Process.from_file` on each named file content."""
    with tempfile.TemporaryDirectory() as folder:
        for name, content in contents.items():
            path = pathlib.Path(folder) / name
            path.write_bytes(content)
            _check_process(functools.partial(cf.Process.from_file, path))


def _feed_text(text: str | bytes) -> None:
    """Every loader that takes text, given `text`."""
    _check_trajectory(lambda: cf.loads(text, process=PROCESS))
    _check_process(lambda: cf.loads(text, cf.Process))
    _check_trajectory(lambda: cf.from_dict(text, process=PROCESS))
    _check_process(lambda: cf.from_dict(text, cf.Process))


def _feed_data(data: Any) -> cf.Process | None:
    """Every loader, given `data` as a value, as JSON text, and as .json and .toml files."""
    _check_trajectory(lambda: cf.from_dict(data, process=PROCESS))
    result = _check_process(lambda: cf.from_dict(data, cf.Process))
    text = json.dumps(data, ensure_ascii=False)
    _feed_text(text)
    files = {"document.json": json.dumps(data).encode("ascii")}
    toml = _toml_text(data)
    if toml is not None:
        with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate: TOML cannot escape it
            files["document.toml"] = toml.encode("utf-8")
    _check_files(files)
    return result


def _adopt(process: cf.Process) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A migration that only claims the document belongs to `process`."""

    def migrate(document: dict[str, Any]) -> dict[str, Any]:
        document["process"] = {
            "id": process.id,
            "version": process.version,
            "fingerprint": process.fingerprint,
        }
        return document

    return migrate


def _check_trajectory_on(process: cf.Process, trajectory: dict[str, Any]) -> None:
    """A golden trajectory loaded against `process` is whole, or refused with a coopflow error."""
    result = _loaded(lambda: cf.from_dict(trajectory, process=process, migrate=_adopt(process)))
    if result is not None:
        assert cf.loads(cf.dumps(result), process=process) == result


@given(json_values)
def test_arbitrary_json_values(value: Any) -> None:
    """Any JSON value, as data, text or file, is loaded whole or refused with a coopflow error."""
    _feed_data(value)


@given(mutated(TRAJECTORY_DOCUMENTS))
def test_mutated_trajectory_documents(document: Any) -> None:
    """An edited golden trajectory is loaded whole or refused with a coopflow error."""
    _feed_data(document)


@given(process_documents(), st.sampled_from(TRAJECTORY_DOCUMENTS))
def test_mutated_process_documents(document: Any, trajectory: dict[str, Any]) -> None:
    """An edited default process is loaded whole or refused, and so are trajectories on it."""
    process = _feed_data(document)
    if process is not None:
        _check_trajectory_on(process, trajectory)


@given(st.text(_characters) | mutated_texts())
def test_arbitrary_and_mutated_text(text: str) -> None:
    """Any text, or an edited golden text, is loaded whole or refused with a coopflow error."""
    _feed_text(text)
    encoded = text.encode("utf-8", "surrogatepass")
    _feed_text(encoded)
    _check_files({"document.json": encoded, "document.toml": encoded})


@given(st.binary())
def test_arbitrary_bytes(data: bytes) -> None:
    """Any bytes, as text or as a file, are loaded whole or refused with a coopflow error."""
    _feed_text(data)
    _check_files({"document.json": data, "document.toml": data})
