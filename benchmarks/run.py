"""National-scale benchmark: import, summaries, page renders and memory at several roster sizes.

    .venv/bin/python benchmarks/run.py                      # 100 k, 1 M, 4.3 M (manual, ~15 min)
    .venv/bin/python benchmarks/run.py --sizes 100000       # the reduced run CI does

Every measurement runs the real code path in its own process (so "cold" means
a new process and memory is that process's own peak RSS). The baseline is what
most teams would write (benchmarks/pandas_baseline.py): pandas ``read_csv`` + a
pandera pandas schema with the project's rules, the rows written to DuckDB, and a
pandas ``groupby`` on the file for the summary. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.roster_csv import write_roster_csv  # noqa: E402


def run_python(code: str, *args: str, env: dict[str, str] | None = None) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON object (plus its own peak RSS)."""
    wrapped = (
        "import json, sys\n"
        + code
        + "\nfrom benchmarks.pages import peak_rss_mb\nRESULT['max_rss_mb'] = peak_rss_mb()\n"
        "print(json.dumps(RESULT))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", wrapped, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


IMPORT_CODE = """
import time
from pathlib import Path
from click.testing import CliRunner
t0 = time.perf_counter()
from dashboard.cli.main import main
res = CliRunner().invoke(main, ["import", sys.argv[1], "--store", sys.argv[2], "--json"])
doc = json.loads(res.stdout)
RESULT = {"seconds": time.perf_counter() - t0, "rows": doc["rows"], "valid_rows": doc["valid_rows"],
          "errors": len(doc["errors"]), "exit": res.exit_code}
"""

SUMMARY_COLD_CODE = """
import time, io, contextlib
t0 = time.perf_counter()
from click.testing import CliRunner
from dashboard.cli.main import main
res = CliRunner().invoke(main, ["summary", "--by", sys.argv[2], "--store", sys.argv[1], "--json"])
RESULT = {"seconds": time.perf_counter() - t0, "groups": len(json.loads(res.stdout))}
"""

SUMMARY_WARM_CODE = """
import statistics, time
from dashboard import queries
from dashboard.store.database import Store
store = Store(sys.argv[1], keep_alive=True)
f = queries.Filters()
queries.summary(store, f, sys.argv[2])
times = []
for _ in range(7):
    t0 = time.perf_counter()
    queries.summary(store, f, sys.argv[2])
    times.append(time.perf_counter() - t0)
RESULT = {"seconds": statistics.median(times)}
"""

BASELINE_IMPORT_CODE = """
import time
t0 = time.perf_counter()
from benchmarks.pandas_baseline import validate_with_pandas
stats = validate_with_pandas(sys.argv[1], sys.argv[2])
RESULT = {"seconds": time.perf_counter() - t0, **stats}
"""

BASELINE_SUMMARY_CODE = """
import time
from benchmarks.pandas_baseline import summary_with_pandas
t0 = time.perf_counter()
groups = summary_with_pandas(sys.argv[1], sys.argv[2])
RESULT = {"seconds": time.perf_counter() - t0, "groups": groups}
"""

PAGES_CODE = """
import os
from benchmarks.pages import measure_pages
RESULT = measure_pages(sys.argv[1])
"""


@dataclass
class SizeResult:
    rows: int
    figures: dict[str, float] = field(default_factory=dict)
    # what each step produced (rows accepted, groups returned): checked by the CI smoke test
    checks: dict[str, int] = field(default_factory=dict)


def bench_size(n: int, work: Path, baseline: bool, pages: bool) -> SizeResult:
    res = SizeResult(rows=n)
    csv = work / f"roster_{n}.csv"
    if not csv.exists():
        write_roster_csv(csv, n)
    store = work / f"store_{n}.duckdb"
    for p in (store, store.with_name(store.name + ".wal")):
        p.unlink(missing_ok=True)

    imp = run_python(IMPORT_CODE, str(csv), str(store))
    res.figures["import_s"] = imp["seconds"]
    res.figures["import_rss_mb"] = imp["max_rss_mb"]
    res.checks.update(import_rows=imp["rows"], import_valid_rows=imp["valid_rows"])
    res.checks["import_exit"] = imp["exit"]
    for by in ("provinsi", "kabupaten", "instansi"):
        cold_runs = [run_python(SUMMARY_COLD_CODE, str(store), by) for _ in range(3)]
        res.checks[f"summary_{by}_groups"] = cold_runs[0]["groups"]
        res.figures[f"summary_{by}_cold_s"] = statistics.median(r["seconds"] for r in cold_runs)
        res.figures[f"summary_{by}_warm_ms"] = (
            run_python(SUMMARY_WARM_CODE, str(store), by)["seconds"] * 1000
        )
    if pages:
        pg = run_python(PAGES_CODE, str(store))
        res.figures.update(
            {k: v for k, v in pg.items() if isinstance(v, int | float) and k != "max_rss_mb"}
        )
    if baseline:
        baseline_store = work / f"baseline_{n}.duckdb"
        baseline_store.unlink(missing_ok=True)
        b = run_python(BASELINE_IMPORT_CODE, str(csv), str(baseline_store))
        res.figures["baseline_import_s"] = b["seconds"]
        res.figures["baseline_import_rss_mb"] = b["max_rss_mb"]
        res.checks["baseline_failure_cases"] = b["failure_cases"]
        for by in ("provinsi", "kabupaten", "instansi"):
            base = run_python(BASELINE_SUMMARY_CODE, str(csv), by)
            res.figures[f"baseline_summary_{by}_s"] = base["seconds"]
            res.checks[f"baseline_summary_{by}_groups"] = base["groups"]
    return res


def to_markdown(results: list[SizeResult]) -> str:
    keys: list[str] = []
    for r in results:
        keys += [k for k in r.figures if k not in keys]
    head = "| measure | " + " | ".join(f"{r.rows:,} rows" for r in results) + " |"
    sep = "|---|" + "---:|" * len(results)
    lines = [head, sep]
    for k in keys:
        cells = []
        for r in results:
            v = r.figures.get(k)
            cells.append("–" if v is None else (f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3f}"))
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    for r in results:
        f = r.figures
        if "baseline_import_s" not in f:
            continue
        parts = [f"import {f['baseline_import_s'] / f['import_s']:.1f}x"]
        for by in ("provinsi", "kabupaten", "instansi"):
            base = f[f"baseline_summary_{by}_s"]
            cold = base / f[f"summary_{by}_cold_s"]
            warm = base * 1000 / f[f"summary_{by}_warm_ms"]
            parts.append(f"summary {by} {cold:.1f}x cold / {warm:.0f}x warm")
        lines.append(f"\nratio (baseline / ours) at {r.rows:,} rows: " + "; ".join(parts))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="100000,1000000,4300000")
    ap.add_argument("--work", type=Path, default=None, help="keep generated files here")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--no-pages", action="store_true")
    ap.add_argument("--out", type=Path, default=None, help="also write the table to this file")
    ap.add_argument("--json-out", type=Path, default=None, help="figures and checks as JSON")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="netralitas-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"cores: {os.cpu_count()}; python {sys.version.split()[0]}; work dir {work}", flush=True)
    results = []
    for n in sizes:
        t0 = time.perf_counter()
        results.append(bench_size(n, work, not args.no_baseline, not args.no_pages))
        print(f"{n:,} rows done in {time.perf_counter() - t0:.0f} s", flush=True)
    table = f"cores: {os.cpu_count()}\n\n" + to_markdown(results)
    print(table)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(table + "\n", encoding="utf-8")
    if args.json_out:
        doc = [{"rows": r.rows, "figures": r.figures, "checks": r.checks} for r in results]
        args.json_out.write_text(json.dumps(doc, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
