"""Two writes that cross each other on the server: PostgreSQL breaks one off (a real
deadlock, detected by the server), and the store reports it as busy, with nothing of it
written, instead of as an unreachable server."""

from __future__ import annotations

import threading

import pytest

from dashboard.store.database import Store
from dashboard.store.errors import StoreConflict


def _meta(store: Store) -> dict[str, str]:
    frame = store.query("SELECT key, value FROM meta")
    return dict(zip(frame["key"].to_list(), frame["value"].to_list(), strict=True))


def test_a_deadlock_is_reported_as_busy_and_writes_nothing(store: Store, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("DuckDB admits one writing process and serialises its threads: no deadlock")
    with store.transaction(aggregates=False, bump_version=False) as con:
        con.execute("INSERT INTO meta VALUES ('probe_a', '0'), ('probe_b', '0')")
    both_hold_one = threading.Barrier(2, timeout=30)
    outcomes: dict[str, BaseException | None] = {}

    def write(first: str, second: str) -> None:
        try:
            with store.transaction(aggregates=False, bump_version=False) as con:
                con.execute(f"UPDATE meta SET value = '{first}' WHERE key = ?", [first])
                both_hold_one.wait()
                con.execute(f"UPDATE meta SET value = '{first}' WHERE key = ?", [second])
            outcomes[first] = None
        except BaseException as exc:  # noqa: BLE001 (the outcome is what the test reads)
            outcomes[first] = exc

    threads = [
        threading.Thread(target=write, args=("probe_a", "probe_b")),
        threading.Thread(target=write, args=("probe_b", "probe_a")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    failed = {k: v for k, v in outcomes.items() if v is not None}
    assert len(outcomes) == 2 and len(failed) == 1, outcomes
    ((loser, exc),) = failed.items()
    assert isinstance(exc, StoreConflict), repr(exc)
    assert "busy" in str(exc) and "nothing" in str(exc)
    winner = "probe_b" if loser == "probe_a" else "probe_a"
    # the winner's two rows are written, nothing of the loser's
    meta = _meta(store)
    assert meta["probe_a"] == winner and meta["probe_b"] == winner
