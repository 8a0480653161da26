"""The baseline: what most teams would write with pandas and pandera's pandas backend.

Same rules as the project's roster validation (required columns, 18-digit NIP
unless elected, known status words, parseable date, known province / regency
names), row by row in pandas, and a pandas ``groupby`` for the summaries.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from dashboard import columns as C
from dashboard import regions

STATUS_WORDS = ["sudah", "belum", "ya", "tidak", "1", "0", "true", "false", "ttd", "✓", "✗"]


def _schema() -> pa.DataFrameSchema:
    prov_names = set(regions.provinces()["name"].str.to_lowercase().to_list())
    reg_names = set(regions.regencies()["name"].str.to_lowercase().to_list())
    return pa.DataFrameSchema(
        {
            C.NIP: pa.Column(str, pa.Check.str_matches(r"^\d{18}$"), nullable=True),
            C.NAMA: pa.Column(str, pa.Check.str_length(min_value=1)),
            C.JABATAN: pa.Column(str, pa.Check.str_length(min_value=1)),
            C.INSTANSI: pa.Column(str, pa.Check.str_length(min_value=1)),
            C.PROVINSI: pa.Column(
                str, pa.Check(lambda s: s.str.lower().isin(prov_names), element_wise=False)
            ),
            C.KABUPATEN_KOTA: pa.Column(
                str,
                pa.Check(lambda s: s.str.lower().isin(reg_names), element_wise=False),
                nullable=True,
            ),
            C.STATUS: pa.Column(
                str, pa.Check(lambda s: s.str.strip().str.lower().isin(STATUS_WORDS))
            ),
            C.TANGGAL: pa.Column(
                str,
                pa.Check(lambda s: pd.to_datetime(s, format="%d/%m/%Y", errors="coerce").notna()),
                nullable=True,
            ),
        },
        coerce=True,
    )


def validate_with_pandas(csv_path: str) -> dict[str, int]:
    df = pd.read_csv(csv_path, dtype=str, keep_default_na=False, na_values=[""])
    try:
        _schema().validate(df, lazy=True)
        failures = 0
    except pa.errors.SchemaErrors as exc:
        failures = len(exc.failure_cases)
    return {"rows": len(df), "failure_cases": failures}


def summary_with_pandas(csv_path: str, by: str) -> int:
    """Load the roster and group it the way a pandas script would; returns the group count."""
    df = pd.read_csv(csv_path, dtype=str, keep_default_na=False, na_values=[""])
    df["signed"] = df[C.STATUS].str.lower().isin(["sudah", "ya", "1", "true", "ttd", "✓"])
    key = {
        "provinsi": [C.PROVINSI],
        "kabupaten": [C.PROVINSI, C.KABUPATEN_KOTA],
        "instansi": [C.INSTANSI],
    }[by]
    out = df.groupby(key, dropna=False).agg(target=("signed", "size"), signed=("signed", "sum"))
    out["rate"] = out["signed"] / out["target"]
    return len(out)
