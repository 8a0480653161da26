"""The messy-file corpus: exact (row, column, code) sets for every file."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polars as pl
import pytest

from dashboard.ingest.events import validate_events
from dashboard.ingest.reading import UnreadableFile
from dashboard.ingest.roster import check_roster, read_roster, validate_roster
from dashboard.store.database import Store

_spec = importlib.util.spec_from_file_location(
    "make_corpus", Path(__file__).resolve().parents[1] / "uploads" / "make_corpus.py"
)
mc = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(mc)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return mc.build(tmp_path_factory.mktemp("corpus"), large=True)


def _found(report) -> set[tuple[int | None, str | None, str]]:  # noqa: ANN001
    return set(report.issues.select("row", "column", "code").iter_rows())


def test_clerk_file_every_broken_cell_named(corpus: dict[str, Path]) -> None:
    report = validate_roster(corpus["clerk_semicolon_cp1252.csv"].read_bytes(), "clerk.csv")
    fmt = report.raw.fmt
    assert (fmt.kind, fmt.encoding, fmt.delimiter, fmt.header_row) == ("csv", "cp1252", ";", 1)
    assert _found(report) == mc.CLERK_EXPECTED
    # the valid rows and nothing else get through
    assert sorted(report.valid["_row"] + 2) == list(mc.CLERK_VALID_ROWS)
    assert report.rows == len(mc.CLERK_ROWS)
    # Windows-1252 decoded, not mojibake
    assert "Muh. Sa\u2019ad" in report.raw.frame["Nama Lengkap"].to_list()
    # "Kab. Muko-Muko" became Kabupaten Mukomuko for every valid row
    assert set(report.valid["regency_code"]) == {"1706"}


def test_duplicate_nip_names_both_rows(corpus: dict[str, Path]) -> None:
    report = validate_roster(corpus["clerk_semicolon_cp1252.csv"].read_bytes(), "clerk.csv")
    dup = report.issues.filter(pl.col("code") == "duplicate_nip").sort("row")
    assert dup["row"].to_list() == [9, 10]
    assert "10" in dup["message"][0] and "9" in dup["message"][1]


def test_scientific_nip_message_says_how_to_fix(corpus: dict[str, Path]) -> None:
    report = validate_roster(corpus["clerk_semicolon_cp1252.csv"].read_bytes(), "clerk.csv")
    msg = report.issues.filter(pl.col("code") == "nip_scientific")["message"][0]
    assert "Excel" in msg and "Teks" in msg
    en = validate_roster(
        corpus["clerk_semicolon_cp1252.csv"].read_bytes(), "clerk.csv", lang="en"
    ).issues.filter(pl.col("code") == "nip_scientific")["message"][0]
    assert "Excel" in en and "Text" in en


def test_region_suggestions_and_fuzzy_match_are_reported(corpus: dict[str, Path]) -> None:
    report = validate_roster(corpus["clerk_semicolon_cp1252.csv"].read_bytes(), "clerk.csv")
    unknown = report.issues.filter(pl.col("code") == "region_unknown")["message"][0]
    assert "Atlantis" in unknown and ":" in unknown
    fuzzy = report.issues.filter(pl.col("code") == "region_fuzzy")["message"][0]
    assert "Bengkuluu" in fuzzy and "'Bengkulu'" in fuzzy


def test_bom_english_headers_and_ticks(corpus: dict[str, Path]) -> None:
    report = validate_roster(corpus["bom_english.csv"].read_bytes(), "bom.csv")
    assert report.raw.fmt.encoding == "utf-8-sig"
    assert _found(report) == {(4, "jenjang_jabatan", "position_level_inferred")}
    assert report.valid["signed"].to_list() == [True, True, False]
    assert report.valid["position_level"].to_list()[2] == "fungsional"


def test_tab_file_with_title_row_keeps_spreadsheet_row_numbers(corpus: dict[str, Path]) -> None:
    report = validate_roster(corpus["tab_title_row.txt"].read_bytes(), "tab.txt")
    assert (report.raw.fmt.delimiter, report.raw.fmt.header_row) == ("\t", 3)
    assert _found(report) == {
        (4, "jenjang_jabatan", "position_level_inferred"),
        (5, "nip", "nip_format"),
    }
    assert report.valid["regency_code"].to_list() == ["3403"]  # "Gunung Kidul"


def test_formula_like_cells(corpus: dict[str, Path]) -> None:
    report = validate_roster(corpus["formula_cells.csv"].read_bytes(), "f.csv")
    assert _found(report) == mc.FORMULA_EXPECTED | {
        (2, "tanggal_tanda_tangan", "signed_without_date")
    }
    # a "-" cell means empty, not a formula
    assert report.valid.height == 1


def test_missing_required_columns_reject_the_file(corpus: dict[str, Path]) -> None:
    report = validate_roster(corpus["missing_columns.csv"].read_bytes(), "m.csv")
    assert {i for i in _found(report) if i[0] is None} == {
        (None, "instansi", "missing_column"),
        (None, "status_tanda_tangan", "missing_column"),
    }
    assert report.valid_rows == 0


def test_xlsx_chosen_sheet_and_number_typed_nip(corpus: dict[str, Path]) -> None:
    data = corpus["several_sheets.xlsx"].read_bytes()
    report = validate_roster(data, "r.xlsx", sheet="Roster")
    assert report.raw.fmt.sheets == ("Sampul", "Roster", "Kosong")
    assert _found(report) == mc.XLSX_EXPECTED
    # the date cell arrived as a date, the NTB long name resolved
    assert report.valid["signed_date"].to_list()[0].isoformat() == "2023-09-28"
    assert set(report.valid["province_code"]) == {"52"}
    # no sheet asked for: the first sheet is a cover note, the one with the header is read
    chosen = validate_roster(data, "r.xlsx")
    assert chosen.raw.fmt.sheet == "Roster"
    assert _found(chosen) == mc.XLSX_EXPECTED | {
        (None, None, "sheet_chosen"),
        # the sheets not read are named, each with its reason
        (None, None, "sheet_not_read_instructions"),
        (None, None, "sheet_not_read_empty"),
    }
    not_read = chosen.issues.filter(pl.col("code").str.starts_with("sheet_not_read"))
    assert sorted(not_read["value"].to_list()) == ["Kosong", "Sampul"]
    said = chosen.issues.filter(pl.col("code") == "sheet_chosen")["message"].item()
    assert "'Roster'" in said and "Sampul, Roster, Kosong" in said
    with pytest.raises(UnreadableFile) as exc:
        validate_roster(data, "r.xlsx", sheet="Tidak Ada")
    assert exc.value.code == "sheet_not_found"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("empty.csv", "file_empty"),
        ("binary_renamed.csv", "file_binary"),
    ],
)
def test_unreadable_files(corpus: dict[str, Path], name: str, code: str) -> None:
    with pytest.raises(UnreadableFile) as exc:
        validate_roster(corpus[name].read_bytes(), name)
    assert exc.value.code == code


@pytest.mark.parametrize("name", ["header_only.csv", "single_line_10mb.csv"])
def test_header_without_rows_is_read_and_reported(corpus: dict[str, Path], name: str) -> None:
    report = validate_roster(corpus[name].read_bytes(), name)
    assert (None, None, "header_only") in _found(report)
    assert report.rows == 0 and report.has_errors


def test_ten_megabyte_cell_is_reported_not_swallowed(corpus: dict[str, Path]) -> None:
    report = validate_roster(corpus["long_cell_10mb.csv"].read_bytes(), "long.csv")
    assert _found(report) == {
        (2, "keterangan", "too_long"),
        (2, "tanggal_tanda_tangan", "signed_without_date"),
    }


def test_edited_mapping_changes_what_is_read(corpus: dict[str, Path]) -> None:
    """The page's mapping step: the clerk points 'No' at nothing and 'Keterangan' at nama."""
    raw = read_roster(corpus["bom_english.csv"].read_bytes(), "bom.csv")
    from dashboard.ingest import columns as C

    auto = C.auto_mapping(raw.headers)
    cols = dict(auto.columns)
    cols.pop("tanggal_tanda_tangan")
    report = check_roster(raw, mapping=C.with_columns(cols, raw.headers))
    assert (None, "Date Signed", "extra_column") in _found(report)
    assert report.valid["signed_date"].null_count() == 3


def test_rejected_rows_export_has_the_original_cells(corpus: dict[str, Path]) -> None:
    report = validate_roster(corpus["clerk_semicolon_cp1252.csv"].read_bytes(), "clerk.csv")
    rejected = report.rejected_rows()
    rows_with_errors = sorted(
        {r for r, _, c in mc.CLERK_EXPECTED if r is not None and c in _error_codes(report)}
    )
    assert rejected["Baris"].to_list() == rows_with_errors
    assert rejected.filter(pl.col("Baris") == 5)["NIP"].item() == "1,98E+17"
    assert rejected.columns[:2] == ["Baris", "No"] and rejected.columns[-1] == "Masalah"


def _error_codes(report) -> set[str]:  # noqa: ANN001
    return set(report.issues.filter(pl.col("severity") == "error")["code"])


def test_events_file(corpus: dict[str, Path], seed_store: Store) -> None:
    report = validate_events(corpus["events.csv"].read_bytes(), "events.csv", store=seed_store)
    assert _found(report) == mc.EVENTS_EXPECTED
    valid = report.valid.sort("_row")
    # "DPMPTSP Prov. Kalteng" is the seed agency; the dinas of Mukomuko is new
    assert valid["agency_id"][0] == "seed-62-dpmptsp"
    assert valid["_agency_new"].to_list() == [False, True]
    assert valid["date_precision"].to_list() == ["day", "month"]
    assert valid["event_date"][1].isoformat() == "2023-10-01"
    assert report.reports["target_count"].to_list() == [40]
    assert report.valid_new_agencies["name"].to_list() == ["Dinas Pendidikan Kabupaten Mukomuko"]
