"""Shared test set-up: Hypothesis profiles (CI runs derandomised) and common fixtures."""

import os
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, settings

import coopflow as cf

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
# One-off long runs of the fuzzed loaders (tests/test_fuzz_loaders.py): a quick smoke run, and
# the long one (HYPOTHESIS_PROFILE=fuzz, 100,000 examples per test).
settings.register_profile(
    "fuzz-smoke",
    max_examples=1_000,
    derandomize=False,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "fuzz",
    max_examples=100_000,
    derandomize=False,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

T0 = datetime(2018, 1, 8, 9, 0, tzinfo=UTC)


@pytest.fixture
def process() -> cf.Process:
    """The default process."""
    return cf.default_process()


@pytest.fixture
def pair() -> list[cf.Party]:
    """The seed's two parties."""
    return [
        cf.Party("gemeente", name="Gemeente Tilburg", sector=cf.Sector.GOVERNMENT),
        cf.Party("uni", name="Tilburg University", sector=cf.Sector.KNOWLEDGE),
    ]


@pytest.fixture
def trajectory(process: cf.Process, pair: list[cf.Party]) -> cf.Trajectory:
    """A fresh trajectory of the default process, started at T0."""
    return cf.Trajectory.start(process, parties=pair, title="Tilburg", id="t", at=T0)
