"""coopflow's pytest plugin: inert until a test uses it.

It adds the marker ``coopflow_process(process)`` and the fixture `coopflow_check`, which checks
the marked process with `coopflow.check` and fails the test with the readable report (each
violation with its shortest path). Importing it imports neither hypothesis nor anything heavy.

Example::

    @pytest.mark.coopflow_process(cf.default_process())
    def test_my_rules(coopflow_check):
        coopflow_check(rules.precedes("building_culture", "agenda_setting"))
"""

from collections.abc import Callable
from typing import Any

import pytest

import coopflow as cf

__all__ = ["coopflow_check", "pytest_configure"]


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``coopflow_process`` marker."""
    config.addinivalue_line(
        "markers", "coopflow_process(process): the coopflow Process that coopflow_check checks"
    )


@pytest.fixture
def coopflow_check(request: pytest.FixtureRequest) -> Callable[..., cf.CheckReport]:
    """A function that checks the marked process against its rules and fails the test if not.

    Call it with rules from `coopflow.rules`, and optionally ``skip=`` and ``max_configs=``;
    it returns the `CheckReport` when every rule holds.
    """
    marker = request.node.get_closest_marker("coopflow_process")
    if marker is None or len(marker.args) != 1 or not isinstance(marker.args[0], cf.Process):
        pytest.fail(
            "coopflow_check needs the marker @pytest.mark.coopflow_process(process)",
            pytrace=False,
        )
    process: cf.Process = marker.args[0]

    def run(*properties: Any, **options: Any) -> cf.CheckReport:
        report = cf.check(process, properties=properties, **options)
        if not report.ok:
            pytest.fail(report.render(), pytrace=False)
        return report

    return run
