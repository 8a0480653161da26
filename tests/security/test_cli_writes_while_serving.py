"""The CLI writes while the dashboard is in use (embedded DuckDB store).

DuckDB lets one process at a time open the file. The dashboard keeps it open between the
queries of a render; five viewers re-rendering without pause would keep it open for good,
and ``netralitas import`` used to give up with ``store_busy``. Here five viewer threads
run the dashboard's read path (``Store(keep_alive=True)``, as ``netralitas serve`` sets it,
and the page queries) against a real file while the CLI imports in a subprocess.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from dashboard import queries
from dashboard.store import engine
from dashboard.store.database import ENV_KEEP_ALIVE, ENV_STORE, Store

_spec = importlib.util.spec_from_file_location(
    "make_corpus", Path(__file__).resolve().parents[1] / "uploads" / "make_corpus.py"
)
mc = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(mc)  # type: ignore[union-attr]

BIN = Path(sys.executable).with_name("netralitas")
VIEWERS = 5
PAUSE = 0.2  # seconds between one viewer's renders (the old keep-alive idled out after 1 s)


def _render(store: Store) -> None:
    """What a page render asks the store for (uncached: every render is a miss)."""
    f = queries.Filters()
    queries.headline(store, f)
    queries.summary(store, f, "provinsi")
    queries.unsigned_overview(store, f)


def test_import_succeeds_while_five_viewers_render(seed_store: Store, tmp_path: Path) -> None:
    roster = tmp_path / "muko.csv"
    roster.write_bytes(mc.muko_v2_bytes())
    stop = threading.Event()
    renders = [0] * VIEWERS
    errors: list[BaseException] = []

    def viewer(i: int) -> None:
        store = Store(seed_store.path, keep_alive=True)
        while not stop.is_set():
            try:
                _render(store)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                return
            renders[i] += 1
            stop.wait(PAUSE)  # a person clicking; together they keep the file busy

    threads = [threading.Thread(target=viewer, args=(i,), daemon=True) for i in range(VIEWERS)]
    for t in threads:
        t.start()
    try:
        while min(renders) < 2:  # every viewer is rendering before the CLI starts
            time.sleep(0.05)
        env = {k: v for k, v in os.environ.items() if k != ENV_KEEP_ALIVE}
        env[ENV_STORE] = "/nonexistent/never-used.duckdb"
        start = time.perf_counter()
        out = subprocess.run(
            [str(BIN), "import", str(roster), "--store", str(seed_store.path), "--json"],
            capture_output=True,
            text=True,
            env=env,
        )
        took = time.perf_counter() - start
        during = list(renders)
    finally:
        stop.set()
        for t in threads:
            t.join()
        engine._KEEP_ALIVE.close_idle(0.0)  # as the server does when idle
    print(
        f"netralitas import took {took:.2f} s while {VIEWERS} viewers rendered {sum(during)} pages"
    )
    assert errors == [], [repr(e) for e in errors]
    # the bound is the CLI's own: each time it opens the file it waits at most
    # LOCK_WAIT_SECONDS and then reports store_busy (exit 1)
    assert out.returncode == 0, out.stdout + out.stderr
    doc = json.loads(out.stdout)
    assert doc["upload_id"] and doc["valid_rows"] == doc["rows"] > 0
    # the viewers see the import at once
    assert (
        Store(seed_store.path).query(
            "SELECT count(*) AS n FROM uploads WHERE upload_id = $u", {"u": doc["upload_id"]}
        )["n"][0]
        == 1
    )
