"""The region map as a Streamlit element (shared by Ringkasan and Peta).

The view follows the province filter: no province -> provinces of Indonesia; one or more
provinces -> their regencies/cities. Clicking a province polygon on the national view sets
the province filter (and so the URL), which is the drill-down.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import queries
from dashboard.geo import boundaries, maps
from dashboard.web import viewport
from dashboard.web.cache import cached_object, cached_query
from dashboard.web.context import Ctx, request_filters


def map_level(ctx: Ctx) -> str:
    return "kabupaten" if ctx.filters.provinces else "provinsi"


def map_data(ctx: Ctx, basis: str = "targeted") -> tuple[list[dict], tuple | None, pl.DataFrame]:
    """(polygon records, bounds, figures table) of the current filters; cached per version.
    ``basis``: the rate over everyone targeted, or among the agencies that reported."""
    level = map_level(ctx)
    return cached_query(
        maps.region_map_data, ctx, ctx.filters, level, ctx.lang, ctx.filters.provinces, basis
    )


def _on_click(key: str) -> None:
    state = st.session_state.get(key)
    code = maps.selected_code(state["selection"] if state else None)
    if code and len(code) >= 2:  # a province, or an event dot inside one
        request_filters(rerun=False, provinces=(code[:2],), regencies=(), agencies=())


def legend(ctx: Ctx, basis: str | None = None) -> None:
    """Colour key under the map (static markup: labels from i18n, colours from maps);
    with ``basis``, a line saying which rate the colours show."""
    items = "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:14px">'
        f'<span style="width:14px;height:14px;background:{color};border:1px solid #999;'
        f'display:inline-block;margin-right:5px"></span>{label}</span>'
        for label, color in maps.legend(ctx.lang)
    )
    rate_key = "col.pledge_rate" if ctx.filters.measure == "ikrar" else "col.rate"
    st.markdown(
        f'<div style="font-size:0.85rem;line-height:1.9"><b>{ctx.t(rate_key)}:</b> {items}</div>',
        unsafe_allow_html=True,
    )
    if basis is not None:
        st.caption(ctx.t(f"map.basis.{basis}.legend"))


def approx_notice(ctx: Ctx) -> None:
    level = map_level(ctx)
    if boundaries.is_approximate(level, ctx.store.path):
        st.caption(":material/info: " + ctx.t("approx_boundaries"))


# the width the map is drawn at where no browser will report one (AppTest), and the width
# the room kept for the map is sized for until the browser reports the real one
FALLBACK_WIDTH = 340


def _deck(
    ctx: Ctx,
    polygons: list[dict],
    bounds: tuple | None,
    width: int,
    height: int,
    show_events: bool,
    basemap: bool,
) -> maps.CompactDeck:
    """The map of the current view at ``width`` x ``height`` (built once per key: pydeck
    looks for Jupyter on every ``Deck``, and the JSON of a national map is ~0.4 MB)."""
    points = None
    if show_events:
        pts = cached_query(queries.event_points, ctx, ctx.filters)
        if ctx.filters.provinces:
            pts = pts.filter(pl.col("code").str.slice(0, 2).is_in(ctx.filters.provinces))
        points = maps.event_point_records(pts, ctx.lang)
    level = map_level(ctx)
    pickable, small = maps.split_small(polygons, maps.PICK_MIN_AREA[level])
    return maps.deck(
        pickable,
        maps.view_for(bounds, width, height),
        borders=maps.inner_borders(
            level, ctx.store.path, ctx.filters.provinces if level == "kabupaten" else None
        ),
        points=points,
        small=small,
        basemap=basemap,
        height=height,
    )


def show_map(
    ctx: Ctx,
    *,
    key: str,
    max_height: int = 560,
    show_events: bool = False,
    basemap: bool = False,
    clickable: bool = True,
    basis: str = "targeted",
) -> pl.DataFrame:
    """Draw the choropleth fitted to the width it gets; returns the figures table.

    Before the browser has reported the width (a session's first run) the map is not drawn:
    a view fitted to a guessed width could outlive the measurement. The room is kept empty
    (``<key>_awaiting_width``); the report reruns the page, which draws the map fitted to it.
    """
    polygons, bounds, table = map_data(ctx, basis)
    size = viewport.measure(f"{key}_size")
    if size is None and viewport.reports_to_come():
        pending = maps.fitted_height(bounds, FALLBACK_WIDTH, highest=max_height)
        st.container(height=pending, border=False, key=f"{key}_awaiting_width")
        return table
    width = size.width if size else FALLBACK_WIDTH
    height = maps.fitted_height(bounds, width, highest=max_height)
    deck = cached_object(
        ctx,
        "map_deck",
        lambda: _deck(ctx, polygons, bounds, width, height, show_events, basemap),
        width,
        height,
        show_events,
        basemap,
        basis,
    )
    level = map_level(ctx)
    # the size is part of the key: a chart whose canvas was measured again mounts afresh,
    # fitted to it (the same key would keep the view fitted to the earlier, narrower width)
    chart_key = f"{key}_{level}_{'-'.join(ctx.filters.provinces) or 'id'}_{width}x{height}"
    if clickable and level == "provinsi":
        st.pydeck_chart(
            deck,
            height=height,
            on_select=lambda: _on_click(chart_key),
            selection_mode="single-object",
            key=chart_key,
        )
    else:
        st.pydeck_chart(deck, height=height, key=chart_key)
    return table
