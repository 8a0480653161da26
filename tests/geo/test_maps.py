"""The pure map module: colour classes, tooltips, geometry, views, and the figures per region."""

from __future__ import annotations

import json
import math

import polars as pl
import pytest
import shapely
from independent_figures import agency_figures
from shapely.geometry import Point, shape

from dashboard.geo import maps
from dashboard.queries.filters import Filters
from dashboard.store.database import Store


def test_rate_classes_at_the_boundaries() -> None:
    df = pl.DataFrame({"r": [None, 0.0, 0.4999, 0.5, 0.6, 0.79, 0.8, 0.9, 0.9999, 1.0]})
    got = df.select(maps.rate_class(pl.col("r")).alias("c"))["c"].to_list()
    assert got == [None, 0, 0, 1, 2, 3, 4, 5, 5, 6]
    assert maps.class_color(None) == maps.NO_DATA
    assert maps.class_color(6) == (253, 231, 37)


def test_legend_is_localised_and_ends_with_no_data() -> None:
    id_legend = maps.legend("id")
    assert len(id_legend) == 8
    assert id_legend[0] == ("< 50\u00a0%", "#440154")
    assert id_legend[6] == ("100\u00a0%", "#fde725")
    assert id_legend[-1] == ("tidak ada data", "#c8c8c8")
    assert maps.legend("en")[-1] == ("no data", "#c8c8c8")


FIGS = pl.DataFrame(
    {
        "code": ["62", "17", "34"],
        "target": [2000, 53, 0],
        "signed": [1234, 48, 0],
        "rate": [0.617, 48 / 53, None],
        "source": ["demo", "laporan", None],
    }
)


def test_region_properties_tooltips_and_colours() -> None:
    p = maps.region_properties(FIGS, "id").to_dicts()
    assert p[0]["line1"] == "Sudah tanda tangan: 1.234 / 2.000"
    assert p[0]["line2"] == "Tingkat tanda tangan: 61,7\u00a0%"
    assert p[0]["line3"] == "Sumber angka: data contoh"
    assert p[0]["fill"] == [54, 92, 141, 220]
    assert p[1]["line2"] == "Tingkat tanda tangan: 90,6\u00a0%"
    assert p[1]["fill"] == [74, 194, 109, 220]
    assert p[2]["fill"] == [200, 200, 200, 220]
    en = maps.region_properties(FIGS, "en", measure="ikrar").to_dicts()
    assert en[0]["line1"] == "Pledged: 1,234 / 2,000"
    assert en[1]["line3"] == "Figure source: report"


def test_geojson_escapes_names_and_greys_regions_without_figures() -> None:
    feats = [
        {"code": "62", "name": "Kalimantan <Tengah>", "geometry": {}, "bounds": (0, 0, 1, 1)},
        {"code": "99", "name": "Nowhere", "geometry": {}, "bounds": (0, 0, 1, 1)},
    ]
    geo = maps.choropleth_geojson(feats, maps.region_properties(FIGS, "id"), "id")
    first, second = geo["features"]
    assert first["properties"]["name"] == "Kalimantan &lt;Tengah&gt;"
    assert second["properties"]["fill"] == [200, 200, 200, 200]
    assert second["properties"]["line1"] == "tidak ada data"


def test_features_are_simplified_filtered_and_small() -> None:
    provinces = maps.features("provinsi")
    assert len(provinces) == 38
    assert len(json.dumps([f["geometry"] for f in provinces])) < 250_000
    kalteng = maps.features("kabupaten", prefixes=("62",))
    assert sorted(f["code"] for f in kalteng) == [f"62{i:02d}" for i in range(1, 14)] + ["6271"]
    # coordinates rounded to the 0.001 degree grid
    ring = kalteng[0]["geometry"]["coordinates"][0]
    ring = ring[0] if kalteng[0]["geometry"]["type"] == "MultiPolygon" else ring
    assert all(round(x, 3) == x for x, _ in ring)


def test_view_fits_the_bounds() -> None:
    assert maps.view_for(None) == maps.NATIONAL_VIEW
    bounds = maps.bounds_of(maps.features("kabupaten", prefixes=("62",)))
    assert bounds is not None
    view = maps.view_for(bounds, 900, 520)
    assert bounds[0] < view["longitude"] < bounds[2]
    assert bounds[1] < view["latitude"] < bounds[3]
    assert 5.5 < view["zoom"] < 7.5
    national = maps.view_for(maps.bounds_of(maps.features("provinsi")), 900, 520)
    assert 3.0 < national["zoom"] < 4.5


def test_polygon_records_flatten_multipolygons() -> None:
    square = [[[0, 0], [1, 0], [1, 1], [0, 0]]]
    geo = {
        "features": [
            {
                "geometry": {"type": "MultiPolygon", "coordinates": [square, square]},
                "properties": {"code": "62", "name": "A", "fill": [1, 2, 3, 4], "rate": 0.5},
            },
            {
                "geometry": {"type": "Polygon", "coordinates": square},
                "properties": {"code": "17", "name": "B", "fill": [5, 6, 7, 8], "rate": None},
            },
        ]
    }
    recs = maps.polygon_records(geo)
    assert [r["code"] for r in recs] == ["62", "62", "17"]
    assert recs[0]["polygon"] == square
    assert "rate" not in recs[0]
    assert len(maps.border_paths(recs)) == 3


def test_deck_is_offline_compact_and_has_layer_ids() -> None:
    recs = [{"polygon": [[[0, 0], [1, 0], [1, 1], [0, 0]]], "code": "62", "fill": [1, 2, 3]}]
    deck = maps.deck(
        recs,
        maps.NATIONAL_VIEW,
        borders=maps.border_paths(recs),
        points=[{"lon": 113.9, "lat": -2.2, "radius": 5000, "name": "x"}],
    )
    text = deck.to_json()
    assert "\n" not in text  # no indentation: a national map stays a few hundred kB
    spec = json.loads(text)
    layers = {layer["id"]: layer["@@type"] for layer in spec["layers"]}
    # a primitive layer: Streamlit keys the click selection by the picked layer's id
    assert layers == {
        "regions": "SolidPolygonLayer",
        "borders": "PathLayer",
        "events": "ScatterplotLayer",
    }
    assert spec.get("mapProvider") in (None, "")
    # pydeck's sentinel: Streamlit's frontend drops it and draws no basemap; an absent or
    # empty mapStyle would make it fetch a Carto style from the internet instead
    assert spec["mapStyle"] == "__MAP_STYLE__"


def test_selected_code_reads_the_selection() -> None:
    sel = {"objects": {"regions": [{"code": "62", "polygon": []}]}, "indices": {"regions": [3]}}
    assert maps.selected_code(sel) == "62"
    geojson_sel = {"objects": {"regions": [{"properties": {"code": "17"}}]}}
    assert maps.selected_code(geojson_sel) == "17"
    assert maps.selected_code({"objects": {"events": [{"name": "x"}]}}) is None
    assert maps.selected_code(None) is None


def test_svg_map_has_a_path_per_region_with_its_colour() -> None:
    feats = maps.features("provinsi")
    props = maps.region_properties(FIGS, "id")
    svg = maps.svg_map(feats, props, title="Tingkat <tanda tangan>")
    assert svg.count("<path ") == 38
    assert 'fill="#365c8d"' in svg  # Kalteng at 61.7 %
    assert 'aria-label="Tingkat &lt;tanda tangan&gt;"' in svg
    assert "<script" not in svg


def test_region_table_matches_raw_rows(demo_store: Store) -> None:
    raw = agency_figures(demo_store)
    table = maps.region_table(demo_store, Filters(), "provinsi")
    assert table.height == 38
    by_prov = raw.group_by("province_code").agg(pl.col("target").sum(), pl.col("done").sum())
    joined = table.join(by_prov, left_on="code", right_on="province_code", how="left")
    assert (joined["target"] == joined["target_right"]).all()
    assert (joined["signed"] == joined["done"]).all()
    # Bengkulu carries the Mukomuko report (48 of 53) next to its demo rosters
    bengkulu = table.filter(pl.col("code") == "17").row(0, named=True)
    assert "laporan" in bengkulu["source"]


def test_regency_table_has_a_provincial_level_row(demo_store: Store) -> None:
    raw = agency_figures(demo_store).filter(pl.col("province_code") == "62")
    table = maps.region_table(demo_store, Filters(provinces=("62",)), "kabupaten", ("62",))
    assert table.height == 15  # 14 regencies/cities + the provincial-level row
    prov_row = table.filter(pl.col("provincial_level")).row(0, named=True)
    provincial = raw.filter(pl.col("regency_code").is_null())
    assert prov_row["code"] == "62"
    assert prov_row["target"] == provincial["target"].sum()
    assert prov_row["signed"] == provincial["done"].sum()
    kapuas = table.filter(pl.col("code") == "6203").row(0, named=True)
    assert kapuas["target"] == raw.filter(pl.col("regency_code") == "6203")["target"].sum()
    polygons, bounds, _ = maps.region_map_data(
        demo_store, Filters(provinces=("62",)), "kabupaten", "id", ("62",)
    )
    # the provincial-level row has no polygon
    assert sorted({p["code"] for p in polygons}) == [f"62{i:02d}" for i in range(1, 14)] + ["6271"]
    assert bounds is not None


@pytest.mark.parametrize("width", [340, 700, 1100, 1800])
@pytest.mark.parametrize("prefixes", [None, ("62",), ("91", "94")])
def test_fitted_view_keeps_the_whole_area_inside_the_padding(width, prefixes) -> None:
    level = "provinsi" if prefixes is None else "kabupaten"
    bounds = maps.bounds_of(maps.features(level, prefixes=prefixes))
    assert bounds is not None
    height = maps.fitted_height(bounds, width)
    view = maps.view_for(bounds, width, height, padding=16)
    # project the corners as deck.gl does (Web Mercator, 512-px world at zoom 0)
    world = 512 * 2 ** view["zoom"]

    def px(lon: float, lat: float) -> tuple[float, float]:
        y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
        cy = math.log(math.tan(math.pi / 4 + math.radians(view["latitude"]) / 2))
        return (
            width / 2 + (lon - view["longitude"]) / 360 * world,
            height / 2 - (y - cy) / (2 * math.pi) * world,
        )

    left, top = px(bounds[0], bounds[3])
    right, bottom = px(bounds[2], bounds[1])
    assert left >= 15.5 and right <= width - 15.5
    assert top >= 15.5 and bottom <= height - 15.5
    # and it uses the room: the tighter side is (nearly) filled
    assert right - left >= width - 40 or bottom - top >= height - 40


def test_a_tall_province_on_a_wide_screen_still_spans_half_the_width() -> None:
    bounds = maps.bounds_of(maps.features("kabupaten", prefixes=("62",)))
    assert bounds is not None
    for width in (360, 700, 1460, 1800):
        height = maps.fitted_height(bounds, width, highest=560)
        view = maps.view_for(bounds, width, height)
        world = 512 * 2 ** view["zoom"]
        drawn = (bounds[2] - bounds[0]) / 360 * world
        assert drawn >= 0.5 * width, (width, height, drawn)
    # the national map is wide: its height stays under the limit
    national = maps.bounds_of(maps.features("provinsi"))
    assert maps.fitted_height(national, 1800, highest=560) <= 560


def test_a_click_on_an_event_dot_selects_its_region() -> None:
    dot = {"objects": {maps.LAYER_EVENTS: [{"code": "6203", "name": "Kapuas"}]}}
    assert maps.selected_code(dot) == "6203"
    region = {"objects": {maps.LAYER_REGIONS: [{"code": "62"}], maps.LAYER_EVENTS: [{}]}}
    assert maps.selected_code(region) == "62"
    assert maps.selected_code({"objects": {}}) is None


def test_split_small_keeps_every_regions_largest_part_pickable() -> None:
    big = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
    speck = [[[5, 5], [5.01, 5], [5.01, 5.01], [5, 5]]]
    recs = [
        {"polygon": big, "code": "62", "name": "A", "fill": [1, 2, 3, 4]},
        {"polygon": speck, "code": "62", "name": "A", "fill": [1, 2, 3, 4]},
        {"polygon": speck, "code": "17", "name": "B", "fill": [5, 6, 7, 8]},
    ]
    keep, small = maps.split_small(recs, 0.02)
    assert [(r["code"], r["polygon"]) for r in keep] == [("62", big), ("17", speck)]
    assert small == [{"polygon": speck, "fill": [1, 2, 3, 4]}]
    assert maps.split_small(recs, 0.0) == (recs, [])


def test_inner_borders_lie_between_two_regions() -> None:
    feats = maps.features("kabupaten", prefixes=("62",))
    borders = maps.inner_borders("kabupaten", prefixes=("62",))
    assert borders and all(len(b["path"]) >= 2 for b in borders)
    outlines = [shape(f["geometry"]).boundary for f in feats]
    for b in borders:
        x, y = b["path"][len(b["path"]) // 2]
        near = sum(o.distance(Point(x, y)) < 1e-3 for o in outlines)
        assert near >= 2  # shared by two regencies: never a coast or the view's outline
    # far fewer points than drawing every ring again
    rings = sum(len(shapely.get_coordinates(o)) for o in outlines)
    assert sum(len(b["path"]) for b in borders) < rings
