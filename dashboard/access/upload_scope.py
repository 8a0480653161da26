"""Uploads and rollbacks limited to the uploader's access scope.

A checked upload (``roster.check_roster`` / ``event_upload`` report) gets one error per row
outside the user's provinces/regencies, and per row of an agency not wholly inside them
(scope is a property of the agency, the resource, not of what a row claims), so those rows
are refused like any invalid row (the commit writes none of them, or with "accept valid
rows" only the others). The report's previews are cut to the agencies in scope: they list
current roster names, which must not show another area's people to this uploader.
"""

from __future__ import annotations

import polars as pl

from dashboard import queries
from dashboard.access import auth
from dashboard.ingest.checks import (
    AGENCY_PROVINCE,
    AGENCY_REGENCY,
    ROW,
    UploadReport,
    restrict_to_scope,
)
from dashboard.store.database import Store
from schemas import Officials

OUT_OF_SCOPE = "out_of_scope"
AGENCY_OUT_OF_SCOPE = "agency_out_of_scope"
# issues whose text comes from the store's roster (e.g. "this NIP is already on the roster")
STORE_REVEALING = ("nip_already_current",)


def refuse_out_of_scope(report: UploadReport, user: auth.User) -> int:
    """Mark rows outside ``user``'s scope as errors in ``report`` (``restrict_to_scope``) and
    cut its previews to the agencies in scope; returns how many rows were refused.

    Scope is checked on the resource, not only on what a row claims: a row is refused when
    its own region is outside the scope, and when its agency is not wholly inside it. An
    agency's area is the one it has in the store (a central agency: national), or for a new
    agency the wider of what its name and its row say (a "Provinsi" agency: the province;
    a ministry: national); see ``upload_checks.match_agencies``.
    """
    if user.national or report.candidates.height == 0:
        return 0
    inside = auth.in_scope_expr(user, Officials.province_code, Officials.regency_code)
    agency_inside = agency_in_scope_expr(user)
    refused = pl.col("code").is_in([OUT_OF_SCOPE, AGENCY_OUT_OF_SCOPE])
    before = report.issues.filter(refused).height
    restrict_to_scope(report, inside, agency_inside)
    # what the store says about another area's roster is not this uploader's to read
    hidden = report.candidates.filter(~agency_inside)[ROW]
    report.issues = report.issues.filter(
        ~(pl.col("code").is_in(STORE_REVEALING) & pl.col(ROW).is_in(hidden.implode()))
    )
    trim_previews(report, agency_inside)
    return report.issues.filter(refused).height - before


def agency_in_scope_expr(user: auth.User) -> pl.Expr:
    """Whether a checked row's agency lies wholly inside ``user``'s scope (the one rule,
    ``auth.in_scope_expr``, applied to the agency's area; national agencies have none)."""
    return (
        auth.in_scope_expr(user, AGENCY_PROVINCE, AGENCY_REGENCY)
        & pl.col(Officials.agency_id).is_not_null()
    )


def trim_previews(report: UploadReport, inside: pl.Expr) -> None:
    """Keep only in-scope agencies in the report's previews: they list current roster names
    ("left" people), which must not show another area's officials to this uploader."""
    ids = (
        report.candidates.filter(inside.fill_null(False))[Officials.agency_id].drop_nulls().unique()
    )
    for name in ("agency_preview", "person_changes"):
        frame = getattr(report, name, None)
        if isinstance(frame, pl.DataFrame) and Officials.agency_id in frame.columns:
            setattr(report, name, frame.filter(pl.col(Officials.agency_id).is_in(ids.implode())))


def upload_in_scope(store: Store, user: auth.User, upload_id: str) -> bool:
    """Whether every row an upload wrote (officials, events, reports), and the agency of
    each, lies in the user's scope: only then may they roll it back."""
    return upload_id in uploads_in_scope(store, user, [upload_id])


def uploads_in_scope(store: Store, user: auth.User, upload_ids: list[str]) -> list[str]:
    """The uploads of ``upload_ids`` that ``user`` may roll back (order kept): every row they
    wrote, and the area of its agency, inside the scope (as for an upload)."""
    if user.national or not upload_ids:
        return list(upload_ids)
    rows = queries.upload_places(store, list(upload_ids)).rename(
        {"agency_province": AGENCY_PROVINCE, "agency_regency": AGENCY_REGENCY}
    )
    inside = auth.in_scope_expr(
        user, Officials.province_code, Officials.regency_code
    ) & agency_in_scope_expr(user)
    outside = set(rows.filter(~inside)["upload_id"])
    return [u for u in upload_ids if u not in outside]
