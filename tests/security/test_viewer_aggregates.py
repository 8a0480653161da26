"""Viewers get aggregates only: no row per unsigned person, small cells suppressed, and the
download (counts) is audited like the named list is.

A position inside an agency names its holder ("Kepala Dinas X": one person), so a list of
positions with agency and region re-identifies people without a single name. The page is
driven as a viewer with AppTest over a real store; the figures are recomputed from the raw
roster rows with Polars.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import polars as pl
import pytest
from security_apptest import deferred_file, recording_media_managers, signed_in
from streamlit.testing.v1 import AppTest

from dashboard import i18n
from dashboard.access import audit, auth
from dashboard.install import builtin
from dashboard.store.database import Store

VIEWER, PASSWORD = "pemantau", "pemantau-rahasia-1"
SMALL = 3  # cells of fewer people are suppressed (the rule, stated independently of the code)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    s = Store(tmp_path_factory.mktemp("aggregates") / "store.duckdb")
    builtin.install(s, with_demo=True, n_officials=20_000)
    auth.add_user(s, VIEWER, "viewer", password=PASSWORD, actor="test")
    return s


def _t(key: str) -> str:
    return i18n.t(key, "id")


def _expected_cells(store: Store) -> pl.DataFrame:
    """Unsigned current roster officials per agency and position level, from raw rows."""
    today = dt.date.today()
    done = pl.col("signed") & (pl.col("signed_date").is_null() | (pl.col("signed_date") <= today))
    return (
        store.table("officials")
        .filter(pl.col("superseded_by").is_null() & ~done)
        .group_by("agency_id", "position_level")
        .len("unsigned")
    )


def _viewer_on_unsigned_page(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AppTest:
    return signed_in(store, VIEWER, PASSWORD, tmp_path, monkeypatch, "views/unsigned.py")


def test_viewer_sees_counts_not_people(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _viewer_on_unsigned_page(store, tmp_path, monkeypatch)
    ctx = at.session_state["_netralitas_ctx"]
    expected = _expected_cells(store)
    shown_n = expected.filter(pl.col("unsigned") >= SMALL)
    hidden = expected.filter(pl.col("unsigned") < SMALL)
    assert shown_n.height > 0 and hidden.height > 0  # the data exercises both sides

    tables = [df.value for df in at.dataframe]
    headers = {str(c) for t in tables for c in t.columns}
    for personal in ("lead.col.position", "col.name", "lead.col.nip", "lead.col.days"):
        assert _t(personal) not in headers, personal
    cells = next(t for t in tables if _t("lead.col.not_done.pakta") in t.columns)
    assert {str(c) for c in cells.columns} == {
        _t("col.agency"),
        _t("col.position_level"),
        _t("lead.col.region"),
        _t("lead.col.not_done.pakta"),
    }
    counts = [int(v) for v in cells[_t("lead.col.not_done.pakta")]]
    assert counts and min(counts) >= SMALL  # no small cell on screen
    assert counts == sorted(counts, reverse=True)[: len(counts)]
    assert counts[0] == shown_n["unsigned"].max()
    captions = " ".join(c.value for c in at.caption)
    assert ctx.num(hidden.height) in captions and ctx.num(int(hidden["unsigned"].sum())) in captions


def test_viewer_download_is_counts_and_audited(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    managers = recording_media_managers(monkeypatch)
    at = _viewer_on_unsigned_page(store, tmp_path, monkeypatch)
    before = audit.log(store, actions=("download",)).height
    button = next(b for b in at.get("download_button") if b.label == _t("shell.download_csv"))
    data = deferred_file(managers[-1], str(button.proto.deferred_file_id))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cut = rows.index([])  # first the lines that say what the file holds, then an empty row
    assert rows[0][0].startswith(_t("nav.unsigned"))
    header, body = rows[cut + 1], rows[cut + 2 :]
    assert _t("lead.col.position") not in header and _t("col.name") not in header
    assert _t("col.agency") in header
    expected = _expected_cells(store).filter(pl.col("unsigned") >= SMALL)
    assert len(body) == expected.height
    counts = sorted(int(r[header.index(_t("lead.col.not_done.pakta"))]) for r in body)
    assert counts == sorted(expected["unsigned"].to_list())
    log = audit.log(store, actions=("download",))
    assert log.height == before + 1
    row = log.row(0, named=True)
    assert (row["actor"], row["target"], row["outcome"]) == (VIEWER, "unsigned_counts", "ok")
