"""Fuzzing the new readers (hypothesis, bounded): markup saved as .xls, header blocks of one
to three rows, workbooks of many sheets. Whatever comes in ends in a report or in
``UnreadableFile``, never in another exception."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.ingest.reading import UnreadableFile
from dashboard.ingest.roster import check_roster, read_roster

OFFICE = Path(__file__).resolve().parents[1] / "uploads" / "office"
HTML = (OFFICE / "two_row_header_calc_html.xls").read_bytes()
XML = (OFFICE / "simpeg_2003.xls").read_bytes()
TWO_ROW_CSV = (OFFICE / "two_row_header.csv").read_bytes()
BOUNDED = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
CELLS = ["", "NIP", "Nama", "Tanda Tangan", "Pakta Integritas", "Ikrar", "Status", "1", "x"]


def _outcome(data: bytes, name: str) -> str:
    try:
        raw = read_roster(data, name)
    except UnreadableFile as exc:
        return exc.code
    check_roster(raw)
    return "report"


@BOUNDED
@given(st.sampled_from([HTML, XML]), st.floats(0.0, 1.0))
def test_truncated_markup_never_crashes(doc: bytes, keep: float) -> None:
    _outcome(doc[: int(len(doc) * keep)], "cut.xls")


@BOUNDED
@given(st.sampled_from([HTML, XML]), st.integers(0, 2000), st.binary(min_size=1, max_size=8))
def test_markup_with_bytes_flipped_never_crashes(doc: bytes, at: int, junk: bytes) -> None:
    at = at % len(doc)
    _outcome(doc[:at] + junk + doc[at + len(junk) :], "flipped.xls")


@BOUNDED
@given(
    st.lists(
        st.lists(st.sampled_from(CELLS), min_size=0, max_size=6),
        min_size=1,
        max_size=6,
    )
)
def test_any_header_block_never_crashes(rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    _outcome(buf.getvalue().encode(), "grid.csv")


@BOUNDED
@given(st.integers(0, len(TWO_ROW_CSV) - 1), st.binary(min_size=1, max_size=8))
def test_two_row_csv_with_bytes_flipped_never_crashes(at: int, junk: bytes) -> None:
    _outcome(TWO_ROW_CSV[:at] + junk + TWO_ROW_CSV[at + len(junk) :], "flipped.csv")


@BOUNDED
@given(
    st.sampled_from(["html", "xml"]),
    st.text(alphabet='<>/=" tdrowspancolTableRowCellDatass:IndexMergeAcrossDown1x', max_size=300),
)
def test_markup_like_text_never_crashes(kind: str, body: str) -> None:
    head = (
        '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        if kind == "xml"
        else "<html><body><table>"
    )
    _outcome((head + body).encode(), "x.xls")
