"""What a roster and an events file go through alike, around their own checks: the issues
of the column mapping, the rendered report, and the upload record their commit writes.

Keeping these steps here means the two uploads cannot drift apart in what they report or
in what the store remembers of a file.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from dashboard import queries
from dashboard.ingest import columns as C
from dashboard.ingest.checks import IssueCollector, UploadReport, render
from dashboard.ingest.reading import RawTable
from dashboard.store.database import Store, new_upload_id
from schemas import Agencies, Uploads

Progress = Callable[[float, str], None]


def default_uploader() -> str:
    """Who uploads when no one is signed in (the CLI): the OS user, else "lokal"."""
    try:
        return getpass.getuser() or "lokal"
    except (KeyError, OSError):
        return "lokal"


def mapping_checks(
    checks: IssueCollector, mapping: C.ColumnMapping, also_required: Sequence[str] = ()
) -> None:
    """File-level issues of the header mapping: required columns absent, headers unknown
    or given twice."""
    for col in mapping.missing_required:
        checks.add_file("missing_column", col)
    for col in also_required:
        if col not in mapping.columns:
            checks.add_file("missing_column", col)
    for header in mapping.extra:
        checks.add_file("extra_column", C.shorten(header), value=C.shorten(header))
    for header in mapping.duplicate:
        checks.add_file("duplicate_column", C.shorten(header), value=C.shorten(header))
    for col, headers in mapping.ambiguous:
        checks.add_file("column_ambiguous", col, value="; ".join(map(C.shorten, headers)))


def rendered_issues(
    checks: IssueCollector,
    raw: RawTable,
    mapping: C.ColumnMapping,
    columns: tuple[str, ...],
    lang: str,
) -> pl.DataFrame:
    """The issue frame with messages in ``lang``, rows as the spreadsheet numbers them and
    columns under the headers the file used."""
    return render(
        checks.frame(),
        lang=lang,
        header_row=raw.fmt.header_row,
        labels={c: mapping.columns.get(c, c) for c in columns},
        column_order=columns,
        raw=raw,
    )


def earlier_upload(store: Store | None, raw: RawTable, kind: str) -> str | None:
    """The committed upload of the same content, if the store has one."""
    if store is None:
        return None
    return queries.committed_upload_with_sha256(store, raw.sha256, kind)


@dataclass(frozen=True)
class Accepted:
    """What a commit of a checked file writes: its rows, and the new agencies they use."""

    upload_id: str
    rows: pl.DataFrame
    agency_ids: pl.Series
    new_agencies: pl.DataFrame

    def record(
        self, report: UploadReport, kind: str, mode: str, uploaded_by: str | None
    ) -> dict[str, Any]:
        """The ``uploads`` row of this commit."""
        return {
            Uploads.upload_id: self.upload_id,
            Uploads.kind: kind,
            Uploads.file_name: report.raw.file_name,
            Uploads.sha256: report.raw.sha256,
            Uploads.uploaded_by: uploaded_by or default_uploader(),
            Uploads.uploaded_at: dt.datetime.now(),
            Uploads.rows: report.rows,
            Uploads.valid_rows: self.rows.height,
            Uploads.mode: mode,
            Uploads.status: "committed",
        }


def accepted(report: UploadReport, accept_valid: bool) -> Accepted | None:
    """The rows a commit may write (see :meth:`UploadReport.accepted`), or None."""
    rows = report.accepted(accept_valid)
    if rows.height == 0:
        return None
    used = rows[Agencies.agency_id].unique()
    return Accepted(new_upload_id(), rows, used, report.new_agencies_of(rows).drop("rows"))
