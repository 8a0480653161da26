"""Honest text: no byte of an upload is changed or dropped without the clerk being told.

A NUL byte anywhere in a cell is an error for that cell (the old reader only probed the
first 8 KB and stored "Na\\x00ma" silently further down). A file whose bytes are not valid
in the detected encoding (UTF-8 rows pasted together with Windows-1252 ones) is read
without mojibake and warned about, naming the rows (the old reader decoded it all as
Windows-1252 and stored "Đoàn" as "Ä\\x90oÃ\\xa0n" without a word).
"""

from __future__ import annotations

import polars as pl

from dashboard.ingest.roster import validate_roster

HEAD = (
    "nip,nama,jabatan,jenjang_jabatan,instansi,provinsi,kabupaten_kota,"
    "status_tanda_tangan,tanggal_tanda_tangan\n"
)


def _row(i: int, name: str) -> str:
    return (
        f"198001012005011{i:03d},{name},Pengadministrasi Umum,Pelaksana,"
        "Pemkab Mukomuko,Bengkulu,Mukomuko,Belum,\n"
    )


def _triples(report) -> set[tuple[int | None, str | None, str]]:  # noqa: ANN001
    return set(report.issues.select("row", "column", "code").iter_rows())


def test_nul_byte_past_the_first_8kb_is_an_error_on_its_cell() -> None:
    rows = [_row(i, f"Pegawai {i}") for i in range(200)]
    rows[150] = _row(150, "Na\x00ma")
    data = (HEAD + "".join(rows)).encode("utf-8")
    assert data.index(b"\x00") > 8192
    report = validate_roster(data, "nul.csv")
    assert _triples(report) == {(152, "nama", "control_char")}
    assert report.valid_rows == 199
    assert not report.valid["name"].str.contains("\x00", literal=True).any()
    assert "U+0000" in report.issues["message"].item()


def test_nul_byte_near_the_top_is_a_cell_error_not_a_binary_file() -> None:
    data = (HEAD + _row(1, "Bu\x00di") + _row(2, "Ani")).encode("utf-8")
    report = validate_roster(data, "nul.csv", lang="en")
    assert _triples(report) == {(2, "nama", "control_char")}
    assert report.valid["name"].to_list() == ["Ani"]


def test_mixed_utf8_and_cp1252_is_read_without_mojibake_and_names_the_rows() -> None:
    data = (
        HEAD.encode("utf-8")
        + _row(1, "\u0110o\u00e0n Th\u1ecb H\u00e0").encode("utf-8")
        + _row(2, "Ani").encode("utf-8")
        + _row(3, "H\u00e9ry Suk\u00e2swadi").encode("cp1252")
        + _row(4, "Budi").encode("utf-8")
        + _row(5, "Jos\u00e9").encode("cp1252")
    )
    report = validate_roster(data, "mixed.csv", lang="en")
    names = report.valid.sort("_row")["name"].to_list()
    assert names == [
        "\u0110o\u00e0n Th\u1ecb H\u00e0",
        "Ani",
        "H\u00e9ry Suk\u00e2swadi",
        "Budi",
        "Jos\u00e9",
    ]
    assert _triples(report) == {(None, None, "encoding_mixed")}
    warning = report.issues.filter(pl.col("code") == "encoding_mixed")
    assert warning["severity"].item() == "warning"
    assert "rows 4, 6 " in warning["message"].item()


def test_a_clean_windows_1252_file_is_not_called_mixed() -> None:
    data = (HEAD + _row(1, "Jos\u00e9") + _row(2, "Muh. Sa\u2019ad")).encode("cp1252")
    report = validate_roster(data, "cp1252.csv")
    assert report.raw.fmt.encoding == "cp1252" and _triples(report) == set()
    assert report.valid["name"].to_list() == ["Jos\u00e9", "Muh. Sa\u2019ad"]
