"""The issue registry of uploads: every code, its severity, and where its message lives.

In the style of a Frictionless Data validation report: each issue found in a file
is one row (spreadsheet ``row``, ``column``, ``code``, the offending ``value`` and a
``detail``), and this table says what the code means. Messages are not stored with
the issue: they are rendered in the reader's language at the edge (the upload page
or the CLI) from the catalogs ``dashboard/locales/{id,en}.json``, the one home of
user-facing text. A test checks that every code has a severity and a message in
both languages, and that every code the checks emit is registered here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

from dashboard.i18n import catalog

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")


@dataclass(frozen=True)
class IssueType:
    """What one issue code means.

    ``unreadable``: the file could not be read as a table at all (CLI exit code 2).
    ``message_key``: the catalog key of the message template; placeholders
    ``{column}`` (the user's own header), ``{value}`` and ``{detail}``.
    """

    code: str
    severity: Severity
    unreadable: bool = False
    message_key: str = ""

    @property
    def key(self) -> str:
        return self.message_key or f"upload.{self.code}"


def _e(code: str, *, unreadable: bool = False, key: str = "") -> IssueType:
    return IssueType(code, "error", unreadable, key)


def _w(code: str, *, key: str = "") -> IssueType:
    return IssueType(code, "warning", False, key)


# pandera's rule codes (dashboard.ingest.validation); the roster's last schema gate
# reports them as ``schema_<rule>``
SCHEMA_RULES = (
    "required",
    "pattern",
    "not_allowed",
    "too_small",
    "too_large",
    "too_short",
    "duplicate",
    "wrong_type",
    "signed_within_target",
)

_TYPES: tuple[IssueType, ...] = (
    # -- the file cannot be read as a table (exit 2) ---------------------------------------
    _e("file_not_found", unreadable=True),
    _e("file_empty", unreadable=True),
    _e("file_binary", unreadable=True),
    _e("file_unreadable", unreadable=True),
    _e("sheet_not_found", unreadable=True),
    _e("sheet_empty", unreadable=True),
    # an HTML page or an Excel 2003 XML workbook (saved as .xls) that holds no readable table
    _e("markup_unreadable", unreadable=True),
    _e("markup_no_table", unreadable=True),
    # refused before parsing (reading.LIMITS): a workbook that inflates past the limits
    _e("archive_too_large", unreadable=True),
    _e("archive_too_many_entries", unreadable=True),
    _e("too_many_rows", unreadable=True),
    # -- whole-file issues of a file that was read --------------------------------------
    _e("header_only"),  # read, but no data rows: exit 1
    _e("missing_column"),
    _w("extra_column"),
    _w("duplicate_column"),
    _w("column_ambiguous"),  # two headers' words name one column: neither is used
    _w("sheet_chosen"),
    _w("sheets_read"),
    # a sheet of the workbook not read, and why
    _w("sheet_not_read_instructions"),
    _w("sheet_not_read_empty"),
    _w("sheet_not_read_other_table"),
    _w("rows_skipped"),
    _w("encoding_mixed"),
    # -- cells ---------------------------------------------------------------------------
    _e("required"),
    _e("formula_like"),
    _e("too_long"),
    _e("control_char"),  # detail: the first one found, as U+0001 (never the byte)
    _e("nip_scientific"),
    _e("nip_format"),
    _e("nip_length"),
    _w("nip_birthdate_implausible"),
    _w("nip_service_start_implausible"),
    _w("nip_sex_digit"),
    _e("duplicate_nip"),
    _e("nip_already_current"),
    _e("position_level_unknown"),
    _w("position_level_inferred"),
    _w("position_level_missing"),
    _e("status_unknown"),
    _e("date_invalid"),
    _w("date_imprecise"),
    _w("date_out_of_range"),
    _w("signed_without_date"),
    _w("unsigned_with_date"),
    _e("region_unknown"),
    _w("region_fuzzy"),
    _e("regency_not_in_province"),
    _e("out_of_scope"),
    _e("agency_out_of_scope"),
    # -- target rosters and signature lists ------------------------------------------------
    _e("instansi_unplaced"),
    _e("signature_not_in_target"),
    _w("signature_name_differs"),
    _w("signature_repeated"),
    _e("signature_measure_unknown"),
    # -- events --------------------------------------------------------------------------
    _e("count_invalid"),
    _w("counts_incomplete"),
    _e("event_kind_unknown"),
    _e("precision_unknown"),
    _e("signed_exceeds_target"),
    # -- the last schema gate (a bug in the checks above if ever seen) ---------------------
    *(_e(f"schema_{rule}", key=f"rule.{rule}") for rule in SCHEMA_RULES),
)

REGISTRY: dict[str, IssueType] = {it.code: it for it in _TYPES}


def spec(code: str) -> IssueType:
    """What ``code`` means; an unregistered code (a bug the registry test catches) still
    reads as an error with its catalog message, never as a crash."""
    return REGISTRY.get(code) or IssueType(code, "error")


def severity(code: str) -> Severity:
    return spec(code).severity


def is_warning(code: str) -> bool:
    return spec(code).severity == "warning"


def is_unreadable(code: str) -> bool:
    return spec(code).unreadable


def template(code: str, lang: str) -> str:
    """The message template of ``code`` in ``lang`` (the code itself if the catalog lacks it)."""
    return catalog(lang).get(spec(code).key, code)


def message(code: str, lang: str, **values: object) -> str:
    """One issue's message (the CLI's whole-file issues); cells go through :func:`render`."""
    filled = {"column": "", "value": "", "detail": "", **values}
    return template(code, lang).format(**filled)


def severity_expr(code: pl.Expr) -> pl.Expr:
    """``"error"`` / ``"warning"`` per code, over a whole issue frame."""
    return code.replace_strict(
        {c: it.severity for c, it in REGISTRY.items()}, default="error", return_dtype=pl.String
    )


def counts(issues: pl.DataFrame) -> dict[str, int]:
    """Errors and warnings of a rendered or raw issue frame (the summary line's figures)."""
    sev = issues.select(severity_expr(pl.col("code")).alias("s"))["s"]
    return {s: int((sev == s).sum()) for s in SEVERITIES}
