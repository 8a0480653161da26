"""Which rows of a read table are data: blank rows, numbering rows and footers are not.

Office rosters are printed documents first. Between blocks of rows there are blank
lines or lines of bare separators; under the header there is often a row of column
numbers ("1 2 3 …") or a lone running number; below the table come a totals row
("JUMLAH") and a signature block ("Mengetahui,", "Kepala …", a name, "NIP …").
Blank and numbering rows are dropped without a word; a footer is dropped and
reported once. Every kept row keeps its position in the file, so the row numbers
in the report are the spreadsheet's own.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

# a cell that is only separators or whitespace is empty (";;;;" read with another delimiter)
_EMPTY_CELL = r"^[\s;,|\t\u00a0]*$"
# "1", "12.", "(3)": a running number or a column number
_NUMBER_CELL = r"^\(?\d{1,3}\)?\.?$"
# the first words of a footer line (lower-cased, whitespace collapsed)
_FOOTER_START = (
    r"^(jumlah|total|sub\s*total|grand\s*total|mengetahui|menyetujui|ditetapkan|dikeluarkan|"
    r"a\.?\s?n\.?\s|ttd\b|tanda\s+tangan\s*$|nip\b\.?\s*:?\s*\d|nip\.?\s*$|pangkat\b|"
    r"pembina\b|penata\b|[a-z][a-z .'\-]*,\s*\d{1,2}\s+[a-z]+\s+\d{4}$)"
)
# a footer line holds at most this many cells (two signatories side by side)
_FOOTER_MAX_CELLS = 2


# a footer is looked for in the last rows only, a numbering row in the first ones
TAIL_ROWS = 100
HEAD_ROWS = 3


@dataclass(frozen=True)
class Layout:
    keep: pl.Series  # Boolean per row: a data row
    footer: tuple[int, ...]  # 0-based positions of footer rows (reported once)


def _marks(frame: pl.DataFrame) -> pl.DataFrame:
    """Per row of ``frame``: blank, numbering, footer marker, sparse (regexes: few rows)."""
    cells = [
        pl.when(pl.col(c).str.contains(_EMPTY_CELL)).then(None).otherwise(pl.col(c))
        for c in frame.columns
        if c != "_i"
    ]
    filled = pl.sum_horizontal([c.is_not_null() for c in cells])
    numbering = pl.all_horizontal([c.is_null() | c.str.contains(_NUMBER_CELL) for c in cells])
    joined = (
        pl.concat_str(cells, separator=" ", ignore_nulls=True)
        .str.to_lowercase()
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    return frame.select(
        "_i",
        (filled == 0).alias("blank"),
        ((filled > 0) & numbering).alias("numbering"),
        joined.str.contains(_FOOTER_START).fill_null(False).alias("marker"),
        (filled <= _FOOTER_MAX_CELLS).alias("sparse"),
    )


def classify(frame: pl.DataFrame) -> Layout:
    """Mark the data rows of ``frame`` (all String columns).

    A cheap pass (cells filled, bytes per row) picks the candidates: sparse or nearly
    empty rows anywhere, the first rows (a column-number row) and the last ones (a
    footer). Only those are looked at closely, so a clean million-row roster costs
    two integer sums.
    """
    n = frame.height
    if n == 0 or frame.width == 0:
        return Layout(pl.Series("keep", [True] * n, dtype=pl.Boolean), ())
    index = pl.int_range(pl.len(), dtype=pl.Int64).alias("_i")
    cheap = frame.select(
        index,
        pl.sum_horizontal([pl.col(c).is_not_null() for c in frame.columns]).alias("_n"),
        pl.sum_horizontal([pl.col(c).str.len_bytes().fill_null(0) for c in frame.columns]).alias(
            "_b"
        ),
    )
    window = (
        (pl.col("_n") <= _FOOTER_MAX_CELLS)
        | (pl.col("_b") <= 2 * frame.width)
        | (pl.col("_i") < HEAD_ROWS)
        | (pl.col("_i") >= n - TAIL_ROWS)
    )
    picked = cheap.filter(window)["_i"]
    marks = _marks(frame.with_columns(index)[picked])
    # a footer starts at a marker row of the tail after which every row is a marker, a
    # sparse, a numbering or a blank row
    tail = marks.filter(pl.col("_i") >= n - TAIL_ROWS)
    ok = (pl.col("marker") | pl.col("sparse") | pl.col("numbering")).cast(pl.Int8)
    tail = tail.with_columns(
        (pl.col("marker") & ok.reverse().cum_min().reverse().cast(pl.Boolean))
        .cast(pl.Int8)
        .cum_max()
        .cast(pl.Boolean)
        .alias("footer")
    )
    footer = tail.filter(pl.col("footer") & ~pl.col("blank"))["_i"]
    numbering = marks.filter(pl.col("numbering") & ((pl.col("_i") < HEAD_ROWS) | pl.col("sparse")))[
        "_i"
    ]
    drop = pl.concat([marks.filter("blank")["_i"], numbering, tail.filter("footer")["_i"]]).unique()
    if drop.len() == 0:  # the usual case
        return Layout(pl.Series("keep", [True] * n, dtype=pl.Boolean), ())
    keep = cheap.select(~pl.col("_i").is_in(drop.implode())).to_series().alias("keep")
    return Layout(keep, tuple(footer.sort().to_list()))


def row_ranges(rows: list[int] | tuple[int, ...]) -> str:
    """``[30, 31, 32, 35]`` -> ``"30–32, 35"`` (how a clerk reads a list of rows)."""
    out: list[str] = []
    ordered = sorted(set(rows))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        out.append(str(ordered[i]) if i == j else f"{ordered[i]}\u2013{ordered[j]}")
        i = j + 1
    return ", ".join(out)
