"""Upload history and how current the figures in view are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from dashboard.queries.events import events_sql
from dashboard.queries.filters import (
    Filters,
)
from dashboard.store.database import Store


@dataclass(frozen=True)
class Freshness:
    """How current the figures in view are: last committed upload and last event."""

    last_upload: dt.datetime | None
    last_upload_kind: str | None
    last_event: dt.date | None
    last_event_precision: str | None
    demo_events: int = 0


def freshness(store: Store, f: Filters) -> Freshness:
    """Last committed upload (demo uploads only when demo data is included) and last event."""
    ev_params: dict = {}
    ev_sql = events_sql(f, ev_params)
    demo = "TRUE" if f.include_demo else "kind <> 'demo'"
    up = store.query(
        f"""SELECT uploaded_at, kind FROM uploads
            WHERE status = 'committed' AND {demo}
            ORDER BY uploaded_at DESC LIMIT 1"""
    )
    ev = store.query(
        f"""SELECT event_date, date_precision,
                   (SELECT count(*) FROM ({ev_sql}) WHERE is_demo) AS demo_events
            FROM ({ev_sql}) ORDER BY event_date DESC LIMIT 1""",
        ev_params,
    )
    return Freshness(
        last_upload=up["uploaded_at"][0] if up.height else None,
        last_upload_kind=up["kind"][0] if up.height else None,
        last_event=ev["event_date"][0] if ev.height else None,
        last_event_precision=ev["date_precision"][0] if ev.height else None,
        demo_events=ev["demo_events"][0] if ev.height else 0,
    )


def uploads(store: Store, kinds: tuple[str, ...] = ("roster", "events")) -> pl.DataFrame:
    """Upload history, newest first (seed and demo installs left out by default)."""
    return store.query(
        "SELECT upload_id, kind, file_name, sha256, uploaded_by, uploaded_at, rows, valid_rows, "
        "mode, status FROM uploads WHERE kind IN (SELECT unnest($kinds)) "
        "ORDER BY uploaded_at DESC, upload_id",
        {"kinds": list(kinds)},
    )


def recent_uploads(store: Store, limit: int = 20) -> pl.DataFrame:
    """Latest uploads for the freshness panel (the uploader is for the scope rule only: who
    uploaded is not shown)."""
    return store.query(
        """SELECT upload_id, kind, file_name, uploaded_by, uploaded_at, rows, valid_rows, mode,
                  status
           FROM uploads ORDER BY uploaded_at DESC LIMIT $limit""",
        {"limit": limit},
    )


def committed_upload_with_sha256(store: Store, sha256: str, kind: str) -> str | None:
    """The committed upload of the same file content, if any (the de-duplication key)."""
    df = store.query(
        "SELECT upload_id FROM uploads WHERE sha256 = $s AND kind = $k AND status = 'committed' "
        "ORDER BY uploaded_at LIMIT 1",
        {"s": sha256, "k": kind},
    )
    return df["upload_id"][0] if df.height else None


def upload_count(store: Store, upload_id: str | None = None) -> int:
    """How many uploads the store holds (of this id, when given): zero means an empty store."""
    if upload_id is None:
        return int(store.query("SELECT count(*) AS n FROM uploads")["n"][0])
    return int(
        store.query("SELECT count(*) AS n FROM uploads WHERE upload_id = $u", {"u": upload_id})[
            "n"
        ][0]
    )


def upload_places(store: Store, upload_ids: list[str]) -> pl.DataFrame:
    """Where the rows of these uploads lie: one row per upload and distinct place.

    ``province_code`` / ``regency_code`` are the rows' own (officials, events, reports);
    ``agency_province`` / ``agency_regency`` the area of the agency each row belongs to
    (a central agency's area is the nation: both null). What a rollback's scope is checked
    against: the upload itself, as stored.
    """
    return store.query(
        """SELECT DISTINCT r.upload_id, r.agency_id, r.province_code, r.regency_code,
                  CASE WHEN a.level <> 'pusat' THEN a.province_code END AS agency_province,
                  CASE WHEN a.level <> 'pusat' THEN a.regency_code END AS agency_regency
           FROM (
               SELECT upload_id, agency_id, province_code, regency_code FROM officials
               UNION ALL SELECT upload_id, agency_id, province_code, regency_code FROM events
               UNION ALL SELECT upload_id, agency_id, province_code, regency_code
                         FROM signature_reports
           ) r LEFT JOIN agencies a USING (agency_id)
           WHERE r.upload_id IN (SELECT unnest($ids))
           ORDER BY 1, 2, 3, 4, 5, 6""",
        {"ids": list(upload_ids)},
    )


def upload_kind(store: Store, upload_id: str) -> str | None:
    """The kind of an upload (roster, events, seed, demo), None when there is none."""
    df = store.query("SELECT kind FROM uploads WHERE upload_id = $u", {"u": upload_id})
    return df["kind"][0] if df.height else None


def upload_regions(store: Store, upload_ids: list[str]) -> pl.DataFrame:
    """Where each upload wrote: distinct (upload_id, province_code, regency_code) over the
    roster rows, events, reports and agencies it added (a rolled-back upload has none)."""
    return store.query(
        """SELECT DISTINCT upload_id, province_code, regency_code FROM (
               SELECT upload_id, province_code, regency_code FROM officials
               UNION ALL SELECT upload_id, province_code, regency_code FROM events
               UNION ALL SELECT upload_id, province_code, regency_code FROM signature_reports
               UNION ALL SELECT upload_id, province_code, regency_code FROM agencies
           ) WHERE upload_id IN (SELECT unnest($ids))""",
        {"ids": list(upload_ids)},
    )


def rollback_preview(store: Store, upload_id: str) -> dict[str, int]:
    """What undoing a committed upload would change, before it is undone: rows it removes
    (roster, events, reports), roster rows it makes current again, agencies touched, and
    those agencies' target and signed before and after (the same rules as the rollback:
    rows it superseded go to a later replace of the agency when there is one)."""
    df = store.query(
        """WITH u AS (SELECT uploaded_at FROM uploads WHERE upload_id = $u),
           touched AS (SELECT DISTINCT agency_id FROM officials
                       WHERE upload_id = $u OR superseded_by = $u),
           o AS (
               SELECT o.agency_id, o.signed, o.upload_id, o.superseded_by,
                      o.superseded_by = $u AND NOT EXISTS (
                          SELECT 1 FROM officials later
                          JOIN uploads ul ON ul.upload_id = later.upload_id
                          WHERE later.agency_id = o.agency_id AND ul.mode = 'replace'
                            AND ul.status = 'committed'
                            AND ul.uploaded_at > (SELECT uploaded_at FROM u)
                      ) AS back
               FROM officials o WHERE o.agency_id IN (SELECT agency_id FROM touched)
           )
           SELECT
             count(*) FILTER (WHERE superseded_by IS NULL) AS target_before,
             count(*) FILTER (WHERE superseded_by IS NULL AND signed) AS signed_before,
             count(*) FILTER (WHERE (superseded_by IS NULL AND upload_id <> $u) OR back)
               AS target_after,
             count(*) FILTER (WHERE ((superseded_by IS NULL AND upload_id <> $u) OR back)
                               AND signed) AS signed_after,
             count(*) FILTER (WHERE upload_id = $u) AS officials,
             count(*) FILTER (WHERE back) AS restored,
             count(DISTINCT agency_id) AS agencies,
             (SELECT count(*) FROM events WHERE upload_id = $u) AS events,
             (SELECT count(*) FROM signature_reports WHERE upload_id = $u) AS reports
           FROM o""",
        {"u": upload_id},
    )
    return {k: int(v or 0) for k, v in df.row(0, named=True).items()}
