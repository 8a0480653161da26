"""Ringkasan: where are we, and who is behind.

Headline figures with the change against the same filters as of the previous upload or a
day the reader picks (``dashboard.render.comparison``; no delta when nothing moved), the ten
provinces and ten agencies with the lowest rates, and a small map of the current view.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from dashboard import queries
from dashboard.access import followup
from dashboard.render import comparison, snapshot
from dashboard.web.cache import cached_query
from dashboard.web.components import (
    DeltaColor,
    Metric,
    figure_columns,
    file_button,
    localised_table,
    metric_row,
    no_data,
    page_header,
)
from dashboard.web.context import get_context
from dashboard.web.mapview import approx_notice, legend, show_map
from dashboard.web.ranking import ranking_min_size

LOWEST_N = 10


ctx = get_context()
f = ctx.filters
pakta = f.measure == "pakta"
hl = page_header(ctx, "nav.overview")
COMPARE_KEY = "overview_compare_date"
picked = st.session_state.get(COMPARE_KEY)
base = comparison.baseline(
    cached_query(queries.uploads, ctx), f, picked if isinstance(picked, dt.date) else None
)
prev = cached_query(queries.headline, ctx, base.filters(f)) if base else None
changed = prev is not None and comparison.headline_changed(hl, prev)
vs = base.label(ctx.lang) if base else None


def _metric(
    label: str,
    now: float | None,
    field: str,
    kind: str,
    color: DeltaColor,
    help_text: str | None = None,
) -> Metric:
    value = ctx.pct(now) if kind == "pct" else ctx.num(now)
    before = getattr(prev, field) if changed and prev is not None else None
    return Metric(label, value, comparison.delta(now, before, kind, ctx.lang), color, help_text, vs)


metric_row(
    ctx,
    [
        _metric(
            ctx.t("overview.targeted"),
            hl.target,
            "target",
            "int",
            "off",
            ctx.t("overview.targeted_help"),
        ),
        _metric(
            ctx.t("col.signed" if pakta else "col.pledged"),
            hl.signed,
            "signed",
            "int",
            "normal",
            ctx.t("overview.signed_help.pakta" if pakta else "overview.signed_help.ikrar"),
        ),
        _metric(
            ctx.t("col.unsigned" if pakta else "col.unpledged"),
            hl.unsigned,
            "unsigned",
            "int",
            "inverse",
            ctx.t("overview.unsigned_help.pakta" if pakta else "overview.unsigned_help.ikrar"),
        ),
        _metric(
            ctx.t("col.rate" if pakta else "col.pledge_rate"),
            hl.rate,
            "rate",
            "pct",
            "normal",
            ctx.t("overview.rate_help"),
        ),
        _metric(
            ctx.t("overview.agencies_complete"),
            hl.agencies_complete,
            "agencies_complete",
            "int",
            "normal",
            ctx.t("overview.agencies_complete_help", n=ctx.num(hl.agencies)),
        ),
        _metric(
            ctx.t("overview.events"),
            hl.events,
            "events",
            "int",
            "normal",
            ctx.t("overview.events_help"),
        ),
    ],
)
note_col, pick_col = st.columns([3, 1], vertical_alignment="bottom")
note_col.caption(comparison.note(base, changed, ctx.lang))
if hl.agencies:
    note_col.caption(
        ctx.t(
            "overview.reporting",
            reported=ctx.num(hl.agencies_reported),
            targeted=ctx.num(hl.agencies),
            rate=ctx.pct(hl.agencies_reported / hl.agencies),
        )
    )
    note_col.caption(
        ctx.t(
            "overview.on_time",
            on_time=ctx.num(hl.agencies_on_time),
            reported=ctx.num(hl.agencies_reported),
        )
        + (
            " " + ctx.t("overview.no_deadline", n=ctx.num(hl.agencies_without_deadline))
            if hl.agencies_without_deadline
            else ""
        )
    )
pick_col.date_input(
    ctx.t("compare.pick"),
    value=None,
    max_value=f.as_of() - dt.timedelta(days=1),
    key=COMPARE_KEY,
    help=ctx.t("compare.pick_help"),
    format="DD/MM/YYYY",
)
if ctx.user is not None and (overdue := cached_query(followup.overdue_count, ctx, ctx.user, f)):
    st.warning(ctx.t("overview.overdue", n=ctx.num(overdue)), icon=":material/assignment_late:")

if hl.target == 0 and hl.events == 0:
    no_data(ctx)
    st.stop()

left, right = st.columns([1, 1])
with left:
    st.subheader(ctx.t("overview.map_title"))
    regions = show_map(ctx, key="overview_map", max_height=420)
    legend(ctx)
    approx_notice(ctx)
    file_button(  # the map and the headline as a phone-sized picture to forward
        st,
        ctx.t("briefing.download_png"),
        lambda: cached_query(snapshot.build_png, ctx, f, ctx.lang),
        snapshot.file_name(f),
        key="overview_download_png",
        icon=":material/image:",
    )

with right:
    by_region = "kabupaten" if f.provinces else "provinsi"
    st.subheader(ctx.t("overview.lowest_regencies" if f.provinces else "overview.lowest_provinces"))
    # the map's own table (same figures, already cached): no second query
    regions = regions.with_columns(
        pl.when(pl.col("provincial_level"))
        .then(pl.col("name") + " " + ctx.t("provincial_level"))
        .otherwise(pl.col("name"))
        .alias("name")
    )
    lowest = regions.filter(pl.col("rate").is_not_null()).sort("rate", "name").head(LOWEST_N)
    if lowest.height:
        localised_table(
            ctx,
            lowest,
            figure_columns(
                "col.province" if by_region == "provinsi" else "col.regency", pakta, signed=False
            ),
            vocab={"source": "source"},
            key="overview_lowest_regions",
            key_columns=3,
        )
    else:
        no_data(ctx)

st.subheader(ctx.t("overview.lowest_agencies"))
agencies = cached_query(queries.summary, ctx, f, "instansi")
# among equal rates the larger agency is the more urgent one
# a 7-person agency at 0 % says little: rank only agencies of a minimum size (stated below)
min_size = ranking_min_size()
lowest_ag = (
    agencies.filter(pl.col("rate").is_not_null() & (pl.col("target") >= min_size))
    .sort(["rate", "target", "name"], descending=[False, True, False])
    .head(LOWEST_N)
)
if lowest_ag.height:
    regions_all = cached_query(queries.region_options, ctx).select(
        pl.col("code").alias("region_code"), pl.col("name").alias("region_name")
    )
    lowest_ag = lowest_ag.with_columns(
        pl.coalesce("regency_code", "province_code").alias("region_code")
    ).join(regions_all, on="region_code", how="left")
    localised_table(
        ctx,
        lowest_ag,
        figure_columns("col.agency", pakta, between={"region_name": "col.region"}),
        vocab={"source": "source"},
        key="overview_lowest_agencies",
        key_columns=3,
    )
    st.caption(ctx.t("overview.min_size_caption", n=ctx.num(min_size)))
else:
    no_data(ctx)
