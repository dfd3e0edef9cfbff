"""Tools to test coopflow processes: strategies, paths that replay, a stateful test base.

Install them with the ``testing`` extra (``pip install 'coopflow[testing]'``), which brings
Hypothesis and pytest; ``import coopflow`` itself never imports either. Without Hypothesis,
`reach`, `shortest_paths`, `transition_cover` and the pytest plugin still work, and
`strategies` and `ProcessStateMachine` raise `coopflow.MissingExtraError` naming the extra.

- `reach(process, state)`: a real trajectory in `state`, from public events.
- `shortest_paths(process)`, `transition_cover(process)`: paths that run on the real engine.
- `ProcessStateMachine`: subclass it with ``process=`` for a stateful Hypothesis test.
- `strategies`: Hypothesis strategies for parties, events, scores and trajectories, also
  registered for ``st.from_type``.
- A pytest plugin (marker ``coopflow_process``, fixture ``coopflow_check``).

Example:
    >>> import coopflow as cf
    >>> from coopflow.testing import reach
    >>> reach(cf.default_process(), "operating").state
    'operating'
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coopflow._paths import Path, Step
    from coopflow.testing import strategies
    from coopflow.testing._paths import reach, shortest_paths, transition_cover
    from coopflow.testing._stateful import ProcessStateMachine

# Resolved on first use, so that the pytest plugin in this package imports no Hypothesis.
_LAZY = {
    "Path": "coopflow._paths",
    "ProcessStateMachine": "coopflow.testing._stateful",
    "Step": "coopflow._paths",
    "reach": "coopflow.testing._paths",
    "shortest_paths": "coopflow.testing._paths",
    "strategies": "coopflow.testing.strategies",
    "transition_cover": "coopflow.testing._paths",
}

__all__ = [
    "Path",
    "ProcessStateMachine",
    "Step",
    "reach",
    "shortest_paths",
    "strategies",
    "transition_cover",
]


def __dir__() -> list[str]:
    # The lazy names too, so that dir(), completion and Sphinx's autodoc see them.
    return sorted({*globals(), *__all__})


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'coopflow.testing' has no attribute {name!r}")
    value = importlib.import_module(module)
    return value if name == "strategies" else getattr(value, name)
