"""CSV / XLSX exports that are safe to open in Excel (pure: no Streamlit).

A cell that begins with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return) is run as a
formula by spreadsheet programs ("CSV injection"); names and notes typed by clerks can
begin that way. :func:`excel_safe` prefixes such text cells with an apostrophe, which
Excel shows as plain text. Control characters a store may hold (see :mod:`dashboard.text`)
are removed from every text cell. The XLSX writer additionally stores every string as a string
(no formula, number or URL conversion), so 18-digit NIPs keep their leading zeros.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import polars as pl
import xlsxwriter

from dashboard.text import strip_control_expr

_DANGEROUS = r"^[=+\-@\t\r]"


def excel_safe(df: pl.DataFrame) -> pl.DataFrame:
    """Neutralise text cells that a spreadsheet would evaluate as formulas (and drop control
    characters, which no spreadsheet shows)."""
    text_cols = [c for c, t in df.schema.items() if t == pl.String]
    if not text_cols:
        return df
    clean = df.with_columns(strip_control_expr(pl.col(c)).alias(c) for c in text_cols)
    return clean.with_columns(
        pl.when(pl.col(c).str.contains(_DANGEROUS))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text_cols
    )


def _flatten(df: pl.DataFrame) -> pl.DataFrame:
    """Lists/structs have no CSV/Excel form: join lists into text."""
    nested = [c for c, t in df.schema.items() if isinstance(t, pl.List | pl.Array)]
    return df.with_columns(pl.col(c).cast(pl.List(pl.String)).list.join(", ") for c in nested)


def _preamble_csv(preamble: Sequence[str]) -> str:
    """Lines that say what the file holds, one cell each, then an empty row."""
    if not preamble:
        return ""
    rows = excel_safe(pl.DataFrame({"_": list(preamble)}, schema={"_": pl.String}))
    return rows.write_csv(include_header=False, quote_style="always") + "\n"


def to_csv_bytes(df: pl.DataFrame, preamble: Sequence[str] = ()) -> bytes:
    """UTF-8 with BOM (so Excel reads Indonesian names right), comma-separated; the
    ``preamble`` lines (what and where the figures are) come first, then an empty row."""
    body = excel_safe(_flatten(df)).write_csv()
    return b"\xef\xbb\xbf" + (_preamble_csv(preamble) + body).encode("utf-8")


def to_xlsx_bytes(df: pl.DataFrame, sheet: str = "data", preamble: Sequence[str] = ()) -> bytes:
    """One worksheet with a header row, autofiltered and auto-fitted; the ``preamble``
    lines stand in the first rows, the table one row below them."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    frame = excel_safe(_flatten(df))
    ws = wb.add_worksheet(sheet[:31])
    lines = excel_safe(pl.DataFrame({"_": list(preamble)}, schema={"_": pl.String}))["_"]
    for row, line in enumerate(lines):
        ws.write_string(row, 0, line)
    frame.write_excel(
        wb,
        worksheet=ws,
        position=(len(preamble) + 1, 0) if preamble else "A1",
        autofit=True,
        table_style=None,
        dtype_formats={pl.Date: "yyyy-mm-dd", pl.Datetime: "yyyy-mm-dd hh:mm"},
        float_precision=4,
    )
    wb.close()
    return buf.getvalue()


def stamped_name(basename: str, ext: str, today: dt.date | None = None) -> str:
    """``basename-YYYY-MM-DD.ext``: a dated file name so downloads do not overwrite."""
    day = (today or dt.date.today()).isoformat()
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in basename).strip("-")
    return f"{safe or 'data'}-{day}.{ext}"
