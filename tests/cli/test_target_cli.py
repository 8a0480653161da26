"""Target rosters and signature lists through the CLI, as an outside script sees them."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl

_spec = importlib.util.spec_from_file_location(
    "siasn_gen_cli", Path(__file__).resolve().parents[2] / "benchmarks" / "siasn.py"
)
gen = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["siasn_gen_cli"] = gen
_spec.loader.exec_module(gen)  # type: ignore[union-attr]

BIN = Path(sys.executable).with_name("netralitas")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NETRALITAS_STORE": "/nonexistent/never-used.duckdb"}
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=300)


def test_target_then_list_then_summaries(tmp_path: Path) -> None:
    g = gen.generate(40, seed=9, instansi=["Pemerintah Kabupaten Mukomuko", "Kementerian Agama"])
    paths = gen.write(g, tmp_path, "cli")
    store = str(tmp_path / "s.duckdb")
    # a list before its target: every row refused, nothing stored
    early = run(
        "import", str(paths["signatures"]), "--kind", "tanda-tangan", "--store", store, "--json"
    )
    doc = json.loads(early.stdout)
    assert early.returncode == 1 and doc["upload_id"] is None
    assert {e["code"] for e in doc["errors"]} == {"signature_not_in_target"}
    assert len(doc["errors"]) == g.signatures.height

    out = run("import", str(paths["csv"]), "--kind", "sasaran", "--store", store, "--json")
    doc = json.loads(out.stdout)
    export = g.export
    active = export.filter(pl.col("KEDUDUKAN HUKUM NAMA").is_in(["Aktif", "PPPK Aktif"]))
    inactive = dict(
        export.filter(~pl.col("KEDUDUKAN HUKUM NAMA").is_in(["Aktif", "PPPK Aktif"]))
        .group_by("KEDUDUKAN HUKUM NAMA")
        .len()
        .iter_rows()
    )
    assert out.returncode == 0 and doc["upload_id"] and doc["valid_rows"] == active.height
    assert doc["not_targeted"] == inactive and doc["warnings"] == []
    again = json.loads(
        run("import", str(paths["csv"]), "--kind", "sasaran", "--store", store, "--json").stdout
    )
    assert again["duplicate_of"] == doc["upload_id"] and again["upload_id"] is None

    out = run(
        "import", str(paths["signatures"]), "--kind", "tanda-tangan", "--store", store, "--json"
    )
    assert out.returncode == 0, out.stdout

    summary = json.loads(run("summary", "--by", "provinsi", "--store", store, "--json").stdout)
    by_code = {r["code"]: r for r in summary}
    muko = active.filter(pl.col("INSTANSI INDUK NAMA") == "Pemerintah Kabupaten Mukomuko")
    central = active.filter(pl.col("INSTANSI INDUK NAMA") == "Kementerian Agama")
    signed = set(g.signatures["NIP"])
    nips = lambda df: set(df["NIP BARU"].str.strip_chars_start("'"))  # noqa: E731
    assert by_code["17"]["target"] == muko.height
    assert by_code["17"]["signed"] == len(nips(muko) & signed)
    assert by_code["31"]["target"] == central.height  # a ministry: national, seated in Jakarta
    assert {"agencies_targeted", "agencies_reported", "rate", "rate_reported"} <= set(by_code["17"])
    jenis = json.loads(run("summary", "--by", "jenis_asn", "--store", store, "--json").stdout)
    expected = active.group_by("STATUS ASN").len()
    assert {r["code"]: r["target"] for r in jenis} == dict(expected.iter_rows())
