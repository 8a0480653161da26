"""Control characters in uploaded text are a cell error, named as U+XXXX, never stored.

C0 (but tab, line feed, carriage return), DEL and C1 are invisible, cut by many tools and
refused by the XML inside DOCX letters: a roster that stored one agency name holding
``\\x01`` stopped every letter to that agency. The check is one rule for rosters and events;
the message names the spreadsheet row, the column and the code point, in both languages,
and never echoes the raw byte.
"""

from __future__ import annotations

import re

import polars as pl
import pytest

from dashboard.ingest.events import validate_events
from dashboard.ingest.roster import validate_roster

# written out here, independently of the code under test
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

HEAD = (
    "nip,nama,jabatan,jenjang_jabatan,instansi,provinsi,kabupaten_kota,"
    "status_tanda_tangan,tanggal_tanda_tangan\n"
)
# (spreadsheet row, column, cell text, what the message must name)
BAD = (
    (3, "instansi", "Pemkab\x01 Mukomuko", "U+0001"),
    (4, "nama", "Budi \x1b[31mSantoso", "U+001B"),
    (5, "jabatan", "Pengadministrasi\x7f Umum", "U+007F"),
    (6, "nama", "Ani\x9b Lestari", "U+009B"),
    (7, "instansi", "Dinas\x02 Kesehatan", "U+0002"),
)


def _row(i: int, name: str, position: str, agency: str) -> str:
    return f"198001012005011{i:03d},{name},{position},Pelaksana,{agency},Bengkulu,Mukomuko,Belum,\n"


def _roster() -> bytes:
    rows = [_row(i, f"Pegawai {i}", "Pengadministrasi Umum", "Pemkab Mukomuko") for i in range(7)]
    rows[0] = _row(0, "Tab\tdi tengah", "Pengadministrasi Umum", "Pemkab Mukomuko")
    for line, column, text, _ in BAD:
        i = line - 2
        cells = {"nama": f"Pegawai {i}", "jabatan": "Pengadministrasi Umum"}
        cells["instansi"] = "Pemkab Mukomuko"
        cells[column] = text
        rows[i] = _row(i, cells["nama"], cells["jabatan"], cells["instansi"])
    return (HEAD + "".join(rows)).encode("utf-8")


def _no_control(values: list[str]) -> bool:
    return not any(CONTROL.search(v) for v in values)


@pytest.mark.parametrize(
    ("lang", "phrase"), [("id", "karakter kendali"), ("en", "control character")]
)
def test_roster_cells_with_control_characters_are_errors_naming_row_column_and_code(
    lang: str, phrase: str
) -> None:
    report = validate_roster(_roster(), "kendali.csv", lang=lang)
    found = report.issues.filter(pl.col("code") == "control_char")
    assert sorted(found.select("row", "column").iter_rows()) == sorted(
        (line, column) for line, column, _, _ in BAD
    )
    assert set(found["severity"]) == {"error"}
    for line, column, _, point in BAD:
        message = found.filter((pl.col("row") == line) & (pl.col("column") == column))[
            "message"
        ].item()
        assert point in message and phrase in message and column in message
    # the messages (and every other field of the report) never carry the raw bytes
    report_text = [
        str(v) for col in report.issues.columns for v in report.issues[col].to_list() if v
    ]
    assert _no_control(report_text)
    # the rows with a control character are not stored; the tab in a name is not one
    assert report.valid_rows == 7 - len(BAD)
    assert _no_control(report.valid["name"].to_list() + report.valid["position"].to_list())
    assert report.valid["name"].sort().to_list() == ["Pegawai 6", "Tab di tengah"]


def test_event_cells_with_control_characters_are_errors() -> None:
    head = "tanggal;presisi_tanggal;instansi;provinsi;kabupaten_kota;jenis_kegiatan;judul_sumber"
    lines = [
        head,
        "2023-01-10;tanggal;Pemkab Mukomuko;Bengkulu;Mukomuko;pakta;Berita acara",
        "2023-02-10;tanggal;Pemkab\x01 Mukomuko;Bengkulu;Mukomuko;pakta;Berita acara",
        "2023-03-10;tanggal;Pemkab Mukomuko;Bengkulu;Mukomuko;pakta;Berita \x1b[31m acara",
        "2023-04-10;tanggal;Pemkab Mukomuko;Bengkulu;Mukomuko;pakta;Berita \x9f acara",
    ]
    report = validate_events(("\n".join(lines) + "\n").encode(), "ev.csv", lang="en")
    found = report.issues.filter(pl.col("code") == "control_char")
    assert sorted(found.select("row", "column").iter_rows()) == [
        (3, "instansi"),
        (4, "judul_sumber"),
        (5, "judul_sumber"),
    ]
    messages = dict(zip(found["row"], found["message"], strict=True))
    assert "U+0001" in messages[3] and "U+001B" in messages[4]
    assert "U+009F" in messages[5]
    assert _no_control(found["message"].to_list())
    assert report.valid_rows == 1


def test_renderer_helpers_drop_control_characters_and_keep_the_rest() -> None:
    from dashboard.text import html_escape, html_escape_expr, one_line, plain, strip_control

    raw = "Dinas\x01 <b>Uji</b>\x02 \x1b[31mKéndali\x7f\x9b\tsatu\ndua"
    assert strip_control(raw) == "Dinas <b>Uji</b> [31mKéndali\tsatu\ndua"
    assert one_line(raw) == "Dinas <b>Uji</b> [31mKéndali satu dua"
    assert html_escape(raw) == "Dinas &lt;b&gt;Uji&lt;/b&gt; [31mKéndali\tsatu\ndua"
    column = pl.DataFrame({"v": [raw, None]}).select(html_escape_expr(pl.col("v")))["v"]
    assert column.to_list() == [html_escape(raw), None]
    assert not CONTROL.search(plain(raw)) and "Kéndali" in plain(raw)
