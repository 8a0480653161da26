"""``store copy``: an office's store moved between a DuckDB file and PostgreSQL and back."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polars as pl
import pytest
from cli_inprocess import invoke

from dashboard import queries
from dashboard.store.copy import CopyError, copy_store
from dashboard.store.database import TABLE_NAMES, Store
from tests.conftest import new_store

BIN = Path(sys.executable).with_name("netralitas")


def _other(backend: str) -> str:
    return "duckdb" if backend == "postgresql" else "postgresql"


def _figures(store: Store) -> dict[str, pl.DataFrame]:
    out = {}
    for measure in queries.MEASURES:
        f = queries.Filters(measure=measure)
        for by in queries.GROUPINGS:
            out[f"{measure}/{by}"] = queries.summary(store, f, by).sort("code")
        out[f"{measure}/headline"] = pl.DataFrame([queries.headline(store, f).__dict__])
    return out


def _tables(store: Store) -> dict[str, pl.DataFrame]:
    return {t: (df := store.table(t)).sort(df.columns, nulls_last=True) for t in TABLE_NAMES}


def test_round_trip_keeps_every_row_and_every_figure(
    request: pytest.FixtureRequest, backend: str, demo_store: Store, tmp_path: Path
) -> None:
    there = new_store(request, _other(backend), tmp_path, "there")
    back = new_store(request, backend, tmp_path, "back")
    copied = copy_store(demo_store, there)
    copy_store(there, back)
    assert copied.rows["officials"] == demo_store.counts()["officials"] == 20_000
    original = _tables(demo_store)
    for store in (there, back):
        tables = _tables(store)
        for t in TABLE_NAMES:
            assert tables[t].equals(original[t]), t
    expected = _figures(demo_store)
    for store in (there, back):
        got = _figures(store)
        for key, frame in expected.items():
            assert got[key].equals(frame), key


def test_a_target_holding_data_is_refused_and_left_alone(
    request: pytest.FixtureRequest, backend: str, seed_store: Store, tmp_path: Path
) -> None:
    target = new_store(request, _other(backend), tmp_path, "full")
    copy_store(seed_store, target)
    before = target.counts()
    with pytest.raises(CopyError, match="already holds data"):
        copy_store(seed_store, target)
    assert target.counts() == before
    with pytest.raises(CopyError, match="same store"):
        copy_store(seed_store, Store(seed_store.location))


def test_cli_copies_into_a_new_store(
    request: pytest.FixtureRequest, backend: str, seed_store: Store, tmp_path: Path
) -> None:
    target = new_store(request, _other(backend), tmp_path, "cli")
    out = invoke("store", "copy", "--from", seed_store.location, "--to", target.location, "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["rows"]["events"] == target.counts()["events"] == 5
    again = invoke("store", "copy", "--from", seed_store.location, "--to", target.location)
    assert again.returncode == 1 and "already holds data" in again.stderr
    assert "Traceback" not in again.stderr
