"""The benchmark suite, run small so it never rots (the full national run is manual: see the
docs/performance.md). Figures are printed, never asserted: this machine is shared.
What is asserted is that every step measured the real thing: all rows imported, and our
summaries and the pandas baseline agree on the number of groups."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
N = 3_000


def test_reduced_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--sizes", str(N), "--work", str(tmp_path)]
        + ["--json-out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    print(proc.stdout)
    [result] = json.loads(out.read_text(encoding="utf-8"))
    checks, figures = result["checks"], result["figures"]
    assert checks["import_exit"] == 0
    # the generator gives every agency at least a few officials, so small runs exceed N
    assert checks["import_rows"] == checks["import_valid_rows"] >= N
    assert checks["baseline_failure_cases"] == 0
    for by in ("provinsi", "kabupaten", "instansi"):
        assert checks[f"summary_{by}_groups"] == checks[f"baseline_summary_{by}_groups"] > 0
    pages = [k for k in figures if k.startswith("page_") and k.endswith("_first_ms")]
    app_pages = ast.parse((ROOT / "dashboard" / "web" / "app.py").read_text(encoding="utf-8"))
    [table] = [
        n.value
        for n in app_pages.body
        if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "PAGES"
    ]
    assert isinstance(table, ast.Tuple)
    assert len(pages) == len(table.elts) and all(figures[k] > 0 for k in pages)
    assert figures["app_rss_after_all_pages_mb"] > 0
    assert "| import_s |" in proc.stdout  # the Markdown table was printed


@pytest.mark.server
def test_load_benchmark_drives_real_filter_changes(tmp_path: Path) -> None:
    """Two simulated readers, back to back, for a few seconds, on a small store."""
    from dashboard.install import builtin
    from dashboard.store.database import Store

    store = tmp_path / "load.duckdb"
    builtin.install(Store(store), n_officials=N)
    proc = subprocess.run(
        [sys.executable, "benchmarks/load.py", "--store", str(store), "--users", "2"]
        + ["--think", "0", "--duration", "8", "--pages", "ringkasan,peta"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    print(proc.stdout)
    result = json.loads(proc.stdout)
    assert result["errors"] == {}
    assert result["changes"] >= 2 and result["throughput_per_s"] > 0
    assert result["latency_ms"]["p50"] > 0 and result["kb_per_rerun_median"] > 0
