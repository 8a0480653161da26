"""Target rosters from SIASN-style exports and signature lists matched to them, against an
independent Polars computation over the generated files (not the code under test)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import polars as pl
import pytest

from dashboard import queries
from dashboard.ingest.roster import validate_roster
from dashboard.ingest.siasn import check_target, commit_target
from dashboard.ingest.signatures import check_signatures, commit_signatures
from dashboard.queries import Filters
from dashboard.store.database import Store, rollback_upload

_spec = importlib.util.spec_from_file_location(
    "siasn_gen", Path(__file__).resolve().parents[2] / "benchmarks" / "siasn.py"
)
gen = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["siasn_gen"] = gen
_spec.loader.exec_module(gen)  # type: ignore[union-attr]

BOTH_BACKENDS = True  # target and signature commits, rollback: both engines


def _expected_by_province(export: Path, signatures: Path, sep: str = "|") -> pl.DataFrame:
    """Per province: active officials targeted and those a signature list names."""
    from dashboard.domain import regions

    if export.suffix == ".xlsx":
        raw = pl.read_excel(export, infer_schema_length=0)
    else:
        raw = pl.read_csv(export, separator=sep, infer_schema=False)
    reg = regions.load_regions()
    by_name = pl.concat(
        [
            reg.select(
                (
                    pl.when(pl.col("level") == "provinsi")
                    .then(pl.lit("Pemerintah Provinsi "))
                    .otherwise(pl.lit("Pemerintah "))
                    + pl.col("name")
                ).alias("INSTANSI INDUK NAMA"),
                pl.col("province_code").alias("code"),
            ),
            pl.DataFrame(
                {"INSTANSI INDUK NAMA": list(gen.MINISTRIES), "code": ["31"] * len(gen.MINISTRIES)}
            ),
        ]
    )
    signed = pl.read_csv(signatures, separator=";", infer_schema=False)["NIP"]
    return (
        raw.filter(pl.col("KEDUDUKAN HUKUM NAMA").is_in(["Aktif", "PPPK Aktif"]))
        .with_columns(pl.col("NIP BARU").str.strip_chars_start("'").alias("nip"))
        .join(by_name, on="INSTANSI INDUK NAMA", how="left")
        .group_by("code")
        .agg(
            pl.len().cast(pl.Int64).alias("target"),
            pl.col("nip").is_in(signed.implode()).sum().cast(pl.Int64).alias("signed"),
        )
        .sort("code")
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("siasn")
    return gen.write(gen.generate(1200, seed=7), out, "siasn_1200", xlsx=True)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_generated_export_and_list_give_per_province_figures(
    store: Store, files: dict[str, Path], fmt: str
) -> None:
    path = files[fmt]
    report = check_target(path.read_bytes(), path.name, store=store)
    assert not report.has_errors, report.issues
    # no false "implausible start of service" for PPPK NIs, no per-column warnings
    assert report.issues.height == 0
    raw = pl.read_csv(files["csv"], separator="|", infer_schema=False)
    inactive = raw.filter(~pl.col("KEDUDUKAN HUKUM NAMA").is_in(["Aktif", "PPPK Aktif"]))
    assert report.inactive == dict(inactive.group_by("KEDUDUKAN HUKUM NAMA").len().iter_rows())
    assert commit_target(report, store).upload_id
    sig = check_signatures(files["signatures"].read_bytes(), "ttd.csv", store=store)
    assert not sig.has_errors, sig.issues
    assert commit_signatures(sig, store).upload_id
    got = (
        queries.summary(store, Filters(), "provinsi")
        .select("code", "target", "signed")
        .sort("code")
    )
    expected = _expected_by_province(files[fmt], files["signatures"])
    assert got.equals(expected)
    assert got["code"].n_unique() == 38  # every province has its government
    officials = store.table("officials")
    pppk = raw.filter(pl.col("STATUS ASN") == "PPPK")["NIP BARU"].str.strip_chars_start("'")
    stored_pppk = officials.filter(pl.col("jenis_asn") == "PPPK")["nip"]
    assert set(stored_pppk) == set(pppk) & set(officials["nip"]) and len(stored_pppk) > 0


def test_mukomuko_53_targeted_48_signed(store: Store, tmp_path: Path) -> None:
    g = gen.generate(
        53,
        seed=3,
        instansi=["Pemerintah Kabupaten Mukomuko"],
        inactive_share=0,
        missing_share=0.095,
    )
    paths = gen.write(g, tmp_path, "mukomuko")
    report = check_target(paths["csv"].read_bytes(), "mukomuko.csv", store=store)
    assert commit_target(report, store).upload_id
    # before any list: every agency of the regency is targeted and none has reported
    before = queries.summary(store, Filters(), "kabupaten").row(0, named=True)
    assert (before["code"], before["target"], before["signed"]) == ("1706", 53, 0)
    assert before["agencies_reported"] == 0 and before["agencies_targeted"] > 0
    sig = check_signatures(paths["signatures"].read_bytes(), "ttd.csv", store=store)
    assert sig.valid_rows == 48 and not sig.has_errors
    up = commit_signatures(sig, store).upload_id
    assert up
    row = queries.summary(store, Filters(), "kabupaten").row(0, named=True)
    assert (row["target"], row["signed"]) == (53, 48)
    assert f"{row['rate'] * 100:.1f}" == "90.6"
    export = pl.read_csv(paths["csv"], separator="|", infer_schema=False)
    signed = pl.read_csv(paths["signatures"], separator=";", infer_schema=False)["NIP"]
    missing = export.filter(~pl.col("NIP BARU").str.strip_chars_start("'").is_in(signed.implode()))
    unsigned = queries.unsigned_officials(store, Filters(), limit=None, personal=True)
    gelar = pl.col("GELAR BELAKANG")
    names = missing.select(
        pl.when(gelar != "null")
        .then(pl.col("NAMA").str.strip_chars_start("'") + ", " + gelar)
        .otherwise(pl.col("NAMA").str.strip_chars_start("'"))
    ).to_series()
    assert sorted(unsigned["name"]) == sorted(names)
    assert len(unsigned) == 5
    # agencies whose every official is missing from the list have not reported
    by_agency = queries.summary(store, Filters(), "instansi")
    assert by_agency["agencies_reported"].sum() == by_agency.filter(pl.col("signed") > 0).height
    # the same list twice lands once; rolling it back leaves the target unsigned
    again = check_signatures(paths["signatures"].read_bytes(), "ttd.csv", store=store)
    assert again.duplicate_of == up
    rollback_upload(store, up)
    assert queries.summary(store, Filters(), "kabupaten")["signed"].to_list() == [0]


def test_list_before_its_target_is_refused_row_by_row(store: Store) -> None:
    text = "NIP;NAMA;TANGGAL;JENIS\n'197103281992031011;Ani;21-09-2023;pakta\n"
    report = check_signatures(text.encode(), "ttd.csv", store=store)
    assert report.issues["code"].to_list() == ["signature_not_in_target"]
    assert report.issues["row"].to_list() == [2]
    assert commit_signatures(report, store).upload_id is None


def test_repeated_signature_keeps_the_earliest_date_and_names_are_checked(
    store: Store, tmp_path: Path
) -> None:
    g = gen.generate(
        4, seed=5, instansi=["Pemerintah Provinsi Bengkulu"], inactive_share=0, missing_share=0
    )
    paths = gen.write(g, tmp_path, "bengkulu")
    assert commit_target(check_target(paths["csv"].read_bytes(), "b.csv", store=store), store)
    nip = g.signatures["NIP"][0]
    first = f"NIP;NAMA;TANGGAL;JENIS\n{nip};Orang Lain Sama Sekali;25-09-2023;pakta\n"
    report = check_signatures(first.encode(), "a.csv", store=store)
    assert report.issues["code"].to_list() == ["signature_name_differs"]
    assert commit_signatures(report, store).upload_id
    later = f"NIP;TANGGAL;JENIS\n{nip};20-09-2023;pakta\n{nip};30-09-2023;pakta\n"
    report = check_signatures(later.encode(), "b.csv", store=store)
    assert sorted(report.issues["code"].to_list()) == ["signature_repeated"] * 2
    assert commit_signatures(report, store).upload_id
    cum = queries.cumulative_signed(store, Filters())
    assert cum.curve["day"].to_list()[0].isoformat() == "2023-09-20"


def test_pppk_numbers_give_no_service_start_warning_on_a_plain_roster() -> None:
    text = (
        "nip,nama,jabatan,instansi,provinsi,kabupaten_kota,status_tanda_tangan\n"
        "200012312024211001,Ani,Guru,Dinas Pendidikan,Bengkulu,Mukomuko,Belum\n"
        "197103281992131011,Budi,Guru,Dinas Pendidikan,Bengkulu,Mukomuko,Belum\n"
    )
    report = validate_roster(text.encode(), "r.csv")
    codes = (
        report.issues.filter(pl.col("code").str.starts_with("nip_")).select("row", "code").rows()
    )
    assert codes == [(3, "nip_service_start_implausible")]  # month 13 of a PNS NIP only
    assert report.candidates["jenis_asn"].to_list() == ["PPPK", "PNS"]


def test_an_instansi_that_cannot_be_placed_is_one_error(store: Store, tmp_path: Path) -> None:
    g = gen.generate(
        6, seed=1, instansi=["Pemerintah Kabupaten Atlantis", "Pemerintah Kota Bengkulu"]
    )
    paths = gen.write(g, tmp_path, "atlantis")
    report = check_target(paths["csv"].read_bytes(), "x.csv", store=store)
    errors = report.issues.filter(pl.col("severity") == "error")
    assert errors.select("code", "value").rows() == [
        ("instansi_unplaced", "Pemerintah Kabupaten Atlantis")
    ]


def test_an_agency_without_signatures_has_not_reported(store: Store, tmp_path: Path) -> None:
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
    kota = export.filter(pl.col("INSTANSI INDUK NAMA") == "Pemerintah Kota Bengkulu")
    expected = (
        kota.group_by("SATUAN KERJA KERJA NAMA")
        .len()
        .select((pl.col("SATUAN KERJA KERJA NAMA") + " Kota Bengkulu").alias("name"), "len")
        .sort("name")
    )
    silent = queries.agencies_not_reported(store, Filters()).sort("name")
    assert silent["name"].to_list() == expected["name"].to_list()
    assert silent["target"].to_list() == expected["len"].cast(pl.Int64).to_list()
    hl = queries.headline(store, Filters())
    muko_units = muko["SATUAN KERJA KERJA NAMA"].n_unique()
    assert (hl.agencies, hl.agencies_reported) == (muko_units + len(expected), muko_units)
    # everyone targeted counts: the silent agencies' officials are not signed
    assert (hl.target, hl.signed) == (export.height, muko.height)
    by_reg = queries.summary(store, Filters(), "kabupaten").sort("code")
    assert by_reg.select("code", "agencies_targeted", "agencies_reported").rows() == [
        ("1706", muko_units, muko_units),
        ("1771", len(expected), 0),
    ]
    # PNS / PPPK as the export's STATUS ASN column says
    jenis = queries.summary(store, Filters(), "jenis_asn").sort("code")
    exp = (
        export.group_by(pl.col("STATUS ASN").alias("code"))
        .agg(
            pl.len().cast(pl.Int64).alias("target"),
            pl.col("nip").is_in(muko["nip"].implode()).sum().cast(pl.Int64).alias("signed"),
        )
        .sort("code")
    )
    assert jenis.select("code", "target", "signed").equals(exp)


def test_follow_up_lists_agencies_that_have_not_reported_first() -> None:
    from dashboard.followup import overdue, steps

    figures = pl.DataFrame(
        {
            "agency_id": ["a", "b", "c"],
            "unsigned": [10, 4, 50],
            "days_outstanding": [2, 30, 1],
            "reported": [True, True, False],
        }
    )
    empty_history = pl.DataFrame(
        schema={
            "step_id": pl.String,
            "agency_id": pl.String,
            "campaign": pl.String,
            "step": pl.String,
            "taken_on": pl.Date,
            "taken_at": pl.Datetime,
            "taken_by": pl.String,
            "note": pl.String,
            "letter_id": pl.String,
            "unsigned_at_step": pl.Int64,
        }
    )
    deadlines = pl.DataFrame(
        schema={
            "deadline_id": pl.String,
            "campaign": pl.String,
            "agency_id": pl.String,
            "due_date": pl.Date,
            "set_by": pl.String,
            "set_at": pl.Datetime,
        }
    )
    cur = steps.current_steps(empty_history)
    out = overdue.chase_table(figures, deadlines, cur, "pakta", dt.date(2024, 1, 25))
    assert out["agency_id"].to_list() == ["c", "b", "a"]
