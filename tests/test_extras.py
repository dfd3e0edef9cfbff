"""coopflow.testing without Hypothesis: what needs it names the extra, the rest still works.

The subprocess tests hide Hypothesis behind a meta-path finder, as if coopflow had been
installed without its `testing` extra; the in-process tests block it through `sys.modules`.
"""

import importlib
import subprocess
import sys
import textwrap

import pytest

import coopflow as cf
from coopflow import testing

HIDE_HYPOTHESIS = """
import importlib.abc
import sys

class NoHypothesis(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "hypothesis" or name.startswith("hypothesis."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoHypothesis())
"""

STRATEGIES = (
    "coopflow.testing.strategies needs hypothesis, which cannot be imported: "
    "pip install 'coopflow[testing]'"
)


def _without_hypothesis(code: str) -> subprocess.CompletedProcess[str]:
    script = HIDE_HYPOTHESIS + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)


def test_importing_the_strategies_names_the_extra() -> None:
    """`import coopflow.testing.strategies` fails with MissingExtraError and the pip command."""
    done = _without_hypothesis("import coopflow.testing.strategies")
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == f"coopflow.exceptions.MissingExtraError: {STRATEGIES}"


@pytest.mark.parametrize(
    ("code", "needed_by"),
    [
        ("from coopflow.testing import strategies", "coopflow.testing.strategies"),
        (
            "from coopflow.testing import ProcessStateMachine",
            "coopflow.testing.ProcessStateMachine",
        ),
    ],
)
def test_what_needs_hypothesis_raises_a_missing_extra_error(code: str, needed_by: str) -> None:
    """The strategies and the stateful base raise MissingExtraError with what they need."""
    done = _without_hypothesis(
        f"""
        import coopflow as cf
        try:
            {code}
        except cf.MissingExtraError as error:
            print(error.name, error.extra, error.needed_by, isinstance(error, ImportError))
        """
    )
    assert (done.returncode, done.stdout) == (0, f"hypothesis testing {needed_by} True\n")


def test_the_paths_and_the_plugin_need_no_hypothesis() -> None:
    """reach, shortest_paths, transition_cover and the pytest plugin work without Hypothesis."""
    done = _without_hypothesis(
        """
        import sys
        import coopflow as cf
        import coopflow.testing.pytest_plugin
        from coopflow.testing import reach, shortest_paths, transition_cover
        p = cf.default_process()
        print(reach(p, "signing").state, len(shortest_paths(p)), len(transition_cover(p)) > 0)
        print("hypothesis" in sys.modules)
        """
    )
    assert (done.returncode, done.stdout) == (0, "signing 9 True\nFalse\n")


@pytest.mark.parametrize(
    ("module", "name", "needed_by"),
    [
        ("coopflow.testing.strategies", "strategies", "coopflow.testing.strategies"),
        (
            "coopflow.testing._stateful",
            "ProcessStateMachine",
            "coopflow.testing.ProcessStateMachine",
        ),
    ],
)
def test_a_blocked_hypothesis_is_reported_in_process(
    monkeypatch: pytest.MonkeyPatch, module: str, name: str, needed_by: str
) -> None:
    """With hypothesis blocked in sys.modules, a fresh import raises MissingExtraError."""
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    monkeypatch.delitem(sys.modules, module, raising=False)
    with pytest.raises(cf.MissingExtraError) as caught:
        getattr(testing, name) if name == "ProcessStateMachine" else importlib.import_module(module)
    assert (caught.value.name, caught.value.extra, caught.value.needed_by) == (
        "hypothesis",
        "testing",
        needed_by,
    )
    assert isinstance(caught.value.__cause__, ModuleNotFoundError)
