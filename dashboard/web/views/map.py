"""Peta: signature rate by province; click (or filter) a province to see its regencies/cities.

The drill-down is the province filter itself, so the URL reproduces it and every other page
follows. Provincial-level agencies have no regency: they get a "(tingkat provinsi)" row in
the table, not a polygon.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import queries
from dashboard.web import viewport
from dashboard.web.cache import cached_query
from dashboard.web.components import (
    download_buttons,
    figure_columns,
    localised_table,
    no_data,
    page_header,
)
from dashboard.web.context import get_context, request_filters
from dashboard.web.leadership import publisher_label, with_labels
from dashboard.web.mapview import approx_notice, legend, map_level, show_map

ctx = get_context()
f = ctx.filters
page_header(ctx, "nav.map")
level = map_level(ctx)
pakta = f.measure == "pakta"

head, opt1, opt2 = st.columns([3, 1, 1], vertical_alignment="bottom")
if level == "kabupaten":
    regions = cached_query(queries.region_options, ctx)
    names = regions.filter(pl.col("code").is_in(f.provinces))["name"].to_list()
    head.subheader(ctx.t("map.regency_title", provinces=", ".join(names)))
    head.button(
        ctx.t("map.back"),
        icon=":material/arrow_back:",
        on_click=lambda: request_filters(rerun=False, provinces=(), regencies=(), agencies=()),
        key="map_back",
    )
else:
    head.subheader(ctx.t("map.national_title"))
    head.caption(ctx.t("map.click_hint"))
# events cover a phone's map (thousands of dots over provinces a finger must tap): there the
# layer starts off; before the width is known the map is not drawn either
size = viewport.last_page_size()
show_events = (
    opt1.toggle(ctx.t("map.show_events"), value=not viewport.is_phone(size), key="map_show_events")
    if size is not None or not viewport.reports_to_come()
    else False
)
basemap = opt2.toggle(
    ctx.t("map.basemap"), value=False, key="map_basemap", help=ctx.t("map.basemap_help")
)

# a radio, not a segmented control: the latter's unselected text fails colour contrast
basis = (
    st.radio(
        ctx.t("map.basis"),
        ["targeted", "reported"],
        index=0,
        format_func=lambda b: ctx.t(f"map.basis.{b}"),
        horizontal=True,
        key="map_basis",
    )
    or "targeted"
)
table = show_map(ctx, key="map_main", show_events=show_events, basemap=basemap, basis=basis)
legend(ctx, basis)
approx_notice(ctx)

st.subheader(ctx.t("map.table_title"))
if table.filter(pl.col("target").is_not_null()).height == 0:
    no_data(ctx)
display = table.with_columns(
    pl.when(pl.col("provincial_level"))
    .then(pl.col("name") + " " + ctx.t("provincial_level"))
    .otherwise(pl.col("name"))
    .alias("name"),
    pl.col("source").fill_null("none"),
).sort("rate", "name", nulls_last=True)
shown = localised_table(
    ctx,
    display,
    {
        **figure_columns("col.province" if level == "provinsi" else "col.regency", pakta),
        "agencies_reported": "col.agencies_reported",
        "agencies_targeted": "col.agencies_targeted",
        "reporting_rate": "col.reporting_rate",
    },
    vocab={"source": "source"},
    kinds={"reporting_rate": "pct"},
    key="map_table",
    key_columns=3,
)
download_buttons(ctx, shown, "peta-provinsi" if level == "provinsi" else "peta-kabupaten")

# the events behind the points, real reports first
events = cached_query(queries.events, ctx, f)
if events.height:
    with st.expander(
        ctx.t("map.events_title", n=ctx.num(events.height)), expanded=level == "kabupaten"
    ):
        ev = with_labels(
            events.sort(["is_demo", "event_date"], descending=[False, True]).head(200),
            ctx.lang,
            date_text=("event_date", pl.col("date_precision")),
        ).with_columns(publisher_label(ctx))
        localised_table(
            ctx,
            ev,
            {
                "date_text": "col.date",
                "agency_name": "col.agency",
                "place_name": "col.regency",
                "kind": "col.event_kind",
                "publisher": "col.publisher",
            },
            vocab={"kind": "event"},
            key="map_events_table",
            key_columns=3,
        )
