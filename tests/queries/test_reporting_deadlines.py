"""Agencies that reported by their deadline: the query layer against an independent Polars
computation from the raw rows (uploads, signature lists, rosters, reports, deadlines)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import i18n, queries
from dashboard.access import auth
from dashboard.access import followup as fa
from dashboard.followup.overdue import resolve_deadlines
from dashboard.ingest.siasn import check_target, commit_target
from dashboard.ingest.signatures import check_signatures, commit_signatures
from dashboard.queries import Filters
from dashboard.store.database import ENV_STORE, Store

_spec = importlib.util.spec_from_file_location(
    "siasn_gen", Path(__file__).resolve().parents[2] / "benchmarks" / "siasn.py"
)
gen = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["siasn_gen"] = gen
_spec.loader.exec_module(gen)  # type: ignore[union-attr]

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "web" / "app.py")
TODAY = dt.date.today()
ADMIN = auth.User("adm", "admin")


def _expected(store: Store, campaign: str = "pakta") -> pl.DataFrame:
    """Per agency with a figure: reported, due date, first report day, from the raw tables."""
    officials = store.table("officials")
    every_upload = store.table("uploads")
    uploads = every_upload.filter(
        (pl.col("status") == "committed") & pl.col("kind").is_in(["roster", "tanda_tangan"])
    )
    current = officials.filter(pl.col("superseded_by").is_null())
    sigs = store.table("signatures")
    links = pl.concat(
        [
            sigs.join(current, on="nip").select("agency_id", "upload_id"),
            officials.select("agency_id", "upload_id"),
            store.table("signature_reports").select("agency_id", "upload_id"),
        ]
    )
    first = (
        links.join(uploads, on="upload_id")
        .group_by("agency_id")
        .agg(pl.col("uploaded_at").min().dt.date().alias("first_on"))
    )
    # reported: a list names one of its officials or its roster came with status
    targets = every_upload.filter(pl.col("kind") == "sasaran")["upload_id"]
    reported = current.with_columns(
        (
            pl.col("nip").is_in(sigs["nip"].implode())
            | ~pl.col("upload_id").is_in(targets.implode())
        ).alias("r")
    )
    per_agency = reported.group_by("agency_id").agg(pl.col("r").any().alias("reported"))
    due = resolve_deadlines(per_agency["agency_id"], store.table("followup_deadlines"), campaign)
    return per_agency.join(due, on="agency_id").join(first, on="agency_id", how="left")


def _counts(df: pl.DataFrame) -> tuple[int, int, int]:
    on_time = df.filter(
        pl.col("reported") & (pl.col("first_on") <= pl.col("due_date")).fill_null(False)
    ).height
    return df.filter(pl.col("reported")).height, on_time, df["due_date"].null_count()


def test_agencies_reported_by_their_deadline(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    g = gen.generate(
        60,
        seed=11,
        instansi=["Pemerintah Kabupaten Mukomuko", "Pemerintah Kota Bengkulu"],
        inactive_share=0,
        missing_share=0,
    )
    export = g.export.with_columns(pl.col("NIP BARU").str.strip_chars_start("'").alias("nip"))
    muko = export.filter(pl.col("INSTANSI INDUK NAMA") == "Pemerintah Kabupaten Mukomuko")
    only_muko = gen.Generated(
        export=g.export, signatures=g.signatures.filter(pl.col("NIP").is_in(muko["nip"].implode()))
    )
    paths = gen.write(only_muko, tmp_path, "two")
    assert commit_target(check_target(paths["csv"].read_bytes(), "t.csv", store=store), store)
    sig = check_signatures(paths["signatures"].read_bytes(), "s.csv", store=store)
    assert commit_signatures(sig, store).upload_id

    # no deadline yet: every targeted agency is counted as having none, none on time
    hl = queries.headline(store, Filters())
    assert (hl.agencies_on_time, hl.agencies_without_deadline) == (0, hl.agencies)
    assert hl.agencies_reported > 0

    # the campaign's deadline is ahead; one reporting agency's own deadline was yesterday,
    # and one silent agency has its own deadline too
    reporting = sorted(
        queries.summary(store, Filters(), "instansi")
        .filter(pl.col("agencies_reported") == 1)["code"]
        .to_list()
    )
    silent = sorted(queries.agencies_not_reported(store, Filters())["agency_id"].to_list())
    fa.set_deadline(store, ADMIN, TODAY + dt.timedelta(days=3))
    fa.set_deadline(store, ADMIN, TODAY - dt.timedelta(days=1), agency_id=reporting[0])
    fa.set_deadline(store, ADMIN, TODAY + dt.timedelta(days=9), agency_id=silent[0])
    # a deadline of the other campaign changes nothing here
    fa.set_deadline(store, ADMIN, TODAY - dt.timedelta(days=30), campaign="ikrar")

    expected = _expected(store)
    n_reported, n_on_time, n_no_deadline = _counts(expected)
    assert (n_reported, n_on_time, n_no_deadline) == (len(reporting), len(reporting) - 1, 0)
    hl = queries.headline(store, Filters())
    assert (hl.agencies_reported, hl.agencies_on_time, hl.agencies_without_deadline) == (
        n_reported,
        n_on_time,
        n_no_deadline,
    )
    # per regency and per agency (netralitas summary --json shows these columns)
    by_reg = queries.summary(store, Filters(), "kabupaten").sort("code")
    agency_reg = store.table("agencies").select("agency_id", "regency_code")
    exp_reg = (
        expected.join(agency_reg, on="agency_id")
        .group_by("regency_code")
        .agg(
            (pl.col("reported") & (pl.col("first_on") <= pl.col("due_date")).fill_null(False))
            .sum()
            .cast(pl.Int64)
            .alias("agencies_on_time"),
            pl.col("due_date").is_null().sum().cast(pl.Int64).alias("agencies_without_deadline"),
        )
        .sort("regency_code")
    )
    assert (
        by_reg.select("agencies_on_time", "agencies_without_deadline").rows()
        == exp_reg.select("agencies_on_time", "agencies_without_deadline").rows()
    )
    by_agency = queries.summary(store, Filters(), "instansi")
    late = by_agency.filter(pl.col("code") == reporting[0]).row(0, named=True)
    assert late["agencies_on_time"] == 0 and late["first_reported_on"] > late["due_date"]
    assert int(by_agency["agencies_on_time"].sum()) == n_on_time

    # the pledge measure reads the pledge campaign: its deadline has passed for everyone
    ikrar = _expected(store, "ikrar")
    hl_ikrar = queries.headline(store, Filters(measure="ikrar"))
    assert (hl_ikrar.agencies_on_time, hl_ikrar.agencies_without_deadline) == _counts(ikrar)[1:]
    assert hl_ikrar.agencies_on_time == 0

    # and Ringkasan says the same, in words, for the signature measure
    monkeypatch.setenv(ENV_STORE, store.location)
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    line = i18n.t(
        "overview.on_time",
        on_time=f"{n_on_time:,}".replace(",", "."),
        reported=f"{n_reported:,}".replace(",", "."),
    )
    assert any(c.value.startswith(line) for c in at.caption), [c.value for c in at.caption]
