"""Which uploads a user may see listed (upload history, the sources page).

A listing names files, row counts and uploaders: for a scoped user only uploads that wrote
inside their scope and nowhere else, plus their own. Built-in installs and uploads that
left no rows (rolled back) have no region to judge by, so only national users see those
(unless they are the user's own).
"""

from __future__ import annotations

import polars as pl

from dashboard import queries
from dashboard.access import auth
from dashboard.store.database import Store


def visible_uploads(store: Store, user: auth.User, uploads: pl.DataFrame) -> pl.DataFrame:
    """``uploads`` (with ``upload_id`` and ``uploaded_by``) cut to what ``user`` may see."""
    if user.national or uploads.height == 0:
        return uploads
    where = queries.upload_regions(store, uploads["upload_id"].to_list()).with_columns(
        auth.in_scope_expr(user, "province_code", "regency_code").alias("inside")
    )
    wholly_inside = where.group_by("upload_id").agg(pl.col("inside").all())
    ok = wholly_inside.filter(pl.col("inside"))["upload_id"]
    return uploads.filter(
        pl.col("upload_id").is_in(ok.implode()) | (pl.col("uploaded_by") == user.username)
    )
