"""Reference regions and the alias table that turns what people type into Kemendagri codes.

"Kab. Muko-Muko", "KAB. MUKOMUKO" and "Mukomuko" must all become ``1706``;
"Kalteng" and "Prov. Kalimantan Tengah" must become ``62``. Exact matching goes
through a normalised key (prefix words canonicalised, everything but letters
and digits dropped) joined against the alias table; only what is left is
fuzzy-matched with rapidfuzz, once per distinct value.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from rapidfuzz import fuzz, process

from schemas import RegionAliases, Regions

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
REGIONS_CSV = DATA_DIR / "regions.csv"
# English province names (code,name; several rows per code for the usual variants)
PROVINCE_NAMES_EN_CSV = DATA_DIR / "province_names_en.csv"
# clerks' short names of regencies and cities ("Kobar", "Jaksel"): alias,code,name,note
REGENCY_SHORT_NAMES_CSV = DATA_DIR / "region_short_names.csv"
FUZZY_CUTOFF = 85.0

# Short names people type for provinces (DOMAIN.md plus common extras).
PROVINCE_SHORT_NAMES: dict[str, str] = {
    "NAD": "11",
    "Nanggroe Aceh Darussalam": "11",
    "Sumut": "12",
    "Sumbar": "13",
    "Jambi": "15",
    "Sumsel": "16",
    "Babel": "19",
    "Bangka Belitung": "19",
    "Kep. Bangka Belitung": "19",
    "Kepri": "21",
    "DKI": "31",
    "Jakarta": "31",
    "DKI Jakarta": "31",
    "Jabar": "32",
    "Jateng": "33",
    "DIY": "34",
    "Yogyakarta": "34",
    "DI Yogyakarta": "34",
    "Jogja": "34",
    "Jogjakarta": "34",
    "Jatim": "35",
    "NTB": "52",
    "NTT": "53",
    "Kalbar": "61",
    "Kalteng": "62",
    "Kalsel": "63",
    "Kaltim": "64",
    "Kaltara": "65",
    "Sulut": "71",
    "Sulteng": "72",
    "Sulsel": "73",
    "Sultra": "74",
    "Sulbar": "76",
    "Malut": "82",
    "Pabar": "92",
    "PBD": "96",
    "Papua Barat Daya": "96",
    "Pateng": "94",
    "Papeg": "95",
    "Passel": "93",
}

# Spellings of regencies/cities that differ by more than spacing or punctuation.
REGENCY_EXTRA_ALIASES: dict[str, str] = {
    "Kota Palangka Raya": "6271",
    "Pangkajene dan Kepulauan": "7310",
    "Pangkep": "7310",
    "Kota Jogja": "3471",
    "Kota Jogjakarta": "3471",
    "Sleman": "3404",
    "Kabupaten Kepulauan Seribu": "3101",
}

_PREFIXES: list[tuple[str, str]] = [
    # (regex at the start of the lower-cased text, canonical replacement)
    (r"^(pemerintah\s+kabupaten|pemkab|kabupaten|kab)\b\.?", "kab "),
    (
        r"^(pemerintah\s+kota|pemkot|kota\s*madya|kotamadya|kodya|kota\s+administrasi|kota\s+adm)\b\.?",
        "kota ",
    ),
    (r"^kota\b", "kota "),
    (r"^(pemerintah\s+provinsi|pemprov|provinsi|propinsi|prov)\b\.?", ""),
    (r"^kabupaten\s+administrasi\b", "kab "),
]


# English forms: "Central Java Province", "Mukomuko Regency", "City of Palangka Raya"
_ENGLISH_FORMS: list[tuple[str, str]] = [
    (r"^province\s+of\s+", ""),
    (r"^(.+?)\s+province$", "${1}"),
    (r"^regency\s+of\s+", "kab "),
    (r"^(.+?)\s+regency$", "kab ${1}"),
    (r"^city\s+of\s+", "kota "),
    (r"^(.+?)\s+city$", "kota ${1}"),
]


def normalise_expr(expr: pl.Expr) -> pl.Expr:
    """Lower-case, canonicalise prefix words, drop the word "dan" and every non-alphanumeric."""
    out = expr.cast(pl.String).str.to_lowercase().str.strip_chars()
    for pattern, repl in (*_ENGLISH_FORMS, *_PREFIXES):
        out = out.str.replace(pattern, repl)
    out = out.str.replace_all(r"\bdan\b", " ").str.replace_all(r"\badm\.?\b|\badministrasi\b", " ")
    return out.str.replace_all(r"[^0-9a-z]", "")


def normalise(text: str) -> str:
    return pl.select(normalise_expr(pl.lit(text))).item()


@functools.cache
def load_regions() -> pl.DataFrame:
    """All 38 provinces and 514 regencies/cities, validated."""
    df = pl.read_csv(
        REGIONS_CSV,
        schema_overrides={Regions.code: pl.String, Regions.province_code: pl.String},
    )
    return Regions.validate(df)


def provinces() -> pl.DataFrame:
    return load_regions().filter(pl.col(Regions.level) == "provinsi")


def regencies() -> pl.DataFrame:
    return load_regions().filter(pl.col(Regions.level) != "provinsi")


def _bare_name(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace(r"^(Kabupaten|Kota)\s+", "")


@functools.cache
def load_aliases() -> pl.DataFrame:
    """Alias key -> code for every region, generated from names plus the lists above."""
    regions = load_regions()
    prov = regions.filter(pl.col(Regions.level) == "provinsi")
    reg = regions.filter(pl.col(Regions.level) != "provinsi")
    code, level, name = Regions.code, Regions.level, Regions.name

    parts = [
        prov.select(pl.col(name).alias("text"), code, level),
        prov.select(pl.col(code).alias("text"), code, level),
        pl.DataFrame(
            {"text": list(PROVINCE_SHORT_NAMES), code: list(PROVINCE_SHORT_NAMES.values())}
        ).with_columns(pl.lit("provinsi").alias(level)),
        pl.read_csv(PROVINCE_NAMES_EN_CSV, infer_schema=False)
        .select(pl.col("name").alias("text"), pl.col("code").alias(code))
        .join(prov.select(code), on=code, how="semi")
        .with_columns(pl.lit("provinsi").alias(level)),
        reg.select(pl.col(name).alias("text"), code, level),
        # "Kab. X" for kabupaten, and the code written with or without a dot
        reg.select(pl.col(code).alias("text"), code, level),
        reg.select(
            (pl.col(code).str.slice(0, 2) + "." + pl.col(code).str.slice(2)).alias("text"),
            code,
            level,
        ),
    ]
    # a bare name means the kabupaten (as in BIG's files); a city only when no kabupaten has it
    bare = reg.with_columns(_bare_name(pl.col(name)).alias("text")).sort(
        [level, code]  # "kabupaten" sorts before "kota"
    )
    parts.append(bare.unique("text", keep="first", maintain_order=True).select("text", code, level))
    extra = pl.DataFrame(
        {"text": list(REGENCY_EXTRA_ALIASES), code: list(REGENCY_EXTRA_ALIASES.values())}
    ).join(reg.select(code, level), on=code, how="inner")
    parts.append(extra.select("text", code, level))
    short = (
        pl.read_csv(REGENCY_SHORT_NAMES_CSV, infer_schema=False)
        .select(pl.col("alias").alias("text"), pl.col("code").alias(code))
        .join(reg.select(code, level), on=code, how="inner")
    )
    parts.append(short.select("text", code, level))

    aliases = (
        pl.concat(parts, how="vertical_relaxed")
        .with_columns(normalise_expr(pl.col("text")).alias(RegionAliases.alias))
        .filter(pl.col(RegionAliases.alias) != "")
        # province and regency keys live in one table; (alias, level-group) is the key
        .unique([RegionAliases.alias, RegionAliases.code], maintain_order=True)
        .select(RegionAliases.alias, RegionAliases.code, RegionAliases.level)
    )
    return RegionAliases.validate(aliases)


@dataclass(frozen=True)
class Resolution:
    code: str | None
    method: str  # "exact" | "fuzzy" | "none"
    matched_name: str | None = None
    score: float | None = None
    suggestions: tuple[str, ...] = ()


def _alias_frame(kind: str, province_code: str | None) -> pl.DataFrame:
    aliases = load_aliases()
    if kind == "provinsi":
        return aliases.filter(pl.col(RegionAliases.level) == "provinsi")
    out = aliases.filter(pl.col(RegionAliases.level) != "provinsi")
    if province_code:
        out = out.filter(pl.col(RegionAliases.code).str.starts_with(province_code))
    return out


def resolve_many(
    values: pl.Series, kind: str, province_codes: pl.Series | None = None
) -> pl.DataFrame:
    """Resolve a column of region texts (``kind`` = "provinsi" or "kabupaten").

    Returns one row per input row: ``code``, ``method``, ``matched_name``, ``score``,
    ``suggestions`` (list). Exact matches are a join; fuzzy matching runs once per
    distinct unmatched (value, province) pair.
    """
    regions = load_regions().select(Regions.code, Regions.name)
    frame = pl.DataFrame(
        {
            "text": values.cast(pl.String),
            "province": province_codes.cast(pl.String)
            if province_codes is not None
            else pl.Series([None] * len(values), dtype=pl.String),
        }
    ).with_row_index("_row")
    frame = frame.with_columns(normalise_expr(pl.col("text")).alias("key"))
    aliases = _alias_frame(kind, None)
    exact = frame.join(
        aliases.select(pl.col(RegionAliases.alias).alias("key"), pl.col(RegionAliases.code)),
        on="key",
        how="left",
    )
    if kind != "provinsi":
        # a key may name regencies in several provinces (e.g. two "Kab. Barat"): keep the
        # one inside the given province, else the first
        exact = exact.with_columns(
            pl.when(
                pl.col("province").is_null()
                | pl.col(RegionAliases.code).is_null()
                | pl.col(RegionAliases.code).str.starts_with(pl.col("province"))
            )
            .then(0)
            .otherwise(1)
            .alias("_rank")
        ).sort(["_row", "_rank"])
    exact = exact.unique("_row", keep="first", maintain_order=True).sort("_row")

    unmatched = (
        exact.filter(pl.col(RegionAliases.code).is_null() & (pl.col("key") != ""))
        .select("key", "province")
        .unique()
    )
    fuzzy_rows: list[dict[str, object]] = []
    for key, prov in unmatched.iter_rows():  # distinct values only, not rows
        choices = _alias_frame(kind, prov if kind != "provinsi" else None)
        keys = choices[RegionAliases.alias].to_list()
        ranked = process.extract(key, keys, scorer=fuzz.WRatio, limit=5)
        codes = choices[RegionAliases.code].to_list()
        best = ranked[0] if ranked else None
        suggestion_codes = list(dict.fromkeys(codes[i] for _, _, i in ranked))[:3]
        fuzzy_rows.append(
            {
                "key": key,
                "province": prov,
                "f_code": codes[best[2]] if best and best[1] >= FUZZY_CUTOFF else None,
                "f_score": float(best[1]) if best else None,
                "f_suggestions": suggestion_codes,
            }
        )
    fuzzy = pl.DataFrame(
        fuzzy_rows,
        schema={
            "key": pl.String,
            "province": pl.String,
            "f_code": pl.String,
            "f_score": pl.Float64,
            "f_suggestions": pl.List(pl.String),
        },
    )
    out = exact.join(fuzzy, on=["key", "province"], how="left", nulls_equal=True).sort("_row")
    names = dict(zip(regions[Regions.code], regions[Regions.name], strict=True))
    out = out.with_columns(
        pl.coalesce(RegionAliases.code, "f_code").alias("code"),
        pl.when(pl.col(RegionAliases.code).is_not_null())
        .then(pl.lit("exact"))
        .when(pl.col("f_code").is_not_null())
        .then(pl.lit("fuzzy"))
        .otherwise(pl.lit("none"))
        .alias("method"),
        pl.when(pl.col(RegionAliases.code).is_not_null())
        .then(pl.lit(100.0))
        .otherwise(pl.col("f_score"))
        .alias("score"),
        pl.col("f_suggestions")
        .list.eval(pl.element().replace_strict(names, default=pl.element()))
        .alias("suggestions"),
    ).with_columns(
        pl.col("code")
        .replace_strict(names, default=None, return_dtype=pl.String)
        .alias("matched_name")
    )
    return out.select("code", "method", "matched_name", "score", "suggestions")


def resolve(text: str, kind: str = "kabupaten", province_code: str | None = None) -> Resolution:
    """Resolve one text; convenience wrapper over :func:`resolve_many`."""
    row = resolve_many(
        pl.Series([text]), kind, pl.Series([province_code]) if province_code else None
    ).row(0, named=True)
    return Resolution(
        code=row["code"],
        method=row["method"],
        matched_name=row["matched_name"],
        score=row["score"],
        suggestions=tuple(row["suggestions"] or ()),
    )


def region_name(code: str | None) -> str | None:
    if code is None:
        return None
    hit = load_regions().filter(pl.col(Regions.code) == code)
    return hit[Regions.name][0] if hit.height else None
