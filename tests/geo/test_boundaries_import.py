"""``netralitas boundaries import``: BIG-like official files matched to Kemendagri regions.

The "official" files are built here from the shipped derived polygons, shifted east by
``SHIFT`` degrees so an imported polygon can be told apart from a derived one, and dressed
the way BIG's files are: bare names for kabupaten, "Kota X" for cities, BIG's spellings,
pre-2022 Papua codes, shuffled order.
"""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import shapefile
import shapely
from cli_inprocess import Completed, invoke
from shapely.geometry import mapping, shape

from dashboard.domain import regions
from dashboard.geo import boundaries

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / ".venv" / "bin" / "netralitas"
SHIFT = 0.05
# Kemendagri name -> how BIG spells it (bare names: a bare name means the kabupaten)
BIG_SPELLINGS = {
    "Kabupaten Mukomuko": "Muko Muko",
    "Kota Parepare": "Kota Pare Pare",
    "Kabupaten Toli-Toli": "Toli Toli",
    "Kabupaten Pangkajene dan Kepulauan": "Pangkajene Kepulauan",
}
# current code -> pre-split code, written independently of the module's table
PRE_SPLIT = {"9301": "9101", "9501": "9102", "9404": "9109", "9601": "9201", "9671": "9271"}
DROPPED = ("1706", "6271", "9404")  # Mukomuko, Palangka Raya, Mimika (a pre-split one)


def _derived(level: str) -> dict[str, dict[str, Any]]:
    doc = json.loads((boundaries.DATA_BOUNDARIES / f"{level}.geojson").read_text("utf-8"))
    return {f["properties"]["code"]: f for f in doc["features"]}


def _shifted(geometry: dict[str, Any]) -> dict[str, Any]:
    geom = shapely.transform(shape(geometry), lambda xy: xy + [SHIFT, 0.0])
    return mapping(geom)


def _big_name(name: str) -> str:
    if name in BIG_SPELLINGS:
        return BIG_SPELLINGS[name]
    return name.removeprefix("Kabupaten ")


def _big_features(drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Regency features with BIG-like properties, shuffled."""
    provinces = dict(zip(*regions.provinces().select("code", "name"), strict=True))
    feats = []
    for code, feat in _derived("kabupaten").items():
        if code in drop:
            continue
        old = PRE_SPLIT.get(code, code)
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "NAMOBJ": _big_name(feat["properties"]["name"]),
                    "KDPKAB": f"{old[:2]}.{old[2:]}",
                    "WADMPR": provinces[old[:2]],
                    "LUASWH": 1.5,
                },
                "geometry": _shifted(feat["geometry"]),
            }
        )
    random.Random(7).shuffle(feats)
    return feats


def _write_geojson(path: Path, feats: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), "utf-8")
    return path


def _write_zipped_shapefile(path: Path, feats: list[dict[str, Any]]) -> Path:
    stem = path.with_suffix("")
    with shapefile.Writer(stem, shapeType=shapefile.POLYGON) as w:
        w.field("NAMOBJ", "C", size=80)
        w.field("KDPKAB", "C", size=8)
        w.field("WADMPR", "C", size=60)
        for f in feats:
            w.shape(f["geometry"])
            p = f["properties"]
            w.record(p["NAMOBJ"], p["KDPKAB"], p["WADMPR"])
    with zipfile.ZipFile(path, "w") as zf:
        for ext in (".shp", ".shx", ".dbf"):
            zf.write(stem.with_suffix(ext), f"ADMINISTRASIKABUPATEN_AR{ext}")
    return path


@pytest.fixture(scope="module")
def big_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("big")
    full = _big_features()
    partial = _big_features(drop=DROPPED)
    bogus = {
        "type": "Feature",
        "properties": {"NAMOBJ": "Antah Berantah", "KDPKAB": "99.99", "WADMPR": "Entah"},
        "geometry": mapping(shapely.box(120.0, -5.0, 120.1, -4.9)),
    }
    return {
        "full": _write_geojson(d / "kab_full.geojson", [*full, bogus]),
        "partial": _write_geojson(d / "kab_partial.geojson", partial),
        "shp": _write_zipped_shapefile(d / "kab.zip", full),
        "shp_partial": _write_zipped_shapefile(d / "kab_partial.zip", partial),
    }


def _cli(*args: str | Path) -> Completed:
    return invoke("boundaries", "import", *map(str, args))


def _imported(level: str, store_path: Path) -> dict[str, Any]:
    return {f["properties"]["code"]: f for f in boundaries.geojson(level, store_path)["features"]}


def _distance(a: dict[str, Any], b: dict[str, Any]) -> float:
    return shapely.hausdorff_distance(shape(a["geometry"]), shape(b["geometry"]))


def test_pre_split_codes_map_to_the_new_papua_provinces() -> None:
    mapping_ = boundaries.pre_split_codes()
    assert len(mapping_) == 26
    assert {c[:2] for c in mapping_.values()} == {"93", "94", "95", "96"}
    for new, old in PRE_SPLIT.items():
        assert mapping_[old] == new
    # every regency of the new provinces has exactly one pre-split code
    new_codes = regions.regencies().filter(pl.col("province_code") >= "93")["code"]
    assert sorted(mapping_.values()) == sorted(new_codes.to_list())


def test_geojson_full_import_via_cli_json(big_files: dict[str, Path], tmp_path: Path) -> None:
    store_path = tmp_path / "s.duckdb"
    proc = _cli(big_files["full"], "--level", "kabupaten", "--store", store_path, "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)  # stdout is exactly one JSON document
    assert doc["matched"] == 514
    assert doc["regions_without_polygon"] == []
    assert [(f["code"], f["name"], f["reason"]) for f in doc["unmatched_features"]] == [
        ("9999", "Antah Berantah", "no_match")
    ]
    out = boundaries.official_path(store_path, "kabupaten")
    assert out.stat().st_size < 3 * 1024 * 1024
    written = boundaries.geojson("kabupaten", store_path)
    assert written["metadata"]["approximate"] is False
    assert written["metadata"]["source"] == "kab_full.geojson"
    assert "imported_at" in written["metadata"]
    assert not boundaries.is_approximate("kabupaten", store_path)

    derived, imported = _derived("kabupaten"), _imported("kabupaten", store_path)
    assert set(imported) == set(derived)
    # the BIG spellings and the pre-split Papua codes landed on the right regions:
    # each imported polygon is the shifted derived one, not the derived one itself
    for code in ["1706", "7372", "7204", "7310", "3204", "3273", *PRE_SPLIT]:
        shifted = {"geometry": _shifted(derived[code]["geometry"])}
        assert _distance(imported[code], shifted) < 0.01, code
        assert _distance(imported[code], derived[code]) > SHIFT * 0.8, code
        assert imported[code]["properties"]["name"] == regions.region_name(code)


def test_name_field_with_province_field(big_files: dict[str, Path], tmp_path: Path) -> None:
    store_path = tmp_path / "s.duckdb"
    report = boundaries.import_file(
        big_files["full"],
        "kabupaten",
        store_path,
        name_field="NAMOBJ",
        province_field="WADMPR",
    )
    assert report.matched == 514
    assert report.fields == {"code": None, "name": "NAMOBJ", "province": "WADMPR"}
    assert [f["name"] for f in report.unmatched_features] == ["Antah Berantah"]
    assert report.written == boundaries.official_path(store_path, "kabupaten")


def test_code_and_name_disagree_name_trusted_only_when_exact(tmp_path: Path) -> None:
    feats = _big_features()
    by_name = {f["properties"]["NAMOBJ"]: f for f in feats}
    by_name["Muko Muko"]["properties"]["KDPKAB"] = "17.05"  # code of Kab. Seluma: wrong
    by_name["Gunungkidul"]["properties"]["KDPKAB"] = "34.01"  # Kulon Progo's code
    by_name["Gunungkidul"]["properties"]["NAMOBJ"] = "Gnung Kdl"  # and a mangled name
    path = _write_geojson(tmp_path / "conflict.geojson", feats)
    report = boundaries.import_file(
        path, "kabupaten", tmp_path / "s.duckdb", code_field="KDPKAB", name_field="NAMOBJ"
    )
    notes = {(n["file_code"], n["note"]): n["code"] for n in report.notes}
    assert notes[("1705", "code_name_conflict_name_trusted")] == "1706"
    assert ("3401", "code_name_conflict_name_trusted") not in notes
    # Mukomuko is matched (by its exact name); Gunungkidul's polygon went nowhere trusted:
    # its wrong code collides with the real Kulon Progo feature and loses as the weaker match
    assert report.matched == 513
    assert [r["code"] for r in report.regions_without_polygon] == ["3403"]
    assert report.refused and report.written is None


def test_partial_refused_then_allowed(big_files: dict[str, Path], tmp_path: Path) -> None:
    store_path = tmp_path / "s.duckdb"
    proc = _cli(big_files["partial"], "--level", "kabupaten", "--store", store_path, "--json")
    assert proc.returncode == 1, proc.stderr
    assert "Refused" in proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["matched"] == 514 - len(DROPPED)
    assert [r["code"] for r in doc["regions_without_polygon"]] == sorted(DROPPED)
    assert not boundaries.official_path(store_path, "kabupaten").exists()
    assert boundaries.is_approximate("kabupaten", store_path)  # still the shipped file

    proc = _cli(
        big_files["partial"],
        "--level",
        "kabupaten",
        "--store",
        store_path,
        "--allow-partial",
        "--json",
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["matched"] == 514 - len(DROPPED)
    written = boundaries.geojson("kabupaten", store_path)
    meta = written["metadata"]["approximate"]
    assert meta["partial"] is True and sorted(meta["derived"]) == sorted(DROPPED)
    assert boundaries.is_approximate("kabupaten", store_path)  # the notice stays on
    derived, imported = _derived("kabupaten"), _imported("kabupaten", store_path)
    assert set(imported) == set(derived)
    for code in DROPPED:  # the rest keep the derived polygons
        assert _distance(imported[code], derived[code]) < 1e-9
        assert imported[code]["properties"]["approximate"] is True
    for code in ("1705", "6201", "9301"):
        assert _distance(imported[code], derived[code]) > SHIFT * 0.8
        assert imported[code]["properties"]["approximate"] is False


def test_zipped_shapefile(big_files: dict[str, Path], tmp_path: Path) -> None:
    store_path = tmp_path / "s.duckdb"
    report = boundaries.import_file(big_files["shp"], "kabupaten", store_path)
    assert report.matched == 514
    assert report.unmatched_features == []
    assert report.fields["code"] == "KDPKAB" and report.fields["name"] == "NAMOBJ"
    pre_split_notes = {n["file_code"]: n["code"] for n in report.notes}
    assert pre_split_notes == {old: new for new, old in PRE_SPLIT.items()}
    imported = _imported("kabupaten", store_path)
    derived = _derived("kabupaten")
    assert _distance(imported["9404"], {"geometry": _shifted(derived["9404"]["geometry"])}) < 0.01

    partial = boundaries.import_file(big_files["shp_partial"], "kabupaten", tmp_path / "p.duckdb")
    assert partial.refused and partial.matched == 514 - len(DROPPED)


def test_province_level(tmp_path: Path) -> None:
    spelled = {"31": "DKI Jakarta", "34": "DI Yogyakarta", "19": "Bangka Belitung"}
    feats = [
        {
            "type": "Feature",
            "properties": {"PROVINSI": spelled.get(code, f["properties"]["name"].upper())},
            "geometry": _shifted(f["geometry"]),
        }
        for code, f in _derived("provinsi").items()
    ]
    path = _write_geojson(tmp_path / "prov.geojson", feats[::-1])
    store_path = tmp_path / "s.duckdb"
    report = boundaries.import_file(path, "provinsi", store_path, name_field="PROVINSI")
    assert report.matched == 38 and not report.refused
    assert not boundaries.is_approximate("provinsi", store_path)
    assert boundaries.is_approximate("kabupaten", store_path)  # other level untouched


def test_unreadable_files_exit_2(tmp_path: Path) -> None:
    garbage = tmp_path / "x.geojson"
    garbage.write_text("not json at all", "utf-8")
    empty_zip = tmp_path / "x.zip"
    with zipfile.ZipFile(empty_zip, "w") as zf:
        zf.writestr("readme.txt", "no shapefile here")
    projected = _write_geojson(
        tmp_path / "utm.geojson",
        [
            {
                "type": "Feature",
                "properties": {"NAMOBJ": "Merauke"},
                "geometry": mapping(shapely.box(500000, 9000000, 510000, 9010000)),
            }
        ],
    )
    for path in (garbage, empty_zip, projected, tmp_path / "missing.geojson"):
        proc = _cli(path, "--level", "kabupaten", "--store", tmp_path / "s.duckdb", "--json")
        assert proc.returncode == 2, (path, proc.stderr)
        assert proc.stdout == ""
        assert "Error:" in proc.stderr
    assert not boundaries.official_path(tmp_path / "s.duckdb", "kabupaten").exists()


def _bow_tie(ring: list[list[float]]) -> list[list[float]]:
    """Swap two neighbouring vertices in the middle of a ring: it now crosses itself."""
    out = [list(p) for p in ring]
    mid = len(out) // 2
    out[mid], out[mid + 1] = out[mid + 1], out[mid]
    return out


def _big_provinces(bow_tie: str) -> list[dict[str, Any]]:
    """BIG-style province features (code KDPPUM, name WADMPR), one with an invalid ring."""
    feats = []
    for code, f in _derived("provinsi").items():
        geom = _shifted(f["geometry"])
        if code == bow_tie:
            polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
            biggest = max(range(len(polys)), key=lambda i: len(polys[i][0]))
            polys = [list(map(list, p)) for p in polys]
            polys[biggest][0] = _bow_tie(polys[biggest][0])
            geom = {"type": "MultiPolygon", "coordinates": polys}
        feats.append(
            {
                "type": "Feature",
                "properties": {"KDPPUM": code, "WADMPR": f["properties"]["name"].upper()},
                "geometry": geom,
            }
        )
    return feats


def test_invalid_ring_is_repaired_and_all_38_provinces_import(tmp_path: Path) -> None:
    feats = _big_provinces(bow_tie="17")
    bad = next(f for f in feats if f["properties"]["KDPPUM"] == "17")
    assert not shape(bad["geometry"]).is_valid  # the file really holds an invalid ring
    path = _write_geojson(tmp_path / "prov_big.geojson", feats)
    store_path = tmp_path / "s.duckdb"
    proc = _cli(path, "--level", "provinsi", "--store", store_path, "--json")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    assert (doc["matched"], doc["regions_without_polygon"], doc["repaired"]) == (38, [], 1)
    fixed = doc["repaired_features"][0]
    assert fixed["label"] == "17, BENGKULU" and fixed["kept_area"] is True
    assert "Self-intersection" in fixed["reason"]
    assert "Repaired invalid geometries: 1" in proc.stderr
    imported = _imported("provinsi", store_path)
    assert len(imported) == 38
    assert all(shape(f["geometry"]).is_valid for f in imported.values())
    # the repaired province is still Bengkulu's shifted outline, not something else
    shifted = {"geometry": _shifted(_derived("provinsi")["17"]["geometry"])}
    assert _distance(imported["17"], shifted) < 0.05


def test_a_geometry_that_cannot_be_read_is_named_exit_2(tmp_path: Path) -> None:
    feats = _big_provinces(bow_tie="")
    feats[3]["geometry"] = {"type": "Polygon", "coordinates": [[[1, 2], ["x", None]]]}
    path = _write_geojson(tmp_path / "broken.geojson", feats)
    proc = _cli(path, "--level", "provinsi", "--store", tmp_path / "s.duckdb")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    code = feats[3]["properties"]["KDPPUM"]
    assert f"feature 3 ({code}," in proc.stderr and "invalid geometry" in proc.stderr
