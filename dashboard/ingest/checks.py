"""Shared machinery of the roster and event uploads: issue frames, regions, agency matching.

Checks are Polars masks over the whole frame; each failing cell becomes one
row of an *issue frame* (``_row``, ``column``, ``code``, ``value``, ``detail``),
so a national roster with thousands of problems is reported without a Python
loop per row. Messages are rendered per code with ``pl.format`` from the one
translation table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from dashboard.domain import regions
from dashboard.domain.agency_names import agency_ids, match_key_expr, normalise_name_expr
from dashboard.i18n import t
from dashboard.ingest import issues as registry
from dashboard.ingest.columns import ColumnMapping
from dashboard.ingest.normalise import first_match
from dashboard.ingest.reading import RawTable
from dashboard.ingest.validation import Issue
from dashboard.store.database import Store
from dashboard.text import control_name_expr, has_control_expr, strip_control_expr
from schemas import Agencies, Regions

ROW = "_row"
ISSUE_SCHEMA: dict[str, pl.DataType] = {
    ROW: pl.Int64(),
    "column": pl.String(),
    "code": pl.String(),
    "value": pl.String(),
    "detail": pl.String(),
}
# a longer cell is a paste accident (or an attack), not a name or a position; measured in
# UTF-8 bytes (cheap), reported in characters
MAX_CELL_BYTES = 1000
NEW_AGENCY_PREFIX = "ag"


@dataclass
class _Check:
    frame: pl.DataFrame
    mask: pl.Expr
    code: str
    column: str | None
    value: pl.Expr | None
    detail: pl.Expr | None

    def issues(self) -> pl.LazyFrame:
        return (
            self.frame.lazy()
            .filter(self.mask.fill_null(False))
            .select(
                pl.col(ROW).cast(pl.Int64),
                pl.lit(self.column, dtype=pl.String).alias("column"),
                pl.lit(self.code, dtype=pl.String).alias("code"),
                (self.value if self.value is not None else pl.lit(None))
                .cast(pl.String)
                .alias("value"),
                (self.detail if self.detail is not None else pl.lit(None))
                .cast(pl.String)
                .alias("detail"),
            )
        )


@dataclass
class IssueCollector:
    """Collects checks; ``frame()`` evaluates every mask of a frame in one parallel pass and
    builds issue rows only for the checks that found something (usually few)."""

    checks: list[_Check] = field(default_factory=list)
    file_issues: list[dict[str, str | None]] = field(default_factory=list)

    def add(
        self,
        frame: pl.DataFrame,
        mask: pl.Expr,
        code: str,
        column: str | None,
        value: pl.Expr | None = None,
        detail: pl.Expr | None = None,
    ) -> None:
        """One issue per row of ``frame`` where ``mask`` is true (null counts as false)."""
        self.checks.append(_Check(frame, mask, code, column, value, detail))

    def add_file(
        self, code: str, column: str | None, value: str | None = None, detail: str | None = None
    ) -> None:
        """A whole-file issue (no row)."""
        self.file_issues.append({"column": column, "code": code, "value": value, "detail": detail})

    def frame(self) -> pl.DataFrame:
        parts: list[pl.LazyFrame] = []
        if self.file_issues:
            parts.append(
                pl.LazyFrame([{ROW: None, **f} for f in self.file_issues], schema=ISSUE_SCHEMA)
            )
        groups: dict[int, list[_Check]] = {}
        for chk in self.checks:
            groups.setdefault(id(chk.frame), []).append(chk)
        for group in groups.values():
            frame = group[0].frame
            if frame.height == 0:
                continue
            hits = frame.select(
                [c.mask.fill_null(False).any().alias(f"k{i}") for i, c in enumerate(group)]
            ).row(0)
            parts.extend(c.issues() for c, hit in zip(group, hits, strict=True) if hit)
        if not parts:
            return pl.DataFrame(schema=ISSUE_SCHEMA)
        return pl.concat(pl.collect_all(parts), how="vertical")


def _template_expr(template: str, columns: dict[str, pl.Expr]) -> pl.Expr:
    """``"Kolom {column} …"`` -> ``pl.format`` over the issue frame's columns."""
    names = re.findall(r"\{(\w+)\}", template)
    fmt = re.sub(r"\{\w+\}", "{}", template)
    if not names:
        return pl.lit(template)
    return pl.format(fmt, *[columns.get(n, pl.lit("")) for n in names])


def render(
    issues: pl.DataFrame,
    *,
    lang: str,
    header_row: int,
    labels: dict[str, str] | None = None,
    column_order: tuple[str, ...] = (),
    raw: RawTable | None = None,
) -> pl.DataFrame:
    """Issue frame -> report frame: spreadsheet ``row``, its ``sheet`` (when ``raw`` has several
    read together), ``column``, ``code``, ``severity``, ``message``, sorted by row (whole-file
    issues first) then column order."""
    from dashboard.ingest.columns import shorten

    labels = {c: shorten(h) for c, h in (labels or {}).items()}
    order = {c: i for i, c in enumerate(column_order)}
    df = issues.with_columns(
        pl.col("column")
        .replace_strict(labels, default=pl.col("column"), return_dtype=pl.String)
        .fill_null("")
        .alias("_label"),
        # a cell's text is shown back to the clerk: never with its control characters
        strip_control_expr(pl.col("value")).fill_null(""),
        pl.col("detail").fill_null(""),
    )
    pieces = []
    for code in df["code"].unique().sort().to_list():
        template = registry.template(code, lang)
        cols = {"column": pl.col("_label"), "value": pl.col("value"), "detail": pl.col("detail")}
        pieces.append(
            df.filter(pl.col("code") == code).with_columns(
                _template_expr(template, cols).alias("message")
            )
        )
    out = (
        pl.concat(pieces)
        if pieces
        else df.with_columns(pl.lit(None, dtype=pl.String).alias("message"))
    )
    return (
        out.with_columns(
            (
                raw.row_number(pl.col(ROW)) if raw is not None else pl.col(ROW) + header_row + 1
            ).alias("row"),
            (
                raw.sheet_name(pl.col(ROW)) if raw is not None else pl.lit(None, dtype=pl.String)
            ).alias("sheet"),
            registry.severity_expr(pl.col("code")).alias("severity"),
            pl.col("column")
            .replace_strict(order, default=len(order), return_dtype=pl.Int64)
            .alias("_order"),
        )
        .sort([ROW, "_order", "code"], nulls_last=False)
        .select(ROW, "row", "sheet", "column", "code", "severity", "message", "value", "detail")
    )


def issues_from_frame(report: pl.DataFrame, severity: str) -> list[Issue]:
    """Rendered report rows of one severity as :class:`Issue` objects (for JSON)."""
    part = report.filter(pl.col("severity") == severity)
    cols = ("row", "column", "code", "message", "value", "detail", "sheet")
    return [
        Issue(row=r, column=c, code=k, message=m, value=v or None, detail=d or None, sheet=sh)
        for r, c, k, m, v, d, sh in part.select(*cols).iter_rows()
    ]


# -- common cell checks ------------------------------------------------------------------


def file_checks(checks: IssueCollector, raw: RawTable) -> None:
    """What reading the file found: no data rows, a footer skipped, a sheet chosen, text
    in another encoding."""
    from dashboard.ingest.layout import row_ranges

    if raw.frame.height == 0:
        checks.add_file("header_only", None)
    parts = raw.fmt.parts
    footers = [f"{p.name}!{row_ranges(p.skipped)}" for p in parts if p.skipped]
    if footers:
        checks.add_file("rows_skipped", None, detail="; ".join(footers))
    elif raw.skipped and not parts:
        checks.add_file("rows_skipped", None, detail=row_ranges(raw.skipped))
    if raw.fmt.sheet_chosen:
        checks.add_file("sheet_chosen", None, value=raw.fmt.sheet, detail=", ".join(raw.fmt.sheets))
    if parts:
        read = ", ".join(f"{p.name} ({p.rows})" for p in parts)
        checks.add_file("sheets_read", None, value=str(len(parts)), detail=read)
    for name, reason in raw.fmt.not_read:
        checks.add_file(f"sheet_not_read_{reason}", None, value=name)
    if raw.foreign_rows:
        checks.add_file(
            "encoding_mixed",
            None,
            value=ENCODING_NAMES.get(raw.fmt.encoding or "", raw.fmt.encoding),
            detail=row_ranges(raw.foreign_rows),
        )


ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}


def text_cell_checks(
    checks: IssueCollector, df: pl.DataFrame, columns: tuple[str, ...], raw: dict[str, str]
) -> None:
    """Formula-like cells (CSV injection), absurdly long cells and cells holding a control
    character (C0 but tab and line breaks, DEL, C1: invisible, cut by many tools, refused
    by the letters' XML), named as ``U+0001``.

    ``raw`` maps a canonical column to the column holding the untouched cell text.
    """
    for col in columns:
        src = pl.col(raw.get(col, col))
        checks.add(df, has_control_expr(src), "control_char", col, detail=control_name_expr(src))
        # cells are already trimmed: literal prefix tests, no regex over every cell
        formula = src.str.starts_with("=") | src.str.starts_with("+") | src.str.starts_with("@")
        checks.add(df, formula, "formula_like", col, value=src.str.slice(0, 40))
        checks.add(
            df,
            src.str.len_bytes() > MAX_CELL_BYTES,
            "too_long",
            col,
            detail=src.str.len_chars(),
        )


def required_checks(
    checks: IssueCollector, df: pl.DataFrame, columns: tuple[str, ...], present: set[str]
) -> None:
    """An empty required cell (only for columns the file has; a missing column is reported once)."""
    for col in columns:
        if col in present:
            checks.add(df, pl.col(col).is_null(), "required", col)


# -- regions ------------------------------------------------------------------------------


def resolve_regions(df: pl.DataFrame, province_col: str, regency_col: str) -> pl.DataFrame:
    """Add province / regency codes and how they were found, resolving distinct values only.

    New columns: ``province_code``, ``_prov_method``, ``_prov_matched``, ``_prov_suggest``,
    ``regency_code``, ``_reg_method``, ``_reg_matched``, ``_reg_suggest``, ``_reg_outside``.
    """
    provs = df.select(pl.col(province_col).alias("_p")).unique().drop_nulls()
    p_res = regions.resolve_many(provs["_p"], "provinsi")
    provs = pl.concat([provs, p_res], how="horizontal").select(
        "_p",
        pl.col("code").alias("province_code"),
        pl.col("method").alias("_prov_method"),
        pl.col("matched_name").alias("_prov_matched"),
        pl.col("suggestions").list.join(", ").alias("_prov_suggest"),
    )
    out = df.join(provs, left_on=province_col, right_on="_p", how="left", maintain_order="left")

    pairs = out.select(pl.col(regency_col).alias("_k"), "province_code").unique().drop_nulls("_k")
    k_res = regions.resolve_many(pairs["_k"], "kabupaten", pairs["province_code"])
    pairs = pl.concat([pairs, k_res], how="horizontal").select(
        "_k",
        "province_code",
        pl.col("code").alias("regency_code"),
        pl.col("method").alias("_reg_method"),
        pl.col("matched_name").alias("_reg_matched"),
        pl.col("suggestions").list.join(", ").alias("_reg_suggest"),
    )
    out = out.join(
        pairs,
        left_on=[regency_col, "province_code"],
        right_on=["_k", "province_code"],
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )
    return out.with_columns(
        (
            pl.col("regency_code").is_not_null()
            & pl.col("province_code").is_not_null()
            & ~pl.col("regency_code").str.starts_with(pl.col("province_code"))
        ).alias("_reg_outside")
    )


def region_checks(
    checks: IssueCollector, df: pl.DataFrame, province_col: str, regency_col: str
) -> None:
    for col, prefix in ((province_col, "_prov"), (regency_col, "_reg")):
        method = pl.col(f"{prefix}_method")
        for hit, code, detail in (
            (pl.col(col).is_not_null() & (method == "none"), "region_unknown", "_suggest"),
            (method == "fuzzy", "region_fuzzy", "_matched"),
        ):
            checks.add(df, hit, code, col, value=pl.col(col), detail=pl.col(prefix + detail))
    checks.add(
        df,
        pl.col("_reg_outside"),
        "regency_not_in_province",
        regency_col,
        value=pl.col(regency_col),
        detail=pl.col("_reg_matched"),
    )


# -- agencies -----------------------------------------------------------------------------

_KIND_RULES: list[tuple[str, str]] = [
    (r"^pemerintah\b", "pemerintah_daerah"),
    (r"^sekretariat\b", "sekretariat"),
    (r"^dinas\b", "dinas"),
    (r"^(badan|kesatuan bangsa)\b", "badan"),
    (r"^inspektorat\b", "inspektorat"),
    (r"^kecamatan\b", "kecamatan"),
    (r"^kementerian\b", "kementerian"),
    (r"^kantor\b", "kantor"),
]


def _kind_expr(normalised: pl.Expr) -> pl.Expr:
    return first_match(normalised, _KIND_RULES, pl.lit("lainnya"))


def agency_regency(name: pl.Expr) -> pl.Expr:
    """The regency an agency belongs to: none for a provincial agency.

    "Dinas X Provinsi Kalimantan Tengah" in Palangka Raya is still a provincial agency;
    the kabupaten/kota column then says where the person or ceremony is, not the agency.
    """
    norm = normalise_name_expr(name)
    provincial = norm.str.contains(r"\bprovinsi\b") & ~norm.str.contains(r"\b(kabupaten|kota)\b")
    return pl.when(provincial).then(pl.lit(None, dtype=pl.String)).otherwise(pl.col("regency_code"))


# central (pusat) agencies by name: ministries and national bodies, when the name carries no
# province/regency qualifier ("Kantor Kementerian Agama Kabupaten X" is a regional office)
_NATIONAL_NAME = (
    r"^(kementerian|kementrian|kemen[a-z]+|kantor (staf presiden|regional)|"
    r"badan kepegawaian negara|bkn|kanreg bkn|komisi aparatur sipil negara|kasn|"
    r"badan pengawas pemilihan umum|bawaslu|komisi pemilihan umum|kpu|"
    r"lembaga administrasi negara|lan|menpan|kemenpan|sekretariat (negara|kabinet)|"
    r"kejaksaan agung|mahkamah|kepolisian negara|tentara nasional)\b"
    r"|\b(republik indonesia|ri|nasional|pusat)$"
)


def agency_is_national(name: pl.Expr) -> pl.Expr:
    """Whether an agency's name makes it a central (pusat) agency: its area is the nation."""
    norm = normalise_name_expr(name)
    return norm.str.contains(_NATIONAL_NAME) & ~norm.str.contains(r"\b(provinsi|kabupaten|kota)\b")


def loose_key_expr(
    name: pl.Expr, province: pl.Expr, regency: pl.Expr, stem: bool = False
) -> pl.Expr:
    """Looser identities for names typed differently, within the same region.

    Plain: the words kabupaten/kota/provinsi and every space dropped ("Setwan Gunung Kidul" =
    "Sekretariat DPRD Kabupaten Gunungkidul"). ``stem``: only what precedes the region
    qualifier ("DPMPTSP Prov. Kalteng" = "Dinas … Provinsi Kalimantan Tengah"), the region
    being in the key already. A regional government is one per region however its region is
    spelled ("Pemprov NTB").
    """
    norm = normalise_name_expr(name)
    if stem:
        text = norm.str.replace(r"\s*\b(kabupaten|kota|provinsi)\b.*$", "")
    else:
        text = norm.str.replace_all(r"\b(kabupaten|kota|provinsi)\b", "")
    text = text.str.replace_all(r"\s+", "")
    government = (
        pl.when(norm.str.contains(r"^pemerintah provinsi\b") & regency.is_null())
        .then(pl.lit("#pemprov"))
        .when(norm.str.contains(r"^pemerintah (kabupaten|kota)\b") & regency.is_not_null())
        .then(pl.lit("#pemda"))
    )
    text = pl.coalesce(government, pl.when(text != "").then(text))
    return pl.concat_str([text, province.fill_null(""), regency.fill_null("")], separator="|")


# per row: the area of the agency it belongs to (what an uploader's scope is checked against)
AGENCY_PROVINCE = "_agency_province"
AGENCY_REGENCY = "_agency_regency"
AGENCY_NAME = "_agency_name"  # the agency as the row names it

EXISTING_SCHEMA: dict[str, pl.DataType] = {
    Agencies.agency_id: pl.String(),
    Agencies.match_key: pl.String(),
    Agencies.name: pl.String(),
    Agencies.province_code: pl.String(),
    Agencies.regency_code: pl.String(),
    Agencies.level: pl.String(),
}


def existing_agencies(store: Store | None, keys: list[str], provinces: list[str]) -> pl.DataFrame:
    """The stored agencies an upload's rows may refer to (empty without a store)."""
    from dashboard import queries

    if store is None or (not keys and not provinces):
        return pl.DataFrame(schema=EXISTING_SCHEMA)
    return queries.agencies_for_matching(store, keys, provinces)


def match_agencies(
    df: pl.DataFrame, name_col: str, store: Store | None, upload_id: str | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Give every row an ``agency_id``; list the agencies the store lacks.

    An agency is found by its exact match key, else by the looser key within the same
    region, among the stored agencies of :func:`existing_agencies`. Returns (rows with
    ``agency_id``/``match_key``/``_agency_new``, new agency rows).
    """
    # one row per distinct (name, province, regency): a roster repeats a few agencies a lot
    trip = [name_col, "province_code", "regency_code"]
    # one string key: hashing one column beats hashing three on a million rows
    trip_key = pl.concat_str([pl.col(c).fill_null("") for c in trip], separator="\x1f")
    df = df.with_columns(trip_key.alias("_trip"))
    keyed = df.group_by("_trip", maintain_order=True).agg(
        *[pl.col(c).first() for c in trip], pl.len().alias("_n")
    )
    keyed = keyed.with_columns(agency_regency(pl.col(name_col)).alias("_ag_regency"))
    keyed = keyed.with_columns(
        match_key_expr(pl.col(name_col), pl.col("province_code"), pl.col("_ag_regency")).alias(
            Agencies.match_key
        )
    )
    firsts = (
        keyed.filter(pl.col(name_col).is_not_null() & pl.col("province_code").is_not_null())
        .group_by(Agencies.match_key, maintain_order=True)
        .agg(
            pl.col(name_col).first().alias(Agencies.name),
            pl.col("province_code").first(),
            pl.col("_ag_regency").first().alias("regency_code"),
            pl.col("_n").sum().cast(pl.UInt32).alias("rows"),
        )
    )
    existing = existing_agencies(
        store,
        keyed[Agencies.match_key].drop_nulls().unique().to_list(),
        keyed["province_code"].drop_nulls().unique().to_list(),
    )
    exact = existing.select(Agencies.agency_id, Agencies.match_key).unique(
        Agencies.match_key, keep="first", maintain_order=True
    )
    firsts = firsts.join(exact, on=Agencies.match_key, how="left")
    for stem in (False, True):
        stored = (
            existing.select(
                pl.col(Agencies.agency_id).alias("_loose_id"),
                loose_key_expr(
                    pl.col(Agencies.name),
                    pl.col(Agencies.province_code),
                    pl.col(Agencies.regency_code),
                    stem,
                ).alias("_loose"),
            )
            .drop_nulls("_loose")
            .sort("_loose_id")
            .unique("_loose", keep="first", maintain_order=True)
        )
        firsts = (
            firsts.with_columns(
                loose_key_expr(
                    pl.col(Agencies.name), pl.col("province_code"), pl.col("regency_code"), stem
                ).alias("_loose")
            )
            .join(stored, on="_loose", how="left")
            .with_columns(pl.coalesce(Agencies.agency_id, "_loose_id").alias(Agencies.agency_id))
            .drop("_loose", "_loose_id")
        )
    # the area each agency covers: a stored one's own (a central agency: the nation, both
    # codes null); a new one's as its name and rows make it, the wider of the two
    stored_area = existing.select(
        Agencies.agency_id,
        pl.when(pl.col(Agencies.level) != "pusat")
        .then(pl.col(Agencies.province_code))
        .alias(AGENCY_PROVINCE),
        pl.when(pl.col(Agencies.level) != "pusat")
        .then(pl.col(Agencies.regency_code))
        .alias(AGENCY_REGENCY),
    ).unique(Agencies.agency_id)
    national = agency_is_national(pl.col(Agencies.name))
    new_area = [
        pl.when(~national).then(pl.col("province_code")).alias(AGENCY_PROVINCE),
        pl.when(~national).then(pl.col("regency_code")).alias(AGENCY_REGENCY),
    ]
    new = firsts.filter(pl.col(Agencies.agency_id).is_null())
    new = new.with_columns(
        agency_ids(new[Agencies.match_key], prefix=NEW_AGENCY_PREFIX).alias(Agencies.agency_id)
    )
    reg_levels = regions.load_regions().select(
        pl.col(Regions.code).alias("regency_code"), pl.col(Regions.level).alias("_lvl")
    )
    new = new.join(reg_levels, on="regency_code", how="left").with_columns(
        pl.col("_lvl").fill_null("provinsi").alias(Agencies.level),
        _kind_expr(normalise_name_expr(pl.col(Agencies.name))).alias(Agencies.kind),
        pl.lit(None, dtype=pl.String).alias(Agencies.short_name),
        pl.lit(None, dtype=pl.String).alias(Agencies.parent_id),
        pl.lit(False).alias(Agencies.is_demo),
        pl.lit(upload_id, dtype=pl.String).alias(Agencies.upload_id),
    )
    ids = pl.concat(
        [
            firsts.filter(pl.col(Agencies.agency_id).is_not_null())
            .select(Agencies.match_key, Agencies.agency_id, pl.lit(False).alias("_agency_new"))
            .join(stored_area, on=Agencies.agency_id, how="left"),
            new.select(
                Agencies.match_key,
                Agencies.agency_id,
                pl.lit(True).alias("_agency_new"),
                *new_area,
            ),
        ]
    )
    per_triple = keyed.join(ids, on=Agencies.match_key, how="left").select(
        "_trip",
        Agencies.match_key,
        Agencies.agency_id,
        "_agency_new",
        AGENCY_PROVINCE,
        AGENCY_REGENCY,
    )
    rows = df.join(per_triple, on="_trip", how="left", maintain_order="left").drop("_trip")
    new_rows = new.select(
        Agencies.agency_id,
        Agencies.name,
        Agencies.short_name,
        Agencies.match_key,
        Agencies.level,
        Agencies.kind,
        Agencies.parent_id,
        pl.col("province_code").alias(Agencies.province_code),
        pl.col("regency_code").alias(Agencies.regency_code),
        Agencies.is_demo,
        Agencies.upload_id,
        "rows",
    )
    return rows, new_rows


# -- the report both uploads share ---------------------------------------------------------


@dataclass
class UploadReport:
    """Issues and normalised rows of one checked file; nothing of it is stored yet."""

    raw: RawTable
    mapping: ColumnMapping
    lang: str
    issues: pl.DataFrame  # _row, row, column, code, severity, message
    candidates: pl.DataFrame  # one normalised row per data row, with _row
    new_agencies: pl.DataFrame  # agencies the store lacks (Agencies columns + rows)
    # the committed upload with the same file content, when checked against a store
    duplicate_of: str | None = None

    @property
    def rows(self) -> int:
        return self.candidates.height

    @property
    def file_errors(self) -> pl.DataFrame:
        return self.issues.filter(pl.col(ROW).is_null() & (pl.col("severity") == "error"))

    @property
    def error_rows(self) -> pl.Series:
        return self.issues.filter(pl.col("severity") == "error")[ROW].drop_nulls().unique()

    @property
    def valid(self) -> pl.DataFrame:
        """Rows without any error (none at all if the file as a whole has an error)."""
        if self.file_errors.height:
            return self.candidates.clear()
        return self.candidates.filter(~pl.col(ROW).is_in(self.error_rows.implode()))

    @property
    def valid_rows(self) -> int:
        return self.valid.height

    @property
    def valid_new_agencies(self) -> pl.DataFrame:
        """The new agencies the valid rows would create (what the report lists)."""
        return self.new_agencies_of(self.valid)

    def new_agencies_of(self, rows: pl.DataFrame) -> pl.DataFrame:
        """The new agencies that ``rows`` (some of this report's rows) refer to."""
        used = rows[Agencies.agency_id].drop_nulls().unique()
        return self.new_agencies.filter(pl.col(Agencies.agency_id).is_in(used.implode()))

    @property
    def has_errors(self) -> bool:
        return bool((self.issues["severity"] == "error").any())

    @property
    def errors(self) -> list[Issue]:
        return issues_from_frame(self.issues, "error")

    @property
    def warnings(self) -> list[Issue]:
        return issues_from_frame(self.issues, "warning")

    def accepted(self, accept_valid: bool) -> pl.DataFrame:
        """What a commit writes: every row if nothing is wrong; with ``accept_valid`` the
        valid rows; otherwise none."""
        if self.has_errors and not accept_valid:
            return self.candidates.clear()
        return self.valid

    def rejected_rows(self) -> pl.DataFrame:
        """The rows left out, as the user sent them, with their row number and problems:
        what the clerk fixes and sends again."""
        msgs = (
            self.issues.filter(pl.col(ROW).is_not_null() & (pl.col("severity") == "error"))
            .group_by(ROW)
            .agg(pl.col("message").str.join(" | ").alias(t("upload.col.problems", self.lang)))
        )
        raw = self.raw.indexed()
        several = len(self.raw.fmt.parts) > 1
        sheet = [self.raw.sheet_name(pl.col(ROW)).alias(t("upload.col.sheet", self.lang))]
        return (
            raw.join(msgs, on=ROW, how="inner")
            .sort(ROW)
            .with_columns(*(sheet if several else []), self.raw.row_number(pl.col(ROW)).alias(ROW))
            .rename({ROW: t("upload.col.row", self.lang)})
        )

    def issue_table(self) -> pl.DataFrame:
        """The report as the clerk reads it: translated headings, no internal columns."""
        lang = self.lang
        # several sheets read together: the sheet comes before its row
        sheet = [pl.col("sheet").alias(t("upload.col.sheet", lang))]
        return self.issues.select(
            *(sheet if len(self.raw.fmt.parts) > 1 else []),
            pl.col("row").alias(t("upload.col.row", lang)),
            pl.col("column").alias(t("upload.col.column", lang)),
            pl.col("severity")
            .replace_strict(
                {s: t(f"upload.severity.{s}", lang) for s in ("error", "warning")},
                default=pl.col("severity"),
            )
            .alias(t("upload.col.severity", lang)),
            pl.col("code").alias(t("upload.col.code", lang)),
            pl.col("message").alias(t("upload.col.message", lang)),
        )


def restrict_to_scope(report: UploadReport, in_scope: pl.Expr, agency_in_scope: pl.Expr) -> None:
    """Rows outside the uploader's area, or of an agency not wholly inside it, become errors.

    ``in_scope`` / ``agency_in_scope`` are boolean expressions (``access.auth.in_scope_expr``)
    over the row's ``province_code`` / ``regency_code`` and over the area of the row's agency
    (``AGENCY_PROVINCE`` / ``AGENCY_REGENCY``). Rows whose region is unknown already have an
    error; a row outside the area is reported once, as ``out_of_scope``.
    """
    checks = IssueCollector()
    cand = report.candidates.filter(pl.col("province_code").is_not_null())
    checks.add(cand, ~in_scope, "out_of_scope", "provinsi", value=pl.col("province_code"))
    checks.add(
        cand,
        in_scope & pl.col("agency_id").is_not_null() & ~agency_in_scope,
        "agency_out_of_scope",
        "instansi",
        value=pl.col(AGENCY_NAME),
    )
    extra = checks.frame()
    if extra.height == 0:
        return
    rendered = render(extra, lang=report.lang, header_row=report.raw.fmt.header_row, raw=report.raw)
    report.issues = pl.concat([report.issues, rendered]).sort(ROW, "row", nulls_last=False)
