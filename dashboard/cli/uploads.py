"""``netralitas validate | import | import-events | uploads | rollback | template``.

The JSON contract (one object on stdout, exit 0 no errors / 1 errors / 2 unreadable)::

    {"ok": bool, "rows": int, "valid_rows": int, "errors": [ISSUE...],
     "warnings": [ISSUE...], "upload_id": str|null, "duplicate_of": str|null}
    ISSUE = {"row": int|null, "column": str|null, "code": str, "message": str,
             "value": str|null, "detail": str|null, "sheet": str|null}
    ("sheet": the sheet of "row" when a workbook's sheets were read together, else null)

What each code means (severity, unreadable or not) is ``dashboard.ingest.issues``.

The report (with names and NIPs from the user's own file) goes to stdout; stderr
carries only counts and outcomes, never personal data. Heavy modules (pandera,
the pipeline) are imported inside the commands so other commands stay fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from dashboard.access.gate import Refused
from dashboard.cli.options import json_option as _json
from dashboard.cli.options import store_option as _store
from dashboard.i18n import LANGS, t
from dashboard.store.database import Store, StoreBusy, StoreError
from schemas.vocab import UPLOAD_MODES

if TYPE_CHECKING:
    from dashboard.ingest.events import EventReport
    from dashboard.ingest.roster import RosterReport

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2

_lang = click.option(
    "--lang", type=click.Choice(LANGS), default="id", show_default=True, help="Message language."
)
_sheet = click.option(
    "--sheet", default=None, help="Read only this sheet (default: every sheet holding roster rows)."
)
_file = click.argument("file", type=click.Path(dir_okay=False, path_type=Path))


def _doc(
    *,
    rows: int = 0,
    valid_rows: int = 0,
    errors: list[dict[str, Any]] | None = None,
    warnings: list[dict[str, Any]] | None = None,
    upload_id: str | None = None,
    duplicate_of: str | None = None,
) -> dict[str, Any]:
    errors = errors or []
    return {
        "ok": not errors,
        "rows": rows,
        "valid_rows": valid_rows,
        "errors": errors,
        "warnings": warnings or [],
        "upload_id": upload_id,
        "duplicate_of": duplicate_of,
    }


def _issue(code: str, lang: str, value: str = "", detail: str = "") -> dict[str, Any]:
    from dashboard.ingest import issues

    return {
        "row": None,
        "column": None,
        "code": code,
        "message": issues.message(code, lang, value=value, detail=detail),
        "value": value or None,
        "detail": detail or None,
        "sheet": None,
    }


def _emit(doc: dict[str, Any]) -> None:
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2))


def _read(file: Path) -> bytes | None:
    try:
        return file.read_bytes()
    except OSError:
        return None


def _unreadable(code: str, detail: dict[str, object], lang: str, as_json: bool) -> None:
    """The file could not be read (exit 2)."""
    issue = _issue(
        code,
        lang,
        value=str(detail.get("value", detail.get("sheet", ""))),
        detail=str(detail.get("detail", detail.get("sheets", ""))),
    )
    if as_json:
        _emit(_doc(errors=[issue]))
    else:
        click.echo(issue["message"], err=True)
    sys.exit(EXIT_UNREADABLE)


def _print_report(report: RosterReport | EventReport, lang: str) -> None:
    """Human-readable report on stdout: one line per issue, then the counts."""
    for r, sheet, col, code, sev, msg in report.issues.select(
        "row", "sheet", "column", "code", "severity", "message"
    ).iter_rows():
        at = f"{sheet}!{r}" if sheet else r  # "Bidang Aset!7" when several sheets were read
        where = f"{t('upload.col.row', lang)} {at}" if r is not None else "-"
        click.echo(f"{t(f'upload.severity.{sev}', lang)}\t{where}\t{col or '-'}\t{code}\t{msg}")


def _summary_line(report: RosterReport | EventReport, lang: str) -> str:
    from dashboard.ingest import issues

    counted = issues.counts(report.issues)
    return t(
        "upload.cli.summary",
        lang,
        rows=report.rows,
        valid=report.valid_rows,
        errors=counted["error"],
        warnings=counted["warning"],
    )


def _finish(
    report: RosterReport | EventReport,
    *,
    as_json: bool,
    lang: str,
    upload_id: str | None = None,
    duplicate_of: str | None = None,
    extra_errors: list[dict[str, Any]] | None = None,
) -> None:
    errors = [i.to_dict() for i in report.errors] + (extra_errors or [])
    extra = {"not_targeted": report.inactive} if hasattr(report, "inactive") else {}
    doc = _doc(
        rows=report.rows,
        valid_rows=report.valid_rows,
        errors=errors,
        warnings=[i.to_dict() for i in report.warnings],
        upload_id=upload_id,
        duplicate_of=duplicate_of,
    )
    doc.update(extra)
    if as_json:
        _emit(doc)
    else:
        _print_report(report, lang)
        click.echo(_summary_line(report, lang), err=True)
    sys.exit(EXIT_OK if doc["ok"] else EXIT_ERRORS)


def _store_or_none(store_path: Path | None) -> Store | None:
    store = Store(store_path)
    return store if store.exists() else None


def _store_problem(exc: StoreError, as_json: bool, report: Any = None) -> None:
    code = "store_busy" if isinstance(exc, StoreBusy) else "store_error"
    issue = {
        "row": None,
        "column": None,
        "code": code,
        "message": str(exc),
        "value": None,
        "detail": None,
        "sheet": None,
    }
    if as_json:
        _emit(
            _doc(
                rows=report.rows if report is not None else 0,
                valid_rows=report.valid_rows if report is not None else 0,
                errors=[issue],
            )
        )
    else:
        click.echo(str(exc), err=True)
    sys.exit(EXIT_ERRORS)


@click.command()
@_file
@_sheet
@click.option("--mode", type=click.Choice(UPLOAD_MODES), default="replace")
@_store
@_json
@_lang
def validate(
    file: Path, sheet: str | None, mode: str, store_path: Path | None, as_json: bool, lang: str
) -> None:
    """Check a roster file without storing anything (exit 0 ok, 1 errors, 2 unreadable)."""
    from dashboard.ingest.reading import UnreadableFile
    from dashboard.ingest.roster import validate_roster

    data = _read(file)
    if data is None:
        _unreadable("file_not_found", {}, lang, as_json)
        return
    try:
        report = validate_roster(
            data, file.name, sheet=sheet, store=_store_or_none(store_path), mode=mode, lang=lang
        )
    except UnreadableFile as exc:
        _unreadable(exc.code, exc.detail, lang, as_json)
        return
    except StoreError as exc:
        _store_problem(exc, as_json)
        return
    _finish(report, as_json=as_json, lang=lang)


@click.command("import")
@_file
@click.option(
    "--mode",
    type=click.Choice(UPLOAD_MODES),
    default="replace",
    show_default=True,
    help="replace: the file supersedes the roster of the agencies in it; append: adds rows.",
)
@click.option(
    "--kind",
    type=click.Choice(["roster", "sasaran", "tanda-tangan"]),
    default="roster",
    show_default=True,
    help="roster: with signature status; sasaran: a target roster (SIASN export or the "
    "template without status); tanda-tangan: a signature list matched to the target by NIP.",
)
@click.option("--accept-valid", is_flag=True, help="Commit the valid rows even if others fail.")
@click.option("--uploaded-by", default=None, help="Recorded uploader (default: the OS user).")
@_sheet
@_store
@_json
@_lang
def import_roster(
    file: Path,
    mode: str,
    kind: str,
    accept_valid: bool,
    uploaded_by: str | None,
    sheet: str | None,
    store_path: Path | None,
    as_json: bool,
    lang: str,
) -> None:
    """Validate and commit a roster file as one upload (same exit codes as validate).

    With --accept-valid the valid rows are committed even when other rows have
    errors; the exit code is still 1 and "upload_id" says what was committed.
    """
    from dashboard.ingest.roster import validate_roster
    from dashboard.ingest.siasn import check_target
    from dashboard.ingest.signatures import check_signatures

    def validate(data: bytes, store: Store) -> Any:
        if kind == "sasaran":
            return check_target(data, file.name, store=store, lang=lang)
        if kind == "tanda-tangan":
            return check_signatures(data, file.name, store=store, lang=lang)
        return validate_roster(data, file.name, sheet=sheet, store=store, mode=mode, lang=lang)

    _import_and_commit(
        file,
        kind=kind,
        mode="append" if kind == "tanda-tangan" else mode,
        validate=validate,
        accept_valid=accept_valid,
        uploaded_by=uploaded_by,
        store_path=store_path,
        as_json=as_json,
        lang=lang,
    )


def _import_and_commit(
    file: Path,
    *,
    kind: str,
    mode: str,
    validate: Callable[[bytes, Store], RosterReport | EventReport],
    accept_valid: bool,
    uploaded_by: str | None,
    store_path: Path | None,
    as_json: bool,
    lang: str,
) -> None:
    """Read, validate, commit and audit one file, then report (shared by both imports)."""
    from dashboard.access import service
    from dashboard.ingest.reading import UnreadableFile
    from dashboard.ingest.upload import default_uploader

    data = _read(file)
    if data is None:
        _unreadable("file_not_found", {}, lang, as_json)
        return
    store = Store(store_path)
    report = None
    try:
        store.ensure()
        report = validate(data, store)
        result = service.commit_upload(
            store,
            service.cli_caller(),
            report,
            accept_valid=accept_valid,
            uploaded_by=uploaded_by or default_uploader(),
        )
    except UnreadableFile as exc:
        _unreadable(exc.code, exc.detail, lang, as_json)
        return
    except StoreError as exc:
        _store_problem(exc, as_json, report)
        return
    _commit_message(report, result.upload_id, result.duplicate_of, mode, lang, accept_valid)
    _finish(
        report,
        as_json=as_json,
        lang=lang,
        upload_id=result.upload_id,
        duplicate_of=result.duplicate_of,
    )


def _commit_message(
    report: RosterReport | EventReport,
    upload_id: str | None,
    duplicate_of: str | None,
    mode: str,
    lang: str,
    accept_valid: bool,
) -> None:
    if duplicate_of:
        msg = t("upload.cli.duplicate", lang, upload_id=duplicate_of)
    elif upload_id:
        msg = t(
            "upload.cli.committed",
            lang,
            upload_id=upload_id,
            valid=report.valid_rows,
            mode=mode,
        )
    elif report.has_errors and not accept_valid:
        msg = t("upload.cli.not_committed", lang)
    else:
        msg = t("upload.cli.nothing_valid", lang)
    click.echo(msg, err=True)


@click.command("import-events")
@_file
@click.option("--accept-valid", is_flag=True, help="Commit the valid rows even if others fail.")
@click.option("--uploaded-by", default=None, help="Recorded uploader (default: the OS user).")
@_sheet
@_store
@_json
@_lang
def import_events(
    file: Path,
    accept_valid: bool,
    uploaded_by: str | None,
    sheet: str | None,
    store_path: Path | None,
    as_json: bool,
    lang: str,
) -> None:
    """Validate and commit an events file (ceremonies and reported counts) as one upload."""
    from dashboard.ingest.events import validate_events

    _import_and_commit(
        file,
        kind="events",
        mode="append",
        validate=lambda data, store: validate_events(
            data, file.name, sheet=sheet, store=store, lang=lang
        ),
        accept_valid=accept_valid,
        uploaded_by=uploaded_by,
        store_path=store_path,
        as_json=as_json,
        lang=lang,
    )


@click.command("uploads")
@_store
@_json
def list_uploads(store_path: Path | None, as_json: bool) -> None:
    """List roster and event uploads, newest first."""
    import polars as pl

    from dashboard import queries

    store = Store(store_path)
    try:
        df = queries.uploads(store) if store.exists() else None
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if df is None:
        df = pl.DataFrame(
            schema={"upload_id": pl.String, "kind": pl.String, "uploaded_at": pl.Datetime}
        )
    if as_json:
        click.echo(df.write_json())
        return
    with pl.Config(tbl_rows=-1, tbl_hide_dataframe_shape=True, fmt_str_lengths=40):
        click.echo(df.drop("sha256", strict=False))


@click.command()
@click.argument("upload_id")
@_store
@_json
@_lang
def rollback(upload_id: str, store_path: Path | None, as_json: bool, lang: str) -> None:
    """Undo a committed upload: its rows go, the roster it replaced comes back."""
    from dashboard.access import service
    from dashboard.store.database import UploadError

    store = Store(store_path)
    try:
        counts = service.rollback_upload(store, service.cli_caller(), upload_id)
    except (UploadError, StoreError, Refused) as exc:
        if as_json:
            _emit({"ok": False, "upload_id": upload_id, "error": str(exc)})
            sys.exit(EXIT_ERRORS)
        raise click.ClickException(str(exc)) from exc
    removed = sum(counts[t] for t in ("officials", "events", "signature_reports", "signatures"))
    if as_json:
        _emit({"ok": True, "upload_id": upload_id, **counts})
    else:
        click.echo(
            t(
                "upload.cli.rolled_back",
                lang,
                upload_id=upload_id,
                rows=removed,
                restored=counts["restored"],
            ),
            err=True,
        )


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--kind", type=click.Choice(["roster", "events"]), default="roster", show_default=True
)
@_lang
def template(path: Path, kind: str, lang: str) -> None:
    """Write the upload template: PATH ending in .csv or .xlsx."""
    from dashboard.ingest import templates

    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise click.BadParameter("PATH must end in .csv or .xlsx", param_hint="PATH")
    path.write_bytes(
        templates.template_bytes(kind, "xlsx" if suffix == ".xlsx" else "csv", lang=lang)
    )
    click.echo(t("upload.cli.template", lang, path=path), err=True)


UPLOAD_COMMANDS = (validate, import_roster, import_events, list_uploads, rollback, template)
