"""XLSX files that unpack to far more than they weigh are refused before parsing.

Each bomb goes through ``netralitas validate --json`` in its own process; that process's
peak RSS (``os.wait4`` rusage: this child only) must stay under ``RSS_BOUND_MB``. Run with
``pytest -s`` to see the measured figures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest
from xlsx_bombs import cell_bomb, entries_bomb, lying_bomb

from dashboard.ingest import reading
from dashboard.store.database import Store

NETRALITAS = str(Path(sys.executable).with_name("netralitas"))
APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "web" / "app.py")
RSS_BOUND_MB = 600


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bombs")
    return {
        # 1.2 MB on disk, one cell of 1.2 GB
        "cell_1200mb": cell_bomb(d / "cell_1200mb.xlsx", 1200),
        # ~150 KB on disk, one cell of 150 MB: under the size limit, refused by the ratio
        "cell_150mb": cell_bomb(d / "cell_150mb.xlsx", 150),
        "entries_6000": entries_bomb(d / "entries_6000.xlsx", 6000),
        # 300 MB in one cell, the zip directory claiming 1 MB
        "lying_300mb": lying_bomb(d / "lying_300mb.xlsx", 300),
    }


# Linux records the parent's peak in a child's ru_maxrss when the child is spawned from it
# (vfork + exec), so a child of a large pytest process would report pytest's size. A small
# Python process in between starts the command and reports that grandchild's own peak.
_MEASURE = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[1:], stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
sys.stderr.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def run_measured(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, float]:
    """(exit code, stdout, peak RSS in MB) of one child process."""
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, *map(str, args)],
        capture_output=True,
        env={**os.environ, **(env or {})},
    )
    code, maxrss_kib = proc.stderr.decode().split()[-2:]
    return int(code), proc.stdout.decode(), int(maxrss_kib) / 1024


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("cell_1200mb", "archive_too_large"),
        ("cell_150mb", "archive_too_large"),
        ("entries_6000", "archive_too_many_entries"),
        ("lying_300mb", "archive_too_large"),
    ],
)
def test_cli_refuses_bomb_with_bounded_memory(
    bombs: dict[str, Path], tmp_path: Path, name: str, code: str
) -> None:
    path = bombs[name]
    rc, out, rss = run_measured(
        [NETRALITAS, "validate", "--json", str(path), "--store", str(tmp_path / "none.duckdb")]
    )
    print(f"\n{name}: {path.stat().st_size / 1e6:.2f} MB on disk, exit {rc}, peak RSS {rss:.0f} MB")
    assert rc == 2, out
    doc = json.loads(out)
    assert doc["ok"] is False and [e["code"] for e in doc["errors"]] == [code]
    assert doc["errors"][0]["row"] is None
    assert rss < RSS_BOUND_MB


def test_limits_come_from_the_environment(
    bombs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = bombs["cell_150mb"].read_bytes()
    monkeypatch.setenv("NETRALITAS_MAX_ZIP_RATIO", "100000")
    monkeypatch.setenv("NETRALITAS_MAX_INFLATED_MB", "100")
    with pytest.raises(reading.UnreadableFile) as exc:
        reading.check_archive(data)
    assert exc.value.code == "archive_too_large" and exc.value.detail["detail"] == 100
    monkeypatch.setenv("NETRALITAS_MAX_ZIP_ENTRIES", "3")
    with pytest.raises(reading.UnreadableFile) as exc:
        reading.check_archive(data)
    assert exc.value.code == "archive_too_many_entries"


def test_an_ordinary_workbook_passes_and_a_long_cell_is_a_row_error(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["nip", "nama", "jabatan", "jenjang_jabatan", "instansi", "provinsi",
               "kabupaten_kota", "status_tanda_tangan"])  # fmt: skip
    ws.append(["198001012005011001", "B" * 5000, "Kepala Dinas", "JPT Pratama",
               "Dinas Pendidikan", "Bengkulu", "Mukomuko", "belum"])  # fmt: skip
    path = tmp_path / "long.xlsx"
    wb.save(path)
    rc, out, _ = run_measured(
        [NETRALITAS, "validate", "--json", str(path), "--store", str(tmp_path / "none.duckdb")]
    )
    doc = json.loads(out)
    assert rc == 1
    assert [(e["row"], e["code"]) for e in doc["errors"]] == [(2, "too_long")]
    assert "nama" in doc["errors"][0]["message"]


def test_row_cap(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    rows = ["nip,nama,instansi,provinsi,kabupaten_kota"] + [
        f"19800101200501100{i},N{i},Dinas,Bengkulu,Mukomuko" for i in range(5)
    ]
    path.write_text("\n".join(rows) + "\n")
    rc, out, _ = run_measured(
        [NETRALITAS, "validate", "--json", str(path), "--store", str(tmp_path / "none.duckdb")],
        env={"NETRALITAS_MAX_ROWS": "3"},
    )
    assert rc == 2 and [e["code"] for e in json.loads(out)["errors"]] == ["too_many_rows"]


def _open_upload(monkeypatch: pytest.MonkeyPatch, store: Store) -> AppTest:
    monkeypatch.setenv("NETRALITAS_STORE", str(store.path))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("views/upload.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_upload_page_refuses_the_bomb(
    bombs: dict[str, Path], monkeypatch: pytest.MonkeyPatch, seed_store: Store
) -> None:
    at = _open_upload(monkeypatch, seed_store)
    data = bombs["cell_150mb"].read_bytes()
    at.file_uploader(key="roster_file").set_value(("bom.xlsx", data, "application/zip")).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert any("XLSX" in e and "MB" in e for e in errors), errors
    assert not any(b.key == "roster_check" for b in at.button)


def test_upload_page_parses_a_file_once(
    monkeypatch: pytest.MonkeyPatch, seed_store: Store, tmp_path: Path
) -> None:
    from dashboard.ingest import roster

    calls: list[str] = []
    real = roster.read_roster

    def counting(data: bytes, name: str, sheet: str | None = None):  # noqa: ANN202
        calls.append(name)
        return real(data, name, sheet)

    monkeypatch.setattr(roster, "read_roster", counting)
    at = _open_upload(monkeypatch, seed_store)
    csv = (
        b"nip,nama,jabatan,jenjang_jabatan,instansi,provinsi,kabupaten_kota,status_tanda_tangan\n"
        b"198001012005011001,Ani,Kepala,JPT Pratama,Dinas Pendidikan,Bengkulu,Mukomuko,belum\n"
    )
    at.file_uploader(key="roster_file").set_value(("r.csv", csv, "text/csv")).run()
    next(b for b in at.button if b.key == "roster_check").click().run()
    at.radio(key="roster_mode").set_value("append").run()
    assert not at.exception, [e.value for e in at.exception]
    assert calls == ["r.csv"]
