"""Synthetic SIASN "Export Data ASN" files and matching signature lists (tests, benchmarks).

Every province and regency/city government with its OPD, and a few ministries; PNS NIPs
(birth date, start of service YYYYMM, sex, serial) and PPPK NIs (birth date, appointment
year, the digit 2, contract count, sex, serial) as /work/shared/SOURCES.md describes; the
full column set, values prefixed with ``'`` and empty ones written ``null`` as the
exporter does; a share of officials not in active service; a signature list of the active
officials with a known share missing. Columnar (numpy + Polars), fixed seed.

    python benchmarks/siasn.py --rows 1000000 --out var/siasn   # siasn_1000000.csv (|) + signatures
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

COLUMNS = [
    "PNS ID",
    "NIP BARU",
    "NIP LAMA",
    "NAMA",
    "GELAR DEPAN",
    "GELAR BELAKANG",
    "TEMPAT LAHIR ID",
    "TEMPAT LAHIR NAMA",
    "TANGGAL LAHIR",
    "JENIS KELAMIN",
    "AGAMA ID",
    "AGAMA NAMA",
    "JENIS KAWIN ID",
    "JENIS KAWIN NAMA",
    "NIK",
    "NOMOR HP",
    "EMAIL",
    "EMAIL GOV",
    "ALAMAT",
    "NPWP NOMOR",
    "BPJS",
    "JENIS PEGAWAI ID",
    "JENIS PEGAWAI NAMA",
    "KEDUDUKAN HUKUM ID",
    "KEDUDUKAN HUKUM NAMA",
    "STATUS CPNS PNS",
    "KARTU ASN VIRTUAL",
    "NOMOR SK CPNS",
    "TANGGAL SK CPNS",
    "TMT CPNS",
    "NOMOR SK PNS",
    "TANGGAL SK PNS",
    "TMT PNS",
    "GOL AWAL ID",
    "GOL AWAL NAMA",
    "GOL AKHIR ID",
    "GOL AKHIR NAMA",
    "TMT GOLONGAN",
    "MK TAHUN",
    "MK BULAN",
    "JENIS JABATAN ID",
    "JENIS JABATAN NAMA",
    "JABATAN ID",
    "JABATAN NAMA",
    "TMT JABATAN",
    "TINGKAT PENDIDIKAN ID",
    "TINGKAT PENDIDIKAN NAMA",
    "PENDIDIKAN ID",
    "PENDIDIKAN NAMA",
    "TAHUN LULUS",
    "KPKN ID",
    "KPKN NAMA",
    "LOKASI KERJA ID",
    "LOKASI KERJA NAMA",
    "UNOR ID",
    "UNOR NAMA",
    "INSTANSI INDUK ID",
    "INSTANSI INDUK NAMA",
    "INSTANSI KERJA ID",
    "INSTANSI KERJA NAMA",
    "SATUAN KERJA INDUK ID",
    "SATUAN KERJA INDUK NAMA",
    "SATUAN KERJA KERJA ID",
    "SATUAN KERJA KERJA NAMA",
    "STATUS ASN",
    "ESELON ID",
    "ESELON NAMA",
]

OPD = (
    "Sekretariat Daerah",
    "Dinas Pendidikan",
    "Dinas Kesehatan",
    "Badan Kepegawaian Daerah",
    "Inspektorat",
    "Dinas Pekerjaan Umum",
    "Badan Kesatuan Bangsa dan Politik",
    "Sekretariat DPRD",
)
MINISTRIES = ("Kementerian Dalam Negeri", "Kementerian Agama", "Badan Kepegawaian Negara")
# (KEDUDUKAN HUKUM ID, NAMA) of officials not in active service
INACTIVE = (("02", "CLTN"), ("77", "Pensiun"), ("99", "Meninggal"))
POSITIONS = (  # (JENIS JABATAN NAMA, JABATAN NAMA, ESELON NAMA)
    ("Struktural", "Kepala Dinas", "II.a"),
    ("Struktural", "Kepala Bidang", "III.a"),
    ("Struktural", "Kepala Seksi", "IV.a"),
    ("Fungsional", "Analis Kebijakan Ahli Muda", "null"),
    ("Fungsional", "Guru Ahli Pertama", "null"),
    ("Pelaksana", "Pengadministrasi Umum", "null"),
)
FIRST = ("Ani", "Budi", "Citra", "Dedi", "Eka", "Fajar", "Gita", "Hadi", "Indah", "Joko")
LAST = ("Saputra", "Lestari", "Wijaya", "Siregar", "Nasution", "Hidayat", "Pratama", "Sari")


def instansi_names() -> list[str]:
    """Every regional government of the bundled region table, then the ministries."""
    from dashboard.domain import regions

    r = regions.load_regions().sort("code")
    names = [
        ("Pemerintah Provinsi " if lvl == "provinsi" else "Pemerintah ") + name
        for name, lvl in zip(r["name"], r["level"], strict=True)
    ]
    return names + list(MINISTRIES)


@dataclass(frozen=True)
class Generated:
    export: pl.DataFrame  # the SIASN export, every column text as written
    signatures: pl.DataFrame  # NIP, NAMA, TANGGAL, JENIS, UNIT KERJA (text)


def generate(
    rows: int,
    *,
    seed: int = 21,
    instansi: list[str] | None = None,
    inactive_share: float = 0.05,
    pppk_share: float = 0.2,
    missing_share: float = 0.1,
    signed_from: dt.date = dt.date(2023, 9, 18),
) -> Generated:
    """``rows`` officials over ``instansi`` (default: the whole country; the first rows
    give every instansi one official); the signature list leaves out ``missing_share`` of
    the active officials (exactly, rounded down)."""
    rng = np.random.default_rng(seed)
    names = instansi or instansi_names()
    which = np.concatenate(
        [np.arange(min(rows, len(names))), rng.integers(0, len(names), max(0, rows - len(names)))]
    )
    inst = np.array(names, dtype=object)[which]
    opd = np.array(OPD, dtype=object)[rng.integers(0, len(OPD), rows)]
    pppk = rng.random(rows) < pppk_share
    birth = (
        np.datetime64("1965-01-01") + rng.integers(0, 365 * 34, rows).astype("timedelta64[D]")
    ).astype("datetime64[D]")
    birth_txt = pl.Series(birth).dt.strftime("%Y%m%d")
    byear = pl.Series(birth).dt.year().to_numpy()
    start_year = np.minimum(byear + rng.integers(20, 30, rows), 2022)
    start_month = rng.integers(1, 13, rows)
    sex = rng.integers(1, 3, rows)
    serial = np.arange(rows) % 1000 + 0
    pppk_year = rng.integers(2019, 2025, rows)
    contract = rng.integers(1, 4, rows)
    df = pl.DataFrame(
        {
            "_b": birth_txt,
            "_sy": start_year,
            "_sm": start_month,
            "_sex": sex,
            "_ser": serial,
            "_py": pppk_year,
            "_k": contract,
            "_pppk": pppk,
            "_inst": pl.Series(inst.tolist(), dtype=pl.String),
            "_opd": pl.Series(opd.tolist(), dtype=pl.String),
            "_pos": rng.integers(0, len(POSITIONS), rows),
            "_inactive": rng.random(rows) < inactive_share,
            "_why": rng.integers(0, len(INACTIVE), rows),
            "_f": rng.integers(0, len(FIRST), rows),
            "_l": rng.integers(0, len(LAST), rows),
            "_i": np.arange(rows),
        }
    )
    nip = (
        pl.when(pl.col("_pppk"))
        .then(
            pl.concat_str(
                pl.col("_b"),
                pl.col("_py").cast(pl.String),
                pl.lit("2"),
                pl.col("_k").cast(pl.String),
                pl.col("_sex").cast(pl.String),
                pl.col("_ser").cast(pl.String).str.zfill(3),
            )
        )
        .otherwise(
            pl.concat_str(
                pl.col("_b"),
                pl.col("_sy").cast(pl.String),
                pl.col("_sm").cast(pl.String).str.zfill(2),
                pl.col("_sex").cast(pl.String),
                pl.col("_ser").cast(pl.String).str.zfill(3),
            )
        )
    )
    df = df.with_columns(nip.alias("_nip")).unique("_nip", keep="first", maintain_order=True)
    pos = pl.DataFrame(
        {
            "_pos": list(range(len(POSITIONS))),
            "_jj": [p[0] for p in POSITIONS],
            "_jab": [p[1] for p in POSITIONS],
            "_es": [p[2] for p in POSITIONS],
        }
    )
    why = pl.DataFrame(
        {
            "_why": list(range(len(INACTIVE))),
            "_kid": [w[0] for w in INACTIVE],
            "_kname": [w[1] for w in INACTIVE],
        }
    )
    df = df.join(pos, on="_pos", how="left").join(why, on="_why", how="left")
    central = pl.col("_inst").is_in(list(MINISTRIES))
    unit = pl.when(central).then(pl.lit("Biro Umum")).otherwise(pl.col("_opd"))
    name = pl.concat_str(
        pl.lit("'"),
        pl.col("_f").replace_strict(dict(enumerate(FIRST)), return_dtype=pl.String),
        pl.lit(" "),
        pl.col("_l").replace_strict(dict(enumerate(LAST)), return_dtype=pl.String),
        pl.lit(" "),
        pl.col("_i").cast(pl.String),
    )
    kid = (
        pl.when(pl.col("_inactive"))
        .then(pl.col("_kid"))
        .when(pl.col("_pppk"))
        .then(pl.lit("71"))
        .otherwise(pl.lit("01"))
    )
    kname = (
        pl.when(pl.col("_inactive"))
        .then(pl.col("_kname"))
        .when(pl.col("_pppk"))
        .then(pl.lit("PPPK Aktif"))
        .otherwise(pl.lit("Aktif"))
    )
    values: dict[str, pl.Expr] = {
        "PNS ID": pl.concat_str(pl.lit("A8ACA7"), pl.col("_i").cast(pl.String)),
        "NIP BARU": pl.concat_str(pl.lit("'"), pl.col("_nip")),
        "NIP LAMA": pl.lit("null"),
        "NAMA": name,
        "GELAR DEPAN": pl.lit("null"),
        "GELAR BELAKANG": pl.when(pl.col("_pos") < 3)
        .then(pl.lit("S.Sos"))
        .otherwise(pl.lit("null")),
        "TANGGAL LAHIR": pl.col("_b").str.strptime(pl.Date, "%Y%m%d").dt.strftime("%d-%m-%Y"),
        "JENIS KELAMIN": pl.when(pl.col("_sex") == 1).then(pl.lit("M")).otherwise(pl.lit("F")),
        "NIK": pl.concat_str(pl.lit("'3201"), pl.col("_i").cast(pl.String).str.zfill(12)),
        "EMAIL": pl.lit("null"),
        "ALAMAT": pl.lit("Jl. Merdeka No. 1, RT 01 | RW 02"),
        "JENIS PEGAWAI ID": pl.when(pl.col("_pppk")).then(pl.lit("12")).otherwise(pl.lit("4")),
        "JENIS PEGAWAI NAMA": pl.when(pl.col("_pppk"))
        .then(pl.lit("PPPK"))
        .otherwise(pl.lit("PNS Daerah")),
        "KEDUDUKAN HUKUM ID": kid,
        "KEDUDUKAN HUKUM NAMA": kname,
        "STATUS CPNS PNS": pl.when(pl.col("_pppk")).then(pl.lit("null")).otherwise(pl.lit("P")),
        "JENIS JABATAN NAMA": pl.col("_jj"),
        "JABATAN NAMA": pl.col("_jab"),
        "UNOR NAMA": unit,
        "INSTANSI INDUK NAMA": pl.col("_inst"),
        "INSTANSI KERJA NAMA": pl.col("_inst"),
        "SATUAN KERJA INDUK NAMA": pl.col("_inst"),
        "SATUAN KERJA KERJA NAMA": unit,
        "LOKASI KERJA NAMA": pl.col("_inst").str.replace(r"^Pemerintah (Provinsi )?", ""),
        "STATUS ASN": pl.when(pl.col("_pppk")).then(pl.lit("PPPK")).otherwise(pl.lit("PNS")),
        "ESELON NAMA": pl.col("_es"),
    }
    export = df.select(
        [(values[c] if c in values else pl.lit("null")).cast(pl.String).alias(c) for c in COLUMNS]
    )
    # the signature list: active officials, a known share missing, dates over a week
    active = df.filter(~pl.col("_inactive"))
    keep = active.height - int(active.height * missing_share)
    order = rng.permutation(active.height)
    signers = active[np.sort(order[:keep]).tolist()] if keep else active.head(0)
    signers = signers.with_columns(pl.Series("_d", rng.integers(0, 7, signers.height)))
    signatures = signers.select(
        pl.col("_nip").alias("NIP"),
        name.str.strip_chars_start("'").alias("NAMA"),
        (pl.lit(signed_from) + pl.duration(days=pl.col("_d")))
        .dt.strftime("%d-%m-%Y")
        .alias("TANGGAL"),
        pl.lit("pakta dan ikrar").alias("JENIS"),
        unit.alias("UNIT KERJA"),
    )
    return Generated(export=export, signatures=signatures)


def write(gen: Generated, out: Path, stem: str, *, xlsx: bool = False) -> dict[str, Path]:
    """``stem.csv`` (``|``), ``stem_tanda_tangan.csv`` (``;``), and with ``xlsx`` the XLSX."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {"csv": out / f"{stem}.csv", "signatures": out / f"{stem}_tanda_tangan.csv"}
    gen.export.write_csv(paths["csv"], separator="|")
    gen.signatures.write_csv(paths["signatures"], separator=";")
    if xlsx:
        paths["xlsx"] = out / f"{stem}.xlsx"
        gen.export.write_excel(paths["xlsx"])
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--out", type=Path, default=Path("var/siasn"))
    ap.add_argument("--xlsx", action="store_true")
    args = ap.parse_args()
    paths = write(generate(args.rows), args.out, f"siasn_{args.rows}", xlsx=args.xlsx)
    for kind, path in paths.items():
        print(kind, path)


if __name__ == "__main__":
    main()
