"""Region polygons for the maps: the shipped approximate ones, or an imported official file.

The derived polygons in ``data/boundaries/`` are approximate (inland borders
estimated from village locations). An administrator can replace them with an
official file (``netralitas boundaries import``); the replacement is kept next
to the store, in ``<store dir>/boundaries/<level>.geojson``, and wins when present.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import io
import json
import os
import tempfile
import zipfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import shapefile
import shapely
import shapely.errors
from shapely.geometry import mapping, shape

DATA_BOUNDARIES = Path(__file__).resolve().parents[2] / "data" / "boundaries"
LEVELS = ("provinsi", "kabupaten")
INFLATE_PIECE = 1 << 20  # a zipped member is unpacked to disk this much at a time


def official_path(store_path: Path, level: str) -> Path:
    return store_path.parent / "boundaries" / f"{level}.geojson"


def boundary_path(level: str, store_path: Path | None = None) -> Path:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    if store_path is not None and official_path(store_path, level).exists():
        return official_path(store_path, level)
    return DATA_BOUNDARIES / f"{level}.geojson"


@functools.cache
def _read(path: Path, mtime_ns: int) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def geojson(level: str, store_path: Path | None = None) -> dict[str, Any]:
    """The FeatureCollection for ``level``; features carry ``properties.code`` and ``.name``."""
    path = boundary_path(level, store_path)
    return _read(path, path.stat().st_mtime_ns)


def is_approximate(level: str, store_path: Path | None = None) -> bool:
    return bool(geojson(level, store_path).get("metadata", {}).get("approximate", True))


# --- import of an official boundary file (``netralitas boundaries import``) -----------------

# Kemendagri codes from before the 2022 Papua split, for regencies that moved to the new
# provinces 93-96. Kept as names, not codes: the current code is derived by resolving the
# name through the alias table, so this list cannot drift from ``data/regions.csv``.
PRE_SPLIT_NAMES: dict[str, str] = {
    "9101": "Merauke",
    "9102": "Jayawijaya",
    "9104": "Nabire",
    "9107": "Puncak Jaya",
    "9108": "Paniai",
    "9109": "Mimika",
    "9112": "Pegunungan Bintang",
    "9113": "Yahukimo",
    "9114": "Tolikara",
    "9116": "Boven Digoel",
    "9117": "Mappi",
    "9118": "Asmat",
    "9121": "Mamberamo Tengah",
    "9122": "Yalimo",
    "9123": "Lanny Jaya",
    "9124": "Nduga",
    "9125": "Puncak",
    "9126": "Dogiyai",
    "9127": "Intan Jaya",
    "9128": "Deiyai",
    "9201": "Sorong",
    "9204": "Sorong Selatan",
    "9205": "Raja Ampat",
    "9209": "Tambrauw",
    "9210": "Maybrat",
    "9271": "Kota Sorong",
}
MAX_BYTES = 3 * 1024 * 1024
SIMPLIFY_START = 0.002  # degrees (~200 m): finer than the derived polygons, still small
ROUND_DECIMALS = 4  # ~11 m
# Indonesia with a generous margin: anything outside is not lon/lat (or not Indonesia).
_LONLAT_BOUNDS = (90.0, -15.0, 145.0, 10.0)
_CODE_LEN = {"provinsi": 2, "kabupaten": 4}


class BoundaryFileError(ValueError):
    """The file cannot be read as boundaries (message is safe to show)."""


@dataclass
class ImportReport:
    """What an import matched, what it could not, and whether it wrote anything."""

    level: str
    source: str
    features: int
    matched: int
    unmatched_features: list[dict[str, Any]]
    regions_without_polygon: list[dict[str, str]]
    notes: list[dict[str, Any]]
    fields: dict[str, str | None]
    written: Path | None = None
    refused: bool = False
    # features whose geometry was invalid (a self-intersecting ring) and was repaired
    repaired: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The ``--json`` document."""
        return {
            "matched": self.matched,
            "unmatched_features": self.unmatched_features,
            "regions_without_polygon": self.regions_without_polygon,
            "repaired": len(self.repaired),
            "repaired_features": self.repaired,
        }


@functools.cache
def pre_split_codes() -> dict[str, str]:
    """Pre-split Papua code -> current code, derived from the regency names."""
    from dashboard.domain import regions

    old = list(PRE_SPLIT_NAMES)
    res = regions.resolve_many(pl.Series([PRE_SPLIT_NAMES[c] for c in old]), "kabupaten")
    if not res["method"].eq("exact").all():  # a broken alias table must not guess silently
        raise RuntimeError("pre-split Papua names no longer resolve exactly")
    return dict(zip(old, res["code"].to_list(), strict=True))


ZIP_MESSAGES = {
    "archive_too_large": (
        "the zip unpacks to {value} MB (limit {detail} MB, or it is compressed implausibly "
        "well); raise NETRALITAS_MAX_INFLATED_MB / NETRALITAS_MAX_ZIP_RATIO for a larger file"
    ),
    "archive_too_many_entries": (
        "the zip holds {value} files (limit {detail}, NETRALITAS_MAX_ZIP_ENTRIES)"
    ),
}


def check_zip(data: bytes, name: str) -> None:
    """Refuse a zip whose directory (or whose members, inflated in pieces and dropped)
    passes the roster's archive limits, before anything is unpacked: a small zip can hold
    a shapefile of gigabytes. The limits and the check are the roster's
    (:func:`dashboard.ingest.reading.check_archive`)."""
    from dashboard.ingest.reading import XLSX_MAGIC, UnreadableFile, check_archive

    if not data.startswith(XLSX_MAGIC):  # data before the first member: not a plain zip
        raise BoundaryFileError(f"{name}: not a plain zip file")
    try:
        check_archive(data)
    except UnreadableFile as exc:
        template = ZIP_MESSAGES.get(exc.code, "the zip cannot be read ({reason})")
        detail = {"value": "?", "detail": "?", "reason": exc.code, **exc.detail}
        raise BoundaryFileError(f"{name}: {template.format(**detail)}") from exc


def _zip_shapefile(data: bytes, name: str, workdir: Path) -> tuple[list[dict[str, Any]], list[Any]]:
    check_zip(data, name)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {Path(m).name.lower(): m for m in zf.namelist() if not m.endswith("/")}
        shps = sorted(
            (m for low, m in members.items() if low.endswith(".shp")),
            key=lambda m: zf.getinfo(m).file_size,
            reverse=True,
        )
        if not shps:
            raise BoundaryFileError(f"{name}: the zip holds no .shp file")
        stem = Path(shps[0]).name[:-4].lower()

        def part(ext: str) -> Path | None:
            """The member unpacked to a file in pieces (never whole in memory)."""
            member = members.get(stem + ext)
            if not member:
                return None
            out = workdir / f"part{ext}"
            with zf.open(member) as src, out.open("wb") as dst:
                while piece := src.read(INFLATE_PIECE):
                    dst.write(piece)
            return out

        cpg = part(".cpg")
        encoding = cpg.read_bytes()[:64].decode("ascii", "replace").strip() if cpg else ""
        dbf = part(".dbf")
        if not dbf:
            raise BoundaryFileError(f"{name}: the shapefile has no .dbf attribute table")
        shp, shx = part(".shp"), part(".shx")
        with ExitStack() as files:
            reader = shapefile.Reader(
                shp=files.enter_context(shp.open("rb")) if shp else None,
                shx=files.enter_context(shx.open("rb")) if shx else None,
                dbf=files.enter_context(dbf.open("rb")),
                encoding=_codec(encoding),
                encodingErrors="replace",
            )
            return _shapefile_records(reader)


def _codec(cpg: str) -> str:
    """The .cpg names the dbf's code page; BIG's files are usually UTF-8 or Latin-1."""
    text = cpg.strip().lower()
    if not text:
        return "utf-8"
    if text.isdigit():
        text = "cp" + text
    try:
        return codecs.lookup(text).name
    except LookupError:
        return "utf-8"


def _shapefile_records(reader: shapefile.Reader) -> tuple[list[dict[str, Any]], list[Any]]:
    with reader:
        props: list[dict[str, Any]] = []
        geoms: list[Any] = []
        for rec in reader.iterShapeRecords():  # one per feature: geometry is per feature
            props.append(rec.record.as_dict())
            gi = rec.shape.__geo_interface__
            geoms.append(shape(gi) if gi.get("coordinates") else None)
        return props, geoms


def read_features(path: Path) -> tuple[list[dict[str, Any]], list[Any]]:
    """Properties and shapely geometries of every feature of a GeoJSON or (zipped) Shapefile."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BoundaryFileError(f"{name}: cannot read the file ({exc.strerror})") from exc
    try:
        if zipfile.is_zipfile(io.BytesIO(data)):
            with tempfile.TemporaryDirectory(prefix="netralitas-boundary-") as tmp:
                return _zip_shapefile(data, name, Path(tmp))
        if path.suffix.lower() == ".shp":
            return _shapefile_records(shapefile.Reader(str(path), encodingErrors="replace"))
        doc = json.loads(data.decode("utf-8-sig"))
    except BoundaryFileError:
        raise
    except json.JSONDecodeError as exc:
        raise BoundaryFileError(
            f"{name}: neither a zipped Shapefile nor valid GeoJSON (line {exc.lineno})"
        ) from exc
    except Exception as exc:  # pyshp, zipfile, zlib and codecs each raise their own errors
        raise BoundaryFileError(
            f"{name}: not a readable shapefile or GeoJSON ({type(exc).__name__})"
        ) from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise BoundaryFileError(f"{name}: GeoJSON must be a FeatureCollection")
    features = doc.get("features") or []
    if not isinstance(features, list):
        raise BoundaryFileError(f"{name}: GeoJSON 'features' must be a list")
    props, geoms = [], []
    for i, feat in enumerate(features):
        if not isinstance(feat, dict):
            raise BoundaryFileError(f"{name}: feature {i} is not a GeoJSON Feature")
        raw_props = feat.get("properties") or {}
        if not isinstance(raw_props, dict):
            raise BoundaryFileError(f"{name}: feature {i} has properties that are not an object")
        try:
            geoms.append(shape(feat["geometry"]) if feat.get("geometry") else None)
        except Exception as exc:  # shapely raises many kinds for malformed coordinates
            raise BoundaryFileError(
                f"{name}: feature {i} ({_feature_label(raw_props)}) has an invalid geometry"
            ) from exc
        props.append(dict(raw_props))
    return props, geoms


def _feature_label(props: dict[str, Any]) -> str:
    """A few property values that let a person find the feature in a GIS tool."""
    values = [_as_text(v) for v in props.values() if isinstance(v, str | int | float)]
    return ", ".join(v for v in values[:3] if v) or "no properties"


def _polygonal(geom: Any) -> Any:
    """Only the polygonal parts of a geometry (make_valid may add lines and points)."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def repair_geometries(
    geoms: list[Any], props: list[dict[str, Any]]
) -> tuple[list[Any], list[dict[str, Any]]]:
    """Invalid polygons (self-intersecting rings, BIG's files have them) made valid with
    ``shapely.make_valid``, keeping only the polygonal parts; the repaired features listed.
    A geometry with no area left (a line, a point) becomes empty and goes unmatched."""
    out = list(geoms)
    repaired: list[dict[str, Any]] = []
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            out[i] = None
            continue
        if shapely.is_valid(geom):
            continue
        try:
            fixed = _polygonal(shapely.make_valid(geom))
        except shapely.errors.GEOSException:
            fixed = None
        out[i] = fixed
        repaired.append(
            {
                "feature": i,
                "label": _feature_label(props[i]),
                "reason": shapely.is_valid_reason(geom),
                "kept_area": fixed is not None,
            }
        )
    return out, repaired


def _property_frame(props: list[dict[str, Any]]) -> pl.DataFrame:
    """All properties as text columns (codes must never become numbers)."""
    fields = list(dict.fromkeys(k for p in props for k in p))
    columns = {f: [None if p.get(f) is None else _as_text(p[f]) for p in props] for f in fields}
    return pl.DataFrame(columns, schema={f: pl.String for f in fields})


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _code_expr(col: str) -> pl.Expr:
    """'91.01', '9101', ' 91 01 ' -> '9101'."""
    return pl.col(col).str.replace(r"\.0+$", "").str.replace_all(r"[^0-9]", "")


def _known_codes(level: str) -> set[str]:
    from dashboard.domain import regions

    frame = regions.provinces() if level == "provinsi" else regions.regencies()
    return set(frame["code"].to_list())


def _detect_fields(frame: pl.DataFrame, level: str) -> tuple[str | None, str | None]:
    """Best code-like and best name-like property, by how many values match exactly."""
    from dashboard.domain import regions

    if frame.width == 0 or frame.height == 0:
        return None, None
    codes = _known_codes(level) | (set(pre_split_codes()) if level == "kabupaten" else set())
    aliases = regions.load_aliases()
    aliases = aliases.filter(
        (pl.col("level") == "provinsi") if level == "provinsi" else (pl.col("level") != "provinsi")
    )
    alias_keys = aliases["alias"].unique().implode()
    code_hits = frame.select(
        _code_expr(c).is_in(list(codes)).sum().alias(c) for c in frame.columns
    ).row(0, named=True)
    name_hits = frame.select(
        (
            regions.normalise_expr(pl.col(c)).is_in(alias_keys)
            & ~pl.col(c).str.contains(r"^[0-9.\s]+$")
        )
        .sum()
        .alias(c)
        for c in frame.columns
    ).row(0, named=True)
    code_field = max(code_hits, key=lambda c: code_hits[c])
    name_field = max(name_hits, key=lambda c: name_hits[c])
    half = max(1, frame.height // 2)
    return (
        code_field if code_hits[code_field] >= half else None,
        name_field if name_hits[name_field] >= half else None,
    )


def _province_hint(frame: pl.DataFrame, province_field: str | None) -> pl.Series | None:
    """Province code per feature from a province field (name or code); 91/92 widen to '9'.

    Before the split a Papua regency sat in 91/92; widening to the '9' prefix lets
    matching look in the new provinces too.
    """
    from dashboard.domain import regions

    if province_field is None:
        return None
    values = frame[province_field]
    digits = frame.select(_code_expr(province_field).str.slice(0, 2)).to_series()
    named = regions.resolve_many(values, "provinsi")["code"]
    hint = pl.select(
        pl.when(digits.str.len_chars() == 2).then(digits).otherwise(named).alias("p")
    ).to_series()
    return hint.replace({"91": "9", "92": "9"})


def match_features(
    frame: pl.DataFrame,
    level: str,
    *,
    code_field: str | None,
    name_field: str | None,
    province_field: str | None,
) -> pl.DataFrame:
    """One row per feature: ``code`` (current Kemendagri code or null), ``rank``, ``reason``.

    A code is taken as it is when current, mapped when it is a pre-split Papua code; a name
    that disagrees with the code wins only when it resolves exactly (reported as a note).
    Without a code, the name decides (exact or fuzzy). ``rank`` orders the confidence:
    0 code and name agree / exact name, 1 code alone, 2 fuzzy name.
    """
    from dashboard.domain import regions

    n = frame.height
    kind = "provinsi" if level == "provinsi" else "kabupaten"
    known = list(_known_codes(level))
    mapped = pre_split_codes() if level == "kabupaten" else {}
    out = pl.DataFrame({"feature": pl.int_range(n, eager=True, dtype=pl.Int64)})
    if code_field:
        raw = frame.select(_code_expr(code_field).alias("raw")).to_series()
        code_col = pl.select(
            pl.when(raw.is_in(known))
            .then(raw)
            .otherwise(raw.replace_strict(mapped, default=None, return_dtype=pl.String))
            .alias("by_code")
        ).to_series()
        out = out.with_columns(
            raw.alias("raw_code"),
            code_col,
            (raw.is_in(list(mapped)) & code_col.is_not_null()).alias("pre_split"),
        )
    else:
        out = out.with_columns(
            pl.lit(None, pl.String).alias("raw_code"),
            pl.lit(None, pl.String).alias("by_code"),
            pl.lit(False).alias("pre_split"),
        )
    if name_field:
        res = regions.resolve_many(frame[name_field], kind, _province_hint(frame, province_field))
        out = out.with_columns(
            frame[name_field].alias("raw_name"),
            res["code"].alias("by_name"),
            res["method"].alias("name_method"),
            res["score"].alias("name_score"),
            res["suggestions"].alias("suggestions"),
        )
    else:
        out = out.with_columns(
            pl.lit(None, pl.String).alias("raw_name"),
            pl.lit(None, pl.String).alias("by_name"),
            pl.lit("none").alias("name_method"),
            pl.lit(None, pl.Float64).alias("name_score"),
            pl.lit(None, pl.List(pl.String)).alias("suggestions"),
        )
    has_code, has_name = pl.col("by_code").is_not_null(), pl.col("by_name").is_not_null()
    exact = pl.col("name_method") == "exact"
    agree = has_code & has_name & (pl.col("by_code") == pl.col("by_name"))
    conflict = has_code & has_name & (pl.col("by_code") != pl.col("by_name"))
    return out.with_columns(
        pl.when(conflict & exact)
        .then(pl.col("by_name"))
        .when(has_code)
        .then(pl.col("by_code"))
        .otherwise(pl.col("by_name"))
        .alias("code"),
        pl.when(agree | (~has_code & exact) | (conflict & exact))
        .then(0)
        .when(has_code)
        .then(1)
        .when(has_name)
        .then(2)
        .otherwise(None)
        .alias("rank"),
        pl.when(conflict & exact)
        .then(pl.lit("code_name_conflict_name_trusted"))
        .when(conflict)
        .then(pl.lit("code_name_conflict_code_kept"))
        .when(pl.col("pre_split") & (agree | ~has_name))
        .then(pl.lit("pre_split_code"))
        .when(
            ~has_code & has_name & (pl.col("raw_code").is_not_null()) & (pl.col("raw_code") != "")
        )
        .then(pl.lit("unknown_code_matched_by_name"))
        .when(~has_code & (pl.col("name_method") == "fuzzy"))
        .then(pl.lit("fuzzy_name"))
        .otherwise(None)
        .alias("note"),
    )


def _simplify(geoms: list[Any], tolerance: float) -> list[Any]:
    """Shared borders simplified once (coverage), then snapped to a 4-decimal grid."""
    arr = np.array(geoms, dtype=object)
    try:
        simple = shapely.coverage_simplify(arr, tolerance)
    except shapely.errors.GEOSException:  # not a clean coverage: each polygon on its own
        simple = shapely.simplify(arr, tolerance, preserve_topology=True)
    snapped = shapely.set_precision(simple, 10**-ROUND_DECIMALS)
    return list(shapely.transform(snapped, lambda xy: np.round(xy, ROUND_DECIMALS)))


def _feature_collection(
    codes: list[str], geoms: list[Any], approximate: list[bool], metadata: dict[str, Any]
) -> dict[str, Any]:
    from dashboard.domain import regions

    names = dict(zip(*regions.load_regions().select("code", "name"), strict=True))
    return {
        "type": "FeatureCollection",
        "metadata": metadata,
        "features": [
            {
                "type": "Feature",
                "properties": {"code": c, "name": names[c], "approximate": a},
                "geometry": mapping(g),
            }
            for c, g, a in zip(codes, geoms, approximate, strict=True)
        ],
    }


def _merge(parts: list[Any], code: str, source: str) -> Any:
    """One valid polygon per region from its features; a failure names the region."""
    try:
        return _polygonal(shapely.make_valid(shapely.union_all(parts)))
    except shapely.errors.GEOSException as exc:
        raise BoundaryFileError(
            f"{source}: the polygons of region {code} cannot be merged ({exc})"
        ) from exc


def import_file(
    path: Path,
    level: str,
    store_path: Path,
    *,
    code_field: str | None = None,
    name_field: str | None = None,
    province_field: str | None = None,
    allow_partial: bool = False,
) -> ImportReport:
    """Match an official boundary file to the Kemendagri regions and, if allowed, install it.

    Nothing is written unless every region of ``level`` got a polygon, or
    ``allow_partial`` is set (the rest then keep the derived polygons, and the file
    says so in ``metadata.approximate``).
    """
    from dashboard.domain import regions

    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    props, geoms = read_features(path)
    if not props:
        raise BoundaryFileError(f"{path.name}: the file holds no features")
    geoms, repaired = repair_geometries(geoms, props)
    frame = _property_frame(props)
    for given in (code_field, name_field, province_field):
        if given is not None and given not in frame.columns:
            raise BoundaryFileError(
                f"{path.name}: no property {given!r}; properties are: {', '.join(frame.columns)}"
            )
    auto_code, auto_name = _detect_fields(frame, level)
    if code_field is None and name_field is None:
        code_field, name_field = auto_code, auto_name
    elif name_field is None:
        name_field = auto_name if auto_name != code_field else None  # to check the codes
    if code_field is None and name_field is None:
        raise BoundaryFileError(
            f"{path.name}: no property looks like a region code or name; "
            "give --code-field or --name-field"
        )
    present = [g for g in geoms if g is not None and not g.is_empty]
    if present:
        x0, y0, x1, y1 = shapely.total_bounds(np.array(present, dtype=object))
        bx0, by0, bx1, by1 = _LONLAT_BOUNDS
        if x0 < bx0 or y0 < by0 or x1 > bx1 or y1 > by1:
            raise BoundaryFileError(
                f"{path.name}: coordinates are not longitude/latitude around Indonesia "
                "(reproject the file to EPSG:4326 first)"
            )

    matches = match_features(
        frame, level, code_field=code_field, name_field=name_field, province_field=province_field
    )
    empty = pl.Series([g is None or g.is_empty for g in geoms])
    matches = matches.with_columns(empty.alias("empty_geometry"))
    usable = matches.filter(pl.col("code").is_not_null() & ~pl.col("empty_geometry"))
    # several features may share a code (islands as separate features): keep the most
    # confident ones; a weaker match to an already matched region is a duplicate, not a part
    best = usable.group_by("code").agg(pl.col("rank").min().alias("best"))
    usable = usable.join(best, on="code").with_columns(
        (pl.col("rank") == pl.col("best")).alias("kept")
    )
    kept = usable.filter("kept")
    dupes = set(usable.filter(~pl.col("kept"))["feature"].to_list())

    unmatched = matches.filter(
        pl.col("code").is_null() | pl.col("empty_geometry") | pl.col("feature").is_in(dupes)
    ).with_columns(
        pl.when(pl.col("empty_geometry"))
        .then(pl.lit("empty_geometry"))
        .when(pl.col("code").is_not_null())
        .then(pl.lit("duplicate"))
        .otherwise(pl.lit("no_match"))
        .alias("reason")
    )
    unmatched_features = unmatched.select(
        "feature",
        pl.col("raw_code").alias("code"),
        pl.col("raw_name").alias("name"),
        "reason",
        pl.col("suggestions").fill_null([]),
    ).to_dicts()
    level_regions = regions.provinces() if level == "provinsi" else regions.regencies()
    matched_codes = set(kept["code"].to_list())
    without = (
        level_regions.filter(~pl.col("code").is_in(list(matched_codes)))
        .select("code", "name")
        .sort("code")
        .to_dicts()
    )
    notes = (
        matches.filter(pl.col("note").is_not_null())
        .select(
            "feature",
            pl.col("raw_code").alias("file_code"),
            pl.col("raw_name").alias("file_name"),
            "code",
            "note",
            pl.col("name_score").alias("score"),
        )
        .to_dicts()
    )
    report = ImportReport(
        level=level,
        source=path.name,
        features=len(props),
        matched=len(matched_codes),
        unmatched_features=unmatched_features,
        regions_without_polygon=without,
        notes=notes,
        fields={"code": code_field, "name": name_field, "province": province_field},
        repaired=repaired,
    )
    if without and not allow_partial:
        report.refused = True
        return report
    if not matched_codes:
        report.refused = True
        return report

    order = kept.sort("code")
    by_code: dict[str, list[Any]] = {}
    for code, feature in order.select("code", "feature").iter_rows():
        by_code.setdefault(code, []).append(geoms[feature])
    codes = sorted(by_code)
    merged = [_merge(by_code[c], c, path.name) for c in codes]
    derived_codes = [r["code"] for r in without]
    derived = {}
    if derived_codes:
        shipped = json.loads((DATA_BOUNDARIES / f"{level}.geojson").read_text(encoding="utf-8"))
        derived = {
            f["properties"]["code"]: shape(f["geometry"])
            for f in shipped["features"]
            if f["properties"]["code"] in set(derived_codes)
        }
    approximate: bool | dict[str, Any] = (
        False
        if not derived_codes
        else {"partial": True, "official": len(codes), "derived": derived_codes}
    )
    metadata = {
        "approximate": approximate,
        "source": path.name,
        "imported_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "fields": report.fields,
    }
    tolerance = SIMPLIFY_START
    while True:
        try:
            simple = _simplify(merged, tolerance)
        except shapely.errors.GEOSException as exc:
            raise BoundaryFileError(
                f"{path.name}: the polygons cannot be simplified ({exc})"
            ) from exc
        all_codes = codes + list(derived)
        doc = _feature_collection(
            all_codes,
            simple + list(derived.values()),
            [False] * len(codes) + [True] * len(derived),
            {**metadata, "simplified_tolerance_deg": tolerance},
        )
        order_idx = sorted(range(len(all_codes)), key=all_codes.__getitem__)
        doc["features"] = [doc["features"][i] for i in order_idx]
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
        if len(text.encode("utf-8")) <= MAX_BYTES or tolerance > 0.1:
            break
        tolerance *= 2
    target = official_path(store_path, level)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".geojson.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)  # the app never sees a half-written file
    report.written = target
    return report
