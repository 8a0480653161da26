"""Sources of the office-pattern fixtures: workbooks as Indonesian offices keep them.

One sheet per work unit, a two-row header under a merged group, headers worded in full,
check marks for the status, dates as Indonesian-locale Excel shows them, an HTML table
saved as .xls, clerks' short region names. ``make_office_fixtures.sh`` opens these in
LibreOffice Calc and saves what the tests read (``tests/uploads/office/``); the expected
values below are the tests' independent truth.

    python tests/uploads/make_office_patterns.py DIR
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

# -- one sheet per work unit ----------------------------------------------------------------

UNIT_NAMES = [
    "Sekretariat",
    "Bidang Anggaran",
    "Bidang Aset",
    "Bidang Akuntansi",
    "Bidang Perbendaharaan",
    *[f"UPT Wilayah {i:02d}" for i in range(1, 46)],
]
UNIT_HEAD = [
    "No",
    "NIP",
    "Nama",
    "Jabatan",
    "Jenjang",
    "Instansi",
    "Provinsi",
    "Kab/Kota",
    "Status TTD",
    "Tgl TTD",
]
UNIT_HEADER_ROW = 3  # a title row, a blank row, then the header
UNIT_AGENCY = "BPKAD Provinsi Kalimantan Tengah"
# the one bad cell: Bidang Aset, second data row (row 5 of that sheet)
UNIT_BAD = ("Bidang Aset", 5, "mungkin")


def unit_nip(unit: int, i: int) -> str:
    """A well-formed 18-digit NIP, distinct per unit and row."""
    return f"1980{(unit % 12) + 1:02d}{i + 10:02d}2005{(unit % 12) + 1:02d}1{unit * 3 + i:03d}"


def unit_rows(unit: int) -> list[list[str]]:
    name = UNIT_NAMES[unit]
    rows = []
    for i in range(3):
        status = "Sudah" if (unit + i) % 2 == 0 else "Belum"
        if (name, UNIT_HEADER_ROW + 1 + i) == UNIT_BAD[:2]:
            status = UNIT_BAD[2]
        rows.append(
            [
                str(i + 1),
                unit_nip(unit, i),
                f"Pegawai {unit:02d}-{i}",
                f"Kepala Seksi {name}",
                "Pengawas",
                UNIT_AGENCY,
                "Kalimantan Tengah",
                "Palangka Raya",
                status,
                "25/09/2023" if status == "Sudah" else "",
            ]
        )
    return rows


def units_xlsx_bytes() -> bytes:
    """Instructions first, 50 unit sheets with the same header, a recap table, an empty sheet."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    guide = wb.add_worksheet("Petunjuk")
    guide.write_column(0, 0, ["Petunjuk pengisian", "Satu lembar per unit kerja."])
    text = wb.add_format({"num_format": "@"})
    for unit, name in enumerate(UNIT_NAMES):
        ws = wb.add_worksheet(name)
        ws.write_string(0, 0, f"DAFTAR PEJABAT {name.upper()}")
        ws.write_row(UNIT_HEADER_ROW - 1, 0, UNIT_HEAD)
        for i, row in enumerate(unit_rows(unit), start=UNIT_HEADER_ROW):
            for j, v in enumerate(row):
                if v:
                    ws.write_string(i, j, v, text)
    recap = wb.add_worksheet("Rekap")
    recap.write_row(0, 0, ["No", "Unit Kerja", "Jumlah Pegawai", "Sudah TTD"])
    recap.write_row(1, 0, ["1", "Sekretariat", "3", "2"])
    wb.add_worksheet("Sheet3")
    wb.close()
    return buf.getvalue()


# -- a two-row header: "Tanda Tangan" merged over "Pakta Integritas" and "Ikrar" ----------------

TWO_ROW_TOP = ["No", "NIP", "Nama", "Jabatan", "Instansi", "Provinsi", "Kab/Kota", "Tanda Tangan"]
TWO_ROW_SUB = ["Pakta Integritas", "Ikrar"]
TWO_ROW_LAST = ["Tanggal TTD", "Keterangan"]
TWO_ROW_HEADER_ROW = 4  # title, subtitle, then the two header rows (3 and 4)
# (nip, name, pact, pledge, date) -> signed, pledged
TWO_ROW_DATA = [
    ("198001012005011001", "Sri Wahyuni", "Sudah", "Sudah", "25/09/2023", True, True),
    ("198505052010012003", "Siti Aminah", "Sudah", "Belum", "26/09/2023", True, False),
    ("198203152006041002", "Budi Santoso", "Belum", "Belum", "", False, False),
    ("199001012015031004", "Rina Marlina", "Sudah", "Sudah", "27/09/2023", True, True),
]


def two_row_header_xlsx_bytes() -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Pakta")
    head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter"})
    text = wb.add_format({"num_format": "@"})
    ws.write_string(0, 0, "DAFTAR PENANDATANGANAN PAKTA INTEGRITAS DAN IKRAR NETRALITAS ASN")
    ws.write_string(1, 0, "PEMERINTAH KABUPATEN MUKOMUKO")
    top, sub = 2, 3
    for j, name in enumerate(TWO_ROW_TOP[:-1]):
        ws.merge_range(top, j, sub, j, name, head)
    g = len(TWO_ROW_TOP) - 1
    ws.merge_range(top, g, top, g + 1, TWO_ROW_TOP[-1], head)
    ws.write_row(sub, g, TWO_ROW_SUB, head)
    for k, name in enumerate(TWO_ROW_LAST):
        ws.merge_range(top, g + 2 + k, sub, g + 2 + k, name, head)
    for i, (nip, name, pact, pledge, date, _, _) in enumerate(TWO_ROW_DATA, start=sub + 1):
        row = [
            str(i - sub),
            nip,
            name,
            "Kepala Seksi Umum",
            "Pemkab Mukomuko",
            "Bengkulu",
            "Mukomuko",
            pact,
            pledge,
            date,
            "",
        ]
        for j, v in enumerate(row):
            if v:
                ws.write_string(i, j, v, text)
    wb.close()
    return buf.getvalue()


# -- headers in full words, check marks, dates as Indonesian Excel shows them ---------------------

WORDS_HEAD = [
    "NIP",
    "NAMA PEGAWAI",
    "JABATAN",
    "OPD",
    "PROVINSI",
    "KAB/KOTA",
    "STATUS\nPENANDATANGANAN",
    "TGL. PENANDATANGANAN",
]
# (status mark, date as shown, signed, ISO date or None)
WORDS_DATA = [
    ("\u2713", "21-Sep-23", True, "2023-09-21"),
    ("\u221a", "Kamis, 21-Sep-23", True, "2023-09-21"),
    ("v", "02-Okt-23", True, "2023-10-02"),
    ("V", "15-Agu-2023", True, "2023-08-15"),
    ("\u2713", "3-Nop-23", True, "2023-11-03"),
    ("\u2713", "Selasa, 05-Des-2023", True, "2023-12-05"),
    ("\u2713", "9-Mei-23", True, "2023-05-09"),
    ("x", "", False, None),
    ("X", "", False, None),
    ("-", "", False, None),
    ("\u2013", "", False, None),
    ("", "", False, None),
]


def words_nip(i: int) -> str:
    return f"19850{(i % 9) + 1}0{(i % 9) + 1}2010011{i:03d}"


def words_marks_xlsx_bytes() -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Data")
    wrap = wb.add_format({"text_wrap": True, "bold": True})
    text = wb.add_format({"num_format": "@"})
    ws.write_row(0, 0, WORDS_HEAD, wrap)
    for i, (mark, date, _, _) in enumerate(WORDS_DATA, start=1):
        row = [
            words_nip(i),
            f"Pegawai {i}",
            "Analis Kebijakan",
            "Dinas Kominfo Kabupaten Kotawaringin Barat",
            "Kalteng",
            "Kobar",
            mark,
            date,
        ]
        for j, v in enumerate(row):
            if v:
                ws.write_string(i, j, v, text)
    wb.close()
    return buf.getvalue()


# -- an HTML table saved as .xls (a PHP personnel system's "Export Excel") ----------------------

HTML_HEAD = ["NIP", "Nama", "Jabatan", "Instansi", "Provinsi", "Kabupaten/Kota", "Status TTD"]
HTML_DATA = [
    ["198001012005011001", "Sri Wahyuni", "Camat", "Pemkab Kotim", "Kalteng", "Kotim", "Sudah"],
    ["198505052010012003", "Siti &amp; Aminah", "Lurah", "Pemkab Kotim", "Kalteng"]
    + ["Kotim", "Belum"],
]


def html_xls_bytes() -> bytes:
    head = "".join(f"<th>{h}</th>" for h in HTML_HEAD)
    body = "".join(
        "<tr>" + "".join(f"<td style=\"mso-number-format:'\\@'\">{v}</td>" for v in r) + "</tr>"
        for r in HTML_DATA
    )
    return (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">\n'
        '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        "<title>Export Data Pegawai</title></head>\n<body>\n"
        "<h3>DATA PEGAWAI</h3>\n"
        f'<table border="1">\n<tr>{head}</tr>\n{body}\n</table>\n</body></html>\n'
    ).encode()


# -- SpreadsheetML 2003: an XML workbook as Excel 2003 writes it, saved with an .xls name ------

XML_DATA = TWO_ROW_DATA[:3]


def spreadsheetml_bytes() -> bytes:
    """Written by hand in Excel 2003's own layout (LibreOffice 7.4 cannot export it): a
    notes sheet, then the roster with "Tanda Tangan" merged across its two sub-headers and
    the other headers merged down over both header rows."""

    def cell(value: str, kind: str = "String", extra: str = "") -> str:
        return f'<Cell{extra}><Data ss:Type="{kind}">{value}</Data></Cell>'

    down = ' ss:MergeDown="1"'
    top = "".join(cell(h, extra=down) for h in TWO_ROW_TOP[:-1])
    top += cell(TWO_ROW_TOP[-1], extra=' ss:MergeAcross="1"')
    top += "".join(cell(h, extra=down) for h in TWO_ROW_LAST)
    sub = cell(TWO_ROW_SUB[0], extra=f' ss:Index="{len(TWO_ROW_TOP)}"') + cell(TWO_ROW_SUB[1])
    body = ""
    for i, (nip, name, pact, pledge, date, _, _) in enumerate(XML_DATA, start=1):
        values = [nip, name, "Kepala Seksi Umum", "Pemkab Mukomuko", "Bengkulu", "Mukomuko"]
        row = cell(str(i), "Number") + "".join(cell(v) for v in values)
        row += cell(pact) + cell(pledge) + (cell(date) if date else "")
        body += f"<Row>{row}</Row>\n"
    return (
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
        '<Worksheet ss:Name="Catatan"><Table>'
        f"<Row>{cell('Diekspor dari SIMPEG')}</Row></Table></Worksheet>\n"
        '<Worksheet ss:Name="Pakta"><Table>\n'
        f"<Row>{cell('DAFTAR PENANDATANGANAN PAKTA INTEGRITAS')}</Row>\n"
        f"<Row>{top}</Row>\n<Row>{sub}</Row>\n{body}"
        "</Table></Worksheet>\n</Workbook>\n"
    ).encode()


XML_HEADER_ROW = 3

FILES = {
    "units_50.xlsx": units_xlsx_bytes,
    "two_row_header.xlsx": two_row_header_xlsx_bytes,
    "words_marks_dates.xlsx": words_marks_xlsx_bytes,
    "php_export.xls": html_xls_bytes,
    "simpeg_2003.xls": spreadsheetml_bytes,
}


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for name, make in FILES.items():
        (target / name).write_bytes(make())
    print(f"{len(FILES)} files in {target}")
