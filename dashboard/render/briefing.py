"""A one-page printable briefing for the current filters (pure: no Streamlit).

The output is a single self-contained HTML document: inline CSS sized for A4, the map and
the chart as inline SVG, no script and no external resource, so it opens and prints from
a browser on an office network without internet. Every data value is HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from dashboard import i18n, queries
from dashboard.geo import boundaries, maps
from dashboard.render import comparison
from dashboard.store.database import Store
from dashboard.text import html_escape
from schemas.vocab import POSITION_LEVELS, SOURCE_DEMO

LOWEST_N = 10


@dataclass(frozen=True)
class BriefingData:
    """Everything the briefing shows, gathered from the store for one filter set."""

    lang: str
    filters: queries.Filters
    scope: str
    headline: queries.Headline
    previous: queries.Headline | None  # at ``baseline``; None: nothing to compare with
    baseline: comparison.Baseline | None
    lowest_regions: pl.DataFrame  # name, target, signed, unsigned, rate, source
    region_level: str
    lowest_agencies: pl.DataFrame  # name, region_name, target, signed, unsigned, rate, source
    by_position: pl.DataFrame  # position_level, unsigned
    unsigned_without_level: int
    map_svg: str
    approximate: bool
    filter_lines: tuple[str, ...]
    generated: dt.date
    demo_in_view: bool


def _filter_lines(store: Store, f: queries.Filters, lang: str) -> tuple[str, ...]:
    """Human-readable active filters (names, not codes)."""
    regions = queries.region_options(store)
    names = dict(zip(regions["code"], regions["name"], strict=True))
    lines: list[str] = []
    if f.provinces:
        lines.append(
            f"{i18n.t('filter.province', lang)}: " + ", ".join(names.get(c, c) for c in f.provinces)
        )
    if f.regencies:
        lines.append(
            f"{i18n.t('filter.regency', lang)}: " + ", ".join(names.get(c, c) for c in f.regencies)
        )
    if f.agencies:
        ag = queries.agency_options(store).filter(pl.col("agency_id").is_in(f.agencies))
        lines.append(f"{i18n.t('filter.agency', lang)}: " + ", ".join(ag["name"].to_list()))
    if f.agency_levels:
        lines.append(
            f"{i18n.t('filter.agency_level', lang)}: "
            + ", ".join(i18n.t(f"level.{v}", lang) for v in f.agency_levels)
        )
    if f.position_levels:
        lines.append(
            f"{i18n.t('filter.position_level', lang)}: "
            + ", ".join(i18n.t(f"position.{v}", lang) for v in f.position_levels)
        )
    if f.jenis_asn:
        lines.append(
            f"{i18n.t('filter.jenis_asn', lang)}: "
            + ", ".join(i18n.t(f"jenis_asn.{v}", lang) for v in f.jenis_asn)
        )
        lines.append(i18n.t("scope.jenis_note", lang))
    if f.date_from:
        lines.append(f"{i18n.t('filter.date_from', lang)}: {i18n.fmt_date(f.date_from, lang)}")
    if f.date_to:
        lines.append(f"{i18n.t('filter.date_to', lang)}: {i18n.fmt_date(f.date_to, lang)}")
    if not f.include_demo:
        lines.append(i18n.t("briefing.demo_excluded", lang))
    return tuple(lines)


def collect(
    store: Store,
    f: queries.Filters,
    lang: str,
    generated: dt.date | None = None,
    compare_to: dt.date | None = None,
) -> BriefingData:
    """Query everything the briefing needs (one pass; the page caches the document).

    Changes compare with the previous upload, or ``compare_to`` (as the Ringkasan page).
    """
    hl = queries.headline(store, f)
    base = comparison.baseline(queries.uploads(store), f, compare_to)
    prev = queries.headline(store, base.filters(f)) if base else None
    if prev is not None and not comparison.headline_changed(hl, prev):
        prev = None  # nothing moved: no row of zeros
    level = "kabupaten" if f.provinces else "provinsi"
    table = maps.region_table(store, f, level, f.provinces)
    provincial = i18n.t("provincial_level", lang)
    lowest_regions = (
        table.filter(pl.col("rate").is_not_null())
        .with_columns(
            pl.when(pl.col("provincial_level"))
            .then(pl.col("name") + " " + provincial)
            .otherwise(pl.col("name"))
            .alias("name")
        )
        .sort("rate", "name")
        .head(LOWEST_N)
    )
    regions = queries.region_options(store).select(
        pl.col("code").alias("region_code"), pl.col("name").alias("region_name")
    )
    lowest_agencies = (
        queries.summary(store, f, "instansi")
        .filter(pl.col("rate").is_not_null())
        .sort(["rate", "target", "name"], descending=[False, True, False])
        .head(LOWEST_N)
        .with_columns(pl.coalesce("regency_code", "province_code").alias("region_code"))
        .join(regions, on="region_code", how="left")
    )
    by_pos = queries.unsigned_by_position(store, f)
    order = {p: i for i, p in enumerate(POSITION_LEVELS)}
    by_pos = (
        by_pos.with_columns(pl.col("position_level").replace_strict(order, default=99).alias("_o"))
        .sort("_o")
        .drop("_o")
    )
    without_level = max(hl.unsigned - int(by_pos["unsigned"].sum() or 0), 0)

    feats = maps.features(level, store.path, prefixes=f.provinces if f.provinces else None)
    polys = table.filter(~pl.col("provincial_level") & pl.col("target").is_not_null())
    props = maps.region_properties(polys, lang, f.measure)
    rate_key = "col.pledge_rate" if f.measure == "ikrar" else "col.rate"
    svg = maps.svg_map(feats, props, title=i18n.t(rate_key, lang))

    if f.provinces:
        names: dict[str, str] = dict(zip(table["code"], table["name"], strict=True))
        all_names = queries.region_options(store)
        pn: dict[str, str] = dict(zip(all_names["code"], all_names["name"], strict=True))
        scope = ", ".join(pn.get(c, names.get(c, c)) for c in f.provinces)
    else:
        scope = i18n.t("briefing.national", lang)
    fr = queries.freshness(store, f)
    return BriefingData(
        lang=lang,
        filters=f,
        scope=scope,
        headline=hl,
        previous=prev,
        baseline=base,
        lowest_regions=lowest_regions,
        region_level=level,
        lowest_agencies=lowest_agencies,
        by_position=by_pos,
        unsigned_without_level=without_level,
        map_svg=svg,
        approximate=boundaries.is_approximate(level, store.path),
        filter_lines=_filter_lines(store, f, lang),
        generated=generated or dt.date.today(),
        demo_in_view=SOURCE_DEMO in hl.sources or fr.demo_events > 0,
    )


# -- rendering ----------------------------------------------------------------------------

_CSS = """
@page { size: A4 portrait; margin: 9mm 10mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 8.8pt;
       color: #1b1b1b; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 14pt; margin: 0 0 1mm; }
h2 { font-size: 9.5pt; margin: 2.5mm 0 1mm; border-bottom: 1px solid #bbb; }
.meta { color: #555; font-size: 8.5pt; margin-bottom: 2mm; }
.demo { background: #fff3cd; border: 1px solid #e0c36a; padding: 1.5mm 2.5mm;
        margin: 1.5mm 0; font-weight: bold; }
.cards { display: grid; grid-template-columns: repeat(6, 1fr); gap: 2mm; }
.card { border: 1px solid #ccc; border-radius: 2mm; padding: 1.5mm 2mm; }
.card .label { font-size: 7.5pt; color: #555; }
.card .value { font-size: 12pt; font-weight: bold; white-space: nowrap; }
.card .delta { font-size: 7.5pt; color: #555; }
.note { font-size: 7.5pt; color: #555; margin-top: 1mm; }
.two { display: grid; grid-template-columns: 1.15fr 1fr; gap: 4mm; align-items: start; }
table { border-collapse: collapse; width: 100%; font-size: 7.3pt; }
th, td { padding: 0.35mm 1mm; border-bottom: 1px solid #e2e2e2; text-align: left; }
th { background: #f1f1f1; }
td.n { text-align: right; white-space: nowrap; }
.legend { font-size: 7.5pt; margin-top: 1mm; }
.legend span.key { white-space: nowrap; }  /* a swatch stays with its label */
.legend span.sw { display: inline-block; width: 3mm; height: 3mm; border: 1px solid #999;
                  vertical-align: middle; margin: 0 1mm 0 2mm; }
.foot { color: #666; font-size: 7.5pt; margin-top: 3mm; border-top: 1px solid #ccc;
        padding-top: 1.5mm; }
svg { display: block; }
.map svg { max-height: 62mm; }
.chart svg { max-height: 34mm; max-width: 150mm; }
@media print { .card, table, svg { break-inside: avoid; } }
"""


def _e(value: object) -> str:
    return html_escape(value)


def _table(rows: pl.DataFrame, cols: list[tuple[str, str, str]], lang: str) -> str:
    """``cols``: (column, header i18n key, kind: text|int|pct|source)."""
    head = "".join(f"<th>{_e(i18n.t(k, lang))}</th>" for _, k, _ in cols)
    body = []
    for r in rows.iter_rows(named=True):
        cells = []
        for c, _, kind in cols:
            v = r.get(c)
            if kind == "int":
                cells.append(f'<td class="n">{_e(i18n.fmt_number(v, lang))}</td>')
            elif kind == "pct":
                cells.append(f'<td class="n">{_e(i18n.fmt_percent(v, lang))}</td>')
            elif kind == "source":
                label = " + ".join(i18n.t(f"source.{s}", lang) for s in str(v or "none").split("+"))
                cells.append(f"<td>{_e(label)}</td>")
            else:
                cells.append(f"<td>{_e(v if v is not None else '–')}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def bar_svg(labels: list[str], values: list[int], lang: str, axis_label: str) -> str:
    """Horizontal bars with value labels and an x-axis caption (inline SVG)."""
    if not values:
        return ""
    width, label_w, bar_h, gap = 640, 190, 16, 5
    plot_w = width - label_w - 70
    top = max(max(values), 1)
    height = len(values) * (bar_h + gap) + 26
    parts = []
    for i, (lab, v) in enumerate(zip(labels, values, strict=True)):
        y = i * (bar_h + gap)
        w = plot_w * v / top
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 4}" text-anchor="end" '
            f'font-size="11">{_e(lab)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#3b528b"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 4}" font-size="11">'
            f"{_e(i18n.fmt_number(v, lang))}</text>"
        )
    axis_y = len(values) * (bar_h + gap) + 4
    parts.append(
        f'<line x1="{label_w}" y1="{axis_y}" x2="{label_w + plot_w}" y2="{axis_y}" '
        f'stroke="#999"/><text x="{label_w + plot_w / 2}" y="{axis_y + 16}" '
        f'text-anchor="middle" font-size="10" fill="#555">{_e(axis_label)}</text>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{_e(axis_label)}">{"".join(parts)}</svg>'
    )


def headline_cards(d: BriefingData) -> list[tuple[str, str, str]]:
    """(label, value, change) of the six headline figures, as on Ringkasan; the change is
    empty when there is nothing to compare with or nothing moved."""
    lang, hl, prev = d.lang, d.headline, d.previous
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    pakta = d.filters.measure == "pakta"

    def change(field: str, kind: str) -> str:
        if prev is None:
            return ""
        return comparison.delta(getattr(hl, field), getattr(prev, field), kind, lang) or ""

    return [
        (t("overview.targeted"), i18n.fmt_number(hl.target, lang), change("target", "int")),
        (
            t("col.signed" if pakta else "col.pledged"),
            i18n.fmt_number(hl.signed, lang),
            change("signed", "int"),
        ),
        (
            t("col.unsigned" if pakta else "col.unpledged"),
            i18n.fmt_number(hl.unsigned, lang),
            change("unsigned", "int"),
        ),
        (
            t("col.rate" if pakta else "col.pledge_rate"),
            i18n.fmt_percent(hl.rate, lang),
            change("rate", "pct"),
        ),
        (
            t("overview.agencies_complete"),
            f"{i18n.fmt_number(hl.agencies_complete, lang)} / {i18n.fmt_number(hl.agencies, lang)}",
            change("agencies_complete", "int"),
        ),
        (t("overview.events"), i18n.fmt_number(hl.events, lang), change("events", "int")),
    ]


def render_html(d: BriefingData) -> str:
    """The briefing as one self-contained HTML document."""
    lang, f, hl = d.lang, d.filters, d.headline
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    pakta = f.measure == "pakta"
    undone_key = "col.unsigned" if pakta else "col.unpledged"
    rate_key = "col.rate" if pakta else "col.pledge_rate"

    cards = headline_cards(d)
    vs = d.baseline.label(lang) if d.baseline else ""
    cards_html = "".join(
        f'<div class="card"><div class="label">{_e(a)}</div><div class="value">{_e(b)}</div>'
        + (f'<div class="delta">{_e(c)} {_e(vs)}</div>' if c else "")
        + "</div>"
        for a, b, c in cards
    )
    compare_note = comparison.note(d.baseline, d.previous is not None, lang)
    sources = " + ".join(i18n.t(f"source.{s}", lang) for s in hl.sources) or t("source.none")
    meta = t(
        "briefing.meta",
        as_of=i18n.fmt_date(f.as_of(), lang),
        measure=t(f"measure.{f.measure}"),
        sources=sources,
    )
    legend = " ".join(  # the spaces are where a line may break
        f'<span class="key"><span class="sw" style="background:{c}"></span>{_e(lab)}</span>'
        for lab, c in maps.legend(lang)
    )
    region_head = "col.province" if d.region_level == "provinsi" else "col.regency"
    regions_html = (
        _table(
            d.lowest_regions,
            [
                ("name", region_head, "text"),
                ("rate", rate_key, "pct"),
                ("unsigned", undone_key, "int"),
                ("target", "col.target", "int"),
                ("source", "col.source", "source"),
            ],
            lang,
        )
        if d.lowest_regions.height
        else f"<p>{_e(t('shell.no_data'))}</p>"
    )
    agencies_html = (
        _table(
            d.lowest_agencies,
            [
                ("name", "col.agency", "text"),
                ("rate", rate_key, "pct"),
                ("unsigned", undone_key, "int"),
                ("region_name", "col.region", "text"),
                ("target", "col.target", "int"),
                ("source", "col.source", "source"),
            ],
            lang,
        )
        if d.lowest_agencies.height
        else f"<p>{_e(t('shell.no_data'))}</p>"
    )
    labels = [t(f"position.{p}") for p in d.by_position["position_level"]]
    values = [int(v) for v in d.by_position["unsigned"]]
    if d.unsigned_without_level:
        labels.append(t("briefing.no_level"))
        values.append(d.unsigned_without_level)
    chart = bar_svg(labels, values, lang, t("briefing.axis_officials")) if values else ""
    chart_html = chart or f"<p>{_e(t('shell.no_data'))}</p>"
    demo = f'<div class="demo">{_e(t("demo_notice"))}</div>' if d.demo_in_view else ""
    filters_html = (
        "<br>".join(_e(x) for x in d.filter_lines)
        if d.filter_lines
        else _e(t("briefing.no_filters"))
    )
    approx = f"{_e(t('approx_boundaries'))} " if d.approximate else ""
    title = t("briefing.title", scope=d.scope)
    return f"""<!DOCTYPE html>
<html lang="{_e(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title><style>{_CSS}</style></head>
<body>
<h1>{_e(title)}</h1>
<div class="meta">{_e(meta)}</div>
{demo}
<div class="cards">{cards_html}</div>
<div class="note">{_e(compare_note)}</div>
<div class="two">
<div class="map"><h2>{_e(t("briefing.map_title", measure=t(rate_key)))}</h2>{d.map_svg}
<div class="legend">{legend}</div></div>
<div><h2>{_e(t("overview.lowest_regencies" if f.provinces else "overview.lowest_provinces"))}</h2>
{regions_html}</div>
</div>
<h2>{_e(t("overview.lowest_agencies"))}</h2>
{agencies_html}
<h2>{_e(t("briefing.by_level_title", what=t(undone_key)))}</h2>
<div class="chart">{chart_html}</div>
<div class="foot"><b>{_e(t("briefing.filters"))}:</b> {filters_html}<br>
{approx}{_e(t("briefing.footer", date=i18n.fmt_date(d.generated, lang)))}</div>
</body></html>
"""


def build_html(store: Store, f: queries.Filters, lang: str) -> str:
    """``collect`` + ``render_html``: the page caches this per store version and filters."""
    return render_html(collect(store, f, lang))


def to_pdf(document: str) -> bytes:
    """The briefing as a one-page A4 PDF (WeasyPrint: offline, the document has no external
    resource to fetch)."""
    import weasyprint  # type: ignore[import-untyped]  # loads pango: only this download needs it

    return bytes(weasyprint.HTML(string=document).write_pdf())


def build_pdf(store: Store, f: queries.Filters, lang: str) -> bytes:
    """``build_html`` + ``to_pdf`` (cacheable like ``build_html``)."""
    return to_pdf(build_html(store, f, lang))


def file_name(f: queries.Filters, ext: str = "html") -> str:
    """``briefing-netralitas-<provinces or nasional>-<as of>.<ext>``."""
    scope = "-".join(f.provinces) if f.provinces else "nasional"
    return f"briefing-netralitas-{scope}-{f.as_of().isoformat()}.{ext}"
