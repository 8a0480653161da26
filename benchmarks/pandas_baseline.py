"""The baseline: the import and the summaries as most teams would write them, with pandas.

Import = ``pandas.read_csv`` + a pandera *pandas* schema with the rules the project checks
(required cells, NIP format / scientific notation / duplicates / plausible birth date,
status and pledge words, position level, dates and their range, province and regency
through the same alias table, regency inside its province, formula-like and over-long
cells), then the rows written to a DuckDB file, as a pandas script would. It does less than
the project's import (no fuzzy region matching, no agency matching against the store, no
per-cell messages, no preview, no rollback record), so the ratio flatters the baseline.

Summary = ``read_csv`` + ``groupby`` on the roster file (a pandas team has no store).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from dashboard.domain import regions
from dashboard.ingest import columns as C
from dashboard.ingest import normalise as N

SIGNING_START = pd.Timestamp("2022-09-22")  # SKB on ASN neutrality


def _read(csv_path: str) -> pd.DataFrame:
    with open(csv_path, encoding="utf-8") as f:
        sep = ";" if ";" in f.readline() else ","
    return pd.read_csv(csv_path, sep=sep, dtype=str, keep_default_na=False, na_values=[""])


def _key(s: pd.Series) -> pd.Series:
    """The region-name normalisation of ``regions.normalise_expr``, in pandas."""
    s = s.str.lower().str.strip()
    for pattern, repl in regions._PREFIXES:
        s = s.str.replace(pattern, repl, n=1, regex=True)
    s = s.str.replace(r"\bdan\b", " ", regex=True)
    s = s.str.replace(r"\badm\.?\b|\badministrasi\b", " ", regex=True)
    return s.str.replace(r"[^0-9a-z]", "", regex=True)


def _dates(s: pd.Series) -> pd.Series:
    d = pd.to_datetime(s, format="%d/%m/%Y", errors="coerce")
    return d.fillna(pd.to_datetime(s, format="%Y-%m-%d", errors="coerce"))


def _schema() -> pa.DataFrameSchema:
    aliases = regions.load_aliases().to_pandas()
    prov_alias = aliases[aliases["level"] == "provinsi"].set_index("alias")["code"]
    reg_alias = aliases[aliases["level"] != "provinsi"].drop_duplicates("alias")
    reg_alias = reg_alias.set_index("alias")["code"]
    status_words = {w: True for w in N.STATUS_TRUE} | {w: False for w in N.STATUS_FALSE}
    levels = N.POSITION_WORDS
    today = pd.Timestamp.today().normalize()
    no_formula = pa.Check(lambda s: ~s.fillna("").str.match(r"^\s*[=+@]"), name="formula_like")
    not_long = pa.Check(lambda s: s.fillna("").str.len() <= 500, name="too_long")

    def text(required: bool) -> pa.Column:
        return pa.Column(str, [no_formula, not_long], nullable=not required)

    def level_key(s: pd.Series) -> pd.Series:
        return s.fillna("").str.lower().str.replace(r"[^0-9a-z]", "", regex=True)

    def nip_present_unless_elected(df: pd.DataFrame) -> pd.Series:
        return df[C.NIP].notna() | (level_key(df[C.JENJANG]).map(levels) == "pejabat_negara")

    def regency_in_province(df: pd.DataFrame) -> pd.Series:
        prov = _key(df[C.PROVINSI].fillna("")).map(prov_alias)
        reg = _key(df[C.KABUPATEN_KOTA].fillna("")).map(reg_alias)
        return reg.isna() | prov.isna() | (reg.str[:2] == prov)

    def plausible_birth(s: pd.Series) -> pd.Series:
        born = pd.to_datetime(s.str[:8], format="%Y%m%d", errors="coerce")
        ok = born.notna() & (born.dt.year >= 1940) & (born <= today - pd.DateOffset(years=17))
        return ok | ~s.fillna("").str.fullmatch(r"\d{18}")

    def status_word(s: pd.Series) -> pd.Series:
        return s.str.lower().str.strip().str.rstrip(".").isin(status_words)

    return pa.DataFrameSchema(
        {
            C.NIP: pa.Column(
                str,
                [
                    pa.Check(
                        lambda s: ~s.str.match(r"^\d+(?:[.,]\d+)?[eE][+\-]?\d+$"),
                        name="nip_scientific",
                    ),
                    pa.Check.str_matches(r"^\d{18}$", name="nip_length"),
                    pa.Check(plausible_birth, name="nip_birthdate_implausible"),
                    no_formula,
                ],
                nullable=True,
                unique=True,
                report_duplicates="all",
            ),
            C.NAMA: text(True),
            C.JABATAN: text(True),
            C.JENJANG: pa.Column(
                str, pa.Check(lambda s: level_key(s).isin(levels.keys())), nullable=True
            ),
            C.INSTANSI: text(True),
            C.UNIT_KERJA: text(False),
            C.PROVINSI: pa.Column(str, pa.Check(lambda s: _key(s).isin(prov_alias.index))),
            C.KABUPATEN_KOTA: pa.Column(
                str, pa.Check(lambda s: _key(s).isin(reg_alias.index)), nullable=True
            ),
            C.STATUS: pa.Column(str, pa.Check(status_word)),
            C.TANGGAL: pa.Column(
                str,
                [
                    pa.Check(lambda s: _dates(s).notna(), name="date_invalid"),
                    pa.Check(
                        lambda s: _dates(s).between(SIGNING_START, today) | _dates(s).isna(),
                        name="date_out_of_range",
                    ),
                ],
                nullable=True,
            ),
            C.IKRAR: pa.Column(str, pa.Check(status_word), nullable=True),
            C.KETERANGAN: text(False),
        },
        checks=[
            pa.Check(nip_present_unless_elected, name="nip_required"),
            pa.Check(regency_in_province, name="regency_not_in_province"),
        ],
        strict=False,
    )


def validate_with_pandas(csv_path: str, store_path: str | None = None) -> dict[str, int]:
    """Validate the roster; with ``store_path`` also write it to a DuckDB table."""
    df = _read(csv_path)
    try:
        _schema().validate(df, lazy=True)
        failures = 0
    except pa.errors.SchemaErrors as exc:
        failures = len(exc.failure_cases)
    if store_path is not None:
        import duckdb

        df["signed"] = df[C.STATUS].str.lower().str.strip().isin(N.STATUS_TRUE)
        df["signed_date"] = _dates(df[C.TANGGAL])
        with duckdb.connect(store_path) as con:
            con.register("incoming", df)
            con.execute("CREATE OR REPLACE TABLE officials AS SELECT * FROM incoming")
    return {"rows": len(df), "failure_cases": failures}


def summary_with_pandas(csv_path: str, by: str) -> int:
    """Load the roster and group it the way a pandas script would; returns the group count."""
    df = _read(csv_path)
    df["signed"] = df[C.STATUS].str.lower().str.strip().isin(N.STATUS_TRUE)
    key = {
        "provinsi": [C.PROVINSI],
        "kabupaten": [C.PROVINSI, C.KABUPATEN_KOTA],
        "instansi": [C.PROVINSI, C.KABUPATEN_KOTA, C.INSTANSI],
    }[by]
    out = df.groupby(key, dropna=False).agg(target=("signed", "size"), signed=("signed", "sum"))
    out["rate"] = out["signed"] / out["target"]
    return len(out)
