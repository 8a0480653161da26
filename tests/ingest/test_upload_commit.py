"""Committing uploads: figures before/after against independent counts, replace / append,
de-duplication, rollback, a killed import and concurrent imports."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import polars as pl
import pytest
from cli_inprocess import invoke

from dashboard import queries
from dashboard.ingest.events import commit_events, validate_events
from dashboard.ingest.roster import commit_roster, validate_roster
from dashboard.store.database import ENV_COMMIT_PAUSE, Store, UploadError, rollback_upload

_spec = importlib.util.spec_from_file_location(
    "make_corpus", Path(__file__).resolve().parents[1] / "uploads" / "make_corpus.py"
)
mc = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(mc)  # type: ignore[union-attr]

BIN = Path(sys.executable).with_name("netralitas")
BOTH_BACKENDS = True  # commits, rollbacks, a killed import, concurrent imports: both engines
MUKOMUKO = "1706"


# -- independent expectations (plain Python over the corpus rows) ---------------------------


def _date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(text))
    months = {"september": 9, "oktober": 10}
    for fmt in ("%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    d, m, y = text.split()
    return dt.date(int(y), months[m.lower()], int(d))


def expected_figures(rows: list[tuple[str, str]]) -> tuple[int, int]:
    """(target, signed as of today) from (status, date) pairs: how the dashboard counts."""
    today = dt.date.today()
    signed = 0
    for status, date in rows:
        d = _date(date)
        if status.strip().lower() in mc.SIGNED_WORDS and (d is None or d <= today):
            signed += 1
    return len(rows), signed


CLERK_EXPECTED = expected_figures([(r[5], r[6]) for r in mc.clerk_valid_rows()])
V2_EXPECTED = expected_figures([(r[4], r[5]) for r in mc.MUKO_V2])


def figures(store: Store, code: str = MUKOMUKO) -> tuple[int, int, str]:
    df = queries.summary(store, queries.Filters(), "kabupaten").filter(pl.col("code") == code)
    row = df.row(0, named=True)
    return row["target"], row["signed"], row["source"]


def snapshot(store: Store) -> tuple:
    """Everything a failed or duplicate import must leave alone."""
    tables = {
        t: store.table(t).hash_rows().sum()
        for t in ("officials", "agencies", "events", "signature_reports", "uploads")
    }
    return store.counts()["officials"], tables, figures(store)


CLERK = mc.clerk_csv_bytes()


def _commit_clerk(store: Store) -> str:
    report = validate_roster(CLERK, "clerk.csv", store=store)
    result = commit_roster(report, store, accept_valid=True, uploaded_by="tester")
    assert result.upload_id is not None
    return result.upload_id


# -- commits --------------------------------------------------------------------------------


def test_clerk_file_valid_rows_land_and_figures_change(seed_store: Store) -> None:
    assert figures(seed_store) == (53, 48, "laporan")  # the seed report of Mukomuko
    report = validate_roster(CLERK, "clerk.csv", store=seed_store)
    before = snapshot(seed_store)
    # errors and no accept-valid: nothing is written
    refused = commit_roster(report, seed_store, accept_valid=False)
    assert (refused.upload_id, refused.duplicate_of) == (None, None)
    assert snapshot(seed_store) == before

    # "Pemkab Mukomuko" is the seed agency: no new agency is listed
    assert report.valid_new_agencies.height == 0
    result = commit_roster(report, seed_store, accept_valid=True, uploaded_by="tester")
    assert result.upload_id and result.duplicate_of is None
    assert figures(seed_store) == (*CLERK_EXPECTED, "roster")
    up = queries.uploads(seed_store).row(0, named=True)
    assert (up["upload_id"], up["kind"], up["rows"], up["valid_rows"], up["mode"]) == (
        result.upload_id,
        "roster",
        len(mc.CLERK_ROWS),
        len(mc.CLERK_VALID_ROWS),
        "replace",
    )
    assert up["sha256"] == hashlib.sha256(CLERK).hexdigest()
    assert (up["uploaded_by"], up["status"]) == ("tester", "committed")
    stored = seed_store.query(
        "SELECT count(*) AS n, count(nip) AS with_nip FROM officials WHERE upload_id = $u",
        {"u": result.upload_id},
    ).row(0)
    assert stored == (9, 7)  # the regent and vice-regent have no NIP


def test_same_file_twice_changes_nothing(seed_store: Store) -> None:
    first = _commit_clerk(seed_store)
    before, version = snapshot(seed_store), seed_store.data_version()
    again = commit_roster(
        validate_roster(CLERK, "copy-of-clerk.csv", store=seed_store), seed_store, accept_valid=True
    )
    assert (again.upload_id, again.duplicate_of) == (None, first)
    assert snapshot(seed_store) == before
    assert seed_store.data_version() == version


def test_replace_preview_then_commit(seed_store: Store) -> None:
    _commit_clerk(seed_store)
    report = validate_roster(mc.muko_v2_bytes(), "v2.csv", store=seed_store, mode="replace")
    assert not report.has_errors
    prev = report.agency_preview.row(0, named=True)
    assert prev["agency_id"] == "seed-1706-pemkab" and prev["is_new"] is False
    # as every page counts the stored roster: undated signatures count, the one dated
    # after today (2030) does not yet
    assert (prev["target_before"], prev["signed_before"]) == CLERK_EXPECTED == (9, 7)
    assert (prev["target_after"], prev["signed_after"]) == (4, 3)
    changes = {
        c: sorted(report.person_changes.filter(pl.col("change") == c)["name"])
        for c in ("newly_signed", "new", "left")
    }
    assert changes["newly_signed"] == ["Budi Santoso"]
    assert changes["new"] == ["Oki Setiawan"]
    left_rows = [
        r for r in mc.clerk_valid_rows() if r[0] and r[0] not in {v[0] for v in mc.MUKO_V2}
    ]
    assert changes["left"] == sorted(r[1] for r in left_rows)

    result = commit_roster(report, seed_store)
    assert figures(seed_store) == (*V2_EXPECTED, "roster")
    superseded = seed_store.query(
        "SELECT count(*) AS n FROM officials WHERE superseded_by = $u", {"u": result.upload_id}
    )["n"][0]
    assert superseded == len(mc.CLERK_VALID_ROWS)


def test_append_adds_and_refuses_people_already_on_the_roster(seed_store: Store) -> None:
    commit_roster(validate_roster(mc.muko_v2_bytes(), "v2.csv", store=seed_store), seed_store)
    extra = [
        ("199501012019011001", "Putu Ayu", "Kepala Seksi A", "Pengawas", "Sudah", "03/10/2023"),
        ("199502022019012002", "Rudi Hartono", "Kepala Seksi B", "Pengawas", "Belum", ""),
    ]
    report = validate_roster(mc.muko_v2_bytes(extra), "extra.csv", store=seed_store, mode="append")
    assert not report.has_errors
    assert report.agency_preview.select("target_after", "signed_after").row(0) == (6, 4)
    commit_roster(report, seed_store)
    t, s = expected_figures([(r[4], r[5]) for r in mc.MUKO_V2 + extra])
    assert figures(seed_store) == (t, s, "roster")

    again = validate_roster(
        mc.muko_v2_bytes(mc.MUKO_V2[1:2]), "again.csv", store=seed_store, mode="append"
    )
    assert set(again.issues.select("row", "column", "code").iter_rows()) == {
        (2, "nip", "nip_already_current")
    }


def test_rollback_restores_the_previous_roster(seed_store: Store) -> None:
    u1 = _commit_clerk(seed_store)
    u2 = commit_roster(
        validate_roster(mc.muko_v2_bytes(), "v2.csv", store=seed_store), seed_store
    ).upload_id
    assert figures(seed_store) == (*V2_EXPECTED, "roster")
    counts = rollback_upload(seed_store, u2)
    assert counts["officials"] == len(mc.MUKO_V2) and counts["restored"] == 9
    assert figures(seed_store) == (*CLERK_EXPECTED, "roster")
    rollback_upload(seed_store, u1)
    assert figures(seed_store) == (53, 48, "laporan")
    statuses = dict(queries.uploads(seed_store).select("upload_id", "status").iter_rows())
    assert statuses == {u1: "rolled_back", u2: "rolled_back"}
    with pytest.raises(UploadError, match="already"):
        rollback_upload(seed_store, u1)
    with pytest.raises(UploadError, match="built-in"):
        rollback_upload(seed_store, "seed")
    # a rolled-back file may be uploaded again
    assert _commit_clerk(seed_store) not in (u1, u2)


def test_rolling_back_a_middle_upload_keeps_one_current_roster(seed_store: Store) -> None:
    v2b = [*mc.MUKO_V2, ("199601012020011001", "Sari Dewi", "Lurah", "Pengawas", "Sudah", "")]
    u1 = commit_roster(validate_roster(mc.muko_v2_bytes(), "v2.csv", store=seed_store), seed_store)
    u2 = _commit_clerk(seed_store)
    commit_roster(validate_roster(mc.muko_v2_bytes(v2b), "v2b.csv", store=seed_store), seed_store)
    rollback_upload(seed_store, u2)
    current = seed_store.query(
        "SELECT count(*) AS n FROM officials WHERE superseded_by IS NULL AND agency_id = $a",
        {"a": "seed-1706-pemkab"},
    )["n"][0]
    assert current == len(v2b)
    assert figures(seed_store)[0] == len(v2b)
    assert u1.upload_id is not None


def test_events_commit_and_rollback(seed_store: Store, tmp_path: Path) -> None:
    data = mc.events_bytes()
    before = snapshot(seed_store)
    report = validate_events(data, "events.csv", store=seed_store)
    result = commit_events(report, seed_store, accept_valid=True)
    assert result.upload_id
    counts = seed_store.counts()
    assert counts["events"] == 5 + 2 and counts["signature_reports"] == 1 + 1
    new_ag = seed_store.query(
        "SELECT agency_id, name, level, kind, upload_id FROM agencies WHERE upload_id = $u",
        {"u": result.upload_id},
    )
    assert new_ag.select("name", "level", "kind").row(0) == (
        "Dinas Pendidikan Kabupaten Mukomuko",
        "kabupaten",
        "dinas",
    )
    fig = queries.agency_figures(seed_store, new_ag["agency_id"].to_list()).row(0, named=True)
    assert (fig["target"], fig["signed"], fig["source"]) == (40, 36, "laporan")
    again = commit_events(validate_events(data, "e.csv", store=seed_store), seed_store)
    assert again.duplicate_of == result.upload_id
    rollback_upload(seed_store, result.upload_id)
    after = snapshot(seed_store)
    assert after[0] == before[0] and after[2] == before[2]
    assert after[1]["events"] == before[1]["events"]
    assert after[1]["agencies"] == before[1]["agencies"]


def test_two_threads_committing_the_same_file_land_once(seed_store: Store) -> None:
    report = validate_roster(CLERK, "clerk.csv", store=seed_store)
    results = []

    def go() -> None:
        results.append(commit_roster(report, seed_store, accept_valid=True))

    threads = [threading.Thread(target=go) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    ids = [r.upload_id for r in results if r.upload_id]
    dups = [r.duplicate_of for r in results if r.duplicate_of]
    assert len(ids) == 1 and dups == ids
    assert figures(seed_store) == (*CLERK_EXPECTED, "roster")


# -- processes ------------------------------------------------------------------------------


def _import_cmd(path: Path, store: Store, *extra: str) -> list[str]:
    return [str(BIN), "import", str(path), "--store", store.location, "--json", *extra]


def test_killed_import_leaves_the_store_exactly_as_before(
    seed_store: Store, tmp_path: Path
) -> None:
    clerk = tmp_path / "clerk.csv"
    clerk.write_bytes(CLERK)
    before, version = snapshot(seed_store), seed_store.data_version()
    marker = tmp_path / "inside-transaction"
    env = {**os.environ, ENV_COMMIT_PAUSE: str(marker)}
    proc = subprocess.Popen(
        _import_cmd(clerk, seed_store, "--accept-valid"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "import never reached its transaction"
            time.sleep(0.05)
        assert int(marker.read_text()) == proc.pid
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(seed_store) == before
    assert seed_store.data_version() == version
    # and the store still works: the same import now succeeds (in-process is enough here)
    out = invoke(*_import_cmd(clerk, seed_store, "--accept-valid")[1:])
    doc = json.loads(out.stdout)
    assert doc["upload_id"] and figures(seed_store) == (*CLERK_EXPECTED, "roster")


def test_two_processes_importing_at_once(seed_store: Store, tmp_path: Path) -> None:
    """Different files: both land (the second waits for the lock) or one is refused as busy;
    the same file twice: exactly one lands, the other is its duplicate (or busy)."""
    clerk, bom = tmp_path / "clerk.csv", tmp_path / "bom.csv"
    clerk.write_bytes(CLERK)
    bom.write_bytes(mc.bom_csv_bytes())
    procs = [
        subprocess.Popen(
            _import_cmd(p, seed_store, "--accept-valid"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in (clerk, bom, clerk)
    ]
    docs = [json.loads(p.communicate(timeout=300)[0]) for p in procs]
    busy = [d for d in docs if any(e["code"] == "store_busy" for e in d["errors"])]
    landed = {d["upload_id"] for d in docs if d["upload_id"]}
    stored = set(queries.uploads(seed_store)["upload_id"])
    assert landed == stored  # nothing half-written, nothing lost silently
    clerk_docs = [docs[0], docs[2]]
    clerk_ids = [d["upload_id"] for d in clerk_docs if d["upload_id"]]
    assert len(clerk_ids) <= 1
    if not busy:
        assert len(clerk_ids) == 1 and docs[1]["upload_id"]
        assert [d["duplicate_of"] for d in clerk_docs if not d["upload_id"]] == clerk_ids
        assert figures(seed_store) == (*CLERK_EXPECTED, "roster")
        assert figures(seed_store, "62")[0] == 3  # the Kesbangpol roster, provincial level
    for d in busy:
        assert "busy" in d["errors"][-1]["message"]
