"""Every page says what it shows: the scope in view in the heading and the browser tab, the
active filters as chips under the heading (each removable), at a phone's, a laptop's and a
desktop's width, in both languages."""

from __future__ import annotations

import pytest
from browser_harness import RENDER_TIMEOUT_MS, App
from playwright.sync_api import expect

from dashboard import i18n
from dashboard.store.database import Store

pytestmark = pytest.mark.browser

SIZES = {"phone": (390, 844), "laptop": (1366, 768), "desktop": (1920, 1080)}
KAB = "6201"


def _names(store: Store) -> tuple[str, str]:
    """(regency, province) names of ``KAB``, read from the store."""
    row = store.query(
        "SELECT r.name, p.name AS province FROM regions r JOIN regions p "
        "ON p.code = r.province_code AND p.level = 'provinsi' WHERE r.code = $c",
        {"c": KAB},
    ).row(0, named=True)
    return row["name"], row["province"]


def _heading(app: App, text: str) -> None:
    expect(app.page.locator('[data-testid="stMain"] h1').first).to_have_text(
        text, timeout=RENDER_TIMEOUT_MS
    )


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_scope_in_heading_tab_and_chips(app: App, size: str, lang: str) -> None:
    regency, province = _names(Store(app.server.store_path))
    short = regency.replace("Kabupaten ", "Kab. ", 1)
    width, height = SIZES[size]
    app.page.set_viewport_size({"width": width, "height": height})
    query = f"kab={KAB}" + ("&lang=en" if lang == "en" else "")
    app.goto("unggah-roster" if size == "phone" else "", query)
    page = i18n.t("nav.upload" if size == "phone" else "nav.overview", lang)
    scoped = f"{page} · {short}, {province}"
    _heading(app, scoped)
    expect(app.page).to_have_title(f"{scoped} — Netralitas ASN", timeout=RENDER_TIMEOUT_MS)
    app.screenshot(f"scope-{size}-{lang}")

    # the chip stands in view, under the heading, also where the sidebar is folded away
    chips = app.page.locator(".st-key-scope_chips")
    chip = chips.get_by_role("button", name=regency)
    expect(chip).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    box, h1 = chip.bounding_box(), app.page.locator("h1").first.bounding_box()
    assert box is not None and h1 is not None
    assert box["y"] >= h1["y"] + h1["height"] - 1 and box["x"] + box["width"] <= width

    chip.click()  # removing it widens the view to the whole country, in the URL too
    national = f"{page} · {i18n.t('scope.national', lang)}"
    _heading(app, national)
    expect(app.page).to_have_title(f"{national} — Netralitas ASN", timeout=RENDER_TIMEOUT_MS)
    app.wait_for_query("kab", None)
    assert chips.get_by_role("button", name=regency).count() == 0
    assert app.problems() == []
