"""A new reader's first visit, in one go, in the Indonesian UI: the national map, a click on
Kalimantan Tengah, its regencies and its two real 2023 events, its unsigned list and the
CSV, and the printable briefing. Every figure is checked against the raw rows of the
store (``independent_figures`` and plain SQL), not against the query layer the pages use.

Each step leaves a screenshot in ``tests/artifacts/screenshots/journey-*.png``.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import polars as pl
import pytest
from browser_harness import App, csv_table
from independent_figures import agency_figures, id_int, id_pct, totals

from dashboard import i18n
from dashboard.store.database import Store

pytestmark = pytest.mark.browser

KALTENG = "62"


def t(key: str, **kw: object) -> str:
    return i18n.t(key, i18n.DEFAULT_LANG, **kw)


def _number(text: str) -> int:
    """An Indonesian-formatted integer ("4.529") as an int."""
    return int(text.replace(".", "").replace("\xa0", "").strip())


# -- the expected figures, from the raw rows ------------------------------------------------


def _province_name(store: Store, code: str) -> str:
    return store.query("SELECT name FROM regions WHERE code = $c", {"c": code})["name"][0]


def _regency_names(store: Store, province: str) -> dict[str, str]:
    """name -> code of the province's regencies/cities, from the store's regions table."""
    rows = store.query(
        "SELECT code, name FROM regions WHERE province_code = $p AND code <> $p", {"p": province}
    )
    return dict(zip(rows["name"], rows["code"], strict=True))


def _real_events(store: Store, province: str) -> pl.DataFrame:
    """The province's events from the news reports (not demo), with agency and place."""
    return store.query(
        """SELECT e.event_id, e.event_date, e.date_precision, a.name AS agency,
                  r.name AS place, e.source_publisher
           FROM events e JOIN agencies a USING (agency_id)
           JOIN regions r ON r.code = coalesce(e.regency_code, e.province_code)
           WHERE e.province_code = $p AND NOT e.is_demo ORDER BY e.event_id""",
        {"p": province},
    )


def _events_in_view(store: Store, province: str) -> int:
    today = dt.date.today()
    ev = store.table("events").filter(
        (pl.col("province_code") == province) & (pl.col("event_date") <= today)
    )
    return ev.height


def _unsigned_nips(store: Store, province: str) -> list[str]:
    """NIPs ('' when missing) of current roster officials of the province's agencies who
    have not signed as of today."""
    today = dt.date.today()
    agencies = store.table("agencies").select("agency_id", pl.col("province_code").alias("p"))
    officials = (
        store.table("officials")
        .filter(pl.col("superseded_by").is_null())
        .join(agencies, on="agency_id")
        .filter(pl.col("p") == province)
    )
    done = pl.col("signed") & (pl.col("signed_date").is_null() | (pl.col("signed_date") <= today))
    return sorted(officials.filter(~done)["nip"].fill_null("").to_list())


def _cards(doc: str) -> dict[str, str]:
    """label -> value of the briefing's headline cards."""
    pairs = re.findall(
        r'<div class="card"><div class="label">([^<]*)</div><div class="value">([^<]*)</div>',
        doc,
    )
    return dict(pairs)


def _first_table(doc: str) -> list[list[str]]:
    """Rows of the briefing's first table, without the last cell (the figures' source)."""
    body = re.search(r"<tbody>(.*?)</tbody>", doc, re.S)
    assert body, doc[:500]
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    return [re.findall(r"<td[^>]*>([^<]*)</td>", r)[:-1] for r in rows]


def _path(app: App) -> str:
    return urlsplit(app.url()).path


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


# -- the journey ------------------------------------------------------------------------------


def test_new_reader_follows_kalteng_from_the_map_to_the_briefing(app: App) -> None:
    store = Store(app.server.store_path)
    province = _province_name(store, KALTENG)
    regencies = _regency_names(store, KALTENG)
    figures = agency_figures(store).filter(pl.col("province_code") == KALTENG)
    expected = totals(figures)
    events = _real_events(store, KALTENG)
    assert events.height == 2  # the two Kalteng reports of data/seed/seed.json

    # 1. the root is the overview; the map is one click away in the sidebar
    app.goto()
    assert app.title() == t("nav.overview")
    assert app.problems() == []
    app.screenshot("journey-1-root")
    app.navigate(t("nav.map"))
    assert _path(app) == "/peta"
    assert app.page.locator('[data-testid="stMain"] h3').first.inner_text() == t(
        "map.national_title"
    )
    assert app.problems() == []
    app.screenshot("journey-2-map-national")
    provinces = set(store.query("SELECT name FROM regions WHERE level = 'provinsi'")["name"])
    national_rows = app.grid_rows(0)  # the national table: one row per province
    assert len(national_rows) >= 8 and {r[0] for r in national_rows} <= provinces
    assert province in provinces

    # 2. a click on Kalimantan Tengah drills down to its regencies/cities
    x, y = app.hover_region("provinsi", KALTENG, province)
    app.page.mouse.click(x, y)
    app.wait_for_query("prov", KALTENG)
    assert app.problems() == []
    app.screenshot("journey-3-map-kalteng")
    heading = app.page.locator('[data-testid="stMain"] h3').first.inner_text()
    assert heading == t("map.regency_title", provinces=province)

    # the figures table: each visible row has the raw-row figures of that regency
    provincial = f"{province} {t('provincial_level')}"
    by_regency = figures.group_by("regency_code").agg(pl.col("target").sum(), pl.col("done").sum())
    raw = {r["regency_code"]: (r["target"], r["done"]) for r in by_regency.iter_rows(named=True)}
    codes = {code: name for name, code in regencies.items()}
    rows = app.grid_rows(0)  # name, rate, unsigned, target, signed, source
    assert len(rows) >= 8, rows
    for region, rate, unsigned, target, signed, *_source in rows:
        assert region in regencies or region == provincial, region
        want_target, want_done = raw[regencies.get(region)]
        assert (_number(target), _number(signed)) == (want_target, want_done), region
        assert _number(unsigned) == want_target - want_done, region
        assert float(rate) == pytest.approx(want_done / want_target), region
    # sorted by rate, lowest first
    shown_rates = [float(r[1]) for r in rows]
    assert shown_rates == sorted(shown_rates)

    # the events of the province, the two real reports first (the expander is open)
    n_events = _events_in_view(store, KALTENG)
    assert app.page.get_by_text(t("map.events_title", n=id_int(n_events))).count() == 1
    ev_rows = app.grid_rows(1)  # date, agency, regency, kind, ... (the columns in view)
    for i, ev in enumerate(events.sort("event_date", descending=True).iter_rows(named=True)):
        date = i18n.fmt_date(ev["event_date"], "id", ev["date_precision"])
        assert ev_rows[i][:3] == [date, ev["agency"], ev["place"]], (i, ev_rows[i])
        assert ev_rows[i][3] == t("event.pakta_ikrar")

    # 3. the overview of the same view: the headline figures of the raw rows
    app.navigate(t("nav.overview"))
    assert app.query().get("prov") == [KALTENG]
    assert app.problems() == []
    app.screenshot("journey-4-overview-kalteng")
    shown = {
        "overview.targeted": app.metric(t("overview.targeted")),
        "col.signed": app.metric(t("col.signed")),
        "col.unsigned": app.metric(t("col.unsigned")),
        "col.rate": app.metric(t("col.rate")),
        "overview.agencies_complete": app.metric(t("overview.agencies_complete")),
        "overview.events": app.metric(t("overview.events")),
    }
    assert shown == {
        "overview.targeted": id_int(expected["target"]),
        "col.signed": id_int(expected["done"]),
        "col.unsigned": id_int(expected["undone"]),
        "col.rate": id_pct(expected["rate"]),
        "overview.agencies_complete": id_int(expected["complete"]),
        "overview.events": id_int(n_events),
    }

    # 4. the unsigned list of Kalteng, and its CSV: as many rows as the page says
    app.navigate(t("nav.unsigned"))
    assert _path(app) == "/belum-tanda-tangan" and app.query().get("prov") == [KALTENG]
    assert app.problems() == []
    app.screenshot("journey-5-unsigned-kalteng")
    nips = _unsigned_nips(store, KALTENG)
    named = _number(app.metric(t("unsigned.m.named")))
    assert named == len(nips) > 0
    assert _number(app.metric(t("unsigned.m.total.pakta"))) == expected["undone"]
    name, data = app.download(t("shell.download_csv"))
    assert name.startswith("belum-tanda-tangan") and name.endswith(".csv")
    header, body, first = csv_table(data)
    assert first[0] == app.heading() == f"{t('nav.unsigned')} · {province}"
    assert len(body) == named
    assert sorted(r[header.index(t("lead.col.nip"))] for r in body) == nips
    assert {r[header.index(t("col.province"))] for r in body} == {province}
    assert {r[header.index(t("col.regency"))] for r in body} - {""} <= set(regencies)

    # 5. the briefing of Kalteng: the file carries the figures of the overview above
    app.navigate(t("nav.briefing"))
    assert _path(app) == "/briefing" and app.query().get("prov") == [KALTENG]
    assert app.problems() == []
    app.screenshot("journey-6-briefing-kalteng")
    name, data = app.download(t("briefing.download"))
    assert name == f"briefing-netralitas-{KALTENG}-{dt.date.today().isoformat()}.html"
    doc = data.decode("utf-8")
    assert f"<title>{t('briefing.title', scope=province)}</title>" in doc
    agencies = figures.height
    assert _cards(doc) == {
        t("overview.targeted"): shown["overview.targeted"],
        t("col.signed"): shown["col.signed"],
        t("col.unsigned"): shown["col.unsigned"],
        t("col.rate"): shown["col.rate"],
        t("overview.agencies_complete"): f"{shown['overview.agencies_complete']} / "
        f"{id_int(agencies)}",
        t("overview.events"): shown["overview.events"],
    }
    # every regency/city of the province, and only those, is drawn on the briefing's map
    assert doc.count("<path ") == len(regencies)
    # its "lowest regencies/cities" table: the ten lowest rates of the raw rows, in order
    lowest = sorted(
        (done / target, region, target, target - done)
        for code, (target, done) in raw.items()
        for region in [provincial if code is None else codes[code]]
    )[:10]
    assert _first_table(doc) == [[n, id_pct(r), id_int(u), id_int(tg)] for r, n, tg, u in lowest]
    # the preview on the page is the same document
    preview = app.page.frame_locator('[data-testid="stMain"] iframe').first
    preview_text = preview.locator("body").inner_text()
    for label, value in _cards(doc).items():
        assert label in preview_text and value in preview_text, (label, value)

    # 6. printing it: the downloaded file opens offline and prints on one A4 page
    printed = app.context.new_page()
    printed.set_content(doc)
    pdf = printed.pdf(format="A4", print_background=True)
    printed.screenshot(path=str(app.screenshot_path("journey-7-briefing-file")), full_page=True)
    printed.close()
    assert _pdf_pages(pdf) == 1
    assert app.external_requests() == []
