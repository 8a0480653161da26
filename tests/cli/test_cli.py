"""The CLI as an outside script uses it: JSON on stdout.

The commands run in-process (:mod:`cli_inprocess`); one test starts the installed
``netralitas`` entry point as a process, as a script would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_inprocess import Completed, invoke

BIN = Path(sys.executable).with_name("netralitas")


def run(*args: str, store: Path | None = None) -> Completed:
    return invoke(*args, env={"NETRALITAS_STORE": str(store)} if store is not None else None)


def run_installed(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    """The installed entry point as a process (what a script or cron job starts)."""
    env = {**os.environ, "NETRALITAS_STORE": str(store)}
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=300)


def test_regions_json() -> None:
    kab = json.loads(run("regions", "--level", "kabupaten", "--json").stdout)
    prov = json.loads(run("regions", "--level", "provinsi", "--json").stdout)
    assert len(kab) == 514 and len(prov) == 38
    assert {"code": "1706", "name": "Kabupaten Mukomuko"}.items() <= next(
        r for r in kab if r["code"] == "1706"
    ).items()


def test_installed_entry_point_prints_the_seed_events(tmp_path: Path) -> None:
    out = run_installed("events", "--json", store=tmp_path / "s.duckdb")
    assert out.returncode == 0, out.stderr
    events = json.loads(out.stdout)
    assert [e["source_file"][:3] for e in events] == ["000", "001", "002", "003", "004"]
    assert events[0]["source_publisher"] == "NUSAKALIMANTAN.COM (MMC)"
    assert events[0]["event_date"] == "2023-09-25"


def test_demo_seed_only_then_summary(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    assert run("demo", "--seed-only", "--store", str(store)).returncode == 0
    out = run("summary", "--by", "kabupaten", "--json", "--store", str(store))
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    muko = next(r for r in rows if r["code"] == "1706")
    assert (muko["target"], muko["signed"], muko["unsigned"]) == (53, 48, 5)
    assert muko["source"] == "laporan"


def test_store_env_variable_is_the_default(tmp_path: Path) -> None:
    store = tmp_path / "env.duckdb"
    assert run("demo", "--seed-only", store=store).returncode == 0
    assert store.exists()


@pytest.mark.parametrize("cmd", ["serve", "regions", "events", "demo", "summary"])
def test_every_subcommand_has_help(cmd: str) -> None:
    out = run(cmd, "--help")
    assert out.returncode == 0 and "Usage:" in out.stdout
