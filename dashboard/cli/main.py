"""``netralitas``: the administrator's command line.

With ``--json`` a command prints exactly one JSON document on stdout and
nothing else (messages go to stderr), so scripts can parse it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
import polars as pl

from dashboard import queries
from dashboard.cli.options import json_option, store_option
from dashboard.store.database import ENV_KEEP_ALIVE, ENV_STORE, Store, StoreError
from schemas.vocab import ROLES

T = TypeVar("T")

# the app server with its edge middleware (security headers, closed metrics), which serves
# the dashboard script web/app.py
APP_FILE = Path(__file__).resolve().parents[1] / "web" / "asgi.py"


def _json_default(value: object) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(type(value))


def emit_json(doc: object) -> None:
    click.echo(json.dumps(doc, ensure_ascii=False, default=_json_default, indent=2))


def emit_frame(df: pl.DataFrame) -> None:
    """A frame as a JSON array of records, serialised by Polars (fast for 60 k agencies)."""
    click.echo(df.write_json())


def open_store(store_path: Path | None) -> Store:
    return Store(store_path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Netralitas ASN: neutrality pact compliance dashboard (administration)."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8501, show_default=True, type=int)
@store_option
@click.option("--no-demo", is_flag=True, help="Fill an empty store with the seed events only.")
def serve(host: str, port: int, store_path: Path | None, no_demo: bool) -> None:
    """Start the dashboard (fills an empty store with the seed events and demo data first)."""
    from dashboard.install import builtin

    store = open_store(store_path)
    _refuse_open_host_without_sign_in(host, store)
    try:
        if no_demo:
            store.ensure()
            if queries.upload_count(store) == 0:
                builtin.install(store, with_demo=False)
        elif builtin.ensure_populated(store):
            click.echo(f"Store {store} was empty: loaded the seed events and demo data.", err=True)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    env = {**os.environ, ENV_STORE: store.location, ENV_KEEP_ALIVE: "1"}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_FILE),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        # no full garbage collection after every run: it took a third of a filter change
        # (app.py freezes the long-lived heap once instead)
        "--runner.postScriptGC",
        "false",
        # hardening also when started outside the repository's .streamlit/config.toml
        "--server.enableXsrfProtection",
        "true",
        "--server.maxUploadSize",
        "50",
        "--client.showErrorDetails",
        "none",
        "--client.toolbarMode",
        "viewer",
        "--theme.base",
        "light",
        # near-black text: captions (60 % of it) then keep WCAG AA contrast on white
        "--theme.textColor",
        "#111111",
    ]
    click.echo(f"Dashboard: http://{host}:{port}", err=True)
    raise SystemExit(subprocess.call(cmd, env=env))


@main.command()
@click.option(
    "--level", type=click.Choice(["provinsi", "kabupaten"]), default="provinsi", show_default=True
)
@json_option
def regions(level: str, as_json: bool) -> None:
    """List provinces or regencies/cities with their Kemendagri codes."""
    df = queries.regions_table(level)
    if as_json:
        emit_frame(df)
        return
    with pl.Config(tbl_rows=-1, tbl_hide_dataframe_shape=True, fmt_str_lengths=60):
        click.echo(df.select("code", "name", "level", "province_code", "capital"))


@main.command()
@store_option
@json_option
def events(store_path: Path | None, as_json: bool) -> None:
    """List the real (non-demo) events with their sources."""
    from dashboard.install import builtin

    store = open_store(store_path)
    try:
        builtin.ensure_seeded(store)
        df = queries.seed_events(store)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        emit_frame(df)
        return
    with pl.Config(tbl_rows=-1, tbl_hide_dataframe_shape=True, fmt_str_lengths=50):
        click.echo(
            df.select("event_id", "event_date", "date_precision", "agency_name", "source_publisher")
        )


@main.command()
@click.option("--seed-only", is_flag=True, help="Load only the five real seed events.")
@click.option(
    "--officials",
    type=int,
    default=None,
    help="Demo roster size (default 100000; 4300000 for a national roster).",
)
@store_option
@json_option
def demo(seed_only: bool, officials: int | None, store_path: Path | None, as_json: bool) -> None:
    """Load the seed events, and unless --seed-only the demo dataset, into a store."""
    from dashboard.install import builtin
    from dashboard.install.demo import DEFAULT_OFFICIALS

    store = open_store(store_path)
    try:
        counts = builtin.install(
            store, with_demo=not seed_only, n_officials=officials or DEFAULT_OFFICIALS
        )
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        emit_json({"store": str(store), "rows": counts})
    else:
        click.echo(f"Loaded into {store}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))


@main.command()
@click.option(
    "--by", type=click.Choice(list(queries.GROUPINGS)), default="provinsi", show_default=True
)
@click.option("--province", "province", default=None, help="Limit to one province code, e.g. 62.")
@click.option(
    "--measure", type=click.Choice(list(queries.MEASURES)), default="pakta", show_default=True
)
@click.option("--no-demo", is_flag=True, help="Leave demo rows out.")
@store_option
@json_option
def summary(
    by: str,
    province: str | None,
    measure: str,
    no_demo: bool,
    store_path: Path | None,
    as_json: bool,
) -> None:
    """Target, signed, unsigned and signature rate per group, with the source of each figure."""
    store = open_store(store_path)
    f = queries.Filters(
        provinces=(province,) if province else (), include_demo=not no_demo, measure=measure
    )
    try:
        df = queries.summary(store, f, by)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        emit_frame(df)
        return
    with pl.Config(tbl_rows=-1, tbl_hide_dataframe_shape=True, fmt_str_lengths=50):
        click.echo(df)


# --- store (moving between engines) ----------------------------------------------------------
@main.group("store")
def store_group() -> None:
    """The store itself: move an office's store between a DuckDB file and PostgreSQL."""


@store_group.command("copy")
@click.option("--from", "source", required=True, metavar="FILE|URL", help="The store to read.")
@click.option("--to", "target", required=True, metavar="FILE|URL", help="An empty store to fill.")
@json_option
def store_copy(source: str, target: str, as_json: bool) -> None:
    """Copy every table of one store into an empty one, in one transaction.

    A DuckDB file into a postgresql://user@host:port/db database, or back. The target
    may be new; it must hold no data yet.
    """
    from dashboard.store.copy import copy_store

    src, dst = Store(source), Store(target)
    try:
        result = copy_store(src, dst)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        emit_json({"from": str(src), "to": str(dst), "rows": result.rows})
        return
    rows = ", ".join(f"{t}={n}" for t, n in result.rows.items() if n)
    click.echo(f"Copied {src} into {dst}: {rows}")


# --- boundaries (official boundary import) ---------------------------------------------------
@main.group()
def boundaries() -> None:
    """Map polygons: replace the approximate boundaries with an official file."""


@boundaries.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--level", type=click.Choice(["provinsi", "kabupaten"]), required=True)
@click.option("--code-field", default=None, help="Property holding the region code (91.01).")
@click.option("--name-field", default=None, help="Property holding the region name.")
@click.option("--province-field", default=None, help="Property holding the province (name/code).")
@click.option("--allow-partial", is_flag=True, help="Install even if some regions are unmatched.")
@store_option
@json_option
def boundaries_import(
    file: Path,
    level: str,
    code_field: str | None,
    name_field: str | None,
    province_field: str | None,
    allow_partial: bool,
    store_path: Path | None,
    as_json: bool,
) -> None:
    """Import an official GeoJSON or zipped Shapefile (e.g. BIG's) for the maps.

    Exit 0 when installed, 1 when refused (not every region matched and no
    --allow-partial), 2 when the file cannot be read.
    """
    from dashboard.geo import boundaries as bd

    store = open_store(store_path)
    try:
        report = bd.import_file(
            file,
            level,
            store.path,
            code_field=code_field,
            name_field=name_field,
            province_field=province_field,
            allow_partial=allow_partial,
        )
    except bd.BoundaryFileError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(2) from exc
    if as_json:
        emit_json(report.summary())
    else:
        fields = ", ".join(f"{k}={v}" for k, v in report.fields.items() if v)
        click.echo(f"{report.source}: {report.features} features ({fields})")
        click.echo(f"Matched regions: {report.matched}")
        for feat in report.unmatched_features:
            click.echo(
                f"  unmatched feature {feat['feature']}: code={feat['code']} "
                f"name={feat['name']} ({feat['reason']})"
            )
        for reg in report.regions_without_polygon:
            click.echo(f"  no polygon: {reg['code']} {reg['name']}")
    if report.repaired:
        click.echo(f"Repaired invalid geometries: {len(report.repaired)}", err=True)
        for fix in report.repaired:
            click.echo(f"  feature {fix['feature']} ({fix['label']}): {fix['reason']}", err=True)
    for note in report.notes:
        click.echo(
            f"note: feature {note['feature']} code={note['file_code']} "
            f"name={note['file_name']} -> {note['code']} ({note['note']})",
            err=True,
        )
    if report.refused:
        click.echo(
            f"Refused: {len(report.regions_without_polygon)} region(s) without a polygon; "
            "nothing was replaced (use --allow-partial to keep the derived polygons for them).",
            err=True,
        )
        raise SystemExit(1)
    click.echo(f"Installed {report.written}", err=True)


# --- uploads: validate, import, import-events, uploads, rollback, template ----------
from dashboard.cli.uploads import UPLOAD_COMMANDS  # noqa: E402 (commands defined there)

for _command in UPLOAD_COMMANDS:
    main.add_command(_command)

# --- follow-up: letters, deadlines, reminders --------------------------------------------------
from dashboard.cli.followup import FOLLOWUP_COMMANDS  # noqa: E402 (commands defined there)

for _command in FOLLOWUP_COMMANDS:
    main.add_command(_command)


# --- users and audit (access control) ---------------------------------------------------------


def _refuse_open_host_without_sign_in(host: str, store: Store) -> None:
    """Binding beyond loopback with no sign-in would show names and NIPs to the network."""
    from dashboard.access import auth

    if auth.is_loopback(host):
        return
    try:
        mode = auth.sign_in_mode(store)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if mode == auth.MODE_SINGLE:
        raise click.ClickException(
            f"refusing to listen on {host}: sign-in is not configured, so anyone on the "
            "network would see every name and NIP. Either add a local account "
            "(netralitas users add NAME --role admin), or configure OIDC in "
            ".streamlit/secrets.toml ([auth]), or listen on 127.0.0.1 only."
        )


def _read_password(password_stdin: bool) -> str:
    """From a hidden, confirmed prompt; from stdin when asked or when stdin is not a terminal."""
    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.ClickException("no password on standard input")
        return password
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _user_record(row: dict) -> dict:
    return {
        "username": row["username"],
        "email": row.get("email"),
        "role": row["role"],
        "source": row.get("source"),
        "provinces": [c for c in (row.get("scope_provinces") or "").split(",") if c],
        "regencies": [c for c in (row.get("scope_regencies") or "").split(",") if c],
        "has_password": row.get("has_password"),
        "created_at": row.get("created_at"),
        "updated_at": row.get("updated_at"),
    }


password_stdin_option = click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
province_scope_option = click.option(
    "--province", "provinces", multiple=True, help="Limit to a province code (repeatable), e.g. 17."
)
regency_scope_option = click.option(
    "--regency", "regencies", multiple=True, help="Limit to a regency code (repeatable), e.g. 1706."
)


@main.group()
def users() -> None:
    """Sign-in accounts: roles (viewer, analyst, uploader, admin) and province/regency scope.

    Passwords are read from a hidden prompt or stdin, never from the command line.
    """


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@province_scope_option
@regency_scope_option
@click.option("--email", default=None, help="E-mail (OIDC sign-ins are matched by it).")
@click.option("--oidc", is_flag=True, help="An OIDC account: no password, matched by e-mail.")
@password_stdin_option
@store_option
@json_option
def users_add(
    username: str,
    role: str,
    provinces: tuple[str, ...],
    regencies: tuple[str, ...],
    email: str | None,
    oidc: bool,
    password_stdin: bool,
    store_path: Path | None,
    as_json: bool,
) -> None:
    """Add an account (national unless --province/--regency is given)."""
    from dashboard.access import auth, service

    store = open_store(store_path)
    password = None if oidc else _read_password(password_stdin)
    try:
        user = service.add_user(
            store,
            service.cli_caller(),
            username,
            role,
            password=password,
            email=email,
            provinces=provinces,
            regencies=regencies,
            source=auth.SOURCE_OIDC if oidc else auth.SOURCE_LOCAL,
        )
    except (ValueError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    scope = ", ".join((*user.provinces, *user.regencies)) or "national"
    if as_json:
        emit_json({"username": user.username, "role": user.role, "scope": scope})
    else:
        click.echo(f"Added {user.username} ({user.role}, {scope}).", err=True)


def _user_change(
    fn: Callable[..., T], store_path: Path | None, username: str, *args: object, **kwargs: object
) -> T:
    """One account change through the access service, as the CLI's (admin) caller."""
    from dashboard.access import service

    try:
        return fn(open_store(store_path), service.cli_caller(), username, *args, **kwargs)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from exc
    except (ValueError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc


@users.command("remove")
@click.argument("username")
@store_option
def users_remove(username: str, store_path: Path | None) -> None:
    """Remove an account."""
    from dashboard.access import service

    _user_change(service.remove_user, store_path, username)
    click.echo(f"Removed {username}.", err=True)


@users.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@store_option
def users_set_role(username: str, role: str, store_path: Path | None) -> None:
    """Change an account's role."""
    from dashboard.access import service

    _user_change(service.set_role, store_path, username, role)
    click.echo(f"{username}: role {role}.", err=True)


@users.command("set-scope")
@click.argument("username")
@province_scope_option
@regency_scope_option
@click.option("--national", is_flag=True, help="Remove every limit (national scope).")
@store_option
def users_set_scope(
    username: str,
    provinces: tuple[str, ...],
    regencies: tuple[str, ...],
    national: bool,
    store_path: Path | None,
) -> None:
    """Change an account's scope (give --national explicitly to lift every limit)."""
    from dashboard.access import service

    if not national and not provinces and not regencies:
        raise click.UsageError("give --province/--regency, or --national")
    if national and (provinces or regencies):
        raise click.UsageError("--national cannot be combined with --province/--regency")
    user = _user_change(
        service.set_scope,
        store_path,
        username,
        provinces=provinces,
        regencies=regencies,
    )
    click.echo(
        f"{username}: scope {', '.join((*user.provinces, *user.regencies)) or 'national'}.",
        err=True,
    )


@users.command("passwd")
@click.argument("username")
@password_stdin_option
@store_option
def users_passwd(username: str, password_stdin: bool, store_path: Path | None) -> None:
    """Set a new password (also ends a lock-out)."""
    from dashboard.access import service

    password = _read_password(password_stdin)
    _user_change(service.set_password, store_path, username, password)
    click.echo(f"{username}: password changed.", err=True)


@users.command("unlock")
@click.argument("username")
@store_option
def users_unlock(username: str, store_path: Path | None) -> None:
    """End a lock-out after repeated failed sign-ins."""
    from dashboard.access import service

    _user_change(service.unlock_user, store_path, username)
    click.echo(f"{username}: unlocked.", err=True)


@users.command("list")
@store_option
@json_option
def users_list(store_path: Path | None, as_json: bool) -> None:
    """List accounts (never their password hashes)."""
    from dashboard.queries.accounts import list_users

    try:
        records = [_user_record(r) for r in list_users(open_store(store_path)).to_dicts()]
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        emit_json(records)
        return
    if not records:
        click.echo("No accounts (single local user mode on 127.0.0.1).", err=True)
    for r in records:
        scope = ", ".join(r["provinces"] + r["regencies"]) or "national"
        click.echo(f"{r['username']}\t{r['role']}\t{r['source']}\t{scope}")


def _session_record(row: dict, now: dt.datetime, idle: dt.timedelta) -> dict:
    from dashboard.access import sessions

    policy = sessions.SessionPolicy(idle=idle)
    return {**row, "state": sessions.refusal(row, now, policy) or "live"}


@users.command("sessions")
@click.argument("username", required=False)
@click.option("--all", "show_all", is_flag=True, help="Also sessions that have ended.")
@store_option
@json_option
def users_sessions(
    username: str | None, show_all: bool, store_path: Path | None, as_json: bool
) -> None:
    """List sign-in sessions (live ones unless --all), of one account if given."""
    from dashboard.access import sessions
    from dashboard.queries.sessions import list_sessions

    now = sessions.utc_now()
    policy = sessions.policy_from_env()
    try:
        df = list_sessions(
            open_store(store_path), username=username, live_at=None if show_all else now
        )
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    records = [_session_record(r, now, policy.idle) for r in df.to_dicts()]
    if not show_all:  # idle ones cannot sign in any more either
        records = [r for r in records if r["state"] == "live"]
    if as_json:
        emit_json(records)
        return
    if not records:
        click.echo("No sessions.", err=True)
    for r in records:
        seen = f"{r['last_seen_at']:%Y-%m-%d %H:%M}"
        agent = r["user_agent"] or "?"
        click.echo(f"{r['session_id']}\t{r['username']}\t{r['state']}\t{seen}\t{agent}")


@users.command("revoke-session")
@click.argument("session_id", required=False)
@click.option("--user", "username", default=None, help="End every session of this account.")
@store_option
@json_option
def users_revoke_session(
    session_id: str | None, username: str | None, store_path: Path | None, as_json: bool
) -> None:
    """End one session (by its id from `users sessions`) or every session of --user."""
    from dashboard.access import service

    if (session_id is None) == (username is None):
        raise click.UsageError("give a session ID or --user USERNAME (one of them)")
    try:
        ended = service.revoke_sessions(
            open_store(store_path),
            service.cli_caller(),
            session_ids=[session_id] if session_id else [],
            username=username,
        )
    except (ValueError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        emit_json({"revoked": ended})
    else:
        click.echo(f"Ended {len(ended)} session(s).", err=True)
    if session_id is not None and not ended:
        raise click.ClickException(f"no live session {session_id}")


@main.command("audit")
@click.option("--limit", type=int, default=None, help="Only the newest N events.")
@click.option("--action", "actions", multiple=True, help="Only these actions (repeatable).")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the log as CSV (spreadsheet-safe) to this file.",
)
@store_option
@json_option
def audit_cmd(
    limit: int | None,
    actions: tuple[str, ...],
    csv_path: Path | None,
    store_path: Path | None,
    as_json: bool,
) -> None:
    """The audit trail, newest first: sign-ins, uploads, rollbacks, downloads, user changes."""
    from dashboard.access import audit
    from dashboard.render import export

    try:
        df = audit.log(open_store(store_path), actions=actions, limit=limit)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if csv_path is not None:
        csv_path.write_bytes(export.to_csv_bytes(df))
        click.echo(f"Wrote {df.height} events to {csv_path}", err=True)
    if as_json:
        emit_json(df.to_dicts())
    elif csv_path is None:
        with pl.Config(tbl_rows=-1, tbl_hide_dataframe_shape=True, fmt_str_lengths=60):
            click.echo(df.drop("event_id"))


if __name__ == "__main__":
    main()
