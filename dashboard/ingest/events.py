"""Events upload: ceremonies (and the counts reported with them), from a file or a form.

Most offices report "we held the signing on 25 September, 53 targeted, 48
signed" rather than a roster. Each valid row becomes an ``events`` row; when
both target and signed counts are given it also becomes a ``signature_reports``
row, so the agency gets a figure (source *laporan*) until a roster arrives.
Validated and committed like a roster (same report, same upload record).
"""

from __future__ import annotations

import json

import polars as pl

from dashboard.ingest import checks as K
from dashboard.ingest import columns as C
from dashboard.ingest import normalise as N
from dashboard.ingest import upload as U
from dashboard.ingest.checks import ROW
from dashboard.ingest.reading import FileFormat, RawTable, read_table, sha256
from dashboard.store.database import CommitResult, Store, commit_upload
from schemas import Agencies, Events, SignatureReports

# working column -> Events column, in the table's order
_EVENT_FIELDS = {
    "_date": Events.event_date,
    "_precision": Events.date_precision,
    Agencies.agency_id: Events.agency_id,
    "province_code": Events.province_code,
    "regency_code": Events.regency_code,
    "_kind": Events.kind,
    C.EV_DIPIMPIN: Events.led_by,
    C.EV_SAKSI: Events.witnesses,
    C.EV_DASAR: Events.legal_basis,
    "_participants": Events.participants,
    "_target": Events.target_count,
    "_signed": Events.signed_count,
    C.EV_RINGKASAN: Events.summary,
    C.EV_SUMBER: Events.source_publisher,
    C.EV_JUDUL: Events.source_title,
    C.EV_TAUTAN: Events.source_file,
}
EVENT_KNOWN_HEADERS = {
    C.header_key(a): c for c, names in C.EVENT_ALIASES.items() for a in (c, *names)
}
KIND_WORDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "pakta",
            "pakta integritas",
            "penandatanganan pakta integritas",
            "penandatanganan pakta",
            "tanda tangan pakta",
            "integrity pact",
            "pact",
        ),
        "pakta",
    ),
    **dict.fromkeys(
        (
            "ikrar",
            "ikrar netralitas",
            "pengucapan ikrar",
            "pengucapan ikrar netralitas",
            "apel ikrar",
            "pledge",
        ),
        "ikrar",
    ),
    **dict.fromkeys(
        (
            "pakta_ikrar",
            "pakta dan ikrar",
            "pakta & ikrar",
            "pakta + ikrar",
            "pakta/ikrar",
            "pakta integritas dan ikrar",
            "pakta integritas dan ikrar netralitas",
            "keduanya",
            "both",
            "pact and pledge",
            "pact signing and pledge",
        ),
        "pakta_ikrar",
    ),
}
PRECISION_WORDS: dict[str, str] = {
    **dict.fromkeys(("day", "hari", "tanggal", "tgl", "harian"), "day"),
    **dict.fromkeys(("month", "bulan", "bln"), "month"),
    **dict.fromkeys(("year", "tahun", "thn"), "year"),
}
_RANK = {"day": 0, "month": 1, "year": 2}


class EventReport(K.UploadReport):
    """A checked events file; ``reports`` are the signature reports its counts give."""

    @property
    def reports(self) -> pl.DataFrame:
        return self.valid.filter(pl.col("_has_counts"))


def read_events(data: bytes, file_name: str, sheet: str | None = None) -> RawTable:
    return read_table(data, file_name, sheet=sheet, known_headers=EVENT_KNOWN_HEADERS)


def _count(expr: pl.Expr) -> pl.Expr:
    """ "1.234" / "1,234" / "53" -> 1234 / 53; anything else null."""
    return expr.str.replace_all(r"[.,\s]", "").cast(pl.Int64, strict=False)


def check_events(
    raw: RawTable,
    *,
    store: Store | None = None,
    mapping: C.ColumnMapping | None = None,
    lang: str = "id",
    progress: U.Progress | None = None,
) -> EventReport:
    """Validate an events table against the rules and the store's agencies; writes nothing."""
    step = progress or (lambda _f, _s: None)
    mapping = mapping or C.auto_mapping(raw.headers, C.EVENT_ALIASES, C.EVENT_REQUIRED)
    store = store if store is not None and store.exists() else None
    checks = K.IssueCollector()
    U.mapping_checks(checks, mapping)
    K.file_checks(checks, raw)

    step(0.2, "normalise")
    df = C.apply_mapping(raw.frame, mapping, C.EVENT_COLUMNS).insert_column(0, raw.row_index())
    df = df.with_columns(pl.col(ROW).cast(pl.Int64))
    df = N.clean_columns(df, C.EVENT_COLUMNS, collapse_in=C.EVENT_COLUMNS)
    parsed = N.parse_date(pl.col(C.EV_TANGGAL))
    given_precision = N.key_text(pl.col(C.EV_PRESISI)).replace_strict(
        PRECISION_WORDS, default=None, return_dtype=pl.String
    )
    df = df.with_columns(
        parsed.struct.field("date").alias("_date"),
        parsed.struct.field("precision").alias("_parsed_precision"),
        given_precision.alias("_given_precision"),
        N.key_text(pl.col(C.EV_JENIS))
        .replace_strict(KIND_WORDS, default=None, return_dtype=pl.String)
        .alias("_kind"),
        _count(pl.col(C.EV_PESERTA)).alias("_participants"),
        _count(pl.col(C.EV_SASARAN)).alias("_target"),
        _count(pl.col(C.EV_SUDAH)).alias("_signed"),
    )
    coarser = pl.col("_given_precision").replace_strict(
        _RANK, default=0, return_dtype=pl.Int8
    ) >= pl.col("_parsed_precision").replace_strict(_RANK, default=0, return_dtype=pl.Int8)
    # the coarser of what was written and what the date shows: never invent a day
    df = df.with_columns(
        pl.when(pl.col("_given_precision").is_not_null() & coarser)
        .then(pl.col("_given_precision"))
        .otherwise(pl.col("_parsed_precision"))
        .alias("_precision")
    ).with_columns(
        pl.when(pl.col("_precision") == "year")
        .then(pl.col("_date").dt.truncate("1y"))
        .when(pl.col("_precision") == "month")
        .then(pl.col("_date").dt.truncate("1mo"))
        .otherwise(pl.col("_date"))
        .alias("_date"),
        (pl.col("_target").is_not_null() & pl.col("_signed").is_not_null()).alias("_has_counts"),
    )

    step(0.4, "regions")
    df = K.resolve_regions(df, C.EV_PROVINSI, C.EV_KABUPATEN_KOTA)

    step(0.6, "checks")
    present = set(mapping.columns)
    K.text_cell_checks(checks, df, C.EVENT_COLUMNS, {})
    K.required_checks(checks, df, C.EVENT_REQUIRED, present)
    date = pl.col(C.EV_TANGGAL)
    checks.add(
        df, date.is_not_null() & pl.col("_date").is_null(), "date_invalid", C.EV_TANGGAL, value=date
    )
    checks.add(
        df,
        (pl.col("_precision") == "day") & N.date_out_of_range(pl.col("_date")),
        "date_out_of_range",
        C.EV_TANGGAL,
        value=date,
    )
    checks.add(
        df,
        pl.col(C.EV_PRESISI).is_not_null() & pl.col("_given_precision").is_null(),
        "precision_unknown",
        C.EV_PRESISI,
        value=pl.col(C.EV_PRESISI),
    )
    checks.add(
        df,
        pl.col(C.EV_JENIS).is_not_null() & pl.col("_kind").is_null(),
        "event_kind_unknown",
        C.EV_JENIS,
        value=pl.col(C.EV_JENIS),
    )
    for col, parsed_col in (
        (C.EV_PESERTA, "_participants"),
        (C.EV_SASARAN, "_target"),
        (C.EV_SUDAH, "_signed"),
    ):
        checks.add(
            df,
            pl.col(col).is_not_null() & (pl.col(parsed_col).is_null() | (pl.col(parsed_col) < 0)),
            "count_invalid",
            col,
            value=pl.col(col),
        )
    checks.add(
        df,
        pl.col("_signed") > pl.col("_target"),
        "signed_exceeds_target",
        C.EV_SUDAH,
        value=pl.col("_signed"),
        detail=pl.col("_target"),
    )
    checks.add(
        df,
        pl.col("_target").is_null() != pl.col("_signed").is_null(),
        "counts_incomplete",
        C.EV_SASARAN,
    )
    K.region_checks(checks, df, C.EV_PROVINSI, C.EV_KABUPATEN_KOTA)

    step(0.8, "agencies")
    df, new_agencies = K.match_agencies(df, C.EV_INSTANSI, store, upload_id=None)
    candidates = df.select(
        ROW,
        # file content + row: stable across a rollback and re-upload of the same file
        pl.format("ev-{}-{}", pl.lit(raw.sha256[:12]), pl.col(ROW) + 1).alias(Events.event_id),
        *(pl.col(src).alias(dst) for src, dst in _EVENT_FIELDS.items()),
        pl.lit(False).alias(Events.is_demo),
        pl.col(Agencies.match_key),
        pl.col("_agency_new"),
        pl.col(C.EV_INSTANSI).alias(K.AGENCY_NAME),
        pl.col(K.AGENCY_PROVINCE),
        pl.col(K.AGENCY_REGENCY),
        pl.col("_has_counts"),
    )
    step(1.0, "done")
    return EventReport(
        raw=raw,
        mapping=mapping,
        lang=lang,
        issues=U.rendered_issues(checks, raw, mapping, C.EVENT_COLUMNS, lang),
        candidates=candidates,
        new_agencies=new_agencies,
        duplicate_of=U.earlier_upload(store, raw, "events"),
    )


def validate_events(
    data: bytes,
    file_name: str,
    *,
    sheet: str | None = None,
    store: Store | None = None,
    lang: str = "id",
) -> EventReport:
    """Read and check an events file (raises ``UnreadableFile``)."""
    return check_events(read_events(data, file_name, sheet), store=store, lang=lang)


def form_report(values: dict[str, str | None], *, store: Store | None, lang: str) -> EventReport:
    """Check one event typed into the page's form, exactly as a one-row file would be.

    The form's content is its "file": submitting the same event twice is recognised
    as a duplicate upload.
    """
    row = {c: (values.get(c) or None) for c in C.EVENT_COLUMNS}
    frame = pl.DataFrame([row], schema=dict.fromkeys(C.EVENT_COLUMNS, pl.String))
    digest = sha256(json.dumps(row, sort_keys=True, ensure_ascii=False).encode())
    raw = RawTable(frame=frame, fmt=FileFormat(kind="form"), file_name="formulir", sha256=digest)
    mapping = C.with_columns(
        {c: c for c in C.EVENT_COLUMNS}, list(C.EVENT_COLUMNS), C.EVENT_REQUIRED
    )
    return check_events(raw, store=store, mapping=mapping, lang=lang)


def commit_events(
    report: EventReport,
    store: Store,
    *,
    accept_valid: bool = False,
    uploaded_by: str | None = None,
) -> CommitResult:
    """Write the accepted events (and their reported counts) as one upload."""
    ok = U.accepted(report, accept_valid)
    if ok is None:
        return CommitResult(upload_id=None, duplicate_of=report.duplicate_of)
    rows = ok.rows
    counted = rows.filter(pl.col("_has_counts"))
    reports = counted.select(
        pl.col(Events.event_id).str.replace("^ev-", "rp-").alias(SignatureReports.report_id),
        pl.col(Events.agency_id).alias(SignatureReports.agency_id),
        pl.col(Events.province_code).alias(SignatureReports.province_code),
        pl.col(Events.regency_code).alias(SignatureReports.regency_code),
        pl.col(Events.event_date).alias(SignatureReports.as_of),
        pl.col(Events.date_precision).alias(SignatureReports.as_of_precision),
        pl.col(Events.target_count).alias(SignatureReports.target),
        pl.col(Events.signed_count).alias(SignatureReports.signed),
        pl.lit(None, dtype=pl.Int64).alias(SignatureReports.pledged),
        pl.col(Events.event_id).alias(SignatureReports.event_id),
        pl.col(Events.source_publisher).alias(SignatureReports.source_publisher),
        pl.col(Events.source_title).alias(SignatureReports.source_title),
        pl.col(Events.source_file).alias(SignatureReports.source_file),
        pl.lit(False).alias(SignatureReports.is_demo),
    )
    return commit_upload(
        store,
        ok.record(report, "events", "append", uploaded_by),
        agencies=ok.new_agencies,
        events=rows.select([c for c in Events.to_schema().columns if c in rows.columns]),
        signature_reports=reports,
    )
