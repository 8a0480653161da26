"""Shared page widgets: header with freshness and sources, metrics, tables, downloads.

Contract:

- ``page_header(ctx, "nav.map")``: title, data freshness (last upload / last event), where the
  figures come from (roster / laporan / demo), and the demo notice (``demo_notice``) whenever
  demo rows are in view. Call it first on every page.
- ``metric_row(ctx, [Metric(...), ...])``: a row of ``st.metric``.
- ``localised_table(ctx, df, {"col": "col.name", ...}, vocab={"source": "source"})``: shows
  ``df`` with translated headers, vocabulary values translated (``level``, ``position``,
  ``source``...), numbers/percent/dates in the current language, sorting on the real values.
  Returns the display frame (translated headers, raw values) for ``download_buttons``.
- ``download_buttons(ctx, df, "basename")``: CSV and XLSX (Excel-safe, ``dashboard.export``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

import polars as pl
import streamlit as st

from dashboard import queries
from dashboard.domain import localtime
from dashboard.render import export
from dashboard.text import plain, strip_control, strip_control_expr
from dashboard.web import session, viewport
from dashboard.web import view_scope as scope
from dashboard.web.cache import cached_query
from dashboard.web.context import Ctx
from schemas.vocab import SOURCE_DEMO

STYLER_MAX_ROWS = 5_000  # above this, numbers are pre-formatted text (Styler gets slow)
PIN_FROM_COLUMNS = 4  # tables with more columns than this keep the first one pinned
PHONE_WIDTHS = (150, 88)  # px: the name, then each figure, in a phone's key-column table


def sources_text(ctx: Ctx, sources: Sequence[str]) -> str:
    """``roster + laporan`` in the current language; "no data" when empty."""
    parts: list[str] = []
    for s in sources:
        for p in str(s).split("+"):
            label = ctx.t(f"source.{p}")
            if p and label not in parts:
                parts.append(label)
    return ", ".join(parts) if parts else ctx.t("source.none")


TITLE_KEY = "_netralitas_page_title"  # the page title of this run, for downloads
APP_NAME = "Netralitas ASN"


def scope_heading(ctx: Ctx, title_key: str) -> None:
    """The page title with the scope in view, in the heading and the browser tab, and the
    active filters as removable chips under it (the sidebar is folded away on a phone)."""
    title = ctx.t(title_key)
    st.session_state[TITLE_KEY] = title
    names = ctx.names or scope.Names()
    text = scope.heading(title, ctx.filters, names, ctx.lang)
    st.set_page_config(page_title=f"{text} — {APP_NAME}")
    st.title(plain(text))
    chips = scope.chips(ctx.filters, names, ctx.lang)
    if chips:
        row = st.container(horizontal=True, gap="small", key="scope_chips")
        for i, chip in enumerate(chips):
            row.button(
                chip.label,
                key=f"scope_chip_{i}_{chip.field}_{chip.value}",
                icon=":material/close:",
                icon_position="right",
                help=ctx.t("scope.remove", item=chip.label),
                on_click=_remove_chip,
                args=(ctx.filters, chip),
            )
    if ctx.filters.jenis_asn:  # never mixed silently: count reports carry no PNS/PPPK split
        st.caption(ctx.t("scope.jenis_note"), help=ctx.t("scope.jenis_note_help"))


def _remove_chip(f: queries.Filters, chip: scope.Chip) -> None:
    from dashboard.web.context import request_filters

    request_filters(rerun=False, **scope.without(f, chip))


def view_preamble(ctx: Ctx) -> list[str]:
    """A download's first rows: the page, the scope and the active filters."""
    title = st.session_state.get(TITLE_KEY) or APP_NAME
    return scope.preamble(title, ctx.filters, ctx.names or scope.Names(), ctx.lang)


def view_file_name(ctx: Ctx, basename: str, ext: str) -> str:
    """A dated download name that says where the figures are from."""
    stem = scope.file_stem(basename, ctx.filters, ctx.names or scope.Names(), ctx.lang)
    return export.stamped_name(stem, ext)


def page_header(ctx: Ctx, title_key: str) -> queries.Headline:
    """Title with the scope, filter chips, freshness line, sources and the demo notice;
    returns the headline figures."""
    scope_heading(ctx, title_key)
    viewport.page_size()  # how wide the screen is (tables fall back to key columns on phones)
    hl = cached_query(queries.headline, ctx, ctx.filters)
    fr = cached_query(queries.freshness, ctx, ctx.filters)
    upload = local_time_text(ctx, fr.last_upload, localtime.office_zone())
    event = ctx.date(fr.last_event, fr.last_event_precision or "day") if fr.last_event else "–"
    st.caption(
        ctx.t(
            "shell.freshness",
            upload=upload,
            event=event,
            sources=sources_text(ctx, hl.sources),
            as_of=ctx.date(ctx.filters.as_of()),
        )
    )
    demo_in_view = SOURCE_DEMO in hl.sources or fr.demo_events > 0
    if demo_in_view:
        st.info(ctx.t("demo_notice"), icon=":material/science:")
    return hl


# what st.metric and st.dataframe accept
DeltaColor = Literal["normal", "inverse", "off"]
TableHeight = int | Literal["auto", "stretch", "content"]


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    delta: str | None = None
    # "normal": up is good; "inverse": up is bad (unsigned); "off": neutral
    delta_color: DeltaColor = "normal"
    help: str | None = None
    delta_description: str | None = None


def metric_row(ctx: Ctx, metrics: Sequence[Metric], per_row: int = 3) -> None:
    """Bordered metrics, at most ``per_row`` a row so long Indonesian labels stay readable.

    A metric without a change shows none (``dashboard.render.comparison``). On a phone, two a
    row (Streamlit's columns would stack them one a row).
    """
    phone = viewport.is_phone(viewport.last_page_size())
    if phone:
        per_row = min(per_row, 2)
    for start in range(0, len(metrics), per_row):
        _metric_cells(metrics[start : start + per_row], per_row, phone)


def _metric_cells(metrics: Sequence[Metric], per_row: int, phone: bool = False) -> None:
    if phone:  # a horizontal container does not stack on narrow screens
        row = st.container(horizontal=True, gap="small")
        cols: Sequence[Any] = [row.container(width="stretch") for _ in range(per_row)]
    else:
        cols = st.columns(per_row)
    for col, m in zip(cols, metrics, strict=False):
        col.metric(
            m.label,
            m.value,
            delta=m.delta or None,
            delta_color=m.delta_color,
            delta_description=m.delta_description if m.delta else None,
            help=m.help,
            border=True,
        )


def _translate_vocab(df: pl.DataFrame, ctx: Ctx, vocab: Mapping[str, str]) -> pl.DataFrame:
    exprs = []
    for col, prefix in vocab.items():
        if col not in df.columns:
            continue
        values = df[col].drop_nulls().unique().to_list()
        mapping = {}
        for v in values:
            mapping[v] = " + ".join(ctx.t(f"{prefix}.{p}") for p in str(v).split("+"))
        exprs.append(pl.col(col).replace_strict(mapping, default=None, return_dtype=pl.String))
    return df.with_columns(exprs) if exprs else df


def local_time_text(ctx: Ctx, value: object, zone: str) -> str:
    """A stored (UTC) time as the office reads it: its date, hours and minutes, and zone."""
    if not isinstance(value, dt.datetime):
        return "–"
    local = localtime.to_local(value, zone)
    return f"{ctx.date(local.date())} {local:%H:%M} {zone}"


def detail_text(expr: pl.Expr) -> pl.Expr:
    """An audit detail (a JSON object) as a reader scans it: ``format: csv · rows: 12``."""
    return (
        expr.str.replace_all(r'^\{|\}$|"', "")
        .str.replace_all(r",\s*", " · ")
        .str.replace_all(r"\s*:\s*", ": ")
    )


def _formatter(ctx: Ctx, dtype: pl.DataType, col: str, kinds: Mapping[str, str]):  # noqa: ANN202
    kind = kinds.get(col)
    if kind is None:
        if dtype.is_integer():
            kind = "int"
        elif dtype.is_float() or dtype.is_decimal():
            kind = "pct" if "rate" in col else "float"
        elif dtype == pl.Date:
            kind = "date"
        elif isinstance(dtype, pl.Datetime):
            kind = "datetime"
    if kind == "int":
        return lambda v: ctx.num(v)
    if kind == "float":
        return lambda v: ctx.num(v, 1)
    if kind == "pct":
        return lambda v: ctx.pct(v)
    if kind == "date":
        return lambda v: ctx.date(v)
    if kind == "datetime":  # the store keeps UTC; people read their office's time
        zone = localtime.office_zone()
        return lambda v: local_time_text(ctx, v, zone)
    return None


def figure_columns(
    name_key: str,
    pakta: bool,
    *,
    between: Mapping[str, str] | None = None,
    signed: bool = True,
) -> dict[str, str]:
    """Column -> catalog key of a table of compliance figures for the measure in view:
    the name, rate and unsigned first (what a reader looks for), then ``between``, the
    target, the signed (or pledged) count and the source."""
    return {
        "name": name_key,
        "rate": "col.rate" if pakta else "col.pledge_rate",
        "unsigned": "col.unsigned" if pakta else "col.unpledged",
        **(between or {}),
        "target": "col.target",
        **({"signed": "col.signed" if pakta else "col.pledged"} if signed else {}),
        "source": "col.source",
    }


def display_frame(
    ctx: Ctx,
    df: pl.DataFrame,
    columns: Mapping[str, str],
    *,
    vocab: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """``df[columns]`` as a reader sees it (headers and coded values in the page's language),
    for a table on screen or a download of the same view."""
    frame = _translate_vocab(df.select(list(columns)), ctx, vocab or {})
    labels = {c: ctx.t(k) for c, k in columns.items()}
    # empty text shows as a dash, like empty numbers (not "None"); no control characters
    return frame.with_columns(strip_control_expr(pl.col(pl.String)).fill_null("–")).rename(labels)


def localised_table(
    ctx: Ctx,
    df: pl.DataFrame,
    columns: Mapping[str, str],
    *,
    vocab: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
    height: TableHeight = "auto",
    key: str | None = None,
    key_columns: int | None = None,
) -> pl.DataFrame:
    """Show ``df[columns]`` with translated headers and values; returns the display frame.

    ``columns`` maps column -> i18n key (order kept: the columns that answer the page's
    question come first); ``vocab`` maps column -> i18n prefix for coded values; ``kinds``
    overrides number formatting (int / float / pct / date / text). The first column stays
    pinned when the table scrolls sideways. On a phone, a table with ``key_columns`` shows
    only its first ``key_columns`` columns, the full table one tap away in an expander.
    """
    kinds = kinds or {}
    shown = display_frame(ctx, df, columns, vocab=vocab)
    labels = {c: ctx.t(k) for c, k in columns.items()}
    formatters = {
        labels[c]: f for c in columns if (f := _formatter(ctx, df.schema[c], c, kinds)) is not None
    }
    if shown.height == 0:  # Streamlit would draw an empty grid labelled "empty" (English)
        st.caption(ctx.t("shell.no_rows"))
        return shown
    compact = (
        key_columns is not None
        and key_columns < len(columns)
        and viewport.is_phone(viewport.last_page_size())
    )
    if compact:
        # fixed widths so the key columns share a phone's width (a long agency name would
        # otherwise take all of it and push the rate out of view)
        narrow = {c: PHONE_WIDTHS[min(i, 1)] for i, c in enumerate(shown.columns[:key_columns])}
        _grid(shown.select(shown.columns[:key_columns]), formatters, height, key, narrow)
        with st.expander(ctx.t("shell.full_table", n=len(columns))):
            _grid(shown, formatters, height, f"{key}_full" if key else None)
    else:
        _grid(shown, formatters, height, key)
    return shown


def _grid(
    shown: pl.DataFrame,
    formatters: Mapping[str, Callable],
    height: int | str,
    key: str | None,
    widths: Mapping[str, int] | None = None,
) -> None:
    """One ``st.dataframe``: formatted through a Styler (or as text when long). A wide table
    keeps its first column pinned, so the name stays beside the figures when it scrolls
    sideways; ``widths`` fixes column widths in pixels."""
    formatters = {c: f for c, f in formatters.items() if c in shown.columns}
    config = {c: st.column_config.Column(width=w) for c, w in (widths or {}).items()}
    if len(shown.columns) > PIN_FROM_COLUMNS:
        config[shown.columns[0]] = st.column_config.Column(pinned=True)
    if shown.height <= STYLER_MAX_ROWS:
        data: Any = shown.to_pandas().style.format(formatters, na_rep="–")
    else:
        data = shown.with_columns(
            pl.col(c).map_elements(f, return_dtype=pl.String) for c, f in formatters.items()
        )
    st.dataframe(
        data,
        hide_index=True,
        width="stretch",
        height=cast(Any, height),
        key=key,
        placeholder="–",
        column_config=config,
    )


def download_buttons(
    ctx: Ctx,
    df: pl.DataFrame | Callable[[], pl.DataFrame],
    basename: str,
    *,
    key: str | None = None,
    label: str | None = None,
    widths: tuple[int, ...] = (1, 1, 4),
) -> None:
    """CSV and XLSX downloads of ``df`` (Excel-safe), generated only when clicked; a
    callable ``df`` is also read only then (a whole list behind a paginated table).

    ``label`` names what is downloaded ("Unduh laporan"): the buttons then read
    "<label> (CSV)" and "<label> (Excel)" instead of the generic "Unduh CSV" / "Unduh Excel".
    """
    key = key or basename
    first = view_preamble(ctx)
    c1, c2, *_ = st.columns(list(widths))
    for where, fmt, name, build in (
        (c1, "csv", "CSV", export.to_csv_bytes),
        (c2, "xlsx", "Excel", export.to_xlsx_bytes),
    ):
        file_button(
            where,
            f"{label} ({name})" if label else ctx.t(DOWNLOAD_LABELS[fmt]),
            lambda build=build: build(df() if callable(df) else df, preamble=first),
            view_file_name(ctx, basename, fmt),
            key=f"dl_{fmt}_{key}",
        )


DOWNLOAD_LABELS = {"csv": "shell.download_csv", "xlsx": "shell.download_xlsx"}
MIME_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "png": "image/png",
    "html": "text/html",
}


def file_button(
    where: Any,
    label: str,
    data: Any,
    file_name: str,
    *,
    key: str,
    mime: str | None = None,
    icon: str = ":material/download:",
    primary: bool = False,
    requires: str | None = None,
) -> None:
    """A download button in ``where`` (a column, container or ``st``). A callable ``data`` is
    built only on the click, and the click does not rerun the page.

    The file is held for this browser under this run's user's rights (``requires`` is the
    permission it needs): the edge serves it to no one else (``session.edge_keeper``)."""
    keep = session.edge_keeper(requires)
    if callable(data):
        build = data

        def kept() -> Any:
            return keep(build())

        payload: Any = kept
    else:
        payload = keep(data)
    where.download_button(
        label,
        data=payload,
        file_name=file_name,
        mime=mime or MIME_TYPES.get(file_name.rsplit(".", 1)[-1].lower()),
        key=key,
        icon=icon,
        type="primary" if primary else "secondary",
        on_click="ignore",
    )


def linked_select(
    label: str,
    names: Mapping[str, str],
    *,
    key: str,
    param: str,
    placeholder: str,
    help: str | None = None,
) -> str | None:
    """A select box over ``names`` (value -> label) whose choice is also kept in the URL as
    ``?param=``, so the view can be shared as a link.

    Nothing is chosen unless the reader or the link chose it: a box the browser draws
    anew (after the elements above it changed) falls back to its default, and a default
    of the first option would silently act on another agency (a letter to the wrong
    office). The choice is sent with every run for the same reason."""
    if st.session_state.get(key) is not None:
        st.session_state[key] = st.session_state[key]
    chosen = st.selectbox(
        label,
        list(names),
        index=None,
        format_func=lambda v: strip_control(names.get(v, v)),
        key=key,
        placeholder=placeholder,
        help=help,
    )
    if chosen:
        if st.query_params.get(param) != chosen:
            st.query_params[param] = chosen
    elif param in st.query_params:
        del st.query_params[param]
    return chosen


def typed_search(ctx: Ctx, typed: str) -> str:
    """The search as it is run (:func:`queries.typed_text`); when only characters no search
    can mean were typed, a message says so and every row is shown."""
    usable = queries.typed_text(typed) or ""
    if typed.strip() and not usable:
        st.info(ctx.t("shell.search_unusable"), icon=":material/search_off:")
    return usable


def no_data(ctx: Ctx, key: str = "shell.no_data") -> None:
    """The standard "nothing matches these filters" message."""
    st.info(ctx.t(key), icon=":material/search_off:")
