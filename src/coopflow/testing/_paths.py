"""Paths that run on the real engine: shortest paths, a transition cover, and `reach`."""

from coopflow._check import CheckReport, check
from coopflow._paths import Path
from coopflow._process import Process
from coopflow._text import Phrase
from coopflow._trajectory import Trajectory
from coopflow.exceptions import UnknownNameError


def _report(process: Process) -> CheckReport:
    # A process is immutable: explore it once, however often paths are asked for.
    cache = process._index.cache
    if "check" not in cache:
        cache["check"] = check(process)
    report: CheckReport = cache["check"]
    return report


def shortest_paths(process: Process) -> dict[str, Path]:
    """A shortest path from the initial state to every reachable state.

    Example:
        >>> import coopflow as cf
        >>> from coopflow.testing import shortest_paths
        >>> str(shortest_paths(cf.default_process())["building_culture"])
        'exploring -[form_culture]-> building_culture'
    """
    return dict(_report(process).paths)


def transition_cover(process: Process) -> list[Path]:
    """For every transition that can fire, a shortest path that ends with it.

    Example:
        >>> import coopflow as cf
        >>> from coopflow.testing import transition_cover
        >>> len(transition_cover(cf.default_process())) == len(cf.default_process().transitions)
        True
    """
    return list(_report(process).cover)


def reach(process: Process, state: str) -> Trajectory:
    """A real trajectory in `state`, built from public events along a shortest path.

    Raises:
        UnknownNameError: the process has no such state, or it cannot be reached.

    Example:
        >>> import coopflow as cf
        >>> from coopflow.testing import reach
        >>> reach(cf.default_process(), "signing").state
        'signing'
    """
    process.state(state)
    paths = _report(process).paths
    if state not in paths:
        raise UnknownNameError("reachable state", state, Phrase("the process cannot reach it"))
    return paths[state].replay(process)
