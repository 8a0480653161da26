"""Peak memory of the dashboard process while XLSX bombs are uploaded through its upload page.

    .venv/bin/python benchmarks/bomb_memory.py

Runs the real app in this process (Streamlit AppTest), opens Unggah Roster and uploads each
bomb of ``tests/security/xlsx_bombs.py``; prints the process's peak RSS (VmHWM) after each.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.install import builtin
from dashboard.store.database import Store

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "xlsx_bombs", ROOT / "tests" / "security" / "xlsx_bombs.py"
)
assert _spec and _spec.loader
bombs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bombs)


def peak_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    store = Store(tmp / "s.duckdb")
    builtin.install(store, with_demo=False)
    os.environ["NETRALITAS_STORE"] = str(store.path)
    at = AppTest.from_file(str(ROOT / "dashboard" / "web" / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("views/upload.py").run()
    print(f"upload page open: peak RSS {peak_rss_mb():.0f} MB")
    cases = {
        "one cell inflating to 1.2 GB": lambda p: bombs.cell_bomb(p, 1200),
        "one cell inflating to 150 MB": lambda p: bombs.cell_bomb(p, 150),
        "6,000 zip entries": lambda p: bombs.entries_bomb(p, 6000),
        "300 MB part declared as 1 MB": lambda p: bombs.lying_bomb(p, 300),
    }
    for i, (name, make) in enumerate(cases.items()):
        path = make(tmp / f"bomb{i}.xlsx")
        upload = (path.name, path.read_bytes(), "application/zip")
        at.file_uploader(key="roster_file").set_value(upload).run()
        print(
            f"{name} ({path.stat().st_size / 1e6:.2f} MB file): refused={len(at.error) > 0}, "
            f"exception={len(at.exception) > 0}, peak RSS {peak_rss_mb():.0f} MB"
        )


if __name__ == "__main__":
    main()
