"""Write a synthetic roster CSV in the canonical upload columns, as an office would send it.

Built from the demo generator (same agencies, names, NIPs), so a benchmark
imports realistic text: region names instead of codes, "Sudah"/"Belum",
dd/mm/yyyy dates.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import polars as pl

from dashboard.domain import regions
from dashboard.ingest import columns as C
from dashboard.install import demo, seed
from schemas import Agencies, Officials, Regions

LEVEL_LABELS = {
    "pejabat_negara": "Pejabat Negara",
    "jpt_madya": "JPT Madya",
    "jpt_pratama": "JPT Pratama",
    "administrator": "Administrator",
    "pengawas": "Pengawas",
    "fungsional": "Fungsional",
    "pelaksana": "Pelaksana",
    "pppk": "PPPK",
}


def roster_frame(n_officials: int) -> pl.DataFrame:
    sd = seed.load_seed()
    data = demo.generate(
        regions.load_regions(), sd.agencies, sd.skip_regency_codes(), n_officials=n_officials
    )
    names = regions.load_regions().select(Regions.code, Regions.name)
    prov = names.rename({Regions.code: Officials.province_code, Regions.name: C.PROVINSI})
    reg = names.rename({Regions.code: Officials.regency_code, Regions.name: C.KABUPATEN_KOTA})
    ag = data.agencies.select(
        pl.col(Agencies.agency_id).alias(Officials.agency_id),
        pl.col(Agencies.name).alias(C.INSTANSI),
    )
    off = (
        data.officials.join(ag, on=Officials.agency_id, how="left")
        .join(prov, on=Officials.province_code, how="left")
        .join(reg, on=Officials.regency_code, how="left")
    )
    return off.select(
        pl.col(Officials.nip).alias(C.NIP),
        pl.col(Officials.name).alias(C.NAMA),
        pl.col(Officials.position).alias(C.JABATAN),
        pl.col(Officials.position_level).replace_strict(LEVEL_LABELS).alias(C.JENJANG),
        pl.col(C.INSTANSI),
        pl.lit(None, dtype=pl.String).alias(C.UNIT_KERJA),
        pl.col(C.PROVINSI),
        pl.col(C.KABUPATEN_KOTA),
        pl.when(pl.col(Officials.signed))
        .then(pl.lit("Sudah"))
        .otherwise(pl.lit("Belum"))
        .alias(C.STATUS),
        pl.col(Officials.signed_date).dt.strftime("%d/%m/%Y").alias(C.TANGGAL),
        pl.when(pl.col(Officials.pledged))
        .then(pl.lit("ya"))
        .otherwise(pl.lit("tidak"))
        .alias(C.IKRAR),
        pl.lit(None, dtype=pl.String).alias(C.KETERANGAN),
    )


def write_roster_csv(path: Path, n_officials: int) -> int:
    df = roster_frame(n_officials)
    path.parent.mkdir(parents=True, exist_ok=True)
    df.write_csv(path)
    return df.height


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("path", type=Path)
    ap.add_argument("--officials", type=int, default=1_000_000)
    args = ap.parse_args()
    print(write_roster_csv(args.path, args.officials), "rows ->", args.path)
