"""Uploads and rollbacks limited to the uploader's access scope.

A checked upload (``roster.check_roster`` / ``event_upload`` report) gets one error per row
outside the user's provinces/regencies, so those rows are refused like any invalid row
(the commit writes none of them, or with "accept valid rows" only the others). The
report's previews are cut to the agencies in scope: they list current roster names,
which must not show another province's people to this uploader.
"""

from __future__ import annotations

import polars as pl

from dashboard.access import audit, auth
from dashboard.ingest.checks import UploadReport, restrict_to_scope
from dashboard.store.database import Store

OUT_OF_SCOPE = "out_of_scope"


def refuse_out_of_scope(report: UploadReport, user: auth.User) -> int:
    """Mark rows outside ``user``'s scope as errors in ``report`` (``restrict_to_scope``) and
    cut its previews to the agencies in scope; returns how many rows were refused."""
    if user.national or report.candidates.height == 0:
        return 0
    inside = auth.in_scope_expr(user, "province_code", "regency_code")
    before = report.issues.filter(pl.col("code") == OUT_OF_SCOPE).height
    restrict_to_scope(report, inside)
    refused = report.issues.filter(pl.col("code") == OUT_OF_SCOPE).height - before
    trim_previews(report, inside)
    return refused


def trim_previews(report: UploadReport, inside: pl.Expr) -> None:
    """Keep only in-scope agencies in the report's previews: they list current roster names
    ("left" people), which must not show another area's officials to this uploader."""
    ids = report.candidates.filter(inside.fill_null(False))["agency_id"].drop_nulls().unique()
    for name in ("agency_preview", "person_changes"):
        frame = getattr(report, name, None)
        if isinstance(frame, pl.DataFrame) and "agency_id" in frame.columns:
            setattr(report, name, frame.filter(pl.col("agency_id").is_in(ids.implode())))


def upload_in_scope(store: Store, user: auth.User, upload_id: str) -> bool:
    """Whether every row an upload wrote (officials, events, reports, agencies) lies in the
    user's scope: only then may they roll it back."""
    if user.national:
        return True
    rows = store.query(
        """SELECT province_code, regency_code FROM officials WHERE upload_id = $u
           UNION ALL SELECT province_code, regency_code FROM events WHERE upload_id = $u
           UNION ALL SELECT province_code, regency_code FROM signature_reports
                     WHERE upload_id = $u""",
        {"u": upload_id},
    )
    if rows.height == 0:
        return True
    return bool(rows.select(auth.in_scope_expr(user, "province_code", "regency_code").all()).item())


def record_upload(
    store: Store,
    upload_id: str,
    report: UploadReport,
    *,
    kind: str,
    mode: str,
    actor: str,
    channel: str = "web",
    ip: str | None = None,
) -> None:
    """Audit a committed upload: counts, mode and file digest, never its rows."""
    audit.record(
        store,
        "upload",
        actor=actor,
        target=upload_id,
        detail={
            "kind": kind,
            "mode": mode,
            "rows": report.rows,
            "valid_rows": report.valid_rows,
            "sha256": report.raw.sha256[:16],
        },
        channel=channel,
        ip=ip,
    )


def record_rollback(
    store: Store,
    upload_id: str,
    *,
    actor: str,
    outcome: str = "ok",
    counts: dict | None = None,
    channel: str = "web",
    ip: str | None = None,
) -> None:
    """Audit a rollback (or a refused one: ``outcome="denied"``)."""
    detail = {k: int(v) for k, v in (counts or {}).items() if isinstance(v, int)}
    audit.record(
        store,
        "rollback",
        actor=actor,
        outcome=outcome,
        target=upload_id,
        detail=detail or None,
        channel=channel,
        ip=ip,
    )


def uploads_in_scope(store: Store, user: auth.User, upload_ids: list[str]) -> list[str]:
    """The uploads of ``upload_ids`` that ``user`` may roll back (order kept)."""
    if user.national or not upload_ids:
        return list(upload_ids)
    rows = store.query(
        """SELECT DISTINCT upload_id, province_code, regency_code FROM (
               SELECT upload_id, province_code, regency_code FROM officials
               UNION ALL SELECT upload_id, province_code, regency_code FROM events
               UNION ALL SELECT upload_id, province_code, regency_code FROM signature_reports
           ) WHERE upload_id IN (SELECT unnest($ids))""",
        {"ids": list(upload_ids)},
    )
    outside = set(
        rows.filter(~auth.in_scope_expr(user, "province_code", "regency_code"))["upload_id"]
    )
    return [u for u in upload_ids if u not in outside]
