"""Sign-in and audit writes under concurrency, against a real store file.

Many attempts at once on one account must not get past the lock-out (checking it and
recording the attempt is one step), must not crash, and an unknown account must answer
exactly like a real one. Simultaneous audited actions must all be recorded.
"""

from __future__ import annotations

import datetime as dt
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from dashboard.access import audit, auth
from dashboard.store.database import Store

PASSWORD = "kata-sandi-rahasia-17"
POLICY = auth.LockoutPolicy(max_failures=5, window=dt.timedelta(minutes=15))


@pytest.fixture(params=[True, False], ids=["server-keep-alive", "short-connections"])
def store(tmp_path: Path, request: pytest.FixtureRequest) -> Store:
    s = Store(tmp_path / "store.duckdb", keep_alive=request.param)
    s.ensure()
    auth.add_user(s, "ani", "analyst", password=PASSWORD, actor="test")
    return s


def _at_once(n: int, work: Callable[[int], object]) -> tuple[list[object], list[BaseException]]:
    """Run ``work(i)`` in ``n`` threads released together; (results, exceptions)."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - the test reports every crash
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def _signins(store: Store) -> pl.DataFrame:
    return audit.log(store, actions=("signin",)).sort("occurred_at")


def test_thirty_parallel_wrong_passwords_give_exactly_the_allowed_failures(store: Store) -> None:
    results, errors = _at_once(
        30, lambda i: auth.authenticate(store, "ani", f"tebakan-{i:02d}", policy=POLICY)
    )
    assert errors == [], [repr(e) for e in errors]
    statuses = [r.status for r in results]  # type: ignore[union-attr]
    assert statuses.count("failure") + statuses.count("locked") == 30
    # the fifth failure already answers "locked"; no attempt beyond it was verified
    log = _signins(store)
    assert log["outcome"].to_list().count("failure") == POLICY.max_failures
    assert log["outcome"].to_list().count("locked") == 30 - POLICY.max_failures
    assert statuses.count("failure") == POLICY.max_failures - 1


def test_right_password_among_parallel_guesses_never_follows_a_full_count(store: Store) -> None:
    right = 17
    results, errors = _at_once(
        30,
        lambda i: auth.authenticate(
            store, "ani", PASSWORD if i == right else f"tebakan-{i:02d}", policy=POLICY
        ),
    )
    assert errors == [], [repr(e) for e in errors]
    outcomes = _signins(store)["outcome"].to_list()
    assert len(outcomes) == 30
    # in the order recorded: a success resets the count; the count never passes the limit,
    # nothing but "locked" follows a full count, and a success never follows one
    count = 0
    for outcome in outcomes:
        if count == POLICY.max_failures:
            assert outcome == "locked", outcomes
        elif outcome == "failure":
            count += 1
        elif outcome == "ok":
            count = 0
    assert outcomes.count("ok") <= 1


def test_unknown_account_locks_and_answers_like_a_real_one(store: Store) -> None:
    def attempts(name: str) -> list[auth.SignInResult]:
        return [auth.authenticate(store, name, "salah-salah-1", policy=POLICY) for _ in range(7)]

    real, ghost = attempts("ani"), attempts("tidakada")
    assert [r.status for r in ghost] == [r.status for r in real]
    assert [r.status for r in real][-3:] == ["locked"] * 3
    assert all(g.locked_until is not None for g in ghost[POLICY.max_failures - 1 :])
    # the typed name is not readable in the trail
    log = _signins(store)
    assert not log.select(pl.all().cast(pl.String).str.contains("tidakada").any()).row(0)[0]


def test_unknown_account_costs_the_same_as_a_real_one(store: Store) -> None:
    lenient = auth.LockoutPolicy(max_failures=1000)

    def timed(name: str) -> float:
        start = time.perf_counter()
        auth.authenticate(store, name, "salah-salah-salah", policy=lenient)
        return time.perf_counter() - start

    timed("ani"), timed("tidakada")  # warm both paths
    real = statistics.median(timed("ani") for _ in range(7))
    ghost = statistics.median(timed("tidakada") for _ in range(7))
    print(f"median failed sign-in: real {real * 1000:.1f} ms, unknown {ghost * 1000:.1f} ms")
    assert 0.5 < ghost / real < 2.0


def test_twenty_simultaneous_audited_actions_are_all_recorded(store: Store) -> None:
    version = store.data_version()
    _, errors = _at_once(
        20,
        lambda i: audit.record(
            store, "download", actor="ani", target="unsigned_list", detail={"n": i}
        ),
    )
    assert errors == [], [repr(e) for e in errors]
    downloads = audit.log(store, actions=("download",))
    assert downloads.height == 20
    assert sorted(downloads["detail"].to_list()) == sorted(f'{{"n": {i}}}' for i in range(20))
    assert store.data_version() == version  # the trail is not data: caches stay valid
