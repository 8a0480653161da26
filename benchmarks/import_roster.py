"""Benchmark: validate and import a synthetic 1,000,000-row roster CSV, against a pandas baseline.

    .venv/bin/python benchmarks/import_roster.py [--rows 1000000] [--keep DIR]

Not a test: it prints figures. The roster is the demo generator's national
roster written as an office would send it (canonical columns, region *names*,
"Sudah"/"Belum", dd/mm/yyyy dates, semicolons). Each side runs in a fresh
process so its peak RSS is its own:

- project: ``validate_roster`` (read, map, normalise, every check, agency matching,
  preview, pandera gate) then ``commit_roster`` into a store holding the seed events:
  the exact path of ``netralitas import``;
- baseline: pandas ``read_csv`` + a pandera *pandas* schema with the same rules
  (required cells, NIP format / scientific notation / duplicates / plausible birth
  date, status and pledge words, position level, dates and their range, province and
  regency through the same alias table, formula-like and over-long cells). It only
  validates; it writes nothing.

Goal (issue 4): project validate+import < 10 s for 1 M rows on 2 cores, >= 5x faster than
the baseline's validation, peak memory < 2 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_csv(path: Path, rows: int) -> float:
    """The synthetic roster (semicolon-separated); returns its size in MB."""
    from benchmarks.roster_csv import roster_frame

    roster_frame(rows).write_csv(path, separator=";")
    return path.stat().st_size / 1e6


# -- the two contenders (each in its own process) ---------------------------------------------


def run_project(csv_path: str, store_path: str) -> dict:
    t0 = time.perf_counter()
    from dashboard import builtin
    from dashboard.roster import commit_roster, validate_roster
    from dashboard.store import Store

    store = Store(store_path)
    builtin.install(store, with_demo=False)
    import_s = time.perf_counter() - t0

    t1 = time.perf_counter()
    data = Path(csv_path).read_bytes()
    report = validate_roster(data, Path(csv_path).name, store=store)
    t2 = time.perf_counter()
    result = commit_roster(report, store, accept_valid=True, uploaded_by="benchmark")
    t3 = time.perf_counter()
    stored = store.query(
        "SELECT count(*) AS n FROM officials WHERE upload_id = $u", {"u": result.upload_id}
    )["n"][0]
    return {
        "setup_s": import_s,
        "validate_s": t2 - t1,
        "commit_s": t3 - t2,
        "total_s": t3 - t1,
        "rows": report.rows,
        "valid_rows": report.valid_rows,
        "errors": len(report.errors),
        "warnings": int((report.issues["severity"] == "warning").sum()),
        "stored": int(stored),
        "new_agencies": report.valid_new_agencies.height,
        "max_rss_mb": _peak_rss_mb(),
    }


def run_baseline(csv_path: str) -> dict:
    t0 = time.perf_counter()
    import pandas as pd
    import pandera.pandas as pa

    from dashboard import normalise as N
    from dashboard import regions

    import_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    aliases = regions.load_aliases().to_pandas()
    prov_alias = aliases[aliases["level"] == "provinsi"].set_index("alias")["code"]
    reg_alias = aliases[aliases["level"] != "provinsi"].drop_duplicates("alias")
    reg_alias = reg_alias.set_index("alias")["code"]
    status_words = {w: True for w in N.STATUS_TRUE} | {w: False for w in N.STATUS_FALSE}
    levels = N.POSITION_WORDS
    today = pd.Timestamp.today().normalize()

    def key(s: pd.Series) -> pd.Series:
        """The same normalisation as ``regions.normalise_expr``, in pandas."""
        s = s.str.lower().str.strip()
        for pattern, repl in regions._PREFIXES:
            s = s.str.replace(pattern, repl, n=1, regex=True)
        s = s.str.replace(r"\bdan\b", " ", regex=True)
        s = s.str.replace(r"\badm\.?\b|\badministrasi\b", " ", regex=True)
        return s.str.replace(r"[^0-9a-z]", "", regex=True)

    def dates(s: pd.Series) -> pd.Series:
        d = pd.to_datetime(s, format="%d/%m/%Y", errors="coerce")
        return d.fillna(pd.to_datetime(s, format="%Y-%m-%d", errors="coerce"))

    text_cols = ["nip", "nama", "jabatan", "instansi", "unit_kerja", "keterangan"]
    no_formula = pa.Check(lambda s: ~s.fillna("").str.match(r"^\s*[=+@]"), name="formula_like")
    not_long = pa.Check(lambda s: s.fillna("").str.len() <= 500, name="too_long")

    def text(required: bool) -> pa.Column:
        return pa.Column(str, [no_formula, not_long], nullable=not required)

    def nip_ok(df: pd.DataFrame) -> pd.Series:
        elected = (
            df["jenjang_jabatan"]
            .fillna("")
            .str.lower()
            .str.replace(r"[^0-9a-z]", "", regex=True)
            .map(levels)
            == "pejabat_negara"
        )
        return df["nip"].notna() | elected

    def regency_in_province(df: pd.DataFrame) -> pd.Series:
        prov = key(df["provinsi"].fillna("")).map(prov_alias)
        reg = key(df["kabupaten_kota"].fillna("")).map(reg_alias)
        return reg.isna() | prov.isna() | (reg.str[:2] == prov)

    def plausible_birth(s: pd.Series) -> pd.Series:
        born = pd.to_datetime(s.str[:8], format="%Y%m%d", errors="coerce")
        ok = born.notna() & (born.dt.year >= 1940) & (born <= today - pd.DateOffset(years=17))
        return ok | ~s.fillna("").str.fullmatch(r"\d{18}")

    schema = pa.DataFrameSchema(
        {
            "nip": pa.Column(
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
            "nama": text(True),
            "jabatan": text(True),
            "jenjang_jabatan": pa.Column(
                str,
                pa.Check(
                    lambda s: (
                        s.str.lower().str.replace(r"[^0-9a-z]", "", regex=True).isin(levels.keys())
                    )
                ),
                nullable=True,
            ),
            "instansi": text(True),
            "unit_kerja": text(False),
            "provinsi": pa.Column(str, pa.Check(lambda s: key(s).isin(prov_alias.index))),
            "kabupaten_kota": pa.Column(
                str, pa.Check(lambda s: key(s).isin(reg_alias.index)), nullable=True
            ),
            "status_tanda_tangan": pa.Column(
                str,
                pa.Check(lambda s: s.str.lower().str.strip().str.rstrip(".").isin(status_words)),
            ),
            "tanggal_tanda_tangan": pa.Column(
                str,
                [
                    pa.Check(lambda s: dates(s).notna(), name="date_invalid"),
                    pa.Check(
                        lambda s: (
                            dates(s).between(pd.Timestamp("2022-09-22"), today) | dates(s).isna()
                        ),
                        name="date_out_of_range",
                    ),
                ],
                nullable=True,
            ),
            "ikrar": pa.Column(
                str, pa.Check(lambda s: s.str.lower().str.strip().isin(status_words)), nullable=True
            ),
            "keterangan": text(False),
        },
        checks=[
            pa.Check(nip_ok, name="nip_required"),
            pa.Check(regency_in_province, name="regency_not_in_province"),
        ],
        strict=False,
    )
    df = pd.read_csv(csv_path, sep=";", dtype=str, keep_default_na=False, na_values=[""])
    t2 = time.perf_counter()
    try:
        schema.validate(df, lazy=True)
        failures = 0
    except pa.errors.SchemaErrors as exc:
        failures = len(exc.failure_cases)
    t3 = time.perf_counter()
    del text_cols
    return {
        "setup_s": import_s,
        "read_s": t2 - t1,
        "validate_s": t3 - t1,
        "rows": len(df),
        "failure_cases": failures,
        "max_rss_mb": _peak_rss_mb(),
    }


def _child(*args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, cwd=ROOT
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-4000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, default=None, help="Keep the CSV and store here.")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, *rest = args.child
        out = run_project(*rest) if kind == "project" else run_baseline(*rest)
        print(json.dumps(out))
        return

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-import-"))
    workdir.mkdir(parents=True, exist_ok=True)
    csv_path, store_path = workdir / "roster.csv", workdir / "bench.duckdb"
    store_path.unlink(missing_ok=True)
    t = time.perf_counter()
    mb = write_csv(csv_path, args.rows)
    print(f"wrote {csv_path} ({mb:.0f} MB) in {time.perf_counter() - t:.1f} s", file=sys.stderr)

    project = _child("project", str(csv_path), str(store_path))
    baseline = _child("baseline", str(csv_path))
    speedup = baseline["validate_s"] / project["validate_s"]
    rows = project["rows"]
    print(f"\nRoster import benchmark: {rows:,} rows, {mb:.0f} MB CSV, {_cpu_count()} CPUs\n")
    print("| | validate | commit | validate + import | peak RSS |")
    print("|---|---:|---:|---:|---:|")
    print(
        f"| project (Polars + DuckDB) | {project['validate_s']:.2f} s | "
        f"{project['commit_s']:.2f} s | {project['total_s']:.2f} s | "
        f"{project['max_rss_mb']:.0f} MB |"
    )
    print(
        f"| baseline (pandas + pandera) | {baseline['validate_s']:.2f} s | – | – | "
        f"{baseline['max_rss_mb']:.0f} MB |"
    )
    print(
        f"\nproject: {project['valid_rows']:,} valid rows stored ({project['stored']:,}), "
        f"{project['errors']:,} errors, {project['warnings']:,} warnings, "
        f"{project['new_agencies']:,} new agencies; baseline: {baseline['failure_cases']:,} "
        "failure cases"
    )
    print(f"validation speed-up: {speedup:.1f}x")
    goals = {
        "validate+import < 10 s": project["total_s"] < 10,
        ">= 5x faster than baseline": speedup >= 5,
        "peak memory < 2 GB": project["max_rss_mb"] < 2048,
    }
    for goal, met in goals.items():
        print(f"- {goal}: {'met' if met else 'NOT met'}")


def _cpu_count() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    main()
