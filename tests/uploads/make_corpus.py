"""Write the messy-file corpus the upload tests read.

    .venv/bin/python tests/uploads/make_corpus.py [DIR] [--large]

Each file imitates something offices really send: Indonesian-locale Excel's
semicolons in Windows-1252 with NIPs already mangled to ``1,98E+17``, UTF-8
with BOM and English headers, tab-separated with a title row, a workbook with
several sheets and number-typed NIP cells, empty / header-only / binary files,
formula-like cells, and (with ``--large``) 10 MB lines. The rows are kept here
as data so tests can compute expected figures independently of the pipeline.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DIR = HERE / "corpus"

CLERK_HEADER = [
    "No",
    "NIP",
    "Nama Lengkap",
    "Jabatan",
    "Jenjang",
    "Instansi",
    "Unit Kerja",
    "Provinsi",
    "Kab/Kota",
    "Status TTD",
    "Tgl TTD",
    "Ikrar",
    "Keterangan",
]
MUKO = ("Pemkab Mukomuko", "Bengkulu", "Kab. Muko-Muko")
# one official listed twice (same NIP) in the clerk file
_SITI = (
    "198505052010012003",
    "Siti Aminah",
    "Kepala Seksi Umum",
    "Pengawas",
    MUKO,
    "Sudah",
    "26/09/2023",
    "ya",
)

# (nip, name, position, level, (agency, province, regency), status, date, pledge)
# Spreadsheet row = index + 2. Comments say what each row exercises.
CLERK_ROWS: list[tuple[str, str, str, str, tuple[str, str, str], str, str, str]] = [
    ("", "H. Sapuan", "Bupati", "", MUKO, "Sudah", "25/09/2023", "ya"),  # 2 elected, no NIP
    ("", "Wasri", "Wakil Bupati", "", MUKO, "sdh", "25-09-2023", "ya"),  # 3 elected
    (
        "198001012005011001",
        "Dra. Sri Wahyuni, M.Si.",
        "Kepala Dinas Pendidikan",
        "JPT Pratama",
        MUKO,
        "Sudah",
        "25 September 2023",
        "ya",
    ),  # 4 clean
    (
        "1,98E+17",
        "Muh. Sa\u2019ad",
        "Kepala Dinas Sosial",
        "JPT Pratama",
        MUKO,
        "Sudah",
        "25/09/2023",
        "ya",
    ),  # 5 Excel-mangled NIP (Indonesian locale)
    (
        "1.98001E+17",
        "Rahmat Hidayat",
        "Kepala Dinas Kesehatan",
        "JPT Pratama",
        MUKO,
        "Belum",
        "",
        "",
    ),  # 6 Excel-mangled NIP
    (
        "198203152006041002",
        "Budi Santoso",
        "Camat Kota Mukomuko",
        "",
        MUKO,
        "Belum",
        "",
        "tidak",
    ),  # 7 level inferred, unsigned
    (
        "19820315200604100",
        "Nur Aini",
        "Kepala Bidang Anggaran",
        "Administrator",
        MUKO,
        "Sudah",
        "26/09/2023",
        "ya",
    ),  # 8 NIP 17 digits
    _SITI,  # 9 duplicate NIP with 10
    _SITI,  # 10 duplicate NIP with 9
    (
        "198607072011011004",
        "Agus Salim",
        "Kepala Seksi Data",
        "Pengawas",
        ("Pemkab Mukomuko", "Bengkulu", "Kab. Gunungkidul"),
        "Sudah",
        "26/09/2023",
        "ya",
    ),  # 11 regency not in province
    (
        "198708082012012005",
        "Dewi Lestari",
        "Kepala Seksi",
        "Pengawas",
        ("Pemkab Mukomuko", "Atlantis", "Kab. Muko-Muko"),
        "Sudah",
        "26/09/2023",
        "ya",
    ),  # 12 unknown province
    (
        "198809092013011006",
        "Eko Prasetyo",
        "Kepala Seksi",
        "Pengawas",
        MUKO,
        "mungkin",
        "",
        "",
    ),  # 13 status not understood
    (
        "198910102014012007",
        "Fitri Handayani",
        "Kepala Seksi",
        "Pengawas",
        MUKO,
        "Sudah",
        "",
        "ya",
    ),  # 14 signed without a date
    (
        "199011112015011008",
        "Gunawan",
        "Kepala Seksi",
        "Pengawas",
        MUKO,
        "Sudah",
        "31/12/2030",
        "ya",
    ),  # 15 date in the future
    (
        "190001012005011009",
        "Hartono",
        "Kepala Seksi",
        "Pengawas",
        MUKO,
        "Sudah",
        "27/09/2023",
        "ya",
    ),  # 16 birth date in NIP implausible
    (
        "199212122016012010",
        "Indah Permata",
        "Kepala Seksi",
        "Pengawas",
        ("Pemkab Mukomuko", "Bengkuluu", "Kab. Muko-Muko"),
        "Sudah",
        "27/09/2023",
        "ya",
    ),  # 17 province matched fuzzily
    (
        "199301012017011011",
        "",
        "Kepala Seksi",
        "Pengawas",
        MUKO,
        "Sudah",
        "27/09/2023",
        "ya",
    ),  # 18 name missing
    (
        "199302022017012012",
        "=cmd|' /C calc'!A0",
        "Kepala Seksi",
        "Pengawas",
        MUKO,
        "Sudah",
        "27/09/2023",
        "ya",
    ),  # 19 formula injection
    (
        "199303032017011013",
        "Joko Widodo",
        "Kepala Seksi",
        "Eselon X",
        MUKO,
        "Sudah",
        "27/09/2023",
        "ya",
    ),  # 20 position level unknown
    (
        "19930404201701101A",
        "Kartika Sari",
        "Kepala Seksi",
        "Pengawas",
        MUKO,
        "Sudah",
        "27/09/2023",
        "ya",
    ),  # 21 NIP with a letter
    ("", "Lukman Hakim", "Kepala Seksi", "Pengawas", MUKO, "Belum", "", ""),  # 22 NIP missing
    (
        "199306062017011015",
        "Maya Sari",
        "Kepala Seksi",
        "Pengawas",
        MUKO,
        "Sudah",
        "bukan tanggal",
        "ya",
    ),  # 23 date unreadable
    (
        "199307072017012016",
        "Nanda Putri",
        "Kepala Seksi Pelayanan",
        "Pengawas",
        MUKO,
        "1",
        "45194",
        "1",
    ),  # 24 Excel serial date, 1/0 statuses
]

# (row, column, code) the validator must report for the clerk file, nothing more
CLERK_EXPECTED: set[tuple[int | None, str | None, str]] = {
    (None, "No", "extra_column"),
    (2, "jenjang_jabatan", "position_level_inferred"),
    (3, "jenjang_jabatan", "position_level_inferred"),
    (5, "nip", "nip_scientific"),
    (6, "nip", "nip_scientific"),
    (7, "jenjang_jabatan", "position_level_inferred"),
    (8, "nip", "nip_length"),
    (9, "nip", "duplicate_nip"),
    (10, "nip", "duplicate_nip"),
    (11, "kabupaten_kota", "regency_not_in_province"),
    (12, "provinsi", "region_unknown"),
    (13, "status_tanda_tangan", "status_unknown"),
    (14, "tanggal_tanda_tangan", "signed_without_date"),
    (15, "tanggal_tanda_tangan", "date_out_of_range"),
    (16, "nip", "nip_birthdate_implausible"),
    (17, "provinsi", "region_fuzzy"),
    (18, "nama", "required"),
    (19, "nama", "formula_like"),
    (20, "jenjang_jabatan", "position_level_unknown"),
    (21, "nip", "nip_format"),
    (22, "nip", "required"),
    (23, "tanggal_tanda_tangan", "date_invalid"),
}
# rows (spreadsheet numbering) that are valid and land with --accept-valid
CLERK_VALID_ROWS = (2, 3, 4, 7, 14, 15, 16, 17, 24)
SIGNED_WORDS = {"sudah", "sdh", "ya", "1", "✓", "true"}


def clerk_valid_rows() -> list[tuple]:
    return [CLERK_ROWS[r - 2] for r in CLERK_VALID_ROWS]


def _clerk_lines(rows: list[tuple]) -> list[list[str]]:
    out = [CLERK_HEADER]
    for i, (nip, name, pos, lvl, (ag, prov, reg), st, date, pledge) in enumerate(rows, start=1):
        out.append([str(i), nip, name, pos, lvl, ag, "", prov, reg, st, date, pledge, ""])
    return out


def _csv(lines: list[list[str]], sep: str) -> str:
    def cell(v: str) -> str:
        return f'"{v}"' if (sep in v or '"' in v) else v

    return "\r\n".join(sep.join(cell(c.replace('"', '""')) for c in ln) for ln in lines) + "\r\n"


def clerk_csv_bytes() -> bytes:
    """Semicolons + Windows-1252, as Indonesian-locale Excel writes them."""
    return _csv(_clerk_lines(CLERK_ROWS), ";").encode("cp1252")


# A second, clean roster of the same agency: used for replace / append / rollback tests.
# (nip, name, position, level, status, date)
MUKO_V2: list[tuple[str, str, str, str, str, str]] = [
    ("", "H. Sapuan", "Bupati", "Pejabat Negara", "Sudah", "25/09/2023"),
    (
        "198001012005011001",
        "Dra. Sri Wahyuni, M.Si.",
        "Kepala Dinas Pendidikan",
        "JPT Pratama",
        "Sudah",
        "25/09/2023",
    ),
    # was unsigned in the clerk file: newly signed
    (
        "198203152006041002",
        "Budi Santoso",
        "Camat Kota Mukomuko",
        "Administrator",
        "Sudah",
        "02/10/2023",
    ),
    ("199401012018011001", "Oki Setiawan", "Kepala Seksi Baru", "Pengawas", "Belum", ""),
]


def muko_v2_bytes(rows: list[tuple[str, str, str, str, str, str]] = MUKO_V2) -> bytes:
    head = [
        "nip",
        "nama",
        "jabatan",
        "jenjang_jabatan",
        "instansi",
        "provinsi",
        "kabupaten_kota",
        "status_tanda_tangan",
        "tanggal_tanda_tangan",
    ]
    lines = [head] + [
        [nip, name, pos, lvl, *MUKO, st, date] for nip, name, pos, lvl, st, date in rows
    ]
    return _csv(lines, ",").encode("utf-8")


BOM_ROWS = [
    (
        "197501012000031001",
        "Katma F. Dirun",
        "Kepala Badan",
        "JPT Pratama",
        "✓",
        "September 21, 2023",
    ),
    ("198002022005011002", "Sutoyo", "Kepala Dinas", "JPT Pratama", "✓", "2023-09-25"),
    ("198503032010012003", "Rina Marlina", "Analis Kebijakan Ahli Muda", "", "✗", ""),
]


def bom_csv_bytes() -> bytes:
    """UTF-8 with BOM, commas, English headers, ✓/✗ statuses."""
    head = ["Employee ID", *ENGLISH_HEAD[1:]]  # the English headers, the NIP one plain
    lines = [head] + [
        [nip, name, pos, lvl, "Badan Kesbangpol Provinsi Kalimantan Tengah", "Kalteng", "", st, d]
        for nip, name, pos, lvl, st, d in BOM_ROWS
    ]
    return b"\xef\xbb\xbf" + _csv(lines, ",").encode("utf-8")


def tab_bytes() -> bytes:
    """Tab-separated with a title row and a blank row above the header (header = row 3)."""
    head = [
        "NIP",
        "Nama",
        "Jabatan",
        "Jenjang Jabatan",
        "OPD",
        "Provinsi",
        "Kabupaten/Kota",
        "Status Tanda Tangan",
        "Tanggal",
    ]
    lines = [
        ["DAFTAR PENANDATANGAN PAKTA INTEGRITAS SETWAN GUNUNGKIDUL"],
        [],
        head,
        [
            "197001011990031001",
            "Hery Sukaswadi",
            "Sekretaris DPRD",
            "",
            "Setwan Gunungkidul",
            "DIY",
            "Gunung Kidul",
            "TTD",
            "Senin, 2 Oktober 2023",
        ],
        [
            "NIP-KOSONG",
            "Staf Satu",
            "Pengadministrasi Umum",
            "Pelaksana",
            "Setwan Gunungkidul",
            "DIY",
            "Gunung Kidul",
            "belum",
            "",
        ],
    ]
    return _csv(lines, "\t").encode("utf-8")


# The roster template's columns, in order, written out here (not imported from the app) so
# the tests compare the app's template with an independent list.
TEMPLATE_HEADERS = (
    "nip",
    "nama",
    "jabatan",
    "jenjang_jabatan",
    "instansi",
    "unit_kerja",
    "provinsi",
    "kabupaten_kota",
    "status_tanda_tangan",
    "tanggal_tanda_tangan",
    "ikrar",
    "keterangan",
)


def formula_bytes() -> bytes:
    """Cells that start with = + @ (spreadsheet formulas / CSV injection)."""
    head = list(TEMPLATE_HEADERS[: TEMPLATE_HEADERS.index("status_tanda_tangan") + 1])
    lines = [
        head,
        [
            "198001012005011001",
            "=1+1",
            "Kepala Seksi",
            "Pengawas",
            *MUKO[:1],
            "",
            *MUKO[1:],
            "Sudah",
        ],
        [
            "198001012005011002",
            "Ani",
            "+Kepala Seksi",
            "Pengawas",
            *MUKO[:1],
            "@SUM(A1)",
            *MUKO[1:],
            "Belum",
        ],
        [
            "198001012005011003",
            "Ina",
            "Kepala Seksi",
            "Pengawas",
            *MUKO[:1],
            "-",
            *MUKO[1:],
            "Belum",
        ],
    ]
    return _csv(lines, ",").encode("utf-8")


FORMULA_EXPECTED = {
    (2, "nama", "formula_like"),
    (3, "jabatan", "formula_like"),
    (3, "unit_kerja", "formula_like"),
}


def missing_columns_bytes() -> bytes:
    return b"nip,nama,jabatan,provinsi\n198001012005011001,Ani,Camat,Bengkulu\n"


def xlsx_bytes() -> bytes:
    """A workbook: sheet 1 a cover note, sheet 2 the roster with number-typed NIP cells and
    real date cells, sheet 3 empty."""
    import io

    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    cover = wb.add_worksheet("Sampul")
    cover.write_string(0, 0, "Roster Pemprov NTB, lihat lembar Roster")
    ws = wb.add_worksheet("Roster")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    head = [
        "NIP",
        "Nama",
        "Jabatan",
        "Jenjang Jabatan",
        "Instansi",
        "Provinsi",
        "Kabupaten/Kota",
        "Status",
        "Tanggal TTD",
    ]
    ws.write_row(0, 0, head)
    # row 2: NIP as text, date cell
    ws.write_string(1, 0, "196801011990031001")
    ws.write_row(1, 1, ["Lalu Gita Ariadi", "Penjabat Gubernur", "", "Pemprov NTB", "NTB", ""])
    ws.write_string(1, 7, "Sudah")
    ws.write_datetime(1, 8, dt.datetime(2023, 9, 28), date_fmt)
    # row 3: NIP typed as a number: Excel kept 15 digits
    ws.write_number(2, 0, 197002021995031002)
    ws.write_row(2, 1, ["Baiq Nelly", "Kepala Biro Umum", "JPT Pratama", "Pemprov NTB", "NTB", ""])
    ws.write_string(2, 7, "Sudah")
    ws.write_datetime(2, 8, dt.datetime(2023, 9, 28), date_fmt)
    # row 4: NIP text, date typed as text, unsigned
    ws.write_string(3, 0, "197503032000032003")
    ws.write_row(
        3,
        1,
        [
            "Ahmad Fauzi",
            "Kepala Bagian Protokol",
            "Administrator",
            "Pemprov NTB",
            "Nusa Tenggara Barat",
            "",
        ],
    )
    ws.write_string(3, 7, "Belum")
    wb.add_worksheet("Kosong")
    wb.close()
    return buf.getvalue()


XLSX_EXPECTED = {
    (2, "jenjang_jabatan", "position_level_inferred"),
    (3, "nip", "nip_scientific"),
}


def events_bytes() -> bytes:
    head = [
        "tanggal",
        "presisi_tanggal",
        "instansi",
        "provinsi",
        "kabupaten_kota",
        "jenis_kegiatan",
        "dipimpin_oleh",
        "saksi",
        "jumlah_sasaran",
        "jumlah_sudah_tanda_tangan",
        "sumber",
    ]
    lines = [
        head,
        # 2: a ceremony known to the day, at a seed agency typed differently
        [
            "25/09/2023",
            "",
            "DPMPTSP Prov. Kalteng",
            "Kalteng",
            "Palangkaraya",
            "Pakta dan Ikrar",
            "Sutoyo",
            "",
            "",
            "",
            "MMC",
        ],
        # 3: counts reported, only the month known, a new agency
        [
            "Oktober 2023",
            "",
            "Dinas Pendidikan Kabupaten Mukomuko",
            "Bengkulu",
            "Kab. Muko-Muko",
            "pakta",
            "",
            "KPU; Bawaslu",
            "40",
            "36",
            "ANTARA",
        ],
        # 4: signed more than targeted
        [
            "2023",
            "tahun",
            "Setwan Gunungkidul",
            "DIY",
            "Gunungkidul",
            "ikrar",
            "",
            "",
            "10",
            "12",
            "",
        ],
        # 5: unknown kind, unreadable date, precision not understood
        ["kemarin", "minggu", "Setwan Gunungkidul", "DIY", "", "apel", "", "", "", "", ""],
    ]
    return _csv(lines, ",").encode("utf-8")


EVENTS_EXPECTED = {
    (4, "jumlah_sudah_tanda_tangan", "signed_exceeds_target"),
    (5, "tanggal", "date_invalid"),
    (5, "presisi_tanggal", "precision_unknown"),
    (5, "jenis_kegiatan", "event_kind_unknown"),
}

# -- files as offices really send them ------------------------------------------------------

KESBANG = ("Badan Kesbangpol Provinsi Kalimantan Tengah", "Kalimantan Tengah", "")
# a roster without a position-level column: (nip, name, position, level it implies)
NO_LEVEL_ROWS: list[tuple[str, str, str, str]] = [
    ("197501012000031001", "Katma F. Dirun", "Kepala Biro Umum", "jpt_pratama"),
    ("198002022005011002", "Sutoyo", "Pelaksana", "pelaksana"),
    ("198503032010012003", "Rina Marlina", "Analis Kebijakan", "fungsional"),
    ("198604042011011004", "Yusuf", "Pengemudi", "pelaksana"),
    ("198705052012012005", "Wati", "Pengawas", "pengawas"),
    ("198806062013011006", "Bambang", "Ajudan Kepala Badan", "tidak_diketahui"),
]


def no_level_bytes() -> bytes:
    head = ["NIP", "Nama", "Jabatan", "Instansi", "Provinsi", "Status", "Tanggal TTD"]
    lines = [head] + [
        [nip, name, pos, KESBANG[0], KESBANG[1], "Sudah", "21/09/2023"]
        for nip, name, pos, _ in NO_LEVEL_ROWS
    ]
    return _csv(lines, ",").encode("utf-8")


NO_LEVEL_EXPECTED = {
    (
        i + 2,
        "jenjang_jabatan",
        "position_level_missing" if lvl == "tidak_diketahui" else "position_level_inferred",
    )
    for i, (_, _, _, lvl) in enumerate(NO_LEVEL_ROWS)
}

FULL_HEAD = [
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


def _muko_row(no: str, nip: str, name: str, pos: str, lvl: str) -> list[str]:
    return [no, nip, name, pos, lvl, *MUKO, "Sudah", "25/09/2023"]


def blank_and_footer_bytes() -> bytes:
    """Blank, separator-only and running-number rows between blocks; a totals row and a
    signature block below the table. Semicolons, as Indonesian-locale Excel writes."""
    sep = ";" * (len(FULL_HEAD) - 1)
    lines = [
        FULL_HEAD,  # 1
        _muko_row(
            "1", "198001012005011001", "Sri Wahyuni", "Kepala Dinas Pendidikan", "JPT Pratama"
        ),
        [],  # 3 blank
        [sep],  # 4 separators only (written as one cell: the line is ';;;;;;;;;')
        ["3"],  # 5 a running number and nothing else
        _muko_row("4", "198505052010012003", "Siti Aminah", "Kepala Seksi Umum", "Pengawas"),
        [""] * len(FULL_HEAD),  # 7 empty cells
        ["JUMLAH", "", "", "", "", "", "", "", "2", ""],  # 8
        [],  # 9
        ["", "", "", "", "", "Mukomuko, 2 Oktober 2023"],  # 10
        ["", "", "", "", "", "Mengetahui,"],  # 11
        ["", "", "", "", "", "Kepala Badan Kepegawaian Daerah"],  # 12
        ["", "", "", "", "", "Drs. H. Ahmad Yani, M.Si."],  # 13
        ["", "", "", "", "", "NIP. 19700101 199003 1 001"],  # 14
    ]
    return "\r\n".join(";".join(c for c in ln) for ln in lines).encode("cp1252") + b"\r\n"


BLANK_FOOTER_VALID_ROWS = (2, 6)
BLANK_FOOTER_EXPECTED = {(None, None, "rows_skipped"), (None, "No", "extra_column")}
BLANK_FOOTER_SKIPPED = "8, 10\u201314"

# English headers (one with the known name in parentheses), Yes/No, English province names
ENGLISH_HEAD = [
    "Employee ID (NIP)",
    "Full Name",
    "Position",
    "Position Level",
    "Agency",
    "Province",
    "Regency/City",
    "Signed",
    "Date Signed",
]
ENGLISH_ROWS = [
    ["197501012000031001", "Katma F. Dirun", "Kepala Badan", "JPT Pratama",
     "Badan Kesbangpol Provinsi Kalimantan Tengah", "Central Kalimantan", "", "Yes", "2023-09-21"],
    ["198002022005011002", "Lalu Gita", "Kepala Biro Umum", "JPT Pratama",
     "Pemerintah Provinsi Nusa Tenggara Barat", "West Nusa Tenggara", "", "Signed", "2023-09-28"],
    ["198503032010012003", "Hery Sukaswadi", "Sekretaris DPRD", "JPT Pratama",
     "Sekretariat DPRD Kabupaten Gunungkidul", "Special Region of Yogyakarta",
     "Gunungkidul Regency", "No", ""],
    ["198604042011011004", "Ani", "Analis Kebijakan", "Fungsional",
     "Dinas Kominfo Provinsi DKI Jakarta", "Jakarta", "", "Not signed", ""],
]  # fmt: skip
ENGLISH_PROVINCES = ["62", "52", "34", "31"]
ENGLISH_SIGNED = [True, True, False, False]


def unicode_text_bytes(big_endian: bool = False) -> bytes:
    """Excel's "Unicode Text": UTF-16 with BOM, tab-separated, CRLF."""
    text = "\r\n".join("\t".join(r) for r in [ENGLISH_HEAD, *ENGLISH_ROWS]) + "\r\n"
    return ("\ufeff" + text).encode("utf-16-be" if big_endian else "utf-16-le")


def utf8_nobom_bytes() -> bytes:
    """Google Sheets' CSV export: UTF-8 without BOM, commas, quoted when needed."""
    rows = [[*r[:1], "\u0110o\u00e0n Th\u1ecb H\u00e0" if i == 0 else r[1], *r[2:]]
            for i, r in enumerate(ENGLISH_ROWS)]  # fmt: skip
    return _csv([ENGLISH_HEAD, *rows], ",").encode("utf-8")


def latin1_bytes() -> bytes:
    """Latin-1 with accented names (an old export)."""
    rows = [[*r[:1], "Jos\u00e9 Ram\u00edrez" if i == 0 else r[1], *r[2:]]
            for i, r in enumerate(ENGLISH_ROWS)]  # fmt: skip
    return _csv([ENGLISH_HEAD, *rows], ";").encode("latin-1")


MIXED_NAME = "\u0110o\u00e0n Th\u1ecb H\u00e0"


def mixed_encoding_bytes() -> bytes:
    """A file pasted together: UTF-8 rows, and row 4 typed on a Windows-1252 machine."""
    lines = [ENGLISH_HEAD, *ENGLISH_ROWS]
    out = []
    for i, ln in enumerate(lines):
        row = list(ln)
        if i == 1:
            row[1] = MIXED_NAME
        if i == 3:
            row[1] = "H\u00e9ry Suk\u00e2swadi"
        text = ",".join(row) + "\r\n"
        out.append(text.encode("cp1252") if i == 3 else text.encode("utf-8"))
    return b"".join(out)


MIXED_FOREIGN_ROWS = "4"


def nul_late_bytes() -> bytes:
    """A NUL byte inside a name, 8 KB past the start (a probe of the first KB misses it)."""
    head = "nip,nama,jabatan,jenjang_jabatan,instansi,provinsi,kabupaten_kota,status_tanda_tangan,"
    head += "tanggal_tanda_tangan\n"
    rows = [
        f"198001012005011{i:03d},Pegawai {i},Pengadministrasi Umum,Pelaksana,"
        "Pemkab Mukomuko,Bengkulu,Mukomuko,Belum,\n"
        for i in range(200)
    ]
    rows[150] = rows[150].replace("Pegawai 150", "Na\x00ma")
    return (head + "".join(rows)).encode("utf-8")


NUL_ROW = 152  # header = row 1, rows[150] is row 152


def title_rows_xlsx_bytes(title_rows: int = 3) -> bytes:
    """A workbook whose first sheet is instructions, and whose roster sheet carries a title
    and a subtitle above the header (header = row 4), then a footer."""
    import io

    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    guide = wb.add_worksheet("Petunjuk")
    guide.write_column(0, 0, ["Petunjuk pengisian", "1. Isi NIP sebagai teks", "2. Simpan"])
    ws = wb.add_worksheet("Data Pejabat")
    ws.write_string(0, 0, "DAFTAR PEJABAT PENANDATANGAN PAKTA INTEGRITAS")
    ws.write_string(1, 0, "PEMERINTAH KABUPATEN MUKOMUKO TAHUN 2023")
    ws.write_row(title_rows, 0, FULL_HEAD)
    body = [
        _muko_row(
            "1", "198001012005011001", "Sri Wahyuni", "Kepala Dinas Pendidikan", "JPT Pratama"
        ),
        _muko_row("2", "198505052010012003", "Siti Aminah", "Kepala Seksi Umum", "Pengawas"),
        _muko_row("3", "198203152006041002", "Budi Santoso", "Camat Kota Mukomuko", ""),
    ]
    for i, row in enumerate(body, start=title_rows + 1):
        for j, v in enumerate(row):
            ws.write_string(i, j, v)
    end = title_rows + 1 + len(body)
    ws.write_string(end + 1, 5, "Mengetahui,")
    ws.write_string(end + 2, 5, "Kepala BKPSDM")
    ws.write_string(end + 4, 5, "NIP. 19700101 199003 1 001")
    wb.close()
    return buf.getvalue()


TITLE_XLSX_HEADER_ROW = 4
TITLE_XLSX_EXPECTED = {
    (None, None, "sheet_chosen"),
    (None, None, "sheet_not_read_instructions"),  # the "Petunjuk" sheet, named
    (None, None, "rows_skipped"),
    (None, "No", "extra_column"),
    (7, "jenjang_jabatan", "position_level_inferred"),
}
TITLE_XLSX_SKIPPED = "9\u201310, 12"


TEN_MB = 10 * 1024 * 1024


def long_cell_bytes() -> bytes:
    """A valid row whose note is a 10 MB line."""
    head = (
        "nip,nama,jabatan,jenjang_jabatan,instansi,provinsi,kabupaten_kota,"
        "status_tanda_tangan,keterangan\n"
    )
    row = "198001012005011001,Ani,Camat,Administrator,Pemkab Mukomuko,Bengkulu,Mukomuko,Sudah,"
    return (head + row + "x" * TEN_MB + "\n").encode()


def single_line_bytes() -> bytes:
    """10 MB on one line, no newline at all."""
    return b"nip;" + b"a" * TEN_MB


def binary_bytes() -> bytes:
    """A PNG header and noise, renamed .csv."""
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64


FILES = {
    "clerk_semicolon_cp1252.csv": clerk_csv_bytes,
    "muko_v2.csv": lambda: muko_v2_bytes(),
    "bom_english.csv": bom_csv_bytes,
    "tab_title_row.txt": tab_bytes,
    "formula_cells.csv": formula_bytes,
    "missing_columns.csv": missing_columns_bytes,
    "several_sheets.xlsx": xlsx_bytes,
    "events.csv": events_bytes,
    "empty.csv": lambda: b"",
    "header_only.csv": lambda: b"nip;nama;jabatan;instansi;provinsi;status_tanda_tangan\r\n",
    "binary_renamed.csv": binary_bytes,
    "no_level_column.csv": no_level_bytes,
    "blank_rows_footer.csv": blank_and_footer_bytes,
    "unicode_text_le.txt": unicode_text_bytes,
    "unicode_text_be.txt": lambda: unicode_text_bytes(big_endian=True),
    "google_sheets_utf8.csv": utf8_nobom_bytes,
    "latin1.csv": latin1_bytes,
    "mixed_utf8_cp1252.csv": mixed_encoding_bytes,
    "nul_after_8kb.csv": nul_late_bytes,
    "title_rows_instructions.xlsx": title_rows_xlsx_bytes,
}
LARGE_FILES = {
    "long_cell_10mb.csv": long_cell_bytes,
    "single_line_10mb.csv": single_line_bytes,
}


def build(directory: Path, large: bool = True) -> dict[str, Path]:
    """Write every corpus file into ``directory``; returns name -> path."""
    directory.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, make in {**FILES, **(LARGE_FILES if large else {})}.items():
        path = directory / name
        path.write_bytes(make())
        out[name] = path
    return out


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    target = Path(args[0]) if args else DEFAULT_DIR
    written = build(target, large="--large" in sys.argv)
    print(f"{len(written)} files in {target}")
