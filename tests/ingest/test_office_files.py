"""Files as offices really send them: every format and encoding, blank rows and footers,
English headers, a roster without a position-level column. Exact rows, columns, codes.

Generated files come from ``tests/uploads/make_corpus.py``; the ``tests/uploads/office/``
files were written by LibreOffice Calc from those (``make_office_fixtures.sh``).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polars as pl
import pytest

from dashboard.i18n import t
from dashboard.ingest import normalise as N
from dashboard.ingest.roster import validate_roster
from schemas.vocab import POSITION_LEVEL_UNKNOWN, POSITION_LEVELS

UPLOADS = Path(__file__).resolve().parents[1] / "uploads"
OFFICE = UPLOADS / "office"
_spec = importlib.util.spec_from_file_location("make_corpus", UPLOADS / "make_corpus.py")
mc = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(mc)  # type: ignore[union-attr]


def _found(report) -> set[tuple[int | None, str | None, str]]:  # noqa: ANN001
    return set(report.issues.select("row", "column", "code").iter_rows())


def _check(name: str, lang: str = "id"):  # noqa: ANN202
    data = mc.FILES[name]() if name in mc.FILES else (OFFICE / name).read_bytes()
    return validate_roster(data, name, lang=lang)


# -- position level, truly optional ---------------------------------------------------------


@pytest.mark.parametrize(("pattern", "level", "example"), N.position_rules())
def test_each_inference_rule_classifies_its_example(pattern: str, level: str, example: str) -> None:
    assert level in POSITION_LEVELS
    got = pl.select(N.infer_position_level(pl.lit(example))).item()
    assert got == level, (pattern, example)
    # and it is this rule that decides (an earlier rule would shadow it)
    first = next(
        r
        for r in N.position_rules()
        if pl.select(pl.lit(example.lower()).str.contains(r[0])).item()
    )
    assert first[0] == pattern


def test_roster_without_a_level_column_imports_every_row() -> None:
    report = _check("no_level_column.csv")
    assert _found(report) == mc.NO_LEVEL_EXPECTED
    assert not report.has_errors and report.valid_rows == len(mc.NO_LEVEL_ROWS)
    assert report.valid.sort("_row")["position_level"].to_list() == [r[3] for r in mc.NO_LEVEL_ROWS]
    missing = report.issues.filter(pl.col("code") == "position_level_missing")["message"].item()
    assert "Ajudan Kepala Badan" in missing and t(f"position.{POSITION_LEVEL_UNKNOWN}") in missing


def test_unknown_level_has_a_label_in_both_languages() -> None:
    assert t(f"position.{POSITION_LEVEL_UNKNOWN}", "id") == "Tidak diketahui"
    assert t(f"position.{POSITION_LEVEL_UNKNOWN}", "en") == "Unknown"


# -- blank rows and footers ---------------------------------------------------------------


def test_blank_rows_skipped_silently_footer_reported_once() -> None:
    report = _check("blank_rows_footer.csv")
    assert _found(report) == mc.BLANK_FOOTER_EXPECTED
    assert sorted((report.valid["_row"] + 2).to_list()) == list(mc.BLANK_FOOTER_VALID_ROWS)
    skipped = report.issues.filter(pl.col("code") == "rows_skipped")
    assert skipped.height == 1 and mc.BLANK_FOOTER_SKIPPED in skipped["message"].item()


# -- encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter", "first_name"),
    [
        ("unicode_text_le.txt", "utf-16-le", "\t", "Katma F. Dirun"),
        ("unicode_text_be.txt", "utf-16-be", "\t", "Katma F. Dirun"),
        ("calc_unicode_text.txt", "utf-16-le", "\t", "\u0110o\u00e0n Th\u1ecb H\u00e0"),
        ("google_sheets_utf8.csv", "utf-8", ",", "\u0110o\u00e0n Th\u1ecb H\u00e0"),
        ("latin1.csv", "cp1252", ";", "Jos\u00e9 Ram\u00edrez"),
        ("bom_english.csv", "utf-8-sig", ",", "Katma F. Dirun"),
    ],
)
def test_encodings_and_english_headers(
    name: str, encoding: str, delimiter: str, first_name: str
) -> None:
    report = _check(name)
    assert (report.raw.fmt.encoding, report.raw.fmt.delimiter) == (encoding, delimiter)
    valid = report.valid.sort("_row")
    assert valid["name"][0] == first_name
    if name != "bom_english.csv":
        assert _found(report) == set()
        assert valid["province_code"].to_list() == mc.ENGLISH_PROVINCES
        assert valid["signed"].to_list() == mc.ENGLISH_SIGNED
        # "Employee ID (NIP)": the known name in parentheses maps the column
        assert report.mapping.columns["nip"] == "Employee ID (NIP)"
        assert valid["regency_code"][2] == "3403"  # "Gunungkidul Regency"


def test_messages_quote_the_header_in_the_ui_language() -> None:
    data = mc.unicode_text_bytes().decode("utf-16").replace("Central Kalimantan", "Atlantis")
    report = validate_roster(("\ufeff" + data).encode("utf-16-le"), "x.txt", lang="id")
    msg = report.issues.filter(pl.col("code") == "region_unknown")["message"].item()
    assert msg.startswith("Nilai 'Atlantis' di kolom 'Province' tidak dikenali")


# -- formats from real office suites --------------------------------------------------------

CLERK_IN_A_WORKBOOK = (mc.CLERK_EXPECTED - {(19, "nama", "formula_like")}) | {
    # Calc ran the formula-like cell as a formula on import: the name cell arrives empty
    (19, "nama", "required")
}


@pytest.mark.parametrize(
    ("name", "kind", "expected", "valid"),
    [
        ("clerk_semicolon_cp1252.xls", "xls", CLERK_IN_A_WORKBOOK, mc.CLERK_VALID_ROWS),
        ("clerk_semicolon_cp1252.ods", "ods", CLERK_IN_A_WORKBOOK, mc.CLERK_VALID_ROWS),
    ],
)
def test_the_clerk_file_saved_by_calc(
    name: str, kind: str, expected: set, valid: tuple[int, ...]
) -> None:
    report = _check(name)
    assert report.raw.fmt.kind == kind
    assert _found(report) == expected
    assert sorted((report.valid["_row"] + 2).to_list()) == list(valid)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("title_rows_instructions.xlsx", "xlsx"),  # xlsxwriter (Excel-like)
        ("calc_saved.xlsx", "xlsx"),
        ("title_rows_instructions.xls", "xls"),
        ("title_rows_instructions.ods", "ods"),
    ],
)
def test_sheet_chosen_by_header_below_title_rows(name: str, kind: str) -> None:
    report = _check(name, lang="en")
    fmt = report.raw.fmt
    assert (fmt.kind, fmt.sheet, fmt.header_row) == (kind, "Data Pejabat", mc.TITLE_XLSX_HEADER_ROW)
    assert _found(report) == mc.TITLE_XLSX_EXPECTED
    assert sorted((report.valid["_row"] + fmt.header_row + 1).to_list()) == [5, 6, 7]
    said = report.issues.filter(pl.col("code") == "sheet_chosen")["message"].item()
    assert "'Data Pejabat'" in said
    skipped = report.issues.filter(pl.col("code") == "rows_skipped")["message"].item()
    assert mc.TITLE_XLSX_SKIPPED in skipped


@pytest.mark.parametrize("name", ["header_only.xls", "header_only.ods"])
def test_header_only_workbooks_are_read(name: str) -> None:
    report = _check(name)
    assert report.rows == 0 and _found(report) == {(None, None, "header_only")}


def test_reading_the_report_twice_leaves_the_raw_table_as_read() -> None:
    report = _check("blank_rows_footer.csv")
    headers = list(report.raw.frame.columns)
    first, second = report.rejected_rows(), report.rejected_rows()
    assert first.equals(second) and report.raw.frame.columns == headers
    assert report.raw.indexed()["_row"].to_list() == [0, 4]  # spreadsheet rows 2 and 6
