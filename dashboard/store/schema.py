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


# 2: users, audit_log (access control); 3: follow-up tables; 4: user_sessions;
# 5: signatures (signature lists), officials.jenis_asn, upload kinds sasaran / tanda_tangan
SCHEMA_VERSION = 5


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
# agg_person_signatures: per NIP, what the signature lists say (the earliest pact date...);
# every reader of officials rows joins it (see dashboard.queries.rule).
AGGREGATE_TABLES = ("agg_person_signatures", "agg_roster", "agg_signed_days")

# the upload kind of a target roster: its rows carry no signature status of their own
TARGET_KIND = "sasaran"


def effective_signed_sql(o: str = "o", s: str = "s") -> str:
    """SQL: roster row ``o`` is signed (pact) by its own status or by a signature list ``s``
    (``agg_person_signatures``, left-joined on the NIP)."""
    return f"({o}.signed OR coalesce({s}.pact, FALSE))"


def effective_signed_date_sql(o: str = "o", s: str = "s") -> str:
    """SQL: the pact date that counts: the earliest known; null (undated: counts on any day)
    when the roster or a list records the signature without a date."""
    return f"""(CASE WHEN ({o}.signed AND {o}.signed_date IS NULL)
                    OR coalesce({s}.pact_undated, FALSE) THEN NULL
               ELSE least(CASE WHEN {o}.signed THEN {o}.signed_date END, {s}.pact_first) END)"""


def effective_pledged_sql(o: str = "o", s: str = "s") -> str:
    return f"({o}.pledged OR coalesce({s}.pledge, FALSE))"


def reported_sql(o: str = "o", s: str = "s") -> str:
    """SQL: the row's status was reported: it came with a status (a roster, not a target)
    or a signature list names the person."""
    return f"""({s}.nip IS NOT NULL OR {o}.upload_id NOT IN (
                SELECT upload_id FROM uploads WHERE kind = '{TARGET_KIND}'))"""


def refresh_aggregates(con: Connection) -> None:
    """Rebuild the roster aggregates from the current roster (call inside a transaction)."""
    con.execute(
        """
        DROP TABLE IF EXISTS agg_person_signatures;
        CREATE TABLE agg_person_signatures AS
        SELECT nip,
               bool_or(measure = 'pakta') AS pact,
               bool_or(measure = 'pakta' AND signed_date IS NULL) AS pact_undated,
               min(signed_date) FILTER (WHERE measure = 'pakta') AS pact_first,
               bool_or(measure = 'ikrar') AS pledge
        FROM signatures GROUP BY nip
        """
    )
    con.execute(
        f"""
        DROP TABLE IF EXISTS agg_roster;
        CREATE TABLE agg_roster AS {roster_aggregate_sql()}
        """
    )
    con.execute(
        f"""
        DROP TABLE IF EXISTS agg_signed_days;
        CREATE TABLE agg_signed_days AS {signed_days_sql()}
        """
    )


def _effective_rows_sql(where: str) -> str:
    return f"""
        SELECT o.agency_id, o.position_level, o.is_demo,
               {effective_signed_sql()} AS signed,
               {effective_signed_date_sql()} AS signed_date,
               {effective_pledged_sql()} AS pledged,
               {reported_sql()} AS reported
        FROM officials o LEFT JOIN agg_person_signatures s ON s.nip = o.nip
        WHERE o.superseded_by IS NULL AND {where}"""


def roster_aggregate_sql(where: str = "TRUE") -> str:
    """SQL: the rows of ``agg_roster`` for the current roster rows ``o`` matching ``where``
    (the table holds all of them; a query narrowing the roster further, e.g. by PNS/PPPK,
    computes the same rows over fewer officials)."""
    return f"""
        SELECT agency_id, position_level, is_demo,
               count(*) AS n,
               count(*) FILTER (WHERE signed) AS signed_n,
               count(*) FILTER (WHERE signed AND signed_date IS NULL) AS signed_undated,
               count(*) FILTER (WHERE pledged) AS pledged_n,
               max(signed_date) FILTER (WHERE signed) AS last_signed_date,
               count(*) FILTER (WHERE reported) AS reported_n
        FROM ({_effective_rows_sql(where)}) e
        GROUP BY agency_id, position_level, is_demo"""


def signed_days_sql(where: str = "TRUE") -> str:
    """SQL: the rows of ``agg_signed_days`` for the current roster rows ``o`` matching
    ``where`` (as :func:`roster_aggregate_sql`)."""
    return f"""
        SELECT agency_id, position_level, is_demo, signed_date, count(*) AS n
        FROM ({_effective_rows_sql(where)}) e
        WHERE signed AND signed_date IS NOT NULL
        GROUP BY agency_id, position_level, is_demo, signed_date"""


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
