"""``netralitas letters | followup ... | remind``: chasing the unsigned from scripts and cron.

The CLI acts as the operating-system user running it (``cli:<user>``) with national admin
rights (whoever can run it can read the store file anyway); every letter, deadline and
reminder run is audited with channel ``cli``. With ``--json`` stdout is one JSON document;
names and NIPs go only into the letter files, never to stdout or stderr.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
import polars as pl

from dashboard.cli.options import json_option, store_option
from dashboard.queries.filters import MEASURES, Filters
from dashboard.store.database import Store, StoreError
from schemas.vocab import FOLLOWUP_STEPS, LETTER_FORMATS

F = TypeVar("F", bound=Callable[..., Any])

_measure = click.option(
    "--measure",
    type=click.Choice(list(MEASURES)),
    default="pakta",
    show_default=True,
    help="The campaign: the pact or the pledge.",
)


def _iso_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def _cli_user() -> Any:
    from dashboard.access import audit, auth

    return auth.User(username=audit.cli_actor(), role="admin")


def _where() -> Any:
    from dashboard.access.followup import Where

    return Where(channel="cli")


def _friendly(fn: F) -> F:
    """Known failures become one-line messages (exit 1), never a traceback."""

    @wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        from dashboard.access.followup import FollowupError
        from dashboard.access.gate import Refused
        from dashboard.followup.reminders import ReminderConfigError
        from dashboard.followup.steps import StepError

        try:
            return fn(*args, **kwargs)
        except (
            StoreError,
            Refused,
            FollowupError,
            ReminderConfigError,
            StepError,
        ) as exc:
            raise click.ClickException(str(exc)) from exc

    return run  # type: ignore[return-value]


def _emit(doc: Any) -> None:
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))


@click.command("letters")
@click.option("--agency", "agencies", multiple=True, help="Agency id (repeatable).")
@click.option("--province", default=None, help="Every agency of this province (code, e.g. 62).")
@click.option("--format", "fmt", type=click.Choice(list(LETTER_FORMATS)), default="docx")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the letters (created if missing).",
)
@click.option("--date", "letter_date", callback=_iso_date, default=None, help="Letter date.")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@_measure
@store_option
@json_option
@_friendly
def letters_cmd(
    agencies: tuple[str, ...],
    province: str | None,
    fmt: str,
    out_dir: Path,
    letter_date: dt.date | None,
    lang: str,
    measure: str,
    store_path: Path | None,
    as_json: bool,
) -> None:
    """Write one follow-up letter per agency that has unsigned officials."""
    from dashboard.access import followup as fa

    store = Store(store_path)
    user = _cli_user()
    f = Filters(provinces=(province,) if province else (), measure=measure)
    ids = list(agencies)
    if not ids:
        listed = fa.chase_list(store, user, f)
        ids = listed["agency_id"].to_list()
    batch = (
        fa.generate_letters(
            store, user, ids, fmt=fmt, f=f, lang=lang, letter_date=letter_date, where=_where()
        )
        if ids
        else None
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    numbers = (
        dict(zip(batch.register["agency_id"], batch.register["letter_number"], strict=True))
        if batch is not None and batch.register.height
        else {}
    )
    for file in batch.files if batch else ():
        (out_dir / file.name).write_bytes(file.data)
        files.append(
            {
                "file": str(out_dir / file.name),
                "agency_id": file.agency_ids[0],
                "letter_number": numbers.get(file.agency_ids[0]),
                "officials_listed": file.officials_listed,
            }
        )
    if as_json:
        _emit(
            {
                "out": str(out_dir),
                "format": fmt,
                "with_names": bool(batch and batch.with_names),
                "files": files,
            }
        )
    else:
        for x in files:
            click.echo(f"{x['file']}  ({x['letter_number']}, {x['officials_listed']} listed)")
        click.echo(f"{len(files)} letter(s) written to {out_dir}", err=True)


@click.group("followup")
def followup() -> None:
    """Deadlines, steps, contacts and the letterhead of the follow-up."""


@followup.command("deadline")
@click.option("--date", "due", required=True, callback=_iso_date, help="YYYY-MM-DD")
@click.option("--agency", default=None, help="Override for one agency (default: the campaign).")
@_measure
@store_option
@json_option
@_friendly
def deadline_cmd(
    due: dt.date, agency: str | None, measure: str, store_path: Path | None, as_json: bool
) -> None:
    """Set the campaign's deadline, or one agency's override."""
    from dashboard.access import followup as fa

    row = fa.set_deadline(
        Store(store_path), _cli_user(), due, campaign=measure, agency_id=agency, where=_where()
    )
    if as_json:
        _emit({k: row[k] for k in ("campaign", "agency_id", "due_date")})
    else:
        click.echo(f"Deadline {due.isoformat()} for {agency or 'the ' + measure + ' campaign'}")


LIST_COLUMNS = (
    "agency_id",
    "name",
    "province_code",
    "regency_code",
    "target",
    "signed",
    "unsigned",
    "days_outstanding",
    "priority",
    "due_date",
    "deadline_source",
    "overdue",
    "nearing",
    "step",
    "last_action_on",
    "last_action_by",
    "letters",
    "last_letter_number",
    "last_letter_status",
)


@followup.command("list")
@click.option("--overdue", "only_overdue", is_flag=True, help="Only agencies past their deadline.")
@click.option("--province", default=None, help="Limit to one province code.")
@_measure
@store_option
@json_option
@_friendly
def list_cmd(
    only_overdue: bool,
    province: str | None,
    measure: str,
    store_path: Path | None,
    as_json: bool,
) -> None:
    """Agencies to chase, most urgent first (unsigned x days outstanding)."""
    from dashboard.access import followup as fa

    f = Filters(provinces=(province,) if province else (), measure=measure)
    df = fa.chase_list(Store(store_path), _cli_user(), f).select(LIST_COLUMNS)
    if only_overdue:
        df = df.filter(pl.col("overdue"))
    if as_json:
        click.echo(df.write_json())
        return
    with pl.Config(tbl_rows=50, tbl_hide_dataframe_shape=True, fmt_str_lengths=40):
        click.echo(df.select("agency_id", "name", "unsigned", "priority", "due_date", "step"))
    click.echo(f"{df.height} agencies", err=True)


@followup.command("record")
@click.option("--agency", required=True)
@click.option("--step", type=click.Choice(list(FOLLOWUP_STEPS)), required=True)
@click.option("--note", default=None)
@click.option("--on", "taken_on", callback=_iso_date, default=None, help="Date taken (today).")
@_measure
@store_option
@_friendly
def record_cmd(
    agency: str,
    step: str,
    note: str | None,
    taken_on: dt.date | None,
    measure: str,
    store_path: Path | None,
) -> None:
    """Record a follow-up action taken outside the app (a call, a visit, a referral)."""
    from dashboard.access import followup as fa

    fa.record_step(
        Store(store_path),
        _cli_user(),
        agency,
        step,
        campaign=measure,
        note=note,
        taken_on=taken_on,
        where=_where(),
    )
    click.echo(f"{agency}: {step}", err=True)


@followup.command("contact")
@click.option("--agency", required=True)
@click.option("--email", default=None, help="Where reminders go.")
@click.option("--head-title", default=None, help='Addressee, e.g. "Kepala Dinas Kesehatan".')
@click.option("--head-name", default=None)
@click.option("--send-list", is_flag=True, help="Reminders may carry the list of names.")
@store_option
@_friendly
def contact_cmd(
    agency: str,
    email: str | None,
    head_title: str | None,
    head_name: str | None,
    send_list: bool,
    store_path: Path | None,
) -> None:
    """Set an agency's contact address and addressee."""
    from dashboard.access import followup as fa

    fa.set_contact(
        Store(store_path),
        _cli_user(),
        agency,
        email=email,
        head_title=head_title,
        head_name=head_name,
        send_list=send_list,
        where=_where(),
    )
    click.echo(f"{agency}: contact saved", err=True)


@followup.command("letterhead")
@click.option("--office-name", default=None)
@click.option("--office-parent", default=None, help='Line above, e.g. "Pemerintah Provinsi ...".')
@click.option("--address", "office_address", default=None)
@click.option("--logo", "logo_path", default=None, type=click.Path(dir_okay=False, exists=True))
@click.option("--city", default=None)
@click.option("--signer-position", default=None)
@click.option("--signer-name", default=None)
@click.option("--signer-nip", default=None)
@click.option("--tembusan", multiple=True, help="A copy-to line (repeatable).")
@click.option("--classification", default=None, help="Sifat, e.g. Penting.")
@click.option("--number-format", default=None, help="e.g. 800/{seq:03d}/BKD/{year}")
@store_option
@_friendly
def letterhead_cmd(
    store_path: Path | None, tembusan: tuple[str, ...], **fields: str | None
) -> None:
    """Set the letterhead, signer, copies and numbering of the letters."""
    from dashboard.access import followup as fa

    store = Store(store_path)
    row = {**fields, "tembusan": "\n".join(tembusan) or None}
    if row.get("logo_path"):
        row["logo_path"] = str(Path(str(row["logo_path"])).resolve())
    try:
        fa.save_letter_settings(store, _cli_user(), row, where=_where())
    except Exception as exc:
        if type(exc).__name__ != "SchemaError":
            raise
        raise click.ClickException(
            "letterhead refused: the NIP must be 18 digits and the number format hold {seq}"
        ) from exc
    click.echo("Letterhead saved", err=True)


@click.command("remind")
@click.option("--dry-run", is_flag=True, help="Say what would be sent; send and log nothing.")
@click.option("--date", "as_of", callback=_iso_date, default=None, help="As-of day (today).")
@_measure
@store_option
@json_option
@_friendly
def remind_cmd(
    dry_run: bool, as_of: dt.date | None, measure: str, store_path: Path | None, as_json: bool
) -> None:
    """E-mail each overdue or nearly due agency its own figures (once a day; for cron)."""
    from dashboard.access import audit, auth
    from dashboard.followup import reminders

    store = Store(store_path)
    smtp = None if dry_run else reminders.from_environment(auth.read_secrets())
    outcomes = reminders.send_reminders(store, smtp, as_of=as_of, campaign=measure, dry_run=dry_run)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("sent", "failed", "skipped")}
    if not dry_run:
        audit.record(
            store,
            "reminder.send",
            actor=audit.cli_actor(),
            outcome="failure" if counts["failed"] else "ok",
            target=measure,
            detail=counts,
            channel="cli",
        )
    rows: list[dict[str, Any]] = [
        {
            "agency_id": o.agency_id,
            "recipient": o.recipient,
            "status": o.status,
            "unsigned": o.unsigned,
            "names_listed": o.names_listed,
            "overdue": o.overdue,
            "reason": o.reason,
        }
        for o in outcomes
    ]
    doc = {"dry_run": dry_run, "date": (as_of or dt.date.today()).isoformat(), **counts}
    if as_json:
        _emit({**doc, "reminders": rows})
    else:
        for r in rows:
            click.echo(f"{r['status']:8} {r['agency_id']} -> {r['recipient']} ({r['unsigned']})")
        click.echo(
            f"sent {counts['sent']}, failed {counts['failed']}, skipped {counts['skipped']}"
            + (" (dry run)" if dry_run else ""),
            err=True,
        )
    if counts["failed"]:
        raise SystemExit(1)


FOLLOWUP_COMMANDS = (letters_cmd, followup, remind_cmd)
