"""Helpers shared by the leadership pages (Linimasa, Belum Tanda Tangan, Instansi).

- :func:`can_see_personal_data` is the one switch for names and NIPs on screen and in
  exports (the access-control issue will make it depend on the user's role).
- :func:`unsigned_export` / :func:`unsigned_downloads` are the one way the follow-up list
  leaves the app: generated when the button is clicked, Excel-safe (``dashboard.export``).
- :func:`paginate` keeps long lists server-side: only one page reaches the browser.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import i18n, queries
from dashboard.access import auth, service
from dashboard.render import export
from dashboard.render.charts import date_label_expr, for_phone
from dashboard.store.database import Store
from dashboard.text import plain
from dashboard.web import viewport
from dashboard.web.cache import cached_object
from dashboard.web.components import DOWNLOAD_LABELS, file_button, view_file_name, view_preamble
from dashboard.web.context import Ctx

PAGE_SIZES = (25, 50, 100)
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def can_see_personal_data(ctx: Ctx) -> bool:
    """Whether this user may see officials' names and NIPs (UU 27/2022).

    Analysts and above (``dashboard.auth``); a viewer, or a run without a signed-in user,
    sees none. The same switch allows downloading the named list (audited).
    """
    return ctx.user is not None and ctx.user.can(auth.VIEW_PERSONAL_DATA)


def plot(fig: go.Figure, key: str | None = None) -> None:
    """A Plotly chart at full width, with our own colours (not the Streamlit theme).

    On a phone the title goes above the chart and the milestone labels under it, numbered
    (:func:`charts.for_phone`): nothing overlaps or runs off a 360-px chart.
    """
    if viewport.is_phone(viewport.last_page_size()):
        fig, title, notes = for_phone(fig)
        if title:
            st.markdown(f"**{plain(html.unescape(title))}**")
        st.plotly_chart(fig, theme=None, config=PLOTLY_CONFIG, key=key)
        if notes:
            st.caption(
                " · ".join(f"{i}: {plain(html.unescape(n))}" for i, n in enumerate(notes, 1))
            )
        return
    st.plotly_chart(fig, theme=None, config=PLOTLY_CONFIG, key=key)


def cached_figure(ctx: Ctx, name: str, build: Callable[[], go.Figure], *extra: object) -> go.Figure:
    """``build()`` once per (chart, store version, filters, language, role, ``extra``).

    Building a Plotly figure validates every property (~30-120 ms each); the figure is a
    pure function of cached data, so it is kept as a resource (``cache.cached_object``).
    ``cache_data`` would pickle it, and unpickling validates again. Callers must not mutate
    the returned figure.
    """
    return cached_object(ctx, name, build, *extra)


def plot_cached(ctx: Ctx, key: str, build: Callable[[], go.Figure]) -> None:
    """:func:`plot` of :func:`cached_figure` (``key`` names both the chart and the widget)."""
    plot(cached_figure(ctx, key, build), key=key)


def paginate(ctx: Ctx, total: int, key: str, default_size: int = 50) -> tuple[int, int]:
    """Page-size and page-number controls; returns ``(offset, limit)``.

    The caption says which rows are shown out of how many, so nobody mistakes a page
    for the whole list.
    """
    c1, c2, c3 = st.columns([1, 1, 3])
    size = c1.selectbox(
        ctx.t("lead.page_size"),
        PAGE_SIZES,
        index=PAGE_SIZES.index(default_size),
        key=f"{key}_size",
        format_func=ctx.num,
    )
    pages = max(1, math.ceil(total / size))
    page_key = f"{key}_page"
    if st.session_state.get(page_key, 1) > pages:
        st.session_state[page_key] = pages
    page = c2.number_input(
        ctx.t("lead.page", pages=ctx.num(pages)),
        min_value=1,
        max_value=pages,
        value=1,
        step=1,
        key=page_key,
    )
    offset = (int(page) - 1) * size
    if total:
        c3.caption(
            ctx.t(
                "lead.showing",
                first=ctx.num(offset + 1),
                last=ctx.num(min(offset + size, total)),
                total=ctx.num(total),
            )
        )
    return offset, size


def with_labels(df: pl.DataFrame, lang: str, **cols: tuple[str, str | pl.Expr]) -> pl.DataFrame:
    """Add ``name=(date column, precision)`` text columns: dates shown at their precision."""
    return df.with_columns(
        date_label_expr(date_col, lang, prec).alias(name) for name, (date_col, prec) in cols.items()
    )


def publisher_label(ctx: Ctx) -> pl.Expr:
    """``publisher``: who published the event's source, or "data contoh" for demo rows."""
    return (
        pl.when(pl.col("is_demo"))
        .then(pl.lit(ctx.t("source.demo")))
        .otherwise(pl.col("source_publisher"))
        .alias("publisher")
    )


def region_label(df: pl.DataFrame, lang: str) -> pl.DataFrame:
    """``region``: regency/city name, or "<province> (provincial level)"."""
    return df.with_columns(
        pl.coalesce(
            pl.col("regency_name"),
            pl.col("province_name") + " " + pl.lit(i18n.t("provincial_level", lang)),
        ).alias("region")
    )


UNSIGNED_EXPORT_COLUMNS = {
    "name": "col.name",
    "nip": "lead.col.nip",
    "position": "lead.col.position",
    "position_level": "col.position_level",
    "agency_name": "col.agency",
    "province_name": "col.province",
    "regency_name": "col.regency",
    "since_label": "lead.col.since",
    "days_outstanding": "lead.col.days",
}


def unsigned_export(
    store: Store, f: queries.Filters, lang: str, search: str | None, personal: bool
) -> pl.DataFrame:
    """The whole follow-up list with translated headers and values (for CSV / XLSX)."""
    df = queries.unsigned_officials(store, f, limit=None, search=search, personal=personal)
    return localise_unsigned(df, lang)


def localise_unsigned(df: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The follow-up list with translated headers and values."""
    df = with_labels(df, lang, since_label=("since", pl.col("since_precision"))).with_columns(
        pl.when(pl.col("since").is_null())
        .then(None)
        .otherwise(pl.col("since_label"))
        .alias("since_label"),
        pl.col("position_level").replace_strict(
            {p: i18n.t(f"position.{p}", lang) for p in df["position_level"].unique().to_list()},
            default=None,
            return_dtype=pl.String,
        ),
    )
    cols = {c: k for c, k in UNSIGNED_EXPORT_COLUMNS.items() if c in df.columns}
    return df.select(list(cols)).rename({c: i18n.t(k, lang) for c, k in cols.items()})


UNSIGNED_CELL_COLUMNS = {
    "agency_name": "col.agency",
    "position_level": "col.position_level",
    "province_name": "col.province",
    "regency_name": "col.regency",
    "unsigned": "lead.col.not_done",
}


def unsigned_cells(store: Store, f: queries.Filters, search: str | None) -> auth.Suppressed:
    """What a role without personal data sees of the follow-up list: counts by agency,
    position level and region, small cells suppressed (``auth.suppress_small_cells``)."""
    return auth.suppress_small_cells(queries.unsigned_cells(store, f, search), "unsigned")


def suppression_captions(ctx: Ctx, counts: auth.Suppressed) -> None:
    """Say under a table of counts that names are hidden and how much small cells hide."""
    st.caption(ctx.t("lead.personal_hidden"))
    st.caption(
        ctx.t(
            "unsigned.cells_caption",
            min=ctx.num(auth.MIN_CELL),
            cells=ctx.num(counts.hidden_cells),
            people=ctx.num(counts.hidden_people),
        )
    )


def unsigned_cells_export(
    store: Store, f: queries.Filters, lang: str, search: str | None
) -> pl.DataFrame:
    """The suppressed counts with translated headers and values (for CSV / XLSX)."""
    df = unsigned_cells(store, f, search).cells
    measure = "ikrar" if f.measure == "ikrar" else "pakta"
    df = df.with_columns(
        pl.col("position_level").replace_strict(
            {p: i18n.t(f"position.{p}", lang) for p in df["position_level"].unique().to_list()},
            default=None,
            return_dtype=pl.String,
        ),
    )
    names = {
        c: i18n.t(f"{k}.{measure}" if c == "unsigned" else k, lang)
        for c, k in UNSIGNED_CELL_COLUMNS.items()
    }
    return df.select(list(names)).rename(names)


def unsigned_downloads(ctx: Ctx, search: str | None) -> None:
    """CSV and XLSX of the follow-up list, built only when a button is clicked, audited
    whatever the role: the named list for those who may see people, else the suppressed
    counts. The click is checked again (``session.audited_download``): a button drawn
    before a sign-out or a role change produces nothing."""
    from dashboard.web import session

    store, f, lang, user = ctx.store, ctx.filters, ctx.lang, ctx.user
    if user is None:
        return
    personal = can_see_personal_data(ctx)
    base = "belum-ikrar" if f.measure == "ikrar" else "belum-tanda-tangan"
    if not personal:
        base += "-rekap"

    caller = service.web_caller(user)

    def frame() -> pl.DataFrame:
        if personal:  # names and NIPs through the access service's check (role, scope)
            df = service.unsigned_officials(
                store, caller, f, limit=None, search=search, personal=True
            )
            return localise_unsigned(df, lang)
        return unsigned_cells_export(store, f, lang, search)

    def _make(fmt: str) -> Callable[[], bytes]:
        def build() -> tuple[bytes, int]:
            df = frame()
            write = export.to_csv_bytes if fmt == "csv" else export.to_xlsx_bytes
            data = write(df, preamble=first)
            return data, df.height

        detail = {"format": fmt, "measure": f.measure, "filtered": bool(search)}
        return session.audited_download(
            store,
            user,
            build,
            target="unsigned_list" if personal else "unsigned_counts",
            detail=detail,
            requires=auth.DOWNLOAD_PERSONAL_DATA if personal else auth.VIEW_AGGREGATES,
        )

    first = view_preamble(ctx)
    csv, xlsx = _make("csv"), _make("xlsx")

    c1, c2, _ = st.columns([1, 1, 4])
    for where, fmt, data in ((c1, "csv", csv), (c2, "xlsx", xlsx)):
        file_button(
            where,
            ctx.t(DOWNLOAD_LABELS[fmt]),
            data,
            view_file_name(ctx, base, fmt),
            key=f"lead_unsigned_{fmt}",
            requires=auth.DOWNLOAD_PERSONAL_DATA if personal else auth.VIEW_AGGREGATES,
        )
