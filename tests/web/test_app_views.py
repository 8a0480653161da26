"""AppTest for Linimasa, Belum Tanda Tangan and Instansi: the numbers on screen against
independent Polars computations from the raw tables, per filter, language and store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import fmt_number, fmt_percent, t
from dashboard.store.database import Store

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "web" / "app.py")
NOTHING = {"prov": "62", "alevel": "pusat"}  # no central agencies in Kalimantan Tengah


def open_page(
    monkeypatch: pytest.MonkeyPatch, store: Store, page: str, params: dict | None = None
) -> AppTest:
    """Run the app on ``store`` with URL ``params``, switch to ``views/<page>.py``."""
    monkeypatch.setenv("NETRALITAS_STORE", str(store.path))
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("caption", "info", "warning", "subheader") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


# -- independent figures from raw rows ------------------------------------------------------
def raw_roster(store: Store, provinces: tuple[str, ...] = (), measure: str = "pakta"):
    today = dt.date.today()
    ag = store.table("agencies")
    if provinces:
        ag = ag.filter(pl.col("province_code").is_in(provinces))
    off = store.table("officials").filter(pl.col("superseded_by").is_null())
    done = (
        pl.col("pledged")
        if measure == "ikrar"
        else pl.col("signed") & (pl.col("signed_date").is_null() | (pl.col("signed_date") <= today))
    )
    return off.with_columns(done.alias("done")).join(
        ag.select("agency_id", "name", pl.col("province_code").alias("ap")),
        on="agency_id",
        how="inner",
        suffix="_agency",
    )


def raw_reports(store: Store, provinces: tuple[str, ...] = ()) -> pl.DataFrame:
    current = store.table("officials").filter(pl.col("superseded_by").is_null())
    with_roster = current["agency_id"].unique().implode()
    rep = store.table("signature_reports").filter(
        ~pl.col("agency_id").is_in(with_roster) & (pl.col("as_of") <= dt.date.today())
    )
    if provinces:
        rep = rep.filter(pl.col("province_code").is_in(provinces))
    return rep.sort("as_of", descending=True).group_by("agency_id").first()


def raw_events(store: Store, provinces: tuple[str, ...] = ()) -> pl.DataFrame:
    ev = store.table("events").filter(pl.col("event_date") <= dt.date.today())
    return ev.filter(pl.col("province_code").is_in(provinces)) if provinces else ev


# -- Linimasa -----------------------------------------------------------------------------
@pytest.mark.parametrize("provinces", [(), ("62",), ("17", "62")])
def test_timeline_counts_events_and_curve(monkeypatch, demo_store: Store, provinces) -> None:
    params = {"prov": ",".join(provinces)} if provinces else {}
    at = open_page(monkeypatch, demo_store, "timeline", params)
    ev = raw_events(demo_store, provinces)
    prec = dict(ev.group_by("date_precision").len().iter_rows())
    assert metrics(at) == {
        "Kegiatan": fmt_number(ev.height),
        "Tanggal diketahui": fmt_number(prec.get("day", 0)),
        "Hanya bulan diketahui": fmt_number(prec.get("month", 0)),
        "Hanya tahun diketahui": fmt_number(prec.get("year", 0)),
    }
    roster = raw_roster(demo_store, provinces)
    dated = roster.filter(pl.col("done") & pl.col("signed_date").is_not_null()).height
    body = texts(at)
    # denominator: the current roster (Mukomuko reports only a year: listed separately)
    assert f"({fmt_number(roster.height)} orang)" in body
    assert f"{fmt_number(dated)} bertanggal = {fmt_percent(dated / roster.height)}" in body
    if not provinces or "17" in provinces:
        assert "(48 dari 53 sudah tanda tangan)" in body
    else:
        assert "48 dari 53" not in body
    assert (t("timeline.per_province", "id") in body) == (len(provinces) >= 2)
    charts = at.get("plotly_chart")
    assert len(charts) == 2
    # the event list: one page of the events in view, newest first
    listing = at.dataframe[-1].value
    assert len(listing) == min(50, ev.height)
    assert f"dari {fmt_number(ev.height)}" in body


def test_timeline_english(monkeypatch, demo_store: Store) -> None:
    at = open_page(monkeypatch, demo_store, "timeline", {"lang": "en"})
    ev = raw_events(demo_store)
    assert metrics(at)["Events"] == fmt_number(ev.height, "en")
    assert ev.height >= 1000 and "," in metrics(at)["Events"]
    assert [s.value for s in at.subheader][:3] == [
        "Events over time",
        "Cumulative signature rate",
        "Events and their sources",
    ]
    assert "(48 of 53 signed)" in texts(at)


def test_timeline_seed_only_and_nothing(monkeypatch, seed_store: Store) -> None:
    at = open_page(monkeypatch, seed_store, "timeline")
    assert metrics(at) == {
        "Kegiatan": "5",
        "Tanggal diketahui": "2",
        "Hanya bulan diketahui": "0",
        "Hanya tahun diketahui": "3",
    }
    body = texts(at)
    assert t("timeline.no_curve", "id") in body  # no roster: no dated signatures to draw
    assert "(48 dari 53 sudah tanda tangan)" in body
    listing = at.dataframe[-1].value
    assert set(listing["Berkas sumber"]) == {
        "000_122fc31ba1745eed.txt",
        "001_2671df23b6234c40.txt",
        "002_98d3e2af56bed431.txt",
        "003_243d728f3b34c4f9.txt",
        "004_79d523f8d6890ab8.txt",
    }
    # dates at their precision: two real days, three known only to the year
    assert sorted(listing["Tanggal"]) == ["2023", "2023", "2023", "21 Sep 2023", "25 Sep 2023"]

    nothing = open_page(monkeypatch, seed_store, "timeline", NOTHING)
    assert not nothing.metric
    assert t("timeline.no_events", "id") in texts(nothing)


# -- Belum Tanda Tangan -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("provinces", "measure"), [((), "pakta"), (("62",), "pakta"), ((), "ikrar")]
)
def test_unsigned_figures_and_list(monkeypatch, demo_store: Store, provinces, measure) -> None:
    params = {"measure": measure} if measure != "pakta" else {}
    if provinces:
        params["prov"] = ",".join(provinces)
    at = open_page(monkeypatch, demo_store, "unsigned", params)
    roster = raw_roster(demo_store, provinces, measure)
    not_done = roster.filter(~pl.col("done"))
    rep = raw_reports(demo_store, provinces)
    rep_col = "pledged" if measure == "ikrar" else "signed"
    rep = rep.filter(pl.col(rep_col).is_not_null())
    rep_unsigned = int((rep["target"] - rep[rep_col]).sum()) if rep.height else 0
    target = roster.height + int(rep["target"].sum() if rep.height else 0)
    done = int(roster["done"].sum()) + int(rep[rep_col].sum() if rep.height else 0)
    total_label = "Belum ikrar" if measure == "ikrar" else "Belum tanda tangan"
    rate_label = "Tingkat ikrar" if measure == "ikrar" else "Tingkat tanda tangan"
    assert metrics(at) == {
        total_label: fmt_number(not_done.height + rep_unsigned),
        "Di roster (bernama)": fmt_number(not_done.height),
        "Dari laporan (tanpa nama)": fmt_number(rep_unsigned),
        rate_label: fmt_percent(done / target),
    }
    assert rep_unsigned == (5 if measure == "pakta" and not provinces else 0)
    listing = at.dataframe[0].value
    assert len(listing) == min(50, not_done.height)
    assert set(listing["NIP"]) <= set(not_done["nip"].drop_nulls())
    days = listing["Hari tertunda"].tolist()
    assert days == sorted(days, reverse=True)  # longest outstanding first
    body = texts(at)
    assert f"Menampilkan 1–{min(50, not_done.height)} dari {fmt_number(not_done.height)}" in body
    assert len(at.get("plotly_chart")) >= 6  # level, kind, province, regency, treemap, heat, days
    assert at.get("download_button")


def test_unsigned_english_and_search(monkeypatch, demo_store: Store) -> None:
    at = open_page(monkeypatch, demo_store, "unsigned", {"lang": "en"})
    not_done = raw_roster(demo_store).filter(~pl.col("done"))
    m = metrics(at)
    assert m["On a roster (named)"] == fmt_number(not_done.height, "en")
    assert m["Not signed"] == fmt_number(not_done.height + 5, "en")
    assert "Not yet signed: follow-up list" in [s.value for s in at.subheader]
    assert list(at.dataframe[0].value.columns)[:4] == ["Name", "Days outstanding", "Agency", "NIP"]
    # search by a name that is on the list
    name = not_done.sort("nip")["name"][0]
    at.text_input(key="lead_unsigned_search").input(name).run()
    assert not at.exception
    expected = not_done.filter(pl.col("name").str.to_lowercase().str.contains(name.lower()))
    assert len(at.dataframe[0].value) == min(50, expected.height)
    assert set(at.dataframe[0].value["Name"]) == {name} | (set(expected["name"]) - {name})


def test_unsigned_province_filter_from_the_sidebar(monkeypatch, demo_store: Store) -> None:
    at = open_page(monkeypatch, demo_store, "unsigned")
    at.multiselect(key="w_prov").set_value(["17"]).run()
    assert not at.exception
    not_done = raw_roster(demo_store, ("17",)).filter(~pl.col("done"))
    m = metrics(at)
    assert m["Di roster (bernama)"] == fmt_number(not_done.height)
    assert m["Dari laporan (tanpa nama)"] == "5"  # Mukomuko is in Bengkulu
    reports = at.dataframe[-1].value
    assert reports["Instansi"].tolist() == ["Pemerintah Kabupaten Mukomuko"]
    assert reports["Belum tanda tangan"].tolist() == [5]


def test_unsigned_seed_only_and_nothing(monkeypatch, seed_store: Store) -> None:
    at = open_page(monkeypatch, seed_store, "unsigned")
    assert metrics(at) == {
        "Belum tanda tangan": "5",
        "Di roster (bernama)": "0",
        "Dari laporan (tanpa nama)": "5",
        "Tingkat tanda tangan": fmt_percent(48 / 53),
    }
    assert t("unsigned.list_empty", "id") in texts(at)
    assert t("unsigned.no_roster", "id") in texts(at)
    nothing = open_page(monkeypatch, seed_store, "unsigned", NOTHING)
    assert metrics(nothing)["Belum tanda tangan"] == "0"
    assert t("shell.no_data", "id") in texts(nothing)
    assert not nothing.get("plotly_chart")


# -- Instansi ------------------------------------------------------------------------------
def _ranking(store: Store, provinces: tuple[str, ...] = ()) -> pl.DataFrame:
    roster = raw_roster(store, provinces)
    figs = roster.group_by("agency_id").agg(
        pl.len().alias("target"), pl.col("done").sum().alias("signed")
    )
    rep = raw_reports(store, provinces).select("agency_id", "target", "signed")
    ev = raw_events(store, provinces).select("agency_id").unique()
    ag = store.table("agencies")
    return (
        pl.concat([figs, rep], how="vertical_relaxed")
        .join(ev, on="agency_id", how="full", coalesce=True)
        .join(ag.select("agency_id", "name"), on="agency_id")
        .with_columns(
            (pl.col("signed") / pl.col("target")).alias("rate"),
            (pl.col("target") - pl.col("signed")).alias("unsigned"),
        )
        .sort(
            ["rate", "unsigned", "name", "agency_id"],
            descending=[False, True, False, False],
            nulls_last=True,
        )
    )


@pytest.mark.parametrize("provinces", [(), ("62",)])
def test_agencies_ranking(monkeypatch, demo_store: Store, provinces) -> None:
    params = {"prov": ",".join(provinces)} if provinces else {}
    at = open_page(monkeypatch, demo_store, "agencies", params)
    exp = _ranking(demo_store, provinces)
    table = at.dataframe[0].value
    assert len(table) == min(50, exp.height)
    assert table["Instansi"].tolist() == exp["name"].head(50).to_list()
    assert f"dari {fmt_number(exp.height)}" in texts(at)
    first = exp.row(0, named=True)
    assert table["Sasaran"].iloc[0] == first["target"]
    assert table["Belum tanda tangan"].iloc[0] == first["unsigned"]


def test_agency_detail_from_the_link_and_the_chooser(monkeypatch, demo_store: Store) -> None:
    at = open_page(monkeypatch, demo_store, "agencies", {"instansi": "seed-1706-pemkab"})
    assert metrics(at) == {
        "Sasaran": "53",
        "Sudah tanda tangan": "48",
        "Belum tanda tangan": "5",
        "Tingkat tanda tangan": fmt_percent(48 / 53),
    }
    # the report's event is known only to the year: shown as such, no invented day
    assert "kegiatan terakhir: 2023" in texts(at)
    assert t("agencies.roster_report", "id") in texts(at)
    # choose another agency: figures from its roster, link updated
    exp = _ranking(demo_store)
    pick = exp.filter(pl.col("target").is_not_null())["agency_id"][0]
    at.selectbox(key="lead_agency_detail").set_value(pick).run()
    assert not at.exception
    assert at.query_params["instansi"] == [pick] or at.query_params["instansi"] == pick
    row = exp.filter(pl.col("agency_id") == pick).row(0, named=True)
    m = metrics(at)
    assert (m["Sasaran"], m["Sudah tanda tangan"], m["Belum tanda tangan"]) == (
        fmt_number(row["target"]),
        fmt_number(row["signed"]),
        fmt_number(row["unsigned"]),
    )
    roster = at.dataframe[1].value
    assert len(roster) == min(50, row["target"])
    assert set(roster["Tanda tangan"]) <= {"Sudah", "Belum"}
    if row["target"] <= 50:
        assert (roster["Tanda tangan"] == "Sudah").sum() == row["signed"]
    uploads = at.dataframe[-1].value
    assert uploads["Baris ditambahkan"].tolist() == [row["target"]]


def test_agency_link_outside_the_filter_is_dropped(monkeypatch, demo_store: Store) -> None:
    at = open_page(
        monkeypatch, demo_store, "agencies", {"instansi": "seed-1706-pemkab", "prov": "62"}
    )
    assert t("agencies.detail_not_in_view", "id") in texts(at)
    assert "instansi" not in at.query_params
    junk = open_page(monkeypatch, demo_store, "agencies", {"instansi": "<script>"})
    assert t("agencies.detail_not_in_view", "id") in texts(junk)


def test_agencies_english_seed_only_and_nothing(monkeypatch, seed_store: Store) -> None:
    at = open_page(monkeypatch, seed_store, "agencies", {"lang": "en"})
    table = at.dataframe[0].value
    # all five real agencies: Mukomuko with its report, four with events only (no figures)
    assert len(table) == 5
    assert table["Agency"].iloc[0] == "Pemerintah Kabupaten Mukomuko"
    assert table["Signature rate"].iloc[0] == pytest.approx(48 / 53)
    assert set(table["Figure source"]) == {"report", "no data"}
    assert "Agency ranking" in [s.value for s in at.subheader]
    nothing = open_page(monkeypatch, seed_store, "agencies", NOTHING)
    assert t("shell.no_data", "id") in texts(nothing)
    assert not nothing.dataframe
