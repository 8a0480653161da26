"""Signature lists (daftar tanda tangan): who signed the pact / spoke the pledge, and when.

A list is the ceremony's attendance sheet or the register of signed pact forms: NIP,
date, which (pact, pledge or both), optionally name and unit for checking. It is matched
by NIP to the current target roster. A NIP not in the target is an error row that says so
(a list arriving before its target is refused row by row, nothing is stored pending: upload
the target, then the list again); a name clearly different from the target's is a warning;
a person already signed (in this list or an earlier one) is reported and the earliest date
counts. Each list is one upload, rolled back on its own; lists accumulate.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import polars as pl

from dashboard import queries
from dashboard.ingest import normalise as N
from dashboard.ingest import upload as U
from dashboard.ingest.checks import ROW, IssueCollector, UploadReport
from dashboard.ingest.columns import ColumnMapping
from dashboard.ingest.reading import (
    FileFormat,
    RawTable,
    UnreadableFile,
    check_archive,
    limit,
    sha256,
    workbook_kind,
)
from dashboard.ingest.siasn import _read_csv_header, header_key
from dashboard.store.database import CommitResult, Store, commit_upload
from schemas import Agencies, Signatures

KIND = "tanda_tangan"
NIP, TANGGAL, JENIS, NAMA, UNIT = "nip", "tanggal", "jenis", "nama", "unit_kerja"
COLUMNS = (NIP, TANGGAL, JENIS, NAMA, UNIT)
HEADERS: dict[str, tuple[str, ...]] = {
    NIP: ("NIP", "NIP BARU", "NOMOR INDUK PEGAWAI", "NI PPPK"),
    TANGGAL: ("TANGGAL", "TANGGAL TANDA TANGAN", "TGL", "TANGGAL TTD", "DATE"),
    JENIS: ("JENIS", "TANDA TANGAN", "PENANDATANGANAN", "JENIS TANDA TANGAN", "MEASURE"),
    NAMA: ("NAMA", "NAMA LENGKAP", "NAME"),
    UNIT: ("UNIT KERJA", "OPD", "UNOR NAMA", "SATUAN KERJA", "UNIT"),
}


def _read(data: bytes) -> tuple[pl.DataFrame, FileFormat]:
    kind = workbook_kind(data)
    if kind is not None:
        check_archive(data)
        try:
            frame = pl.read_excel(io.BytesIO(data), engine="calamine", infer_schema_length=0)
        except Exception as exc:  # noqa: BLE001 - any reader failure is an unreadable file
            raise UnreadableFile("file_unreadable", reason=type(exc).__name__) from exc
        fmt = FileFormat(kind=kind, header_row=1)
    else:
        _, sep = _read_csv_header(data)
        try:
            frame = pl.read_csv(
                io.BytesIO(data[3:] if data.startswith(b"\xef\xbb\xbf") else data),
                separator=sep,
                infer_schema=False,
                truncate_ragged_lines=True,
                encoding="utf8-lossy",
                n_rows=limit("NETRALITAS_MAX_ROWS") + 1,
            )
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise UnreadableFile("file_unreadable", reason=type(exc).__name__) from exc
        fmt = FileFormat(kind="csv", encoding="utf-8", delimiter=sep, header_row=1)
    by_key = {header_key(h): h for h in reversed(frame.columns)}
    proj = {}
    for col, names in HEADERS.items():
        found = next((by_key[header_key(n)] for n in names if header_key(n) in by_key), None)
        if found is not None:
            proj[col] = found
    if NIP not in proj:
        raise UnreadableFile("file_unreadable", reason="no NIP column")
    out = frame.select(
        [
            (pl.col(proj[c]).cast(pl.String) if c in proj else pl.lit(None, dtype=pl.String))
            .str.strip_chars()
            .str.strip_chars_start("'")
            .alias(c)
            for c in COLUMNS
        ]
    )
    out = out.with_columns(
        pl.when(pl.col(c).is_in(["", "null", "NULL", "-"])).then(None).otherwise(pl.col(c)).alias(c)
        for c in COLUMNS
    )
    return out, fmt


def _measures(jenis: pl.Expr) -> pl.Expr:
    """``["pakta", "ikrar"]`` from "pakta dan ikrar" / "keduanya" / "pakta" / "ikrar";
    an empty cell means both (a ceremony signs and pledges together); null: not understood."""
    j = jenis.str.to_lowercase()
    pact = j.str.contains(r"pakta|pact|integritas")
    pledge = j.str.contains(r"ikrar|pledge")
    both = j.str.contains(r"keduanya|both|semua") | (pact & pledge) | jenis.is_null()
    return (
        pl.when(both)
        .then(pl.lit(["pakta", "ikrar"]))
        .when(pact)
        .then(pl.lit(["pakta"]))
        .when(pledge)
        .then(pl.lit(["ikrar"]))
        .otherwise(pl.lit(None, dtype=pl.List(pl.String)))
    )


def _name_key(name: pl.Expr) -> pl.Expr:
    """Letters of a name without academic titles ("Dr.", "S.Sos", ", M.Si")."""
    return (
        name.str.to_lowercase()
        .str.replace(r",.*$", "")
        .str.replace_all(r"\b[a-z]{1,3}\.(\s*[a-z]{1,4}\.?)*", " ")
        .str.replace_all(r"[^a-z]", "")
    )


@dataclass
class SignatureReport(UploadReport):
    """A checked signature list: per row the NIP matched, its measures and date."""


def check_signatures(
    data: bytes, file_name: str, *, store: Store | None = None, lang: str = "id"
) -> SignatureReport:
    """Read and check a signature list against the store's target roster; nothing written."""
    frame, fmt = _read(data)
    raw = RawTable(frame=frame, fmt=fmt, file_name=file_name, sha256=sha256(data))
    mapping = ColumnMapping(columns={c: c for c in COLUMNS})
    checks = IssueCollector()
    df = frame.insert_column(0, raw.row_index())
    df = df.with_columns(N.nip_clean(pl.col(NIP)).alias("_nip"))
    date = N.parse_date(pl.col(TANGGAL))
    df = N.on_distinct(
        df,
        [TANGGAL, JENIS],
        {
            "_date": date.struct.field("date"),
            "_precision": date.struct.field("precision"),
            "_measures": _measures(pl.col(JENIS)),
        },
    )
    nip_ok = (
        pl.col("_nip").is_not_null()
        & ~N.nip_non_digit(pl.col("_nip"))
        & ~N.nip_wrong_length(pl.col("_nip"))
    )
    df = df.with_columns(nip_ok.fill_null(False).alias("_nip_ok"))
    checks.add(df, pl.col(NIP).is_null(), "required", NIP)
    checks.add(df, pl.col(NIP).is_not_null() & ~pl.col("_nip_ok"), "nip_format", NIP, pl.col(NIP))
    checks.add(
        df,
        pl.col(TANGGAL).is_not_null() & pl.col("_date").is_null(),
        "date_invalid",
        TANGGAL,
        pl.col(TANGGAL),
    )
    checks.add(df, pl.col("_measures").is_null(), "signature_measure_unknown", JENIS, pl.col(JENIS))
    nips = df.filter(pl.col("_nip_ok"))["_nip"].unique().to_list()
    if store is not None and store.exists() and nips:
        target = queries.target_people(store, nips)
        earlier = queries.stored_signatures(store, nips)
    else:
        target = pl.DataFrame(schema={"nip": pl.String, "name": pl.String, "agency_id": pl.String})
        earlier = pl.DataFrame(schema={"nip": pl.String, "measure": pl.String, "first": pl.Date})
    target = target.unique("nip", keep="first")
    df = df.join(
        target.select(
            pl.col("nip").alias("_nip"),
            pl.col("name").alias("_target_name"),
            pl.col("agency_id").alias(Agencies.agency_id),
        ),
        on="_nip",
        how="left",
        maintain_order="left",
    )
    checks.add(
        df,
        pl.col("_nip_ok") & pl.col(Agencies.agency_id).is_null(),
        "signature_not_in_target",
        NIP,
        pl.col("_nip"),
    )
    a, b = _name_key(pl.col(NAMA)), _name_key(pl.col("_target_name"))
    differs = (a != b) & ~a.str.contains(b, literal=True) & ~b.str.contains(a, literal=True)
    checks.add(
        df,
        pl.col(NAMA).is_not_null() & pl.col("_target_name").is_not_null() & differs,
        "signature_name_differs",
        NAMA,
        pl.col(NAMA),
        pl.col("_target_name"),
    )
    # already signed: earlier in this list, or in a list stored before
    first_in_file = pl.col(ROW) == pl.col(ROW).min().over("_nip")
    before = earlier.group_by("nip").agg(pl.col("first").min().alias("_before"))
    df = df.join(
        before.rename({"nip": "_nip"}), on="_nip", how="left", maintain_order="left"
    ).with_columns(pl.col("_before").is_not_null().alias("_had"))
    checks.add(
        df,
        pl.col("_nip_ok") & (~first_in_file | pl.col("_had")),
        "signature_repeated",
        NIP,
        pl.col("_nip"),
        pl.coalesce(
            pl.col("_before").dt.strftime("%Y-%m-%d"),
            pl.col("_date").min().over("_nip").dt.strftime("%Y-%m-%d"),
        ),
    )
    candidates = df.select(
        ROW,
        pl.col("_nip").alias(Signatures.nip),
        "_measures",
        pl.when(pl.col("_precision") == "day").then(pl.col("_date")).alias(Signatures.signed_date),
        pl.col(NAMA).alias(Signatures.name),
        pl.col(UNIT).alias(Signatures.unit),
        pl.col(Agencies.agency_id),
    )
    return SignatureReport(
        raw=raw,
        mapping=mapping,
        lang=lang,
        issues=U.rendered_issues(checks, raw, mapping, COLUMNS, lang),
        candidates=candidates,
        new_agencies=pl.DataFrame(schema={Agencies.agency_id: pl.String, "rows": pl.UInt32}),
        duplicate_of=U.earlier_upload(store if store and store.exists() else None, raw, KIND),
    )


def commit_signatures(
    report: SignatureReport,
    store: Store,
    *,
    accept_valid: bool = False,
    uploaded_by: str | None = None,
) -> CommitResult:
    """Write the accepted rows as one upload of kind ``tanda_tangan`` (one row per person
    and measure); the figures take each person's earliest date."""
    ok = U.accepted(report, accept_valid)
    if ok is None:
        return CommitResult(upload_id=None, duplicate_of=report.duplicate_of)
    rows = (
        ok.rows.explode("_measures")
        .rename({"_measures": Signatures.measure})
        .with_row_index("_i")
        .with_columns(
            pl.format("{}-{}", pl.lit(ok.upload_id), pl.col("_i")).alias(Signatures.signature_id),
            pl.lit(False).alias(Signatures.is_demo),
        )
    )
    return commit_upload(
        store,
        ok.record(report, KIND, "append", uploaded_by),
        signatures=rows.select([c for c in Signatures.to_schema().columns if c in rows.columns]),
    )
