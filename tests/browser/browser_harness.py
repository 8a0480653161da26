"""Helpers for the real-browser tests (imported by their conftest and test modules).

Streamlit-aware waiting (script state, skeletons, stale elements), reading metrics and
dataframe cells, full-page screenshots (Streamlit scrolls inside ``stMain``) and the list
of pages parsed from ``dashboard/app.py``. Screenshots go to ``tests/artifacts/screenshots/``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from dashboard import i18n

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
  // a title, or an exception / error box where the page stopped
  return !!document.querySelector('[data-testid="stMain"] h1, [data-testid="stException"], '
    + '[data-testid="stAlertContentError"]');
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


@dataclass(frozen=True)
class Server:
    base_url: str
    store_path: Path
    log_path: Path


def is_local(url: str) -> bool:
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
        """Exception boxes, error alerts and dialogs (e.g. "Page not found") on screen."""
        boxes = self.page.locator(
            '[data-testid="stException"], [data-testid="stAlertContentError"], [role="dialog"]'
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
        return [u for u in self.requests if not is_local(u)]

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
