"""Choropleth maps from Polars figures (pure: no Streamlit; pydeck objects and SVG).

Colours: signature rates fall in seven classes coloured with viridis stops (readable by
colour-blind viewers and in greyscale print), grey for "no data". Geometry is simplified
and rounded once per boundary file (cached on its path and mtime), parts under a pixel
left out, and borders drawn only where two regions meet, so a national map is ~100 kB of
JSON and a province's regencies a few tens of kB. Decks use ``map_provider=None``:
polygons only, no basemap, no network (a basemap is an option when online).
"""

from __future__ import annotations

import functools
import json
import math
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize
from shapely.geometry import mapping, shape

from dashboard import i18n
from dashboard.geo import boundaries
from dashboard.text import html_escape

if TYPE_CHECKING:
    from dashboard.queries.filters import Filters
    from dashboard.store.database import Store

# class lower bounds (rate >= bound): <50 %, 50-60, 60-70, 70-80, 80-90, 90-<100, 100 %
BREAKS: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
# viridis, dark (low) to yellow (complete)
COLORS: tuple[tuple[int, int, int], ...] = (
    (68, 1, 84),
    (70, 50, 127),
    (54, 92, 141),
    (39, 127, 142),
    (31, 161, 135),
    (74, 194, 109),
    (253, 231, 37),
)
NO_DATA: tuple[int, int, int] = (200, 200, 200)
TOLERANCE = {"provinsi": 0.05, "kabupaten": 0.02}  # degrees, coverage-preserving
# coordinate grid: ~1 km for the national map (under a pixel), ~100 m for a province's
# regencies
PRECISION = {"provinsi": 0.01, "kabupaten": 0.001}
# polygon parts smaller than this (deg², about a pixel of the Peta map) are left out: at the
# zoom that shows a whole level they are under a pixel, and each cost a record with its
# tooltip on the wire. A region keeps its largest part whatever its size.
MIN_PART_AREA = {"provinsi": 0.0016, "kabupaten": 0.0}
# parts under this area (deg², a pixel or two on a national map) are drawn without a
# tooltip in a layer of their own (``LAYER_SMALL``): hovering them is hit and miss anyway,
# and the name and three tooltip lines repeated on each were a third of the map's bytes
PICK_MIN_AREA = {"provinsi": 0.02, "kabupaten": 0.0}
NATIONAL_VIEW = {"latitude": -2.6, "longitude": 118.0, "zoom": 3.7}
LAYER_REGIONS = "regions"
LAYER_EVENTS = "events"
LAYER_SMALL = "small_parts"


def rate_class(rate: pl.Expr) -> pl.Expr:
    """0..6 colour class of a rate (fraction); null stays null ("no data")."""
    steps = pl.sum_horizontal([(rate >= b).cast(pl.Int8) for b in BREAKS])
    return pl.when(rate.is_null()).then(None).otherwise(steps).cast(pl.Int8)


def class_color(cls: int | None) -> tuple[int, int, int]:
    return NO_DATA if cls is None else COLORS[cls]


def hex_color(rgb: Sequence[int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb[:3])


def legend(lang: str) -> list[tuple[str, str]]:
    """(label, hex colour) per class, then "no data"."""
    pct = functools.partial(i18n.fmt_percent, lang=lang, digits=0)
    labels = [f"< {pct(BREAKS[0])}"]
    labels += [f"{pct(a)} – < {pct(b)}" for a, b in zip(BREAKS[:-2], BREAKS[1:-1], strict=True)]
    labels += [f"{pct(BREAKS[-2])} – < {pct(BREAKS[-1])}", pct(BREAKS[-1])]
    out = [(lab, hex_color(c)) for lab, c in zip(labels, COLORS, strict=True)]
    out.append((i18n.t("source.none", lang), hex_color(NO_DATA)))
    return out


# -- geometry -------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _simplified(path: Path, mtime_ns: int, level: str) -> tuple[dict[str, Any], ...]:
    raw = boundaries._read(path, mtime_ns)  # noqa: SLF001 - same cache as boundaries.geojson
    feats = raw["features"]
    geoms = [shape(f["geometry"]) for f in feats]
    simple = shapely.coverage_simplify(geoms, TOLERANCE[level])
    if not shapely.is_valid(simple).all():  # not a clean coverage (e.g. an imported file)
        simple = shapely.simplify(geoms, TOLERANCE[level] / 2, preserve_topology=True)
    simple = shapely.set_precision(simple, PRECISION[level])
    simple = [_without_specks(g, MIN_PART_AREA[level]) for g in simple]
    out = []
    for f, g in zip(feats, simple, strict=True):
        props = f.get("properties") or {}
        out.append(
            {
                "code": str(props.get("code", "")),
                "name": str(props.get("name", "")),
                "geometry": mapping(g),
                "bounds": tuple(round(v, 3) for v in g.bounds),
            }
        )
    return tuple(out)


def _without_specks(geom: Any, min_area: float) -> Any:
    """``geom`` without the polygon parts under ``min_area`` (its largest part stays)."""
    parts = list(getattr(geom, "geoms", [geom]))
    if min_area <= 0 or len(parts) < 2:
        return geom
    largest = max(parts, key=lambda p: p.area)
    kept = [p for p in parts if p is largest or p.area >= min_area]
    return kept[0] if len(kept) == 1 else shapely.MultiPolygon(kept)


@functools.lru_cache(maxsize=64)
def _inner_borders(
    path: Path, mtime_ns: int, level: str, prefixes: tuple[str, ...] | None
) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The lines two regions of the view share (coasts and the view's outline left out:
    a white line there is drawn on white), each as a tuple of points."""
    feats = _simplified(path, mtime_ns, level)
    if prefixes is not None:
        feats = tuple(f for f in feats if f["code"].startswith(prefixes))
    geoms = [shape(f["geometry"]) for f in feats]
    if len(geoms) < 2:
        return ()
    lines = shapely.union_all([g.boundary for g in geoms])
    inner = shapely.line_merge(lines.difference(shapely.union_all(geoms).boundary))
    return tuple(
        tuple((round(x, 4), round(y, 4)) for x, y in part.coords)
        for part in getattr(inner, "geoms", [inner])
        if not part.is_empty and part.geom_type == "LineString"
    )


def inner_borders(
    level: str, store_path: Path | None = None, prefixes: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """Border paths (``{"path": [[lon, lat], ...]}``) between the regions of ``level``
    (those whose codes start with ``prefixes``), once per boundary file and view."""
    path = boundaries.boundary_path(level, store_path)
    pre = tuple(prefixes) if prefixes is not None else None
    lines = _inner_borders(path, path.stat().st_mtime_ns, level, pre)
    return [{"path": [list(p) for p in line]} for line in lines]


def features(
    level: str, store_path: Path | None = None, prefixes: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """Simplified features (``code``, ``name``, ``geometry``, ``bounds``) of ``level``.

    ``prefixes`` keeps codes starting with any of them (a province's regencies).
    """
    path = boundaries.boundary_path(level, store_path)
    feats = _simplified(path, path.stat().st_mtime_ns, level)
    if prefixes is None:
        return list(feats)
    pre = tuple(prefixes)
    return [f for f in feats if f["code"].startswith(pre)]


_prewarm_started: set[Path] = set()


def prewarm(store_path: Path | None = None) -> None:
    """Simplify the regency boundaries once per process in the background, so the first
    drill-down into a province does not wait the ~0.3 s it takes."""
    key = boundaries.boundary_path("kabupaten", store_path)
    if key in _prewarm_started:
        return
    _prewarm_started.add(key)
    threading.Thread(target=features, args=("kabupaten", store_path), daemon=True).start()


def bounds_of(feats: Sequence[dict[str, Any]]) -> tuple[float, float, float, float] | None:
    """(min lon, min lat, max lon, max lat) of the features; None when there are none."""
    if not feats:
        return None
    return (
        min(f["bounds"][0] for f in feats),
        min(f["bounds"][1] for f in feats),
        max(f["bounds"][2] for f in feats),
        max(f["bounds"][3] for f in feats),
    )


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _spans_px(bounds: tuple[float, float, float, float], zoom: float) -> tuple[float, float]:
    """Width and height in screen pixels of ``bounds`` at ``zoom`` (deck.gl: 512-px world)."""
    minx, miny, maxx, maxy = bounds
    world = 512 * 2**zoom
    span_x = max(maxx - minx, 0.05) / 360 * world
    span_y = max(_mercator_y(maxy) - _mercator_y(miny), 0.05 * math.pi / 180) / (2 * math.pi)
    return span_x, span_y * world


def view_for(
    bounds: tuple[float, float, float, float] | None,
    width: int = 900,
    height: int = 520,
    padding: int = 16,
) -> dict:
    """Centre and zoom that fit ``bounds`` into ``width`` x ``height`` pixels, keeping
    ``padding`` pixels free on every side (Web Mercator, as deck.gl draws it).

    No bounds -> the national view.
    """
    if bounds is None:
        return dict(NATIONAL_VIEW)
    minx, miny, maxx, maxy = bounds
    span_x, span_y = _spans_px(bounds, 0.0)
    room_w = max(width - 2 * padding, 40)
    room_h = max(height - 2 * padding, 40)
    zoom = math.log2(min(room_w / span_x, room_h / span_y))
    mid_y = (_mercator_y(miny) + _mercator_y(maxy)) / 2
    lat = math.degrees(2 * math.atan(math.exp(mid_y)) - math.pi / 2)
    return {
        "latitude": round(lat, 4),
        "longitude": round((minx + maxx) / 2, 4),
        # rounded down so the rounding never pushes the shape past the padding
        "zoom": max(min(math.floor(zoom * 100) / 100, 11.0), 1.0),
    }


def fitted_height(
    bounds: tuple[float, float, float, float] | None,
    width: int,
    *,
    padding: int = 16,
    lowest: int = 180,
    highest: int = 560,
    min_cover: float = 0.55,
) -> int:
    """Canvas height that gives ``bounds`` at ``width`` its natural shape, within limits.

    Indonesia is three times wider than tall, so a fixed tall canvas wastes a phone screen;
    a tall province on a wide screen may exceed ``highest`` as far as needed for the shape
    to span ``min_cover`` of the width (else it is a small island in a wide blank band).
    """
    if bounds is None:
        return highest
    span_x, span_y = _spans_px(bounds, 0.0)
    shape = span_y / span_x
    natural = (width - 2 * padding) * shape + 2 * padding
    covering = min_cover * width * shape + 2 * padding
    return int(max(min(natural, max(highest, covering)), lowest))


# -- figures -> properties ----------------------------------------------------------------


def _source_label(source: str | None, lang: str) -> str:
    if not source:
        return i18n.t("source.none", lang)
    return " + ".join(i18n.t(f"source.{s}", lang) for s in source.split("+"))


def region_properties(figures: pl.DataFrame, lang: str, measure: str = "pakta") -> pl.DataFrame:
    """Per code: rate class, fill colour and escaped tooltip lines.

    ``figures`` has ``code``, ``target``, ``signed``, ``rate``, ``source`` (as from
    ``queries.summary``).
    """
    done_key = "col.pledged" if measure == "ikrar" else "col.signed"
    rate_key = "col.pledge_rate" if measure == "ikrar" else "col.rate"
    base = figures.select("code", "target", "signed", "rate", "source").with_columns(
        rate_class(pl.col("rate")).alias("rate_class")
    )
    rows = base.to_dicts()
    line1 = [
        f"{i18n.t(done_key, lang)}: {i18n.fmt_number(r['signed'], lang)} / "
        f"{i18n.fmt_number(r['target'], lang)}"
        for r in rows
    ]
    line2 = [f"{i18n.t(rate_key, lang)}: {i18n.fmt_percent(r['rate'], lang)}" for r in rows]
    line3 = [f"{i18n.t('col.source', lang)}: {_source_label(r['source'], lang)}" for r in rows]
    fill = [list(class_color(r["rate_class"])) + [220] for r in rows]
    return base.with_columns(
        pl.Series("line1", [html_escape(s) for s in line1], dtype=pl.String),
        pl.Series("line2", [html_escape(s) for s in line2], dtype=pl.String),
        pl.Series("line3", [html_escape(s) for s in line3], dtype=pl.String),
        pl.Series("fill", fill, dtype=pl.List(pl.Int64)),
    )


def choropleth_geojson(
    feats: Sequence[dict[str, Any]], props: pl.DataFrame, lang: str
) -> dict[str, Any]:
    """FeatureCollection with fill and tooltip fields in ``properties``; regions without
    figures are grey."""
    by_code = {r["code"]: r for r in props.to_dicts()}
    no_data = html_escape(i18n.t("source.none", lang))
    out = []
    for f in feats:
        r = by_code.get(f["code"])
        p = {
            "code": f["code"],
            "name": html_escape(f["name"]),
            "line1": r["line1"] if r else no_data,
            "line2": r["line2"] if r else "",
            "line3": r["line3"] if r else "",
            "fill": r["fill"] if r else [*NO_DATA, 200],
            "rate": r["rate"] if r else None,
        }
        out.append({"type": "Feature", "geometry": f["geometry"], "properties": p})
    return {"type": "FeatureCollection", "features": out}


def event_point_records(points: pl.DataFrame, lang: str) -> list[dict[str, Any]]:
    """Scatter records from ``queries.event_points``: radius (metres) grows with the square
    root of signers/participants (area ~ people); tooltip lines escaped."""
    if points.height == 0:
        return []
    df = points.with_columns(
        (2000 + pl.col("people").fill_null(0).cast(pl.Float64).sqrt() * 1200)
        .round(0)
        .alias("radius")
    )
    recs = []
    for r in df.to_dicts():
        src = (
            i18n.t("source.demo", lang)
            if r["is_demo"]
            else (r["publishers"] or i18n.t("source.none", lang))
        )
        recs.append(
            {
                "lon": round(r["lon"], 4),
                "lat": round(r["lat"], 4),
                "radius": r["radius"],
                "code": str(r["code"]),  # a click on a dot opens its province
                "name": html_escape(str(r["name"])),
                "line1": html_escape(
                    f"{i18n.t('map.events', lang)}: {i18n.fmt_number(r['events'], lang)}"
                ),
                "line2": html_escape(
                    f"{i18n.t('map.people', lang)}: {i18n.fmt_number(r['people'], lang)}"
                ),
                "line3": html_escape(f"{i18n.t('col.source', lang)}: {src}"),
            }
        )
    return recs


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: pydeck indents by two spaces, which makes a
    national map (every coordinate on its own line) several times larger on the wire.

    The JSON is made once: a deck is cached and drawn again on every rerun, and dumping a
    national map's coordinates each time cost more than the rest of the page's drawing.
    Do not change a deck after it has been drawn.
    """

    _json: str | None = None

    def to_json(self) -> str:
        if self._json is None:
            self._json = json.dumps(
                self, sort_keys=True, default=default_serialize, separators=(",", ":")
            )
        return self._json


def polygon_records(geo: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat record per polygon part (``polygon`` = its rings) with the feature's fields.

    Streamlit keys a click selection by the id of the *picked* layer; a composite layer
    (GeoJsonLayer, PolygonLayer) is picked through a sub-layer whose id Streamlit does not
    know, and the selection is dropped. A primitive SolidPolygonLayer over flat records
    keeps the id ``regions``.
    """
    out: list[dict[str, Any]] = []
    for feat in geo["features"]:
        geom = feat["geometry"]
        parts = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        props = {k: v for k, v in feat["properties"].items() if k != "rate"}
        out += [{"polygon": rings, **props} for rings in parts]
    return out


def _ring_area(ring: Sequence[Sequence[float]]) -> float:
    """Planar area of a closed ring (shoelace), in squared degrees."""
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    n = len(ring)
    return abs(sum(xs[i] * ys[(i + 1) % n] - xs[(i + 1) % n] * ys[i] for i in range(n))) / 2


def split_small(
    records: Sequence[dict[str, Any]], min_area: float
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(records that keep their tooltip, small parts as ``{"polygon", "fill"}`` only).

    A part is small under ``min_area`` unless it is its region's largest, so every region
    stays pickable (the click drill-down) through at least one part.
    """
    if min_area <= 0:
        return list(records), []
    areas = [_ring_area(r["polygon"][0]) for r in records]
    largest: dict[str, float] = {}
    for r, a in zip(records, areas, strict=True):
        largest[r["code"]] = max(largest.get(r["code"], 0.0), a)
    keep, small = [], []
    for r, a in zip(records, areas, strict=True):
        if a >= min_area or a == largest[r["code"]]:
            keep.append(r)
        else:
            small.append({"polygon": r["polygon"], "fill": r["fill"]})
    return keep, small


def border_paths(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every ring as a path, for the white borders (not pickable)."""
    return [{"path": ring} for r in records for ring in r["polygon"]]


def deck(
    polygons: list[dict[str, Any]],
    view: dict,
    *,
    borders: list[dict[str, Any]] | None = None,
    points: list[dict[str, Any]] | None = None,
    small: list[dict[str, Any]] | None = None,
    basemap: bool = False,
    height: int = 520,
) -> CompactDeck:
    """The pydeck map: polygons (layer id ``regions``), small parts without tooltips
    (``small``, from :func:`split_small`), borders, optional event points (``events``).
    ``polygons`` come from :func:`polygon_records`."""
    layers = []
    if small:
        layers.append(
            pdk.Layer(
                "SolidPolygonLayer",
                data=small,
                id=LAYER_SMALL,
                pickable=False,
                filled=True,
                get_polygon="polygon",
                get_fill_color="fill",
            )
        )
    layers += [
        pdk.Layer(
            "SolidPolygonLayer",
            data=polygons,
            id=LAYER_REGIONS,
            pickable=True,
            filled=True,
            get_polygon="polygon",
            get_fill_color="fill",
            auto_highlight=True,
            highlight_color=[255, 120, 0, 160],
        )
    ]
    if borders:
        layers.append(
            pdk.Layer(
                "PathLayer",
                data=borders,
                id="borders",
                pickable=False,
                get_path="path",
                get_color=[255, 255, 255, 220],
                width_min_pixels=0.7,
                width_max_pixels=1.5,
                get_width=1,
            )
        )
    if points:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                data=points,
                id=LAYER_EVENTS,
                pickable=True,
                get_position=["lon", "lat"],
                get_radius="radius",
                radius_min_pixels=3,
                radius_max_pixels=22,
                get_fill_color=[230, 85, 13, 190],
                get_line_color=[255, 255, 255],
                stroked=True,
                line_width_min_pixels=1,
            )
        )
    # without a basemap, map_style must not be passed: pydeck then keeps its sentinel, which
    # Streamlit's frontend reads as "no basemap"; ``None`` or an absent style makes it fetch a
    # Carto style, which an office network without internet cannot reach
    basemap_args: dict[str, Any] = (
        {"map_provider": "carto", "map_style": "light"} if basemap else {"map_provider": None}
    )
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(**view, pitch=0, bearing=0),
        **basemap_args,
        tooltip={
            "html": "<b>{name}</b><br/>{line1}<br/>{line2}<br/>{line3}",
            "style": {"backgroundColor": "#ffffff", "color": "#222", "fontSize": "12px"},
        },
        height=height,
    )


def selected_code(selection: Any) -> str | None:
    """The region code clicked in a ``st.pydeck_chart(on_select=...)`` selection, if any."""
    try:
        picked = (selection or {}).get("objects", {})
        # a region, or an event dot drawn over one (its code is its place's region code)
        objs = picked.get(LAYER_REGIONS) or picked.get(LAYER_EVENTS) or []
    except AttributeError:
        return None
    if not objs:
        return None
    obj = objs[0]
    props = obj.get("properties", obj) if isinstance(obj, dict) else {}
    code = props.get("code") or obj.get("code")
    return str(code) if code else None


# -- static SVG (briefing) ----------------------------------------------------------------


def svg_map(
    feats: Sequence[dict[str, Any]],
    props: pl.DataFrame,
    *,
    width: int = 680,
    title: str = "",
) -> str:
    """A self-contained SVG choropleth (equirectangular; fine at Indonesia's latitudes)."""
    bounds = bounds_of(feats)
    if bounds is None:
        return ""
    minx, miny, maxx, maxy = bounds
    sx = width / max(maxx - minx, 1e-6)
    height = max(int((maxy - miny) * sx), 40)
    fills = {r["code"]: r["fill"] for r in props.select("code", "fill").to_dicts()}

    def ring(coords: Sequence[Sequence[float]]) -> str:
        pts = " ".join(f"{(x - minx) * sx:.1f},{(maxy - y) * sx:.1f}" for x, y in coords)
        return f"M{pts}Z"

    paths = []
    for f in feats:
        geom = f["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        d = "".join(ring(r) for poly in polys for r in poly)
        rgb = fills.get(f["code"], NO_DATA)
        paths.append(
            f'<path d="{d}" fill="{hex_color(rgb)}" fill-rule="evenodd" stroke="#fff" '
            f'stroke-width="0.4"><title>{html_escape(f["name"])}</title></path>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{html_escape(title)}">' + "".join(paths) + "</svg>"
    )


# -- one call for the pages (cacheable: store + frozen filters + plain values in) ------------


def region_table(
    store: Store, f: Filters, level: str, provinces: tuple[str, ...] = (), basis: str = "targeted"
) -> pl.DataFrame:
    """Figures per province (``level="provinsi"``) or per regency/city of ``provinces``.

    Every region of the view gets a row (null figures = no data); provincial-level agencies
    of a drilled province form their own row (``provincial_level``), not a polygon.
    """
    from dashboard import queries

    feats = features(level, store.path, prefixes=provinces if level == "kabupaten" else None)
    regions = pl.DataFrame(
        {"code": [x["code"] for x in feats], "region_name": [x["name"] for x in feats]},
        schema={"code": pl.String, "region_name": pl.String},
    )
    figs = queries.summary(store, f, level)
    if level == "kabupaten":
        if provinces:
            figs = figs.filter(pl.col("province_code").is_in(provinces))
    else:
        figs = figs.with_columns(pl.lit(False).alias("provincial_level"))
    # basis "reported": the rate among the agencies that reported (else over everyone
    # targeted, those that sent nothing counting as not signed); the reporting rate beside
    rate = pl.col("rate_reported") if basis == "reported" else pl.col("rate")
    figs = figs.select(
        "code",
        "name",
        "provincial_level",
        "target",
        "signed",
        "unsigned",
        rate.alias("rate"),
        "source",
        "agencies_targeted",
        "agencies_reported",
        (pl.col("agencies_reported") / pl.col("agencies_targeted")).alias("reporting_rate"),
    )
    out = regions.join(figs, on="code", how="full", coalesce=True).with_columns(
        pl.coalesce("name", "region_name").alias("name"),
        pl.col("provincial_level").fill_null(False),
    )
    return out.drop("region_name").sort("provincial_level", "code", descending=[True, False])


def region_map_data(
    store: Store,
    f: Filters,
    level: str,
    lang: str,
    provinces: tuple[str, ...] = (),
    basis: str = "targeted",
) -> tuple[list[dict[str, Any]], tuple[float, float, float, float] | None, pl.DataFrame]:
    """(polygon records with colours and tooltips, their bounds, the figures table)."""
    feats = features(level, store.path, prefixes=provinces if level == "kabupaten" else None)
    table = region_table(store, f, level, provinces, basis)
    polys = table.filter(~pl.col("provincial_level") & pl.col("target").is_not_null())
    props = region_properties(polys, lang, getattr(f, "measure", "pakta"))
    geo = choropleth_geojson(feats, props, lang)
    return polygon_records(geo), bounds_of(feats), table
