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
from pathlib import Path
from typing import Any

import click
import polars as pl

from dashboard import queries
from dashboard.store import ENV_STORE, Store, StoreError

APP_FILE = Path(__file__).resolve().parent / "app.py"

store_option = click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"DuckDB store file (default: ${ENV_STORE} or var/netralitas.duckdb).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(type(value))


def emit_json(doc: Any) -> None:
    click.echo(json.dumps(doc, ensure_ascii=False, default=_json_default, indent=2))


def frame_records(df: pl.DataFrame) -> list[dict[str, Any]]:
    return df.to_dicts()


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
    from dashboard import builtin

    store = open_store(store_path)
    try:
        if no_demo:
            store.ensure()
            if store.query("SELECT count(*) AS n FROM uploads")["n"][0] == 0:
                builtin.install(store, with_demo=False)
        elif builtin.ensure_populated(store):
            click.echo(
                f"Store {store.path} was empty: loaded the seed events and demo data.", err=True
            )
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    env = {**os.environ, ENV_STORE: str(store.path.resolve())}
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
        emit_json(frame_records(df))
        return
    with pl.Config(tbl_rows=-1, tbl_hide_dataframe_shape=True, fmt_str_lengths=60):
        click.echo(df.select("code", "name", "level", "province_code", "capital"))


@main.command()
@store_option
@json_option
def events(store_path: Path | None, as_json: bool) -> None:
    """List the real (non-demo) events with their sources."""
    from dashboard import builtin

    store = open_store(store_path)
    try:
        builtin.ensure_seeded(store)
        df = queries.seed_events(store)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        emit_json(frame_records(df))
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
    from dashboard import builtin
    from dashboard.demo import DEFAULT_OFFICIALS

    store = open_store(store_path)
    try:
        counts = builtin.install(
            store, with_demo=not seed_only, n_officials=officials or DEFAULT_OFFICIALS
        )
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        emit_json({"store": str(store.path), "rows": counts})
    else:
        click.echo(f"Loaded into {store.path}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))


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
        emit_json(frame_records(df))
        return
    with pl.Config(tbl_rows=-1, tbl_hide_dataframe_shape=True, fmt_str_lengths=50):
        click.echo(df)


if __name__ == "__main__":
    main()
