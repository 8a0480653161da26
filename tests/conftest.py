"""Shared fixtures: real stores in temporary places.

``store``, ``seed_store`` and ``demo_store`` are DuckDB files; in the store and query tests
(``tests/store``, ``tests/queries``, and modules that set ``BOTH_BACKENDS = True``, such as
the upload commit tests) each test runs twice, once on a DuckDB file and once on
a database of a throwaway PostgreSQL cluster started for the run (:mod:`tests.postgres`).

Tiers: every test under ``tests/browser`` is marked ``browser`` and ``server``; a test that
uses an app-server fixture is marked ``server``; :func:`app_server.serve` refuses to start a
server for a test without the ``server`` mark, so ``make test-fast``
(``-m "not browser and not server"``) cannot start one by omission.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import app_server
import pytest
from run_summary import summary_lines

from dashboard.install import builtin
from dashboard.store.database import Store

ROOT = Path(__file__).resolve().parents[1]

BACKENDS = ("duckdb", "postgresql")
BOTH_BACKENDS_UNDER = ("store", "queries")
STORE_FIXTURES = {"store", "seed_store", "demo_store", "backend"}
# fixtures that start ``netralitas serve`` (tests/security/test_edges.py names its ``server``)
SERVER_FIXTURES = {"app_server", "server", "proxied"}


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """What the tests compared, in their own words (``run_summary``)."""
    for line in summary_lines(config):
        terminalreporter.write_line(line)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tiers by folder and fixture, so no test is left out of its tier."""
    browser_dir = ROOT / "tests" / "browser"
    for item in items:
        if browser_dir in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.server)
        elif SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.server)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture of the test starts: may it start an app server?"""
    app_server.allowed = item.get_closest_marker("server") is not None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Give back the interpreter's ``__main__`` after every test: Streamlit's script runner
    (AppTest) leaves the page it ran there, and a process started with "spawn" afterwards
    would run that page as its main module instead of its target."""
    main = sys.modules["__main__"]
    try:
        return (yield)
    finally:
        sys.modules["__main__"] = main


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The store and query tests run on both engines, through the one ``backend`` fixture."""
    folder = Path(str(metafunc.definition.fspath)).parent.name
    both = folder in BOTH_BACKENDS_UNDER or getattr(metafunc.module, "BOTH_BACKENDS", False)
    if both and STORE_FIXTURES & set(metafunc.fixturenames):
        metafunc.parametrize("backend", BACKENDS, indirect=True, scope="session")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    from tests.postgres import Cluster

    cluster = Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "duckdb"))


def new_store(request: pytest.FixtureRequest, backend: str, folder: Path, name: str) -> Store:
    """An empty store of the engine asked for: a file in ``folder``, or a new database."""
    if backend == "postgresql":
        cluster = request.getfixturevalue("pg_cluster")
        return Store(cluster.new_database())
    return Store(folder / f"{name}.duckdb")


@pytest.fixture
def store(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Store:
    """An empty store."""
    s = new_store(request, backend, tmp_path, "store")
    s.ensure()
    return s


@pytest.fixture
def seed_store(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Store:
    """The five real seed events only."""
    s = new_store(request, backend, tmp_path, "seed")
    builtin.install(s, with_demo=False)
    return s


@pytest.fixture(scope="session")
def demo_store(
    request: pytest.FixtureRequest, backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Store:
    """Seed + a small demo dataset (shared, read-only by convention)."""
    s = new_store(request, backend, tmp_path_factory.mktemp("demo"), "demo")
    builtin.install(s, with_demo=True, n_officials=20_000)
    return s
