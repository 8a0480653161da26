"""Excel-safe exports: formula-like cells neutralised, NIPs kept as text, both formats readable."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import polars as pl

from dashboard.render.export import excel_safe, stamped_name, to_csv_bytes, to_xlsx_bytes

FRAME = pl.DataFrame(
    {
        "name": ['=HYPERLINK("http://x")', "+62 812", "-1", "@SUM(A1)", "\tTab", "Budi", None],
        "nip": ["012345678901234567", "198001012005011001", None, "1", "2", "3", "4"],
        "n": [1, 2, 3, 4, 5, 6, 7],
        "day": [dt.date(2023, 9, 25)] * 7,
    }
)


def test_excel_safe_prefixes_formula_like_text_only() -> None:
    out = excel_safe(FRAME)
    assert out["name"].to_list() == [
        '\'=HYPERLINK("http://x")',
        "'+62 812",
        "'-1",
        "'@SUM(A1)",
        "'\tTab",
        "Budi",
        None,
    ]
    assert out["nip"].to_list() == FRAME["nip"].to_list()
    assert out["n"].to_list() == FRAME["n"].to_list()
    assert out.schema == FRAME.schema


def test_csv_has_bom_and_neutralised_cells() -> None:
    data = to_csv_bytes(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pl.read_csv(io.BytesIO(data[3:]), schema_overrides={"nip": pl.String})
    assert back["name"][0] == '\'=HYPERLINK("http://x")'
    assert back["name"][5] == "Budi"
    assert back["nip"][0] == "012345678901234567"
    assert back["n"].sum() == 28


def test_xlsx_stores_strings_as_strings() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(FRAME, sheet="belum")))
    ws = wb["belum"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("name", "nip", "n", "day")
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    assert ws.cell(row=2, column=1).data_type == "s"  # text, not a formula
    assert rows[1][1] == "012345678901234567"  # leading zero kept: stored as text
    assert ws.cell(row=2, column=2).data_type == "s"
    assert [r[2] for r in rows[1:]] == [1, 2, 3, 4, 5, 6, 7]
    assert rows[1][3].date() == dt.date(2023, 9, 25)


def test_list_columns_are_joined() -> None:
    df = pl.DataFrame({"sources": [["roster", "laporan"], []]})
    data = to_csv_bytes(df)
    assert data[3:].decode().splitlines() == ["sources", '"roster, laporan"', '""']


def test_stamped_name() -> None:
    assert stamped_name("belum tanda/tangan", "csv", dt.date(2024, 2, 14)) == (
        "belum-tanda-tangan-2024-02-14.csv"
    )
    assert stamped_name("", "xlsx", dt.date(2024, 2, 14)) == "data-2024-02-14.xlsx"


PREAMBLE = ("Belum Tanda Tangan · Kab. Kotawaringin Barat, Kalimantan Tengah", "=Filter: x, y")


def test_csv_preamble_comes_first_then_an_empty_row_then_the_table() -> None:
    text = to_csv_bytes(FRAME, preamble=PREAMBLE)[3:].decode()
    lines = text.splitlines()
    assert lines[:3] == [f'"{PREAMBLE[0]}"', '"\'=Filter: x, y"', ""]
    back = pl.read_csv(io.StringIO("\n".join(lines[3:])), schema_overrides={"nip": pl.String})
    assert back.equals(
        pl.read_csv(io.BytesIO(to_csv_bytes(FRAME)[3:]), schema_overrides={"nip": pl.String})
    )


def test_xlsx_preamble_in_the_first_rows_then_the_table() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(FRAME, sheet="x", preamble=PREAMBLE)))
    rows = list(wb["x"].iter_rows(values_only=True))
    assert rows[0][0] == PREAMBLE[0] and rows[1][0] == "'=Filter: x, y"
    assert all(v is None for v in rows[2])
    assert rows[3] == ("name", "nip", "n", "day")
    assert [r[2] for r in rows[4:]] == [1, 2, 3, 4, 5, 6, 7]
