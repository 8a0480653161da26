"""Readers under load on both engines: {DuckDB, PostgreSQL} x {1, 2 app processes}.

    .venv/bin/python benchmarks/load_matrix.py [--officials 4300000] [--users 50] [--think 5]
        [--duration 60] [--workdir var/bench] [--prime]

Builds the national demo store once (``netralitas demo``, kept in ``--workdir``), starts a
throwaway PostgreSQL cluster on loopback (the test suite's, :mod:`tests.postgres`), copies
the store into it (``netralitas store copy``), then runs ``benchmarks/load.py`` for each
configuration and prints one JSON object per line, then a Markdown table. Bounded: each
configuration stops after ``--duration`` seconds; every request goes to 127.0.0.1.
``--prime`` passes on to ``load.py``: every process has visited every province of every page
before the clock starts (warm caches), instead of readers making the first visits.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.postgres import Cluster  # noqa: E402 (the repository root is on the path now)

BIN = ROOT / ".venv" / "bin"


def _run_load(store: str, processes: int, args: argparse.Namespace) -> dict:
    out = subprocess.run(
        [str(BIN / "python"), str(ROOT / "benchmarks" / "load.py"), "--store", store]
        + ["--processes", str(processes), "--users", str(args.users)]
        + ["--think", str(args.think), "--duration", str(args.duration)]
        + (["--prime"] if args.prime else []),
        capture_output=True,
        text=True,
        timeout=args.duration * 10 + (3600 if args.prime else 600),
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _row(engine: str, doc: dict) -> str:
    lat = doc["latency_ms"]
    errors = sum(doc["errors"].values())
    return (
        f"| {engine} | {doc['processes']} | {doc['throughput_per_s']} | {lat['p50']} | "
        f"{lat['p95']} | {lat['max']} | {doc['kb_per_rerun_median']} | {errors} |"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--officials", type=int, default=4_300_000)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--think", type=float, default=5.0)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    ap.add_argument("--prime", action="store_true", help="warm every process's caches first")
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    duck = args.workdir / f"load-{args.officials}.duckdb"
    if not duck.exists():
        netralitas = str(BIN / "netralitas")
        subprocess.run(
            [netralitas, "demo", "--officials", str(args.officials), "--store", str(duck)],
            check=True,
        )
    cluster = Cluster()
    try:
        url = cluster.new_database()
        subprocess.run(
            [str(BIN / "netralitas"), "store", "copy", "--from", str(duck), "--to", url],
            check=True,
            capture_output=True,
        )
        rows = []
        for engine, store in (("DuckDB", str(duck)), ("PostgreSQL", url)):
            for processes in (1, 2):
                doc = _run_load(store, processes, args)
                print(json.dumps({"engine": engine, **doc}), flush=True)
                rows.append(_row(engine, doc))
    finally:
        cluster.stop()
    print("| engine | processes | changes/s | p50 ms | p95 ms | max ms | kB/rerun | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
