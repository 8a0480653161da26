"""Sumber & Metode: where the figures come from and how each one is computed.

Leadership must be able to check a number: the five real reports behind the seed events,
the definitions (signed, target, rate; roster before report; date precision), data
freshness, the approximate-boundaries notice, reference-data licences and the demo data.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import i18n, queries
from dashboard.access import upload_history
from dashboard.domain.scope import polars_expr
from dashboard.geo import boundaries
from dashboard.install.seed import SEED_UPLOAD_ID
from dashboard.web.cache import cached_query
from dashboard.web.components import localised_table, page_header
from dashboard.web.context import get_context

ctx = get_context()
page_header(ctx, "nav.sources")

# -- the real events -------------------------------------------------------------------------
st.header(ctx.t("sources.seed_title"))
st.markdown(ctx.t("sources.seed_intro"))
seed = cached_query(queries.seed_events, ctx)
seed = seed.filter(pl.col("upload_id") == SEED_UPLOAD_ID)
seed = seed.filter(polars_expr(ctx.filters.scope, "province_code", "regency_code"))
if seed.height:
    regions = cached_query(queries.region_options, ctx).select(
        pl.col("code").alias("place_code"), pl.col("name").alias("place")
    )
    dates = [
        i18n.fmt_date(d, ctx.lang, p)
        for d, p in zip(seed["event_date"], seed["date_precision"], strict=True)
    ]
    seed = seed.with_columns(
        pl.Series("date_text", dates, dtype=pl.String),
        pl.coalesce("regency_code", "province_code").alias("place_code"),
        pl.col("date_precision").alias("precision"),
    ).join(regions, on="place_code", how="left")
    localised_table(
        ctx,
        seed,
        {
            "date_text": "col.date",
            "precision": "sources.col_precision",
            "agency_name": "col.agency",
            "place": "col.regency",
            "kind": "col.event_kind",
            "source_publisher": "col.publisher",
            "source_title": "sources.col_title",
            "source_file": "sources.col_file",
        },
        vocab={"kind": "event", "precision": "precision"},
        key="sources_seed",
    )
else:
    st.info(ctx.t("sources.no_seed"))

# -- definitions and computation -----------------------------------------------------------
st.header(ctx.t("sources.definitions_title"))
st.markdown(ctx.t("sources.definitions"))
st.header(ctx.t("sources.figures_title"))
st.markdown(ctx.t("sources.figures"))

# -- freshness -------------------------------------------------------------------------------
st.header(ctx.t("sources.freshness_title"))
fr = cached_query(queries.freshness, ctx, ctx.filters)
st.markdown(
    ctx.t(
        "sources.freshness",
        upload=(
            f"{ctx.date(fr.last_upload.date())} {fr.last_upload:%H:%M} UTC"
            if fr.last_upload
            else "–"
        ),
        event=ctx.date(fr.last_event, fr.last_event_precision or "day"),
    )
)
uploads = cached_query(queries.recent_uploads, ctx, 20)
if ctx.user is not None:  # a scoped user sees uploads inside their scope only
    uploads = upload_history.visible_uploads(ctx.store, ctx.user, uploads)
if uploads.height:
    localised_table(
        ctx,
        uploads,
        {
            "uploaded_at": "sources.col_uploaded_at",
            "kind": "sources.col_kind",
            "file_name": "sources.col_file",
            "rows": "sources.col_rows",
            "valid_rows": "sources.col_valid_rows",
            "mode": "sources.col_mode",
            "status": "sources.col_status",
        },
        vocab={"kind": "sources.kind", "mode": "sources.mode", "status": "sources.status"},
        key="sources_uploads",
    )

# -- boundaries, reference data, demo --------------------------------------------------------
st.header(ctx.t("sources.boundaries_title"))
approx = [lvl for lvl in boundaries.LEVELS if boundaries.is_approximate(lvl, ctx.store.path)]
if approx:
    st.warning(ctx.t("approx_boundaries"), icon=":material/info:")
    st.markdown(ctx.t("sources.boundaries_method"))
else:
    st.success(ctx.t("sources.boundaries_official"))
st.header(ctx.t("sources.reference_title"))
st.markdown(ctx.t("sources.reference"))
st.header(ctx.t("sources.demo_title"))
st.markdown(ctx.t("sources.demo"))
