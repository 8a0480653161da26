"""Plotly figure builders for the leadership pages: Polars frames in, figures out.

Pure functions (no Streamlit, no store) so they are tested directly. Every figure
carries a title, axis titles and units from :mod:`dashboard.i18n`; numbers use the
language's separators (``layout.separators``) and dates are labelled with the same
month names as :func:`dashboard.i18n.fmt_date`, so the English switch changes them all.

Dates known only to the month or year are drawn as a segment over that period,
never as a point on an invented day.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import plotly.graph_objects as go
import polars as pl
from babel.dates import get_month_names
from plotly.subplots import make_subplots

from dashboard.i18n import locale, t
from dashboard.text import html_escape, html_escape_expr

# (date, i18n key) of the milestones marked on every timeline
MILESTONES: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2022, 9, 22), "chart.milestone.skb"),
    (dt.date(2023, 11, 28), "chart.milestone.campaign"),
    (dt.date(2024, 2, 14), "chart.milestone.voting"),
    (dt.date(2024, 11, 27), "chart.milestone.pilkada"),
)
CAMPAIGN = (dt.date(2023, 11, 28), dt.date(2024, 2, 10))
DAY_MS = 86_400_000
# colour-blind-safe qualitative colours (Okabe-Ito)
OKABE_ITO = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
EVENT_KIND_COLOURS = {"pakta": "#0072B2", "ikrar": "#E69F00", "pakta_ikrar": "#009E73"}


def separators(lang: str) -> str:
    """Plotly's decimal + thousands characters for the language (id: ``1.234,5``)."""
    return ".," if lang == "en" else ",."


def month_names(lang: str) -> dict[int, str]:
    names = get_month_names("abbreviated", locale=locale(lang))
    return {m: str(names[m]) for m in range(1, 13)}


def date_label_expr(col: str | pl.Expr, lang: str, precision: str | pl.Expr = "day") -> pl.Expr:
    """Vectorised :func:`~dashboard.i18n.fmt_date`: "25 Sep 2023" / "Sep 2023" / "2023".

    ``precision`` is a precision name or an expression (a column of them).
    """
    d = pl.col(col) if isinstance(col, str) else col
    month = d.dt.month().replace_strict(month_names(lang), return_dtype=pl.String)
    year = d.dt.year().cast(pl.String)
    day_label = pl.concat_str([d.dt.day().cast(pl.String), month, year], separator=" ")
    month_label = pl.concat_str([month, year], separator=" ")
    prec = pl.lit(precision) if isinstance(precision, str) else precision
    return (
        pl.when(d.is_null())
        .then(pl.lit("–"))
        .when(prec == "year")
        .then(year)
        .when(prec == "month")
        .then(month_label)
        .otherwise(day_label)
    )


def period_end_expr(date: str, precision: str) -> pl.Expr:
    """Last day of the period a date stands for (itself at day precision)."""
    d = pl.col(date)
    return (
        pl.when(pl.col(precision) == "year")
        .then(pl.date(d.dt.year(), 12, 31))
        .when(pl.col(precision) == "month")
        .then(d.dt.month_end())
        .otherwise(d)
    )


def _layout(fig: go.Figure, lang: str, title: str, *, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        separators=separators(lang),
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        # top right: the milestone labels start at the left edge
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.06, "x": 1, "xanchor": "right"},
        hoverlabel={"namelength": -1},
    )
    return fig


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    first = dt.date(start.year, start.month, 1)
    return pl.date_range(first, end, "1mo", eager=True).to_list()


def _date_ticks(fig: go.Figure, start: dt.date, end: dt.date, lang: str) -> None:
    """Month ticks labelled in the current language (Plotly's own labels are English)."""
    months = _month_starts(start, end)
    step = 1 if len(months) <= 14 else 3 if len(months) <= 40 else 6 if len(months) <= 80 else 12
    ticks = [m for m in months if (m.month - 1) % step == 0]
    names = month_names(lang)
    fig.update_xaxes(
        type="date",
        tickvals=[m.isoformat() for m in ticks],
        ticktext=[f"{names[m.month]} {m.year}" for m in ticks],
        range=[start.isoformat(), (end + dt.timedelta(days=1)).isoformat()],
    )


def _milestones(fig: go.Figure, lang: str, start: dt.date, end: dt.date) -> None:
    """Dotted vertical lines with labels; the campaign period shaded."""
    c0, c1 = max(CAMPAIGN[0], start), min(CAMPAIGN[1], end)
    if c0 <= c1:
        fig.add_shape(
            type="rect",
            xref="x",
            yref="paper",
            x0=c0.isoformat(),
            x1=c1.isoformat(),
            y0=0,
            y1=1,
            fillcolor="#999999",
            opacity=0.12,
            line_width=0,
            layer="below",
        )
    shown = [(d, k) for d, k in MILESTONES if start <= d <= end]
    span = max((end - start).days, 1)
    for i, (day, key) in enumerate(shown):
        # labels run rightwards from their line, except near the right edge
        anchor = "right" if (day - start).days / span > 0.8 else "left"
        fig.add_shape(
            type="line",
            xref="x",
            yref="paper",
            x0=day.isoformat(),
            x1=day.isoformat(),
            y0=0,
            y1=1,
            line={"color": "#555555", "width": 1, "dash": "dot"},
        )
        fig.add_annotation(
            x=day.isoformat(),
            xref="x",
            y=1.0 if i % 2 == 0 else 0.93,
            yref="paper",
            yanchor="bottom",
            xanchor=anchor,
            text=t(key, lang),
            showarrow=False,
            font={"size": 11, "color": "#333333"},
            bgcolor="rgba(255,255,255,0.85)",
        )


def time_range(
    dates: list[dt.date | None], start: dt.date | None, end: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The x range: the filter's dates when set, else the data and milestones together."""
    known = [d for d in dates if d is not None] + [d for d, _ in MILESTONES]
    lo = start or min(known)
    hi = end or max(known)
    if hi <= lo:
        hi = lo + dt.timedelta(days=30)
    return lo, hi


def events_timeline(
    events: pl.DataFrame,
    lang: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> go.Figure:
    """Events over time: weekly bars for events known to the day; below them, events
    known only to the month or year as a segment spanning that month or year.

    ``events`` needs ``event_date``, ``date_precision``, ``kind`` and ``agency_name``.
    """
    ev = events.with_columns(period_end_expr("event_date", "date_precision").alias("_end"))
    day = ev.filter(pl.col("date_precision") == "day")
    vague = ev.filter(pl.col("date_precision") != "day")
    lo, hi = time_range(ev["event_date"].to_list() + ev["_end"].to_list(), start, end)
    rows = int(day.height > 0) + int(vague.height > 0) or 1
    fig = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        row_heights=[0.72, 0.28] if rows == 2 else [1.0],
    )
    row = 1
    if day.height:
        weekly = (
            day.with_columns(pl.col("event_date").dt.truncate("1w").alias("week"))
            .group_by("week", "kind")
            .agg(pl.len().alias("n"))
            .sort("week", "kind")
            .with_columns(
                (pl.col("week") + pl.duration(days=3, hours=12)).alias("mid"),
                date_label_expr("week", lang).alias("week_label"),
            )
        )
        for kind in sorted(weekly["kind"].unique()):
            part = weekly.filter(pl.col("kind") == kind)
            fig.add_trace(
                go.Bar(
                    x=part["mid"].to_list(),
                    y=part["n"].to_list(),
                    width=6 * DAY_MS,
                    name=t(f"event.{kind}", lang),
                    marker_color=EVENT_KIND_COLOURS.get(kind, OKABE_ITO[0]),
                    customdata=part.select("week_label").to_numpy(),
                    hovertemplate=t("chart.events.hover_week", lang) + "<extra>%{fullData.name}"
                    "</extra>",
                    legendgroup=kind,
                ),
                row=row,
                col=1,
            )
        fig.update_layout(barmode="stack")
        # counts are whole numbers: no 0.2-event ticks when weeks are quiet
        peak = weekly.group_by("week").agg(pl.col("n").sum())["n"].cast(pl.Int64).max()
        peak = peak if isinstance(peak, int) else 0
        fig.update_yaxes(
            title_text=t("chart.events.y_week", lang),
            rangemode="tozero",
            dtick=1 if peak <= 8 else None,
            tickformat=",d",
            row=row,
            col=1,
        )
        row += 1
    if vague.height:
        periods = (
            vague.group_by("event_date", "_end", "date_precision")
            .agg(
                pl.len().alias("n"),
                html_escape_expr(pl.col("agency_name"))
                .sort()
                .head(5)
                .str.join("<br>")
                .alias("names"),
            )
            .sort("date_precision", "event_date")
            .with_columns(
                date_label_expr("event_date", lang, pl.col("date_precision")).alias("label"),
                pl.col("date_precision")
                .replace_strict(
                    {
                        "month": t("chart.events.lane_month", lang),
                        "year": t("chart.events.lane_year", lang),
                    },
                    return_dtype=pl.String,
                )
                .alias("lane"),
            )
        )
        for prec in ("year", "month"):
            part = periods.filter(pl.col("date_precision") == prec)
            if not part.height:
                continue
            # one segment per period: start, day after the end, gap
            seg = part.select(
                pl.concat_list(
                    pl.col("event_date"),
                    pl.col("_end") + pl.duration(days=1),
                    pl.lit(None, dtype=pl.Date),
                )
                .explode()
                .alias("x"),
                pl.concat_list(pl.col("lane"), pl.col("lane"), pl.lit(None, dtype=pl.String))
                .explode()
                .alias("y"),
            )
            fig.add_trace(
                go.Scatter(
                    x=seg["x"].to_list(),
                    y=seg["y"].to_list(),
                    mode="lines",
                    line={"width": 14, "color": "#56B4E9" if prec == "month" else "#CC79A7"},
                    hoverinfo="skip",
                    showlegend=False,
                ),
                row=row,
                col=1,
            )
            mids = part.select(
                (pl.col("event_date") + (pl.col("_end") - pl.col("event_date")) / 2).alias("m")
            )["m"]
            fig.add_trace(
                go.Scatter(
                    x=mids.to_list(),
                    y=part["lane"].to_list(),
                    mode="text",
                    text=part["n"].cast(pl.String).to_list(),
                    textfont={"size": 12, "color": "#000000"},
                    customdata=part.select("label", "names").to_numpy(),
                    hovertemplate=t("chart.events.hover_period", lang) + "<extra></extra>",
                    showlegend=False,
                ),
                row=row,
                col=1,
            )
        fig.update_yaxes(
            title_text=t("chart.events.y_period", lang),
            type="category",
            row=row,
            col=1,
        )
    _layout(fig, lang, t("chart.events.title", lang), height=470 if rows == 2 else 400)
    _date_ticks(fig, lo, hi, lang)
    fig.update_xaxes(title_text=t("chart.x_date", lang), row=rows, col=1)
    _milestones(fig, lang, lo, hi)
    return fig


def cumulative_rate(
    curve: pl.DataFrame,
    lang: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> go.Figure:
    """Cumulative signature rate as steps, one line per group (``grp`` / ``grp_name``)."""
    lo, hi = time_range(curve["day"].to_list(), start, end)
    fig = go.Figure()
    groups = curve.select("grp", "grp_name").unique(maintain_order=True)
    for i, (grp, name) in enumerate(groups.iter_rows()):
        part = curve.filter(pl.col("grp") == grp).with_columns(
            date_label_expr("day", lang).alias("label")
        )
        fig.add_trace(
            go.Scatter(
                x=part["day"].to_list(),
                y=part["rate"].to_list(),
                mode="lines",
                line_shape="hv",
                line={"width": 2.5, "color": OKABE_ITO[i % len(OKABE_ITO)]},
                name=html_escape(name) if name else t("chart.cumulative.all", lang),
                customdata=part.select("label", "signed", "target").to_numpy(),
                hovertemplate=t("chart.cumulative.hover", lang) + "<extra>%{fullData.name}</extra>",
            )
        )
    _layout(fig, lang, t("chart.cumulative.title", lang))
    fig.update_yaxes(title_text=t("chart.cumulative.y", lang), tickformat=".0%", range=[0, 1.02])
    fig.update_xaxes(title_text=t("chart.x_date", lang))
    fig.update_layout(showlegend=groups.height > 1)
    _date_ticks(fig, lo, hi, lang)
    _milestones(fig, lang, lo, hi)
    return fig


def _measure_key(measure: str) -> str:
    return "ikrar" if measure == "ikrar" else "pakta"


def unsigned_bars(
    df: pl.DataFrame, lang: str, measure: str, *, label: str, title: str, top: int = 20
) -> go.Figure:
    """Horizontal bars of officials not yet done per group (largest first, ``top`` shown).

    ``df`` needs ``unsigned``, ``target`` and ``rate`` and the ``label`` column (display text).
    """
    part = df.sort("unsigned", descending=True).head(top).reverse()
    m = _measure_key(measure)
    fig = go.Figure(
        go.Bar(
            x=part["unsigned"].to_list(),
            y=[html_escape(v) for v in part[label].to_list()],
            orientation="h",
            marker_color="#D55E00",
            customdata=part.select("target", "rate").to_numpy(),
            hovertemplate=t(f"chart.unsigned.hover.{m}", lang) + "<extra></extra>",
            text=part["unsigned"].to_list(),
            texttemplate="%{text:,.0f}",
            textposition="outside",
            cliponaxis=False,
        )
    )
    _layout(fig, lang, title, height=max(260, 90 + 24 * part.height))
    fig.update_xaxes(title_text=t(f"chart.unsigned.x.{m}", lang), tickformat=",.0f")
    fig.update_yaxes(title_text=None, automargin=True)
    fig.update_layout(margin={"l": 10, "r": 40, "t": 60, "b": 10})
    return fig


def unsigned_treemap(
    regencies: pl.DataFrame, provinces: pl.DataFrame, lang: str, measure: str
) -> go.Figure:
    """Province -> regency/city boxes sized by officials not yet done, coloured by rate.

    ``regencies``: ``key``, ``label``, ``province_code``, ``unsigned``, ``target``, ``rate``
    (provincial-level agencies keyed by the province code); ``provinces``: ``key``,
    ``label``, ``unsigned``, ``target``, ``rate``.
    """
    m = _measure_key(measure)
    prov = provinces.filter(pl.col("unsigned") > 0)
    reg = regencies.filter(pl.col("unsigned") > 0)
    nodes = pl.concat(
        [
            prov.select(
                ("p" + pl.col("key")).alias("id"),
                pl.col("label"),
                pl.lit("").alias("parent"),
                "unsigned",
                "target",
                "rate",
            ),
            reg.select(
                ("r" + pl.col("key")).alias("id"),
                pl.col("label"),
                ("p" + pl.col("province_code")).alias("parent"),
                "unsigned",
                "target",
                "rate",
            ),
        ]
    )
    fig = go.Figure(
        go.Treemap(
            ids=nodes["id"].to_list(),
            labels=[html_escape(v) for v in nodes["label"].to_list()],
            parents=nodes["parent"].to_list(),
            values=nodes["unsigned"].to_list(),
            branchvalues="total",
            customdata=nodes.select("target", "rate").to_numpy(),
            marker={
                "colors": nodes["rate"].to_list(),
                "colorscale": "Cividis",
                "cmin": 0,
                "cmax": 1,
                "colorbar": {
                    "title": {"text": t(f"chart.rate_axis.{m}", lang)},
                    "tickformat": ".0%",
                },
            },
            texttemplate="%{label}<br>%{value:,.0f}",
            hovertemplate=t(f"chart.treemap.hover.{m}", lang) + "<extra></extra>",
            maxdepth=2,
        )
    )
    _layout(fig, lang, t(f"chart.treemap.title.{m}", lang), height=520)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return fig


def heat_rows(heat: pl.DataFrame, positions: list[str]) -> pl.DataFrame:
    """The heatmap's counts as a table, one row per province (A to Z), one column per
    position level present (``positions``' order): where a chart cannot be read (a phone).
    A level without a roster in a province stays empty, not 0, as in the heatmap."""
    present = [p for p in positions if p in set(heat["position_level"].to_list())]
    return (
        heat.pivot(
            on="position_level",
            index="province_name",
            values="unsigned",
            aggregate_function="first",
        )
        .select("province_name", *present)
        .sort("province_name")
    )


def heat_table(heat: pl.DataFrame, lang: str, measure: str, positions: list[str]) -> go.Figure:
    """Province x position level: colour = share not yet done, text = how many.

    ``heat``: ``province_name``, ``position_level``, ``unsigned``, ``target`` (long form);
    ``positions`` gives the column order (codes).
    """
    m = _measure_key(measure)
    present = [p for p in positions if p in set(heat["position_level"].to_list())]
    long = heat.with_columns(
        pl.when(pl.col("target") > 0).then(pl.col("unsigned") / pl.col("target")).alias("share")
    )

    def wide(values: str) -> pl.DataFrame:
        return long.pivot(
            on="position_level", index="province_name", values=values, aggregate_function="first"
        ).sort("province_name", descending=True)

    wide_n = wide("unsigned")
    n = wide_n.select(present).to_numpy()
    tgt = wide("target").select(present).to_numpy()
    # cells with no roster stay empty (NaN), not 0 %
    share = wide("share").select(present).cast(pl.Float64).to_numpy()
    x = [t(f"position.{p}", lang) for p in present]
    y = [html_escape(v) for v in wide_n["province_name"].to_list()]
    custom = np.dstack([n, tgt])
    fig = go.Figure(
        go.Heatmap(
            z=share,
            x=x,
            y=y,
            text=n,
            texttemplate="%{text:,.0f}",
            customdata=custom,
            colorscale="Reds",
            zmin=0,
            zmax=max(0.05, float(np.nanmax(share)) if share.size else 1.0),
            colorbar={"title": {"text": t(f"chart.heat.colour.{m}", lang)}, "tickformat": ".0%"},
            hovertemplate=t(f"chart.heat.hover.{m}", lang) + "<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    _layout(fig, lang, t(f"chart.heat.title.{m}", lang), height=max(300, 120 + 22 * len(y)))
    fig.update_xaxes(title_text=t("col.position_level", lang), side="top")
    fig.update_yaxes(title_text=t("col.province", lang), automargin=True)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 110, "b": 10})
    return fig


def days_outstanding(days: pl.DataFrame, lang: str, measure: str, bin_days: int = 30) -> go.Figure:
    """Officials not yet done by days since their agency's signing event, in ``bin_days`` bins.

    ``days``: ``days_outstanding`` (nulls are left out; the page reports them), ``unsigned``.
    """
    m = _measure_key(measure)
    binned = (
        days.drop_nulls("days_outstanding")
        .with_columns((pl.col("days_outstanding") // bin_days * bin_days).alias("lo"))
        .group_by("lo")
        .agg(pl.col("unsigned").sum())
        .sort("lo")
        .with_columns((pl.col("lo") + bin_days - 1).alias("hi"))
    )
    fig = go.Figure(
        go.Bar(
            x=(binned["lo"] + bin_days / 2).to_list(),
            y=binned["unsigned"].to_list(),
            width=bin_days * 0.9,
            marker_color="#D55E00",
            customdata=binned.select("lo", "hi").to_numpy(),
            hovertemplate=t(f"chart.days.hover.{m}", lang) + "<extra></extra>",
        )
    )
    _layout(fig, lang, t(f"chart.days.title.{m}", lang), height=360)
    fig.update_xaxes(title_text=t("chart.days.x", lang), tickformat=",.0f")
    fig.update_yaxes(title_text=t(f"chart.unsigned.x.{m}", lang), tickformat=",.0f")
    return fig


def for_phone(fig: go.Figure) -> tuple[go.Figure, str, list[str]]:
    """A copy of ``fig`` laid out for a phone's ~360 px, with what it took out of it.

    Returns (figure, title, notes): the title is drawn above the chart by the page (a Plotly
    title does not wrap and runs off a narrow chart); labels pinned to the plot's top edge
    (milestones) become numbers "1", "2"... whose texts are the notes, listed under the chart
    instead of overlapping each other; the legend goes under the plot; margins and type
    shrink. The original (a cached figure) is not touched.
    """
    out = go.Figure(fig)
    title = out.layout.title.text or ""
    notes: list[str] = []
    for ann in out.layout.annotations:
        if ann.yref == "paper" and ann.text and (ann.y or 0) >= 0.9:
            notes.append(ann.text)
            ann.update(text=str(len(notes)), font={"size": 10}, xanchor="center")
    out.update_layout(
        title_text="",
        margin={"l": 44, "r": 8, "t": 24, "b": 40},
        font={"size": 10},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.22, "yanchor": "top"},
    )
    # the small margins are a floor: long category labels ("Tidak diketahui") widen them
    out.update_yaxes(automargin=True)
    out.update_xaxes(automargin=True)
    return out, title, notes
