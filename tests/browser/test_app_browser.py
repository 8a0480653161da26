"""The dashboard in a real browser: every page renders, filters live in the link, the map
drills down on a click, the unsigned list downloads, and nothing leaves 127.0.0.1.

Run alone with ``.venv/bin/pytest tests/browser -m browser``; screenshots land in
``tests/artifacts/screenshots/``.
"""

from __future__ import annotations

import polars as pl
import pytest
from browser_harness import App, app_pages, csv_table

from dashboard import i18n
from dashboard.domain import regions

pytestmark = pytest.mark.browser

PAGES = app_pages()
KALTENG = "62"


def t(key: str, **kw: object) -> str:
    return i18n.t(key, i18n.DEFAULT_LANG, **kw)


def _number(text: str) -> int:
    """An Indonesian-formatted integer ("4.529") as an int."""
    return int(text.replace(".", "").replace("\xa0", "").strip())


def _regency_names(province: str) -> set[str]:
    reg = regions.regencies().filter(pl.col("province_code") == province)
    return set(reg["name"].to_list())


@pytest.mark.parametrize(("file", "key", "path"), PAGES, ids=[p[2] for p in PAGES])
def test_every_page_renders_offline(app: App, file: str, key: str, path: str) -> None:
    # Streamlit serves the default (first) page at the root, not under its url_path
    app.goto("" if file == PAGES[0][0] else path)
    shot = app.screenshot(f"page-{path}")
    assert app.title() == t(key), shot
    assert app.problems() == [], shot
    outside = app.external_requests()
    assert outside == [], f"requests leaving 127.0.0.1: {outside} ({shot})"


def test_english_switch_changes_labels(app: App) -> None:
    app.goto("", "lang=en")
    assert app.title() == i18n.t("nav.overview", "en")
    hl_label = i18n.t("overview.targeted", "en")
    value = app.metric(hl_label)
    assert "," in value or value.isdigit()  # English grouping: 20,053
    assert app.problems() == []
    app.screenshot("page-ringkasan-en")


def test_filter_goes_to_the_url_and_the_link_reproduces_the_view(app_factory) -> None:
    app = app_factory()
    app.goto()
    label = t("overview.targeted")
    national = app.metric(label)

    province = regions.region_name(KALTENG)
    box = app.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text=t("filter.province")
    )
    box.locator("input").click()
    app.page.keyboard.type(province)
    app.page.get_by_role("option", name=province).first.click()
    app.page.keyboard.press("Escape")
    app.wait_for_query("prov", KALTENG)
    filtered = app.metric(label)
    assert _number(filtered) < _number(national)
    assert app.problems() == []
    app.screenshot("filter-province-62")
    link = app.url()

    app.page.reload()
    app.wait_idle()
    assert app.query()["prov"] == [KALTENG]
    assert app.metric(label) == filtered

    # the copied link in another browser (a fresh context: no cookies, no session state)
    other = app_factory()
    other.page.goto(link)
    other.wait_idle()
    assert other.metric(label) == filtered
    chosen = other.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text=t("filter.province")
    )
    assert province in chosen.inner_text()

    # moving to another page through the sidebar keeps the filter in the link
    other.page.locator('[data-testid="stSidebarNav"] a', has_text=t("nav.map")).click()
    other.page.wait_for_url("**/peta?*", timeout=120_000)
    other.wait_for_query("prov", KALTENG)
    assert other.title() == t("nav.map")
    assert app.external_requests() == [] and other.external_requests() == []


def test_invalid_url_values_are_dropped_with_a_notice(app: App) -> None:
    app.goto("", "prov=99,abc&measure=nope&lang=en")
    assert app.problems() == []
    notice = app.page.locator('[data-testid="stAlertContentWarning"]').all_inner_texts()
    assert any("prov=99" in n and "measure=nope" in n for n in notice), notice
    # dropped values leave the link; the valid one stays
    q = app.query()
    assert "prov" not in q and "measure" not in q and q.get("lang") == ["en"]


def test_click_a_province_on_the_map_shows_its_regencies(app: App) -> None:
    app.goto("peta")
    assert app.problems() == []
    app.screenshot("map-national")
    # hovering shows the tooltip of the province under the cursor: the pixel is right
    x, y = app.hover_region("provinsi", KALTENG, regions.region_name(KALTENG))
    app.page.mouse.click(x, y)
    app.wait_for_query("prov", KALTENG)
    assert app.problems() == []
    app.screenshot("map-click-62")
    heading = app.page.locator('[data-testid="stMain"] h3').first.inner_text()
    assert regions.region_name(KALTENG) in heading

    # the table under the map lists that province's regencies/cities, and only those
    names = _regency_names(KALTENG)
    provincial = regions.region_name(KALTENG) + " " + t("provincial_level")
    cells = set(app.grid_texts(0))
    shown = {c for c in cells if c.startswith(("Kabupaten ", "Kota "))}
    assert shown, cells
    assert shown <= names | {provincial}, shown - names
    assert len(shown & names) >= 5

    # and back out to the national view
    app.page.get_by_role("button", name=t("map.back")).click()
    app.wait_for_query("prov", None)
    assert app.page.locator('[data-testid="stMain"] h3').first.inner_text() == t(
        "map.national_title"
    )
    assert app.external_requests() == []


def test_unsigned_csv_has_as_many_rows_as_shown(app: App) -> None:
    path = next(p for _, key, p in PAGES if key == "nav.unsigned")
    app.goto(path, f"prov={KALTENG}")
    assert app.problems() == []
    shown = _number(app.metric(t("unsigned.m.named")))
    assert shown > 0
    button = app.page.locator('[data-testid="stDownloadButton"]').filter(
        has_text=t("shell.download_csv")
    )
    button.scroll_into_view_if_needed()
    with app.page.expect_download(timeout=120_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    header, body, first = csv_table(download.path().read_bytes())
    assert first[0] == app.heading()  # the file says what it holds, as the page does
    assert regions.region_name(KALTENG) in download.suggested_filename.replace("-", " ").title()
    assert len(body) == shown
    assert t("lead.col.nip") in header and t("col.name") in header
    nip = [r[header.index(t("lead.col.nip"))] for r in body]
    assert all(n == "" or (n.isdigit() and len(n) == 18) for n in nip)  # kept as text
    regency = header.index(t("col.regency"))
    province = header.index(t("col.province"))
    assert {r[province] for r in body} == {regions.region_name(KALTENG)}
    assert {r[regency] for r in body if r[regency]} <= _regency_names(KALTENG)
    assert app.external_requests() == []


def test_agency_download_holds_every_agency_in_view_not_one_page(app: App) -> None:
    """Instansi shows a page of the ranking; its download holds every agency of the view,
    each with the figures counted here from the officials rows."""
    from dashboard.store.database import Store

    path = next(p for _, key, p in PAGES if key == "nav.agencies")
    app.goto(path, f"prov={KALTENG}")
    assert app.problems() == []
    store = Store(app.server.store_path)
    raw = store.query(
        """SELECT agency_id, count(*) AS target, count(*) FILTER (WHERE signed) AS signed
           FROM officials WHERE province_code = ? AND superseded_by IS NULL
           GROUP BY agency_id""",
        [KALTENG],
    )
    # the view's agencies: a roster, a count report or an event in the province
    agencies = store.query(
        """SELECT agency_id FROM officials WHERE province_code = $p AND superseded_by IS NULL
           UNION SELECT agency_id FROM signature_reports WHERE province_code = $p
           UNION SELECT agency_id FROM events WHERE province_code = $p""",
        {"p": KALTENG},
    ).height
    assert raw.height > 50  # more agencies than one page of the table
    label = t("agencies.download", n=f"{agencies:,}".replace(",", "."))
    name, data = app.download(f"{label} (CSV)")
    assert name.endswith(".csv")
    header, body, first = csv_table(data)
    assert first[0] == app.heading()
    assert len(body) == agencies
    target, signed = header.index(t("col.target")), header.index(t("lead.col.done.pakta"))
    source = header.index(t("col.source"))
    rosters = {t("source.roster"), t("source.demo")}  # the figure counts officials rows
    from_roster = sorted((int(r[target]), int(r[signed])) for r in body if r[source] in rosters)
    assert from_roster == sorted(zip(raw["target"], raw["signed"], strict=True))
    assert app.external_requests() == []
