"""Linimasa: events over time, the cumulative signature rate, milestones, and the event list.

Dates are shown at the precision the source gives (day / month / year). Events with no
known day are drawn as a span over their month or year; the cumulative curve uses only
dated signatures and says how many it could not place.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import queries
from dashboard.render import charts
from dashboard.web.cache import cached_query
from dashboard.web.components import Metric, localised_table, metric_row, no_data, page_header
from dashboard.web.context import get_context
from dashboard.web.leadership import cached_figure, paginate, plot, publisher_label, with_labels

ctx = get_context()
f = ctx.filters
hl = page_header(ctx, "nav.timeline")

events = cached_query(queries.events, ctx, f)

# -- events over time --------------------------------------------------------------------
st.subheader(ctx.t("timeline.events_header"))
if events.height == 0:
    no_data(ctx, "timeline.no_events")
else:
    counts = dict(events.group_by("date_precision").len().iter_rows())
    metric_row(
        ctx,
        [
            Metric(
                ctx.t("timeline.m.events"),
                ctx.num(events.height),
                help=ctx.t("timeline.help.events"),
            ),
            Metric(
                ctx.t("timeline.m.day"),
                ctx.num(counts.get("day", 0)),
                help=ctx.t("timeline.help.day"),
            ),
            Metric(
                ctx.t("timeline.m.month"),
                ctx.num(counts.get("month", 0)),
                help=ctx.t("timeline.help.month"),
            ),
            Metric(
                ctx.t("timeline.m.year"),
                ctx.num(counts.get("year", 0)),
                help=ctx.t("timeline.help.year"),
            ),
        ],
    )
    plot(
        cached_figure(
            ctx,
            "events",
            lambda: charts.events_timeline(events, ctx.lang, start=f.date_from, end=f.date_to),
        ),
        key="lead_events_chart",
    )
    st.caption(ctx.t("timeline.events_caption"))

# -- cumulative signature rate -------------------------------------------------------------
st.subheader(ctx.t("timeline.cumulative_header"))
if f.measure == "ikrar":
    st.info(ctx.t("timeline.pledge_no_dates"), icon=":material/info:")
by_province = len(f.provinces) >= 2
cum = cached_query(queries.cumulative_signed, ctx, f, by_province)
curve_signed = (
    int(cum.curve.group_by("grp").agg(pl.col("signed").max())["signed"].sum())
    if cum.curve.height
    else 0
)
if cum.curve.height == 0:
    no_data(ctx, "timeline.no_curve")
else:
    plot(
        cached_figure(
            ctx,
            "cumulative",
            lambda: charts.cumulative_rate(cum.curve, ctx.lang, start=f.date_from, end=f.date_to),
            by_province,
        ),
        key="lead_cumulative_chart",
    )
    st.caption(
        ctx.t(
            "timeline.cumulative_caption",
            target=ctx.num(cum.target),
            signed=ctx.num(curve_signed),
            rate=ctx.pct(curve_signed / cum.target if cum.target else None),
            as_of=ctx.date(f.as_of()),
        )
    )
    if by_province:
        st.caption(ctx.t("timeline.per_province"))
if cum.undated_signed:
    st.caption(ctx.t("timeline.undated", n=ctx.num(cum.undated_signed)))
if cum.imprecise_reports.height:
    reps = with_labels(cum.imprecise_reports, ctx.lang, period=("as_of", pl.col("as_of_precision")))
    st.caption(
        ctx.t(
            "timeline.imprecise_reports",
            n=ctx.num(reps.height),
            signed=ctx.num(int(reps["signed"].sum())),
            target=ctx.num(int(reps["target"].sum())),
        )
    )
    localised_table(
        ctx,
        reps,
        {
            "name": "col.agency",
            "period": "timeline.col.known_period",
            "target": "col.target",
            "signed": "col.signed",
            "source": "col.source",
            "report_publisher": "col.publisher",
            "report_file": "timeline.col.source_file",
        },
        vocab={"source": "source"},
        kinds={"period": "text"},
        key="lead_imprecise_reports",
    )

# -- event list with sources ---------------------------------------------------------------
st.subheader(ctx.t("timeline.list_header"))
if events.height:
    search = st.text_input(
        ctx.t("timeline.search"), key="lead_events_search", placeholder=ctx.t("timeline.search_ph")
    )
    shown = events
    if search.strip():
        q = search.strip().lower()
        shown = events.filter(
            pl.concat_str(
                [
                    pl.col("agency_name"),
                    pl.col("place_name"),
                    pl.col("led_by"),
                    pl.col("source_publisher"),
                    pl.col("source_title"),
                ],
                separator=" ",
                ignore_nulls=True,
            )
            .str.to_lowercase()
            .str.contains(q, literal=True)
        )
    offset, limit = paginate(ctx, shown.height, "lead_events")
    page = with_labels(
        shown.slice(offset, limit), ctx.lang, date_label=("event_date", pl.col("date_precision"))
    ).with_columns(publisher_label(ctx))
    localised_table(
        ctx,
        page,
        {
            "date_label": "col.date",
            "date_precision": "timeline.col.precision",
            "agency_name": "col.agency",
            "publisher": "col.publisher",
            "source_title": "timeline.col.source_title",
            "source_file": "timeline.col.source_file",
            "kind": "col.event_kind",
            "place_name": "timeline.col.place",
            "led_by": "col.led_by",
        },
        vocab={"kind": "event", "date_precision": "precision"},
        kinds={"date_label": "text"},
        key="lead_event_list",
    )
    st.caption(ctx.t("timeline.list_caption"))
