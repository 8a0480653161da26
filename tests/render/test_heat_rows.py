"""The province x position-level counts as a table, for widths where the heatmap is unreadable."""

from __future__ import annotations

import polars as pl

from dashboard.render import charts


def test_heat_rows_hold_each_count_in_its_province_row_and_level_column() -> None:
    heat = pl.DataFrame(
        {
            "province_name": ["Jambi", "Aceh", "Jambi", "Aceh"],
            "position_level": ["pengawas", "pengawas", "administrator", "pelaksana"],
            "unsigned": [3, 5, 2, 7],
            "target": [10, 9, 4, 8],
        }
    )
    rows = charts.heat_rows(heat, ["administrator", "pengawas", "pelaksana", "fungsional"])
    assert rows.columns == ["province_name", "administrator", "pengawas", "pelaksana"]
    assert rows.rows() == [("Aceh", None, 5, 7), ("Jambi", 2, 3, None)]
