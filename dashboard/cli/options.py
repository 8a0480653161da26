"""Click options shared by every ``netralitas`` command module (one definition, one help text)."""

from __future__ import annotations

from pathlib import Path

import click

from dashboard.store.database import ENV_STORE

store_option = click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"DuckDB store file (default: ${ENV_STORE} or var/netralitas.duckdb).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
