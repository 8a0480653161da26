"""Workbooks as offices keep them: one sheet per work unit, a two-row header under a merged
group, headers worded in full, check marks, Indonesian-locale dates, HTML and Excel 2003 XML
saved as .xls, clerks' short region names. Exact rows, columns, values and issue codes.

Sources come from ``tests/uploads/make_office_patterns.py`` (also read here straight from
the generator); the ``tests/uploads/office/`` files were saved from them by LibreOffice Calc
(``make_office_fixtures.sh``), except the PHP export and the Excel 2003 XML workbook.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from dashboard.domain import regions
from dashboard.ingest import columns as C
from dashboard.ingest import normalise as N
from dashboard.ingest.reading import UnreadableFile
from dashboard.ingest.roster import commit_roster, validate_roster
from dashboard.store.database import Store

UPLOADS = Path(__file__).resolve().parents[1] / "uploads"
OFFICE = UPLOADS / "office"
_spec = importlib.util.spec_from_file_location("make_patterns", UPLOADS / "make_office_patterns.py")
mp = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(mp)  # type: ignore[union-attr]
BIN = Path(sys.executable).with_name("netralitas")


def _data(name: str) -> bytes:
    return mp.FILES[name]() if name in mp.FILES else (OFFICE / name).read_bytes()


def _check(name: str, lang: str = "en", store: Store | None = None):  # noqa: ANN202
    return validate_roster(_data(name), name, lang=lang, store=store)


def _found(report) -> set[tuple[int | None, str | None, str]]:  # noqa: ANN001
    return set(report.issues.select("row", "column", "code").iter_rows())


# -- one sheet per work unit ---------------------------------------------------------------

UNITS = ["units_50.xlsx", "units_50.ods", "units_50_calc.xlsx"]
UNITS_EXPECTED = {
    (None, "No", "extra_column"),
    (None, None, "sheets_read"),
    (None, None, "sheet_not_read_instructions"),
    (None, None, "sheet_not_read_empty"),
    (None, None, "sheet_not_read_other_table"),
    (mp.UNIT_BAD[1], "status_tanda_tangan", "status_unknown"),
}


@pytest.mark.parametrize("name", UNITS)
def test_every_unit_sheet_is_read_and_named(name: str) -> None:
    report = _check(name)
    parts = report.raw.fmt.parts
    assert [p.name for p in parts] == mp.UNIT_NAMES
    assert [p.rows for p in parts] == [3] * 50
    assert {p.header_row for p in parts} == {mp.UNIT_HEADER_ROW}
    assert report.rows == 150 and report.valid_rows == 149
    assert _found(report) == UNITS_EXPECTED
    bad = report.issues.filter(pl.col("code") == "status_unknown")
    assert bad.select("sheet", "row").row(0) == mp.UNIT_BAD[:2]
    table = report.issue_table()  # what the upload page shows
    assert table.columns[:2] == ["Sheet", "Row"]
    assert table.filter(pl.col("Code") == "status_unknown").row(0)[:2] == mp.UNIT_BAD[:2]
    # every sheet named, with its rows; every sheet not read named with its reason
    read = report.issues.filter(pl.col("code") == "sheets_read")["message"].item()
    assert all(f"{unit} (3)" in read for unit in mp.UNIT_NAMES)
    skipped = report.issues.filter(pl.col("code").str.starts_with("sheet_not_read_"))
    assert dict(zip(skipped["code"], skipped["value"], strict=True)) == {
        "sheet_not_read_instructions": "Petunjuk",
        "sheet_not_read_empty": "Sheet3",
        "sheet_not_read_other_table": "Rekap",
    }
    # the rows themselves, against the generator's own
    expected = [
        (row[1], row[-2] == "Sudah")
        for unit in range(50)
        for row in mp.unit_rows(unit)
        if row[-2] != mp.UNIT_BAD[2]
    ]
    got = report.valid.sort("_row").select("nip", "signed").rows()
    assert got == expected


def test_unit_sheets_in_the_cli_report_text_and_json() -> None:
    path = str(OFFICE / "units_50.ods")
    env = {"NETRALITAS_STORE": "/nonexistent/never-used.duckdb", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [str(BIN), "validate", path, "--json", "--lang", "en"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert out.returncode == 1, out.stderr
    doc = json.loads(out.stdout)
    assert (doc["rows"], doc["valid_rows"]) == (150, 149)
    assert [(e["sheet"], e["row"], e["code"]) for e in doc["errors"]] == [
        ("Bidang Aset", 5, "status_unknown")
    ]
    assert all(w["sheet"] is None for w in doc["warnings"])  # whole-file warnings
    text = subprocess.run(
        [str(BIN), "validate", path, "--lang", "en"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert "Row Bidang Aset!5\tstatus_tanda_tangan\tstatus_unknown" in text.stdout


def test_a_nip_on_two_sheets_names_both_as_sheet_and_row() -> None:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    for unit in range(2):
        ws = wb.add_worksheet(mp.UNIT_NAMES[unit])
        ws.write_row(0, 0, mp.UNIT_HEAD)
        rows = mp.unit_rows(0)  # both sheets list the same three officials
        for i, row in enumerate(rows, start=1):
            ws.write_row(i, 0, row)
    wb.close()
    report = validate_roster(buf.getvalue(), "two.xlsx", lang="en")
    dup = report.issues.filter(pl.col("code") == "duplicate_nip").sort("sheet", "row")
    assert dup.select("sheet", "row", "detail").rows() == [
        ("Bidang Anggaran", 2, "Sekretariat!2"),
        ("Bidang Anggaran", 3, "Sekretariat!3"),
        ("Bidang Anggaran", 4, "Sekretariat!4"),
        ("Sekretariat", 2, "Bidang Anggaran!2"),
        ("Sekretariat", 3, "Bidang Anggaran!3"),
        ("Sekretariat", 4, "Bidang Anggaran!4"),
    ]
    rejected = report.rejected_rows()
    assert rejected.select("Sheet", "Row").rows()[:2] == [("Sekretariat", 2), ("Sekretariat", 3)]


def test_sheets_spelling_one_header_two_ways_keep_every_column() -> None:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    heads = {"A": ["No", "N.O.", "NIP", "Nama"], "B": ["NO", "No.", "NIP", "NAMA"]}
    for name, head in heads.items():
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, [*head, "Jabatan", "Instansi", "Provinsi", "Status TTD"])
        ws.write_row(1, 0, ["1", "2", mp.unit_nip(len(name), 0), f"Pegawai {name}"])
    wb.close()
    report = validate_roster(buf.getvalue(), "two.xlsx", lang="en")
    assert [p.name for p in report.raw.fmt.parts] == ["A", "B"]
    assert report.raw.headers == [
        "No",
        "N.O.",
        "NIP",
        "Nama",
        "Jabatan",
        "Instansi",
        "Provinsi",
        "Status TTD",
        "No.",
    ]
    assert report.raw.frame.select("No", "N.O.", "No.", "Nama").rows() == [
        ("1", "2", None, "Pegawai A"),
        ("1", None, "2", "Pegawai B"),
    ]


def test_sheets_naming_the_same_columns_in_other_words_are_one_table() -> None:
    import xlsxwriter

    heads = {
        "Sekretariat": ["NIP", "Nama", "Jabatan", "Instansi", "Provinsi", "Status TTD"],
        "Bidang Aset": ["Nomor Induk Pegawai", "Nama Lengkap", "Jabatan", "OPD", "Propinsi"]
        + ["Status"],
        "Rekap": ["Unit Kerja", "Jumlah", "Sudah TTD"],  # another table: not read
    }
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    for k, (name, head) in enumerate(heads.items()):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, head)
        ws.write_row(1, 0, [mp.unit_nip(k, 0), f"Pegawai {k}", "Camat", "Pemkab Kotim"])
        ws.write_row(1, 4, ["Kalteng", "Sudah"])
    wb.close()
    report = validate_roster(buf.getvalue(), "units.xlsx", lang="en")
    assert [p.name for p in report.raw.fmt.parts] == ["Sekretariat", "Bidang Aset"]
    assert report.raw.headers == heads["Sekretariat"]
    assert report.candidates.sort("_row").select("nip", "name", "signed").rows() == [
        (mp.unit_nip(0, 0), "Pegawai 0", True),
        (mp.unit_nip(1, 0), "Pegawai 1", True),
    ]
    skipped = report.issues.filter(pl.col("code") == "sheet_not_read_other_table")
    assert skipped["value"].to_list() == ["Rekap"]


def test_a_sheet_asked_for_is_the_only_one_read() -> None:
    report = validate_roster(_data("units_50.ods"), "u.ods", sheet="Bidang Aset", lang="en")
    assert report.raw.fmt.parts == () and report.rows == 3
    assert _found(report) == {
        (None, "No", "extra_column"),
        (mp.UNIT_BAD[1], "status_tanda_tangan", "status_unknown"),
    }


# -- two-row header under a merged group ---------------------------------------------------

TWO_ROW = [
    "two_row_header.xlsx",
    "two_row_header.xls",
    "two_row_header.ods",
    "two_row_header.csv",
    "two_row_header_calc_html.xls",
]
TWO_ROW_HEADERS = [
    "No",
    "NIP",
    "Nama",
    "Jabatan",
    "Instansi",
    "Provinsi",
    "Kab/Kota",
    "Tanda Tangan \u203a Pakta Integritas",
    "Tanda Tangan \u203a Ikrar",
    "Tanggal TTD",
    "Keterangan",
]


@pytest.mark.parametrize("name", TWO_ROW)
def test_two_row_header_names_columns_from_group_and_sub_header(name: str) -> None:
    report = _check(name)
    assert report.raw.headers == TWO_ROW_HEADERS
    assert report.raw.fmt.header_row == mp.TWO_ROW_HEADER_ROW
    assert report.mapping.columns[C.STATUS] == TWO_ROW_HEADERS[7]
    assert report.mapping.columns[C.IKRAR] == TWO_ROW_HEADERS[8]
    assert report.rows == len(mp.TWO_ROW_DATA) and not report.has_errors
    got = report.valid.sort("_row").select("_row", "nip", "signed", "pledged").rows()
    assert got == [(i, d[0], d[5], d[6]) for i, d in enumerate(mp.TWO_ROW_DATA)]


@pytest.mark.parametrize("name", ["two_row_header.ods", "two_row_header.csv"])
def test_two_row_header_pledges_reach_the_store(name: str, seed_store: Store) -> None:
    report = _check(name, store=seed_store)
    result = commit_roster(report, seed_store, uploaded_by="tester")
    assert result.upload_id is not None
    stored = seed_store.query(
        "SELECT nip, signed, pledged, signed_date FROM officials WHERE upload_id = $u ORDER BY nip",
        {"u": result.upload_id},
    ).rows()

    def date(text: str) -> dt.date | None:
        return dt.datetime.strptime(text, "%d/%m/%Y").date() if text else None

    assert stored == sorted((d[0], d[5], d[6], date(d[4])) for d in mp.TWO_ROW_DATA)


def test_excel_2003_xml_workbook_is_read_with_its_merges() -> None:
    report = _check("simpeg_2003.xls")
    assert report.raw.fmt.kind == "xml" and report.raw.fmt.sheet == "Pakta"
    assert report.raw.headers == TWO_ROW_HEADERS
    assert report.raw.fmt.header_row == mp.XML_HEADER_ROW
    assert _found(report) == {
        (None, "No", "extra_column"),
        (None, None, "sheet_chosen"),
        (None, None, "sheet_not_read_instructions"),
        *((r, "jenjang_jabatan", "position_level_inferred") for r in (4, 5, 6)),
    }
    got = report.valid.sort("_row").select("nip", "signed", "pledged").rows()
    assert got == [(d[0], d[5], d[6]) for d in mp.XML_DATA]


# -- headers by their words, check marks, Indonesian dates, short region names --------------


@pytest.mark.parametrize("name", ["words_marks_dates.xlsx", "words_marks_dates.ods"])
def test_worded_headers_marks_and_excel_dates(name: str) -> None:
    report = _check(name)
    assert report.mapping.columns == {
        C.NIP: "NIP",
        C.NAMA: "NAMA PEGAWAI",
        C.JABATAN: "JABATAN",
        C.INSTANSI: "OPD",
        C.PROVINSI: "PROVINSI",
        C.KABUPATEN_KOTA: "KAB/KOTA",
        C.STATUS: "STATUS PENANDATANGANAN",  # a line break in the cell
        C.TANGGAL: "TGL. PENANDATANGANAN",
    }
    rows = range(2, 2 + len(mp.WORDS_DATA))
    assert _found(report) == {(r, "jenjang_jabatan", "position_level_inferred") for r in rows}
    got = report.valid.sort("_row").select("nip", "signed", "signed_date", "regency_code").rows()
    assert got == [
        (mp.words_nip(i), signed, dt.date.fromisoformat(iso) if iso else None, "6201")
        for i, (_, _, signed, iso) in enumerate(mp.WORDS_DATA, start=1)
    ]


def _roster_csv(status: list[str]) -> bytes:
    head = "nip,nama,jabatan,instansi,provinsi,kabupaten_kota,status_tanda_tangan\n"
    body = "".join(
        f"19850{i}0{i}2010011{i:03d},Pegawai {i},Analis,Pemkab Kotim,Kalteng,Kotim,{s}\n"
        for i, s in enumerate(status, start=1)
    )
    return (head + body).encode()


def test_without_check_marks_x_is_not_understood_and_empty_is_required() -> None:
    report = validate_roster(_roster_csv(["Sudah", "x", "-", ""]), "m.csv", lang="en")
    status = {(r, c) for r, col, c in _found(report) if col == C.STATUS}
    assert status == {(3, "status_unknown"), (4, "required"), (5, "required")}


def test_with_check_marks_x_dash_and_empty_mean_not_signed() -> None:
    marks = ["\u2713", "\u221a", "v", "V", "x", "X", "-", "\u2013", ""]
    report = validate_roster(_roster_csv(marks), "m.csv", lang="en")
    assert not report.has_errors
    assert report.valid.sort("_row")["signed"].to_list() == [True] * 4 + [False] * 5


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("21-Sep-23", "2023-09-21"),
        ("Kamis, 21-Sep-23", "2023-09-21"),
        ("02-Okt-23", "2023-10-02"),
        ("02-Oct-2023", "2023-10-02"),
        ("1-Jan-24", "2024-01-01"),
        ("14-Feb-24", "2024-02-14"),
        ("5-Mar-24", "2024-03-05"),
        ("30-Apr-24", "2024-04-30"),
        ("9-Mei-23", "2023-05-09"),
        ("9-May-23", "2023-05-09"),
        ("1-Jun-23", "2023-06-01"),
        ("17-Jul-23", "2023-07-17"),
        ("15-Agu-2023", "2023-08-15"),
        ("15-Agt-23", "2023-08-15"),
        ("15-Aug-23", "2023-08-15"),
        ("3-Nov-23", "2023-11-03"),
        ("3-Nop-23", "2023-11-03"),
        ("Selasa, 05-Des-2023", "2023-12-05"),
        ("05-Dec-23", "2023-12-05"),
        ("Monday, 04-Dec-23", "2023-12-04"),
        ("31-Feb-23", None),  # no such day
        ("21-Foo-23", None),
    ],
)
def test_day_month_name_dates(text: str, iso: str | None) -> None:
    got = pl.select(N.parse_date(pl.lit(text)).struct.field("date")).item()
    assert got == (dt.date.fromisoformat(iso) if iso else None)


def _word_rules() -> list[C.WordRule]:
    return list(C.header_word_rules())


@pytest.mark.parametrize("rule", _word_rules(), ids=lambda r: f"{r.column}:{'_'.join(r.words)}")
def test_each_header_word_rule_names_its_column(rule: C.WordRule) -> None:
    # this very row is the first the example satisfies, and the mapping follows it
    first = next(r for r in C.header_word_rules() if C.header_words(rule.example) >= set(r.words))
    assert first == rule
    assert C.auto_mapping([rule.example]).columns == {rule.column: rule.example}


@pytest.mark.parametrize(
    ("column", "alias"), [(c, a) for c, names in C.ROSTER_ALIASES.items() for a in names]
)
def test_each_roster_alias_names_its_column(column: str, alias: str) -> None:
    assert C.auto_mapping([alias]).columns == {column: alias}


def test_two_headers_worded_for_one_column_are_reported_not_guessed() -> None:
    heads = ["NIP", "Nama", "Jabatan", "OPD", "Provinsi", "STATUS TTD PAKTA"]
    heads += ["TGL PENANDATANGANAN PAKTA", "TGL PENANDATANGANAN IKRAR"]
    mapping = C.auto_mapping(heads)
    assert mapping.columns[C.STATUS] == "STATUS TTD PAKTA" and C.TANGGAL not in mapping.columns
    assert mapping.ambiguous == ((C.TANGGAL, tuple(heads[-2:])),)
    row = ",".join(heads) + "\n198001012005011001,Ani,Camat,Pemkab Kotim,Kalteng,Sudah,,\n"
    report = validate_roster(row.encode(), "a.csv", lang="en")
    said = report.issues.filter(pl.col("code") == "column_ambiguous")
    assert said["severity"].to_list() == ["warning"]
    assert "TGL PENANDATANGANAN PAKTA; TGL PENANDATANGANAN IKRAR" in said["message"].item()


def _short_names() -> list[dict[str, str]]:
    with regions.REGENCY_SHORT_NAMES_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("row", _short_names(), ids=lambda r: f"{r['alias']}-{r['code']}")
def test_each_regional_short_name_resolves_exactly(row: dict[str, str]) -> None:
    assert row["note"].strip()
    names = dict(regions.load_regions().select("code", "name").iter_rows())
    assert names[row["code"]] == row["name"]
    got = regions.resolve(row["alias"], "kabupaten", row["code"][:2])
    assert (got.code, got.method) == (row["code"], "exact")


@pytest.mark.parametrize(
    ("alias", "code"), [("Kobar", "6201"), ("Barsel", "6204"), ("Kutim", "6408")]
)
def test_an_exact_short_name_is_never_outranked_by_a_fuzzy_match(alias: str, code: str) -> None:
    # without a province at all, the alias still wins over names that merely look alike
    got = regions.resolve(alias, "kabupaten", None)
    assert (got.code, got.method, got.suggestions) == (code, "exact", ())


# -- markup saved as .xls ------------------------------------------------------------------


def test_php_html_export_is_read_as_a_table() -> None:
    report = _check("php_export.xls")
    assert report.raw.fmt.kind == "html"
    assert report.raw.headers == mp.HTML_HEAD
    assert report.candidates.sort("_row").select("nip", "name", "regency_code").rows() == [
        ("198001012005011001", "Sri Wahyuni", "6202"),
        ("198505052010012003", "Siti & Aminah", "6202"),
    ]
    assert not report.has_errors


@pytest.mark.parametrize(
    ("data", "code", "named"),
    [
        (b"<html><body><p>Data pegawai</p></body></html>", "markup_no_table", "HTML"),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:'
            b'spreadsheet"><Worksheet',
            "markup_unreadable",
            "Excel 2003 XML",
        ),
    ],
)
def test_markup_without_a_table_is_refused_naming_its_format(
    data: bytes, code: str, named: str
) -> None:
    with pytest.raises(UnreadableFile) as err:
        validate_roster(data, "export.xls")
    assert err.value.code == code and named in str(err.value.detail["value"])


# -- no internal names in what a clerk reads ------------------------------------------------


def test_blank_repeated_and_long_headers_read_as_a_clerk_would() -> None:
    long_head = "Lorem ipsum " * 420
    head = f"NIP,Nama,Jabatan,Instansi,Provinsi,Status TTD,Nama,{long_head},,,\n"
    row = "198001012005011001,Ani,Camat,Pemkab Kotim,Kalteng,Sudah,Ani,x,,y,\n"
    report = validate_roster((head + row).encode(), "h.csv", lang="en")
    assert report.raw.headers[-3:] == ["Nama (G)", long_head.strip(), "Kolom J"]
    shown = " ".join(report.issues["message"].to_list() + report.issues["column"].to_list())
    for internal in ("_duplicated_", "kolom_", "__UNNAMED__", long_head.strip()):
        assert internal not in shown
    extra = report.issues.filter(pl.col("code") == "extra_column")["column"].to_list()
    assert extra == ["Lorem ipsum " * 4 + "Lorem ipsum\u2026", "Kolom J"]  # 60 characters
    assert max(len(m) for m in report.issues["message"]) < 200
