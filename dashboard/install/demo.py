"""Deterministic synthetic demo data: agencies, rosters and events for every region.

Everything here is marked ``is_demo`` and the dashboard says so whenever it is
in view. It never touches the seed agencies: any demo agency whose match key
equals a seed agency's is dropped, and regions that have a reported figure in
the seeds (Mukomuko) get no demo rows at all, so the real numbers stay intact.

Generation is columnar (numpy + Polars); Faker ``id_ID`` only fills small name
pools, so 4.3 million officials take seconds, not hours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl
from faker import Faker

from dashboard.domain.agency_names import agency_ids, match_key_expr
from schemas import Agencies, Events, Officials, Regions

DEMO_UPLOAD_ID = "demo"
DEFAULT_OFFICIALS = 100_000
NATIONAL_OFFICIALS = 4_300_000
FIRST_EVENT = dt.date(2023, 9, 1)
LATEST_SERVICE_START = dt.date(2023, 6, 1)
LAST_EVENT = dt.date(2024, 2, 10)

# (name pattern, kind); {region} is "Provinsi X" / "Kabupaten X" / "Kota X"
OPD_TEMPLATES: list[tuple[str, str]] = [
    ("Sekretariat Daerah {region}", "sekretariat"),
    ("Sekretariat DPRD {region}", "sekretariat"),
    ("Inspektorat {region}", "inspektorat"),
    ("Badan Kesatuan Bangsa dan Politik {region}", "badan"),
    ("Badan Kepegawaian Daerah {region}", "badan"),
    ("Dinas Pendidikan {region}", "dinas"),
    ("Dinas Kesehatan {region}", "dinas"),
    ("Badan Perencanaan Pembangunan Daerah {region}", "badan"),
    ("Badan Keuangan dan Aset Daerah {region}", "badan"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang {region}", "dinas"),
    ("Dinas Perhubungan {region}", "dinas"),
    ("Dinas Sosial {region}", "dinas"),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu {region}", "dinas"),
    ("Dinas Kependudukan dan Pencatatan Sipil {region}", "dinas"),
    ("Dinas Pertanian {region}", "dinas"),
    ("Dinas Lingkungan Hidup {region}", "dinas"),
    ("Dinas Komunikasi dan Informatika {region}", "dinas"),
    ("Satuan Polisi Pamong Praja {region}", "badan"),
]
MIN_UNITS_PER_GOVERNMENT = 8

# share of each position level in an OPD roster, and its base signing propensity
POSITION_MIX: dict[str, tuple[float, float]] = {
    "jpt_pratama": (0.02, 0.97),
    "administrator": (0.08, 0.94),
    "pengawas": (0.20, 0.90),
    "fungsional": (0.35, 0.82),
    "pelaksana": (0.25, 0.76),
    "pppk": (0.10, 0.70),
}
POSITION_TITLES: dict[str, list[str]] = {
    "jpt_pratama": ["Kepala", "Sekretaris", "Inspektur"],
    "administrator": ["Kepala Bidang", "Kepala Bagian", "Camat", "Sekretaris Dinas"],
    "pengawas": ["Kepala Seksi", "Kepala Subbagian", "Kepala Subbidang", "Lurah"],
    "fungsional": [
        "Analis Kebijakan",
        "Perencana Ahli Muda",
        "Auditor Ahli Pertama",
        "Pranata Komputer",
        "Guru Ahli Madya",
        "Dokter Ahli Pertama",
    ],
    "pelaksana": [
        "Pengadministrasi Umum",
        "Pengelola Keuangan",
        "Pengolah Data",
        "Pengemudi",
        "Arsiparis Pelaksana",
    ],
    "pppk": ["Guru PPPK", "Tenaga Kesehatan PPPK", "Penyuluh Pertanian PPPK"],
}


@dataclass(frozen=True)
class DemoData:
    agencies: pl.DataFrame
    officials: pl.DataFrame
    events: pl.DataFrame


def _region_label(regions: pl.DataFrame) -> pl.Expr:
    return (
        pl.when(pl.col(Regions.level) == "provinsi")
        .then(pl.lit("Provinsi ") + pl.col(Regions.name))
        .otherwise(pl.col(Regions.name))
    )


def _name_pools(seed: int) -> tuple[list[str], list[str], list[str]]:
    fake = Faker("id_ID")
    Faker.seed(seed)
    male = sorted({fake.first_name_male() for _ in range(600)})
    female = sorted({fake.first_name_female() for _ in range(600)})
    last = sorted({fake.last_name() for _ in range(900)})
    return male, female, last


def generate(
    regions: pl.DataFrame,
    seed_agencies: pl.DataFrame,
    skip_regency_codes: set[str],
    n_officials: int = DEFAULT_OFFICIALS,
    seed: int = 20230922,
) -> DemoData:
    """Demo agencies, rosters and events; ``n_officials`` scales it up to a national roster."""
    rng = np.random.default_rng(seed)
    govs = regions.filter(~pl.col(Regions.code).is_in(sorted(skip_regency_codes))).with_columns(
        _region_label(regions).alias("region_label"),
        pl.when(pl.col(Regions.level) == "provinsi")
        .then(pl.lit(None, dtype=pl.String))
        .otherwise(pl.col(Regions.code))
        .alias("regency"),
    )
    n_govs = govs.height
    # about 70 officials per unit; enough units that big rosters stay realistic
    per_gov = max(MIN_UNITS_PER_GOVERNMENT, round(n_officials / n_govs / 70))
    templates = pl.DataFrame(
        {
            "template": [OPD_TEMPLATES[i % len(OPD_TEMPLATES)][0] for i in range(per_gov)],
            Agencies.kind: [OPD_TEMPLATES[i % len(OPD_TEMPLATES)][1] for i in range(per_gov)],
            "unit_no": list(range(per_gov)),
        }
    )
    gov_agencies = govs.select(
        (pl.lit("Pemerintah ") + pl.col("region_label")).alias(Agencies.name),
        pl.lit("pemerintah_daerah").alias(Agencies.kind),
        pl.col(Regions.level).alias(Agencies.level),
        pl.col(Regions.province_code).alias(Agencies.province_code),
        pl.col("regency").alias(Agencies.regency_code),
    )
    units = govs.join(templates, how="cross").select(
        pl.when(pl.col("unit_no") < len(OPD_TEMPLATES))
        .then(pl.col("template").str.replace("{region}", pl.col("region_label"), literal=True))
        .otherwise(
            pl.lit("UPTD ")
            + (pl.col("unit_no") // len(OPD_TEMPLATES)).cast(pl.String)
            + " "
            + pl.col("template").str.replace("{region}", pl.col("region_label"), literal=True)
        )
        .alias(Agencies.name),
        pl.col(Agencies.kind),
        pl.col(Regions.level).alias(Agencies.level),
        pl.col(Regions.province_code).alias(Agencies.province_code),
        pl.col("regency").alias(Agencies.regency_code),
    )
    agencies = pl.concat([gov_agencies, units]).with_columns(
        match_key_expr(
            pl.col(Agencies.name), pl.col(Agencies.province_code), pl.col(Agencies.regency_code)
        ).alias(Agencies.match_key)
    )
    agencies = agencies.join(
        seed_agencies.select(Agencies.match_key), on=Agencies.match_key, how="anti"
    )
    agencies = agencies.with_columns(
        agency_ids(agencies[Agencies.match_key], prefix="demo").alias(Agencies.agency_id)
    )
    agencies = agencies.with_columns(
        pl.lit(None, dtype=pl.String).alias(Agencies.short_name),
        pl.lit(None, dtype=pl.String).alias(Agencies.parent_id),
        pl.lit(True).alias(Agencies.is_demo),
        pl.lit(DEMO_UPLOAD_ID).alias(Agencies.upload_id),
    )
    agencies = _with_parents(agencies)

    officials = _officials(agencies, n_officials, rng, seed)
    events = _events(agencies, officials, rng)
    return DemoData(agencies=agencies, officials=officials, events=events)


def _with_parents(agencies: pl.DataFrame) -> pl.DataFrame:
    """Each OPD's parent is the regional government of the same region."""
    govs = agencies.filter(pl.col(Agencies.kind) == "pemerintah_daerah").select(
        pl.col(Agencies.agency_id).alias("_parent"),
        Agencies.province_code,
        Agencies.regency_code,
    )
    out = agencies.join(
        govs,
        on=[Agencies.province_code, Agencies.regency_code],
        how="left",
        nulls_equal=True,
    ).with_columns(
        pl.when(pl.col(Agencies.kind) == "pemerintah_daerah")
        .then(None)
        .otherwise(pl.col("_parent"))
        .alias(Agencies.parent_id)
    )
    return out.drop("_parent").sort(Agencies.agency_id)


def _officials(
    agencies: pl.DataFrame, n_officials: int, rng: np.random.Generator, seed: int
) -> pl.DataFrame:
    n_ag = agencies.height
    # region propensity: each province a base rate, each regency a wobble around it
    prov_codes = agencies[Agencies.province_code].unique().sort()
    prov_rate = dict(zip(prov_codes, rng.beta(9, 2.2, len(prov_codes)), strict=True))
    ag_rate = (
        agencies[Agencies.province_code].replace_strict(prov_rate, return_dtype=pl.Float64)
        + rng.normal(0, 0.06, n_ag)
    ).clip(0.3, 1.0)

    weights = rng.gamma(3.0, 1.0, n_ag)
    floor = max(1, min(3, n_officials // n_ag))
    counts = floor + rng.multinomial(max(0, n_officials - floor * n_ag), weights / weights.sum())
    idx = np.repeat(np.arange(n_ag), counts)
    n = idx.size

    levels = list(POSITION_MIX)
    shares = np.array([POSITION_MIX[k][0] for k in levels])
    level_idx = rng.choice(len(levels), size=n, p=shares / shares.sum())
    # every unit's first official is its head
    first = np.r_[0, np.cumsum(counts)[:-1]]
    level_idx[first] = 0
    propensity = np.array([POSITION_MIX[k][1] for k in levels])[level_idx]
    rate = ag_rate.to_numpy()[idx] * propensity / 0.85
    signed = rng.random(n) < np.clip(rate, 0.0, 0.999)
    pledged = signed | (rng.random(n) < 0.6)

    # a signing day per agency, stragglers sign up to 60 days later
    span = (LAST_EVENT - FIRST_EVENT).days
    ag_day = rng.integers(0, span + 1, n_ag)
    lag = np.where(rng.random(n) < 0.8, 0, rng.integers(1, 60, n))
    day = ag_day[idx] + lag
    signed_date = np.datetime64(FIRST_EVENT) + day.astype("timedelta64[D]")

    male, female, last = _name_pools(seed)
    sex = rng.integers(1, 3, n)
    first_names = np.where(
        sex == 1,
        np.array(male, dtype=object)[rng.integers(0, len(male), n)],
        np.array(female, dtype=object)[rng.integers(0, len(female), n)],
    )
    last_names = np.array(last, dtype=object)[rng.integers(0, len(last), n)]

    birth = np.datetime64("1965-01-01") + rng.integers(0, 33 * 365, n).astype("timedelta64[D]")
    start_offset = rng.integers(22 * 12, 30 * 12, n)

    titles = {k: POSITION_TITLES[k] for k in levels}
    title_pick = rng.integers(0, 6, n)
    ag = agencies.select(Agencies.agency_id, Agencies.province_code, Agencies.regency_code)

    df = pl.DataFrame(
        {
            "_ag": idx,
            Officials.position_level: np.array(levels, dtype=object)[level_idx],
            "_title": title_pick,
            "_first": first_names,
            "_last": last_names,
            "_sex": sex,
            "_birth": birth,
            "_start_offset": start_offset,
            Officials.signed: signed,
            "_signed_date": signed_date,
            Officials.pledged: pledged,
        },
        schema_overrides={"_first": pl.String, "_last": pl.String},
    )
    ag_rows = ag.with_row_index("_ag").with_columns(pl.col("_ag").cast(pl.Int64))
    df = df.join(ag_rows, on="_ag", how="left", maintain_order="left")
    title_lists = pl.DataFrame(
        {
            Officials.position_level: list(titles),
            "_titles": [titles[k] for k in titles],
        }
    )
    df = df.join(title_lists, on=Officials.position_level, how="left", maintain_order="left")
    birth_expr = pl.col("_birth").cast(pl.Date)
    # service starts 22-30 years after birth, and never after the roster's time
    start = pl.min_horizontal(
        birth_expr.dt.offset_by(pl.format("{}mo", pl.col("_start_offset"))),
        pl.lit(LATEST_SERVICE_START),
    )
    df = df.with_columns(
        (pl.col("_first") + " " + pl.col("_last")).alias(Officials.name),
        pl.col("_titles")
        .list.get(pl.col("_title") % pl.col("_titles").list.len())
        .alias(Officials.position),
        birth_expr.dt.strftime("%Y%m%d").alias("_b"),
        start.dt.strftime("%Y%m").alias("_s"),
        pl.col("_sex").cast(pl.String).alias("_x"),
        pl.when(pl.col(Officials.signed))
        .then(pl.col("_signed_date").cast(pl.Date))
        .otherwise(None)
        .alias(Officials.signed_date),
    )
    df = df.with_columns(
        (pl.int_range(pl.len()).over(["_b", "_s", "_x"]) + 1).alias("_seq")
    ).with_columns(
        (
            pl.col("_b") + pl.col("_s") + pl.col("_x") + pl.col("_seq").cast(pl.String).str.zfill(3)
        ).alias(Officials.nip),
        pl.lit(None, dtype=pl.String).alias(Officials.note),
        pl.lit(DEMO_UPLOAD_ID).alias(Officials.upload_id),
        pl.lit(None, dtype=pl.String).alias(Officials.superseded_by),
        pl.lit(True).alias(Officials.is_demo),
        pl.lit("PNS").alias(Officials.jenis_asn),  # every demo number is a PNS NIP
    )
    return df.select(list(Officials.to_schema().columns))


def _events(
    agencies: pl.DataFrame, officials: pl.DataFrame, rng: np.random.Generator
) -> pl.DataFrame:
    """One signing ceremony per agency that has one: the day most of its officials signed."""
    per_agency = officials.group_by(Officials.agency_id).agg(
        pl.len().alias(Events.target_count),
        pl.col(Officials.signed).sum().cast(pl.Int64).alias(Events.signed_count),
        pl.col(Officials.signed_date).min().alias(Events.event_date),
        pl.col(Officials.pledged).sum().cast(pl.Int64).alias(Events.participants),
    )
    ev = (
        agencies.join(per_agency, on=Agencies.agency_id, how="inner")
        .filter(pl.col(Events.event_date).is_not_null())
        .sort(Agencies.agency_id)
    )
    # a small share of ceremonies is only known to the month (honest imprecision)
    month_only = rng.random(ev.height) < 0.05
    ev = ev.with_columns(
        pl.Series("_month_only", month_only),
    ).with_columns(
        pl.when(pl.col("_month_only"))
        .then(pl.col(Events.event_date).dt.truncate("1mo"))
        .otherwise(pl.col(Events.event_date))
        .alias(Events.event_date),
        pl.when(pl.col("_month_only"))
        .then(pl.lit("month"))
        .otherwise(pl.lit("day"))
        .alias(Events.date_precision),
    )
    regency_or_capital = pl.col(Agencies.regency_code)
    return ev.select(
        ("demo-ev-" + pl.col(Agencies.agency_id).str.replace("demo-", "")).alias(Events.event_id),
        Events.event_date,
        Events.date_precision,
        pl.col(Agencies.agency_id),
        pl.col(Agencies.province_code),
        regency_or_capital.alias(Events.regency_code),
        pl.lit("pakta_ikrar").alias(Events.kind),
        pl.lit(None, dtype=pl.String).alias(Events.led_by),
        pl.lit(None, dtype=pl.String).alias(Events.witnesses),
        pl.lit("Keputusan Bersama 22 September 2022").alias(Events.legal_basis),
        Events.participants,
        Events.target_count,
        Events.signed_count,
        pl.lit("Data contoh (sintetis)").alias(Events.summary),
        pl.lit(None, dtype=pl.String).alias(Events.source_publisher),
        pl.lit(None, dtype=pl.String).alias(Events.source_title),
        pl.lit(None, dtype=pl.String).alias(Events.source_file),
        pl.lit(True).alias(Events.is_demo),
        pl.lit(DEMO_UPLOAD_ID).alias(Events.upload_id),
    )
