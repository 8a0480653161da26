"""Instansi: a ranking of agencies, and one agency in detail (figures, roster, events, uploads).

The ranking is searched, sorted and paginated in DuckDB: only one page reaches the
browser. The agency shown in detail lives in the URL (``?instansi=<id>``) so a copied
link opens the same agency; an id that is unknown or outside the filters is dropped
with a notice.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import streamlit as st

from dashboard import queries
from dashboard.text import plain
from dashboard.web.cache import cached_query
from dashboard.web.components import (
    Metric,
    display_frame,
    download_buttons,
    linked_select,
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
    publisher_label,
    region_label,
    suppression_captions,
    unsigned_cells,
    with_labels,
)

DETAIL_PARAM = "instansi"
DETAIL_KEY = "lead_agency_detail"

ctx = get_context()
f = ctx.filters
m = "ikrar" if f.measure == "ikrar" else "pakta"
page_header(ctx, "nav.agencies")


RANKING_COLUMNS = {
    "name": "col.agency",
    "rate": f"lead.col.rate.{m}",
    "unsigned": f"lead.col.not_done.{m}",
    "target": "col.target",
    "signed": f"lead.col.done.{m}",
    "source": "col.source",
    "last_event_label": "agencies.col.last_event",
    "last_event_publisher": "col.publisher",
    "region": "lead.col.region",
    "level": "col.level",
}
RANKING_VOCAB = {"level": "level", "source": "source"}


def _ranking_display(frame: pl.DataFrame) -> pl.DataFrame:
    """Ranking rows with their region, event label and source in words."""
    labelled = with_labels(
        frame, ctx.lang, last_event_label=("last_event_date", pl.col("last_event_precision"))
    )
    return region_label(labelled, ctx.lang).with_columns(pl.col("source").fill_null("none"))


def _yes_no(col: str) -> pl.Expr:
    return pl.when(pl.col(col)).then(pl.lit("yes")).otherwise(pl.lit("no")).alias(col)


# -- ranking -------------------------------------------------------------------------------
st.subheader(ctx.t("agencies.ranking_header"))
c1, c2 = st.columns([2, 1])
search = typed_search(
    ctx,
    c1.text_input(
        ctx.t("agencies.search"),
        key="lead_agencies_search",
        placeholder=ctx.t("agencies.search_ph"),
    ),
)
sort = c2.selectbox(
    ctx.t("agencies.sort"),
    list(queries.AGENCY_SORTS),
    format_func=lambda k: ctx.t(f"agencies.sort.{k}"),
    key="lead_agencies_sort",
)
total = cached_query(queries.agency_count, ctx, f, search or None)
page = pl.DataFrame()
if total == 0:
    no_data(ctx)
else:
    offset, limit = paginate(ctx, total, "lead_agencies")
    page = cached_query(
        queries.agency_ranking,
        ctx,
        f,
        sort=sort,
        search=search or None,
        offset=offset,
        limit=limit,
    )
    localised_table(
        ctx,
        _ranking_display(page),
        RANKING_COLUMNS,
        vocab=RANKING_VOCAB,
        kinds={"last_event_label": "text"},
        key="lead_agency_ranking",
        key_columns=3,
    )
    st.caption(ctx.t("agencies.ranking_caption"))
    # every agency in view (with the search), not only this page of the table
    download_buttons(
        ctx,
        lambda: display_frame(
            ctx,
            _ranking_display(
                queries.agency_ranking(ctx.store, f, sort=sort, search=search or None, limit=None)
            ),
            RANKING_COLUMNS,
            vocab=RANKING_VOCAB,
        ),
        "instansi",
        key="lead_agency_ranking",
        label=ctx.t("agencies.download", n=ctx.num(total)),
        widths=(1, 1, 1),  # room for the whole label at a laptop's width
    )

# -- detail --------------------------------------------------------------------------------
st.subheader(ctx.t("agencies.detail_header"))
if DETAIL_KEY not in st.session_state:
    st.session_state[DETAIL_KEY] = st.query_params.get(DETAIL_PARAM) or None
chosen = st.session_state[DETAIL_KEY]
detail = cached_query(queries.agency_detail, ctx, f, chosen) if chosen else None
if chosen and detail is None:
    st.warning(ctx.t("agencies.detail_not_in_view"), icon=":material/warning:")
    st.session_state[DETAIL_KEY] = chosen = None

names = dict(zip(page["agency_id"], page["name"], strict=True)) if page.height else {}
if detail is not None:
    names.setdefault(detail["agency_id"], detail["name"])
chosen = linked_select(
    ctx.t("agencies.choose"),
    names,
    key=DETAIL_KEY,
    param=DETAIL_PARAM,
    placeholder=ctx.t("agencies.choose_none"),
    help=ctx.t("agencies.choose_help"),
)

if chosen and detail is not None:
    d = detail
    region = plain(d["regency_name"] or f"{d['province_name']} {ctx.t('provincial_level')}")
    last = (
        ctx.date(d["last_event_date"], d["last_event_precision"]) if d["last_event_date"] else "–"
    )
    st.subheader(plain(d["name"]), anchor=False)  # uploaded names: never markdown
    st.caption(
        " · ".join(
            [
                ctx.t(f"level.{d['level']}"),
                ctx.t(f"kind.{d['kind']}"),
                region,
                ctx.t("source.demo") if d["is_demo"] else ctx.t("agencies.real_data"),
                ctx.t("agencies.last_event", date=last),
            ]
        )
    )
    metric_row(
        ctx,
        [
            Metric(ctx.t("col.target"), ctx.num(d["target"]), help=ctx.t("agencies.help.target")),
            Metric(
                ctx.t(f"lead.col.done.{m}"),
                ctx.num(d["signed"]),
                help=ctx.t(f"overview.signed_help.{m}"),
            ),
            Metric(
                ctx.t(f"lead.col.not_done.{m}"),
                ctx.num(d["unsigned"]),
                help=ctx.t(f"overview.unsigned_help.{m}"),
            ),
            Metric(
                ctx.t(f"lead.col.rate.{m}"),
                ctx.pct(d["rate"]),
                help=ctx.t("agencies.source_help", source=ctx.t(f"source.{d['source'] or 'none'}")),
            ),
        ],
    )
    if d["target"] is None:
        st.info(ctx.t("agencies.no_figure"), icon=":material/info:")

    tab_roster, tab_events, tab_uploads = st.tabs(
        [ctx.t("agencies.tab.roster"), ctx.t("agencies.tab.events"), ctx.t("agencies.tab.uploads")]
    )
    with tab_roster:
        n = cached_query(queries.agency_roster_count, ctx, f, chosen)
        if n == 0:
            key = "agencies.roster_report" if d["source"] == "laporan" else "agencies.roster_none"
            st.info(ctx.t(key), icon=":material/info:")
        else:
            personal = can_see_personal_data(ctx)
            if not personal:
                # no row per person without personal data: counts by position level,
                # small cells suppressed (as on the unsigned page)
                counts = cached_query(unsigned_cells, ctx, replace(f, agencies=(chosen,)), None)
                localised_table(
                    ctx,
                    counts.cells,
                    {"position_level": "col.position_level", "unsigned": f"lead.col.not_done.{m}"},
                    vocab={"position_level": "position"},
                    key="lead_agency_cells",
                )
                suppression_captions(ctx, counts)
            else:
                offset, limit = paginate(ctx, n, "lead_roster")
                roster = cached_query(
                    queries.agency_roster,
                    ctx,
                    f,
                    chosen,
                    offset=offset,
                    limit=limit,
                    personal=personal,
                ).with_columns(_yes_no("done"), _yes_no("pledged"))
                columns = {"name": "col.name", "nip": "lead.col.nip"} if personal else {}
                columns |= {
                    "position": "lead.col.position",
                    "position_level": "col.position_level",
                    "done": f"lead.col.status.{m}",
                    "signed_date": "agencies.col.signed_date",
                    "pledged": "col.pledged",
                    "upload_id": "agencies.col.upload",
                }
                localised_table(
                    ctx,
                    roster,
                    columns,
                    vocab={
                        "position_level": "position",
                        "done": "lead.yesno",
                        "pledged": "lead.yesno",
                    },
                    kinds={"nip": "text"},
                    key="lead_agency_roster",
                )
    with tab_events:
        ev = cached_query(queries.events, ctx, replace(f, agencies=(chosen,)))
        if ev.height == 0:
            no_data(ctx, "agencies.no_events")
        else:
            ev = with_labels(
                ev, ctx.lang, date_label=("event_date", pl.col("date_precision"))
            ).with_columns(publisher_label(ctx))
            localised_table(
                ctx,
                ev,
                {
                    "date_label": "col.date",
                    "kind": "col.event_kind",
                    "place_name": "timeline.col.place",
                    "led_by": "col.led_by",
                    "target_count": "agencies.col.ev_target",
                    "signed_count": "agencies.col.ev_signed",
                    "summary": "agencies.col.summary",
                    "publisher": "col.publisher",
                    "source_title": "timeline.col.source_title",
                    "source_file": "timeline.col.source_file",
                },
                vocab={"kind": "event"},
                kinds={"date_label": "text"},
                key="lead_agency_events",
            )
    with tab_uploads:
        ups = cached_query(queries.agency_uploads, ctx, chosen)
        if ups.height == 0:
            no_data(ctx, "agencies.no_uploads")
        else:
            localised_table(
                ctx,
                ups,
                {
                    "uploaded_at": "agencies.col.uploaded_at",
                    "file_name": "agencies.col.file",
                    "kind": "agencies.col.upload_kind",
                    "mode": "agencies.col.mode",
                    "status": "agencies.col.status",
                    "rows_added": "agencies.col.rows_added",
                    "rows_current": "agencies.col.rows_current",
                    "rows_replaced": "agencies.col.rows_replaced",
                },
                vocab={
                    "kind": "agencies.upload_kind",
                    "mode": "agencies.mode",
                    "status": "agencies.status",
                },
                key="lead_agency_uploads",
            )
            st.caption(ctx.t("agencies.uploads_caption"))
