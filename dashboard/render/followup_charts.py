"""Charts of the Tindak Lanjut page: did follow-up work?"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.i18n import fmt_date, t
from dashboard.render.charts import OKABE_ITO, _layout
from dashboard.text import html_escape


def _below(fig: go.Figure) -> go.Figure:
    """Legend under the plot and no in-chart title: the page writes the title as text,
    which wraps on a phone (a Plotly title does not)."""
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0, "xanchor": "left"},
    )
    return fig


def effect_by_step(by_step: pl.DataFrame, labels: dict[str, str], lang: str) -> go.Figure:
    """Grouped bars per step: unsigned when the step was taken, and the same agencies now."""
    x = [html_escape(labels.get(s, s)) for s in by_step["step"].to_list()]
    fig = go.Figure(
        [
            go.Bar(
                name=t("followup.chart.at_step", lang),
                x=x,
                y=by_step["unsigned_at_step"].to_list(),
                marker_color=OKABE_ITO[5],
                customdata=by_step["agencies"].to_list(),
                hovertemplate=t("followup.chart.hover_step", lang) + "<extra></extra>",
            ),
            go.Bar(
                name=t("followup.chart.now", lang),
                x=x,
                y=by_step["unsigned_now"].to_list(),
                marker_color=OKABE_ITO[0],
                customdata=by_step["agencies"].to_list(),
                hovertemplate=t("followup.chart.hover_step", lang) + "<extra></extra>",
            ),
        ]
    )
    _below(_layout(fig, lang, "", height=380))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=t("followup.chart.unsigned", lang), tickformat=",.0f")
    return fig


def signatures_after(after: pl.DataFrame, lang: str) -> go.Figure:
    """Signatures that came in after the reminders of each day (until the next reminder)."""
    fig = go.Figure(
        go.Bar(
            x=[fmt_date(d, lang) for d in after["sent_on"].to_list()],
            y=after["signed_after"].to_list(),
            customdata=after["reminders"].to_list(),
            marker_color=OKABE_ITO[2],
            hovertemplate=t("followup.chart.hover_after", lang) + "<extra></extra>",
        )
    )
    _below(_layout(fig, lang, "", height=320))
    fig.update_yaxes(title_text=t("followup.chart.signed_after", lang), tickformat=",.0f")
    fig.update_yaxes(rangemode="tozero")
    fig.update_xaxes(title_text=t("followup.chart.sent_on", lang), type="category")
    return fig
