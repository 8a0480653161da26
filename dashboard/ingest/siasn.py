"""Target rosters (daftar sasaran): SIASN's "Export Data ASN", or the template without status.

A SIASN export has no region, no position level and no signature column, and dozens of
columns this product does not need. Only the needed columns are read (a projection); the
region follows from the instansi ("Pemerintah Kabupaten X" -> that regency, "Pemerintah
Provinsi Y" -> that province, a ministry -> national, seated in DKI Jakarta); the OPD from
the work-unit column; only officials in active service are targeted, the others counted by
reason. The result is handed to the roster checks (:func:`check_roster` with ``target``),
so a target roster is de-duplicated, replaced per agency and rolled back like any roster.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import polars as pl

from dashboard.domain import regions
from dashboard.ingest import columns as C
from dashboard.ingest import normalise as N
from dashboard.ingest import upload as U
from dashboard.ingest.checks import ROW, agency_is_national
from dashboard.ingest.reading import (
    FileFormat,
    RawTable,
    UnreadableFile,
    check_archive,
    limit,
    sha256,
    workbook_kind,
)
from dashboard.ingest.roster import RosterReport, check_roster, commit_roster, read_roster
from dashboard.store.database import CommitResult, Store
from dashboard.store.schema import TARGET_KIND
from schemas import Agencies, Regions

# canonical key -> the headers SIASN writes (upper case with spaces; snake_case also seen)
SIASN_HEADERS: dict[str, tuple[str, ...]] = {
    "nip": ("NIP BARU",),
    "nama": ("NAMA",),
    "gelar_depan": ("GELAR DEPAN",),
    "gelar_belakang": ("GELAR BELAKANG",),
    "jabatan": ("JABATAN NAMA",),
    "jenis_jabatan": ("JENIS JABATAN NAMA",),
    "eselon": ("ESELON NAMA",),
    "instansi_induk": ("INSTANSI INDUK NAMA",),
    "instansi_kerja": ("INSTANSI KERJA NAMA",),
    "satker": ("SATUAN KERJA KERJA NAMA",),
    "unor": ("UNOR NAMA",),
    "kedudukan_id": ("KEDUDUKAN HUKUM ID",),
    "kedudukan": ("KEDUDUKAN HUKUM NAMA",),
    "jenis_pegawai": ("JENIS PEGAWAI NAMA",),
    "status_asn": ("STATUS ASN",),
}
# the column the file is recognised by, and the ones it cannot do without
SIASN_KEY = "nip"
SIASN_REQUIRED = ("nip", "nama", "instansi_induk")
# KEDUDUKAN HUKUM ID of PPPK in widely used readers of the export
PPPK_STATUS_IDS = ("71", "72", "73")
CENTRAL_SEAT = "31"  # central bodies sit in DKI Jakarta
# a central body's name beyond those agency_is_national knows
_CENTRAL = (
    r"^(kementerian|kementrian|badan|lembaga|komisi|arsip|perpustakaan|ombudsman|"
    r"kejaksaan|mahkamah|sekretariat jenderal|kepolisian)\b"
)
_NULLS = ("", "null", "NULL", "Null", "-", "nan")


def header_key(text: str) -> str:
    """``"NIP BARU"``, ``nip_baru`` and ``'Nip Baru '`` alike."""
    return re.sub(r"[\s_]+", " ", text.strip().strip("'\"\ufeff")).upper()


def _projection(headers: list[str]) -> dict[str, str]:
    """Canonical key -> the file's header, for the needed columns present."""
    by_key = {header_key(h): h for h in reversed(headers)}
    out: dict[str, str] = {}
    for key, names in SIASN_HEADERS.items():
        for name in names:
            if header_key(name) in by_key:
                out[key] = by_key[header_key(name)]
                break
    return out


def is_siasn(headers: list[str]) -> bool:
    return SIASN_KEY in _projection(headers)


def _sniff(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in ("|", ";", "\t", ",")}
    return max(counts, key=lambda d: counts[d])


def _read_csv_header(data: bytes) -> tuple[list[str], str]:
    head = data[:65536].decode("utf-8", errors="replace").lstrip("\ufeff")
    first = head.splitlines()[0] if head.strip() else ""
    if not first.strip():
        raise UnreadableFile("file_empty")
    sep = _sniff(first)
    return [h.strip().strip('"') for h in first.split(sep)], sep


def read_siasn(data: bytes, file_name: str) -> tuple[pl.DataFrame, FileFormat]:
    """The needed columns (canonical keys, text, cleaned) of a SIASN export; raises
    ``UnreadableFile`` when it is not one."""
    kind = workbook_kind(data)
    if kind is not None:
        check_archive(data)
        try:
            frame = pl.read_excel(
                io.BytesIO(data), engine="calamine", infer_schema_length=0, raise_if_empty=False
            )
        except Exception as exc:  # noqa: BLE001 - any reader failure is an unreadable file
            raise UnreadableFile("file_unreadable", reason=type(exc).__name__) from exc
        proj = _projection(frame.columns)
        frame = frame.select([pl.col(h).cast(pl.String).alias(k) for k, h in proj.items()])
        fmt = FileFormat(kind=kind, header_row=1)
    else:
        headers, sep = _read_csv_header(data)
        proj = _projection(headers)
        if SIASN_KEY not in proj:
            raise UnreadableFile("file_unreadable", reason="no NIP BARU column")
        payload = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        try:
            frame = pl.read_csv(
                io.BytesIO(payload),
                separator=sep,
                columns=list(proj.values()),
                infer_schema=False,
                quote_char='"',
                truncate_ragged_lines=True,
                encoding="utf8-lossy",
                n_rows=limit("NETRALITAS_MAX_ROWS") + 1,
            )
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise UnreadableFile("file_unreadable", reason=type(exc).__name__) from exc
        frame = frame.rename({h: k for k, h in proj.items()})
        fmt = FileFormat(kind="csv", encoding="utf-8", delimiter=sep, header_row=1)
    if SIASN_KEY not in frame.columns:
        raise UnreadableFile("file_unreadable", reason="no NIP BARU column")
    if frame.height > limit("NETRALITAS_MAX_ROWS"):
        raise UnreadableFile("too_many_rows", limit=limit("NETRALITAS_MAX_ROWS"))

    # the exporter's text apostrophe, surrounding spaces and the literal text "null": one
    # pass per column
    def clean(col: pl.Expr) -> pl.Expr:
        text = col.str.strip_chars().str.strip_chars_start("'").str.strip_chars()
        return pl.when(text.is_in(_NULLS)).then(None).otherwise(text)

    frame = N.map_columns(frame, dict.fromkeys(frame.columns, clean))
    missing = [
        pl.repeat(None, pl.len(), dtype=pl.String).alias(k)
        for k in SIASN_HEADERS
        if k not in frame.columns
    ]
    return frame.with_columns(missing), fmt


# -- the region of an instansi -----------------------------------------------------------


def place_instansi(names: pl.Series) -> pl.DataFrame:
    """Per distinct instansi name: ``province_name`` / ``regency_name`` as the region table
    writes them (null regency: a provincial government or a central body), ``central``, and
    ``placed`` (false: a regional government whose region is not known)."""
    df = pl.DataFrame({"instansi": names.unique().drop_nulls()})
    norm = df["instansi"].str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()
    level = (
        pl.Series(norm)
        .str.extract(
            r"^(?:pemerintah|pemerintahan|pemda|pemkab|pemkot|pemprov)\s+(kabupaten|kab\.?|kota|provinsi|prov\.?)\s"
        )
        .str.replace(r"\.$", "")
    )
    rest = pl.Series(norm).str.replace(
        r"^(?:pemerintah|pemerintahan|pemda|pemkab|pemkot|pemprov)\s+(kabupaten|kab\.?|kota|provinsi|prov\.?)\s+",
        "",
    )
    df = df.with_columns(level.alias("_level"), rest.alias("_rest"))
    df = df.with_columns(
        pl.when(pl.col("_level").is_in(["kabupaten", "kab"]))
        .then(pl.lit("kabupaten ") + pl.col("_rest"))
        .when(pl.col("_level") == "kota")
        .then(pl.lit("kota ") + pl.col("_rest"))
        .alias("_regency_text"),
        pl.when(pl.col("_level").is_in(["provinsi", "prov"]))
        .then(pl.col("_rest"))
        .alias("_prov_text"),
    )
    reg = regions.resolve_many(df["_regency_text"], "kabupaten")
    prov = regions.resolve_many(df["_prov_text"], "provinsi")
    names_by_code = regions.load_regions().select(Regions.code, Regions.name, Regions.province_code)
    df = df.with_columns(
        pl.when(reg["method"].is_in(["exact", "alias"]) | (reg["method"] == "fuzzy"))
        .then(reg["code"])
        .alias("regency_code"),
        pl.when(prov["method"] != "none").then(prov["code"]).alias("_prov_code"),
    )
    df = df.join(
        names_by_code.select(
            pl.col(Regions.code).alias("regency_code"),
            pl.col(Regions.name).alias("regency_name"),
            pl.col(Regions.province_code).alias("_reg_prov"),
        ),
        on="regency_code",
        how="left",
    )
    central = agency_is_national(pl.col("instansi")) | pl.col(
        "instansi"
    ).str.to_lowercase().str.contains(_CENTRAL)
    df = df.with_columns(
        (pl.col("_level").is_null() & central).alias("central"),
    ).with_columns(
        pl.coalesce(
            "_reg_prov",
            "_prov_code",
            pl.when(pl.col("central")).then(pl.lit(CENTRAL_SEAT)),
        ).alias("province_code")
    )
    df = df.join(
        names_by_code.select(
            pl.col(Regions.code).alias("province_code"), pl.col(Regions.name).alias("province_name")
        ),
        on="province_code",
        how="left",
    )
    placed = (
        pl.col("central")
        | (
            pl.col("_level").is_in(["kabupaten", "kab", "kota"])
            & pl.col("regency_code").is_not_null()
        )
        | (pl.col("_level").is_in(["provinsi", "prov"]) & pl.col("_prov_code").is_not_null())
    )
    return df.select(
        "instansi",
        "province_name",
        "regency_name",
        "central",
        placed.fill_null(False).alias("placed"),
    )


# -- the target roster -------------------------------------------------------------------

_ESELON = {"i": "JPT Madya", "ii": "JPT Pratama", "iii": "Administrator", "iv": "Pengawas"}


def _jenjang(eselon: pl.Expr, jenis_jabatan: pl.Expr) -> pl.Expr:
    """A position level the roster checks understand, from the echelon ("II.a") or the
    position kind (a structural position without echelon is left to the title)."""
    roman = eselon.str.to_lowercase().str.strip_chars().str.extract(r"^(iv|iii|ii|i)\b")
    kind = jenis_jabatan.str.to_lowercase()
    return (
        pl.when(roman.is_not_null())
        .then(roman.replace_strict(_ESELON, default=None, return_dtype=pl.String))
        .when(kind.str.contains("fungsional umum|pelaksana"))
        .then(pl.lit("Pelaksana"))
        .when(kind.str.contains("fungsional"))
        .then(pl.lit("Fungsional"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


@dataclass
class TargetReport(RosterReport):
    """A checked target roster: the roster report plus who was left out and why."""

    # reason (the file's legal-status text) -> officials not targeted
    inactive: dict[str, int] = field(default_factory=dict)
    # instansi names no region could be found for (their rows are not targeted)
    unplaced: list[str] = field(default_factory=list)
    siasn: bool = False


def _active(kedudukan: pl.Expr, kedudukan_id: pl.Expr) -> pl.Expr:
    name = kedudukan.str.to_lowercase()
    by_name = name.str.contains(r"\baktif\b") & ~name.str.contains(r"\b(tidak|non)[ -]?aktif\b")
    by_id = kedudukan_id.str.strip_chars_start("0").is_in(["1", *PPPK_STATUS_IDS[:1]])
    return (
        pl.when(kedudukan.is_not_null())
        .then(by_name)
        .when(kedudukan_id.is_not_null())
        .then(by_id)
        .otherwise(True)
    )


def _jenis() -> pl.Expr:
    """PPPK / PNS as the legal-status columns say; null where they say nothing."""
    text = pl.concat_str(
        [pl.col("jenis_pegawai"), pl.col("status_asn"), pl.col("kedudukan")],
        separator=" ",
        ignore_nulls=True,
    ).str.to_lowercase()
    pppk = text.str.contains(r"\bpppk\b|perjanjian kerja") | pl.col(
        "kedudukan_id"
    ).str.strip_chars_start("0").is_in(list(PPPK_STATUS_IDS))
    pns = text.str.contains(r"\b(c?pns)\b")
    return (
        pl.when(pppk)
        .then(pl.lit("PPPK"))
        .when(pns)
        .then(pl.lit("PNS"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def _siasn_roster(frame: pl.DataFrame) -> pl.DataFrame:
    """SIASN columns -> the roster's canonical columns (+ ``_row``, ``_active``, ``_reason``,
    ``_jenis``, ``_placed``)."""
    frame = frame.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.Int64))
    places = place_instansi(frame["instansi_induk"])
    frame = frame.join(
        places, left_on="instansi_induk", right_on="instansi", how="left", maintain_order="left"
    )
    unit = pl.coalesce("satker", "unor", "instansi_kerja")
    region_word = pl.col("instansi_induk").str.replace(r"(?i)^pemerintah(an)?\s+", "")
    # an OPD of a regional government named with its region (unique across the country)
    opd = (
        pl.when(
            unit.is_null()
            | (unit.str.to_lowercase() == pl.col("instansi_induk").str.to_lowercase())
        )
        .then(pl.col("instansi_induk"))
        .when(unit.str.to_lowercase().str.contains(region_word.str.to_lowercase(), literal=True))
        .then(unit)
        .otherwise(pl.concat_str([unit, region_word], separator=" "))
    )
    # per distinct value, not per row: a national export repeats a few thousand units,
    # positions and statuses over millions of rows
    frame = N.on_distinct(
        frame,
        ["instansi_induk", "satker", "unor", "instansi_kerja", "central"],
        {
            "_agency": pl.when(pl.col("central")).then(pl.col("instansi_induk")).otherwise(opd),
            "_unit": pl.when(pl.col("central")).then(unit),
        },
    )
    frame = N.on_distinct(
        frame,
        ["eselon", "jenis_jabatan"],
        {"_jenjang": _jenjang(pl.col("eselon"), pl.col("jenis_jabatan"))},
    )
    frame = N.on_distinct(
        frame,
        ["kedudukan", "kedudukan_id", "jenis_pegawai", "status_asn"],
        {
            "_active": _active(pl.col("kedudukan"), pl.col("kedudukan_id")),
            "_reason": pl.coalesce("kedudukan", "kedudukan_id", pl.lit("?")),
            "_jenis": _jenis(),
        },
    )
    name = pl.concat_str(
        [
            pl.concat_str(
                [pl.col("gelar_depan"), pl.col("nama")], separator=" ", ignore_nulls=True
            ),
            pl.col("gelar_belakang"),
        ],
        separator=", ",
        ignore_nulls=True,
    )
    return frame.select(
        ROW,
        pl.col("nip").alias(C.NIP),
        pl.when(pl.col("nama").is_not_null()).then(name).alias(C.NAMA),
        pl.col("jabatan").alias(C.JABATAN),
        pl.col("_jenjang").alias(C.JENJANG),
        pl.col("_agency").alias(C.INSTANSI),
        pl.col("_unit").alias(C.UNIT_KERJA),
        pl.col("province_name").alias(C.PROVINSI),
        pl.col("regency_name").alias(C.KABUPATEN_KOTA),
        pl.lit(None, dtype=pl.String).alias(C.STATUS),
        pl.lit(None, dtype=pl.String).alias(C.TANGGAL),
        pl.lit(None, dtype=pl.String).alias(C.IKRAR),
        pl.lit(None, dtype=pl.String).alias(C.KETERANGAN),
        "_active",
        "_reason",
        "_jenis",
        pl.col("placed").fill_null(False).alias("_placed"),
        pl.col("instansi_induk").alias("_instansi"),
    )


def check_target(
    data: bytes,
    file_name: str,
    *,
    store: Store | None = None,
    lang: str = "id",
    progress: U.Progress | None = None,
) -> TargetReport:
    """Read and check a target roster (SIASN export or the template without status)."""
    digest = sha256(data)
    try:
        frame, fmt = read_siasn(data, file_name)
    except UnreadableFile:
        frame = None
    if frame is None:  # the project's template, without status columns
        raw = read_roster(data, file_name)
        base = check_roster(raw, store=store, lang=lang, progress=progress, target=True)
        return _as_target(base, {}, [], siasn=False)
    rows = _siasn_roster(frame)
    placed_instansi = rows.filter(pl.col("_instansi").is_not_null())
    unplaced = sorted(placed_instansi.filter(~pl.col("_placed"))["_instansi"].unique().to_list())
    inactive = rows.filter(~pl.col("_active").fill_null(True))
    reasons = {
        str(r): int(n) for r, n in inactive.group_by("_reason").len().sort("_reason").iter_rows()
    }
    kept = rows.filter(
        pl.col("_active").fill_null(True) & (pl.col("_placed") | pl.col("_instansi").is_null())
    )
    canonical = kept.select(C.ROSTER_COLUMNS)
    raw = RawTable(
        frame=canonical,
        fmt=fmt,
        file_name=file_name,
        sha256=digest,
        positions=kept[ROW],
    )
    mapping = C.ColumnMapping(columns={c: c for c in C.ROSTER_COLUMNS if c != C.STATUS})
    base = check_roster(
        raw,
        store=store,
        mapping=mapping,
        lang=lang,
        progress=progress,
        target=True,
        jenis_hint=kept["_jenis"],
    )
    report = _as_target(base, reasons, unplaced, siasn=True)
    # the rows read, not only those kept, are what the file holds
    if unplaced:
        from dashboard.ingest.checks import IssueCollector

        extra = IssueCollector()
        for name in unplaced:
            extra.add_file("instansi_unplaced", C.INSTANSI, value=name)
        issues = U.rendered_issues(extra, raw, mapping, C.ROSTER_COLUMNS, lang)
        report.issues = pl.concat([issues, report.issues]).sort(ROW, nulls_last=False)
    return report


def _as_target(
    base: RosterReport, inactive: dict[str, int], unplaced: list[str], *, siasn: bool
) -> TargetReport:
    fields = {k: getattr(base, k) for k in base.__dataclass_fields__}
    report = TargetReport(**fields, inactive=inactive, unplaced=unplaced, siasn=siasn)
    # central bodies are national agencies, whatever region the roster placed them in
    if report.new_agencies.height:
        report.new_agencies = report.new_agencies.with_columns(
            pl.when(
                agency_is_national(pl.col(Agencies.name))
                | pl.col(Agencies.name).str.to_lowercase().str.contains(_CENTRAL)
            )
            .then(pl.lit("pusat"))
            .otherwise(pl.col(Agencies.level))
            .alias(Agencies.level)
        )
    return report


def commit_target(
    report: TargetReport,
    store: Store,
    *,
    accept_valid: bool = False,
    uploaded_by: str | None = None,
) -> CommitResult:
    """Write the target roster as one upload of kind ``sasaran`` (replace per agency)."""
    return commit_roster(
        report, store, accept_valid=accept_valid, uploaded_by=uploaded_by, kind=TARGET_KIND
    )


__all__ = [
    "TargetReport",
    "check_target",
    "commit_target",
    "is_siasn",
    "place_instansi",
    "read_siasn",
]
