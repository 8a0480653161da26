"""Streamlit AppTest of the shell and the Ringkasan, Peta, Sumber & Metode and Briefing pages.

Numbers on screen are compared with an independent Polars computation from the raw rows
(``independent_figures``), not with the query layer the pages use.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from independent_figures import agency_figures, en_pct, id_int, id_pct, totals
from streamlit.testing.v1 import AppTest

from dashboard.store.database import ENV_STORE, Store

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "web" / "app.py")


def run_app(
    monkeypatch: pytest.MonkeyPatch, store: Store, page: str | None = None, **params: str
) -> AppTest:
    monkeypatch.setenv(ENV_STORE, str(store.path))
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def events_count(store: Store, province: str | None = None) -> int:
    ev = store.table("events")
    if province:
        ev = ev.filter(pl.col("province_code") == province)
    return ev.height


def test_overview_default_view(monkeypatch: pytest.MonkeyPatch, demo_store: Store) -> None:
    at = run_app(monkeypatch, demo_store)
    tot = totals(agency_figures(demo_store))
    assert at.title[0].value == "Ringkasan · Seluruh Indonesia"
    m = metrics(at)
    assert m["Pejabat sasaran"] == id_int(tot["target"])
    assert m["Sudah tanda tangan"] == id_int(tot["done"])
    assert m["Belum tanda tangan"] == id_int(tot["undone"])
    assert m["Tingkat tanda tangan"] == id_pct(tot["rate"])
    assert m["Instansi tuntas"] == id_int(tot["complete"])
    assert m["Kegiatan"] == id_int(events_count(demo_store))
    assert any("data contoh (sintetis)" in i.value for i in at.info)
    assert "sumber angka: data contoh, laporan" in at.caption[0].value
    # the lowest provinces table starts with the lowest rate
    by_prov = (
        agency_figures(demo_store)
        .group_by("province_code")
        .agg((pl.col("done").sum() / pl.col("target").sum()).alias("rate"))
        .sort("rate")
    )
    lowest = at.dataframe[0].value
    assert list(lowest.columns) == [
        "Provinsi",
        "Tingkat tanda tangan",
        "Belum tanda tangan",
        "Sasaran",
        "Sumber angka",
    ]
    assert lowest["Tingkat tanda tangan"].tolist() == pytest.approx(
        by_prov["rate"].head(10).to_list()
    )
    assert dict(at.query_params) == {}


def test_overview_province_filter_in_english(
    monkeypatch: pytest.MonkeyPatch, demo_store: Store
) -> None:
    at = run_app(monkeypatch, demo_store, lang="en", prov="62")
    raw = agency_figures(demo_store).filter(pl.col("province_code") == "62")
    tot = totals(raw)
    assert at.title[0].value == "Overview · Kalimantan Tengah"
    m = metrics(at)
    assert m["Officials targeted"] == f"{tot['target']:,}"
    assert m["Signed"] == f"{tot['done']:,}"
    assert m["Signature rate"] == en_pct(tot["rate"])
    assert m["Events held"] == f"{events_count(demo_store, '62'):,}"
    assert [s.value for s in at.subheader][:3] == [
        "Signature rate map",
        "10 regencies/cities with the lowest rates",
        "10 agencies with the lowest rates",
    ]
    regions = at.dataframe[0].value
    assert regions.columns[0] == "Regency/City"
    assert len(regions) == 10
    assert dict(at.query_params) == {"lang": "en", "prov": "62"}


def test_sidebar_switches_language_and_province(
    monkeypatch: pytest.MonkeyPatch, demo_store: Store
) -> None:
    at = run_app(monkeypatch, demo_store)
    at.sidebar.multiselect(key="w_prov").set_value(["17"]).run()
    assert_clean(at)
    tot = totals(agency_figures(demo_store).filter(pl.col("province_code") == "17"))
    assert metrics(at)["Pejabat sasaran"] == id_int(tot["target"])
    assert dict(at.query_params) == {"prov": "17"}
    at.sidebar.radio(key="w_lang").set_value("en").run()
    assert_clean(at)
    assert metrics(at)["Officials targeted"] == f"{tot['target']:,}"
    assert at.sidebar.multiselect(key="w_prov").label == "Province"
    assert dict(at.query_params) == {"lang": "en", "prov": "17"}


def test_pledge_measure(monkeypatch: pytest.MonkeyPatch, demo_store: Store) -> None:
    at = run_app(monkeypatch, demo_store, measure="ikrar")
    tot = totals(agency_figures(demo_store, measure="ikrar"))
    m = metrics(at)
    assert m["Sudah ikrar"] == id_int(tot["done"])
    assert m["Belum ikrar"] == id_int(tot["undone"])
    assert m["Tingkat ikrar"] == id_pct(tot["rate"])


def test_invalid_link_values_are_dropped_with_a_notice(
    monkeypatch: pytest.MonkeyPatch, demo_store: Store
) -> None:
    at = run_app(monkeypatch, demo_store, prov="62,99", demo="x", to="2024-02-30")
    assert len(at.warning) == 1
    assert "prov=99" in at.warning[0].value
    assert "demo=x" in at.warning[0].value
    assert "to=2024-02-30" in at.warning[0].value
    assert dict(at.query_params) == {"prov": "62"}


def test_filter_that_matches_nothing(monkeypatch: pytest.MonkeyPatch, demo_store: Store) -> None:
    at = run_app(monkeypatch, demo_store, alevel="pusat")
    m = metrics(at)
    assert m["Pejabat sasaran"] == "0"
    assert m["Tingkat tanda tangan"] == "–"
    assert m["Kegiatan"] == "0"
    assert any("Tidak ada data untuk filter ini" in i.value for i in at.info)
    for page in ("views/map.py", "views/sources.py", "views/briefing.py"):
        at.switch_page(page).run()
        assert_clean(at)
    at.switch_page("views/map.py").run()
    assert any("Tidak ada data untuk filter ini" in i.value for i in at.info)


def test_seed_only_store(monkeypatch: pytest.MonkeyPatch, seed_store: Store) -> None:
    at = run_app(monkeypatch, seed_store)
    m = metrics(at)
    assert m["Pejabat sasaran"] == "53"
    assert m["Sudah tanda tangan"] == "48"
    assert m["Belum tanda tangan"] == "5"
    assert m["Tingkat tanda tangan"] == "90,6\u00a0%"
    assert m["Kegiatan"] == "5"
    assert not any("data contoh (sintetis)" in i.value for i in at.info)
    at.switch_page("views/map.py").run()
    assert_clean(at)
    table = at.dataframe[0].value
    assert len(table) == 38
    bengkulu = table[table["Provinsi"] == "Bengkulu"].iloc[0]
    assert bengkulu["Sasaran"] == 53
    assert bengkulu["Sumber angka"] == "laporan"
    assert table["Sasaran"].isna().sum() == 37  # every other province: no data (grey)
    at.switch_page("views/sources.py").run()
    assert_clean(at)
    assert len(at.dataframe[0].value) == 5
    at.switch_page("views/briefing.py").run()
    assert_clean(at)
    assert at.download_button(key="briefing_download").label == "Unduh briefing (HTML)"


def test_map_drill_down_and_back(monkeypatch: pytest.MonkeyPatch, demo_store: Store) -> None:
    at = run_app(monkeypatch, demo_store, page="views/map.py")
    assert at.subheader[0].value == "Tingkat per provinsi"
    national = at.dataframe[0].value
    raw = agency_figures(demo_store)
    assert len(national) == 38
    assert national["Sasaran"].sum() == raw["target"].sum()
    # choosing the province in the filter drills down (clicking sets the same filter)
    at.sidebar.multiselect(key="w_prov").set_value(["62"]).run()
    assert_clean(at)
    assert at.subheader[0].value == "Kabupaten/kota di Kalimantan Tengah"
    table = at.dataframe[0].value
    assert len(table) == 15
    kalteng = raw.filter(pl.col("province_code") == "62")
    provincial = table[table["Kabupaten/Kota"] == "Kalimantan Tengah (tingkat provinsi)"]
    assert (
        provincial["Sasaran"].iloc[0]
        == kalteng.filter(pl.col("regency_code").is_null())["target"].sum()
    )
    assert table["Sasaran"].sum() == kalteng["target"].sum()
    assert any("perkiraan" in c.value for c in at.caption)  # approximate-boundaries notice
    assert dict(at.query_params) == {"prov": "62"}
    at.button(key="map_back").click().run()
    assert_clean(at)
    assert at.subheader[0].value == "Tingkat per provinsi"
    assert dict(at.query_params) == {}


def test_sources_page_in_english(monkeypatch: pytest.MonkeyPatch, demo_store: Store) -> None:
    at = run_app(monkeypatch, demo_store, page="views/sources.py", lang="en")
    assert at.title[0].value.replace("\\", "").split(" · ")[0] == "Sources & Methods"
    seed = at.dataframe[0].value
    assert len(seed) == 5
    assert "Publisher" in seed.columns
    assert "ANTARA News Bengkulu" in seed["Publisher"].tolist()
    assert seed["Date"].tolist()[:2] == ["25 Sep 2023", "21 Sep 2023"]
    assert seed["Date precision"].tolist().count("year") == 3
    headers = [h.value for h in at.header]
    assert "Definitions" in headers and "Demo data" in headers


def test_briefing_page(monkeypatch: pytest.MonkeyPatch, demo_store: Store) -> None:
    at = run_app(monkeypatch, demo_store, page="views/briefing.py", prov="62")
    assert at.title[0].value == "Briefing · Kalimantan Tengah"
    assert at.download_button(key="briefing_download").label == "Unduh briefing (HTML)"
    assert at.subheader[0].value == "Pratinjau"


def test_empty_store_is_filled_once_and_every_page_renders(
    monkeypatch: pytest.MonkeyPatch, store: Store
) -> None:
    # the first open of an empty store installs the seed events and the demo roster (marked)
    assert store.table("events").height == 0 and store.table("officials").height == 0
    at = run_app(monkeypatch, store)
    officials = store.table("officials")
    assert officials.height > 0 and officials["is_demo"].all()
    expected = totals(agency_figures(store))
    m = metrics(at)
    assert m["Pejabat sasaran"] == id_int(expected["target"])
    assert m["Kegiatan"] == id_int(events_count(store))
    assert any("data contoh (sintetis)" in i.value for i in at.info)
    for page in ("map", "timeline", "unsigned", "agencies", "upload", "sources", "briefing"):
        at.switch_page(f"views/{page}.py").run()
        assert_clean(at)
    # the audit log of a fresh store is empty, and says so in the UI language
    at.switch_page("views/admin.py").run()
    assert_clean(at)
    assert any(c.value == "Belum ada baris untuk ditampilkan." for c in at.caption)
