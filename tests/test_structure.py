"""Tests of the package's structure: an event type is written in coopflow._events alone.

Adding a data event type that folds into the existing registers touches `coopflow._events` (its
class: fields, ``_writes``, ``_fold``, ``_sentence``), the catalogues and the tests. These tests
read the modules that used to need an entry per event type and assert that they name no data
event class, but for the few that an allow-list below names and says why.
"""

import ast
from pathlib import Path

import pytest

import coopflow
from coopflow._events import DATA_EVENTS, Started

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
