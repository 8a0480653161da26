"""The embedded DuckDB store: the only module that writes.

Connections are short-lived (open, work, close) because DuckDB locks the file
per process: the CLI importing while the dashboard runs must be able to get in
between two page renders. A lock held by another process is retried for a
while and then reported as :class:`StoreBusy`, never as a half-done write.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from schemas import TABLE_MODELS

if TYPE_CHECKING:  # pandera (and through it pandas) costs ~2 s to import: only where validating
    import pandera.polars as pa

SCHEMA_VERSION = 1
ENV_STORE = "NETRALITAS_STORE"
DEFAULT_STORE = Path("var") / "netralitas.duckdb"
LOCK_WAIT_SECONDS = 15.0
TABLE_NAMES = tuple(TABLE_MODELS)

_DUCKDB_TYPES: dict[type[pl.DataType], str] = {
    pl.String: "VARCHAR",
    pl.Int64: "BIGINT",
    pl.Int32: "INTEGER",
    pl.Float64: "DOUBLE",
    pl.Boolean: "BOOLEAN",
    pl.Date: "DATE",
    pl.Datetime: "TIMESTAMP",
}


class StoreError(RuntimeError):
    """A store problem the user can act on (message is safe to show)."""


class StoreBusy(StoreError):
    """Another process holds the write lock for longer than we are willing to wait."""


class StoreVersionError(StoreError):
    """The file was written by a schema version this code cannot read."""


def default_store_path() -> Path:
    """``$NETRALITAS_STORE`` if set, else ``var/netralitas.duckdb`` under the working directory."""
    return Path(os.environ.get(ENV_STORE) or DEFAULT_STORE)


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


def _ddl(table: str, model: type[pa.DataFrameModel]) -> str:
    cols = []
    for name, col in model.to_schema().columns.items():
        sql_type = _DUCKDB_TYPES[col.dtype.type.base_type()]
        cols.append(f"{name} {sql_type}{'' if col.nullable else ' NOT NULL'}")
    return f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(cols)})"


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "already open" in text


class Store:
    """A DuckDB file holding every table in :data:`schemas.TABLES` plus a ``meta`` table."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()

    # -- connections -------------------------------------------------------
    @contextlib.contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        delay = 0.05
        while True:
            try:
                con = duckdb.connect(str(self.path))
                break
            except duckdb.Error as exc:
                if not _is_lock_error(exc) or time.monotonic() > deadline:
                    if _is_lock_error(exc):
                        raise StoreBusy(
                            f"Store {self.path} is busy (another process is writing); "
                            "try again in a moment."
                        ) from exc
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
        try:
            yield con
        finally:
            con.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing write; bumps the data version so caches refresh."""
        self.ensure()
        with self.connect() as con:
            con.begin()
            try:
                yield con
                con.execute(
                    "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
                    "WHERE key = 'data_version'"
                )
                con.commit()
            except BaseException:
                con.rollback()
                raise

    # -- lifecycle ---------------------------------------------------------
    def exists(self) -> bool:
        return self.path.exists()

    def ensure(self) -> None:
        """Create a missing store; refuse one written by another schema version."""
        if self.path.exists():
            self.check_version()
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as con:
            con.begin()
            from schemas import TABLES

            con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            for table, model in TABLES.items():
                con.execute(_ddl(table, model))
            con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?), ('data_version', '0')",
                [str(SCHEMA_VERSION)],
            )
            con.commit()

    def check_version(self) -> None:
        with self.connect() as con:
            try:
                row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            except duckdb.CatalogException as exc:
                raise StoreVersionError(
                    f"{self.path} is not a Netralitas store (no meta table)."
                ) from exc
        found = int(row[0]) if row else 0
        if found != SCHEMA_VERSION:
            raise StoreVersionError(
                f"{self.path} was written by schema version {found}; this program reads "
                f"version {SCHEMA_VERSION}. Open it with the matching version of Netralitas "
                "or start a new store."
            )

    # -- reads -------------------------------------------------------------
    def query(self, sql: str, params: list | dict | None = None) -> pl.DataFrame:
        self.ensure()
        with self.connect() as con:
            return con.sql(sql, params=params).pl()

    def table(self, name: str) -> pl.DataFrame:
        if name not in TABLE_NAMES:
            raise KeyError(name)
        return self.query(f"SELECT * FROM {name}")

    def data_version(self) -> int:
        self.ensure()
        with self.connect() as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        return int(row[0]) if row else 0

    def file_signature(self) -> tuple[int, int, int, int]:
        """Cheap change detector (no connection): mtimes and sizes of the file and its WAL."""
        out: list[int] = []
        for p in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                st = p.stat()
                out += [st.st_mtime_ns, st.st_size]
            except FileNotFoundError:
                out += [0, 0]
        return (out[0], out[1], out[2], out[3])

    def counts(self) -> dict[str, int]:
        self.ensure()
        with self.connect() as con:
            return {
                t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                for t in TABLE_NAMES
            }


def insert_frame(
    con: duckdb.DuckDBPyConnection, table: str, df: pl.DataFrame, *, validate: bool = True
) -> int:
    """Validate ``df`` against the table's schema and append it inside the caller's transaction."""
    from schemas import TABLES

    model = TABLES[table]
    frame = conform(df, model)
    if validate:
        frame = model.validate(frame)  # type: ignore[assignment]
    if frame.height == 0:
        return 0
    view = f"_incoming_{table}"
    con.register(view, frame.to_arrow())
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM {view}")
    finally:
        con.unregister(view)
    return frame.height


def load_reference(
    con: duckdb.DuckDBPyConnection, regions: pl.DataFrame, aliases: pl.DataFrame
) -> None:
    """Replace the reference tables (regions, aliases) inside the caller's transaction."""
    con.execute("DELETE FROM regions")
    con.execute("DELETE FROM region_aliases")
    insert_frame(con, "regions", regions)
    insert_frame(con, "region_aliases", aliases)


def replace_builtin(
    store: Store,
    *,
    regions: pl.DataFrame,
    aliases: pl.DataFrame,
    frames: dict[str, pl.DataFrame],
    upload_rows: pl.DataFrame,
    builtin_ids: tuple[str, ...] = ("seed", "demo"),
) -> None:
    """Swap the built-in (seed / demo) rows for ``frames`` in one transaction.

    Rows that came from uploads are untouched: built-in rows are recognised by
    their ``upload_id``.
    """
    with store.transaction() as con:
        load_reference(con, regions, aliases)
        placeholders = ", ".join("?" for _ in builtin_ids)
        for table in ("officials", "events", "signature_reports", "agencies", "uploads"):
            con.execute(
                f"DELETE FROM {table} WHERE upload_id IN ({placeholders})", list(builtin_ids)
            )
        for table, df in frames.items():
            insert_frame(con, table, df)
        insert_frame(con, "uploads", upload_rows)
