"""The printable briefing: figures from raw rows, self-contained, every data value escaped."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import polars as pl
from independent_figures import agency_figures, en_pct, id_int, id_pct, totals

from dashboard.queries.filters import Filters
from dashboard.render import briefing
from dashboard.store.database import Store


def test_national_briefing_figures(demo_store: Store) -> None:
    doc = briefing.build_html(demo_store, Filters(), "id")
    tot = totals(agency_figures(demo_store))
    assert f'<div class="value">{id_int(tot["target"])}</div>' in doc
    assert f'<div class="value">{id_int(tot["done"])}</div>' in doc
    assert f'<div class="value">{id_int(tot["undone"])}</div>' in doc
    assert f'<div class="value">{id_pct(tot["rate"])}</div>' in doc
    assert "Briefing Netralitas ASN — Nasional" in doc
    assert "Menampilkan data contoh (sintetis)" in doc
    assert doc.count("<path ") == 38


def test_briefing_is_self_contained(demo_store: Store) -> None:
    doc = briefing.build_html(demo_store, Filters(provinces=("62",)), "en")
    assert "<script" not in doc
    assert not re.search(r"(src|href)\s*=", doc)
    urls = set(re.findall(r"https?://[^\s\"'<>]+", doc))
    assert urls == {"http://www.w3.org/2000/svg"}  # the SVG namespace, not a fetch
    assert "@page { size: A4 portrait" in doc
    assert "ASN Neutrality Briefing — Kalimantan Tengah" in doc


def test_unsigned_by_level_matches_raw_rows(demo_store: Store) -> None:
    f = Filters(provinces=("62",))
    data = briefing.collect(demo_store, f, "id")
    officials = (
        demo_store.table("officials")
        .filter(pl.col("superseded_by").is_null())
        .join(
            demo_store.table("agencies").select("agency_id", pl.col("province_code").alias("p")),
            on="agency_id",
        )
        .filter(pl.col("p") == "62")
    )
    today = dt.date.today()
    undone = officials.filter(
        ~(pl.col("signed") & (pl.col("signed_date").is_null() | (pl.col("signed_date") <= today)))
    )
    expected = dict(undone.group_by("position_level").len().iter_rows())
    got = dict(data.by_position.select("position_level", "unsigned").iter_rows())
    assert got == expected
    assert data.unsigned_without_level == 0  # Kalteng has no reports
    national = briefing.collect(demo_store, Filters(), "id")
    assert national.unsigned_without_level == 5  # Mukomuko: 53 targeted, 48 signed
    doc = briefing.render_html(national)
    assert "Tanpa rincian jenjang (laporan)" in doc


def test_lowest_regions_are_the_lowest(demo_store: Store) -> None:
    data = briefing.collect(demo_store, Filters(), "en")
    by_prov = (
        agency_figures(demo_store)
        .group_by("province_code")
        .agg((pl.col("done").sum() / pl.col("target").sum()).alias("rate"))
        .sort("rate")
    )
    assert data.lowest_regions.height == 10
    assert data.lowest_regions["rate"].to_list() == by_prov["rate"].head(10).to_list()
    doc = briefing.render_html(data)
    assert en_pct(by_prov["rate"][0]) in doc


def test_every_data_value_is_escaped(demo_store: Store) -> None:
    data = briefing.collect(demo_store, Filters(), "id")
    evil = "<script>alert('x')</script>"
    agencies = data.lowest_agencies.with_columns(
        pl.lit(evil).alias("name"), pl.lit('"><img onerror=1>').alias("region_name")
    )
    doc = briefing.render_html(
        dataclasses.replace(data, lowest_agencies=agencies, scope=evil, filter_lines=(evil,))
    )
    assert "<script" not in doc
    assert "<img" not in doc
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in doc


def test_filter_without_data_says_so(demo_store: Store) -> None:
    doc = briefing.build_html(demo_store, Filters(agency_levels=("pusat",)), "id")
    assert "Tidak ada data untuk filter ini" in doc
    assert "Tingkat instansi: Pusat" in doc


def test_file_name() -> None:
    f = Filters(provinces=("17", "62"), date_to=dt.date(2024, 2, 14))
    assert briefing.file_name(f) == "briefing-netralitas-17-62-2024-02-14.html"
    assert briefing.file_name(Filters(date_to=dt.date(2024, 2, 14))) == (
        "briefing-netralitas-nasional-2024-02-14.html"
    )
