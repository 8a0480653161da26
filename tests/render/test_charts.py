"""Chart builders: honest dates, numbers that match the input frames, labels in the language."""

from __future__ import annotations

import datetime as dt
import re

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard.i18n import catalog, fmt_date, t
from dashboard.render import charts

RAW_NAMES = re.compile(
    r"\b(province_code|position_level|event_date|date_precision|grp|grp_name|new_signed|"
    r"days_outstanding|signed_date|agency_name|as_of|week_label)\b"
)


def _texts(fig: go.Figure) -> list[str]:
    """Every label a viewer reads: title, axis titles, annotations, trace names, hovers."""
    lay = fig.layout
    out = [lay.title.text or ""]
    for ax in [k for k in lay.to_plotly_json() if k.startswith(("xaxis", "yaxis"))]:
        out.append(lay[ax].title.text or "")
    out += [a.text or "" for a in lay.annotations]
    for tr in fig.data:
        out += [tr.name or "", getattr(tr, "hovertemplate", None) or ""]
    return out


def _assert_labelled(fig: go.Figure, lang: str) -> None:
    texts = _texts(fig)
    assert fig.layout.title.text, "every chart has a title"
    assert fig.layout.separators == (".," if lang == "en" else ",.")
    for text in texts:
        # hover templates reference customdata/x/y, never a raw column name
        assert not RAW_NAMES.search(re.sub(r"%\{[^}]*\}", "", text)), text
        assert not re.search(r"\bchart\.[a-z_.]+", text), f"untranslated key in {text!r}"


EVENTS = pl.DataFrame(
    {
        "event_date": [
            dt.date(2023, 9, 25),
            dt.date(2023, 9, 21),
            dt.date(2023, 9, 28),
            dt.date(2023, 10, 1),
            dt.date(2023, 1, 1),
            dt.date(2023, 1, 1),
        ],
        "date_precision": ["day", "day", "day", "month", "year", "year"],
        "kind": ["pakta_ikrar", "pakta_ikrar", "ikrar", "pakta", "pakta_ikrar", "ikrar"],
        "agency_name": ["DPMPTSP", "Kesbangpol", "Dinas X", "Badan Y", "Pemkab Mukomuko", "NTB"],
    }
)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_date_labels_match_fmt_date_at_every_precision(lang: str) -> None:
    days = pl.date_range(dt.date(2022, 12, 25), dt.date(2024, 2, 3), "9d", eager=True)
    df = pl.DataFrame({"d": days}).join(pl.DataFrame({"p": ["day", "month", "year"]}), how="cross")
    got = df.select(charts.date_label_expr("d", lang, pl.col("p")).alias("x"))["x"].to_list()
    want = [fmt_date(d, lang, p) for d, p in df.iter_rows()]
    assert got == want
    nulls = pl.DataFrame({"d": [None]}, schema={"d": pl.Date})
    assert nulls.select(charts.date_label_expr("d", lang).alias("x"))["x"][0] == "–"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_events_timeline_draws_unknown_days_as_spans(lang: str) -> None:
    fig = charts.events_timeline(EVENTS, lang)
    _assert_labelled(fig, lang)
    bars = [tr for tr in fig.data if tr.type == "bar"]
    # three events known to the day, counted per week, split by kind
    assert sum(sum(tr.y) for tr in bars) == 3
    assert {tr.name for tr in bars} == {t("event.pakta_ikrar", lang), t("event.ikrar", lang)}
    lines = [tr for tr in fig.data if tr.type == "scatter" and tr.mode == "lines"]
    spans = {tuple(tr.y[0:1]): [x for x in tr.x if x is not None] for tr in lines}
    year_lane = (t("chart.events.lane_year", lang),)
    month_lane = (t("chart.events.lane_month", lang),)
    # the 2023 year-only events: one segment over the whole year, not a point on 1 January
    assert spans[year_lane] == [dt.date(2023, 1, 1), dt.date(2024, 1, 1)]
    assert spans[month_lane] == [dt.date(2023, 10, 1), dt.date(2023, 11, 1)]
    counts = [tr for tr in fig.data if tr.type == "scatter" and tr.mode == "text"]
    assert sorted(c for tr in counts for c in tr.text) == ["1", "2"]
    # milestones: dotted lines + labels in the language
    labels = {a.text for a in fig.layout.annotations}
    for _, key in charts.MILESTONES:
        assert t(key, lang) in labels
    assert sum(1 for s in fig.layout.shapes if s.type == "line") == len(charts.MILESTONES)
    # month ticks in the language
    assert fig.layout.xaxis.ticktext and all(
        txt.split()[0] in charts.month_names(lang).values() for txt in fig.layout.xaxis2.ticktext
    )


def test_events_timeline_respects_the_date_filter() -> None:
    fig = charts.events_timeline(EVENTS, "id", start=dt.date(2023, 9, 1), end=dt.date(2023, 12, 31))
    # only the milestone inside the range is drawn
    assert [a.text for a in fig.layout.annotations] == [t("chart.milestone.campaign", "id")]
    assert fig.layout.xaxis.range[0] == "2023-09-01"


def test_only_day_known_events_give_a_single_panel() -> None:
    fig = charts.events_timeline(EVENTS.filter(pl.col("date_precision") == "day"), "en")
    assert all(tr.type == "bar" for tr in fig.data)
    assert fig.layout.yaxis.title.text == t("chart.events.y_week", "en")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_cumulative_rate_one_step_line_per_group(lang: str) -> None:
    curve = pl.DataFrame(
        {
            "grp": ["17", "17", "62"],
            "grp_name": ["Bengkulu", "Bengkulu", "Kalimantan Tengah"],
            "day": [dt.date(2023, 9, 1), dt.date(2023, 9, 5), dt.date(2023, 9, 2)],
            "new_signed": [2, 3, 4],
            "signed": [2, 5, 4],
            "target": [10, 10, 8],
            "rate": [0.2, 0.5, 0.5],
        }
    )
    fig = charts.cumulative_rate(curve, lang)
    _assert_labelled(fig, lang)
    assert [tr.name for tr in fig.data] == ["Bengkulu", "Kalimantan Tengah"]
    assert list(fig.data[0].y) == [0.2, 0.5] and fig.data[0].line.shape == "hv"
    assert fig.layout.yaxis.tickformat == ".0%"
    assert fig.layout.yaxis.title.text == t("chart.cumulative.y", lang)
    assert fig.layout.showlegend is True
    one = charts.cumulative_rate(
        curve.filter(pl.col("grp") == "17").with_columns(
            pl.lit("").alias("grp"), pl.lit(None, dtype=pl.String).alias("grp_name")
        ),
        lang,
    )
    assert one.data[0].name == t("chart.cumulative.all", lang) and one.layout.showlegend is False


@pytest.mark.parametrize(("lang", "measure"), [("id", "pakta"), ("en", "ikrar")])
def test_unsigned_bars_treemap_heat_and_days(lang: str, measure: str) -> None:
    prov = pl.DataFrame(
        {
            "key": ["62", "17"],
            "label": ["Kalimantan Tengah", "Bengkulu"],
            "unsigned": [30, 12],
            "target": [100, 80],
        }
    ).with_columns((1 - pl.col("unsigned") / pl.col("target")).alias("rate"))
    reg = pl.DataFrame(
        {
            "key": ["6271", "62", "1706", "1701"],
            "label": [
                "Kota Palangka Raya",
                "Kalimantan Tengah (tingkat provinsi)",
                "Mukomuko",
                "Bengkulu Selatan",
            ],
            "province_code": ["62", "62", "17", "17"],
            "unsigned": [20, 10, 5, 7],
            "target": [60, 40, 53, 27],
        }
    ).with_columns((1 - pl.col("unsigned") / pl.col("target")).alias("rate"))

    bars = charts.unsigned_bars(prov, lang, measure, label="label", title="X", top=1)
    _assert_labelled(bars, lang)
    assert list(bars.data[0].y) == ["Kalimantan Tengah"] and list(bars.data[0].x) == [30]
    assert bars.layout.xaxis.title.text == t(f"chart.unsigned.x.{measure}", lang)

    tree = charts.unsigned_treemap(reg, prov, lang, measure)
    _assert_labelled(tree, lang)
    tr = tree.data[0]
    values = dict(zip(tr.ids, tr.values, strict=True))
    parents = dict(zip(tr.ids, tr.parents, strict=True))
    for p in ("p62", "p17"):  # branchvalues="total": a province is the sum of its children
        assert values[p] == sum(v for i, v in values.items() if parents[i] == p)
    assert parents["r62"] == "p62"  # provincial-level agencies sit under their province

    heat = pl.DataFrame(
        {
            "province_code": ["62", "62", "17"],
            "province_name": ["Kalimantan Tengah", "Kalimantan Tengah", "Bengkulu"],
            "position_level": ["fungsional", "jpt_pratama", "fungsional"],
            "unsigned": [9, 1, 0],
            "target": [30, 4, 10],
        }
    )
    hm = charts.heat_table(heat, lang, measure, ["jpt_pratama", "fungsional", "pppk"])
    _assert_labelled(hm, lang)
    h = hm.data[0]
    assert list(h.x) == [t("position.jpt_pratama", lang), t("position.fungsional", lang)]
    assert list(h.y) == ["Kalimantan Tengah", "Bengkulu"]
    kt = list(h.y).index("Kalimantan Tengah")
    assert h.z[kt][1] == pytest.approx(9 / 30) and h.text[kt][1] == 9
    bk = list(h.y).index("Bengkulu")
    assert h.text[bk][1] == 0 and h.z[bk][0] != h.z[bk][0]  # NaN where there is no roster

    days = pl.DataFrame({"days_outstanding": [3, 29, 31, 95, None], "unsigned": [1, 2, 4, 8, 16]})
    dfig = charts.days_outstanding(days, lang, measure)
    _assert_labelled(dfig, lang)
    assert list(dfig.data[0].y) == [3, 4, 8]  # 0–29, 30–59, 90–119; unknown left out
    assert sum(dfig.data[0].y) == 15


def test_every_chart_key_has_both_languages() -> None:
    prefixes = ("chart.", "timeline.", "unsigned.", "agencies.", "lead.")
    keys = [k for k in catalog("id") if k.startswith(prefixes)]
    assert len(keys) > 100
    for k in keys:
        assert catalog("id")[k] and catalog("en")[k]


def test_phone_layout_moves_title_and_milestone_labels_out_of_the_chart() -> None:
    import plotly.graph_objects as go

    from dashboard.render.charts import for_phone

    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    fig.update_layout(title_text="Kegiatan &amp; tanda tangan", showlegend=True)
    fig.add_annotation(x="a", y=1.0, yref="paper", text="SKB netralitas ASN", showarrow=False)
    fig.add_annotation(x="a", y=0.93, yref="paper", text="Pilkada serentak", showarrow=False)
    fig.add_annotation(x="a", y=1, yref="y", text="value label", showarrow=False)
    phone, title, notes = for_phone(fig)
    assert title == "Kegiatan &amp; tanda tangan"
    assert notes == ["SKB netralitas ASN", "Pilkada serentak"]
    assert [a.text for a in phone.layout.annotations] == ["1", "2", "value label"]
    assert not phone.layout.title.text
    assert phone.layout.legend.orientation == "h"
    # the cached original is untouched
    assert fig.layout.title.text == "Kegiatan &amp; tanda tangan"
    assert [a.text for a in fig.layout.annotations][:2] == notes
