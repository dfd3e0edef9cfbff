"""Tests of the package's structure: an event type is written in coopflow._events alone, and a
guard kind in its family's module of coopflow.guards alone.

Adding a data event type that folds into the existing registers touches `coopflow._events` (its
class: fields, ``_writes``, ``_fold``, ``_sentence``), the catalogues and the tests. Adding a guard
kind touches its family's module (its class: kind, fields, ``__call__``, ``reads``, ``problems``,
``witness``, and for a score guard ``_thresholds``; its factory in the module's ``__all__``), the
catalogues and the tests. These tests read the modules that used to need an entry per event type
or per guard class and assert that they name none, but for the few that an allow-list below names
and says why.
"""

import ast
from pathlib import Path

import pytest

import coopflow
from coopflow import guards
from coopflow._events import DATA_EVENTS, Started
from coopflow.guards._registry import guard_class, kinds

SRC = Path(coopflow.__file__).parent
NAMES = frozenset(cls.__name__ for cls in DATA_EVENTS)

REGISTERS_HOLDING_EVENTS = {"ValueNamed", "DependencyDeclared", "DeclarationSigned", "RoleAssigned"}
REGISTERS_HOLDING_EVENTS |= {"ReviewRecorded"}
"""The registers that hold the events themselves: `_registers` names these in annotations only
(``values: tuple[ValueNamed, ...]``) and in the import that brings them."""

STRATEGIES_OF_THEIR_OWN = {"PartyJoined", "DependencyDeclared", "AgendaProposed", "FactRecorded"}
"""The event types whose strategy needs more than their fields say (a Party with the process's
tags, a filter, themes about the given parties, per-party facts): see `event_strategies`."""

# module: (allowed in annotations and imports, allowed in code)
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "_registers.py": (REGISTERS_HOLDING_EVENTS, set()),
    "report/_timeline.py": (set(), set()),
    "__init__.py": (set(), set()),
    "testing/strategies.py": (set(), STRATEGIES_OF_THEIR_OWN),
    "_engine.py": (set(), set()),
}


def _annotation_names(node: ast.expr | None) -> set[str]:
    """The names an annotation holds, a quoted one included."""
    if node is None:
        return set()
    found: set[str] = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name):
            found.add(inner.id)
        elif isinstance(inner, ast.Attribute):
            found.add(inner.attr)
        elif isinstance(inner, ast.Constant) and isinstance(inner.value, str):
            found |= _annotation_names(ast.parse(inner.value, mode="eval").body)
    return found


def named(source: str) -> tuple[set[str], set[str]]:
    """The data event classes `source` names: in annotations and imports, and in its code.

    Code is every other name, attribute (``cf.Assessed``) and string that is exactly a class's
    name (a registry keyed by name); docstrings and comments name nothing.
    """
    tree = ast.parse(source)
    typing: set[str] = set()
    skip: set[int] = set()
    for node in ast.walk(tree):
        annotations: list[ast.expr | None] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
            annotations = [argument.annotation for argument in every] + [node.returns]
        elif isinstance(node, ast.AnnAssign):
            annotations = [node.annotation]
        elif isinstance(node, ast.ImportFrom):
            typing |= {alias.asname or alias.name for alias in node.names}
        for annotation in annotations:
            typing |= _annotation_names(annotation)
            skip |= {id(inner) for inner in ast.walk(annotation)} if annotation else set()
    code: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Name):
            code.add(node.id)
        elif isinstance(node, ast.Attribute):
            code.add(node.attr)
        elif isinstance(node, ast.Constant) and node.value in NAMES:
            code.add(node.value)
    return typing & NAMES, code & NAMES


@pytest.mark.parametrize("module", sorted(EXPECTED))
def test_a_module_names_no_data_event_type_but_its_allowed_ones(module: str) -> None:
    """Registers, timeline, exports and strategies are written against every event type at once."""
    typing, code = named((SRC / module).read_text())
    assert (typing - code, code) == EXPECTED[module]


def test_the_check_finds_an_event_type_named_in_code_or_annotations() -> None:
    """The reader of the test above sees a class in code, in a registry and in an annotation."""
    source = '''
from coopflow._events import ValueNamed
import coopflow as cf
FOLDS = {"Assessed": 1}
def fold(event: "cf.BudgetSet", other: tuple[ValueNamed, ...]) -> None:
    """Assessed, in a docstring, names nothing."""
    if isinstance(event, cf.ThemeClosed):
        pass
'''
    assert named(source) == ({"BudgetSet", "ValueNamed"}, {"Assessed", "ThemeClosed"})


@pytest.mark.parametrize("cls", DATA_EVENTS, ids=lambda cls: cls.__name__)
def test_every_data_event_class_folds_and_speaks_for_itself(cls: type) -> None:
    """Its class body defines what it writes, how it folds and its sentence."""
    assert {"_writes", "_fold", "_sentence"} <= set(vars(cls))


def test_the_start_record_says_its_own_sentence() -> None:
    """The timeline's first line comes from Started itself."""
    assert "_sentence" in vars(Started)


# --- guards -------------------------------------------------------------------------------

GUARD_CLASSES = sorted(
    {
        cls
        for family in guards._FAMILIES
        for cls in vars(family).values()
        if isinstance(cls, type) and cls.__module__ == family.__name__ and hasattr(cls, "kind")
    },
    key=lambda cls: cls.__name__,
)
GUARD_NAMES = frozenset(cls.__name__ for cls in GUARD_CLASSES)

STRUCTURE = {"AllOf", "AnyOf", "Not", "CameFrom"}
"""The guards that are the structure of a process rather than conditions over its data: the
checker takes the combinators apart into the guards they combine (and evaluates them over truth
values of those), and takes came_from from the path itself. A new guard kind of data is none of
these."""

GUARD_READERS: dict[str, set[str]] = {
    "_witness.py": set(),
    "_engine.py": set(),
    "_check/__init__.py": STRUCTURE,
    "_check/_explore.py": STRUCTURE,
}
"""The modules that used to keep a table of guard classes, and the guard classes they may name."""


def guard_classes_named(source: str) -> set[str]:
    """The built-in guard classes `source` names, as a name, an attribute or a string.

    A name the module imports from outside coopflow.guards is not a guard class of the same name
    (the events ``AgendaApproved`` and ``DeclarationSigned`` of coopflow._events).
    """
    tree = ast.parse(source)
    elsewhere = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and not (node.module or "").startswith("coopflow.guards")
        for alias in node.names
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.alias):
            found.add(node.name)
        elif isinstance(node, ast.Constant) and node.value in GUARD_NAMES:
            found.add(node.value)
    return (found - elsewhere) & GUARD_NAMES


def guard_modules_imported(source: str) -> set[str]:
    """The modules of coopflow.guards that `source` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "coopflow":
            found |= {f"coopflow.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            found.add(node.module)
    return {name for name in found if name.split(".")[:2] == ["coopflow", "guards"]}


def test_the_guard_readers_listed_are_the_checkers_modules_and_more() -> None:
    """Every module of the checker is read, so a new one cannot keep a table unseen."""
    checker = {f"_check/{path.name}" for path in (SRC / "_check").glob("*.py")}
    assert checker - set(GUARD_READERS) == {"_check/_report.py"}
    assert guard_classes_named((SRC / "_check" / "_report.py").read_text()) == set()


@pytest.mark.parametrize("module", sorted(GUARD_READERS))
def test_a_module_names_no_guard_class_but_its_allowed_ones(module: str) -> None:
    """Witnesses, engine and checker ask a guard; they keep no table of guard classes."""
    assert guard_classes_named((SRC / module).read_text()) == GUARD_READERS[module]


def test_the_witnesses_import_no_guard_module() -> None:
    """Imports go downwards: a guard family builds its witness from coopflow._witness's helpers."""
    assert guard_modules_imported((SRC / "_witness.py").read_text()) == set()


def test_the_check_finds_a_guard_class_named_but_not_an_event_of_the_same_name() -> None:
    """The readers above see a guard class imported, named in code, as an attribute or a kind."""
    source = """
from coopflow._events import AgendaApproved, Assessed
from coopflow.guards._conditions import QuorumLost as Q
from coopflow.guards import _scores as gs
import coopflow.guards._facts
TABLE = {"Completion": 1}
def f(guard):
    return isinstance(guard, gs.Trust) or AgendaApproved
"""
    assert guard_classes_named(source) == {"Completion", "QuorumLost", "Trust"}
    assert guard_modules_imported(source) == {
        "coopflow.guards._conditions",
        "coopflow.guards._facts",
        "coopflow.guards",
    }


def test_every_built_in_guard_kind_is_a_class_of_a_family() -> None:
    """The classes read here are the registered ones of coopflow.guards (not other tests')."""
    registered = {guard_class(kind) for kind in kinds()}
    built_in = {cls for cls in registered if cls.__module__.startswith("coopflow.guards.")}
    assert built_in == set(GUARD_CLASSES)


@pytest.mark.parametrize("cls", GUARD_CLASSES, ids=lambda cls: cls.__name__)
def test_every_built_in_guard_class_says_its_own_witness(cls: type) -> None:
    """Its class body defines the events that make it hold or fail."""
    assert "witness" in vars(cls)
