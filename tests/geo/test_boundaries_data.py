"""The shipped approximate boundaries: complete, small, and where the villages are."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import shapely
from shapely.geometry import shape

from dashboard.domain import regions

DATA = Path(__file__).resolve().parents[2] / "data"


def _features(level: str) -> dict[str, object]:
    doc = json.loads((DATA / "boundaries" / f"{level}.geojson").read_text(encoding="utf-8"))
    assert doc["metadata"]["approximate"] is True
    return {f["properties"]["code"]: shape(f["geometry"]) for f in doc["features"]}


@pytest.mark.parametrize("level", ["kabupaten", "provinsi"])
def test_every_region_has_a_polygon_and_file_is_small(level: str) -> None:
    geoms = _features(level)
    expected = (regions.regencies() if level == "kabupaten" else regions.provinces())["code"]
    assert set(geoms) == set(expected.to_list())
    assert len(geoms) == (514 if level == "kabupaten" else 38)
    assert all(not g.is_empty for g in geoms.values())
    assert (DATA / "boundaries" / f"{level}.geojson").stat().st_size <= 3 * 1024 * 1024


def test_villages_fall_inside_their_own_regency() -> None:
    geoms = _features("kabupaten")
    villages = pl.read_parquet(DATA / "villages.parquet")
    assert villages.height > 80_000
    codes = list(geoms)
    tree = shapely.STRtree([geoms[c] for c in codes])
    pts = shapely.points(villages["lon"].to_numpy(), villages["lat"].to_numpy())
    pairs = tree.query(pts, predicate="within")
    own = np.array(villages["regency_code"].to_list(), dtype=object)
    hit_codes = np.array(codes, dtype=object)[pairs[1]]
    inside = np.zeros(villages.height, dtype=bool)
    inside[pairs[0][hit_codes == own[pairs[0]]]] = True
    assert inside.mean() >= 0.999
