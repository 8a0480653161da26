"""Queries behind Linimasa, Belum Tanda Tangan and Instansi, checked against Polars
computations from the raw tables (``store.table(...)``), on a hand-built store (seed events,
the Mukomuko report and a few rosters) and on the shared demo store."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import replace

import polars as pl
import pytest

from dashboard import queries
from dashboard.queries.filters import Filters
from dashboard.render import export
from dashboard.store.database import Store, insert_frame
from dashboard.web.leadership import unsigned_export
from schemas import Agencies, Events, Officials, SignatureReports, Uploads

AS_OF = dt.date(2024, 3, 1)


# -- a small hand-built store --------------------------------------------------------------
def _agency(aid: str, name: str, level: str, kind: str, prov: str, reg: str | None, demo=False):
    return {
        Agencies.agency_id: aid,
        Agencies.name: name,
        Agencies.short_name: None,
        Agencies.match_key: f"{name.lower()}|{prov}|{reg or ''}",
        Agencies.level: level,
        Agencies.kind: kind,
        Agencies.parent_id: None,
        Agencies.province_code: prov,
        Agencies.regency_code: reg,
        Agencies.is_demo: demo,
        Agencies.upload_id: "demo-t" if demo else "u1",
    }


def _off(
    name, nip, level, aid, prov, reg, signed, date, pledged, upload="u1", sup=None, demo=False
):
    return {
        Officials.nip: nip,
        Officials.name: name,
        Officials.position: "Kepala" if level == "jpt_pratama" else "Staf",
        Officials.position_level: level,
        Officials.agency_id: aid,
        Officials.province_code: prov,
        Officials.regency_code: reg,
        Officials.signed: signed,
        Officials.signed_date: date,
        Officials.pledged: pledged,
        Officials.note: None,
        Officials.upload_id: upload,
        Officials.superseded_by: sup,
        Officials.is_demo: demo,
    }


def _event(eid, aid, day, precision, kind, prov, reg, demo=False, publisher="Pos Uji"):
    return {
        Events.event_id: eid,
        Events.event_date: day,
        Events.date_precision: precision,
        Events.agency_id: aid,
        Events.province_code: prov,
        Events.regency_code: reg,
        Events.kind: kind,
        Events.source_publisher: publisher,
        Events.source_title: f"Judul {eid}",
        Events.source_file: f"{eid}.txt",
        Events.is_demo: demo,
        Events.upload_id: "demo-t" if demo else "u1",
    }


def _upload(uid: str, kind: str, at: dt.datetime) -> dict:
    return {
        Uploads.upload_id: uid,
        Uploads.kind: kind,
        Uploads.file_name: f"{uid}.xlsx",
        Uploads.sha256: hashlib.sha256(uid.encode()).hexdigest(),
        Uploads.uploaded_by: "admin",
        Uploads.uploaded_at: at,
        Uploads.rows: 5,
        Uploads.valid_rows: 5,
        Uploads.mode: "replace",
        Uploads.status: "committed",
    }


NIP = "19800101200501{:d}00{:d}"


@pytest.fixture
def hand_store(seed_store: Store) -> Store:
    """Seed events + Mukomuko report, two roster agencies in Kalteng, a day-dated report in
    Bengkulu, an events-only agency, a demo agency, and a superseded roster row."""
    agencies = [
        _agency("t-a", "Dinas Uji Kota Palangka Raya", "kota", "dinas", "62", "6271"),
        _agency("t-b", "Badan Uji Provinsi Kalimantan Tengah", "provinsi", "badan", "62", None),
        _agency(
            "t-d",
            "Pemerintah Kabupaten Bengkulu Selatan",
            "kabupaten",
            "pemerintah_daerah",
            "17",
            "1701",
        ),
        _agency("t-e", "Kantor Uji Tanpa Angka", "kota", "kantor", "62", "6271"),
        _agency("t-f", "Dinas Contoh Rejang Lebong", "kabupaten", "dinas", "17", "1702", True),
    ]
    d = dt.date
    officials = [
        _off("Ani", None, "pejabat_negara", "t-a", "62", "6271", True, d(2023, 9, 25), True),
        _off(
            "Budi",
            NIP.format(1, 1),
            "administrator",
            "t-a",
            "62",
            "6271",
            True,
            d(2023, 9, 25),
            False,
        ),
        _off("Citra", NIP.format(1, 2), "pengawas", "t-a", "62", "6271", True, None, True),
        _off("=Dedi+1", NIP.format(1, 3), "pelaksana", "t-a", "62", "6271", False, None, True),
        _off("Eka", NIP.format(1, 4), "pelaksana", "t-a", "62", "6271", True, d(2024, 5, 1), False),
        _off(
            "Fajar",
            NIP.format(1, 5),
            "pelaksana",
            "t-a",
            "62",
            "6271",
            False,
            None,
            False,
            upload="u0",
            sup="u1",
        ),
        _off(
            "Gita", NIP.format(2, 1), "jpt_pratama", "t-b", "62", None, True, d(2023, 10, 10), True
        ),
        _off("Hadi", NIP.format(2, 2), "fungsional", "t-b", "62", None, False, None, False),
        _off(
            "Indah", NIP.format(2, 3), "fungsional", "t-b", "62", None, True, d(2023, 10, 12), True
        ),
        _off(
            "Joko",
            NIP.format(3, 1),
            "pelaksana",
            "t-f",
            "17",
            "1702",
            False,
            None,
            False,
            upload="demo-t",
            demo=True,
        ),
        _off(
            "Kiki",
            NIP.format(3, 2),
            "pelaksana",
            "t-f",
            "17",
            "1702",
            True,
            d(2023, 11, 1),
            True,
            upload="demo-t",
            demo=True,
        ),
    ]
    events = [
        _event("ev-a", "t-a", d(2023, 9, 25), "day", "pakta_ikrar", "62", "6271"),
        _event("ev-b", "t-b", d(2023, 10, 1), "month", "pakta", "62", "6271"),
        _event("ev-b2", "t-b", d(2023, 1, 1), "year", "ikrar", "62", "6271"),
        _event("ev-e", "t-e", d(2023, 11, 2), "day", "ikrar", "62", "6271"),
        _event("ev-f", "t-f", d(2023, 11, 1), "day", "pakta_ikrar", "17", "1702", demo=True),
    ]
    report = {
        SignatureReports.report_id: "r-d",
        SignatureReports.agency_id: "t-d",
        SignatureReports.province_code: "17",
        SignatureReports.regency_code: "1701",
        SignatureReports.as_of: d(2023, 10, 5),
        SignatureReports.as_of_precision: "day",
        SignatureReports.target: 20,
        SignatureReports.signed: 15,
        SignatureReports.pledged: None,
        SignatureReports.source_publisher: "Pos Uji",
        SignatureReports.is_demo: False,
        SignatureReports.upload_id: "u1",
    }
    uploads = [
        _upload("u0", "roster", dt.datetime(2023, 9, 1, 8)),
        _upload("u1", "roster", dt.datetime(2023, 10, 20, 8)),
        _upload("demo-t", "demo", dt.datetime(2023, 10, 21, 8)),
    ]
    with seed_store.transaction() as con:
        insert_frame(con, "agencies", pl.DataFrame(agencies))
        insert_frame(con, "officials", pl.DataFrame(officials))
        insert_frame(con, "events", pl.DataFrame(events))
        insert_frame(con, "signature_reports", pl.DataFrame([report]))
        insert_frame(con, "uploads", pl.DataFrame(uploads))
    return seed_store


# -- independent computations from the raw tables -------------------------------------------
def _agency_frame(store: Store, f: Filters) -> pl.DataFrame:
    ag = store.table("agencies")
    if f.provinces:
        ag = ag.filter(pl.col("province_code").is_in(f.provinces))
    if not f.include_demo:
        ag = ag.filter(~pl.col("is_demo"))
    return ag


def _roster(store: Store, f: Filters) -> pl.DataFrame:
    """Current roster rows of agencies in view, with ``done`` for the measure."""
    as_of = f.as_of()
    off = store.table("officials").filter(pl.col("superseded_by").is_null())
    if not f.include_demo:
        off = off.filter(~pl.col("is_demo"))
    if f.position_levels:
        off = off.filter(pl.col("position_level").is_in(f.position_levels))
    if f.measure == "ikrar":
        done = pl.col("pledged")
    else:
        done = pl.col("signed") & (
            pl.col("signed_date").is_null() | (pl.col("signed_date") <= as_of)
        )
    ag = _agency_frame(store, f).select(
        "agency_id",
        pl.col("name").alias("agency_name"),
        "kind",
        pl.col("province_code").alias("a_prov"),
        pl.col("regency_code").alias("a_reg"),
    )
    return off.with_columns(done.alias("done")).join(ag, on="agency_id", how="inner")


def _reports(store: Store, f: Filters) -> pl.DataFrame:
    """The latest report per report-only agency in view (none under a position filter)."""
    has_roster = store.table("officials").filter(pl.col("superseded_by").is_null())["agency_id"]
    rep = store.table("signature_reports").filter(
        (pl.col("as_of") <= f.as_of()) & ~pl.col("agency_id").is_in(has_roster.implode())
    )
    if f.position_levels:
        rep = rep.head(0)
    value = "pledged" if f.measure == "ikrar" else "signed"
    rep = (
        rep.sort("as_of", descending=True)
        .group_by("agency_id")
        .first()
        .filter(pl.col(value).is_not_null())
        .with_columns(pl.col(value).alias("done_n"))
    )
    ag = _agency_frame(store, f).select(
        "agency_id",
        "kind",
        pl.col("province_code").alias("a_prov"),
        pl.col("regency_code").alias("a_reg"),
    )
    return rep.drop("province_code", "regency_code").join(ag, on="agency_id", how="inner")


# -- cumulative curve ---------------------------------------------------------------------
def test_cumulative_curve_steps_on_signing_dates_and_leaves_imprecise_reports_out(
    hand_store: Store,
) -> None:
    f = Filters(date_to=AS_OF)
    cum = queries.cumulative_signed(hand_store, f)
    roster = _roster(hand_store, f)
    reports = _reports(hand_store, f)
    dated = (
        roster.filter(pl.col("done") & pl.col("signed_date").is_not_null())
        .group_by(pl.col("signed_date").alias("day"))
        .len()
        .rename({"len": "n"})
    )
    day_reports = reports.filter(pl.col("as_of_precision") == "day").select(
        pl.col("as_of").alias("day"), pl.col("signed").cast(pl.UInt32).alias("n")
    )
    expected = (
        pl.concat([dated, day_reports])
        .group_by("day")
        .agg(pl.col("n").sum())
        .sort("day")
        .with_columns(pl.col("n").cum_sum().alias("signed"))
    )
    target = roster.height + int(reports.filter(pl.col("as_of_precision") == "day")["target"].sum())
    assert cum.curve["day"].to_list() == expected["day"].to_list()
    assert cum.curve["signed"].to_list() == expected["signed"].to_list()
    assert cum.curve["target"].unique().to_list() == [target]
    assert cum.target == target == 5 + 3 + 2 + 20  # rosters A, B, demo F; report D
    # the report dated to the day steps on its day
    assert cum.curve.filter(pl.col("day") == dt.date(2023, 10, 5))["new_signed"][0] == 15
    # Citra signed without a date: counted, not drawn
    assert cum.undated_signed == 1
    # Mukomuko's report is known only to the year: listed, not drawn
    rep = cum.imprecise_reports.row(0, named=True)
    assert (rep["agency_id"], rep["target"], rep["signed"]) == ("seed-1706-pemkab", 53, 48)
    assert (rep["as_of"], rep["as_of_precision"]) == (dt.date(2023, 1, 1), "year")
    # curve end + undated + imprecise reports = the headline figure
    hl = queries.headline(hand_store, f)
    assert cum.curve["signed"][-1] + cum.undated_signed + 48 == hl.signed


def test_cumulative_per_province_on_demo_store(demo_store: Store) -> None:
    f = Filters(provinces=("62", "17"), date_to=dt.date(2024, 1, 31))
    cum = queries.cumulative_signed(demo_store, f, by_province=True)
    roster = _roster(demo_store, f)
    assert set(cum.curve["grp"]) == {"62", "17"}
    assert set(cum.curve["grp_name"]) == {"Kalimantan Tengah", "Bengkulu"}
    for prov in ("62", "17"):
        mine = roster.filter(pl.col("a_prov") == prov)
        expected = (
            mine.filter(pl.col("done") & pl.col("signed_date").is_not_null())
            .group_by("signed_date")
            .len()
            .sort("signed_date")
            .with_columns(pl.col("len").cum_sum())
        )
        got = cum.curve.filter(pl.col("grp") == prov).sort("day")
        assert got["day"].to_list() == expected["signed_date"].to_list()
        assert got["signed"].to_list() == expected["len"].to_list()
        # Mukomuko (17) reports only a year: not in Bengkulu's denominator
        assert got["target"][0] == mine.height
        assert got["rate"][-1] == pytest.approx(expected["len"][-1] / mine.height)
    assert cum.imprecise_reports["agency_id"].to_list() == ["seed-1706-pemkab"]


# -- unsigned breakdowns, heat table, list --------------------------------------------------
@pytest.mark.parametrize("measure", ["pakta", "ikrar"])
def test_unsigned_breakdowns_match_raw_rows(demo_store: Store, measure: str) -> None:
    f = Filters(measure=measure, date_to=dt.date(2024, 1, 15))
    roster = _roster(demo_store, f)
    reports = _reports(demo_store, f).with_columns(
        (pl.col("target") - pl.col("done_n")).alias("unsigned")
    )
    not_done = roster.filter(~pl.col("done"))

    by_level = queries.unsigned_by(demo_store, f, "position_level")
    exp = not_done.group_by("position_level").len()
    assert dict(zip(by_level["key"], by_level["unsigned"], strict=True)) == dict(exp.iter_rows())

    for by, col in (("agency_kind", "kind"), ("province", "a_prov")):
        got = queries.unsigned_by(demo_store, f, by)
        exp = (
            pl.concat(
                [
                    roster.group_by(col).agg(
                        (~pl.col("done")).sum().alias("u"), pl.len().alias("t")
                    ),
                    reports.group_by(col).agg(
                        pl.col("unsigned").sum().alias("u"), pl.col("target").sum().alias("t")
                    ),
                ],
                how="vertical_relaxed",
            )
            .group_by(col)
            .agg(pl.col("u").sum(), pl.col("t").sum())
        )
        assert dict(zip(got["key"], got["unsigned"], strict=True)) == {
            k: u for k, u, _ in exp.iter_rows()
        }
        assert dict(zip(got["key"], got["target"], strict=True)) == {
            k: t for k, _, t in exp.iter_rows()
        }

    reg = queries.unsigned_by(demo_store, f, "regency")
    if measure == "pakta":  # Mukomuko reports signatures, not pledges
        row = reg.filter(pl.col("key") == "1706").row(0, named=True)
        assert (row["unsigned"], row["target"], row["name"]) == (5, 53, "Kabupaten Mukomuko")
    assert reg["unsigned"].sum() == not_done.height + int(reports["unsigned"].sum())

    heat = queries.unsigned_heat(demo_store, f)
    exp = not_done.group_by("a_prov", "position_level").len()
    got = {(p, lv): n for p, _, lv, n, _ in heat.iter_rows() if n}
    assert got == {(p, lv): n for p, lv, n in exp.iter_rows()}


def test_unsigned_list_pages_cover_the_whole_list(hand_store: Store) -> None:
    f = Filters(date_to=AS_OF)
    not_done = _roster(hand_store, f).filter(~pl.col("done"))
    # Dedi, Eka, Hadi, Joko
    assert queries.unsigned_count(hand_store, f, personal=True) == not_done.height == 4
    full = queries.unsigned_officials(hand_store, f, limit=None, personal=True)
    page = functools.partial(queries.unsigned_officials, hand_store, f, limit=2, personal=True)
    pages = pl.concat([page(offset=o) for o in (0, 2)])
    assert pages.equals(full)
    assert sorted(full["name"]) == sorted(not_done["name"])
    # the superseded row never shows; a signature after the as-of date is still outstanding
    assert "Fajar" not in full["name"].to_list() and "Eka" in full["name"].to_list()
    # days outstanding: since the agency's latest signing event known to day/month
    days = dict(zip(full["name"], full["days_outstanding"], strict=True))
    assert days["=Dedi+1"] == (AS_OF - dt.date(2023, 9, 25)).days  # day-dated event
    assert days["Hadi"] == (AS_OF - dt.date(2023, 10, 31)).days  # month event: from its end
    assert days["Joko"] == (AS_OF - dt.date(2023, 11, 1)).days
    assert full["days_outstanding"].to_list() == sorted(days.values(), reverse=True)
    since = full.filter(pl.col("name") == "Hadi").row(0, named=True)
    assert (since["since"], since["since_precision"]) == (dt.date(2023, 10, 1), "month")
    # demo rows out
    no_demo = queries.unsigned_officials(
        hand_store, replace(f, include_demo=False), limit=None, personal=True
    )
    assert "Joko" not in no_demo["name"].to_list()
    # search, and no personal columns when not allowed
    hit = queries.unsigned_officials(hand_store, f, search="HADI", personal=True)
    assert hit["name"].to_list() == ["Hadi"]
    anon = queries.unsigned_officials(hand_store, f, personal=False, search="hadi")
    assert anon.height == 0 and "name" not in anon.columns and "nip" not in anon.columns
    assert queries.unsigned_count(hand_store, f, "badan uji", False) == 1


def test_unsigned_days_histogram_and_pledge_measure(hand_store: Store) -> None:
    f = Filters(date_to=AS_OF, measure="ikrar")
    not_done = _roster(hand_store, f).filter(~pl.col("done"))
    full = queries.unsigned_officials(hand_store, f, limit=None, personal=True)
    assert sorted(full["name"]) == sorted(not_done["name"]) == ["Budi", "Eka", "Hadi", "Joko"]
    days = dict(zip(full["name"], full["days_outstanding"], strict=True))
    # B's only pledge event is known to the year: no day to count from
    assert days["Hadi"] is None
    assert days["Budi"] == (AS_OF - dt.date(2023, 9, 25)).days
    hist = queries.unsigned_days(hand_store, f)
    assert hist["unsigned"].sum() == 4
    assert hist.filter(pl.col("days_outstanding").is_null())["unsigned"][0] == 1


def test_unsigned_export_is_excel_safe_and_respects_personal_switch(hand_store: Store) -> None:
    f = Filters(date_to=AS_OF)
    df = unsigned_export(hand_store, f, "id", None, True)
    assert df.height == 4 and df.columns[:2] == ["Nama", "NIP"]
    assert "Jenjang jabatan" in df.columns and "Pelaksana" in df["Jenjang jabatan"].to_list()
    csv = export.to_csv_bytes(df).decode("utf-8-sig")
    assert "'=Dedi+1" in csv and ",=Dedi" not in csv
    anon = unsigned_export(hand_store, f, "en", None, False)
    assert "Name" not in anon.columns and "NIP" not in anon.columns
    assert anon.height == 4


def test_report_agencies_are_counts_only(hand_store: Store) -> None:
    rep = queries.report_unsigned(hand_store, Filters(date_to=AS_OF))
    assert dict(zip(rep["agency_id"], rep["unsigned"], strict=True)) == {
        "seed-1706-pemkab": 5,
        "t-d": 5,
    }
    # a position filter leaves reports out (they have no breakdown by level)
    assert queries.report_unsigned(hand_store, Filters(position_levels=("pelaksana",))).height == 0


# -- agencies ------------------------------------------------------------------------------
def test_agency_ranking_figures_and_last_events(hand_store: Store) -> None:
    f = Filters(date_to=AS_OF)
    rank = queries.agency_ranking(hand_store, f, limit=None)
    roster = _roster(hand_store, f)
    exp = roster.group_by("agency_id").agg(
        pl.len().alias("target"), pl.col("done").sum().alias("signed")
    )
    got = rank.filter(pl.col("agency_id").is_in(exp["agency_id"].implode()))
    assert dict(zip(got["agency_id"], got["signed"], strict=True)) == dict(
        zip(exp["agency_id"], exp["signed"], strict=True)
    )
    by_id = {r["agency_id"]: r for r in rank.iter_rows(named=True)}
    muko = by_id["seed-1706-pemkab"]
    assert (muko["target"], muko["signed"], muko["unsigned"], muko["source"]) == (
        53,
        48,
        5,
        "laporan",
    )
    assert (muko["last_event_date"], muko["last_event_precision"]) == (dt.date(2023, 1, 1), "year")
    assert muko["last_event_publisher"] == "ANTARA News Bengkulu"
    # an agency with only an event is listed, without figures, after all the others
    assert by_id["t-e"]["target"] is None and rank["agency_id"][-1] in {
        a for a, r in by_id.items() if r["rate"] is None
    }
    assert by_id["t-b"]["last_event_date"] == dt.date(2023, 10, 1)  # the later of its events
    # every seed agency appears (events in view), rates ascending among those with one
    rates = rank["rate"].drop_nulls().to_list()
    assert rates == sorted(rates)
    assert queries.agency_count(hand_store, f) == rank.height
    # sorting, search, paging
    top = queries.agency_ranking(hand_store, f, sort="target_desc", limit=1)
    assert top["agency_id"][0] == "seed-1706-pemkab"
    assert queries.agency_ranking(hand_store, f, search="kesbangpol")["agency_id"].to_list() == [
        "seed-62-kesbangpol"
    ]
    assert queries.agency_count(hand_store, f, "UJI") == 3
    page2 = queries.agency_ranking(hand_store, f, offset=2, limit=2)
    assert page2["agency_id"].to_list() == rank["agency_id"].to_list()[2:4]
    with pytest.raises(ValueError):
        queries.agency_ranking(hand_store, f, sort="nope")


def test_agency_detail_roster_and_uploads(hand_store: Store) -> None:
    f = Filters(date_to=AS_OF)
    d = queries.agency_detail(hand_store, f, "t-a")
    assert d is not None and (d["target"], d["signed"], d["unsigned"]) == (5, 3, 2)
    assert queries.agency_detail(hand_store, Filters(provinces=("17",)), "t-a") is None
    assert queries.agency_detail(hand_store, f, "no-such-agency") is None
    roster = queries.agency_roster(hand_store, f, "t-a", limit=None, personal=True)
    assert queries.agency_roster_count(hand_store, f, "t-a") == roster.height == 5
    assert "Fajar" not in roster["name"].to_list()
    assert roster["position_level"][0] == "pejabat_negara"  # top of the hierarchy first
    assert "nip" not in queries.agency_roster(hand_store, f, "t-a", personal=False).columns
    assert queries.agency_roster(hand_store, Filters(provinces=("17",)), "t-a").height == 0
    ups = queries.agency_uploads(hand_store, "t-a")
    by_id = {r["upload_id"]: r for r in ups.iter_rows(named=True)}
    assert set(by_id) == {"u0", "u1"}
    assert (by_id["u1"]["rows_added"], by_id["u1"]["rows_current"]) == (5, 5)
    assert by_id["u1"]["rows_replaced"] == 1
    assert (by_id["u0"]["rows_added"], by_id["u0"]["rows_current"]) == (1, 0)
    assert ups["upload_id"].to_list() == ["u1", "u0"]  # newest first
    assert queries.agency_uploads(hand_store, "seed-1706-pemkab")["upload_id"].to_list() == ["seed"]


def test_agency_ranking_on_demo_store_agrees_with_summary(demo_store: Store) -> None:
    f = Filters(provinces=("62",))
    rank = queries.agency_ranking(demo_store, f, limit=None)
    comp = queries.agency_compliance(demo_store, f)
    assert rank.filter(pl.col("target").is_not_null()).height == comp.height
    assert int(rank["unsigned"].sum()) == int(comp["unsigned"].sum())
    # the two real Kalteng agencies have events but no figures: still listed
    assert {"seed-62-dpmptsp", "seed-62-kesbangpol"} <= set(rank["agency_id"])


@pytest.mark.parametrize("measure", ["pakta", "ikrar"])
def test_unsigned_overview_equals_the_single_queries(demo_store: Store, measure: str) -> None:
    f = Filters(provinces=("17", "62"), measure=measure, date_to=dt.date(2024, 1, 15))
    ov = queries.unsigned_overview(demo_store, f)
    for g in queries.UNSIGNED_GROUPS:
        assert ov.by[g].equals(queries.unsigned_by(demo_store, f, g)), g
    assert ov.heat.equals(queries.unsigned_heat(demo_store, f))
    assert ov.days.equals(queries.unsigned_days(demo_store, f))
    assert ov.reports.equals(queries.report_unsigned(demo_store, f))
    assert ov.roster_unsigned == queries.unsigned_count(demo_store, f)
    assert ov.roster_unsigned == _roster(demo_store, f).filter(~pl.col("done")).height
    # the days histogram covers every roster official not yet done
    assert ov.days["unsigned"].sum() == ov.roster_unsigned
