"""Tests that keep the public API honest: sorted __all__, everything documented."""

import inspect
from types import ModuleType

import pytest

import coopflow as cf
from coopflow import cli, demo, diagram, exceptions, guards, rules, store

MODULES = [cf, guards, exceptions, cli, demo, rules, diagram, store]
STRICT = [cf, guards, exceptions, demo, rules, diagram, store]
"""Public modules whose namespace holds exactly their __all__ (and public submodules)."""


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_all_is_sorted_and_complete(module: ModuleType) -> None:
    """__all__ is sorted (isort style), unique, and every name in it exists."""
    names = list(module.__all__)
    # The order ruff's RUF022 keeps: CONSTANTS, then Classes, then functions and modules.
    assert names == sorted(
        names, key=lambda n: (0 if n.isupper() else 1 if n[0].isupper() else 2, n)
    )
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(module, name), name


@pytest.mark.parametrize("module", STRICT, ids=lambda m: m.__name__)
def test_all_lists_every_public_name_and_nothing_else(module: ModuleType) -> None:
    """__all__ both ways: no stray import leaks from a public module, and nothing is missing."""
    names = {name for name in vars(module) if name.isidentifier() and not name.startswith("_")}
    submodules = {
        name
        for name in names
        if inspect.ismodule(getattr(module, name))
        and getattr(module, name).__name__ == f"{module.__name__}.{name}"
    }
    leaks = names - set(module.__all__) - submodules
    missing = set(module.__all__) - names - {"__version__"}
    assert (sorted(leaks), sorted(missing)) == ([], [])


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_public_name_is_documented(module: ModuleType) -> None:
    """Every public class, function and module has a docstring."""
    assert inspect.getdoc(module)
    for name in module.__all__:
        value = getattr(module, name)
        if inspect.isclass(value) or inspect.isfunction(value) or inspect.ismodule(value):
            assert inspect.getdoc(value), name


def test_every_public_callable_has_an_example() -> None:
    """Each public class and function of coopflow and coopflow.guards shows a >>> example."""
    for module in (cf, guards):
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isclass(value) or inspect.isfunction(value):
                if name == "Guard":
                    continue
                assert ">>>" in (inspect.getdoc(value) or ""), f"{module.__name__}.{name}"


def test_errors_form_one_tree() -> None:
    """Every error derives from CoopflowError and from the built-in it resembles."""
    assert issubclass(cf.InvalidProcessError, ValueError)
    assert issubclass(cf.InvalidEventError, ValueError)
    assert issubclass(cf.UnknownNameError, LookupError)
    assert issubclass(cf.TrajectoryError, ValueError)
    assert issubclass(cf.MissingExtraError, ModuleNotFoundError)
    for error in (
        cf.InvalidProcessError,
        cf.InvalidEventError,
        cf.UnknownNameError,
        cf.TransitionRefused,
        cf.TrajectoryError,
        cf.ConflictError,
        cf.MissingExtraError,
        cf.StoreError,
    ):
        assert issubclass(error, cf.CoopflowError)


def test_transitions_is_imported_in_the_engine_only() -> None:
    """Only coopflow/_engine.py imports transitions."""
    from pathlib import Path

    source = Path(cf.__file__).parent
    importing = sorted(
        path.name
        for path in source.rglob("*.py")
        if "import transitions" in path.read_text() or "from transitions" in path.read_text()
    )
    assert importing == ["_engine.py"]


def test_importing_coopflow_does_not_import_hypothesis() -> None:
    """The core install stays small: hypothesis is a test tool only."""
    import subprocess
    import sys

    code = "import sys, coopflow; print('hypothesis' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
