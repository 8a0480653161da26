"""Normalisation of what clerks type: statuses, dates, NIPs, position levels, headers."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard.ingest import columns as C
from dashboard.ingest import normalise as N


def _one(expr: pl.Expr, value: str | None) -> object:
    return pl.DataFrame({"v": [value]}, schema={"v": pl.String}).select(expr).item()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sudah", True),
        ("SUDAH TTD.", True),
        ("ya", True),
        ("✓", True),
        ("1", True),
        ("true", True),
        ("TTD", True),
        ("Belum", False),
        ("tidak", False),
        ("✗", False),
        ("0", False),
        ("false", False),
        ("mungkin", None),
        ("x", None),
        (None, None),
    ],
)
def test_status(text: str | None, expected: bool | None) -> None:
    assert _one(N.status(pl.col("v")), text) is expected


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("2023-09-25", dt.date(2023, 9, 25), "day"),
        ("2023-09-25 00:00:00", dt.date(2023, 9, 25), "day"),
        ("25/09/2023", dt.date(2023, 9, 25), "day"),
        ("25-09-2023", dt.date(2023, 9, 25), "day"),
        ("5.9.2023", dt.date(2023, 9, 5), "day"),
        ("25/09/23", dt.date(2023, 9, 25), "day"),
        ("25 September 2023", dt.date(2023, 9, 25), "day"),
        ("Senin, 25 Sep 2023", dt.date(2023, 9, 25), "day"),
        ("1 Mei 2024", dt.date(2024, 5, 1), "day"),
        ("17 Agustus 2023", dt.date(2023, 8, 17), "day"),
        ("September 25, 2023", dt.date(2023, 9, 25), "day"),
        ("45194", dt.date(2023, 9, 25), "day"),  # Excel serial
        ("September 2023", dt.date(2023, 9, 1), "month"),
        ("Oktober 2023", dt.date(2023, 10, 1), "month"),
        ("2023", dt.date(2023, 1, 1), "year"),
        ("31/02/2023", None, None),
        ("bukan tanggal", None, None),
    ],
)
def test_dates(text: str, date: dt.date | None, precision: str | None) -> None:
    got = _one(N.parse_date(pl.col("v")), text)
    assert (got["date"], got["precision"]) == (date, precision)


def test_nip_checks() -> None:
    df = pl.DataFrame(
        {
            "raw": [
                "198001012005011001",
                "1.98E+17",
                "1,98E+17",
                "19800101 200501 1 001",
                "'198001012005011001",
                "19800101200501100",
                "1980010120050110AB",
                "190001012005011001",  # born 1900
                "198001012005131001",  # month 13
                "198001011990011001",  # service at age 10
                "198001012005013001",  # sex digit 3
            ]
        }
    ).with_columns(N.nip_clean(pl.col("raw")).alias("c"))
    out = df.select(
        N.nip_raw_scientific(pl.col("raw")).alias("sci"),
        N.nip_non_digit(pl.col("c")).alias("nondigit"),
        N.nip_wrong_length(pl.col("c")).alias("length"),
        N.nip_birthdate_implausible(pl.col("c"), dt.date(2026, 1, 1)).alias("birth"),
        N.nip_service_start_implausible(pl.col("c"), dt.date(2026, 1, 1)).alias("service"),
        N.nip_sex_digit_invalid(pl.col("c")).alias("sex"),
    )
    assert out["sci"].to_list() == [False, True, True] + [False] * 8
    assert df["c"][3] == df["c"][4] == "198001012005011001"
    assert out["length"].to_list()[5] is True and out["nondigit"].to_list()[6] is True
    # plausibility is only asked of well-formed NIPs (the pipeline gates on that)
    well_formed = [0, 3, 4, 7, 8, 9, 10]
    assert [out["birth"][i] for i in well_formed] == [
        False,
        False,
        False,
        True,
        False,
        False,
        False,
    ]
    assert out["service"].to_list()[8:10] == [True, True]
    assert out["service"].to_list()[0] is False
    assert out["sex"].to_list()[10] is True and out["sex"].to_list()[0] is False


@pytest.mark.parametrize(
    ("jabatan", "level"),
    [
        ("Camat", "administrator"),
        ("Camat Kota Mukomuko", "administrator"),
        ("Kepala Dinas Pendidikan", "jpt_pratama"),
        ("Bupati", "pejabat_negara"),
        ("Wakil Bupati", "pejabat_negara"),
        ("Gubernur Kalimantan Tengah", "pejabat_negara"),
        ("Wali Kota", "pejabat_negara"),
        ("Walikota", "pejabat_negara"),
        ("Penjabat Gubernur", "jpt_madya"),  # acting: a civil servant, not elected
        ("Pj. Bupati", "jpt_pratama"),
        ("Sekretaris DPRD", "jpt_pratama"),
        ("Asisten I", "jpt_pratama"),
        ("Staf Ahli Bupati", "jpt_pratama"),
        ("Kepala Bagian Umum", "administrator"),
        ("Inspektur Pembantu II", "administrator"),
        ("Kepala Seksi Umum", "pengawas"),
        ("Lurah", "pengawas"),
        ("Guru Ahli Madya", "fungsional"),
        ("Analis Kebijakan Ahli Muda", "fungsional"),
        ("Pengadministrasi Umum", "pelaksana"),
        ("Guru PPPK", "pppk"),
        ("Kepala", None),
        ("Koordinator", None),
    ],
)
def test_position_level_inference(jabatan: str, level: str | None) -> None:
    assert _one(N.infer_position_level(pl.col("v")), jabatan) == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("JPT Pratama", "jpt_pratama"),
        ("Eselon II.b", "jpt_pratama"),
        ("eselon III", "administrator"),
        ("Eselon IV.a", "pengawas"),
        ("JFU", "pelaksana"),
        ("JFT", "fungsional"),
        ("P3K", "pppk"),
        ("Pejabat Negara", "pejabat_negara"),
        ("Pejabat negara (dipilih)", "pejabat_negara"),
        ("Eselon X", None),
    ],
)
def test_explicit_position_level(text: str, level: str | None) -> None:
    assert _one(N.position_level(pl.col("v")), text) == level


def test_clean_text_turns_dashes_and_blanks_into_null() -> None:
    out = pl.DataFrame({"v": ["  Ani   Lestari ", "-", "", "N/A", None]}).select(
        N.clean_text(pl.col("v"))
    )
    assert out.to_series().to_list() == ["Ani Lestari", None, None, None, None]


def test_header_aliases_case_and_space_insensitive() -> None:
    m = C.auto_mapping(
        [
            "NIP",
            "Nama Lengkap",
            "JABATAN",
            "OPD",
            "Prov.",
            "Kab/Kota",
            "Status TTD",
            "Tgl. TTD",
            "Perangkat Daerah",
            "Kolom Aneh",
        ]
    )
    assert m.columns == {
        "nip": "NIP",
        "nama": "Nama Lengkap",
        "jabatan": "JABATAN",
        "instansi": "OPD",
        "provinsi": "Prov.",
        "kabupaten_kota": "Kab/Kota",
        "status_tanda_tangan": "Status TTD",
        "tanggal_tanda_tangan": "Tgl. TTD",
    }
    assert m.duplicate == ("Perangkat Daerah",)
    assert m.extra == ("Kolom Aneh",)
    assert m.missing_required == ()
    english = C.auto_mapping(
        ["Employee ID", "Full Name", "Position", "Agency", "Province", "Signed"]
    )
    assert set(english.columns) == {
        "nip",
        "nama",
        "jabatan",
        "instansi",
        "provinsi",
        "status_tanda_tangan",
    }


def test_nip_date_checks_per_distinct_value_agree_with_the_per_row_ones() -> None:
    """The roster parses birth dates and service starts once per distinct value; the
    verdicts are those of the per-row expressions, for good and broken NIPs alike."""
    import random

    rng = random.Random(1)
    values: list[str | None] = []
    for _ in range(5_000):
        nip = (
            rng.choice(["1950", "1899", "1990", "2010", "2030", "abcd"])
            + f"{rng.randint(0, 13):02d}{rng.randint(0, 32):02d}"
            + rng.choice(["1970", "2008", "2026", "2027", "1900"])
            + f"{rng.randint(0, 14):02d}"
            + rng.choice("123")
            + f"{rng.randint(0, 999):03d}"
        )
        values.append(
            None
            if rng.random() < 0.01
            else nip[: rng.randint(0, 18)]
            if rng.random() < 0.05
            else nip
        )
    col = pl.Series("c", values)
    for today in (dt.date(2026, 1, 1), dt.date(2026, 12, 7)):
        per_row = pl.DataFrame([col]).select(
            N.nip_birthdate_implausible(pl.col("c"), today).alias("birth"),
            N.nip_service_start_implausible(pl.col("c"), today).alias("service"),
        )
        per_value = pl.DataFrame(
            [
                col,
                N.nip_birth_dates(col).alias("b"),
                N.nip_service_start_years(col, today).alias("s"),
            ]
        ).select(
            N.nip_birthdate_implausible(pl.col("c"), today, birth=pl.col("b")).alias("birth"),
            N.nip_service_start_implausible(
                pl.col("c"), today, birth=pl.col("b"), start=pl.col("s")
            ).alias("service"),
        )
        assert per_value.equals(per_row)
        assert per_row["service"].sum() > 0 and not per_row["service"].all()


def test_map_columns_per_distinct_value_equals_the_map_per_row() -> None:
    """Repeated text columns are mapped once per distinct value (or left alone where the
    map changes nothing); the result is the per-row map's, nulls and empty spellings too."""
    n = 30_000
    df = pl.DataFrame(
        {
            "repeated": [[" Dinas  A ", "-", None, "Dinas B", "  "][i % 5] for i in range(n)],
            "clean": [["Dinas A", "Dinas B", None][i % 3] for i in range(n)],
            "unique": [f" nama {i} " if i % 7 else None for i in range(n)],
        }
    )
    maps = dict.fromkeys(df.columns, N.clean_text)
    assert N.repeats(df, df.columns) == {"repeated", "clean"}
    expected = df.select(N.clean_text(pl.col(c)).alias(c) for c in df.columns)
    assert N.map_columns(df, maps).equals(expected)
    assert N.clean_columns(df, df.columns, collapse_in=("repeated",))["repeated"].to_list()[:5] == [
        "Dinas A",
        None,
        None,
        "Dinas B",
        None,
    ]
