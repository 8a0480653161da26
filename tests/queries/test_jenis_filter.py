"""The PNS/PPPK filter: with ``jenis_asn`` set, every figure is the roster's officials of
that kind only, and count reports (no PNS/PPPK split) are left out; checked against an
independent Polars computation from the raw rows (the generated export and list)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import polars as pl

from dashboard import queries
from dashboard.ingest.siasn import check_target, commit_target
from dashboard.ingest.signatures import check_signatures, commit_signatures
from dashboard.queries import Filters
from dashboard.store.database import Store

_spec = importlib.util.spec_from_file_location(
    "siasn_gen", Path(__file__).resolve().parents[2] / "benchmarks" / "siasn.py"
)
gen = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["siasn_gen"] = gen
_spec.loader.exec_module(gen)  # type: ignore[union-attr]


def test_pppk_figures_are_the_pppk_officials_of_the_rosters(
    seed_store: Store, tmp_path: Path
) -> None:
    store = seed_store  # holds the Mukomuko count report (53 targeted, 48 signed)
    g = gen.generate(
        80, seed=5, instansi=["Pemerintah Kota Bengkulu"], inactive_share=0, missing_share=0.3
    )
    paths = gen.write(g, tmp_path, "kota")
    assert commit_target(check_target(paths["csv"].read_bytes(), "t.csv", store=store), store)
    sig = check_signatures(paths["signatures"].read_bytes(), "s.csv", store=store)
    assert commit_signatures(sig, store).upload_id

    export = g.export.with_columns(pl.col("NIP BARU").str.strip_chars_start("'").alias("nip"))
    signed = set(pl.read_csv(paths["signatures"], separator=";", infer_schema=False)["NIP"])
    stored = set(store.table("officials")["nip"])  # active officials the target kept
    rows = export.filter(pl.col("nip").is_in(list(stored))).with_columns(
        pl.col("nip").is_in(list(signed)).alias("done")
    )
    pppk = rows.filter(pl.col("STATUS ASN") == "PPPK")
    assert 0 < pppk.height < rows.height

    everyone = queries.headline(store, Filters())
    assert everyone.target == rows.height + 53  # the count report counts without a filter
    hl = queries.headline(store, Filters(jenis_asn=("PPPK",)))
    n_signed = int(pppk["done"].sum())
    assert (hl.target, hl.signed, hl.unsigned) == (pppk.height, n_signed, pppk.height - n_signed)
    assert hl.agencies == pppk["SATUAN KERJA KERJA NAMA"].n_unique()
    assert "laporan" not in hl.sources

    # every breakdown follows: per regency, per agency, the unsigned list and its count
    by_reg = queries.summary(store, Filters(jenis_asn=("PPPK",)), "kabupaten")
    assert by_reg.select("code", "target", "signed").rows() == [("1771", pppk.height, n_signed)]
    by_agency = queries.summary(store, Filters(jenis_asn=("PPPK",)), "instansi")
    exp_agency = (
        pppk.group_by("SATUAN KERJA KERJA NAMA")
        .agg(pl.len().cast(pl.Int64).alias("target"), pl.col("done").sum().cast(pl.Int64))
        .sort("target", "done")
    )
    assert sorted(by_agency.select("target", "signed").rows()) == sorted(
        exp_agency.select("target", "done").rows()
    )
    names = queries.unsigned_officials(
        store, Filters(jenis_asn=("PPPK",)), limit=None, personal=True
    )
    assert sorted(names["nip"]) == sorted(pppk.filter(~pl.col("done"))["nip"])
    assert queries.unsigned_count(store, Filters(jenis_asn=("PPPK",))) == pppk.height - n_signed
    by_jenis = queries.summary(store, Filters(jenis_asn=("PPPK",)), "jenis_asn")
    assert by_jenis.select("code", "target").rows() == [("PPPK", pppk.height)]
    # PNS and PPPK together are the roster; the report stays out while the filter is set
    both = queries.headline(store, Filters(jenis_asn=("PNS", "PPPK")))
    assert both.target == rows.filter(pl.col("STATUS ASN").is_in(["PNS", "PPPK"])).height
    assert queries.report_unsigned(store, Filters(jenis_asn=("PPPK",))).height == 0
