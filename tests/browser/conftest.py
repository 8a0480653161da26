"""Real-browser harness: the app as a subprocess, Debian's Chromium driven by Playwright.

One app server per session (``netralitas serve`` on a free port over a temporary store with
the seed events and a 20 000-official demo roster); one browser per session; a fresh
browser context per test. Every request a page makes is recorded, and any that would
leave the machine is aborted, so the tests also show the app works without internet.
Helpers live in ``browser_harness.py``; screenshots go to ``tests/artifacts/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from app_server import Server, serve
from browser_harness import App, contexts
from chromium import CHROMIUM, CHROMIUM_ARGS

from dashboard.install import builtin
from dashboard.store.database import Store


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip this directory's tests, with the reason, when Debian's Chromium is missing."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``netralitas serve`` as a real subprocess over a temporary demo store."""
    tmp = tmp_path_factory.mktemp("browser_app")
    store_path = tmp / "store.duckdb"
    builtin.install(Store(store_path), n_officials=20_000)
    with serve(store_path, tmp) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def app_factory(app_server: Server, browser: object) -> Iterator[Callable[[], App]]:
    """Open fresh browser contexts on the app (a fresh context is another browser)."""
    with contexts(browser, app_server) as open_one:
        yield open_one


@pytest.fixture
def app(app_factory: Callable[[], App]) -> App:
    return app_factory()
