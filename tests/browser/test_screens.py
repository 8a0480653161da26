"""The screens leaders use, at the widths they use: a phone (390 x 844), an office laptop
(1366 x 768) and a desktop (1920 x 1080).

- every page renders at every width (screenshots in ``tests/artifacts/screenshots/``), and
  at 390 px the page itself never scrolls sideways;
- the map on Ringkasan and Peta, national and for one province, fits its canvas: the painted
  area keeps off both edges and covers at least half the width;
- at 1366 px the rate column of every ranking is in view without scrolling sideways;
- axe-core (bundled with axe-playwright-python, injected from disk: no network) finds no
  serious or critical violation on any page.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from browser_harness import App, app_pages
from PIL import Image
from playwright.sync_api import Locator

from dashboard import i18n

pytestmark = pytest.mark.browser

PAGES = app_pages()
SIZES = {"phone": (390, 844), "laptop": (1366, 768), "desktop": (1920, 1080)}
KALTENG = "62"
RATE_LABELS = {
    i18n.t(k, i18n.DEFAULT_LANG)
    for k in ("col.rate", "col.pledge_rate", "lead.col.rate.pakta", "lead.col.rate.ikrar")
}
# pages with a ranking whose rate column must stay in view at 1366 px
RANKING_PAGES = ("ringkasan", "peta", "instansi", "belum-tanda-tangan")


def _open(app: App, path: str, size: str, query: str = "") -> None:
    width, height = SIZES[size]
    app.page.set_viewport_size({"width": width, "height": height})
    # Streamlit serves the default (first) page at the root, not under its url_path
    app.goto("" if path == PAGES[0][2] else path, query)


def painted_columns(png: bytes) -> tuple[int, int, int]:
    """(first, last painted column, image width) of a canvas screenshot: a column is painted
    when any pixel in it is darker than the white page behind the transparent canvas."""
    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    painted = np.flatnonzero(grey.min(axis=0) < 235)
    width = grey.shape[1]
    return (int(painted[0]), int(painted[-1]), width) if painted.size else (-1, -1, width)


def _settled_drawing(app: App, canvas: Locator) -> tuple[bytes, tuple[int, int, int]]:
    """A screenshot of ``canvas`` once two in a row, half a second apart, paint the same
    columns: deck.gl redraws on the next frames after the canvas is resized, and a busy
    machine may take seconds for that. A drawing that stays wrong still fails the test."""
    png = canvas.screenshot()
    painted = painted_columns(png)
    for _ in range(40):
        app.page.wait_for_timeout(500)
        again = canvas.screenshot()
        if painted_columns(again) == painted:
            break
        png, painted = again, painted_columns(again)
    return png, painted


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize(("file", "key", "path"), PAGES, ids=[p[2] for p in PAGES])
def test_page_at_width(app: App, file: str, key: str, path: str, size: str) -> None:
    _open(app, path, size)
    shot = app.screenshot(f"screen-{path}-{SIZES[size][0]}")
    assert app.title() == i18n.t(key, i18n.DEFAULT_LANG), shot
    assert app.problems() == [], shot
    overflow = app.page.evaluate(
        """() => {
          const main = document.querySelector('[data-testid="stMain"]');
          return {doc: document.documentElement.scrollWidth - window.innerWidth,
                  main: main.scrollWidth - main.clientWidth};
        }"""
    )
    if size == "phone":
        assert overflow == {"doc": 0, "main": 0}, (overflow, shot)
    assert app.external_requests() == []


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("scope", ["national", KALTENG])
@pytest.mark.parametrize("path", ["ringkasan", "peta"])
def test_map_fits_its_canvas(app: App, path: str, scope: str, size: str) -> None:
    _open(app, path, size, "" if scope == "national" else f"prov={scope}")
    assert app.problems() == []
    chart = app.page.locator('[data-testid="stDeckGlJsonChart"]').first
    chart.scroll_into_view_if_needed()
    app.page.mouse.move(0, 0)  # no hover highlight, no tooltip
    canvas = chart.locator("canvas#deckgl-overlay")
    png, (first, last, width) = _settled_drawing(app, canvas)
    shot = app.screenshot_path(f"map-{path}-{scope}-{SIZES[size][0]}")
    shot.write_bytes(png)
    assert first > 1, f"the map touches the left edge ({shot})"
    assert last < width - 2, f"the map touches the right edge ({shot})"
    assert last - first >= width / 2, f"the map covers less than half the canvas ({shot})"
    # and the canvas is the width the page gives it (nothing wider than the screen)
    box = canvas.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= SIZES[size][0]


@pytest.mark.parametrize("path", RANKING_PAGES)
def test_rate_column_in_view_at_1366(app: App, path: str) -> None:
    _open(app, path, "laptop")
    grids = app.page.locator('[data-testid="stDataFrame"]')
    checked = 0
    for i in range(grids.count()):
        grid = grids.nth(i)
        if not grid.is_visible():  # inside a closed expander
            continue
        headers = [
            h.strip() for h in grid.locator('[role="columnheader"]').all_inner_texts() if h.strip()
        ]
        rate = [h for h in headers if h in RATE_LABELS]
        if not rate:
            continue
        box = grid.bounding_box()
        assert box is not None and box["x"] + box["width"] <= SIZES["laptop"][0] + 1, path
        # the grid draws only the columns in view: the rate column is drawn, and so is the
        # column after it, so the whole rate column is inside the grid's visible part
        at = headers.index(rate[0])
        assert at <= 2, (path, headers)
        assert len(headers) > at + 1, (path, headers)
        checked += 1
    assert checked, f"no ranking with a rate column on {path}"


@pytest.mark.parametrize("size", ["phone", "laptop"])
@pytest.mark.parametrize(("file", "key", "path"), PAGES, ids=[p[2] for p in PAGES])
def test_no_serious_accessibility_violations(
    app: App, file: str, key: str, path: str, size: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    _open(app, path, size)
    assert app.problems() == []
    results = Axe().run(app.page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious
    assert app.external_requests() == []


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_event_layer_starts_off_on_a_phone_only(app: App, size: str) -> None:
    """At 390 px the provinces must stay tappable: the event dots start hidden there."""
    _open(app, "peta", size)
    toggle = app.page.get_by_role("switch", name=i18n.t("map.show_events", i18n.DEFAULT_LANG))
    toggle.wait_for(state="attached")
    assert toggle.is_checked() is (size != "phone")
    assert app.problems() == []


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_province_by_level_is_a_table_on_a_phone_and_a_heatmap_elsewhere(
    app: App, size: str
) -> None:
    _open(app, "belum-tanda-tangan", size)
    assert app.problems() == []
    table_title = i18n.t("unsigned.heat_table_title.pakta", i18n.DEFAULT_LANG)
    chart_title = i18n.t("chart.heat.title.pakta", i18n.DEFAULT_LANG)
    app.page.get_by_text(i18n.t("unsigned.heat_caption", i18n.DEFAULT_LANG)).wait_for()
    text = app.screen_text()
    shot = app.screenshot(f"heat-{SIZES[size][0]}")
    if size == "phone":
        assert table_title in text and chart_title not in text, shot
    else:
        assert chart_title in text and table_title not in text, shot
