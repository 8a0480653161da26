from __future__ import annotations

import datetime as dt
import multiprocessing
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard.store import engine as store_mod
from dashboard.store.database import SCHEMA_VERSION, Store, StoreVersionError, insert_frame
from schemas import Officials


def test_missing_store_is_created(tmp_path: Path) -> None:
    s = Store(tmp_path / "sub" / "new.duckdb")
    assert not s.exists()
    s.ensure()
    assert s.exists()
    assert s.counts()["officials"] == 0
    assert s.data_version() == 0


def test_newer_schema_version_is_refused(tmp_path: Path) -> None:
    s = Store(tmp_path / "new.duckdb")
    s.ensure()
    con = duckdb.connect(str(s.path))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(StoreVersionError, match="schema version"):
        s.ensure()


def test_foreign_duckdb_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE x (a INT)")
    con.close()
    with pytest.raises(StoreVersionError, match="not a Netralitas store"):
        Store(path).ensure()


def _official(nip: str | None, name: str = "Ani") -> dict:
    return {
        Officials.nip: nip,
        Officials.name: name,
        Officials.position: "Kepala Seksi",
        Officials.position_level: "pengawas",
        Officials.agency_id: "ag-1",
        Officials.province_code: "17",
        Officials.regency_code: "1706",
        Officials.signed: True,
        Officials.signed_date: dt.date(2023, 9, 25),
        Officials.pledged: True,
        Officials.upload_id: "u1",
        Officials.is_demo: False,
    }


def test_failed_transaction_leaves_store_unchanged(store: Store) -> None:
    good = pl.DataFrame([_official("198001012005011001")])
    with store.transaction() as con:
        insert_frame(con, "officials", good)
    version = store.data_version()
    bad = pl.DataFrame([_official("198001012005011002"), _official("1.98E+17")])
    with pytest.raises(Exception), store.transaction() as con:  # noqa: B017
        insert_frame(con, "officials", bad.head(1))  # written ...
        insert_frame(con, "officials", bad)  # ... then the batch fails validation
    assert store.counts()["officials"] == 1
    assert store.data_version() == version


def test_writes_bump_data_version(store: Store) -> None:
    before = store.data_version()
    with store.transaction() as con:
        insert_frame(con, "officials", pl.DataFrame([_official("198001012005011001")]))
    assert store.data_version() == before + 1


def _hold_lock(
    path: str, ready: multiprocessing.synchronize.Event, release: multiprocessing.synchronize.Event
) -> None:
    """Hold the file until told to let go (not for a while: a loaded machine may not get
    back to the test before a fixed while is over)."""
    con = duckdb.connect(path)
    ready.set()
    release.wait(300)
    con.close()


def test_other_process_holding_the_file_is_waited_for_then_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "held.duckdb")
    store.ensure()
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_hold_lock, args=(str(store.path), ready, release))
    proc.start()
    try:
        # the holder either takes the file or dies; a dead holder is reported, not waited for
        while not ready.wait(0.2):
            assert proc.is_alive(), f"the holding process ended first (exit {proc.exitcode})"
        monkeypatch.setattr(store_mod, "LOCK_WAIT_SECONDS", 0.3)
        with pytest.raises(store_mod.StoreBusy, match="busy"):
            store.counts()
        monkeypatch.setattr(store_mod, "LOCK_WAIT_SECONDS", 300.0)
        release.set()
        # waits for the other process to let go, then succeeds
        assert store.counts()["officials"] == 0
    finally:
        release.set()
        proc.join(300)


def test_a_new_store_holds_the_reference_regions(store: Store) -> None:
    # names and filters must work whatever the first data is (an import, not the demo)
    from dashboard.domain import regions

    counts = store.query("SELECT level, count(*) AS n FROM regions GROUP BY level ORDER BY level")
    expected = regions.load_regions().group_by("level").len().sort("level")
    assert counts["n"].to_list() == expected["len"].to_list()
    assert dict(zip(counts["level"], counts["n"], strict=True))["provinsi"] == 38
    aliases = store.query("SELECT count(*) AS n FROM region_aliases")["n"][0]
    assert aliases == regions.load_aliases().height > 0
