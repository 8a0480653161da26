"""Belum Tanda Tangan: who has not yet signed (or pledged), where, at which level, since when.

Breakdowns cover roster and report figures alike; the name list covers roster officials
only (a report has counts, no names). The list is paginated server-side and downloads
through :func:`dashboard.web.leadership.unsigned_downloads` (audited for every role). Only
roles that may see personal data (:func:`dashboard.web.leadership.can_see_personal_data`)
get a row per person, with names and NIPs; others get counts by agency, position level and
region with cells under ``auth.MIN_CELL`` people suppressed.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import queries
from dashboard.access import auth, service
from dashboard.render import charts
from dashboard.web import viewport
from dashboard.web.cache import cached_query
from dashboard.web.components import (
    Metric,
    localised_table,
    metric_row,
    no_data,
    page_header,
    typed_search,
)
from dashboard.web.context import get_context
from dashboard.web.leadership import (
    can_see_personal_data,
    paginate,
    plot_cached,
    region_label,
    suppression_captions,
    unsigned_cells,
    unsigned_downloads,
    with_labels,
)
from schemas.vocab import POSITION_LEVELS

ctx = get_context()
f = ctx.filters
m = "ikrar" if f.measure == "ikrar" else "pakta"
hl = page_header(ctx, "nav.unsigned")

ov = cached_query(queries.unsigned_overview, ctx, f)
reports = ov.reports
roster_unsigned = ov.roster_unsigned
report_unsigned = int(reports["unsigned"].sum()) if reports.height else 0

metric_row(
    ctx,
    [
        Metric(
            ctx.t(f"unsigned.m.total.{m}"), ctx.num(hl.unsigned), help=ctx.t("unsigned.help.total")
        ),
        Metric(
            ctx.t("unsigned.m.named"), ctx.num(roster_unsigned), help=ctx.t("unsigned.help.named")
        ),
        Metric(
            ctx.t("unsigned.m.reported"),
            ctx.num(report_unsigned),
            help=ctx.t("unsigned.help.reported"),
        ),
        Metric(ctx.t(f"unsigned.m.rate.{m}"), ctx.pct(hl.rate), help=ctx.t("unsigned.help.rate")),
    ],
)
if hl.target == 0:
    no_data(ctx)
    st.stop()

# -- breakdowns ----------------------------------------------------------------------------
st.subheader(ctx.t("unsigned.breakdown_header"))
by_level = ov.by["position_level"]
by_kind = ov.by["agency_kind"]


def _bars(key: str, frame: pl.DataFrame, title_key: str) -> None:
    """Unsigned counts by ``frame``'s ``label``, as a bar chart drawn from cache."""
    plot_cached(
        ctx,
        key,
        lambda: charts.unsigned_bars(
            frame, ctx.lang, f.measure, label="label", title=ctx.t(title_key)
        ),
    )


c1, c2 = st.columns(2)
with c1:
    if by_level.height:
        lv = by_level.with_columns(
            pl.col("key")
            .replace_strict({p: ctx.t(f"position.{p}") for p in POSITION_LEVELS}, default=None)
            .alias("label")
        )
        _bars("lead_by_level", lv, f"unsigned.by_level.{m}")
        if report_unsigned:
            st.caption(ctx.t("unsigned.level_excludes_reports", n=ctx.num(report_unsigned)))
    else:
        no_data(ctx, "unsigned.no_roster")
with c2:
    kinds = by_kind["key"].unique().to_list()
    kd = by_kind.with_columns(
        pl.col("key").replace_strict({k: ctx.t(f"kind.{k}") for k in kinds}).alias("label")
    )
    _bars("lead_by_kind", kd, f"unsigned.by_kind.{m}")

by_prov = ov.by["province"].rename({"name": "label"})
by_reg = ov.by["regency"]
prov_names = dict(zip(by_prov["key"], by_prov["label"], strict=True))
by_reg = by_reg.with_columns(
    pl.coalesce(
        pl.col("name"),
        pl.col("province_code").replace_strict(prov_names, default="")
        + " "
        + pl.lit(ctx.t("provincial_level")),
    ).alias("label")
)
tab_p, tab_r, tab_t = st.tabs(
    [ctx.t("unsigned.tab.province"), ctx.t("unsigned.tab.regency"), ctx.t("unsigned.tab.treemap")]
)
with tab_p:
    _bars("lead_by_province", by_prov, f"unsigned.by_province.{m}")
with tab_r:
    _bars("lead_by_regency", by_reg, f"unsigned.by_regency.{m}")
    st.caption(ctx.t("unsigned.top_n", n=ctx.num(20)))
with tab_t:
    plot_cached(
        ctx, "lead_treemap", lambda: charts.unsigned_treemap(by_reg, by_prov, ctx.lang, f.measure)
    )

heat = ov.heat
if heat.height and viewport.is_phone(viewport.last_page_size()):
    # a province x level grid of colours cannot be read at a phone's width: the counts
    st.markdown(f"**{ctx.t(f'unsigned.heat_table_title.{m}')}**")
    rows = charts.heat_rows(heat, list(POSITION_LEVELS))
    localised_table(
        ctx,
        rows,
        {"province_name": "col.province", **{p: f"position.{p}" for p in rows.columns[1:]}},
        key="lead_heat_rows",
    )
    st.caption(ctx.t("unsigned.heat_caption"))
elif heat.height:
    plot_cached(
        ctx,
        "lead_heat",
        lambda: charts.heat_table(heat, ctx.lang, f.measure, list(POSITION_LEVELS)),
    )
    st.caption(ctx.t("unsigned.heat_caption"))

# -- days outstanding ----------------------------------------------------------------------
st.subheader(ctx.t("unsigned.days_header"))
days = ov.days
undated = int(days.filter(pl.col("days_outstanding").is_null())["unsigned"].sum())
if days.filter(pl.col("days_outstanding").is_not_null()).height:
    plot_cached(ctx, "lead_days", lambda: charts.days_outstanding(days, ctx.lang, f.measure))
st.caption(ctx.t(f"unsigned.days_caption.{m}", as_of=ctx.date(f.as_of()), undated=ctx.num(undated)))

# -- the follow-up list ----------------------------------------------------------------------
st.subheader(ctx.t(f"unsigned.list_header.{m}"))
personal = can_see_personal_data(ctx)
search = typed_search(
    ctx,
    st.text_input(
        ctx.t("unsigned.search"),
        key="lead_unsigned_search",
        placeholder=ctx.t("unsigned.search_ph" if personal else "unsigned.search_ph_nopd"),
    ),
)
if not personal:
    # no row per person for roles without personal data: a position in an agency names
    # someone as surely as a name; counts only, small cells suppressed
    shown = cached_query(unsigned_cells, ctx, f, search or None)
    if shown.cells.height == 0 and shown.hidden_cells == 0:
        no_data(ctx, "unsigned.list_empty")
    else:
        if shown.cells.height:  # every cell may be small: then only the captions say so
            offset, limit = paginate(ctx, shown.cells.height, "lead_unsigned_cells")
            page = shown.cells.slice(offset, limit)
            localised_table(
                ctx,
                region_label(page, ctx.lang),
                {
                    "agency_name": "col.agency",
                    "position_level": "col.position_level",
                    "region": "lead.col.region",
                    "unsigned": f"lead.col.not_done.{m}",
                },
                vocab={"position_level": "position"},
                key="lead_unsigned_cells",
            )
        suppression_captions(ctx, shown)
        unsigned_downloads(ctx, search or None)
    total = 0
else:
    total = (
        roster_unsigned
        if not search
        else cached_query(queries.unsigned_count, ctx, f, search, personal)
    )
if personal and total == 0:
    no_data(ctx, "unsigned.list_empty")
elif personal:
    offset, limit = paginate(ctx, total, "lead_unsigned")
    page = cached_query(
        service.unsigned_officials,
        ctx,
        service.web_caller(ctx.user),
        f,
        offset=offset,
        limit=limit,
        search=search or None,
        personal=personal,
    )
    page = region_label(
        with_labels(page, ctx.lang, since_label=("since", pl.col("since_precision"))), ctx.lang
    )
    # who, how long outstanding, where: then the details
    columns = {
        "name": "col.name",
        "days_outstanding": "lead.col.days",
        "agency_name": "col.agency",
        "nip": "lead.col.nip",
        "position": "lead.col.position",
        "position_level": "col.position_level",
        "since_label": "lead.col.since",
        "region": "lead.col.region",
    }
    localised_table(
        ctx,
        page,
        columns,
        vocab={"position_level": "position"},
        kinds={"since_label": "text", "nip": "text"},
        key="lead_unsigned_list",
        key_columns=3,
    )
    unsigned_downloads(ctx, search or None)
    st.caption(ctx.t("unsigned.download_caption", total=ctx.num(total)))

# -- PNS / PPPK, and the agencies that have reported nothing --------------------------------
by_jenis = cached_query(queries.summary, ctx, f, "jenis_asn")
if not personal:  # a handful of PPPK in a view can single people out: counts of 1-2 hidden
    small = pl.col("unsigned").is_between(1, auth.MIN_CELL - 1)
    by_jenis = by_jenis.with_columns(
        pl.when(small).then(None).otherwise(pl.col(c)).alias(c) for c in ("unsigned", "rate")
    )
if by_jenis.height:
    st.subheader(ctx.t("unsigned.jenis_header"))
    localised_table(
        ctx,
        by_jenis.with_columns(
            pl.col("code").replace_strict(
                {k: ctx.t(f"jenis_asn.{k}") for k in ("PNS", "PPPK", "tidak_diketahui")},
                default=pl.col("code"),
            )
        ),
        {  # the rate next to the name, as in every ranking (in view on a laptop)
            "code": "col.jenis_asn",
            "rate": "col.rate",
            "unsigned": f"col.{'unsigned' if m == 'pakta' else 'unpledged'}",
            "target": "col.target",
        },
        kinds={"rate": "pct"},
        key="lead_by_jenis",
    )
silent = cached_query(queries.agencies_not_reported, ctx, f)
if silent.height:
    st.subheader(ctx.t("unsigned.not_reported_header", n=ctx.num(silent.height)))
    st.caption(ctx.t("unsigned.not_reported_caption"))
    localised_table(
        ctx,
        silent,
        {"name": "col.agency", "target": "col.target"},
        key="lead_not_reported",
    )

# -- report-based agencies: counts only ---------------------------------------------------
if reports.height:
    st.subheader(ctx.t("unsigned.reports_header"))
    st.caption(ctx.t("unsigned.reports_caption"))
    reps = with_labels(reports, ctx.lang, as_of_label=("as_of", pl.col("as_of_precision")))
    localised_table(
        ctx,
        reps,
        {
            "name": "col.agency",
            "rate": f"lead.col.rate.{m}",
            "unsigned": f"lead.col.not_done.{m}",
            "target": "col.target",
            "signed": f"lead.col.done.{m}",
            "as_of_label": "lead.col.as_of",
            "source": "col.source",
            "report_publisher": "col.publisher",
        },
        vocab={"source": "source"},
        kinds={"as_of_label": "text"},
        key="lead_report_agencies",
        key_columns=3,
    )
