"""The roster upload pipeline: read -> map columns -> normalise -> validate -> report -> commit.

Nothing reaches the store until :func:`commit_roster`; :func:`check_roster`
only reads it (existing agencies, the current roster of the agencies in the
file) to list new agencies and preview what a commit would change. Every
check is a Polars mask over the whole file (see ``upload_checks``); the rows
that pass are validated once more against the ``Officials`` pandera schema.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import polars as pl

from dashboard import queries
from dashboard.i18n import t
from dashboard.ingest import columns as C
from dashboard.ingest import normalise as N
from dashboard.ingest import upload as U
from dashboard.ingest.checks import (
    AGENCY_NAME,
    AGENCY_PROVINCE,
    AGENCY_REGENCY,
    ROW,
    IssueCollector,
    UploadReport,
    file_checks,
    match_agencies,
    region_checks,
    required_checks,
    resolve_regions,
    text_cell_checks,
)
from dashboard.ingest.reading import RawTable, read_table
from dashboard.store.database import CommitResult, Store, commit_upload
from dashboard.store.schema import TARGET_KIND
from schemas import Agencies, Officials
from schemas.vocab import POSITION_LEVEL_UNKNOWN, POSITION_LEVELS, UPLOAD_MODES

MODES = UPLOAD_MODES
# header key -> the column it names: sheets naming the same columns are one table
ROSTER_KNOWN_HEADERS = {
    C.header_key(a): c for c, names in C.ROSTER_ALIASES.items() for a in (c, *names)
}


def read_roster(data: bytes, file_name: str, sheet: str | None = None) -> RawTable:
    """Read a roster file (raises ``UnreadableFile``), recognising the header row."""
    return read_table(data, file_name, sheet=sheet, known_headers=ROSTER_KNOWN_HEADERS)


@dataclass
class RosterReport(UploadReport):
    """A checked roster: issues, normalised rows, new agencies and the preview of a commit."""

    mode: str = "replace"
    # the valid rows passed the Officials pandera schema (see _schema_gate)
    schema_checked: bool = False
    agency_preview: pl.DataFrame = field(default_factory=pl.DataFrame)
    person_changes: pl.DataFrame = field(default_factory=pl.DataFrame)


# -- checks ----------------------------------------------------------------------------------


def _normalise(df: pl.DataFrame, non_text_nip: pl.Series | None) -> pl.DataFrame:
    """Typed columns next to the cleaned text (the text stays for messages).

    Dates, statuses and position levels are parsed once per distinct value.
    """
    out = N.clean_columns(
        df, C.ROSTER_COLUMNS, collapse_in=(C.NAMA, C.JABATAN, C.INSTANSI, C.UNIT_KERJA)
    )
    nip = pl.col(C.NIP)
    out = out.with_columns(
        (
            N.nip_raw_scientific(nip)
            | (pl.Series(non_text_nip) if non_text_nip is not None else pl.lit(False))
        ).alias("_nip_sci"),
        N.nip_clean(nip).alias("_nip"),
    )
    out = out.with_columns(
        N.nip_birth_dates(out["_nip"]).alias("_nip_birth"),
        N.nip_service_start_years(out["_nip"]).alias("_nip_start"),
    )
    date = N.parse_date(pl.col(C.TANGGAL))
    out = N.on_distinct(
        out,
        [C.TANGGAL, C.STATUS, C.IKRAR],
        {
            "_date": date.struct.field("date"),
            "_precision": date.struct.field("precision"),
            "_signed": N.status(pl.col(C.STATUS)),
            "_pledged": N.status(pl.col(C.IKRAR)),
        },
    )
    out = N.on_distinct(
        out,
        [C.JENJANG, C.JABATAN],
        {
            "_level_given": N.position_level(pl.col(C.JENJANG)),
            "_level_inferred": pl.when(pl.col(C.JENJANG).is_null()).then(
                N.infer_position_level(pl.col(C.JABATAN))
            ),
        },
    )
    marks = {C.STATUS: "_signed", C.IKRAR: "_pledged"}
    out = out.with_columns(
        N.marked_status(pl.col(col), pl.col(parsed)).alias(parsed)
        for col, parsed in marks.items()
        if N.uses_marks(out, col)
    )
    return out.with_columns(
        pl.coalesce(
            "_level_given", "_level_inferred", pl.lit(POSITION_LEVEL_UNKNOWN, dtype=pl.String)
        ).alias("_level"),
        (
            pl.col("_nip").is_not_null()
            & ~pl.col("_nip_sci")
            & ~N.nip_non_digit(pl.col("_nip"))
            & ~N.nip_wrong_length(pl.col("_nip"))
        ).alias("_nip_ok"),
    )


def _jenis_asn(hint: pl.Series | None) -> pl.Expr:
    """PNS or PPPK: the file's legal-status column where it says, else the number's shape."""
    by_number = (
        pl.when(~pl.col("_nip_ok"))
        .then(pl.lit(None, dtype=pl.String))
        .when(N.nip_is_pppk(pl.col("_nip")))
        .then(pl.lit("PPPK"))
        .otherwise(pl.lit("PNS"))
    )
    if hint is None:
        return by_number
    return pl.coalesce(pl.col("_jenis_hint"), by_number)


def _row_checks(
    checks: IssueCollector, df: pl.DataFrame, present: set[str], raw: RawTable, lang: str
) -> None:
    text_cell_checks(checks, df, C.ROSTER_COLUMNS, {})
    # in a column of check marks an empty status cell means "not signed", not "missing"
    marked = C.STATUS if N.uses_marks(df, C.STATUS) else None
    required_checks(checks, df, tuple(c for c in C.ROSTER_REQUIRED if c != marked), present)

    nip, clean = pl.col(C.NIP), pl.col("_nip")
    elected = pl.col("_level") == "pejabat_negara"
    if C.NIP in present:
        checks.add(df, nip.is_null() & ~elected.fill_null(False), "required", C.NIP)
    checks.add(df, nip.is_not_null() & pl.col("_nip_sci"), "nip_scientific", C.NIP, value=nip)
    not_sci = nip.is_not_null() & ~pl.col("_nip_sci")
    checks.add(df, not_sci & N.nip_non_digit(clean), "nip_format", C.NIP, value=nip)
    checks.add(
        df,
        not_sci & ~N.nip_non_digit(clean) & N.nip_wrong_length(clean),
        "nip_length",
        C.NIP,
        value=nip,
        detail=clean.str.len_chars(),
    )
    ok = pl.col("_nip_ok")
    checks.add(
        df,
        ok & N.nip_birthdate_implausible(clean, birth=pl.col("_nip_birth")),
        "nip_birthdate_implausible",
        C.NIP,
        value=nip,
    )
    checks.add(
        df,
        ok
        & N.nip_service_start_implausible(
            clean, birth=pl.col("_nip_birth"), start=pl.col("_nip_start")
        ),
        "nip_service_start_implausible",
        C.NIP,
        value=nip,
    )
    checks.add(df, ok & N.nip_sex_digit_invalid(clean), "nip_sex_digit", C.NIP, value=nip)
    _duplicate_nips(checks, df, raw)

    labels = {lv: t(f"position.{lv}", lang) for lv in POSITION_LEVELS}
    label = pl.col("_level").replace_strict(labels, default=pl.col("_level"))
    jen = pl.col(C.JENJANG)
    checks.add(
        df,
        jen.is_not_null() & pl.col("_level_given").is_null(),
        "position_level_unknown",
        C.JENJANG,
        value=jen,
    )
    checks.add(
        df,
        pl.col("_level_inferred").is_not_null(),
        "position_level_inferred",
        C.JENJANG,
        value=pl.col(C.JABATAN),
        detail=label,
    )
    # optional, truly: a level neither given nor implied is stored as unknown, with a warning
    checks.add(
        df,
        jen.is_null() & pl.col("_level_inferred").is_null() & pl.col(C.JABATAN).is_not_null(),
        "position_level_missing",
        C.JENJANG,
        value=pl.col(C.JABATAN),
        detail=pl.lit(t(f"position.{POSITION_LEVEL_UNKNOWN}", lang)),
    )

    for col, parsed in ((C.STATUS, "_signed"), (C.IKRAR, "_pledged")):
        checks.add(
            df,
            pl.col(col).is_not_null() & pl.col(parsed).is_null(),
            "status_unknown",
            col,
            value=pl.col(col),
        )

    date = pl.col(C.TANGGAL)
    checks.add(
        df, date.is_not_null() & pl.col("_date").is_null(), "date_invalid", C.TANGGAL, value=date
    )
    precise = pl.col("_precision") == "day"
    checks.add(
        df,
        pl.col("_date").is_not_null() & ~precise,
        "date_imprecise",
        C.TANGGAL,
        value=date,
    )
    checks.add(
        df,
        precise & N.date_out_of_range(pl.col("_date")),
        "date_out_of_range",
        C.TANGGAL,
        value=date,
    )
    checks.add(
        df,
        (pl.col("_signed") == True) & date.is_null(),  # noqa: E712 (null-aware)
        "signed_without_date",
        C.TANGGAL,
    )
    checks.add(
        df,
        (pl.col("_signed") == False) & precise,  # noqa: E712
        "unsigned_with_date",
        C.TANGGAL,
        value=date,
    )
    region_checks(checks, df, C.PROVINSI, C.KABUPATEN_KOTA)


def _duplicate_nips(checks: IssueCollector, df: pl.DataFrame, raw: RawTable) -> None:
    """The same NIP on two rows: every occurrence is an error naming the other rows (as
    "Bidang Aset!7" when several sheets were read together)."""
    dup = pl.col("_nip_ok") & pl.col("_nip").is_duplicated()
    ok = df.filter(dup).select(ROW, "_nip")  # a cheap mask first: usually no row at all
    if ok.height == 0:
        return
    ok = ok.sort(ROW).with_columns(raw.row_label(pl.col(ROW)).alias("_label"))
    groups = ok.group_by("_nip").agg(ROW, "_label").filter(pl.col(ROW).list.len() > 1)
    if groups.height == 0:
        return
    hits = (
        groups.with_columns(
            pl.col("_label").alias("_all"),
            pl.int_ranges(0, pl.col(ROW).list.len()).alias("_at"),
        )
        .explode(ROW, "_label", "_at")
        .with_columns(
            # every other row of the group, in row order (labels sort as text: use positions)
            pl.col("_all")
            .list.gather(
                pl.int_ranges(0, pl.col("_all").list.len())
                .list.set_difference(pl.concat_list("_at"))
                .list.sort()
            )
            .list.join(", ")
            .alias("_others")
        )
    )
    checks.add(
        hits, pl.lit(True), "duplicate_nip", C.NIP, value=pl.col("_nip"), detail=pl.col("_others")
    )


# -- the pipeline ----------------------------------------------------------------------------


def check_roster(
    raw: RawTable,
    *,
    store: Store | None = None,
    mapping: C.ColumnMapping | None = None,
    mode: str = "replace",
    lang: str = "id",
    today: dt.date | None = None,
    progress: U.Progress | None = None,
    target: bool = False,
    jenis_hint: pl.Series | None = None,
) -> RosterReport:
    """Validate a read roster against the rules and the store; nothing is written.

    ``target``: a target roster (daftar sasaran): no status column; every row is stored as
    not (yet) signed, and only a signature list or a later roster says otherwise.
    ``jenis_hint``: per row of ``raw``, PNS / PPPK as the file's legal-status column says
    (the number decides where it is null).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    step = progress or (lambda _f, _s: None)
    mapping = mapping or C.auto_mapping(raw.headers)
    if target:  # a target roster has no status column: its absence is no error
        mapping = replace(
            mapping, missing_required=tuple(c for c in mapping.missing_required if c != C.STATUS)
        )
    store = store if store is not None and store.exists() else None
    checks = IssueCollector()

    step(0.1, "normalise")
    df = C.apply_mapping(raw.frame, mapping).insert_column(0, raw.row_index())
    if jenis_hint is not None:
        df = df.with_columns(jenis_hint.alias("_jenis_hint"))
    nip_header = mapping.columns.get(C.NIP)
    df = _normalise(df, raw.non_text.get(nip_header) if nip_header else None)
    elected_only = df.height > 0 and bool((df["_level"] == "pejabat_negara").all())
    U.mapping_checks(checks, mapping, also_required=() if elected_only else (C.NIP,))
    file_checks(checks, raw)

    step(0.3, "regions")
    df = resolve_regions(df, C.PROVINSI, C.KABUPATEN_KOTA)

    step(0.5, "checks")
    _row_checks(checks, df, set(mapping.columns), raw, lang)

    step(0.7, "agencies")
    df, new_agencies = match_agencies(df, C.INSTANSI, store, upload_id=None)

    candidates = df.select(
        ROW,
        pl.when(pl.col("_nip_ok")).then(pl.col("_nip")).alias(Officials.nip),
        pl.col(C.NAMA).alias(Officials.name),
        pl.col(C.JABATAN).alias(Officials.position),
        pl.col("_level").alias(Officials.position_level),
        pl.col(Agencies.agency_id).alias(Officials.agency_id),
        pl.col("province_code").alias(Officials.province_code),
        pl.col("regency_code").alias(Officials.regency_code),
        (pl.col("_signed").fill_null(False) if target else pl.col("_signed")).alias(
            Officials.signed
        ),
        pl.when(pl.col("_signed") & (pl.col("_precision") == "day"))
        .then(pl.col("_date"))
        .alias(Officials.signed_date),
        pl.col("_pledged").fill_null(False).alias(Officials.pledged),
        pl.concat_str(
            [pl.col(C.UNIT_KERJA), pl.col(C.KETERANGAN)], separator="; ", ignore_nulls=True
        ).alias(Officials.note),
        pl.lit(False).alias(Officials.is_demo),
        _jenis_asn(jenis_hint).alias(Officials.jenis_asn),
        pl.col(Agencies.match_key),
        pl.col("_agency_new"),
        pl.col(C.INSTANSI).alias(AGENCY_NAME),
        pl.col(AGENCY_PROVINCE),
        pl.col(AGENCY_REGENCY),
    )

    step(0.8, "store")
    current = (
        queries.current_roster(
            store, candidates[Officials.agency_id].drop_nulls().unique().to_list()
        )
        if store is not None
        else pl.DataFrame(
            schema={
                Officials.agency_id: pl.String,
                Officials.nip: pl.String,
                Officials.name: pl.String,
                Officials.position: pl.String,
                Officials.signed: pl.Boolean,
            }
        )
    )
    if mode == "append" and current.height:
        already = candidates.join(
            current.select(Officials.agency_id, Officials.nip).drop_nulls(),
            on=[Officials.agency_id, Officials.nip],
            how="semi",
        )
        checks.add(already, pl.lit(True), "nip_already_current", C.NIP, value=pl.col(Officials.nip))

    report = RosterReport(
        raw=raw,
        mapping=mapping,
        mode=mode,
        lang=lang,
        issues=U.rendered_issues(checks, raw, mapping, C.ROSTER_COLUMNS, lang),
        candidates=candidates,
        new_agencies=new_agencies,
        duplicate_of=U.earlier_upload(store, raw, TARGET_KIND if target else "roster"),
    )
    step(0.9, "schema")
    _schema_gate(report)
    _preview(report, store, current)
    step(1.0, "done")
    return report


def _officials_frame(rows: pl.DataFrame) -> pl.DataFrame:
    return rows.select([c for c in Officials.to_schema().columns if c in rows.columns])


def _schema_gate(report: RosterReport) -> None:
    """Last line of defence: the valid rows must satisfy the table's pandera schema.

    Anything it rejects is a bug in the checks above; it is still reported per row
    rather than failing the commit later.
    """
    from dashboard.ingest.validation import validate_rows

    valid = report.valid
    if valid.height == 0:
        return
    probe = _officials_frame(valid).with_columns(
        pl.lit("pending").alias(Officials.upload_id),
        pl.lit(None, dtype=pl.String).alias(Officials.superseded_by),
    )
    from dashboard.store.database import conform

    _, problems = validate_rows(conform(probe, Officials), Officials, report.lang)
    if not problems:
        report.schema_checked = True
        return
    index = valid[ROW]
    at = pl.Series(ROW, [index[p.row - 2] if p.row is not None else None for p in problems])
    where = pl.DataFrame([at]).select(
        report.raw.row_number(pl.col(ROW)).alias("row"),
        report.raw.sheet_name(pl.col(ROW)).alias("sheet"),
    )
    extra = pl.DataFrame(
        {
            ROW: at,
            "row": where["row"],
            "sheet": where["sheet"],
            "column": [p.column for p in problems],
            "code": [f"schema_{p.code}" for p in problems],
            "severity": ["error"] * len(problems),
            "message": [p.message for p in problems],
            "value": [p.value or "" for p in problems],
            "detail": [""] * len(problems),
        },
        schema=report.issues.schema,
    )
    report.issues = pl.concat([report.issues, extra]).sort(ROW, nulls_last=False)


def _preview(report: RosterReport, store: Store | None, current: pl.DataFrame) -> None:
    """Per agency signed/target before -> after, and by NIP who newly signed, is new, has left."""
    new = report.valid
    ag = new.group_by(Officials.agency_id).agg(
        pl.len().alias("rows"),
        pl.col(Officials.signed).sum().cast(pl.Int64).alias("signed_new"),
        pl.col("_agency_new").first(),
    )
    names = report.new_agencies.select(Agencies.agency_id, Agencies.name)
    ids = ag[Officials.agency_id].drop_nulls().to_list()
    before = (
        queries.agency_figures(store, ids)
        if store is not None and ids
        else pl.DataFrame(
            schema={
                "agency_id": pl.String,
                "target": pl.Int64,
                "signed": pl.Int64,
                "source": pl.String,
                "from_roster": pl.Boolean,
            }
        )
    )
    if store is not None and ids:
        stored_names = queries.agency_names(store, ids)
        names = pl.concat([names, stored_names]).unique(Agencies.agency_id)
    preview = (
        ag.join(before, on="agency_id", how="left")
        .join(names, on="agency_id", how="left")
        .with_columns(
            pl.col("target").fill_null(0).alias("target_before"),
            pl.col("signed").fill_null(0).alias("signed_before"),
        )
    )
    roster_before = pl.col("from_roster").fill_null(False)
    if report.mode == "replace":
        after_t, after_s = pl.col("rows"), pl.col("signed_new")
    else:
        after_t = (
            pl.when(roster_before)
            .then(pl.col("target_before") + pl.col("rows"))
            .otherwise(pl.col("rows"))
        )
        after_s = (
            pl.when(roster_before)
            .then(pl.col("signed_before") + pl.col("signed_new"))
            .otherwise(pl.col("signed_new"))
        )
    report.agency_preview = preview.select(
        pl.col("agency_id"),
        pl.col("name"),
        pl.col("_agency_new").alias("is_new"),
        pl.col("source").alias("source_before"),
        pl.col("target_before"),
        pl.col("signed_before"),
        after_t.alias("target_after"),
        after_s.alias("signed_after"),
    ).sort("name")

    old = current.filter(pl.col(Officials.nip).is_not_null())
    # by person only where the agency had a roster: everyone is "new" in a new agency
    incoming = new.filter(
        pl.col(Officials.nip).is_not_null()
        & pl.col(Officials.agency_id).is_in(old[Officials.agency_id].unique().implode())
    ).select(Officials.agency_id, Officials.nip, Officials.name, Officials.signed)
    joined = incoming.join(
        old.select(
            Officials.agency_id,
            Officials.nip,
            pl.col(Officials.signed).alias("_was_signed"),
        ),
        on=[Officials.agency_id, Officials.nip],
        how="left",
    )
    parts = [
        joined.filter(pl.col("_was_signed").is_null()).with_columns(pl.lit("new").alias("change")),
        joined.filter(
            (pl.col("_was_signed") == False) & pl.col(Officials.signed)  # noqa: E712
        ).with_columns(pl.lit("newly_signed").alias("change")),
    ]
    if report.mode == "replace":
        left = old.join(
            incoming.select(Officials.agency_id, Officials.nip),
            on=[Officials.agency_id, Officials.nip],
            how="anti",
        ).select(Officials.agency_id, Officials.nip, Officials.name, Officials.signed)
        parts.append(
            left.with_columns(
                pl.lit(None, dtype=pl.Boolean).alias("_was_signed"), pl.lit("left").alias("change")
            )
        )
    changes = pl.concat(
        [p.select(Officials.agency_id, Officials.nip, Officials.name, "change") for p in parts]
    )
    report.person_changes = changes.join(
        report.agency_preview.select("agency_id", pl.col("name").alias("agency_name")),
        on="agency_id",
        how="left",
    ).sort("agency_name", "change", Officials.name)


def validate_roster(
    data: bytes,
    file_name: str,
    *,
    sheet: str | None = None,
    store: Store | None = None,
    mode: str = "replace",
    lang: str = "id",
    progress: U.Progress | None = None,
) -> RosterReport:
    """Read and check in one call (the CLI path); raises ``UnreadableFile``."""
    raw = read_roster(data, file_name, sheet)
    return check_roster(raw, store=store, mode=mode, lang=lang, progress=progress)


# -- commit ----------------------------------------------------------------------------------


def commit_roster(
    report: RosterReport,
    store: Store,
    *,
    accept_valid: bool = False,
    uploaded_by: str | None = None,
    kind: str = "roster",
) -> CommitResult:
    """Write the accepted rows as one upload (replace or append, as the report was checked).

    Returns ``CommitResult(None, None)`` when nothing may be written (errors without
    ``accept_valid``, or no valid row at all).
    """
    ok = U.accepted(report, accept_valid)
    if ok is None:
        return CommitResult(upload_id=None, duplicate_of=report.duplicate_of)
    return commit_upload(
        store,
        ok.record(report, kind, report.mode, uploaded_by),
        agencies=ok.new_agencies,
        officials=_officials_frame(ok.rows),
        replace_agency_ids=ok.agency_ids.to_list() if report.mode == "replace" else None,
        # check_roster ran these very rows through the Officials schema (_schema_gate)
        validated=("officials",) if report.schema_checked else (),
    )
