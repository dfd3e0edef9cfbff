"""The ``hypothesis`` entry point: `st.from_type` knows coopflow's values, registered lazily.

Hypothesis calls `_hypothesis_setup_hook` when it is imported; the strategies module is imported
only when a strategy is first resolved, so there is no import cycle and no cost up front.
"""

from typing import Any


def _lazy(kind: type) -> Any:
    def resolve(_: type) -> Any:
        from coopflow.testing import strategies

        if kind.__name__ == "Party":
            return strategies.parties()
        if kind.__name__ == "Theme":
            return strategies.themes()
        if kind.__name__ == "Trajectory":
            return strategies.trajectories()
        return strategies.event_strategies()[kind]

    return resolve


def _hypothesis_setup_hook() -> None:
    """Register coopflow's strategies for `hypothesis.strategies.from_type`."""
    from hypothesis import strategies as st

    import coopflow as cf
    from coopflow._events import DATA_EVENTS

    for kind in (cf.Party, cf.Theme, cf.Trajectory, *DATA_EVENTS):
        st.register_type_strategy(kind, _lazy(kind))
