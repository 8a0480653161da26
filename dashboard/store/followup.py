"""Writes of the follow-up: deadlines, steps, the letters register, reminder log, contacts
and letter settings. Each is one transaction with its audit row, so a change and its record
land together or not at all. None touches the roster: the aggregates are not rebuilt.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import uuid
from collections.abc import Iterator

import polars as pl

from dashboard.store.database import Store, insert_frame
from dashboard.store.dialect import Connection

# letter numbers are allocated inside the write transaction; within this process two
# sessions share one database, so the allocation is also serialised here
_NUMBER_LOCK = threading.Lock()


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _audit(con: Connection, audit: pl.DataFrame | None) -> None:
    if audit is not None:
        insert_frame(con, "audit_log", audit)


def add_deadline(store: Store, row: dict, *, audit: pl.DataFrame | None = None) -> None:
    with store.transaction(aggregates=False) as con:
        insert_frame(con, "followup_deadlines", pl.DataFrame([row]))
        _audit(con, audit)


def add_steps(store: Store, rows: pl.DataFrame, *, audit: pl.DataFrame | None = None) -> None:
    with store.transaction(aggregates=False) as con:
        insert_frame(con, "followup_steps", rows)
        _audit(con, audit)


_PENDING_COLUMNS = ("agency_id", "letter_id", "letter_number", "sequence", "year", "letter_date")


def _pending_letters(con: Connection, campaign: str) -> pl.DataFrame:
    """The newest letter per agency of ``campaign`` that is generated, not yet sent, and
    still current: no step was recorded for the agency after it was generated."""
    found = con.execute(
        "SELECT l.agency_id, l.letter_id, l.letter_number, l.sequence, l.year, l.letter_date "
        "FROM followup_letters l WHERE l.status = 'generated' AND l.campaign = ? "
        "AND NOT EXISTS (SELECT 1 FROM followup_steps s WHERE s.agency_id = l.agency_id "
        "AND s.campaign = l.campaign AND s.taken_at >= l.generated_at) "
        "ORDER BY l.generated_at DESC, l.sequence DESC",
        [campaign],
    ).fetchall()
    schema = {
        "agency_id": pl.String,
        "letter_id": pl.String,
        "letter_number": pl.String,
        "sequence": pl.Int64,
        "year": pl.Int64,
        "letter_date": pl.Date,
    }
    frame = pl.DataFrame(found, schema=schema, orient="row")
    return frame.unique("agency_id", keep="first", maintain_order=True)


@contextlib.contextmanager
def register_letters(
    store: Store, rows: pl.DataFrame, number_format: str, year: int
) -> Iterator[tuple[Connection, pl.DataFrame]]:
    """Number and register letters; the caller renders them inside the ``with`` block.

    Yields (connection, the rows with ``letter_number``, ``sequence`` and ``reused``).
    Numbers run per year. A letter's number is taken once per agency and step: an agency
    whose letter for the current step is generated and not yet sent gets that letter
    again (its id, number and date; another format is another rendering of it), not a new
    number. The register, the audit row the caller inserts on the connection and the files
    it renders succeed together: a failure in rendering leaves no number used.
    """
    with _NUMBER_LOCK, store.transaction(aggregates=False) as con:
        store.serialise(con, "letter-numbers")
        campaigns = rows["campaign"].unique().to_list()
        pending = pl.concat(
            [_pending_letters(con, c).with_columns(pl.lit(c).alias("campaign")) for c in campaigns]
        )
        again = rows.drop("letter_id", "letter_date").join(
            pending, on=["agency_id", "campaign"], how="inner"
        )
        fresh = rows.join(
            pending.select("agency_id", "campaign"), on=["agency_id", "campaign"], how="anti"
        )
        last = con.execute(
            "SELECT coalesce(max(sequence), 0) FROM followup_letters WHERE year = ?", [year]
        ).fetchall()
        start = int(last[0][0]) + 1
        seq = pl.int_range(start, start + fresh.height, eager=True, dtype=pl.Int64)
        numbered = fresh.with_columns(
            seq.alias("sequence"),
            pl.lit(year, dtype=pl.Int64).alias("year"),
        ).with_columns(
            pl.Series(
                "letter_number",
                [number_format.format(seq=s, year=year) for s in seq.to_list()],
                dtype=pl.String,
            )
        )
        if numbered.height:
            insert_frame(con, "followup_letters", numbered)
        out = pl.concat(
            [
                numbered.with_columns(pl.lit(False).alias("reused")),
                again.select(numbered.columns).with_columns(pl.lit(True).alias("reused")),
            ]
        )
        order = rows.select("agency_id").with_row_index("_order")
        yield con, out.join(order, on="agency_id").sort("_order").drop("_order")


def insert_audit(con: Connection, audit: pl.DataFrame) -> None:
    """An audit row inside a transaction opened here (see :func:`register_letters`)."""
    insert_frame(con, "audit_log", audit)


def mark_letter_sent(
    store: Store,
    letter_id: str,
    *,
    sent_by: str,
    sent_at: dt.datetime,
    step: dict,
    audit: pl.DataFrame | None = None,
) -> bool:
    """The letter is confirmed as sent and the agency's step advances; False if the letter
    is unknown or was already confirmed."""
    with store.transaction(aggregates=False) as con:
        found = con.execute(
            "SELECT status FROM followup_letters WHERE letter_id = ?", [letter_id]
        ).fetchall()
        if not found or found[0][0] == "sent":
            return False
        con.execute(
            "UPDATE followup_letters SET status = 'sent', sent_at = ?, sent_by = ? "
            "WHERE letter_id = ?",
            [sent_at, sent_by, letter_id],
        )
        insert_frame(con, "followup_steps", pl.DataFrame([step]))
        _audit(con, audit)
    return True


def log_reminder(store: Store, row: dict, *, audit: pl.DataFrame | None = None) -> bool:
    """Log one reminder attempt; a second ``sent`` for the same agency, campaign and day is
    refused (returns False) so two overlapping runs cannot both count as the day's send."""
    with store.transaction(aggregates=False) as con:
        if row["status"] == "sent":
            dup = con.execute(
                "SELECT count(*) FROM reminder_sends WHERE agency_id = ? AND campaign = ? "
                "AND send_date = ? AND status = 'sent'",
                [row["agency_id"], row["campaign"], row["send_date"]],
            ).fetchall()
            if dup[0][0]:
                return False
        insert_frame(con, "reminder_sends", pl.DataFrame([row]))
        _audit(con, audit)
    return True


def save_contact(store: Store, row: dict, *, audit: pl.DataFrame | None = None) -> None:
    with store.transaction(aggregates=False) as con:
        con.execute("DELETE FROM agency_contacts WHERE agency_id = ?", [row["agency_id"]])
        insert_frame(con, "agency_contacts", pl.DataFrame([row]))
        _audit(con, audit)


def save_letter_settings(store: Store, row: dict, *, audit: pl.DataFrame | None = None) -> None:
    with store.transaction(aggregates=False) as con:
        con.execute("DELETE FROM letter_settings")
        insert_frame(con, "letter_settings", pl.DataFrame([{**row, "setting_id": "default"}]))
        _audit(con, audit)


def mark_reminder_failed(store: Store, send_id: str, reason: str) -> None:
    """A claimed send that the mail server refused: the day's slot is free again."""
    with store.transaction(aggregates=False) as con:
        con.execute(
            "UPDATE reminder_sends SET status = 'failed', reason = ? WHERE send_id = ?",
            [reason[:200], send_id],
        )
