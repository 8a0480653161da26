"""Click options shared by every ``netralitas`` command module (one definition, one help text)."""

from __future__ import annotations

import click

from dashboard.store.database import ENV_STORE

store_option = click.option(
    "--store",
    "store_path",
    metavar="FILE|URL",
    default=None,
    help=(
        "The store: a DuckDB file or a postgresql://user@host:port/db URL "
        f"(default: ${ENV_STORE} or var/netralitas.duckdb)."
    ),
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
