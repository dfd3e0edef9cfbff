"""Tests of the package as installed: its extras by audience, its metadata, a typed consumer.

`make package` (in CI) checks the built wheel itself in a fresh virtual environment; these tests
read the metadata of the installed distribution, which is what pip sees.
"""

import pathlib
import subprocess
import sys
from importlib import metadata

from packaging.requirements import Requirement

CONSUMER = pathlib.Path(__file__).parent / "consumer" / "consumer.py"


def _extra(name: str) -> set[str]:
    """The distributions an extra adds to coopflow's own dependencies."""
    required = [Requirement(text) for text in metadata.requires("coopflow") or []]
    return {
        r.name
        for r in required
        if r.marker is not None
        and r.marker.evaluate({"extra": name})
        and not r.marker.evaluate({"extra": ""})
    }


def test_the_extras_are_by_audience() -> None:
    """`testing`, `docs`, `store`, `postgres` and `dev` are the extras; no catch-all `test`."""
    assert sorted(metadata.metadata("coopflow").get_all("Provides-Extra") or []) == [
        "dev",
        "docs",
        "postgres",
        "store",
        "testing",
    ]


def test_the_store_extras_bring_sqlalchemy_and_for_postgresql_psycopg() -> None:
    """`store` is SQLAlchemy alone; `postgres` adds the psycopg 3 driver."""
    assert _extra("store") == {"sqlalchemy"}
    assert _extra("postgres") == {"sqlalchemy", "psycopg"}


def test_the_testing_extra_brings_only_what_coopflow_testing_needs() -> None:
    """Users of coopflow.testing and the pytest plugin get Hypothesis and pytest, no dev tools."""
    assert _extra("testing") == {"hypothesis", "pytest"}


def test_the_docs_extra_builds_the_site_and_imports_coopflow_testing() -> None:
    """The docs extra has Sphinx, MyST and furo, and the testing extra for the API reference."""
    assert _extra("docs") == {"sphinx", "myst-parser", "furo"} | _extra("testing")


def test_the_dev_extra_holds_the_project_tools_and_both_other_extras() -> None:
    """dev is the project's own tools plus testing, docs, store and postgres (Babel compiles
    the catalogues; Playwright and axe-core drive Debian's Chromium in the report's tests)."""
    tools = {"babel", "build", "coverage", "interrogate", "mypy", "pyright", "ruff", "twine"}
    tools |= {"axe-playwright-python", "playwright"}
    others = _extra("docs") | _extra("testing") | _extra("store") | _extra("postgres")
    assert _extra("dev") == tools | others


def test_the_core_install_needs_three_packages() -> None:
    """Without extras coopflow needs attrs, cattrs and transitions, nothing else."""
    required = [Requirement(text) for text in metadata.requires("coopflow") or []]
    assert {r.name for r in required if r.marker is None} == {"attrs", "cattrs", "transitions"}


def test_the_project_urls_are_named() -> None:
    """The metadata names the home page, documentation, source, issues and changelog."""
    urls = metadata.metadata("coopflow").get_all("Project-URL") or []
    assert [url.split(",")[0] for url in urls] == [
        "Homepage",
        "Documentation",
        "Source",
        "Issues",
        "Changelog",
    ]


def test_the_consumer_script_runs(tmp_path: pathlib.Path) -> None:
    """The typed consumer script that CI runs against the wheel runs against this install too."""
    done = subprocess.run(
        [sys.executable, str(CONSUMER)], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "consumer-pilot checked: ok"
