from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard import queries
from dashboard.install import builtin, seed
from dashboard.store.database import Store
from schemas import Agencies, Events, Officials


def test_seed_has_the_five_real_events_with_sources() -> None:
    sd = seed.load_seed()
    ev = sd.events.sort(Events.event_id)
    assert ev[Events.source_file].to_list() == [
        "000_122fc31ba1745eed.txt",
        "001_2671df23b6234c40.txt",
        "002_98d3e2af56bed431.txt",
        "003_243d728f3b34c4f9.txt",
        "004_79d523f8d6890ab8.txt",
    ]
    by_id = {r[Events.event_id]: r for r in ev.iter_rows(named=True)}
    # exact days only where the report gives them
    assert by_id["seed-000"][Events.event_date] == dt.date(2023, 9, 25)
    assert by_id["seed-000"][Events.date_precision] == "day"
    assert by_id["seed-001"][Events.event_date] == dt.date(2023, 9, 21)
    for eid in ("seed-002", "seed-003", "seed-004"):
        assert by_id[eid][Events.date_precision] == "year"
        assert by_id[eid][Events.event_date] == dt.date(2023, 1, 1)
    assert by_id["seed-003"][Events.target_count] == 53
    assert by_id["seed-003"][Events.signed_count] == 48
    assert by_id["seed-003"][Events.witnesses] == "KPU; Bawaslu"
    assert not ev[Events.is_demo].any()


def test_mukomuko_summary_comes_from_the_report(seed_store: Store) -> None:
    df = queries.summary(seed_store, queries.Filters(), "kabupaten")
    row = df.filter(pl.col("code") == "1706").row(0, named=True)
    assert (row["target"], row["signed"], row["unsigned"]) == (53, 48, 5)
    assert row["source"] == "laporan"
    assert round(row["rate"], 3) == 0.906


def test_demo_never_touches_seed_agencies_or_mukomuko(demo_store: Store) -> None:
    seed_ids = set(seed.load_seed().agencies[Agencies.agency_id])
    officials = demo_store.table("officials")
    assert officials[Officials.is_demo].all()
    assert not set(officials[Officials.agency_id]) & seed_ids
    assert officials.filter(pl.col(Officials.regency_code) == "1706").height == 0
    # the seed figure survives with demo data loaded
    df = queries.summary(demo_store, queries.Filters(), "kabupaten")
    row = df.filter(pl.col("code") == "1706").row(0, named=True)
    assert (row["target"], row["signed"], row["source"]) == (53, 48, "laporan")
    # no demo agency duplicates a seed agency's identity
    agencies = demo_store.table("agencies")
    assert agencies[Agencies.match_key].n_unique() == agencies.height


def test_demo_is_deterministic_and_scales(tmp_path) -> None:
    a, b = Store(tmp_path / "a.duckdb"), Store(tmp_path / "b.duckdb")
    builtin.install(a, n_officials=5_000)
    builtin.install(b, n_officials=5_000)
    cols = [Officials.nip, Officials.name, Officials.signed, Officials.agency_id]
    fa = a.query("SELECT * FROM officials ORDER BY nip").select(cols)
    fb = b.query("SELECT * FROM officials ORDER BY nip").select(cols)
    assert fa.equals(fb)
    assert fa.height == 5_000
    assert fa[Officials.nip].n_unique() == 5_000
    assert fa[Officials.nip].str.len_chars().unique().to_list() == [18]


def test_demo_rates_vary_by_region_and_level(demo_store: Store) -> None:
    off = demo_store.table("officials")
    by_prov = off.group_by(Officials.province_code).agg(pl.col(Officials.signed).mean())
    assert by_prov[Officials.signed].max() - by_prov[Officials.signed].min() > 0.15
    by_level = off.group_by(Officials.position_level).agg(pl.col(Officials.signed).mean())
    assert by_level[Officials.signed].max() - by_level[Officials.signed].min() > 0.1
    dates = off[Officials.signed_date].drop_nulls()
    assert dates.min() >= dt.date(2023, 9, 1) and dates.max() <= dt.date(2024, 4, 30)


def test_summary_matches_an_independent_computation(demo_store: Store) -> None:
    off = demo_store.table("officials")
    expected = (
        off.group_by(Officials.province_code)
        .agg(pl.len().alias("target"), pl.col(Officials.signed).sum().alias("signed"))
        .sort(Officials.province_code)
    )
    got = queries.summary(demo_store, queries.Filters(), "provinsi")
    # Bengkulu also carries the Mukomuko report (53 / 48)
    got = got.with_columns(
        pl.when(pl.col("code") == "17")
        .then(pl.col("target") - 53)
        .otherwise("target")
        .alias("target"),
        pl.when(pl.col("code") == "17")
        .then(pl.col("signed") - 48)
        .otherwise("signed")
        .alias("signed"),
    ).sort("code")
    assert got["code"].to_list() == expected[Officials.province_code].to_list()
    assert got["target"].to_list() == expected["target"].to_list()
    assert got["signed"].to_list() == expected["signed"].to_list()
