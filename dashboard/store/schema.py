"""The store's tables: their DuckDB definition from the pandera schemas, the schema
version, and the roster aggregates every figure reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from dashboard.store.dialect import CATALOG_SCHEMA, SQL_TYPES, Connection, append, dialect_of
from dashboard.store.errors import StoreVersionError
from schemas import TABLE_MODELS

if TYPE_CHECKING:  # pandera (and through it pandas) costs ~2 s to import: only where validating
    import pandera.polars as pa


SCHEMA_VERSION = 4  # 2: users, audit_log (access control); 3: follow-up tables; 4: user_sessions


TABLE_NAMES = tuple(TABLE_MODELS)


def polars_schema(model: type[pa.DataFrameModel]) -> dict[str, pl.DataType]:
    """Column name -> Polars dtype, in schema order."""
    return {name: col.dtype.type for name, col in model.to_schema().columns.items()}


def empty_frame(model: type[pa.DataFrameModel]) -> pl.DataFrame:
    return pl.DataFrame(schema=polars_schema(model))


def conform(df: pl.DataFrame, model: type[pa.DataFrameModel]) -> pl.DataFrame:
    """Select and cast ``df`` to the table's columns (missing nullable columns become null)."""
    schema = polars_schema(model)
    return df.select(
        [
            (pl.col(c) if c in df.columns else pl.lit(None)).cast(t).alias(c)
            for c, t in schema.items()
        ]
    )


def table_ddl(table: str, model: type[pa.DataFrameModel], dialect: str = "duckdb") -> str:
    cols = []
    for name, col in model.to_schema().columns.items():
        sql_type = SQL_TYPES[dialect][col.dtype.type.base_type()]
        cols.append(f'"{name}" {sql_type}{"" if col.nullable else " NOT NULL"}')
    return f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(cols)})"


# Derived tables rebuilt inside every roster-touching transaction: national
# figures come from ~0.4 M aggregate rows instead of 4.3 M officials.
AGGREGATE_TABLES = ("agg_roster", "agg_signed_days")


def refresh_aggregates(con: Connection) -> None:
    """Rebuild the roster aggregates from the current roster (call inside a transaction)."""
    con.execute(
        """
        DROP TABLE IF EXISTS agg_roster;
        CREATE TABLE agg_roster AS
        SELECT agency_id, position_level, is_demo,
               count(*) AS n,
               count(*) FILTER (WHERE signed) AS signed_n,
               count(*) FILTER (WHERE signed AND signed_date IS NULL) AS signed_undated,
               count(*) FILTER (WHERE pledged) AS pledged_n,
               max(signed_date) FILTER (WHERE signed) AS last_signed_date
        FROM officials WHERE superseded_by IS NULL
        GROUP BY agency_id, position_level, is_demo
        """
    )
    con.execute(
        """
        DROP TABLE IF EXISTS agg_signed_days;
        CREATE TABLE agg_signed_days AS
        SELECT agency_id, position_level, is_demo, signed_date, count(*) AS n
        FROM officials
        WHERE superseded_by IS NULL AND signed AND signed_date IS NOT NULL
        GROUP BY agency_id, position_level, is_demo, signed_date
        """
    )


def table_names(con: Connection) -> set[str]:
    """The tables the store holds now (information_schema: the same in both engines)."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
        [CATALOG_SCHEMA[dialect_of(con)]],
    ).fetchall()
    return {str(r[0]) for r in rows}


def read_schema_version(con: Connection, path: object) -> int:
    if "meta" not in table_names(con):
        raise StoreVersionError(f"{path} is not a Netralitas store (no meta table).")
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if not row:
        raise StoreVersionError(f"{path} is not a Netralitas store (no schema version).")
    return int(row[0])


def insert_frame(con: Connection, table: str, df: pl.DataFrame, *, validate: bool = True) -> int:
    """Validate ``df`` against the table's schema and append it inside the caller's transaction."""
    from schemas import TABLES

    model = TABLES[table]
    frame = conform(df, model)
    if validate:
        frame = model.validate(frame)
    if frame.height == 0:
        return 0
    append(con, table, frame.to_arrow())
    return frame.height


def load_bundled_reference(con: Connection) -> None:
    """The shipped regions and aliases: every store has them from its first write, so names
    and filters work whether the first data came from the demo, the seed or an import."""
    from dashboard.domain import regions

    load_reference(con, regions.load_regions(), regions.load_aliases())


def load_reference(con: Connection, regions: pl.DataFrame, aliases: pl.DataFrame) -> None:
    """Replace the reference tables (regions, aliases) inside the caller's transaction."""
    con.execute("DELETE FROM regions")
    con.execute("DELETE FROM region_aliases")
    insert_frame(con, "regions", regions)
    insert_frame(con, "region_aliases", aliases)
