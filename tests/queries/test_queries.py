"""The compliance query layer against independent Polars computations on raw rows."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import polars as pl
import pytest

from dashboard import queries
from dashboard.store import engine as store_mod
from dashboard.store.database import Store
from schemas import Officials


def _expected(off: pl.DataFrame, as_of: dt.date, by: str) -> pl.DataFrame:
    counted = pl.col(Officials.signed) & (
        pl.col(Officials.signed_date).is_null() | (pl.col(Officials.signed_date) <= as_of)
    )
    return off.group_by(by).agg(pl.len().alias("target"), counted.sum().alias("signed")).sort(by)


@pytest.mark.parametrize("as_of", [dt.date(2023, 10, 15), dt.date(2023, 12, 1), None])
def test_as_of_counts_only_signatures_up_to_that_day(demo_store: Store, as_of) -> None:
    f = queries.Filters(date_to=as_of, provinces=("62", "34"))
    got = queries.summary(demo_store, f, "provinsi").sort("code")
    off = demo_store.table("officials").filter(pl.col(Officials.province_code).is_in(["62", "34"]))
    exp = _expected(off, as_of or dt.date.today(), Officials.province_code)
    assert got["code"].to_list() == exp[Officials.province_code].to_list()
    assert got["target"].to_list() == exp["target"].to_list()
    assert got["signed"].to_list() == exp["signed"].to_list()


def test_pledge_measure_and_position_filter(demo_store: Store) -> None:
    f = queries.Filters(measure="ikrar", position_levels=("pengawas", "administrator"))
    got = queries.headline(demo_store, f)
    off = demo_store.table("officials").filter(
        pl.col(Officials.position_level).is_in(["pengawas", "administrator"])
    )
    assert got.target == off.height
    assert got.signed == off[Officials.pledged].sum()
    # reports have no position breakdown: the Mukomuko report is left out
    assert "laporan" not in got.sources


def test_excluding_demo_leaves_only_real_figures(demo_store: Store) -> None:
    got = queries.headline(demo_store, queries.Filters(include_demo=False))
    assert (got.target, got.signed, got.unsigned, got.sources) == (53, 48, 5, ("laporan",))
    assert got.events == 5


def test_regency_grouping_keeps_provincial_agencies_apart(demo_store: Store) -> None:
    got = queries.summary(demo_store, queries.Filters(provinces=("62",)), "kabupaten")
    provincial = got.filter(pl.col("provincial_level"))
    assert provincial["code"].to_list() == ["62"]
    off = demo_store.table("officials").filter(pl.col(Officials.province_code) == "62")
    prov_rows = off.filter(pl.col(Officials.regency_code).is_null())
    assert provincial["target"][0] == prov_rows.height
    assert got["target"].sum() == off.height


def test_scope_limits_everything(demo_store: Store) -> None:
    f = queries.Filters(scope_provinces=("17",))
    got = queries.summary(demo_store, f, "kabupaten")
    assert set(got["province_code"]) == {"17"}
    assert "1706" in set(got["code"])
    # a UI filter outside the scope yields nothing rather than the other province
    assert (
        queries.summary(
            demo_store, queries.Filters(provinces=("62",), scope_provinces=("17",)), "provinsi"
        ).height
        == 0
    )


def _other_process_can_open(path: str) -> bool:
    code = (
        "import duckdb, sys\n"
        "try:\n    duckdb.connect(sys.argv[1]).close()\nexcept duckdb.Error:\n    sys.exit(3)\n"
    )
    return subprocess.run([sys.executable, "-c", code, path], timeout=60).returncode == 0


def test_keep_alive_holds_the_file_briefly_then_releases_it(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(store_mod, "KEEP_ALIVE_SECONDS", 600.0)  # the janitor will not close it
    s = Store(tmp_path / "k.duckdb", keep_alive=True)
    s.ensure()
    assert s.counts()["officials"] == 0
    assert not _other_process_can_open(str(s.path))  # held open between queries
    store_mod._KEEP_ALIVE.close_idle(0.0)
    assert _other_process_can_open(str(s.path))  # released once idle


def test_a_brand_new_store_answers_with_zeros(tmp_path) -> None:
    s = Store(tmp_path / "new.duckdb")
    h = queries.headline(s, queries.Filters())
    assert (h.target, h.signed, h.unsigned, h.rate, h.events) == (0, 0, 0, None, 0)
    assert queries.summary(s, queries.Filters(), "kabupaten").height == 0
