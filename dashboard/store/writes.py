"""Every write to the store: reference data, built-in rows, accounts, audit, uploads.

Each is one transaction (all rows or none). A commit is one transaction: the upload row,
new agencies, superseding the replaced roster and the new rows land together or not at
all. The sha256 check runs inside that transaction, after the store has serialised uploads
(:meth:`Store.serialise`: DuckDB's file lock, PostgreSQL's advisory lock) and, within this
process, under a lock: two threads (two browser tabs) share one database and would both
pass a check made outside it. Account and audit writes
never touch the roster, so they skip the aggregate rebuild.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from dashboard.store.dialect import Connection
from dashboard.store.engine import Store, count_of
from dashboard.store.errors import StoreConflict, StoreError
from dashboard.store.schema import insert_frame, load_reference
from schemas.vocab import ROLLBACK_KINDS

if TYPE_CHECKING:  # pandera (and through it pandas) costs ~2 s to import: only where validating
    pass


def replace_builtin(
    store: Store,
    *,
    regions: pl.DataFrame,
    aliases: pl.DataFrame,
    frames: dict[str, pl.DataFrame],
    upload_rows: pl.DataFrame,
    builtin_ids: tuple[str, ...] = ("seed", "demo"),
) -> None:
    """Swap the built-in (seed / demo) rows for ``frames`` in one transaction.

    Rows that came from uploads are untouched: built-in rows are recognised by
    their ``upload_id``.
    """
    with store.transaction() as con:
        load_reference(con, regions, aliases)
        placeholders = ", ".join("?" for _ in builtin_ids)
        for table in (
            "officials",
            "events",
            "signature_reports",
            "signatures",
            "agencies",
            "uploads",
        ):
            con.execute(
                f"DELETE FROM {table} WHERE upload_id IN ({placeholders})", list(builtin_ids)
            )
        for table, df in frames.items():
            insert_frame(con, table, df)
        insert_frame(con, "uploads", upload_rows)


def save_user(store: Store, row: dict, *, audit: pl.DataFrame | None = None) -> None:
    """Insert or replace one account (validated), with its audit row in the same transaction."""
    from schemas import Users

    with store.transaction(aggregates=False) as con:
        con.execute("DELETE FROM users WHERE username = ?", [row[Users.username]])
        insert_frame(con, "users", pl.DataFrame([row]))
        if audit is not None:
            insert_frame(con, "audit_log", audit)


def delete_user(store: Store, username: str, *, audit: pl.DataFrame | None = None) -> bool:
    """Remove one account; False when there was none."""
    with store.transaction(aggregates=False) as con:
        found = con.execute("SELECT count(*) FROM users WHERE username = ?", [username]).fetchone()
        if not found or not found[0]:
            return False
        con.execute("DELETE FROM users WHERE username = ?", [username])
        if audit is not None:
            insert_frame(con, "audit_log", audit)
    return True


def append_audit(store: Store, rows: pl.DataFrame) -> None:
    """Append audit rows (already built and cleaned by ``dashboard.audit``).

    An insert only: it does not bump the data version (no figure depends on the trail, and
    the admin page reads it uncached), so simultaneous audited actions never collide on
    the version row.
    """
    with store.transaction(aggregates=False, bump_version=False) as con:
        insert_frame(con, "audit_log", rows)


# one lock per account (striped: bounded memory whatever names are tried)
_SIGNIN_LOCKS = tuple(threading.Lock() for _ in range(64))


@contextlib.contextmanager
def signin_serialised(store: Store, account: str) -> Iterator[None]:
    """One sign-in attempt at a time per account, so checking the lock-out, verifying the
    password and recording the attempt form one step.

    Threads of this process queue on a per-account lock; the attempt also holds the store
    exclusively for that account (:meth:`Store.exclusive`: the open DuckDB file, which
    admits one process at a time, or a PostgreSQL advisory lock), so another process
    cannot interleave either.
    """
    key = f"{store.location}\0{account}".encode()
    lock = _SIGNIN_LOCKS[int.from_bytes(hashlib.blake2b(key, digest_size=4).digest()) % 64]
    store.ensure()
    with lock, store.exclusive(f"signin\0{account}"):
        yield


_ACCOUNT_KEY_LOCK = threading.Lock()


def account_key_secret(store: Store) -> bytes:
    """A random per-store key (kept in ``meta``) for naming unknown accounts in the trail
    by a keyed hash: a password typed into the name field is never stored readable."""
    with _ACCOUNT_KEY_LOCK:
        df = store.query("SELECT value FROM meta WHERE key = 'account_key'")
        if df.height:
            return bytes.fromhex(df["value"][0])
        value = secrets.token_hex(32)
        with store.transaction(aggregates=False, bump_version=False) as con:
            con.execute(
                "INSERT INTO meta VALUES ('account_key', ?) ON CONFLICT DO NOTHING", [value]
            )
            row = con.execute("SELECT value FROM meta WHERE key = 'account_key'").fetchone()
            value = str(row[0]) if row else value
        return bytes.fromhex(value)


ENV_COMMIT_PAUSE = "NETRALITAS_TEST_COMMIT_PAUSE"


_UPLOAD_LOCK = threading.Lock()
# a write the server broke off for crossing another one is run again, this many times in all
CONFLICT_ATTEMPTS = 3


class UploadError(StoreError):
    """An upload cannot be rolled back (unknown, already rolled back, built-in)."""


@dataclass(frozen=True)
class CommitResult:
    upload_id: str | None  # None when nothing was written
    duplicate_of: str | None  # the committed upload with the same file content


def new_upload_id(now: dt.datetime | None = None) -> str:
    """``up-20231125-0930-1a2b3c``: sortable by time, short enough to type in ``rollback``."""
    now = now or dt.datetime.now()
    return f"up-{now:%Y%m%d-%H%M}-{uuid.uuid4().hex[:6]}"


def _pause_for_tests() -> None:
    """Test hook: announce being inside the transaction, then sleep (the test kills us)."""
    marker = os.environ.get(ENV_COMMIT_PAUSE)
    if marker:
        Path(marker).write_text(str(os.getpid()))
        time.sleep(120)


def commit_upload(
    store: Store,
    upload: dict,
    *,
    agencies: pl.DataFrame | None = None,
    officials: pl.DataFrame | None = None,
    events: pl.DataFrame | None = None,
    signature_reports: pl.DataFrame | None = None,
    signatures: pl.DataFrame | None = None,
    replace_agency_ids: list[str] | None = None,
    validated: tuple[str, ...] = (),
) -> CommitResult:
    """Write one upload atomically; a committed upload with the same sha256 and kind wins.

    ``upload`` is the uploads row (its ``upload_id`` is stamped on every row written).
    ``agencies`` may contain agencies that exist by now (another upload created them
    meanwhile): only match keys the store lacks are inserted. ``replace_agency_ids``
    supersedes the current roster rows of those agencies first (mode replace).
    ``validated`` names frames the caller has already run through the same pandera schema
    (the roster pipeline does, on exactly these rows): they are not validated twice.
    """
    for attempt in range(1, CONFLICT_ATTEMPTS + 1):
        try:
            return _commit_once(
                store,
                upload,
                agencies=agencies,
                officials=officials,
                events=events,
                signature_reports=signature_reports,
                signatures=signatures,
                replace_agency_ids=replace_agency_ids,
                validated=validated,
            )
        except StoreConflict:
            # the server rolled the whole write back: running it again is safe
            if attempt == CONFLICT_ATTEMPTS:
                raise
            time.sleep(0.2 * attempt)
    raise AssertionError("unreachable")


def _commit_once(
    store: Store,
    upload: dict,
    *,
    agencies: pl.DataFrame | None,
    officials: pl.DataFrame | None,
    events: pl.DataFrame | None,
    signature_reports: pl.DataFrame | None,
    signatures: pl.DataFrame | None,
    replace_agency_ids: list[str] | None,
    validated: tuple[str, ...],
) -> CommitResult:
    upload_id = upload["upload_id"]
    try:
        with _UPLOAD_LOCK, store.transaction() as con:
            store.serialise(con, "uploads")
            dup = con.execute(
                "SELECT upload_id FROM uploads WHERE sha256 = ? AND kind = ? "
                "AND status = 'committed' ORDER BY uploaded_at LIMIT 1",
                [upload["sha256"], upload["kind"]],
            ).fetchone()
            if dup:
                raise _Duplicate(dup[0])  # rolls the (empty) transaction back: no version bump
            _write_upload(
                con,
                upload,
                agencies=agencies,
                officials=officials,
                events=events,
                signature_reports=signature_reports,
                signatures=signatures,
                replace_agency_ids=replace_agency_ids,
                validated=validated,
            )
            _pause_for_tests()
    except _Duplicate as dup:
        return CommitResult(upload_id=None, duplicate_of=dup.upload_id)
    return CommitResult(upload_id=upload_id, duplicate_of=None)


class _Duplicate(Exception):
    def __init__(self, upload_id: str) -> None:
        super().__init__(upload_id)
        self.upload_id = upload_id


def _write_upload(
    con: Connection,
    upload: dict,
    *,
    agencies: pl.DataFrame | None,
    officials: pl.DataFrame | None,
    events: pl.DataFrame | None,
    signature_reports: pl.DataFrame | None,
    signatures: pl.DataFrame | None,
    replace_agency_ids: list[str] | None,
    validated: tuple[str, ...] = (),
) -> None:
    """The writes of :func:`commit_upload`, inside its transaction."""
    upload_id = upload["upload_id"]
    if agencies is not None and agencies.height:
        existing = con.sql(
            "SELECT match_key FROM agencies WHERE match_key IN (SELECT unnest($k))",
            params={"k": agencies["match_key"].to_list()},
        ).pl()["match_key"]
        fresh = agencies.filter(~pl.col("match_key").is_in(existing.to_list()))
        insert_frame(con, "agencies", fresh.with_columns(pl.lit(upload_id).alias("upload_id")))
    if replace_agency_ids:
        con.execute(
            "UPDATE officials SET superseded_by = ? "
            "WHERE superseded_by IS NULL AND agency_id IN (SELECT unnest(?))",
            [upload_id, list(replace_agency_ids)],
        )
    stamp = [pl.lit(upload_id).alias("upload_id")]
    if officials is not None:
        insert_frame(
            con,
            "officials",
            officials.with_columns(*stamp, pl.lit(None, dtype=pl.String).alias("superseded_by")),
            validate="officials" not in validated,
        )
    if events is not None:
        insert_frame(con, "events", events.with_columns(*stamp))
    if signature_reports is not None:
        insert_frame(con, "signature_reports", signature_reports.with_columns(*stamp))
    if signatures is not None:
        insert_frame(con, "signatures", signatures.with_columns(*stamp))
    insert_frame(con, "uploads", pl.DataFrame([upload]))


def rollback_upload(store: Store, upload_id: str) -> dict[str, int]:
    """Undo a committed roster/event upload in one transaction; returns rows removed/restored.

    Its rows are deleted; the rows it superseded become current again — unless a later
    committed replace touched the same agency, in which case that later upload now
    supersedes them (so an agency never ends up with two current rosters). Agencies it
    created that nothing refers to any more are deleted.
    """
    with _UPLOAD_LOCK, store.transaction() as con:
        store.serialise(con, "uploads")
        row = con.execute(
            "SELECT kind, status FROM uploads WHERE upload_id = ?", [upload_id]
        ).fetchone()
        if row is None:
            raise UploadError(f"Upload {upload_id} not found.")
        kind, status = row
        if kind not in ROLLBACK_KINDS:
            raise UploadError(
                f"Upload {upload_id} is built-in data ({kind}); it cannot be rolled back."
            )
        if status != "committed":
            raise UploadError(f"Upload {upload_id} was already rolled back.")
        counts: dict[str, int] = {}
        for table in ("officials", "events", "signature_reports", "signatures"):
            counts[table] = count_of(
                con.execute(f"DELETE FROM {table} WHERE upload_id = ?", [upload_id])
            )
        # rows it superseded: handed to the earliest later replace of the same agency, if any
        counts["restored"] = count_of(
            con.execute(
                """
            UPDATE officials o SET superseded_by = (
                SELECT later.upload_id FROM officials later
                JOIN uploads u ON u.upload_id = later.upload_id
                WHERE later.agency_id = o.agency_id AND u.mode = 'replace'
                  AND u.status = 'committed'
                  AND u.uploaded_at > (SELECT uploaded_at FROM uploads WHERE upload_id = $u)
                ORDER BY u.uploaded_at, later.upload_id LIMIT 1
            )
            WHERE o.superseded_by = $u
            """,
                {"u": upload_id},
            )
        )
        counts["agencies"] = count_of(
            con.execute(
                """
            DELETE FROM agencies WHERE upload_id = ?
              AND agency_id NOT IN (SELECT agency_id FROM officials)
              AND agency_id NOT IN (SELECT agency_id FROM events)
              AND agency_id NOT IN (SELECT agency_id FROM signature_reports)
            """,
                [upload_id],
            )
        )
        con.execute("UPDATE uploads SET status = 'rolled_back' WHERE upload_id = ?", [upload_id])
    return counts
