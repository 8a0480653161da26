"""Which rows are data: blank, separator-only, numbering and footer rows are not."""

from __future__ import annotations

import polars as pl

from dashboard.ingest.layout import TAIL_ROWS, classify, row_ranges

COLS = ["nip", "nama", "jabatan", "instansi", "status"]


def _frame(rows: list[list[str | None]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=dict.fromkeys(COLS, pl.String), orient="row")


def _data(i: int) -> list[str | None]:
    return [f"19800101200501{i:04d}", f"Nama {i}", "Pelaksana", "Dinas X", "Sudah"]


def test_blank_and_numbering_rows_go_silently_anywhere_in_a_large_frame() -> None:
    rows: list[list[str | None]] = [["1", "2", "3", "4", "5"]]  # column numbers
    rows += [_data(i) for i in range(1, 3000)]
    rows[1500] = [None] * 5
    rows[1501] = [";;;;", None, None, None, None]
    rows[1502] = ["17", None, None, None, None]  # a running number alone
    rows[1503] = ["  ", " ", "", "\u00a0", None]  # whitespace only
    layout = classify(_frame(rows))
    dropped = layout.keep.not_().arg_true().to_list()
    assert dropped == [0, 1500, 1501, 1502, 1503]
    assert layout.footer == ()


def test_footer_rows_are_found_below_the_table() -> None:
    rows = [_data(i) for i in range(1, 300)]
    rows += [
        ["JUMLAH", None, None, None, "299"],
        [None] * 5,
        [None, None, None, "Mukomuko, 2 Oktober 2023", None],
        [None, None, None, "Mengetahui,", None],
        [None, None, None, "Kepala BKPSDM", None],
        [None, None, None, "Drs. Ahmad Yani", None],
        [None, None, None, "NIP. 19700101 199003 1 001", None],
    ]
    layout = classify(_frame(rows))
    assert layout.footer == (299, 301, 302, 303, 304, 305)
    assert layout.keep.sum() == 299


def test_a_sparse_row_followed_by_data_is_data_not_a_footer() -> None:
    rows = [_data(i) for i in range(1, 10)]
    rows.insert(5, [None, "Mengetahui,", None, None, None])
    rows.append(["TOTAL 9", None, None, None, None])
    layout = classify(_frame(rows))
    assert layout.footer == (10,)  # the row in the middle stays (its errors are reported)
    assert layout.keep.sum() == 10


def test_a_footer_only_looked_for_in_the_tail() -> None:
    rows = [_data(i) for i in range(1, TAIL_ROWS * 3)]
    rows[10] = ["JUMLAH", None, None, None, "3"]  # far from the end, data follows: data
    assert classify(_frame(rows)).footer == ()


def test_row_ranges() -> None:
    assert row_ranges([35, 30, 31, 32, 32]) == "30\u201332, 35"
    assert row_ranges([]) == ""
