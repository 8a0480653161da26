"""Real-browser harness: the app as a subprocess, Debian's Chromium driven by Playwright.

One app server per session (``netralitas serve`` on a free port over a temporary store with
the seed events and a 20 000-official demo roster); one browser per session; a fresh
browser context per test. Every request a page makes is recorded, and any that would
leave the machine is aborted, so the tests also show the app works without internet.
Helpers live in ``browser_harness.py``; screenshots go to ``tests/artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser_harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SERVER_START_SECONDS,
    VIEWPORT,
    App,
    Server,
    is_local,
)

from dashboard import builtin
from dashboard.store import Store


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip this directory's tests, with the reason, when Debian's Chromium is missing."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(proc: subprocess.Popen, base: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        if proc.poll() is not None:
            log = log_path.read_text(errors="replace")[-3000:]
            raise AssertionError(f"app server exited with {proc.returncode}:\n{log}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"app server did not answer on {base} in time")
        time.sleep(0.5)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``netralitas serve`` as a real subprocess over a temporary demo store."""
    tmp = tmp_path_factory.mktemp("browser_app")
    store_path = tmp / "store.duckdb"
    builtin.install(Store(store_path), n_officials=20_000)
    port = _free_port()
    log_path = tmp / "server.log"
    base = f"http://127.0.0.1:{port}"
    cmd = [ROOT / ".venv" / "bin" / "netralitas", "serve", "--port", str(port)]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [*map(str, cmd), "--store", str(store_path)],
            cwd=tmp,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: streamlit runs as its child
        )
        try:
            _wait_healthy(proc, base, log_path)
            yield Server(base, store_path, log_path)
        finally:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=15)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)


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
    opened: list[App] = []

    def open_app() -> App:
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        app = App(app_server, context, context.new_page())
        context.on("request", lambda req: app.requests.append(req.url))

        def route(r: object) -> None:
            if is_local(r.request.url):
                r.continue_()
            else:  # behave as an office network without internet
                r.abort("internetdisconnected")

        context.route("**/*", route)
        opened.append(app)
        return app

    yield open_app
    for app in opened:
        app.context.close()


@pytest.fixture
def app(app_factory: Callable[[], App]) -> App:
    return app_factory()
