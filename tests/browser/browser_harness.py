"""Helpers for the real-browser tests (imported by their conftest and test modules).

Starting ``netralitas serve`` on a free port (:func:`serve`), opening an offline browser
context on it (:func:`open_app`), Streamlit-aware waiting (script state, skeletons, stale
elements), reading metrics and dataframe cells, full-page screenshots (Streamlit scrolls
inside ``stMain``), screen positions on the deck.gl maps (:func:`inner_point`,
:func:`pixel`) and the list of pages parsed from ``dashboard/web/app.py``. Screenshots go to
``tests/artifacts/screenshots/``.
"""

from __future__ import annotations

import ast
import csv
import io
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import shapely
from app_server import Server
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from shapely.geometry import shape
from shapely.ops import polylabel

from dashboard import i18n
from dashboard.geo import boundaries, maps

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
VIEWPORT = {"width": 1400, "height": 900}
# the first render of a page computes every cache on a shared 2-core machine: be patient
RENDER_TIMEOUT_MS = 180_000

# Streamlit's own account of its runs, kept in the page: every rerun request the page sends
# (a BackMsg whose first field is ``rerun_script``, tag 0x5A) is answered once a run has
# started after it (``new_session``, ForwardMsg field 4) and finished (``script_finished``,
# field 6, other than "finished early for a rerun"). Reruns the page asks for on its own
# (the width measurer's report, a link, a widget) are counted like a click; a file upload
# (a request for upload URLs, field 16) is pending until the rerun that follows it.
_RUN_TRACKER_JS = """(() => {
  const runs = window.__netralitasRuns = { phase: 'initial', sent: 0 };
  const bytesOf = (data) => data instanceof ArrayBuffer ? new Uint8Array(data)
    : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : null;
  const varint = (b, at) => {
    let value = 0, shift = 0, byte;
    do { byte = b[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return [value, at];
  };
  // the top-level fields of a ForwardMsg: {field number: varint value or true}
  const fields = (b) => {
    const out = {};
    let at = 0;
    while (at < b.length) {
      let tag, value;
      [tag, at] = varint(b, at);
      const field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { [value, at] = varint(b, at); out[field] = value; }
      else if (wire === 2) { [value, at] = varint(b, at); at += value; out[field] = true; }
      else if (wire === 1) { at += 8; } else if (wire === 5) { at += 4; } else { break; }
    }
    return out;
  };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const b = bytesOf(data);
    if (b && b[0] === 0x5a) { runs.sent += 1; runs.phase = 'requested'; }
    // a file upload asks for upload URLs (field 16) first; its rerun follows the upload
    if (b && b[0] === 0x82 && b[1] === 0x01) runs.phase = 'uploading';
    if (!this.__netralitasTracked) {
      this.__netralitasTracked = true;
      this.addEventListener('message', (event) => {
        const m = bytesOf(event.data);
        if (!m) return;
        const f = fields(m);
        if (f[4] && runs.phase === 'requested') runs.phase = 'started';
        if (6 in f && f[6] !== 2 && runs.phase === 'started') runs.phase = 'idle';
      });
    }
    return send.call(this, data);
  };
})();"""

# The app is "done" when every run asked for has finished, the script is not running,
# nothing is a placeholder or stale, no map waits for its width, and every width measurer
# has reported the room it has now (the server's last answer matches: no report is due).
# A table draws its cells after the run: a test that reads cells waits for them.
_IDLE_JS = """() => {
  if (window.__netralitasRuns?.phase !== 'idle') return false;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector(
      '[data-testid="stSkeleton"], [data-testid="stStatusWidget"], [data-stale="true"], '
      + '[class*="_awaiting_width"]'))
    return false;
  for (const m of document.querySelectorAll('[data-measurer]')) {
    const width = Math.round(m.getBoundingClientRect().width);
    if (width <= 0) continue;  // hidden: it reports once shown
    if (Math.abs(Number(m.dataset.measuredWidth || 0) - width) > 6) return false;
    if (Math.abs(Number(m.dataset.measuredViewport || 0) - Math.round(window.innerWidth)) > 6)
      return false;
  }
  // a title, or an exception / error box where the page stopped
  return !!document.querySelector('[data-testid="stMain"] h1, [data-testid="stException"], '
    + '[data-testid="stAlertContentError"]');
}"""


def app_pages() -> list[tuple[str, str, str]]:
    """(file, i18n title key, url path) of every page, read from ``dashboard/web/app.py``.

    Parsed rather than imported (importing would run the Streamlit script), so the suite
    follows the pages as they are added.
    """
    tree = ast.parse((ROOT / "dashboard" / "web" / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets
        ):
            return [(f, key, path) for f, key, path, *_ in ast.literal_eval(node.value)]
    raise AssertionError("dashboard/web/app.py defines no PAGES")


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS


def open_app(browser: object, server: Server) -> App:
    """A fresh browser context (no cookies, no session) on ``server``, cut off from the
    internet: every request is recorded, any that would leave 127.0.0.1 is aborted."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.add_init_script(_RUN_TRACKER_JS)
    app = App(server, context, context.new_page())
    context.on("request", lambda req: app.requests.append(req.url))

    def on_websocket(ws: object) -> None:  # everything the server sent this page
        ws.on("framereceived", lambda data: app.received.append(_as_bytes(data)))

    app.page.on("websocket", on_websocket)

    def route(r: object) -> None:
        if is_local(r.request.url):
            r.continue_()
        else:  # behave as an office network without internet
            r.abort("internetdisconnected")

    context.route("**/*", route)
    return app


def csv_table(data: bytes) -> tuple[list[str], list[list[str]], list[str]]:
    """(header, rows, first lines) of a downloaded CSV: the lines that say what the file
    holds come first, then an empty row, then the table."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cut = rows.index([]) if [] in rows else -1
    first = [r[0] for r in rows[:cut]] if cut >= 0 else []
    table = rows[cut + 1 :]
    return table[0], table[1:], first


def _as_bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


# -- the maps --------------------------------------------------------------------------------


def pixel(lon: float, lat: float, view: dict, width: float, height: float) -> tuple[float, float]:
    """Screen position of a point in a deck.gl MapView (Web Mercator, 512-px tiles)."""
    world = 512 * 2 ** view["zoom"]

    def project(x: float, y: float) -> tuple[float, float]:
        px = (x + 180) / 360 * world
        py = (math.pi - math.log(math.tan(math.pi / 4 + math.radians(y) / 2))) / (2 * math.pi)
        return px, py * world

    cx, cy = project(view["longitude"], view["latitude"])
    px, py = project(lon, lat)
    return width / 2 + px - cx, height / 2 + py - cy


def inner_point(level: str, code: str, store_path: Path) -> tuple[float, float]:
    """(lon, lat) well inside the region's largest polygon: a safe place to hover or click."""
    feats = boundaries.geojson(level, store_path)["features"]
    geom = next(shape(f["geometry"]) for f in feats if f["properties"]["code"] == code)
    parts = list(geom.geoms) if isinstance(geom, shapely.MultiPolygon) else [geom]
    biggest = max(parts, key=lambda g: g.area)
    p = polylabel(biggest, tolerance=0.01)  # the point farthest inside: safe to click
    return p.x, p.y


@dataclass
class App:
    """One browser context on the app, with helpers that speak Streamlit."""

    server: Server
    context: object
    page: object
    requests: list[str] = field(default_factory=list)
    # the Streamlit websocket frames received by the page (decompressed protobuf): what
    # reached the browser, shown or not
    received: list[bytes] = field(default_factory=list)
    lang: str = i18n.DEFAULT_LANG

    # -- navigation ---------------------------------------------------------------------
    def goto(self, path: str = "", query: str = "") -> None:
        url = f"{self.server.base_url}/{path}" + (f"?{query}" if query else "")
        self.page.goto(url)
        self.wait_idle()

    def navigate(self, title: str) -> None:
        """Open the page titled ``title`` through the sidebar, as a reader would: the same
        Streamlit session, so the sign-in and the filters (kept in the link) stay."""
        nav = self.page.locator('[data-testid="stSidebarNav"]')
        nav.get_by_role("link", name=title, exact=True).click()
        self.page.wait_for_function(  # the heading is "<page> · <scope in view>"
            "t => document.querySelector('[data-testid=\"stMain\"] h1')?.innerText.trim()"
            ".split(' · ')[0] === t",
            arg=title,
            timeout=RENDER_TIMEOUT_MS,
        )
        self.wait_idle()

    def wait_idle(self) -> None:
        """Wait until Streamlit has answered every rerun asked for and the page is settled
        (see ``_IDLE_JS``), and stays so for about a second: right after a click the browser
        may not yet have sent the rerun it causes, and the page still reads as idle."""
        for _ in range(3):
            self.page.wait_for_function(_IDLE_JS, timeout=RENDER_TIMEOUT_MS, polling=200)
            self.page.wait_for_timeout(350)
        self.page.wait_for_function(_IDLE_JS, timeout=RENDER_TIMEOUT_MS, polling=200)

    def url(self) -> str:
        """The address bar as the reader sees it (``location.href``, see ``wait_for_query``)."""
        return str(self.page.evaluate("location.href"))

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.url()).query)

    def wait_for_query(self, key: str, value: str | None) -> None:
        """Wait until the URL's ``key`` parameter is ``value`` (None: absent)."""

        # Read ``location.href``: Streamlit updates the query string with the History API,
        # which Playwright's ``page.url`` does not always follow.
        self.page.wait_for_function(
            """([key, value]) => {
                const q = new URL(location.href).searchParams;
                return value === null ? !q.has(key) : q.getAll(key).join() === value;
            }""",
            arg=[key, value],
            timeout=RENDER_TIMEOUT_MS,
        )
        self.wait_idle()

    # -- reading the screen ----------------------------------------------------------------
    def title(self) -> str:
        """The page's name: the heading without the scope after " · "."""
        return self.heading().split(" · ")[0]

    def heading(self) -> str:
        """The whole heading: "<page> · <scope in view>"."""
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

    def map_position(
        self, level: str, code: str, view: dict | None = None, prefixes: tuple[str, ...] = ()
    ) -> tuple[float, float]:
        """Page coordinates of a point well inside region ``code`` on the page's first map:
        where to hover or click it. The map is drawn at ``view``, by default the view the app
        fits to the canvas (the bounds of ``level``'s regions, of ``prefixes`` if given)."""
        canvas = self.page.locator('[data-testid="stDeckGlJsonChart"] canvas#deckgl-overlay')
        canvas.first.scroll_into_view_if_needed()
        box = canvas.first.bounding_box()
        if view is None:
            feats = maps.features(level, self.server.store_path, prefixes=prefixes or None)
            view = maps.view_for(maps.bounds_of(feats), box["width"], box["height"])
        lon, lat = inner_point(level, code, self.server.store_path)
        x, y = pixel(lon, lat, view, box["width"], box["height"])
        assert 0 < x < box["width"] and 0 < y < box["height"], (x, y, box)
        return box["x"] + x, box["y"] + y

    def hover_region(self, level: str, code: str, name: str) -> tuple[float, float]:
        """Move the pointer over region ``code`` and wait for its tooltip (``name``): the map
        answers the pointer, and the pixel is right. Returns the position, to click it."""
        tooltip = self.page.locator(".deck-tooltip")
        # deck.gl picks on pointer events only: a move that lands while the map is still
        # loading its layers (or before the layout settles) shows nothing and is never
        # repeated. Place the point again and move until the tooltip shows.
        deadline = time.monotonic() + RENDER_TIMEOUT_MS / 1000
        step = 0
        while True:
            step += 1
            x, y = self.map_position(level, code)
            self.page.mouse.move(x + step % 2, y)
            try:
                tooltip.wait_for(state="visible", timeout=2_000)
                break
            except PlaywrightTimeoutError:
                if time.monotonic() > deadline:
                    raise
        assert name in tooltip.inner_text()
        return x, y

    def download(self, label: str) -> tuple[str, bytes]:
        """Click the download button labelled ``label``: (suggested file name, content)."""
        button = self.page.locator('[data-testid="stDownloadButton"]').filter(has_text=label)
        button.first.scroll_into_view_if_needed()
        with self.page.expect_download(timeout=RENDER_TIMEOUT_MS) as info:
            button.first.click()
        download = info.value
        return download.suggested_filename, download.path().read_bytes()

    def screen_text(self) -> str:
        """The text a reader can read: the page (sidebar included), the labels inside the
        charts' SVG, and the cells of every dataframe that are in view."""
        return self.page.evaluate(
            """() => [document.body.innerText,
                ...[...document.querySelectorAll('svg text')].map(e => e.textContent),
                ...[...document.querySelectorAll('[data-testid="stDataFrame"] [role="gridcell"],'
                    + ' [data-testid="stDataFrame"] [role="columnheader"]')]
                    .map(e => e.innerText)].join('\\n')"""
        )

    def grid_rows(self, index: int = 0) -> list[list[str]]:
        """Visible rows of the ``index``-th dataframe, as lists of cell texts (the grid draws
        only the rows and columns in view; the header row is left out)."""
        grid = self.page.locator('[data-testid="stDataFrame"]').nth(index)
        # the grid draws its cells after the script run: wait until it has drawn its rows
        # (its accessible table counts them, the header included) or says it has none
        grid.wait_for(timeout=RENDER_TIMEOUT_MS)
        grid.evaluate(
            """(g, ms) => new Promise((done, fail) => {
                const t0 = performance.now();
                const check = () => {
                    const table = g.querySelector('[role="grid"], table');
                    const n = Number(table?.getAttribute('aria-rowcount') ?? -1);
                    if (n === 1 || g.querySelector('[role="gridcell"]')) return done(true);
                    if (performance.now() - t0 > ms) return fail(new Error('grid drew no rows'));
                    requestAnimationFrame(check);
                };
                check();
            })""",
            RENDER_TIMEOUT_MS,
        )
        return grid.locator('[role="row"]').evaluate_all(
            """rows => rows
                .map(r => [...r.querySelectorAll('[role="gridcell"]')]
                          .map(c => c.innerText.trim()))
                .filter(cells => cells.length > 0)"""
        )

    def external_requests(self) -> list[str]:
        return [u for u in self.requests if not is_local(u)]

    def screenshot_path(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS / f"{name}.png"

    def screenshot(self, name: str) -> Path:
        """Full-page screenshot: Streamlit scrolls inside ``stMain``, so grow the viewport
        to the content height first (same width), then restore it."""
        path = self.screenshot_path(name)
        viewport = self.page.viewport_size or VIEWPORT
        height = self.page.evaluate(
            "() => Math.max(...[...document.querySelectorAll("
            '\'[data-testid="stMain"], [data-testid="stSidebarContent"]\')]'
            ".map(e => e.scrollHeight))"
        )
        self.page.set_viewport_size({"width": viewport["width"], "height": min(height, 12_000)})
        self.settle_layout()  # charts re-layout to the new size
        self.page.screenshot(path=str(path), full_page=True)
        self.page.set_viewport_size(viewport)
        self.settle_layout()
        return path

    def settle_layout(self) -> None:
        """After a resize: the app has answered any width report it caused (``wait_idle``)
        and the browser has laid out and painted the result (two animation frames)."""
        self.wait_idle()
        self.page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )


@contextmanager
def contexts(browser: object, server: Server) -> Iterator[Callable[[], App]]:
    """A function opening fresh browser contexts on ``server`` (each one is another
    browser: no cookies, no session); all are closed at the end."""
    opened: list[App] = []

    def open_one() -> App:
        app = open_app(browser, server)
        opened.append(app)
        return app

    try:
        yield open_one
    finally:
        for app in opened:
            app.context.close()


def wait_title(app: App, title: str) -> None:
    """Wait until the page's heading names ``title`` (the part before " · <scope>")."""
    app.page.wait_for_function(
        "t => document.querySelector('[data-testid=\"stMain\"] h1')"
        "?.innerText.split(' · ')[0].trim() === t",
        arg=title,
        timeout=RENDER_TIMEOUT_MS,
    )
    app.wait_idle()


def sign_in(app: App, username: str, password: str) -> None:
    """Sign in on the form shown now, and wait until the page has fetched its session
    cookie (the answer that also renews the browser cookie) and names the user."""
    wait_title(app, i18n.t("auth.signin_title", "id"))
    app.page.get_by_label(i18n.t("auth.username", "id")).fill(username)
    app.page.get_by_label(i18n.t("auth.password", "id"), exact=True).fill(password)
    with app.page.expect_response(
        lambda r: "_netralitas/session?t=" in r.url, timeout=RENDER_TIMEOUT_MS
    ) as fetched:
        app.page.get_by_role("button", name=i18n.t("auth.signin_button", "id")).click()
    assert fetched.value.status == 200
    app.page.wait_for_function(  # signed in, on whichever page the address names
        "u => document.querySelector('[data-testid=\"stSidebar\"]')?.innerText.includes(u)",
        arg=f"{username} (",
        timeout=RENDER_TIMEOUT_MS,
    )
    app.wait_idle()


def cookie(app: App, name: str) -> str:
    return next(c["value"] for c in app.context.cookies() if c["name"] == name)
