"""Shared test set-up: Hypothesis profiles (CI runs derandomised) and common fixtures."""

import os
import pathlib
import secrets
from collections.abc import Iterator
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


# --- stores: SQLite in a temporary folder, PostgreSQL in a database of this run -----------------

POSTGRES_URLS = (
    [os.environ["COOPFLOW_TEST_POSTGRES"]]
    if os.environ.get("COOPFLOW_TEST_POSTGRES")
    else [
        "postgresql+psycopg://postgres@127.0.0.1:5432/test",
        "postgresql+psycopg://root@127.0.0.1:5432/test",
    ]
)
"""Where the PostgreSQL tests look for a server (trust authentication, database `test`)."""


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A database of its own for this test run, dropped at the end; its URL.

    Without a server, the PostgreSQL tests are skipped with the reason, except under CI
    (CI=true), where they fail: CI never skips them.
    """
    import sqlalchemy as sa

    problems = []
    for url in POSTGRES_URLS:
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except sa.exc.OperationalError as error:
            problems.append(f"{url}: {str(error.orig).strip().splitlines()[0]}")
            admin.dispose()
            continue
        name = f"coopflow_test_{secrets.token_hex(6)}"
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            yield sa.make_url(url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()
        return
    reason = "no PostgreSQL server answers (" + "; ".join(problems) + ")"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI never skips the PostgreSQL tests, but {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}; set COOPFLOW_TEST_POSTGRES to a server")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> Iterator[str]:
    """The URL of an empty store: a new SQLite file, or a new schema in this run's database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    import sqlalchemy as sa

    database = request.getfixturevalue("postgres_database")
    schema = f"s_{secrets.token_hex(6)}"
    engine = sa.create_engine(database, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            sa.make_url(database)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with engine.connect() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
