"""Real-browser harness: the app as a subprocess, Debian's Chromium driven by Playwright.

One app server per session (``netralitas serve`` on a free port over a temporary store with
the seed events and a 20 000-official demo roster); one browser per session; a fresh
browser context per test. Every request the page makes is recorded, and any that would
leave the machine is aborted, so the tests also show the app works without internet.
Screenshots go to ``tests/artifacts/screenshots/`` (gitignored).
"""

from __future__ import annotations

import ast
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard import builtin, i18n
from dashboard.store import Store

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
VIEWPORT = {"width": 1400, "height": 900}
SERVER_START_SECONDS = 180
# the first render of a page computes every cache on a shared 2-core machine: be patient
RENDER_TIMEOUT_MS = 180_000

# The app is "done" when the script is not running and nothing is a placeholder or stale.
_IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector(
      '[data-testid="stSkeleton"], [data-testid="stStatusWidget"], [data-stale="true"]'))
    return false;
  return !!document.querySelector('[data-testid="stMain"] h1');
}"""


def app_pages() -> list[tuple[str, str, str]]:
    """(file, i18n title key, url path) of every page, read from ``dashboard/app.py``.

    Parsed rather than imported (importing would run the Streamlit script), so the suite
    follows the pages as they are added.
    """
    tree = ast.parse((ROOT / "dashboard" / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets
        ):
            return [(f, key, path) for f, key, path, *_ in ast.literal_eval(node.value)]
    raise AssertionError("dashboard/app.py defines no PAGES")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Server:
    base_url: str
    store_path: Path
    log_path: Path


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``netralitas serve`` as a real subprocess over a temporary demo store."""
    tmp = tmp_path_factory.mktemp("browser_app")
    store_path = tmp / "store.duckdb"
    builtin.install(Store(store_path), n_officials=20_000)
    port = _free_port()
    log_path = tmp / "server.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "netralitas"),
            "serve",
            "--port",
            str(port),
            "--store",
            str(store_path),
        ],
        cwd=tmp,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: streamlit runs as a child of it
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if proc.poll() is not None:
                raise AssertionError(
                    f"app server exited with {proc.returncode}:\n"
                    + log_path.read_text(errors="replace")[-3000:]
                )
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"app server did not answer on {base} in time")
            time.sleep(0.5)
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
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS


@dataclass
class App:
    """One browser context on the app, with helpers that speak Streamlit."""

    server: Server
    context: object
    page: object
    requests: list[str] = field(default_factory=list)
    lang: str = i18n.DEFAULT_LANG

    # -- navigation ---------------------------------------------------------------------
    def goto(self, path: str = "", query: str = "") -> None:
        url = f"{self.server.base_url}/{path}" + (f"?{query}" if query else "")
        self.page.goto(url)
        self.wait_idle()

    def wait_idle(self) -> None:
        """Wait until Streamlit has finished the run (stable for about a second)."""
        for _ in range(3):
            self.page.wait_for_function(_IDLE_JS, timeout=RENDER_TIMEOUT_MS, polling=200)
            self.page.wait_for_timeout(350)
        self.page.wait_for_function(_IDLE_JS, timeout=RENDER_TIMEOUT_MS, polling=200)

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.page.url).query)

    def wait_for_query(self, key: str, value: str | None) -> None:
        """Wait until the URL's ``key`` parameter is ``value`` (None: absent)."""

        def ok(url: str) -> bool:
            q = parse_qs(urlsplit(url).query)
            return key not in q if value is None else q.get(key) == [value]

        self.page.wait_for_url(ok, timeout=RENDER_TIMEOUT_MS)
        self.wait_idle()

    # -- reading the screen ----------------------------------------------------------------
    def title(self) -> str:
        return self.page.locator('[data-testid="stMain"] h1').first.inner_text().strip()

    def problems(self) -> list[str]:
        """Exception boxes and error alerts on screen (their first line each)."""
        boxes = self.page.locator(
            '[data-testid="stException"], [data-testid="stAlertContentError"]'
        ).all_inner_texts()
        return [b.strip().splitlines()[0][:300] if b.strip() else "(empty)" for b in boxes]

    def metric(self, label: str) -> str:
        """The value of the ``st.metric`` whose label is ``label``."""
        box = self.page.locator('[data-testid="stMetric"]').filter(
            has=self.page.locator('[data-testid="stMetricLabel"]', has_text=label)
        )
        return box.first.locator('[data-testid="stMetricValue"]').inner_text().strip()

    def grid_texts(self, index: int = 0) -> list[str]:
        """Visible cell texts of the ``index``-th dataframe (Glide's accessible grid)."""
        grid = self.page.locator('[data-testid="stDataFrame"]').nth(index)
        return [t.strip() for t in grid.locator('[role="gridcell"]').all_inner_texts()]

    def external_requests(self) -> list[str]:
        return [u for u in self.requests if not _is_local(u)]

    def screenshot(self, name: str) -> Path:
        """Full-page screenshot: Streamlit scrolls inside ``stMain``, so grow the viewport
        to the content height first, then restore it."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        height = self.page.evaluate(
            "() => Math.max(...[...document.querySelectorAll("
            '\'[data-testid="stMain"], [data-testid="stSidebarContent"]\')]'
            ".map(e => e.scrollHeight))"
        )
        self.page.set_viewport_size({"width": VIEWPORT["width"], "height": min(height, 12_000)})
        self.page.wait_for_timeout(800)  # charts re-layout to the new size
        self.page.screenshot(path=str(path), full_page=True)
        self.page.set_viewport_size(VIEWPORT)
        return path


@pytest.fixture
def app_factory(app_server: Server, browser: object) -> Iterator[object]:
    """Open fresh browser contexts on the app (a fresh context = another browser)."""
    opened: list[App] = []

    def open_app() -> App:
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        app = App(app_server, context, context.new_page())

        context.on("request", lambda req: app.requests.append(req.url))

        def route(r: object) -> None:
            if _is_local(r.request.url):
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
def app(app_factory: object) -> App:
    return app_factory()
